//! Every code a failure carries, once: MaxCompute's `ODPS-…` codes, the RAM and OpenAPI
//! services' codes, and odpsh's own stable names for what the services report without a code.
//! Failures name their code by this enum, so an explanation keyed on a code that does not exist
//! does not compile; `as_str` is the text users compare with the real service, pinned below.

use std::fmt;

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident => $text:literal, )*) => {
        /// A failure's code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as the service (or odpsh) writes it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => $text, )*
                }
            }
        }
    };
}

codes! {
    // MaxCompute's codes.
    AccessDenied => "ODPS-0420095",
    AuthorizationException => "ODPS-0130013",
    ProjectNotFound => "ODPS-0420111",
    InvalidCredentials => "ODPS-0410051",
    InvalidSignature => "ODPS-0410042",
    TableNotResolved => "ODPS-0130131",
    SemanticError => "ODPS-0130071",
    ParseException => "ODPS-0130161",
    // odpsh's names for what MaxCompute reports without a code.
    LackOfAccountProvider => "LackOfAccountProvider",
    InvalidAccountName => "InvalidAccountName",
    UserAlreadyExists => "UserAlreadyExists",
    UserNotFound => "UserNotFound",
    UserHoldsRoles => "UserHoldsRoles",
    ForeignRamUser => "ForeignRamUser",
    UnknownProperty => "UnknownProperty",
    InvalidPropertyValue => "InvalidPropertyValue",
    SetByTicket => "SetByTicket",
    RoleAlreadyExists => "RoleAlreadyExists",
    RoleNotFound => "RoleNotFound",
    BuiltinRole => "BuiltinRole",
    RoleInUse => "RoleInUse",
    ResourceAlreadyExists => "ResourceAlreadyExists",
    FunctionAlreadyExists => "FunctionAlreadyExists",
    NotCurrentProject => "NotCurrentProject",
    InvalidExpires => "InvalidExpires",
    UnsupportedPrivilegeProperty => "UnsupportedPrivilegeProperty",
    BadCommand => "BadCommand",
    PolicyFormat => "PolicyFormat",
    PolicyFile => "PolicyFile",
    NotSimulated => "NotSimulated",
    TrustedProjectExists => "TrustedProjectExists",
    TrustedProjectNotFound => "TrustedProjectNotFound",
    AccountProviderExists => "AccountProviderExists",
    AccountProviderNotFound => "AccountProviderNotFound",
    AccountProviderRequired => "AccountProviderRequired",
    PackageAlreadyExists => "PackageAlreadyExists",
    ObjectInPackage => "ObjectInPackage",
    ObjectNotInPackage => "ObjectNotInPackage",
    PackageFull => "PackageFull",
    PackageInstalled => "PackageInstalled",
    OwnPackage => "OwnPackage",
    InstallNotAllowed => "InstallNotAllowed",
    IpNotInWhitelist => "IpNotInWhitelist",
    DownloadFile => "DownloadFile",
    CliError => "CliError",
    // odpsh's names for what its learning statements cannot answer.
    NoSuchRamUser => "NoSuchRamUser",
    NotARamUser => "NotARamUser",
    ResidualMember => "ResidualMember",
    WorkspaceResidual => "WorkspaceResidual",
    UnknownInternalId => "UnknownInternalId",
    OtherAccount => "OtherAccount",
    PlanWouldFail => "PlanWouldFail",
    PlanChanged => "PlanChanged",
    PlanNotShown => "PlanNotShown",
    NoSuchOperation => "NoSuchOperation",
    NothingShown => "NothingShown",
    // The RAM, IMS and DataWorks services' codes.
    EntityNotExistUser => "EntityNotExist.User",
    EntityAlreadyExistsUser => "EntityAlreadyExists.User",
    UserNameInvalidChars => "InvalidParameter.UserName.InvalidChars",
    UserNameLength => "InvalidParameter.UserName.Length",
    NewUserNameInvalidChars => "InvalidParameter.NewUserName.InvalidChars",
    NewUserNameLength => "InvalidParameter.NewUserName.Length",
    DisplayNameInvalidChars => "InvalidParameter.DisplayName.InvalidChars",
    DisplayNameLength => "InvalidParameter.DisplayName.Length",
    CommentsLength => "InvalidParameter.Comments.Length",
    TicketProjectNotFound => "EntityNotExist.Project",
    NoPermission => "NoPermission",
    AccessKeyLimit => "LimitExceeded.User.AccessKey",
    AccessKeyNotExist => "EntityNotExist.User.AccessKey",
    LoginProfileExists => "EntityAlreadyExists.User.LoginProfile",
    LoginProfileNotExist => "EntityNotExist.User.LoginProfile",
    PasswordTooWeak => "InvalidParameter.Password.TooWeak",
    PolicyNotExist => "EntityNotExist.Policy",
    PolicyExists => "EntityAlreadyExists.Policy",
    UserPolicyExists => "EntityAlreadyExists.User.Policy",
    UserPolicyNotExist => "EntityNotExist.User.Policy",
    UserPolicyLimit => "LimitExceeded.User.Policy",
    PolicyTypeInvalid => "InvalidParameter.PolicyType",
    PolicyNameInvalid => "InvalidParameter.PolicyName.InvalidChars",
    PolicyDocumentMalformed => "MalformedPolicyDocument",
    StatusInvalid => "InvalidParameter.Status",
    BooleanInvalid => "InvalidParameter.Boolean",
    AccountAliasInvalid => "InvalidParameter.AccountAlias.Format",
    DeleteConflictAccessKey => "DeleteConflict.User.AccessKey",
    DeleteConflictLoginProfile => "DeleteConflict.User.LoginProfile",
    DeleteConflictPolicy => "DeleteConflict.User.Policy",
    AccessKeyIdNotFound => "InvalidAccessKeyId.NotFound",
    AccessKeyIdInactive => "InvalidAccessKeyId.Inactive",
    SignatureDoesNotMatch => "SignatureDoesNotMatch",
    NotRealNameVerified => "Forbidden.RealNameAuthentication",
    ProjectNotExists => "Invalid.Tenant.ProjectNotExists",
    UserNotInProject => "Invalid.Tenant.UserNotInProject",
    UserNotInTenant => "Invalid.Tenant.UserNotInTenant",
    NotWorkspaceAdmin => "Invalid.Tenant.UserIsNotProjectOwnerOrAdmin",
    ProjectExists => "Invalid.Tenant.ProjectExists",
    RoleCodeInvalid => "Invalid.Tenant.RoleCode",
    WorkspaceOwner => "Invalid.Tenant.ProjectOwner",
    PageParameterInvalid => "Invalid.Tenant.PageParameter",
    ProjectNameInvalid => "Invalid.Tenant.ProjectName",
    // RAM groups, MFA, log-on, listings.
    EmailFormat => "InvalidParameter.Email.Format",
    MobilePhoneFormat => "InvalidParameter.MobilePhone.Format",
    MaxItemsInvalid => "InvalidParameter.MaxItems",
    MarkerInvalid => "InvalidParameter.Marker",
    GroupNameInvalidChars => "InvalidParameter.GroupName.InvalidChars",
    GroupNameLength => "InvalidParameter.GroupName.Length",
    NewGroupNameInvalidChars => "InvalidParameter.NewGroupName.InvalidChars",
    NewGroupNameLength => "InvalidParameter.NewGroupName.Length",
    EntityNotExistGroup => "EntityNotExist.Group",
    EntityAlreadyExistsGroup => "EntityAlreadyExists.Group",
    GroupLimit => "LimitExceeded.Group",
    UserGroupExists => "EntityAlreadyExists.User.Group",
    UserGroupNotExist => "EntityNotExist.User.Group",
    UserGroupLimit => "LimitExceeded.User.Group",
    GroupPolicyExists => "EntityAlreadyExists.Group.Policy",
    GroupPolicyNotExist => "EntityNotExist.Group.Policy",
    GroupPolicyLimit => "LimitExceeded.Group.Policy",
    DeleteConflictGroupUser => "DeleteConflict.Group.User",
    DeleteConflictGroupPolicy => "DeleteConflict.Group.Policy",
    DeleteConflictUserGroup => "DeleteConflict.User.Group",
    DeleteConflictUserMfa => "DeleteConflict.User.MFADevice",
    MfaDeviceNameInvalidChars => "InvalidParameter.VirtualMFADeviceName.InvalidChars",
    MfaDeviceNameLength => "InvalidParameter.VirtualMFADeviceName.Length",
    MfaDeviceExists => "EntityAlreadyExists.VirtualMFADevice",
    MfaDeviceNotExist => "EntityNotExist.VirtualMFADevice",
    MfaDeviceLimit => "LimitExceeded.VirtualMFADevice",
    UserMfaExists => "EntityAlreadyExists.User.MFADevice",
    UserMfaNotExist => "EntityNotExist.User.MFADevice",
    MfaDeviceBound => "EntityAlreadyExists.VirtualMFADevice.User",
    DeleteConflictMfaUser => "DeleteConflict.VirtualMFADevice.User",
    AuthenticationCodeInvalid => "InvalidParameter.AuthenticationCode",
    PasswordPolicyInvalid => "InvalidParameter.PasswordPolicy",
    LoginSessionDurationInvalid => "InvalidParameter.LoginSessionDuration",
    LoginNetworkMasksInvalid => "InvalidParameter.LoginNetworkMasks",
    // RAM policies: documents and versions.
    PolicyDocumentLength => "InvalidParameter.PolicyDocument.Length",
    DocumentVersion => "MalformedPolicyDocument.Version",
    DocumentStatement => "MalformedPolicyDocument.Statement",
    DocumentEffect => "MalformedPolicyDocument.Effect",
    DocumentAction => "MalformedPolicyDocument.Action",
    DocumentResource => "MalformedPolicyDocument.Resource",
    DocumentCondition => "MalformedPolicyDocument.Condition",
    DocumentElement => "MalformedPolicyDocument.Element",
    DeleteConflictPolicyUser => "DeleteConflict.Policy.User",
    DeleteConflictPolicyGroup => "DeleteConflict.Policy.Group",
    DeleteConflictPolicyVersion => "DeleteConflict.Policy.Version",
    PolicyVersionLimit => "LimitExceeded.Policy.Version",
    PolicyVersionNotExist => "EntityNotExist.Policy.Version",
    DefaultVersionConflict => "DeleteConflict.Policy.DefaultVersion",
    RotateStrategyInvalid => "InvalidParameter.RotateStrategy",
    // RAM roles and STS.
    RoleNameInvalidChars => "InvalidParameter.RoleName.InvalidChars",
    RoleNameLength => "InvalidParameter.RoleName.Length",
    EntityNotExistRole => "EntityNotExist.Role",
    EntityAlreadyExistsRole => "EntityAlreadyExists.Role",
    RoleLimit => "LimitExceeded.Role",
    DeleteConflictRolePolicy => "DeleteConflict.Role.Policy",
    RolePolicyExists => "EntityAlreadyExists.Role.Policy",
    RolePolicyNotExist => "EntityNotExist.Role.Policy",
    RolePolicyLimit => "LimitExceeded.Role.Policy",
    TrustPolicyInvalid => "InvalidParameter.AssumeRolePolicyDocument",
    MaxSessionDurationInvalid => "InvalidParameter.MaxSessionDuration",
    DescriptionLength => "InvalidParameter.Description.Length",
    RoleArnInvalid => "InvalidParameter.RoleArn",
    RoleSessionNameInvalid => "InvalidParameter.RoleSessionName",
    DurationSecondsInvalid => "InvalidParameter.DurationSeconds",
    SecurityTokenMissing => "MissingSecurityToken",
    SecurityTokenExpired => "InvalidSecurityToken.Expired",
    SecurityTokenMismatch => "InvalidSecurityToken.MismatchWithAccessKey",
}

impl Code {
    /// The code of a statement that does not parse: MaxCompute's parse exception, or odpsh's
    /// name for what the `aliyun` CLI refuses by itself.
    pub fn of_parse_error(e: &crate::syntax::ParseError) -> Code {
        match e {
            crate::syntax::ParseError::Syntax { .. } => Code::ParseException,
            crate::syntax::ParseError::Cli(_) => Code::CliError,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_written_once() {
        let mut texts: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let count = texts.len();
        texts.sort_unstable();
        texts.dedup();
        assert_eq!(texts.len(), count, "two codes share a text");
        assert_eq!(Code::AccessDenied.as_str(), "ODPS-0420095");
        assert_eq!(Code::ParseException.to_string(), "ODPS-0130161");
        assert_eq!(Code::EntityNotExistUser, "EntityNotExist.User");
        assert_eq!(
            serde_json::to_string(&Code::NoPermission).unwrap(),
            "\"NoPermission\""
        );
    }
}
