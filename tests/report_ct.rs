//! Golden JSON snapshots of every CT dose report (TID 10011): the typed [`rdsr::DoseReport`],
//! diagnostics and applied quirks included, one snapshot per file, named after it.
//!
//! The real reports come from `../shared/corpus` (MANIFEST.tsv rows with kind `rdsr` and
//! template `10011`; skipped with a message when the corpus is absent), the synthetic ones
//! from `testdata/ct_*.dcm`. Every report must map without an error and without an
//! error-severity diagnostic. Update with `INSTA_UPDATE=always cargo test --test report_ct`
//! and review the values and units before committing.

#[path = "common/reports.rs"]
mod reports;

use std::path::Path;

use rdsr::ReportBody;

fn snapshot(path: &Path) {
    let (name, report) = reports::checked(path, "CT", |r| matches!(r.body, ReportBody::Ct(_)));
    insta::assert_json_snapshot!(name, report);
}

#[test]
fn corpus_ct_reports_snapshot() {
    let Some(files) = reports::corpus_reports("CT", |t, _| t == "10011") else {
        return;
    };
    assert_eq!(files.len(), 14, "the manifest lists 14 CT dose reports");
    for f in &files {
        snapshot(f);
    }
}

#[test]
fn testdata_ct_reports_snapshot() {
    let files = reports::testdata_reports("ct_");
    assert!(!files.is_empty(), "testdata/ct_*.dcm fixtures are missing");
    for f in &files {
        snapshot(f);
    }
}

/// The report-level modality comes from the template, not from the header's Modality
/// (0008,0060), which is `SR` for every dose report.
#[test]
fn report_modality_is_the_templates_not_the_headers_sr() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let ct = rdsr::parse_file(dir.join("ct_minimal.dcm")).expect("ct_minimal reads");
    assert_eq!(ct.study.modality.as_deref(), Some("SR"));
    assert_eq!(ct.modality(), Some(rdsr::Modality::Ct));
    assert_eq!(ct.modality().map(rdsr::Modality::as_str), Some("CT"));
    let rf = rdsr::parse_file(dir.join("projection_minimal.dcm")).expect("projection reads");
    assert_eq!(rf.study.modality.as_deref(), Some("SR"));
    assert_eq!(rf.modality(), Some(rdsr::Modality::Fluoroscopy));
    assert_eq!(
        serde_json::to_string(&rf.modality()).expect("serialises"),
        "\"RF\""
    );
}

/// TID 10012 per-phantom DLP sub-totals: every CT Dose Length Product Total row is kept with
/// its phantom type (not only the first), and TID 10013 DateTime Started (111526) is read.
#[test]
fn every_dlp_total_row_is_kept_with_its_phantom_and_events_have_their_start_time() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let r = rdsr::parse_file(dir.join("ct_all_rows.dcm")).expect("ct_all_rows reads");
    let c = r.ct().expect("a CT report");
    let acc = c.accumulated.as_ref().expect("accumulated dose data");
    let minimal = rdsr::parse_file(dir.join("ct_minimal.dcm")).expect("ct_minimal reads");
    let first = minimal
        .ct()
        .and_then(|m| m.accumulated.as_ref())
        .and_then(|a| a.ct_dose_length_product_total_mgy_cm);
    assert!(first.is_some());
    assert_eq!(acc.ct_dose_length_product_total_mgy_cm, first);
    assert_eq!(acc.ct_dose_length_product_totals.len(), 2);
    assert_eq!(
        acc.ct_dose_length_product_totals[0].ct_dose_length_product_total_mgy_cm,
        first
    );
    assert_eq!(acc.ct_dose_length_product_totals[0].phantom_type, None);
    let head = &acc.ct_dose_length_product_totals[1];
    assert_eq!(head.ct_dose_length_product_total_mgy_cm, Some(152.4));
    assert_eq!(
        head.phantom_type.as_ref().map(|p| p.value.as_str()),
        Some("113690")
    );
    let started: Vec<String> = c
        .events
        .iter()
        .map(|e| {
            e.date_time_started
                .map(|d| d.to_string())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(started, vec!["2024-03-15T09:35:12", "2024-03-15T09:37:40"]);
    assert_eq!(r.diagnostics, minimal.diagnostics, "no new diagnostic");
}

fn code_values(codes: &[rdsr::sr::OwnedCode]) -> Vec<&str> {
    codes.iter().map(|c| c.value.as_str()).collect()
}

fn code_value(code: Option<&rdsr::sr::OwnedCode>) -> Option<&str> {
    code.map(|c| c.value.as_str())
}

/// TID 10013 rows of later editions: the reconstruction algorithms under the CT Acquisition
/// Type (113961), the repeated-acquisition flag (128551) with its reason (128552), a coded
/// X-Ray Modulation Type (113842) and the methods of the size-specific dose estimate and of
/// the water equivalent diameter, with the diameter's source image.
#[test]
fn ct_event_reconstruction_repeat_modulation_and_size_specific_rows() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let r = rdsr::parse_file(dir.join("ct_all_rows.dcm")).expect("ct_all_rows reads");
    let c = r.ct().expect("a CT report");
    let [localizer, spiral] = c.events.as_slice() else {
        panic!("two acquisitions, found {}", c.events.len());
    };
    assert_eq!(
        code_values(&localizer.reconstruction_algorithms),
        ["113962"]
    );
    assert_eq!(
        code_values(&spiral.reconstruction_algorithms),
        ["113962", "113963"]
    );
    assert_eq!(localizer.is_repeated_acquisition, Some(true));
    assert_eq!(spiral.is_repeated_acquisition, Some(true));
    assert_eq!(
        code_value(localizer.reason_for_repeating_acquisition.as_ref()),
        Some("POSITION")
    );
    assert_eq!(
        code_value(spiral.reason_for_repeating_acquisition.as_ref()),
        Some("MOTION")
    );
    assert_eq!(
        code_value(spiral.xray_modulation_type_code.as_ref()),
        Some("AL")
    );
    assert_eq!(
        spiral.xray_modulation_type.as_deref(),
        Some("Angular and longitudinal")
    );
    assert_eq!(
        code_value(localizer.xray_modulation_type_code.as_ref()),
        Some("NONE")
    );
    assert_eq!(localizer.xray_modulation_type.as_deref(), Some("None"));
    assert_eq!(spiral.size_specific_dose_estimation_mgy, Some(15.6));
    assert_eq!(
        code_value(spiral.size_specific_dose_estimation_method.as_ref()),
        Some("113988")
    );
    assert_eq!(spiral.water_equivalent_diameter_mm, Some(285.0));
    assert_eq!(
        code_value(spiral.water_equivalent_diameter_method.as_ref()),
        Some("113987")
    );
    assert_eq!(
        spiral.water_equivalent_diameter_source.as_deref(),
        Some(rdsr_builder::uid_from_seed("ct_all_rows/localizer", 30).as_str())
    );
    assert_eq!(localizer.size_specific_dose_estimation_mgy, None);
    assert_eq!(localizer.size_specific_dose_estimation_method, None);
    assert_eq!(localizer.water_equivalent_diameter_source, None);
}

