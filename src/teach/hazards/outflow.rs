//! Hazards of data that leaves a project: a package that exposes tables to a project the
//! providing project does not trust (a package wins over project protection, so the installing
//! project's owner then decides who reads them), and a Download privilege granted to a user the
//! same script off-boards (it may take the data out before it goes).

use crate::engine::Session;
use crate::engine::names::display;
use crate::syntax::{AclStatement, ObjectKind, PackageStatement, Privilege, Statement, Subject};
use crate::world::objects::ObjectKey;
use crate::world::{PrincipalId, World};

use super::Hazard;

/// The hazard of a package statement that just ran in `world`: the package now exposes tables
/// to projects the providing project does not trust.
pub fn package_exposure(world: &World, session: &Session, statement: &Statement) -> Option<Hazard> {
    let source = world.project(&session.project)?;
    let (package, only) = match statement {
        Statement::Packages(PackageStatement::Allow {
            project, package, ..
        }) => (package, Some(project.as_str())),
        Statement::Packages(PackageStatement::Add {
            object, package, ..
        }) if object.kind == ObjectKind::Table => (package, None),
        _ => return None,
    };
    let found = source.packages.package(package)?;
    let tables: Vec<String> = found
        .objects
        .keys()
        .filter(|k| k.kind == ObjectKind::Table)
        .map(|k| k.name.clone())
        .collect();
    if tables.is_empty() {
        return None;
    }
    let projects: Vec<String> = found
        .allowed
        .keys()
        .filter(|p| only.is_none_or(|o| o.eq_ignore_ascii_case(p)))
        .filter(|p| !source.security.trusts(p))
        .map(|p| {
            world
                .project(p)
                .map_or_else(|| p.clone(), |q| q.name.clone())
        })
        .collect();
    if projects.is_empty() {
        return None;
    }
    let avoid = projects
        .iter()
        .map(|p| format!("disallow project {p} to install package {};", found.name))
        .collect();
    Some(Hazard::PackageExposesData {
        source: source.name.clone(),
        package: found.name.clone(),
        projects,
        tables,
        protected: source.security.flags.project_protection,
        avoid,
    })
}

/// A Download grant the script made to a user: where, and to whom.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DownloadGrant {
    line: usize,
    statement: String,
    project: String,
    grantee: PrincipalId,
    /// Its name when it was granted (a deleted RAM user shows as `p4_<uid>` afterwards).
    name: String,
    object: String,
}

/// The Download grants a script made to users, judged at its end.
#[derive(Debug, Clone, Default)]
pub struct DownloadWatch {
    grants: Vec<DownloadGrant>,
}

impl DownloadWatch {
    /// Notes a grant `statement` that just ran, when it gives a user Download.
    pub fn note(
        &mut self,
        world: &World,
        session: &Session,
        statement: &Statement,
        line: usize,
        typed: &str,
    ) {
        let Statement::Acl(AclStatement::Grant(change)) = statement else {
            return;
        };
        let Subject::User(name) = &change.subject else {
            return;
        };
        if !change
            .privileges
            .iter()
            .any(|p| matches!(p, Privilege::Download | Privilege::All))
            || change.object.kind == ObjectKind::Project
        {
            return;
        }
        let Ok(grantee) = crate::engine::grantee_of(world, session, name) else {
            return;
        };
        self.grants.push(DownloadGrant {
            line,
            statement: typed.to_string(),
            project: session.project.clone(),
            grantee,
            name: display(world, grantee),
            object: ObjectKey::new(change.object.kind, &change.object.name).path(&session.project),
        });
    }

    /// The grants whose user the script then took out of the project, or deleted: it held
    /// Download while it was leaving.
    pub fn departed(&self, world: &World) -> Vec<(usize, String, Hazard)> {
        self.grants
            .iter()
            .filter(|g| {
                let gone = match g.grantee {
                    PrincipalId::RamUser(uid) => world.ram_user(uid).is_none(),
                    _ => false,
                };
                gone || world
                    .project(&g.project)
                    .is_some_and(|p| !p.is_member(g.grantee))
            })
            .map(|g| {
                let hazard = Hazard::DownloadToDeparting {
                    user: g.name.clone(),
                    project: g.project.clone(),
                    object: g.object.clone(),
                };
                (g.line, g.statement.clone(), hazard)
            })
            .collect()
    }
}
