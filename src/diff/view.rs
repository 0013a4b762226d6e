//! A world as the diff compares it: by names.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::engine::names::display_all;
use crate::vocabulary::{AccountProvider, Privilege, SecurityFlag};
use crate::world::acl::Grantee;
use crate::world::credentials::{AccessKey, CustomPolicy, PolicyAttachment};
use crate::world::members::RoleSet;
use crate::world::ram_roles::RamRole;
use crate::world::{PrincipalId, Project, RamUser, World};

/// A grant's target: the grantee as statements name it (`user <principal>` or `role <r>`), the
/// object as a statement names it (`table t`, `project p`), and the column.
pub type GrantTarget = (String, String, Option<String>);

pub struct ProjectView<'w> {
    pub name: &'w str,
    /// Members by name (sorted) and the roles each holds (sorted).
    pub members: Vec<(String, Vec<&'w str>)>,
    pub custom_roles: BTreeSet<&'w str>,
    /// The custom roles of the admin type (lower-case).
    pub admin_roles: &'w BTreeSet<String>,
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

/// Members by name (sorted), each with the roles it holds (sorted).
pub type NamedMembers<'w> = Vec<(String, Vec<&'w str>)>;

/// Members named, with their roles, sorted by name.
fn named<'w>(world: &'w World, p: &'w Project, ids: &[PrincipalId]) -> NamedMembers<'w> {
    let names = display_all(world, ids);
    let mut members: Vec<(String, Vec<&str>)> = ids
        .iter()
        .zip(names)
        .map(|(id, name)| (name, p.roles_of(*id).unwrap_or_default()))
        .collect();
    members.sort_unstable_by(|x, y| x.0.cmp(&y.0));
    members
}

/// A principal as a statement names it: a RAM role (`RAM$<account>:role/<name>`) in
/// backquotes, as MaxCompute writes it (its `/` ends a bare name).
pub fn stated(name: &str) -> std::borrow::Cow<'_, str> {
    if name.contains('/') {
        format!("`{name}`").into()
    } else {
        name.into()
    }
}

/// A RAM user and its account's log-on name: the home account's first (almost every member's).
fn user_of(w: &World, uid: crate::world::Uid) -> Option<(&str, &str)> {
    let home = w.account(w.home);
    if let Some((a, u)) = home.and_then(|a| a.user(uid).map(|u| (a, u))) {
        return Some((&a.login, u.name()));
    }
    w.ram_user(uid).map(|(a, u)| (a.login.as_str(), u.name()))
}

/// Whether both worlds name `id` alike.
fn same_name(wa: &World, wb: &World, id: PrincipalId) -> bool {
    match id {
        PrincipalId::RamUser(uid) => match (user_of(wa, uid), user_of(wb, uid)) {
            (Some(x), Some(y)) => x == y,
            (None, None) => true,
            _ => false,
        },
        PrincipalId::Account(a) => {
            wa.account(a).map(|x| &x.login) == wb.account(a).map(|x| &x.login)
        }
        PrincipalId::RamRole(id) => {
            let role = |w: &World| {
                w.ram_role(id)
                    .map(|(a, r)| (a.login.clone(), r.name.clone()))
            };
            role(wa) == role(wb)
        }
    }
}

/// The members of two projects that may differ, named, each side sorted by name: a member
/// with the same id, name and roles on both sides is left out (it changes nothing), so a
/// million members cost a merge of ids, not a million names.
pub fn differing_members<'w>(
    wa: &'w World,
    pa: &'w Project,
    wb: &'w World,
    pb: &'w Project,
) -> (NamedMembers<'w>, NamedMembers<'w>) {
    // In storage order, then sorted by id: one pass over each project's members.
    let mut ia: Vec<(PrincipalId, &RoleSet)> = pa.members.iter().collect();
    let mut ib: Vec<(PrincipalId, &RoleSet)> = pb.members.iter().collect();
    ia.sort_unstable_by_key(|(id, _)| *id);
    ib.sort_unstable_by_key(|(id, _)| *id);
    // With the same role table on both sides, role sets compare as they are.
    let same_table = pa.roles.entries().eq(pb.roles.entries());
    let same_roles = |x: &RoleSet, y: &RoleSet| {
        if same_table {
            x == y
        } else {
            pa.roles.names_of(x) == pb.roles.names_of(y)
        }
    };
    let (mut la, mut lb) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < ia.len() || j < ib.len() {
        match (ia.get(i), ib.get(j)) {
            (Some(&(x, rx)), Some(&(y, ry))) if x == y => {
                if !same_roles(rx, ry) || !same_name(wa, wb, x) {
                    la.push(x);
                    lb.push(y);
                }
                i += 1;
                j += 1;
            }
            (Some(&(x, _)), Some(&(y, _))) if x < y => {
                la.push(x);
                i += 1;
            }
            (Some(&(x, _)), None) => {
                la.push(x);
                i += 1;
            }
            (_, Some(&(y, _))) => {
                lb.push(y);
                j += 1;
            }
            (None, None) => break,
        }
    }
    (named(wa, pa, &la), named(wb, pb, &lb))
}

