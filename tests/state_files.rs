//! Bad state files through the real binary: a file that is not JSON, has an unknown schema
//! version or breaks an invariant makes every entry point refuse to start (exit 2) with a
//! message naming the file and the problem, and leaves the file byte for byte as it was; a
//! residual member is fine; an older file is migrated with its original kept beside it.

mod common;

use std::path::Path;

use common::pty::Shell;
use common::run::{file_names, odpsh, text};
use odpsh::world::SCHEMA_VERSION;

const V1_FIXTURE: &str = "tests/fixtures/world_v1.json";
/// A snapshot of schema version 3 (before labels), written by odpsh at that version: hanmeimei
/// a developer of MaxCompute with Select on its table `sales`.
const V3_SNAPSHOT: &str = "tests/fixtures/world_v3.snapshot";
/// A snapshot of schema version 4 (before RAM groups, MFA, policy versions), written by odpsh at
/// that version: hanmeimei with a comment, an AccessKey, console access, the custom policy
/// ReadLogs and AliyunRAMReadOnlyAccess, a developer of MaxCompute; the account lets users
/// manage their keys.
const V4_SNAPSHOT: &str = "tests/fixtures/world_v4.snapshot";

/// The default world as a JSON value, to be spoiled.
fn default_world() -> serde_json::Value {
    serde_json::from_str(&odpsh::store::export_text(&odpsh::store::builtin_world())).unwrap()
}

/// A world file that breaks an invariant: a member bound to a role that does not exist.
fn binding_to_a_missing_role() -> String {
    let mut world = default_world();
    world["projects"]["maxcompute"]["members"] =
        serde_json::json!({"p4_26529006289714283": {"roles": ["ghost"]}});
    world.to_string()
}

/// A snapshot as odpsh saves it (of the default world with one custom role), to be spoiled.
fn snapshot() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let store = odpsh::store::Store::new(dir.path().join("world.json"));
    let mut world = odpsh::store::builtin_world();
    world
        .project_mut("MaxCompute")
        .unwrap()
        .create_role("spoiled")
        .unwrap();
    store.save(&world).unwrap();
    std::fs::read(store.path()).unwrap()
}

/// Bad files and what the refusal says about each: JSON ones, then spoiled snapshots.
fn bad_files() -> Vec<(&'static str, Vec<u8>, String)> {
    let future = SCHEMA_VERSION + 1;
    let good = snapshot();
    let len = good.len();
    let mut wrong_magic = good.clone();
    wrong_magic[1] = b'Q';
    let mut newer = good.clone();
    newer[8..12].copy_from_slice(&future.to_le_bytes());
    let mut damaged = good.clone();
    damaged[len - 3] ^= 0x40;
    vec![
        (
            "not JSON",
            b"{\"schema_version\": 2, \"clock\": ".to_vec(),
            "is not a valid odpsh world: not JSON (EOF while parsing".to_string(),
        ),
        (
            "not UTF-8",
            b"\x00\x01garbage".to_vec(),
            "is not a valid odpsh world: not JSON".to_string(),
        ),
        (
            "no schema version",
            b"{\"worlds\": []}".to_vec(),
            "is not a valid odpsh world: no schema_version".to_string(),
        ),
        (
            "a schema version from the future",
            format!("{{\"schema_version\": {future}}}").into_bytes(),
            format!("has schema version {future}; this odpsh reads versions 1 to {SCHEMA_VERSION}"),
        ),
        (
            "a binding to a missing role",
            binding_to_a_missing_role().into_bytes(),
            "is not a valid odpsh world: member p4_26529006289714283 of project MaxCompute holds role ghost, which does not exist".to_string(),
        ),
        (
            "a truncated snapshot",
            good[..len - 10].to_vec(),
            format!(
                "is not a valid odpsh world: the snapshot is truncated ({} of {len} bytes)",
                len - 10
            ),
        ),
        (
            "a snapshot cut inside its header",
            good[..20].to_vec(),
            "is not a valid odpsh world: the snapshot is truncated (20 of 48 bytes)".to_string(),
        ),
        (
            "a snapshot with the wrong magic bytes",
            wrong_magic,
            "is not a valid odpsh world: not an odpsh snapshot".to_string(),
        ),
        (
            "a snapshot of a schema version from the future",
            newer,
            format!("has schema version {future}; this odpsh reads versions 1 to {SCHEMA_VERSION}"),
        ),
        (
            "a damaged snapshot",
            damaged,
            "is not a valid odpsh world: the snapshot is damaged (checksum mismatch)".to_string(),
        ),
    ]
}

