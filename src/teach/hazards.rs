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

use super::offboard::{Target, grant_revokes, grants_in, label_revokes, project_side};
use super::sight::{NotShown, Sight};
use super::statement_line;

mod affected;
mod facts;
mod outflow;
mod roles;
mod shadowed;
pub use affected::affected;
pub use facts::{Facts, Memberships, UserFacts};
pub use outflow::{DownloadWatch, package_exposure};
pub use roles::{RoleFacts, role_facts};
pub use shadowed::shadowed;

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
    /// A RAM user deleted while still a member somewhere (of the projects the acting identity
    /// may see it in; `not_shown` says when there are others it may not look at).
    ResidualMember {
        user: String,
        user_id: Uid,
        projects: Vec<ProjectRoles>,
        /// DataWorks workspaces that keep listing it.
        workspaces: Vec<u64>,
        avoid: Vec<String>,
        not_shown: Vec<NotShown>,
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
    /// Objects a RAM user created, still there when the script ends after the user was
    /// deleted: the projects now name their owner `p4_<uid>`.
    ObjectsLeftOwned {
        user: String,
        user_id: Uid,
        owned: Vec<crate::teach::offboard::OwnedObjects>,
    },
    /// A grant that changes nothing: a Deny of a policy the grantee is bound by matches the
    /// same action on the same object (`by` names it).
    GrantShadowed {
        grantee: String,
        action: String,
        object: String,
        by: String,
    },
    /// A package of `source` that exposes tables to projects `source` does not trust (the
    /// package wins over project protection).
    PackageExposesData {
        source: String,
        package: String,
        projects: Vec<String>,
        tables: Vec<String>,
        protected: bool,
        avoid: Vec<String>,
    },
    /// A Download privilege granted to a user the script then takes out of the project.
    DownloadToDeparting {
        user: String,
        project: String,
        object: String,
    },
    /// A RAM role deleted while some project still lists it: it stays there as `v4_<RoleId>`.
    ResidualRole {
        role: String,
        role_id: u64,
        projects: Vec<ProjectRoles>,
        avoid: Vec<String>,
    },
    /// A RAM role holding a high-risk policy that every RAM user of its account may assume.
    AssumableAdminRole {
        role: String,
        policy: String,
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
            Hazard::ObjectsLeftOwned { .. } => "ObjectsLeftOwned",
            Hazard::GrantShadowed { .. } => "GrantShadowed",
            Hazard::HighRiskPolicy { .. } => "HighRiskPolicy",
            Hazard::PackageExposesData { .. } => "PackageExposesData",
            Hazard::DownloadToDeparting { .. } => "DownloadToDeparting",
            Hazard::ResidualRole { .. } => "ResidualRole",
            Hazard::AssumableAdminRole { .. } => "AssumableAdminRole",
        }
    }

    /// The statements that would have avoided it.
    pub fn avoid(&self) -> &[String] {
        match self {
            Hazard::ResidualMember { avoid, .. }
            | Hazard::KeysLeftActive { avoid, .. }
            | Hazard::GrantsLeftBehind { avoid, .. }
            | Hazard::HighRiskPolicy { avoid, .. }
            | Hazard::ResidualRole { avoid, .. }
            | Hazard::AssumableAdminRole { avoid, .. }
            | Hazard::PackageExposesData { avoid, .. } => avoid,
            // Leaving the grant out is the fix: the message says so.
            Hazard::DownloadToDeparting { .. } => &[],
            // No statement hands an object over: the message says how.
            Hazard::ObjectsLeftOwned { .. } => &[],
            // Whether the deny should go is the owner's call: the message names it.
            Hazard::GrantShadowed { .. } => &[],
        }
    }
}

