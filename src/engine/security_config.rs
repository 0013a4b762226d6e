//! Project security settings: `set <flag>=true|false`, `show SecurityConfiguration`, trusted
//! projects and account providers. The owner or a `super_administrator` sets flags and trusted
//! projects (an `admin` may only look); `ProjectProtection` is the owner's alone (permission
//! matrix row 7, which also needs the main account's AccessKey enabled); account providers are
//! the owner's alone.

use crate::syntax::SettingStatement;
use crate::vocabulary::{AccountProvider, SecurityFlag};
use crate::world::security::SecurityError;
use crate::world::{PrincipalId, World};

use super::access::{require_manager, require_member, require_security_admin};
use super::error::{ObjectError, OdpsError};
use super::matrix::{self, ROW_PROJECT_PROTECTION};
use super::project_statements::current;
use super::{Failure, Outcome, Output, Session};

const OWNER_ONLY_PROVIDERS: &str = "manage account providers";

fn boolean(key: &str, value: &str) -> Result<bool, ObjectError> {
    if value.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if value.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(ObjectError::NotBoolean(key.to_string()))
    }
}

/// `set <key>=<value>`: a security flag changes the project; any other key is a session
/// setting, which odpsh accepts and does not keep (as odpscmd keeps it in the client).
pub fn set(world: &mut World, session: &Session, key: &str, value: Option<&str>) -> Outcome {
    let Some(value) = value else {
        return Err(OdpsError::from(ObjectError::BadCommand).into());
    };
    let Some(flag) = SecurityFlag::named(key) else {
        return Ok(Output::SetOk);
    };
    if flag == SecurityFlag::ExternalResourceAccessControl {
        return Err(OdpsError::from(ObjectError::NotSimulated(flag.as_str())).into());
    }
    let on = boolean(key, value).map_err(OdpsError::from)?;
    let project = current(world, session)?;
    if flag == SecurityFlag::ProjectProtection {
        require_protection_setter(world, session)?;
    } else {
        require_security_admin(world, project, session.caller(), "SetSecurityConfiguration")?;
    }
    if let Some(p) = world.project_mut(&session.project) {
        p.security.flags.set(flag, on);
        if flag == SecurityFlag::ProjectProtection {
            // Each setting of protection replaces the exception policy it was set with.
            p.outflow.exception = None;
        }
    }
    Ok(Output::SetOk)
}

/// The checks `set ProjectProtection=…` passes: membership, then permission matrix row 7.
fn require_protection_setter(world: &World, session: &Session) -> Result<(), Failure> {
    let project = current(world, session)?;
    require_member(project, session.actor)?;
    matrix::check_row(
        world,
        ROW_PROJECT_PROTECTION,
        project.owner,
        Some(project),
        session.actor,
    )
    .map_err(|denial| Failure::Matrix {
        denial,
        request_id: None,
    })
}

/// `set ProjectProtection=true with exception <file>`: protection on, with the exception
/// policy the file holds (a project policy document: Principal, Action, Resource, Condition).
pub fn protect_with_exception(
    world: &mut World,
    session: &Session,
    file: &str,
    document: Option<&str>,
    read_error: Option<&str>,
) -> Outcome {
    if let Some(reason) = read_error {
        return Err(OdpsError::PolicyFile {
            file: file.to_string(),
            reason: reason.to_string(),
        }
        .into());
    }
    require_protection_setter(world, session)?;
    let text = document.unwrap_or_default();
    let policy = super::policy_document::parse(text, super::policy_document::Holder::Project)
        .map_err(OdpsError::PolicyFormat)?;
    if let Some(p) = world.project_mut(&session.project) {
        p.security.flags.set(SecurityFlag::ProjectProtection, true);
        p.outflow.exception = Some(policy);
    }
    Ok(Output::SetOk)
}

