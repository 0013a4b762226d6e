//! Account-wide settings: the security preference, the alias and the default domain.

use serde_json::{Value, json};

use super::Call;
use crate::engine::error::RamError;
use crate::syntax::Param;

fn preference(call: &Call<'_>) -> Result<Value, RamError> {
    let allow = call.account()?.allow_user_to_manage_access_keys;
    Ok(json!({
        "RequestId": call.request_id,
        "SecurityPreference": { "AccessKeyPreference": { "AllowUserToManageAccessKeys": allow } },
    }))
}

pub fn set_security_preference(call: &mut Call<'_>) -> Result<Value, RamError> {
    let allow = call
        .flag(Param::AllowUserToManageAccessKeys)?
        .ok_or(RamError::BOOLEAN_INVALID)?;
    call.account_mut()?.allow_user_to_manage_access_keys = allow;
    preference(call)
}

pub fn get_security_preference(call: &mut Call<'_>) -> Result<Value, RamError> {
    preference(call)
}

pub fn get_alias(call: &mut Call<'_>) -> Result<Value, RamError> {
    let alias = call.account()?.alias_or_id();
    Ok(json!({ "RequestId": call.request_id, "AccountAlias": alias }))
}

/// Aliases: 3–64 lower-case letters, digits and hyphens; no hyphen at either end, none doubled.
fn valid_alias(alias: &str) -> bool {
    (3..=64).contains(&alias.len())
        && alias
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !alias.starts_with('-')
        && !alias.ends_with('-')
        && !alias.contains("--")
}

pub fn set_alias(call: &mut Call<'_>) -> Result<Value, RamError> {
    let alias = call.required(Param::AccountAlias).to_string();
    if !valid_alias(&alias) {
        return Err(RamError::ACCOUNT_ALIAS_INVALID);
    }
    call.account_mut()?.alias = Some(alias);
    Ok(json!({ "RequestId": call.request_id }))
}

pub fn default_domain(call: &mut Call<'_>) -> Result<Value, RamError> {
    let domain = call.account()?.default_domain();
    Ok(json!({ "RequestId": call.request_id, "DefaultDomainName": domain }))
}
