//! The packages family: sharing objects between projects. In the providing project `create
//! package`, `add <type> <name> to package`, `remove <type> <name> from package`, `allow
//! project … to install package`, `disallow project …`, `drop package` (or `delete package`);
//! in the installing project `install package <p>.<pkg>`, `uninstall package <p>.<pkg>`;
//! anywhere `show packages` and `describe package [<p>.]<pkg>`. Granting Read on an installed
//! package is an ACL grant (`acl.rs`). Each function follows its production in
//! `grammar/odps-security.ebnf`.

use std::fmt;

use nom::Parser;
use nom::branch::alt;
use nom::combinator::opt;
use nom::multi::separated_list1;

use super::ast::Statement;
use super::family::Family;
use super::lexer::{PError, PResult, from_part, identifier, kw, number, punct, skip_blanks};
use super::objects::{function_name, instance_id, resource_name, table_name};
use super::vocabulary::{ObjectKind, Privilege, expected_privilege};

/// An object a package holds: its kind and lower-case name in the providing project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackedObject {
    pub kind: ObjectKind,
    pub name: String,
}

/// A statement of the packages family. Names are lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageStatement {
    Create(String),
    /// `drop package` or `delete package`.
    Drop(String),
    /// `add <type> <name> to package <pkg> [with privileges …]`; `None`: the read-only default.
    Add {
        object: PackedObject,
        package: String,
        privileges: Option<Vec<Privilege>>,
    },
    Remove {
        object: PackedObject,
        package: String,
    },
    /// `allow project <prj> to install package <pkg> [using label <n>] [with exp <days>]`
    Allow {
        project: String,
        package: String,
        label: Option<u8>,
        days: Option<u32>,
    },
    Disallow {
        project: String,
        package: String,
    },
    Install {
        project: String,
        package: String,
    },
    Uninstall {
        project: String,
        package: String,
    },
    /// `show packages`
    Show,
    /// `describe package [<prj>.]<pkg>`
    Describe {
        project: Option<String>,
        package: String,
    },
}

impl fmt::Display for PackedObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.name)
    }
}

impl fmt::Display for PackageStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackageStatement::Create(p) => write!(f, "create package {p}"),
            PackageStatement::Drop(p) => write!(f, "drop package {p}"),
            PackageStatement::Add {
                object,
                package,
                privileges,
            } => {
                write!(f, "add {object} to package {package}")?;
                if let Some(ps) = privileges {
                    let names: Vec<&str> = ps.iter().map(|p| p.as_str()).collect();
                    write!(f, " with privileges {}", names.join(", "))?;
                }
                Ok(())
            }
            PackageStatement::Remove { object, package } => {
                write!(f, "remove {object} from package {package}")
            }
            PackageStatement::Allow {
                project,
                package,
                label,
                days,
            } => {
                write!(f, "allow project {project} to install package {package}")?;
                if let Some(l) = label {
                    write!(f, " using label {l}")?;
                }
                if let Some(d) = days {
                    write!(f, " with exp {d}")?;
                }
                Ok(())
            }
            PackageStatement::Disallow { project, package } => {
                write!(f, "disallow project {project} to install package {package}")
            }
            PackageStatement::Install { project, package } => {
                write!(f, "install package {project}.{package}")
            }
            PackageStatement::Uninstall { project, package } => {
                write!(f, "uninstall package {project}.{package}")
            }
            PackageStatement::Show => f.write_str("show packages"),
            PackageStatement::Describe {
                project: Some(p),
                package,
            } => write!(f, "describe package {p}.{package}"),
            PackageStatement::Describe {
                project: None,
                package,
            } => write!(f, "describe package {package}"),
        }
    }
}

impl Family for PackageStatement {
    fn is_security_query(&self) -> bool {
        true
    }

    fn is_read_only(&self) -> bool {
        matches!(
            self,
            PackageStatement::Show | PackageStatement::Describe { .. }
        )
    }

    fn asks_confirmation(&self) -> bool {
        matches!(
            self,
            PackageStatement::Drop(_) | PackageStatement::Remove { .. }
        )
    }
}

fn packages(s: PackageStatement) -> Statement {
    Statement::Packages(s)
}

fn package_name(i: &str) -> PResult<'_, String> {
    identifier("a package name")
        .map(str::to_ascii_lowercase)
        .parse(i)
}

fn project_name(i: &str) -> PResult<'_, String> {
    identifier("a project name")
        .map(str::to_ascii_lowercase)
        .parse(i)
}

