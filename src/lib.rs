//! odpsh: an offline MaxCompute (ODPS) security shell over a simulated Alibaba Cloud account.
//!
//! Layers (see DESIGN.md): [`syntax`] turns text into statements, [`engine`] runs them against
//! the [`world`], [`render`] turns outcomes into text, [`shell`] talks to terminals and files,
//! [`store`] keeps the world on disk, and [`server`] answers the MaxCompute REST API. The words
//! statements and the world share are defined once, in [`vocabulary`]; seed 004's permission
//! matrix, rules and texts, is data of its own, in [`matrix`].

pub mod diff;
pub mod engine;
pub mod import;
pub mod matrix;
pub mod render;
pub mod server;
pub mod shell;
pub mod store;
pub mod syntax;
pub mod teach;
pub mod vocabulary;
pub mod world;
