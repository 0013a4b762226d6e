//! What executes: each piece of input runs through the parser once and then the engine, over
//! the world and the session; the runner decides which statements changed the world (for the
//! store's transaction), and hands each outcome to what prints ([`Printer`]) and what observes
//! ([`Observer`]).

use crate::engine::{self, Session};
use crate::syntax::{
    Input, ParseError, Piece, PolicyStatement, SessionStatement, SettingStatement, Statement,
    TeachStatement, parse_help, parse_input,
};
use crate::teach::{self, Answer, Failed};
use crate::world::World;

use super::console::Console;
use super::observer::Observer;
use super::printer::Printer;

/// The most statements a commit appends to the journal; a script that changes more writes the
/// world whole (as one save).
pub const TAPE_LIMIT: usize = 4096;

/// How one statement ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Done,
    Failed,
    Quit,
}

/// How a session started (see [`Runner::check_start`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    Ready,
    /// The identity acts, but cannot use the starting project: `Accessing project '…' failed:
    /// …`, as `login` says it.
    Inaccessible(String),
    /// The session cannot start: the failure's text.
    Failed(String),
}

/// The world in memory, the acting session, and what prints and observes.
pub struct Runner {
    pub world: World,
    pub session: Session,
    /// Whether a statement changed the world since the last `take_dirty`.
    dirty: bool,
    /// The statements that changed it, for the store's journal.
    pub tape: engine::tape::Tape,
    /// The bar a long script shows on a terminal (disabled unless the shell enables it).
    pub progress: super::progress::Progress,
    pub printer: Printer,
    observer: Observer,
    /// Where files a script names are read from (`put policy <file>`): the script's directory,
    /// or the working directory.
    pub base_dir: Option<std::path::PathBuf>,
}

impl Runner {
    pub fn new(world: World, session: Session, console: Console) -> Self {
        Runner {
            world,
            session,
            dirty: false,
            tape: engine::tape::Tape::new(TAPE_LIMIT),
            progress: super::progress::Progress::default(),
            printer: Printer::new(console),
            observer: Observer::default(),
            base_dir: None,
        }
    }

    /// Sends everything written so far to its stream.
    pub fn flush(&mut self) {
        self.printer.console.flush();
    }

    /// True once if the world changed since the last call.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    /// Whether the world changed since the last call, and the statements that changed it when
    /// the tape holds them all (for the store's journal).
    pub fn take_changes(&mut self) -> (bool, Option<Vec<engine::tape::Entry>>) {
        let entries = self.tape.take();
        (self.take_dirty(), entries)
    }

    /// Writes to stdout (in order with stderr).
    pub fn write_out(&mut self, text: &str) {
        self.printer.console.out(text);
    }

    /// Writes to stderr.
    pub fn write_err(&mut self, text: &str) {
        self.printer.console.err(text);
    }

    /// Explains the pending failure against the world as it is now, before anything changes
    /// it (the repl calls it before it reloads the world from its file).
    pub fn settle_failure(&mut self) {
        self.observer.settle(&self.world);
    }

    /// Starts the session as odpscmd does (with `-u/-p`: as `login` does, through the one
    /// [`engine::sign_in`]): a key that does not authenticate or a project that does not exist
    /// fails; an identity that cannot use the project still acts, and the failed access is
    /// reported. Either is the session's first failure, so that `explain;` explains it.
    pub fn check_start(&mut self) -> Start {
        let credentials = self.session.credentials.clone();
        let statement = Statement::Session(SessionStatement::Use(self.session.project.clone()));
        let signed_in = engine::sign_in(&self.world, &mut self.session, credentials);
        self.record_key_use();
        let (failure, start) = match signed_in {
            Ok(engine::Output::ProjectInaccessible { project, error }) => {
                let text = crate::render::accessing_project_failed(&project, &error.to_string());
                (engine::Failure::from(error), Start::Inaccessible(text))
            }
            Ok(_) => return Start::Ready,
            Err(failure) => {
                let text = crate::render::failure(&failure).stderr;
                (failure, Start::Failed(text))
            }
        };
        let typed = teach::statement_line(&statement);
        let input = Input::Statement(statement);
        self.observer
            .failed(&typed, Some(&input), Failed::Engine(failure), &self.session);
        start
    }

    /// Records the use of the key the last statement authenticated with; the world is then
    /// saved with the transaction, even after a read-only statement (once a day per key, see
    /// [`engine::record_key_use`]).
    fn record_key_use(&mut self) {
        if self.tape.record_key_use(&mut self.world, &mut self.session) {
            self.dirty = true;
        }
    }

