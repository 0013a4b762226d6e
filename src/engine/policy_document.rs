//! Policy documents as the service reads and prints them: JSON with `Version` and `Statement`
//! (`Effect` Allow/Deny, `Principal` for a project policy, `Action`, `Resource`, `Condition`),
//! each of `Principal`, `Action` and `Resource` a string or a list. A document that breaks a
//! rule is refused whole (`failed to check policy format: …`), and nothing changes.

use serde_json::{Map, Value, json};

use crate::vocabulary::{MANAGEMENT_ACTIONS, Privilege};
use crate::world::policy::{Condition, Effect, PolicyDocument, PolicyRule};
use crate::world::policy_condition::Operator;

/// What a document is for: the project, a resource role, or an admin role. A resource role
/// takes object actions only, an admin role management actions only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Project,
    ResourceRole,
    AdminRole,
}

/// Why a document was refused: the text after `failed to check policy format: `.
pub type FormatError = String;

fn key<'v>(object: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    object
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// A string or a list of strings.
fn strings(value: &Value, what: &str) -> Result<Vec<String>, FormatError> {
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("invalid {what} value - {v}"))
            })
            .collect(),
        other => Err(format!("invalid {what} value - {other}")),
    }
}

/// Whether `odps:<Action>` (with `*` allowed) names an action the holder may take: an object
/// privilege for the project and resource roles, a management action for admin roles.
fn valid_action(action: &str, holder: Holder) -> bool {
    let Some(name) = action
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("odps:"))
        .map(|_| &action[5..])
    else {
        return false;
    };
    if name.contains('*') {
        return !name.is_empty();
    }
    let object = Privilege::named(name).is_some();
    let management = MANAGEMENT_ACTIONS
        .iter()
        .any(|m| m.eq_ignore_ascii_case(name));
    match holder {
        Holder::Project => object || management,
        Holder::ResourceRole => object,
        Holder::AdminRole => management,
    }
}

fn valid_resource(resource: &str) -> bool {
    let lowered = resource.to_ascii_lowercase();
    lowered.starts_with("acs:odps:*:projects/") || lowered == "acs:odps:*:*"
}

fn conditions(value: &Value) -> Result<Vec<Condition>, FormatError> {
    let Value::Object(operators) = value else {
        return Err(format!("invalid Condition value - {value}"));
    };
    let mut found = Vec::new();
    for (op, keys) in operators {
        if Operator::named(op).is_none() {
            return Err(format!("invalid Condition operator - {op}"));
        }
        let Value::Object(keys) = keys else {
            return Err(format!("invalid Condition value - {keys}"));
        };
        for (k, values) in keys {
            found.push(Condition {
                operator: op.clone(),
                key: k.clone(),
                values: strings(values, "Condition")?,
            });
        }
    }
    Ok(found)
}

fn rule(value: &Value, holder: Holder) -> Result<PolicyRule, FormatError> {
    let Value::Object(s) = value else {
        return Err(format!("invalid Statement value - {value}"));
    };
    let effect = match key(s, "Effect").and_then(Value::as_str) {
        Some(e) if e.eq_ignore_ascii_case("allow") => Effect::Allow,
        Some(e) if e.eq_ignore_ascii_case("deny") => Effect::Deny,
        Some(e) => return Err(format!("invalid Effect value - {e}")),
        None => return Err("Effect is required".into()),
    };
    let actions = strings(key(s, "Action").ok_or("Action is required")?, "Action")?;
    if let Some(bad) = actions.iter().find(|a| !valid_action(a, holder)) {
        return Err(format!("invalid Action value - {bad}"));
    }
    let resources = strings(
        key(s, "Resource").ok_or("Resource is required")?,
        "Resource",
    )?;
    if let Some(bad) = resources.iter().find(|r| !valid_resource(r)) {
        return Err(format!("invalid Resource value - {bad}"));
    }
    let principals = match (key(s, "Principal"), holder) {
        (Some(p), Holder::Project) => strings(p, "Principal")?,
        (None, Holder::Project) => return Err("Principal is required".into()),
        (Some(_), _) => return Err("a role policy has no Principal".into()),
        (None, _) => Vec::new(),
    };
    let conditions = match key(s, "Condition") {
        Some(c) => conditions(c)?,
        None => Vec::new(),
    };
    Ok(PolicyRule {
        effect,
        principals,
        actions,
        resources,
        conditions,
    })
}

