//! The teaching commands through the real binary: `odpsh check`, `odpsh offboard [--run]` over
//! a saved world, and `odpsh tutorial`'s exit code and language.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn odpsh(home: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_odpsh"));
    cmd.args(args)
        .env("ODPSH_HOME", home)
        .env("NO_COLOR", "1")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("odpsh starts");
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(stdin.unwrap_or_default().as_bytes())
            .expect("stdin");
    }
    child.wait_with_output().expect("odpsh runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_finds_the_seed_mistake_and_passes_the_correct_order() {
    let home = tempfile::tempdir().unwrap();
    let residual = odpsh(
        home.path(),
        &["--fresh", "check", "examples/residual_user.odps"],
        None,
    );
    assert_eq!(
        residual.status.code(),
        Some(1),
        "{}",
        text(&residual.stderr)
    );
    let out = text(&residual.stdout);
    assert!(
        out.starts_with("examples/residual_user.odps:11: hazard ResidualMember: aliyun ram DeleteUser --UserName hanmeimei\n"),
        "{out}"
    );
    assert!(out.contains("p4_26529006289714283"), "{out}");
    let correct = odpsh(
        home.path(),
        &["--fresh", "check", "examples/offboard_correct.odps"],
        None,
    );
    assert_eq!(correct.status.code(), Some(0), "{}", text(&correct.stdout));
    assert_eq!(
        text(&correct.stdout),
        "check: no failures and no hazards in 9 statements of examples/offboard_correct.odps; the world is unchanged.\n"
    );
}

#[test]
fn check_json_has_the_documented_shape() {
    let home = tempfile::tempdir().unwrap();
    let out = odpsh(
        home.path(),
        &[
            "--fresh",
            "--format",
            "json",
            "check",
            "examples/residual_user.odps",
        ],
        None,
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let keys: Vec<&str> = report
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "file",
            "statements",
            "clean",
            "failures",
            "hazards",
            "findings"
        ]
    );
    for finding in report["findings"].as_array().unwrap() {
        let keys: Vec<&str> = finding
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "line",
                "statement",
                "kind",
                "code",
                "message",
                "fix",
                "avoid",
                "details"
            ]
        );
    }
    assert_eq!(
        report["findings"][0]["details"]["residual"],
        "p4_26529006289714283"
    );
    assert_eq!(report["findings"][1]["kind"], "failure");
}

#[test]
fn check_changes_nothing_in_the_saved_world() {
    let home = tempfile::tempdir().unwrap();
    let made = odpsh(home.path(), &["-e", "create role worker;"], None);
    assert_eq!(made.status.code(), Some(0));
    let world = home.path().join("world.json");
    let before = std::fs::read(&world).unwrap();
    let out = odpsh(home.path(), &["check", "examples/residual_user.odps"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&world).unwrap(), before);
    let missing = odpsh(home.path(), &["check", "no/such/file.odps"], None);
    assert_eq!(missing.status.code(), Some(2));
}

const SETUP: &str = "\
aliyun ram CreateUser --UserName hanmeimei
aliyun ram CreateAccessKey --UserName hanmeimei
aliyun ram CreateLoginProfile --UserName hanmeimei --Password S3cure!pw
aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunDataWorksFullAccess --UserName hanmeimei
create table sales (id bigint);
add user RAM$hanmeimei;
grant role_project_dev to RAM$hanmeimei;
grant Select on table sales to user RAM$hanmeimei;
";

