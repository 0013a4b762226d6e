//! The fixed words of the statements as the parser expects them: what a syntax error says it
//! expected, and the column types. The words themselves (privileges, object kinds, security
//! flags, account providers, resource kinds) are the crate's one vocabulary
//! (`crate::vocabulary`), shared with the world.

pub use crate::vocabulary::{
    AccountProvider, COLUMN_PRIVILEGES, ObjectKind, Privilege, ResourceKind, SecurityFlag,
};

/// What a parse error expects where a privilege of objects of `kind` is missing.
pub fn expected_privilege(kind: ObjectKind) -> &'static str {
    match kind {
        ObjectKind::Project => {
            "a privilege of projects (Read, Write, List, CreateTable, CreateInstance, CreateFunction, CreateResource, All)"
        }
        ObjectKind::Table => {
            "a privilege of tables (Describe, Select, Alter, Update, Drop, ShowHistory, Download, All)"
        }
        ObjectKind::Function => {
            "a privilege of functions (Read, Write, Delete, Execute, Download, All)"
        }
        ObjectKind::Resource => "a privilege of resources (Read, Write, Delete, Download, All)",
        ObjectKind::Instance => "a privilege of instances (Read, Write, Download, All)",
        ObjectKind::Package => "a privilege of packages (Read, All)",
    }
}

pub const EXPECTED_PRIVILEGE_OF_COLUMNS: &str =
    "a privilege of columns (Describe, Select, Alter, Update, Drop, All)";
pub const EXPECTED_OBJECT_TYPE: &str =
    "an object type (project, table, function, resource, instance, package)";

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
    fn each_kind_expects_its_documented_privileges() {
        for kind in ObjectKind::EVERY {
            let listed = expected_privilege(kind);
            for p in kind.privileges() {
                assert!(listed.contains(p.as_str()), "{kind}: {p}");
            }
        }
    }
}
