//! The security settings family: `set <flag>=<value>`, `show SecurityConfiguration`, trusted
//! projects and account providers: its statements, their canonical text, their parsers and its
//! answers to the shared questions ([`Family`]). Each function follows its production in
//! `grammar/odps-security.ebnf`.

use std::fmt;

use nom::Parser;
use nom::branch::alt;

use super::ast::{AccountProvider, SecurityFlag, Statement};
use super::family::Family;
use super::lexer::{PResult, identifier, kw, skip_blanks};

/// A statement of the security settings family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingStatement {
    /// `set <key>=<value>`: a project security flag, or else a session setting. `value` is
    /// `None` when there is no `=`.
    Set { key: String, value: Option<String> },
    /// `set ProjectProtection=true with exception <file>`. `document` is the file's text once
    /// the shell read it (relative to the script's directory, or the working directory).
    ProtectWithException {
        file: String,
        document: Option<String>,
        /// Why the shell could not read the file.
        read_error: Option<String>,
    },
    /// `show SecurityConfiguration`
    ShowSecurityConfiguration,
    /// `list trustedprojects`
    ListTrustedProjects,
    /// `add trustedproject <p>`
    AddTrustedProject(String),
    /// `remove trustedproject <p>`
    RemoveTrustedProject(String),
    /// `list accountproviders`
    ListAccountProviders,
    /// `add accountprovider <provider>`
    AddAccountProvider(AccountProvider),
    /// `remove accountprovider <provider>`
    RemoveAccountProvider(AccountProvider),
}

impl fmt::Display for SettingStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingStatement::Set { key, value: None } => write!(f, "set {key}"),
            SettingStatement::Set {
                key,
                value: Some(v),
            } => write!(f, "set {key}={v}"),
            SettingStatement::ProtectWithException { file, .. } => {
                write!(f, "set ProjectProtection=true with exception {file}")
            }
            SettingStatement::ShowSecurityConfiguration => {
                f.write_str("show SecurityConfiguration")
            }
            SettingStatement::ListTrustedProjects => f.write_str("list trustedprojects"),
            SettingStatement::AddTrustedProject(p) => write!(f, "add trustedproject {p}"),
            SettingStatement::RemoveTrustedProject(p) => write!(f, "remove trustedproject {p}"),
            SettingStatement::ListAccountProviders => f.write_str("list accountproviders"),
            SettingStatement::AddAccountProvider(p) => {
                write!(f, "add accountprovider {}", p.as_str())
            }
            SettingStatement::RemoveAccountProvider(p) => {
                write!(f, "remove accountprovider {}", p.as_str())
            }
        }
    }
}

impl Family for SettingStatement {
    /// Trusted projects and account providers go as security queries; the flags and the
    /// security configuration have their own REST resource.
    fn is_security_query(&self) -> bool {
        !matches!(
            self,
            SettingStatement::Set { .. }
                | SettingStatement::ProtectWithException { .. }
                | SettingStatement::ShowSecurityConfiguration
        )
    }

    fn is_read_only(&self) -> bool {
        match self {
            SettingStatement::ShowSecurityConfiguration
            | SettingStatement::ListTrustedProjects
            | SettingStatement::ListAccountProviders => true,
            // A key that is no security flag is a session setting: nothing is saved.
            SettingStatement::Set { key, .. } => SecurityFlag::named(key).is_none(),
            _ => false,
        }
    }

    fn asks_confirmation(&self) -> bool {
        matches!(
            self,
            SettingStatement::RemoveTrustedProject(_) | SettingStatement::RemoveAccountProvider(_)
        )
    }
}

fn settings(statement: SettingStatement) -> Statement {
    Statement::Settings(statement)
}

/// The policy file of `ProjectProtection=true with exception <file>`, when the value says so.
fn exception_file<'a>(key: &str, value: &'a str) -> Option<&'a str> {
    if !key.eq_ignore_ascii_case(SecurityFlag::ProjectProtection.as_str()) {
        return None;
    }
    let mut words = value.split_whitespace();
    let (t, w, e) = (words.next()?, words.next()?, words.next()?);
    let file = words.next()?;
    let keyword = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    (keyword(t, "true") && keyword(w, "with") && keyword(e, "exception") && words.next().is_none())
        .then_some(file)
}

