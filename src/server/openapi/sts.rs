//! STS (2015-04-01) as far as the world has it: `GetCallerIdentity` answers who signed the
//! call (any valid key may ask), and `AssumeRole` answers as the service does for a role that
//! does not exist, since odpsh has no RAM roles yet: a main account's key is refused first
//! (roles may not be assumed by root accounts), then the role is not found.

use serde_json::{Value, json};

use crate::engine::RamError;
use crate::world::{PrincipalId, World};

use super::errors::{OpenApiError, ROOT_MAY_NOT_ASSUME};
use super::params::Params;

/// The STS actions odpsh answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    GetCallerIdentity,
    AssumeRole,
}

impl Action {
    pub fn named(name: &str) -> Option<Action> {
        match name {
            "GetCallerIdentity" => Some(Action::GetCallerIdentity),
            "AssumeRole" => Some(Action::AssumeRole),
            _ => None,
        }
    }
}

/// An STS call with its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    GetCallerIdentity,
    AssumeRole { role_arn: String },
}

fn required<'a>(params: &'a Params, name: &str) -> Result<&'a str, OpenApiError> {
    params
        .non_empty(name)
        .ok_or_else(|| OpenApiError::Missing(name.to_string()))
}

pub fn bind(action: Action, params: &Params) -> Result<Call, OpenApiError> {
    match action {
        Action::GetCallerIdentity => Ok(Call::GetCallerIdentity),
        Action::AssumeRole => {
            let role_arn = required(params, "RoleArn")?.to_string();
            required(params, "RoleSessionName")?;
            Ok(Call::AssumeRole { role_arn })
        }
    }
}

/// `GetCallerIdentity` of `actor`, keys in the documented order (the request id is set by the
/// caller).
fn identity(world: &World, actor: PrincipalId) -> Result<Value, OpenApiError> {
    match actor {
        PrincipalId::Account(id) => Ok(json!({
            "IdentityType": "Account",
            "AccountId": id.to_string(),
            "RequestId": "",
            "PrincipalId": id.to_string(),
            "UserId": id.to_string(),
            "Arn": format!("acs:ram::{id}:root"),
        })),
        PrincipalId::RamUser(uid) => {
            let (account, user) = world
                .ram_user(uid)
                .ok_or(OpenApiError::Service(RamError::ACCESS_KEY_ID_NOT_FOUND))?;
            Ok(json!({
                "IdentityType": "RAMUser",
                "AccountId": account.id.to_string(),
                "RequestId": "",
                "PrincipalId": uid.to_string(),
                "UserId": uid.to_string(),
                "Arn": format!("acs:ram::{}:user/{}", account.id, user.name()),
            }))
        }
        PrincipalId::RamRole(_) => Err(OpenApiError::Service(RamError::NO_PERMISSION)),
    }
}

pub fn run(world: &World, actor: PrincipalId, call: &Call) -> Result<Value, OpenApiError> {
    match call {
        Call::GetCallerIdentity => identity(world, actor),
        Call::AssumeRole { role_arn } => match actor {
            PrincipalId::Account(_) => Err(ROOT_MAY_NOT_ASSUME.into()),
            _ => Err(OpenApiError::RoleNotFound(role_arn.clone())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::DEFAULT_ACCOUNT_ID;

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
    fn the_main_accounts_identity() {
        let world = crate::store::builtin_world();
        let id = DEFAULT_ACCOUNT_ID.to_string();
        let reply = run(
            &world,
            PrincipalId::Account(DEFAULT_ACCOUNT_ID),
            &Call::GetCallerIdentity,
        )
        .unwrap();
        assert_eq!(reply["IdentityType"], "Account");
        assert_eq!(reply["AccountId"], id.as_str());
        assert_eq!(reply["Arn"], format!("acs:ram::{id}:root"));
    }

    #[test]
    fn assume_role_as_the_service_answers_for_no_role() {
        assert_eq!(
            bind(
                Action::AssumeRole,
                &params(&[("RoleArn", "acs:ram::1:role/r")])
            ),
            Err(OpenApiError::Missing("RoleSessionName".into()))
        );
        let call = bind(
            Action::AssumeRole,
            &params(&[("RoleArn", "acs:ram::1:role/r"), ("RoleSessionName", "s")]),
        )
        .unwrap();
        let world = crate::store::builtin_world();
        assert_eq!(
            run(&world, PrincipalId::Account(DEFAULT_ACCOUNT_ID), &call),
            Err(ROOT_MAY_NOT_ASSUME.into())
        );
        assert_eq!(
            run(&world, PrincipalId::RamUser(crate::world::Uid(7)), &call),
            Err(OpenApiError::RoleNotFound("acs:ram::1:role/r".into()))
        );
    }
}
