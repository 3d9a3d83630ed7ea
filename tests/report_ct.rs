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
