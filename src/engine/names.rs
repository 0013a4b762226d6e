//! Name resolution: principal names ↔ principal ids, through the account providers.
//!
//! A statement's principal name is resolved by its provider prefix (`ALIYUN$`, `RAM$`); a name
//! with no prefix, such as the residual `p4_…`, finds no provider. Display goes the other way and
//! falls back to the internal id when the account no longer knows the principal.

use crate::syntax::PrincipalName;
use crate::world::security::AccountProvider;
use crate::world::{AccountId, PrincipalId, Project, Uid, World};

use super::error::OdpsError;

/// Resolves a principal name for an actor of account `caller` (whose account the short
/// `RAM$<user>` form implies).
pub fn resolve(
    world: &World,
    caller: AccountId,
    name: &PrincipalName,
) -> Result<PrincipalId, OdpsError> {
    let invalid = || OdpsError::InvalidAccountName(name.to_string());
    match name {
        PrincipalName::Internal(_) => Err(OdpsError::LackOfAccountProvider),
        PrincipalName::OtherProvider { .. } => Err(OdpsError::ProviderNotEnabled(name.to_string())),
        PrincipalName::Aliyun { account } => world
            .account_named(account)
            .map(|a| PrincipalId::Account(a.id))
            .ok_or_else(invalid),
        PrincipalName::RamUser { account, user } => {
            let owner = match account {
                Some(text) => world.account_named(text).ok_or_else(invalid)?,
                None => world.account(caller).ok_or_else(invalid)?,
            };
            let by_name = owner.user_named(user);
            let by_id = || user.parse::<u64>().ok().and_then(|n| owner.user(Uid(n)));
            by_name
                .or_else(by_id)
                .map(|u| PrincipalId::RamUser(u.uid))
                .ok_or_else(invalid)
        }
        PrincipalName::RamRole { account, role } => {
            let owner = world.account_named(account).ok_or_else(invalid)?;
            owner
                .directory
                .role(role)
                .map(|r| PrincipalId::RamRole(r.id))
                .ok_or_else(invalid)
        }
    }
}

/// Resolves a principal name named in a statement run in `project`: a name whose account
/// system the project does not recognise fails with `lack of account provider, principalName
/// <name>` before it is looked up.
pub fn resolve_in(
    world: &World,
    project: &Project,
    caller: AccountId,
    name: &PrincipalName,
) -> Result<PrincipalId, OdpsError> {
    let provider = match name {
        PrincipalName::Aliyun { .. } => Some(AccountProvider::Aliyun),
        PrincipalName::RamUser { .. } | PrincipalName::RamRole { .. } => Some(AccountProvider::Ram),
        PrincipalName::Internal(_) | PrincipalName::OtherProvider { .. } => None,
    };
    if let Some(p) = provider
        && !project.security.recognises(p)
    {
        return Err(OdpsError::ProviderNotEnabled(name.to_string()));
    }
    resolve(world, caller, name)
}

/// The display name of a principal: `ALIYUN$<login>`, `RAM$<login>:<user>`, or the internal
/// id (`p4_<uid>`) once the account no longer knows it.
pub fn display(world: &World, id: PrincipalId) -> String {
    match id {
        PrincipalId::Account(a) => match world.account(a) {
            Some(account) => format!("ALIYUN${}", account.login),
            None => id.to_string(),
        },
        PrincipalId::RamUser(uid) => match world.ram_user(uid) {
            Some((account, user)) => ram_display(&account.login, user.name()),
            None => id.to_string(),
        },
        PrincipalId::RamRole(role) => match world.ram_role(role) {
            // As the documentation writes a role: by its account's id.
            Some((account, r)) => format!("RAM${}:role/{}", account.id, r.name),
            None => id.to_string(),
        },
    }
}

/// The name a statement gives a principal: the one [`display`] prints, as the parser reads it.
pub fn principal_name(world: &World, id: PrincipalId) -> PrincipalName {
    match id {
        PrincipalId::Account(a) => match world.account(a) {
            Some(account) => PrincipalName::Aliyun {
                account: account.login.clone(),
            },
            None => PrincipalName::Internal(id.to_string()),
        },
        PrincipalId::RamUser(uid) => match world.ram_user(uid) {
            Some((account, user)) => PrincipalName::RamUser {
                account: Some(account.login.clone()),
                user: user.name().to_string(),
            },
            None => PrincipalName::Internal(id.to_string()),
        },
        PrincipalId::RamRole(role) => match world.ram_role(role) {
            Some((account, r)) => PrincipalName::RamRole {
                account: account.id.to_string(),
                role: r.name.clone(),
            },
            None => PrincipalName::Internal(id.to_string()),
        },
    }
}

