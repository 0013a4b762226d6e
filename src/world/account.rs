//! An Alibaba Cloud account and its RAM users.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::principal::{AccountId, Uid};

/// A RAM user (a sub-account of a main account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RamUser {
    pub uid: Uid,
    pub name: String,
    pub display_name: String,
    /// Seconds since the epoch on the world's clock.
    pub created: u64,
    pub updated: u64,
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
    users: HashMap<Uid, RamUser>,
    /// Lower-cased user name → uid (RAM user names are case-insensitive).
    by_name: HashMap<String, Uid>,
}

impl From<AccountFile> for Account {
    fn from(file: AccountFile) -> Self {
        let mut account = Account::new(file.id, &file.login, file.real_name_verified);
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
            users: HashMap::new(),
            by_name: HashMap::new(),
        }
    }

    /// The default domain RAM users log on with: `<alias>.onaliyun.com`, the alias being the id.
    pub fn default_domain(&self) -> String {
        format!("{}.onaliyun.com", self.id)
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
        self.users.insert(user.uid, user);
    }

    /// Deletes a user; its uid is never reused.
    pub fn remove_user(&mut self, uid: Uid) -> Option<RamUser> {
        let user = self.users.remove(&uid)?;
        self.by_name.remove(&user.name.to_ascii_lowercase());
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
        account.insert_user(RamUser {
            uid: Uid(7),
            name: "HanMeimei".into(),
            display_name: "HanMeimei".into(),
            created: 1,
            updated: 1,
        });
        assert_eq!(account.user_named("hanmeimei").map(|u| u.uid), Some(Uid(7)));
        let json = serde_json::to_string(&account).unwrap();
        let back: Account = serde_json::from_str(&json).unwrap();
        assert_eq!(back, account);
        assert!(account.remove_user(Uid(7)).is_some());
        assert!(account.user_named("hanmeimei").is_none());
    }
}
