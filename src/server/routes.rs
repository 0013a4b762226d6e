//! Which resource a request names (reference §B.3, §D.1), decided on the connection's thread
//! before the request joins the commit queue: the path under `/api`, the method, and for a
//! security query the parsed body and statement. Nothing here sees the world.

use std::collections::BTreeMap;

use percent_encoding::percent_decode_str;

use crate::render;
use crate::syntax::{self, PieceKind, Statement};

use super::errors::{ServerError, Unserved};
use super::listing::{self, InstanceFilter, Listing};
use super::security_update::SecurityUpdate;
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
    /// GET `/projects`: the projects the caller may use.
    Projects { listing: Listing },
    /// GET `/projects/<p>[?properties=all]`.
    Project { project: String },
    /// GET `/projects/<p>?extended`.
    ProjectExtended { project: String },
    /// GET `/projects/<p>?security_configuration`.
    SecurityConfiguration { project: String },
    /// PUT `/projects/<p>?security_configuration`: the flags of the body, applied as `set`.
    PutSecurityConfiguration {
        project: String,
        update: SecurityUpdate,
    },
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
    /// GET `/projects/<p>/tables`.
    Tables { project: String, listing: Listing },
    /// GET `/projects/<p>/tables/<t>[?extended]`.
    Table {
        project: String,
        table: String,
        extended: bool,
    },
    /// GET `/projects/<p>/resources`.
    Resources { project: String, listing: Listing },
    /// GET `/projects/<p>/resources/<r>?meta`.
    Resource { project: String, resource: String },
    /// GET `/projects/<p>/registration/functions`.
    Functions { project: String, listing: Listing },
    /// GET `/projects/<p>/registration/functions/<f>`.
    Function { project: String, function: String },
    /// GET `/projects/<p>/instances`.
    Instances {
        project: String,
        listing: Listing,
        filter: InstanceFilter,
    },
    /// GET `/projects/<p>/instances/<id>[?taskstatus]`.
    Instance { project: String, id: String },
    /// GET `/projects/<p>?policy` and `/projects/<p>/roles/<r>?policy`: the project's or the
    /// role's policy document, as `get policy` answers it.
    GetPolicy {
        project: String,
        role: Option<String>,
    },
    /// PUT of the same: the body is the document, as `put policy` sends it.
    PutPolicy {
        project: String,
        role: Option<String>,
        document: String,
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
    /// `install package …`/`uninstall package …`: answered asynchronously, as the service does
    /// (the query returns an instance whose status tells how it ended).
    Package(Statement),
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

/// The request as the router reads it, for the errors it answers.
struct Request<'r> {
    method: &'r str,
    full: &'r str,
    params: &'r BTreeMap<String, String>,
}

impl Request<'_> {
    fn not_served(&self, what: Unserved) -> ServerError {
        let path = match &what {
            Unserved::Action(action) => format!("{}?{action}", self.full),
            _ => self.full.to_string(),
        };
        ServerError::NotServed {
            method: self.method.to_string(),
            path,
            what,
        }
    }

    /// The action the request names (a parameter without a value, `?roles`), refusing any
    /// other than `served`: a policy as not simulated yet, the rest as actions odpsh does not
    /// serve.
    fn action(&self, served: &[&str]) -> Result<Option<&str>, ServerError> {
        let mut found = None;
        for (name, value) in self.params {
            if !value.is_empty() {
                continue;
            }
            if name == "security_policy" {
                return Err(self.not_served(Unserved::SecurityPolicy));
            }
            if !served.contains(&name.as_str()) {
                return Err(self.not_served(Unserved::Action(name.clone())));
            }
            found = Some(name.as_str());
        }
        Ok(found)
    }

    /// A route that answers GET only: other methods change what odpsh keeps in the shell only.
    fn read_only(&self, objects: &'static str, route: Route) -> Result<Route, ServerError> {
        if self.method == "GET" {
            Ok(route)
        } else {
            Err(self.not_served(Unserved::Changes(objects)))
        }
    }
}

/// Filters of `/projects` odpsh cannot honour (it simulates one account, no groups, quotas or
/// other regions).
const UNSERVED_PROJECT_FILTERS: [&str; 6] = [
    "group",
    "region",
    "tenant",
    "quotanickname",
    "quota_name",
    "quota_type",
];
/// Filters of `/instances` odpsh cannot honour.
const UNSERVED_INSTANCE_FILTERS: [&str; 2] = ["jobname", "quotaIndex"];

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
    let request = Request {
        method,
        full,
        params,
    };
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
        ["projects"] => {
            request.action(&[])?;
            listing::refuse_filters(params, &UNSERVED_PROJECT_FILTERS, method, full)?;
            get_only(Route::Projects {
                listing: Listing::from_params(params)?,
            })
        }
        ["projects", p] => project_route(&request, project(p), body),
        ["projects", p, "authorization"] => {
            if params.contains_key("sign_bearer_token") {
                return Err(request.not_served(Unserved::BearerTokens));
            }
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
        ["projects", p, "users"] => {
            request.action(&[])?;
            get_only(Route::Users {
                project: project(p),
            })
        }
        ["projects", p, "users", u] => {
            let action = request.action(&["roles"])?;
            get_only(Route::User {
                project: project(p),
                user: u.to_string(),
                roles: action.is_some(),
            })
        }
        ["projects", p, "roles"] => {
            request.action(&[])?;
            get_only(Route::Roles {
                project: project(p),
            })
        }
        ["projects", p, "roles", r] => {
            let action = request.action(&["users", "policy"])?;
            if action == Some("policy") {
                return policy_route(&request, project(p), Some(r.to_string()), body);
            }
            get_only(Route::Role {
                project: project(p),
                role: r.to_string(),
                users: action.is_some(),
            })
        }
        ["projects", p, rest @ ..] => object_route(&request, project(p), rest),
        _ => Err(request.not_served(Unserved::Request)),
    }
}

