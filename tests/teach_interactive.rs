//! The teaching commands at a terminal: `offboard … run;` in the shell and
//! `odpsh offboard USER --run` ask once, "no" runs nothing, "yes" runs the plan.

mod common;

use std::process::Command;

use common::pty::Shell;

const PROMPT: &str = "odps@ MaxCompute>";

fn prepare(home: &std::path::Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_odpsh"))
        .args([
            "-e",
            "aliyun ram CreateUser --UserName hanmeimei\nadd user RAM$hanmeimei;\ngrant role_project_dev to RAM$hanmeimei;",
        ])
        .env("ODPSH_HOME", home)
        .status()
        .expect("odpsh runs");
    assert!(status.success());
}

#[test]
fn offboard_run_in_the_shell_asks_once() {
    let home = tempfile::tempdir().unwrap();
    prepare(home.path());
    let mut shell = Shell::start(&[], home.path());
    shell.expect(PROMPT);
    shell.line("offboard hanmeimei run;");
    shell.expect("Confirm to \"offboard hanmeimei run;\" (yes/no)? ");
    shell.line("no");
    shell.expect(PROMPT);
    shell.line("list users;");
    shell.expect("RAM$MainCount:hanmeimei");
    shell.expect(PROMPT);
    shell.line("offboard hanmeimei run;");
    shell.expect("Confirm to \"offboard hanmeimei run;\" (yes/no)? ");
    shell.line("yes");
    shell.expect("[3/3] aliyun ram DeleteUser --UserName hanmeimei OK");
    shell.expect("RAM$MainCount:hanmeimei is gone");
    shell.expect(PROMPT);
    shell.line("quit;");
    assert_eq!(shell.finish(), 0);
    // The change was saved.
    let out = Command::new(env!("CARGO_BIN_EXE_odpsh"))
        .args(["-e", "aliyun ram ListUsers"])
        .env("ODPSH_HOME", home.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"User\": []"));
}

#[test]
fn the_offboard_command_asks_before_it_runs() {
    let home = tempfile::tempdir().unwrap();
    prepare(home.path());
    let mut shell = Shell::start(&["offboard", "hanmeimei", "--run"], home.path());
    shell.expect("remove user RAM$MainCount:hanmeimei;");
    shell.expect("Confirm to \"offboard hanmeimei --run\" (yes/no)? ");
    shell.line("maybe");
    shell.expect("Confirm to \"offboard hanmeimei --run\" (yes/no)? ");
    shell.line("yes");
    shell.expect("is gone: no project lists it");
    assert_eq!(shell.finish(), 0);
    let mut again = Shell::start(&["offboard", "hanmeimei", "--run"], home.path());
    again.expect("FAILED: RAM user hanmeimei does not exist in account MainCount");
    assert_eq!(again.finish(), 1);
}

/// Issue 14, item 11: a shell started with `-u/-p` of a disabled key says that accessing the
/// project failed, and `explain;` explains that failure.
#[test]
fn explain_explains_a_start_up_key_failure() {
    let home = tempfile::tempdir().unwrap();
    let setup = "aliyun ram CreateAccessKey\naliyun ram CreateUser --UserName han\naliyun ram CreateAccessKey --UserName han\nadd user RAM$han;\ngrant role_project_dev to RAM$han;\naliyun ram UpdateAccessKey --UserName han --UserAccessKeyId LTAIYc1fUP3DZwCyKVw5pGpT --Status Inactive";
    let status = Command::new(env!("CARGO_BIN_EXE_odpsh"))
        .args(["-e", setup])
        .env("ODPSH_HOME", home.path())
        .stdout(std::process::Stdio::null())
        .status()
        .expect("odpsh runs");
    assert!(status.success());
    let mut shell = Shell::start(
        &[
            "-u",
            "LTAIYc1fUP3DZwCyKVw5pGpT",
            "-p",
            "9h7ZNp3ZuR0FbbjZsgFCJ7yftVYqVa",
        ],
        home.path(),
    );
    shell.expect("Accessing project 'MaxCompute' failed: ");
    shell.expect(PROMPT);
    shell.line("explain;");
    let explained = shell.expect(PROMPT);
    assert!(
        explained.contains("explain: use MaxCompute;"),
        "{explained}"
    );
    assert!(explained.contains("disabled"), "{explained}");
    assert!(!explained.contains("Nothing to explain"), "{explained}");
    shell.line("quit;");
    assert_eq!(shell.finish(), 0);
}
