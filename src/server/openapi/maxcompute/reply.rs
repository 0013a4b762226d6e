//! The `data` of each MaxCompute OpenAPI answer, in the camelCase the SDK's models read
//! (`alibabacloud_maxcompute20220104` 7.2.0, `models/_*_response_body.py`), made from what the
//! shell's statements produced. The whole answer is `{"requestId", "data"}`; GetProject's also
//! carries `httpCode`.

use serde_json::{Map, Value, json};

use crate::engine::access::{ADMIN_ROLE, SUPER_ADMIN_ROLE};
use crate::engine::{GrantBlock, GrantReport, Output};

/// What a changing action answers in `data`.
pub const SUCCESS: &str = "success";

/// The policy document's version and effect, as the service writes them.
const POLICY_VERSION: &str = "1";
const ALLOW: &str = "Allow";

/// The resource of a policy statement: `acs:odps:*:` and the path `describe role` shows.
const POLICY_RESOURCE_PREFIX: &str = "acs:odps:*:";

/// The lines of a `Lines` output.
pub fn lines(output: &Output) -> &[String] {
    match output {
        Output::Lines(items) => items,
        _ => &[],
    }
}

/// `{"users": [{"name"}…]}` of ListProjectUsers and ListUsersByRole.
pub fn users(names: &[String]) -> Value {
    let users: Vec<Value> = names.iter().map(|n| json!({ "name": n })).collect();
    json!({ "users": users })
}

/// A role's type: MaxCompute's own two are admin roles, every other a resource role.
pub fn role_type(role: &str) -> &'static str {
    if role == ADMIN_ROLE || role == SUPER_ADMIN_ROLE {
        "admin"
    } else {
        "resource"
    }
}

/// The policy document of a role from the policy section of `describe role` (empty when it
/// has none): one `Allow` statement per line, its actions `odps:<Action>`.
pub fn policy(grants: &GrantReport) -> String {
    let statements: Vec<Value> = grants
        .policy
        .iter()
        .flat_map(|b| &b.lines)
        .map(|line| {
            let actions: Vec<String> = line.actions.iter().map(|a| format!("odps:{a}")).collect();
            json!({
                "Action": actions,
                "Effect": ALLOW,
                "Resource": [format!("{POLICY_RESOURCE_PREFIX}{}", line.resource)],
            })
        })
        .collect();
    if statements.is_empty() {
        return String::new();
    }
    json!({ "Statement": statements, "Version": POLICY_VERSION }).to_string()
}

/// The kinds of the `acl` object and the path segments that name them, longest first.
const ACL_KINDS: [(&str, &str); 5] = [
    ("registration/functions/", "function"),
    ("tables/", "table"),
    ("resources/", "resource"),
    ("instances/", "instance"),
    ("packages/", "package"),
];

/// The `acl` object of a role from the ACL section of `describe role`: per kind, each object
/// (a column as `<table>/<column>`) and its actions.
pub fn acl(blocks: &[GrantBlock], project: &str) -> Value {
    let mut acl = Map::new();
    for key in [
        "table", "resource", "function", "package", "project", "instance",
    ] {
        acl.insert(key.into(), Value::Array(Vec::new()));
    }
    let base = format!("projects/{project}");
    for line in blocks.iter().flat_map(|b| &b.lines) {
        let Some(rest) = line.resource.strip_prefix(&base) else {
            continue;
        };
        let (kind, name) = match rest.strip_prefix('/') {
            None if rest.is_empty() => ("project", project),
            None => continue,
            Some(path) => match ACL_KINDS
                .iter()
                .find_map(|(segment, kind)| path.strip_prefix(segment).map(|n| (*kind, n)))
            {
                Some(found) => found,
                None => continue,
            },
        };
        if let Some(Value::Array(list)) = acl.get_mut(kind) {
            list.push(json!({ "name": name, "actions": line.actions }));
        }
    }
    Value::Object(acl)
}

/// One role of ListRoles; `described` is `describe role`'s answer when the caller may read it.
pub fn role(name: &str, described: Option<&Output>, project: &str) -> Value {
    let mut role = json!({ "name": name, "type": role_type(name) });
    if let (Some(Output::RoleDescription { grants, .. }), Some(fields)) =
        (described, role.as_object_mut())
    {
        fields.insert("policy".into(), Value::String(policy(grants)));
        fields.insert("acl".into(), acl(&grants.acl, project));
    }
    role
}

/// The project's properties of `setproject;` that GetProject names, converted to its types.
fn properties(setproject: &[String]) -> Value {
    let mut properties = Map::new();
    for line in setproject {
        let (key, value) = line.split_once('=').unwrap_or((line.as_str(), ""));
        let flag = || Value::Bool(value.eq_ignore_ascii_case("true"));
        let (name, value) = match key {
            "odps.sql.allow.fullscan" => ("allowFullScan", flag()),
            "odps.sql.decimal.odps2" => ("enableDecimal2", flag()),
            "odps.sql.timezone" => ("timezone", Value::String(value.into())),
            "odps.sql.type.system.odps2" => (
                "typeSystem",
                Value::String(
                    if value.eq_ignore_ascii_case("true") {
                        "2"
                    } else {
                        "1"
                    }
                    .into(),
                ),
            ),
            _ => continue,
        };
        properties.insert(name.into(), value);
    }
    Value::Object(properties)
}

