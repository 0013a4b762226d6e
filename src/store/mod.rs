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
use std::io::Read;
use std::path::{Path, PathBuf};

mod account_file;
mod atomic;
mod json_file;
mod legacy_v4;
mod migrate;
mod project_file;
mod ram_user_file;
pub mod snapshot;
mod transaction;

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
        Ok(StoreLock { _file: file })
    }

    /// Reads the file's header (48 bytes), and the rest unless the header says it is the
    /// version `seen`: `Ok(None)` when there is no file, `Ok(Some((fingerprint, None)))` when it
    /// is the version seen.
    fn read_unless(
        &self,
        seen: Option<Fingerprint>,
    ) -> Result<Option<(Fingerprint, Option<FileRead>)>, StoreError> {
        let mut file = match File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io("read", &self.path)(e)),
        };
        let len = file.metadata().map_err(io("read", &self.path))?.len();
        let mut bytes = vec![0u8; snapshot::HEADER_LEN];
        let mut got = 0;
        while got < bytes.len() {
            match file.read(&mut bytes[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io("read", &self.path)(e)),
            }
        }
        bytes.truncate(got);
        let header = (got == snapshot::HEADER_LEN && bytes.starts_with(&snapshot::MAGIC))
            .then(|| snapshot::Header::parse(&bytes))
            .flatten();
        if let Some(h) = header {
            let fingerprint = Fingerprint::Snapshot {
                save_id: h.save_id,
                len,
            };
            if seen == Some(fingerprint) {
                return Ok(Some((fingerprint, None)));
            }
        }
        bytes.reserve(usize::try_from(len).unwrap_or(0).saturating_sub(got));
        file.read_to_end(&mut bytes)
            .map_err(io("read", &self.path))?;
        let fingerprint = match header {
            Some(h) => Fingerprint::Snapshot {
                save_id: h.save_id,
                len: bytes.len() as u64,
            },
            None => Fingerprint::Content {
                len: bytes.len() as u64,
                checksum: snapshot::Checksum::of(&bytes),
            },
        };
        if seen == Some(fingerprint) {
            return Ok(Some((fingerprint, None)));
        }
        Ok(Some((fingerprint, Some(FileRead { fingerprint, bytes }))))
    }

    /// The file's current fingerprint; `None` when there is no file yet or it cannot be read.
    pub fn fingerprint(&self) -> Option<Fingerprint> {
        self.read_unless(Some(Fingerprint::UNSEEN))
            .ok()
            .flatten()
            .map(|(fingerprint, _)| fingerprint)
    }

    /// Loads the world; the default world when the file does not exist yet.
    pub fn load(&self) -> Result<World, StoreError> {
        self.load_tracked().map(|(world, _)| world)
    }

    /// Loads the world with the fingerprint of exactly the version read (`None`: no file yet,
    /// the default world).
    pub fn load_tracked(&self) -> Result<(World, Option<Fingerprint>), StoreError> {
        match self.read_unless(None)? {
            Some((_, Some(read))) => self.decode_file(read),
            _ => Ok((builtin_world(), None)),
        }
    }

    /// Loads the world only if the file is no longer the version `seen`; `None` when it is.
    pub fn load_if_changed(
        &self,
        seen: Option<Fingerprint>,
    ) -> Result<Option<(World, Option<Fingerprint>)>, StoreError> {
        match self.read_unless(seen)? {
            None if seen.is_none() => Ok(None),
            None => Ok(Some((builtin_world(), None))),
            Some((_, None)) => Ok(None),
            Some((_, Some(read))) => self.decode_file(read).map(Some),
        }
    }

    fn decode_file(&self, read: FileRead) -> Result<(World, Option<Fingerprint>), StoreError> {
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
        Ok((world, Some(read.fingerprint)))
    }

    /// Replaces the file atomically with `world`. Call it with the lock held.
    pub fn save(&self, world: &World) -> Result<(), StoreError> {
        self.save_tracked(world).map(|_| ())
    }

    /// Like [`Store::save`], and returns the fingerprint of the version written.
    pub fn save_tracked(&self, world: &World) -> Result<Fingerprint, StoreError> {
        self.ensure_dir()?;
        let header = write_atomically_with(&self.path, |file| snapshot::write(world, file))?;
        Ok(Fingerprint::Snapshot {
            save_id: header.save_id,
            len: header.body_len + snapshot::HEADER_LEN as u64,
        })
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
pub fn json_backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".json.bak");
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
mod tests {
    use super::*;

    #[test]
    fn the_builtin_world_file_is_the_default_world() {
        let world = decode(Path::new("default.json"), BUILTIN_WORLD).unwrap();
        assert_eq!(world, World::default_world());
        assert_eq!(
            export_text(&world),
            BUILTIN_WORLD,
            "regenerate worlds/default.json"
        );
    }

