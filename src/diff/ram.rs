//! The RAM part of a change set, for the home account: removals (group members, MFA devices,
//! users' policies, keys, console log-ons, users, then groups' policies and groups; roles'
//! policies, then roles; then custom policies), then creations (custom policies; groups with
//! their policies, users, names, policies,
//! keys, console log-ons; group members, MFA devices; roles, their settings, then their
//! policies).

use super::view::{RamView, join, key_state, policy_key};
use super::{ChangeSet, ram_console, ram_groups, ram_policies, texts};
use crate::world::credentials::PolicyAttachment;

/// A console argument as the statement carries it: in single quotes when it needs quoting and
/// holds none (a policy document reads as written), else as the console's own quoting.
pub(super) fn arg(value: &str) -> String {
    let quoted = crate::syntax::console::cli_arg(value);
    if quoted != value && !value.contains('\'') {
        format!("'{value}'")
    } else {
        quoted
    }
}

/// `aliyun ram <action>` of policy `p` for the holder (`--UserName`, `--RoleName`,
/// `--GroupName`).
pub(super) fn policy_change(
    action: &str,
    p: &PolicyAttachment,
    holder_flag: &str,
    holder: &str,
) -> String {
    format!(
        "aliyun ram {action} --PolicyType {} --PolicyName {} --{holder_flag} {holder}",
        p.policy_type.as_str(),
        p.name
    )
}

pub(super) fn has_policy(policies: &[PolicyAttachment], p: &PolicyAttachment) -> bool {
    policies.iter().any(|q| policy_key(q) == policy_key(p))
}

/// Roles: policies that B's role lacks detached, then roles B lacks deleted (RAM refuses to
/// delete a role with policies, and project removals came before, so no member is left behind
/// but the residual B itself shows).
fn role_removals(a: &RamView<'_>, b: &RamView<'_>, set: &mut ChangeSet) {
    for (_, ours, theirs) in join(&a.roles, &b.roles) {
        let Some(role) = ours else { continue };
        for p in &role.policies {
            if theirs.is_some_and(|t| has_policy(&t.policies, p)) {
                continue;
            }
            set.push(
                texts::detach_from_role(&role.name, &p.name),
                policy_change("DetachPolicyFromRole", p, "RoleName", &role.name),
            );
        }
        if theirs.is_none() {
            set.push(
                texts::delete_role(&role.name),
                format!("aliyun ram DeleteRole --RoleName {}", role.name),
            );
        }
    }
}

/// Roles B has and A lacks created (with their trust policy, description and longest
/// session), settings that differ updated, then B's policies attached.
fn role_creations(a: &RamView<'_>, b: &RamView<'_>, set: &mut ChangeSet) {
    use crate::world::ram_roles::DEFAULT_MAX_SESSION;
    for (_, ours, theirs) in join(&a.roles, &b.roles) {
        let Some(role) = theirs else { continue };
        let name = &role.name;
        match ours {
            None => {
                let mut statement = format!(
                    "aliyun ram CreateRole --RoleName {name} --AssumeRolePolicyDocument {}",
                    arg(&role.trust_policy)
                );
                if !role.description.is_empty() {
                    statement.push_str(&format!(" --Description {}", arg(&role.description)));
                }
                if role.max_session != DEFAULT_MAX_SESSION {
                    statement.push_str(&format!(" --MaxSessionDuration {}", role.max_session));
                }
                set.push(texts::create_ram_role(name), statement);
            }
            Some(o) => {
                if o.trust_policy != role.trust_policy {
                    set.push(
                        texts::trust_policy(name),
                        format!(
                            "aliyun ram UpdateRole --RoleName {name} --NewAssumeRolePolicyDocument {}",
                            arg(&role.trust_policy)
                        ),
                    );
                }
                let (mut update, mut what) = (String::new(), Vec::new());
                if o.description != role.description {
                    update.push_str(&format!(" --NewDescription {}", arg(&role.description)));
                    what.push("description");
                }
                if o.max_session != role.max_session {
                    update.push_str(&format!(" --NewMaxSessionDuration {}", role.max_session));
                    what.push("longest session");
                }
                if !update.is_empty() {
                    set.push(
                        texts::role_settings(name, &what),
                        format!("aliyun ram UpdateRole --RoleName {name}{update}"),
                    );
                }
            }
        }
        for p in &role.policies {
            if ours.is_some_and(|o| has_policy(&o.policies, p)) {
                continue;
            }
            set.push(
                texts::attach_to_role(name, &p.name),
                policy_change("AttachPolicyToRole", p, "RoleName", name),
            );
        }
    }
}

pub fn removals(a: &RamView<'_>, b: &RamView<'_>, set: &mut ChangeSet) {
    ram_groups::leaves(a, b, set);
    ram_console::device_removals(a, b, set);
    for (_, ours, theirs) in join(&a.users, &b.users) {
        let Some(user) = ours else { continue };
        let name = user.name();
        for p in user.policies() {
            if theirs.is_some_and(|t| t.policies().iter().any(|q| policy_key(q) == policy_key(p))) {
                continue;
            }
            set.push(
                texts::detach(name, &p.name),
                policy_change("DetachPolicyFromUser", p, "UserName", name),
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
        let their_login = theirs.and_then(|t| t.login_profile());
        ram_console::login_removal(name, user.login_profile(), their_login, set);
        if theirs.is_none() {
            set.push(
                texts::delete_user(name),
                format!("aliyun ram DeleteUser --UserName {name}"),
            );
        }
    }
    ram_groups::removals(a, b, set);
    role_removals(a, b, set);
    ram_policies::removals(a, b, set);
}

pub fn creations(a: &RamView<'_>, b: &RamView<'_>, set: &mut ChangeSet) {
    ram_policies::creations(a, b, set);
    ram_groups::creations(a, b, set);
    for (_, ours, theirs) in join(&a.users, &b.users) {
        let Some(user) = theirs else { continue };
        let name = user.name();
        match ours {
            None => {
                let display = if user.display_name() != name {
                    format!(" --DisplayName {}", arg(user.display_name()))
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
                    arg(user.display_name())
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
                policy_change("AttachPolicyToUser", p, "UserName", name),
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
        let our_login = ours.and_then(|o| o.login_profile());
        ram_console::login_creation(name, our_login, user.login_profile(), set);
    }
    ram_groups::joins(a, b, set);
    ram_console::device_creations(a, b, set);
    role_creations(a, b, set);
}
