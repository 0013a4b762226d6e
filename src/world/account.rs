//! An Alibaba Cloud account and its RAM users.

use std::collections::HashMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::index::PositionIndex;

use super::credentials::{AccessKey, CustomPolicy, KeyStatus, LoginProfile, PolicyAttachment};
use super::principal::{AccountId, Uid};

/// A RAM user (a sub-account of a main account).
///
/// The name is private: the account indexes users by it, so only [`Account::rename_user`]
/// changes it. The display name is kept only when it differs from the name (it usually does not,
/// and a million users should not carry every name twice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RamUser {
    pub uid: Uid,
    name: Box<str>,
    /// `None`: the same as the name.
    display_name: Option<Box<str>>,
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
        let mut user = RamUser {
            uid,
            name: name.into(),
            display_name: None,
            comments: String::new(),
            created: now,
            updated: now,
            access_keys: Vec::new(),
            login_profile: None,
            policies: Vec::new(),
        };
        user.set_display_name(display_name);
        user
    }

    /// The log-on name (unique in its account, case-insensitively).
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn display_name(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.name)
    }

    pub fn set_display_name(&mut self, display_name: &str) {
        self.display_name = (display_name != &*self.name).then(|| display_name.into());
    }
}

/// The stored form of a RAM user (field order is the JSON file's).
#[derive(Serialize)]
struct RamUserRef<'a> {
    uid: Uid,
    name: &'a str,
    display_name: &'a str,
    comments: &'a str,
    created: u64,
    updated: u64,
    access_keys: &'a [AccessKey],
    login_profile: &'a Option<LoginProfile>,
    policies: &'a [PolicyAttachment],
}

#[derive(Deserialize)]
struct RamUserFile {
    uid: Uid,
    name: Box<str>,
    display_name: Box<str>,
    comments: String,
    created: u64,
    updated: u64,
    access_keys: Vec<AccessKey>,
    login_profile: Option<LoginProfile>,
    policies: Vec<PolicyAttachment>,
}

impl Serialize for RamUser {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        RamUserRef {
            uid: self.uid,
            name: &self.name,
            display_name: self.display_name(),
            comments: &self.comments,
            created: self.created,
            updated: self.updated,
            access_keys: &self.access_keys,
            login_profile: &self.login_profile,
            policies: &self.policies,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for RamUser {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f = RamUserFile::deserialize(d)?;
        let display_name = (f.display_name != f.name).then_some(f.display_name);
        Ok(RamUser {
            uid: f.uid,
            name: f.name,
            display_name,
            comments: f.comments,
            created: f.created,
            updated: f.updated,
            access_keys: f.access_keys,
            login_profile: f.login_profile,
            policies: f.policies,
        })
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
#[derive(Deserialize)]
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

#[derive(Serialize)]
struct AccountRef<'a> {
    id: AccountId,
    login: &'a str,
    real_name_verified: bool,
    alias: &'a Option<String>,
    allow_user_to_manage_access_keys: bool,
    access_keys: &'a [AccessKey],
    custom_policies: &'a [CustomPolicy],
    ram_users: Vec<&'a RamUser>,
}

/// An Alibaba Cloud (main) account.
///
/// Its RAM users live in one vector (in creation order unless deletions moved some), found by
/// uid and by lower-cased name through position indexes that store no second copy of either.
#[derive(Debug, Clone)]
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
    users: Vec<RamUser>,
    /// Positions in `users` by uid.
    by_uid: PositionIndex,
    /// Positions in `users` by lower-cased name (RAM user names are case-insensitive).
    by_name: PositionIndex,
    /// AccessKey id → its owner: `None` for the main account, else the RAM user.
    key_owners: HashMap<String, Option<Uid>>,
}

/// Two accounts are equal when they hold the same users, wherever each sits in memory.
impl PartialEq for Account {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.login == other.login
            && self.real_name_verified == other.real_name_verified
            && self.alias == other.alias
            && self.allow_user_to_manage_access_keys == other.allow_user_to_manage_access_keys
            && self.access_keys == other.access_keys
            && self.custom_policies == other.custom_policies
            && self.users.len() == other.users.len()
            && self
                .users
                .iter()
                .all(|u| other.user(u.uid).is_some_and(|o| o == u))
    }
}

impl Eq for Account {}

impl Serialize for Account {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        AccountRef {
            id: self.id,
            login: &self.login,
            real_name_verified: self.real_name_verified,
            alias: &self.alias,
            allow_user_to_manage_access_keys: self.allow_user_to_manage_access_keys,
            access_keys: &self.access_keys,
            custom_policies: &self.custom_policies,
            ram_users: self.users_in_creation_order(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Account {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let file = AccountFile::deserialize(d)?;
        let mut account = Account::new(file.id, &file.login, file.real_name_verified);
        account.alias = file.alias;
        account.allow_user_to_manage_access_keys = file.allow_user_to_manage_access_keys;
        account.custom_policies = file.custom_policies;
        for key in file.access_keys {
            account.key_owners.insert(key.id.clone(), None);
            account.access_keys.push(key);
        }
        account.set_users(file.ram_users);
        Ok(account)
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
            users: Vec::new(),
            by_uid: PositionIndex::default(),
            by_name: PositionIndex::default(),
            key_owners: HashMap::new(),
        }
    }

