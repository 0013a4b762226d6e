//! The Python side of the comparison, installed by the bench into a virtual environment under
//! `target/` on first use (pinned releases from PyPI): moto's server on a loopback port, and
//! the SDK-driven workload (`sdk.py`) with boto3 and the Tea RAM SDK.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What the environment holds (PyPI names and versions).
pub const PINS: &[(&str, &str)] = &[
    ("moto", "5.2.5"),
    ("boto3", "1.44.5"),
    ("alibabacloud_tea_openapi", "0.4.6"),
    ("alibabacloud_ram20150501", "1.3.0"),
];

/// moto's extra for its stand-alone server.
const MOTO_EXTRA: &str = "server";

fn venv_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/openapi-load-venv")
}

fn python(venv: &Path) -> PathBuf {
    venv.join("bin/python")
}

fn has_pins(python: &Path) -> bool {
    let pins: Vec<String> = PINS
        .iter()
        .map(|(n, v)| format!("({n:?}, {v:?})"))
        .collect();
    let check = format!(
        "import sys\nfrom importlib.metadata import version\ntry:\n    sys.exit(any(version(n) != v for n, v in [{}]))\nexcept Exception:\n    sys.exit(1)",
        pins.join(", ")
    );
    python.exists()
        && Command::new(python)
            .args(["-c", &check])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

/// The environment's Python, the pins installed (made now if they are not).
pub fn environment() -> Result<PathBuf, String> {
    let venv = venv_dir();
    let py = python(&venv);
    if has_pins(&py) {
        return Ok(py);
    }
    eprintln!("openapi_load: installing {PINS:?} into {}", venv.display());
    let _ = std::fs::remove_dir_all(&venv);
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("python3 -m venv: {e}"))?;
    if !made.success() {
        return Err(format!("python3 -m venv {} failed", venv.display()));
    }
    let specs: Vec<String> = PINS
        .iter()
        .map(|(n, v)| {
            if *n == "moto" {
                format!("{n}[{MOTO_EXTRA}]=={v}")
            } else {
                format!("{n}=={v}")
            }
        })
        .collect();
    let pip = Command::new(&py)
        .args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-input",
            "--quiet",
        ])
        .args(&specs)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("pip: {e}"))?;
    if pip.success() && has_pins(&py) {
        Ok(py)
    } else {
        Err(format!("could not install {} from PyPI", specs.join(" ")))
    }
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
    let mut command = Command::new(python);
    command
        .arg(script)
        .args([api, &addr.to_string(), key.0, key.1])
        .args([users.to_string(), threads.to_string(), prefix.to_string()])
        .stdin(Stdio::null());
    for proxy in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "http_proxy",
        "https_proxy",
        "ALL_PROXY",
    ] {
        command.env_remove(proxy);
    }
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
