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
