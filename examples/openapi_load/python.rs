//! The Python side of the comparison, installed by the bench into a virtual environment under
//! `target/` on first use (pinned releases from PyPI): moto's server on a loopback port, and
//! the SDK-driven workload (`sdk.py`) with boto3 and the Tea RAM SDK.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

// The integration tests' virtual environments (`target/<name>` holding pinned releases).
#[path = "../../tests/common/venvs.rs"]
#[allow(dead_code)]
mod venvs;

/// What the environment holds (PyPI names and versions).
pub const PINS: &[(&str, &str)] = &[
    ("moto", "5.2.5"),
    ("boto3", "1.44.5"),
    ("alibabacloud_tea_openapi", "0.4.6"),
    ("alibabacloud_ram20150501", "1.3.0"),
];

/// moto with the extra for its stand-alone server.
const EXTRAS: &[(&str, &str)] = &[("moto", "server")];

/// The environment's Python, the pins installed (made now if they are not).
pub fn environment() -> Result<PathBuf, String> {
    venvs::try_python("openapi-load-venv", PINS, EXTRAS)
}

/// moto's server, stopped when dropped.
pub struct Moto {
    child: Child,
    pub addr: SocketAddr,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// Starts `moto_server` on a free loopback port and waits until it accepts connections.
pub fn start_moto(python: &Path) -> Result<Moto, String> {
    let port = free_port()?;
    let server = python.with_file_name("moto_server");
    let child = Command::new(&server)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        // The AWS managed policies (ReadOnlyAccess, which the workload attaches).
        .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("start {}: {e}", server.display()))?;
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let moto = Moto { child, addr };
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        if Instant::now() > deadline {
            return Err("moto_server did not listen within 60 s".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(moto)
}

/// What `sdk.py` measured.
#[derive(Debug, Clone)]
pub struct SdkRun {
    pub calls: u64,
    pub errors: u64,
    pub seconds: f64,
    pub first_error: Option<String>,
}

impl SdkRun {
    pub fn per_second(&self) -> f64 {
        self.calls as f64 / self.seconds.max(1e-9)
    }
}

/// Runs the workload through `api`'s SDK (`iam` or `ram`).
pub fn sdk_run(
    python: &Path,
    api: &str,
    addr: SocketAddr,
    key: (&str, &str),
    users: usize,
    threads: usize,
    prefix: &str,
) -> Result<SdkRun, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/openapi_load/sdk.py");
    let mut command = venvs::command(python);
    command
        .arg(script)
        .args([api, &addr.to_string(), key.0, key.1])
        .args([users.to_string(), threads.to_string(), prefix.to_string()]);
    let out = command.output().map_err(|e| format!("run sdk.py: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().last().unwrap_or_default();
    let record: serde_json::Value = serde_json::from_str(line).map_err(|e| {
        format!(
            "sdk.py {api} printed no record ({e}): {text}{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    Ok(SdkRun {
        calls: record["calls"].as_u64().unwrap_or(0),
        errors: record["errors"].as_u64().unwrap_or(0),
        seconds: record["seconds"].as_f64().unwrap_or(0.0),
        first_error: record["first_error"].as_str().map(str::to_string),
    })
}
