//! Reading a script: the bytes of `-f FILE`, `check FILE` or piped standard input, as text.
//!
//! A UTF-8 byte-order mark (what Windows Notepad writes) is skipped. A script that is not UTF-8
//! is read as GB18030 (of which GBK is a part: what Chinese Windows editors save) when it is
//! valid GB18030; `--encoding` forces one. Anything else is refused whole, naming where it
//! stops being text and how to convert it, and nothing runs. Output is UTF-8 whatever the input.

use std::fmt;
use std::io::Read;
use std::path::Path;

use clap::ValueEnum;
use encoding_rs::{DecoderResult, Encoding, GB18030, GBK};

/// The encodings `--encoding` may force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EncodingArg {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    Gbk,
    Gb18030,
}

impl EncodingArg {
    fn name(self) -> &'static str {
        match self {
            EncodingArg::Utf8 => "UTF-8",
            EncodingArg::Gbk => "GBK",
            EncodingArg::Gb18030 => "GB18030",
        }
    }
}

const BOM: &[u8] = b"\xef\xbb\xbf";

/// Where a script comes from, as messages name it.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    File(&'a Path),
    Stdin,
}

/// Why a script could not be read as text.
#[derive(Debug)]
pub enum SourceError {
    /// The file or the pipe could not be read at all.
    Io(String),
    /// The bytes are not text in the encoding(s) tried.
    NotText {
        /// How the script is named in `file:line:column`.
        name: String,
        /// The file, for the `iconv` line (`None` for standard input).
        file: Option<String>,
        /// What it was read as: one forced encoding, or UTF-8 and GB18030.
        tried: Vec<&'static str>,
        line: usize,
        column: usize,
        byte: u8,
        /// Whether the bytes read as GB18030 (refused only because UTF-8 was forced).
        gb18030: bool,
    },
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceError::Io(text) => f.write_str(text),
            SourceError::NotText {
                name,
                file,
                tried,
                line,
                column,
                byte,
                gb18030,
            } => {
                let tried = tried.join(" nor ");
                let either = if tried.contains(" nor ") {
                    "neither "
                } else {
                    "not "
                };
                writeln!(
                    f,
                    "cannot read {name}: it is {either}{tried}: byte 0x{byte:02X} at {name}:{line}:{column} is not a character; nothing was run"
                )?;
                let from = if *gb18030 { "GB18030" } else { "<ENCODING>" };
                let convert = match file {
                    Some(file) => {
                        let quoted = shell_quoted(file);
                        let out = shell_quoted(&converted_name(file));
                        format!("iconv -f {from} -t UTF-8 {quoted} > {out}")
                    }
                    None => format!("iconv -f {from} -t UTF-8 <FILE> | odpsh"),
                };
                if *gb18030 {
                    write!(
                        f,
                        "odpsh: it reads as GB18030 (GBK): run it without --encoding utf-8, or convert it: {convert}"
                    )
                } else {
                    write!(
                        f,
                        "odpsh: convert it to UTF-8 first, naming the encoding its editor saved (BIG5, SHIFT_JIS, LATIN1, …): {convert}"
                    )
                }
            }
        }
    }
}

/// `zh.odps` → `zh.utf8.odps`.
fn converted_name(file: &str) -> String {
    match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.contains('/') => {
            format!("{stem}.utf8.{ext}")
        }
        _ => format!("{file}.utf8"),
    }
}

/// A path as a POSIX shell reads it back: bare when it holds only safe characters.
fn shell_quoted(text: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "._-/+=:,@%".contains(c);
    if !text.is_empty() && text.chars().all(safe) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// Reads a script's bytes from where it comes from.
pub fn read(origin: Origin<'_>, forced: Option<EncodingArg>) -> Result<String, SourceError> {
    let bytes = match origin {
        Origin::File(path) => std::fs::read(path)
            .map_err(|e| SourceError::Io(format!("cannot read {}: {e}", path.display())))?,
        Origin::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| SourceError::Io(format!("cannot read standard input: {e}")))?;
            bytes
        }
    };
    decode(&bytes, origin, forced)
}

