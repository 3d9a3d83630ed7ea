//! Regression tests for the quirk table: one test per shipped quirk, named after its id, on
//! its fixture in `testdata/quirks/` (lenient: the fix is applied and recorded, and the value
//! is recovered; strict: nothing is applied, each would-be change is a `quirk.not_applied`
//! diagnostic at the same path, and a missing template is an error), the real files of
//! `../shared/corpus` that carry each quirk, and the user-facing knobs (`disable_quirk`, a
//! user quirk directory, a plugin fix, a malformed user file).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rdsr::model::datetime::{parse_date, parse_time};
use rdsr::model::projection::{ModalityBasis, ProjectionModality};
use rdsr::model::{CtReport, ProjectionReport};
use rdsr::quirks::{Change, Fix, FixInput, QuirkTable};
use rdsr::sr::codes;
use rdsr::{DoseReport, ErrorKind, Options, ReportBody, Severity, Template};
use rdsr::{TemplateSource, sr::CodeConst};

// ---- helpers ------------------------------------------------------------------------------

fn fixture(id: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/quirks")
        .join(format!("{id}.dcm"))
}

fn lenient(id: &str) -> DoseReport {
    rdsr::parse_file(fixture(id)).unwrap_or_else(|e| panic!("{id}: lenient parse failed: {e}"))
}

fn strict(id: &str) -> DoseReport {
    Options::new()
        .strict(true)
        .parse_file(fixture(id))
        .unwrap_or_else(|e| panic!("{id}: strict parse failed: {e}"))
}

/// Every change of every applied quirk, in order, with the quirk's id.
fn changes(r: &DoseReport) -> Vec<(&str, &Change)> {
    r.applied_quirks
        .iter()
        .flat_map(|q| q.changes.iter().map(move |c| (q.id.as_str(), c)))
        .collect()
}

/// The `(id, path)` of every change of every applied quirk, in order.
fn applied(r: &DoseReport) -> Vec<(&str, Option<&str>)> {
    changes(r)
        .into_iter()
        .map(|(id, c)| (id, c.path.as_deref()))
        .collect()
}

/// The changes of quirk `id`.
fn applied_with<'r>(r: &'r DoseReport, id: &str) -> Vec<&'r Change> {
    r.applied_quirks
        .iter()
        .filter(|q| q.id == id)
        .flat_map(|q| q.changes.iter())
        .collect()
}

/// The lenient report applied quirk `id` exactly at `paths`, and no other quirk.
fn assert_applied(r: &DoseReport, id: &str, paths: &[Option<&str>]) {
    let want: Vec<(&str, Option<&str>)> = paths.iter().map(|p| (id, *p)).collect();
    assert_eq!(applied(r), want, "applied quirks");
    for q in &r.applied_quirks {
        assert!(!q.changes.is_empty(), "{q:?}");
        assert!(!q.summary.is_empty() && !q.reference.is_empty(), "{q:?}");
        for c in &q.changes {
            assert!(!c.before.is_empty() && !c.after.is_empty(), "{q:?}");
        }
    }
}

/// The strict report applied nothing and has one `quirk.not_applied` warning naming `id` at
/// each of `paths` (and none about another quirk).
fn assert_not_applied(r: &DoseReport, id: &str, paths: &[Option<&str>]) {
    assert_eq!(applied(r), Vec::new(), "strict mode applies no quirk");
    let notes: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == rdsr::DiagnosticCode::QuirkNotApplied)
        .collect();
    let got: Vec<Option<&str>> = notes.iter().map(|d| d.path.as_deref()).collect();
    assert_eq!(got, paths, "quirk.not_applied diagnostics: {notes:#?}");
    for d in notes {
        assert_eq!(d.severity, Severity::Warning, "{d}");
        assert!(
            d.message.contains(&format!("quirk {id} not applied")),
            "{}",
            d.message
        );
    }
}

/// Strict mode refuses the fixture with an `Unsupported` error naming quirk `id`.
fn assert_strict_refuses(file: &Path, id: &str) {
    match Options::new().strict(true).parse_file(file) {
        Ok(r) => panic!(
            "{}: strict mode mapped it as {:?}",
            file.display(),
            r.template
        ),
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Unsupported, "{e}");
            let msg = e.to_string();
            assert!(msg.contains(&format!("does not apply quirk {id}")), "{msg}");
            assert!(msg.contains(&file.display().to_string()), "{msg}");
        }
    }
}

fn projection(r: &DoseReport) -> &ProjectionReport {
    r.projection()
        .unwrap_or_else(|| panic!("not a projection report: {:?}", r.template))
}

fn ct(r: &DoseReport) -> &CtReport {
    r.ct()
        .unwrap_or_else(|| panic!("not a CT report: {:?}", r.template))
}

fn assert_close(got: Option<f64>, want: f64) {
    let got = got.unwrap_or_else(|| panic!("no value, expected {want}"));
    assert!(
        (got - want).abs() <= want.abs() * 1e-12,
        "{got} is not {want}"
    );
}

fn code_value(c: Option<&rdsr::sr::OwnedCode>) -> Option<(&str, &str)> {
    c.map(|c| (c.value.as_str(), c.scheme.as_str()))
}

fn is(c: Option<&rdsr::sr::OwnedCode>, known: &CodeConst) -> bool {
    c.is_some_and(|c| c.is(known))
}

// ---- one regression test per shipped quirk --------------------------------------------------

/// Every quirk with a test below; `every_shipped_quirk_has_a_regression_test` keeps this
/// list in step with `quirks/*.toml`.
const COVERED: &[&str] = &[
    "openrem-746-ge-oec-miniview-no-template",
    "missing-template-identifier",
    "openrem-770-opera-swing-calibration-date-without-value",
    "openrem-765-philips-bigbore-empty-target-region",
    "openrem-704-dap-in-dgy-cm2",
    "openrem-673-philips-azurion-device-type",
    "openrem-673-philips-azurion-empty-numeric-values",
    "openrem-670-toshiba-vhp-ds-separator",
    "openrem-681-varian-missing-study-date",
    "openrem-739-ge-surgical-uid-as-text",
    "openrem-739-ge-surgical-spelling",
    "openrem-698-ge-procedure-reported-capitalisation",
    "openrem-181-private-grid-codes",
    "openrem-380-siemens-intevo-tube-current-meaning",
    "openrem-612-missing-acquisition-protocol",
    "canon-cxdi-empty-dose-items",
    "hologic-detector-data-available-code",
    "hologic-snm3-view-codes",
    "reference-point-definition-as-text",
    "dual-modality-without-device-type",
    "zero-length-request-attributes-sequence",
    "philips-veradius-missing-kvp",
    "cp-1676-laterality-under-anatomical-structure",
    "openrem-432-siemens-axiom-artis-xml-comments",
    "openrem-446-philips-xper-private-frames-and-shutters",
    "siemens-ct-modulation-type-in-comment",
];

