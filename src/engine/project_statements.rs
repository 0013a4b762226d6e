//! The statements that read or change a project's users and roles.

use crate::syntax::{PrincipalName, RoleName};
use crate::syntax::{RoleStatement, UserStatement};
use crate::world::{PrincipalId, Project, ProjectError, World};

use super::access::{require_manager, require_role_grantor};
use super::error::OdpsError;
use super::names::{account_of, display, resolve_in};
use super::{Caller, Outcome, Output, Session};

/// Translates a refused project change into the statement's failure.
fn refused(world: &World, project: &str, id: PrincipalId, e: ProjectError) -> OdpsError {
    let user = || display(world, id);
    match e {
        ProjectError::AlreadyMember => OdpsError::AlreadyMember {
            user: user(),
            project: project.to_string(),
        },
        ProjectError::NotMember => OdpsError::NotMember {
            user: user(),
            project: project.to_string(),
        },
        ProjectError::StillHoldsRoles(roles) => OdpsError::StillHoldsRoles {
            user: user(),
            project: project.to_string(),
            roles: roles.join(", "),
        },
        ProjectError::RoleExists(r) => OdpsError::RoleExists(r),
        ProjectError::NoSuchRole(r) => OdpsError::NoSuchRole(r),
        ProjectError::BuiltinRole(r) => OdpsError::BuiltinRole(r),
        ProjectError::RoleInUse(role, count) => OdpsError::RoleInUse { role, count },
        // Not raised by user and role changes.
        ProjectError::NoSuchObject | ProjectError::NoSuchColumn(_) => OdpsError::NotMember {
            user: user(),
            project: project.to_string(),
        },
    }
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort_unstable();
    names
}

fn role_strs(roles: &[RoleName]) -> Vec<&str> {
    roles.iter().map(RoleName::as_str).collect()
}

/// The current project, for reading.
pub fn current<'w>(world: &'w World, session: &Session) -> Result<&'w Project, OdpsError> {
    world
        .project(&session.project)
        .ok_or_else(|| OdpsError::ProjectNotFound(session.project.clone()))
}

/// Applies a change to the current project (which `current` has already found).
fn change<T>(
    world: &mut World,
    session: &Session,
    id: PrincipalId,
    f: impl FnOnce(&mut Project) -> Result<T, ProjectError>,
) -> Result<T, OdpsError> {
    let outcome = match world.project_mut(&session.project) {
        Some(project) => f(project),
        None => return Err(OdpsError::ProjectNotFound(session.project.clone())),
    };
    outcome.map_err(|e| refused(world, &session.project, id, e))
}

/// Resolves a principal named in a statement of the acting session, in its current project.
pub fn grantee(
    world: &World,
    session: &Session,
    name: &PrincipalName,
) -> Result<PrincipalId, OdpsError> {
    let caller = account_of(world, session.actor).unwrap_or(world.home);
    resolve_in(world, current(world, session)?, caller, name)
}

/// Whether `actor` may list the members of `project` (`list users`): the check `list users`
/// makes, for the learning statements that show members.
pub fn may_list_users(world: &World, project: &Project, caller: Caller) -> Result<(), OdpsError> {
    require_manager(world, project, caller, "ListUsers")
}

pub fn list_users(world: &World, session: &Session) -> Outcome {
    let project = current(world, session)?;
    may_list_users(world, project, session.caller())?;
    let ids: Vec<PrincipalId> = project.members().collect();
    let names = super::names::display_all(world, &ids);
    Ok(Output::Lines(sorted(names)))
}

/// Whether `actor` may list the roles of `project` (`list roles`).
pub fn may_list_roles(world: &World, project: &Project, caller: Caller) -> Result<(), OdpsError> {
    require_manager(world, project, caller, "ListRoles")
}

pub fn list_roles(world: &World, session: &Session) -> Outcome {
    let project = current(world, session)?;
    may_list_roles(world, project, session.caller())?;
    Ok(Output::Lines(
        project.role_names().map(str::to_string).collect(),
    ))
}

