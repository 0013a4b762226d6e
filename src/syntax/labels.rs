//! The labels family: label-based access control (LabelSecurity). `set label <n> to user|role
//! <p>` gives an access level, `set label <n> to table <t>[(<cols>)]` a sensitivity, `grant
//! label <n> on table <t>[(<cols>)] to user|role <p> [with exp <days>]` and `revoke label on
//! table … from …` explicit grants, `show label [<n>] grants [on table <t>] [for user <p>]` shows
//! them and `clear expired labels` drops the expired ones. Its statements, their canonical
//! text, their parsers and its answers to the shared questions ([`Family`]); each parser
//! follows its production in `grammar/odps-security.ebnf`.

use std::fmt;

use nom::Parser;
use nom::branch::alt;
use nom::combinator::opt;

use super::acl::column_list;
use super::ast::{PrincipalName, Statement, Subject};
use super::family::{Affected, Family};
use super::lexer::{PError, PResult, kw, number, skip_blanks};
use super::objects::table_name;
use super::principal::{principal, role_name};

/// What `set label` labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Labelled {
    /// A user's or a role's access level.
    Subject(Subject),
    /// A table's sensitivity, or only some of its columns'.
    Table { table: String, columns: Vec<String> },
}

/// A statement of the labels family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelStatement {
    Set {
        level: u8,
        on: Labelled,
    },
    Grant {
        level: u8,
        table: String,
        columns: Vec<String>,
        to: Subject,
        /// `with exp <days>`; 180 days when absent.
        days: Option<u64>,
    },
    Revoke {
        table: String,
        columns: Vec<String>,
        from: Subject,
    },
    Show {
        level: Option<u8>,
        table: Option<String>,
        user: Option<PrincipalName>,
    },
    ClearExpired,
}

fn write_table(f: &mut fmt::Formatter<'_>, table: &str, columns: &[String]) -> fmt::Result {
    write!(f, "table {table}")?;
    if !columns.is_empty() {
        write!(f, " ({})", columns.join(", "))?;
    }
    Ok(())
}

impl fmt::Display for LabelStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelStatement::Set {
                level,
                on: Labelled::Subject(s),
            } => write!(f, "set label {level} to {s}"),
            LabelStatement::Set {
                level,
                on: Labelled::Table { table, columns },
            } => {
                write!(f, "set label {level} to ")?;
                write_table(f, table, columns)
            }
            LabelStatement::Grant {
                level,
                table,
                columns,
                to,
                days,
            } => {
                write!(f, "grant label {level} on ")?;
                write_table(f, table, columns)?;
                write!(f, " to {to}")?;
                if let Some(days) = days {
                    write!(f, " with exp {days}")?;
                }
                Ok(())
            }
            LabelStatement::Revoke {
                table,
                columns,
                from,
            } => {
                f.write_str("revoke label on ")?;
                write_table(f, table, columns)?;
                write!(f, " from {from}")
            }
            LabelStatement::Show { level, table, user } => {
                f.write_str("show label")?;
                if let Some(level) = level {
                    write!(f, " {level}")?;
                }
                f.write_str(" grants")?;
                if let Some(table) = table {
                    write!(f, " on table {table}")?;
                }
                if let Some(user) = user {
                    write!(f, " for user {user}")?;
                }
                Ok(())
            }
            LabelStatement::ClearExpired => f.write_str("clear expired labels"),
        }
    }
}

impl Family for LabelStatement {
    /// Label statements go to the service as security queries.
    fn is_security_query(&self) -> bool {
        true
    }

    fn is_read_only(&self) -> bool {
        matches!(self, LabelStatement::Show { .. })
    }

    fn affects(&self) -> Vec<Affected<'_>> {
        let subject = match self {
            LabelStatement::Set {
                on: Labelled::Subject(s),
                ..
            } => s,
            LabelStatement::Grant { to: s, .. } | LabelStatement::Revoke { from: s, .. } => s,
            _ => return Vec::new(),
        };
        match subject {
            Subject::User(p) => vec![Affected::Principal(p)],
            Subject::Role(_) => Vec::new(),
        }
    }
}

fn labels(statement: LabelStatement) -> Statement {
    Statement::Labels(statement)
}

const EXPECTED_LEVEL: &str = "a label level (0 to 9)";

/// label_level = digit ;  (0 to 9)
fn level(i: &str) -> PResult<'_, u8> {
    let at = skip_blanks(i);
    match number(EXPECTED_LEVEL).parse(i) {
        Ok((rest, n)) if n <= 9 => Ok((rest, n as u8)),
        _ => Err(nom::Err::Error(PError::new(at, EXPECTED_LEVEL))),
    }
}

/// label_subject = "user" principal | "role" role_name ;
fn subject(i: &str) -> PResult<'_, Subject> {
    let user = (kw("user"), principal).map(|(_, p)| Subject::User(p));
    let role = (kw("role"), role_name).map(|(_, r)| Subject::Role(r));
    alt((user, role)).parse(i)
}

/// labelled_table = "table" table_name [ column_list ] ;
fn labelled_table(i: &str) -> PResult<'_, (String, Vec<String>)> {
    (kw("table"), table_name, column_list)
        .map(|(_, t, c)| (t, c))
        .parse(i)
}

