//! The abstract syntax of the statements odpsh understands.
//!
//! Every node prints back as canonical source (`Display`), and parsing that text gives the
//! same node again: a property test pins the round trip.

use std::fmt;

pub use super::ast_authz::{
    AclChange, AddResource, ColumnDef, ObjectRef, Quoted, SelectQuery, Subject, TableRef,
};
pub use super::console::ConsoleCommand;
pub use super::vocabulary::{ObjectType, Privilege, ProviderName, ResourceKind, SecurityFlag};

/// One statement: a MaxCompute security statement or a simulated console command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Statement {
    ListUsers,
    ListRoles,
    AddUser(PrincipalName),
    RemoveUser(PrincipalName),
    CreateRole(RoleName),
    DropRole(RoleName),
    GrantRoles {
        roles: Vec<RoleName>,
        grantee: PrincipalName,
    },
    RevokeRoles {
        roles: Vec<RoleName>,
        grantee: PrincipalName,
    },
    DescribeRole(RoleName),
    /// `create project <p>`: not possible from the CLI (permission matrix row 2).
    CreateProject(String),
    /// `drop project <p>`: not possible from the CLI (permission matrix row 2).
    DropProject(String),
    /// `setproject;` lists the project properties; `setproject <key>=<value>;` sets one.
    SetProject(Option<(String, String)>),
    /// `show matrix [for <words>];`: the permission matrix, whole or the rows about the words.
    ShowMatrix(Option<String>),
    WhoAmI,
    Use(String),
    /// `login <AccessKeyId> <AccessKeySecret>`: act as the owner of that AccessKey.
    Login {
        access_key_id: String,
        secret: String,
    },
    Quit,
    Console(ConsoleCommand),
    /// `create table [if not exists] <t> (<column> <type>, …) [comment '<text>']`: a job.
    CreateTable {
        if_not_exists: bool,
        name: String,
        columns: Vec<ColumnDef>,
        comment: Option<String>,
    },
    /// `drop table [if exists] <t>`: a job.
    DropTable {
        if_exists: bool,
        name: String,
    },
    ShowTables,
    /// `desc [<project>.]<table>`.
    DescribeTable(TableRef),
    AddResource(AddResource),
    ListResources,
    DropResource(String),
    /// `create function <f> as '<class>' using '<resource>[,<resource>…]'`.
    CreateFunction {
        name: String,
        class: String,
        resources: Vec<String>,
    },
    ListFunctions,
    DropFunction(String),
    /// `select …`: a job.
    Select(SelectQuery),
    /// `insert into|overwrite table <t> select …`: a job.
    Insert {
        overwrite: bool,
        target: TableRef,
        query: SelectQuery,
    },
    ShowInstances,
    DescribeInstance(String),
    GrantPrivileges(AclChange),
    RevokePrivileges(AclChange),
    /// `show grants [for user <p> | for role <r>] [on type <t>]`.
    ShowGrants {
        subject: Option<Subject>,
        on_type: Option<ObjectType>,
    },
    /// `show acl for <object> [on type <t>]` (the type defaults to table).
    ShowAcl {
        object: String,
        on_type: Option<ObjectType>,
    },
    ShowPrincipals(RoleName),
    ClearExpiredGrants,
    /// `set <key>=<value>`: a project security flag, or else a session setting. `value` is
    /// `None` when there is no `=`.
    Set {
        key: String,
        value: Option<String>,
    },
    ShowSecurityConfiguration,
    ListTrustedProjects,
    AddTrustedProject(String),
    RemoveTrustedProject(String),
    ListAccountProviders,
    AddAccountProvider(ProviderName),
    RemoveAccountProvider(ProviderName),
}

