//! Runs a bound MaxCompute OpenAPI call as the key's owner, on the commit thread: the project
//! is entered as the shell enters it (`use <p>`), then the call's statements run through
//! `engine::execute` with the shell's authorization, all or nothing (a refused statement puts
//! the project back as it was before the first), and the answer is made from what they
//! produced ([`super::reply`]).

use std::net::IpAddr;

use serde_json::{Value, json};

use crate::engine::access::SUPER_ADMIN_ROLE;
use crate::engine::{self, Output, Session, names};
use crate::syntax::{RoleName, RoleStatement, SessionStatement, Statement};
use crate::world::{PrincipalId, World};

use super::errors::RoaError;
use super::reply::{self, ProjectFacts};
use super::routes::{Bound, Name};

fn execute(
    world: &mut World,
    session: &mut Session,
    statement: &Statement,
) -> Result<Output, RoaError> {
    engine::execute(world, session, statement).map_err(|f| RoaError::Refused(f.report()))
}

/// `actor`'s session in `project` from `peer`, entered as the shell enters its starting
/// project.
fn enter(
    world: &mut World,
    project: &str,
    actor: PrincipalId,
    peer: IpAddr,
) -> Result<Session, RoaError> {
    let mut session = Session::new(actor, project);
    // A project policy's acs:SourceIp reads the client's address.
    session.source_ip = peer;
    execute(
        world,
        &mut session,
        &Statement::Session(SessionStatement::Use(project.to_string())),
    )?;
    Ok(session)
}

/// Runs every statement; when one is refused after another changed the project, the project
/// is put back as it was.
fn run_all(
    world: &mut World,
    session: &mut Session,
    statements: &[Statement],
) -> Result<Vec<Output>, RoaError> {
    let changes = statements.iter().filter(|s| !s.is_read_only()).count();
    let before = (changes > 1)
        .then(|| world.project(&session.project).cloned())
        .flatten();
    let mut outputs = Vec::with_capacity(statements.len());
    for statement in statements {
        match execute(world, session, statement) {
            Ok(output) => outputs.push(output),
            Err(e) => {
                if let (Some(before), Some(project)) = (before, world.project_mut(&session.project))
                {
                    *project = before;
                }
                return Err(e);
            }
        }
    }
    Ok(outputs)
}

/// What the call answers: `{"requestId", "data"}` (and `httpCode` for GetProject).
pub fn run(
    world: &mut World,
    actor: PrincipalId,
    bound: &Bound,
    region: &str,
    request_id: &str,
    peer: IpAddr,
) -> Result<Value, RoaError> {
    let mut session = enter(world, &bound.project, actor, peer)?;
    let outputs = run_all(world, &mut session, &bound.statements)?;
    let first = outputs.first().unwrap_or(&Output::Done);
    let project = session.project.clone();
    let data = match bound.name {
        Name::ListProjectUsers | Name::ListUsersByRole => reply::users(reply::lines(first)),
        Name::GetTrustedProjects => json!(reply::lines(first)),
        Name::CreateRole | Name::DeleteRole | Name::UpdateUsersToRole => json!(reply::SUCCESS),
        Name::GetRolePolicy => match first {
            Output::RoleDescription { grants, .. } => json!(reply::policy(grants)),
            _ => json!(""),
        },
        Name::ListRoles => {
            let mut roles = Vec::new();
            for name in reply::lines(first) {
                let describe = Statement::Roles(RoleStatement::Describe(RoleName::new(name)));
                let described = engine::execute(world, &mut session, &describe).ok();
                roles.push(reply::role(name, described.as_ref(), &project));
            }
            json!({ "roles": roles })
        }
        Name::GetProject => {
            let Some(p) = world.project(&project) else {
                return Err(RoaError::Refused(
                    engine::Failure::Odps(engine::OdpsError::ProjectNotFound(project)).report(),
                ));
            };
            let super_admins: Vec<PrincipalId> = p
                .role_members(SUPER_ADMIN_ROLE)
                .map(|m| m.collect())
                .unwrap_or_default();
            let facts = ProjectFacts {
                name: &p.name,
                owner: names::display(world, PrincipalId::Account(p.owner)),
                region,
                created: world.clock.now.saturating_mul(1000),
                super_admins: names::display_all(world, &super_admins),
            };
            let data = reply::project(facts, reply::lines(first), outputs.get(1));
            return Ok(json!({ "requestId": request_id, "httpCode": 200, "data": data }));
        }
    };
    Ok(json!({ "requestId": request_id, "data": data }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::openapi::maxcompute::routes::bind;

    fn call(
        world: &mut World,
        actor: PrincipalId,
        method: &str,
        path: &str,
        body: &str,
    ) -> Result<Value, RoaError> {
        let bound = bind(method, path, &[], body.as_bytes())?;
        run(
            world,
            actor,
            &bound,
            "cn-hangzhou",
            "R",
            crate::engine::DEFAULT_SOURCE_IP,
        )
    }

    #[test]
    fn a_refused_update_changes_nothing() {
        let mut world = crate::store::builtin_world();
        let owner = PrincipalId::Account(world.home);
        call(
            &mut world,
            owner,
            "POST",
            "/api/v1/projects/MaxCompute/roles",
            r#"{"name":"r1"}"#,
        )
        .unwrap();
        let before = world
            .project("MaxCompute")
            .map(|p| p.role_member_count("r1"));
        let refused = call(
            &mut world,
            owner,
            "PUT",
            "/api/v1/projects/MaxCompute/roles/r1/users",
            r#"{"add":["RAM$MainCount:nobody"]}"#,
        );
        assert!(matches!(refused, Err(RoaError::Refused(_))), "{refused:?}");
        assert_eq!(
            world
                .project("MaxCompute")
                .map(|p| p.role_member_count("r1")),
            before
        );
        let listed = call(
            &mut world,
            owner,
            "GET",
            "/api/v1/projects/MaxCompute/roles",
            "",
        )
        .unwrap();
        let roles = listed["data"]["roles"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            roles
                .iter()
                .any(|r| r["name"] == "r1" && r["type"] == "resource")
        );
        assert!(
            roles
                .iter()
                .any(|r| r["name"] == "admin" && r["type"] == "admin")
        );
        let dropped = call(
            &mut world,
            owner,
            "DELETE",
            "/api/v1/projects/MaxCompute/roles/r1",
            "",
        )
        .unwrap();
        assert_eq!(dropped, json!({"requestId": "R", "data": "success"}));
        let gone = call(
            &mut world,
            owner,
            "GET",
            "/api/v1/projects/MaxCompute/roles/r1/users",
            "",
        );
        assert!(matches!(gone, Err(RoaError::Refused(r)) if r.rest_code == "NoSuchObject"));
    }
}
