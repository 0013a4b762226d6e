//! The objects family: objects kept as metadata (tables, resources, functions) and the jobs
//! (instances) that `select` and `insert` run: its statements, their canonical text, their
//! parsers and its answers to the shared questions ([`Family`]). Each function follows its
//! production in `grammar/odps-security.ebnf`; the words after the statement's first word are
//! parsed here.

use std::fmt;

use nom::Parser;
use nom::branch::alt;
use nom::combinator::opt;
use nom::multi::separated_list1;

use super::ast::{AddResource, ColumnDef, Quoted, ResourceKind, SelectQuery, Statement, TableRef};
use super::family::Family;
use super::lexer::{
    PError, PResult, identifier, kw, number, punct, skip_blanks, string_literal, word,
};
use super::vocabulary::{COLUMN_TYPES, EXPECTED_COLUMN_TYPE};

/// A statement of the objects family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectStatement {
    /// `create table [if not exists] <t> (<column> <type>, …) [comment '<text>']`: a job.
    CreateTable {
        if_not_exists: bool,
        name: String,
        columns: Vec<ColumnDef>,
        comment: Option<String>,
    },
    /// `drop table [if exists] <t>`: a job.
    DropTable { if_exists: bool, name: String },
    /// `show tables`
    ShowTables,
    /// `desc [<project>.]<table>`.
    DescribeTable(TableRef),
    /// `add file|jar|archive|py <file> …`
    AddResource(AddResource),
    /// `list resources`
    ListResources,
    /// `drop resource <r>`
    DropResource(String),
    /// `create function <f> as '<class>' using '<resource>[,<resource>…]'`.
    CreateFunction {
        name: String,
        class: String,
        resources: Vec<String>,
    },
    /// `list functions`
    ListFunctions,
    /// `drop function <f>`
    DropFunction(String),
    /// `select …`: a job.
    Select(SelectQuery),
    /// `insert into|overwrite table <t> select …`: a job.
    Insert {
        overwrite: bool,
        target: TableRef,
        query: SelectQuery,
    },
    /// `show instances`
    ShowInstances,
    /// `desc instance <id>`
    DescribeInstance(String),
}

impl fmt::Display for ObjectStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjectStatement::CreateTable {
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
            ObjectStatement::DropTable { if_exists, name } => {
                let guard = if *if_exists { "if exists " } else { "" };
                write!(f, "drop table {guard}{name}")
            }
            ObjectStatement::ShowTables => f.write_str("show tables"),
            ObjectStatement::DescribeTable(t) => write!(f, "desc {t}"),
            ObjectStatement::AddResource(r) => write!(f, "{r}"),
            ObjectStatement::ListResources => f.write_str("list resources"),
            ObjectStatement::DropResource(r) => write!(f, "drop resource {r}"),
            ObjectStatement::CreateFunction {
                name,
                class,
                resources,
            } => write!(
                f,
                "create function {name} as {} using {}",
                Quoted(class),
                Quoted(&resources.join(","))
            ),
            ObjectStatement::ListFunctions => f.write_str("list functions"),
            ObjectStatement::DropFunction(name) => write!(f, "drop function {name}"),
            ObjectStatement::Select(q) => write!(f, "{q}"),
            ObjectStatement::Insert {
                overwrite,
                target,
                query,
            } => {
                let mode = if *overwrite { "overwrite" } else { "into" };
                write!(f, "insert {mode} table {target} {query}")
            }
            ObjectStatement::ShowInstances => f.write_str("show instances"),
            ObjectStatement::DescribeInstance(id) => write!(f, "desc instance {id}"),
        }
    }
}

impl Family for ObjectStatement {
    /// Object statements run as SQL jobs or through the object APIs, never as security queries.
    fn is_security_query(&self) -> bool {
        false
    }

    /// Looking at objects changes nothing; every job (a `select` too) leaves an instance.
    fn is_read_only(&self) -> bool {
        matches!(
            self,
            ObjectStatement::ShowTables
                | ObjectStatement::DescribeTable(_)
                | ObjectStatement::ListResources
                | ObjectStatement::ListFunctions
                | ObjectStatement::ShowInstances
                | ObjectStatement::DescribeInstance(_)
        )
    }

    fn asks_confirmation(&self) -> bool {
        matches!(
            self,
            ObjectStatement::DropTable { .. }
                | ObjectStatement::DropResource(_)
                | ObjectStatement::DropFunction(_)
        )
    }
}

fn objects(statement: ObjectStatement) -> Statement {
    Statement::Objects(statement)
}

