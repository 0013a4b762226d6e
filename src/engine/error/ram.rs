//! RAM (and other OpenAPI) failures: the `aliyun` CLI prints them as an
//! `ERROR: SDK.ServerError` block. Codes and messages are the service's (documented) unless
//! marked odpsh's; `tests` pins each.

use super::super::code::Code;

/// A RAM API failure: the `aliyun` CLI prints it as an `ERROR: SDK.ServerError` block.
/// Codes and messages are the service's (documented) unless marked odpsh's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RamError {
    pub code: Code,
    pub message: &'static str,
    pub http_status: u16,
}

pub(super) const fn ram(code: Code, message: &'static str, http_status: u16) -> RamError {
    RamError {
        code,
        message,
        http_status,
    }
}

impl RamError {
    pub const ENTITY_NOT_EXIST_USER: RamError =
        ram(Code::EntityNotExistUser, "The user does not exist.", 404);
    pub const ENTITY_ALREADY_EXISTS_USER: RamError = ram(
        Code::EntityAlreadyExistsUser,
        "The user does already EXIST.",
        409,
    );
    pub const USER_NAME_INVALID_CHARS: RamError = ram(
        Code::UserNameInvalidChars,
        "The parameter - \"UserName\" contains invalid chars.",
        400,
    );
    pub const USER_NAME_LENGTH: RamError = ram(
        Code::UserNameLength,
        "The parameter - \"UserName\" beyond the length limit.",
        400,
    );
    pub const NEW_USER_NAME_INVALID_CHARS: RamError = ram(
        Code::NewUserNameInvalidChars,
        "The parameter - \"NewUserName\" contains invalid chars.",
        400,
    );
    pub const NEW_USER_NAME_LENGTH: RamError = ram(
        Code::NewUserNameLength,
        "The parameter - \"NewUserName\" beyond the length limit.",
        400,
    );
    pub const DISPLAY_NAME_INVALID_CHARS: RamError = ram(
        Code::DisplayNameInvalidChars,
        "The parameter - \"DisplayName\" contains invalid chars.",
        400,
    );
    pub const DISPLAY_NAME_LENGTH: RamError = ram(
        Code::DisplayNameLength,
        "The parameter - \"DisplayName\" beyond the length limit.",
        400,
    );
    pub const COMMENTS_LENGTH: RamError = ram(
        Code::CommentsLength,
        "The parameter - \"Comments\" beyond the length limit.",
        400,
    );
    /// odpsh's code and message: the support-ticket page names a project the account lacks.
    pub const TICKET_PROJECT_NOT_FOUND: RamError = ram(
        Code::TicketProjectNotFound,
        "The project does not exist in this Alibaba Cloud account.",
        404,
    );
    pub const NO_PERMISSION: RamError = ram(
        Code::NoPermission,
        "You are not authorized to do this action.",
        403,
    );
    pub const ACCESS_KEY_LIMIT: RamError = ram(
        Code::AccessKeyLimit,
        "The access key count of the user access keys beyond the current limits.",
        409,
    );
    pub const ACCESS_KEY_NOT_EXIST: RamError = ram(
        Code::AccessKeyNotExist,
        "The user access key does not exist.",
        404,
    );
    /// odpsh's message (the code is documented).
    pub const LOGIN_PROFILE_EXISTS: RamError = ram(
        Code::LoginProfileExists,
        "The login profile of the user does already EXIST.",
        409,
    );
    /// odpsh's message (the code is documented).
    pub const LOGIN_PROFILE_NOT_EXIST: RamError = ram(
        Code::LoginProfileNotExist,
        "The login profile of the user does not exist.",
        404,
    );
    /// odpsh's message (the code is documented).
    pub const PASSWORD_TOO_WEAK: RamError = ram(
        Code::PasswordTooWeak,
        "The password does not meet the password policy of the account (see GetPasswordPolicy), or is longer than 32 characters.",
        400,
    );
    pub const POLICY_NOT_EXIST: RamError =
        ram(Code::PolicyNotExist, "The policy does not exist.", 404);
    /// odpsh's message (the code is documented).
    pub const POLICY_EXISTS: RamError =
        ram(Code::PolicyExists, "The policy does already EXIST.", 409);
    pub const USER_POLICY_EXISTS: RamError = ram(
        Code::UserPolicyExists,
        "The user has already been attached this policy.",
        409,
    );
    pub const USER_POLICY_NOT_EXIST: RamError = ram(
        Code::UserPolicyNotExist,
        "The indicate policy of the user does not exist.",
        404,
    );
    pub const USER_POLICY_LIMIT: RamError = ram(
        Code::UserPolicyLimit,
        "The policy count of the user attached policies beyond the current limits.",
        409,
    );
    /// odpsh's message (the code is documented).
    pub const POLICY_TYPE_INVALID: RamError = ram(
        Code::PolicyTypeInvalid,
        "The parameter - \"PolicyType\" must be System or Custom.",
        400,
    );
    /// odpsh's message.
    pub const POLICY_NAME_INVALID: RamError = ram(
        Code::PolicyNameInvalid,
        "The parameter - \"PolicyName\" contains invalid chars.",
        400,
    );
    /// odpsh's code and message: the document is not JSON (what else may be wrong with it is
    /// in `ram_policy.rs`).
    pub const POLICY_DOCUMENT_MALFORMED: RamError = ram(
        Code::PolicyDocumentMalformed,
        "The policy document is not valid JSON.",
        400,
    );
    /// odpsh's message.
    pub const STATUS_INVALID: RamError = ram(
        Code::StatusInvalid,
        "The parameter - \"Status\" must be Active or Inactive.",
        400,
    );
    /// odpsh's code and message, for boolean parameters given something else.
    pub const BOOLEAN_INVALID: RamError = ram(
        Code::BooleanInvalid,
        "A boolean parameter must be true or false.",
        400,
    );
    /// odpsh's message.
    pub const ACCOUNT_ALIAS_INVALID: RamError = ram(
        Code::AccountAliasInvalid,
        "The account alias must be 3 to 64 lower-case letters, digits and hyphens, not starting or ending with a hyphen.",
        400,
    );
    pub const DELETE_CONFLICT_ACCESS_KEY: RamError = ram(
        Code::DeleteConflictAccessKey,
        "The user CAN NOT has any access key while deleting the user.",
        409,
    );
    pub const DELETE_CONFLICT_LOGIN_PROFILE: RamError = ram(
        Code::DeleteConflictLoginProfile,
        "The user CAN NOT has any login profile while deleting the user.",
        409,
    );
    pub const DELETE_CONFLICT_POLICY: RamError = ram(
        Code::DeleteConflictPolicy,
        "The user CAN NOT has any attached policy while deleting the user.",
        409,
    );
    pub const ACCESS_KEY_ID_NOT_FOUND: RamError = ram(
        Code::AccessKeyIdNotFound,
        "Specified access key is not found.",
        404,
    );
    /// odpsh's message (the code is what OpenAPI answers for a disabled key).
    pub const ACCESS_KEY_ID_INACTIVE: RamError = ram(
        Code::AccessKeyIdInactive,
        "Specified access key is disabled.",
        400,
    );
    pub const SIGNATURE_DOES_NOT_MATCH: RamError = ram(
        Code::SignatureDoesNotMatch,
        "Specified signature is not matched with our calculation.",
        400,
    );
    /// odpsh's code and message: DataWorks refuses accounts that are not real-name verified.
    pub const NOT_REAL_NAME_VERIFIED: RamError = ram(
        Code::NotRealNameVerified,
        "The Alibaba Cloud account must complete real-name verification first.",
        403,
    );
    /// DataWorks' documented code, message and status (the member and role calls').
    pub const PROJECT_NOT_EXISTS: RamError =
        ram(Code::ProjectNotExists, "The project does not exist.", 400);
    /// DataWorks' documented code, message and status.
    pub const USER_NOT_IN_PROJECT: RamError = ram(
        Code::UserNotInProject,
        "The user is not in the project.",
        400,
    );
    /// DataWorks' documented code, message and status (403, as every member and role call
    /// documents it).
    pub const USER_NOT_IN_TENANT: RamError =
        ram(Code::UserNotInTenant, "The user is not in tenant.", 403);
    /// DataWorks' documented code, message and status.
    pub const NOT_WORKSPACE_ADMIN: RamError = ram(
        Code::NotWorkspaceAdmin,
        "The user is not a project administrator or owner.",
        403,
    );
    /// odpsh's code and message.
    pub const PROJECT_EXISTS: RamError = ram(
        Code::ProjectExists,
        "A workspace with this name already exists.",
        409,
    );
    /// odpsh's code and message.
    pub const ROLE_CODE_INVALID: RamError = ram(
        Code::RoleCodeInvalid,
        "The role code is not a workspace role a member can be given: ListProjectRoles lists the roles, and role_project_owner is the workspace owner's alone.",
        400,
    );
    /// odpsh's code and message: the owner is listed as a member but is no member to manage.
    pub const WORKSPACE_OWNER: RamError = ram(
        Code::WorkspaceOwner,
        "The user is the workspace owner, always a member with role_project_owner: its membership and roles cannot be changed.",
        400,
    );
    /// odpsh's code and message (DataWorks pages hold 1 to 100 items, 10 by default).
    pub const PAGE_PARAMETER_INVALID: RamError = ram(
        Code::PageParameterInvalid,
        "PageNumber must be a whole number from 1 and PageSize one from 1 to 100.",
        400,
    );
    /// odpsh's code and message.
    pub const PROJECT_NAME_INVALID: RamError = ram(
        Code::ProjectNameInvalid,
        "The workspace name must start with a letter and hold 3 to 28 letters, digits and underscores.",
        400,
    );

