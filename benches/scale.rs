//! Large worlds: load and save of the state file, listings on a big project, the security
//! workload's per-statement cost in a small and a large world, `create role` in a project of
//! many roles, and process start-up.
//!
//! `cargo bench --bench scale` uses worlds of 10k, 100k and 1M principals (see
//! `benches/support/generate.rs` for the shape); `ODPSH_BENCH_SIZES=1000,10000` picks others.
//! Run as a test (`cargo test --all-targets`, `.ci/run`'s smoke run with `--test`) it uses 1k and
//! 10k and runs each benchmark once.

#[path = "support/generate.rs"]
mod generate;

use std::hint::black_box;
use std::process::Command;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use odpsh::engine::{self, Session};
use odpsh::store::Store;
use odpsh::syntax::{Statement, parse_piece, split};
use odpsh::world::{PrincipalId, World};

/// The world sizes: `ODPSH_BENCH_SIZES`, else 10k, 100k and 1M under `cargo bench`, and small
/// ones when the bench runs as a test (`cargo test --all-targets` runs each bench once).
fn sizes() -> Vec<usize> {
    let measuring = std::env::args().any(|a| a == "--bench");
    std::env::var("ODPSH_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| match measuring {
            true => vec![10_000, 100_000, 1_000_000],
            false => vec![1_000, 10_000],
        })
}

fn session(world: &World) -> Session {
    Session::new(PrincipalId::Account(world.home), "MaxCompute")
}

fn run(world: &mut World, text: &str) -> Vec<Statement> {
    let statements: Vec<Statement> = split(text)
        .iter()
        .map(|p| parse_piece(p).expect("generated statements parse"))
        .collect();
    let mut s = session(world);
    for st in &statements {
        if let Err(e) = engine::execute(world, &mut s, st) {
            panic!("{st}: {e:?}");
        }
    }
    statements
}

fn store_benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut group = c.benchmark_group("state file");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    for n in sizes() {
        let world = generate::world(n);
        let store = Store::new(dir.path().join(format!("world_{n}.odpsh")));
        let lock = store.lock().expect("the lock");
        store.save(&world).expect("a save");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("save {n} principals"), |b| {
            b.iter(|| store.save(black_box(&world)).expect("a save"))
        });
        drop(lock);
        drop(world);
        group.bench_function(format!("load {n} principals"), |b| {
            b.iter(|| black_box(store.load().expect("a load")))
        });
    }
    group.finish();
}

fn listing_benches(c: &mut Criterion) {
    let n = sizes().into_iter().max().unwrap_or(1000);
    let mut world = generate::world(n);
    let mut group = c.benchmark_group(format!("{n}-member project"));
    group.sample_size(10);
    let who = generate::user_name(n / 2);
    for (what, text) in [
        ("list users", "list users;".to_string()),
        (
            "show grants for",
            format!("show grants for RAM$MainCount:{who};"),
        ),
        (
            "describe role",
            format!("describe role {};", generate::ROLE),
        ),
    ] {
        let statement = parse_piece(&split(&text)[0]).expect("parses");
        group.bench_function(what, |b| {
            b.iter(|| {
                let mut s = session(&world);
                let out = engine::execute(&mut world, &mut s, black_box(&statement));
                black_box(out.map(|o| odpsh::render::output(&o)).ok())
            })
        });
    }
    group.finish();
}

fn workload_benches(c: &mut Criterion) {
    let users = 2_000;
    let script = generate::workload(0, users);
    let mut group = c.benchmark_group("security workload");
    group.sample_size(10);
    group.throughput(Throughput::Elements(
        (users * generate::WORKLOAD_PER_USER) as u64,
    ));
    let largest = sizes().into_iter().max().unwrap_or(1000);
    for n in [1_000, largest] {
        let mut world = generate::world(n);
        run(&mut world, &generate::workload_setup());
        // The workload leaves the world as it found it, so it runs again and again.
        let statements = run(&mut world, &script);
        group.bench_function(format!("execute in a {n}-principal world"), |b| {
            b.iter(|| {
                let mut s = session(&world);
                for st in &statements {
                    black_box(engine::execute(&mut world, &mut s, st).is_ok());
                }
            })
        });
    }
    group.finish();
}

