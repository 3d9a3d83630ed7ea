//! The public typed records, `serde`-serialisable, in normalised units.
//!
//! # Units
//!
//! One unit per quantity across the crate, and every numeric field whose quantity has a unit
//! says it in the suffix of its name (the JSON keys are the field names). The full table,
//! with every field, is `docs/units.md`; a test keeps it and the model in step.
//!
//! | quantity | unit | suffix |
//! |---|---|---|
//! | dose area product | Gy·m² | `_gy_m2` |
//! | air kerma at the reference point (Dose (RP), entrance exposure at RP) | Gy | `_gy` |
//! | absorbed dose: glandular dose, CTDIvol, CTDIfreeair, SSDE | mGy | `_mgy` |
//! | dose length product | mGy·cm | `_mgy_cm` |
//! | effective dose | mSv | `_msv` |
//! | time and duration (exposure time, pulse width, fluoro time, rotation time) | s | `_s` |
//! | length, distance, thickness, focal spot, HVL, patient size | mm | `_mm` |
//! | area | m² | `_m2` |
//! | plane angle | degree | `_deg` |
//! | tube voltage | kV | `_kv` |
//! | tube current | mA | `_ma` |
//! | tube current-time product (exposure) | µAs | `_uas` |
//! | pulse rate | 1/s | `_per_s` |
//! | force | N | `_n` |
//! | mass | kg | `_kg` |
//! | percentage | % | `_percent` |
//! | calendar age | year | `_years` |
//! | CTDIfreeair calculation factor | mGy/mAs | `_mgy_per_mas` |
//! | effective dose conversion factor | mSv/(mGy·cm) | `_msv_per_mgy_cm` |
//!
//! Counts, factors, ratios and indexes are unitless and carry no suffix.

pub mod common;
pub mod ct;
pub mod datetime;
pub mod projection;
pub mod summary;

pub use common::{
    DeviceParticipant, Equipment, Observer, ObserverKind, Patient, PatientStudy, PersonParticipant,
    Study,
};
pub use ct::CtReport;
pub use datetime::{DateTime, NaiveDateTimeError, Precision, Time};
pub use projection::ProjectionReport;
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
