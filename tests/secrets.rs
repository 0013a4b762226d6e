//! A secret typed into odpsh (a `login` secret, a console password) reaches no output: not a
//! JSON record's `statement`, not `--echo`, not `explain;`, not a syntax error, not `check`'s
//! report. (The history file is `tests/interactive.rs`'s; `CreateAccessKey`'s answer is the one
//! place a secret is shown, once.)

mod common;

use serde_json::Value;

use common::run::{odpsh, text};

const SECRET: &str = "s3cr3t-Value";

/// Everything a run printed, both streams.
fn all_output(args: &[&str], stdin: Option<&str>) -> (Option<i32>, String, String) {
    let home = tempfile::tempdir().unwrap();
    let out = odpsh(home.path(), args, stdin);
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

fn values(stdout: &str) -> Vec<Value> {
    serde_json::Deserializer::from_str(stdout)
        .into_iter::<Value>()
        .map(|v| v.unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}")))
        .collect()
}

#[test]
fn a_login_secret_reaches_no_json_record_and_no_explanation() {
    let login = format!("login LTAI00000000000000000000 {SECRET};");
    let (code, stdout, stderr) = all_output(&["--fresh", "--format", "json", "-e", &login], None);
    assert_eq!(code, Some(1));
    assert!(
        !stdout.contains(SECRET) && !stderr.contains(SECRET),
        "{stdout}{stderr}"
    );
    let records = values(&stdout);
    assert_eq!(
        records[0]["statement"],
        "login LTAI00000000000000000000 ******"
    );

    // Piped, so that explain; runs after the failed login.
    let script = format!("{login}\nexplain;\n");
    let (_, stdout, stderr) = all_output(&["--fresh", "--format", "ndjson"], Some(&script));
    assert!(
        !stdout.contains(SECRET) && !stderr.contains(SECRET),
        "{stdout}{stderr}"
    );
    let records = values(&stdout);
    assert_eq!(records[1]["statement"], "explain");
    assert_eq!(
        records[1]["result"]["statement"],
        "login LTAI00000000000000000000 ******;"
    );
    let (_, stdout, stderr) = all_output(&["--fresh", "--echo"], Some(&script));
    assert!(
        !stdout.contains(SECRET) && !stderr.contains(SECRET),
        "{stdout}{stderr}"
    );
    assert!(
        stdout.starts_with("odps@ MaxCompute>login LTAI00000000000000000000 ******;\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("explain: login LTAI00000000000000000000 ******;\n"),
        "{stdout}"
    );
}

#[test]
fn a_secret_in_a_statement_that_does_not_parse_is_not_echoed() {
    let typed = "login LTAIx sec ret extra;";
    for format in ["text", "json"] {
        let (code, stdout, stderr) =
            all_output(&["--fresh", "--format", format, "-e", typed], None);
        assert_eq!(code, Some(1));
        let both = format!("{stdout}{stderr}");
        assert!(!both.contains("sec") && !both.contains("ret"), "{both}");
        assert!(both.contains("found '******'"), "{both}");
    }
    let typed = "aliyun ram CreateLoginProfile --UserName dev --Password Sup3r Secret";
    let (_, stdout, stderr) = all_output(
        &["--fresh", "--echo"],
        Some(&format!("{typed}\nexplain;\n")),
    );
    let both = format!("{stdout}{stderr}");
    assert!(
        !both.contains("Sup3r") && !both.contains("Secret"),
        "{both}"
    );
    assert!(
        both.contains("ERROR: '******' is not a valid parameter or flag."),
        "{both}"
    );
}

#[test]
fn a_console_password_reaches_no_output_and_no_check_report() {
    let typed = "aliyun ram CreateLoginProfile --UserName nobody --Password 'Sup3r-Secret!'";
    let script = format!("{typed}\nexplain;\n");
    for args in [
        &["--fresh", "--echo"][..],
        &["--fresh", "--format", "ndjson"][..],
    ] {
        let (_, stdout, stderr) = all_output(args, Some(&script));
        let both = format!("{stdout}{stderr}");
        assert!(!both.contains("Sup3r-Secret"), "{both}");
        assert!(
            both.contains("aliyun ram CreateLoginProfile --UserName nobody --Password ******"),
            "{both}"
        );
    }
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("secret.odps");
    std::fs::write(
        &file,
        format!("{typed}\nlogin LTAI00000000000000000000 {SECRET};\n"),
    )
    .unwrap();
    let file = file.to_str().unwrap();
    for format in ["text", "json"] {
        let out = odpsh(
            home.path(),
            &["--fresh", "--format", format, "check", file],
            None,
        );
        let both = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(1), "{both}");
        assert!(
            !both.contains("Sup3r-Secret") && !both.contains(SECRET),
            "{both}"
        );
        assert!(
            both.contains("login LTAI00000000000000000000 ******;"),
            "{both}"
        );
    }
}

#[test]
fn the_one_answer_that_shows_a_secret_is_create_access_key() {
    let (_, stdout, _) = all_output(
        &["--fresh", "--echo", "-e", "aliyun ram CreateAccessKey"],
        None,
    );
    assert!(stdout.contains("\"AccessKeySecret\": \""), "{stdout}");
    assert!(
        !stdout.contains("\"AccessKeySecret\": \"******\""),
        "{stdout}"
    );
}
