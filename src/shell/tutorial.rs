//! `odpsh tutorial [--lang zh|en]`: the lessons of `teach::tutorial`, read from a terminal or
//! from a pipe (one answer after another, so a transcript test can drive it). It always starts
//! from the built-in default world and saves nothing.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{CompletionType, Config, Editor};

use crate::render::Format;
use crate::store;
use crate::syntax::{Input, is_complete, parse_input, split};
use crate::teach::lessons::{Attempt, Lang, STEP_COUNT};
use crate::teach::tutorial::{Tutorial, Verdict};

use super::console::Console;
use super::helper::{ShellHelper, Vocabulary};
use super::runner::{Runner, Step};
use super::{Args, EXIT_FAILED, EXIT_USAGE, texts};

/// Where the learner's answers come from.
trait Answers {
    /// The next input (one or more statements); `None` at the end.
    fn next(&mut self, prompt: &str) -> Option<String>;
    /// Asks the shell's confirmation for a statement that needs it.
    fn confirm(&mut self, typed: &str) -> bool;
    /// Tells completion the names of the world as it is now (as the shell does).
    fn refresh(&mut self, _runner: &Runner) {}
}

/// Answers piped in: lines gathered until they hold complete statements; comments and blank
/// lines are skipped. Nothing is asked.
struct Piped<R: BufRead> {
    lines: std::io::Lines<R>,
}

impl<R: BufRead> Answers for Piped<R> {
    fn next(&mut self, _prompt: &str) -> Option<String> {
        let mut text = String::new();
        loop {
            match self.lines.next() {
                Some(Ok(line)) => {
                    text.push_str(&line);
                    text.push('\n');
                    if !split(&text).is_empty() && is_complete(&text) {
                        return Some(text);
                    }
                }
                _ => return (!split(&text).is_empty()).then_some(text),
            }
        }
    }

    fn confirm(&mut self, _typed: &str) -> bool {
        true
    }
}

/// Answers typed at a terminal, with the shell's line editor.
struct Typed {
    editor: Editor<ShellHelper, DefaultHistory>,
}

impl Answers for Typed {
    fn refresh(&mut self, runner: &Runner) {
        if let Some(h) = self.editor.helper() {
            *h.vocabulary.borrow_mut() = Vocabulary::of(&runner.world, &runner.session);
        }
    }

    fn next(&mut self, prompt: &str) -> Option<String> {
        loop {
            match self.editor.readline(prompt) {
                Ok(line) if line.trim().is_empty() => continue,
                // A word alone on the line, as at the shell's prompt.
                Ok(line) => match texts::lone_word(&line) {
                    Some(texts::LoneWord::Leave) => return None,
                    Some(texts::LoneWord::Help) => return Some("help;".to_string()),
                    None => return Some(line),
                },
                Err(ReadlineError::Interrupted) => continue,
                Err(_) => return None,
            }
        }
    }

    fn confirm(&mut self, typed: &str) -> bool {
        if let Some(h) = self.editor.helper_mut() {
            h.confirming.set(true);
        }
        let answer = loop {
            match self.editor.readline(&texts::confirm_prompt(typed)) {
                Ok(line) => match texts::confirm_answer(&line) {
                    Some(yes) => break yes,
                    None => continue,
                },
                Err(_) => break false,
            }
        };
        if let Some(h) = self.editor.helper_mut() {
            h.confirming.set(false);
        }
        answer
    }
}

/// Shows the current step (its lesson, the statements odpsh runs first, the instruction) and
/// moves past steps the learner already did. False when the tutorial is over.
fn show(tutorial: &mut Tutorial, runner: &mut Runner) -> bool {
    loop {
        let Some(prompt) = tutorial.prompt(&runner.world) else {
            return false;
        };
        if let Some(lesson) = &prompt.lesson {
            runner.write_out(lesson);
        }
        if !prompt.setup.is_empty() {
            runner.write_out(&format!("\n{}\n", prompt.setup_heading));
            let echo = std::mem::replace(&mut runner.printer.echo, true);
            for piece in split(prompt.setup) {
                runner.run_piece(prompt.setup, &piece, false);
            }
            runner.printer.echo = echo;
        }
        runner.write_out(&prompt.instruction);
        match tutorial.settled(&runner.world) {
            Some(done) => runner.write_out(&done),
            None => return true,
        }
    }
}

/// Does the steps before the 0-based step `to` for the learner (their setup, and a statement
/// that does each, echoed), so that `--step N` resumes where the learner stopped.
fn fast_forward(tutorial: &mut Tutorial, runner: &mut Runner, to: usize) {
    if to == 0 {
        return;
    }
    runner.write_out(&format!("\n{}\n", tutorial.skipping(to)));
    let echo = std::mem::replace(&mut runner.printer.echo, true);
    while tutorial.step() < to {
        let Some(prompt) = tutorial.prompt(&runner.world) else {
            break;
        };
        let Some(solution) = tutorial.solution(&runner.world) else {
            break;
        };
        let text = format!("{}{solution}\n", prompt.setup);
        for piece in split(&text) {
            // A learning statement changes nothing: the steps after it do not need it.
            if parse_input(&piece).is_ok_and(|i| matches!(i, Input::Teach(_))) {
                continue;
            }
            runner.run_piece(&text, &piece, false);
        }
        tutorial.skip(&runner.world);
    }
    runner.printer.echo = echo;
}

