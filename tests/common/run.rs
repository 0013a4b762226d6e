//! Runs the real binary to its end, with its data directory in a temporary directory.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// `odpsh` with `args`, `$ODPSH_HOME` at `home`, colour off, nothing inherited that matters.
pub fn command(home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_odpsh"));
    cmd.args(args)
        .env("ODPSH_HOME", home)
        .env("NO_COLOR", "1")
        .env_remove("LANG")
        .env_remove("LC_ALL");
    cmd
}

/// Runs `odpsh` with `args`, `stdin` piped in (or nothing), and waits for its end.
pub fn odpsh(home: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = command(home, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("odpsh starts");
    let mut pipe = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        pipe.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(pipe);
    child.wait_with_output().expect("odpsh ends")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The names of the files in `dir`, sorted.
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
