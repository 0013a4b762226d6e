//! The journal: an append-only file beside the snapshot (`<world file>.journal`) holding the
//! changes committed since the snapshot was written, so that a commit costs its change, not the
//! world. Each commit appends one record and fsyncs it before it is acknowledged; a load reads
//! the snapshot and replays the journal's records on it; a save of the whole world (a
//! compaction) makes the journal part of a new snapshot and removes it.
//!
//! ```text
//! header (40 bytes)
//!      0     8  magic  89 'O' 'D' 'J' 'R' 'N' 1A 0A
//!      8     4  journal revision (1)
//!     12     4  schema version of the odpsh that started it
//!     16    16  the save id of the snapshot it follows
//!     32     8  checksum of the 32 bytes before
//! record (16 bytes, then the payload)
//!      0     4  payload length
//!      4     1  kind: 1 a commit, 2 a seal
//!      5     3  zero
//!      8     8  checksum of the kind and the payload
//!     16     …  payload: postcard(Commit), or the successor's save id (a seal)
//! ```
//!
//! A commit record holds the statements of one commit with their sessions
//! ([`crate::engine::tape`]) and the world's clock after them, which a replay must reach.
//!
//! A compaction writes the new snapshot, appends a *seal* naming it to the journal, renames the
//! snapshot into place and removes the journal: whichever step a kill interrupts, a load finds
//! either the old snapshot and a journal that follows it (a seal for a snapshot that never took
//! its place changes nothing), or the new snapshot and a journal sealed for it, which is stale.
//!
//! Before it writes, a compaction removes a journal already taken into the snapshot on disk
//! (a kill after that rename, before the removal, leaves one) and cuts an interrupted last
//! append off the journal it is about to seal: so a seal never follows a journal's seal for
//! the snapshot on disk, nor a record cut short. (Journals of earlier odpsh may hold either;
//! a load still reads them: a seal for the snapshot counts wherever it is, and a record cut
//! short before the seals is left out.)
//!
//! A record cut short or failing its checksum at the end of the file is an append a kill
//! interrupted: that commit was never acknowledged, and the record is left out. The first
//! writer after it compacts rather than append behind it, so the file only ever grows under
//! one snapshot, and its length tells another process whether anything was appended.

use serde::{Deserialize, Serialize};

use super::snapshot::Checksum;
use crate::engine::tape::Entry;

pub const MAGIC: [u8; 8] = [0x89, b'O', b'D', b'J', b'R', b'N', 0x1a, b'\n'];
pub const HEADER_LEN: usize = 40;
pub const REVISION: u32 = 1;
const FRAME_LEN: usize = 16;
const COMMIT: u8 = 1;
const SEAL: u8 = 2;
/// A seal's whole record: its frame and the successor's save id.
const SEAL_LEN: usize = FRAME_LEN + 16;

/// What one commit appended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commit {
    pub entries: Vec<Entry>,
    /// The world's clock after the commit (`now`, `issued`): a replay that does not reach it
    /// did not replay what was committed.
    pub clock: (u64, u64),
}

/// The journal's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub schema_version: u32,
    pub base: u128,
}

impl Header {
    pub fn to_bytes(self) -> [u8; HEADER_LEN] {
        let mut b = [0u8; HEADER_LEN];
        b[0..8].copy_from_slice(&MAGIC);
        b[8..12].copy_from_slice(&REVISION.to_le_bytes());
        b[12..16].copy_from_slice(&self.schema_version.to_le_bytes());
        b[16..32].copy_from_slice(&self.base.to_le_bytes());
        let sum = Checksum::of(&b[..32]);
        b[32..40].copy_from_slice(&sum.to_le_bytes());
        b
    }
}

/// Why a journal was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JournalProblem {
    NotAJournal,
    Revision(u32),
    /// A record before the last one fails its checksum or does not decode (its index, from 1).
    Damaged(usize),
}

impl std::fmt::Display for JournalProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JournalProblem::NotAJournal => {
                f.write_str("it is not an odpsh journal (its header is not odpsh's)")
            }
            JournalProblem::Revision(r) => write!(
                f,
                "it is a journal of revision {r}; this odpsh reads revision {REVISION}"
            ),
            JournalProblem::Damaged(n) => {
                write!(f, "its record {n} is damaged (checksum mismatch)")
            }
        }
    }
}

/// A journal read from its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub header: Header,
    pub commits: Vec<Commit>,
    /// Where the last whole record ends.
    pub end: u64,
    /// Whether a writer may append at `end`: the file ends there and holds no seal.
    pub appendable: bool,
}

