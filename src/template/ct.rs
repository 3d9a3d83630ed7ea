//! TID 10011 CT Radiation Dose (with TID 10012-10015) to records.

use super::common::Mapper;
use crate::model::CtReport;
use crate::sr::Item;

/// Maps the root of a TID 10011 report.
pub(crate) fn map(_m: &mut Mapper<'_>, _root: Item<'_>) -> CtReport {
    CtReport::default()
}
