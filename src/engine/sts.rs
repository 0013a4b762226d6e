//! STS (2015-04-01): `AssumeRole` hands a RAM user (or a role's session) a temporary credential
//! that acts as a RAM role, and `GetCallerIdentity` says who signs a call.
//!
//! `AssumeRole` refuses a main account (roles may not be assumed by root accounts), then checks
//! its parameters, then the role (it must exist), then both sides of the permission: the caller's
//! own policies must allow `sts:AssumeRole` on the role's ARN, and the role's trust policy must
//! name the caller. The credential lasts `DurationSeconds` (15 minutes to the role's
//! `MaxSessionDuration`, an hour when not given, at most an hour for a session assuming a role)
//! on the world's clock; it is kept in the world so that any process can sign with it.

use serde_json::{Value, json};

use crate::syntax::{ConsoleCommand, Param, StsApi};
use crate::world::clock::iso8601;
use crate::world::policy_document::Verdict;
use crate::world::ram_roles::{
    CHAINED_DURATION_LIMIT, DEFAULT_DURATION, MIN_DURATION, STS_KEY_PREFIX, StsCredential,
    parse_role_arn, role_arn, valid_session_name,
};
use crate::world::trust_policy::{Caller, TrustPolicy};
use crate::world::{AccountId, PrincipalId, World};

use super::error::RamError;
use super::ram::permission::verdict;
use super::{Failure, Outcome, Output, Session};

/// Length of an STS AccessKeyId after its `STS.` prefix, of its secret, and of its token.
const KEY_LEN: usize = 25;
const SECRET_LEN: usize = 44;
const TOKEN_LEN: usize = 160;

/// Runs an STS call.
pub fn execute(
    world: &mut World,
    session: &mut Session,
    api: StsApi,
    command: &ConsoleCommand,
) -> Outcome {
    let request_id = session.next_request_id(world);
    let reply = match api {
        StsApi::GetCallerIdentity => caller_identity(world, session),
        StsApi::AssumeRole => assume_role(world, session, command),
    };
    match reply {
        Ok(mut v) => {
            v["RequestId"] = json!(request_id);
            Ok(Output::Json(v))
        }
        Err(error) => Err(Failure::Ram {
            error,
            request_id,
            product: command.product(),
        }),
    }
}

/// Who signs: `GetCallerIdentity`'s answer, keys in the documented order (`RequestId` is set
/// by the caller).
pub fn caller_identity(world: &World, session: &Session) -> Result<Value, RamError> {
    match session.actor {
        PrincipalId::Account(id) => Ok(json!({
            "IdentityType": "Account",
            "AccountId": id.to_string(),
            "RequestId": "",
            "PrincipalId": id.to_string(),
            "UserId": id.to_string(),
            "Arn": format!("acs:ram::{id}:root"),
        })),
        PrincipalId::RamUser(uid) => {
            let (account, user) = world
                .ram_user(uid)
                .ok_or(RamError::ACCESS_KEY_ID_NOT_FOUND)?;
            Ok(json!({
                "IdentityType": "RAMUser",
                "AccountId": account.id.to_string(),
                "RequestId": "",
                "PrincipalId": uid.to_string(),
                "UserId": uid.to_string(),
                "Arn": format!("acs:ram::{}:user/{}", account.id, user.name()),
            }))
        }
        PrincipalId::RamRole(id) => {
            let (account, role) = world
                .ram_role(id)
                .ok_or(RamError::ACCESS_KEY_ID_NOT_FOUND)?;
            let name = session.sts_session.as_deref().unwrap_or_default();
            Ok(json!({
                "IdentityType": "AssumedRoleUser",
                "AccountId": account.id.to_string(),
                "RequestId": "",
                "PrincipalId": format!("{id}:{name}"),
                "RoleId": id.to_string(),
                "Arn": format!(
                    "acs:ram::{}:assumed-role/{}/{name}",
                    account.id,
                    role.name.to_ascii_lowercase()
                ),
            }))
        }
    }
}

