//! Text → statements. Knows nothing about the world.
//!
//! The grammar is written down in `grammar/odps-security.ebnf`; each parser function carries its
//! production as a comment.
//!
//! Statements come in families (users, roles, ACL, objects, settings, project, session, the
//! console products, the learning statements): each family's module holds its AST, canonical
//! text, parsers and answers to the shared questions (`family::Family`); `security.rs`
//! dispatches on a statement's first word and `ast.rs` names the families.

mod acl;
pub mod ast;
mod ast_authz;
pub mod console;
pub mod family;
pub mod grammar;
pub mod help;
mod labels;
mod lexer;
mod objects;
mod packages;
mod policy;
mod principal;
mod project;
mod roles;
pub mod secrets;
mod security;
mod session;
mod settings;
pub mod split;
pub mod teach;
mod tunnel;
mod users;
pub mod vocabulary;

pub use ast::{
    AccountProvider, AclChange, AclStatement, AddResource, Affected, ColumnDef, Family,
    LabelStatement, Labelled, ObjectKind, ObjectRef, ObjectStatement, PolicyGrant, PolicyStatement,
    PrincipalName, Privilege, ProjectStatement, ResourceKind, RoleName, RoleStatement,
    SecurityFlag, SelectQuery, SessionStatement, SettingStatement, Statement, Subject, TableRef,
    UserStatement,
};
pub use ast::{DownloadSource, PackageStatement, PackedObject, TunnelDownload, TunnelStatement};
pub use console::CliError;
pub use console::{
    Api, ButtonApi, ConsoleCommand, DataWorksApi, ImsApi, Param, Product, RamApi, StsApi,
};
pub use help::{HelpRequest, parse_help};
pub use secrets::{MASK, masked};
pub use split::{Piece, PieceKind, is_complete, split};
pub use teach::{TeachStatement, UserRef};

/// Why a piece of text is not a statement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// A MaxCompute statement that does not follow the grammar; `offset` is a byte offset into
    /// the statement text.
    #[error("expected {expected}, found {found}")]
    Syntax {
        offset: usize,
        expected: String,
        found: String,
    },
    /// A console command the `aliyun` CLI refuses by itself.
    #[error("{0}")]
    Cli(#[from] CliError),
}

/// Keywords are written in upper case in messages; descriptions stay as they are.
fn shown(item: &str) -> String {
    if !item.is_empty() && item.chars().all(|c| c.is_ascii_lowercase()) {
        item.to_ascii_uppercase()
    } else {
        item.to_string()
    }
}

fn join_expected(items: &[&str]) -> String {
    let items: Vec<String> = items.iter().map(|i| shown(i)).collect();
    match items.as_slice() {
        [] => "something else".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn found_at(rest: &str) -> String {
    let token: String = rest
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
        .chars()
        .take(32)
        .collect();
    if token.is_empty() {
        "the end of the statement".to_string()
    } else {
        format!("'{token}'")
    }
}

/// A nom outcome over `text` as this module's result.
fn finish<T>(text: &str, parsed: lexer::PResult<'_, T>) -> Result<T, ParseError> {
    match parsed {
        Ok((_, value)) => Ok(value),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(ParseError::Syntax {
            offset: text.len() - e.at.len(),
            expected: join_expected(&e.expected.to_vec()),
            found: found_at(e.at),
        }),
        Err(nom::Err::Incomplete(_)) => Err(ParseError::Syntax {
            offset: text.len(),
            expected: "more input".to_string(),
            found: "the end of the statement".to_string(),
        }),
    }
}

/// Parses one MaxCompute statement (without its `;`).
pub fn parse_statement(text: &str) -> Result<Statement, ParseError> {
    finish(text, security::statement(text))
}

/// Parses one piece cut out by [`split`].
pub fn parse_piece(piece: &Piece<'_>) -> Result<Statement, ParseError> {
    match piece.kind {
        PieceKind::Statement => parse_statement(piece.body),
        PieceKind::Console => Ok(Statement::Console(console::parse_console(piece.body)?)),
    }
}

/// What the odpsh shell accepts: a statement the engine runs, or one of odpsh's own learning
/// statements, which the shell answers itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Statement(Statement),
    Teach(TeachStatement),
}

impl Input {
    /// True for input that changes nothing.
    pub fn is_read_only(&self) -> bool {
        match self {
            Input::Statement(s) => s.is_read_only(),
            Input::Teach(t) => t.is_read_only(),
        }
    }

    /// Whether the interactive shell asks `Confirm to "…" (yes/no)?` before it runs: `drop`,
    /// `delete` and `remove` statements, and `offboard <user> run`.
    pub fn asks_confirmation(&self) -> bool {
        match self {
            Input::Statement(s) => s.asks_confirmation(),
            Input::Teach(t) => t.asks_confirmation(),
        }
    }
}

impl std::fmt::Display for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Input::Statement(s) => write!(f, "{s}"),
            Input::Teach(t) => write!(f, "{t}"),
        }
    }
}

