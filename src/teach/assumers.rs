//! Who may act as a RAM role through STS: the RAM users (of the role's account) whose own
//! policies allow `sts:AssumeRole` on the role and whom its trust policy names, and, the other
//! way, the roles a RAM user may assume. `who may` and `what may` count these, since a project
//! member that is a role is whoever may assume it.

use crate::engine::names::display;
use crate::engine::{RamOrigin as Origin, ram_verdict as verdict};
use crate::world::policy_document::Verdict;
use crate::world::ram_roles::{RamRole, role_arn};
use crate::world::trust_policy::{Caller, TrustPolicy};
use crate::world::{Account, PrincipalId, RamUser, World};

use super::sight::Sight;

/// Whether `user` may assume `role` (both of `account`).
pub fn may_assume(world: &World, account: &Account, role: &RamRole, user: &RamUser) -> bool {
    let trusted = TrustPolicy::parse(&role.trust_policy).is_ok_and(|p| {
        p.trusts(Caller::User {
            account: account.id.0,
            name: user.name(),
        })
    });
    trusted
        && verdict(
            world,
            PrincipalId::RamUser(user.uid),
            "sts:AssumeRole",
            &role_arn(account.id.0, &role.name),
            Origin::default(),
        ) == Verdict::Allowed
}

/// Whether the acting identity may learn who assumes roles: it may list the account's users
/// and its roles.
fn may_look(sight: &Sight<'_>) -> bool {
    sight.ram_users() && sight.ram_roles()
}

/// The RAM users that may assume the role `id`, by display name (none when the acting
/// identity may not look).
pub fn assumed_by(world: &World, sight: &Sight<'_>, id: PrincipalId) -> Vec<String> {
    let PrincipalId::RamRole(role_id) = id else {
        return Vec::new();
    };
    let Some((account, role)) = world.ram_role(role_id).filter(|_| may_look(sight)) else {
        return Vec::new();
    };
    account
        .users_in_creation_order()
        .into_iter()
        .filter(|u| may_assume(world, account, role, u))
        .map(|u| display(world, PrincipalId::RamUser(u.uid)))
        .collect()
}

/// The RAM roles the RAM user `id` may assume, as principal ids.
pub fn assumes(world: &World, sight: &Sight<'_>, id: PrincipalId) -> Vec<PrincipalId> {
    let PrincipalId::RamUser(uid) = id else {
        return Vec::new();
    };
    let Some((account, user)) = world.ram_user(uid).filter(|_| may_look(sight)) else {
        return Vec::new();
    };
    account
        .directory
        .roles
        .iter()
        .filter(|r| may_assume(world, account, r, user))
        .map(|r| PrincipalId::RamRole(r.id))
        .collect()
}
