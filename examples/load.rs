//! The load figure of `odpsh serve`: starts the server (built beside this example) on a free
//! loopback port with a world file in a temporary directory, sends signed security queries from
//! this process over several kept-alive connections (half `create role`, half reads), stops,
//! and checks that every acknowledged change is in the saved world.
//!
//! ```sh
//! cargo build --release && cargo run --release --example load -- [CONNECTIONS] [REQUESTS] [SECONDS]
//! ```

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use odpsh::server::load::{self, Plan};
use odpsh::store::Store;

fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let plan = Plan {
        connections: arg(1, 256),
        requests: arg(2, 50_000),
        max_time: Duration::from_secs(arg(3, 60) as u64),
        project: "MaxCompute".into(),
    };
    // target/<profile>/examples/load → target/<profile>/odpsh
    let exe = std::env::current_exe().expect("own path");
    let odpsh: PathBuf = exe
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("odpsh"))
        .expect("target directory");
    assert!(
        odpsh.exists(),
        "build odpsh first: {} is missing",
        odpsh.display()
    );
    let dir = std::env::temp_dir().join(format!("odpsh-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    let state = dir.join("world.json");

    let key = Command::new(&odpsh)
        .arg("--state")
        .arg(&state)
        .args(["--format", "ndjson", "-e", "aliyun ram CreateAccessKey"])
        .output()
        .expect("create an AccessKey");
    let record: serde_json::Value =
        serde_json::from_slice(&key.stdout).expect("the CreateAccessKey record");
    let id = record["result"]["AccessKey"]["AccessKeyId"]
        .as_str()
        .unwrap_or_default();
    let secret = record["result"]["AccessKey"]["AccessKeySecret"]
        .as_str()
        .unwrap_or_default();

    let mut server = Command::new(&odpsh)
        .arg("--state")
        .arg(&state)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start odpsh serve");
    let mut line = String::new();
    let stdout = server.stdout.take().expect("server stdout");
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("endpoint line");
    let addr = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .and_then(|w| w.trim_end_matches("/api").parse().ok())
        .expect("the endpoint");

    let report = load::run(addr, id, secret, &plan);
    let _ = server.kill();
    let _ = server.wait();

    let world = Store::new(state.clone()).load().expect("the saved world");
    let lost = report.lost(&world, &plan.project);
    println!(
        "{} signed security queries over {} connections in {:.2} s: {:.0} queries/s, {} errors, {} changes acknowledged, {} lost",
        report.sent,
        plan.connections,
        report.elapsed.as_secs_f64(),
        report.per_second(),
        report.errors,
        report.created.len(),
        lost.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
    if report.errors > 0 || !lost.is_empty() {
        eprintln!("first error: {:?}", report.first_error);
        std::process::exit(1);
    }
}
