//! Virtual MFA devices: created in an account, then bound to at most one RAM user each (a user
//! has at most one). A bound device must be unbound before it can be deleted, and a user with a
//! device cannot be deleted.

use serde::{Deserialize, Serialize};

use super::principal::{AccountId, Uid};

/// At most this many virtual MFA devices in an account.
pub const MFA_DEVICES_PER_ACCOUNT: usize = 1000;

/// A device bound to a user, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaBinding {
    pub uid: Uid,
    pub activated: u64,
}

/// A virtual MFA device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualMfaDevice {
    /// `acs:ram::<account id>:mfa/<name>`.
    pub serial_number: String,
    pub name: String,
    /// The Base32 seed an authenticator app is given (shown only when the device is created).
    pub seed: String,
    pub created: u64,
    pub binding: Option<MfaBinding>,
}

/// The serial number of the device `name` of `account`.
pub fn serial_number(account: AccountId, name: &str) -> String {
    format!("acs:ram::{account}:mfa/{name}")
}

/// Device names: 1–64 letters, digits, `.`, `-` or `_`.
pub fn check_device_name(name: &str) -> Result<(), super::NameProblem> {
    super::account::check_user_name(name)
}

/// Whether `code` looks like an authenticator's code: six digits. The simulated devices have no
/// clock shared with an app, so any six digits are taken as the code of that moment.
pub fn valid_code(code: &str) -> bool {
    code.len() == 6 && code.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_numbers_and_codes() {
        assert_eq!(
            serial_number(AccountId(5_527_380_164_285_788), "alice-phone"),
            "acs:ram::5527380164285788:mfa/alice-phone"
        );
        assert!(valid_code("123456"));
        assert!(!valid_code("12345"));
        assert!(!valid_code("12345a"));
        assert!(check_device_name("alice phone").is_err());
    }
}
