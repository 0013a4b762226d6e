//! The MaxCompute statements: the dispatch on a statement's first word, and the users, roles
//! and session statements. Objects, grants and settings have their own modules.
//! Each function follows its production in `grammar/odps-security.ebnf`.

use nom::Parser;
use nom::branch::alt;

use super::acl;
use super::ast::Statement;
use super::lexer::{
    PError, PResult, commit, end_of_statement, identifier, kw, punct, skip_blanks, word,
};
use super::objects;
use super::principal::{principal, role_name};
use super::settings;

/// What a statement may start with, as a syntax error lists it: the MaxCompute statements, then
/// the shell's own (`login`, and the learning statements of `syntax::teach`).
const EXPECTED_STATEMENT: &str = "a statement (list, add, remove, create, drop, grant, revoke, show, describe, select, insert, set, setproject, clear, whoami, use, login, quit, explain, offboard, who, what)";

/// statement = list_stmt | add_stmt | remove_stmt | create_stmt | drop_stmt | grant_stmt
///           | revoke_stmt | show_stmt | describe_stmt | select_stmt | insert_stmt | set_stmt
///           | clear_expired | set_project | whoami | use_project | login | quit ;
pub fn statement(input: &str) -> PResult<'_, Statement> {
    let i = skip_blanks(input);
    let (rest, first) = identifier(EXPECTED_STATEMENT).parse(i)?;
    let (rest, stmt) = match first.to_ascii_lowercase().as_str() {
        "list" => commit(list_stmt).parse(rest)?,
        "add" => commit(alt((
            add_user,
            settings::add_trusted,
            settings::add_provider,
            objects::add_resource,
        )))
        .parse(rest)?,
        "remove" => commit(alt((
            remove_user,
            settings::remove_trusted,
            settings::remove_provider,
        )))
        .parse(rest)?,
        "create" => commit(alt((
            create_role,
            create_project,
            objects::create_table,
            objects::create_function,
        )))
        .parse(rest)?,
        "drop" => commit(alt((
            drop_role,
            drop_project,
            objects::drop_table,
            objects::drop_resource,
            objects::drop_function,
        )))
        .parse(rest)?,
        "setproject" => commit(set_project).parse(rest)?,
        "show" => commit(show_stmt).parse(rest)?,
        "grant" => commit(acl::grant).parse(rest)?,
        "revoke" => commit(acl::revoke).parse(rest)?,
        "describe" | "desc" => commit(alt((
            describe_role,
            objects::describe_instance,
            objects::describe_table,
        )))
        .parse(rest)?,
        "select" => commit(objects::select_tail.map(Statement::Select)).parse(rest)?,
        "insert" => commit(objects::insert).parse(rest)?,
        "set" => commit(settings::set).parse(rest)?,
        "clear" => commit(acl::clear_expired).parse(rest)?,
        "whoami" => (rest, Statement::WhoAmI),
        "use" => commit(use_project).parse(rest)?,
        "login" => commit(login).parse(rest)?,
        "quit" | "q" => (rest, Statement::Quit),
        _ => return Err(nom::Err::Failure(PError::new(i, EXPECTED_STATEMENT))),
    };
    let (rest, ()) = commit(end_of_statement).parse(rest)?;
    Ok((rest, stmt))
}

/// list_stmt = "list" ( "users" | "roles" | "trustedprojects" | "accountproviders"
///                     | "resources" | "functions" ) ;
fn list_stmt(i: &str) -> PResult<'_, Statement> {
    alt((
        kw("users").map(|_| Statement::ListUsers),
        kw("roles").map(|_| Statement::ListRoles),
        kw("trustedprojects").map(|_| Statement::ListTrustedProjects),
        kw("accountproviders").map(|_| Statement::ListAccountProviders),
        kw("resources").map(|_| Statement::ListResources),
        kw("functions").map(|_| Statement::ListFunctions),
    ))
    .parse(i)
}

