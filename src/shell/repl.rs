//! The interactive shell: prompt, multi-line input until `;`, confirmation of `drop`/`delete`/
//! `remove`, history, completion; one store transaction per statement, none while idle.

use crate::syntax::SessionStatement;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{
    Cmd, CompletionType, ConditionalEventHandler, Config, Editor, Event, EventContext,
    EventHandler, KeyEvent, RepeatCount,
};

use crate::engine::Session;
use crate::store::Synced;
use crate::syntax::{Input, ParseError, Piece, Statement, masked, parse_input, split};

use super::helper::{LiveWorld, ShellHelper, Vocabulary};
use super::runner::{Runner, Step};
use super::{EXIT_USAGE, texts};

pub struct Repl {
    pub runner: Runner,
    /// The world file, kept in step statement by statement; `None` with `--fresh`.
    synced: Option<Synced>,
    pub history: Option<PathBuf>,
    /// Whether the first failure's hint (`explain;`) was given.
    hinted: bool,
}

/// Ctrl-D on an empty continuation line of an unfinished statement: leave, as Ctrl-D on an
/// empty prompt does (the flag tells the loop it was this, not Ctrl-C).
struct LeaveUnfinished(Arc<AtomicBool>);

impl ConditionalEventHandler for LeaveUnfinished {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        let line = ctx.line();
        let on_empty_continuation = ctx.pos() == line.len()
            && line
                .rsplit_once('\n')
                .is_some_and(|(_, last)| last.trim().is_empty());
        if on_empty_continuation {
            self.0.store(true, Ordering::SeqCst);
            Some(Cmd::Interrupt)
        } else {
            None
        }
    }
}

type ShellEditor = Editor<ShellHelper, DefaultHistory>;

impl Repl {
    /// A shell over `runner`'s world, kept in step with its file by `synced` (made with
    /// [`Synced::load`] when the world was read; `None` with `--fresh`).
    pub fn new(runner: Runner, synced: Option<Synced>, history: Option<PathBuf>) -> Self {
        Repl {
            runner,
            synced,
            history,
            hinted: false,
        }
    }

    /// Runs one parsed statement inside its own store transaction (see [`Synced`]).
    fn run_in_transaction(
        &mut self,
        source: &str,
        piece: &Piece<'_>,
        parsed: Result<Input, ParseError>,
    ) -> Step {
        let Some(synced) = self.synced.as_mut() else {
            return self.runner.run_parsed(source, piece, parsed, true);
        };
        // A syntax error and `quit;` need no world: they work even when the file cannot be
        // read, and take no lock.
        if matches!(
            parsed,
            Ok(Input::Statement(Statement::Session(SessionStatement::Quit))) | Err(_)
        ) {
            return self.runner.run_parsed(source, piece, parsed, true);
        }
        let runner = &mut self.runner;
        let waiting = texts::waiting_for_lock(synced.store().path());
        let mut txn = match synced.begin_announced(|| {
            runner.write_err(&waiting);
            runner.flush();
        }) {
            Ok(txn) => txn,
            Err(e) => return store_failed(runner, &texts::statement_not_run(&e.to_string())),
        };
        match txn.newer() {
            Ok(Some(newer)) => {
                // A pending failure is explained from the world it failed in.
                runner.settle_failure();
                if let Err(e) = txn.apply(newer, &mut runner.world) {
                    return store_failed(runner, &texts::statement_not_run(&e.to_string()));
                }
            }
            Ok(None) => {}
            Err(e) => return store_failed(runner, &texts::statement_not_run(&e.to_string())),
        }
        let step = runner.run_parsed(source, piece, parsed, true);
        // After a failed save the next transaction reads the file again (see `Synced`).
        let (dirty, entries) = runner.take_changes();
        match txn.commit(dirty.then_some(&runner.world), entries) {
            Ok(()) => step,
            Err(e) => store_failed(runner, &texts::change_not_saved(&e.to_string())),
        }
    }

    /// Takes the world from its file when another process saved it since (read without the
    /// lock; a file that cannot be read changes nothing here: the statement's transaction says
    /// so).
    fn catch_up(&mut self) {
        if let Some(synced) = self.synced.as_mut()
            && let Ok(Some(newer)) = synced.newer()
        {
            // A pending failure is explained from the world it failed in.
            self.runner.settle_failure();
            let _ = synced.apply(newer, &mut self.runner.world);
        }
    }

    /// At a clean exit the journal is taken into one snapshot, so that the next process reads
    /// no journal (a failure here leaves the journal, which is as good).
    fn compact(&mut self) {
        if let Some(synced) = self.synced.as_mut()
            && synced.journal_records() > 0
        {
            let _ = synced.compact(&mut self.runner.world);
        }
    }

    /// Asks the confirmation until it gets yes or no; Ctrl-C and Ctrl-D count as no.
    fn confirm(editor: &mut ShellEditor, typed: &str) -> bool {
        if let Some(h) = editor.helper_mut() {
            h.confirming.set(true);
        }
        let answer = loop {
            match editor.readline(&texts::confirm_prompt(typed)) {
                Ok(line) => match texts::confirm_answer(&line) {
                    Some(yes) => break yes,
                    None => continue,
                },
                Err(_) => break false,
            }
        };
        if let Some(h) = editor.helper_mut() {
            h.confirming.set(false);
        }
        answer
    }

