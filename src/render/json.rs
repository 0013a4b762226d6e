//! `--format json|ndjson`: one JSON record per statement, with a stable schema:
//!
//! ```json
//! {"statement": "<text as typed, without ;>", "ok": true, "result": <value or null>, "error": null}
//! {"statement": "…", "ok": false, "result": null, "error": {"code": "…", "message": "…"}}
//! ```
//! `result` by statement: `null` for statements that print `OK`; an array of names for
//! `list users` and `list roles`; `{"role", "users"}` for `describe role`;
//! `{"name", "endpoint", "project"}` for `whoami`; the API's reply for console commands.
//! `error.code` is the service's code where it has one (`ODPS-0420095`, `EntityNotExist.User`,
//! `ODPS-0130161` for syntax errors), else odpsh's stable name for the failure; RAM errors add
//! `request_id`.

use serde_json::{Value, json};

use crate::engine::{Failure, Output};

/// The `result` value of a successful statement.
pub fn result_value(output: &Output) -> Value {
    match output {
        Output::Done | Output::Quit => Value::Null,
        Output::Users(names) | Output::Roles(names) => json!(names),
        Output::RoleDescription { role, users } => json!({ "role": role, "users": users }),
        Output::WhoAmI {
            name,
            endpoint,
            project,
        } => json!({ "name": name, "endpoint": endpoint, "project": project }),
        Output::Json(v) => v.clone(),
        Output::Fields(fields) => {
            let map: serde_json::Map<String, Value> =
                fields.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
            Value::Object(map)
        }
        Output::Warned { output, .. } => result_value(output),
        Output::ProjectInaccessible { project, error } => json!({
            "project": project,
            "accessible": false,
            "error": { "code": error.code(), "message": error.to_string() },
        }),
        Output::Properties(lines) => json!(lines),
        Output::Matrix(rows) => super::matrix::json(rows),
    }
}

/// The `error` value of a failed statement.
pub fn failure_value(failure: &Failure) -> Value {
    match failure {
        Failure::Odps(e) => error_value(e.code(), &e.to_string()),
        Failure::Ram {
            error, request_id, ..
        } => json!({
            "code": error.code(),
            "message": error.message(),
            "request_id": request_id,
        }),
        Failure::Matrix { denial, request_id } => {
            // The message is what the text prints: after `FAILED: ` for a statement, after
            // `Message: ` for a console command.
            let (code, message) = match request_id {
                Some(_) => ("NoPermission", denial.message()),
                None => (
                    "ODPS-0420095",
                    format!("{}{}", super::MATRIX_DENIED_PREFIX, denial.message()),
                ),
            };
            let mut v = json!({ "code": code, "message": message, "matrix_row": denial.row });
            if let Some(id) = request_id {
                v["request_id"] = json!(id);
            }
            v
        }
    }
}

pub fn error_value(code: &str, message: &str) -> Value {
    json!({ "code": code, "message": message })
}

/// One statement's record.
pub fn record(statement: &str, outcome: Result<Value, Value>) -> Value {
    match outcome {
        Ok(result) => {
            json!({ "statement": statement, "ok": true, "result": result, "error": null })
        }
        Err(error) => {
            json!({ "statement": statement, "ok": false, "result": null, "error": error })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{OdpsError, RamError};

    #[test]
    fn records_have_the_documented_shape() {
        let ok = record(
            "list users",
            Ok(result_value(&Output::Users(vec!["RAM$M:a".into()]))),
        );
        assert_eq!(
            ok.to_string(),
            r#"{"statement":"list users","ok":true,"result":["RAM$M:a"],"error":null}"#
        );
        let failed = record(
            "remove user p4_1",
            Err(failure_value(&Failure::Odps(
                OdpsError::LackOfAccountProvider,
            ))),
        );
        assert_eq!(
            failed.to_string(),
            r#"{"statement":"remove user p4_1","ok":false,"result":null,"error":{"code":"LackOfAccountProvider","message":"lack of account provider"}}"#
        );
        let ram = failure_value(&Failure::Ram {
            error: RamError::ENTITY_NOT_EXIST_USER,
            request_id: "R".into(),
            product: crate::syntax::Product::Ram,
        });
        assert_eq!(
            ram.to_string(),
            r#"{"code":"EntityNotExist.User","message":"The user does not exist.","request_id":"R"}"#
        );
        assert_eq!(result_value(&Output::Done), Value::Null);
    }
}
