//! `odpsh import FILE…`, `odpsh capture-script`, `odpsh diff A B` and `odpsh check --diff FILE`:
//! bringing a real project in as a world, and the difference between two worlds as statements.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::json;

use crate::diff::{self, ChangeSet};
use crate::engine::{self, Session};
use crate::import::{self, CaptureFile, capture_script};
use crate::render;
use crate::store::{self, Store};
use crate::syntax::{parse_piece, split};
use crate::world::World;

use super::console::Console;
use super::{Args, EXIT_FAILED, EXIT_USAGE, FormatArg, session_for, texts};

fn json_text(args: &Args, value: &serde_json::Value) -> String {
    match args.format() {
        FormatArg::Ndjson => format!("{}\n", render::json::compact_text(value)),
        _ => format!("{}\n", render::json::pretty_text(value)),
    }
}

fn read_text(path: &Path, args: &Args) -> Result<String, String> {
    super::source::read(super::source::Origin::File(path), args.encoding).map_err(|e| e.to_string())
}

/// The worlds the captures describe, or the lines that could not be read.
fn import_files(paths: &[PathBuf], args: &Args) -> Result<(World, import::Report), Vec<String>> {
    let mut texts = Vec::new();
    for p in paths {
        texts.push((
            p.display().to_string(),
            read_text(p, args).map_err(|e| vec![e])?,
        ));
    }
    let files: Vec<CaptureFile<'_>> = texts
        .iter()
        .map(|(name, text)| CaptureFile { name, text })
        .collect();
    import::import(&files).map_err(|e| e.0.iter().map(ToString::to_string).collect())
}

/// `odpsh import FILE…`: 0 when imported, 2 when a capture could not be read or saved.
pub fn run_import(args: &Args, store: Option<&Store>, paths: &[PathBuf]) -> ExitCode {
    let mut console = Console::standard();
    let Some(store) = store else {
        console.line(texts::FRESH_HAS_NO_SAVED_WORLD);
        return console.finish(EXIT_USAGE);
    };
    let (world, report) = match import_files(paths, args) {
        Ok(built) => built,
        Err(lines) => {
            if args.format() == FormatArg::Text {
                for l in &lines {
                    console.err(&format!("{l}\n"));
                }
            } else {
                console.out(&json_text(args, &json!({ "errors": lines })));
            }
            console.line(&texts::nothing_imported(store.path()));
            return console.finish(EXIT_USAGE);
        }
    };
    let saved = store
        .lock_announced(|| {
            console.err(&texts::waiting_for_lock(store.path()));
            console.flush();
        })
        .and_then(|_lock| store.save(&world));
    if let Err(e) = saved {
        console.line(&e.to_string());
        console.line(&texts::nothing_imported(store.path()));
        return console.finish(EXIT_USAGE);
    }
    match args.format() {
        FormatArg::Text => console.out(&report.text()),
        _ => console.out(&json_text(args, &report.json())),
    }
    console.line(&texts::captures_imported(paths.len(), store.path()));
    let code = console.finish(0);
    // The process ends here: freeing a world of a hundred thousand members piece by piece
    // would cost a tenth of the import, and the system takes the memory back at once.
    std::mem::forget(world);
    code
}

/// `odpsh capture-script [--project P …] [--statements]`.
pub fn run_capture_script(
    args: &Args,
    store: Option<&Store>,
    projects: &[String],
    statements: bool,
) -> ExitCode {
    let mut console = Console::standard();
    let world = match store.map(Store::load).transpose() {
        Ok(w) => w.unwrap_or_else(store::builtin_world),
        Err(e) => {
            super::report_store_error(&mut console, &e, args);
            return console.finish(EXIT_USAGE);
        }
    };
    let projects: Vec<String> = args.project.iter().chain(projects).cloned().collect();
    let projects = projects.as_slice();
    if statements {
        console.out(&capture_script::statements(&world, projects));
        return console.finish(0);
    }
    let names: Vec<String> = if projects.is_empty() {
        world.projects.values().map(|p| p.name.clone()).collect()
    } else {
        projects.to_vec()
    };
    console.out(&capture_script::shell_script(&names));
    console.finish(0)
}

/// A world from a file: a state file (snapshot or JSON, with its journal), else a capture.
fn world_of(path: &Path, args: &Args) -> Result<World, Vec<String>> {
    let bytes =
        std::fs::read(path).map_err(|e| vec![format!("cannot read {}: {e}", path.display())])?;
    if looks_like_world(&bytes) {
        return Store::new(path.to_path_buf())
            .load()
            .map_err(|e| vec![e.to_string()]);
    }
    import_files(&[path.to_path_buf()], args).map(|(w, _)| w)
}

/// A snapshot or a JSON export (as opposed to a capture).
fn looks_like_world(bytes: &[u8]) -> bool {
    bytes.starts_with(&store::snapshot::MAGIC)
        || String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).contains("\"schema_version\"")
}

fn print_changes(console: &mut Console, args: &Args, set: &ChangeSet) -> ExitCode {
    match args.format() {
        FormatArg::Text => console.out(&set.text()),
        _ => console.out(&json_text(args, &set.json())),
    }
    console.finish(if set.is_empty() { 0 } else { EXIT_FAILED })
}

/// `odpsh diff A B`: 0 when equal, 1 when they differ, 2 when a file cannot be read.
pub fn run_diff(args: &Args, a: &Path, b: &Path) -> ExitCode {
    let mut console = Console::standard();
    let worlds = world_of(a, args).and_then(|wa| world_of(b, args).map(|wb| (wa, wb)));
    match worlds {
        Ok((wa, wb)) => print_changes(&mut console, args, &diff::diff(&wa, &wb)),
        Err(lines) => {
            for l in lines {
                console.err(&format!("{l}\n"));
            }
            console.finish(EXIT_USAGE)
        }
    }
}

/// `odpsh check --diff FILE`: the change set FILE makes to the saved world (run on a copy;
/// nothing is saved). A statement that fails stops there, as `-f` does.
pub fn run_check_diff(args: &Args, store: Option<&Store>, file: &Path) -> ExitCode {
    let mut console = Console::standard();
    let source = match read_text(file, args) {
        Ok(t) => t,
        Err(e) => {
            console.line(&e);
            return console.finish(EXIT_USAGE);
        }
    };
    let before = match store.map(Store::load).transpose() {
        Ok(w) => w.unwrap_or_else(store::builtin_world),
        Err(e) => {
            super::report_store_error(&mut console, &e, args);
            return console.finish(EXIT_USAGE);
        }
    };
    let mut after = before.clone();
    let mut session: Session = session_for(&after, args);
    for piece in split(&source) {
        let Ok(statement) = parse_piece(&piece) else {
            continue;
        };
        if let Err(f) = engine::execute(&mut after, &mut session, &statement) {
            console.failure(&render::failure(&f).stderr);
            break;
        }
    }
    print_changes(&mut console, args, &diff::diff(&before, &after))
}
