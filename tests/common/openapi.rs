//! A raw HTTP client for the OpenAPI endpoint at `/`, signing as the SDKs do (ACS3 like the Tea
//! SDKs, RPC V1 like aliyun-python-sdk-core) with odpsh's own signing functions, so that a test
//! can send exactly the request it means: a stale time, a reused nonce, a wrong secret.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use odpsh::server::openapi::{params, signature_acs3 as acs3, signature_rpc as rpc};
use odpsh::world::clock::iso8601;
use serde_json::Value;

use super::serve::{Served, create_key, odpsh_json};

/// How a request is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Acs3,
    Rpc,
}

/// One call to send.
#[derive(Debug, Clone)]
pub struct Call {
    pub scheme: Scheme,
    pub method: String,
    pub action: String,
    pub version: String,
    pub params: Vec<(String, String)>,
    /// Send the parameters in a form body instead of the query.
    pub form: bool,
    /// Sign at this time instead of now.
    pub at: Option<SystemTime>,
    pub nonce: Option<String>,
    /// Headers added as they are (after signing: ACS3 refuses unsigned `x-acs-*` headers).
    pub extra_headers: Vec<(String, String)>,
    /// Send this `Authorization` instead of signing (ACS3).
    pub authorization: Option<String>,
}

impl Call {
    pub fn new(scheme: Scheme, version: &str, action: &str, params: &[(&str, &str)]) -> Call {
        Call {
            scheme,
            method: "POST".into(),
            action: action.into(),
            version: version.into(),
            params: params
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            form: false,
            at: None,
            nonce: None,
            extra_headers: Vec::new(),
            authorization: None,
        }
    }

    pub fn ram(scheme: Scheme, action: &str, params: &[(&str, &str)]) -> Call {
        Call::new(scheme, "2015-05-01", action, params)
    }
}

/// A response: status, headers (names in lower case), body parsed as JSON.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub text: String,
    pub json: serde_json::Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

static NONCES: AtomicU64 = AtomicU64::new(0);

fn fresh_nonce() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{nanos:x}-{}-{}",
        std::process::id(),
        NONCES.fetch_add(1, Ordering::Relaxed)
    )
}

fn utc(t: SystemTime) -> String {
    iso8601(t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()))
}