/// Files in `home` besides the world and its lock: there must be none after a refusal.
fn strays(home: &Path) -> Vec<String> {
    file_names(home)
        .into_iter()
        .filter(|n| n != "world.json" && n != "world.json.lock")
        .collect()
}

#[test]
fn every_entry_point_refuses_a_bad_file_and_leaves_it_as_it_was() {
    for (what, content, problem) in bad_files() {
        let home = tempfile::tempdir().unwrap();
        let state = home.path().join("world.json");
        std::fs::write(&state, &content).unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let script = elsewhere.path().join("script.odps");
        std::fs::write(&script, "create role x;\n").unwrap();
        let export_path = elsewhere.path().join("out.json");
        let runs: Vec<(&str, Vec<&str>, Option<&str>)> = vec![
            ("-e", vec!["-e", "create role x;"], None),
            ("-f", vec!["-f", script.to_str().unwrap()], None),
            ("piped", vec![], Some("create role x;\n")),
            ("world export", vec!["world", "export"], None),
            ("serve", vec!["serve", "--bind", "127.0.0.1:0"], None),
            (
                "world export PATH",
                vec!["world", "export", export_path.to_str().unwrap()],
                None,
            ),
        ];
        for (how, args, stdin) in runs {
            let out = odpsh(home.path(), &args, stdin);
            let stderr = text(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{what}, {how}: {stderr}");
            assert!(
                stderr.starts_with(&format!("odpsh: {} {problem}", state.display())),
                "{what}, {how}: {stderr}"
            );
            assert!(
                stderr.contains("the file is left as it is"),
                "{what}, {how}: {stderr}"
            );
            assert_eq!(text(&out.stdout), "", "{what}, {how}");
            assert_eq!(
                std::fs::read(&state).unwrap(),
                content,
                "{what}, {how}: the file was changed"
            );
            assert_eq!(strays(home.path()), Vec::<String>::new(), "{what}, {how}");
        }
        assert!(!export_path.exists(), "{what}: an export was written");
    }
}

#[test]
fn the_refusal_names_the_state_option_in_its_advice() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("lab.json");
    std::fs::write(&state, "nope").unwrap();
    let state = state.to_str().unwrap();
    let out = odpsh(home.path(), &["--state", state, "-e", "list roles;"], None);
    assert_eq!(out.status.code(), Some(2));
    let expected = format!(
        "odpsh: the file is left as it is: repair it, or replace it with `odpsh --state {state} world import <file>` or `odpsh --state {state} world reset`\n"
    );
    assert!(
        text(&out.stderr).ends_with(&expected),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_interactive_shell_refuses_a_bad_file_before_its_prompt() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("world.json");
    std::fs::write(&state, "{not json").unwrap();
    let mut shell = Shell::start(&[], home.path());
    shell.expect(&format!(
        "odpsh: {} is not a valid odpsh world: not JSON",
        state.display()
    ));
    assert_eq!(shell.finish(), 2);
    assert_eq!(std::fs::read_to_string(&state).unwrap(), "{not json");
}

#[test]
fn a_file_spoiled_while_a_shell_is_open_is_refused_and_left_as_it_was() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("world.json");
    let mut shell = Shell::start(&[], home.path());
    shell.expect("odps@ MaxCompute>");
    shell.line("create role kept;");
    shell.expect("OK");
    shell.expect("odps@ MaxCompute>");
    let good = std::fs::read(&state).unwrap();
    let spoiled = binding_to_a_missing_role();
    std::fs::write(&state, &spoiled).unwrap();
    shell.line("create role lost;");
    shell.expect("holds role ghost, which does not exist; the statement did not run");
    shell.expect("odps@ MaxCompute>");
    assert_eq!(std::fs::read_to_string(&state).unwrap(), spoiled);
    // Repaired, the shell goes on from the file as it now is.
    std::fs::write(&state, &good).unwrap();
    shell.line("list roles;");
    let roles = shell.expect("super_administrator");
    assert!(roles.contains("kept") && !roles.contains("lost"), "{roles}");
    shell.expect("odps@ MaxCompute>");
    // Spoiled again: a typo is still a syntax error, and quit; still leaves.
    std::fs::write(&state, "{").unwrap();
    shell.line("list rolez;");
    shell.expect("FAILED: ODPS-0130161:[1,6] Parse exception");
    shell.expect("odps@ MaxCompute>");
    shell.line("quit;");
    assert_eq!(shell.finish(), 0);
    assert_eq!(std::fs::read_to_string(&state).unwrap(), "{");
}

