//! Every error the server answers with: its HTTP status, its `<Code>` and its `<Message>`, in one
//! place, each pinned by a test below. Codes are PyODPS exception class names where one fits
//! (`SignatureNotMatch`, `NoSuchObject`, `NoPermission`, `InvalidArgument`, …), so the client
//! raises a typed error; messages carry the service's `ODPS-04…` codes (reference §C.3, §B.4).
//! Texts the service does not publish are odpsh's (see grammar/DECISIONS.md, "odpsh serve").

use crate::engine::{Failure, OdpsError};

/// The largest request body the server reads (a security statement is a few hundred bytes).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServerError {
    /// No `Authorization` or no `Date` header.
    #[error(
        "ODPS-0410001:Missing authentication parameters - The request authorization header is invalid or missing."
    )]
    MissingAuthentication,
    /// An `Authorization` header of another scheme than `ODPS`.
    #[error(
        "ODPS-0410021:Invalid signature method - the Authorization header must be 'ODPS <AccessKeyId>:<signature>'"
    )]
    SignatureMethod,
    /// `ODPS` without a usable `<AccessKeyId>:<signature>` (or V4 credential).
    #[error(
        "ODPS-0410011:Invalid authentication parameters - the Authorization header must be 'ODPS <AccessKeyId>:<signature>'"
    )]
    MalformedAuthorization,
    #[error("ODPS-0410011:Invalid authentication parameters - the Date header is not an HTTP date")]
    UnreadableDate,
    /// The `Date` header is more than 15 minutes away from the server's clock.
    #[error(
        "ODPS-0410031:Authentication request expired - the expire time interval  exceeds the max limitation: 900000, max_interval_date:900000,expire_date:{expired},now_date:{now}"
    )]
    RequestExpired { expired: String, now: String },
    /// A V4 credential whose scope does not end in `odps/aliyun_v4_request`.
    #[error(
        "ODPS-0410011:Invalid authentication parameters - the V4 credential's scope ends in odps/{0}, not odps/aliyun_v4_request"
    )]
    V4ScopePrefix(String),
    /// A V4 credential of another day than the request's `Date`.
    #[error(
        "ODPS-0410011:Invalid authentication parameters - the V4 credential is scoped to the day {day}, not to the day of the request's Date ({expected})"
    )]
    V4ScopeDay { day: String, expected: String },
    /// A V4 credential of another region than the server's.
    #[error(
        "ODPS-0410011:Invalid authentication parameters - the V4 credential is scoped to the region {region}, not to this endpoint's region {expected}"
    )]
    V4ScopeRegion { region: String, expected: String },
    #[error(
        "ODPS-0410011:Invalid authentication parameters - the Content-MD5 header is neither 32 hexadecimal digits nor the Base64 of 16 bytes"
    )]
    ContentMd5Malformed,
    /// The body is not the one whose digest the (signed) `Content-MD5` header gives.
    #[error(
        "ODPS-0410011:Invalid authentication parameters - the Content-MD5 header does not match the MD5 of the request body"
    )]
    ContentMd5Mismatch,
    /// `--require-content-md5`: a body that no signature covers.
    #[error(
        "ODPS-0410001:Missing authentication parameters - this endpoint requires a Content-MD5 header on every request with a body"
    )]
    ContentMd5Required,
    #[error("{}", OdpsError::SignatureMismatch)]
    SignatureNotMatch,
    #[error("{}", OdpsError::AccessKeyNotFound(.0.clone()))]
    AccessKeyNotFound(String),
    #[error("{}", OdpsError::AccessKeyInactive(.0.clone()))]
    AccessKeyDisabled(String),
    /// An STS credential whose security token is missing, wrong or expired.
    #[error("{0}")]
    SecurityToken(OdpsError),
    #[error("The request body is larger than the limit of {BODY_LIMIT} bytes")]
    BodyTooLarge,
    #[error("ODPS-0420411:Invalid argument - the body is not a valid <Authorization> request: {0}")]
    MalformedXml(String),
    /// A query that is not one security statement the server runs.
    #[error("ODPS-0420411:Invalid argument - {0}")]
    InvalidQuery(String),
    #[error("No such resource: {method} {path}")]
    NoSuchResource { method: String, path: String },
    /// A request of the service that odpsh does not simulate. Not `NoSuchObject`, which PyODPS
    /// reads as "absent": `NotSupportedError` is the PyODPS class it raises.
    #[error("odpsh serve does not simulate {what}: {method} {path}")]
    NotServed {
        method: String,
        path: String,
        what: Unserved,
    },
    /// A `<SecurityConfiguration>` body that cannot be read.
    #[error("ODPS-0420411:Invalid argument - the body is not a valid <SecurityConfiguration>: {0}")]
    MalformedSecurityConfiguration(String),
    #[error("The method {method} is not allowed on {path}; allowed: {allow}")]
    MethodNotAllowed {
        method: String,
        path: String,
        allow: &'static str,
    },
    #[error("Authorization query instance not found - '{0}'")]
    NoSuchInstance(String),
    /// A statement the engine refused, with the status and code chosen by [`refusal`].
    #[error("{message}")]
    Refused {
        status: u16,
        code: &'static str,
        message: String,
    },
    /// The body did not arrive within the header-read timeout.
    #[error("The request body did not arrive within {0} seconds")]
    BodyTimeout(u64),
    /// The server already holds its maximum of connections (`--max-connections`).
    #[error("The service is busy: this endpoint holds its maximum of {0} connections; retry later")]
    Busy(usize),
    #[error("ODPS-0010000:System internal error - {0}")]
    Internal(String),
}

