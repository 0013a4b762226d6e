//! A RAM role's trust policy (`AssumeRolePolicyDocument`): who may assume the role.
//!
//! `{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":
//! {"RAM":["acs:ram::<account>:root"]}}]}`. A principal is an account's `root` (any RAM user
//! or role of that account, each still needing `sts:AssumeRole` in its own policies), one RAM
//! user (`acs:ram::<account>:user/<name>`), one RAM role (`…:role/<name>`), or a cloud
//! service (`"Service": ["ecs.aliyuncs.com"]`), which no RAM identity can stand in for. A Deny
//! that names the caller wins over every Allow.

use serde_json::Value;

use super::policy_document::Effect;

/// Who stands in a trust policy's `Principal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trusted {
    /// Every RAM identity of the account (`acs:ram::<account>:root`).
    Account(u64),
    /// One RAM user, by name (`*` for any).
    User { account: u64, name: String },
    /// One RAM role, by name (`*` for any).
    Role { account: u64, name: String },
    /// A cloud service (`ecs.aliyuncs.com`).
    Service(String),
}

/// One statement of a trust policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustStatement {
    pub effect: Effect,
    pub principals: Vec<Trusted>,
}

/// A trust policy, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustPolicy {
    pub statements: Vec<TrustStatement>,
}

/// Who is asking to assume a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller<'a> {
    User { account: u64, name: &'a str },
    Role { account: u64, name: &'a str },
}

/// Why a document is not a trust policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustProblem {
    /// Not JSON, or not the shape of a policy.
    Malformed,
    /// A statement without `sts:AssumeRole`, or a principal RAM does not know.
    Principal,
}

