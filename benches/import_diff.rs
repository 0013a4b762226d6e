//! `odpsh import` of a capture of N members with their grants, and `odpsh diff` of two
//! N-principal worlds (the shape of `benches/support/generate.rs`; B is A with one member in
//! a hundred off-boarded and as many new ones).
//!
//! `cargo bench --bench import_diff` imports 100k members and diffs 1M principals (the issue's
//! figures: ≤ 1 s and ≤ 2 s); `ODPSH_BENCH_SIZES=10000` picks another size for both. Run as a
//! test (`cargo test --all-targets`) it uses 1k and runs each benchmark once.

#[path = "support/generate.rs"]
mod generate;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use odpsh::diff;
use odpsh::import::{self, CaptureFile};
use odpsh::world::{PrincipalId, World};

fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn size(default: usize) -> usize {
    std::env::var("ODPSH_BENCH_SIZES")
        .ok()
        .and_then(|v| v.split(',').next().and_then(|n| n.trim().parse().ok()))
        .unwrap_or(if measuring() { default } else { 1_000 })
}

/// How many of a capture's `n` members are RAM roles: one in a hundred, at most the 1,000 an
/// account may have.
fn role_members(n: usize) -> usize {
    (n / 100).min(1000)
}

/// What odpscmd prints for a project of `n` members (RAM users, and RAM roles among them), each
/// holding `role_project_dev` and a Select on one of 100 tables, and the ListUsers and
/// ListRoles JSON of their RAM users and roles.
fn capture(n: usize) -> (String, String) {
    let mut odps =
        String::from("odps@ MaxCompute>whoami;\nName: ALIYUN$MainCount\nProject: MaxCompute\n");
    odps.push_str("odps@ MaxCompute>list users;\n");
    let roles = role_members(n);
    let member = |i: usize| {
        if i < roles {
            format!("RAM$5527380164285788:role/etl-{i}")
        } else {
            format!("RAM$MainCount:{}", generate::user_name(i))
        }
    };
    for i in 0..n {
        odps.push_str(&member(i));
        odps.push('\n');
    }
    odps.push_str("odps@ MaxCompute>describe role role_project_dev;\n[users]\n");
    for i in 0..n {
        odps.push_str(&member(i));
        odps.push('\n');
    }
    for i in 0..n {
        let user = member(i);
        // odpscmd needs a RAM role's name in backquotes, for its `/`.
        let named = if i < roles {
            format!("`{user}`")
        } else {
            user.clone()
        };
        odps.push_str(&format!(
            "odps@ MaxCompute>show grants for {named};\n[roles]\nrole_project_dev\n\nAuthorization Type: ACL\n[user/{user}]\nA\tprojects/MaxCompute/tables/t{}: Select\n",
            i % 100
        ));
    }
    let mut ram = String::from(
        "$ aliyun ram ListUsers --MaxItems 1000\n{\n\t\"Users\": {\n\t\t\"User\": [\n",
    );
    for i in 0..n {
        let comma = if i + 1 < n { "," } else { "" };
        ram.push_str(&format!(
            "\t\t\t{{\"UserId\": \"{}\", \"UserName\": \"{}\", \"CreateDate\": \"2026-01-01T00:00:01Z\"}}{comma}\n",
            26_529_000_000_000_000u64 + i as u64,
            generate::user_name(i)
        ));
    }
    ram.push_str("\t\t]\n\t}\n}\n");
    ram.push_str("$ aliyun ram ListRoles --MaxItems 1000\n{\n\t\"Roles\": {\n\t\t\"Role\": [\n");
    for i in 0..roles {
        let comma = if i + 1 < roles { "," } else { "" };
        ram.push_str(&format!(
            "\t\t\t{{\"RoleId\": \"{}\", \"RoleName\": \"etl-{i}\", \"Arn\": \"acs:ram::5527380164285788:role/etl-{i}\", \"MaxSessionDuration\": 3600, \"CreateDate\": \"2026-01-01T00:00:01Z\"}}{comma}\n",
            300_000_000_000_000_000u64 + i as u64
        ));
    }
    ram.push_str("\t\t]\n\t}\n}\n");
    (odps, ram)
}

fn bench_import(c: &mut Criterion) {
    let n = size(100_000);
    let (odps, ram) = capture(n);
    // What is timed is an import that succeeds and builds every member and role.
    let files = [
        CaptureFile {
            name: "ram.txt",
            text: &ram,
        },
        CaptureFile {
            name: "MaxCompute.txt",
            text: &odps,
        },
    ];
    let built = import::import(&files).map(|(w, _)| {
        let roles = w.account(w.home).map_or(0, |a| a.directory.roles.len());
        let members = w.project("MaxCompute").map_or(0, |p| p.member_count());
        (members, roles)
    });
    assert_eq!(built.ok(), Some((n, role_members(n))));
    let mut group = c.benchmark_group("import");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function(
        format!("import a capture of {n} members with grants"),
        |b| b.iter(|| black_box(import::import(&files).map(|(w, _)| w.projects.len()).ok())),
    );
    group.finish();
}

/// B: A with every hundredth member off-boarded from the project and as many new users.
fn changed(a: &World) -> World {
    let mut b = a.clone();
    let home = b.home;
    let members: Vec<PrincipalId> = b
        .project("MaxCompute")
        .map(|p| p.members().collect())
        .unwrap_or_default();
    if let Some(p) = b.project_mut("MaxCompute") {
        for id in members.iter().step_by(100) {
            let _ = p.revoke_roles(*id, &[generate::ROLE]);
            let _ = p.remove_member(*id);
        }
    }
    for i in 0..members.len() / 100 {
        let uid = odpsh::world::Uid(b.clock.next_uid());
        let name = format!("new{i:07}");
        if let Some(account) = b.account_mut(home) {
            account.insert_user(odpsh::world::RamUser::new(uid, &name, &name, 1));
        }
    }
    b
}

fn bench_diff(c: &mut Criterion) {
    let n = size(1_000_000);
    let a = generate::world(n);
    let b = changed(&a);
    let mut group = c.benchmark_group("diff");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function(format!("diff two {n}-principal worlds"), |bench| {
        bench.iter(|| black_box(diff::diff(&a, &b).changes.len()))
    });
    group.finish();
}

criterion_group!(benches, bench_import, bench_diff);
criterion_main!(benches);