    pub fn code(self) -> Code {
        self.code
    }

    pub fn message(self) -> &'static str {
        self.message
    }

    pub fn http_status(self) -> u16 {
        self.http_status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each error has exactly this code, message and HTTP status.
    fn assert_texts(cases: &[(RamError, &str, &str, u16)]) {
        for (e, code, message, status) in cases {
            assert_eq!(
                (e.code().as_str(), e.message(), e.http_status()),
                (*code, *message, *status)
            );
        }
    }

    #[test]
    fn odpsh_console_codes_and_messages_are_pinned() {
        let cases = [
            (
                RamError::TICKET_PROJECT_NOT_FOUND,
                "EntityNotExist.Project",
                "The project does not exist in this Alibaba Cloud account.",
                404,
            ),
            (
                RamError::PAGE_PARAMETER_INVALID,
                "Invalid.Tenant.PageParameter",
                "PageNumber must be a whole number from 1 and PageSize one from 1 to 100.",
                400,
            ),
        ];
        assert_texts(&cases);
    }

    #[test]
    fn documented_dataworks_codes_and_messages_are_exact() {
        let cases = [
            (
                RamError::PROJECT_NOT_EXISTS,
                "Invalid.Tenant.ProjectNotExists",
                "The project does not exist.",
                400,
            ),
            (
                RamError::USER_NOT_IN_PROJECT,
                "Invalid.Tenant.UserNotInProject",
                "The user is not in the project.",
                400,
            ),
            (
                RamError::USER_NOT_IN_TENANT,
                "Invalid.Tenant.UserNotInTenant",
                "The user is not in tenant.",
                403,
            ),
            (
                RamError::NOT_WORKSPACE_ADMIN,
                "Invalid.Tenant.UserIsNotProjectOwnerOrAdmin",
                "The user is not a project administrator or owner.",
                403,
            ),
            (
                RamError::WORKSPACE_OWNER,
                "Invalid.Tenant.ProjectOwner",
                "The user is the workspace owner, always a member with role_project_owner: its membership and roles cannot be changed.",
                400,
            ),
            (
                RamError::ROLE_CODE_INVALID,
                "Invalid.Tenant.RoleCode",
                "The role code is not a workspace role a member can be given: ListProjectRoles lists the roles, and role_project_owner is the workspace owner's alone.",
                400,
            ),
        ];
        assert_texts(&cases);
    }

    #[test]
    fn documented_ram_codes_and_messages_are_exact() {
        let cases = [
            (
                RamError::ENTITY_NOT_EXIST_USER,
                "EntityNotExist.User",
                "The user does not exist.",
                404,
            ),
            (
                RamError::ENTITY_ALREADY_EXISTS_USER,
                "EntityAlreadyExists.User",
                "The user does already EXIST.",
                409,
            ),
            (
                RamError::USER_NAME_INVALID_CHARS,
                "InvalidParameter.UserName.InvalidChars",
                "The parameter - \"UserName\" contains invalid chars.",
                400,
            ),
            (
                RamError::USER_NAME_LENGTH,
                "InvalidParameter.UserName.Length",
                "The parameter - \"UserName\" beyond the length limit.",
                400,
            ),
            (
                RamError::NO_PERMISSION,
                "NoPermission",
                "You are not authorized to do this action.",
                403,
            ),
            (
                RamError::ACCESS_KEY_LIMIT,
                "LimitExceeded.User.AccessKey",
                "The access key count of the user access keys beyond the current limits.",
                409,
            ),
            (
                RamError::ACCESS_KEY_NOT_EXIST,
                "EntityNotExist.User.AccessKey",
                "The user access key does not exist.",
                404,
            ),
            (
                RamError::POLICY_NOT_EXIST,
                "EntityNotExist.Policy",
                "The policy does not exist.",
                404,
            ),
            (
                RamError::USER_POLICY_EXISTS,
                "EntityAlreadyExists.User.Policy",
                "The user has already been attached this policy.",
                409,
            ),
            (
                RamError::USER_POLICY_NOT_EXIST,
                "EntityNotExist.User.Policy",
                "The indicate policy of the user does not exist.",
                404,
            ),
            (
                RamError::DELETE_CONFLICT_ACCESS_KEY,
                "DeleteConflict.User.AccessKey",
                "The user CAN NOT has any access key while deleting the user.",
                409,
            ),
            (
                RamError::DELETE_CONFLICT_LOGIN_PROFILE,
                "DeleteConflict.User.LoginProfile",
                "The user CAN NOT has any login profile while deleting the user.",
                409,
            ),
            (
                RamError::DELETE_CONFLICT_POLICY,
                "DeleteConflict.User.Policy",
                "The user CAN NOT has any attached policy while deleting the user.",
                409,
            ),
            (
                RamError::ACCESS_KEY_ID_NOT_FOUND,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
                404,
            ),
        ];
        assert_texts(&cases);
    }
}
