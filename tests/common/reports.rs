//! Shared by the report snapshot tests: which files to snapshot and the checks every mapped
//! report must pass.

use std::path::{Path, PathBuf};

use rdsr::{DoseReport, Severity};

/// Corpus dose reports whose manifest row satisfies `select(template_id, relpath)`, or `None`
/// (with a message) without the corpus.
pub fn corpus_reports(what: &str, select: impl Fn(&str, &str) -> bool) -> Option<Vec<PathBuf>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
        eprintln!("SKIPPED: ../shared/corpus is absent; the corpus {what} snapshots need it");
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
        .filter(|f| f.get(kind) == Some(&"rdsr"))
        .filter(|f| {
            select(
                f.get(template).unwrap_or(&""),
                f.get(relpath).unwrap_or(&""),
            )
        })
        .filter_map(|f| f.get(relpath).map(|p| dir.join(p)))
        .collect();
    Some(files)
}

/// The builder-written fixtures in `testdata/` whose names start with `prefix`.
pub fn testdata_reports(prefix: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("testdata/ is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".dcm"))
        })
        .collect();
    files.sort();
    files
}

/// Reads one report and checks `is_kind` holds for its body and that it has no
/// error-severity diagnostic; returns it with the snapshot name (the file's stem).
pub fn checked(
    path: &Path,
    kind: &str,
    is_kind: impl Fn(&DoseReport) -> bool,
) -> (String, DoseReport) {
    let report =
        rdsr::parse_file(path).unwrap_or_else(|e| panic!("{}: not read: {e}", path.display()));
    assert!(
        is_kind(&report),
        "{}: not mapped as a {kind} report: {:?}",
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
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("file names are UTF-8")
        .to_string();
    (name, report)
}
