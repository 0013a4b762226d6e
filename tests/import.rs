//! `odpsh import`: the shipped captures rebuild the world they were made from, a session
//! transcript (prompts, CRLF, Chinese comments) imports, imported AccessKeys sign nothing, and
//! each kind of line odpsh cannot read is refused as `file:line: what was expected` with nothing
//! written.

mod common;

use std::path::{Path, PathBuf};

use common::run::{odpsh, text};

fn root(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(path)
        .to_string_lossy()
        .into_owned()
}

fn state(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

/// The shipped example's world (`examples/capture/make_world.odps` run), saved in `dir`.
fn made_world(dir: &Path) -> String {
    let made = state(dir, "made.world");
    let script = root("examples/capture/make_world.odps");
    let out = odpsh(dir, &["--state", &made, "-f", &script], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    made
}

#[test]
fn the_shipped_capture_imports_to_the_world_it_was_made_from() {
    let home = tempfile::tempdir().unwrap();
    let made = made_world(home.path());
    let imported = state(home.path(), "imported.world");
    let out = odpsh(
        home.path(),
        &[
            "--state",
            &imported,
            "import",
            &root("examples/capture/ram.txt"),
            &root("examples/capture/MaxCompute.txt"),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    assert!(
        report.contains("built: project MaxCompute: 34 members, 4 custom roles"),
        "{report}"
    );
    assert!(report.contains("residual members"), "{report}");
    let diff = odpsh(home.path(), &["diff", &made, &imported], None);
    assert_eq!(text(&diff.stdout), "");
    assert_eq!(diff.status.code(), Some(0));
}

#[test]
fn a_session_transcript_with_crlf_and_chinese_comments_imports() {
    let home = tempfile::tempdir().unwrap();
    let saved = state(home.path(), "w");
    let capture = root("tests/fixtures/import/session_zh_crlf.txt");
    let out = odpsh(home.path(), &["--state", &saved, "import", &capture], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = odpsh(
        home.path(),
        &[
            "--state",
            &saved,
            "-e",
            "list users; show grants for RAM$MainCount:zhangsan;",
        ],
        None,
    );
    let shown = text(&shown.stdout);
    assert!(shown.contains("p4_26529001234567890"), "{shown}");
    assert!(
        shown.contains("A\tprojects/MaxCompute/tables/customers/phone: Select\tExpires:2026-04-01T00:00:00+0000"),
        "{shown}"
    );
}

#[test]
fn json_reports_say_what_was_built_not_inferred_and_assumed() {
    let home = tempfile::tempdir().unwrap();
    let saved = state(home.path(), "w");
    let capture = root("tests/fixtures/import/session_zh_crlf.txt");
    let out = odpsh(
        home.path(),
        &["--state", &saved, "--format", "json", "import", &capture],
        None,
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["built", "not_inferred", "assumed"] {
        assert!(
            v[key].as_array().is_some_and(|a| !a.is_empty()),
            "{key}: {v}"
        );
    }
}

#[test]
fn imported_access_keys_sign_nothing() {
    let home = tempfile::tempdir().unwrap();
    let saved = state(home.path(), "w");
    let out = odpsh(
        home.path(),
        &[
            "--state",
            &saved,
            "import",
            &root("examples/capture/ram.txt"),
            &root("examples/capture/MaxCompute.txt"),
        ],
        None,
    );
    assert!(out.status.success());
    let keys = odpsh(
        home.path(),
        &[
            "--state",
            &saved,
            "-e",
            "aliyun ram ListAccessKeys --UserName zhangwei",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_slice(&keys.stdout).unwrap();
    let id = v["AccessKeys"]["AccessKey"][0]["AccessKeyId"]
        .as_str()
        .unwrap()
        .to_string();
    for secret in ["", "anything"] {
        let out = odpsh(
            home.path(),
            &["--state", &saved, "-u", &id, "-p", secret, "-e", "whoami;"],
            None,
        );
        assert!(!out.status.success(), "{id} signed with {secret:?}");
    }
}

/// Imports `capture` (written to a file named `name`) into a state that holds a world already,
/// and checks the refusal: the message, exit 2, the state unchanged.
fn refused(name: &str, capture: &str, expected: &str) {
    let home = tempfile::tempdir().unwrap();
    let saved = state(home.path(), "w");
    let out = odpsh(
        home.path(),
        &["--state", &saved, "-e", "create role before;"],
        None,
    );
    assert!(out.status.success());
    let before = std::fs::read(&saved).unwrap();
    let file: PathBuf = home.path().join(name);
    std::fs::write(&file, capture).unwrap();
    let out = odpsh(
        home.path(),
        &["--state", &saved, "import", &file.to_string_lossy()],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    let want = format!("{}:{expected}", file.display());
    assert!(err.contains(&want), "wanted {want}\ngot {err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(std::fs::read(&saved).unwrap(), before, "the state changed");
}

#[test]
fn a_line_before_any_prompt_is_refused() {
    refused(
        "c.txt",
        "-- ok\nhello\n",
        "2: a prompt (odps@ <project>><statement>",
    );
}

#[test]
fn a_statement_import_does_not_read_is_refused() {
    refused(
        "c.txt",
        "odps@ p>show tables;\nt1\n",
        "1: one of the statements odpsh import reads",
    );
}

#[test]
fn a_line_that_is_not_a_principal_is_refused() {
    refused(
        "c.txt",
        "odps@ p>list users;\nRAM$M:bob\nnot a user\n",
        "3: a principal (ALIYUN$<account>",
    );
}

#[test]
fn a_ram_role_member_is_refused_as_not_imported_yet() {
    refused(
        "c.txt",
        "odps@ p>list users;\nRAM$M:bob\n`RAM$5527380164285788:role/etl`\n",
        "3: a user or a residual user (a RAM role as a member, RAM$<account>:role/<name> or v4_<RoleId>, is not imported yet",
    );
    refused(
        "c.txt",
        "odps@ p>describe role r;\n[users]\nv4_300000004209191120\n",
        "3: a user or a residual user (a RAM role as a member",
    );
}

#[test]
fn a_grant_line_with_an_unknown_action_is_refused() {
    refused(
        "c.txt",
        "odps@ p>describe role r;\r\n[users]\r\n\r\nAuthorization Type: ACL\r\nA\tprojects/p/tables/t: Frobnicate\r\n",
        "5: a grant line",
    );
}

#[test]
fn a_resource_of_another_project_is_refused() {
    refused(
        "c.txt",
        "odps@ p>describe role r;\n[users]\n\nAuthorization Type: ACL\nA\tprojects/q/tables/t: Select\n",
        "5: a resource of this project",
    );
}

#[test]
fn broken_json_is_refused_at_its_line() {
    refused(
        "ram.txt",
        "$ aliyun ram ListUsers\n{\n  \"Users\": {\n    \"User\": [\n  ,]\n}\n",
        "5: the JSON the aliyun CLI prints",
    );
}

#[test]
fn a_listing_without_its_fields_is_refused() {
    refused(
        "ram.txt",
        "$ aliyun ram ListUsers\n{\"Users\": {\"User\": [{\"UserName\": \"bob\"}]}}\n",
        "1: ListUsers JSON: Users.User[] with UserId",
    );
}

#[test]
fn a_security_line_that_is_not_a_setting_is_refused() {
    refused(
        "c.txt",
        "odps@ p>show SecurityConfiguration;\nProjectProtection=maybe\n",
        "2: a security setting",
    );
}

#[test]
fn a_statement_without_a_project_is_refused() {
    refused(
        "c.txt",
        "odps@ >list users;\nRAM$M:bob\n",
        "1: a project for this statement",
    );
}

#[test]
fn a_file_without_any_statement_is_refused() {
    refused("c.txt", "-- 空的\n\n", "1: a capture");
}

#[test]
fn a_json_file_that_is_not_a_user_listing_is_refused() {
    refused(
        "keys.json",
        "{\"AccessKeys\": {\"AccessKey\": []}}\n",
        "1: a ListUsers document",
    );
}

#[test]
fn every_unreadable_line_is_reported_not_only_the_first() {
    let home = tempfile::tempdir().unwrap();
    let saved = state(home.path(), "w");
    let file = home.path().join("c.txt");
    std::fs::write(&file, "odps@ p>list users;\nbad one\nRAM$M:ok\nbad two\n").unwrap();
    let out = odpsh(
        home.path(),
        &["--state", &saved, "import", &file.to_string_lossy()],
        None,
    );
    let err = text(&out.stderr);
    assert!(
        err.contains("c.txt:2:") && err.contains("c.txt:4:"),
        "{err}"
    );
    assert!(
        !Path::new(&saved).exists(),
        "a refused import wrote the state"
    );
}

#[test]
fn fresh_has_no_state_to_import_into() {
    let home = tempfile::tempdir().unwrap();
    let capture = root("tests/fixtures/import/session_zh_crlf.txt");
    let out = odpsh(home.path(), &["--fresh", "import", &capture], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--fresh keeps no saved world"));
}

/// The capture script, run against stand-ins for odpscmd and aliyun that ask odpsh (over the
/// shipped example's world), saves what `odpsh import` reads back to the same world.
#[cfg(unix)]
#[test]
fn the_capture_script_output_imports_back() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let made = made_world(home.path());
    let bin = home.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let odpsh_bin = env!("CARGO_BIN_EXE_odpsh");
    let stubs = [
        (
            "odpscmd",
            format!("#!/bin/sh\nexec '{odpsh_bin}' --state '{made}' \"$@\"\n"),
        ),
        (
            "aliyun",
            format!("#!/bin/sh\nexec '{odpsh_bin}' --state '{made}' -e \"aliyun $*\"\n"),
        ),
    ];
    for (name, body) in stubs {
        let path = bin.join(name);
        std::fs::write(&path, body).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let script = odpsh(home.path(), &["--state", &made, "capture-script"], None);
    let script_path = home.path().join("capture.sh");
    std::fs::write(&script_path, &script.stdout).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let dir = home.path().join("capture");
    let ran = std::process::Command::new("sh")
        .arg(&script_path)
        .arg(&dir)
        .env("PATH", path)
        .env("ODPSH_HOME", home.path())
        .output()
        .unwrap();
    assert!(ran.status.success(), "{}", text(&ran.stderr));
    let imported = state(home.path(), "imported.world");
    let files: Vec<String> = ["ram.txt", "MaxCompute.txt"]
        .iter()
        .map(|f| dir.join(f).to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["--state", &imported, "import"];
    args.extend(files.iter().map(String::as_str));
    let out = odpsh(home.path(), &args, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let diff = odpsh(home.path(), &["diff", &made, &imported], None);
    assert_eq!(
        (diff.status.code(), text(&diff.stdout)),
        (Some(0), String::new())
    );
}
