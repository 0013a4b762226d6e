//! The RPC signature V1 that `aliyun-python-sdk-core`, the other pre-Tea SDKs, the `aliyun`
//! CLI and the Tea SDKs with `signature_algorithm='v2'` send: the parameters `AccessKeyId`,
//! `Signature`, `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`, `SignatureNonce` and
//! `Timestamp` among the call's own, in the query or a form body.
//!
//! The string to sign is `<METHOD>&%2F&` followed by the percent-encoding of the canonical
//! query: every parameter but `Signature`, wherever it was sent, RFC 3986-encoded as
//! `name=value`, sorted by name and joined with `&`. The signature is the Base64 of its
//! HMAC-SHA1 under the key `<AccessKeySecret>&`.

use std::time::SystemTime;

use crate::syntax::MASK;
use crate::syntax::console::is_secret_parameter;

use super::errors::OpenApiError;
use super::params::{self, Params};

/// The only signature method and version odpsh verifies.
pub const METHOD: &str = "HMAC-SHA1";
pub const VERSION: &str = "1.0";

/// The longest nonce odpsh keeps (the SDKs send 32 hexadecimal digits or a 36-character UUID).
pub const MAX_NONCE: usize = 128;

/// What a V1-signed request claims, read from its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub access_key_id: String,
    pub signature: String,
    pub nonce: String,
    pub signed_at: SystemTime,
    pub string_to_sign: String,
    /// The string to sign with the values of secret parameters masked, as a mismatch shows it.
    pub shown: String,
}

fn required<'a>(params: &'a Params, name: &str) -> Result<&'a str, OpenApiError> {
    params
        .non_empty(name)
        .ok_or_else(|| OpenApiError::Missing(name.to_string()))
}

/// Reads the signature parameters, in the order the gateway checks them.
pub fn claim(method: &str, params: &Params) -> Result<Claim, OpenApiError> {
    let access_key_id = required(params, "AccessKeyId")?;
    let signature = required(params, "Signature")?;
    if params
        .non_empty("SignatureMethod")
        .is_some_and(|m| m != METHOD)
    {
        return Err(OpenApiError::InvalidSignatureMethod);
    }
    if params
        .non_empty("SignatureVersion")
        .is_some_and(|v| v != VERSION)
    {
        return Err(OpenApiError::InvalidSignatureVersion);
    }
    let timestamp = required(params, "Timestamp")?;
    let signed_at = params::parse_utc(timestamp).ok_or(OpenApiError::TimestampFormat)?;
    let nonce = required(params, "SignatureNonce")?;
    if nonce.len() > MAX_NONCE {
        return Err(OpenApiError::InvalidSignatureNonce);
    }
    Ok(Claim {
        access_key_id: access_key_id.to_string(),
        signature: signature.to_string(),
        nonce: nonce.to_string(),
        signed_at,
        string_to_sign: string_to_sign(method, params.iter(), false),
        shown: string_to_sign(method, params.iter(), true),
    })
}

/// `<METHOD>&%2F&<percent-encoded canonical query>` over every parameter but `Signature`;
/// with `masked`, the values of secret parameters (`Password`, …) read `******`.
pub fn string_to_sign<'a>(
    method: &str,
    params: impl Iterator<Item = (&'a str, &'a str)>,
    masked: bool,
) -> String {
    let signed = params
        .filter(|(name, _)| *name != "Signature")
        .map(|(n, v)| {
            if masked && is_secret_parameter(n) {
                (n, MASK)
            } else {
                (n, v)
            }
        });
    let canonical = params::canonical_query(signed);
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        params::encode("/"),
        params::encode(&canonical)
    )
}

/// HMAC-SHA1 in Base64, keyed as each signature form keys it: the RPC V1 form by
/// `<secret>&`, the ROA form by the secret itself.
pub mod hmac_sha1 {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD as BASE64;
    use hmac::{Hmac, Mac};
    use sha1::Sha1;

    /// HMAC-SHA1 of `message` under `key` (`None` never happens: HMAC takes keys of every
    /// length).
    fn mac(key: &str, message: &str) -> Option<Hmac<Sha1>> {
        let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).ok()?;
        mac.update(message.as_bytes());
        Some(mac)
    }

    /// The Base64 signature of `message` under `key`.
    pub fn sign(key: &str, message: &str) -> String {
        mac(key, message)
            .map(|m| BASE64.encode(m.finalize().into_bytes()))
            .unwrap_or_default()
    }

    /// Whether `signature` (Base64) signs `message` under `key`, compared in constant time.
    pub fn verify(key: &str, message: &str, signature: &str) -> bool {
        let Ok(given) = BASE64.decode(signature.trim()) else {
            return false;
        };
        mac(key, message).is_some_and(|m| m.verify_slice(&given).is_ok())
    }
}

/// The Base64 signature of `string_to_sign` under `secret` (what a client sends).
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    hmac_sha1::sign(&format!("{secret}&"), string_to_sign)
}

