//! What schema versions 3 to 5 stored for RAM, read from their snapshots (version 5 added only
//! project policies): AccessKeys without
//! their last use, custom policies with one document and no versions, users without contact
//! fields (`ram_user_file.rs`) and accounts without groups, MFA devices, password policy and
//! security preference (`account_file.rs`).

use serde::Deserialize;

use crate::world::credentials::{AccessKey, CustomPolicy, KeyStatus};

/// The last schema version with these forms.
pub const VERSION: u32 = 5;

/// Whether the snapshot being decoded on this thread was written by version 5 or before.
pub fn decoding() -> bool {
    super::project_file::snapshot_version() <= VERSION
}

#[derive(Deserialize)]
pub struct AccessKeyV4 {
    id: String,
    secret: String,
    status: KeyStatus,
    created: u64,
}

impl From<AccessKeyV4> for AccessKey {
    fn from(k: AccessKeyV4) -> Self {
        AccessKey {
            id: k.id,
            secret: k.secret,
            status: k.status,
            created: k.created,
            last_used: None,
            imported: false,
        }
    }
}

/// A custom policy of version 4: one document, which becomes its `v1`.
#[derive(Deserialize)]
pub struct CustomPolicyV4 {
    name: String,
    description: String,
    document: String,
    created: u64,
}

impl From<CustomPolicyV4> for CustomPolicy {
    fn from(p: CustomPolicyV4) -> Self {
        CustomPolicy::new(p.name, p.description, p.document, p.created)
    }
}

pub fn keys(keys: Vec<AccessKeyV4>) -> Vec<AccessKey> {
    keys.into_iter().map(AccessKey::from).collect()
}