impl Statement {
    /// True for the statements the service takes as security queries (odpscmd's
    /// AuthorizationCommand and `whoami`, sent to `/projects/<p>/authorization`). The others are
    /// SQL jobs (objects, `select`, `insert`), project properties and security configuration
    /// (their own REST resources), client commands, or odpsh's own.
    pub fn is_security_query(&self) -> bool {
        match self {
            Statement::ListUsers
            | Statement::ListRoles
            | Statement::AddUser(_)
            | Statement::RemoveUser(_)
            | Statement::CreateRole(_)
            | Statement::DropRole(_)
            | Statement::GrantRoles { .. }
            | Statement::RevokeRoles { .. }
            | Statement::DescribeRole(_)
            | Statement::WhoAmI
            | Statement::GrantPrivileges(_)
            | Statement::RevokePrivileges(_)
            | Statement::ShowGrants { .. }
            | Statement::ShowAcl { .. }
            | Statement::ShowPrincipals(_)
            | Statement::ClearExpiredGrants
            | Statement::ListTrustedProjects
            | Statement::AddTrustedProject(_)
            | Statement::RemoveTrustedProject(_)
            | Statement::ListAccountProviders
            | Statement::AddAccountProvider(_)
            | Statement::RemoveAccountProvider(_) => true,
            Statement::CreateProject(_)
            | Statement::DropProject(_)
            | Statement::SetProject(_)
            | Statement::ShowMatrix(_)
            | Statement::Use(_)
            | Statement::Login { .. }
            | Statement::Quit
            | Statement::Console(_)
            | Statement::CreateTable { .. }
            | Statement::DropTable { .. }
            | Statement::ShowTables
            | Statement::DescribeTable(_)
            | Statement::AddResource(_)
            | Statement::ListResources
            | Statement::DropResource(_)
            | Statement::CreateFunction { .. }
            | Statement::ListFunctions
            | Statement::DropFunction(_)
            | Statement::Select(_)
            | Statement::Insert { .. }
            | Statement::ShowInstances
            | Statement::DescribeInstance(_)
            | Statement::Set { .. }
            | Statement::ShowSecurityConfiguration => false,
        }
    }

