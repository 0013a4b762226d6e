//! Terminals and files: the command line, the interactive shell and the script runner.

pub mod args;
mod capture_commands;
pub mod completion;
pub mod console;
pub mod graph;
pub mod help;
pub mod helper;
mod observer;
pub mod odps_config;
mod printer;
pub mod progress;
pub mod repl;
pub mod runner;
pub mod script;
pub mod source;
pub mod suggest;
pub mod teach_commands;
pub mod texts;
pub mod tutorial;
pub mod world_files;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::engine;
use crate::render::Format;
use crate::store::{self, Store, StoreError, Synced};
use crate::world::World;

pub use args::{
    Args, ColorArg, Command, FormatArg, FormatWord, GraphArgs, GraphFormat, LangArg, ServeArgs,
    WorldAction,
};
use console::Console;
pub(crate) use console::stderr_line;
use runner::{Runner, Start};
use script::{OnFailure, run_script_from};

/// Where `odpsh serve` listens unless told otherwise: loopback only.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// `odpsh serve`: binds, prints the endpoint, answers until killed. A reader that closed the
/// pipe after the endpoint line changes nothing; an endpoint line that could not be written
/// stops the server (exit 2), since no one could learn where it listens.
fn serve(serve: &ServeArgs, store: Option<Store>, args: &Args) -> ExitCode {
    let mut console = Console::standard();
    let world = match &store {
        Some(s) => s.path().display().to_string(),
        None => "in memory only (--fresh)".to_string(),
    };
    let server = match crate::server::bind(serve.bind, store, serve.options()) {
        Ok(server) => server,
        Err(crate::server::ServeError::Store(e)) => {
            report_store_error(&mut console, &e, args);
            return console.finish(EXIT_USAGE);
        }
        Err(e) => {
            console.line(&e.to_string());
            return console.finish(EXIT_USAGE);
        }
    };
    match server.endpoint() {
        Ok(endpoint) => {
            let limits = server.limits();
            let banner =
                texts::serve_banner(&endpoint, &world, server.region(), limits.max_connections);
            console.out(&format!("{banner}\n"));
            if let Some(url) = server.ui_url() {
                console.out(&format!("{}\n", texts::serve_ui_banner(&url)));
            }
            console.flush();
            if console.failed() {
                return console.finish(EXIT_USAGE);
            }
        }
        Err(e) => {
            console.line(&format!("cannot read the bound address: {e}"));
            return console.finish(EXIT_USAGE);
        }
    }
    match server.run() {
        Ok(()) => console.finish(0),
        Err(e) => {
            console.line(&e.to_string());
            console.finish(EXIT_FAILED)
        }
    }
}

/// Whether to colour a stream: `NO_COLOR` (set and not empty) turns `auto` off.
pub fn use_color(choice: ColorArg, is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => is_terminal && no_color.is_none_or(|v| v.is_empty()),
    }
}

/// Exit codes: 0 success, 1 a statement failed, 2 usage, input or state-file problems.
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// Reports a problem with the world file; when odpsh refused to load it, says that it is left
/// as it is and how to replace it.
pub(crate) fn report_store_error(console: &mut Console, e: &StoreError, args: &Args) {
    console.line(&e.to_string());
    if e.is_refusal() {
        console.line(&texts::refused_world_advice(args.state.as_deref()));
    }
}

/// Where the world lives for these arguments; `None` with `--fresh`.
fn store_for(args: &Args) -> Result<Option<Store>, String> {
    if args.fresh {
        return Ok(None);
    }
    if let Some(path) = &args.state {
        return Ok(Some(Store::new(path.clone())));
    }
    match store::data_dir() {
        Some(dir) => Ok(Some(Store::new(dir.join("world.json")))),
        None => Err(format!(
            "no user data directory is known; pass --state PATH or --fresh, or set {}",
            store::HOME_ENV
        )),
    }
}

/// Where the interactive shell keeps its history: `--history PATH`; beside the `--state`
/// file (`<PATH>.history`); else `history.txt` in the data directory. `--fresh` keeps none.
fn history_path(args: &Args) -> Option<PathBuf> {
    if args.fresh {
        return None;
    }
    if let Some(path) = &args.history {
        return Some(path.clone());
    }
    if let Some(state) = &args.state {
        let mut name = state.as_os_str().to_owned();
        name.push(".history");
        return Some(PathBuf::from(name));
    }
    store::data_dir().map(|d| d.join("history.txt"))
}

