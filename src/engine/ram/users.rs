//! RAM users and their console log-on profiles.

use serde_json::{Value, json};

use crate::world::account::{check_display_name, check_user_name};
use crate::world::clock::iso8601;
use crate::world::credentials::LoginProfile;
use crate::world::{Account, NameProblem, RamUser, Uid};

use super::Call;
use crate::engine::error::RamError;
use crate::syntax::Param;

pub fn user_json(user: &RamUser, with_update: bool) -> Value {
    let mut v = json!({
        "UserId": user.uid.to_string(),
        "UserName": user.name(),
        "DisplayName": user.display_name(),
    });
    if !user.comments().is_empty() {
        v["Comments"] = json!(user.comments());
    }
    v["CreateDate"] = json!(iso8601(user.created));
    if with_update {
        v["UpdateDate"] = json!(iso8601(user.updated));
    }
    v
}

fn name_error(p: NameProblem, invalid: RamError, length: RamError) -> RamError {
    match p {
        NameProblem::InvalidChars => invalid,
        NameProblem::Length => length,
    }
}

fn check_comments(comments: &str) -> Result<(), RamError> {
    if comments.chars().count() > 128 {
        return Err(RamError::COMMENTS_LENGTH);
    }
    Ok(())
}

pub fn create(call: &mut Call<'_>) -> Result<Value, RamError> {
    let user_name = call.required(Param::UserName).to_string();
    check_user_name(&user_name).map_err(|p| {
        name_error(
            p,
            RamError::USER_NAME_INVALID_CHARS,
            RamError::USER_NAME_LENGTH,
        )
    })?;
    let display_name = call
        .param(Param::DisplayName)
        .unwrap_or(&user_name)
        .to_string();
    check_display_name(&display_name).map_err(|p| {
        name_error(
            p,
            RamError::DISPLAY_NAME_INVALID_CHARS,
            RamError::DISPLAY_NAME_LENGTH,
        )
    })?;
    let comments = call.param(Param::Comments).unwrap_or_default().to_string();
    check_comments(&comments)?;
    if call.account()?.user_named(&user_name).is_some() {
        return Err(RamError::ENTITY_ALREADY_EXISTS_USER);
    }
    let now = call.world.clock.tick();
    let mut user = RamUser::new(
        Uid(call.world.clock.next_uid()),
        &user_name,
        &display_name,
        now,
    );
    user.set_comments(comments);
    let reply = json!({ "RequestId": call.request_id, "User": user_json(&user, false) });
    call.account_mut()?.insert_user(user);
    Ok(reply)
}

pub fn get(call: &mut Call<'_>) -> Result<Value, RamError> {
    let user = call.user()?;
    Ok(json!({ "RequestId": call.request_id, "User": user_json(user, true) }))
}

pub fn list(call: &mut Call<'_>) -> Result<Value, RamError> {
    let users: Vec<Value> = call
        .account()?
        .users_in_creation_order()
        .into_iter()
        .map(|u| user_json(u, true))
        .collect();
    Ok(json!({
        "RequestId": call.request_id,
        "IsTruncated": false,
        "Users": { "User": users },
    }))
}

