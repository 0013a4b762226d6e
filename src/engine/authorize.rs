//! What a principal may do on a project's objects. In order, a principal may act when it is:
//! the project owner (everything); a holder of `super_administrator` or `admin` (every object
//! action); the object's creator, while `ObjectCreatorHasAccessPermission` is on; a holder of a
//! DataWorks built-in role whose policy allows the action, while `CheckPermissionUsingPolicy`
//! is on; or granted the action by ACL, itself or through a role it holds, unexpired, while
//! `CheckPermissionUsingAcl` is on. Nothing else allows anything.
//!
//! Each check costs a few lookups per role the principal holds, whatever the size of the
//! project: grants are keyed by grantee and object.

use crate::world::acl::{Grantee, Privilege};
use crate::world::objects::{ObjectKey, ObjectKind};
use crate::world::role_policies::{TABLE_GRANTOR_ROLES, policy_allows};
use crate::world::{PrincipalId, Project, World};

use super::access::{Standing, standing};
use super::error::{Channel, Denied, OdpsError, Refusal};
use super::matrix::row_tip;
use super::names::display;

/// One principal's standing in one project, ready to answer checks.
pub struct Authority<'w> {
    project: &'w Project,
    actor: PrincipalId,
    now: u64,
    standing: Standing,
    roles: Vec<&'w str>,
}

/// Columns of a table a principal may not use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnGap {
    pub missing: Vec<String>,
    /// Whether the principal may use some of the columns asked for (the service then names
    /// the missing ones).
    pub partial: bool,
}

impl<'w> Authority<'w> {
    pub fn new(world: &World, project: &'w Project, actor: PrincipalId) -> Self {
        let roles = project.roles_of(actor).unwrap_or_default();
        Authority {
            project,
            actor,
            now: world.clock.now,
            standing: standing(project, actor),
            roles,
        }
    }

    pub fn standing(&self) -> Standing {
        self.standing
    }

    pub fn is_member(&self) -> bool {
        self.standing != Standing::Outsider
    }

    fn is_administrator(&self) -> bool {
        matches!(
            self.standing,
            Standing::Owner | Standing::SuperAdministrator | Standing::Admin
        )
    }

    fn grantees(&self) -> impl Iterator<Item = Grantee> + '_ {
        std::iter::once(Grantee::User(self.actor))
            .chain(self.roles.iter().map(|r| Grantee::Role(r.to_string())))
    }

    fn by_acl(&self, key: &ObjectKey, action: Privilege) -> bool {
        self.project.security.flags.check_permission_using_acl
            && self
                .grantees()
                .any(|g| self.project.acl().allows(&g, key, action, self.now))
    }

    /// Whether the principal may do `action` on the object.
    pub fn may(&self, key: &ObjectKey, action: Privilege) -> bool {
        if self.is_administrator() {
            return true;
        }
        if self.standing == Standing::Outsider {
            return false;
        }
        let flags = &self.project.security.flags;
        if flags.object_creator_has_access_permission
            && self.project.objects().creator(key) == Some(self.actor)
        {
            return true;
        }
        if flags.check_permission_using_policy
            && self
                .roles
                .iter()
                .any(|r| policy_allows(r, key.kind, action))
        {
            return true;
        }
        self.by_acl(key, action)
    }

    /// The columns of a table the principal may not `action`, if any: a grant on the whole
    /// table covers every column, a column grant covers its column.
    pub fn column_gap(
        &self,
        key: &ObjectKey,
        action: Privilege,
        columns: &[String],
    ) -> Option<ColumnGap> {
        if self.may(key, action) {
            return None;
        }
        let by_column = |c: &String| {
            self.project.security.flags.check_permission_using_acl
                && self.grantees().any(|g| {
                    self.project
                        .acl()
                        .allows_column(&g, key, c, action, self.now)
                })
        };
        let missing: Vec<String> = columns.iter().filter(|c| !by_column(c)).cloned().collect();
        if missing.is_empty() {
            return None;
        }
        let partial = missing.len() < columns.len()
            || self.grantees().any(|g| {
                self.project
                    .acl()
                    .on(&g, key)
                    .is_some_and(|o| !o.columns.is_empty())
            });
        Some(ColumnGap { missing, partial })
    }

    /// Whether the principal may grant and revoke on the object: the owner and administrators;
    /// its creator while `ObjectCreatorHasGrantPermission` is on; and, on tables, holders of
    /// `role_project_admin` or `role_project_dev` (permission matrix row 24) while policies
    /// are checked.
    pub fn may_grant(&self, key: &ObjectKey) -> bool {
        if self.is_administrator() {
            return true;
        }
        if self.standing == Standing::Outsider {
            return false;
        }
        let flags = &self.project.security.flags;
        if flags.object_creator_has_grant_permission
            && self.project.objects().creator(key) == Some(self.actor)
        {
            return true;
        }
        key.kind == ObjectKind::Table
            && flags.check_permission_using_policy
            && self.roles.iter().any(|r| TABLE_GRANTOR_ROLES.contains(r))
    }
}

