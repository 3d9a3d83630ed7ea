//! Nothing a report holds is dropped between `DoseReport` and the store: every stored report
//! reads back equal to the file parsed again, and the event tables hold every event of every
//! assembled study.

use std::path::{Path, PathBuf};

use rdsr_store::{ImportOptions, SqliteStore, import_paths};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn roots() -> Vec<PathBuf> {
    let mut roots = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata")];
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/files");
    if corpus.is_dir() {
        roots.push(corpus);
    } else {
        eprintln!("SKIPPED: ../shared/corpus is absent; round trip of testdata/ only");
    }
    roots
}

#[test]
fn every_stored_report_reads_back_equal_to_the_parsed_file() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut store = SqliteStore::open(dir.path().join("rt.sqlite"))?;
    import_paths(&mut store, &roots(), &ImportOptions::default(), |_, _| {})?;
    let conn = store.connection();
    let mut st = conn.prepare("SELECT report_key, file_path, report_zlib FROM reports")?;
    let rows: Vec<(String, String, Vec<u8>)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    assert!(rows.len() > 10, "only {} reports stored", rows.len());
    for (key, path, stored) in &rows {
        let back = rdsr_store::decode_report(key, stored)?;
        let parsed = rdsr::parse_file(path)?;
        assert_eq!(
            back, parsed,
            "{path}: the stored report differs from the file"
        );
    }

    // Every event of every assembled study has its row.
    let (events, rows_p, rows_ct): (i64, i64, i64) = conn.query_row(
        "SELECT (SELECT sum(number_of_events) FROM studies),
                (SELECT count(*) FROM projection_events),
                (SELECT count(*) FROM ct_events)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    assert!(events > 0);
    assert_eq!(rows_p + rows_ct, events, "one event row per study event");
    Ok(())
}
