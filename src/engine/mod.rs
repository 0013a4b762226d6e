//! Runs one statement for one acting identity against the world. The only code that changes the
//! world; it checks authorization first, and a failed statement leaves the world as it was.

pub mod access;
mod acl;
pub mod authorize;
pub mod code;
mod console_buttons;
mod dataworks;
pub mod error;
pub mod error_kinds;
mod grants_view;
pub mod identity;
mod jobs;
mod labels;
pub mod matrix;
pub mod names;
mod objects;
mod output;
mod project_settings;
mod project_statements;
mod ram;
pub mod report;
mod security_config;
mod support_ticket;

use crate::syntax::{Api, ButtonApi, Product, SessionStatement, Statement};
use crate::world::{PrincipalId, World};

pub use code::Code;
pub use dataworks::may_create_workspace;
pub use dataworks::may_list_members as may_list_workspace_members;
pub use error::{OdpsError, RamError};
pub use grants_view::may_show_grants_for;
pub use identity::Credentials;
pub use labels::{effective_level as labels_effective_level, read_refusal as label_read_refusal};
pub use output::{
    AclLine, AclReport, DescribedLabels, FunctionListing, GrantBlock, GrantLine, GrantReport,
    InstanceListing, Output, ResourceListing, Table, TableDescription, TableListing,
};
pub use project_statements::{may_list_roles, may_list_users};
pub use ram::permits as ram_permits;
pub use ram::{Origin, permission as ram_permission};
pub use report::{MATRIX_DENIED_PREFIX, Report};

/// Who is acting, in which project. Not part of the world: `use` changes only the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Who acted last: the owner of `credentials`, or the main account the shell started as.
    pub actor: PrincipalId,
    /// The AccessKey statements run with; `None` acts as `actor` (the default main account).
    pub credentials: Option<Credentials>,
    pub project: String,
    /// Where its calls come from, for RAM policy conditions.
    pub origin: ram::Origin,
    /// Requests made so far, for request ids.
    requests: u64,
}

impl Session {
    pub fn new(actor: PrincipalId, project: &str) -> Self {
        Session {
            actor,
            credentials: None,
            project: project.to_string(),
            origin: ram::Origin::default(),
            requests: 0,
        }
    }

    /// A request id for the next request (changes the session, not the world).
    pub fn next_request_id(&mut self, world: &World) -> String {
        self.requests += 1;
        world.clock.request_id(self.requests)
    }
}

/// Why a statement failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Odps(OdpsError),
    /// A console command's service error; `product` is the service that answered.
    Ram {
        error: RamError,
        request_id: String,
        product: Product,
    },
    /// Refused by a row of the permission matrix; console commands carry a request id.
    Matrix {
        denial: matrix::Denial,
        request_id: Option<String>,
    },
}

impl From<OdpsError> for Failure {
    fn from(e: OdpsError) -> Self {
        Failure::Odps(e)
    }
}

pub type Outcome = Result<Output, Failure>;

/// Checks the session's AccessKey and sets the actor; the failure as this statement reports it.
fn authenticate(
    world: &World,
    session: &mut Session,
    statement: &Statement,
) -> Result<(), Failure> {
    let Some(credentials) = &session.credentials else {
        return Ok(());
    };
    match identity::authenticate(world, credentials) {
        Ok(actor) => {
            session.actor = actor;
            Ok(())
        }
        Err(e) => Err(match statement {
            Statement::Console(command) => Failure::Ram {
                error: e.open_api(),
                request_id: session.next_request_id(world),
                product: command.product(),
            },
            _ => Failure::Odps(e.odps(&credentials.access_key_id)),
        }),
    }
}

/// Checks the session's AccessKey again and sets the actor, as every statement does first: the
/// learning statements call it before they look at the world for the actor.
pub fn recheck_credentials(world: &World, session: &mut Session) -> Result<(), OdpsError> {
    let Some(credentials) = &session.credentials else {
        return Ok(());
    };
    let actor = identity::authenticate(world, credentials)
        .map_err(|e| e.odps(&credentials.access_key_id))?;
    session.actor = actor;
    Ok(())
}

/// Runs one statement: the session family's own statements first (`quit` needs no key, `login`
/// checks the key it is given), then, once the session's AccessKey is checked, the statement's
/// family. This is the one dispatcher over the families; each family's engine module matches
/// its own statements.
pub fn execute(world: &mut World, session: &mut Session, statement: &Statement) -> Outcome {
    match statement {
        Statement::Session(SessionStatement::Quit) => return Ok(Output::Quit),
        Statement::Session(SessionStatement::Login {
            access_key_id,
            secret,
        }) => return login(world, session, access_key_id, secret),
        _ => authenticate(world, session, statement)?,
    }
    match statement {
        Statement::Session(s) => session_statement(world, session, s),
        Statement::Console(command) => match command.api {
            Api::Ram(_) | Api::Ims(_) => ram::execute(world, session, command),
            Api::Console(ButtonApi::EnablePythonUDF) => {
                support_ticket::execute(world, session, command)
            }
            Api::Console(api) => console_buttons::execute(world, session, api, command),
            Api::DataWorks(api) => dataworks::execute(world, session, api, command),
        },
        Statement::Project(s) => project_settings::execute(world, session, s),
        Statement::Users(s) => project_statements::users(world, session, s),
        Statement::Roles(s) => project_statements::roles(world, session, s),
        Statement::Acl(s) => acl::execute(world, session, s),
        Statement::Objects(s) => objects::execute(world, session, s),
        Statement::Settings(s) => security_config::execute(world, session, s),
        Statement::Labels(s) => labels::execute(world, session, s),
    }
}

/// `login <id> <secret>`: act as the key's owner from now on.
fn login(world: &World, session: &mut Session, access_key_id: &str, secret: &str) -> Outcome {
    let credentials = Credentials {
        access_key_id: access_key_id.to_string(),
        secret: secret.to_string(),
    };
    let actor = identity::authenticate(world, &credentials).map_err(|e| e.odps(access_key_id))?;
    let project = current_project(world, &session.project)?;
    // As odpscmd started with -u/-p: the identity is switched even when it cannot use the
    // current project (it may still run console commands or `use` another project), and the
    // failed project access is reported.
    let output = match access::standing(project, actor) {
        access::Standing::Outsider => Output::ProjectInaccessible {
            project: project.name.clone(),
            error: OdpsError::NotInProject(project.name.clone()),
        },
        _ => Output::Done,
    };
    session.actor = actor;
    session.credentials = Some(credentials);
    Ok(output)
}

/// The session family, once the key is checked.
fn session_statement(world: &World, session: &mut Session, s: &SessionStatement) -> Outcome {
    match s {
        SessionStatement::Quit | SessionStatement::Login { .. } => Ok(Output::Done),
        SessionStatement::Use(project) => {
            let p = current_project(world, project)?;
            if access::standing(p, session.actor) == access::Standing::Outsider {
                return Err(OdpsError::NotInProject(p.name.clone()).into());
            }
            session.project = p.name.clone();
            Ok(Output::Done)
        }
        SessionStatement::WhoAmI => Ok(Output::WhoAmI {
            name: names::display(world, session.actor),
            endpoint: world.endpoint.clone(),
            project: session.project.clone(),
        }),
    }
}

/// A project by name, or the failure that names it.
fn current_project<'w>(
    world: &'w World,
    name: &str,
) -> Result<&'w crate::world::Project, OdpsError> {
    world
        .project(name)
        .ok_or_else(|| OdpsError::ProjectNotFound(name.to_string()))
}

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_authz;
#[cfg(test)]
mod tests_ram;
