//! The reading resources the clients fetch besides security queries (reference §B.3, §D.1):
//! the projects and a project's properties and security configuration ([`projects`]), its users
//! and roles, its objects ([`objects`]), the tenant and the logview host. Who may read what is
//! decided by the engine, exactly as in the shell: a project's routes first enter the project as
//! the shell does at its start (`use <p>`), then run the statement that reads the same thing
//! there ([`shell_equivalent`]).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::json;

use crate::engine::{self, Output, Session, names};
use crate::render::visible::visible;
use crate::syntax::{
    AclStatement, ObjectStatement, ProjectStatement, RoleName, RoleStatement, SessionStatement,
    SettingStatement, Statement, Subject, TableRef, UserStatement,
};
use crate::world::{PrincipalId, Project, World};

use super::errors::{self, ServerError};
use super::handler::Reply;
use super::routes::Route;
use super::xml;

mod objects;
mod projects;

/// What odpsh answers for `/logview/host`: the service's default logview host.
pub const LOGVIEW_HOST: &str = "http://logview.aliyun.com";

/// A session of `actor` in `project`, entered as the shell enters its starting project: the
/// caller must be a member (or the owner).
pub fn enter(
    world: &mut World,
    project: &str,
    actor: PrincipalId,
    peer: std::net::IpAddr,
) -> Result<Session, ServerError> {
    let mut session = Session::new(actor, project);
    // The project's IP whitelist and its policies' acs:SourceIp read the client's address.
    session.source_ip = peer;
    run(
        world,
        &mut session,
        &Statement::Session(SessionStatement::Use(project.to_string())),
    )?;
    Ok(session)
}

/// Runs a statement for its authorization checks (and its answer).
fn run(
    world: &mut World,
    session: &mut Session,
    statement: &Statement,
) -> Result<Output, ServerError> {
    engine::execute(world, session, statement).map_err(|f| errors::refusal(&f))
}

/// The statement whose decision (and refusal) a reading route has in the shell, once the
/// project is entered; `None` for what any member may read (a query's state) and for the
/// routes decided apart. `subject` is the member a `/users/<u>` route names, when it is one.
pub fn shell_equivalent(
    world: &World,
    route: &Route,
    actor: PrincipalId,
    subject: Option<PrincipalId>,
) -> Option<Statement> {
    match route {
        Route::SecurityConfiguration { .. } => Some(Statement::Settings(
            SettingStatement::ShowSecurityConfiguration,
        )),
        Route::Users { .. } => Some(Statement::Users(UserStatement::List)),
        // About oneself: what `whoami` and `show grants` tell anyone.
        Route::User { .. } if subject == Some(actor) => None,
        Route::User { roles: true, .. } => Some(match subject {
            Some(id) => Statement::Acl(AclStatement::ShowGrants {
                subject: Some(Subject::User(names::principal_name(world, id))),
                on_type: None,
            }),
            // Whether a name is a member is what `list users` tells.
            None => Statement::Users(UserStatement::List),
        }),
        Route::User { roles: false, .. } => Some(Statement::Users(UserStatement::List)),
        Route::Roles { .. } => Some(Statement::Roles(RoleStatement::List)),
        Route::Role { role, users, .. } => {
            let role = RoleName::new(role);
            Some(if *users {
                Statement::Roles(RoleStatement::ShowPrincipals(role))
            } else {
                Statement::Roles(RoleStatement::Describe(role))
            })
        }
        Route::Project { .. } | Route::ProjectExtended { .. } => {
            Some(Statement::Project(ProjectStatement::SetProject(None)))
        }
        Route::Tables { .. } => Some(Statement::Objects(ObjectStatement::ShowTables)),
        Route::Table { table, .. } => Some(Statement::Objects(ObjectStatement::DescribeTable(
            TableRef {
                project: None,
                table: table.clone(),
            },
        ))),
        Route::Resources { .. } | Route::Resource { .. } => {
            Some(Statement::Objects(ObjectStatement::ListResources))
        }
        Route::Functions { .. } | Route::Function { .. } => {
            Some(Statement::Objects(ObjectStatement::ListFunctions))
        }
        Route::Instances { .. } => Some(Statement::Objects(ObjectStatement::ShowInstances)),
        Route::Instance { id, .. } => Some(Statement::Objects(ObjectStatement::DescribeInstance(
            id.clone(),
        ))),
        // Decided apart: each project by `use`, each flag by `set`.
        Route::Projects { .. } | Route::PutSecurityConfiguration { .. } => None,
        // Answered by the handler, as `get policy` and `put policy` are.
        Route::GetPolicy { .. } | Route::PutPolicy { .. } => None,
        Route::QueryStatus { .. }
        | Route::SecurityQuery { .. }
        | Route::Tenants
        | Route::LogviewHost => None,
    }
}

