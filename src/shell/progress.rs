//! A progress bar for long work (`check`, a `-f` or piped script): statements done, the rate
//! and the time left, on stderr. It appears only once the work has run for about a second, only
//! when stderr is a terminal (never in pipes, files or JSON output), and is cleared when the
//! work ends, so that what the work prints is unchanged.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long work runs before the bar appears.
const DELAY: Duration = Duration::from_secs(1);
/// How many statements pass between two looks at the clock.
const EVERY: usize = 256;

/// The bar of one piece of work; does nothing when not enabled.
pub struct Progress {
    enabled: bool,
    started: Instant,
    bar: Option<ProgressBar>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress::new(false)
    }
}

impl Progress {
    /// A bar for work that starts now; `enabled` when stderr is a terminal and the output is
    /// text (see [`Progress::wanted`]).
    pub fn new(enabled: bool) -> Progress {
        Progress {
            enabled,
            started: Instant::now(),
            bar: None,
        }
    }

    /// Whether a bar may be shown: stderr is a terminal, the output is text, and (for a script,
    /// whose output goes on while it runs) standard output is not that terminal too.
    pub fn wanted(text_output: bool, output_runs_along: bool) -> bool {
        use std::io::IsTerminal;
        text_output
            && std::io::stderr().is_terminal()
            && !(output_runs_along && std::io::stdout().is_terminal())
    }

    /// `done` of `total` statements are done.
    pub fn at(&mut self, done: usize, total: usize) {
        if !self.enabled || !done.is_multiple_of(EVERY) {
            return;
        }
        if self.bar.is_none() {
            if self.started.elapsed() < DELAY {
                return;
            }
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:40} {pos}/{len} statements, {per_sec}, {eta} left",
            ) {
                bar.set_style(style);
            }
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(done as u64);
        }
    }

    /// The work is done: the bar goes away.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
