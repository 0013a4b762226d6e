//! The console actions odpsh simulates, typed: each product's actions are an enum ([`RamApi`],
//! [`ImsApi`], [`DataWorksApi`], [`ButtonApi`]), an action is an [`Api`], and its parameters
//! are [`Param`]s. Which parameters an action takes, which of them are required, and whether it
//! only reads is one exhaustive match per product ([`Api::signature`]), so an action added
//! without its parameters, or dispatched by a misspelt name, does not compile.
//!
//! Parameter values stay text: the CLI sends them as text, and what a value must look like
//! (`true`/`false`, a page number, a password's strength) is the service's to check and refuse
//! with its own error codes, which the engine does.

/// A product of the `aliyun` CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Product {
    /// RAM (2015-05-01).
    Ram,
    /// IMS, the newer identity API (only GetDefaultDomain here).
    Ims,
    /// STS (2015-04-01): temporary credentials for RAM roles.
    Sts,
    /// DataWorks workspaces (`dataworks-public`).
    DataWorks,
    /// odpsh's own: what the buttons of the RAM console do (no real API).
    Console,
}

impl Product {
    /// Every product, in the order `aliyun help` would list them here.
    pub const ALL: [Product; 5] = [
        Product::Ram,
        Product::Ims,
        Product::Sts,
        Product::DataWorks,
        Product::Console,
    ];

    pub fn cli_name(self) -> &'static str {
        match self {
            Product::Ram => "ram",
            Product::Ims => "ims",
            Product::Sts => "sts",
            Product::DataWorks => "dataworks-public",
            Product::Console => "console",
        }
    }

    pub fn from_cli(name: &str) -> Option<Product> {
        Product::ALL
            .into_iter()
            .find(|p| p.cli_name().eq_ignore_ascii_case(name))
    }
}

/// An enum of names spelt as the service spells them, with every value and its name.
macro_rules! named {
    ($(#[$doc:meta])* $enum:ident { $( $variant:ident ),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $enum {
            $( $variant, )*
        }

        impl $enum {
            /// Every value, in declaration order.
            pub const ALL: &'static [$enum] = &[$($enum::$variant),*];

            /// The name as the service spells it.
            pub fn name(self) -> &'static str {
                match self {
                    $( $enum::$variant => stringify!($variant), )*
                }
            }
        }
    };
}

named! {
    /// A parameter of a console action, by the name the CLI and the API give it.
    Param {
        UserName, DisplayName, MobilePhone, Email, Comments,
        NewUserName, NewDisplayName, NewMobilePhone, NewEmail, NewComments,
        Marker, MaxItems,
        GroupName, NewGroupName,
        Password, PasswordResetRequired, MFABindRequired,
        VirtualMFADeviceName, SerialNumber, AuthenticationCode1, AuthenticationCode2,
        UserAccessKeyId, Status,
        PolicyType, PolicyName, PolicyDocument, Description, ResourceGroupId,
        VersionId, SetAsDefault, RotateStrategy,
        MinimumPasswordLength, RequireLowercaseCharacters, RequireUppercaseCharacters,
        RequireNumbers, RequireSymbols, MaxPasswordAge, HardExpiry, PasswordReusePrevention,
        MaxLoginAttemps,
        EnableSaveMFATicket, AllowUserToChangePassword, AllowUserToManageAccessKeys,
        AllowUserToManageMFADevices, AllowUserToManagePublicKeys, LoginSessionDuration,
        LoginNetworkMasks,
        AccountAlias,
        RoleName, AssumeRolePolicyDocument, MaxSessionDuration, NewAssumeRolePolicyDocument,
        NewMaxSessionDuration, NewDescription, RoleArn, RoleSessionName, DurationSeconds,
        ProjectName, ProjectDescription, ProjectId, UserId, RoleCode, ClientToken, PageNumber,
        PageSize,
    }
}

