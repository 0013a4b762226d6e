//! Issue 12, finding 12: a closed or full standard output, through the real binary. A reader
//! that went away ends odpsh quietly with the exit code it had; any other write error makes it
//! exit 2 and say so on stderr. Either way nothing panics, and the changes of the statements
//! that ran are saved.

mod common;

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use common::run::{command, odpsh, text};

/// A standard output whose reader is gone before odpsh writes a byte.
fn closed_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    Stdio::from(writer)
}

/// A standard output on which every write fails (`No space left on device`).
fn full() -> Stdio {
    let file = OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full opens");
    Stdio::from(file)
}

/// Runs `odpsh` with `args`, `stdin` piped in, stdout to `stdout`, stderr captured.
fn run(home: &Path, args: &[&str], stdin: Option<&str>, stdout: Stdio) -> Output {
    let mut child = command(home, args)
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("odpsh starts");
    let mut pipe = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        // A command that stopped reading is no failure here.
        let _ = pipe.write_all(text.as_bytes());
    }
    drop(pipe);
    child.wait_with_output().expect("odpsh ends")
}

/// A world at `state` with the RAM user `han`, a member of the project with a role.
fn world_with_han(home: &Path, state: &str) {
    let setup = "aliyun ram CreateUser --UserName han\n\
                 add user RAM$MainCount:han;\n\
                 grant role_project_dev to RAM$MainCount:han;\n";
    let out = odpsh(home, &["--state", state], Some(setup));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// What `list users;` and `list roles;` print in the world at `state`.
fn listed(home: &Path, state: &str) -> String {
    let out = odpsh(
        home,
        &["--state", state, "-e", "list users; list roles;"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// A script of `n` new roles, then enough listing to outgrow any pipe and buffer.
fn big_script(n: usize) -> String {
    let mut script: String = (0..n).map(|i| format!("create role r{i};\n")).collect();
    script.push_str(&"list roles;\n".repeat(200));
    script
}

fn assert_no_panic(out: &Output) {
    let stderr = text(&out.stderr);
    assert_ne!(out.status.code(), Some(101), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_reader_that_closes_early_ends_quietly_and_the_changes_are_saved() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path();
    let script_file = dir.join("big.odps");
    let script = big_script(300);
    std::fs::write(&script_file, &script).unwrap();
    let script_path = script_file.to_str().unwrap();

    // -e, -f and piped standard input: every statement runs, the world is saved, nothing said.
    for (n, (args, stdin)) in [
        (vec!["-e", script.as_str()], None),
        (vec!["-f", script_path], None),
        (vec![], Some(script.as_str())),
    ]
    .into_iter()
    .enumerate()
    {
        let state = dir.join(format!("w{n}.json"));
        let state = state.to_str().unwrap();
        let mut all = vec!["--state", state];
        all.extend(args);
        let out = run(dir, &all, stdin, closed_pipe());
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(0), "{all:?}: {}", text(&out.stderr));
        assert_eq!(text(&out.stderr), "", "{all:?}");
        let roles = listed(dir, state);
        assert!(
            roles.contains("\nr0\n") && roles.contains("\nr299\n"),
            "{roles}"
        );
    }

    // A failing statement keeps its exit code.
    let out = run(
        dir,
        &["--fresh", "-e", "drop role nope;"],
        None,
        closed_pipe(),
    );
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));

    // offboard --run --yes (`| head -1`): the plan runs and is saved; exit 0, quietly.
    let state = dir.join("han.json");
    let state = state.to_str().unwrap();
    world_with_han(dir, state);
    assert!(listed(dir, state).contains("RAM$MainCount:han\n"));
    let out = run(
        dir,
        &["--state", state, "offboard", "han", "--run", "--yes"],
        None,
        closed_pipe(),
    );
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    assert!(!listed(dir, state).contains("han"));

    // check, world export and the tutorial.
    let check = run(dir, &["--fresh", "check", script_path], None, closed_pipe());
    let export = run(dir, &["--fresh", "world", "export"], None, closed_pipe());
    let tutorial = run(
        dir,
        &["tutorial", "--lang", "en"],
        Some("quit;\n"),
        closed_pipe(),
    );
    for (out, code) in [(check, 0), (export, 0), (tutorial, 1)] {
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(code), "{}", text(&out.stderr));
        assert_eq!(text(&out.stderr), "");
    }
}

#[test]
fn a_full_standard_output_exits_2_and_says_so_and_the_changes_are_saved() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path();
    let says = "odpsh: cannot write to standard output: No space left on device";
    let script_file = dir.join("small.odps");
    std::fs::write(&script_file, "create role kept;\nlist roles;\n").unwrap();
    let script_path = script_file.to_str().unwrap();

    for (n, (args, stdin)) in [
        (vec!["-e", "create role kept; list roles;"], None),
        (vec!["-f", script_path], None),
        (vec![], Some("create role kept;\nlist roles;\n")),
    ]
    .into_iter()
    .enumerate()
    {
        let state = dir.join(format!("w{n}.json"));
        let state = state.to_str().unwrap();
        let mut all = vec!["--state", state];
        all.extend(args);
        let out = run(dir, &all, stdin, full());
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(2), "{all:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).starts_with(says), "{}", text(&out.stderr));
        assert!(listed(dir, state).contains("\nkept\n"));
    }

    // `-e 'offboard han run;'` and `offboard han --run --yes`: run, saved, exit 2.
    for (n, args) in [
        vec!["-e", "offboard han run;"],
        vec!["offboard", "han", "--run", "--yes"],
    ]
    .into_iter()
    .enumerate()
    {
        let state = dir.join(format!("han{n}.json"));
        let state = state.to_str().unwrap();
        world_with_han(dir, state);
        let mut all = vec!["--state", state];
        all.extend(args);
        let out = run(dir, &all, None, full());
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(2), "{all:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(says), "{}", text(&out.stderr));
        assert!(!listed(dir, state).contains("han"), "{all:?}");
    }

    // check, world export, the tutorial and serve's endpoint line.
    for args in [
        vec!["--fresh", "check", script_path],
        vec!["--fresh", "world", "export"],
        vec!["tutorial", "--lang", "en"],
        vec!["--fresh", "serve", "--bind", "127.0.0.1:0"],
    ] {
        let out = run(dir, &args, Some("quit;\n"), full());
        assert_no_panic(&out);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(text(&out.stderr).contains(says), "{}", text(&out.stderr));
    }
}

#[test]
fn a_full_standard_error_exits_2_without_a_panic() {
    let home = tempfile::tempdir().unwrap();
    let out = command(
        home.path(),
        &["--fresh", "-e", "create role a; drop role nope;"],
    )
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(full())
    .output()
    .unwrap();
    assert_ne!(out.status.code(), Some(101));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "OK\n");
}
