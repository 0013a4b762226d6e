//! Seed 004 end to end through the SDKs only, against one `odpsh serve`: the RAM SDK creates a
//! RAM user, its AccessKey and a policy; PyODPS adds it to the project and grants it
//! `role_project_dev`; the RAM SDK detaches the policy and deletes the key and the user while
//! the project still lists it; PyODPS then sees the residual `p4_<UserId>`, and `remove user` on
//! it fails with `lack of account provider`. Both SDKs come pinned from PyPI into their venvs
//! under `target/` (`tests/common/venvs.rs`).

mod common;

use std::path::Path;

use common::serve::{Served, create_key};
use common::venvs;

fn run(python: &Path, script: &str, args: &[&str]) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sdk_seed")
        .join(script);
    let out = venvs::command(python)
        .arg(&path)
        .args(args)
        .output()
        .expect("run the SDK script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{script} {args:?} failed:\n{stdout}\n{stderr}"
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{script}: {e}: {stdout}"))
}

#[test]
fn seed_004_through_the_ram_sdk_and_pyodps_leaves_the_documented_residual() {
    let sdks = venvs::python("openapi-sdk-venv", venvs::OPENAPI_SDKS);
    let pyodps = venvs::python("pyodps-venv", venvs::PYODPS);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("world.json");
    let served = Served::start(&["--state", state.to_str().unwrap()], dir.path());
    let (ak, sk) = create_key(&state, None);
    let address = served.addr.to_string();

    let created = run(&sdks, "ram_side.py", &[&address, &ak, &sk, "create", "han"]);
    let uid = created["uid"].as_str().expect("a UserId").to_string();
    run(
        &pyodps,
        "project_side.py",
        &[&served.endpoint, &ak, &sk, "join", "han"],
    );
    let deleted = run(&sdks, "ram_side.py", &[&address, &ak, &sk, "delete", "han"]);
    assert_eq!(deleted["keys"], 1);
    let residual = run(
        &pyodps,
        "project_side.py",
        &[&served.endpoint, &ak, &sk, "residual", "han", &uid],
    );
    assert_eq!(residual["residual"], format!("p4_{uid}"));
}
