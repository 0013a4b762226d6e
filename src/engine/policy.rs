//! The policy family: policy grants in statement form, `put policy` and `get policy`, and the
//! questions the authorization chain asks of a project's policies. Policies bind every user
//! but the project owner ("if a policy is configured for a project, all users except the
//! project owner must pass the policy verification"), and only while CheckPermissionUsingPolicy
//! is on: then an explicit Deny beats every allow (ACL, policy, creator, DataWorks role, admin
//! and super_administrator), and an Allow counts like any other grant path.

use crate::syntax::{PolicyGrant, PolicyStatement, RoleName};
use crate::world::objects::{ObjectKey, ObjectKind};
use crate::world::policy::{Effect, Matched, PolicyDocument, Request, Source};
use crate::world::{PrincipalId, Project, World};

use super::access::{require_manager, require_security_admin};
use super::error::OdpsError;
use super::names::display;
use super::policy_document::{self, Holder};
use super::project_statements::current;
use super::{Caller, Outcome, Output, Session};

/// The request `caller` makes now.
pub fn request(world: &World, caller: Caller) -> Request {
    Request {
        source_ip: caller.source_ip,
        now: world.clock.now,
        task_type: None,
    }
}

/// `acs:odps:*:projects/<p>/…` of an object, as policies name it.
pub fn resource(project: &Project, key: &ObjectKey) -> String {
    format!("acs:odps:*:{}", key.path(&project.name))
}

/// The resource a project management action is on: the project's `authorization`, with the
/// area it manages (`users`, `roles`, `labels`, `packages`).
pub fn management_resource(project: &str, action: &str) -> String {
    let area = match action {
        "AddUser" | "RemoveUser" | "ListUsers" | "ListUserRoles" => "/users",
        "CreateRole" | "DropRole" | "ListRoles" | "DescribeRole" | "AlterRole" | "GrantRole"
        | "RevokeRole" | "ListRolePrincipals" => "/roles",
        "GrantLabel" | "RevokeLabel" | "ShowLabelGrants" | "SetDataLabel" | "SetUserLabel" => {
            "/labels"
        }
        a if a.contains("Package") => "/packages",
        _ => "",
    };
    format!("acs:odps:*:projects/{project}/authorization{area}")
}

/// Whether the project's policies bind `actor`: not the owner, and not while
/// CheckPermissionUsingPolicy is off.
pub fn binds(project: &Project, actor: PrincipalId) -> bool {
    !project.is_owner(actor)
        && project.security.flags.check_permission_using_policy
        && !project.policies.is_empty()
}

/// The first statement of `effect` that applies to `caller` doing `action` (`odps:<A>`) on
/// `resource`, from the project policy and the policies of `roles`.
pub fn matching(
    world: &World,
    project: &Project,
    caller: Caller,
    roles: &[&str],
    effect: Effect,
    action: &str,
    resource: &str,
) -> Option<Matched> {
    if project.policies.is_empty() {
        return None;
    }
    let name = display(world, caller.actor);
    project.policies.first(
        effect,
        roles.iter().copied(),
        &name,
        action,
        resource,
        &request(world, caller),
    )
}

/// A matched statement as the tips name it: where it is and what it says.
pub fn matched_text(m: &Matched) -> String {
    let source = match &m.source {
        Source::Project => "the project policy".to_string(),
        Source::Role(r) => format!("the policy of role {r}"),
    };
    let marker = match m.rule.effect {
        Effect::Allow => "A",
        Effect::Deny => "D",
    };
    let resources: Vec<&str> = m
        .rule
        .resources
        .iter()
        .map(|r| r.strip_prefix("acs:odps:*:").unwrap_or(r))
        .collect();
    let actions: Vec<&str> = m
        .rule
        .actions
        .iter()
        .map(|a| a.strip_prefix("odps:").unwrap_or(a))
        .collect();
    let conditioned = if m.rule.conditions.is_empty() {
        ""
    } else {
        "C"
    };
    format!(
        "denied by {source}: {marker}{conditioned} {}: {}",
        resources.join(", "),
        actions.join(" | ")
    )
}

