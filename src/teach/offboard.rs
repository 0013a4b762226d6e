//! Off-boarding a RAM user in the order that leaves no residue (seed 004, reference §13): in
//! every project where it is a member or holds ACL grants, revoke the roles it holds and its
//! ACL grants (they survive `remove user` and would come back with it), remove it, and take it
//! off the DataWorks workspace's own member list; then in RAM disable and delete its
//! AccessKeys, delete its log-on profile, unbind and delete its MFA device, remove it from its
//! groups, detach its policies, and only then delete the user (the service refuses to delete a
//! user that still has any of them, and a bound MFA device cannot be deleted).
//!
//! The plan is computed from the world and made of statements (the AST), which print as text
//! the parser accepts; a dry run on a scratch copy tells whether it would go through for the
//! acting identity. It holds only what the acting identity may see (see [`super::sight`]):
//! the projects where it may show the user's grants, the AccessKeys, console log-on and
//! policies RAM would list to it; the rest is named in `not_shown`, and a plan with anything
//! left out is never run.

use crate::engine::names::display;
use crate::engine::{Failure, Output, Session};
use crate::syntax::{
    Api, ConsoleCommand, DataWorksApi, Param, PrincipalName, RamApi, RoleName, Statement,
};
use crate::syntax::{RoleStatement, SessionStatement, UserStatement};
use crate::world::acl::Grantee;
use crate::world::credentials::KeyStatus;
use crate::world::{Account, AccountId, PrincipalId, Project, RamUser, Uid, World};

use super::sight::{NotShown, Sight};
use super::{TeachError, failure_message, statement_line};

/// What an off-boarding is about: a RAM user, or a RAM role (which projects list as members as
/// they list users).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    User,
    Role,
}

/// The RAM user (or RAM role) an off-boarding is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The RAM UserId; for a role, its RoleId.
    pub uid: Uid,
    pub account: AccountId,
    /// The RAM user (or role) name.
    pub name: String,
    /// `RAM$<account log-on name>:<user name>` (a role: `` `RAM$<account id>:role/<name>` ``),
    /// as the plan's statements name it.
    pub principal: PrincipalName,
    pub kind: TargetKind,
}

impl Target {
    /// The principal id of the RAM user (or role).
    pub fn uid_principal(&self) -> PrincipalId {
        self.id()
    }

    /// The target for a RAM role of `account`.
    pub fn of_role(account: &Account, role: &crate::world::ram_roles::RamRole) -> Target {
        Target {
            uid: Uid(role.id),
            account: account.id,
            name: role.name.clone(),
            principal: PrincipalName::RamRole {
                account: account.id.to_string(),
                role: role.name.clone(),
            },
            kind: TargetKind::Role,
        }
    }

    /// The target for a RAM user of `account`.
    pub fn of(account: &Account, user: &RamUser) -> Target {
        Target {
            uid: user.uid,
            account: account.id,
            name: user.name().to_string(),
            principal: PrincipalName::RamUser {
                account: Some(account.login.clone()),
                user: user.name().to_string(),
            },
            kind: TargetKind::User,
        }
    }

    pub fn id(&self) -> PrincipalId {
        match self.kind {
            TargetKind::User => PrincipalId::RamUser(self.uid),
            TargetKind::Role => PrincipalId::RamRole(self.uid.0),
        }
    }
}

/// Why a statement is in the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// Switch to the project the next statements are about.
    UseProject(String),
    RevokeRoles {
        project: String,
    },
    /// Revoke its ACL grants on one object (as stored: `tables/<t>`, `project`, …).
    RevokeGrants {
        project: String,
        object: String,
    },
    /// Revoke its label grants and set its access level back to 0.
    RevokeLabels {
        project: String,
    },
    RemoveMember {
        project: String,
    },
    /// Take the user off a DataWorks workspace's own member list.
    LeaveWorkspace {
        project: String,
        workspace: u64,
    },
    DisableKey(String),
    DeleteKey(String),
    DeleteLoginProfile,
    /// Unbind its MFA device (by serial number).
    UnbindMfa(String),
    /// Delete its virtual MFA device, once unbound.
    DeleteMfaDevice(String),
    /// Take it out of a RAM group.
    LeaveGroup(String),
    DetachPolicy(String),
    DeleteUser,
    /// Delete the RAM role (its STS credentials stop working with it).
    DeleteRole,
    /// Back to the project the session started in.
    ReturnToProject(String),
}

