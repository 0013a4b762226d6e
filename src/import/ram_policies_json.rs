//! The JSON the `aliyun` CLI and the SDKs print for `ram ListPolicies --PolicyType Custom` and
//! `ListPolicyVersions --PolicyType Custom --PolicyName <p>`: the account's own policies and
//! every version of their documents, which RAM evaluates (system policies are odpsh's own).

use serde_json::Value;

use super::command::RamAction;
use super::facts::{CustomPolicyFacts, Facts};
use super::ram_json::{date, items, optional, text};

/// `v3` as 3.
fn version_number(v: &Value, key: &str) -> Option<u32> {
    text(v, key)?.strip_prefix('v')?.parse().ok()
}

fn entry<'f>(facts: &'f mut Facts, name: &str) -> &'f mut CustomPolicyFacts {
    facts
        .custom_policies
        .entry(name.to_ascii_lowercase())
        .or_insert_with(|| CustomPolicyFacts {
            name: name.to_string(),
            ..CustomPolicyFacts::default()
        })
}

/// What a policy listing's JSON says, into `facts` (`policy`: `ListPolicyVersions`'
/// `--PolicyName`); `None`, with nothing read, when the document is not the listing `action`
/// prints. A listing of every type keeps only the custom ones.
pub fn read(action: RamAction, policy: Option<&str>, v: &Value, facts: &mut Facts) -> Option<()> {
    match action {
        RamAction::ListPolicies => {
            let mut listed = Vec::new();
            for p in items(v, "Policies", "Policy")? {
                if text(p, "PolicyType")? != "Custom" {
                    continue;
                }
                let created = date(p, "CreateDate")?;
                listed.push((
                    text(p, "PolicyName")?,
                    optional(p, "Description"),
                    version_number(p, "DefaultVersion")?,
                    created,
                    date(p, "UpdateDate").unwrap_or(created),
                ));
            }
            facts.listed_policies = true;
            for (name, description, default, created, updated) in listed {
                let e = entry(facts, &name);
                e.name = name;
                e.listed = Some((description, default, created, updated));
            }
        }
        RamAction::ListPolicyVersions => {
            let versions: Vec<(u32, String, u64, bool)> =
                items(v, "PolicyVersions", "PolicyVersion")?
                    .iter()
                    .map(|pv| {
                        Some((
                            version_number(pv, "VersionId")?,
                            text(pv, "PolicyDocument")?,
                            date(pv, "CreateDate")?,
                            pv.get("IsDefaultVersion").and_then(Value::as_bool) == Some(true),
                        ))
                    })
                    .collect::<Option<_>>()?;
            if versions.is_empty() {
                return None;
            }
            entry(facts, policy?).versions = Some(versions);
        }
        _ => return None,
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::super::ram_json::doc;
    use super::*;

    #[test]
    fn custom_policies_and_their_versions() {
        let listed = doc(
            r#"{"Policies":{"Policy":[{"PolicyName":"odps-read","PolicyType":"Custom","Description":"read",
            "DefaultVersion":"v2","CreateDate":"2026-01-01T00:00:01Z","UpdateDate":"2026-01-01T00:00:02Z"},
            {"PolicyName":"AdministratorAccess","PolicyType":"System","DefaultVersion":"v1","CreateDate":"2026-01-01T00:00:01Z"}]}}"#,
        );
        let versions = doc(r#"{"PolicyVersions":{"PolicyVersion":[
            {"VersionId":"v1","IsDefaultVersion":false,"PolicyDocument":"{}","CreateDate":"2026-01-01T00:00:01Z"},
            {"VersionId":"v2","IsDefaultVersion":true,"PolicyDocument":"{\"Version\":\"1\"}","CreateDate":"2026-01-01T00:00:02Z"}]}}"#);
        let mut facts = Facts::default();
        read(
            RamAction::ListPolicyVersions,
            Some("ODPS-read"),
            &versions,
            &mut facts,
        )
        .unwrap();
        read(RamAction::ListPolicies, None, &listed, &mut facts).unwrap();
        assert_eq!(
            facts.custom_policies.len(),
            1,
            "system policies are left out"
        );
        let p = &facts.custom_policies["odps-read"];
        assert_eq!(p.name, "odps-read");
        assert_eq!(p.listed.as_ref().map(|l| l.1), Some(2));
        assert_eq!(
            p.versions.as_ref().map(|v| v[1].1.as_str()),
            Some(r#"{"Version":"1"}"#)
        );
    }

    #[test]
    fn a_document_without_what_the_import_needs_is_not_read() {
        let mut facts = Facts::default();
        let no_default = doc(
            r#"{"Policies":{"Policy":[{"PolicyName":"p","PolicyType":"Custom","CreateDate":"2026-01-01T00:00:01Z"}]}}"#,
        );
        assert_eq!(
            read(RamAction::ListPolicies, None, &no_default, &mut facts),
            None
        );
        let none = doc(r#"{"PolicyVersions":{"PolicyVersion":[]}}"#);
        assert_eq!(
            read(RamAction::ListPolicyVersions, Some("p"), &none, &mut facts),
            None
        );
        assert_eq!(facts, Facts::default());
    }
}
