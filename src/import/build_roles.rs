//! Facts of RAM roles → the home account's roles, and the roles a project names as members.
//! A role the listings show is built as shown; its trust policy comes from `GetRole` (a
//! listing leaves it out), else it trusts the account's root, as a role made for the account
//! in the console does, and the report says so.

use std::collections::BTreeSet;

use super::build::{Builder, attachment};
use super::facts::{Facts, RoleFacts};
use super::report::Kind;
use super::texts;
use crate::world::ram_roles::{DEFAULT_MAX_SESSION, RamRole};
use crate::world::{Account, AccountId, PrincipalId};

/// The trust policy of a role whose document no capture shows: the account's root may assume
/// it.
pub(super) fn root_trust_policy(account: AccountId) -> String {
    format!(
        r#"{{"Statement":[{{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{{"RAM":["acs:ram::{}:root"]}}}}],"Version":"1"}}"#,
        account.0
    )
}

/// What building the roles made, for the report.
pub(super) struct BuiltRoles {
    roles: usize,
    policies: usize,
    /// Roles without a `GetRole` capture, and those only a `ListPoliciesForRole` shows.
    untrusted: Vec<String>,
    orphans: Vec<String>,
}

impl Builder<'_> {
    /// The roles the RAM listings show, into the home account (`custom` and `unknown` collect
    /// the policies, as for users).
    pub(super) fn ram_roles(
        &mut self,
        facts: &Facts,
        custom: &mut BTreeSet<String>,
        unknown: &mut BTreeSet<String>,
    ) -> BuiltRoles {
        let home = self.world.home;
        let now = self.world.clock.now;
        let mut shown: Vec<&RoleFacts> = facts.roles.values().collect();
        shown.sort_by_key(|r| (r.created, r.name.to_ascii_lowercase()));
        let mut built = BuiltRoles {
            roles: 0,
            policies: 0,
            untrusted: Vec::new(),
            orphans: Vec::new(),
        };
        let mut roles = Vec::with_capacity(shown.len());
        for r in shown {
            let orphan = facts
                .orphan_role_listings
                .contains(&r.name.to_ascii_lowercase());
            let id = if orphan {
                built.orphans.push(r.name.clone());
                self.world.clock.next_role_id()
            } else {
                r.id
            };
            let trust_policy = match &r.trust_policy {
                Some(document) => document.clone(),
                None => {
                    if !orphan {
                        built.untrusted.push(r.name.clone());
                    }
                    root_trust_policy(home)
                }
            };
            let created = if r.created == 0 { now } else { r.created };
            let policies: Vec<_> = r
                .policies
                .iter()
                .flatten()
                .filter_map(|p| attachment(p, custom, unknown))
                .collect();
            built.policies += policies.len();
            roles.push(RamRole {
                id,
                name: r.name.clone(),
                description: r.description.clone(),
                trust_policy,
                max_session: if r.max_session == 0 {
                    DEFAULT_MAX_SESSION
                } else {
                    r.max_session
                },
                created,
                updated: r.updated.max(created),
                policies,
            });
        }
        built.roles = roles.len();
        if let Some(account) = self.world.accounts.get_mut(&home) {
            account.directory.roles.extend(roles);
        }
        built
    }

    /// The report's lines about the roles (none when no capture lists or names any).
    pub(super) fn report_roles(&mut self, facts: &Facts, built: BuiltRoles) {
        if facts.listed_roles || built.roles > 0 {
            self.report
                .push(Kind::Built, texts::roles(built.roles, built.policies));
        }
        if facts.roles_truncated {
            self.report
                .push(Kind::NotInferred, texts::roles_truncated());
        }
        if !built.orphans.is_empty() {
            self.report.push(
                Kind::NotInferred,
                texts::listings_without_role(&built.orphans),
            );
        }
        if !built.untrusted.is_empty() {
            self.report.push(
                Kind::Assumed,
                texts::trust_policies_assumed(&built.untrusted),
            );
        }
    }

    /// The account of a RAM role member's `RAM$<account>:role/…`: odpscmd names it by id, so
    /// an id finds the account that has it (made, with the id as its name, when none does); a
    /// log-on name is looked up as for users.
    pub(super) fn role_account(&mut self, text: &str) -> AccountId {
        let Ok(n) = text.parse::<u64>() else {
            return self.account(text);
        };
        let id = AccountId(n);
        if let std::collections::btree_map::Entry::Vacant(slot) = self.world.accounts.entry(id) {
            slot.insert(Account::new(id, text, true));
            self.note_account(text, id);
            self.report.push(Kind::Assumed, texts::account_by_id(n));
        }
        id
    }

    /// The member id of role `name` of account `a`; a role no listing shows is made, with a
    /// new RoleId, trusting the account's root and with no policies.
    pub(super) fn role_named(&mut self, a: AccountId, name: &str) -> PrincipalId {
        let known = self
            .world
            .account(a)
            .and_then(|acc| acc.directory.role(name));
        if let Some(known) = known {
            return PrincipalId::RamRole(known.id);
        }
        let id = self.world.clock.next_role_id();
        let now = self.world.clock.now;
        if let Some(account) = self.world.accounts.get_mut(&a) {
            account.directory.roles.push(RamRole {
                id,
                name: name.to_string(),
                description: String::new(),
                trust_policy: root_trust_policy(a),
                max_session: DEFAULT_MAX_SESSION,
                created: now,
                updated: now,
                policies: Vec::new(),
            });
        }
        self.new_roles.push(format!("RAM${}:role/{name}", a.0));
        PrincipalId::RamRole(id)
    }
}

