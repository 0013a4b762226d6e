//! The RAM part of a change set, for the home account: removals (groups, policies, keys, console
//! log-on, users, then groups), then creations (groups, users, names, groups, policies, keys).

use super::view::{RamView, join, key_state, policy_key};
use super::{ChangeSet, texts};

pub fn removals(a: &RamView<'_>, b: &RamView<'_>, set: &mut ChangeSet) {
    for (key, (group, members)) in &a.groups {
        let theirs = b.groups.get(key).map(|(_, m)| m);
        for (m, name) in members {
            if theirs.is_some_and(|t| t.contains_key(m)) {
                continue;
            }
            set.push(
                texts::leave_group(name, group),
                format!("aliyun ram RemoveUserFromGroup --GroupName {group} --UserName {name}"),
            );
        }
    }
    for (_, ours, theirs) in join(&a.users, &b.users) {
        let Some(user) = ours else { continue };
        let name = user.name();
        for p in user.policies() {
            if theirs.is_some_and(|t| t.policies().iter().any(|q| policy_key(q) == policy_key(p))) {
                continue;
            }
            set.push(
                texts::detach(name, &p.name),
                format!(
                    "aliyun ram DetachPolicyFromUser --PolicyType {} --PolicyName {} --UserName {name}",
                    p.policy_type.as_str(),
                    p.name
                ),
            );
        }
        for k in user.access_keys() {
            if theirs.is_some_and(|t| t.access_keys().iter().any(|q| q.id == k.id)) {
                continue;
            }
            set.push(
                texts::delete_key(name, &k.id),
                format!(
                    "aliyun ram DeleteAccessKey --UserAccessKeyId {} --UserName {name}",
                    k.id
                ),
            );
        }
        if theirs.is_none() {
            if user.login_profile().is_some() {
                set.push(
                    texts::login_profile(name),
                    format!("aliyun ram DeleteLoginProfile --UserName {name}"),
                );
            }
            set.push(
                texts::delete_user(name),
                format!("aliyun ram DeleteUser --UserName {name}"),
            );
        }
    }
    for (key, (group, _)) in &a.groups {
        if !b.groups.contains_key(key) {
            set.push(
                texts::delete_group(group),
                format!("aliyun ram DeleteGroup --GroupName {group}"),
            );
        }
    }
}

pub fn creations(a: &RamView<'_>, b: &RamView<'_>, set: &mut ChangeSet) {
    for (key, (group, _)) in &b.groups {
        if !a.groups.contains_key(key) {
            set.push(
                texts::create_group(group),
                format!("aliyun ram CreateGroup --GroupName {group}"),
            );
        }
    }
    for (_, ours, theirs) in join(&a.users, &b.users) {
        let Some(user) = theirs else { continue };
        let name = user.name();
        match ours {
            None => {
                let display = if user.display_name() != name {
                    format!(" --DisplayName {}", user.display_name())
                } else {
                    String::new()
                };
                set.push(
                    texts::create_user(name),
                    format!("aliyun ram CreateUser --UserName {name}{display}"),
                );
            }
            Some(o) if o.display_name() != user.display_name() => set.push(
                texts::display_name(name, user.display_name()),
                format!(
                    "aliyun ram UpdateUser --UserName {name} --NewDisplayName {}",
                    user.display_name()
                ),
            ),
            Some(_) => {}
        }
        for p in user.policies() {
            if ours.is_some_and(|o| o.policies().iter().any(|q| policy_key(q) == policy_key(p))) {
                continue;
            }
            set.push(
                texts::attach(name, &p.name),
                format!(
                    "aliyun ram AttachPolicyToUser --PolicyType {} --PolicyName {} --UserName {name}",
                    p.policy_type.as_str(),
                    p.name
                ),
            );
        }
        for k in user.access_keys() {
            let mine = ours.and_then(|o| o.access_keys().iter().find(|q| q.id == k.id));
            match mine {
                None => set.push(
                    texts::create_key(name, &k.id),
                    format!("aliyun ram CreateAccessKey --UserName {name}"),
                ),
                Some(m) if key_state(m) != key_state(k) => set.push(
                    texts::key_status(name, &k.id, k.status.as_str()),
                    format!(
                        "aliyun ram UpdateAccessKey --UserAccessKeyId {} --Status {} --UserName {name}",
                        k.id,
                        k.status.as_str()
                    ),
                ),
                Some(_) => {}
            }
        }
    }
    for (key, (group, members)) in &b.groups {
        let ours = a.groups.get(key).map(|(_, m)| m);
        for (m, name) in members {
            if ours.is_some_and(|o| o.contains_key(m)) {
                continue;
            }
            set.push(
                texts::join_group(name, group),
                format!("aliyun ram AddUserToGroup --GroupName {group} --UserName {name}"),
            );
        }
    }
}