#[test]
fn offboard_prints_a_plan_check_passes_and_run_leaves_no_trace() {
    let home = tempfile::tempdir().unwrap();
    let setup = odpsh(home.path(), &[], Some(SETUP));
    assert_eq!(setup.status.code(), Some(0), "{}", text(&setup.stderr));
    let world = home.path().join("world.json");

    // The plan, as a script check accepts, and check finds it clean.
    let plan = odpsh(home.path(), &["offboard", "hanmeimei"], None);
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan.stderr));
    let script = home.path().join("plan.odps");
    std::fs::write(&script, &plan.stdout).unwrap();
    let checked = odpsh(home.path(), &["check", script.to_str().unwrap()], None);
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked.stdout));
    assert!(
        text(&plan.stdout)
            .contains("revoke Select on table sales from user RAM$MainCount:hanmeimei;\n")
    );

    // Without a terminal --run needs --yes, and changes nothing without it.
    let before = std::fs::read(&world).unwrap();
    let refused = odpsh(home.path(), &["offboard", "hanmeimei", "--run"], None);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("pass --yes"));
    assert_eq!(std::fs::read(&world).unwrap(), before);

    let ran = odpsh(
        home.path(),
        &["offboard", "hanmeimei", "--run", "--yes"],
        None,
    );
    assert_eq!(ran.status.code(), Some(0), "{}", text(&ran.stderr));
    assert!(text(&ran.stdout).ends_with(
        "RAM$MainCount:hanmeimei is gone: no project lists it, no DataWorks workspace remembers it, no p4_ residue is left, and RAM has no such user.\n"
    ));

    // No trace: no member, no grant, no RAM user; offboard has nothing left to do.
    let users = odpsh(home.path(), &["-e", "list users;"], None);
    assert_eq!(text(&users.stdout), "");
    let ram = odpsh(home.path(), &["-e", "aliyun ram ListUsers"], None);
    assert!(
        text(&ram.stdout).contains("\"User\": []"),
        "{}",
        text(&ram.stdout)
    );
    let grants = odpsh(home.path(), &["-e", "show acl for sales;"], None);
    assert!(
        !text(&grants.stdout).contains("hanmeimei"),
        "{}",
        text(&grants.stdout)
    );
    let again = odpsh(home.path(), &["offboard", "hanmeimei"], None);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        text(&again.stderr),
        "FAILED: RAM user hanmeimei does not exist in account MainCount\n"
    );
}

#[test]
fn offboard_refuses_malformed_names_and_plans_it_cannot_run() {
    let home = tempfile::tempdir().unwrap();
    let bad = odpsh(home.path(), &["--fresh", "offboard", "a b"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).starts_with("odpsh: 'a b' is not a user name: "));
    // A plain member may not see another user's membership nor its RAM details: the plan
    // says what it leaves out, and --run refuses a plan that is not whole before anything runs.
    let setup = "aliyun ram CreateUser --UserName dev\naliyun ram CreateAccessKey --UserName dev\nadd user RAM$dev;\naliyun ram CreateUser --UserName hanmeimei\nadd user RAM$hanmeimei;\n";
    assert_eq!(odpsh(home.path(), &[], Some(setup)).status.code(), Some(0));
    let world = home.path().join("world.json");
    let before = std::fs::read(&world).unwrap();
    let as_dev = [
        "-u",
        "LTAIIViXZ64vgGHmPSJNHFLO",
        "-p",
        "P98H15b3kffkcOts4NvjLlQSQXvglc",
        "offboard",
        "hanmeimei",
        "--run",
        "--yes",
    ];
    let out = odpsh(home.path(), &as_dev, None);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("remove user"), "{stdout}");
    assert!(
        stdout.contains(
            "-- (projects where you may not show grants for RAM$MainCount:hanmeimei not shown)\n"
        ),
        "{stdout}"
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.ends_with(
            "FAILED: you may not see all of the plan for RAM$MainCount:hanmeimei (its comments say what is left out), and offboard runs only a whole plan; nothing was run\n"
        ),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&world).unwrap(), before);
}

#[test]
fn the_tutorial_stops_with_exit_1_and_takes_its_language_from_the_locale() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_odpsh"));
    let out = cmd
        .args(["tutorial"])
        .env("ODPSH_HOME", home.path())
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "zh_CN.UTF-8")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("odpsh 教程："), "{stdout}");
    assert!(
        stdout.ends_with("教程停在第 1 步（共 16 步）。运行 odpsh tutorial 可以重新开始。\n"),
        "{stdout}"
    );
    let out = odpsh(home.path(), &["tutorial", "--lang", "en"], Some("quit;\n"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).ends_with(
            "The tutorial stopped at step 1 of 16. Run odpsh tutorial to start again.\n"
        )
    );
    // The tutorial never touches the saved world.
    assert!(!home.path().join("world.json").exists());
}
