//! `odpsh serve --ui`: the live access graph at `/ui`, read-only. The page (HTML, JS and CSS
//! compiled into the binary, nothing downloaded) polls `/ui/version` every second and redraws
//! from `/ui/graph.svg` when the world changed, here or in a shell on the same file; selecting
//! a node lists its grants from `/ui/grants` as `show grants` prints them. Nothing it serves
//! carries a secret (AccessKey ids only, never their secrets; no passwords are kept at all).
//!
//! Every `/ui` request needs the token the server printed at start-up (`?token=`, which sets
//! a cookie for the page's own requests, or `Authorization: Bearer <token>`) or the main
//! account's AccessKey (`Authorization: Basic <id:secret>`); without it the answer is 403.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming as Body;
use hyper::header::HeaderValue;
use hyper::{Request, Response, StatusCode};
use percent_encoding::percent_decode_str;
use sha2::{Digest, Sha256};
use tokio::sync::oneshot;

use crate::render;
use crate::store::Fingerprint;
use crate::teach::graph;
use crate::world::World;
use crate::world::credentials::KeyStatus;

use super::Shared;
use super::commit::Job;

/// Where the page lives.
pub const PREFIX: &str = "/ui";
const COOKIE: &str = "odpsh_ui";

const PAGE: &str = include_str!("ui/page.html");
const SCRIPT: &str = include_str!("ui/app.js");
const STYLE: &str = include_str!("ui/app.css");

/// What answers 403.
const FORBIDDEN: &str =
    "403 Forbidden: open the address odpsh serve --ui printed (it carries the token)\n";

/// The page's secret: 32 hexadecimal digits drawn from the process's random hash keys, the
/// clock and the process id, printed at start-up.
#[derive(Debug)]
pub struct Ui {
    token: String,
    /// The graph's version at the file's version it was computed at: the page asks every
    /// second, and a world read from a file changes only with the file.
    versions: std::sync::Mutex<Option<(Fingerprint, String)>>,
}

impl Ui {
    pub fn new() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mut token = String::new();
        for round in 0..2u8 {
            let mut hasher = RandomState::new().build_hasher();
            hasher.write_u128(nanos);
            hasher.write_u32(std::process::id());
            hasher.write_u8(round);
            token.push_str(&format!("{:016x}", hasher.finish()));
        }
        Ui {
            token,
            versions: std::sync::Mutex::new(None),
        }
    }

    /// The version of the world in memory, computed again only when `seen` (the version of its
    /// file) changed; always with `--fresh`, which has no file.
    fn version(&self, world: &World, seen: Option<Fingerprint>) -> String {
        let mut cache = self
            .versions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let (Some(seen), Some((at, version))) = (seen, cache.as_ref())
            && *at == seen
        {
            return version.clone();
        }
        let version = version(&graph::build(world, None).unwrap_or_default());
        *cache = seen.map(|s| (s, version.clone()));
        version
    }

    pub fn token(&self) -> &str {
        &self.token
    }
}

impl Default for Ui {
    fn default() -> Self {
        Ui::new()
    }
}

/// Whether the page answers `path`.
pub fn serves(path: &str) -> bool {
    path == PREFIX
        || path
            .strip_prefix(PREFIX)
            .is_some_and(|r| r.starts_with('/'))
}

/// Equal texts, compared in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A query parameter, percent-decoded.
fn param(query: Option<&str>, name: &str) -> Option<String> {
    query?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| percent_decode_str(v).decode_utf8_lossy().into_owned())
    })
}

fn cookie(req: &Request<Body>) -> Option<String> {
    req.headers()
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == COOKIE).then(|| v.to_string())
        })
}

/// Whether `authorization` is the main account's AccessKey (`Basic <id:secret>`), active.
fn owner_key(world: &World, authorization: &str) -> bool {
    let Some(encoded) = authorization.strip_prefix("Basic ") else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return false;
    };
    let text = String::from_utf8_lossy(&decoded);
    let Some((id, secret)) = text.split_once(':') else {
        return false;
    };
    world
        .account(world.home)
        .and_then(|a| a.key(id))
        .is_some_and(|(owner, key)| {
            owner.is_none() && key.status == KeyStatus::Active && same(&key.secret, secret)
        })
}

/// How the request proved it may look: `Some(true)` with the token in its query (the page
/// then sets the cookie), `Some(false)` otherwise, `None` when it did not.
fn proof(req: &Request<Body>, ui: &Ui, world: &World) -> Option<bool> {
    if param(req.uri().query(), "token").is_some_and(|t| same(&t, ui.token())) {
        return Some(true);
    }
    if cookie(req).is_some_and(|t| same(&t, ui.token())) {
        return Some(false);
    }
    let authorization = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let bearer = authorization
        .strip_prefix("Bearer ")
        .is_some_and(|t| same(t.trim(), ui.token()));
    (bearer || owner_key(world, authorization)).then_some(false)
}

