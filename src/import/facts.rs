//! What captures show, as text read them: names, not ids. The parsers fill it in; the builder
//! (`build.rs`) turns it into a world. Two captures that show the same things give equal facts,
//! which is what the round trip compares.

use std::collections::{BTreeMap, BTreeSet};

use crate::vocabulary::{AccountProvider, ObjectKind, Privilege, SecurityFlag};
use crate::world::policy::PolicyDocument;

/// A principal as odpscmd prints it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Principal {
    /// `ALIYUN$<login>`.
    Aliyun(String),
    /// `RAM$<login>:<user>`.
    Ram { account: String, user: String },
    /// `p4_<UserId>`: a member whose RAM user was deleted.
    Residual(u64),
    /// `RAM$<account>:role/<role>`: a RAM role as a member; odpscmd names its account by id.
    RamRole { account: String, role: String },
    /// `v4_<RoleId>`: a member whose RAM role was deleted.
    ResidualRole(u64),
}

impl Principal {
    /// The log-on name of the account the principal belongs to (none for a residual member,
    /// nor for a RAM role, whose account odpscmd names by id).
    pub fn account(&self) -> Option<&str> {
        match self {
            Principal::Aliyun(a) | Principal::Ram { account: a, .. } => Some(a),
            Principal::Residual(_) | Principal::RamRole { .. } | Principal::ResidualRole(_) => None,
        }
    }

    /// Whether it is a member whose RAM user or role was deleted (`p4_…`, `v4_…`).
    pub fn is_residual(&self) -> bool {
        matches!(self, Principal::Residual(_) | Principal::ResidualRole(_))
    }
}

impl std::fmt::Display for Principal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Principal::Aliyun(a) => write!(f, "ALIYUN${a}"),
            Principal::Ram { account, user } => write!(f, "RAM${account}:{user}"),
            Principal::Residual(uid) => write!(f, "p4_{uid}"),
            Principal::RamRole { account, role } => write!(f, "RAM${account}:role/{role}"),
            Principal::ResidualRole(id) => write!(f, "v4_{id}"),
        }
    }
}

/// The number of an internal id (`p4_<digits>`, `v4_<digits>`) after its prefix.
fn internal_number(digits: &str) -> Option<u64> {
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// Reads `ALIYUN$<login>`, `RAM$<login>:<user>`, `RAM$<account>:role/<role>`, `p4_<UserId>`
/// or `v4_<RoleId>` (backquotes allowed).
pub fn principal(text: &str) -> Option<Principal> {
    let text = text.trim().trim_matches('`');
    let word = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    };
    if let Some(uid) = text.strip_prefix("p4_") {
        return internal_number(uid).map(Principal::Residual);
    }
    if let Some(id) = text.strip_prefix("v4_") {
        return internal_number(id).map(Principal::ResidualRole);
    }
    let (provider, rest) = text.split_once('$')?;
    if provider.eq_ignore_ascii_case("ALIYUN") {
        return word(rest).then(|| Principal::Aliyun(rest.to_string()));
    }
    if provider.eq_ignore_ascii_case("RAM") {
        let (account, user) = rest.split_once(':')?;
        if let Some(role) = user.strip_prefix("role/") {
            let named = crate::world::ram_roles::check_role_name(role).is_ok();
            return (word(account) && named).then(|| Principal::RamRole {
                account: account.to_string(),
                role: role.to_string(),
            });
        }
        return (word(account) && word(user)).then(|| Principal::Ram {
            account: account.to_string(),
            user: user.to_string(),
        });
    }
    None
}

/// A principal of the captures, by its place in [`Principals`]: a capture names each member
/// several times (list users, describe role, show grants), and a hundred thousand members
/// should be parsed and kept once.
pub type Who = u32;

/// Every principal the captures name, each once. One table finds a principal by the hash of
/// how odpscmd spells it; a spelling that is not odpscmd's (backquotes, `ram$` in lower case)
/// is kept beside it, so that reading it again costs a lookup.
#[derive(Debug, Clone, Default)]
pub struct Principals {
    names: Vec<Principal>,
    /// (hash of the spelling, place).
    by_spelling: hashbrown::HashTable<(u64, Who)>,
    other_spellings: hashbrown::HashMap<Box<str>, Who>,
    hasher: hashbrown::DefaultHashBuilder,
    /// Where a principal is spelled out to be hashed.
    scratch: String,
}

impl PartialEq for Principals {
    fn eq(&self, other: &Self) -> bool {
        self.names == other.names
    }
}

impl Eq for Principals {}

