//! The account's policies: system policies (Alibaba Cloud's, read-only) and custom ones (the
//! account's, with checked documents), looked up, listed in pages, and deleted while nothing
//! holds them. Their versions are `versions.rs`; attaching them is `attach.rs`.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::world::Account;
use crate::world::clock::iso8601;
use crate::world::credentials::{
    CustomPolicy, PolicyType, SYSTEM_POLICIES, system_policy, valid_policy_name,
};
use crate::world::policy_document::{DocumentProblem, PolicyDocument};

use super::{Call, paging};
use crate::engine::error::RamError;
use crate::syntax::Param;

pub fn policy_type(text: &str) -> Result<PolicyType, RamError> {
    match text {
        t if t.eq_ignore_ascii_case("system") => Ok(PolicyType::System),
        t if t.eq_ignore_ascii_case("custom") => Ok(PolicyType::Custom),
        _ => Err(RamError::POLICY_TYPE_INVALID),
    }
}

/// The canonical name and description of an existing policy.
pub fn find_policy(
    call: &Call<'_>,
    kind: PolicyType,
    name: &str,
) -> Result<(String, String), RamError> {
    match kind {
        PolicyType::System => system_policy(name)
            .map(|p| (p.name.to_string(), p.description.to_string()))
            .ok_or(RamError::POLICY_NOT_EXIST),
        PolicyType::Custom => custom(call, name).map(|p| (p.name.clone(), p.description.clone())),
    }
}

/// A custom policy of the caller's account.
pub fn custom<'c>(call: &'c Call<'_>, name: &str) -> Result<&'c CustomPolicy, RamError> {
    call.account()?
        .custom_policies
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
        .ok_or(RamError::POLICY_NOT_EXIST)
}

/// The name of a policy's default version (`v1` for a system policy).
pub fn default_version(call: &Call<'_>, kind: PolicyType, name: &str) -> String {
    match kind {
        PolicyType::System => "v1".to_string(),
        PolicyType::Custom => custom(call, name).map_or_else(|_| "v1".into(), |p| p.default_name()),
    }
}

/// The service's refusal of a document.
pub fn document_error(problem: DocumentProblem) -> RamError {
    match problem {
        DocumentProblem::Length => RamError::POLICY_DOCUMENT_LENGTH,
        DocumentProblem::NotJson => RamError::POLICY_DOCUMENT_MALFORMED,
        DocumentProblem::Version => RamError::DOCUMENT_VERSION,
        DocumentProblem::Statement => RamError::DOCUMENT_STATEMENT,
        DocumentProblem::Effect => RamError::DOCUMENT_EFFECT,
        DocumentProblem::Action => RamError::DOCUMENT_ACTION,
        DocumentProblem::Resource => RamError::DOCUMENT_RESOURCE,
        DocumentProblem::Condition => RamError::DOCUMENT_CONDITION,
        DocumentProblem::Element => RamError::DOCUMENT_ELEMENT,
    }
}

