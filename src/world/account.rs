//! An Alibaba Cloud account and its RAM users.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::credentials::{AccessKey, CustomPolicy, KeyStatus};
use super::index::PositionIndex;
use super::principal::{AccountId, Uid};
use super::ram_directory::RamDirectory;

pub use super::ram_user::{Contact, RamUser};

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
    /// Groups, MFA devices, the password policy and the security preference.
    pub directory: RamDirectory,
    users: Vec<RamUser>,
    /// Positions in `users` by uid.
    by_uid: PositionIndex,
    /// Positions in `users` by lower-cased name (RAM user names are case-insensitive), built
    /// at the first lookup by name: listing a million members never needs it.
    by_name: OnceLock<PositionIndex>,
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
            && self.directory == other.directory
            && self.users.len() == other.users.len()
            && self
                .users
                .iter()
                .all(|u| other.user(u.uid).is_some_and(|o| o == u))
    }
}

impl Eq for Account {}

impl Account {
    /// An account as a file holds it: its own keys, its custom policies and its users (in
    /// creation order), indexed anew.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn restore(
        id: AccountId,
        login: &str,
        real_name_verified: bool,
        alias: Option<String>,
        allow_user_to_manage_access_keys: bool,
        access_keys: Vec<AccessKey>,
        custom_policies: Vec<CustomPolicy>,
        directory: RamDirectory,
        users: Vec<RamUser>,
    ) -> Account {
        let mut account = Account::new(id, login, real_name_verified);
        account.alias = alias;
        account.allow_user_to_manage_access_keys = allow_user_to_manage_access_keys;
        account.custom_policies = custom_policies;
        account.directory = directory;
        for key in access_keys {
            account.key_owners.insert(key.id.clone(), None);
            account.access_keys.push(key);
        }
        account.set_users(users);
        account
    }

    pub fn new(id: AccountId, login: &str, real_name_verified: bool) -> Self {
        Account {
            id,
            login: login.to_string(),
            real_name_verified,
            alias: None,
            allow_user_to_manage_access_keys: false,
            access_keys: Vec::new(),
            custom_policies: Vec::new(),
            directory: RamDirectory::default(),
            users: Vec::new(),
            by_uid: PositionIndex::default(),
            by_name: OnceLock::new(),
            key_owners: HashMap::new(),
        }
    }

    /// Takes `users` as the account's users, building the uid index once. A uid that repeats
    /// keeps its last user, as inserting them one by one would.
    fn set_users(&mut self, mut users: Vec<RamUser>) {
        for user in &users {
            for key in user.access_keys() {
                self.key_owners.insert(key.id.clone(), Some(user.uid));
            }
        }
        self.by_name = OnceLock::new();
        let built = PositionIndex::build(
            users.len(),
            |k, p| k.u64(users[p].uid.0),
            |a, b| users[a].uid == users[b].uid,
        );
        match built {
            Some(by_uid) => {
                users.shrink_to_fit();
                self.users = users;
                self.by_uid = by_uid;
            }
            None => {
                self.by_uid = PositionIndex::default();
                self.users = Vec::new();
                for user in users {
                    self.insert_user(user);
                }
            }
        }
    }

    /// The name index, built on first use.
    fn names(&self) -> &PositionIndex {
        self.by_name.get_or_init(|| {
            let users = &self.users;
            let hash = |k: &super::index::KeyHasher, p: usize| k.folded(users[p].name());
            let same = |a: usize, b: usize| users[a].name().eq_ignore_ascii_case(users[b].name());
            PositionIndex::build(users.len(), hash, same).unwrap_or_else(|| {
                // Names that repeat (a file edited by hand): every user is indexed, and a
                // lookup finds one of them.
                let mut index = PositionIndex::with_capacity(users.len());
                for pos in 0..users.len() {
                    let h = hash(index.hasher(), pos);
                    index.insert(h, pos, hash);
                }
                index
            })
        })
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
            Some(uid) => self.user(uid).map_or(&[], |u| u.access_keys()),
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
            Some(uid) => self.user_mut(uid).map(|u| u.access_keys_mut()),
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

    /// An AccessKey of this account, to change what the service records about it (its last
    /// use); its id and owner never change.
    pub fn key_mut(&mut self, id: &str) -> Option<&mut AccessKey> {
        let owner = *self.key_owners.get(id)?;
        self.keys_mut(owner)?.iter_mut().find(|k| k.id == id)
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
        let index = self.names();
        let hash = index.hasher().folded(name);
        let pos = index.find(hash, |p| self.users[p].name().eq_ignore_ascii_case(name))?;
        self.users.get(pos)
    }

    /// The policies `uid` holds: its own, then its groups' (in the order of the groups).
    pub fn policies_in_force(
        &self,
        uid: Uid,
    ) -> impl Iterator<Item = &super::credentials::PolicyAttachment> + '_ {
        let own = self.user(uid).map(|u| u.policies()).unwrap_or_default();
        own.iter().chain(self.directory.group_policies_of(uid))
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
        for key in user.access_keys() {
            self.key_owners.insert(key.id.clone(), Some(user.uid));
        }
        let pos = self.users.len();
        let uid_hash = self.by_uid.hasher().u64(user.uid.0);
        self.users.push(user);
        let users = &self.users;
        self.by_uid
            .insert(uid_hash, pos, |k, p| k.u64(users[p].uid.0));
        if let Some(by_name) = self.by_name.get_mut() {
            let hash = by_name.hasher().folded(users[pos].name());
            by_name.insert(hash, pos, |k, p| k.folded(users[p].name()));
        }
    }

    /// Renames a user (its uid and display name stay). The caller has checked that the new
    /// name is free.
    pub fn rename_user(&mut self, uid: Uid, new_name: &str) {
        let Some(pos) = self.position(uid) else {
            return;
        };
        if let Some(by_name) = self.by_name.get_mut() {
            let old_hash = by_name.hasher().folded(self.users[pos].name());
            by_name.remove(old_hash, pos);
        }
        self.users[pos].set_name(new_name);
        if let Some(by_name) = self.by_name.get_mut() {
            let hash = by_name.hasher().folded(new_name);
            let users = &self.users;
            by_name.insert(hash, pos, |k, p| k.folded(users[p].name()));
        }
    }

    /// Deletes a user; its uid is never reused. It leaves its groups, and its MFA device is
    /// unbound.
    pub fn remove_user(&mut self, uid: Uid) -> Option<RamUser> {
        let pos = self.position(uid)?;
        self.directory.forget_user(uid);
        self.by_uid.remove(self.by_uid.hasher().u64(uid.0), pos);
        if let Some(by_name) = self.by_name.get_mut() {
            by_name.remove(by_name.hasher().folded(self.users[pos].name()), pos);
        }
        let user = self.users.swap_remove(pos);
        // The last user moved into the freed place.
        if let Some(moved) = self.users.get(pos) {
            let last = self.users.len();
            self.by_uid
                .moved(self.by_uid.hasher().u64(moved.uid.0), last, pos);
            if let Some(by_name) = self.by_name.get_mut() {
                by_name.moved(by_name.hasher().folded(moved.name()), last, pos);
            }
        }
        for key in user.access_keys() {
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
                last_used: None,
                imported: false,
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
