//! `odpsh serve`: the MaxCompute security REST endpoint under `/api`, so that real clients
//! (PyODPS, the Java SDK) run against the simulated world. hyper 1 on tokio reads requests on
//! the connection's task, checks their headers and signature there ([`authn`]) against the
//! world in memory, and routes them; only authenticated requests reach the commit thread, which
//! changes the world and answers them in batches, one store transaction per batch (see
//! `commit`). Connections live under deadlines and a cap ([`connection`]). The server prints
//! nothing: the shell prints the address it is bound to.

pub mod authn;
pub mod client;
pub mod commit;
pub mod connection;
pub mod errors;
pub mod handler;
pub mod listing;
pub mod load;
pub mod openapi;
pub mod resources;
pub mod routes;
pub mod security_update;
pub mod signature;
pub mod ui;
pub mod xml;
pub mod xml_tree;

use std::collections::hash_map::RandomState;
use std::convert::Infallible;
use std::hash::{BuildHasher, Hasher};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming as Body;
use hyper::header::{CONTENT_LENGTH, HeaderValue};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::sync::{RwLock, Semaphore, mpsc, oneshot};

use crate::store::{Store, StoreError, Synced};

use commit::{Committer, InMemory, Job, SharedWorld};
use connection::{Limits, Registry, Watched};
use errors::{BODY_LIMIT, ServerError};
use handler::{Context, Incoming, Reply};

/// Where the REST API lives under the server's root, as in the service's endpoints.
pub const API_PREFIX: &str = "/api";
/// A body over the limit is still read (and dropped) up to this size, so that the client gets
/// the 413 answer instead of a reset connection; beyond it the connection is closed.
const DRAIN_LIMIT: usize = 16 * BODY_LIMIT;
/// Requests waiting for the commit thread; connections wait when it is full.
const QUEUE: usize = 4 * commit::MAX_BATCH;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the server failed: {0}")]
    Runtime(std::io::Error),
}

/// How the server authenticates and how long connections live (the flags of `odpsh serve`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The region V4 credentials must name; `None`: the region of the world's endpoint.
    pub region: Option<String>,
    /// Refuse requests with a body but no `Content-MD5`.
    pub require_content_md5: bool,
    pub limits: Limits,
    /// Serve the live access graph at `/ui` (`--ui`).
    pub ui: bool,
}

/// The region of a server whose world's endpoint names none.
pub const DEFAULT_REGION: &str = "cn-hangzhou";

/// A bound server, not yet answering.
pub struct Server {
    listener: std::net::TcpListener,
    committer: Committer,
    rules: authn::Rules,
    limits: Limits,
    ui: Option<ui::Ui>,
}

/// Binds `addr` and loads the world: from `store` (kept in step with the file), or the
/// built-in default world in memory only when `store` is `None` (`--fresh`).
pub fn bind(
    addr: SocketAddr,
    store: Option<Store>,
    options: Options,
) -> Result<Server, ServeError> {
    // The world and the version of the file it came from, read together, so that a save by
    // another process before the first batch is noticed.
    let (world, synced) = match store {
        Some(s) => {
            let (synced, world) = Synced::load(s)?;
            (world, Some(synced))
        }
        None => (crate::store::builtin_world(), None),
    };
    let seen = synced.as_ref().and_then(Synced::seen);
    let listener =
        std::net::TcpListener::bind(addr).map_err(|source| ServeError::Bind { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| ServeError::Bind { addr, source })?;
    let region = options
        .region
        .or_else(|| authn::endpoint_region(&world.endpoint))
        .unwrap_or_else(|| DEFAULT_REGION.to_string());
    let mut limits = options.limits;
    limits.max_connections =
        connection::effective_cap(limits.max_connections, connection::open_file_limit());
    Ok(Server {
        listener,
        committer: Committer {
            world: Arc::new(RwLock::new(InMemory { world, seen })),
            synced,
            context: Context {
                host_id: local.to_string(),
                instances: Default::default(),
                tape: crate::engine::tape::Tape::new(crate::shell::runner::TAPE_LIMIT),
            },
        },
        rules: authn::Rules {
            region,
            require_content_md5: options.require_content_md5,
        },
        limits,
        ui: options.ui.then(ui::Ui::new),
    })
}

/// Request ids like the service's: 24 upper-case hexadecimal digits. A run's ids count up from
/// a 64-bit start drawn from the process's random hash keys, the clock and the process id, so
/// that no two runs of the server (nor two servers started at the same instant) share ids.
struct RequestIds {
    start: u64,
    next: AtomicU64,
}

impl RequestIds {
    fn new() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(nanos);
        hasher.write_u32(std::process::id());
        RequestIds {
            start: hasher.finish(),
            next: AtomicU64::new(0),
        }
    }

    fn next(&self) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let id = ((u128::from(self.start) << 32).wrapping_add(u128::from(n))) & ((1 << 96) - 1);
        format!("{id:024X}")
    }
}

