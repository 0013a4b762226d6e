//! The statements that run a job: `create table`, `drop table`, `select` and `insert`. A job
//! needs CreateInstance on the current project (checked when it is submitted, refused as a
//! request), then its own privileges (checked when it compiles, refused in the SQL family with
//! a context id). A job that succeeds records an instance owned by its runner; a refused one
//! records nothing. Reading another project's table needs membership and Select there, and
//! project protection keeps a protected project's data from flowing to untrusted projects.

use std::collections::HashSet;

use crate::syntax::{ColumnDef, SelectQuery, TableRef};
use crate::world::acl::Privilege;
use crate::world::clock::iso8601;
use crate::world::objects::{Column, Instance, ObjectKey, Table};
use crate::world::{Project, World};

use super::access::require_member;
use super::authorize::{Authority, refuse};
use super::error::{Channel, Denied, ObjectError, OdpsError, Refusal, protection_tip};
use super::matrix::{ROW_CREATE_TABLE, ROW_CROSS_PROJECT_TABLE, ROW_DROP_TABLE, ROW_UPDATE_TABLE};
use super::names::display;
use super::objects::project_of;
use super::outflow::{
    PackageRoute, TaskType, exception_allows, package_label_refusal, package_route,
};
use super::project_statements::current;
use super::{Outcome, Output, Session};

/// A job being checked in the current project.
struct Job<'w> {
    world: &'w World,
    project: &'w Project,
    /// The statement's matrix row, named when the job is refused.
    row: Option<u8>,
}

impl<'w> Job<'w> {
    /// Membership and CreateInstance on the current project.
    fn submit(world: &'w World, session: &Session, row: Option<u8>) -> Result<Self, OdpsError> {
        let project = current(world, session)?;
        require_member(project, session.actor)?;
        let key = ObjectKey::project();
        let authority = Authority::asking(world, project, session.caller());
        if !authority.may(&key, Privilege::CreateInstance) {
            let refusal = authority.refusal(&key, Privilege::CreateInstance);
            return Err(refuse(world, session.actor, Channel::Rest, refusal, row));
        }
        Ok(Job {
            world,
            project,
            row,
        })
    }

    /// A compile-time refusal.
    fn refuse(&self, session: &mut Session, refusal: Refusal, row: Option<u8>) -> OdpsError {
        let channel = Channel::Sql {
            context_id: session.next_request_id(self.world).to_ascii_lowercase(),
            current_project: self.project.name.clone(),
        };
        refuse(self.world, session.actor, channel, refusal, row)
    }

    /// Requires `action` on an object of the current project.
    fn require(
        &self,
        session: &mut Session,
        key: &ObjectKey,
        action: Privilege,
    ) -> Result<(), OdpsError> {
        let authority = Authority::asking(self.world, self.project, session.caller());
        if authority.may(key, action) {
            return Ok(());
        }
        let refusal = authority.refusal(key, action);
        Err(self.refuse(session, refusal, self.row))
    }

    /// A table a job reads or writes, in the current project or another one, after the
    /// membership check there; with the project it is in.
    fn table(
        &self,
        session: &mut Session,
        table: &TableRef,
    ) -> Result<(&'w Project, &'w Table), OdpsError> {
        self.table_through(session, table, None)
            .map(|(project, table, _)| (project, table))
    }

