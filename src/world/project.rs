//! A MaxCompute project: its owner, members and roles, its objects, its ACL and its security
//! configuration.
//!
//! Members and role bindings are kept by [`PrincipalId`]. Each binding is stored twice (on the
//! member and on the role) so that both "roles of a user" and "members of a role" are lookups;
//! only the methods here change them, and they keep the two sides equal. Objects and grants
//! change only through methods here too, which keep grants on existing objects only: deleting
//! an object revokes its grants.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::acl::{Acl, Action, Grantee};
use super::objects::{Function, Instance, ObjectKey, ObjectKind, Objects, Resource, Table};
use super::principal::{AccountId, PrincipalId};
use super::security::SecurityConfig;

/// The roles every project in this world carries: MaxCompute's own two and DataWorks' six.
pub const BUILTIN_ROLES: [&str; 8] = [
    "admin",
    "super_administrator",
    "role_project_admin",
    "role_project_dev",
    "role_project_pe",
    "role_project_deploy",
    "role_project_guest",
    "role_project_security",
];

/// Why a change to a project was refused. The project is unchanged after any of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectError {
    AlreadyMember,
    NotMember,
    /// The member still holds these roles (sorted).
    StillHoldsRoles(Vec<String>),
    RoleExists(String),
    NoSuchRole(String),
    BuiltinRole(String),
    /// The role still has this many members.
    RoleInUse(String, usize),
    /// A grant names an object that does not exist.
    NoSuchObject,
    /// A grant names a column the table does not have.
    NoSuchColumn(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub builtin: bool,
    /// Derived from the members' role lists when loaded.
    #[serde(skip)]
    members: HashSet<PrincipalId>,
}

/// A DataWorks workspace: its id and DataWorks' own member list, which keeps the name each
/// member had when it was added (so a deleted RAM user still shows there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    pub id: u64,
    pub members: BTreeMap<PrincipalId, String>,
}

/// The DataWorks workspace roles, which DataWorks binds in the MaxCompute project: the
/// built-in roles after MaxCompute's own two.
pub const WORKSPACE_ROLES: &[&str] = BUILTIN_ROLES.split_at(2).1;
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub roles: BTreeSet<String>,
}

/// The stored form of a project.
#[derive(Serialize, Deserialize)]
struct ProjectFile {
    name: String,
    owner: AccountId,
    workspace: Option<Workspace>,
    properties: BTreeMap<String, String>,
    roles: BTreeMap<String, Role>,
    members: BTreeMap<PrincipalId, Member>,
    objects: Objects,
    acl: Acl,
    security: SecurityConfig,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "ProjectFile", into = "ProjectFile")]
pub struct Project {
    pub name: String,
    pub owner: AccountId,
    /// The DataWorks workspace bound to the project, if it was created through DataWorks.
    pub workspace: Option<Workspace>,
    /// Project properties set with `setproject` (those not set have their defaults).
    pub properties: BTreeMap<String, String>,
    roles: BTreeMap<String, Role>,
    members: HashMap<PrincipalId, Member>,
    objects: Objects,
    acl: Acl,
    pub security: SecurityConfig,
}

impl From<ProjectFile> for Project {
    fn from(file: ProjectFile) -> Self {
        let mut project = Project {
            name: file.name,
            owner: file.owner,
            workspace: file.workspace,
            properties: file.properties,
            roles: file.roles,
            members: file.members.into_iter().collect(),
            objects: file.objects,
            acl: file.acl,
            security: file.security,
        };
        for (id, member) in &project.members {
            for role in &member.roles {
                // A binding to a missing role is left for the store's validation to report.
                if let Some(r) = project.roles.get_mut(role) {
                    r.members.insert(*id);
                }
            }
        }
        project
    }
}

impl From<Project> for ProjectFile {
    fn from(project: Project) -> Self {
        ProjectFile {
            name: project.name,
            owner: project.owner,
            workspace: project.workspace,
            properties: project.properties,
            roles: project.roles,
            members: project.members.into_iter().collect(),
            objects: project.objects,
            acl: project.acl,
            security: project.security,
        }
    }
}

impl Project {
    /// A new project owned by `owner`, with the built-in roles.
    pub fn new(name: &str, owner: AccountId) -> Self {
        let roles = BUILTIN_ROLES
            .iter()
            .map(|r| {
                let role = Role {
                    builtin: true,
                    members: HashSet::new(),
                };
                (r.to_string(), role)
            })
            .collect();
        Project {
            name: name.to_string(),
            owner,
            workspace: None,
            properties: BTreeMap::new(),
            roles,
            members: HashMap::new(),
            objects: Objects::default(),
            acl: Acl::default(),
            security: SecurityConfig::default(),
        }
    }

    pub fn is_owner(&self, id: PrincipalId) -> bool {
        id == PrincipalId::Account(self.owner)
    }

    pub fn is_member(&self, id: PrincipalId) -> bool {
        self.members.contains_key(&id)
    }

