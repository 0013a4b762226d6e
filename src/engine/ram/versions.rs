//! Versions of custom policies: at most five, one of them the default (the one in force); a
//! new version may become the default, and the oldest other one may make room for it. A system
//! policy has one version, `v1`.

use serde_json::{Value, json};

use crate::world::clock::iso8601;
use crate::world::credentials::{
    CustomPolicy, PolicyType, PolicyVersion, VERSIONS_PER_POLICY, system_policy, version_id,
};

use super::Call;
use super::policies::{checked_document, custom, policy_type};
use crate::engine::error::RamError;
use crate::syntax::Param;

fn version_json(v: &PolicyVersion, default: bool) -> Value {
    json!({
        "VersionId": v.name(),
        "IsDefaultVersion": default,
        "PolicyDocument": v.document,
        "CreateDate": iso8601(v.created),
    })
}

/// The custom policy named by `--PolicyName`, to change.
fn custom_mut<'c>(call: &'c mut Call<'_>, name: &str) -> Result<&'c mut CustomPolicy, RamError> {
    call.account_mut()?
        .custom_policies
        .iter_mut()
        .find(|p| p.name.eq_ignore_ascii_case(name))
        .ok_or(RamError::POLICY_NOT_EXIST)
}

/// The version `--VersionId` names.
fn asked_version(call: &Call<'_>) -> Result<u32, RamError> {
    version_id(call.required(Param::VersionId)).ok_or(RamError::POLICY_VERSION_NOT_EXIST)
}

pub fn create(call: &mut Call<'_>) -> Result<Value, RamError> {
    let name = call.required(Param::PolicyName).to_string();
    let document = call.required(Param::PolicyDocument).to_string();
    let as_default = call.flag(Param::SetAsDefault)?.unwrap_or(false);
    let rotate = match call.param(Param::RotateStrategy) {
        None | Some("None") => false,
        Some("DeleteOldestNonDefaultVersionWhenLimitExceeded") => true,
        Some(_) => return Err(RamError::ROTATE_STRATEGY_INVALID),
    };
    let policy = custom(call, &name)?;
    checked_document(&document)?;
    let full = policy.versions.len() >= VERSIONS_PER_POLICY;
    if full && !rotate {
        return Err(RamError::POLICY_VERSION_LIMIT);
    }
    let now = call.world.clock.tick();
    let policy = custom_mut(call, &name)?;
    if full {
        let default = policy.default_version;
        if let Some(at) = policy.versions.iter().position(|v| v.id != default) {
            policy.versions.remove(at);
        }
    }
    let version = PolicyVersion {
        id: policy.next_version(),
        document,
        created: now,
    };
    if as_default {
        policy.default_version = version.id;
    }
    policy.updated = now;
    let value = version_json(&version, as_default);
    policy.versions.push(version);
    Ok(json!({ "RequestId": call.request_id, "PolicyVersion": value }))
}

pub fn get(call: &mut Call<'_>) -> Result<Value, RamError> {
    let kind = policy_type(call.required(Param::PolicyType))?;
    let name = call.required(Param::PolicyName);
    let id = asked_version(call)?;
    let value = match kind {
        PolicyType::System => {
            let p = system_policy(name).ok_or(RamError::POLICY_NOT_EXIST)?;
            if id != 1 {
                return Err(RamError::POLICY_VERSION_NOT_EXIST);
            }
            json!({ "VersionId": "v1", "IsDefaultVersion": true, "PolicyDocument": p.document })
        }
        PolicyType::Custom => {
            let p = custom(call, name)?;
            let v = p.version(id).ok_or(RamError::POLICY_VERSION_NOT_EXIST)?;
            version_json(v, v.id == p.default_version)
        }
    };
    Ok(json!({ "RequestId": call.request_id, "PolicyVersion": value }))
}

pub fn list(call: &mut Call<'_>) -> Result<Value, RamError> {
    let kind = policy_type(call.required(Param::PolicyType))?;
    let name = call.required(Param::PolicyName);
    let items: Vec<Value> = match kind {
        PolicyType::System => {
            let p = system_policy(name).ok_or(RamError::POLICY_NOT_EXIST)?;
            vec![
                json!({ "VersionId": "v1", "IsDefaultVersion": true, "PolicyDocument": p.document }),
            ]
        }
        PolicyType::Custom => {
            let p = custom(call, name)?;
            p.versions
                .iter()
                .map(|v| version_json(v, v.id == p.default_version))
                .collect()
        }
    };
    Ok(json!({ "RequestId": call.request_id, "PolicyVersions": { "PolicyVersion": items } }))
}

pub fn set_default(call: &mut Call<'_>) -> Result<Value, RamError> {
    let name = call.required(Param::PolicyName).to_string();
    let id = asked_version(call)?;
    custom(call, &name)?
        .version(id)
        .ok_or(RamError::POLICY_VERSION_NOT_EXIST)?;
    let now = call.world.clock.tick();
    let policy = custom_mut(call, &name)?;
    policy.default_version = id;
    policy.updated = now;
    Ok(json!({ "RequestId": call.request_id }))
}

pub fn delete(call: &mut Call<'_>) -> Result<Value, RamError> {
    let name = call.required(Param::PolicyName).to_string();
    let id = asked_version(call)?;
    let policy = custom(call, &name)?;
    policy
        .version(id)
        .ok_or(RamError::POLICY_VERSION_NOT_EXIST)?;
    if policy.default_version == id {
        return Err(RamError::DEFAULT_VERSION_CONFLICT);
    }
    custom_mut(call, &name)?.versions.retain(|v| v.id != id);
    Ok(json!({ "RequestId": call.request_id }))
}
