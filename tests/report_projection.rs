//! Golden JSON snapshots of every projection X-ray dose report (TID 10001): the typed
//! [`rdsr::DoseReport`], diagnostics and applied quirks included, one snapshot per file,
//! named after it.
//!
//! The real reports come from `../shared/corpus` (MANIFEST.tsv rows with kind `rdsr` and
//! template `10001`, plus the GE OEC Elite MiniView report that declares no template;
//! skipped with a message when the corpus is absent), the synthetic ones from
//! `testdata/projection_*.dcm`. Every report must map as a projection report without an
//! error and without an error-severity diagnostic. Update with
//! `INSTA_UPDATE=always cargo test --test report_projection` and review the values and units
//! before committing.

#[path = "common/reports.rs"]
mod reports;

use std::path::Path;

use rdsr::ReportBody;

fn snapshot(path: &Path) {
    let (name, report) = reports::checked(path, "projection", |r| {
        matches!(r.body, ReportBody::Projection(_))
    });
    insta::assert_json_snapshot!(name, report);
}

#[test]
fn corpus_projection_reports_snapshot() {
    let Some(files) =
        reports::corpus_reports("projection", |t, p| t == "10001" || p.contains("MiniView"))
    else {
        return;
    };
    assert_eq!(
        files.len(),
        19,
        "the manifest lists 18 TID 10001 reports and the MiniView report"
    );
    for f in &files {
        snapshot(f);
    }
}

#[test]
fn testdata_projection_reports_snapshot() {
    let files = reports::testdata_reports("projection_");
    assert!(
        !files.is_empty(),
        "testdata/projection_*.dcm fixtures are missing"
    );
    for f in &files {
        snapshot(f);
    }
}
