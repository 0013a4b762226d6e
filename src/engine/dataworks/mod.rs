//! DataWorks workspaces (`aliyun dataworks-public …`): creating a workspace creates its
//! MaxCompute project, owned by the main account whoever calls; workspace members are mirrored
//! into the project with the mapped `role_project_*` role. DataWorks keeps its own member list,
//! so a RAM user deleted without being removed still shows there.

use serde_json::{Value, json};

use crate::syntax::{ConsoleCommand, DataWorksApi, Param};
use crate::world::{PrincipalId, Project, Uid, Workspace, World};

use super::access::{Standing, standing};
use super::error::RamError;
use super::matrix::{self, Denial, ROW_CREATE_PROJECT_DATAWORKS, ROW_WORKSPACE_MEMBERS};
use super::names::display;
use super::ram::caller_account;
use super::ram::permission::{Origin, action_of, verdict};
use super::{Failure, Outcome, Output, Session};
use crate::world::policy_document::Verdict;

mod roles;
#[cfg(test)]
mod tests;

/// Why a DataWorks call is refused: by the service, or by a row of the permission matrix.
enum Refusal {
    Service(RamError),
    Matrix(Denial),
}

impl From<RamError> for Refusal {
    fn from(e: RamError) -> Self {
        Refusal::Service(e)
    }
}

impl From<Denial> for Refusal {
    fn from(d: Denial) -> Self {
        Refusal::Matrix(d)
    }
}

fn valid_workspace_name(name: &str) -> bool {
    (3..=28).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `actor` may create a DataWorks workspace, as `CreateProject` decides it: a main
/// account, or a RAM user whose policies allow `dataworks:CreateProject` (such as
/// AliyunDataWorksFullAccess or AdministratorAccess; a project role counts for nothing here),
/// of a real-name verified account whose main AccessKey the matrix row asks for; the account
/// the workspace would belong to.
fn workspace_creator(
    world: &World,
    actor: PrincipalId,
    origin: Origin,
) -> Result<crate::world::AccountId, Refusal> {
    let account_id = caller_account(world, actor).ok_or(RamError::NO_PERMISSION)?;
    let action = action_of(crate::syntax::Api::DataWorks(DataWorksApi::CreateProject));
    let resource = format!("acs:dataworks:*:{account_id}:workspace/*");
    if verdict(world, actor, &action, &resource, origin) != Verdict::Allowed {
        return Err(RamError::NO_PERMISSION.into());
    }
    let account = world.account(account_id).ok_or(RamError::NO_PERMISSION)?;
    if !account.real_name_verified {
        return Err(RamError::NOT_REAL_NAME_VERIFIED.into());
    }
    // The workspace is the main account's, so its row's prerequisite is the main account's.
    matrix::check_prerequisite(world, ROW_CREATE_PROJECT_DATAWORKS, account_id, None)?;
    Ok(account_id)
}

/// Whether `actor` may create a DataWorks workspace (for the learning statements, which ask
/// the same rule `CreateProject` applies).
pub fn may_create_workspace(world: &World, actor: PrincipalId) -> bool {
    workspace_creator(world, actor, Origin::default()).is_ok()
}

fn create_project(
    world: &mut World,
    session: &Session,
    command: &ConsoleCommand,
) -> Result<Value, Refusal> {
    let account_id = workspace_creator(world, session.actor, session.origin())?;
    let name = command
        .get(Param::ProjectName)
        .unwrap_or_default()
        .to_string();
    if !valid_workspace_name(&name) {
        return Err(RamError::PROJECT_NAME_INVALID.into());
    }
    if world.project(&name).is_some() {
        return Err(RamError::PROJECT_EXISTS.into());
    }
    let id = world.next_workspace_id();
    // The owner is always the main account; a RAM caller becomes the workspace administrator.
    let mut project = Project::new(&name, account_id);
    let mut members = std::collections::BTreeMap::new();
    if !matches!(session.actor, PrincipalId::Account(_)) {
        let admin = "role_project_admin";
        let bound = project
            .add_member(session.actor)
            .and_then(|()| project.grant_roles(session.actor, &[admin]));
        if bound.is_err() {
            return Err(RamError::NO_PERMISSION.into());
        }
        members.insert(session.actor, display(world, session.actor));
    }
    project.workspace = Some(Workspace { id, members });
    world.projects.insert(name.to_ascii_lowercase(), project);
    world.clock.tick();
    Ok(json!(id))
}

/// The workspace's project, checked for the caller: managing members follows matrix row 8
/// (the owner, or a RAM user holding role_project_admin, with the main account's AccessKey
/// enabled); listing them needs membership.
fn workspace<'w>(
    world: &'w World,
    session: &Session,
    command: &ConsoleCommand,
    manage: bool,
) -> Result<&'w Project, Refusal> {
    let id: u64 = command
        .get(Param::ProjectId)
        .and_then(|t| t.parse().ok())
        .ok_or(RamError::PROJECT_NOT_EXISTS)?;
    let project = world
        .project_by_workspace(id)
        .ok_or(RamError::PROJECT_NOT_EXISTS)?;
    if manage {
        matrix::check_row(
            world,
            ROW_WORKSPACE_MEMBERS,
            project.owner,
            Some(project),
            session.actor,
        )?;
    } else if !may_list_members(project, session.actor) {
        return Err(RamError::USER_NOT_IN_PROJECT.into());
    }
    Ok(project)
}