/// One statement of a plan and why it is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub statement: Statement,
    pub purpose: Purpose,
}

/// The statements that remove a user everywhere, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The user's display name (`RAM$<account>:<user>`).
    pub user: String,
    /// The UserId (for a role, its RoleId).
    pub uid: Uid,
    pub kind: TargetKind,
    pub steps: Vec<Step>,
    /// What the acting identity may not see, and the plan therefore leaves out.
    pub not_shown: Vec<NotShown>,
    /// Objects it created (in projects whose grants the acting identity may see): they stay.
    pub owned: Vec<OwnedObjects>,
}

impl Plan {
    /// The principal id of what it off-boards.
    pub fn id(&self) -> PrincipalId {
        match self.kind {
            TargetKind::User => PrincipalId::RamUser(self.uid),
            TargetKind::Role => PrincipalId::RamRole(self.uid.0),
        }
    }

    /// The UserId, when the acting identity may see it.
    pub fn shown_uid(&self) -> Option<Uid> {
        let hidden = self
            .not_shown
            .iter()
            .any(|n| matches!(n, NotShown::UserId { .. }));
        (!hidden).then_some(self.uid)
    }

    /// Whether the plan is whole: nothing was left out, so it may run.
    pub fn is_whole(&self) -> bool {
        self.not_shown.is_empty()
    }

    /// The plan as script lines (what `offboard` prints and `check` accepts).
    pub fn lines(&self) -> Vec<String> {
        self.steps
            .iter()
            .map(|s| statement_line(&s.statement))
            .collect()
    }
}

/// Something of a user still in the world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trace {
    /// A member of this project, holding these roles.
    Member { project: String, roles: Vec<String> },
    /// ACL grants in this project, on these objects (as stored: `tables/<t>`, `project`, …).
    Grants {
        project: String,
        objects: Vec<String>,
    },
    /// Listed by the DataWorks workspace of this project.
    Workspace { project: String, workspace: u64 },
    /// Named by a statement of this project's policy (only `put policy` changes a document).
    PolicyPrincipal { project: String },
    /// The RAM user itself.
    RamUser { name: String },
    /// The RAM role itself.
    RamRole { name: String },
}

/// What `offboard … run` did: each statement and its outcome (it stops at the first failure),
/// then what is left of the user.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    pub user: String,
    pub kind: TargetKind,
    pub steps: Vec<(Statement, Result<Output, Failure>)>,
    pub traces: Vec<Trace>,
    /// Objects it created, by project, which stay with their project after it is gone: not a
    /// membership, but the project now names their owner by its internal id.
    pub owned: Vec<OwnedObjects>,
}

/// The objects a principal created in one project, and how the project names their owner now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedObjects {
    pub project: String,
    pub owner: String,
    /// As `show acl` names them: `tables/<t>`, `resources/<r>`, `registration/functions/<f>`,
    /// `instances/<id>`.
    pub objects: Vec<String>,
}

/// The objects `id` created, project by project, in the projects `seen` lets through (read
/// from each project's index of what its principals created).
pub fn owned_objects(
    world: &World,
    id: PrincipalId,
    seen: impl Fn(&Project) -> bool,
) -> Vec<OwnedObjects> {
    let mut found = Vec::new();
    // Most projects hold nothing the principal created: that is asked first.
    let holds = |p: &&Project| p.objects().created_by(id).next().is_some();
    for project in world.projects.values().filter(holds).filter(|p| seen(p)) {
        let prefix = format!("projects/{}/", project.name);
        let objects: Vec<String> = project
            .objects()
            .created_by(id)
            .map(|key| {
                let path = key.path(&project.name);
                path.strip_prefix(&prefix).unwrap_or(&path).to_string()
            })
            .collect();
        if !objects.is_empty() {
            found.push(OwnedObjects {
                project: project.name.clone(),
                owner: crate::engine::names::display(world, id),
                objects,
            });
        }
    }
    found
}

