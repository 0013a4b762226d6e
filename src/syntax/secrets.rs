//! Where a statement carries a secret, and its text with every secret masked.
//!
//! Secrets are the AccessKey secret of `login <AccessKeyId> <secret>` and the value of a
//! console parameter whose name says it is one ([`is_secret_parameter`]: `--Password`,
//! `--NewPassword`, `--AccessKeySecret`, …). The question is answered on the text as typed,
//! whether it parses or not, so that a statement that fails to parse keeps its secret too:
//! after `login`, every word but the AccessKey id is secret; after a secret parameter, every
//! word up to the next `--` flag (a password typed with a blank in it, unquoted, is still a
//! password).
//!
//! [`mask`] is the one function that gives a text as it may be repeated: in the history file,
//! a JSON record's `statement`, an explanation, `--echo`, a `check` finding, a syntax error.

use std::borrow::Cow;
use std::ops::Range;

use super::console::{is_secret_parameter, scan};
use super::{ParseError, PieceKind, split};

/// What a secret is replaced with: always the same, so that not even its length shows.
pub const MASK: &str = "******";

/// One secret: where it is in the original text, and where its mask starts in the masked one.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cut {
    original: Range<usize>,
    masked_start: usize,
}

/// A text with its secrets masked, and where they were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masked<'a> {
    text: Cow<'a, str>,
    cuts: Vec<Cut>,
}

impl<'a> Masked<'a> {
    /// The masked text.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn into_text(self) -> Cow<'a, str> {
        self.text
    }

    /// Whether the text held a secret.
    pub fn had_secret(&self) -> bool {
        !self.cuts.is_empty()
    }

    /// Whether the byte `offset` of the original text lies in a secret.
    pub fn hides(&self, offset: usize) -> bool {
        self.cuts.iter().any(|c| c.original.contains(&offset))
    }

    /// Where the byte `offset` of the original text is in the masked one (a secret's bytes at
    /// the start of its mask).
    pub fn offset(&self, offset: usize) -> usize {
        let mut shift: isize = 0;
        for cut in &self.cuts {
            if offset < cut.original.start {
                break;
            }
            if offset < cut.original.end {
                return cut.masked_start;
            }
            shift += MASK.len() as isize - cut.original.len() as isize;
        }
        offset.saturating_add_signed(shift)
    }
}

/// The secrets of one statement's text (`body`, a console command when `console`), as byte
/// ranges of it.
fn secrets_of(body: &str, console: bool) -> Vec<Range<usize>> {
    let words = scan(body);
    let mut found = Vec::new();
    if !console {
        let is_login = words
            .first()
            .is_some_and(|w| w.text.eq_ignore_ascii_case("login"));
        // `login <id> <secret>`: the id is not secret; a lone word may be either.
        let first_secret = if words.len() > 2 { 2 } else { 1 };
        if is_login && let (Some(first), Some(last)) = (words.get(first_secret), words.last()) {
            found.push(first.span.start..last.span.end);
        }
        return found;
    }
    let mut i = 0;
    while i < words.len() {
        let word = &body[words[i].span.clone()];
        let Some(flag) = word.strip_prefix("--") else {
            i += 1;
            continue;
        };
        let (name, inline) = match flag.split_once('=') {
            Some((name, _)) => (name, true),
            None => (flag, false),
        };
        i += 1;
        if !is_secret_parameter(name) {
            continue;
        }
        if inline {
            let start = words[i - 1].span.start + 2 + name.len() + 1;
            if start < words[i - 1].span.end {
                found.push(start..words[i - 1].span.end);
            }
            continue;
        }
        let first = i;
        while i < words.len() && !body[words[i].span.clone()].starts_with("--") {
            i += 1;
        }
        if i > first {
            found.push(words[first].span.start..words[i - 1].span.end);
        }
    }
    found
}

