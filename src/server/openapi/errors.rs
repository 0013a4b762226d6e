//! Every error the OpenAPI endpoint at `/` answers: its HTTP status, its `Code` and its
//! `Message`, in one place, each pinned by a test below. The gateway's own errors (signatures,
//! timestamps, nonces, actions, versions, parameters) are the Alibaba Cloud POP gateway's common
//! error codes; a service's refusal is the engine's failure report ([`Report`]: the same code,
//! message and status `aliyun` prints), an AccessKey's the engine's [`RamError`]. Texts the service does not publish are odpsh's (marked so, and listed
//! in grammar/DECISIONS.md, "The OpenAPI RPC endpoint at /").

use serde_json::{Value, json};

use crate::engine::{RamError, Report};

use super::super::errors::ServerError;

/// How a signature mismatch message ends before the server's string to sign.
pub const STRING_TO_SIGN_PREFIX: &str = " server string to sign is:";

/// How the gateway's refusals of a malformed signature begin.
const INCOMPLETE_SIGNATURE: &str = "The request signature does not conform to Aliyun standards.";

/// Why a call to the OpenAPI endpoint was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenApiError {
    /// A method other than GET or POST.
    UnsupportedMethod,
    /// A required parameter (common or the action's) is absent or empty: `Missing<Name>`.
    Missing(String),
    /// `Version` names no product odpsh serves.
    InvalidVersion,
    /// The product has no such action.
    ActionNotFound,
    /// `Format` is neither JSON nor absent (odpsh answers JSON only).
    InvalidFormat,
    /// odpsh's: a parameter given twice (in the query, the form body, or both).
    DuplicateParameter(String),
    /// A signature that cannot be checked; the detail says why (odpsh's wording after the
    /// gateway's sentence).
    IncompleteSignature(String),
    InvalidSignatureMethod,
    InvalidSignatureVersion,
    /// A nonce that is empty once trimmed, or longer than odpsh keeps.
    InvalidSignatureNonce,
    TimestampFormat,
    TimestampExpired,
    NonceUsed,
    /// odpsh's: the nonce memory is full of nonces still inside their window.
    NonceMemoryFull,
    /// The signature is not the one the secret makes; the server's string to sign follows.
    SignatureMismatch {
        string_to_sign: String,
    },
    /// A service's refusal (RAM, IMS, DataWorks, STS), or an AccessKey's.
    Service(RamError),
    /// A command the engine refused, as its failure report says (a service's error, or
    /// DataWorks refused by a row of the permission matrix).
    Refused(Report),
    /// Reading the request failed (body too large or late), or the server failed.
    Server(ServerError),
}

impl From<RamError> for OpenApiError {
    fn from(e: RamError) -> Self {
        OpenApiError::Service(e)
    }
}

impl OpenApiError {
    pub fn status(&self) -> u16 {
        match self {
            OpenApiError::ActionNotFound => 404,
            OpenApiError::Service(e) => e.http_status,
            OpenApiError::Refused(r) => r.status,
            OpenApiError::Server(e) => e.status(),
            _ => 400,
        }
    }

    pub fn code(&self) -> String {
        match self {
            OpenApiError::UnsupportedMethod => "UnsupportedHTTPMethod".into(),
            OpenApiError::Missing(name) => format!("Missing{name}"),
            OpenApiError::InvalidVersion => "InvalidVersion".into(),
            OpenApiError::ActionNotFound => "InvalidAction.NotFound".into(),
            OpenApiError::InvalidFormat => "InvalidParameter.Format".into(),
            OpenApiError::DuplicateParameter(_) => "InvalidParameter.Duplicate".into(),
            OpenApiError::IncompleteSignature(_) => "IncompleteSignature".into(),
            OpenApiError::InvalidSignatureMethod => "InvalidSignatureMethod".into(),
            OpenApiError::InvalidSignatureVersion => "InvalidSignatureVersion".into(),
            OpenApiError::InvalidSignatureNonce => "InvalidSignatureNonce".into(),
            OpenApiError::TimestampFormat => "InvalidTimeStamp.Format".into(),
            OpenApiError::TimestampExpired => "InvalidTimeStamp.Expired".into(),
            OpenApiError::NonceUsed => "SignatureNonceUsed".into(),
            OpenApiError::NonceMemoryFull => "Throttling.User".into(),
            OpenApiError::SignatureMismatch { .. } => {
                RamError::SIGNATURE_DOES_NOT_MATCH.code.as_str().into()
            }
            OpenApiError::Service(e) => e.code.as_str().into(),
            OpenApiError::Refused(r) => r.code.as_str().into(),
            OpenApiError::Server(e) => e.code().into(),
        }
    }

