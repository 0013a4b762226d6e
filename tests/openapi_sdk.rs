//! The real Alibaba Cloud Python SDKs from PyPI (pinned) in a virtual environment under
//! `target/`, run against the OpenAPI endpoint of `odpsh serve` by `tests/openapi_sdk/suite.py`:
//! the Tea SDKs (RAM, STS, DataWorks, IMS) signing ACS3 and RPC V1, and the older
//! aliyun-python-sdk-core with aliyun-python-sdk-ram; RAM's groups, MFA devices, policy versions,
//! paging and account settings and DataWorks' member roles by `tests/openapi_sdk/iam.py`; and
//! the MaxCompute OpenAPI SDK (ROA) against `/api/v1/` by `tests/openapi_sdk/maxcompute.py`
//! (what the scripts share is `tests/openapi_sdk/harness.py`). The environment is made once and
//! reused; when PyPI cannot be reached the test fails, saying so.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use common::serve::{BIN, Served};

/// `target/openapi-sdk-venv` with the SDKs installed, made once for the suites of this file.
fn venv() -> PathBuf {
    static VENV: OnceLock<PathBuf> = OnceLock::new();
    VENV.get_or_init(|| common::venvs::python("openapi-sdk-venv", common::venvs::OPENAPI_SDKS))
        .clone()
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
    assert!(stdout.contains("9 passed, 0 failed"), "{stdout}");
}

#[test]
fn groups_mfa_policy_versions_paging_preferences_and_workspace_roles_through_the_sdks() {
    let stdout = run_suite("iam.py");
    assert!(stdout.contains("7 passed, 0 failed"), "{stdout}");
}

#[test]
fn the_maxcompute_sdk_runs_against_odpsh_serve() {
    let stdout = run_suite("maxcompute.py");
    assert!(stdout.contains("6 passed, 0 failed"), "{stdout}");
}