    /// Gives completion the names of the world in memory, and where to look for newer ones.
    fn refresh_vocabulary(&self, editor: &ShellEditor) {
        if let Some(h) = editor.helper() {
            *h.vocabulary.borrow_mut() = Vocabulary::of(&self.runner.world, &self.runner.session);
            *h.live.borrow_mut() = self.synced.as_ref().map(|synced| LiveWorld {
                store: synced.store().clone(),
                session: self.runner.session.clone(),
                seen: synced.seen(),
            });
        }
    }

    /// Runs the shell until `quit;`, Ctrl-D, end of input or output that can no longer be
    /// written; gives the process exit code (0, or 2 when the terminal or a write failed).
    pub fn run(mut self) -> ExitCode {
        let ended = self.read_and_run();
        self.compact();
        match ended {
            Ok(()) => self.runner.printer.console.finish(0),
            // The reader of a piped standard output went away: nothing more to say.
            Err(ReadlineError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.runner.printer.console.finish(0)
            }
            Err(e) => {
                self.runner
                    .printer
                    .console
                    .line(&texts::terminal_failed(&e.to_string()));
                self.runner.printer.console.finish(EXIT_USAGE)
            }
        }
    }

    fn read_and_run(&mut self) -> Result<(), ReadlineError> {
        // List completion, as bash and odpscmd's JLine do: Tab completes the common prefix, a
        // second Tab lists the candidates.
        let config = Config::builder()
            .auto_add_history(false)
            .completion_type(CompletionType::List)
            .build();
        let mut editor: ShellEditor = Editor::with_config(config)?;
        editor.set_helper(Some(ShellHelper::default()));
        let unfinished = Arc::new(AtomicBool::new(false));
        editor.bind_sequence(
            KeyEvent::ctrl('D'),
            EventHandler::Conditional(Box::new(LeaveUnfinished(unfinished.clone()))),
        );
        if let Some(path) = &self.history {
            let _ = editor.load_history(path);
        }
        self.runner
            .write_err(&texts::banner(env!("CARGO_PKG_VERSION")));
        self.refresh_vocabulary(&editor);
        loop {
            let prompt = texts::prompt(&self.runner.session.project);
            // Everything the last input printed is out before the prompt asks for more.
            self.runner.flush();
            // Output no one can read any more: the statements that ran are saved; stop here.
            if self.runner.printer.console.broken() {
                break;
            }
            let input = match editor.readline(&prompt) {
                Ok(input) => input,
                Err(ReadlineError::Interrupted) if unfinished.swap(false, Ordering::SeqCst) => {
                    self.runner.write_err(texts::UNFINISHED_NOT_RUN);
                    break;
                }
                Err(ReadlineError::Interrupted) => continue,
                Err(ReadlineError::Eof) => break,
                Err(e) => return Err(e),
            };
            if input.trim().is_empty() {
                continue;
            }
            // A word alone on the line, as psql and odpscmd users type it: leave or help.
            match texts::lone_word(&input) {
                Some(texts::LoneWord::Leave) => break,
                Some(texts::LoneWord::Help) => {
                    let _ = editor.add_history_entry(input.trim());
                    let help = super::help::answer(&crate::syntax::HelpRequest { words: vec![] });
                    self.runner.write_out(&help);
                    continue;
                }
                None => {}
            }
            // The history keeps the statement, never its secret (a login's, a password).
            let _ = editor.add_history_entry(masked(&input).as_ref());
            if let Some(path) = &self.history {
                if let Some(dir) = path.parent() {
                    let _ = std::fs::create_dir_all(dir);
                }
                // Appended (under the history file's own lock), not rewritten: shells open side
                // by side keep each other's lines.
                let _ = editor.append_history(path);
            }
            let mut quit = false;
            for piece in split(&input) {
                let parsed = parse_input(&piece);
                // Only a statement that would run asks: one that fails anyway just fails. It is
                // tried on the world as the file has it now (another shell may have changed it).
                let confirmable = parsed.as_ref().is_ok_and(Input::asks_confirmation);
                if confirmable {
                    self.catch_up();
                }
                let asks = confirmable && parsed.as_ref().is_ok_and(|p| self.runner.would_run(p));
                if asks {
                    self.runner.flush();
                    if !Self::confirm(&mut editor, &masked(piece.typed)) {
                        continue;
                    }
                }
                match self.run_in_transaction(&input, &piece, parsed) {
                    Step::Quit => {
                        quit = true;
                        break;
                    }
                    Step::Failed => {
                        // At a terminal, the session's first failure says where to learn why.
                        if !std::mem::replace(&mut self.hinted, true) {
                            self.runner.write_err(texts::EXPLAIN_HINT);
                        }
                        break;
                    }
                    Step::Done => {}
                }
            }
            if quit {
                break;
            }
            self.refresh_vocabulary(&editor);
        }
        self.runner.write_err("\n");
        self.runner.flush();
        Ok(())
    }
}

/// Reports a problem with the world file; the statement counts as failed.
fn store_failed(runner: &mut Runner, text: &str) -> Step {
    runner.write_err(text);
    Step::Failed
}

/// The session a shell starts with, for the given starting project.
pub fn starting_session(runner_world: &crate::world::World, project: Option<&str>) -> Session {
    let project = project.unwrap_or(crate::world::DEFAULT_PROJECT);
    Session::new(
        crate::world::PrincipalId::Account(runner_world.home),
        project,
    )
}
