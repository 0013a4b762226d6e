//! Project security settings: `set <flag>=<value>`, `show SecurityConfiguration`, trusted
//! projects and account providers. Each function follows its production in
//! `grammar/odps-security.ebnf`.

use nom::Parser;
use nom::branch::alt;

use super::ast::{ProviderName, Statement};
use super::lexer::{PResult, identifier, kw, skip_blanks};

/// set_stmt = "set" setting_text ;
/// `setting_text` is the rest of the statement: `<key>=<value>`, split at the first `=`. Which
/// keys are security flags, and whether the value is a boolean, the engine decides (as odpscmd
/// does, a key that is not a flag is a session setting).
pub fn set(i: &str) -> PResult<'_, Statement> {
    let text = skip_blanks(i).trim_end();
    let stmt = match text.split_once('=') {
        Some((key, value)) => Statement::Set {
            key: key.trim().to_string(),
            value: Some(value.trim().to_string()),
        },
        None => Statement::Set {
            key: text.to_string(),
            value: None,
        },
    };
    Ok(("", stmt))
}

/// show_security = "show" "securityconfiguration" ;
pub fn show_security(i: &str) -> PResult<'_, Statement> {
    kw("securityconfiguration")
        .map(|_| Statement::ShowSecurityConfiguration)
        .parse(i)
}

fn project_name(i: &str) -> PResult<'_, String> {
    identifier("a project name").map(str::to_string).parse(i)
}

/// add_trusted = "add" "trustedproject" project_name ;
pub fn add_trusted(i: &str) -> PResult<'_, Statement> {
    (kw("trustedproject"), project_name)
        .map(|(_, p)| Statement::AddTrustedProject(p))
        .parse(i)
}

/// remove_trusted = "remove" "trustedproject" project_name ;
pub fn remove_trusted(i: &str) -> PResult<'_, Statement> {
    (kw("trustedproject"), project_name)
        .map(|(_, p)| Statement::RemoveTrustedProject(p))
        .parse(i)
}

/// provider_name = "aliyun" | "ram" ;
fn provider_name(i: &str) -> PResult<'_, ProviderName> {
    let aliyun = kw("aliyun").map(|_| ProviderName::Aliyun);
    let ram = kw("ram").map(|_| ProviderName::Ram);
    alt((aliyun, ram)).parse(i)
}

/// add_provider = "add" "accountprovider" provider_name ;
pub fn add_provider(i: &str) -> PResult<'_, Statement> {
    (kw("accountprovider"), provider_name)
        .map(|(_, p)| Statement::AddAccountProvider(p))
        .parse(i)
}

/// remove_provider = "remove" "accountprovider" provider_name ;
pub fn remove_provider(i: &str) -> PResult<'_, Statement> {
    (kw("accountprovider"), provider_name)
        .map(|(_, p)| Statement::RemoveAccountProvider(p))
        .parse(i)
}

#[cfg(test)]
mod tests {
    use crate::syntax::{ProviderName, Statement, parse_statement};

    #[test]
    fn set_splits_at_the_first_equals_sign() {
        assert_eq!(
            parse_statement("set ProjectProtection = TRUE"),
            Ok(Statement::Set {
                key: "ProjectProtection".into(),
                value: Some("TRUE".into())
            })
        );
        assert_eq!(
            parse_statement("set odps.sql.x=a=b"),
            Ok(Statement::Set {
                key: "odps.sql.x".into(),
                value: Some("a=b".into())
            })
        );
        assert_eq!(
            parse_statement("set LabelSecurity"),
            Ok(Statement::Set {
                key: "LabelSecurity".into(),
                value: None
            })
        );
    }

    #[test]
    fn providers_are_aliyun_or_ram() {
        assert_eq!(
            parse_statement("REMOVE ACCOUNTPROVIDER Ram"),
            Ok(Statement::RemoveAccountProvider(ProviderName::Ram))
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