#[test]
fn every_shipped_quirk_has_a_regression_test() {
    let table = rdsr::quirks::shipped_table().expect("shipped table");
    let shipped: BTreeSet<&str> = table.entries().iter().map(|e| e.id.as_str()).collect();
    let covered: BTreeSet<&str> = COVERED.iter().copied().collect();
    let missing: Vec<_> = shipped.difference(&covered).collect();
    let stale: Vec<_> = covered.difference(&shipped).collect();
    assert!(
        missing.is_empty(),
        "shipped quirks without a regression test in tests/quirks.rs: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "tests for quirks no longer shipped: {stale:?}"
    );
}

#[test]
fn openrem_746_ge_oec_miniview_no_template() {
    let id = "openrem-746-ge-oec-miniview-no-template";
    let r = lenient(id);
    assert_applied(&r, id, &[Some("1")]);
    assert_eq!(changes(&r)[0].1.before, "no Content Template Sequence");
    assert_eq!(changes(&r)[0].1.after, "mapped as TID 10001");
    assert_eq!(r.template, Template::Projection);
    assert_eq!(r.template_source, TemplateSource::Quirk);
    assert_eq!(r.irradiation_events, 2);
    let p = projection(&r);
    assert_eq!(p.events.len(), 2);
    assert_close(p.events[0].dose_area_product_gy_m2, 0.00123);
    assert_close(p.events[1].dose_area_product_gy_m2, 0.00087);
    assert_eq!(p.modality_type, Some(ProjectionModality::Fluoroscopy));
    assert!(
        !r.diagnostics
            .iter()
            .any(|d| d.code == rdsr::DiagnosticCode::TemplateUnknown)
    );

    assert_strict_refuses(&fixture(id), id);
}

#[test]
fn missing_template_identifier() {
    let id = "missing-template-identifier";
    let r = lenient(id);
    assert_applied(&r, id, &[Some("1")]);
    assert_eq!(changes(&r)[0].1.after, "mapped as TID 10011");
    assert_eq!(r.template, Template::Ct);
    assert_eq!(r.template_source, TemplateSource::Quirk);
    let c = ct(&r);
    assert_eq!(c.events.len(), 2);
    assert!(is(
        c.events[0].ct_acquisition_type.as_ref(),
        &codes::CONSTANT_ANGLE_ACQUISITION
    ));
    assert_close(c.events[1].mean_ctdivol_mgy, 12.5);
    assert_close(c.events[1].dlp_mgy_cm, 511.11);
    assert_close(
        c.accumulated
            .as_ref()
            .and_then(|a| a.ct_dose_length_product_total_mgy_cm),
        512.34,
    );

    assert_strict_refuses(&fixture(id), id);
}

#[test]
fn openrem_770_opera_swing_calibration_date_without_value() {
    let id = "openrem-770-opera-swing-calibration-date-without-value";
    let path = Some("1.10.2.2");
    let r = lenient(id);
    assert_applied(&r, id, &[path]);
    let k = &projection(&r).accumulated_planes[0].calibrations[0];
    assert_eq!(k.calibration_date, None);
    // The rest of the calibration is still read.
    assert_close(k.calibration_factor, 0.98);
    assert_eq!(
        k.calibration_responsible_party.as_deref(),
        Some("Medical Physics Test Unit")
    );

    let s = strict(id);
    assert_not_applied(&s, id, &[path]);
    let k = &projection(&s).accumulated_planes[0].calibrations[0];
    assert_eq!(k.calibration_date, None);
    assert_close(k.calibration_factor, 0.98);
}

#[test]
fn openrem_765_philips_bigbore_empty_target_region() {
    let id = "openrem-765-philips-bigbore-empty-target-region";
    let path = Some("1.13.2");
    let r = lenient(id);
    assert_applied(&r, id, &[path]);
    let events = &ct(&r).events;
    assert_eq!(
        code_value(events[0].target_region.as_ref()),
        Some(("T-D3000", "SRT"))
    );
    assert_eq!(events[1].target_region, None);
    assert_eq!(events[1].path, "1.13");
    assert_close(events[1].mean_ctdivol_mgy, 12.5);

    let s = strict(id);
    assert_not_applied(&s, id, &[path]);
    assert_eq!(ct(&s).events[1].target_region, None);
}

#[test]
fn openrem_704_dap_in_dgy_cm2() {
    let id = "openrem-704-dap-in-dgy-cm2";
    let paths = [
        Some("1.10.3"),
        Some("1.10.5"),
        Some("1.10.8"),
        Some("1.11.7"),
        Some("1.12.7"),
    ];
    let r = lenient(id);
    assert_applied(&r, id, &paths);
    assert!(
        changes(&r)[0]
            .1
            .before
            .contains("Dose Area Product Total\") in dGy.cm2")
    );
    let p = projection(&r);
    // 123 dGy.cm2 = 0.00123 Gy.m2.
    assert_close(p.events[0].dose_area_product_gy_m2, 0.00123);
    assert_close(p.events[1].dose_area_product_gy_m2, 0.00087);
    let plane = &p.accumulated_planes[0];
    assert_close(
        plane
            .projection_totals
            .as_ref()
            .and_then(|t| t.dose_area_product_total_gy_m2),
        0.0021,
    );
    let fa = plane.fluoro_and_acquisition_totals.as_ref();
    assert_close(
        fa.and_then(|t| t.fluoro_dose_area_product_total_gy_m2),
        0.00123,
    );
    assert_close(
        fa.and_then(|t| t.acquisition_dose_area_product_total_gy_m2),
        0.00087,
    );

    let s = strict(id);
    assert_not_applied(&s, id, &paths);
}

#[test]
fn openrem_673_philips_azurion_device_type() {
    let id = "openrem-673-philips-azurion-device-type";
    let path = Some("1.9");
    let r = lenient(id);
    assert_applied(&r, id, &[path]);
    let p = projection(&r);
    assert!(is(
        p.acquisition_device_type.as_ref(),
        &codes::INTEGRATED_PROJECTION_RADIOGRAPHY_SYSTEM
    ));
    assert_eq!(p.modality_type, Some(ProjectionModality::Fluoroscopy));
    assert_eq!(p.modality_basis, Some(ModalityBasis::EquipmentHint));

    // Without the hint the declared device type decides: radiography.
    let s = strict(id);
    assert_not_applied(&s, id, &[path]);
    let p = projection(&s);
    assert_eq!(p.modality_type, Some(ProjectionModality::Radiography));
    assert_eq!(p.modality_basis, Some(ModalityBasis::AcquisitionDeviceType));
}

