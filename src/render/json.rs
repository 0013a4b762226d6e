//! `--format json|ndjson`: one JSON record per statement, with a stable schema:
//!
//! ```json
//! {"statement": "<text as typed, without ;>", "ok": true, "result": <value or null>, "error": null}
//! {"statement": "…", "ok": false, "result": null, "error": {"code": "…", "message": "…"}}
//! ```
//! `result` by statement: `null` for statements that print `OK`; an array of names for
//! `list users`, `list roles`, `list trustedprojects`, `list accountproviders` and
//! `show principals`; `{"role", "users", "acl", "policy"}` for `describe role`;
//! `{"name", "endpoint", "project"}` for `whoami`; `{"owner", "roles", "acl", "policy",
//! "object_creator"}` for `show grants`; `{"implicit", "acl"}` for `show acl`; an object of
//! flags for `show SecurityConfiguration`; `{"instance", "result"}` for a job, whose result is
//! `{"columns", "rows"}` for `select`; arrays of objects for `show tables`, `list resources`,
//! `list functions` and `show instances`; the API's reply for console commands. Times are
//! ISO 8601 (UTC).
//! `error.code` is the service's code where it has one (`ODPS-0420095`, `EntityNotExist.User`,
//! `ODPS-0130161` for syntax errors), else odpsh's stable name for the failure; RAM errors add
//! `request_id`.

use serde_json::{Value, json};

use super::visible::json_safe_owned;

use crate::engine::{
    AclLine, Failure, GrantBlock, GrantLine, GrantReport, InstanceListing, Output,
};
use crate::world::clock::iso8601;

fn time(secs: u64) -> Value {
    json!(iso8601(secs))
}

fn grant_line(l: &GrantLine) -> Value {
    json!({
        "marker": l.marker,
        "resource": l.resource,
        "actions": l.actions,
        "expires": l.expires.map(time),
    })
}

fn blocks(blocks: &[GrantBlock]) -> Value {
    let list: Vec<Value> = blocks
        .iter()
        .map(|b| {
            let lines: Vec<Value> = b.lines.iter().map(grant_line).collect();
            json!({ "principal": b.header, "grants": lines })
        })
        .collect();
    json!(list)
}

fn grants(report: &GrantReport) -> Value {
    let creator: Vec<Value> = report.object_creator.iter().map(grant_line).collect();
    json!({
        "owner": report.owner.as_ref().map(|(name, project)| json!({ "name": name, "project": project })),
        "roles": report.roles,
        "acl": blocks(&report.acl),
        "policy": blocks(&report.policy),
        "object_creator": creator,
    })
}

fn acl_lines(lines: &[AclLine]) -> Value {
    let list: Vec<Value> = lines
        .iter()
        .map(|l| {
            json!({
                "marker": l.marker,
                "principal": l.principal,
                "resource": l.resource,
                "actions": l.actions,
                "expires": l.expires.map(time),
            })
        })
        .collect();
    json!(list)
}

fn instance(i: &InstanceListing) -> Value {
    json!({
        "id": i.id,
        "owner": i.owner,
        "start_time": time(i.started),
        "status": "Success",
        "query": i.query,
    })
}

/// A table as JSON: its labelled values, then `rows`, each an object keyed by column name.
fn table_value(table: &crate::engine::Table) -> Value {
    let mut map: serde_json::Map<String, Value> = table
        .labels
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let rows: Vec<Value> = table
        .rows
        .iter()
        .map(|row| {
            let cells: serde_json::Map<String, Value> = table
                .columns
                .iter()
                .cloned()
                .zip(row.iter().map(|c| json!(c)))
                .collect();
            Value::Object(cells)
        })
        .collect();
    map.insert("rows".into(), json!(rows));
    Value::Object(map)
}

