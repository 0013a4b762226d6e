//! The labels family: label-based access control. The project owner and administrators set
//! access levels (users, roles) and sensitivities (tables, columns), grant and revoke labels,
//! show them and clear the expired ones; with `LabelSecurity=true`, a job that reads a column
//! above the reader's effective level is refused (No-ReadUp), after its `Select` check. The
//! project owner, who owns every object, is not held to labels (grammar/DECISIONS.md).

use crate::syntax::{LabelStatement, Labelled, PrincipalName, Subject};
use crate::world::acl::Grantee;
use crate::world::labels::{LabelGrant, LabelTarget};
use crate::world::objects::{ObjectKey, Table as TableObject};
use crate::world::{PrincipalId, Project, World};

use super::access::{require_manager, require_member};
use super::error::{ObjectError, OdpsError, Refusal};
use super::names::display;
use super::project_statements::{current, grantee};
use super::{DescribedLabels, Outcome, Output, Session, Table};

/// A label grant lasts this many days unless `with exp` says otherwise.
pub const DEFAULT_GRANT_DAYS: u64 = 180;
const SECONDS_PER_DAY: u64 = 86_400;

/// The labels family.
pub fn execute(world: &mut World, session: &Session, s: &LabelStatement) -> Outcome {
    match s {
        LabelStatement::Set { level, on } => set(world, session, *level, on),
        LabelStatement::Grant {
            level,
            table,
            columns,
            to,
            days,
        } => grant(world, session, *level, table, columns, to, *days),
        LabelStatement::Revoke {
            table,
            columns,
            from,
        } => revoke(world, session, table, columns, from),
        LabelStatement::Show { level, table, user } => {
            show(world, session, *level, table.as_deref(), user.as_ref())
        }
        LabelStatement::ClearExpired => {
            require_manager(
                world,
                current(world, session)?,
                session.caller(),
                "ClearExpiredGrants",
            )?;
            let now = world.clock.now;
            if let Some(p) = world.project_mut(&session.project) {
                p.labels.clear_expired(now);
            }
            Ok(Output::Done)
        }
    }
}

/// The grantee a label subject names: a member (or the owner), or a role of the project.
/// The grantee a label statement names: a role must exist; a user must be a member to be
/// granted a label, while a revoke may also name a removed user, whose label grants stay (as
/// its ACL grants do).
fn subject_of(
    world: &World,
    session: &Session,
    subject: &Subject,
    granting: bool,
) -> Result<Grantee, OdpsError> {
    let project = current(world, session)?;
    match subject {
        Subject::Role(role) if project.has_role(role.as_str()) => {
            Ok(Grantee::Role(role.as_str().to_string()))
        }
        Subject::Role(role) => Err(OdpsError::NoSuchRole(role.to_string())),
        Subject::User(name) => {
            let id = grantee(world, session, name)?;
            if !granting || project.is_member(id) || project.is_owner(id) {
                Ok(Grantee::User(id))
            } else {
                Err(OdpsError::NotMember {
                    user: name.to_string(),
                    project: project.name.clone(),
                })
            }
        }
    }
}

/// A table of the current project and its named columns, which must exist.
fn table_and_columns(project: &Project, table: &str, columns: &[String]) -> Result<(), OdpsError> {
    let t = project
        .objects()
        .table(table)
        .ok_or_else(|| ObjectError::TableNotFound {
            project: project.name.clone(),
            table: table.to_string(),
        })?;
    if let Some(missing) = columns.iter().find(|c| !t.has_column(c)) {
        return Err(ObjectError::ColumnNotFound {
            project: project.name.clone(),
            table: table.to_string(),
            column: missing.clone(),
        }
        .into());
    }
    Ok(())
}

fn set(world: &mut World, session: &Session, level: u8, on: &Labelled) -> Outcome {
    let project = current(world, session)?;
    match on {
        Labelled::Table { table, columns } => {
            require_manager(world, project, session.caller(), "SetDataLabel")?;
            table_and_columns(project, table, columns)?;
            if let Some(p) = world.project_mut(&session.project) {
                p.labels.set_sensitivity(table, columns, level);
            }
        }
        Labelled::Subject(subject) => {
            require_manager(world, project, session.caller(), "SetUserLabel")?;
            let who = subject_of(world, session, subject, true)?;
            if let Some(p) = world.project_mut(&session.project) {
                p.labels.set_clearance(who, level);
            }
        }
    }
    Ok(Output::Done)
}

/// The targets of a grant or revoke: the table, or each named column.
fn targets(table: &str, columns: &[String]) -> Vec<LabelTarget> {
    if columns.is_empty() {
        return vec![LabelTarget {
            table: table.to_string(),
            column: None,
        }];
    }
    columns
        .iter()
        .map(|c| LabelTarget {
            table: table.to_string(),
            column: Some(c.clone()),
        })
        .collect()
}

fn grant(
    world: &mut World,
    session: &Session,
    level: u8,
    table: &str,
    columns: &[String],
    to: &Subject,
    days: Option<u64>,
) -> Outcome {
    let project = current(world, session)?;
    require_manager(world, project, session.caller(), "GrantLabel")?;
    table_and_columns(project, table, columns)?;
    let who = subject_of(world, session, to, true)?;
    let days = days.unwrap_or(DEFAULT_GRANT_DAYS);
    let expires = world
        .clock
        .now
        .saturating_add(days.saturating_mul(SECONDS_PER_DAY));
    if let Some(p) = world.project_mut(&session.project) {
        for target in targets(table, columns) {
            p.labels
                .grant(who.clone(), target, LabelGrant { level, expires });
        }
    }
    Ok(Output::Done)
}

