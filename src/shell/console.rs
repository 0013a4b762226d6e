//! Where odpsh's text goes: standard output and standard error, through one place.
//!
//! Everything written here is text for a terminal: each control character, C1 control,
//! bidirectional override or noncharacter in it (from a statement as typed, a name in the
//! world, a file name) is written as a visible escape (`\x1b`, `\u{202e}`; see
//! [`visible`]), so no script or world can send a terminal escape sequence through odpsh.
//! Colour, which odpsh adds itself, is painted after that.
//!
//! Writing never panics. Each stream keeps its first error and writes nothing after it; the
//! command goes on (a statement that ran is committed, and what runs never depends on where
//! its output goes), and [`Console::finish`] decides the exit code at the end: a reader that
//! closed the pipe (`| head -1`) ends the run quietly with the code it had, any other write
//! error (`> /dev/full`) makes it exit 2 and say so on standard error.
//!
//! Output is buffered: a long script makes a few large writes rather than one or two system
//! calls per statement. Order between stdout and stderr is kept all the same: whenever output
//! switches from one stream to the other, the first is flushed, so on a shared pipe or terminal
//! the lines interleave exactly as written. [`Console::flush`] empties both (the shell calls it
//! before it waits for input).

use std::io::{self, BufWriter, ErrorKind, Write};
use std::process::ExitCode;

use colored::Colorize;

use crate::render::visible::visible;
use crate::render::{self, Rendered, Tone};

use super::{EXIT_USAGE, texts};

/// Buffer size per stream: large enough that a script's output goes out in few writes.
const BUFFER: usize = 64 * 1024;

/// One output stream and the first error writing to it.
struct Stream {
    writer: BufWriter<Box<dyn Write>>,
    error: Option<io::Error>,
}

impl Stream {
    fn new(writer: Box<dyn Write>) -> Self {
        Stream {
            writer: BufWriter::with_capacity(BUFFER, writer),
            error: None,
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        if self.error.is_none()
            && let Err(e) = self.writer.write_all(bytes)
        {
            self.error = Some(e);
        }
    }

    fn flush(&mut self) {
        if self.error.is_none()
            && let Err(e) = self.writer.flush()
        {
            self.error = Some(e);
        }
    }

    /// Whether the stream failed otherwise than by its reader going away.
    fn failed(&self) -> Option<&io::Error> {
        self.error
            .as_ref()
            .filter(|e| e.kind() != ErrorKind::BrokenPipe)
    }
}

/// Standard output and standard error of one command.
pub struct Console {
    out: Stream,
    err: Stream,
    /// The stream written last (`true`: stderr), which holds any unflushed output.
    last_err: bool,
    /// Paint `OK` green on stdout (see `--color`).
    pub color_out: bool,
    /// Paint failure lines red on stderr (see `--color`).
    pub color_err: bool,
}

impl Console {
    pub fn new(out: Box<dyn Write>, err: Box<dyn Write>) -> Self {
        Console {
            out: Stream::new(out),
            err: Stream::new(err),
            last_err: false,
            color_out: false,
            color_err: false,
        }
    }

    /// The process's standard output and standard error.
    pub fn standard() -> Self {
        Console::new(Box::new(io::stdout()), Box::new(io::stderr()))
    }

    /// Before writing to one stream, flushes the other if it was written last.
    fn switch_to(&mut self, err: bool) {
        if self.last_err != err {
            if err {
                self.out.flush();
            } else {
                self.err.flush();
            }
            self.last_err = err;
        }
    }

    /// Writes to stdout (in order with stderr, see the module's documentation), control
    /// characters as visible escapes.
    pub fn out(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let text = visible(text);
        let text = text.as_ref();
        self.switch_to(false);
        self.out.write(text.as_bytes());
    }