named! {
    /// The RAM actions (`aliyun ram …`, RAM 2015-05-01).
    RamApi {
        CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser,
        CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup,
        AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser, ListUsersForGroup,
        CreateLoginProfile, GetLoginProfile, UpdateLoginProfile, DeleteLoginProfile,
        GetPasswordPolicy, SetPasswordPolicy,
        CreateVirtualMFADevice, ListVirtualMFADevices, DeleteVirtualMFADevice,
        BindMFADevice, UnbindMFADevice, GetUserMFAInfo,
        CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed,
        AttachPolicyToUser, DetachPolicyFromUser, ListPoliciesForUser,
        AttachPolicyToGroup, DetachPolicyFromGroup, ListPoliciesForGroup,
        CreatePolicy, GetPolicy, ListPolicies, DeletePolicy,
        CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions, SetDefaultPolicyVersion,
        DeletePolicyVersion,
        SetSecurityPreference, GetSecurityPreference, GetAccountAlias, SetAccountAlias,
        CreateRole, GetRole, ListRoles, UpdateRole, DeleteRole,
        AttachPolicyToRole, DetachPolicyFromRole, ListPoliciesForRole,
    }
}

named! {
    /// The IMS actions (`aliyun ims …`).
    ImsApi { GetDefaultDomain }
}

named! {
    /// The STS actions (`aliyun sts …`, STS 2015-04-01).
    StsApi { AssumeRole, GetCallerIdentity }
}

named! {
    /// The DataWorks workspace actions (`aliyun dataworks-public …`).
    DataWorksApi {
        CreateProject, CreateProjectMember, DeleteProjectMember, ListProjectMembers,
        AddProjectMemberToRole, RemoveProjectMemberFromRole, ListProjectRoles,
    }
}

named! {
    /// odpsh's own `aliyun console …` actions: what a console page or a support ticket does.
    ButtonApi { DeleteUser, HandOver, EnablePythonUDF }
}

impl RamApi {
    /// Whether it is about AccessKeys, which a RAM user may be allowed to manage for itself.
    pub fn is_about_access_keys(self) -> bool {
        matches!(
            self,
            RamApi::CreateAccessKey
                | RamApi::ListAccessKeys
                | RamApi::UpdateAccessKey
                | RamApi::DeleteAccessKey
                | RamApi::GetAccessKeyLastUsed
        )
    }

    /// Whether it is about a user's own MFA device, which the account may let RAM users manage.
    pub fn is_about_mfa(self) -> bool {
        matches!(
            self,
            RamApi::CreateVirtualMFADevice
                | RamApi::BindMFADevice
                | RamApi::UnbindMFADevice
                | RamApi::GetUserMFAInfo
        )
    }
}

/// One console action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Api {
    Ram(RamApi),
    Ims(ImsApi),
    Sts(StsApi),
    DataWorks(DataWorksApi),
    Console(ButtonApi),
}

/// One parameter of an action and whether the CLI requires it.
pub type ParamSpec = (Param, bool);

/// What an action takes and whether it only reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    pub params: &'static [ParamSpec],
    pub read_only: bool,
}

pub(super) const REQUIRED: bool = true;
pub(super) const OPTIONAL: bool = false;

pub(super) const fn reads(params: &'static [ParamSpec]) -> Signature {
    Signature {
        params,
        read_only: true,
    }
}

pub(super) const fn writes(params: &'static [ParamSpec]) -> Signature {
    Signature {
        params,
        read_only: false,
    }
}

impl Api {
    /// Every action, product by product.
    pub fn all() -> impl Iterator<Item = Api> {
        let ram = RamApi::ALL.iter().map(|a| Api::Ram(*a));
        let ims = ImsApi::ALL.iter().map(|a| Api::Ims(*a));
        let sts = StsApi::ALL.iter().map(|a| Api::Sts(*a));
        let dataworks = DataWorksApi::ALL.iter().map(|a| Api::DataWorks(*a));
        let console = ButtonApi::ALL.iter().map(|a| Api::Console(*a));
        ram.chain(ims).chain(sts).chain(dataworks).chain(console)
    }

    /// The action `name` (exactly as the API spells it) of `product`.
    pub fn named(product: Product, name: &str) -> Option<Api> {
        Api::all().find(|a| a.product() == product && a.name() == name)
    }

    pub fn product(self) -> Product {
        match self {
            Api::Ram(_) => Product::Ram,
            Api::Ims(_) => Product::Ims,
            Api::Sts(_) => Product::Sts,
            Api::DataWorks(_) => Product::DataWorks,
            Api::Console(_) => Product::Console,
        }
    }

