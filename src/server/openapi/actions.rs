//! Which service and action a call names, and running it: the version chooses the product (RAM
//! 2015-05-01, IMS 2019-08-15, DataWorks `dataworks-public` 2020-05-18, STS 2015-04-01), the
//! action one of the console commands the engine runs for that product (`syntax::Api`). The
//! call's parameters become the command's: the action's own
//! (by their exact names; a required one absent or empty is `Missing<Name>`), the rest (common
//! parameters, `RegionId`, `ClientToken`, …) ignored, as the service ignores what it does not
//! know. The command runs as the key's owner through `engine::execute`, and its reply is the
//! JSON `render` makes for it, with the server's request id; a refusal is the failure's report.

use std::net::IpAddr;

use serde_json::Value;

use crate::engine::Session;
use crate::render;
use crate::syntax::{Api, ConsoleCommand, Product, Statement};
use crate::world::{DEFAULT_PROJECT, PrincipalId, World};

use super::errors::OpenApiError;
use super::params::Params;

/// A service at `/`, chosen by the call's version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// A product whose actions are console commands.
    Console(Product),
}

/// The versions odpsh serves and their services.
pub const VERSIONS: &[(&str, Service)] = &[
    ("2015-05-01", Service::Console(Product::Ram)),
    ("2019-08-15", Service::Console(Product::Ims)),
    ("2020-05-18", Service::Console(Product::DataWorks)),
    ("2015-04-01", Service::Console(Product::Sts)),
];

impl Service {
    pub fn of_version(version: &str) -> Option<Service> {
        VERSIONS
            .iter()
            .find(|(v, _)| *v == version)
            .map(|(_, s)| *s)
    }

    /// The product as the troubleshooting link names it.
    pub fn product_name(self) -> &'static str {
        match self {
            Service::Console(Product::Ram | Product::Console) => "Ram",
            Service::Console(Product::Ims) => "Ims",
            Service::Console(Product::Sts) => "Sts",
            Service::Console(Product::DataWorks) => "dataworks-public",
        }
    }
}

/// An action of a service, before its parameters are bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Console(Api),
}

/// The action `name` of `service`.
pub fn resolve(service: Service, name: &str) -> Result<Resolved, OpenApiError> {
    match service {
        Service::Console(product) => Api::named(product, name).map(Resolved::Console),
    }
    .ok_or(OpenApiError::ActionNotFound)
}

/// A call ready to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Console(ConsoleCommand),
}

/// Binds the call's parameters to the action.
pub fn bind(resolved: Resolved, params: &Params) -> Result<Action, OpenApiError> {
    match resolved {
        Resolved::Console(api) => {
            let mut bound = Vec::with_capacity(api.params().len());
            for (param, required) in api.params() {
                match params.non_empty(param.name()) {
                    Some(value) => bound.push((*param, value.to_string())),
                    None if *required => {
                        return Err(OpenApiError::Missing(param.name().to_string()));
                    }
                    None => {}
                }
            }
            Ok(Action::Console(ConsoleCommand::new(api, bound)))
        }
    }
}

impl Action {
    /// Whether running it may change the world (it must then be saved before the answer).
    pub fn changes(&self) -> bool {
        match self {
            Action::Console(command) => !command.is_read_only(),
        }
    }
}

/// `reply` with its `RequestId` (where it has one) the server's.
fn with_request_id(mut reply: Value, request_id: &str) -> Value {
    if let Some(id) = reply.get_mut("RequestId") {
        *id = Value::String(request_id.to_string());
    }
    reply
}