/// What GetProject shows of a project besides what the statements produced.
pub struct ProjectFacts<'a> {
    pub name: &'a str,
    pub owner: String,
    pub region: &'a str,
    /// Milliseconds since the epoch.
    pub created: u64,
    pub super_admins: Vec<String>,
}

/// GetProject's `data`: the project, its properties, and with `verbose` its security
/// properties (`show SecurityConfiguration`) and super administrators.
pub fn project(facts: ProjectFacts<'_>, setproject: &[String], security: Option<&Output>) -> Value {
    let mut data = json!({
        "name": facts.name,
        "owner": facts.owner,
        "type": "managed",
        "comment": "",
        "status": "AVAILABLE",
        "regionId": facts.region,
        "createdTime": facts.created,
        "threeTierModel": false,
        "properties": properties(setproject),
    });
    if let (Some(Output::SecurityConfiguration { flags, .. }), Some(fields)) =
        (security, data.as_object_mut())
    {
        let flag = |name: &str| flags.iter().any(|(n, on)| *n == name && *on);
        fields.insert(
            "securityProperties".into(),
            json!({
                "usingAcl": flag("CheckPermissionUsingAcl"),
                "usingPolicy": flag("CheckPermissionUsingPolicy"),
                "objectCreatorHasAccessPermission": flag("ObjectCreatorHasAccessPermission"),
                "objectCreatorHasGrantPermission": flag("ObjectCreatorHasGrantPermission"),
                "labelSecurity": flag("LabelSecurity"),
                "enableDownloadPrivilege": flag("EnableDownloadPrivilege"),
                "projectProtection": { "protected": flag("ProjectProtection") },
            }),
        );
        fields.insert("superAdmins".into(), json!(facts.super_admins));
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::GrantLine;

    fn line(resource: &str, actions: &[&'static str]) -> GrantLine {
        GrantLine {
            marker: "A",
            resource: resource.into(),
            actions: actions.iter().map(|a| a.to_string()).collect(),
            expires: None,
        }
    }

    #[test]
    fn role_policies_and_acls() {
        let grants = GrantReport {
            policy: vec![GrantBlock {
                header: None,
                lines: vec![line("projects/P/tables/*", &["Describe", "Select"])],
            }],
            acl: vec![GrantBlock {
                header: None,
                lines: vec![
                    line("projects/P", &["List"]),
                    line("projects/P/tables/t1", &["Select"]),
                    line("projects/P/tables/t1/c1", &["Select"]),
                    line("projects/P/registration/functions/f", &["Read"]),
                    line("projects/Q/tables/t9", &["Select"]),
                ],
            }],
            ..GrantReport::default()
        };
        assert_eq!(
            policy(&grants),
            r#"{"Statement":[{"Action":["odps:Describe","odps:Select"],"Effect":"Allow","Resource":["acs:odps:*:projects/P/tables/*"]}],"Version":"1"}"#
        );
        assert_eq!(policy(&GrantReport::default()), "");
        assert_eq!(
            acl(&grants.acl, "P"),
            json!({
                "table": [{"name": "t1", "actions": ["Select"]}, {"name": "t1/c1", "actions": ["Select"]}],
                "resource": [],
                "function": [{"name": "f", "actions": ["Read"]}],
                "package": [],
                "project": [{"name": "P", "actions": ["List"]}],
                "instance": [],
            })
        );
        assert_eq!(role_type("super_administrator"), "admin");
        assert_eq!(role_type("role_project_dev"), "resource");
        assert_eq!(
            role("r1", None, "P"),
            json!({"name": "r1", "type": "resource"})
        );
    }

    #[test]
    fn project_properties() {
        let facts = ProjectFacts {
            name: "P",
            owner: "ALIYUN$a@b.com".into(),
            region: "cn-hangzhou",
            created: 5000,
            super_admins: vec!["RAM$a:b".into()],
        };
        let data = project(
            facts,
            &[
                "odps.sql.allow.fullscan=true".into(),
                "odps.security.ip.whitelist=".into(),
                "odps.sql.timezone=Asia/Shanghai".into(),
            ],
            Some(&Output::SecurityConfiguration {
                flags: vec![
                    ("CheckPermissionUsingAcl", true),
                    ("ProjectProtection", false),
                ],
                exception: None,
            }),
        );
        assert_eq!(
            data["properties"],
            json!({"allowFullScan": true, "timezone": "Asia/Shanghai"})
        );
        assert_eq!(data["securityProperties"]["usingAcl"], true);
        assert_eq!(data["securityProperties"]["usingPolicy"], false);
        assert_eq!(
            data["securityProperties"]["projectProtection"]["protected"],
            false
        );
        assert_eq!(data["superAdmins"], json!(["RAM$a:b"]));
        assert_eq!(data["status"], "AVAILABLE");
    }
}