pub const EXPECTED_TABLE: &str = "a table name";
const MAX_NAME: usize = 128;

/// An object name: an identifier of at most 128 characters, folded to lower case.
fn object_name<'a>(
    what: &'static str,
) -> impl Parser<&'a str, Output = String, Error = PError<'a>> {
    move |input: &'a str| {
        let (rest, name) = identifier(what).parse(input)?;
        if name.len() > MAX_NAME {
            return Err(nom::Err::Failure(PError::new(
                skip_blanks(input),
                "a name of at most 128 characters",
            )));
        }
        Ok((rest, name.to_ascii_lowercase()))
    }
}

/// table_name = identifier ;
pub fn table_name(i: &str) -> PResult<'_, String> {
    object_name(EXPECTED_TABLE).parse(i)
}

/// column_name = identifier ;
pub fn column_name(i: &str) -> PResult<'_, String> {
    object_name("a column name").parse(i)
}

/// table_ref = [ project_name "." ] table_name ;
pub fn table_ref(i: &str) -> PResult<'_, TableRef> {
    let (rest, first) = identifier(EXPECTED_TABLE).parse(i)?;
    if let Some(after_dot) = rest.strip_prefix('.') {
        let (rest, table) = table_name(after_dot)?;
        return Ok((
            rest,
            TableRef {
                project: Some(first.to_string()),
                table,
            },
        ));
    }
    let (rest, table) = table_name(i)?;
    Ok((
        rest,
        TableRef {
            project: None,
            table,
        },
    ))
}

/// column_type = type_name [ "(" number [ "," number ] ")" ] ;
fn column_type(i: &str) -> PResult<'_, String> {
    let (rest, name) = identifier(EXPECTED_COLUMN_TYPE).parse(i)?;
    let lower = name.to_ascii_lowercase();
    if !COLUMN_TYPES.contains(&lower.as_str()) {
        return Err(nom::Err::Failure(PError::new(
            skip_blanks(i),
            EXPECTED_COLUMN_TYPE,
        )));
    }
    let (rest, open) = opt(punct('(', "'('")).parse(rest)?;
    if open.is_none() {
        return Ok((rest, lower));
    }
    let (rest, sizes) = separated_list1(punct(',', "','"), number("a size")).parse(rest)?;
    let (rest, _) = punct(')', "')'").parse(rest)?;
    let sizes: Vec<String> = sizes.iter().map(u64::to_string).collect();
    Ok((rest, format!("{lower}({})", sizes.join(","))))
}

fn comment(i: &str) -> PResult<'_, Option<String>> {
    opt((kw("comment"), string_literal("a comment in quotes")).map(|(_, c)| c)).parse(i)
}

/// column_def = column_name column_type [ "comment" string ] ;
fn column_def(i: &str) -> PResult<'_, ColumnDef> {
    (column_name, column_type, comment)
        .map(|(name, data_type, comment)| ColumnDef {
            name,
            data_type,
            comment,
        })
        .parse(i)
}

/// create_table = "create" "table" [ "if" "not" "exists" ] table_name
///                "(" column_def { "," column_def } ")" [ "comment" string ] ;
pub fn create_table(i: &str) -> PResult<'_, Statement> {
    let (rest, _) = kw("table").parse(i)?;
    let (rest, guard) = opt((kw("if"), kw("not"), kw("exists"))).parse(rest)?;
    let (rest, name) = table_name(rest)?;
    let (rest, _) = punct('(', "'(' and the columns").parse(rest)?;
    let (rest, columns) = separated_list1(punct(',', "','"), column_def).parse(rest)?;
    let (rest, _) = punct(')', "',' or ')'").parse(rest)?;
    let (rest, comment) = comment(rest)?;
    Ok((
        rest,
        objects(ObjectStatement::CreateTable {
            if_not_exists: guard.is_some(),
            name,
            columns,
            comment,
        }),
    ))
}

/// drop_table = "drop" "table" [ "if" "exists" ] table_name ;
pub fn drop_table(i: &str) -> PResult<'_, Statement> {
    (kw("table"), opt((kw("if"), kw("exists"))), table_name)
        .map(|(_, guard, name)| {
            objects(ObjectStatement::DropTable {
                if_exists: guard.is_some(),
                name,
            })
        })
        .parse(i)
}

/// describe_table = ( "describe" | "desc" ) table_ref ;
pub fn describe_table(i: &str) -> PResult<'_, Statement> {
    table_ref
        .map(|t| objects(ObjectStatement::DescribeTable(t)))
        .parse(i)
}