    /// As [`Job::table`]; a table of another project may also be reached through a package
    /// installed in the current project that passes `packaged` on, without membership there.
    fn table_through(
        &self,
        session: &mut Session,
        table: &TableRef,
        packaged: Option<Privilege>,
    ) -> Result<(&'w Project, &'w Table, Option<PackageRoute<'w>>), OdpsError> {
        let project = project_of(self.world, session, table)?;
        let key = ObjectKey::table(&table.table);
        let route = packaged
            .filter(|_| project.name != self.project.name)
            .and_then(|action| {
                package_route(
                    self.world,
                    self.project,
                    session.caller(),
                    project,
                    &key,
                    action,
                )
            });
        if project.name != self.project.name
            && route.is_none()
            && !Authority::asking(self.world, project, session.caller()).is_member()
        {
            let refusal = Refusal::NotInProject(project.name.clone());
            return Err(self.refuse(session, refusal, Some(ROW_CROSS_PROJECT_TABLE)));
        }
        let found =
            project
                .objects()
                .table(&table.table)
                .ok_or_else(|| ObjectError::TableNotResolved {
                    project: project.name.clone(),
                    table: table.table.clone(),
                })?;
        Ok((project, found, route))
    }

    /// The columns a query reads, after checking they exist, Select on them, and that the data
    /// may flow to each of `destinations`.
    fn read(
        &self,
        session: &mut Session,
        query: &SelectQuery,
        destinations: &[&str],
    ) -> Result<Vec<String>, OdpsError> {
        let (source, table, package) =
            self.table_through(session, &query.from, Some(Privilege::Select))?;
        let columns: Vec<String> = match &query.columns {
            None => table.columns.iter().map(|c| c.name.clone()).collect(),
            Some(named) => {
                if let Some(missing) = named.iter().find(|c| !table.has_column(c)) {
                    return Err(ObjectError::ColumnNotResolved {
                        column: missing.clone(),
                    }
                    .into());
                }
                named.clone()
            }
        };
        let elsewhere = source.name != self.project.name;
        let key = ObjectKey::table(&table.name);
        if let Some(route) = package {
            // The package's privileges, its label and the installer's grant decide; project
            // protection and the providing project's own grants do not apply.
            if let Some(refusal) = package_label_refusal(&route, source, &table.name, &columns) {
                return Err(self.refuse(session, refusal, None));
            }
            return Ok(columns);
        }
        let authority = Authority::asking(self.world, source, session.caller());
        let row = if elsewhere {
            Some(ROW_CROSS_PROJECT_TABLE)
        } else {
            self.row
        };
        if !authority.may(&key, Privilege::Select)
            && let deny @ Refusal::ExplicitDeny { .. } = authority.refusal(&key, Privilege::Select)
        {
            // A deny beats the column grants too.
            return Err(self.refuse(session, deny, row));
        }
        if let Some(gap) = authority.column_gap(&key, Privilege::Select, &columns) {
            let refusal = Refusal::NoPrivilege {
                action: Privilege::Select.as_str(),
                resource: key.path(&source.name),
                columns: if gap.partial { gap.missing } else { Vec::new() },
            };
            return Err(self.refuse(session, refusal, row));
        }
        let now = self.world.clock.now;
        if let Some(refusal) =
            super::labels::read_refusal(source, session.actor, &table.name, &columns, now)
        {
            return Err(self.refuse(session, refusal, None));
        }
        let protected = source.security.flags.project_protection;
        let outflow = destinations
            .iter()
            .find(|d| !d.eq_ignore_ascii_case(&source.name) && !source.security.trusts(d));
        let excepted = || {
            exception_allows(
                self.world,
                source,
                session.caller(),
                &key,
                Privilege::Select,
                TaskType::Sql,
            )
        };
        if let Some(destination) = outflow.filter(|_| protected && !excepted()) {
            let refusal = Refusal::Protected {
                action: Privilege::Select.as_str(),
                resource: key.path(&source.name),
                project: source.name.clone(),
            };
            let channel = Channel::Sql {
                context_id: session.next_request_id(self.world).to_ascii_lowercase(),
                current_project: self.project.name.clone(),
            };
            let denied = Denied {
                channel,
                refusal,
                principal: display(self.world, session.actor),
                tip: Some(protection_tip(&source.name, destination)),
            };
            return Err(denied.into());
        }
        Ok(columns)
    }
}