#[test]
fn openrem_673_philips_azurion_empty_numeric_values() {
    let id = "openrem-673-philips-azurion-empty-numeric-values";
    let path = Some("1.10.2.3");
    let r = lenient(id);
    assert_applied(&r, id, &[path]);
    assert!(changes(&r)[0].1.before.contains("Calibration Factor"));
    let k = &projection(&r).accumulated_planes[0].calibrations[0];
    assert_eq!(k.calibration_factor, None);
    assert_close(k.calibration_uncertainty_percent, 5.0);

    let s = strict(id);
    assert_not_applied(&s, id, &[path]);
    let k = &projection(&s).accumulated_planes[0].calibrations[0];
    assert_eq!(k.calibration_factor, None);
}

#[test]
fn openrem_670_toshiba_vhp_ds_separator() {
    let id = "openrem-670-toshiba-vhp-ds-separator";
    let path = Some("1.13.8.1");
    let r = lenient(id);
    assert_applied(&r, id, &[path]);
    let all = changes(&r);
    let q = all[0].1;
    assert_eq!(
        q.before,
        r#"numeric value "10.50/ 15.00" with '/' separators"#
    );
    assert_eq!(q.after, r#"read as "10.50\\ 15.00""#);
    // The value never blocks the import: both acquisitions are mapped.
    let events = &ct(&r).events;
    assert_eq!(events.len(), 2);
    assert_close(events[1].mean_ctdivol_mgy, 12.5);
    assert_close(events[1].pitch_factor, 1.2);

    let s = strict(id);
    assert_not_applied(&s, id, &[path]);
    assert_eq!(ct(&s).events.len(), 2);
}

#[test]
fn openrem_681_varian_missing_study_date() {
    let id = "openrem-681-varian-missing-study-date";
    let r = lenient(id);
    assert_applied(&r, id, &[None, None]);
    assert_eq!(changes(&r)[0].1.after, "Study Date taken from Content Date");
    assert_eq!(changes(&r)[1].1.after, "Study Time taken from Content Time");
    assert_eq!(r.study.study_date, parse_date("20240315"));
    assert!(r.study.study_date.is_some());
    assert_eq!(r.study.study_time, parse_time("094500"));
    assert_eq!(r.study.study_time, r.study.content_time);

    let s = strict(id);
    assert_not_applied(&s, id, &[None, None]);
    assert_eq!(s.study.study_date, None);
    assert_eq!(s.study.study_time, None);
    assert!(
        s.diagnostics
            .iter()
            .any(|d| d.code == rdsr::DiagnosticCode::StudyDateMissing)
    );
}

#[test]
fn openrem_739_ge_surgical_uid_as_text() {
    let id = "openrem-739-ge-surgical-uid-as-text";
    let path = Some("1.3");
    let bytes = std::fs::read(fixture(id)).expect("fixture readable");
    let doc = rdsr::read_document(&bytes).expect("fixture reads");
    let item = doc
        .root()
        .child(&codes::DEVICE_OBSERVER_UID)
        .expect("a Device Observer UID item");
    assert_eq!(item.value_type(), rdsr::sr::ValueType::Text);
    let text = item.text().expect("a TEXT value").to_string();

    let r = lenient(id);
    assert_applied(&r, id, &[path]);
    assert_eq!(
        r.equipment.device_observer_uid.as_deref(),
        Some(text.as_str())
    );
    assert_eq!(
        projection(&r).observers[0].device_observer_uid.as_deref(),
        Some(text.as_str())
    );

    let s = strict(id);
    assert_not_applied(&s, id, &[path]);
    assert_eq!(s.equipment.device_observer_uid, None);
    assert!(
        s.diagnostics
            .iter()
            .any(|d| d.code == rdsr::DiagnosticCode::UidValueType)
    );
}

#[test]
fn openrem_739_ge_surgical_spelling() {
    let id = "openrem-739-ge-surgical-spelling";
    let paths = [
        Some("1.10.6"),
        Some("1.11.3"),
        Some("1.11.10"),
        Some("1.12.3"),
        Some("1.12.10"),
    ];
    let r = lenient(id);
    assert_applied(&r, id, &paths);
    let befores: Vec<&str> = changes(&r).iter().map(|(_, c)| c.before.as_str()).collect();
    assert_eq!(
        befores,
        [
            "meaning \"Fluoro Dose(RP) Total\"",
            "meaning \"Date Time Started\"",
            "meaning \"mA\"",
            "meaning \"Date Time Started\"",
            "meaning \"mA\"",
        ]
    );
    // Matched by code, so the values are read whatever the spelling.
    for report in [&r, &strict(id)] {
        let p = projection(report);
        let fa = p.accumulated_planes[0]
            .fluoro_and_acquisition_totals
            .as_ref();
        assert_close(fa.and_then(|t| t.fluoro_dose_rp_total_gy), 0.0045);
        assert_eq!(
            p.events[0].date_time_started.map(|d| d.to_string()),
            Some("2024-03-15T09:35:12".to_string())
        );
        assert_eq!(p.events[0].source.xray_tube_current_ma, vec![3.8]);
        assert_eq!(p.events[1].source.xray_tube_current_ma, vec![250.0]);
    }
    assert_not_applied(&strict(id), id, &paths);
}

#[test]
fn openrem_698_ge_procedure_reported_capitalisation() {
    let id = "openrem-698-ge-procedure-reported-capitalisation";
    let path = Some("1.1");
    let r = lenient(id);
    assert_applied(&r, id, &[path]);
    assert_eq!(
        changes(&r)[0].1.after,
        "matched by code 121058 (standard meaning \"Procedure reported\")"
    );
    assert!(is(
        projection(&r).procedure_reported.as_ref(),
        &codes::PROJECTION_XRAY
    ));

    let s = strict(id);
    assert_not_applied(&s, id, &[path]);
    assert!(is(
        projection(&s).procedure_reported.as_ref(),
        &codes::PROJECTION_XRAY
    ));
}

#[test]
fn openrem_181_private_grid_codes() {
    let id = "openrem-181-private-grid-codes";
    let path = Some("1.11.13");
    let r = lenient(id);
    assert_applied(&r, id, &[path]);
    let grids: Vec<_> = projection(&r).events[0]
        .source
        .grids
        .iter()
        .map(|g| (g.value.as_str(), g.scheme.as_str(), g.meaning.as_str()))
        .collect();
    assert_eq!(grids, [("gridin", "99HOLX", "Grid In")]);

    let s = strict(id);
    assert_not_applied(&s, id, &[path]);
    assert_eq!(projection(&s).events[0].source.grids.len(), 1);
}

#[test]
fn openrem_380_siemens_intevo_tube_current_meaning() {
    let id = "openrem-380-siemens-intevo-tube-current-meaning";
    let paths = [Some("1.12.6.6.4"), Some("1.13.6.7.4")];
    let r = lenient(id);
    assert_applied(&r, id, &paths);
    assert_eq!(changes(&r)[0].1.before, "meaning \"Tube Current\"");
    for report in [&r, &strict(id)] {
        let events = &ct(report).events;
        assert_close(events[0].xray_sources[0].xray_tube_current_ma, 35.0);
        assert_close(events[1].xray_sources[0].xray_tube_current_ma, 142.0);
    }
    assert_not_applied(&strict(id), id, &paths);
}

#[test]
fn openrem_612_missing_acquisition_protocol() {
    let id = "openrem-612-missing-acquisition-protocol";
    let path = Some("1.11.5");
    let r = lenient(id);
    assert_applied(&r, id, &[path]);
    let p = projection(&r);
    assert_eq!(p.events[0].acquisition_protocol, None);
    assert_eq!(
        p.events[1].acquisition_protocol.as_deref(),
        Some("Hip Single Shot")
    );

    let s = strict(id);
    assert_not_applied(&s, id, &[path]);
    assert_eq!(projection(&s).events[0].acquisition_protocol, None);
}

#[test]
fn canon_cxdi_empty_dose_items() {
    let id = "canon-cxdi-empty-dose-items";
    let paths = [Some("1.10.4"), Some("1.11.8")];
    let r = lenient(id);
    assert_applied(&r, id, &paths);
    let p = projection(&r);
    assert_eq!(p.modality_type, Some(ProjectionModality::Radiography));
    let totals = p.accumulated_planes[0].projection_totals.as_ref();
    assert_eq!(totals.and_then(|t| t.dose_rp_total_gy), None);
    assert_close(
        totals.and_then(|t| t.dose_area_product_total_gy_m2),
        0.00087,
    );
    assert_eq!(p.events[0].source.dose_rp_gy, None);
    assert_close(p.events[0].dose_area_product_gy_m2, 0.00087);

    let s = strict(id);
    assert_not_applied(&s, id, &paths);
    assert_eq!(projection(&s).events[0].source.dose_rp_gy, None);
}

#[test]
fn hologic_detector_data_available_code() {
    let id = "hologic-detector-data-available-code";
    let path = Some("1.9");
    let r = lenient(id);
    assert_applied(&r, id, &[path]);
    assert_eq!(
        changes(&r)[0].1.before,
        "(113745, DCM, \"X-Ray Detector Data Available\")"
    );
    let p = projection(&r);
    assert!(is(p.xray_detector_data_available.as_ref(), &codes::YES));
    assert_eq!(p.modality_type, Some(ProjectionModality::Mammography));
    // 113745 is Patient Table Relationship, an event-level row: not read as one here.
    assert_eq!(p.events[0].patient_table_relationship, None);

    let s = strict(id);
    assert_not_applied(&s, id, &[path]);
    assert_eq!(projection(&s).xray_detector_data_available, None);
}

#[test]
fn hologic_snm3_view_codes() {
    let id = "hologic-snm3-view-codes";
    let path = Some("1.11.7");
    let r = lenient(id);
    assert_applied(&r, id, &[path]);
    let view = projection(&r).events[0].image_view.clone();
    assert_eq!(code_value(view.as_ref()), Some(("R-10242", "SNM3")));

    let s = strict(id);
    assert_not_applied(&s, id, &[path]);
}

#[test]
fn reference_point_definition_as_text() {
    let id = "reference-point-definition-as-text";
    let path = Some("1.10.11");
    let r = lenient(id);
    assert_applied(&r, id, &[path]);
    let totals = projection(&r).accumulated_planes[0]
        .projection_totals
        .clone()
        .expect("TID 10007 totals");
    assert_eq!(
        totals.reference_point_definition_text.as_deref(),
        Some("15cm from Isocenter toward Source")
    );
    assert_eq!(totals.reference_point_definition, None);

    let s = strict(id);
    assert_not_applied(&s, id, &[path]);
}

#[test]
fn dual_modality_without_device_type() {
    let id = "dual-modality-without-device-type";
    let path = Some("1");
    let r = lenient(id);
    assert_applied(&r, id, &[path]);
    let p = projection(&r);
    assert_eq!(p.acquisition_device_type, None);
    // Decided from the non-zero fluoroscopy totals.
    assert_eq!(p.modality_type, Some(ProjectionModality::Fluoroscopy));
    assert_eq!(p.modality_basis, Some(ModalityBasis::AccumulatedTotals));

    let s = strict(id);
    assert_not_applied(&s, id, &[path]);
}

#[test]
fn zero_length_request_attributes_sequence() {
    let id = "zero-length-request-attributes-sequence";
    let r = lenient(id);
    assert_applied(&r, id, &[None]);
    assert_eq!(changes(&r)[0].1.before, "(0040,0275) present with no items");
    assert_eq!(r.study.requested_procedure_description, None);
    assert_eq!(r.study.requested_procedure_code, None);
    assert_eq!(ct(&r).events.len(), 2);

    let s = strict(id);
    assert_not_applied(&s, id, &[None]);
    assert_eq!(ct(&s).events.len(), 2);
}

#[test]
fn philips_veradius_missing_kvp() {
    let id = "philips-veradius-missing-kvp";
    let paths = [Some("1.11"), Some("1.12")];
    let r = lenient(id);
    assert_applied(&r, id, &paths);
    let p = projection(&r);
    for (e, ma) in p.events.iter().zip([3.8, 250.0]) {
        assert!(e.source.kvp_kv.is_empty(), "{e:?}");
        assert_eq!(e.source.xray_tube_current_ma, vec![ma]);
    }

    let s = strict(id);
    assert_not_applied(&s, id, &paths);
}

#[test]
fn cp_1676_laterality_under_anatomical_structure() {
    let id = "cp-1676-laterality-under-anatomical-structure";
    let path = Some("1.11.6.1");
    let r = lenient(id);
    assert_applied(&r, id, &[path]);
    assert_eq!(
        changes(&r)[0].1.before,
        "Laterality (G-A100, SRT, \"Right\") under Anatomical structure (pre CP-1676)"
    );
    let e = &projection(&r).events[0];
    assert_eq!(
        code_value(e.anatomical_structure.as_ref()),
        Some(("T-04000", "SRT"))
    );
    assert!(is(e.laterality.as_ref(), &codes::RIGHT));

    // Without the hint only the CP-1676 place (under Target Region) is read.
    let s = strict(id);
    assert_not_applied(&s, id, &[path]);
    assert_eq!(projection(&s).events[0].laterality, None);
}

#[test]
fn openrem_432_siemens_axiom_artis_xml_comments() {
    let id = "openrem-432-siemens-axiom-artis-xml-comments";
    let paths = [
        Some("1.11"),
        Some("1.11"),
        Some("1.11"),
        Some("1.11"),
        Some("1.12"),
        Some("1.12"),
        Some("1.12"),
        Some("1.12"),
    ];
    let r = lenient(id);
    assert_applied(&r, id, &paths);
    assert_eq!(
        changes(&r)[0].1.after,
        "headfirst from root Comment position \"HFS\""
    );
    let p = projection(&r);
    assert_eq!(p.events.len(), 2);
    for e in &p.events {
        assert!(is(e.patient_table_relationship.as_ref(), &codes::HEADFIRST));
        assert!(is(e.patient_orientation.as_ref(), &codes::RECUMBENT));
        assert!(is(e.patient_orientation_modifier.as_ref(), &codes::SUPINE));
        assert_close(e.source.ii_field_size_mm, 220.0);
    }

    let s = strict(id);
    assert_not_applied(&s, id, &paths);
    for e in &projection(&s).events {
        assert_eq!(e.patient_table_relationship, None);
        assert_eq!(e.patient_orientation, None);
        assert_eq!(e.patient_orientation_modifier, None);
        assert_eq!(e.source.ii_field_size_mm, None);
    }
}

#[test]
fn openrem_446_philips_xper_private_frames_and_shutters() {
    let id = "openrem-446-philips-xper-private-frames-and-shutters";
    let paths = [
        Some("1.11"),
        Some("1.11"),
        Some("1.11.14"),
        Some("1.11.14"),
        Some("1.11.14"),
        Some("1.12"),
        Some("1.12"),
        Some("1.12.14"),
        Some("1.12.14"),
        Some("1.12.14"),
    ];
    let r = lenient(id);
    assert_applied(&r, id, &paths);
    let p = projection(&r);
    // Shutters 131 / 164.5 / 164.5 / 131 mm at 1 m, times the event's SDD.
    for (e, (pulses, sdd_m)) in p.events.iter().zip([(510.0, 1.05), (1.0, 1.1)]) {
        assert_close(e.source.number_of_pulses, pulses);
        assert_close(e.mechanical.distances.table_height_position_mm, 812.0);
        assert_close(
            e.mechanical.distances.distance_source_to_detector_mm,
            sdd_m * 1000.0,
        );
        let (height, width) = (329.0 * sdd_m, 262.0 * sdd_m);
        assert_close(e.source.collimated_field_height_mm, height);
        assert_close(e.source.collimated_field_width_mm, width);
        assert_close(e.source.collimated_field_area_m2, height * width / 1e6);
    }

    let s = strict(id);
    assert_not_applied(&s, id, &paths);
    for e in &projection(&s).events {
        assert_eq!(e.source.number_of_pulses, None);
        assert_eq!(e.mechanical.distances.table_height_position_mm, None);
        assert_eq!(e.source.collimated_field_height_mm, None);
        assert_eq!(e.source.collimated_field_width_mm, None);
        assert_eq!(e.source.collimated_field_area_m2, None);
    }
}

#[test]
fn siemens_ct_modulation_type_in_comment() {
    let id = "siemens-ct-modulation-type-in-comment";
    let paths = [Some("1.12"), Some("1.13")];
    let r = lenient(id);
    assert_applied(&r, id, &paths);
    for e in &ct(&r).events {
        assert_eq!(e.xray_modulation_type.as_deref(), Some("XYZ_EC"));
        assert!(
            e.comment
                .as_deref()
                .is_some_and(|c| c.ends_with("X-ray Modulation Type = XYZ_EC"))
        );
    }

    let s = strict(id);
    assert_not_applied(&s, id, &paths);
    for e in &ct(&s).events {
        assert_eq!(e.xray_modulation_type, None);
    }
}

// ---- fixtures ---------------------------------------------------------------------------

/// Every shipped entry names its fixture, and every fixture belongs to an entry.
#[test]
fn quirk_fixtures_match_the_table() {
    let table = rdsr::quirks::shipped_table().expect("shipped table");
    let named: BTreeSet<String> = table
        .entries()
        .iter()
        .filter_map(|e| e.testdata.clone())
        .collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/quirks");
    let present: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("testdata/quirks is readable")
        .filter_map(|e| e.ok())
        .map(|e| format!("testdata/quirks/{}", e.file_name().to_string_lossy()))
        .filter(|n| n.ends_with(".dcm"))
        .collect();
    assert_eq!(named, present);
}

/// The committed fixtures are exactly what the builder writes.
#[test]
fn committed_quirk_fixtures_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/quirks");
    let fixtures = rdsr_builder::testdata::quirks();
    assert_eq!(fixtures.len(), COVERED.len());
    for (name, builder) in fixtures {
        let built = builder.to_bytes().expect("fixture builds");
        assert_eq!(built, builder.to_bytes().expect("fixture builds"), "{name}");
        let committed = std::fs::read(dir.join(&name))
            .unwrap_or_else(|e| panic!("{name}: {e}; run `cargo run --example write_testdata`"));
        assert!(
            committed == built,
            "{name} is stale; run `cargo run --example write_testdata`"
        );
    }
}