/// Whether `actor` may list a workspace's members (`ListProjectMembers`): any member of its
/// project may.
pub fn may_list_members(project: &Project, actor: PrincipalId) -> bool {
    standing(project, actor) != Standing::Outsider
}

/// The member a `--UserId` names: a RAM user or main account that exists now, other than the
/// workspace's owner (always a member, with its owner role alone).
fn member_id(
    world: &World,
    project: &Project,
    command: &ConsoleCommand,
) -> Result<PrincipalId, RamError> {
    let n: u64 = command
        .get(Param::UserId)
        .and_then(|t| t.parse().ok())
        .ok_or(RamError::USER_NOT_IN_TENANT)?;
    if n == project.owner.0 {
        return Err(RamError::WORKSPACE_OWNER);
    }
    if world
        .ram_user(Uid(n))
        .is_some_and(|(a, _)| a.id == project.owner)
    {
        return Ok(PrincipalId::RamUser(Uid(n)));
    }
    match world.account(crate::world::AccountId(n)) {
        Some(a) if a.id != project.owner => Ok(PrincipalId::Account(a.id)),
        _ => Err(RamError::USER_NOT_IN_TENANT),
    }
}

/// The member a `--UserId` names, which must be on the workspace's own member list.
fn listed_member(
    world: &World,
    project: &Project,
    command: &ConsoleCommand,
) -> Result<PrincipalId, RamError> {
    let id = member_id(world, project, command)?;
    let listed = project
        .workspace
        .as_ref()
        .is_some_and(|w| w.members.contains_key(&id));
    if listed {
        Ok(id)
    } else {
        Err(RamError::USER_NOT_IN_PROJECT)
    }
}

/// The project of lower-cased name `key`, to change.
fn project_mut(world: &mut World, key: String) -> Result<&mut Project, RamError> {
    world
        .projects
        .get_mut(&key)
        .ok_or(RamError::PROJECT_NOT_EXISTS)
}

fn create_member(
    world: &mut World,
    session: &Session,
    command: &ConsoleCommand,
) -> Result<Value, Refusal> {
    let project = workspace(world, session, command, true)?;
    // Without --RoleCode the member has no role, and enters the MaxCompute project with its
    // first role.
    let role = match command.get(Param::RoleCode) {
        Some(_) => Some(roles::assignable(command)?),
        None => None,
    };
    let id = member_id(world, project, command)?;
    let name = display(world, id);
    let key = project.name.to_ascii_lowercase();
    let project = project_mut(world, key)?;
    if let Some(role) = role {
        roles::bind(project, id, role)?;
    }
    if let Some(w) = project.workspace.as_mut() {
        w.members.insert(id, name);
    }
    Ok(json!(true))
}

