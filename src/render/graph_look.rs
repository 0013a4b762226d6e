//! How the access graph looks, whatever draws it: each node's caption (the line under its name)
//! and its colours, and each edge's. DOT, Mermaid and SVG all read these, so a residual member
//! is the same red everywhere.

use crate::teach::graph::{Change, Edge, GrantSource, Node, NodeKind, Risk};
use crate::world::policy::Effect;

use super::grants::expires_text;

/// The line under a node's name: what it is, and why it stands out.
pub fn caption(node: &Node) -> String {
    let project = node.project.as_deref().unwrap_or("");
    let mut text = match node.kind {
        NodeKind::Account => "account".to_string(),
        NodeKind::Project => "project".to_string(),
        NodeKind::RamUser => "RAM user".to_string(),
        NodeKind::RamRole => "RAM role".to_string(),
        NodeKind::RamGroup => "RAM group".to_string(),
        NodeKind::AccessKey => match node.active {
            Some(true) => "AccessKey, active".to_string(),
            _ => "AccessKey, inactive".to_string(),
        },
        NodeKind::RamPolicy => "RAM policy".to_string(),
        NodeKind::Member => format!("member of {project}"),
        NodeKind::Principal => format!("not a member of {project}"),
        NodeKind::Role => format!("role in {project}"),
        NodeKind::Grant => grant_caption(node),
        NodeKind::Pattern => "policy resource".to_string(),
        NodeKind::Object => {
            let kind = node.object.map_or("object", |k| k.as_str());
            format!("{kind} in {project}")
        }
    };
    match node.risk {
        Some(Risk::Residual) if node.label.contains("v4_") || node.label.contains(":role/") => {
            text.push_str(", RAM role deleted")
        }
        Some(Risk::Residual) => text.push_str(", RAM user deleted"),
        Some(Risk::HighRisk) => text.push_str(", high-risk"),
        Some(Risk::KeyLeftActive) => text.push_str(", user in no project"),
        Some(Risk::Deny) | None => {}
    }
    if let Some(change) = node.change {
        text.push_str(&format!(" [{}]", change.as_str()));
    }
    text
}

fn grant_caption(node: &Node) -> String {
    let Some(g) = &node.grant else {
        return "grant".to_string();
    };
    let effect = match g.effect {
        Effect::Allow => "allow",
        Effect::Deny => "deny",
    };
    let mut text = match g.source {
        GrantSource::Acl => "ACL grant".to_string(),
        GrantSource::RolePolicy => format!("policy {effect}"),
        GrantSource::ProjectPolicy => format!("project policy {effect}"),
        GrantSource::Builtin => "built-in role policy".to_string(),
    };
    if g.conditional {
        text.push_str(", with conditions");
    }
    if let Some(t) = g.expires {
        text.push_str(&format!(", expires {}", expires_text(t)));
    }
    text
}

/// A node's fill, outline and outline width, and whether the outline is dashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    pub fill: &'static str,
    pub stroke: &'static str,
    pub width: u8,
    pub dashed: bool,
}

pub const RED: &str = "#c62828";
pub const ORANGE: &str = "#e65100";
pub const GREEN: &str = "#2e7d32";
pub const BLUE: &str = "#1565c0";
pub const GREY: &str = "#9e9e9e";
const INK: &str = "#455a64";

pub fn node_look(node: &Node) -> Look {
    let fill = match node.kind {
        NodeKind::Account => "#dbe9ff",
        NodeKind::Project => "#e8e0ff",
        NodeKind::RamUser => "#dff3ff",
        NodeKind::RamRole => "#e1f5fe",
        NodeKind::RamGroup => "#e0f2f1",
        NodeKind::AccessKey => "#f5f5f5",
        NodeKind::RamPolicy => "#fff8e1",
        NodeKind::Member => "#e3f5e1",
        NodeKind::Principal => "#eeeeee",
        NodeKind::Role => "#fff0d6",
        NodeKind::Grant => "#ffffff",
        NodeKind::Pattern => "#f3f3f3",
        NodeKind::Object => "#f0f0f0",
    };
    let mut look = Look {
        fill,
        stroke: INK,
        width: 1,
        dashed: false,
    };
    match node.risk {
        Some(Risk::Residual) => {
            look = Look {
                fill: "#ffd6d6",
                stroke: RED,
                width: 3,
                dashed: true,
            }
        }
        Some(Risk::Deny) => {
            look = Look {
                fill: "#ffebee",
                stroke: RED,
                width: 2,
                dashed: false,
            }
        }
        Some(Risk::HighRisk | Risk::KeyLeftActive) => {
            look = Look {
                fill: "#ffe0b2",
                stroke: ORANGE,
                width: 3,
                dashed: false,
            }
        }
        None => {}
    }
    match node.change {
        Some(Change::Added) => {
            look.stroke = GREEN;
            look.width = 3;
        }
        Some(Change::Removed) => {
            look.stroke = GREY;
            look.fill = "#fafafa";
            look.dashed = true;
        }
        Some(Change::Changed) => {
            look.stroke = BLUE;
            look.width = 3;
        }
        None => {}
    }
    look
}

/// An edge's colour and whether it is dashed.
pub fn edge_look(edge: &Edge) -> (&'static str, bool) {
    match (edge.change, edge.risk) {
        (Some(Change::Added), _) => (GREEN, false),
        (Some(Change::Removed), _) => (GREY, true),
        (_, Some(Risk::Deny)) => (RED, true),
        (_, Some(Risk::HighRisk)) => (ORANGE, false),
        _ => (INK, false),
    }
}

/// The words a node's class attribute carries (SVG, Mermaid): its kind, risk and change.
pub fn classes(node: &Node) -> Vec<&'static str> {
    let mut words = vec![node.kind.as_str()];
    words.extend(node.risk.map(Risk::as_str));
    words.extend(node.change.map(Change::as_str));
    words
}
