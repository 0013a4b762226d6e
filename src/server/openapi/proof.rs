//! What an OpenAPI request must prove, whichever way the SDK signed it: an ACS3 `Authorization`
//! header (the Tea SDKs) or the RPC V1 parameters (the older SDKs and the `aliyun` CLI); a
//! signing time within 15 minutes of the server's clock; no STS token (odpsh issues none). The
//! [`Proof`] it yields is checked against the world's AccessKeys by [`Proof::verify`], on the
//! connection's task first and on the commit thread again.

use std::time::{Duration, SystemTime};

use crate::engine::Code;
use crate::engine::identity::{self, AuthFailure};
use crate::world::{PrincipalId, World};

use super::errors::OpenApiError;
use super::params::Params;
use super::signature_acs3::{self as acs3, Request};
use super::signature_rpc as rpc;

/// How far a signing time may be from the server's clock, either way.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Which signature a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Acs3,
    RpcV1,
    /// The ROA form `acs <AccessKeyId>:<signature>` (the MaxCompute OpenAPI, `maxcompute`).
    Roa,
}

/// A signature to check against the world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    pub scheme: Scheme,
    pub access_key_id: String,
    pub signature: String,
    pub nonce: String,
    pub signed_at: SystemTime,
    pub string_to_sign: String,
    /// What a mismatch shows of the string to sign (secret parameters masked).
    pub shown: String,
    /// The security token of an STS credential (`x-acs-security-token`, or the V1
    /// `SecurityToken` parameter).
    pub security_token: Option<String>,
}

/// The header an STS credential's security token travels in (the Tea SDKs, the `aliyun` CLI).
pub const SECURITY_TOKEN_HEADER: &str = "x-acs-security-token";

/// Reads the request's signature and checks its time; `request.headers` are in lower case.
pub fn prove(
    request: &Request<'_>,
    params: &Params,
    now: SystemTime,
) -> Result<Proof, OpenApiError> {
    let authorization = request
        .headers
        .iter()
        .rev()
        .find(|(n, _)| n == "authorization")
        .map(|(_, v)| v.as_str());
    let proof = match authorization {
        Some(header) => {
            let claim = acs3::claim(&acs3::parse_authorization(header)?, request)?;
            Proof {
                scheme: Scheme::Acs3,
                access_key_id: claim.access_key_id,
                signature: claim.signature,
                nonce: claim.nonce,
                signed_at: claim.signed_at,
                shown: claim.string_to_sign.clone(),
                string_to_sign: claim.string_to_sign,
                security_token: None,
            }
        }
        None => {
            let claim = rpc::claim(request.method, params)?;
            Proof {
                scheme: Scheme::RpcV1,
                access_key_id: claim.access_key_id,
                signature: claim.signature,
                nonce: claim.nonce,
                signed_at: claim.signed_at,
                string_to_sign: claim.string_to_sign,
                shown: claim.shown,
                security_token: None,
            }
        }
    };
    let skew = match now.duration_since(proof.signed_at) {
        Ok(past) => past,
        Err(future) => future.duration(),
    };
    if skew > WINDOW {
        return Err(OpenApiError::TimestampExpired);
    }
    let header = request
        .headers
        .iter()
        .rev()
        .find(|(n, v)| n == SECURITY_TOKEN_HEADER && !v.trim().is_empty())
        .map(|(_, v)| v.trim());
    let token = header.or_else(|| params.non_empty("SecurityToken"));
    Ok(Proof {
        security_token: token.map(str::to_string),
        ..proof
    })
}

impl Proof {
    /// Until when its nonce must be remembered: after that its time is refused anyway.
    pub fn nonce_expiry(&self) -> SystemTime {
        self.signed_at + WINDOW
    }

    /// The principal whose AccessKey made this signature: an unknown key first, then a wrong
    /// secret, then a disabled key (as the engine checks keys everywhere).
    pub fn verify(&self, world: &World) -> Result<PrincipalId, OpenApiError> {
        let token = self.security_token.as_deref();
        identity::authenticate_key(world, &self.access_key_id, token, |secret| {
            match self.scheme {
                Scheme::Acs3 => acs3::verify(secret, &self.string_to_sign, &self.signature),
                Scheme::RpcV1 => rpc::verify(secret, &self.string_to_sign, &self.signature),
                Scheme::Roa => super::maxcompute::signature_roa::verify(
                    secret,
                    &self.string_to_sign,
                    &self.signature,
                ),
            }
        })
        .map_err(|f| match f {
            AuthFailure::WrongSecret => OpenApiError::SignatureMismatch {
                string_to_sign: self.shown.clone(),
            },
            other => OpenApiError::Service(other.open_api()),
        })
    }

