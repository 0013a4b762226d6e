//! The Alibaba Cloud OpenAPI RPC endpoint at `/`, which the RAM, STS, DataWorks and IMS SDKs
//! speak: the action from `x-acs-action` (or the `Action` parameter), the product from the
//! version, the parameters from the query or a form body, the signature ACS3 or RPC V1.
//!
//! On the connection's task, before anything reaches the commit thread: the method, the
//! version and action ([`actions`]), the signature's form and time ([`proof`]), the key and
//! signature against the world in memory (read again from its file when the key is unknown
//! there and the file changed), the nonce ([`nonce`]), and the action's parameters. Then the
//! call joins the commit thread's batches like a REST request, runs as the key's owner after its
//! key is checked again, and is answered once its change is saved. Replies are the service's
//! JSON; refusals `{RequestId, Message, HostId, Code, Recommend}` ([`errors`]).

pub mod actions;
pub mod errors;
pub mod maxcompute;
pub mod nonce;
pub mod params;
pub mod proof;
pub mod signature_acs3;
pub mod signature_rpc;

use std::net::IpAddr;
use std::time::SystemTime;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming as Body;
use hyper::header::HeaderValue;
use hyper::{Request, Response, StatusCode};
use sha2::{Digest, Sha256};
use tokio::sync::oneshot;

use crate::render::visible::json_safe_owned;
use crate::world::{PrincipalId, World};

use super::Shared;
use super::commit::Job;
use super::errors::ServerError;
use super::handler::Reply;

use actions::{Action, Resolved, Service};
use errors::OpenApiError;
use params::Params;
use proof::Proof;

/// The content type of every answer.
pub const JSON: &str = "application/json;charset=utf-8";

/// What the endpoint keeps between calls.
#[derive(Debug, Default)]
pub struct State {
    pub nonces: nonce::Nonces,
}

/// Whether the endpoint answers requests to `path`.
pub fn serves(path: &str) -> bool {
    path.is_empty() || path == "/"
}

/// An authenticated call, for the commit thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    proof: Proof,
    action: Action,
    service: Service,
    /// The client's address, which `acs:SourceIp` conditions read.
    peer: IpAddr,
}

/// The server's request id in the shape the OpenAPI services give theirs (8-4-4-4-12
/// upper-case hexadecimal digits): eight digits of its SHA-256, then its own 24, so it is
/// unique like the server's.
pub fn request_id(server_id: &str) -> String {
    let digest = Sha256::digest(server_id.as_bytes());
    let hex = format!(
        "{:02X}{:02X}{:02X}{:02X}{server_id}",
        digest[0], digest[1], digest[2], digest[3]
    );
    if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return server_id.to_string();
    }
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A refusal before the call is known to a service, or after.
struct Refusal {
    error: OpenApiError,
    service: Option<Service>,
}

impl From<OpenApiError> for Refusal {
    fn from(error: OpenApiError) -> Self {
        Refusal {
            error,
            service: None,
        }
    }
}

/// A call read and its signature checked as far as it can be without the world.
struct Prepared {
    proof: Proof,
    resolved: Resolved,
    service: Service,
    params: Params,
}

fn error_reply(
    e: &OpenApiError,
    request_id: &str,
    host_id: &str,
    service: Option<Service>,
) -> Reply {
    let body = e.body(request_id, host_id, service.map(Service::product_name));
    let mut reply = Reply::with_status(e.status(), JSON, json_safe_owned(body.to_string()));
    reply
        .headers
        .push(("x-acs-request-id", request_id.to_string()));
    reply
}

/// The reply to a call the commit thread could not answer (the world could not be saved).
pub fn failure(call: &Call, e: &ServerError, request_id: &str, host_id: &str) -> Reply {
    error_reply(
        &OpenApiError::Server(e.clone()),
        request_id,
        host_id,
        Some(call.service),
    )
}

/// Answers an authenticated call on the commit thread: its key is checked again (the world may
/// have changed since the connection checked it), then it runs as the key's owner.
pub fn handle(
    world: &mut World,
    host_id: &str,
    call: &Call,
    request_id: &str,
    tape: &mut crate::engine::tape::Tape,
) -> Reply {
    let actor = match call.proof.verify(world) {
        Ok(actor) => actor,
        Err(e) => return error_reply(&e, request_id, host_id, Some(call.service)),
    };
    // The key was used, however the call ends.
    let recorded = tape.record_use(world, &call.proof.access_key_id);
    let key = &call.proof.access_key_id;
    let mut reply = match actions::run(world, actor, key, &call.action, request_id, call.peer, tape)
    {
        Ok(value) => {
            let mut reply = Reply::with_status(200, JSON, json_safe_owned(value.to_string()));
            reply
                .headers
                .push(("x-acs-request-id", request_id.to_string()));
            reply.changed = call.action.changes();
            reply
        }
        Err(e) => error_reply(&e, request_id, host_id, Some(call.service)),
    };
    reply.recorded = recorded;
    reply
}

/// The last value of a header, when it is not empty.
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// A request as both OpenAPI endpoints read it: method, path, query, headers (names in lower
/// case) and the whole body, read within the header-read deadline.
struct Read {
    method: String,
    path: String,
    query: Option<String>,
    headers: Vec<(String, String)>,
    body: Bytes,
}

