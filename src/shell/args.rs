//! The command line: odpsh's own flags and subcommands, and odpscmd's flags that make sense
//! offline (`-u/-p`, `--username=`/`--password=`, `--project`, `--endpoint`, `--config=`, `-k`).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use super::DEFAULT_BIND;
use super::source::EncodingArg;

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
    /// The security token of an STS credential given with -u/-p (as odpscmd's --sts-token):
    /// act as the RAM role it was issued for.
    #[arg(
        long = "sts-token",
        global = true,
        value_name = "TOKEN",
        requires = "access_id"
    )]
    pub sts_token: Option<String>,
    /// Output format: what odpscmd prints, or one JSON record per statement (for check: the
    /// report as one JSON document). Default: text. For `graph`: dot (the default), mermaid,
    /// svg or json.
    #[arg(long = "format", global = true, value_enum, value_name = "FORMAT")]
    pub format_arg: Option<FormatWord>,
    /// When to colour output: only on a terminal (auto, honouring NO_COLOR), always, or never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Read scripts (-f, check FILE, standard input) in this encoding (default: UTF-8, or
    /// GB18030 when the script is not UTF-8 but is valid GB18030; a UTF-8 BOM is skipped).
    #[arg(long, global = true, value_enum, value_name = "ENCODING")]
    pub encoding: Option<EncodingArg>,
    /// Keep the interactive shell's history in PATH (default: beside the --state file, or in
    /// the user data directory; --fresh keeps none).
    #[arg(long, value_name = "PATH", conflicts_with = "fresh")]
    pub history: Option<PathBuf>,
    /// Read odpscmd's odps_config.ini: project_name, access_id, access_key and end_point (other
    /// keys are accepted and listed as ignored); flags given on the command line win.
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// The endpoint whoami shows (as odpscmd's --endpoint; nothing is contacted).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint: Option<String>,
    /// The client address statements come from, as a policy's acs:SourceIp condition reads it
    /// (default 127.0.0.1).
    #[arg(long = "source-ip", global = true, value_name = "ADDR")]
    pub source_ip: Option<std::net::IpAddr>,
    /// Start at statement N of the -e or -f text, skipping the ones before it (as odpscmd's -k).
    #[arg(short = 'k', value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub skip_to: Option<u64>,
}

impl Args {
    /// The output format of statements and reports (text unless --format says otherwise; a
    /// graph-only format is refused before anything runs, see [`Args::misplaced_format`]).
    pub fn format(&self) -> FormatArg {
        match self.format_arg {
            Some(FormatWord::Json) => FormatArg::Json,
            Some(FormatWord::Ndjson) => FormatArg::Ndjson,
            _ => FormatArg::Text,
        }
    }

    /// The format `odpsh graph` draws in (dot unless --format says otherwise); `None` for a
    /// format that draws no graph (text).
    pub fn graph_format(&self) -> Option<GraphFormat> {
        match self.format_arg {
            None | Some(FormatWord::Dot) => Some(GraphFormat::Dot),
            Some(FormatWord::Mermaid) => Some(GraphFormat::Mermaid),
            Some(FormatWord::Svg) => Some(GraphFormat::Svg),
            Some(FormatWord::Json) => Some(GraphFormat::Json),
            Some(FormatWord::Ndjson) => Some(GraphFormat::Ndjson),
            Some(FormatWord::Text) => None,
        }
    }

    /// The `--format` word when it does not fit the command: a graph format for anything but
    /// `graph`, or `text` for `graph`.
    pub fn misplaced_format(&self) -> Option<&'static str> {
        let graph = matches!(self.command, Some(Command::Graph(_)));
        match self.format_arg? {
            FormatWord::Dot if !graph => Some("dot"),
            FormatWord::Mermaid if !graph => Some("mermaid"),
            FormatWord::Svg if !graph => Some("svg"),
            FormatWord::Text if graph => Some("text"),
            _ => None,
        }
    }
}

