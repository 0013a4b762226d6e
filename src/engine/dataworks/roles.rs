//! A workspace's roles (`ListProjectRoles`, `AddProjectMemberToRole`,
//! `RemoveProjectMemberFromRole`) and how `ListProjectMembers` shows a member. Roles are the
//! system roles of [`DATAWORKS_ROLES`]; a member's roles are its bindings in the MaxCompute
//! project, as for the six roles every project carries.

use serde_json::{Value, json};

use crate::syntax::{ConsoleCommand, Param};
use crate::world::workspace_roles::{
    DATAWORKS_ROLES, SYSTEM_ROLE_TYPE, WorkspaceRole, assignable_role,
};
use crate::world::{PrincipalId, Project, World};

use super::super::Session;
use super::super::error::RamError;
use super::super::names::display;
use super::{Refusal, listed_member, project_mut, workspace};

/// `ProjectMemberType` of a member: 1 a main account, 5 a RAM user, 6 a RAM role.
fn member_type(id: PrincipalId) -> &'static str {
    match id {
        PrincipalId::Account(_) => "1",
        PrincipalId::RamUser(_) => "5",
        PrincipalId::RamRole(_) => "6",
    }
}

/// `Status` of a member: 0 (NORMAL) while its identity exists, 2 (DELETED) once the account
/// no longer knows it (a RAM user deleted without leaving the workspace).
fn member_status(world: &World, id: PrincipalId) -> &'static str {
    let exists = match id {
        PrincipalId::Account(a) => world.account(a).is_some(),
        PrincipalId::RamUser(uid) => world.ram_user(uid).is_some(),
        PrincipalId::RamRole(_) => true,
    };
    if exists { "0" } else { "2" }
}

/// `Nick`: the name DataWorks kept, without its account prefix (`RAM$<account>:` or
/// `ALIYUN$`).
fn nick(name: &str) -> &str {
    if let Some(rest) = name.strip_prefix("RAM$") {
        return rest.split_once(':').map_or(rest, |(_, user)| user);
    }
    name.strip_prefix("ALIYUN$").unwrap_or(name)
}

fn role_entry(role: &WorkspaceRole) -> Value {
    json!({
        "ProjectRoleId": role.id,
        "ProjectRoleType": SYSTEM_ROLE_TYPE,
        "ProjectRoleName": role.name,
        "ProjectRoleCode": role.code,
    })
}

/// One entry of `ListProjectMembers`' `ProjectMemberList`: `name` is the name DataWorks kept.
pub(super) fn member_entry(world: &World, project: &Project, id: PrincipalId, name: &str) -> Value {
    let roles: Vec<Value> = DATAWORKS_ROLES
        .iter()
        .filter(|r| project.holds_role(id, r.code))
        .map(role_entry)
        .collect();
    let member_id = match id {
        PrincipalId::RamUser(uid) => uid.to_string(),
        other => other.to_string(),
    };
    json!({
        "Status": member_status(world, id),
        "ProjectMemberId": member_id,
        "Nick": nick(name),
        "ProjectMemberName": name,
        "ProjectMemberType": member_type(id),
        "ProjectRoleList": roles,
    })
}

/// The owner's entry in `ListProjectMembers`, first: the main account that owns the project,
/// with the owner role alone.
pub(super) fn owner_entry(world: &World, project: &Project) -> Value {
    let id = PrincipalId::Account(project.owner);
    let name = display(world, id);
    let owner_role = DATAWORKS_ROLES
        .iter()
        .filter(|r| !r.assignable)
        .map(role_entry);
    json!({
        "Status": member_status(world, id),
        "ProjectMemberId": project.owner.to_string(),
        "Nick": nick(&name),
        "ProjectMemberName": name,
        "ProjectMemberType": member_type(id),
        "ProjectRoleList": owner_role.collect::<Vec<Value>>(),
    })
}

/// The role `--RoleCode` names, if a member may be given it or lose it.
pub(super) fn assignable(command: &ConsoleCommand) -> Result<&'static WorkspaceRole, RamError> {
    assignable_role(command.get(Param::RoleCode).unwrap_or_default())
        .ok_or(RamError::ROLE_CODE_INVALID)
}

/// Gives `id` the role in the project, making it a project member (and creating the role,
/// for the roles not every project carries) when needed; giving a role held changes nothing.
pub(super) fn bind(
    project: &mut Project,
    id: PrincipalId,
    role: &WorkspaceRole,
) -> Result<(), RamError> {
    if !project.has_role(role.code) {
        project
            .create_role(role.code)
            .map_err(|_| RamError::ROLE_CODE_INVALID)?;
    }
    if !project.is_member(id) {
        project
            .add_member(id)
            .map_err(|_| RamError::NO_PERMISSION)?;
    }
    if !project.holds_role(id, role.code) {
        project
            .grant_roles(id, &[role.code])
            .map_err(|_| RamError::ROLE_CODE_INVALID)?;
    }
    Ok(())
}

/// `ListProjectRoles`: every system role, for any member of the workspace.
pub(super) fn list(
    world: &World,
    session: &Session,
    command: &ConsoleCommand,
) -> Result<Value, Refusal> {
    workspace(world, session, command, false)?;
    let roles: Vec<Value> = DATAWORKS_ROLES.iter().map(role_entry).collect();
    Ok(json!({ "ProjectRoleList": roles }))
}

/// `AddProjectMemberToRole` (`add`) or `RemoveProjectMemberFromRole`: for a member of the
/// workspace's own list, managed as `CreateProjectMember` is (matrix row 8). Adding a role held
/// or removing one not held changes nothing; a member left without roles stays a member.
pub(super) fn change(
    world: &mut World,
    session: &Session,
    command: &ConsoleCommand,
    add: bool,
) -> Result<Value, Refusal> {
    let project = workspace(world, session, command, true)?;
    let role = assignable(command)?;
    let id = listed_member(world, project, command)?;
    let key = project.name.to_ascii_lowercase();
    let project = project_mut(world, key)?;
    if add {
        bind(project, id, role)?;
    } else if project.holds_role(id, role.code) {
        project
            .revoke_roles(id, &[role.code])
            .map_err(|_| RamError::USER_NOT_IN_PROJECT)?;
    }
    Ok(json!({}))
}