/// Reads a policy document for `holder`.
pub fn parse(text: &str, holder: Holder) -> Result<PolicyDocument, FormatError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("the policy is not JSON: {e}"))?;
    let Value::Object(doc) = &value else {
        return Err("the policy is not a JSON object".into());
    };
    let version = match key(doc, "Version") {
        Some(Value::String(v)) if v == "1" => v.clone(),
        Some(v) => return Err(format!("invalid Version value - {v}")),
        None => return Err("Version is required".into()),
    };
    let statements = match key(doc, "Statement") {
        Some(Value::Array(items)) => items,
        Some(v) => return Err(format!("invalid Statement value - {v}")),
        None => return Err("Statement is required".into()),
    };
    let rules = statements
        .iter()
        .map(|s| rule(s, holder))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PolicyDocument { version, rules })
}

/// The document as `get policy` prints it.
pub fn to_json(doc: &PolicyDocument) -> Value {
    let statements: Vec<Value> = doc
        .rules
        .iter()
        .map(|r| {
            let mut s = Map::new();
            s.insert(
                "Effect".into(),
                json!(match r.effect {
                    Effect::Allow => "Allow",
                    Effect::Deny => "Deny",
                }),
            );
            if !r.principals.is_empty() {
                s.insert("Principal".into(), json!(r.principals));
            }
            s.insert("Action".into(), json!(r.actions));
            s.insert("Resource".into(), json!(r.resources));
            if !r.conditions.is_empty() {
                let mut ops = Map::new();
                for c in &r.conditions {
                    let entry = ops.entry(c.operator.clone()).or_insert_with(|| json!({}));
                    if let Value::Object(keys) = entry {
                        keys.insert(c.key.clone(), json!(c.values));
                    }
                }
                s.insert("Condition".into(), Value::Object(ops));
            }
            Value::Object(s)
        })
        .collect();
    json!({ "Version": doc.version, "Statement": statements })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE_POLICY: &str = r#"{"Version": "1",
       "Statement": [
         {"Effect": "Allow", "Action": ["odps:Read", "odps:List"], "Resource": ["acs:odps:*:projects/p"]},
         {"Effect": "Deny",  "Action": ["odps:Alter", "odps:Update", "odps:Drop"], "Resource": "acs:odps:*:projects/p/tables/*",
          "Condition": {"IpAddress": {"acs:SourceIp": ["192.168.0.0/16"]}}}]}"#;

    #[test]
    fn the_documented_role_policy_reads_and_prints_back() {
        let doc = parse(ROLE_POLICY, Holder::ResourceRole).unwrap();
        assert_eq!(doc.rules.len(), 2);
        assert_eq!(doc.rules[1].effect, Effect::Deny);
        assert_eq!(doc.rules[1].conditions[0].operator, "IpAddress");
        let again = parse(&to_json(&doc).to_string(), Holder::ResourceRole).unwrap();
        assert_eq!(again, doc);
    }

    #[test]
    fn a_broken_document_says_what_is_wrong() {
        let bad = |text: &str, holder| parse(text, holder).unwrap_err();
        let statement = |s: &str| format!(r#"{{"Version":"1","Statement":[{s}]}}"#);
        assert_eq!(
            bad(
                &statement(
                    r#"{"Effect":"Allw","Action":"odps:Read","Resource":"acs:odps:*:projects/p"}"#
                ),
                Holder::ResourceRole
            ),
            "invalid Effect value - Allw"
        );
        assert_eq!(
            bad(
                &statement(
                    r#"{"Effect":"Allow","Action":"odps:CreatePackage","Resource":"acs:odps:*:projects/p"}"#
                ),
                Holder::ResourceRole
            ),
            "invalid Action value - odps:CreatePackage"
        );
        assert_eq!(
            bad(
                &statement(
                    r#"{"Effect":"Allow","Action":"odps:Select","Resource":"acs:odps:*:projects/p"}"#
                ),
                Holder::AdminRole
            ),
            "invalid Action value - odps:Select"
        );
        assert_eq!(
            bad(
                &statement(r#"{"Effect":"Allow","Action":"odps:Read","Resource":"projects/p"}"#),
                Holder::ResourceRole
            ),
            "invalid Resource value - projects/p"
        );
        assert_eq!(
            bad(
                &statement(
                    r#"{"Effect":"Allow","Action":"odps:Read","Resource":"acs:odps:*:projects/p"}"#
                ),
                Holder::Project
            ),
            "Principal is required"
        );
        assert!(bad("{", Holder::Project).starts_with("the policy is not JSON"));
        assert_eq!(
            bad(r#"{"Statement":[]}"#, Holder::Project),
            "Version is required"
        );
    }
}
