//! The world on disk as a snapshot and its journal (see [`super::journal`]): reading both into
//! one world, noticing what another process added, appending one commit, and writing the whole
//! world (which takes the journal into the new snapshot).

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::PathBuf;

use super::journal::{self, Commit};
use super::{FileFormat, Fingerprint, Store, StoreError, builtin_world, io, snapshot};
use crate::engine::tape::{self, Entry};
use crate::world::{SCHEMA_VERSION, World};

/// What this process knows of the journal of the version it last read or wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JournalState {
    /// Where its last whole record ends (0: there is none).
    pub end: u64,
    /// How many statements its commits hold.
    pub records: usize,
    /// Whether the next commit may be appended: the version is a snapshot whose journal ends
    /// at `end` with no seal (else the next commit writes the whole world).
    pub appendable: bool,
}

/// A world read from disk with the version it is.
#[derive(Debug)]
pub struct Loaded {
    pub world: World,
    /// `None`: there was no file (the default world).
    pub seen: Option<Fingerprint>,
    pub journal: JournalState,
}

/// What another process changed since a version seen.
#[derive(Debug)]
pub enum Newer {
    /// Another world altogether.
    Whole(Loaded),
    /// Commits appended to the journal of the snapshot seen.
    Appended {
        commits: Vec<Commit>,
        seen: Fingerprint,
        journal: JournalState,
    },
}

/// The most statements a journal holds before the next commit writes the whole world: enough
/// that interactive commits rarely do, few enough that replaying them costs a small part of
/// reading the snapshot (a statement replays in a few microseconds; a snapshot reads at about
/// ten nanoseconds a byte).
pub fn record_bound(snapshot_len: u64) -> usize {
    usize::try_from(snapshot_len / 2048)
        .unwrap_or(usize::MAX)
        .clamp(64, 100_000)
}

/// The most bytes a journal holds (a few large commits count as many small ones).
pub fn byte_bound(snapshot_len: u64) -> u64 {
    (snapshot_len / 8).max(256 * 1024)
}

/// Why a read must start again: the snapshot was replaced while its journal was being read.
enum Reading {
    Done(Loaded),
    Again,
}

impl Store {
    /// The journal beside the file (beside where a symbolic link points, so that every path to
    /// the file finds the same journal).
    pub fn journal_path(&self) -> PathBuf {
        let real = super::atomic::resolve(&self.path);
        let mut name = real.file_name().unwrap_or_default().to_os_string();
        name.push(".journal");
        real.with_file_name(name)
    }

    fn refused(&self, reason: String) -> StoreError {
        StoreError::Invalid {
            path: self.path.clone(),
            reason,
        }
    }

