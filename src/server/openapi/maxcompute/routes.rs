//! Which MaxCompute OpenAPI action a request is, by its method and path as the SDK
//! (`alibabacloud_maxcompute20220104`) builds them, and the shell statements it runs: each
//! name from the path or the body goes through the shell's own parser inside the statement it
//! belongs to, so a name that is not one is refused as the shell refuses it, and nothing in a
//! name can make another statement.
//!
//! | Action | Method and path | Statements |
//! |---|---|---|
//! | ListProjectUsers | `GET /api/v1/projects/<p>/users` | `list users` |
//! | ListRoles | `GET /api/v1/projects/<p>/roles` | `list roles`, then `describe role` each |
//! | ListUsersByRole | `GET /api/v1/projects/<p>/roles/<r>/users` | `show principals for role <r>` |
//! | GetProject | `GET /api/v1/projects/<p>[?verbose=true]` | `setproject`, with `verbose` also `show SecurityConfiguration` |
//! | GetRolePolicy | `GET /api/v1/projects/<p>/roles/<r>/policy` | `describe role <r>` |
//! | GetTrustedProjects | `GET /api/v1/projects/<p>/trustedProjects` | `list trustedprojects` |
//! | CreateRole | `POST /api/v1/projects/<p>/roles`, body `{"name","type","policy","acl"}` | `create role <name>`, then a `grant … to role <name>` per ACL entry |
//! | DeleteRole | `DELETE /api/v1/projects/<p>/roles/<r>` | `drop role <r>` |
//! | UpdateUsersToRole | `PUT /api/v1/projects/<p>/roles/<r>/users`, body `{"add":[…],"remove":[…]}` | `grant <r> to <u>` per added, `revoke <r> from <u>` per removed |
//!
//! Every project is first entered as the shell enters it (`use <p>`).

use percent_encoding::percent_decode_str;
use serde::Deserialize;

use crate::syntax::{
    self, AclStatement, ProjectStatement, RoleName, RoleStatement, SettingStatement, Statement,
    Subject, UserStatement,
};

use super::super::errors::OpenApiError;
use super::errors::RoaError;

/// Where the MaxCompute OpenAPI lives.
pub const PREFIX: &str = "/api/v1/";

/// The actions odpsh serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    ListProjectUsers,
    ListRoles,
    ListUsersByRole,
    GetProject,
    GetRolePolicy,
    GetTrustedProjects,
    CreateRole,
    DeleteRole,
    UpdateUsersToRole,
}

/// A call bound to its project and statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub name: Name,
    pub project: String,
    /// Run in order, all or nothing.
    pub statements: Vec<Statement>,
}

fn segment(raw: &str) -> String {
    percent_decode_str(raw).decode_utf8_lossy().into_owned()
}

fn invalid(detail: String) -> RoaError {
    RoaError::InvalidParameter(detail)
}

/// `text` parsed by the shell's parser, kept only when it is the statement `expect` says.
fn statement<T>(
    text: &str,
    what: &str,
    expect: impl FnOnce(Statement) -> Option<T>,
) -> Result<T, RoaError> {
    if text.contains([';', '\n', '\r']) {
        return Err(invalid(format!("{what} is not one name: {text:?}")));
    }
    let parsed =
        syntax::parse_statement(text).map_err(|e| invalid(format!("{what} is not valid: {e}")))?;
    expect(parsed).ok_or_else(|| invalid(format!("{what} is not one name: {text:?}")))
}

/// A role name from the path or the body, as `describe role` reads it.
fn role(text: &str) -> Result<RoleName, RoaError> {
    statement(
        &format!("describe role {text}"),
        "the role name",
        |s| match s {
            Statement::Roles(RoleStatement::Describe(r)) => Some(r),
            _ => None,
        },
    )
}

/// The body of CreateRole: the SDK's `body` string, sent as it is.
#[derive(Debug, Deserialize)]
struct NewRole {
    name: String,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    policy: Option<String>,
    #[serde(default)]
    acl: Option<Acl>,
}

