//! Every failure the engine reports, with its exact text. These strings are what users compare
//! with the real service: each lives here once, and `tests` below pins each of them.
//! Texts marked "documented" are quoted from MaxCompute and RAM documentation; the others are
//! odpsh's own wording where the service's text is not published (see grammar/DECISIONS.md).
//! Families with many members have their own files: `ram` (RAM API errors), `objects`
//! (objects, grants and security settings) and `denied` (access denied on objects).

use super::code::Code;

mod denied;
mod objects;
mod ram;
mod ram_iam;
mod ram_policy;
mod ram_roles;

pub use denied::{Channel, Denied, Refusal, protection_tip};
pub use objects::ObjectError;
pub use ram::RamError;

/// A MaxCompute failure: printed `FAILED: <message>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OdpsError {
    /// Documented: a name with no account-system prefix, such as a residual `p4_…` member.
    #[error("lack of account provider")]
    LackOfAccountProvider,
    /// Documented: a name whose account system the project does not know.
    #[error("lack of account provider, principalName {0}")]
    ProviderNotEnabled(String),
    /// Documented: a well-formed name that no account resolves.
    #[error("Invalid account Name {0}")]
    InvalidAccountName(String),
    /// Documented (as clients log it).
    #[error("ODPS-0410051:Invalid credentials - accessKeyId not found: {0}")]
    AccessKeyNotFound(String),
    /// odpsh's choice in the documented ODPS-0410051 family: a disabled key.
    #[error("ODPS-0410051:Invalid credentials - accessKeyId is disabled: {0}")]
    AccessKeyInactive(String),
    /// odpsh's choice in the documented ODPS-0410051 family: an STS AccessKeyId without the
    /// security token it was issued with.
    #[error("ODPS-0410051:Invalid credentials - an STS AccessKeyId needs its security token: {0}")]
    SecurityTokenMissing(String),
    /// odpsh's choice in the documented ODPS-0410051 family: an STS credential past its
    /// Expiration.
    #[error("ODPS-0410051:Invalid credentials - the security token has expired: {0}")]
    SecurityTokenExpired(String),
    /// odpsh's choice in the documented ODPS-0410051 family: a token that is not the one issued
    /// with the AccessKeyId (or a token with a permanent AccessKey).
    #[error(
        "ODPS-0410051:Invalid credentials - the security token does not match the AccessKeyId: {0}"
    )]
    SecurityTokenMismatch(String),
    /// Documented.
    #[error("ODPS-0410042:Invalid signature value - User signature does not match")]
    SignatureMismatch,
    /// Documented.
    #[error("ODPS-0420111: Project not found - '{0}'.")]
    ProjectNotFound(String),
    /// Documented.
    #[error("ODPS-0420095: Access Denied - You don't exist in project {0}.")]
    NotInProject(String),
    /// Documented.
    #[error(
        "ODPS-0420095: Access Denied - You have no privilege 'odps:{action}' on {{acs:odps:*:projects/{project}}}"
    )]
    NoPrivilege {
        action: &'static str,
        project: String,
    },
    #[error(
        "ODPS-0420095: Access Denied - Only the project owner can grant or revoke the admin role"
    )]
    OwnerOnlyAdminRole,
    /// Documented (the FAQ's "failed to check policy format: invalid Action value -
    /// odps:<Action>"): a policy document or policy grant that breaks a rule.
    #[error("failed to check policy format: {0}")]
    PolicyFormat(String),
    /// odpscmd reads the file of `put policy` itself, and says so when it cannot.
    #[error("cannot read the policy file {file}: {reason}")]
    PolicyFile { file: String, reason: String },
    #[error(
        "ODPS-0420095: Access Denied - Only the project owner or a super_administrator can grant or revoke the super_administrator role"
    )]
    SuperAdminRoleRestricted,
    #[error("User already exists in project {project}: {user}")]
    AlreadyMember { user: String, project: String },
    #[error("{user} is the owner of project {project} and is always in it")]
    OwnerIsImplicitMember { user: String, project: String },
    #[error("User does not exist in project {project}: {user}")]
    NotMember { user: String, project: String },
    #[error(
        "{user} cannot be removed from project {project} while it holds roles: {roles}. Revoke them first: revoke {roles} from {user};"
    )]
    StillHoldsRoles {
        user: String,
        project: String,
        roles: String,
    },
    #[error(
        "RAM user {user} belongs to another Alibaba Cloud account; only RAM users of {owner} can be added to project {project}"
    )]
    ForeignRamUser {
        user: String,
        owner: String,
        project: String,
    },
    #[error(
        "Unknown project property: {0} (odpsh simulates odps.sql.allow.fullscan, odps.security.ip.whitelist, odps.security.vpc.whitelist and odps.security.enabledownloadprivilege)"
    )]
    UnknownProperty(String),
    #[error("Invalid value for {key}: '{value}'")]
    InvalidPropertyValue { key: String, value: String },
    /// odpsh's wording: the property a support ticket sets (Python UDFs, matrix row 19).
    #[error(
        "{key} is set by a support ticket, not by setproject: aliyun console EnablePythonUDF --ProjectName {project}"
    )]
    SetByTicket { key: String, project: String },
    #[error("Role already exists: {0}")]
    RoleExists(String),
    #[error("Role does not exist: {0}")]
    NoSuchRole(String),
    #[error("Built-in role {0} cannot be dropped")]
    BuiltinRole(String),
    #[error(
        "Role {role} still has {count} member(s); revoke it from every member before dropping it"
    )]
    RoleInUse { role: String, count: usize },
    /// What only the project owner may do (odpsh's wording, after the documented rule).
    #[error("ODPS-0420095: Access Denied - Only the project owner can {0}")]
    OwnerOnly(&'static str),
    #[error(transparent)]
    Denied(Box<Denied>),
    #[error(transparent)]
    Object(#[from] ObjectError),
}

impl From<Denied> for OdpsError {
    fn from(d: Denied) -> Self {
        OdpsError::Denied(Box::new(d))
    }
}

impl OdpsError {
    /// A stable code for programs (`--format json`): the service's code where the message
    /// carries one, otherwise odpsh's name for the failure.
    pub fn code(&self) -> Code {
        match self {
            OdpsError::LackOfAccountProvider | OdpsError::ProviderNotEnabled(_) => {
                Code::LackOfAccountProvider
            }
            OdpsError::InvalidAccountName(_) => Code::InvalidAccountName,
            OdpsError::AccessKeyNotFound(_)
            | OdpsError::AccessKeyInactive(_)
            | OdpsError::SecurityTokenMissing(_)
            | OdpsError::SecurityTokenExpired(_)
            | OdpsError::SecurityTokenMismatch(_) => Code::InvalidCredentials,
            OdpsError::SignatureMismatch => Code::InvalidSignature,
            OdpsError::ProjectNotFound(_) => Code::ProjectNotFound,
            OdpsError::NotInProject(_)
            | OdpsError::NoPrivilege { .. }
            | OdpsError::OwnerOnlyAdminRole
            | OdpsError::SuperAdminRoleRestricted
            | OdpsError::OwnerOnly(_) => Code::AccessDenied,
            OdpsError::PolicyFormat(_) => Code::PolicyFormat,
            OdpsError::PolicyFile { .. } => Code::PolicyFile,
            OdpsError::Denied(d) => d.code(),
            OdpsError::Object(e) => e.code(),
            OdpsError::AlreadyMember { .. } | OdpsError::OwnerIsImplicitMember { .. } => {
                Code::UserAlreadyExists
            }
            OdpsError::NotMember { .. } => Code::UserNotFound,
            OdpsError::StillHoldsRoles { .. } => Code::UserHoldsRoles,
            OdpsError::ForeignRamUser { .. } => Code::ForeignRamUser,
            OdpsError::UnknownProperty(_) => Code::UnknownProperty,
            OdpsError::InvalidPropertyValue { .. } => Code::InvalidPropertyValue,
            OdpsError::SetByTicket { .. } => Code::SetByTicket,
            OdpsError::RoleExists(_) => Code::RoleAlreadyExists,
            OdpsError::NoSuchRole(_) => Code::RoleNotFound,
            OdpsError::BuiltinRole(_) => Code::BuiltinRole,
            OdpsError::RoleInUse { .. } => Code::RoleInUse,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_texts_are_exact() {
        assert_eq!(
            OdpsError::LackOfAccountProvider.to_string(),
            "lack of account provider"
        );
        assert_eq!(
            OdpsError::ProviderNotEnabled("LDAP$bob".into()).to_string(),
            "lack of account provider, principalName LDAP$bob"
        );
        assert_eq!(
            OdpsError::InvalidAccountName("RAM$MainCount:nobody".into()).to_string(),
            "Invalid account Name RAM$MainCount:nobody"
        );
        assert_eq!(
            OdpsError::ProjectNotFound("nope".into()).to_string(),
            "ODPS-0420111: Project not found - 'nope'."
        );
        assert_eq!(
            OdpsError::NotInProject("p".into()).to_string(),
            "ODPS-0420095: Access Denied - You don't exist in project p."
        );
        assert_eq!(
            OdpsError::NoPrivilege {
                action: "CreateRole",
                project: "p".into()
            }
            .to_string(),
            "ODPS-0420095: Access Denied - You have no privilege 'odps:CreateRole' on {acs:odps:*:projects/p}"
        );
    }

    #[test]
    fn odpsh_texts_are_pinned() {
        let cases = [
            (
                OdpsError::SetByTicket {
                    key: "odps.python.udf.enabled".into(),
                    project: "p".into(),
                },
                "odps.python.udf.enabled is set by a support ticket, not by setproject: aliyun console EnablePythonUDF --ProjectName p",
            ),
            (
                OdpsError::OwnerOnlyAdminRole,
                "ODPS-0420095: Access Denied - Only the project owner can grant or revoke the admin role",
            ),
            (
                OdpsError::SuperAdminRoleRestricted,
                "ODPS-0420095: Access Denied - Only the project owner or a super_administrator can grant or revoke the super_administrator role",
            ),
            (
                OdpsError::AlreadyMember {
                    user: "RAM$M:a".into(),
                    project: "p".into(),
                },
                "User already exists in project p: RAM$M:a",
            ),
            (
                OdpsError::OwnerIsImplicitMember {
                    user: "ALIYUN$M".into(),
                    project: "p".into(),
                },
                "ALIYUN$M is the owner of project p and is always in it",
            ),
            (
                OdpsError::NotMember {
                    user: "RAM$M:a".into(),
                    project: "p".into(),
                },
                "User does not exist in project p: RAM$M:a",
            ),
            (
                OdpsError::StillHoldsRoles {
                    user: "RAM$M:a".into(),
                    project: "p".into(),
                    roles: "admin, worker".into(),
                },
                "RAM$M:a cannot be removed from project p while it holds roles: admin, worker. Revoke them first: revoke admin, worker from RAM$M:a;",
            ),
            (
                OdpsError::ForeignRamUser {
                    user: "RAM$O:a".into(),
                    owner: "M".into(),
                    project: "p".into(),
                },
                "RAM user RAM$O:a belongs to another Alibaba Cloud account; only RAM users of M can be added to project p",
            ),
            (OdpsError::RoleExists("w".into()), "Role already exists: w"),
            (
                OdpsError::OwnerOnly("manage account providers"),
                "ODPS-0420095: Access Denied - Only the project owner can manage account providers",
            ),
            (OdpsError::NoSuchRole("w".into()), "Role does not exist: w"),
            (
                OdpsError::BuiltinRole("admin".into()),
                "Built-in role admin cannot be dropped",
            ),
            (
                OdpsError::RoleInUse {
                    role: "w".into(),
                    count: 2,
                },
                "Role w still has 2 member(s); revoke it from every member before dropping it",
            ),
        ];
        for (error, text) in cases {
            assert_eq!(error.to_string(), text);
        }
    }

    #[test]
    fn credential_texts_are_exact() {
        assert_eq!(
            OdpsError::AccessKeyNotFound("LTAIx".into()).to_string(),
            "ODPS-0410051:Invalid credentials - accessKeyId not found: LTAIx"
        );
        assert_eq!(
            OdpsError::AccessKeyInactive("LTAIx".into()).to_string(),
            "ODPS-0410051:Invalid credentials - accessKeyId is disabled: LTAIx"
        );
        assert_eq!(
            OdpsError::SignatureMismatch.to_string(),
            "ODPS-0410042:Invalid signature value - User signature does not match"
        );
        assert_eq!(
            OdpsError::SecurityTokenMissing("STS.x".into()).to_string(),
            "ODPS-0410051:Invalid credentials - an STS AccessKeyId needs its security token: STS.x"
        );
        assert_eq!(
            OdpsError::SecurityTokenExpired("STS.x".into()).to_string(),
            "ODPS-0410051:Invalid credentials - the security token has expired: STS.x"
        );
        assert_eq!(
            OdpsError::SecurityTokenMismatch("STS.x".into()).to_string(),
            "ODPS-0410051:Invalid credentials - the security token does not match the AccessKeyId: STS.x"
        );
    }
}
