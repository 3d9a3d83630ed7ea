//! The store is a function of the set of files imported: shuffled orders, file-by-file
//! transactions and runs split in two give the canonical dump of one all-at-once import.

use std::path::{Path, PathBuf};

use rdsr_store::testing::Backend;
use rdsr_store::{ImportOptions, Input, walk};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata")
}

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/files");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "corpus not found at {}: testing testdata/ only",
            dir.display()
        );
        None
    }
}

fn files(roots: Vec<PathBuf>) -> Vec<PathBuf> {
    walk(roots)
        .filter_map(|i| match i {
            Input::File(p) => Some(p),
            Input::Unlistable(..) => None,
        })
        .collect()
}

/// A deterministic shuffle (xorshift), so a failure is reproducible from its seed.
fn shuffled(mut v: Vec<PathBuf>, seed: u64) -> Vec<PathBuf> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for i in (1..v.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let j = usize::try_from(x % (i as u64 + 1)).unwrap_or(0);
        v.swap(i, j);
    }
    v
}

fn import(
    backend: &Backend,
    db: &str,
    files: &[PathBuf],
    options: &ImportOptions,
) -> Result<String, Box<dyn std::error::Error>> {
    Ok(backend.import_files(db, files, options)?.canonical_dump()?)
}

fn assert_same(a: &str, b: &str, what: &str) {
    if a != b {
        for (x, y) in a.lines().zip(b.lines()) {
            assert_eq!(x, y, "{what}: first differing line");
        }
        assert_eq!(a.len(), b.len(), "{what}: one dump is longer");
    }
}

fn check_order_independence(backend: &Backend, roots: Vec<PathBuf>) -> TestResult {
    let all = files(roots);
    assert!(!all.is_empty());
    let clean_db = backend.new_target("clean")?;
    let clean = import(backend, &clean_db, &all, &ImportOptions::default().jobs(2))?;
    assert!(clean.contains("## studies"));
    let mut one_by_one = ImportOptions::default().jobs(1);
    one_by_one.batch_files = 1;
    for seed in [1u64, 2, 3] {
        let order = shuffled(all.clone(), seed);
        let db = backend.new_target(&format!("shuffled-{seed}"))?;
        let dump = import(backend, &db, &order, &one_by_one)?;
        assert_same(&dump, &clean, &format!("file by file, seed {seed}"));
        // Split across two runs (the second half in a later run of the same store).
        let db = backend.new_target(&format!("split-{seed}"))?;
        let half = order.len() / 2;
        import(
            backend,
            &db,
            order.get(..half).unwrap_or_default(),
            &ImportOptions::default().jobs(2),
        )?;
        let dump = import(
            backend,
            &db,
            order.get(half..).unwrap_or_default(),
            &ImportOptions::default().jobs(2),
        )?;
        assert_same(&dump, &clean, &format!("split runs, seed {seed}"));
    }
    // A re-run over everything changes nothing.
    let again = import(backend, &clean_db, &all, &ImportOptions::default().jobs(2))?;
    assert_same(&again, &clean, "re-run");
    Ok(())
}

fn testdata_import_is_order_independent(backend: &Backend) -> TestResult {
    check_order_independence(backend, vec![testdata()])
}

fn corpus_import_is_order_independent(backend: &Backend) -> TestResult {
    let Some(corpus) = corpus() else {
        eprintln!("skipped: no corpus");
        return Ok(());
    };
    check_order_independence(backend, vec![corpus, testdata()])
}

/// Continued and cumulative reports of one study arriving in separate runs give the study
/// an all-at-once import gives, with every report kept and its role recorded.
fn study_assembled_against_the_store_across_runs(backend: &Backend) -> TestResult {
    let dir = tempfile::tempdir()?;
    let sources = rdsr_store::archive::dose_reports(&[testdata()]);
    let archive = dir.path().join("archive");
    rdsr_store::archive::generate(&sources, &archive, sources.len() * 2)?;
    let all = files(vec![archive]);
    let clean = import(
        backend,
        &backend.new_target("a")?,
        &all,
        &ImportOptions::default(),
    )?;
    let db = backend.new_target("b")?;
    for f in shuffled(all.clone(), 7) {
        import(
            backend,
            &db,
            std::slice::from_ref(&f),
            &ImportOptions::default().jobs(1),
        )?;
    }
    let store = backend.open(&db)?;
    assert_same(&store.canonical_dump()?, &clean, "one run per file");
    let reports = backend.scalar(&db, "SELECT count(*) FROM reports")?;
    let distinct = backend.scalar(
        &db,
        "SELECT count(*) FROM (SELECT DISTINCT sop_instance_uid, sha256 FROM import_log \
         WHERE sop_instance_uid IS NOT NULL) AS d",
    )?;
    assert!(usize::try_from(reports)? + 2 >= all.len());
    // Two files that share a SOP Instance UID with other content are two reports.
    assert_eq!(reports, distinct, "every distinct report is stored once");
    let unroled = backend.scalar(&db, "SELECT count(*) FROM reports WHERE role IS NULL")?;
    assert_eq!(unroled, 0, "every report has a role");
    Ok(())
}

/// Two reports that share a SOP Instance UID but differ in content (here: the same report
/// written into two studies) are both kept, in either order and across runs: neither
/// replaces the other.
fn same_sop_instance_uid_with_other_content_keeps_both_reports(backend: &Backend) -> TestResult {
    let Some(corpus) = corpus() else {
        return Ok(());
    };
    let dir = corpus.join("openrem-0.10.0");
    let a = dir.join("RF-RDSR-Siemens-Zee.dcm");
    let b = dir.join("RF-RDSR-Siemens-Zee_adjusted.dcm");
    let mut dumps = Vec::new();
    for (n, order) in [[&a, &b], [&b, &a]].iter().enumerate() {
        let db = backend.new_target(&format!("order-{n}"))?;
        for f in order {
            import(backend, &db, &[(*f).clone()], &ImportOptions::default())?;
        }
        let store = backend.open(&db)?;
        let reports = backend.scalar(&db, "SELECT count(*) FROM reports")?;
        let studies = backend.scalar(&db, "SELECT count(*) FROM studies")?;
        assert_eq!((reports, studies), (2, 2), "both reports, both studies");
        dumps.push(store.canonical_dump()?);
    }
    assert_same(&dumps[0], &dumps[1], "either order");
    Ok(())
}

// Each test body above, once per backend: `sqlite::NAME` and `postgres::NAME`.
rdsr_store::conformance!(
    testdata_import_is_order_independent,
    corpus_import_is_order_independent,
    study_assembled_against_the_store_across_runs,
    same_sop_instance_uid_with_other_content_keeps_both_reports,
);

/// The same files give the same canonical dump, table by table, in SQLite and PostgreSQL.
#[test]
fn postgres_registry_equals_the_sqlite_store() -> TestResult {
    let Some(pg) = Backend::postgres()? else {
        return Ok(());
    };
    let dir = tempfile::tempdir()?;
    let sqlite = Backend::sqlite(dir.path());
    let mut roots = vec![testdata()];
    roots.extend(corpus());
    let all = files(roots);
    let options = ImportOptions::default().jobs(2);
    let a = import(&sqlite, &sqlite.new_target("s")?, &all, &options)?;
    let b = import(&pg, &pg.new_target("p")?, &all, &options)?;
    assert!(a.lines().count() > 100);
    assert_same(&b, &a, "postgres against sqlite");
    Ok(())
}
