//! A project's ACL: which actions each grantee (a user, by id, or a role, by name) may do on
//! which object, or on single columns of a table, each with an optional expiry.
//!
//! Grants are keyed by grantee and object, so checking one action is a couple of lookups
//! whatever the size of the project, and stored by principal id, so a removed user's grants
//! stay and come back when the same user is added again, and a dropped role's grants pass to a
//! new role of the same name. An index by object finds every grantee of an object, for
//! `show acl` and for revoking everything when the object is deleted.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::objects::ObjectKey;
use super::principal::PrincipalId;

pub use crate::vocabulary::Privilege;

/// Who a grant is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grantee {
    User(PrincipalId),
    /// A role, by lower-case name (which may not exist now: its grants wait for it).
    Role(String),
}

impl fmt::Display for Grantee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Grantee::User(id) => write!(f, "user/{id}"),
            Grantee::Role(r) => write!(f, "role/{r}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a grantee (user/<principal id> or role/<role>)")]
pub struct BadGrantee(pub String);

impl FromStr for Grantee {
    type Err = BadGrantee;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadGrantee(s.to_string());
        if let Some(id) = s.strip_prefix("user/") {
            return id.parse().map(Grantee::User).map_err(|_| bad());
        }
        match s.strip_prefix("role/") {
            Some(r) if !r.is_empty() => Ok(Grantee::Role(r.to_ascii_lowercase())),
            _ => Err(bad()),
        }
    }
}

/// Actions with their expiry (seconds since the epoch; `None`: never).
pub type Actions = BTreeMap<Privilege, Option<u64>>;

/// A grantee's grants on one object: on the whole object and on single columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectGrants {
    pub whole: Actions,
    pub columns: BTreeMap<String, Actions>,
}

impl ObjectGrants {
    fn is_empty(&self) -> bool {
        self.whole.is_empty() && self.columns.is_empty()
    }
}

/// Whether `actions` hold `action` (or `All`) unexpired at `now`.
pub fn holds(actions: &Actions, action: Privilege, now: u64) -> bool {
    let live = |a: Privilege| actions.get(&a).is_some_and(|e| e.is_none_or(|t| t > now));
    live(action) || live(Privilege::All)
}

/// The stored form: grantee → object (`tables/<t>` or `tables/<t>/<column>` for a column) →
/// action → expiry.
type AclFile = BTreeMap<String, BTreeMap<String, Actions>>;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Acl {
    grants: HashMap<Grantee, HashMap<ObjectKey, ObjectGrants>>,
    /// Derived: the grantees holding anything on each object (or its columns).
    by_object: HashMap<ObjectKey, HashSet<Grantee>>,
}

/// The stored form's entries in its order, borrowing the actions: what an [`AclFile`] would
/// hold, without building one (a world of a hundred thousand grants saves in a fraction of
/// the time).
struct SortedEntries<'a>(Vec<(String, &'a Actions)>);

impl Serialize for SortedEntries<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, a)| (k, *a)))
    }
}

impl Serialize for Acl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Grantees and objects print distinctly (`user/<id>`, `role/<r>`; object keys and
        // `tables/<t>/<column>`), so sorting the printed forms orders them as the map would.
        let mut file: Vec<(String, SortedEntries<'_>)> = self
            .grants
            .iter()
            .map(|(grantee, objects)| {
                let mut entries = Vec::with_capacity(objects.len());
                for (key, grants) in objects {
                    if !grants.whole.is_empty() {
                        entries.push((key.to_string(), &grants.whole));
                    }
                    for (column, actions) in &grants.columns {
                        entries.push((format!("{key}/{column}"), actions));
                    }
                }
                entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                (grantee.to_string(), SortedEntries(entries))
            })
            .collect();
        file.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        s.collect_map(file.iter().map(|(g, entries)| (g, entries)))
    }
}

