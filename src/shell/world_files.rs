//! `odpsh world export|import|reset`: the saved world as a file a trainer can ship.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::store::{self, Store, StoreError};

use super::{EXIT_USAGE, WorldAction, texts};

fn fail(text: &str) -> ExitCode {
    eprintln!("odpsh: {text}");
    ExitCode::from(EXIT_USAGE)
}

/// A saved world odpsh could not load: the reason, and the advice when it refused the file.
fn fail_loading(e: &StoreError, state: Option<&Path>) -> ExitCode {
    if e.is_refusal() {
        eprintln!("odpsh: {e}");
        fail(&texts::refused_world_advice(state))
    } else {
        fail(&e.to_string())
    }
}

fn import(store: &Store, path: &Path) -> Result<(), StoreError> {
    let text = std::fs::read(path).map_err(|source| StoreError::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })?;
    let world = store::decode_bytes(path, &text)?;
    let _lock = lock(store)?;
    store.save(&world)
}

fn reset(store: &Store) -> Result<(), StoreError> {
    let _lock = lock(store)?;
    store.save(&store::builtin_world())
}

/// Takes the store's lock, saying so when another process holds it.
fn lock(store: &Store) -> Result<store::StoreLock, StoreError> {
    store.lock_announced(|| eprint!("{}", texts::waiting_for_lock(store.path())))
}

/// Runs one `world` action on the saved world (`None`: `--fresh`, the built-in world); `state`
/// is the `--state` path, if one was given.
pub fn run(action: &WorldAction, store: Option<&Store>, state: Option<&Path>) -> ExitCode {
    match (action, store) {
        (WorldAction::Export { path }, _) => {
            let world = match store.map(Store::load).transpose() {
                Ok(w) => w.unwrap_or_else(store::builtin_world),
                Err(e) => return fail_loading(&e, state),
            };
            let text = store::export_text(&world);
            match path {
                None => {
                    let mut out = std::io::stdout().lock();
                    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                        Ok(()) => ExitCode::SUCCESS,
                        Err(e) => fail(&format!("cannot write the world to standard output: {e}")),
                    }
                }
                Some(p) => match store::write_atomically(p, text.as_bytes()) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => fail(&e.to_string()),
                },
            }
        }
        (_, None) => fail(texts::FRESH_HAS_NO_SAVED_WORLD),
        (WorldAction::Import { path }, Some(store)) => match import(store, path) {
            Ok(()) => {
                eprintln!("odpsh: {}", texts::imported(path, store.path()));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("odpsh: {e}");
                fail(&texts::nothing_imported(store.path()))
            }
        },
        (WorldAction::Reset, Some(store)) => match reset(store) {
            Ok(()) => {
                eprintln!("odpsh: {}", texts::reset_done(store.path()));
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e.to_string()),
        },
    }
}