/// `input` (one statement or many, as typed) with every secret replaced by [`MASK`].
pub fn mask(input: &str) -> Masked<'_> {
    let mut spans = Vec::new();
    for piece in split(input) {
        let console = piece.kind == PieceKind::Console;
        for r in secrets_of(piece.body, console) {
            spans.push(piece.offset + r.start..piece.offset + r.end);
        }
    }
    if spans.is_empty() {
        return Masked {
            text: Cow::Borrowed(input),
            cuts: Vec::new(),
        };
    }
    let mut text = String::with_capacity(input.len());
    let mut cuts = Vec::with_capacity(spans.len());
    let mut at = 0;
    for span in spans {
        text.push_str(&input[at..span.start]);
        cuts.push(Cut {
            original: span.clone(),
            masked_start: text.len(),
        });
        text.push_str(MASK);
        at = span.end;
    }
    text.push_str(&input[at..]);
    Masked {
        text: Cow::Owned(text),
        cuts,
    }
}

/// `input` with every secret masked (see [`mask`]).
pub fn masked(input: &str) -> Cow<'_, str> {
    mask(input).into_text()
}

/// A parse error as it may be shown, with the text it is shown in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownError<'a> {
    /// The source, its secrets masked.
    pub source: Cow<'a, str>,
    /// Where the statement starts in it.
    pub offset: usize,
    /// The error, its position in the masked source and nothing secret in what it quotes.
    pub error: ParseError,
}

/// The parse error `e` of the statement at byte `offset` of `source`, as it may be shown: what
/// it quotes of a secret is masked, and its position is the one in the masked source.
pub fn shown_error<'a>(source: &'a str, offset: usize, e: &ParseError) -> ShownError<'a> {
    let masked = mask(source);
    let error = match e {
        ParseError::Syntax {
            offset: at,
            expected,
            found,
        } => {
            let absolute = offset + at;
            ParseError::Syntax {
                offset: masked.offset(absolute) - masked.offset(offset),
                expected: expected.clone(),
                found: if masked.hides(absolute) {
                    format!("'{MASK}'")
                } else {
                    found.clone()
                },
            }
        }
        ParseError::Cli(cli) => ParseError::Cli(shown_cli_error(source, &masked, cli)),
    };
    ShownError {
        offset: masked.offset(offset),
        source: masked.into_text(),
        error,
    }
}

/// A CLI error quoting a word of a secret (a password typed with a blank, unquoted, makes
/// its second word an unknown parameter) quotes the mask instead.
fn shown_cli_error(source: &str, masked: &Masked<'_>, cli: &super::CliError) -> super::CliError {
    use super::CliError;
    let secret_word = |word: &str| {
        scan(source)
            .iter()
            .any(|w| masked.hides(w.span.start) && w.text == word)
    };
    match cli {
        CliError::UnknownParameter { flag, product, api } if secret_word(flag) => {
            CliError::UnknownParameter {
                flag: MASK.to_string(),
                product: product.clone(),
                api: api.clone(),
            }
        }
        other => other.clone(),
    }
}