fn strings(v: &Value) -> Option<Vec<&str>> {
    match v {
        Value::String(s) => Some(vec![s.as_str()]),
        Value::Array(items) => items.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

fn ram_principal(text: &str) -> Option<Trusted> {
    let rest = text.strip_prefix("acs:ram::")?;
    let (account, what) = rest.split_once(':')?;
    let account: u64 = account.parse().ok()?;
    if what == "root" {
        return Some(Trusted::Account(account));
    }
    if let Some(name) = what.strip_prefix("user/") {
        return (!name.is_empty()).then(|| Trusted::User {
            account,
            name: name.to_string(),
        });
    }
    let name = what.strip_prefix("role/")?;
    (!name.is_empty()).then(|| Trusted::Role {
        account,
        name: name.to_string(),
    })
}

fn statement(v: &Value) -> Result<TrustStatement, TrustProblem> {
    let object = v.as_object().ok_or(TrustProblem::Malformed)?;
    let effect = match object.get("Effect").and_then(Value::as_str) {
        Some(e) if e.eq_ignore_ascii_case("Allow") => Effect::Allow,
        Some(e) if e.eq_ignore_ascii_case("Deny") => Effect::Deny,
        _ => return Err(TrustProblem::Malformed),
    };
    let actions = object
        .get("Action")
        .and_then(strings)
        .ok_or(TrustProblem::Malformed)?;
    if !actions
        .iter()
        .any(|a| a.eq_ignore_ascii_case("sts:AssumeRole"))
    {
        return Err(TrustProblem::Principal);
    }
    let principal = object
        .get("Principal")
        .and_then(Value::as_object)
        .ok_or(TrustProblem::Principal)?;
    let mut principals = Vec::new();
    for (kind, value) in principal {
        let list = strings(value).ok_or(TrustProblem::Principal)?;
        for text in list {
            let trusted = match kind.as_str() {
                "RAM" => ram_principal(text).ok_or(TrustProblem::Principal)?,
                "Service" if !text.is_empty() => Trusted::Service(text.to_string()),
                _ => return Err(TrustProblem::Principal),
            };
            principals.push(trusted);
        }
    }
    if principals.is_empty() {
        return Err(TrustProblem::Principal);
    }
    Ok(TrustStatement { effect, principals })
}

impl TrustPolicy {
    pub fn parse(text: &str) -> Result<TrustPolicy, TrustProblem> {
        let v: Value = serde_json::from_str(text).map_err(|_| TrustProblem::Malformed)?;
        let object = v.as_object().ok_or(TrustProblem::Malformed)?;
        let list = object
            .get("Statement")
            .and_then(Value::as_array)
            .ok_or(TrustProblem::Malformed)?;
        if list.is_empty() {
            return Err(TrustProblem::Malformed);
        }
        let statements = list.iter().map(statement).collect::<Result<_, _>>()?;
        Ok(TrustPolicy { statements })
    }

    /// Whether the policy lets `caller` assume the role: a statement names it, and no Deny does.
    pub fn trusts(&self, caller: Caller<'_>) -> bool {
        let names = |t: &Trusted| t.names(caller);
        let denied = self
            .statements
            .iter()
            .any(|s| s.effect == Effect::Deny && s.principals.iter().any(names));
        !denied
            && self
                .statements
                .iter()
                .any(|s| s.effect == Effect::Allow && s.principals.iter().any(names))
    }

    /// The accounts whose every RAM identity it trusts (`acs:ram::<account>:root`, or any user
    /// by `user/*`), for the hazard of an admin role any user may assume.
    pub fn trusts_every_user_of(&self, account: u64) -> bool {
        self.statements.iter().any(|s| {
            s.effect == Effect::Allow
                && s.principals.iter().any(|t| match t {
                    Trusted::Account(a) => *a == account,
                    Trusted::User { account: a, name } => *a == account && name == "*",
                    _ => false,
                })
        })
    }
}

impl Trusted {
    fn names(&self, caller: Caller<'_>) -> bool {
        let named = |want: &str, name: &str| want == "*" || want.eq_ignore_ascii_case(name);
        match (self, caller) {
            (Trusted::Account(a), Caller::User { account, .. } | Caller::Role { account, .. }) => {
                *a == account
            }
            (
                Trusted::User {
                    account: a,
                    name: n,
                },
                Caller::User { account, name },
            ) => *a == account && named(n, name),
            (
                Trusted::Role {
                    account: a,
                    name: n,
                },
                Caller::Role { account, name },
            ) => *a == account && named(n, name),
            _ => false,
        }
    }
}

/// The trust policy that lets every RAM identity of `account` assume a role (the console's
/// "current Alibaba Cloud account" choice).
pub fn account_trust_policy(account: u64) -> String {
    format!(
        r#"{{"Statement":[{{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{{"RAM":["acs:ram::{account}:root"]}}}}],"Version":"1"}}"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: Caller<'static> = Caller::User {
        account: 7,
        name: "alice",
    };

    #[test]
    fn root_trusts_every_identity_of_its_account_only() {
        let p = TrustPolicy::parse(&account_trust_policy(7)).unwrap();
        assert!(p.trusts(ALICE));
        assert!(p.trusts(Caller::Role {
            account: 7,
            name: "etl"
        }));
        assert!(!p.trusts(Caller::User {
            account: 8,
            name: "alice"
        }));
        assert!(p.trusts_every_user_of(7));
    }

    #[test]
    fn a_named_user_is_trusted_and_a_deny_wins() {
        let doc = r#"{"Version":"1","Statement":[
            {"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["acs:ram::7:root"]}},
            {"Effect":"Deny","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::7:user/bob"}}]}"#;
        let p = TrustPolicy::parse(doc).unwrap();
        assert!(p.trusts(ALICE));
        assert!(!p.trusts(Caller::User {
            account: 7,
            name: "BOB"
        }));
        let only_alice = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",
            "Principal":{"RAM":["acs:ram::7:user/alice"]}}]}"#;
        let p = TrustPolicy::parse(only_alice).unwrap();
        assert!(p.trusts(ALICE));
        assert!(!p.trusts_every_user_of(7));
    }

    #[test]
    fn a_service_role_trusts_no_ram_identity() {
        let doc = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",
            "Principal":{"Service":["ecs.aliyuncs.com"]}}]}"#;
        assert!(!TrustPolicy::parse(doc).unwrap().trusts(ALICE));
    }

    #[test]
    fn bad_documents_are_refused() {
        assert_eq!(TrustPolicy::parse("{"), Err(TrustProblem::Malformed));
        assert_eq!(
            TrustPolicy::parse(r#"{"Statement":[]}"#),
            Err(TrustProblem::Malformed)
        );
        let no_principal = r#"{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"#;
        assert_eq!(
            TrustPolicy::parse(no_principal),
            Err(TrustProblem::Principal)
        );
        let bad = r#"{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["alice"]}}]}"#;
        assert_eq!(TrustPolicy::parse(bad), Err(TrustProblem::Principal));
    }
}
