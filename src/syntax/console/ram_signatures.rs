//! What each RAM action takes (RAM 2015-05-01, as its API reference and SDK name the
//! parameters): the one match [`super::apis::Api::signature`] asks for `aliyun ram …`.

use super::apis::{OPTIONAL, Param, ParamSpec, REQUIRED, RamApi, Signature, reads, writes};

/// The parameters of attaching and detaching a policy to a user.
const USER_POLICY_PARAMS: &[ParamSpec] = &[
    (Param::PolicyType, REQUIRED),
    (Param::PolicyName, REQUIRED),
    (Param::UserName, REQUIRED),
    (Param::ResourceGroupId, OPTIONAL),
];

/// The parameters of attaching and detaching a policy to a group.
const GROUP_POLICY_PARAMS: &[ParamSpec] = &[
    (Param::PolicyType, REQUIRED),
    (Param::PolicyName, REQUIRED),
    (Param::GroupName, REQUIRED),
];

/// The parameters of attaching and detaching a policy to a role.
const ROLE_POLICY_PARAMS: &[ParamSpec] = &[
    (Param::PolicyType, REQUIRED),
    (Param::PolicyName, REQUIRED),
    (Param::RoleName, REQUIRED),
];

/// A page of a listing.
const PAGE: [ParamSpec; 2] = [(Param::Marker, OPTIONAL), (Param::MaxItems, OPTIONAL)];

/// The parameters of a policy's version.
const VERSION_PARAMS: &[ParamSpec] = &[
    (Param::PolicyType, REQUIRED),
    (Param::PolicyName, REQUIRED),
    (Param::VersionId, REQUIRED),
];

