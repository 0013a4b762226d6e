//! Colour through the real binary: only on a terminal (`--color auto`, the default), never in
//! pipes or files unless `--color always`; `NO_COLOR` turns `auto` off; `never` is never.

mod common;

use std::process::Output;

use common::pty::Shell;
use common::run::{command, text};

const GREEN_OK: &str = "\u{1b}[32mOK\u{1b}[0m";
const RED_FAILED: &str = "\u{1b}[31mFAILED: Role does not exist: nope\u{1b}[0m";
const ESC: char = '\u{1b}';
const SCRIPT: &str = "create role a;\ndrop role nope;\naliyun ram GetUser --UserName nobody\n";

/// Runs the script piped, with `NO_COLOR` set to `no_color` or unset.
fn piped(args: &[&str], no_color: Option<&str>) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = command(home.path(), args);
    match no_color {
        Some(v) => cmd.env("NO_COLOR", v),
        None => cmd.env_remove("NO_COLOR"),
    };
    let script = home.path().join("script.odps");
    std::fs::write(&script, SCRIPT).unwrap();
    cmd.stdin(std::fs::File::open(&script).unwrap())
        .output()
        .unwrap()
}

#[test]
fn always_paints_ok_and_failures_even_in_a_pipe() {
    for no_color in [None, Some("1")] {
        let out = piped(&["--fresh", "--color", "always"], no_color);
        assert_eq!(text(&out.stdout), format!("{GREEN_OK}\n"), "{no_color:?}");
        let stderr = text(&out.stderr);
        assert!(stderr.starts_with(&format!("{RED_FAILED}\n")), "{stderr:?}");
        assert!(
            stderr.contains("\u{1b}[31mERROR: SDK.ServerError\u{1b}[0m\n"),
            "{stderr:?}"
        );
    }
}

#[test]
fn auto_and_never_print_no_escape_codes_in_a_pipe() {
    for args in [
        vec!["--fresh"],
        vec!["--fresh", "--color", "auto"],
        vec!["--fresh", "--color", "never"],
    ] {
        let out = piped(&args, None);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_eq!(stdout, "OK\n", "{args:?}");
        assert!(stderr.starts_with("FAILED: Role does not exist: nope\n"));
        assert!(
            !stdout.contains(ESC) && !stderr.contains(ESC),
            "{args:?}: {stderr:?}"
        );
    }
}

#[test]
fn json_is_never_painted() {
    let out = piped(
        &["--fresh", "--color", "always", "--format", "ndjson"],
        None,
    );
    assert!(!text(&out.stdout).contains(ESC), "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout).lines().count(), 3);
}

/// What an interactive shell prints for `create role a;`, escape codes kept.
fn shell_ok(args: &[&str], no_color: Option<&str>) -> String {
    let home = tempfile::tempdir().unwrap();
    let mut args = args.to_vec();
    args.push("--fresh");
    let mut shell = Shell::start_with(&args, home.path(), no_color, false);
    shell.expect("Ctrl-D to leave.");
    shell.expect(">");
    shell.line("create role a;");
    let mut printed = shell.expect("MaxCompute>");
    shell.line("describe role nope;");
    printed.push_str(&shell.expect("Role does not exist: nope"));
    shell.expect("MaxCompute>");
    shell.line("quit;");
    assert_eq!(shell.finish(), 0);
    printed
}

#[test]
fn a_terminal_gets_colour_unless_no_color_or_never() {
    let painted = shell_ok(&[], None);
    assert!(painted.contains(GREEN_OK), "{painted:?}");
    assert!(painted.ends_with("\u{1b}[31mFAILED: "), "{painted:?}");
    for (args, no_color) in [
        (vec![], Some("1")),
        (vec!["--color", "never"], None),
        (vec!["--color", "auto"], Some("yes")),
    ] {
        let plain = shell_ok(&args, no_color);
        assert!(plain.contains("OK\r\n"), "{args:?} {no_color:?}: {plain:?}");
        assert!(
            !plain.contains("\u{1b}[32m") && !plain.contains("\u{1b}[31m"),
            "{args:?} {no_color:?}: {plain:?}"
        );
    }
    // An empty NO_COLOR is not set (no-color.org).
    let painted = shell_ok(&[], Some(""));
    assert!(painted.contains(GREEN_OK), "{painted:?}");
}
