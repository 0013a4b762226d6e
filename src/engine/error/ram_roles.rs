//! RAM failures of roles and STS failures of AssumeRole and of temporary credentials. Codes
//! and messages are the service's where its documentation gives them (marked documented),
//! otherwise odpsh's after the service's patterns; `tests` pins each.

use super::super::code::Code;
use super::ram::{RamError, ram};

impl RamError {
    /// Documented.
    pub const ROLE_NAME_INVALID_CHARS: RamError = ram(
        Code::RoleNameInvalidChars,
        "The specified role name contains invalid characters.",
        400,
    );
    /// Documented.
    pub const ROLE_NAME_LENGTH: RamError = ram(
        Code::RoleNameLength,
        "The maximum length of the role name is exceeded.",
        400,
    );
    /// Documented.
    pub const ENTITY_NOT_EXIST_ROLE: RamError =
        ram(Code::EntityNotExistRole, "The role does not exist.", 404);
    /// After the user's (the code is documented).
    pub const ENTITY_ALREADY_EXISTS_ROLE: RamError = ram(
        Code::EntityAlreadyExistsRole,
        "The role does already EXIST.",
        409,
    );
    /// After the user's.
    pub const ROLE_LIMIT: RamError = ram(
        Code::RoleLimit,
        "The count of roles beyond the current limits.",
        409,
    );
    /// Documented.
    pub const DELETE_CONFLICT_ROLE_POLICY: RamError = ram(
        Code::DeleteConflictRolePolicy,
        "The role cannot have any attached policies when you delete it.",
        409,
    );
    /// After the user's.
    pub const ROLE_POLICY_EXISTS: RamError = ram(
        Code::RolePolicyExists,
        "The role has already been attached this policy.",
        409,
    );
    /// After the user's.
    pub const ROLE_POLICY_NOT_EXIST: RamError = ram(
        Code::RolePolicyNotExist,
        "The indicate policy of the role does not exist.",
        404,
    );
    /// After the user's.
    pub const ROLE_POLICY_LIMIT: RamError = ram(
        Code::RolePolicyLimit,
        "The policy count of the role attached policies beyond the current limits.",
        409,
    );
    /// odpsh's code and message.
    pub const TRUST_POLICY_INVALID: RamError = ram(
        Code::TrustPolicyInvalid,
        "The parameter - \"AssumeRolePolicyDocument\" is not a trust policy: it needs a Statement whose Action is sts:AssumeRole and whose Principal names RAM identities (acs:ram::<account>:root, :user/<name>, :role/<name>) or a Service.",
        400,
    );
    /// odpsh's code and message (the range is documented).
    pub const MAX_SESSION_DURATION_INVALID: RamError = ram(
        Code::MaxSessionDurationInvalid,
        "The parameter - \"MaxSessionDuration\" must be from 3600 to 43200 seconds.",
        400,
    );
    /// After the documented pattern (1 to 1,024 characters).
    pub const DESCRIPTION_LENGTH: RamError = ram(
        Code::DescriptionLength,
        "The parameter - \"Description\" beyond the length limit.",
        400,
    );
    /// After the documented RoleSessionName message.
    pub const ROLE_ARN_INVALID: RamError = ram(
        Code::RoleArnInvalid,
        "The parameter RoleArn is wrongly formed.",
        400,
    );
    /// Documented.
    pub const ROLE_SESSION_NAME_INVALID: RamError = ram(
        Code::RoleSessionNameInvalid,
        "The parameter RoleSessionName is wrongly formed.",
        400,
    );
    /// Documented (the role's MaxSessionDuration raises the upper bound).
    pub const DURATION_SECONDS_INVALID: RamError = ram(
        Code::DurationSecondsInvalid,
        "The Min/Max value of DurationSeconds is 15min/1hr.",
        400,
    );
    /// Documented.
    pub const ROOT_MAY_NOT_ASSUME: RamError = ram(
        Code::NoPermission,
        "Roles may not be assumed by root accounts.",
        403,
    );
    /// Documented (the message's start; its end is odpsh's).
    pub const ASSUME_ROLE_NO_PERMISSION: RamError = ram(
        Code::NoPermission,
        "No permission perform sts:AssumeRole on this Role. Maybe you should check the role's trust policy, or the RAM policy of the current user.",
        403,
    );
    /// Documented.
    pub const SECURITY_TOKEN_MISSING: RamError = ram(
        Code::SecurityTokenMissing,
        "SecurityToken is mandatory for this action.",
        400,
    );
    /// The OpenAPI common error.
    pub const SECURITY_TOKEN_EXPIRED: RamError = ram(
        Code::SecurityTokenExpired,
        "Specified SecurityToken is expired.",
        400,
    );
    /// The OpenAPI common error.
    pub const SECURITY_TOKEN_MISMATCH: RamError = ram(
        Code::SecurityTokenMismatch,
        "Specified SecurityToken mismatch with the AccessKey.",
        400,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_and_sts_texts() {
        let cases = [
            (
                RamError::DELETE_CONFLICT_ROLE_POLICY,
                "DeleteConflict.Role.Policy",
                "The role cannot have any attached policies when you delete it.",
                409,
            ),
            (
                RamError::ENTITY_NOT_EXIST_ROLE,
                "EntityNotExist.Role",
                "The role does not exist.",
                404,
            ),
            (
                RamError::ROLE_NAME_INVALID_CHARS,
                "InvalidParameter.RoleName.InvalidChars",
                "The specified role name contains invalid characters.",
                400,
            ),
            (
                RamError::ROLE_SESSION_NAME_INVALID,
                "InvalidParameter.RoleSessionName",
                "The parameter RoleSessionName is wrongly formed.",
                400,
            ),
            (
                RamError::DURATION_SECONDS_INVALID,
                "InvalidParameter.DurationSeconds",
                "The Min/Max value of DurationSeconds is 15min/1hr.",
                400,
            ),
            (
                RamError::ROOT_MAY_NOT_ASSUME,
                "NoPermission",
                "Roles may not be assumed by root accounts.",
                403,
            ),
            (
                RamError::SECURITY_TOKEN_MISSING,
                "MissingSecurityToken",
                "SecurityToken is mandatory for this action.",
                400,
            ),
            (
                RamError::SECURITY_TOKEN_EXPIRED,
                "InvalidSecurityToken.Expired",
                "Specified SecurityToken is expired.",
                400,
            ),
            (
                RamError::SECURITY_TOKEN_MISMATCH,
                "InvalidSecurityToken.MismatchWithAccessKey",
                "Specified SecurityToken mismatch with the AccessKey.",
                400,
            ),
        ];
        for (error, code, message, status) in cases {
            assert_eq!(error.code.as_str(), code);
            assert_eq!(error.message, message);
            assert_eq!(error.http_status, status);
        }
    }
}
