//! Lexical building blocks shared by the statement parsers: blanks and comments, keywords,
//! identifiers, and the parse error that remembers how far the parser got and what it expected.

use nom::{
    IResult, Parser,
    error::{ErrorKind, ParseError},
};

/// What would have fitted where a parse failed. The first expectation is kept inline, so the
/// many alternatives a statement tries and drops cost no allocation; only merging alternatives
/// that failed at the same spot (an error path) grows the list.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Expected {
    first: Option<&'static str>,
    more: Vec<&'static str>,
}

impl Expected {
    pub fn none() -> Self {
        Expected::default()
    }

    pub fn one(item: &'static str) -> Self {
        Expected {
            first: Some(item),
            more: Vec::new(),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.first.into_iter().chain(self.more.iter().copied())
    }

    /// Adds `item` unless it is already there.
    pub fn push(&mut self, item: &'static str) {
        if self.first.is_none() {
            self.first = Some(item);
        } else if !self.iter().any(|e| e == item) {
            self.more.push(item);
        }
    }

    pub fn to_vec(&self) -> Vec<&'static str> {
        self.iter().collect()
    }
}

impl std::fmt::Debug for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A parse failure at `at` (the rest of the statement text there), with what would have fitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PError<'a> {
    pub at: &'a str,
    pub expected: Expected,
}

impl<'a> PError<'a> {
    pub fn new(at: &'a str, expected: &'static str) -> Self {
        PError {
            at,
            expected: Expected::one(expected),
        }
    }
}

impl<'a> ParseError<&'a str> for PError<'a> {
    fn from_error_kind(input: &'a str, _kind: ErrorKind) -> Self {
        PError {
            at: input,
            expected: Expected::none(),
        }
    }

    fn append(_input: &'a str, _kind: ErrorKind, other: Self) -> Self {
        other
    }

    /// Of two alternatives keep the one that got further; at the same spot, merge what each expected.
    fn or(mut self, other: Self) -> Self {
        match self.at.len().cmp(&other.at.len()) {
            std::cmp::Ordering::Less => self,
            std::cmp::Ordering::Greater => other,
            std::cmp::Ordering::Equal => {
                for e in other.expected.iter() {
                    self.expected.push(e);
                }
                self
            }
        }
    }
}

pub type PResult<'a, O> = IResult<&'a str, O, PError<'a>>;

/// Skips blanks and `--` comments.
pub fn skip_blanks(mut i: &str) -> &str {
    loop {
        i = i.trim_start();
        if i.starts_with("--") {
            i = i.find('\n').map_or("", |n| &i[n..]);
        } else {
            return i;
        }
    }
}

pub fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// A keyword, case-insensitive, that is not the start of a longer word.
pub fn kw<'a>(word: &'static str) -> impl Parser<&'a str, Output = &'a str, Error = PError<'a>> {
    move |input: &'a str| {
        let i = skip_blanks(input);
        let n = word.len();
        let matches = i.len() >= n
            && i.is_char_boundary(n)
            && i[..n].eq_ignore_ascii_case(word)
            && !i[n..].starts_with(is_ident_char);
        if matches {
            Ok((&i[n..], &i[..n]))
        } else {
            Err(nom::Err::Error(PError::new(i, word)))
        }
    }
}

/// A single punctuation character.
pub fn punct<'a>(
    c: char,
    what: &'static str,
) -> impl Parser<&'a str, Output = char, Error = PError<'a>> {
    move |input: &'a str| {
        let i = skip_blanks(input);
        match i.strip_prefix(c) {
            Some(rest) => Ok((rest, c)),
            None => Err(nom::Err::Error(PError::new(i, what))),
        }
    }
}

/// An identifier: a letter, then letters, digits and `_`.
pub fn identifier<'a>(
    what: &'static str,
) -> impl Parser<&'a str, Output = &'a str, Error = PError<'a>> {
    move |input: &'a str| {
        let i = skip_blanks(input);
        if !i.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Err(nom::Err::Error(PError::new(i, what)));
        }
        let n = i.find(|c: char| !is_ident_char(c)).unwrap_or(i.len());
        Ok((&i[n..], &i[..n]))
    }
}