/// describe_instance = ( "describe" | "desc" ) "instance" instance_id ;
pub fn describe_instance(i: &str) -> PResult<'_, Statement> {
    (kw("instance"), instance_id)
        .map(|(_, id)| objects(ObjectStatement::DescribeInstance(id)))
        .parse(i)
}

/// instance_id = letter_or_digit { letter_or_digit } ;
pub fn instance_id(i: &str) -> PResult<'_, String> {
    word(|c| c.is_ascii_alphanumeric(), "an instance id")
        .map(|w: &str| w.to_ascii_lowercase())
        .parse(i)
}

fn is_resource_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

fn is_file_char(c: char) -> bool {
    is_resource_char(c) || matches!(c, '/' | '~')
}

/// resource_name = resource_char { resource_char } ;  (letters, digits, ".", "_", "-")
pub fn resource_name(i: &str) -> PResult<'_, String> {
    word(is_resource_char, "a resource name")
        .map(|w: &str| w.to_ascii_lowercase())
        .parse(i)
}

fn force_flag(i: &str) -> PResult<'_, bool> {
    let rest = skip_blanks(i);
    match rest.strip_prefix("-f") {
        Some(after) if !after.starts_with(|c: char| is_file_char(c)) => Ok((after, true)),
        _ => Ok((i, false)),
    }
}

/// add_resource = "add" resource_kind local_file [ "as" resource_name ]
///                [ "comment" string ] [ "-f" ] ;
pub fn add_resource(i: &str) -> PResult<'_, Statement> {
    let kinds = alt((kw("file"), kw("jar"), kw("archive"), kw("py")));
    let (rest, kind_word) = { kinds }.parse(i)?;
    let kind = ResourceKind::named(kind_word).unwrap_or(ResourceKind::File);
    let file_start = skip_blanks(rest);
    let (rest, file) = word(is_file_char, "a local file").parse(rest)?;
    let (rest, alias) = opt((kw("as"), resource_name).map(|(_, n)| n)).parse(rest)?;
    let name = match alias.clone() {
        Some(name) => name,
        None => {
            let last = file.rsplit('/').next().unwrap_or(file);
            if last.is_empty() || last == "~" {
                return Err(nom::Err::Failure(PError::new(
                    file_start,
                    "a file name (not a directory)",
                )));
            }
            last.to_ascii_lowercase()
        }
    };
    let (rest, comment) = comment(rest)?;
    let (rest, force) = force_flag(rest)?;
    Ok((
        rest,
        objects(ObjectStatement::AddResource(AddResource {
            kind,
            file: file.to_string(),
            name,
            alias: alias.is_some(),
            comment,
            force,
        })),
    ))
}

/// drop_resource = "drop" "resource" resource_name ;
pub fn drop_resource(i: &str) -> PResult<'_, Statement> {
    (kw("resource"), resource_name)
        .map(|(_, r)| objects(ObjectStatement::DropResource(r)))
        .parse(i)
}

/// function_name = identifier ;
pub fn function_name(i: &str) -> PResult<'_, String> {
    object_name("a function name").parse(i)
}

/// create_function = "create" "function" function_name "as" string "using" string ;
/// The `using` string lists resource names separated by commas.
pub fn create_function(i: &str) -> PResult<'_, Statement> {
    let (rest, _) = kw("function").parse(i)?;
    let (rest, name) = function_name(rest)?;
    let (rest, _) = kw("as").parse(rest)?;
    let (rest, class) = string_literal("the class name in quotes").parse(rest)?;
    let (rest, _) = kw("using").parse(rest)?;
    let list_start = skip_blanks(rest);
    let (rest, list) = string_literal("the resource names in quotes").parse(rest)?;
    let resources: Vec<String> = list
        .split(',')
        .map(|r| r.trim().to_ascii_lowercase())
        .collect();
    let valid = |r: &String| !r.is_empty() && r.chars().all(is_resource_char);
    if class.trim().is_empty() || !resources.iter().all(valid) {
        return Err(nom::Err::Failure(PError::new(
            list_start,
            "a class name and a comma-separated list of resource names",
        )));
    }
    Ok((
        rest,
        objects(ObjectStatement::CreateFunction {
            name,
            class,
            resources,
        }),
    ))
}

/// drop_function = "drop" "function" function_name ;
pub fn drop_function(i: &str) -> PResult<'_, Statement> {
    (kw("function"), function_name)
        .map(|(_, f)| objects(ObjectStatement::DropFunction(f)))
        .parse(i)
}

