//! The command-line contract of DESIGN.md §3 through the real binary: -e, -f and piped input,
//! exit codes, --fresh and --state, --project, --echo, and -u/-p identities.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn odpsh(home: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_odpsh"));
    cmd.args(args)
        .env("ODPSH_HOME", home)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("odpsh starts");
    let mut pipe = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        pipe.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(pipe);
    child.wait_with_output().expect("odpsh ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const SCRIPT: &str = "create role a; drop role nope; create role b;";

#[test]
fn e_and_f_stop_at_the_first_failure_and_exit_1() {
    let home = tempfile::tempdir().unwrap();
    let out = odpsh(home.path(), &["--fresh", "-e", SCRIPT], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "OK\n");
    assert_eq!(text(&out.stderr), "FAILED: Role does not exist: nope\n");

    let file = home.path().join("script.odps");
    std::fs::write(&file, SCRIPT).unwrap();
    let out = odpsh(
        home.path(),
        &["--fresh", "-f", file.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "OK\n");
    assert_eq!(text(&out.stderr), "FAILED: Role does not exist: nope\n");

    let out = odpsh(
        home.path(),
        &["--fresh", "-e", "create role a; list roles;"],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn piped_input_goes_on_after_a_failure_and_exits_1_if_any_failed() {
    let home = tempfile::tempdir().unwrap();
    let out = odpsh(home.path(), &["--fresh"], Some(SCRIPT));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "OK\nOK\n");
    assert_eq!(text(&out.stderr), "FAILED: Role does not exist: nope\n");
    let out = odpsh(
        home.path(),
        &["--fresh"],
        Some("create role a;\nlist roles;\n"),
    );
    assert_eq!(out.status.code(), Some(0));
    // A pipe never asks for confirmation.
    let out = odpsh(
        home.path(),
        &["--fresh"],
        Some("create role a;\ndrop role a;\n"),
    );
    assert_eq!(text(&out.stdout), "OK\nOK\n");
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn an_unreadable_script_is_a_usage_error() {
    let home = tempfile::tempdir().unwrap();
    let out = odpsh(home.path(), &["--fresh", "-f", "/nonexistent/x.odps"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("odpsh: cannot read /nonexistent/x.odps: "),
        "{}",
        text(&out.stderr)
    );
    let out = odpsh(home.path(), &["--frobnicate"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn fresh_saves_nothing_and_state_keeps_the_successes_of_a_failed_script() {
    let home = tempfile::tempdir().unwrap();
    odpsh(home.path(), &["--fresh", "-e", "create role a;"], None);
    assert_eq!(std::fs::read_dir(home.path()).unwrap().count(), 0);

    let state = home.path().join("lab/world.json");
    let state = state.to_str().unwrap();
    let out = odpsh(home.path(), &["--state", state, "-e", SCRIPT], None);
    assert_eq!(out.status.code(), Some(1));
    let out = odpsh(home.path(), &["--state", state, "-e", "list roles;"], None);
    let roles = text(&out.stdout);
    assert!(roles.starts_with("a\nadmin\n"), "{roles}");
    assert!(!roles.contains("\nb\n"), "{roles}");
    // Without --state the world lives in $ODPSH_HOME/world.json.
    odpsh(home.path(), &["-e", "create role in_home;"], None);
    let state = home.path().join("world.json");
    let saved = odpsh::store::decode_bytes(&state, &std::fs::read(&state).unwrap()).unwrap();
    assert!(saved.project("MaxCompute").unwrap().has_role("in_home"));
}

#[test]
fn echo_prints_the_prompt_and_statement_before_each_output() {
    let home = tempfile::tempdir().unwrap();
    let out = odpsh(
        home.path(),
        &["--fresh", "--echo", "-e", "whoami;create role a;"],
        None,
    );
    assert_eq!(
        text(&out.stdout),
        "odps@ MaxCompute>whoami;\nName: ALIYUN$MainCount\nEnd_Point: http://service.cn-hangzhou.maxcompute.aliyun.com/api\nProject: MaxCompute\nodps@ MaxCompute>create role a;\nOK\n"
    );
}

#[test]
fn project_starts_in_that_project_or_fails_the_script() {
    let home = tempfile::tempdir().unwrap();
    let out = odpsh(
        home.path(),
        &["--fresh", "--project", "nope", "-e", "whoami;"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(
        text(&out.stderr),
        "FAILED: ODPS-0420111: Project not found - 'nope'.\n"
    );
    let out = odpsh(
        home.path(),
        &["--fresh", "--project", "maxcompute", "-e", "whoami;"],
        None,
    );
    assert!(text(&out.stdout).ends_with("Project: MaxCompute\n"));
}

/// Sets up a world with a member `dev` (with an AccessKey), a non-member `outsider` and a
/// disabled key; returns the keys as (id, secret).
fn world_with_keys(state: &str, home: &Path) -> Vec<(String, String)> {
    let setup = "aliyun ram CreateUser --UserName dev\n\
                 aliyun ram CreateAccessKey --UserName dev\n\
                 aliyun ram CreateUser --UserName outsider\n\
                 aliyun ram CreateAccessKey --UserName outsider\n\
                 aliyun ram CreateAccessKey --UserName dev\n\
                 add user RAM$dev;\n";
    let out = odpsh(home, &["--state", state], Some(setup));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let replies: Vec<serde_json::Value> = text(&out.stdout)
        .split("\n}\n")
        .filter(|c| c.contains("AccessKeySecret"))
        .map(|c| serde_json::from_str(&format!("{c}\n}}")).unwrap())
        .collect();
    let keys: Vec<(String, String)> = replies
        .iter()
        .map(|r| {
            (
                r["AccessKey"]["AccessKeyId"].as_str().unwrap().to_string(),
                r["AccessKey"]["AccessKeySecret"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    let disable = format!(
        "aliyun ram UpdateAccessKey --UserName dev --UserAccessKeyId {} --Status Inactive",
        keys[2].0
    );
    let out = odpsh(home, &["--state", state, "-e", &disable], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    keys
}

#[test]
fn u_and_p_act_as_the_owner_of_the_access_key() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("w.json");
    let state = state.to_str().unwrap();
    let keys = world_with_keys(state, home.path());
    let run = |id: &str, secret: &str| {
        odpsh(
            home.path(),
            &["--state", state, "-u", id, "-p", secret, "-e", "whoami;"],
            None,
        )
    };
    let (dev_id, dev_secret) = &keys[0];
    let out = run(dev_id, dev_secret);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("Name: RAM$MainCount:dev\n"));

    let out = run(dev_id, "wrong");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "FAILED: ODPS-0410042:Invalid signature value - User signature does not match\n"
    );
    let out = run("LTAI00000000000000000000", dev_secret);
    assert_eq!(
        text(&out.stderr),
        "FAILED: ODPS-0410051:Invalid credentials - accessKeyId not found: LTAI00000000000000000000\n"
    );
    let (disabled_id, disabled_secret) = &keys[2];
    let out = run(disabled_id, disabled_secret);
    assert_eq!(
        text(&out.stderr),
        format!(
            "FAILED: ODPS-0410051:Invalid credentials - accessKeyId is disabled: {disabled_id}\n"
        )
    );
    // A key whose owner is not a member acts as `login` makes it act (issue 21, item 3): the
    // failed access is said, the statements run, project statements get the refusal (console
    // commands work: tests/transcripts/nonmember_console.odps).
    let (outsider_id, outsider_secret) = &keys[1];
    let out = odpsh(
        home.path(),
        &[
            "--state",
            state,
            "-u",
            outsider_id,
            "-p",
            outsider_secret,
            "-e",
            "whoami;\nlist users;",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    // whoami is a security query to the project: refused, as odpsh serve refuses it.
    assert_eq!(text(&out.stdout), "");
    assert_eq!(
        text(&out.stderr),
        "Accessing project 'MaxCompute' failed: ODPS-0420095: Access Denied - You don't exist in project MaxCompute.\nFAILED: ODPS-0420095: Access Denied - You don't exist in project MaxCompute.\n"
    );
    // -u needs -p.
    let out = odpsh(
        home.path(),
        &["--state", state, "-u", dev_id, "-e", "whoami;"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}
