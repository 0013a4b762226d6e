//! Drives the real binary in a pseudo-terminal, as a person at the keyboard would.

use std::path::Path;
use std::process::Command;

use rexpect::reader::Options;
use rexpect::session::{PtySession, spawn_with_options};

/// The interactive shell's prompt in the default world.
pub const PROMPT: &str = "odps@ MaxCompute>";

/// How long any one expectation may wait.
const TIMEOUT_MS: u64 = 20_000;

/// An interactive `odpsh` in a pseudo-terminal.
pub struct Shell {
    session: PtySession,
}

impl Shell {
    /// Starts `odpsh` with `args`, its data directory at `home`, colour off.
    pub fn start(args: &[&str], home: &Path) -> Shell {
        Shell::start_with(args, home, Some("1"), true)
    }

    /// Starts `odpsh` with `args`, its data directory at `home`, `NO_COLOR` set to `no_color`
    /// (or unset), and escape codes stripped from what it prints or kept.
    pub fn start_with(
        args: &[&str],
        home: &Path,
        no_color: Option<&str>,
        strip_escapes: bool,
    ) -> Shell {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_odpsh"));
        cmd.args(args)
            .env("ODPSH_HOME", home)
            .env("TERM", "xterm")
            .env_remove("LANG")
            .env_remove("LC_ALL");
        match no_color {
            Some(value) => cmd.env("NO_COLOR", value),
            None => cmd.env_remove("NO_COLOR"),
        };
        let options = Options::new()
            .timeout_ms(Some(TIMEOUT_MS))
            .strip_ansi_escape_codes(strip_escapes);
        let session = spawn_with_options(cmd, options).expect("odpsh starts in a pty");
        Shell { session }
    }

    /// A shell on the default world that saves nothing, once its banner and prompt are out.
    pub fn fresh(home: &Path) -> Shell {
        let mut shell = Shell::start(&["--fresh"], home);
        shell.expect("Type help; for the statements, explain; after a failure to see why; run odpsh tutorial for the lessons.");
        shell.expect(PROMPT);
        shell
    }

    /// Starts `odpsh` with `args` and exactly the variables `env` of odpsh's own (no
    /// `ODPSH_HOME` unless given), colour off.
    pub fn start_env(args: &[&str], env: &[(&str, &Path)]) -> Shell {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_odpsh"));
        cmd.args(args)
            .env("TERM", "xterm")
            .env("NO_COLOR", "1")
            .env_remove("ODPSH_HOME")
            .env_remove("LANG")
            .env_remove("LC_ALL");
        for (name, value) in env {
            cmd.env(name, value);
        }
        let options = Options::new()
            .timeout_ms(Some(TIMEOUT_MS))
            .strip_ansi_escape_codes(true);
        let session = spawn_with_options(cmd, options).expect("odpsh starts in a pty");
        Shell { session }
    }

    /// Waits for `text`; returns what came before it.
    pub fn expect(&mut self, text: &str) -> String {
        match self.session.exp_string(text) {
            Ok(before) => before,
            Err(e) => panic!("waiting for {text:?}: {e}"),
        }
    }

    /// Types `text` and presses Enter.
    pub fn line(&mut self, text: &str) {
        self.session.send(text).expect("type");
        self.session.send("\r").expect("enter");
        self.session.flush().expect("flush");
    }

    /// Types `text` without pressing Enter.
    pub fn type_text(&mut self, text: &str) {
        self.session.send(text).expect("type");
        self.session.flush().expect("flush");
    }

    /// Presses Ctrl and `key`.
    pub fn control(&mut self, key: char) {
        self.session.send_control(key).expect("control key");
    }

    /// Waits for the shell to end and returns its exit code.
    pub fn finish(mut self) -> i32 {
        let _ = self.session.exp_eof();
        match self.session.process().wait() {
            Ok(rexpect::process::WaitStatus::Exited(_, code)) => code,
            other => panic!("odpsh did not exit normally: {other:?}"),
        }
    }
}
