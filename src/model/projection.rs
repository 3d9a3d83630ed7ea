//! Projection X-ray report records (TID 10001 family).

use serde::{Deserialize, Serialize};

/// The TID 10001 body of a projection X-ray dose report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProjectionReport {}

impl ProjectionReport {
    /// Adds this report's part of the summary fields (spec section 5).
    pub fn summarise(&self, _summary: &mut super::Summary) {}
}
