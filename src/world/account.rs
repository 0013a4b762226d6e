//! An Alibaba Cloud account and its RAM users.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::credentials::{AccessKey, CustomPolicy, KeyStatus, LoginProfile, PolicyAttachment};
use super::principal::{AccountId, Uid};

/// A RAM user (a sub-account of a main account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RamUser {
    pub uid: Uid,
    pub name: String,
    pub display_name: String,
    pub comments: String,
    pub created: u64,
    pub updated: u64,
    /// At most two, active or not; only the account's methods change them.
    pub access_keys: Vec<AccessKey>,
    pub login_profile: Option<LoginProfile>,
    pub policies: Vec<PolicyAttachment>,
}

impl RamUser {
    /// A new user with no keys, no console access and no policies.
    pub fn new(uid: Uid, name: &str, display_name: &str, now: u64) -> Self {
        RamUser {
            uid,
            name: name.to_string(),
            display_name: display_name.to_string(),
            comments: String::new(),
            created: now,
            updated: now,
            access_keys: Vec::new(),
            login_profile: None,
            policies: Vec::new(),
        }
    }
}

/// Why a RAM user name or display name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    InvalidChars,
    Length,
}

/// RAM user names: 1–64 letters, digits, `.`, `_` or `-`.
pub fn check_user_name(name: &str) -> Result<(), NameProblem> {
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(NameProblem::InvalidChars);
    }
    if name.is_empty() || name.len() > 64 {
        return Err(NameProblem::Length);
    }
    Ok(())
}

/// Display names: 1–128 characters.
pub fn check_display_name(name: &str) -> Result<(), NameProblem> {
    let n = name.chars().count();
    if n == 0 || n > 128 {
        return Err(NameProblem::Length);
    }
    if name.chars().any(char::is_control) {
        return Err(NameProblem::InvalidChars);
    }
    Ok(())
}

/// The stored form of an account: users as a list in creation order.
#[derive(Serialize, Deserialize)]
struct AccountFile {
    id: AccountId,
    login: String,
    real_name_verified: bool,
    alias: Option<String>,
    allow_user_to_manage_access_keys: bool,
    access_keys: Vec<AccessKey>,
    custom_policies: Vec<CustomPolicy>,
    ram_users: Vec<RamUser>,
}

/// An Alibaba Cloud (main) account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "AccountFile", into = "AccountFile")]
pub struct Account {
    pub id: AccountId,
    /// The log-on name, as principal names spell it (`ALIYUN$<login>`, `RAM$<login>:<user>`).
    pub login: String,
    pub real_name_verified: bool,
    /// The account alias; the default domain uses the account id when there is none.
    pub alias: Option<String>,
    /// SetSecurityPreference: may RAM users manage their own AccessKeys (default false).
    pub allow_user_to_manage_access_keys: bool,
    /// The main account's own AccessKeys.
    access_keys: Vec<AccessKey>,
    pub custom_policies: Vec<CustomPolicy>,
    users: HashMap<Uid, RamUser>,
    /// Lower-cased user name → uid (RAM user names are case-insensitive).
    by_name: HashMap<String, Uid>,
    /// AccessKey id → its owner: `None` for the main account, else the RAM user.
    key_owners: HashMap<String, Option<Uid>>,
}

impl From<AccountFile> for Account {
    fn from(file: AccountFile) -> Self {
        let mut account = Account::new(file.id, &file.login, file.real_name_verified);
        account.alias = file.alias;
        account.allow_user_to_manage_access_keys = file.allow_user_to_manage_access_keys;
        account.custom_policies = file.custom_policies;
        for key in file.access_keys {
            account.key_owners.insert(key.id.clone(), None);
            account.access_keys.push(key);
        }
        for user in file.ram_users {
            account.insert_user(user);
        }
        account
    }
}

impl From<Account> for AccountFile {
    fn from(account: Account) -> Self {
        let ram_users = account
            .users_in_creation_order()
            .into_iter()
            .cloned()
            .collect();
        AccountFile {
            id: account.id,
            login: account.login,
            real_name_verified: account.real_name_verified,
            alias: account.alias,
            allow_user_to_manage_access_keys: account.allow_user_to_manage_access_keys,
            access_keys: account.access_keys,
            custom_policies: account.custom_policies,
            ram_users,
        }
    }
}

impl Account {
    pub fn new(id: AccountId, login: &str, real_name_verified: bool) -> Self {
        Account {
            id,
            login: login.to_string(),
            real_name_verified,
            alias: None,
            allow_user_to_manage_access_keys: false,
            access_keys: Vec::new(),
            custom_policies: Vec::new(),
            users: HashMap::new(),
            by_name: HashMap::new(),
            key_owners: HashMap::new(),
        }
    }

    /// The account alias, which defaults to the account id.
    pub fn alias_or_id(&self) -> String {
        self.alias.clone().unwrap_or_else(|| self.id.to_string())
    }

    /// The default domain RAM users log on with: `<alias>.onaliyun.com`.
    pub fn default_domain(&self) -> String {
        format!("{}.onaliyun.com", self.alias_or_id())
    }

    /// The main account's own AccessKeys.
    pub fn own_keys(&self) -> &[AccessKey] {
        &self.access_keys
    }

    /// The keys of `owner` (`None`: the main account).
    pub fn keys_of(&self, owner: Option<Uid>) -> &[AccessKey] {
        match owner {
            None => &self.access_keys,
            Some(uid) => self
                .users
                .get(&uid)
                .map_or(&[], |u| u.access_keys.as_slice()),
        }
    }