/// The session a command starts in: the starting project, and the `-u/-p` identity (checked
/// when the session starts, see [`Runner::check_start`]).
pub(crate) fn session_for(world: &World, args: &Args) -> engine::Session {
    let mut session = repl::starting_session(world, args.project.as_deref());
    if let (Some(id), Some(secret)) = (&args.access_id, &args.secret) {
        session.credentials = Some(engine::Credentials {
            access_key_id: id.clone(),
            secret: secret.clone(),
            security_token: args.sts_token.clone(),
        });
    }
    session.endpoint = args.endpoint.clone();
    if let Some(ip) = args.source_ip {
        session.source_ip = ip;
    }
    session
}

/// A runner over `world` for these arguments, writing to `console`.
pub(crate) fn new_runner(world: World, args: &Args, console: Console) -> Runner {
    let session = session_for(&world, args);
    let mut runner = Runner::new(world, session, console);
    runner.base_dir = args
        .file
        .as_ref()
        .and_then(|f| f.parent().map(std::path::Path::to_path_buf));
    runner.printer.echo = args.echo;
    runner.printer.format = match args.format() {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Ndjson => Format::Ndjson,
    };
    let no_color = std::env::var_os("NO_COLOR");
    let console = &mut runner.printer.console;
    console.color_out = use_color(
        args.color,
        std::io::stdout().is_terminal(),
        no_color.as_deref(),
    );
    console.color_err = use_color(
        args.color,
        std::io::stderr().is_terminal(),
        no_color.as_deref(),
    );
    colored::control::set_override(console.color_out || console.color_err);
    runner
}

/// Runs a script as one transaction: lock, load once, run, save once. The world is saved even
/// when the output could not be written: the statements ran.
fn run_batch(args: &Args, store: Option<Store>, source: &str, on_failure: OnFailure) -> ExitCode {
    let mut console = Console::standard();
    let lock = store
        .as_ref()
        .map(|s| {
            s.lock_announced(|| {
                console.err(&texts::waiting_for_lock(s.path()));
                console.flush();
            })
        })
        .transpose();
    let loaded = lock.and_then(|lock| {
        let state = match &store {
            Some(s) => Some(s.load_state()?),
            None => None,
        };
        Ok((lock, state))
    });
    let (_lock, state) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            report_store_error(&mut console, &e, args);
            return console.finish(EXIT_USAGE);
        }
    };
    let (world, version) = match state {
        Some(loaded) => (loaded.world, Some((loaded.seen, loaded.journal))),
        None => (store::builtin_world(), None),
    };
    let mut runner = new_runner(world, args, console);
    runner.progress = progress::Progress::new(progress::Progress::wanted(
        args.format() == FormatArg::Text,
        true,
    ));
    let failed = match runner.check_start() {
        Start::Failed(text) => {
            runner.printer.console.failure(&text);
            true
        }
        Start::Inaccessible(text) => {
            runner.write_err(&text);
            run_script_from(&mut runner, source, on_failure, args.skip_to)
        }
        Start::Ready => run_script_from(&mut runner, source, on_failure, args.skip_to),
    };
    runner.flush();
    let mut code = if failed { EXIT_FAILED } else { 0 };
    // A few changes are appended to the journal; more write the world whole.
    let (dirty, entries) = runner.take_changes();
    if dirty
        && let (Some(s), Some((seen, journal))) = (&store, &version)
        && let Err(e) = s.commit_change(*seen, journal, &runner.world, entries)
    {
        report_store_error(&mut runner.printer.console, &e, args);
        code = EXIT_USAGE;
    }
    let exit = runner.printer.console.finish(code);
    // The process ends next: giving a large world back to the allocator piece by piece would
    // only delay the exit (the output is flushed; the lock is released when `_lock` drops).
    std::mem::forget(runner);
    exit
}

