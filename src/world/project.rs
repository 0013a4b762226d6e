//! A MaxCompute project: its owner, members and roles, its objects, its ACL and its security
//! configuration.
//!
//! Members and role bindings are kept by [`PrincipalId`] (see [`super::members`] for how they
//! stay small at a million members); only the methods here change them. Objects and grants
//! change only through methods here too, which keep grants on existing objects only: deleting
//! an object revokes its grants.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::acl::{Acl, Grantee, Privilege};
use super::labels::Labels;
use super::members::{Members, Roles};
use super::objects::{Function, Instance, ObjectKey, ObjectKind, Objects, Resource, Table};
use super::packages::{OutflowControls, Packages};
use super::policy::Policies;
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

/// A project. Its stored forms (JSON and the binary snapshot) are in `store/project_file.rs`.
#[derive(Debug, Clone)]
pub struct Project {
    pub name: String,
    pub owner: AccountId,
    /// The DataWorks workspace bound to the project, if it was created through DataWorks.
    pub workspace: Option<Workspace>,
    /// Project properties set with `setproject` (those not set have their defaults).
    pub properties: BTreeMap<String, String>,
    pub(crate) roles: Roles,
    pub(crate) members: Members,
    pub(crate) objects: Objects,
    pub(crate) acl: Acl,
    pub security: SecurityConfig,
    /// Label-based access control: levels of users, roles, tables and columns, label grants.
    pub labels: Labels,
    /// Policy-based access control: the project's policy, each role's, the admin-type roles.
    pub policies: Policies,
    /// The packages the project created and installed.
    pub packages: Packages,
    /// Download control and the exception policy of project protection.
    pub outflow: OutflowControls,
    /// Bindings a file read from disk made to roles that do not exist: such a world is refused
    /// (see `store::check_invariants`), never used.
    pub(crate) unknown_bindings: Vec<(PrincipalId, String)>,
}

/// Two projects are equal when they hold the same things, whatever numbers their roles got and
/// wherever members sit in memory.
impl PartialEq for Project {
    fn eq(&self, other: &Self) -> bool {
        let same_roles = self.roles.entries().eq(other.roles.entries());
        let same_members = self.members.len() == other.members.len()
            && self.members.iter().all(|(id, set)| {
                other
                    .members
                    .get(id)
                    .is_some_and(|o| self.roles.names_of(set) == other.roles.names_of(o))
            });
        self.name == other.name
            && self.owner == other.owner
            && self.workspace == other.workspace
            && self.properties == other.properties
            && same_roles
            && same_members
            && self.objects == other.objects
            && self.acl == other.acl
            && self.security == other.security
            && self.labels == other.labels
            && self.policies == other.policies
            && self.packages == other.packages
            && self.outflow == other.outflow
            && self.unknown_bindings == other.unknown_bindings
    }
}

impl Eq for Project {}

impl Project {
    /// A new project owned by `owner`, with the built-in roles.
    pub fn new(name: &str, owner: AccountId) -> Self {
        let mut roles = Roles::default();
        for role in BUILTIN_ROLES {
            roles.create(role, true);
        }
        Project {
            name: name.to_string(),
            owner,
            workspace: None,
            properties: BTreeMap::new(),
            roles,
            members: Members::default(),
            objects: Objects::default(),
            acl: Acl::default(),
            security: SecurityConfig::default(),
            labels: Labels::default(),
            policies: Policies::default(),
            packages: Packages::default(),
            outflow: OutflowControls::default(),
            unknown_bindings: Vec::new(),
        }
    }

    pub fn is_owner(&self, id: PrincipalId) -> bool {
        id == PrincipalId::Account(self.owner)
    }

    pub fn is_member(&self, id: PrincipalId) -> bool {
        self.members.contains(id)
    }

