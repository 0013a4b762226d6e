//! The RAM API (`aliyun ram …`, `aliyun ims GetDefaultDomain`) over the caller's account.

mod account;
mod attach;
mod groups;
mod keys;
mod login;
mod mfa;
mod mfa_qr;
mod paging;
pub mod permission;
mod policies;
pub mod roles;
mod users;
mod versions;

use serde_json::Value;

use crate::syntax::{Api, ConsoleCommand, ImsApi, Param, RamApi};
use crate::world::{AccountId, PrincipalId, RamUser, Uid, World};

use attach::Holder;
pub use permission::Origin;

use super::error::RamError;
use super::{Failure, Outcome, Output, Session};

pub use users::strip_and_delete;

/// One API call: the world, the caller and its account, and the command.
pub struct Call<'a> {
    pub world: &'a mut World,
    pub account: AccountId,
    pub actor: PrincipalId,
    pub request_id: String,
    pub command: &'a ConsoleCommand,
    pub origin: Origin,
}

impl Call<'_> {
    pub fn param(&self, param: Param) -> Option<&str> {
        self.command.get(param)
    }

    /// A parameter the CLI already required.
    pub fn required(&self, param: Param) -> &str {
        self.command.get(param).unwrap_or_default()
    }

    /// An optional `true`/`false` parameter.
    pub fn flag(&self, param: Param) -> Result<Option<bool>, RamError> {
        match self.param(param) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(_) => Err(RamError::BOOLEAN_INVALID),
        }
    }

    pub fn account(&self) -> Result<&crate::world::Account, RamError> {
        self.world
            .account(self.account)
            .ok_or(RamError::NO_PERMISSION)
    }

    pub fn account_mut(&mut self) -> Result<&mut crate::world::Account, RamError> {
        self.world
            .account_mut(self.account)
            .ok_or(RamError::NO_PERMISSION)
    }

    /// The RAM user named by `--UserName`.
    pub fn user(&self) -> Result<&RamUser, RamError> {
        self.account()?
            .user_named(self.required(Param::UserName))
            .ok_or(RamError::ENTITY_NOT_EXIST_USER)
    }

    /// The owner of the keys a key action is about: the named user, else the caller itself.
    pub fn key_owner(&self) -> Result<Option<Uid>, RamError> {
        match (self.param(Param::UserName), self.actor) {
            (Some(_), _) => Ok(Some(self.user()?.uid)),
            (None, PrincipalId::RamUser(uid)) => Ok(Some(uid)),
            (None, _) => Ok(None),
        }
    }
}

/// Whether `actor` may make the RAM call `command` (the check every RAM call makes first), for
/// the learning statements that show what such a call would show (from the shell).
pub fn permits(world: &World, actor: PrincipalId, command: &ConsoleCommand) -> bool {
    caller_account(world, actor).is_some_and(|account| {
        permission::permitted(world, account, actor, command, Origin::default())
    })
}

/// The account a caller acts on: its own, or its owner's for a RAM user.
pub fn caller_account(world: &World, actor: PrincipalId) -> Option<AccountId> {
    super::names::account_of(world, actor)
}