pub fn update(call: &mut Call<'_>) -> Result<Value, RamError> {
    let uid = call.user()?.uid;
    let new_name = call.param(Param::NewUserName).map(str::to_string);
    let new_display = call.param(Param::NewDisplayName).map(str::to_string);
    let new_comments = call.param(Param::NewComments).map(str::to_string);
    if let Some(name) = &new_name {
        check_user_name(name).map_err(|p| {
            name_error(
                p,
                RamError::NEW_USER_NAME_INVALID_CHARS,
                RamError::NEW_USER_NAME_LENGTH,
            )
        })?;
        if call
            .account()?
            .user_named(name)
            .is_some_and(|u| u.uid != uid)
        {
            return Err(RamError::ENTITY_ALREADY_EXISTS_USER);
        }
    }
    if let Some(d) = &new_display {
        check_display_name(d).map_err(|p| {
            name_error(
                p,
                RamError::DISPLAY_NAME_INVALID_CHARS,
                RamError::DISPLAY_NAME_LENGTH,
            )
        })?;
    }
    if let Some(c) = &new_comments {
        check_comments(c)?;
    }
    let now = call.world.clock.tick();
    let account = call.account_mut()?;
    if let Some(name) = &new_name {
        account.rename_user(uid, name);
    }
    let user = account
        .user_mut(uid)
        .ok_or(RamError::ENTITY_NOT_EXIST_USER)?;
    if let Some(d) = new_display {
        user.set_display_name(&d);
    }
    if let Some(c) = new_comments {
        user.set_comments(c);
    }
    user.updated = now;
    let user_value = user_json(user, true);
    Ok(json!({ "RequestId": call.request_id, "User": user_value }))
}

/// The first reason the API refuses to delete a user (fixed order: keys, log-on profile,
/// policies).
fn delete_conflict(user: &RamUser) -> Option<RamError> {
    if !user.access_keys().is_empty() {
        Some(RamError::DELETE_CONFLICT_ACCESS_KEY)
    } else if user.login_profile().is_some() {
        Some(RamError::DELETE_CONFLICT_LOGIN_PROFILE)
    } else if !user.policies().is_empty() {
        Some(RamError::DELETE_CONFLICT_POLICY)
    } else {
        None
    }
}

pub fn delete(call: &mut Call<'_>) -> Result<Value, RamError> {
    let user = call.user()?;
    if let Some(conflict) = delete_conflict(user) {
        return Err(conflict);
    }
    let uid = user.uid;
    call.account_mut()?.remove_user(uid);
    // Project memberships are MaxCompute's, not RAM's: they stay, keyed by the uid.
    Ok(json!({ "RequestId": call.request_id }))
}

/// What the RAM console's Delete button does: strips the user's AccessKeys, log-on profile and
/// policies, then deletes it. Project memberships stay. Returns what was stripped.
pub fn strip_and_delete(
    account: &mut Account,
    uid: Uid,
) -> Option<(Vec<String>, bool, Vec<String>)> {
    let user = account.user(uid)?;
    let keys: Vec<String> = user.access_keys().iter().map(|k| k.id.clone()).collect();
    let had_profile = user.login_profile().is_some();
    let policies: Vec<String> = user.policies().iter().map(|p| p.name.clone()).collect();
    account.remove_user(uid);
    Some((keys, had_profile, policies))
}

/// Passwords: 8–32 characters with at least three of upper case, lower case, digits, symbols.
fn strong_enough(password: &str) -> bool {
    let n = password.chars().count();
    let classes = [
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    (8..=32).contains(&n) && classes.iter().filter(|x| **x).count() >= 3
}

fn profile_json(user: &RamUser, profile: &LoginProfile) -> Value {
    json!({
        "UserName": user.name(),
        "PasswordResetRequired": profile.password_reset_required,
        "MFABindRequired": profile.mfa_bind_required,
        "CreateDate": iso8601(profile.created),
    })
}

pub fn create_login_profile(call: &mut Call<'_>) -> Result<Value, RamError> {
    let user = call.user()?;
    if user.login_profile().is_some() {
        return Err(RamError::LOGIN_PROFILE_EXISTS);
    }
    let uid = user.uid;
    if !strong_enough(call.required(Param::Password)) {
        return Err(RamError::PASSWORD_TOO_WEAK);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_strength() {
        assert!(strong_enough("S3cure!pw"));
        assert!(strong_enough("abcdEFGH1"));
        assert!(!strong_enough("abcdefgh1"));
        assert!(!strong_enough("Ab1!"));
        assert!(!strong_enough(&"Ab1!".repeat(9)));
    }
}
