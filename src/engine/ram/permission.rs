//! Whether a caller may make a console call: the main account always may; a RAM user when the
//! policies it holds (its own for the account, and its groups') allow the call's action on its
//! resource and none denies it (an explicit Deny wins, nothing is allowed by default); a RAM
//! role (acting through an STS credential) by its own attached policies alone. Besides
//! its policies, a RAM user may manage its own AccessKeys when the account allows it
//! (`AllowUserToManageAccessKeys`), and its own MFA device likewise
//! (`AllowUserToManageMFADevices`), unless a policy denies it.

use crate::syntax::{Api, ConsoleCommand, Param, RamApi};
use crate::world::credentials::{PolicyType, system_policy};
use crate::world::policy_condition::RequestContext;
use crate::world::policy_document::{PolicyDocument, Request, Verdict, combined};
use crate::world::{Account, AccountId, PrincipalId, Uid, World};

/// Where a call comes from, for policy conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// The caller's address, when it called over a network odpsh sees.
    pub source_ip: Option<std::net::Ipv4Addr>,
    /// Whether it called over HTTPS (the `aliyun` CLI does; `odpsh serve` speaks plain HTTP).
    pub secure_transport: bool,
}

impl Default for Origin {
    /// The shell: the `aliyun` CLI calls over HTTPS, from no address odpsh knows.
    fn default() -> Self {
        Origin {
            source_ip: None,
            secure_transport: true,
        }
    }
}

/// The RAM action of a console call (`ram:CreateUser`, `dataworks:CreateProject`); IMS actions
/// are RAM's, and odpsh's console pages stand for the RAM action they perform.
pub fn action_of(api: Api) -> String {
    match api {
        Api::Ram(a) => format!("ram:{}", a.name()),
        Api::Ims(a) => format!("ram:{}", a.name()),
        Api::Sts(a) => format!("sts:{}", a.name()),
        Api::DataWorks(a) => format!("dataworks:{}", a.name()),
        Api::Console(crate::syntax::ButtonApi::DeleteUser) => "ram:DeleteUser".to_string(),
        Api::Console(crate::syntax::ButtonApi::HandOver) => "ram:GetUser".to_string(),
        Api::Console(crate::syntax::ButtonApi::EnablePythonUDF) => "odps:UpdateProject".to_string(),
    }
}

/// The resource a console call acts on, as policies name it.
pub fn resource_of(
    world: &World,
    account: AccountId,
    actor: PrincipalId,
    command: &ConsoleCommand,
) -> String {
    let ram = |path: &str| format!("acs:ram:*:{account}:{path}");
    if matches!(command.api, Api::DataWorks(_)) {
        return match command.get(Param::ProjectId) {
            Some(id) => format!("acs:dataworks:*:{account}:workspace/{id}"),
            None => format!("acs:dataworks:*:{account}:workspace/*"),
        };
    }
    if let Some(serial) = command.get(Param::SerialNumber) {
        return serial.to_string();
    }
    if let Some(name) = command.get(Param::VirtualMFADeviceName) {
        return ram(&format!("mfa/{name}"));
    }
    if let Some(arn) = command.get(Param::RoleArn) {
        return arn.to_string();
    }
    if let Some(role) = command.get(Param::RoleName) {
        return ram(&format!("role/{role}"));
    }
    if let Some(group) = command.get(Param::GroupName) {
        return ram(&format!("group/{group}"));
    }
    if let Some(policy) = command.get(Param::PolicyName) {
        return ram(&format!("policy/{policy}"));
    }
    match (command.get(Param::UserName), actor) {
        (Some(name), _) => ram(&format!("user/{name}")),
        (None, PrincipalId::RamUser(uid))
            if command.product() != crate::syntax::Product::Console =>
        {
            match world.ram_user(uid) {
                Some((_, u)) => ram(&format!("user/{}", u.name())),
                None => ram("*"),
            }
        }
        _ => ram("*"),
    }
}

/// The documents of the policies `uid` holds for the account: its own and its groups'
/// (custom policies by their default version; resource-group attachments do not reach RAM).
pub fn documents(account: &Account, uid: Uid) -> Vec<PolicyDocument> {
    documents_of(account, account.policies_in_force(uid))
}