/// The last second an HTTP date can name (9999-12-31T23:59:59Z).
const LAST_HTTP_SECOND: u64 = 253_402_300_799;

/// A time of the world clock (seconds since the epoch) as an HTTP date; a time past what an
/// HTTP date can name (from a world file written by hand) is written as the last one.
fn http_date(seconds: u64) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(seconds.min(LAST_HTTP_SECOND)))
}

/// A value from the world for a response header: control characters made visible (a header
/// cannot carry them).
fn visible_header(value: &str) -> String {
    visible(value).into_owned()
}

/// (internal id, display name) of each member, by display name.
fn members(
    world: &World,
    project: &Project,
    only: Option<&[PrincipalId]>,
) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = project
        .members()
        .filter(|id| only.is_none_or(|ids| ids.contains(id)))
        .map(|id| (id.to_string(), names::display(world, id)))
        .collect();
    list.sort_by(|a, b| a.1.cmp(&b.1));
    list
}

/// A member by internal id or display name (case-insensitive), as PyODPS asks for either.
fn member(world: &World, project: &Project, user: &str) -> Option<PrincipalId> {
    project.members().find(|id| {
        id.to_string().eq_ignore_ascii_case(user)
            || names::display(world, *id).eq_ignore_ascii_case(user)
    })
}

fn not_member(project: &Project, user: &str) -> ServerError {
    errors::refusal(&engine::Failure::Odps(engine::OdpsError::NotMember {
        user: user.to_string(),
        project: project.name.clone(),
    }))
}

/// The project a route names.
fn project_of(route: &Route) -> Option<&str> {
    match route {
        Route::SecurityQuery { project, .. }
        | Route::QueryStatus { project, .. }
        | Route::Project { project }
        | Route::ProjectExtended { project }
        | Route::SecurityConfiguration { project }
        | Route::PutSecurityConfiguration { project, .. }
        | Route::Tables { project, .. }
        | Route::Table { project, .. }
        | Route::Resources { project, .. }
        | Route::Resource { project, .. }
        | Route::Functions { project, .. }
        | Route::Function { project, .. }
        | Route::Instances { project, .. }
        | Route::Instance { project, .. }
        | Route::Users { project }
        | Route::User { project, .. }
        | Route::Roles { project }
        | Route::Role { project, .. }
        | Route::GetPolicy { project, .. }
        | Route::PutPolicy { project, .. } => Some(project),
        Route::Projects { .. } | Route::Tenants | Route::LogviewHost => None,
    }
}

/// Decides a project's reading route as the shell would: enters the project, then runs the
/// route's [`shell_equivalent`]; the project's name, the statement's output and, for
/// `/users/<u>`, the member named.
fn authorize(
    world: &mut World,
    route: &Route,
    actor: PrincipalId,
    peer: std::net::IpAddr,
) -> Result<(String, Option<Output>, Option<PrincipalId>), ServerError> {
    let name = project_of(route).unwrap_or_default();
    let mut session = enter(world, name, actor, peer)?;
    let subject = match route {
        Route::User { user, .. } => world
            .project(&session.project)
            .and_then(|p| member(world, p, user)),
        _ => None,
    };
    let output = match shell_equivalent(world, route, actor, subject) {
        Some(statement) => Some(run(world, &mut session, &statement)?),
        None => None,
    };
    Ok((session.project, output, subject))
}

