//! Win/loss insight (placeholder until the aggregation lands).
use crate::diagnostics::Diagnostic;
use crate::render::{Renderer, Sink};
use crate::site::Site;

pub fn render_pages(_site: &Site, _r: &Renderer, _sink: &dyn Sink) -> Vec<Diagnostic> {
    Vec::new()
}

/// Aggregates every template can read as `insight`.
pub fn context(_site: &Site) -> tera::Value {
    tera::Value::Null
}
