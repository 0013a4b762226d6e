//! Facts → a world. What the facts show is built as shown; what they do not show gets the
//! default of a new account or project, and each such choice is a report line (assumed), as is
//! each thing shown that the world cannot hold (could not infer).

use std::collections::{BTreeSet, HashMap};

use super::facts::{Facts, Principal, ProjectFacts};
use super::report::{Kind, Report};
use super::texts;
use crate::vocabulary::ResourceKind;
use crate::world::credentials::{AccessKey, KeyStatus, LoginProfile, PolicyAttachment, PolicyType};
use crate::world::system_policies::system_policy;
use crate::world::{
    Account, AccountId, BUILTIN_ROLES, DEFAULT_ACCOUNT_ID, DEFAULT_LOGIN, PrincipalId, RamUser,
    Uid, World,
};

/// Builds the world the facts describe, and the report of how.
pub fn build(facts: &Facts) -> (World, Report) {
    let mut b = Builder {
        world: World::default_world(),
        report: Report::default(),
        accounts: HashMap::new(),
        last_account: None,
        names: &facts.principals,
        ids: vec![None; facts.principals.len()],
        new_roles: Vec::new(),
    };
    b.world.projects.clear();
    b.clock(facts);
    b.home(facts);
    b.reserve_ids(facts);
    b.ram(facts);
    let mut names: Vec<&ProjectFacts> = facts.projects.values().collect();
    names.sort_by(|a, b| a.name.cmp(&b.name));
    for p in &names {
        b.project(p);
    }
    for p in &names {
        b.trust(p);
    }
    if facts.projects.is_empty() {
        b.report.push(Kind::NotInferred, texts::nothing_captured());
    }
    if !b.new_roles.is_empty() {
        let names = std::mem::take(&mut b.new_roles);
        b.report
            .push(Kind::Assumed, texts::role_ids_assumed(&names));
    }
    for (at, statement, message) in &facts.failed {
        b.report
            .push(Kind::NotInferred, texts::failed(at, statement, message));
    }
    (b.world, b.report)
}

pub(super) struct Builder<'f> {
    pub(super) world: World,
    pub(super) report: Report,
    /// Accounts by lower-cased log-on name.
    accounts: HashMap<String, AccountId>,
    /// The account found last (a capture names one account's principals one after another).
    last_account: Option<(String, AccountId)>,
    /// The captures' principals, and the id each has in the world once known.
    names: &'f super::facts::Principals,
    ids: Vec<Option<PrincipalId>>,
    /// RAM roles only a project's captures name, given new RoleIds.
    pub(super) new_roles: Vec<String>,
}

/// Every time the facts show.
fn times(facts: &Facts) -> impl Iterator<Item = u64> + '_ {
    let users = facts.users.values().flat_map(|u| {
        let keys = u.keys.iter().flatten().map(|k| k.created);
        let policies = u.policies.iter().flatten().map(|p| p.attached);
        let groups = u.groups.iter().flatten().map(|g| g.joined);
        let login = u.login.iter().flatten().map(|l| l.created);
        [u.created, u.updated]
            .into_iter()
            .chain(u.last_login)
            .chain(keys)
            .chain(policies)
            .chain(groups)
            .chain(login)
    });
    let roles = facts.roles.values().flat_map(|r| {
        let policies = r.policies.iter().flatten().map(|p| p.attached);
        [r.created, r.updated].into_iter().chain(policies)
    });
    let groups = facts.groups.values().flat_map(|g| {
        let policies = g.policies.iter().flatten().map(|p| p.attached);
        let shown = g.shown.iter().flat_map(|s| [s.created, s.updated]);
        shown.chain(policies)
    });
    let devices = facts
        .mfa_devices
        .iter()
        .flatten()
        .filter_map(|d| d.bound.as_ref().map(|(_, _, activated)| *activated));
    let policies = facts.custom_policies.values().flat_map(|p| {
        let listed = p.listed.iter().flat_map(|l| [l.2, l.3]);
        listed.chain(p.versions.iter().flatten().map(|v| v.2))
    });
    let tables = facts
        .projects
        .values()
        .flat_map(|p| p.tables.values().map(|t| t.created));
    users
        .chain(roles)
        .chain(groups)
        .chain(devices)
        .chain(policies)
        .chain(tables)
        .chain(facts.main_keys.iter().flatten().map(|k| k.created))
}

