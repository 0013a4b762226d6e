//! `odpsh graph`: the access graph of the saved world (or the default one with `--fresh`),
//! drawn as DOT, Mermaid, SVG or JSON on standard output. Read-only.

use std::path::Path;
use std::process::ExitCode;

use crate::render;
use crate::store::Store;
use crate::teach::graph::{self, Graph};
use crate::world::World;

use super::args::{GraphArgs, GraphFormat};
use super::console::Console;
use super::teach_commands::load;
use super::{Args, EXIT_USAGE, texts};

/// A world `--diff` names: a state file or a `world export`, which must exist.
fn load_path(console: &mut Console, path: &Path, args: &Args) -> Option<World> {
    if !path.is_file() {
        console.line(&texts::graph_no_world_file(path));
        return None;
    }
    load(console, Some(&Store::new(path.to_path_buf())), args)
}

/// The graph of `world` as `args` and `graph_args` ask (`--project`, then `--focus`).
fn graph_of(world: &World, args: &Args, focus: Option<&str>) -> Result<Graph, graph::GraphError> {
    let whole = graph::build(world, args.project.as_deref())?;
    match focus {
        Some(f) => graph::focus(&whole, f),
        None => Ok(whole),
    }
}

/// The graph drawn in `format`.
pub fn draw(graph: &Graph, format: GraphFormat) -> Result<String, render::graph_svg::SvgError> {
    Ok(match format {
        GraphFormat::Dot => render::graph_dot::dot_text(graph),
        GraphFormat::Mermaid => render::graph_mermaid::mermaid_text(graph),
        GraphFormat::Svg => render::graph_svg::svg_text(graph)?,
        GraphFormat::Json => {
            let value = render::graph_json::graph_value(graph);
            format!("{}\n", render::json::pretty_text(&value))
        }
        GraphFormat::Ndjson => {
            let value = render::graph_json::graph_value(graph);
            format!("{}\n", render::json::compact_text(&value))
        }
    })
}

/// `odpsh graph`: 0 with the graph on standard output, 2 when the world, the project or the
/// focus cannot be found.
pub fn run_graph(args: &Args, store: Option<&Store>, graph_args: &GraphArgs) -> ExitCode {
    let mut console = Console::standard();
    let Some(format) = args.graph_format() else {
        console.line(&texts::misplaced_format("text"));
        return console.finish(EXIT_USAGE);
    };
    let focus = graph_args.focus.as_deref();
    let graph = match graph_args.diff.as_deref() {
        Some([a, b]) => {
            let before = load_path(&mut console, a, args);
            let after = load_path(&mut console, b, args);
            let (Some(before), Some(after)) = (before, after) else {
                return console.finish(EXIT_USAGE);
            };
            // Focused after the difference is taken, so what was removed can still be found.
            let both = graph_of(&before, args, None)
                .and_then(|old| graph_of(&after, args, None).map(|new| graph::diff(&old, &new)));
            both.and_then(|d| match focus {
                Some(f) => graph::focus(&d, f),
                None => Ok(d),
            })
        }
        _ => {
            let Some(world) = load(&mut console, store, args) else {
                return console.finish(EXIT_USAGE);
            };
            graph_of(&world, args, focus)
        }
    };
    let graph = match graph {
        Ok(g) => g,
        Err(e) => {
            console.line(&e.to_string());
            return console.finish(EXIT_USAGE);
        }
    };
    match draw(&graph, format) {
        Ok(text) => {
            console.out(&text);
            console.finish(0)
        }
        Err(e) => {
            console.line(&e.to_string());
            console.finish(EXIT_USAGE)
        }
    }
}
