//! Which statement a block of a capture ran: the few the capture script runs, recognised by
//! their words (odpscmd accepts any case and spacing, and so does this).

use super::facts::{Principal, principal};
use crate::vocabulary::ObjectKind;

/// A statement whose output `odpsh import` reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Whoami,
    ListUsers,
    ListRoles,
    DescribeRole(String),
    ShowGrantsFor(Principal),
    ShowAcl(ObjectKind, String),
    ShowSecurity,
    /// `show tables;`.
    ShowTables,
    /// `desc <table>;`, lower-cased.
    DescTable(String),
    /// `show label grants on table <t>;`, lower-cased.
    LabelGrantsOn(String),
    /// `show label grants for user <p>;`.
    LabelGrantsFor(Principal),
    /// `get policy;` (the project's) or `get policy on role <r>;` (a role's, lower-cased).
    GetPolicy(Option<String>),
    ListTrusted,
    ListProviders,
    SetProject,
    Use(String),
    /// `aliyun ram <Action> [--UserName <u> | --RoleName <r> | --GroupName <g>] …`.
    Ram {
        action: RamAction,
        /// The name the listing is about, if it is about one.
        name: Option<String>,
    },
    /// `aliyun sts GetCallerIdentity`.
    CallerIdentity,
}

/// The RAM listings a capture holds (the API's action names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)]
pub enum RamAction {
    ListUsers,
    ListAccessKeys,
    ListPoliciesForUser,
    ListGroupsForUser,
    ListRoles,
    GetRole,
    ListPoliciesForRole,
    ListGroups,
    ListPoliciesForGroup,
    GetLoginProfile,
    ListVirtualMFADevices,
    ListPolicies,
    ListPolicyVersions,
}

/// Which name a listing is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    Nothing,
    /// `ListAccessKeys` lists the main account's keys without one.
    MaybeUser,
    User,
    Role,
    Group,
    Policy,
}

