//! Python virtual environments under `target/` with pinned releases from PyPI, made once with
//! the machine's `python3 -m venv` and reused while they hold exactly the pins. Shared by the
//! integration tests and the `openapi_load` example (which includes this file by path).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// PyODPS, as `tests/pyodps.rs` pins it.
pub const PYODPS: &[(&str, &str)] = &[("pyodps", "0.13.2")];

/// The Alibaba Cloud SDKs, as `tests/openapi_sdk.rs` pins them.
pub const OPENAPI_SDKS: &[(&str, &str)] = &[
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
fn holds(python: &Path, pins: &[(&str, &str)]) -> bool {
    let pins: Vec<String> = pins
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

/// The python of `target/<name>` holding `pins`, made when it does not hold them; a test that
/// needs it fails, saying why, when it cannot be made.
pub fn python(name: &str, pins: &[(&str, &str)]) -> PathBuf {
    try_python(name, pins, &[]).unwrap_or_else(|e| panic!("{e}"))
}

/// The python of `target/<name>` holding `pins`, made (with `python3 -m venv` and pip) when it
/// does not hold them; `extras` names the extra a pin is installed with (`("moto", "server")`).
/// Why it could not be made, otherwise (no `python3`, PyPI out of reach).
pub fn try_python(
    name: &str,
    pins: &[(&str, &str)],
    extras: &[(&str, &str)],
) -> Result<PathBuf, String> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(name);
    let python = python_of(&venv);
    if holds(&python, pins) {
        return Ok(python);
    }
    let specs: Vec<String> = pins
        .iter()
        .map(|(n, v)| match extras.iter().find(|(e, _)| e == n) {
            Some((_, extra)) => format!("{n}[{extra}]=={v}"),
            None => format!("{n}=={v}"),
        })
        .collect();
    eprintln!("installing {} into {}", specs.join(" "), venv.display());
    let _ = std::fs::remove_dir_all(&venv);
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("python3 -m venv (python3 must be installed): {e}"))?;
    if !made.success() {
        return Err(format!("python3 -m venv {} failed", venv.display()));
    }
    let pip = Command::new(&python)
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
    if pip.success() && holds(&python, pins) {
        Ok(python)
    } else {
        Err(format!(
            "could not install {} from PyPI into {}: the suite needs PyPI",
            specs.join(" "),
            venv.display()
        ))
    }
}

/// A command for `python` with no proxy between it and a loopback server.
pub fn command(python: &Path) -> Command {
    let mut run = Command::new(python);
    for proxy in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "http_proxy",
        "https_proxy",
        "ALL_PROXY",
    ] {
        run.env_remove(proxy);
    }
    run.stdin(Stdio::null());
    run
}