    pub fn message(&self) -> String {
        match self {
            OpenApiError::UnsupportedMethod => "This http method not supported.".into(),
            OpenApiError::Missing(name) => format!("{name} is mandatory for this action."),
            OpenApiError::InvalidVersion => "Specified parameter Version is not valid.".into(),
            OpenApiError::ActionNotFound => {
                "Specified api is not found, please check your url and method.".into()
            }
            OpenApiError::InvalidFormat => "Specified parameter format is not valid.".into(),
            OpenApiError::DuplicateParameter(name) => {
                format!("The parameter {name} is given more than once.")
            }
            OpenApiError::IncompleteSignature(detail) => format!("{INCOMPLETE_SIGNATURE} {detail}"),
            OpenApiError::InvalidSignatureMethod => {
                "Specified signature method is not valid.".into()
            }
            OpenApiError::InvalidSignatureVersion => {
                "Specified parameter SignatureVersion is not valid.".into()
            }
            OpenApiError::InvalidSignatureNonce => {
                "Specified parameter SignatureNonce is not valid.".into()
            }
            OpenApiError::TimestampFormat => {
                "Specified time stamp or date value is not well formatted.".into()
            }
            OpenApiError::TimestampExpired => {
                "Specified time stamp or date value is expired.".into()
            }
            OpenApiError::NonceUsed => "Specified signature nonce was used already.".into(),
            OpenApiError::NonceMemoryFull => {
                "Request was denied due to user flow control: odpsh serve holds the most signature nonces it keeps; retry in a minute.".into()
            }
            OpenApiError::SignatureMismatch { string_to_sign } => format!(
                "{}{STRING_TO_SIGN_PREFIX}{string_to_sign}",
                RamError::SIGNATURE_DOES_NOT_MATCH.message
            ),
            OpenApiError::Service(e) => e.message.into(),
            OpenApiError::Refused(r) => r.message.clone(),
            OpenApiError::Server(e) => e.to_string(),
        }
    }

