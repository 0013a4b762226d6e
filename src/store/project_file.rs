//! The stored forms of a project (storage forms live in `store/`; the world keeps only its
//! in-memory layout). JSON (`world export`, older state files) keeps the layout
//! earlier versions wrote: roles by name, members by id with the names of their roles, in id
//! order. The binary snapshot (formats that are not human-readable) keeps the in-memory layout:
//! roles by number and members with role bit sets, in memory order, so that reading a million
//! members looks up no role name.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use std::cell::Cell;

use crate::world::acl::Acl;
use crate::world::acl::Grantee;
use crate::world::labels::{LabelGrant, LabelTarget, Labels, MAX_LEVEL, TableLabels};
use crate::world::members::{Members, RoleSet, RoleSetWire, Roles};
use crate::world::objects::Objects;
use crate::world::packages::{OutflowControls, Packages};
use crate::world::policy::Policies;
use crate::world::principal::{AccountId, PrincipalId};
use crate::world::project::{Project, Workspace};
use crate::world::security::SecurityConfig;

/// The stored form: lists of records, grantees in their stored text (`user/<id>`, `role/<r>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelsFile {
    pub clearances: Vec<(String, u8)>,
    pub tables: Vec<(String, TableLabels)>,
    pub grants: Vec<(String, LabelTarget, LabelGrant)>,
}

impl From<&Labels> for LabelsFile {
    fn from(labels: &Labels) -> Self {
        LabelsFile {
            clearances: labels
                .clearances
                .iter()
                .map(|(g, l)| (g.to_string(), *l))
                .collect(),
            tables: labels
                .tables
                .iter()
                .map(|(t, l)| (t.clone(), l.clone()))
                .collect(),
            grants: labels
                .grants
                .iter()
                .map(|((g, t), grant)| (g.to_string(), t.clone(), *grant))
                .collect(),
        }
    }
}

impl TryFrom<LabelsFile> for Labels {
    type Error = String;

    fn try_from(file: LabelsFile) -> Result<Self, String> {
        let grantee = |text: &str| text.parse::<Grantee>().map_err(|e| e.to_string());
        let level = |l: u8| {
            if l <= MAX_LEVEL {
                Ok(l)
            } else {
                Err(format!("label level {l} is above {MAX_LEVEL}"))
            }
        };
        let mut labels = Labels::default();
        for (who, l) in file.clearances {
            labels.clearances.insert(grantee(&who)?, level(l)?);
        }
        for (table, l) in file.tables {
            level(l.table)?;
            for c in l.columns.values() {
                level(*c)?;
            }
            labels.tables.insert(table, l);
        }
        for (who, target, grant) in file.grants {
            level(grant.level)?;
            labels.grants.insert((grantee(&who)?, target), grant);
        }
        Ok(labels)
    }
}

#[derive(Serialize, Deserialize)]
struct RoleJson {
    builtin: bool,
}

#[derive(Serialize)]
struct MemberJsonRef<'a> {
    roles: Vec<&'a str>,
}

#[derive(Deserialize)]
struct MemberJson {
    roles: Vec<String>,
}

/// The roles as a JSON map in name order.
struct RolesJson<'a>(&'a Roles);

impl Serialize for RolesJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for (name, builtin) in self.0.entries() {
            map.serialize_entry(name, &RoleJson { builtin })?;
        }
        map.end()
    }
}

/// The members as a JSON map in id order, each with its role names in name order.
struct MembersJson<'a>(&'a Project);

impl Serialize for MembersJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut members: Vec<(PrincipalId, &RoleSet)> = self.0.members.iter().collect();
        members.sort_unstable_by_key(|(id, _)| *id);
        let mut map = s.serialize_map(Some(members.len()))?;
        for (id, set) in members {
            let roles = self.0.roles.names_of(set);
            map.serialize_entry(&id, &MemberJsonRef { roles })?;
        }
        map.end()
    }
}

