//! What a request's headers must prove before the world is asked about its AccessKey, checked on
//! the connection's task: an `Authorization` header of the `ODPS` scheme, a `Date` within the
//! 15-minute window, for a V4 credential a scope of that day, this server's region and the
//! `odps/aliyun_v4_request` service, and a `Content-MD5` that is the MD5 of the body whenever it
//! is present (and, with `--require-content-md5`, present on every request with a body). Then
//! [`verify_key`] looks the key up in the world and checks the signature.

use std::time::SystemTime;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use md5::{Digest, Md5};

use crate::engine::identity::{self, AuthFailure};
use crate::world::{PrincipalId, World};

use super::errors::ServerError;
use super::signature::{self, Authorization, DateProblem, HeaderProblem, MAX_SKEW, V4Scope};

/// The only V4 prefix the service accepts (`aliyun_v4`, so `odps/aliyun_v4_request`).
pub const V4_PREFIX: &str = "aliyun_v4";

/// What the server requires of every request besides a valid signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// The region V4 credentials must be scoped to (the region of the world's endpoint unless
    /// `--region` says otherwise).
    pub region: String,
    /// Refuse a request with a body but no `Content-MD5` (`--require-content-md5`).
    pub require_content_md5: bool,
}

/// The headers the checks read, as received.
#[derive(Debug, Clone, Copy, Default)]
pub struct Headers<'a> {
    pub authorization: Option<&'a str>,
    pub date: Option<&'a str>,
    pub content_md5: Option<&'a str>,
}

/// Checks everything about a request that does not depend on the world; its credential when
/// all is well.
pub fn check_request(
    headers: Headers<'_>,
    body: &[u8],
    rules: &Rules,
    now: SystemTime,
) -> Result<Authorization, ServerError> {
    let (Some(header), Some(date)) = (headers.authorization, headers.date) else {
        return Err(ServerError::MissingAuthentication);
    };
    let credential = signature::parse_authorization(header).map_err(|p| match p {
        HeaderProblem::Method => ServerError::SignatureMethod,
        HeaderProblem::Malformed => ServerError::MalformedAuthorization,
    })?;
    let sent = signature::check_date(date, now).map_err(|p| match p {
        DateProblem::Unreadable => ServerError::UnreadableDate,
        DateProblem::Skewed { expired, now } => ServerError::RequestExpired {
            expired: signature::iso_millis(expired),
            now: signature::iso_millis(now),
        },
    })?;
    if let Some(scope) = &credential.v4 {
        check_scope(scope, sent, &rules.region)?;
    }
    match headers.content_md5.map(str::trim) {
        Some(given) => check_content_md5(given, body)?,
        None if rules.require_content_md5 && !body.is_empty() => {
            return Err(ServerError::ContentMd5Required);
        }
        None => {}
    }
    Ok(credential)
}

/// A V4 scope must name the day of the request's `Date` (UTC; within the 15-minute window of a
/// midnight, the day on either side of it too, for a client that signs across it), this server's
/// region, and the service's prefix.
fn check_scope(scope: &V4Scope, sent: SystemTime, region: &str) -> Result<(), ServerError> {
    if scope.prefix != V4_PREFIX {
        return Err(ServerError::V4ScopePrefix(format!(
            "{}_request",
            scope.prefix
        )));
    }
    let day = signature::v4_day(sent);
    let near = [sent.checked_sub(MAX_SKEW), sent.checked_add(MAX_SKEW)];
    let accepted = scope.date == day
        || near
            .into_iter()
            .flatten()
            .any(|t| signature::v4_day(t) == scope.date);
    if !accepted {
        return Err(ServerError::V4ScopeDay {
            day: scope.date.clone(),
            expected: day,
        });
    }
    if scope.region != region {
        return Err(ServerError::V4ScopeRegion {
            region: scope.region.clone(),
            expected: region.to_string(),
        });
    }
    Ok(())
}

