//! Packages and downloads as odpscmd prints them: `describe package` in the documented layout
//! (labelled values padded to 20 columns, then the object list and the allowed projects in
//! boxes with a rule after every row), `show packages` in the same boxes (odpsh's layout; the
//! service's is not documented), and the summary of a `tunnel download`.

use serde_json::{Value, json};

use super::grants::expires_text;
use crate::engine::{Download, PackageDescription, PackageList};

/// A box with a rule after every row, each column at least as wide as `minimum` says.
fn ruled_box(columns: &[&str], minimum: &[usize], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .chain([c.chars().count(), minimum.get(i).copied().unwrap_or(0)])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let rule: String = widths
        .iter()
        .map(|w| format!("+{}", "-".repeat(w + 2)))
        .collect::<String>()
        + "+\n";
    let line = |cells: Vec<&str>| {
        widths
            .iter()
            .zip(cells)
            .map(|(w, cell)| format!("| {cell}{} ", " ".repeat(w - cell.chars().count())))
            .collect::<String>()
            + "|\n"
    };
    let mut text = rule.clone();
    text.push_str(&line(columns.to_vec()));
    text.push_str(&rule);
    for row in rows {
        text.push_str(&line(row.iter().map(String::as_str).collect()));
        text.push_str(&rule);
    }
    text
}

/// `describe package`.
pub fn description_text(d: &PackageDescription) -> String {
    let mut text = format!(
        "{:<20}{}\n{:<20}{}\n{:<20}{}\n\n",
        "CreateTime:",
        expires_text(d.created),
        "PackageName:",
        d.name,
        "SourceProject:",
        d.source
    );
    text.push_str("Object List\n");
    let objects: Vec<Vec<String>> = d
        .objects
        .iter()
        .map(|(kind, name, privileges)| vec![kind.clone(), name.clone(), privileges.clone()])
        .collect();
    text.push_str(&ruled_box(
        &["ObjectType", "ObjectName", "ObjectPrivileges"],
        &[12, 40, 16],
        &objects,
    ));
    text.push_str("Allowed Project List\n");
    let allowed: Vec<Vec<String>> = d
        .allowed
        .iter()
        .map(|(project, label)| vec![project.clone(), label.to_string()])
        .collect();
    text.push_str(&ruled_box(
        &["ProjectName", "UserLabel"],
        &[15, 9],
        &allowed,
    ));
    text
}

/// `show packages`.
pub fn list_text(list: &PackageList) -> String {
    let created: Vec<Vec<String>> = list
        .created
        .iter()
        .map(|(name, at)| vec![name.clone(), expires_text(*at)])
        .collect();
    let installed: Vec<Vec<String>> = list
        .installed
        .iter()
        .map(|(name, source, status, at)| {
            vec![
                name.clone(),
                source.clone(),
                status.to_string(),
                expires_text(*at),
            ]
        })
        .collect();
    let mut text = String::from("Created Packages\n");
    text.push_str(&ruled_box(
        &["PackageName", "CreateTime"],
        &[15, 24],
        &created,
    ));
    text.push_str("Installed Packages\n");
    text.push_str(&ruled_box(
        &["PackageName", "SourceProject", "Status", "InstallTime"],
        &[15, 15, 6, 24],
        &installed,
    ));
    text
}

/// The summary odpscmd prints after a download.
pub fn download_text(d: &Download) -> String {
    format!(
        "Download session: {}\nTotal records: {}\ndownload OK\n",
        d.session, d.records
    )
}

pub fn description_json(d: &PackageDescription) -> Value {
    json!({
        "createTime": expires_text(d.created),
        "name": d.name,
        "sourceProject": d.source,
        "objects": d.objects.iter().map(|(kind, name, privileges)| json!({
            "type": kind, "name": name, "privileges": privileges.split(',').collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "allowedProjects": d.allowed.iter().map(|(project, label)| json!({
            "project": project, "label": label,
        })).collect::<Vec<_>>(),
    })
}

/// In the shape of the MaxCompute OpenAPI's `ListPackages` data.
pub fn list_json(list: &PackageList) -> Value {
    json!({
        "createdPackages": list.created.iter().map(|(name, at)| json!({
            "name": name, "createTime": expires_text(*at),
        })).collect::<Vec<_>>(),
        "installedPackages": list.installed.iter().map(|(name, source, status, at)| json!({
            "name": name, "sourceProject": source, "status": status,
            "installTime": expires_text(*at),
        })).collect::<Vec<_>>(),
    })
}

pub fn download_json(d: &Download) -> Value {
    json!({ "session": d.session, "file": d.file, "records": d.records })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_package_has_the_documented_layout() {
        let d = PackageDescription {
            created: 1_640_686_239,
            name: "datashare".into(),
            source: "test_project_a".into(),
            objects: vec![
                ("RESOURCE".into(), "udtf.jar".into(), "Read".into()),
                (
                    "TABLE".into(),
                    "sale_detail".into(),
                    "Describe,Select".into(),
                ),
            ],
            allowed: vec![("test_project_b".into(), 0)],
        };
        let expected = "\
CreateTime:         2021-12-28T10:10:39+0000
PackageName:        datashare
SourceProject:      test_project_a

Object List
+--------------+------------------------------------------+------------------+
| ObjectType   | ObjectName                               | ObjectPrivileges |
+--------------+------------------------------------------+------------------+
| RESOURCE     | udtf.jar                                 | Read             |
+--------------+------------------------------------------+------------------+
| TABLE        | sale_detail                              | Describe,Select  |
+--------------+------------------------------------------+------------------+
Allowed Project List
+-----------------+-----------+
| ProjectName     | UserLabel |
+-----------------+-----------+
| test_project_b  | 0         |
+-----------------+-----------+
";
        assert_eq!(description_text(&d), expected);
    }
}
