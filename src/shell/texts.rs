//! The exact strings of the interactive shell, each in one place.

/// The prompt, as old `odpscmd` and the seed documents show it.
pub fn prompt(project: &str) -> String {
    format!("odps@ {project}>")
}

/// The confirmation asked before `drop`, `delete` and `remove` statements, with the statement
/// as typed (its `;` included, line breaks kept).
pub fn confirm_prompt(typed: &str) -> String {
    format!("Confirm to \"{typed}\" (yes/no)? ")
}

/// Whether a statement, as typed, needs confirmation in the interactive shell.
pub fn needs_confirmation(typed: &str) -> bool {
    let first = typed
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .next()
        .unwrap_or("");
    ["drop", "delete", "remove"]
        .iter()
        .any(|w| first.eq_ignore_ascii_case(w))
}

/// The answer to a confirmation: `Some(true)` for yes, `Some(false)` for no, `None` to ask again.
pub fn confirm_answer(text: &str) -> Option<bool> {
    match text.trim().to_ascii_uppercase().as_str() {
        "Y" | "YES" => Some(true),
        "N" | "NO" => Some(false),
        _ => None,
    }
}

/// Whether a statement carries an AccessKey secret (`login …`), and so must not be kept in the
/// history file.
pub fn carries_secret(statement: &str) -> bool {
    let first = statement.split_whitespace().next().unwrap_or("");
    first.eq_ignore_ascii_case("login")
}

/// Printed (to stderr) when the interactive shell starts.
pub fn banner(version: &str) -> String {
    format!(
        "odpsh {version}: an offline MaxCompute security shell over a simulated Alibaba Cloud account.\nStatements end with ';'. Type quit; or press Ctrl-D to leave.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompt_and_confirmation_texts_are_exact() {
        assert_eq!(prompt("MaxCompute"), "odps@ MaxCompute>");
        assert_eq!(
            confirm_prompt("remove user p4_2652900123456789\n;"),
            "Confirm to \"remove user p4_2652900123456789\n;\" (yes/no)? "
        );
    }

    #[test]
    fn drop_delete_and_remove_ask_first() {
        assert!(needs_confirmation("remove user RAM$a;"));
        assert!(needs_confirmation("DROP role r;"));
        assert!(needs_confirmation("delete package p;"));
        assert!(!needs_confirmation("revoke a from RAM$b;"));
        assert!(!needs_confirmation("removed;"));
        assert!(!needs_confirmation("aliyun ram DeleteUser --UserName a"));
    }

    #[test]
    fn login_statements_are_kept_out_of_history() {
        assert!(carries_secret("login LTAIx secret"));
        assert!(carries_secret("LOGIN LTAIx secret"));
        assert!(!carries_secret("list users"));
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
