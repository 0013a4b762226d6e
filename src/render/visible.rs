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

/// `text` with every character of [`must_escape`] written as a visible escape; borrowed when
/// there is none (the common case costs one scan).
pub fn visible(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(must_escape) else {
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
    let Some(first) = json.find(must_escape) else {
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
    fn ordinary_text_is_borrowed() {
        for text in ["list users;", "line\n\tcolumn", "角色 role_project_dev", ""] {
            assert!(matches!(visible(text), Cow::Borrowed(t) if t == text));
        }
    }
}
