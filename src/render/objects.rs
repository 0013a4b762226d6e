//! Objects as odpscmd prints them: `show tables` (`<owner>:<table>`), the `desc` box, the
//! resource, function and instance lists, and a query's (empty) result table.

use crate::engine::{
    FunctionListing, InstanceListing, ResourceListing, Table, TableDescription, TableListing,
};
use crate::world::clock::iso8601;

/// A time as odpscmd prints it: `2026-01-01 00:00:05`.
pub fn datetime(secs: u64) -> String {
    iso8601(secs)
        .replace('T', " ")
        .trim_end_matches('Z')
        .to_string()
}

pub fn tables_text(tables: &[TableListing]) -> String {
    tables
        .iter()
        .map(|t| format!("{}:{}\n", t.owner, t.name))
        .collect()
}

const BOX_WIDTH: usize = 84;

fn rule() -> String {
    format!("+{}+\n", "-".repeat(BOX_WIDTH))
}

fn boxed(text: &str) -> String {
    format!("| {:<width$} |\n", text, width = BOX_WIDTH - 2)
}

fn labelled(label: &str, value: &str) -> String {
    boxed(&format!("{label:<26}{value}"))
}

/// A sensitivity label as `desc` writes it: `L3`; 0 (not labelled) as nothing.
fn label_text(level: u8) -> String {
    if level == 0 {
        String::new()
    } else {
        format!("L{level}")
    }
}

/// `desc <table>`.
pub fn table_text(t: &TableDescription) -> String {
    let created = datetime(t.created);
    let mut s = rule();
    s.push_str(&labelled("Owner:", &t.owner));
    s.push_str(&labelled("Project:", &t.project));
    s.push_str(&labelled("TableComment:", &t.comment));
    if let Some(labels) = &t.labels {
        s.push_str(&labelled("TableLabel:", &format!("L{}", labels.table)));
        s.push_str(&labelled("MaxLabel:", &format!("L{}", labels.max)));
    }
    s.push_str(&rule());
    for label in ["CreateTime:", "LastDDLTime:", "LastModifiedTime:"] {
        s.push_str(&labelled(label, &created));
    }
    s.push_str(&rule());
    s.push_str(&boxed("InternalTable: YES      | Size: 0"));
    s.push_str(&rule());
    s.push_str(&boxed("Native Columns:"));
    s.push_str(&rule());
    let column = |name: &str, kind: &str, label: &str, comment: &str| {
        boxed(&format!("{name:<15} | {kind:<10} | {label:<5} | {comment}"))
    };
    s.push_str(&column("Field", "Type", "Label", "Comment"));
    s.push_str(&rule());
    for (i, (name, kind, comment)) in t.columns.iter().enumerate() {
        let label = match &t.labels {
            Some(labels) => label_text(labels.columns.get(i).copied().unwrap_or(0)),
            None => String::new(),
        };
        s.push_str(&column(name, kind, &label, comment));
    }
    s.push_str(&rule());
    s
}

/// Rows under a header, each column as wide as its widest cell, two blanks apart.
fn columns(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let last = cells.len().saturating_sub(1);
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i == last {
                s.push_str(cell);
            } else {
                s.push_str(&format!("{cell:<w$}  "));
            }
        }
        format!("{}\n", s.trim_end())
    };
    let mut text = line(header.to_vec());
    for row in rows {
        text.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    text
}

pub fn resources_text(resources: &[ResourceListing]) -> String {
    let rows: Vec<Vec<String>> = resources
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                r.owner.clone(),
                datetime(r.updated),
                r.kind.to_string(),
                r.comment.clone(),
            ]
        })
        .collect();
    columns(
        &[
            "Resource Name",
            "Owner",
            "Last Modified Time",
            "Type",
            "Comment",
        ],
        &rows,
    )
}

pub fn functions_text(functions: &[FunctionListing]) -> String {
    let rows: Vec<Vec<String>> = functions
        .iter()
        .map(|f| {
            vec![
                f.name.clone(),
                f.owner.clone(),
                datetime(f.created),
                f.class.clone(),
                f.resources.join(","),
            ]
        })
        .collect();
    columns(
        &["Name", "Owner", "Create Time", "Class", "Resources"],
        &rows,
    )
}

pub fn instances_text(instances: &[InstanceListing]) -> String {
    let rows: Vec<Vec<String>> = instances
        .iter()
        .map(|i| {
            vec![
                datetime(i.started),
                "0s".to_string(),
                "Success".to_string(),
                i.id.clone(),
                i.owner.clone(),
                format!("{};", i.query),
            ]
        })
        .collect();
    columns(
        &[
            "StartTime",
            "RunTime",
            "Status",
            "InstanceID",
            "Owner",
            "Query",
        ],
        &rows,
    )
}

pub fn instance_text(i: &InstanceListing) -> String {
    let time = datetime(i.started);
    [
        ("ID", i.id.as_str()),
        ("Owner", i.owner.as_str()),
        ("StartTime", time.as_str()),
        ("EndTime", time.as_str()),
        ("Status", "Terminated"),
        ("Result", "Success"),
        ("Query", &format!("{};", i.query)),
    ]
    .iter()
    .map(|(k, v)| format!("{k:<20}{v}\n"))
    .collect()
}

