//! Account-wide settings: the security preference, the alias and the default domain.

use serde_json::{Value, json};

use super::Call;
use crate::engine::error::RamError;
use crate::syntax::Param;
use crate::world::ram_settings::{
    LOGIN_NETWORK_MASKS, LOGIN_NETWORK_MASKS_LENGTH, valid_network_mask,
};

fn preference(call: &Call<'_>) -> Result<Value, RamError> {
    let account = call.account()?;
    let p = &account.directory.preference;
    Ok(json!({
        "RequestId": call.request_id,
        "SecurityPreference": {
            "LoginProfilePreference": {
                "EnableSaveMFATicket": p.enable_save_mfa_ticket,
                "AllowUserToChangePassword": p.allow_user_to_change_password,
                "LoginSessionDuration": p.login_session_duration,
                "LoginNetworkMasks": p.login_network_masks,
            },
            "AccessKeyPreference": {
                "AllowUserToManageAccessKeys": account.allow_user_to_manage_access_keys,
            },
            "MFAPreference": { "AllowUserToManageMFADevices": p.allow_user_to_manage_mfa_devices },
            "PublicKeyPreference": {
                "AllowUserToManagePublicKeys": p.allow_user_to_manage_public_keys,
            },
        },
    }))
}

/// `LoginNetworkMasks`: up to 25 CIDR blocks separated by `;` (empty: anywhere).
fn check_masks(masks: &str) -> Result<(), RamError> {
    let blocks: Vec<&str> = masks.split(';').filter(|b| !b.is_empty()).collect();
    let ok = masks.len() <= LOGIN_NETWORK_MASKS_LENGTH
        && blocks.len() <= LOGIN_NETWORK_MASKS
        && blocks.iter().all(|b| valid_network_mask(b));
    ok.then_some(())
        .ok_or(RamError::LOGIN_NETWORK_MASKS_INVALID)
}

/// `SetSecurityPreference`: what is given changes, the rest stays.
pub fn set_security_preference(call: &mut Call<'_>) -> Result<Value, RamError> {
    let mut p = call.account()?.directory.preference.clone();
    let keys = call.flag(Param::AllowUserToManageAccessKeys)?;
    let switches = [
        (Param::EnableSaveMFATicket, &mut p.enable_save_mfa_ticket),
        (
            Param::AllowUserToChangePassword,
            &mut p.allow_user_to_change_password,
        ),
        (
            Param::AllowUserToManageMFADevices,
            &mut p.allow_user_to_manage_mfa_devices,
        ),
        (
            Param::AllowUserToManagePublicKeys,
            &mut p.allow_user_to_manage_public_keys,
        ),
    ];
    for (param, field) in switches {
        if let Some(on) = call.flag(param)? {
            *field = on;
        }
    }
    if let Some(hours) = call.param(Param::LoginSessionDuration) {
        p.login_session_duration = hours
            .parse::<u32>()
            .ok()
            .filter(|h| (6..=24).contains(h))
            .ok_or(RamError::LOGIN_SESSION_DURATION_INVALID)?;
    }
    if let Some(masks) = call.param(Param::LoginNetworkMasks) {
        check_masks(masks)?;
        p.login_network_masks = masks.to_string();
    }
    let account = call.account_mut()?;
    account.directory.preference = p;
    if let Some(allow) = keys {
        account.allow_user_to_manage_access_keys = allow;
    }
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
