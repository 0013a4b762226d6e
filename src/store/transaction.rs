//! Store transactions for long-lived processes (the interactive shell, `odpsh serve`): a world
//! kept in memory stays in step with its file. Each transaction takes the lock, reloads the world
//! if another process changed the file since this process last read or wrote it, lets the caller
//! run, saves once if the caller changed the world, and releases the lock. No lock is held
//! between transactions.

use super::{Fingerprint, Store, StoreError, StoreLock};
use crate::world::World;

/// A store and what this process last saw of its file.
#[derive(Debug, Clone)]
pub struct Synced {
    store: Store,
    /// The fingerprint of the file when the world in memory was last read or written (`None`:
    /// there was no file).
    seen: Option<Fingerprint>,
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
        let seen = store.fingerprint();
        Synced { store, seen }
    }

    /// Loads the world from `store` and tracks exactly the version loaded.
    pub fn load(store: Store) -> Result<(Synced, World), StoreError> {
        let (world, seen) = store.load_tracked()?;
        Ok((Synced { store, seen }, world))
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The version of the file the world in memory was last read from or written to (`None`:
    /// no file), as [`Store::load_if_changed`] takes it.
    pub fn seen(&self) -> Option<Fingerprint> {
        self.seen
    }

    /// The world as the file has it now, when another process changed the file since this
    /// process last read or wrote it, read without the lock (saves replace the file atomically,
    /// so a reading sees one version whole); `None` when the world in memory is current. For a
    /// reader that only needs a current view: a change goes through [`Synced::begin`].
    pub fn refresh(&mut self) -> Result<Option<World>, StoreError> {
        match self.store.load_if_changed(self.seen)? {
            Some((world, seen)) => {
                self.seen = seen;
                Ok(Some(world))
            }
            None => Ok(None),
        }
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
}

impl Transaction<'_> {
    /// The world as the file has it now, when another process changed the file since this
    /// process last read or wrote it; `None` when the world in memory is current.
    pub fn reload(&mut self) -> Result<Option<World>, StoreError> {
        match self.synced.store.load_if_changed(self.synced.seen)? {
            Some((world, seen)) => {
                self.synced.seen = seen;
                Ok(Some(world))
            }
            None => Ok(None),
        }
    }

    /// Saves `changed` (when the caller changed the world) and releases the lock. After a failed
    /// save the next transaction reloads, so memory never stays ahead of the file.
    pub fn commit(self, changed: Option<&World>) -> Result<(), StoreError> {
        if let Some(world) = changed {
            match self.synced.store.save_tracked(world) {
                Ok(seen) => self.synced.seen = Some(seen),
                Err(e) => {
                    self.synced.seen = Some(Fingerprint::UNSEEN);
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
        assert_eq!(txn.reload().unwrap(), None);
        world.clock.tick();
        txn.commit(Some(&world)).unwrap();

        // Our own save is not a change by someone else.
        let mut txn = mine.begin().unwrap();
        assert_eq!(txn.reload().unwrap(), None);
        txn.commit(None).unwrap();

        // Another process saves: the next transaction sees it.
        let mut theirs = Synced::new(store.clone());
        let mut other = world.clone();
        other.clock.tick();
        let txn = theirs.begin().unwrap();
        txn.commit(Some(&other)).unwrap();
        let mut txn = mine.begin().unwrap();
        assert_eq!(txn.reload().unwrap(), Some(other));
    }

    #[test]
    fn a_refresh_reads_another_process_save_without_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("world.json"));
        let (mut mine, _world) = Synced::load(store.clone()).unwrap();
        assert_eq!(mine.refresh().unwrap(), None);
        let mut other = World::default_world();
        other.endpoint = "http://other/api".into();
        store.save(&other).unwrap();
        // Another process holds the lock: the refresh does not wait for it.
        let _held = store.lock().unwrap();
        assert_eq!(mine.refresh().unwrap(), Some(other));
        assert_eq!(mine.refresh().unwrap(), None);
    }

    #[test]
    fn a_save_between_loading_and_tracking_is_not_missed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("world.json"));
        let (mut mine, _world) = Synced::load(store.clone()).unwrap();
        // Another process saves before this one's first transaction.
        let mut other = World::default_world();
        other.endpoint = "http://other/api".into();
        store.save(&other).unwrap();
        let mut txn = mine.begin().unwrap();
        assert_eq!(txn.reload().unwrap(), Some(other));
    }

    #[test]
    fn after_a_failed_save_the_next_transaction_reloads() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("world.json"));
        let (mut mine, mut world) = Synced::load(store.clone()).unwrap();
        store.save(&world).unwrap();
        let mut txn = mine.begin().unwrap();
        txn.reload().unwrap();
        txn.commit(None).unwrap();
        // A directory in the way of the save: it fails, and memory is not trusted afterwards.
        std::fs::remove_file(store.path()).unwrap();
        std::fs::create_dir(store.path()).unwrap();
        std::fs::write(store.path().join("x"), b"x").unwrap();
        world.endpoint = "http://unsaved/api".into();
        let txn = mine.begin().unwrap();
        assert!(txn.commit(Some(&world)).is_err());
        std::fs::remove_dir_all(store.path()).unwrap();
        let mut txn = mine.begin().unwrap();
        assert_eq!(txn.reload().unwrap(), Some(World::default_world()));
    }
}