/// Answers a reading route.
pub fn get(
    world: &mut World,
    route: &Route,
    actor: PrincipalId,
    peer: std::net::IpAddr,
    _now: SystemTime,
) -> Result<Reply, ServerError> {
    match route {
        Route::Tenants => {
            let account = names::account_of(world, actor)
                .and_then(|a| world.account(a))
                .map(|a| (a.id.to_string(), a.login.clone()))
                .unwrap_or_default();
            let body = json!({"Tenant": {
                "TenantId": account.0,
                "OwnerId": account.0,
                "Name": account.1,
                "TenantState": "NORMAL",
                "Parameters": {"odps.namespace.schema": "false"},
            }});
            return Ok(Reply::with_status(
                200,
                "application/json",
                crate::render::visible::json_safe_owned(body.to_string()),
            ));
        }
        Route::LogviewHost => {
            return Ok(Reply::with_status(200, "text/plain", LOGVIEW_HOST.into()));
        }
        Route::Projects { listing } => return projects::list(world, actor, peer, listing),
        _ => {}
    }
    let (name, output, subject) = authorize(world, route, actor, peer)?;
    let world: &World = world;
    let p = world.project(&name).ok_or_else(|| {
        errors::refusal(&engine::Failure::Odps(engine::OdpsError::ProjectNotFound(
            name.clone(),
        )))
    })?;
    match route {
        Route::Project { .. } => Ok(projects::project(world, p, output.as_ref())),
        Route::ProjectExtended { .. } => Ok(projects::extended(p)),
        Route::SecurityConfiguration { .. } => Ok(Reply::xml(projects::security_configuration(
            &p.security.flags,
        ))),
        Route::Tables { listing, .. } => Ok(objects::tables(world, p, listing)),
        Route::Table {
            table, extended, ..
        } => objects::table(world, p, table, *extended),
        Route::Resources { listing, .. } => Ok(objects::resources(world, p, listing)),
        Route::Resource { resource, .. } => objects::resource(world, p, resource),
        Route::Functions { listing, .. } => Ok(objects::functions(world, p, listing)),
        Route::Function { function, .. } => objects::function(world, p, function),
        Route::Instances {
            listing, filter, ..
        } => Ok(objects::instances(world, p, actor, listing, filter)),
        Route::Instance { id, .. } => objects::instance(world, p, id),
        Route::Users { .. } => Ok(Reply::xml(xml::users(&members(world, p, None)))),
        Route::User { user, roles, .. } => {
            let id = subject.ok_or_else(|| not_member(p, user))?;
            if *roles {
                let held: Vec<String> = p
                    .roles_of(id)
                    .into_iter()
                    .flatten()
                    .map(str::to_string)
                    .collect();
                Ok(Reply::xml(xml::roles(&held)))
            } else {
                Ok(Reply::xml(xml::user(
                    &id.to_string(),
                    &names::display(world, id),
                )))
            }
        }
        Route::Roles { .. } => match output {
            Some(Output::Lines(names)) => Ok(Reply::xml(xml::roles(&names))),
            _ => Ok(Reply::xml(xml::roles(&[]))),
        },
        Route::Role { role, users, .. } => {
            let name = RoleName::new(role);
            if *users {
                let ids: Vec<PrincipalId> = p
                    .role_members(name.as_str())
                    .map(|m| m.collect())
                    .unwrap_or_default();
                Ok(Reply::xml(xml::users(&members(world, p, Some(&ids)))))
            } else {
                Ok(Reply::xml(xml::role(name.as_str())))
            }
        }
        // Security queries, their states and updates are answered by the handler.
        Route::SecurityQuery { .. }
        | Route::QueryStatus { .. }
        | Route::PutSecurityConfiguration { .. }
        | Route::GetPolicy { .. }
        | Route::PutPolicy { .. }
        | Route::Projects { .. }
        | Route::Tenants
        | Route::LogviewHost => Err(ServerError::Internal(
            "a request the handler answers reached the resource reader".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCAL: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    #[test]
    fn times_beyond_http_dates_do_not_panic() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(u64::MAX), "Fri, 31 Dec 9999 23:59:59 GMT");
    }

    #[test]
    fn projects_are_seen_by_members_only() {
        let mut world = World::default_world();
        let owner = PrincipalId::Account(world.home);
        assert!(enter(&mut world, "maxcompute", owner, LOCAL).is_ok());
        let stranger = PrincipalId::RamUser(crate::world::Uid(1));
        let e = enter(&mut world, "MaxCompute", stranger, LOCAL).unwrap_err();
        assert_eq!((e.status(), e.code()), (403, "NoPermission"));
        let e = enter(&mut world, "nope", owner, LOCAL).unwrap_err();
        assert_eq!((e.status(), e.code()), (404, "NoSuchObject"));
    }
}
