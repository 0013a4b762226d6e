//! A layered layout of the access graph for pictures too large for `layout-rs` to lay out
//! quickly (its crossing reduction grows much faster than the graph). Each kind of node has its
//! column, in the order access flows (accounts; projects and RAM users; groups, keys and
//! members; RAM policies and roles; grants; objects), so every edge points right. Within a
//! column nodes are ordered by a few sweeps of the barycentre of their neighbours; edges are
//! curves from a box's right side to the next's left. Linear in the graph, per sweep.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::teach::graph::{Graph, NodeKind};

use super::graph_look::{caption, classes, edge_look, node_look};

const BOX_HEIGHT: f64 = 40.0;
const ROW_GAP: f64 = 14.0;
const COLUMN_GAP: f64 = 90.0;
const MARGIN: f64 = 10.0;
const SWEEPS: usize = 4;

fn column(kind: NodeKind) -> usize {
    match kind {
        NodeKind::Account => 0,
        NodeKind::Project | NodeKind::RamUser | NodeKind::RamRole => 1,
        NodeKind::RamGroup | NodeKind::AccessKey | NodeKind::Member | NodeKind::Principal => 2,
        NodeKind::RamPolicy | NodeKind::Role => 3,
        NodeKind::Grant => 4,
        NodeKind::Pattern | NodeKind::Object => 5,
    }
}

/// A box wide enough for two lines of 12 px sans-serif (about 7 px a character).
pub fn box_width(label: &str, caption: &str) -> f64 {
    let chars = label.chars().count().max(caption.chars().count()) as f64;
    chars * 7.0 + 24.0
}

fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Orders each column by the mean position of the nodes `neighbours` lists for each node
/// (those without neighbours keep their place).
fn sweep(columns: &mut [Vec<usize>], neighbours: &[Vec<usize>], place: &mut [f64]) {
    for col in columns.iter_mut() {
        let mut keyed: Vec<(f64, usize, usize)> = col
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let ns = &neighbours[n];
                let key = if ns.is_empty() {
                    place[n]
                } else {
                    ns.iter().map(|&m| place[m]).sum::<f64>() / ns.len() as f64
                };
                (key, i, n)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        *col = keyed.into_iter().map(|(_, _, n)| n).collect();
        let len = col.len().max(1) as f64;
        for (i, &n) in col.iter().enumerate() {
            place[n] = i as f64 / len;
        }
    }
}

