//! Answers one routed request against the world, on the commit thread: authenticates the
//! caller by the request's signature again (the world may have changed since the connection
//! checked it), then runs the security statement through the same engine the shell uses (as the
//! key's owner) or reads the resource.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::SystemTime;

use crate::engine;
use crate::render::wire::{self, Caller};
use crate::syntax::{PolicyStatement, RoleName, Statement};
use crate::world::{PrincipalId, World};

use super::authn;
use super::errors::{self, ServerError};
use super::resources;
use super::routes::{Query, Route};
use super::security_update;
use super::signature::{self, Authorization};
use super::xml;

/// A request as the connection read it, its headers checked ([`authn::check_request`]): the
/// credential, what the signature covers, and the route.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub method: String,
    pub credential: Authorization,
    /// The canonical string built from the request as received.
    pub canonical: String,
    pub peer: IpAddr,
    pub route: Result<Route, ServerError>,
}

/// An answer, before it becomes an HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    pub headers: Vec<(&'static str, String)>,
    /// Whether answering changed the world (it must be saved before the reply is sent).
    pub changed: bool,
    /// Whether authenticating the request recorded its key's use (saved with the batch; a
    /// failed save of only that does not fail the reply, see `engine::record_key_use`).
    pub recorded: bool,
}

pub const XML: &str = "application/xml";
pub const JSON: &str = "application/json";

impl Reply {
    pub fn xml(body: String) -> Self {
        Reply::with_status(200, XML, body)
    }

    pub fn with_status(status: u16, content_type: &'static str, body: String) -> Self {
        Reply {
            status,
            content_type,
            body,
            headers: Vec::new(),
            changed: false,
            recorded: false,
        }
    }

    pub fn error(e: &ServerError, request_id: &str, host_id: &str) -> Self {
        let mut reply = Reply::with_status(
            e.status(),
            XML,
            xml::error(e.code(), &e.to_string(), request_id, host_id),
        );
        if let Some(allow) = e.allow() {
            reply.headers.push(("allow", allow.to_string()));
        }
        reply
    }
}

/// Asynchronous security queries, kept in memory (the most recent [`Instances::KEPT`]).
#[derive(Debug, Default)]
pub struct Instances {
    states: HashMap<String, (&'static str, String)>,
    order: VecDeque<String>,
    next: u64,
}

impl Instances {
    const KEPT: usize = 10_000;

    /// Records a finished query and returns its instance id.
    fn finish(&mut self, status: &'static str, result: String, now: SystemTime) -> String {
        self.next += 1;
        let stamp = signature::iso_millis(now).replace(['-', ':', 'T', '.', 'Z'], "");
        let id = format!("{stamp}{:06}gauth", self.next);
        if self.order.len() == Self::KEPT
            && let Some(old) = self.order.pop_front()
        {
            self.states.remove(&old);
        }
        self.order.push_back(id.clone());
        self.states.insert(id.clone(), (status, result));
        id
    }

    fn get(&self, id: &str) -> Option<&(&'static str, String)> {
        self.states.get(id)
    }
}

/// What the commit thread keeps between requests besides the world.
#[derive(Debug)]
pub struct Context {
    pub host_id: String,
    pub instances: Instances,
    /// The statements the batch under way changed the world with, for the store's journal.
    pub tape: crate::engine::tape::Tape,
}

/// Answers one request. Never panics on anything the client sent; a failed statement leaves
/// the world as it was.
pub fn handle(
    world: &mut World,
    context: &mut Context,
    incoming: &Incoming,
    request_id: &str,
    now: SystemTime,
) -> Reply {
    let actor = match authn::verify_key(world, &incoming.credential, &incoming.canonical) {
        Ok(actor) => actor,
        Err(e) => return Reply::error(&e, request_id, &context.host_id),
    };
    // The key was used, whatever the request asks and however it ends.
    let recorded = context
        .tape
        .record_use(world, &incoming.credential.access_key_id);
    let answer = incoming
        .route
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|route| dispatch(world, context, route, actor, incoming.peer, now));
    let mut reply = answer.unwrap_or_else(|e| Reply::error(&e, request_id, &context.host_id));
    reply.recorded = recorded;
    reply
}

fn dispatch(
    world: &mut World,
    context: &mut Context,
    route: &Route,
    actor: PrincipalId,
    peer: IpAddr,
    now: SystemTime,
) -> Result<Reply, ServerError> {
    match route {
        Route::SecurityQuery {
            project,
            json,
            query,
        } => match query {
            Query::Refused(e) => Err(e.clone()),
            Query::Statement(statement) => {
                let mut session = resources::enter(world, project, actor, peer)?;
                let output = context
                    .tape
                    .execute(world, &mut session, statement)
                    .map_err(|f| errors::refusal(&f))?;
                let caller = Caller {
                    id: actor.to_string(),
                    source_ip: peer.to_string(),
                };
                let result = wire::security_result(&output, *json, &caller);
                let mut reply = Reply::xml(xml::authorization_result(&result));
                reply.changed = !statement.is_read_only();
                Ok(reply)
            }
            Query::Package(statement) => {
                let mut session = resources::enter(world, project, actor, peer)?;
                let (id, changed) = match engine::execute(world, &mut session, statement) {
                    Ok(output) => {
                        let caller = Caller {
                            id: actor.to_string(),
                            source_ip: peer.to_string(),
                        };
                        let result = wire::security_result(&output, *json, &caller);
                        (context.instances.finish("TERMINATED", result, now), true)
                    }
                    Err(failure) => {
                        let message = failure.report().message;
                        (context.instances.finish("FAILED", message, now), false)
                    }
                };
                let mut reply = Reply::with_status(202, XML, xml::authorization_result(&id));
                reply.changed = changed;
                Ok(reply)
            }
        },
        Route::PutSecurityConfiguration { project, update } => {
            let mut session = resources::enter(world, project, actor, peer)?;
            let changed = security_update::apply(world, &mut session, update)?;
            let mut reply = Reply::xml(String::new());
            reply.changed = changed;
            Ok(reply)
        }
        Route::GetPolicy { project, role } => {
            let mut session = resources::enter(world, project, actor, peer)?;
            let statement = Statement::Policy(PolicyStatement::Get {
                role: role.as_deref().map(RoleName::new),
            });
            let output = engine::execute(world, &mut session, &statement)
                .map_err(|f| errors::refusal(&f))?;
            let body = match output {
                engine::Output::Json(value) => value.to_string(),
                _ => String::new(),
            };
            Ok(Reply::with_status(200, JSON, body))
        }
        Route::PutPolicy {
            project,
            role,
            document,
        } => {
            let mut session = resources::enter(world, project, actor, peer)?;
            let statement = Statement::Policy(PolicyStatement::Put {
                file: "(the request body)".into(),
                role: role.as_deref().map(RoleName::new),
                document: Some(document.clone()),
                read_error: None,
            });
            context
                .tape
                .execute(world, &mut session, &statement)
                .map_err(|f| errors::refusal(&f))?;
            let mut reply = Reply::xml(String::new());
            reply.changed = true;
            Ok(reply)
        }
        Route::QueryStatus { project, id } => {
            resources::enter(world, project, actor, peer)?;
            let (status, result) = context
                .instances
                .get(id)
                .ok_or_else(|| ServerError::NoSuchInstance(id.clone()))?;
            Ok(Reply::xml(xml::authorization_query(result, status)))
        }
        other => resources::get(world, other, actor, peer, now),
    }
}
