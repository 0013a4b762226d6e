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

/// The state file `name` in `dir`, after `odpsh --state <it> <args>` succeeded.
fn saved_after(dir: &Path, name: &str, args: &[&str]) -> String {
    let saved = state(dir, name);
    let mut all = vec!["--state", &saved];
    all.extend_from_slice(args);
    let out = odpsh(dir, &all, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    saved
}

/// The shipped example's world (`examples/capture/make_world.odps` run), saved in `dir`.
fn made_world(dir: &Path) -> String {
    let script = root("examples/capture/make_world.odps");
    saved_after(dir, "made.world", &["-f", &script])
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
        report.contains("built: project MaxCompute: 35 members, 4 custom roles"),
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
        "odps@ p>list functions;\nf1\n",
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
fn a_ram_role_member_with_a_name_ram_refuses_is_refused() {
    refused(
        "c.txt",
        "odps@ p>list users;\nRAM$M:bob\n`RAM$5527380164285788:role/etl_job`\n",
        "3: a principal (ALIYUN$<account>, RAM$<account>:<user>, RAM$<account>:role/<role>",
    );
    refused(
        "c.txt",
        "odps@ p>describe role r;\n[users]\nv4_\n",
        "3: a principal (",
    );
}

#[test]
fn role_listings_without_their_fields_are_refused() {
    refused(
        "ram.txt",
        "$ aliyun ram ListRoles\n{\"Roles\": {\"Role\": [{\"RoleId\": \"1\", \"RoleName\": \"etl\"}]}}\n",
        "1: ListRoles JSON: Roles.Role[] with RoleId, RoleName and CreateDate",
    );
    // A listing's item is not GetRole's answer: it has no trust policy.
    refused(
        "ram.txt",
        "# roles\n$ aliyun ram GetRole --RoleName etl\n{\"Role\": {\"RoleId\": \"1\", \"RoleName\": \"etl\", \"CreateDate\": \"2026-01-01T00:00:01Z\"}}\n",
        "2: GetRole JSON: Role with RoleId, RoleName, AssumeRolePolicyDocument and CreateDate",
    );
    refused(
        "ram.txt",
        "$ aliyun ram ListPoliciesForRole --RoleName etl\n{\"Policies\": {\"Policy\": [{\"PolicyName\": \"P\"}]}}\n",
        "1: ListPoliciesForRole JSON: Policies.Policy[]",
    );
    // Which role the policies are of: the command line must say.
    refused(
        "ram.txt",
        "$ aliyun ram ListPoliciesForRole\n{\"Policies\": {\"Policy\": []}}\n",
        "1: one of the statements odpsh import reads",
    );
}

#[test]
fn a_listing_with_nothing_after_it_asks_for_stderr_too() {
    refused(
        "ram.txt",
        "$ aliyun ram ListUsers\n{\"Users\": {\"User\": []}}\n$ aliyun ram GetLoginProfile --UserName bob\n\n",
        "3: the JSON the aliyun CLI prints, or its error (there is nothing: the CLI prints errors to stderr, so save its output with 2>&1)",
    );
}

#[test]
fn console_listings_without_their_fields_are_refused() {
    refused(
        "ram.txt",
        "$ aliyun ram GetLoginProfile --UserName bob\n{\"LoginProfile\": {\"UserName\": \"bob\"}}\n",
        "1: GetLoginProfile JSON: LoginProfile with PasswordResetRequired, MFABindRequired and CreateDate",
    );
    refused(
        "ram.txt",
        "$ aliyun ram ListVirtualMFADevices\n{\"VirtualMFADevices\": {\"VirtualMFADevice\": [{\"User\": {}}]}}\n",
        "1: ListVirtualMFADevices JSON: VirtualMFADevices.VirtualMFADevice[] with SerialNumber",
    );
}

#[test]
fn custom_policy_listings_without_their_fields_are_refused() {
    refused(
        "ram.txt",
        "$ aliyun ram ListPolicies --PolicyType Custom\n{\"Policies\": {\"Policy\": [{\"PolicyName\": \"p\", \"PolicyType\": \"Custom\", \"CreateDate\": \"2026-01-01T00:00:01Z\"}]}}\n",
        "1: ListPolicies JSON: Policies.Policy[] with PolicyName, PolicyType, DefaultVersion (v<n>) and CreateDate",
    );
    refused(
        "ram.txt",
        "$ aliyun ram ListPolicyVersions --PolicyType Custom --PolicyName p\n{\"PolicyVersions\": {\"PolicyVersion\": [{\"VersionId\": \"1\"}]}}\n",
        "1: ListPolicyVersions JSON: PolicyVersions.PolicyVersion[], at least one, with VersionId (v<n>), PolicyDocument and CreateDate",
    );
}

#[test]
fn table_and_label_lines_it_cannot_read_are_refused() {
    refused(
        "c.txt",
        "odps@ p>show tables;\nnot a table\n",
        "2: a table as show tables prints it (<owner>:<table>)",
    );
    refused(
        "c.txt",
        "odps@ p>desc t;\n| Owner:   ALIYUN$M |\n| Shape: round |\n",
        "3: a line of desc's box (Owner:, TableComment:, TableLabel:, CreateTime:, …, or a column: <name> | <type> | <label> | <comment>)",
    );
    refused(
        "c.txt",
        "odps@ p>show label grants for user RAM$M:bob;\nUser Label: 12\n",
        "2: a line of show label grants (User Label: <n> or Sensitive Label Range: [<lo>, <hi>], then rows <grantee or table> | <level> | <expiry>)",
    );
}

/// The shipped capture, imported, off-boards its leaver with a plan that runs: the console
/// log-on and the MFA device go before the user, and nothing of the leaver is left.
#[test]
fn the_shipped_captures_leaver_is_offboarded_by_a_plan_that_runs() {
    let home = tempfile::tempdir().unwrap();
    let ram = root("examples/capture/ram.txt");
    let project = root("examples/capture/MaxCompute.txt");
    let saved = saved_after(home.path(), "rehearsal.world", &["import", &ram, &project]);
    let plan = odpsh(
        home.path(),
        &["--state", &saved, "offboard", "leaver_li"],
        None,
    );
    let plan = text(&plan.stdout);
    let ram_steps: Vec<&str> = plan.lines().filter(|l| l.starts_with("aliyun")).collect();
    assert_eq!(
        ram_steps,
        [
            "aliyun ram DeleteLoginProfile --UserName leaver_li",
            "aliyun ram UnbindMFADevice --UserName leaver_li",
            "aliyun ram DeleteVirtualMFADevice --SerialNumber acs:ram::5527380164285788:mfa/leaver_li-phone",
            "aliyun ram DeleteUser --UserName leaver_li",
        ],
        "{plan}"
    );
    let file = home.path().join("plan.odps");
    std::fs::write(&file, &plan).unwrap();
    let checked = odpsh(
        home.path(),
        &["--state", &saved, "check", &file.to_string_lossy()],
        None,
    );
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked.stdout));
    let ran = odpsh(
        home.path(),
        &["--state", &saved, "-f", &file.to_string_lossy()],
        None,
    );
    assert!(ran.status.success(), "{}", text(&ran.stderr));
    let users = odpsh(home.path(), &["--state", &saved, "-e", "list users;"], None);
    assert!(!text(&users.stdout).contains("leaver_li"));
    assert!(
        text(&users.stdout).contains("p4_"),
        "the old residual stays"
    );
    let gone = odpsh(
        home.path(),
        &[
            "--state",
            &saved,
            "-e",
            "aliyun ram GetUser --UserName leaver_li",
        ],
        None,
    );
    assert!(text(&gone.stderr).contains("EntityNotExist.User"));
}

