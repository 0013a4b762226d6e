//! Hazards: what a statement does that succeeds and still leaves trouble behind. Found by
//! comparing the world before and after each statement that changes it:
//!
//! - a RAM user deleted while some project still lists its id: it stays there as a `p4_`
//!   residual that no statement can remove (seed 004);
//! - a RAM user that leaves its last project, or loses its console log-on, and still has
//!   active AccessKeys at the end of the script: a departed user's keys still work;
//! - a high-risk policy attached (seed 002: AdministratorAccess, AliyunRAMFullAccess);
//! - ACL grants left behind: a user removed from a project keeps its grants there (they come
//!   back if it is added again), and a RAM user deleted while it holds grants leaves them under
//!   its `p4_` id for good.
//!
//! Each hazard carries the statements that would have avoided it.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::Session;
use crate::engine::names::display;
use crate::world::credentials::{KeyStatus, PolicyType, system_policy};
use crate::world::{PrincipalId, Uid, World};

use super::offboard::{Target, grant_revokes, grants_in, project_side};
use super::statement_line;

/// What a residual keeps in one project: its roles and the objects it holds ACL grants on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRoles {
    pub project: String,
    pub roles: Vec<String>,
    pub grants: Vec<String>,
}

/// How a user departed (see [`Hazard::KeysLeftActive`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Departure {
    /// It is no longer a member of any project.
    LeftEveryProject,
    /// Its console log-on was deleted.
    LostConsoleAccess,
}

/// One hazard, as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hazard {
    /// A RAM user deleted while still a member somewhere.
    ResidualMember {
        user: String,
        user_id: Uid,
        projects: Vec<ProjectRoles>,
        /// DataWorks workspaces that keep listing it.
        workspaces: Vec<u64>,
        avoid: Vec<String>,
    },
    /// A departed RAM user whose AccessKeys are still active when the script ends.
    KeysLeftActive {
        user: String,
        departure: Departure,
        keys: Vec<String>,
        avoid: Vec<String>,
    },
    /// ACL grants that stay in a project after the user left it (`deleted`: because its RAM
    /// user was deleted, for good).
    GrantsLeftBehind {
        user: String,
        user_id: Uid,
        project: String,
        objects: Vec<String>,
        deleted: bool,
        avoid: Vec<String>,
    },
    /// A high-risk system policy attached to a RAM user.
    HighRiskPolicy {
        user: String,
        policy: String,
        resource_group: Option<String>,
        avoid: Vec<String>,
    },
}

impl Hazard {
    /// A stable code for programs (`check --format json`).
    pub fn code(&self) -> &'static str {
        match self {
            Hazard::ResidualMember { .. } => "ResidualMember",
            Hazard::KeysLeftActive { .. } => "KeysLeftActive",
            Hazard::GrantsLeftBehind { .. } => "GrantsLeftBehind",
            Hazard::HighRiskPolicy { .. } => "HighRiskPolicy",
        }
    }

    /// The statements that would have avoided it.
    pub fn avoid(&self) -> &[String] {
        match self {
            Hazard::ResidualMember { avoid, .. }
            | Hazard::KeysLeftActive { avoid, .. }
            | Hazard::GrantsLeftBehind { avoid, .. }
            | Hazard::HighRiskPolicy { avoid, .. } => avoid,
        }
    }
}

/// RAM users deleted by a statement while some project still lists them.
fn residuals(before: &World, after: &World, session: &Session) -> Vec<Hazard> {
    let mut found = Vec::new();
    for account in before.accounts.values() {
        for user in account.users_in_creation_order() {
            if after.ram_user(user.uid).is_some() {
                continue;
            }
            let id = PrincipalId::RamUser(user.uid);
            let projects: Vec<ProjectRoles> = after
                .projects
                .values()
                .filter_map(|p| {
                    let roles = p.roles_of(id)?;
                    Some(ProjectRoles {
                        project: p.name.clone(),
                        roles: roles.iter().cloned().collect(),
                        grants: grants_in(p, id).iter().map(|g| g.0.to_string()).collect(),
                    })
                })
                .collect();
            if projects.is_empty() {
                continue;
            }
            let workspaces = after
                .projects
                .values()
                .filter_map(|p| p.workspace.as_ref())
                .filter(|w| w.members.contains_key(&id))
                .map(|w| w.id)
                .collect();
            let target = Target::of(account, user);
            let avoid = project_side(before, &target, &session.project)
                .iter()
                .map(|s| statement_line(&s.statement))
                .collect();
            found.push(Hazard::ResidualMember {
                user: display(before, id),
                user_id: user.uid,
                projects,
                workspaces,
                avoid,
            });
        }
    }
    found
}

/// High-risk system policies a statement attached.
fn high_risk(before: &World, after: &World) -> Vec<Hazard> {
    let mut found = Vec::new();
    for account in after.accounts.values() {
        for user in account.users_in_creation_order() {
            let had = before.ram_user(user.uid).map(|(_, u)| &u.policies);
            for p in &user.policies {
                let risky = p.policy_type == PolicyType::System
                    && system_policy(&p.name).is_some_and(|s| s.high_risk);
                if !risky || had.is_some_and(|h| h.contains(p)) {
                    continue;
                }
                let mut detach = format!(
                    "aliyun ram DetachPolicyFromUser --PolicyType System --PolicyName {} --UserName {}",
                    p.name, user.name
                );
                if let Some(group) = &p.resource_group {
                    detach.push_str(&format!(" --ResourceGroupId {group}"));
                }
                found.push(Hazard::HighRiskPolicy {
                    user: display(after, PrincipalId::RamUser(user.uid)),
                    policy: p.name.clone(),
                    resource_group: p.resource_group.clone(),
                    avoid: vec![detach],
                });
            }
        }
    }
    found
}

