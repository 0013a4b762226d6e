//! Runs pieces of input through parser, engine and renderer, writing what they print.

use std::io::Write;

use colored::Colorize;

use crate::engine::{self, Session};
use crate::render::{self, Rendered};
use crate::syntax::{Piece, parse_piece};
use crate::world::World;

use super::texts;

/// How one statement ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Done,
    Failed,
    Quit,
}

/// The world in memory, the acting session, and where output goes.
pub struct Runner {
    pub world: World,
    pub session: Session,
    /// Print each statement after its prompt before its output (`--echo`).
    pub echo: bool,
    /// Paint failures red (only ever on a terminal).
    pub color: bool,
    /// Whether a statement changed the world since the last `take_dirty`.
    dirty: bool,
    out: Box<dyn Write>,
    err: Box<dyn Write>,
}

impl Runner {
    pub fn new(world: World, session: Session, out: Box<dyn Write>, err: Box<dyn Write>) -> Self {
        Runner {
            world,
            session,
            echo: false,
            color: false,
            dirty: false,
            out,
            err,
        }
    }

    /// True once if the world changed since the last call.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    /// Writes to stdout (flushed, so stdout and stderr interleave in order).
    pub fn write_out(&mut self, text: &str) {
        if !text.is_empty() {
            let _ = self.out.write_all(text.as_bytes());
            let _ = self.out.flush();
        }
    }

    /// Writes to stderr, painting failure lines when colour is on.
    pub fn write_err(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let text = if self.color {
            text.lines()
                .map(|l| {
                    if l.starts_with(render::FAILED_PREFIX) || l.starts_with("ERROR:") {
                        format!("{}\n", l.red())
                    } else {
                        format!("{l}\n")
                    }
                })
                .collect()
        } else {
            text.to_string()
        };
        let _ = self.err.write_all(text.as_bytes());
        let _ = self.err.flush();
    }

    fn emit(&mut self, rendered: Rendered) {
        let Rendered { stdout, stderr } = rendered;
        self.write_out(&stdout);
        self.write_err(&stderr);
    }

    /// Runs one piece of `source`. `caret` shows syntax errors with a caret (interactive shell).
    pub fn run_piece(&mut self, source: &str, piece: &Piece<'_>, caret: bool) -> Step {
        if self.echo {
            let line = format!("{}{}\n", texts::prompt(&self.session.project), piece.typed);
            self.write_out(&line);
        }
        let statement = match parse_piece(piece) {
            Ok(s) => s,
            Err(e) => {
                self.emit(render::parse_error(&e, source, piece.offset, caret));
                return Step::Failed;
            }
        };
        match engine::execute(&mut self.world, &mut self.session, &statement) {
            Ok(output) => {
                if !statement.is_read_only() {
                    self.dirty = true;
                }
                self.emit(render::output(&output));
                if output == engine::Output::Quit {
                    Step::Quit
                } else {
                    Step::Done
                }
            }
            Err(failure) => {
                self.emit(render::failure(&failure));
                Step::Failed
            }
        }
    }
}
