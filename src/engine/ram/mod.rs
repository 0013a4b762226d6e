//! The RAM API (`aliyun ram …`, `aliyun ims GetDefaultDomain`) over the caller's account.

mod account;
mod keys;
mod policies;
mod users;

use serde_json::Value;

use crate::syntax::{Api, ConsoleCommand, ImsApi, Param, RamApi};
use crate::world::credentials::PolicyType;
use crate::world::{AccountId, PrincipalId, RamUser, Uid, World};

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
}

/// What a call needs to be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    Read,
    Write,
    /// Managing the caller's own AccessKeys.
    OwnKeys,
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

/// What a call needs to be allowed: its action, whom it names, and who makes it.
fn need(world: &World, account: AccountId, actor: PrincipalId, command: &ConsoleCommand) -> Need {
    if matches!(command.api, Api::Ram(api) if api.is_about_access_keys()) {
        let own = match (command.get(Param::UserName), actor) {
            (None, _) => true,
            (Some(name), PrincipalId::RamUser(uid)) => world
                .account(account)
                .and_then(|a| a.user(uid))
                .is_some_and(|u| u.name().eq_ignore_ascii_case(name)),
            _ => false,
        };
        if own {
            return Need::OwnKeys;
        }
    }
    if command.is_read_only() {
        Need::Read
    } else {
        Need::Write
    }
}

/// The account-scope system policies a RAM user holds.
pub fn holds_policy(world: &World, uid: Uid, names: &[&str]) -> bool {
    world.ram_user(uid).is_some_and(|(_, user)| {
        user.policies().iter().any(|p| {
            p.policy_type == PolicyType::System
                && p.resource_group.is_none()
                && names.iter().any(|n| n.eq_ignore_ascii_case(&p.name))
        })
    })
}

/// Whether the caller may make this call: a main account always; a RAM user by its RAM
/// policies (AliyunRAMReadOnlyAccess reads everything, its own AccessKeys included), or for its
/// own AccessKeys when the account allows users to manage them.
fn permitted(
    world: &World,
    account: AccountId,
    actor: PrincipalId,
    command: &ConsoleCommand,
) -> bool {
    let PrincipalId::RamUser(uid) = actor else {
        return true;
    };
    let full = ["AdministratorAccess", "AliyunRAMFullAccess"];
    if holds_policy(world, uid, &full) {
        return true;
    }
    match need(world, account, actor, command) {
        Need::Read => holds_policy(world, uid, &["AliyunRAMReadOnlyAccess"]),
        Need::OwnKeys => {
            world
                .account(account)
                .is_some_and(|a| a.allow_user_to_manage_access_keys)
                || (command.is_read_only()
                    && holds_policy(world, uid, &["AliyunRAMReadOnlyAccess"]))
        }
        Need::Write => false,
    }
}

/// Whether `actor` may make the RAM call `command` (the check every RAM call makes first), for
/// the learning statements that show what such a call would show.
pub fn permits(world: &World, actor: PrincipalId, command: &ConsoleCommand) -> bool {
    caller_account(world, actor).is_some_and(|account| permitted(world, account, actor, command))
}

/// The account a caller acts on: its own, or its owner's for a RAM user.
pub fn caller_account(world: &World, actor: PrincipalId) -> Option<AccountId> {
    super::names::account_of(world, actor)
}

fn dispatch(call: &mut Call<'_>) -> Result<Output, RamError> {
    if !permitted(call.world, call.account, call.actor, call.command) {
        return Err(RamError::NO_PERMISSION);
    }
    let api = match call.command.api {
        Api::Ram(api) => api,
        Api::Ims(ImsApi::GetDefaultDomain) => {
            return Ok(Output::Json(account::default_domain(call)?));
        }
        // The engine sends only RAM and IMS calls here.
        Api::DataWorks(_) | Api::Console(_) => return Err(RamError::NO_PERMISSION),
    };
    let reply: Value = match api {
        RamApi::CreateUser => users::create(call)?,
        RamApi::GetUser => users::get(call)?,
        RamApi::ListUsers => users::list(call)?,
        RamApi::UpdateUser => users::update(call)?,
        RamApi::DeleteUser => users::delete(call)?,
        RamApi::CreateLoginProfile => users::create_login_profile(call)?,
        RamApi::GetLoginProfile => users::get_login_profile(call)?,
        RamApi::DeleteLoginProfile => users::delete_login_profile(call)?,
        RamApi::CreateAccessKey => keys::create(call)?,
        RamApi::ListAccessKeys => keys::list(call)?,
        RamApi::UpdateAccessKey => keys::update(call)?,
        RamApi::DeleteAccessKey => keys::delete(call)?,
        RamApi::AttachPolicyToUser => return policies::attach(call),
        RamApi::DetachPolicyFromUser => policies::detach(call)?,
        RamApi::ListPoliciesForUser => policies::list_for_user(call)?,
        RamApi::CreatePolicy => policies::create(call)?,
        RamApi::ListPolicies => policies::list(call)?,
        RamApi::SetSecurityPreference => account::set_security_preference(call)?,
        RamApi::GetSecurityPreference => account::get_security_preference(call)?,
        RamApi::GetAccountAlias => account::get_alias(call)?,
        RamApi::SetAccountAlias => account::set_alias(call)?,
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
    };
    dispatch(&mut call).map_err(|error| Failure::Ram {
        error,
        request_id,
        product: command.product(),
    })
}
