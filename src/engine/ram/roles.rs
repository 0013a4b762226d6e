//! RAM roles: creating them with their trust policy, reading, listing, changing the trust
//! policy, session length and description, and deleting them (not while a policy is attached).
//! Deleting a role does not touch MaxCompute: a project that lists it keeps its member, shown as
//! `v4_<RoleId>` from then on (the residual a deleted RAM user leaves as `p4_`).

use serde_json::{Value, json};

use crate::world::clock::iso8601;
use crate::world::ram_roles::{
    DEFAULT_MAX_SESSION, MAX_SESSION_LIMITS, ROLES_PER_ACCOUNT, RamRole, check_role_name, role_arn,
};
use crate::world::trust_policy::TrustPolicy;

use super::users::name_error;
use super::{Call, paging};
use crate::engine::error::RamError;
use crate::syntax::Param;

/// A role as `GetRole` and `CreateRole` answer it (`with_update`: with its update date).
pub fn role_json(account: u64, role: &RamRole, with_update: bool) -> Value {
    let mut v = json!({
        "RoleId": role.id.to_string(),
        "RoleName": role.name,
        "Arn": role_arn(account, &role.name),
    });
    if !role.description.is_empty() {
        v["Description"] = json!(role.description);
    }
    v["AssumeRolePolicyDocument"] = json!(role.trust_policy);
    v["MaxSessionDuration"] = json!(role.max_session);
    v["CreateDate"] = json!(iso8601(role.created));
    if with_update {
        v["UpdateDate"] = json!(iso8601(role.updated));
    }
    v
}

fn check_name(name: &str) -> Result<(), RamError> {
    check_role_name(name).map_err(|p| {
        name_error(
            p,
            RamError::ROLE_NAME_INVALID_CHARS,
            RamError::ROLE_NAME_LENGTH,
        )
    })
}

fn check_trust_policy(document: &str) -> Result<(), RamError> {
    TrustPolicy::parse(document)
        .map(|_| ())
        .map_err(|_| RamError::TRUST_POLICY_INVALID)
}

fn max_session(text: Option<&str>) -> Result<Option<u64>, RamError> {
    let Some(text) = text else {
        return Ok(None);
    };
    match text.parse::<u64>() {
        Ok(n) if (MAX_SESSION_LIMITS.0..=MAX_SESSION_LIMITS.1).contains(&n) => Ok(Some(n)),
        _ => Err(RamError::MAX_SESSION_DURATION_INVALID),
    }
}

fn check_description(description: &str) -> Result<(), RamError> {
    if description.chars().count() > 1024 {
        return Err(RamError::DESCRIPTION_LENGTH);
    }
    Ok(())
}

/// The role named by `--RoleName`.
pub fn named<'c>(call: &'c Call<'_>) -> Result<&'c RamRole, RamError> {
    call.account()?
        .directory
        .role(call.required(Param::RoleName))
        .ok_or(RamError::ENTITY_NOT_EXIST_ROLE)
}

/// The role named by `--RoleName`, to change.
pub fn named_mut<'c>(call: &'c mut Call<'_>) -> Result<&'c mut RamRole, RamError> {
    let name = call.required(Param::RoleName).to_string();
    call.account_mut()?
        .directory
        .role_mut(&name)
        .ok_or(RamError::ENTITY_NOT_EXIST_ROLE)
}

pub fn create(call: &mut Call<'_>) -> Result<Value, RamError> {
    let name = call.required(Param::RoleName).to_string();
    check_name(&name)?;
    let document = call.required(Param::AssumeRolePolicyDocument).to_string();
    check_trust_policy(&document)?;
    let description = call
        .param(Param::Description)
        .unwrap_or_default()
        .to_string();
    check_description(&description)?;
    let max_session = max_session(call.param(Param::MaxSessionDuration))?;
    let directory = &call.account()?.directory;
    if directory.role(&name).is_some() {
        return Err(RamError::ENTITY_ALREADY_EXISTS_ROLE);
    }
    if directory.roles.len() >= ROLES_PER_ACCOUNT {
        return Err(RamError::ROLE_LIMIT);
    }
    let now = call.world.clock.tick();
    let role = RamRole {
        id: call.world.clock.next_role_id(),
        name,
        description,
        trust_policy: document,
        max_session: max_session.unwrap_or(DEFAULT_MAX_SESSION),
        created: now,
        updated: now,
        policies: Vec::new(),
    };
    let account = call.account;
    let reply = json!({
        "RequestId": call.request_id,
        "Role": role_json(account.0, &role, false),
    });
    call.account_mut()?.directory.roles.push(role);
    Ok(reply)
}

pub fn get(call: &mut Call<'_>) -> Result<Value, RamError> {
    let role = role_json(call.account.0, named(call)?, true);
    Ok(json!({ "RequestId": call.request_id, "Role": role }))
}

pub fn list(call: &mut Call<'_>) -> Result<Value, RamError> {
    let account = call.account.0;
    let roles: Vec<(paging::Place, &RamRole)> = call
        .account()?
        .directory
        .roles
        .iter()
        .map(|r| ((r.created, r.name.to_ascii_lowercase()), r))
        .collect();
    let (page, next) = paging::page(call, roles)?;
    let items = page
        .into_iter()
        .map(|r| {
            let mut v = role_json(account, r, true);
            if let Some(o) = v.as_object_mut() {
                // A listing leaves out the trust policy, as the service's does.
                o.shift_remove("AssumeRolePolicyDocument");
            }
            v
        })
        .collect();
    Ok(paging::reply(
        &call.request_id,
        "Roles",
        "Role",
        items,
        next,
    ))
}

pub fn update(call: &mut Call<'_>) -> Result<Value, RamError> {
    named(call)?;
    let document = call
        .param(Param::NewAssumeRolePolicyDocument)
        .map(str::to_string);
    if let Some(d) = &document {
        check_trust_policy(d)?;
    }
    let description = call.param(Param::NewDescription).map(str::to_string);
    if let Some(d) = &description {
        check_description(d)?;
    }
    let max_session = max_session(call.param(Param::NewMaxSessionDuration))?;
    let now = call.world.clock.tick();
    let account = call.account.0;
    let role = named_mut(call)?;
    if let Some(d) = document {
        role.trust_policy = d;
    }
    if let Some(d) = description {
        role.description = d;
    }
    if let Some(n) = max_session {
        role.max_session = n;
    }
    role.updated = now;
    let value = role_json(account, role, true);
    Ok(json!({ "RequestId": call.request_id, "Role": value }))
}

/// Deleting a role: not while a policy is attached. Its STS credentials stop working at once;
/// the projects that list it keep it (as `v4_<RoleId>`).
pub fn delete(call: &mut Call<'_>) -> Result<Value, RamError> {
    let role = named(call)?;
    if !role.policies.is_empty() {
        return Err(RamError::DELETE_CONFLICT_ROLE_POLICY);
    }
    let id = role.id;
    let directory = &mut call.account_mut()?.directory;
    directory.roles.retain(|r| r.id != id);
    directory.sts_credentials.retain(|c| c.role != id);
    Ok(json!({ "RequestId": call.request_id }))
}