/// Grants a statement left behind: in projects a user left (it still exists), and in projects
/// where a deleted user was no longer a member. `reported` keeps one report per user and
/// project.
fn grants_left(
    before: &World,
    after: &World,
    session: &Session,
    reported: &mut BTreeSet<(Uid, String)>,
) -> Vec<Hazard> {
    let mut found = Vec::new();
    for account in before.accounts.values() {
        for user in account.users_in_creation_order() {
            let id = PrincipalId::RamUser(user.uid);
            let deleted = after.ram_user(user.uid).is_none();
            let target = Target::of(account, user);
            for project in after.projects.values() {
                let Some(was) = before.project(&project.name) else {
                    continue;
                };
                let left = was.is_member(id) && !project.is_member(id);
                let stranded = deleted && !project.is_member(id);
                let objects: Vec<String> = grants_in(project, id)
                    .iter()
                    .map(|g| g.0.to_string())
                    .collect();
                if objects.is_empty() || !(left || stranded) {
                    continue;
                }
                let key = (user.uid, project.name.clone());
                if !left && reported.contains(&key) {
                    continue;
                }
                reported.insert(key);
                let mut avoid = Vec::new();
                if !project.name.eq_ignore_ascii_case(&session.project) {
                    avoid.push(format!("use {};", project.name));
                }
                avoid.extend(
                    grant_revokes(was, &target)
                        .iter()
                        .map(|s| statement_line(&s.statement)),
                );
                found.push(Hazard::GrantsLeftBehind {
                    user: display(before, id),
                    user_id: user.uid,
                    project: project.name.clone(),
                    objects,
                    deleted,
                    avoid,
                });
            }
        }
    }
    found
}

fn memberships(world: &World, id: PrincipalId) -> usize {
    world.projects.values().filter(|p| p.is_member(id)).count()
}

/// What `check` watches across a script: where each RAM user departed (until it comes back or
/// is deleted), and which grants left behind it reported.
#[derive(Debug, Default)]
pub struct Watch {
    departures: BTreeMap<Uid, (usize, String, Departure)>,
    reported_grants: BTreeSet<(Uid, String)>,
}

impl Watch {
    /// The hazards of the statement at `line` (`typed` as typed), which changed the world from
    /// `before` to `after`.
    pub fn statement(
        &mut self,
        before: &World,
        after: &World,
        session: &Session,
        line: usize,
        typed: &str,
    ) -> Vec<Hazard> {
        let mut found = residuals(before, after, session);
        found.extend(grants_left(
            before,
            after,
            session,
            &mut self.reported_grants,
        ));
        found.extend(high_risk(before, after));
        self.note_departures(before, after, line, typed);
        found
    }

    fn note_departures(&mut self, before: &World, after: &World, line: usize, typed: &str) {
        for account in after.accounts.values() {
            for user in account.users() {
                let id = PrincipalId::RamUser(user.uid);
                let Some((_, was)) = before.ram_user(user.uid) else {
                    continue;
                };
                let (then, now) = (memberships(before, id), memberships(after, id));
                let departure = if then > 0 && now == 0 {
                    Some(Departure::LeftEveryProject)
                } else if was.login_profile.is_some() && user.login_profile.is_none() {
                    Some(Departure::LostConsoleAccess)
                } else {
                    None
                };
                if let Some(how) = departure {
                    self.departures
                        .insert(user.uid, (line, typed.to_string(), how));
                } else if now > then {
                    self.departures.remove(&user.uid);
                }
            }
        }
        self.departures
            .retain(|uid, _| after.ram_user(*uid).is_some());
    }

    /// Departed users whose keys are still active in `world` (the end of the script), with
    /// the line and statement of their departure.
    pub fn keys_left_active(&self, world: &World) -> Vec<(usize, String, Hazard)> {
        let mut found = Vec::new();
        for (uid, (line, typed, how)) in &self.departures {
            let Some((_, user)) = world.ram_user(*uid) else {
                continue;
            };
            let keys: Vec<String> = user
                .access_keys
                .iter()
                .filter(|k| k.status == KeyStatus::Active)
                .map(|k| k.id.clone())
                .collect();
            if keys.is_empty() {
                continue;
            }
            let mut avoid = Vec::new();
            for key in &keys {
                avoid.push(format!(
                    "aliyun ram UpdateAccessKey --UserName {} --UserAccessKeyId {key} --Status Inactive",
                    user.name
                ));
                avoid.push(format!(
                    "aliyun ram DeleteAccessKey --UserName {} --UserAccessKeyId {key}",
                    user.name
                ));
            }
            found.push((
                *line,
                typed.clone(),
                Hazard::KeysLeftActive {
                    user: display(world, PrincipalId::RamUser(*uid)),
                    departure: *how,
                    keys,
                    avoid,
                },
            ));
        }
        found
    }
}