/// select_stmt = select_query ;
pub(super) fn select(i: &str) -> PResult<'_, Statement> {
    select_tail
        .map(|q| objects(ObjectStatement::Select(q)))
        .parse(i)
}

/// `show tables`, `show instances`, `list resources`, `list functions`.
pub(super) fn listing(statement: ObjectStatement) -> Statement {
    objects(statement)
}

/// select_list = "*" | column_name { "," column_name } ;
fn select_list(i: &str) -> PResult<'_, Option<Vec<String>>> {
    let star = punct('*', "'*'").map(|_| None);
    let columns = separated_list1(punct(',', "','"), column_name).map(Some);
    alt((star, columns)).parse(i)
}

/// select_query = "select" select_list "from" table_ref [ "limit" number ] ;
pub fn select_query(i: &str) -> PResult<'_, SelectQuery> {
    let (rest, _) = kw("select").parse(i)?;
    select_tail(rest)
}

/// What follows `select` in a select query.
pub fn select_tail(i: &str) -> PResult<'_, SelectQuery> {
    let (rest, columns) = select_list(i)?;
    let (rest, _) = kw("from").parse(rest)?;
    let (rest, from) = table_ref(rest)?;
    let (rest, limit) = opt((kw("limit"), number("a row count")).map(|(_, n)| n)).parse(rest)?;
    Ok((
        rest,
        SelectQuery {
            columns,
            from,
            limit,
        },
    ))
}

/// insert_stmt = "insert" ( "into" | "overwrite" ) "table" table_ref select_query ;
pub fn insert(i: &str) -> PResult<'_, Statement> {
    let mode = alt((kw("into").map(|_| false), kw("overwrite").map(|_| true)));
    (mode, kw("table"), table_ref, select_query)
        .map(|(overwrite, _, target, query)| {
            objects(ObjectStatement::Insert {
                overwrite,
                target,
                query,
            })
        })
        .parse(i)
}

#[cfg(test)]
mod tests {
    use super::ObjectStatement;
    use crate::syntax::{Statement, parse_statement};

    fn parse(text: &str) -> Statement {
        parse_statement(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn round_trip(text: &str) {
        let stmt = parse(text);
        assert_eq!(parse(&stmt.to_string()), stmt, "{text} → {stmt}");
    }

    #[test]
    fn tables_parse_with_their_columns_and_print_back() {
        match parse(
            "CREATE TABLE IF NOT EXISTS Sales (ID BIGINT, amount Decimal(10, 2) comment 'its')",
        ) {
            Statement::Objects(ObjectStatement::CreateTable {
                if_not_exists,
                name,
                columns,
                ..
            }) => {
                assert!(if_not_exists);
                assert_eq!(name, "sales");
                assert_eq!(columns[0].name, "id");
                assert_eq!(columns[1].data_type, "decimal(10,2)");
            }
            other => panic!("{other:?}"),
        }
        for text in [
            "create table t (a string, b double) comment 'x\\'y'",
            "drop table if exists t",
            "desc other_project.t",
            "select * from t limit 5",
            "select a, b from p.t",
            "insert overwrite table t select a from s",
            "add jar /home/u/UDF.jar as my.jar comment 'udf' -f",
            "add file data.txt",
            "create function upper_x as 'com.example.Upper' using 'udf.jar,dep.jar'",
            "drop resource udf.jar",
            "drop function f",
            "desc instance 20260101000001123gabc",
        ] {
            round_trip(text);
        }
    }

    #[test]
    fn resource_names_come_from_the_file_or_the_alias() {
        match parse("add jar /tmp/lib/Udf.JAR") {
            Statement::Objects(ObjectStatement::AddResource(r)) => {
                assert_eq!(r.name, "udf.jar");
                assert!(!r.force);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_object_statements_say_what_was_expected() {
        for (text, expected) in [
            ("create table t", "expected '(' and the columns"),
            ("create table t (a text)", "expected a column type"),
            ("create table t (a string b int)", "expected ',' or ')'"),
            ("add jar /tmp/", "expected a file name (not a directory)"),
            (
                "add txt a.txt",
                "expected USER, TRUSTEDPROJECT, ACCOUNTPROVIDER, FILE",
            ),
            (
                "create function f as 'c' using ''",
                "a comma-separated list",
            ),
            ("select a from", "expected a table name, found the end"),
        ] {
            let e = parse_statement(text).expect_err(text).to_string();
            assert!(e.contains(expected), "{text}: {e}");
        }
    }
}
