//! The JSON the `aliyun` CLI and the SDKs print for `ram ListRoles`, `GetRole` and
//! `ListPoliciesForRole`, read into facts. A listing leaves out a role's trust policy; `GetRole`
//! shows it. What one document says of a role is kept when another shows the role again, so
//! the order of a capture's listings does not matter.

use serde_json::Value;

use super::command::RamAction;
use super::facts::{Facts, RoleFacts};
use super::ram_json::{date, items, optional, policies, text};
use crate::world::ram_roles::{DEFAULT_MAX_SESSION, parse_role_arn};

/// A number the CLI prints as a string or as a number.
fn number(v: &Value, key: &str) -> Option<u64> {
    let v = v.get(key)?;
    v.as_u64().or_else(|| v.as_str()?.parse().ok())
}

/// A role as a listing or `GetRole` shows it (its account id from its ARN); `None` when a field
/// the import needs is missing.
fn role(r: &Value) -> Option<(RoleFacts, Option<u64>)> {
    let created = date(r, "CreateDate")?;
    let max_session = match r.get("MaxSessionDuration") {
        None | Some(Value::Null) => DEFAULT_MAX_SESSION,
        Some(_) => number(r, "MaxSessionDuration")?,
    };
    let facts = RoleFacts {
        id: number(r, "RoleId")?,
        name: text(r, "RoleName")?,
        description: optional(r, "Description"),
        trust_policy: text(r, "AssumeRolePolicyDocument"),
        max_session,
        created,
        updated: date(r, "UpdateDate").unwrap_or(created),
        policies: None,
    };
    let account = text(r, "Arn")
        .as_deref()
        .and_then(parse_role_arn)
        .map(|(account, _)| account);
    Some((facts, account))
}

/// A role a listing or `GetRole` shows, into `facts`: what it shows replaces what was known,
/// except the trust policy a listing does not show and the policies no listing of roles shows.
fn shown(facts: &mut Facts, (found, account): (RoleFacts, Option<u64>)) {
    if facts.arn_account.is_none() {
        facts.arn_account = account;
    }
    let key = found.name.to_ascii_lowercase();
    if !facts.orphan_role_listings.is_empty() {
        facts.orphan_role_listings.remove(&key);
    }
    let entry = facts.roles.entry(key).or_default();
    let trust_policy = found.trust_policy.or_else(|| entry.trust_policy.take());
    let policies = entry.policies.take();
    *entry = RoleFacts {
        trust_policy,
        policies,
        ..found
    };
}