fn form_text(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(n, v)| format!("{}={}", params::encode(n), params::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A signer for one AccessKey against one server.
#[derive(Debug, Clone)]
pub struct Signer {
    pub addr: SocketAddr,
    pub id: String,
    pub secret: String,
}

impl Signer {
    pub fn new(addr: SocketAddr, key: &(String, String)) -> Signer {
        Signer {
            addr,
            id: key.0.clone(),
            secret: key.1.clone(),
        }
    }

    /// The bytes of the request `call` makes, signed.
    pub fn request(&self, call: &Call) -> Vec<u8> {
        let at = call.at.unwrap_or_else(SystemTime::now);
        let nonce = call.nonce.clone().unwrap_or_else(fresh_nonce);
        let host = self.addr.to_string();
        let mut query: Vec<(String, String)> = Vec::new();
        let mut body_pairs: Vec<(String, String)> = Vec::new();
        let mut headers: Vec<(String, String)> = vec![("host".into(), host.clone())];
        let own = if call.form {
            &mut body_pairs
        } else {
            &mut query
        };
        own.extend(call.params.iter().cloned());
        match call.scheme {
            Scheme::Rpc => {
                let common = [
                    ("Action", call.action.as_str()),
                    ("Version", call.version.as_str()),
                    ("Format", "JSON"),
                    ("AccessKeyId", self.id.as_str()),
                    ("SignatureMethod", rpc::METHOD),
                    ("SignatureVersion", rpc::VERSION),
                    ("SignatureNonce", nonce.as_str()),
                ];
                query.extend(common.iter().map(|(n, v)| (n.to_string(), v.to_string())));
                query.push(("Timestamp".into(), utc(at)));
                let all = query.iter().chain(&body_pairs);
                let sts = rpc::string_to_sign(
                    &call.method,
                    all.map(|(n, v)| (n.as_str(), v.as_str())),
                    false,
                );
                query.push(("Signature".into(), rpc::sign(&self.secret, &sts)));
            }
            Scheme::Acs3 => {
                headers.push(("x-acs-action".into(), call.action.clone()));
                headers.push(("x-acs-version".into(), call.version.clone()));
                headers.push(("x-acs-date".into(), utc(at)));
                headers.push(("x-acs-signature-nonce".into(), nonce.clone()));
            }
        }
        let body = if body_pairs.is_empty() {
            String::new()
        } else {
            headers.push((
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            ));
            form_text(&body_pairs)
        };
        if call.scheme == Scheme::Acs3 {
            use sha2::{Digest, Sha256};
            let hash: String = Sha256::digest(body.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            headers.push(("x-acs-content-sha256".into(), hash.clone()));
            let authorization = call.authorization.clone().unwrap_or_else(|| {
                let mut signed: Vec<String> = headers.iter().map(|(n, _)| n.clone()).collect();
                signed.sort();
                let request = acs3::Request {
                    method: &call.method,
                    path: "/",
                    query: &query,
                    headers: &headers,
                    body: body.as_bytes(),
                };
                let canonical = acs3::canonical_request(&request, &signed, &hash);
                let signature = acs3::sign(&self.secret, &acs3::string_to_sign(&canonical));
                format!(
                    "{} Credential={},SignedHeaders={},Signature={signature}",
                    acs3::ALGORITHM,
                    self.id,
                    signed.join(";")
                )
            });
            headers.push(("authorization".into(), authorization));
        }
        headers.extend(call.extra_headers.iter().cloned());
        let target = if query.is_empty() {
            "/".to_string()
        } else {
            format!("/?{}", form_text(&query))
        };
        let mut text = format!("{} {target} HTTP/1.1\r\n", call.method);
        for (n, v) in &headers {
            text.push_str(&format!("{n}: {v}\r\n"));
        }
        text.push_str(&format!(
            "content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        ));
        text.into_bytes()
    }

    pub fn send(&self, call: &Call) -> Answer {
        send_raw(self.addr, &self.request(call))
    }

    /// Sends `call` from the loopback address `local` (any of 127.0.0.0/8).
    pub fn send_from(&self, local: std::net::IpAddr, call: &Call) -> Answer {
        let stream = connect_from(local, self.addr);
        exchange(stream, &self.request(call))
    }
}

/// A connection to `addr` from the local address `local`.
fn connect_from(local: std::net::IpAddr, addr: SocketAddr) -> TcpStream {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let socket = match local {
            std::net::IpAddr::V4(_) => tokio::net::TcpSocket::new_v4(),
            std::net::IpAddr::V6(_) => tokio::net::TcpSocket::new_v6(),
        }
        .expect("a socket");
        socket
            .bind(SocketAddr::new(local, 0))
            .expect("bind the local address");
        let stream = socket.connect(addr).await.expect("connect");
        let stream = stream.into_std().expect("a std stream");
        stream.set_nonblocking(false).expect("blocking");
        stream
    })
}

/// Sends raw request bytes on a new connection and reads the whole answer.
pub fn send_raw(addr: SocketAddr, request: &[u8]) -> Answer {
    exchange(TcpStream::connect(addr).expect("connect"), request)
}

/// Sends raw request bytes on `stream` and reads the whole answer.
fn exchange(mut stream: TcpStream, request: &[u8]) -> Answer {
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    // The server may answer before it has read a large body.
    let _ = stream.write_all(request);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        text: body.to_string(),
        json: serde_json::from_str(body).unwrap_or(serde_json::Value::Null),
    }
}

// The world the endpoint's tests share, and how they read answers.

pub const BOTH: [Scheme; 2] = [Scheme::Acs3, Scheme::Rpc];

pub struct World {
    pub _dir: tempfile::TempDir,
    pub state: std::path::PathBuf,
    pub served: Served,
    pub main: (String, String),
    /// A RAM user with an active key and no RAM policy.
    pub alice: (String, String),
    /// A RAM user whose key is disabled.
    pub dave: (String, String),
}

pub fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("world.json");
    let main = create_key(&state, None);
    for user in ["alice", "dave"] {
        odpsh_json(&state, &format!("aliyun ram CreateUser --UserName {user}"));
    }
    let alice = create_key(&state, Some("alice"));
    let dave = create_key(&state, Some("dave"));
    let disable = format!(
        "aliyun ram UpdateAccessKey --UserName dave --UserAccessKeyId {} --Status Inactive",
        dave.0
    );
    assert_eq!(odpsh_json(&state, &disable)["ok"], true);
    let served = Served::start(&["--state", state.to_str().unwrap()], dir.path());
    World {
        _dir: dir,
        state,
        served,
        main,
        alice,
        dave,
    }
}

impl World {
    pub fn signer(&self, key: &(String, String)) -> Signer {
        Signer::new(self.served.addr, key)
    }
}

/// Checks a complete error answer and returns its message.
pub fn error(answer: &Answer, status: u16, code: &str) -> String {
    assert_eq!(answer.status, status, "{answer:?}");
    assert_eq!(
        answer.header("content-type"),
        Some("application/json;charset=utf-8")
    );
    let body = answer.json.as_object().expect("a JSON object");
    let keys: Vec<&str> = body.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["RequestId", "Message", "HostId", "Code", "Recommend"],
        "{answer:?}"
    );
    assert_eq!(body["Code"], code, "{answer:?}");
    let request_id = body["RequestId"].as_str().unwrap();
    assert_eq!(request_id.len(), 36, "{request_id}");
    assert_eq!(answer.header("x-acs-request-id"), Some(request_id));
    let recommend = body["Recommend"].as_str().unwrap();
    assert!(
        recommend.starts_with(&format!("https://api.aliyun.com/troubleshoot?q={code}"))
            && recommend.ends_with(&format!("&requestId={request_id}")),
        "{recommend}"
    );
    assert!(!body["HostId"].as_str().unwrap().is_empty());
    body["Message"].as_str().unwrap().to_string()
}

pub fn ok(answer: &Answer) -> &Value {
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(
        answer.json["RequestId"].as_str(),
        answer.header("x-acs-request-id"),
        "{answer:?}"
    );
    &answer.json
}

pub fn raw(w: &World, text: &str) -> Answer {
    send_raw(w.served.addr, text.as_bytes())
}