impl<'de> Deserialize<'de> for Acl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let file = AclFile::deserialize(d)?;
        let mut acl = Acl::default();
        for (grantee, objects) in file {
            let grantee: Grantee = grantee.parse().map_err(D::Error::custom)?;
            for (object, actions) in objects {
                let (key, column) = match object.strip_prefix("tables/").map(|r| r.split_once('/'))
                {
                    Some(Some((table, column))) => {
                        (ObjectKey::table(table), Some(column.to_string()))
                    }
                    _ => (object.parse().map_err(D::Error::custom)?, None),
                };
                let actions: Vec<(Privilege, Option<u64>)> = actions.into_iter().collect();
                for (action, expiry) in actions {
                    acl.grant(&grantee, &key, column.as_deref(), &[action], expiry);
                }
            }
        }
        Ok(acl)
    }
}

impl Acl {
    /// Grants `actions` on `key` (or on one of its columns) until `expires` (`None`: for
    /// good). Granting an action again replaces its expiry.
    pub fn grant(
        &mut self,
        grantee: &Grantee,
        key: &ObjectKey,
        column: Option<&str>,
        actions: &[Privilege],
        expires: Option<u64>,
    ) {
        // Looked up before they are made, so that a grantee or object seen before is not
        // cloned again.
        if !self.grants.contains_key(grantee) {
            self.grants.insert(grantee.clone(), HashMap::new());
        }
        let Some(objects) = self.grants.get_mut(grantee) else {
            return;
        };
        if !objects.contains_key(key) {
            objects.insert(key.clone(), ObjectGrants::default());
        }
        let Some(grants) = objects.get_mut(key) else {
            return;
        };
        let target = match column {
            Some(c) => grants.columns.entry(c.to_ascii_lowercase()).or_default(),
            None => &mut grants.whole,
        };
        for action in actions {
            target.insert(*action, expires);
        }
        // Most grants name an object others hold grants on already: no key cloned for them.
        match self.by_object.get_mut(key) {
            Some(holders) => {
                if !holders.contains(grantee) {
                    holders.insert(grantee.clone());
                }
            }
            None => {
                self.by_object
                    .insert(key.clone(), HashSet::from([grantee.clone()]));
            }
        }
    }

    /// Revokes `actions` (those held; others are skipped). Returns how many were revoked.
    pub fn revoke(
        &mut self,
        grantee: &Grantee,
        key: &ObjectKey,
        column: Option<&str>,
        actions: &[Privilege],
    ) -> usize {
        let Some(objects) = self.grants.get_mut(grantee) else {
            return 0;
        };
        let Some(grants) = objects.get_mut(key) else {
            return 0;
        };
        let mut revoked = 0;
        match column {
            Some(c) => {
                let c = c.to_ascii_lowercase();
                if let Some(held) = grants.columns.get_mut(&c) {
                    revoked = actions.iter().filter(|a| held.remove(a).is_some()).count();
                    if held.is_empty() {
                        grants.columns.remove(&c);
                    }
                }
            }
            None => {
                revoked = actions
                    .iter()
                    .filter(|a| grants.whole.remove(a).is_some())
                    .count();
            }
        }
        if grants.is_empty() {
            objects.remove(key);
            if objects.is_empty() {
                self.grants.remove(grantee);
            }
            self.forget(key, grantee);
        }
        revoked
    }

    fn forget(&mut self, key: &ObjectKey, grantee: &Grantee) {
        if let Some(set) = self.by_object.get_mut(key) {
            set.remove(grantee);
            if set.is_empty() {
                self.by_object.remove(key);
            }
        }
    }

    /// A grantee's grants on one object.
    pub fn on(&self, grantee: &Grantee, key: &ObjectKey) -> Option<&ObjectGrants> {
        self.grants.get(grantee).and_then(|o| o.get(key))
    }