/// Runs the call as `actor` (signing with `access_key_id`), from `peer`; the service's JSON
/// reply.
pub fn run(
    world: &mut World,
    actor: PrincipalId,
    access_key_id: &str,
    action: &Action,
    request_id: &str,
    peer: IpAddr,
    tape: &mut crate::engine::tape::Tape,
) -> Result<Value, OpenApiError> {
    let reply = match action {
        Action::Console(command) => {
            let mut session = Session::new(actor, DEFAULT_PROJECT);
            // A policy's acs:SourceIp reads the client's address; odpsh serve speaks plain
            // HTTP, so policies that require acs:SecureTransport refuse.
            session.source_ip = peer;
            session.secure_transport = false;
            session.sts_session = crate::engine::identity::sts_session_name(world, access_key_id);
            let statement = Statement::Console(command.clone());
            tape.execute(world, &mut session, &statement)
                .map(|output| render::json::result_value(&output))
                .map_err(|failure| OpenApiError::Refused(failure.report()))?
        }
    };
    Ok(with_request_id(reply, request_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOOPBACK: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    fn params(items: &[(&str, &str)]) -> Params {
        Params {
            query: items
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            form: Vec::new(),
        }
    }

    #[test]
    fn versions_choose_products() {
        assert_eq!(
            Service::of_version("2015-05-01"),
            Some(Service::Console(Product::Ram))
        );
        assert_eq!(
            Service::of_version("2015-04-01"),
            Some(Service::Console(Product::Sts))
        );
        assert_eq!(Service::of_version("2014-05-26"), None);
        for (_, service) in VERSIONS {
            assert!(!service.product_name().is_empty());
        }
    }

    #[test]
    fn actions_of_each_product() {
        let ram = Service::Console(Product::Ram);
        assert!(matches!(
            resolve(ram, "CreateUser"),
            Ok(Resolved::Console(_))
        ));
        assert_eq!(
            resolve(ram, "createuser"),
            Err(OpenApiError::ActionNotFound)
        );
        assert_eq!(
            resolve(ram, "GetDefaultDomain"),
            Err(OpenApiError::ActionNotFound)
        );
        assert!(resolve(Service::Console(Product::Ims), "GetDefaultDomain").is_ok());
        assert!(resolve(Service::Console(Product::DataWorks), "ListProjectMembers").is_ok());
        assert!(resolve(Service::Console(Product::Sts), "GetCallerIdentity").is_ok());
        // odpsh's own console buttons are no API.
        assert!(
            VERSIONS
                .iter()
                .all(|(_, s)| *s != Service::Console(Product::Console))
        );
    }

    #[test]
    fn parameters_bind_by_exact_name() {
        let ram = Service::Console(Product::Ram);
        let create = resolve(ram, "CreateUser").unwrap();
        let bound = bind(
            create,
            &params(&[
                ("UserName", "alice"),
                ("RegionId", "cn-hangzhou"),
                ("displayname", "x"),
                ("Comments", ""),
            ]),
        )
        .unwrap();
        let Action::Console(command) = &bound;
        assert_eq!(
            command.params,
            vec![(crate::syntax::Param::UserName, "alice".to_string())]
        );
        assert!(bound.changes());
        assert_eq!(
            bind(create, &params(&[("UserName", "")])),
            Err(OpenApiError::Missing("UserName".into()))
        );
        let attach = resolve(ram, "AttachPolicyToUser").unwrap();
        assert_eq!(
            bind(attach, &params(&[("UserName", "a"), ("PolicyName", "p")])),
            Err(OpenApiError::Missing("PolicyType".into()))
        );
    }

    #[test]
    fn replies_carry_the_servers_request_id() {
        let mut world = crate::store::builtin_world();
        let owner = PrincipalId::Account(crate::world::DEFAULT_ACCOUNT_ID);
        let create = bind(
            resolve(Service::Console(Product::Ram), "CreateUser").unwrap(),
            &params(&[("UserName", "alice")]),
        )
        .unwrap();
        let reply = run(
            &mut world,
            owner,
            "LTAIx",
            &create,
            "R-1",
            LOOPBACK,
            &mut Default::default(),
        )
        .unwrap();
        assert_eq!(reply["RequestId"], "R-1");
        assert_eq!(reply["User"]["UserName"], "alice");
        let keys: Vec<&String> = reply.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["RequestId", "User"]);
        let Err(OpenApiError::Refused(report)) = run(
            &mut world,
            owner,
            "LTAIx",
            &create,
            "R-2",
            LOOPBACK,
            &mut Default::default(),
        ) else {
            panic!("a second CreateUser is refused")
        };
        assert_eq!(report.code, crate::engine::Code::EntityAlreadyExistsUser);
        assert_eq!(report.status, 409);
    }
}