/// Whether `text` is how odpscmd spells `p` (as `Display` writes it).
fn spells(p: &Principal, text: &str) -> bool {
    match p {
        Principal::Aliyun(a) => text.strip_prefix("ALIYUN$") == Some(a.as_str()),
        Principal::Ram { account, user } => {
            text.strip_prefix("RAM$")
                .and_then(|t| t.strip_prefix(account.as_str()))
                .and_then(|t| t.strip_prefix(':'))
                == Some(user.as_str())
        }
        Principal::Residual(uid) => spells_number("p4_", *uid, text),
        Principal::RamRole { account, role } => {
            text.strip_prefix("RAM$")
                .and_then(|t| t.strip_prefix(account.as_str()))
                .and_then(|t| t.strip_prefix(":role/"))
                == Some(role.as_str())
        }
        Principal::ResidualRole(id) => spells_number("v4_", *id, text),
    }
}

/// Whether `text` is `prefix` and `n` in digits, without leading zeros.
fn spells_number(prefix: &str, n: u64, text: &str) -> bool {
    text.strip_prefix(prefix)
        .is_some_and(|t| t.parse::<u64>().ok() == Some(n) && t == n.to_string())
}

impl Principals {
    fn hash_text(&self, text: &str) -> u64 {
        use std::hash::BuildHasher;
        self.hasher.hash_one(text)
    }

    fn hash_of(&mut self, p: &Principal) -> u64 {
        use std::fmt::Write;
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let _ = write!(scratch, "{p}");
        let hash = self.hash_text(&scratch);
        self.scratch = scratch;
        hash
    }

    /// The principal `text` spells, if it is one.
    pub fn read(&mut self, text: &str) -> Option<Who> {
        let hash = self.hash_text(text);
        let names = &self.names;
        if let Some((_, who)) = self.by_spelling.find(hash, |(h, w)| {
            *h == hash && spells(&names[*w as usize], text)
        }) {
            return Some(*who);
        }
        if let Some(who) = self.other_spellings.get(text) {
            return Some(*who);
        }
        let p = principal(text)?;
        let canonical = spells(&p, text);
        let who = self.intern(p);
        if !canonical {
            self.other_spellings.insert(text.into(), who);
        }
        Some(who)
    }

    /// The place of `p`, added when new.
    pub fn intern(&mut self, p: Principal) -> Who {
        let hash = self.hash_of(&p);
        let names = &self.names;
        if let Some((_, who)) = self
            .by_spelling
            .find(hash, |(h, w)| *h == hash && names[*w as usize] == p)
        {
            return *who;
        }
        let who = self.names.len() as Who;
        self.names.push(p);
        self.by_spelling
            .insert_unique(hash, (hash, who), |(h, _)| *h);
        who
    }

    pub fn get(&self, who: Who) -> Option<&Principal> {
        self.names.get(who as usize)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Who an ACL grant is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grantee {
    User(Who),
    /// A role, by lower-case name.
    Role(String),
}

/// An object of a project, by kind and lower-case name (the project itself has none).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Object {
    pub kind: ObjectKind,
    pub name: String,
}

/// One action granted on an object (or a column of a table), with its expiry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Grant {
    pub grantee: Grantee,
    pub object: Object,
    pub column: Option<String>,
    pub privilege: Privilege,
    pub expires: Option<u64>,
}

/// A table as `desc` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableFacts {
    pub comment: String,
    pub created: u64,
    /// Name, type, comment and (effective) sensitivity of each column, in order.
    pub columns: Vec<(String, String, String, u8)>,
    /// The table's own sensitivity (`TableLabel:`).
    pub label: u8,
}

/// A label grant as `show label grants` shows it: to whom, on which table and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LabelGrantFacts {
    pub grantee: Grantee,
    pub table: String,
    pub column: Option<String>,
}

