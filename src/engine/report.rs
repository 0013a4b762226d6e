//! One report of every failure: its code, the message users compare with the service, where
//! it is printed (a MaxCompute `FAILED:` line or a console service's error block), its request
//! id, the permission matrix row that refused it, and the HTTP status and REST code `odpsh serve`
//! answers it with. Text, JSON, the server and teach all read this report; none of them maps a
//! failure to a code or a message again.

use crate::syntax::Product;

use super::Failure;
use super::code::Code;
use super::error::{ObjectError, OdpsError};

/// How a refusal by the permission matrix starts (after `FAILED: `), as MaxCompute writes an
/// access denial.
pub const MATRIX_DENIED_PREFIX: &str = "ODPS-0420095: Access Denied - ";

/// What every layer needs to know of a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub code: Code,
    /// The message: what follows `FAILED: `, or the `Message:` of a service's error block.
    pub message: String,
    /// The console service that answered (its CLI prints an error block); `None` for a
    /// MaxCompute statement.
    pub product: Option<Product>,
    pub request_id: Option<String>,
    /// The row of seed 004's permission matrix that refused it.
    pub matrix_row: Option<u8>,
    /// The HTTP status `odpsh serve` answers with.
    pub status: u16,
    /// The REST API's `<Code>`: a PyODPS exception class where one fits.
    pub rest_code: &'static str,
}

impl Failure {
    /// This failure's report.
    pub fn report(&self) -> Report {
        match self {
            Failure::Odps(e) => {
                let (status, rest_code) = odps_status(e);
                Report {
                    code: e.code(),
                    message: e.to_string(),
                    product: None,
                    request_id: None,
                    matrix_row: None,
                    status,
                    rest_code,
                }
            }
            Failure::Ram {
                error,
                request_id,
                product,
            } => Report {
                code: error.code(),
                message: error.message().to_string(),
                product: Some(*product),
                request_id: Some(request_id.clone()),
                matrix_row: None,
                status: error.http_status(),
                rest_code: error.code().as_str(),
            },
            Failure::Matrix { denial, request_id } => match request_id {
                // Only DataWorks' console actions are refused by the matrix with a request id.
                Some(id) => Report {
                    code: Code::NoPermission,
                    message: denial.message(),
                    product: Some(Product::DataWorks),
                    request_id: Some(id.clone()),
                    matrix_row: Some(denial.row),
                    status: 403,
                    rest_code: "NoPermission",
                },
                None => Report {
                    code: Code::AccessDenied,
                    message: format!("{MATRIX_DENIED_PREFIX}{}", denial.message()),
                    product: None,
                    request_id: None,
                    matrix_row: Some(denial.row),
                    status: 403,
                    rest_code: "NoPermission",
                },
            },
        }
    }
}

impl Report {
    /// The message with its code in front for a service's error (`NoPermission: …`), as
    /// explanations and plans quote a failure.
    pub fn quoted(&self) -> String {
        match self.product {
            Some(_) => format!("{}: {}", self.code, self.message),
            None => self.message.clone(),
        }
    }
}

/// HTTP status and code for a failure of an object, grant or setting statement.
fn object_status(e: &ObjectError) -> (u16, &'static str) {
    match e {
        ObjectError::TableNotResolved { .. }
        | ObjectError::TableNotFound { .. }
        | ObjectError::ColumnNotFound { .. }
        | ObjectError::ResourceNotFound(_)
        | ObjectError::FunctionNotFound(_)
        | ObjectError::InstanceNotFound(_)
        | ObjectError::PackageNotFound(_)
        | ObjectError::NotTrusted { .. }
        | ObjectError::ProviderAbsent { .. } => (404, "NoSuchObject"),
        ObjectError::TableExists { .. }
        | ObjectError::ResourceExists(_)
        | ObjectError::FunctionExists(_)
        | ObjectError::AlreadyTrusted { .. }
        | ObjectError::ProviderPresent { .. } => (409, "ObjectAlreadyExists"),
        _ => (400, "InvalidArgument"),
    }
}

/// HTTP status and code for a MaxCompute failure of the engine.
fn odps_status(e: &OdpsError) -> (u16, &'static str) {
    match e {
        OdpsError::AccessKeyNotFound(_) => (401, "AccessKeyIdNotFound"),
        OdpsError::AccessKeyInactive(_) => (401, "AccessKeyIdDisabled"),
        OdpsError::SignatureMismatch => (401, "SignatureNotMatch"),
        OdpsError::ProjectNotFound(_) | OdpsError::NotMember { .. } | OdpsError::NoSuchRole(_) => {
            (404, "NoSuchObject")
        }
        OdpsError::NotInProject(_)
        | OdpsError::NoPrivilege { .. }
        | OdpsError::OwnerOnlyAdminRole
        | OdpsError::SuperAdminRoleRestricted
        | OdpsError::OwnerOnly(_)
        | OdpsError::Denied(_) => (403, "NoPermission"),
        OdpsError::Object(o) => object_status(o),
        OdpsError::AlreadyMember { .. }
        | OdpsError::OwnerIsImplicitMember { .. }
        | OdpsError::RoleExists(_) => (409, "ObjectAlreadyExists"),
        // Bad names, residual members, conflicts with the current state.
        _ => (400, "InvalidArgument"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::RamError;
    use crate::engine::matrix::{Denial, ROW_WORKSPACE_MEMBERS, Reason};

    #[test]
    fn reports_carry_code_message_status_and_row() {
        let r = Failure::Odps(OdpsError::NotInProject("p".into())).report();
        assert_eq!(
            (r.code, r.status, r.rest_code, r.message.as_str()),
            (
                Code::AccessDenied,
                403,
                "NoPermission",
                "ODPS-0420095: Access Denied - You don't exist in project p."
            )
        );
        let r = Failure::Ram {
            error: RamError::ENTITY_NOT_EXIST_USER,
            request_id: "RID".into(),
            product: Product::Ram,
        }
        .report();
        assert_eq!(r.quoted(), "EntityNotExist.User: The user does not exist.");
        assert_eq!((r.status, r.rest_code), (404, "EntityNotExist.User"));
        let denial = Denial {
            row: ROW_WORKSPACE_MEMBERS,
            reason: Reason::OwnerOnly,
        };
        let r = Failure::Matrix {
            denial: denial.clone(),
            request_id: None,
        }
        .report();
        assert!(r.message.starts_with(MATRIX_DENIED_PREFIX));
        assert_eq!(r.matrix_row, Some(ROW_WORKSPACE_MEMBERS));
    }
}