#[cfg(test)]
mod tests {
    use crate::import::{CaptureFile, import};
    use crate::world::{AccountId, PrincipalId, World};

    fn imported(text: &str) -> (World, String) {
        let (world, report) = import(&[CaptureFile { name: "c", text }]).unwrap();
        (world, report.text())
    }

    #[test]
    fn role_members_no_listing_shows_are_made_in_the_account_they_name() {
        let (world, report) = imported(
            "odps@ p>list users;\n`RAM$1234:role/sync`\nv4_300000000000000042\nRAM$MainCount:bob\n",
        );
        // No GetCallerIdentity, no ARN: the roles' account is the account's id.
        assert_eq!(world.home, AccountId(1234));
        let sync = world
            .account(world.home)
            .and_then(|a| a.directory.role("sync"))
            .unwrap();
        assert!(sync.trust_policy.contains("acs:ram::1234:root"));
        let members: Vec<PrincipalId> = world.project("p").unwrap().members().collect();
        assert!(members.contains(&PrincipalId::RamRole(sync.id)));
        assert!(members.contains(&PrincipalId::RamRole(300_000_000_000_000_042)));
        assert!(
            report.contains("the account id is 1234, the one the RAM roles"),
            "{report}"
        );
        assert!(report.contains("get new RoleIds") && report.contains("RAM$1234:role/sync"));
        assert!(
            report.contains(
                "residual members (RAM user or role deleted while a member): v4_300000000000000042"
            ),
            "{report}"
        );
    }

    #[test]
    fn a_role_of_an_account_the_captures_show_only_by_id_gets_that_account() {
        let (world, report) = imported(concat!(
            "$ aliyun sts GetCallerIdentity\n{\"AccountId\": \"5527380164285788\"}\n",
            "odps@ p>list users;\n`RAM$1234:role/sync`\n",
        ));
        assert_eq!(world.home, AccountId(5_527_380_164_285_788));
        let other = world.account(AccountId(1234)).unwrap();
        assert!(other.directory.role("sync").is_some());
        assert!(
            report.contains("account 1234 has the log-on name 1234"),
            "{report}"
        );
    }

    #[test]
    fn a_listed_role_without_get_role_trusts_the_root_and_says_so() {
        let (world, report) = imported(concat!(
            "$ aliyun ram ListRoles\n",
            "{\"Roles\": {\"Role\": [{\"RoleId\": \"300000000000000007\", \"RoleName\": \"etl\", ",
            "\"Arn\": \"acs:ram::42:role/etl\", \"CreateDate\": \"2026-01-01T00:00:01Z\"}]}}\n",
        ));
        assert_eq!(world.home, AccountId(42), "the ARN shows the account");
        let etl = world
            .account(world.home)
            .unwrap()
            .directory
            .role("etl")
            .unwrap();
        assert_eq!(etl.id, 300_000_000_000_000_007);
        assert!(etl.trust_policy.contains("acs:ram::42:root"));
        assert!(report.contains("assumed: RAM roles without a GetRole capture trust the account's root (their trust policy is not in a listing): etl"), "{report}");
    }

    #[test]
    fn a_truncated_listing_and_policies_of_an_unlisted_role_are_not_inferred() {
        let (world, report) = imported(concat!(
            "$ aliyun ram ListRoles --MaxItems 1\n",
            "{\"IsTruncated\": true, \"Marker\": \"m\", \"Roles\": {\"Role\": []}}\n",
            "$ aliyun ram ListPoliciesForRole --RoleName loader\n",
            "{\"Policies\": {\"Policy\": [{\"PolicyName\": \"AliyunMaxComputeReadOnlyAccess\", ",
            "\"PolicyType\": \"System\", \"AttachDate\": \"2026-01-01T00:00:03Z\"}]}}\n",
        ));
        let loader = world
            .account(world.home)
            .and_then(|a| a.directory.role("loader"))
            .unwrap();
        assert_eq!(loader.policies.len(), 1);
        for line in [
            "built: 1 RAM roles, 1 policy attachments",
            "could not infer: RAM roles after ListRoles' first page (IsTruncated was true: capture with --MaxItems 1000 and each Marker)",
            "could not infer: ListPoliciesForRole of roles neither ListRoles nor GetRole shows (their RoleIds and trust policies): loader",
        ] {
            assert!(report.contains(line), "{line} in {report}");
        }
        assert!(!report.contains("without a GetRole capture"), "{report}");
    }
}
