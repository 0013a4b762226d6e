//! The store's tests: loading, saving, versions, change detection, refusals.

use super::*;

#[test]
fn the_builtin_world_file_is_the_default_world() {
    let world = decode(Path::new("default.json"), BUILTIN_WORLD).unwrap();
    assert_eq!(world, World::default_world());
    assert_eq!(
        export_text(&world),
        BUILTIN_WORLD,
        "regenerate worlds/default.json"
    );
}

#[test]
fn an_older_file_is_migrated_and_its_original_kept_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    let mut v = serde_json::to_value(World::default_world()).unwrap();
    v["schema_version"] = serde_json::json!(1);
    for account in v["accounts"].as_object_mut().unwrap().values_mut() {
        let a = account.as_object_mut().unwrap();
        for field in [
            "alias",
            "allow_user_to_manage_access_keys",
            "access_keys",
            "custom_policies",
        ] {
            a.remove(field);
        }
    }
    let original = v.to_string();
    fs::write(&path, &original).unwrap();
    let store = Store::new(path.clone());
    assert_eq!(store.load().unwrap(), World::default_world());
    assert_eq!(fs::read_to_string(backup_path(&path, 1)).unwrap(), original);
    // Carried forward at once: the next read reads a snapshot.
    assert!(snapshot::looks_like_snapshot(&fs::read(&path).unwrap()));
    assert_eq!(store.load().unwrap(), World::default_world());
}

#[test]
fn saves_and_loads_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().join("sub/world.json"));
    assert_eq!(store.load().unwrap(), World::default_world());
    assert!(store.fingerprint().is_none());
    let _lock = store.lock().unwrap();
    let mut world = World::default_world();
    world.clock.tick();
    store.save(&world).unwrap();
    assert_eq!(store.load().unwrap(), world);
    assert!(store.fingerprint().is_some());
    let leftovers: Vec<_> = fs::read_dir(dir.path().join("sub"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_change_of_the_same_length_in_place_is_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    let store = Store::new(path.clone());
    let mut world = World::default_world();
    world.endpoint = "http://a".into();
    // A JSON file (an earlier version's, or written by hand) is known by its bytes; it stays
    // JSON while another process holds the lock (so it cannot be carried forward).
    fs::write(&path, export_text(&world)).unwrap();
    let other = File::create(dir.path().join("world.json.lock")).unwrap();
    other.lock().unwrap();
    let (_, seen) = store.load_tracked().unwrap();
    assert!(matches!(seen, Some(Fingerprint::Content { .. })));
    assert_eq!(store.fingerprint(), seen);
    assert!(store.load_if_changed(seen).unwrap().is_none());
    // Same length, same inode, same modification time: only the bytes tell.
    let modified = fs::metadata(&path).unwrap().modified().unwrap();
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("http://a", "http://b");
    fs::write(&path, &text).unwrap();
    File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    assert_ne!(store.fingerprint(), seen);
    let (reloaded, now) = store.load_if_changed(seen).unwrap().unwrap();
    assert_eq!(reloaded.endpoint, "http://b");
    assert_eq!(now, store.fingerprint());
    // A file that disappeared gives the default world; no file and none seen is no change.
    fs::remove_file(&path).unwrap();
    let (reset, none) = store.load_if_changed(now).unwrap().unwrap();
    assert_eq!((reset, none), (World::default_world(), None));
    assert!(store.load_if_changed(None).unwrap().is_none());
}

#[test]
fn every_save_is_a_new_version_even_of_the_same_world() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().join("world.json"));
    let world = World::default_world();
    let first = store.save_tracked(&world).unwrap();
    assert_eq!(store.fingerprint(), Some(first));
    assert!(store.load_if_changed(Some(first)).unwrap().is_none());
    // Another process saves the very same world: the header still tells.
    let second = store.save_tracked(&world).unwrap();
    assert_ne!(first, second);
    let (reloaded, now) = store.load_if_changed(Some(first)).unwrap().unwrap();
    assert_eq!((reloaded, now), (world, Some(second)));
}

