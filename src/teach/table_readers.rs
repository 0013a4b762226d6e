//! `who may read <table>;`: who may read one table of the current project, and through what —
//! in the project (the engine's authorization chain, as `select` asks it) and, through the
//! packages that carry it, in every project that installed one and grants Read on it. The
//! principals of a project are listed only where the acting identity may see them.

use crate::engine::Session;
use crate::engine::authorize::{Authority, Target};
use crate::engine::names::display;
use crate::world::acl::Privilege;
use crate::world::objects::{ObjectKey, ObjectKind};
use crate::world::{Project, World};

use super::TeachError;
use super::matrix_verdict::Grounds;
use super::sight::{NotShown, Sight};

/// One principal that may read the table, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    pub principal: String,
    /// The project it reads from (the table's own, or one that installed a package).
    pub project: String,
    pub how: ReadPath,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadPath {
    /// In the table's own project.
    Directly(Grounds),
    /// Through an installed package (`<source>.<package>`), Read on it granted as `grounds`.
    Package { package: String, grounds: Grounds },
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableReaders {
    pub project: String,
    pub table: String,
    pub readers: Vec<Reader>,
    /// The projects that installed a package carrying the table, whose members it may not see.
    pub not_shown: Vec<NotShown>,
}

/// The table `words` names (`read <table>` or `select <table>`), when the current project has it.
pub fn table_named<'w>(world: &'w World, session: &Session, words: &str) -> Option<&'w str> {
    let mut parts = words.split_whitespace();
    let verb = parts.next()?;
    let name = parts.next()?;
    let name = match name.eq_ignore_ascii_case("table") {
        true => parts.next()?,
        false => name,
    };
    if parts.next().is_some()
        || !(verb.eq_ignore_ascii_case("read") || verb.eq_ignore_ascii_case("select"))
    {
        return None;
    }
    let project = world.project(&session.project)?;
    project.objects().table(name).map(|t| t.name.as_str())
}

/// The members of `project` `sight` shows, with their ids.
fn members(world: &World, project: &Project) -> Vec<(String, crate::world::PrincipalId)> {
    let mut people: Vec<_> = std::iter::once(crate::world::PrincipalId::Account(project.owner))
        .chain(project.members())
        .map(|id| (display(world, id), id))
        .collect();
    people.sort();
    people.dedup();
    people
}

pub fn table_readers(
    world: &World,
    session: &Session,
    table: &str,
) -> Result<TableReaders, TeachError> {
    let project = world
        .project(&session.project)
        .ok_or_else(|| TeachError::NoSuchOperation(format!("read {table}")))?;
    let sight = Sight::of(world, session);
    let key = ObjectKey::table(table);
    let mut readers = Vec::new();
    let mut not_shown = Vec::new();
    if sight.members(project) {
        for (name, id) in members(world, project) {
            let authority =
                Authority::asking(world, project, crate::engine::Caller::at_default(id));
            if let Ok(permit) = authority.why(Target::Object(&key), Privilege::Select) {
                readers.push(Reader {
                    principal: name,
                    project: project.name.clone(),
                    how: ReadPath::Directly(permit.into()),
                });
            }
        }
    } else {
        not_shown.push(NotShown::Members {
            project: project.name.clone(),
        });
    }
    for package in project.packages.created() {
        if !package.passes(&key, Privilege::Select) {
            continue;
        }
        for consumer in world.projects.values() {
            let full = format!("{}.{}", project.name.to_ascii_lowercase(), package.name);
            if consumer.packages.installation(&full).is_none()
                || !package.admits(&consumer.name, world.clock.now)
            {
                continue;
            }
            if !sight.members(consumer) {
                not_shown.push(NotShown::Members {
                    project: consumer.name.clone(),
                });
                continue;
            }
            let package_key = ObjectKey::new(ObjectKind::Package, &full);
            for (name, id) in members(world, consumer) {
                let authority =
                    Authority::asking(world, consumer, crate::engine::Caller::at_default(id));
                if let Ok(permit) = authority.why(Target::Object(&package_key), Privilege::Read) {
                    readers.push(Reader {
                        principal: name,
                        project: consumer.name.clone(),
                        how: ReadPath::Package {
                            package: full.clone(),
                            grounds: permit.into(),
                        },
                    });
                }
            }
        }
    }
    Ok(TableReaders {
        project: project.name.clone(),
        table: table.to_string(),
        readers,
        not_shown,
    })
}