impl RamAction {
    pub const EVERY: [RamAction; 13] = [
        RamAction::ListUsers,
        RamAction::ListAccessKeys,
        RamAction::ListPoliciesForUser,
        RamAction::ListGroupsForUser,
        RamAction::ListRoles,
        RamAction::GetRole,
        RamAction::ListPoliciesForRole,
        RamAction::ListGroups,
        RamAction::ListPoliciesForGroup,
        RamAction::GetLoginProfile,
        RamAction::ListVirtualMFADevices,
        RamAction::ListPolicies,
        RamAction::ListPolicyVersions,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RamAction::ListUsers => "ListUsers",
            RamAction::ListAccessKeys => "ListAccessKeys",
            RamAction::ListPoliciesForUser => "ListPoliciesForUser",
            RamAction::ListGroupsForUser => "ListGroupsForUser",
            RamAction::ListRoles => "ListRoles",
            RamAction::GetRole => "GetRole",
            RamAction::ListPoliciesForRole => "ListPoliciesForRole",
            RamAction::ListGroups => "ListGroups",
            RamAction::ListPoliciesForGroup => "ListPoliciesForGroup",
            RamAction::GetLoginProfile => "GetLoginProfile",
            RamAction::ListVirtualMFADevices => "ListVirtualMFADevices",
            RamAction::ListPolicies => "ListPolicies",
            RamAction::ListPolicyVersions => "ListPolicyVersions",
        }
    }

    /// What a document of this listing must hold, as a refusal says.
    pub fn expected(self) -> &'static str {
        use super::texts;
        match self {
            RamAction::ListUsers => texts::EXPECTED_LIST_USERS,
            RamAction::ListAccessKeys => texts::EXPECTED_LIST_KEYS,
            RamAction::ListPoliciesForUser => texts::EXPECTED_LIST_POLICIES,
            RamAction::ListGroupsForUser => texts::EXPECTED_LIST_GROUPS,
            RamAction::ListRoles => texts::EXPECTED_LIST_ROLES,
            RamAction::GetRole => texts::EXPECTED_GET_ROLE,
            RamAction::ListPoliciesForRole => texts::EXPECTED_LIST_ROLE_POLICIES,
            RamAction::ListGroups => texts::EXPECTED_LIST_GROUPS_ALL,
            RamAction::ListPoliciesForGroup => texts::EXPECTED_LIST_GROUP_POLICIES,
            RamAction::GetLoginProfile => texts::EXPECTED_LOGIN_PROFILE,
            RamAction::ListVirtualMFADevices => texts::EXPECTED_MFA_DEVICES,
            RamAction::ListPolicies => texts::EXPECTED_LIST_CUSTOM_POLICIES,
            RamAction::ListPolicyVersions => texts::EXPECTED_POLICY_VERSIONS,
        }
    }

    fn needs(self) -> Needs {
        match self {
            RamAction::ListUsers
            | RamAction::ListRoles
            | RamAction::ListGroups
            | RamAction::ListVirtualMFADevices
            | RamAction::ListPolicies => Needs::Nothing,
            RamAction::ListAccessKeys => Needs::MaybeUser,
            RamAction::ListPoliciesForUser
            | RamAction::ListGroupsForUser
            | RamAction::GetLoginProfile => Needs::User,
            RamAction::GetRole | RamAction::ListPoliciesForRole => Needs::Role,
            RamAction::ListPoliciesForGroup => Needs::Group,
            RamAction::ListPolicyVersions => Needs::Policy,
        }
    }
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn aliyun(words: &[&str]) -> Option<Command> {
    match words {
        ["sts", a] if a.eq_ignore_ascii_case("GetCallerIdentity") => Some(Command::CallerIdentity),
        ["ram", action, rest @ ..] => {
            let action = RamAction::EVERY
                .into_iter()
                .find(|a| a.as_str().eq_ignore_ascii_case(action))?;
            // The one name flag a listing may have, and which it is.
            let mut named: Option<(Needs, String)> = None;
            // `--PolicyType` of the policy listings: custom policies are what they capture.
            let mut policy_type: Option<&str> = None;
            let mut flags = rest.iter();
            while let Some(flag) = flags.next() {
                let value = flags.next()?.trim_matches(|c| c == '"' || c == '\'');
                let kind = [
                    ("--UserName", Needs::User),
                    ("--RoleName", Needs::Role),
                    ("--GroupName", Needs::Group),
                    ("--PolicyName", Needs::Policy),
                ]
                .into_iter()
                .find(|(f, _)| flag.eq_ignore_ascii_case(f));
                match kind {
                    Some(_) if named.is_some() => return None,
                    Some((_, kind)) => named = Some((kind, value.to_string())),
                    None if flag.eq_ignore_ascii_case("--MaxItems")
                        || flag.eq_ignore_ascii_case("--Marker") => {}
                    None if flag.eq_ignore_ascii_case("--PolicyType") => policy_type = Some(value),
                    None => return None,
                }
            }
            let custom = policy_type.is_none_or(|t| t.eq_ignore_ascii_case("Custom"));
            let typed = match action {
                RamAction::ListPolicies => custom,
                RamAction::ListPolicyVersions => policy_type.is_some() && custom,
                _ => policy_type.is_none(),
            };
            if !typed {
                return None;
            }
            let fits = match (action.needs(), &named) {
                (Needs::Nothing, None) | (Needs::MaybeUser, None) => true,
                (Needs::MaybeUser, Some((kind, _))) => *kind == Needs::User,
                (needs, Some((kind, _))) => needs == *kind,
                (_, None) => false,
            };
            fits.then(|| Command::Ram {
                action,
                name: named.map(|(_, n)| n),
            })
        }
        _ => None,
    }
}

