//! Pages (in progress).
use super::Insight;
use crate::diagnostics::Diagnostic;
use crate::render::{Renderer, Sink};
use crate::site::Site;
pub fn global_context(_s: &Site, _i: &Insight) -> tera::Value { tera::Value::Null }
pub fn render(_s: &Site, _i: &Insight, _r: &Renderer, _k: &dyn Sink) -> Vec<Diagnostic> { Vec::new() }
