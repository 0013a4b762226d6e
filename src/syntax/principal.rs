//! Principal names and role names.
//!
//! ```text
//! principal   = "`" principal_text "`" | principal_text ;
//! principal_text = provider "$" body | internal_id ;
//! ```
//! The parser only classifies the text; whether the name exists is the engine's question.

use nom::Parser;

use super::ast::{PrincipalName, RoleName};
use super::lexer::{PError, PResult, identifier, skip_blanks, word};

pub const EXPECTED_PRINCIPAL: &str = "a user name (ALIYUN$<account>, RAM$[<account>:]<user>, `RAM$<account>:role/<role>` or p4_<id>)";

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '$' | '@' | '.' | '-' | '_' | ':')
}

fn is_body_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '-' | '_')
}

fn valid_body(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_body_char)
}

/// An internal principal id: `p4_` or `v4_` and digits.
fn internal_id(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let digits = lower
        .strip_prefix("p4_")
        .or_else(|| lower.strip_prefix("v4_"));
    digits.is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
}

/// Classifies principal text; `None` when it is not a principal name at all.
fn classify(text: &str, backquoted: bool) -> Option<PrincipalName> {
    let Some((provider, body)) = text.split_once('$') else {
        return internal_id(text).then(|| PrincipalName::Internal(text.to_string()));
    };
    if provider.is_empty() || !provider.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    if provider.eq_ignore_ascii_case("aliyun") {
        return valid_body(body).then(|| PrincipalName::Aliyun {
            account: body.to_string(),
        });
    }
    if !provider.eq_ignore_ascii_case("ram") {
        let ok = !body.is_empty() && body.chars().all(|c| is_body_char(c) || c == ':');
        return ok.then(|| PrincipalName::OtherProvider {
            provider: provider.to_string(),
            body: body.to_string(),
        });
    }
    match body.split_once(':') {
        None => valid_body(body).then(|| PrincipalName::RamUser {
            account: None,
            user: body.to_string(),
        }),
        Some((account, rest)) => {
            if !valid_body(account) {
                return None;
            }
            if let Some(role) = rest.strip_prefix("role/") {
                return (backquoted && valid_body(role)).then(|| PrincipalName::RamRole {
                    account: account.to_string(),
                    role: role.to_string(),
                });
            }
            valid_body(rest).then(|| PrincipalName::RamUser {
                account: Some(account.to_string()),
                user: rest.to_string(),
            })
        }
    }
}

/// A principal name, bare or back-quoted.
pub fn principal(input: &str) -> PResult<'_, PrincipalName> {
    let i = skip_blanks(input);
    if let Some(inner) = i.strip_prefix('`') {
        let Some(close) = inner.find('`') else {
            return Err(nom::Err::Failure(PError::new(
                &i[i.len()..],
                "a closing back-quote (`)",
            )));
        };
        return match classify(&inner[..close], true) {
            Some(name) => Ok((&inner[close + 1..], name)),
            None => Err(nom::Err::Error(PError::new(i, EXPECTED_PRINCIPAL))),
        };
    }
    let (rest, text) = word(is_name_char, EXPECTED_PRINCIPAL).parse(i)?;
    match classify(text, false) {
        Some(name) => Ok((rest, name)),
        None => Err(nom::Err::Error(PError::new(i, EXPECTED_PRINCIPAL))),
    }
}

pub const EXPECTED_ROLE: &str = "a role name";

/// Words that end a role list and so cannot name a role.
pub const RESERVED: [&str; 4] = ["to", "from", "on", "user"];

/// A project role name: a letter, then letters, digits and `_`, at most 64 characters.
pub fn role_name(input: &str) -> PResult<'_, RoleName> {
    let (rest, text) = identifier(EXPECTED_ROLE).parse(input)?;
    if RESERVED.iter().any(|r| text.eq_ignore_ascii_case(r)) {
        return Err(nom::Err::Error(PError::new(
            skip_blanks(input),
            EXPECTED_ROLE,
        )));
    }
    if text.len() > 64 {
        return Err(nom::Err::Failure(PError::new(
            skip_blanks(input),
            "a role name of at most 64 characters",
        )));
    }
    Ok((rest, RoleName::new(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Option<PrincipalName> {
        principal(text)
            .ok()
            .filter(|(rest, _)| rest.is_empty())
            .map(|(_, p)| p)
    }

    #[test]
    fn recognises_every_documented_form() {
        assert_eq!(
            parse("ALIYUN$bob@aliyun.com"),
            Some(PrincipalName::Aliyun {
                account: "bob@aliyun.com".into()
            })
        );
        assert_eq!(
            parse("ram$MainCount:hanmeimei"),
            Some(PrincipalName::RamUser {
                account: Some("MainCount".into()),
                user: "hanmeimei".into()
            })
        );
        assert_eq!(
            parse("RAM$ram_test"),
            Some(PrincipalName::RamUser {
                account: None,
                user: "ram_test".into()
            })
        );
        assert_eq!(
            parse("`RAM$5527380164285788:role/ram_role`"),
            Some(PrincipalName::RamRole {
                account: "5527380164285788".into(),
                role: "ram_role".into()
            })
        );
        assert_eq!(
            parse("p4_2652900123456789"),
            Some(PrincipalName::Internal("p4_2652900123456789".into()))
        );
        assert_eq!(
            parse("LDAP$bob"),
            Some(PrincipalName::OtherProvider {
                provider: "LDAP".into(),
                body: "bob".into()
            })
        );
    }

    #[test]
    fn rejects_what_is_no_principal() {
        for bad in [
            "bob",
            "RAM$",
            "ALIYUN$a:b",
            "RAM$a:",
            "RAM$:b",
            "p4_",
            "p4_12x",
            "$x",
            "`RAM$a`x",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        // A RAM role needs its back-quotes: `/` cannot appear in a bare name.
        assert!(parse("RAM$a:role/r").is_none());
    }

    #[test]
    fn role_names_fold_to_lower_case() {
        assert_eq!(role_name("Worker").unwrap().1.as_str(), "worker");
        assert!(role_name("1abc").is_err());
        assert!(role_name(&"a".repeat(65)).is_err());
    }
}
