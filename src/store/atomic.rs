//! Replacing a file so that a process killed at any moment leaves the old or the new content,
//! never a torn one: write a temporary file in the same directory, fsync it, rename it over the
//! file, fsync the directory.
//!
//! Temporary files are named `<file>.tmp.<pid>.<n>`: unique per process and per write, and
//! created only if absent, so two writers never share one. A process killed between creating
//! and renaming leaves its temporary file behind; the next holder of the store's lock removes
//! such leftovers ([`remove_stale_temporaries`]).

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::{StoreError, io};

/// Counts the temporary files this process created, so that each write gets its own.
static WRITES: AtomicU64 = AtomicU64::new(0);

/// How many names to try when a leftover of an earlier process with the same pid is in the way.
const NAME_ATTEMPTS: u32 = 64;

fn file_name(path: &Path) -> OsString {
    path.file_name().unwrap_or_default().to_os_string()
}

/// `<file>.tmp.`: how every temporary file of `path` starts.
fn temp_prefix(path: &Path) -> String {
    format!("{}.tmp.", file_name(path).to_string_lossy())
}

/// Creates a new, unique temporary file beside `path`.
fn create_temporary(path: &Path) -> Result<(File, PathBuf), StoreError> {
    let prefix = temp_prefix(path);
    let mut last = None;
    for _ in 0..NAME_ATTEMPTS {
        let n = WRITES.fetch_add(1, Ordering::Relaxed);
        let tmp = path.with_file_name(format!("{prefix}{}.{n}", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => return Ok((file, tmp)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some((e, tmp)),
            Err(e) => return Err(io("create a temporary file beside", path)(e)),
        }
    }
    match last {
        Some((e, tmp)) => Err(io("create", &tmp)(e)),
        None => Err(io("create a temporary file beside", path)(
            std::io::Error::other("no name left"),
        )),
    }
}

/// The file `path` stands for: the file itself, or where a symbolic link at `path` points (so
/// that a save replaces the file, not the link).
pub(super) fn resolve(path: &Path) -> PathBuf {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return path.to_path_buf();
    }
    match (fs::canonicalize(path), fs::read_link(path)) {
        (Ok(target), _) => target,
        // A link to a file that does not exist yet: create it where the link points.
        (Err(_), Ok(target)) => path.parent().unwrap_or(Path::new("")).join(target),
        (Err(_), Err(_)) => path.to_path_buf(),
    }
}

/// Replaces `path` with `bytes` atomically and durably, keeping the file's permissions (and a
/// symbolic link at `path`). On failure the file is as it was and the temporary file is gone.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    write_atomically_with(path, |file| file.write_all(bytes))
}

/// Like [`write_atomically`], with `fill` writing the new content into the temporary file
/// (positioned at its start); returns what `fill` returned.
pub fn write_atomically_with<T>(
    path: &Path,
    fill: impl FnOnce(&mut File) -> std::io::Result<T>,
) -> Result<T, StoreError> {
    write_atomically_sealed(path, fill, |_| Ok(()))
}

/// Like [`write_atomically_with`], calling `before_rename` with what `fill` returned once the
/// new content is durable and before it takes the file's place (a failure there leaves the file
/// as it was).
pub fn write_atomically_sealed<T>(
    path: &Path,
    fill: impl FnOnce(&mut File) -> std::io::Result<T>,
    before_rename: impl FnOnce(&T) -> Result<(), StoreError>,
) -> Result<T, StoreError> {
    let path = &resolve(path);
    let (mut file, tmp) = create_temporary(path)?;
    if let Ok(meta) = fs::metadata(path) {
        let _ = file.set_permissions(meta.permissions());
    }
    let written = fill(&mut file)
        .map_err(io("write", &tmp))
        .and_then(|value| file.sync_all().map_err(io("sync", &tmp)).map(|()| value));
    drop(file);
    let value = match written
        .and_then(|v| before_rename(&v).map(|()| v))
        .and_then(|v| {
            fs::rename(&tmp, path)
                .map_err(io("replace", path))
                .map(|()| v)
        }) {
        Ok(value) => value,
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
    };
    sync_directory(path)?;
    Ok(value)
}

