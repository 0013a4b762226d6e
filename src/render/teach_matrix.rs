//! stub
use crate::teach::matrix_queries::{WhatMay, WhoMay};
use serde_json::Value;
pub fn who_may_text(_w: &WhoMay) -> String {
    String::new()
}
pub fn what_may_text(_w: &WhatMay) -> String {
    String::new()
}
pub fn who_may_value(_w: &WhoMay) -> Value {
    Value::Null
}
pub fn what_may_value(_w: &WhatMay) -> Value {
    Value::Null
}
