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
    /// Tracks `store`, taking the file as it is now as already loaded.
    pub fn new(store: Store) -> Self {
        let seen = store.fingerprint();
        Synced { store, seen }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Takes the lock (waiting for other processes) and opens a transaction.
    pub fn begin(&mut self) -> Result<Transaction<'_>, StoreError> {
        let lock = self.store.lock()?;
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
        let now = self.synced.store.fingerprint();
        if now == self.synced.seen {
            return Ok(None);
        }
        let world = self.synced.store.load()?;
        self.synced.seen = now;
        Ok(Some(world))
    }

    /// Saves `changed` (when the caller changed the world) and releases the lock. After a failed
    /// save the next transaction reloads, so memory never stays ahead of the file.
    pub fn commit(self, changed: Option<&World>) -> Result<(), StoreError> {
        if let Some(world) = changed {
            if let Err(e) = self.synced.store.save(world) {
                self.synced.seen = Some(Fingerprint::UNSEEN);
                return Err(e);
            }
            self.synced.seen = self.synced.store.fingerprint();
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
        let mut mine = Synced::new(store.clone());
        let mut world = World::default_world();

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
}
