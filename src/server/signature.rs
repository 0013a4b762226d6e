//! ODPS request signing as the clients compute it (reference §C): the canonical string, the V2
//! signature (HMAC-SHA1 keyed with the AccessKey secret) and the V4 one (HMAC-SHA1 keyed with a
//! key derived by HMAC-SHA256 from the secret, the day, the region and the service), the
//! `Authorization` header, and the 15-minute window for the `Date` header.
//!
//! The canonical string follows PyODPS (`odps/accounts.py`): the request target relative to the
//! endpoint is percent-decoded as a whole, its query parameters are parsed (`+` is a blank, the
//! last of a repeated name wins), sorted by name and written `name=value`, or `name` alone when
//! the value is empty. The Java SDK builds the same string for every ordinary name.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use percent_encoding::percent_decode_str;
use sha1::Sha1;
use sha2::Sha256;

/// The largest difference between the request's `Date` and the server's clock (15 minutes).
pub const MAX_SKEW: Duration = Duration::from_millis(900_000);

/// The request target as the signature sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The decoded path (relative to the endpoint, e.g. `/projects/p/authorization`).
    pub path: String,
    /// The decoded query parameters, the last of a repeated name kept.
    pub params: BTreeMap<String, String>,
    /// The signed resource: the path, then `?` and the sorted parameters when there are any.
    pub resource: String,
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Parses a request target relative to the endpoint (`/projects/p?curr_project=p`).
pub fn target(relative: &str) -> Target {
    let decoded = decode(relative);
    let (path, query) = match decoded.split_once('?') {
        Some((path, query)) => (path.to_string(), Some(query)),
        None => (decoded.clone(), None),
    };
    let mut params = BTreeMap::new();
    let mut resource = path.clone();
    if let Some(query) = query.filter(|q| !q.is_empty()) {
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            params.insert(
                decode(&name.replace('+', " ")),
                decode(&value.replace('+', " ")),
            );
        }
        let joined: Vec<String> = params
            .iter()
            .map(|(k, v)| {
                if v.is_empty() {
                    k.clone()
                } else {
                    format!("{k}={v}")
                }
            })
            .collect();
        resource.push('?');
        resource.push_str(&joined.join("&"));
    }
    Target {
        path,
        params,
        resource,
    }
}

/// The canonical string: method, Content-MD5, Content-Type, Date, the `x-odps-*` headers (and
/// query parameters) as `name:value` sorted by name, and the resource, joined by newlines.
/// `headers` are (name, value) pairs in any case; the last of a repeated name wins.
pub fn canonical_string<'a>(
    method: &str,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    target: &Target,
) -> String {
    let mut signed: BTreeMap<String, String> = BTreeMap::new();
    signed.insert("content-md5".into(), String::new());
    signed.insert("content-type".into(), String::new());
    signed.insert("date".into(), String::new());
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        if matches!(name.as_str(), "content-type" | "content-md5" | "date")
            || name.starts_with("x-odps-")
        {
            signed.insert(name, value.to_string());
        }
    }
    for (name, value) in &target.params {
        if name.starts_with("x-odps-") {
            signed.insert(name.clone(), value.clone());
        }
    }
    let mut lines = vec![method.to_ascii_uppercase()];
    for (name, value) in signed {
        if name.starts_with("x-odps-") {
            lines.push(format!("{name}:{value}"));
        } else {
            lines.push(value);
        }
    }
    lines.push(target.resource.clone());
    lines.join("\n")
}

fn hmac_sha1(key: &[u8], message: &[u8]) -> Hmac<Sha1> {
    // HMAC takes keys of any length: this cannot fail.
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(message);
    mac
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// The V4 scope of a signature: the day (`yyyyMMdd`), the region and the prefix (`aliyun_v4`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V4Scope {
    pub date: String,
    pub region: String,
    pub prefix: String,
}

impl V4Scope {
    /// The key a V4 signature is made with.
    fn key(&self, secret: &str) -> Vec<u8> {
        let k_secret = format!("{}{secret}", self.prefix);
        let k_date = hmac_sha256(k_secret.as_bytes(), self.date.as_bytes());
        let k_region = hmac_sha256(&k_date, self.region.as_bytes());
        let k_service = hmac_sha256(&k_region, b"odps");
        hmac_sha256(&k_service, format!("{}_request", self.prefix).as_bytes())
    }
}

/// The key a signature is made with: the secret itself (V2) or the V4 derived key.
fn signing_key(secret: &str, scope: Option<&V4Scope>) -> Vec<u8> {
    match scope {
        None => secret.as_bytes().to_vec(),
        Some(scope) => scope.key(secret),
    }
}