/// A run of characters that `keep` accepts (at least one).
pub fn word<'a>(
    keep: fn(char) -> bool,
    what: &'static str,
) -> impl Parser<&'a str, Output = &'a str, Error = PError<'a>> {
    move |input: &'a str| {
        let i = skip_blanks(input);
        let n = i.find(|c: char| !keep(c)).unwrap_or(i.len());
        if n == 0 {
            Err(nom::Err::Error(PError::new(i, what)))
        } else {
            Ok((&i[n..], &i[..n]))
        }
    }
}

/// A string literal, `'…'` or `"…"`, in which a backslash escapes the next character.
pub fn string_literal<'a>(
    what: &'static str,
) -> impl Parser<&'a str, Output = String, Error = PError<'a>> {
    move |input: &'a str| {
        let i = skip_blanks(input);
        let Some(quote) = i.chars().next().filter(|c| *c == '\'' || *c == '"') else {
            return Err(nom::Err::Error(PError::new(i, what)));
        };
        let mut value = String::new();
        let mut chars = i.char_indices().skip(1);
        while let Some((n, c)) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some((_, escaped)) => value.push(escaped),
                    None => break,
                }
            } else if c == quote {
                return Ok((&i[n + 1..], value));
            } else {
                value.push(c);
            }
        }
        Err(nom::Err::Failure(PError::new(
            &i[i.len()..],
            "a closing quote",
        )))
    }
}

/// A whole number.
pub fn number<'a>(what: &'static str) -> impl Parser<&'a str, Output = u64, Error = PError<'a>> {
    move |input: &'a str| {
        let i = skip_blanks(input);
        let n = i.find(|c: char| !c.is_ascii_digit()).unwrap_or(i.len());
        match i[..n].parse::<u64>() {
            Ok(v) if !i[n..].starts_with(is_ident_char) => Ok((&i[n..], v)),
            _ => Err(nom::Err::Error(PError::new(i, what))),
        }
    }
}

/// The rest of `input` from where `part` (a slice of it) starts: where to report an error
/// about `part` after it has been parsed.
pub fn from_part<'a>(input: &'a str, part: &'a str) -> &'a str {
    let start = (part.as_ptr() as usize).saturating_sub(input.as_ptr() as usize);
    input.get(start..).unwrap_or(input)
}

/// The end of the statement (only blanks and comments may remain).
pub fn end_of_statement(input: &str) -> PResult<'_, ()> {
    let i = skip_blanks(input);
    if i.is_empty() {
        Ok((i, ()))
    } else {
        Err(nom::Err::Error(PError::new(i, "the end of the statement")))
    }
}

/// Runs `p`, committing: an error becomes a failure so no alternative is tried after it.
pub fn commit<'a, O>(
    mut p: impl Parser<&'a str, Output = O, Error = PError<'a>>,
) -> impl Parser<&'a str, Output = O, Error = PError<'a>> {
    move |i: &'a str| match p.parse(i) {
        Err(nom::Err::Error(e)) => Err(nom::Err::Failure(e)),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_case_insensitive_and_whole_words() {
        assert_eq!(kw("list").parse("  LiSt users"), Ok((" users", "LiSt")));
        assert!(kw("list").parse("listx").is_err());
        assert!(kw("list").parse("lis").is_err());
    }

    #[test]
    fn comments_count_as_blanks() {
        assert_eq!(skip_blanks("-- a\n  -- b\n x"), "x");
        assert_eq!(skip_blanks("-- only"), "");
    }

    #[test]
    fn strings_numbers_and_positions() {
        assert_eq!(
            string_literal("s").parse(" 'a\\'b' x"),
            Ok((" x", "a'b".to_string()))
        );
        assert_eq!(
            string_literal("s").parse("\"k\"=1"),
            Ok(("=1", "k".to_string()))
        );
        assert!(matches!(
            string_literal("s").parse("'open"),
            Err(nom::Err::Failure(_))
        ));
        assert_eq!(number("n").parse(" 42)"), Ok((")", 42)));
        assert!(number("n").parse("4x").is_err());
        let input = "grant a, b";
        assert_eq!(from_part(input, &input[9..]), "b");
    }

    #[test]
    fn errors_keep_the_furthest_alternative() {
        let a = PError::new("abc", "x");
        let b = PError::new("c", "y");
        assert_eq!(a.clone().or(b.clone()), b);
        let c = PError::new("abc", "z");
        assert_eq!(a.or(c).expected.to_vec(), ["x", "z"]);
    }
}
