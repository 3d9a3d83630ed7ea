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

use std::path::{Path, PathBuf};

use rdsr::{DoseReport, ReportBody, Severity};

/// The corpus projection reports listed in the manifest, or `None` (with a message) without
/// corpus.
fn corpus_projection_reports() -> Option<Vec<PathBuf>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
        eprintln!("SKIPPED: ../shared/corpus is absent; the corpus projection snapshots need it");
        return None;
    };
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("MANIFEST.tsv has no {name} column"))
    };
    let (relpath, kind, template) = (col("relpath"), col("kind"), col("template_id"));
    let files = lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| {
            f.get(kind) == Some(&"rdsr")
                && (f.get(template) == Some(&"10001")
                    || f.get(relpath).is_some_and(|p| p.contains("MiniView")))
        })
        .filter_map(|f| f.get(relpath).map(|p| dir.join(p)))
        .collect();
    Some(files)
}

/// The builder-written projection fixtures.
fn testdata_projection_reports() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("testdata/ is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("projection_") && n.ends_with(".dcm"))
        })
        .collect();
    files.sort();
    files
}

/// Reads one projection report and checks it mapped cleanly.
fn read_projection(path: &Path) -> DoseReport {
    let report =
        rdsr::parse_file(path).unwrap_or_else(|e| panic!("{}: not read: {e}", path.display()));
    assert!(
        matches!(report.body, ReportBody::Projection(_)),
        "{}: not mapped as a projection report: {:?}",
        path.display(),
        report.template
    );
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(
        errors.is_empty(),
        "{}: error diagnostics: {errors:#?}",
        path.display()
    );
    report
}

fn snapshot(path: &Path) {
    let report = read_projection(path);
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("file names are UTF-8");
    insta::assert_json_snapshot!(name, report);
}

#[test]
fn corpus_projection_reports_snapshot() {
    let Some(files) = corpus_projection_reports() else {
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
    let files = testdata_projection_reports();
    assert!(
        !files.is_empty(),
        "testdata/projection_*.dcm fixtures are missing"
    );
    for f in &files {
        snapshot(f);
    }
}
