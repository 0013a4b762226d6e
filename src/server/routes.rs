//! Which resource a request names (reference §B.3, §D.1), decided on the connection's thread
//! before the request joins the commit queue: the path under `/api`, the method, and for a
//! security query the parsed body and statement. Nothing here sees the world.

use std::collections::BTreeMap;

use percent_encoding::percent_decode_str;

use crate::render;
use crate::syntax::{self, PieceKind, Statement};

use super::errors::ServerError;
use super::xml;

/// What the server answers, once the caller is authenticated.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// POST `/projects/<p>/authorization`.
    SecurityQuery {
        project: String,
        json: bool,
        query: Query,
    },
    /// GET `/projects/<p>/authorization/<id>`: an asynchronous query's state.
    QueryStatus { project: String, id: String },
    /// GET `/projects/<p>`.
    Project { project: String },
    /// GET `/projects/<p>?security_configuration`.
    SecurityConfiguration { project: String },
    /// GET `/projects/<p>/users`.
    Users { project: String },
    /// GET `/projects/<p>/users/<id or display name>[?roles]`.
    User {
        project: String,
        user: String,
        roles: bool,
    },
    /// GET `/projects/<p>/roles`.
    Roles { project: String },
    /// GET `/projects/<p>/roles/<r>[?users]`.
    Role {
        project: String,
        role: String,
        users: bool,
    },
    /// GET `/tenants`.
    Tenants,
    /// GET `/logview/host`.
    LogviewHost,
}

/// The statement of a security query.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    Statement(Statement),
    /// `install package …`/`uninstall package …`: answered asynchronously, as the service does.
    Package {
        name: String,
    },
    /// A query the server refuses; reported only once the caller is authenticated.
    Refused(ServerError),
}

fn not_allowed(method: &str, full_path: &str, allow: &'static str) -> ServerError {
    ServerError::MethodNotAllowed {
        method: method.to_string(),
        path: full_path.to_string(),
        allow,
    }
}

/// Routes a request. `relative` is the raw path under `/api` (`/projects/p/users`), `full` the
/// path as requested (for messages), `params` the decoded query parameters.
pub fn route(
    method: &str,
    relative: &str,
    full: &str,
    params: &BTreeMap<String, String>,
    body: &[u8],
) -> Result<Route, ServerError> {
    let segments: Vec<String> = relative
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    let words: Vec<&str> = segments.iter().map(String::as_str).collect();
    let get_only = |route: Route| {
        if method == "GET" {
            Ok(route)
        } else {
            Err(not_allowed(method, full, "GET"))
        }
    };
    let project = |p: &str| p.to_string();
    match words.as_slice() {
        ["tenants"] => get_only(Route::Tenants),
        ["logview", "host"] => get_only(Route::LogviewHost),
        ["projects", p] => get_only(
            if params.contains_key("security_configuration")
                || params.contains_key("security_configuration_without_exception_policy")
            {
                Route::SecurityConfiguration {
                    project: project(p),
                }
            } else {
                Route::Project {
                    project: project(p),
                }
            },
        ),
        ["projects", p, "authorization"] => {
            if method != "POST" {
                return Err(not_allowed(method, full, "POST"));
            }
            let request = xml::parse_authorization(body).map_err(ServerError::MalformedXml)?;
            Ok(Route::SecurityQuery {
                project: project(p),
                json: request.json,
                query: classify(&request.query),
            })
        }
        ["projects", p, "authorization", id] => get_only(Route::QueryStatus {
            project: project(p),
            id: id.to_string(),
        }),
        ["projects", p, "users"] => get_only(Route::Users {
            project: project(p),
        }),
        ["projects", p, "users", u] => get_only(Route::User {
            project: project(p),
            user: u.to_string(),
            roles: params.contains_key("roles"),
        }),
        ["projects", p, "roles"] => get_only(Route::Roles {
            project: project(p),
        }),
        ["projects", p, "roles", r] => get_only(Route::Role {
            project: project(p),
            role: r.to_string(),
            users: params.contains_key("users"),
        }),
        _ => Err(ServerError::NoSuchResource {
            method: method.to_string(),
            path: full.to_string(),
        }),
    }
}

/// The package statements the service runs asynchronously (odpscmd's pattern 16).
fn package_name(body: &str) -> Option<String> {
    let mut words = body.split_whitespace();
    let verb = words.next()?;
    if !(verb.eq_ignore_ascii_case("install") || verb.eq_ignore_ascii_case("uninstall")) {
        return None;
    }
    if !words.next()?.eq_ignore_ascii_case("package") {
        return None;
    }
    Some(words.next().unwrap_or_default().to_string())
}

