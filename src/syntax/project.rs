//! The project family: what a project is and may do (`create project`, `drop project`,
//! `setproject`, `show matrix`): its statements, their canonical text, their parsers and its
//! answers to the shared questions ([`Family`]). Each parser follows its production in
//! `grammar/odps-security.ebnf`.

use std::fmt;

use nom::Parser;

use super::ast::Statement;
use super::family::Family;
use super::lexer::{PError, PResult, identifier, kw, punct, skip_blanks, word};

/// A statement of the project family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectStatement {
    /// `create project <p>`: not possible from the CLI (permission matrix row 2).
    Create(String),
    /// `drop project <p>`: not possible from the CLI (permission matrix row 2).
    Drop(String),
    /// `setproject;` lists the project properties; `setproject <key>=<value>;` sets one.
    SetProject(Option<(String, String)>),
    /// `show matrix [for <words>];`: the permission matrix, whole or the rows about the words.
    ShowMatrix(Option<String>),
}

impl fmt::Display for ProjectStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProjectStatement::Create(p) => write!(f, "create project {p}"),
            ProjectStatement::Drop(p) => write!(f, "drop project {p}"),
            ProjectStatement::SetProject(None) => f.write_str("setproject"),
            ProjectStatement::SetProject(Some((key, value))) => {
                write!(f, "setproject {key}={value}")
            }
            ProjectStatement::ShowMatrix(None) => f.write_str("show matrix"),
            ProjectStatement::ShowMatrix(Some(words)) => write!(f, "show matrix for {words}"),
        }
    }
}

impl Family for ProjectStatement {
    /// Project properties have their own REST resource; the matrix is odpsh's own.
    fn is_security_query(&self) -> bool {
        false
    }

    fn is_read_only(&self) -> bool {
        matches!(
            self,
            ProjectStatement::SetProject(None) | ProjectStatement::ShowMatrix(_)
        )
    }

    fn asks_confirmation(&self) -> bool {
        matches!(self, ProjectStatement::Drop(_))
    }
}

fn project(statement: ProjectStatement) -> Statement {
    Statement::Project(statement)
}

/// create_project = "create" "project" project_name ;
pub(super) fn create_project(i: &str) -> PResult<'_, Statement> {
    (kw("project"), identifier("a project name"))
        .map(|(_, p)| project(ProjectStatement::Create(p.to_string())))
        .parse(i)
}

/// drop_project = "drop" "project" project_name ;
pub(super) fn drop_project(i: &str) -> PResult<'_, Statement> {
    (kw("project"), identifier("a project name"))
        .map(|(_, p)| project(ProjectStatement::Drop(p.to_string())))
        .parse(i)
}

fn is_property_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '_'
}

/// set_project = "setproject" [ property_key "=" property_value ] ;
/// The value is the rest of the statement, trimmed (it may be empty).
pub(super) fn set_project(i: &str) -> PResult<'_, Statement> {
    let rest = skip_blanks(i);
    if rest.is_empty() {
        return Ok((rest, project(ProjectStatement::SetProject(None))));
    }
    let (rest, key) = word(is_property_char, "a project property (key=value)").parse(rest)?;
    let (rest, _) = punct('=', "'='").parse(rest)?;
    let value = rest.trim();
    Ok((
        "",
        project(ProjectStatement::SetProject(Some((
            key.to_string(),
            value.to_string(),
        )))),
    ))
}

/// show_matrix = "show" "matrix" [ "for" words ] ;
pub(super) fn show_matrix(i: &str) -> PResult<'_, Statement> {
    let (rest, _) = kw("matrix").parse(i)?;
    let rest = skip_blanks(rest);
    if rest.is_empty() {
        return Ok((rest, project(ProjectStatement::ShowMatrix(None))));
    }
    let (rest, _) = kw("for").parse(rest)?;
    let words = rest.trim();
    if words.is_empty() {
        return Err(nom::Err::Failure(PError::new(
            rest,
            "words to look for in the matrix",
        )));
    }
    Ok((
        "",
        project(ProjectStatement::ShowMatrix(Some(words.to_string()))),
    ))
}