/// Who asks to assume a role, as trust policies name it.
fn trust_caller(world: &World, actor: PrincipalId) -> Option<(AccountId, String, bool)> {
    match actor {
        PrincipalId::Account(_) => None,
        PrincipalId::RamUser(uid) => world
            .ram_user(uid)
            .map(|(a, u)| (a.id, u.name().to_string(), false)),
        PrincipalId::RamRole(id) => world
            .ram_role(id)
            .map(|(a, r)| (a.id, r.name.clone(), true)),
    }
}

fn duration(text: Option<&str>, longest: u64) -> Result<u64, RamError> {
    let Some(text) = text else {
        return Ok(DEFAULT_DURATION.min(longest));
    };
    match text.parse::<u64>() {
        Ok(n) if (MIN_DURATION..=longest).contains(&n) => Ok(n),
        _ => Err(RamError::DURATION_SECONDS_INVALID),
    }
}

fn assume_role(
    world: &mut World,
    session: &Session,
    command: &ConsoleCommand,
) -> Result<Value, RamError> {
    let actor = session.actor;
    let Some((caller_account, caller_name, chained)) = trust_caller(world, actor) else {
        return Err(RamError::ROOT_MAY_NOT_ASSUME);
    };
    let arn = command.get(Param::RoleArn).unwrap_or_default();
    let (role_account, role_name) = parse_role_arn(arn).ok_or(RamError::ROLE_ARN_INVALID)?;
    let session_name = command
        .get(Param::RoleSessionName)
        .unwrap_or_default()
        .to_string();
    if !valid_session_name(&session_name) {
        return Err(RamError::ROLE_SESSION_NAME_INVALID);
    }
    let account = world
        .account(AccountId(role_account))
        .ok_or(RamError::ENTITY_NOT_EXIST_ROLE)?;
    let role = account
        .directory
        .role(role_name)
        .ok_or(RamError::ENTITY_NOT_EXIST_ROLE)?;
    let longest = if chained {
        role.max_session.min(CHAINED_DURATION_LIMIT)
    } else {
        role.max_session
    };
    let seconds = duration(command.get(Param::DurationSeconds), longest)?;
    let canonical_arn = role_arn(role_account, &role.name);
    let allowed = verdict(
        world,
        actor,
        "sts:AssumeRole",
        &canonical_arn,
        session.origin(),
    ) == Verdict::Allowed;
    let caller = if chained {
        Caller::Role {
            account: caller_account.0,
            name: &caller_name,
        }
    } else {
        Caller::User {
            account: caller_account.0,
            name: &caller_name,
        }
    };
    let trusted = TrustPolicy::parse(&role.trust_policy).is_ok_and(|p| p.trusts(caller));
    if !allowed || !trusted {
        return Err(RamError::ASSUME_ROLE_NO_PERMISSION);
    }
    let (role_id, role_display) = (role.id, role.name.to_ascii_lowercase());
    let now = world.clock.tick();
    let credential = StsCredential {
        access_key_id: format!("{STS_KEY_PREFIX}{}", world.clock.next_token(KEY_LEN)),
        secret: world.clock.next_token(SECRET_LEN),
        security_token: format!("CAIS{}", world.clock.next_token(TOKEN_LEN)),
        role: role_id,
        session_name: session_name.clone(),
        issued: now,
        expires: now + seconds,
    };
    let reply = json!({
        "RequestId": "",
        "AssumedRoleUser": {
            "Arn": format!("acs:ram::{role_account}:role/{role_display}/{session_name}"),
            "AssumedRoleId": format!("{role_id}:{session_name}"),
        },
        "Credentials": {
            "SecurityToken": credential.security_token,
            "AccessKeyId": credential.access_key_id,
            "AccessKeySecret": credential.secret,
            "Expiration": iso8601(credential.expires),
        },
    });
    if let Some(a) = world.account_mut(AccountId(role_account)) {
        a.directory.issue(credential, now);
    }
    Ok(reply)
}