/// show_stmt = show_matrix | show_grants | show_acl | show_principals | show_security
///           | "show" "tables" | "show" "instances" ;
fn show_stmt(i: &str) -> PResult<'_, Statement> {
    alt((
        show_matrix,
        acl::show_grants,
        acl::show_acl,
        acl::show_principals,
        settings::show_security,
        kw("tables").map(|_| Statement::ShowTables),
        kw("instances").map(|_| Statement::ShowInstances),
    ))
    .parse(i)
}

/// add_user = "add" "user" principal ;
fn add_user(i: &str) -> PResult<'_, Statement> {
    (kw("user"), principal)
        .map(|(_, p)| Statement::AddUser(p))
        .parse(i)
}

/// remove_user = "remove" "user" principal ;
fn remove_user(i: &str) -> PResult<'_, Statement> {
    (kw("user"), principal)
        .map(|(_, p)| Statement::RemoveUser(p))
        .parse(i)
}

/// create_role = "create" "role" role_name ;
fn create_role(i: &str) -> PResult<'_, Statement> {
    (kw("role"), role_name)
        .map(|(_, r)| Statement::CreateRole(r))
        .parse(i)
}

/// drop_role = "drop" "role" role_name ;
fn drop_role(i: &str) -> PResult<'_, Statement> {
    (kw("role"), role_name)
        .map(|(_, r)| Statement::DropRole(r))
        .parse(i)
}

/// create_project = "create" "project" project_name ;
fn create_project(i: &str) -> PResult<'_, Statement> {
    (kw("project"), identifier("a project name"))
        .map(|(_, p)| Statement::CreateProject(p.to_string()))
        .parse(i)
}

/// drop_project = "drop" "project" project_name ;
fn drop_project(i: &str) -> PResult<'_, Statement> {
    (kw("project"), identifier("a project name"))
        .map(|(_, p)| Statement::DropProject(p.to_string()))
        .parse(i)
}

fn is_property_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '_'
}

/// set_project = "setproject" [ property_key "=" property_value ] ;
/// The value is the rest of the statement, trimmed (it may be empty).
fn set_project(i: &str) -> PResult<'_, Statement> {
    let rest = skip_blanks(i);
    if rest.is_empty() {
        return Ok((rest, Statement::SetProject(None)));
    }
    let (rest, key) = word(is_property_char, "a project property (key=value)").parse(rest)?;
    let (rest, _) = punct('=', "'='").parse(rest)?;
    let value = rest.trim();
    Ok((
        "",
        Statement::SetProject(Some((key.to_string(), value.to_string()))),
    ))
}

/// show_matrix = "show" "matrix" [ "for" words ] ;
fn show_matrix(i: &str) -> PResult<'_, Statement> {
    let (rest, _) = kw("matrix").parse(i)?;
    let rest = skip_blanks(rest);
    if rest.is_empty() {
        return Ok((rest, Statement::ShowMatrix(None)));
    }
    let (rest, _) = kw("for").parse(rest)?;
    let words = rest.trim();
    if words.is_empty() {
        return Err(nom::Err::Failure(PError::new(
            rest,
            "words to look for in the matrix",
        )));
    }
    Ok(("", Statement::ShowMatrix(Some(words.to_string()))))
}

/// describe_role = ( "describe" | "desc" ) "role" role_name ;
fn describe_role(i: &str) -> PResult<'_, Statement> {
    (kw("role"), role_name)
        .map(|(_, r)| Statement::DescribeRole(r))
        .parse(i)
}

/// login = "login" access_key_id access_key_secret ;
/// The secret is any run of non-blank characters: a mistyped one must reach the check and fail
/// there (ODPS-0410042), not in the parser.
fn login(i: &str) -> PResult<'_, Statement> {
    let id = word(|c| c.is_ascii_alphanumeric(), "an AccessKey id");
    let secret = word(|c| !c.is_whitespace(), "an AccessKey secret");
    (id, secret)
        .map(|(id, secret)| Statement::Login {
            access_key_id: id.to_string(),
            secret: secret.to_string(),
        })
        .parse(i)
}

/// use_project = "use" project_name ;
fn use_project(i: &str) -> PResult<'_, Statement> {
    identifier("a project name")
        .map(|p| Statement::Use(p.to_string()))
        .parse(i)
}
