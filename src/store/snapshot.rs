//! The binary snapshot: how the state file is written. A fixed 48-byte header, then the world
//! encoded with postcard (serde's compact binary form: varints, no field names).
//!
//! ```text
//! offset  size  field
//!      0     8  magic  89 'O' 'D' 'P' 'S' 'H' 1A 0A  (never text, never JSON)
//!      8     4  schema version (little-endian)
//!     12     4  encoding revision (1): bumped whenever the body's encoding changes
//!     16    16  save id: unique per save (change detection between processes)
//!     32     8  body length
//!     40     8  body checksum
//!     48     …  body: postcard(World)
//! ```
//!
//! The header alone tells another process whether the file changed since it last read or wrote
//! it (the save id is new for every save, whoever makes it), so a transaction reads 48 bytes,
//! not the whole world. The length and checksum make a truncated or damaged file a refusal
//! rather than a silently different world.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::world::{SCHEMA_VERSION, World};

pub const MAGIC: [u8; 8] = [0x89, b'O', b'D', b'P', b'S', b'H', 0x1a, b'\n'];
pub const HEADER_LEN: usize = 48;
/// The revision of the body's encoding this odpsh writes and reads. The schema version says what
/// a world holds; this says how the snapshot spells it (postcard of the types as they are now).
pub const ENCODING: u32 = 1;

/// What the header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub schema_version: u32,
    pub encoding: u32,
    pub save_id: u128,
    pub body_len: u64,
    pub checksum: u64,
}

impl Header {
    fn to_bytes(self) -> [u8; HEADER_LEN] {
        let mut b = [0u8; HEADER_LEN];
        b[0..8].copy_from_slice(&MAGIC);
        b[8..12].copy_from_slice(&self.schema_version.to_le_bytes());
        b[12..16].copy_from_slice(&self.encoding.to_le_bytes());
        b[16..32].copy_from_slice(&self.save_id.to_le_bytes());
        b[32..40].copy_from_slice(&self.body_len.to_le_bytes());
        b[40..48].copy_from_slice(&self.checksum.to_le_bytes());
        b
    }

    /// The header at the start of `bytes`; `None` when they are too short to hold one (the
    /// caller has checked the magic).
    pub fn parse(bytes: &[u8]) -> Option<Header> {
        let field = |from: usize, to: usize| bytes.get(from..to);
        let u32_at = |at: usize| field(at, at + 4)?.try_into().ok().map(u32::from_le_bytes);
        let u64_at = |at: usize| field(at, at + 8)?.try_into().ok().map(u64::from_le_bytes);
        let save_id = field(16, 32)?.try_into().ok().map(u128::from_le_bytes)?;
        Some(Header {
            schema_version: u32_at(8)?,
            encoding: u32_at(12)?,
            save_id,
            body_len: u64_at(32)?,
            checksum: u64_at(40)?,
        })
    }
}

/// Whether `bytes` start as a snapshot does (its first byte is never the start of JSON text).
pub fn looks_like_snapshot(bytes: &[u8]) -> bool {
    bytes.first() == Some(&MAGIC[0])
}

/// A 64-bit checksum of a byte stream, the same however the stream is cut into writes: eight
/// bytes at a time through a multiply-rotate mix (fast enough to cost a few milliseconds on a
/// million-principal world).
#[derive(Debug, Clone)]
pub struct Checksum {
    state: u64,
    pending: [u8; 8],
    filled: usize,
    total: u64,
}

const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

impl Default for Checksum {
    fn default() -> Self {
        Checksum {
            state: 0x243F_6A88_85A3_08D3,
            pending: [0; 8],
            filled: 0,
            total: 0,
        }
    }
}

impl Checksum {
    fn word(&mut self, w: u64) {
        self.state = (self.state ^ w).wrapping_mul(MIX).rotate_left(29);
    }

    pub fn update(&mut self, mut bytes: &[u8]) {
        self.total += bytes.len() as u64;
        if self.filled > 0 {
            let take = (8 - self.filled).min(bytes.len());
            self.pending[self.filled..self.filled + take].copy_from_slice(&bytes[..take]);
            self.filled += take;
            bytes = &bytes[take..];
            if self.filled < 8 {
                return;
            }
            self.word(u64::from_le_bytes(self.pending));
            self.filled = 0;
        }
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.word(u64::from_le_bytes(b));
        }
        let rest = words.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.filled = rest.len();
    }

    pub fn finish(&self) -> u64 {
        let mut last = [0u8; 8];
        last[..self.filled].copy_from_slice(&self.pending[..self.filled]);
        let mut h = (self.state ^ u64::from_le_bytes(last)).wrapping_mul(MIX);
        h ^= self.total;
        h ^= h >> 33;
        h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        h ^ (h >> 33)
    }

    pub fn of(bytes: &[u8]) -> u64 {
        let mut c = Checksum::default();
        c.update(bytes);
        c.finish()
    }
}

/// A save id no other save has: the time, this process and a per-process random key.
fn new_save_id() -> u128 {
    static SAVES: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut h = RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u64(SAVES.fetch_add(1, Ordering::Relaxed));
    h.write_u128(nanos);
    (nanos << 64) ^ u128::from(h.finish())
}

/// Counts and checksums what passes through to the file.
struct Tally<W> {
    inner: W,
    checksum: Checksum,
}