async fn read_request(req: Request<Body>, shared: &Shared) -> Result<Read, OpenApiError> {
    let method = req.method().as_str().to_ascii_uppercase();
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let declared = header(&headers, "content-length").and_then(|v| v.parse().ok());
    let timeout = shared.limits.header_read_timeout;
    let body = tokio::time::timeout(timeout, super::read_body(declared, req.into_body()))
        .await
        .map_err(|_| OpenApiError::Server(ServerError::BodyTimeout(timeout.as_secs())))?
        .map_err(OpenApiError::Server)?;
    Ok(Read {
        method,
        path,
        query,
        headers,
        body,
    })
}

/// Reads the request and checks everything that does not need the world.
async fn prepare(req: Request<Body>, shared: &Shared) -> Result<Prepared, Refusal> {
    if !matches!(
        req.method().as_str().to_ascii_uppercase().as_str(),
        "GET" | "POST"
    ) {
        return Err(OpenApiError::UnsupportedMethod.into());
    }
    let Read {
        method,
        path,
        query,
        headers,
        body,
    } = read_request(req, shared).await?;
    let form = header(&headers, "content-type")
        .is_some_and(|t| {
            t.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        })
        .then_some(&body[..]);
    let params = Params::parse(query.as_deref(), form)?;
    if params
        .non_empty("Format")
        .is_some_and(|f| !f.eq_ignore_ascii_case("json"))
    {
        return Err(OpenApiError::InvalidFormat.into());
    }
    // A V3 signature covers the x-acs-* headers; V1 covers only the parameters.
    let v3 = header(&headers, "authorization").is_some();
    let named = |header_name: &str, param: &str| {
        let from_header = if v3 {
            header(&headers, header_name)
        } else {
            None
        };
        from_header
            .or_else(|| params.non_empty(param))
            .map(str::to_string)
            .ok_or_else(|| OpenApiError::Missing(param.to_string()))
    };
    let action = named("x-acs-action", "Action")?;
    let version = named("x-acs-version", "Version")?;
    let service = Service::of_version(&version).ok_or(OpenApiError::InvalidVersion)?;
    let in_service = |error| Refusal {
        error,
        service: Some(service),
    };
    let resolved = actions::resolve(service, &action).map_err(in_service)?;
    let request = signature_acs3::Request {
        method: &method,
        path: &path,
        query: &params.query,
        headers: &headers,
        body: &body,
    };
    let proof = proof::prove(&request, &params, SystemTime::now()).map_err(in_service)?;
    Ok(Prepared {
        proof,
        resolved,
        service,
        params,
    })
}

/// Checks the key and signature against the world in memory; when the key is unknown or
/// disabled there and another process changed the world's file since, the commit thread first
/// brings the world up to the file (without its lock), as for the REST API.
async fn authenticate(proof: &Proof, shared: &Shared) -> Result<PrincipalId, OpenApiError> {
    let verify = || async {
        let memory = shared.world.read().await;
        (proof.verify(&memory.world), memory.seen)
    };
    super::verify_fresh(shared, verify, Proof::may_be_stale).await
}

/// Everything the connection's task checks; the call for the commit thread.
async fn admit(req: Request<Body>, peer: IpAddr, shared: &Shared) -> Result<Call, Refusal> {
    let prepared = prepare(req, shared).await?;
    let in_service = |error| Refusal {
        error,
        service: Some(prepared.service),
    };
    authenticate(&prepared.proof, shared)
        .await
        .map_err(in_service)?;
    let proof = &prepared.proof;
    shared
        .openapi
        .nonces
        .admit(
            &proof.access_key_id,
            &proof.nonce,
            proof.nonce_expiry(),
            SystemTime::now(),
        )
        .map_err(in_service)?;
    let action = actions::bind(prepared.resolved, &prepared.params).map_err(in_service)?;
    Ok(Call {
        proof: prepared.proof,
        action,
        service: prepared.service,
        peer,
    })
}

/// Answers one request to `/`.
pub(super) async fn answer(
    req: Request<Body>,
    peer: IpAddr,
    shared: &Shared,
) -> Response<Full<Bytes>> {
    let request_id = request_id(&shared.ids.next());
    let host_id = &shared.host_id;
    let reply = match admit(req, peer, shared).await {
        Err(refused) => error_reply(&refused.error, &request_id, host_id, refused.service),
        Ok(call) => {
            let service = Some(call.service);
            let gone =
                OpenApiError::Server(ServerError::Internal("the commit thread stopped".into()));
            let (reply, receive) = oneshot::channel();
            let job = Job::OpenApi {
                call: Box::new(call),
                request_id: request_id.clone(),
                reply,
            };
            match shared.queue.send(job).await {
                Ok(()) => receive
                    .await
                    .unwrap_or_else(|_| error_reply(&gone, &request_id, host_id, service)),
                Err(_) => error_reply(&gone, &request_id, host_id, service),
            }
        }
    };
    response(reply)
}

fn response(reply: Reply) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert("content-type", HeaderValue::from_static(reply.content_type));
    if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(SystemTime::now())) {
        headers.insert("date", v);
    }
    for (name, value) in reply.headers {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_have_the_openapi_shape() {
        let id = request_id("18A2B3C4D5E6F70800000001");
        assert_eq!(id.len(), 36);
        assert!(id.ends_with("-18A2-B3C4-D5E6-F70800000001"), "{id}");
        assert!(
            id[..8]
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_lowercase())
        );
        assert_ne!(id, request_id("18A2B3C4D5E6F70800000002"));
        assert_eq!(request_id("not hex"), "not hex");
    }

    #[test]
    fn only_the_root_is_served() {
        assert!(serves("/"));
        assert!(serves(""));
        assert!(!serves("/api"));
        assert!(!serves("//"));
    }
}
