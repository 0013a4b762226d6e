//! The journal (issue 22): what one interactive commit costs in worlds of 10k, 100k and 1M
//! principals (lock, catch up, run the statement, append it to the journal and fsync), and what
//! a load costs with a journal of 10,000 statements beside the snapshot against one without.
//!
//! `cargo bench --bench journal`; `ODPSH_BENCH_SIZES=1000,10000` picks other sizes. Run as a test
//! (`cargo test --all-targets`) it uses 1k and runs each benchmark once.

#[path = "support/generate.rs"]
mod generate;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use odpsh::engine::Session;
use odpsh::engine::tape::Tape;
use odpsh::store::journal::{self, Commit};
use odpsh::store::{Store, Synced};
use odpsh::syntax::{Statement, parse_statement};
use odpsh::world::{PrincipalId, World};

fn sizes() -> Vec<usize> {
    let measuring = std::env::args().any(|a| a == "--bench");
    std::env::var("ODPSH_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| match measuring {
            true => vec![10_000, 100_000, 1_000_000],
            false => vec![1_000],
        })
}

fn session(world: &World) -> Session {
    Session::new(PrincipalId::Account(world.home), "MaxCompute")
}

fn statement(text: &str) -> Statement {
    parse_statement(text).expect("the bench's statements parse")
}

/// One statement committed as the interactive shell commits it.
fn commit(synced: &mut Synced, world: &mut World, session: &mut Session, statement: &Statement) {
    let mut tape = Tape::default();
    let mut txn = synced.begin().expect("the lock");
    txn.catch_up(world).expect("caught up");
    tape.execute(world, session, statement)
        .expect("the statement runs");
    txn.commit(Some(world), tape.take()).expect("a commit");
}

fn commit_benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut group = c.benchmark_group("journal");
    group.sample_size(50);
    group.warm_up_time(Duration::from_secs(1));
    let (create, drop) = (
        statement("create role bench_r"),
        statement("drop role bench_r"),
    );
    for n in sizes() {
        let store = Store::new(dir.path().join(format!("world_{n}.odpsh")));
        {
            let _lock = store.lock().expect("the lock");
            store.save(&generate::world(n)).expect("a save");
        }
        let (mut synced, mut world) = Synced::load(store.clone()).expect("a load");
        let mut s = session(&world);
        let mut up = false;
        group.bench_function(format!("commit one statement, {n} principals"), |b| {
            b.iter(|| {
                let st = if up { &drop } else { &create };
                up = !up;
                commit(&mut synced, &mut world, &mut s, st);
            })
        });
        drop_world(world);
    }
    group.finish();
}

fn drop_world(world: World) {
    std::mem::forget(world);
}

/// A store at `path` holding a world of `n` principals and a journal of `statements`
/// statements (`create role` and `drop role` in turn), whatever the journal's bound.
fn journaled(path: std::path::PathBuf, n: usize, statements: usize) -> Store {
    let store = Store::new(path);
    let _lock = store.lock().expect("the lock");
    let mut world = generate::world(n);
    store.save(&world).expect("a save");
    let loaded = store.load_state().expect("a load");
    let Some(odpsh::store::Fingerprint::Snapshot { save_id, .. }) = loaded.seen else {
        panic!("saved as a snapshot");
    };
    let mut bytes = journal::Header {
        schema_version: odpsh::world::SCHEMA_VERSION,
        base: save_id,
    }
    .to_bytes()
    .to_vec();
    let mut s = session(&world);
    let (create, drop) = (
        statement("create role bench_r"),
        statement("drop role bench_r"),
    );
    for i in 0..statements {
        let mut tape = Tape::default();
        let st = if i % 2 == 0 { &create } else { &drop };
        tape.execute(&mut world, &mut s, st).expect("runs");
        let commit = Commit {
            entries: tape.take().expect("whole"),
            clock: (world.clock.now, world.clock.issued),
        };
        bytes.extend(journal::commit_record(&commit));
    }
    if statements > 0 {
        std::fs::write(store.journal_path(), bytes).expect("the journal written");
    }
    store
}

fn load_benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut group = c.benchmark_group("journal load");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    for n in sizes() {
        let plain = journaled(dir.path().join(format!("plain_{n}.odpsh")), n, 0);
        let with = journaled(dir.path().join(format!("journal_{n}.odpsh")), n, 10_000);
        group.bench_function(format!("load {n} principals, no journal"), |b| {
            b.iter(|| black_box(plain.load().expect("a load")))
        });
        group.bench_function(format!("load {n} principals, journal of 10k"), |b| {
            b.iter(|| black_box(with.load().expect("a load")))
        });
    }
    group.finish();
}

criterion_group!(benches, commit_benches, load_benches);
criterion_main!(benches);
