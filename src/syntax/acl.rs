//! The ACL family: privileges granted on objects (`grant <privileges> on …`, `revoke …`,
//! `show grants`, `show acl`, `clear expired grants`): its statements, their canonical text,
//! their parsers and its answers to the shared questions ([`Family`]). The `grant`/`revoke`
//! parser also builds the roles family's bindings (`grant <roles> to …`), which share its word
//! list. Each function follows its production in `grammar/odps-security.ebnf`.

use std::fmt;

use nom::Parser;
use nom::branch::alt;
use nom::combinator::opt;
use nom::multi::separated_list1;

use super::ast::{AclChange, ObjectRef, PrincipalName, RoleName, Statement, Subject};
use super::family::{Affected, Family};
use super::lexer::{
    PError, PResult, from_part, identifier, kw, punct, skip_blanks, string_literal, word,
};
use super::objects::{column_name, function_name, instance_id, resource_name, table_name};
use super::policy::{self, PolicyGrant, PolicyStatement};
use super::principal::{RESERVED, principal, role_name};
use super::roles::RoleStatement;
use super::vocabulary::{
    COLUMN_PRIVILEGES, EXPECTED_OBJECT_TYPE, EXPECTED_PRIVILEGE_OF_COLUMNS, ObjectKind, Privilege,
};

/// A statement of the ACL family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AclStatement {
    /// `grant <privileges> on <object> to <subject> [privilegeproperties(…)]`
    Grant(AclChange),
    /// `revoke <privileges> on <object> from <subject>`
    Revoke(AclChange),
    /// `show grants [for user <p> | for role <r>] [on type <t>]`
    ShowGrants {
        subject: Option<Subject>,
        on_type: Option<ObjectKind>,
    },
    /// `show acl for <object> [on type <t>]` (the type defaults to table).
    ShowAcl {
        object: String,
        on_type: Option<ObjectKind>,
    },
    /// `clear expired grants`
    ClearExpired,
}

impl fmt::Display for AclStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AclStatement::Grant(change) => change.write(f, "grant", "to"),
            AclStatement::Revoke(change) => change.write(f, "revoke", "from"),
            AclStatement::ShowGrants { subject, on_type } => {
                f.write_str("show grants")?;
                if let Some(s) = subject {
                    write!(f, " for {s}")?;
                }
                if let Some(t) = on_type {
                    write!(f, " on type {t}")?;
                }
                Ok(())
            }
            AclStatement::ShowAcl { object, on_type } => {
                write!(f, "show acl for {object}")?;
                if let Some(t) = on_type {
                    write!(f, " on type {t}")?;
                }
                Ok(())
            }
            AclStatement::ClearExpired => f.write_str("clear expired grants"),
        }
    }
}

impl Family for AclStatement {
    fn is_security_query(&self) -> bool {
        true
    }

    fn is_read_only(&self) -> bool {
        matches!(
            self,
            AclStatement::ShowGrants { .. } | AclStatement::ShowAcl { .. }
        )
    }

    fn affects(&self) -> Vec<Affected<'_>> {
        match self {
            AclStatement::Grant(c) | AclStatement::Revoke(c) => match &c.subject {
                Subject::User(p) => vec![Affected::Principal(p)],
                Subject::Role(_) => Vec::new(),
            },
            _ => Vec::new(),
        }
    }
}

fn acl(statement: AclStatement) -> Statement {
    Statement::Acl(statement)
}

const EXPECTED_WORD: &str = "a role name or a privilege";
const EXPECTED_PRIVILEGE: &str = "a privilege (Read, Write, List, CreateTable, CreateInstance, CreateFunction, CreateResource, Describe, Select, Alter, Update, Drop, ShowHistory, Download, Execute, Delete, All)";

/// One word of the list after `grant`/`revoke`: a role or a privilege, not a reserved word.
fn grant_word(input: &str) -> PResult<'_, &str> {
    let (rest, w) = identifier(EXPECTED_WORD).parse(input)?;
    if RESERVED.iter().any(|r| w.eq_ignore_ascii_case(r)) {
        return Err(nom::Err::Error(PError::new(
            skip_blanks(input),
            EXPECTED_WORD,
        )));
    }
    Ok((rest, w))
}

fn word_list(i: &str) -> PResult<'_, Vec<&str>> {
    separated_list1(punct(',', "','"), grant_word).parse(i)
}

