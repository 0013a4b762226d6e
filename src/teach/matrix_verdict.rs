//! One principal's verdict on one operation, asked of the engine's own checks: the rule the
//! engine applies to the statements of a matrix row (`engine::matrix::row_rule`), the
//! authorization chain every statement asks (`Authority::why`, `why_grant`), the row checks of
//! the owner's settings (`engine::matrix::check`), DataWorks' CreateProject
//! (`engine::may_create_workspace`) and the managers' actions (`require_manager`). Nothing here
//! decides on its own: a verdict is what the statements would do, with the flags in force.

use crate::engine::access::{Standing, require_manager, standing};
use crate::engine::authorize::{Authority, Lack, Permit, Target};
use crate::engine::error::Refusal;
use crate::engine::matrix::{self, Reason, RowRule, check, row_rule};
use crate::engine::{Caller, OdpsError};
use crate::matrix::{Allowed, MatrixRow};
use crate::world::acl::Privilege;
use crate::world::objects::{ObjectKey, ObjectKind};
use crate::world::{PrincipalId, Project, World};

use super::matrix_labels::LABEL_ACTIONS;
use super::matrix_queries::{PROJECT_ACTIONS, Subject};

/// What lets a principal do something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grounds {
    ProjectOwner,
    SuperAdministrator,
    Admin,
    /// It created the object.
    Creator,
    /// It holds this DataWorks role, whose policy allows it.
    Role(String),
    /// An ACL grant, to itself (`None`) or to a role it holds.
    Acl {
        role: Option<String>,
    },
    /// Every member may (a documented row of the matrix: ALL).
    Member,
    /// Its RAM policy allows it (creating a DataWorks workspace: the main account, or
    /// AliyunDataWorksFullAccess or AdministratorAccess).
    RamPolicy,
    /// An Allow statement of the project policy.
    ProjectPolicy,
}

impl From<Permit<'_>> for Grounds {
    fn from(p: Permit<'_>) -> Grounds {
        match p {
            Permit::Owner => Grounds::ProjectOwner,
            Permit::SuperAdministrator => Grounds::SuperAdministrator,
            Permit::Admin => Grounds::Admin,
            Permit::Creator => Grounds::Creator,
            Permit::Policy(role) => Grounds::Role(role.to_string()),
            Permit::Acl { role } => Grounds::Acl {
                role: role.map(str::to_string),
            },
            Permit::ProjectPolicy => Grounds::ProjectPolicy,
        }
    }
}

/// Why a principal may: every path the statements' checks took, and, where it may act only on
/// some objects of the row's kind, which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowance {
    pub by: Vec<Grounds>,
    /// Empty: on every object; otherwise only on these (by name), and only for `kind`.
    pub only_on: Vec<String>,
    pub kind: Option<ObjectKind>,
}

impl Allowance {
    fn by(grounds: Grounds) -> Allowance {
        Allowance {
            by: vec![grounds],
            only_on: Vec::new(),
            kind: None,
        }
    }

    fn add(&mut self, grounds: Grounds) {
        if !self.by.contains(&grounds) {
            self.by.push(grounds);
        }
    }
}

/// A path a security flag switches off, which would otherwise have allowed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inert {
    /// It created the object, and ObjectCreatorHasAccessPermission (or …GrantPermission) is off.
    Creator,
    /// Its role's policy allows it, and CheckPermissionUsingPolicy is off.
    Policy(String),
    /// It holds an ACL grant (itself or through a role), and CheckPermissionUsingAcl is off.
    Acl { role: Option<String> },
}

fn inert(lack: &Lack<'_>) -> Vec<Inert> {
    let mut out = Vec::new();
    if lack.creator_off {
        out.push(Inert::Creator);
    }
    out.extend(lack.policy_off.iter().map(|r| Inert::Policy(r.to_string())));
    out.extend(lack.acl_off.iter().map(|r| Inert::Acl {
        role: r.map(str::to_string),
    }));
    out
}