/// Runs the tutorial; 0 when the learner reached its end, 1 when it stopped before.
fn walk(
    mut tutorial: Tutorial,
    runner: &mut Runner,
    answers: &mut dyn Answers,
    tty: bool,
    start: usize,
) -> u8 {
    runner.write_out(&tutorial.welcome());
    fast_forward(&mut tutorial, runner, start);
    if !show(&mut tutorial, runner) {
        return 0;
    }
    loop {
        let prompt = texts::prompt(&runner.session.project);
        // What the tutorial said is out before it waits for an answer.
        runner.flush();
        answers.refresh(runner);
        // No one can read the lessons any more: the tutorial stops before its end.
        if runner.printer.console.broken() {
            return EXIT_FAILED;
        }
        let Some(input) = answers.next(&prompt) else {
            runner.write_out(&format!("\n{}", tutorial.stopped()));
            return EXIT_FAILED;
        };
        for piece in split(&input) {
            let parsed = parse_input(&piece);
            if tty && parsed.as_ref().is_ok_and(Input::asks_confirmation) {
                runner.flush();
                if !answers.confirm(&crate::syntax::masked(piece.typed)) {
                    continue;
                }
            }
            tutorial.before(&runner.world);
            let judged = parsed.as_ref().ok().cloned();
            let step = runner.run_parsed(&input, &piece, parsed, tty);
            if step == Step::Quit {
                runner.write_out(&format!("\n{}", tutorial.stopped()));
                return EXIT_FAILED;
            }
            let attempt = Attempt {
                input: judged.as_ref(),
                ok: step == Step::Done,
            };
            match tutorial.judge(&runner.world, &attempt) {
                Some(Verdict::Done(text)) => {
                    runner.write_out(&text);
                    if !show(&mut tutorial, runner) {
                        runner.write_out(&format!("\n{}", tutorial.farewell()));
                        return 0;
                    }
                }
                Some(Verdict::NotYet(hint)) => runner.write_out(&hint),
                Some(Verdict::Spoiled(text, world)) => {
                    runner.world = *world;
                    runner.write_out(&text);
                }
                None => return 0,
            }
        }
    }
}

/// The flags `odpsh tutorial` does not take (it starts from the default world, saves
/// nothing, prints text and acts as the main account), as the command line names them.
fn refused_flags(args: &Args) -> Vec<&'static str> {
    [
        (args.state.is_some(), "--state"),
        (args.format_arg.is_some(), "--format"),
        (args.project.is_some(), "--project"),
        (args.access_id.is_some() || args.secret.is_some(), "-u/-p"),
        (args.config.is_some(), "--config"),
        (args.endpoint.is_some(), "--endpoint"),
        (args.execute.is_some(), "-e"),
        (args.file.is_some(), "-f"),
        (args.skip_to.is_some(), "-k"),
        (args.history.is_some(), "--history"),
    ]
    .into_iter()
    .filter_map(|(given, flag)| given.then_some(flag))
    .collect()
}

/// `odpsh tutorial [--lang zh|en] [--step N]`.
pub fn run_tutorial(args: &Args, lang: Option<Lang>, step: Option<u32>) -> ExitCode {
    let refused = refused_flags(args);
    if !refused.is_empty() {
        super::stderr_line(&texts::tutorial_refuses(&refused));
        return ExitCode::from(EXIT_USAGE);
    }
    let start = step.map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX) - 1);
    if start >= STEP_COUNT {
        super::stderr_line(&texts::tutorial_has_steps(STEP_COUNT));
        return ExitCode::from(EXIT_USAGE);
    }
    let lang = lang.unwrap_or_else(|| {
        let var = |name| std::env::var(name).ok();
        Lang::from_locale(
            var("LC_ALL").as_deref(),
            var("LC_MESSAGES").as_deref(),
            var("LANG").as_deref(),
        )
    });
    let tty = std::io::stdin().is_terminal();
    let mut runner = super::new_runner(store::builtin_world(), args, Console::standard());
    runner.printer.format = Format::Text;
    runner.printer.echo = !tty;
    let tutorial = Tutorial::new(lang);
    let code = if tty {
        let config = Config::builder()
            .auto_add_history(true)
            .completion_type(CompletionType::List)
            .build();
        let mut editor: Editor<ShellHelper, DefaultHistory> = match Editor::with_config(config) {
            Ok(e) => e,
            Err(e) => {
                runner
                    .printer
                    .console
                    .line(&texts::terminal_failed(&e.to_string()));
                return runner.printer.console.finish(EXIT_USAGE);
            }
        };
        editor.set_helper(Some(ShellHelper::default()));
        walk(tutorial, &mut runner, &mut Typed { editor }, true, start)
    } else {
        let stdin = std::io::stdin();
        let mut piped = Piped {
            lines: stdin.lock().lines(),
        };
        walk(tutorial, &mut runner, &mut piped, false, start)
    };
    runner.printer.console.finish(code)
}
