//! The load figure of the OpenAPI RPC endpoint of `odpsh serve`, and its comparison with moto in
//! one run on the same IAM-shaped workload (per user: create the user, create a key, attach a
//! policy, detach it, delete the key, delete the user):
//!
//! - the raw-HTTP load generator of this example (kept-alive loopback connections, one thread
//!   each, every request signed: ACS3-HMAC-SHA256 for odpsh's RAM API, AWS SigV4 for moto's
//!   IAM), against `odpsh serve` on a new world file and against `moto_server`;
//! - the same workload through each one's Python SDK (`sdk.py`: the Tea RAM SDK, boto3).
//!
//! moto and the SDKs are installed by this example into `target/openapi-load-venv` (pinned,
//! from PyPI) on first use. Afterwards the saved world must hold none of the load's users (every
//! acknowledged change is on disk). Nothing here asserts a time.
//!
//! ```sh
//! cargo build --release && cargo run --release --example openapi_load -- [--connections 32] [--users 2000] [--sdk-users 200] [--sdk-threads 4] [--seconds 120]
//! cargo run --release --example openapi_load -- --odpsh-only   # no moto, no Python
//! cargo run --release --example openapi_load -- --smoke        # odpsh only, a few users
//! ```

mod http;
mod python;
mod sign;
mod workload;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use odpsh::store::Store;

use sign::{Api, Key};
use workload::{Plan, Report};

struct Options {
    connections: usize,
    users: usize,
    sdk_users: usize,
    sdk_threads: usize,
    seconds: u64,
    moto: bool,
}

fn die(text: &str) -> ! {
    eprintln!("openapi_load: {text}");
    std::process::exit(1)
}

fn options() -> Options {
    let mut o = Options {
        connections: 32,
        users: 2000,
        sdk_users: 200,
        sdk_threads: 4,
        seconds: 120,
        moto: true,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = || {
            args.get(i + 1)
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or_else(|| die(&format!("{} needs a number", args[i])))
        };
        match args[i].as_str() {
            "--smoke" => {
                (o.connections, o.users, o.moto) = (4, 50, false);
                i += 1;
                continue;
            }
            "--odpsh-only" => {
                o.moto = false;
                i += 1;
                continue;
            }
            "--connections" => o.connections = value(),
            "--users" => o.users = value(),
            "--sdk-users" => o.sdk_users = value(),
            "--sdk-threads" => o.sdk_threads = value(),
            "--seconds" => o.seconds = value() as u64,
            other => die(&format!("unknown argument {other}")),
        }
        i += 2;
    }
    o
}

/// `odpsh serve` on a new world file, stopped when dropped.
struct Odpsh {
    child: Child,
    addr: SocketAddr,
    key: Key,
    state: PathBuf,
    dir: PathBuf,
}

