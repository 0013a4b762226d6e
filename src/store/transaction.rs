//! Store transactions for long-lived processes (the interactive shell, `odpsh serve`): a world
//! kept in memory stays in step with its file. Each transaction takes the lock, catches up with
//! what another process committed since this process last read or wrote the file (the commits
//! it appended to the journal alone, or the whole world when it wrote a new snapshot), lets the
//! caller run, commits once if the caller changed the world (appending the statements to the
//! journal, or writing the whole world), and releases the lock. No lock is held between
//! transactions.

use super::{Fingerprint, JournalState, Newer, Store, StoreError, StoreLock};
use crate::engine::tape::Entry;
use crate::world::World;

/// A store and what this process last saw of its file.
#[derive(Debug, Clone)]
pub struct Synced {
    store: Store,
    /// The fingerprint of the file when the world in memory was last read or written (`None`:
    /// there was no file).
    seen: Option<Fingerprint>,
    journal: JournalState,
}

/// One open transaction: the lock is held until [`Transaction::commit`] or drop.
#[derive(Debug)]
pub struct Transaction<'s> {
    synced: &'s mut Synced,
    _lock: StoreLock,
}

impl Synced {
    /// Tracks `store`, taking the file as it is now as already loaded. Prefer [`Synced::load`]:
    /// a save by another process between loading the world and this call would go unnoticed.
    pub fn new(store: Store) -> Self {
        match store.load_state() {
            Ok(loaded) => Synced {
                store,
                seen: loaded.seen,
                journal: loaded.journal,
            },
            Err(_) => Synced {
                store,
                seen: Some(Fingerprint::UNSEEN),
                journal: JournalState::default(),
            },
        }
    }

    /// Loads the world from `store` and tracks exactly the version loaded.
    pub fn load(store: Store) -> Result<(Synced, World), StoreError> {
        let loaded = store.load_state()?;
        Ok((
            Synced {
                store,
                seen: loaded.seen,
                journal: loaded.journal,
            },
            loaded.world,
        ))
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The version of the file the world in memory was last read from or written to (`None`:
    /// no file), as [`Store::load_if_changed`] takes it.
    pub fn seen(&self) -> Option<Fingerprint> {
        self.seen
    }

    /// How many statements the journal of the version seen holds.
    pub fn journal_records(&self) -> usize {
        self.journal.records
    }

    /// What another process committed since this process last read or wrote the file, read
    /// without the lock (a reading sees whole versions and whole commits); `None` when the world
    /// in memory is current. Bring the world to it with [`Synced::apply`].
    pub fn newer(&self) -> Result<Option<Newer>, StoreError> {
        self.store.newer(self.seen, &self.journal)
    }

    /// Brings `world` (the world in memory) to `newer`; when that fails the next transaction
    /// reads the whole file again.
    pub fn apply(&mut self, newer: Newer, world: &mut World) -> Result<(), StoreError> {
        let (seen, journal) = newer.version();
        match newer.apply(&self.store, world) {
            Ok(()) => {
                self.seen = seen;
                self.journal = journal;
                Ok(())
            }
            Err(e) => {
                self.forget();
                Err(e)
            }
        }
    }

    /// After this the next transaction reads the whole file again.
    fn forget(&mut self) {
        self.seen = Some(Fingerprint::UNSEEN);
        self.journal = JournalState::default();
    }

    /// Takes the lock (waiting for other processes) and opens a transaction.
    pub fn begin(&mut self) -> Result<Transaction<'_>, StoreError> {
        self.begin_announced(|| {})
    }

    /// Like [`Synced::begin`], calling `waiting` first when another process holds the lock.
    pub fn begin_announced(
        &mut self,
        waiting: impl FnOnce(),
    ) -> Result<Transaction<'_>, StoreError> {
        let lock = self.store.lock_announced(waiting)?;
        Ok(Transaction {
            synced: self,
            _lock: lock,
        })
    }

    /// Writes the world whole when the journal holds commits, catching up first (a clean exit:
    /// the next process reads one snapshot); nothing when the journal is empty.
    pub fn compact(&mut self, world: &mut World) -> Result<(), StoreError> {
        let mut txn = self.begin()?;
        txn.catch_up(world)?;
        if txn.synced.journal.records == 0 && txn.synced.journal.end == 0 {
            return Ok(());
        }
        txn.commit(Some(world), None)
    }
}

