//! Console log-on: a user's log-on profile, and the account's password policy every new
//! password must meet.

use serde_json::{Value, json};

use crate::world::RamUser;
use crate::world::clock::iso8601;
use crate::world::credentials::LoginProfile;
use crate::world::ram_settings::PasswordPolicy;

use super::Call;
use crate::engine::error::RamError;
use crate::syntax::Param;

fn profile_json(user: &RamUser, profile: &LoginProfile) -> Value {
    json!({
        "UserName": user.name(),
        "PasswordResetRequired": profile.password_reset_required,
        "MFABindRequired": profile.mfa_bind_required,
        "CreateDate": iso8601(profile.created),
    })
}

/// A new password, checked against the account's password policy.
fn check_password(call: &Call<'_>, password: &str) -> Result<(), RamError> {
    if call.account()?.directory.password_policy.admits(password) {
        Ok(())
    } else {
        Err(RamError::PASSWORD_TOO_WEAK)
    }
}

pub fn create_login_profile(call: &mut Call<'_>) -> Result<Value, RamError> {
    let user = call.user()?;
    if user.login_profile().is_some() {
        return Err(RamError::LOGIN_PROFILE_EXISTS);
    }
    let uid = user.uid;
    check_password(call, call.required(Param::Password))?;
    let reset = call.flag(Param::PasswordResetRequired)?.unwrap_or(false);
    let mfa = call.flag(Param::MFABindRequired)?.unwrap_or(false);
    let now = call.world.clock.tick();
    let profile = LoginProfile {
        password_reset_required: reset,
        mfa_bind_required: mfa,
        created: now,
    };
    let user = call
        .account_mut()?
        .user_mut(uid)
        .ok_or(RamError::ENTITY_NOT_EXIST_USER)?;
    user.set_login_profile(Some(profile.clone()));
    let value = profile_json(user, &profile);
    Ok(json!({ "RequestId": call.request_id, "LoginProfile": value }))
}

pub fn get_login_profile(call: &mut Call<'_>) -> Result<Value, RamError> {
    let user = call.user()?;
    let profile = user
        .login_profile()
        .ok_or(RamError::LOGIN_PROFILE_NOT_EXIST)?;
    Ok(json!({ "RequestId": call.request_id, "LoginProfile": profile_json(user, profile) }))
}

/// `UpdateLoginProfile`: a new password (checked against the policy) and the two switches;
/// what is not given stays.
pub fn update_login_profile(call: &mut Call<'_>) -> Result<Value, RamError> {
    let user = call.user()?;
    let mut profile = user
        .login_profile()
        .cloned()
        .ok_or(RamError::LOGIN_PROFILE_NOT_EXIST)?;
    let uid = user.uid;
    if let Some(password) = call.param(Param::Password) {
        check_password(call, password)?;
    }
    if let Some(reset) = call.flag(Param::PasswordResetRequired)? {
        profile.password_reset_required = reset;
    }
    if let Some(mfa) = call.flag(Param::MFABindRequired)? {
        profile.mfa_bind_required = mfa;
    }
    call.world.clock.tick();
    if let Some(u) = call.account_mut()?.user_mut(uid) {
        u.set_login_profile(Some(profile));
    }
    Ok(json!({ "RequestId": call.request_id }))
}

pub fn delete_login_profile(call: &mut Call<'_>) -> Result<Value, RamError> {
    let user = call.user()?;
    if user.login_profile().is_none() {
        return Err(RamError::LOGIN_PROFILE_NOT_EXIST);
    }
    let uid = user.uid;
    if let Some(u) = call.account_mut()?.user_mut(uid) {
        u.set_login_profile(None);
    }
    Ok(json!({ "RequestId": call.request_id }))
}

fn policy_json(p: &PasswordPolicy) -> Value {
    json!({
        "MinimumPasswordLength": p.minimum_password_length,
        "RequireLowercaseCharacters": p.require_lowercase_characters,
        "RequireUppercaseCharacters": p.require_uppercase_characters,
        "RequireNumbers": p.require_numbers,
        "RequireSymbols": p.require_symbols,
        "HardExpiry": p.hard_expiry,
        "MaxPasswordAge": p.max_password_age,
        "PasswordReusePrevention": p.password_reuse_prevention,
        "MaxLoginAttemps": p.max_login_attemps,
    })
}

pub fn get_password_policy(call: &mut Call<'_>) -> Result<Value, RamError> {
    let policy = policy_json(&call.account()?.directory.password_policy);
    Ok(json!({ "RequestId": call.request_id, "PasswordPolicy": policy }))
}

/// A whole-number parameter within `range`, refused as the password policy's.
fn number(
    call: &Call<'_>,
    param: Param,
    range: std::ops::RangeInclusive<u32>,
) -> Result<Option<u32>, RamError> {
    call.param(param)
        .map(|t| {
            t.parse::<u32>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or(RamError::PASSWORD_POLICY_INVALID)
        })
        .transpose()
}

fn switch(call: &Call<'_>, param: Param) -> Result<Option<bool>, RamError> {
    call.flag(param)
        .map_err(|_| RamError::PASSWORD_POLICY_INVALID)
}

/// `SetPasswordPolicy`: what is given changes, the rest stays; the policy applies to passwords
/// set from now on.
pub fn set_password_policy(call: &mut Call<'_>) -> Result<Value, RamError> {
    let mut p = call.account()?.directory.password_policy.clone();
    if let Some(n) = number(call, Param::MinimumPasswordLength, 8..=32)? {
        p.minimum_password_length = n;
    }
    if let Some(n) = number(call, Param::MaxPasswordAge, 0..=1095)? {
        p.max_password_age = n;
    }
    if let Some(n) = number(call, Param::PasswordReusePrevention, 0..=24)? {
        p.password_reuse_prevention = n;
    }
    if let Some(n) = number(call, Param::MaxLoginAttemps, 0..=32)? {
        p.max_login_attemps = n;
    }
    let switches = [
        (
            Param::RequireLowercaseCharacters,
            &mut p.require_lowercase_characters,
        ),
        (
            Param::RequireUppercaseCharacters,
            &mut p.require_uppercase_characters,
        ),
        (Param::RequireNumbers, &mut p.require_numbers),
        (Param::RequireSymbols, &mut p.require_symbols),
        (Param::HardExpiry, &mut p.hard_expiry),
    ];
    for (param, field) in switches {
        if let Some(on) = switch(call, param)? {
            *field = on;
        }
    }
    let reply = policy_json(&p);
    call.account_mut()?.directory.password_policy = p;
    Ok(json!({ "RequestId": call.request_id, "PasswordPolicy": reply }))
}
