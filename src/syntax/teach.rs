//! odpsh's own statements for learning: `explain`, `offboard`, `who may`, `what may`.
//! The shell answers them from the world it simulates; no project ever sees them, so they are
//! not [`Statement`](super::Statement)s and the engine never runs them. Each function follows
//! its production in `grammar/odps-security.ebnf`.

use std::fmt;

use nom::Parser;

use super::ast::PrincipalName;
use super::lexer::{PError, PResult, commit, end_of_statement, identifier, kw, skip_blanks, word};
use super::principal::principal;

/// A user as `offboard` and `what may` take it: a bare RAM user name (of the acting identity's
/// own account) or a principal name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserRef {
    Name(String),
    Principal(PrincipalName),
}

impl fmt::Display for UserRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserRef::Name(name) => f.write_str(name),
            UserRef::Principal(p) => write!(f, "{p}"),
        }
    }
}

/// One learning statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeachStatement {
    /// `explain;`: why the most recent failure failed.
    Explain,
    /// `offboard <user> [run];`: the off-boarding plan, printed or run.
    Offboard { user: UserRef, run: bool },
    /// `who may <words> [in <project>];`
    WhoMay {
        words: String,
        project: Option<String>,
    },
    /// `what may <user> do [in <project>];`
    WhatMay {
        user: UserRef,
        project: Option<String>,
    },
}

impl TeachStatement {
    /// True for statements that change nothing (all but `offboard … run`).
    pub fn is_read_only(&self) -> bool {
        !matches!(self, TeachStatement::Offboard { run: true, .. })
    }

    /// `offboard <user> run` runs a whole plan: the interactive shell asks first.
    pub fn asks_confirmation(&self) -> bool {
        matches!(self, TeachStatement::Offboard { run: true, .. })
    }
}

impl fmt::Display for TeachStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TeachStatement::Explain => f.write_str("explain"),
            TeachStatement::Offboard { user, run } => {
                write!(f, "offboard {user}")?;
                if *run {
                    f.write_str(" run")?;
                }
                Ok(())
            }
            TeachStatement::WhoMay { words, project } => {
                write!(f, "who may {words}")?;
                match project {
                    Some(p) => write!(f, " in {p}"),
                    None => Ok(()),
                }
            }
            TeachStatement::WhatMay { user, project } => {
                write!(f, "what may {user} do")?;
                match project {
                    Some(p) => write!(f, " in {p}"),
                    None => Ok(()),
                }
            }
        }
    }
}

/// The words that start a learning statement.
pub const TEACH_WORDS: [&str; 4] = ["explain", "offboard", "who", "what"];

/// True when `text` starts with a word of [`TEACH_WORDS`].
pub fn starts_teach_statement(text: &str) -> bool {
    let i = skip_blanks(text);
    let n = i
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(i.len());
    TEACH_WORDS.iter().any(|w| i[..n].eq_ignore_ascii_case(w))
}

const EXPECTED_TEACH: &str = "explain, offboard, who or what";

/// teach_stmt = explain | offboard | who_may | what_may ;
pub fn statement(input: &str) -> PResult<'_, TeachStatement> {
    let i = skip_blanks(input);
    let (rest, first) = identifier(EXPECTED_TEACH).parse(i)?;
    let (rest, stmt) = match first.to_ascii_lowercase().as_str() {
        "explain" => (rest, TeachStatement::Explain),
        "offboard" => commit(offboard).parse(rest)?,
        "who" => commit(who_may).parse(rest)?,
        "what" => commit(what_may).parse(rest)?,
        _ => return Err(nom::Err::Failure(PError::new(i, EXPECTED_TEACH))),
    };
    let (rest, ()) = commit(end_of_statement).parse(rest)?;
    Ok((rest, stmt))
}

fn is_ram_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

const EXPECTED_USER: &str =
    "a RAM user name or a user name (RAM$[<account>:]<user>, ALIYUN$<account> or p4_<id>)";

/// A whole text that is one `user_ref` (a command-line argument).
pub fn whole_user_ref(input: &str) -> PResult<'_, UserRef> {
    let (rest, user) = user_ref(input)?;
    let (rest, ()) = commit(end_of_statement).parse(rest)?;
    Ok((rest, user))
}

/// user_ref = ram_user_name | principal ;
fn user_ref(i: &str) -> PResult<'_, UserRef> {
    match principal(i) {
        Ok((rest, p)) => Ok((rest, UserRef::Principal(p))),
        Err(nom::Err::Failure(e)) => Err(nom::Err::Failure(e)),
        Err(_) => {
            let (rest, name) = word(is_ram_name_char, EXPECTED_USER).parse(i)?;
            // A name must end where a blank, a comment or the statement's end follows.
            if rest.starts_with(|c: char| !c.is_whitespace()) {
                return Err(nom::Err::Error(PError::new(skip_blanks(i), EXPECTED_USER)));
            }
            Ok((rest, UserRef::Name(name.to_string())))
        }
    }
}

