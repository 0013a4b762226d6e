//! The RAM users a statement can change, so that `check` takes only their facts.

use crate::engine::Session;
use crate::engine::names::{account_of, resolve};
use crate::syntax::{
    Input, PrincipalName, Product, Statement, Subject as AclSubject, TeachStatement,
};
use crate::world::{PrincipalId, Uid, World};

use super::super::offboard::resolve_target;

/// The RAM users a statement can change (membership, grants, console access, policies, the
/// user itself), so that only their facts are taken. The match is exhaustive: a new kind of
/// statement has to say which users it can change.
pub fn affected(world: &World, session: &Session, input: &Input) -> Vec<Uid> {
    let caller = account_of(world, session.actor).unwrap_or(world.home);
    let ram_user = |p: &PrincipalName| match resolve(world, caller, p) {
        Ok(PrincipalId::RamUser(uid)) => vec![uid],
        _ => Vec::new(),
    };
    let own = || match session.actor {
        PrincipalId::RamUser(uid) => vec![uid],
        _ => Vec::new(),
    };
    let statement = match input {
        Input::Teach(TeachStatement::Offboard { user, .. }) => {
            return resolve_target(world, session, user)
                .map(|t| vec![t.uid])
                .unwrap_or_default();
        }
        Input::Teach(_) => return Vec::new(),
        Input::Statement(s) => s,
    };
    match statement {
        Statement::AddUser(p)
        | Statement::RemoveUser(p)
        | Statement::GrantRoles { grantee: p, .. }
        | Statement::RevokeRoles { grantee: p, .. } => ram_user(p),
        Statement::GrantPrivileges(c) | Statement::RevokePrivileges(c) => match &c.subject {
            AclSubject::User(p) => ram_user(p),
            AclSubject::Role(_) => Vec::new(),
        },
        Statement::Console(c) => match (c.product(), c.get("UserName"), c.get("UserId")) {
            (Product::DataWorks, _, Some(id)) => {
                id.parse::<u64>().map(|n| vec![Uid(n)]).unwrap_or_default()
            }
            (Product::DataWorks, _, None) => own(),
            (_, Some(name), _) => world
                .account(caller)
                .and_then(|a| a.user_named(name))
                .map(|u| vec![u.uid])
                .unwrap_or_default(),
            (_, None, _) => own(),
        },
        // Statements that change no user's membership, grants, log-on or policies.
        Statement::ListUsers
        | Statement::ListRoles
        | Statement::CreateRole(_)
        | Statement::DropRole(_)
        | Statement::DescribeRole(_)
        | Statement::CreateProject(_)
        | Statement::DropProject(_)
        | Statement::SetProject(_)
        | Statement::ShowMatrix(_)
        | Statement::WhoAmI
        | Statement::Use(_)
        | Statement::Login { .. }
        | Statement::Quit
        | Statement::CreateTable { .. }
        | Statement::DropTable { .. }
        | Statement::ShowTables
        | Statement::DescribeTable(_)
        | Statement::AddResource(_)
        | Statement::ListResources
        | Statement::DropResource(_)
        | Statement::CreateFunction { .. }
        | Statement::ListFunctions
        | Statement::DropFunction(_)
        | Statement::Select(_)
        | Statement::Insert { .. }
        | Statement::ShowInstances
        | Statement::DescribeInstance(_)
        | Statement::ShowGrants { .. }
        | Statement::ShowAcl { .. }
        | Statement::ShowPrincipals(_)
        | Statement::ClearExpiredGrants
        | Statement::Set { .. }
        | Statement::ShowSecurityConfiguration
        | Statement::ListTrustedProjects
        | Statement::AddTrustedProject(_)
        | Statement::RemoveTrustedProject(_)
        | Statement::ListAccountProviders
        | Statement::AddAccountProvider(_)
        | Statement::RemoveAccountProvider(_) => Vec::new(),
    }
}