/// The `result` value of a successful statement.
pub fn result_value(output: &Output) -> Value {
    match output {
        Output::Done | Output::Quit => Value::Null,
        Output::Lines(items) => json!(items),
        Output::Table(table) => table_value(table),
        Output::RoleDescription {
            role,
            users,
            grants: g,
        } => json!({
            "role": role,
            "users": users,
            "acl": blocks(&g.acl),
            "policy": blocks(&g.policy),
        }),
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
        Output::Matrix(rows) => super::matrix::json(rows),
        Output::SetOk => Value::Null,
        Output::Job { instance, result } => {
            json!({ "instance": instance, "result": result_value(result) })
        }
        Output::QueryResult { columns } => json!({ "columns": columns, "rows": [] }),
        Output::Tables(tables) => {
            let list: Vec<Value> = tables
                .iter()
                .map(|t| json!({ "name": t.name, "owner": t.owner }))
                .collect();
            json!(list)
        }
        Output::TableDescription(t) => {
            let columns: Vec<Value> = t
                .columns
                .iter()
                .enumerate()
                .map(|(i, (n, k, c))| {
                    let mut column = json!({ "name": n, "type": k, "comment": c });
                    if let Some(labels) = &t.labels {
                        column["label"] = json!(labels.columns.get(i).copied().unwrap_or(0));
                    }
                    column
                })
                .collect();
            let mut value = json!({
                "name": t.name,
                "project": t.project,
                "owner": t.owner,
                "comment": t.comment,
                "create_time": time(t.created),
                "columns": columns,
            });
            if let Some(labels) = &t.labels {
                value["table_label"] = json!(labels.table);
                value["max_label"] = json!(labels.max);
            }
            value
        }
        Output::Resources(resources) => {
            let list: Vec<Value> = resources
                .iter()
                .map(|r| {
                    json!({
                        "name": r.name,
                        "owner": r.owner,
                        "type": r.kind,
                        "comment": r.comment,
                        "last_modified_time": time(r.updated),
                    })
                })
                .collect();
            json!(list)
        }
        Output::Functions(functions) => {
            let list: Vec<Value> = functions
                .iter()
                .map(|f| {
                    json!({
                        "name": f.name,
                        "owner": f.owner,
                        "class": f.class,
                        "resources": f.resources,
                        "create_time": time(f.created),
                    })
                })
                .collect();
            json!(list)
        }
        Output::Instances(list) => json!(list.iter().map(instance).collect::<Vec<Value>>()),
        Output::InstanceDescription(i) => instance(i),
        Output::Grants(report) => grants(report),
        Output::Acl(report) => {
            json!({ "implicit": acl_lines(&report.implicit), "acl": acl_lines(&report.acl), "policy": acl_lines(&report.policy) })
        }
        Output::SecurityConfiguration { flags, exception } => {
            let mut map: serde_json::Map<String, Value> = flags
                .iter()
                .map(|(k, v)| (k.to_string(), json!(v)))
                .collect();
            if let Some(policy) = exception {
                let policy = serde_json::from_str(policy).unwrap_or_else(|_| json!(policy));
                map.insert("ProjectProtectionException".into(), policy);
            }
            Value::Object(map)
        }
        Output::Providers(p) => json!(p),
        Output::PackageList(list) => super::packages::list_json(list),
        Output::PackageDescription(d) => super::packages::description_json(d),
        Output::Download(d) => super::packages::download_json(d),
    }
}

/// The `error` value of a failed statement.
pub fn failure_value(failure: &Failure) -> Value {
    let report = failure.report();
    let mut v = error_value(report.code.as_str(), &report.message);
    if let Some(row) = report.matrix_row {
        v["matrix_row"] = json!(row);
    }
    if let Some(id) = report.request_id {
        v["request_id"] = json!(id);
    }
    v
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

/// `value` as one line of JSON text (`--format ndjson`), with no character of
/// [`super::visible::must_escape`] raw: serde_json writes the C0 controls as `\u001b`, and
/// [`json_safe_owned`] the rest (DEL, C1 controls, bidi overrides, U+FFFE/U+FFFF) as `\u202e`,
/// so the text shows them instead of obeying them, and still decodes to the same value.
pub fn compact_text(value: &Value) -> String {
    json_safe_owned(value.to_string())
}

/// `value` as indented JSON text (`--format json`), likewise.
pub fn pretty_text(value: &Value) -> String {
    json_safe_owned(serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{OdpsError, RamError};
    use crate::render::visible::must_escape;

    /// Finding 10 of issue 12: no control character, bidi override or noncharacter reaches the
    /// JSON output raw, and the JSON still decodes to the very same text.
    #[test]
    fn control_characters_are_escaped_in_json_strings() {
        let typed =
            "list users\u{0}\u{1b}[31m\r\u{7f}\u{85}\u{9b}\u{202e}\u{2066}\u{fffe}\u{ffff};";
        let value = record(typed, Ok(Value::Null));
        for text in [compact_text(&value), pretty_text(&value)] {
            assert!(!text.contains(must_escape), "{text:?}");
            assert!(
                text.contains(r"\u0000\u001b[31m\r\u007f\u0085\u009b\u202e\u2066\ufffe\uffff;"),
                "{text}"
            );
            let back: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(back["statement"], typed);
        }
        let plain = json!({ "statement": "list users 角色\t" });
        assert_eq!(compact_text(&plain), plain.to_string());
    }

    #[test]
    fn records_have_the_documented_shape() {
        let ok = record(
            "list users",
            Ok(result_value(&Output::Lines(vec!["RAM$M:a".into()]))),
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

    #[test]
    fn desc_of_a_labelled_table_carries_its_labels_and_an_unlabelled_one_none() {
        let described = |labels| {
            result_value(&Output::TableDescription(crate::engine::TableDescription {
                owner: "ALIYUN$M".into(),
                project: "p".into(),
                name: "t".into(),
                comment: String::new(),
                created: 0,
                columns: vec![
                    ("id".into(), "bigint".into(), String::new()),
                    ("phone".into(), "string".into(), String::new()),
                ],
                labels,
            }))
        };
        let plain = described(None);
        assert!(plain.get("table_label").is_none() && plain.get("max_label").is_none());
        assert!(plain["columns"][0].get("label").is_none());
        let labelled = described(Some(crate::engine::DescribedLabels {
            table: 1,
            max: 3,
            columns: vec![1, 3],
        }));
        assert_eq!(labelled["table_label"], 1);
        assert_eq!(labelled["max_label"], 3);
        assert_eq!(labelled["columns"][1]["label"], 3);
    }
}
