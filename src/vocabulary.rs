//! The words the statements and the world share, defined once: privileges (the actions an ACL
//! grants), object kinds, resource kinds, account providers and the project security flags.
//! The parser reads them (`named`), the world stores them, the renderer prints them (`as_str`);
//! no layer keeps its own copy or a table translating between copies.
//!
//! The order of [`Privilege`] is the order `show grants` prints actions in, and the order the
//! state file stores them by; the serde names are the state file's.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An ACL privilege: an action on an object. Matched case-insensitively, printed canonically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Privilege {
    Read,
    Write,
    CreateTable,
    CreateResource,
    CreateInstance,
    CreateFunction,
    List,
    Download,
    Describe,
    Select,
    Alter,
    Update,
    Drop,
    ShowHistory,
    Execute,
    Delete,
    All,
}

impl Privilege {
    pub const EVERY: [Privilege; 17] = [
        Privilege::Read,
        Privilege::Write,
        Privilege::CreateTable,
        Privilege::CreateResource,
        Privilege::CreateInstance,
        Privilege::CreateFunction,
        Privilege::List,
        Privilege::Download,
        Privilege::Describe,
        Privilege::Select,
        Privilege::Alter,
        Privilege::Update,
        Privilege::Drop,
        Privilege::ShowHistory,
        Privilege::Execute,
        Privilege::Delete,
        Privilege::All,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Privilege::Read => "Read",
            Privilege::Write => "Write",
            Privilege::CreateTable => "CreateTable",
            Privilege::CreateResource => "CreateResource",
            Privilege::CreateInstance => "CreateInstance",
            Privilege::CreateFunction => "CreateFunction",
            Privilege::List => "List",
            Privilege::Download => "Download",
            Privilege::Describe => "Describe",
            Privilege::Select => "Select",
            Privilege::Alter => "Alter",
            Privilege::Update => "Update",
            Privilege::Drop => "Drop",
            Privilege::ShowHistory => "ShowHistory",
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

/// The project management actions (`odps:<Action>`), which only admin-type roles take, and
/// only by policy (MaxCompute's project management permissions).
pub const MANAGEMENT_ACTIONS: &[&str] = &[
    "SetSecurityConfiguration",
    "GetSecurityConfiguration",
    "AddTrustedProject",
    "RemoveTrustedProject",
    "ListTrustedProjects",
    "AddUser",
    "RemoveUser",
    "ListUsers",
    "ListUserRoles",
    "CreateRole",
    "DescribeRole",
    "AlterRole",
    "DropRole",
    "ListRoles",
    "GrantRole",
    "RevokeRole",
    "ListRolePrincipals",
    "ShowGrants",
    "ShowAcl",
    "CreatePackage",
    "ShowPackages",
    "DropPackage",
    "AllowInstallPackage",
    "DisallowInstallPackage",
    "AddPackageResource",
    "RemovePackageResource",
    "DescribePackage",
    "InstallPackage",
    "UninstallPackage",
    "GrantLabel",
    "RevokeLabel",
    "ShowLabelGrants",
    "SetDataLabel",
    "SetUserLabel",
    "ClearExpiredGrants",
    "PutPolicy",
    "GetPolicy",
];

/// The kind of an object an ACL grant names (`grant … on <kind> <name>`, `… on type <kind>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjectKind {
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

impl ObjectKind {
    pub const EVERY: [ObjectKind; 6] = [
        ObjectKind::Project,
        ObjectKind::Table,
        ObjectKind::Function,
        ObjectKind::Resource,
        ObjectKind::Instance,
        ObjectKind::Package,
    ];

    /// The word statements use (`table`).
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Project => "project",
            ObjectKind::Table => "table",
            ObjectKind::Function => "function",
            ObjectKind::Resource => "resource",
            ObjectKind::Instance => "instance",
            ObjectKind::Package => "package",
        }
    }

    /// The segment of resource paths and stored keys (`projects/<p>/tables/<t>`).
    pub fn segment(self) -> &'static str {
        match self {
            ObjectKind::Project => "project",
            ObjectKind::Table => "tables",
            ObjectKind::Function => "functions",
            ObjectKind::Resource => "resources",
            ObjectKind::Instance => "instances",
            ObjectKind::Package => "packages",
        }
    }

    pub fn named(word: &str) -> Option<ObjectKind> {
        ObjectKind::EVERY
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(word))
    }

    /// The privileges objects of this kind have.
    pub fn privileges(self) -> &'static [Privilege] {
        match self {
            ObjectKind::Project => PROJECT_PRIVILEGES,
            ObjectKind::Table => TABLE_PRIVILEGES,
            ObjectKind::Function => FUNCTION_PRIVILEGES,
            ObjectKind::Resource => RESOURCE_PRIVILEGES,
            ObjectKind::Instance => INSTANCE_PRIVILEGES,
            ObjectKind::Package => PACKAGE_PRIVILEGES,
        }
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A project security flag, set with `set <flag>=true|false`, matched case-insensitively.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AccountProvider {
    #[serde(rename = "ALIYUN")]
    Aliyun,
    #[serde(rename = "RAM")]
    Ram,
}

impl AccountProvider {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountProvider::Aliyun => "ALIYUN",
            AccountProvider::Ram => "RAM",
        }
    }
}

/// The kind of a resource (`add <kind> <file>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
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
        assert_eq!(ObjectKind::named("TABLE"), Some(ObjectKind::Table));
        assert_eq!(ObjectKind::Table.segment(), "tables");
        assert_eq!(
            SecurityFlag::named("checkpermissionusingacl"),
            Some(SecurityFlag::CheckPermissionUsingAcl)
        );
        assert_eq!(ResourceKind::named("JAR"), Some(ResourceKind::Jar));
        assert_eq!(AccountProvider::Ram.as_str(), "RAM");
    }

    #[test]
    fn each_kind_has_its_documented_privileges() {
        let names =
            |t: ObjectKind| -> Vec<&str> { t.privileges().iter().map(|p| p.as_str()).collect() };
        assert_eq!(
            names(ObjectKind::Project),
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
        assert!(names(ObjectKind::Table).contains(&"ShowHistory"));
        assert!(!names(ObjectKind::Table).contains(&"Execute"));
        assert_eq!(names(ObjectKind::Package), ["Read", "All"]);
    }
}
