//! The real Alibaba Cloud Python SDKs from PyPI (pinned) in a virtual environment under
//! `target/`, run against the OpenAPI endpoint of `odpsh serve` by `tests/openapi_sdk/suite.py`:
//! the Tea SDKs (RAM, STS, DataWorks, IMS) signing ACS3 and RPC V1, and the older
//! aliyun-python-sdk-core with aliyun-python-sdk-ram; and the MaxCompute OpenAPI SDK (ROA)
//! against `/api/v1/` by `tests/openapi_sdk/maxcompute.py`. The environment is made once and
//! reused; when PyPI cannot be reached the test fails, saying so.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use common::serve::{BIN, Served};

/// The SDK releases the suite runs with (PyPI distribution names).
const SDKS: &[(&str, &str)] = &[
    ("alibabacloud_tea_openapi", "0.4.6"),
    ("alibabacloud_ram20150501", "1.3.0"),
    ("alibabacloud_sts20150401", "1.2.0"),
    ("alibabacloud_dataworks_public20200518", "10.1.1"),
    ("alibabacloud_ims20190815", "3.5.0"),
    ("aliyun-python-sdk-core", "2.16.1"),
    ("aliyun-python-sdk-ram", "3.3.1"),
    ("alibabacloud_maxcompute20220104", "7.2.0"),
];

fn python_of(venv: &Path) -> PathBuf {
    venv.join("bin").join("python")
}

/// Whether the environment holds exactly the pinned releases.
fn has_sdks(python: &Path) -> bool {
    let pins: Vec<String> = SDKS
        .iter()
        .map(|(name, version)| format!("({name:?}, {version:?})"))
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

/// `target/openapi-sdk-venv` with the SDKs installed, made once for the suites of this file.
fn venv() -> PathBuf {
    static VENV: OnceLock<PathBuf> = OnceLock::new();
    VENV.get_or_init(make_venv).clone()
}

/// The environment, made with the machine's `python3 -m venv` unless it holds the pins.
fn make_venv() -> PathBuf {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/openapi-sdk-venv");
    let python = python_of(&venv);
    if has_sdks(&python) {
        return python;
    }
    let _ = std::fs::remove_dir_all(&venv);
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .stdin(Stdio::null())
        .status()
        .expect("python3 must be installed to run the SDK suite");
    assert!(made.success(), "python3 -m venv {} failed", venv.display());
    let pins: Vec<String> = SDKS.iter().map(|(n, v)| format!("{n}=={v}")).collect();
    let pip = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-input",
            "--quiet",
        ])
        .args(&pins)
        .stdin(Stdio::null())
        .status()
        .expect("run pip");
    assert!(
        pip.success() && has_sdks(&python),
        "could not install {} from PyPI into {}: the SDK suite needs PyPI",
        pins.join(" "),
        venv.display()
    );
    python
}

/// Runs `tests/openapi_sdk/<script>` against a server on a new world file; its stdout.
fn run_suite(script: &str) -> String {
    let python = venv();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("world.json");
    let served = Served::start(&["--state", state.to_str().unwrap()], dir.path());
    let suite = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/openapi_sdk")
        .join(script);
    let mut run = Command::new(&python);
    run.arg(&suite)
        .arg(served.addr.to_string())
        .arg(&state)
        .arg(BIN)
        .env("ODPSH_HOME", dir.path())
        .stdin(Stdio::null());
    // Loopback only: no proxy may stand between the SDKs and the server.
    for proxy in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "http_proxy",
        "https_proxy",
        "ALL_PROXY",
    ] {
        run.env_remove(proxy);
    }
    let out = run.output().expect("run the SDK suite");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "SDK suite {script} failed:\n{stdout}\n{stderr}"
    );
    stdout.into_owned()
}

#[test]
fn the_alibaba_cloud_sdks_run_against_odpsh_serve() {
    let stdout = run_suite("suite.py");
    assert!(stdout.contains("8 passed, 0 failed"), "{stdout}");
}

#[test]
fn the_maxcompute_sdk_runs_against_odpsh_serve() {
    let stdout = run_suite("maxcompute.py");
    assert!(stdout.contains("6 passed, 0 failed"), "{stdout}");
}