/// Why a principal may not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// A row of the matrix refuses, for this reason.
    Matrix(Reason),
    /// It lacks a privilege the row's statements check: on the project, or on every object of
    /// `kind` (it holds it on none); the paths a flag switched off, and the roles whose
    /// policy would allow it.
    Lacks {
        kind: ObjectKind,
        privilege: Privilege,
        inert: Vec<Inert>,
        roles: Vec<&'static str>,
    },
    /// Granting on tables: the owner, an admin, the table's creator (while
    /// ObjectCreatorHasGrantPermission is on) or a role whose policy allows it.
    CannotGrant { inert: Vec<Inert> },
    /// Only the owner, a super_administrator or an admin may.
    NeedsManager,
    /// A Deny statement of a policy it is bound by refuses it (the statement, named).
    DeniedByPolicy(String),
    /// It is not in the project (or the project does not recognise its account system).
    NotInProject,
    /// Creating a workspace is decided by RAM policy, which it does not hold (or its account
    /// cannot create one yet).
    NeedsRamPolicy,
}

/// The built-in DataWorks roles whose policy allows `privilege` on objects of `kind`.
fn roles_allowing(kind: ObjectKind, privilege: Privilege) -> Vec<&'static str> {
    crate::world::WORKSPACE_ROLES
        .iter()
        .copied()
        .filter(|r| crate::world::role_policies::policy_allows(r, kind, privilege))
        .collect()
}

/// Whether the caller may do `subject` in `project`, and why, as the engine decides.
pub fn verdict(
    world: &World,
    project: &Project,
    caller: Caller,
    subject: Subject,
) -> Result<Allowance, Refused> {
    match subject {
        Subject::Row(row) => row_verdict(world, project, caller, row),
        Subject::Action(i) => manager_verdict(world, project, caller, PROJECT_ACTIONS[i].0),
        Subject::LabelAction(i) => manager_verdict(world, project, caller, LABEL_ACTIONS[i].0),
    }
}

fn row_verdict(
    world: &World,
    project: &Project,
    caller: Caller,
    row: &'static MatrixRow,
) -> Result<Allowance, Refused> {
    let id = caller.actor;
    match row_rule(row.number) {
        RowRule::Workspace => {
            if !crate::engine::may_create_workspace(world, id) {
                return Err(Refused::NeedsRamPolicy);
            }
            Ok(Allowance::by(if project.is_owner(id) {
                Grounds::ProjectOwner
            } else {
                Grounds::RamPolicy
            }))
        }
        RowRule::Actors | RowRule::Documented => documented(world, project, id, row),
        RowRule::TableGrant => {
            let authority = Authority::asking(world, project, caller);
            match authority.why_grant(Target::AnyOf(ObjectKind::Table)) {
                Ok(permit) => Ok(Allowance::by(permit.into())),
                Err(lack) if lack.outsider => Err(Refused::NotInProject),
                Err(lack) => {
                    only_some(&authority, ObjectKind::Table, None).ok_or(Refused::CannotGrant {
                        inert: inert(&lack),
                    })
                }
            }
        }
        RowRule::Privileges(privileges) => {
            let authority = Authority::asking(world, project, caller);
            if !authority.is_member() {
                return Err(Refused::NotInProject);
            }
            let mut allowance: Option<Allowance> = None;
            for &(kind, privilege) in privileges {
                let key = ObjectKey::project();
                let target = if kind == ObjectKind::Project {
                    Target::Object(&key)
                } else {
                    Target::AnyOf(kind)
                };
                let found = match authority.why(target, privilege) {
                    Ok(permit)
                        if kind != ObjectKind::Project
                            && crate::engine::policy::binds(project, id) =>
                    {
                        // A deny may single out some objects of the kind.
                        except_denied(&authority, project, kind, privilege, permit.into())?
                    }
                    Ok(permit) => Allowance::by(permit.into()),
                    Err(Lack {
                        denied: Some(by), ..
                    }) => return Err(Refused::DeniedByPolicy(by)),
                    Err(lack) => {
                        let some = (kind != ObjectKind::Project)
                            .then(|| only_some(&authority, kind, Some(privilege)))
                            .flatten();
                        some.ok_or_else(|| Refused::Lacks {
                            kind,
                            privilege,
                            inert: inert(&lack),
                            roles: roles_allowing(kind, privilege),
                        })?
                    }
                };
                allowance = Some(match allowance {
                    None => found,
                    Some(mut a) => {
                        for g in found.by {
                            a.add(g);
                        }
                        if !found.only_on.is_empty() {
                            a.only_on = found.only_on;
                            a.kind = found.kind;
                        }
                        a
                    }
                });
            }
            matrix::check_prerequisite(world, row.number, project.owner, Some(project))
                .map_err(|d| Refused::Matrix(d.reason))?;
            Ok(allowance.unwrap_or_else(|| Allowance::by(Grounds::Member)))
        }
    }
}

