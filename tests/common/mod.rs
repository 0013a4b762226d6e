//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod openapi;
pub mod pty;
pub mod roa;
pub mod run;
pub mod serve;
pub mod ui;
pub mod venvs;
