//! Every failure the engine reports, with its exact text. These strings are what users compare
//! with the real service: each lives here once, and `tests` below pins each of them.
//! Texts marked "documented" are quoted from MaxCompute and RAM documentation; the others are
//! odpsh's own wording where the service's text is not published (see grammar/DECISIONS.md).

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
}

impl OdpsError {
    /// A stable code for programs (`--format json`): the service's code where the message
    /// carries one, otherwise odpsh's name for the failure.
    pub fn code(&self) -> &'static str {
        match self {
            OdpsError::LackOfAccountProvider | OdpsError::ProviderNotEnabled(_) => {
                "LackOfAccountProvider"
            }
            OdpsError::InvalidAccountName(_) => "InvalidAccountName",
            OdpsError::ProjectNotFound(_) => "ODPS-0420111",
            OdpsError::NotInProject(_)
            | OdpsError::NoPrivilege { .. }
            | OdpsError::OwnerOnlyAdminRole
            | OdpsError::SuperAdminRoleRestricted => "ODPS-0420095",
            OdpsError::AlreadyMember { .. } | OdpsError::OwnerIsImplicitMember { .. } => {
                "UserAlreadyExists"
            }
            OdpsError::NotMember { .. } => "UserNotFound",
            OdpsError::StillHoldsRoles { .. } => "UserHoldsRoles",
            OdpsError::ForeignRamUser { .. } => "ForeignRamUser",
            OdpsError::RoleExists(_) => "RoleAlreadyExists",
            OdpsError::NoSuchRole(_) => "RoleNotFound",
            OdpsError::BuiltinRole(_) => "BuiltinRole",
            OdpsError::RoleInUse { .. } => "RoleInUse",
        }
    }
}

/// A RAM API failure: the `aliyun` CLI prints it as an `ERROR: SDK.ServerError` block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RamError {
    EntityNotExistUser,
    EntityAlreadyExistsUser,
    UserNameInvalidChars,
    UserNameLength,
    DisplayNameInvalidChars,
    DisplayNameLength,
    NoPermission,
}

impl RamError {
    /// The service's error code (documented).
    pub fn code(self) -> &'static str {
        match self {
            RamError::EntityNotExistUser => "EntityNotExist.User",
            RamError::EntityAlreadyExistsUser => "EntityAlreadyExists.User",
            RamError::UserNameInvalidChars => "InvalidParameter.UserName.InvalidChars",
            RamError::UserNameLength => "InvalidParameter.UserName.Length",
            RamError::DisplayNameInvalidChars => "InvalidParameter.DisplayName.InvalidChars",
            RamError::DisplayNameLength => "InvalidParameter.DisplayName.Length",
            RamError::NoPermission => "NoPermission",
        }
    }

    /// The service's message (documented).
    pub fn message(self) -> &'static str {
        match self {
            RamError::EntityNotExistUser => "The user does not exist.",
            RamError::EntityAlreadyExistsUser => "The user does already EXIST.",
            RamError::UserNameInvalidChars => {
                "The parameter - \"UserName\" contains invalid chars."
            }
            RamError::UserNameLength => "The parameter - \"UserName\" beyond the length limit.",
            RamError::DisplayNameInvalidChars => {
                "The parameter - \"DisplayName\" contains invalid chars."
            }
            RamError::DisplayNameLength => {
                "The parameter - \"DisplayName\" beyond the length limit."
            }
            RamError::NoPermission => "You are not authorized to do this action.",
        }
    }

    /// The HTTP status the service answers with.
    pub fn http_status(self) -> u16 {
        match self {
            RamError::EntityNotExistUser => 404,
            RamError::EntityAlreadyExistsUser => 409,
            RamError::NoPermission => 403,
            _ => 400,
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
    fn ram_codes_and_messages_are_the_documented_ones() {
        let cases = [
            (
                RamError::EntityNotExistUser,
                "EntityNotExist.User",
                "The user does not exist.",
                404,
            ),
            (
                RamError::EntityAlreadyExistsUser,
                "EntityAlreadyExists.User",
                "The user does already EXIST.",
                409,
            ),
            (
                RamError::UserNameInvalidChars,
                "InvalidParameter.UserName.InvalidChars",
                "The parameter - \"UserName\" contains invalid chars.",
                400,
            ),
            (
                RamError::UserNameLength,
                "InvalidParameter.UserName.Length",
                "The parameter - \"UserName\" beyond the length limit.",
                400,
            ),
            (
                RamError::DisplayNameInvalidChars,
                "InvalidParameter.DisplayName.InvalidChars",
                "The parameter - \"DisplayName\" contains invalid chars.",
                400,
            ),
            (
                RamError::DisplayNameLength,
                "InvalidParameter.DisplayName.Length",
                "The parameter - \"DisplayName\" beyond the length limit.",
                400,
            ),
            (
                RamError::NoPermission,
                "NoPermission",
                "You are not authorized to do this action.",
                403,
            ),
        ];
        for (e, code, message, status) in cases {
            assert_eq!(
                (e.code(), e.message(), e.http_status()),
                (code, message, status)
            );
        }
    }
}