pub fn project<'w>(
    world: &'w World,
    p: &'w Project,
    members: Vec<(String, Vec<&'w str>)>,
) -> ProjectView<'w> {
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
                format!(
                    "user {}",
                    stated(grantee_names.get(id).map_or("", String::as_str))
                )
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
        admin_roles: &p.policies.admin_roles,
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

/// The home account's RAM users (sorted by lower-cased name) and groups.
pub struct RamView<'w> {
    pub users: Vec<(String, &'w RamUser)>,
    /// RAM roles by lower-cased name (sorted).
    pub roles: Vec<(String, &'w RamRole)>,
    /// Groups by lower-cased name.
    pub groups: BTreeMap<String, GroupView<'w>>,
    /// Virtual MFA devices by serial number.
    pub devices: BTreeMap<&'w str, DeviceView<'w>>,
    /// Custom policies by lower-cased name.
    pub custom_policies: BTreeMap<String, &'w CustomPolicy>,
}

/// A RAM group as the diff compares it.
pub struct GroupView<'w> {
    pub name: &'w str,
    pub comments: &'w str,
    /// Its members' lower-cased names and names.
    pub members: BTreeMap<String, &'w str>,
    pub policies: &'w [PolicyAttachment],
}

/// A virtual MFA device as the diff compares it: its name, and the user it is bound to.
pub struct DeviceView<'w> {
    pub name: &'w str,
    pub user: Option<&'w str>,
}

/// Two lists sorted by key, joined: each key with what each side has.
pub fn join<'a, T>(
    a: &'a [(String, T)],
    b: &'a [(String, T)],
) -> Vec<(&'a str, Option<&'a T>, Option<&'a T>)> {
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let order = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => x.0.cmp(&y.0),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match order {
            std::cmp::Ordering::Less => {
                out.push((a[i].0.as_str(), Some(&a[i].1), None));
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push((b[j].0.as_str(), None, Some(&b[j].1)));
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push((a[i].0.as_str(), Some(&a[i].1), Some(&b[j].1)));
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// The home account's view, its users restricted to those that may differ from `other`'s (a
/// user with the same uid, equal in everything, changes nothing).
pub fn ram<'w>(world: &'w World, other: &World) -> RamView<'w> {
    let theirs = other.account(other.home);
    let Some(account) = world.account(world.home) else {
        return RamView {
            users: Vec::new(),
            roles: Vec::new(),
            groups: BTreeMap::new(),
            devices: BTreeMap::new(),
            custom_policies: BTreeMap::new(),
        };
    };
    let mut users: Vec<(String, &RamUser)> = account
        .users()
        .filter(|u| theirs.and_then(|t| t.user(u.uid)) != Some(*u))
        .map(|u| (u.name().to_ascii_lowercase(), u))
        .collect();
    users.sort_unstable_by(|x, y| x.0.cmp(&y.0));
    let mut groups = BTreeMap::new();
    for g in &account.directory.groups {
        let members = g
            .members
            .iter()
            .filter_map(|m| account.user(m.uid))
            .map(|u| (u.name().to_ascii_lowercase(), u.name()))
            .collect();
        let view = GroupView {
            name: &g.name,
            comments: &g.comments,
            members,
            policies: &g.policies,
        };
        groups.insert(g.name.to_ascii_lowercase(), view);
    }
    let devices = account
        .directory
        .mfa_devices
        .iter()
        .map(|d| {
            let user = d
                .binding
                .and_then(|b| account.user(b.uid))
                .map(|u| u.name());
            let view = DeviceView {
                name: &d.name,
                user,
            };
            (d.serial_number.as_str(), view)
        })
        .collect();
    let mut roles: Vec<(String, &RamRole)> = account
        .directory
        .roles
        .iter()
        .map(|r| (r.name.to_ascii_lowercase(), r))
        .collect();
    roles.sort_unstable_by(|x, y| x.0.cmp(&y.0));
    let custom_policies = account
        .custom_policies
        .iter()
        .map(|p| (p.name.to_ascii_lowercase(), p))
        .collect();
    RamView {
        users,
        roles,
        groups,
        devices,
        custom_policies,
    }
}

/// A policy attachment as the diff compares it.
pub fn policy_key(p: &PolicyAttachment) -> (String, &'static str) {
    (p.name.to_ascii_lowercase(), p.policy_type.as_str())
}

/// A key as the diff compares it: its id and whether it is active.
pub fn key_state(k: &AccessKey) -> (&str, &'static str) {
    (&k.id, k.status.as_str())
}