impl ServerError {
    pub fn status(&self) -> u16 {
        match self {
            ServerError::MissingAuthentication
            | ServerError::SignatureMethod
            | ServerError::MalformedAuthorization
            | ServerError::UnreadableDate
            | ServerError::RequestExpired { .. }
            | ServerError::V4ScopePrefix(_)
            | ServerError::V4ScopeDay { .. }
            | ServerError::V4ScopeRegion { .. }
            | ServerError::ContentMd5Malformed
            | ServerError::ContentMd5Mismatch
            | ServerError::ContentMd5Required
            | ServerError::MalformedXml(_)
            | ServerError::MalformedSecurityConfiguration(_)
            | ServerError::InvalidQuery(_) => 400,
            ServerError::SignatureNotMatch
            | ServerError::AccessKeyNotFound(_)
            | ServerError::AccessKeyDisabled(_)
            | ServerError::SecurityToken(_) => 401,
            ServerError::NoSuchResource { .. } | ServerError::NoSuchInstance(_) => 404,
            ServerError::MethodNotAllowed { .. } => 405,
            ServerError::NotServed { .. } => 501,
            ServerError::BodyTimeout(_) => 408,
            ServerError::BodyTooLarge => 413,
            ServerError::Busy(_) => 503,
            ServerError::Refused { status, .. } => *status,
            ServerError::Internal(_) => 500,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ServerError::MissingAuthentication => "AuthorizationRequired",
            ServerError::SignatureMethod
            | ServerError::MalformedAuthorization
            | ServerError::UnreadableDate
            | ServerError::V4ScopePrefix(_)
            | ServerError::V4ScopeDay { .. }
            | ServerError::V4ScopeRegion { .. } => "InvalidAuthorization",
            ServerError::ContentMd5Malformed
            | ServerError::ContentMd5Mismatch
            | ServerError::ContentMd5Required => "InvalidDigest",
            // Sic: the service's spelling, which PyODPS maps to RequestTimeTooSkewed.
            ServerError::RequestExpired { .. } => "RequestTimeTooSkewd",
            ServerError::SignatureNotMatch => "SignatureNotMatch",
            ServerError::AccessKeyNotFound(_) => "AccessKeyIdNotFound",
            ServerError::AccessKeyDisabled(_) => "AccessKeyIdDisabled",
            ServerError::SecurityToken(_) => "InvalidSecurityToken",
            ServerError::BodyTooLarge => "RequestEntityTooLarge",
            ServerError::BodyTimeout(_) => "RequestTimeout",
            ServerError::Busy(_) => "ServiceUnavailable",
            ServerError::MalformedXml(_)
            | ServerError::MalformedSecurityConfiguration(_)
            | ServerError::InvalidQuery(_) => "InvalidArgument",
            ServerError::NotServed { .. } => "NotSupportedError",
            ServerError::NoSuchResource { .. } | ServerError::NoSuchInstance(_) => "NoSuchObject",
            ServerError::MethodNotAllowed { .. } => "MethodNotAllowed",
            ServerError::Refused { code, .. } => code,
            ServerError::Internal(_) => "InternalServerError",
        }
    }

    /// The `Allow` header a 405 carries.
    pub fn allow(&self) -> Option<&'static str> {
        match self {
            ServerError::MethodNotAllowed { allow, .. } => Some(allow),
            _ => None,
        }
    }
}

