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
pub mod outflow;
mod output;
mod packages;
pub mod policy;
pub mod policy_document;
mod project_settings;
mod project_statements;
mod ram;
pub mod report;
mod security_config;
pub mod sts;
mod support_ticket;
pub mod tape;
mod tunnel;

use crate::syntax::{Api, ButtonApi, Product, SessionStatement, Statement};
use crate::world::{PrincipalId, World};

pub use code::Code;
pub use dataworks::may_create_workspace;
pub use dataworks::may_list_members as may_list_workspace_members;
pub use error::{OdpsError, RamError};
pub use grants_view::{acl_of, grants_of, may_show_grants_for, role_grants_of};
pub use identity::Credentials;
pub use labels::{effective_level as labels_effective_level, read_refusal as label_read_refusal};
pub use output::{
    AclLine, AclReport, DescribedLabels, Download, FunctionListing, GrantBlock, GrantLine,
    GrantReport, InstanceListing, Output, PackageDescription, PackageList, ResourceListing, Table,
    TableDescription, TableListing,
};
pub use packages::usable as package_usable;
pub use project_settings::property_default;
pub use project_statements::{grantee as grantee_of, may_list_roles, may_list_users};
pub use ram::Origin as RamOrigin;
pub use ram::permission::verdict as ram_verdict;
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
    /// The simulated client address requests come from (`--source-ip`; the peer's in
    /// `odpsh serve`): what the `acs:SourceIp` condition of a MaxCompute or RAM policy reads.
    pub source_ip: std::net::IpAddr,
    /// Whether its calls travel over HTTPS (the `aliyun` CLI's do; `odpsh serve` speaks plain
    /// HTTP): what `acs:SecureTransport` reads.
    pub secure_transport: bool,
    /// The endpoint the client was given (odpscmd's `--endpoint`, `end_point`), which `whoami`
    /// shows; `None`: the world's.
    pub endpoint: Option<String>,
    /// Requests made so far, for request ids.
    requests: u64,
    /// The AccessKey the last statement authenticated with, until [`record_key_use`] records
    /// its use in the world.
    used_key: Option<String>,
    /// The session name of the STS credential the actor signs with, when it is a RAM role.
    pub sts_session: Option<String>,
}

/// The address a session acts from unless `--source-ip` says otherwise.
pub const DEFAULT_SOURCE_IP: std::net::IpAddr =
    std::net::IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 1));

/// Who asks, and from where: what an authorization check needs of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub actor: PrincipalId,
    pub source_ip: std::net::IpAddr,
}

impl Caller {
    /// `actor`, asking from the default address (a lesson asking about someone else).
    pub fn at_default(actor: PrincipalId) -> Caller {
        Caller {
            actor,
            source_ip: DEFAULT_SOURCE_IP,
        }
    }
}

impl Session {
    pub fn new(actor: PrincipalId, project: &str) -> Self {
        Session {
            actor,
            credentials: None,
            project: project.to_string(),
            source_ip: DEFAULT_SOURCE_IP,
            secure_transport: true,
            endpoint: None,
            requests: 0,
            used_key: None,
            sts_session: None,
        }
    }

    /// Where its calls come from, as RAM policy conditions read it.
    pub fn origin(&self) -> ram::Origin {
        ram::Origin {
            source_ip: match self.source_ip {
                std::net::IpAddr::V4(ip) => Some(ip),
                std::net::IpAddr::V6(_) => None,
            },
            secure_transport: self.secure_transport,
        }
    }

    pub fn caller(&self) -> Caller {
        Caller {
            actor: self.actor,
            source_ip: self.source_ip,
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
            session.sts_session = identity::sts_session_name(world, &credentials.access_key_id);
            session.used_key = Some(credentials.access_key_id.clone());
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
            security_token,
        }) => {
            let credentials = Credentials {
                access_key_id: access_key_id.clone(),
                secret: secret.clone(),
                security_token: security_token.clone(),
            };
            return sign_in(world, session, Some(credentials));
        }
        _ => authenticate(world, session, statement)?,
    }
    outflow::gate(world, session, statement)?;
    match statement {
        Statement::Session(s) => session_statement(world, session, s),
        Statement::Console(command) => match command.api {
            Api::Ram(_) | Api::Ims(_) => ram::execute(world, session, command),
            Api::Sts(api) => sts::execute(world, session, api, command),
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
        Statement::Policy(s) => policy::execute(world, session, s),
        Statement::Packages(s) => packages::execute(world, session, s),
        Statement::Tunnel(s) => tunnel::execute(world, session, s),
    }
}

