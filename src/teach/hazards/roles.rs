//! Hazards of RAM roles: a role deleted while a project still lists it (it stays there as a
//! `v4_<RoleId>` residual, as a deleted RAM user stays as `p4_`), and a role that holds a
//! high-risk policy while its trust policy lets every RAM user of the account assume it (anyone
//! with `sts:AssumeRole` becomes an administrator).

use crate::engine::Session;
use crate::engine::names::{account_of, display};
use crate::syntax::{Input, Param, Statement};
use crate::world::credentials::{PolicyType, system_policy};
use crate::world::ram_roles::RamRole;
use crate::world::trust_policy::TrustPolicy;
use crate::world::{AccountId, PrincipalId, Uid, World};

use super::super::offboard::{Target, TargetKind, grants_in, project_side};
use super::super::sight::Sight;
use super::super::statement_line;
use super::{Hazard, ProjectRoles};

/// What role hazards need to know of a RAM role before a statement runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleFacts {
    pub id: u64,
    pub account: AccountId,
    pub name: String,
    pub display: String,
    /// The high-risk policy it could be assumed into by anyone, if it could.
    pub assumable_admin: Option<String>,
}

/// The high-risk system policy of a role that every RAM user of its account may assume.
fn assumable_admin(account: AccountId, role: &RamRole) -> Option<String> {
    let open =
        TrustPolicy::parse(&role.trust_policy).is_ok_and(|p| p.trusts_every_user_of(account.0));
    if !open {
        return None;
    }
    role.policies
        .iter()
        .find(|p| {
            p.policy_type == PolicyType::System
                && p.resource_group.is_none()
                && system_policy(&p.name).is_some_and(|s| s.high_risk)
        })
        .map(|p| p.name.clone())
}

/// The roles a statement names (`--RoleName` of a RAM call), in the caller's account.
pub fn role_facts(world: &World, session: &Session, input: &Input) -> Vec<RoleFacts> {
    let Input::Statement(Statement::Console(command)) = input else {
        return Vec::new();
    };
    let Some(name) = command.get(Param::RoleName) else {
        return Vec::new();
    };
    let caller = account_of(world, session.actor).unwrap_or(world.home);
    let Some(account) = world.account(caller) else {
        return Vec::new();
    };
    account
        .directory
        .role(name)
        .map(|role| RoleFacts {
            id: role.id,
            account: account.id,
            name: role.name.clone(),
            display: display(world, PrincipalId::RamRole(role.id)),
            assumable_admin: assumable_admin(account.id, role),
        })
        .into_iter()
        .collect()
}

fn target(facts: &RoleFacts) -> Target {
    Target {
        uid: Uid(facts.id),
        account: facts.account,
        name: facts.name.clone(),
        principal: crate::syntax::PrincipalName::RamRole {
            account: facts.account.to_string(),
            role: facts.name.clone(),
        },
        kind: TargetKind::Role,
    }
}

/// Roles the statement deleted while a project still lists them.
pub fn residual_roles(before: &[RoleFacts], after: &World, session: &Session) -> Vec<Hazard> {
    let sight = Sight::of(after, session);
    let mut found = Vec::new();
    for facts in before {
        if after.ram_role(facts.id).is_some() {
            continue;
        }
        let id = PrincipalId::RamRole(facts.id);
        let projects: Vec<ProjectRoles> = after
            .projects
            .values()
            .filter(|p| p.is_member(id) && sight.grants(p, id))
            .filter_map(|p| {
                Some(ProjectRoles {
                    project: p.name.clone(),
                    roles: p.roles_of(id)?.iter().map(|r| r.to_string()).collect(),
                    grants: grants_in(p, id).iter().map(|g| g.0.to_string()).collect(),
                })
            })
            .collect();
        if projects.is_empty() {
            continue;
        }
        let (steps, _) = project_side(after, &target(facts), &session.project, &sight);
        found.push(Hazard::ResidualRole {
            role: facts.display.clone(),
            role_id: facts.id,
            projects,
            avoid: steps.iter().map(|s| statement_line(&s.statement)).collect(),
        });
    }
    found
}

/// Roles the statement made assumable into a high-risk policy by every RAM user.
pub fn assumable_admins(before: &[RoleFacts], after: &World) -> Vec<Hazard> {
    let mut found = Vec::new();
    for facts in before {
        let Some((account, role)) = after.ram_role(facts.id) else {
            continue;
        };
        let Some(policy) = assumable_admin(account.id, role) else {
            continue;
        };
        if facts.assumable_admin.is_some() {
            continue;
        }
        found.push(Hazard::AssumableAdminRole {
            role: facts.display.clone(),
            policy: policy.clone(),
            avoid: vec![
                format!(
                    "aliyun ram UpdateRole --RoleName {} --NewAssumeRolePolicyDocument '{{\"Statement\":[{{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{{\"RAM\":[\"acs:ram::{}:user/<the one user that needs it>\"]}}}}],\"Version\":\"1\"}}'",
                    role.name, account.id
                ),
                format!(
                    "aliyun ram DetachPolicyFromRole --PolicyType System --PolicyName {policy} --RoleName {}",
                    role.name
                ),
            ],
        });
    }
    found
}
