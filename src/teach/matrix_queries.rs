//! stub
use super::TeachError;
use crate::engine::Session;
use crate::syntax::UserRef;
use crate::world::World;
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhoMay;
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhatMay;
pub fn who_may(
    _w: &World,
    _s: &Session,
    _words: &str,
    _p: Option<&str>,
) -> Result<WhoMay, TeachError> {
    Ok(WhoMay)
}
pub fn what_may(
    _w: &World,
    _s: &Session,
    _u: &UserRef,
    _p: Option<&str>,
) -> Result<WhatMay, TeachError> {
    Ok(WhatMay)
}
