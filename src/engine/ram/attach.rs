//! Attaching policies to users (for the account or one resource group), to groups and to RAM
//! roles, and listing what is attached. A user holds its own policies and its groups'; a role
//! its own, which are all an STS credential for it may use.

use serde_json::{Value, json};

use crate::world::clock::iso8601;
use crate::world::credentials::{PolicyAttachment, PolicyType};
use crate::world::groups::{CUSTOM_POLICIES_PER_GROUP, SYSTEM_POLICIES_PER_GROUP};
use crate::world::ram_roles::{CUSTOM_POLICIES_PER_ROLE, SYSTEM_POLICIES_PER_ROLE};

use super::policies::{find_policy, high_risk_warning, policy_type};
use super::{Call, groups, roles};
use crate::engine::Output;
use crate::engine::error::RamError;
use crate::syntax::Param;

/// At most this many system (and custom) policies attached to one user.
const SYSTEM_PER_USER: usize = 20;
const CUSTOM_PER_USER: usize = 10;

/// Who a policy is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    User,
    Group,
    Role,
}

/// The holder's attachments, read-only.
fn attachments<'c>(call: &'c Call<'_>, holder: Holder) -> Result<&'c [PolicyAttachment], RamError> {
    match holder {
        Holder::User => Ok(call.user()?.policies()),
        Holder::Group => Ok(&groups::named(call)?.policies),
        Holder::Role => Ok(&roles::named(call)?.policies),
    }
}

/// The holder's attachments, to change.
fn attachments_mut<'c>(
    call: &'c mut Call<'_>,
    holder: Holder,
) -> Result<&'c mut Vec<PolicyAttachment>, RamError> {
    match holder {
        Holder::User => {
            let uid = call.user()?.uid;
            let user = call
                .account_mut()?
                .user_mut(uid)
                .ok_or(RamError::ENTITY_NOT_EXIST_USER)?;
            Ok(user.policies_mut())
        }
        Holder::Group => Ok(&mut groups::named_mut(call)?.policies),
        Holder::Role => Ok(&mut roles::named_mut(call)?.policies),
    }
}

pub fn attach(call: &mut Call<'_>, holder: Holder) -> Result<Output, RamError> {
    let kind = policy_type(call.required(Param::PolicyType))?;
    let (name, _) = find_policy(call, kind, call.required(Param::PolicyName))?;
    let scope = call.param(Param::ResourceGroupId).map(str::to_string);
    let held = attachments(call, holder)?;
    if held
        .iter()
        .any(|p| p.policy_type == kind && p.name == name && p.resource_group == scope)
    {
        return Err(match holder {
            Holder::User => RamError::USER_POLICY_EXISTS,
            Holder::Group => RamError::GROUP_POLICY_EXISTS,
            Holder::Role => RamError::ROLE_POLICY_EXISTS,
        });
    }
    let (limit, refusal) = match (holder, kind) {
        (Holder::User, PolicyType::System) => (SYSTEM_PER_USER, RamError::USER_POLICY_LIMIT),
        (Holder::User, PolicyType::Custom) => (CUSTOM_PER_USER, RamError::USER_POLICY_LIMIT),
        (Holder::Group, PolicyType::System) => {
            (SYSTEM_POLICIES_PER_GROUP, RamError::GROUP_POLICY_LIMIT)
        }
        (Holder::Group, PolicyType::Custom) => {
            (CUSTOM_POLICIES_PER_GROUP, RamError::GROUP_POLICY_LIMIT)
        }
        (Holder::Role, PolicyType::System) => {
            (SYSTEM_POLICIES_PER_ROLE, RamError::ROLE_POLICY_LIMIT)
        }
        (Holder::Role, PolicyType::Custom) => {
            (CUSTOM_POLICIES_PER_ROLE, RamError::ROLE_POLICY_LIMIT)
        }
    };
    if held.iter().filter(|p| p.policy_type == kind).count() >= limit {
        return Err(refusal);
    }
    let now = call.world.clock.tick();
    let attachment = PolicyAttachment {
        policy_type: kind,
        name: name.clone(),
        resource_group: scope,
        attached: now,
    };
    attachments_mut(call, holder)?.push(attachment);
    let output = Output::Json(json!({ "RequestId": call.request_id }));
    Ok(match (kind, high_risk_warning(&name)) {
        (PolicyType::System, Some(warning)) => Output::Warned {
            warning,
            output: Box::new(output),
        },
        _ => output,
    })
}

pub fn detach(call: &mut Call<'_>, holder: Holder) -> Result<Value, RamError> {
    let kind = policy_type(call.required(Param::PolicyType))?;
    let name = call.required(Param::PolicyName).to_string();
    let scope = call.param(Param::ResourceGroupId).map(str::to_string);
    let held = attachments_mut(call, holder)?;
    let at = held
        .iter()
        .position(|p| {
            p.policy_type == kind && p.name.eq_ignore_ascii_case(&name) && p.resource_group == scope
        })
        .ok_or(match holder {
            Holder::User => RamError::USER_POLICY_NOT_EXIST,
            Holder::Group => RamError::GROUP_POLICY_NOT_EXIST,
            Holder::Role => RamError::ROLE_POLICY_NOT_EXIST,
        })?;
    held.remove(at);
    Ok(json!({ "RequestId": call.request_id }))
}

pub fn list(call: &mut Call<'_>, holder: Holder) -> Result<Value, RamError> {
    let scope = call.param(Param::ResourceGroupId).map(str::to_string);
    let mut items = Vec::new();
    for p in attachments(call, holder)?
        .iter()
        .filter(|p| p.resource_group == scope)
    {
        let (_, description) = find_policy(call, p.policy_type, &p.name).unwrap_or_default();
        let version = super::policies::default_version(call, p.policy_type, &p.name);
        items.push(json!({
            "PolicyName": p.name,
            "PolicyType": p.policy_type.as_str(),
            "Description": description,
            "DefaultVersion": version,
            "AttachDate": iso8601(p.attached),
        }));
    }
    Ok(json!({ "RequestId": call.request_id, "Policies": { "Policy": items } }))
}