/// `<project>.<package>`
fn qualified_package(i: &str) -> PResult<'_, (String, String)> {
    let (rest, project) = identifier("<project>.<package>").parse(i)?;
    let (rest, _) = punct('.', "'.' (<project>.<package>)").parse(rest)?;
    let (rest, package) = package_name(rest)?;
    Ok((rest, (project.to_string(), package)))
}

/// create_package = "create" "package" package_name ;
pub(super) fn create_package(i: &str) -> PResult<'_, Statement> {
    (kw("package"), package_name)
        .map(|(_, p)| packages(PackageStatement::Create(p)))
        .parse(i)
}

/// drop_package = ( "drop" | "delete" ) "package" package_name ;
pub(super) fn drop_package(i: &str) -> PResult<'_, Statement> {
    (kw("package"), package_name)
        .map(|(_, p)| packages(PackageStatement::Drop(p)))
        .parse(i)
}

/// packed_object = "table" table_name | "resource" resource_name | "function" function_name
///               | "instance" instance_id ;
fn packed_object(i: &str) -> PResult<'_, PackedObject> {
    let object = |kind: ObjectKind| move |name: String| PackedObject { kind, name };
    alt((
        (kw("table"), table_name).map(|(_, n)| object(ObjectKind::Table)(n)),
        (kw("resource"), resource_name).map(|(_, n)| object(ObjectKind::Resource)(n)),
        (kw("function"), function_name).map(|(_, n)| object(ObjectKind::Function)(n)),
        (kw("instance"), instance_id).map(|(_, n)| object(ObjectKind::Instance)(n)),
    ))
    .parse(i)
}

/// The privileges after `with privileges`, valid for objects of `kind`.
fn privileges_of(kind: ObjectKind) -> impl Fn(&str) -> PResult<'_, Vec<Privilege>> {
    move |input: &str| {
        let (rest, words) =
            separated_list1(punct(',', "','"), identifier(expected_privilege(kind)))
                .parse(input)?;
        let mut found: Vec<Privilege> = Vec::new();
        for w in words {
            match Privilege::named(w).filter(|p| kind.privileges().contains(p)) {
                Some(p) if !found.contains(&p) => found.push(p),
                Some(_) => {}
                None => {
                    return Err(nom::Err::Failure(PError::new(
                        from_part(input, w),
                        expected_privilege(kind),
                    )));
                }
            }
        }
        Ok((rest, found))
    }
}

/// add_to_package = "add" packed_object "to" "package" package_name
///                  [ "with" "privileges" privilege { "," privilege } ] ;
pub(super) fn add_to_package(i: &str) -> PResult<'_, Statement> {
    let (rest, object) = packed_object(i)?;
    let (rest, _) = (kw("to"), kw("package")).parse(rest)?;
    let (rest, package) = package_name(rest)?;
    let (rest, with) = opt((kw("with"), kw("privileges"))).parse(rest)?;
    let (rest, privileges) = match with {
        Some(_) => privileges_of(object.kind)(rest).map(|(r, p)| (r, Some(p)))?,
        None => (rest, None),
    };
    Ok((
        rest,
        packages(PackageStatement::Add {
            object,
            package,
            privileges,
        }),
    ))
}

/// remove_from_package = "remove" packed_object "from" "package" package_name ;
pub(super) fn remove_from_package(i: &str) -> PResult<'_, Statement> {
    (packed_object, kw("from"), kw("package"), package_name)
        .map(|(object, _, _, package)| packages(PackageStatement::Remove { object, package }))
        .parse(i)
}

fn label_level(i: &str) -> PResult<'_, u8> {
    let at = skip_blanks(i);
    let (rest, n) = number("a label level (0 to 9)").parse(i)?;
    let level = u8::try_from(n)
        .ok()
        .filter(|l| *l <= 9)
        .ok_or_else(|| nom::Err::Failure(PError::new(at, "a label level (0 to 9)")))?;
    Ok((rest, level))
}

fn days(i: &str) -> PResult<'_, u32> {
    let at = skip_blanks(i);
    let (rest, n) = number("a number of days").parse(i)?;
    let days = u32::try_from(n)
        .ok()
        .filter(|d| *d >= 1)
        .ok_or_else(|| nom::Err::Failure(PError::new(at, "a number of days (1 or more)")))?;
    Ok((rest, days))
}