/// set_stmt = "set" setting_text ;
/// `setting_text` is the rest of the statement: `<key>=<value>`, split at the first `=`. Which
/// keys are security flags, and whether the value is a boolean, the engine decides (as odpscmd
/// does, a key that is not a flag is a session setting). `ProjectProtection=true with exception
/// <policy file>` names a local file.
pub fn set(i: &str) -> PResult<'_, Statement> {
    let text = skip_blanks(i).trim_end();
    if let Some((key, value)) = text.split_once('=')
        && let Some(file) = exception_file(key.trim(), value.trim())
    {
        let stmt = SettingStatement::ProtectWithException {
            file: file.to_string(),
            document: None,
            read_error: None,
        };
        return Ok(("", settings(stmt)));
    }
    let stmt = match text.split_once('=') {
        Some((key, value)) => SettingStatement::Set {
            key: key.trim().to_string(),
            value: Some(value.trim().to_string()),
        },
        None => SettingStatement::Set {
            key: text.to_string(),
            value: None,
        },
    };
    Ok(("", settings(stmt)))
}

/// show_security = "show" "securityconfiguration" ;
pub fn show_security(i: &str) -> PResult<'_, Statement> {
    kw("securityconfiguration")
        .map(|_| settings(SettingStatement::ShowSecurityConfiguration))
        .parse(i)
}

fn project_name(i: &str) -> PResult<'_, String> {
    identifier("a project name").map(str::to_string).parse(i)
}

/// add_trusted = "add" "trustedproject" project_name ;
pub fn add_trusted(i: &str) -> PResult<'_, Statement> {
    (kw("trustedproject"), project_name)
        .map(|(_, p)| settings(SettingStatement::AddTrustedProject(p)))
        .parse(i)
}

/// remove_trusted = "remove" "trustedproject" project_name ;
pub fn remove_trusted(i: &str) -> PResult<'_, Statement> {
    (kw("trustedproject"), project_name)
        .map(|(_, p)| settings(SettingStatement::RemoveTrustedProject(p)))
        .parse(i)
}

/// provider_name = "aliyun" | "ram" ;
fn provider_name(i: &str) -> PResult<'_, AccountProvider> {
    let aliyun = kw("aliyun").map(|_| AccountProvider::Aliyun);
    let ram = kw("ram").map(|_| AccountProvider::Ram);
    alt((aliyun, ram)).parse(i)
}

/// add_provider = "add" "accountprovider" provider_name ;
pub fn add_provider(i: &str) -> PResult<'_, Statement> {
    (kw("accountprovider"), provider_name)
        .map(|(_, p)| settings(SettingStatement::AddAccountProvider(p)))
        .parse(i)
}

/// remove_provider = "remove" "accountprovider" provider_name ;
pub fn remove_provider(i: &str) -> PResult<'_, Statement> {
    (kw("accountprovider"), provider_name)
        .map(|(_, p)| settings(SettingStatement::RemoveAccountProvider(p)))
        .parse(i)
}

#[cfg(test)]
mod tests {
    use super::SettingStatement;
    use crate::syntax::{AccountProvider, Statement, parse_statement};

    #[test]
    fn set_splits_at_the_first_equals_sign() {
        assert_eq!(
            parse_statement("set ProjectProtection = TRUE"),
            Ok(Statement::Settings(SettingStatement::Set {
                key: "ProjectProtection".into(),
                value: Some("TRUE".into())
            }))
        );
        assert_eq!(
            parse_statement("set odps.sql.x=a=b"),
            Ok(Statement::Settings(SettingStatement::Set {
                key: "odps.sql.x".into(),
                value: Some("a=b".into())
            }))
        );
        assert_eq!(
            parse_statement("set LabelSecurity"),
            Ok(Statement::Settings(SettingStatement::Set {
                key: "LabelSecurity".into(),
                value: None
            }))
        );
    }

    #[test]
    fn providers_are_aliyun_or_ram() {
        assert_eq!(
            parse_statement("REMOVE ACCOUNTPROVIDER Ram"),
            Ok(Statement::Settings(
                SettingStatement::RemoveAccountProvider(AccountProvider::Ram)
            ))
        );
        let e = parse_statement("add accountprovider ldap").unwrap_err();
        assert_eq!(e.to_string(), "expected ALIYUN or RAM, found 'ldap'");
        for text in [
            "show SecurityConfiguration",
            "list trustedprojects",
            "add trustedproject team_b",
            "remove trustedproject team_b",
            "list accountproviders",
            "add accountprovider RAM",
        ] {
            let stmt = parse_statement(text).unwrap();
            assert_eq!(parse_statement(&stmt.to_string()), Ok(stmt));
        }
    }
}