/// Every existing object of `kind` in the project.
fn all_of_kind(project: &Project, kind: ObjectKind) -> Vec<ObjectKey> {
    let o = project.objects();
    let names: Vec<String> = match kind {
        ObjectKind::Table => o.tables().map(|t| t.name.clone()).collect(),
        ObjectKind::Resource => o.resources().map(|r| r.name.clone()).collect(),
        ObjectKind::Function => o.functions().map(|f| f.name.clone()).collect(),
        ObjectKind::Instance => o.instances().map(|i| i.id.clone()).collect(),
        ObjectKind::Project | ObjectKind::Package => Vec::new(),
    };
    names.iter().map(|n| ObjectKey::new(kind, n)).collect()
}

/// What it may do on objects of `kind` that every object would allow but for the denies of
/// the policies it is bound by: every object, some (`only_on`), or none (the first deny).
fn except_denied(
    authority: &Authority<'_>,
    project: &Project,
    kind: ObjectKind,
    privilege: Privilege,
    grounds: Grounds,
) -> Result<Allowance, Refused> {
    let all = all_of_kind(project, kind);
    let mut allowed = Vec::new();
    let mut first_deny = None;
    for key in &all {
        match authority.why(Target::Object(key), privilege) {
            Ok(_) => allowed.push(key.name.clone()),
            Err(Lack {
                denied: Some(by), ..
            }) => {
                first_deny.get_or_insert(by);
            }
            Err(_) => {}
        }
    }
    let mut allowance = Allowance::by(grounds);
    if allowed.len() == all.len() {
        return Ok(allowance);
    }
    if allowed.is_empty() {
        return Err(first_deny.map_or(Refused::NeedsManager, Refused::DeniedByPolicy));
    }
    allowance.only_on = allowed;
    allowance.kind = Some(kind);
    Ok(allowance)
}

/// The objects of `kind` it may act on although not on all (`privilege`, or granting when
/// `None`), if any.
fn only_some(
    authority: &Authority<'_>,
    kind: ObjectKind,
    privilege: Option<Privilege>,
) -> Option<Allowance> {
    let objects = match privilege {
        Some(p) => authority.objects_allowed(kind, p),
        None => authority.objects_grantable(kind),
    };
    if objects.is_empty() {
        return None;
    }
    let mut allowance = Allowance {
        by: Vec::new(),
        only_on: Vec::new(),
        kind: Some(kind),
    };
    for (key, permit) in objects {
        allowance.add(permit.into());
        allowance.only_on.push(key.name);
    }
    Some(allowance)
}

/// A row whose actor columns the engine reads as the matrix has them (the owner's settings),
/// or that no statement does (the matrix as documented).
fn documented(
    world: &World,
    project: &Project,
    id: PrincipalId,
    row: &MatrixRow,
) -> Result<Allowance, Refused> {
    check(world, row, project.owner, Some(project), id).map_err(|d| Refused::Matrix(d.reason))?;
    if project.is_owner(id) {
        return Ok(Allowance::by(Grounds::ProjectOwner));
    }
    Ok(Allowance::by(match row.ram_user {
        Allowed::Roles(roles) => roles
            .iter()
            .find(|r| project.holds_role(id, r))
            .map_or(Grounds::Member, |r| Grounds::Role(r.to_string())),
        _ => Grounds::Member,
    }))
}

/// Whether `id` may take the management action `action` in `project`, as the engine decides.
fn manager_verdict(
    world: &World,
    project: &Project,
    caller: Caller,
    action: &'static str,
) -> Result<Allowance, Refused> {
    let id = caller.actor;
    require_manager(world, project, caller, action).map_err(|e| match e {
        OdpsError::NotInProject(_) => Refused::NotInProject,
        OdpsError::Denied(d) => match d.refusal {
            Refusal::ExplicitDeny { by, .. } => Refused::DeniedByPolicy(by),
            _ => Refused::NeedsManager,
        },
        _ => Refused::NeedsManager,
    })?;
    Ok(Allowance::by(match standing(project, id) {
        Standing::Owner => Grounds::ProjectOwner,
        Standing::SuperAdministrator => Grounds::SuperAdministrator,
        Standing::Admin => Grounds::Admin,
        _ => project
            .roles_of(id)
            .unwrap_or_default()
            .into_iter()
            .find(|r| project.policies.is_admin_role(r))
            .map_or(Grounds::Admin, |r| Grounds::Role(r.to_string())),
    }))
}
