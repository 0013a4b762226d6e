//! The journal on disk against the files a crash or a person can leave: a torn last record, a
//! checksum mismatch, a journal without its snapshot, a journal from another world, a seal.
//! Each is replayed to a consistent world or refused, and never half-applied.

use std::fs;

use super::*;
use crate::engine::Session;
use crate::engine::tape::Tape;
use crate::syntax::parse_statement;

/// A store whose snapshot is followed by a journal of `roles` commits (`create role <r>`); the
/// world they make.
fn journaled(dir: &Path, roles: &[&str]) -> (Store, World) {
    let store = Store::new(dir.join("world.json"));
    let (mut synced, mut world) = Synced::load(store.clone()).unwrap();
    world.clock.tick();
    synced.begin().unwrap().commit(Some(&world), None).unwrap();
    let mut session = Session::new(crate::world::PrincipalId::Account(world.home), "MaxCompute");
    for role in roles {
        let mut tape = Tape::default();
        let txn = synced.begin().unwrap();
        let statement = parse_statement(&format!("create role {role}")).unwrap();
        tape.execute(&mut world, &mut session, &statement).unwrap();
        txn.commit(Some(&world), tape.take()).unwrap();
    }
    assert_eq!(synced.journal_records(), roles.len());
    (store, world)
}

fn roles(world: &World) -> Vec<String> {
    let mut names: Vec<String> = world
        .project("MaxCompute")
        .unwrap()
        .role_names()
        .map(str::to_string)
        .collect();
    names.retain(|n| n.len() == 1);
    names.sort();
    names
}

#[test]
fn a_torn_last_record_is_left_out_and_the_next_commit_writes_the_world() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = journaled(dir.path(), &["a", "b"]);
    let journal = store.journal_path();
    let bytes = fs::read(&journal).unwrap();
    fs::write(&journal, &bytes[..bytes.len() - 3]).unwrap();
    let loaded = store.load_state().unwrap();
    assert_eq!(roles(&loaded.world), ["a"]);
    assert!(!loaded.journal.appendable);
    // The next commit does not append behind the torn record: it writes the world whole.
    let (mut synced, mut world) = Synced::load(store.clone()).unwrap();
    let mut session = Session::new(crate::world::PrincipalId::Account(world.home), "MaxCompute");
    let mut tape = Tape::default();
    let txn = synced.begin().unwrap();
    let statement = parse_statement("create role c").unwrap();
    tape.execute(&mut world, &mut session, &statement).unwrap();
    txn.commit(Some(&world), tape.take()).unwrap();
    assert!(!journal.exists());
    assert_eq!(roles(&store.load().unwrap()), ["a", "c"]);
}

#[test]
fn a_record_cut_short_before_a_compactions_seal_is_left_out_and_cut_off_before_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = journaled(dir.path(), &["a", "b"]);
    let journal = store.journal_path();
    let whole = fs::read(&journal).unwrap();
    let record_b = journal::commit_record(&journal::read(&whole).unwrap().commits[1]);
    let a_ends = whole.len() - record_b.len();
    // Record b cut at every length, then the seal of a compaction killed before its rename
    // (earlier odpsh appended seals behind a torn record): a loads, b was never acknowledged.
    for cut in 1..record_b.len() {
        let mut bytes = whole[..whole.len() - cut].to_vec();
        bytes.extend(journal::seal_record(4242));
        fs::write(&journal, &bytes).unwrap();
        let loaded = store.load_state().unwrap();
        assert_eq!(roles(&loaded.world), ["a"], "cut {cut}");
        assert!(!loaded.journal.appendable, "cut {cut}");
    }
    // Before its seal, a compaction cuts the journal back to its last whole record.
    fs::write(&journal, &whole[..whole.len() - 5]).unwrap();
    let _lock = store.lock().unwrap();
    store.tidy_journal().unwrap();
    assert_eq!(fs::read(&journal).unwrap(), whole[..a_ends]);
}

#[test]
fn a_damaged_record_before_the_last_is_refused_and_the_files_are_left_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = journaled(dir.path(), &["a", "b"]);
    let journal = store.journal_path();
    let mut bytes = fs::read(&journal).unwrap();
    bytes[journal::HEADER_LEN + 20] ^= 0xff;
    fs::write(&journal, &bytes).unwrap();
    let snapshot = fs::read(store.path()).unwrap();
    let e = store.load().unwrap_err();
    assert!(e.is_refusal());
    assert_eq!(
        e.to_string(),
        format!(
            "{} is not a valid odpsh world: its journal {}: its record 1 is damaged (checksum mismatch)",
            store.path().display(),
            journal.display()
        )
    );
    assert_eq!(fs::read(&journal).unwrap(), bytes);
    assert_eq!(fs::read(store.path()).unwrap(), snapshot);
    // A damaged last record is an append a kill cut short: left out.
    let mut bytes = fs::read(&journal).unwrap();
    bytes[journal::HEADER_LEN + 20] ^= 0xff;
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    fs::write(&journal, &bytes).unwrap();
    assert_eq!(roles(&store.load().unwrap()), ["a"]);
}

