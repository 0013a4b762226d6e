//! RAM users: their names, display names and contact fields, listings in pages, and deleting
//! them (the API refuses a user that still has anything; the console strips it first).

use serde_json::{Value, json};

use crate::world::account::{check_display_name, check_user_name};
use crate::world::clock::iso8601;
use crate::world::{Account, NameProblem, RamUser, Uid};

use super::{Call, paging};
use crate::engine::error::RamError;
use crate::syntax::Param;

/// A user as `GetUser` answers it (`with_update`: with its update and last log-on dates);
/// fields the user does not have are left out.
pub fn user_json(user: &RamUser, with_update: bool) -> Value {
    let mut v = json!({
        "UserId": user.uid.to_string(),
        "UserName": user.name(),
        "DisplayName": user.display_name(),
    });
    let contact = user.contact();
    if !contact.mobile_phone.is_empty() {
        v["MobilePhone"] = json!(contact.mobile_phone);
    }
    if !contact.email.is_empty() {
        v["Email"] = json!(contact.email);
    }
    if !user.comments().is_empty() {
        v["Comments"] = json!(user.comments());
    }
    v["CreateDate"] = json!(iso8601(user.created));
    if with_update {
        v["UpdateDate"] = json!(iso8601(user.updated));
        if let Some(at) = contact.last_login {
            v["LastLoginDate"] = json!(iso8601(at));
        }
    }
    v
}

pub fn name_error(p: NameProblem, invalid: RamError, length: RamError) -> RamError {
    match p {
        NameProblem::InvalidChars => invalid,
        NameProblem::Length => length,
    }
}

pub fn check_comments(comments: &str) -> Result<(), RamError> {
    if comments.chars().count() > 128 {
        return Err(RamError::COMMENTS_LENGTH);
    }
    Ok(())
}