/// What a role listing's JSON says, into `facts` (`role`: its `--RoleName`); `None`, with
/// nothing read, when the document is not the listing `action` prints.
pub fn read(
    action: RamAction,
    role_name: Option<&str>,
    v: &Value,
    facts: &mut Facts,
) -> Option<()> {
    match action {
        RamAction::ListRoles => {
            let listed: Vec<_> = items(v, "Roles", "Role")?
                .iter()
                .map(role)
                .collect::<Option<_>>()?;
            facts.listed_roles = true;
            facts.roles_truncated |= v.get("IsTruncated").and_then(Value::as_bool) == Some(true);
            for r in listed {
                shown(facts, r);
            }
        }
        RamAction::GetRole => {
            let found = role(v.get("Role")?)?;
            found.0.trust_policy.as_ref()?;
            shown(facts, found);
        }
        RamAction::ListPoliciesForRole => {
            let attached = policies(v)?;
            let name = role_name?;
            let key = name.to_ascii_lowercase();
            if !facts.roles.contains_key(&key) {
                facts.orphan_role_listings.insert(key.clone());
            }
            let entry = facts.roles.entry(key).or_insert_with(|| RoleFacts {
                name: name.to_string(),
                ..RoleFacts::default()
            });
            entry.policies = Some(attached);
        }
        _ => return None,
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::super::ram_json::doc;
    use super::*;

    const LISTED: &str = r#"{"RequestId":"x","IsTruncated":false,"Roles":{"Role":[
        {"RoleId":"300000004209191120","RoleName":"etl","Arn":"acs:ram::5527:role/etl",
         "Description":"nightly","MaxSessionDuration":7200,
         "CreateDate":"2026-01-01T00:00:01Z","UpdateDate":"2026-01-01T00:00:02Z"}]}}"#;
    const GOT: &str = r#"{"RequestId":"y","Role":{"RoleId":"300000004209191120","RoleName":"etl",
        "Arn":"acs:ram::5527:role/etl","Description":"nightly",
        "AssumeRolePolicyDocument":"{\"Version\":\"1\"}","MaxSessionDuration":7200,
        "CreateDate":"2026-01-01T00:00:01Z","UpdateDate":"2026-01-01T00:00:02Z"}}"#;
    const POLICIES: &str = r#"{"Policies":{"Policy":[{"PolicyName":"AliyunMaxComputeReadOnlyAccess",
        "PolicyType":"System","DefaultVersion":"v1","AttachDate":"2026-01-01T00:00:03Z"}]}}"#;

    /// The facts of the three listings, read in `order`.
    fn read_in(order: [usize; 3]) -> Facts {
        let docs = [
            (RamAction::ListRoles, LISTED),
            (RamAction::GetRole, GOT),
            (RamAction::ListPoliciesForRole, POLICIES),
        ];
        let mut facts = Facts::default();
        for i in order {
            let (action, text) = docs[i];
            read(action, Some("etl"), &doc(text), &mut facts).unwrap();
        }
        facts
    }

    #[test]
    fn the_listings_of_a_role_give_the_same_facts_in_any_order() {
        let facts = read_in([0, 1, 2]);
        let etl = &facts.roles["etl"];
        assert_eq!(etl.id, 300_000_004_209_191_120);
        assert_eq!(etl.trust_policy.as_deref(), Some(r#"{"Version":"1"}"#));
        assert_eq!((etl.max_session, etl.created + 1), (7200, etl.updated));
        assert_eq!(etl.policies.as_ref().map(Vec::len), Some(1));
        assert_eq!(facts.arn_account, Some(5527));
        assert!(facts.listed_roles && facts.orphan_role_listings.is_empty());
        for order in [[2, 1, 0], [1, 2, 0], [2, 0, 1]] {
            assert_eq!(read_in(order), facts, "{order:?}");
        }
    }

    #[test]
    fn a_document_without_what_the_import_needs_is_not_read() {
        let mut facts = Facts::default();
        // No trust policy: a listing's item, not GetRole's answer.
        let listed_item =
            r#"{"Role":{"RoleId":"1","RoleName":"a","CreateDate":"2026-01-01T00:00:01Z"}}"#;
        assert_eq!(
            read(RamAction::GetRole, None, &doc(listed_item), &mut facts),
            None
        );
        let no_date = r#"{"Roles":{"Role":[{"RoleId":"1","RoleName":"a"}]}}"#;
        assert_eq!(
            read(RamAction::ListRoles, None, &doc(no_date), &mut facts),
            None
        );
        assert_eq!(
            read(
                RamAction::ListPoliciesForRole,
                None,
                &doc(POLICIES),
                &mut facts
            ),
            None
        );
        assert_eq!(facts, Facts::default());
    }

    #[test]
    fn policies_of_a_role_no_listing_shows_are_an_orphan_listing() {
        let mut facts = Facts::default();
        read(
            RamAction::ListPoliciesForRole,
            Some("Loader"),
            &doc(POLICIES),
            &mut facts,
        )
        .unwrap();
        assert!(facts.orphan_role_listings.contains("loader"));
        read(RamAction::ListRoles, None, &doc(LISTED), &mut facts).unwrap();
        assert!(
            facts.orphan_role_listings.contains("loader"),
            "etl is listed, not loader"
        );
    }
}