/// A query's result: its columns, and no rows (odpsh stores no data).
pub fn query_text(columns: &[String]) -> String {
    boxed_table(&Table {
        columns: columns.to_vec(),
        ..Table::default()
    })
}

/// A table in the console's box: its labelled values first (`Label: value`, then a blank
/// line), each column as wide as its widest cell.
pub fn boxed_table(table: &Table) -> String {
    let mut text: String = table
        .labels
        .iter()
        .map(|(k, v)| format!("{k}: {v}\n"))
        .collect();
    if !table.labels.is_empty() {
        text.push('\n');
    }
    let width = |i: usize| {
        table
            .rows
            .iter()
            .filter_map(|r| r.get(i))
            .chain(table.columns.get(i))
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..table.columns.len()).map(width).collect();
    let rule: String = widths
        .iter()
        .map(|w| format!("+{}", "-".repeat(w + 2)))
        .collect::<String>()
        + "+\n";
    let line = |cells: &[String]| {
        widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let cell = cells.get(i).map_or("", String::as_str);
                let pad = w.saturating_sub(cell.chars().count());
                format!("| {cell}{} ", " ".repeat(pad))
            })
            .collect::<String>()
            + "|\n"
    };
    text.push_str(&rule);
    text.push_str(&line(&table.columns));
    text.push_str(&rule);
    for row in &table.rows {
        text.push_str(&line(row));
    }
    text.push_str(&rule);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_boxed_as_wide_as_their_cells_after_their_labels() {
        let table = Table {
            labels: vec![("User Label".into(), "0".into())],
            columns: vec!["TableName".into(), "GrantedLabel".into(), "Expires".into()],
            rows: vec![vec![
                "bank_data".into(),
                "3".into(),
                "2022-07-04T16:30:47+0800".into(),
            ]],
        };
        assert_eq!(
            boxed_table(&table),
            "User Label: 0\n\n\
+-----------+--------------+--------------------------+\n\
| TableName | GrantedLabel | Expires                  |\n\
+-----------+--------------+--------------------------+\n\
| bank_data | 3            | 2022-07-04T16:30:47+0800 |\n\
+-----------+--------------+--------------------------+\n"
        );
    }

    #[test]
    fn lists_and_boxes_line_up() {
        assert_eq!(datetime(1_767_225_605), "2026-01-01 00:00:05");
        assert_eq!(
            tables_text(&[TableListing {
                owner: "ALIYUN$M".into(),
                name: "sales".into()
            }]),
            "ALIYUN$M:sales\n"
        );
        assert_eq!(
            query_text(&["id".into(), "region".into()]),
            "+----+--------+\n| id | region |\n+----+--------+\n+----+--------+\n"
        );
        let text = resources_text(&[ResourceListing {
            name: "udf.jar".into(),
            owner: "ALIYUN$M".into(),
            kind: "jar",
            comment: String::new(),
            updated: 1_767_225_605,
        }]);
        assert_eq!(
            text,
            "Resource Name  Owner     Last Modified Time   Type  Comment\nudf.jar        ALIYUN$M  2026-01-01 00:00:05  jar\n"
        );
    }

    #[test]
    fn the_desc_box_has_the_console_layout() {
        let text = table_text(&TableDescription {
            owner: "ALIYUN$M".into(),
            project: "p".into(),
            name: "t".into(),
            comment: String::new(),
            created: 1_767_225_605,
            columns: vec![("id".into(), "bigint".into(), String::new())],
            labels: None,
        });
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.iter().all(|l| l.chars().count() == 86), "{text}");
        assert_eq!(
            lines[1],
            "| Owner:                    ALIYUN$M                                                 |"
        );
        assert_eq!(
            lines[15],
            "| id              | bigint     |       |                                             |"
        );
    }

    #[test]
    fn a_labelled_table_shows_its_labels_in_desc() {
        let text = table_text(&TableDescription {
            owner: "ALIYUN$M".into(),
            project: "p".into(),
            name: "t".into(),
            comment: String::new(),
            created: 1_767_225_605,
            columns: vec![
                ("id".into(), "bigint".into(), String::new()),
                ("phone".into(), "string".into(), String::new()),
            ],
            labels: Some(crate::engine::DescribedLabels {
                table: 0,
                max: 3,
                columns: vec![0, 3],
            }),
        });
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.iter().all(|l| l.chars().count() == 86), "{text}");
        assert_eq!(
            lines[4],
            "| TableLabel:               L0                                                       |"
        );
        assert_eq!(
            lines[5],
            "| MaxLabel:                 L3                                                       |"
        );
        assert_eq!(
            lines[17],
            "| id              | bigint     |       |                                             |"
        );
        assert_eq!(
            lines[18],
            "| phone           | string     | L3    |                                             |"
        );
    }
}
