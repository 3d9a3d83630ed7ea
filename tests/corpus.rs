//! Every real report of `../shared/corpus` loads, with the manifest's event count; every
//! other file is `NotADoseReport`.

use std::path::PathBuf;

use rdsr::ErrorKind;
use rdsr::sr::codes;

fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.join("MANIFEST.tsv").is_file() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: ../shared/corpus is absent; the corpus tests need it");
        None
    }
}

struct Entry {
    relpath: String,
    kind: String,
    n_events: usize,
}

fn manifest(dir: &std::path::Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("manifest readable");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (rel, kind, events) = (col("relpath"), col("kind"), col("n_events"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Entry {
                relpath: f[rel].to_string(),
                kind: f[kind].to_string(),
                n_events: f[events].parse().unwrap_or(0),
            }
        })
        .collect()
}

#[test]
fn every_dose_report_loads_with_the_manifest_event_count() {
    let Some(dir) = corpus_dir() else { return };
    let entries = manifest(&dir);
    let mut checked = 0;
    for e in entries.iter().filter(|e| e.kind == "rdsr") {
        let bytes = std::fs::read(dir.join(&e.relpath)).expect("read corpus file");
        let doc = rdsr::read_document(&bytes).unwrap_or_else(|err| panic!("{}: {err}", e.relpath));
        let events =
            doc.count(&codes::IRRADIATION_EVENT_XRAY_DATA) + doc.count(&codes::CT_ACQUISITION);
        assert_eq!(events, e.n_events, "{}: event containers", e.relpath);
        let report = rdsr::parse_bytes(&bytes).unwrap_or_else(|err| panic!("{}: {err}", e.relpath));
        assert_eq!(report.irradiation_events, e.n_events, "{}", e.relpath);
        checked += 1;
    }
    assert_eq!(checked, 33, "the manifest lists 33 dose reports");
}

#[test]
fn every_other_file_is_not_a_dose_report() {
    let Some(dir) = corpus_dir() else { return };
    let entries = manifest(&dir);
    let mut checked = 0;
    for e in entries.iter().filter(|e| e.kind != "rdsr") {
        let path = dir.join(&e.relpath);
        let err = rdsr::parse_file(&path).expect_err(&e.relpath);
        assert_eq!(
            err.kind(),
            ErrorKind::NotADoseReport,
            "{}: {err}",
            e.relpath
        );
        assert_eq!(err.location().file.as_deref(), Some(path.as_path()));
        checked += 1;
    }
    assert_eq!(checked, 16, "the manifest lists 16 other files");
}
