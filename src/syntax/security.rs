//! The MaxCompute statements: users, roles and session statements.
//! Each function follows its production in `grammar/odps-security.ebnf`.

use nom::Parser;
use nom::multi::separated_list1;

use super::ast::{PrincipalName, RoleName, Statement};
use super::lexer::{
    PError, PResult, commit, end_of_statement, identifier, kw, punct, skip_blanks, word,
};
use super::principal::{principal, role_name};

const EXPECTED_STATEMENT: &str =
    "a statement (list, add, remove, create, drop, grant, revoke, describe, whoami, use, quit)";

/// statement = list_stmt | add_user | remove_user | create_role | drop_role | grant_roles
///           | revoke_roles | describe_role | whoami | use_project | quit ;
pub fn statement(input: &str) -> PResult<'_, Statement> {
    let i = skip_blanks(input);
    let (rest, first) = identifier(EXPECTED_STATEMENT).parse(i)?;
    let (rest, stmt) = match first.to_ascii_lowercase().as_str() {
        "list" => commit(list_stmt).parse(rest)?,
        "add" => commit(add_user).parse(rest)?,
        "remove" => commit(remove_user).parse(rest)?,
        "create" => commit(nom::branch::alt((create_role, create_project))).parse(rest)?,
        "drop" => commit(nom::branch::alt((drop_role, drop_project))).parse(rest)?,
        "setproject" => commit(set_project).parse(rest)?,
        "show" => commit(show_matrix).parse(rest)?,
        "grant" => commit(grant_roles).parse(rest)?,
        "revoke" => commit(revoke_roles).parse(rest)?,
        "describe" | "desc" => commit(describe_role).parse(rest)?,
        "whoami" => (rest, Statement::WhoAmI),
        "use" => commit(use_project).parse(rest)?,
        "login" => commit(login).parse(rest)?,
        "quit" | "q" => (rest, Statement::Quit),
        _ => return Err(nom::Err::Failure(PError::new(i, EXPECTED_STATEMENT))),
    };
    let (rest, ()) = commit(end_of_statement).parse(rest)?;
    Ok((rest, stmt))
}

/// list_stmt = "list" ( "users" | "roles" ) ;
fn list_stmt(i: &str) -> PResult<'_, Statement> {
    let users = kw("users").map(|_| Statement::ListUsers);
    let roles = kw("roles").map(|_| Statement::ListRoles);
    nom::branch::alt((users, roles)).parse(i)
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

/// role_list = role_name { "," role_name } ;
fn role_list(i: &str) -> PResult<'_, Vec<RoleName>> {
    separated_list1(punct(',', "','"), role_name).parse(i)
}

/// grantee = [ "user" ] principal ;
fn grantee(i: &str) -> PResult<'_, PrincipalName> {
    // `user` is optional; a principal never looks like the bare word `user`.
    let (rest, _) = nom::combinator::opt(kw("user")).parse(i)?;
    principal(rest)
}

/// grant_roles = "grant" role_list "to" grantee ;
fn grant_roles(i: &str) -> PResult<'_, Statement> {
    (role_list, kw("to"), grantee)
        .map(|(roles, _, grantee)| Statement::GrantRoles { roles, grantee })
        .parse(i)
}

/// revoke_roles = "revoke" role_list "from" grantee ;
fn revoke_roles(i: &str) -> PResult<'_, Statement> {
    (role_list, kw("from"), grantee)
        .map(|(roles, _, grantee)| Statement::RevokeRoles { roles, grantee })
        .parse(i)
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
