//! The real client: PyODPS from PyPI (pinned) in a virtual environment under `target/`, run
//! against `odpsh serve` by `tests/pyodps/suite.py`. The environment is made once and reused;
//! when PyPI cannot be reached the test fails, saying so.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::serve::{BIN, Served};

/// The PyODPS release the suite runs with.
const PYODPS: &str = "0.13.2";

fn python_of(venv: &Path) -> PathBuf {
    venv.join("bin").join("python")
}

fn has_pyodps(python: &Path) -> bool {
    let check = format!("import odps, sys; sys.exit(odps.__version__ != '{PYODPS}')");
    python.exists()
        && Command::new(python)
            .args(["-c", &check])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

/// `target/pyodps-venv` with PyODPS installed, made with the machine's `python3 -m venv`.
fn venv() -> PathBuf {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pyodps-venv");
    let python = python_of(&venv);
    if has_pyodps(&python) {
        return python;
    }
    let _ = std::fs::remove_dir_all(&venv);
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .stdin(Stdio::null())
        .status()
        .expect("python3 must be installed to run the PyODPS suite");
    assert!(made.success(), "python3 -m venv {} failed", venv.display());
    let pip = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-input",
            "--quiet",
            &format!("pyodps=={PYODPS}"),
        ])
        .stdin(Stdio::null())
        .status()
        .expect("run pip");
    assert!(
        pip.success() && has_pyodps(&python),
        "could not install pyodps=={PYODPS} from PyPI into {}: the PyODPS suite needs PyPI",
        venv.display()
    );
    python
}

#[test]
fn pyodps_runs_security_queries_against_odpsh_serve() {
    let python = venv();
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
    assert!(stdout.contains("22 passed, 0 failed"), "{stdout}");
}
