//! Worlds as files through the real binary: `odpsh world export [PATH]`, `world import PATH`
//! and `world reset`, so that a trainer can ship a prepared world with a lesson. The default
//! world is one of these files, built into the binary.

mod common;

use std::path::Path;

use common::run::{command, file_names, odpsh, text};

const DEFAULT_WORLD: &str = include_str!("../worlds/default.json");

/// A lesson's world: a RAM user with a key and a policy, a member with roles, a custom role.
const LESSON: &str = "\
aliyun ram CreateUser --UserName hanmeimei
aliyun ram CreateAccessKey --UserName hanmeimei
aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunDataWorksFullAccess --UserName hanmeimei
create role lesson_reader;
add user RAM$MainCount:hanmeimei;
grant role_project_dev, lesson_reader to RAM$MainCount:hanmeimei;
";

fn export(home: &Path, extra: &[&str]) -> String {
    let mut args = extra.to_vec();
    args.extend(["world", "export"]);
    let out = odpsh(home, &args, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    text(&out.stdout)
}

#[test]
fn the_default_world_is_the_file_built_into_the_binary() {
    let home = tempfile::tempdir().unwrap();
    assert_eq!(export(home.path(), &["--fresh"]), DEFAULT_WORLD);
    // No saved world yet: the default one, and exporting it saves nothing.
    assert_eq!(export(home.path(), &[]), DEFAULT_WORLD);
    assert_eq!(file_names(home.path()), Vec::<String>::new());
}

#[test]
fn a_world_exported_and_imported_elsewhere_is_the_same_world() {
    let trainer = tempfile::tempdir().unwrap();
    let out = odpsh(trainer.path(), &[], Some(LESSON));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let to_stdout = export(trainer.path(), &[]);
    let lesson = trainer.path().join("lesson.json");
    let out = odpsh(
        trainer.path(),
        &["world", "export", lesson.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        (text(&out.stdout), text(&out.stderr)),
        (String::new(), String::new())
    );
    assert_eq!(std::fs::read_to_string(&lesson).unwrap(), to_stdout);

    let learner = tempfile::tempdir().unwrap();
    let out = odpsh(
        learner.path(),
        &["-e", "create role will_be_replaced;"],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let out = odpsh(
        learner.path(),
        &["world", "import", lesson.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        format!(
            "odpsh: imported {} into {}\n",
            lesson.display(),
            learner.path().join("world.json").display()
        )
    );
    assert_eq!(export(learner.path(), &[]), to_stdout);
    let check = "list users; list roles; describe role lesson_reader;\naliyun ram ListAccessKeys --UserName hanmeimei\n";
    let there = odpsh(trainer.path(), &[], Some(check));
    let here = odpsh(learner.path(), &[], Some(check));
    assert_eq!(here.status.code(), Some(0), "{}", text(&here.stderr));
    assert_eq!(text(&here.stdout), text(&there.stdout));
    assert!(!text(&here.stdout).contains("will_be_replaced"));
    assert!(text(&here.stdout).contains("[users]\nRAM$MainCount:hanmeimei\n"));
}

#[test]
fn reset_brings_back_the_default_world() {
    let home = tempfile::tempdir().unwrap();
    let out = odpsh(home.path(), &[], Some(LESSON));
    assert_eq!(out.status.code(), Some(0));
    assert_ne!(export(home.path(), &[]), DEFAULT_WORLD);
    let out = odpsh(home.path(), &["world", "reset"], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stderr),
        format!(
            "odpsh: {} now holds the default world\n",
            home.path().join("world.json").display()
        )
    );
    assert_eq!(export(home.path(), &[]), DEFAULT_WORLD);
    let out = odpsh(home.path(), &["-e", "list users;"], None);
    assert_eq!(text(&out.stdout), "OK\n");
}

#[test]
fn the_state_option_chooses_the_file() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("labs/lab1.json");
    let state = state.to_str().unwrap();
    let out = odpsh(
        home.path(),
        &["--state", state, "-e", "create role lab1;"],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(export(home.path(), &["--state", state]).contains("\"lab1\""));
    let out = odpsh(home.path(), &["--state", state, "world", "reset"], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(export(home.path(), &["--state", state]), DEFAULT_WORLD);
    assert_eq!(file_names(home.path()), ["labs"]);
}

#[test]
fn an_older_lesson_is_imported_as_the_current_version() {
    let home = tempfile::tempdir().unwrap();
    let lessons = tempfile::tempdir().unwrap();
    let lesson = lessons.path().join("old_lesson.json");
    let original = std::fs::read("tests/fixtures/world_v1.json").unwrap();
    std::fs::write(&lesson, &original).unwrap();
    let out = odpsh(
        home.path(),
        &["world", "import", lesson.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let saved: serde_json::Value = serde_json::from_str(&export(home.path(), &[])).unwrap();
    assert_eq!(saved["schema_version"], odpsh::world::SCHEMA_VERSION);
    // The lesson file itself is left as it was, with nothing beside it.
    assert_eq!(std::fs::read(&lesson).unwrap(), original);
    assert_eq!(file_names(lessons.path()), ["old_lesson.json"]);
    let out = odpsh(home.path(), &["-e", "list users;"], None);
    assert_eq!(text(&out.stdout), "RAM$MainCount:hanmeimei\n");
}

#[test]
fn fresh_has_no_saved_world_to_import_into_or_reset() {
    let home = tempfile::tempdir().unwrap();
    let lesson = home.path().join("lesson.json");
    std::fs::write(&lesson, DEFAULT_WORLD).unwrap();
    for args in [
        vec!["--fresh", "world", "import", lesson.to_str().unwrap()],
        vec!["--fresh", "world", "reset"],
    ] {
        let out = odpsh(home.path(), &args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            text(&out.stderr),
            "odpsh: --fresh keeps no saved world to import into or reset\n"
        );
    }
    assert_eq!(file_names(home.path()), ["lesson.json"]);
}

#[test]
fn an_export_that_cannot_be_written_says_so() {
    let home = tempfile::tempdir().unwrap();
    let nowhere = home.path().join("missing/dir/out.json");
    let out = odpsh(
        home.path(),
        &["--fresh", "world", "export", nowhere.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with(&format!(
            "odpsh: cannot create a temporary file beside {}: ",
            nowhere.display()
        )),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(file_names(home.path()), Vec::<String>::new());

    // A reader that went away: the export ends quietly (issue 12, finding 12), no panic.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = command(home.path(), &["--fresh", "world", "export"])
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");

    // A standard output that cannot be written: exit 2, and it says so.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = command(home.path(), &["--fresh", "world", "export"])
        .stdout(full)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).starts_with("odpsh: cannot write to standard output: "),
        "{}",
        text(&out.stderr)
    );
}