#[test]
fn group_listings_without_their_fields_are_refused() {
    refused(
        "ram.txt",
        "$ aliyun ram ListGroups\n{\"Groups\": {\"Group\": [{\"GroupName\": \"ops\", \"CreateDate\": \"2026-01-01T00:00:01Z\"}]}}\n",
        "1: ListGroups JSON: Groups.Group[] with GroupId, GroupName and CreateDate",
    );
    refused(
        "ram.txt",
        "$ aliyun ram ListPoliciesForGroup --GroupName ops\n{\"Policies\": {}}\n",
        "1: ListPoliciesForGroup JSON: Policies.Policy[]",
    );
    refused(
        "ram.txt",
        "$ aliyun ram ListPoliciesForGroup --RoleName ops\n{\"Policies\": {\"Policy\": []}}\n",
        "1: one of the statements odpsh import reads",
    );
}

/// The shipped capture with RAM roles, imported into a fresh state file in `home`.
fn imported_roles(home: &Path) -> String {
    let capture = root("tests/fixtures/import/ram_roles.txt");
    saved_after(home, "roles.world", &["import", &capture])
}

#[test]
fn a_ram_role_member_imports_with_its_trust_policy_policies_roles_and_grants() {
    let home = tempfile::tempdir().unwrap();
    let saved = imported_roles(home.path());
    let run = |statement: &str| {
        let out = odpsh(home.path(), &["--state", &saved, "-e", statement], None);
        format!("{}{}", text(&out.stdout), text(&out.stderr))
    };
    let role = run("aliyun ram GetRole --RoleName etl-nightly");
    for shown in [
        "\"RoleId\": \"300000002128667957\"",
        "\"Description\": \"nightly ETL job\"",
        "dataworks.aliyuncs.com",
        "\"MaxSessionDuration\": 7200",
    ] {
        assert!(role.contains(shown), "{shown} in {role}");
    }
    let policies = run("aliyun ram ListPoliciesForRole --RoleName etl-nightly");
    assert!(
        policies.contains("AliyunMaxComputeReadOnlyAccess"),
        "{policies}"
    );
    assert_eq!(
        run("list users;"),
        "RAM$5527380164285788:role/etl-nightly\nRAM$MainCount:ops\nv4_300000000048144794\n"
    );
    let grants = run("show grants for `RAM$5527380164285788:role/etl-nightly`;");
    assert!(grants.starts_with("[roles]\netl_writer\n"), "{grants}");
    assert!(
        grants.contains("[user/RAM$5527380164285788:role/etl-nightly]\nA\tprojects/MaxCompute/tables/ods_orders: Describe"),
        "{grants}"
    );
    // The deleted role's residual stays what it is on the real side.
    assert_eq!(
        run("remove user v4_300000000048144794;"),
        "FAILED: lack of account provider\n"
    );
    let plan = run("offboard `RAM$5527380164285788:role/etl-nightly`;");
    assert!(
        plan.contains("aliyun ram DetachPolicyFromRole --PolicyType System --PolicyName AliyunMaxComputeReadOnlyAccess --RoleName etl-nightly\naliyun ram DeleteRole --RoleName etl-nightly"),
        "{plan}"
    );
}

