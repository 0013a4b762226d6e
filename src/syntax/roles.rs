//! The roles family: a project's roles and who holds them (`list roles`, `create role`, `drop
//! role`, `describe role`, `grant <roles> to`, `revoke <roles> from`, `show principals`). Its
//! statements, their canonical text, their parsers and its answers to the shared questions
//! ([`Family`]). `grant`/`revoke` share their word list with ACL privileges, so that one parser
//! lives in `acl.rs` and builds these statements. Each parser follows its production in
//! `grammar/odps-security.ebnf`.

use std::fmt;

use nom::Parser;
use nom::combinator::opt;

use super::ast::{PrincipalName, RoleName, Statement};
use super::family::{Affected, Family};
use super::lexer::{PError, PResult, kw, skip_blanks};
use super::principal::role_name;

/// A statement of the roles family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleStatement {
    /// `list roles`
    List,
    /// `create role <r> [privilegeproperties("type"="admin"|"resource")]` (resource by
    /// default).
    Create { role: RoleName, admin: bool },
    /// `drop role <r>`
    Drop(RoleName),
    /// `describe role <r>`
    Describe(RoleName),
    /// `grant <r>[, <r>…] to <principal>`
    Grant {
        roles: Vec<RoleName>,
        grantee: PrincipalName,
    },
    /// `revoke <r>[, <r>…] from <principal>`
    Revoke {
        roles: Vec<RoleName>,
        grantee: PrincipalName,
    },
    /// `show principals [for] [role] <r>`
    ShowPrincipals(RoleName),
}

fn write_roles(f: &mut fmt::Formatter<'_>, roles: &[RoleName]) -> fmt::Result {
    for (i, role) in roles.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{role}")?;
    }
    Ok(())
}

impl fmt::Display for RoleStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoleStatement::List => f.write_str("list roles"),
            RoleStatement::Create { role, admin: false } => write!(f, "create role {role}"),
            RoleStatement::Create { role, admin: true } => write!(
                f,
                "create role {role} privilegeproperties(\"type\"=\"admin\")"
            ),
            RoleStatement::Drop(r) => write!(f, "drop role {r}"),
            RoleStatement::Describe(r) => write!(f, "describe role {r}"),
            RoleStatement::Grant { roles, grantee } => {
                f.write_str("grant ")?;
                write_roles(f, roles)?;
                write!(f, " to {grantee}")
            }
            RoleStatement::Revoke { roles, grantee } => {
                f.write_str("revoke ")?;
                write_roles(f, roles)?;
                write!(f, " from {grantee}")
            }
            RoleStatement::ShowPrincipals(r) => write!(f, "show principals for role {r}"),
        }
    }
}

impl Family for RoleStatement {
    fn is_security_query(&self) -> bool {
        true
    }

    fn is_read_only(&self) -> bool {
        matches!(
            self,
            RoleStatement::List | RoleStatement::Describe(_) | RoleStatement::ShowPrincipals(_)
        )
    }

    fn asks_confirmation(&self) -> bool {
        matches!(self, RoleStatement::Drop(_))
    }

    fn affects(&self) -> Vec<Affected<'_>> {
        match self {
            RoleStatement::Grant { grantee, .. } | RoleStatement::Revoke { grantee, .. } => {
                vec![Affected::Principal(grantee)]
            }
            _ => Vec::new(),
        }
    }
}

fn roles(statement: RoleStatement) -> Statement {
    Statement::Roles(statement)
}

const ROLE_TYPE: &str = "privilegeproperties(\"type\"=\"admin\"|\"resource\")";

/// create_role = "create" "role" role_name [ "privilegeproperties" "(" "\"type\"" "=" ( "\"admin\"" | "\"resource\"" ) ")" ] ;
pub(super) fn create_role(i: &str) -> PResult<'_, Statement> {
    let (rest, (_, role)) = (kw("role"), role_name).parse(i)?;
    let at = skip_blanks(rest);
    let (rest, properties) = super::acl::privilege_properties(rest)?;
    let mut admin = false;
    for (k, v) in &properties {
        match (
            k.to_ascii_lowercase().as_str(),
            v.to_ascii_lowercase().as_str(),
        ) {
            ("type", "admin") => admin = true,
            ("type", "resource") => admin = false,
            _ => return Err(nom::Err::Failure(PError::new(at, ROLE_TYPE))),
        }
    }
    Ok((rest, roles(RoleStatement::Create { role, admin })))
}

/// drop_role = "drop" "role" role_name ;
pub(super) fn drop_role(i: &str) -> PResult<'_, Statement> {
    (kw("role"), role_name)
        .map(|(_, r)| roles(RoleStatement::Drop(r)))
        .parse(i)
}

/// describe_role = ( "describe" | "desc" ) "role" role_name ;
pub(super) fn describe_role(i: &str) -> PResult<'_, Statement> {
    (kw("role"), role_name)
        .map(|(_, r)| roles(RoleStatement::Describe(r)))
        .parse(i)
}

/// show_principals = "show" "principals" [ "for" ] [ "role" ] role_name ;
pub(super) fn show_principals(i: &str) -> PResult<'_, Statement> {
    (kw("principals"), opt(kw("for")), opt(kw("role")), role_name)
        .map(|(_, _, _, r)| roles(RoleStatement::ShowPrincipals(r)))
        .parse(i)
}