/// Its parameters, in the order `aliyun help` lists them, and whether it only reads.
pub(super) fn signature(api: RamApi) -> Signature {
    use Param::*;
    match api {
        RamApi::CreateUser => writes(&[
            (UserName, REQUIRED),
            (DisplayName, OPTIONAL),
            (MobilePhone, OPTIONAL),
            (Email, OPTIONAL),
            (Comments, OPTIONAL),
        ]),
        RamApi::GetUser => reads(&[(UserName, REQUIRED)]),
        RamApi::ListUsers => reads(&PAGE),
        RamApi::UpdateUser => writes(&[
            (UserName, REQUIRED),
            (NewUserName, OPTIONAL),
            (NewDisplayName, OPTIONAL),
            (NewMobilePhone, OPTIONAL),
            (NewEmail, OPTIONAL),
            (NewComments, OPTIONAL),
        ]),
        RamApi::DeleteUser => writes(&[(UserName, REQUIRED)]),
        RamApi::CreateGroup => writes(&[(GroupName, REQUIRED), (Comments, OPTIONAL)]),
        RamApi::GetGroup | RamApi::ListPoliciesForGroup => reads(&[(GroupName, REQUIRED)]),
        RamApi::ListGroups => reads(&PAGE),
        RamApi::UpdateGroup => writes(&[
            (GroupName, REQUIRED),
            (NewGroupName, OPTIONAL),
            (NewComments, OPTIONAL),
        ]),
        RamApi::DeleteGroup => writes(&[(GroupName, REQUIRED)]),
        RamApi::AddUserToGroup | RamApi::RemoveUserFromGroup => {
            writes(&[(UserName, REQUIRED), (GroupName, REQUIRED)])
        }
        RamApi::ListGroupsForUser => reads(&[(UserName, REQUIRED)]),
        RamApi::ListUsersForGroup => reads(&[
            (GroupName, REQUIRED),
            (Marker, OPTIONAL),
            (MaxItems, OPTIONAL),
        ]),
        RamApi::CreateLoginProfile => writes(&[
            (UserName, REQUIRED),
            (Password, REQUIRED),
            (PasswordResetRequired, OPTIONAL),
            (MFABindRequired, OPTIONAL),
        ]),
        RamApi::GetLoginProfile => reads(&[(UserName, REQUIRED)]),
        RamApi::UpdateLoginProfile => writes(&[
            (UserName, REQUIRED),
            (Password, OPTIONAL),
            (PasswordResetRequired, OPTIONAL),
            (MFABindRequired, OPTIONAL),
        ]),
        RamApi::DeleteLoginProfile => writes(&[(UserName, REQUIRED)]),
        RamApi::GetPasswordPolicy
        | RamApi::ListVirtualMFADevices
        | RamApi::GetSecurityPreference
        | RamApi::GetAccountAlias => reads(&[]),
        RamApi::SetPasswordPolicy => writes(&[
            (MinimumPasswordLength, OPTIONAL),
            (RequireLowercaseCharacters, OPTIONAL),
            (RequireUppercaseCharacters, OPTIONAL),
            (RequireNumbers, OPTIONAL),
            (RequireSymbols, OPTIONAL),
            (HardExpiry, OPTIONAL),
            (MaxPasswordAge, OPTIONAL),
            (PasswordReusePrevention, OPTIONAL),
            (MaxLoginAttemps, OPTIONAL),
        ]),
        RamApi::CreateVirtualMFADevice => writes(&[(VirtualMFADeviceName, REQUIRED)]),
        RamApi::DeleteVirtualMFADevice => writes(&[(SerialNumber, REQUIRED)]),
        RamApi::BindMFADevice => writes(&[
            (SerialNumber, REQUIRED),
            (UserName, REQUIRED),
            (AuthenticationCode1, REQUIRED),
            (AuthenticationCode2, REQUIRED),
        ]),
        RamApi::UnbindMFADevice => writes(&[(UserName, REQUIRED)]),
        RamApi::GetUserMFAInfo => reads(&[(UserName, REQUIRED)]),
        RamApi::CreateAccessKey => writes(&[(UserName, OPTIONAL)]),
        RamApi::ListAccessKeys => reads(&[(UserName, OPTIONAL)]),
        RamApi::UpdateAccessKey => writes(&[
            (UserName, OPTIONAL),
            (UserAccessKeyId, REQUIRED),
            (Status, REQUIRED),
        ]),
        RamApi::DeleteAccessKey => writes(&[(UserName, OPTIONAL), (UserAccessKeyId, REQUIRED)]),
        RamApi::GetAccessKeyLastUsed => reads(&[(UserName, OPTIONAL), (UserAccessKeyId, REQUIRED)]),
        RamApi::AttachPolicyToUser | RamApi::DetachPolicyFromUser => writes(USER_POLICY_PARAMS),
        RamApi::ListPoliciesForUser => reads(&[(UserName, REQUIRED), (ResourceGroupId, OPTIONAL)]),
        RamApi::AttachPolicyToGroup | RamApi::DetachPolicyFromGroup => writes(GROUP_POLICY_PARAMS),
        RamApi::CreatePolicy => writes(&[
            (PolicyName, REQUIRED),
            (PolicyDocument, REQUIRED),
            (Description, OPTIONAL),
        ]),
        RamApi::GetPolicy | RamApi::ListPolicyVersions => {
            reads(&[(PolicyType, REQUIRED), (PolicyName, REQUIRED)])
        }
        RamApi::ListPolicies => reads(&[
            (PolicyType, OPTIONAL),
            (Marker, OPTIONAL),
            (MaxItems, OPTIONAL),
        ]),
        RamApi::DeletePolicy => writes(&[(PolicyName, REQUIRED)]),
        RamApi::CreatePolicyVersion => writes(&[
            (PolicyName, REQUIRED),
            (PolicyDocument, REQUIRED),
            (SetAsDefault, OPTIONAL),
            (RotateStrategy, OPTIONAL),
        ]),
        RamApi::GetPolicyVersion => reads(VERSION_PARAMS),
        RamApi::SetDefaultPolicyVersion | RamApi::DeletePolicyVersion => {
            writes(&[(PolicyName, REQUIRED), (VersionId, REQUIRED)])
        }
        RamApi::SetSecurityPreference => writes(&[
            (EnableSaveMFATicket, OPTIONAL),
            (AllowUserToChangePassword, OPTIONAL),
            (AllowUserToManageAccessKeys, OPTIONAL),
            (AllowUserToManageMFADevices, OPTIONAL),
            (AllowUserToManagePublicKeys, OPTIONAL),
            (LoginSessionDuration, OPTIONAL),
            (LoginNetworkMasks, OPTIONAL),
        ]),
        RamApi::SetAccountAlias => writes(&[(AccountAlias, REQUIRED)]),
        RamApi::CreateRole => writes(&[
            (RoleName, REQUIRED),
            (AssumeRolePolicyDocument, REQUIRED),
            (Description, OPTIONAL),
            (MaxSessionDuration, OPTIONAL),
        ]),
        RamApi::GetRole | RamApi::ListPoliciesForRole => reads(&[(RoleName, REQUIRED)]),
        RamApi::ListRoles => reads(&PAGE),
        RamApi::UpdateRole => writes(&[
            (RoleName, REQUIRED),
            (NewAssumeRolePolicyDocument, OPTIONAL),
            (NewMaxSessionDuration, OPTIONAL),
            (NewDescription, OPTIONAL),
        ]),
        RamApi::DeleteRole => writes(&[(RoleName, REQUIRED)]),
        RamApi::AttachPolicyToRole | RamApi::DetachPolicyFromRole => writes(ROLE_POLICY_PARAMS),
    }
}
