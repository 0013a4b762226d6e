//! PUT `/projects/<p>?security_configuration` (PyODPS `security_options.update()`, odpscmd's
//! `set <flag>=…`): the body is the whole `<SecurityConfiguration>` as the client read and
//! changed it, and odpsh applies it as the shell's `set <flag>=<value>` statements, through the
//! engine, with the shell's rules and refusals. Each simulated flag in the body is one `set`
//! (the others are not security flags for the shell either, and are left alone), except that an
//! unchanged `ProjectProtection` or `EnableExternalResourceAccessControl` beside other flags is
//! left out: the clients send the whole configuration back, and a super administrator, who may
//! set the other flags, may send back the protection only the owner may change, as anyone may
//! send back the external resource access control odpsh does not simulate. The update is all or
//! nothing.

use crate::engine::{self, Session};
use crate::syntax::{SecurityFlag, Statement};
use crate::world::World;

use super::errors::{self, ServerError};
use super::xml_tree::{self, Element};

/// The root element of the body.
const ROOT: &str = "SecurityConfiguration";

/// The flags a `<SecurityConfiguration>` body sets, in the order their statements run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityUpdate {
    flags: Vec<(SecurityFlag, String)>,
}

/// The value of a flag's element: its text, or for the two elements that carry it in an
/// attribute, the attribute (with the exception policy odpsh does not simulate).
fn value(flag: SecurityFlag, element: &Element) -> Option<String> {
    match flag {
        SecurityFlag::ProjectProtection => {
            let protected = element.attribute("Protected")?.trim();
            Some(match element.child("Exceptions").map(|e| e.text.trim()) {
                Some(policy) if !policy.is_empty() => {
                    format!("{protected} with exception {policy}")
                }
                _ => protected.to_string(),
            })
        }
        SecurityFlag::ExternalResourceAccessControl => element
            .attribute("CheckExternalResourcePermissionEnable")
            .map(|v| v.trim().to_string()),
        _ => Some(element.text.trim().to_string()),
    }
}

/// The flag an element of the body sets.
fn flag_of(name: &str) -> Option<SecurityFlag> {
    match name {
        "EnableExternalResourceAccessControl" => Some(SecurityFlag::ExternalResourceAccessControl),
        "ExternalResourceAccessControl" => None,
        other => SecurityFlag::named(other).filter(|f| f.as_str() == other),
    }
}

fn order(flag: SecurityFlag) -> usize {
    match flag {
        // Last: the owner's alone, and left out when unchanged.
        SecurityFlag::ProjectProtection => SecurityFlag::EVERY.len(),
        other => SecurityFlag::EVERY
            .iter()
            .position(|f| *f == other)
            .unwrap_or_default(),
    }
}

fn set(flag: SecurityFlag, value: &str) -> Statement {
    Statement::Settings(crate::syntax::SettingStatement::Set {
        key: flag.as_str().to_string(),
        value: Some(value.to_string()),
    })
}

impl SecurityUpdate {
    /// Reads the body a client PUTs.
    pub fn read(body: &[u8]) -> Result<Self, ServerError> {
        let malformed = ServerError::MalformedSecurityConfiguration;
        let root = xml_tree::parse(body, ROOT).map_err(malformed)?;
        let mut flags: Vec<(SecurityFlag, String)> = Vec::new();
        for element in &root.children {
            let Some(flag) = flag_of(&element.name) else {
                continue;
            };
            if flags.iter().any(|(f, _)| *f == flag) {
                return Err(malformed(format!(
                    "more than one <{}> element",
                    element.name
                )));
            }
            if let Some(v) = value(flag, element) {
                flags.push((flag, v));
            }
        }
        if flags.is_empty() {
            return Err(malformed(
                "it sets no security flag (CheckPermissionUsingAcl, CheckPermissionUsingPolicy, ObjectCreatorHasAccessPermission, ObjectCreatorHasGrantPermission, LabelSecurity, ProjectProtection)".into(),
            ));
        }
        flags.sort_by_key(|(f, _)| order(*f));
        Ok(SecurityUpdate { flags })
    }