/// A document as `CreatePolicy` and `CreatePolicyVersion` take it.
pub fn checked_document(text: &str) -> Result<(), RamError> {
    PolicyDocument::parse(text)
        .map(|_| ())
        .map_err(document_error)
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

/// How many users and groups of the account hold each policy (by type and lower-cased name).
fn attachment_counts(account: &Account) -> HashMap<(PolicyType, String), usize> {
    let mut counts = HashMap::new();
    let users = account.users().flat_map(|u| u.policies().iter());
    let groups = account
        .directory
        .groups
        .iter()
        .flat_map(|g| g.policies.iter());
    for p in users.chain(groups) {
        *counts
            .entry((p.policy_type, p.name.to_ascii_lowercase()))
            .or_insert(0) += 1;
    }
    counts
}

fn custom_json(p: &CustomPolicy, count: usize) -> Value {
    json!({
        "PolicyName": p.name,
        "PolicyType": "Custom",
        "Description": p.description,
        "DefaultVersion": p.default_name(),
        "AttachmentCount": count,
        "CreateDate": iso8601(p.created),
        "UpdateDate": iso8601(p.updated),
    })
}

pub fn create(call: &mut Call<'_>) -> Result<Value, RamError> {
    let name = call.required(Param::PolicyName).to_string();
    if !valid_policy_name(&name) {
        return Err(RamError::POLICY_NAME_INVALID);
    }
    if system_policy(&name).is_some() || custom(call, &name).is_ok() {
        return Err(RamError::POLICY_EXISTS);
    }
    let document = call.required(Param::PolicyDocument).to_string();
    checked_document(&document)?;
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
    call.account_mut()?
        .custom_policies
        .push(CustomPolicy::new(name, description, document, now));
    Ok(reply)
}

/// `GetPolicy`: the policy and its default version's document.
pub fn get(call: &mut Call<'_>) -> Result<Value, RamError> {
    let kind = policy_type(call.required(Param::PolicyType))?;
    let name = call.required(Param::PolicyName);
    let counts = attachment_counts(call.account()?);
    let count = |n: &str| {
        counts
            .get(&(kind, n.to_ascii_lowercase()))
            .copied()
            .unwrap_or(0)
    };
    let (policy, version) = match kind {
        PolicyType::System => {
            let p = system_policy(name).ok_or(RamError::POLICY_NOT_EXIST)?;
            let policy = json!({
                "PolicyName": p.name,
                "PolicyType": "System",
                "Description": p.description,
                "DefaultVersion": "v1",
                "PolicyDocument": p.document,
                "AttachmentCount": count(p.name),
            });
            let version = json!({
                "VersionId": "v1",
                "IsDefaultVersion": true,
                "PolicyDocument": p.document,
            });
            (policy, version)
        }
        PolicyType::Custom => {
            let p = custom(call, name)?;
            let v = p.default().ok_or(RamError::POLICY_VERSION_NOT_EXIST)?;
            let mut policy = custom_json(p, count(&p.name));
            policy["PolicyDocument"] = json!(v.document);
            let version = json!({
                "VersionId": v.name(),
                "IsDefaultVersion": true,
                "PolicyDocument": v.document,
                "CreateDate": iso8601(v.created),
            });
            (policy, version)
        }
    };
    Ok(json!({
        "RequestId": call.request_id,
        "Policy": policy,
        "DefaultPolicyVersion": version,
    }))
}

/// `DeletePolicy`: a custom policy nobody holds and with no version but its default.
pub fn delete(call: &mut Call<'_>) -> Result<Value, RamError> {
    let name = call.required(Param::PolicyName).to_string();
    let policy = custom(call, &name)?;
    let canonical = policy.name.clone();
    let holds = |p: &crate::world::credentials::PolicyAttachment| {
        p.policy_type == PolicyType::Custom && p.name.eq_ignore_ascii_case(&canonical)
    };
    let account = call.account()?;
    if account.users().any(|u| u.policies().iter().any(holds)) {
        return Err(RamError::DELETE_CONFLICT_POLICY_USER);
    }
    if account
        .directory
        .groups
        .iter()
        .any(|g| g.policies.iter().any(holds))
    {
        return Err(RamError::DELETE_CONFLICT_POLICY_GROUP);
    }
    if policy.versions.len() > 1 {
        return Err(RamError::DELETE_CONFLICT_POLICY_VERSION);
    }
    call.account_mut()?
        .custom_policies
        .retain(|p| !p.name.eq_ignore_ascii_case(&canonical));
    Ok(json!({ "RequestId": call.request_id }))
}

/// `ListPolicies`: the system policies, then the custom ones in creation order, in pages.
pub fn list(call: &mut Call<'_>) -> Result<Value, RamError> {
    let filter = call.param(Param::PolicyType).map(policy_type).transpose()?;
    let account = call.account()?;
    let counts = attachment_counts(account);
    let count = |kind, name: &str| {
        counts
            .get(&(kind, name.to_ascii_lowercase()))
            .copied()
            .unwrap_or(0)
    };
    let mut items: Vec<(paging::Place, Value)> = Vec::new();
    if filter != Some(PolicyType::Custom) {
        items.extend(SYSTEM_POLICIES.iter().zip(0u64..).map(|(p, i)| {
            let v = json!({
                "PolicyName": p.name,
                "PolicyType": "System",
                "Description": p.description,
                "DefaultVersion": "v1",
                "AttachmentCount": count(PolicyType::System, p.name),
            });
            ((i, p.name.to_string()), v)
        }));
    }
    if filter != Some(PolicyType::System) {
        items.extend(account.custom_policies.iter().map(|p| {
            let v = custom_json(p, count(PolicyType::Custom, &p.name));
            ((p.created, p.name.clone()), v)
        }));
    }
    let (page, next) = paging::page(call, items)?;
    Ok(paging::reply(
        &call.request_id,
        "Policies",
        "Policy",
        page,
        next,
    ))
}