fn console(api: Api, params: Vec<(Param, String)>) -> Statement {
    Statement::Console(ConsoleCommand::new(api, params))
}

/// The project side for one project: revoke its roles and its grants, remove it, take it off
/// the workspace.
fn project_steps(project: &Project, target: &Target, steps: &mut Vec<Step>) {
    let id = target.id();
    let name = project.name.clone();
    let roles: Vec<RoleName> = project
        .roles_of(id)
        .into_iter()
        .flatten()
        .map(RoleName::new)
        .collect();
    if !roles.is_empty() {
        steps.push(Step {
            statement: Statement::Roles(RoleStatement::Revoke {
                roles,
                grantee: target.principal.clone(),
            }),
            purpose: Purpose::RevokeRoles {
                project: name.clone(),
            },
        });
    }
    steps.extend(grant_revokes(project, target));
    steps.extend(grants::label_revokes(project, target));
    if project.is_member(id) {
        steps.push(Step {
            statement: Statement::Users(UserStatement::Remove(target.principal.clone())),
            purpose: Purpose::RemoveMember {
                project: name.clone(),
            },
        });
    }
    if let Some(workspace) = project
        .workspace
        .as_ref()
        .filter(|w| w.members.contains_key(&id))
    {
        let params = vec![
            (Param::ProjectId, workspace.id.to_string()),
            (Param::UserId, target.uid.to_string()),
        ];
        steps.push(Step {
            statement: console(Api::DataWorks(DataWorksApi::DeleteProjectMember), params),
            purpose: Purpose::LeaveWorkspace {
                project: name,
                workspace: workspace.id,
            },
        });
    }
}

/// The project side of the plan: every project where the user is a member or a workspace
/// member, switching projects with `use` and coming back to `start` at the end. Only the
/// projects where `sight` may show the user's grants; whether it left any out of the projects
/// of the user's account (the only ones that can list it) is the second value, whatever they
/// hold.
pub fn project_side(
    world: &World,
    target: &Target,
    start: &str,
    sight: &Sight<'_>,
) -> (Vec<Step>, bool) {
    let id = target.id();
    let mut steps = Vec::new();
    let mut current = start.to_string();
    let mut left_out = false;
    for project in world.projects.values() {
        if !sight.grants(project, id) {
            left_out |= project.owner == target.account;
            continue;
        }
        let listed = project
            .workspace
            .as_ref()
            .is_some_and(|w| w.members.contains_key(&id));
        let granted = project.acl().grants_of(&Grantee::User(id)).next().is_some()
            || project.labels.holds_anything(&Grantee::User(id));
        if !project.is_member(id) && !listed && !granted {
            continue;
        }
        if !project.name.eq_ignore_ascii_case(&current) {
            current = project.name.clone();
            steps.push(Step {
                statement: Statement::Session(SessionStatement::Use(current.clone())),
                purpose: Purpose::UseProject(current.clone()),
            });
        }
        project_steps(project, target, &mut steps);
    }
    if !current.eq_ignore_ascii_case(start) {
        steps.push(Step {
            statement: Statement::Session(SessionStatement::Use(start.to_string())),
            purpose: Purpose::ReturnToProject(start.to_string()),
        });
    }
    (steps, left_out)
}