/// A refusal as the statement reports it, with the principal's name and, when a row of the
/// permission matrix governs the statement, that row in the tips.
pub fn refuse(
    world: &World,
    actor: PrincipalId,
    channel: Channel,
    refusal: Refusal,
    row: Option<u8>,
) -> OdpsError {
    Denied {
        channel,
        refusal,
        principal: display(world, actor),
        tip: row.and_then(row_tip),
    }
    .into()
}

/// `[4019]` for an action on an object of `project`.
pub fn no_privilege(project: &Project, key: &ObjectKey, action: Privilege) -> Refusal {
    Refusal::NoPrivilege {
        action: action.as_str(),
        resource: key.path(&project.name),
        columns: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::objects::{Column, Table};
    use crate::world::{AccountId, Uid};

    const OWNER: PrincipalId = PrincipalId::Account(AccountId(1));
    const DEV: PrincipalId = PrincipalId::RamUser(Uid(26529000000000001));
    const GUEST: PrincipalId = PrincipalId::RamUser(Uid(26529000000000002));

    fn setup() -> (World, Project) {
        let world = World::default_world();
        let mut p = Project::new("p", AccountId(1));
        p.add_member(DEV).unwrap();
        p.add_member(GUEST).unwrap();
        p.grant_roles(DEV, &["role_project_dev"]).unwrap();
        p.grant_roles(GUEST, &["role_project_guest"]).unwrap();
        let column = |n: &str| Column {
            name: n.into(),
            data_type: "string".into(),
            comment: String::new(),
        };
        p.insert_table(Table {
            name: "t".into(),
            columns: vec![column("id"), column("phone")],
            comment: String::new(),
            creator: OWNER,
            created: 0,
        });
        (world, p)
    }

    #[test]
    fn owner_and_dev_may_create_tables_guests_may_not() {
        let (w, p) = setup();
        let project = ObjectKey::project();
        assert!(Authority::new(&w, &p, OWNER).may(&project, Privilege::CreateTable));
        assert!(Authority::new(&w, &p, DEV).may(&project, Privilege::CreateTable));
        assert!(!Authority::new(&w, &p, GUEST).may(&project, Privilege::CreateTable));
        assert!(Authority::new(&w, &p, GUEST).may(&ObjectKey::table("t"), Privilege::Describe));
    }

    #[test]
    fn acl_grants_count_while_the_acl_is_checked() {
        let (w, mut p) = setup();
        let t = ObjectKey::table("t");
        p.grant(
            &Grantee::User(GUEST),
            &t,
            &["id".into()],
            &[Privilege::Select],
            None,
        )
        .unwrap();
        let gap = Authority::new(&w, &p, GUEST).column_gap(
            &t,
            Privilege::Select,
            &["id".into(), "phone".into()],
        );
        assert_eq!(
            gap,
            Some(ColumnGap {
                missing: vec!["phone".into()],
                partial: true
            })
        );
        assert_eq!(
            Authority::new(&w, &p, GUEST).column_gap(&t, Privilege::Select, &["id".into()]),
            None
        );
        p.security.flags.check_permission_using_acl = false;
        assert!(
            Authority::new(&w, &p, GUEST)
                .column_gap(&t, Privilege::Select, &["id".into()])
                .is_some()
        );
    }

    /// The DataWorks roles' policies agree with every object row of seed 004's matrix: a role
    /// the row lists (or every role, for ALL) holds the row's privileges, no other role does.
    #[test]
    fn role_policies_follow_the_matrix_rows() {
        use crate::engine::matrix::*;
        use crate::matrix::{Allowed, matrix_row};
        use crate::world::WORKSPACE_ROLES;
        use crate::world::role_policies::policy_allows;
        let rows: [(u8, &[(ObjectKind, Privilege)]); 11] = [
            (ROW_JAVA_UDF, &[(ObjectKind::Function, Privilege::Execute)]),
            (
                ROW_CREATE_TABLE,
                &[(ObjectKind::Project, Privilege::CreateTable)],
            ),
            (ROW_UPDATE_TABLE, &[(ObjectKind::Table, Privilege::Update)]),
            (ROW_DROP_TABLE, &[(ObjectKind::Table, Privilege::Drop)]),
            (
                ROW_TABLE_METADATA,
                &[
                    (ObjectKind::Project, Privilege::List),
                    (ObjectKind::Table, Privilege::Describe),
                ],
            ),
            (
                ROW_LIST_RESOURCES,
                &[
                    (ObjectKind::Project, Privilege::List),
                    (ObjectKind::Resource, Privilege::Read),
                ],
            ),
            (
                ROW_CREATE_DELETE_RESOURCE,
                &[
                    (ObjectKind::Project, Privilege::CreateResource),
                    (ObjectKind::Resource, Privilege::Delete),
                ],
            ),
            (
                ROW_UPLOAD_RESOURCE,
                &[
                    (ObjectKind::Project, Privilege::CreateResource),
                    (ObjectKind::Resource, Privilege::Write),
                ],
            ),
            (
                ROW_LIST_FUNCTIONS,
                &[
                    (ObjectKind::Project, Privilege::List),
                    (ObjectKind::Function, Privilege::Read),
                ],
            ),
            (
                ROW_CREATE_DELETE_FUNCTION,
                &[
                    (ObjectKind::Project, Privilege::CreateFunction),
                    (ObjectKind::Function, Privilege::Delete),
                ],
            ),
            (ROW_TABLE_ACL, &[]),
        ];
        for (number, privileges) in rows {
            let row = matrix_row(number).unwrap();
            let listed = |role: &str| match row.ram_user {
                Allowed::Roles(roles) => roles.contains(&role),
                Allowed::AnyMember => true,
                Allowed::No | Allowed::Owner => false,
            };
            for role in WORKSPACE_ROLES {
                for (kind, action) in privileges {
                    assert_eq!(
                        policy_allows(role, *kind, *action),
                        listed(role),
                        "row {number}: {role} {kind:?} {action}"
                    );
                }
            }
            if number == ROW_TABLE_ACL {
                let grantors: Vec<&str> = WORKSPACE_ROLES
                    .iter()
                    .copied()
                    .filter(|r| listed(r))
                    .collect();
                assert_eq!(grantors, TABLE_GRANTOR_ROLES);
            }
        }
    }

    #[test]
    fn built_in_role_policies_stop_when_policies_are_not_checked() {
        let (w, mut p) = setup();
        p.security.flags.check_permission_using_policy = false;
        let a = Authority::new(&w, &p, DEV);
        assert!(!a.may(&ObjectKey::project(), Privilege::CreateTable));
        assert!(!a.may_grant(&ObjectKey::table("t")));
    }
}
