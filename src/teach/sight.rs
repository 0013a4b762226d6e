//! What the acting identity may see. The learning statements (`who may`, `what may`,
//! `offboard`, `explain;`, `check`) show a caller only what the ordinary statements would show
//! it: members where it may `list users`, what a principal holds where it may `show grants for`
//! it, AccessKeys, console log-on and policies where RAM would answer `ListAccessKeys`,
//! `GetLoginProfile` and `ListPoliciesForUser`. Each question is put to the engine's own check
//! for that statement, never answered here; what was left out is said ([`NotShown`]).
//!
//! The main account sees everything of its own account, so what it is shown does not change.

use std::fmt;

use crate::engine::{self, Caller, Session, access};
use crate::syntax::{Api, ConsoleCommand, Param, RamApi};
use crate::world::{AccountId, PrincipalId, Project, World};

/// What the acting identity may see of the world, asked of the engine's checks.
#[derive(Clone, Copy)]
pub struct Sight<'w> {
    world: &'w World,
    actor: PrincipalId,
    caller: Caller,
}

impl<'w> Sight<'w> {
    pub fn new(world: &'w World, actor: PrincipalId) -> Self {
        Sight {
            world,
            actor,
            caller: Caller::at_default(actor),
        }
    }

    /// The sight of the session's actor, from the session's address.
    pub fn of(world: &'w World, session: &Session) -> Self {
        Sight {
            world,
            actor: session.actor,
            caller: session.caller(),
        }
    }

    pub fn actor(&self) -> PrincipalId {
        self.actor
    }

    pub fn world(&self) -> &'w World {
        self.world
    }

    /// Whether it may use the project at all (its owner or a member: `use <project>`).
    pub fn uses(&self, project: &Project) -> bool {
        access::require_member(project, self.actor).is_ok()
    }

    /// Whether it may list the project's members (`list users`).
    pub fn members(&self, project: &Project) -> bool {
        engine::may_list_users(self.world, project, self.caller).is_ok()
    }

    /// Whether it may list the project's roles (`list roles`), and so the members of each role
    /// (`describe role`, which takes the same standing).
    pub fn roles(&self, project: &Project) -> bool {
        engine::may_list_roles(self.world, project, self.caller).is_ok()
    }

    /// Whether it may see what `id` holds in the project: its roles, ACL grants and membership
    /// (`show grants for <id>`).
    pub fn grants(&self, project: &Project, id: PrincipalId) -> bool {
        engine::may_show_grants_for(self.world, project, self.caller, Some(id)).is_ok()
    }

    /// Whether it may see what a principal it cannot name (or that does not exist) holds: only
    /// a manager of the project is told anything about such a name.
    pub fn anyone_grants(&self, project: &Project) -> bool {
        engine::may_show_grants_for(self.world, project, self.caller, None).is_ok()
    }

    /// Whether it may list the members of the project's DataWorks workspace.
    pub fn workspace_members(&self, project: &Project) -> bool {
        engine::may_list_workspace_members(project, self.actor)
    }

    /// Whether RAM would answer the read-only call `api` about `user` (the caller itself when
    /// `None`).
    fn ram_reads(&self, api: RamApi, user: Option<&str>) -> bool {
        let params = user
            .map(|u| vec![(Param::UserName, u.to_string())])
            .unwrap_or_default();
        let command = ConsoleCommand::new(Api::Ram(api), params);
        engine::ram_permits(self.world, self.actor, &command)
    }

    /// `aliyun ram ListRoles`: the RAM roles of the caller's account.
    pub fn ram_roles(&self) -> bool {
        self.ram_reads(RamApi::ListRoles, None)
    }

    /// `aliyun ram ListPoliciesForRole --RoleName <role>`: a RAM role's policies.
    pub fn role_policies(&self, role: &str) -> bool {
        let params = vec![(Param::RoleName, role.to_string())];
        let command = ConsoleCommand::new(Api::Ram(RamApi::ListPoliciesForRole), params);
        engine::ram_permits(self.world, self.actor, &command)
    }

    /// `aliyun ram ListUsers`: the RAM users of the caller's account.
    pub fn ram_users(&self) -> bool {
        self.ram_reads(RamApi::ListUsers, None)
    }

    /// `aliyun ram GetUser --UserName <user>`: its UserId.
    pub fn ram_user(&self, user: &str) -> bool {
        self.ram_reads(RamApi::GetUser, Some(user))
    }

    /// `aliyun ram ListAccessKeys --UserName <user>`: its AccessKey ids.
    pub fn access_keys(&self, user: &str) -> bool {
        self.ram_reads(RamApi::ListAccessKeys, Some(user))
    }

    /// `aliyun ram ListAccessKeys`: the caller's own AccessKey ids.
    pub fn own_access_keys(&self) -> bool {
        self.ram_reads(RamApi::ListAccessKeys, None)
    }

    /// `aliyun ram GetLoginProfile --UserName <user>`: whether it has console access.
    pub fn login_profile(&self, user: &str) -> bool {
        self.ram_reads(RamApi::GetLoginProfile, Some(user))
    }

    /// `aliyun ram ListPoliciesForUser --UserName <user>`: its policies.
    pub fn policies(&self, user: &str) -> bool {
        self.ram_reads(RamApi::ListPoliciesForUser, Some(user))
    }

    /// `aliyun ram GetUserMFAInfo --UserName <user>`: its MFA device.
    pub fn mfa_device(&self, user: &str) -> bool {
        self.ram_reads(RamApi::GetUserMFAInfo, Some(user))
    }

    /// `aliyun ram ListGroupsForUser --UserName <user>`: its groups.
    pub fn groups(&self, user: &str) -> bool {
        self.ram_reads(RamApi::ListGroupsForUser, Some(user))
    }

    /// A main account's own AccessKeys: `ListAccessKeys` without `--UserName` lists the
    /// caller's keys, so only that main account lists them.
    pub fn main_account_keys(&self, account: AccountId) -> bool {
        self.actor == PrincipalId::Account(account) && self.own_access_keys()
    }
}