/// The words as role names (the `grant <roles> to` form).
fn as_roles<'a>(input: &'a str, words: &[&'a str]) -> Result<Vec<RoleName>, nom::Err<PError<'a>>> {
    words
        .iter()
        .map(|w| {
            role_name(from_part(input, w))
                .map(|(_, r)| r)
                .map_err(|e| match e {
                    nom::Err::Error(e) => nom::Err::Failure(e),
                    other => other,
                })
        })
        .collect()
}

/// The words as privileges valid for `object` (the `grant <privileges> on` form).
fn as_privileges<'a>(
    input: &'a str,
    words: &[&'a str],
    object: &ObjectRef,
) -> Result<Vec<Privilege>, nom::Err<PError<'a>>> {
    let (allowed, expected) = if object.columns.is_empty() {
        (
            object.kind.privileges(),
            super::vocabulary::expected_privilege(object.kind),
        )
    } else {
        (COLUMN_PRIVILEGES, EXPECTED_PRIVILEGE_OF_COLUMNS)
    };
    let mut privileges: Vec<Privilege> = Vec::new();
    for w in words {
        let fail = |what| nom::Err::Failure(PError::new(from_part(input, w), what));
        let p = Privilege::named(w).ok_or_else(|| fail(EXPECTED_PRIVILEGE))?;
        if !allowed.contains(&p) {
            return Err(fail(expected));
        }
        if !privileges.contains(&p) {
            privileges.push(p);
        }
    }
    Ok(privileges)
}

fn project_name(i: &str) -> PResult<'_, String> {
    identifier("a project name").map(str::to_string).parse(i)
}

pub(super) fn column_list(i: &str) -> PResult<'_, Vec<String>> {
    let (rest, open) = opt(punct('(', "'('")).parse(i)?;
    if open.is_none() {
        return Ok((rest, Vec::new()));
    }
    let (rest, columns) = separated_list1(punct(',', "','"), column_name).parse(rest)?;
    let (rest, _) = punct(')', "',' or ')'").parse(rest)?;
    Ok((rest, columns))
}

fn package_name(i: &str) -> PResult<'_, String> {
    let (rest, project) = identifier("<project>.<package>").parse(i)?;
    let (rest, _) = punct('.', "'.' (<project>.<package>)").parse(rest)?;
    let (rest, package) = identifier("a package name").parse(rest)?;
    Ok((rest, format!("{project}.{package}").to_ascii_lowercase()))
}

/// object_type = "project" | "table" | "function" | "resource" | "instance" | "package" ;
fn object_type(input: &str) -> PResult<'_, ObjectKind> {
    let (rest, w) = identifier(EXPECTED_OBJECT_TYPE).parse(input)?;
    match ObjectKind::named(w) {
        Some(t) => Ok((rest, t)),
        None => Err(nom::Err::Failure(PError::new(
            skip_blanks(input),
            EXPECTED_OBJECT_TYPE,
        ))),
    }
}

/// object_ref = "project" project_name | "table" table_name [ column_list ]
///            | "function" function_name | "resource" resource_name
///            | "instance" instance_id | "package" project_name "." package_name ;
fn object_ref(i: &str) -> PResult<'_, ObjectRef> {
    let (rest, kind) = object_type(i)?;
    let object = |name: String, columns: Vec<String>| ObjectRef {
        kind,
        name,
        columns,
    };
    match kind {
        ObjectKind::Project => project_name.map(|n| object(n, Vec::new())).parse(rest),
        ObjectKind::Table => (table_name, column_list)
            .map(|(n, c)| object(n, c))
            .parse(rest),
        ObjectKind::Function => function_name.map(|n| object(n, Vec::new())).parse(rest),
        ObjectKind::Resource => resource_name.map(|n| object(n, Vec::new())).parse(rest),
        ObjectKind::Instance => instance_id.map(|n| object(n, Vec::new())).parse(rest),
        ObjectKind::Package => package_name.map(|n| object(n, Vec::new())).parse(rest),
    }
}

/// An object, or a pattern of names (`tb_*`, `*`) of objects of a kind other than a project:
/// what a policy grant may name. The position of a pattern, when it is one.
fn object_or_pattern(i: &str) -> PResult<'_, (ObjectRef, Option<&str>)> {
    let (rest, kind) = object_type(i)?;
    if kind != ObjectKind::Project && policy::pattern_ahead(rest) {
        let at = skip_blanks(rest);
        let (rest, name) = policy::object_pattern(rest)?;
        let object = ObjectRef {
            kind,
            name,
            columns: Vec::new(),
        };
        return Ok((rest, (object, Some(at))));
    }
    let (rest, object) = object_ref(i)?;
    Ok((rest, (object, None)))
}