#[derive(Debug, Default, Deserialize)]
struct Acl {
    #[serde(default)]
    table: Vec<AclEntry>,
    #[serde(default)]
    resource: Vec<AclEntry>,
    #[serde(default)]
    function: Vec<AclEntry>,
    #[serde(default)]
    package: Vec<AclEntry>,
    #[serde(default)]
    project: Vec<AclEntry>,
    #[serde(default)]
    instance: Vec<AclEntry>,
}

#[derive(Debug, Deserialize)]
struct AclEntry {
    name: String,
    #[serde(default)]
    actions: Vec<String>,
}

/// The body of UpdateUsersToRole.
#[derive(Debug, Default, Deserialize)]
struct Changes {
    #[serde(default)]
    add: Vec<String>,
    #[serde(default)]
    remove: Vec<String>,
}

fn json_body<'a, T: Deserialize<'a>>(body: &'a [u8], what: &str) -> Result<T, RoaError> {
    serde_json::from_slice(body).map_err(|e| invalid(format!("the body is not {what}: {e}")))
}

fn create_role(body: &[u8]) -> Result<Vec<Statement>, RoaError> {
    let new: NewRole = json_body(body, "a role ({\"name\", \"type\", \"policy\", \"acl\"})")?;
    if new
        .kind
        .as_deref()
        .is_some_and(|k| !k.eq_ignore_ascii_case("resource"))
    {
        return Err(RoaError::NotSupported(
            "roles of a type other than resource (create role makes resource roles)".into(),
        ));
    }
    if new.policy.as_deref().is_some_and(|p| !p.trim().is_empty()) {
        return Err(RoaError::NotSupported(
            "role policies yet (give the role an acl instead)".into(),
        ));
    }
    let name = statement(
        &format!("create role {}", new.name),
        "the role name",
        |s| match s {
            Statement::Roles(RoleStatement::Create { role, .. }) => Some(role),
            _ => None,
        },
    )?;
    let mut statements = vec![Statement::Roles(RoleStatement::Create {
        role: name.clone(),
        admin: false,
    })];
    let acl = new.acl.unwrap_or_default();
    let kinds = [
        ("table", &acl.table),
        ("resource", &acl.resource),
        ("function", &acl.function),
        ("package", &acl.package),
        ("project", &acl.project),
        ("instance", &acl.instance),
    ];
    for (kind, entries) in kinds {
        for entry in entries.iter().filter(|e| !e.actions.is_empty()) {
            let text = format!(
                "grant {} on {kind} {} to role {name}",
                entry.actions.join(", "),
                entry.name
            );
            let grant = statement(&text, "an acl entry", |s| match s {
                Statement::Acl(AclStatement::Grant(change))
                    if change.subject == Subject::Role(name.clone())
                        && change.object.kind.as_str().eq_ignore_ascii_case(kind) =>
                {
                    Some(Statement::Acl(AclStatement::Grant(change)))
                }
                _ => None,
            })?;
            statements.push(grant);
        }
    }
    Ok(statements)
}

fn update_users(role: &RoleName, body: &[u8]) -> Result<Vec<Statement>, RoaError> {
    let changes: Changes = json_body(body, "{\"add\": […], \"remove\": […]}")?;
    let mut statements = Vec::with_capacity(changes.add.len() + changes.remove.len());
    for (users, verb, to) in [
        (&changes.add, "grant", "to"),
        (&changes.remove, "revoke", "from"),
    ] {
        for user in users {
            let text = format!("{verb} {role} {to} {user}");
            statements.push(statement(&text, "a user", |s| match &s {
                Statement::Roles(
                    RoleStatement::Grant { roles, .. } | RoleStatement::Revoke { roles, .. },
                ) if roles.as_slice() == std::slice::from_ref(role) => Some(s),
                _ => None,
            })?);
        }
    }
    Ok(statements)
}

fn is_true(query: &[(String, String)], name: &str) -> bool {
    query
        .iter()
        .any(|(n, v)| n == name && v.eq_ignore_ascii_case("true"))
}

