//! RAM failures of groups, MFA devices, log-on settings, contact fields and listings. Codes
//! and messages are the service's where its documentation gives them (marked documented),
//! otherwise odpsh's after the service's patterns; `tests` pins each.

use super::super::code::Code;
use super::ram::{RamError, ram};

impl RamError {
    /// Documented.
    pub const EMAIL_FORMAT: RamError = ram(
        Code::EmailFormat,
        "The format of the parameter - \"Email\" is incorrect.",
        400,
    );
    /// Documented.
    pub const MOBILE_PHONE_FORMAT: RamError = ram(
        Code::MobilePhoneFormat,
        "The format of the parameter - \"MobilePhone\" is incorrect.",
        400,
    );
    /// odpsh's code and message.
    pub const MAX_ITEMS_INVALID: RamError = ram(
        Code::MaxItemsInvalid,
        "The parameter - \"MaxItems\" must be a whole number from 1 to 1000.",
        400,
    );
    /// odpsh's code and message.
    pub const MARKER_INVALID: RamError = ram(
        Code::MarkerInvalid,
        "The parameter - \"Marker\" is not a marker this listing returned.",
        400,
    );
    /// Documented.
    pub const GROUP_NAME_INVALID_CHARS: RamError = ram(
        Code::GroupNameInvalidChars,
        "The parameter - \"GroupName\" contains invalid chars.",
        400,
    );
    /// Documented.
    pub const GROUP_NAME_LENGTH: RamError = ram(
        Code::GroupNameLength,
        "The parameter - \"GroupName\" beyond the length limit.",
        400,
    );
    /// After the documented pattern.
    pub const NEW_GROUP_NAME_INVALID_CHARS: RamError = ram(
        Code::NewGroupNameInvalidChars,
        "The parameter - \"NewGroupName\" contains invalid chars.",
        400,
    );
    /// After the documented pattern.
    pub const NEW_GROUP_NAME_LENGTH: RamError = ram(
        Code::NewGroupNameLength,
        "The parameter - \"NewGroupName\" beyond the length limit.",
        400,
    );
    /// Documented.
    pub const ENTITY_NOT_EXIST_GROUP: RamError =
        ram(Code::EntityNotExistGroup, "The group does not exist.", 404);
    /// odpsh's message, after the user's (the code is documented).
    pub const ENTITY_ALREADY_EXISTS_GROUP: RamError = ram(
        Code::EntityAlreadyExistsGroup,
        "The group does already EXIST.",
        409,
    );
    /// odpsh's message, after the user's.
    pub const GROUP_LIMIT: RamError = ram(
        Code::GroupLimit,
        "The count of groups beyond the current limits.",
        409,
    );
    /// odpsh's message.
    pub const USER_GROUP_EXISTS: RamError = ram(
        Code::UserGroupExists,
        "The user has already been in the group.",
        409,
    );
    /// odpsh's message.
    pub const USER_GROUP_NOT_EXIST: RamError = ram(
        Code::UserGroupNotExist,
        "The user is not in the group.",
        404,
    );
    /// odpsh's message (the code is documented).
    pub const USER_GROUP_LIMIT: RamError = ram(
        Code::UserGroupLimit,
        "The group count of the user beyond the current limits.",
        409,
    );
    /// odpsh's message, after the user's.
    pub const GROUP_POLICY_EXISTS: RamError = ram(
        Code::GroupPolicyExists,
        "The group has already been attached this policy.",
        409,
    );
    /// odpsh's message, after the user's.
    pub const GROUP_POLICY_NOT_EXIST: RamError = ram(
        Code::GroupPolicyNotExist,
        "The indicate policy of the group does not exist.",
        404,
    );
    /// odpsh's message, after the user's.
    pub const GROUP_POLICY_LIMIT: RamError = ram(
        Code::GroupPolicyLimit,
        "The policy count of the group attached policies beyond the current limits.",
        409,
    );
    /// Documented.
    pub const DELETE_CONFLICT_GROUP_USER: RamError = ram(
        Code::DeleteConflictGroupUser,
        "The group CAN NOT has any user member while deleting the group.",
        409,
    );
    /// Documented.
    pub const DELETE_CONFLICT_GROUP_POLICY: RamError = ram(
        Code::DeleteConflictGroupPolicy,
        "The entity CAN NOT has any attached policy while deleting the group.",
        409,
    );
    /// Documented.
    pub const DELETE_CONFLICT_GROUP: RamError = ram(
        Code::DeleteConflictUserGroup,
        "The user CAN NOT be in any group while deleting the user.",
        409,
    );
    /// Documented.
    pub const DELETE_CONFLICT_MFA_DEVICE: RamError = ram(
        Code::DeleteConflictUserMfa,
        "The user CAN NOT has any mfa device while deleting the user.",
        409,
    );
    /// After the documented pattern.
    pub const MFA_DEVICE_NAME_INVALID_CHARS: RamError = ram(
        Code::MfaDeviceNameInvalidChars,
        "The parameter - \"VirtualMFADeviceName\" contains invalid chars.",
        400,
    );
    /// After the documented pattern.
    pub const MFA_DEVICE_NAME_LENGTH: RamError = ram(
        Code::MfaDeviceNameLength,
        "The parameter - \"VirtualMFADeviceName\" beyond the length limit.",
        400,
    );
    /// odpsh's message.
    pub const MFA_DEVICE_EXISTS: RamError = ram(
        Code::MfaDeviceExists,
        "The virtual MFA device does already EXIST.",
        409,
    );
    /// odpsh's message.
    pub const MFA_DEVICE_NOT_EXIST: RamError = ram(
        Code::MfaDeviceNotExist,
        "The virtual MFA device does not exist.",
        404,
    );
    /// odpsh's message.
    pub const MFA_DEVICE_LIMIT: RamError = ram(
        Code::MfaDeviceLimit,
        "The count of virtual MFA devices beyond the current limits.",
        409,
    );
    /// odpsh's message (the code is documented).
    pub const USER_MFA_EXISTS: RamError = ram(
        Code::UserMfaExists,
        "The user has already bound an MFA device.",
        409,
    );
    /// odpsh's message (the code is documented).
    pub const USER_MFA_NOT_EXIST: RamError = ram(
        Code::UserMfaNotExist,
        "The user has not bound any MFA device.",
        404,
    );
    /// odpsh's code and message.
    pub const MFA_DEVICE_BOUND: RamError = ram(
        Code::MfaDeviceBound,
        "The virtual MFA device is already bound to a user.",
        409,
    );
    /// odpsh's message (the code is documented).
    pub const DELETE_CONFLICT_MFA_USER: RamError = ram(
        Code::DeleteConflictMfaUser,
        "The virtual MFA device CAN NOT be bound to any user while deleting it.",
        409,
    );
    /// odpsh's code and message.
    pub const AUTHENTICATION_CODE_INVALID: RamError = ram(
        Code::AuthenticationCodeInvalid,
        "AuthenticationCode1 and AuthenticationCode2 must be two consecutive six-digit codes of the device.",
        400,
    );
    /// odpsh's code and message.
    pub const PASSWORD_POLICY_INVALID: RamError = ram(
        Code::PasswordPolicyInvalid,
        "MinimumPasswordLength must be 8 to 32, MaxPasswordAge 0 to 1095, PasswordReusePrevention 0 to 24, MaxLoginAttemps 0 to 32, and the switches true or false.",
        400,
    );
    /// odpsh's code and message.
    pub const LOGIN_SESSION_DURATION_INVALID: RamError = ram(
        Code::LoginSessionDurationInvalid,
        "The parameter - \"LoginSessionDuration\" must be a whole number of hours from 6 to 24.",
        400,
    );
    /// odpsh's code and message.
    pub const LOGIN_NETWORK_MASKS_INVALID: RamError = ram(
        Code::LoginNetworkMasksInvalid,
        "The parameter - \"LoginNetworkMasks\" must be at most 25 CIDR blocks separated by semicolons, 512 characters in all.",
        400,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_codes_and_messages_are_exact() {
        let cases = [
            (
                RamError::DELETE_CONFLICT_GROUP,
                "DeleteConflict.User.Group",
                "The user CAN NOT be in any group while deleting the user.",
                409,
            ),
            (
                RamError::DELETE_CONFLICT_MFA_DEVICE,
                "DeleteConflict.User.MFADevice",
                "The user CAN NOT has any mfa device while deleting the user.",
                409,
            ),
            (
                RamError::DELETE_CONFLICT_GROUP_USER,
                "DeleteConflict.Group.User",
                "The group CAN NOT has any user member while deleting the group.",
                409,
            ),
            (
                RamError::DELETE_CONFLICT_GROUP_POLICY,
                "DeleteConflict.Group.Policy",
                "The entity CAN NOT has any attached policy while deleting the group.",
                409,
            ),
            (
                RamError::ENTITY_NOT_EXIST_GROUP,
                "EntityNotExist.Group",
                "The group does not exist.",
                404,
            ),
            (
                RamError::GROUP_NAME_INVALID_CHARS,
                "InvalidParameter.GroupName.InvalidChars",
                "The parameter - \"GroupName\" contains invalid chars.",
                400,
            ),
            (
                RamError::EMAIL_FORMAT,
                "InvalidParameter.Email.Format",
                "The format of the parameter - \"Email\" is incorrect.",
                400,
            ),
            (
                RamError::MOBILE_PHONE_FORMAT,
                "InvalidParameter.MobilePhone.Format",
                "The format of the parameter - \"MobilePhone\" is incorrect.",
                400,
            ),
            (
                RamError::USER_MFA_EXISTS,
                "EntityAlreadyExists.User.MFADevice",
                "The user has already bound an MFA device.",
                409,
            ),
            (
                RamError::DELETE_CONFLICT_MFA_USER,
                "DeleteConflict.VirtualMFADevice.User",
                "The virtual MFA device CAN NOT be bound to any user while deleting it.",
                409,
            ),
            (
                RamError::MAX_ITEMS_INVALID,
                "InvalidParameter.MaxItems",
                "The parameter - \"MaxItems\" must be a whole number from 1 to 1000.",
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
