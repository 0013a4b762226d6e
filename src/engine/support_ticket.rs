//! `aliyun console EnablePythonUDF --ProjectName <p>`: odpsh's stand-in for the support ticket
//! that enables Python UDFs for a project (permission matrix row 19, "工单申请开通"). The account
//! that owns the project files it: its main account, or a RAM user holding AdministratorAccess
//! or AliyunMaxComputeFullAccess.

use serde_json::json;

use crate::syntax::{ConsoleCommand, Param};
use crate::world::World;

use super::error::RamError;
use super::matrix::PYTHON_UDF_PROPERTY;
use super::ram::caller_account;
use super::ram::permission::permitted;
use super::{Failure, Outcome, Output, Session};

fn enable(
    world: &mut World,
    session: &Session,
    command: &ConsoleCommand,
) -> Result<String, RamError> {
    let account = caller_account(world, session.actor).ok_or(RamError::NO_PERMISSION)?;
    // The ticket changes a project: the caller's policies must allow odps:UpdateProject (as
    // AdministratorAccess and AliyunMaxComputeFullAccess do).
    if !permitted(world, account, session.actor, command, session.origin()) {
        return Err(RamError::NO_PERMISSION);
    }
    let name = command.get(Param::ProjectName).unwrap_or_default();
    let project = world
        .project_mut(name)
        .filter(|p| p.owner == account)
        .ok_or(RamError::TICKET_PROJECT_NOT_FOUND)?;
    project
        .properties
        .insert(PYTHON_UDF_PROPERTY.to_string(), "true".to_string());
    Ok(project.name.clone())
}

pub fn execute(world: &mut World, session: &mut Session, command: &ConsoleCommand) -> Outcome {
    let request_id = session.next_request_id(world);
    match enable(world, session, command) {
        Ok(project) => Ok(Output::Json(json!({
            "RequestId": request_id,
            "ProjectName": project,
            "Feature": "PythonUDF",
            "Status": "Enabled",
        }))),
        Err(error) => Err(Failure::Ram {
            error,
            request_id,
            product: command.product(),
        }),
    }
}
