//! The grants side of an off-boarding: a user's ACL grants in a project and the revokes that
//! take them away (whole objects and single columns alike), and its labels: label grants
//! revoked and its own access level set back to 0.

use crate::syntax::{AclChange, ObjectRef, Statement, Subject};
use crate::syntax::{AclStatement, LabelStatement, Labelled};
use crate::vocabulary::ObjectKind;
use crate::world::acl::{Actions, Grantee};
use crate::world::objects::ObjectKey;
use crate::world::{PrincipalId, Project};

use super::{Purpose, Step, Target};

/// One object's grants to a user: the object, the actions on the whole of it, and the actions
/// on single columns.
pub type ObjectGrant = (ObjectKey, Actions, Vec<(String, Actions)>);

/// A user's ACL grants in a project, by object in name order.
pub fn grants_in(project: &Project, id: PrincipalId) -> Vec<ObjectGrant> {
    let mut grants: Vec<ObjectGrant> = project
        .acl()
        .grants_of(&Grantee::User(id))
        .map(|(key, g)| {
            let columns = g
                .columns
                .iter()
                .map(|(c, a)| (c.clone(), a.clone()))
                .collect();
            (key.clone(), g.whole.clone(), columns)
        })
        .collect();
    grants.sort_by(|a, b| a.0.cmp(&b.0));
    grants
}

/// `revoke <actions> on <object> [(<column>)] from user <target>`.
fn revoke_grants(
    project: &Project,
    key: &ObjectKey,
    column: Option<&str>,
    actions: &Actions,
    target: &Target,
) -> Statement {
    let name = match key.kind {
        ObjectKind::Project => project.name.clone(),
        _ => key.name.clone(),
    };
    Statement::Acl(AclStatement::Revoke(AclChange {
        privileges: actions.keys().copied().collect(),
        object: ObjectRef {
            kind: key.kind,
            name,
            columns: column.map(|c| vec![c.to_string()]).unwrap_or_default(),
        },
        subject: Subject::User(target.principal.clone()),
        properties: Vec::new(),
    }))
}

/// The revokes of every ACL grant a target holds in a project.
pub fn grant_revokes(project: &Project, target: &Target) -> Vec<Step> {
    let mut steps = Vec::new();
    for (key, whole, columns) in grants_in(project, target.id()) {
        let purpose = || Purpose::RevokeGrants {
            project: project.name.clone(),
            object: key.to_string(),
        };
        if !whole.is_empty() {
            steps.push(Step {
                statement: revoke_grants(project, &key, None, &whole, target),
                purpose: purpose(),
            });
        }
        for (column, actions) in &columns {
            steps.push(Step {
                statement: revoke_grants(project, &key, Some(column), actions, target),
                purpose: purpose(),
            });
        }
    }
    steps
}

/// The statements that take a target's labels away in a project: each label grant revoked, its
/// own access level set back to 0.
pub fn label_revokes(project: &Project, target: &Target) -> Vec<Step> {
    let who = Grantee::User(target.id());
    let user = || Subject::User(target.principal.clone());
    let purpose = || Purpose::RevokeLabels {
        project: project.name.clone(),
    };
    let mut steps: Vec<Step> = project
        .labels
        .grants()
        .filter(|(g, _, _)| **g == who)
        .map(|(_, target, _)| Step {
            statement: Statement::Labels(LabelStatement::Revoke {
                table: target.table.clone(),
                columns: target.column.iter().cloned().collect(),
                from: user(),
            }),
            purpose: purpose(),
        })
        .collect();
    if project.labels.clearance(&who) > 0 {
        steps.push(Step {
            statement: Statement::Labels(LabelStatement::Set {
                level: 0,
                on: Labelled::Subject(user()),
            }),
            purpose: purpose(),
        });
    }
    steps
}
