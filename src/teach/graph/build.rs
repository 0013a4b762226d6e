//! World → [`Graph`]: one pass over the accounts (RAM users, groups, keys, policies), then one
//! over each project (members, roles, grants, objects). Read-only; names are resolved here, at
//! display time, so a deleted RAM user's member is `p4_<uid>`.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::names::display;
use crate::engine::policy::resource;
use crate::vocabulary::ObjectKind;
use crate::world::acl::{Actions, Grantee};
use crate::world::credentials::{KeyStatus, PolicyType, system_policy};
use crate::world::objects::ObjectKey;
use crate::world::policy::{Effect, PolicyRule, glob};
use crate::world::role_policies::builtin_policy;
use crate::world::{Account, PrincipalId, Project, Uid, World};

use super::{Edge, EdgeKind, GrantFacts, GrantSource, Graph, GraphError, Node, NodeKind, Risk};

/// The graph of `world`: every project, or only `project` (the RAM side is the account's and
/// is drawn whole either way).
pub fn build(world: &World, project: Option<&str>) -> Result<Graph, GraphError> {
    let projects: Vec<&Project> = match project {
        Some(name) => vec![
            world
                .project(name)
                .ok_or_else(|| GraphError::NoSuchProject(name.to_string()))?,
        ],
        None => world.projects.values().collect(),
    };
    let mut b = Builder::new(world);
    for account in world.accounts.values() {
        b.account(account);
    }
    for p in projects {
        b.project(p);
    }
    Ok(b.finish())
}

fn account_id(id: crate::world::AccountId) -> String {
    format!("account:{id}")
}

fn user_id(uid: Uid) -> String {
    format!("ram_user:{uid}")
}

fn role_id(role: u64) -> String {
    format!("ram_role:{role}")
}

fn project_id(project: &Project) -> String {
    format!("project:{}", project.name.to_ascii_lowercase())
}

/// An object's node: the project itself for the project object.
fn object_id(project: &Project, key: &ObjectKey) -> String {
    match key.kind {
        ObjectKind::Project => project_id(project),
        _ => format!("object:{}:{key}", project.name.to_ascii_lowercase()),
    }
}

struct Builder<'w> {
    world: &'w World,
    nodes: BTreeMap<String, Node>,
    edges: BTreeMap<(String, String, EdgeKind), Option<Risk>>,
    /// RAM users that are a member of some project or DataWorks workspace.
    somewhere: BTreeSet<Uid>,
}

impl<'w> Builder<'w> {
    fn new(world: &'w World) -> Self {
        let mut somewhere = BTreeSet::new();
        for p in world.projects.values() {
            let workspace = p.workspace.iter().flat_map(|w| w.members.keys().copied());
            for id in p.members().chain(workspace) {
                if let PrincipalId::RamUser(uid) = id {
                    somewhere.insert(uid);
                }
            }
        }
        Builder {
            world,
            nodes: BTreeMap::new(),
            edges: BTreeMap::new(),
            somewhere,
        }
    }

    fn finish(self) -> Graph {
        let mut graph = Graph {
            nodes: self.nodes.into_values().collect(),
            edges: self
                .edges
                .into_iter()
                .map(|((from, to, kind), risk)| Edge {
                    from,
                    to,
                    kind,
                    risk,
                    change: None,
                })
                .collect(),
        };
        graph.sort();
        graph
    }

    fn node(&mut self, id: String, kind: NodeKind, label: String, project: Option<&Project>) {
        self.nodes.entry(id.clone()).or_insert_with(|| Node {
            id,
            kind,
            label,
            project: project.map(|p| p.name.clone()),
            risk: None,
            grant: None,
            active: None,
            object: None,
            change: None,
        });
    }

    fn set_risk(&mut self, id: &str, risk: Risk) {
        if let Some(n) = self.nodes.get_mut(id) {
            n.risk = Some(risk);
        }
    }

    fn edge(&mut self, from: &str, to: &str, kind: EdgeKind) {
        let risk = [to, from]
            .iter()
            .find_map(|id| self.nodes.get(*id).and_then(|n| n.risk))
            .filter(|r| matches!(r, Risk::Deny | Risk::HighRisk));
        self.edges
            .insert((from.to_string(), to.to_string(), kind), risk);
    }