    /// True for statements that change nothing anywhere (used to skip saving).
    pub fn is_read_only(&self) -> bool {
        match self {
            Statement::ListUsers
            | Statement::ListRoles
            | Statement::DescribeRole(_)
            | Statement::SetProject(None)
            | Statement::ShowMatrix(_)
            | Statement::WhoAmI
            | Statement::Use(_)
            | Statement::Login { .. }
            | Statement::Quit
            | Statement::ShowTables
            | Statement::DescribeTable(_)
            | Statement::ListResources
            | Statement::ListFunctions
            | Statement::ShowInstances
            | Statement::DescribeInstance(_)
            | Statement::ShowGrants { .. }
            | Statement::ShowAcl { .. }
            | Statement::ShowPrincipals(_)
            | Statement::ShowSecurityConfiguration
            | Statement::ListTrustedProjects
            | Statement::ListAccountProviders => true,
            Statement::Set { key, .. } => SecurityFlag::named(key).is_none(),
            Statement::Console(c) => c.is_read_only(),
            _ => false,
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

fn write_roles(f: &mut fmt::Formatter<'_>, roles: &[RoleName]) -> fmt::Result {
    for (i, role) in roles.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{role}")?;
    }
    Ok(())
}

impl fmt::Display for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Statement::ListUsers => f.write_str("list users"),
            Statement::ListRoles => f.write_str("list roles"),
            Statement::AddUser(p) => write!(f, "add user {p}"),
            Statement::RemoveUser(p) => write!(f, "remove user {p}"),
            Statement::CreateRole(r) => write!(f, "create role {r}"),
            Statement::DropRole(r) => write!(f, "drop role {r}"),
            Statement::GrantRoles { roles, grantee } => {
                f.write_str("grant ")?;
                write_roles(f, roles)?;
                write!(f, " to {grantee}")
            }
            Statement::RevokeRoles { roles, grantee } => {
                f.write_str("revoke ")?;
                write_roles(f, roles)?;
                write!(f, " from {grantee}")
            }
            Statement::DescribeRole(r) => write!(f, "describe role {r}"),
            Statement::CreateProject(p) => write!(f, "create project {p}"),
            Statement::DropProject(p) => write!(f, "drop project {p}"),
            Statement::SetProject(None) => f.write_str("setproject"),
            Statement::SetProject(Some((key, value))) => write!(f, "setproject {key}={value}"),
            Statement::ShowMatrix(None) => f.write_str("show matrix"),
            Statement::ShowMatrix(Some(words)) => write!(f, "show matrix for {words}"),
            Statement::WhoAmI => f.write_str("whoami"),
            Statement::Use(p) => write!(f, "use {p}"),
            Statement::Login {
                access_key_id,
                secret,
            } => write!(f, "login {access_key_id} {secret}"),
            Statement::Quit => f.write_str("quit"),
            Statement::Console(c) => write!(f, "{c}"),
            Statement::CreateTable {
                if_not_exists,
                name,
                columns,
                comment,
            } => {
                f.write_str("create table ")?;
                if *if_not_exists {
                    f.write_str("if not exists ")?;
                }
                let columns: Vec<String> = columns.iter().map(ToString::to_string).collect();
                write!(f, "{name} ({})", columns.join(", "))?;
                if let Some(c) = comment {
                    write!(f, " comment {}", Quoted(c))?;
                }
                Ok(())
            }
            Statement::DropTable { if_exists, name } => {
                let guard = if *if_exists { "if exists " } else { "" };
                write!(f, "drop table {guard}{name}")
            }
            Statement::ShowTables => f.write_str("show tables"),
            Statement::DescribeTable(t) => write!(f, "desc {t}"),
            Statement::AddResource(r) => write!(f, "{r}"),
            Statement::ListResources => f.write_str("list resources"),
            Statement::DropResource(r) => write!(f, "drop resource {r}"),
            Statement::CreateFunction {
                name,
                class,
                resources,
            } => write!(
                f,
                "create function {name} as {} using {}",
                Quoted(class),
                Quoted(&resources.join(","))
            ),
            Statement::ListFunctions => f.write_str("list functions"),
            Statement::DropFunction(name) => write!(f, "drop function {name}"),
            Statement::Select(q) => write!(f, "{q}"),
            Statement::Insert {
                overwrite,
                target,
                query,
            } => {
                let mode = if *overwrite { "overwrite" } else { "into" };
                write!(f, "insert {mode} table {target} {query}")
            }
            Statement::ShowInstances => f.write_str("show instances"),
            Statement::DescribeInstance(id) => write!(f, "desc instance {id}"),
            Statement::GrantPrivileges(change) => change.write(f, "grant", "to"),
            Statement::RevokePrivileges(change) => change.write(f, "revoke", "from"),
            Statement::ShowGrants { subject, on_type } => {
                f.write_str("show grants")?;
                if let Some(s) = subject {
                    write!(f, " for {s}")?;
                }
                if let Some(t) = on_type {
                    write!(f, " on type {t}")?;
                }
                Ok(())
            }
            Statement::ShowAcl { object, on_type } => {
                write!(f, "show acl for {object}")?;
                if let Some(t) = on_type {
                    write!(f, " on type {t}")?;
                }
                Ok(())
            }
            Statement::ShowPrincipals(r) => write!(f, "show principals for role {r}"),
            Statement::ClearExpiredGrants => f.write_str("clear expired grants"),
            Statement::Set { key, value: None } => write!(f, "set {key}"),
            Statement::Set {
                key,
                value: Some(v),
            } => write!(f, "set {key}={v}"),
            Statement::ShowSecurityConfiguration => f.write_str("show SecurityConfiguration"),
            Statement::ListTrustedProjects => f.write_str("list trustedprojects"),
            Statement::AddTrustedProject(p) => write!(f, "add trustedproject {p}"),
            Statement::RemoveTrustedProject(p) => write!(f, "remove trustedproject {p}"),
            Statement::ListAccountProviders => f.write_str("list accountproviders"),
            Statement::AddAccountProvider(p) => write!(f, "add accountprovider {}", p.as_str()),
            Statement::RemoveAccountProvider(p) => {
                write!(f, "remove accountprovider {}", p.as_str())
            }
        }
    }
}
