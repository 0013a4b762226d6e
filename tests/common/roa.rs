//! A raw HTTP client for the MaxCompute OpenAPI under `/api/v1/`, signing as the Tea SDK does
//! for a ROA product (ACS3 by default, `acs AK:signature` with `signature_algorithm='v2'`) with
//! odpsh's own signing functions, so that a test can send exactly the request it means.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use odpsh::server::openapi::maxcompute::signature_roa as roa;
use odpsh::server::openapi::{params, signature_acs3 as acs3};
use odpsh::world::clock::iso8601;
use serde_json::Value;

use super::openapi::{Answer, send_raw};

/// How a request is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    Acs3,
    Roa,
}

pub const BOTH: [Sign; 2] = [Sign::Acs3, Sign::Roa];

/// One call to send.
#[derive(Debug, Clone)]
pub struct Call {
    pub sign: Sign,
    pub method: String,
    /// The path as sent (percent-encoded).
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: String,
    pub at: Option<SystemTime>,
    pub nonce: Option<String>,
    /// Sign with this secret instead of the key's.
    pub secret: Option<String>,
}

impl Call {
    pub fn new(sign: Sign, method: &str, path: &str, body: &str) -> Call {
        Call {
            sign,
            method: method.into(),
            path: path.into(),
            query: Vec::new(),
            body: body.into(),
            at: None,
            nonce: None,
            secret: None,
        }
    }

    pub fn get(sign: Sign, path: &str) -> Call {
        Call::new(sign, "GET", path, "")
    }
}

static NONCES: AtomicU64 = AtomicU64::new(0);

fn fresh_nonce() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "roa-{nanos:x}-{}-{}",
        std::process::id(),
        NONCES.fetch_add(1, Ordering::Relaxed)
    )
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
        let secret = call.secret.as_deref().unwrap_or(&self.secret);
        let mut headers: Vec<(String, String)> = vec![
            ("host".into(), self.addr.to_string()),
            ("accept".into(), "application/json".into()),
            ("x-acs-version".into(), "2022-01-04".into()),
            ("x-acs-signature-nonce".into(), nonce),
        ];
        if !call.body.is_empty() {
            headers.push((
                "content-type".into(),
                "application/json; charset=utf-8".into(),
            ));
        }
        let secs = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        match call.sign {
            Sign::Acs3 => {
                use sha2::{Digest, Sha256};
                let hash: String = Sha256::digest(call.body.as_bytes())
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                headers.push(("x-acs-date".into(), iso8601(secs)));
                headers.push(("x-acs-content-sha256".into(), hash.clone()));
                let mut signed: Vec<String> = headers.iter().map(|(n, _)| n.clone()).collect();
                signed.sort();
                let request = acs3::Request {
                    method: &call.method,
                    path: &call.path,
                    query: &call.query,
                    headers: &headers,
                    body: call.body.as_bytes(),
                };
                let canonical = acs3::canonical_request(&request, &signed, &hash);
                let signature = acs3::sign(secret, &acs3::string_to_sign(&canonical));
                headers.push((
                    "authorization".into(),
                    format!(
                        "{} Credential={},SignedHeaders={},Signature={signature}",
                        acs3::ALGORITHM,
                        self.id,
                        signed.join(";")
                    ),
                ));
            }
            Sign::Roa => {
                headers.push((
                    "date".into(),
                    httpdate::fmt_http_date(UNIX_EPOCH + std::time::Duration::from_secs(secs)),
                ));
                headers.push(("x-acs-signature-method".into(), "HMAC-SHA1".into()));
                headers.push(("x-acs-signature-version".into(), "1.0".into()));
                let request = roa::Request {
                    method: &call.method,
                    path: &call.path,
                    query: &call.query,
                    headers: &headers,
                    body: call.body.as_bytes(),
                };
                let signature = roa::sign(secret, &roa::string_to_sign(&request));
                headers.push((
                    "authorization".into(),
                    format!("acs {}:{signature}", self.id),
                ));
            }
        }
        let target = if call.query.is_empty() {
            call.path.clone()
        } else {
            let q: Vec<String> = call
                .query
                .iter()
                .map(|(n, v)| format!("{}={}", params::encode(n), params::encode(v)))
                .collect();
            format!("{}?{}", call.path, q.join("&"))
        };
        let mut text = format!("{} {target} HTTP/1.1\r\n", call.method);
        for (n, v) in &headers {
            text.push_str(&format!("{n}: {v}\r\n"));
        }
        text.push_str(&format!(
            "content-length: {}\r\nconnection: close\r\n\r\n{}",
            call.body.len(),
            call.body
        ));
        text.into_bytes()
    }

    pub fn send(&self, call: &Call) -> Answer {
        send_raw(self.addr, &self.request(call))
    }
}

/// A successful answer's `data`, checking `{"requestId", "data"}` and the request id header.
pub fn data(answer: &Answer) -> &Value {
    assert_eq!(answer.status, 200, "{answer:?}");
    let request_id = answer.json["requestId"].as_str().unwrap_or_default();
    assert_eq!(request_id.len(), 36, "{answer:?}");
    assert_eq!(answer.header("x-acs-request-id"), Some(request_id));
    &answer.json["data"]
}

/// A refusal by the service: `{"requestId", "httpCode", "code", "message"}`; its message.
pub fn refused(answer: &Answer, status: u16, code: &str) -> String {
    assert_eq!(answer.status, status, "{answer:?}");
    assert_eq!(
        answer.header("content-type"),
        Some("application/json;charset=utf-8")
    );
    let body = answer.json.as_object().expect("a JSON object");
    let keys: Vec<&str> = body.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["requestId", "httpCode", "code", "message"],
        "{answer:?}"
    );
    assert_eq!(
        (body["httpCode"].as_u64(), body["code"].as_str()),
        (Some(u64::from(status)), Some(code))
    );
    assert_eq!(
        answer.header("x-acs-request-id"),
        body["requestId"].as_str()
    );
    body["message"].as_str().unwrap_or_default().to_string()
}
