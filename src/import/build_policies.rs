//! Facts of custom RAM policies → the home account's custom policies: those `ListPolicies`
//! shows, with every version `ListPolicyVersions` shows; a policy whose documents no capture
//! shows (only an attachment names it, or no versions were listed) gets an allow-nothing `v1`,
//! and the report says so.

use std::collections::BTreeSet;

use super::build::Builder;
use super::facts::{CustomPolicyFacts, Facts};
use super::report::Kind;
use super::texts;
use crate::world::credentials::{CustomPolicy, PolicyVersion};

/// The allow-nothing document of a custom policy whose documents were not captured.
const EMPTY_POLICY: &str = r#"{"Version":"1","Statement":[]}"#;

/// What building the custom policies made, for the report.
pub(super) struct BuiltPolicies {
    policies: usize,
    versions: usize,
    /// Those whose documents no capture shows.
    without_documents: Vec<String>,
}

/// A policy as the facts show it, `None` when its documents were not captured.
fn shown(p: &CustomPolicyFacts, now: u64) -> Option<CustomPolicy> {
    let versions = p.versions.as_ref()?;
    let (description, listed_default, created, updated) =
        p.listed.clone().unwrap_or((String::new(), 0, 0, 0));
    let mut kept: Vec<PolicyVersion> = versions
        .iter()
        .map(|(id, document, created, _)| PolicyVersion {
            id: *id,
            document: document.clone(),
            created: *created,
        })
        .collect();
    kept.sort_by_key(|v| v.id);
    let marked = versions.iter().find(|v| v.3).map(|v| v.0);
    let default_version = [Some(listed_default), marked]
        .into_iter()
        .flatten()
        .find(|id| kept.iter().any(|v| v.id == *id))
        .or_else(|| kept.last().map(|v| v.id))?;
    let first = kept.first().map_or(now, |v| v.created);
    let created = if created == 0 { first } else { created };
    let last = kept.iter().map(|v| v.created).max().unwrap_or(created);
    Some(CustomPolicy {
        name: p.name.clone(),
        description,
        created,
        updated: if updated == 0 { last } else { updated },
        versions: kept,
        default_version,
    })
}

impl Builder<'_> {
    /// The custom policies the listings show and those `attached` (names the users', roles'
    /// and groups' listings attach) name, into the home account in the order they were made.
    pub(super) fn custom_policies(
        &mut self,
        facts: &Facts,
        attached: &BTreeSet<String>,
    ) -> BuiltPolicies {
        let now = self.world.clock.now;
        let mut built = BuiltPolicies {
            policies: 0,
            versions: 0,
            without_documents: Vec::new(),
        };
        let mut policies: Vec<CustomPolicy> = Vec::new();
        for p in facts.custom_policies.values() {
            match shown(p, now) {
                Some(policy) => {
                    built.versions += policy.versions.len();
                    policies.push(policy);
                }
                None => {
                    built.without_documents.push(p.name.clone());
                    let mut policy =
                        CustomPolicy::new(p.name.clone(), String::new(), EMPTY_POLICY.into(), now);
                    if let Some((description, _, created, updated)) = &p.listed {
                        policy.description = description.clone();
                        policy.created = *created;
                        policy.updated = *updated;
                    }
                    policies.push(policy);
                }
            }
        }
        for name in attached {
            if !facts
                .custom_policies
                .contains_key(&name.to_ascii_lowercase())
            {
                built.without_documents.push(name.clone());
                policies.push(CustomPolicy::new(
                    name.clone(),
                    String::new(),
                    EMPTY_POLICY.into(),
                    now,
                ));
            }
        }
        policies.sort_by_key(|p| (p.created, p.name.to_ascii_lowercase()));
        built.policies = policies.len();
        let home = self.world.home;
        if let Some(account) = self.world.accounts.get_mut(&home) {
            account.custom_policies.extend(policies);
        }
        built
    }

    pub(super) fn report_custom_policies(&mut self, built: BuiltPolicies) {
        if built.policies > built.without_documents.len() {
            self.report.push(
                Kind::Built,
                texts::custom_policies(built.policies, built.versions),
            );
        }
        if !built.without_documents.is_empty() {
            let mut names = built.without_documents;
            names.sort();
            self.report
                .push(Kind::NotInferred, texts::custom_policy_documents(&names));
        }
    }
}