/// Parses the text of a security query: exactly one security statement (a trailing `;` is
/// fine), or a package statement.
pub fn classify(text: &str) -> Query {
    let pieces = syntax::split(text);
    let piece = match pieces.as_slice() {
        [] => return Query::Refused(ServerError::InvalidQuery("the query is empty".into())),
        [one] => one,
        more => {
            return Query::Refused(ServerError::InvalidQuery(format!(
                "the query holds {} statements; send one statement per query",
                more.len()
            )));
        }
    };
    if piece.kind == PieceKind::Console {
        return Query::Refused(ServerError::InvalidQuery(
            "console commands (aliyun …) are not MaxCompute statements; run them in the odpsh shell on the same world".into(),
        ));
    }
    if let Some(name) = package_name(piece.body) {
        return Query::Package { name };
    }
    match syntax::parse_piece(piece) {
        Ok(statement) if !statement.is_security_query() => {
            let word = piece.body.split_whitespace().next().unwrap_or_default();
            Query::Refused(ServerError::InvalidQuery(format!(
                "'{word}' is not a security statement (client commands, SQL jobs, project properties and the security configuration have their own requests)"
            )))
        }
        Ok(statement) => Query::Statement(statement),
        Err(e) => {
            let (_, message) = render::parse_error_message(&e, piece);
            Query::Refused(super::errors::parse_refusal(message))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(path: &str, params: &[(&str, &str)]) -> Result<Route, ServerError> {
        let params = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        route("GET", path, &format!("/api{path}"), &params, b"")
    }

    #[test]
    fn resources_by_path_and_parameters() {
        assert_eq!(get("/tenants", &[]), Ok(Route::Tenants));
        assert_eq!(get("/logview/host", &[]), Ok(Route::LogviewHost));
        assert_eq!(
            get("/projects/p", &[("curr_project", "p")]),
            Ok(Route::Project {
                project: "p".into()
            })
        );
        assert_eq!(
            get("/projects/p", &[("security_configuration", "")]),
            Ok(Route::SecurityConfiguration {
                project: "p".into()
            })
        );
        assert_eq!(
            get(
                "/projects/p/users/RAM%24M%3Aa",
                &[("roles", ""), ("type", "displayname")]
            ),
            Ok(Route::User {
                project: "p".into(),
                user: "RAM$M:a".into(),
                roles: true
            })
        );
        assert_eq!(
            get("/projects/p/roles/admin/", &[("users", "")]),
            Ok(Route::Role {
                project: "p".into(),
                role: "admin".into(),
                users: true
            })
        );
        assert_eq!(
            get("/nowhere", &[]),
            Err(ServerError::NoSuchResource {
                method: "GET".into(),
                path: "/api/nowhere".into()
            })
        );
        assert_eq!(
            get("/projects/p/authorization", &[]),
            Err(not_allowed("GET", "/api/projects/p/authorization", "POST"))
        );
        assert_eq!(
            route(
                "DELETE",
                "/projects/p",
                "/api/projects/p",
                &BTreeMap::new(),
                b""
            ),
            Err(not_allowed("DELETE", "/api/projects/p", "GET"))
        );
    }

    #[test]
    fn security_queries_hold_one_statement() {
        let body = b"<Authorization><Query>list users;</Query><ResponseInJsonFormat>true</ResponseInJsonFormat></Authorization>";
        let r = route(
            "POST",
            "/projects/p/authorization",
            "/api/projects/p/authorization",
            &BTreeMap::new(),
            body,
        );
        assert_eq!(
            r,
            Ok(Route::SecurityQuery {
                project: "p".into(),
                json: true,
                query: Query::Statement(Statement::Users(crate::syntax::UserStatement::List))
            })
        );
        assert!(matches!(
            classify("install package other.pkg"),
            Query::Package { name } if name == "other.pkg"
        ));
        for (text, message) in [
            ("", "ODPS-0420411:Invalid argument - the query is empty"),
            (
                "list users; list roles;",
                "ODPS-0420411:Invalid argument - the query holds 2 statements; send one statement per query",
            ),
            (
                "use other",
                "ODPS-0420411:Invalid argument - 'use' is not a security statement (client commands, SQL jobs, project properties and the security configuration have their own requests)",
            ),
            (
                "select * from t",
                "ODPS-0420411:Invalid argument - 'select' is not a security statement (client commands, SQL jobs, project properties and the security configuration have their own requests)",
            ),
            (
                "create table t (a bigint)",
                "ODPS-0420411:Invalid argument - 'create' is not a security statement (client commands, SQL jobs, project properties and the security configuration have their own requests)",
            ),
            (
                "grant to RAM$x",
                "ODPS-0130161:[1,7] Parse exception - expected a role name or a privilege, found 'to'",
            ),
            // Finding 7 of issue 12: a secret never comes back in an answer.
            (
                "login LTAIabc s3cr3t extra",
                "ODPS-0130161:[1,15] Parse exception - expected the end of the statement, found '******'",
            ),
        ] {
            match classify(text) {
                Query::Refused(e) => assert_eq!(e.to_string(), message),
                other => panic!("{text}: {other:?}"),
            }
        }
        assert!(matches!(
            classify("aliyun ram DeleteUser --UserName a"),
            Query::Refused(ServerError::InvalidQuery(_))
        ));
    }
}