/// Whether the words after a statement's first word start a label statement: `label`, and for
/// `grant` a level after it (a role may be called `label`).
pub(super) fn follows(rest: &str, first: &str) -> bool {
    let Ok((after, _)) = kw("label").parse(rest) else {
        return false;
    };
    match first {
        "set" | "show" => true,
        "grant" => level(after).is_ok(),
        "revoke" => kw("on").parse(after).is_ok(),
        _ => false,
    }
}

/// set_label = "set" "label" label_level "to" ( label_subject | labelled_table ) ;
pub(super) fn set_label(i: &str) -> PResult<'_, Statement> {
    let (rest, (_, level, _)) = (kw("label"), level, kw("to")).parse(i)?;
    let table = labelled_table.map(|(table, columns)| Labelled::Table { table, columns });
    let (rest, on) = alt((subject.map(Labelled::Subject), table)).parse(rest)?;
    Ok((rest, labels(LabelStatement::Set { level, on })))
}

/// grant_label = "grant" "label" label_level "on" labelled_table "to" label_subject
///               [ "with" "exp" number ] ;
pub(super) fn grant_label(i: &str) -> PResult<'_, Statement> {
    let (rest, (_, level, _, (table, columns), _, to)) = (
        kw("label"),
        level,
        kw("on"),
        labelled_table,
        kw("to"),
        subject,
    )
        .parse(i)?;
    let (rest, days) = opt((kw("with"), kw("exp"), number("a number of days")))
        .map(|found| found.map(|(_, _, d)| d))
        .parse(rest)?;
    Ok((
        rest,
        labels(LabelStatement::Grant {
            level,
            table,
            columns,
            to,
            days,
        }),
    ))
}

/// revoke_label = "revoke" "label" "on" labelled_table "from" label_subject ;
pub(super) fn revoke_label(i: &str) -> PResult<'_, Statement> {
    (kw("label"), kw("on"), labelled_table, kw("from"), subject)
        .map(|(_, _, (table, columns), _, from)| {
            labels(LabelStatement::Revoke {
                table,
                columns,
                from,
            })
        })
        .parse(i)
}

/// show_label = "show" "label" [ label_level ] "grants" [ "on" "table" table_name ]
///              [ "for" "user" principal ] ;
pub(super) fn show_label(i: &str) -> PResult<'_, Statement> {
    let (rest, (_, level, _)) = (kw("label"), opt(level), kw("grants")).parse(i)?;
    let (rest, table) = opt((kw("on"), kw("table"), table_name).map(|(_, _, t)| t)).parse(rest)?;
    let (rest, user) = opt((kw("for"), kw("user"), principal).map(|(_, _, p)| p)).parse(rest)?;
    Ok((rest, labels(LabelStatement::Show { level, table, user })))
}

/// clear_labels = "clear" "expired" "labels" ;
pub(super) fn clear_expired(i: &str) -> PResult<'_, Statement> {
    (kw("expired"), kw("labels"))
        .map(|_| labels(LabelStatement::ClearExpired))
        .parse(i)
}

#[cfg(test)]
mod tests {
    use crate::syntax::{LabelStatement, Statement, parse_statement};

    fn parse(text: &str) -> Statement {
        parse_statement(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn label_statements_parse_and_print_back() {
        for text in [
            "set label 2 to user RAM$MainCount:bob",
            "SET LABEL 3 TO ROLE analysts",
            "set label 4 to table sales",
            "set label 4 to table sales (phone, card)",
            "grant label 3 on table sales to user RAM$bob with exp 4",
            "grant Label 3 on table sales (phone) to role analysts",
            "revoke label on table sales from user RAM$bob",
            "revoke label on table sales (phone) from role analysts",
            "show label grants",
            "show label 3 grants on table sales for user RAM$bob",
            "show label grants for user RAM$bob",
            "clear expired labels",
        ] {
            let stmt = parse(text);
            assert!(matches!(stmt, Statement::Labels(_)), "{text}");
            assert_eq!(parse(&stmt.to_string()), stmt, "{text} → {stmt}");
        }
        assert!(matches!(
            parse("grant label 3 on table t to user RAM$b"),
            Statement::Labels(LabelStatement::Grant { days: None, .. })
        ));
    }

    #[test]
    fn a_role_called_label_is_still_granted_and_settings_still_set() {
        assert!(matches!(
            parse("grant label to RAM$bob"),
            Statement::Roles(_)
        ));
        assert!(matches!(
            parse("set odps.sql.allow.fullscan=true"),
            Statement::Settings(_)
        ));
        assert!(matches!(parse("clear expired grants"), Statement::Acl(_)));
    }

    #[test]
    fn levels_run_from_0_to_9() {
        for (text, expected) in [
            (
                "set label 10 to user RAM$bob",
                "expected a label level (0 to 9), found '10'",
            ),
            (
                "grant label 3 on table t to RAM$bob",
                "expected USER or ROLE, found 'RAM$bob'",
            ),
            (
                "set label 2 to view v",
                "expected USER, ROLE or TABLE, found 'view'",
            ),
        ] {
            let e = parse_statement(text).expect_err(text).to_string();
            assert_eq!(e, expected, "{text}");
        }
    }
}
