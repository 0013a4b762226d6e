//! Facts of virtual MFA devices → the home account's devices, bound to the users built. With
//! console log-ons (set on each user in `build.rs`) they are what `DeleteUser` refuses to
//! delete a user with, so an imported world's off-boarding plan unbinds and deletes them.

use super::build::Builder;
use super::facts::Facts;
use super::report::Kind;
use super::texts;
use crate::world::Uid;
use crate::world::mfa::{MfaBinding, VirtualMfaDevice};

/// How many devices were built, and how many of them are bound.
pub(super) struct BuiltDevices(usize, usize);

impl Builder<'_> {
    /// The devices `ListVirtualMFADevices` shows, into the home account (after its users).
    pub(super) fn mfa_devices(&mut self, facts: &Facts) -> BuiltDevices {
        let home = self.world.home;
        let now = self.world.clock.now;
        let Some(account) = self.world.accounts.get_mut(&home) else {
            return BuiltDevices(0, 0);
        };
        let mut bound = 0;
        let devices = facts.mfa_devices.iter().flatten().map(|d| {
            let binding = d.bound.as_ref().map(|(user, uid, activated)| {
                bound += 1;
                // The user as built (its UserId may be new), else the id the listing shows.
                let uid = account.user_named(user).map_or(Uid(*uid), |u| u.uid);
                MfaBinding {
                    uid,
                    activated: *activated,
                }
            });
            let name = d
                .serial_number
                .rsplit_once(":mfa/")
                .map_or(d.serial_number.as_str(), |(_, name)| name);
            VirtualMfaDevice {
                serial_number: d.serial_number.clone(),
                name: name.to_string(),
                seed: String::new(),
                created: binding.map_or(now, |b| b.activated),
                binding,
            }
        });
        let devices: Vec<VirtualMfaDevice> = devices.collect();
        let n = devices.len();
        account.directory.mfa_devices.extend(devices);
        BuiltDevices(n, bound)
    }

    /// The report's lines about the devices: what was built, or that no capture lists them
    /// when there are users they could be bound to.
    pub(super) fn report_mfa(&mut self, facts: &Facts, users: usize, built: BuiltDevices) {
        let BuiltDevices(n, bound) = built;
        if facts.mfa_devices.is_some() {
            self.report.push(Kind::Built, texts::mfa_devices(n, bound));
        } else if users > 0 {
            self.report
                .push(Kind::NotInferred, texts::MFA_DEVICES_NOT_CAPTURED.into());
        }
    }
}
