//! Issue 21 ("A shell for people") at a terminal: help at the prompt, words alone on a line,
//! Ctrl-D on a continuation line, completion that knows where it is (in the shell and in the
//! tutorial), and the history kept beside the --state file, never in a home directory.

mod common;

use common::pty::{PROMPT, Shell};

#[test]
fn help_at_the_prompt_and_words_alone_on_a_line() {
    let home = tempfile::tempdir().unwrap();
    let mut shell = Shell::fresh(home.path());
    shell.line("help;");
    shell.expect("odpsh's statements, family by family.");
    shell.expect("\r\nusers\r\n  list ( users | roles");
    shell.expect(PROMPT);
    shell.line("help create table;");
    shell.expect("create_table   = \"create\" , \"table\"");
    shell.expect("example: create table sales (id bigint, region string, amount double);");
    shell.expect(PROMPT);
    // Without its `;`, `help` answers at once instead of waiting for more.
    shell.line("help");
    shell.expect("odpsh's statements, family by family.");
    shell.expect(PROMPT);
    shell.line("?");
    shell.expect("odpsh's statements, family by family.");
    shell.expect(PROMPT);
    shell.line("lsit users;");
    shell.expect("Did you mean list?\r\n");
    shell.expect(PROMPT);
    // A lone `;` is ignored.
    shell.line(";");
    shell.expect(PROMPT);
    shell.line("exit");
    assert_eq!(shell.finish(), 0);
}

#[test]
fn ctrl_d_on_a_continuation_line_leaves_without_running_it() {
    let home = tempfile::tempdir().unwrap();
    let mut shell = Shell::start(&[], home.path());
    shell.expect(PROMPT);
    shell.line("create role never");
    shell.control('d');
    shell.expect("odpsh: the unfinished statement was not run\r\n");
    assert_eq!(shell.finish(), 0);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_odpsh"))
        .args(["-e", "list roles;"])
        .env("ODPSH_HOME", home.path())
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("never"));
}

#[test]
fn completion_knows_where_it_is() {
    let home = tempfile::tempdir().unwrap();
    let mut shell = Shell::fresh(home.path());
    shell.line("aliyun ram CreateUser --UserName bob");
    shell.expect("\"UserName\": \"bob\"");
    shell.expect(PROMPT);
    shell.line("create role analyst;");
    shell.expect("OK");
    shell.expect(PROMPT);
    // Only roles after `describe role`.
    shell.type_text("describe role ana\t");
    shell.expect("analyst ");
    shell.type_text(";\r");
    shell.expect("[users]");
    shell.expect(PROMPT);
    // Keywords in the case typed.
    shell.type_text("LIST US\t");
    shell.expect("USERS ");
    shell.type_text(";\r");
    shell.expect(PROMPT);
    // Only the product's own actions: DataWorks' DeleteProjectMember is not offered.
    shell.type_text("aliyun ram Del\t\t");
    let listed = shell.expect("DeleteUser");
    assert!(!listed.contains("DeleteProjectMember"), "{listed}");
    // The line editor draws the prompt and the line again under the list.
    shell.expect("aliyun ram Delete");
    shell.control('c');
    shell.expect(PROMPT);
    // The world's names after --UserName, principals after `to`.
    shell.type_text("aliyun ram GetUser --UserName b\t\r");
    shell.expect("\"UserName\": \"bob\"");
    shell.expect(PROMPT);
    shell.type_text("add user RAM$MainCount:b\t;\r");
    shell.expect("OK");
    shell.expect(PROMPT);
    shell.type_text("grant analyst to RAM$MainCount:b\t;\r");
    shell.expect("OK");
    shell.expect(PROMPT);
    shell.type_text("offboard b\t;\r");
    shell.expect("revoke analyst from RAM$MainCount:bob;");
    shell.expect(PROMPT);
    shell.line("quit;");
    assert_eq!(shell.finish(), 0);
}

#[test]
fn the_tutorial_completes_as_the_shell_does() {
    let home = tempfile::tempdir().unwrap();
    let mut shell = Shell::start(&["tutorial", "--lang", "en"], home.path());
    shell.expect("Step 1 of 17");
    shell.expect(PROMPT);
    shell.type_text("aliyun ram CreateAcc\t\r");
    shell.expect("Well done");
    shell.expect(PROMPT);
    shell.type_text("aliyun ram CreateUser --UserName hanmeimei\r");
    shell.expect("Well done");
    shell.expect(PROMPT);
    // Names of the tutorial's world, as the shell offers them.
    shell.type_text("aliyun ram GetUser --UserName han\t\r");
    shell.expect("\"UserName\": \"hanmeimei\"");
    shell.expect(PROMPT);
    shell.line("quit");
    shell.expect("The tutorial stopped at step 3 of 17. Run odpsh tutorial --step 3");
    assert_eq!(shell.finish(), 1);
}

/// Issue 21, item 4: with --state the history lives beside the state file; the home and data
/// directories stay empty.
#[test]
fn history_lives_beside_the_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let xdg = dir.path().join("xdg");
    let work = dir.path().join("work");
    for d in [&home, &xdg, &work] {
        std::fs::create_dir(d).unwrap();
    }
    let state = work.join("lesson.json");
    let mut shell = Shell::start_env(
        &["--state", state.to_str().unwrap()],
        &[("HOME", &home), ("XDG_DATA_HOME", &xdg)],
    );
    shell.expect(PROMPT);
    shell.line("create role kept;");
    shell.expect("OK");
    shell.expect(PROMPT);
    shell.line("quit;");
    assert_eq!(shell.finish(), 0);
    let history = std::fs::read_to_string(work.join("lesson.json.history")).unwrap();
    assert!(history.contains("create role kept;"), "{history}");
    assert_eq!(std::fs::read_dir(&home).unwrap().count(), 0);
    assert_eq!(std::fs::read_dir(&xdg).unwrap().count(), 0);
    // --history PATH puts it where it says.
    let elsewhere = dir.path().join("h.txt");
    let mut shell = Shell::start_env(
        &[
            "--state",
            state.to_str().unwrap(),
            "--history",
            elsewhere.to_str().unwrap(),
        ],
        &[("HOME", &home), ("XDG_DATA_HOME", &xdg)],
    );
    shell.expect(PROMPT);
    shell.line("list roles;");
    shell.expect("kept");
    shell.expect(PROMPT);
    shell.line("q");
    assert_eq!(shell.finish(), 0);
    assert!(
        std::fs::read_to_string(&elsewhere)
            .unwrap()
            .contains("list roles;")
    );
    assert_eq!(std::fs::read_dir(&home).unwrap().count(), 0);
}