pub fn show_security(world: &World, session: &Session) -> Outcome {
    let project = current(world, session)?;
    require_manager(world, project, session.caller(), "GetSecurityConfiguration")?;
    let flags = project.security.flags;
    let mut shown: Vec<(&'static str, bool)> = SecurityFlag::EVERY
        .iter()
        .map(|f| (f.as_str(), flags.get(*f)))
        .collect();
    shown.push((
        "EnableDownloadPrivilege",
        project.outflow.download_privilege,
    ));
    let exception = project
        .outflow
        .exception
        .as_ref()
        .map(|doc| super::policy_document::to_json(doc).to_string());
    Ok(Output::SecurityConfiguration {
        flags: shown,
        exception,
    })
}

pub fn list_trusted(world: &World, session: &Session) -> Outcome {
    let project = current(world, session)?;
    require_manager(world, project, session.caller(), "ListTrustedProjects")?;
    let names = project
        .security
        .trusted_projects()
        .map(|p| {
            world
                .project(p)
                .map_or_else(|| p.to_string(), |q| q.name.clone())
        })
        .collect();
    Ok(Output::Lines(names))
}

fn trusted_error(e: SecurityError, trusted: &str, project: &str) -> ObjectError {
    let (trusted, project) = (trusted.to_string(), project.to_string());
    match e {
        SecurityError::AlreadyTrusted => ObjectError::AlreadyTrusted { trusted, project },
        _ => ObjectError::NotTrusted { trusted, project },
    }
}

pub fn add_trusted(world: &mut World, session: &Session, name: &str) -> Outcome {
    let project = current(world, session)?;
    require_security_admin(world, project, session.caller(), "AddTrustedProject")?;
    let trusted = world
        .project(name)
        .ok_or_else(|| OdpsError::ProjectNotFound(name.to_string()))?;
    if trusted.name == project.name {
        return Err(OdpsError::from(ObjectError::TrustSelf(project.name.clone())).into());
    }
    let trusted = trusted.name.clone();
    if let Some(p) = world.project_mut(&session.project) {
        let project_name = p.name.clone();
        p.security
            .add_trusted(&trusted)
            .map_err(|e| OdpsError::from(trusted_error(e, &trusted, &project_name)))?;
    }
    Ok(Output::Done)
}

pub fn remove_trusted(world: &mut World, session: &Session, name: &str) -> Outcome {
    require_security_admin(
        world,
        current(world, session)?,
        session.caller(),
        "RemoveTrustedProject",
    )?;
    if let Some(p) = world.project_mut(&session.project) {
        let project_name = p.name.clone();
        p.security
            .remove_trusted(name)
            .map_err(|e| OdpsError::from(trusted_error(e, name, &project_name)))?;
    }
    Ok(Output::Done)
}

fn require_owner(world: &World, session: &Session) -> Result<(), OdpsError> {
    let project = current(world, session)?;
    require_member(project, session.actor)?;
    if session.actor != PrincipalId::Account(project.owner) {
        return Err(OdpsError::OwnerOnly(OWNER_ONLY_PROVIDERS));
    }
    Ok(())
}

pub fn list_providers(world: &World, session: &Session) -> Outcome {
    require_owner(world, session)?;
    let project = current(world, session)?;
    Ok(Output::Providers(
        project
            .security
            .providers()
            .map(AccountProvider::as_str)
            .collect(),
    ))
}

pub fn change_provider(
    world: &mut World,
    session: &Session,
    name: AccountProvider,
    add: bool,
) -> Outcome {
    require_owner(world, session)?;
    let provider = name;
    if let Some(p) = world.project_mut(&session.project) {
        let project = p.name.clone();
        let done = if add {
            p.security.add_provider(provider)
        } else {
            p.security.remove_provider(provider)
        };
        done.map_err(|e| {
            let provider = provider.as_str();
            OdpsError::from(match e {
                SecurityError::ProviderPresent => {
                    ObjectError::ProviderPresent { provider, project }
                }
                SecurityError::ProviderRequired => ObjectError::ProviderRequired(project),
                _ => ObjectError::ProviderAbsent { provider, project },
            })
        })?;
    }
    Ok(Output::Done)
}

/// The security settings family.
pub fn execute(world: &mut World, session: &Session, s: &SettingStatement) -> Outcome {
    match s {
        SettingStatement::Set { key, value } => set(world, session, key, value.as_deref()),
        SettingStatement::ProtectWithException {
            file,
            document,
            read_error,
        } => protect_with_exception(
            world,
            session,
            file,
            document.as_deref(),
            read_error.as_deref(),
        ),
        SettingStatement::ShowSecurityConfiguration => show_security(world, session),
        SettingStatement::ListTrustedProjects => list_trusted(world, session),
        SettingStatement::AddTrustedProject(p) => add_trusted(world, session, p),
        SettingStatement::RemoveTrustedProject(p) => remove_trusted(world, session, p),
        SettingStatement::ListAccountProviders => list_providers(world, session),
        SettingStatement::AddAccountProvider(p) => change_provider(world, session, *p, true),
        SettingStatement::RemoveAccountProvider(p) => change_provider(world, session, *p, false),
    }
}