// ---- the real files that carry each quirk -----------------------------------------------

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.join("MANIFEST.tsv").is_file() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: ../shared/corpus is absent; the corpus quirk tests need it");
        None
    }
}

/// Corpus files (`../shared/corpus/MANIFEST.tsv`) and every quirk each one carries (the
/// defects: docs/openrem-differences.md, "Upstream issues worked around").
const CORPUS: &[(&str, &[&str])] = &[
    (
        "CT-ESR-GE_Optima.dcm",
        &["zero-length-request-attributes-sequence"],
    ),
    (
        "CT-RDSR-Philips_BigBore4DCT.dcm",
        &["openrem-765-philips-bigbore-empty-target-region"],
    ),
    (
        "CT-RDSR-Siemens_Flash-QA-DS.dcm",
        &["siemens-ct-modulation-type-in-comment"],
    ),
    (
        "CT-RDSR-Siemens_Flash-TAP-SS.dcm",
        &["siemens-ct-modulation-type-in-comment"],
    ),
    (
        "CT-RDSR-Toshiba_MultiValSD.dcm",
        &["openrem-670-toshiba-vhp-ds-separator"],
    ),
    (
        "DX-RDSR-Canon_CXDI.dcm",
        &[
            "canon-cxdi-empty-dose-items",
            "reference-point-definition-as-text",
        ],
    ),
    ("Dual-RDSR-DX.dcm", &["dual-modality-without-device-type"]),
    ("Dual-RDSR-RF.dcm", &["dual-modality-without-device-type"]),
    (
        "MG-RDSR-Hologic_2D.dcm",
        &[
            "cp-1676-laterality-under-anatomical-structure",
            "hologic-detector-data-available-code",
            "hologic-snm3-view-codes",
            "openrem-181-private-grid-codes",
        ],
    ),
    (
        "MG-RDSR-Hologic_mix.dcm",
        &[
            "cp-1676-laterality-under-anatomical-structure",
            "hologic-detector-data-available-code",
            "hologic-snm3-view-codes",
            "openrem-181-private-grid-codes",
        ],
    ),
    (
        "RF-No-kVp-and-others.dcm",
        &["philips-veradius-missing-kvp"],
    ),
    (
        "RF-RDSR-Eurocolumbus.dcm",
        &["reference-point-definition-as-text"],
    ),
    (
        "RF-RDSR-GE-OECEliteMiniView.dcm",
        &[
            "openrem-746-ge-oec-miniview-no-template",
            "reference-point-definition-as-text",
        ],
    ),
    (
        "RF-RDSR-GE.dcm",
        &[
            "openrem-698-ge-procedure-reported-capitalisation",
            "openrem-739-ge-surgical-spelling",
            "openrem-739-ge-surgical-uid-as-text",
        ],
    ),
    (
        "RF-Pat-Orientation-Modifier-Missing.dcm",
        &[
            "openrem-446-philips-xper-private-frames-and-shutters",
            "reference-point-definition-as-text",
        ],
    ),
    (
        "RF-RDSR-Philips_Allura.dcm",
        &[
            "openrem-446-philips-xper-private-frames-and-shutters",
            "reference-point-definition-as-text",
        ],
    ),
    (
        "RF-RDSR-Philips_Azurion.dcm",
        &[
            "openrem-673-philips-azurion-device-type",
            "openrem-673-philips-azurion-empty-numeric-values",
            "reference-point-definition-as-text",
        ],
    ),
    (
        "RF-RDSR-Siemens-Zee.dcm",
        &["openrem-432-siemens-axiom-artis-xml-comments"],
    ),
    (
        "RF-RDSR-Siemens-Zee_adjusted.dcm",
        &["openrem-432-siemens-axiom-artis-xml-comments"],
    ),
];

