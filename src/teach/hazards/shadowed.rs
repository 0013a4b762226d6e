//! A grant a Deny shadows: the statement succeeds and changes nothing the grantee may do,
//! because a Deny of a policy it is bound by matches the same action on the same object. Asked
//! of the engine's chain (`Authority::why`) after the grant ran.

use crate::engine::Session;
use crate::engine::authorize::{Authority, Lack, Target};
use crate::engine::names::display;
use crate::syntax::{AclStatement, ObjectKind, PolicyStatement, Statement, Subject};
use crate::world::objects::ObjectKey;
use crate::world::{PrincipalId, Project, World};

use super::super::sight::Sight;
use super::Hazard;

/// The members a grant to `subject` reaches: the user, or the role's holders.
fn reached(
    world: &World,
    session: &Session,
    project: &Project,
    subject: &Subject,
) -> Vec<PrincipalId> {
    match subject {
        Subject::User(name) => crate::engine::grantee_of(world, session, name)
            .ok()
            .into_iter()
            .collect(),
        Subject::Role(role) => project
            .role_members(role.as_str())
            .map(|m| m.collect())
            .unwrap_or_default(),
    }
}

/// The hazard of a grant `statement` that just ran in `world`, when a deny shadows it for one
/// of the members it reaches (the first such member, and its first shadowed action).
pub fn shadowed(world: &World, session: &Session, statement: &Statement) -> Option<Hazard> {
    let project = world.project(&session.project)?;
    let (privileges, key, subject) = match statement {
        Statement::Acl(AclStatement::Grant(change)) => {
            let key = match change.object.kind {
                ObjectKind::Project => ObjectKey::project(),
                kind => ObjectKey::new(kind, &change.object.name),
            };
            (change.privileges.clone(), key, change.subject.clone())
        }
        Statement::Policy(PolicyStatement::Grant(g)) if g.allow => {
            if g.pattern.contains('*') || g.kind == ObjectKind::Project {
                return None;
            }
            (
                g.actions.clone(),
                ObjectKey::new(g.kind, &g.pattern),
                Subject::Role(g.role.clone()),
            )
        }
        _ => return None,
    };
    let sight = Sight::of(world, session);
    for id in reached(world, session, project, &subject) {
        if !sight.grants(project, id) {
            continue;
        }
        let authority = Authority::new(world, project, id);
        for privilege in &privileges {
            if let Err(Lack {
                denied: Some(by), ..
            }) = authority.why(Target::Object(&key), *privilege)
            {
                return Some(Hazard::GrantShadowed {
                    grantee: display(world, id),
                    action: privilege.as_str().to_string(),
                    object: key.path(&project.name),
                    by,
                });
            }
        }
    }
    None
}
