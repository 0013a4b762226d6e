//! What an account's RAM holds besides its users, keys and custom policies: user groups,
//! virtual MFA devices, the password policy, the security preference, RAM roles and the STS
//! credentials issued for them. Few per account (at most 50 groups, 1,000 roles), so each is a
//! plain list searched in order.

use serde::{Deserialize, Serialize};

use super::credentials::PolicyAttachment;
use super::groups::Group;
use super::mfa::VirtualMfaDevice;
use super::principal::Uid;
use super::ram_roles::{EXPIRED_KEPT_FOR, RamRole, StsCredential};
use super::ram_settings::{PasswordPolicy, SecurityPreference};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RamDirectory {
    /// In creation order.
    pub groups: Vec<Group>,
    /// In creation order.
    pub mfa_devices: Vec<VirtualMfaDevice>,
    pub password_policy: PasswordPolicy,
    pub preference: SecurityPreference,
    /// In creation order (schema version 8).
    pub roles: Vec<RamRole>,
    /// STS credentials, in the order they were issued; expired ones are kept a day.
    pub sts_credentials: Vec<StsCredential>,
}

impl RamDirectory {
    /// A group by name, case-insensitively.
    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups
            .iter()
            .find(|g| g.name.eq_ignore_ascii_case(name))
    }

    pub fn group_mut(&mut self, name: &str) -> Option<&mut Group> {
        self.groups
            .iter_mut()
            .find(|g| g.name.eq_ignore_ascii_case(name))
    }

    /// The groups `uid` is in, in the order they were created.
    pub fn groups_of(&self, uid: Uid) -> impl Iterator<Item = &Group> + '_ {
        self.groups.iter().filter(move |g| g.has_member(uid))
    }

    /// The policies `uid` holds through its groups.
    pub fn group_policies_of(&self, uid: Uid) -> impl Iterator<Item = &PolicyAttachment> + '_ {
        self.groups_of(uid).flat_map(|g| g.policies.iter())
    }

    /// A device by serial number.
    pub fn device(&self, serial: &str) -> Option<&VirtualMfaDevice> {
        self.mfa_devices.iter().find(|d| d.serial_number == serial)
    }

    pub fn device_mut(&mut self, serial: &str) -> Option<&mut VirtualMfaDevice> {
        self.mfa_devices
            .iter_mut()
            .find(|d| d.serial_number == serial)
    }

    /// The device bound to `uid`.
    pub fn device_of(&self, uid: Uid) -> Option<&VirtualMfaDevice> {
        self.mfa_devices
            .iter()
            .find(|d| d.binding.is_some_and(|b| b.uid == uid))
    }

    /// A RAM role by name, case-insensitively.
    pub fn role(&self, name: &str) -> Option<&RamRole> {
        self.roles
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name))
    }

    pub fn role_mut(&mut self, name: &str) -> Option<&mut RamRole> {
        self.roles
            .iter_mut()
            .find(|r| r.name.eq_ignore_ascii_case(name))
    }

    pub fn role_by_id(&self, id: u64) -> Option<&RamRole> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// An STS credential by its AccessKeyId.
    pub fn sts_credential(&self, access_key_id: &str) -> Option<&StsCredential> {
        self.sts_credentials
            .iter()
            .find(|c| c.access_key_id == access_key_id)
    }

    /// Keeps a newly issued credential, dropping those expired for more than a day.
    pub fn issue(&mut self, credential: StsCredential, now: u64) {
        self.sts_credentials
            .retain(|c| c.expires.saturating_add(EXPIRED_KEPT_FOR) > now);
        self.sts_credentials.push(credential);
    }

    /// Forgets a user that is gone: it leaves its groups and its device is unbound.
    pub fn forget_user(&mut self, uid: Uid) {
        for group in &mut self.groups {
            group.members.retain(|m| m.uid != uid);
        }
        for device in &mut self.mfa_devices {
            if device.binding.is_some_and(|b| b.uid == uid) {
                device.binding = None;
            }
        }
    }
}
