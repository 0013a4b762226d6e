//! The exact strings of the interactive shell, each in one place.

use crate::render::visible::visible;

/// The prompt, as old `odpscmd` and the seed documents show it.
pub fn prompt(project: &str) -> String {
    format!("odps@ {}>", visible(project))
}

/// The confirmation asked before `drop`, `delete` and `remove` statements (which ones, their
/// families say: `syntax::Input::asks_confirmation`), with the statement
/// as typed (its `;` included, line breaks kept, control characters as visible escapes: the
/// line editor prints this prompt itself).
pub fn confirm_prompt(typed: &str) -> String {
    format!("Confirm to \"{}\" (yes/no)? ", visible(typed))
}

/// The answer to a confirmation: `Some(true)` for yes, `Some(false)` for no, `None` to ask again.
pub fn confirm_answer(text: &str) -> Option<bool> {
    match text.trim().to_ascii_uppercase().as_str() {
        "Y" | "YES" => Some(true),
        "N" | "NO" => Some(false),
        _ => None,
    }
}

/// Printed (to stderr) when the interactive shell starts.
pub fn banner(version: &str) -> String {
    format!(
        "odpsh {version}: an offline MaxCompute security shell over a simulated Alibaba Cloud account.\nStatements end with ';'. Type quit; or press Ctrl-D to leave.\nType help; for the statements, explain; after a failure to see why; run odpsh tutorial for the lessons.\n"
    )
}

/// Printed (to stderr) once, after the first failure of an interactive session.
pub const EXPLAIN_HINT: &str = "(type explain; to see why and how to fix it)\n";

/// Printed (to stderr) when Ctrl-D leaves the shell on the continuation line of a statement.
pub const UNFINISHED_NOT_RUN: &str = "odpsh: the unfinished statement was not run\n";

/// What a word alone on an empty line of the interactive shell does, without its `;`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoneWord {
    Leave,
    Help,
}

/// `quit`, `exit`, `q`, `\q` leave; `help`, `h`, `?`, `\h`, `-h`, `--help` help (as psql and
/// odpscmd users type them). With a `;` they are statements (`quit;`, `help;`) or, for
/// `exit;` and `\q;`, syntax errors, as in odpscmd.
pub fn lone_word(input: &str) -> Option<LoneWord> {
    match input.trim().to_ascii_lowercase().as_str() {
        "quit" | "exit" | "q" | "\\q" => Some(LoneWord::Leave),
        "help" | "h" | "?" | "\\h" | "-h" | "--help" => Some(LoneWord::Help),
        _ => None,
    }
}

/// Printed (to stderr, after the reason) when odpsh refuses to load a world file. `state` is
/// the `--state` path, when one was given.
pub fn refused_world_advice(state: Option<&std::path::Path>) -> String {
    let odpsh = match state {
        Some(path) => format!("odpsh --state {}", path.display()),
        None => "odpsh".to_string(),
    };
    format!(
        "the file is left as it is: repair it, or replace it with `{odpsh} world import <file>` or `{odpsh} world reset`"
    )
}

/// Printed (to stderr) when `world import` replaced the saved world.
pub fn imported(file: &std::path::Path, saved: &std::path::Path) -> String {
    format!("imported {} into {}", file.display(), saved.display())
}

/// Printed (to stderr) when `odpsh import` saved the world it built.
pub fn captures_imported(files: usize, saved: &std::path::Path) -> String {
    let s = if files == 1 { "" } else { "s" };
    format!("imported {files} capture{s} into {}", saved.display())
}

/// Printed (to stderr) when `world reset` replaced the saved world.
pub fn reset_done(saved: &std::path::Path) -> String {
    format!("{} now holds the default world", saved.display())
}

/// Printed (to stderr) for `world import` or `world reset` with `--fresh`.
pub const FRESH_HAS_NO_SAVED_WORLD: &str = "--fresh keeps no saved world to import into or reset";

/// Printed (to stderr, after the reason) when `world import` refuses a file.
pub fn nothing_imported(saved: &std::path::Path) -> String {
    format!("nothing was imported; {} is as it was", saved.display())
}

