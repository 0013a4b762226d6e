//! The stored forms of a RAM user: JSON writes every field (the display name even when it is the
//! name, field order the file's), the snapshot the display name only when it differs. One form
//! each way serves both, told apart by the display name's type; snapshots of version 4 and
//! before are read in their own form (no contact fields, keys without their last use).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::legacy_v4::{self, AccessKeyV4};
use crate::world::RamUser;
use crate::world::account::Contact;
use crate::world::credentials::{AccessKey, LoginProfile, PolicyAttachment};
use crate::world::principal::Uid;

/// A RAM user as written: `D` is `&str` (JSON) or `Option<&str>` (the snapshot).
#[derive(Serialize)]
struct RamUserRef<'a, D> {
    uid: Uid,
    name: &'a str,
    display_name: D,
    comments: &'a str,
    created: u64,
    updated: u64,
    access_keys: &'a [AccessKey],
    login_profile: Option<&'a LoginProfile>,
    policies: &'a [PolicyAttachment],
    contact: &'a Contact,
}

/// A RAM user as read: `D` is `Box<str>` (JSON) or `Option<Box<str>>` (the snapshot).
#[derive(Deserialize)]
struct RamUserForm<D> {
    uid: Uid,
    name: Box<str>,
    display_name: D,
    comments: String,
    created: u64,
    updated: u64,
    access_keys: Vec<AccessKey>,
    login_profile: Option<LoginProfile>,
    policies: Vec<PolicyAttachment>,
    contact: Contact,
}

/// A RAM user as a version 4 (or 3) snapshot stored it.
#[derive(Deserialize)]
struct RamUserFormV4 {
    uid: Uid,
    name: Box<str>,
    display_name: Option<Box<str>>,
    comments: String,
    created: u64,
    updated: u64,
    access_keys: Vec<AccessKeyV4>,
    login_profile: Option<LoginProfile>,
    policies: Vec<PolicyAttachment>,
}

impl From<RamUserFormV4> for RamUserForm<Option<Box<str>>> {
    fn from(v4: RamUserFormV4) -> Self {
        RamUserForm {
            uid: v4.uid,
            name: v4.name,
            display_name: v4.display_name,
            comments: v4.comments,
            created: v4.created,
            updated: v4.updated,
            access_keys: legacy_v4::keys(v4.access_keys),
            login_profile: v4.login_profile,
            policies: v4.policies,
            contact: Contact::default(),
        }
    }
}

impl<D> RamUserForm<D> {
    /// The user, its display name as `display` reads the stored one.
    fn into_user(self, display: impl FnOnce(D) -> Option<Box<str>>) -> RamUser {
        RamUser::from_parts(
            self.uid,
            self.name,
            display(self.display_name),
            self.comments,
            self.created,
            self.updated,
            self.access_keys,
            self.login_profile,
            self.policies,
            self.contact,
        )
    }
}

impl<'a, D> RamUserRef<'a, D> {
    fn of(user: &'a RamUser, display_name: D) -> Self {
        RamUserRef {
            uid: user.uid,
            name: user.name(),
            display_name,
            comments: user.comments(),
            created: user.created,
            updated: user.updated,
            access_keys: user.access_keys(),
            login_profile: user.login_profile(),
            policies: user.policies(),
            contact: user.contact(),
        }
    }
}

impl Serialize for RamUser {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            RamUserRef::of(self, self.display_name()).serialize(s)
        } else {
            RamUserRef::of(self, self.own_display_name()).serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for RamUser {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            Ok(RamUserForm::<Box<str>>::deserialize(d)?.into_user(Some))
        } else if legacy_v4::decoding() {
            let form: RamUserForm<Option<Box<str>>> = RamUserFormV4::deserialize(d)?.into();
            Ok(form.into_user(|d| d))
        } else {
            Ok(RamUserForm::<Option<Box<str>>>::deserialize(d)?.into_user(|d| d))
        }
    }
}