#[test]
fn corpus_files_get_their_quirks_applied() {
    let Some(dir) = corpus_dir() else { return };
    let files = dir.join("files/openrem-0.10.0");
    for (name, ids) in CORPUS {
        let path = files.join(name);
        let r = rdsr::parse_file(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let got: BTreeSet<&str> = r.applied_quirks.iter().map(|q| q.id.as_str()).collect();
        let want: BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(got, want, "{name}: applied quirks");

        let blocking = "openrem-746-ge-oec-miniview-no-template";
        if ids.contains(&blocking) {
            assert_strict_refuses(&path, blocking);
            continue;
        }
        let s = Options::new()
            .strict(true)
            .parse_file(&path)
            .unwrap_or_else(|e| panic!("{name}: strict: {e}"));
        assert!(s.applied_quirks.is_empty(), "{name}: strict applied quirks");
        for id in *ids {
            let notes: Vec<_> = s
                .diagnostics
                .iter()
                .filter(|d| {
                    d.code == rdsr::DiagnosticCode::QuirkNotApplied
                        && d.message.contains(&format!("quirk {id} not applied"))
                })
                .map(|d| d.path.clone())
                .collect();
            let paths: Vec<_> = applied_with(&r, id)
                .iter()
                .map(|q| q.path.clone())
                .collect();
            assert_eq!(notes, paths, "{name}: strict diagnostics for {id}");
        }
    }
}

/// The values the hint-setting quirks recover on the real files.
#[test]
fn corpus_values_recovered_by_hints() {
    let Some(dir) = corpus_dir() else { return };
    let files = dir.join("files/openrem-0.10.0");
    let parse = |name: &str, strict: bool| {
        Options::new()
            .strict(strict)
            .parse_file(files.join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    };

    let mini = parse("RF-RDSR-GE-OECEliteMiniView.dcm", false);
    assert_eq!(mini.template, Template::Projection);
    assert_eq!(mini.template_source, TemplateSource::Quirk);
    assert_eq!(projection(&mini).events.len(), 22);

    let ge = parse("RF-RDSR-GE.dcm", false);
    assert_eq!(
        ge.equipment.device_observer_uid.as_deref(),
        Some("1.3.6.1.4.1.45593.912345678.9876543123")
    );
    assert_eq!(
        parse("RF-RDSR-GE.dcm", true).equipment.device_observer_uid,
        None
    );

    let hologic = parse("MG-RDSR-Hologic_2D.dcm", false);
    assert!(is(
        projection(&hologic).xray_detector_data_available.as_ref(),
        &codes::YES
    ));
    let hologic = parse("MG-RDSR-Hologic_2D.dcm", true);
    assert_eq!(projection(&hologic).xray_detector_data_available, None);

    let azurion = parse("RF-RDSR-Philips_Azurion.dcm", false);
    let p = projection(&azurion);
    assert_eq!(p.modality_type, Some(ProjectionModality::Fluoroscopy));
    assert_eq!(p.modality_basis, Some(ModalityBasis::EquipmentHint));

    // Spec 2.6.6: first event, shutters 131/164.5/164.5/131 mm, SDD 1194 mm.
    let allura = parse("RF-RDSR-Philips_Allura.dcm", false);
    let first = &projection(&allura).events[0].source;
    assert_close(first.collimated_field_height_mm, 392.826);
    assert_close(first.collimated_field_width_mm, 312.828);
    let area = first
        .collimated_field_area_m2
        .expect("collimated field area");
    assert!((area - 0.122887).abs() < 5e-7, "{area}");
    let allura = parse("RF-RDSR-Philips_Allura.dcm", true);
    assert_eq!(
        projection(&allura).events[0]
            .source
            .collimated_field_area_m2,
        None
    );

    // Spec 2.6.7: headfirst / recumbent / supine on all 8 events.
    let zee = parse("RF-RDSR-Siemens-Zee.dcm", false);
    let events = &projection(&zee).events;
    assert_eq!(events.len(), 8);
    for e in events {
        assert!(is(e.patient_table_relationship.as_ref(), &codes::HEADFIRST));
        assert!(is(e.patient_orientation.as_ref(), &codes::RECUMBENT));
        assert!(is(e.patient_orientation_modifier.as_ref(), &codes::SUPINE));
    }
    let zee = parse("RF-RDSR-Siemens-Zee.dcm", true);
    assert!(
        projection(&zee)
            .events
            .iter()
            .all(|e| e.patient_table_relationship.is_none())
    );

    let flash = parse("CT-RDSR-Siemens_Flash-TAP-SS.dcm", false);
    assert!(
        ct(&flash)
            .events
            .iter()
            .all(|e| e.xray_modulation_type.is_some())
    );
    let flash = parse("CT-RDSR-Siemens_Flash-TAP-SS.dcm", true);
    assert!(
        ct(&flash)
            .events
            .iter()
            .all(|e| e.xray_modulation_type.is_none())
    );
}

// ---- options: disable, user directory, plugin fix, malformed file ---------------------------

#[test]
fn disable_quirk_turns_one_off() {
    let id = "openrem-681-varian-missing-study-date";
    let off = Options::new()
        .disable_quirk(id)
        .expect("known quirk id")
        .parse_file(fixture(id))
        .expect("parses");
    assert_eq!(applied(&off), Vec::new());
    assert_eq!(off.study.study_date, None);
    // Turned off means neither applied nor reported, in strict mode too.
    let off_strict = Options::new()
        .strict(true)
        .disable_quirk(id)
        .expect("known quirk id")
        .parse_file(fixture(id))
        .expect("parses");
    assert!(
        !off_strict
            .diagnostics
            .iter()
            .any(|d| d.code == rdsr::DiagnosticCode::QuirkNotApplied)
    );

    // Only the named quirk is off: with the MiniView entry off, the generic entry infers the
    // template; with both off the report is not mapped.
    let mini = "openrem-746-ge-oec-miniview-no-template";
    let r = Options::new()
        .disable_quirk(mini)
        .expect("known quirk id")
        .parse_file(fixture(mini))
        .expect("parses");
    assert_eq!(applied(&r), [("missing-template-identifier", Some("1"))]);
    assert_eq!(r.template, Template::Projection);
    assert_eq!(r.template_source, TemplateSource::Quirk);
    let r = Options::new()
        .disable_quirk(mini)
        .and_then(|o| o.disable_quirk("missing-template-identifier"))
        .expect("known quirk ids")
        .parse_file(fixture(mini))
        .expect("parses");
    assert_eq!(applied(&r), Vec::new());
    assert_eq!(r.template, Template::Unknown);
    assert_eq!(r.template_source, TemplateSource::None);
    assert!(matches!(r.body, ReportBody::Unmapped));
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.code == rdsr::DiagnosticCode::TemplateUnknown)
    );
}