/// Printed (to stderr) while another process holds the world's lock.
pub fn waiting_for_lock(saved: &std::path::Path) -> String {
    format!(
        "odpsh: waiting for another odpsh to finish with {}\n",
        saved.display()
    )
}

/// Printed (to stderr) when the interactive shell could not read the world before a statement.
pub fn statement_not_run(error: &str) -> String {
    format!("odpsh: {error}; the statement did not run\n")
}

/// Printed (to stderr) when the interactive shell ran a statement but could not save the world:
/// the shell goes on from the file as it is.
pub fn change_not_saved(error: &str) -> String {
    format!("odpsh: {error}; the change is not saved\n")
}

/// Printed (to stderr) by `odpsh offboard USER --run` when it cannot ask.
pub const OFFBOARD_NEEDS_YES: &str = "offboard --run asks before it runs, and standard input is not a terminal: pass --yes to run the plan without asking";

/// Printed (to stderr) when the answer to `offboard --run`'s question is no.
pub const NOTHING_WAS_RUN: &str = "nothing was run";

/// The command `odpsh offboard USER --run` quotes in its confirmation.
pub fn offboard_typed(user: &str) -> String {
    format!("offboard {user} --run")
}

/// Printed (to stderr) when `offboard`'s argument is not a user name.
pub fn not_a_user(text: &str, error: &str) -> String {
    format!("'{text}' is not a user name: {error}")
}

/// Printed (to stderr) when the script `check` was given cannot start (its project).
pub fn check_cannot_start(file: &str) -> String {
    format!("check: {file} cannot start in this project; nothing was checked")
}

/// The first line `odpsh serve` prints (to stdout): where it answers, the region V4 signatures
/// must name, the connection cap, and the world file (last: a path may hold blanks).
pub fn serve_banner(endpoint: &str, world: &str, region: &str, max_connections: usize) -> String {
    format!(
        "odpsh serve: endpoint {endpoint} region {region} max-connections {max_connections} world {world}"
    )
}

/// Printed (to stderr) when `--format` names a format the command does not print in.
pub fn misplaced_format(word: &str) -> String {
    if word == "text" {
        "odpsh graph draws in dot, mermaid, svg, json or ndjson, not text".to_string()
    } else {
        format!("--format {word} is for odpsh graph only")
    }
}

/// Printed (to stderr) when `graph --diff` names a file that is not there.
pub fn graph_no_world_file(path: &std::path::Path) -> String {
    format!("graph --diff: no world file at {}", path.display())
}

/// Printed (to stdout) after the serve banner with `--ui`: where the page is, with its token.
pub fn serve_ui_banner(url: &str) -> String {
    format!("odpsh serve: access graph at {url}")
}

/// Printed (to stderr) when standard output could not be written (a full disk, a device
/// error); the exit code is then 2. A reader that closed the pipe is not reported.
pub fn cannot_write_stdout(error: &str) -> String {
    format!("cannot write to standard output: {error}")
}

/// Printed (to stderr) when the line editor cannot read or write the terminal.
pub fn terminal_failed(error: &str) -> String {
    format!("the terminal failed: {error}")
}

/// Printed (to stderr) when `--config=<path>` cannot be read; odpsh then runs nothing.
pub fn cannot_read_config(path: &str, error: &std::io::Error) -> String {
    format!("cannot read the odpscmd config {path}: {error}")
}

/// Printed (to stderr) when an odpscmd config holds keys odpsh does not simulate.
pub fn config_keys_ignored(path: &str, keys: &[&str]) -> String {
    format!(
        "{path}: ignored (odpsh simulates the service offline): {}",
        keys.join(", ")
    )
}

/// Printed (to stderr) when `-k N` names a statement the script does not have (odpscmd's
/// `invalid NUM for option k`).
pub fn start_beyond_the_script(n: u64, count: usize) -> String {
    let statements = if count == 1 {
        "statement"
    } else {
        "statements"
    };
    format!("invalid NUM for option k: {n}, the script has {count} {statements}; nothing was run")
}

