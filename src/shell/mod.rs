//! Terminals and files: the command line, the interactive shell and the script runner.

pub mod console;
pub mod helper;
mod observer;
mod printer;
pub mod repl;
pub mod runner;
pub mod script;
pub mod teach_commands;
pub mod texts;
pub mod tutorial;
pub mod world_files;

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::engine;
use crate::render::Format;
use crate::store::{self, Store, StoreError, Synced};
use crate::world::World;

use console::Console;
pub(crate) use console::stderr_line;
use runner::Runner;
use script::{OnFailure, run_script};

/// odpsh: practise MaxCompute (ODPS) security administration offline.
#[derive(Debug, Parser)]
#[command(name = "odpsh", version, about, long_about = None)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Run these statements, stopping at the first failure (exit 1).
    #[arg(short = 'e', value_name = "STATEMENTS", conflicts_with = "file")]
    pub execute: Option<String>,
    /// Run the statements of FILE, stopping at the first failure (exit 1).
    #[arg(short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Start from the built-in default world and save nothing.
    #[arg(long, global = true, conflicts_with = "state")]
    pub fresh: bool,
    /// Load and save the world at PATH (default: world.json in the user data directory, or in
    /// $ODPSH_HOME).
    #[arg(long, global = true, value_name = "PATH")]
    pub state: Option<PathBuf>,
    /// Print each statement after its prompt before its output, like a session transcript
    /// (text format only).
    #[arg(long)]
    pub echo: bool,
    /// Start in this project.
    #[arg(long, global = true, value_name = "NAME")]
    pub project: Option<String>,
    /// Act as the owner of this AccessKey (as odpscmd's -u); needs -p.
    #[arg(
        short = 'u',
        long = "username",
        global = true,
        value_name = "ACCESS_ID",
        requires = "secret"
    )]
    pub access_id: Option<String>,
    /// The AccessKey secret for -u (as odpscmd's -p).
    #[arg(
        short = 'p',
        long = "password",
        global = true,
        value_name = "SECRET",
        requires = "access_id"
    )]
    pub secret: Option<String>,
    /// Output format: what odpscmd prints, or one JSON record per statement (for check: the
    /// report as one JSON document).
    #[arg(long, global = true, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// When to colour output: only on a terminal (auto, honouring NO_COLOR), always, or never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Text,
    Json,
    Ndjson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    Zh,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage the saved world as a file.
    World {
        #[command(subcommand)]
        action: WorldAction,
    },
    /// Check a script before it runs: its failures and hazards, by line
    ///
    /// Runs the script on a scratch copy of the world (the saved one, or the default with
    /// --fresh) and reports each statement that would fail and each hazard, with its line and
    /// the statements that avoid it. Changes nothing. Exit 0 when clean, 1 when it found
    /// failures or hazards.
    Check {
        /// The script to check.
        file: PathBuf,
    },
    /// Print (or run) the statements that remove a RAM user everywhere, in the right order
    ///
    /// Roles and ACL grants in every project, membership, the DataWorks member list, then the
    /// AccessKeys, console log-on, policies and the RAM user. With --run, run them after asking
    /// once, in one store transaction.
    Offboard {
        /// The RAM user: its name, RAM$<account>:<name>, or p4_<UserId>.
        user: String,
        /// Run the plan after asking once (needs --yes when standard input is not a terminal).
        #[arg(long)]
        run: bool,
        /// Run without asking.
        #[arg(long, requires = "run")]
        yes: bool,
    },
    /// The lessons of seeds 000, 002 and 004, step by step
    ///
    /// Create a RAM user, give it an AccessKey and a policy, add it to a project with a role,
    /// then off-board it wrongly and rightly. Reads answers from a terminal or a pipe; always
    /// starts from the default world and saves nothing.
    Tutorial {
        /// The lessons' language (default: from LC_ALL, LC_MESSAGES or LANG).
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Serve the world over the MaxCompute REST API (for PyODPS and the Java SDK).
    Serve(ServeArgs),
}

/// The flags of `odpsh serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// The address to listen on (port 0: any free port); the endpoint is printed.
    #[arg(long, value_name = "ADDR:PORT", default_value = DEFAULT_BIND)]
    pub bind: std::net::SocketAddr,
    /// The region V4-signed requests must be scoped to (default: the region of the world's
    /// endpoint, cn-hangzhou in the default world).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Refuse every request with a body but no Content-MD5 header (without it, a request's
    /// body is covered by its signature only when the client sends Content-MD5).
    #[arg(long)]
    pub require_content_md5: bool,
    /// Seconds a request's head (and then its body) may take to arrive.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_read_timeout: u64,
    /// Seconds a kept-alive connection may wait for its next request.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub idle_timeout: u64,
    /// Connections held at once (kept below the open-file limit); one more is answered 503.
    #[arg(long, value_name = "N", default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_connections: u64,
}