fn frame(kind: u8, payload: &[u8]) -> Vec<u8> {
    let mut sum = Checksum::default();
    sum.update(&[kind]);
    sum.update(payload);
    let len = u32::try_from(payload.len()).unwrap_or(u32::MAX);
    let mut out = Vec::with_capacity(FRAME_LEN + payload.len());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&[kind, 0, 0, 0]);
    out.extend_from_slice(&sum.finish().to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// The bytes of a commit record.
pub fn commit_record(commit: &Commit) -> Vec<u8> {
    let payload = postcard::to_allocvec(commit).unwrap_or_default();
    frame(COMMIT, &payload)
}

/// The bytes of a seal naming the snapshot `successor`.
pub fn seal_record(successor: u128) -> Vec<u8> {
    frame(SEAL, &successor.to_le_bytes())
}

/// The snapshot a journal's last record seals it for, if it ends with a seal (read from the
/// end, so that a seal is found after anything, even bytes that are no journal).
pub fn sealed_for(bytes: &[u8]) -> Option<u128> {
    let at = bytes.len().checked_sub(SEAL_LEN)?;
    match record_at(bytes, at) {
        Some((SEAL, payload, _)) => payload.try_into().ok().map(u128::from_le_bytes),
        _ => None,
    }
}

/// Whether the journal is sealed for the snapshot `save_id`: its last record, or any seal among
/// its whole records, names it. A journal a compaction took into that snapshot may have been
/// sealed again by a later compaction killed before its rename (earlier odpsh did that), so
/// the seal that counts need not be the last one.
pub fn sealed_for_snapshot(bytes: &[u8], save_id: u128) -> bool {
    if sealed_for(bytes) == Some(save_id) {
        return true;
    }
    if header(bytes).is_err() {
        return false;
    }
    let mut at = HEADER_LEN;
    while let Some((kind, payload, end)) = record_at(bytes, at) {
        if kind == SEAL && payload == save_id.to_le_bytes() {
            return true;
        }
        at = end;
    }
    false
}

/// The record at `at`: its kind, payload and end; `None` when it is cut short or fails its
/// checksum.
fn record_at(bytes: &[u8], at: usize) -> Option<(u8, &[u8], usize)> {
    let head = bytes.get(at..at.checked_add(FRAME_LEN)?)?;
    let len = u32::from_le_bytes(head[0..4].try_into().ok()?) as usize;
    let kind = head[4];
    let sum = u64::from_le_bytes(head[8..16].try_into().ok()?);
    let start = at + FRAME_LEN;
    let end = start.checked_add(len)?;
    let payload = bytes.get(start..end)?;
    let mut check = Checksum::default();
    check.update(&[kind]);
    check.update(payload);
    (check.finish() == sum).then_some((kind, payload, end))
}

/// Where the whole seals at the end of `bytes` begin (no earlier than `from`); the end of
/// `bytes` when it does not end with a seal.
fn trailing_seals(bytes: &[u8], from: usize) -> usize {
    let mut start = bytes.len();
    while let Some(at) = start.checked_sub(SEAL_LEN).filter(|at| *at >= from) {
        match record_at(bytes, at) {
            Some((SEAL, _, _)) => start = at,
            _ => break,
        }
    }
    start
}

/// Where the record at `at` says it ends; `None` when not even its frame is whole.
fn declared_end(bytes: &[u8], at: usize) -> Option<usize> {
    let head = bytes.get(at..at.checked_add(FRAME_LEN)?)?;
    let len = u32::from_le_bytes(head[0..4].try_into().ok()?) as usize;
    (at + FRAME_LEN).checked_add(len)
}

/// The header at the start of a journal.
pub fn header(bytes: &[u8]) -> Result<Header, JournalProblem> {
    let head = bytes
        .get(..HEADER_LEN)
        .filter(|h| h[..8] == MAGIC)
        .ok_or(JournalProblem::NotAJournal)?;
    let u32_at =
        |at: usize| u32::from_le_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    let mut sum = [0u8; 8];
    sum.copy_from_slice(&head[32..40]);
    if Checksum::of(&head[..32]) != u64::from_le_bytes(sum) {
        return Err(JournalProblem::NotAJournal);
    }
    if u32_at(8) != REVISION {
        return Err(JournalProblem::Revision(u32_at(8)));
    }
    let mut base = [0u8; 16];
    base.copy_from_slice(&head[16..32]);
    Ok(Header {
        schema_version: u32_at(12),
        base: u128::from_le_bytes(base),
    })
}

/// Reads the records from `from` (a record's start) to the end of `bytes`: the commits, where
/// the last whole record ends, and whether the file ends there without a seal. A record that
/// does not check out is the interrupted last append when nothing whole follows it; otherwise
/// the journal is damaged.
pub fn records(
    bytes: &[u8],
    from: usize,
    schema_version: u32,
) -> Result<(Vec<Commit>, usize, bool), JournalProblem> {
    let mut commits = Vec::new();
    let mut at = from;
    let mut sealed = false;
    let mut index = 0;
    let seals_from = trailing_seals(bytes, from);
    while at < bytes.len() {
        index += 1;
        let Some((kind, payload, end)) = record_at(bytes, at) else {
            // A record that does not check out is an interrupted append when it reaches the
            // end of the file, or the seals a compaction appended after it (its frame cut, or
            // its length past where they begin); one that says it ends before is damaged.
            let torn = seals_from - at.min(seals_from) < FRAME_LEN
                || declared_end(bytes, at).is_none_or(|end| end >= seals_from);
            if !torn {
                return Err(JournalProblem::Damaged(index));
            }
            return Ok((commits, at, false));
        };
        match kind {
            COMMIT => commits.push(
                decode_commit(payload, schema_version).ok_or(JournalProblem::Damaged(index))?,
            ),
            SEAL => sealed = true,
            _ => return Err(JournalProblem::Damaged(index)),
        }
        at = end;
    }
    Ok((commits, at, !sealed))
}

/// What a journal of schema version 7 or before recorded of a commit.
#[derive(Deserialize)]
struct CommitV7 {
    entries: Vec<crate::engine::tape::v7::EntryV7>,
    clock: (u64, u64),
}

/// The last schema version whose sessions had no STS credentials.
const SESSIONS_WITHOUT_STS: u32 = 7;

/// A commit's payload, in the form the journal's schema version wrote.
pub(super) fn decode_commit(payload: &[u8], schema_version: u32) -> Option<Commit> {
    if schema_version <= SESSIONS_WITHOUT_STS {
        let old: CommitV7 = postcard::from_bytes(payload).ok()?;
        return Some(Commit {
            entries: old.entries.into_iter().map(Into::into).collect(),
            clock: old.clock,
        });
    }
    postcard::from_bytes(payload).ok()
}

/// Reads a whole journal.
pub fn read(bytes: &[u8]) -> Result<Read, JournalProblem> {
    let header = header(bytes)?;
    let (commits, end, appendable) = records(bytes, HEADER_LEN, header.schema_version)?;
    Ok(Read {
        header,
        commits,
        end: end as u64,
        appendable: appendable && end == bytes.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(n: u64) -> Commit {
        Commit {
            entries: Vec::new(),
            clock: (n, n),
        }
    }

    fn journal(commits: &[Commit]) -> Vec<u8> {
        let mut bytes = Header {
            schema_version: 6,
            base: 7,
        }
        .to_bytes()
        .to_vec();
        for c in commits {
            bytes.extend(commit_record(c));
        }
        bytes
    }

    #[test]
    fn records_read_back_and_a_torn_last_one_is_left_out() {
        let bytes = journal(&[commit(1), commit(2)]);
        let read = read(&bytes).unwrap();
        assert_eq!(read.header.base, 7);
        assert_eq!(read.commits, [commit(1), commit(2)]);
        assert!(read.appendable);
        assert_eq!(read.end, bytes.len() as u64);
        for cut in 1..commit_record(&commit(2)).len() {
            let torn = &bytes[..bytes.len() - cut];
            let r = super::read(torn).unwrap();
            assert_eq!(r.commits, [commit(1)], "cut {cut}");
            assert!(!r.appendable);
        }
    }

    #[test]
    fn a_damaged_record_before_the_last_is_refused_and_the_last_is_torn() {
        let mut bytes = journal(&[commit(1), commit(2), commit(3)]);
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert_eq!(read(&bytes).unwrap().commits, [commit(1), commit(2)]);
        let mut bytes = journal(&[commit(1), commit(2), commit(3)]);
        bytes[HEADER_LEN + FRAME_LEN] ^= 1;
        assert_eq!(read(&bytes), Err(JournalProblem::Damaged(1)));
    }

    #[test]
    fn a_seal_is_found_from_the_end_whatever_comes_before() {
        let mut bytes = journal(&[commit(1)]);
        assert_eq!(sealed_for(&bytes), None);
        bytes.extend(seal_record(42));
        assert_eq!(sealed_for(&bytes), Some(42));
        let r = read(&bytes).unwrap();
        assert_eq!(r.commits, [commit(1)]);
        assert!(!r.appendable);
        let mut garbage = b"not a journal at all".to_vec();
        garbage.extend(seal_record(9));
        assert_eq!(sealed_for(&garbage), Some(9));
        assert_eq!(read(&garbage), Err(JournalProblem::NotAJournal));
    }
}
