//! Projection X-ray report records (TID 10001 family).

use serde::{Deserialize, Serialize};

/// The TID 10001 body of a projection X-ray dose report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProjectionReport {}