/// Records the instance of a job that succeeded and wraps its result.
fn finish(world: &mut World, session: &Session, query: String, result: Output) -> Outcome {
    let started = world.clock.tick();
    let serial = world.clock.issued % 1000;
    let token = world.clock.next_token(8).to_ascii_lowercase();
    let stamp: String = iso8601(started)
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let id = format!("{stamp}{serial:03}g{token}");
    let instance = Instance {
        id: id.clone(),
        owner: session.actor,
        started,
        query,
    };
    if let Some(p) = world.project_mut(&session.project) {
        p.insert_instance(instance);
    }
    Ok(Output::Job {
        instance: id,
        result: Box::new(result),
    })
}

pub fn create_table(
    world: &mut World,
    session: &mut Session,
    query: String,
    name: &str,
    columns: &[ColumnDef],
    comment: Option<&str>,
    if_not_exists: bool,
) -> Outcome {
    let job = Job::submit(world, session, Some(ROW_CREATE_TABLE))?;
    job.require(session, &ObjectKey::project(), Privilege::CreateTable)?;
    let mut seen = HashSet::new();
    if let Some(dup) = columns.iter().find(|c| !seen.insert(c.name.as_str())) {
        return Err(OdpsError::from(ObjectError::DuplicateColumn {
            column: dup.name.clone(),
        })
        .into());
    }
    let exists = job.project.objects().table(name).is_some();
    if exists && !if_not_exists {
        return Err(OdpsError::from(ObjectError::TableExists {
            project: job.project.name.clone(),
            table: name.to_string(),
        })
        .into());
    }
    if !exists {
        let created = world.clock.now + 1;
        let table = Table {
            name: name.to_string(),
            columns: columns
                .iter()
                .map(|c| Column {
                    name: c.name.clone(),
                    data_type: c.data_type.clone(),
                    comment: c.comment.clone().unwrap_or_default(),
                })
                .collect(),
            comment: comment.unwrap_or_default().to_string(),
            creator: session.actor,
            created,
        };
        if let Some(p) = world.project_mut(&session.project) {
            p.insert_table(table);
        }
    }
    finish(world, session, query, Output::Done)
}

pub fn drop_table(
    world: &mut World,
    session: &mut Session,
    query: String,
    name: &str,
    if_exists: bool,
) -> Outcome {
    let job = Job::submit(world, session, Some(ROW_DROP_TABLE))?;
    let Some(table) = job.project.objects().table(name) else {
        if if_exists {
            return finish(world, session, query, Output::Done);
        }
        return Err(OdpsError::from(ObjectError::TableNotResolved {
            project: job.project.name.clone(),
            table: name.to_string(),
        })
        .into());
    };
    job.require(session, &ObjectKey::table(&table.name), Privilege::Drop)?;
    if let Some(p) = world.project_mut(&session.project) {
        p.remove_table(name);
    }
    finish(world, session, query, Output::Done)
}

pub fn select(
    world: &mut World,
    session: &mut Session,
    query: String,
    select: &SelectQuery,
) -> Outcome {
    let job = Job::submit(world, session, None)?;
    let here = job.project.name.clone();
    let columns = job.read(session, select, &[&here])?;
    finish(world, session, query, Output::QueryResult { columns })
}

pub fn insert(
    world: &mut World,
    session: &mut Session,
    query: String,
    target: &TableRef,
    select: &SelectQuery,
) -> Outcome {
    let job = Job::submit(world, session, Some(ROW_UPDATE_TABLE))?;
    let (target_project, table) = job.table(session, target)?;
    let key = ObjectKey::table(&table.name);
    let authority = Authority::asking(world, target_project, session.caller());
    if !authority.may(&key, Privilege::Update) {
        let refusal = authority.refusal(&key, Privilege::Update);
        return Err(job.refuse(session, refusal, Some(ROW_UPDATE_TABLE)).into());
    }
    let here = job.project.name.clone();
    job.read(session, select, &[&here, &target_project.name])?;
    finish(world, session, query, Output::Done)
}
