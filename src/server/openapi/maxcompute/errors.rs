//! How the MaxCompute OpenAPI (ROA, under `/api/v1/`) refuses a call, in one place, each text
//! pinned by a test below. What the gateway refuses before the call reaches the service (the
//! signature, its time, its nonce, the key, an API that does not exist) is answered as at `/`,
//! the POP gateway's `{RequestId, Message, HostId, Code, Recommend}`; what the service refuses
//! is answered in the service's own camelCase, `{requestId, httpCode, code, message}`: the
//! engine's failure report (its REST code, its status and the shell's message), or a request
//! the service cannot read. The Tea SDK reads either (`Code` or `code`, `Message` or `message`,
//! `RequestId` or `requestId`) and raises `ClientException` below 500, `ServerException` from
//! 500.

use serde_json::{Value, json};

use crate::engine::Report;

use super::super::errors::OpenApiError;

/// The product the troubleshooting link names.
pub const PRODUCT: &str = "MaxCompute";

/// The code of a request body or path parameter the service cannot read.
pub const INVALID_PARAMETER: &str = "InvalidParameter";

/// The code of what the service has and odpsh does not simulate.
pub const NOT_SUPPORTED: &str = "NotSupported";

/// Why a call to the MaxCompute OpenAPI was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoaError {
    /// Refused by the gateway, as at `/`.
    Gateway(OpenApiError),
    /// Refused by the engine, as the shell refuses the same statement.
    Refused(Report),
    /// A body or a name in the path the service cannot read; the detail says what.
    InvalidParameter(String),
    /// Something the service does, which odpsh does not simulate; the detail says what.
    NotSupported(String),
}

impl From<OpenApiError> for RoaError {
    fn from(e: OpenApiError) -> Self {
        RoaError::Gateway(e)
    }
}

impl RoaError {
    pub fn status(&self) -> u16 {
        match self {
            RoaError::Gateway(e) => e.status(),
            RoaError::Refused(r) => r.status,
            RoaError::InvalidParameter(_) => 400,
            RoaError::NotSupported(_) => 501,
        }
    }

    pub fn code(&self) -> String {
        match self {
            RoaError::Gateway(e) => e.code(),
            RoaError::Refused(r) => r.rest_code.to_string(),
            RoaError::InvalidParameter(_) => INVALID_PARAMETER.into(),
            RoaError::NotSupported(_) => NOT_SUPPORTED.into(),
        }
    }

    pub fn message(&self) -> String {
        match self {
            RoaError::Gateway(e) => e.message(),
            RoaError::Refused(r) => r.message.clone(),
            RoaError::InvalidParameter(detail) => format!("Invalid parameter: {detail}"),
            RoaError::NotSupported(what) => format!("odpsh serve does not simulate {what}"),
        }
    }

    /// The JSON body, keys in the order the gateway or the service sends them.
    pub fn body(&self, request_id: &str, host_id: &str) -> Value {
        match self {
            RoaError::Gateway(e) => e.body(request_id, host_id, Some(PRODUCT)),
            _ => json!({
                "requestId": request_id,
                "httpCode": self.status(),
                "code": self.code(),
                "message": self.message(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Failure, OdpsError};

    #[test]
    fn the_gateways_refusals_are_the_gateways_body() {
        let e = RoaError::from(OpenApiError::ActionNotFound);
        assert_eq!(e.status(), 404);
        assert_eq!(
            e.body("R-1", "h").to_string(),
            r#"{"RequestId":"R-1","Message":"Specified api is not found, please check your url and method.","HostId":"h","Code":"InvalidAction.NotFound","Recommend":"https://api.aliyun.com/troubleshoot?q=InvalidAction.NotFound&product=MaxCompute&requestId=R-1"}"#
        );
    }

    #[test]
    fn the_services_refusals_are_camel_case() {
        let report = Failure::Odps(OdpsError::NoSuchRole("r9".into())).report();
        let e = RoaError::Refused(report.clone());
        assert_eq!((e.status(), e.code()), (404, "NoSuchObject".to_string()));
        assert_eq!(
            e.body("R-2", "h"),
            json!({"requestId": "R-2", "httpCode": 404, "code": "NoSuchObject", "message": report.message})
        );
        let keys: Vec<String> = e
            .body("R", "h")
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["requestId", "httpCode", "code", "message"]);
        let invalid = RoaError::InvalidParameter("the body is not JSON".into());
        assert_eq!(
            (invalid.status(), invalid.code(), invalid.message()),
            (
                400,
                "InvalidParameter".to_string(),
                "Invalid parameter: the body is not JSON".to_string()
            )
        );
        let unsupported = RoaError::NotSupported("role policies".into());
        assert_eq!(
            (
                unsupported.status(),
                unsupported.code(),
                unsupported.message()
            ),
            (
                501,
                "NotSupported".to_string(),
                "odpsh serve does not simulate role policies".to_string()
            )
        );
    }
}
