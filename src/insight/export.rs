//! Exports (in progress).
use super::Insight;
use crate::site::Site;
pub fn to_json(_i: &Insight) -> String { String::new() }
pub fn cases_csv(_s: &Site, _i: &Insight) -> String { String::new() }
pub fn figures_csv(_i: &Insight) -> String { String::new() }
pub fn table(_s: &Site, _i: &Insight) -> String { String::new() }