    /// The JSON body the service answers with, keys in the order it sends them.
    pub fn body(&self, request_id: &str, host_id: &str, product: Option<&str>) -> Value {
        let code = self.code();
        let product = product.map(|p| format!("&product={p}")).unwrap_or_default();
        json!({
            "RequestId": request_id,
            "Message": self.message(),
            "HostId": host_id,
            "Code": code,
            "Recommend": format!(
                "https://api.aliyun.com/troubleshoot?q={code}{product}&requestId={request_id}"
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Failure;
    use crate::syntax::Product;

    fn pin(e: OpenApiError, status: u16, code: &str, message: &str) {
        assert_eq!(
            (e.status(), e.code().as_str(), e.message().as_str()),
            (status, code, message)
        );
    }

    #[test]
    fn gateway_errors() {
        pin(
            OpenApiError::UnsupportedMethod,
            400,
            "UnsupportedHTTPMethod",
            "This http method not supported.",
        );
        pin(
            OpenApiError::Missing("UserName".into()),
            400,
            "MissingUserName",
            "UserName is mandatory for this action.",
        );
        pin(
            OpenApiError::InvalidVersion,
            400,
            "InvalidVersion",
            "Specified parameter Version is not valid.",
        );
        pin(
            OpenApiError::ActionNotFound,
            404,
            "InvalidAction.NotFound",
            "Specified api is not found, please check your url and method.",
        );
        pin(
            OpenApiError::InvalidFormat,
            400,
            "InvalidParameter.Format",
            "Specified parameter format is not valid.",
        );
        pin(
            OpenApiError::DuplicateParameter("UserName".into()),
            400,
            "InvalidParameter.Duplicate",
            "The parameter UserName is given more than once.",
        );
        pin(
            OpenApiError::IncompleteSignature("x-acs-date is missing.".into()),
            400,
            "IncompleteSignature",
            "The request signature does not conform to Aliyun standards. x-acs-date is missing.",
        );
        pin(
            OpenApiError::InvalidSignatureMethod,
            400,
            "InvalidSignatureMethod",
            "Specified signature method is not valid.",
        );
        pin(
            OpenApiError::InvalidSignatureVersion,
            400,
            "InvalidSignatureVersion",
            "Specified parameter SignatureVersion is not valid.",
        );
        pin(
            OpenApiError::InvalidSignatureNonce,
            400,
            "InvalidSignatureNonce",
            "Specified parameter SignatureNonce is not valid.",
        );
        pin(
            OpenApiError::TimestampFormat,
            400,
            "InvalidTimeStamp.Format",
            "Specified time stamp or date value is not well formatted.",
        );
        pin(
            OpenApiError::TimestampExpired,
            400,
            "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired.",
        );
        pin(
            OpenApiError::NonceUsed,
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        );
        pin(
            OpenApiError::NonceMemoryFull,
            400,
            "Throttling.User",
            "Request was denied due to user flow control: odpsh serve holds the most signature nonces it keeps; retry in a minute.",
        );
        pin(
            OpenApiError::SignatureMismatch {
                string_to_sign: "POST&%2F&A%3D1".into(),
            },
            400,
            "SignatureDoesNotMatch",
            "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&A%3D1",
        );
    }

    #[test]
    fn service_errors() {
        pin(
            RamError::ACCESS_KEY_ID_NOT_FOUND.into(),
            404,
            "InvalidAccessKeyId.NotFound",
            "Specified access key is not found.",
        );
        pin(
            RamError::ACCESS_KEY_ID_INACTIVE.into(),
            400,
            "InvalidAccessKeyId.Inactive",
            "Specified access key is disabled.",
        );
        pin(
            RamError::NO_PERMISSION.into(),
            403,
            "NoPermission",
            "You are not authorized to do this action.",
        );
        pin(
            RamError::ROOT_MAY_NOT_ASSUME.into(),
            403,
            "NoPermission",
            "Roles may not be assumed by root accounts.",
        );
        let refused = Failure::Ram {
            error: RamError::DELETE_CONFLICT_ACCESS_KEY,
            request_id: "R".into(),
            product: Product::Ram,
        };
        pin(
            OpenApiError::Refused(refused.report()),
            409,
            "DeleteConflict.User.AccessKey",
            "The user CAN NOT has any access key while deleting the user.",
        );
        pin(
            OpenApiError::Server(ServerError::BodyTooLarge),
            413,
            "RequestEntityTooLarge",
            "The request body is larger than the limit of 1048576 bytes",
        );
    }

    #[test]
    fn the_body_has_the_services_keys_in_its_order() {
        let body = OpenApiError::ActionNotFound.body("R-1", "127.0.0.1:1", Some("Ram"));
        assert_eq!(
            body.to_string(),
            r#"{"RequestId":"R-1","Message":"Specified api is not found, please check your url and method.","HostId":"127.0.0.1:1","Code":"InvalidAction.NotFound","Recommend":"https://api.aliyun.com/troubleshoot?q=InvalidAction.NotFound&product=Ram&requestId=R-1"}"#
        );
        let unknown = OpenApiError::InvalidVersion.body("R-2", "h", None);
        assert_eq!(
            unknown["Recommend"],
            "https://api.aliyun.com/troubleshoot?q=InvalidVersion&requestId=R-2"
        );
    }
}
