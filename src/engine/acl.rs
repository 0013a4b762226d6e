//! ACL grants: `grant <privileges> on <object> to user|role …`, the matching `revoke`, and
//! `clear expired grants`. Grants name existing objects of the current project; a user grantee
//! must be a member (a revoke may also name a removed user, whose grants stay); a role grantee
//! must exist. Who may grant: the owner, `super_administrator` and `admin` holders, an object's
//! creator while `ObjectCreatorHasGrantPermission` is on, and on tables the holders of
//! `role_project_admin` or `role_project_dev` (permission matrix row 24).

use crate::syntax::AclStatement;
use crate::syntax::{AclChange, Subject};
use crate::vocabulary::Privilege;
use crate::world::acl::Grantee;
use crate::world::objects::ObjectKind;
use crate::world::{Project, ProjectError, World};

use super::access::{require_manager, require_member};
use super::authorize::{Authority, refuse};
use super::error::{Channel, ObjectError, OdpsError, Refusal};
use super::grants_view::existing_object;
use super::matrix::ROW_TABLE_ACL;
use super::project_statements::{current, grantee};
use super::{Outcome, Output, Session};

const SECONDS_PER_DAY: u64 = 86_400;

/// The expiry a grant's properties ask for: `"expires"="<days>"` from now.
fn expiry(
    properties: &[(String, String)],
    now: u64,
    grant: bool,
) -> Result<Option<u64>, ObjectError> {
    let mut expires = None;
    for (key, value) in properties {
        if !grant || !key.eq_ignore_ascii_case("expires") {
            return Err(ObjectError::UnsupportedProperty(key.clone()));
        }
        let days: u64 = value
            .trim()
            .parse()
            .map_err(|_| ObjectError::InvalidExpires(value.clone()))?;
        let seconds = days
            .checked_mul(SECONDS_PER_DAY)
            .and_then(|s| s.checked_add(now))
            .ok_or_else(|| ObjectError::InvalidExpires(value.clone()))?;
        expires = Some(seconds);
    }
    Ok(expires)
}

/// The grantee a change names, checked: a role must exist; a user must be a member (or the
/// owner) to be granted anything.
fn subject(
    world: &World,
    session: &Session,
    project: &Project,
    subject: &Subject,
    grant: bool,
) -> Result<Grantee, OdpsError> {
    match subject {
        Subject::Role(r) => {
            if !project.has_role(r.as_str()) {
                return Err(OdpsError::NoSuchRole(r.to_string()));
            }
            Ok(Grantee::Role(r.as_str().to_string()))
        }
        Subject::User(name) => {
            let id = grantee(world, session, name)?;
            if grant && !project.is_member(id) && !project.is_owner(id) {
                return Err(OdpsError::NotMember {
                    user: super::names::display(world, id),
                    project: project.name.clone(),
                });
            }
            Ok(Grantee::User(id))
        }
    }
}

fn change(world: &mut World, session: &Session, change: &AclChange, grant: bool) -> Outcome {
    let project = current(world, session)?;
    require_member(project, session.actor)?;
    let kind = change.object.kind;
    let key = existing_object(project, kind, &change.object.name)?;
    if let Some(t) = project
        .objects()
        .table(&key.name)
        .filter(|_| kind == ObjectKind::Table)
        && let Some(missing) = change.object.columns.iter().find(|c| !t.has_column(c))
    {
        return Err(OdpsError::from(ObjectError::ColumnNotFound {
            project: project.name.clone(),
            table: t.name.clone(),
            column: missing.clone(),
        })
        .into());
    }
    if !Authority::asking(world, project, session.caller()).may_grant(&key) {
        let refusal = Refusal::NoPrivilege {
            action: if grant { "Grant" } else { "Revoke" },
            resource: key.path(&project.name),
            columns: Vec::new(),
        };
        let row = (kind == ObjectKind::Table).then_some(ROW_TABLE_ACL);
        return Err(refuse(world, session.actor, Channel::Rest, refusal, row).into());
    }
    if let Subject::Role(r) = &change.subject
        && project.policies.is_admin_role(r.as_str())
        && let Some(first) = change.privileges.first()
    {
        // An admin role takes management actions, by policy only.
        let action = format!("invalid Action value - odps:{}", first.as_str());
        return Err(OdpsError::PolicyFormat(action).into());
    }
    let expires = expiry(&change.properties, world.clock.now, grant).map_err(OdpsError::from)?;
    let who = subject(world, session, project, &change.subject, grant)?;
    let actions: Vec<Privilege> = change.privileges.clone();
    let columns = &change.object.columns;
    let project_name = session.project.clone();
    let Some(p) = world.project_mut(&session.project) else {
        return Err(OdpsError::ProjectNotFound(project_name).into());
    };
    // The object and its columns were checked above; the project checks again before it
    // changes anything.
    let done = if grant {
        p.grant(&who, &key, columns, &actions, expires)
    } else {
        p.revoke(&who, &key, columns, &actions).map(|_| ())
    };
    done.map_err(|e| match e {
        ProjectError::NoSuchColumn(column) => ObjectError::ColumnNotFound {
            project: project_name,
            table: key.name.clone(),
            column,
        },
        _ => ObjectError::TableNotFound {
            project: project_name,
            table: key.name.clone(),
        },
    })
    .map_err(OdpsError::from)?;
    Ok(Output::Done)
}

pub fn grant(world: &mut World, session: &Session, c: &AclChange) -> Outcome {
    change(world, session, c, true)
}

pub fn revoke(world: &mut World, session: &Session, c: &AclChange) -> Outcome {
    change(world, session, c, false)
}

pub fn clear_expired(world: &mut World, session: &Session) -> Outcome {
    require_manager(
        world,
        current(world, session)?,
        session.caller(),
        "ClearExpiredGrants",
    )?;
    let now = world.clock.now;
    if let Some(p) = world.project_mut(&session.project) {
        p.clear_expired_grants(now);
    }
    Ok(Output::Done)
}

/// The ACL family.
pub fn execute(world: &mut World, session: &Session, s: &AclStatement) -> Outcome {
    match s {
        AclStatement::Grant(change) => grant(world, session, change),
        AclStatement::Revoke(change) => revoke(world, session, change),
        AclStatement::ClearExpired => clear_expired(world, session),
        AclStatement::ShowGrants { subject, on_type } => {
            super::grants_view::show_grants(world, session, subject.as_ref(), *on_type)
        }
        AclStatement::ShowAcl { object, on_type } => {
            super::grants_view::show_acl(world, session, object, *on_type)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_counts_whole_days_from_now() {
        let days = |v: &str| vec![("Expires".to_string(), v.to_string())];
        assert_eq!(expiry(&days("2"), 10, true), Ok(Some(10 + 2 * 86_400)));
        assert_eq!(expiry(&[], 10, true), Ok(None));
        assert_eq!(
            expiry(&days("-1"), 10, true),
            Err(ObjectError::InvalidExpires("-1".into()))
        );
        assert_eq!(
            expiry(&days(&u64::MAX.to_string()), 10, true),
            Err(ObjectError::InvalidExpires(u64::MAX.to_string()))
        );
        assert_eq!(
            expiry(&days("1"), 10, false),
            Err(ObjectError::UnsupportedProperty("Expires".into()))
        );
    }
}
