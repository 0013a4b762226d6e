//! Which RAM user an `offboard` (or `what may`) argument names, for the acting session: a RAM
//! user of its account by name, `RAM$<account>:<user>`, or an internal id; a residual the name
//! or id leaves is an error, named in the projects whose users the caller may list.

use crate::engine::Session;
use crate::engine::names::{account_of, resolve};
use crate::syntax::{PrincipalName, UserRef};
use crate::world::{Account, AccountId, PrincipalId, World};

use super::super::TeachError;
use super::super::sight::Sight;
use super::Target;

pub(super) fn account_login(world: &World, account: AccountId) -> String {
    world
        .account(account)
        .map_or_else(|| account.to_string(), |a| a.login.clone())
}

/// Projects whose DataWorks workspace remembers a member of this name that no account knows
/// any more: the residuals a deleted RAM user of that name left (in the workspaces whose
/// members `sight` may list).
fn residuals_named(
    world: &World,
    sight: &Sight<'_>,
    account: &Account,
    name: &str,
) -> Vec<(PrincipalId, String)> {
    let shown = format!("RAM${}:{name}", account.login);
    let mut found = Vec::new();
    for project in world.projects.values() {
        let Some(workspace) = project
            .workspace
            .as_ref()
            .filter(|_| sight.workspace_members(project))
        else {
            continue;
        };
        for (id, listed) in &workspace.members {
            let gone = matches!(id, PrincipalId::RamUser(uid) if world.ram_user(*uid).is_none());
            if gone && listed.eq_ignore_ascii_case(&shown) {
                found.push((*id, project.name.clone()));
            }
        }
    }
    found
}

/// The projects that list a principal id as a member, by name: those whose users `sight` may
/// list.
pub fn projects_listing(sight: &Sight<'_>, id: PrincipalId) -> Vec<String> {
    sight
        .world()
        .projects
        .values()
        .filter(|p| p.is_member(id) && sight.members(p))
        .map(|p| p.name.clone())
        .collect()
}

/// The workspaces whose DataWorks member list still lists a principal id: those whose members
/// `sight` may list.
fn workspaces_listing(sight: &Sight<'_>, id: PrincipalId) -> Vec<String> {
    sight
        .world()
        .projects
        .values()
        .filter(|p| sight.workspace_members(p))
        .filter_map(|p| p.workspace.as_ref())
        .filter(|w| w.members.contains_key(&id))
        .map(|w| w.id.to_string())
        .collect()
}

/// What a deleted RAM user left, as the caller may see it: a residual member of projects, else
/// a name on DataWorks workspace lists; `None` when it left nothing the caller may see.
pub fn residual_of(sight: &Sight<'_>, id: PrincipalId) -> Option<TeachError> {
    let projects = projects_listing(sight, id);
    if !projects.is_empty() {
        return Some(TeachError::Residual {
            id: id.to_string(),
            projects: projects.join(", "),
        });
    }
    let workspaces = workspaces_listing(sight, id);
    (!workspaces.is_empty()).then(|| TeachError::WorkspaceResidual {
        id: id.to_string(),
        workspaces: workspaces.join(", "),
    })
}

/// The RAM user an `offboard` argument names, for the acting session. An identity that may
/// neither read the account's RAM users nor show another principal's grants in any project
/// learns nothing of any name but its own: whether the user exists, is a residual or belongs
/// to another account, it is told the same ([`TeachError::NothingShown`]), as `aliyun ram
/// GetUser` and `show grants for` would refuse it before looking the name up.
pub fn resolve_target(
    world: &World,
    session: &Session,
    user: &UserRef,
) -> Result<Target, TeachError> {
    let sight = Sight::of(world, session);
    let learns_of_others =
        sight.ram_users() || world.projects.values().any(|p| sight.anyone_grants(p));
    match resolve_named(world, session, user) {
        Ok(target) if learns_of_others || target.uid_principal() == session.actor => Ok(target),
        _ if !learns_of_others => Err(TeachError::NothingShown {
            user: user.to_string(),
        }),
        resolved => resolved,
    }
}

