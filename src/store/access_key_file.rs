//! The stored forms of an AccessKey. JSON writes `imported` only for an imported key (so the
//! exports of every other world are as before) and reads it as false when absent; the snapshot
//! writes every field, and snapshots of versions 6 and 7 are read in their form (no
//! `imported`). Versions before 6 have their own form in `legacy_v4.rs`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::world::credentials::{AccessKey, KeyStatus};

/// The last schema version whose keys have no `imported` field.
pub const BEFORE_IMPORTED: u32 = 7;

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Serialize)]
struct KeyRef<'a> {
    id: &'a str,
    secret: &'a str,
    status: KeyStatus,
    created: u64,
    last_used: Option<u64>,
    #[serde(skip_serializing_if = "is_false")]
    imported: bool,
}

#[derive(Serialize)]
struct KeyBinRef<'a> {
    id: &'a str,
    secret: &'a str,
    status: KeyStatus,
    created: u64,
    last_used: Option<u64>,
    imported: bool,
}

#[derive(Deserialize)]
struct KeyJson {
    id: String,
    secret: String,
    status: KeyStatus,
    created: u64,
    #[serde(default)]
    last_used: Option<u64>,
    #[serde(default)]
    imported: bool,
}

#[derive(Deserialize)]
struct KeyBin {
    id: String,
    secret: String,
    status: KeyStatus,
    created: u64,
    last_used: Option<u64>,
    imported: bool,
}

/// A key as snapshots of versions 6 and 7 stored it.
#[derive(Deserialize)]
struct KeyV7 {
    id: String,
    secret: String,
    status: KeyStatus,
    created: u64,
    last_used: Option<u64>,
}

impl Serialize for AccessKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            KeyRef {
                id: &self.id,
                secret: &self.secret,
                status: self.status,
                created: self.created,
                last_used: self.last_used,
                imported: self.imported,
            }
            .serialize(s)
        } else {
            KeyBinRef {
                id: &self.id,
                secret: &self.secret,
                status: self.status,
                created: self.created,
                last_used: self.last_used,
                imported: self.imported,
            }
            .serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for AccessKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let k = KeyJson::deserialize(d)?;
            return Ok(AccessKey {
                id: k.id,
                secret: k.secret,
                status: k.status,
                created: k.created,
                last_used: k.last_used,
                imported: k.imported,
            });
        }
        if super::project_file::snapshot_version() <= BEFORE_IMPORTED {
            let k = KeyV7::deserialize(d)?;
            return Ok(AccessKey {
                id: k.id,
                secret: k.secret,
                status: k.status,
                created: k.created,
                last_used: k.last_used,
                imported: false,
            });
        }
        let k = KeyBin::deserialize(d)?;
        Ok(AccessKey {
            id: k.id,
            secret: k.secret,
            status: k.status,
            created: k.created,
            last_used: k.last_used,
            imported: k.imported,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(imported: bool) -> AccessKey {
        AccessKey {
            id: "LTAI00000000000000000001".into(),
            secret: if imported {
                String::new()
            } else {
                "s".repeat(30)
            },
            status: KeyStatus::Active,
            created: 5,
            last_used: None,
            imported,
        }
    }

    #[test]
    fn json_names_imported_only_for_an_imported_key() {
        let plain = serde_json::to_value(key(false)).unwrap();
        assert!(plain.get("imported").is_none());
        let imported = serde_json::to_value(key(true)).unwrap();
        assert_eq!(imported["imported"], true);
        for k in [key(false), key(true)] {
            let back: AccessKey =
                serde_json::from_value(serde_json::to_value(&k).unwrap()).unwrap();
            assert_eq!(back, k);
        }
    }

    #[test]
    fn snapshots_carry_the_flag_and_version_7_keys_read_as_not_imported() {
        let bytes = postcard::to_allocvec(&key(true)).unwrap();
        let back: AccessKey = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, key(true));
        #[derive(Serialize)]
        struct Old<'a>(&'a str, &'a str, KeyStatus, u64, Option<u64>);
        let old = postcard::to_allocvec(&Old(
            "LTAI00000000000000000001",
            &"s".repeat(30),
            KeyStatus::Active,
            5,
            None,
        ))
        .unwrap();
        let back: AccessKey = super::super::project_file::decoding_snapshot_version(7, || {
            postcard::from_bytes(&old).unwrap()
        });
        assert_eq!(back, key(false));
    }
}