impl<W: Write> Write for Tally<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.checksum.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes `world` as a snapshot to `file` (positioned at its start), streaming the body so that
/// no copy of the encoded world is held in memory; returns the header written.
pub fn write(world: &World, file: &mut std::fs::File) -> io::Result<Header> {
    use std::io::{Seek, SeekFrom};
    file.write_all(&[0u8; HEADER_LEN])?;
    let checksum = {
        let mut tally = Tally {
            inner: io::BufWriter::with_capacity(1 << 16, &mut *file),
            checksum: Checksum::default(),
        };
        postcard::to_io(world, &mut tally).map_err(io::Error::other)?;
        tally.flush()?;
        tally.checksum
    };
    let header = Header {
        schema_version: SCHEMA_VERSION,
        encoding: ENCODING,
        save_id: new_save_id(),
        body_len: checksum.total,
        checksum: checksum.finish(),
    };
    file.seek(SeekFrom::Start(0))?;
    file.write_all(&header.to_bytes())?;
    Ok(header)
}

/// Why a snapshot was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotProblem {
    WrongMagic,
    Truncated {
        have: u64,
        need: u64,
    },
    TrailingBytes(u64),
    Damaged,
    /// A version this odpsh does not read (newer, or older than snapshots).
    Version(u32),
    /// An encoding revision this odpsh does not read.
    Encoding(u32),
    Decode(String),
}

impl std::fmt::Display for SnapshotProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnapshotProblem::WrongMagic => {
                f.write_str("not an odpsh snapshot (its first bytes are not odpsh's)")
            }
            SnapshotProblem::Truncated { have, need } => {
                write!(f, "the snapshot is truncated ({have} of {need} bytes)")
            }
            SnapshotProblem::TrailingBytes(n) => {
                write!(f, "the snapshot has {n} bytes after its end")
            }
            SnapshotProblem::Damaged => f.write_str("the snapshot is damaged (checksum mismatch)"),
            SnapshotProblem::Version(v) => write!(
                f,
                "a snapshot of schema version {v}; snapshots start at version {FIRST_SNAPSHOT_VERSION}"
            ),
            SnapshotProblem::Encoding(e) => write!(
                f,
                "a snapshot of encoding revision {e}; this odpsh reads revision {ENCODING}"
            ),
            SnapshotProblem::Decode(e) => write!(f, "the snapshot does not decode ({e})"),
        }
    }
}

/// Reads a snapshot's header and checks its body; the body on success.
pub fn body(bytes: &[u8]) -> Result<(Header, &[u8]), SnapshotProblem> {
    if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
        return Err(SnapshotProblem::WrongMagic);
    }
    let header = Header::parse(bytes).ok_or(SnapshotProblem::Truncated {
        have: bytes.len() as u64,
        need: HEADER_LEN as u64,
    })?;
    if !(FIRST_SNAPSHOT_VERSION..=SCHEMA_VERSION).contains(&header.schema_version) {
        return Err(SnapshotProblem::Version(header.schema_version));
    }
    if header.encoding != ENCODING {
        return Err(SnapshotProblem::Encoding(header.encoding));
    }
    let body = &bytes[HEADER_LEN..];
    let (have, need) = (body.len() as u64, header.body_len);
    if have < need {
        return Err(SnapshotProblem::Truncated {
            have: have + HEADER_LEN as u64,
            need: need.saturating_add(HEADER_LEN as u64),
        });
    }
    if have > need {
        return Err(SnapshotProblem::TrailingBytes(have - need));
    }
    if Checksum::of(body) != header.checksum {
        return Err(SnapshotProblem::Damaged);
    }
    Ok((header, body))
}

/// The first schema version written as a snapshot; older files are JSON.
pub const FIRST_SNAPSHOT_VERSION: u32 = 3;

/// Decodes a checked body of the schema version its header gives.
pub fn decode(header: &Header, body: &[u8]) -> Result<World, SnapshotProblem> {
    super::project_file::decoding_snapshot_version(header.schema_version, || {
        postcard::from_bytes(body).map_err(|e| SnapshotProblem::Decode(e.to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_does_not_depend_on_how_the_bytes_are_cut() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let whole = Checksum::of(&data);
        for cut in [1, 3, 7, 8, 9, 64, 999] {
            let mut c = Checksum::default();
            for piece in data.chunks(cut) {
                c.update(piece);
            }
            assert_eq!(c.finish(), whole, "cut {cut}");
        }
        assert_ne!(Checksum::of(&data[..999]), whole);
        assert_ne!(Checksum::of(b""), Checksum::of(b"\0"));
    }

    #[test]
    fn a_world_goes_through_a_snapshot_and_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w");
        let mut file = std::fs::File::create(&path).unwrap();
        let world = crate::store::builtin_world();
        let header = write(&world, &mut file).unwrap();
        drop(file);
        let bytes = std::fs::read(&path).unwrap();
        let (read, body) = body(&bytes).unwrap();
        assert_eq!(read, header);
        assert_eq!(decode(&read, body).unwrap(), world);
        assert!(looks_like_snapshot(&bytes));
        assert!(!looks_like_snapshot(b"{}"));
    }

    #[test]
    fn save_ids_differ() {
        assert_ne!(new_save_id(), new_save_id());
    }
}
