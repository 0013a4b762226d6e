//! The two signed request forms of the workload, built byte for byte as the SDKs send them:
//! the RAM API at odpsh's `/` signed ACS3-HMAC-SHA256 (as the Tea RAM SDK: the parameters in
//! the query, `x-acs-*` headers signed; odpsh's own signing functions), and the IAM Query API at
//! moto's `/` signed AWS Signature Version 4 (as boto3: the parameters in a form body, service
//! `iam`, region `us-east-1`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use odpsh::server::openapi::{params, signature_acs3 as acs3};
use odpsh::world::clock::iso8601;
use sha2::{Digest, Sha256};

/// Which API a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// RAM 2015-05-01 at odpsh serve, ACS3-signed.
    Ram,
    /// IAM 2010-05-08 at moto, SigV4-signed.
    Iam,
}

/// An AccessKey to sign with.
#[derive(Debug, Clone)]
pub struct Key {
    pub id: String,
    pub secret: String,
}

static NONCES: AtomicU64 = AtomicU64::new(0);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn encoded(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(n, v)| format!("{}={}", params::encode(n), params::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn hmac256(key: &[u8], message: &str) -> Vec<u8> {
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(message.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// The whole request for `action` with `pairs`, signed with `key`, to `host`.
pub fn request(api: Api, host: &str, key: &Key, action: &str, pairs: &[(&str, &str)]) -> Vec<u8> {
    match api {
        Api::Ram => ram(host, key, action, pairs),
        Api::Iam => iam(host, key, action, pairs),
    }
}

fn ram(host: &str, key: &Key, action: &str, pairs: &[(&str, &str)]) -> Vec<u8> {
    let query: Vec<(String, String)> = pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let nonce = format!(
        "load-{}-{}-{}",
        std::process::id(),
        now_secs(),
        NONCES.fetch_add(1, Ordering::Relaxed)
    );
    let empty = hex(&Sha256::digest(b""));
    let headers: Vec<(String, String)> = vec![
        ("accept".into(), "application/json".into()),
        ("host".into(), host.into()),
        ("x-acs-action".into(), action.into()),
        ("x-acs-content-sha256".into(), empty.clone()),
        ("x-acs-date".into(), iso8601(now_secs())),
        ("x-acs-signature-nonce".into(), nonce),
        ("x-acs-version".into(), "2015-05-01".into()),
    ];
    let signed: Vec<String> = headers.iter().map(|(n, _)| n.clone()).collect();
    let canonical = acs3::canonical_request(
        &acs3::Request {
            method: "POST",
            path: "/",
            query: &query,
            headers: &headers,
            body: b"",
        },
        &signed,
        &empty,
    );
    let signature = acs3::sign(&key.secret, &acs3::string_to_sign(&canonical));
    let mut text = format!("POST /?{} HTTP/1.1\r\n", encoded(pairs));
    for (n, v) in &headers {
        text.push_str(&format!("{n}: {v}\r\n"));
    }
    text.push_str(&format!(
        "authorization: {} Credential={},SignedHeaders={},Signature={signature}\r\ncontent-length: 0\r\n\r\n",
        acs3::ALGORITHM,
        key.id,
        signed.join(";")
    ));
    text.into_bytes()
}

const IAM_REGION: &str = "us-east-1";
const IAM_SERVICE: &str = "iam";
const FORM: &str = "application/x-www-form-urlencoded; charset=utf-8";

fn iam(host: &str, key: &Key, action: &str, pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut all = vec![("Action", action), ("Version", "2010-05-08")];
    all.extend_from_slice(pairs);
    let body = encoded(&all);
    // 20260804T060000Z and 20260804
    let amz_date: String = iso8601(now_secs())
        .chars()
        .filter(|c| *c != '-' && *c != ':')
        .collect();
    let day = &amz_date[..8];
    let payload = hex(&Sha256::digest(body.as_bytes()));
    let canonical = format!(
        "POST\n/\n\ncontent-type:{FORM}\nhost:{host}\nx-amz-date:{amz_date}\n\ncontent-type;host;x-amz-date\n{payload}"
    );
    let scope = format!("{day}/{IAM_REGION}/{IAM_SERVICE}/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let k_date = hmac256(format!("AWS4{}", key.secret).as_bytes(), day);
    let k_region = hmac256(&k_date, IAM_REGION);
    let k_service = hmac256(&k_region, IAM_SERVICE);
    let k_signing = hmac256(&k_service, "aws4_request");
    let signature = hex(&hmac256(&k_signing, &string_to_sign));
    format!(
        "POST / HTTP/1.1\r\nhost: {host}\r\ncontent-type: {FORM}\r\nx-amz-date: {amz_date}\r\nauthorization: AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders=content-type;host;x-amz-date, Signature={signature}\r\ncontent-length: {}\r\n\r\n{body}",
        key.id,
        body.len()
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_are_complete_requests() {
        let key = Key {
            id: "AKIDEXAMPLE".into(),
            secret: "secret".into(),
        };
        let iam = String::from_utf8(request(
            Api::Iam,
            "127.0.0.1:1",
            &key,
            "CreateUser",
            &[("UserName", "u 1")],
        ))
        .unwrap();
        assert!(
            iam.ends_with("Action=CreateUser&Version=2010-05-08&UserName=u%201"),
            "{iam}"
        );
        assert!(iam.contains("Credential=AKIDEXAMPLE/"));
        let ram = String::from_utf8(request(
            Api::Ram,
            "127.0.0.1:1",
            &key,
            "CreateUser",
            &[("UserName", "u1")],
        ))
        .unwrap();
        assert!(ram.starts_with("POST /?UserName=u1 HTTP/1.1\r\n"), "{ram}");
        assert!(ram.contains("x-acs-action: CreateUser\r\n"));
    }
}
