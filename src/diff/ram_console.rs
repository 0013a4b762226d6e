//! Console access in a change set: console log-ons and virtual MFA devices. RAM refuses
//! `DeleteUser` while either is there, so a device is unbound (and deleted when B lacks it)
//! before the users go, and a log-on goes with its user. What needs a secret nobody captured
//! (a log-on's password, an authenticator's codes for a new device) is a comment line alone.

use super::view::RamView;
use super::{ChangeSet, texts};
use crate::world::credentials::LoginProfile;

/// Devices bound otherwise in B are unbound, devices B lacks deleted (before the users go).
pub fn device_removals(a: &RamView<'_>, b: &RamView<'_>, set: &mut ChangeSet) {
    for (serial, device) in &a.devices {
        let theirs = b.devices.get(serial);
        if let Some(user) = device.user
            && theirs.and_then(|t| t.user) != Some(user)
        {
            set.push(
                texts::unbind_device(user, serial),
                format!("aliyun ram UnbindMFADevice --UserName {user}"),
            );
        }
        if theirs.is_none() {
            set.push(
                texts::delete_device(serial),
                format!("aliyun ram DeleteVirtualMFADevice --SerialNumber {serial}"),
            );
        }
    }
}

/// Devices A lacks are created; a binding B has and A lacks is a note (it needs two codes from
/// an authenticator set up with the new device's seed).
pub fn device_creations(a: &RamView<'_>, b: &RamView<'_>, set: &mut ChangeSet) {
    for (serial, device) in &b.devices {
        let ours = a.devices.get(serial);
        if ours.is_none() {
            set.push(
                texts::create_device(serial),
                format!(
                    "aliyun ram CreateVirtualMFADevice --VirtualMFADeviceName {}",
                    device.name
                ),
            );
        }
        if let Some(user) = device.user
            && ours.and_then(|o| o.user) != Some(user)
        {
            set.note(texts::bind_device(user, serial));
        }
    }
}

/// A user's console log-on goes when B's user has none or is gone (`theirs`: B's log-on, if
/// B's user has one).
pub fn login_removal(
    user: &str,
    ours: Option<&LoginProfile>,
    theirs: Option<&LoginProfile>,
    set: &mut ChangeSet,
) {
    if ours.is_some() && theirs.is_none() {
        set.push(
            texts::login_profile(user),
            format!("aliyun ram DeleteLoginProfile --UserName {user}"),
        );
    }
}

/// A log-on only B's user has is a note (it needs a password, which no world keeps); one whose
/// switches differ is updated.
pub fn login_creation(
    user: &str,
    ours: Option<&LoginProfile>,
    theirs: Option<&LoginProfile>,
    set: &mut ChangeSet,
) {
    match (ours, theirs) {
        (None, Some(_)) => set.note(texts::create_login_profile(user)),
        (Some(o), Some(t))
            if o.password_reset_required != t.password_reset_required
                || o.mfa_bind_required != t.mfa_bind_required =>
        {
            set.push(
                texts::login_switches(user),
                format!(
                    "aliyun ram UpdateLoginProfile --UserName {user} --PasswordResetRequired {} --MFABindRequired {}",
                    t.password_reset_required, t.mfa_bind_required
                ),
            );
        }
        _ => {}
    }
}