/// RAM users deleted by a statement while some project still lists them. A deletion leaves
/// projects as they were, so the statements that avoid it are computed on `after`. Only the
/// projects where the acting identity may show the user's grants are looked at.
fn residuals(before: &Facts, after: &World, session: &Session) -> Vec<Hazard> {
    let sight = Sight::of(after, session);
    let mut found = Vec::new();
    for user in &before.users {
        if after.ram_user(user.uid).is_some() {
            continue;
        }
        let id = PrincipalId::RamUser(user.uid);
        let seen = |p: &&crate::world::Project| sight.grants(p, id);
        // Whether a project lists it is asked before whether the caller may see that.
        let projects: Vec<ProjectRoles> = after
            .projects
            .values()
            .filter(|p| p.is_member(id))
            .filter(seen)
            .filter_map(|p| {
                let roles = p.roles_of(id)?;
                Some(ProjectRoles {
                    project: p.name.clone(),
                    roles: roles.iter().map(|r| r.to_string()).collect(),
                    grants: grants_in(p, id).iter().map(|g| g.0.to_string()).collect(),
                })
            })
            .collect();
        // DataWorks keeps its own member list: a workspace that still lists the user keeps it
        // there for good, even where the project no longer does.
        let workspaces: Vec<u64> = after
            .projects
            .values()
            .filter(|p| {
                p.workspace
                    .as_ref()
                    .is_some_and(|w| w.members.contains_key(&id))
            })
            .filter(seen)
            .filter_map(|p| p.workspace.as_ref())
            .map(|w| w.id)
            .collect();
        if projects.is_empty() && workspaces.is_empty() {
            continue;
        }
        let (steps, left_out) = project_side(after, &user.target, &session.project, &sight);
        let avoid = steps.iter().map(|s| statement_line(&s.statement)).collect();
        let not_shown = if left_out {
            vec![NotShown::Projects {
                principal: user.display.clone(),
            }]
        } else {
            Vec::new()
        };
        found.push(Hazard::ResidualMember {
            user: user.display.clone(),
            user_id: user.uid,
            projects,
            workspaces,
            avoid,
            not_shown,
        });
    }
    found
}

/// High-risk system policies a statement attached.
fn high_risk(before: &Facts, after: &World) -> Vec<Hazard> {
    let mut found = Vec::new();
    for facts in &before.users {
        let Some((_, user)) = after.ram_user(facts.uid) else {
            continue;
        };
        for p in user.policies() {
            let risky = p.policy_type == PolicyType::System
                && system_policy(&p.name).is_some_and(|s| s.high_risk);
            if !risky || facts.policies.contains(p) {
                continue;
            }
            let mut detach = format!(
                "aliyun ram DetachPolicyFromUser --PolicyType System --PolicyName {} --UserName {}",
                p.name,
                user.name()
            );
            if let Some(group) = &p.resource_group {
                detach.push_str(&format!(" --ResourceGroupId {group}"));
            }
            found.push(Hazard::HighRiskPolicy {
                user: facts.display.clone(),
                policy: p.name.clone(),
                resource_group: p.resource_group.clone(),
                avoid: vec![detach],
            });
        }
    }
    found
}

/// How a label grant is named among the objects a user keeps grants on.
pub const LABEL_GRANT_PREFIX: &str = "label on ";

/// Where a statement left a user's grants behind: a project it left (it still exists), or one
/// where a deleted user was no longer a member. Whether anything is still left is judged when
/// the script ends ([`Watch::grants_left_behind`]): a grant revoked later is not left behind.
#[derive(Debug, Clone)]
struct GrantsLeft {
    line: usize,
    typed: String,
    user: String,
    target: Target,
    project: String,
    deleted: bool,
}

/// The projects where `before`'s users left grants behind by the statement that made `after`.
/// `reported` keeps one report per user and project. (Leaving a project keeps the grants.)
fn grants_left(
    before: &Facts,
    after: &World,
    session: &Session,
    reported: &mut BTreeSet<(Uid, String)>,
    (line, typed): (usize, &str),
) -> Vec<GrantsLeft> {
    let sight = Sight::of(after, session);
    let mut found = Vec::new();
    for user in &before.users {
        let id = PrincipalId::RamUser(user.uid);
        let deleted = after.ram_user(user.uid).is_none();
        // A user still in RAM can only have left the projects it was a member of: only a
        // deleted one is looked for everywhere (in the world's order of projects either way).
        let candidates: Vec<&crate::world::Project> = if deleted {
            after.projects.values().collect()
        } else {
            projects_named(after, &user.member_of)
        };
        for project in candidates {
            let left = user.member_of.contains(&project.name) && !project.is_member(id);
            let stranded = deleted && !project.is_member(id);
            if !(left || stranded)
                || !sight.grants(project, id)
                || left_in(project, &user.target, session).is_none()
            {
                continue;
            }
            let key = (user.uid, project.name.clone());
            if !left && reported.contains(&key) {
                continue;
            }
            reported.insert(key);
            found.push(GrantsLeft {
                line,
                typed: typed.to_string(),
                user: user.display.clone(),
                target: user.target.clone(),
                project: project.name.clone(),
                deleted,
            });
        }
    }
    found
}

