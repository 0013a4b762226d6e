//! Runs one statement for one acting identity against the world. The only code that changes the
//! world; it checks authorization first, and a failed statement leaves the world as it was.

pub mod access;
mod acl;
pub mod authorize;
mod console_buttons;
mod dataworks;
pub mod error;
pub mod error_kinds;
mod grants_view;
pub mod identity;
mod jobs;
pub mod matrix;
pub mod names;
mod objects;
mod output;
mod project_settings;
mod project_statements;
mod ram;
mod security_config;
mod support_ticket;

use crate::syntax::{Product, Statement};
use crate::world::{PrincipalId, World};
use project_statements::Binding;

pub use dataworks::may_list_members as may_list_workspace_members;
pub use error::{OdpsError, RamError};
pub use grants_view::may_show_grants_for;
pub use identity::Credentials;
pub use output::{
    AclLine, AclReport, FunctionListing, GrantBlock, GrantLine, GrantReport, InstanceListing,
    Output, ResourceListing, TableDescription, TableListing,
};
pub use project_statements::{may_list_roles, may_list_users};
pub use ram::permits as ram_permits;

/// Who is acting, in which project. Not part of the world: `use` changes only the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Who acted last: the owner of `credentials`, or the main account the shell started as.
    pub actor: PrincipalId,
    /// The AccessKey statements run with; `None` acts as `actor` (the default main account).
    pub credentials: Option<Credentials>,
    pub project: String,
    /// Requests made so far, for request ids.
    requests: u64,
}

impl Session {
    pub fn new(actor: PrincipalId, project: &str) -> Self {
        Session {
            actor,
            credentials: None,
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

/// Runs one statement.
pub fn execute(world: &mut World, session: &mut Session, statement: &Statement) -> Outcome {
    match statement {
        Statement::Quit => return Ok(Output::Quit),
        Statement::Login {
            access_key_id,
            secret,
        } => {
            let credentials = Credentials {
                access_key_id: access_key_id.clone(),
                secret: secret.clone(),
            };
            let actor =
                identity::authenticate(world, &credentials).map_err(|e| e.odps(access_key_id))?;
            let project = current_project(world, &session.project)?;
            // As odpscmd started with -u/-p: the identity is switched even when it cannot use
            // the current project (it may still run console commands or `use` another project),
            // and the failed project access is reported.
            let output = match access::standing(project, actor) {
                access::Standing::Outsider => Output::ProjectInaccessible {
                    project: project.name.clone(),
                    error: OdpsError::NotInProject(project.name.clone()),
                },
                _ => Output::Done,
            };
            session.actor = actor;
            session.credentials = Some(credentials);
            return Ok(output);
        }
        _ => authenticate(world, session, statement)?,
    }
    match statement {
        Statement::Quit | Statement::Login { .. } => Ok(Output::Done),
        Statement::Use(project) => {
            let p = current_project(world, project)?;
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
        Statement::Console(command) => match command.product() {
            Product::Ram | Product::Ims => ram::execute(world, session, command),
            Product::Console if command.api() == support_ticket::ENABLE_PYTHON_UDF => {
                support_ticket::execute(world, session, command)
            }
            Product::Console => console_buttons::execute(world, session, command),
            Product::DataWorks => dataworks::execute(world, session, command),
        },
        Statement::CreateProject(_) | Statement::DropProject(_) => {
            project_settings::create_or_drop_project(world, session)
        }
        Statement::SetProject(setting) => {
            project_settings::set_project(world, session, setting.as_ref())
        }
        Statement::ShowMatrix(None) => Ok(Output::Matrix(
            crate::world::matrix::MATRIX
                .iter()
                .map(|r| r.number)
                .collect(),
        )),
        Statement::ShowMatrix(Some(words)) => Ok(Output::Matrix(
            crate::world::matrix::matrix_rows_about(words)
                .iter()
                .map(|r| r.number)
                .collect(),
        )),
        Statement::ListUsers => project_statements::list_users(world, session),
        Statement::ListRoles => project_statements::list_roles(world, session),
        Statement::DescribeRole(role) => grants_view::describe_role(world, session, role),
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
        Statement::CreateTable {
            if_not_exists,
            name,
            columns,
            comment,
        } => jobs::create_table(
            world,
            session,
            statement.to_string(),
            name,
            columns,
            comment.as_deref(),
            *if_not_exists,
        ),
        Statement::DropTable { if_exists, name } => {
            jobs::drop_table(world, session, statement.to_string(), name, *if_exists)
        }
        Statement::Select(query) => jobs::select(world, session, statement.to_string(), query),
        Statement::Insert { target, query, .. } => {
            jobs::insert(world, session, statement.to_string(), target, query)
        }
        Statement::ShowTables => objects::show_tables(world, session),
        Statement::DescribeTable(table) => objects::describe_table(world, session, table),
        Statement::AddResource(add) => objects::add_resource(world, session, add),
        Statement::ListResources => objects::list_resources(world, session),
        Statement::DropResource(name) => objects::drop_resource(world, session, name),
        Statement::CreateFunction {
            name,
            class,
            resources,
        } => objects::create_function(world, session, name, class, resources),
        Statement::ListFunctions => objects::list_functions(world, session),
        Statement::DropFunction(name) => objects::drop_function(world, session, name),
        Statement::ShowInstances => objects::show_instances(world, session),
        Statement::DescribeInstance(id) => objects::describe_instance(world, session, id),
        Statement::GrantPrivileges(change) => acl::grant(world, session, change),
        Statement::RevokePrivileges(change) => acl::revoke(world, session, change),
        Statement::ClearExpiredGrants => acl::clear_expired(world, session),
        Statement::ShowGrants { subject, on_type } => {
            grants_view::show_grants(world, session, subject.as_ref(), *on_type)
        }
        Statement::ShowAcl { object, on_type } => {
            grants_view::show_acl(world, session, object, *on_type)
        }
        Statement::ShowPrincipals(role) => grants_view::show_principals(world, session, role),
        Statement::Set { key, value } => {
            security_config::set(world, session, key, value.as_deref())
        }
        Statement::ShowSecurityConfiguration => security_config::show_security(world, session),
        Statement::ListTrustedProjects => security_config::list_trusted(world, session),
        Statement::AddTrustedProject(p) => security_config::add_trusted(world, session, p),
        Statement::RemoveTrustedProject(p) => security_config::remove_trusted(world, session, p),
        Statement::ListAccountProviders => security_config::list_providers(world, session),
        Statement::AddAccountProvider(p) => {
            security_config::change_provider(world, session, *p, true)
        }
        Statement::RemoveAccountProvider(p) => {
            security_config::change_provider(world, session, *p, false)
        }
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
