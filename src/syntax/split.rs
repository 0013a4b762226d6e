//! Splits input text into statements.
//!
//! A security statement ends at a `;` outside quotes (`'…'`, `"…"`, `` `…` ``); `--` starts a
//! comment to the end of the line, and so does `#` as the first non-blank of a line. A line whose
//! first word is `aliyun` is a simulated console command: it ends at the end of its line (a `;`
//! there is accepted too), and inside it `--` starts a comment only when a blank follows, since
//! `--UserName` is a flag.

/// What kind of text a piece holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceKind {
    /// A MaxCompute statement, ended by `;`.
    Statement,
    /// A simulated `aliyun …` console command, ended by the end of its line.
    Console,
}

/// One statement cut out of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece<'a> {
    /// The statement as typed: from its first character through its `;` when it has one.
    pub typed: &'a str,
    /// The text to parse: `typed` without the `;`, trailing blanks and trailing comment.
    pub body: &'a str,
    /// Byte offset of `body` (and `typed`) in the input.
    pub offset: usize,
    pub kind: PieceKind,
    /// False when the input ended first: a statement without its `;`, or an open quote.
    pub complete: bool,
    /// The 1-based line of the input where the piece starts.
    pub line: usize,
    /// The 1-based column, in characters, where the piece starts on its line.
    pub column: usize,
    /// Byte offset in the input of a quote the input ended inside (the piece is then
    /// incomplete): what a script reports when it runs nothing.
    pub open_quote: Option<usize>,
}

impl Piece<'_> {
    /// The 1-based line and column (in characters) in the input of byte `at` of `body` (a
    /// syntax error's offset; one inside a character counts as that character). It is counted
    /// from the piece's own start, so it costs the length of the piece, not of the input.
    pub fn position(&self, at: usize) -> (usize, usize) {
        let mut at = at.min(self.body.len());
        while !self.body.is_char_boundary(at) {
            at -= 1;
        }
        advance((self.line, self.column), &self.body.as_bytes()[..at])
    }
}

/// The line and column just after `passed`, given those at its start (`passed` begins and
/// ends on character boundaries). Characters are counted as the bytes that do not continue one.
fn advance((line, column): (usize, usize), passed: &[u8]) -> (usize, usize) {
    let chars = |bytes: &[u8]| bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
    match passed.iter().rposition(|&b| b == b'\n') {
        Some(last) => (
            line + passed.iter().filter(|&&b| b == b'\n').count(),
            1 + chars(&passed[last + 1..]),
        ),
        None => (line, column + chars(passed)),
    }
}

/// Bytes that may end or change the state of a statement outside quotes: everything else is
/// skipped without a second look.
const SIGNIFICANT: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 7 {
        table[b"'\"`-;\n\\"[i] as usize] = true;
        i += 1;
    }
    table
};

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t' || b == b'\r' || b == b'\n'
}

/// Index just past the end of the line starting at or after `i` (the `\n` is not consumed).
fn line_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] != b'\n' {
        i += 1;
    }
    i
}

fn at_line_start(bytes: &[u8], i: usize) -> bool {
    bytes[..i]
        .iter()
        .rev()
        .take_while(|&&b| b != b'\n')
        .all(|&b| b == b' ' || b == b'\t' || b == b'\r')
}

fn starts_console(bytes: &[u8], i: usize) -> bool {
    let word = b"aliyun";
    bytes.len() >= i + word.len()
        && bytes[i..i + word.len()].eq_ignore_ascii_case(word)
        && bytes
            .get(i + word.len())
            .is_none_or(|&b| is_blank(b) || b == b';')
}

/// Skips blanks and comments; returns the index of the next significant byte.
fn skip_gaps(bytes: &[u8], mut i: usize) -> usize {
    loop {
        while i < bytes.len() && is_blank(bytes[i]) {
            i += 1;
        }
        let dash_comment = bytes[i..].starts_with(b"--");
        let hash_comment = bytes.get(i) == Some(&b'#') && at_line_start(bytes, i);
        if dash_comment || hash_comment {
            i = line_end(bytes, i);
        } else {
            return i;
        }
    }
}