impl Transaction<'_> {
    /// What another process committed since this process last read or wrote the file; `None`
    /// when the world in memory is current.
    pub fn newer(&mut self) -> Result<Option<Newer>, StoreError> {
        self.synced.newer()
    }

    /// Brings `world` to `newer` (see [`Synced::apply`]).
    pub fn apply(&mut self, newer: Newer, world: &mut World) -> Result<(), StoreError> {
        self.synced.apply(newer, world)
    }

    /// Brings `world` up to the file; true when it changed.
    pub fn catch_up(&mut self, world: &mut World) -> Result<bool, StoreError> {
        match self.newer()? {
            Some(newer) => self.apply(newer, world).map(|()| true),
            None => Ok(false),
        }
    }

    /// Commits `changed` (when the caller changed the world), made by the statements `entries`
    /// (`None`: changes the tape does not hold, so the world is written whole), and releases the
    /// lock. After a failed commit the next transaction reloads, so memory never stays ahead of
    /// the file.
    pub fn commit(
        self,
        changed: Option<&World>,
        entries: Option<Vec<Entry>>,
    ) -> Result<(), StoreError> {
        if let Some(world) = changed {
            let synced = self.synced;
            match synced
                .store
                .commit_change(synced.seen, &synced.journal, world, entries)
            {
                Ok((seen, journal)) => {
                    synced.seen = Some(seen);
                    synced.journal = journal;
                }
                Err(e) => {
                    synced.forget();
                    return Err(e);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reloads_only_what_another_process_changed_and_saves_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("world.json"));
        let (mut mine, mut world) = Synced::load(store.clone()).unwrap();

        // No file yet: the world in memory (the default one) is current.
        let mut txn = mine.begin().unwrap();
        assert!(!txn.catch_up(&mut world).unwrap());
        world.clock.tick();
        txn.commit(Some(&world), None).unwrap();

        // Our own save is not a change by someone else.
        let mut txn = mine.begin().unwrap();
        assert!(!txn.catch_up(&mut world).unwrap());
        txn.commit(None, None).unwrap();

        // Another process saves: the next transaction sees it.
        let mut theirs = Synced::new(store.clone());
        let mut other = world.clone();
        other.clock.tick();
        let txn = theirs.begin().unwrap();
        txn.commit(Some(&other), None).unwrap();
        let mut txn = mine.begin().unwrap();
        assert!(txn.catch_up(&mut world).unwrap());
        assert_eq!(world, other);
    }

    #[test]
    fn commits_are_appended_and_caught_up_from_the_journal_alone() {
        use crate::engine::Session;
        use crate::engine::tape::Tape;
        use crate::syntax::parse_statement;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("world.json"));
        let (mut mine, mut world) = Synced::load(store.clone()).unwrap();
        // The first commit writes a snapshot: there is none to follow yet.
        world.clock.tick();
        mine.begin().unwrap().commit(Some(&world), None).unwrap();
        let (mut theirs, mut their_world) = Synced::load(store.clone()).unwrap();
        let mut session =
            Session::new(crate::world::PrincipalId::Account(world.home), "MaxCompute");
        for role in ["a", "b", "c"] {
            let mut tape = Tape::default();
            let mut txn = mine.begin().unwrap();
            txn.catch_up(&mut world).unwrap();
            let statement = parse_statement(&format!("create role {role}")).unwrap();
            tape.execute(&mut world, &mut session, &statement).unwrap();
            txn.commit(Some(&world), tape.take()).unwrap();
        }
        assert_eq!(mine.journal_records(), 3);
        assert!(store.journal_path().exists());
        // The other process reads the three commits alone, and so does a new one.
        let Some(Newer::Appended { commits, .. }) = theirs.newer().unwrap() else {
            panic!("not appended");
        };
        assert_eq!(commits.len(), 3);
        let newer = theirs.newer().unwrap().unwrap();
        theirs.apply(newer, &mut their_world).unwrap();
        assert_eq!(their_world, world);
        assert!(theirs.newer().unwrap().is_none());
        assert_eq!(store.load().unwrap(), world);
        // A clean exit writes one snapshot and removes the journal.
        mine.compact(&mut world).unwrap();
        assert!(!store.journal_path().exists());
        assert_eq!(store.load().unwrap(), world);
        let newer = theirs.newer().unwrap().unwrap();
        assert!(matches!(newer, Newer::Whole(_)));
    }

    #[test]
    fn a_refresh_reads_another_process_save_without_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("world.json"));
        let (mut mine, mut world) = Synced::load(store.clone()).unwrap();
        assert!(mine.newer().unwrap().is_none());
        let mut other = World::default_world();
        other.endpoint = "http://other/api".into();
        store.save(&other).unwrap();
        // Another process holds the lock: the refresh does not wait for it.
        let _held = store.lock().unwrap();
        let newer = mine.newer().unwrap().unwrap();
        mine.apply(newer, &mut world).unwrap();
        assert_eq!(world, other);
        assert!(mine.newer().unwrap().is_none());
    }

    #[test]
    fn a_save_between_loading_and_tracking_is_not_missed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("world.json"));
        let (mut mine, mut world) = Synced::load(store.clone()).unwrap();
        // Another process saves before this one's first transaction.
        let mut other = World::default_world();
        other.endpoint = "http://other/api".into();
        store.save(&other).unwrap();
        let mut txn = mine.begin().unwrap();
        assert!(txn.catch_up(&mut world).unwrap());
        assert_eq!(world, other);
    }

    #[test]
    fn after_a_failed_save_the_next_transaction_reloads() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("world.json"));
        let (mut mine, mut world) = Synced::load(store.clone()).unwrap();
        store.save(&world).unwrap();
        let mut txn = mine.begin().unwrap();
        txn.catch_up(&mut world).unwrap();
        txn.commit(None, None).unwrap();
        // A directory in the way of the save: it fails, and memory is not trusted afterwards.
        std::fs::remove_file(store.path()).unwrap();
        std::fs::create_dir(store.path()).unwrap();
        std::fs::write(store.path().join("x"), b"x").unwrap();
        world.endpoint = "http://unsaved/api".into();
        let txn = mine.begin().unwrap();
        assert!(txn.commit(Some(&world), None).is_err());
        std::fs::remove_dir_all(store.path()).unwrap();
        let mut txn = mine.begin().unwrap();
        assert!(txn.catch_up(&mut world).unwrap());
        assert_eq!(world, World::default_world());
    }
}