/// What a learning statement left out, because the caller may not see it. Each says what kind
/// of thing is missing and which ordinary statement refused it, never what it held, so it reads
/// the same whether there was anything there or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotShown {
    /// The members of a project: `list users` is refused.
    Members { project: String },
    /// What a principal holds in a project: `show grants for` is refused.
    Grants { principal: String, project: String },
    /// The projects where `show grants for` a principal is refused.
    Projects { principal: String },
    /// A RAM user's UserId: `GetUser` is refused.
    UserId { user: String },
    /// A RAM user's AccessKeys: `ListAccessKeys` is refused.
    AccessKeys { user: String },
    /// A RAM user's console log-on: `GetLoginProfile` is refused.
    LoginProfile { user: String },
    /// A RAM user's policies: `ListPoliciesForUser` is refused.
    Policies { user: String },
    /// A RAM user's MFA device: `GetUserMFAInfo` is refused.
    MfaDevice { user: String },
    /// A RAM user's groups: `ListGroupsForUser` is refused.
    Groups { user: String },
    /// The main account's AccessKeys: only the main account lists them.
    MainAccountKeys,
    /// Projects (and their workspaces) the caller may not use.
    UnusableProjects,
}

impl fmt::Display for NotShown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotShown::Members { project } => write!(
                f,
                "(members of {project} not shown: you may not list users there)"
            ),
            NotShown::Grants { principal, project } => write!(
                f,
                "(what {principal} holds in {project} not shown: you may not show grants for it there)"
            ),
            NotShown::Projects { principal } => write!(
                f,
                "(projects where you may not show grants for {principal} not shown)"
            ),
            NotShown::UserId { user } => write!(
                f,
                "(UserId of {user} not shown: you may not call GetUser for it)"
            ),
            NotShown::AccessKeys { user } => write!(
                f,
                "(AccessKeys of {user} not shown: you may not call ListAccessKeys for it)"
            ),
            NotShown::LoginProfile { user } => write!(
                f,
                "(console log-on of {user} not shown: you may not call GetLoginProfile for it)"
            ),
            NotShown::Policies { user } => write!(
                f,
                "(policies of {user} not shown: you may not call ListPoliciesForUser for it)"
            ),
            NotShown::MfaDevice { user } => write!(
                f,
                "(MFA device of {user} not shown: you may not call GetUserMFAInfo for it)"
            ),
            NotShown::Groups { user } => write!(
                f,
                "(groups of {user} not shown: you may not call ListGroupsForUser for it)"
            ),
            NotShown::MainAccountKeys => f.write_str(
                "(the main account's AccessKeys not shown: only the main account lists them)",
            ),
            NotShown::UnusableProjects => f.write_str("(projects you may not use not shown)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::teach::test_support::{run, world_after};

    #[test]
    fn every_sentence_is_pinned() {
        let all = [
            NotShown::Members {
                project: "p".into(),
            },
            NotShown::Grants {
                principal: "RAM$M:a".into(),
                project: "p".into(),
            },
            NotShown::Projects {
                principal: "RAM$M:a".into(),
            },
            NotShown::UserId { user: "a".into() },
            NotShown::AccessKeys { user: "a".into() },
            NotShown::LoginProfile { user: "a".into() },
            NotShown::Policies { user: "a".into() },
            NotShown::MfaDevice { user: "a".into() },
            NotShown::Groups { user: "a".into() },
            NotShown::MainAccountKeys,
            NotShown::UnusableProjects,
        ];
        let texts: Vec<String> = all.iter().map(ToString::to_string).collect();
        assert_eq!(
            texts,
            [
                "(members of p not shown: you may not list users there)",
                "(what RAM$M:a holds in p not shown: you may not show grants for it there)",
                "(projects where you may not show grants for RAM$M:a not shown)",
                "(UserId of a not shown: you may not call GetUser for it)",
                "(AccessKeys of a not shown: you may not call ListAccessKeys for it)",
                "(console log-on of a not shown: you may not call GetLoginProfile for it)",
                "(policies of a not shown: you may not call ListPoliciesForUser for it)",
                "(MFA device of a not shown: you may not call GetUserMFAInfo for it)",
                "(groups of a not shown: you may not call ListGroupsForUser for it)",
                "(the main account's AccessKeys not shown: only the main account lists them)",
                "(projects you may not use not shown)",
            ]
        );
    }

    const TEAM: &str = "\
aliyun ram CreateUser --UserName adm
aliyun ram CreateUser --UserName guest
add user RAM$adm;
add user RAM$guest;
grant admin to RAM$adm;
grant role_project_guest to RAM$guest;
aliyun ram CreateAccessKey --UserName guest
";

    fn as_ram_user(world: &World, name: &str) -> PrincipalId {
        let (_, user) = world
            .accounts
            .values()
            .find_map(|a| a.user_named(name).map(|u| (a, u)))
            .unwrap();
        PrincipalId::RamUser(user.uid)
    }

    #[test]
    fn the_owner_sees_everything_a_guest_only_itself() {
        let (mut world, mut session) = world_after(TEAM);
        let project = world.project("MaxCompute").unwrap().clone();
        let adm = as_ram_user(&world, "adm");
        let guest = as_ram_user(&world, "guest");
        let owner = Sight::of(&world, &session);
        assert!(owner.members(&project) && owner.grants(&project, adm));
        assert!(owner.access_keys("adm") && owner.policies("adm"));
        assert!(owner.main_account_keys(world.home));
        let g = Sight::new(&world, guest);
        assert!(g.uses(&project) && g.workspace_members(&project));
        assert!(!g.members(&project) && !g.grants(&project, adm) && !g.anyone_grants(&project));
        assert!(!g.roles(&project) && owner.roles(&project));
        assert!(g.grants(&project, guest), "its own grants");
        assert!(!g.access_keys("adm") && !g.access_keys("guest") && !g.ram_user("adm"));
        assert!(!g.main_account_keys(world.home));
        let a = Sight::new(&world, adm);
        assert!(a.members(&project) && a.grants(&project, guest));
        assert!(
            !a.login_profile("guest"),
            "admin of a project is not a RAM reader"
        );
        // The account's preference lets a RAM user see its own keys, and only its own.
        run(
            &mut world,
            &mut session,
            "aliyun ram SetSecurityPreference --AllowUserToManageAccessKeys true\n",
        );
        let g = Sight::new(&world, guest);
        assert!(g.access_keys("guest") && !g.access_keys("adm"));
        run(
            &mut world,
            &mut session,
            "aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunRAMReadOnlyAccess --UserName adm\n",
        );
        let a = Sight::new(&world, adm);
        assert!(a.access_keys("guest") && a.login_profile("guest") && a.policies("guest"));
    }
}
