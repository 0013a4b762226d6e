//! `--format json` and `--format ndjson` through the real binary: one JSON value per statement
//! (pretty, or one line each), always the keys `statement`, `ok`, `result`, `error` in that
//! order, and the result shapes the README documents, for every statement kind and every
//! console command family. Text output is pinned by the transcripts.

mod common;

use serde_json::Value;

use common::pty::Shell;
use common::run::{odpsh, text};

/// What a record's `result` (or `error`) must look like.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// `result: null` (statements that print `OK`, `quit`).
    Null,
    /// An array of strings (`list users`, `list roles`, `setproject;`).
    Strings,
    /// An object with exactly these keys.
    Object(&'static [&'static str]),
    /// The API's reply: an object whose first key is `RequestId`.
    Reply,
    /// Rows of the permission matrix.
    Rows,
    /// A failure: `error` with this code and exactly these keys.
    Fails(&'static str, &'static [&'static str]),
}

use Shape::*;

const ERR: &[&str] = &["code", "message"];
const RAM_ERR: &[&str] = &["code", "message", "request_id"];
const MATRIX_ERR: &[&str] = &["code", "message", "matrix_row"];
const CONSOLE_MATRIX_ERR: &[&str] = &["code", "message", "matrix_row", "request_id"];
const ROW_KEYS: &[&str] = &[
    "row",
    "area",
    "operation",
    "client",
    "main_account",
    "ram_user",
    "prerequisite",
];

/// Every statement kind and console family, first pass (keys are created here).
const FIRST: &[(&str, Shape)] = &[
    // RAM users, log-on profiles, AccessKeys, policies, preference and alias.
    (
        "aliyun ram CreateUser --UserName hanmeimei --DisplayName HanMeimei",
        Reply,
    ),
    ("aliyun ram GetUser --UserName hanmeimei", Reply),
    ("aliyun ram ListUsers", Reply),
    (
        "aliyun ram UpdateUser --UserName hanmeimei --NewDisplayName Han",
        Reply,
    ),
    (
        "aliyun ram CreateLoginProfile --UserName hanmeimei --Password Passw0rd!23",
        Reply,
    ),
    ("aliyun ram GetLoginProfile --UserName hanmeimei", Reply),
    ("aliyun ram CreateAccessKey --UserName hanmeimei", Reply),
    ("aliyun ram ListAccessKeys --UserName hanmeimei", Reply),
    (
        "aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AdministratorAccess --UserName hanmeimei",
        Reply,
    ),
    ("aliyun ram ListPoliciesForUser --UserName hanmeimei", Reply),
    (
        r#"aliyun ram CreatePolicy --PolicyName LabReadOnly --PolicyDocument '{"Version":"1","Statement":[]}'"#,
        Reply,
    ),
    ("aliyun ram ListPolicies --PolicyType Custom", Reply),
    (
        "aliyun ram SetSecurityPreference --AllowUserToManageAccessKeys true",
        Reply,
    ),
    ("aliyun ram GetSecurityPreference", Reply),
    ("aliyun ram SetAccountAlias --AccountAlias lab", Reply),
    ("aliyun ram GetAccountAlias", Reply),
    (
        "aliyun ram GetUser --UserName nobody",
        Fails("EntityNotExist.User", RAM_ERR),
    ),
    // IMS.
    ("aliyun ims GetDefaultDomain", Reply),
    // DataWorks: refused by the matrix until the main account has an AccessKey.
    (
        "aliyun dataworks-public CreateProject --ProjectName too_early",
        Fails("NoPermission", CONSOLE_MATRIX_ERR),
    ),
    ("aliyun ram CreateAccessKey", Reply),
    (
        "aliyun dataworks-public CreateProject --ProjectName lab_project",
        Reply,
    ),
    (
        "aliyun dataworks-public CreateProjectMember --ProjectId 10000 --UserId 26529006289714283 --RoleCode role_project_guest",
        Reply,
    ),
    (
        "aliyun dataworks-public ListProjectMembers --ProjectId 10000",
        Reply,
    ),
    (
        "aliyun dataworks-public DeleteProjectMember --ProjectId 10000 --UserId 26529006289714283",
        Reply,
    ),
    // The console's pages.
    (
        "aliyun console HandOver --UserName hanmeimei",
        Object(&[
            "Logon name",
            "Logon URL",
            "Default domain",
            "Console access",
            "AccessKeys",
        ]),
    ),
    // The CLI's own refusal.
    ("aliyun ecs DescribeInstances", Fails("CliError", ERR)),
    // MaxCompute statements.
    ("create role lab_role;", Null),
    ("add user RAM$MainCount:hanmeimei;", Null),
    (
        "grant lab_role, role_project_dev to RAM$MainCount:hanmeimei;",
        Null,
    ),
    ("list users;", Strings),
    ("list roles;", Strings),
    (
        "describe role lab_role;",
        Object(&["role", "users", "acl", "policy"]),
    ),
    ("whoami;", Object(&["name", "endpoint", "project"])),
    ("setproject;", Strings),
    ("setproject odps.sql.allow.fullscan=true;", Null),
    ("show matrix for table;", Rows),
    ("use MaxCompute;", Null),
    ("use nosuch;", Fails("ODPS-0420111", ERR)),
    ("revoke lab_role from RAM$MainCount:hanmeimei;", Null),
    ("create project p;", Fails("ODPS-0420095", MATRIX_ERR)),
    ("drop project p;", Fails("ODPS-0420095", MATRIX_ERR)),
    ("remove user p4_1;", Fails("LackOfAccountProvider", ERR)),
    ("grant to x;", Fails("ODPS-0130161", ERR)),
];

/// Second pass: the key-dependent statements, deletions, and `quit`, after which nothing runs.
const SECOND: &[(&str, Shape)] = &[
    ("login {main_id} {main_secret};", Null),
    (
        "aliyun ram UpdateAccessKey --UserName hanmeimei --UserAccessKeyId {user_key} --Status Inactive",
        Reply,
    ),
    (
        "aliyun ram DeleteAccessKey --UserName hanmeimei --UserAccessKeyId {user_key}",
        Reply,
    ),
    (
        "aliyun ram DetachPolicyFromUser --PolicyType System --PolicyName AdministratorAccess --UserName hanmeimei",
        Reply,
    ),
    ("aliyun ram DeleteLoginProfile --UserName hanmeimei", Reply),
    (
        "revoke role_project_dev from RAM$MainCount:hanmeimei;",
        Null,
    ),
    ("remove user RAM$MainCount:hanmeimei;", Null),
    ("drop role lab_role;", Null),
    ("aliyun ram DeleteUser --UserName hanmeimei", Reply),
    ("aliyun ram CreateUser --UserName lilei", Reply),
    ("aliyun console DeleteUser --UserName lilei", Reply),
    (
        "setproject odps.security.ip.whitelist=10.0.0.0/8,127.0.0.1;",
        Null,
    ),
    ("show matrix;", Rows),
    ("quit;", Null),
];

const HIGH_RISK_WARNING: &str = "WARNING: AdministratorAccess is a high-risk policy";

fn script(cases: &[(&str, Shape)], keys: &[(&str, String)]) -> String {
    let mut text: String = cases.iter().map(|(s, _)| format!("{s}\n")).collect();
    for (name, value) in keys {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

fn keys_of(v: &Value) -> Vec<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// Checks one record against its statement and shape.
fn check(record: &Value, typed: &str, shape: Shape) {
    assert_eq!(
        keys_of(record),
        ["statement", "ok", "result", "error"],
        "{record}"
    );
    // The statement as typed, but never its password.
    let shown = typed.replace("Passw0rd!23", "******");
    assert_eq!(record["statement"], shown.trim_end_matches(';'), "{record}");
    let ok = !matches!(shape, Fails(..));
    assert_eq!(record["ok"], ok, "{record}");
    if ok {
        assert_eq!(record["error"], Value::Null, "{record}");
    } else {
        assert_eq!(record["result"], Value::Null, "{record}");
    }
    let result = &record["result"];
    match shape {
        Null => assert_eq!(result, &Value::Null, "{record}"),
        Strings => {
            let items = result.as_array().unwrap_or_else(|| panic!("{record}"));
            assert!(items.iter().all(Value::is_string), "{record}");
        }
        Object(keys) => assert_eq!(keys_of(result), keys, "{record}"),
        Reply => assert_eq!(keys_of(result)[0], "RequestId", "{record}"),
        Rows => {
            let rows = result.as_array().unwrap_or_else(|| panic!("{record}"));
            assert!(!rows.is_empty(), "{record}");
            for row in rows {
                assert_eq!(keys_of(row), ROW_KEYS, "{record}");
                assert!(row["row"].is_u64(), "{record}");
            }
        }
        Fails(code, keys) => {
            let error = &record["error"];
            assert_eq!(keys_of(error), keys, "{record}");
            assert_eq!(error["code"], code, "{record}");
            assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
    }
}

/// Parses `stdout` as a sequence of JSON values.
fn values(stdout: &str) -> Vec<Value> {
    serde_json::Deserializer::from_str(stdout)
        .into_iter::<Value>()
        .map(|v| v.unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}")))
        .collect()
}

/// Runs the two passes piped in `format` with `extra` arguments; returns both passes' records
/// and stderr.
fn run_both(format: &str, extra: &[&str]) -> (Vec<Value>, Vec<Value>, String) {
    let home = tempfile::tempdir().unwrap();
    let mut args = vec!["--format", format];
    args.extend_from_slice(extra);
    let out = odpsh(home.path(), &args, Some(&script(FIRST, &[])));
    assert_eq!(
        out.status.code(),
        Some(1),
        "some statements fail on purpose"
    );
    let first = values(&text(&out.stdout));
    let mut stderr = text(&out.stderr);
    let reply = |typed: &str| {
        let at = FIRST.iter().position(|(s, _)| *s == typed).unwrap();
        first[at]["result"]["AccessKey"].clone()
    };
    let user_key = reply("aliyun ram CreateAccessKey --UserName hanmeimei");
    let main_key = reply("aliyun ram CreateAccessKey");
    let keys = [
        (
            "user_key",
            user_key["AccessKeyId"].as_str().unwrap().to_string(),
        ),
        (
            "main_id",
            main_key["AccessKeyId"].as_str().unwrap().to_string(),
        ),
        (
            "main_secret",
            main_key["AccessKeySecret"].as_str().unwrap().to_string(),
        ),
    ];
    let mut second_script = script(SECOND, &keys);
    second_script.push_str("list users;\n");
    let out = odpsh(home.path(), &args, Some(&second_script));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    stderr.push_str(&text(&out.stderr));
    let second = values(&text(&out.stdout));
    // A record's statement never repeats a secret: the login's is masked.
    let shown_keys: Vec<(&str, String)> = keys
        .iter()
        .map(|(name, value)| match *name {
            "main_secret" => (*name, "******".to_string()),
            _ => (*name, value.clone()),
        })
        .collect();
    let second_typed = script(SECOND, &shown_keys);
    for (record, typed) in second.iter().zip(second_typed.lines()) {
        assert_eq!(record["statement"], typed.trim_end_matches(';'));
    }
    (first, second, stderr)
}

#[test]
fn ndjson_gives_one_line_per_statement_in_the_documented_shapes() {
    let (first, second, stderr) = run_both("ndjson", &[]);
    assert_eq!(first.len(), FIRST.len());
    for (record, (typed, shape)) in first.iter().zip(FIRST) {
        check(record, typed, *shape);
    }
    assert_eq!(second.len(), SECOND.len(), "nothing runs after quit");
    for (record, (_, shape)) in second.iter().zip(SECOND) {
        let typed = record["statement"].as_str().unwrap().to_string();
        check(record, &typed, *shape);
    }
    // Failures are in the records; stderr carries only the warning of a high-risk policy.
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with(HIGH_RISK_WARNING), "{stderr}");
}

#[test]
fn ndjson_lines_are_whole_records_and_json_is_the_same_records_pretty() {
    let home = tempfile::tempdir().unwrap();
    let input = "list roles;\nwhoami;\nremove user p4_1;\naliyun ram ListUsers\n";
    let ndjson = odpsh(home.path(), &["--fresh", "--format", "ndjson"], Some(input));
    let lines: Vec<&str> = std::str::from_utf8(&ndjson.stdout)
        .unwrap()
        .lines()
        .collect();
    assert_eq!(lines.len(), 4);
    let from_lines: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let json = odpsh(home.path(), &["--fresh", "--format", "json"], Some(input));
    let pretty = text(&json.stdout);
    assert!(pretty.lines().count() > 4, "{pretty}");
    assert_eq!(values(&pretty), from_lines);
    assert_eq!(ndjson.status.code(), Some(1));
    assert_eq!(json.status.code(), Some(1));
    assert_eq!(
        (text(&ndjson.stderr), text(&json.stderr)),
        (String::new(), String::new())
    );
}

#[test]
fn json_pretty_covers_every_statement_kind_too() {
    let (first, second, _) = run_both("json", &["--echo"]);
    let (first_nd, second_nd, _) = run_both("ndjson", &[]);
    // --echo is for text transcripts: the JSON is the same with it.
    assert_eq!(first, first_nd);
    assert_eq!(second, second_nd);
}

#[test]
fn e_stops_at_the_first_failure_with_its_record() {
    let home = tempfile::tempdir().unwrap();
    let out = odpsh(
        home.path(),
        &[
            "--fresh",
            "--format",
            "ndjson",
            "-e",
            "create role a; drop role nope; create role b;",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        concat!(
            r#"{"statement":"create role a","ok":true,"result":null,"error":null}"#,
            "\n",
            r#"{"statement":"drop role nope","ok":false,"result":null,"error":{"code":"RoleNotFound","message":"Role does not exist: nope"}}"#,
            "\n"
        )
    );
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn a_matrix_refusal_says_in_json_what_the_text_says() {
    let home = tempfile::tempdir().unwrap();
    let as_text = odpsh(home.path(), &["--fresh", "-e", "create project p;"], None);
    let as_json = odpsh(
        home.path(),
        &["--fresh", "--format", "ndjson", "-e", "create project p;"],
        None,
    );
    let record: Value = serde_json::from_slice(&as_json.stdout).unwrap();
    assert_eq!(
        format!("FAILED: {}\n", record["error"]["message"].as_str().unwrap()),
        text(&as_text.stderr)
    );
    assert_eq!(record["error"]["matrix_row"], 2);
}

#[test]
fn the_interactive_shell_prints_records_too() {
    let home = tempfile::tempdir().unwrap();
    let mut shell = Shell::start(&["--fresh", "--format", "ndjson"], home.path());
    shell.expect("odps@ MaxCompute>");
    shell.line("whoami;");
    shell.expect(r#"{"statement":"whoami","ok":true,"result":{"name":"ALIYUN$MainCount","#);
    shell.expect("odps@ MaxCompute>");
    shell.line("quit;");
    shell.expect(r#"{"statement":"quit","ok":true,"result":null,"error":null}"#);
    assert_eq!(shell.finish(), 0);
}
