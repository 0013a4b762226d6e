//! Transcript tests: every `tests/transcripts/*.odps` script runs through the real binary and
//! its whole output and exit code are compared with `<name>.expected`.
//!
//! A script may start with directive comments:
//!   `-- args: <arguments>`   the command line (default `--fresh --echo -f {script}`); without
//!                            `{script}` in it the script is piped to standard input.
//!   `-- env: NAME=VALUE`     an environment variable (repeatable).
//!   `-- world: <file>`       start from this world file (under tests/transcripts/worlds/),
//!                            copied to `$ODPSH_HOME/world.json` (use it without `--fresh`).
//! Every run gets its own empty `ODPSH_HOME` (spelled `$ODPSH_HOME` in the output) and
//! `NO_COLOR=1`.
//!
//! `<name>.expected` holds what a user sees (stdout and stderr interleaved, as on a terminal),
//! then `--- stderr` and the stderr part alone, then `--- exit <code>`.
//! `UPDATE_TRANSCRIPTS=1 cargo test --test transcripts` rewrites the expected files; review the
//! diff before committing it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const DIR: &str = "tests/transcripts";
const DEFAULT_ARGS: &str = "--fresh --echo -f {script}";

struct Case {
    script: PathBuf,
    args: Vec<String>,
    piped: bool,
    env: Vec<(String, String)>,
    world: Option<PathBuf>,
}

impl Case {
    fn read(script: &Path) -> Case {
        // Scripts may be in GBK or start with a BOM (the encoding transcripts): the
        // directives are ASCII, so the bytes are read leniently.
        let bytes = std::fs::read(script).expect("script readable");
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
        let text = String::from_utf8_lossy(bytes);
        let mut args = DEFAULT_ARGS.to_string();
        let mut env = Vec::new();
        let mut world = None;
        for line in text.lines() {
            let Some(directive) = line.strip_prefix("-- ") else {
                break;
            };
            if let Some(a) = directive.strip_prefix("args:") {
                args = a.trim().to_string();
            } else if let Some(e) = directive.strip_prefix("env:") {
                let (k, v) = e.trim().split_once('=').expect("env: NAME=VALUE");
                env.push((k.to_string(), v.to_string()));
            } else if let Some(w) = directive.strip_prefix("world:") {
                world = Some(Path::new(DIR).join("worlds").join(w.trim()));
            }
        }
        let piped = !args.contains("{script}");
        let args = args
            .split_whitespace()
            .map(|a| a.replace("{script}", &script.to_string_lossy()))
            .collect();
        Case {
            script: script.to_path_buf(),
            args,
            piped,
            env,
            world,
        }
    }

    fn command(&self, home: &Path) -> Command {
        if let Some(world) = &self.world {
            std::fs::copy(world, home.join("world.json")).expect("world fixture copies");
        }
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_odpsh"));
        cmd.args(&self.args)
            .env("ODPSH_HOME", home)
            .env("NO_COLOR", "1")
            .env_remove("LANG")
            .env_remove("LC_ALL");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        if self.piped {
            cmd.stdin(std::fs::File::open(&self.script).expect("script"));
        } else {
            cmd.stdin(Stdio::null());
        }
        cmd
    }

    /// Runs the case twice: once with both streams into one pipe (what a user sees), once
    /// with them apart. Returns the expected-file text.
    fn run(&self) -> String {
        let home = tempfile::tempdir().expect("temp dir");
        let (mut reader, writer) = std::io::pipe().expect("pipe");
        let mut cmd = self.command(home.path());
        cmd.stdout(writer.try_clone().expect("pipe clone"))
            .stderr(writer);
        let mut child = cmd.spawn().expect("odpsh starts");
        drop(cmd);
        let mut merged = Vec::new();
        std::io::Read::read_to_end(&mut reader, &mut merged).expect("read output");
        let status = child.wait().expect("odpsh ends");
        let merged = without_home(&merged, home.path());

        let home = tempfile::tempdir().expect("temp dir");
        let apart = self.command(home.path()).output().expect("odpsh runs");
        let apart_stderr = without_home(&apart.stderr, home.path());
        assert_eq!(
            apart.status.code(),
            status.code(),
            "{}: exit codes differ between runs",
            self.script.display()
        );
        let code = status
            .code()
            .map_or_else(|| "signal".to_string(), |c| c.to_string());
        format!("{}--- stderr\n{}--- exit {code}\n", merged, apart_stderr)
    }
}

/// Output with the run's own data directory spelled `$ODPSH_HOME` (it differs every run).
fn without_home(bytes: &[u8], home: &Path) -> String {
    String::from_utf8_lossy(bytes).replace(&*home.to_string_lossy(), "$ODPSH_HOME")
}

fn scripts() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(DIR)
        .expect("tests/transcripts exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "odps"))
        .collect();
    found.sort();
    found
}

#[test]
fn every_transcript_matches() {
    let update = std::env::var_os("UPDATE_TRANSCRIPTS").is_some();
    let scripts = scripts();
    assert!(!scripts.is_empty(), "no transcripts in {DIR}");
    let mut failures = Vec::new();
    for script in &scripts {
        let actual = Case::read(script).run();
        let expected_path = script.with_extension("expected");
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual == expected {
            continue;
        }
        if update {
            std::fs::write(&expected_path, &actual).expect("write expected");
            eprintln!("updated {}", expected_path.display());
        } else {
            failures.push(format!(
                "=== {} differs\n--- expected\n{expected}\n--- actual\n{actual}",
                script.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} transcripts differ (UPDATE_TRANSCRIPTS=1 rewrites them):\n{}",
        failures.len(),
        scripts.len(),
        failures.join("\n")
    );
}