/// The documents of the policies attached to a RAM role.
pub fn role_documents(account: &Account, role: u64) -> Vec<PolicyDocument> {
    match account.directory.role_by_id(role) {
        Some(r) => documents_of(account, r.policies.iter()),
        None => Vec::new(),
    }
}

fn documents_of<'a>(
    account: &Account,
    attachments: impl Iterator<Item = &'a crate::world::credentials::PolicyAttachment>,
) -> Vec<PolicyDocument> {
    attachments
        .filter(|p| p.resource_group.is_none())
        .filter_map(|p| {
            let text = match p.policy_type {
                PolicyType::System => system_policy(&p.name)?.document,
                PolicyType::Custom => {
                    let policy = account
                        .custom_policies
                        .iter()
                        .find(|c| c.name.eq_ignore_ascii_case(&p.name))?;
                    policy.default()?.document.as_str()
                }
            };
            PolicyDocument::parse(text).ok()
        })
        .collect()
}

/// What `actor`'s policies say about `action` on `resource`: a RAM user's or a RAM role's
/// (a main account is bound by none, so everything is allowed to it).
pub fn verdict(
    world: &World,
    actor: PrincipalId,
    action: &str,
    resource: &str,
    origin: Origin,
) -> Verdict {
    let documents = match actor {
        PrincipalId::Account(_) => return Verdict::Allowed,
        PrincipalId::RamUser(uid) => match world.ram_user(uid) {
            Some((account, _)) => documents(account, uid),
            None => return Verdict::NotAllowed,
        },
        PrincipalId::RamRole(role) => match world.ram_role(role) {
            Some((account, _)) => role_documents(account, role),
            None => return Verdict::NotAllowed,
        },
    };
    let context = RequestContext {
        source_ip: origin.source_ip,
        current_time: world.clock.now,
        mfa_present: false,
        secure_transport: origin.secure_transport,
        task_type: None,
    };
    let request = Request {
        action,
        resource,
        context: &context,
    };
    combined(&documents, &request)
}

/// Whether the call is about the caller's own keys or MFA device, and the account lets RAM
/// users manage those themselves.
fn self_service(
    world: &World,
    account: AccountId,
    actor: PrincipalId,
    command: &ConsoleCommand,
) -> bool {
    let PrincipalId::RamUser(uid) = actor else {
        return false;
    };
    let Some(account) = world.account(account) else {
        return false;
    };
    let own = match command.get(Param::UserName) {
        None => true,
        Some(name) => account
            .user(uid)
            .is_some_and(|u| u.name().eq_ignore_ascii_case(name)),
    };
    match command.api {
        Api::Ram(api) if api.is_about_access_keys() => {
            own && account.allow_user_to_manage_access_keys
        }
        Api::Ram(api) if api.is_about_mfa() => {
            (own || api == RamApi::CreateVirtualMFADevice)
                && account
                    .directory
                    .preference
                    .allow_user_to_manage_mfa_devices
        }
        _ => false,
    }
}

/// What the policies of `actor` say about `command`; `None` for a main account, which policies
/// do not bind.
fn verdict_on(
    world: &World,
    account: AccountId,
    actor: PrincipalId,
    command: &ConsoleCommand,
    origin: Origin,
) -> Option<Verdict> {
    if let PrincipalId::Account(_) = actor {
        return None;
    }
    let resource = resource_of(world, account, actor, command);
    Some(verdict(
        world,
        actor,
        &action_of(command.api),
        &resource,
        origin,
    ))
}

/// Whether `actor` may make `command` on `account` from `origin`.
pub fn permitted(
    world: &World,
    account: AccountId,
    actor: PrincipalId,
    command: &ConsoleCommand,
    origin: Origin,
) -> bool {
    match verdict_on(world, account, actor, command, origin) {
        None | Some(Verdict::Allowed) => true,
        Some(Verdict::Denied) => false,
        Some(Verdict::NotAllowed) => self_service(world, account, actor, command),
    }
}

/// Whether a policy of `actor` explicitly denies `command` (DataWorks workspaces decide by
/// their own roles, but a RAM Deny still refuses).
pub fn denied(
    world: &World,
    account: AccountId,
    actor: PrincipalId,
    command: &ConsoleCommand,
    origin: Origin,
) -> bool {
    verdict_on(world, account, actor, command, origin) == Some(Verdict::Denied)
}
