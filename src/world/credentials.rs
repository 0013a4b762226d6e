//! AccessKeys, console log-on profiles and RAM policy attachments.

use serde::{Deserialize, Serialize};

/// At most this many AccessKeys per RAM user, counting inactive ones.
pub const ACCESS_KEYS_PER_USER: usize = 2;
/// At most this many AccessKeys for a main account (not documented; odpsh's choice).
pub const ACCESS_KEYS_PER_ACCOUNT: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyStatus {
    Active,
    Inactive,
}

impl KeyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Active => "Active",
            KeyStatus::Inactive => "Inactive",
        }
    }
}

/// An AccessKey pair: `LTAI` + 20 alphanumerics, and a 30-character secret. Its stored forms
/// are in `store/access_key_file.rs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessKey {
    pub id: String,
    pub secret: String,
    pub status: KeyStatus,
    pub created: u64,
    /// When a call last authenticated with it (`GetAccessKeyLastUsed`).
    pub last_used: Option<u64>,
    /// Brought in by `odpsh import` from a listing that shows no secret (its secret is empty):
    /// it authenticates nothing until a real key is created in the world.
    pub imported: bool,
}

/// Console access of a RAM user. The password itself is not kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginProfile {
    pub password_reset_required: bool,
    pub mfa_bind_required: bool,
    pub created: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PolicyType {
    System,
    Custom,
}

impl PolicyType {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::System => "System",
            PolicyType::Custom => "Custom",
        }
    }
}

/// A policy attached to a RAM user, for the whole account or one resource group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyAttachment {
    pub policy_type: PolicyType,
    pub name: String,
    /// `None` for the account scope, else the resource group id.
    pub resource_group: Option<String>,
    pub attached: u64,
}

/// At most this many versions of a custom policy.
pub const VERSIONS_PER_POLICY: usize = 5;

/// One version of a custom policy's document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyVersion {
    /// `v<id>`; a new version is one more than the highest there is.
    pub id: u32,
    pub document: String,
    pub created: u64,
}

impl PolicyVersion {
    /// The version's name as the API spells it: `v1`, `v2`, …
    pub fn name(&self) -> String {
        format!("v{}", self.id)
    }
}

/// A version name (`v3`) as its id.
pub fn version_id(name: &str) -> Option<u32> {
    name.strip_prefix('v')
        .or_else(|| name.strip_prefix('V'))
        .and_then(|n| n.parse().ok())
}

/// A custom policy of an account: its versions (at most five), one of them the default, the
/// one in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomPolicy {
    pub name: String,
    pub description: String,
    pub created: u64,
    pub updated: u64,
    /// In creation order, never empty.
    pub versions: Vec<PolicyVersion>,
    pub default_version: u32,
}

impl CustomPolicy {
    /// A new policy whose first version, `v1`, is `document`.
    pub fn new(name: String, description: String, document: String, now: u64) -> Self {
        CustomPolicy {
            name,
            description,
            created: now,
            updated: now,
            versions: vec![PolicyVersion {
                id: 1,
                document,
                created: now,
            }],
            default_version: 1,
        }
    }

    /// The version in force.
    pub fn default(&self) -> Option<&PolicyVersion> {
        self.version(self.default_version)
    }

    pub fn version(&self, id: u32) -> Option<&PolicyVersion> {
        self.versions.iter().find(|v| v.id == id)
    }

    /// The default version's name (`v1` when there is none, which a file edited by hand may
    /// hold).
    pub fn default_name(&self) -> String {
        format!("v{}", self.default_version)
    }

    /// The next version's id: one more than any there is.
    pub fn next_version(&self) -> u32 {
        self.versions.iter().map(|v| v.id).max().unwrap_or(0) + 1
    }
}

pub use super::system_policies::{SYSTEM_POLICIES, SystemPolicy, system_policy};

/// Policy names: 1–128 letters, digits and `-`.
pub fn valid_policy_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}