fn revoke(
    world: &mut World,
    session: &Session,
    table: &str,
    columns: &[String],
    from: &Subject,
) -> Outcome {
    let project = current(world, session)?;
    require_manager(world, project, session.caller(), "RevokeLabel")?;
    table_and_columns(project, table, columns)?;
    let who = subject_of(world, session, from, false)?;
    if let Some(p) = world.project_mut(&session.project) {
        for target in targets(table, columns) {
            p.labels.revoke(&who, &target);
        }
    }
    Ok(Output::Done)
}

/// How a grant's expiry is shown: `2026-07-01T00:00:01+0000`.
fn expires(secs: u64) -> String {
    crate::world::clock::iso8601(secs).replace('Z', "+0000")
}

/// How a grantee is shown: a user by display name, a role by its bare name.
fn shown(world: &World, who: &Grantee) -> String {
    match who {
        Grantee::User(id) => display(world, *id),
        Grantee::Role(r) => r.clone(),
    }
}

/// `show label [<n>] grants [on table <t>] [for user <p>]`: anyone for itself, the owner and
/// administrators for others and for a whole table.
fn show(
    world: &World,
    session: &Session,
    level: Option<u8>,
    table: Option<&str>,
    user: Option<&PrincipalName>,
) -> Outcome {
    let project = current(world, session)?;
    require_member(project, session.actor)?;
    let user = match user {
        Some(name) => Some(grantee(world, session, name)?),
        None if table.is_none() => Some(session.actor),
        None => None,
    };
    if user != Some(session.actor) {
        require_manager(world, project, session.caller(), "ShowLabelGrants")?;
    }
    if let Some(t) = table {
        table_and_columns(project, t, &[])?;
    }
    let labels = &project.labels;
    let wanted = |target: &LabelTarget, grant: &LabelGrant| {
        table.is_none_or(|t| target.table == t) && level.is_none_or(|l| grant.level == l)
    };
    let mut out = Table::default();
    match user {
        Some(id) => {
            let who = Grantee::User(id);
            out.labels = vec![("User Label".into(), labels.clearance(&who).to_string())];
            let first = if table.is_some() {
                "Column"
            } else {
                "TableName"
            };
            out.columns = vec![first.into(), "GrantedLabel".into(), "Expires".into()];
            for (g, target, grant) in labels.grants() {
                if *g != who || !wanted(target, grant) {
                    continue;
                }
                let name = match (&target.column, table) {
                    (Some(c), Some(_)) => c.clone(),
                    (None, Some(_)) => "*".to_string(),
                    (Some(c), None) => format!("{}({c})", target.table),
                    (None, None) => target.table.clone(),
                };
                out.rows
                    .push(vec![name, grant.level.to_string(), expires(grant.expires)]);
            }
        }
        None => {
            let t = table.unwrap_or_default();
            let sensitivity = labels.table(t);
            let levels =
                std::iter::once(sensitivity.table).chain(sensitivity.columns.values().copied());
            let (low, high) = levels.fold((u8::MAX, 0), |(lo, hi), l| (lo.min(l), hi.max(l)));
            out.labels = vec![("Sensitive Label Range".into(), format!("[{low}, {high}]"))];
            out.columns = vec!["UserName".into(), "GrantedLabel".into(), "Expires".into()];
            for (g, target, grant) in labels.grants() {
                if !wanted(target, grant) {
                    continue;
                }
                let mut name = shown(world, g);
                if let Some(c) = &target.column {
                    name.push_str(&format!(" ({c})"));
                }
                out.rows
                    .push(vec![name, grant.level.to_string(), expires(grant.expires)]);
            }
        }
    }
    Ok(Output::Table(out))
}

/// What `desc` shows of a table's labels: nothing for a table no label was ever set on.
pub fn described(project: &Project, table: &TableObject) -> Option<DescribedLabels> {
    let sensitivity = project.labels.table(&table.name);
    let columns: Vec<u8> = table
        .columns
        .iter()
        .map(|c| sensitivity.of_column(&c.name))
        .collect();
    let max = columns.iter().copied().fold(sensitivity.table, u8::max);
    (max > 0).then_some(DescribedLabels {
        table: sensitivity.table,
        max,
        columns,
    })
}

/// The effective level of `actor` for `column` of `table` at `now`: its own level and its
/// roles', and what label grants to it or its roles give for that column (a grant on the
/// column overrides one on the table).
pub fn effective_level(
    project: &Project,
    actor: PrincipalId,
    table: &str,
    column: &str,
    now: u64,
) -> u8 {
    let labels = &project.labels;
    let mut who = vec![Grantee::User(actor)];
    who.extend(
        project
            .roles_of(actor)
            .into_iter()
            .flatten()
            .map(|r| Grantee::Role(r.to_string())),
    );
    who.iter()
        .map(|g| {
            let granted = labels.granted(g, table, column, now).unwrap_or(0);
            labels.clearance(g).max(granted)
        })
        .max()
        .unwrap_or(0)
}

/// No-ReadUp: the refusal of reading `columns` of `table` in `project` when LabelSecurity is
/// on and one of them is more sensitive than the reader's effective level.
pub fn read_refusal(
    project: &Project,
    actor: PrincipalId,
    table: &str,
    columns: &[String],
    now: u64,
) -> Option<Refusal> {
    if !project.security.flags.label_security || project.is_owner(actor) {
        return None;
    }
    let sensitivity = project.labels.table(table);
    columns.iter().find_map(|column| {
        let needed = sensitivity.of_column(column);
        let effective = effective_level(project, actor, table, column, now);
        (needed > effective).then(|| Refusal::Label {
            resource: ObjectKey::table(table).path(&project.name),
            column: column.clone(),
            sensitivity: needed,
            effective,
        })
    })
}