#[test]
fn ids_made_after_an_import_are_not_the_captured_ones() {
    let home = tempfile::tempdir().unwrap();
    let (made, imported) = (state(home.path(), "made"), state(home.path(), "imported"));
    let trust = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"RAM":["acs:ram::5527380164285788:root"]}}],"Version":"1"}"#;
    let create = |role: &str, user: &str| {
        format!(
            "aliyun ram CreateRole --RoleName {role} --AssumeRolePolicyDocument '{trust}'\n\
             aliyun ram CreateUser --UserName {user}\n"
        )
    };
    let first = odpsh(
        home.path(),
        &["--state", &made],
        Some(&create("etl", "bob")),
    );
    // The capture of that world, imported: its clock starts afresh from the same account.
    let statements = odpsh(
        home.path(),
        &["--state", &made, "capture-script", "--statements"],
        None,
    );
    // Saved as a terminal shows it: what fails (GetLoginProfile of a user without a console
    // log-on) goes to stderr, in its place.
    let file = home.path().join("capture.txt");
    let saved = std::fs::File::create(&file).unwrap();
    let mut echo = common::run::command(home.path(), &["--state", &made, "--echo"])
        .stdin(std::process::Stdio::piped())
        .stdout(saved.try_clone().unwrap())
        .stderr(saved)
        .spawn()
        .unwrap();
    use std::io::Write;
    let fed = echo.stdin.take().unwrap().write_all(&statements.stdout);
    assert!(fed.is_ok() && echo.wait().is_ok());
    let out = odpsh(
        home.path(),
        &["--state", &imported, "import", &file.to_string_lossy()],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let then = odpsh(
        home.path(),
        &["--state", &imported],
        Some(&create("loader", "carol")),
    );
    let ids = |out: &std::process::Output| -> Vec<String> {
        text(&out.stdout)
            .lines()
            .filter(|l| l.contains("\"RoleId\"") || l.contains("\"UserId\""))
            .map(|l| l.trim().to_string())
            .collect()
    };
    let (before, after) = (ids(&first), ids(&then));
    assert_eq!((before.len(), after.len()), (2, 2), "{before:?} {after:?}");
    assert!(
        after.iter().all(|id| !before.contains(id)),
        "{before:?} {after:?}"
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
        "1: a ListUsers, ListRoles or GetRole document",
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