/// A JSON map of members read as a list, in file order (a repeated id keeps its last entry).
struct MemberList(Vec<(PrincipalId, MemberJson)>);

impl<'de> Deserialize<'de> for MemberList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = MemberList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of members")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MemberList, A::Error> {
                let mut list = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
                while let Some(entry) = map.next_entry()? {
                    list.push(entry);
                }
                Ok(MemberList(list))
            }
        }
        d.deserialize_map(ListVisitor)
    }
}

#[derive(Serialize)]
struct ProjectJsonRef<'a> {
    name: &'a str,
    owner: AccountId,
    workspace: &'a Option<Workspace>,
    properties: &'a BTreeMap<String, String>,
    roles: RolesJson<'a>,
    members: MembersJson<'a>,
    objects: &'a Objects,
    acl: &'a Acl,
    security: &'a SecurityConfig,
    labels: LabelsFile,
    policies: &'a Policies,
    packages: &'a Packages,
    outflow: &'a OutflowControls,
}

#[derive(Deserialize)]
struct ProjectJson {
    name: String,
    owner: AccountId,
    workspace: Option<Workspace>,
    properties: BTreeMap<String, String>,
    roles: BTreeMap<String, RoleJson>,
    members: MemberList,
    objects: Objects,
    acl: Acl,
    security: SecurityConfig,
    /// Schema version 4; a version 3 file migrated to 4 has none.
    #[serde(default)]
    labels: LabelsFile,
    /// Schema version 5; an older file migrated to 5 has none.
    #[serde(default)]
    policies: Policies,
    /// Schema version 7; an older file migrated to 7 has none.
    #[serde(default)]
    packages: Packages,
    #[serde(default)]
    outflow: OutflowControls,
}

/// The members as the snapshot lists them.
struct MembersWire<'a>(&'a [(PrincipalId, RoleSet)]);

impl Serialize for MembersWire<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|(id, set)| (id, RoleSetWire::from(set))))
    }
}

#[derive(Serialize)]
struct ProjectWireRef<'a> {
    name: &'a str,
    owner: AccountId,
    workspace: &'a Option<Workspace>,
    properties: &'a BTreeMap<String, String>,
    roles: Vec<Option<(&'a str, bool)>>,
    members: MembersWire<'a>,
    objects: &'a Objects,
    acl: &'a Acl,
    security: &'a SecurityConfig,
    labels: LabelsFile,
    policies: &'a Policies,
    packages: &'a Packages,
    outflow: &'a OutflowControls,
}

/// A project as a schema version 3 snapshot stored it (before labels).
#[derive(Deserialize)]
struct ProjectWireV3 {
    name: String,
    owner: AccountId,
    workspace: Option<Workspace>,
    properties: BTreeMap<String, String>,
    roles: Vec<Option<(String, bool)>>,
    members: Vec<(PrincipalId, RoleSetWire)>,
    objects: Objects,
    acl: Acl,
    security: SecurityConfig,
}

impl From<ProjectWireV3> for ProjectWire {
    fn from(v3: ProjectWireV3) -> Self {
        ProjectWire {
            name: v3.name,
            owner: v3.owner,
            workspace: v3.workspace,
            properties: v3.properties,
            roles: v3.roles,
            members: v3.members,
            objects: v3.objects,
            acl: v3.acl,
            security: v3.security,
            labels: LabelsFile::default(),
            policies: Policies::default(),
            packages: Packages::default(),
            outflow: OutflowControls::default(),
        }
    }
}

/// A project as a schema version 4 snapshot stored it (before policies).
#[derive(Deserialize)]
struct ProjectWireV4 {
    name: String,
    owner: AccountId,
    workspace: Option<Workspace>,
    properties: BTreeMap<String, String>,
    roles: Vec<Option<(String, bool)>>,
    members: Vec<(PrincipalId, RoleSetWire)>,
    objects: Objects,
    acl: Acl,
    security: SecurityConfig,
    labels: LabelsFile,
}