#[test]
fn a_journal_without_its_snapshot_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = journaled(dir.path(), &["a"]);
    fs::remove_file(store.path()).unwrap();
    let e = store.load().unwrap_err();
    assert!(e.is_refusal());
    assert!(
        e.to_string().ends_with(&format!(
            "the file is missing, but its journal {} is there: a journal alone is no world",
            store.journal_path().display()
        )),
        "{e}"
    );
    // `world reset` writes a snapshot and takes the journal away.
    let _lock = store.lock().unwrap();
    store.save(&World::default_world()).unwrap();
    assert!(!store.journal_path().exists());
    assert_eq!(store.load().unwrap(), World::default_world());
}

#[test]
fn a_journal_from_another_world_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = journaled(dir.path(), &["a"]);
    let other_dir = tempfile::tempdir().unwrap();
    let (other, _) = journaled(other_dir.path(), &["z"]);
    fs::copy(other.journal_path(), store.journal_path()).unwrap();
    let e = store.load().unwrap_err();
    assert!(e.is_refusal());
    assert!(
        e.to_string().ends_with(&format!(
            "its journal {} follows another snapshot than this file (a journal from another world)",
            store.journal_path().display()
        )),
        "{e}"
    );
}

#[test]
fn a_journal_sealed_for_the_snapshot_is_stale_and_one_sealed_for_another_replays() {
    let dir = tempfile::tempdir().unwrap();
    let (store, world) = journaled(dir.path(), &["a", "b"]);
    let journal = store.journal_path();
    let kept = fs::read(&journal).unwrap();
    // A compaction killed after its seal, before its rename: the old snapshot and its journal.
    let mut sealed = kept.clone();
    sealed.extend(journal::seal_record(12345));
    fs::write(&journal, &sealed).unwrap();
    assert_eq!(store.load().unwrap(), world);
    // Killed after the rename, before the journal's removal: the new snapshot alone counts.
    let _lock = store.lock().unwrap();
    let mut next = world.clone();
    next.clock.tick();
    let seen = store.save_tracked(&next).unwrap();
    let Fingerprint::Snapshot { save_id, .. } = seen else {
        panic!("not a snapshot")
    };
    let mut stale = kept.clone();
    stale.extend(journal::seal_record(save_id));
    fs::write(&journal, &stale).unwrap();
    assert_eq!(store.load().unwrap(), next);
    // A later compaction killed before its rename sealed that stale journal once more (earlier
    // odpsh did): the seal for the snapshot on disk still counts, though it is not the last.
    let mut resealed = stale.clone();
    resealed.extend(journal::seal_record(67890));
    fs::write(&journal, &resealed).unwrap();
    assert_eq!(store.load().unwrap(), next);
    // Now a compaction removes the stale journal before it writes, instead of sealing it again.
    store.tidy_journal().unwrap();
    assert!(!journal.exists());
    // A journal that follows the snapshot on disk is no stale one, sealed or not.
    let mut live = journal::Header {
        schema_version: SCHEMA_VERSION,
        base: save_id,
    }
    .to_bytes()
    .to_vec();
    live.extend(journal::seal_record(13579));
    fs::write(&journal, &live).unwrap();
    store.tidy_journal().unwrap();
    assert!(journal.exists());
}

/// A journal written by schema version 7 records sessions without STS credentials: its
/// commits still decode (their credentials without a token) and replay.
#[test]
fn a_version_7_journals_commits_decode_without_security_tokens() {
    use serde::Serialize;
    #[derive(Serialize)]
    struct SessionV7 {
        actor: crate::world::PrincipalId,
        credentials: Option<(String, String)>,
        project: String,
        source_ip: std::net::IpAddr,
        secure_transport: bool,
        endpoint: Option<String>,
        requests: u64,
    }
    #[derive(Serialize)]
    enum EntryV7 {
        Statement {
            session: SessionV7,
            statement: String,
            document: Option<String>,
        },
    }
    #[derive(Serialize)]
    struct CommitV7 {
        entries: Vec<EntryV7>,
        clock: (u64, u64),
    }
    let world = World::default_world();
    let old = CommitV7 {
        entries: vec![EntryV7::Statement {
            session: SessionV7 {
                actor: crate::world::PrincipalId::Account(world.home),
                credentials: None,
                project: "MaxCompute".into(),
                source_ip: crate::engine::DEFAULT_SOURCE_IP,
                secure_transport: true,
                endpoint: None,
                requests: 0,
            },
            statement: "create role r;".into(),
            document: None,
        }],
        clock: (world.clock.now + 1, world.clock.issued),
    };
    let payload = postcard::to_allocvec(&old).unwrap();
    let commit = journal::decode_commit(&payload, 7).expect("a version 7 commit decodes");
    assert_eq!(commit.entries.len(), 1);
    assert_eq!(commit.entries[0].statement(), "create role r;");
    let mut replayed = world.clone();
    crate::engine::tape::replay(&mut replayed, &commit.entries[0]).unwrap();
    assert!(
        replayed
            .project("MaxCompute")
            .unwrap()
            .role_names()
            .any(|r| r == "r")
    );
}
