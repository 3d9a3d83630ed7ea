//! Derived values are computed after the quirk repairs (issue 12, "Pipeline order loses
//! values"): a value a quirk supplies feeds the derivations, and an age rejected from the
//! birth date falls back to the stated Patient's Age.
//!
//! Each check runs on the builder-written fixture in `testdata/quirks/` (always) and on the
//! real reports of the corpus (skipped with a message when `../shared/corpus` is
//! absent).

use std::path::PathBuf;

use rdsr::DoseReport;

const PHILIPS_FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/testdata/quirks/openrem-446-philips-xper-private-frames-and-shutters.dcm"
);

/// The Philips Allura report whose stationary acquisitions give their frame count only in a
/// private item.
const PHILIPS_CORPUS_FILE: &str = "files/openrem-0.10.0/RF-Pat-Orientation-Modifier-Missing.dcm";

/// The Siemens radiopharmaceutical report with the placeholder birth date `99990101` and the
/// stated age `063Y`.
const PLACEHOLDER_BIRTH_DATE_CORPUS_FILE: &str = "files/openrem-1.0.0b3/NM-RRDSR-Siemens.dcm";

fn fixture() -> DoseReport {
    rdsr::parse_file(PHILIPS_FIXTURE).expect("the Philips Xper fixture parses")
}

fn corpus_report(file: &str) -> Option<DoseReport> {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")).join(file);
    if !path.is_file() {
        eprintln!(
            "SKIPPED: {} is absent; the corpus part of this test needs it",
            path.display()
        );
        return None;
    }
    Some(rdsr::parse_file(&path).expect("the corpus report parses"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn derived_exposure_time_uses_the_number_of_pulses_a_quirk_supplies_fixture() {
    let r = fixture();
    let p = r.projection().expect("a projection report");
    let quirk = "openrem-446-philips-xper-private-frames-and-shutters";
    assert!(r.applied_quirks.iter().any(|q| q.id == quirk));
    // 510 frames x 10.2 ms and 1 frame x 10.2 ms, in seconds.
    let derived: Vec<Option<f64>> = p
        .events
        .iter()
        .map(|e| e.source.exposure_time_derived_s)
        .collect();
    assert_eq!(derived.len(), 2);
    assert!(
        close(derived[0].expect("derived for event 1"), 5.202),
        "{derived:?}"
    );
    assert!(
        close(derived[1].expect("derived for event 2"), 0.0102),
        "{derived:?}"
    );
}

#[test]
fn derived_exposure_time_uses_the_number_of_pulses_a_quirk_supplies_corpus() {
    let Some(r) = corpus_report(PHILIPS_CORPUS_FILE) else {
        return;
    };
    let p = r.projection().expect("a projection report");
    // The 69 stationary acquisitions take their number of pulses from the private frame
    // count; OpenREM 0.10.0 derives their exposure time from pulse width x pulses.
    let stationary: Vec<_> = p
        .events
        .iter()
        .filter(|e| {
            e.irradiation_event_type
                .as_ref()
                .is_some_and(|t| t.value == "113611")
        })
        .collect();
    assert_eq!(stationary.len(), 69);
    for e in &stationary {
        let s = &e.source;
        assert_eq!(s.exposure_time_s, None, "{}", e.path);
        let pulses = s
            .number_of_pulses
            .expect("pulses from the private frame count");
        let width = s.mean_pulse_width_s().expect("a pulse width");
        let derived = s.exposure_time_derived_s.expect("a derived exposure time");
        assert!(close(derived, width * pulses), "{}: {derived}", e.path);
    }
    // The event of 69 frames: 69 x 10.2 ms = 703.8 ms.
    let e69 = stationary
        .iter()
        .find(|e| e.source.number_of_pulses == Some(69.0))
        .expect("an event of 69 frames");
    let derived = e69.source.exposure_time_derived_s.unwrap_or_default();
    assert!(close(derived, 0.7038), "{derived}");
}

#[test]
fn placeholder_birth_date_gives_the_stated_age_fixture() {
    let r = fixture();
    assert_eq!(r.patient_study.patient_age.as_deref(), Some("063Y"));
    assert_eq!(r.patient_study.patient_age_years, Some(63.0));
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.code.as_str() == "patient.birth_date_after_study_date")
    );
}

#[test]
fn placeholder_birth_date_gives_the_stated_age_corpus() {
    let Some(r) = corpus_report(PLACEHOLDER_BIRTH_DATE_CORPUS_FILE) else {
        return;
    };
    assert_eq!(
        r.patient.patient_birth_date,
        chrono::NaiveDate::from_ymd_opt(9999, 1, 1)
    );
    assert_eq!(r.patient_study.patient_age.as_deref(), Some("063Y"));
    assert_eq!(r.patient_study.patient_age_years, Some(63.0));
}
