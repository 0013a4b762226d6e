//! Facts of RAM groups → the home account's groups: those `ListGroups` shows (with their own
//! dates and comments), those users' `ListGroupsForUser` shows them in (with when they joined),
//! and the policies `ListPoliciesForGroup` shows.

use std::collections::{BTreeMap, BTreeSet};

use super::build::{Builder, attachment};
use super::facts::{Facts, GroupFacts};
use super::report::Kind;
use super::texts;
use crate::world::Uid;
use crate::world::groups::{Group, Membership};

/// What building the groups made, for the report.
pub(super) struct BuiltGroups {
    groups: usize,
    members: usize,
    policies: usize,
    /// Groups only a `ListPoliciesForGroup` shows, and groups whose policies no capture shows.
    orphans: Vec<String>,
    without_policies: Vec<String>,
}

impl Builder<'_> {
    /// The groups, into the home account in the order they were created (`memberships`: each
    /// user's `ListGroupsForUser` entries, by the user's id in the world; `custom` and
    /// `unknown` collect the policies, as for users).
    pub(super) fn ram_groups(
        &mut self,
        facts: &Facts,
        memberships: &[(Uid, &GroupFacts)],
        custom: &mut BTreeSet<String>,
        unknown: &mut BTreeSet<String>,
    ) -> BuiltGroups {
        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        for (key, g) in &facts.groups {
            if let Some(shown) = &g.shown {
                let group = Group {
                    id: shown.id.clone(),
                    name: g.name.clone(),
                    comments: shown.comments.clone(),
                    created: shown.created,
                    updated: shown.updated,
                    members: Vec::new(),
                    policies: Vec::new(),
                };
                groups.insert(key.clone(), group);
            }
        }
        for (uid, m) in memberships {
            let key = m.name.to_ascii_lowercase();
            let listed = facts.groups.get(&key).is_some_and(|g| g.shown.is_some());
            let group = groups.entry(key).or_insert_with(|| Group {
                id: m.id.clone(),
                name: m.name.clone(),
                comments: m.comments.clone(),
                created: m.joined,
                updated: m.joined,
                members: Vec::new(),
                policies: Vec::new(),
            });
            if !listed {
                // Made no later than its first member joined.
                group.created = group.created.min(m.joined);
                group.updated = group.created;
            }
            group.members.push(Membership {
                uid: *uid,
                joined: m.joined,
            });
        }
        let mut built = BuiltGroups {
            groups: 0,
            members: memberships.len(),
            policies: 0,
            orphans: Vec::new(),
            without_policies: Vec::new(),
        };
        let now = self.world.clock.now;
        for (key, g) in &facts.groups {
            let Some(attached) = &g.policies else {
                continue;
            };
            let group = groups.entry(key.clone()).or_insert_with(|| {
                built.orphans.push(g.name.clone());
                Group {
                    id: format!("g-{}", self.world.clock.next_token(16)),
                    name: g.name.clone(),
                    comments: String::new(),
                    created: now,
                    updated: now,
                    members: Vec::new(),
                    policies: Vec::new(),
                }
            });
            group.policies = attached
                .iter()
                .filter_map(|p| attachment(p, custom, unknown))
                .collect();
            built.policies += group.policies.len();
        }
        for (key, group) in &groups {
            if facts.groups.get(key).is_none_or(|g| g.policies.is_none()) {
                built.without_policies.push(group.name.clone());
            }
        }
        let mut groups: Vec<Group> = groups.into_values().collect();
        for g in &mut groups {
            g.members.sort_by_key(|m| (m.joined, m.uid));
        }
        groups.sort_by_key(|g| (g.created, g.name.to_ascii_lowercase()));
        built.groups = groups.len();
        let home = self.world.home;
        if let Some(account) = self.world.accounts.get_mut(&home) {
            account.directory.groups.extend(groups);
        }
        built
    }

    /// The report's lines about the groups (none when no capture lists or names any).
    pub(super) fn report_groups(&mut self, facts: &Facts, built: BuiltGroups) {
        if facts.listed_groups || built.groups > 0 {
            self.report.push(
                Kind::Built,
                texts::groups(built.groups, built.members, built.policies),
            );
        }
        if facts.groups_truncated {
            self.report
                .push(Kind::NotInferred, texts::groups_truncated());
        }
        if !built.orphans.is_empty() {
            self.report.push(
                Kind::NotInferred,
                texts::listings_without_group(&built.orphans),
            );
        }
        if !built.without_policies.is_empty() {
            self.report.push(
                Kind::NotInferred,
                texts::group_policies_not_captured(&built.without_policies),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::import::{CaptureFile, import};

    #[test]
    fn groups_no_user_is_in_and_policies_of_unlisted_groups_are_built_and_said() {
        let text = concat!(
            "$ aliyun ram ListGroups\n",
            "{\"IsTruncated\": true, \"Groups\": {\"Group\": [{\"GroupId\": \"g-001\", \"GroupName\": \"empty\", ",
            "\"CreateDate\": \"2026-01-01T00:00:05Z\"}, {\"GroupId\": \"g-002\", \"GroupName\": \"ops\", ",
            "\"Comments\": \"on call\", \"CreateDate\": \"2026-01-01T00:00:01Z\"}]}}\n",
            "$ aliyun ram ListPoliciesForGroup --GroupName ops\n",
            "{\"Policies\": {\"Policy\": [{\"PolicyName\": \"AliyunMaxComputeReadOnlyAccess\", ",
            "\"PolicyType\": \"System\", \"AttachDate\": \"2026-01-01T00:00:03Z\"}]}}\n",
            "$ aliyun ram ListPoliciesForGroup --GroupName audit\n",
            "{\"Policies\": {\"Policy\": []}}\n",
        );
        let (world, report) = import(&[CaptureFile { name: "c", text }]).unwrap();
        let report = report.text();
        let groups = &world.account(world.home).unwrap().directory.groups;
        let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
        // In the order they were created; the one only ListPoliciesForGroup shows is made at
        // the latest time the captures show, empty's (a tie goes by name).
        assert_eq!(names, ["ops", "audit", "empty"]);
        assert_eq!(
            (groups[0].id.as_str(), groups[0].comments.as_str()),
            ("g-002", "on call")
        );
        assert_eq!(groups[0].policies.len(), 1);
        assert!(groups[1].id.starts_with("g-") && groups[1].id.len() == 18);
        for line in [
            "built: 3 RAM groups, 0 memberships, 1 policy attachments",
            "could not infer: ListPoliciesForGroup of groups neither ListGroups nor a user's ListGroupsForUser shows (their GroupIds): audit",
            "could not infer: the policies of RAM groups without a ListPoliciesForGroup capture: empty",
            "could not infer: RAM groups after ListGroups' first page (IsTruncated was true: capture with --MaxItems 1000 and each Marker)",
        ] {
            assert!(report.contains(line), "{line} in {report}");
        }
    }

    #[test]
    fn a_group_only_a_users_listing_shows_was_made_when_its_first_member_joined() {
        let text = concat!(
            "$ aliyun ram ListUsers\n",
            "{\"Users\": {\"User\": [{\"UserId\": \"26529000000000001\", \"UserName\": \"bob\", ",
            "\"CreateDate\": \"2026-01-01T00:00:01Z\"}, {\"UserId\": \"26529000000000002\", ",
            "\"UserName\": \"amy\", \"CreateDate\": \"2026-01-01T00:00:02Z\"}]}}\n",
            "$ aliyun ram ListGroupsForUser --UserName bob\n",
            "{\"Groups\": {\"Group\": [{\"GroupId\": \"g-9\", \"GroupName\": \"ops\", \"JoinDate\": \"2026-01-01T00:00:09Z\"}]}}\n",
            "$ aliyun ram ListGroupsForUser --UserName amy\n",
            "{\"Groups\": {\"Group\": [{\"GroupId\": \"g-9\", \"GroupName\": \"ops\", \"JoinDate\": \"2026-01-01T00:00:07Z\"}]}}\n",
        );
        let (world, report) = import(&[CaptureFile { name: "c", text }]).unwrap();
        let ops = world
            .account(world.home)
            .and_then(|a| a.directory.group("ops"))
            .unwrap();
        assert_eq!(ops.created, ops.members[0].joined, "amy joined first");
        assert_eq!(ops.members.len(), 2);
        assert!(
            report
                .text()
                .contains("built: 1 RAM groups, 2 memberships, 0 policy attachments")
        );
    }
}
