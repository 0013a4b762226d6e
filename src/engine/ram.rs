//! The RAM API (`aliyun ram …`) over the acting identity's account.

use serde_json::{Value, json};

use crate::syntax::RamCommand;
use crate::world::account::{check_display_name, check_user_name};
use crate::world::clock::iso8601;
use crate::world::{AccountId, NameProblem, PrincipalId, RamUser, Uid, World};

use super::error::RamError;
use super::{Failure, Outcome, Output, Session};

fn user_json(user: &RamUser, with_update: bool) -> Value {
    let mut v = json!({
        "UserId": user.uid.to_string(),
        "UserName": user.name,
        "DisplayName": user.display_name,
        "CreateDate": iso8601(user.created),
    });
    if with_update {
        v["UpdateDate"] = json!(iso8601(user.updated));
    }
    v
}

/// The account the caller administers through RAM. Only main accounts may, until RAM users can
/// hold RAM policies.
fn caller_account(session: &Session) -> Result<AccountId, RamError> {
    match session.actor {
        PrincipalId::Account(a) => Ok(a),
        _ => Err(RamError::NoPermission),
    }
}

fn user_name_error(p: NameProblem) -> RamError {
    match p {
        NameProblem::InvalidChars => RamError::UserNameInvalidChars,
        NameProblem::Length => RamError::UserNameLength,
    }
}

fn display_name_error(p: NameProblem) -> RamError {
    match p {
        NameProblem::InvalidChars => RamError::DisplayNameInvalidChars,
        NameProblem::Length => RamError::DisplayNameLength,
    }
}

fn run(
    world: &mut World,
    request_id: &str,
    account: AccountId,
    command: &RamCommand,
) -> Result<Value, RamError> {
    if world.account(account).is_none() {
        return Err(RamError::NoPermission);
    }
    let existing = |world: &World, name: &str| -> Result<RamUser, RamError> {
        world
            .account(account)
            .and_then(|a| a.user_named(name))
            .cloned()
            .ok_or(RamError::EntityNotExistUser)
    };
    match command {
        RamCommand::CreateUser {
            user_name,
            display_name,
        } => {
            check_user_name(user_name).map_err(user_name_error)?;
            let display_name = display_name.clone().unwrap_or_else(|| user_name.clone());
            check_display_name(&display_name).map_err(display_name_error)?;
            if existing(world, user_name).is_ok() {
                return Err(RamError::EntityAlreadyExistsUser);
            }
            let now = world.clock.tick();
            let user = RamUser::new(Uid(world.clock.next_uid()), user_name, &display_name, now);
            let reply = json!({ "RequestId": request_id, "User": user_json(&user, false) });
            if let Some(a) = world.account_mut(account) {
                a.insert_user(user);
            }
            Ok(reply)
        }
        RamCommand::GetUser { user_name } => {
            let user = existing(world, user_name)?;
            Ok(json!({ "RequestId": request_id, "User": user_json(&user, true) }))
        }
        RamCommand::ListUsers => {
            let users: Vec<Value> = world
                .account(account)
                .map(|a| a.users_in_creation_order())
                .unwrap_or_default()
                .into_iter()
                .map(|u| user_json(u, true))
                .collect();
            Ok(json!({
                "RequestId": request_id,
                "IsTruncated": false,
                "Users": { "User": users },
            }))
        }
        RamCommand::DeleteUser { user_name } => {
            let user = existing(world, user_name)?;
            if let Some(a) = world.account_mut(account) {
                a.remove_user(user.uid);
            }
            // Project memberships are MaxCompute's, not RAM's: they stay, keyed by the uid.
            Ok(json!({ "RequestId": request_id }))
        }
    }
}

pub fn execute(world: &mut World, session: &mut Session, command: &RamCommand) -> Outcome {
    let request_id = session.next_request_id(world);
    let result =
        caller_account(session).and_then(|account| run(world, &request_id, account, command));
    match result {
        Ok(reply) => Ok(Output::Json(reply)),
        Err(error) => Err(Failure::Ram { error, request_id }),
    }
}
