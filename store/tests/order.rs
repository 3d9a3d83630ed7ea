//! The store is a function of the set of files imported: shuffled orders, file-by-file
//! transactions and runs split in two give the canonical dump of one all-at-once import.

use std::path::{Path, PathBuf};

use rdsr_store::{ImportOptions, Input, SqliteStore, Store, import_inputs, walk};

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
    db: &Path,
    files: &[PathBuf],
    options: &ImportOptions,
) -> Result<String, Box<dyn std::error::Error>> {
    let mut store = SqliteStore::open(db)?;
    import_inputs(
        &mut store,
        files
            .iter()
            .cloned()
            .map(Input::File)
            .collect::<Vec<_>>()
            .into_iter(),
        options,
        |_, _| {},
    )?;
    Ok(store.canonical_dump()?)
}

fn assert_same(a: &str, b: &str, what: &str) {
    if a != b {
        for (x, y) in a.lines().zip(b.lines()) {
            assert_eq!(x, y, "{what}: first differing line");
        }
        assert_eq!(a.len(), b.len(), "{what}: one dump is longer");
    }
}

fn check_order_independence(roots: Vec<PathBuf>) -> TestResult {
    let all = files(roots);
    assert!(!all.is_empty());
    let dir = tempfile::tempdir()?;
    let clean = import(
        &dir.path().join("clean.sqlite"),
        &all,
        &ImportOptions::default().jobs(2),
    )?;
    assert!(clean.contains("## studies"));
    let mut one_by_one = ImportOptions::default().jobs(1);
    one_by_one.batch_files = 1;
    for seed in [1u64, 2, 3] {
        let order = shuffled(all.clone(), seed);
        let db = dir.path().join(format!("shuffled-{seed}.sqlite"));
        let dump = import(&db, &order, &one_by_one)?;
        assert_same(&dump, &clean, &format!("file by file, seed {seed}"));
        // Split across two runs (the second half in a later run of the same store).
        let db = dir.path().join(format!("split-{seed}.sqlite"));
        let half = order.len() / 2;
        import(
            &db,
            order.get(..half).unwrap_or_default(),
            &ImportOptions::default().jobs(2),
        )?;
        let dump = import(
            &db,
            order.get(half..).unwrap_or_default(),
            &ImportOptions::default().jobs(2),
        )?;
        assert_same(&dump, &clean, &format!("split runs, seed {seed}"));
    }
    // A re-run over everything changes nothing.
    let db = dir.path().join("clean.sqlite");
    let again = import(&db, &all, &ImportOptions::default().jobs(2))?;
    assert_same(&again, &clean, "re-run");
    Ok(())
}

#[test]
fn testdata_import_is_order_independent() -> TestResult {
    check_order_independence(vec![testdata()])
}

#[test]
fn corpus_import_is_order_independent() -> TestResult {
    let Some(corpus) = corpus() else {
        eprintln!("skipped: no corpus");
        return Ok(());
    };
    check_order_independence(vec![corpus, testdata()])
}

/// Continued and cumulative reports of one study arriving in separate runs give the study
/// an all-at-once import gives, with every report kept and its role recorded.
#[test]
fn study_assembled_against_the_store_across_runs() -> TestResult {
    let dir = tempfile::tempdir()?;
    let sources = rdsr_store::archive::dose_reports(&[testdata()]);
    let archive = dir.path().join("archive");
    rdsr_store::archive::generate(&sources, &archive, sources.len() * 2)?;
    let all = files(vec![archive]);
    let clean = import(
        &dir.path().join("a.sqlite"),
        &all,
        &ImportOptions::default(),
    )?;
    let db = dir.path().join("b.sqlite");
    for f in shuffled(all.clone(), 7) {
        import(
            &db,
            std::slice::from_ref(&f),
            &ImportOptions::default().jobs(1),
        )?;
    }
    let store = SqliteStore::open(&db)?;
    assert_same(&store.canonical_dump()?, &clean, "one run per file");
    let reports: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM reports", [], |r| r.get(0))?;
    let distinct: i64 = store.connection().query_row(
        "SELECT count(*) FROM (SELECT DISTINCT sop_instance_uid, sha256 FROM import_log \
         WHERE sop_instance_uid IS NOT NULL)",
        [],
        |r| r.get(0),
    )?;
    assert!(usize::try_from(reports)? + 2 >= all.len());
    // Two files that share a SOP Instance UID with other content are two reports.
    assert_eq!(reports, distinct, "every distinct report is stored once");
    let unroled: i64 = store.connection().query_row(
        "SELECT count(*) FROM reports WHERE role IS NULL",
        [],
        |r| r.get(0),
    )?;
    assert_eq!(unroled, 0, "every report has a role");
    Ok(())
}

/// Two reports that share a SOP Instance UID but differ in content (here: the same report
/// written into two studies) are both kept, in either order and across runs: neither
/// replaces the other.
#[test]
fn same_sop_instance_uid_with_other_content_keeps_both_reports() -> TestResult {
    let Some(corpus) = corpus() else {
        return Ok(());
    };
    let dir = corpus.join("openrem-0.10.0");
    let a = dir.join("RF-RDSR-Siemens-Zee.dcm");
    let b = dir.join("RF-RDSR-Siemens-Zee_adjusted.dcm");
    let tmp = tempfile::tempdir()?;
    let mut dumps = Vec::new();
    for (n, order) in [[&a, &b], [&b, &a]].iter().enumerate() {
        let db = tmp.path().join(format!("{n}.sqlite"));
        for f in order {
            import(&db, &[(*f).clone()], &ImportOptions::default())?;
        }
        let store = SqliteStore::open(&db)?;
        let (reports, studies): (i64, i64) = store.connection().query_row(
            "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM studies)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        assert_eq!((reports, studies), (2, 2), "both reports, both studies");
        dumps.push(store.canonical_dump()?);
    }
    assert_same(&dumps[0], &dumps[1], "either order");
    Ok(())
}