/// Printed (to stderr) when `odpsh tutorial` is given flags it does not honour.
pub fn tutorial_refuses(flags: &[&str]) -> String {
    format!(
        "tutorial always starts from the default world as the main account, prints text and saves nothing: it does not take {}",
        flags.join(", ")
    )
}

/// Printed (to stderr) for `odpsh tutorial --step N` beyond its last step.
pub fn tutorial_has_steps(count: usize) -> String {
    format!("tutorial --step takes 1 to {count}")
}

/// The first lines of `help;`.
pub const HELP_INTRO: &str = "odpsh's statements, family by family. A statement ends at ';' and may span lines; an aliyun console command ends at the end of its line.\nhelp <words>; shows the statements with those words, each with its grammar and examples (help grant; help create table; help aliyun ram CreateUser;); help usage; shows the command line.\n";

/// The last line of `help;`.
pub const HELP_OUTRO: &str = "\nAfter a failure, explain; says why and how to fix it. odpsh tutorial walks through the seed documents step by step. quit; (or Ctrl-D) leaves.\n";

/// Before each example `help <words>;` shows.
pub const HELP_EXAMPLE: &str = "example: ";

/// `help <words>;` when no statement has the words.
pub fn help_nothing_found(words: &str, suggestion: Option<&str>) -> String {
    let mean = suggestion.map_or_else(String::new, |s| format!(" Did you mean {s}?"));
    format!("No statement has the words '{words}'.{mean} help; lists every statement.\n")
}

/// Printed (to stderr) after a syntax error in a statement's first word that is near a
/// statement word.
pub fn did_you_mean(word: &str) -> String {
    format!("Did you mean {word}?\n")
}

/// What a script with a quote left open expected, in its parse error.
pub fn closing_quote(quote: char) -> String {
    format!("a closing {quote}")
}

/// What a script with a quote left open found instead.
pub const END_OF_SCRIPT: &str = "the end of the script";