    /// An account, its RAM users, their groups, keys and policies.
    fn account(&mut self, account: &Account) {
        let aid = account_id(account.id);
        self.node(
            aid.clone(),
            NodeKind::Account,
            display(self.world, PrincipalId::Account(account.id)),
            None,
        );
        for group in &account.directory.groups {
            let gid = format!(
                "ram_group:{}:{}",
                account.id,
                group.name.to_ascii_lowercase()
            );
            self.node(gid.clone(), NodeKind::RamGroup, group.name.clone(), None);
            for policy in &group.policies {
                let pid = self.ram_policy(account, policy.policy_type, &policy.name);
                self.edge(&gid, &pid, EdgeKind::Attached);
            }
        }
        for role in &account.directory.roles {
            let rid = role_id(role.id);
            let name = display(self.world, PrincipalId::RamRole(role.id));
            self.node(rid.clone(), NodeKind::RamRole, name, None);
            self.edge(&aid, &rid, EdgeKind::HasRole);
            for policy in &role.policies {
                let pid = self.ram_policy(account, policy.policy_type, &policy.name);
                self.edge(&rid, &pid, EdgeKind::Attached);
            }
        }
        for user in account.users() {
            let uid = user_id(user.uid);
            let name = display(self.world, PrincipalId::RamUser(user.uid));
            self.node(uid.clone(), NodeKind::RamUser, name, None);
            self.edge(&aid, &uid, EdgeKind::HasUser);
            for group in account.directory.groups_of(user.uid) {
                let gid = format!(
                    "ram_group:{}:{}",
                    account.id,
                    group.name.to_ascii_lowercase()
                );
                self.edge(&uid, &gid, EdgeKind::InGroup);
            }
            for policy in user.policies() {
                let pid = self.ram_policy(account, policy.policy_type, &policy.name);
                self.edge(&uid, &pid, EdgeKind::Attached);
            }
            for role in &account.directory.roles {
                if crate::teach::assumers::may_assume(self.world, account, role, user) {
                    self.edge(&uid, &role_id(role.id), EdgeKind::MayAssume);
                }
            }
            let left = !self.somewhere.contains(&user.uid);
            for key in user.access_keys() {
                let kid = format!("key:{}", key.id);
                let active = key.status == KeyStatus::Active;
                self.node(kid.clone(), NodeKind::AccessKey, key.id.clone(), None);
                if let Some(n) = self.nodes.get_mut(&kid) {
                    n.active = Some(active);
                }
                if active && left {
                    self.set_risk(&kid, Risk::KeyLeftActive);
                }
                self.edge(&uid, &kid, EdgeKind::HasKey);
            }
        }
    }

    fn ram_policy(&mut self, account: &Account, kind: PolicyType, name: &str) -> String {
        let id = format!("ram_policy:{}:{}:{name}", account.id, kind.as_str());
        self.node(id.clone(), NodeKind::RamPolicy, name.to_string(), None);
        let high = kind == PolicyType::System && system_policy(name).is_some_and(|p| p.high_risk);
        if high {
            self.set_risk(&id, Risk::HighRisk);
        }
        id
    }

    /// The node that stands for `id` in `project`: its member node, else the account or RAM
    /// user itself, else (a deleted RAM user that is no member) a residual principal.
    fn who(&mut self, project: &Project, id: PrincipalId) -> String {
        if project.is_member(id) {
            return self.member(project, id);
        }
        match id {
            PrincipalId::Account(a) if self.world.account(a).is_some() => account_id(a),
            PrincipalId::RamUser(uid) if self.world.ram_user(uid).is_some() => user_id(uid),
            PrincipalId::RamRole(r) if self.world.ram_role(r).is_some() => role_id(r),
            _ => {
                let nid = format!("principal:{}:{id}", project.name.to_ascii_lowercase());
                self.node(
                    nid.clone(),
                    NodeKind::Principal,
                    display(self.world, id),
                    Some(project),
                );
                if matches!(id, PrincipalId::RamUser(_) | PrincipalId::RamRole(_)) {
                    self.set_risk(&nid, Risk::Residual);
                }
                nid
            }
        }
    }

    fn member(&mut self, project: &Project, id: PrincipalId) -> String {
        let mid = format!("member:{}:{id}", project.name.to_ascii_lowercase());
        if self.nodes.contains_key(&mid) {
            return mid;
        }
        self.node(
            mid.clone(),
            NodeKind::Member,
            display(self.world, id),
            Some(project),
        );
        match id {
            PrincipalId::Account(a) if self.world.account(a).is_some() => {
                self.edge(&account_id(a), &mid, EdgeKind::IsMember);
            }
            PrincipalId::RamUser(uid) if self.world.ram_user(uid).is_some() => {
                self.edge(&user_id(uid), &mid, EdgeKind::IsMember);
            }
            PrincipalId::RamRole(r) if self.world.ram_role(r).is_some() => {
                self.edge(&role_id(r), &mid, EdgeKind::IsMember);
            }
            PrincipalId::RamUser(_) | PrincipalId::RamRole(_) => {
                self.set_risk(&mid, Risk::Residual);
            }
            _ => {}
        }
        mid
    }