impl ServeArgs {
    fn options(&self) -> crate::server::Options {
        use std::time::Duration;
        crate::server::Options {
            region: self.region.clone(),
            require_content_md5: self.require_content_md5,
            limits: crate::server::connection::Limits {
                header_read_timeout: Duration::from_secs(self.header_read_timeout),
                idle_timeout: Duration::from_secs(self.idle_timeout),
                max_connections: usize::try_from(self.max_connections).unwrap_or(usize::MAX),
            },
        }
    }
}

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

#[derive(Debug, Subcommand)]
pub enum WorldAction {
    /// Write the world as JSON to PATH, or to standard output.
    Export { path: Option<PathBuf> },
    /// Replace the saved world with the world in PATH (checked first; nothing changes if it is bad).
    Import { path: PathBuf },
    /// Replace the saved world with the built-in default world.
    Reset,
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

fn history_path() -> Option<PathBuf> {
    store::data_dir().map(|d| d.join("history.txt"))
}

/// A runner over `world` for these arguments, writing to `console`.
pub(crate) fn new_runner(world: World, args: &Args, console: Console) -> Runner {
    let session = repl::starting_session(&world, args.project.as_deref());
    let mut runner = Runner::new(world, session, console);
    runner.printer.echo = args.echo;
    if let (Some(id), Some(secret)) = (&args.access_id, &args.secret) {
        runner.session.credentials = Some(engine::Credentials {
            access_key_id: id.clone(),
            secret: secret.clone(),
        });
    }
    runner.printer.format = match args.format {
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
        let world = match &store {
            Some(s) => s.load()?,
            None => store::builtin_world(),
        };
        Ok((lock, world))
    });
    let (_lock, world) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            report_store_error(&mut console, &e, args);
            return console.finish(EXIT_USAGE);
        }
    };
    let mut runner = new_runner(world, args, console);
    let failed = match runner.check_start() {
        Some(text) => {
            runner.printer.console.failure(&text);
            true
        }
        None => run_script(&mut runner, source, on_failure),
    };
    runner.flush();
    let mut code = if failed { EXIT_FAILED } else { 0 };
    if runner.take_dirty()
        && let Some(s) = &store
        && let Err(e) = s.save(&runner.world)
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
    if let Some(text) = runner.check_start() {
        let project = runner.session.project.clone();
        let message = text
            .trim_end()
            .trim_start_matches(crate::render::FAILED_PREFIX);
        runner.write_err(&crate::render::accessing_project_failed(&project, message));
    }
    // `--fresh` writes no file at all, the history included.
    let history = if args.fresh { None } else { history_path() };
    repl::Repl::new(runner, synced, history).run()
}

/// The whole program, from arguments to exit code.
pub fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(Command::Tutorial { lang }) = &args.command {
        let lang = lang.map(|l| match l {
            LangArg::En => crate::teach::lessons::Lang::En,
            LangArg::Zh => crate::teach::lessons::Lang::Zh,
        });
        return tutorial::run_tutorial(&args, lang);
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
        Some(Command::Check { file }) => {
            return teach_commands::run_check(&args, store.as_ref(), file);
        }
        Some(Command::Offboard { user, run, yes }) => {
            return teach_commands::run_offboard(&args, store, user, *run, *yes);
        }
        Some(Command::Tutorial { .. }) => {}
        None => {}
    }
    let batch = if let Some(text) = &args.execute {
        Some((text.clone(), OnFailure::Stop))
    } else if let Some(path) = &args.file {
        match std::fs::read_to_string(path) {
            Ok(text) => Some((text, OnFailure::Stop)),
            Err(e) => {
                stderr_line(&format!("cannot read {}: {e}", path.display()));
                return ExitCode::from(EXIT_USAGE);
            }
        }
    } else if !std::io::stdin().is_terminal() {
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            stderr_line(&format!("cannot read standard input: {e}"));
            return ExitCode::from(EXIT_USAGE);
        }
        Some((text, OnFailure::Continue))
    } else {
        None
    };
    match batch {
        Some((source, on_failure)) => run_batch(&args, store, &source, on_failure),
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
