//! Runs pieces of input through parser, engine and renderer, writing what they print to its
//! [`Console`] (buffered, in order between stdout and stderr, never panicking).

use crate::engine::{self, Session};
use crate::render::{self, Format, Rendered, json};
use crate::syntax::{Input, ParseError, Piece, TeachStatement, masked, parse_input};
use crate::teach::explain::{Context, Explanation, explain};
use crate::teach::{self, Answer, Failed};
use crate::world::World;

use super::console::Console;
use super::texts;

/// How one statement ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Done,
    Failed,
    Quit,
}

/// The session's most recent failure. It is explained only when `explain;` asks, or just
/// before something could change the world it has to be explained from (a statement that is not
/// read-only, a reload of the file): a script of many failures explains none it is not asked
/// about.
enum LastFailure {
    Pending(Box<PendingFailure>),
    Explained(Box<Explanation>),
}

/// What a failure is explained from, besides the world as it still is.
struct PendingFailure {
    typed: String,
    input: Option<Input>,
    failed: Failed,
    /// The session as it was when the statement failed (`use` and `login` may change it since).
    session: Session,
}

/// The world in memory, the acting session, and where output goes.
pub struct Runner {
    pub world: World,
    pub session: Session,
    /// Print each statement after its prompt before its output (`--echo`).
    pub echo: bool,
    pub format: Format,
    /// The session's most recent failure, for `explain;`.
    last_failure: Option<LastFailure>,
    /// Names of RAM users this session saw deleted, for explanations.
    former: teach::FormerNames,
    /// Whether a statement changed the world since the last `take_dirty`.
    dirty: bool,
    /// Where output goes; it keeps the first write error for the exit code.
    pub console: Console,
}

impl Runner {
    pub fn new(world: World, session: Session, console: Console) -> Self {
        Runner {
            world,
            session,
            echo: false,
            format: Format::Text,
            last_failure: None,
            former: teach::FormerNames::new(),
            dirty: false,
            console,
        }
    }

    /// Sends everything written so far to its stream.
    pub fn flush(&mut self) {
        self.console.flush();
    }

    /// True once if the world changed since the last call.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    /// Writes to stdout (in order with stderr).
    pub fn write_out(&mut self, text: &str) {
        self.console.out(text);
    }

    /// Writes to stderr, painting failure lines when colour is on.
    pub fn write_err(&mut self, text: &str) {
        self.console.err(text);
    }

    /// Writes what a statement printed: its stderr part first (a warning, a job's `ID = …`
    /// line, a failure), then its result.
    fn emit(&mut self, rendered: Rendered) {
        self.console.emit(&rendered);
    }

    /// Writes one statement's JSON record (`--format json|ndjson`), its secrets masked.
    fn emit_record(
        &mut self,
        statement: &str,
        outcome: Result<serde_json::Value, serde_json::Value>,
    ) {
        let record = json::record(&masked(statement), outcome);
        let text = match self.format {
            Format::Ndjson => json::compact_text(&record),
            _ => json::pretty_text(&record),
        };
        self.write_out(&format!("{text}\n"));
    }

    /// Keeps a failure of the statement `typed` for `explain;` (the world is as the failure
    /// left it: as it was before the statement).
    fn remember(&mut self, typed: &str, input: Option<&Input>, failed: &Failed) {
        self.last_failure = Some(LastFailure::Pending(Box::new(PendingFailure {
            typed: typed.to_string(),
            input: input.cloned(),
            failed: failed.clone(),
            session: self.session.clone(),
        })));
    }

    /// Explains the pending failure against the world as it is now, before anything changes
    /// it (the repl calls it before it reloads the world from its file).
    pub fn settle_failure(&mut self) {
        let Some(LastFailure::Pending(pending)) = &self.last_failure else {
            return;
        };
        let ctx = Context {
            world: &self.world,
            session: &pending.session,
            input: pending.input.as_ref(),
            typed: &pending.typed,
            former: &self.former,
        };
        let explained = explain(&ctx, &pending.failed);
        self.last_failure = Some(LastFailure::Explained(Box::new(explained)));
    }

    /// Runs one piece of `source`. `caret` shows syntax errors with a caret (interactive shell).
    pub fn run_piece(&mut self, source: &str, piece: &Piece<'_>, caret: bool) -> Step {
        self.run_parsed(source, piece, parse_input(piece), caret)
    }

