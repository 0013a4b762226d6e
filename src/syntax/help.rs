//! `help;`, `h;`, `-h;` and `help <words>;`: the shell's own help, which it answers from the
//! grammar (`syntax::grammar`). Like odpscmd's HelpCommand, a piece is a help request when its
//! first word is `help` or `h` (`-h` too, as odpscmd's "Bad Command" text offers it); the rest
//! are the words to look for. It is no statement: no project and no engine ever sees it.

use super::split::{Piece, PieceKind};

/// What `help` was asked about: nothing (the families), `usage`, or statement words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpRequest {
    pub words: Vec<String>,
}

/// The words that ask for help.
pub const HELP_WORDS: [&str; 3] = ["help", "h", "-h"];

/// The help request a piece holds, if it is one.
pub fn parse_help(piece: &Piece<'_>) -> Option<HelpRequest> {
    if piece.kind != PieceKind::Statement {
        return None;
    }
    help_words(piece.body)
}

/// The help request `text` is (a statement's text without its `;`), if it is one.
pub fn help_words(text: &str) -> Option<HelpRequest> {
    let mut words = text.split_whitespace();
    let first = words.next()?;
    HELP_WORDS
        .iter()
        .any(|w| first.eq_ignore_ascii_case(w))
        .then(|| HelpRequest {
            words: words.map(str::to_string).collect(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::split;

    fn help(text: &str) -> Option<Vec<String>> {
        split(text).first().and_then(parse_help).map(|h| h.words)
    }

    #[test]
    fn help_h_and_dash_h_ask_for_help() {
        assert_eq!(help("help;"), Some(vec![]));
        assert_eq!(help("H;"), Some(vec![]));
        assert_eq!(help("-h;"), Some(vec![]));
        assert_eq!(
            help("HELP grant\n role;"),
            Some(vec!["grant".to_string(), "role".to_string()])
        );
        assert_eq!(help("hi;"), None);
        assert_eq!(help("history;"), None);
        assert_eq!(help("aliyun help"), None);
    }
}