/// Splits `input` into its statements, in order. Text that is only blanks and comments gives none.
pub fn split(input: &str) -> Vec<Piece<'_>> {
    let bytes = input.as_bytes();
    let mut pieces = Vec::new();
    // The byte, line and column where the last piece started: each piece's position is counted
    // on from there, so the whole input is counted once.
    let mut counted = (0, (1, 1));
    let mut i = skip_gaps(bytes, 0);
    while i < bytes.len() {
        let start = i;
        let (line, column) = advance(counted.1, &bytes[counted.0..start]);
        counted = (start, (line, column));
        let kind = if starts_console(bytes, i) {
            PieceKind::Console
        } else {
            PieceKind::Statement
        };
        let mut quote: Option<u8> = None;
        let mut quote_at = 0;
        // Where the statement's own text ends (before `;` or a trailing comment), where the
        // typed text ends, and where scanning resumes.
        let mut end: Option<(usize, usize, usize, bool)> = None;
        while i < bytes.len() {
            let b = bytes[i];
            if quote.is_none() && !SIGNIFICANT[b as usize] {
                i += 1;
                continue;
            }
            if let Some(q) = quote {
                if b == b'\\' && q != b'`' {
                    i += 2;
                    continue;
                }
                if b == q {
                    quote = None;
                }
                i += 1;
                continue;
            }
            match b {
                b'\'' | b'"' | b'`' => {
                    quote = Some(b);
                    quote_at = i;
                }
                b'-' if bytes.get(i + 1) == Some(&b'-') => {
                    let flag = kind == PieceKind::Console
                        && bytes.get(i + 2).is_some_and(|&c| !is_blank(c));
                    if !flag {
                        if kind == PieceKind::Console {
                            let stop = line_end(bytes, i);
                            end = Some((i, i, stop, true));
                            break;
                        }
                        i = line_end(bytes, i);
                        continue;
                    }
                }
                b';' => {
                    end = Some((i, i + 1, i + 1, true));
                    break;
                }
                b'\n' if kind == PieceKind::Console => {
                    end = Some((i, i, i, true));
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        let (body_end, typed_end, resume, complete) = end.unwrap_or((
            bytes.len(),
            bytes.len(),
            bytes.len(),
            kind == PieceKind::Console && quote.is_none(),
        ));
        let body = input[start..body_end].trim_end();
        let typed = input[start..typed_end].trim_end();
        // A lone `;` is no statement (as in odpscmd, which keeps only pieces with text).
        if !body.is_empty() {
            pieces.push(Piece {
                typed,
                body,
                offset: start,
                kind,
                complete,
                line,
                column,
                open_quote: quote.map(|_| quote_at),
            });
        }
        i = skip_gaps(bytes, resume);
    }
    pieces
}

/// True when `input` holds at least one statement and every statement in it is complete:
/// what the interactive shell uses to decide that Enter runs the input.
pub fn is_complete(input: &str) -> bool {
    split(input).iter().all(|p| p.complete)
}

/// The 1-based line and column (in characters) of a byte offset in `text`, counted from the
/// start of the text: what every syntax error once paid for (finding 8 of issue 12), kept as
/// the oracle that [`Piece::position`] is tested against.
#[cfg(test)]
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bodies(input: &str) -> Vec<&str> {
        split(input).into_iter().map(|p| p.body).collect()
    }

    #[test]
    fn splits_on_semicolons_outside_quotes() {
        assert_eq!(
            bodies("list users; grant a to RAM$x; "),
            vec!["list users", "grant a to RAM$x"]
        );
        assert_eq!(bodies("use 'a;b'; q;"), vec!["use 'a;b'", "q"]);
        assert_eq!(
            bodies("add user `RAM$m:role/r;x`;"),
            vec!["add user `RAM$m:role/r;x`"]
        );
        assert_eq!(bodies("use \"a\\\";b\";"), vec!["use \"a\\\";b\""]);
    }

    #[test]
    fn comments_are_skipped_and_hide_semicolons() {
        assert_eq!(bodies("-- hello; there\nlist users;"), vec!["list users"]);
        assert_eq!(bodies("list -- a;b\n users;"), vec!["list -- a;b\n users"]);
        assert_eq!(bodies("# note;\nlist roles;"), vec!["list roles"]);
        assert!(split("  -- only a comment\n").is_empty());
    }

    #[test]
    fn a_lone_semicolon_is_no_statement() {
        assert_eq!(bodies(";"), Vec::<&str>::new());
        assert_eq!(bodies("; ;\nlist users;;"), vec!["list users"]);
        assert!(is_complete(";"));
    }

    #[test]
    fn an_open_quote_is_found_where_it_opens() {
        let input = "list users;\ncreate role 'x;\nlist roles;";
        let pieces = split(input);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0].open_quote, None);
        assert_eq!(pieces[1].open_quote, Some(input.find('\'').unwrap()));
        assert!(!pieces[1].complete);
    }

    #[test]
    fn multi_line_statement_keeps_its_typed_text() {
        let pieces = split("remove user p4_1\n;");
        assert_eq!(pieces.len(), 1);
        assert_eq!(pieces[0].typed, "remove user p4_1\n;");
        assert_eq!(pieces[0].body, "remove user p4_1");
        assert!(pieces[0].complete);
    }

    #[test]
    fn console_commands_end_at_the_line_end() {
        let pieces =
            split("aliyun ram CreateUser --UserName bob\nlist users;\naliyun ram ListUsers;");
        assert_eq!(pieces.len(), 3);
        assert_eq!(pieces[0].kind, PieceKind::Console);
        assert_eq!(pieces[0].body, "aliyun ram CreateUser --UserName bob");
        assert_eq!(pieces[1].body, "list users");
        assert_eq!(pieces[2].body, "aliyun ram ListUsers");
        assert_eq!(pieces[2].typed, "aliyun ram ListUsers;");
    }

    #[test]
    fn console_comment_needs_a_blank_after_the_dashes() {
        let pieces = split("aliyun ram GetUser --UserName bob -- who\nq;");
        assert_eq!(pieces[0].body, "aliyun ram GetUser --UserName bob");
        assert_eq!(pieces[1].body, "q");
    }

    #[test]
    fn offsets_point_into_the_input() {
        let input = "list users;\n  whoami;";
        let pieces = split(input);
        assert_eq!(&input[pieces[1].offset..pieces[1].offset + 6], "whoami");
    }

    #[test]
    fn completeness_follows_semicolons_and_quotes() {
        assert!(is_complete("list users;"));
        assert!(!is_complete("list users"));
        assert!(!is_complete("grant a to\n"));
        assert!(is_complete("grant a\n to RAM$x;"));
        assert!(!is_complete("use 'abc;"));
        assert!(is_complete("aliyun ram ListUsers"));
        assert!(!is_complete("aliyun ram CreateUser --DisplayName \"a"));
        assert!(is_complete(""));
        assert!(is_complete("-- just a note"));
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let pieces = split("ab\ncdé f");
        let piece = &pieces[0];
        assert_eq!((piece.line, piece.column), (1, 1));
        assert_eq!(piece.position(0), (1, 1));
        assert_eq!(piece.position(3), (2, 1));
        assert_eq!(piece.position(7), (2, 4));
        // Inside `é`: the character's own column.
        assert_eq!(piece.position(6), (2, 3));
        assert_eq!(piece.position(99), (2, 6));
        let pieces = split("  é; x;\r\n\n  -- note\n\t y; aliyun ram ListUsers");
        let starts: Vec<(usize, usize)> = pieces.iter().map(|p| (p.line, p.column)).collect();
        assert_eq!(starts, [(1, 3), (1, 6), (4, 3), (4, 6)]);
    }

    /// Finding 8 of issue 12: an error deep in a long script gets the same line and column
    /// as counting from the start of the script gave.
    #[test]
    fn syntax_errors_deep_in_a_long_script_keep_their_line_and_column() {
        let mut script = "x;\n".repeat(40_000);
        script.push_str("grant a, b\n   RAM$x; é; list user;");
        let pieces = split(&script);
        assert_eq!(pieces.len(), 40_003);
        for piece in &pieces[39_998..] {
            for at in 0..=piece.body.len() {
                assert_eq!(
                    piece.position(at),
                    line_column(&script, piece.offset + at),
                    "{piece:?} at {at}"
                );
            }
        }
        let last = &pieces[40_002];
        assert_eq!((last.line, last.column), (40_002, 14));
    }

    fn texts() -> impl Strategy<Value = String> {
        let parts = prop::sample::select(vec![
            "x",
            ";",
            "\n",
            "\r",
            "\r\n",
            " ",
            "\t",
            "é",
            "\u{3000}",
            "😀",
            "'",
            "\"",
            "`",
            "\\",
            "--",
            "-- c\n",
            "#",
            "aliyun ",
            "aliyun ram GetUser --UserName é\n",
            "grant",
            " to ",
            "RAM$a",
            ",",
        ]);
        prop::collection::vec(parts, 0..60).prop_map(|parts| parts.concat())
    }

    proptest! {
        /// Every piece's start, and every byte of its body, has the line and column that
        /// counting from the start of the input gives.
        #[test]
        fn positions_agree_with_counting_from_the_start(text in texts()) {
            for piece in split(&text) {
                prop_assert_eq!((piece.line, piece.column), line_column(&text, piece.offset));
                for at in 0..=piece.body.len() {
                    prop_assert_eq!(piece.position(at), line_column(&text, piece.offset + at));
                }
            }
        }
    }
}
