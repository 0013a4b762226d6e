//! Scale figures for the README's performance table, measured through the built binary.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example bench_scale -- report [--sizes 10000,100000,1000000] [--runs 7]
//! cargo run --release --example bench_scale -- world N PATH      # a world of N principals
//! cargo run --release --example bench_scale -- workload USERS PATH  # the per-user workload
//! ```
//!
//! `report` times `target/release/odpsh` (or `--bin PATH`) many times and prints medians: process
//! start-up, the interactive shell's first prompt (in a pseudo-terminal), then for each world
//! size the load and save of the state file (in this process, through `odpsh::store`), `list
//! users`, `show grants for` and `describe role` through the binary with their peak memory, and
//! the per-statement cost of the workload; last, the workload end to end through `-f`. The world
//! shape and the workload are in `benches/support/generate.rs`. Nothing here asserts a time.

#[path = "../benches/support/generate.rs"]
mod generate;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use odpsh::store::Store;

fn usage() -> ! {
    eprintln!(
        "usage: bench_scale report [--sizes N,N,…] [--runs R] [--users U] [--bin PATH]\n       bench_scale world N PATH\n       bench_scale workload USERS PATH"
    );
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("world") if args.len() == 3 => {
            let n = parse(&args[1]);
            let world = generate::world(n);
            let path = PathBuf::from(&args[2]);
            if path.extension().is_some_and(|e| e == "json") {
                write_or_die(&path, odpsh::store::export_text(&world).as_bytes());
            } else if let Err(e) = Store::new(path).save(&world) {
                die(&e.to_string());
            }
        }
        Some("workload") if args.len() == 3 => {
            let users = parse(&args[1]);
            let text = generate::workload_setup() + &generate::workload(0, users);
            write_or_die(Path::new(&args[2]), text.as_bytes());
        }
        Some("report") => report(&args[1..]),
        _ => usage(),
    }
}

fn die(text: &str) -> ! {
    eprintln!("bench_scale: {text}");
    std::process::exit(1)
}

fn parse(text: &str) -> usize {
    text.replace('_', "")
        .parse()
        .unwrap_or_else(|_| die(&format!("not a number: {text}")))
}

fn write_or_die(path: &Path, bytes: &[u8]) {
    if let Err(e) = std::fs::write(path, bytes) {
        die(&format!("cannot write {}: {e}", path.display()));
    }
}

struct Options {
    sizes: Vec<usize>,
    runs: usize,
    users: usize,
    bin: PathBuf,
}

fn options(args: &[String]) -> Options {
    let mut o = Options {
        sizes: vec![10_000, 100_000, 1_000_000],
        runs: 7,
        users: 100_000,
        bin: PathBuf::from("target/release/odpsh"),
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| usage());
        match flag.as_str() {
            "--sizes" => o.sizes = value.split(',').map(parse).collect(),
            "--runs" => o.runs = parse(value).max(1),
            "--users" => o.users = parse(value).max(1),
            "--bin" => o.bin = PathBuf::from(value),
            _ => usage(),
        }
    }
    if !o.bin.exists() {
        die(&format!(
            "{} does not exist: run `cargo build --release` first",
            o.bin.display()
        ));
    }
    o
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// One run of the binary: wall time and peak resident memory (bytes), from `wait4`.
// The child is waited for by `wait4` (which also reports its peak memory), not `Child::wait`.
#[allow(clippy::zombie_processes)]
fn run(bin: &Path, args: &[&str]) -> (Duration, u64) {
    let start = Instant::now();
    let child = Command::new(bin)
        .args(args)
        .env("ODPSH_HOME", std::env::temp_dir().join("odpsh-bench-home"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| die(&format!("cannot start {}: {e}", bin.display())));
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child, not yet waited for; status and usage are valid out-pointers.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    if waited != pid || !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        die(&format!(
            "{} {args:?} failed (status {status})",
            bin.display()
        ));
    }
    (elapsed, usage.ru_maxrss.max(0) as u64 * 1024)
}

