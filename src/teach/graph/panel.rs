//! What the page of `odpsh serve --ui` lists for a selected node: its grants as `show grants`
//! (a principal, a role) or `show acl` (an object) report them, in each project the node is
//! about, asked of the engine's own views.

use crate::engine::{self, AclReport, GrantReport};
use crate::world::objects::ObjectKey;
use crate::world::{AccountId, PrincipalId, Uid, World};

/// One listing: the statement that prints it (its parts) and the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Listing {
    /// `show grants for <principal>` in `project`.
    Principal {
        project: String,
        name: String,
        /// A RAM user deleted while still named by the project: `p4_<uid>`, which no
        /// statement can name (so none prints this listing any more).
        residual: bool,
        report: GrantReport,
    },
    /// `show grants for role <role>` in `project`.
    Role {
        project: String,
        role: String,
        report: GrantReport,
    },
    /// `show acl for <object>` in `project`.
    Object {
        project: String,
        key: ObjectKey,
        report: AclReport,
    },
}

/// What a node id stands for, when it is a principal, role or object.
enum Subject {
    /// In one project.
    Principal(String, PrincipalId),
    /// In every project it is a member (or the owner) of.
    Everywhere(PrincipalId),
    Role(String, String),
    Object(String, ObjectKey),
}

fn subject_of(id: &str) -> Option<Subject> {
    let mut parts = id.splitn(3, ':');
    let kind = parts.next()?;
    let first = parts.next()?;
    let rest = parts.next();
    Some(match (kind, rest) {
        ("member" | "principal", Some(p)) => Subject::Principal(first.into(), p.parse().ok()?),
        ("role", Some(r)) => Subject::Role(first.into(), r.into()),
        ("object", Some(k)) => Subject::Object(first.into(), k.parse().ok()?),
        ("project", None) => Subject::Object(first.into(), ObjectKey::project()),
        ("ram_user", None) => Subject::Everywhere(PrincipalId::RamUser(Uid(first.parse().ok()?))),
        ("ram_role", None) => Subject::Everywhere(PrincipalId::RamRole(first.parse().ok()?)),
        ("account", None) => {
            Subject::Everywhere(PrincipalId::Account(AccountId(first.parse().ok()?)))
        }
        _ => return None,
    })
}

/// The listings for node `id` of the graph of `world`; none for a node that has no grants of
/// its own to list (a key, a RAM policy, a grant) or that is no longer there.
pub fn listings(world: &World, id: &str) -> Vec<Listing> {
    let principal = |project: &crate::world::Project, who: PrincipalId| Listing::Principal {
        project: project.name.clone(),
        name: engine::names::display(world, who),
        residual: match who {
            PrincipalId::RamUser(uid) => world.ram_user(uid).is_none(),
            PrincipalId::RamRole(r) => world.ram_role(r).is_none(),
            PrincipalId::Account(_) => false,
        },
        report: engine::grants_of(world, project, who),
    };
    match subject_of(id) {
        Some(Subject::Principal(p, who)) => world
            .project(&p)
            .map(|project| principal(project, who))
            .into_iter()
            .collect(),
        Some(Subject::Everywhere(who)) => world
            .projects
            .values()
            .filter(|p| p.is_owner(who) || p.is_member(who))
            .map(|project| principal(project, who))
            .collect(),
        Some(Subject::Role(p, role)) => world
            .project(&p)
            .and_then(|project| {
                engine::role_grants_of(project, &role).map(|report| Listing::Role {
                    project: project.name.clone(),
                    role,
                    report,
                })
            })
            .into_iter()
            .collect(),
        Some(Subject::Object(p, key)) => world
            .project(&p)
            .filter(|project| project.has_object(&key))
            .map(|project| Listing::Object {
                project: project.name.clone(),
                report: engine::acl_of(world, project, &key),
                key,
            })
            .into_iter()
            .collect(),
        None => Vec::new(),
    }
}
