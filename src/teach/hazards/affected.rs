//! The RAM users a statement can change, so that `check` takes only their facts. Which
//! principals a statement names is the statement's family's answer (`Family::affects`); this
//! module only resolves those names against the world.

use crate::engine::Session;
use crate::engine::names::{account_of, resolve};
use crate::syntax::{Affected, Input, TeachStatement};
use crate::world::{PrincipalId, Uid, World};

use super::super::offboard::resolve_target;

/// The RAM users a statement can change (membership, grants, console access, policies, the
/// user itself).
pub fn affected(world: &World, session: &Session, input: &Input) -> Vec<Uid> {
    let statement = match input {
        Input::Teach(TeachStatement::Offboard { user, .. }) => {
            return resolve_target(world, session, user)
                .map(|t| vec![t.uid])
                .unwrap_or_default();
        }
        Input::Teach(_) => return Vec::new(),
        Input::Statement(s) => s,
    };
    let caller = account_of(world, session.actor).unwrap_or(world.home);
    statement
        .affects()
        .into_iter()
        .filter_map(|who| match who {
            Affected::Principal(p) => match resolve(world, caller, p) {
                Ok(PrincipalId::RamUser(uid)) => Some(uid),
                _ => None,
            },
            Affected::RamUserNamed(name) => world
                .account(caller)
                .and_then(|a| a.user_named(name))
                .map(|u| u.uid),
            Affected::RamUserId(id) => id.parse::<u64>().ok().map(Uid),
            Affected::Caller => match session.actor {
                PrincipalId::RamUser(uid) => Some(uid),
                _ => None,
            },
        })
        .collect()
}
