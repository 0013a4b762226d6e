//! `who may read <table>;` as text and JSON: each reader, where it reads from and through what.

use serde_json::{Value, json};

use super::teach_matrix::{grounds_text, not_shown_text, not_shown_value};
use crate::teach::table_readers::{ReadPath, TableReaders};

fn read_path_text(path: &ReadPath) -> String {
    match path {
        ReadPath::Directly(g) => grounds_text(g),
        ReadPath::Package { package, grounds } => {
            format!(
                "through package {package} ({} on it)",
                grounds_text(grounds)
            )
        }
    }
}

/// `who may read <table>;`.
pub fn readers_text(r: &TableReaders) -> String {
    let mut out = format!("who may read {}.{}:\n", r.project, r.table);
    if r.readers.is_empty() {
        out.push_str("  nobody it may see\n");
    }
    for reader in &r.readers {
        out.push_str(&format!(
            "  {} in {}: {}\n",
            reader.principal,
            reader.project,
            read_path_text(&reader.how)
        ));
    }
    out.push_str(&not_shown_text(&r.not_shown));
    out
}

pub fn readers_value(r: &TableReaders) -> Value {
    json!({
        "project": r.project,
        "table": r.table,
        "readers": r.readers.iter().map(|reader| json!({
            "principal": reader.principal,
            "project": reader.project,
            "how": read_path_text(&reader.how),
            "package": match &reader.how {
                ReadPath::Package { package, .. } => Some(package.as_str()),
                ReadPath::Directly(_) => None,
            },
        })).collect::<Vec<_>>(),
        "not_shown": not_shown_value(&r.not_shown),
    })
}
