//! The access graph as a Mermaid flowchart (`odpsh graph --format mermaid`), for Markdown that
//! renders it (GitHub, GitLab, most wikis). Mermaid ids are letters, digits and `_` only, so
//! each id is spelled injectively in those; class definitions carry the colours.

use std::collections::BTreeMap;

use crate::teach::graph::Graph;

use super::graph_look::{caption, classes, edge_look, node_look};

/// `id` in letters, digits and `_`: `_` doubled, any other character `_` and its hexadecimal
/// code point (`_3a` for `:`, `_u4e2d_` past ASCII), so no two ids spell the same.
pub fn mermaid_id(id: &str) -> String {
    let mut out = String::from("n_");
    for c in id.chars() {
        match c {
            c if c.is_ascii_alphanumeric() => out.push(c),
            '_' => out.push_str("__"),
            c if c.is_ascii() => out.push_str(&format!("_{:02x}", c as u32)),
            c => out.push_str(&format!("_u{:x}_", c as u32)),
        }
    }
    out
}

/// Text inside a Mermaid `"…"` label.
fn label(text: &str) -> String {
    text.replace('&', "#amp;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

pub fn mermaid_text(graph: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    // Each look once, as a class named after the words that make it.
    let mut looks: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for node in &graph.nodes {
        let id = mermaid_id(&node.id);
        out.push_str(&format!(
            "  {id}[\"{}<br/>{}\"]\n",
            label(&node.label),
            label(&caption(node))
        ));
        let look = node_look(node);
        let name = classes(node).join("_");
        let style = format!(
            "fill:{},stroke:{},stroke-width:{}px{}",
            look.fill,
            look.stroke,
            look.width,
            if look.dashed {
                ",stroke-dasharray:5 3"
            } else {
                ""
            }
        );
        looks.entry(name).or_insert((style, Vec::new())).1.push(id);
    }
    let mut links = Vec::new();
    for (i, edge) in graph.edges.iter().enumerate() {
        out.push_str(&format!(
            "  {} -->|{}| {}\n",
            mermaid_id(&edge.from),
            edge.kind.as_str(),
            mermaid_id(&edge.to)
        ));
        let (colour, dashed) = edge_look(edge);
        let dash = if dashed { ",stroke-dasharray:5 3" } else { "" };
        links.push(format!("  linkStyle {i} stroke:{colour}{dash}\n"));
    }
    for (name, (style, ids)) in &looks {
        out.push_str(&format!("  classDef {name} {style}\n"));
        out.push_str(&format!("  class {} {name}\n", ids.join(",")));
    }
    for link in links {
        out.push_str(&link);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_spelled_apart() {
        assert_eq!(mermaid_id("a:b"), "n_a_3ab");
        assert_ne!(mermaid_id("a_3ab"), mermaid_id("a:b"));
        assert_eq!(mermaid_id("中"), "n__u4e2d_");
    }
}
