//! The world on disk: JSON with a schema version, replaced atomically (temporary file in the
//! same directory, fsync, rename, fsync of the directory), behind an advisory lock so that
//! concurrent shells serialize their read-modify-write transactions.
//!
//! Every write of the world happens with the lock held ([`Store::lock`]); reads need no lock,
//! since a reader sees either the old or the new file.

use std::fs::{self, File, OpenOptions};
use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

mod atomic;
mod migrate;
mod transaction;

pub use transaction::{Synced, Transaction};

pub use atomic::write_atomically;

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

/// What identifies one version of the file on disk, to notice changes by other processes: its
/// length and a hash of its bytes. (File metadata is not enough: an inode freed by one save is
/// reused by the next, and modification times are coarser than two quick saves.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    len: u64,
    hash: u64,
}

impl Fingerprint {
    /// Matches no file: a transaction that finds it reloads.
    const UNSEEN: Fingerprint = Fingerprint {
        len: u64::MAX,
        hash: 0,
    };

    fn of(bytes: &[u8]) -> Self {
        let mut hasher = DefaultHasher::new();
        hasher.write(bytes);
        Fingerprint {
            len: bytes.len() as u64,
            hash: hasher.finish(),
        }
    }
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

    /// The file's bytes; `None` when there is no file yet.
    fn read(&self) -> Result<Option<Vec<u8>>, StoreError> {
        match fs::read(&self.path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io("read", &self.path)(e)),
        }
    }

    /// The file's current fingerprint; `None` when there is no file yet or it cannot be read.
    pub fn fingerprint(&self) -> Option<Fingerprint> {
        self.read().ok().flatten().map(|b| Fingerprint::of(&b))
    }

    /// Loads the world; the default world when the file does not exist yet.
    pub fn load(&self) -> Result<World, StoreError> {
        self.load_tracked().map(|(world, _)| world)
    }

    /// Loads the world with the fingerprint of exactly the version read (`None`: no file yet,
    /// the default world).
    pub fn load_tracked(&self) -> Result<(World, Option<Fingerprint>), StoreError> {
        match self.read()? {
            None => Ok((builtin_world(), None)),
            Some(bytes) => self.decode_file(&bytes),
        }
    }

    /// Loads the world only if the file is no longer the version `seen`; `None` when it is.
    pub fn load_if_changed(
        &self,
        seen: Option<Fingerprint>,
    ) -> Result<Option<(World, Option<Fingerprint>)>, StoreError> {
        match self.read()? {
            None if seen.is_none() => Ok(None),
            None => Ok(Some((builtin_world(), None))),
            Some(bytes) if Some(Fingerprint::of(&bytes)) == seen => Ok(None),
            Some(bytes) => self.decode_file(&bytes).map(Some),
        }
    }

    fn decode_file(&self, bytes: &[u8]) -> Result<(World, Option<Fingerprint>), StoreError> {
        let (world, migrated) = decode_versioned_bytes(&self.path, bytes)?;
        if let Some(version) = migrated {
            // Keep the original beside the file; the migrated world replaces it at the next save.
            let backup = backup_path(&self.path, version);
            if !backup.exists() {
                write_atomically(&backup, bytes)?;
            }
        }
        Ok((world, Some(Fingerprint::of(bytes))))
    }

    /// Replaces the file atomically with `world`. Call it with the lock held.
    pub fn save(&self, world: &World) -> Result<(), StoreError> {
        self.save_tracked(world).map(|_| ())
    }

    /// Like [`Store::save`], and returns the fingerprint of the version written.
    pub fn save_tracked(&self, world: &World) -> Result<Fingerprint, StoreError> {
        self.ensure_dir()?;
        let text = serde_json::to_string(world).map_err(|e| StoreError::Invalid {
            path: self.path.clone(),
            reason: e.to_string(),
        })?;
        write_atomically(&self.path, text.as_bytes())?;
        Ok(Fingerprint::of(text.as_bytes()))
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

/// A world as the pretty-printed JSON that `world export` writes.
pub fn export_text(world: &World) -> String {
    let mut text = serde_json::to_string_pretty(world).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads a world from its JSON text, checking the schema version and the invariants.
pub fn decode(path: &Path, text: &str) -> Result<World, StoreError> {
    decode_bytes(path, text.as_bytes())
}

/// Like [`decode`], for a file's bytes (bytes that are not UTF-8 are not JSON either).
pub fn decode_bytes(path: &Path, bytes: &[u8]) -> Result<World, StoreError> {
    decode_versioned_bytes(path, bytes).map(|(world, _)| world)
}

/// Like [`decode`], and says from which older schema version the world was migrated, if any.
pub fn decode_versioned(path: &Path, text: &str) -> Result<(World, Option<u64>), StoreError> {
    decode_versioned_bytes(path, text.as_bytes())
}

fn decode_versioned_bytes(path: &Path, bytes: &[u8]) -> Result<(World, Option<u64>), StoreError> {
    let invalid = |reason: String| StoreError::Invalid {
        path: path.to_path_buf(),
        reason,
    };
    let mut value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| invalid(format!("not JSON ({e})")))?;
    let version = match value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
    {
        Some(v) => v,
        None => return Err(invalid("no schema_version".to_string())),
    };
    if version == 0 || version > u64::from(SCHEMA_VERSION) {
        return Err(StoreError::Version {
            path: path.to_path_buf(),
            found: version,
        });
    }
    let migrated = (version < u64::from(SCHEMA_VERSION)).then_some(version);
    for from in version..u64::from(SCHEMA_VERSION) {
        migrate::step(from, &mut value).map_err(&invalid)?;
    }
    let world: World = serde_json::from_value(value).map_err(|e| invalid(e.to_string()))?;
    check_invariants(&world).map_err(invalid)?;
    Ok((world, migrated))
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
        for id in project.members() {
            for role in project.roles_of(id).into_iter().flatten() {
                if !project.has_role(role) {
                    return Err(format!(
                        "member {id} of project {} holds role {role}, which does not exist",
                        project.name
                    ));
                }
            }
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
        let seen = store.save_tracked(&world).unwrap();
        assert_eq!(store.fingerprint(), Some(seen));
        assert!(store.load_if_changed(Some(seen)).unwrap().is_none());
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
        assert_ne!(store.fingerprint(), Some(seen));
        let (reloaded, now) = store.load_if_changed(Some(seen)).unwrap().unwrap();
        assert_eq!(reloaded.endpoint, "http://b");
        assert_eq!(now, store.fingerprint());
        // A file that disappeared gives the default world; no file and none seen is no change.
        fs::remove_file(&path).unwrap();
        let (reset, none) = store.load_if_changed(now).unwrap().unwrap();
        assert_eq!((reset, none), (World::default_world(), None));
        assert!(store.load_if_changed(None).unwrap().is_none());
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
            "w.json has schema version 99; this odpsh reads versions 1 to 3"
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