/// Median wall time and the largest peak memory over `runs` runs.
fn runs(o: &Options, args: &[&str]) -> (Duration, u64) {
    let mut times = Vec::new();
    let mut peak = 0;
    for _ in 0..o.runs {
        let (t, rss) = run(&o.bin, args);
        times.push(t);
        peak = peak.max(rss);
    }
    (median(times), peak)
}

/// Time from starting `odpsh --fresh` in a pseudo-terminal to its first prompt.
fn first_prompt(bin: &Path) -> Duration {
    let mut command = Command::new(bin);
    command.arg("--fresh");
    let start = Instant::now();
    let process = rexpect::process::PtyProcess::new(command)
        .unwrap_or_else(|e| die(&format!("cannot start a pseudo-terminal: {e}")));
    let mut pty = process
        .get_file_handle()
        .unwrap_or_else(|e| die(&format!("no pseudo-terminal handle: {e}")));
    let prompt = b"odps@ MaxCompute>";
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let elapsed = loop {
        match pty.read(&mut buf) {
            Ok(0) | Err(_) => die("the shell ended before its prompt"),
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
        if seen.windows(prompt.len()).any(|w| w == prompt) {
            break start.elapsed();
        }
    };
    let _ = pty.write_all(b"quit;\r");
    let _ = process.wait();
    elapsed
}

fn row(what: &str, figure: String, target: &str) {
    println!("| {what} | {figure} | {target} |");
}

fn report(args: &[String]) {
    let o = options(args);
    let dir = tempfile::tempdir().unwrap_or_else(|e| die(&format!("no temporary directory: {e}")));
    let bin = o.bin.display().to_string();
    println!("| What | Figure | Target |\n|---|---|---|");

    let (startup, _) = runs(&o, &["--fresh", "-e", "whoami;"]);
    row(
        &format!(
            "start-up: `{bin} --fresh -e 'whoami;'` (median of {})",
            o.runs
        ),
        ms(startup),
        "≤ 5 ms",
    );
    let prompts: Vec<Duration> = (0..o.runs).map(|_| first_prompt(&o.bin)).collect();
    row(
        "start-up: interactive `odpsh --fresh` to its first prompt (pseudo-terminal)",
        ms(median(prompts)),
        "≤ 5 ms",
    );

    let mut per_statement = Vec::new();
    let mut sizes = o.sizes.clone();
    if !sizes.contains(&1000) {
        sizes.insert(0, 1000);
    }
    for &n in &sizes {
        size_rows(&o, dir.path(), n, &mut per_statement);
    }
    if let (Some(first), Some(last)) = (per_statement.first(), per_statement.last()) {
        row(
            &format!("per-statement cost, {} → {} principals", first.0, last.0),
            format!(
                "{:.2}× ({} → {})",
                last.1 / first.1,
                ns(first.1),
                ns(last.1)
            ),
            "within 2×",
        );
    }

    // The workload end to end: a new state file, one load, every statement, one save.
    let script = dir.path().join("workload.odps");
    let text = generate::workload_setup() + &generate::workload(0, o.users);
    write_or_die(&script, text.as_bytes());
    let statements = 1 + o.users * generate::WORKLOAD_PER_USER;
    let mut times = Vec::new();
    for i in 0..o.runs {
        let state = dir.path().join(format!("end_to_end_{i}.odpsh"));
        let (t, _) = run(&o.bin, &["--state", path(&state), "-f", path(&script)]);
        times.push(t);
    }
    let t = median(times);
    row(
        &format!("workload end to end: `odpsh --state new -f` of {statements} statements"),
        format!(
            "{:.0} statements/s ({})",
            statements as f64 / t.as_secs_f64(),
            ms(t)
        ),
        "≥ 250,000/s",
    );
}

fn path(p: &Path) -> &str {
    p.to_str()
        .unwrap_or_else(|| die("a temporary path is not UTF-8"))
}

fn ns(seconds: f64) -> String {
    format!("{:.0} ns", seconds * 1e9)
}

/// The rows for one world size; pushes (size, seconds per workload statement).
fn size_rows(o: &Options, dir: &Path, n: usize, per_statement: &mut Vec<(usize, f64)>) {
    let state = dir.join(format!("world_{n}.odpsh"));
    let world = generate::world(n);
    let store = Store::new(state.clone());
    let mut saves = Vec::new();
    {
        let _lock = store.lock().unwrap_or_else(|e| die(&e.to_string()));
        for _ in 0..o.runs {
            let start = Instant::now();
            store.save(&world).unwrap_or_else(|e| die(&e.to_string()));
            saves.push(start.elapsed());
        }
    }
    drop(world);
    let mut loads = Vec::new();
    for _ in 0..o.runs {
        let start = Instant::now();
        let world = store.load().unwrap_or_else(|e| die(&e.to_string()));
        loads.push(start.elapsed());
        drop(world);
    }
    let bytes = std::fs::metadata(&state).map_or(0, |m| m.len());
    let label = |what: &str| format!("{n} principals: {what}");
    row(
        &label("load of the state file (`Store::load`)"),
        format!(
            "{} ({} bytes/principal on disk)",
            ms(median(loads)),
            bytes / n as u64
        ),
        if n == 100_000 { "≤ 150 ms" } else { "" },
    );
    row(
        &label("save of the state file (`Store::save`, fsync included)"),
        ms(median(saves)),
        if n == 100_000 { "≤ 150 ms" } else { "" },
    );
    let s = path(&state);
    let (list, rss) = runs(o, &["--state", s, "-e", "list users;"]);
    row(
        &label("`odpsh --state W -e 'list users;'` (load included)"),
        format!("{} (peak {} bytes/principal)", ms(list), rss / n as u64),
        if n == 1_000_000 {
            "≤ 1 s; ≤ 400 B/principal"
        } else {
            ""
        },
    );
    let grants = format!(
        "show grants for RAM$MainCount:{};",
        generate::user_name(n / 2)
    );
    let (t, _) = runs(o, &["--state", s, "-e", &grants]);
    row(
        &label("`show grants for` one member (load included)"),
        ms(t),
        "",
    );
    let describe = format!("describe role {};", generate::ROLE);
    let (t, _) = runs(o, &["--state", s, "-e", &describe]);
    row(
        &label("`describe role` of the role every member holds (load included)"),
        ms(t),
        "",
    );
    let (change, rss) = runs(
        o,
        &[
            "--state",
            s,
            "-e",
            "create role bench_once; drop role bench_once;",
        ],
    );
    row(
        &label("a one-statement change (load, run, append to the journal)"),
        format!("{} (peak {} bytes/principal)", ms(change), rss / n as u64),
        if n == 1_000_000 {
            "≤ 400 B/principal"
        } else {
            ""
        },
    );

    // Per-statement cost of the workload in this world: a run of it less a run of its first
    // half, over the statements between. Both are past the journal's bound (a script of more
    // than `TAPE_LIMIT` changes saves the world whole), so load and save cancel out; a short
    // run would only append to the journal and leave the save in the figure.
    let users = (o.users / 10).max(2);
    let workload = |users: usize| {
        let script = dir.join(format!("workload_{n}_{users}.odps"));
        let text = generate::workload_setup() + &generate::workload(0, users);
        write_or_die(&script, text.as_bytes());
        runs(o, &["--state", s, "-f", path(&script)]).0
    };
    let half = workload(users / 2);
    let with = workload(users);
    let statements = 1 + users * generate::WORKLOAD_PER_USER;
    let between = (users - users / 2) * generate::WORKLOAD_PER_USER;
    let cost = (with.saturating_sub(half)).as_secs_f64() / between as f64;
    row(
        &label(&format!(
            "workload of {statements} statements through `-f`, less a run of its first half"
        )),
        format!("{} per statement ({})", ns(cost), ms(with)),
        "",
    );
    per_statement.push((n, cost));
    let _ = std::fs::remove_file(&state);
}
