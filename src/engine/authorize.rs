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
use crate::world::policy::{Effect, Matched, Request, Source};
use crate::world::role_policies::{TABLE_GRANTOR_ROLES, policy_allows};
use crate::world::{PrincipalId, Project, World};

use super::Caller;
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
    /// Where it asks from, for the policies' conditions.
    request: Request,
    /// Its name, when the project has a policy that names principals.
    name: String,
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
    /// `actor`'s authority, asking from the default address (a lesson about someone else).
    pub fn new(world: &World, project: &'w Project, actor: PrincipalId) -> Self {
        Authority::asking(world, project, Caller::at_default(actor))
    }

    /// The authority of the caller of a statement.
    pub fn asking(world: &World, project: &'w Project, caller: Caller) -> Self {
        let actor = caller.actor;
        let roles = project.roles_of(actor).unwrap_or_default();
        let name = if project.policies.project.is_some() {
            display(world, actor)
        } else {
            String::new()
        };
        Authority {
            project,
            actor,
            now: world.clock.now,
            standing: standing(project, actor),
            roles,
            request: super::policy::request(world, caller),
            name,
        }
    }

    /// The statement of `effect` of a policy it is bound by that applies to `action` on the
    /// target (none for the owner, or while policies are not checked).
    fn policy(&self, effect: Effect, target: Target<'_>, action: Privilege) -> Option<Matched> {
        if !super::policy::binds(self.project, self.actor) {
            return None;
        }
        let key = match target {
            Target::Object(key) => key.clone(),
            Target::AnyOf(kind) => ObjectKey::new(kind, "*"),
        };
        let resource = super::policy::resource(self.project, &key);
        self.project.policies.first(
            effect,
            self.roles.iter().copied(),
            &self.name,
            &format!("odps:{}", action.as_str()),
            &resource,
            &self.request,
        )
    }

    /// How a statement refuses `action` on `key`: `[4011]` when a Deny matched, else `[4019]`.
    pub fn refusal(&self, key: &ObjectKey, action: Privilege) -> Refusal {
        match self.why(Target::Object(key), action) {
            Err(Lack {
                denied: Some(by), ..
            }) => Refusal::ExplicitDeny {
                action: action.as_str(),
                resource: key.path(&self.project.name),
                by,
            },
            _ => no_privilege(self.project, key, action),
        }
    }

    pub fn standing(&self) -> Standing {
        self.standing
    }

    pub fn is_member(&self) -> bool {
        self.standing != Standing::Outsider
    }

    fn grantees(&self) -> impl Iterator<Item = Grantee> + '_ {
        std::iter::once(Grantee::User(self.actor))
            .chain(self.roles.iter().map(|r| Grantee::Role(r.to_string())))
    }

    /// Whether the principal may do `action` on the object.
    pub fn may(&self, key: &ObjectKey, action: Privilege) -> bool {
        self.why(Target::Object(key), action).is_ok()
    }

    /// What lets the principal do `action` on the target, in the order the service asks, or
    /// what it lacks: every statement's check (`may`) and every lesson (`who may`, `explain`)
    /// reads this one chain.
    pub fn why(&self, target: Target<'_>, action: Privilege) -> Result<Permit<'w>, Lack<'w>> {
        match self.standing {
            Standing::Owner => return Ok(Permit::Owner),
            Standing::Outsider => {
                return Err(Lack {
                    outsider: true,
                    ..Lack::default()
                });
            }
            _ => {}
        }
        // An explicit Deny beats every allow, the administrators' too.
        if let Some(deny) = self.policy(Effect::Deny, target, action) {
            return Err(Lack {
                denied: Some(super::policy::matched_text(&deny)),
                ..Lack::default()
            });
        }
        match self.standing {
            Standing::SuperAdministrator => return Ok(Permit::SuperAdministrator),
            Standing::Admin => return Ok(Permit::Admin),
            _ => {}
        }
        let flags = &self.project.security.flags;
        let mut lack = Lack::default();
        if let Target::Object(key) = target
            && self.project.objects().creator(key) == Some(self.actor)
        {
            if flags.object_creator_has_access_permission {
                return Ok(Permit::Creator);
            }
            lack.creator_off = true;
        }
        let kind = target.kind();
        for role in self.roles.iter().filter(|r| policy_allows(r, kind, action)) {
            if flags.check_permission_using_policy {
                return Ok(Permit::Policy(role));
            }
            lack.policy_off.push(role);
        }
        if let Some(allow) = self.policy(Effect::Allow, target, action) {
            return Ok(match &allow.source {
                Source::Project => Permit::ProjectPolicy,
                Source::Role(r) => self
                    .roles
                    .iter()
                    .find(|held| held.eq_ignore_ascii_case(r))
                    .map_or(Permit::ProjectPolicy, |held| Permit::Policy(held)),
            });
        }
        if let Target::Object(key) = target {
            let via = std::iter::once(None).chain(self.roles.iter().map(|r| Some(*r)));
            for role in via {
                let grantee = match role {
                    None => Grantee::User(self.actor),
                    Some(r) => Grantee::Role(r.to_string()),
                };
                if self.project.acl().allows(&grantee, key, action, self.now) {
                    if flags.check_permission_using_acl {
                        return Ok(Permit::Acl { role });
                    }
                    lack.acl_off.push(role);
                }
            }
        }
        Err(lack)
    }

    /// The existing objects of `kind` the principal may `action` although it may not on every
    /// object of the kind: those it created and those granted to it or its roles, in key order.
    pub fn objects_allowed(
        &self,
        kind: ObjectKind,
        action: Privilege,
    ) -> Vec<(ObjectKey, Permit<'w>)> {
        self.candidates(kind)
            .into_iter()
            .filter_map(|k| {
                let permit = self.why(Target::Object(&k), action).ok()?;
                Some((k, permit))
            })
            .collect()
    }

    /// The existing objects of `kind` the principal may grant on although not on every one.
    pub fn objects_grantable(&self, kind: ObjectKind) -> Vec<(ObjectKey, Permit<'w>)> {
        self.candidates(kind)
            .into_iter()
            .filter_map(|k| {
                let permit = self.why_grant(Target::Object(&k)).ok()?;
                Some((k, permit))
            })
            .collect()
    }

    /// The existing objects of `kind` that something may single out for the principal: those
    /// it created, and those granted to it or its roles.
    fn candidates(&self, kind: ObjectKind) -> std::collections::BTreeSet<ObjectKey> {
        let created = self.project.objects().created_by(self.actor).cloned();
        let granted = self.grantees().flat_map(|g| {
            self.project
                .acl()
                .grants_of(&g)
                .map(|(key, _)| key.clone())
                .collect::<Vec<_>>()
        });
        created
            .chain(granted)
            .filter(|k| k.kind == kind && self.project.objects().exists(k))
            .collect()
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
        self.why_grant(Target::Object(key)).is_ok()
    }

    /// What lets the principal grant and revoke on the target, or what it lacks.
    pub fn why_grant(&self, target: Target<'_>) -> Result<Permit<'w>, Lack<'w>> {
        match self.standing {
            Standing::Owner => return Ok(Permit::Owner),
            Standing::SuperAdministrator => return Ok(Permit::SuperAdministrator),
            Standing::Admin => return Ok(Permit::Admin),
            Standing::Outsider => {
                return Err(Lack {
                    outsider: true,
                    ..Lack::default()
                });
            }
            Standing::Member => {}
        }
        let flags = &self.project.security.flags;
        let mut lack = Lack::default();
        if let Target::Object(key) = target
            && self.project.objects().creator(key) == Some(self.actor)
        {
            if flags.object_creator_has_grant_permission {
                return Ok(Permit::Creator);
            }
            lack.creator_off = true;
        }
        if target.kind() == ObjectKind::Table {
            for role in self
                .roles
                .iter()
                .filter(|r| TABLE_GRANTOR_ROLES.contains(r))
            {
                if flags.check_permission_using_policy {
                    return Ok(Permit::Policy(role));
                }
                lack.policy_off.push(role);
            }
        }
        Err(lack)
    }
}