fn policy_failure(text: impl Into<String>) -> OdpsError {
    OdpsError::PolicyFormat(text.into())
}

/// A role of the current project, which must exist.
fn existing_role<'p>(project: &Project, role: &'p RoleName) -> Result<&'p str, OdpsError> {
    if project.has_role(role.as_str()) {
        Ok(role.as_str())
    } else {
        Err(OdpsError::NoSuchRole(role.to_string()))
    }
}

fn holder(project: &Project, role: &str) -> Holder {
    if project.policies.is_admin_role(role) {
        Holder::AdminRole
    } else {
        Holder::ResourceRole
    }
}

fn grant(world: &mut World, session: &Session, g: &PolicyGrant, granting: bool) -> Outcome {
    let project = current(world, session)?;
    require_manager(world, project, session.caller(), "PutPolicy")?;
    let role = existing_role(project, &g.role)?.to_string();
    let actions: Vec<String> = g
        .actions
        .iter()
        .map(|a| format!("odps:{}", a.as_str()))
        .collect();
    if holder(project, &role) == Holder::AdminRole
        && let Some(first) = actions.first()
    {
        // An admin role takes management actions only.
        return Err(policy_failure(format!("invalid Action value - {first}")).into());
    }
    let key = match g.kind {
        ObjectKind::Project => ObjectKey::project(),
        kind => ObjectKey::new(kind, &g.pattern),
    };
    let path = if g.kind == ObjectKind::Project {
        format!("acs:odps:*:projects/{}", g.pattern)
    } else {
        resource(project, &key)
    };
    let effect = if g.allow { Effect::Allow } else { Effect::Deny };
    if let Some(p) = world.project_mut(&session.project) {
        if granting {
            p.policies.grant(&role, effect, &actions, &path);
        } else {
            p.policies.revoke(&role, effect, &actions, &path);
        }
    }
    Ok(Output::Done)
}

fn put(
    world: &mut World,
    session: &Session,
    file: &str,
    role: Option<&RoleName>,
    document: Option<&str>,
) -> Outcome {
    let project = current(world, session)?;
    let Some(text) = document else {
        return Err(policy_failure(format!("no policy was read from {file}")).into());
    };
    let (holder, role) = match role {
        Some(r) => {
            require_manager(world, project, session.caller(), "PutPolicy")?;
            let r = existing_role(project, r)?.to_string();
            (holder(project, &r), Some(r))
        }
        None => {
            require_security_admin(world, project, session.caller(), "PutPolicy")?;
            (Holder::Project, None)
        }
    };
    let doc = policy_document::parse(text, holder).map_err(policy_failure)?;
    if let Some(p) = world.project_mut(&session.project) {
        match role {
            Some(r) => {
                p.policies.roles.insert(r, doc);
            }
            None => p.policies.project = Some(doc),
        }
    }
    Ok(Output::Done)
}

fn get(world: &World, session: &Session, role: Option<&RoleName>) -> Outcome {
    let project = current(world, session)?;
    require_manager(world, project, session.caller(), "GetPolicy")?;
    let empty = PolicyDocument {
        version: "1".into(),
        rules: Vec::new(),
    };
    let doc = match role {
        Some(r) => project.policies.role(existing_role(project, r)?),
        None => project.policies.project.as_ref(),
    };
    Ok(Output::Json(policy_document::to_json(
        doc.unwrap_or(&empty),
    )))
}

/// The policy family.
pub fn execute(world: &mut World, session: &Session, s: &PolicyStatement) -> Outcome {
    match s {
        PolicyStatement::Grant(g) => grant(world, session, g, true),
        PolicyStatement::Revoke(g) => grant(world, session, g, false),
        PolicyStatement::Put {
            file,
            role,
            document,
            read_error,
        } => match read_error {
            Some(reason) => Err(OdpsError::PolicyFile {
                file: file.clone(),
                reason: reason.clone(),
            }
            .into()),
            None => put(world, session, file, role.as_ref(), document.as_deref()),
        },
        PolicyStatement::Get { role } => get(world, session, role.as_ref()),
    }
}