/// The Base64 signature of a canonical string.
pub fn sign(secret: &str, scope: Option<&V4Scope>, canonical: &str) -> String {
    let mac = hmac_sha1(&signing_key(secret, scope), canonical.as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
}

/// Whether `signature` (Base64) signs `canonical` with `secret`, compared in constant time.
pub fn verify(secret: &str, scope: Option<&V4Scope>, canonical: &str, signature: &str) -> bool {
    let Ok(given) = BASE64.decode(signature.trim()) else {
        return false;
    };
    hmac_sha1(&signing_key(secret, scope), canonical.as_bytes())
        .verify_slice(&given)
        .is_ok()
}

/// A parsed `Authorization: ODPS …` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub access_key_id: String,
    /// `Some` for a V4 credential (`<id>/<day>/<region>/odps/<prefix>_request`).
    pub v4: Option<V4Scope>,
    pub signature: String,
    /// The `authorization-sts-token` header PyODPS's `StsAccount` and the Java SDK send with
    /// an STS credential (not part of what is signed).
    pub security_token: Option<String>,
}

/// Why an `Authorization` header is not usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderProblem {
    /// Not the `ODPS` scheme.
    Method,
    /// The `ODPS` scheme without `<AccessKeyId>:<signature>`.
    Malformed,
}

/// Parses the `Authorization` header value.
pub fn parse_authorization(value: &str) -> Result<Authorization, HeaderProblem> {
    let value = value.trim();
    let rest = if value == "ODPS" {
        ""
    } else {
        value.strip_prefix("ODPS ").ok_or(HeaderProblem::Method)?
    };
    let (credential, signature) = rest.rsplit_once(':').ok_or(HeaderProblem::Malformed)?;
    let credential = credential.trim();
    if credential.is_empty() || signature.is_empty() {
        return Err(HeaderProblem::Malformed);
    }
    let parts: Vec<&str> = credential.split('/').collect();
    let (access_key_id, v4) = match parts.as_slice() {
        [id] => (id.to_string(), None),
        [id, date, region, "odps", request] if !id.is_empty() && !region.is_empty() => {
            let prefix = request
                .strip_suffix("_request")
                .filter(|p| !p.is_empty())
                .ok_or(HeaderProblem::Malformed)?;
            if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
                return Err(HeaderProblem::Malformed);
            }
            (
                id.to_string(),
                Some(V4Scope {
                    date: date.to_string(),
                    region: region.to_string(),
                    prefix: prefix.to_string(),
                }),
            )
        }
        _ => return Err(HeaderProblem::Malformed),
    };
    Ok(Authorization {
        access_key_id,
        v4,
        signature: signature.to_string(),
        security_token: None,
    })
}

/// Why a `Date` header is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Not an HTTP date.
    Unreadable,
    /// More than [`MAX_SKEW`] away from `now`: when the request expired (its date plus the
    /// window) and the server's time.
    Skewed {
        expired: SystemTime,
        now: SystemTime,
    },
}

/// Checks the `Date` header against the server's clock; the time it gives.
pub fn check_date(date: &str, now: SystemTime) -> Result<SystemTime, DateProblem> {
    let sent = httpdate::parse_http_date(date.trim()).map_err(|_| DateProblem::Unreadable)?;
    let off = match now.duration_since(sent) {
        Ok(late) => late,
        Err(early) => early.duration(),
    };
    if off > MAX_SKEW {
        return Err(DateProblem::Skewed {
            expired: sent + MAX_SKEW,
            now,
        });
    }
    Ok(sent)
}

/// `yyyy-MM-ddTHH:mm:ss.SSSZ`, as the service writes dates in the expiry message.
pub fn iso_millis(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let seconds = crate::world::clock::iso8601(since.as_secs());
    format!(
        "{}.{:03}Z",
        seconds.trim_end_matches('Z'),
        since.subsec_millis()
    )
}