fn dispatch(call: &mut Call<'_>) -> Result<Output, RamError> {
    if !permission::permitted(
        call.world,
        call.account,
        call.actor,
        call.command,
        call.origin,
    ) {
        return Err(RamError::NO_PERMISSION);
    }
    let api = match call.command.api {
        Api::Ram(api) => api,
        Api::Ims(ImsApi::GetDefaultDomain) => {
            return Ok(Output::Json(account::default_domain(call)?));
        }
        // The engine sends only RAM and IMS calls here.
        Api::Sts(_) | Api::DataWorks(_) | Api::Console(_) => return Err(RamError::NO_PERMISSION),
    };
    let reply: Value = match api {
        RamApi::CreateUser => users::create(call)?,
        RamApi::GetUser => users::get(call)?,
        RamApi::ListUsers => users::list(call)?,
        RamApi::UpdateUser => users::update(call)?,
        RamApi::DeleteUser => users::delete(call)?,
        RamApi::CreateGroup => groups::create(call)?,
        RamApi::GetGroup => groups::get(call)?,
        RamApi::ListGroups => groups::list(call)?,
        RamApi::UpdateGroup => groups::update(call)?,
        RamApi::DeleteGroup => groups::delete(call)?,
        RamApi::AddUserToGroup => groups::add_user(call)?,
        RamApi::RemoveUserFromGroup => groups::remove_user(call)?,
        RamApi::ListGroupsForUser => groups::list_for_user(call)?,
        RamApi::ListUsersForGroup => groups::list_users(call)?,
        RamApi::CreateLoginProfile => login::create_login_profile(call)?,
        RamApi::GetLoginProfile => login::get_login_profile(call)?,
        RamApi::UpdateLoginProfile => login::update_login_profile(call)?,
        RamApi::DeleteLoginProfile => login::delete_login_profile(call)?,
        RamApi::GetPasswordPolicy => login::get_password_policy(call)?,
        RamApi::SetPasswordPolicy => login::set_password_policy(call)?,
        RamApi::CreateVirtualMFADevice => mfa::create(call)?,
        RamApi::ListVirtualMFADevices => mfa::list(call)?,
        RamApi::DeleteVirtualMFADevice => mfa::delete(call)?,
        RamApi::BindMFADevice => mfa::bind(call)?,
        RamApi::UnbindMFADevice => mfa::unbind(call)?,
        RamApi::GetUserMFAInfo => mfa::user_info(call)?,
        RamApi::CreateAccessKey => keys::create(call)?,
        RamApi::ListAccessKeys => keys::list(call)?,
        RamApi::UpdateAccessKey => keys::update(call)?,
        RamApi::DeleteAccessKey => keys::delete(call)?,
        RamApi::GetAccessKeyLastUsed => keys::last_used(call)?,
        RamApi::AttachPolicyToUser => return attach::attach(call, Holder::User),
        RamApi::DetachPolicyFromUser => attach::detach(call, Holder::User)?,
        RamApi::ListPoliciesForUser => attach::list(call, Holder::User)?,
        RamApi::AttachPolicyToGroup => return attach::attach(call, Holder::Group),
        RamApi::DetachPolicyFromGroup => attach::detach(call, Holder::Group)?,
        RamApi::ListPoliciesForGroup => attach::list(call, Holder::Group)?,
        RamApi::CreatePolicy => policies::create(call)?,
        RamApi::GetPolicy => policies::get(call)?,
        RamApi::ListPolicies => policies::list(call)?,
        RamApi::DeletePolicy => policies::delete(call)?,
        RamApi::CreatePolicyVersion => versions::create(call)?,
        RamApi::GetPolicyVersion => versions::get(call)?,
        RamApi::ListPolicyVersions => versions::list(call)?,
        RamApi::SetDefaultPolicyVersion => versions::set_default(call)?,
        RamApi::DeletePolicyVersion => versions::delete(call)?,
        RamApi::SetSecurityPreference => account::set_security_preference(call)?,
        RamApi::GetSecurityPreference => account::get_security_preference(call)?,
        RamApi::GetAccountAlias => account::get_alias(call)?,
        RamApi::SetAccountAlias => account::set_alias(call)?,
        RamApi::CreateRole => roles::create(call)?,
        RamApi::GetRole => roles::get(call)?,
        RamApi::ListRoles => roles::list(call)?,
        RamApi::UpdateRole => roles::update(call)?,
        RamApi::DeleteRole => roles::delete(call)?,
        RamApi::AttachPolicyToRole => return attach::attach(call, Holder::Role),
        RamApi::DetachPolicyFromRole => attach::detach(call, Holder::Role)?,
        RamApi::ListPoliciesForRole => attach::list(call, Holder::Role)?,
    };
    Ok(Output::Json(reply))
}

/// Runs a RAM or IMS call.
pub fn execute(world: &mut World, session: &mut Session, command: &ConsoleCommand) -> Outcome {
    let request_id = session.next_request_id(world);
    let Some(account) = caller_account(world, session.actor) else {
        return Err(Failure::Ram {
            error: RamError::NO_PERMISSION,
            request_id,
            product: command.product(),
        });
    };
    let mut call = Call {
        world,
        account,
        actor: session.actor,
        request_id: request_id.clone(),
        command,
        origin: session.origin(),
    };
    dispatch(&mut call).map_err(|error| Failure::Ram {
        error,
        request_id,
        product: command.product(),
    })
}
