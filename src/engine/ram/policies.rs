//! System and custom policies, attached to RAM users for the account or one resource group.

use serde_json::{Value, json};

use crate::world::clock::iso8601;
use crate::world::credentials::{
    CustomPolicy, PolicyAttachment, PolicyType, SYSTEM_POLICIES, system_policy, valid_policy_name,
};

use super::Call;
use crate::engine::Output;
use crate::engine::error::RamError;
use crate::syntax::Param;

/// At most this many system (and custom) policies attached to one user.
const SYSTEM_PER_USER: usize = 20;
const CUSTOM_PER_USER: usize = 10;
/// Custom policy documents: at most this many characters.
const DOCUMENT_LIMIT: usize = 2048;

fn policy_type(text: &str) -> Result<PolicyType, RamError> {
    match text {
        t if t.eq_ignore_ascii_case("system") => Ok(PolicyType::System),
        t if t.eq_ignore_ascii_case("custom") => Ok(PolicyType::Custom),
        _ => Err(RamError::POLICY_TYPE_INVALID),
    }
}

/// The canonical name and description of an existing policy.
fn find_policy(
    call: &Call<'_>,
    kind: PolicyType,
    name: &str,
) -> Result<(String, String), RamError> {
    match kind {
        PolicyType::System => system_policy(name)
            .map(|p| (p.name.to_string(), p.description.to_string()))
            .ok_or(RamError::POLICY_NOT_EXIST),
        PolicyType::Custom => call
            .account()?
            .custom_policies
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| (p.name.clone(), p.description.clone()))
            .ok_or(RamError::POLICY_NOT_EXIST),
    }
}

/// The warning the console shows for a high-risk policy.
pub fn high_risk_warning(name: &str) -> Option<String> {
    let why = match name {
        "AdministratorAccess" => {
            "it grants full access to every service and resource of the account"
        }
        "AliyunRAMFullAccess" => {
            "it grants full control of RAM users, their credentials and their permissions"
        }
        _ => return None,
    };
    Some(format!(
        "WARNING: {name} is a high-risk policy: {why}. Do not grant it unless absolutely necessary."
    ))
}

pub fn attach(call: &mut Call<'_>) -> Result<Output, RamError> {
    let kind = policy_type(call.required(Param::PolicyType))?;
    let (name, _) = find_policy(call, kind, call.required(Param::PolicyName))?;
    let group = call.param(Param::ResourceGroupId).map(str::to_string);
    let user = call.user()?;
    let uid = user.uid;
    if user
        .policies()
        .iter()
        .any(|p| p.policy_type == kind && p.name == name && p.resource_group == group)
    {
        return Err(RamError::USER_POLICY_EXISTS);
    }
    let limit = match kind {
        PolicyType::System => SYSTEM_PER_USER,
        PolicyType::Custom => CUSTOM_PER_USER,
    };
    if user
        .policies()
        .iter()
        .filter(|p| p.policy_type == kind)
        .count()
        >= limit
    {
        return Err(RamError::USER_POLICY_LIMIT);
    }
    let now = call.world.clock.tick();
    let attachment = PolicyAttachment {
        policy_type: kind,
        name: name.clone(),
        resource_group: group,
        attached: now,
    };
    if let Some(u) = call.account_mut()?.user_mut(uid) {
        u.policies_mut().push(attachment);
    }
    let output = Output::Json(json!({ "RequestId": call.request_id }));
    Ok(match (kind, high_risk_warning(&name)) {
        (PolicyType::System, Some(warning)) => Output::Warned {
            warning,
            output: Box::new(output),
        },
        _ => output,
    })
}

pub fn detach(call: &mut Call<'_>) -> Result<Value, RamError> {
    let kind = policy_type(call.required(Param::PolicyType))?;
    let name = call.required(Param::PolicyName).to_string();
    let group = call.param(Param::ResourceGroupId).map(str::to_string);
    let uid = call.user()?.uid;
    let user = call
        .account_mut()?
        .user_mut(uid)
        .ok_or(RamError::ENTITY_NOT_EXIST_USER)?;
    let at = user
        .policies_mut()
        .iter()
        .position(|p| {
            p.policy_type == kind && p.name.eq_ignore_ascii_case(&name) && p.resource_group == group
        })
        .ok_or(RamError::USER_POLICY_NOT_EXIST)?;
    user.policies_mut().remove(at);
    Ok(json!({ "RequestId": call.request_id }))
}

pub fn list_for_user(call: &mut Call<'_>) -> Result<Value, RamError> {
    let group = call.param(Param::ResourceGroupId).map(str::to_string);
    let user = call.user()?;
    let mut items = Vec::new();
    for p in user.policies().iter().filter(|p| p.resource_group == group) {
        let (_, description) = find_policy(call, p.policy_type, &p.name).unwrap_or_default();
        items.push(json!({
            "PolicyName": p.name,
            "PolicyType": p.policy_type.as_str(),
            "Description": description,
            "DefaultVersion": "v1",
            "AttachDate": iso8601(p.attached),
        }));
    }
    Ok(json!({ "RequestId": call.request_id, "Policies": { "Policy": items } }))
}

/// A policy document must be JSON with a `Version` and a `Statement` list.
fn valid_document(text: &str) -> bool {
    text.chars().count() <= DOCUMENT_LIMIT
        && serde_json::from_str::<Value>(text).is_ok_and(|v| {
            v.get("Version").is_some() && v.get("Statement").is_some_and(Value::is_array)
        })
}

pub fn create(call: &mut Call<'_>) -> Result<Value, RamError> {
    let name = call.required(Param::PolicyName).to_string();
    if !valid_policy_name(&name) {
        return Err(RamError::POLICY_NAME_INVALID);
    }
    let exists = system_policy(&name).is_some()
        || call
            .account()?
            .custom_policies
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case(&name));
    if exists {
        return Err(RamError::POLICY_EXISTS);
    }
    let document = call.required(Param::PolicyDocument).to_string();
    if !valid_document(&document) {
        return Err(RamError::POLICY_DOCUMENT_MALFORMED);
    }
    let description = call
        .param(Param::Description)
        .unwrap_or_default()
        .to_string();
    let now = call.world.clock.tick();
    let reply = json!({
        "RequestId": call.request_id,
        "Policy": {
            "PolicyName": name,
            "PolicyType": "Custom",
            "Description": description,
            "DefaultVersion": "v1",
            "CreateDate": iso8601(now),
        },
    });
    call.account_mut()?.custom_policies.push(CustomPolicy {
        name,
        description,
        document,
        created: now,
    });
    Ok(reply)
}

pub fn list(call: &mut Call<'_>) -> Result<Value, RamError> {
    let filter = call.param(Param::PolicyType).map(policy_type).transpose()?;
    let mut items = Vec::new();
    if filter != Some(PolicyType::Custom) {
        items.extend(SYSTEM_POLICIES.iter().map(|p| {
            json!({"PolicyName": p.name, "PolicyType": "System", "Description": p.description, "DefaultVersion": "v1"})
        }));
    }
    if filter != Some(PolicyType::System) {
        items.extend(call.account()?.custom_policies.iter().map(|p| {
            json!({"PolicyName": p.name, "PolicyType": "Custom", "Description": p.description, "DefaultVersion": "v1"})
        }));
    }
    Ok(
        json!({ "RequestId": call.request_id, "IsTruncated": false, "Policies": { "Policy": items } }),
    )
}
