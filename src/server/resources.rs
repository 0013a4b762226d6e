//! The read-only resources the clients fetch besides security queries (reference §B.3, §D.1):
//! the project, its security configuration, its users and roles, the tenant and the logview
//! host. Who may read what is decided by the engine, through the statements that read the same
//! things in the shell (`list users`, `list roles`, `describe role`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::json;

use crate::engine::{self, Output, Session, access, names};
use crate::syntax::{RoleName, Statement};
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

/// A project the caller belongs to (or owns).
pub fn visible_project<'w>(
    world: &'w World,
    name: &str,
    actor: PrincipalId,
) -> Result<&'w Project, ServerError> {
    let failure = |e: engine::OdpsError| errors::refusal(&engine::Failure::Odps(e));
    let project = world
        .project(name)
        .ok_or_else(|| failure(engine::OdpsError::ProjectNotFound(name.to_string())))?;
    if access::standing(project, actor) == access::Standing::Outsider {
        return Err(failure(engine::OdpsError::NotInProject(
            project.name.clone(),
        )));
    }
    Ok(project)
}

/// Runs a reading statement for its authorization checks (and its answer).
fn read(
    world: &mut World,
    project: &str,
    actor: PrincipalId,
    statement: Statement,
) -> Result<Output, ServerError> {
    let mut session = Session::new(actor, project);
    engine::execute(world, &mut session, &statement).map_err(|f| errors::refusal(&f))
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
fn member(world: &World, project: &Project, user: &str) -> Result<PrincipalId, ServerError> {
    project
        .members()
        .find(|id| {
            id.to_string().eq_ignore_ascii_case(user)
                || names::display(world, *id).eq_ignore_ascii_case(user)
        })
        .ok_or_else(|| {
            errors::refusal(&engine::Failure::Odps(engine::OdpsError::NotMember {
                user: user.to_string(),
                project: project.name.clone(),
            }))
        })
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
            Ok(Reply::with_status(
                200,
                "application/json",
                crate::render::visible::json_safe_owned(body.to_string()),
            ))
        }
        Route::LogviewHost => Ok(Reply::with_status(200, "text/plain", LOGVIEW_HOST.into())),
        Route::Project { project } => {
            Ok(project_xml(world, visible_project(world, project, actor)?))
        }
        Route::SecurityConfiguration { project } => {
            let p = visible_project(world, project, actor)?;
            Ok(Reply::xml(security_configuration_xml(&p.security.flags)))
        }
        Route::Users { project } => {
            read(world, project, actor, Statement::ListUsers)?;
            let p = visible_project(world, project, actor)?;
            Ok(Reply::xml(xml::users(&members(world, p, None))))
        }
        Route::User {
            project,
            user,
            roles,
        } => {
            read(world, project, actor, Statement::ListUsers)?;
            let p = visible_project(world, project, actor)?;
            let id = member(world, p, user)?;
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
        Route::Roles { project } => match read(world, project, actor, Statement::ListRoles)? {
            Output::Roles(names) => Ok(Reply::xml(xml::roles(&names))),
            _ => Ok(Reply::xml(xml::roles(&[]))),
        },
        Route::Role {
            project,
            role,
            users,
        } => {
            let name = RoleName::new(role);
            read(world, project, actor, Statement::DescribeRole(name.clone()))?;
            let p = visible_project(world, project, actor)?;
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
        // Security queries are answered by the handler.
        Route::SecurityQuery { .. } | Route::QueryStatus { .. } => Err(ServerError::Internal(
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
        let world = World::default_world();
        let owner = PrincipalId::Account(world.home);
        assert!(visible_project(&world, "maxcompute", owner).is_ok());
        let stranger = PrincipalId::RamUser(crate::world::Uid(1));
        let e = visible_project(&world, "MaxCompute", stranger).unwrap_err();
        assert_eq!((e.status(), e.code()), (403, "NoPermission"));
        let e = visible_project(&world, "nope", owner).unwrap_err();
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