/// acl_subject = "role" role_name | [ "user" ] principal ;
fn acl_subject(i: &str) -> PResult<'_, Subject> {
    let role = (kw("role"), role_name).map(|(_, r)| Subject::Role(r));
    let user = (opt(kw("user")), principal).map(|(_, p)| Subject::User(p));
    alt((role, user)).parse(i)
}

/// privilege_property = string "=" string ;
fn privilege_property(i: &str) -> PResult<'_, (String, String)> {
    (
        string_literal("a property name in quotes (\"expires\")"),
        punct('=', "'='"),
        string_literal("a property value in quotes"),
    )
        .map(|(k, _, v)| (k, v))
        .parse(i)
}

/// privilege_properties = "privilegeproperties" "(" privilege_property { "," privilege_property } ")" ;
pub(super) fn privilege_properties(i: &str) -> PResult<'_, Vec<(String, String)>> {
    let (rest, found) = opt(kw("privilegeproperties")).parse(i)?;
    if found.is_none() {
        return Ok((rest, Vec::new()));
    }
    let (rest, _) = punct('(', "'('").parse(rest)?;
    let (rest, props) = separated_list1(punct(',', "','"), privilege_property).parse(rest)?;
    let (rest, _) = punct(')', "',' or ')'").parse(rest)?;
    Ok((rest, props))
}

/// grantee = [ "user" ] principal ;
fn grantee(i: &str) -> PResult<'_, PrincipalName> {
    let (rest, _) = opt(kw("user")).parse(i)?;
    principal(rest)
}

/// What follows the word list: `to|from <grantee>` (roles) or `on <object> to|from <subject>`.
fn grant_or_revoke<'a>(input: &'a str, grant: bool) -> PResult<'a, Statement> {
    let (rest, words) = word_list(input)?;
    let direction = if grant { "to" } else { "from" };
    let (after, which) = alt((kw("on"), kw(direction))).parse(rest)?;
    if which.eq_ignore_ascii_case(direction) {
        let roles = as_roles(input, &words)?;
        let (rest, grantee) = grantee(after)?;
        let stmt = if grant {
            RoleStatement::Grant { roles, grantee }
        } else {
            RoleStatement::Revoke { roles, grantee }
        };
        return Ok((rest, Statement::Roles(stmt)));
    }
    let (rest, (object, pattern_at)) = object_or_pattern(after)?;
    let privileges = as_privileges(input, &words, &object)?;
    let (rest, _) = kw(direction).parse(rest)?;
    let subject_at = skip_blanks(rest);
    let (rest, subject) = acl_subject(rest)?;
    let properties_at = skip_blanks(rest);
    let (rest, properties) = privilege_properties(rest)?;
    match policy::from_properties(&properties) {
        Some(Ok(allow)) => {
            let Subject::Role(role) = subject else {
                return Err(nom::Err::Failure(PError::new(
                    subject_at,
                    "role <name> (policy grants go to roles only)",
                )));
            };
            let policy_grant = PolicyGrant {
                actions: privileges,
                kind: object.kind,
                pattern: object.name,
                role,
                allow,
            };
            let stmt = if grant {
                PolicyStatement::Grant(policy_grant)
            } else {
                PolicyStatement::Revoke(policy_grant)
            };
            return Ok((rest, Statement::Policy(stmt)));
        }
        Some(Err(expected)) => {
            return Err(nom::Err::Failure(PError::new(properties_at, expected)));
        }
        None => {}
    }
    if let Some(at) = pattern_at {
        return Err(nom::Err::Failure(PError::new(
            at,
            policy::PATTERN_NEEDS_POLICY,
        )));
    }
    let change = AclChange {
        privileges,
        object,
        subject,
        properties,
    };
    let stmt = if grant {
        AclStatement::Grant(change)
    } else {
        AclStatement::Revoke(change)
    };
    Ok((rest, acl(stmt)))
}

/// grant_stmt = "grant" role_list "to" grantee
///            | "grant" privilege_list "on" object_ref "to" acl_subject [ privilege_properties ] ;
pub fn grant(i: &str) -> PResult<'_, Statement> {
    grant_or_revoke(i, true)
}

/// revoke_stmt = "revoke" role_list "from" grantee
///             | "revoke" privilege_list "on" object_ref "from" acl_subject [ privilege_properties ] ;
pub fn revoke(i: &str) -> PResult<'_, Statement> {
    grant_or_revoke(i, false)
}