/// The RAM side of the plan: keys, log-on profile, MFA device, groups, policies, then the user;
/// only what `sight` may list, the rest named in `not_shown`.
pub fn ram_side(
    world: &World,
    target: &Target,
    sight: &Sight<'_>,
    not_shown: &mut Vec<NotShown>,
) -> Vec<Step> {
    let mut steps = Vec::new();
    if target.kind == TargetKind::Role {
        return role::ram_side(world, target, sight, not_shown);
    }
    let Some((_, user)) = world.ram_user(target.uid) else {
        return steps;
    };
    let name = || (Param::UserName, user.name().to_string());
    let shown = |may: bool, missing: NotShown, not_shown: &mut Vec<NotShown>| {
        if !may {
            not_shown.push(missing);
        }
        may
    };
    let user_name = || user.name().to_string();
    let keys = shown(
        sight.access_keys(user.name()),
        NotShown::AccessKeys { user: user_name() },
        not_shown,
    );
    let log_on = shown(
        sight.login_profile(user.name()),
        NotShown::LoginProfile { user: user_name() },
        not_shown,
    );
    let policies = shown(
        sight.policies(user.name()),
        NotShown::Policies { user: user_name() },
        not_shown,
    );
    let mfa = shown(
        sight.mfa_device(user.name()),
        NotShown::MfaDevice { user: user_name() },
        not_shown,
    );
    let groups = shown(
        sight.groups(user.name()),
        NotShown::Groups { user: user_name() },
        not_shown,
    );
    let directory = world.account(target.account).map(|a| &a.directory);
    for key in user.access_keys().iter().filter(|_| keys) {
        if key.status == KeyStatus::Active {
            let params = vec![
                name(),
                (Param::UserAccessKeyId, key.id.clone()),
                (Param::Status, KeyStatus::Inactive.as_str().to_string()),
            ];
            steps.push(Step {
                statement: console(Api::Ram(RamApi::UpdateAccessKey), params),
                purpose: Purpose::DisableKey(key.id.clone()),
            });
        }
        let params = vec![name(), (Param::UserAccessKeyId, key.id.clone())];
        steps.push(Step {
            statement: console(Api::Ram(RamApi::DeleteAccessKey), params),
            purpose: Purpose::DeleteKey(key.id.clone()),
        });
    }
    if log_on && user.login_profile().is_some() {
        steps.push(Step {
            statement: console(Api::Ram(RamApi::DeleteLoginProfile), vec![name()]),
            purpose: Purpose::DeleteLoginProfile,
        });
    }
    let device = directory
        .and_then(|d| d.device_of(user.uid))
        .filter(|_| mfa);
    if let Some(device) = device {
        let serial = device.serial_number.clone();
        steps.push(Step {
            statement: console(Api::Ram(RamApi::UnbindMFADevice), vec![name()]),
            purpose: Purpose::UnbindMfa(serial.clone()),
        });
        steps.push(Step {
            statement: console(
                Api::Ram(RamApi::DeleteVirtualMFADevice),
                vec![(Param::SerialNumber, serial.clone())],
            ),
            purpose: Purpose::DeleteMfaDevice(serial),
        });
    }
    let member_of = directory
        .into_iter()
        .flat_map(|d| d.groups_of(user.uid))
        .filter(|_| groups);
    for group in member_of {
        let params = vec![name(), (Param::GroupName, group.name.clone())];
        steps.push(Step {
            statement: console(Api::Ram(RamApi::RemoveUserFromGroup), params),
            purpose: Purpose::LeaveGroup(group.name.clone()),
        });
    }
    for policy in user.policies().iter().filter(|_| policies) {
        let mut params = vec![
            (Param::PolicyType, policy.policy_type.as_str().to_string()),
            (Param::PolicyName, policy.name.clone()),
            name(),
        ];
        if let Some(group) = &policy.resource_group {
            params.push((Param::ResourceGroupId, group.clone()));
        }
        steps.push(Step {
            statement: console(Api::Ram(RamApi::DetachPolicyFromUser), params),
            purpose: Purpose::DetachPolicy(policy.name.clone()),
        });
    }
    steps.push(Step {
        statement: console(Api::Ram(RamApi::DeleteUser), vec![name()]),
        purpose: Purpose::DeleteUser,
    });
    steps
}