/// Parses a user as `offboard` takes it (`hanmeimei`, `RAM$MainCount:hanmeimei`, `p4_…`).
pub fn parse_user_ref(text: &str) -> Result<UserRef, ParseError> {
    finish(text, teach::whole_user_ref(text))
}

/// Parses one piece as the shell reads it: a learning statement when it starts with one of
/// [`teach::TEACH_WORDS`], else as [`parse_piece`] does.
pub fn parse_input(piece: &Piece<'_>) -> Result<Input, ParseError> {
    if piece.kind == PieceKind::Statement && teach::starts_teach_statement(piece.body) {
        return finish(piece.body, teach::statement(piece.body)).map(Input::Teach);
    }
    parse_piece(piece).map(Input::Statement)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asks(text: &str) -> bool {
        let piece = &split(text)[0];
        parse_input(piece).is_ok_and(|input| input.asks_confirmation())
    }

    #[test]
    fn drop_and_remove_statements_and_offboard_run_ask_first() {
        for text in [
            "remove user RAM$a;",
            "DROP role r;",
            "drop table if exists t;",
            "drop resource r.jar;",
            "drop function f;",
            "drop project p;",
            "remove trustedproject p;",
            "remove accountprovider ram;",
            "offboard hanmeimei run;",
            "OFFBOARD RAM$MainCount:hanmeimei RUN ;",
        ] {
            assert!(asks(text), "{text}");
        }
        for text in [
            "revoke a from RAM$b;",
            "aliyun ram DeleteUser --UserName a",
            "offboard hanmeimei;",
            "create role r;",
            "list users;",
        ] {
            assert!(!asks(text), "{text}");
        }
    }

    fn syntax_error(text: &str) -> (usize, String) {
        match parse_statement(text) {
            Err(ParseError::Syntax {
                offset,
                expected,
                found,
            }) => (offset, format!("expected {expected}, found {found}")),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn errors_say_where_and_what_was_expected() {
        assert_eq!(
            syntax_error("grant to RAM$x"),
            (
                6,
                "expected a role name or a privilege, found 'to'".to_string()
            )
        );
        assert_eq!(
            syntax_error("list user"),
            (
                5,
                "expected USERS, ROLES, TRUSTEDPROJECTS, ACCOUNTPROVIDERS, RESOURCES or FUNCTIONS, found 'user'"
                    .to_string()
            )
        );
        assert_eq!(
            syntax_error("grant a, b RAM$x"),
            (11, "expected ON or TO, found 'RAM$x'".to_string())
        );
        assert_eq!(
            syntax_error("revoke a from"),
            (
                13,
                "expected a user name (ALIYUN$<account>, RAM$[<account>:]<user>, `RAM$<account>:role/<role>` or p4_<id>), found the end of the statement"
                    .to_string()
            )
        );
        assert_eq!(
            syntax_error("whoami now"),
            (
                7,
                "expected the end of the statement, found 'now'".to_string()
            )
        );
        assert_eq!(syntax_error("frobnicate").0, 0);
    }

    /// Every word the "expected a statement (…)" message offers starts a statement the shell
    /// takes: the word alone either parses or fails further on, never at the word itself.
    #[test]
    fn the_statement_words_offered_by_a_syntax_error_are_real() {
        let offered = match parse_statement("frobnicate") {
            Err(ParseError::Syntax { expected, .. }) => expected,
            other => panic!("{other:?}"),
        };
        let inner = offered
            .split_once('(')
            .and_then(|(_, rest)| rest.strip_suffix(')'))
            .unwrap_or_else(|| panic!("{offered}"));
        let words: Vec<&str> = inner.split(", ").collect();
        assert!(words.len() >= 20, "{words:?}");
        for word in words {
            let pieces = split(word);
            match parse_input(&pieces[0]) {
                Ok(_) => {}
                Err(ParseError::Syntax { offset, .. }) => {
                    assert!(offset > 0, "'{word}' is offered but starts no statement")
                }
                Err(e) => panic!("{word}: {e}"),
            }
        }
    }
}
