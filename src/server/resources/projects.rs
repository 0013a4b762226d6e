//! The project resources: `/projects` (the projects the caller may use), `/projects/<p>` with
//! its properties as `setproject;` shows them, `?extended`, and the security configuration.

use crate::engine::{self, Output, names};
use crate::syntax::Statement;
use crate::world::security::SecurityFlags;
use crate::world::{PrincipalId, Project, World};

use super::super::errors::ServerError;
use super::super::handler::Reply;
use super::super::listing::Listing;
use super::super::xml::Doc;
use super::{enter, http_date, visible_header};

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

/// `key=value` lines of `setproject;` as (key, value).
fn properties(output: Option<&Output>) -> Vec<(&str, &str)> {
    match output {
        Some(Output::Lines(lines)) => lines
            .iter()
            .map(|line| line.split_once('=').unwrap_or((line.as_str(), "")))
            .collect(),
        _ => Vec::new(),
    }
}

/// One `<Project>` element: what the service lists and answers for a project.
fn project_element(doc: &mut Doc, world: &World, project: &Project, props: &[(&str, &str)]) {
    let owner = names::display(world, PrincipalId::Account(project.owner));
    let date = http_date(world.clock.now);
    doc.open("Project")
        .leaf("Name", &project.name)
        .leaf("Type", "managed")
        .leaf("Comment", "")
        .leaf("State", "AVAILABLE")
        .leaf("Owner", &owner)
        .leaf("CreationTime", &date)
        .leaf("LastModifiedTime", &date)
        .open("Properties");
    for (name, value) in props {
        doc.open("Property")
            .leaf("Name", name)
            .leaf("Value", value)
            .close("Property");
    }
    doc.close("Properties").close("Project");
}

/// GET `/projects/<p>`: the project, its properties those of `setproject;` (`output`).
pub fn project(world: &World, project: &Project, output: Option<&Output>) -> Reply {
    let owner = names::display(world, PrincipalId::Account(project.owner));
    let date = http_date(world.clock.now);
    let mut doc = Doc::new();
    project_element(&mut doc, world, project, &properties(output));
    let mut reply = Reply::xml(doc.finish());
    reply.headers = vec![
        ("x-odps-owner", visible_header(&owner)),
        ("x-odps-creation-time", date.clone()),
        ("last-modified", date),
    ];
    reply
}

/// GET `/projects/<p>?extended`: the extended form. odpsh simulates no extended property (the
/// service's are storage and billing figures), so the list is empty.
pub fn extended(project: &Project) -> Reply {
    let mut doc = Doc::new();
    doc.open("Project")
        .leaf("Name", &project.name)
        .open("ExtendedProperties")
        .close("ExtendedProperties")
        .close("Project");
    Reply::xml(doc.finish())
}

/// Whether `user` (a display name) is the owner or a member of the project.
fn has_user(world: &World, project: &Project, user: &str) -> bool {
    let owner = PrincipalId::Account(project.owner);
    std::iter::once(owner)
        .chain(project.members())
        .any(|id| names::display(world, id).eq_ignore_ascii_case(user))
}

/// GET `/projects`: the projects the caller may use (`use <p>` succeeds), filtered and paged,
/// each with its properties as `setproject;` shows them there.
pub fn list(
    world: &mut World,
    actor: PrincipalId,
    peer: std::net::IpAddr,
    listing: &Listing,
) -> Result<Reply, ServerError> {
    let keys: Vec<String> = world.projects.keys().cloned().collect();
    let mut usable = Vec::new();
    for key in keys {
        let Ok(mut session) = enter(world, &key, actor, peer) else {
            continue;
        };
        let shown = engine::execute(
            world,
            &mut session,
            &Statement::Project(crate::syntax::ProjectStatement::SetProject(None)),
        )
        .ok();
        usable.push((key, shown));
    }
    let world: &World = world;
    let mut keyed = Vec::new();
    for (key, shown) in usable {
        let Some(p) = world.project(&key) else {
            continue;
        };
        let owner = names::display(world, PrincipalId::Account(p.owner));
        let user = listing
            .user
            .as_deref()
            .is_none_or(|u| has_user(world, p, u));
        if listing.admits(&p.name, &owner) && user {
            keyed.push((key, (p, shown)));
        }
    }
    let (page, marker) = listing.page(keyed);
    let mut doc = Doc::new();
    doc.open("Projects");
    for (p, shown) in page {
        project_element(&mut doc, world, p, &properties(shown.as_ref()));
    }
    doc.leaf("Marker", &marker)
        .leaf("MaxItems", &listing.page_size().to_string())
        .close("Projects");
    Ok(Reply::xml(doc.finish()))
}

/// GET `/projects/<p>?security_configuration`.
pub fn security_configuration(flags: &SecurityFlags) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_security_configuration_has_what_the_clients_read() {
        let body = security_configuration(&SecurityFlags::default());
        for needle in [
            "<CheckPermissionUsingAcl>true</CheckPermissionUsingAcl>",
            "<ProjectProtection Protected=\"false\"></ProjectProtection>",
            "<EnableExternalResourceAccessControl CheckExternalResourcePermissionEnable=\"false\">",
        ] {
            assert!(body.contains(needle), "{needle} in {body}");
        }
    }

    #[test]
    fn the_project_carries_its_owner_and_properties() {
        let world = World::default_world();
        let p = world.project("MaxCompute").unwrap();
        let output = Output::Lines(vec!["odps.sql.allow.fullscan=false".into()]);
        let reply = project(&world, p, Some(&output));
        assert!(reply.body.contains("<Owner>ALIYUN$MainCount</Owner>"));
        assert!(reply.body.contains(
            "<Properties><Property><Name>odps.sql.allow.fullscan</Name><Value>false</Value></Property></Properties>"
        ), "{}", reply.body);
        assert!(
            reply
                .headers
                .iter()
                .any(|(k, v)| *k == "x-odps-owner" && v == "ALIYUN$MainCount")
        );
        assert!(extended(p).body.ends_with(
            "<Project><Name>MaxCompute</Name><ExtendedProperties></ExtendedProperties></Project>"
        ));
    }
}
