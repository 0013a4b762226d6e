//! The real client: PyODPS from PyPI (pinned) in a virtual environment under `target/`, run
//! against `odpsh serve` by `tests/pyodps/suite.py`. The environment is made once and reused;
//! when PyPI cannot be reached the test fails, saying so.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::serve::{BIN, Served};

#[test]
fn pyodps_runs_security_queries_against_odpsh_serve() {
    let python = common::venvs::python("pyodps-venv", common::venvs::PYODPS);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("world.json");
    let served = Served::start(&["--state", state.to_str().unwrap()], dir.path());
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pyodps/suite.py");
    let out = Command::new(&python)
        .arg(&suite)
        .arg(&served.endpoint)
        .arg(&state)
        .arg(BIN)
        .env("ODPSH_HOME", dir.path())
        .stdin(Stdio::null())
        .output()
        .expect("run the PyODPS suite");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "PyODPS suite failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("26 passed, 0 failed"), "{stdout}");
}