pub fn layered_svg(graph: &Graph) -> String {
    let index: BTreeMap<&str, usize> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let n = graph.nodes.len();
    let mut preds = vec![Vec::new(); n];
    let mut succs = vec![Vec::new(); n];
    for e in &graph.edges {
        if let (Some(&a), Some(&b)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) {
            succs[a].push(b);
            preds[b].push(a);
        }
    }
    let mut columns: Vec<Vec<usize>> = vec![Vec::new(); 6];
    for (i, node) in graph.nodes.iter().enumerate() {
        columns[column(node.kind)].push(i);
    }
    let mut place = vec![0.0; n];
    for col in &columns {
        let len = col.len().max(1) as f64;
        for (i, &m) in col.iter().enumerate() {
            place[m] = i as f64 / len;
        }
    }
    for _ in 0..SWEEPS {
        sweep(&mut columns, &preds, &mut place);
        columns.reverse();
        sweep(&mut columns, &succs, &mut place);
        columns.reverse();
    }
    // Coordinates: columns side by side, each centred on the tallest.
    let captions: Vec<String> = graph.nodes.iter().map(caption).collect();
    let widths: Vec<f64> = graph
        .nodes
        .iter()
        .zip(&captions)
        .map(|(node, c)| box_width(&node.label, c))
        .collect();
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0) as f64;
    let full = tallest * (BOX_HEIGHT + ROW_GAP);
    let mut xy = vec![(0.0, 0.0); n];
    let mut x = MARGIN;
    for col in &columns {
        let top = MARGIN + (full - col.len() as f64 * (BOX_HEIGHT + ROW_GAP)) / 2.0;
        let width = col.iter().map(|&m| widths[m]).fold(0.0, f64::max);
        for (i, &m) in col.iter().enumerate() {
            xy[m] = (
                x + (width - widths[m]) / 2.0,
                top + i as f64 * (BOX_HEIGHT + ROW_GAP),
            );
        }
        if !col.is_empty() {
            x += width + COLUMN_GAP;
        }
    }
    let (w, h) = (
        (x - COLUMN_GAP + MARGIN).ceil(),
        (full + 2.0 * MARGIN).ceil(),
    );
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">\n<defs><marker id=\"endarrow\" markerWidth=\"10\" markerHeight=\"7\" refX=\"10\" refY=\"3.5\" orient=\"auto\"><polygon points=\"0 0, 10 3.5, 0 7\" fill=\"context-stroke\"/></marker></defs>\n<style>text {{ font-size: 12px; font-family: Helvetica, Arial, sans-serif; }}</style>\n"
    );
    for e in &graph.edges {
        let (Some(&a), Some(&b)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) else {
            continue;
        };
        let (x1, y1) = (xy[a].0 + widths[a], xy[a].1 + BOX_HEIGHT / 2.0);
        let (mut x2, y2) = (xy[b].0, xy[b].1 + BOX_HEIGHT / 2.0);
        // A grant on the project points back to its column: into the project's right side.
        let back = x2 < x1;
        if back {
            x2 += widths[b];
        }
        let dx = ((x2 - x1) / 2.0).max(40.0);
        let (c1, c2) = if back {
            (x1 + dx, x2 + dx)
        } else {
            (x1 + dx, x2 - dx)
        };
        let (stroke, dashed) = edge_look(e);
        let dash = if dashed {
            " stroke-dasharray=\"5,5\""
        } else {
            ""
        };
        let _ = writeln!(
            svg,
            "<g class=\"edge {}\" data-from=\"{}\" data-to=\"{}\"><path d=\"M {x1:.1} {y1:.1} C {:.1} {y1:.1}, {:.1} {y2:.1}, {x2:.1} {y2:.1}\" stroke=\"{stroke}\" stroke-width=\"1\" fill=\"none\" marker-end=\"url(#endarrow)\"{dash}/></g>",
            e.kind.as_str(),
            escaped(&e.from),
            escaped(&e.to),
            c1,
            c2,
        );
    }
    for (i, node) in graph.nodes.iter().enumerate() {
        let look = node_look(node);
        let (x, y) = xy[i];
        let dash = if look.dashed {
            " stroke-dasharray=\"6,3\""
        } else {
            ""
        };
        let cx = x + widths[i] / 2.0;
        let _ = writeln!(
            svg,
            "<g class=\"node {}\" data-id=\"{}\"><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{BOX_HEIGHT}\" rx=\"6\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"{dash}/><text text-anchor=\"middle\" x=\"{cx:.1}\" y=\"{:.1}\"><tspan x=\"{cx:.1}\">{}</tspan><tspan x=\"{cx:.1}\" dy=\"1.2em\">{}</tspan></text></g>",
            classes(node).join(" "),
            escaped(&node.id),
            widths[i],
            look.fill,
            look.stroke,
            look.width,
            y + 16.0,
            escaped(&node.label),
            escaped(&captions[i]),
        );
    }
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::teach::graph::build;
    use crate::world::World;

    /// A world of `n` RAM users, each a member holding role_project_dev; the last deleted.
    fn world(n: usize) -> World {
        let mut script = String::new();
        for i in 0..n {
            script.push_str(&format!(
                "aliyun ram CreateUser --UserName u{i}\nadd user RAM$MainCount:u{i};\ngrant role_project_dev to RAM$MainCount:u{i};\n"
            ));
        }
        script.push_str(&format!("aliyun ram DeleteUser --UserName u{}\n", n - 1));
        crate::teach::test_support::world_after(&script).0
    }

    #[test]
    fn a_large_graph_is_drawn_in_columns_as_xml_with_every_node() {
        let graph = build(&world(120), None).unwrap();
        assert!(graph.nodes.len() > super::super::graph_svg::CRATE_LAYOUT_NODES);
        let svg = super::super::graph_svg::svg_text(&graph).unwrap();
        assert_eq!(
            svg,
            layered_svg(&graph),
            "past the crate's limit, the layered layout draws"
        );
        assert_eq!(svg, layered_svg(&graph.clone()), "the same every time");
        let mut reader = quick_xml::Reader::from_str(&svg);
        let (mut nodes, mut residual) = (0, 0);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Start(e)) => {
                    if let Ok(Some(class)) = e.try_get_attribute("class") {
                        let class = String::from_utf8_lossy(&class.value).into_owned();
                        nodes += usize::from(class.starts_with("node "));
                        residual += usize::from(class == "node member residual");
                    }
                }
                Ok(_) => {}
                Err(e) => panic!("not XML: {e}"),
            }
        }
        assert_eq!(nodes, graph.nodes.len());
        assert_eq!(residual, 1);
    }

    #[test]
    fn every_edge_but_those_into_the_project_points_to_a_later_column() {
        let graph = build(
            &crate::teach::test_support::world_after(crate::teach::test_support::RICH_USER).0,
            None,
        )
        .unwrap();
        for e in &graph.edges {
            let kind = |id: &str| graph.node(id).map(|n| column(n.kind));
            let into_project = graph
                .node(&e.to)
                .is_some_and(|n| n.kind == NodeKind::Project);
            assert!(
                into_project || kind(&e.from) < kind(&e.to),
                "{} -> {}",
                e.from,
                e.to
            );
        }
    }
}
