//! CT report records (TID 10011 family).

use serde::{Deserialize, Serialize};

/// The TID 10011 body of a CT dose report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CtReport {}
