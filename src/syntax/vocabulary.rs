//! The fixed words of the authorization statements: privileges, object types, security flags,
//! account providers, resource kinds and column types, each with its canonical spelling.
//!
//! These are words of the language, so they live here; the world keeps its own types for what
//! it stores, and the engine translates.

use std::fmt;

/// An ACL privilege (an action on an object), matched case-insensitively, printed canonically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Privilege {
    Read,
    Write,
    List,
    CreateTable,
    CreateInstance,
    CreateFunction,
    CreateResource,
    Describe,
    Select,
    Alter,
    Update,
    Drop,
    ShowHistory,
    Download,
    Execute,
    Delete,
    All,
}

impl Privilege {
    pub const EVERY: [Privilege; 17] = [
        Privilege::Read,
        Privilege::Write,
        Privilege::List,
        Privilege::CreateTable,
        Privilege::CreateInstance,
        Privilege::CreateFunction,
        Privilege::CreateResource,
        Privilege::Describe,
        Privilege::Select,
        Privilege::Alter,
        Privilege::Update,
        Privilege::Drop,
        Privilege::ShowHistory,
        Privilege::Download,
        Privilege::Execute,
        Privilege::Delete,
        Privilege::All,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Privilege::Read => "Read",
            Privilege::Write => "Write",
            Privilege::List => "List",
            Privilege::CreateTable => "CreateTable",
            Privilege::CreateInstance => "CreateInstance",
            Privilege::CreateFunction => "CreateFunction",
            Privilege::CreateResource => "CreateResource",
            Privilege::Describe => "Describe",
            Privilege::Select => "Select",
            Privilege::Alter => "Alter",
            Privilege::Update => "Update",
            Privilege::Drop => "Drop",
            Privilege::ShowHistory => "ShowHistory",
            Privilege::Download => "Download",
            Privilege::Execute => "Execute",
            Privilege::Delete => "Delete",
            Privilege::All => "All",
        }
    }

    /// The privilege spelled `word`, in any case.
    pub fn named(word: &str) -> Option<Privilege> {
        Privilege::EVERY
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(word))
    }
}

impl fmt::Display for Privilege {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The type of an object named in `grant … on <type> <name>`, `show acl … on type <type>` and
/// `show grants … on type <type>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjectType {
    Project,
    Table,
    Function,
    Resource,
    Instance,
    Package,
}

use Privilege as P;

const PROJECT_PRIVILEGES: &[Privilege] = &[
    P::Read,
    P::Write,
    P::List,
    P::CreateTable,
    P::CreateInstance,
    P::CreateFunction,
    P::CreateResource,
    P::All,
];
const TABLE_PRIVILEGES: &[Privilege] = &[
    P::Describe,
    P::Select,
    P::Alter,
    P::Update,
    P::Drop,
    P::ShowHistory,
    P::Download,
    P::All,
];
/// Privileges that may be granted on single columns of a table.
pub const COLUMN_PRIVILEGES: &[Privilege] =
    &[P::Describe, P::Select, P::Alter, P::Update, P::Drop, P::All];
const FUNCTION_PRIVILEGES: &[Privilege] = &[
    P::Read,
    P::Write,
    P::Delete,
    P::Execute,
    P::Download,
    P::All,
];
const RESOURCE_PRIVILEGES: &[Privilege] = &[P::Read, P::Write, P::Delete, P::Download, P::All];
const INSTANCE_PRIVILEGES: &[Privilege] = &[P::Read, P::Write, P::Download, P::All];
const PACKAGE_PRIVILEGES: &[Privilege] = &[P::Read, P::All];

impl ObjectType {
    pub const EVERY: [ObjectType; 6] = [
        ObjectType::Project,
        ObjectType::Table,
        ObjectType::Function,
        ObjectType::Resource,
        ObjectType::Instance,
        ObjectType::Package,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ObjectType::Project => "project",
            ObjectType::Table => "table",
            ObjectType::Function => "function",
            ObjectType::Resource => "resource",
            ObjectType::Instance => "instance",
            ObjectType::Package => "package",
        }
    }

    pub fn named(word: &str) -> Option<ObjectType> {
        ObjectType::EVERY
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(word))
    }

    /// The privileges objects of this type have.
    pub fn privileges(self) -> &'static [Privilege] {
        match self {
            ObjectType::Project => PROJECT_PRIVILEGES,
            ObjectType::Table => TABLE_PRIVILEGES,
            ObjectType::Function => FUNCTION_PRIVILEGES,
            ObjectType::Resource => RESOURCE_PRIVILEGES,
            ObjectType::Instance => INSTANCE_PRIVILEGES,
            ObjectType::Package => PACKAGE_PRIVILEGES,
        }
    }

    /// What a parse error expects where a privilege of this type is missing.
    pub fn expected_privilege(self) -> &'static str {
        match self {
            ObjectType::Project => {
                "a privilege of projects (Read, Write, List, CreateTable, CreateInstance, CreateFunction, CreateResource, All)"
            }
            ObjectType::Table => {
                "a privilege of tables (Describe, Select, Alter, Update, Drop, ShowHistory, Download, All)"
            }
            ObjectType::Function => {
                "a privilege of functions (Read, Write, Delete, Execute, Download, All)"
            }
            ObjectType::Resource => "a privilege of resources (Read, Write, Delete, Download, All)",
            ObjectType::Instance => "a privilege of instances (Read, Write, Download, All)",
            ObjectType::Package => "a privilege of packages (Read, All)",
        }
    }
}

