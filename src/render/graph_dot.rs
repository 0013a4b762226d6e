//! The access graph as Graphviz DOT (`odpsh graph --format dot`): one statement per node and
//! edge, in the graph's order, with the colours of [`super::graph_look`].

use crate::teach::graph::Graph;

use super::graph_look::{caption, classes, edge_look, node_look};

/// A DOT string literal.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn dot_text(graph: &Graph) -> String {
    let mut out = String::from("digraph odpsh {\n");
    out.push_str("  rankdir=LR;\n");
    out.push_str(
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n",
    );
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    for node in &graph.nodes {
        let look = node_look(node);
        let style = if look.dashed {
            "rounded,filled,dashed"
        } else {
            "rounded,filled"
        };
        out.push_str(&format!(
            "  {} [label={}, class={}, style={}, fillcolor={}, color={}, penwidth={}];\n",
            quoted(&node.id),
            quoted(&format!("{}\n{}", node.label, caption(node))),
            quoted(&classes(node).join(" ")),
            quoted(style),
            quoted(look.fill),
            quoted(look.stroke),
            look.width
        ));
    }
    for edge in &graph.edges {
        let (colour, dashed) = edge_look(edge);
        let style = if dashed { ", style=dashed" } else { "" };
        out.push_str(&format!(
            "  {} -> {} [label={}, color={}{style}];\n",
            quoted(&edge.from),
            quoted(&edge.to),
            quoted(edge.kind.as_str()),
            quoted(colour)
        ));
    }
    out.push_str("}\n");
    out
}
