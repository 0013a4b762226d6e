//! The project part of a change set: revocations and removals first, then creations and grants.

use std::collections::BTreeSet;

use super::view::{GrantTarget, ProjectView, join, stated};
use super::{ChangeSet, texts};
use crate::render::grants::expires_text;
use crate::vocabulary::{AccountProvider, Privilege};
use crate::world::{Project, World};

/// Projects in both worlds, by name; one only in A or only in B is a note.
pub fn pairs<'w>(
    a: &'w World,
    b: &'w World,
    set: &mut ChangeSet,
) -> Vec<(&'w Project, &'w Project)> {
    let mut pairs = Vec::new();
    for (name, pa) in &a.projects {
        match b.projects.get(name) {
            Some(pb) => pairs.push((pa, pb)),
            None => set.note(texts::project_only(&pa.name, "A")),
        }
    }
    for (name, pb) in &b.projects {
        if !a.projects.contains_key(name) {
            set.note(texts::project_only(&pb.name, "B"));
        }
    }
    pairs
}

/// A residual member: `p4_<uid>` of a deleted RAM user, `v4_<RoleId>` of a deleted RAM role.
fn is_residual(name: &str) -> bool {
    name.starts_with("p4_") || name.starts_with("v4_")
}

/// `use P;` once, before the first statement about the project.
struct InProject<'a> {
    name: &'a str,
    said: bool,
}

impl InProject<'_> {
    fn push(&mut self, set: &mut ChangeSet, comment: String, statement: String) {
        if !self.said {
            set.push(texts::in_project(self.name), format!("use {};", self.name));
            self.said = true;
        }
        set.push(comment, statement);
    }
}

fn actions_list(actions: &[Privilege]) -> String {
    let names: Vec<&str> = actions.iter().map(|a| a.as_str()).collect();
    names.join(", ")
}

/// `table t (c)` for a column grant, else the object's words.
fn on_words((_, object, column): &GrantTarget) -> String {
    match column {
        Some(c) => format!("{object} ({c})"),
        None => object.clone(),
    }
}

pub fn removals(a: &ProjectView<'_>, b: &ProjectView<'_>, set: &mut ChangeSet) {
    let p = a.name;
    let mut at = InProject {
        name: p,
        said: false,
    };
    // ACL: what A holds that B does not (or holds with another expiry).
    for (target, actions) in &a.acl {
        let theirs = b.acl.get(target);
        let gone: Vec<Privilege> = actions
            .iter()
            .filter(|(k, _)| theirs.is_none_or(|t| !t.contains_key(k)))
            .map(|(k, _)| *k)
            .collect();
        if gone.is_empty() {
            continue;
        }
        let words = on_words(target);
        let list = actions_list(&gone);
        at.push(
            set,
            texts::revoke_acl(p, &target.0, &list, &words),
            format!("revoke {list} on {words} from {};", target.0),
        );
    }
    // Roles, then membership.
    let members = join(&a.members, &b.members);
    for (who, ours, theirs) in &members {
        let Some(roles) = ours else { continue };
        if is_residual(who) {
            continue;
        }
        for role in roles.iter() {
            if theirs.is_some_and(|t| t.contains(role)) {
                continue;
            }
            at.push(
                set,
                texts::revoke_role(p, who, role),
                format!("revoke {role} from {};", stated(who)),
            );
        }
    }
    for (who, ours, theirs) in &members {
        if ours.is_none() || theirs.is_some() {
            continue;
        }
        if is_residual(who) {
            set.note(texts::residual_stays(p, who));
            continue;
        }
        at.push(
            set,
            texts::remove_member(p, who),
            format!("remove user {};", stated(who)),
        );
    }
    for role in a.custom_roles.difference(&b.custom_roles) {
        at.push(set, texts::drop_role(p, role), format!("drop role {role};"));
    }
    for table in a.tables.keys() {
        if !b.tables.contains_key(table) {
            at.push(
                set,
                texts::drop_table(p, table),
                format!("drop table {table};"),
            );
        }
    }
    for other in a.others.difference(&b.others) {
        set.note(texts::other_object(p, other, "A"));
    }
}

