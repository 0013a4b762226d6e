//! Hash indexes into vectors. A [`PositionIndex`] holds only positions (`u32`), hashed by a key
//! of the element each points to, so the key lives once, in the element, instead of a second
//! time as a map key: a million RAM users cost four bytes (and a control byte) per index entry,
//! not another copy of every name.
//!
//! The caller owns the vector and says how to hash and compare an element; the index never
//! reads the vector itself, so it cannot go out of step unless the caller moves elements without
//! telling it ([`PositionIndex::moved`]).

use std::hash::{BuildHasher, Hasher};

use hashbrown::{DefaultHashBuilder, HashTable};

/// How an index hashes keys (one per index, so hashes agree within it).
#[derive(Clone, Default)]
pub struct KeyHasher(DefaultHashBuilder);

impl KeyHasher {
    pub fn u64(&self, key: u64) -> u64 {
        let mut h = self.0.build_hasher();
        h.write_u64(key);
        h.finish()
    }

    /// A hash of `text` as if it were lower-case ASCII (for case-insensitive names).
    pub fn folded(&self, text: &str) -> u64 {
        let mut h = self.0.build_hasher();
        let mut buf = [0u8; 64];
        for chunk in text.as_bytes().chunks(buf.len()) {
            let folded = &mut buf[..chunk.len()];
            folded.copy_from_slice(chunk);
            folded.make_ascii_lowercase();
            h.write(folded);
        }
        h.write_u8(0xff);
        h.finish()
    }
}

/// Positions in a vector, found by a hash of the element's key.
#[derive(Clone, Default)]
pub struct PositionIndex {
    table: HashTable<u32>,
    hasher: KeyHasher,
}

impl std::fmt::Debug for PositionIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PositionIndex({} entries)", self.table.len())
    }
}

fn position(pos: usize) -> u32 {
    // A vector indexed here would need more than 4 billion elements (hundreds of GiB) to
    // overflow this; saturating keeps the index consistent (it then finds nothing) rather than
    // panicking.
    u32::try_from(pos).unwrap_or(u32::MAX)
}

impl PositionIndex {
    pub fn with_capacity(n: usize) -> Self {
        PositionIndex {
            table: HashTable::with_capacity(n),
            hasher: KeyHasher::default(),
        }
    }

    pub fn hasher(&self) -> &KeyHasher {
        &self.hasher
    }

    /// The position whose element `is` accepts, among those stored under `hash`.
    pub fn find(&self, hash: u64, mut is: impl FnMut(usize) -> bool) -> Option<usize> {
        self.table
            .find(hash, |&p| is(p as usize))
            .map(|&p| p as usize)
    }

    /// Adds `pos` under `hash`; `rehash` gives the hash of the element at any stored position
    /// (the table may need it to grow).
    pub fn insert(&mut self, hash: u64, pos: usize, rehash: impl Fn(&KeyHasher, usize) -> u64) {
        let hasher = &self.hasher;
        self.table
            .insert_unique(hash, position(pos), |&p| rehash(hasher, p as usize));
    }

    /// Forgets `pos`, stored under `hash`.
    pub fn remove(&mut self, hash: u64, pos: usize) {
        let pos = position(pos);
        if let Ok(entry) = self.table.find_entry(hash, |&p| p == pos) {
            entry.remove();
        }
    }

    /// The element stored under `hash` at `from` now lives at `to`.
    pub fn moved(&mut self, hash: u64, from: usize, to: usize) {
        let from = position(from);
        if let Some(p) = self.table.find_mut(hash, |&p| p == from) {
            *p = position(to);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_moves_and_forgets_positions() {
        let mut names = vec!["Alice", "bob", "Carol"];
        let mut index = PositionIndex::with_capacity(0);
        for (i, n) in names.iter().enumerate() {
            let h = index.hasher().folded(n);
            index.insert(h, i, |k, p| k.folded(names[p]));
        }
        let find = |index: &PositionIndex, names: &[&str], n: &str| {
            index.find(index.hasher().folded(n), |p| {
                names[p].eq_ignore_ascii_case(n)
            })
        };
        assert_eq!(find(&index, &names, "ALICE"), Some(0));
        assert_eq!(find(&index, &names, "carol"), Some(2));
        assert_eq!(find(&index, &names, "dave"), None);
        // Remove bob as a vector's swap_remove does: Carol moves into its place.
        index.remove(index.hasher().folded("bob"), 1);
        names.swap_remove(1);
        index.moved(index.hasher().folded("carol"), 2, 1);
        assert_eq!(find(&index, &names, "bob"), None);
        assert_eq!(find(&index, &names, "CAROL"), Some(1));
        assert_eq!(index.table.len(), 2);
    }
}
