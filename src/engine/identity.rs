//! Who is acting: every statement runs as the owner of the session's AccessKey, checked again
//! for each statement, so a key disabled or deleted mid-session stops working at once. An STS
//! credential (`STS.…` with its security token) acts as its RAM role until it expires on the
//! world's clock, and stops at once when the role is deleted.

use crate::world::credentials::{AccessKey, KeyStatus};
use crate::world::ram_roles::STS_KEY_PREFIX;
use crate::world::{PrincipalId, World};

use super::error::{OdpsError, RamError};

/// An AccessKey pair as given with `-u/-p` or `login`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret: String,
    /// The security token of an STS credential (`--sts-token`, `login … <token>`).
    pub security_token: Option<String>,
}

/// Why a key does not authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    NotFound,
    Inactive,
    WrongSecret,
    /// An STS AccessKeyId without its security token.
    TokenMissing,
    /// A token that is not the credential's (or any token with a permanent key).
    TokenMismatch,
    /// An STS credential past its expiration.
    TokenExpired,
}

impl AuthFailure {
    /// As MaxCompute answers it.
    pub fn odps(self, id: &str) -> OdpsError {
        match self {
            AuthFailure::NotFound => OdpsError::AccessKeyNotFound(id.to_string()),
            AuthFailure::Inactive => OdpsError::AccessKeyInactive(id.to_string()),
            AuthFailure::WrongSecret => OdpsError::SignatureMismatch,
            AuthFailure::TokenMissing => OdpsError::SecurityTokenMissing(id.to_string()),
            AuthFailure::TokenMismatch => OdpsError::SecurityTokenMismatch(id.to_string()),
            AuthFailure::TokenExpired => OdpsError::SecurityTokenExpired(id.to_string()),
        }
    }

    /// As the OpenAPI services (RAM, DataWorks) answer it.
    pub fn open_api(self) -> RamError {
        match self {
            AuthFailure::NotFound => RamError::ACCESS_KEY_ID_NOT_FOUND,
            AuthFailure::Inactive => RamError::ACCESS_KEY_ID_INACTIVE,
            AuthFailure::WrongSecret => RamError::SIGNATURE_DOES_NOT_MATCH,
            AuthFailure::TokenMissing => RamError::SECURITY_TOKEN_MISSING,
            AuthFailure::TokenMismatch => RamError::SECURITY_TOKEN_MISMATCH,
            AuthFailure::TokenExpired => RamError::SECURITY_TOKEN_EXPIRED,
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
/// a wrong secret is reported before a disabled key. `token` is the security token sent with
/// it: an STS credential needs its own, and a permanent key takes none.
pub fn authenticate_key(
    world: &World,
    access_key_id: &str,
    token: Option<&str>,
    secret_matches: impl FnOnce(&str) -> bool,
) -> Result<PrincipalId, AuthFailure> {
    if access_key_id.starts_with(STS_KEY_PREFIX) {
        return authenticate_sts(world, access_key_id, token, secret_matches)
            .map(|session| session.actor);
    }
    let (owner, key) = find_key(world, access_key_id).ok_or(AuthFailure::NotFound)?;
    // An imported key has no secret in the world: nothing it is offered matches.
    if key.imported || !secret_matches(&key.secret) {
        return Err(AuthFailure::WrongSecret);
    }
    if token.is_some() {
        return Err(AuthFailure::TokenMismatch);
    }
    if key.status == KeyStatus::Inactive {
        return Err(AuthFailure::Inactive);
    }
    Ok(owner)
}

/// Who an STS credential acts as: its role, in a named session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StsSession {
    pub actor: PrincipalId,
    pub session_name: String,
}

/// An STS credential: its secret, then its token, then its expiration; a credential whose role
/// is gone is no longer found.
pub fn authenticate_sts(
    world: &World,
    access_key_id: &str,
    token: Option<&str>,
    secret_matches: impl FnOnce(&str) -> bool,
) -> Result<StsSession, AuthFailure> {
    let (account, credential) = world
        .sts_credential(access_key_id)
        .ok_or(AuthFailure::NotFound)?;
    if account.directory.role_by_id(credential.role).is_none() {
        return Err(AuthFailure::NotFound);
    }
    if !secret_matches(&credential.secret) {
        return Err(AuthFailure::WrongSecret);
    }
    match token {
        None => return Err(AuthFailure::TokenMissing),
        Some(t) if t != credential.security_token => return Err(AuthFailure::TokenMismatch),
        Some(_) => {}
    }
    if credential.expired_at(world.clock.now) {
        return Err(AuthFailure::TokenExpired);
    }
    Ok(StsSession {
        actor: PrincipalId::RamRole(credential.role),
        session_name: credential.session_name.clone(),
    })
}

/// The session name of an STS credential, if `access_key_id` is one.
pub fn sts_session_name(world: &World, access_key_id: &str) -> Option<String> {
    world
        .sts_credential(access_key_id)
        .map(|(_, c)| c.session_name.clone())
}

/// The principal a key pair authenticates.
pub fn authenticate(world: &World, credentials: &Credentials) -> Result<PrincipalId, AuthFailure> {
    authenticate_key(
        world,
        &credentials.access_key_id,
        credentials.security_token.as_deref(),
        |secret| secret == credentials.secret,
    )
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
