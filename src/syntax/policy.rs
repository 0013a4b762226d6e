//! The policy family: policy-based access control in statement form (`grant <actions> on
//! <type> <name or pattern> to role <r> privilegeproperties("policy"="true"[, "allow"=…])`
//! and its `revoke`) and as documents (`put policy <file> [on role <r>]`, `get policy [on role
//! <r>]`). Its statements, their canonical text, their parsers and its answers to the shared
//! questions ([`Family`]). A policy grant starts like an ACL grant, so the `grant`/`revoke`
//! parser (`acl.rs`) hands one over here once it has read its properties. Each function
//! follows its production in `grammar/odps-security.ebnf`.

use std::fmt;

use nom::Parser;
use nom::combinator::opt;

use super::ast::{RoleName, Statement};
use super::family::Family;
use super::lexer::{PError, PResult, kw, skip_blanks, word};
use super::principal::role_name;
use super::vocabulary::{ObjectKind, Privilege};

/// A policy grant or revoke: actions on objects of a kind whose names match `pattern` (`*`
/// for any run of characters; the project's own name for a project), for a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyGrant {
    pub actions: Vec<Privilege>,
    pub kind: ObjectKind,
    pub pattern: String,
    pub role: RoleName,
    /// `"allow"="false"` (or `"deny"="true"`): a Deny statement.
    pub allow: bool,
}

/// A statement of the policy family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyStatement {
    Grant(PolicyGrant),
    Revoke(PolicyGrant),
    /// `put policy <file> [on role <r>]`. `document` is the file's text once the shell read
    /// it (relative to the script's directory, or the working directory).
    Put {
        file: String,
        role: Option<RoleName>,
        document: Option<String>,
        /// Why the shell could not read the file.
        read_error: Option<String>,
    },
    /// `get policy [on role <r>]`
    Get {
        role: Option<RoleName>,
    },
}

impl PolicyGrant {
    fn write(&self, f: &mut fmt::Formatter<'_>, verb: &str, to: &str) -> fmt::Result {
        let actions: Vec<&str> = self.actions.iter().map(|p| p.as_str()).collect();
        write!(
            f,
            "{verb} {} on {} {} {to} role {} privilegeproperties(\"policy\"=\"true\", \"allow\"=\"{}\")",
            actions.join(", "),
            self.kind,
            self.pattern,
            self.role,
            self.allow
        )
    }
}

impl fmt::Display for PolicyStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyStatement::Grant(g) => g.write(f, "grant", "to"),
            PolicyStatement::Revoke(g) => g.write(f, "revoke", "from"),
            PolicyStatement::Put { file, role, .. } => {
                write!(f, "put policy {file}")?;
                if let Some(r) = role {
                    write!(f, " on role {r}")?;
                }
                Ok(())
            }
            PolicyStatement::Get { role } => {
                f.write_str("get policy")?;
                if let Some(r) = role {
                    write!(f, " on role {r}")?;
                }
                Ok(())
            }
        }
    }
}

impl Family for PolicyStatement {
    fn is_security_query(&self) -> bool {
        true
    }

    fn is_read_only(&self) -> bool {
        matches!(self, PolicyStatement::Get { .. })
    }
}

/// What the `grant`/`revoke` parser read, with `"policy"="true"` among its properties: the
/// policy grant, or the reason it is not one.
pub(super) fn from_properties(
    properties: &[(String, String)],
) -> Option<Result<bool, &'static str>> {
    let policy = properties
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("policy"))?;
    if !policy.1.eq_ignore_ascii_case("true") {
        return None;
    }
    let mut allow = true;
    for (k, v) in properties {
        let yes = v.eq_ignore_ascii_case("true");
        let no = v.eq_ignore_ascii_case("false");
        match k.to_ascii_lowercase().as_str() {
            "policy" => {}
            "allow" if yes || no => allow = yes,
            "deny" if yes || no => allow = no,
            "allow" | "deny" => return Some(Err("\"true\" or \"false\"")),
            _ => return Some(Err(POLICY_PROPERTIES)),
        }
    }
    Some(Ok(allow))
}

/// The properties a policy grant takes.
pub const POLICY_PROPERTIES: &str =
    "the properties of a policy grant: \"policy\"=\"true\", \"allow\"=\"true\"|\"false\"";

