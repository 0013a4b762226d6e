//! The RAM side of off-boarding a RAM role: detach its policies, then delete it. Its STS
//! credentials go with it; the project side (roles, grants, labels, membership) is the same as
//! a user's, done first, so that no project keeps a `v4_<RoleId>` residual.

use crate::syntax::{Api, Param, RamApi};
use crate::world::World;

use super::super::sight::{NotShown, Sight};
use super::{Purpose, Step, Target, console};

pub fn ram_side(
    world: &World,
    target: &Target,
    sight: &Sight<'_>,
    not_shown: &mut Vec<NotShown>,
) -> Vec<Step> {
    let mut steps = Vec::new();
    let Some((_, role)) = world.ram_role(target.uid.0) else {
        return steps;
    };
    let name = || (Param::RoleName, role.name.clone());
    if sight.role_policies(&role.name) {
        for policy in &role.policies {
            let params = vec![
                (Param::PolicyType, policy.policy_type.as_str().to_string()),
                (Param::PolicyName, policy.name.clone()),
                name(),
            ];
            steps.push(Step {
                statement: console(Api::Ram(RamApi::DetachPolicyFromRole), params),
                purpose: Purpose::DetachPolicy(policy.name.clone()),
            });
        }
    } else {
        not_shown.push(NotShown::Policies {
            user: role.name.clone(),
        });
    }
    steps.push(Step {
        statement: console(Api::Ram(RamApi::DeleteRole), vec![name()]),
        purpose: Purpose::DeleteRole,
    });
    steps
}
