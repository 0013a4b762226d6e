//! Worlds as JSON: what `world export` writes and `world import` reads, and what state files of
//! earlier versions hold. A file of the current schema is decoded straight into the world; only
//! an older one goes through a `serde_json::Value` tree, to be migrated step by step.

use std::fmt;
use std::path::Path;

use serde::Deserializer;
use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{StoreError, check_invariants, migrate};
use crate::world::{SCHEMA_VERSION, World};

/// A world as the pretty-printed JSON that `world export` writes.
pub fn export_text(world: &World) -> String {
    let mut text = serde_json::to_string_pretty(world).unwrap_or_default();
    text.push('\n');
    text
}

/// Finds the top-level `schema_version` of any JSON value, skipping everything else.
struct Probe;

impl<'de> Visitor<'de> for Probe {
    type Value = Option<u64>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<u64>, A::Error> {
        let mut version = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "schema_version" && version.is_none() {
                version = Some(map.next_value::<serde_json::Value>()?.as_u64());
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(version.flatten())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<u64>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Option<u64>, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Option<u64>, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Option<u64>, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Option<u64>, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Option<u64>, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Option<u64>, E> {
        Ok(None)
    }
}

/// The `schema_version` of a JSON document, found without building it: `Ok(None)` when the
/// document is JSON but has no numeric `schema_version` at its top.
fn schema_version(bytes: &[u8]) -> Result<Option<u64>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let found = (&mut de).deserialize_any(Probe)?;
    de.end()?;
    Ok(found)
}

/// Reads a world from JSON, checking the schema version and the invariants; says from which
/// older schema version it was migrated, if any.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<(World, Option<u64>), StoreError> {
    let invalid = |reason: String| StoreError::Invalid {
        path: path.to_path_buf(),
        reason,
    };
    let version = schema_version(bytes)
        .map_err(|e| invalid(format!("not JSON ({e})")))?
        .ok_or_else(|| invalid("no schema_version".to_string()))?;
    if version == 0 || version > u64::from(SCHEMA_VERSION) {
        return Err(StoreError::Version {
            path: path.to_path_buf(),
            found: version,
        });
    }
    let world: World = if version == u64::from(SCHEMA_VERSION) {
        serde_json::from_slice(bytes).map_err(|e| invalid(e.to_string()))?
    } else {
        let mut value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| invalid(format!("not JSON ({e})")))?;
        for from in version..u64::from(SCHEMA_VERSION) {
            migrate::step(from, &mut value).map_err(&invalid)?;
        }
        serde_json::from_value(value).map_err(|e| invalid(e.to_string()))?
    };
    check_invariants(&world).map_err(invalid)?;
    let migrated = (version < u64::from(SCHEMA_VERSION)).then_some(version);
    Ok((world, migrated))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_found_without_reading_the_rest_into_memory() {
        assert_eq!(
            schema_version(br#"{"a": [1, {"b": 2}], "schema_version": 3}"#).unwrap(),
            Some(3)
        );
        assert_eq!(schema_version(br#"{"schema_version": "3"}"#).unwrap(), None);
        assert_eq!(schema_version(br#"[{"schema_version": 3}]"#).unwrap(), None);
        assert_eq!(schema_version(b"7").unwrap(), None);
        assert!(schema_version(b"{\"schema_version\": 2, \"clock\": ").is_err());
        assert!(schema_version(b"{} x").is_err());
        let e = schema_version(b"{\"schema_version\": 2, \"clock\": ").unwrap_err();
        assert!(
            e.to_string().starts_with("EOF while parsing a value"),
            "{e}"
        );
    }
}
