//! The interactive shell: prompt, multi-line input until `;`, confirmation of `drop`/`delete`/
//! `remove`, history, completion; one store transaction per statement, none while idle.

use std::path::PathBuf;

use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{CompletionType, Config, Editor};

use crate::engine::Session;
use crate::store::{Store, Synced};
use crate::syntax::{Piece, split};

use super::helper::{ShellHelper, Vocabulary};
use super::runner::{Runner, Step};
use super::texts;

pub struct Repl {
    pub runner: Runner,
    /// The world file, kept in step statement by statement; `None` with `--fresh`.
    synced: Option<Synced>,
    pub history: Option<PathBuf>,
}

type ShellEditor = Editor<ShellHelper, DefaultHistory>;

impl Repl {
    pub fn new(runner: Runner, store: Option<Store>, history: Option<PathBuf>) -> Self {
        Repl {
            runner,
            synced: store.map(Synced::new),
            history,
        }
    }

    /// Runs one statement inside its own store transaction (see [`Synced`]).
    fn run_in_transaction(&mut self, source: &str, piece: &Piece<'_>) -> Step {
        let Some(synced) = self.synced.as_mut() else {
            return self.runner.run_piece(source, piece, true);
        };
        let runner = &mut self.runner;
        let result = (|| {
            let mut txn = synced.begin()?;
            if let Some(world) = txn.reload()? {
                runner.world = world;
            }
            let step = runner.run_piece(source, piece, true);
            txn.commit(runner.take_dirty().then_some(&runner.world))?;
            Ok::<Step, crate::store::StoreError>(step)
        })();
        result.unwrap_or_else(|e| {
            self.runner.write_err(&format!("odpsh: {e}\n"));
            Step::Failed
        })
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

    fn refresh_vocabulary(&self, editor: &ShellEditor) {
        if let Some(h) = editor.helper() {
            *h.vocabulary.borrow_mut() = Vocabulary::of(&self.runner.world, &self.runner.session);
        }
    }

    /// Runs the shell until `quit;`, Ctrl-D or end of input. Returns the process exit code (0).
    pub fn run(mut self) -> Result<(), ReadlineError> {
        // List completion, as bash and odpscmd's JLine do: Tab completes the common prefix, a
        // second Tab lists the candidates.
        let config = Config::builder()
            .auto_add_history(false)
            .completion_type(CompletionType::List)
            .build();
        let mut editor: ShellEditor = Editor::with_config(config)?;
        editor.set_helper(Some(ShellHelper::default()));
        if let Some(path) = &self.history {
            let _ = editor.load_history(path);
        }
        self.runner
            .write_err(&texts::banner(env!("CARGO_PKG_VERSION")));
        self.refresh_vocabulary(&editor);
        loop {
            let prompt = texts::prompt(&self.runner.session.project);
            let input = match editor.readline(&prompt) {
                Ok(input) => input,
                Err(ReadlineError::Interrupted) => continue,
                Err(ReadlineError::Eof) => break,
                Err(e) => return Err(e),
            };
            if input.trim().is_empty() {
                continue;
            }
            // An input that logs in carries a secret: it stays out of the history file.
            let has_secret = split(&input).iter().any(|p| texts::carries_secret(p.body));
            if !has_secret {
                let _ = editor.add_history_entry(input.as_str());
            }
            if let Some(path) = &self.history {
                if let Some(dir) = path.parent() {
                    let _ = std::fs::create_dir_all(dir);
                }
                let _ = editor.save_history(path);
            }
            let mut quit = false;
            for piece in split(&input) {
                if texts::needs_confirmation(piece.typed)
                    && !Self::confirm(&mut editor, piece.typed)
                {
                    continue;
                }
                match self.run_in_transaction(&input, &piece) {
                    Step::Quit => {
                        quit = true;
                        break;
                    }
                    Step::Failed => break,
                    Step::Done => {}
                }
            }
            if quit {
                break;
            }
            self.refresh_vocabulary(&editor);
        }
        self.runner.write_err("\n");
        Ok(())
    }
}

/// The session a shell starts with, for the given starting project.
pub fn starting_session(runner_world: &crate::world::World, project: Option<&str>) -> Session {
    let project = project.unwrap_or(crate::world::DEFAULT_PROJECT);
    Session::new(
        crate::world::PrincipalId::Account(runner_world.home),
        project,
    )
}
