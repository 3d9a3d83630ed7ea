//! CT report records (TID 10011 family).

use serde::{Deserialize, Serialize};

/// The TID 10011 body of a CT dose report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CtReport {}

impl CtReport {
    /// Adds this report's part of the summary fields (spec section 5).
    pub fn summarise(&self, _summary: &mut super::Summary) {}
}