impl From<ProjectWireV4> for ProjectWire {
    fn from(v4: ProjectWireV4) -> Self {
        ProjectWire {
            name: v4.name,
            owner: v4.owner,
            workspace: v4.workspace,
            properties: v4.properties,
            roles: v4.roles,
            members: v4.members,
            objects: v4.objects,
            acl: v4.acl,
            security: v4.security,
            labels: v4.labels,
            policies: Policies::default(),
            packages: Packages::default(),
            outflow: OutflowControls::default(),
        }
    }
}

/// A project as schema versions 5 and 6 stored it (before packages and outflow controls).
#[derive(Deserialize)]
struct ProjectWireV6 {
    name: String,
    owner: AccountId,
    workspace: Option<Workspace>,
    properties: BTreeMap<String, String>,
    roles: Vec<Option<(String, bool)>>,
    members: Vec<(PrincipalId, RoleSetWire)>,
    objects: Objects,
    acl: Acl,
    security: SecurityConfig,
    labels: LabelsFile,
    policies: Policies,
}

impl From<ProjectWireV6> for ProjectWire {
    fn from(v6: ProjectWireV6) -> Self {
        ProjectWire {
            name: v6.name,
            owner: v6.owner,
            workspace: v6.workspace,
            properties: v6.properties,
            roles: v6.roles,
            members: v6.members,
            objects: v6.objects,
            acl: v6.acl,
            security: v6.security,
            labels: v6.labels,
            policies: v6.policies,
            packages: Packages::default(),
            outflow: OutflowControls::default(),
        }
    }
}

thread_local! {
    /// The schema version of the snapshot being decoded on this thread (the current one unless
    /// [`decoding_snapshot_version`] says otherwise).
    static SNAPSHOT_VERSION: Cell<u32> = const { Cell::new(crate::world::SCHEMA_VERSION) };
}

/// The schema version of the snapshot being decoded on this thread (the current one when no
/// snapshot is).
pub(super) fn snapshot_version() -> u32 {
    SNAPSHOT_VERSION.with(Cell::get)
}

/// Decodes with `decode` a snapshot body of schema `version`: projects read the layout that
/// version wrote (version 3 had no labels).
pub(super) fn decoding_snapshot_version<T>(version: u32, decode: impl FnOnce() -> T) -> T {
    let before = SNAPSHOT_VERSION.with(|v| v.replace(version));
    let result = decode();
    SNAPSHOT_VERSION.with(|v| v.set(before));
    result
}

#[derive(Deserialize)]
struct ProjectWire {
    name: String,
    owner: AccountId,
    workspace: Option<Workspace>,
    properties: BTreeMap<String, String>,
    roles: Vec<Option<(String, bool)>>,
    members: Vec<(PrincipalId, RoleSetWire)>,
    objects: Objects,
    acl: Acl,
    security: SecurityConfig,
    labels: LabelsFile,
    policies: Policies,
    packages: Packages,
    outflow: OutflowControls,
}

impl Serialize for Project {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            ProjectJsonRef {
                name: &self.name,
                owner: self.owner,
                workspace: &self.workspace,
                properties: &self.properties,
                roles: RolesJson(&self.roles),
                members: MembersJson(self),
                objects: &self.objects,
                acl: &self.acl,
                security: &self.security,
                labels: LabelsFile::from(&self.labels),
                policies: &self.policies,
                packages: &self.packages,
                outflow: &self.outflow,
            }
            .serialize(s)
        } else {
            ProjectWireRef {
                name: &self.name,
                owner: self.owner,
                workspace: &self.workspace,
                properties: &self.properties,
                roles: self.roles.to_wire(),
                members: MembersWire(self.members.as_slice()),
                objects: &self.objects,
                acl: &self.acl,
                security: &self.security,
                labels: LabelsFile::from(&self.labels),
                policies: &self.policies,
                packages: &self.packages,
                outflow: &self.outflow,
            }
            .serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for Project {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            from_json(ProjectJson::deserialize(d)?)
        } else if SNAPSHOT_VERSION.with(Cell::get) == 3 {
            from_wire(ProjectWireV3::deserialize(d)?.into())
        } else if SNAPSHOT_VERSION.with(Cell::get) == 4 {
            from_wire(ProjectWireV4::deserialize(d)?.into())
        } else if SNAPSHOT_VERSION.with(Cell::get) <= 6 {
            from_wire(ProjectWireV6::deserialize(d)?.into())
        } else {
            from_wire(ProjectWire::deserialize(d)?)
        }
    }
}