pub fn add_user(world: &mut World, session: &Session, name: &PrincipalName) -> Outcome {
    let project = current(world, session)?;
    require_manager(world, project, session.caller(), "AddUser")?;
    let id = grantee(world, session, name)?;
    if project.is_owner(id) {
        return Err(OdpsError::OwnerIsImplicitMember {
            user: display(world, id),
            project: project.name.clone(),
        }
        .into());
    }
    // Only the project owner's own RAM users and roles may join (a foreign one is added by its
    // own main account, once that account is a member).
    if !matches!(id, PrincipalId::Account(_))
        && super::names::account_of(world, id).is_some_and(|a| a != project.owner)
    {
        let owner = world.account(project.owner).map(|a| a.login.clone());
        return Err(OdpsError::ForeignRamUser {
            user: display(world, id),
            owner: owner.unwrap_or_else(|| project.owner.to_string()),
            project: project.name.clone(),
        }
        .into());
    }
    change(world, session, id, |p| p.add_member(id))?;
    Ok(Output::Done)
}

pub fn remove_user(world: &mut World, session: &Session, name: &PrincipalName) -> Outcome {
    require_manager(
        world,
        current(world, session)?,
        session.caller(),
        "RemoveUser",
    )?;
    let id = grantee(world, session, name)?;
    change(world, session, id, |p| p.remove_member(id))?;
    Ok(Output::Done)
}

pub fn create_role(world: &mut World, session: &Session, role: &RoleName, admin: bool) -> Outcome {
    require_manager(
        world,
        current(world, session)?,
        session.caller(),
        "CreateRole",
    )?;
    change(world, session, session.actor, |p| {
        p.create_role(role.as_str())?;
        let name = role.as_str().to_string();
        if admin {
            p.policies.admin_roles.insert(name);
        } else {
            p.policies.admin_roles.remove(&name);
        }
        Ok(())
    })?;
    Ok(Output::Done)
}

pub fn drop_role(world: &mut World, session: &Session, role: &RoleName) -> Outcome {
    require_manager(
        world,
        current(world, session)?,
        session.caller(),
        "DropRole",
    )?;
    change(world, session, session.actor, |p| {
        p.drop_role(role.as_str())?;
        // Its policy stays (a role created with the name has it again); its type goes.
        p.policies.admin_roles.remove(role.as_str());
        Ok(())
    })?;
    Ok(Output::Done)
}

/// Whether a role statement binds or unbinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    Grant,
    Revoke,
}

pub fn bind_roles(
    world: &mut World,
    session: &Session,
    binding: Binding,
    roles: &[RoleName],
    name: &PrincipalName,
) -> Outcome {
    let project = current(world, session)?;
    let action = match binding {
        Binding::Grant => "GrantRole",
        Binding::Revoke => "RevokeRole",
    };
    require_manager(world, project, session.caller(), action)?;
    for role in roles {
        require_role_grantor(project, session.actor, role.as_str())?;
    }
    let id = grantee(world, session, name)?;
    let roles = role_strs(roles);
    match binding {
        Binding::Grant => change(world, session, id, |p| p.grant_roles(id, &roles))?,
        Binding::Revoke => {
            change(world, session, id, |p| p.revoke_roles(id, &roles)).map(|_| ())?
        }
    }
    Ok(Output::Done)
}

/// The users family.
pub fn users(world: &mut World, session: &Session, s: &UserStatement) -> Outcome {
    match s {
        UserStatement::List => list_users(world, session),
        UserStatement::Add(name) => add_user(world, session, name),
        UserStatement::Remove(name) => remove_user(world, session, name),
    }
}

/// The roles family.
pub fn roles(world: &mut World, session: &Session, s: &RoleStatement) -> Outcome {
    match s {
        RoleStatement::List => list_roles(world, session),
        RoleStatement::Create { role, admin } => create_role(world, session, role, *admin),
        RoleStatement::Drop(role) => drop_role(world, session, role),
        RoleStatement::Describe(role) => super::grants_view::describe_role(world, session, role),
        RoleStatement::ShowPrincipals(role) => {
            super::grants_view::show_principals(world, session, role)
        }
        RoleStatement::Grant { roles, grantee } => {
            bind_roles(world, session, Binding::Grant, roles, grantee)
        }
        RoleStatement::Revoke { roles, grantee } => {
            bind_roles(world, session, Binding::Revoke, roles, grantee)
        }
    }
}