/// allow_install = "allow" "project" project_name "to" "install" "package" package_name
///                 [ "using" "label" label_level ] [ "with" "exp" days ] ;
pub(super) fn allow_install(i: &str) -> PResult<'_, Statement> {
    let (rest, (_, project, _, _, _, package)) = (
        kw("project"),
        project_name,
        kw("to"),
        kw("install"),
        kw("package"),
        package_name,
    )
        .parse(i)?;
    let (rest, label) =
        opt((kw("using"), kw("label"), label_level).map(|(_, _, l)| l)).parse(rest)?;
    let (rest, days) = opt((kw("with"), kw("exp"), days).map(|(_, _, d)| d)).parse(rest)?;
    Ok((
        rest,
        packages(PackageStatement::Allow {
            project,
            package,
            label,
            days,
        }),
    ))
}

/// disallow_install = "disallow" "project" project_name "to" "install" "package" package_name ;
pub(super) fn disallow_install(i: &str) -> PResult<'_, Statement> {
    (
        kw("project"),
        project_name,
        kw("to"),
        kw("install"),
        kw("package"),
        package_name,
    )
        .map(|(_, project, _, _, _, package)| {
            packages(PackageStatement::Disallow { project, package })
        })
        .parse(i)
}

/// install_package = "install" "package" project_name "." package_name ;
pub(super) fn install_package(i: &str) -> PResult<'_, Statement> {
    (kw("package"), qualified_package)
        .map(|(_, (project, package))| packages(PackageStatement::Install { project, package }))
        .parse(i)
}

/// uninstall_package = "uninstall" "package" project_name "." package_name ;
pub(super) fn uninstall_package(i: &str) -> PResult<'_, Statement> {
    (kw("package"), qualified_package)
        .map(|(_, (project, package))| packages(PackageStatement::Uninstall { project, package }))
        .parse(i)
}

/// show_packages = "show" "packages" ;
pub(super) fn show_packages(i: &str) -> PResult<'_, Statement> {
    kw("packages")
        .map(|_| packages(PackageStatement::Show))
        .parse(i)
}

/// describe_package = ( "describe" | "desc" ) "package" [ project_name "." ] package_name ;
pub(super) fn describe_package(i: &str) -> PResult<'_, Statement> {
    let (rest, _) = kw("package").parse(i)?;
    let (rest, first) = package_name(rest)?;
    let (rest, second) = opt((punct('.', "'.'"), package_name).map(|(_, p)| p)).parse(rest)?;
    let statement = match second {
        Some(package) => PackageStatement::Describe {
            project: Some(first),
            package,
        },
        None => PackageStatement::Describe {
            project: None,
            package: first,
        },
    };
    Ok((rest, packages(statement)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_statement;

    fn parse(text: &str) -> Statement {
        parse_statement(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn package_statements_parse_and_print_back() {
        for text in [
            "create package datashare",
            "drop package datashare",
            "add table sale_detail to package datashare",
            "add table sale_detail to package datashare with privileges Describe, Select",
            "add resource udtf.jar to package datashare",
            "add function my_udf to package datashare with privileges Read, Execute",
            "remove table sale_detail from package datashare",
            "allow project test_project_b to install package datashare",
            "allow project test_project_b to install package datashare using label 2 with exp 30",
            "disallow project test_project_b to install package datashare",
            "install package test_project_a.datashare",
            "uninstall package test_project_a.datashare",
            "show packages",
            "describe package test_project_a.datashare",
            "describe package datashare",
        ] {
            let stmt = parse(text);
            assert!(matches!(stmt, Statement::Packages(_)), "{text}: {stmt:?}");
            assert_eq!(parse(&stmt.to_string()), stmt, "{text} → {stmt}");
        }
        assert_eq!(
            parse("DELETE PACKAGE DataShare"),
            parse("drop package datashare")
        );
        assert_eq!(
            parse("desc package Test_Project_A.DataShare"),
            parse("describe package test_project_a.datashare")
        );
    }

    #[test]
    fn bad_package_statements_say_what_they_expected() {
        let cases = [
            (
                "add table t to package p with privileges Execute",
                "a privilege of tables",
            ),
            (
                "add project p to package pkg",
                "TABLE, RESOURCE, FUNCTION or INSTANCE",
            ),
            (
                "allow project b to install package p using label 12",
                "a label level (0 to 9)",
            ),
            (
                "allow project b to install package p with exp 0",
                "1 or more",
            ),
            ("install package datashare", "'.' (<project>.<package>)"),
            ("remove table t from package", "a package name"),
        ];
        for (text, expected) in cases {
            let e = parse_statement(text).unwrap_err().to_string();
            assert!(e.contains(expected), "{text}: {e}");
        }
    }
}