fn reply(status: StatusCode, content_type: &'static str, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert("content-type", HeaderValue::from_static(content_type));
    headers.insert("cache-control", HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self'; frame-ancestors 'none'",
        ),
    );
    response
}

/// Brings the world in memory up to its file when another process changed the file (a shell
/// on the same `--state`), as authentication does for an unknown key.
async fn up_to_date(shared: &Shared) {
    let Some(store) = shared.store.clone() else {
        return;
    };
    let current = tokio::task::spawn_blocking(move || store.fingerprint())
        .await
        .ok()
        .flatten();
    if current == shared.world.read().await.seen {
        return;
    }
    let (done, refreshed) = oneshot::channel();
    if shared.queue.send(Job::Refresh(done)).await.is_ok() {
        let _ = refreshed.await;
    }
}

/// The version of a graph: the first 16 bytes of the SHA-256 of its JSON, in hexadecimal.
fn version(graph: &graph::Graph) -> String {
    let text = render::json::compact_text(&render::graph_json::graph_value(graph));
    let digest = Sha256::digest(text.as_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Answers one `/ui` request.
pub(super) async fn answer(req: Request<Body>, shared: &Shared) -> Response<Full<Bytes>> {
    let Some(ui) = &shared.ui else {
        return reply(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            String::new(),
        );
    };
    if req.method() != hyper::Method::GET {
        let mut r = reply(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            "405 Method Not Allowed: the page only reads\n".into(),
        );
        r.headers_mut()
            .insert("allow", HeaderValue::from_static("GET"));
        return r;
    }
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let memory = shared.world.read().await;
    let Some(set_cookie) = proof(&req, ui, &memory.world) else {
        return reply(
            StatusCode::FORBIDDEN,
            "text/plain; charset=utf-8",
            FORBIDDEN.into(),
        );
    };
    drop(memory);
    let needs_world = matches!(
        path.as_str(),
        "/ui/version" | "/ui/graph.svg" | "/ui/graph.json" | "/ui/grants"
    );
    if needs_world {
        up_to_date(shared).await;
    }
    let memory = shared.world.read().await;
    let world = &memory.world;
    let graph = || graph::build(world, None).unwrap_or_default();
    let mut response = match path.as_str() {
        "/ui" | "/ui/" => reply(StatusCode::OK, "text/html; charset=utf-8", PAGE.into()),
        "/ui/app.js" => reply(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            SCRIPT.into(),
        ),
        "/ui/app.css" => reply(StatusCode::OK, "text/css; charset=utf-8", STYLE.into()),
        "/ui/version" => {
            let body = serde_json::json!({ "version": ui.version(world, memory.seen) });
            reply(StatusCode::OK, "application/json", body.to_string())
        }
        "/ui/graph.json" => {
            let value = render::graph_json::graph_value(&graph());
            reply(
                StatusCode::OK,
                "application/json",
                render::json::compact_text(&value),
            )
        }
        "/ui/graph.svg" => match render::graph_svg::svg_text(&graph()) {
            Ok(svg) => reply(StatusCode::OK, "image/svg+xml", svg),
            Err(e) => reply(
                StatusCode::UNPROCESSABLE_ENTITY,
                "text/plain; charset=utf-8",
                format!("{e}\n"),
            ),
        },
        "/ui/grants" => {
            let node = param(query.as_deref(), "node").unwrap_or_default();
            let listings = graph::panel::listings(world, &node);
            let mut value = render::graph_json::panel_value(&listings);
            if let (Some(n), Some(fields)) = (graph().node(&node), value.as_object_mut()) {
                fields.insert("label".into(), n.label.clone().into());
                fields.insert("caption".into(), render::graph_look::caption(n).into());
            }
            reply(StatusCode::OK, "application/json", value.to_string())
        }
        _ => reply(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "404 Not Found\n".into(),
        ),
    };
    if set_cookie
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{COOKIE}={}; Path={PREFIX}; HttpOnly; SameSite=Strict",
            ui.token()
        ))
    {
        response.headers_mut().insert("set-cookie", v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_differ_and_paths_are_the_pages() {
        let (a, b) = (Ui::new(), Ui::new());
        assert_eq!(a.token().len(), 32);
        assert_ne!(a.token(), b.token());
        assert!(serves("/ui") && serves("/ui/graph.svg"));
        assert!(!serves("/uix") && !serves("/api/ui"));
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
        assert_eq!(
            param(Some("a=1&node=role%3Ap%3Ax"), "node").as_deref(),
            Some("role:p:x")
        );
    }
}
