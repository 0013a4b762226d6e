//! RAM user groups: a group's members and its attached policies. A member of a group holds the
//! group's policies as well as its own.

use serde::{Deserialize, Serialize};

use super::credentials::PolicyAttachment;
use super::principal::Uid;

/// At most this many groups in an account (the RAM limits table).
pub const GROUPS_PER_ACCOUNT: usize = 50;
/// At most this many groups a user may be in.
pub const GROUPS_PER_USER: usize = 5;
/// At most this many policies of each type attached to a group (as for a user).
pub const SYSTEM_POLICIES_PER_GROUP: usize = 20;
pub const CUSTOM_POLICIES_PER_GROUP: usize = 10;

/// A user in a group, and when it joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub uid: Uid,
    pub joined: u64,
}

/// A RAM user group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// `g-` and 16 alphanumerics, assigned by RAM.
    pub id: String,
    /// Unique in its account, case-insensitively.
    pub name: String,
    pub comments: String,
    pub created: u64,
    pub updated: u64,
    /// In the order they joined.
    pub members: Vec<Membership>,
    pub policies: Vec<PolicyAttachment>,
}

impl Group {
    pub fn has_member(&self, uid: Uid) -> bool {
        self.members.iter().any(|m| m.uid == uid)
    }

    /// When `uid` joined, if it is a member.
    pub fn joined(&self, uid: Uid) -> Option<u64> {
        self.members.iter().find(|m| m.uid == uid).map(|m| m.joined)
    }
}

/// Group names: 1–64 letters, digits, `.`, `-` or `_` (as user names).
pub fn check_group_name(name: &str) -> Result<(), super::NameProblem> {
    super::account::check_user_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_names_follow_the_user_name_rules() {
        assert_eq!(check_group_name("Dev-Team.1_a"), Ok(()));
        assert_eq!(
            check_group_name("dev team"),
            Err(super::super::NameProblem::InvalidChars)
        );
        assert_eq!(
            check_group_name(&"g".repeat(65)),
            Err(super::super::NameProblem::Length)
        );
        let group = Group {
            id: "g-0000000000000001".into(),
            name: "dev".into(),
            comments: String::new(),
            created: 1,
            updated: 1,
            members: vec![Membership {
                uid: Uid(7),
                joined: 3,
            }],
            policies: vec![],
        };
        assert!(group.has_member(Uid(7)));
        assert_eq!(group.joined(Uid(7)), Some(3));
        assert_eq!(group.joined(Uid(8)), None);
    }
}
