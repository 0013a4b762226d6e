//! The one dispatcher of MaxCompute statements: a statement's first word chooses the families'
//! parsers that may follow it (each family's module holds its own). A new family registers its
//! parsers here, under the words its statements start with. Each function follows its
//! production in `grammar/odps-security.ebnf`.

use nom::Parser;
use nom::branch::alt;

use super::acl;
use super::ast::Statement;
use super::labels;
use super::lexer::{PError, PResult, commit, end_of_statement, identifier, kw, skip_blanks};
use super::objects::{self, ObjectStatement};
use super::packages;
use super::policy;
use super::project;
use super::roles::{self, RoleStatement};
use super::session::{self, SessionStatement};
use super::settings::{self, SettingStatement};
use super::tunnel;
use super::users::{self, UserStatement};

/// What a statement may start with, as a syntax error lists it: the MaxCompute statements, then
/// the shell's own (`login`, and the learning statements of `syntax::teach`).
const EXPECTED_STATEMENT: &str = "a statement (list, add, remove, create, drop, delete, grant, revoke, show, describe, select, insert, set, setproject, put, get, clear, allow, disallow, install, uninstall, tunnel, whoami, use, login, quit, explain, offboard, who, what)";

/// statement = list_stmt | add_stmt | remove_stmt | create_stmt | drop_stmt | grant_stmt
///           | revoke_stmt | show_stmt | describe_stmt | select_stmt | insert_stmt | set_stmt
///           | clear_expired | set_project | allow_install | disallow_install | install_package
///           | uninstall_package | tunnel_download | whoami | use_project | login | quit ;
pub fn statement(input: &str) -> PResult<'_, Statement> {
    let i = skip_blanks(input);
    let (rest, first) = identifier(EXPECTED_STATEMENT).parse(i)?;
    let first = first.to_ascii_lowercase();
    // The labels family's statements start with the words of others (`set`, `grant`, …) and
    // then `label`.
    if labels::follows(rest, &first) {
        let parser = match first.as_str() {
            "set" => labels::set_label,
            "grant" => labels::grant_label,
            "revoke" => labels::revoke_label,
            _ => labels::show_label,
        };
        let (rest, stmt) = commit(parser).parse(rest)?;
        let (rest, ()) = commit(end_of_statement).parse(rest)?;
        return Ok((rest, stmt));
    }
    let (rest, stmt) = match first.as_str() {
        "list" => commit(list_stmt).parse(rest)?,
        "add" => commit(alt((
            users::add_user,
            settings::add_trusted,
            settings::add_provider,
            objects::add_resource,
            packages::add_to_package,
        )))
        .parse(rest)?,
        "remove" => commit(alt((
            users::remove_user,
            settings::remove_trusted,
            settings::remove_provider,
            packages::remove_from_package,
        )))
        .parse(rest)?,
        "create" => commit(alt((
            roles::create_role,
            project::create_project,
            objects::create_table,
            objects::create_function,
            packages::create_package,
        )))
        .parse(rest)?,
        "drop" => commit(alt((
            roles::drop_role,
            project::drop_project,
            objects::drop_table,
            objects::drop_resource,
            objects::drop_function,
            packages::drop_package,
        )))
        .parse(rest)?,
        "delete" => commit(packages::drop_package).parse(rest)?,
        "allow" => commit(packages::allow_install).parse(rest)?,
        "disallow" => commit(packages::disallow_install).parse(rest)?,
        "install" => commit(packages::install_package).parse(rest)?,
        "uninstall" => commit(packages::uninstall_package).parse(rest)?,
        "tunnel" => commit(tunnel::tunnel).parse(rest)?,
        "setproject" => commit(project::set_project).parse(rest)?,
        "put" => commit(policy::put_policy).parse(rest)?,
        "get" => commit(policy::get_policy).parse(rest)?,
        "show" => commit(show_stmt).parse(rest)?,
        "grant" => commit(acl::grant).parse(rest)?,
        "revoke" => commit(acl::revoke).parse(rest)?,
        "describe" | "desc" => commit(alt((
            roles::describe_role,
            packages::describe_package,
            objects::describe_instance,
            objects::describe_table,
        )))
        .parse(rest)?,
        "select" => commit(objects::select).parse(rest)?,
        "insert" => commit(objects::insert).parse(rest)?,
        "set" => commit(settings::set).parse(rest)?,
        "clear" => commit(alt((acl::clear_expired, labels::clear_expired))).parse(rest)?,
        "whoami" => (rest, session::bare(SessionStatement::WhoAmI)),
        "use" => commit(session::use_project).parse(rest)?,
        "login" => commit(session::login).parse(rest)?,
        "advance" => commit(session::advance_clock).parse(rest)?,
        "quit" | "q" => (rest, session::bare(SessionStatement::Quit)),
        _ => return Err(nom::Err::Failure(PError::new(i, EXPECTED_STATEMENT))),
    };
    let (rest, ()) = commit(end_of_statement).parse(rest)?;
    Ok((rest, stmt))
}

/// list_stmt = "list" ( "users" | "roles" | "trustedprojects" | "accountproviders"
///                     | "resources" | "functions" ) ;
fn list_stmt(i: &str) -> PResult<'_, Statement> {
    alt((
        kw("users").map(|_| Statement::Users(UserStatement::List)),
        kw("roles").map(|_| Statement::Roles(RoleStatement::List)),
        kw("trustedprojects").map(|_| Statement::Settings(SettingStatement::ListTrustedProjects)),
        kw("accountproviders").map(|_| Statement::Settings(SettingStatement::ListAccountProviders)),
        kw("resources").map(|_| objects::listing(ObjectStatement::ListResources)),
        kw("functions").map(|_| objects::listing(ObjectStatement::ListFunctions)),
    ))
    .parse(i)
}

/// show_stmt = show_matrix | show_grants | show_acl | show_principals | show_security
///           | show_packages | "show" "tables" | "show" "instances" ;
fn show_stmt(i: &str) -> PResult<'_, Statement> {
    alt((
        project::show_matrix,
        acl::show_grants,
        acl::show_acl,
        roles::show_principals,
        settings::show_security,
        packages::show_packages,
        kw("tables").map(|_| objects::listing(ObjectStatement::ShowTables)),
        kw("instances").map(|_| objects::listing(ObjectStatement::ShowInstances)),
    ))
    .parse(i)
}
