//! The world on disk: JSON with a schema version, replaced atomically (temporary file in the
//! same directory, fsync, rename, fsync of the directory), behind an advisory lock so that
//! concurrent shells serialize their read-modify-write transactions.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

mod migrate;
mod transaction;

pub use transaction::{Synced, Transaction};

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

/// What identifies one version of the file on disk, to notice changes by other processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    modified: Option<SystemTime>,
    len: u64,
    /// Every save renames a new file into place, so the inode changes with each version.
    inode: u64,
}

impl Fingerprint {
    /// Matches no file: a transaction that finds it reloads.
    const UNSEEN: Fingerprint = Fingerprint {
        modified: None,
        len: u64::MAX,
        inode: u64::MAX,
    };
}

#[cfg(unix)]
fn inode(meta: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_meta: &fs::Metadata) -> u64 {
    0
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

    /// Takes the exclusive advisory lock (waiting for other processes to release it).
    pub fn lock(&self) -> Result<StoreLock, StoreError> {
        self.ensure_dir()?;
        let lock_path = self.lock_path();
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io("open the lock file", &lock_path))?;
        file.lock().map_err(io("lock", &lock_path))?;
        Ok(StoreLock { _file: file })
    }

    /// The file's current fingerprint; `None` when there is no file yet.
    pub fn fingerprint(&self) -> Option<Fingerprint> {
        let meta = fs::metadata(&self.path).ok()?;
        Some(Fingerprint {
            modified: meta.modified().ok(),
            len: meta.len(),
            inode: inode(&meta),
        })
    }

    /// Loads the world; the default world when the file does not exist yet.
    pub fn load(&self) -> Result<World, StoreError> {
        let text = match fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(builtin_world()),
            Err(e) => return Err(io("read", &self.path)(e)),
        };
        let (world, migrated) = decode_versioned(&self.path, &text)?;
        if let Some(version) = migrated {
            // Keep the original beside the file; the migrated world replaces it at the next save.
            let backup = backup_path(&self.path, version);
            if !backup.exists() {
                fs::write(&backup, &text).map_err(io("write the backup", &backup))?;
            }
        }
        Ok(world)
    }

    /// Replaces the file atomically with `world`.
    pub fn save(&self, world: &World) -> Result<(), StoreError> {
        self.ensure_dir()?;
        let text = serde_json::to_string(world).map_err(|e| StoreError::Invalid {
            path: self.path.clone(),
            reason: e.to_string(),
        })?;
        let mut tmp_name = self.path.file_name().unwrap_or_default().to_os_string();
        tmp_name.push(format!(".tmp{}", std::process::id()));
        let tmp = self.path.with_file_name(tmp_name);
        let mut file = File::create(&tmp).map_err(io("create", &tmp))?;
        file.write_all(text.as_bytes()).map_err(io("write", &tmp))?;
        file.sync_all().map_err(io("sync", &tmp))?;
        drop(file);
        fs::rename(&tmp, &self.path).map_err(io("replace", &self.path))?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Make the rename itself durable.
            if let Ok(d) = File::open(dir) {
                d.sync_all()
                    .map_err(io("sync the directory of", &self.path))?;
            }
        }
        Ok(())
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
    decode_versioned(path, text).map(|(world, _)| world)
}

/// Like [`decode`], and says from which older schema version the world was migrated, if any.
pub fn decode_versioned(path: &Path, text: &str) -> Result<(World, Option<u64>), StoreError> {
    let invalid = |reason: String| StoreError::Invalid {
        path: path.to_path_buf(),
        reason,
    };
    let mut value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| invalid(format!("not JSON ({e})")))?;
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
    fn refuses_bad_files_with_a_reason() {
        let p = Path::new("w.json");
        let e = decode(p, "{nope").unwrap_err().to_string();
        assert!(
            e.starts_with("w.json is not a valid odpsh world: not JSON"),
            "{e}"
        );
        let e = decode(p, r#"{"schema_version": 99}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "w.json has schema version 99; this odpsh reads versions 1 to 2"
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
