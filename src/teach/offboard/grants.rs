//! The ACL side of an off-boarding: a user's grants in a project, and the revokes that take
//! them away (whole objects and single columns alike).

use crate::syntax::AclStatement;
use crate::syntax::{AclChange, ObjectRef, ObjectType, Privilege, Statement, Subject};
use crate::world::acl::{Action, Actions, Grantee};
use crate::world::objects::{ObjectKey, ObjectKind};
use crate::world::{PrincipalId, Project};

use super::{Purpose, Step, Target};

/// The privilege word for an action the world stores.
fn privilege_of(action: Action) -> Privilege {
    match action {
        Action::Read => Privilege::Read,
        Action::Write => Privilege::Write,
        Action::CreateTable => Privilege::CreateTable,
        Action::CreateResource => Privilege::CreateResource,
        Action::CreateInstance => Privilege::CreateInstance,
        Action::CreateFunction => Privilege::CreateFunction,
        Action::List => Privilege::List,
        Action::Download => Privilege::Download,
        Action::Describe => Privilege::Describe,
        Action::Select => Privilege::Select,
        Action::Alter => Privilege::Alter,
        Action::Update => Privilege::Update,
        Action::Drop => Privilege::Drop,
        Action::ShowHistory => Privilege::ShowHistory,
        Action::Execute => Privilege::Execute,
        Action::Delete => Privilege::Delete,
        Action::All => Privilege::All,
    }
}

fn object_type_of(kind: ObjectKind) -> ObjectType {
    match kind {
        ObjectKind::Project => ObjectType::Project,
        ObjectKind::Table => ObjectType::Table,
        ObjectKind::Function => ObjectType::Function,
        ObjectKind::Resource => ObjectType::Resource,
        ObjectKind::Instance => ObjectType::Instance,
        ObjectKind::Package => ObjectType::Package,
    }
}

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
        privileges: actions.keys().map(|a| privilege_of(*a)).collect(),
        object: ObjectRef {
            kind: object_type_of(key.kind),
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
