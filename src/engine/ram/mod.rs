//! The RAM API (`aliyun ram …`, `aliyun ims GetDefaultDomain`) over the caller's account.

mod account;
mod keys;
mod policies;
mod users;

use serde_json::Value;

use crate::syntax::ConsoleCommand;
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
    pub fn param(&self, name: &str) -> Option<&str> {
        self.command.get(name)
    }

    /// A parameter the CLI already required.
    pub fn required(&self, name: &str) -> &str {
        self.command.get(name).unwrap_or_default()
    }

    /// An optional `true`/`false` parameter.
    pub fn flag(&self, name: &str) -> Result<Option<bool>, RamError> {
        match self.param(name) {
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
            .user_named(self.required("UserName"))
            .ok_or(RamError::ENTITY_NOT_EXIST_USER)
    }

    /// The owner of the keys a key action is about: the named user, else the caller itself.
    pub fn key_owner(&self) -> Result<Option<Uid>, RamError> {
        match (self.param("UserName"), self.actor) {
            (Some(_), _) => Ok(Some(self.user()?.uid)),
            (None, PrincipalId::RamUser(uid)) => Ok(Some(uid)),
            (None, _) => Ok(None),
        }
    }
}

/// What a call needs to be allowed: its action, whom it names, and who makes it.
fn need(world: &World, account: AccountId, actor: PrincipalId, command: &ConsoleCommand) -> Need {
    if command.api().contains("AccessKey") {
        let own = match (command.get("UserName"), actor) {
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
    let reply: Value = match call.command.api() {
        "CreateUser" => users::create(call)?,
        "GetUser" => users::get(call)?,
        "ListUsers" => users::list(call)?,
        "UpdateUser" => users::update(call)?,
        "DeleteUser" => users::delete(call)?,
        "CreateLoginProfile" => users::create_login_profile(call)?,
        "GetLoginProfile" => users::get_login_profile(call)?,
        "DeleteLoginProfile" => users::delete_login_profile(call)?,
        "CreateAccessKey" => keys::create(call)?,
        "ListAccessKeys" => keys::list(call)?,
        "UpdateAccessKey" => keys::update(call)?,
        "DeleteAccessKey" => keys::delete(call)?,
        "AttachPolicyToUser" => return policies::attach(call),
        "DetachPolicyFromUser" => policies::detach(call)?,
        "ListPoliciesForUser" => policies::list_for_user(call)?,
        "CreatePolicy" => policies::create(call)?,
        "ListPolicies" => policies::list(call)?,
        "SetSecurityPreference" => account::set_security_preference(call)?,
        "GetSecurityPreference" => account::get_security_preference(call)?,
        "GetAccountAlias" => account::get_alias(call)?,
        "SetAccountAlias" => account::set_alias(call)?,
        "GetDefaultDomain" => account::default_domain(call)?,
        _ => return Err(RamError::NO_PERMISSION),
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
