//! The world on disk: a binary snapshot with a header (see `snapshot.rs`), replaced atomically
//! (temporary file in the same directory, fsync, rename, fsync of the directory), behind an
//! advisory lock so that concurrent shells serialize their read-modify-write transactions. JSON
//! is the exchange form (`world export`/`world import`) and is still read from state files
//! written by earlier versions, which the next save carries forward to a snapshot (keeping the
//! JSON original beside it).
//!
//! Every write of the world happens with the lock held ([`Store::lock`]); reads need no lock,
//! since a reader sees either the old or the new file.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

mod access_key_file;
mod account_file;
mod atomic;
pub mod journal;
mod json_file;
mod legacy_v4;
mod migrate;
mod project_file;
mod ram_user_file;
pub mod snapshot;
mod state;
mod transaction;

pub use state::{JournalState, Loaded, Newer, byte_bound, record_bound};

pub use json_file::export_text;

pub use transaction::{Synced, Transaction};

pub use atomic::{write_atomically, write_atomically_with};

use crate::world::{SCHEMA_VERSION, World};

/// Overrides the directory odpsh keeps its world and history in.
pub const HOME_ENV: &str = "ODPSH_HOME";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a valid odpsh world: {reason}")]
    Invalid { path: PathBuf, reason: String },
    #[error("{path} has schema version {found}; this odpsh reads versions 1 to {SCHEMA_VERSION}")]
    Version { path: PathBuf, found: u64 },
}

impl StoreError {
    /// True when odpsh refuses the file's content (not JSON, unknown version, broken
    /// invariant), as opposed to failing to read or write it.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            StoreError::Invalid { .. } | StoreError::Version { .. }
        )
    }
}

fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> StoreError + 'a {
    move |source| StoreError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Where odpsh keeps its files: `$ODPSH_HOME`, else the user data directory.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os(HOME_ENV) {
        return Some(PathBuf::from(home));
    }
    directories::ProjectDirs::from("com", "odpsh", "odpsh").map(|d| d.data_dir().to_path_buf())
}

/// What identifies one version of the file on disk, to notice changes by other processes. A
/// snapshot's header carries a save id that every save makes anew, so reading the header is
/// enough; any other file (JSON) is known by its length and a checksum of its bytes. (File
/// metadata alone is not enough: an inode freed by one save is reused by the next, and
/// modification times are coarser than two quick saves.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fingerprint {
    Snapshot {
        save_id: u128,
        len: u64,
        /// Where the journal's last whole record ends (0: no journal).
        journal: u64,
    },
    Content {
        len: u64,
        checksum: u64,
    },
    /// Matches no file: a transaction that finds it reloads.
    Unseen,
}

impl Fingerprint {
    const UNSEEN: Fingerprint = Fingerprint::Unseen;
}

/// How a loaded file was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// A snapshot, of this older schema version if any.
    Snapshot { migrated_from: Option<u32> },
    /// JSON, migrated from this older schema version if any.
    Json { migrated_from: Option<u64> },
}

/// A world file read from disk: its fingerprint and all its bytes.
struct FileRead {
    fingerprint: Fingerprint,
    bytes: Vec<u8>,
}

/// A world file and its lock file beside it.
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
}

/// Held while a transaction runs; dropping it releases the lock.
#[derive(Debug)]
pub struct StoreLock {
    _file: File,
    path: PathBuf,
}

impl Store {
    pub fn new(path: PathBuf) -> Self {
        Store { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock_path(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".lock");
        self.path.with_file_name(name)
    }

    fn ensure_dir(&self) -> Result<(), StoreError> {
        match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => {
                fs::create_dir_all(dir).map_err(io("create the directory of", &self.path))
            }
            _ => Ok(()),
        }
    }

    /// Takes the exclusive advisory lock (waiting for other processes to release it), and
    /// removes the temporary files that processes killed while saving left behind.
    pub fn lock(&self) -> Result<StoreLock, StoreError> {
        self.lock_announced(|| {})
    }