/// The RAM user an argument names, for the acting session, whatever the caller may see of it.
fn resolve_named(world: &World, session: &Session, user: &UserRef) -> Result<Target, TeachError> {
    let caller = account_of(world, session.actor).unwrap_or(world.home);
    let sight = Sight::of(world, session);
    let (account, name) = match user {
        UserRef::Name(name) => (world.account(caller), name.clone()),
        UserRef::Principal(PrincipalName::Internal(text)) => {
            let id: PrincipalId = text
                .parse()
                .map_err(|_| TeachError::UnknownInternalId(text.clone()))?;
            if let PrincipalId::RamUser(uid) = id
                && let Some((account, u)) = world.ram_user(uid)
            {
                return checked(Target::of(account, u), caller, world);
            }
            if let PrincipalId::RamRole(role) = id
                && let Some((account, r)) = world.ram_role(role)
            {
                return checked(Target::of_role(account, r), caller, world);
            }
            return Err(residual_of(&sight, id)
                .unwrap_or_else(|| TeachError::UnknownInternalId(text.clone())));
        }
        UserRef::Principal(p @ PrincipalName::RamUser { account, user }) => {
            let owner = match account {
                Some(text) => world.account_named(text),
                None => world.account(caller),
            };
            match resolve(world, caller, p) {
                Ok(PrincipalId::RamUser(uid)) => {
                    if let Some((a, u)) = world.ram_user(uid) {
                        return checked(Target::of(a, u), caller, world);
                    }
                    (owner, user.clone())
                }
                Ok(_) => (owner, user.clone()),
                Err(e) => {
                    let Some(owner) = owner else {
                        return Err(e.into());
                    };
                    let residuals = residuals_named(world, &sight, owner, user);
                    if let Some(left) = residuals
                        .first()
                        .and_then(|(id, _)| residual_of(&sight, *id))
                    {
                        return Err(left);
                    }
                    return Err(e.into());
                }
            }
        }
        UserRef::Principal(p @ PrincipalName::RamRole { .. }) => {
            let PrincipalId::RamRole(role) = resolve(world, caller, p)? else {
                return Err(TeachError::NotARamUser {
                    user: p.to_string(),
                });
            };
            let Some((account, r)) = world.ram_role(role) else {
                return Err(TeachError::NotARamUser {
                    user: p.to_string(),
                });
            };
            return checked(Target::of_role(account, r), caller, world);
        }
        UserRef::Principal(p @ PrincipalName::Aliyun { .. }) => {
            resolve(world, caller, p)?;
            return Err(TeachError::NotARamUser {
                user: p.to_string(),
            });
        }
        UserRef::Principal(p) => {
            resolve(world, caller, p)?;
            return Err(TeachError::NotARamUser {
                user: p.to_string(),
            });
        }
    };
    let Some(account) = account else {
        return Err(TeachError::NoSuchRamUser {
            user: name,
            account: account_login(world, caller),
        });
    };
    if let Some(u) = account.user_named(&name) {
        return checked(Target::of(account, u), caller, world);
    }
    let residuals = residuals_named(world, &sight, account, &name);
    if let Some(left) = residuals
        .first()
        .and_then(|(id, _)| residual_of(&sight, *id))
    {
        return Err(left);
    }
    Err(TeachError::NoSuchRamUser {
        user: name,
        account: account.login.clone(),
    })
}

/// A target of another account than the caller's cannot be off-boarded: its RAM is not the
/// caller's.
fn checked(target: Target, caller: AccountId, world: &World) -> Result<Target, TeachError> {
    if target.account == caller {
        Ok(target)
    } else {
        Err(TeachError::OtherAccount {
            user: target.principal.to_string(),
            account: account_login(world, target.account),
        })
    }
}