/// The action of a request under [`PREFIX`]; an API that does not exist is the gateway's 404.
pub fn bind(
    method: &str,
    path: &str,
    query: &[(String, String)],
    body: &[u8],
) -> Result<Bound, RoaError> {
    let rest = path.strip_prefix(PREFIX).unwrap_or("");
    let parts: Vec<&str> = rest.split('/').collect();
    let not_found = || RoaError::Gateway(OpenApiError::ActionNotFound);
    let (project, tail) = match parts.as_slice() {
        ["projects", project, tail @ ..] if !project.is_empty() => (segment(project), tail),
        _ => return Err(not_found()),
    };
    let one = |s: Statement| vec![s];
    let (name, statements) = match (method, tail) {
        ("GET", []) => {
            let mut statements = one(Statement::Project(ProjectStatement::SetProject(None)));
            if is_true(query, "verbose") {
                statements.push(Statement::Settings(
                    SettingStatement::ShowSecurityConfiguration,
                ));
            }
            (Name::GetProject, statements)
        }
        ("GET", ["users"]) => (
            Name::ListProjectUsers,
            one(Statement::Users(UserStatement::List)),
        ),
        ("GET", ["roles"]) => (Name::ListRoles, one(Statement::Roles(RoleStatement::List))),
        ("POST", ["roles"]) => (Name::CreateRole, create_role(body)?),
        ("GET", ["trustedProjects"]) => (
            Name::GetTrustedProjects,
            one(Statement::Settings(SettingStatement::ListTrustedProjects)),
        ),
        ("DELETE", ["roles", r]) => (
            Name::DeleteRole,
            one(Statement::Roles(RoleStatement::Drop(role(&segment(r))?))),
        ),
        ("GET", ["roles", r, "users"]) => (
            Name::ListUsersByRole,
            one(Statement::Roles(RoleStatement::ShowPrincipals(role(
                &segment(r),
            )?))),
        ),
        ("PUT", ["roles", r, "users"]) => {
            let r = role(&segment(r))?;
            (Name::UpdateUsersToRole, update_users(&r, body)?)
        }
        ("GET", ["roles", r, "policy"]) => (
            Name::GetRolePolicy,
            one(Statement::Roles(RoleStatement::Describe(role(&segment(
                r,
            ))?))),
        ),
        _ => return Err(not_found()),
    };
    Ok(Bound {
        name,
        project,
        statements,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(bound: &Bound) -> Vec<String> {
        bound.statements.iter().map(ToString::to_string).collect()
    }

    fn bound(method: &str, path: &str, body: &str) -> Result<Bound, RoaError> {
        bind(method, path, &[], body.as_bytes())
    }

    #[test]
    fn each_action_is_its_statements() {
        let cases = [
            (
                "GET",
                "/api/v1/projects/p/users",
                "",
                Name::ListProjectUsers,
                vec!["list users"],
            ),
            (
                "GET",
                "/api/v1/projects/p/roles",
                "",
                Name::ListRoles,
                vec!["list roles"],
            ),
            (
                "GET",
                "/api/v1/projects/p/roles/R1/users",
                "",
                Name::ListUsersByRole,
                vec!["show principals for role r1"],
            ),
            (
                "GET",
                "/api/v1/projects/p",
                "",
                Name::GetProject,
                vec!["setproject"],
            ),
            (
                "GET",
                "/api/v1/projects/p/roles/r1/policy",
                "",
                Name::GetRolePolicy,
                vec!["describe role r1"],
            ),
            (
                "GET",
                "/api/v1/projects/p/trustedProjects",
                "",
                Name::GetTrustedProjects,
                vec!["list trustedprojects"],
            ),
            (
                "DELETE",
                "/api/v1/projects/p/roles/r1",
                "",
                Name::DeleteRole,
                vec!["drop role r1"],
            ),
            (
                "POST",
                "/api/v1/projects/p/roles",
                r#"{"name":"r1","type":"resource","acl":{"table":[{"name":"t1","actions":["Describe","Select"]}],"project":[{"name":"p","actions":[]}]}}"#,
                Name::CreateRole,
                vec![
                    "create role r1",
                    "grant Describe, Select on table t1 to role r1",
                ],
            ),
            (
                "PUT",
                "/api/v1/projects/p/roles/r1/users",
                r#"{"add":["RAM$MainCount:alice"],"remove":["ALIYUN$bob@x.com"]}"#,
                Name::UpdateUsersToRole,
                vec![
                    "grant r1 to RAM$MainCount:alice",
                    "revoke r1 from ALIYUN$bob@x.com",
                ],
            ),
        ];
        for (method, path, body, name, statements) in cases {
            let b = bound(method, path, body).unwrap();
            assert_eq!((b.name, b.project.as_str()), (name, "p"), "{path}");
            assert_eq!(texts(&b), statements, "{method} {path}");
        }
        let verbose = bind(
            "GET",
            "/api/v1/projects/My%20P",
            &[("verbose".into(), "true".into())],
            b"",
        )
        .unwrap();
        assert_eq!(verbose.project, "My P");
        assert_eq!(
            texts(&verbose),
            ["setproject", "show SecurityConfiguration"]
        );
    }

    #[test]
    fn unknown_apis_are_the_gateways_not_found() {
        for (method, path) in [
            ("GET", "/api/v1/"),
            ("GET", "/api/v1/projects"),
            ("GET", "/api/v1/projects/"),
            ("PATCH", "/api/v1/projects/p/roles"),
            ("GET", "/api/v1/projects/p/roles/r/acl"),
            ("POST", "/api/v1/projects/p/users"),
            ("GET", "/api/v1/quotas"),
        ] {
            assert_eq!(
                bound(method, path, ""),
                Err(RoaError::Gateway(OpenApiError::ActionNotFound)),
                "{method} {path}"
            );
        }
    }

    #[test]
    fn names_cannot_make_other_statements() {
        let invalid = |r: Result<Bound, RoaError>| match r {
            Err(RoaError::InvalidParameter(d)) => d,
            other => panic!("{other:?}"),
        };
        assert!(
            invalid(bound(
                "DELETE",
                "/api/v1/projects/p/roles/r1%3B%20drop%20role%20r2",
                ""
            ))
            .contains("not one name")
        );
        assert!(
            invalid(bound("DELETE", "/api/v1/projects/p/roles/r1,r2", "")).contains("role name")
        );
        assert!(
            invalid(bound("GET", "/api/v1/projects/p/roles/to/users", "")).contains("role name")
        );
        assert!(
            invalid(bound(
                "PUT",
                "/api/v1/projects/p/roles/r1/users",
                r#"{"add":["RAM$MainCount:a, admin to RAM$MainCount:b"]}"#
            ))
            .contains("a user")
        );
        assert!(
            invalid(bound("PUT", "/api/v1/projects/p/roles/r1/users", "[1]"))
                .contains("the body is not")
        );
        assert!(
            invalid(bound(
                "POST",
                "/api/v1/projects/p/roles",
                r#"{"type":"resource"}"#
            ))
            .contains("missing field `name`")
        );
        assert!(invalid(bound(
            "POST",
            "/api/v1/projects/p/roles",
            r#"{"name":"r1","acl":{"table":[{"name":"t1 to role admin","actions":["Select"]}]}}"#
        ))
        .contains("acl entry"));
        assert_eq!(
            bound(
                "POST",
                "/api/v1/projects/p/roles",
                r#"{"name":"r1","type":"admin"}"#
            )
            .map(|b| b.name),
            Err(RoaError::NotSupported(
                "roles of a type other than resource (create role makes resource roles)".into()
            ))
        );
        assert!(matches!(
            bound(
                "POST",
                "/api/v1/projects/p/roles",
                r#"{"name":"r1","policy":"{\"Statement\":[]}"}"#
            ),
            Err(RoaError::NotSupported(_))
        ));
    }
}
