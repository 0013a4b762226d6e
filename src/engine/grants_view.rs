//! The statements that show permissions: `show grants [for …]`, `describe role`, `show acl`
//! and `show principals`. Names are resolved here, at display time, so a removed RAM user's
//! grants show under `p4_<uid>`.

use crate::syntax::{PrincipalName, RoleName, Subject};
use crate::vocabulary::{ObjectKind, Privilege};
use crate::world::acl::{Actions, Grantee, ObjectGrants};
use crate::world::objects::ObjectKey;
use crate::world::policy::{Effect, PolicyRule, glob};
use crate::world::role_policies::builtin_policy;
use crate::world::{PrincipalId, Project, World};

use super::access::{ADMIN_ROLE, SUPER_ADMIN_ROLE, require_manager, require_member};
use super::error::{ObjectError, OdpsError};
use super::names::display;
use super::project_statements::{current, grantee};
use super::{
    AclLine, AclReport, Caller, GrantBlock, GrantLine, GrantReport, Outcome, Output, Session,
};

/// Actions grouped by expiry, in print order: one line per distinct expiry, permanent first.
fn by_expiry(actions: &Actions) -> Vec<(Option<u64>, Vec<&'static str>)> {
    let mut groups: Vec<(Option<u64>, Vec<&'static str>)> = Vec::new();
    for (action, expiry) in actions {
        match groups.iter_mut().find(|(e, _)| e == expiry) {
            Some((_, list)) => list.push(action.as_str()),
            None => groups.push((*expiry, vec![action.as_str()])),
        }
    }
    groups.sort_by_key(|(e, _)| e.map_or(0, |t| t + 1));
    groups
}

/// The lines of one grantee's grants on one object: the object, then each column.
fn object_lines(project: &str, key: &ObjectKey, grants: &ObjectGrants) -> Vec<GrantLine> {
    let path = key.path(project);
    let mut lines = Vec::new();
    let mut push = |resource: String, actions: &Actions| {
        for (expires, actions) in by_expiry(actions) {
            lines.push(GrantLine {
                marker: "A",
                resource: resource.clone(),
                actions: actions.into_iter().map(str::to_string).collect(),
                expires,
            });
        }
    };
    push(path.clone(), &grants.whole);
    for (column, actions) in &grants.columns {
        push(format!("{path}/{column}"), actions);
    }
    lines
}

fn acl_lines(project: &Project, grantee: &Grantee, filter: Option<ObjectKind>) -> Vec<GrantLine> {
    let mut objects: Vec<(&ObjectKey, &ObjectGrants)> = project
        .acl()
        .grants_of(grantee)
        .filter(|(k, _)| filter.is_none_or(|f| k.kind == f))
        .collect();
    objects.sort_by(|a, b| a.0.cmp(b.0));
    objects
        .into_iter()
        .flat_map(|(k, g)| object_lines(&project.name, k, g))
        .collect()
}

fn policy_lines(project: &Project, role: &str, filter: Option<ObjectKind>) -> Vec<GrantLine> {
    let mut lines: Vec<GrantLine> = builtin_policy(role)
        .iter()
        .filter(|s| filter.is_none_or(|f| s.scope.kind() == f))
        .map(|s| GrantLine {
            marker: "A",
            resource: s.scope.path(&project.name),
            actions: s.actions.iter().map(|a| a.as_str().to_string()).collect(),
            expires: None,
        })
        .collect();
    if let Some(doc) = project.policies.role(role) {
        lines.extend(rule_lines(doc.rules.iter(), filter));
    }
    lines
}

/// The kind of object a policy resource names (`…/tables/tb_*`: tables).
fn kind_of(resource: &str) -> ObjectKind {
    let segment = resource.split('/').nth(2).unwrap_or("");
    match segment {
        "tables" => ObjectKind::Table,
        "resources" => ObjectKind::Resource,
        "registration" | "functions" => ObjectKind::Function,
        "instances" => ObjectKind::Instance,
        "packages" => ObjectKind::Package,
        _ => ObjectKind::Project,
    }
}

/// A policy's statements as `show grants` lines: `A`/`D` (and `C` with a condition), each
/// resource, the actions without their `odps:`.
fn rule_lines<'r>(
    rules: impl Iterator<Item = &'r PolicyRule>,
    filter: Option<ObjectKind>,
) -> Vec<GrantLine> {
    let mut lines = Vec::new();
    for rule in rules {
        let (marker, actions) = shown_rule(rule);
        for resource in &rule.resources {
            let path = resource.strip_prefix("acs:odps:*:").unwrap_or(resource);
            if filter.is_some_and(|f| kind_of(path) != f) {
                continue;
            }
            lines.push(GrantLine {
                marker,
                resource: path.to_string(),
                actions: actions.clone(),
                expires: None,
            });
        }
    }
    lines
}

