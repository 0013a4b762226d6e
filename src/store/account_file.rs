//! The stored form of an account (JSON and the snapshot alike): its fields, its own keys and its
//! users as a list in creation order; the indexes are built anew when it is read.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::world::credentials::{AccessKey, CustomPolicy};
use crate::world::principal::AccountId;
use crate::world::{Account, RamUser};

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

impl Serialize for Account {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        AccountRef {
            id: self.id,
            login: &self.login,
            real_name_verified: self.real_name_verified,
            alias: &self.alias,
            allow_user_to_manage_access_keys: self.allow_user_to_manage_access_keys,
            access_keys: self.own_keys(),
            custom_policies: &self.custom_policies,
            ram_users: self.users_in_creation_order(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Account {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f = AccountFile::deserialize(d)?;
        Ok(Account::restore(
            f.id,
            &f.login,
            f.real_name_verified,
            f.alias,
            f.allow_user_to_manage_access_keys,
            f.access_keys,
            f.custom_policies,
            f.ram_users,
        ))
    }
}
