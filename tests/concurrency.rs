//! Several odpsh processes on one world (DESIGN.md §2): scripts are one transaction each and
//! hold the lock for their whole run; an interactive shell takes it for one statement at a
//! time, reloads what other processes saved, and never holds it while idle. Nothing is lost.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::pty::Shell;
use common::run::{command, odpsh, text};

const PROMPT: &str = "odps@ MaxCompute>";
/// A safety net against a hang, never a measure: the tests pass in a fraction of it.
const PATIENCE: Duration = Duration::from_secs(120);

/// Waits for `child` to end, failing the test if it hangs.
fn wait(mut child: Child, what: &str) -> std::process::Output {
    let start = Instant::now();
    loop {
        if child.try_wait().expect("try_wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("{what} did not end");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn roles(home: &std::path::Path) -> Vec<String> {
    let out = odpsh(home, &["-e", "list roles;"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    text(&out.stdout).lines().map(str::to_string).collect()
}

#[test]
fn four_piped_scripts_of_250_roles_each_lose_nothing() {
    let home = tempfile::tempdir().unwrap();
    let mut children = Vec::new();
    for worker in 0..4 {
        let child = command(home.path(), &[])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("odpsh starts");
        children.push((worker, child));
    }
    // All four are running before any has its script, so they compete for the lock.
    for (worker, child) in &mut children {
        let script: String = (0..250)
            .map(|i| format!("create role w{worker}_r{i:03};\n"))
            .collect();
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(script.as_bytes()).expect("script written");
    }
    for (worker, child) in children {
        let out = wait(child, &format!("script {worker}"));
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "OK\n".repeat(250));
    }
    let found = roles(home.path());
    for worker in 0..4 {
        for i in 0..250 {
            let role = format!("w{worker}_r{i:03}");
            assert!(found.contains(&role), "{role} was lost");
        }
    }
    assert_eq!(
        found.len(),
        1000 + 8,
        "the 1,000 roles and the 8 built-in ones"
    );
}

#[test]
fn many_short_scripts_from_parallel_processes_lose_nothing() {
    let home = tempfile::tempdir().unwrap();
    let workers: Vec<_> = (0..4)
        .map(|worker| {
            let home = home.path().to_path_buf();
            std::thread::spawn(move || {
                for run in 0..15 {
                    let script: String = (0..4)
                        .map(|i| format!("create role s{worker}_{run}_{i};"))
                        .collect();
                    let child = command(&home, &["-e", &script])
                        .stdin(Stdio::null())
                        .stdout(Stdio::piped())
                        .stderr(Stdio::piped())
                        .spawn()
                        .expect("odpsh starts");
                    let out = wait(child, "a short script");
                    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("worker");
    }
    let found = roles(home.path());
    assert_eq!(found.len(), 4 * 15 * 4 + 8, "{found:?}");
}

#[test]
fn a_script_waits_for_the_lock_and_then_loses_nothing() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("world.json");
    let store = odpsh::store::Store::new(state.clone());
    let lock = store.lock().expect("the test takes the lock");
    let mut child = command(home.path(), &["-e", "create role waited;"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("odpsh starts");
    // The script finds the lock taken, says so, and waits.
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    stderr.read_line(&mut line).expect("stderr line");
    assert_eq!(
        line,
        format!(
            "odpsh: waiting for another odpsh to finish with {}\n",
            state.display()
        )
    );
    assert!(!state.exists(), "the script saved without the lock");
    // Meanwhile this process saves a change of its own, as another shell would.
    let mut world = store.load().unwrap();
    world.endpoint = "http://changed-while-the-script-waited/api".into();
    store.save(&world).unwrap();
    drop(lock);
    let out = wait(child, "the waiting script");
    assert_eq!(out.status.code(), Some(0));
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).expect("stderr");
    assert_eq!(rest, "");
    let out = odpsh(home.path(), &["-e", "whoami; list roles;"], None);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("End_Point: http://changed-while-the-script-waited/api\n"),
        "{stdout}"
    );
    assert!(stdout.contains("\nwaited\n"), "{stdout}");
}

/// Whether the saved world's default project has `role`.
fn has_role(state: &std::path::Path, role: &str) -> bool {
    // The snapshot and the commits in its journal.
    let world = odpsh::store::Store::new(state.to_path_buf())
        .load()
        .unwrap();
    world.project("MaxCompute").unwrap().has_role(role)
}

fn shell(home: &std::path::Path) -> Shell {
    let mut shell = Shell::start(&[], home);
    shell.expect(PROMPT);
    shell
}

/// Runs `line` in `shell` and returns what it printed before the next prompt.
fn run(shell: &mut Shell, line: &str) -> String {
    shell.line(line);
    shell.expect(PROMPT)
}

#[test]
fn two_shells_taking_turns_see_each_others_changes() {
    let home = tempfile::tempdir().unwrap();
    let mut a = shell(home.path());
    let mut b = shell(home.path());
    assert!(run(&mut a, "create role made_by_a;").contains("OK"));
    let listed = run(&mut b, "list roles;");
    assert!(listed.contains("made_by_a"), "{listed}");
    assert!(run(&mut b, "aliyun ram CreateUser --UserName lilei").contains("\"lilei\""));
    assert!(run(&mut b, "add user RAM$MainCount:lilei;").contains("OK"));
    assert!(run(&mut b, "grant made_by_a to RAM$MainCount:lilei;").contains("OK"));
    // A was idle all along: its next statement sees B's changes.
    let described = run(&mut a, "describe role made_by_a;");
    assert!(
        described.contains("[users]\r\nRAM$MainCount:lilei\r\n"),
        "{described}"
    );
    // Each builds on the other: A revokes what B granted, B removes the user A freed.
    assert!(run(&mut a, "revoke made_by_a from RAM$MainCount:lilei;").contains("OK"));
    b.line("remove user RAM$MainCount:lilei;");
    b.expect("(yes/no)? ");
    b.line("yes");
    b.expect("OK");
    b.expect(PROMPT);
    let users = run(&mut a, "list users;");
    assert!(!users.contains("lilei"), "{users}");
    // A script runs while both shells sit at their prompts: neither holds the lock.
    let child = command(home.path(), &["-e", "create role from_a_script;"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("odpsh starts");
    let out = wait(child, "a script beside two idle shells");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(run(&mut a, "list roles;").contains("from_a_script"));
    assert!(run(&mut b, "list roles;").contains("from_a_script"));
    // All of it went to the journal beside the snapshot, read by each from the journal alone.
    assert!(home.path().join("world.json.journal").exists());
    a.line("quit;");
    b.line("quit;");
    assert_eq!(a.finish(), 0);
    assert_eq!(b.finish(), 0);
    let all = roles(home.path());
    assert!(all.contains(&"made_by_a".to_string()) && all.contains(&"from_a_script".to_string()));
    // A clean exit took the journal into one snapshot.
    assert!(!home.path().join("world.json.journal").exists());
}

#[test]
fn completion_offers_what_another_shell_made_while_this_one_was_idle() {
    let home = tempfile::tempdir().unwrap();
    let mut a = shell(home.path());
    let mut b = shell(home.path());
    assert!(run(&mut b, "create role made_while_a_idles;").contains("OK"));
    // A has run nothing since B's change; Tab still knows the new role.
    a.type_text("describe role made_while\t;\r");
    // (The prompt is drawn again as the line is edited: wait for the output itself.)
    let before = a.expect("[users]");
    assert!(before.contains("made_while_a_idles"), "{before}");
    a.expect(PROMPT);
    a.line("quit;");
    b.line("quit;");
    assert_eq!(a.finish(), 0);
    assert_eq!(b.finish(), 0);
}

#[test]
fn a_shell_statement_waits_for_the_lock_another_process_holds() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("world.json");
    let mut a = shell(home.path());
    assert!(run(&mut a, "create role before;").contains("OK"));
    let store = odpsh::store::Store::new(state.clone());
    let lock = store.lock().expect("the test takes the lock");
    a.line("create role during;");
    a.expect("odpsh: waiting for another odpsh to finish with");
    assert!(
        !has_role(&state, "during"),
        "the shell saved without the lock"
    );
    drop(lock);
    a.expect("OK");
    a.expect(PROMPT);
    a.line("quit;");
    assert_eq!(a.finish(), 0);
    assert!(has_role(&state, "during"));
}

#[test]
fn two_shells_keep_each_others_history() {
    let home = tempfile::tempdir().unwrap();
    let mut a = shell(home.path());
    let mut b = shell(home.path());
    assert!(run(&mut a, "create role history_a1;").contains("OK"));
    assert!(run(&mut b, "create role history_b1;").contains("OK"));
    assert!(run(&mut a, "create role history_a2;").contains("OK"));
    a.line("quit;");
    b.line("quit;");
    assert_eq!(a.finish(), 0);
    assert_eq!(b.finish(), 0);
    let history = std::fs::read_to_string(home.path().join("history.txt")).unwrap();
    for line in [
        "create role history_a1;",
        "create role history_b1;",
        "create role history_a2;",
    ] {
        assert!(history.contains(line), "{line} missing from {history}");
    }
}
