//! TID 10001 Projection X-Ray Radiation Dose (with TID 10002-10007) to records.

use super::common::Mapper;
use crate::model::ProjectionReport;
use crate::sr::Item;

/// Maps the root of a TID 10001 report.
pub(crate) fn map(_m: &mut Mapper<'_>, _root: Item<'_>) -> ProjectionReport {
    ProjectionReport::default()
}