/// Printed (to stderr) after the parse error of a script with a quote left open: as odpscmd
/// (`string not closed`), nothing runs.
pub fn quote_not_closed(quote: char, line: usize, column: usize) -> String {
    format!(
        "string not closed: the {quote} at line {line}, column {column} opens a string that never ends; nothing was run"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_serve_banner_names_endpoint_region_cap_and_world() {
        assert_eq!(
            serve_banner(
                "http://127.0.0.1:8080/api",
                "/w/world.json",
                "cn-hangzhou",
                512
            ),
            "odpsh serve: endpoint http://127.0.0.1:8080/api region cn-hangzhou max-connections 512 world /w/world.json"
        );
    }

    #[test]
    fn a_lost_output_is_reported_exactly() {
        assert_eq!(
            cannot_write_stdout("No space left on device (os error 28)"),
            "cannot write to standard output: No space left on device (os error 28)"
        );
        assert_eq!(terminal_failed("x"), "the terminal failed: x");
    }

    #[test]
    fn store_problems_say_what_became_of_the_file() {
        use std::path::Path;
        assert_eq!(
            refused_world_advice(None),
            "the file is left as it is: repair it, or replace it with `odpsh world import <file>` or `odpsh world reset`"
        );
        assert_eq!(
            refused_world_advice(Some(Path::new("w.json"))),
            "the file is left as it is: repair it, or replace it with `odpsh --state w.json world import <file>` or `odpsh --state w.json world reset`"
        );
        assert_eq!(
            nothing_imported(Path::new("/h/world.json")),
            "nothing was imported; /h/world.json is as it was"
        );
        assert_eq!(
            statement_not_run("x"),
            "odpsh: x; the statement did not run\n"
        );
        assert_eq!(change_not_saved("x"), "odpsh: x; the change is not saved\n");
    }

    #[test]
    fn teach_command_texts_are_exact() {
        assert_eq!(
            confirm_prompt(&offboard_typed("hanmeimei")),
            "Confirm to \"offboard hanmeimei --run\" (yes/no)? "
        );
        assert_eq!(
            OFFBOARD_NEEDS_YES,
            "offboard --run asks before it runs, and standard input is not a terminal: pass --yes to run the plan without asking"
        );
        assert_eq!(
            not_a_user("a b", "expected x, found y"),
            "'a b' is not a user name: expected x, found y"
        );
        assert_eq!(
            check_cannot_start("x.odps"),
            "check: x.odps cannot start in this project; nothing was checked"
        );
    }

    #[test]
    fn script_and_config_texts_are_exact() {
        assert_eq!(
            config_keys_ignored("c.ini", &["https_check", "log_view_host"]),
            "c.ini: ignored (odpsh simulates the service offline): https_check, log_view_host"
        );
        assert_eq!(
            start_beyond_the_script(9, 3),
            "invalid NUM for option k: 9, the script has 3 statements; nothing was run"
        );
        assert_eq!(closing_quote('\''), "a closing '");
        assert_eq!(
            quote_not_closed('"', 2, 14),
            "string not closed: the \" at line 2, column 14 opens a string that never ends; nothing was run"
        );
    }

    #[test]
    fn prompt_and_confirmation_texts_are_exact() {
        assert_eq!(prompt("MaxCompute"), "odps@ MaxCompute>");
        assert_eq!(
            confirm_prompt("remove user p4_2652900123456789\n;"),
            "Confirm to \"remove user p4_2652900123456789\n;\" (yes/no)? "
        );
        assert_eq!(
            confirm_prompt("drop role r\u{1b}[2J;"),
            "Confirm to \"drop role r\\x1b[2J;\" (yes/no)? "
        );
        assert_eq!(prompt("Max\u{0}Compute"), "odps@ Max\\x00Compute>");
    }

    #[test]
    fn help_and_tutorial_texts_are_exact() {
        assert_eq!(did_you_mean("list"), "Did you mean list?\n");
        assert_eq!(
            help_nothing_found("grnat", Some("grant")),
            "No statement has the words 'grnat'. Did you mean grant? help; lists every statement.\n"
        );
        assert_eq!(
            help_nothing_found("zz", None),
            "No statement has the words 'zz'. help; lists every statement.\n"
        );
        assert_eq!(
            tutorial_refuses(&["--state", "-u/-p"]),
            "tutorial always starts from the default world as the main account, prints text and saves nothing: it does not take --state, -u/-p"
        );
        assert_eq!(tutorial_has_steps(16), "tutorial --step takes 1 to 16");
        assert_eq!(
            UNFINISHED_NOT_RUN,
            "odpsh: the unfinished statement was not run\n"
        );
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert!(
            cannot_read_config("c.ini", &missing)
                .starts_with("cannot read the odpscmd config c.ini: ")
        );
        assert_eq!(HELP_EXAMPLE, "example: ");
        assert!(HELP_INTRO.starts_with("odpsh's statements, family by family."));
        assert!(HELP_OUTRO.contains("explain;") && HELP_OUTRO.contains("odpsh tutorial"));
    }

    #[test]
    fn lone_words_leave_or_help() {
        for word in ["quit", "EXIT", " q ", "\\q"] {
            assert_eq!(lone_word(word), Some(LoneWord::Leave), "{word}");
        }
        for word in ["help", "H", "?", "\\h", "-h", "--help"] {
            assert_eq!(lone_word(word), Some(LoneWord::Help), "{word}");
        }
        for word in ["quit;", "exit;", "help;", "quit now", "?;"] {
            assert_eq!(lone_word(word), None, "{word}");
        }
        assert_eq!(
            EXPLAIN_HINT,
            "(type explain; to see why and how to fix it)\n"
        );
        assert!(banner("1").contains("help;") && banner("1").contains("odpsh tutorial"));
    }

    #[test]
    fn answers_are_read_like_odpscmd() {
        assert_eq!(confirm_answer(" yes "), Some(true));
        assert_eq!(confirm_answer("Y"), Some(true));
        assert_eq!(confirm_answer("no"), Some(false));
        assert_eq!(confirm_answer("n"), Some(false));
        assert_eq!(confirm_answer("maybe"), None);
        assert_eq!(confirm_answer(""), None);
    }
}