    #[test]
    fn an_older_file_is_migrated_and_its_original_kept_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("world.json");
        let mut v = serde_json::to_value(World::default_world()).unwrap();
        v["schema_version"] = serde_json::json!(1);
        for account in v["accounts"].as_object_mut().unwrap().values_mut() {
            let a = account.as_object_mut().unwrap();
            for field in [
                "alias",
                "allow_user_to_manage_access_keys",
                "access_keys",
                "custom_policies",
            ] {
                a.remove(field);
            }
        }
        let original = v.to_string();
        fs::write(&path, &original).unwrap();
        let store = Store::new(path.clone());
        assert_eq!(store.load().unwrap(), World::default_world());
        assert_eq!(fs::read_to_string(backup_path(&path, 1)).unwrap(), original);
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            original,
            "not rewritten until a save"
        );
    }

    #[test]
    fn saves_and_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("sub/world.json"));
        assert_eq!(store.load().unwrap(), World::default_world());
        assert!(store.fingerprint().is_none());
        let _lock = store.lock().unwrap();
        let mut world = World::default_world();
        world.clock.tick();
        store.save(&world).unwrap();
        assert_eq!(store.load().unwrap(), world);
        assert!(store.fingerprint().is_some());
        let leftovers: Vec<_> = fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.contains(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_change_of_the_same_length_in_place_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("world.json");
        let store = Store::new(path.clone());
        let mut world = World::default_world();
        world.endpoint = "http://a".into();
        // A JSON file (an earlier version's, or written by hand) is known by its bytes.
        fs::write(&path, export_text(&world)).unwrap();
        let (_, seen) = store.load_tracked().unwrap();
        assert!(matches!(seen, Some(Fingerprint::Content { .. })));
        assert_eq!(store.fingerprint(), seen);
        assert!(store.load_if_changed(seen).unwrap().is_none());
        // Same length, same inode, same modification time: only the bytes tell.
        let modified = fs::metadata(&path).unwrap().modified().unwrap();
        let text = fs::read_to_string(&path)
            .unwrap()
            .replace("http://a", "http://b");
        fs::write(&path, &text).unwrap();
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        assert_ne!(store.fingerprint(), seen);
        let (reloaded, now) = store.load_if_changed(seen).unwrap().unwrap();
        assert_eq!(reloaded.endpoint, "http://b");
        assert_eq!(now, store.fingerprint());
        // A file that disappeared gives the default world; no file and none seen is no change.
        fs::remove_file(&path).unwrap();
        let (reset, none) = store.load_if_changed(now).unwrap().unwrap();
        assert_eq!((reset, none), (World::default_world(), None));
        assert!(store.load_if_changed(None).unwrap().is_none());
    }

    #[test]
    fn every_save_is_a_new_version_even_of_the_same_world() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("world.json"));
        let world = World::default_world();
        let first = store.save_tracked(&world).unwrap();
        assert_eq!(store.fingerprint(), Some(first));
        assert!(store.load_if_changed(Some(first)).unwrap().is_none());
        // Another process saves the very same world: the header still tells.
        let second = store.save_tracked(&world).unwrap();
        assert_ne!(first, second);
        let (reloaded, now) = store.load_if_changed(Some(first)).unwrap().unwrap();
        assert_eq!((reloaded, now), (world, Some(second)));
    }

    #[test]
    fn a_json_state_file_is_carried_forward_with_its_original_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("world.json");
        let store = Store::new(path.clone());
        let mut world = World::default_world();
        world.endpoint = "http://json".into();
        let original = export_text(&world);
        fs::write(&path, &original).unwrap();
        assert_eq!(store.load().unwrap(), world);
        let backup = json_backup_path(&path);
        assert_eq!(fs::read_to_string(&backup).unwrap(), original);
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            original,
            "not rewritten yet"
        );
        store.save(&world).unwrap();
        let bytes = fs::read(&path).unwrap();
        assert!(snapshot::looks_like_snapshot(&bytes));
        assert_eq!(decode_bytes(&path, &bytes).unwrap(), world);
        assert_eq!(fs::read_to_string(&backup).unwrap(), original);
    }

    #[test]
    fn the_lock_holder_removes_what_killed_saves_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("world.json");
        let store = Store::new(path.clone());
        store.save(&World::default_world()).unwrap();
        fs::write(dir.path().join("world.json.tmp.99999.0"), b"{\"torn").unwrap();
        fs::write(dir.path().join("world.json.tmp4242"), b"{\"torn").unwrap();
        let _lock = store.lock().unwrap();
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["world.json", "world.json.lock"]);
    }

    #[test]
    fn refuses_bad_files_with_a_reason() {
        let p = Path::new("w.json");
        let e = decode(p, "{nope").unwrap_err().to_string();
        assert!(
            e.starts_with("w.json is not a valid odpsh world: not JSON"),
            "{e}"
        );
        let e = decode_bytes(p, b"\xff\xfe{}").unwrap_err().to_string();
        assert!(
            e.starts_with("w.json is not a valid odpsh world: not JSON"),
            "{e}"
        );
        let e = decode(p, r#"{"schema_version": 99}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "w.json has schema version 99; this odpsh reads versions 1 to 7"
        );
        let mut v = serde_json::to_value(World::default_world()).unwrap();
        v["projects"]["maxcompute"]["members"] = serde_json::json!({"p4_1": {"roles": ["ghost"]}});
        let e = decode(p, &v.to_string()).unwrap_err().to_string();
        assert!(e.contains("holds role ghost, which does not exist"), "{e}");
        v["projects"]["maxcompute"]["members"] = serde_json::json!({"p4_1": {"roles": ["admin"]}});
        assert!(
            decode(p, &v.to_string()).is_ok(),
            "a residual member is fine"
        );
    }
}