/// What odpsh does not simulate, as a [`ServerError::NotServed`] names it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unserved {
    #[error("this request")]
    Request,
    #[error("the '{0}' action of this resource")]
    Action(String),
    #[error("the security (exception) policy yet (it comes with download control)")]
    SecurityPolicy,
    #[error("bearer tokens")]
    BearerTokens,
    #[error("resource contents (resources are kept as metadata only)")]
    ResourceContents,
    #[error("changing {0} over REST; run the statement in the odpsh shell on the same world")]
    Changes(&'static str),
    #[error("running jobs over REST; run the SQL statement in the odpsh shell on the same world")]
    Jobs,
    #[error("the list filter '{0}'")]
    Filter(String),
}

/// A statement the engine refused, as the server answers it: its failure report's status,
/// REST code and message.
pub fn refusal(failure: &Failure) -> ServerError {
    let report = failure.report();
    ServerError::Refused {
        status: report.status,
        code: report.rest_code,
        message: report.message,
    }
}

/// A statement that does not parse: `ODPS-0130161:[line,column] Parse exception - …`.
pub fn parse_refusal(message: String) -> ServerError {
    ServerError::Refused {
        status: 400,
        code: "ParseError",
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin(e: ServerError, status: u16, code: &str, message: &str) {
        assert_eq!(
            (e.status(), e.code(), e.to_string().as_str()),
            (status, code, message)
        );
    }

    #[test]
    fn authentication_errors() {
        pin(
            ServerError::MissingAuthentication,
            400,
            "AuthorizationRequired",
            "ODPS-0410001:Missing authentication parameters - The request authorization header is invalid or missing.",
        );
        pin(
            ServerError::SignatureMethod,
            400,
            "InvalidAuthorization",
            "ODPS-0410021:Invalid signature method - the Authorization header must be 'ODPS <AccessKeyId>:<signature>'",
        );
        pin(
            ServerError::MalformedAuthorization,
            400,
            "InvalidAuthorization",
            "ODPS-0410011:Invalid authentication parameters - the Authorization header must be 'ODPS <AccessKeyId>:<signature>'",
        );
        pin(
            ServerError::UnreadableDate,
            400,
            "InvalidAuthorization",
            "ODPS-0410011:Invalid authentication parameters - the Date header is not an HTTP date",
        );
        pin(
            ServerError::RequestExpired {
                expired: "2026-08-04T06:15:00.000Z".into(),
                now: "2026-08-04T07:00:00.000Z".into(),
            },
            400,
            "RequestTimeTooSkewd",
            "ODPS-0410031:Authentication request expired - the expire time interval  exceeds the max limitation: 900000, max_interval_date:900000,expire_date:2026-08-04T06:15:00.000Z,now_date:2026-08-04T07:00:00.000Z",
        );
        pin(
            ServerError::V4ScopePrefix("x_request".into()),
            400,
            "InvalidAuthorization",
            "ODPS-0410011:Invalid authentication parameters - the V4 credential's scope ends in odps/x_request, not odps/aliyun_v4_request",
        );
        pin(
            ServerError::V4ScopeDay {
                day: "19990101".into(),
                expected: "20261202".into(),
            },
            400,
            "InvalidAuthorization",
            "ODPS-0410011:Invalid authentication parameters - the V4 credential is scoped to the day 19990101, not to the day of the request's Date (20261202)",
        );
        pin(
            ServerError::V4ScopeRegion {
                region: "nowhere".into(),
                expected: "cn-hangzhou".into(),
            },
            400,
            "InvalidAuthorization",
            "ODPS-0410011:Invalid authentication parameters - the V4 credential is scoped to the region nowhere, not to this endpoint's region cn-hangzhou",
        );
        pin(
            ServerError::ContentMd5Malformed,
            400,
            "InvalidDigest",
            "ODPS-0410011:Invalid authentication parameters - the Content-MD5 header is neither 32 hexadecimal digits nor the Base64 of 16 bytes",
        );
        pin(
            ServerError::ContentMd5Mismatch,
            400,
            "InvalidDigest",
            "ODPS-0410011:Invalid authentication parameters - the Content-MD5 header does not match the MD5 of the request body",
        );
        pin(
            ServerError::ContentMd5Required,
            400,
            "InvalidDigest",
            "ODPS-0410001:Missing authentication parameters - this endpoint requires a Content-MD5 header on every request with a body",
        );
        pin(
            ServerError::SignatureNotMatch,
            401,
            "SignatureNotMatch",
            "ODPS-0410042:Invalid signature value - User signature does not match",
        );
        pin(
            ServerError::AccessKeyNotFound("LTAIx".into()),
            401,
            "AccessKeyIdNotFound",
            "ODPS-0410051:Invalid credentials - accessKeyId not found: LTAIx",
        );
        pin(
            ServerError::AccessKeyDisabled("LTAIx".into()),
            401,
            "AccessKeyIdDisabled",
            "ODPS-0410051:Invalid credentials - accessKeyId is disabled: LTAIx",
        );
    }

    #[test]
    fn request_errors() {
        pin(
            ServerError::BodyTooLarge,
            413,
            "RequestEntityTooLarge",
            "The request body is larger than the limit of 1048576 bytes",
        );
        pin(
            ServerError::MalformedXml("unexpected end of input".into()),
            400,
            "InvalidArgument",
            "ODPS-0420411:Invalid argument - the body is not a valid <Authorization> request: unexpected end of input",
        );
        pin(
            ServerError::InvalidQuery("the query is empty".into()),
            400,
            "InvalidArgument",
            "ODPS-0420411:Invalid argument - the query is empty",
        );
        pin(
            ServerError::NoSuchResource {
                method: "GET".into(),
                path: "/api/nowhere".into(),
            },
            404,
            "NoSuchObject",
            "No such resource: GET /api/nowhere",
        );
        pin(
            ServerError::MalformedSecurityConfiguration(
                "no <SecurityConfiguration> element".into(),
            ),
            400,
            "InvalidArgument",
            "ODPS-0420411:Invalid argument - the body is not a valid <SecurityConfiguration>: no <SecurityConfiguration> element",
        );
        let not_served = |what| ServerError::NotServed {
            method: "GET".into(),
            path: "/api/projects/p?policy".into(),
            what,
        };
        for (what, text) in [
            (Unserved::Request, "this request"),
            (
                Unserved::Action("data".into()),
                "the 'data' action of this resource",
            ),
            (
                Unserved::SecurityPolicy,
                "the security (exception) policy yet (it comes with download control)",
            ),
            (Unserved::BearerTokens, "bearer tokens"),
            (
                Unserved::ResourceContents,
                "resource contents (resources are kept as metadata only)",
            ),
            (
                Unserved::Changes("tables"),
                "changing tables over REST; run the statement in the odpsh shell on the same world",
            ),
            (
                Unserved::Jobs,
                "running jobs over REST; run the SQL statement in the odpsh shell on the same world",
            ),
            (Unserved::Filter("group".into()), "the list filter 'group'"),
        ] {
            pin(
                not_served(what),
                501,
                "NotSupportedError",
                &format!("odpsh serve does not simulate {text}: GET /api/projects/p?policy"),
            );
        }
        let e = ServerError::MethodNotAllowed {
            method: "DELETE".into(),
            path: "/api/projects/p".into(),
            allow: "GET",
        };
        assert_eq!(e.allow(), Some("GET"));
        pin(
            e,
            405,
            "MethodNotAllowed",
            "The method DELETE is not allowed on /api/projects/p; allowed: GET",
        );
        pin(
            ServerError::NoSuchInstance("x".into()),
            404,
            "NoSuchObject",
            "Authorization query instance not found - 'x'",
        );
        pin(
            ServerError::BodyTimeout(10),
            408,
            "RequestTimeout",
            "The request body did not arrive within 10 seconds",
        );
        pin(
            ServerError::Busy(512),
            503,
            "ServiceUnavailable",
            "The service is busy: this endpoint holds its maximum of 512 connections; retry later",
        );
        pin(
            ServerError::Internal("cannot lock w.json".into()),
            500,
            "InternalServerError",
            "ODPS-0010000:System internal error - cannot lock w.json",
        );
    }

    #[test]
    fn engine_refusals() {
        let r = |e: OdpsError| refusal(&Failure::Odps(e));
        pin(
            r(OdpsError::LackOfAccountProvider),
            400,
            "InvalidArgument",
            "lack of account provider",
        );
        pin(
            r(OdpsError::NotInProject("p".into())),
            403,
            "NoPermission",
            "ODPS-0420095: Access Denied - You don't exist in project p.",
        );
        pin(
            r(OdpsError::ProjectNotFound("p".into())),
            404,
            "NoSuchObject",
            "ODPS-0420111: Project not found - 'p'.",
        );
        pin(
            r(OdpsError::RoleExists("r".into())),
            409,
            "ObjectAlreadyExists",
            "Role already exists: r",
        );
        pin(
            r(OdpsError::NoSuchRole("r".into())),
            404,
            "NoSuchObject",
            "Role does not exist: r",
        );
        pin(
            parse_refusal("ODPS-0130161:[1,1] Parse exception - expected x, found y".into()),
            400,
            "ParseError",
            "ODPS-0130161:[1,1] Parse exception - expected x, found y",
        );
    }
}
