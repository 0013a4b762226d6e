//! The session family: who is acting, where (`whoami`, `use`, `login`, `quit`): its
//! statements, their canonical text, their parsers and its answers to the shared questions
//! ([`Family`]). Each parser follows its production in `grammar/odps-security.ebnf`.

use std::fmt;

use nom::Parser;

use super::ast::Statement;
use super::family::Family;
use super::lexer::{PResult, identifier, word};

/// A statement of the session family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionStatement {
    WhoAmI,
    /// `use <project>`
    Use(String),
    /// `login <AccessKeyId> <AccessKeySecret>`: act as the owner of that AccessKey.
    Login {
        access_key_id: String,
        secret: String,
    },
    Quit,
}

impl fmt::Display for SessionStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionStatement::WhoAmI => f.write_str("whoami"),
            SessionStatement::Use(p) => write!(f, "use {p}"),
            SessionStatement::Login {
                access_key_id,
                secret,
            } => write!(f, "login {access_key_id} {secret}"),
            SessionStatement::Quit => f.write_str("quit"),
        }
    }
}

impl Family for SessionStatement {
    /// `whoami` goes to the service as a security query; the rest stay in the client.
    fn is_security_query(&self) -> bool {
        matches!(self, SessionStatement::WhoAmI)
    }

    /// The session changes; the world does not.
    fn is_read_only(&self) -> bool {
        true
    }

    fn carries_secret(&self) -> bool {
        matches!(self, SessionStatement::Login { .. })
    }
}

fn session(statement: SessionStatement) -> Statement {
    Statement::Session(statement)
}

/// whoami = "whoami" ;  quit = "quit" | "q" ;
pub(super) fn bare(statement: SessionStatement) -> Statement {
    session(statement)
}

/// login = "login" access_key_id access_key_secret ;
/// The secret is any run of non-blank characters: a mistyped one must reach the check and fail
/// there (ODPS-0410042), not in the parser.
pub(super) fn login(i: &str) -> PResult<'_, Statement> {
    let id = word(|c| c.is_ascii_alphanumeric(), "an AccessKey id");
    let secret = word(|c| !c.is_whitespace(), "an AccessKey secret");
    (id, secret)
        .map(|(id, secret)| {
            session(SessionStatement::Login {
                access_key_id: id.to_string(),
                secret: secret.to_string(),
            })
        })
        .parse(i)
}

/// use_project = "use" project_name ;
pub(super) fn use_project(i: &str) -> PResult<'_, Statement> {
    identifier("a project name")
        .map(|p| session(SessionStatement::Use(p.to_string())))
        .parse(i)
}
