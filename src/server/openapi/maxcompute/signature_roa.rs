//! The ROA signature V1 the Tea SDKs send for a ROA product (MaxCompute's OpenAPI) with
//! `signature_algorithm='v2'`: `Authorization: acs <AccessKeyId>:<signature>`, the signature
//! the Base64 of the HMAC-SHA1 under the AccessKey secret of
//!
//! ```text
//! <METHOD>\n<Accept>\n<Content-MD5>\n<Content-Type>\n<Date>\n<x-acs-* headers><resource>
//! ```
//!
//! where each `x-acs-*` header is `name:value\n` (names in lower case, sorted), and the
//! resource is the path as sent, then `?` and the query's parameters, decoded, sorted by name,
//! `name=value` (a parameter with an empty value only `name`) joined with `&`. `Date` is an
//! HTTP date; `x-acs-signature-nonce` is required, and `x-acs-signature-method` and
//! `x-acs-signature-version`, when sent, must be `HMAC-SHA1` and `1.0`.
//!
//! Every `x-acs-*` header is signed, so nothing a request sends under that prefix can be
//! changed; the body is signed only through `Content-MD5`, which must then be its MD5 (the
//! SDK sends none, and the nonce keeps its request from being answered twice).

use std::time::SystemTime;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use md5::{Digest, Md5};

use super::super::errors::OpenApiError;
use super::super::signature_rpc::{MAX_NONCE, METHOD, VERSION, hmac_sha1};

/// How the `Authorization` header of this signature begins.
pub const SCHEME: &str = "acs ";

/// What a ROA-signed request claims, checked as far as it can be without the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub access_key_id: String,
    pub signature: String,
    pub nonce: String,
    pub signed_at: SystemTime,
    pub string_to_sign: String,
}

/// A request as the string to sign reads it: the same reading as ACS3's.
pub use super::super::signature_acs3::Request;

fn incomplete(detail: &str) -> OpenApiError {
    OpenApiError::IncompleteSignature(detail.to_string())
}

/// Whether an `Authorization` header is of this scheme.
pub fn is_roa(authorization: &str) -> bool {
    authorization.trim_start().starts_with(SCHEME)
}

/// The string to sign of `request`.
pub fn string_to_sign(request: &Request<'_>) -> String {
    let value = |name: &str| request.header(name).unwrap_or("");
    let mut text = format!(
        "{}\n{}\n{}\n{}\n{}\n",
        request.method.to_ascii_uppercase(),
        value("accept"),
        value("content-md5"),
        value("content-type"),
        value("date"),
    );
    let mut acs: Vec<(&str, &str)> = request
        .headers
        .iter()
        .filter(|(n, _)| n.starts_with("x-acs-"))
        .map(|(n, v)| (n.as_str(), v.trim()))
        .collect();
    acs.sort_unstable();
    acs.dedup_by(|later, earlier| later.0 == earlier.0);
    for (name, v) in acs {
        text.push_str(name);
        text.push(':');
        text.push_str(v);
        text.push('\n');
    }
    text.push_str(request.path);
    let mut query: Vec<(&str, &str)> = request
        .query
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    query.sort_unstable();
    for (i, (name, v)) in query.into_iter().enumerate() {
        text.push(if i == 0 { '?' } else { '&' });
        text.push_str(name);
        if !v.is_empty() {
            text.push('=');
            text.push_str(v);
        }
    }
    text
}

/// Reads the signature and the headers it needs, in the order the gateway checks them.
pub fn claim(authorization: &str, request: &Request<'_>) -> Result<Claim, OpenApiError> {
    let credential = authorization.trim().strip_prefix(SCHEME).unwrap_or("");
    let (access_key_id, signature) = credential
        .trim()
        .split_once(':')
        .filter(|(id, sig)| !id.is_empty() && !sig.is_empty())
        .ok_or_else(|| {
            incomplete("The Authorization header is not of the form acs <AccessKeyId>:<signature>.")
        })?;
    if request
        .header("x-acs-signature-method")
        .is_some_and(|m| m != METHOD)
    {
        return Err(OpenApiError::InvalidSignatureMethod);
    }
    if request
        .header("x-acs-signature-version")
        .is_some_and(|v| v != VERSION)
    {
        return Err(OpenApiError::InvalidSignatureVersion);
    }
    let date = request
        .header("date")
        .filter(|d| !d.is_empty())
        .ok_or_else(|| incomplete("The header Date is missing."))?;
    let signed_at = httpdate::parse_http_date(date).map_err(|_| OpenApiError::TimestampFormat)?;
    let nonce = request
        .header("x-acs-signature-nonce")
        .filter(|n| !n.is_empty())
        .ok_or_else(|| incomplete("The header x-acs-signature-nonce is missing."))?;
    if nonce.len() > MAX_NONCE {
        return Err(OpenApiError::InvalidSignatureNonce);
    }
    if let Some(given) = request.header("content-md5")
        && given != BASE64.encode(Md5::digest(request.body))
    {
        return Err(incomplete(
            "The header Content-MD5 is not the Base64 of the MD5 of the body.",
        ));
    }
    Ok(Claim {
        access_key_id: access_key_id.trim().to_string(),
        signature: signature.trim().to_string(),
        nonce: nonce.to_string(),
        signed_at,
        string_to_sign: string_to_sign(request),
    })
}

