//! A project's label-based access control (LabelSecurity): the access level of each user and
//! role, the sensitivity of tables and their columns, and explicit label grants (a level on a
//! table or on single columns, to a user or a role, until an expiry). Levels run from 0 to 9;
//! what is not labelled is 0. Users are kept by principal id, so a removed user's labels stay
//! and come back with it, and a deleted RAM user's show under `p4_<uid>`; dropping a table
//! takes its labels and label grants with it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::acl::Grantee;

/// The highest level.
pub const MAX_LEVEL: u8 = 9;

/// A table's sensitivity: of the table as a whole, and of single columns (a column labelled
/// on its own has its own level; the others have the table's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableLabels {
    pub table: u8,
    pub columns: BTreeMap<String, u8>,
}

impl TableLabels {
    /// The sensitivity of a column.
    pub fn of_column(&self, column: &str) -> u8 {
        self.columns.get(column).copied().unwrap_or(self.table)
    }
}

/// What a label grant is on: a table as a whole, or one column of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LabelTarget {
    pub table: String,
    pub column: Option<String>,
}

/// An explicit grant of a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelGrant {
    pub level: u8,
    /// Seconds since the epoch; grants always expire (180 days unless `with exp` says).
    pub expires: u64,
}

/// A project's labels.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels {
    pub(crate) clearances: BTreeMap<Grantee, u8>,
    pub(crate) tables: BTreeMap<String, TableLabels>,
    pub(crate) grants: BTreeMap<(Grantee, LabelTarget), LabelGrant>,
}

impl Labels {
    /// The access level of a user or role.
    pub fn clearance(&self, who: &Grantee) -> u8 {
        self.clearances.get(who).copied().unwrap_or(0)
    }

    pub fn set_clearance(&mut self, who: Grantee, level: u8) {
        if level == 0 {
            self.clearances.remove(&who);
        } else {
            self.clearances.insert(who, level);
        }
    }

    /// A table's labels (all 0 when it has none).
    pub fn table(&self, table: &str) -> TableLabels {
        self.tables.get(table).cloned().unwrap_or_default()
    }

    /// Labels a whole table, or only `columns` of it.
    pub fn set_sensitivity(&mut self, table: &str, columns: &[String], level: u8) {
        let labels = self.tables.entry(table.to_string()).or_default();
        if columns.is_empty() {
            labels.table = level;
        } else {
            for column in columns {
                labels.columns.insert(column.clone(), level);
            }
        }
        if labels == &TableLabels::default() {
            self.tables.remove(table);
        }
    }

    /// Grants `level` on `target` to `who` until `expires`, replacing an earlier grant there.
    pub fn grant(&mut self, who: Grantee, target: LabelTarget, grant: LabelGrant) {
        self.grants.insert((who, target), grant);
    }

    /// Revokes the grant on `target` from `who`; whether there was one.
    pub fn revoke(&mut self, who: &Grantee, target: &LabelTarget) -> bool {
        self.grants.remove(&(who.clone(), target.clone())).is_some()
    }

    /// Every label grant, in grantee then table order.
    pub fn grants(&self) -> impl Iterator<Item = (&Grantee, &LabelTarget, &LabelGrant)> {
        self.grants.iter().map(|((g, t), grant)| (g, t, grant))
    }

    /// The level `who` is granted for `column` of `table` at `now`: a grant on that column
    /// overrides one on the whole table.
    pub fn granted(&self, who: &Grantee, table: &str, column: &str, now: u64) -> Option<u8> {
        let live = |column: Option<String>| {
            self.grants
                .get(&(
                    who.clone(),
                    LabelTarget {
                        table: table.to_string(),
                        column,
                    },
                ))
                .filter(|g| g.expires > now)
                .map(|g| g.level)
        };
        live(Some(column.to_string())).or_else(|| live(None))
    }

    /// Drops the grants that expired by `now`; how many.
    pub fn clear_expired(&mut self, now: u64) -> usize {
        let before = self.grants.len();
        self.grants.retain(|_, g| g.expires > now);
        before - self.grants.len()
    }

    /// Forgets a dropped table: its labels and every label grant on it.
    pub fn remove_table(&mut self, table: &str) {
        self.tables.remove(table);
        self.grants.retain(|(_, target), _| target.table != table);
    }

    /// Whether `who` has a label or a label grant here.
    pub fn holds_anything(&self, who: &Grantee) -> bool {
        self.clearances.contains_key(who) || self.grants.keys().any(|(g, _)| g == who)
    }

    pub fn is_empty(&self) -> bool {
        self.clearances.is_empty() && self.tables.is_empty() && self.grants.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::{PrincipalId, Uid};

    fn bob() -> Grantee {
        Grantee::User(PrincipalId::RamUser(Uid(7)))
    }

    fn on(table: &str, column: Option<&str>) -> LabelTarget {
        LabelTarget {
            table: table.into(),
            column: column.map(str::to_string),
        }
    }

    #[test]
    fn columns_have_their_own_level_or_the_tables() {
        let mut l = Labels::default();
        l.set_sensitivity("t", &[], 2);
        l.set_sensitivity("t", &["phone".into()], 4);
        assert_eq!(l.table("t").of_column("phone"), 4);
        assert_eq!(l.table("t").of_column("id"), 2);
        assert_eq!(l.table("other").of_column("id"), 0);
    }

    #[test]
    fn a_column_grant_overrides_the_table_grant_and_expires() {
        let mut l = Labels::default();
        let until = |expires| LabelGrant { level: 3, expires };
        l.grant(bob(), on("t", None), until(100));
        l.grant(
            bob(),
            on("t", Some("phone")),
            LabelGrant {
                level: 1,
                expires: 100,
            },
        );
        assert_eq!(l.granted(&bob(), "t", "id", 50), Some(3));
        assert_eq!(l.granted(&bob(), "t", "phone", 50), Some(1));
        assert_eq!(l.granted(&bob(), "t", "id", 100), None);
        assert_eq!(l.clear_expired(100), 2);
        assert!(l.is_empty());
    }

    #[test]
    fn a_dropped_table_takes_its_labels_and_grants() {
        let mut l = Labels::default();
        l.set_sensitivity("t", &[], 2);
        l.grant(
            bob(),
            on("t", None),
            LabelGrant {
                level: 2,
                expires: 9,
            },
        );
        l.set_clearance(bob(), 1);
        l.remove_table("t");
        assert_eq!(l.table("t"), TableLabels::default());
        assert!(l.grants().next().is_none());
        assert_eq!(l.clearance(&bob()), 1);
    }
}