/// What the captures show of one project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectFacts {
    pub name: String,
    /// From `show grants for` the owner, or `show acl`'s `project_owner/`.
    pub owner: Option<Who>,
    /// `list users`.
    pub members: Option<BTreeSet<Who>>,
    /// `list roles`, lower-cased.
    pub roles: Option<BTreeSet<String>>,
    /// Role → members, from `describe role`.
    pub role_members: BTreeMap<String, BTreeSet<Who>>,
    /// Member → roles, from `show grants for`'s `[roles]`.
    pub member_roles: BTreeMap<Who, BTreeSet<String>>,
    pub grants: BTreeSet<Grant>,
    /// Objects and who created them (`ObjectCreator`, `show acl`'s `object_creator/`).
    pub creators: BTreeMap<Object, Who>,
    /// Columns seen in column grants, by table.
    pub columns: BTreeMap<String, BTreeSet<String>>,
    /// `desc <table>`, by lower-cased name.
    pub tables: BTreeMap<String, TableFacts>,
    /// `show label grants for user`'s `User Label:`, by member.
    pub clearances: BTreeMap<Who, u8>,
    /// Label grants: the level and its expiry.
    pub label_grants: BTreeMap<LabelGrantFacts, (u8, u64)>,
    /// `get policy;`: the project policy (`None` when not captured; no statements when the
    /// project has none).
    pub project_policy: Option<PolicyDocument>,
    /// `get policy on role <r>;`: each role's policy as captured, and whether only an admin
    /// role may hold it (it names management actions).
    pub role_policies: BTreeMap<String, (PolicyDocument, bool)>,
    /// Policy lines shown for roles: (role, resource, actions) as printed.
    pub role_policy_lines: BTreeMap<String, Vec<String>>,
    /// `show SecurityConfiguration`: the flags, download control, the exception policy.
    pub flags: Option<BTreeMap<FlagKey, bool>>,
    pub exception: Option<String>,
    /// `list trustedprojects`, lower-cased.
    pub trusted: Option<BTreeSet<String>>,
    /// `list accountproviders`.
    pub providers: Option<BTreeSet<AccountProvider>>,
    /// `setproject`.
    pub properties: Option<BTreeMap<String, String>>,
}

/// A line of `show SecurityConfiguration`: a security flag, or download control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FlagKey {
    Flag(usize),
    DownloadPrivilege,
}

impl FlagKey {
    pub fn flag(flag: SecurityFlag) -> FlagKey {
        FlagKey::Flag(
            SecurityFlag::EVERY
                .iter()
                .position(|f| *f == flag)
                .unwrap_or_default(),
        )
    }

    pub fn security_flag(self) -> Option<SecurityFlag> {
        match self {
            FlagKey::Flag(i) => SecurityFlag::EVERY.get(i).copied(),
            FlagKey::DownloadPrivilege => None,
        }
    }
}

/// An AccessKey as `ListAccessKeys` shows it: no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFacts {
    pub id: String,
    pub active: bool,
    pub created: u64,
}

/// A policy attachment as `ListPoliciesForUser` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFacts {
    pub name: String,
    pub custom: bool,
    pub description: String,
    pub attached: u64,
}

/// A group as `ListGroupsForUser` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupFacts {
    pub id: String,
    pub name: String,
    pub comments: String,
    pub joined: u64,
}

/// Console log-on as `GetLoginProfile` shows it (no capture shows the password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginFacts {
    pub password_reset_required: bool,
    pub mfa_bind_required: bool,
    pub created: u64,
}

/// A virtual MFA device as `ListVirtualMFADevices` shows it (no capture shows its seed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaFacts {
    pub serial_number: String,
    /// The user it is bound to (name and UserId) and when it was bound.
    pub bound: Option<(String, u64, u64)>,
}

/// A RAM user of the capturing account as `ListUsers` shows it, with what the per-user
/// listings added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserFacts {
    pub uid: u64,
    pub name: String,
    pub display_name: String,
    pub comments: String,
    pub email: String,
    pub mobile_phone: String,
    pub created: u64,
    pub updated: u64,
    pub last_login: Option<u64>,
    pub keys: Option<Vec<KeyFacts>>,
    pub policies: Option<Vec<PolicyFacts>>,
    pub groups: Option<Vec<GroupFacts>>,
    /// `GetLoginProfile`: `None` when not captured, `Some(None)` when the user has none.
    pub login: Option<Option<LoginFacts>>,
}

/// A custom RAM policy as `ListPolicies` shows it, with what `ListPolicyVersions` added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomPolicyFacts {
    pub name: String,
    /// What `ListPolicies` shows: description, default version, created and updated.
    pub listed: Option<(String, u32, u64, u64)>,
    /// Every version: its number, document, creation time and whether it is the default.
    pub versions: Option<Vec<(u32, String, u64, bool)>>,
}

/// A RAM group as `ListGroups` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupShown {
    pub id: String,
    pub comments: String,
    pub created: u64,
    pub updated: u64,
}

/// A RAM group of the capturing account: what `ListGroups` shows of it (none when only
/// `ListPoliciesForGroup` names it) and its policies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupListing {
    pub name: String,
    pub shown: Option<GroupShown>,
    pub policies: Option<Vec<PolicyFacts>>,
}

/// A RAM role of the capturing account as `ListRoles` and `GetRole` show it, with what
/// `ListPoliciesForRole` added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleFacts {
    pub id: u64,
    pub name: String,
    pub description: String,
    /// `GetRole`'s `AssumeRolePolicyDocument` (a listing leaves it out).
    pub trust_policy: Option<String>,
    pub max_session: u64,
    pub created: u64,
    pub updated: u64,
    pub policies: Option<Vec<PolicyFacts>>,
}