/// `Content-MD5` as the clients write it: the Java SDK as 32 hexadecimal digits, RFC 1864 as the
/// Base64 of the 16 bytes.
fn parse_content_md5(value: &str) -> Option<[u8; 16]> {
    let mut digest = [0u8; 16];
    if value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        for (i, byte) in digest.iter_mut().enumerate() {
            *byte = u8::from_str_radix(value.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        return Some(digest);
    }
    let bytes = BASE64.decode(value).ok()?;
    (bytes.len() == 16).then(|| {
        digest.copy_from_slice(&bytes);
        digest
    })
}

fn check_content_md5(value: &str, body: &[u8]) -> Result<(), ServerError> {
    let given = parse_content_md5(value).ok_or(ServerError::ContentMd5Malformed)?;
    if given[..] != Md5::digest(body)[..] {
        return Err(ServerError::ContentMd5Mismatch);
    }
    Ok(())
}

/// The principal whose AccessKey signed `canonical`.
pub fn verify_key(
    world: &World,
    credential: &Authorization,
    canonical: &str,
) -> Result<PrincipalId, ServerError> {
    let id = &credential.access_key_id;
    let token = credential.security_token.as_deref();
    identity::authenticate_key(world, id, token, |secret| {
        signature::verify(
            secret,
            credential.v4.as_ref(),
            canonical,
            &credential.signature,
        )
    })
    .map_err(|f| match f {
        AuthFailure::NotFound => ServerError::AccessKeyNotFound(id.clone()),
        AuthFailure::WrongSecret => ServerError::SignatureNotMatch,
        AuthFailure::Inactive => ServerError::AccessKeyDisabled(id.clone()),
        token @ (AuthFailure::TokenMissing
        | AuthFailure::TokenMismatch
        | AuthFailure::TokenExpired) => ServerError::SecurityToken(token.odps(id)),
    })
}

/// Whether a refusal by [`verify_key`] could be answered otherwise by a world that another
/// process has saved since (a key created or enabled there).
pub fn may_be_stale(e: &ServerError) -> bool {
    matches!(
        e,
        ServerError::AccessKeyNotFound(_) | ServerError::AccessKeyDisabled(_)
    )
}

/// The region of a MaxCompute endpoint (`http://service.cn-hangzhou.maxcompute.aliyun.com/api`),
/// as PyODPS reads it from the host.
pub fn endpoint_region(endpoint: &str) -> Option<String> {
    let host = endpoint.split("://").nth(1)?.split(['/', ':']).next()?;
    let mut labels = host.split('.');
    if labels.next()? != "service" {
        return None;
    }
    let region = labels.next()?;
    let region = region
        .strip_suffix("-internal")
        .or_else(|| region.strip_suffix("-vpc"))
        .unwrap_or(region);
    (region.contains('-') && labels.next().is_some()).then(|| region.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const DATE: &str = "Tue, 04 Aug 2026 06:00:00 GMT";

    fn rules() -> Rules {
        Rules {
            region: "cn-hangzhou".into(),
            require_content_md5: false,
        }
    }

    fn at(date: &str) -> SystemTime {
        httpdate::parse_http_date(date).unwrap()
    }

    fn headers<'a>(authorization: &'a str, md5: Option<&'a str>) -> Headers<'a> {
        Headers {
            authorization: Some(authorization),
            date: Some(DATE),
            content_md5: md5,
        }
    }

    fn check(authorization: &str, md5: Option<&str>, body: &[u8]) -> Result<(), ServerError> {
        check_request(headers(authorization, md5), body, &rules(), at(DATE)).map(|_| ())
    }

    #[test]
    fn v4_scope_is_checked() {
        let v4 = |scope: &str| format!("ODPS LTAIx/{scope}:c2ln");
        assert_eq!(
            check(
                &v4("20260804/cn-hangzhou/odps/aliyun_v4_request"),
                None,
                b""
            ),
            Ok(())
        );
        assert_eq!(
            check(&v4("19990101/nowhere/odps/x_request"), None, b""),
            Err(ServerError::V4ScopePrefix("x_request".into()))
        );
        assert_eq!(
            check(
                &v4("19990101/cn-hangzhou/odps/aliyun_v4_request"),
                None,
                b""
            ),
            Err(ServerError::V4ScopeDay {
                day: "19990101".into(),
                expected: "20260804".into()
            })
        );
        assert_eq!(
            check(&v4("20260804/nowhere/odps/aliyun_v4_request"), None, b""),
            Err(ServerError::V4ScopeRegion {
                region: "nowhere".into(),
                expected: "cn-hangzhou".into()
            })
        );
        // Across midnight: the day before is still good a few minutes after it, not later.
        let after_midnight = "Wed, 05 Aug 2026 00:05:00 GMT";
        let signed = Headers {
            authorization: Some("ODPS LTAIx/20260804/cn-hangzhou/odps/aliyun_v4_request:c2ln"),
            date: Some(after_midnight),
            content_md5: None,
        };
        assert!(check_request(signed, b"", &rules(), at(after_midnight)).is_ok());
        let noon = "Wed, 05 Aug 2026 12:00:00 GMT";
        let late = Headers {
            date: Some(noon),
            ..signed
        };
        assert!(matches!(
            check_request(late, b"", &rules(), at(noon)),
            Err(ServerError::V4ScopeDay { .. })
        ));
        // The window applies first.
        assert!(matches!(
            check_request(
                signed,
                b"",
                &rules(),
                at(after_midnight) + Duration::from_secs(3600)
            ),
            Err(ServerError::RequestExpired { .. })
        ));
    }

    #[test]
    fn content_md5_must_be_the_bodys() {
        let v2 = "ODPS LTAIx:c2ln";
        let body = b"<Authorization><Query>whoami</Query></Authorization>";
        let hex: String = Md5::digest(body)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let base64 = BASE64.encode(Md5::digest(body));
        assert_eq!(check(v2, Some(&hex), body), Ok(()));
        assert_eq!(check(v2, Some(&hex.to_uppercase()), body), Ok(()));
        assert_eq!(check(v2, Some(&base64), body), Ok(()));
        assert_eq!(
            check(
                v2,
                Some(&hex),
                b"<Authorization><Query>create role x</Query></Authorization>"
            ),
            Err(ServerError::ContentMd5Mismatch)
        );
        for bad in ["", "abc", "zz", &hex[..31], "QUJD"] {
            assert_eq!(
                check(v2, Some(bad), body),
                Err(ServerError::ContentMd5Malformed),
                "{bad:?}"
            );
        }
        // Without the header the body is unsigned, unless the server requires it.
        assert_eq!(check(v2, None, body), Ok(()));
        let strict = Rules {
            require_content_md5: true,
            ..rules()
        };
        assert_eq!(
            check_request(headers(v2, None), body, &strict, at(DATE)).map(|_| ()),
            Err(ServerError::ContentMd5Required)
        );
        assert!(check_request(headers(v2, None), b"", &strict, at(DATE)).is_ok());
        assert!(check_request(headers(v2, Some(&hex)), body, &strict, at(DATE)).is_ok());
    }

    #[test]
    fn missing_and_malformed_headers_come_first() {
        let none = Headers::default();
        assert_eq!(
            check_request(none, b"", &rules(), at(DATE)).map(|_| ()),
            Err(ServerError::MissingAuthentication)
        );
        assert_eq!(
            check("Bearer x", None, b""),
            Err(ServerError::SignatureMethod)
        );
        assert_eq!(
            check("ODPS x", Some("bad"), b""),
            Err(ServerError::MalformedAuthorization)
        );
    }

    #[test]
    fn regions_of_endpoints() {
        for (endpoint, region) in [
            (crate::world::DEFAULT_ENDPOINT, Some("cn-hangzhou")),
            (
                "https://service.cn-shanghai-vpc.maxcompute.aliyun-inc.com/api",
                Some("cn-shanghai"),
            ),
            ("http://127.0.0.1:8080/api", None),
            ("http://service.local/api", None),
            ("nonsense", None),
        ] {
            assert_eq!(endpoint_region(endpoint).as_deref(), region, "{endpoint}");
        }
    }
}
