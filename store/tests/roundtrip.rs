//! Nothing a report holds is dropped between `DoseReport` and the store: every stored report
//! reads back equal to the file parsed again, and the event, z-resolved value and
//! radiopharmaceutical tables hold every record of every assembled study.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rdsr::ReportBody;
use rdsr::study::StudyAssembler;
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
    let mut st = conn.prepare(
        "SELECT report_key, file_path, report_zlib, study_key FROM reports ORDER BY report_key",
    )?;
    let rows: Vec<(String, String, Vec<u8>, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    assert!(rows.len() > 10, "only {} reports stored", rows.len());
    let mut by_study: BTreeMap<&str, StudyAssembler> = BTreeMap::new();
    for (key, path, stored, study) in &rows {
        let back = rdsr_store::decode_report(key, stored)?;
        let parsed = rdsr::parse_file(path)?;
        assert_eq!(
            back, parsed,
            "{path}: the stored report differs from the file"
        );
        by_study.entry(study).or_default().add(back);
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

    // Every z-resolved value of every CT event, and every administration (one per
    // administration event UID of a study), organ dose and filtration rate of every
    // radiopharmaceutical report of an assembled study, has its row.
    let mut expected = [0usize; 4];
    for assembler in by_study.values() {
        for study in assembler.studies() {
            if let ReportBody::Ct(c) = &study.report.body {
                expected[0] += c
                    .events
                    .iter()
                    .map(|e| {
                        e.size_specific_dose_estimates_at_z.len()
                            + e.water_equivalent_diameters_at_z.len()
                    })
                    .sum::<usize>();
            }
            let mut uids = BTreeSet::new();
            for report in std::iter::once(&study.report).chain(&study.attached) {
                let Some(rp) = report.radiopharmaceutical() else {
                    continue;
                };
                for a in &rp.administrations {
                    if a.administration_event_uid
                        .as_deref()
                        .is_none_or(|uid| uids.insert(uid))
                    {
                        expected[1] += 1;
                        expected[2] += a.organ_doses.len();
                    }
                }
                expected[3] += rp
                    .patient_characteristics
                    .as_ref()
                    .map_or(0, |p| p.glomerular_filtration_rates.len());
            }
        }
    }
    let mut stored = [0usize; 4];
    for (n, table) in stored.iter_mut().zip([
        "ct_z_resolved_values",
        "radiopharmaceutical_administrations",
        "radiopharmaceutical_organ_doses",
        "patient_glomerular_filtration_rates",
    ]) {
        let count: i64 =
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
        *n = usize::try_from(count)?;
    }
    assert!(expected.iter().all(|n| *n > 0), "{expected:?}");
    assert_eq!(
        stored, expected,
        "z values, administrations, organ doses, rates"
    );
    Ok(())
}