#[test]
fn a_residual_member_is_not_a_broken_file() {
    let home = tempfile::tempdir().unwrap();
    let mut world = default_world();
    world["projects"]["maxcompute"]["members"] =
        serde_json::json!({"p4_26529006289714283": {"roles": ["role_project_dev"]}});
    std::fs::write(home.path().join("world.json"), world.to_string()).unwrap();
    let out = odpsh(home.path(), &["-e", "list users;"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "p4_26529006289714283\n");
}

#[test]
fn an_older_file_is_migrated_and_its_original_kept_beside_it() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("world.json");
    let original = std::fs::read(V1_FIXTURE).unwrap();
    std::fs::write(&state, &original).unwrap();
    // The first read carries it forward to a snapshot, the original kept beside it.
    let out = odpsh(home.path(), &["-e", "list users;"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "RAM$MainCount:hanmeimei\n");
    assert_eq!(
        std::fs::read(&state).unwrap()[8..12],
        SCHEMA_VERSION.to_le_bytes()
    );
    let backup = home.path().join("world.json.v1.bak");
    assert_eq!(std::fs::read(&backup).unwrap(), original);
    // A change saves the migrated world; the backup keeps the original.
    let out = odpsh(
        home.path(),
        &[
            "-e",
            "create role after_migration; describe role role_project_dev;",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with(
            "OK\n[users]\nRAM$MainCount:hanmeimei\n\nAuthorization Type: Policy\nA\tprojects/MaxCompute: All\n"
        ),
        "{}",
        text(&out.stdout)
    );
    let saved = odpsh::store::decode_bytes(&state, &std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(saved.schema_version, SCHEMA_VERSION);
    assert_eq!(std::fs::read(&backup).unwrap(), original);
    assert_eq!(
        file_names(home.path()),
        [
            "world.json",
            "world.json.journal",
            "world.json.lock",
            "world.json.v1.bak"
        ]
    );
}

#[test]
fn a_version_3_snapshot_is_read_and_carried_forward_to_version_4() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("world.json");
    let original = std::fs::read(V3_SNAPSHOT).unwrap();
    std::fs::write(&state, &original).unwrap();
    let out = odpsh(
        home.path(),
        &["-e", "show grants for RAM$MainCount:hanmeimei;"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("A\tprojects/MaxCompute/tables/sales: Select\n"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(std::fs::read(&state).unwrap(), original);
    let out = odpsh(home.path(), &["-e", "set label 2 to table sales;"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let saved = std::fs::read(&state).unwrap();
    assert_eq!(saved[8..12], SCHEMA_VERSION.to_le_bytes());
    let backup = home.path().join("world.json.v3.bak");
    assert_eq!(std::fs::read(&backup).unwrap(), original);
}

#[test]
fn a_version_4_snapshot_is_read_with_its_ram_and_carried_forward() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("world.json");
    let original = std::fs::read(V4_SNAPSHOT).unwrap();
    std::fs::write(&state, &original).unwrap();
    let out = odpsh(
        home.path(),
        &[
            "-e",
            "aliyun ram GetPolicy --PolicyType Custom --PolicyName ReadLogs",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let policy = text(&out.stdout);
    assert!(policy.contains("\"DefaultVersion\": \"v1\""), "{policy}");
    assert!(policy.contains("log:Get*"), "{policy}");
    let out = odpsh(
        home.path(),
        &["-e", "aliyun ram ListAccessKeys --UserName hanmeimei"],
        None,
    );
    assert!(
        text(&out.stdout).contains("LTAIIViXZ64vgGHmPSJNHFLO"),
        "{}",
        text(&out.stdout)
    );
    let out = odpsh(
        home.path(),
        &["-e", "aliyun ram CreateGroup --GroupName data-eng"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let saved = std::fs::read(&state).unwrap();
    assert_eq!(saved[8..12], SCHEMA_VERSION.to_le_bytes());
    let backup = home.path().join("world.json.v4.bak");
    assert_eq!(std::fs::read(&backup).unwrap(), original);
    let out = odpsh(
        home.path(),
        &["-e", "aliyun ram GetSecurityPreference"],
        None,
    );
    assert!(
        text(&out.stdout).contains("\"AllowUserToManageAccessKeys\": true"),
        "{}",
        text(&out.stdout)
    );
}

/// A version 7 snapshot (written by odpsh before RAM roles, issue 19): hanmeimei with an
/// AccessKey, in the group data-eng, a developer of MaxCompute.
const V7_SNAPSHOT: &str = "tests/fixtures/world_v7.snapshot";

#[test]
fn a_version_7_snapshot_is_read_without_roles_and_carried_forward() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("world.json");
    let original = std::fs::read(V7_SNAPSHOT).unwrap();
    assert_eq!(original[8..12], 7u32.to_le_bytes());
    std::fs::write(&state, &original).unwrap();
    let out = odpsh(
        home.path(),
        &[
            "-e",
            "list users; aliyun ram ListGroupsForUser --UserName hanmeimei",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let listed = text(&out.stdout);
    assert!(listed.starts_with("RAM$MainCount:hanmeimei\n"), "{listed}");
    assert!(listed.contains("\"GroupName\": \"data-eng\""), "{listed}");
    let trust = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"RAM":["acs:ram::5527380164285788:root"]}}],"Version":"1"}"#;
    let create =
        format!("aliyun ram CreateRole --RoleName etl --AssumeRolePolicyDocument '{trust}'");
    let out = odpsh(home.path(), &["-e", &create], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let saved = std::fs::read(&state).unwrap();
    assert_eq!(saved[8..12], SCHEMA_VERSION.to_le_bytes());
    let out = odpsh(
        home.path(),
        &[
            "-e",
            "aliyun ram ListRoles; aliyun ram ListAccessKeys --UserName hanmeimei",
        ],
        None,
    );
    let both = text(&out.stdout);
    assert!(both.contains("\"RoleName\": \"etl\""), "{both}");
    assert!(both.contains("\"AccessKeyId\": \"LTAI"), "{both}");
}

#[test]
fn importing_a_bad_file_changes_nothing() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("world.json");
    let out = odpsh(home.path(), &["-e", "create role mine;"], None);
    assert_eq!(out.status.code(), Some(0));
    let saved = std::fs::read(&state).unwrap();
    let lessons = tempfile::tempdir().unwrap();
    for (what, content, problem) in bad_files() {
        let lesson = lessons.path().join("lesson.json");
        std::fs::write(&lesson, &content).unwrap();
        let out = odpsh(
            home.path(),
            &["world", "import", lesson.to_str().unwrap()],
            None,
        );
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
        assert!(
            stderr.starts_with(&format!("odpsh: {} {problem}", lesson.display())),
            "{what}: {stderr}"
        );
        assert!(
            stderr.ends_with(&format!(
                "odpsh: nothing was imported; {} is as it was\n",
                state.display()
            )),
            "{what}: {stderr}"
        );
        assert_eq!(std::fs::read(&state).unwrap(), saved, "{what}");
        assert_eq!(std::fs::read(&lesson).unwrap(), content, "{what}");
        assert_eq!(strays(home.path()), Vec::<String>::new(), "{what}");
    }
    let missing = lessons.path().join("missing.json");
    let out = odpsh(
        home.path(),
        &["world", "import", missing.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with(&format!("odpsh: cannot read {}: ", missing.display())),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read(&state).unwrap(), saved);
}

/// Makes saving `path` fail until dropped, for root (the immutable attribute) or anyone else
/// (a read-only directory). `None` where neither is possible.
struct SaveBlocker {
    undo: Vec<String>,
    dir: std::path::PathBuf,
    mode: Option<u32>,
}

impl SaveBlocker {
    fn block(path: &Path) -> Option<SaveBlocker> {
        use std::os::unix::fs::PermissionsExt;
        let dir = path.parent().unwrap().to_path_buf();
        let root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| text(&o.stdout).trim() == "0");
        if root {
            // The file and its directory: neither a new snapshot nor a new journal can be made.
            let done = std::process::Command::new("chattr")
                .arg("+i")
                .arg(path)
                .arg(&dir)
                .status()
                .is_ok_and(|s| s.success());
            return done.then(|| SaveBlocker {
                undo: vec![
                    "-i".into(),
                    path.to_string_lossy().into_owned(),
                    dir.to_string_lossy().into_owned(),
                ],
                dir,
                mode: None,
            });
        }
        let mode = std::fs::metadata(&dir).ok()?.permissions().mode();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).ok()?;
        Some(SaveBlocker {
            undo: Vec::new(),
            dir,
            mode: Some(mode),
        })
    }
}

impl Drop for SaveBlocker {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if !self.undo.is_empty() {
            let _ = std::process::Command::new("chattr")
                .args(&self.undo)
                .status();
        }
        if let Some(mode) = self.mode {
            let _ = std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(mode));
        }
    }
}

#[test]
fn a_change_the_shell_could_not_save_is_forgotten() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("world.json");
    let out = odpsh(home.path(), &["-e", "create role base;"], None);
    assert_eq!(out.status.code(), Some(0));
    let saved = std::fs::read(&state).unwrap();
    let mut shell = Shell::start(&[], home.path());
    shell.expect("odps@ MaxCompute>");
    shell.line("list roles;");
    shell.expect("base");
    shell.expect("odps@ MaxCompute>");
    let Some(blocker) = SaveBlocker::block(&state) else {
        eprintln!("skipped: saving cannot be made to fail here (no chattr, no permissions)");
        return;
    };
    shell.line("create role unsaved;");
    shell.expect("; the change is not saved");
    shell.expect("odps@ MaxCompute>");
    drop(blocker);
    assert_eq!(std::fs::read(&state).unwrap(), saved);
    // The shell does not go on from a world the file never held.
    shell.line("list roles;");
    let roles = shell.expect("super_administrator");
    assert!(
        roles.contains("base") && !roles.contains("unsaved"),
        "{roles}"
    );
    shell.expect("odps@ MaxCompute>");
    shell.line("create role saved_again;");
    shell.expect("OK");
    shell.expect("odps@ MaxCompute>");
    shell.line("quit;");
    assert_eq!(shell.finish(), 0);
    let out = odpsh(home.path(), &["-e", "list roles;"], None);
    let roles = text(&out.stdout);
    assert!(
        roles.contains("saved_again\n") && !roles.contains("unsaved"),
        "{roles}"
    );
    assert_eq!(strays(home.path()), ["history.txt"]);
}

#[test]
fn a_json_state_file_is_carried_forward_to_a_snapshot_with_its_original_kept() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("lab.json");
    let state_arg = state.to_str().unwrap();
    // A state file as an earlier odpsh wrote it: JSON of the current schema.
    let mut world = default_world();
    world["projects"]["maxcompute"]["members"] =
        serde_json::json!({"p4_26529006289714283": {"roles": ["role_project_dev"]}});
    let original = serde_json::to_string_pretty(&world).unwrap();
    std::fs::write(&state, &original).unwrap();
    let out = odpsh(
        home.path(),
        &["--state", state_arg, "-e", "list users;"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "p4_26529006289714283\n");
    // The first read carries it forward: reads after it parse no JSON.
    let saved = std::fs::read(&state).unwrap();
    assert_eq!(saved[..6], [0x89, b'O', b'D', b'P', b'S', b'H']);
    let backup = home.path().join("lab.json.bak");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), original);
    // The next change is committed to the snapshot's journal; the JSON original stays.
    let out = odpsh(
        home.path(),
        &["--state", state_arg, "-e", "create role carried;"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let saved = std::fs::read(&state).unwrap();
    assert_eq!(saved[..6], [0x89, b'O', b'D', b'P', b'S', b'H']);
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), original);
    // Exported, it is the same JSON plus the change.
    let out = odpsh(
        home.path(),
        &["--state", state_arg, "world", "export"],
        None,
    );
    let mut exported: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        exported["projects"]["maxcompute"]["roles"]["carried"],
        serde_json::json!({"builtin": false})
    );
    exported["projects"]["maxcompute"]["roles"]
        .as_object_mut()
        .unwrap()
        .remove("carried");
    assert_eq!(exported, world);
    assert_eq!(
        file_names(home.path()),
        [
            "lab.json",
            "lab.json.bak",
            "lab.json.journal",
            "lab.json.lock"
        ]
    );
}