    fn role(&mut self, project: &Project, role: &str) -> String {
        let rid = format!("role:{}:{role}", project.name.to_ascii_lowercase());
        self.node(rid.clone(), NodeKind::Role, role.to_string(), Some(project));
        rid
    }

    /// The objects of a project, the project first.
    fn objects(project: &Project) -> Vec<ObjectKey> {
        let objects = project.objects();
        let mut keys = vec![ObjectKey::project()];
        keys.extend(objects.tables().map(|t| ObjectKey::table(&t.name)));
        keys.extend(
            objects
                .resources()
                .map(|r| ObjectKey::new(ObjectKind::Resource, &r.name)),
        );
        keys.extend(
            objects
                .functions()
                .map(|f| ObjectKey::new(ObjectKind::Function, &f.name)),
        );
        keys.sort();
        keys
    }

    fn project(&mut self, project: &Project) {
        let pid = project_id(project);
        self.node(
            pid.clone(),
            NodeKind::Project,
            project.name.clone(),
            Some(project),
        );
        if self.world.account(project.owner).is_some() {
            self.edge(&account_id(project.owner), &pid, EdgeKind::Owns);
        }
        let keys = Self::objects(project);
        for key in keys.iter().filter(|k| k.kind != ObjectKind::Project) {
            let oid = object_id(project, key);
            self.node(
                oid.clone(),
                NodeKind::Object,
                key.name.clone(),
                Some(project),
            );
            if let Some(n) = self.nodes.get_mut(&oid) {
                n.object = Some(key.kind);
            }
            self.edge(&pid, &oid, EdgeKind::Contains);
            if let Some(creator) = project.objects().creator(key) {
                let who = self.who(project, creator);
                self.edge(&who, &oid, EdgeKind::Created);
            }
        }
        let mut members: Vec<PrincipalId> = project.members().collect();
        members.sort();
        for id in members {
            let mid = self.member(project, id);
            for role in project.roles_of(id).unwrap_or_default() {
                let rid = self.role(project, role);
                self.edge(&mid, &rid, EdgeKind::Holds);
            }
        }
        for role in project.role_names() {
            if !project.role_is_builtin(role) {
                self.role(project, role);
            }
        }
        self.acl(project, &keys);
        self.role_policies(project, &keys);
        self.project_policy(project, &keys);
        let roles: Vec<String> = self
            .nodes
            .values()
            .filter(|n| n.kind == NodeKind::Role && n.project.as_deref() == Some(&project.name))
            .map(|n| n.label.clone())
            .collect();
        for role in roles {
            self.builtin(project, &role, &keys);
        }
    }

    /// One node per grantee, object (or column) and expiry.
    fn acl(&mut self, project: &Project, keys: &[ObjectKey]) {
        let p = project.name.to_ascii_lowercase();
        for key in keys {
            let mut grantees: Vec<&Grantee> = project.acl().grantees_of(key).collect();
            grantees.sort();
            for grantee in grantees {
                let Some(grants) = project.acl().on(grantee, key) else {
                    continue;
                };
                let holder = match grantee {
                    Grantee::Role(r) => self.role(project, r),
                    Grantee::User(id) => self.who(project, *id),
                };
                let path = key.path(&project.name);
                let mut parts: Vec<(String, String, Option<&str>, &Actions)> =
                    vec![(key.to_string(), path.clone(), None, &grants.whole)];
                for (column, actions) in &grants.columns {
                    parts.push((
                        format!("{key}/{column}"),
                        format!("{path}/{column}"),
                        Some(column.as_str()),
                        actions,
                    ));
                }
                for (stored, shown, column, actions) in parts {
                    for (expires, list) in by_expiry(actions) {
                        let gid = format!(
                            "grant:{p}:{grantee}:{stored}:{}",
                            expires.map_or_else(|| "forever".to_string(), |t| t.to_string())
                        );
                        let facts = GrantFacts {
                            source: GrantSource::Acl,
                            effect: Effect::Allow,
                            actions: list,
                            resources: vec![shown.clone()],
                            expires,
                            conditional: false,
                        };
                        self.grant(project, &gid, facts);
                        // A column's grant names its column after the actions.
                        if let (Some(c), Some(n)) = (column, self.nodes.get_mut(&gid)) {
                            n.label = format!("{} ({c})", n.label);
                        }
                        self.edge(&holder, &gid, EdgeKind::Granted);
                        self.edge(&gid, &object_id(project, key), EdgeKind::On);
                    }
                }
            }
        }
    }

    fn grant(&mut self, project: &Project, id: &str, facts: GrantFacts) {
        let label = facts.actions.join(", ");
        self.node(id.to_string(), NodeKind::Grant, label, Some(project));
        if facts.effect == Effect::Deny {
            self.set_risk(id, Risk::Deny);
        }
        if let Some(n) = self.nodes.get_mut(id) {
            n.grant = Some(facts);
        }
    }