/// A fresh, empty directory under Cargo's temporary directory for integration tests.
fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("quirks-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn user_quirk_dir_applies_without_recompiling() {
    let dir = temp_dir("user-dir");
    std::fs::write(
        dir.join("50-local-varian-study-date.toml"),
        r#"# Local: our Varian TrueBeam sends no study date either (ticket LOCAL-1).
id = "local-varian-study-date"
summary = "Local Varian TrueBeam without Study Date"
kind = "missing-mandatory-attribute"
reference = "LOCAL-1"

[match]
manufacturer = "varian*"
model = "TrueBeam"

[fix]
name = "study-date-fallback"
"#,
    )
    .expect("write quirk file");
    std::fs::write(dir.join("README.txt"), "not a quirk file").expect("write");
    let file = fixture("openrem-681-varian-missing-study-date");

    // Only the user's table: its entry does the work of the shipped one.
    let options = Options::new()
        .shipped_quirks(false)
        .quirk_dir(&dir)
        .expect("user quirk dir loads");
    let table = options.quirk_config().table().expect("table");
    let ids: Vec<&str> = table.entries().iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["local-varian-study-date"]);
    assert!(
        table.entries()[0]
            .source
            .ends_with("50-local-varian-study-date.toml")
    );
    let r = options.parse_file(&file).expect("parses");
    assert_eq!(
        applied(&r),
        [
            ("local-varian-study-date", None),
            ("local-varian-study-date", None)
        ]
    );
    assert_eq!(r.study.study_date, parse_date("20240315"));

    let none = Options::new()
        .shipped_quirks(false)
        .parse_file(&file)
        .expect("parses");
    assert_eq!(applied(&none), Vec::new());
    assert_eq!(none.study.study_date, None);

    // Added to the shipped table, both entries apply.
    let both = Options::new()
        .quirk_dir(&dir)
        .expect("loads")
        .parse_file(&file)
        .expect("parses");
    let ids: BTreeSet<&str> = both.applied_quirks.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        BTreeSet::from([
            "local-varian-study-date",
            "openrem-681-varian-missing-study-date"
        ])
    );
}