pub fn creations(a: &ProjectView<'_>, b: &ProjectView<'_>, set: &mut ChangeSet) {
    let p = b.name;
    let mut at = InProject {
        name: p,
        said: false,
    };
    for (table, columns) in &b.tables {
        if a.tables.contains_key(table) {
            continue;
        }
        let cols: Vec<String> = if columns.is_empty() {
            vec!["id string".into()]
        } else {
            columns.iter().map(|(n, t)| format!("{n} {t}")).collect()
        };
        at.push(
            set,
            texts::create_table(p, table),
            format!("create table {table} ({});", cols.join(", ")),
        );
    }
    for other in b.others.difference(&a.others) {
        set.note(texts::other_object(p, other, "B"));
    }
    for role in b.custom_roles.difference(&a.custom_roles) {
        let admin = if b.admin_roles.contains(&role.to_ascii_lowercase()) {
            " privilegeproperties(\"type\"=\"admin\")"
        } else {
            ""
        };
        at.push(
            set,
            texts::create_role(p, role),
            format!("create role {role}{admin};"),
        );
    }
    let members = join(&a.members, &b.members);
    for (who, ours, theirs) in &members {
        if ours.is_some() || theirs.is_none() {
            continue;
        }
        if is_residual(who) {
            set.note(texts::residual_cannot_come(p, who));
            continue;
        }
        at.push(
            set,
            texts::add_member(p, who),
            format!("add user {};", stated(who)),
        );
    }
    for (who, ours, theirs) in &members {
        let Some(roles) = theirs else { continue };
        if is_residual(who) {
            continue;
        }
        for role in roles.iter() {
            if ours.is_some_and(|o| o.contains(role)) {
                continue;
            }
            at.push(
                set,
                texts::grant_role(p, who, role),
                format!("grant {role} to {};", stated(who)),
            );
        }
    }
    for (target, actions) in &b.acl {
        // A residual member's grants come with it, which no statement makes (noted above).
        if target.0.strip_prefix("user ").is_some_and(is_residual) {
            continue;
        }
        let ours = a.acl.get(target);
        // Grouped by expiry: one statement each.
        let mut by_expiry: Vec<(Option<u64>, Vec<Privilege>)> = Vec::new();
        for (k, e) in actions {
            if ours.and_then(|o| o.get(k)) == Some(e) {
                continue;
            }
            match by_expiry.iter_mut().find(|(x, _)| x == e) {
                Some((_, list)) => list.push(*k),
                None => by_expiry.push((*e, vec![*k])),
            }
        }
        for (expires, list) in by_expiry {
            let words = on_words(target);
            let names = actions_list(&list);
            let (props, note) = match expires {
                None => (String::new(), String::new()),
                Some(at_time) => {
                    let days = at_time.saturating_sub(a.now).div_ceil(86_400).max(1);
                    (
                        format!(" privilegeproperties(\"expires\"=\"{days}\")"),
                        texts::expiry_days(days, &expires_text(at_time)),
                    )
                }
            };
            at.push(
                set,
                texts::grant_acl(p, &target.0, &names, &words, &note),
                format!("grant {names} on {words} to {}{props};", target.0),
            );
        }
    }
    settings(a, b, &mut at, set);
}

fn settings(a: &ProjectView<'_>, b: &ProjectView<'_>, at: &mut InProject<'_>, set: &mut ChangeSet) {
    let p = b.name;
    for ((flag, ours), (_, theirs)) in a.flags.iter().zip(&b.flags) {
        if ours != theirs {
            let name = flag.as_str();
            at.push(
                set,
                texts::flag(p, name, *theirs),
                format!("set {name}={theirs};"),
            );
        }
    }
    if a.download != b.download {
        let key = "odps.security.enabledownloadprivilege";
        let v = b.download.to_string();
        at.push(
            set,
            texts::property(p, key, &v),
            format!("setproject {key}={v};"),
        );
    }
    let keys: BTreeSet<&String> = a.properties.keys().chain(b.properties.keys()).collect();
    for key in keys {
        let (ours, theirs) = (a.properties.get(key), b.properties.get(key));
        if ours == theirs {
            continue;
        }
        let value = theirs
            .map(String::as_str)
            .or_else(|| crate::engine::property_default(key))
            .unwrap_or_default();
        at.push(
            set,
            texts::property(p, key, value),
            format!("setproject {key}={value};"),
        );
    }
    for t in a.trusted.difference(&b.trusted) {
        at.push(
            set,
            texts::trusted(p, t, false),
            format!("remove trustedproject {t};"),
        );
    }
    for t in b.trusted.difference(&a.trusted) {
        at.push(
            set,
            texts::trusted(p, t, true),
            format!("add trustedproject {t};"),
        );
    }
    for (provider, add) in [(AccountProvider::Ram, true), (AccountProvider::Ram, false)] {
        let (ours, theirs) = (
            a.providers.contains(&provider),
            b.providers.contains(&provider),
        );
        if ours != theirs && theirs == add {
            let word = if add { "add" } else { "remove" };
            let name = provider.as_str();
            at.push(
                set,
                texts::provider(p, name, add),
                format!("{word} accountprovider {};", name.to_ascii_lowercase()),
            );
        }
    }
}

/// Whether the exception policies differ (not expressible here as one line).
pub fn exception_note(a: &Project, b: &Project, set: &mut ChangeSet) {
    if a.outflow.exception != b.outflow.exception {
        set.note(texts::exception_differs(&b.name));
    }
}

/// Whether the project's or a role's policy differs, or the type of a role both sides have:
/// `put policy` takes a file and a type is chosen only when a role is made, so each is a note
/// (with B's document to put).
pub fn policy_notes(a: &Project, b: &Project, set: &mut ChangeSet) {
    use crate::engine::policy_document::to_json;
    let (pa, pb) = (&a.policies, &b.policies);
    let document = |d: Option<&crate::world::policy::PolicyDocument>| {
        d.map_or_else(
            || r#"{"Version":"1","Statement":[]}"#.to_string(),
            |d| to_json(d).to_string(),
        )
    };
    if pa.project != pb.project {
        set.note(texts::project_policy_differs(
            &b.name,
            &document(pb.project.as_ref()),
        ));
    }
    // A dropped role's policy stays, unseen until a role of its name is made: only the roles
    // of either side are compared.
    let exists = |p: &Project, role: &str| p.role_names().any(|r| r.eq_ignore_ascii_case(role));
    let roles: std::collections::BTreeSet<&String> =
        pa.roles.keys().chain(pb.roles.keys()).collect();
    for role in roles {
        if !exists(a, role) && !exists(b, role) {
            continue;
        }
        if pa.roles.get(role) != pb.roles.get(role) {
            set.note(texts::role_policy_differs(
                &b.name,
                role,
                &document(pb.roles.get(role)),
            ));
        }
    }
    // A role made in B is made of its type; one on both sides keeps the type it was made with.
    for role in pa.admin_roles.symmetric_difference(&pb.admin_roles) {
        if !(exists(a, role) && exists(b, role)) {
            continue;
        }
        let admin = pb.admin_roles.contains(role);
        set.note(texts::role_type_differs(&b.name, role, admin));
    }
}
