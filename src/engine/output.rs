//! What a successful statement produced: data for the renderer, names already resolved, times
//! as seconds since the epoch.

use super::error::OdpsError;

/// What a successful statement produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Nothing to show: printed `OK`.
    Done,
    /// Lines of text, one item each (`list users`, `list roles`, `setproject;`, `show
    /// principals`, `list trustedprojects`); a JSON array of strings.
    Lines(Vec<String>),
    /// A table in the console's box, after labelled values (`User Label: 0`) and a blank line
    /// when there are any; in JSON an object of the labelled values and `rows`, each row an
    /// object keyed by the column names.
    Table(Table),
    /// `describe role`: the role's members, then its grants.
    RoleDescription {
        role: String,
        users: Vec<String>,
        grants: GrantReport,
    },
    WhoAmI {
        name: String,
        endpoint: String,
        project: String,
    },
    /// Labelled values, printed `Label: value` one per line (the console's hand-over page).
    Fields(Vec<(String, String)>),
    /// `show matrix`: these rows of the permission matrix.
    Matrix(Vec<u8>),
    /// An output with a warning printed before it (on stderr).
    Warned {
        warning: String,
        output: Box<Output>,
    },
    /// A console API's JSON reply, keys in the documented order.
    Json(serde_json::Value),
    /// `login` with a key whose owner cannot use the current project: the identity is switched
    /// and the project access failure is reported (printed as odpscmd prints it at start-up).
    ProjectInaccessible { project: String, error: OdpsError },
    /// `quit`: the shell leaves.
    Quit,
    /// `OK` printed on stderr, as odpscmd does for the `set` statements it runs itself.
    SetOk,
    /// A job ran: its instance id (printed `ID = <id>` on stderr), then its result.
    Job {
        instance: String,
        result: Box<Output>,
    },
    /// `select`: the columns of the result; no data is stored, so there are no rows.
    QueryResult { columns: Vec<String> },
    /// `show tables`.
    Tables(Vec<TableListing>),
    /// `desc <table>`.
    TableDescription(TableDescription),
    /// `list resources`.
    Resources(Vec<ResourceListing>),
    /// `list functions`.
    Functions(Vec<FunctionListing>),
    /// `show instances`.
    Instances(Vec<InstanceListing>),
    /// `desc instance <id>`.
    InstanceDescription(InstanceListing),
    /// `show grants [for …]`.
    Grants(GrantReport),
    /// `show acl for <object>`.
    Acl(AclReport),
    /// `show SecurityConfiguration`: `<Name>=<bool>` lines, then the exception policy project
    /// protection was set with, if any (compact JSON).
    SecurityConfiguration {
        flags: Vec<(&'static str, bool)>,
        exception: Option<String>,
    },
    /// `list accountproviders`: the providers on one line, `ALIYUN, RAM`.
    Providers(Vec<&'static str>),
    /// `show packages`.
    PackageList(PackageList),
    /// `describe package`.
    PackageDescription(PackageDescription),
    /// `tunnel download`: what to write to the local file, and the summary to print.
    Download(Download),
}

/// `show packages`: those the project created, then those it installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageList {
    /// (name, creation time)
    pub created: Vec<(String, u64)>,
    /// (package, source project, status, installation time)
    pub installed: Vec<(String, String, &'static str, u64)>,
}

/// `describe package`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageDescription {
    pub created: u64,
    pub name: String,
    pub source: String,
    /// (TYPE, name, privileges joined by `,`)
    pub objects: Vec<(String, String, String)>,
    /// (project, label)
    pub allowed: Vec<(String, u8)>,
}

/// A download the engine allowed: the shell writes `contents` to `file` and prints the
/// summary (the world holds no rows, so the contents are at most the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub file: String,
    pub contents: String,
    pub session: String,
    pub records: u64,
}

/// A table to print in the console's box (see [`Output::Table`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Labelled values printed before the table, `Label: value` each.
    pub labels: Vec<(String, String)>,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableListing {
    pub owner: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDescription {
    pub owner: String,
    pub project: String,
    pub name: String,
    pub comment: String,
    pub created: u64,
    /// (name, type, comment)
    pub columns: Vec<(String, String, String)>,
    /// Its sensitivity labels, when it has any (LabelSecurity).
    pub labels: Option<DescribedLabels>,
}

/// A labelled table's sensitivity as `desc` shows it: of the table, the highest of any
/// column, and each column's (in column order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribedLabels {
    pub table: u8,
    pub max: u8,
    pub columns: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceListing {
    pub name: String,
    pub owner: String,
    pub kind: &'static str,
    pub comment: String,
    pub updated: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionListing {
    pub name: String,
    pub owner: String,
    pub created: u64,
    pub class: String,
    pub resources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceListing {
    pub id: String,
    pub owner: String,
    pub started: u64,
    pub query: String,
}

/// One line of `show grants`: `<marker>\t<resource>: <actions joined by " | ">`, with
/// `\tExpires:<time>` when the grant expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantLine {
    pub marker: &'static str,
    pub resource: String,
    pub actions: Vec<String>,
    pub expires: Option<u64>,
}

/// Lines under a `[role/<r>]` or `[user/<name>]` header (no header in `describe role`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantBlock {
    pub header: Option<String>,
    pub lines: Vec<GrantLine>,
}

/// What `show grants` and `describe role` print, section by section; empty sections are left
/// out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GrantReport {
    /// For the project owner: its name and the project (`projects/<p>: Project Owner`).
    pub owner: Option<(String, String)>,
    /// The `[roles]` section of a user (present, maybe empty, for users).
    pub roles: Option<Vec<String>>,
    pub acl: Vec<GrantBlock>,
    pub policy: Vec<GrantBlock>,
    pub object_creator: Vec<GrantLine>,
}

/// One line of `show acl`: `<marker>\t<kind>/<name>[(<resource>)]: <actions>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclLine {
    pub marker: &'static str,
    pub principal: String,
    pub resource: Option<String>,
    pub actions: Vec<String>,
    pub expires: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AclReport {
    pub implicit: Vec<AclLine>,
    pub acl: Vec<AclLine>,
    /// The policy statements (role policies and the project policy) whose resource covers the
    /// object, allows and denies.
    pub policy: Vec<AclLine>,
}