/// The parse error of the statement `text` (offsets relative to it), as it may be shown.
pub fn shown_parse_error(text: &str, e: &ParseError) -> ParseError {
    shown_error(text, 0, e).error
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse_input, split};

    fn m(text: &str) -> String {
        masked(text).into_owned()
    }

    #[test]
    fn a_password_in_the_history_is_masked_wherever_it_is_typed() {
        assert_eq!(
            m("aliyun ram CreateLoginProfile --UserName dev --Password 'Sup3r-Secret!'"),
            "aliyun ram CreateLoginProfile --UserName dev --Password ******"
        );
        assert_eq!(
            m("aliyun ram CreateLoginProfile --Password=Sup3r-Secret! --UserName dev"),
            "aliyun ram CreateLoginProfile --Password=****** --UserName dev"
        );
        assert_eq!(
            m(
                "aliyun ram UpdateLoginProfile --UserName dev --NewPassword \"a b\" --PasswordResetRequired true"
            ),
            "aliyun ram UpdateLoginProfile --UserName dev --NewPassword ****** --PasswordResetRequired true"
        );
        assert_eq!(
            m("aliyun sts AssumeRole --AccessKeySecret abc --SecurityToken t0k --RoleArn r"),
            "aliyun sts AssumeRole --AccessKeySecret ****** --SecurityToken ****** --RoleArn r"
        );
        // Unquoted blanks, an unclosed quote: the rest up to the next flag is the secret.
        assert_eq!(
            m("aliyun ram CreateLoginProfile --Password Sup3r Secret --UserName dev"),
            "aliyun ram CreateLoginProfile --Password ****** --UserName dev"
        );
        assert_eq!(
            m("aliyun ram CreateLoginProfile --UserName dev --Password 'Sup3r Secr"),
            "aliyun ram CreateLoginProfile --UserName dev --Password ******"
        );
        let plain = "aliyun ram CreateUser --UserName dev";
        assert!(matches!(masked(plain), Cow::Borrowed(_)));
        assert!(!mask(plain).had_secret());
    }

    #[test]
    fn a_login_keeps_its_id_and_masks_its_secret() {
        assert_eq!(m("login LTAIx s3cret;"), "login LTAIx ******;");
        assert_eq!(
            m("LOGIN\n  LTAIx\n  s3cret ;"),
            "LOGIN\n  LTAIx\n  ****** ;"
        );
        assert_eq!(m("login LTAIx sec ret extra;"), "login LTAIx ******;");
        assert_eq!(m("login s3cret;"), "login ******;");
        assert_eq!(m("login;"), "login;");
        // Every statement of an input, and nothing else.
        assert_eq!(
            m(
                "login LTAIx s3cret; list users; whoami;\naliyun ram CreateLoginProfile --UserName d --Password p\nlogin LTAIy other;"
            ),
            "login LTAIx ******; list users; whoami;\naliyun ram CreateLoginProfile --UserName d --Password ******\nlogin LTAIy ******;"
        );
        assert_eq!(m("select * from login;"), "select * from login;");
    }

    #[test]
    fn offsets_map_into_the_masked_text() {
        let masked = mask("login LTAIx s3cret; list users;");
        assert_eq!(masked.text(), "login LTAIx ******; list users;");
        assert!(masked.hides(12) && masked.hides(17) && !masked.hides(18));
        assert_eq!(masked.offset(6), 6);
        assert_eq!(masked.offset(14), 12);
        assert_eq!(masked.offset(20), 20, "the same length");
        let masked = mask("login LTAIx s; list users;");
        assert_eq!(masked.offset(16), 21);
    }

    #[test]
    fn a_parse_error_in_a_secret_quotes_the_mask() {
        let text = "login LTAIx sec ret tok extra";
        let piece = &split(text)[0];
        let e = parse_input(piece).unwrap_err();
        assert!(e.to_string().contains("'tok'"), "{e}");
        let shown = shown_parse_error(text, &e);
        assert_eq!(
            shown,
            ParseError::Syntax {
                offset: 12,
                expected: match &e {
                    ParseError::Syntax { expected, .. } => expected.clone(),
                    ParseError::Cli(_) => unreachable!(),
                },
                found: "'******'".into(),
            }
        );
        let text = "aliyun ram CreateLoginProfile --UserName dev --Password Sup3r Secret";
        let piece = &split(text)[0];
        let e = parse_input(piece).unwrap_err();
        assert!(e.to_string().contains("'Secret'"), "{e}");
        let shown = shown_parse_error(text, &e).to_string();
        assert_eq!(
            shown,
            "'******' is not a valid parameter or flag. See `aliyun help ram CreateLoginProfile`."
        );
        // An error elsewhere is left as it is, at its place in the masked source.
        let source = "login LTAIx s3cret; grant to x;";
        let piece = &split(source)[1];
        let e = parse_input(piece).unwrap_err();
        let shown = shown_error(source, piece.offset, &e);
        assert_eq!(shown.source, "login LTAIx ******; grant to x;");
        assert_eq!(shown.offset, piece.offset);
        assert_eq!(shown.error, e);
    }
}