fn delete_member(
    world: &mut World,
    session: &Session,
    command: &ConsoleCommand,
) -> Result<Value, Refusal> {
    let project = workspace(world, session, command, true)?;
    // A deleted RAM user is no longer known to the account: DataWorks cannot remove it either.
    let id = listed_member(world, project, command)?;
    let key = project.name.to_ascii_lowercase();
    let project = project_mut(world, key)?;
    let held: Vec<String> = project
        .roles_of(id)
        .into_iter()
        .flatten()
        .map(str::to_string)
        .collect();
    let held: Vec<&str> = held.iter().map(String::as_str).collect();
    // Removing a workspace member removes it and its roles from the project.
    if project.is_member(id) {
        project
            .revoke_roles(id, &held)
            .map_err(|_| RamError::USER_NOT_IN_PROJECT)?;
        project
            .remove_member(id)
            .map_err(|_| RamError::USER_NOT_IN_PROJECT)?;
    }
    if let Some(w) = project.workspace.as_mut() {
        w.members.remove(&id);
    }
    Ok(json!(true))
}

fn list_members(
    world: &World,
    session: &Session,
    command: &ConsoleCommand,
) -> Result<Value, Refusal> {
    let project = workspace(world, session, command, false)?;
    let page_number = page_param(command, Param::PageNumber, 1, u64::MAX)?;
    let page_size = page_param(command, Param::PageSize, 10, 100)?;
    let listed = project.workspace.as_ref().map(|w| &w.members);
    // The owner comes first, then the members DataWorks keeps.
    let total = 1 + listed.map_or(0, |m| m.len());
    let skip = usize::try_from((page_number - 1).saturating_mul(page_size)).unwrap_or(usize::MAX);
    let take = usize::try_from(page_size).unwrap_or(usize::MAX);
    let owner = std::iter::once(roles::owner_entry(world, project));
    let others = listed
        .into_iter()
        .flatten()
        .map(|(id, name)| roles::member_entry(world, project, *id, name));
    let members: Vec<Value> = owner.chain(others).skip(skip).take(take).collect();
    Ok(json!({
        "PageNumber": page_number,
        "PageSize": page_size,
        "TotalCount": total,
        "ProjectMemberList": members,
    }))
}

/// A paging parameter: `default` when absent, else a whole number from 1 to `max`.
fn page_param(
    command: &ConsoleCommand,
    param: Param,
    default: u64,
    max: u64,
) -> Result<u64, Refusal> {
    match command.get(param) {
        None => Ok(default),
        Some(text) => text
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| RamError::PAGE_PARAMETER_INVALID.into()),
    }
}

pub fn execute(
    world: &mut World,
    session: &mut Session,
    api: DataWorksApi,
    command: &ConsoleCommand,
) -> Outcome {
    let request_id = session.next_request_id(world);
    // Workspaces decide by their own roles (matrix row 8), but a RAM policy's Deny still
    // refuses a RAM user.
    let denied = caller_account(world, session.actor).is_some_and(|account| {
        super::ram::permission::denied(world, account, session.actor, command, session.origin())
    });
    // Most calls answer their result as `Data`; the role calls answer beside the RequestId.
    let data = |result: Result<Value, Refusal>| result.map(|data| json!({ "Data": data }));
    let answer = match api {
        _ if denied => Err(RamError::NO_PERMISSION.into()),
        DataWorksApi::CreateProject => data(create_project(world, session, command)),
        DataWorksApi::CreateProjectMember => data(create_member(world, session, command)),
        DataWorksApi::DeleteProjectMember => data(delete_member(world, session, command)),
        DataWorksApi::ListProjectMembers => data(list_members(world, session, command)),
        DataWorksApi::AddProjectMemberToRole => roles::change(world, session, command, true),
        DataWorksApi::RemoveProjectMemberFromRole => roles::change(world, session, command, false),
        DataWorksApi::ListProjectRoles => roles::list(world, session, command),
    };
    match answer {
        Ok(fields) => {
            let mut body = serde_json::Map::new();
            body.insert("RequestId".to_string(), json!(request_id));
            if let Value::Object(fields) = fields {
                body.extend(fields);
            }
            Ok(Output::Json(Value::Object(body)))
        }
        Err(Refusal::Service(error)) => Err(Failure::Ram {
            error,
            request_id,
            product: command.product(),
        }),
        Err(Refusal::Matrix(denial)) => Err(Failure::Matrix {
            denial,
            request_id: Some(request_id),
        }),
    }
}
