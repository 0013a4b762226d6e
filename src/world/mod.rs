//! The simulated cloud as plain data: accounts with their RAM users, and MaxCompute projects.
//! Knows nothing about text, terminals or files.

pub mod account;
pub mod acl;
pub mod clock;
pub mod credentials;
pub mod groups;
mod index;
pub mod labels;
pub(crate) mod members;
pub mod mfa;
pub mod objects;
pub mod packages;
pub mod policy;
pub mod policy_condition;
pub mod policy_document;
pub mod principal;
pub mod project;
pub mod ram_directory;
pub mod ram_roles;
pub mod ram_settings;
mod ram_user;
pub mod role_policies;
pub mod security;
pub mod system_policies;
pub mod trust_policy;
pub mod workspace_roles;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use account::{Account, NameProblem, RamUser};
pub use clock::Clock;
pub use principal::{AccountId, PrincipalId, Uid};
pub use project::{BUILTIN_ROLES, Project, ProjectError, WORKSPACE_ROLES, Workspace};

/// The version of the world file layout (8: RAM roles and STS credentials, imported
/// AccessKeys; 7: packages and outflow controls; 6: RAM groups, MFA devices, password policy, security
/// preference, policy versions, user contact fields and last use; 5: project policies; 4:
/// project labels; 3: the first with snapshots).
pub const SCHEMA_VERSION: u32 = 8;

/// Everything odpsh simulates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct World {
    pub schema_version: u32,
    pub clock: Clock,
    /// The MaxCompute endpoint the shell reports in `whoami`.
    pub endpoint: String,
    /// The account the shell acts for.
    pub home: AccountId,
    pub accounts: BTreeMap<AccountId, Account>,
    /// Projects by lower-cased name.
    pub projects: BTreeMap<String, Project>,
}

/// The default world's account: log-on name and 16-digit id.
pub const DEFAULT_LOGIN: &str = "MainCount";
pub const DEFAULT_ACCOUNT_ID: AccountId = AccountId(5_527_380_164_285_788);
pub const DEFAULT_PROJECT: &str = "MaxCompute";
pub const DEFAULT_ENDPOINT: &str = "http://service.cn-hangzhou.maxcompute.aliyun.com/api";
/// The id of the first DataWorks workspace; later ones count up from it.
pub const FIRST_WORKSPACE_ID: u64 = 10_000;
/// 2026-01-01T00:00:00Z: where the simulated clock starts.
const DEFAULT_EPOCH: u64 = 1_767_225_600;

impl World {
    /// The built-in default world: one real-name-verified account `MainCount`, owning one
    /// project `MaxCompute`, with no RAM users.
    pub fn default_world() -> World {
        let account = Account::new(DEFAULT_ACCOUNT_ID, DEFAULT_LOGIN, true);
        let mut project = Project::new(DEFAULT_PROJECT, DEFAULT_ACCOUNT_ID);
        project.workspace = Some(Workspace {
            id: FIRST_WORKSPACE_ID,
            members: BTreeMap::new(),
        });
        World {
            schema_version: SCHEMA_VERSION,
            clock: Clock::new(DEFAULT_EPOCH, DEFAULT_ACCOUNT_ID.0),
            endpoint: DEFAULT_ENDPOINT.to_string(),
            home: DEFAULT_ACCOUNT_ID,
            accounts: BTreeMap::from([(DEFAULT_ACCOUNT_ID, account)]),
            projects: BTreeMap::from([(DEFAULT_PROJECT.to_ascii_lowercase(), project)]),
        }
    }

    pub fn account(&self, id: AccountId) -> Option<&Account> {
        self.accounts.get(&id)
    }

    pub fn account_mut(&mut self, id: AccountId) -> Option<&mut Account> {
        self.accounts.get_mut(&id)
    }

    /// An account by log-on name (case-insensitive) or by its numeric id.
    pub fn account_named(&self, text: &str) -> Option<&Account> {
        if let Ok(n) = text.parse::<u64>()
            && let Some(a) = self.accounts.get(&AccountId(n))
        {
            return Some(a);
        }
        self.accounts
            .values()
            .find(|a| a.login.eq_ignore_ascii_case(text))
    }