    /// Whether a refusal by [`Proof::verify`] could be answered otherwise by a world another
    /// process saved since (a key created or enabled there).
    pub fn may_be_stale(e: &OpenApiError) -> bool {
        matches!(
            e,
            OpenApiError::Service(r)
                if matches!(r.code, Code::AccessKeyIdNotFound | Code::AccessKeyIdInactive)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::RamError;
    use crate::server::openapi::params;
    use crate::world::credentials::{AccessKey, KeyStatus};

    const SECRET: &str = "IViXZ64vgGHmPSJNHFLOrFDQZCrpIB";

    fn rpc_params(time: &str, secret: &str, extra: &[(&str, &str)]) -> Params {
        let mut query: Vec<(String, String)> = [
            ("Action", "GetCallerIdentity"),
            ("Version", "2015-04-01"),
            ("AccessKeyId", "LTAIx"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", "n-1"),
            ("Timestamp", time),
        ]
        .iter()
        .chain(extra)
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        let sts = rpc::string_to_sign(
            "GET",
            query.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            false,
        );
        query.push(("Signature".into(), rpc::sign(secret, &sts)));
        Params {
            query,
            form: Vec::new(),
        }
    }

    fn prove_rpc(params: &Params, now: &str) -> Result<Proof, OpenApiError> {
        let request = Request {
            method: "GET",
            path: "/",
            query: &params.query,
            headers: &[],
            body: b"",
        };
        prove(&request, params, params::parse_utc(now).unwrap())
    }

    #[test]
    fn the_window_is_fifteen_minutes_either_way() {
        let p = rpc_params("2026-08-04T06:00:00Z", SECRET, &[]);
        assert!(prove_rpc(&p, "2026-08-04T06:15:00Z").is_ok());
        assert!(prove_rpc(&p, "2026-08-04T05:45:00Z").is_ok());
        assert_eq!(
            prove_rpc(&p, "2026-08-04T06:15:01Z"),
            Err(OpenApiError::TimestampExpired)
        );
        assert_eq!(
            prove_rpc(&p, "2026-08-04T05:44:59Z"),
            Err(OpenApiError::TimestampExpired)
        );
        let proof = prove_rpc(&p, "2026-08-04T06:00:00Z").unwrap();
        assert_eq!(
            proof.nonce_expiry(),
            params::parse_utc("2026-08-04T06:15:00Z").unwrap()
        );
    }

    #[test]
    fn a_token_travels_with_the_proof_and_a_permanent_key_refuses_it() {
        let p = rpc_params("2026-08-04T06:00:00Z", SECRET, &[("SecurityToken", "t")]);
        let proof = prove_rpc(&p, "2026-08-04T06:00:00Z").unwrap();
        assert_eq!(proof.security_token.as_deref(), Some("t"));
        let mut world = crate::store::builtin_world();
        let home = world.home;
        if let Some(a) = world.accounts.get_mut(&home) {
            a.insert_key(
                None,
                crate::world::credentials::AccessKey {
                    id: proof.access_key_id.clone(),
                    secret: SECRET.into(),
                    status: crate::world::credentials::KeyStatus::Active,
                    created: 0,
                    last_used: None,
                    imported: false,
                },
            );
        }
        assert_eq!(
            proof.verify(&world),
            Err(OpenApiError::Service(RamError::SECURITY_TOKEN_MISMATCH))
        );
    }

    #[test]
    fn keys_are_checked_against_the_world() {
        let mut world = crate::store::builtin_world();
        let (id, secret) = ("LTAIkeyofthemainaccount1", SECRET);
        if let Some(account) = world.accounts.values_mut().next() {
            account.insert_key(
                None,
                AccessKey {
                    id: id.into(),
                    secret: secret.into(),
                    status: KeyStatus::Active,
                    created: 1,
                    last_used: None,
                    imported: false,
                },
            );
        }
        let signed = |secret: &str, id: &str| {
            let mut p = rpc_params("2026-08-04T06:00:00Z", secret, &[]);
            for (n, v) in p.query.iter_mut() {
                if n == "AccessKeyId" {
                    *v = id.to_string();
                }
            }
            // Re-sign with the id in place.
            p.query.retain(|(n, _)| n != "Signature");
            let sts = rpc::string_to_sign(
                "GET",
                p.query.iter().map(|(n, v)| (n.as_str(), v.as_str())),
                false,
            );
            p.query.push(("Signature".into(), rpc::sign(secret, &sts)));
            prove_rpc(&p, "2026-08-04T06:00:00Z").unwrap()
        };
        assert!(signed(secret, id).verify(&world).is_ok());
        assert_eq!(
            signed(secret, "LTAInope").verify(&world),
            Err(OpenApiError::Service(RamError::ACCESS_KEY_ID_NOT_FOUND))
        );
        let wrong = signed("wrong", id);
        assert_eq!(
            wrong.verify(&world),
            Err(OpenApiError::SignatureMismatch {
                string_to_sign: wrong.shown.clone()
            })
        );
        assert!(Proof::may_be_stale(&OpenApiError::Service(
            RamError::ACCESS_KEY_ID_INACTIVE
        )));
        assert!(!Proof::may_be_stale(&OpenApiError::NonceUsed));
    }
}
