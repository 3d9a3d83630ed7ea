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
//! | activity | MBq | `_mbq` |
//! | volume | ml | `_ml` |
//! | specific activity | Bq/mol | `_bq_per_mol` |
//! | body mass index | kg/m² | `_kg_per_m2` |
//! | glucose concentration | mmol/l | `_mmol_per_l` |
//! | serum creatinine concentration | mg/dl | `_mg_per_dl` |
//! | glomerular filtration rate | ml/min/1.73 m² | `_ml_per_min_per_1_73m2` |
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
pub(crate) mod quirk;
pub mod radiopharmaceutical;
mod report;
pub mod summary;

pub use common::{
    DeviceParticipant, Equipment, Observer, ObserverKind, Patient, PatientStudy, PersonParticipant,
    StudyInfo,
};
pub use ct::CtReport;
pub use datetime::{DateTime, NaiveDateTimeError, Precision, Time};
pub use projection::ProjectionReport;
pub use radiopharmaceutical::RadiopharmaceuticalReport;
pub(crate) use report::SchemaVersion;
pub use report::{
    AppliedQuirk, DoseReport, JSON_SCHEMA_VERSION, Modality, ReportBody, Template, TemplateSource,
};
pub use summary::Summary;

/// `value` rounded to 15 significant decimal digits: what every value the crate computes
/// (a unit conversion, a product, a mean, a sum) is stored as.
///
/// Arithmetic leaves binary noise in the last digits (`361.90000000000003` for 361.9); such a
/// value needs 17 digits to be written exactly, and readers that parse decimals with one
/// multiplication or division (serde_json without its `float_roundtrip` feature, for one)
/// read a 16 or 17 digit number back one unit in the last place off. A value rounded to 15
/// significant digits is written with at most 15 ([`f64`]'s shortest round-trip form), an
/// integer below 2^53 times a power of ten, which such a reader gets exactly whenever the
/// power is within 10^±22 (values from about 1e-8 up). The rounding changes a value by less
/// than 5 parts in 10^15, far below any measurement's precision. Non-finite values, zero
/// and values that would round past [`f64::MAX`] are returned unchanged.
pub(crate) fn round15(value: f64) -> f64 {
    if !value.is_finite() || value == 0.0 {
        return value;
    }
    // Near f64::MAX rounding up would overflow: such a value is kept as it is. Written into
    // a buffer on the stack: no allocation per value (`-d.dddddddddddddde-ddd` fits).
    let mut buf = [0u8; 32];
    let mut w = StackWriter {
        buf: &mut buf,
        len: 0,
    };
    if std::fmt::Write::write_fmt(&mut w, format_args!("{value:.14e}")).is_err() {
        return value;
    }
    let len = w.len;
    buf.get(..len)
        .and_then(|b| std::str::from_utf8(b).ok())
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|r| r.is_finite())
        .unwrap_or(value)
}

/// A `fmt::Write` into a fixed buffer; fails when the text does not fit.
struct StackWriter<'b> {
    buf: &'b mut [u8],
    len: usize,
}

impl std::fmt::Write for StackWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(std::fmt::Error)?;
        let dst = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

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
    total.filter(|t| t.is_finite()).map(round15)
}

#[cfg(test)]
mod tests {
    use super::{finite_sum, round15};

    #[test]
    fn round15_removes_binary_noise_and_keeps_clean_values() {
        assert_eq!(round15(361.90000000000003), 361.9);
        assert_eq!(round15(0.1 + 0.2), 0.3);
        assert_eq!(round15(498.79999999999995), 498.8);
        for v in [0.00123, 1.5e-7, 42.5, 1050.0, -3.25, 0.0, f64::MAX] {
            assert_eq!(round15(v), v);
        }
        assert!(round15(f64::NAN).is_nan());
        assert_eq!(round15(f64::INFINITY), f64::INFINITY);
        // 15 significant digits are kept.
        assert_eq!(round15(1.23456789012345), 1.23456789012345);
        assert_eq!(round15(1.234567890123456), 1.23456789012346);
    }

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
