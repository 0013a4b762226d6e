//! Starts `odpsh serve` on a free loopback port and stops it when dropped.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_odpsh");

pub struct Served {
    child: Child,
    pub addr: SocketAddr,
    pub endpoint: String,
}

impl Served {
    /// `odpsh <world args> serve --bind 127.0.0.1:0`, with `ODPSH_HOME` in `home`.
    pub fn start(world_args: &[&str], home: &Path) -> Served {
        Served::start_with(world_args, &[], home)
    }

    /// Like [`Served::start`], with more flags for `serve`.
    pub fn start_with(world_args: &[&str], serve_args: &[&str], home: &Path) -> Served {
        let mut child = Command::new(BIN)
            .args(world_args)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(serve_args)
            .env("ODPSH_HOME", home)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start odpsh serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the endpoint line");
        let endpoint = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no endpoint in {line:?}"))
            .to_string();
        let addr = endpoint
            .trim_start_matches("http://")
            .trim_end_matches("/api")
            .parse()
            .expect("address");
        Served {
            child,
            addr,
            endpoint,
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `odpsh --state <state> --format ndjson -e <statement>` and returns its one record.
pub fn odpsh_json(state: &Path, statement: &str) -> serde_json::Value {
    let out = Command::new(BIN)
        .args(["--state"])
        .arg(state)
        .args(["--format", "ndjson", "-e", statement])
        .stdin(Stdio::null())
        .output()
        .expect("run odpsh");
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.lines().last().unwrap_or("null")).expect("an ndjson record")
}

/// An AccessKey pair made with odpsh on the world file (for `user`, or the main account).
pub fn create_key(state: &Path, user: Option<&str>) -> (String, String) {
    let statement = match user {
        Some(u) => format!("aliyun ram CreateAccessKey --UserName {u}"),
        None => "aliyun ram CreateAccessKey".to_string(),
    };
    let record = odpsh_json(state, &statement);
    let key = &record["result"]["AccessKey"];
    (
        key["AccessKeyId"].as_str().expect("key id").to_string(),
        key["AccessKeySecret"].as_str().expect("secret").to_string(),
    )
}
