//! The round trip: for every world the property tests' statements make (RAM roles as members
//! among them, live and deleted, and RAM groups), the capture odpsh
//! prints of it (`capture-script --statements`, run with `--echo`) imports to a world whose own
//! capture is the same, line for line (request ids aside): equal in everything captures show.

mod common;

#[path = "strategies/mod.rs"]
mod strategies;

use std::fs::File;
use std::path::Path;
use std::process::Stdio;

use common::run::{command, odpsh, text};
use proptest::prelude::*;

/// The capture of the world at `state`: its statements, and what they print (stdout and stderr
/// together, as a saved session is).
fn capture(home: &Path, state: &str, out: &Path) -> (String, String) {
    let statements = odpsh(
        home,
        &["--state", state, "capture-script", "--statements"],
        None,
    );
    assert!(statements.status.success(), "{}", text(&statements.stderr));
    let statements = text(&statements.stdout);
    let file = File::create(out).unwrap();
    let status = command(home, &["--state", state, "--echo"])
        .stdin(Stdio::piped())
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(statements.as_bytes())?;
            child.wait()
        })
        .unwrap();
    let _ = status;
    let transcript = std::fs::read_to_string(out).unwrap();
    (statements, transcript)
}

fn without_request_ids(transcript: &str) -> Vec<&str> {
    transcript
        .lines()
        .filter(|l| !l.contains("\"RequestId\"") && !l.starts_with("RequestId: "))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn a_capture_imports_back_to_a_world_with_the_same_capture(
        script in prop::collection::vec(strategies::statement_text(), 1..30)
    ) {
        let home = tempfile::tempdir().unwrap();
        let a = home.path().join("a.world").to_string_lossy().into_owned();
        let b = home.path().join("b.world").to_string_lossy().into_owned();
        // The main account's key first: several settings need it (permission matrix). Then a
        // RAM role as a member, one deleted while a member (a v4_ residual), a RAM group with
        // a member and a policy and one with neither, a custom policy of two versions, a
        // labelled table with label grants, a console log-on and MFA devices (one bound), for
        // every script to meet.
        let (root, service) = (strategies::ROOT_TRUST, strategies::SERVICE_TRUST);
        let (read, all) = (strategies::ODPS_READ, strategies::ODPS_ALL);
        let text_in = format!(
            "aliyun ram CreateAccessKey\n\
             aliyun ram CreateRole --RoleName etl --AssumeRolePolicyDocument '{service}'\n\
             aliyun ram CreateRole --RoleName gone --AssumeRolePolicyDocument '{root}'\n\
             add user `RAM$MainCount:role/etl`;\n\
             add user `RAM$MainCount:role/gone`;\n\
             aliyun ram DeleteRole --RoleName gone\n\
             aliyun ram CreateUser --UserName bob\n\
             aliyun ram CreateGroup --GroupName data_team\n\
             aliyun ram AddUserToGroup --GroupName data_team --UserName bob\n\
             aliyun ram AttachPolicyToGroup --PolicyType System --PolicyName AliyunMaxComputeReadOnlyAccess --GroupName data_team\n\
             aliyun ram CreateGroup --GroupName empty\n\
             aliyun ram CreatePolicy --PolicyName team-read --Description \"team\" --PolicyDocument '{read}'\n\
             aliyun ram CreatePolicyVersion --PolicyName team-read --PolicyDocument '{all}' --SetAsDefault true\n\
             aliyun ram AttachPolicyToUser --PolicyType Custom --PolicyName team-read --UserName bob\n\
             create table customers (id bigint comment 'the id', phone string);\n\
             add user RAM$MainCount:bob;\n\
             set label 3 to table customers (phone);\n\
             set label 1 to user RAM$MainCount:bob;\n\
             grant label 3 on table customers (phone) to user RAM$MainCount:bob with exp 30;\n\
             grant label 2 on table customers to role role_project_dev;\n\
             aliyun ram CreateLoginProfile --UserName bob --Password Aa1!aaaa\n\
             aliyun ram CreateVirtualMFADevice --VirtualMFADeviceName bob-phone\n\
             aliyun ram CreateVirtualMFADevice --VirtualMFADeviceName spare\n\
             aliyun ram BindMFADevice --SerialNumber acs:ram::5527380164285788:mfa/bob-phone --UserName bob --AuthenticationCode1 123456 --AuthenticationCode2 654321\n\
             {}\n",
            script.join("\n")
        );
        let made = odpsh(home.path(), &["--state", &a], Some(&text_in));
        prop_assert!(made.status.code().is_some());
        let first = home.path().join("a.txt");
        let (statements_a, transcript_a) = capture(home.path(), &a, &first);
        let imported = odpsh(home.path(), &["--state", &b, "import", &first.to_string_lossy()], None);
        prop_assert!(imported.status.success(), "{}\n{}", text(&imported.stderr), transcript_a);
        let (statements_b, transcript_b) = capture(home.path(), &b, &home.path().join("b.txt"));
        prop_assert_eq!(statements_a, statements_b);
        prop_assert_eq!(without_request_ids(&transcript_a), without_request_ids(&transcript_b));
    }
}
