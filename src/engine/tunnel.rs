//! The tunnel family: `tunnel download` of a table or of an instance's result. A download reads
//! data out of its project, so it passes every check on data that leaves: membership and
//! Select (Read for an instance) in the project the data is in, or a package installed in the
//! current project that passes the action on; label clearance; Download as well while download
//! control is on; and, when the project is protected, its exception policy (`odps:TaskType`
//! `DT`) or a package. The world holds no rows, so a download allowed writes the header and
//! nothing else; the shell writes the file.

use crate::syntax::{DownloadSource, TunnelDownload, TunnelStatement};
use crate::world::acl::Privilege;
use crate::world::clock::iso8601;
use crate::world::objects::{ObjectKey, ObjectKind};
use crate::world::{Project, World};

use super::access::require_member;
use super::authorize::Authority;
use super::error::{Channel, Denied, ObjectError, OdpsError, Refusal};
use super::names::display;
use super::outflow::{
    PackageRoute, TaskType, exception_allows, package_label_refusal, package_route,
};
use super::project_statements::current;
use super::{Download, Outcome, Output, Session};

/// A refusal in the Tunnel service's form.
fn refused(world: &World, session: &Session, refusal: Refusal, tip: Option<String>) -> OdpsError {
    Denied {
        channel: Channel::Tunnel,
        refusal,
        principal: display(world, session.actor),
        tip,
    }
    .into()
}

/// The project a download reads from.
fn source_project<'w>(
    world: &'w World,
    home: &'w Project,
    named: Option<&str>,
) -> Result<&'w Project, OdpsError> {
    match named {
        None => Ok(home),
        Some(name) => world
            .project(name)
            .ok_or_else(|| OdpsError::ProjectNotFound(name.to_string())),
    }
}

/// Every check on `key` of `source` for the caller in `home`, the data going to a local file;
/// the installed package the download goes through, if it does.
fn may_download<'w>(
    world: &World,
    session: &Session,
    home: &Project,
    source: &'w Project,
    key: &ObjectKey,
    read: Privilege,
) -> Result<Option<PackageRoute<'w>>, OdpsError> {
    let caller = session.caller();
    let elsewhere = source.name != home.name;
    let package = elsewhere
        .then(|| package_route(world, home, caller, source, key, read))
        .flatten();
    let authority = Authority::asking(world, source, caller);
    let resource = key.path(&source.name);
    if package.is_none() {
        if elsewhere && !authority.is_member() {
            let refusal = Refusal::NotInProject(source.name.clone());
            return Err(refused(world, session, refusal, None));
        }
        if !authority.may(key, read) {
            return Err(refused(world, session, authority.refusal(key, read), None));
        }
    }
    if source.outflow.download_privilege {
        let through_package = package
            .as_ref()
            .is_some_and(|route| route.package.passes(key, Privilege::Download));
        if !through_package && !authority.may(key, Privilege::Download) {
            let refusal = match authority.refusal(key, Privilege::Download) {
                deny @ Refusal::ExplicitDeny { .. } => deny,
                _ => Refusal::NoDownload {
                    resource: resource.clone(),
                },
            };
            let tip = format!(
                "Download control is on in project {}: a download needs the Download privilege (grant Download on {} {} to user {};).",
                source.name,
                key.kind,
                key.name,
                display(world, session.actor)
            );
            return Err(refused(world, session, refusal, Some(tip)));
        }
    }
    if source.security.flags.project_protection
        && package.is_none()
        && !exception_allows(world, source, caller, key, read, TaskType::Tunnel)
    {
        let refusal = Refusal::Protected {
            action: read.as_str(),
            resource,
            project: source.name.clone(),
        };
        let tip = format!(
            "Project {} is protected: a download leaves it, so only its exception policy (set ProjectProtection=true with exception <policy file>; with \"odps:TaskType\" \"DT\") lets it through.",
            source.name
        );
        return Err(refused(world, session, refusal, Some(tip)));
    }
    Ok(package)
}

/// A download session id: the time, then a token from the request id.
fn session_id(world: &World, session: &mut Session) -> String {
    let stamp: String = iso8601(world.clock.now)
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let token: String = session
        .next_request_id(world)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect();
    format!("{stamp}{}", token.to_ascii_lowercase())
}

fn download(world: &World, session: &mut Session, d: &TunnelDownload) -> Outcome {
    let home = current(world, session)?;
    require_member(home, session.actor)?;
    let contents = match &d.source {
        DownloadSource::Table(table) => {
            let source = source_project(world, home, table.project.as_deref())?;
            let found = source.objects().table(&table.table).ok_or_else(|| {
                OdpsError::from(ObjectError::TableNotFound {
                    project: source.name.clone(),
                    table: table.table.clone(),
                })
            })?;
            let key = ObjectKey::table(&found.name);
            let package = may_download(world, session, home, source, &key, Privilege::Select)?;
            let columns: Vec<String> = found.columns.iter().map(|c| c.name.clone()).collect();
            let label = match &package {
                Some(route) => package_label_refusal(route, source, &found.name, &columns),
                None => super::labels::read_refusal(
                    source,
                    session.actor,
                    &found.name,
                    &columns,
                    world.clock.now,
                ),
            };
            if let Some(refusal) = label {
                return Err(refused(world, session, refusal, None).into());
            }
            if d.header {
                format!("{}\n", columns.join(&d.delimiter))
            } else {
                String::new()
            }
        }
        DownloadSource::Instance { project, id } => {
            let source = source_project(world, home, project.as_deref())?;
            let found = source
                .objects()
                .instance(id)
                .ok_or_else(|| OdpsError::from(ObjectError::InstanceNotFound(id.clone())))?;
            let key = ObjectKey::new(ObjectKind::Instance, &found.id);
            may_download(world, session, home, source, &key, Privilege::Read)?;
            String::new()
        }
    };
    Ok(Output::Download(Download {
        file: d.file.clone(),
        contents,
        session: session_id(world, session),
        records: 0,
    }))
}

/// The tunnel family.
pub fn execute(world: &World, session: &mut Session, s: &TunnelStatement) -> Outcome {
    match s {
        TunnelStatement::Download(d) => download(world, session, d),
    }
}
