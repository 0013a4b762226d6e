//! A project's policies (MaxCompute policy-based access control): the project policy and each
//! role's policy, as documents of statements (Effect, Principal, Action, Resource, Condition),
//! and which custom roles are of the admin type. `grant … privilegeproperties("policy"="true")`
//! adds a statement to its role's document, `put policy` replaces a whole document. Documents
//! are kept by role name, so a dropped role's policy stays and a role created with the same name
//! has it again (as the service keeps a dropped role's grants).
//!
//! What the statements mean is decided here, knowing nothing of text: an action pattern
//! (`odps:*`, `odps:Create*`, `odps:Select`), a resource pattern
//! (`acs:odps:*:projects/p/tables/tb_*`) and conditions, matched case-insensitively with `*`
//! standing for any run of characters.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::policy_condition::RequestContext;

/// Allow or Deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// One condition: `operator` (one of RAM's condition operators, as written) applied to the
/// request's value of `key` and the listed values (any of them may match). MaxCompute and RAM
/// policies read conditions alike, so they are evaluated by RAM's condition evaluator
/// ([`super::policy_condition`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}

/// One statement of a policy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PolicyRule {
    pub effect: Effect,
    /// Whom a project policy's statement is about (`*`, or principal names); a role policy's
    /// statements have none (they are about the role's members).
    pub principals: Vec<String>,
    /// `odps:<Action>` patterns.
    pub actions: Vec<String>,
    /// `acs:odps:*:projects/<p>/…` patterns.
    pub resources: Vec<String>,
    pub conditions: Vec<Condition>,
}

/// A policy document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDocument {
    pub version: String,
    pub rules: Vec<PolicyRule>,
}

/// A project's policies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policies {
    /// The project policy (`put policy <file>;`), if one was put.
    pub project: Option<PolicyDocument>,
    /// Each role's policy, by lower-case role name.
    pub roles: BTreeMap<String, PolicyDocument>,
    /// The custom roles of the admin type, by lower-case name (the others are resource roles).
    pub admin_roles: BTreeSet<String>,
}

/// What a request is, for conditions: where it comes from and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub source_ip: IpAddr,
    /// Seconds since the epoch, on the simulated clock.
    pub now: u64,
    /// `odps:TaskType`, when the request moves data out (an exception policy's question).
    pub task_type: Option<&'static str>,
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters and `?` for
/// one, case-insensitively (RAM's matching, the same for MaxCompute policies).
pub fn glob(pattern: &str, text: &str) -> bool {
    super::policy_document::wildcard(pattern, text)
}

impl Condition {
    /// Whether the condition holds for the request (an operator or key odpsh does not know
    /// holds for nothing: the condition fails).
    pub fn holds(&self, request: &Request) -> bool {
        let context = RequestContext {
            source_ip: match request.source_ip {
                IpAddr::V4(ip) => Some(ip),
                IpAddr::V6(_) => None,
            },
            current_time: request.now,
            mfa_present: false,
            secure_transport: true,
            task_type: request.task_type,
        };
        super::policy_condition::Condition::new(&self.operator, &self.key, &self.values)
            .is_some_and(|c| c.holds(&context))
    }
}

impl PolicyRule {
    /// Whether the statement applies to `action` (`odps:<Action>`) on `resource`
    /// (`acs:odps:*:projects/…`) for a request, and, for a project policy, to `principal`.
    pub fn applies(
        &self,
        action: &str,
        resource: &str,
        principal: Option<&str>,
        request: &Request,
    ) -> bool {
        let about = match principal {
            None => true,
            Some(who) => self
                .principals
                .iter()
                .any(|p| p == "*" || p.eq_ignore_ascii_case(who)),
        };
        about
            && self.actions.iter().any(|a| glob(a, action))
            && self.resources.iter().any(|r| glob(r, resource))
            && self.conditions.iter().all(|c| c.holds(request))
    }
}

/// Where a statement that decided comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Project,
    Role(String),
}

/// A statement that decided, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    pub source: Source,
    pub rule: PolicyRule,
}

impl Policies {
    pub fn role(&self, role: &str) -> Option<&PolicyDocument> {
        self.roles.get(&role.to_ascii_lowercase())
    }

    pub fn is_admin_role(&self, role: &str) -> bool {
        self.admin_roles.contains(&role.to_ascii_lowercase())
    }