#[test]
fn a_json_state_file_is_carried_forward_with_its_original_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    let store = Store::new(path.clone());
    let mut world = World::default_world();
    world.endpoint = "http://json".into();
    let original = export_text(&world);
    fs::write(&path, &original).unwrap();
    assert_eq!(store.load().unwrap(), world);
    let backup = json_backup_path(&path);
    assert_eq!(backup, dir.path().join("world.json.bak"));
    assert_eq!(
        json_backup_path(Path::new("lesson")),
        Path::new("lesson.json.bak")
    );
    assert_eq!(fs::read_to_string(&backup).unwrap(), original);
    // The first read carried it forward: it is a snapshot now.
    let bytes = fs::read(&path).unwrap();
    assert!(snapshot::looks_like_snapshot(&bytes));
    assert_eq!(decode_bytes(&path, &bytes).unwrap(), world);
    assert_eq!(fs::read_to_string(&backup).unwrap(), original);
}

#[test]
fn the_lock_holder_removes_what_killed_saves_left_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    let store = Store::new(path.clone());
    store.save(&World::default_world()).unwrap();
    fs::write(dir.path().join("world.json.tmp.99999.0"), b"{\"torn").unwrap();
    fs::write(dir.path().join("world.json.tmp4242"), b"{\"torn").unwrap();
    let _lock = store.lock().unwrap();
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["world.json", "world.json.lock"]);
}

#[test]
fn refuses_bad_files_with_a_reason() {
    let p = Path::new("w.json");
    let e = decode(p, "{nope").unwrap_err().to_string();
    assert!(
        e.starts_with("w.json is not a valid odpsh world: not JSON"),
        "{e}"
    );
    let e = decode_bytes(p, b"\xff\xfe{}").unwrap_err().to_string();
    assert!(
        e.starts_with("w.json is not a valid odpsh world: not JSON"),
        "{e}"
    );
    let e = decode(p, r#"{"schema_version": 99}"#)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "w.json has schema version 99; this odpsh reads versions 1 to 8"
    );
    let mut v = serde_json::to_value(World::default_world()).unwrap();
    v["projects"]["maxcompute"]["members"] = serde_json::json!({"p4_1": {"roles": ["ghost"]}});
    let e = decode(p, &v.to_string()).unwrap_err().to_string();
    assert!(e.contains("holds role ghost, which does not exist"), "{e}");
    v["projects"]["maxcompute"]["members"] = serde_json::json!({"p4_1": {"roles": ["admin"]}});
    assert!(
        decode(p, &v.to_string()).is_ok(),
        "a residual member is fine"
    );
}

/// Schema version 8: RAM roles and STS credentials are kept, in the snapshot and in JSON.
#[test]
fn roles_and_sts_credentials_are_kept() {
    use crate::world::ram_roles::{RamRole, StsCredential};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().join("world.json"));
    let _lock = store.lock().unwrap();
    let mut world = World::default_world();
    let home = world.home;
    let account = world.accounts.get_mut(&home).unwrap();
    account.directory.roles.push(RamRole {
        id: 300_000_000_000_000_007,
        name: "etl".into(),
        description: "nightly".into(),
        trust_policy: crate::world::trust_policy::account_trust_policy(home.0),
        max_session: 7200,
        created: 1,
        updated: 2,
        policies: Vec::new(),
    });
    account.directory.issue(
        StsCredential {
            access_key_id: "STS.0000000000000000000000001".into(),
            secret: "s".repeat(44),
            security_token: "CAIS0".into(),
            role: 300_000_000_000_000_007,
            session_name: "nightly".into(),
            issued: 3,
            expires: 903,
        },
        3,
    );
    store.save(&world).unwrap();
    assert_eq!(store.load().unwrap(), world);
    let json = serde_json::to_string(&world).unwrap();
    assert_eq!(decode(Path::new("w.json"), &json).unwrap(), world);
}