/// TID 10012 effective dose total with its method, patient model (113815) and the
/// conditions of its measurement (113816: phantom type 113817, dosimeter type 113818).
#[test]
fn ct_accumulated_effective_dose_patient_model_and_measurement_conditions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let r = rdsr::parse_file(dir.join("ct_all_rows.dcm")).expect("ct_all_rows reads");
    let a = r
        .ct()
        .and_then(|c| c.accumulated.as_ref())
        .expect("accumulated dose data");
    assert_eq!(a.ct_effective_dose_total_msv, Some(7.2));
    assert_eq!(code_value(a.effective_dose_method.as_ref()), Some("113802"));
    assert_eq!(a.patient_model.as_deref(), Some("Adult reference phantom"));
    assert_eq!(
        a.effective_dose_phantom_type.as_deref(),
        Some("Anthropomorphic adult phantom")
    );
    assert_eq!(a.dosimeter_type.as_deref(), Some("TLD-100"));
}

/// TID 10013 z-resolved values (IEC 62985): every Size Specific Dose Estimate and Water
/// Equivalent Diameter at a Longitudinal Position Z, with the position read under the value
/// or beside it in a grouping container, in the CT Dose container and at
/// the event level; and the z location of the single-location water equivalent diameter.
#[test]
fn ct_event_z_resolved_ssde_and_water_equivalent_diameter() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let r = rdsr::parse_file(dir.join("ct_all_rows.dcm")).expect("ct_all_rows reads");
    let c = r.ct().expect("a CT report");
    let [localizer, spiral] = c.events.as_slice() else {
        panic!("two acquisitions, found {}", c.events.len());
    };
    assert_eq!(spiral.water_equivalent_diameter_z_location_mm, Some(-150.5));
    let ssde: Vec<(Option<f64>, Option<f64>, &str)> = spiral
        .size_specific_dose_estimates_at_z
        .iter()
        .map(|s| {
            (
                s.size_specific_dose_estimate_mgy,
                s.longitudinal_position_z_mm,
                s.path.as_str(),
            )
        })
        .collect();
    assert_eq!(
        ssde,
        [
            (Some(14.8), Some(-200.0), "1.13.7.4"),
            (Some(16.1), Some(-100.0), "1.13.7.5"),
            (Some(17.3), Some(50.0), "1.13.7.7.2"),
        ]
    );
    let wed: Vec<(Option<f64>, Option<f64>, &str)> = spiral
        .water_equivalent_diameters_at_z
        .iter()
        .map(|w| {
            (
                w.water_equivalent_diameter_mm,
                w.longitudinal_position_z_mm,
                w.path.as_str(),
            )
        })
        .collect();
    assert_eq!(
        wed,
        [
            (Some(298.0), Some(-200.0), "1.13.7.6"),
            (Some(270.0), Some(50.0), "1.13.7.7.3"),
            (Some(305.0), Some(150.0), "1.13.8"),
        ]
    );
    assert!(localizer.size_specific_dose_estimates_at_z.is_empty());
    assert!(localizer.water_equivalent_diameters_at_z.is_empty());
    assert_eq!(localizer.water_equivalent_diameter_z_location_mm, None);
    assert!(
        !r.diagnostics
            .iter()
            .any(|d| d.code == rdsr::DiagnosticCode::UnitUnknown),
        "{:?}",
        r.diagnostics
    );
}
