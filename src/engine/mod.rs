//! Runs one statement for one acting identity against the world. The only code that changes the
//! world; it checks authorization first, and a failed statement leaves the world as it was.

pub mod access;
pub mod error;
pub mod names;
mod project_statements;
mod ram;

use crate::syntax::{ConsoleCommand, Statement};
use crate::world::{PrincipalId, World};
use project_statements::Binding;

pub use error::{OdpsError, RamError};

/// Who is acting, in which project. Not part of the world: `use` changes only the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub actor: PrincipalId,
    pub project: String,
    /// Requests made so far, for request ids.
    requests: u64,
}

impl Session {
    pub fn new(actor: PrincipalId, project: &str) -> Self {
        Session {
            actor,
            project: project.to_string(),
            requests: 0,
        }
    }

    /// A request id for the next request (changes the session, not the world).
    pub fn next_request_id(&mut self, world: &World) -> String {
        self.requests += 1;
        world.clock.request_id(self.requests)
    }
}

/// What a successful statement produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Nothing to show: printed `OK`.
    Done,
    /// `list users`: display names, one per line.
    Users(Vec<String>),
    /// `list roles`: role names, one per line.
    Roles(Vec<String>),
    /// `describe role`: the role's members.
    RoleDescription { role: String, users: Vec<String> },
    WhoAmI {
        name: String,
        endpoint: String,
        project: String,
    },
    /// A console API's JSON reply, keys in the documented order.
    Json(serde_json::Value),
    /// `quit`: the shell leaves.
    Quit,
}

/// Why a statement failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Odps(OdpsError),
    Ram { error: RamError, request_id: String },
}

impl From<OdpsError> for Failure {
    fn from(e: OdpsError) -> Self {
        Failure::Odps(e)
    }
}

pub type Outcome = Result<Output, Failure>;

/// Runs one statement.
pub fn execute(world: &mut World, session: &mut Session, statement: &Statement) -> Outcome {
    match statement {
        Statement::Quit => Ok(Output::Quit),
        Statement::Use(project) => {
            let p = world
                .project(project)
                .ok_or_else(|| OdpsError::ProjectNotFound(project.clone()))?;
            if access::standing(p, session.actor) == access::Standing::Outsider {
                return Err(OdpsError::NotInProject(p.name.clone()).into());
            }
            session.project = p.name.clone();
            Ok(Output::Done)
        }
        Statement::WhoAmI => Ok(Output::WhoAmI {
            name: names::display(world, session.actor),
            endpoint: world.endpoint.clone(),
            project: session.project.clone(),
        }),
        Statement::Console(ConsoleCommand::Ram(command)) => ram::execute(world, session, command),
        Statement::ListUsers => project_statements::list_users(world, session),
        Statement::ListRoles => project_statements::list_roles(world, session),
        Statement::DescribeRole(role) => project_statements::describe_role(world, session, role),
        Statement::AddUser(name) => project_statements::add_user(world, session, name),
        Statement::RemoveUser(name) => project_statements::remove_user(world, session, name),
        Statement::CreateRole(role) => project_statements::create_role(world, session, role),
        Statement::DropRole(role) => project_statements::drop_role(world, session, role),
        Statement::GrantRoles { roles, grantee } => {
            project_statements::bind_roles(world, session, Binding::Grant, roles, grantee)
        }
        Statement::RevokeRoles { roles, grantee } => {
            project_statements::bind_roles(world, session, Binding::Revoke, roles, grantee)
        }
    }
}

#[cfg(test)]
mod tests;
