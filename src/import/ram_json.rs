//! The JSON the `aliyun` CLI and the SDKs print for `ram ListUsers`, `ListAccessKeys`,
//! `ListPoliciesForUser`, `ListGroupsForUser` and `sts GetCallerIdentity`, read into facts (the
//! role listings are `ram_roles_json`'s, the group listings `ram_groups_json`'s, the console
//! log-ons and MFA devices `ram_console_json`'s, custom policies `ram_policies_json`'s).
//! Fields the import does not use (RequestId, Marker) are passed over; a field it uses that is
//! missing or of the wrong type is an error at the statement's line.

use serde_json::Value;

use super::command::RamAction;
use super::error::CaptureError;
use super::facts::{Facts, GroupFacts, KeyFacts, PolicyFacts, UserFacts};
use super::texts;
use super::transcript::Line;
use crate::world::clock::parse_iso8601;

/// The JSON document of an output, or the error at the line serde stopped on; an output with
/// nothing in it is an error at the statement's `line` (the CLI prints its errors to stderr,
/// which the capture may not have kept).
pub fn document(file: &str, line: usize, output: &[Line<'_>]) -> Result<Value, CaptureError> {
    if output.iter().all(|l| l.text.trim().is_empty()) {
        return Err(CaptureError::new(file, line, texts::EXPECTED_JSON_NONE));
    }
    let first = output.first().map_or(line, |l| l.no);
    let text: Vec<&str> = output.iter().map(|l| l.text).collect();
    serde_json::from_str(&text.join("\n")).map_err(|e| {
        CaptureError::new(
            file,
            first + e.line().saturating_sub(1),
            format!("{} ({e})", texts::EXPECTED_JSON),
        )
    })
}

/// A JSON document of a unit test.
#[cfg(test)]
pub(super) fn doc(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// The items of a listing: `{"<outer>": {"<inner>": [...]}}`.
pub(super) fn items<'v>(v: &'v Value, outer: &str, inner: &str) -> Option<&'v Vec<Value>> {
    v.get(outer)?.get(inner)?.as_array()
}

pub(super) fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)?.as_str().map(str::to_string)
}

pub(super) fn optional(v: &Value, key: &str) -> String {
    text(v, key).unwrap_or_default()
}

pub(super) fn date(v: &Value, key: &str) -> Option<u64> {
    parse_iso8601(v.get(key)?.as_str()?)
}

/// The policies of `ListPoliciesForUser` or `ListPoliciesForRole`; `None` when the document
/// is not such a listing.
pub(super) fn policies(v: &Value) -> Option<Vec<PolicyFacts>> {
    items(v, "Policies", "Policy")?
        .iter()
        .map(|p| {
            Some(PolicyFacts {
                name: text(p, "PolicyName")?,
                custom: match text(p, "PolicyType")?.as_str() {
                    "System" => false,
                    "Custom" => true,
                    _ => return None,
                },
                description: optional(p, "Description"),
                attached: date(p, "AttachDate")?,
            })
        })
        .collect()
}

/// What one `aliyun ram` listing's JSON says, into `facts`. `line` is the statement's line
/// (errors about missing fields point there); `name` is its `--UserName` or `--RoleName`.
pub fn read(
    file: &str,
    line: usize,
    action: RamAction,
    name: Option<&str>,
    v: &Value,
    facts: &mut Facts,
) -> Result<(), CaptureError> {
    let bad = |what: &str| CaptureError::new(file, line, what);
    // A listing another module reads says `None` for a document not of its shape.
    let read = match action {
        RamAction::ListRoles | RamAction::GetRole | RamAction::ListPoliciesForRole => {
            super::ram_roles_json::read(action, name, v, facts)
        }
        RamAction::ListGroups | RamAction::ListPoliciesForGroup => {
            super::ram_groups_json::read(action, name, v, facts)
        }
        RamAction::GetLoginProfile | RamAction::ListVirtualMFADevices => {
            super::ram_console_json::read(action, name, v, facts)
        }
        RamAction::ListPolicies | RamAction::ListPolicyVersions => {
            super::ram_policies_json::read(action, name, v, facts)
        }
        RamAction::ListUsers => {
            let list = items(v, "Users", "User").ok_or_else(|| bad(texts::EXPECTED_LIST_USERS))?;
            facts.listed_users = true;
            facts.users_truncated |= v.get("IsTruncated").and_then(Value::as_bool) == Some(true);
            for u in list {
                let parsed: Option<UserFacts> = (|| {
                    let name = text(u, "UserName")?;
                    Some(UserFacts {
                        uid: text(u, "UserId")?.parse().ok()?,
                        display_name: text(u, "DisplayName").unwrap_or_else(|| name.clone()),
                        comments: optional(u, "Comments"),
                        email: optional(u, "Email"),
                        mobile_phone: optional(u, "MobilePhone"),
                        created: date(u, "CreateDate")?,
                        updated: date(u, "UpdateDate").or_else(|| date(u, "CreateDate"))?,
                        last_login: date(u, "LastLoginDate"),
                        name,
                        keys: None,
                        policies: None,
                        groups: None,
                        login: None,
                    })
                })();
                listed_user(
                    facts,
                    parsed.ok_or_else(|| bad(texts::EXPECTED_LIST_USERS))?,
                );
            }
            Some(())
        }
        RamAction::ListAccessKeys => {
            let list = items(v, "AccessKeys", "AccessKey")
                .ok_or_else(|| bad(texts::EXPECTED_LIST_KEYS))?;
            let mut keys = Vec::new();
            for k in list {
                let key = (|| {
                    Some(KeyFacts {
                        id: text(k, "AccessKeyId")?,
                        active: match text(k, "Status")?.as_str() {
                            "Active" => true,
                            "Inactive" => false,
                            _ => return None,
                        },
                        created: date(k, "CreateDate")?,
                    })
                })();
                keys.push(key.ok_or_else(|| bad(texts::EXPECTED_LIST_KEYS))?);
            }
            match name {
                None => facts.main_keys = Some(keys),
                Some(u) => user_entry(facts, u).keys = Some(keys),
            }
            Some(())
        }
        RamAction::ListPoliciesForUser => {
            let policies = policies(v).ok_or_else(|| bad(texts::EXPECTED_LIST_POLICIES))?;
            user_entry(facts, name.unwrap_or_default()).policies = Some(policies);
            Some(())
        }
        RamAction::ListGroupsForUser => {
            let list =
                items(v, "Groups", "Group").ok_or_else(|| bad(texts::EXPECTED_LIST_GROUPS))?;
            let mut groups = Vec::new();
            for g in list {
                let group = (|| {
                    Some(GroupFacts {
                        id: text(g, "GroupId")?,
                        name: text(g, "GroupName")?,
                        comments: optional(g, "Comments"),
                        joined: date(g, "JoinDate")?,
                    })
                })();
                groups.push(group.ok_or_else(|| bad(texts::EXPECTED_LIST_GROUPS))?);
            }
            user_entry(facts, name.unwrap_or_default()).groups = Some(groups);
            Some(())
        }
    };
    read.ok_or_else(|| bad(action.expected()))
}

