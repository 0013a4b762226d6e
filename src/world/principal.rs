//! Stable identities. Projects store principals by these ids, never by display name: a name is
//! resolved through the account at display time, which is how a deleted RAM user turns into a
//! residual `p4_<uid>` member without any special case.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A 16-digit Alibaba Cloud account id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountId(pub u64);

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A RAM user's UserId (16–19 digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Uid(pub u64);

impl fmt::Display for Uid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Who a project member, grantee or actor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PrincipalId {
    /// An Alibaba Cloud (main) account.
    Account(AccountId),
    /// A RAM user, by its UserId: internally `p4_<uid>`.
    RamUser(Uid),
    /// A RAM role of an account, by its role id: internally `v4_<id>`.
    RamRole(u64),
}

impl fmt::Display for PrincipalId {
    /// The internal id text, as the service itself keys principals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrincipalId::Account(id) => write!(f, "{id}"),
            PrincipalId::RamUser(uid) => write!(f, "p4_{uid}"),
            PrincipalId::RamRole(id) => write!(f, "v4_{id}"),
        }
    }
}

/// The text is not an internal principal id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a principal id (digits, p4_<digits> or v4_<digits>)")]
pub struct BadPrincipalId(pub String);

impl FromStr for PrincipalId {
    type Err = BadPrincipalId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadPrincipalId(s.to_string());
        let number = |d: &str| {
            if d.is_empty() || !d.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            d.parse::<u64>().map_err(|_| bad())
        };
        if let Some(d) = s.strip_prefix("p4_") {
            Ok(PrincipalId::RamUser(Uid(number(d)?)))
        } else if let Some(d) = s.strip_prefix("v4_") {
            Ok(PrincipalId::RamRole(number(d)?))
        } else {
            Ok(PrincipalId::Account(AccountId(number(s)?)))
        }
    }
}

/// The snapshot's form of a principal id: a tag and a number, not text.
#[derive(Serialize, Deserialize)]
enum PrincipalWire {
    Account(u64),
    RamUser(u64),
    RamRole(u64),
}

/// Text (`p4_<uid>`) in JSON, a tag and a number in the binary snapshot.
impl Serialize for PrincipalId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !s.is_human_readable() {
            let wire = match *self {
                PrincipalId::Account(a) => PrincipalWire::Account(a.0),
                PrincipalId::RamUser(u) => PrincipalWire::RamUser(u.0),
                PrincipalId::RamRole(r) => PrincipalWire::RamRole(r),
            };
            return wire.serialize(s);
        }
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PrincipalId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if !d.is_human_readable() {
            return Ok(match PrincipalWire::deserialize(d)? {
                PrincipalWire::Account(a) => PrincipalId::Account(AccountId(a)),
                PrincipalWire::RamUser(u) => PrincipalId::RamUser(Uid(u)),
                PrincipalWire::RamRole(r) => PrincipalId::RamRole(r),
            });
        }
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_print_and_parse_back() {
        for id in [
            PrincipalId::Account(AccountId(5527380164285788)),
            PrincipalId::RamUser(Uid(26529001234567890)),
            PrincipalId::RamRole(300000000000000001),
        ] {
            assert_eq!(id.to_string().parse::<PrincipalId>(), Ok(id));
        }
        assert_eq!(PrincipalId::RamUser(Uid(42)).to_string(), "p4_42");
        assert!("p4_".parse::<PrincipalId>().is_err());
        assert!("x1".parse::<PrincipalId>().is_err());
    }
}