/// offboard = "offboard" , user_ref , [ "run" ] ;
fn offboard(i: &str) -> PResult<'_, TeachStatement> {
    let (rest, user) = user_ref(i)?;
    let (rest, run) = nom::combinator::opt(kw("run")).parse(rest)?;
    Ok((
        rest,
        TeachStatement::Offboard {
            user,
            run: run.is_some(),
        },
    ))
}

/// `in <project>` at the end of `words`, when there is something before it.
fn trailing_project(words: &str) -> (String, Option<String>) {
    let tokens: Vec<&str> = words.split_whitespace().collect();
    if let [before @ .., marker, project] = tokens.as_slice()
        && !before.is_empty()
        && marker.eq_ignore_ascii_case("in")
        && project.starts_with(|c: char| c.is_ascii_alphabetic())
        && project
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return (before.join(" "), Some(project.to_string()));
    }
    (tokens.join(" "), None)
}

/// who_may = "who" , "may" , words , [ "in" , project_name ] ;
fn who_may(i: &str) -> PResult<'_, TeachStatement> {
    let (rest, _) = kw("may").parse(i)?;
    let words = skip_blanks(rest).trim();
    if words.is_empty() {
        return Err(nom::Err::Failure(PError::new(
            skip_blanks(rest),
            "words naming an operation (as in show matrix for …)",
        )));
    }
    let (words, project) = trailing_project(words);
    Ok(("", TeachStatement::WhoMay { words, project }))
}

/// what_may = "what" , "may" , user_ref , "do" , [ "in" , project_name ] ;
fn what_may(i: &str) -> PResult<'_, TeachStatement> {
    let (rest, (_, user, _)) = (kw("may"), user_ref, kw("do")).parse(i)?;
    let (rest, project) = nom::combinator::opt((kw("in"), identifier("a project name")))
        .map(|p| p.map(|(_, name)| name.to_string()))
        .parse(rest)?;
    Ok((rest, TeachStatement::WhatMay { user, project }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Option<TeachStatement> {
        statement(text).ok().map(|(_, s)| s)
    }

    #[test]
    fn parses_every_form() {
        assert_eq!(parse("EXPLAIN"), Some(TeachStatement::Explain));
        assert_eq!(
            parse("offboard hanmeimei"),
            Some(TeachStatement::Offboard {
                user: UserRef::Name("hanmeimei".into()),
                run: false
            })
        );
        assert_eq!(
            parse("offboard DataWorks-admin run"),
            Some(TeachStatement::Offboard {
                user: UserRef::Name("DataWorks-admin".into()),
                run: true
            })
        );
        assert!(matches!(
            parse("offboard RAM$MainCount:hanmeimei"),
            Some(TeachStatement::Offboard {
                user: UserRef::Principal(PrincipalName::RamUser { .. }),
                ..
            })
        ));
        assert!(matches!(
            parse("offboard p4_26529006289714283"),
            Some(TeachStatement::Offboard {
                user: UserRef::Principal(PrincipalName::Internal(_)),
                ..
            })
        ));
        assert_eq!(
            parse("who may create a table in MaxCompute"),
            Some(TeachStatement::WhoMay {
                words: "create a table".into(),
                project: Some("MaxCompute".into())
            })
        );
        assert_eq!(
            parse("who may  全表扫描 "),
            Some(TeachStatement::WhoMay {
                words: "全表扫描".into(),
                project: None
            })
        );
        assert_eq!(
            parse("what may hanmeimei do in p1"),
            Some(TeachStatement::WhatMay {
                user: UserRef::Name("hanmeimei".into()),
                project: Some("p1".into())
            })
        );
    }

    #[test]
    fn rejects_what_is_incomplete_or_extra() {
        for bad in [
            "explain it",
            "offboard",
            "offboard a b",
            "offboard a/b",
            "who may",
            "who",
            "what may hanmeimei",
            "what may hanmeimei do in",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn statements_print_back_as_they_parse() {
        for text in [
            "explain",
            "offboard hanmeimei",
            "offboard RAM$MainCount:hanmeimei run",
            "who may create a table in MaxCompute",
            "who may add user",
            "what may p4_1 do",
            "what may ALIYUN$MainCount do in MaxCompute",
        ] {
            let parsed = parse(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(parsed.to_string(), text);
            assert_eq!(parse(&parsed.to_string()), Some(parsed));
        }
    }

    #[test]
    fn only_the_four_words_start_a_learning_statement() {
        assert!(starts_teach_statement("  Explain;"));
        assert!(starts_teach_statement("who may x"));
        assert!(!starts_teach_statement("whoami"));
        assert!(!starts_teach_statement("list users"));
    }
}