/// `/projects/<p>`: the project, its extended properties, its security configuration.
fn project_route(
    request: &Request<'_>,
    project: String,
    body: &[u8],
) -> Result<Route, ServerError> {
    let action = request.action(&[
        "extended",
        "security_configuration",
        "security_configuration_without_exception_policy",
        "policy",
    ])?;
    if action == Some("policy") {
        return policy_route(request, project, None, body);
    }
    let security = matches!(
        action,
        Some("security_configuration" | "security_configuration_without_exception_policy")
    );
    match (request.method, action) {
        ("GET", Some("extended")) => Ok(Route::ProjectExtended { project }),
        ("GET", _) if security => Ok(Route::SecurityConfiguration { project }),
        ("GET", _) => Ok(Route::Project { project }),
        ("PUT", Some("security_configuration")) => Ok(Route::PutSecurityConfiguration {
            project,
            update: SecurityUpdate::read(body)?,
        }),
        (method, _) if security => Err(not_allowed(method, request.full, "GET, PUT")),
        (method, _) => Err(not_allowed(method, request.full, "GET")),
    }
}

/// `?policy` on a project or a role: GET reads the document, PUT replaces it.
fn policy_route(
    request: &Request<'_>,
    project: String,
    role: Option<String>,
    body: &[u8],
) -> Result<Route, ServerError> {
    match request.method {
        "GET" => Ok(Route::GetPolicy { project, role }),
        "PUT" => Ok(Route::PutPolicy {
            project,
            role,
            document: String::from_utf8_lossy(body).into_owned(),
        }),
        method => Err(not_allowed(method, request.full, "GET, PUT")),
    }
}

/// The objects of a project: tables, resources, functions and instances, read only.
fn object_route(
    request: &Request<'_>,
    project: String,
    rest: &[&str],
) -> Result<Route, ServerError> {
    let listing = || Listing::from_params(request.params);
    match rest {
        ["tables"] => {
            request.action(&["extended"])?;
            request.read_only(
                "tables",
                Route::Tables {
                    project,
                    listing: listing()?,
                },
            )
        }
        ["tables", t] => {
            let action = request.action(&["extended"])?;
            request.read_only(
                "tables",
                Route::Table {
                    project,
                    table: t.to_string(),
                    extended: action.is_some(),
                },
            )
        }
        ["resources"] => {
            request.action(&[])?;
            request.read_only(
                "resources",
                Route::Resources {
                    project,
                    listing: listing()?,
                },
            )
        }
        ["resources", r] => {
            let action = request.action(&["meta"])?;
            let route = request.read_only(
                "resources",
                Route::Resource {
                    project,
                    resource: r.to_string(),
                },
            )?;
            match action {
                Some(_) => Ok(route),
                None => Err(request.not_served(Unserved::ResourceContents)),
            }
        }
        ["registration", "functions"] | ["registration/functions"] => {
            request.action(&[])?;
            request.read_only(
                "functions",
                Route::Functions {
                    project,
                    listing: listing()?,
                },
            )
        }
        ["registration", "functions", f] | ["registration/functions", f] => {
            request.action(&[])?;
            request.read_only(
                "functions",
                Route::Function {
                    project,
                    function: f.to_string(),
                },
            )
        }
        ["instances"] => {
            request.action(&[])?;
            if request.method == "POST" {
                return Err(request.not_served(Unserved::Jobs));
            }
            listing::refuse_filters(
                request.params,
                &UNSERVED_INSTANCE_FILTERS,
                request.method,
                request.full,
            )?;
            request.read_only(
                "instances",
                Route::Instances {
                    project,
                    listing: listing()?,
                    filter: InstanceFilter::from_params(request.params)?,
                },
            )
        }
        ["instances", id] => {
            request.action(&["taskstatus"])?;
            request.read_only(
                "instances",
                Route::Instance {
                    project,
                    id: id.to_string(),
                },
            )
        }
        _ => Err(request.not_served(Unserved::Request)),
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
    let asynchronous = package_name(piece.body).is_some();
    match syntax::parse_piece(piece) {
        Ok(statement) if asynchronous => Query::Package(statement),
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
#[path = "routes_tests.rs"]
mod tests;
