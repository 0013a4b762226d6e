//! The V3 signature the Tea SDKs (`alibabacloud_tea_openapi`, every `alibabacloud_*` product
//! SDK) send by default: `Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,
//! SignedHeaders=<h1;h2;…>,Signature=<hex>`, with the headers `x-acs-date`,
//! `x-acs-signature-nonce` and `x-acs-content-sha256`.
//!
//! The canonical request is six lines: the method, the canonical URI (the path as sent), the
//! canonical query (the query's parameters RFC 3986-encoded, sorted by name, `name=value`
//! joined with `&`), the canonical headers (each signed header `name:value` with the value
//! trimmed and several values sorted and joined with `,`, one per line, then an empty line), the
//! signed header names joined with `;`, and the hashed payload (the hex SHA-256 of the body,
//! as `x-acs-content-sha256` says and odpsh checks). The string to sign is
//! `ACS3-HMAC-SHA256\n<hex SHA-256 of the canonical request>`, and the signature the hex
//! HMAC-SHA256 of it under the AccessKey secret itself.
//!
//! odpsh requires every `x-acs-*` header sent to be signed (the action and version among them),
//! and `content-type` whenever there is a body, so that what a request does is what was signed.

use std::time::SystemTime;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::errors::OpenApiError;
use super::params;
use super::signature_rpc::MAX_NONCE;

/// The only V3 algorithm odpsh verifies.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// A parsed `Authorization: ACS3-HMAC-SHA256 …` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub access_key_id: String,
    /// Lower-case header names, in the order given.
    pub signed_headers: Vec<String>,
    pub signature: String,
}

fn incomplete(detail: &str) -> OpenApiError {
    OpenApiError::IncompleteSignature(detail.to_string())
}

/// Parses the header's value; another `ACS3-` algorithm is an unsupported method.
pub fn parse_authorization(value: &str) -> Result<Authorization, OpenApiError> {
    let value = value.trim();
    let (algorithm, rest) = value.split_once(char::is_whitespace).unwrap_or((value, ""));
    if algorithm != ALGORITHM {
        return Err(if algorithm.starts_with("ACS3-") {
            OpenApiError::InvalidSignatureMethod
        } else {
            incomplete(
                "The Authorization header is not of the form ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=….",
            )
        });
    }
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let Some((name, v)) = part.trim().split_once('=') else {
            continue;
        };
        let slot = match name.trim() {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed,
            "Signature" => &mut signature,
            _ => continue,
        };
        *slot = Some(v.trim()).filter(|v| !v.is_empty());
    }
    let (Some(credential), Some(signed), Some(signature)) = (credential, signed, signature) else {
        return Err(incomplete(
            "The Authorization header lacks its Credential, SignedHeaders or Signature.",
        ));
    };
    Ok(Authorization {
        access_key_id: credential.to_string(),
        signed_headers: signed
            .split(';')
            .map(|h| h.trim().to_ascii_lowercase())
            .filter(|h| !h.is_empty())
            .collect(),
        signature: signature.to_string(),
    })
}

/// A request as the canonical request reads it.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub method: &'a str,
    /// The path as sent (still percent-encoded).
    pub path: &'a str,
    pub query: &'a [(String, String)],
    /// Header names in lower case.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

impl Request<'_> {
    /// Every value of a header, each trimmed.
    fn values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .collect()
    }

    /// The last value of a header, trimmed.
    pub(in crate::server) fn header(&self, name: &str) -> Option<&str> {
        self.values(name).into_iter().next_back()
    }
}

/// What an ACS3-signed request claims, checked as far as it can be without the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub access_key_id: String,
    pub signature: String,
    pub nonce: String,
    pub signed_at: SystemTime,
    pub string_to_sign: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The canonical request of `request` for these signed headers and payload hash.
pub fn canonical_request(request: &Request<'_>, signed: &[String], payload: &str) -> String {
    let query =
        params::canonical_query(request.query.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let mut headers = String::new();
    for name in signed {
        let mut values = request.values(name);
        values.sort_unstable();
        headers.push_str(name);
        headers.push(':');
        headers.push_str(&values.join(","));
        headers.push('\n');
    }
    let path = if request.path.is_empty() {
        "/"
    } else {
        request.path
    };
    format!(
        "{}\n{path}\n{query}\n{headers}\n{}\n{payload}",
        request.method.to_ascii_uppercase(),
        signed.join(";")
    )
}

/// `ACS3-HMAC-SHA256\n<hex SHA-256 of the canonical request>`.
pub fn string_to_sign(canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    )
}