/// E-mail addresses: `<name>@<domain>`, the domain with a dot, no blanks, at most 64.
fn check_email(email: &str) -> Result<(), RamError> {
    let ok = email.len() <= 64
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(name, domain)| {
            !name.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    ok.then_some(()).ok_or(RamError::EMAIL_FORMAT)
}

/// Mobile phones: `<country code>-<number>`, e.g. `86-18600008888`.
fn check_mobile_phone(phone: &str) -> Result<(), RamError> {
    let ok = phone.split_once('-').is_some_and(|(code, number)| {
        (1..=4).contains(&code.len())
            && (5..=15).contains(&number.len())
            && code
                .chars()
                .chain(number.chars())
                .all(|c| c.is_ascii_digit())
    });
    ok.then_some(()).ok_or(RamError::MOBILE_PHONE_FORMAT)
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
    let phone = call.param(Param::MobilePhone).map(str::to_string);
    phone.as_deref().map(check_mobile_phone).transpose()?;
    let email = call.param(Param::Email).map(str::to_string);
    email.as_deref().map(check_email).transpose()?;
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
    user.update_contact(|c| {
        c.mobile_phone = phone.unwrap_or_default();
        c.email = email.unwrap_or_default();
    });
    let reply = json!({ "RequestId": call.request_id, "User": user_json(&user, false) });
    call.account_mut()?.insert_user(user);
    Ok(reply)
}

pub fn get(call: &mut Call<'_>) -> Result<Value, RamError> {
    let user = call.user()?;
    Ok(json!({ "RequestId": call.request_id, "User": user_json(user, true) }))
}

pub fn list(call: &mut Call<'_>) -> Result<Value, RamError> {
    let account = call.account()?;
    let users: Vec<(paging::Place, &RamUser)> = account
        .users_in_creation_order()
        .into_iter()
        .map(|u| ((u.created, format!("{:020}", u.uid.0)), u))
        .collect();
    let (page, next) = paging::page(call, users)?;
    let items = page.into_iter().map(|u| user_json(u, true)).collect();
    Ok(paging::reply(
        &call.request_id,
        "Users",
        "User",
        items,
        next,
    ))
}

pub fn update(call: &mut Call<'_>) -> Result<Value, RamError> {
    let uid = call.user()?.uid;
    let new_name = call.param(Param::NewUserName).map(str::to_string);
    let new_display = call.param(Param::NewDisplayName).map(str::to_string);
    let new_comments = call.param(Param::NewComments).map(str::to_string);
    let new_phone = call.param(Param::NewMobilePhone).map(str::to_string);
    let new_email = call.param(Param::NewEmail).map(str::to_string);
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
    new_phone.as_deref().map(check_mobile_phone).transpose()?;
    new_email.as_deref().map(check_email).transpose()?;
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
    user.update_contact(|c| {
        if let Some(p) = new_phone {
            c.mobile_phone = p;
        }
        if let Some(e) = new_email {
            c.email = e;
        }
    });
    user.updated = now;
    let user_value = user_json(user, true);
    Ok(json!({ "RequestId": call.request_id, "User": user_value }))
}

/// The first reason the API refuses to delete a user, in the order the service lists them:
/// groups, AccessKeys, console log-on, MFA device, policies.
pub fn delete_conflict(account: &Account, user: &RamUser) -> Option<RamError> {
    if account.directory.groups_of(user.uid).next().is_some() {
        Some(RamError::DELETE_CONFLICT_GROUP)
    } else if !user.access_keys().is_empty() {
        Some(RamError::DELETE_CONFLICT_ACCESS_KEY)
    } else if user.login_profile().is_some() {
        Some(RamError::DELETE_CONFLICT_LOGIN_PROFILE)
    } else if account.directory.device_of(user.uid).is_some() {
        Some(RamError::DELETE_CONFLICT_MFA_DEVICE)
    } else if !user.policies().is_empty() {
        Some(RamError::DELETE_CONFLICT_POLICY)
    } else {
        None
    }
}

pub fn delete(call: &mut Call<'_>) -> Result<Value, RamError> {
    let user = call.user()?;
    if let Some(conflict) = delete_conflict(call.account()?, user) {
        return Err(conflict);
    }
    let uid = user.uid;
    call.account_mut()?.remove_user(uid);
    // Project memberships are MaxCompute's, not RAM's: they stay, keyed by the uid.
    Ok(json!({ "RequestId": call.request_id }))
}

/// What the console's Delete button took from a user before deleting it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stripped {
    pub access_keys: Vec<String>,
    pub login_profile: bool,
    pub policies: Vec<String>,
    pub groups: Vec<String>,
    /// The serial number of its MFA device, unbound and deleted.
    pub mfa_device: Option<String>,
}

/// What the RAM console's Delete button does: strips the user's AccessKeys, log-on profile,
/// policies, groups and MFA device, then deletes it. Project memberships stay.
pub fn strip_and_delete(account: &mut Account, uid: Uid) -> Option<Stripped> {
    let user = account.user(uid)?;
    let stripped = Stripped {
        access_keys: user.access_keys().iter().map(|k| k.id.clone()).collect(),
        login_profile: user.login_profile().is_some(),
        policies: user.policies().iter().map(|p| p.name.clone()).collect(),
        groups: account
            .directory
            .groups_of(uid)
            .map(|g| g.name.clone())
            .collect(),
        mfa_device: account
            .directory
            .device_of(uid)
            .map(|d| d.serial_number.clone()),
    };
    account.remove_user(uid);
    if let Some(serial) = &stripped.mfa_device {
        account
            .directory
            .mfa_devices
            .retain(|d| &d.serial_number != serial);
    }
    Some(stripped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_formats() {
        assert!(check_email("alice@example.com").is_ok());
        assert!(check_email("alice@example").is_err());
        assert!(check_email("a b@example.com").is_err());
        assert!(check_email("@example.com").is_err());
        assert!(check_mobile_phone("86-18600008888").is_ok());
        assert!(check_mobile_phone("18600008888").is_err());
        assert!(check_mobile_phone("86-1860000888a").is_err());
    }
}
