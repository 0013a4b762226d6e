//! `odpsh world export|import|reset`: the saved world as a file a trainer can ship.

use std::path::Path;
use std::process::ExitCode;

use crate::store::{self, Store, StoreError};

use super::console::Console;
use super::{EXIT_USAGE, WorldAction, texts};

fn fail(console: &mut Console, text: &str) -> ExitCode {
    console.line(text);
    console.finish(EXIT_USAGE)
}

/// A saved world odpsh could not load: the reason, and the advice when it refused the file.
fn fail_loading(console: &mut Console, e: &StoreError, state: Option<&Path>) -> ExitCode {
    if e.is_refusal() {
        console.line(&e.to_string());
        fail(console, &texts::refused_world_advice(state))
    } else {
        fail(console, &e.to_string())
    }
}

fn import(console: &mut Console, store: &Store, path: &Path) -> Result<(), StoreError> {
    let text = std::fs::read(path).map_err(|source| StoreError::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })?;
    let world = store::decode_bytes(path, &text)?;
    let _lock = lock(console, store)?;
    store.save(&world)
}

fn reset(console: &mut Console, store: &Store) -> Result<(), StoreError> {
    let _lock = lock(console, store)?;
    store.save(&store::builtin_world())
}

/// Takes the store's lock, saying so when another process holds it.
fn lock(console: &mut Console, store: &Store) -> Result<store::StoreLock, StoreError> {
    store.lock_announced(|| {
        console.err(&texts::waiting_for_lock(store.path()));
        console.flush();
    })
}

/// Runs one `world` action on the saved world (`None`: `--fresh`, the built-in world); `state`
/// is the `--state` path, if one was given.
pub fn run(action: &WorldAction, store: Option<&Store>, state: Option<&Path>) -> ExitCode {
    let mut console = Console::standard();
    let console = &mut console;
    match (action, store) {
        (WorldAction::Export { path }, _) => {
            let world = match store.map(Store::load).transpose() {
                Ok(w) => w.unwrap_or_else(store::builtin_world),
                Err(e) => return fail_loading(console, &e, state),
            };
            let text = store::export_text(&world);
            match path {
                // A closed pipe ends the export quietly; any other write error exits 2.
                None => {
                    console.out(&text);
                    console.finish(0)
                }
                Some(p) => match store::write_atomically(p, text.as_bytes()) {
                    Ok(()) => console.finish(0),
                    Err(e) => fail(console, &e.to_string()),
                },
            }
        }
        (_, None) => fail(console, texts::FRESH_HAS_NO_SAVED_WORLD),
        (WorldAction::Import { path }, Some(store)) => match import(console, store, path) {
            Ok(()) => {
                console.line(&texts::imported(path, store.path()));
                console.finish(0)
            }
            Err(e) => {
                console.line(&e.to_string());
                fail(console, &texts::nothing_imported(store.path()))
            }
        },
        (WorldAction::Reset, Some(store)) => match reset(console, store) {
            Ok(()) => {
                console.line(&texts::reset_done(store.path()));
                console.finish(0)
            }
            Err(e) => fail(console, &e.to_string()),
        },
    }
}