    /// The `set` statements the update runs, for a project whose protection is `protected`.
    pub fn statements(&self, protected: bool) -> Vec<Statement> {
        // The flags `set` may refuse on their own: left out when they are sent back unchanged
        // beside others (odpsh reports external resource access control off, as it is).
        let unchanged = |flag: SecurityFlag, value: &str| {
            let now = match flag {
                SecurityFlag::ProjectProtection => protected,
                SecurityFlag::ExternalResourceAccessControl => false,
                _ => return false,
            };
            value.eq_ignore_ascii_case(if now { "true" } else { "false" })
        };
        let kept: Vec<&(SecurityFlag, String)> = self
            .flags
            .iter()
            .filter(|(flag, value)| !unchanged(*flag, value))
            .collect();
        let chosen = if kept.is_empty() {
            self.flags.iter().collect()
        } else {
            kept
        };
        chosen
            .into_iter()
            .map(|(flag, value)| set(*flag, value))
            .collect()
    }
}

/// Applies an update in the session's project (entered already): every statement, or, at the
/// first refusal, none. True when a flag changed.
pub fn apply(
    world: &mut World,
    session: &mut Session,
    update: &SecurityUpdate,
) -> Result<bool, ServerError> {
    let before = world
        .project(&session.project)
        .map(|p| p.security.flags)
        .ok_or_else(|| {
            errors::refusal(&engine::Failure::Odps(engine::OdpsError::ProjectNotFound(
                session.project.clone(),
            )))
        })?;
    for statement in update.statements(before.project_protection) {
        if let Err(failure) = engine::execute(world, session, &statement) {
            if let Some(p) = world.project_mut(&session.project) {
                p.security.flags = before;
            }
            return Err(errors::refusal(&failure));
        }
    }
    let after = world.project(&session.project).map(|p| p.security.flags);
    Ok(after != Some(before))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::{PrincipalId, Uid};

    /// What PyODPS 0.13.2 PUTs after `label_security = True` on a default project.
    pub const PYODPS_BODY: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<SecurityConfiguration>\n  <CheckPermissionUsingAcl>true</CheckPermissionUsingAcl>\n  <CheckPermissionUsingPolicy>true</CheckPermissionUsingPolicy>\n  <LabelSecurity>true</LabelSecurity>\n  <ObjectCreatorHasAccessPermission>true</ObjectCreatorHasAccessPermission>\n  <ObjectCreatorHasGrantPermission>true</ObjectCreatorHasGrantPermission>\n  <ProjectProtection Protected=\"false\"/>\n  <CheckPermissionUsingAclV2>true</CheckPermissionUsingAclV2>\n  <SupportACL>true</SupportACL>\n  <SupportPolicy>true</SupportPolicy>\n  <SupportPackage>true</SupportPackage>\n  <SupportACLV2>true</SupportACLV2>\n  <SupportPackageV2>true</SupportPackageV2>\n  <CheckPermissionUsingPackage>true</CheckPermissionUsingPackage>\n</SecurityConfiguration>\n";

    fn texts(statements: &[Statement]) -> Vec<String> {
        statements.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_body_is_the_set_statements_of_its_flags() {
        let update = SecurityUpdate::read(PYODPS_BODY.as_bytes()).unwrap();
        let expected = [
            "set CheckPermissionUsingAcl=true",
            "set CheckPermissionUsingPolicy=true",
            "set ObjectCreatorHasAccessPermission=true",
            "set ObjectCreatorHasGrantPermission=true",
            "set LabelSecurity=true",
        ];
        assert_eq!(texts(&update.statements(false)), expected);
        // A protection that changes is set, last.
        let mut changed = texts(&update.statements(true));
        assert_eq!(
            changed.pop().as_deref(),
            Some("set ProjectProtection=false")
        );
        let only = SecurityUpdate::read(
            b"<SecurityConfiguration><ProjectProtection Protected=\"true\"><Exceptions>{}</Exceptions></ProjectProtection><EnableExternalResourceAccessControl CheckExternalResourcePermissionEnable=\"true\"/></SecurityConfiguration>",
        )
        .unwrap();
        assert_eq!(
            texts(&only.statements(true)),
            [
                "set ExternalResourceAccessControl=true",
                "set ProjectProtection=true with exception {}"
            ]
        );
        // What odpscmd and the Java SDK send back: external resource access control off.
        let java = SecurityUpdate::read(
            b"<SecurityConfiguration><LabelSecurity>true</LabelSecurity><ProjectProtection Protected=\"false\"/><EnableExternalResourceAccessControl CheckExternalResourcePermissionEnable=\"false\"><Locations></Locations></EnableExternalResourceAccessControl></SecurityConfiguration>",
        )
        .unwrap();
        assert_eq!(texts(&java.statements(false)), ["set LabelSecurity=true"]);
        // Sent alone, unchanged, a flag is still decided by its `set`.
        let alone = SecurityUpdate::read(
            b"<SecurityConfiguration><ProjectProtection Protected=\"false\"/></SecurityConfiguration>",
        )
        .unwrap();
        assert_eq!(
            texts(&alone.statements(false)),
            ["set ProjectProtection=false"]
        );
    }

    #[test]
    fn unreadable_bodies_are_refused_with_a_reason() {
        for (body, message) in [
            (
                "<Other/>",
                "the root element is <Other>, not <SecurityConfiguration>",
            ),
            (
                "<SecurityConfiguration><SupportACL>true</SupportACL></SecurityConfiguration>",
                "it sets no security flag (CheckPermissionUsingAcl, CheckPermissionUsingPolicy, ObjectCreatorHasAccessPermission, ObjectCreatorHasGrantPermission, LabelSecurity, ProjectProtection)",
            ),
            (
                "<SecurityConfiguration><LabelSecurity>true</LabelSecurity><LabelSecurity>false</LabelSecurity></SecurityConfiguration>",
                "more than one <LabelSecurity> element",
            ),
        ] {
            assert_eq!(
                SecurityUpdate::read(body.as_bytes()),
                Err(ServerError::MalformedSecurityConfiguration(message.into())),
                "{body}"
            );
        }
    }

    #[test]
    fn an_update_runs_whole_or_not_at_all() {
        let mut world = World::default_world();
        let owner = PrincipalId::Account(world.home);
        let mut session = Session::new(owner, "MaxCompute");
        let update = SecurityUpdate::read(PYODPS_BODY.as_bytes()).unwrap();
        assert_eq!(apply(&mut world, &mut session, &update), Ok(true));
        assert_eq!(apply(&mut world, &mut session, &update), Ok(false));
        let flags = |w: &World| w.project("MaxCompute").unwrap().security.flags;
        assert!(flags(&world).label_security);
        // A value that is not boolean is refused as `set` refuses it, and nothing changes.
        let bad = SecurityUpdate::read(
            b"<SecurityConfiguration><LabelSecurity>false</LabelSecurity><ObjectCreatorHasGrantPermission>yes</ObjectCreatorHasGrantPermission></SecurityConfiguration>",
        )
        .unwrap();
        let e = apply(&mut world, &mut session, &bad).unwrap_err();
        let shell = engine::execute(
            &mut world.clone(),
            &mut session.clone(),
            &set(SecurityFlag::ObjectCreatorHasGrantPermission, "yes"),
        )
        .unwrap_err();
        assert_eq!(e, errors::refusal(&shell));
        assert!(flags(&world).label_security);
        // A stranger is refused as the shell refuses it.
        let mut stranger = Session::new(PrincipalId::RamUser(Uid(1)), "MaxCompute");
        assert!(apply(&mut world, &mut stranger, &update).is_err());
    }
}
