//! Non-interactive runs: `-e`, `-f` and piped standard input. As odpscmd does, the whole text
//! is split first: a quote left open anywhere runs nothing, and `-k N` starts at statement N.

use crate::syntax::{ParseError, Piece, split};

use super::runner::{Runner, Step};
use super::texts;

/// What a failed statement does to the rest of a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnFailure {
    /// `-e` and `-f`: stop at the first failure.
    Stop,
    /// Piped input: report the failure and go on.
    Continue,
}

/// Runs every statement of `source`; true when any failed, or when the script could not run
/// at all.
pub fn run_script(runner: &mut Runner, source: &str, on_failure: OnFailure) -> bool {
    run_script_from(runner, source, on_failure, None)
}

/// Runs the statements of `source` from statement `start_at` on (1-based, odpscmd's `-k`;
/// `None`: all); true when any failed, or when the script could not run at all.
pub fn run_script_from(
    runner: &mut Runner,
    source: &str,
    on_failure: OnFailure,
    start_at: Option<u64>,
) -> bool {
    let pieces = split(source);
    if let Some(piece) = pieces.iter().find(|p| p.open_quote.is_some()) {
        unclosed_quote(runner, source, piece);
        return true;
    }
    let skip = match start_at {
        None => 0,
        Some(n) => {
            let skip = usize::try_from(n.saturating_sub(1)).unwrap_or(usize::MAX);
            if skip >= pieces.len() {
                let text = texts::start_beyond_the_script(n, pieces.len());
                runner.printer.console.line(&text);
                return true;
            }
            skip
        }
    };
    let mut failed = false;
    let total = pieces.len();
    for (i, piece) in pieces.iter().enumerate().skip(skip) {
        runner.progress.at(i, total);
        match runner.run_piece(source, piece, false) {
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
    runner.progress.finish();
    failed
}

/// A quote that is never closed: the parse error where it opens, and that nothing ran.
fn unclosed_quote(runner: &mut Runner, source: &str, piece: &Piece<'_>) {
    let Some(at) = piece.open_quote else {
        return;
    };
    let offset = at.saturating_sub(piece.offset);
    let quote = source[at..].chars().next().unwrap_or('\'');
    let error = ParseError::Syntax {
        offset,
        expected: texts::closing_quote(quote),
        found: texts::END_OF_SCRIPT.to_string(),
    };
    runner.printer.parse_error(&error, source, piece, false);
    let (line, column) = piece.position(offset);
    runner
        .printer
        .console
        .line(&texts::quote_not_closed(quote, line, column));
}