impl Builder<'_> {
    /// The world's clock: past every time the captures show.
    fn clock(&mut self, facts: &Facts) {
        let latest = times(facts).max().unwrap_or(0);
        let clock = &mut self.world.clock;
        clock.now = clock.now.max(latest);
    }

    fn home(&mut self, facts: &Facts) {
        let shown = facts
            .caller
            .as_ref()
            .and_then(Principal::account)
            .or_else(|| {
                facts
                    .projects
                    .values()
                    .flat_map(|p| p.owner.iter().chain(p.members.iter().flatten()))
                    .filter_map(|who| facts.principals.get(*who))
                    .find_map(Principal::account)
            });
        let login = match shown {
            Some(l) => l.to_string(),
            None => {
                self.report
                    .push(Kind::Assumed, texts::login_assumed(DEFAULT_LOGIN));
                DEFAULT_LOGIN.to_string()
            }
        };
        let role_member_account = || {
            (0..facts.principals.len() as super::facts::Who)
                .filter_map(|who| match facts.principals.get(who) {
                    Some(Principal::RamRole { account, .. }) => account.parse().ok(),
                    _ => None,
                })
                .next()
        };
        let shown = facts.account_id.or(facts.arn_account);
        let from_roles = shown.is_none().then(role_member_account).flatten();
        let id = match shown.or(from_roles) {
            Some(id) => {
                if from_roles.is_some() {
                    self.report
                        .push(Kind::Assumed, texts::account_id_from_role_members(id));
                }
                AccountId(id)
            }
            None => {
                self.report.push(
                    Kind::Assumed,
                    texts::account_id_assumed(DEFAULT_ACCOUNT_ID.0),
                );
                DEFAULT_ACCOUNT_ID
            }
        };
        self.report.push(Kind::Built, texts::account(&login, id.0));
        self.report
            .push(Kind::Assumed, texts::REAL_NAME_ASSUMED.into());
        self.world.accounts.clear();
        self.world
            .accounts
            .insert(id, Account::new(id, &login, true));
        self.world.home = id;
        self.world.clock.seed = id.0;
        if let Some(endpoint) = &facts.endpoint {
            self.world.endpoint = endpoint.clone();
        }
        self.accounts.insert(login.to_ascii_lowercase(), id);
    }

    /// Notes that log-on name `login` is account `id`'s.
    pub(super) fn note_account(&mut self, login: &str, id: AccountId) {
        self.accounts.insert(login.to_ascii_lowercase(), id);
    }

    /// Every UserId and RoleId the captures show is kept from the ids the world hands out (to
    /// what the import makes up and to what is created in it later): a world odpsh captured
    /// hands out the same ids again from the same account.
    fn reserve_ids(&mut self, facts: &Facts) {
        let clock = &mut self.world.clock;
        for u in facts.users.values() {
            clock.reserve(u.uid);
        }
        for r in facts.roles.values() {
            clock.reserve(r.id);
        }
        for who in 0..facts.principals.len() as super::facts::Who {
            if let Some(Principal::Residual(id) | Principal::ResidualRole(id)) =
                facts.principals.get(who)
            {
                clock.reserve(*id);
            }
        }
    }

    /// The account of log-on name `login`, made (with an assumed id) if the captures show only
    /// its name.
    pub(super) fn account(&mut self, login: &str) -> AccountId {
        if let Some((last, id)) = &self.last_account
            && login.eq_ignore_ascii_case(last)
        {
            return *id;
        }
        if let Some(id) = self.accounts.get(&login.to_ascii_lowercase()) {
            self.last_account = Some((login.to_string(), *id));
            return *id;
        }
        let mut id = AccountId(self.world.home.0 + self.accounts.len() as u64);
        while self.world.accounts.contains_key(&id) {
            id = AccountId(id.0 + 1);
        }
        self.world
            .accounts
            .insert(id, Account::new(id, login, true));
        self.accounts.insert(login.to_ascii_lowercase(), id);
        self.report
            .push(Kind::Assumed, texts::other_account(login, id.0));
        id
    }

    fn ram(&mut self, facts: &Facts) {
        let home = self.world.home;
        let now = self.world.clock.now;
        let (mut keys, mut policies, mut logins) = (0, 0, 0);
        let mut no_login_listing = Vec::new();
        let mut custom: BTreeSet<String> = BTreeSet::new();
        let mut unknown: BTreeSet<String> = BTreeSet::new();
        let mut orphans = Vec::new();
        let mut users: Vec<&super::facts::UserFacts> = facts.users.values().collect();
        users.sort_by_key(|u| (u.created, u.uid));
        let mut built = Vec::with_capacity(users.len());
        let mut memberships = Vec::new();
        for u in users {
            let uid = if facts.orphan_listings.contains(&u.name.to_ascii_lowercase()) {
                orphans.push(u.name.clone());
                Uid(self.world.clock.next_uid())
            } else {
                Uid(u.uid)
            };
            let created = if u.created == 0 { now } else { u.created };
            let mut user = RamUser::new(uid, &u.name, &u.display_name, created);
            user.updated = u.updated.max(created);
            user.set_comments(u.comments.clone());
            user.update_contact(|c| {
                c.email = u.email.clone();
                c.mobile_phone = u.mobile_phone.clone();
                c.last_login = u.last_login;
            });
            match &u.login {
                Some(Some(l)) => {
                    logins += 1;
                    user.set_login_profile(Some(LoginProfile {
                        password_reset_required: l.password_reset_required,
                        mfa_bind_required: l.mfa_bind_required,
                        created: l.created,
                    }));
                }
                Some(None) => {}
                None => no_login_listing.push(u.name.clone()),
            }
            let user_keys: Vec<AccessKey> = u.keys.iter().flatten().map(imported_key).collect();
            keys += user_keys.len();
            for p in u.policies.iter().flatten() {
                if let Some(a) = attachment(p, &mut custom, &mut unknown) {
                    policies += 1;
                    user.policies_mut().push(a);
                }
            }
            memberships.extend(u.groups.iter().flatten().map(|g| (uid, g)));
            built.push((user, user_keys));
        }
        let n = built.len();
        let roles = self.ram_roles(facts, &mut custom, &mut unknown);
        let groups = self.ram_groups(facts, &memberships, &mut custom, &mut unknown);
        let account = self.world.accounts.get_mut(&home);
        if let Some(account) = account {
            for (user, user_keys) in built {
                let uid = user.uid;
                account.insert_user(user);
                for key in user_keys {
                    account.insert_key(Some(uid), key);
                }
            }
            for k in facts.main_keys.iter().flatten() {
                keys += 1;
                account.insert_key(None, imported_key(k));
            }
        }
        let custom_built = self.custom_policies(facts, &custom);
        self.report
            .push(Kind::Built, texts::users(n, keys, policies, logins));
        let devices = self.mfa_devices(facts);
        self.report_mfa(facts, n, devices);
        self.report_roles(facts, roles);
        self.report_groups(facts, groups);
        if !no_login_listing.is_empty() {
            self.report.push(
                Kind::NotInferred,
                texts::logins_not_captured(&no_login_listing),
            );
        }
        if facts.users_truncated {
            self.report
                .push(Kind::NotInferred, texts::users_truncated());
        }
        if !orphans.is_empty() {
            self.report
                .push(Kind::NotInferred, texts::listings_without_user(&orphans));
        }
        self.report_custom_policies(custom_built);
        if !unknown.is_empty() {
            let names: Vec<String> = unknown.into_iter().collect();
            self.report
                .push(Kind::NotInferred, texts::unknown_system_policies(&names));
        }
    }

    /// The id of the captures' principal `who` (see [`Builder::principal`]).
    pub(super) fn who(&mut self, who: super::facts::Who, assumed: &mut Vec<String>) -> PrincipalId {
        if let Some(Some(id)) = self.ids.get(who as usize) {
            return *id;
        }
        let p = self
            .names
            .get(who)
            .cloned()
            .unwrap_or(Principal::Residual(0));
        let id = self.principal(&p, assumed);
        if let Some(slot) = self.ids.get_mut(who as usize) {
            *slot = Some(id);
        }
        id
    }

    /// The captures' principal `who`, as the captures name it.
    pub(super) fn name_of(&self, who: super::facts::Who) -> Option<&Principal> {
        self.names.get(who)
    }

    /// The id of a principal the captures name, making its account or RAM user when only a
    /// project shows it (`assumed` collects the names of users given new UserIds).
    pub(super) fn principal(&mut self, p: &Principal, assumed: &mut Vec<String>) -> PrincipalId {
        match p {
            Principal::Aliyun(login) => PrincipalId::Account(self.account(login)),
            Principal::Residual(uid) => PrincipalId::RamUser(Uid(*uid)),
            Principal::ResidualRole(id) => PrincipalId::RamRole(*id),
            Principal::RamRole { account, role } => {
                let a = self.role_account(account);
                self.role_named(a, role)
            }
            Principal::Ram { account, user } => {
                let a = self.account(account);
                let known = self.world.account(a).and_then(|acc| acc.user_named(user));
                if let Some(known) = known {
                    return PrincipalId::RamUser(known.uid);
                }
                let uid = Uid(self.world.clock.next_uid());
                let now = self.world.clock.now;
                if let Some(acc) = self.world.accounts.get_mut(&a) {
                    acc.insert_user(RamUser::new(uid, user, user, now));
                }
                assumed.push(p.to_string());
                PrincipalId::RamUser(uid)
            }
        }
    }
}