struct Shared {
    queue: mpsc::Sender<Job>,
    ids: RequestIds,
    host_id: String,
    world: SharedWorld,
    /// The world's file, which another process may change (`None`: `--fresh`).
    store: Option<Store>,
    rules: authn::Rules,
    limits: Limits,
    /// The OpenAPI endpoint at `/` (its nonces).
    openapi: openapi::State,
    /// The page at `/ui`, with `--ui`.
    ui: Option<ui::Ui>,
}

impl Server {
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The region V4 credentials must be scoped to.
    pub fn region(&self) -> &str {
        &self.rules.region
    }

    /// The limits connections live under (the cap as applied, below the open-file limit).
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The endpoint clients use: `http://<address>/api`.
    pub fn endpoint(&self) -> std::io::Result<String> {
        Ok(format!("http://{}{API_PREFIX}", self.local_addr()?))
    }

    /// Where the page is, with its token (`None` without `--ui`).
    pub fn ui_url(&self) -> Option<String> {
        let ui = self.ui.as_ref()?;
        let addr = self.local_addr().ok()?;
        Some(format!("http://{addr}{}?token={}", ui::PREFIX, ui.token()))
    }

    /// Answers requests until the process ends.
    pub fn run(self) -> Result<(), ServeError> {
        let (queue, jobs) = mpsc::channel(QUEUE);
        let committer = self.committer;
        let host_id = committer.context.host_id.clone();
        let world = Arc::clone(&committer.world);
        let store = committer.synced.as_ref().map(|s| s.store().clone());
        std::thread::Builder::new()
            .name("odpsh-commit".into())
            .spawn(move || committer.run(jobs))
            .map_err(ServeError::Runtime)?;
        let shared = Arc::new(Shared {
            queue,
            ids: RequestIds::new(),
            host_id,
            world,
            store,
            rules: self.rules,
            limits: self.limits,
            openapi: openapi::State::default(),
            ui: self.ui,
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_io()
            .enable_time()
            .build()
            .map_err(ServeError::Runtime)?;
        let listener = self.listener;
        runtime.block_on(async move {
            listener
                .set_nonblocking(true)
                .map_err(ServeError::Runtime)?;
            let listener =
                tokio::net::TcpListener::from_std(listener).map_err(ServeError::Runtime)?;
            let held = Arc::new(Semaphore::new(shared.limits.max_connections));
            let refusing = Arc::new(Semaphore::new(connection::BUSY_ANSWERS));
            let registry = Arc::new(Registry::default());
            loop {
                let (stream, peer) = match listener.accept().await {
                    Ok(accepted) => accepted,
                    // Out of file descriptors and the like: wait a little and go on.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let shared = Arc::clone(&shared);
                let held = Arc::clone(&held);
                let refusing = Arc::clone(&refusing);
                let registry = Arc::clone(&registry);
                tokio::spawn(async move {
                    let permit = match Arc::clone(&held).try_acquire_owned() {
                        Ok(permit) => Some(permit),
                        // At the cap: the connection idle the longest makes room.
                        Err(_) if registry.evict_longest_idle() => {
                            tokio::time::timeout(connection::EVICTION_WAIT, held.acquire_owned())
                                .await
                                .ok()
                                .and_then(Result::ok)
                        }
                        Err(_) => None,
                    };
                    match permit {
                        Some(permit) => {
                            serve_connection(stream, peer, &registry, shared).await;
                            drop(permit);
                        }
                        // None idle: the busy answer, while there is room to give it.
                        None => {
                            if let Ok(refusal) = refusing.try_acquire_owned() {
                                connection::refuse(stream, busy_response(&shared)).await;
                                drop(refusal);
                            }
                        }
                    }
                });
            }
        })
    }
}

/// Serves one connection until the client closes it or a deadline of [`connection`] passes.
async fn serve_connection(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    registry: &Arc<Registry>,
    shared: Arc<Shared>,
) {
    let registered = Registry::register(registry);
    let watch = Arc::clone(&registered.watch);
    let limits = shared.limits;
    let io = TokioIo::new(Watched::new(stream, Arc::clone(&watch)));
    let service = {
        let watch = Arc::clone(&watch);
        service_fn(move |req| {
            let shared = Arc::clone(&shared);
            let watch = Arc::clone(&watch);
            async move {
                watch.busy();
                let response = answer(req, peer, &shared).await;
                watch.idle();
                Ok::<_, Infallible>(response)
            }
        })
    };
    let serving = hyper::server::conn::http1::Builder::new().serve_connection(io, service);
    tokio::select! {
        _ = serving => {}
        () = watch.expired(limits) => {}
    }
}

/// The complete answer to a connection over the cap: 503 with the service's `<Error>`, closing.
fn busy_response(shared: &Shared) -> Vec<u8> {
    let request_id = shared.ids.next();
    let reply = Reply::error(
        &ServerError::Busy(shared.limits.max_connections),
        &request_id,
        &shared.host_id,
    );
    let mut head = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: {}\r\ncontent-length: {}\r\nx-odps-request-id: {request_id}\r\nretry-after: 1\r\nconnection: close\r\ndate: {}\r\n\r\n",
        reply.content_type,
        reply.body.len(),
        httpdate::fmt_http_date(SystemTime::now()),
    )
    .into_bytes();
    head.extend_from_slice(reply.body.as_bytes());
    head
}

/// Reads the body up to [`BODY_LIMIT`]; a larger one is drained up to [`DRAIN_LIMIT`] and
/// refused.
async fn read_body(declared: Option<usize>, mut body: Body) -> Result<Bytes, ServerError> {
    if declared.is_some_and(|n| n > DRAIN_LIMIT) {
        return Err(ServerError::BodyTooLarge);
    }
    let mut buffer = Vec::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame
            .map_err(|e| ServerError::InvalidQuery(format!("the body could not be read: {e}")))?;
        if let Ok(data) = frame.into_data() {
            total += data.len();
            if total <= BODY_LIMIT {
                buffer.extend_from_slice(&data);
            } else if total > DRAIN_LIMIT {
                break;
            }
        }
    }
    if total > BODY_LIMIT {
        return Err(ServerError::BodyTooLarge);
    }
    Ok(Bytes::from(buffer))
}

/// The header an STS credential's security token travels in (PyODPS's `StsAccount`, the Java
/// SDK).
pub const STS_TOKEN_HEADER: &str = "authorization-sts-token";

fn header(req: &Request<Body>, name: &str) -> Option<String> {
    req.headers()
        .get_all(name)
        .iter()
        .next_back()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// Reads one request, checks its headers and routes it; authentication against the world and
/// the rest happen in [`answer`] and on the commit thread.
async fn prepare(
    req: Request<Body>,
    peer: SocketAddr,
    shared: &Shared,
) -> Result<Incoming, ServerError> {
    let method = req.method().as_str().to_ascii_uppercase();
    let full = req.uri().path().to_string();
    let relative = match full.strip_prefix(API_PREFIX) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => rest.to_string(),
        _ => {
            return Err(ServerError::NoSuchResource { method, path: full });
        }
    };
    let target_text = match req.uri().query() {
        Some(q) => format!("{relative}?{q}"),
        None => relative.clone(),
    };
    let target = signature::target(&target_text);
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let canonical = signature::canonical_string(
        &method,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        &target,
    );
    let authorization = header(&req, "authorization");
    let security_token = header(&req, STS_TOKEN_HEADER).filter(|t| !t.trim().is_empty());
    let date = header(&req, "date");
    let content_md5 = header(&req, "content-md5");
    let declared = header(&req, CONTENT_LENGTH.as_str()).and_then(|v| v.trim().parse().ok());
    let timeout = shared.limits.header_read_timeout;
    let body = tokio::time::timeout(timeout, read_body(declared, req.into_body()))
        .await
        .map_err(|_| ServerError::BodyTimeout(timeout.as_secs()))??;
    let mut credential = authn::check_request(
        authn::Headers {
            authorization: authorization.as_deref(),
            date: date.as_deref(),
            content_md5: content_md5.as_deref(),
        },
        &body,
        &shared.rules,
        SystemTime::now(),
    )?;
    credential.security_token = security_token;
    let route = routes::route(&method, &relative, &full, &target.params, &body);
    Ok(Incoming {
        method,
        credential,
        canonical,
        // An IPv4 client reaching an IPv6 socket is its IPv4 address to `acs:SourceIp`.
        peer: peer.ip().to_canonical(),
        route,
    })
}

/// Checks the request's key and signature against the world in memory. When the key is unknown
/// or disabled there and another process has changed the world's file since (its header says),
/// the commit thread first brings the world up to the file, reading it without the lock: a key
/// made by a shell on the same file works at once, and nothing unauthenticated takes the lock.
async fn pre_authenticate(incoming: &Incoming, shared: &Shared) -> Result<(), ServerError> {
    let verify = || async {
        let memory = shared.world.read().await;
        let verdict = authn::verify_key(&memory.world, &incoming.credential, &incoming.canonical);
        (verdict.map(|_| ()), memory.seen)
    };
    verify_fresh(shared, verify, authn::may_be_stale).await
}

/// Runs `verify` against the world in memory (it answers its verdict and the file's
/// fingerprint the world was read at). When it fails in a way `may_be_stale` says another
/// process could have changed (a key unknown or disabled here), and the world's file has
/// changed since, the commit thread brings the world up to the file, reading it without the
/// lock, and `verify` runs once more. Both endpoints (REST and OpenAPI) authenticate so.
async fn verify_fresh<T, E, F, Fut>(
    shared: &Shared,
    verify: F,
    may_be_stale: impl Fn(&E) -> bool,
) -> Result<T, E>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = (Result<T, E>, Option<crate::store::Fingerprint>)>,
{
    let (e, seen) = match verify().await {
        (Err(e), seen) if may_be_stale(&e) => (e, seen),
        (verdict, _) => return verdict,
    };
    let Some(store) = shared.store.clone() else {
        return Err(e);
    };
    // The header of a snapshot, read off the runtime's threads.
    let current = tokio::task::spawn_blocking(move || store.fingerprint())
        .await
        .ok()
        .flatten();
    if current == seen {
        return Err(e);
    }
    let (done, refreshed) = oneshot::channel();
    if shared.queue.send(Job::Refresh(done)).await.is_err() || refreshed.await.is_err() {
        return Err(e);
    }
    verify().await.0
}

async fn answer(req: Request<Body>, peer: SocketAddr, shared: &Shared) -> Response<Full<Bytes>> {
    if shared.ui.is_some() && ui::serves(req.uri().path()) {
        return ui::answer(req, shared).await;
    }
    if openapi::serves(req.uri().path()) {
        return openapi::answer(req, peer.ip().to_canonical(), shared).await;
    }
    if openapi::maxcompute::serves(req.uri().path()) {
        return openapi::maxcompute::answer(req, peer.ip().to_canonical(), shared).await;
    }
    let request_id = shared.ids.next();
    let prepared = match prepare(req, peer, shared).await {
        Ok(incoming) => pre_authenticate(&incoming, shared).await.map(|()| incoming),
        Err(e) => Err(e),
    };
    let reply = match prepared {
        Ok(incoming) => {
            let (reply, receive) = oneshot::channel();
            let job = Job::Request {
                incoming: Box::new(incoming),
                request_id: request_id.clone(),
                reply,
            };
            let gone = ServerError::Internal("the commit thread stopped".into());
            match shared.queue.send(job).await {
                Ok(()) => receive
                    .await
                    .unwrap_or_else(|_| Reply::error(&gone, &request_id, &shared.host_id)),
                Err(_) => Reply::error(&gone, &request_id, &shared.host_id),
            }
        }
        Err(e) => Reply::error(&e, &request_id, &shared.host_id),
    };
    response(reply, &request_id)
}

fn response(reply: Reply, request_id: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert("content-type", HeaderValue::from_static(reply.content_type));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        headers.insert("x-odps-request-id", v);
    }
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
    fn request_ids_are_unique_within_and_across_runs() {
        let (a, b) = (RequestIds::new(), RequestIds::new());
        let first = a.next();
        assert_eq!(first.len(), 24);
        assert!(
            first
                .chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        );
        assert_ne!(first, a.next());
        assert_ne!(first[..16], b.next()[..16]);
        // Past 2^32 requests a run's ids still differ.
        let wrapped = RequestIds {
            start: a.start,
            next: AtomicU64::new(u64::from(u32::MAX)),
        };
        assert_ne!(wrapped.next(), wrapped.next());
    }
}