/// What a check is about: one object, or any object of a kind (which no grant on a single
/// object and no creator covers).
#[derive(Debug, Clone, Copy)]
pub enum Target<'k> {
    Object(&'k ObjectKey),
    AnyOf(ObjectKind),
}

impl Target<'_> {
    pub fn kind(&self) -> ObjectKind {
        match self {
            Target::Object(key) => key.kind,
            Target::AnyOf(kind) => *kind,
        }
    }
}

/// What lets a principal act, as the service checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permit<'w> {
    Owner,
    SuperAdministrator,
    Admin,
    /// It created the object (ObjectCreatorHasAccessPermission, or …HasGrantPermission).
    Creator,
    /// A role it holds whose policy allows the action: a DataWorks built-in role's, or the
    /// role's own policy.
    Policy(&'w str),
    /// An ACL grant, to the principal itself (`None`) or to a role it holds.
    Acl {
        role: Option<&'w str>,
    },
    /// An Allow statement of the project policy.
    ProjectPolicy,
}

/// Why nothing let a principal act: it is not in the project, or every path it has is one a
/// security flag switches off (a path it does not have is not listed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lack<'w> {
    pub outsider: bool,
    /// It created the object, and the creator flag is off.
    pub creator_off: bool,
    /// Roles whose policy would allow it, while CheckPermissionUsingPolicy=false.
    pub policy_off: Vec<&'w str>,
    /// ACL grants it holds for it (itself, `None`, or through a role) while
    /// CheckPermissionUsingAcl=false.
    pub acl_off: Vec<Option<&'w str>>,
    /// A Deny statement of a policy it is bound by matched, named as the tips name it: it beats
    /// every allow.
    pub denied: Option<String>,
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
    // A deny names the statement that matched; any other refusal the matrix row.
    let tip = match &refusal {
        Refusal::ExplicitDeny { by, .. } => Some(by.clone()),
        _ => row.and_then(row_tip),
    };
    Denied {
        channel,
        refusal,
        principal: display(world, actor),
        tip,
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

    /// The DataWorks roles' policies agree with every object row of seed 004's matrix, as the
    /// engine's row rules check them: a role the row lists (or every role, for ALL) holds all
    /// of the row's privileges, no other role holds them all.
    #[test]
    fn role_policies_follow_the_matrix_rows() {
        use crate::engine::matrix::{RowRule, row_rule};
        use crate::matrix::{Allowed, MATRIX};
        use crate::world::WORKSPACE_ROLES;
        use crate::world::role_policies::policy_allows;
        let mut object_rows = 0;
        for row in &MATRIX {
            let listed = |role: &str| match row.ram_user {
                Allowed::Roles(roles) => roles.contains(&role),
                Allowed::AnyMember => true,
                Allowed::No | Allowed::Owner => false,
            };
            match row_rule(row.number) {
                RowRule::Privileges(privileges) => {
                    object_rows += 1;
                    for role in WORKSPACE_ROLES {
                        // Running the job (CreateInstance) is no row's privilege: the
                        // matrix lists role_project_deploy for updating a table, whose
                        // policy lacks it, so the CLI refuses deploy's insert.
                        let holds = privileges
                            .iter()
                            .filter(|p| **p != (ObjectKind::Project, Privilege::CreateInstance))
                            .all(|(kind, action)| policy_allows(role, *kind, *action));
                        assert_eq!(holds, listed(role), "row {}: {role}", row.number);
                    }
                }
                RowRule::TableGrant => {
                    let grantors: Vec<&str> = WORKSPACE_ROLES
                        .iter()
                        .copied()
                        .filter(|r| listed(r))
                        .collect();
                    assert_eq!(grantors, TABLE_GRANTOR_ROLES);
                }
                RowRule::Actors | RowRule::Workspace | RowRule::Documented => {}
            }
        }
        assert_eq!(object_rows, 12);
        assert!(!policy_allows(
            "role_project_deploy",
            ObjectKind::Project,
            Privilege::CreateInstance
        ));
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
