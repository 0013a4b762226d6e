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

    /// A hash of `text` as if it were lower-case ASCII (for case-insensitive names). Text of
    /// up to 64 bytes (every RAM user name) is hashed in one piece, copied only when it has
    /// upper-case letters; longer text in 64-byte pieces.
    pub fn folded(&self, text: &str) -> u64 {
        let mut h = self.0.build_hasher();
        let bytes = text.as_bytes();
        let mut buf = [0u8; 64];
        if bytes.len() <= buf.len() && !bytes.iter().any(u8::is_ascii_uppercase) {
            h.write(bytes);
        } else {
            for chunk in bytes.chunks(buf.len()) {
                let folded = &mut buf[..chunk.len()];
                folded.copy_from_slice(chunk);
                folded.make_ascii_lowercase();
                h.write(folded);
            }
        }
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

    /// Adds `pos` under `hash` unless a position `is` accepts is there already, which is then
    /// returned (one probe for both).
    pub fn insert_new(
        &mut self,
        hash: u64,
        pos: usize,
        mut is: impl FnMut(usize) -> bool,
        rehash: impl Fn(&KeyHasher, usize) -> u64,
    ) -> Option<usize> {
        let hasher = &self.hasher;
        match self
            .table
            .entry(hash, |&p| is(p as usize), |&p| rehash(hasher, p as usize))
        {
            hashbrown::hash_table::Entry::Occupied(e) => Some(*e.get() as usize),
            hashbrown::hash_table::Entry::Vacant(e) => {
                e.insert(position(pos));
                None
            }
        }
    }

    /// An index of the positions `0..n`, inserted in the order of the buckets they land in, so
    /// that building touches memory front to back instead of at random (several times faster
    /// at a million positions). `None` when two positions hold the same key (`same`): the
    /// caller then decides which one stays.
    pub fn build(
        n: usize,
        hash_of: impl Fn(&KeyHasher, usize) -> u64,
        same: impl Fn(usize, usize) -> bool,
    ) -> Option<PositionIndex> {
        let mut index = PositionIndex::with_capacity(n);
        let capacity = index.table.capacity();
        // hashbrown keeps 7/8 of a power-of-two number of buckets usable, and starts probing
        // at the hash's low bits.
        let buckets = (capacity.max(7) / 7 * 8).next_power_of_two() as u64;
        let mut order: Vec<(u64, u32)> = (0..n)
            .map(|p| (hash_of(&index.hasher, p), position(p)))
            .collect();
        order.sort_unstable_by_key(|&(hash, _)| hash & (buckets - 1));
        for (hash, pos) in order {
            let pos = pos as usize;
            let hasher = &index.hasher;
            let entry = index.table.entry(
                hash,
                |&p| same(p as usize, pos),
                |&p| hash_of(hasher, p as usize),
            );
            match entry {
                hashbrown::hash_table::Entry::Occupied(_) => return None,
                hashbrown::hash_table::Entry::Vacant(e) => {
                    e.insert(position(pos));
                }
            }
        }
        Some(index)
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
        let built = PositionIndex::build(
            names.len(),
            |k, p| k.folded(names[p]),
            |a, b| names[a].eq_ignore_ascii_case(names[b]),
        )
        .unwrap();
        assert_eq!(find(&built, &names, "carol"), Some(1));
        let twice = ["a", "b", "A"];
        assert!(
            PositionIndex::build(
                3,
                |k, p| k.folded(twice[p]),
                |a, b| twice[a].eq_ignore_ascii_case(twice[b])
            )
            .is_none()
        );
    }
}
