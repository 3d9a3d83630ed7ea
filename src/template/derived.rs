//! Derived values: what is computed from stated values rather than read from the report.
//!
//! Every derived value is computed here, once, after the quirk repairs (a quirk may supply a
//! value a derivation needs: the Philips private Number of Frames gives the number of pulses
//! that the derived exposure time multiplies). The template mappers never derive.

use chrono::NaiveDate;

use super::common::{age_in_years, round_half_even};
use crate::error::{Diagnostic, Severity};
use crate::model::ProjectionReport;
use crate::model::projection::{Source, mean_nonzero};

/// Fills the derived fields of every event of a projection report.
pub(crate) fn projection(report: &mut ProjectionReport) {
    for e in &mut report.events {
        source(&mut e.source);
    }
}

/// The derived source values (OpenREM's import-time rules, kept apart from the stated ones
/// and averaged with [`mean_nonzero`]): each only when its stated value is absent or zero.
/// Any derived value set before is recomputed, so calling this twice changes nothing.
pub(crate) fn source(s: &mut Source) {
    let missing = |v: Option<f64>| v.is_none_or(|v| v == 0.0);
    s.average_xray_tube_current_derived_ma = if missing(s.average_xray_tube_current_ma) {
        mean_nonzero(&s.xray_tube_current_ma)
    } else {
        None
    };
    s.exposure_time_derived_s = if missing(s.exposure_time_s) {
        match (mean_nonzero(&s.pulse_width_s), s.number_of_pulses) {
            (Some(w), Some(n)) if n > 0.0 => {
                Some(crate::model::round15(w * n)).filter(|v| v.is_finite())
            }
            _ => None,
        }
    } else {
        None
    };
}

/// The patient's age in decimal years at the study date, rounded half to even at 0.1.
///
/// From the birth date when both dates are known and the birth date is not after the study
/// date; otherwise from the stated Patient's Age (`Y`, `M`, `W` and `D` units). A birth date
/// after the study date (placeholders such as `99990101`) is rejected with a diagnostic and
/// the stated age used instead.
pub(crate) fn patient_age(
    birth_date: Option<NaiveDate>,
    study_date: Option<NaiveDate>,
    stated: Option<&str>,
) -> (Option<f64>, Option<Diagnostic>) {
    let mut note = None;
    let from_birth = match (birth_date, study_date) {
        (Some(birth), Some(date)) => {
            let years = (date - birth).num_days() as f64 / 365.25;
            if years < 0.0 {
                note = Some(Diagnostic::new(
                    Severity::Info,
                    None,
                    crate::error::DiagnosticCode::PatientBirthDateAfterStudyDate,
                    format!(
                        "Patient's Birth Date {birth} is after the study date {date}; \
                         age taken from Patient's Age"
                    ),
                ));
                None
            } else {
                Some(years)
            }
        }
        _ => None,
    };
    let age = from_birth
        .or_else(|| stated.and_then(age_in_years))
        .map(|v| round_half_even(v, 1))
        .filter(|v| v.is_finite());
    (age, note)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn placeholder_birth_date_falls_back_to_the_stated_age() {
        let (age, note) = patient_age(date(9999, 1, 1), date(2016, 3, 2), Some("063Y"));
        assert_eq!(age, Some(63.0));
        assert_eq!(
            note.map(|d| d.code),
            Some(crate::error::DiagnosticCode::PatientBirthDateAfterStudyDate)
        );
    }

    #[test]
    fn birth_date_wins_over_the_stated_age_when_valid() {
        let (age, note) = patient_age(date(1970, 1, 1), date(2024, 3, 15), Some("063Y"));
        assert_eq!(age, Some(54.2));
        assert!(note.is_none());
        assert_eq!(
            patient_age(None, date(2024, 3, 15), Some("006M")).0,
            Some(0.5)
        );
        assert_eq!(
            patient_age(date(9999, 1, 1), date(2024, 3, 15), None).0,
            None
        );
    }

    #[test]
    fn derived_exposure_time_uses_a_number_of_pulses_set_after_mapping() {
        let mut s = Source {
            pulse_width_s: vec![0.0102],
            ..Source::default()
        };
        source(&mut s);
        assert_eq!(s.exposure_time_derived_s, None);
        // As a quirk repair sets it.
        s.number_of_pulses = Some(69.0);
        source(&mut s);
        let derived = s.exposure_time_derived_s.unwrap_or_default();
        // 69 x 10.2 ms = 703.8 ms, as OpenREM 0.10.0 stores it.
        assert!((derived - 0.7038).abs() < 1e-12, "{derived}");
    }

    #[test]
    fn derived_values_that_overflow_are_none() {
        // Found with the parse_lenient fuzz property: a report holds finite numbers only.
        assert_eq!(mean_nonzero(&[1e308, 1e308]), None);
        let mut s = Source {
            pulse_width_s: vec![1e300],
            number_of_pulses: Some(1e10),
            ..Source::default()
        };
        source(&mut s);
        assert_eq!(s.exposure_time_derived_s, None);
    }
}