/// `advance clock <n> <unit>`: the world's clock moves on; anyone may move it (it is the
/// simulation's, not the service's).
fn advance_clock(world: &mut World, s: &SessionStatement) -> Outcome {
    let seconds = s.advanced_seconds().unwrap_or(0);
    world.clock.now = world.clock.now.saturating_add(seconds);
    Ok(Output::Lines(vec![crate::world::clock::iso8601(
        world.clock.now,
    )]))
}

/// Acts as the owner of `credentials` from now on (without: as the session's actor), in the
/// session's project: what `login` does, and what odpscmd does when it starts with `-u/-p`. A
/// key that does not authenticate, or a project that does not exist, fails and changes
/// nothing. The identity is switched even when it cannot use the project (it may still run
/// console commands or `use` another project): the output then reports the failed access.
pub fn sign_in(world: &World, session: &mut Session, credentials: Option<Credentials>) -> Outcome {
    let actor = match &credentials {
        Some(c) => identity::authenticate(world, c).map_err(|e| e.odps(&c.access_key_id))?,
        None => session.actor,
    };
    let project = current_project(world, &session.project)?;
    let output = match access::standing(project, actor) {
        access::Standing::Outsider => Output::ProjectInaccessible {
            project: project.name.clone(),
            error: OdpsError::NotInProject(project.name.clone()),
        },
        _ => Output::Done,
    };
    session.actor = actor;
    session.project = project.name.clone();
    if let Some(c) = credentials {
        session.sts_session = identity::sts_session_name(world, &c.access_key_id);
        session.used_key = Some(c.access_key_id.clone());
        session.credentials = Some(c);
    }
    Ok(output)
}

/// Records the use of the AccessKey the session's last statement authenticated with, whatever
/// the statement's outcome (the key was used): its `LastUsedDate`, at most once per day of the
/// world's clock ([`identity::record_use`]). Not part of any statement, so a read-only
/// statement still changes nothing itself; whoever runs statements calls this after each and
/// saves the world when it answers true.
pub fn record_key_use(world: &mut World, session: &mut Session) -> bool {
    session
        .used_key
        .take()
        .is_some_and(|id| identity::record_use(world, &id))
}

/// The session family, once the key is checked.
fn session_statement(world: &mut World, session: &mut Session, s: &SessionStatement) -> Outcome {
    match s {
        SessionStatement::Quit | SessionStatement::Login { .. } => Ok(Output::Done),
        SessionStatement::AdvanceClock { .. } => advance_clock(world, s),
        SessionStatement::Use(project) => {
            let p = current_project(world, project)?;
            if access::standing(p, session.actor) == access::Standing::Outsider {
                return Err(OdpsError::NotInProject(p.name.clone()).into());
            }
            session.project = p.name.clone();
            Ok(Output::Done)
        }
        SessionStatement::WhoAmI => {
            // A security query to the project, as the service takes it: a non-member is
            // refused, as odpsh serve refuses it.
            let p = current_project(world, &session.project)?;
            if access::standing(p, session.actor) == access::Standing::Outsider {
                return Err(OdpsError::NotInProject(p.name.clone()).into());
            }
            whoami(world, session)
        }
    }
}

/// `whoami`'s answer.
fn whoami(world: &World, session: &Session) -> Outcome {
    Ok(Output::WhoAmI {
        name: names::display(world, session.actor),
        endpoint: session
            .endpoint
            .clone()
            .unwrap_or_else(|| world.endpoint.clone()),
        project: session.project.clone(),
    })
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