    /// The account a RAM user belongs to, and the user, while the user exists.
    pub fn ram_user(&self, uid: Uid) -> Option<(&Account, &RamUser)> {
        self.accounts
            .values()
            .find_map(|a| a.user(uid).map(|u| (a, u)))
    }

    /// A RAM role by its id, with its account.
    pub fn ram_role(&self, id: u64) -> Option<(&Account, &ram_roles::RamRole)> {
        self.accounts
            .values()
            .find_map(|a| a.directory.role_by_id(id).map(|r| (a, r)))
    }

    /// An STS credential by its AccessKeyId, with the account that issued it.
    pub fn sts_credential(
        &self,
        access_key_id: &str,
    ) -> Option<(&Account, &ram_roles::StsCredential)> {
        self.accounts
            .values()
            .find_map(|a| a.directory.sts_credential(access_key_id).map(|c| (a, c)))
    }

    /// Many RAM users at once, for listings: each uid's account and user (`None` once deleted),
    /// in the order asked. For many uids it sorts them and each account's users by uid and
    /// merges the two, so that a million lookups walk memory in order instead of probing an
    /// index at random; for a few it looks each one up.
    pub fn ram_users_of(&self, uids: &[Uid]) -> Vec<Option<(&Account, &RamUser)>> {
        let mut found = vec![None; uids.len()];
        let mut wanted: Vec<(Uid, usize)> = uids.iter().copied().zip(0..).collect();
        wanted.sort_unstable();
        for account in self.accounts.values() {
            if wanted.len() * 16 < account.user_count() {
                for &(uid, i) in &wanted {
                    if let Some(user) = account.user(uid) {
                        found[i] = Some((account, user));
                    }
                }
                continue;
            }
            let mut users: Vec<(Uid, &RamUser)> = account.users().map(|u| (u.uid, u)).collect();
            users.sort_unstable_by_key(|(uid, _)| *uid);
            let mut next = users.iter().peekable();
            for &(uid, i) in &wanted {
                while next.next_if(|(u, _)| *u < uid).is_some() {}
                if let Some(&&(u, user)) = next.peek()
                    && u == uid
                {
                    found[i] = Some((account, user));
                }
            }
        }
        found
    }

    /// A project by name, case-insensitively.
    pub fn project(&self, name: &str) -> Option<&Project> {
        self.projects.get(&name.to_ascii_lowercase())
    }

    pub fn project_mut(&mut self, name: &str) -> Option<&mut Project> {
        self.projects.get_mut(&name.to_ascii_lowercase())
    }

    /// The project bound to a DataWorks workspace id.
    pub fn project_by_workspace(&self, id: u64) -> Option<&Project> {
        self.projects
            .values()
            .find(|p| p.workspace.as_ref().is_some_and(|w| w.id == id))
    }

    /// The id the next DataWorks workspace gets.
    pub fn next_workspace_id(&self) -> u64 {
        self.projects
            .values()
            .filter_map(|p| p.workspace.as_ref().map(|w| w.id + 1))
            .max()
            .unwrap_or(FIRST_WORKSPACE_ID)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_world_is_as_designed() {
        let w = World::default_world();
        let home = w.account(w.home).unwrap();
        assert_eq!(home.login, "MainCount");
        assert_eq!(home.id.to_string().len(), 16);
        assert!(home.real_name_verified);
        assert_eq!(home.user_count(), 0);
        let p = w.project("maxcompute").unwrap();
        assert_eq!(p.name, "MaxCompute");
        assert_eq!(p.owner, home.id);
    }

    #[test]
    fn accounts_are_found_by_login_or_id() {
        let w = World::default_world();
        assert!(w.account_named("maincount").is_some());
        assert!(w.account_named("5527380164285788").is_some());
        assert!(w.account_named("nobody").is_none());
    }

    #[test]
    fn the_world_survives_a_json_round_trip() {
        let w = World::default_world();
        let json = serde_json::to_string(&w).unwrap();
        let back: World = serde_json::from_str(&json).unwrap();
        assert_eq!(back, w);
    }
}