fn from_json<E: serde::de::Error>(file: ProjectJson) -> Result<Project, E> {
    let mut project = Project::new(&file.name, file.owner);
    project.policies = file.policies;
    project.packages = file.packages;
    project.outflow = file.outflow;
    project.labels = Labels::try_from(file.labels).map_err(E::custom)?;
    project.workspace = file.workspace;
    project.properties = file.properties;
    project.objects = file.objects;
    project.acl = file.acl;
    project.security = file.security;
    let mut roles = Roles::default();
    for (name, role) in file.roles {
        roles.create(&name, role.builtin);
    }
    let mut unknown = Vec::new();
    let list = file
        .members
        .0
        .into_iter()
        .map(|(id, member)| {
            let mut set = RoleSet::default();
            for name in member.roles {
                match roles.id(&name) {
                    Some(r) => {
                        set.insert(r);
                    }
                    None => unknown.push((id, name)),
                }
            }
            (id, set)
        })
        .collect();
    project.members = Members::from_list(list, &mut roles);
    project.roles = roles;
    project.unknown_bindings = unknown;
    Ok(project)
}

fn from_wire<E: serde::de::Error>(file: ProjectWire) -> Result<Project, E> {
    let mut project = Project::new(&file.name, file.owner);
    project.policies = file.policies;
    project.packages = file.packages;
    project.outflow = file.outflow;
    project.labels = Labels::try_from(file.labels).map_err(E::custom)?;
    project.workspace = file.workspace;
    project.properties = file.properties;
    project.objects = file.objects;
    project.acl = file.acl;
    project.security = file.security;
    let mut roles = Roles::from_wire(file.roles)
        .ok_or_else(|| E::custom(format!("project {} names a role twice", file.name)))?;
    let mut unknown = Vec::new();
    let list = file
        .members
        .into_iter()
        .map(|(id, wire)| {
            let mut set = RoleSet::from(wire);
            let missing: Vec<u32> = set.iter().filter(|r| roles.name(*r).is_none()).collect();
            for r in missing {
                set.remove(r);
                unknown.push((id, format!("#{r}")));
            }
            (id, set)
        })
        .collect();
    project.members = Members::from_list(list, &mut roles);
    project.roles = roles;
    project.unknown_bindings = unknown;
    Ok(project)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::{PrincipalId, Uid};

    fn bob() -> Grantee {
        Grantee::User(PrincipalId::RamUser(Uid(7)))
    }

    fn on(table: &str, column: Option<&str>) -> LabelTarget {
        LabelTarget {
            table: table.into(),
            column: column.map(str::to_string),
        }
    }

    #[test]
    fn the_stored_form_reads_back_and_refuses_levels_above_nine() {
        let mut l = Labels::default();
        l.set_clearance(bob(), 2);
        l.set_sensitivity("t", &["c".into()], 5);
        l.grant(
            Grantee::Role("r".into()),
            on("t", None),
            LabelGrant {
                level: 4,
                expires: 9,
            },
        );
        let file = LabelsFile::from(&l);
        assert_eq!(Labels::try_from(file.clone()), Ok(l));
        let mut bad = file;
        bad.clearances[0].1 = 10;
        assert!(Labels::try_from(bad).is_err());
    }
}
