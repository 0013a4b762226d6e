//! Facts of one project → the project: owner, custom roles, members and their roles, the objects
//! grants name, the ACL, security settings, account providers and properties.

use std::collections::{BTreeMap, BTreeSet};

use super::build::{Builder, is_builtin, resource_kind};
use super::facts::{FlagKey, Grantee as FactGrantee, Object, Principal, ProjectFacts};
use super::report::Kind;
use super::texts;
use crate::engine::policy_document::{self, Holder};
use crate::engine::property_default;
use crate::vocabulary::{AccountProvider, ObjectKind, Privilege};
use crate::world::acl::Grantee;
use crate::world::objects::{Column, Function, Instance, ObjectKey, Resource, Table};
use crate::world::role_policies::builtin_policy;
use crate::world::{PrincipalId, Project};

/// The download-control property, which the world keeps with the outflow controls.
const DOWNLOAD_PROPERTY: &str = "odps.security.enabledownloadprivilege";

/// A grant's target and expiry, for grouping its actions.
type GrantKey = (Grantee, ObjectKey, Option<String>, Option<u64>);

impl Builder<'_> {
    pub(super) fn project(&mut self, p: &ProjectFacts) {
        let mut assumed = Vec::new();
        let home = self.world.home;
        let owner_is_account = p
            .owner
            .and_then(|o| self.name_of(o))
            .is_some_and(|o| matches!(o, Principal::Aliyun(_)));
        let owner = match p.owner {
            Some(o) if owner_is_account => self.who(o, &mut assumed),
            _ => {
                let login = self
                    .world
                    .account(home)
                    .map(|a| a.login.clone())
                    .unwrap_or_default();
                self.report.push(
                    Kind::Assumed,
                    texts::owner_assumed(&p.name, &format!("ALIYUN${login}")),
                );
                PrincipalId::Account(home)
            }
        };
        let PrincipalId::Account(owner_account) = owner else {
            return;
        };
        let mut project = Project::new(&p.name, owner_account);
        // Roles: the listed ones, else every role the captures name as held or described.
        let mut roles: BTreeSet<String> = match &p.roles {
            Some(listed) => listed.clone(),
            None => p
                .role_members
                .keys()
                .cloned()
                .chain(p.member_roles.values().flatten().cloned())
                .collect(),
        };
        roles.extend(p.role_members.keys().cloned());
        roles.extend(p.member_roles.values().flatten().cloned());
        let custom: Vec<&String> = roles.iter().filter(|r| !is_builtin(r)).collect();
        for role in &custom {
            let _ = project.create_role(role);
        }
        // Members and their roles.
        let mut bindings: BTreeMap<super::facts::Who, BTreeSet<&str>> = BTreeMap::new();
        for m in p.members.iter().flatten() {
            bindings.entry(*m).or_default();
        }
        for (role, holders) in &p.role_members {
            for m in holders {
                bindings.entry(*m).or_default().insert(role);
            }
        }
        for (m, held) in &p.member_roles {
            bindings
                .entry(*m)
                .or_default()
                .extend(held.iter().map(String::as_str));
        }
        let mut residual = Vec::new();
        for (m, held) in &bindings {
            if let Some(r) = self.name_of(*m)
                && r.is_residual()
            {
                residual.push(r.to_string());
            }
            let id = self.who(*m, &mut assumed);
            let _ = project.add_member(id);
            let held: Vec<&str> = held.iter().copied().collect();
            let _ = project.grant_roles(id, &held);
        }
        let objects = self.objects(p, &mut project, owner, &mut assumed);
        let grants = self.grants(p, &mut project, &mut assumed);
        self.report.push(
            Kind::Built,
            texts::project(
                &p.name,
                project.member_count(),
                custom.len(),
                grants,
                objects,
            ),
        );
        if !residual.is_empty() {
            self.report
                .push(Kind::Built, texts::residual(&p.name, &residual));
        }
        self.labels(p, &mut project, &mut assumed);
        self.settings(p, &mut project);
        self.policies(p, &mut project);
        if !assumed.is_empty() {
            assumed.sort();
            assumed.dedup();
            self.report
                .push(Kind::Assumed, texts::uids_assumed(&assumed));
        }
        self.world
            .projects
            .insert(p.name.to_ascii_lowercase(), project);
    }

    /// The objects grants and creators name; the number made.
    fn objects(
        &mut self,
        p: &ProjectFacts,
        project: &mut Project,
        owner: PrincipalId,
        assumed: &mut Vec<String>,
    ) -> usize {
        let now = self.world.clock.now;
        // Many grants name few objects: gathered without order first, then sorted.
        let mut unique: hashbrown::HashSet<&Object> = p.grants.iter().map(|g| &g.object).collect();
        unique.extend(p.creators.keys());
        let mut named: Vec<&Object> = unique.into_iter().collect();
        named.sort_unstable();
        let (mut by_owner, mut functions, mut columns_named, mut left_out) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut made = 0;
        for object in named {
            let creator = match p.creators.get(object) {
                Some(c) => self.who(*c, assumed),
                None => {
                    if object.kind != ObjectKind::Project {
                        by_owner.push(format!("{} {}", object.kind, object.name));
                    }
                    owner
                }
            };
            let name = object.name.clone();
            match object.kind {
                ObjectKind::Project => continue,
                ObjectKind::Table => {
                    let table = match p.tables.get(&name) {
                        // As desc shows it.
                        Some(t) => Table {
                            columns: t
                                .columns
                                .iter()
                                .map(|(name, data_type, comment, _)| Column {
                                    name: name.clone(),
                                    data_type: data_type.clone(),
                                    comment: comment.clone(),
                                })
                                .collect(),
                            comment: t.comment.clone(),
                            created: if t.created == 0 { now } else { t.created },
                            name,
                            creator,
                        },
                        // Only the columns grants name.
                        None => {
                            let columns: Vec<Column> = p
                                .columns
                                .get(&name)
                                .into_iter()
                                .flatten()
                                .map(|c| Column {
                                    name: c.clone(),
                                    data_type: "string".into(),
                                    comment: String::new(),
                                })
                                .collect();
                            if !columns.is_empty() {
                                columns_named.push(name.clone());
                            }
                            Table {
                                name,
                                columns,
                                comment: String::new(),
                                creator,
                                created: now,
                            }
                        }
                    };
                    project.insert_table(table);
                }
                ObjectKind::Resource => project.put_resource(Resource {
                    kind: resource_kind(&name),
                    name,
                    comment: String::new(),
                    creator,
                    created: now,
                    updated: now,
                }),
                ObjectKind::Function => {
                    functions.push(name.clone());
                    project.insert_function(Function {
                        name,
                        class: String::new(),
                        resources: Vec::new(),
                        creator,
                        created: now,
                    });
                }
                ObjectKind::Instance => project.insert_instance(Instance {
                    id: name,
                    owner: creator,
                    started: now,
                    query: String::new(),
                }),
                ObjectKind::Package => {
                    left_out.push(format!("package {name}"));
                    continue;
                }
            };
            made += 1;
        }
        if !by_owner.is_empty() {
            let owner_name = crate::engine::names::display(&self.world, owner);
            self.report.push(
                Kind::Assumed,
                texts::creators_assumed(&p.name, &owner_name, &by_owner),
            );
        }
        if !columns_named.is_empty() {
            self.report.push(
                Kind::Assumed,
                texts::columns_assumed(&p.name, &columns_named),
            );
        }
        if !functions.is_empty() {
            self.report
                .push(Kind::Assumed, texts::function_assumed(&p.name, &functions));
        }
        if !left_out.is_empty() {
            self.report.push(
                Kind::NotInferred,
                texts::not_inferred_objects(&p.name, &left_out),
            );
        }
        made
    }

    /// Labels: tables' and columns' sensitivity (from `desc`), members' access levels and label
    /// grants (from `show label grants`).
    fn labels(&mut self, p: &ProjectFacts, project: &mut Project, assumed: &mut Vec<String>) {
        use crate::world::labels::{LabelGrant, LabelTarget};
        let mut labelled = 0;
        for (name, t) in &p.tables {
            if t.label > 0 || t.columns.iter().any(|c| c.3 > 0) {
                labelled += 1;
            }
            project.labels.set_sensitivity(name, &[], t.label);
            for (column, _, _, level) in &t.columns {
                // A column shows its own level, or the table's when it has none.
                if *level != t.label {
                    project
                        .labels
                        .set_sensitivity(name, std::slice::from_ref(column), *level);
                }
            }
        }
        for (who, level) in &p.clearances {
            let id = self.who(*who, assumed);
            project.labels.set_clearance(Grantee::User(id), *level);
        }
        for (g, (level, expires)) in &p.label_grants {
            let grantee = match &g.grantee {
                FactGrantee::User(u) => Grantee::User(self.who(*u, assumed)),
                FactGrantee::Role(r) => Grantee::Role(r.clone()),
            };
            let target = LabelTarget {
                table: g.table.clone(),
                column: g.column.clone(),
            };
            let grant = LabelGrant {
                level: *level,
                expires: *expires,
            };
            project.labels.grant(grantee, target, grant);
        }
        let levels = p.clearances.values().filter(|l| **l > 0).count();
        if labelled + levels + p.label_grants.len() > 0 {
            self.report.push(
                Kind::Built,
                texts::labels(&p.name, labelled, levels, p.label_grants.len()),
            );
        }
    }

    /// The ACL; the number of actions granted.
    fn grants(
        &mut self,
        p: &ProjectFacts,
        project: &mut Project,
        assumed: &mut Vec<String>,
    ) -> usize {
        let mut grouped: BTreeMap<GrantKey, Vec<Privilege>> = BTreeMap::new();
        for g in &p.grants {
            if g.object.kind == ObjectKind::Package {
                continue;
            }
            let grantee = match &g.grantee {
                FactGrantee::User(u) => Grantee::User(self.who(*u, assumed)),
                FactGrantee::Role(r) => Grantee::Role(r.clone()),
            };
            let key = match g.object.kind {
                ObjectKind::Project => ObjectKey::project(),
                kind => ObjectKey::new(kind, &g.object.name),
            };
            grouped
                .entry((grantee, key, g.column.clone(), g.expires))
                .or_default()
                .push(g.privilege);
        }
        let mut n = 0;
        for ((grantee, key, column, expires), actions) in grouped {
            let columns: Vec<String> = column.into_iter().collect();
            if project
                .grant(&grantee, &key, &columns, &actions, expires)
                .is_ok()
            {
                n += actions.len();
            }
        }
        n
    }

    /// Security flags, download control, the exception policy, providers and properties.
    fn settings(&mut self, p: &ProjectFacts, project: &mut Project) {
        let mut shown = Vec::new();
        let mut defaults = Vec::new();
        match &p.flags {
            Some(flags) => {
                shown.push("security flags");
                for (key, on) in flags {
                    match key.security_flag() {
                        Some(flag) => project.security.flags.set(flag, *on),
                        None if *key == FlagKey::DownloadPrivilege => {
                            project.outflow.download_privilege = *on;
                        }
                        None => {}
                    }
                }
            }
            None => defaults.push("security flags"),
        }
        if let Some(text) = &p.exception {
            match policy_document::parse(text, Holder::Project) {
                Ok(doc) => project.outflow.exception = Some(doc),
                Err(e) => self.report.push(
                    Kind::NotInferred,
                    format!("project {}: the exception policy ({e})", p.name),
                ),
            }
        }
        match &p.providers {
            Some(set) => {
                shown.push("account providers");
                if !set.contains(&AccountProvider::Ram) {
                    let _ = project.security.remove_provider(AccountProvider::Ram);
                }
            }
            None => defaults.push("account providers"),
        }
        match &p.properties {
            Some(props) => {
                shown.push("properties");
                for (k, v) in props {
                    let key = k.to_ascii_lowercase();
                    if key == DOWNLOAD_PROPERTY {
                        project.outflow.download_privilege = v.eq_ignore_ascii_case("true");
                    } else if property_default(&key) != Some(v.as_str()) {
                        project.properties.insert(key, v.clone());
                    }
                }
            }
            None => defaults.push("properties"),
        }
        if p.trusted.is_some() {
            shown.push("trusted projects");
        } else {
            defaults.push("trusted projects");
        }
        if !shown.is_empty() {
            self.report
                .push(Kind::Built, texts::settings(&p.name, &shown));
        }
        if !defaults.is_empty() {
            self.report
                .push(Kind::Assumed, texts::defaults_assumed(&p.name, &defaults));
        }
    }

    /// Policy lines: built-in roles' must be odpsh's; any other cannot be rebuilt.
    /// The policies `get policy` showed; the policy lines of holders whose document was not
    /// captured are reported (built-in roles' lines are checked against odpsh's own).
    fn policies(&mut self, p: &ProjectFacts, project: &mut Project) {
        let mut holders = Vec::new();
        if let Some(doc) = p.project_policy.as_ref().filter(|d| !d.rules.is_empty()) {
            project.policies.project = Some(doc.clone());
            holders.push("the project".to_string());
        }
        let mut admins = Vec::new();
        for (role, (doc, admin)) in &p.role_policies {
            if doc.rules.is_empty() {
                continue;
            }
            project.policies.roles.insert(role.clone(), doc.clone());
            holders.push(format!("role {role}"));
            if *admin && !is_builtin(role) {
                project.policies.admin_roles.insert(role.clone());
                admins.push(role.clone());
            }
        }
        if !holders.is_empty() {
            self.report
                .push(Kind::Built, texts::policies(&p.name, &holders, &admins));
        }
        for (holder, lines) in &p.role_policy_lines {
            // Rebuilt from its document: the role's own, or the project policy's statements
            // about users.
            let every_role = || {
                p.roles
                    .iter()
                    .flatten()
                    .all(|r| p.role_policies.contains_key(r))
            };
            let captured = if holder.starts_with("user/") {
                p.project_policy.is_some()
            } else if holder.is_empty() {
                // `show acl`'s policy lines: of the project policy and the roles'.
                p.project_policy.is_some() && every_role()
            } else {
                p.role_policies.contains_key(holder)
            };
            if captured {
                continue;
            }
            if is_builtin(holder) {
                let expected: Vec<String> = builtin_policy(holder)
                    .iter()
                    .map(|s| {
                        let actions: Vec<&str> = s.actions.iter().map(|a| a.as_str()).collect();
                        format!("{}: {}", s.scope.path(&p.name), actions.join(" | "))
                    })
                    .collect();
                let unknown: Vec<String> = lines
                    .iter()
                    .filter(|l| !expected.iter().any(|e| e.eq_ignore_ascii_case(l)))
                    .cloned()
                    .collect();
                if unknown.is_empty() {
                    continue;
                }
                self.report.push(
                    Kind::NotInferred,
                    texts::policy_lines(&p.name, &format!("role {holder}"), &unknown),
                );
                continue;
            }
            let who = if holder.is_empty() {
                "the project".to_string()
            } else if holder.starts_with("user/") {
                holder.clone()
            } else {
                format!("role {holder}")
            };
            let mut unique = lines.clone();
            unique.sort();
            unique.dedup();
            self.report.push(
                Kind::NotInferred,
                texts::policy_lines(&p.name, &who, &unique),
            );
        }
    }

    /// Trusted projects, once every captured project exists: one the captures do not show is
    /// made empty.
    pub(super) fn trust(&mut self, p: &ProjectFacts) {
        let home = self.world.home;
        for name in p.trusted.iter().flatten() {
            if self.world.project(name).is_none() {
                self.world
                    .projects
                    .insert(name.clone(), Project::new(name, home));
                self.report
                    .push(Kind::Assumed, texts::trusted_placeholder(name, &p.name));
            }
            if let Some(project) = self.world.project_mut(&p.name) {
                let _ = project.security.add_trusted(name);
            }
        }
    }
}