/// Checks the headers a V3 signature needs and builds the string to sign.
pub fn claim(auth: &Authorization, request: &Request<'_>) -> Result<Claim, OpenApiError> {
    let date = request
        .header("x-acs-date")
        .ok_or_else(|| incomplete("The header x-acs-date is missing."))?;
    let signed_at = params::parse_utc(date).ok_or(OpenApiError::TimestampFormat)?;
    let nonce = request
        .header("x-acs-signature-nonce")
        .filter(|n| !n.is_empty())
        .ok_or_else(|| incomplete("The header x-acs-signature-nonce is missing."))?;
    if nonce.len() > MAX_NONCE {
        return Err(OpenApiError::InvalidSignatureNonce);
    }
    let payload = request
        .header("x-acs-content-sha256")
        .ok_or_else(|| incomplete("The header x-acs-content-sha256 is missing."))?;
    if !payload.eq_ignore_ascii_case(&hex(&Sha256::digest(request.body))) {
        return Err(incomplete(
            "The header x-acs-content-sha256 is not the SHA-256 of the body.",
        ));
    }
    let must_sign =
        request.headers.iter().map(|(n, _)| n.as_str()).filter(|n| {
            n.starts_with("x-acs-") || (*n == "content-type" && !request.body.is_empty())
        });
    for name in must_sign {
        if !auth.signed_headers.iter().any(|s| s == name) {
            return Err(OpenApiError::IncompleteSignature(format!(
                "The header {name} is not among the SignedHeaders."
            )));
        }
    }
    let canonical = canonical_request(request, &auth.signed_headers, payload);
    Ok(Claim {
        access_key_id: auth.access_key_id.clone(),
        signature: auth.signature.clone(),
        nonce: nonce.to_string(),
        signed_at,
        string_to_sign: string_to_sign(&canonical),
    })
}

fn mac(secret: &str, message: &str) -> Option<Hmac<Sha256>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(message.as_bytes());
    Some(mac)
}

/// The hex signature of `string_to_sign` under `secret` (what a client sends).
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    mac(secret, string_to_sign)
        .map(|m| hex(&m.finalize().into_bytes()))
        .unwrap_or_default()
}