/// The words `--format` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatWord {
    Text,
    Json,
    Ndjson,
    /// Graphviz DOT (graph only).
    Dot,
    /// A Mermaid flowchart (graph only).
    Mermaid,
    /// An SVG picture (graph only).
    Svg,
}

/// How statements and reports print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatArg {
    Text,
    Json,
    Ndjson,
}

/// How `odpsh graph` draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    Svg,
    Json,
    /// JSON on one line.
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
        /// Print instead the change set the script makes to the world: the statements that
        /// take the world to the one after the script (as `odpsh diff` prints them).
        #[arg(long)]
        diff: bool,
    },
    /// Build the saved world from captures of a real project (what odpscmd and aliyun print)
    ///
    /// Reads the output of the statements `odpsh capture-script` runs (session transcripts
    /// with odpscmd prompts, CRLF and comments included) and the JSON of the aliyun RAM
    /// listings; prints what it built, could not infer and assumed. A line it cannot read is
    /// reported as FILE:LINE and nothing is written.
    Import {
        /// The capture files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print what to run on the real side so that odpsh import can rebuild the project
    ///
    /// A POSIX shell script that runs the capture's statements with odpscmd and its aliyun RAM
    /// listings, saving their output as odpsh import reads it. It asks for no secret and writes
    /// none.
    CaptureScript {
        /// The projects to capture, besides --project (default: the saved world's projects).
        #[arg(value_name = "PROJECT")]
        projects: Vec<String>,
        /// Print instead the capture's statements for the saved world (its roles and members
        /// filled in), to run with `odpsh --echo -f`.
        #[arg(long)]
        statements: bool,
    },
    /// Print the statements that take world A to world B, in an order that leaves no residual
    ///
    /// A and B are state files, JSON exports or captures. Each statement is followed by a
    /// comment saying what it changes. Exit 0 when the worlds are equal, 1 when they differ.
    Diff {
        /// The world before.
        a: PathBuf,
        /// The world after.
        b: PathBuf,
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
        /// Start at this step (its earlier steps are done for you), to resume where you stopped.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        step: Option<u32>,
    },
    /// Serve the world over the MaxCompute REST API (for PyODPS and the Java SDK).
    Serve(ServeArgs),
    /// Draw the access graph: accounts, RAM users, members, roles, grants and objects
    ///
    /// Reads the saved world (or the default one with --fresh) and changes nothing. Residual
    /// p4_ members, high-risk policies, active keys of users in no project and denies stand
    /// out. --project draws one project; --focus keeps only what reaches or is reached from
    /// one principal, role or table; --format picks dot (default), mermaid, svg or json.
    Graph(GraphArgs),
}

/// The flags of `odpsh graph` (with the global --project and --format).
#[derive(Debug, Clone, clap::Args)]
pub struct GraphArgs {
    /// Keep only what reaches or is reached from this node: a principal (RAM$acct:user, a RAM
    /// user's name, p4_<uid>), a role, a table, or a node id.
    #[arg(long, value_name = "NAME")]
    pub focus: Option<String>,
    /// Draw the difference between two worlds (state files or `world export` JSON): what B
    /// adds, what it removes, and what it draws differently, coloured.
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    pub diff: Option<Vec<PathBuf>>,
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
    /// Serve the live access graph at /ui (read-only; needs the token printed at start-up, or
    /// the main account's AccessKey).
    #[arg(long)]
    pub ui: bool,
    /// Connections held at once (kept below the open-file limit); one more is answered 503.
    #[arg(long, value_name = "N", default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_connections: u64,
}

impl ServeArgs {
    pub(crate) fn options(&self) -> crate::server::Options {
        use std::time::Duration;
        crate::server::Options {
            region: self.region.clone(),
            require_content_md5: self.require_content_md5,
            ui: self.ui,
            limits: crate::server::connection::Limits {
                header_read_timeout: Duration::from_secs(self.header_read_timeout),
                idle_timeout: Duration::from_secs(self.idle_timeout),
                max_connections: usize::try_from(self.max_connections).unwrap_or(usize::MAX),
            },
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