/// The statement `text` is, if it is one `odpsh import` reads.
pub fn recognise(text: &str) -> Option<Command> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix("aliyun ") {
        let words: Vec<&str> = rest.split_whitespace().collect();
        return aliyun(&words);
    }
    let body = text.strip_suffix(';')?.trim();
    if body.contains(';') {
        return None;
    }
    // The statement a capture runs most (once per member), without splitting it into words.
    const GRANTS_FOR: &str = "show grants for ";
    if body.len() > GRANTS_FOR.len()
        && body.is_char_boundary(GRANTS_FOR.len())
        && body[..GRANTS_FOR.len()].eq_ignore_ascii_case(GRANTS_FOR)
    {
        let rest = body[GRANTS_FOR.len()..].trim();
        if !rest.contains(char::is_whitespace) {
            return principal(rest).map(Command::ShowGrantsFor);
        }
    }
    let words: Vec<&str> = body.split_whitespace().collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    match lower.as_slice() {
        ["whoami"] => Some(Command::Whoami),
        ["list", "users"] => Some(Command::ListUsers),
        ["list", "roles"] => Some(Command::ListRoles),
        ["describe" | "desc", "role", _] if is_name(words[2]) => {
            Some(Command::DescribeRole(words[2].to_ascii_lowercase()))
        }
        ["show", "grants", "for", _] => principal(words[3]).map(Command::ShowGrantsFor),
        ["show", "acl", "for", _] => Some(Command::ShowAcl(ObjectKind::Table, lower[3].into())),
        ["show", "acl", "for", _, "on", "type", kind] => {
            let kind = ObjectKind::named(kind)?;
            Some(Command::ShowAcl(kind, lower[3].into()))
        }
        ["show", "securityconfiguration"] => Some(Command::ShowSecurity),
        ["show", "tables"] => Some(Command::ShowTables),
        ["describe" | "desc", t] if is_name(words[1]) && !matches!(*t, "role" | "instance") => {
            Some(Command::DescTable(lower[1].to_string()))
        }
        ["show", "label", "grants", "on", "table", t] if is_name(t) => {
            Some(Command::LabelGrantsOn(t.to_string()))
        }
        ["show", "label", "grants", "for", "user", _] => {
            principal(words[5]).map(Command::LabelGrantsFor)
        }
        ["get", "policy"] => Some(Command::GetPolicy(None)),
        ["get", "policy", "on", "role", _] if is_name(words[4]) => {
            Some(Command::GetPolicy(Some(lower[4].to_string())))
        }
        ["list", "trustedprojects"] => Some(Command::ListTrusted),
        ["list", "accountproviders"] => Some(Command::ListProviders),
        ["setproject"] => Some(Command::SetProject),
        ["use", _] if is_name(words[1]) => Some(Command::Use(words[1].to_string())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_in_any_case_and_spacing() {
        assert_eq!(recognise("WHOAMI ;"), Some(Command::Whoami));
        assert_eq!(
            recognise("describe  role Analyst;"),
            Some(Command::DescribeRole("analyst".into()))
        );
        assert_eq!(
            recognise("show grants for p4_123;"),
            Some(Command::ShowGrantsFor(Principal::Residual(123)))
        );
        assert_eq!(
            recognise("aliyun ram ListAccessKeys --UserName bob"),
            Some(Command::Ram {
                action: RamAction::ListAccessKeys,
                name: Some("bob".into()),
            })
        );
        assert_eq!(recognise("aliyun ram ListGroupsForUser"), None);
        assert_eq!(
            recognise("show grants for `RAM$5527:role/etl`;"),
            Some(Command::ShowGrantsFor(Principal::RamRole {
                account: "5527".into(),
                role: "etl".into()
            }))
        );
        assert_eq!(
            recognise("show grants for v4_300000004209191120;"),
            Some(Command::ShowGrantsFor(Principal::ResidualRole(
                300_000_004_209_191_120
            )))
        );
    }

    #[test]
    fn listings_name_what_they_are_about_and_only_that() {
        assert_eq!(
            recognise("aliyun ram GetRole --RoleName \"etl\""),
            Some(Command::Ram {
                action: RamAction::GetRole,
                name: Some("etl".into()),
            })
        );
        assert_eq!(
            recognise("aliyun ram ListRoles --MaxItems 1000"),
            Some(Command::Ram {
                action: RamAction::ListRoles,
                name: None,
            })
        );
        assert_eq!(recognise("aliyun ram ListPoliciesForRole"), None);
        assert_eq!(recognise("aliyun ram ListRoles --RoleName etl"), None);
        assert_eq!(
            recognise("aliyun ram ListPoliciesForRole --RoleName etl --UserName bob"),
            None
        );
        assert_eq!(
            recognise("aliyun ram ListPoliciesForUser --RoleName etl"),
            None
        );
        assert_eq!(recognise("GET POLICY;"), Some(Command::GetPolicy(None)));
        assert_eq!(
            recognise("get policy on role Analyst;"),
            Some(Command::GetPolicy(Some("analyst".into())))
        );
        assert_eq!(recognise("get policy on role;"), None);
        assert_eq!(recognise("show tables;"), Some(Command::ShowTables));
        assert_eq!(
            recognise("DESC Customers;"),
            Some(Command::DescTable("customers".into()))
        );
        assert_eq!(
            recognise("show label grants for user `RAM$5527:role/etl`;"),
            Some(Command::LabelGrantsFor(Principal::RamRole {
                account: "5527".into(),
                role: "etl".into()
            }))
        );
        assert_eq!(recognise("show label grants;"), None);
        assert_eq!(recognise("whoami"), None);
    }
}
