//! A RAM user, kept small: a million of them are a million of these in one vector. What most
//! users never have (comments, AccessKeys, console access, policies) lives in one boxed part
//! that exists only for users that have any of it. Its stored forms are in
//! `store/ram_user_file.rs`.

use super::credentials::{AccessKey, LoginProfile, PolicyAttachment};
use super::principal::Uid;

/// What few RAM users have.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Extras {
    comments: String,
    access_keys: Vec<AccessKey>,
    login_profile: Option<LoginProfile>,
    policies: Vec<PolicyAttachment>,
    contact: Contact,
}

/// What `CreateUser`/`UpdateUser` take besides names and comments, and when the user last
/// logged on to the console (China site fields: `Email`, `MobilePhone`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    pub email: String,
    /// `<country code>-<number>`.
    pub mobile_phone: String,
    pub last_login: Option<u64>,
}

/// A RAM user (a sub-account of a main account).
///
/// The name is private: the account indexes users by it, so only
/// [`super::Account::rename_user`] changes it. The display name is kept only when it differs
/// from the name (it usually does not, and a million users should not carry every name twice).
#[derive(Debug, Clone)]
pub struct RamUser {
    pub uid: Uid,
    name: Box<str>,
    /// `None`: the same as the name.
    display_name: Option<Box<str>>,
    pub created: u64,
    pub updated: u64,
    extras: Option<Box<Extras>>,
}

/// Users are equal when everything about them is, however it is stored.
impl PartialEq for RamUser {
    fn eq(&self, other: &Self) -> bool {
        self.uid == other.uid
            && self.name == other.name
            && self.display_name() == other.display_name()
            && self.created == other.created
            && self.updated == other.updated
            && self.comments() == other.comments()
            && self.access_keys() == other.access_keys()
            && self.login_profile() == other.login_profile()
            && self.policies() == other.policies()
            && self.contact() == other.contact()
    }
}

impl Eq for RamUser {}

const NO_EXTRAS: &Extras = &Extras {
    comments: String::new(),
    access_keys: Vec::new(),
    login_profile: None,
    policies: Vec::new(),
    contact: Contact {
        email: String::new(),
        mobile_phone: String::new(),
        last_login: None,
    },
};

impl RamUser {
    /// A new user with no keys, no console access and no policies.
    pub fn new(uid: Uid, name: &str, display_name: &str, now: u64) -> Self {
        let mut user = RamUser {
            uid,
            name: name.into(),
            display_name: None,
            created: now,
            updated: now,
            extras: None,
        };
        user.set_display_name(display_name);
        user
    }

    /// The log-on name (unique in its account, case-insensitively).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Changes the name; only the account may (it indexes users by name).
    pub(super) fn set_name(&mut self, name: &str) {
        let display = self.display_name().to_string();
        self.name = name.into();
        self.set_display_name(&display);
    }

    pub fn display_name(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.name)
    }

    /// The display name when it differs from the name (what the snapshot stores).
    pub(crate) fn own_display_name(&self) -> Option<&str> {
        self.display_name.as_deref()
    }

    pub fn set_display_name(&mut self, display_name: &str) {
        self.display_name = (display_name != &*self.name).then(|| display_name.into());
    }

    fn extras(&self) -> &Extras {
        self.extras.as_deref().unwrap_or(NO_EXTRAS)
    }

    fn extras_mut(&mut self) -> &mut Extras {
        self.extras.get_or_insert_with(Default::default)
    }

    pub fn comments(&self) -> &str {
        &self.extras().comments
    }

    pub fn set_comments(&mut self, comments: String) {
        if !comments.is_empty() || self.extras.is_some() {
            self.extras_mut().comments = comments;
        }
    }

    /// At most two, active or not.
    pub fn access_keys(&self) -> &[AccessKey] {
        &self.extras().access_keys
    }

    /// Only the account's methods change keys (it indexes them).
    pub(super) fn access_keys_mut(&mut self) -> &mut Vec<AccessKey> {
        &mut self.extras_mut().access_keys
    }

    pub fn login_profile(&self) -> Option<&LoginProfile> {
        self.extras().login_profile.as_ref()
    }

    pub fn set_login_profile(&mut self, profile: Option<LoginProfile>) {
        if profile.is_some() || self.extras.is_some() {
            self.extras_mut().login_profile = profile;
        }
    }

    pub fn policies(&self) -> &[PolicyAttachment] {
        &self.extras().policies
    }

    pub fn policies_mut(&mut self) -> &mut Vec<PolicyAttachment> {
        &mut self.extras_mut().policies
    }

    pub fn contact(&self) -> &Contact {
        &self.extras().contact
    }

    /// Changes the contact fields (only what `change` touches).
    pub fn update_contact(&mut self, change: impl FnOnce(&mut Contact)) {
        let mut contact = self.contact().clone();
        change(&mut contact);
        if contact != *self.contact() {
            self.extras_mut().contact = contact;
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_parts(
        uid: Uid,
        name: Box<str>,
        display_name: Option<Box<str>>,
        comments: String,
        created: u64,
        updated: u64,
        access_keys: Vec<AccessKey>,
        login_profile: Option<LoginProfile>,
        policies: Vec<PolicyAttachment>,
        contact: Contact,
    ) -> Self {
        let extras = Extras {
            comments,
            access_keys,
            login_profile,
            policies,
            contact,
        };
        let display_name = display_name.filter(|d| **d != *name);
        RamUser {
            uid,
            name,
            display_name,
            created,
            updated,
            extras: (extras != *NO_EXTRAS).then(|| Box::new(extras)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_user_carries_no_extras_and_equality_ignores_how_it_is_stored() {
        let mut user = RamUser::new(Uid(1), "bob", "bob", 5);
        assert!(user.extras.is_none());
        let plain = user.clone();
        user.set_comments(String::new());
        user.set_login_profile(None);
        assert!(user.extras.is_none());
        user.policies_mut();
        assert!(user.extras.is_some());
        assert_eq!(user, plain, "an empty extra part is no difference");
        user.set_display_name("Bob");
        user.set_name("robert");
        assert_eq!((user.name(), user.display_name()), ("robert", "Bob"));
        assert_eq!(std::mem::size_of::<RamUser>(), 64);
    }
}