    /// An AccessKey of this account and its owner (`None`: the main account).
    pub fn key(&self, id: &str) -> Option<(Option<Uid>, &AccessKey)> {
        let owner = *self.key_owners.get(id)?;
        self.keys_of(owner)
            .iter()
            .find(|k| k.id == id)
            .map(|k| (owner, k))
    }

    fn keys_mut(&mut self, owner: Option<Uid>) -> Option<&mut Vec<AccessKey>> {
        match owner {
            None => Some(&mut self.access_keys),
            Some(uid) => self.users.get_mut(&uid).map(|u| &mut u.access_keys),
        }
    }

    /// Adds a key to its owner. The caller has checked the owner exists and the limits.
    pub fn insert_key(&mut self, owner: Option<Uid>, key: AccessKey) {
        let id = key.id.clone();
        if let Some(keys) = self.keys_mut(owner) {
            keys.push(key);
            self.key_owners.insert(id, owner);
        }
    }

    /// Changes a key's status; false when there is no such key.
    pub fn set_key_status(&mut self, id: &str, status: KeyStatus) -> bool {
        let Some(owner) = self.key_owners.get(id).copied() else {
            return false;
        };
        let key = self
            .keys_mut(owner)
            .and_then(|keys| keys.iter_mut().find(|k| k.id == id));
        match key {
            Some(k) => {
                k.status = status;
                true
            }
            None => false,
        }
    }

    /// Deletes a key.
    pub fn remove_key(&mut self, id: &str) -> Option<AccessKey> {
        let owner = self.key_owners.remove(id)?;
        let keys = self.keys_mut(owner)?;
        let at = keys.iter().position(|k| k.id == id)?;
        Some(keys.remove(at))
    }

    pub fn user_mut(&mut self, uid: Uid) -> Option<&mut RamUser> {
        self.users.get_mut(&uid)
    }

    /// Every RAM user, in no particular order.
    pub fn users(&self) -> impl Iterator<Item = &RamUser> + '_ {
        self.users.values()
    }

    pub fn user(&self, uid: Uid) -> Option<&RamUser> {
        self.users.get(&uid)
    }

    /// A RAM user by name, case-insensitively.
    pub fn user_named(&self, name: &str) -> Option<&RamUser> {
        let uid = self.by_name.get(&name.to_ascii_lowercase())?;
        self.users.get(uid)
    }

    pub fn user_count(&self) -> usize {
        self.users.len()
    }

    pub fn users_in_creation_order(&self) -> Vec<&RamUser> {
        let mut users: Vec<&RamUser> = self.users.values().collect();
        users.sort_by_key(|u| (u.created, u.uid));
        users
    }

    /// Adds a user. The caller has checked that the name and uid are free.
    pub fn insert_user(&mut self, user: RamUser) {
        self.by_name
            .insert(user.name.to_ascii_lowercase(), user.uid);
        for key in &user.access_keys {
            self.key_owners.insert(key.id.clone(), Some(user.uid));
        }
        self.users.insert(user.uid, user);
    }

    /// Renames a user (its uid stays). The caller has checked that the new name is free.
    pub fn rename_user(&mut self, uid: Uid, new_name: &str) {
        if let Some(user) = self.users.get_mut(&uid) {
            self.by_name.remove(&user.name.to_ascii_lowercase());
            user.name = new_name.to_string();
            self.by_name.insert(new_name.to_ascii_lowercase(), uid);
        }
    }

    /// Deletes a user; its uid is never reused.
    pub fn remove_user(&mut self, uid: Uid) -> Option<RamUser> {
        let user = self.users.remove(&uid)?;
        self.by_name.remove(&user.name.to_ascii_lowercase());
        for key in &user.access_keys {
            self.key_owners.remove(&key.id);
        }
        Some(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_follow_the_ram_rules() {
        assert_eq!(check_user_name("han.mei-mei_1"), Ok(()));
        assert_eq!(check_user_name("a b"), Err(NameProblem::InvalidChars));
        assert_eq!(check_user_name("a@b"), Err(NameProblem::InvalidChars));
        assert_eq!(check_user_name(""), Err(NameProblem::Length));
        assert_eq!(check_user_name(&"a".repeat(65)), Err(NameProblem::Length));
        assert_eq!(check_user_name(&"a".repeat(64)), Ok(()));
        assert_eq!(check_display_name(&"名".repeat(128)), Ok(()));
        assert_eq!(
            check_display_name(&"名".repeat(129)),
            Err(NameProblem::Length)
        );
    }

    #[test]
    fn users_are_found_by_name_case_insensitively_and_survive_a_round_trip() {
        let mut account = Account::new(AccountId(1), "Main", true);
        account.insert_user(RamUser::new(Uid(7), "HanMeimei", "HanMeimei", 1));
        account.insert_key(
            Some(Uid(7)),
            AccessKey {
                id: "LTAI00000000000000000001".into(),
                secret: "s".repeat(30),
                status: KeyStatus::Active,
                created: 2,
            },
        );
        assert_eq!(
            account.key("LTAI00000000000000000001").map(|(o, _)| o),
            Some(Some(Uid(7)))
        );
        assert_eq!(account.user_named("hanmeimei").map(|u| u.uid), Some(Uid(7)));
        let json = serde_json::to_string(&account).unwrap();
        let back: Account = serde_json::from_str(&json).unwrap();
        assert_eq!(back, account);
        assert!(account.set_key_status("LTAI00000000000000000001", KeyStatus::Inactive));
        assert!(account.remove_user(Uid(7)).is_some());
        assert!(account.user_named("hanmeimei").is_none());
        assert!(account.key("LTAI00000000000000000001").is_none());
    }
}