    /// Every member, in no particular order.
    pub fn members(&self) -> impl Iterator<Item = PrincipalId> + '_ {
        self.members.iter().map(|(id, _)| id)
    }

    pub fn member_count(&self) -> usize {
        self.members.len()
    }

    /// The roles a member holds, in name order; `None` for a non-member.
    pub fn roles_of(&self, id: PrincipalId) -> Option<Vec<&str>> {
        self.members.get(id).map(|set| self.roles.names_of(set))
    }

    pub fn holds_role(&self, id: PrincipalId, role: &str) -> bool {
        match (self.roles.id(role), self.members.get(id)) {
            (Some(r), Some(set)) => set.contains(r),
            _ => false,
        }
    }

    pub fn has_role(&self, role: &str) -> bool {
        self.roles.id(role).is_some()
    }

    pub fn role_is_builtin(&self, role: &str) -> bool {
        self.roles
            .id(role)
            .is_some_and(|r| self.roles.is_builtin(r))
    }

    /// Role names in name order.
    pub fn role_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.roles.names()
    }

    /// The members holding `role` (in no particular order); `None` when there is no such role.
    /// Walks the members: a role keeps only a count of its holders.
    pub fn role_members(&self, role: &str) -> Option<impl Iterator<Item = PrincipalId> + '_> {
        let r = self.roles.id(role)?;
        let holders = self.roles.holders(r);
        Some(
            self.members
                .iter()
                .filter(move |(_, set)| set.contains(r))
                .map(|(id, _)| id)
                .take(holders),
        )
    }

    /// How many members hold `role`; `None` when there is no such role.
    pub fn role_member_count(&self, role: &str) -> Option<usize> {
        self.roles.id(role).map(|r| self.roles.holders(r))
    }

    /// Bindings to roles that do not exist, as read from a file (see `unknown_bindings`).
    pub fn unknown_bindings(&self) -> &[(PrincipalId, String)] {
        &self.unknown_bindings
    }

    pub fn add_member(&mut self, id: PrincipalId) -> Result<(), ProjectError> {
        if !self.members.insert(id) {
            return Err(ProjectError::AlreadyMember);
        }
        Ok(())
    }

    /// Removes a member that holds no role.
    pub fn remove_member(&mut self, id: PrincipalId) -> Result<(), ProjectError> {
        let set = self.members.get(id).ok_or(ProjectError::NotMember)?;
        if !set.is_empty() {
            let held = self.roles.names_of(set);
            return Err(ProjectError::StillHoldsRoles(
                held.into_iter().map(str::to_string).collect(),
            ));
        }
        self.members.remove(id);
        Ok(())
    }

    pub fn create_role(&mut self, role: &str) -> Result<(), ProjectError> {
        match self.roles.create(role, false) {
            Some(_) => Ok(()),
            None => Err(ProjectError::RoleExists(role.to_string())),
        }
    }

    /// Drops a custom role that nobody holds.
    pub fn drop_role(&mut self, role: &str) -> Result<(), ProjectError> {
        let r = self
            .roles
            .id(role)
            .ok_or_else(|| ProjectError::NoSuchRole(role.to_string()))?;
        if self.roles.is_builtin(r) {
            return Err(ProjectError::BuiltinRole(role.to_string()));
        }
        let holders = self.roles.holders(r);
        if holders > 0 {
            return Err(ProjectError::RoleInUse(role.to_string(), holders));
        }
        self.roles.remove(r);
        Ok(())
    }

    /// The ids of `roles`, once the member and every role are known to exist.
    fn check_binding(
        &self,
        id: PrincipalId,
        roles: &[&str],
    ) -> Result<Vec<super::members::RoleId>, ProjectError> {
        if !self.members.contains(id) {
            return Err(ProjectError::NotMember);
        }
        roles
            .iter()
            .map(|r| {
                self.roles
                    .id(r)
                    .ok_or_else(|| ProjectError::NoSuchRole(r.to_string()))
            })
            .collect()
    }

    /// Binds every role to a member, or none of them. Roles already held stay held.
    pub fn grant_roles(&mut self, id: PrincipalId, roles: &[&str]) -> Result<(), ProjectError> {
        for role in self.check_binding(id, roles)? {
            self.members.bind(id, role, &mut self.roles);
        }
        Ok(())
    }

    /// Unbinds the roles the member holds among `roles`; roles it does not hold are skipped.
    /// Returns how many bindings were removed.
    pub fn revoke_roles(&mut self, id: PrincipalId, roles: &[&str]) -> Result<usize, ProjectError> {
        let mut removed = 0;
        for role in self.check_binding(id, roles)? {
            if self.members.unbind(id, role, &mut self.roles) {
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

    /// Whether an object exists (the project always does; a package is an object of the
    /// project that installed it, named `<source>.<package>`).
    pub fn has_object(&self, key: &ObjectKey) -> bool {
        match key.kind {
            ObjectKind::Package => self.packages.installation(&key.name).is_some(),
            _ => self.objects.exists(key),
        }
    }

    /// Adds a table; false (and no change) if one of that name exists.
    pub fn insert_table(&mut self, table: Table) -> bool {
        self.objects.insert_table(table)
    }

    /// Deletes a table and every grant on it or its columns, ACL and label grants alike.
    pub fn remove_table(&mut self, name: &str) -> Option<Table> {
        let table = self.objects.remove_table(name)?;
        self.acl.remove_object(&ObjectKey::table(&table.name));
        self.packages.forget_object(&ObjectKey::table(&table.name));
        self.labels.remove_table(&table.name);
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
        self.packages.forget_object(&key);
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
        self.packages.forget_object(&key);
        Some(function)
    }

    pub fn insert_instance(&mut self, instance: Instance) {
        self.objects.insert_instance(instance);
    }

    /// Uninstalls `<source>.<package>` and revokes every grant on it, so that installing it
    /// again starts clean (as a deleted object's grants go with it).
    pub fn uninstall_package(
        &mut self,
        full_name: &str,
    ) -> Result<super::packages::Installed, super::packages::PackageError> {
        let installed = self.packages.uninstall(full_name)?;
        let key = ObjectKey::new(ObjectKind::Package, &installed.full_name());
        self.acl.remove_object(&key);
        Ok(installed)
    }

    fn check_grant_target(&self, key: &ObjectKey, columns: &[String]) -> Result<(), ProjectError> {
        if !self.has_object(key) {
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
        actions: &[Privilege],
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
        actions: &[Privilege],
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
        assert_eq!(p.role_members("role_project_dev").unwrap().count(), 0);
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
                .any(|id| id == BOB)
        );
    }
}