/// A site's own fix: sets the station name the device leaves out.
struct StationName;

impl Fix for StationName {
    fn repair(&self, input: &FixInput<'_>, report: &mut DoseReport) -> Vec<Change> {
        let Some(name) = input.params.get("station") else {
            return Vec::new();
        };
        if report.equipment.station_name.as_deref() == Some(name.as_str()) {
            return Vec::new();
        }
        let before = report.equipment.station_name.replace(name.clone());
        vec![
            Change::new(
                None,
                format!("Station Name {before:?}"),
                format!("Station Name {name:?}"),
            )
            .with_field("Station Name (0008,1010)"),
        ]
    }

    fn check_params(&self, params: &rdsr::quirks::Params) -> Result<(), String> {
        match params.get("station") {
            Some(s) if !s.trim().is_empty() => Ok(()),
            _ => Err("missing fix parameter station".into()),
        }
    }
}

const STATION_ENTRY: &str = r#"# Local: the Fluoro One in room 3 reports the wrong station.
id = "local-fluoro-one-station"
summary = "Fluoro One with the wrong station name"
kind = "missing-mandatory-attribute"
reference = "LOCAL-2"

[match]
model = "Fluoro One"

[fix]
name = "set-station-name"
station = "ROOM3"
"#;

#[test]
fn plugin_fix_runs_and_its_changes_are_recorded() {
    let table = QuirkTable::parse("local.toml", STATION_ENTRY).expect("entry parses");
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/projection_minimal.dcm");
    let plain = rdsr::parse_file(&file).expect("parses");
    assert_eq!(plain.equipment.station_name.as_deref(), Some("FLUORO1"));

    let options = Options::new()
        .register_fix("set-station-name", Arc::new(StationName))
        .quirks(table.clone())
        .expect("entry added");
    let r = options.parse_file(&file).expect("parses");
    assert_eq!(r.equipment.station_name.as_deref(), Some("ROOM3"));
    let q = applied_with(&r, "local-fluoro-one-station");
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].path, None);
    assert_eq!(q[0].before, "Station Name Some(\"FLUORO1\")");
    assert_eq!(q[0].after, "Station Name \"ROOM3\"");
    assert_eq!(q[0].field.as_deref(), Some("Station Name (0008,1010)"));

    // Strict mode: the plugin's change is reported, the report is untouched.
    let s = options
        .clone()
        .strict(true)
        .parse_file(&file)
        .expect("parses");
    assert_eq!(s.equipment.station_name.as_deref(), Some("FLUORO1"));
    assert!(s.applied_quirks.is_empty());
    assert!(s.diagnostics.iter().any(|d| {
        d.code == rdsr::DiagnosticCode::QuirkNotApplied
            && d.message
                .contains("quirk local-fluoro-one-station not applied")
    }));

    // Selecting a fix nobody registered fails closed when the entry is added, naming the
    // entry and the fix.
    let err = Options::new()
        .quirks(table.clone())
        .expect_err("unknown fix");
    assert_eq!(err.file, "local.toml");
    let msg = err.to_string();
    assert!(msg.contains("local-fluoro-one-station"), "{msg}");
    assert!(msg.contains("set-station-name"), "{msg}");

    // Parameters are checked by the fix when the table is built.
    let bad = QuirkTable::parse(
        "local.toml",
        &STATION_ENTRY.replace("station = \"ROOM3\"", "room = \"ROOM3\""),
    )
    .expect("entry parses");
    let err = Options::new()
        .register_fix("set-station-name", Arc::new(StationName))
        .quirks(bad)
        .expect_err("bad parameters");
    assert_eq!(err.file, "local.toml");
    assert!(
        err.message.contains("missing fix parameter station"),
        "{err}"
    );
}

