//! `odpsh diff A B` and `odpsh check --diff FILE`, pinned on pairs of worlds: A is
//! `tests/fixtures/diff/base.odps` run on the default world, B is A with one more script run.
//! The change set's text is compared with `<script>.expected` (`UPDATE_TRANSCRIPTS=1`
//! rewrites it), and where B is reachable by statements, the change set run on A gives a world
//! whose diff with B is empty.

mod common;

use std::path::{Path, PathBuf};

use common::run::{odpsh, text};

const DIR: &str = "tests/fixtures/diff";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR).join(name)
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// A world made by running `scripts` in order, saved at `dir/name`.
fn world(dir: &Path, name: &str, scripts: &[&str]) -> PathBuf {
    let path = dir.join(name);
    for script in scripts {
        let out = odpsh(
            dir,
            &["--state", &s(&path), "-f", &s(&fixture(script))],
            None,
        );
        assert!(out.status.success(), "{script}: {}", text(&out.stderr));
    }
    path
}

fn pinned(name: &str, actual: &str) {
    let expected = fixture(&format!("{name}.expected"));
    if std::env::var_os("UPDATE_TRANSCRIPTS").is_some() {
        std::fs::write(&expected, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&expected).unwrap_or_default();
    assert_eq!(
        actual, want,
        "{name}: rerun with UPDATE_TRANSCRIPTS=1 to accept"
    );
}

/// `odpsh diff A B` for B = base + `script`: pinned, exit 1, and (when `replays`) the change
/// set run on A gives B.
fn case(script: &str, replays: bool) {
    case_after(&[], script, replays);
}

/// As [`case`], with A = base + `setup`.
fn case_after(setup: &[&str], script: &str, replays: bool) {
    let home = tempfile::tempdir().unwrap();
    let mut scripts = vec!["base.odps"];
    scripts.extend_from_slice(setup);
    let a = world(home.path(), "a", &scripts);
    scripts.push(script);
    let b = world(home.path(), "b", &scripts);
    let out = odpsh(home.path(), &["diff", &s(&a), &s(&b)], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let changes = text(&out.stdout);
    pinned(script.trim_end_matches(".odps"), &changes);
    let json = odpsh(
        home.path(),
        &["--format", "json", "diff", &s(&a), &s(&b)],
        None,
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["equal"], false);
    // check --diff prints the same change set for what the script does to A.
    let checked = odpsh(
        home.path(),
        &["--state", &s(&a), "check", "--diff", &s(&fixture(script))],
        None,
    );
    assert_eq!(text(&checked.stdout), changes);
    if replays {
        let plan = home.path().join("plan.odps");
        std::fs::write(&plan, &changes).unwrap();
        let run = odpsh(home.path(), &["--state", &s(&a), "-f", &s(&plan)], None);
        assert!(run.status.success(), "{}", text(&run.stderr));
        let again = odpsh(home.path(), &["diff", &s(&a), &s(&b)], None);
        assert_eq!(text(&again.stdout), "");
        assert_eq!(again.status.code(), Some(0));
    }
}

#[test]
fn offboarding_in_order_and_onboarding() {
    case("offboard_bob.odps", true);
}

#[test]
fn a_ram_role_is_created_with_its_trust_policy_before_it_joins_the_project() {
    case("role_setup.odps", true);
}

#[test]
fn a_ram_role_leaves_the_project_before_its_policies_and_itself_go() {
    case_after(
        &["role_setup.odps", "role_loader.odps"],
        "role_offboard.odps",
        true,
    );
}

#[test]
fn a_ram_role_deleted_while_a_member_leaves_a_residual_note() {
    case_after(&["role_setup.odps"], "role_deleted_first.odps", false);
}

#[test]
fn console_log_ons_mfa_devices_and_group_policies_go_before_their_user_and_group() {
    case_after(&["console_setup.odps"], "console_offboard.odps", true);
}

#[test]
fn a_log_on_or_binding_that_needs_a_secret_is_a_note() {
    case_after(&["console_setup.odps"], "console_login.odps", false);
}

#[test]
fn a_role_policy_or_type_that_differs_is_a_note_with_bs_document() {
    case("role_policy.odps", false);
}

#[test]
fn custom_policies_are_made_before_they_are_attached_and_deleted_after_they_are_let_go() {
    case_after(&["policy_setup.odps"], "policy_change.odps", true);
}

#[test]
fn a_residual_member_is_a_note_not_a_statement() {
    case("residual.odps", false);
}

#[test]
fn expiring_grants_become_days_from_now() {
    case("expiring_grant.odps", false);
}

#[test]
fn equal_worlds_have_no_changes() {
    let home = tempfile::tempdir().unwrap();
    let a = world(home.path(), "a", &["base.odps"]);
    let export = home.path().join("a.json");
    let out = odpsh(
        home.path(),
        &["--state", &s(&a), "world", "export", &s(&export)],
        None,
    );
    assert!(out.status.success());
    let out = odpsh(home.path(), &["diff", &s(&a), &s(&export)], None);
    assert_eq!(
        (out.status.code(), text(&out.stdout)),
        (Some(0), String::new())
    );
}

#[test]
fn a_capture_is_a_world_to_diff_against() {
    let home = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let made = home.path().join("made");
    let out = odpsh(
        home.path(),
        &[
            "--state",
            &s(&made),
            "-f",
            &s(&root.join("examples/capture/make_world.odps")),
        ],
        None,
    );
    assert!(out.status.success());
    let capture = root.join("examples/capture/MaxCompute.txt");
    let out = odpsh(home.path(), &["diff", &s(&capture), &s(&made)], None);
    // The project capture alone lacks the RAM listings: the users' policies and keys differ.
    let changes = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(changes.contains("AttachPolicyToUser"), "{changes}");
    assert!(!changes.contains("add user"), "{changes}");
}