/// The `yyyyMMdd` day of a time (UTC), as V4 credentials carry it.
pub fn v4_day(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    crate::world::clock::iso8601(since.as_secs())[..10].replace('-', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "P98H15b3kffkcOts4NvjLlQSQXvglc";

    // Vectors computed with PyODPS 0.13.2 itself (`CloudAccount.sign_request` on a prepared
    // `requests` request), so the server checks what the client really sends.
    const DATE: &str = "Tue, 04 Aug 2026 06:00:00 GMT";
    const UA: &str = "pyodps/0.13.2 CPython/3.11.7";
    const PYODPS_V2_POST: &str = "tYbqPIfj78eWedUTDjLQGGiojFU=";
    const PYODPS_V2_GET: &str = "vAuXNcavxEwiKdGbSUZ7QGBA5pc=";
    const PYODPS_V4_POST: &str = "HiWK9PXIHRSeKvCWUMICHGCEsFI=";

    fn pyodps_headers() -> Vec<(&'static str, &'static str)> {
        vec![
            ("User-Agent", UA),
            ("x-odps-user-agent", UA),
            ("Content-Type", "application/xml"),
            ("Date", DATE),
        ]
    }

    #[test]
    fn the_canonical_string_of_a_security_query() {
        let t = target("/projects/MaxCompute/authorization?curr_project=MaxCompute");
        assert_eq!(
            t.resource,
            "/projects/MaxCompute/authorization?curr_project=MaxCompute"
        );
        assert_eq!(
            canonical_string("post", pyodps_headers(), &t),
            format!(
                "POST\n\napplication/xml\n{DATE}\nx-odps-user-agent:{UA}\n/projects/MaxCompute/authorization?curr_project=MaxCompute"
            )
        );
    }

    #[test]
    fn v2_signatures_match_pyodps() {
        let t = target("/projects/MaxCompute/authorization?curr_project=MaxCompute");
        let canonical = canonical_string("POST", pyodps_headers(), &t);
        let sig = sign(SECRET, None, &canonical);
        assert_eq!(sig, PYODPS_V2_POST);
        assert!(verify(SECRET, None, &canonical, &sig));
        assert!(!verify("wrong", None, &canonical, &sig));
        assert!(!verify(SECRET, None, &canonical, "not base64!"));

        // A GET with encoded names, blank-valued and repeated parameters.
        let t = target(
            "/projects/MaxCompute/users/RAM%24MainCount%3Ahanmeimei?type=displayname&roles=&curr_project=MaxCompute",
        );
        assert_eq!(t.path, "/projects/MaxCompute/users/RAM$MainCount:hanmeimei");
        assert_eq!(
            t.resource,
            "/projects/MaxCompute/users/RAM$MainCount:hanmeimei?curr_project=MaxCompute&roles&type=displayname"
        );
        let headers = vec![("x-odps-user-agent", UA), ("Date", DATE)];
        let canonical = canonical_string("GET", headers, &t);
        assert_eq!(sign(SECRET, None, &canonical), PYODPS_V2_GET);
    }

    #[test]
    fn v4_signatures_match_pyodps() {
        let t = target("/projects/MaxCompute/authorization?curr_project=MaxCompute");
        let canonical = canonical_string("POST", pyodps_headers(), &t);
        let auth = parse_authorization(&format!(
            "ODPS LTAIxxxx/20260804/cn-hangzhou/odps/aliyun_v4_request:{PYODPS_V4_POST}"
        ))
        .unwrap();
        let scope = auth.v4.clone().unwrap();
        assert_eq!(scope.region, "cn-hangzhou");
        assert_eq!(scope.prefix, "aliyun_v4");
        assert_eq!(sign(SECRET, Some(&scope), &canonical), PYODPS_V4_POST);
        assert!(verify(SECRET, Some(&scope), &canonical, &auth.signature));
        assert!(!verify(SECRET, None, &canonical, &auth.signature));
    }

    #[test]
    fn x_odps_parameters_are_signed_as_headers() {
        let t = target("/projects/p?x-odps-foo=1&b=2&a");
        assert_eq!(t.resource, "/projects/p?a&b=2&x-odps-foo=1");
        let c = canonical_string("GET", vec![("Date", DATE), ("X-ODPS-Z", "z")], &t);
        assert_eq!(
            c,
            format!("GET\n\n\n{DATE}\nx-odps-foo:1\nx-odps-z:z\n/projects/p?a&b=2&x-odps-foo=1")
        );
        assert_eq!(target("/p?").resource, "/p");
        assert_eq!(target("/p?a=1&a=2").params["a"], "2");
        assert_eq!(target("/p?n=a+b%20c").params["n"], "a b c");
    }

    #[test]
    fn authorization_headers_parse_or_say_why_not() {
        let a = parse_authorization("ODPS LTAIabc:c2ln").unwrap();
        assert_eq!(a.access_key_id, "LTAIabc");
        assert_eq!(a.signature, "c2ln");
        assert!(a.v4.is_none());
        assert_eq!(parse_authorization("Bearer x"), Err(HeaderProblem::Method));
        for bad in [
            "ODPS ",
            "ODPS LTAIabc",
            "ODPS :sig",
            "ODPS LTAIabc:",
            "ODPS a/b:sig",
            "ODPS a/2026/r/odps/aliyun_v4_request:sig",
            "ODPS a/20260804/r/oss/aliyun_v4_request:sig",
        ] {
            assert_eq!(
                parse_authorization(bad),
                Err(HeaderProblem::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn dates_more_than_fifteen_minutes_off_are_refused() {
        let sent = httpdate::parse_http_date(DATE).unwrap();
        assert_eq!(check_date(DATE, sent + Duration::from_secs(900)), Ok(sent));
        assert_eq!(check_date(DATE, sent - Duration::from_secs(900)), Ok(sent));
        let now = sent + Duration::from_secs(901);
        assert_eq!(
            check_date(DATE, now),
            Err(DateProblem::Skewed {
                expired: sent + MAX_SKEW,
                now
            })
        );
        assert!(check_date(DATE, sent - Duration::from_secs(901)).is_err());
        assert_eq!(check_date("yesterday", sent), Err(DateProblem::Unreadable));
        assert_eq!(iso_millis(sent + MAX_SKEW), "2026-08-04T06:15:00.000Z");
        assert_eq!(v4_day(sent), "20260804");
    }
}
