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

    // --format json prints the plan as the shell's JSON answer does (issue 14, item 12).
    let json = odpsh(
        home.path(),
        &["offboard", "hanmeimei", "--format", "json"],
        None,
    );
    assert_eq!(json.status.code(), Some(0), "{}", text(&json.stderr));
    let value: serde_json::Value =
        serde_json::from_slice(&json.stdout).expect("offboard prints JSON");
    let statements = value.to_string();
    assert!(
        statements.contains("revoke Select on table sales from user RAM$MainCount:hanmeimei;"),
        "{value}"
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
    assert_eq!(text(&users.stdout), "OK\n");
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
    // A member who may read RAM but not another user's grants: the plan says what it leaves
    // out, and --run refuses a plan that is not whole before anything runs.
    let setup = "aliyun ram CreateUser --UserName dev\naliyun ram CreateAccessKey --UserName dev\nadd user RAM$dev;\naliyun ram CreateUser --UserName hanmeimei\nadd user RAM$hanmeimei;\naliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunRAMReadOnlyAccess --UserName dev\n";
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
        stdout.ends_with("教程停在第 1 步（共 17 步）。运行 odpsh tutorial --step 1 可从这里继续，运行 odpsh tutorial 可以重新开始。\n"),
        "{stdout}"
    );
    let out = odpsh(home.path(), &["tutorial", "--lang", "en"], Some("quit;\n"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).ends_with(
            "The tutorial stopped at step 1 of 17. Run odpsh tutorial --step 1 to go on from there, or odpsh tutorial to start again.\n"
        )
    );
    // The tutorial never touches the saved world.
    assert!(!home.path().join("world.json").exists());
}

/// A world with an administrator `adm` (an AccessKey, console access) and a guest `g` (an
/// AccessKey), a second project the guest is not in, and the main account's AccessKey.
const GUEST_WORLD: &str = "\
aliyun ram CreateUser --UserName adm
aliyun ram CreateAccessKey --UserName adm
aliyun ram CreateLoginProfile --UserName adm --Password Adm1n-Passw0rd
add user RAM$MainCount:adm;
grant admin to RAM$MainCount:adm;
aliyun ram CreateUser --UserName g
aliyun ram CreateAccessKey --UserName g
add user RAM$MainCount:g;
grant role_project_guest to RAM$MainCount:g;
aliyun ram CreateAccessKey
aliyun dataworks-public CreateProject --ProjectName hidden_p
";
const ADM_KEY: &str = "LTAIIViXZ64vgGHmPSJNHFLO";
const GUEST: [&str; 4] = [
    "-u",
    "LTAI9h7ZNp3ZuR0FbbjZsgFC",
    "-p",
    "12IhN76kuP20ubBPivroJJABuK0Umh",
];

fn guest_world() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let setup = odpsh(home.path(), &[], Some(GUEST_WORLD));
    assert_eq!(setup.status.code(), Some(0), "{}", text(&setup.stderr));
    let out = text(&setup.stdout);
    assert!(out.contains(ADM_KEY) && out.contains(GUEST[1]) && out.contains(GUEST[3]));
    home
}

/// Runs `args` as the guest, stdout and stderr together.
fn as_guest(home: &Path, args: &[&str], stdin: Option<&str>) -> (Option<i32>, String) {
    let all: Vec<&str> = GUEST.iter().copied().chain(args.iter().copied()).collect();
    let out = odpsh(home, &all, stdin);
    let both = format!("{}{}", text(&out.stdout), text(&out.stderr));
    (out.status.code(), both)
}