/// The whole plan for a target, from the session's project, as far as the session's actor
/// may see it.
pub fn plan(world: &World, session: &Session, target: &Target) -> Plan {
    let sight = Sight::of(world, session);
    let mut not_shown = Vec::new();
    if target.kind == TargetKind::User && !sight.ram_user(&target.name) {
        not_shown.push(NotShown::UserId {
            user: target.name.clone(),
        });
    }
    let (mut steps, left_out) = project_side(world, target, &session.project, &sight);
    let user = display(world, target.id());
    if left_out {
        not_shown.push(NotShown::Projects {
            principal: user.clone(),
        });
    }
    steps.extend(ram_side(world, target, &sight, &mut not_shown));
    let owned = owned_objects(world, target.id(), |p| sight.grants(p, target.id()));
    Plan {
        user,
        uid: target.uid,
        kind: target.kind,
        steps,
        not_shown,
        owned,
    }
}

/// Runs a plan's statements on `world`, stopping at the first failure.
fn run_steps(
    world: &mut World,
    session: &mut Session,
    plan: &Plan,
) -> Vec<(Statement, Result<Output, Failure>)> {
    let mut done = Vec::new();
    for step in &plan.steps {
        let outcome = super::execute(world, session, &step.statement);
        let failed = outcome.is_err();
        done.push((step.statement.clone(), outcome));
        if failed {
            break;
        }
    }
    done
}

/// Runs the plan on a scratch copy: `PlanWouldFail` names the first statement that would fail.
pub fn dry_run(world: &World, session: &Session, plan: &Plan) -> Result<(), TeachError> {
    let mut scratch = world.clone();
    let mut session = session.clone();
    let done = run_steps(&mut scratch, &mut session, plan);
    match done.iter().enumerate().find(|(_, (_, o))| o.is_err()) {
        Some((index, (statement, Err(failure)))) => Err(TeachError::PlanWouldFail {
            index: index + 1,
            statement: statement_line(statement),
            message: failure_message(failure),
        }),
        _ => Ok(()),
    }
}

/// Runs the plan for real, then looks for what is left of the user.
pub fn run(world: &mut World, session: &mut Session, plan: &Plan) -> RunReport {
    let steps = run_steps(world, session, plan);
    RunReport {
        user: plan.user.clone(),
        kind: plan.kind,
        steps,
        traces: traces(world, plan.id()),
        owned: owned_objects(world, plan.id(), |_| true),
    }
}

/// Everything of a principal still in the world: memberships, workspace listings, the RAM user.
pub fn traces(world: &World, id: PrincipalId) -> Vec<Trace> {
    let mut found = Vec::new();
    let name = crate::engine::names::display(world, id);
    for project in world.projects.values() {
        if let Some(roles) = project.roles_of(id) {
            found.push(Trace::Member {
                project: project.name.clone(),
                roles: roles.iter().map(|r| r.to_string()).collect(),
            });
        }
        let objects: Vec<String> = grants_in(project, id)
            .iter()
            .map(|(key, _, _)| key.to_string())
            .collect();
        if !objects.is_empty() {
            found.push(Trace::Grants {
                project: project.name.clone(),
                objects,
            });
        }
        if let Some(w) = project
            .workspace
            .as_ref()
            .filter(|w| w.members.contains_key(&id))
        {
            found.push(Trace::Workspace {
                project: project.name.clone(),
                workspace: w.id,
            });
        }
        let named = project.policies.project.as_ref().is_some_and(|d| {
            d.rules
                .iter()
                .any(|r| r.principals.iter().any(|p| p.eq_ignore_ascii_case(&name)))
        });
        if named {
            found.push(Trace::PolicyPrincipal {
                project: project.name.clone(),
            });
        }
    }
    if let PrincipalId::RamUser(uid) = id
        && let Some((_, user)) = world.ram_user(uid)
    {
        found.push(Trace::RamUser {
            name: user.name().to_string(),
        });
    }
    if let PrincipalId::RamRole(role) = id
        && let Some((_, r)) = world.ram_role(role)
    {
        found.push(Trace::RamRole {
            name: r.name.clone(),
        });
    }
    found
}

mod grants;
mod role;
mod target;
#[cfg(test)]
mod tests;

pub use grants::{ObjectGrant, grant_revokes, grants_in, label_revokes};
pub use target::{projects_listing, residual_of, resolve_target};