    /// Runs one piece of `source` that its caller has already parsed (the shell parses each
    /// piece once, and decides on confirmation and locking from what it parsed).
    pub fn run_parsed(
        &mut self,
        source: &str,
        piece: &Piece<'_>,
        parsed: Result<Input, ParseError>,
        caret: bool,
    ) -> Step {
        let text_mode = self.format == Format::Text;
        if self.echo && text_mode {
            let line = format!(
                "{}{}\n",
                texts::prompt(&self.session.project),
                masked(piece.typed)
            );
            self.write_out(&line);
        }
        let input = match parsed {
            Ok(input) => input,
            Err(e) => {
                // Nothing secret is shown: render masks what the error quotes.
                if text_mode {
                    self.emit(render::parse_error(&e, source, piece, caret));
                } else {
                    let (code, message) = render::parse_error_message(&e, piece);
                    self.emit_record(piece.body, Err(json::error_value(code, &message)));
                }
                self.remember(piece.typed, None, &Failed::Parse(e));
                return Step::Failed;
            }
        };
        // A pending failure is explained from the world as it was: before this changes it.
        if !input.is_read_only() {
            self.settle_failure();
        }
        let statement = match &input {
            Input::Statement(statement) => statement,
            Input::Teach(t) => return self.run_teach(piece, &input, t),
        };
        let deleting = teach::about_to_delete(&self.world, &self.session, statement);
        let outcome = engine::execute(&mut self.world, &mut self.session, statement);
        if let (Ok(_), Some((id, name))) = (&outcome, deleting) {
            self.former.insert(id, name);
        }
        let step = match &outcome {
            Ok(engine::Output::Quit) => Step::Quit,
            Ok(_) => Step::Done,
            Err(_) => Step::Failed,
        };
        if outcome.is_ok() && !statement.is_read_only() {
            self.dirty = true;
        }
        match (&outcome, text_mode) {
            (Ok(output), true) => self.emit(render::output(output)),
            (Err(failure), true) => self.emit(render::failure(failure)),
            (Ok(output), false) => {
                self.emit_record(piece.body, Ok(json::result_value(output)));
                self.write_err(&render::warnings(output));
            }
            (Err(failure), false) => {
                self.emit_record(piece.body, Err(json::failure_value(failure)))
            }
        }
        if let Err(failure) = outcome {
            self.remember(piece.typed, Some(&input), &Failed::Engine(failure));
        }
        step
    }

    /// Answers one of odpsh's learning statements.
    fn run_teach(&mut self, piece: &Piece<'_>, input: &Input, statement: &TeachStatement) -> Step {
        let text_mode = self.format == Format::Text;
        if matches!(statement, TeachStatement::Explain) {
            self.settle_failure();
        }
        let last = match &self.last_failure {
            Some(LastFailure::Explained(e)) => Some(e.as_ref()),
            _ => None,
        };
        let answer = teach::answer(
            &mut self.world,
            &mut self.session,
            last,
            &self.former,
            statement,
        );
        match answer {
            Ok(answer) => {
                let failed = match &answer {
                    Answer::Ran(report) => {
                        if report
                            .steps
                            .iter()
                            .any(|(s, o)| o.is_ok() && !s.is_read_only())
                        {
                            self.dirty = true;
                        }
                        !report.traces.is_empty() || report.steps.iter().any(|(_, o)| o.is_err())
                    }
                    _ => false,
                };
                if text_mode {
                    self.emit(render::teach::answer(&answer));
                } else {
                    let value = render::teach::answer_value(&answer);
                    self.emit_record(piece.body, Ok(value));
                }
                if let Answer::Ran(report) = &answer
                    && let Some((statement, Err(failure))) = report.steps.last()
                {
                    let line = teach::statement_line(statement);
                    let input = Input::Statement(statement.clone());
                    self.remember(&line, Some(&input), &Failed::Engine(failure.clone()));
                }
                if failed { Step::Failed } else { Step::Done }
            }
            Err(e) => {
                if text_mode {
                    self.console
                        .failure(&format!("{}{e}\n", render::FAILED_PREFIX));
                } else {
                    self.emit_record(
                        piece.body,
                        Err(json::error_value(e.code().as_str(), &e.to_string())),
                    );
                }
                self.remember(piece.typed, Some(input), &Failed::Teach(e));
                Step::Failed
            }
        }
    }
}
