//! The public typed records, `serde`-serialisable, in normalised units.
//!
//! Units (one per quantity): dose area product Gy·m², dose at the reference point Gy,
//! glandular and CT doses mGy, DLP mGy·cm, times s (projection exposure time and pulse width:
//! ms), lengths mm, angles degrees, tube voltage kV, tube current mA, exposure µAs.

pub mod common;
pub mod ct;
pub mod datetime;
pub mod projection;
mod report;
pub mod summary;

pub use common::{
    DeviceParticipant, Equipment, Observer, ObserverKind, Patient, PatientStudy, PersonParticipant,
    StudyInfo,
};
pub use ct::CtReport;
pub use datetime::{DateTime, Precision, Time};
pub use projection::ProjectionReport;
pub use report::{AppliedQuirk, DoseReport, Modality, ReportBody, Template, TemplateSource};
pub use summary::Summary;

/// Sums the values that are present: `None` when none is, or when the sum is not finite.
///
/// Each dose value of a report is finite, but enough large ones (a fuzzed or broken report's
/// `1e308` Gy·m², twice) overflow `f64`; an infinite total would be a number no dose can be and
/// would not survive JSON, so such a total is absent instead. Overflow is sticky: once the
/// running sum is infinite no later value brings it back.
pub(crate) fn finite_sum(values: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let mut total: Option<f64> = None;
    for v in values.into_iter().flatten() {
        total = Some(total.unwrap_or(0.0) + v);
    }
    total.filter(|t| t.is_finite())
}

#[cfg(test)]
mod tests {
    use super::finite_sum;

    #[test]
    fn finite_sum_of_nothing_is_absent() {
        assert_eq!(finite_sum([None, None]), None);
        assert_eq!(finite_sum([]), None);
    }

    #[test]
    fn finite_sum_skips_absent_values() {
        assert_eq!(finite_sum([None, Some(1.5), None, Some(2.0)]), Some(3.5));
    }

    #[test]
    fn finite_sum_overflow_is_absent_and_sticky() {
        assert_eq!(finite_sum([Some(f64::MAX), Some(f64::MAX)]), None);
        // A later negative value does not bring an overflowed sum back.
        assert_eq!(
            finite_sum([Some(f64::MAX), Some(f64::MAX), Some(-f64::MAX)]),
            None
        );
        assert_eq!(finite_sum([Some(-f64::MAX), Some(-f64::MAX)]), None);
    }
}