fn on_type(i: &str) -> PResult<'_, Option<ObjectKind>> {
    opt((kw("on"), kw("type"), object_type).map(|(_, _, t)| t)).parse(i)
}

/// show_grants = "show" "grants" [ "for" ( "role" role_name | [ "user" ] principal ) ]
///               [ "on" "type" object_type ] ;
pub fn show_grants(i: &str) -> PResult<'_, Statement> {
    let (rest, _) = kw("grants").parse(i)?;
    let (rest, subject) = opt((kw("for"), acl_subject).map(|(_, s)| s)).parse(rest)?;
    let (rest, on_type) = on_type(rest)?;
    Ok((rest, acl(AclStatement::ShowGrants { subject, on_type })))
}

fn is_object_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// show_acl = "show" "acl" "for" object_name [ "on" "type" object_type ] ;
pub fn show_acl(i: &str) -> PResult<'_, Statement> {
    let name = word(is_object_char, "an object name").map(|w: &str| w.to_ascii_lowercase());
    (kw("acl"), kw("for"), name, on_type)
        .map(|(_, _, object, on_type)| acl(AclStatement::ShowAcl { object, on_type }))
        .parse(i)
}

/// clear_expired = "clear" "expired" "grants" ;
pub fn clear_expired(i: &str) -> PResult<'_, Statement> {
    (kw("expired"), kw("grants"))
        .map(|_| acl(AclStatement::ClearExpired))
        .parse(i)
}

#[cfg(test)]
mod tests {
    use super::AclStatement;
    use crate::syntax::{ObjectKind, Privilege, RoleStatement, Statement, parse_statement};

    fn parse(text: &str) -> Statement {
        parse_statement(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn error(text: &str) -> String {
        parse_statement(text).expect_err(text).to_string()
    }

    #[test]
    fn acl_grants_parse_and_print_back() {
        match parse("GRANT describe, SELECT on TABLE Sales (Id, name) to user RAM$dev") {
            Statement::Acl(AclStatement::Grant(c)) => {
                assert_eq!(c.privileges, [Privilege::Describe, Privilege::Select]);
                assert_eq!(c.object.kind, ObjectKind::Table);
                assert_eq!(c.object.name, "sales");
                assert_eq!(c.object.columns, ["id", "name"]);
            }
            other => panic!("{other:?}"),
        }
        for text in [
            "grant CreateTable, CreateInstance, List on project MaxCompute to role worker",
            "grant Select on table t to user RAM$MainCount:dev privilegeproperties('expires'='5')",
            "revoke Select on table t from role worker",
            "grant Execute on function f to ALIYUN$bob",
            "grant Read on resource udf.jar to role r",
            "grant Read on instance 2026abc to role r",
            "grant Read on package p.pkg to role r",
            "show grants",
            "show grants for RAM$dev on type table",
            "show grants for role worker",
            "show acl for t on type table",
            "show principals worker",
            "clear expired grants",
        ] {
            let stmt = parse(text);
            assert_eq!(parse(&stmt.to_string()), stmt, "{text} → {stmt}");
        }
    }

    #[test]
    fn role_and_privilege_forms_share_the_word_list() {
        assert!(matches!(
            parse("grant worker, role_project_dev to RAM$x"),
            Statement::Roles(RoleStatement::Grant { .. })
        ));
        assert!(matches!(
            parse("revoke select on table t from RAM$x"),
            Statement::Acl(AclStatement::Revoke(_))
        ));
    }

    #[test]
    fn unknown_privileges_and_object_types_fail_where_they_stand() {
        assert_eq!(
            error("grant Execute on table t to role r"),
            "expected a privilege of tables (Describe, Select, Alter, Update, Drop, ShowHistory, Download, All), found 'Execute'"
        );
        assert!(
            error("grant Selekt on table t to role r")
                .starts_with("expected a privilege (Read, Write,")
        );
        assert_eq!(
            error("grant Select on view v to role r"),
            "expected an object type (project, table, function, resource, instance, package), found 'view'"
        );
        assert_eq!(
            error("grant ShowHistory on table t (c) to role r"),
            "expected a privilege of columns (Describe, Select, Alter, Update, Drop, All), found 'ShowHistory'"
        );
        assert_eq!(
            error("grant Select on table t"),
            "expected TO, found the end of the statement"
        );
    }
}