/// Whether `signature` (hex) signs `string_to_sign` under `secret`, compared in constant time.
pub fn verify(secret: &str, string_to_sign: &str, signature: &str) -> bool {
    let Some(given) = unhex(signature.trim()) else {
        return false;
    };
    mac(secret, string_to_sign).is_some_and(|m| m.verify_slice(&given).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const AK: &str = "LTAI5tVectorKey000000000";
    const SECRET: &str = "VectorSecret0000000000000000ab";
    const EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    fn headers(action: &str, payload: &str, form: bool) -> Vec<(String, String)> {
        let mut h = pairs(&[
            ("host", "127.0.0.1:8080"),
            ("x-acs-version", "2015-05-01"),
            ("x-acs-action", action),
            (
                "user-agent",
                "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2",
            ),
            ("x-acs-date", "2026-08-04T06:00:00Z"),
            ("x-acs-signature-nonce", "844cfd50bee3c085fdfad072aadb036d"),
            ("accept", "application/json"),
            ("x-acs-content-sha256", payload),
        ]);
        if form {
            h.push((
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            ));
        }
        h
    }

    fn check(auth: &str, request: &Request<'_>) -> Result<Claim, OpenApiError> {
        claim(&parse_authorization(auth)?, request)
    }

    /// Computed by alibabacloud-tea-openapi 0.4.6 (`Utils.get_authorization`) for a CreateUser
    /// call as the RAM SDK sends it (its parameters in the query, no body).
    #[test]
    fn matches_the_sdk_for_a_query() {
        let query = pairs(&[
            ("UserName", "alice"),
            ("DisplayName", "Alice L."),
            ("Comments", "中文 *~+/=&"),
        ]);
        let headers = headers("CreateUser", EMPTY, false);
        let request = Request {
            method: "POST",
            path: "/",
            query: &query,
            headers: &headers,
            body: b"",
        };
        let header = "ACS3-HMAC-SHA256 Credential=LTAI5tVectorKey000000000,SignedHeaders=accept;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=acfec5a4ddbfd981ac7b93e40640aee040779b4ace30069e6ca649fe3f4762f6";
        let claim = check(header, &request).unwrap();
        assert_eq!(claim.access_key_id, AK);
        assert_eq!(claim.nonce, "844cfd50bee3c085fdfad072aadb036d");
        assert!(verify(SECRET, &claim.string_to_sign, &claim.signature));
        assert!(!verify("wrong", &claim.string_to_sign, &claim.signature));
        assert_eq!(
            sign(SECRET, &claim.string_to_sign),
            "acfec5a4ddbfd981ac7b93e40640aee040779b4ace30069e6ca649fe3f4762f6"
        );
    }

    /// The same SDK for a form body (its hash is the payload, `content-type` is signed).
    #[test]
    fn matches_the_sdk_for_a_form_body() {
        let body = br#"PolicyDocument=%7B%22Version%22%3A%221%22%2C%22Statement%22%3A%5B%5D%7D&PolicyName=p-1"#;
        let hash = "9ee823263b13fa81129da551efd9439ed1ed50c433efbb84ee2c78107a81a8f7";
        let headers = headers("CreatePolicy", hash, true);
        let request = Request {
            method: "POST",
            path: "/",
            query: &[],
            headers: &headers,
            body,
        };
        let header = "ACS3-HMAC-SHA256 Credential=LTAI5tVectorKey000000000,SignedHeaders=accept;content-type;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=304358a5cbdf222719a9b199116f3b97a9038c8c1464cbc99518148d03300ea0";
        let claim = check(header, &request).unwrap();
        assert!(verify(SECRET, &claim.string_to_sign, &claim.signature));
    }

    #[test]
    fn refuses_what_cannot_be_checked() {
        let headers_all = headers("CreateUser", EMPTY, false);
        let request = |headers: &[(String, String)], body: &'static [u8]| {
            let headers = headers.to_vec();
            move |auth: &str| {
                check(
                    auth,
                    &Request {
                        method: "POST",
                        path: "/",
                        query: &[],
                        headers: &headers,
                        body,
                    },
                )
            }
        };
        let all = "accept;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version";
        let auth = |signed: &str| {
            format!("{ALGORITHM} Credential={AK},SignedHeaders={signed},Signature=00")
        };
        let incomplete = |e: Result<Claim, OpenApiError>| match e {
            Err(OpenApiError::IncompleteSignature(d)) => d,
            other => panic!("{other:?}"),
        };
        assert!(request(&headers_all, b"")(&auth(all)).is_ok());
        assert_eq!(
            request(&headers_all, b"")("ACS3-HMAC-SM3 Credential=a,SignedHeaders=b,Signature=c"),
            Err(OpenApiError::InvalidSignatureMethod)
        );
        assert!(incomplete(request(&headers_all, b"")("acs LTAI:abc")).contains("not of the form"));
        assert!(
            incomplete(request(&headers_all, b"")(&format!(
                "{ALGORITHM} Credential={AK}"
            )))
            .contains("lacks")
        );
        assert_eq!(
            incomplete(request(&headers_all, b"")(&auth("host;x-acs-date"))),
            "The header x-acs-version is not among the SignedHeaders."
        );
        assert_eq!(
            incomplete(request(&headers_all, b"x")(&auth(all))),
            "The header x-acs-content-sha256 is not the SHA-256 of the body."
        );
        for missing in [
            "x-acs-date",
            "x-acs-signature-nonce",
            "x-acs-content-sha256",
        ] {
            let fewer: Vec<_> = headers_all
                .iter()
                .filter(|(n, _)| n != missing)
                .cloned()
                .collect();
            assert_eq!(
                incomplete(request(&fewer, b"")(&auth(all))),
                format!("The header {missing} is missing.")
            );
        }
        let mut late = headers_all.clone();
        late.retain(|(n, _)| n != "x-acs-date");
        late.push(("x-acs-date".into(), "Tue, 04 Aug 2026 06:00:00 GMT".into()));
        assert_eq!(
            request(&late, b"")(&auth(all)),
            Err(OpenApiError::TimestampFormat)
        );
    }

    #[test]
    fn several_values_of_a_header_are_sorted() {
        let headers = pairs(&[("x-acs-b", " 2 "), ("x-acs-b", "1"), ("x-acs-a", "z")]);
        let request = Request {
            method: "get",
            path: "",
            query: &[],
            headers: &headers,
            body: b"",
        };
        let signed = vec!["x-acs-a".to_string(), "x-acs-b".to_string()];
        assert_eq!(
            canonical_request(&request, &signed, EMPTY),
            format!("GET\n/\n\nx-acs-a:z\nx-acs-b:1,2\n\nx-acs-a;x-acs-b\n{EMPTY}")
        );
    }
}