    /// The first statement with `effect` that applies: the project policy's (about
    /// `principal`), then those of `roles`, in order.
    pub fn first<'r>(
        &self,
        effect: Effect,
        roles: impl IntoIterator<Item = &'r str>,
        principal: &str,
        action: &str,
        resource: &str,
        request: &Request,
    ) -> Option<Matched> {
        let project = self.project.iter().flat_map(|d| {
            d.rules
                .iter()
                .filter(|r| r.effect == effect)
                .filter(|r| r.applies(action, resource, Some(principal), request))
                .map(|r| Matched {
                    source: Source::Project,
                    rule: r.clone(),
                })
        });
        if let Some(m) = project.into_iter().next() {
            return Some(m);
        }
        roles.into_iter().find_map(|role| {
            self.role(role)?.rules.iter().find_map(|r| {
                (r.effect == effect && r.applies(action, resource, None, request)).then(|| {
                    Matched {
                        source: Source::Role(role.to_ascii_lowercase()),
                        rule: r.clone(),
                    }
                })
            })
        })
    }

    /// Whether the project has any policy statement at all (the common case is none: the
    /// chain then costs nothing more).
    pub fn is_empty(&self) -> bool {
        self.project.as_ref().is_none_or(|d| d.rules.is_empty())
            && self.roles.values().all(|d| d.rules.is_empty())
    }

    /// Adds a statement-form grant to a role's policy: the actions join a statement of the same
    /// effect, resource and (no) conditions, or start one.
    pub fn grant(&mut self, role: &str, effect: Effect, actions: &[String], resource: &str) {
        let doc = self
            .roles
            .entry(role.to_ascii_lowercase())
            .or_insert_with(|| PolicyDocument {
                version: "1".into(),
                rules: Vec::new(),
            });
        let same = doc.rules.iter_mut().find(|r| {
            r.effect == effect
                && r.principals.is_empty()
                && r.conditions.is_empty()
                && r.resources.len() == 1
                && r.resources[0].eq_ignore_ascii_case(resource)
        });
        match same {
            Some(rule) => {
                for a in actions {
                    if !rule.actions.iter().any(|x| x.eq_ignore_ascii_case(a)) {
                        rule.actions.push(a.clone());
                    }
                }
            }
            None => doc.rules.push(PolicyRule {
                effect,
                principals: Vec::new(),
                actions: actions.to_vec(),
                resources: vec![resource.to_string()],
                conditions: Vec::new(),
            }),
        }
    }

    /// Removes actions from a role's statements of `effect` on exactly `resource`: how many
    /// were removed (a statement left without actions goes).
    pub fn revoke(
        &mut self,
        role: &str,
        effect: Effect,
        actions: &[String],
        resource: &str,
    ) -> usize {
        let Some(doc) = self.roles.get_mut(&role.to_ascii_lowercase()) else {
            return 0;
        };
        let mut removed = 0;
        for rule in doc.rules.iter_mut().filter(|r| {
            r.effect == effect && r.resources.iter().any(|x| x.eq_ignore_ascii_case(resource))
        }) {
            let before = rule.actions.len();
            rule.actions
                .retain(|a| !actions.iter().any(|x| x.eq_ignore_ascii_case(a)));
            removed += before - rule.actions.len();
        }
        doc.rules.retain(|r| !r.actions.is_empty());
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(ip: &str, now: u64) -> Request {
        Request {
            source_ip: ip.parse().unwrap(),
            now,
            task_type: None,
        }
    }

    #[test]
    fn globs_match_case_insensitively_with_stars() {
        assert!(glob("odps:*", "odps:Select"));
        assert!(glob("odps:Create*", "odps:CreateTable"));
        assert!(!glob("odps:Create*", "odps:Drop"));
        assert!(glob(
            "acs:odps:*:projects/p/tables/tb_*",
            "acs:odps:*:projects/P/tables/TB_1"
        ));
        assert!(!glob(
            "acs:odps:*:projects/p/tables/tb_*",
            "acs:odps:*:projects/p/tables/t1"
        ));
        assert!(glob("a*b*c", "aXXbYYc"));
        assert!(!glob("a*b*c", "aXXbYY"));
    }

    #[test]
    fn conditions_read_the_address_and_the_clock() {
        let ip = Condition {
            operator: "IpAddress".into(),
            key: "acs:SourceIp".into(),
            values: vec!["192.168.0.0/16".into()],
        };
        assert!(ip.holds(&request("192.168.3.4", 0)));
        assert!(!ip.holds(&request("10.0.0.1", 0)));
        let not = Condition {
            operator: "NotIpAddress".into(),
            ..ip.clone()
        };
        assert!(not.holds(&request("10.0.0.1", 0)));
        let after = Condition {
            operator: "DateGreaterThan".into(),
            key: "acs:CurrentTime".into(),
            values: vec!["2026-01-01T00:00:00Z".into()],
        };
        assert!(after.holds(&request("1.1.1.1", 1_767_225_601)));
        assert!(!after.holds(&request("1.1.1.1", 1_767_225_600)));
        let unknown = Condition {
            operator: "Sometimes".into(),
            ..ip
        };
        assert!(!unknown.holds(&request("192.168.3.4", 0)));
    }

    #[test]
    fn statement_grants_join_and_leave_their_statement() {
        let mut p = Policies::default();
        let r = "acs:odps:*:projects/p/tables/tb_*";
        p.grant("R", Effect::Deny, &["odps:Drop".into()], r);
        p.grant("r", Effect::Deny, &["odps:Update".into()], r);
        assert_eq!(p.role("r").unwrap().rules.len(), 1);
        let now = request("127.0.0.1", 0);
        let m = p.first(
            Effect::Deny,
            ["r"],
            "x",
            "odps:Drop",
            "acs:odps:*:projects/p/tables/tb_9",
            &now,
        );
        assert_eq!(m.map(|m| m.source), Some(Source::Role("r".into())));
        assert_eq!(
            p.revoke(
                "r",
                Effect::Deny,
                &["odps:drop".into(), "odps:update".into()],
                r
            ),
            2
        );
        assert!(p.is_empty());
    }
}
