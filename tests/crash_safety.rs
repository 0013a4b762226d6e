//! A world that is never torn: `odpsh` is killed (SIGKILL) at many points of a long script, and
//! after every kill the world file loads and is either the world from before the run or the
//! complete world after it. Temporary files of killed saves never break a later run, and the
//! next run removes them.
//!
//! The kill points are reproducible: half of the runs are killed after a delay drawn from a
//! seeded generator over the length of a calibration run, the other half the moment the
//! temporary file of the save appears (so that many kills land inside the save itself).
//!
//! Short scripts commit by appending to the journal beside the snapshot, and every few runs the
//! journal reaches its bound and is compacted into a new snapshot: the second test kills runs
//! like those, so that kills land in appends and in compactions.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::run::{command, file_names, odpsh, text};

/// How many runs are killed (the issue asks for at least 200).
const RUNS: usize = 240;
/// Statements per run: enough that the run is long next to the kill points.
const STATEMENTS: usize = 200;
/// Roles the world starts with, so that each save writes a file of some size.
const BASE_ROLES: usize = 1000;
const SEED: u64 = 0x0d95_c0de_2026_0005;

/// xorshift64*: a tiny seeded generator, so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A duration in `[0, max]`.
    fn below(&mut self, max: Duration) -> Duration {
        let micros = max.as_micros().max(1) as u64;
        Duration::from_micros(self.next() % (micros + 1))
    }
}

fn script(run: usize) -> String {
    script_of(run, STATEMENTS)
}

fn script_of(run: usize, statements: usize) -> String {
    let mut text = String::new();
    for i in 0..statements {
        text.push_str(&format!("create role c{run}_{i};\n"));
    }
    text
}

/// The roles of the default project in a world file and its journal, which must load.
fn roles_in(state: &Path, run: usize) -> BTreeSet<String> {
    assert!(state.exists(), "run {run}: no world file");
    let world = odpsh::store::Store::new(state.to_path_buf())
        .load()
        .unwrap_or_else(|e| panic!("run {run}: the world does not load: {e}"));
    world
        .project("MaxCompute")
        .expect("the default project")
        .role_names()
        .map(str::to_string)
        .collect()
}

fn temporaries(home: &Path) -> usize {
    file_names(home)
        .iter()
        .filter(|n| n.starts_with("world.json.tmp"))
        .count()
}

fn start(home: &Path, script: &Path) -> Child {
    command(home, &["-f", script.to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("odpsh starts")
}

/// Kills `child` once its save has created the temporary file (or returns if it ended first).
fn kill_when_saving(child: &mut Child, home: &Path) {
    loop {
        if child.try_wait().expect("try_wait").is_some() {
            return;
        }
        let saving = std::fs::read_dir(home).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("world.json.tmp.")
            })
        });
        if saving {
            let _ = child.kill();
            return;
        }
        std::thread::yield_now();
    }
}

