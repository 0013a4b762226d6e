//! The examples under examples/ tell the stories the README promises, through the real binary.

use std::process::{Command, Output, Stdio};

fn odpsh(args: &[&str], stdin_file: Option<&str>) -> Output {
    let home = tempfile::tempdir().expect("temp dir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_odpsh"));
    cmd.args(args)
        .env("ODPSH_HOME", home.path())
        .env("NO_COLOR", "1");
    match stdin_file {
        Some(path) => cmd.stdin(std::fs::File::open(path).expect("example file")),
        None => cmd.stdin(Stdio::null()),
    };
    cmd.output().expect("odpsh runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_residual_example_ends_in_lack_of_account_provider() {
    let out = odpsh(
        &["--fresh", "--echo", "-f", "examples/residual_user.odps"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.ends_with("odps@ MaxCompute>list users;\np4_26529006289714283\nodps@ MaxCompute>remove user p4_26529006289714283\n;\n"), "{stdout}");
    assert_eq!(text(&out.stderr), "FAILED: lack of account provider\n");
}

#[test]
fn the_correct_offboarding_leaves_nothing() {
    let out = odpsh(
        &["--fresh", "--echo", "-f", "examples/offboard_correct.odps"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout
            .contains("odps@ MaxCompute>list users;\nOK\nodps@ MaxCompute>aliyun ram ListUsers\n"),
        "{stdout}"
    );
    assert!(stdout.contains("\"User\": []"), "{stdout}");
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn the_ram_lifecycle_goes_in_and_back_out_cleanly() {
    let out = odpsh(
        &[
            "--fresh",
            "--echo",
            "-f",
            "examples/ram_user_lifecycle.odps",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for expected in [
        "Logon name: hanmeimei@5527380164285788.onaliyun.com\n",
        "Console access: enabled (password reset at first logon: required; MFA: not required)\n",
        "AccessKeys: LTAIIViXZ64vgGHmPSJNHFLO (Active)\n",
        "[users]\nRAM$MainCount:hanmeimei\n",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in\n{stdout}"
        );
    }
    assert_eq!(
        stdout.matches("P98H15b3kffkcOts4NvjLlQSQXvglc").count(),
        1,
        "the secret is shown by CreateAccessKey only, never by the hand-over"
    );
    assert!(
        stdout.ends_with("odps@ MaxCompute>list users;\nOK\n"),
        "{stdout}"
    );
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn the_api_refuses_a_user_with_keys_and_the_console_leaves_a_residual() {
    let out = odpsh(
        &["--fresh", "--echo"],
        Some("examples/delete_conflict.odps"),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("ERROR: SDK.ServerError\nErrorCode: DeleteConflict.User.AccessKey\n"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("Message: The user CAN NOT has any access key while deleting the user.\n"),
        "{stderr}"
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("\"DeletedAccessKeys\": [\n\t\t\"LTAIIViXZ64vgGHmPSJNHFLO\"\n\t]"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("odps@ MaxCompute>list users;\np4_26529006289714283\n"),
        "{stdout}"
    );
}

#[test]
fn the_readme_shows_what_the_first_command_prints() {
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    let start = readme
        .find("## What the first command prints\n\n```text\n")
        .expect("the README's transcript section");
    let block = &readme[start..];
    let block = &block[block.find("```text\n").unwrap_or(0) + 8..];
    let block = &block[..block.find("```").unwrap_or(block.len())];
    let out = odpsh(
        &["--fresh", "--echo", "-f", "examples/residual_user.odps"],
        None,
    );
    // Only the last line goes to stderr, so the transcript is stdout followed by stderr.
    assert_eq!(block, format!("{}{}", text(&out.stdout), text(&out.stderr)));
}

#[test]
fn the_scheduled_job_runs_as_its_role_and_the_role_is_offboarded_without_residue() {
    let out = odpsh(
        &["--fresh", "--echo", "-f", "examples/scheduled_job.odps"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("odps@ MaxCompute>whoami;\nName: RAM$5527380164285788:role/etl\n"),
        "{stdout}"
    );
    assert!(stdout.contains("\"AccessKeyId\": \"STS."), "{stdout}");
    assert!(
        stdout.ends_with("RAM$5527380164285788:role/etl is gone: no project lists it, no v4_ residue is left, RAM has no such role, and its STS credentials no longer sign.\nodps@ MaxCompute>list users;\nOK\n"),
        "{stdout}"
    );
}
