//! The read-only resources the clients fetch besides security queries (reference §B.3, §D.1):
//! the project, its security configuration, its users and roles, the tenant and the logview
//! host. Who may read what is decided by the engine, exactly as in the shell: a project's routes
//! first enter the project as the shell does at its start (`use <p>`), then run the statement
//! that reads the same thing there ([`shell_equivalent`]).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::json;

use crate::engine::{self, Output, Session, names};
use crate::syntax::{
    AclStatement, RoleName, RoleStatement, SessionStatement, SettingStatement, Statement, Subject,
    UserStatement,
};
use crate::world::security::SecurityFlags;
use crate::world::{PrincipalId, Project, World};

use super::errors::{self, ServerError};
use super::handler::Reply;
use super::routes::Route;
use super::xml::{self, Doc};

/// What odpsh answers for `/logview/host`: the service's default logview host.
pub const LOGVIEW_HOST: &str = "http://logview.aliyun.com";

/// The parts of the security configuration odpsh does not simulate, as the service reports a
/// project with ACL, policy and package checks on (the simulated flags are the project's).
const FIXED_SECURITY_FLAGS: [(&str, &str); 9] = [
    ("CheckPermissionUsingAclV2", "true"),
    ("CheckPermissionUsingPackageV2", "true"),
    ("SupportACL", "true"),
    ("SupportPolicy", "true"),
    ("SupportPackage", "true"),
    ("SupportACLV2", "true"),
    ("SupportPackageV2", "true"),
    ("CheckPermissionUsingPackage", "true"),
    ("EnableDownloadPrivilege", "false"),
];

/// A session of `actor` in `project`, entered as the shell enters its starting project: the
/// caller must be a member (or the owner).
pub fn enter(world: &mut World, project: &str, actor: PrincipalId) -> Result<Session, ServerError> {
    let mut session = Session::new(actor, project);
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
/// project is entered; `None` for what any member may read (the project itself, a query's
/// state). `subject` is the member a `/users/<u>` route names, when it is one.
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
        Route::Project { .. }
        | Route::QueryStatus { .. }
        | Route::SecurityQuery { .. }
        | Route::Tenants
        | Route::LogviewHost => None,
    }
}

fn rfc822(world: &World) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(world.clock.now))
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
        | Route::SecurityConfiguration { project }
        | Route::Users { project }
        | Route::User { project, .. }
        | Route::Roles { project }
        | Route::Role { project, .. } => Some(project),
        Route::Tenants | Route::LogviewHost => None,
    }
}

/// Decides a project's reading route as the shell would: enters the project, then runs the
/// route's [`shell_equivalent`]; the project's name, the statement's output and, for
/// `/users/<u>`, the member named.
fn authorize(
    world: &mut World,
    route: &Route,
    actor: PrincipalId,
) -> Result<(String, Option<Output>, Option<PrincipalId>), ServerError> {
    let name = project_of(route).unwrap_or_default();
    let mut session = enter(world, name, actor)?;
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

fn project_xml(world: &World, project: &Project) -> Reply {
    let owner = names::display(world, PrincipalId::Account(project.owner));
    let date = rfc822(world);
    let mut doc = Doc::new();
    doc.open("Project")
        .leaf("Name", &project.name)
        .leaf("Type", "managed")
        .leaf("Comment", "")
        .leaf("State", "AVAILABLE")
        .leaf("Owner", &owner)
        .leaf("CreationTime", &date)
        .leaf("LastModifiedTime", &date)
        .open("Properties");
    for (name, value) in &project.properties {
        doc.open("Property")
            .leaf("Name", name)
            .leaf("Value", value)
            .close("Property");
    }
    doc.close("Properties").close("Project");
    let mut reply = Reply::xml(doc.finish());
    reply.headers = vec![
        ("x-odps-owner", owner),
        ("x-odps-creation-time", date.clone()),
        ("last-modified", date),
    ];
    reply
}

fn security_configuration_xml(flags: &SecurityFlags) -> String {
    let text = |on: bool| if on { "true" } else { "false" };
    let simulated = [
        ("CheckPermissionUsingAcl", flags.check_permission_using_acl),
        (
            "CheckPermissionUsingPolicy",
            flags.check_permission_using_policy,
        ),
        ("LabelSecurity", flags.label_security),
        (
            "ObjectCreatorHasAccessPermission",
            flags.object_creator_has_access_permission,
        ),
        (
            "ObjectCreatorHasGrantPermission",
            flags.object_creator_has_grant_permission,
        ),
    ];
    let mut doc = Doc::new();
    doc.open("SecurityConfiguration");
    for (name, on) in simulated {
        doc.leaf(name, text(on));
    }
    for (name, value) in FIXED_SECURITY_FLAGS {
        doc.leaf(name, value);
    }
    let protected = text(flags.project_protection);
    doc.open_with("ProjectProtection", &[("Protected", protected)])
        .close("ProjectProtection")
        .open_with(
            "EnableExternalResourceAccessControl",
            &[("CheckExternalResourcePermissionEnable", "false")],
        )
        .close("EnableExternalResourceAccessControl")
        .close("SecurityConfiguration");
    doc.finish()
}

/// Answers a reading route.
pub fn get(
    world: &mut World,
    route: &Route,
    actor: PrincipalId,
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
        _ => {}
    }
    let (name, output, subject) = authorize(world, route, actor)?;
    let world: &World = world;
    let p = world.project(&name).ok_or_else(|| {
        errors::refusal(&engine::Failure::Odps(engine::OdpsError::ProjectNotFound(
            name.clone(),
        )))
    })?;
    match route {
        Route::Project { .. } => Ok(project_xml(world, p)),
        Route::SecurityConfiguration { .. } => {
            Ok(Reply::xml(security_configuration_xml(&p.security.flags)))
        }
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
            Some(Output::Roles(names)) => Ok(Reply::xml(xml::roles(&names))),
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
        // Security queries and their states are answered by the handler.
        Route::SecurityQuery { .. }
        | Route::QueryStatus { .. }
        | Route::Tenants
        | Route::LogviewHost => Err(ServerError::Internal(
            "a security query reached the resource reader".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_security_configuration_has_what_the_clients_read() {
        let body = security_configuration_xml(&SecurityFlags::default());
        for needle in [
            "<CheckPermissionUsingAcl>true</CheckPermissionUsingAcl>",
            "<ProjectProtection Protected=\"false\"></ProjectProtection>",
            "<EnableExternalResourceAccessControl CheckExternalResourcePermissionEnable=\"false\">",
        ] {
            assert!(body.contains(needle), "{needle} in {body}");
        }
    }

    #[test]
    fn projects_are_seen_by_members_only() {
        let mut world = World::default_world();
        let owner = PrincipalId::Account(world.home);
        assert!(enter(&mut world, "maxcompute", owner).is_ok());
        let stranger = PrincipalId::RamUser(crate::world::Uid(1));
        let e = enter(&mut world, "MaxCompute", stranger).unwrap_err();
        assert_eq!((e.status(), e.code()), (403, "NoPermission"));
        let e = enter(&mut world, "nope", owner).unwrap_err();
        assert_eq!((e.status(), e.code()), (404, "NoSuchObject"));
        let reply = project_xml(&world, world.project("MaxCompute").unwrap());
        assert!(reply.body.contains("<Owner>ALIYUN$MainCount</Owner>"));
        assert!(
            reply
                .headers
                .iter()
                .any(|(k, v)| *k == "x-odps-owner" && v == "ALIYUN$MainCount")
        );
    }
}