    /// Whether the grantee may do `action` on the whole object at `now`.
    pub fn allows(&self, grantee: &Grantee, key: &ObjectKey, action: Privilege, now: u64) -> bool {
        self.on(grantee, key)
            .is_some_and(|g| holds(&g.whole, action, now))
    }

    /// Whether the grantee may do `action` on one column at `now` (a grant on the whole table
    /// counts too).
    pub fn allows_column(
        &self,
        grantee: &Grantee,
        key: &ObjectKey,
        column: &str,
        action: Privilege,
        now: u64,
    ) -> bool {
        self.on(grantee, key).is_some_and(|g| {
            holds(&g.whole, action, now)
                || g.columns.get(column).is_some_and(|c| holds(c, action, now))
        })
    }

    /// Everything granted to a grantee, by object.
    pub fn grants_of(
        &self,
        grantee: &Grantee,
    ) -> impl Iterator<Item = (&ObjectKey, &ObjectGrants)> + '_ {
        self.grants.get(grantee).into_iter().flatten()
    }

    /// Every grant: grantee, object, and what is granted on it (in no particular order).
    pub fn entries(&self) -> impl Iterator<Item = (&Grantee, &ObjectKey, &ObjectGrants)> + '_ {
        self.grants
            .iter()
            .flat_map(|(g, objects)| objects.iter().map(move |(k, o)| (g, k, o)))
    }

    /// The grantees holding anything on an object or its columns.
    pub fn grantees_of(&self, key: &ObjectKey) -> impl Iterator<Item = &Grantee> + '_ {
        self.by_object.get(key).into_iter().flatten()
    }

    /// Revokes everything granted on an object (it is being deleted).
    pub fn remove_object(&mut self, key: &ObjectKey) {
        let Some(grantees) = self.by_object.remove(key) else {
            return;
        };
        for grantee in grantees {
            if let Some(objects) = self.grants.get_mut(&grantee) {
                objects.remove(key);
                if objects.is_empty() {
                    self.grants.remove(&grantee);
                }
            }
        }
    }

    /// Removes every expired grant; returns how many actions were removed.
    pub fn clear_expired(&mut self, now: u64) -> usize {
        let expired = |actions: &mut Actions| {
            let before = actions.len();
            actions.retain(|_, e| e.is_none_or(|t| t > now));
            before - actions.len()
        };
        let mut removed = 0;
        let mut emptied: Vec<(Grantee, ObjectKey)> = Vec::new();
        for (grantee, objects) in &mut self.grants {
            for (key, grants) in objects.iter_mut() {
                removed += expired(&mut grants.whole);
                for actions in grants.columns.values_mut() {
                    removed += expired(actions);
                }
                grants.columns.retain(|_, a| !a.is_empty());
                if grants.is_empty() {
                    emptied.push((grantee.clone(), key.clone()));
                }
            }
        }
        for (grantee, key) in emptied {
            if let Some(objects) = self.grants.get_mut(&grantee) {
                objects.remove(&key);
                if objects.is_empty() {
                    self.grants.remove(&grantee);
                }
            }
            self.forget(&key, &grantee);
        }
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::Uid;

    /// The stored form, built as a map: what the serializer must write, byte for byte.
    fn as_file(acl: &Acl) -> AclFile {
        let mut file = AclFile::new();
        for (grantee, objects) in &acl.grants {
            let entry = file.entry(grantee.to_string()).or_default();
            for (key, grants) in objects {
                if !grants.whole.is_empty() {
                    entry.insert(key.to_string(), grants.whole.clone());
                }
                for (column, actions) in &grants.columns {
                    entry.insert(format!("{key}/{column}"), actions.clone());
                }
            }
        }
        file
    }

    #[test]
    fn the_stored_form_is_the_sorted_map_in_json_and_postcard() {
        let mut acl = Acl::default();
        for i in [3u64, 1, 20, 2] {
            let user = Grantee::User(PrincipalId::RamUser(Uid(26529000000000000 + i)));
            acl.grant(
                &user,
                &ObjectKey::table("t2"),
                None,
                &[Privilege::Select],
                None,
            );
            acl.grant(
                &user,
                &ObjectKey::table("t10"),
                Some("c"),
                &[Privilege::Select],
                Some(9),
            );
            acl.grant(&user, &ObjectKey::project(), None, &[Privilege::List], None);
        }
        let role = Grantee::Role("analyst".into());
        acl.grant(
            &role,
            &ObjectKey::table("t1"),
            None,
            &[Privilege::Describe],
            None,
        );
        acl.grant(
            &role,
            &ObjectKey::table("t1"),
            Some("b"),
            &[Privilege::Select],
            None,
        );
        acl.grant(
            &role,
            &ObjectKey::table("t1"),
            Some("a"),
            &[Privilege::Select],
            None,
        );
        acl.revoke(&role, &ObjectKey::table("t1"), None, &[Privilege::Describe]);
        let file = as_file(&acl);
        assert_eq!(
            serde_json::to_string(&acl).unwrap(),
            serde_json::to_string(&file).unwrap()
        );
        assert_eq!(
            postcard::to_allocvec(&acl).unwrap(),
            postcard::to_allocvec(&file).unwrap()
        );
    }

    fn bob() -> Grantee {
        Grantee::User(PrincipalId::RamUser(Uid(26529000000000001)))
    }

    #[test]
    fn grants_allow_until_they_expire_and_all_covers_every_action() {
        let mut acl = Acl::default();
        let t = ObjectKey::table("sales");
        acl.grant(&bob(), &t, None, &[Privilege::Select], Some(100));
        assert!(acl.allows(&bob(), &t, Privilege::Select, 99));
        assert!(!acl.allows(&bob(), &t, Privilege::Select, 100));
        assert!(!acl.allows(&bob(), &t, Privilege::Describe, 0));
        acl.grant(&bob(), &t, None, &[Privilege::All], None);
        assert!(acl.allows(&bob(), &t, Privilege::Drop, 1000));
        assert_eq!(acl.clear_expired(100), 1);
        assert_eq!(
            acl.revoke(&bob(), &t, None, &[Privilege::All, Privilege::Select]),
            1
        );
        assert_eq!(acl, Acl::default());
    }

    #[test]
    fn column_grants_cover_their_columns_only() {
        let mut acl = Acl::default();
        let t = ObjectKey::table("customers");
        acl.grant(&bob(), &t, Some("ID"), &[Privilege::Select], None);
        assert!(acl.allows_column(&bob(), &t, "id", Privilege::Select, 0));
        assert!(!acl.allows_column(&bob(), &t, "phone", Privilege::Select, 0));
        assert!(!acl.allows(&bob(), &t, Privilege::Select, 0));
        assert_eq!(acl.grantees_of(&t).count(), 1);
        acl.remove_object(&t);
        assert_eq!(acl, Acl::default());
    }

    #[test]
    fn the_stored_form_is_readable_and_loads_back() {
        let mut acl = Acl::default();
        let t = ObjectKey::table("customers");
        acl.grant(
            &Grantee::Role("analyst".into()),
            &t,
            None,
            &[Privilege::Describe],
            None,
        );
        acl.grant(&bob(), &t, Some("id"), &[Privilege::Select], Some(5));
        acl.grant(
            &bob(),
            &ObjectKey::project(),
            None,
            &[Privilege::List],
            None,
        );
        let json = serde_json::to_string(&acl).unwrap();
        assert_eq!(
            json,
            r#"{"role/analyst":{"tables/customers":{"Describe":null}},"user/p4_26529000000000001":{"project":{"List":null},"tables/customers/id":{"Select":5}}}"#
        );
        let back: Acl = serde_json::from_str(&json).unwrap();
        assert_eq!(back, acl);
        assert!(serde_json::from_str::<Acl>(r#"{"group/x":{}}"#).is_err());
    }
}
