//! Non-interactive runs: `-e`, `-f` and piped standard input.

use crate::syntax::split;

use super::runner::{Runner, Step};

/// What a failed statement does to the rest of a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnFailure {
    /// `-e` and `-f`: stop at the first failure.
    Stop,
    /// Piped input: report the failure and go on.
    Continue,
}

/// Runs every statement of `source`; true when any failed.
pub fn run_script(runner: &mut Runner, source: &str, on_failure: OnFailure) -> bool {
    let mut failed = false;
    for piece in split(source) {
        match runner.run_piece(source, &piece, false) {
            Step::Done => {}
            Step::Failed => {
                failed = true;
                if on_failure == OnFailure::Stop {
                    break;
                }
            }
            Step::Quit => break,
        }
    }
    failed
}