/// The grants (ACL and label) `target` holds in `project` while it is not a member, and the
/// statements that revoke them, run from `session`'s project (switching there and back when
/// the project is another); `None` when it holds none or is a member again.
fn left_in(
    project: &crate::world::Project,
    target: &Target,
    session: &Session,
) -> Option<(Vec<String>, Vec<String>)> {
    let id = target.id();
    if project.is_member(id) {
        return None;
    }
    let who = crate::world::acl::Grantee::User(id);
    let holds_label = || project.labels.grants().any(|(g, _, _)| *g == who);
    if project.acl().grants_of(&who).next().is_none() && !holds_label() {
        return None;
    }
    let labels = project.labels.grants().filter(|(g, _, _)| **g == who);
    let objects: Vec<String> = grants_in(project, id)
        .iter()
        .map(|g| g.0.to_string())
        .chain(labels.map(|(_, t, _)| match &t.column {
            Some(c) => format!("{LABEL_GRANT_PREFIX}tables/{}({c})", t.table),
            None => format!("{LABEL_GRANT_PREFIX}tables/{}", t.table),
        }))
        .collect();
    if objects.is_empty() {
        return None;
    }
    let elsewhere = !project.name.eq_ignore_ascii_case(&session.project);
    let mut avoid = Vec::new();
    if elsewhere {
        avoid.push(format!("use {};", project.name));
    }
    avoid.extend(
        grant_revokes(project, target)
            .iter()
            .chain(&label_revokes(project, target))
            .map(|s| statement_line(&s.statement)),
    );
    if elsewhere {
        avoid.push(format!("use {};", session.project));
    }
    Some((objects, avoid))
}

fn memberships(world: &World, id: PrincipalId) -> usize {
    world.projects.values().filter(|p| p.is_member(id)).count()
}

/// The projects of `names` that still exist, in the world's order of projects (by lower-cased
/// name, as `World::projects` iterates them).
fn projects_named<'w>(
    world: &'w World,
    names: &BTreeSet<String>,
) -> Vec<&'w crate::world::Project> {
    let mut found: Vec<&crate::world::Project> =
        names.iter().filter_map(|n| world.project(n)).collect();
    found.sort_by_cached_key(|p| p.name.to_ascii_lowercase());
    found
}

/// What `check` watches across a script: where each RAM user departed (until it comes back or
/// is deleted), and which grants left behind it reported.
#[derive(Debug, Default)]
pub struct Watch {
    departures: BTreeMap<Uid, (usize, String, Departure)>,
    reported_grants: BTreeSet<(Uid, String)>,
    /// Where grants were left behind, judged at the end of the script.
    grants_left: Vec<GrantsLeft>,
    /// RAM users the script deleted, with the line and statement: the objects they created
    /// are judged at the end of the script.
    deleted: Vec<(Uid, String, usize, String)>,
}

impl Watch {
    /// The hazards of the statement at `line` (`typed` as typed), which changed the world from
    /// `before` to `after`.
    pub fn statement(
        &mut self,
        before: &Facts,
        after: &World,
        session: &Session,
        line: usize,
        typed: &str,
    ) -> Vec<Hazard> {
        let mut found = residuals(before, after, session);
        let left = grants_left(
            before,
            after,
            session,
            &mut self.reported_grants,
            (line, typed),
        );
        self.grants_left.extend(left);
        found.extend(high_risk(before, after));
        found.extend(roles::residual_roles(&before.roles, after, session));
        found.extend(roles::assumable_admins(&before.roles, after));
        self.note_departures(before, after, session, line, typed);
        found
    }