    /// Like [`Store::lock`], calling `waiting` first when another process holds the lock (so
    /// that a user knows why nothing happens yet).
    pub fn lock_announced(&self, waiting: impl FnOnce()) -> Result<StoreLock, StoreError> {
        self.ensure_dir()?;
        let lock_path = self.lock_path();
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io("open the lock file", &lock_path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                waiting();
                file.lock().map_err(io("lock", &lock_path))?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io("lock", &lock_path)(e)),
        }
        atomic::remove_stale_temporaries(&self.path);
        atomic::remove_stale_temporaries(&self.journal_path());
        Ok(StoreLock::held(file, lock_path))
    }

    /// Takes the lock when no other process holds it (or this process does already); `None`
    /// when another holds it or it cannot be taken.
    fn lock_if_free(&self) -> Option<Option<StoreLock>> {
        let lock_path = self.lock_path();
        if held().contains(&lock_path) {
            return Some(None);
        }
        self.ensure_dir().ok()?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .ok()?;
        file.try_lock().ok()?;
        Some(Some(StoreLock::held(file, lock_path)))
    }

    /// The whole file as read now; `None` when there is none.
    fn read_file(&self) -> Result<Option<FileRead>, StoreError> {
        let bytes = match fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io("read", &self.path)(e)),
        };
        let header = (bytes.len() >= snapshot::HEADER_LEN && bytes.starts_with(&snapshot::MAGIC))
            .then(|| snapshot::Header::parse(&bytes))
            .flatten();
        let fingerprint = match header {
            Some(h) => Fingerprint::Snapshot {
                save_id: h.save_id,
                len: bytes.len() as u64,
                journal: 0,
            },
            None => Fingerprint::Content {
                len: bytes.len() as u64,
                checksum: snapshot::Checksum::of(&bytes),
            },
        };
        Ok(Some(FileRead { fingerprint, bytes }))
    }

    /// Loads the world; the default world when the file does not exist yet.
    pub fn load(&self) -> Result<World, StoreError> {
        self.load_state().map(|loaded| loaded.world)
    }

    /// Loads the world with the fingerprint of exactly the version read (`None`: no file yet,
    /// the default world).
    pub fn load_tracked(&self) -> Result<(World, Option<Fingerprint>), StoreError> {
        self.load_state().map(|loaded| (loaded.world, loaded.seen))
    }

    /// Loads the world only if the file is no longer the version `seen`; `None` when it is.
    pub fn load_if_changed(
        &self,
        seen: Option<Fingerprint>,
    ) -> Result<Option<(World, Option<Fingerprint>)>, StoreError> {
        if seen.is_some() && self.fingerprint() == seen {
            return Ok(None);
        }
        let loaded = self.load_state()?;
        if loaded.seen == seen {
            return Ok(None);
        }
        Ok(Some((loaded.world, loaded.seen)))
    }

    fn decode_file(&self, read: FileRead) -> Result<(World, Fingerprint, FileFormat), StoreError> {
        let (world, format) = decode_any(&self.path, &read.bytes)?;
        // Keep the original of a file the next save will rewrite in another form beside it.
        let backup = match format {
            FileFormat::Snapshot {
                migrated_from: None,
            } => None,
            FileFormat::Snapshot {
                migrated_from: Some(version),
            } => Some(backup_path(&self.path, u64::from(version))),
            FileFormat::Json {
                migrated_from: Some(version),
            } => Some(backup_path(&self.path, version)),
            FileFormat::Json {
                migrated_from: None,
            } => Some(json_backup_path(&self.path)),
        };
        if let Some(backup) = backup
            && !backup.exists()
        {
            write_atomically(&backup, &read.bytes)?;
        }
        Ok((world, read.fingerprint, format))
    }

    /// Replaces the file atomically with `world` (taking the journal into it). Call it with the
    /// lock held.
    pub fn save(&self, world: &World) -> Result<(), StoreError> {
        self.save_tracked(world).map(|_| ())
    }
}

/// The lock files this process holds (so that a read under the lock does not wait for it).
fn held() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    static HELD: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    HELD.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl StoreLock {
    fn held(file: File, path: PathBuf) -> StoreLock {
        held().push(path.clone());
        StoreLock { _file: file, path }
    }
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        let mut held = held();
        if let Some(i) = held.iter().position(|p| *p == self.path) {
            held.swap_remove(i);
        }
    }
}