/// What a name with `*` needs.
pub const PATTERN_NEEDS_POLICY: &str = "an object name (a name with * is a pattern: only a policy grant to a role takes one, with privilegeproperties(\"policy\"=\"true\"))";

fn is_pattern_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '*')
}

/// object_pattern = pattern_char { pattern_char } ;  (letters, digits, ".", "_", "-", "*")
pub(super) fn object_pattern(i: &str) -> PResult<'_, String> {
    word(is_pattern_char, "an object name or pattern")
        .map(|w: &str| w.to_ascii_lowercase())
        .parse(i)
}

/// Whether the text at `i` (after blanks) is a name with a `*`: a pattern.
pub(super) fn pattern_ahead(i: &str) -> bool {
    let rest = skip_blanks(i);
    let n = rest
        .find(|c: char| !is_pattern_char(c))
        .unwrap_or(rest.len());
    rest[..n].contains('*')
}

fn on_role(i: &str) -> PResult<'_, Option<RoleName>> {
    opt((kw("on"), kw("role"), role_name).map(|(_, _, r)| r)).parse(i)
}

fn is_file_char(c: char) -> bool {
    !c.is_whitespace() && c != ';'
}

/// put_policy = "put" "policy" local_file [ "on" "role" role_name ] ;
pub(super) fn put_policy(i: &str) -> PResult<'_, Statement> {
    let (rest, _) = kw("policy").parse(i)?;
    let start = skip_blanks(rest);
    let (rest, file) = word(is_file_char, "a policy file").parse(rest)?;
    if file.eq_ignore_ascii_case("on") {
        return Err(nom::Err::Failure(PError::new(start, "a policy file")));
    }
    let (rest, role) = on_role(rest)?;
    Ok((
        rest,
        Statement::Policy(PolicyStatement::Put {
            file: file.to_string(),
            role,
            document: None,
            read_error: None,
        }),
    ))
}

/// get_policy = "get" "policy" [ "on" "role" role_name ] ;
pub(super) fn get_policy(i: &str) -> PResult<'_, Statement> {
    (kw("policy"), on_role)
        .map(|(_, role)| Statement::Policy(PolicyStatement::Get { role }))
        .parse(i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_statement;

    fn parse(text: &str) -> Statement {
        parse_statement(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn policy_statements_parse_and_print_back() {
        for text in [
            "grant Drop on table tb_* to role r privilegeproperties(\"policy\"=\"true\", \"allow\"=\"false\")",
            "grant Select on table * to role aliyun_test privilegeproperties(\"policy\" = \"true\", \"allow\"=\"true\")",
            "grant Read on project dataworks_test to role r privilegeproperties('policy'='true')",
            "revoke Drop on table tb_* from role r privilegeproperties(\"policy\"=\"true\", \"deny\"=\"true\")",
            "put policy policies/p.json",
            "put policy ./r.json on role sale_admin",
            "get policy",
            "get policy on role sale_admin",
        ] {
            let stmt = parse(text);
            assert!(matches!(stmt, Statement::Policy(_)), "{text}: {stmt:?}");
            assert_eq!(parse(&stmt.to_string()), stmt, "{text} → {stmt}");
        }
        match parse(
            "grant Drop on table TB_* to role R privilegeproperties(\"policy\"=\"true\", \"allow\"=\"false\")",
        ) {
            Statement::Policy(PolicyStatement::Grant(g)) => {
                assert_eq!((g.pattern.as_str(), g.allow), ("tb_*", false));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_pattern_needs_a_policy_grant_to_a_role() {
        let e = parse_statement("grant Drop on table tb_* to role r").unwrap_err();
        assert!(e.to_string().contains("a name with * is a pattern"), "{e}");
        let e = parse_statement(
            "grant Drop on table t to user RAM$x privilegeproperties(\"policy\"=\"true\")",
        )
        .unwrap_err();
        assert!(e.to_string().contains("policy grants go to roles"), "{e}");
        let e = parse_statement(
            "grant Drop on table t to role r privilegeproperties(\"policy\"=\"true\", \"allow\"=\"maybe\")",
        )
        .unwrap_err();
        assert!(e.to_string().contains("\"true\" or \"false\""), "{e}");
    }
}