/// Whether `signature` (Base64) signs `string_to_sign` under `secret`, compared in constant
/// time.
pub fn verify(secret: &str, string_to_sign: &str, signature: &str) -> bool {
    hmac_sha1::verify(&format!("{secret}&"), string_to_sign, signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "VectorSecret0000000000000000ab";

    fn vector() -> Params {
        let pairs = [
            ("Action", "CreateUser"),
            ("Version", "2015-05-01"),
            ("Format", "JSON"),
            ("AccessKeyId", "LTAI5tVectorKey000000000"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureType", ""),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("Timestamp", "2026-08-04T06:00:00Z"),
            ("UserName", "alice"),
            ("DisplayName", "Alice L."),
            ("Comments", "中文 *~+/=&"),
        ];
        Params {
            query: pairs
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            form: Vec::new(),
        }
    }

    /// Computed by aliyun-python-sdk-core 2.16.1 (`rpc_signature_composer`) and by
    /// alibabacloud-tea-openapi 0.4.6 (`Utils.get_rpcsignature`) from the same parameters; both
    /// give this string to sign and this signature.
    #[test]
    fn matches_the_sdks() {
        let sts = string_to_sign("POST", vector().iter(), false);
        assert_eq!(
            sts,
            "POST&%2F&AccessKeyId%3DLTAI5tVectorKey000000000%26Action%3DCreateUser%26Comments%3D%25E4%25B8%25AD%25E6%2596%2587%2520%252A~%252B%252F%253D%2526%26DisplayName%3DAlice%2520L.%26Format%3DJSON%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureType%3D%26SignatureVersion%3D1.0%26Timestamp%3D2026-08-04T06%253A00%253A00Z%26UserName%3Dalice%26Version%3D2015-05-01"
        );
        assert_eq!(sign(SECRET, &sts), "BhKtg2JEFXlMx9RghsRpSMQjDD8=");
        assert!(verify(SECRET, &sts, "BhKtg2JEFXlMx9RghsRpSMQjDD8="));
        assert!(!verify("other", &sts, "BhKtg2JEFXlMx9RghsRpSMQjDD8="));
        assert!(!verify(SECRET, &sts, "not base64!"));
    }

    #[test]
    fn the_signature_itself_is_not_signed() {
        let mut params = vector();
        let before = string_to_sign("POST", params.iter(), false);
        params.form.push(("Signature".into(), "x".into()));
        assert_eq!(string_to_sign("POST", params.iter(), false), before);
        let claim = claim("POST", &params).unwrap();
        assert_eq!(claim.string_to_sign, before);
        assert_eq!(claim.nonce, "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
        assert_eq!(claim.signature, "x");
    }

    #[test]
    fn secrets_are_masked_where_shown() {
        let params = Params {
            query: vec![
                ("UserName".into(), "alice".into()),
                ("Password".into(), "S3cure!pw".into()),
            ],
            form: Vec::new(),
        };
        let shown = string_to_sign("GET", params.iter(), true);
        assert!(!shown.contains("S3cure"), "{shown}");
        assert!(
            shown.contains("Password%3D%252A%252A%252A%252A%252A%252A"),
            "{shown}"
        );
        assert!(string_to_sign("GET", params.iter(), false).contains("S3cure"));
    }

    #[test]
    fn claims_are_checked_in_order() {
        let without = |name: &str| {
            let mut p = vector();
            p.query.retain(|(n, _)| n != name);
            p.query.push(("Signature".into(), "c2ln".into()));
            claim("POST", &p)
        };
        assert_eq!(
            without("AccessKeyId"),
            Err(OpenApiError::Missing("AccessKeyId".into()))
        );
        assert_eq!(
            without("Timestamp"),
            Err(OpenApiError::Missing("Timestamp".into()))
        );
        assert_eq!(
            without("SignatureNonce"),
            Err(OpenApiError::Missing("SignatureNonce".into()))
        );
        assert!(without("SignatureMethod").is_ok());
        assert!(without("SignatureVersion").is_ok());
        assert_eq!(
            claim("POST", &vector()),
            Err(OpenApiError::Missing("Signature".into()))
        );
        let with = |name: &str, value: &str| {
            let mut p = vector();
            p.query.retain(|(n, _)| n != name);
            p.query.push((name.into(), value.into()));
            p.query.push(("Signature".into(), "c2ln".into()));
            claim("POST", &p)
        };
        assert_eq!(
            with("SignatureMethod", "HMAC-SHA256"),
            Err(OpenApiError::InvalidSignatureMethod)
        );
        assert_eq!(
            with("SignatureVersion", "2.0"),
            Err(OpenApiError::InvalidSignatureVersion)
        );
        assert_eq!(
            with("Timestamp", "2026-08-04 06:00"),
            Err(OpenApiError::TimestampFormat)
        );
        assert_eq!(
            with("SignatureNonce", &"n".repeat(MAX_NONCE + 1)),
            Err(OpenApiError::InvalidSignatureNonce)
        );
    }
}