/// The interactive shell; an error when the world cannot be loaded (before any prompt).
fn run_interactive(args: &Args, store: Option<Store>) -> ExitCode {
    let mut console = Console::standard();
    // The world and the version of the file it came from, read together: a save by another
    // process after this reading is noticed at the first statement.
    let (world, synced) = match store {
        Some(s) => match Synced::load(s) {
            Ok((synced, world)) => (world, Some(synced)),
            Err(e) => {
                report_store_error(&mut console, &e, args);
                return console.finish(EXIT_USAGE);
            }
        },
        None => (store::builtin_world(), None),
    };
    let mut runner = new_runner(world, args, console);
    match runner.check_start() {
        Start::Ready => {}
        Start::Inaccessible(text) => runner.write_err(&text),
        // As odpscmd at its prompt: the prompt still comes.
        Start::Failed(text) => {
            let project = runner.session.project.clone();
            let message = text
                .trim_end()
                .trim_start_matches(crate::render::FAILED_PREFIX);
            runner.write_err(&crate::render::accessing_project_failed(&project, message));
        }
    }
    // `--fresh` writes no file at all, the history included.
    repl::Repl::new(runner, synced, history_path(args)).run()
}

/// The whole program, from arguments to exit code.
pub fn main() -> ExitCode {
    let mut args = Args::parse();
    if let Some(Command::Tutorial { lang, step }) = &args.command {
        let lang = lang.map(|l| match l {
            LangArg::En => crate::teach::lessons::Lang::En,
            LangArg::Zh => crate::teach::lessons::Lang::Zh,
        });
        return tutorial::run_tutorial(&args, lang, *step);
    }
    match odps_config::apply(&mut args) {
        Ok(Some(note)) => stderr_line(&note),
        Ok(None) => {}
        Err(e) => {
            stderr_line(&e);
            return ExitCode::from(EXIT_USAGE);
        }
    }
    if let Some(word) = args.misplaced_format() {
        stderr_line(&texts::misplaced_format(word));
        return ExitCode::from(EXIT_USAGE);
    }
    let store = match store_for(&args) {
        Ok(s) => s,
        Err(e) => {
            stderr_line(&e);
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match &args.command {
        Some(Command::World { action }) => {
            return world_files::run(action, store.as_ref(), args.state.as_deref());
        }
        Some(Command::Serve(serve_args)) => return serve(serve_args, store, &args),
        Some(Command::Check { file, diff: false }) => {
            return teach_commands::run_check(&args, store.as_ref(), file);
        }
        Some(Command::Graph(graph_args)) => {
            return graph::run_graph(&args, store.as_ref(), graph_args);
        }
        Some(Command::Check { file, diff: true }) => {
            return capture_commands::run_check_diff(&args, store.as_ref(), file);
        }
        Some(Command::Import { files }) => {
            return capture_commands::run_import(&args, store.as_ref(), files);
        }
        Some(Command::CaptureScript {
            projects,
            statements,
        }) => {
            return capture_commands::run_capture_script(
                &args,
                store.as_ref(),
                projects,
                *statements,
            );
        }
        Some(Command::Diff { a, b }) => return capture_commands::run_diff(&args, a, b),
        Some(Command::Offboard { user, run, yes }) => {
            return teach_commands::run_offboard(&args, store, user, *run, *yes);
        }
        Some(Command::Tutorial { .. }) => {}
        None => {}
    }
    let read = if let Some(text) = &args.execute {
        Some(Ok((text.clone(), OnFailure::Stop)))
    } else if let Some(path) = &args.file {
        let text = source::read(source::Origin::File(path), args.encoding);
        Some(text.map(|text| (text, OnFailure::Stop)))
    } else if !std::io::stdin().is_terminal() {
        let text = source::read(source::Origin::Stdin, args.encoding);
        Some(text.map(|text| (text, OnFailure::Continue)))
    } else {
        None
    };
    match read {
        Some(Ok((source, on_failure))) => run_batch(&args, store, &source, on_failure),
        Some(Err(e)) => {
            stderr_line(&e.to_string());
            ExitCode::from(EXIT_USAGE)
        }
        None => run_interactive(&args, store),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Args::command().debug_assert();
    }

    #[test]
    fn colour_only_on_terminals_unless_asked() {
        use std::ffi::OsStr;
        assert!(use_color(ColorArg::Auto, true, None));
        assert!(!use_color(ColorArg::Auto, false, None));
        assert!(!use_color(ColorArg::Auto, true, Some(OsStr::new("1"))));
        assert!(use_color(ColorArg::Auto, true, Some(OsStr::new(""))));
        assert!(use_color(ColorArg::Always, false, Some(OsStr::new("1"))));
        assert!(!use_color(ColorArg::Never, true, None));
    }
}
