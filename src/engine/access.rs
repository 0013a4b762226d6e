//! Who may run what in a project: the owner, `super_administrator` and `admin` holders manage
//! users and roles; only the owner grants `admin`; the owner or a `super_administrator` grants
//! `super_administrator`. What a principal may do on objects is `authorize`'s question.

use crate::world::policy::{Effect, Source};
use crate::world::security::AccountProvider;
use crate::world::{PrincipalId, Project, World};

use super::Caller;
use super::error::{Channel, OdpsError, Refusal};

pub const ADMIN_ROLE: &str = "admin";
pub const SUPER_ADMIN_ROLE: &str = "super_administrator";

/// An actor's standing in one project, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    Owner,
    SuperAdministrator,
    Admin,
    Member,
    Outsider,
}

/// Whether the project recognises the account system of a principal: a RAM user is nobody in
/// a project whose RAM account provider was removed.
pub fn recognised(project: &Project, id: PrincipalId) -> bool {
    match id {
        PrincipalId::Account(_) => true,
        PrincipalId::RamUser(_) | PrincipalId::RamRole(_) => {
            project.security.recognises(AccountProvider::Ram)
        }
    }
}

pub fn standing(project: &Project, actor: PrincipalId) -> Standing {
    if project.is_owner(actor) {
        Standing::Owner
    } else if !project.is_member(actor) || !recognised(project, actor) {
        Standing::Outsider
    } else if project.holds_role(actor, SUPER_ADMIN_ROLE) {
        Standing::SuperAdministrator
    } else if project.holds_role(actor, ADMIN_ROLE) {
        Standing::Admin
    } else {
        Standing::Member
    }
}

/// Requires a standing of at least `weakest` for the named action: an outsider is told it is
/// not in the project, a member below `weakest` that it lacks the privilege. The project's
/// policies bind everyone but the owner: a Deny of the action refuses even an administrator
/// ([4011]), and an admin-type role whose policy allows the action lets its holder through.
fn require_at_least(
    world: &World,
    project: &Project,
    caller: Caller,
    action: &'static str,
    weakest: Standing,
) -> Result<(), OdpsError> {
    let standing = standing(project, caller.actor);
    match standing {
        Standing::Outsider => return Err(OdpsError::NotInProject(project.name.clone())),
        Standing::Owner => return Ok(()),
        _ => {}
    }
    if super::policy::binds(project, caller.actor) {
        let roles = project.roles_of(caller.actor).unwrap_or_default();
        let resource = super::policy::management_resource(&project.name, action);
        let odps = format!("odps:{action}");
        let matched = |effect| {
            super::policy::matching(world, project, caller, &roles, effect, &odps, &resource)
        };
        if let Some(deny) = matched(Effect::Deny) {
            let refusal = Refusal::ExplicitDeny {
                action,
                resource: resource.trim_start_matches("acs:odps:*:").to_string(),
                by: super::policy::matched_text(&deny),
            };
            return Err(super::authorize::refuse(
                world,
                caller.actor,
                Channel::Rest,
                refusal,
                None,
            ));
        }
        if standing > weakest
            && let Some(allow) = matched(Effect::Allow)
            && matches!(&allow.source, Source::Role(r) if project.policies.is_admin_role(r))
        {
            return Ok(());
        }
    }
    if standing > weakest {
        return Err(OdpsError::NoPrivilege {
            action,
            project: project.name.clone(),
        });
    }
    Ok(())
}

/// Requires the owner, a `super_administrator` or an `admin` holder (or an admin-type role
/// whose policy allows it), for the named action.
pub fn require_manager(
    world: &World,
    project: &Project,
    caller: Caller,
    action: &'static str,
) -> Result<(), OdpsError> {
    require_at_least(world, project, caller, action, Standing::Admin)
}

/// Requires the owner or a `super_administrator` (security configuration, trusted projects),
/// or an admin-type role whose policy allows it.
pub fn require_security_admin(
    world: &World,
    project: &Project,
    caller: Caller,
    action: &'static str,
) -> Result<(), OdpsError> {
    require_at_least(world, project, caller, action, Standing::SuperAdministrator)
}

/// Requires a member (or the owner).
pub fn require_member(project: &Project, actor: PrincipalId) -> Result<Standing, OdpsError> {
    match standing(project, actor) {
        Standing::Outsider => Err(OdpsError::NotInProject(project.name.clone())),
        s => Ok(s),
    }
}

/// The extra rule for binding the two administrator roles.
pub fn require_role_grantor(
    project: &Project,
    actor: PrincipalId,
    role: &str,
) -> Result<(), OdpsError> {
    let s = standing(project, actor);
    match role {
        ADMIN_ROLE if s != Standing::Owner => Err(OdpsError::OwnerOnlyAdminRole),
        SUPER_ADMIN_ROLE if s > Standing::SuperAdministrator => {
            Err(OdpsError::SuperAdminRoleRestricted)
        }
        _ => Ok(()),
    }
}
