//! The abstract syntax of the statements odpsh understands.
//!
//! Every node prints back as canonical source (`Display`), and parsing that text gives the
//! same node again: a property test pins the round trip.

use std::fmt;

pub use super::acl::AclStatement;
pub use super::ast_authz::{
    AclChange, AddResource, ColumnDef, ObjectRef, Quoted, SelectQuery, Subject, TableRef,
};
pub use super::console::ConsoleCommand;
pub use super::family::{Affected, Family};
pub use super::labels::{LabelStatement, Labelled};
pub use super::objects::ObjectStatement;
pub use super::packages::{PackageStatement, PackedObject};
pub use super::policy::{PolicyGrant, PolicyStatement};
pub use super::project::ProjectStatement;
pub use super::roles::RoleStatement;
pub use super::session::SessionStatement;
pub use super::settings::SettingStatement;
pub use super::tunnel::{DownloadSource, TunnelDownload, TunnelStatement};
pub use super::users::UserStatement;
pub use super::vocabulary::{AccountProvider, ObjectKind, Privilege, ResourceKind, SecurityFlag};

/// One statement: a MaxCompute statement of one family, or a simulated console command. Each
/// family's module holds its statements, their canonical text, their parsers and its answers
/// to the questions of [`Family`]; this enum only names the families, and its [`Family`]
/// impl and `Display` are the one dispatcher of those questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Statement {
    Users(UserStatement),
    Roles(RoleStatement),
    Acl(AclStatement),
    Objects(ObjectStatement),
    Settings(SettingStatement),
    Project(ProjectStatement),
    Session(SessionStatement),
    Labels(LabelStatement),
    Policy(PolicyStatement),
    Packages(PackageStatement),
    Tunnel(TunnelStatement),
    Console(ConsoleCommand),
}

impl Statement {
    /// The family's answer, whatever the family.
    fn family(&self) -> &dyn Family {
        match self {
            Statement::Users(s) => s,
            Statement::Roles(s) => s,
            Statement::Acl(s) => s,
            Statement::Objects(s) => s,
            Statement::Settings(s) => s,
            Statement::Project(s) => s,
            Statement::Session(s) => s,
            Statement::Labels(s) => s,
            Statement::Policy(s) => s,
            Statement::Packages(s) => s,
            Statement::Tunnel(s) => s,
            Statement::Console(s) => s,
        }
    }

    /// True for the statements the service takes as security queries (see
    /// [`Family::is_security_query`]).
    pub fn is_security_query(&self) -> bool {
        self.family().is_security_query()
    }

    /// True for statements that change nothing anywhere (used to skip saving).
    pub fn is_read_only(&self) -> bool {
        self.family().is_read_only()
    }

    /// Whether the interactive shell asks for confirmation first.
    pub fn asks_confirmation(&self) -> bool {
        self.family().asks_confirmation()
    }

    /// Whether it carries a secret.
    pub fn carries_secret(&self) -> bool {
        self.family().carries_secret()
    }

    /// Whom it can change, for `check`.
    pub fn affects(&self) -> Vec<Affected<'_>> {
        self.family().affects()
    }
}

impl fmt::Display for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Statement::Users(s) => write!(f, "{s}"),
            Statement::Roles(s) => write!(f, "{s}"),
            Statement::Acl(s) => write!(f, "{s}"),
            Statement::Objects(s) => write!(f, "{s}"),
            Statement::Settings(s) => write!(f, "{s}"),
            Statement::Project(s) => write!(f, "{s}"),
            Statement::Session(s) => write!(f, "{s}"),
            Statement::Labels(s) => write!(f, "{s}"),
            Statement::Policy(s) => write!(f, "{s}"),
            Statement::Packages(s) => write!(f, "{s}"),
            Statement::Tunnel(s) => write!(f, "{s}"),
            Statement::Console(s) => write!(f, "{s}"),
        }
    }
}

/// A project role name, folded to lower case (MaxCompute role names are case-insensitive).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoleName(String);

impl RoleName {
    /// Builds a role name, folding it to lower case.
    pub fn new(text: &str) -> Self {
        RoleName(text.to_ascii_lowercase())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RoleName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A principal as written in a statement, before it is resolved against any account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PrincipalName {
    /// `ALIYUN$<login or account id>`
    Aliyun { account: String },
    /// `RAM$<main login or account id>:<ram user>` or the short form `RAM$<ram user>`.
    RamUser {
        account: Option<String>,
        user: String,
    },
    /// `` `RAM$<main login or account id>:role/<ram role>` `` (back-quoted).
    RamRole { account: String, role: String },
    /// An internal id such as `p4_2652900123456789`: it names no account provider.
    Internal(String),
    /// `<PROVIDER>$<body>` for a provider prefix odpsh does not know.
    OtherProvider { provider: String, body: String },
}

impl fmt::Display for PrincipalName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrincipalName::Aliyun { account } => write!(f, "ALIYUN${account}"),
            PrincipalName::RamUser {
                account: Some(account),
                user,
            } => write!(f, "RAM${account}:{user}"),
            PrincipalName::RamUser {
                account: None,
                user,
            } => write!(f, "RAM${user}"),
            PrincipalName::RamRole { account, role } => write!(f, "`RAM${account}:role/{role}`"),
            PrincipalName::Internal(id) => f.write_str(id),
            PrincipalName::OtherProvider { provider, body } => write!(f, "{provider}${body}"),
        }
    }
}