impl Drop for Odpsh {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn start_odpsh() -> Odpsh {
    // target/<profile>/examples/openapi_load → target/<profile>/odpsh
    let exe = std::env::current_exe().unwrap_or_else(|e| die(&e.to_string()));
    let odpsh = exe
        .parent()
        .and_then(Path::parent)
        .map(|p| p.join("odpsh"))
        .filter(|p| p.exists())
        .unwrap_or_else(|| die("build odpsh first (cargo build --release)"));
    let dir = std::env::temp_dir().join(format!("odpsh-openapi-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| die(&e.to_string()));
    let state = dir.join("world.json");
    let made = Command::new(&odpsh)
        .arg("--state")
        .arg(&state)
        .args(["--format", "ndjson", "-e", "aliyun ram CreateAccessKey"])
        .env("ODPSH_HOME", &dir)
        .output()
        .unwrap_or_else(|e| die(&e.to_string()));
    let record: serde_json::Value =
        serde_json::from_slice(&made.stdout).unwrap_or_else(|e| die(&e.to_string()));
    let text = |p: &str| {
        record
            .pointer(p)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let key = Key {
        id: text("/result/AccessKey/AccessKeyId"),
        secret: text("/result/AccessKey/AccessKeySecret"),
    };
    let mut child = Command::new(&odpsh)
        .arg("--state")
        .arg(&state)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("ODPSH_HOME", &dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| die(&e.to_string()));
    let mut line = String::new();
    if let Some(out) = child.stdout.take() {
        let _ = BufReader::new(out).read_line(&mut line);
    }
    let Some(addr) = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .and_then(|w| w.trim_end_matches("/api").parse().ok())
    else {
        let _ = child.kill();
        let _ = child.wait();
        die(&format!("no endpoint in {line:?}"))
    };
    Odpsh {
        child,
        addr,
        key,
        state,
        dir,
    }
}

fn line(what: &str, r: &Report, connections: usize) {
    println!(
        "{what}: {} calls over {connections} connections in {:.2} s: {:.0} calls/s, {} errors",
        r.calls,
        r.elapsed.as_secs_f64(),
        r.per_second(),
        r.errors
    );
    if let Some(e) = &r.first_error {
        println!("  first error: {e}");
    }
}

fn main() {
    // Every child is stopped (dropped) before the process exits.
    let code = match run(&options()) {
        Ok(true) => 0,
        Ok(false) => {
            eprintln!("openapi_load: errors in the run (see above)");
            1
        }
        Err(e) => {
            eprintln!("openapi_load: {e}");
            1
        }
    };
    std::process::exit(code)
}

/// Runs the load; whether it went without an error.
fn run(o: &Options) -> Result<bool, String> {
    let plan = |prefix: &str| Plan {
        connections: o.connections,
        users: o.users,
        max_time: Duration::from_secs(o.seconds),
        prefix: prefix.into(),
    };
    let odpsh = start_odpsh();
    let ours = workload::run(Api::Ram, odpsh.addr, &odpsh.key, &plan("load"));
    line("odpsh serve, raw HTTP (ACS3)", &ours, o.connections);
    let world = Store::new(odpsh.state.clone())
        .load()
        .map_err(|e| format!("the saved world: {e}"))?;
    let left = world
        .accounts
        .values()
        .flat_map(|a| a.users())
        .filter(|u| u.name().starts_with("load"))
        .count();
    println!("  users of the load left in the saved world: {left}");
    let mut failed = ours.errors > 0 || left > 0;
    if o.moto {
        let python = python::environment()?;
        let moto = python::start_moto(&python)?;
        let aws = Key {
            id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret: "testing".into(),
        };
        let theirs = workload::run(Api::Iam, moto.addr, &aws, &plan("load"));
        line("moto_server, raw HTTP (SigV4)", &theirs, o.connections);
        failed |= theirs.errors > 0;
        let sdk = |api: &str, addr, key: (&str, &str)| {
            python::sdk_run(&python, api, addr, key, o.sdk_users, o.sdk_threads, "sdk")
        };
        let our_sdk = sdk("ram", odpsh.addr, (&odpsh.key.id, &odpsh.key.secret))?;
        let their_sdk = sdk("iam", moto.addr, (&aws.id, &aws.secret))?;
        for (what, run) in [
            ("odpsh serve, alibabacloud_ram20150501", &our_sdk),
            ("moto_server, boto3", &their_sdk),
        ] {
            println!(
                "{what}: {} calls in {:.2} s with {} threads: {:.0} calls/s, {} errors{}",
                run.calls,
                run.seconds,
                o.sdk_threads,
                run.per_second(),
                run.errors,
                run.first_error
                    .as_ref()
                    .map(|e| format!(" (first: {e})"))
                    .unwrap_or_default()
            );
            failed |= run.errors > 0;
        }
        println!(
            "ratio odpsh/moto: raw HTTP {:.1}x, SDK-driven {:.1}x",
            ours.per_second() / theirs.per_second().max(1e-9),
            our_sdk.per_second() / their_sdk.per_second().max(1e-9)
        );
    }
    Ok(!failed)
}
