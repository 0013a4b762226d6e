//! Characters that must never reach a terminal or a document raw: control characters (a NUL,
//! an ESC that starts a terminal escape sequence, a carriage return that overwrites the line),
//! the C1 controls (U+009B is a one-byte CSI), the bidirectional overrides and isolates (which
//! reorder what a reader sees), and the noncharacters U+FFFE and U+FFFF (not allowed in XML).
//! Every output path (text, JSON, XML) passes text from users and from the world through
//! [`visible`], which writes each such character as a visible escape: `\x1b` for the controls,
//! `\u{202e}` for the rest. Line feeds and tabs stay, since outputs are made of lines and
//! columns. Serialized JSON takes [`json_safe`] instead, which writes the same characters as
//! JSON's own `\u202e` escapes, so that the document stays valid and its values unchanged.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` is written as an escape instead of itself.
pub fn must_escape(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{fffe}' | '\u{ffff}' => true,
        _ => false,
    }
}

/// The bytes that start a character of [`must_escape`] in UTF-8, or may: the controls and DEL
/// themselves, `C2` (the C1 controls), `E2` (the bidirectional controls) and `EF` (U+FFFE and
/// U+FFFF). Output is scanned a byte at a time against this table, and only a suspect byte is
/// decoded.
const SUSPECT: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b != b'\n' as usize && b != b'\t' as usize;
        b += 1;
    }
    table[0x7f] = true;
    table[0xc2] = true;
    table[0xe2] = true;
    table[0xef] = true;
    table
};

const LOW: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Whether a word of eight bytes holds one that may need a look: a byte below 0x20 (line feeds
/// and tabs included), DEL, or any byte of a multi-byte character.
fn word_needs_a_look(w: u64) -> bool {
    let below_space = w.wrapping_sub(LOW * 0x20) & !w;
    let del = w ^ (LOW * 0x7f);
    let is_del = del.wrapping_sub(LOW) & !del;
    (w | below_space | is_del) & HIGH != 0
}

/// The byte offset of the first character of [`must_escape`] in `text`: eight bytes at a time
/// while they are plain printable ASCII, then a byte at a time against [`SUSPECT`].
fn first_to_escape(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if let Some(chunk) = bytes.get(at..at + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            if !word_needs_a_look(u64::from_le_bytes(word)) {
                at += 8;
                continue;
            }
        }
        let stop = (at + 8).min(bytes.len());
        while at < stop {
            if SUSPECT[bytes[at] as usize]
                && text
                    .get(at..)
                    .and_then(|rest| rest.chars().next())
                    .is_some_and(must_escape)
            {
                return Some(at);
            }
            at += 1;
        }
    }
    None
}

/// `text` with every character of [`must_escape`] written as a visible escape; borrowed when
/// there is none (the common case costs one scan of its bytes).
pub fn visible(text: &str) -> Cow<'_, str> {
    let Some(first) = first_to_escape(text) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if !must_escape(c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            // Writing into a String cannot fail.
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
    Cow::Owned(out)
}

/// Serialized JSON with every character of [`must_escape`] written as a `\uXXXX` escape. Such
/// characters can only stand inside strings (the structure is ASCII), where the escape means the
/// same character: a parser reads the same values, a terminal shows no raw control.
pub fn json_safe(json: &str) -> Cow<'_, str> {
    let Some(first) = first_to_escape(json) else {
        return Cow::Borrowed(json);
    };
    let mut out = String::with_capacity(json.len() + 8);
    out.push_str(&json[..first]);
    for c in json[first..].chars() {
        if must_escape(c) {
            // Every character of `must_escape` is in the Basic Multilingual Plane.
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`json_safe`] of an owned document, without a copy when there is nothing to escape.
pub fn json_safe_owned(json: String) -> String {
    if let Cow::Owned(safe) = json_safe(&json) {
        return safe;
    }
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_written_as_escapes() {
        assert_eq!(visible("Max\u{0}Compute"), "Max\\x00Compute");
        assert_eq!(visible("\u{1b}[31mred"), "\\x1b[31mred");
        assert_eq!(visible("a\rb\u{7f}\u{9b}"), "a\\x0db\\x7f\\x9b");
        assert_eq!(visible("x\u{ffff}\u{202e}y"), "x\\u{ffff}\\u{202e}y");
    }

    #[test]
    fn json_keeps_its_values_and_loses_its_raw_controls() {
        let value = serde_json::json!({"name": "a\u{1b}[31m\u{202e}b\u{7f}\u{9b}\u{ffff}"});
        let text = value.to_string();
        let safe = json_safe(&text);
        assert!(!safe.chars().any(must_escape), "{safe}");
        assert_eq!(safe, r#"{"name":"a\u001b[31m\u202eb\u007f\u009b\uffff"}"#);
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn the_byte_scan_finds_what_the_character_test_finds() {
        for c in (0u32..0x3000)
            .chain(0xfff0..0x10000)
            .filter_map(char::from_u32)
        {
            // At every place of a word of eight, after ASCII and after a multi-byte character.
            for pad in 0..9 {
                for lead in ["", "\u{e9}", "\n\t"] {
                    let before = format!("{lead}{}", "x".repeat(pad));
                    let text = format!("{before}{c}bcdefghijklmnop");
                    let expected = must_escape(c).then_some(before.len());
                    assert_eq!(first_to_escape(&text), expected, "{c:?} after {before:?}");
                }
            }
        }
    }

    #[test]
    fn ordinary_text_is_borrowed() {
        for text in ["list users;", "line\n\tcolumn", "角色 role_project_dev", ""] {
            assert!(matches!(visible(text), Cow::Borrowed(t) if t == text));
        }
    }
}
