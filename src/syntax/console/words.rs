//! The words of a console command line: blanks split, `'…'` and `"…"` quote (a backslash
//! escapes inside `"…"`).

use std::borrow::Cow;

use super::CliError;

/// One word of a command line: where it stands in the line, its text without quotes, and
/// whether its quotes closed (an unclosed quote runs to the end of the line).
pub(in crate::syntax) struct Word<'a> {
    pub span: std::ops::Range<usize>,
    pub text: Cow<'a, str>,
    pub closed: bool,
}

/// Splits a command line into words, honouring quotes, without refusing anything: the CLI's
/// lexer ([`words`]) and the masking of secrets ([`super::secrets`]) read the same words.
pub(in crate::syntax) fn scan(line: &str) -> Vec<Word<'_>> {
    let mut out = Vec::with_capacity(8);
    let mut pos = 0;
    loop {
        let rest = &line[pos..];
        pos += rest.len() - rest.trim_start().len();
        let rest = &line[pos..];
        if rest.is_empty() {
            return out;
        }
        // Most words have no quotes: they are slices of the line.
        let plain = rest
            .find(|c: char| c.is_whitespace() || c == '\'' || c == '"')
            .unwrap_or(rest.len());
        if !rest[plain..].starts_with(['\'', '"']) {
            out.push(Word {
                span: pos..pos + plain,
                text: Cow::Borrowed(&rest[..plain]),
                closed: true,
            });
            pos += plain;
            continue;
        }
        let mut chars = rest.chars();
        let mut w = String::new();
        let mut closed = true;
        'word: loop {
            let before = chars.as_str();
            let Some(c) = chars.next() else { break };
            if c.is_whitespace() {
                chars = before.chars();
                break;
            }
            match c {
                '\'' => loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => w.push(x),
                        None => {
                            closed = false;
                            break 'word;
                        }
                    }
                },
                '"' => loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(x) => w.push(x),
                            None => {
                                closed = false;
                                break 'word;
                            }
                        },
                        Some(x) => w.push(x),
                        None => {
                            closed = false;
                            break 'word;
                        }
                    }
                },
                _ => w.push(c),
            }
        }
        let consumed = rest.len() - chars.as_str().len();
        out.push(Word {
            span: pos..pos + consumed,
            text: Cow::Owned(w),
            closed,
        });
        pos += consumed;
        if !closed {
            return out;
        }
    }
}

/// Splits a command line into words, honouring quotes.
pub(super) fn words(line: &str) -> Result<Vec<Cow<'_, str>>, CliError> {
    let scanned = scan(line);
    if scanned.iter().any(|w| !w.closed) {
        return Err(CliError::UnclosedQuote);
    }
    Ok(scanned.into_iter().map(|w| w.text).collect())
}