/// What the captures of one account show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// `whoami`'s Name.
    pub caller: Option<Principal>,
    pub endpoint: Option<String>,
    /// `aliyun sts GetCallerIdentity`'s AccountId.
    pub account_id: Option<u64>,
    /// Every principal named in a project's captures.
    pub principals: Principals,
    /// Projects by lower-cased name.
    pub projects: BTreeMap<String, ProjectFacts>,
    /// `ListUsers` was captured (so it lists every RAM user).
    pub listed_users: bool,
    /// `ListUsers` said there were more pages.
    pub users_truncated: bool,
    /// RAM users by lower-cased name.
    pub users: BTreeMap<String, UserFacts>,
    /// Per-user listings of users `ListUsers` did not show (by lower-cased name).
    pub orphan_listings: BTreeSet<String>,
    /// `ListRoles` was captured (so it lists every RAM role).
    pub listed_roles: bool,
    /// `ListRoles` said there were more pages.
    pub roles_truncated: bool,
    /// RAM roles by lower-cased name.
    pub roles: BTreeMap<String, RoleFacts>,
    /// `ListPoliciesForRole` of roles no listing or `GetRole` shows (by lower-cased name).
    pub orphan_role_listings: BTreeSet<String>,
    /// `ListGroups` was captured (so it lists every RAM group).
    pub listed_groups: bool,
    /// `ListGroups` said there were more pages.
    pub groups_truncated: bool,
    /// RAM groups `ListGroups` or `ListPoliciesForGroup` shows, by lower-cased name (the
    /// groups users are in are also in their `ListGroupsForUser`).
    pub groups: BTreeMap<String, GroupListing>,
    /// The account id in the roles' ARNs (`acs:ram::<id>:role/<name>`).
    pub arn_account: Option<u64>,
    /// `ListPolicies --PolicyType Custom` was captured (so it lists every custom policy).
    pub listed_policies: bool,
    /// Custom RAM policies by lower-cased name.
    pub custom_policies: BTreeMap<String, CustomPolicyFacts>,
    /// `ListVirtualMFADevices`, when captured.
    pub mfa_devices: Option<Vec<MfaFacts>>,
    /// The main account's own keys (`ListAccessKeys` without `--UserName`).
    pub main_keys: Option<Vec<KeyFacts>>,
    /// Statements that failed on the real side: (where, statement, message).
    pub failed: Vec<(String, String, String)>,
}

impl Facts {
    /// A project's facts and the principals, to fill in together.
    pub fn project_and_principals(&mut self, name: &str) -> (&mut ProjectFacts, &mut Principals) {
        let Facts {
            projects,
            principals,
            ..
        } = self;
        let p = projects
            .entry(name.to_ascii_lowercase())
            .or_insert_with(|| ProjectFacts {
                name: name.to_string(),
                ..ProjectFacts::default()
            });
        (p, principals)
    }

    pub fn project(&mut self, name: &str) -> &mut ProjectFacts {
        self.projects
            .entry(name.to_ascii_lowercase())
            .or_insert_with(|| ProjectFacts {
                name: name.to_string(),
                ..ProjectFacts::default()
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ram_roles_and_their_residuals_are_principals() {
        let etl = Principal::RamRole {
            account: "5527380164285788".into(),
            role: "etl-nightly.v2".into(),
        };
        for text in [
            "RAM$5527380164285788:role/etl-nightly.v2",
            "`RAM$5527380164285788:role/etl-nightly.v2`",
        ] {
            assert_eq!(principal(text), Some(etl.clone()), "{text}");
        }
        assert_eq!(etl.to_string(), "RAM$5527380164285788:role/etl-nightly.v2");
        assert_eq!(etl.account(), None, "an account id is no log-on name");
        assert_eq!(
            principal("v4_300000000000000042"),
            Some(Principal::ResidualRole(300_000_000_000_000_042))
        );
        assert!(Principal::ResidualRole(1).is_residual() && !etl.is_residual());
        // RAM refuses `_` in a role name; `v4_` needs digits.
        for text in ["RAM$5527:role/etl_job", "RAM$5527:role/", "v4_", "v4_12x"] {
            assert_eq!(principal(text), None, "{text}");
        }
        // Read once, however it is spelled.
        let mut names = Principals::default();
        let a = names.read("RAM$5527380164285788:role/etl-nightly.v2");
        let b = names.read("`RAM$5527380164285788:role/etl-nightly.v2`");
        let c = names.read("v4_42");
        assert_eq!((a, b), (Some(0), Some(0)));
        assert_eq!((c, names.read("v4_42"), names.len()), (Some(1), Some(1), 2));
    }
}
