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

/// An AccessKey pair: `LTAI` + 20 alphanumerics, and a 30-character secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessKey {
    pub id: String,
    pub secret: String,
    pub status: KeyStatus,
    pub created: u64,
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

/// A custom policy of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomPolicy {
    pub name: String,
    pub description: String,
    pub document: String,
    pub created: u64,
}

/// A system policy: created and maintained by Alibaba Cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SystemPolicy {
    pub name: &'static str,
    pub description: &'static str,
    /// Flagged by the console as high-risk when attached.
    pub high_risk: bool,
}

/// The system policies the simulated account knows: seed 002's table and the high-risk ones.
pub const SYSTEM_POLICIES: [SystemPolicy; 8] = [
    SystemPolicy {
        name: "AdministratorAccess",
        description: "Provides full access to Alibaba Cloud services and resources.",
        high_risk: true,
    },
    SystemPolicy {
        name: "AliyunRAMFullAccess",
        description: "Provides full access to Resource Access Management (RAM).",
        high_risk: true,
    },
    SystemPolicy {
        name: "AliyunRAMReadOnlyAccess",
        description: "Provides read-only access to Resource Access Management (RAM).",
        high_risk: false,
    },
    SystemPolicy {
        name: "AliyunBSSOrderAccess",
        description: "Provides access to place orders, pay and renew in Billing Management.",
        high_risk: false,
    },
    SystemPolicy {
        name: "AliyunDataWorksFullAccess",
        description: "Provides full access to DataWorks.",
        high_risk: false,
    },
    SystemPolicy {
        name: "AliyunMaxComputeFullAccess",
        description: "Provides full access to MaxCompute.",
        high_risk: false,
    },
    SystemPolicy {
        name: "AliyunMaxComputeReadOnlyAccess",
        description: "Provides read-only access to MaxCompute.",
        high_risk: false,
    },
    SystemPolicy {
        name: "AliyunDataWorksReadOnlyAccess",
        description: "Provides read-only access to DataWorks.",
        high_risk: false,
    },
];

pub fn system_policy(name: &str) -> Option<&'static SystemPolicy> {
    SYSTEM_POLICIES
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
}

/// Policy names: 1–128 letters, digits and `-`.
pub fn valid_policy_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}