    /// Takes `users` as the account's users, building the indexes once. A uid that repeats
    /// keeps its last user, as inserting them one by one would.
    fn set_users(&mut self, users: Vec<RamUser>) {
        self.by_uid = PositionIndex::with_capacity(users.len());
        self.by_name = PositionIndex::with_capacity(users.len());
        self.users = Vec::new();
        let mut users = users;
        let mut duplicates = false;
        for (pos, user) in users.iter().enumerate() {
            let hash = self.by_uid.hasher().u64(user.uid.0);
            if self
                .by_uid
                .find(hash, |p| users[p].uid == user.uid)
                .is_some()
            {
                duplicates = true;
                break;
            }
            self.by_uid.insert(hash, pos, |k, p| k.u64(users[p].uid.0));
        }
        if duplicates {
            self.by_uid = PositionIndex::default();
            self.by_name = PositionIndex::default();
            for user in users {
                self.insert_user(user);
            }
            return;
        }
        for (pos, user) in users.iter().enumerate() {
            let hash = self.by_name.hasher().folded(&user.name);
            self.by_name
                .insert(hash, pos, |k, p| k.folded(&users[p].name));
            for key in &user.access_keys {
                self.key_owners.insert(key.id.clone(), Some(user.uid));
            }
        }
        users.shrink_to_fit();
        self.users = users;
    }

    fn position(&self, uid: Uid) -> Option<usize> {
        let hash = self.by_uid.hasher().u64(uid.0);
        self.by_uid.find(hash, |p| self.users[p].uid == uid)
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
            Some(uid) => self.user(uid).map_or(&[], |u| u.access_keys.as_slice()),
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
            Some(uid) => self.user_mut(uid).map(|u| &mut u.access_keys),
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

    /// A user to change; its name changes only through [`Account::rename_user`].
    pub fn user_mut(&mut self, uid: Uid) -> Option<&mut RamUser> {
        let pos = self.position(uid)?;
        self.users.get_mut(pos)
    }

    /// Every RAM user, in no particular order.
    pub fn users(&self) -> impl Iterator<Item = &RamUser> + '_ {
        self.users.iter()
    }

    pub fn user(&self, uid: Uid) -> Option<&RamUser> {
        self.position(uid).and_then(|p| self.users.get(p))
    }

    /// A RAM user by name, case-insensitively.
    pub fn user_named(&self, name: &str) -> Option<&RamUser> {
        let hash = self.by_name.hasher().folded(name);
        let pos = self
            .by_name
            .find(hash, |p| self.users[p].name.eq_ignore_ascii_case(name))?;
        self.users.get(pos)
    }

    pub fn user_count(&self) -> usize {
        self.users.len()
    }

    /// Users by creation time (then uid). The vector is in that order unless deletions moved
    /// users, and sorting a sorted vector is one pass.
    pub fn users_in_creation_order(&self) -> Vec<&RamUser> {
        let mut users: Vec<&RamUser> = self.users.iter().collect();
        users.sort_by_key(|u| (u.created, u.uid));
        users
    }

    /// Adds a user. The caller has checked that the name and uid are free (a user with the
    /// same uid is replaced).
    pub fn insert_user(&mut self, user: RamUser) {
        if self.position(user.uid).is_some() {
            self.remove_user(user.uid);
        }
        for key in &user.access_keys {
            self.key_owners.insert(key.id.clone(), Some(user.uid));
        }
        let pos = self.users.len();
        let uid_hash = self.by_uid.hasher().u64(user.uid.0);
        let name_hash = self.by_name.hasher().folded(&user.name);
        self.users.push(user);
        let users = &self.users;
        self.by_uid
            .insert(uid_hash, pos, |k, p| k.u64(users[p].uid.0));
        self.by_name
            .insert(name_hash, pos, |k, p| k.folded(&users[p].name));
    }

    /// Renames a user (its uid and display name stay). The caller has checked that the new
    /// name is free.
    pub fn rename_user(&mut self, uid: Uid, new_name: &str) {
        let Some(pos) = self.position(uid) else {
            return;
        };
        let old_hash = self.by_name.hasher().folded(&self.users[pos].name);
        self.by_name.remove(old_hash, pos);
        let user = &mut self.users[pos];
        let display = user.display_name().to_string();
        user.name = new_name.into();
        user.set_display_name(&display);
        let new_hash = self.by_name.hasher().folded(new_name);
        let users = &self.users;
        self.by_name
            .insert(new_hash, pos, |k, p| k.folded(&users[p].name));
    }

    /// Deletes a user; its uid is never reused.
    pub fn remove_user(&mut self, uid: Uid) -> Option<RamUser> {
        let pos = self.position(uid)?;
        let (uid_hash, name_hash) = {
            let u = &self.users[pos];
            (
                self.by_uid.hasher().u64(u.uid.0),
                self.by_name.hasher().folded(&u.name),
            )
        };
        self.by_uid.remove(uid_hash, pos);
        self.by_name.remove(name_hash, pos);
        let user = self.users.swap_remove(pos);
        // The last user moved into the freed place.
        if let Some(moved) = self.users.get(pos) {
            let last = self.users.len();
            let (u, n) = (
                self.by_uid.hasher().u64(moved.uid.0),
                self.by_name.hasher().folded(&moved.name),
            );
            self.by_uid.moved(u, last, pos);
            self.by_name.moved(n, last, pos);
        }
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
