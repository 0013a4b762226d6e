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
    if !secret_matches(&key.secret) {
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