/// A policy statement's marker (`A`/`D`, `C` with a condition) and its actions as grant lines
/// show them (without `odps:`).
fn shown_rule(rule: &PolicyRule) -> (&'static str, Vec<String>) {
    let marker = match (rule.effect, rule.conditions.is_empty()) {
        (Effect::Allow, true) => "A",
        (Effect::Allow, false) => "AC",
        (Effect::Deny, true) => "D",
        (Effect::Deny, false) => "DC",
    };
    let actions = rule
        .actions
        .iter()
        .map(|a| a.strip_prefix("odps:").unwrap_or(a).to_string())
        .collect();
    (marker, actions)
}

/// How an object's creator holds it: `A` with access permission, `G` with grant permission.
fn creator_marker(project: &Project) -> Option<&'static str> {
    let flags = project.security.flags;
    match (
        flags.object_creator_has_access_permission,
        flags.object_creator_has_grant_permission,
    ) {
        (true, true) => Some("AG"),
        (true, false) => Some("A"),
        (false, true) => Some("G"),
        (false, false) => None,
    }
}

fn block(header: Option<String>, lines: Vec<GrantLine>) -> Option<GrantBlock> {
    (!lines.is_empty()).then_some(GrantBlock { header, lines })
}

/// What a user may do: its roles, the ACL of those roles and its own, the policies of the
/// built-in roles it holds, and what it created.
fn user_report(
    world: &World,
    project: &Project,
    id: PrincipalId,
    filter: Option<ObjectKind>,
) -> GrantReport {
    if project.is_owner(id) {
        return GrantReport {
            owner: Some((display(world, id), project.name.clone())),
            ..GrantReport::default()
        };
    }
    let roles: Vec<String> = project
        .roles_of(id)
        .map(|r| r.into_iter().map(str::to_string).collect())
        .unwrap_or_default();
    let mut acl: Vec<GrantBlock> = roles
        .iter()
        .filter_map(|r| {
            let lines = acl_lines(project, &Grantee::Role(r.clone()), filter);
            block(Some(format!("role/{r}")), lines)
        })
        .collect();
    let own = acl_lines(project, &Grantee::User(id), filter);
    acl.extend(block(Some(format!("user/{}", display(world, id))), own));
    let mut policy: Vec<GrantBlock> = roles
        .iter()
        .filter_map(|r| block(Some(format!("role/{r}")), policy_lines(project, r, filter)))
        .collect();
    // The project policy's statements about it.
    let name = display(world, id);
    if let Some(doc) = &project.policies.project {
        let about = doc.rules.iter().filter(|r| {
            r.principals
                .iter()
                .any(|p| p == "*" || p.eq_ignore_ascii_case(&name))
        });
        policy.extend(block(
            Some(format!("user/{name}")),
            rule_lines(about, filter),
        ));
    }
    let object_creator = match creator_marker(project) {
        Some(marker) => project
            .objects()
            .created_by(id)
            // Instances are jobs, listed by `show instances`, not data objects.
            .filter(|k| k.kind != ObjectKind::Instance)
            .filter(|k| filter.is_none_or(|f| k.kind == f))
            .map(|k| GrantLine {
                marker,
                resource: k.path(&project.name),
                actions: vec![Privilege::All.as_str().to_string()],
                expires: None,
            })
            .collect(),
        None => Vec::new(),
    };
    GrantReport {
        owner: None,
        roles: Some(roles),
        acl,
        policy,
        object_creator,
    }
}

/// What a role may do: its ACL, and its policy if it is a built-in role.
fn role_report(
    project: &Project,
    role: &str,
    headers: bool,
    filter: Option<ObjectKind>,
) -> GrantReport {
    let header = headers.then(|| format!("role/{role}"));
    let acl = acl_lines(project, &Grantee::Role(role.to_string()), filter);
    GrantReport {
        acl: block(header.clone(), acl).into_iter().collect(),
        policy: block(header, policy_lines(project, role, filter))
            .into_iter()
            .collect(),
        ..GrantReport::default()
    }
}

fn existing_role<'r>(project: &Project, role: &'r RoleName) -> Result<&'r str, OdpsError> {
    if project.has_role(role.as_str()) {
        Ok(role.as_str())
    } else {
        Err(OdpsError::NoSuchRole(role.to_string()))
    }
}

