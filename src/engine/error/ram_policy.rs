//! RAM failures of policy documents and policy versions. What is wrong with a document is
//! `MalformedPolicyDocument.<part>` (odpsh's codes and messages: the service's are not
//! published); the others are the service's codes. `tests` pins each.

use super::super::code::Code;
use super::ram::{RamError, ram};

impl RamError {
    /// odpsh's message (the code is the service's).
    pub const POLICY_DOCUMENT_LENGTH: RamError = ram(
        Code::PolicyDocumentLength,
        "The maximum length of the policy document is exceeded. It must not exceed 2048 characters.",
        400,
    );
    pub const DOCUMENT_VERSION: RamError = ram(
        Code::DocumentVersion,
        "The policy document must have \"Version\": \"1\".",
        400,
    );
    pub const DOCUMENT_STATEMENT: RamError = ram(
        Code::DocumentStatement,
        "The policy document must have a \"Statement\" list of objects.",
        400,
    );
    pub const DOCUMENT_EFFECT: RamError = ram(
        Code::DocumentEffect,
        "Each statement's \"Effect\" must be \"Allow\" or \"Deny\".",
        400,
    );
    pub const DOCUMENT_ACTION: RamError = ram(
        Code::DocumentAction,
        "Each statement's \"Action\" must be \"*\", \"<service>:<action>\" or a list of them (wildcards * and ? allowed).",
        400,
    );
    pub const DOCUMENT_RESOURCE: RamError = ram(
        Code::DocumentResource,
        "Each statement's \"Resource\" must be \"*\", \"acs:<service>:<region>:<account>:<path>\" or a list of them.",
        400,
    );
    pub const DOCUMENT_CONDITION: RamError = ram(
        Code::DocumentCondition,
        "A statement's \"Condition\" must map supported operators (StringEquals, StringLike, IpAddress, NotIpAddress, Bool, DateLessThan, DateGreaterThan, …) to keys and values.",
        400,
    );
    pub const DOCUMENT_ELEMENT: RamError = ram(
        Code::DocumentElement,
        "A statement may hold only Effect, Action, NotAction, Resource, NotResource and Condition, and needs Effect, an Action and a Resource.",
        400,
    );
    /// odpsh's message (the code is documented).
    pub const DELETE_CONFLICT_POLICY_USER: RamError = ram(
        Code::DeleteConflictPolicyUser,
        "The policy CAN NOT be attached to any user while deleting the policy.",
        409,
    );
    /// odpsh's message (the code is documented).
    pub const DELETE_CONFLICT_POLICY_GROUP: RamError = ram(
        Code::DeleteConflictPolicyGroup,
        "The policy CAN NOT be attached to any group while deleting the policy.",
        409,
    );
    /// odpsh's message (the code is documented).
    pub const DELETE_CONFLICT_POLICY_VERSION: RamError = ram(
        Code::DeleteConflictPolicyVersion,
        "The policy CAN NOT has any version except the default version while deleting the policy.",
        409,
    );
    /// The service's code and message.
    pub const POLICY_VERSION_LIMIT: RamError = ram(
        Code::PolicyVersionLimit,
        "The maximum number of policy versions is exceeded.",
        409,
    );
    /// odpsh's message.
    pub const POLICY_VERSION_NOT_EXIST: RamError = ram(
        Code::PolicyVersionNotExist,
        "The policy version does not exist.",
        404,
    );
    /// odpsh's code and message.
    pub const DEFAULT_VERSION_CONFLICT: RamError = ram(
        Code::DefaultVersionConflict,
        "The default version of a policy CAN NOT be deleted.",
        409,
    );
    /// odpsh's message.
    pub const ROTATE_STRATEGY_INVALID: RamError = ram(
        Code::RotateStrategyInvalid,
        "The parameter - \"RotateStrategy\" must be None or DeleteOldestNonDefaultVersionWhenLimitExceeded.",
        400,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_messages_are_exact() {
        let cases = [
            (
                RamError::POLICY_VERSION_LIMIT,
                "LimitExceeded.Policy.Version",
                "The maximum number of policy versions is exceeded.",
                409,
            ),
            (
                RamError::DOCUMENT_EFFECT,
                "MalformedPolicyDocument.Effect",
                "Each statement's \"Effect\" must be \"Allow\" or \"Deny\".",
                400,
            ),
            (
                RamError::DELETE_CONFLICT_POLICY_USER,
                "DeleteConflict.Policy.User",
                "The policy CAN NOT be attached to any user while deleting the policy.",
                409,
            ),
            (
                RamError::DELETE_CONFLICT_POLICY_VERSION,
                "DeleteConflict.Policy.Version",
                "The policy CAN NOT has any version except the default version while deleting the policy.",
                409,
            ),
            (
                RamError::POLICY_DOCUMENT_LENGTH,
                "InvalidParameter.PolicyDocument.Length",
                "The maximum length of the policy document is exceeded. It must not exceed 2048 characters.",
                400,
            ),
        ];
        for (e, code, message, status) in cases {
            assert_eq!(
                (e.code().as_str(), e.message(), e.http_status()),
                (code, message, status)
            );
        }
    }
}
