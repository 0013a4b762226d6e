//! RAM groups in a change set: members leave and policies are detached before a group goes
//! (RAM deletes only an empty group with no policy); a group is created with its comments,
//! gains its policies, and its members join once they exist.

use super::ram::{has_policy, policy_change};
use super::view::RamView;
use super::{ChangeSet, texts};

/// Members B's group lacks leave it (first of the RAM removals).
pub fn leaves(a: &RamView<'_>, b: &RamView<'_>, set: &mut ChangeSet) {
    for (key, group) in &a.groups {
        let theirs = b.groups.get(key).map(|g| &g.members);
        for (m, name) in &group.members {
            if theirs.is_some_and(|t| t.contains_key(m)) {
                continue;
            }
            set.push(
                texts::leave_group(name, group.name),
                format!(
                    "aliyun ram RemoveUserFromGroup --GroupName {} --UserName {name}",
                    group.name
                ),
            );
        }
    }
}

/// Policies B's group lacks are detached, then groups B lacks are deleted.
pub fn removals(a: &RamView<'_>, b: &RamView<'_>, set: &mut ChangeSet) {
    for (key, group) in &a.groups {
        let theirs = b.groups.get(key);
        for p in group.policies {
            if theirs.is_some_and(|t| has_policy(t.policies, p)) {
                continue;
            }
            set.push(
                texts::detach_from_group(group.name, &p.name),
                policy_change("DetachPolicyFromGroup", p, "GroupName", group.name),
            );
        }
        if theirs.is_none() {
            set.push(
                texts::delete_group(group.name),
                format!("aliyun ram DeleteGroup --GroupName {}", group.name),
            );
        }
    }
}

/// Groups A lacks are created (with their comments), comments that differ updated, and B's
/// policies attached.
pub fn creations(a: &RamView<'_>, b: &RamView<'_>, set: &mut ChangeSet) {
    for (key, group) in &b.groups {
        let name = group.name;
        let ours = a.groups.get(key);
        match ours {
            None => {
                let comments = if group.comments.is_empty() {
                    String::new()
                } else {
                    format!(" --Comments {}", super::ram::arg(group.comments))
                };
                set.push(
                    texts::create_group(name),
                    format!("aliyun ram CreateGroup --GroupName {name}{comments}"),
                );
            }
            Some(o) if o.comments != group.comments => set.push(
                texts::group_comments(name),
                format!(
                    "aliyun ram UpdateGroup --GroupName {name} --NewComments {}",
                    super::ram::arg(group.comments)
                ),
            ),
            Some(_) => {}
        }
        for p in group.policies {
            if ours.is_some_and(|o| has_policy(o.policies, p)) {
                continue;
            }
            set.push(
                texts::attach_to_group(name, &p.name),
                policy_change("AttachPolicyToGroup", p, "GroupName", name),
            );
        }
    }
}

/// Members A's group lacks join it (after the users are created).
pub fn joins(a: &RamView<'_>, b: &RamView<'_>, set: &mut ChangeSet) {
    for (key, group) in &b.groups {
        let ours = a.groups.get(key).map(|g| &g.members);
        for (m, name) in &group.members {
            if ours.is_some_and(|o| o.contains_key(m)) {
                continue;
            }
            set.push(
                texts::join_group(name, group.name),
                format!(
                    "aliyun ram AddUserToGroup --GroupName {} --UserName {name}",
                    group.name
                ),
            );
        }
    }
}