/// `show grants [for user <p> | for role <r>] [on type <t>]`.
pub fn show_grants(
    world: &World,
    session: &Session,
    subject: Option<&Subject>,
    on_type: Option<ObjectKind>,
) -> Outcome {
    let project = current(world, session)?;
    let filter = on_type;
    match subject {
        None => {
            require_member(project, session.actor)?;
            Ok(Output::Grants(user_report(
                world,
                project,
                session.actor,
                filter,
            )))
        }
        Some(Subject::User(name)) => {
            let id = shown_user(world, session, project, name)?;
            Ok(Output::Grants(user_report(world, project, id, filter)))
        }
        Some(Subject::Role(role)) => {
            require_manager(world, project, session.caller(), "ShowGrants")?;
            let role = existing_role(project, role)?;
            Ok(Output::Grants(role_report(project, role, true, filter)))
        }
    }
}

/// Whether `actor` may see what `shown` holds in `project` (`show grants for`): a member may
/// ask about itself; asking about others takes the owner or an administrator. `shown` is
/// `None` when the name given resolves to nobody (which only a manager is told).
pub fn may_show_grants_for(
    world: &World,
    project: &Project,
    caller: Caller,
    shown: Option<PrincipalId>,
) -> Result<(), OdpsError> {
    require_member(project, caller.actor)?;
    if shown != Some(caller.actor) {
        require_manager(world, project, caller, "ShowGrants")?;
    }
    Ok(())
}

/// The user `show grants for` names: anyone may ask about itself; asking about others takes
/// the owner or an administrator. The user need not be a member: a removed user's grants stay.
fn shown_user(
    world: &World,
    session: &Session,
    project: &Project,
    name: &PrincipalName,
) -> Result<PrincipalId, OdpsError> {
    require_member(project, session.actor)?;
    may_show_grants_for(
        world,
        project,
        session.caller(),
        grantee(world, session, name).ok(),
    )?;
    grantee(world, session, name)
}

/// The display names of a role's members, sorted (residuals as `p4_<uid>`).
fn members_by_name(world: &World, project: &Project, role: &str) -> Vec<String> {
    let ids: Vec<PrincipalId> = project.role_members(role).into_iter().flatten().collect();
    let mut users = super::names::display_all(world, &ids);
    users.sort_unstable();
    users
}

/// `describe role <r>`: its members, then its grants.
pub fn describe_role(world: &World, session: &Session, role: &RoleName) -> Outcome {
    let project = current(world, session)?;
    require_manager(world, project, session.caller(), "DescribeRole")?;
    let name = existing_role(project, role)?;
    let users = members_by_name(world, project, name);
    Ok(Output::RoleDescription {
        role: name.to_string(),
        users,
        grants: role_report(project, name, false, None),
    })
}

/// `show principals [for] [role] <r>`: the members of a role.
pub fn show_principals(world: &World, session: &Session, role: &RoleName) -> Outcome {
    let project = current(world, session)?;
    require_manager(world, project, session.caller(), "ListRolePrincipals")?;
    let name = existing_role(project, role)?;
    let users = members_by_name(world, project, name);
    Ok(Output::Lines(users))
}

/// The object a `show acl` or a grant names in the current project, which must exist.
pub fn existing_object(
    project: &Project,
    kind: ObjectKind,
    name: &str,
) -> Result<ObjectKey, OdpsError> {
    let key = match kind {
        ObjectKind::Project if !name.eq_ignore_ascii_case(&project.name) => {
            return Err(ObjectError::NotCurrentProject {
                named: name.to_string(),
                current: project.name.clone(),
            }
            .into());
        }
        ObjectKind::Project => ObjectKey::project(),
        kind => ObjectKey::new(kind, name),
    };
    if project.has_object(&key) {
        return Ok(key);
    }
    let name = name.to_string();
    Err(match kind {
        ObjectKind::Table => ObjectError::TableNotFound {
            project: project.name.clone(),
            table: name,
        },
        ObjectKind::Function => ObjectError::FunctionNotFound(name),
        ObjectKind::Resource => ObjectError::ResourceNotFound(name),
        ObjectKind::Instance => ObjectError::InstanceNotFound(name),
        ObjectKind::Project | ObjectKind::Package => ObjectError::PackageNotFound(name),
    }
    .into())
}

fn implicit(principal: String) -> AclLine {
    AclLine {
        marker: "AG",
        principal,
        resource: None,
        actions: vec![Privilege::All.as_str().to_string()],
        expires: None,
    }
}

