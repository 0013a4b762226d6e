//! What `odpsh import` tells: what it built, what it could not infer, what it assumed; one line
//! each, as text or JSON.

use serde_json::{Value, json};

use super::texts;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Built,
    NotInferred,
    Assumed,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Built => texts::BUILT,
            Kind::NotInferred => texts::NOT_INFERRED,
            Kind::Assumed => texts::ASSUMED,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Kind::Built => "built",
            Kind::NotInferred => "not_inferred",
            Kind::Assumed => "assumed",
        }
    }
}

/// The report's lines, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub lines: Vec<(Kind, String)>,
}

impl Report {
    pub fn push(&mut self, kind: Kind, text: String) {
        self.lines.push((kind, text));
    }

    /// `built: …`, then `could not infer: …`, then `assumed: …`, one line each.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for kind in [Kind::Built, Kind::NotInferred, Kind::Assumed] {
            for (k, line) in &self.lines {
                if *k == kind {
                    out.push_str(&format!("{}: {line}\n", kind.as_str()));
                }
            }
        }
        out
    }

    /// `{"built": [...], "not_inferred": [...], "assumed": [...]}`.
    pub fn json(&self) -> Value {
        let mut v = json!({});
        for kind in [Kind::Built, Kind::NotInferred, Kind::Assumed] {
            let lines: Vec<&str> = self
                .lines
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, l)| l.as_str())
                .collect();
            v[kind.key()] = json!(lines);
        }
        v
    }
}