/// The built-in default world, shipped as a world file inside the binary.
const BUILTIN_WORLD: &str = include_str!("../../worlds/default.json");

/// The default world a new store or `--fresh` starts from.
pub fn builtin_world() -> World {
    // The embedded file is checked by a test; should it ever not decode, the same world is
    // built in code.
    decode(Path::new("<built-in default world>"), BUILTIN_WORLD)
        .unwrap_or_else(|_| World::default_world())
}

/// Reads a world from its JSON text, checking the schema version and the invariants.
pub fn decode(path: &Path, text: &str) -> Result<World, StoreError> {
    json_file::decode(path, text.as_bytes()).map(|(world, _)| world)
}

/// Reads a world from a file's bytes, a snapshot or JSON (bytes that are neither are refused).
pub fn decode_bytes(path: &Path, bytes: &[u8]) -> Result<World, StoreError> {
    decode_any(path, bytes).map(|(world, _)| world)
}

/// Like [`decode`], and says from which older schema version the world was migrated, if any.
pub fn decode_versioned(path: &Path, text: &str) -> Result<(World, Option<u64>), StoreError> {
    json_file::decode(path, text.as_bytes())
}

/// Reads a snapshot or JSON, whichever `bytes` hold, checking versions and invariants.
pub fn decode_any(path: &Path, bytes: &[u8]) -> Result<(World, FileFormat), StoreError> {
    if !snapshot::looks_like_snapshot(bytes) {
        let (world, migrated_from) = json_file::decode(path, bytes)?;
        return Ok((world, FileFormat::Json { migrated_from }));
    }
    let refused = |problem: snapshot::SnapshotProblem| match problem {
        snapshot::SnapshotProblem::Version(v) if v > SCHEMA_VERSION => StoreError::Version {
            path: path.to_path_buf(),
            found: u64::from(v),
        },
        problem => StoreError::Invalid {
            path: path.to_path_buf(),
            reason: problem.to_string(),
        },
    };
    let (header, body) = snapshot::body(bytes).map_err(refused)?;
    let world = snapshot::decode(&header, body).map_err(refused)?;
    check_invariants(&world).map_err(|reason| StoreError::Invalid {
        path: path.to_path_buf(),
        reason,
    })?;
    let migrated_from = (header.schema_version < SCHEMA_VERSION).then_some(header.schema_version);
    Ok((world, FileFormat::Snapshot { migrated_from }))
}

/// Where the JSON original of a state file carried forward to a snapshot is kept.
/// `world.json` keeps it as `world.json.bak` (its name says it is JSON already), any other
/// name as `<name>.json.bak`.
pub fn json_backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    let is_json = name
        .to_str()
        .is_some_and(|n| n.to_ascii_lowercase().ends_with(".json"));
    name.push(if is_json { ".bak" } else { ".json.bak" });
    path.with_file_name(name)
}

/// Where the original of a world file migrated from `version` is kept.
pub fn backup_path(path: &Path, version: u64) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".v{version}.bak"));
    path.with_file_name(name)
}

/// Invariants a loaded world must keep. A member unknown to every account is fine (that is a
/// residual member); a binding to a role that does not exist is not.
pub fn check_invariants(world: &World) -> Result<(), String> {
    if world.account(world.home).is_none() {
        return Err(format!(
            "the home account {} is not among the accounts",
            world.home
        ));
    }
    for (key, project) in &world.projects {
        if *key != project.name.to_ascii_lowercase() {
            return Err(format!("project {} is filed under '{key}'", project.name));
        }
        if world.account(project.owner).is_none() {
            return Err(format!(
                "project {} has an unknown owner {}",
                project.name, project.owner
            ));
        }
        if let Some((id, role)) = project.unknown_bindings().first() {
            return Err(format!(
                "member {id} of project {} holds role {role}, which does not exist",
                project.name
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod journal_tests;
#[cfg(test)]
mod tests;