    /// Departures the acting identity may see: a lost console log-on, or leaving the last
    /// project only when it may see every project of the user's account (else "last" would
    /// tell it about projects it may not look at).
    fn note_departures(
        &mut self,
        before: &Facts,
        after: &World,
        session: &Session,
        line: usize,
        typed: &str,
    ) {
        let sight = Sight::of(after, session);
        for facts in &before.users {
            let id = PrincipalId::RamUser(facts.uid);
            let Some((_, user)) = after.ram_user(facts.uid) else {
                self.departures.remove(&facts.uid);
                self.deleted
                    .push((facts.uid, facts.display.clone(), line, typed.to_string()));
                continue;
            };
            // How many projects list it now: counted everywhere only when it matters (it may
            // have left its last project, or it departed earlier and may be back); otherwise
            // the projects that still list it of those that did are enough to decide.
            let then = facts.member_of.len();
            let kept = projects_named(after, &facts.member_of)
                .iter()
                .filter(|p| p.is_member(id))
                .count();
            let exact = (then > 0 && kept == 0) || self.departures.contains_key(&facts.uid);
            let now = if exact { memberships(after, id) } else { kept };
            let sees_all = || {
                after
                    .projects
                    .values()
                    .filter(|p| p.owner == facts.target.account)
                    .all(|p| sight.grants(p, id))
            };
            let departure = if then > 0 && now == 0 && sees_all() {
                Some(Departure::LeftEveryProject)
            } else if facts.login_profile && user.login_profile().is_none() {
                Some(Departure::LostConsoleAccess)
            } else {
                None
            };
            if let Some(how) = departure {
                self.departures
                    .insert(facts.uid, (line, typed.to_string(), how));
            } else if now > then {
                self.departures.remove(&facts.uid);
            }
        }
    }

    /// The grants still left behind in `world` (the end of the script) where a statement left
    /// them, with the line and statement that left them: a grant revoked later in the script,
    /// or a user added back, is not left behind.
    pub fn grants_left_behind(
        &self,
        world: &World,
        session: &Session,
    ) -> Vec<(usize, String, Hazard)> {
        let sight = Sight::of(world, session);
        let mut found = Vec::new();
        for left in &self.grants_left {
            let Some(project) = world.project(&left.project) else {
                continue;
            };
            if !sight.grants(project, left.target.id()) {
                continue;
            }
            let Some((objects, avoid)) = left_in(project, &left.target, session) else {
                continue;
            };
            found.push((
                left.line,
                left.typed.clone(),
                Hazard::GrantsLeftBehind {
                    user: left.user.clone(),
                    user_id: left.target.uid,
                    project: project.name.clone(),
                    objects,
                    deleted: left.deleted,
                    avoid,
                },
            ));
        }
        found
    }

    /// Users the script deleted whose objects are still in `world` (the end of the script), in
    /// the projects whose grants `session` may show.
    pub fn objects_left_owned(
        &self,
        world: &World,
        session: &Session,
    ) -> Vec<(usize, String, Hazard)> {
        let sight = Sight::of(world, session);
        self.deleted
            .iter()
            .filter_map(|(uid, user, line, typed)| {
                let id = PrincipalId::RamUser(*uid);
                let owned =
                    crate::teach::offboard::owned_objects(world, id, |p| sight.grants(p, id));
                (!owned.is_empty()).then(|| {
                    let hazard = Hazard::ObjectsLeftOwned {
                        user: user.clone(),
                        user_id: *uid,
                        owned,
                    };
                    (*line, typed.clone(), hazard)
                })
            })
            .collect()
    }

    /// Departed users whose keys are still active in `world` (the end of the script), with
    /// the line and statement of their departure: those whose keys `session` may list.
    pub fn keys_left_active(
        &self,
        world: &World,
        session: &Session,
    ) -> Vec<(usize, String, Hazard)> {
        let sight = Sight::of(world, session);
        let mut found = Vec::new();
        for (uid, (line, typed, how)) in &self.departures {
            let Some((_, user)) = world.ram_user(*uid) else {
                continue;
            };
            if !sight.access_keys(user.name()) {
                continue;
            }
            let keys: Vec<String> = user
                .access_keys()
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
                    user.name()
                ));
                avoid.push(format!(
                    "aliyun ram DeleteAccessKey --UserName {} --UserAccessKeyId {key}",
                    user.name()
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