fn holders(world: &World, project: &Project, role: &str) -> Vec<String> {
    let mut names: Vec<String> = project
        .role_members(role)
        .into_iter()
        .flatten()
        .map(|id| format!("{role}/{}", display(world, id)))
        .collect();
    names.sort_unstable();
    names
}

/// `show acl for <object> [on type <t>]` (the type defaults to table).
pub fn show_acl(
    world: &World,
    session: &Session,
    object: &str,
    on_type: Option<ObjectKind>,
) -> Outcome {
    let project = current(world, session)?;
    require_manager(world, project, session.caller(), "ShowAcl")?;
    let kind = on_type.unwrap_or(ObjectKind::Table);
    let key = existing_object(project, kind, object)?;
    Ok(Output::Acl(acl_of(world, project, &key)))
}

/// What `show grants for` shows of `id` in `project`, for a reader that may see the whole
/// world (the page of `odpsh serve --ui`, opened only with the owner's key or the token the
/// server printed): no authorization check.
pub fn grants_of(world: &World, project: &Project, id: PrincipalId) -> GrantReport {
    user_report(world, project, id, None)
}

/// What `show grants for role` shows of `role` (see [`grants_of`]); `None` when there is no
/// such role.
pub fn role_grants_of(project: &Project, role: &str) -> Option<GrantReport> {
    project
        .has_role(role)
        .then(|| role_report(project, role, true, None))
}

/// What `show acl for` shows of an existing object (see [`grants_of`]).
pub fn acl_of(world: &World, project: &Project, key: &ObjectKey) -> AclReport {
    let kind = key.kind;
    let key = key.clone();
    let mut report = AclReport::default();
    let owner = display(world, PrincipalId::Account(project.owner));
    report
        .implicit
        .push(implicit(format!("project_owner/{owner}")));
    for role in [SUPER_ADMIN_ROLE, ADMIN_ROLE] {
        report
            .implicit
            .extend(holders(world, project, role).into_iter().map(implicit));
    }
    if let Some(creator) = project.objects().creator(&key)
        && let Some(marker) = creator_marker(project)
    {
        report.implicit.push(AclLine {
            marker,
            ..implicit(format!("object_creator/{}", display(world, creator)))
        });
    }
    let path = key.path(&project.name);
    // The documented project sample prints the bare path; objects carry the acs prefix.
    let resource = |suffix: &str| match kind {
        ObjectKind::Project => format!("{path}{suffix}"),
        _ => format!("acs:odps:*:{path}{suffix}"),
    };
    let mut grantees: Vec<(String, &Grantee)> = project
        .acl()
        .grantees_of(&key)
        .map(|g| match g {
            Grantee::User(id) => (format!("user/{}", display(world, *id)), g),
            Grantee::Role(r) => (format!("role/{r}"), g),
        })
        .collect();
    grantees.sort();
    for (principal, grantee) in grantees {
        let Some(grants) = project.acl().on(grantee, &key) else {
            continue;
        };
        let mut parts: Vec<(String, &Actions)> = vec![(resource(""), &grants.whole)];
        parts.extend(
            grants
                .columns
                .iter()
                .map(|(c, a)| (resource(&format!("/{c}")), a)),
        );
        for (res, actions) in parts {
            for (expires, actions) in by_expiry(actions) {
                report.acl.push(AclLine {
                    marker: "A",
                    principal: principal.clone(),
                    resource: Some(res.clone()),
                    actions: actions.into_iter().map(str::to_string).collect(),
                    expires,
                });
            }
        }
    }
    report.policy = policy_on(project, &super::policy::resource(project, &key));
    report
}

/// The policy statements whose resource covers `resource`, as `show acl` lists them: the role
/// (or `project` for the project policy's) and the resource pattern that covers it.
fn policy_on(project: &Project, resource: &str) -> Vec<AclLine> {
    let roles = project
        .policies
        .roles
        .iter()
        .map(|(r, d)| (format!("role/{r}"), d));
    let own = project
        .policies
        .project
        .iter()
        .map(|d| ("project/".to_string(), d));
    let mut lines = Vec::new();
    for (principal, doc) in roles.chain(own) {
        for rule in &doc.rules {
            let (marker, actions) = shown_rule(rule);
            for pattern in rule.resources.iter().filter(|p| glob(p, resource)) {
                lines.push(AclLine {
                    marker,
                    principal: principal.clone(),
                    resource: Some(pattern.clone()),
                    actions: actions.clone(),
                    expires: None,
                });
            }
        }
    }
    lines
}