/// A `ListUsers` document's users into `facts`: the fast reader's when the document has the
/// usual shape, else the general one's.
pub fn list_users(
    file: &str,
    line: usize,
    output: &[Line<'_>],
    facts: &mut Facts,
) -> Result<(), CaptureError> {
    usual_list_users(file, line, output, facts).unwrap_or_else(|| {
        let v = document(file, line, output)?;
        read(file, line, RamAction::ListUsers, None, &v, facts)
    })
}

/// A `ListUsers` document of the usual shape, read by the fast reader; `None` (and nothing
/// read) for any other document.
pub fn usual_list_users(
    file: &str,
    line: usize,
    output: &[Line<'_>],
    facts: &mut Facts,
) -> Option<Result<(), CaptureError>> {
    let text: Vec<&str> = output.iter().map(|l| l.text).collect();
    let listed = super::ram_users_json::read(&text.join("\n"))?;
    let mut users = Vec::with_capacity(listed.users.len());
    for user in listed.users {
        match user {
            Some(found) => users.push(found),
            None => {
                return Some(Err(CaptureError::new(
                    file,
                    line,
                    texts::EXPECTED_LIST_USERS,
                )));
            }
        }
    }
    facts.listed_users = true;
    facts.users_truncated |= listed.truncated;
    for found in users {
        listed_user(facts, found);
    }
    Some(Ok(()))
}

/// A user `ListUsers` shows, into `facts` (what per-user listings said of it is kept).
fn listed_user(facts: &mut Facts, found: UserFacts) {
    let key = found.name.to_ascii_lowercase();
    if !facts.orphan_listings.is_empty() {
        facts.orphan_listings.remove(&key);
    }
    let entry = facts.users.entry(key).or_default();
    let (keys, policies, groups, login) = (
        entry.keys.take(),
        entry.policies.take(),
        entry.groups.take(),
        entry.login.take(),
    );
    *entry = UserFacts {
        keys,
        policies,
        groups,
        login,
        ..found
    };
}

/// A user's `GetLoginProfile` answered that the user has none.
pub fn no_login_profile(facts: &mut Facts, user: &str) {
    user_entry(facts, user).login = Some(None);
}

/// The facts of the user a per-user listing is about; one `ListUsers` has not shown is noted,
/// to be reported if it never does.
pub(super) fn user_entry<'f>(facts: &'f mut Facts, name: &str) -> &'f mut UserFacts {
    let key = name.to_ascii_lowercase();
    if !facts.users.contains_key(&key) {
        facts.orphan_listings.insert(key.clone());
    }
    facts.users.entry(key).or_insert_with(|| UserFacts {
        name: name.to_string(),
        ..UserFacts::default()
    })
}

/// `aliyun sts GetCallerIdentity`: the account id.
pub fn caller_identity(file: &str, line: usize, v: &Value) -> Result<u64, CaptureError> {
    v.get("AccountId")
        .and_then(|a| {
            a.as_str()
                .and_then(|s| s.parse().ok())
                .or_else(|| a.as_u64())
        })
        .ok_or_else(|| CaptureError::new(file, line, texts::EXPECTED_CALLER_IDENTITY))
}

/// A bare JSON file: which listing it is, by its keys (only `ListUsers`, `ListRoles` and
/// `GetRole`, which names its role itself, need no name from a command line).
pub fn bare_action(v: &Value) -> Option<RamAction> {
    if v.get("Users").is_some() {
        Some(RamAction::ListUsers)
    } else if v.get("Roles").is_some() {
        Some(RamAction::ListRoles)
    } else if v.get("Role").is_some() {
        Some(RamAction::GetRole)
    } else {
        None
    }
}
