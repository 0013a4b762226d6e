//! RAM user groups: creating, renaming and deleting them (not while they have members or
//! policies), their members (at most five groups a user), and listings.

use serde_json::{Value, json};

use crate::world::clock::iso8601;
use crate::world::groups::{
    GROUPS_PER_ACCOUNT, GROUPS_PER_USER, Group, Membership, check_group_name,
};

use super::users::{check_comments, name_error};
use super::{Call, paging};
use crate::engine::error::RamError;
use crate::syntax::Param;

fn group_json(group: &Group, with_update: bool) -> Value {
    let mut v = json!({ "GroupId": group.id, "GroupName": group.name });
    if !group.comments.is_empty() {
        v["Comments"] = json!(group.comments);
    }
    v["CreateDate"] = json!(iso8601(group.created));
    if with_update {
        v["UpdateDate"] = json!(iso8601(group.updated));
    }
    v
}

fn check_name(name: &str, new: bool) -> Result<(), RamError> {
    let (chars, length) = if new {
        (
            RamError::NEW_GROUP_NAME_INVALID_CHARS,
            RamError::NEW_GROUP_NAME_LENGTH,
        )
    } else {
        (
            RamError::GROUP_NAME_INVALID_CHARS,
            RamError::GROUP_NAME_LENGTH,
        )
    };
    check_group_name(name).map_err(|p| name_error(p, chars, length))
}

/// The group named by `--GroupName`.
pub fn named<'c>(call: &'c Call<'_>) -> Result<&'c Group, RamError> {
    call.account()?
        .directory
        .group(call.required(Param::GroupName))
        .ok_or(RamError::ENTITY_NOT_EXIST_GROUP)
}

/// The group named by `--GroupName`, to change.
pub fn named_mut<'c>(call: &'c mut Call<'_>) -> Result<&'c mut Group, RamError> {
    let name = call.required(Param::GroupName).to_string();
    call.account_mut()?
        .directory
        .group_mut(&name)
        .ok_or(RamError::ENTITY_NOT_EXIST_GROUP)
}

pub fn create(call: &mut Call<'_>) -> Result<Value, RamError> {
    let name = call.required(Param::GroupName).to_string();
    check_name(&name, false)?;
    let comments = call.param(Param::Comments).unwrap_or_default().to_string();
    check_comments(&comments)?;
    let directory = &call.account()?.directory;
    if directory.group(&name).is_some() {
        return Err(RamError::ENTITY_ALREADY_EXISTS_GROUP);
    }
    if directory.groups.len() >= GROUPS_PER_ACCOUNT {
        return Err(RamError::GROUP_LIMIT);
    }
    let now = call.world.clock.tick();
    let group = Group {
        id: format!("g-{}", call.world.clock.next_token(16)),
        name,
        comments,
        created: now,
        updated: now,
        members: Vec::new(),
        policies: Vec::new(),
    };
    let reply = json!({ "RequestId": call.request_id, "Group": group_json(&group, false) });
    call.account_mut()?.directory.groups.push(group);
    Ok(reply)
}

pub fn get(call: &mut Call<'_>) -> Result<Value, RamError> {
    let group = group_json(named(call)?, true);
    Ok(json!({ "RequestId": call.request_id, "Group": group }))
}

pub fn list(call: &mut Call<'_>) -> Result<Value, RamError> {
    let groups: Vec<(paging::Place, &Group)> = call
        .account()?
        .directory
        .groups
        .iter()
        .map(|g| ((g.created, g.name.to_ascii_lowercase()), g))
        .collect();
    let (page, next) = paging::page(call, groups)?;
    let items = page.into_iter().map(|g| group_json(g, true)).collect();
    Ok(paging::reply(
        &call.request_id,
        "Groups",
        "Group",
        items,
        next,
    ))
}

pub fn update(call: &mut Call<'_>) -> Result<Value, RamError> {
    let id = named(call)?.id.clone();
    let new_name = call.param(Param::NewGroupName).map(str::to_string);
    let new_comments = call.param(Param::NewComments).map(str::to_string);
    if let Some(name) = &new_name {
        check_name(name, true)?;
        if call
            .account()?
            .directory
            .group(name)
            .is_some_and(|g| g.id != id)
        {
            return Err(RamError::ENTITY_ALREADY_EXISTS_GROUP);
        }
    }
    if let Some(c) = &new_comments {
        check_comments(c)?;
    }
    let now = call.world.clock.tick();
    let group = named_mut(call)?;
    if let Some(name) = new_name {
        group.name = name;
    }
    if let Some(c) = new_comments {
        group.comments = c;
    }
    group.updated = now;
    let value = group_json(group, true);
    Ok(json!({ "RequestId": call.request_id, "Group": value }))
}

/// Deleting a group: not while it has members, nor while it has policies.
pub fn delete(call: &mut Call<'_>) -> Result<Value, RamError> {
    let group = named(call)?;
    if !group.members.is_empty() {
        return Err(RamError::DELETE_CONFLICT_GROUP_USER);
    }
    if !group.policies.is_empty() {
        return Err(RamError::DELETE_CONFLICT_GROUP_POLICY);
    }
    let id = group.id.clone();
    call.account_mut()?.directory.groups.retain(|g| g.id != id);
    Ok(json!({ "RequestId": call.request_id }))
}

pub fn add_user(call: &mut Call<'_>) -> Result<Value, RamError> {
    let uid = call.user()?.uid;
    let group = named(call)?;
    if group.has_member(uid) {
        return Err(RamError::USER_GROUP_EXISTS);
    }
    if call.account()?.directory.groups_of(uid).count() >= GROUPS_PER_USER {
        return Err(RamError::USER_GROUP_LIMIT);
    }
    let joined = call.world.clock.tick();
    named_mut(call)?.members.push(Membership { uid, joined });
    Ok(json!({ "RequestId": call.request_id }))
}

pub fn remove_user(call: &mut Call<'_>) -> Result<Value, RamError> {
    let uid = call.user()?.uid;
    let group = named_mut(call)?;
    if !group.has_member(uid) {
        return Err(RamError::USER_GROUP_NOT_EXIST);
    }
    group.members.retain(|m| m.uid != uid);
    Ok(json!({ "RequestId": call.request_id }))
}

pub fn list_for_user(call: &mut Call<'_>) -> Result<Value, RamError> {
    let uid = call.user()?.uid;
    let items: Vec<Value> = call
        .account()?
        .directory
        .groups_of(uid)
        .map(|g| {
            let mut v = json!({ "GroupId": g.id, "GroupName": g.name });
            if !g.comments.is_empty() {
                v["Comments"] = json!(g.comments);
            }
            v["JoinDate"] = json!(iso8601(g.joined(uid).unwrap_or(g.created)));
            v
        })
        .collect();
    Ok(json!({ "RequestId": call.request_id, "Groups": { "Group": items } }))
}

pub fn list_users(call: &mut Call<'_>) -> Result<Value, RamError> {
    let group = named(call)?;
    let account = call.account()?;
    let members: Vec<(paging::Place, Value)> = group
        .members
        .iter()
        .filter_map(|m| {
            let user = account.user(m.uid)?;
            let v = json!({
                "UserId": user.uid.to_string(),
                "UserName": user.name(),
                "DisplayName": user.display_name(),
                "JoinDate": iso8601(m.joined),
            });
            Some(((m.joined, format!("{:020}", m.uid.0)), v))
        })
        .collect();
    let (items, next) = paging::page(call, members)?;
    Ok(paging::reply(
        &call.request_id,
        "Users",
        "User",
        items,
        next,
    ))
}
