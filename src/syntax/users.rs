//! The users family: who is a member of a project (`list users`, `add user`, `remove user`).
//! Its statements, their canonical text, their parsers and what they answer to the shared
//! questions ([`Family`]). Each parser follows its production in `grammar/odps-security.ebnf`.

use std::fmt;

use nom::Parser;

use super::ast::{PrincipalName, Statement};
use super::family::{Affected, Family};
use super::lexer::{PResult, kw};
use super::principal::principal;

/// A statement of the users family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserStatement {
    /// `list users`
    List,
    /// `add user <principal>`
    Add(PrincipalName),
    /// `remove user <principal>`
    Remove(PrincipalName),
}

impl fmt::Display for UserStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserStatement::List => f.write_str("list users"),
            UserStatement::Add(p) => write!(f, "add user {p}"),
            UserStatement::Remove(p) => write!(f, "remove user {p}"),
        }
    }
}

impl Family for UserStatement {
    fn is_security_query(&self) -> bool {
        true
    }

    fn is_read_only(&self) -> bool {
        matches!(self, UserStatement::List)
    }

    fn asks_confirmation(&self) -> bool {
        matches!(self, UserStatement::Remove(_))
    }

    fn affects(&self) -> Vec<Affected<'_>> {
        match self {
            UserStatement::List => Vec::new(),
            UserStatement::Add(p) | UserStatement::Remove(p) => vec![Affected::Principal(p)],
        }
    }
}

/// add_user = "add" "user" principal ;
pub(super) fn add_user(i: &str) -> PResult<'_, Statement> {
    (kw("user"), principal)
        .map(|(_, p)| Statement::Users(UserStatement::Add(p)))
        .parse(i)
}

/// remove_user = "remove" "user" principal ;
pub(super) fn remove_user(i: &str) -> PResult<'_, Statement> {
    (kw("user"), principal)
        .map(|(_, p)| Statement::Users(UserStatement::Remove(p)))
        .parse(i)
}
