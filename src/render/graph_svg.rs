//! The access graph as SVG (`odpsh graph --format svg`, the page of `odpsh serve --ui`), laid
//! out and drawn in pure Rust by the `layout-rs` crate (no Graphviz at run time). Each node's
//! group carries `data-id` (its graph id) and `class` (its kind, risk and change), so the page
//! can find and style it.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use layout::backends::svg::SVGWriter;
use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::geometry::Point;
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;

use crate::teach::graph::Graph;

use super::graph_look::{caption, classes, edge_look, node_look};

/// More nodes than this are not drawn: the picture would be unreadable.
pub const MAX_SVG_NODES: usize = 5000;
/// Up to this many nodes `layout-rs` lays the picture out (its crossing reduction makes the
/// nicer picture, in well under a second); beyond, the layered layout of
/// [`super::graph_layered`] does, in time linear in the graph.
pub const CRATE_LAYOUT_NODES: usize = 120;
const FONT_SIZE: usize = 12;

/// Why no SVG was drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SvgError {
    #[error(
        "{0} nodes are too many to draw (at most {MAX_SVG_NODES}); narrow it with --project or --focus, or use --format dot"
    )]
    TooLarge(usize),
}

/// Text inside an XML attribute value.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn colour(web: &str) -> Color {
    Color::from_name(web).unwrap_or_else(|| Color::new(0x0000_00ff))
}

const EMPTY: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<svg width=\"10\" height=\"10\" viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\"></svg>\n";

pub fn svg_text(graph: &Graph) -> Result<String, SvgError> {
    if graph.nodes.len() > MAX_SVG_NODES {
        return Err(SvgError::TooLarge(graph.nodes.len()));
    }
    if graph.nodes.is_empty() {
        return Ok(EMPTY.to_string());
    }
    if graph.nodes.len() > CRATE_LAYOUT_NODES {
        return Ok(super::graph_layered::layered_svg(graph));
    }
    // A panic inside the crate is not the user's fault: the layered layout draws instead.
    let Ok(drawn) = catch_unwind(AssertUnwindSafe(|| draw(graph))) else {
        return Ok(super::graph_layered::layered_svg(graph));
    };
    // The crate's one font is a serif; the page and the README read better in a sans-serif.
    let drawn = drawn.replace(
        "font-family: Times, serif;",
        "font-family: Helvetica, Arial, sans-serif;",
    );
    Ok(fitted(&drawn))
}

/// A box for two lines of text at [`FONT_SIZE`] in a sans-serif.
fn box_size(label: &str, caption: &str) -> Point {
    Point::new(
        super::graph_layered::box_width(label, caption),
        2.0 * 15.0 + 14.0,
    )
}

/// The number after `name="` in `tag`.
fn number(tag: &str, name: &str) -> Option<f64> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let rest = &tag[at..];
    rest[..rest.find('"')?].trim().parse().ok()
}

/// The picture with its size fitted to its boxes: the crate grows the canvas by each text's
/// length in both directions, which leaves a wide empty band below a graph.
fn fitted(svg: &str) -> String {
    let (mut width, mut height) = (0.0f64, 0.0f64);
    for tag in svg.split("<rect").skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        if let (Some(x), Some(y), Some(w), Some(h)) = (
            number(tag, "x"),
            number(tag, "y"),
            number(tag, "width"),
            number(tag, "height"),
        ) {
            width = width.max(x + w);
            height = height.max(y + h);
        }
    }
    let (Some(start), true) = (svg.find("<svg "), width > 0.0) else {
        return svg.to_string();
    };
    let Some(end) = svg[start..].find('>').map(|e| start + e) else {
        return svg.to_string();
    };
    let (w, h) = ((width + 10.0).ceil(), (height + 10.0).ceil());
    format!(
        "{}<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">{}",
        &svg[..start],
        &svg[end + 1..]
    )
}

fn draw(graph: &Graph) -> String {
    let mut vg = VisualGraph::new(Orientation::LeftToRight);
    let mut handles = BTreeMap::new();
    for node in &graph.nodes {
        let look = node_look(node);
        let shape = ShapeKind::new_box(&format!("{}\n{}", node.label, caption(node)));
        let style = StyleAttr::new(
            colour(look.stroke),
            usize::from(look.width),
            Some(colour(look.fill)),
            6,
            FONT_SIZE,
        );
        let size = box_size(&node.label, &caption(node));
        let properties = format!(
            "class=\"{}\" data-id=\"{}\"",
            attribute(&format!("node {}", classes(node).join(" "))),
            attribute(&node.id)
        );
        let element = Element::create_with_properties(
            shape,
            style,
            Orientation::LeftToRight,
            size,
            properties,
        );
        handles.insert(node.id.as_str(), vg.add_node(element));
    }
    for edge in &graph.edges {
        let (Some(&from), Some(&to)) = (
            handles.get(edge.from.as_str()),
            handles.get(edge.to.as_str()),
        ) else {
            continue;
        };
        let (stroke, dashed) = edge_look(edge);
        let style = StyleAttr::new(colour(stroke), 1, None, 0, FONT_SIZE);
        let line = if dashed {
            LineStyleKind::Dashed
        } else {
            LineStyleKind::Normal
        };
        let properties = format!(
            "class=\"edge {}\" data-from=\"{}\" data-to=\"{}\"",
            edge.kind.as_str(),
            attribute(&edge.from),
            attribute(&edge.to)
        );
        let arrow = Arrow::with_properties(
            LineEndKind::None,
            LineEndKind::Arrow,
            line,
            "",
            &style,
            properties,
            &None,
            &None,
        );
        vg.add_edge(arrow, from, to);
    }
    let mut svg = SVGWriter::new();
    vg.do_it(false, false, false, &mut svg);
    svg.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::teach::graph::{Node, NodeKind, Risk};

    fn node(id: &str, kind: NodeKind, risk: Option<Risk>) -> Node {
        Node {
            id: id.into(),
            kind,
            label: id.into(),
            project: Some("p".into()),
            risk,
            grant: None,
            active: None,
            object: None,
            change: None,
        }
    }

    #[test]
    fn the_picture_is_xml_fitted_to_its_boxes_and_the_same_every_time() {
        let mut graph = Graph::default();
        graph.nodes.push(node(
            "member:p:p4_1",
            NodeKind::Member,
            Some(Risk::Residual),
        ));
        graph
            .nodes
            .push(node("role:p:r & <x>", NodeKind::Role, None));
        graph.edges.push(crate::teach::graph::Edge {
            from: "member:p:p4_1".into(),
            to: "role:p:r & <x>".into(),
            kind: crate::teach::graph::EdgeKind::Holds,
            risk: None,
            change: None,
        });
        let svg = svg_text(&graph).unwrap();
        assert_eq!(svg, svg_text(&graph).unwrap());
        let mut reader = quick_xml::Reader::from_str(&svg);
        let mut residual = false;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Start(e)) => {
                    let class = e.try_get_attribute("class").ok().flatten();
                    residual |= class.is_some_and(|c| c.value.as_ref() == b"node member residual");
                }
                Ok(_) => {}
                Err(e) => panic!("not XML: {e}"),
            }
        }
        assert!(residual);
        assert!(!svg.contains("height=\"6"), "fitted: {}", &svg[..200]);
        assert_eq!(svg_text(&Graph::default()).unwrap(), EMPTY);
    }
}