/// Issue 12, finding 9: `create role` (and the `drop role` that keeps the project as it was)
/// in a project that holds many roles. Each create once walked every role slot for a free one.
fn role_benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("roles");
    group.sample_size(10);
    for n in sizes() {
        let mut world = World::default_world();
        let roles: String = (0..n).map(|i| format!("create role r{i};\n")).collect();
        run(&mut world, &roles);
        let statements: Vec<Statement> = split("create role bench_new;\ndrop role bench_new;")
            .iter()
            .map(|p| parse_piece(p).expect("parses"))
            .collect();
        group.bench_function(format!("create and drop a role among {n} roles"), |b| {
            b.iter(|| {
                let mut s = session(&world);
                for st in &statements {
                    black_box(engine::execute(&mut world, &mut s, black_box(st)).is_ok());
                }
            })
        });
    }
    group.finish();
}

/// Issue 14: the lessons ask the engine, so they cost what the engine costs. `explain` of a
/// refused `create table` runs its fixes on a scratch copy of the world (a copy, then the
/// grants the statement needs, then the statement); `who may` judges every member.
fn teach_benches(c: &mut Criterion) {
    use odpsh::syntax::{Input, parse_input};
    use odpsh::teach::explain::{Context, explain};
    let mut group = c.benchmark_group("teach");
    group.sample_size(10);
    for n in sizes() {
        let mut world = generate::world(n);
        run(
            &mut world,
            "aliyun ram CreateUser --UserName bench_guest\nadd user RAM$bench_guest;\n\
             grant role_project_guest to RAM$bench_guest;\n",
        );
        let guest = odpsh::engine::names::resolve(
            &world,
            world.home,
            &odpsh::syntax::PrincipalName::RamUser {
                account: None,
                user: "bench_guest".into(),
            },
        )
        .expect("the guest exists");
        let typed = "create table bench_t (id bigint);";
        let pieces = split(typed);
        let input = parse_input(&pieces[0]).expect("parses");
        let Input::Statement(statement) = &input else {
            panic!("a statement");
        };
        let mut as_guest = Session::new(guest, "MaxCompute");
        let failure = engine::execute(&mut world.clone(), &mut as_guest, statement)
            .expect_err("a guest may not create a table");
        let failed = odpsh::teach::Failed::Engine(failure);
        let former = odpsh::teach::FormerNames::new();
        group.bench_function(
            format!("explain a refused create table in a {n}-principal world"),
            |b| {
                b.iter(|| {
                    let ctx = Context {
                        world: &world,
                        session: &as_guest,
                        input: Some(&input),
                        typed,
                        former: &former,
                    };
                    black_box(explain(&ctx, &failed).fix.len())
                })
            },
        );
        let owner = session(&world);
        group.bench_function(
            format!("who may create a table in a {n}-principal world"),
            |b| {
                b.iter(|| {
                    black_box(
                        odpsh::teach::matrix_queries::who_may(
                            &world,
                            &owner,
                            "create a table",
                            None,
                        )
                        .map(|w| w.operations.len()),
                    )
                })
            },
        );
    }
    group.finish();
}

fn startup_benches(c: &mut Criterion) {
    let bin = env!("CARGO_BIN_EXE_odpsh");
    let mut group = c.benchmark_group("process");
    group.sample_size(20);
    group.bench_function("odpsh --fresh -e 'whoami;'", |b| {
        b.iter(|| {
            let out = Command::new(bin)
                .args(["--fresh", "-e", "whoami;"])
                .output()
                .expect("odpsh runs");
            assert!(out.status.success());
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    startup_benches,
    store_benches,
    listing_benches,
    workload_benches,
    role_benches,
    teach_benches
);
criterion_main!(benches);
