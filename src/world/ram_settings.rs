//! Account-wide RAM settings: the password policy RAM users' passwords must meet, and the
//! security preference (what RAM users may do for themselves, how they log on). Both have the
//! service's defaults; `allow_user_to_manage_access_keys` is kept on the account itself.

use serde::{Deserialize, Serialize};

/// The password policy (`SetPasswordPolicy`), checked whenever a password is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    /// 8 to 32.
    pub minimum_password_length: u32,
    pub require_lowercase_characters: bool,
    pub require_uppercase_characters: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
    /// Days a password lasts (0: for ever), 0 to 1095.
    pub max_password_age: u32,
    /// Whether an expired password blocks log-on until an administrator resets it.
    pub hard_expiry: bool,
    /// How many previous passwords may not be reused, 0 to 24.
    pub password_reuse_prevention: u32,
    /// Wrong passwords within an hour before log-on is locked, 0 to 32 (spelt as the API
    /// spells it: `MaxLoginAttemps`).
    pub max_login_attemps: u32,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            minimum_password_length: 8,
            require_lowercase_characters: true,
            require_uppercase_characters: true,
            require_numbers: true,
            require_symbols: false,
            max_password_age: 0,
            hard_expiry: false,
            password_reuse_prevention: 0,
            max_login_attemps: 5,
        }
    }
}

/// Passwords are at most this many characters, whatever the policy.
pub const MAXIMUM_PASSWORD_LENGTH: usize = 32;

impl PasswordPolicy {
    /// Whether `password` meets the policy.
    pub fn admits(&self, password: &str) -> bool {
        let n = password.chars().count();
        let has = |f: fn(&char) -> bool| password.chars().any(|c| f(&c));
        n >= self.minimum_password_length as usize
            && n <= MAXIMUM_PASSWORD_LENGTH
            && (!self.require_lowercase_characters || has(char::is_ascii_lowercase))
            && (!self.require_uppercase_characters || has(char::is_ascii_uppercase))
            && (!self.require_numbers || has(char::is_ascii_digit))
            && (!self.require_symbols || has(|c| c.is_ascii_punctuation()))
    }
}

/// The security preference besides `AllowUserToManageAccessKeys` (`SetSecurityPreference`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityPreference {
    /// Remember an MFA log-on for 7 days.
    pub enable_save_mfa_ticket: bool,
    pub allow_user_to_change_password: bool,
    /// Hours a console log-on lasts, 6 to 24.
    pub login_session_duration: u32,
    /// The networks RAM users may log on to the console from, `;`-separated CIDR blocks (empty:
    /// anywhere). AccessKey calls are not limited by it.
    pub login_network_masks: String,
    pub allow_user_to_manage_mfa_devices: bool,
    pub allow_user_to_manage_public_keys: bool,
}

impl Default for SecurityPreference {
    fn default() -> Self {
        SecurityPreference {
            enable_save_mfa_ticket: false,
            allow_user_to_change_password: true,
            login_session_duration: 6,
            login_network_masks: String::new(),
            allow_user_to_manage_mfa_devices: true,
            allow_user_to_manage_public_keys: false,
        }
    }
}

/// At most this many networks in `LoginNetworkMasks`, and this many characters.
pub const LOGIN_NETWORK_MASKS: usize = 25;
pub const LOGIN_NETWORK_MASKS_LENGTH: usize = 512;

/// Whether `text` is an IPv4 CIDR block (`10.0.0.0/8`) or a single address.
pub fn valid_network_mask(text: &str) -> bool {
    let (address, bits) = match text.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (text, None),
    };
    let octets: Vec<&str> = address.split('.').collect();
    octets.len() == 4
        && octets
            .iter()
            .all(|o| !o.is_empty() && o.len() <= 3 && o.parse::<u8>().is_ok())
        && bits.is_none_or(|b| b.parse::<u8>().is_ok_and(|n| n <= 32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_takes_what_odpsh_always_took() {
        let policy = PasswordPolicy::default();
        assert!(policy.admits("S3cure!pw"));
        assert!(policy.admits("abcdEFGH1"));
        assert!(!policy.admits("abcdefgh1"));
        assert!(!policy.admits("Ab1!"));
        assert!(!policy.admits(&"Ab1!".repeat(9)));
        let strict = PasswordPolicy {
            minimum_password_length: 12,
            require_symbols: true,
            ..PasswordPolicy::default()
        };
        assert!(!strict.admits("S3cure!pw"));
        assert!(strict.admits("S3cure!pw-long"));
    }

    #[test]
    fn network_masks() {
        assert!(valid_network_mask("10.0.0.0/8"));
        assert!(valid_network_mask("192.168.1.7"));
        assert!(!valid_network_mask("10.0.0/8"));
        assert!(!valid_network_mask("10.0.0.0/33"));
        assert!(!valid_network_mask("300.0.0.0"));
    }
}