    /// A policy statement's node, and its edges to the objects its resources match (or to a
    /// pattern node when none does).
    fn rule(
        &mut self,
        project: &Project,
        id: &str,
        rule: &PolicyRule,
        source: GrantSource,
        keys: &[ObjectKey],
    ) {
        let p = project.name.to_ascii_lowercase();
        let facts = GrantFacts {
            source,
            effect: rule.effect,
            actions: rule.actions.clone(),
            resources: rule
                .resources
                .iter()
                .map(|r| r.strip_prefix("acs:odps:*:").unwrap_or(r).to_string())
                .collect(),
            expires: None,
            conditional: !rule.conditions.is_empty(),
        };
        self.grant(project, id, facts);
        for pattern in &rule.resources {
            let matched: Vec<&ObjectKey> = keys
                .iter()
                .filter(|k| glob(pattern, &resource(project, k)))
                .collect();
            if matched.is_empty() {
                let shown = pattern.strip_prefix("acs:odps:*:").unwrap_or(pattern);
                let nid = format!("pattern:{p}:{shown}");
                self.node(
                    nid.clone(),
                    NodeKind::Pattern,
                    shown.to_string(),
                    Some(project),
                );
                self.edge(id, &nid, EdgeKind::On);
            }
            for key in matched {
                self.edge(id, &object_id(project, key), EdgeKind::On);
            }
        }
    }

    fn role_policies(&mut self, project: &Project, keys: &[ObjectKey]) {
        let p = project.name.to_ascii_lowercase();
        for (role, doc) in &project.policies.roles {
            if !project.has_role(role) {
                continue;
            }
            let rid = self.role(project, role);
            for (i, rule) in doc.rules.iter().enumerate() {
                let gid = format!("policy:{p}:role/{role}:{i}");
                self.rule(project, &gid, rule, GrantSource::RolePolicy, keys);
                self.edge(&rid, &gid, EdgeKind::Granted);
            }
        }
    }

    /// The project policy's statements: from the project, and from each member they name.
    fn project_policy(&mut self, project: &Project, keys: &[ObjectKey]) {
        let Some(doc) = &project.policies.project else {
            return;
        };
        let p = project.name.to_ascii_lowercase();
        let pid = project_id(project);
        let members: Vec<(String, String)> = self
            .nodes
            .values()
            .filter(|n| n.kind == NodeKind::Member && n.project.as_deref() == Some(&project.name))
            .map(|n| (n.id.clone(), n.label.clone()))
            .collect();
        for (i, rule) in doc.rules.iter().enumerate() {
            let gid = format!("policy:{p}:project:{i}");
            self.rule(project, &gid, rule, GrantSource::ProjectPolicy, keys);
            self.edge(&pid, &gid, EdgeKind::Granted);
            for (mid, name) in &members {
                if rule.principals.iter().any(|x| x.eq_ignore_ascii_case(name)) {
                    self.edge(mid, &gid, EdgeKind::Granted);
                }
            }
        }
    }

    /// A built-in role's policy as one grant, on the project and every object of its scopes.
    fn builtin(&mut self, project: &Project, role: &str, keys: &[ObjectKey]) {
        let statements = builtin_policy(role);
        if statements.is_empty() {
            return;
        }
        let p = project.name.to_ascii_lowercase();
        let gid = format!("builtin:{p}:{role}");
        let mut actions = BTreeSet::new();
        for s in statements {
            actions.extend(s.actions.iter().map(|a| a.as_str().to_string()));
        }
        let facts = GrantFacts {
            source: GrantSource::Builtin,
            effect: Effect::Allow,
            actions: actions.into_iter().collect(),
            resources: statements
                .iter()
                .map(|s| s.scope.path(&project.name))
                .collect(),
            expires: None,
            conditional: false,
        };
        self.grant(project, &gid, facts);
        let rid = format!("role:{p}:{role}");
        self.edge(&rid, &gid, EdgeKind::Granted);
        for key in keys {
            if statements.iter().any(|s| s.scope.kind() == key.kind) {
                self.edge(&gid, &object_id(project, key), EdgeKind::On);
            }
        }
    }
}

/// Actions grouped by expiry (permanent first), each group's actions in their order.
fn by_expiry(actions: &Actions) -> Vec<(Option<u64>, Vec<String>)> {
    let mut groups: BTreeMap<Option<u64>, Vec<String>> = BTreeMap::new();
    for (action, expiry) in actions {
        groups
            .entry(*expiry)
            .or_default()
            .push(action.as_str().to_string());
    }
    groups.into_iter().collect()
}