    pub fn members(&self) -> impl Iterator<Item = PrincipalId> + '_ {
        self.members.keys().copied()
    }

    pub fn member_count(&self) -> usize {
        self.members.len()
    }

    /// The roles a member holds, in name order; `None` for a non-member.
    pub fn roles_of(&self, id: PrincipalId) -> Option<&BTreeSet<String>> {
        self.members.get(&id).map(|m| &m.roles)
    }

    pub fn holds_role(&self, id: PrincipalId, role: &str) -> bool {
        self.members
            .get(&id)
            .is_some_and(|m| m.roles.contains(role))
    }

    pub fn has_role(&self, role: &str) -> bool {
        self.roles.contains_key(role)
    }

    pub fn role_is_builtin(&self, role: &str) -> bool {
        self.roles.get(role).is_some_and(|r| r.builtin)
    }

    /// Role names in name order.
    pub fn role_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.roles.keys().map(String::as_str)
    }

    pub fn role_members(&self, role: &str) -> Option<&HashSet<PrincipalId>> {
        self.roles.get(role).map(|r| &r.members)
    }

    pub fn add_member(&mut self, id: PrincipalId) -> Result<(), ProjectError> {
        if self.members.contains_key(&id) {
            return Err(ProjectError::AlreadyMember);
        }
        self.members.insert(id, Member::default());
        Ok(())
    }

    /// Removes a member that holds no role.
    pub fn remove_member(&mut self, id: PrincipalId) -> Result<(), ProjectError> {
        let member = self.members.get(&id).ok_or(ProjectError::NotMember)?;
        if !member.roles.is_empty() {
            return Err(ProjectError::StillHoldsRoles(
                member.roles.iter().cloned().collect(),
            ));
        }
        self.members.remove(&id);
        Ok(())
    }

    pub fn create_role(&mut self, role: &str) -> Result<(), ProjectError> {
        if self.roles.contains_key(role) {
            return Err(ProjectError::RoleExists(role.to_string()));
        }
        let new = Role {
            builtin: false,
            members: HashSet::new(),
        };
        self.roles.insert(role.to_string(), new);
        Ok(())
    }

    /// Drops a custom role that nobody holds.
    pub fn drop_role(&mut self, role: &str) -> Result<(), ProjectError> {
        let r = self
            .roles
            .get(role)
            .ok_or_else(|| ProjectError::NoSuchRole(role.to_string()))?;
        if r.builtin {
            return Err(ProjectError::BuiltinRole(role.to_string()));
        }
        if !r.members.is_empty() {
            return Err(ProjectError::RoleInUse(role.to_string(), r.members.len()));
        }
        self.roles.remove(role);
        Ok(())
    }

    fn check_binding(&self, id: PrincipalId, roles: &[&str]) -> Result<(), ProjectError> {
        if !self.members.contains_key(&id) {
            return Err(ProjectError::NotMember);
        }
        match roles.iter().find(|r| !self.roles.contains_key(**r)) {
            Some(missing) => Err(ProjectError::NoSuchRole(missing.to_string())),
            None => Ok(()),
        }
    }

    /// Binds every role to a member, or none of them. Roles already held stay held.
    pub fn grant_roles(&mut self, id: PrincipalId, roles: &[&str]) -> Result<(), ProjectError> {
        self.check_binding(id, roles)?;
        for role in roles {
            if let (Some(member), Some(r)) = (self.members.get_mut(&id), self.roles.get_mut(*role))
            {
                member.roles.insert(role.to_string());
                r.members.insert(id);
            }
        }
        Ok(())
    }

    /// Unbinds the roles the member holds among `roles`; roles it does not hold are skipped.
    /// Returns how many bindings were removed.
    pub fn revoke_roles(&mut self, id: PrincipalId, roles: &[&str]) -> Result<usize, ProjectError> {
        self.check_binding(id, roles)?;
        let mut removed = 0;
        for role in roles {
            if let (Some(member), Some(r)) = (self.members.get_mut(&id), self.roles.get_mut(*role))
                && member.roles.remove(*role)
            {
                r.members.remove(&id);
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// Objects and grants.
impl Project {
    pub fn objects(&self) -> &Objects {
        &self.objects
    }

    pub fn acl(&self) -> &Acl {
        &self.acl
    }

    /// Whether an object exists (the project always does).
    pub fn has_object(&self, key: &ObjectKey) -> bool {
        self.objects.exists(key)
    }

    /// Adds a table; false (and no change) if one of that name exists.
    pub fn insert_table(&mut self, table: Table) -> bool {
        self.objects.insert_table(table)
    }

    /// Deletes a table and every grant on it or its columns.
    pub fn remove_table(&mut self, name: &str) -> Option<Table> {
        let table = self.objects.remove_table(name)?;
        self.acl.remove_object(&ObjectKey::table(&table.name));
        Some(table)
    }

    /// Adds or replaces a resource. Replacing keeps its grants: it is the same object.
    pub fn put_resource(&mut self, resource: Resource) {
        self.objects.put_resource(resource);
    }

    /// Deletes a resource and every grant on it.
    pub fn remove_resource(&mut self, name: &str) -> Option<Resource> {
        let resource = self.objects.remove_resource(name)?;
        let key = ObjectKey::new(ObjectKind::Resource, &resource.name);
        self.acl.remove_object(&key);
        Some(resource)
    }

    /// Adds a function; false (and no change) if one of that name exists.
    pub fn insert_function(&mut self, function: Function) -> bool {
        self.objects.insert_function(function)
    }

    /// Deletes a function and every grant on it.
    pub fn remove_function(&mut self, name: &str) -> Option<Function> {
        let function = self.objects.remove_function(name)?;
        let key = ObjectKey::new(ObjectKind::Function, &function.name);
        self.acl.remove_object(&key);
        Some(function)
    }

    pub fn insert_instance(&mut self, instance: Instance) {
        self.objects.insert_instance(instance);
    }

    fn check_grant_target(&self, key: &ObjectKey, columns: &[String]) -> Result<(), ProjectError> {
        if !self.objects.exists(key) {
            return Err(ProjectError::NoSuchObject);
        }
        if let Some(table) = self
            .objects
            .table(&key.name)
            .filter(|_| key.kind == ObjectKind::Table)
            && let Some(missing) = columns.iter().find(|c| !table.has_column(c))
        {
            return Err(ProjectError::NoSuchColumn(missing.clone()));
        }
        Ok(())
    }

    /// Grants actions on an existing object, or on existing columns of a table, to a user or
    /// a role (which need not be a member or exist: the caller decides who may be granted).
    pub fn grant(
        &mut self,
        grantee: &Grantee,
        key: &ObjectKey,
        columns: &[String],
        actions: &[Action],
        expires: Option<u64>,
    ) -> Result<(), ProjectError> {
        self.check_grant_target(key, columns)?;
        if columns.is_empty() {
            self.acl.grant(grantee, key, None, actions, expires);
        }
        for column in columns {
            self.acl.grant(grantee, key, Some(column), actions, expires);
        }
        Ok(())
    }

    /// Revokes the actions held among `actions`; returns how many were revoked.
    pub fn revoke(
        &mut self,
        grantee: &Grantee,
        key: &ObjectKey,
        columns: &[String],
        actions: &[Action],
    ) -> Result<usize, ProjectError> {
        self.check_grant_target(key, columns)?;
        if columns.is_empty() {
            return Ok(self.acl.revoke(grantee, key, None, actions));
        }
        Ok(columns
            .iter()
            .map(|c| self.acl.revoke(grantee, key, Some(c), actions))
            .sum())
    }

    /// Removes every grant expired at `now`; returns how many actions went.
    pub fn clear_expired_grants(&mut self, now: u64) -> usize {
        self.acl.clear_expired(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::principal::Uid;

    const BOB: PrincipalId = PrincipalId::RamUser(Uid(26529000000000001));

    fn project() -> Project {
        Project::new("p", AccountId(1))
    }

    #[test]
    fn a_new_project_has_the_builtin_roles_only() {
        let p = project();
        let roles: Vec<&str> = p.role_names().collect();
        let mut expected = BUILTIN_ROLES.to_vec();
        expected.sort();
        assert_eq!(roles, expected);
        assert_eq!(p.member_count(), 0);
    }

    #[test]
    fn grants_are_all_or_nothing_and_revokes_skip_roles_not_held() {
        let mut p = project();
        p.add_member(BOB).unwrap();
        let before = p.clone();
        assert_eq!(
            p.grant_roles(BOB, &["admin", "nope"]),
            Err(ProjectError::NoSuchRole("nope".into()))
        );
        assert_eq!(p, before);
        p.grant_roles(BOB, &["role_project_dev"]).unwrap();
        assert_eq!(
            p.revoke_roles(BOB, &["role_project_admin", "role_project_dev"]),
            Ok(1)
        );
        assert!(p.roles_of(BOB).unwrap().is_empty());
        assert!(p.role_members("role_project_dev").unwrap().is_empty());
    }

    #[test]
    fn members_with_roles_cannot_be_removed_and_roles_in_use_cannot_be_dropped() {
        let mut p = project();
        p.add_member(BOB).unwrap();
        p.create_role("worker").unwrap();
        p.grant_roles(BOB, &["worker", "admin"]).unwrap();
        assert_eq!(
            p.remove_member(BOB),
            Err(ProjectError::StillHoldsRoles(vec![
                "admin".into(),
                "worker".into()
            ]))
        );
        assert_eq!(
            p.drop_role("worker"),
            Err(ProjectError::RoleInUse("worker".into(), 1))
        );
        assert_eq!(
            p.drop_role("admin"),
            Err(ProjectError::BuiltinRole("admin".into()))
        );
        p.revoke_roles(BOB, &["worker", "admin"]).unwrap();
        p.drop_role("worker").unwrap();
        p.remove_member(BOB).unwrap();
        assert!(!p.is_member(BOB));
    }

    #[test]
    fn bindings_survive_a_round_trip_on_both_sides() {
        let mut p = project();
        p.add_member(BOB).unwrap();
        p.grant_roles(BOB, &["role_project_dev"]).unwrap();
        let json = serde_json::to_string(&p).unwrap();
        let back: Project = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p);
        assert!(
            back.role_members("role_project_dev")
                .unwrap()
                .contains(&BOB)
        );
    }
}