/// The Base64 signature of `string_to_sign` under `secret` (what a client sends): HMAC-SHA1
/// keyed by the secret itself.
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    hmac_sha1::sign(secret, string_to_sign)
}

/// Whether `signature` (Base64) signs `string_to_sign` under `secret`, compared in constant
/// time.
pub fn verify(secret: &str, string_to_sign: &str, signature: &str) -> bool {
    hmac_sha1::verify(secret, string_to_sign, signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "VectorSecret0000000000000000ab";

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    fn headers() -> Vec<(String, String)> {
        pairs(&[
            ("date", "Tue, 04 Aug 2026 06:00:00 GMT"),
            ("host", "127.0.0.1:8080"),
            ("accept", "application/json"),
            ("x-acs-signature-nonce", "5c1f2d0e0b6d4e0f9a8b7c6d5e4f3a2b"),
            ("x-acs-signature-method", "HMAC-SHA1"),
            ("x-acs-signature-version", "1.0"),
            ("x-acs-version", "2022-01-04"),
            ("x-acs-action", "GetProject"),
            (
                "user-agent",
                "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.6 TeaDSL/2",
            ),
        ])
    }

    /// Computed by alibabacloud-tea-openapi 0.4.6 (`Utils.get_string_to_sign` and
    /// `Utils.get_roasignature`) for GetProject as the MaxCompute SDK 7.2.0 sends it with
    /// `signature_algorithm='v2'`.
    #[test]
    fn matches_the_sdk() {
        let headers = headers();
        let query = pairs(&[("verbose", "true"), ("a", "")]);
        let request = Request {
            method: "GET",
            path: "/api/v1/projects/MaxCompute",
            query: &query,
            headers: &headers,
            body: b"",
        };
        let sts = string_to_sign(&request);
        assert_eq!(
            sts,
            "GET\napplication/json\n\n\nTue, 04 Aug 2026 06:00:00 GMT\nx-acs-action:GetProject\nx-acs-signature-method:HMAC-SHA1\nx-acs-signature-nonce:5c1f2d0e0b6d4e0f9a8b7c6d5e4f3a2b\nx-acs-signature-version:1.0\nx-acs-version:2022-01-04\n/api/v1/projects/MaxCompute?a&verbose=true"
        );
        assert_eq!(sign(SECRET, &sts), SDK_SIGNATURE);
        let auth = format!("acs LTAI5tVectorKey000000000:{SDK_SIGNATURE}");
        let claim = claim(&auth, &request).unwrap();
        assert_eq!(claim.access_key_id, "LTAI5tVectorKey000000000");
        assert!(verify(SECRET, &claim.string_to_sign, &claim.signature));
        assert!(!verify("wrong", &claim.string_to_sign, &claim.signature));
        assert!(!verify(SECRET, &claim.string_to_sign, "not base64!"));
    }

    const SDK_SIGNATURE: &str = "FHLP9HIhGuqCL4byx/3j6ZJ9vKU=";

    #[test]
    fn refuses_what_cannot_be_checked() {
        let all = headers();
        let without = |name: &str| -> Vec<(String, String)> {
            all.iter().filter(|(n, _)| n != name).cloned().collect()
        };
        let check = |headers: &[(String, String)], auth: &str, body: &[u8]| {
            claim(
                auth,
                &Request {
                    method: "PUT",
                    path: "/api/v1/projects/p/roles/r/users",
                    query: &[],
                    headers,
                    body,
                },
            )
        };
        let auth = "acs LTAIx:c2ln";
        assert!(check(&all, auth, b"").is_ok());
        for bad in ["acs LTAIx", "acs :sig", "acs LTAIx:"] {
            assert!(matches!(
                check(&all, bad, b""),
                Err(OpenApiError::IncompleteSignature(d)) if d.contains("acs <AccessKeyId>:<signature>")
            ));
        }
        assert!(matches!(
            check(&without("date"), auth, b""),
            Err(OpenApiError::IncompleteSignature(d)) if d == "The header Date is missing."
        ));
        assert!(matches!(
            check(&without("x-acs-signature-nonce"), auth, b""),
            Err(OpenApiError::IncompleteSignature(d)) if d == "The header x-acs-signature-nonce is missing."
        ));
        let mut sm3 = without("x-acs-signature-method");
        sm3.push(("x-acs-signature-method".into(), "HMAC-SM3".into()));
        assert_eq!(
            check(&sm3, auth, b""),
            Err(OpenApiError::InvalidSignatureMethod)
        );
        let mut v2 = without("x-acs-signature-version");
        v2.push(("x-acs-signature-version".into(), "2.0".into()));
        assert_eq!(
            check(&v2, auth, b""),
            Err(OpenApiError::InvalidSignatureVersion)
        );
        let mut iso = without("date");
        iso.push(("date".into(), "2026-08-04T06:00:00Z".into()));
        assert_eq!(check(&iso, auth, b""), Err(OpenApiError::TimestampFormat));
        let mut md5 = all.clone();
        md5.push(("content-md5".into(), BASE64.encode(Md5::digest(b"{}"))));
        assert!(check(&md5, auth, b"{}").is_ok());
        assert!(matches!(
            check(&md5, auth, b"{\"add\":[]}"),
            Err(OpenApiError::IncompleteSignature(d)) if d.contains("Content-MD5")
        ));
        assert!(is_roa(" acs LTAI:x") && !is_roa("ACS3-HMAC-SHA256 Credential=x"));
    }
}
