//! Project-level settings the CLI reaches: `setproject` properties, and the project statements
//! the permission matrix refuses from the CLI.

use crate::syntax::ProjectStatement;
use crate::world::World;

use super::error::OdpsError;
use super::matrix::{
    self, PYTHON_UDF_PROPERTY, ROW_CREATE_PROJECT_CLI, ROW_FULL_TABLE_SCAN, ROW_IP_WHITELIST,
    ROW_PYTHON_UDF,
};
use super::names::account_of;
use super::{Failure, Outcome, Output, Session};

pub const FULL_SCAN: &str = "odps.sql.allow.fullscan";
pub const IP_WHITELIST: &str = "odps.security.ip.whitelist";
pub const VPC_WHITELIST: &str = "odps.security.vpc.whitelist";
pub const DOWNLOAD_PRIVILEGE: &str = "odps.security.enabledownloadprivilege";

/// The properties odpsh simulates, their defaults, and the matrix row that governs each (none:
/// the owner or a `super_administrator` sets it). `odps.python.udf.enabled` is listed but only
/// a support ticket sets it. Download control is kept with the project's outflow controls.
const PROPERTIES: [(&str, &str, Option<u8>); 5] = [
    (FULL_SCAN, "false", Some(ROW_FULL_TABLE_SCAN)),
    (IP_WHITELIST, "", Some(ROW_IP_WHITELIST)),
    (VPC_WHITELIST, "", Some(ROW_IP_WHITELIST)),
    (DOWNLOAD_PRIVILEGE, "false", None),
    (PYTHON_UDF_PROPERTY, "false", Some(ROW_PYTHON_UDF)),
];

/// The property `key` odpsh simulates and its default (`odpsh import` keeps only values that
/// differ from it).
pub fn property_default(key: &str) -> Option<&'static str> {
    PROPERTIES
        .iter()
        .find(|(k, _, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, default, _)| *default)
}

fn denied(denial: matrix::Denial) -> Failure {
    Failure::Matrix {
        denial,
        request_id: None,
    }
}

/// `create project` and `drop project`: never from the CLI.
pub fn create_or_drop_project(world: &World, session: &Session) -> Outcome {
    let account = account_of(world, session.actor).unwrap_or(world.home);
    let project = world.project(&session.project);
    matrix::check_row(
        world,
        ROW_CREATE_PROJECT_CLI,
        account,
        project,
        session.actor,
    )
    .map_err(denied)?;
    Ok(Output::Done)
}

/// A VPC whitelist: comma-separated `<RegionID>_<VPCID>` entries, each with an optional
/// `[<addresses>]`; empty clears it.
fn valid_vpc_whitelist(value: &str) -> bool {
    value.is_empty()
        || value.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '[' | ']' | '.' | '/' | ',' | '*')
        }) && value.split(',').all(|item| !item.trim().is_empty())
}

/// A whitelist: comma-separated IPv4 addresses, CIDR blocks or ranges; empty clears it.
fn valid_whitelist(value: &str) -> bool {
    value.is_empty()
        || value.split(',').all(|item| {
            let item = item.trim();
            !item.is_empty()
                && item
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | '/' | '-' | '*'))
        })
}

pub fn set_project(
    world: &mut World,
    session: &Session,
    setting: Option<&(String, String)>,
) -> Outcome {
    let project = world
        .project(&session.project)
        .ok_or_else(|| OdpsError::ProjectNotFound(session.project.clone()))?;
    let Some((key, value)) = setting else {
        let lines = PROPERTIES
            .iter()
            .map(|(k, default, _)| {
                let v = if *k == DOWNLOAD_PRIVILEGE {
                    if project.outflow.download_privilege {
                        "true"
                    } else {
                        "false"
                    }
                } else {
                    project.properties.get(*k).map_or(*default, String::as_str)
                };
                format!("{k}={v}")
            })
            .collect();
        return Ok(Output::Lines(lines));
    };
    let (name, _, row) = PROPERTIES
        .iter()
        .find(|(k, _, _)| k.eq_ignore_ascii_case(key))
        .ok_or_else(|| OdpsError::UnknownProperty(key.clone()))?;
    if *name == PYTHON_UDF_PROPERTY {
        return Err(OdpsError::SetByTicket {
            key: name.to_string(),
            project: project.name.clone(),
        }
        .into());
    }
    match row {
        Some(row) => matrix::check_row(world, *row, project.owner, Some(project), session.actor)
            .map_err(denied)?,
        None => super::access::require_security_admin(
            world,
            project,
            session.caller(),
            "SetDownloadPrivilege",
        )?,
    }
    let boolean = value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false");
    if *name == DOWNLOAD_PRIVILEGE && boolean {
        let on = value.eq_ignore_ascii_case("true");
        if let Some(p) = world.project_mut(&session.project) {
            p.outflow.download_privilege = on;
        }
        return Ok(Output::Done);
    }
    let value = match *name {
        FULL_SCAN if value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false") => {
            value.to_ascii_lowercase()
        }
        IP_WHITELIST if valid_whitelist(value) => value.replace(' ', ""),
        VPC_WHITELIST if valid_vpc_whitelist(value) => value.replace(' ', ""),
        _ => {
            return Err(OdpsError::InvalidPropertyValue {
                key: name.to_string(),
                value: value.clone(),
            }
            .into());
        }
    };
    if let Some(p) = world.project_mut(&session.project) {
        p.properties.insert(name.to_string(), value);
    }
    Ok(Output::Done)
}

/// The project family.
pub fn execute(world: &mut World, session: &Session, s: &ProjectStatement) -> Outcome {
    match s {
        ProjectStatement::Create(_) | ProjectStatement::Drop(_) => {
            create_or_drop_project(world, session)
        }
        ProjectStatement::SetProject(setting) => set_project(world, session, setting.as_ref()),
        ProjectStatement::ShowMatrix(None) => Ok(Output::Matrix(
            crate::matrix::MATRIX.iter().map(|r| r.number).collect(),
        )),
        ProjectStatement::ShowMatrix(Some(words)) => Ok(Output::Matrix(
            crate::matrix::matrix_rows_about(words)
                .iter()
                .map(|r| r.number)
                .collect(),
        )),
    }
}
