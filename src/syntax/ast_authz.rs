//! The parts of the object and authorization statements: table references, column
//! definitions, queries, ACL objects and subjects. Each prints back as canonical source.

use std::fmt;

use super::ast::{PrincipalName, RoleName};
use super::vocabulary::{ObjectKind, Privilege, ResourceKind};

/// A string literal printed back single-quoted, with `\` and `'` escaped.
pub struct Quoted<'a>(pub &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("'")?;
        for c in self.0.chars() {
            if c == '\'' || c == '\\' {
                f.write_str("\\")?;
            }
            write!(f, "{c}")?;
        }
        f.write_str("'")
    }
}

/// A table, optionally in another project: `[<project>.]<table>`. The table name is folded to
/// lower case (MaxCompute object names are case-insensitive); the project name is kept as typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TableRef {
    pub project: Option<String>,
    pub table: String,
}

impl fmt::Display for TableRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.project {
            Some(p) => write!(f, "{p}.{}", self.table),
            None => f.write_str(&self.table),
        }
    }
}

/// A column of `create table`: name (lower case), type as written (lower case), comment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ColumnDef {
    pub name: String,
    pub data_type: String,
    pub comment: Option<String>,
}

impl fmt::Display for ColumnDef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.data_type)?;
        if let Some(c) = &self.comment {
            write!(f, " comment {}", Quoted(c))?;
        }
        Ok(())
    }
}

/// `select <columns> from <table> [limit <n>]`; `columns` is `None` for `*`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SelectQuery {
    pub columns: Option<Vec<String>>,
    pub from: TableRef,
    pub limit: Option<u64>,
}

impl fmt::Display for SelectQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.columns {
            None => f.write_str("select *")?,
            Some(cols) => write!(f, "select {}", cols.join(", "))?,
        }
        write!(f, " from {}", self.from)?;
        if let Some(n) = self.limit {
            write!(f, " limit {n}")?;
        }
        Ok(())
    }
}

/// The object of an ACL grant: its type, its name (lower case; `<project>.<package>` for an
/// installed package) and, for a table, the columns the grant is limited to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectRef {
    pub kind: ObjectKind,
    pub name: String,
    pub columns: Vec<String>,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.name)?;
        if !self.columns.is_empty() {
            write!(f, " ({})", self.columns.join(", "))?;
        }
        Ok(())
    }
}

/// Who an ACL grant is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    User(PrincipalName),
    Role(RoleName),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::User(p) => write!(f, "user {p}"),
            Subject::Role(r) => write!(f, "role {r}"),
        }
    }
}

/// `grant|revoke <privileges> on <object> to|from <subject> [privilegeproperties(…)]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AclChange {
    pub privileges: Vec<Privilege>,
    pub object: ObjectRef,
    pub subject: Subject,
    /// `privilegeproperties("<key>"="<value>", …)`, keys as written.
    pub properties: Vec<(String, String)>,
}

impl AclChange {
    pub(super) fn write(&self, f: &mut fmt::Formatter<'_>, verb: &str, to: &str) -> fmt::Result {
        let privileges: Vec<&str> = self.privileges.iter().map(|p| p.as_str()).collect();
        write!(
            f,
            "{verb} {} on {} {to} {}",
            privileges.join(", "),
            self.object,
            self.subject
        )?;
        if !self.properties.is_empty() {
            let props: Vec<String> = self
                .properties
                .iter()
                .map(|(k, v)| format!("{}={}", Quoted(k), Quoted(v)))
                .collect();
            write!(f, " privilegeproperties({})", props.join(", "))?;
        }
        Ok(())
    }
}

/// `add <kind> <file> [as <name>] [comment '<text>'] [-f]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AddResource {
    pub kind: ResourceKind,
    /// The local file as typed.
    pub file: String,
    /// The resource name: the alias, or the file's last path segment, lower case.
    pub name: String,
    pub alias: bool,
    pub comment: Option<String>,
    /// `-f`: overwrite an existing resource.
    pub force: bool,
}

impl fmt::Display for AddResource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "add {} {}", self.kind.as_str(), self.file)?;
        if self.alias {
            write!(f, " as {}", self.name)?;
        }
        if let Some(c) = &self.comment {
            write!(f, " comment {}", Quoted(c))?;
        }
        if self.force {
            f.write_str(" -f")?;
        }
        Ok(())
    }
}