    /// The journal's bytes; `None` when there is none.
    fn journal_bytes(&self) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.journal_path();
        match fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io("read", &path)(e)),
        }
    }

    /// The snapshot's header and the file's length; `None` when there is no file, or it is no
    /// snapshot.
    fn snapshot_header(&self) -> Result<Option<(snapshot::Header, u64)>, StoreError> {
        let mut file = match File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io("read", &self.path)(e)),
        };
        let len = file.metadata().map_err(io("read", &self.path))?.len();
        let mut bytes = [0u8; snapshot::HEADER_LEN];
        let mut got = 0;
        while got < bytes.len() {
            match file.read(&mut bytes[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io("read", &self.path)(e)),
            }
        }
        let header = (got == bytes.len() && bytes.starts_with(&snapshot::MAGIC))
            .then(|| snapshot::Header::parse(&bytes))
            .flatten();
        Ok(header.map(|h| (h, len)))
    }

    fn journal_len(&self) -> Result<Option<u64>, StoreError> {
        let path = self.journal_path();
        match fs::metadata(&path) {
            Ok(m) => Ok(Some(m.len())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io("read", &path)(e)),
        }
    }

    /// Loads the world: the snapshot (or JSON) and the journal replayed on it; the default
    /// world when there is no file.
    pub fn load_state(&self) -> Result<Loaded, StoreError> {
        for _ in 0..3 {
            if let Reading::Done(loaded) = self.read_state()? {
                return Ok(loaded);
            }
        }
        // Replaced three times while being read: read it once more as it is.
        match self.read_state()? {
            Reading::Done(loaded) => Ok(loaded),
            Reading::Again => Err(self.refused(self.foreign_journal())),
        }
    }

    fn foreign_journal(&self) -> String {
        format!(
            "its journal {} follows another snapshot than this file (a journal from another world)",
            self.journal_path().display()
        )
    }

    fn read_state(&self) -> Result<Reading, StoreError> {
        let Some(read) = self.read_file()? else {
            if self.journal_len()?.is_some() {
                return Err(self.refused(format!(
                    "the file is missing, but its journal {} is there: a journal alone is no world",
                    self.journal_path().display()
                )));
            }
            return Ok(Reading::Done(Loaded {
                world: builtin_world(),
                seen: None,
                journal: JournalState::default(),
            }));
        };
        let (mut world, fingerprint, format) = self.decode_file(read)?;
        // A snapshot of an older schema is carried forward by the next commit, written whole.
        let current = format
            == FileFormat::Snapshot {
                migrated_from: None,
            };
        let Fingerprint::Snapshot { save_id, len, .. } = fingerprint else {
            if self.journal_len()?.is_some() {
                return Err(self.refused(self.foreign_journal()));
            }
            return Ok(Reading::Done(self.carry_forward(world, fingerprint)));
        };
        let Some(bytes) = self.journal_bytes()? else {
            return Ok(Reading::Done(Loaded {
                world,
                seen: Some(Fingerprint::Snapshot {
                    save_id,
                    len,
                    journal: 0,
                }),
                journal: JournalState {
                    appendable: current,
                    ..JournalState::default()
                },
            }));
        };
        let stale = journal::sealed_for_snapshot(&bytes, save_id);
        let header = journal::header(&bytes);
        if stale || header.is_ok_and(|h| h.base != save_id) {
            // A journal taken into this snapshot (its seal names it), or one that follows
            // another: that is a compaction by another process under way, or a foreign file.
            if !stale && self.snapshot_header()?.map(|(h, _)| h.save_id) != Some(save_id) {
                return Ok(Reading::Again);
            }
            if stale {
                return Ok(Reading::Done(Loaded {
                    world,
                    seen: Some(Fingerprint::Snapshot {
                        save_id,
                        len,
                        journal: 0,
                    }),
                    journal: JournalState::default(),
                }));
            }
            return Err(self.refused(self.foreign_journal()));
        }
        let read = journal::read(&bytes).map_err(|p| {
            self.refused(format!(
                "its journal {}: {p}",
                self.journal_path().display()
            ))
        })?;
        if read.header.schema_version > SCHEMA_VERSION {
            return Err(StoreError::Version {
                path: self.journal_path(),
                found: u64::from(read.header.schema_version),
            });
        }
        self.replay(&mut world, &read.commits)?;
        Ok(Reading::Done(Loaded {
            world,
            seen: Some(Fingerprint::Snapshot {
                save_id,
                len,
                journal: read.end,
            }),
            journal: JournalState {
                end: read.end,
                records: statements(&read.commits),
                appendable: read.appendable && current,
            },
        }))
    }

    /// Replays `commits` on `world`; refuses the file when one does not replay as it was
    /// committed.
    pub fn replay(&self, world: &mut World, commits: &[Commit]) -> Result<(), StoreError> {
        for commit in commits {
            let fail = |why: String| {
                self.refused(format!(
                    "its journal {} does not replay onto the snapshot ({why})",
                    self.journal_path().display(),
                ))
            };
            for entry in &commit.entries {
                tape::replay(world, entry).map_err(fail)?;
            }
            if (world.clock.now, world.clock.issued) != commit.clock {
                return Err(fail("the world's clock differs after a commit".to_string()));
            }
        }
        Ok(())
    }

    /// The version on disk now, cheaply: the snapshot's header and the journal's length.
    pub fn fingerprint(&self) -> Option<Fingerprint> {
        match self.snapshot_header().ok()? {
            Some((h, len)) => Some(Fingerprint::Snapshot {
                save_id: h.save_id,
                len,
                journal: self.journal_len().ok().flatten().unwrap_or(0),
            }),
            None => self.read_file().ok().flatten().map(|read| read.fingerprint),
        }
    }

    /// What changed since the version `seen` (with its journal as `journal` says): `None` when
    /// nothing did. Commits appended to the same snapshot's journal are read alone.
    pub fn newer(
        &self,
        seen: Option<Fingerprint>,
        journal: &JournalState,
    ) -> Result<Option<Newer>, StoreError> {
        if let Some(Fingerprint::Snapshot { save_id, len, .. }) = seen
            && let Some((header, now_len)) = self.snapshot_header()?
            && header.save_id == save_id
            && now_len == len
        {
            match self.journal_len()? {
                Some(n) if n == journal.end => return Ok(None),
                None if journal.end == 0 => return Ok(None),
                Some(n) if n > journal.end => {
                    if let Some(newer) = self.appended(save_id, len, journal)? {
                        return Ok(Some(newer));
                    }
                    if self.journal_len()? == Some(n) {
                        // Only the start of an append under way, or one a kill cut short.
                        return Ok(None);
                    }
                }
                _ => {}
            }
        }
        let loaded = self.load_state()?;
        if loaded.seen == seen {
            return Ok(None);
        }
        Ok(Some(Newer::Whole(loaded)))
    }

    /// The commits after `journal.end`; `None` when no whole one is there.
    fn appended(
        &self,
        save_id: u128,
        len: u64,
        journal: &JournalState,
    ) -> Result<Option<Newer>, StoreError> {
        let Some(bytes) = self.journal_bytes()? else {
            return Ok(None);
        };
        // A journal begun since the version seen is read from its first record.
        let from = match usize::try_from(journal.end).unwrap_or(usize::MAX) {
            0 => journal::HEADER_LEN,
            end => end,
        };
        let Ok(header) = journal::header(&bytes) else {
            return Ok(None);
        };
        if header.base != save_id || from > bytes.len() {
            return Ok(None);
        }
        let (commits, end, appendable) = journal::records(&bytes, from, header.schema_version)
            .map_err(|p| {
                self.refused(format!(
                    "its journal {}: {p}",
                    self.journal_path().display()
                ))
            })?;
        if commits.is_empty() {
            return Ok(None);
        }
        Ok(Some(Newer::Appended {
            journal: JournalState {
                end: end as u64,
                records: journal.records + statements(&commits),
                appendable: appendable && end == bytes.len(),
            },
            commits,
            seen: Fingerprint::Snapshot {
                save_id,
                len,
                journal: end as u64,
            },
        }))
    }

    /// Appends one commit to the journal of the snapshot `seen`, durably (the journal is made
    /// when there is none yet); the version it makes.
    pub fn append(
        &self,
        seen: Fingerprint,
        journal: &JournalState,
        commit: &Commit,
    ) -> Result<(Fingerprint, JournalState), StoreError> {
        let Fingerprint::Snapshot { save_id, len, .. } = seen else {
            return Err(self.refused("a journal follows a snapshot only".to_string()));
        };
        let path = self.journal_path();
        let record = journal::commit_record(commit);
        let end = if journal.end == 0 {
            let mut bytes = journal::Header {
                schema_version: SCHEMA_VERSION,
                base: save_id,
            }
            .to_bytes()
            .to_vec();
            bytes.extend_from_slice(&record);
            super::write_atomically(&path, &bytes)?;
            bytes.len() as u64
        } else {
            let mut file = OpenOptions::new()
                .append(true)
                .open(&path)
                .map_err(io("open", &path))?;
            file.write_all(&record).map_err(io("append to", &path))?;
            file.sync_data().map_err(io("sync", &path))?;
            journal.end + record.len() as u64
        };
        Ok((
            Fingerprint::Snapshot {
                save_id,
                len,
                journal: end,
            },
            JournalState {
                end,
                records: journal.records + commit.entries.len(),
                appendable: true,
            },
        ))
    }

    /// Commits `world`, changed from the version `seen` by the statements `entries` (`None`:
    /// by changes not recorded): appended to the journal when it may take them, else the whole
    /// world is written. Call it with the lock held.
    pub fn commit_change(
        &self,
        seen: Option<Fingerprint>,
        journal: &JournalState,
        world: &World,
        entries: Option<Vec<Entry>>,
    ) -> Result<(Fingerprint, JournalState), StoreError> {
        if let (Some(seen @ Fingerprint::Snapshot { len, .. }), Some(entries)) = (seen, entries)
            && !entries.is_empty()
            && journal.appendable
            && journal.records + entries.len() <= record_bound(len)
            && journal.end < byte_bound(len)
        {
            let commit = Commit {
                entries,
                clock: (world.clock.now, world.clock.issued),
            };
            return self.append(seen, journal, &commit);
        }
        let seen = self.save_tracked(world)?;
        Ok((
            seen,
            JournalState {
                appendable: true,
                ..JournalState::default()
            },
        ))
    }

    /// Replaces the file atomically with `world` as a snapshot and takes the journal into it
    /// (sealed before the snapshot takes its place, removed after). Call it with the lock held.
    pub fn save_tracked(&self, world: &World) -> Result<Fingerprint, StoreError> {
        self.ensure_dir()?;
        let journal = self.journal_path();
        self.tidy_journal()?;
        let header = super::atomic::write_atomically_sealed(
            &self.path,
            |file| snapshot::write(world, file),
            |header: &snapshot::Header| seal(&journal, header.save_id),
        )?;
        match fs::remove_file(&journal) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io("remove", &journal)(e)),
        }
        Ok(Fingerprint::Snapshot {
            save_id: header.save_id,
            len: header.body_len + snapshot::HEADER_LEN as u64,
            journal: 0,
        })
    }

    /// Readies the journal for a compaction's seal. One that an earlier compaction took into
    /// the snapshot on disk (killed after its rename, before the removal) is removed: sealed
    /// again, and that compaction killed before its own rename, it would be left beside the
    /// snapshot with a last seal naming another, a journal that seems foreign. One that follows
    /// the snapshot on disk loses its interrupted last append, so that no seal comes after a
    /// record cut short. Call it with the lock held.
    pub(super) fn tidy_journal(&self) -> Result<(), StoreError> {
        let Some(bytes) = self.journal_bytes()? else {
            return Ok(());
        };
        let Some((on_disk, _)) = self.snapshot_header()? else {
            return Ok(());
        };
        let path = self.journal_path();
        if journal::header(&bytes).is_ok_and(|h| h.base == on_disk.save_id) {
            if let Ok(read) = journal::read(&bytes)
                && read.end < bytes.len() as u64
            {
                let file = OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .map_err(io("open", &path))?;
                file.set_len(read.end).map_err(io("truncate", &path))?;
                file.sync_data().map_err(io("sync", &path))?;
            }
            return Ok(());
        }
        if !journal::sealed_for_snapshot(&bytes, on_disk.save_id) {
            return Ok(());
        }
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io("remove", &path)(e)),
        }
    }

    /// A JSON file read for the first time becomes a snapshot (under the lock, its original
    /// kept beside it), so that later reads do not parse JSON again. Best effort: when the lock
    /// is taken by another process or the file cannot be written, the world is as read.
    fn carry_forward(&self, world: World, fingerprint: Fingerprint) -> Loaded {
        let as_read = |world| Loaded {
            world,
            seen: Some(fingerprint),
            journal: JournalState::default(),
        };
        let Some(_lock) = self.lock_if_free() else {
            return as_read(world);
        };
        // Still the file read (another process may have carried it forward meanwhile).
        let unchanged = self.read_file().ok().flatten().map(|r| r.fingerprint) == Some(fingerprint);
        if !unchanged {
            return as_read(world);
        }
        match self.save_tracked(&world) {
            Ok(seen) => Loaded {
                world,
                seen: Some(seen),
                journal: JournalState {
                    appendable: true,
                    ..JournalState::default()
                },
            },
            Err(_) => as_read(world),
        }
    }
}

fn statements(commits: &[Commit]) -> usize {
    commits.iter().map(|c| c.entries.len()).sum()
}

/// Appends a seal naming `successor` to the journal at `path`, durably, when there is one.
fn seal(path: &std::path::Path, successor: u128) -> Result<(), StoreError> {
    let mut file = match OpenOptions::new().append(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io("open", path)(e)),
    };
    file.write_all(&journal::seal_record(successor))
        .map_err(io("seal", path))?;
    file.sync_data().map_err(io("sync", path))
}

impl Newer {
    /// The version it is, and its journal.
    pub fn version(&self) -> (Option<Fingerprint>, JournalState) {
        match self {
            Newer::Whole(loaded) => (loaded.seen, loaded.journal),
            Newer::Appended { seen, journal, .. } => (Some(*seen), *journal),
        }
    }

    /// Brings `world` (the version it was read against) to this version.
    pub fn apply(self, store: &Store, world: &mut World) -> Result<(), StoreError> {
        match self {
            Newer::Whole(loaded) => {
                *world = loaded.world;
                Ok(())
            }
            Newer::Appended { commits, .. } => store.replay(world, &commits),
        }
    }
}