    /// The action's name as the API spells it.
    pub fn name(self) -> &'static str {
        match self {
            Api::Ram(a) => a.name(),
            Api::Ims(a) => a.name(),
            Api::Sts(a) => a.name(),
            Api::DataWorks(a) => a.name(),
            Api::Console(a) => a.name(),
        }
    }

    pub fn params(self) -> &'static [ParamSpec] {
        self.signature().params
    }

    pub fn is_read_only(self) -> bool {
        self.signature().read_only
    }

    /// Its parameters, in the order `aliyun help` lists them, and whether it only reads.
    pub fn signature(self) -> Signature {
        use Param::*;
        match self {
            Api::Ram(api) => super::ram_signatures::signature(api),
            Api::Ims(ImsApi::GetDefaultDomain) => reads(&[]),
            Api::Sts(StsApi::GetCallerIdentity) => reads(&[]),
            // Issuing a credential changes the world: it is kept, so that it can sign.
            Api::Sts(StsApi::AssumeRole) => writes(&[
                (RoleArn, REQUIRED),
                (RoleSessionName, REQUIRED),
                (DurationSeconds, OPTIONAL),
            ]),
            Api::DataWorks(api) => match api {
                DataWorksApi::CreateProject => {
                    writes(&[(ProjectName, REQUIRED), (ProjectDescription, OPTIONAL)])
                }
                // RoleCode is optional (2020-05-18): without it the member has no role.
                DataWorksApi::CreateProjectMember => writes(&[
                    (ProjectId, REQUIRED),
                    (UserId, REQUIRED),
                    (RoleCode, OPTIONAL),
                    (ClientToken, OPTIONAL),
                ]),
                DataWorksApi::AddProjectMemberToRole => writes(&[
                    (ProjectId, REQUIRED),
                    (UserId, REQUIRED),
                    (RoleCode, REQUIRED),
                    (ClientToken, OPTIONAL),
                ]),
                DataWorksApi::RemoveProjectMemberFromRole => writes(&[
                    (ProjectId, REQUIRED),
                    (UserId, REQUIRED),
                    (RoleCode, REQUIRED),
                ]),
                DataWorksApi::ListProjectRoles => reads(&[(ProjectId, REQUIRED)]),
                DataWorksApi::DeleteProjectMember => {
                    writes(&[(ProjectId, REQUIRED), (UserId, REQUIRED)])
                }
                DataWorksApi::ListProjectMembers => reads(&[
                    (ProjectId, REQUIRED),
                    (PageNumber, OPTIONAL),
                    (PageSize, OPTIONAL),
                ]),
            },
            Api::Console(api) => match api {
                ButtonApi::DeleteUser => writes(&[(UserName, REQUIRED)]),
                ButtonApi::HandOver => reads(&[(UserName, REQUIRED)]),
                ButtonApi::EnablePythonUDF => writes(&[(ProjectName, REQUIRED)]),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_found_by_its_product_and_name() {
        for api in Api::all() {
            assert_eq!(Api::named(api.product(), api.name()), Some(api));
        }
        assert_eq!(Api::named(Product::Ram, "createuser"), None);
        assert_eq!(Api::named(Product::Ims, "CreateUser"), None);
        assert_eq!(
            Api::named(Product::Console, "DeleteUser"),
            Some(Api::Console(ButtonApi::DeleteUser))
        );
    }

    #[test]
    fn no_action_names_a_parameter_twice() {
        for api in Api::all() {
            let params = api.params();
            for (i, (p, _)) in params.iter().enumerate() {
                assert!(
                    !params[..i].iter().any(|(q, _)| q == p),
                    "{} names {} twice",
                    api.name(),
                    p.name()
                );
            }
        }
    }

    #[test]
    fn every_parameter_belongs_to_some_action() {
        for param in Param::ALL {
            assert!(
                Api::all().any(|a| a.params().iter().any(|(p, _)| p == param)),
                "{} is taken by no action",
                param.name()
            );
        }
    }

    #[test]
    fn names_are_spelt_as_the_service_spells_them() {
        assert_eq!(Param::MFABindRequired.name(), "MFABindRequired");
        assert_eq!(ButtonApi::EnablePythonUDF.name(), "EnablePythonUDF");
        assert_eq!(
            Product::from_cli("DATAWORKS-PUBLIC"),
            Some(Product::DataWorks)
        );
        assert_eq!(Api::all().count(), 71);
    }
}
