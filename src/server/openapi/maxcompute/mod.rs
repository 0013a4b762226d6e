//! The MaxCompute OpenAPI (ROA style, version 2022-01-04) under `/api/v1/`, which the
//! `alibabacloud_maxcompute20220104` SDK speaks: the action from the method and path
//! ([`routes`]), the signature ACS3-HMAC-SHA256 (the SDK's default; the canonical URI is the
//! path) or the ROA `acs <AccessKeyId>:<signature>` form ([`signature_roa`], the SDK with
//! `signature_algorithm='v2'`), a signing time within 15 minutes, a nonce used once.
//!
//! As at `/`: on the connection's task the request is read, its signature and time checked,
//! the key and signature verified against the world in memory, the nonce admitted and the
//! action bound to its statements; then the call joins the commit thread's batches, runs as
//! the key's owner after its key is checked again ([`run`]), and is answered once its change is
//! saved. Answers are `{"requestId", "data"}`; refusals are as [`errors`] says.

pub mod errors;
pub mod reply;
pub mod routes;
pub mod run;
pub mod signature_roa;

use std::net::IpAddr;
use std::time::SystemTime;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming as Body;
use hyper::{Request, Response};
use tokio::sync::oneshot;

use crate::render::visible::json_safe_owned;
use crate::world::World;

use super::super::Shared;
use super::super::commit::Job;
use super::super::errors::ServerError;
use super::super::handler::Reply;
use super::errors::OpenApiError;
use super::params::Params;
use super::proof::{self, Proof, Scheme};
use super::signature_acs3;
use super::{JSON, authenticate, header, request_id, response};

use errors::RoaError;
use routes::Bound;

/// Whether this endpoint answers requests to `path`.
pub fn serves(path: &str) -> bool {
    path.starts_with(routes::PREFIX)
}

/// An authenticated call, for the commit thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    proof: Proof,
    bound: Bound,
    /// The region GetProject reports (the server's).
    region: String,
    /// The client's address, which `acs:SourceIp` conditions of project policies read.
    peer: IpAddr,
}

impl Call {
    /// Whether running it may change the world.
    pub fn changes(&self) -> bool {
        self.bound.statements.iter().any(|s| !s.is_read_only())
    }
}

fn error_reply(e: &RoaError, request_id: &str, host_id: &str) -> Reply {
    let body = e.body(request_id, host_id);
    let mut reply = Reply::with_status(e.status(), JSON, json_safe_owned(body.to_string()));
    reply
        .headers
        .push(("x-acs-request-id", request_id.to_string()));
    reply
}

/// The reply to a call the commit thread could not answer (the world could not be saved).
pub fn failure(e: &ServerError, request_id: &str, host_id: &str) -> Reply {
    error_reply(
        &RoaError::Gateway(OpenApiError::Server(e.clone())),
        request_id,
        host_id,
    )
}

/// Answers an authenticated call on the commit thread: its key is checked again, then it runs
/// as the key's owner.
pub fn handle(
    world: &mut World,
    host_id: &str,
    call: &Call,
    request_id: &str,
    tape: &mut crate::engine::tape::Tape,
) -> Reply {
    let actor = match call.proof.verify(world) {
        Ok(actor) => actor,
        Err(e) => return error_reply(&RoaError::Gateway(e), request_id, host_id),
    };
    // The key was used, however the call ends. The call's statements are not on the tape (a
    // refused one puts the world back), so a call that changes the world writes it whole.
    let recorded = tape.record_use(world, &call.proof.access_key_id);
    let answered = run::run(
        world,
        actor,
        &call.bound,
        &call.region,
        request_id,
        call.peer,
    );
    let mut reply = match answered {
        Ok(value) => {
            let mut reply = Reply::with_status(200, JSON, json_safe_owned(value.to_string()));
            reply
                .headers
                .push(("x-acs-request-id", request_id.to_string()));
            reply.changed = call.changes();
            reply
        }
        Err(e) => error_reply(&e, request_id, host_id),
    };
    reply.recorded = recorded;
    reply
}

/// The signature of the request, whichever form it has, its time checked.
fn prove(request: &signature_acs3::Request<'_>, now: SystemTime) -> Result<Proof, OpenApiError> {
    let authorization = header(request.headers, "authorization").ok_or_else(|| {
        OpenApiError::IncompleteSignature("The header Authorization is missing.".into())
    })?;
    let proof = if signature_roa::is_roa(authorization) {
        let claim = signature_roa::claim(authorization, request)?;
        Proof {
            scheme: Scheme::Roa,
            access_key_id: claim.access_key_id,
            signature: claim.signature,
            nonce: claim.nonce,
            signed_at: claim.signed_at,
            shown: claim.string_to_sign.clone(),
            string_to_sign: claim.string_to_sign,
            security_token: None,
        }
    } else {
        let auth = signature_acs3::parse_authorization(authorization)?;
        let claim = signature_acs3::claim(&auth, request)?;
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
    };
    let skew = match now.duration_since(proof.signed_at) {
        Ok(past) => past,
        Err(future) => future.duration(),
    };
    if skew > proof::WINDOW {
        return Err(OpenApiError::TimestampExpired);
    }
    let token = header(request.headers, proof::SECURITY_TOKEN_HEADER)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    Ok(Proof {
        security_token: token,
        ..proof
    })
}

/// Everything the connection's task checks; the call for the commit thread.
async fn admit(req: Request<Body>, peer: IpAddr, shared: &Shared) -> Result<Call, RoaError> {
    let super::Read {
        method,
        path,
        query,
        headers,
        body,
    } = super::read_request(req, shared).await?;
    let params = Params::parse(query.as_deref(), None)?;
    let request = signature_acs3::Request {
        method: &method,
        path: &path,
        query: &params.query,
        headers: &headers,
        body: &body,
    };
    let proof = prove(&request, SystemTime::now())?;
    authenticate(&proof, shared).await?;
    shared.openapi.nonces.admit(
        &proof.access_key_id,
        &proof.nonce,
        proof.nonce_expiry(),
        SystemTime::now(),
    )?;
    let bound = routes::bind(&method, &path, &params.query, &body)?;
    Ok(Call {
        proof,
        bound,
        region: shared.rules.region.clone(),
        peer,
    })
}

/// Answers one request under `/api/v1/`.
pub(in crate::server) async fn answer(
    req: Request<Body>,
    peer: IpAddr,
    shared: &Shared,
) -> Response<Full<Bytes>> {
    let request_id = request_id(&shared.ids.next());
    let host_id = &shared.host_id;
    let gone = || {
        RoaError::Gateway(OpenApiError::Server(ServerError::Internal(
            "the commit thread stopped".into(),
        )))
    };
    let reply = match admit(req, peer, shared).await {
        Err(refused) => error_reply(&refused, &request_id, host_id),
        Ok(call) => {
            let (reply, receive) = oneshot::channel();
            let job = Job::MaxCompute {
                call: Box::new(call),
                request_id: request_id.clone(),
                reply,
            };
            match shared.queue.send(job).await {
                Ok(()) => receive
                    .await
                    .unwrap_or_else(|_| error_reply(&gone(), &request_id, host_id)),
                Err(_) => error_reply(&gone(), &request_id, host_id),
            }
        }
    };
    response(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_v1_api_is_served() {
        assert!(serves("/api/v1/projects/p"));
        assert!(serves("/api/v1/"));
        assert!(!serves("/api/v1"));
        assert!(!serves("/api/projects/p"));
        assert!(!serves("/"));
    }
}