/// `RAM$<login>:<user>`.
fn ram_display(login: &str, user: &str) -> String {
    let mut text = String::with_capacity(5 + login.len() + user.len());
    text.push_str("RAM$");
    text.push_str(login);
    text.push(':');
    text.push_str(user);
    text
}

/// The display names of many principals, in the order given (see [`display`]); RAM users are
/// looked up together ([`World::ram_users_of`]), which a listing of a million members needs.
pub fn display_all(world: &World, ids: &[PrincipalId]) -> Vec<String> {
    let uids: Vec<Uid> = ids
        .iter()
        .filter_map(|id| match id {
            PrincipalId::RamUser(uid) => Some(*uid),
            _ => None,
        })
        .collect();
    let mut found = world.ram_users_of(&uids).into_iter();
    ids.iter()
        .map(|&id| match id {
            PrincipalId::RamUser(_) => match found.next().flatten() {
                Some((account, user)) => ram_display(&account.login, user.name()),
                None => id.to_string(),
            },
            other => display(world, other),
        })
        .collect()
}

/// The account a principal acts for: itself for a main account, its owner for a RAM user.
pub fn account_of(world: &World, id: PrincipalId) -> Option<AccountId> {
    match id {
        PrincipalId::Account(a) => Some(a),
        PrincipalId::RamUser(uid) => world.ram_user(uid).map(|(a, _)| a.id),
        PrincipalId::RamRole(role) => world.ram_role(role).map(|(a, _)| a.id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::{DEFAULT_ACCOUNT_ID, RamUser};

    fn world_with_bob() -> (World, Uid) {
        let mut w = World::default_world();
        let uid = Uid(w.clock.next_uid());
        let user = RamUser::new(uid, "bob", "bob", 1);
        w.account_mut(DEFAULT_ACCOUNT_ID).unwrap().insert_user(user);
        (w, uid)
    }

    fn name(text: &str) -> PrincipalName {
        match crate::syntax::parse_statement(&format!("add user {text}")) {
            Ok(crate::syntax::Statement::Users(crate::syntax::UserStatement::Add(p))) => p,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_form_of_a_ram_user_resolves_to_its_uid() {
        let (w, uid) = world_with_bob();
        let expected = Ok(PrincipalId::RamUser(uid));
        for text in [
            "RAM$MainCount:bob".to_string(),
            "ram$maincount:BOB".to_string(),
            "RAM$bob".to_string(),
            format!("RAM$5527380164285788:{uid}"),
        ] {
            assert_eq!(
                resolve(&w, DEFAULT_ACCOUNT_ID, &name(&text)),
                expected,
                "{text}"
            );
        }
        assert_eq!(display(&w, PrincipalId::RamUser(uid)), "RAM$MainCount:bob");
    }

    #[test]
    fn deleted_users_display_as_their_internal_id_and_that_id_resolves_nowhere() {
        let (mut w, uid) = world_with_bob();
        w.account_mut(DEFAULT_ACCOUNT_ID).unwrap().remove_user(uid);
        let shown = display(&w, PrincipalId::RamUser(uid));
        assert_eq!(shown, format!("p4_{uid}"));
        assert_eq!(
            resolve(&w, DEFAULT_ACCOUNT_ID, &name(&shown)),
            Err(OdpsError::LackOfAccountProvider)
        );
        assert_eq!(
            resolve(&w, DEFAULT_ACCOUNT_ID, &name("RAM$MainCount:bob")),
            Err(OdpsError::InvalidAccountName("RAM$MainCount:bob".into()))
        );
    }

    #[test]
    fn main_accounts_resolve_by_login_or_id() {
        let (w, _) = world_with_bob();
        let me = Ok(PrincipalId::Account(DEFAULT_ACCOUNT_ID));
        assert_eq!(
            resolve(&w, DEFAULT_ACCOUNT_ID, &name("ALIYUN$MainCount")),
            me
        );
        assert_eq!(
            resolve(&w, DEFAULT_ACCOUNT_ID, &name("aliyun$5527380164285788")),
            me
        );
        assert_eq!(
            resolve(&w, DEFAULT_ACCOUNT_ID, &name("LDAP$x")),
            Err(OdpsError::ProviderNotEnabled("LDAP$x".into()))
        );
    }
}
