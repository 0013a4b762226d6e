//! `odpsh import`: a world from what odpscmd and the `aliyun` CLI print. Captures are read into
//! facts (pure text → [`facts::Facts`], one parser per kind of capture), then built into a world
//! ([`build`]). Nothing is written unless every line of every capture was read.

mod build;
mod build_console;
mod build_groups;
mod build_policies;
mod build_project;
mod build_roles;
pub mod capture_script;
mod command;
pub mod error;
pub mod facts;
mod grant_lines;
mod odps_outputs;
mod policy_outputs;
mod ram_console_json;
mod ram_groups_json;
mod ram_json;
mod ram_policies_json;
mod ram_roles_json;
mod ram_users_json;
mod read;
pub mod report;
mod table_outputs;
pub mod texts;
mod transcript;

pub use error::{CaptureError, CaptureErrors};
pub use facts::Facts;
pub use read::{CaptureFile, read_captures};
pub use report::Report;

use crate::world::World;

/// The world the captures describe and the report of how it was built.
pub fn import(files: &[CaptureFile<'_>]) -> Result<(World, Report), CaptureErrors> {
    let facts = read_captures(files)?;
    Ok(build::build(&facts))
}

/// The world facts describe (for callers that read captures themselves).
pub fn build_world(facts: &Facts) -> (World, Report) {
    build::build(facts)
}
