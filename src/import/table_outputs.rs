//! What odpscmd prints about tables and their labels: `show tables` (`<owner>:<table>`), the
//! `desc <table>` box (owner, comment, labels, creation time, columns with their types, labels
//! and comments), and the tables of `show label grants` (on a table: every grant on it, to users
//! and roles; for a user: its access level and its grants). The layouts are the ones
//! `src/render/objects.rs` and `src/render/labels.rs` print.

use super::facts::{
    Grantee, LabelGrantFacts, Object, Principals, ProjectFacts, TableFacts, Who, principal,
};
use super::grant_lines::expiry;
use super::odps_outputs::{Reader, content};
use super::texts;
use super::transcript::Line;
use crate::vocabulary::ObjectKind;
use crate::world::clock::parse_iso8601;

/// `show tables`: each table and who created it.
pub fn show_tables(
    r: &mut Reader<'_>,
    output: &[Line<'_>],
    p: &mut ProjectFacts,
    names: &mut Principals,
) {
    for line in content(output) {
        let text = line.text.trim();
        let read = text
            .rsplit_once(':')
            .filter(|(_, t)| is_table_name(t))
            .and_then(|(owner, table)| Some((names.read(owner)?, table)));
        match read {
            Some((owner, table)) => {
                let object = Object {
                    kind: ObjectKind::Table,
                    name: table.to_ascii_lowercase(),
                };
                p.creators.insert(object, owner);
            }
            None => r.expected(line.no, texts::EXPECTED_TABLE_LINE),
        }
    }
}

fn is_table_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The cells of a box line `| a | b |`, trimmed; `None` for a rule or another line.
fn cells(text: &str) -> Option<Vec<&str>> {
    let inner = text.trim().strip_prefix('|')?.strip_suffix('|')?;
    Some(inner.split('|').map(str::trim).collect())
}

fn is_rule(text: &str) -> bool {
    let t = text.trim();
    t.len() > 2
        && t.starts_with('+')
        && t.ends_with('+')
        && t[1..t.len() - 1].chars().all(|c| c == '-' || c == '+')
}

/// `L3` as 3 (nothing is 0).
fn level(text: &str) -> Option<u8> {
    if text.is_empty() {
        return Some(0);
    }
    let n: u8 = text.strip_prefix('L')?.parse().ok()?;
    (n <= crate::world::labels::MAX_LEVEL).then_some(n)
}

/// `2026-01-01 00:00:01` as seconds.
fn datetime(text: &str) -> Option<u64> {
    parse_iso8601(&format!("{}Z", text.trim().replace(' ', "T")))
}

/// `desc <table>`: its box, into the project's facts (its owner as the table's creator).
pub fn desc_table(
    r: &mut Reader<'_>,
    output: &[Line<'_>],
    table: &str,
    p: &mut ProjectFacts,
    names: &mut Principals,
) {
    let mut facts = TableFacts {
        comment: String::new(),
        created: 0,
        columns: Vec::new(),
        label: 0,
    };
    let mut in_columns = false;
    let mut ok = true;
    for line in content(output) {
        let text = line.text;
        if is_rule(text) {
            continue;
        }
        let Some(row) = cells(text) else {
            r.expected(line.no, texts::EXPECTED_DESC_LINE);
            ok = false;
            continue;
        };
        let read = if in_columns {
            match row.as_slice() {
                [name, kind, label, comment] if is_table_name(name) => level(label).map(|l| {
                    facts.columns.push((
                        name.to_ascii_lowercase(),
                        kind.to_string(),
                        comment.to_string(),
                        l,
                    ));
                }),
                _ => None,
            }
        } else {
            match row.as_slice() {
                ["Field", "Type", "Label", "Comment"] => {
                    in_columns = true;
                    Some(())
                }
                [only] => desc_field(only, &mut facts, table, p, names),
                [internal, size]
                    if internal.starts_with("InternalTable:") && size.starts_with("Size:") =>
                {
                    Some(())
                }
                _ => None,
            }
        };
        if read.is_none() {
            r.expected(line.no, texts::EXPECTED_DESC_LINE);
            ok = false;
        }
    }
    if ok && in_columns {
        p.tables.insert(table.to_string(), facts);
    }
}

/// One `Key: value` line of the box's head.
fn desc_field(
    text: &str,
    facts: &mut TableFacts,
    table: &str,
    p: &mut ProjectFacts,
    names: &mut Principals,
) -> Option<()> {
    if text == "Native Columns:" {
        return Some(());
    }
    let (key, value) = text.split_once(':')?;
    let value = value.trim();
    match key {
        "Owner" => {
            let owner = names.read(value)?;
            let object = Object {
                kind: ObjectKind::Table,
                name: table.to_string(),
            };
            p.creators.insert(object, owner);
        }
        "Project" => {}
        "TableComment" => facts.comment = value.to_string(),
        "TableLabel" => facts.label = level(value)?,
        "MaxLabel" => {
            level(value)?;
        }
        "CreateTime" => facts.created = datetime(value)?,
        "LastDDLTime" | "LastModifiedTime" => {
            datetime(value)?;
        }
        _ => return None,
    }
    Some(())
}

/// A grantee of a label grant with its column: `RAM$M:bob (phone)`, `analysts`.
fn label_grantee(text: &str, names: &mut Principals) -> Option<(Grantee, Option<String>)> {
    let (who, column) = match text.strip_suffix(')').and_then(|t| t.rsplit_once(" (")) {
        Some((who, column)) => (who, Some(column.to_ascii_lowercase())),
        None => (text, None),
    };
    if let Some(u) = principal(who).and_then(|_| names.read(who)) {
        return Some((Grantee::User(u), column));
    }
    is_table_name(who).then(|| (Grantee::Role(who.to_ascii_lowercase()), column))
}

/// The rows of a `show label grants` table: `(first cell, level, expiry)`.
fn grant_rows<'a>(
    r: &mut Reader<'_>,
    lines: &[Line<'a>],
    header: &str,
) -> Vec<(usize, &'a str, u8, u64)> {
    let mut rows = Vec::new();
    for line in lines {
        if is_rule(line.text) {
            continue;
        }
        let read = cells(line.text).and_then(|row| match row.as_slice() {
            [first, "GrantedLabel", "Expires"] if *first == header => Some(None),
            [first, level, expires] => {
                let level: u8 = level.parse().ok()?;
                Some(Some((line.no, *first, level, expiry(expires)?)))
            }
            _ => None,
        });
        match read {
            Some(Some(row)) => rows.push(row),
            Some(None) => {}
            None => r.expected(line.no, texts::EXPECTED_LABEL_GRANT_LINE),
        }
    }
    rows
}

/// The `<Label>: <value>` line a `show label grants` starts with, and the lines after it.
fn headed<'a>(
    r: &mut Reader<'_>,
    output: &[Line<'a>],
    label: &str,
) -> Option<(String, Vec<Line<'a>>)> {
    let lines = content(output);
    let (first, rest) = lines.split_first()?;
    match first
        .text
        .trim()
        .strip_prefix(label)
        .and_then(|t| t.strip_prefix(':'))
    {
        Some(value) => Some((value.trim().to_string(), rest.to_vec())),
        None => {
            r.expected(first.no, texts::EXPECTED_LABEL_GRANT_LINE);
            None
        }
    }
}

/// `show label grants on table <t>`: every label grant on the table.
pub fn label_grants_on(
    r: &mut Reader<'_>,
    output: &[Line<'_>],
    table: &str,
    p: &mut ProjectFacts,
    names: &mut Principals,
) {
    let Some((_, rest)) = headed(r, output, "Sensitive Label Range") else {
        return;
    };
    for (no, first, level, expires) in grant_rows(r, &rest, "UserName") {
        match label_grantee(first, names) {
            Some((grantee, column)) => {
                let target = LabelGrantFacts {
                    grantee,
                    table: table.to_string(),
                    column,
                };
                p.label_grants.insert(target, (level, expires));
            }
            None => r.expected(no, texts::EXPECTED_LABEL_GRANT_LINE),
        }
    }
}

/// `show label grants for user <p>`: its access level and its grants.
pub fn label_grants_for(r: &mut Reader<'_>, output: &[Line<'_>], who: Who, p: &mut ProjectFacts) {
    let Some((value, rest)) = headed(r, output, "User Label") else {
        return;
    };
    match value.parse::<u8>() {
        Ok(level) if level <= crate::world::labels::MAX_LEVEL => {
            p.clearances.insert(who, level);
        }
        _ => {
            if let Some(first) = output.iter().find(|l| !l.text.trim().is_empty()) {
                r.expected(first.no, texts::EXPECTED_LABEL_GRANT_LINE);
            }
        }
    }
    for (no, first, level, expires) in grant_rows(r, &rest, "TableName") {
        let (table, column) = match first.strip_suffix(')').and_then(|t| t.split_once('(')) {
            Some((t, c)) => (t, Some(c.to_ascii_lowercase())),
            None => (first, None),
        };
        if !is_table_name(table) {
            r.expected(no, texts::EXPECTED_LABEL_GRANT_LINE);
            continue;
        }
        let target = LabelGrantFacts {
            grantee: Grantee::User(who),
            table: table.to_ascii_lowercase(),
            column,
        };
        p.label_grants.insert(target, (level, expires));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::transcript::lines;

    fn reader() -> Reader<'static> {
        Reader {
            file: "c",
            errors: Vec::new(),
        }
    }

    const DESC: &str = "+------+\n\
| Owner:                    RAM$MainCount:bob                                        |\n\
| Project:                  MaxCompute                                               |\n\
| TableComment:             orders                                                   |\n\
| TableLabel:               L1                                                       |\n\
| MaxLabel:                 L3                                                       |\n\
+------+\n\
| CreateTime:               2026-01-01 00:00:05                                      |\n\
| LastDDLTime:              2026-01-01 00:00:05                                      |\n\
| LastModifiedTime:         2026-01-01 00:00:05                                      |\n\
+------+\n\
| InternalTable: YES      | Size: 0                                                  |\n\
+------+\n\
| Native Columns:                                                                    |\n\
+------+\n\
| Field           | Type       | Label | Comment                                     |\n\
+------+\n\
| id              | bigint     | L1    | the id                                      |\n\
| phone           | string     | L3    |                                             |\n\
+------+\n";

    #[test]
    fn desc_gives_columns_types_labels_and_the_creator() {
        let (mut r, mut p, mut names) = (reader(), ProjectFacts::default(), Principals::default());
        let output: Vec<Line<'_>> = lines(DESC).collect();
        desc_table(&mut r, &output, "orders", &mut p, &mut names);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let t = &p.tables["orders"];
        assert_eq!(
            (t.comment.as_str(), t.label, t.created),
            ("orders", 1, 1_767_225_605)
        );
        assert_eq!(
            t.columns,
            [
                ("id".into(), "bigint".into(), "the id".into(), 1),
                ("phone".into(), "string".into(), String::new(), 3)
            ]
        );
        let creator = p.creators.values().next().and_then(|w| names.get(*w));
        assert_eq!(
            creator.map(ToString::to_string).as_deref(),
            Some("RAM$MainCount:bob")
        );
    }

    #[test]
    fn a_desc_line_it_cannot_read_is_refused_and_the_table_is_not_taken() {
        let (mut r, mut p, mut names) = (reader(), ProjectFacts::default(), Principals::default());
        let broken = DESC.replace(
            "| phone           | string     | L3 ",
            "| phone           | string     | L12",
        );
        let output: Vec<Line<'_>> = lines(&broken).collect();
        desc_table(&mut r, &output, "orders", &mut p, &mut names);
        assert_eq!(r.errors.len(), 1);
        assert!(p.tables.is_empty());
    }

    #[test]
    fn show_tables_and_label_grants() {
        let (mut r, mut p, mut names) = (reader(), ProjectFacts::default(), Principals::default());
        let tables: Vec<Line<'_>> =
            lines("ALIYUN$MainCount:customers\nRAM$MainCount:bob:t_2\n").collect();
        show_tables(&mut r, &tables, &mut p, &mut names);
        assert_eq!(p.creators.len(), 2);
        let on = "Sensitive Label Range: [0, 3]\n\n+---+\n| UserName | GrantedLabel | Expires |\n+---+\n\
| RAM$MainCount:bob (phone) | 3 | 2026-01-31T00:00:02+0000 |\n| analysts | 2 | 2026-06-30T00:00:00+0000 |\n+---+\n";
        let on: Vec<Line<'_>> = lines(on).collect();
        label_grants_on(&mut r, &on, "customers", &mut p, &mut names);
        let bob = names.read("RAM$MainCount:bob").unwrap();
        let for_user = "User Label: 1\n\n+---+\n| TableName | GrantedLabel | Expires |\n+---+\n\
| customers(phone) | 3 | 2026-01-31T00:00:02+0000 |\n+---+\n";
        let for_user: Vec<Line<'_>> = lines(for_user).collect();
        label_grants_for(&mut r, &for_user, bob, &mut p);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(p.clearances[&bob], 1);
        // The user's grant, shown both ways, is one grant; the role's is the other.
        assert_eq!(p.label_grants.len(), 2);
        assert!(
            p.label_grants
                .keys()
                .any(|g| g.grantee == Grantee::Role("analysts".into()))
        );
    }

    #[test]
    fn the_report_says_what_labels_were_built() {
        use crate::import::{CaptureFile, import};
        let text = concat!(
            "odps@ p>show label grants for user RAM$M:bob;\nUser Label: 2\n\n",
            "| TableName | GrantedLabel | Expires |\n",
            "| t(c) | 3 | 2026-01-31T00:00:02+0000 |\n",
        );
        let (world, report) = import(&[CaptureFile { name: "c", text }]).unwrap();
        assert!(
            report.text().contains(
                "built: project p: labels of 0 tables, 1 members' access levels, 1 label grants"
            ),
            "{}",
            report.text()
        );
        assert_eq!(
            world.project("p").map(|p| p.labels.grants().count()),
            Some(1)
        );
    }
}
