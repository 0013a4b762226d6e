//! A world as the diff compares it: by names.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::engine::names::display_all;
use crate::vocabulary::{AccountProvider, Privilege, SecurityFlag};
use crate::world::acl::Grantee;
use crate::world::credentials::{AccessKey, PolicyAttachment};
use crate::world::{PrincipalId, Project, RamUser, World};

/// A grant's target: the grantee as statements name it (`user <principal>` or `role <r>`), the
/// object as a statement names it (`table t`, `project p`), and the column.
pub type GrantTarget = (String, String, Option<String>);

pub struct ProjectView<'w> {
    pub name: &'w str,
    /// Member name → the roles it holds, sorted.
    pub members: HashMap<String, Vec<&'w str>>,
    pub custom_roles: BTreeSet<&'w str>,
    pub acl: BTreeMap<GrantTarget, BTreeMap<Privilege, Option<u64>>>,
    /// Tables and their columns (name and type).
    pub tables: BTreeMap<&'w str, Vec<(&'w str, &'w str)>>,
    /// Resources and functions, as `<kind> <name>` (instances are jobs' leftovers, not compared).
    pub others: BTreeSet<String>,
    pub flags: Vec<(SecurityFlag, bool)>,
    pub download: bool,
    pub trusted: BTreeSet<&'w str>,
    pub providers: BTreeSet<AccountProvider>,
    pub properties: &'w BTreeMap<String, String>,
    /// The world's time, for expiries as days from now.
    pub now: u64,
}

/// How a statement names an object.
fn object_words(project: &Project, key: &crate::world::objects::ObjectKey) -> String {
    match key.kind {
        crate::vocabulary::ObjectKind::Project => format!("project {}", project.name),
        kind => format!("{} {}", kind.as_str(), key.name),
    }
}

pub fn project<'w>(world: &'w World, p: &'w Project) -> ProjectView<'w> {
    let ids: Vec<PrincipalId> = p.members().collect();
    let names = display_all(world, &ids);
    let mut members = HashMap::with_capacity(ids.len());
    for (id, name) in ids.iter().zip(names) {
        members.insert(name, p.roles_of(*id).unwrap_or_default());
    }
    let mut grantee_ids: Vec<PrincipalId> = Vec::new();
    for (g, _, _) in p.acl().entries() {
        if let Grantee::User(id) = g {
            grantee_ids.push(*id);
        }
    }
    grantee_ids.sort_unstable();
    grantee_ids.dedup();
    let grantee_names: HashMap<PrincipalId, String> = grantee_ids
        .iter()
        .copied()
        .zip(display_all(world, &grantee_ids))
        .collect();
    let mut acl = BTreeMap::new();
    for (g, key, grants) in p.acl().entries() {
        let who = match g {
            Grantee::User(id) => {
                format!("user {}", grantee_names.get(id).map_or("", String::as_str))
            }
            Grantee::Role(r) => format!("role {r}"),
        };
        let object = object_words(p, key);
        if !grants.whole.is_empty() {
            acl.insert((who.clone(), object.clone(), None), grants.whole.clone());
        }
        for (column, actions) in &grants.columns {
            acl.insert(
                (who.clone(), object.clone(), Some(column.clone())),
                actions.clone(),
            );
        }
    }
    let objects = p.objects();
    let tables = objects
        .tables()
        .map(|t| {
            let cols = t
                .columns
                .iter()
                .map(|c| (c.name.as_str(), c.data_type.as_str()))
                .collect();
            (t.name.as_str(), cols)
        })
        .collect();
    let mut others = BTreeSet::new();
    others.extend(objects.resources().map(|r| format!("resource {}", r.name)));
    others.extend(objects.functions().map(|f| format!("function {}", f.name)));
    ProjectView {
        name: &p.name,
        members,
        custom_roles: p.role_names().filter(|r| !p.role_is_builtin(r)).collect(),
        acl,
        tables,
        others,
        flags: SecurityFlag::EVERY
            .iter()
            .map(|f| (*f, p.security.flags.get(*f)))
            .collect(),
        download: p.outflow.download_privilege,
        trusted: p.security.trusted_projects().collect(),
        providers: p.security.providers().collect(),
        properties: &p.properties,
        now: world.clock.now,
    }
}

/// The home account's RAM users and groups, by lower-cased name.
pub struct RamView<'w> {
    pub users: HashMap<String, &'w RamUser>,
    /// Group name → its members' lower-cased names.
    pub groups: BTreeMap<String, (&'w str, BTreeSet<String>)>,
}

pub fn ram(world: &World) -> RamView<'_> {
    let Some(account) = world.account(world.home) else {
        return RamView {
            users: HashMap::new(),
            groups: BTreeMap::new(),
        };
    };
    let users: HashMap<String, &RamUser> = account
        .users()
        .map(|u| (u.name().to_ascii_lowercase(), u))
        .collect();
    let mut groups = BTreeMap::new();
    for g in &account.directory.groups {
        let members = g
            .members
            .iter()
            .filter_map(|m| account.user(m.uid))
            .map(|u| u.name().to_ascii_lowercase())
            .collect();
        groups.insert(g.name.to_ascii_lowercase(), (g.name.as_str(), members));
    }
    RamView { users, groups }
}

/// A policy attachment as the diff compares it.
pub fn policy_key(p: &PolicyAttachment) -> (String, &'static str) {
    (p.name.to_ascii_lowercase(), p.policy_type.as_str())
}

/// A key as the diff compares it: its id and whether it is active.
pub fn key_state(k: &AccessKey) -> (&str, &'static str) {
    (&k.id, k.status.as_str())
}