#[test]
fn learning_statements_show_a_guest_only_what_it_may_see() {
    let home = guest_world();
    let home = home.path();
    // The ordinary statements refuse the guest.
    let (_, refused) = as_guest(home, &["-e", "list users;"], None);
    assert!(
        refused.contains("no privilege 'odps:ListUsers'"),
        "{refused}"
    );
    let (_, refused) = as_guest(
        home,
        &["-e", "aliyun ram ListAccessKeys --UserName adm"],
        None,
    );
    assert!(refused.contains("ErrorCode: NoPermission"), "{refused}");

    let (code, who) = as_guest(home, &["-e", "who may create a table;"], None);
    assert_eq!(code, Some(0), "{who}");
    assert!(
        !who.contains("RAM$MainCount:adm") && !who.contains("ALIYUN$MainCount"),
        "{who}"
    );
    assert!(
        who.contains("may not: RAM$MainCount:g ("),
        "it sees itself: {who}"
    );
    assert!(
        who.ends_with("(members of MaxCompute not shown: you may not list users there)\n"),
        "{who}"
    );

    let (_, what) = as_guest(home, &["-e", "what may RAM$MainCount:adm do;"], None);
    assert_eq!(
        what,
        "what may RAM$MainCount:adm do in MaxCompute:\n(what RAM$MainCount:adm holds in MaxCompute not shown: you may not show grants for it there)\n"
    );

    // It may neither read RAM users nor show anyone else's grants: offboard tells it nothing
    // of another name, the same whether the user exists or not.
    for offboard in [
        &["-e", "offboard adm;"][..],
        &["offboard", "adm"][..],
        &["-e", "offboard adm run;"][..],
        &["offboard", "nobody"][..],
    ] {
        let (code, said) = as_guest(home, offboard, None);
        assert_eq!(code, Some(1));
        let name = offboard[1].split_whitespace().nth(1).unwrap_or(offboard[1]);
        let name = name.trim_end_matches(';');
        assert_eq!(
            said,
            format!(
                "FAILED: you may see nothing of {name}: neither aliyun ram GetUser nor show grants for in any project would answer you\n"
            ),
            "{offboard:?}"
        );
    }

    // explain; and check name no project the guest may not use.
    let (_, explained) = as_guest(home, &[], Some("use nope;\nexplain;\n"));
    assert!(!explained.contains("hidden_p"), "{explained}");
    assert!(
        explained.contains("  (projects you may not use not shown)\n"),
        "{explained}"
    );
    let script = home.join("guest.odps");
    std::fs::write(&script, "use nope;\n").unwrap();
    let (code, checked) = as_guest(home, &["check", script.to_str().unwrap()], None);
    assert_eq!(code, Some(1));
    assert!(!checked.contains("hidden_p"), "{checked}");

    // JSON says the same.
    let (_, json) = as_guest(
        home,
        &["--format", "json", "-e", "who may create a table;"],
        None,
    );
    let record: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(
        record["result"]["not_shown"],
        serde_json::json!(["(members of MaxCompute not shown: you may not list users there)"])
    );

    // Like every statement, a learning statement checks the session's AccessKey first.
    let disable = format!(
        "aliyun ram UpdateAccessKey --UserName g --UserAccessKeyId {} --Status Inactive",
        GUEST[1]
    );
    assert_eq!(odpsh(home, &["-e", &disable], None).status.code(), Some(0));
    let (code, who) = as_guest(home, &["-e", "who may create a table;"], None);
    assert_eq!(code, Some(1));
    assert_eq!(
        who,
        format!(
            "FAILED: ODPS-0410051:Invalid credentials - accessKeyId is disabled: {}\n",
            GUEST[1]
        )
    );
}

#[test]
fn learning_statements_show_the_owner_everything() {
    let home = guest_world();
    let home = home.path();
    let out = odpsh(
        home,
        &[
            "-e",
            "who may create a table; what may RAM$MainCount:adm do; offboard adm;",
        ],
        None,
    );
    let all = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // An admin holder may create tables, as the engine lets it (issue 14, item 3).
    assert!(
        all.contains("may: ALIYUN$MainCount (project owner), RAM$MainCount:adm (admin)\n"),
        "{all}"
    );
    assert!(
        all.contains("RAM$MainCount:g (lacks CreateInstance on the project"),
        "{all}"
    );
    assert!(all.contains("(an admin; roles: admin)"), "{all}");
    assert!(
        all.contains(&format!("--UserAccessKeyId {ADM_KEY} --Status Inactive")),
        "{all}"
    );
    assert!(
        all.contains("aliyun ram DeleteLoginProfile --UserName adm\n"),
        "{all}"
    );
    assert!(!all.contains("not shown"), "{all}");
}

#[test]
fn learning_statements_show_a_project_admin_no_access_key_in_check() {
    let home = guest_world();
    let home = home.path();
    let script = home.join("leave.odps");
    std::fs::write(
        &script,
        "revoke role_project_guest from RAM$MainCount:g;\nremove user RAM$MainCount:g;\n",
    )
    .unwrap();
    let script = script.to_str().unwrap();
    let guest_key = GUEST[1];
    let owner = odpsh(home, &["check", script], None);
    let owner = text(&owner.stdout);
    assert!(
        owner.contains("hazard KeysLeftActive") && owner.contains(guest_key),
        "{owner}"
    );
    // adm manages the project but holds no RAM policy: it may not list g's keys, nor see
    // whether g is still in a project it is not in.
    let adm = [
        "-u",
        ADM_KEY,
        "-p",
        "P98H15b3kffkcOts4NvjLlQSQXvglc",
        "check",
        script,
    ];
    let out = odpsh(home, &adm, None);
    let both = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(!both.contains(guest_key), "{both}");
}

/// An explanation is built when `explain;` asks for it, or before a statement changes the world
/// it has to be explained from: either way it explains the world as it was at the failure.
#[test]
fn explain_explains_the_world_the_statement_failed_in() {
    let home = tempfile::tempdir().unwrap();
    let script = "grant role_project_dev to RAM$MainCount:bob;\naliyun ram CreateUser --UserName bob\nadd user RAM$MainCount:bob;\nexplain;\n";
    let out = odpsh(home.path(), &["--fresh"], Some(script));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("explain: grant role_project_dev to RAM$MainCount:bob;\nfailed with: Invalid account Name RAM$MainCount:bob\nwhy:\n  No account resolves RAM$MainCount:bob"),
        "{stdout}"
    );
}