/// A policy attachment the listings show, if the world can hold it: a custom policy (its name
/// noted, to be made with an allow-nothing document) or a system policy odpsh knows (one it
/// does not is noted and left out).
pub(super) fn attachment(
    p: &super::facts::PolicyFacts,
    custom: &mut BTreeSet<String>,
    unknown: &mut BTreeSet<String>,
) -> Option<PolicyAttachment> {
    if p.custom {
        custom.insert(p.name.clone());
    } else if system_policy(&p.name).is_none() {
        unknown.insert(p.name.clone());
        return None;
    }
    Some(PolicyAttachment {
        policy_type: if p.custom {
            PolicyType::Custom
        } else {
            PolicyType::System
        },
        name: p.name.clone(),
        resource_group: None,
        attached: p.attached,
    })
}

fn imported_key(k: &super::facts::KeyFacts) -> AccessKey {
    AccessKey {
        id: k.id.clone(),
        secret: String::new(),
        status: if k.active {
            KeyStatus::Active
        } else {
            KeyStatus::Inactive
        },
        created: k.created,
        last_used: None,
        imported: true,
    }
}

/// The resource kind a resource's name suggests.
pub(super) fn resource_kind(name: &str) -> ResourceKind {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".jar") {
        ResourceKind::Jar
    } else if lower.ends_with(".py") {
        ResourceKind::Py
    } else if [".zip", ".tgz", ".tar.gz", ".tar"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        ResourceKind::Archive
    } else {
        ResourceKind::File
    }
}

/// A role odpsh's projects carry from the start.
pub(super) fn is_builtin(role: &str) -> bool {
    BUILTIN_ROLES.contains(&role)
}
