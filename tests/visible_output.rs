//! Issue 12, finding 10 (the shell's side): no control character, C1 control, bidirectional
//! override or noncharacter from a script reaches the terminal raw. Text output writes each as
//! a visible escape (`\x1b`, `\u{202e}`); JSON output as its JSON escape (`\u001b`, `\u202e`),
//! so the JSON still decodes to what was typed.

mod common;

use common::run::{odpsh, text};

/// What must never appear in output, as the bytes UTF-8 writes for it.
const RAW: [(&str, &[u8]); 8] = [
    ("NUL", b"\x00"),
    ("ESC", b"\x1b"),
    ("CR", b"\r"),
    ("BEL", b"\x07"),
    ("DEL", b"\x7f"),
    ("CSI (U+009B)", "\u{9b}".as_bytes()),
    ("RLO (U+202E)", "\u{202e}".as_bytes()),
    ("U+FFFF", "\u{ffff}".as_bytes()),
];

fn assert_no_raw(what: &str, bytes: &[u8]) {
    for (name, raw) in RAW {
        assert!(
            !bytes.windows(raw.len()).any(|w| w == raw),
            "{what} holds a raw {name}: {:?}",
            text(bytes)
        );
    }
}

/// A script whose statements carry each such character where the shell repeats it.
const SCRIPT: &str = "create role a\u{0}b;\n\
    list users\u{1b}[31m;\n\
    list roles\r;\n\
    grant x\u{1b}]0;pwned\u{7} to RAM$bob;\n\
    drop role r\u{7f}\u{9b}2J;\n\
    use Max\u{202e}Compute\u{ffff};\n\
    aliyun ram CreateUser --UserName ok --Comments \"c\u{1b}[2Jd\u{202e}\u{7f}\"\n\
    explain;\n";

#[test]
fn control_characters_are_escaped_in_failed_lines() {
    let home = tempfile::tempdir().unwrap();
    for args in [&["--fresh"][..], &["--fresh", "--echo"]] {
        let out = odpsh(home.path(), args, Some(SCRIPT));
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert_no_raw("stdout", &out.stdout);
        assert_no_raw("stderr", &out.stderr);
        let stderr = text(&out.stderr);
        for shown in [
            "found '\\x00b'",
            "found '\\x1b[31m'",
            "found '\\x1b]0'",
            "found '\\x7f\\x9b2J'",
            "found '\\u{202e}Compute\\u{ffff}'",
        ] {
            assert!(stderr.contains(shown), "{args:?}: no {shown} in {stderr}");
        }
        // The console's JSON answer shows the characters as JSON escapes.
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains("\"Comments\": \"c\\u001b[2Jd\\u202e\\u007f\""),
            "{stdout}"
        );
    }
    let echoed = odpsh(home.path(), &["--fresh", "--echo"], Some(SCRIPT));
    let stdout = text(&echoed.stdout);
    assert!(
        stdout.contains("odps@ MaxCompute>list users\\x1b[31m;\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("odps@ MaxCompute>list roles\\x0d;\n"),
        "{stdout}"
    );
    // The explanation of the last failure repeats the statement, escaped too.
    assert!(
        stdout.contains("explain: use Max\\u{202e}Compute\\u{ffff};"),
        "{stdout}"
    );

    // -e stops at the first failure: its FAILED line is escaped as well.
    let out = odpsh(
        home.path(),
        &["--fresh", "-e", "list users\u{1b}[31m;"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_no_raw("stderr", &out.stderr);
    assert_eq!(
        text(&out.stderr),
        "FAILED: ODPS-0130161:[1,11] Parse exception - expected the end of the statement, found '\\x1b[31m'\n"
    );
}

#[test]
fn control_characters_are_escaped_in_json_output() {
    let home = tempfile::tempdir().unwrap();
    for format in ["json", "ndjson"] {
        let out = odpsh(home.path(), &["--fresh", "--format", format], Some(SCRIPT));
        assert_eq!(out.status.code(), Some(1));
        assert_no_raw("stdout", &out.stdout);
        assert_no_raw("stderr", &out.stderr);
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains(r#""statement": "use Max\u202eCompute\uffff""#)
                || stdout.contains(r#""statement":"use Max\u202eCompute\uffff""#),
            "{stdout}"
        );
        // Each record still decodes to the statement exactly as typed.
        let records: Vec<serde_json::Value> = serde_json::Deserializer::from_str(&stdout)
            .into_iter()
            .collect::<Result<_, _>>()
            .unwrap();
        let statements: Vec<&str> = records
            .iter()
            .filter_map(|r| r["statement"].as_str())
            .collect();
        assert!(
            statements.contains(&"create role a\u{0}b"),
            "{statements:?}"
        );
        assert!(statements.contains(&"list users\u{1b}[31m"));
        assert!(statements.contains(&"drop role r\u{7f}\u{9b}2J"));
    }
}

#[test]
fn control_characters_are_escaped_in_check_and_offboard() {
    let home = tempfile::tempdir().unwrap();
    let script = home.path().join("s.odps");
    std::fs::write(&script, SCRIPT).unwrap();
    let script = script.to_str().unwrap();
    for format in ["text", "json", "ndjson"] {
        let out = odpsh(
            home.path(),
            &["--fresh", "--format", format, "check", script],
            None,
        );
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert_no_raw("check's stdout", &out.stdout);
        assert_no_raw("check's stderr", &out.stderr);
        let stdout = text(&out.stdout);
        let shown = if format == "text" {
            "list users\\x1b[31m;"
        } else {
            "list users\\u001b[31m"
        };
        assert!(stdout.contains(shown), "{format}: {stdout}");
    }

    let out = odpsh(home.path(), &["--fresh", "offboard", "han\u{1b}[2J"], None);
    assert_eq!(out.status.code(), Some(2));
    assert_no_raw("offboard's stderr", &out.stderr);
    assert!(
        text(&out.stderr).starts_with("odpsh: 'han\\x1b[2J' is not a user name: "),
        "{}",
        text(&out.stderr)
    );
}
