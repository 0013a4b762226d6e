//! The access graph as JSON (`odpsh graph --format json`, and the page's `/ui/graph.json`):
//! `{"nodes": [...], "edges": [...]}`, each node with its `id`, `kind`, `label` and `caption`,
//! and what applies of `project`, `risk`, `change`, `active`, `object` and `grant`.

use serde_json::{Map, Value, json};

use crate::teach::graph::panel::Listing;
use crate::teach::graph::{Edge, Graph, Node};
use crate::vocabulary::ObjectKind;
use crate::world::policy::Effect;

use super::graph_look::caption;

fn node_value(node: &Node) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(node.id));
    m.insert("kind".into(), json!(node.kind.as_str()));
    m.insert("label".into(), json!(node.label));
    m.insert("caption".into(), json!(caption(node)));
    if let Some(p) = &node.project {
        m.insert("project".into(), json!(p));
    }
    if let Some(r) = node.risk {
        m.insert("risk".into(), json!(r.as_str()));
    }
    if let Some(c) = node.change {
        m.insert("change".into(), json!(c.as_str()));
    }
    if let Some(a) = node.active {
        m.insert("active".into(), json!(a));
    }
    if let Some(k) = node.object {
        m.insert("object".into(), json!(k.as_str()));
    }
    if let Some(g) = &node.grant {
        let mut grant = Map::new();
        grant.insert("source".into(), json!(g.source.as_str()));
        let effect = match g.effect {
            Effect::Allow => "allow",
            Effect::Deny => "deny",
        };
        grant.insert("effect".into(), json!(effect));
        grant.insert("actions".into(), json!(g.actions));
        grant.insert("resources".into(), json!(g.resources));
        if let Some(t) = g.expires {
            grant.insert("expires".into(), json!(t));
        }
        if g.conditional {
            grant.insert("conditional".into(), json!(true));
        }
        m.insert("grant".into(), Value::Object(grant));
    }
    Value::Object(m)
}

fn edge_value(edge: &Edge) -> Value {
    let mut m = Map::new();
    m.insert("from".into(), json!(edge.from));
    m.insert("to".into(), json!(edge.to));
    m.insert("kind".into(), json!(edge.kind.as_str()));
    if let Some(r) = edge.risk {
        m.insert("risk".into(), json!(r.as_str()));
    }
    if let Some(c) = edge.change {
        m.insert("change".into(), json!(c.as_str()));
    }
    Value::Object(m)
}

pub fn graph_value(graph: &Graph) -> Value {
    json!({
        "nodes": graph.nodes.iter().map(node_value).collect::<Vec<_>>(),
        "edges": graph.edges.iter().map(edge_value).collect::<Vec<_>>(),
    })
}

/// The statement a listing of the page's side panel is what `odpsh` prints for, and the
/// project it runs in.
fn listing_title(listing: &Listing) -> String {
    match listing {
        Listing::Principal {
            project,
            name,
            residual: true,
            ..
        } => format!(
            "odps@ {project}: the grants of {name}, which no statement can name (its RAM user was deleted)"
        ),
        Listing::Principal { project, name, .. } => {
            format!("odps@ {project}>show grants for {name};")
        }
        Listing::Role { project, role, .. } => {
            format!("odps@ {project}>show grants for role {role};")
        }
        Listing::Object { project, key, .. } => match key.kind {
            ObjectKind::Table => format!("odps@ {project}>show acl for {};", key.name),
            ObjectKind::Project => {
                format!("odps@ {project}>show acl for {project} on type project;")
            }
            kind => format!(
                "odps@ {project}>show acl for {} on type {};",
                key.name,
                kind.as_str()
            ),
        },
    }
}

/// The side panel's JSON: `{"listings": [{"title": …, "text": …}]}`, each text as the shell
/// prints the statement of its title.
pub fn panel_value(listings: &[Listing]) -> Value {
    let items: Vec<Value> = listings
        .iter()
        .map(|l| {
            let text = match l {
                Listing::Principal { report, .. } | Listing::Role { report, .. } => {
                    super::grants::grants_text(report)
                }
                Listing::Object { report, .. } => super::grants::acl_text(report),
            };
            json!({"title": listing_title(l), "text": text})
        })
        .collect();
    json!({ "listings": items })
}