/// The text of a script's bytes (see the module's documentation).
pub fn decode(
    bytes: &[u8],
    origin: Origin<'_>,
    forced: Option<EncodingArg>,
) -> Result<String, SourceError> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let not_text = |tried: Vec<&'static str>, at: Stop, gb18030: bool| {
        let (name, file) = match origin {
            Origin::File(path) => {
                let shown = path.display().to_string();
                (shown.clone(), Some(shown))
            }
            Origin::Stdin => ("<stdin>".to_string(), None),
        };
        SourceError::NotText {
            name,
            file,
            tried,
            line: at.line,
            column: at.column,
            byte: at.byte,
            gb18030,
        }
    };
    match forced {
        Some(EncodingArg::Utf8) => utf8(bytes).map_err(|at| {
            let readable = legacy(bytes, GB18030).is_ok();
            not_text(vec!["UTF-8"], at, readable)
        }),
        Some(arg @ (EncodingArg::Gbk | EncodingArg::Gb18030)) => {
            let encoding = if arg == EncodingArg::Gbk {
                GBK
            } else {
                GB18030
            };
            legacy(bytes, encoding).map_err(|at| not_text(vec![arg.name()], at, false))
        }
        None => match utf8(bytes) {
            Ok(text) => Ok(text),
            Err(at_utf8) => legacy(bytes, GB18030).map_err(|at_gb| {
                // The reading that went further says where the script stops being text.
                let at = if at_gb.offset >= at_utf8.offset {
                    at_gb
                } else {
                    at_utf8
                };
                not_text(vec!["UTF-8", "GB18030"], at, false)
            }),
        },
    }
}

/// Where a reading stopped: the byte offset, the line and column (in characters) of the text
/// read up to it, and the byte itself.
#[derive(Debug, Clone, Copy)]
struct Stop {
    offset: usize,
    line: usize,
    column: usize,
    byte: u8,
}

impl Stop {
    fn after(text: &str, bytes: &[u8], offset: usize) -> Stop {
        let line = text.matches('\n').count() + 1;
        let line_start = text.rfind('\n').map_or(0, |n| n + 1);
        Stop {
            offset,
            line,
            column: text[line_start..].chars().count() + 1,
            byte: bytes.get(offset).copied().unwrap_or(0),
        }
    }
}

fn utf8(bytes: &[u8]) -> Result<String, Stop> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
            Err(Stop::after(before, bytes, at))
        }
    }
}

/// Decodes with `encoding`, refusing the first malformed sequence.
fn legacy(bytes: &[u8], encoding: &'static Encoding) -> Result<String, Stop> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        DecoderResult::InputEmpty => Ok(text),
        DecoderResult::Malformed(bad, after) => {
            // `read` counts the malformed sequence and the bytes read after it.
            let offset = read.saturating_sub(usize::from(bad) + usize::from(after));
            Err(Stop::after(&text, bytes, offset))
        }
        // The buffer was sized for the whole input; a full one is read as a refusal at the end.
        DecoderResult::OutputFull => Err(Stop::after(&text, bytes, read)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> Origin<'static> {
        Origin::File(Path::new("s.odps"))
    }

    #[test]
    fn a_bom_is_skipped() {
        let text = decode(b"\xef\xbb\xbflist users;\n", file(), None).unwrap();
        assert_eq!(text, "list users;\n");
    }

    #[test]
    fn gbk_and_gb18030_are_read_when_not_utf8() {
        let (gbk, _, _) = GBK.encode("-- 用户\nlist users;\n");
        assert_eq!(
            decode(&gbk, file(), None).unwrap(),
            "-- 用户\nlist users;\n"
        );
        // A four-byte GB18030 sequence (outside GBK).
        let (gb, _, _) = GB18030.encode("create role 𠀀;");
        assert_eq!(decode(&gb, file(), None).unwrap(), "create role 𠀀;");
        assert_eq!(
            decode(&gbk, file(), Some(EncodingArg::Gbk)).unwrap(),
            "-- 用户\nlist users;\n"
        );
    }

    #[test]
    fn bytes_that_are_no_text_are_refused_with_their_place() {
        let e = decode(b"list users;\nlist \xff\xfe;", file(), None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read s.odps: it is neither UTF-8 nor GB18030: byte 0xFF at s.odps:2:6 is not a character; nothing was run\nodpsh: convert it to UTF-8 first, naming the encoding its editor saved (BIG5, SHIFT_JIS, LATIN1, …): iconv -f <ENCODING> -t UTF-8 s.odps > s.utf8.odps"
        );
        let (gbk, _, _) = GBK.encode("-- 用户\n");
        let e = decode(&gbk, file(), Some(EncodingArg::Utf8)).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cannot read s.odps: it is not UTF-8: byte 0xD3 at s.odps:1:4 "),
            "{e}"
        );
        assert!(
            e.to_string().ends_with(
                "odpsh: it reads as GB18030 (GBK): run it without --encoding utf-8, or convert it: iconv -f GB18030 -t UTF-8 s.odps > s.utf8.odps"
            ),
            "{e}"
        );
        let e = decode(b"\xff", Origin::Stdin, None).unwrap_err();
        assert!(
            e.to_string()
                .ends_with("iconv -f <ENCODING> -t UTF-8 <FILE> | odpsh"),
            "{e}"
        );
    }

    #[test]
    fn converted_names_keep_their_extension() {
        assert_eq!(converted_name("zh.odps"), "zh.utf8.odps");
        assert_eq!(converted_name("dir.x/zh"), "dir.x/zh.utf8");
        assert_eq!(shell_quoted("my file.odps"), "'my file.odps'");
    }
}
