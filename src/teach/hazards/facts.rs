//! What hazards compare with: the facts of the RAM users a statement may affect, taken before it
//! runs, and which projects list each user, kept from statement to statement ([`Memberships`])
//! so that taking a user's facts does not ask every project again.

use std::collections::{BTreeSet, HashMap};

use crate::engine::names::display;
use crate::world::credentials::PolicyAttachment;
use crate::world::{PrincipalId, Uid, World};

use super::super::offboard::Target;

/// What hazards need to know of a RAM user before a statement runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFacts {
    pub uid: Uid,
    pub target: Target,
    pub display: String,
    /// The projects (by name) that list it as a member.
    pub member_of: BTreeSet<String>,
    pub login_profile: bool,
    pub policies: Vec<PolicyAttachment>,
}

/// The facts of some RAM users before a statement: the ones it may affect (or all of them).
/// Much smaller than a copy of the world, so `check` stays linear in the script's length.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub(super) users: Vec<UserFacts>,
    /// The RAM roles the statement names.
    pub roles: Vec<super::RoleFacts>,
}

/// The projects that list `id`, by name.
fn member_of(world: &World, id: PrincipalId) -> BTreeSet<String> {
    world
        .projects
        .values()
        .filter(|p| p.is_member(id))
        .map(|p| p.name.clone())
        .collect()
}

impl Facts {
    /// The facts of the users `only` names (every RAM user when `None`).
    pub fn of(world: &World, only: Option<&[Uid]>) -> Facts {
        Facts::taken(world, only, |id| member_of(world, id))
    }

    /// Like [`Facts::of`] for the users `only` names, with their projects from `memberships`.
    pub fn of_kept(world: &World, only: &[Uid], memberships: &mut Memberships) -> Facts {
        Facts::taken(world, Some(only), |id| match id {
            PrincipalId::RamUser(uid) => memberships.of(world, uid),
            _ => member_of(world, id),
        })
    }

    fn taken(
        world: &World,
        only: Option<&[Uid]>,
        mut projects: impl FnMut(PrincipalId) -> BTreeSet<String>,
    ) -> Facts {
        let mut users = Vec::new();
        for account in world.accounts.values() {
            let mut add = |user: &crate::world::RamUser| {
                let id = PrincipalId::RamUser(user.uid);
                users.push(UserFacts {
                    uid: user.uid,
                    target: Target::of(account, user),
                    display: display(world, id),
                    member_of: projects(id),
                    login_profile: user.login_profile().is_some(),
                    policies: user.policies().to_vec(),
                });
            };
            match only {
                Some(uids) => uids
                    .iter()
                    .filter_map(|u| account.user(*u))
                    .for_each(&mut add),
                None => account
                    .users_in_creation_order()
                    .into_iter()
                    .for_each(&mut add),
            }
        }
        Facts {
            users,
            roles: Vec::new(),
        }
    }
}

/// At most this many projects changed since a user's projects were last taken are looked at
/// again; past it, every project is asked.
const RECHECK: usize = 32;

/// Which projects list each RAM user `check` took facts of, kept up to date from what each
/// statement changed: after every statement that changes the world, the member count of every
/// project is compared with the one before (one read per project), and a user's projects are
/// looked at again only in the projects whose count changed since they were taken. (Every
/// statement adds or removes members, never both in one project, so a count that did not change
/// is a membership that did not; a statement may create a project, none drops one.)
#[derive(Debug, Default)]
pub struct Memberships {
    /// Every project's key and member count after the last statement observed.
    counts: Vec<(String, usize)>,
    /// Statements observed so far.
    observed: usize,
    /// (statement, project) for each project whose members a statement changed, in order.
    changed: Vec<(usize, usize)>,
    /// Each user's projects, as of the statement number kept with them.
    kept: HashMap<Uid, (usize, BTreeSet<String>)>,
}

impl Memberships {
    pub fn new(world: &World) -> Memberships {
        Memberships {
            counts: counts(world),
            ..Memberships::default()
        }
    }

    /// Takes note of what the statement that just ran changed.
    pub fn observe(&mut self, world: &World) {
        self.observed += 1;
        // Projects are created (DataWorks' CreateProject) but never dropped, so the same number
        // of projects is the same projects.
        if world.projects.len() != self.counts.len() {
            // A project came or went: take everyone's projects again.
            self.counts = counts(world);
            self.kept.clear();
            return;
        }
        for (i, (project, (_, count))) in world.projects.values().zip(&mut self.counts).enumerate()
        {
            let now = project.member_count();
            if now != *count {
                *count = now;
                self.changed.push((self.observed, i));
            }
        }
    }

    /// The projects that list `uid` now.
    fn of(&mut self, world: &World, uid: Uid) -> BTreeSet<String> {
        let id = PrincipalId::RamUser(uid);
        if let Some((at, projects)) = self.kept.get_mut(&uid) {
            let since = self.changed.partition_point(|(n, _)| *n <= *at);
            let changed = &self.changed[since..];
            if changed.len() <= RECHECK {
                for &(_, i) in changed {
                    let Some((key, _)) = self.counts.get(i) else {
                        continue;
                    };
                    if let Some(p) = world.projects.get(key) {
                        if p.is_member(id) {
                            projects.insert(p.name.clone());
                        } else {
                            projects.remove(&p.name);
                        }
                    }
                }
                *at = self.observed;
                return projects.clone();
            }
        }
        let projects = member_of(world, id);
        self.kept.insert(uid, (self.observed, projects.clone()));
        projects
    }
}

fn counts(world: &World) -> Vec<(String, usize)> {
    world
        .projects
        .iter()
        .map(|(k, p)| (k.clone(), p.member_count()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, Session};
    use crate::syntax::{parse_piece, split};

    #[test]
    fn kept_memberships_are_what_asking_every_project_gives() {
        let mut world = World::default_world();
        let mut session = Session::new(PrincipalId::Account(world.home), "MaxCompute");
        let mut kept = Memberships::new(&world);
        let script = "aliyun ram CreateAccessKey\naliyun ram CreateUser --UserName a\naliyun ram CreateUser --UserName b\n\
            aliyun dataworks-public CreateProject --ProjectName second\n\
            add user RAM$MainCount:a;\nuse second;\nadd user RAM$MainCount:a;\nadd user RAM$MainCount:b;\n\
            remove user RAM$MainCount:a;\nuse MaxCompute;\nadd user RAM$MainCount:b;\n\
            remove user RAM$MainCount:a;\naliyun ram DeleteUser --UserName a\n";
        let mut uids: Vec<Uid> = Vec::new();
        for piece in split(script) {
            let statement = parse_piece(&piece).unwrap();
            let before = world.clone();
            engine::execute(&mut world, &mut session, &statement).unwrap();
            if before != world {
                kept.observe(&world);
            }
            for account in world.accounts.values() {
                for user in account.users() {
                    if !uids.contains(&user.uid) {
                        uids.push(user.uid);
                    }
                }
            }
            for &uid in &uids {
                assert_eq!(
                    kept.of(&world, uid),
                    member_of(&world, PrincipalId::RamUser(uid)),
                    "after {statement}"
                );
            }
        }
    }
}
