//! Who is acting: every statement runs as the owner of the session's AccessKey, checked again
//! for each statement, so a key disabled or deleted mid-session stops working at once.

use crate::world::credentials::{AccessKey, KeyStatus};
use crate::world::{PrincipalId, World};

use super::error::{OdpsError, RamError};

/// An AccessKey pair as given with `-u/-p` or `login`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret: String,
}

/// Why a key does not authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    NotFound,
    Inactive,
    WrongSecret,
}

impl AuthFailure {
    /// As MaxCompute answers it.
    pub fn odps(self, id: &str) -> OdpsError {
        match self {
            AuthFailure::NotFound => OdpsError::AccessKeyNotFound(id.to_string()),
            AuthFailure::Inactive => OdpsError::AccessKeyInactive(id.to_string()),
            AuthFailure::WrongSecret => OdpsError::SignatureMismatch,
        }
    }

    /// As the OpenAPI services (RAM, DataWorks) answer it.
    pub fn open_api(self) -> RamError {
        match self {
            AuthFailure::NotFound => RamError::ACCESS_KEY_ID_NOT_FOUND,
            AuthFailure::Inactive => RamError::ACCESS_KEY_ID_INACTIVE,
            AuthFailure::WrongSecret => RamError::SIGNATURE_DOES_NOT_MATCH,
        }
    }
}

/// An AccessKey by id, with the principal that owns it.
pub fn find_key<'w>(world: &'w World, access_key_id: &str) -> Option<(PrincipalId, &'w AccessKey)> {
    world.accounts.values().find_map(|a| {
        a.key(access_key_id).map(|(owner, key)| {
            let principal = match owner {
                Some(uid) => PrincipalId::RamUser(uid),
                None => PrincipalId::Account(a.id),
            };
            (principal, key)
        })
    })
}

/// The principal a key authenticates, once the secret has been checked (`secret_matches`):
/// a wrong secret is reported before a disabled key.
pub fn authenticate_key(
    world: &World,
    access_key_id: &str,
    secret_matches: impl FnOnce(&str) -> bool,
) -> Result<PrincipalId, AuthFailure> {
    let (owner, key) = find_key(world, access_key_id).ok_or(AuthFailure::NotFound)?;
    // An imported key has no secret in the world: nothing it is offered matches.
    if key.imported || !secret_matches(&key.secret) {
        return Err(AuthFailure::WrongSecret);
    }
    if key.status == KeyStatus::Inactive {
        return Err(AuthFailure::Inactive);
    }
    Ok(owner)
}

/// The principal a key pair authenticates.
pub fn authenticate(world: &World, credentials: &Credentials) -> Result<PrincipalId, AuthFailure> {
    authenticate_key(world, &credentials.access_key_id, |secret| {
        secret == credentials.secret
    })
}

/// Seconds in a day of the world's clock.
const DAY: u64 = 86_400;

/// Records that a call authenticated with `access_key_id` (what `GetAccessKeyLastUsed` answers):
/// the world's time, at most once per day of the world's clock, as the service's own figure is
/// approximate. So a read-only session writes the world only on the first use of a key on a
/// day; whether anything was recorded (the world must then be saved) is the answer.
pub fn record_use(world: &mut World, access_key_id: &str) -> bool {
    let now = world.clock.now;
    let Some(key) = world
        .accounts
        .values_mut()
        .find_map(|a| a.key_mut(access_key_id))
    else {
        return false;
    };
    if key.last_used.is_some_and(|at| at / DAY >= now / DAY) {
        return false;
    }
    key.last_used = Some(now);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world_with_key() -> World {
        let mut world = World::default_world();
        let home = world.home;
        if let Some(account) = world.accounts.get_mut(&home) {
            account.insert_key(
                None,
                AccessKey {
                    id: "LTAI00000000000000000001".into(),
                    secret: "s".repeat(30),
                    status: KeyStatus::Active,
                    created: world.clock.now,
                    last_used: None,
                    imported: false,
                },
            );
        }
        world
    }

    fn last_used(world: &World) -> Option<u64> {
        find_key(world, "LTAI00000000000000000001").and_then(|(_, k)| k.last_used)
    }

    #[test]
    fn a_key_use_is_recorded_once_per_day_of_the_worlds_clock() {
        let mut world = world_with_key();
        let start = world.clock.now;
        assert!(record_use(&mut world, "LTAI00000000000000000001"));
        assert_eq!(last_used(&world), Some(start));
        // Later the same day: nothing to save.
        world.clock.now += 3_600;
        assert!(!record_use(&mut world, "LTAI00000000000000000001"));
        assert_eq!(last_used(&world), Some(start));
        // The next day: recorded again.
        world.clock.now = start + DAY;
        assert!(record_use(&mut world, "LTAI00000000000000000001"));
        assert_eq!(last_used(&world), Some(start + DAY));
        assert!(!record_use(&mut world, "LTAI-no-such-key"));
    }
}
