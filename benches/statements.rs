//! Parse and execute throughput of a generated script of user and role statements, and parse
//! throughput per statement kind. `cargo bench --bench statements` prints statements per second
//! (criterion's "thrpt").

#[path = "support/generate.rs"]
mod generate;

use std::hint::black_box;
use std::io;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use odpsh::engine::{self, Session};
use odpsh::shell::console::Console;
use odpsh::shell::runner::Runner;
use odpsh::shell::script::{OnFailure, run_script};
use odpsh::syntax::{Statement, parse_piece, split};
use odpsh::teach::check::check;
use odpsh::world::{PrincipalId, World};

/// Statements per generated script.
const STATEMENTS: usize = 100_000;

/// A script of `n` statements: each user is created in RAM, added, granted two roles, has one
/// revoked, is listed in a role description now and then, and so on; roles are created and dropped.
fn script(n: usize) -> String {
    let mut out = String::with_capacity(n * 48);
    let mut count = 0;
    let mut i = 0;
    let mut push = |s: String, count: &mut usize| {
        out.push_str(&s);
        out.push('\n');
        *count += 1;
    };
    push("create role worker;".to_string(), &mut count);
    while count < n {
        let u = format!("u{i}");
        push(format!("aliyun ram CreateUser --UserName {u}"), &mut count);
        push(format!("add user RAM$MainCount:{u};"), &mut count);
        push(
            format!("grant role_project_dev, worker to RAM$MainCount:{u};"),
            &mut count,
        );
        push(format!("revoke worker from RAM${u};"), &mut count);
        if i % 2 == 0 {
            push(
                format!("revoke role_project_dev from RAM$MainCount:{u};"),
                &mut count,
            );
            push(format!("remove user RAM$MainCount:{u};"), &mut count);
        }
        if i % 100 == 0 {
            push(format!("create role r{i};"), &mut count);
            push(format!("drop role r{i};"), &mut count);
        }
        i += 1;
    }
    out
}

fn parse_all(text: &str) -> Vec<Statement> {
    split(text)
        .iter()
        .map(|p| parse_piece(p).expect("generated statements parse"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let text = script(STATEMENTS);
    let statements = parse_all(&text);
    let security: Vec<_> = split(&text)
        .into_iter()
        .filter(|p| !p.body.starts_with("aliyun"))
        .collect();

    // Every generated statement succeeds, so the figures measure real work.
    let mut world = World::default_world();
    let mut session = Session::new(PrincipalId::Account(world.home), "MaxCompute");
    for s in &statements {
        if let Err(e) = engine::execute(&mut world, &mut session, s) {
            panic!("{s}: {e:?}");
        }
    }

    let mut group = c.benchmark_group("statements");
    group.sample_size(10);
    group.throughput(Throughput::Elements(statements.len() as u64));
    group.bench_function("split and parse 100k", |b| {
        b.iter(|| black_box(parse_all(black_box(&text))))
    });
    group.throughput(Throughput::Elements(security.len() as u64));
    group.bench_function("parse 100k security statements", |b| {
        b.iter(|| {
            for p in &security {
                black_box(parse_piece(black_box(p)).ok());
            }
        })
    });
    group.throughput(Throughput::Elements(statements.len() as u64));
    group.bench_function("execute 100k", |b| {
        b.iter_batched(
            World::default_world,
            |mut world| {
                let mut session = Session::new(PrincipalId::Account(world.home), "MaxCompute");
                for s in &statements {
                    black_box(engine::execute(&mut world, &mut session, s).ok());
                }
                world
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// One statement of each kind the security workload and the listings use, as typed.
const KINDS: &[(&str, &str)] = &[
    (
        "aliyun ram CreateUser",
        "aliyun ram CreateUser --UserName bench0000001",
    ),
    (
        "aliyun ram DeleteUser",
        "aliyun ram DeleteUser --UserName bench0000001",
    ),
    ("add user", "add user RAM$MainCount:bench0000001;"),
    ("remove user", "remove user RAM$MainCount:bench0000001;"),
    (
        "grant role",
        "grant role_project_dev to RAM$MainCount:bench0000001;",
    ),
    (
        "revoke role",
        "revoke role_project_dev from RAM$MainCount:bench0000001;",
    ),
    (
        "grant on table",
        "grant Select on table bench_sales to user RAM$MainCount:bench0000001;",
    ),
    (
        "revoke on table",
        "revoke Select on table bench_sales from user RAM$MainCount:bench0000001;",
    ),
    ("create role", "create role analyst;"),
    ("list users", "list users;"),
    (
        "show grants for",
        "show grants for RAM$MainCount:bench0000001;",
    ),
    ("describe role", "describe role role_project_dev;"),
    ("whoami", "whoami;"),
];

/// Copies of each statement per measurement.
const COPIES: usize = 10_000;

fn bench_kinds(c: &mut Criterion) {
    let mut group = c.benchmark_group("split and parse by kind");
    group.sample_size(10);
    group.throughput(Throughput::Elements(COPIES as u64));
    for (kind, text) in KINDS {
        let script = format!("{text}\n").repeat(COPIES);
        assert_eq!(parse_all(&script).len(), COPIES, "{kind}");
        group.bench_function(*kind, |b| {
            b.iter(|| black_box(parse_all(black_box(&script))))
        });
    }
    let users = 12_500;
    let workload = generate::workload(0, users);
    group.throughput(Throughput::Elements(
        (users * generate::WORKLOAD_PER_USER) as u64,
    ));
    group.bench_function("the security workload (100k statements)", |b| {
        b.iter(|| black_box(parse_all(black_box(&workload))))
    });
    group.finish();
}

/// Issue 12, finding 8: a script of syntax errors, piped through the script runner and read
/// by `odpsh check`. Each error once counted lines from the start of the script, so four times
/// the script cost sixteen times as much; the per-error throughput of the two sizes should now
/// be about the same.
fn bench_syntax_errors(c: &mut Criterion) {
    let mut group = c.benchmark_group("syntax errors");
    group.sample_size(10);
    for lines in [10_000, 40_000] {
        let script = "x;\n".repeat(lines);
        group.throughput(Throughput::Elements(lines as u64));
        group.bench_function(format!("piped, {lines} lines of x;"), |b| {
            b.iter_batched(
                || {
                    let world = World::default_world();
                    let session = Session::new(PrincipalId::Account(world.home), "MaxCompute");
                    Runner::new(
                        world,
                        session,
                        Console::new(Box::new(io::sink()), Box::new(io::sink())),
                    )
                },
                |mut runner| run_script(&mut runner, black_box(&script), OnFailure::Continue),
                BatchSize::PerIteration,
            )
        });
        group.bench_function(format!("check, {lines} lines of x;"), |b| {
            b.iter_batched(
                World::default_world,
                |world| {
                    let session = Session::new(PrincipalId::Account(world.home), "MaxCompute");
                    check(world, session, black_box(&script)).failures()
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench, bench_kinds, bench_syntax_errors);
criterion_main!(benches);