    /// Writes what one outcome printed, stderr first, painted by its tone when colour is on:
    /// a bare `OK` green, a failure's first line red.
    pub fn emit(&mut self, rendered: &Rendered) {
        let Rendered {
            stdout,
            stderr,
            tone,
        } = rendered;
        if *tone == Tone::Failure && self.color_err && !stderr.is_empty() {
            let text = visible(stderr);
            let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
            self.switch_to(true);
            let painted = format!("{}\n{rest}", first.red());
            self.err.write(painted.as_bytes());
        } else {
            self.err(stderr);
        }
        if *tone == Tone::Ok && self.color_out && stdout == "OK\n" {
            self.switch_to(false);
            let painted = format!("{}\n", render::OK.green());
            self.out.write(painted.as_bytes());
        } else {
            self.out(stdout);
        }
    }

    /// Writes a failure's text to stderr (see [`Console::emit`]).
    pub fn failure(&mut self, text: &str) {
        self.emit(&Rendered::failed(text.to_string()));
    }

    /// Writes to stderr, control characters as visible escapes.
    pub fn err(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let text = visible(text);
        self.switch_to(true);
        self.err.write(text.as_bytes());
    }

    /// Writes `odpsh: <text>` and a line break to stderr: odpsh's own messages.
    pub fn line(&mut self, text: &str) {
        self.err(&format!("odpsh: {text}\n"));
    }

    /// Sends everything written so far to its stream.
    pub fn flush(&mut self) {
        self.out.flush();
        self.err.flush();
    }

    /// Whether a write failed otherwise than by a closed pipe (output was lost).
    pub fn failed(&self) -> bool {
        self.out.failed().is_some() || self.err.failed().is_some()
    }

    /// Whether a reader went away or a write failed: no more output reaches anyone.
    pub fn broken(&self) -> bool {
        self.out.error.is_some() || self.err.error.is_some()
    }

    /// Flushes both streams and gives the exit code: `code`, or 2 when a write failed (said on
    /// stderr when it was stdout that failed). A closed pipe changes nothing.
    pub fn finish(&mut self, code: u8) -> ExitCode {
        self.flush();
        if let Some(e) = self.out.failed() {
            let message = texts::cannot_write_stdout(&e.to_string());
            self.line(&message);
            self.err.flush();
            return ExitCode::from(EXIT_USAGE);
        }
        if self.err.failed().is_some() {
            return ExitCode::from(EXIT_USAGE);
        }
        ExitCode::from(code)
    }
}

/// Writes `odpsh: <text>` to stderr at once, for messages before any command has a console.
pub fn stderr_line(text: &str) {
    let mut console = Console::standard();
    console.line(text);
    console.flush();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A writer that fails with `kind` once `room` bytes are taken.
    struct Limited {
        room: usize,
        kind: ErrorKind,
        taken: Arc<Mutex<Vec<u8>>>,
    }

    impl Write for Limited {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::from(self.kind));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            self.taken
                .lock()
                .map_err(|_| io::Error::other("poisoned"))?
                .extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn console(out_kind: ErrorKind) -> (Console, Arc<Mutex<Vec<u8>>>) {
        let err = Arc::new(Mutex::new(Vec::new()));
        let out = Limited {
            room: 4,
            kind: out_kind,
            taken: Arc::new(Mutex::new(Vec::new())),
        };
        let errs = Limited {
            room: usize::MAX,
            kind: ErrorKind::Other,
            taken: err.clone(),
        };
        (Console::new(Box::new(out), Box::new(errs)), err)
    }

    #[test]
    fn a_closed_pipe_ends_quietly_with_the_code_it_had() {
        let (mut c, err) = console(ErrorKind::BrokenPipe);
        c.out("OK\nOK\n");
        c.flush();
        assert!(c.broken() && !c.failed());
        assert_eq!(c.finish(1), ExitCode::from(1));
        assert!(err.lock().unwrap().is_empty());
    }

    #[test]
    fn a_full_disk_exits_2_and_says_so() {
        let (mut c, err) = console(ErrorKind::StorageFull);
        c.out("OK\nOK\n");
        c.out("more\n");
        assert_eq!(c.finish(0), ExitCode::from(EXIT_USAGE));
        let said = String::from_utf8(err.lock().unwrap().clone()).unwrap();
        assert!(
            said.starts_with("odpsh: cannot write to standard output: "),
            "{said}"
        );
    }
}
