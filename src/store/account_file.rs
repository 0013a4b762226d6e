//! The stored form of an account (JSON and the snapshot alike): its fields, its own keys and its
//! users as a list in creation order; the indexes are built anew when it is read. Snapshots of
//! version 4 and before are read in their own form (`legacy_v4`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::legacy_v4::{self, AccessKeyV4, CustomPolicyV4};
use crate::world::credentials::{AccessKey, CustomPolicy};
use crate::world::principal::AccountId;
use crate::world::ram_directory::RamDirectory;
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
    directory: DirectoryFile,
    ram_users: Vec<RamUser>,
}

/// The RAM directory as stored: snapshots of versions 6 and 7 have no roles and no STS
/// credentials.
struct DirectoryFile(RamDirectory);

#[derive(Deserialize)]
struct DirectoryV7 {
    groups: Vec<crate::world::groups::Group>,
    mfa_devices: Vec<crate::world::mfa::VirtualMfaDevice>,
    password_policy: crate::world::ram_settings::PasswordPolicy,
    preference: crate::world::ram_settings::SecurityPreference,
}

/// The last schema version whose directory had no roles.
const DIRECTORY_WITHOUT_ROLES: u32 = 7;

impl<'de> Deserialize<'de> for DirectoryFile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if !d.is_human_readable()
            && super::project_file::snapshot_version() <= DIRECTORY_WITHOUT_ROLES
        {
            let v7 = DirectoryV7::deserialize(d)?;
            return Ok(DirectoryFile(RamDirectory {
                groups: v7.groups,
                mfa_devices: v7.mfa_devices,
                password_policy: v7.password_policy,
                preference: v7.preference,
                roles: Vec::new(),
                sts_credentials: Vec::new(),
            }));
        }
        RamDirectory::deserialize(d).map(DirectoryFile)
    }
}

/// An account as a version 4 (or 3) snapshot stored it.
#[derive(Deserialize)]
struct AccountFileV4 {
    id: AccountId,
    login: String,
    real_name_verified: bool,
    alias: Option<String>,
    allow_user_to_manage_access_keys: bool,
    access_keys: Vec<AccessKeyV4>,
    custom_policies: Vec<CustomPolicyV4>,
    ram_users: Vec<RamUser>,
}

impl From<AccountFileV4> for AccountFile {
    fn from(v4: AccountFileV4) -> Self {
        AccountFile {
            id: v4.id,
            login: v4.login,
            real_name_verified: v4.real_name_verified,
            alias: v4.alias,
            allow_user_to_manage_access_keys: v4.allow_user_to_manage_access_keys,
            access_keys: legacy_v4::keys(v4.access_keys),
            custom_policies: v4.custom_policies.into_iter().map(Into::into).collect(),
            directory: DirectoryFile(RamDirectory::default()),
            ram_users: v4.ram_users,
        }
    }
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
    directory: &'a RamDirectory,
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
            directory: &self.directory,
            ram_users: self.users_in_creation_order(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Account {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f = if !d.is_human_readable() && legacy_v4::decoding() {
            AccountFileV4::deserialize(d)?.into()
        } else {
            AccountFile::deserialize(d)?
        };
        Ok(Account::restore(
            f.id,
            &f.login,
            f.real_name_verified,
            f.alias,
            f.allow_user_to_manage_access_keys,
            f.access_keys,
            f.custom_policies,
            f.directory.0,
            f.ram_users,
        ))
    }
}
