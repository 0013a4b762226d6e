//! Worlds and scripts for the scale benchmarks, shared by `benches/scale.rs` and
//! `examples/bench_scale.rs` (included with `#[path]`).
//!
//! A *principal* here is a RAM user of the main account who is a member of the `MaxCompute`
//! project holding `role_project_dev`: a world of N principals has N such users, and, for
//! realism, `PROJECTS` further projects owned by the main account, each with a handful of the
//! same users as members. Every size uses this one shape.

#![allow(dead_code)]

use odpsh::world::{Project, RamUser, Uid, World};

/// Projects besides `MaxCompute`.
pub const PROJECTS: usize = 300;
/// Members of each of those projects.
pub const MEMBERS_PER_PROJECT: usize = 5;
/// The role every principal holds.
pub const ROLE: &str = "role_project_dev";

/// The name of the `i`-th generated RAM user.
pub fn user_name(i: usize) -> String {
    format!("user{i:07}")
}

/// A world of `n` principals (see the module's documentation).
pub fn world(n: usize) -> World {
    let mut world = World::default_world();
    let home = world.home;
    let mut uids = Vec::with_capacity(n);
    for i in 0..n {
        let uid = Uid(world.clock.next_uid());
        let now = world.clock.tick();
        let name = user_name(i);
        if let Some(account) = world.account_mut(home) {
            account.insert_user(RamUser::new(uid, &name, &name, now));
        }
        uids.push(uid);
    }
    let principal = |uid: Uid| odpsh::world::PrincipalId::RamUser(uid);
    if let Some(project) = world.project_mut("MaxCompute") {
        for &uid in &uids {
            let _ = project.add_member(principal(uid));
            let _ = project.grant_roles(principal(uid), &[ROLE]);
        }
    }
    for p in 0..PROJECTS {
        let name = format!("team_{p:03}");
        let mut project = Project::new(&name, home);
        for k in 0..MEMBERS_PER_PROJECT.min(n) {
            let uid = uids[(p * 7919 + k * 104_729) % n];
            let _ = project.add_member(principal(uid));
            let _ = project.grant_roles(principal(uid), &[ROLE]);
        }
        world.projects.insert(name.to_ascii_lowercase(), project);
    }
    world
}

/// Statements per user in [`workload`].
pub const WORKLOAD_PER_USER: usize = 8;

/// The table the workload grants on, created by [`workload_setup`].
pub const WORKLOAD_TABLE: &str = "bench_sales";

/// What [`workload`] needs first: a table to grant on (run once per world).
pub fn workload_setup() -> String {
    format!("create table if not exists {WORKLOAD_TABLE} (id bigint, region string);\n")
}

/// The security workload for `users` new users, `first` numbering the first one: per user,
/// create the RAM user, add it to the project, grant it a role and a table privilege, revoke
/// both, remove it, delete the RAM user. It leaves the world as it found it (but for the clock
/// and id counter), so it can run again on the same world.
pub fn workload(first: usize, users: usize) -> String {
    let mut out = String::with_capacity(users * 400);
    for i in first..first + users {
        let u = format!("bench{i:07}");
        let p = format!("RAM$MainCount:{u}");
        out.push_str(&format!("aliyun ram CreateUser --UserName {u}\n"));
        out.push_str(&format!("add user {p};\n"));
        out.push_str(&format!("grant {ROLE} to {p};\n"));
        out.push_str(&format!(
            "grant Select on table {WORKLOAD_TABLE} to user {p};\n"
        ));
        out.push_str(&format!(
            "revoke Select on table {WORKLOAD_TABLE} from user {p};\n"
        ));
        out.push_str(&format!("revoke {ROLE} from {p};\n"));
        out.push_str(&format!("remove user {p};\n"));
        out.push_str(&format!("aliyun ram DeleteUser --UserName {u}\n"));
    }
    out
}