/// Makes a rename in `path`'s directory durable.
fn sync_directory(path: &Path) -> Result<(), StoreError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // Directories cannot be opened on every platform; where they can, fsync makes the rename
    // itself survive a crash of the machine.
    match File::open(dir) {
        Ok(d) => d.sync_all().map_err(io("sync the directory of", path)),
        Err(_) => Ok(()),
    }
}

/// Whether `name` is a temporary file of `path`: `<file>.tmp.<anything>`, or the
/// `<file>.tmp<pid>` of earlier versions of odpsh.
fn is_temporary(path: &Path, name: &str) -> bool {
    let prefix = temp_prefix(path);
    if name.starts_with(&prefix) {
        return true;
    }
    let legacy = &prefix[..prefix.len() - 1];
    name.strip_prefix(legacy)
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
}

/// Removes the temporary files of `path` that killed processes left behind. Call it only with
/// the store's lock held: every write of the world happens under that lock, so no temporary
/// file is in use then. Best effort: a file that cannot be removed stays, and is harmless.
pub fn remove_stale_temporaries(path: &Path) {
    let path = &resolve(path);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if is_temporary(path, &name.to_string_lossy()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("world.json");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(names(dir.path()), ["world.json"]);
    }

    #[test]
    fn a_leftover_with_this_process_name_is_not_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("world.json");
        // A killed process with the same pid left files under the next names this one would
        // pick: they are skipped, never written into.
        let next = WRITES.load(Ordering::Relaxed);
        for n in next..next + 3 {
            let tmp = format!("world.json.tmp.{}.{n}", std::process::id());
            fs::write(dir.path().join(tmp), b"leftover").unwrap();
        }
        write_atomically(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        let leftovers: Vec<String> = names(dir.path())
            .into_iter()
            .filter(|n| n.contains(".tmp."))
            .collect();
        for name in &leftovers {
            assert_eq!(fs::read(dir.path().join(name)).unwrap(), b"leftover");
        }
        assert!(leftovers.len() >= 3, "{leftovers:?}");
    }

    #[test]
    fn a_failed_replace_removes_its_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // A directory in the way: the rename fails, and nothing is left behind.
        let path = dir.path().join("world.json");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("inside"), b"x").unwrap();
        let e = write_atomically(&path, b"new").unwrap_err().to_string();
        assert!(e.starts_with("cannot replace "), "{e}");
        assert_eq!(names(dir.path()), ["world.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_save_keeps_the_permissions_and_the_symbolic_link() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("lessons/real.json");
        fs::create_dir(dir.path().join("lessons")).unwrap();
        fs::write(&real, b"old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("world.json");
        std::os::unix::fs::symlink("lessons/real.json", &link).unwrap();
        write_atomically(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&real).unwrap(), b"new");
        assert_eq!(
            fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(names(&dir.path().join("lessons")), ["real.json"]);
        // A link to a file not there yet: the file is created where it points.
        let dangling = dir.path().join("next.json");
        std::os::unix::fs::symlink("lessons/next.json", &dangling).unwrap();
        write_atomically(&dangling, b"first").unwrap();
        assert_eq!(
            fs::read(dir.path().join("lessons/next.json")).unwrap(),
            b"first"
        );
        assert!(
            fs::symlink_metadata(&dangling)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn stale_temporaries_are_recognised_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("world.json");
        for name in [
            "world.json",
            "world.json.lock",
            "world.json.tmp.123.0",
            "world.json.tmp4242",
            "world.json.tmpl",
            "world.json.v1.bak",
            "other.json.tmp.1.1",
        ] {
            fs::write(dir.path().join(name), b"x").unwrap();
        }
        remove_stale_temporaries(&path);
        assert_eq!(
            names(dir.path()),
            [
                "other.json.tmp.1.1",
                "world.json",
                "world.json.lock",
                "world.json.tmpl",
                "world.json.v1.bak"
            ]
        );
    }
}