#[test]
fn malformed_user_quirk_file_fails_with_file_and_line() {
    let dir = temp_dir("malformed");
    std::fs::write(dir.join("10-good.toml"), STATION_ENTRY).expect("write");
    std::fs::write(
        dir.join("20-bad.toml"),
        "# Local entry with a typo.\nid = \"local-bad\"\nsummary = \"bad\"\nkind = \"empty-value\"\nrefrence = \"LOCAL-3\"\n\n[fix]\nname = \"flag-items\"\n",
    )
    .expect("write");
    let err = Options::new()
        .quirk_dir(&dir)
        .expect_err("malformed file rejected");
    assert!(err.file.ends_with("20-bad.toml"), "{err}");
    assert_eq!(err.line, 5, "{err}");
    assert!(err.message.contains("unknown key refrence"), "{err}");
    assert!(err.to_string().contains("20-bad.toml:5: "), "{err}");

    // An unknown kind names its line too.
    std::fs::write(
        dir.join("20-bad.toml"),
        "# Local.\nid = \"local-bad\"\nsummary = \"bad\"\nkind = \"empty\"\nreference = \"x\"\n\n[fix]\nname = \"flag-items\"\n",
    )
    .expect("write");
    let err = Options::new().quirk_dir(&dir).expect_err("unknown kind");
    assert_eq!(err.line, 4, "{err}");
    assert!(err.message.contains("unknown kind \"empty\""), "{err}");
}

/// A quoted value may hold an escaped quote followed by ` #`: the `#` is part of the value,
/// not a comment (it used to be cut there and the file rejected).
#[test]
fn quirk_file_values_may_hold_escaped_quotes_before_a_hash() {
    let entry = |reference: &str| {
        format!(
            "# Local.\nid = \"local-x\"\nsummary = \"s\"\nkind = \"empty-value\"\n\
             reference = {reference}\n\n[fix]\nname = \"flag-items\"\n"
        )
    };
    let parsed = |reference: &str| {
        QuirkTable::parse("local.toml", &entry(reference))
            .map(|t| t.entries()[0].reference.clone())
            .map_err(|e| e.to_string())
    };
    assert_eq!(
        parsed(r#""vendor \"X\" #12""#),
        Ok("vendor \"X\" #12".to_string())
    );
    assert_eq!(
        parsed(r#""vendor \"X\" #12"  # upstream"#),
        Ok("vendor \"X\" #12".to_string())
    );
    assert_eq!(
        parsed(r#""OpenREM #746"   # issue"#),
        Ok("OpenREM #746".to_string())
    );
    assert_eq!(parsed(r#""a" #"b""#), Ok("a".to_string()));
    let err = parsed(r#""a" b"#).expect_err("text after the closing quote");
    assert!(err.starts_with("local.toml:5: "), "{err}");
}

/// The device the quirk table matches is read with the caller's text policy, the same text
/// the report's equipment module shows: a manufacturer stored as UTF-8 under a declared
/// ISO_IR 100 reads as Latin-1 with `MisdeclaredText::AsDeclared`, for matching too.
#[test]
fn quirk_device_is_decoded_with_the_callers_text_policy() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/ct_enhanced_sr.dcm");
    let original = std::fs::read(path).expect("testdata/ct_enhanced_sr.dcm");
    let from = b"RDSR Test Systems ";
    let to = "RDSR T\u{e9}st Systems".as_bytes();
    assert_eq!(from.len(), to.len());
    let mut bytes = original.clone();
    let mut replaced = 0;
    let mut i = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
            replaced += 1;
            i += from.len();
        } else {
            i += 1;
        }
    }
    assert!(replaced >= 1, "the fixture names its manufacturer");

    let as_declared = Options::new().misdeclared_text(rdsr::MisdeclaredText::AsDeclared);
    let doc = as_declared.read_document(&bytes).expect("reads");
    let report = as_declared.parse_bytes(&bytes).expect("maps");
    let latin1 = "RDSR T\u{c3}\u{a9}st Systems";
    assert_eq!(report.equipment.manufacturer.as_deref(), Some(latin1));
    assert_eq!(
        rdsr::quirks::device_of(&doc).manufacturer.as_deref(),
        Some(latin1)
    );

    let detect = Options::new();
    let doc = detect.read_document(&bytes).expect("reads");
    assert_eq!(
        rdsr::quirks::device_of(&doc).manufacturer.as_deref(),
        Some("RDSR T\u{e9}st Systems")
    );
}