#[test]
fn a_killed_odpsh_leaves_the_old_or_the_new_world() {
    let home = tempfile::tempdir().unwrap();
    let scripts = tempfile::tempdir().unwrap();
    let state = home.path().join("world.json");
    let base: String = (0..BASE_ROLES)
        .map(|i| format!("create role base_{i};\n"))
        .collect();
    let out = odpsh(home.path(), &[], Some(&base));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // One run to its end, to spread the kill points over the length of a run.
    let calibration = scripts.path().join("calibration.odps");
    std::fs::write(&calibration, script(RUNS)).unwrap();
    let started = Instant::now();
    let out = start(home.path(), &calibration)
        .wait_with_output()
        .expect("calibration run");
    assert!(out.status.success());
    let span = started.elapsed() * 3 / 2;

    let mut rng = Rng(SEED);
    let (mut kept_old, mut got_new, mut mid_save) = (0, 0, 0);
    let mut before = roles_in(&state, RUNS);
    for run in 0..RUNS {
        let old_bytes = std::fs::read(&state).unwrap();
        let path = scripts.path().join(format!("run{run}.odps"));
        std::fs::write(&path, script(run)).unwrap();
        let mut child = start(home.path(), &path);
        if run % 2 == 0 {
            std::thread::sleep(rng.below(span));
            let _ = child.kill();
        } else {
            kill_when_saving(&mut child, home.path());
        }
        child.wait().expect("odpsh reaped");

        let after = roles_in(&state, run);
        let added: BTreeSet<String> = (0..STATEMENTS).map(|i| format!("c{run}_{i}")).collect();
        if after == before {
            // Only a compaction rewrites the file, and it was either not begun or not finished.
            let journaled = home.path().join("world.json.journal").exists();
            if !journaled {
                assert_eq!(std::fs::read(&state).unwrap(), old_bytes, "run {run}");
            }
            kept_old += 1;
        } else {
            let expected: BTreeSet<String> = before.union(&added).cloned().collect();
            assert_eq!(
                after, expected,
                "run {run}: neither the old nor the new world"
            );
            got_new += 1;
        }
        before = after;
        if temporaries(home.path()) > 0 {
            mid_save += 1;
        }
        // Now and then, the binary itself loads what the kill left.
        if run % 40 == 39 {
            let out = odpsh(home.path(), &["-e", "whoami;"], None);
            assert_eq!(
                out.status.code(),
                Some(0),
                "run {run}: {}",
                text(&out.stderr)
            );
        }
    }
    eprintln!(
        "{RUNS} kills (seed {SEED:#x}): {kept_old} left the old world, {got_new} the new one, \
         {mid_save} left a temporary file behind"
    );

    // A run after all that works, and the leftovers of killed saves are gone.
    let out = odpsh(home.path(), &["-e", "create role after_the_kills;"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(roles_in(&state, RUNS).contains("after_the_kills"));
    let mut names = file_names(home.path());
    names.retain(|n| n != "world.json.journal");
    assert_eq!(
        names,
        ["world.json", "world.json.lock"],
        "leftovers after a clean run"
    );
}

/// Runs of this many statements commit to the journal (a few of them fill it, and the next one
/// compacts it into a snapshot).
const SHORT: usize = 12;
const SHORT_RUNS: usize = 120;

#[test]
fn a_kill_during_a_journal_append_or_a_compaction_leaves_the_old_or_the_new_world() {
    let home = tempfile::tempdir().unwrap();
    let scripts = tempfile::tempdir().unwrap();
    let state = home.path().join("world.json");
    let out = odpsh(home.path(), &["-e", "create role base;"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let calibration = scripts.path().join("calibration.odps");
    std::fs::write(&calibration, script_of(SHORT_RUNS, SHORT)).unwrap();
    let started = Instant::now();
    let out = start(home.path(), &calibration)
        .wait_with_output()
        .expect("calibration run");
    assert!(out.status.success());
    let span = started.elapsed() * 3 / 2;

    let mut rng = Rng(SEED ^ 0x10a5);
    let (mut kept_old, mut got_new, mut journaled) = (0, 0, 0);
    let mut before = roles_in(&state, SHORT_RUNS);
    for run in 0..SHORT_RUNS {
        let path = scripts.path().join(format!("run{run}.odps"));
        std::fs::write(&path, script_of(run, SHORT)).unwrap();
        let mut child = start(home.path(), &path);
        std::thread::sleep(rng.below(span));
        let _ = child.kill();
        child.wait().expect("odpsh reaped");
        let after = roles_in(&state, run);
        let added: BTreeSet<String> = (0..SHORT).map(|i| format!("c{run}_{i}")).collect();
        if after == before {
            kept_old += 1;
        } else {
            let expected: BTreeSet<String> = before.union(&added).cloned().collect();
            assert_eq!(
                after, expected,
                "run {run}: neither the old nor the new world"
            );
            got_new += 1;
        }
        if home.path().join("world.json.journal").exists() {
            journaled += 1;
        }
        before = after;
    }
    eprintln!(
        "{SHORT_RUNS} kills of short runs: {kept_old} left the old world, {got_new} the new \
         one, {journaled} left a journal"
    );
    assert!(journaled > 0, "no run committed to the journal");
    let out = odpsh(home.path(), &["-e", "create role after_the_kills;"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(roles_in(&state, SHORT_RUNS).contains("after_the_kills"));
}