impl fmt::Display for ObjectType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

pub const EXPECTED_PRIVILEGE_OF_COLUMNS: &str =
    "a privilege of columns (Describe, Select, Alter, Update, Drop, All)";
pub const EXPECTED_OBJECT_TYPE: &str =
    "an object type (project, table, function, resource, instance, package)";

/// A project security flag set with `set <flag>=true|false`, matched case-insensitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecurityFlag {
    CheckPermissionUsingAcl,
    CheckPermissionUsingPolicy,
    ObjectCreatorHasAccessPermission,
    ObjectCreatorHasGrantPermission,
    LabelSecurity,
    ProjectProtection,
    ExternalResourceAccessControl,
}

impl SecurityFlag {
    pub const EVERY: [SecurityFlag; 7] = [
        SecurityFlag::CheckPermissionUsingAcl,
        SecurityFlag::CheckPermissionUsingPolicy,
        SecurityFlag::ObjectCreatorHasAccessPermission,
        SecurityFlag::ObjectCreatorHasGrantPermission,
        SecurityFlag::LabelSecurity,
        SecurityFlag::ProjectProtection,
        SecurityFlag::ExternalResourceAccessControl,
    ];

    /// The spelling `show SecurityConfiguration` uses.
    pub fn as_str(self) -> &'static str {
        match self {
            SecurityFlag::CheckPermissionUsingAcl => "CheckPermissionUsingAcl",
            SecurityFlag::CheckPermissionUsingPolicy => "CheckPermissionUsingPolicy",
            SecurityFlag::ObjectCreatorHasAccessPermission => "ObjectCreatorHasAccessPermission",
            SecurityFlag::ObjectCreatorHasGrantPermission => "ObjectCreatorHasGrantPermission",
            SecurityFlag::LabelSecurity => "LabelSecurity",
            SecurityFlag::ProjectProtection => "ProjectProtection",
            SecurityFlag::ExternalResourceAccessControl => "ExternalResourceAccessControl",
        }
    }

    pub fn named(word: &str) -> Option<SecurityFlag> {
        SecurityFlag::EVERY
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(word))
    }
}

/// An account system a project may recognise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderName {
    Aliyun,
    Ram,
}

impl ProviderName {
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderName::Aliyun => "ALIYUN",
            ProviderName::Ram => "RAM",
        }
    }
}

/// The kind of a resource added with `add <kind> <file>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    File,
    Jar,
    Archive,
    Py,
}

impl ResourceKind {
    pub const EVERY: [ResourceKind; 4] = [
        ResourceKind::File,
        ResourceKind::Jar,
        ResourceKind::Archive,
        ResourceKind::Py,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::File => "file",
            ResourceKind::Jar => "jar",
            ResourceKind::Archive => "archive",
            ResourceKind::Py => "py",
        }
    }

    pub fn named(word: &str) -> Option<ResourceKind> {
        ResourceKind::EVERY
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(word))
    }
}

/// The column types `create table` accepts (MaxCompute's primitive types).
pub const COLUMN_TYPES: [&str; 15] = [
    "tinyint",
    "smallint",
    "int",
    "bigint",
    "float",
    "double",
    "decimal",
    "varchar",
    "char",
    "string",
    "binary",
    "datetime",
    "date",
    "timestamp",
    "boolean",
];

pub const EXPECTED_COLUMN_TYPE: &str = "a column type (tinyint, smallint, int, bigint, float, double, decimal, varchar, char, string, binary, datetime, date, timestamp, boolean)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_in_any_case_and_print_canonically() {
        assert_eq!(
            Privilege::named("createtable"),
            Some(Privilege::CreateTable)
        );
        assert_eq!(
            Privilege::named("SELECT").map(|p| p.as_str()),
            Some("Select")
        );
        assert_eq!(Privilege::named("Run"), None);
        assert_eq!(ObjectType::named("TABLE"), Some(ObjectType::Table));
        assert_eq!(
            SecurityFlag::named("checkpermissionusingacl"),
            Some(SecurityFlag::CheckPermissionUsingAcl)
        );
        assert_eq!(ResourceKind::named("JAR"), Some(ResourceKind::Jar));
    }

    #[test]
    fn each_type_has_its_documented_privileges() {
        let names =
            |t: ObjectType| -> Vec<&str> { t.privileges().iter().map(|p| p.as_str()).collect() };
        assert_eq!(
            names(ObjectType::Project),
            [
                "Read",
                "Write",
                "List",
                "CreateTable",
                "CreateInstance",
                "CreateFunction",
                "CreateResource",
                "All"
            ]
        );
        assert!(names(ObjectType::Table).contains(&"ShowHistory"));
        assert!(!names(ObjectType::Table).contains(&"Execute"));
        assert_eq!(names(ObjectType::Package), ["Read", "All"]);
        for t in ObjectType::EVERY {
            let listed = t.expected_privilege();
            for p in t.privileges() {
                assert!(listed.contains(p.as_str()), "{t}: {p}");
            }
        }
    }
}
