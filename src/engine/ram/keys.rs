//! AccessKeys: at most two per RAM user (inactive ones count), the secret shown only once.

use serde_json::{Value, json};

use crate::world::clock::iso8601;
use crate::world::credentials::{
    ACCESS_KEYS_PER_ACCOUNT, ACCESS_KEYS_PER_USER, AccessKey, KeyStatus,
};

use super::Call;
use crate::engine::error::RamError;
use crate::syntax::Param;

pub fn create(call: &mut Call<'_>) -> Result<Value, RamError> {
    let owner = call.key_owner()?;
    let limit = match owner {
        Some(_) => ACCESS_KEYS_PER_USER,
        None => ACCESS_KEYS_PER_ACCOUNT,
    };
    if call.account()?.keys_of(owner).len() >= limit {
        return Err(RamError::ACCESS_KEY_LIMIT);
    }
    let now = call.world.clock.tick();
    let key = AccessKey {
        id: format!("LTAI{}", call.world.clock.next_token(20)),
        secret: call.world.clock.next_token(30),
        status: KeyStatus::Active,
        created: now,
        last_used: None,
        imported: false,
    };
    let reply = json!({
        "RequestId": call.request_id,
        "AccessKey": {
            "AccessKeyId": key.id,
            "AccessKeySecret": key.secret,
            "Status": key.status.as_str(),
            "CreateDate": iso8601(key.created),
        },
    });
    call.account_mut()?.insert_key(owner, key);
    Ok(reply)
}

pub fn list(call: &mut Call<'_>) -> Result<Value, RamError> {
    let owner = call.key_owner()?;
    let keys: Vec<Value> = call
        .account()?
        .keys_of(owner)
        .iter()
        .map(|k| {
            json!({
                "AccessKeyId": k.id,
                "Status": k.status.as_str(),
                "CreateDate": iso8601(k.created),
            })
        })
        .collect();
    Ok(json!({ "RequestId": call.request_id, "AccessKeys": { "AccessKey": keys } }))
}

/// The id of a key that belongs to the owner the call is about.
fn owned_key(call: &Call<'_>) -> Result<String, RamError> {
    let owner = call.key_owner()?;
    let id = call.required(Param::UserAccessKeyId);
    match call.account()?.key(id) {
        Some((o, k)) if o == owner => Ok(k.id.clone()),
        _ => Err(RamError::ACCESS_KEY_NOT_EXIST),
    }
}

pub fn update(call: &mut Call<'_>) -> Result<Value, RamError> {
    let id = owned_key(call)?;
    let status = match call.required(Param::Status) {
        s if s.eq_ignore_ascii_case("active") => KeyStatus::Active,
        s if s.eq_ignore_ascii_case("inactive") => KeyStatus::Inactive,
        _ => return Err(RamError::STATUS_INVALID),
    };
    call.account_mut()?.set_key_status(&id, status);
    Ok(json!({ "RequestId": call.request_id }))
}

pub fn delete(call: &mut Call<'_>) -> Result<Value, RamError> {
    let id = owned_key(call)?;
    call.account_mut()?.remove_key(&id);
    Ok(json!({ "RequestId": call.request_id }))
}

/// `GetAccessKeyLastUsed`: when a call last authenticated with the key (nothing when never).
pub fn last_used(call: &mut Call<'_>) -> Result<Value, RamError> {
    let id = owned_key(call)?;
    let used = call.account()?.key(&id).and_then(|(_, k)| k.last_used);
    let mut last = json!({});
    if let Some(at) = used {
        last["LastUsedDate"] = json!(iso8601(at));
    }
    Ok(json!({ "RequestId": call.request_id, "AccessKeyLastUsed": last }))
}