    /// Whether `input` would run without failing, tried on a copy of the world and session
    /// (the shell asks its confirmation only then). `offboard … run` always asks: its plan
    /// says what would fail.
    pub fn would_run(&self, input: &Input) -> bool {
        match input {
            Input::Statement(statement) => {
                let mut world = self.world.clone();
                let mut session = self.session.clone();
                engine::execute(&mut world, &mut session, statement).is_ok()
            }
            Input::Teach(_) => true,
        }
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
        self.printer.echo(&self.session.project, piece);
        // The shell's help is no statement: it is answered from the grammar, before anything.
        if let Some(request) = parse_help(piece) {
            self.printer.help(piece, &super::help::answer(&request));
            return Step::Done;
        }
        let input = match parsed {
            Ok(input) => self.with_files(input),
            Err(e) => {
                self.printer.parse_error(&e, source, piece, caret);
                self.observer
                    .failed(piece.typed, None, Failed::Parse(e), &self.session);
                return Step::Failed;
            }
        };
        self.observer.before(&self.world, &input);
        let statement = match &input {
            Input::Statement(statement) => statement,
            Input::Teach(t) => return self.run_teach(piece, &input, t),
        };
        let deleting = self
            .observer
            .deleting(&self.world, &self.session, statement);
        let outcome = self
            .tape
            .execute(&mut self.world, &mut self.session, statement);
        let outcome = self.write_download(outcome);
        self.record_key_use();
        self.observer.ran(deleting, outcome.is_ok());
        let step = match &outcome {
            Ok(engine::Output::Quit) => Step::Quit,
            Ok(_) => Step::Done,
            Err(_) => Step::Failed,
        };
        if outcome.is_ok() && !statement.is_read_only() {
            self.dirty = true;
        }
        self.printer
            .outcome(piece, &outcome, statement.is_security_query());
        if let Err(failure) = outcome {
            self.observer.failed(
                piece.typed,
                Some(&input),
                Failed::Engine(failure),
                &self.session,
            );
        }
        step
    }

    /// The path of a file a statement names: relative to the script's directory, or the working
    /// directory.
    fn local_path(&self, file: &str) -> std::path::PathBuf {
        match &self.base_dir {
            Some(dir) if std::path::Path::new(file).is_relative() => dir.join(file),
            _ => std::path::PathBuf::from(file),
        }
    }

    /// Writes the file of a download the engine allowed; a file that cannot be written fails
    /// the statement (the world is unchanged either way).
    fn write_download(&self, outcome: engine::Outcome) -> engine::Outcome {
        let Ok(engine::Output::Download(d)) = &outcome else {
            return outcome;
        };
        match std::fs::write(self.local_path(&d.file), &d.contents) {
            Ok(()) => outcome,
            Err(e) => Err(engine::Failure::Odps(
                engine::error::ObjectError::DownloadFile {
                    file: d.file.clone(),
                    reason: e.to_string(),
                }
                .into(),
            )),
        }
    }

    /// The statement with the files it names read (`put policy <file>`), relative to the
    /// script's directory or the working directory.
    fn with_files(&self, input: Input) -> Input {
        if let Input::Statement(Statement::Settings(SettingStatement::ProtectWithException {
            file,
            document: None,
            ..
        })) = &input
        {
            let (document, read_error) = match std::fs::read_to_string(self.local_path(file)) {
                Ok(text) => (Some(text), None),
                Err(e) => (None, Some(e.to_string())),
            };
            return Input::Statement(Statement::Settings(
                SettingStatement::ProtectWithException {
                    file: file.clone(),
                    document,
                    read_error,
                },
            ));
        }
        let Input::Statement(Statement::Policy(PolicyStatement::Put {
            file,
            role,
            document: None,
            ..
        })) = &input
        else {
            return input;
        };
        let path = self.local_path(file);
        let (document, read_error) = match std::fs::read_to_string(&path) {
            Ok(text) => (Some(text), None),
            Err(e) => (None, Some(e.to_string())),
        };
        Input::Statement(Statement::Policy(PolicyStatement::Put {
            file: file.clone(),
            role: role.clone(),
            document,
            read_error,
        }))
    }

    /// Answers one of odpsh's learning statements.
    fn run_teach(&mut self, piece: &Piece<'_>, input: &Input, statement: &TeachStatement) -> Step {
        if matches!(statement, TeachStatement::Explain) {
            self.observer.settle(&self.world);
        }
        let answer = teach::answer(
            &mut self.world,
            &mut self.session,
            self.observer.explained(),
            self.observer.former(),
            statement,
        );
        self.record_key_use();
        match answer {
            Ok(answer) => {
                let failed = match &answer {
                    Answer::Ran(report) => {
                        if report
                            .steps
                            .iter()
                            .any(|(s, o)| o.is_ok() && !s.is_read_only())
                        {
                            // Its steps ran past the tape: the world is written whole.
                            self.dirty = true;
                            self.tape.broken();
                        }
                        !report.traces.is_empty() || report.steps.iter().any(|(_, o)| o.is_err())
                    }
                    _ => false,
                };
                self.printer.answer(piece, &answer);
                if let Answer::Ran(report) = &answer
                    && let Some((statement, Err(failure))) = report.steps.last()
                {
                    self.observer.step_failed(statement, failure, &self.session);
                }
                if failed { Step::Failed } else { Step::Done }
            }
            Err(e) => {
                self.printer.teach_error(piece, &e);
                self.observer
                    .failed(piece.typed, Some(input), Failed::Teach(e), &self.session);
                Step::Failed
            }
        }
    }
}
