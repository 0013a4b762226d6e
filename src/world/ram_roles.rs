//! RAM roles and the temporary credentials STS issues for them.
//!
//! A role is an identity without keys of its own: its trust policy says who may assume it, its
//! attached policies what it may do, and `AssumeRole` hands out an STS credential (an
//! `STS.`-prefixed AccessKeyId, a secret and a security token) that acts as the role until its
//! expiration on the world's clock.

use serde::{Deserialize, Serialize};

use super::credentials::PolicyAttachment;

/// At most this many RAM roles in an account (the RAM limits table).
pub const ROLES_PER_ACCOUNT: usize = 1000;
/// At most this many policies of each type attached to a role (as for a user).
pub const SYSTEM_POLICIES_PER_ROLE: usize = 20;
pub const CUSTOM_POLICIES_PER_ROLE: usize = 5;
/// A role's longest session, and the default (`MaxSessionDuration`, seconds).
pub const MAX_SESSION_LIMITS: (u64, u64) = (3600, 43_200);
pub const DEFAULT_MAX_SESSION: u64 = 3600;
/// `DurationSeconds` of `AssumeRole`: at least 15 minutes, at most the role's longest session;
/// one hour when not given.
pub const MIN_DURATION: u64 = 900;
pub const DEFAULT_DURATION: u64 = 3600;
/// A session assumed by a session (role chaining) lasts at most an hour.
pub const CHAINED_DURATION_LIMIT: u64 = 3600;
/// The prefix of an STS AccessKeyId.
pub const STS_KEY_PREFIX: &str = "STS.";
/// How long an expired credential is kept, so that using it is answered "expired" rather than
/// "not found" (a day of the world's clock); older ones are dropped when a new one is issued.
pub const EXPIRED_KEPT_FOR: u64 = 86_400;

/// A RAM role of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RamRole {
    /// The numeric RoleId RAM assigns (19 digits), also the role's id as a project member.
    pub id: u64,
    /// Unique in its account, case-insensitively.
    pub name: String,
    pub description: String,
    /// The trust policy (`AssumeRolePolicyDocument`), as given.
    pub trust_policy: String,
    /// The longest session `AssumeRole` may ask for, in seconds.
    pub max_session: u64,
    pub created: u64,
    pub updated: u64,
    pub policies: Vec<PolicyAttachment>,
}

/// Temporary credentials STS issued for a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StsCredential {
    /// `STS.` and 25 alphanumerics.
    pub access_key_id: String,
    pub secret: String,
    pub security_token: String,
    /// The role it acts as.
    pub role: u64,
    pub session_name: String,
    pub issued: u64,
    /// The world-clock second from which it no longer authenticates.
    pub expires: u64,
}

impl StsCredential {
    pub fn expired_at(&self, now: u64) -> bool {
        now >= self.expires
    }
}

/// Role names: 1–64 letters, digits, `.` and `-` (RAM's CreateRole).
pub fn check_role_name(name: &str) -> Result<(), super::NameProblem> {
    if name.is_empty() || name.chars().count() > 64 {
        return Err(super::NameProblem::Length);
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    {
        return Err(super::NameProblem::InvalidChars);
    }
    Ok(())
}

/// `RoleSessionName`: 2–64 letters, digits, `.`, `@`, `-` and `_`.
pub fn valid_session_name(name: &str) -> bool {
    (2..=64).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '@' | '-' | '_'))
}

/// The ARN of a role: `acs:ram::<account>:role/<name>` (lower-cased name, as RAM prints it).
pub fn role_arn(account: u64, name: &str) -> String {
    format!("acs:ram::{account}:role/{}", name.to_ascii_lowercase())
}

/// The account id and role name of a role ARN, if it is one.
pub fn parse_role_arn(arn: &str) -> Option<(u64, &str)> {
    let rest = arn.strip_prefix("acs:ram::")?;
    let (account, role) = rest.split_once(':')?;
    let name = role.strip_prefix("role/")?;
    let account = account.parse().ok()?;
    (!name.is_empty()).then_some((account, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::NameProblem;

    #[test]
    fn role_names_follow_create_roles_rules() {
        assert_eq!(check_role_name("etl-job.v2"), Ok(()));
        assert_eq!(check_role_name("etl_job"), Err(NameProblem::InvalidChars));
        assert_eq!(check_role_name(""), Err(NameProblem::Length));
        assert_eq!(check_role_name(&"r".repeat(65)), Err(NameProblem::Length));
    }

    #[test]
    fn session_names_and_arns() {
        assert!(valid_session_name("nightly-etl@2026"));
        assert!(!valid_session_name("a"));
        assert!(!valid_session_name("has space"));
        assert_eq!(role_arn(5527, "ETL"), "acs:ram::5527:role/etl");
        assert_eq!(
            parse_role_arn("acs:ram::5527:role/etl"),
            Some((5527, "etl"))
        );
        assert_eq!(parse_role_arn("acs:ram::5527:user/etl"), None);
        assert_eq!(parse_role_arn("acs:ram::x:role/etl"), None);
        assert_eq!(parse_role_arn("acs:ram::5527:role/"), None);
    }
}
