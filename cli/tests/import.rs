//! `rdsr import` end to end: a generated archive with junk, killed with SIGKILL at several
//! points and re-run, equals a clean single run; every junk file is logged with its reason.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use rdsr_store::testing::Backend;
use rdsr_store::{SqliteStore, Store};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/files");
    dir.is_dir().then_some(dir)
}

/// A generated archive of `n` reports plus junk: a non-dose DICOM object, truncated
/// reports, a text file, a dangling link and a folder that cannot be listed.
fn archive(root: &Path, n: usize) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let mut sources = vec![common::testdata()];
    match corpus() {
        Some(c) => sources.push(c),
        None => eprintln!("corpus not found: generating from testdata/ only"),
    }
    let reports = rdsr_store::archive::dose_reports(&sources);
    let dir = root.join("archive");
    rdsr_store::archive::generate(&reports, &dir.join("reports"), n)?;
    let junk = dir.join("junk");
    fs::create_dir_all(&junk)?;
    fs::copy(
        common::testdata().join("non_dose_sr.dcm"),
        junk.join("image-like.dcm"),
    )?;
    fs::write(junk.join("notes.txt"), "not a DICOM file\n")?;
    let report = fs::read(common::testdata().join("ct_minimal.dcm"))?;
    for (i, cut) in [132usize, 600, report.len() / 2].into_iter().enumerate() {
        fs::write(
            junk.join(format!("truncated-{i}.dcm")),
            report.get(..cut).unwrap_or_default(),
        )?;
    }
    std::os::unix::fs::symlink(junk.join("gone.dcm"), junk.join("dangling.dcm"))?;
    let locked = junk.join("locked");
    fs::create_dir_all(&locked)?;
    fs::write(locked.join("inside.dcm"), &report)?;
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000))?;
    Ok(dir)
}

fn import(archive: &Path, db: &str) -> Result<std::process::Output, std::io::Error> {
    Command::new(env!("CARGO_BIN_EXE_rdsr"))
        .arg("import")
        .arg(archive)
        .arg("--db")
        .arg(db)
        .args(["--jobs", "2"])
        .output()
}

fn dump(backend: &Backend, db: &str) -> Result<String, Box<dyn std::error::Error>> {
    Ok(backend.open(db)?.canonical_dump()?)
}

fn assert_same(a: &str, b: &str, what: &str) {
    for (x, y) in a.lines().zip(b.lines()) {
        assert_eq!(x, y, "{what}: first differing line");
    }
    assert_eq!(a.len(), b.len(), "{what}: one dump is longer");
}

/// The clean store is a single SQLite run; the killed and resumed store is of `backend`.
fn killed_import_resumes_to_the_clean_store(backend: &Backend) -> TestResult {
    let tmp = tempfile::tempdir()?;
    let archive = archive(tmp.path(), 600)?;
    let sqlite = Backend::sqlite(tmp.path());
    let clean_db = sqlite.new_target("clean")?;
    let out = import(&archive, &clean_db)?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("files seen"), "{stdout}");
    let clean = dump(&sqlite, &clean_db)?;

    let db = backend.new_target("killed")?;
    for delay_ms in [50u64, 300, 700, 1500] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rdsr"))
            .arg("import")
            .arg(&archive)
            .arg("--db")
            .arg(&db)
            .args(["--jobs", "2"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        std::thread::sleep(Duration::from_millis(delay_ms));
        // SIGKILL (a no-op error if the run already finished).
        let _ = child.kill();
        child.wait()?;
        // Whatever was committed is a consistent store.
        backend.open(&db)?;
        let orphans = backend.scalar(
            &db,
            "SELECT count(*) FROM reports r WHERE NOT EXISTS
               (SELECT 1 FROM studies s WHERE s.study_key = r.study_key)",
        )?;
        assert_eq!(
            orphans, 0,
            "every stored report has its study (killed at {delay_ms} ms)"
        );
    }
    let out = import(&archive, &db)?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_same(&dump(backend, &db)?, &clean, "killed and resumed");

    // A re-run reads nothing: every file is already imported.
    let out = import(&archive, &db)?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("imported                  0"), "{stdout}");
    assert_same(&dump(backend, &db)?, &clean, "re-run");

    // Every junk file is logged with its reason.
    let store = SqliteStore::open(&clean_db)?;
    let reason = |name: &str| -> Result<(String, Option<String>), Box<dyn std::error::Error>> {
        Ok(store.connection().query_row(
            "SELECT outcome, error_kind FROM import_log WHERE file_path LIKE ?1",
            [format!("%/junk/{name}")],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    };
    assert_eq!(
        reason("image-like.dcm")?,
        ("not_dose_report".into(), Some("not_dose_report".into()))
    );
    assert_eq!(
        reason("notes.txt")?,
        ("not_dicom".into(), Some("not_dicom".into()))
    );
    for i in 0..3 {
        let (outcome, kind) = reason(&format!("truncated-{i}.dcm"))?;
        // Cut in the header it is no dose report; cut in the content tree, a failed one.
        assert!(
            ["failed", "not_dose_report"].contains(&outcome.as_str()),
            "truncated-{i}.dcm: {outcome}"
        );
        assert!(kind.is_some(), "truncated-{i}.dcm has an error kind");
    }
    assert_eq!(
        reason("dangling.dcm")?,
        ("failed".into(), Some("io".into()))
    );
    if fs::read_dir(archive.join("junk/locked")).is_err() {
        assert_eq!(reason("locked")?, ("unreadable".into(), Some("io".into())));
    } else {
        // Running as root: permissions do not stop listing; the file inside is imported.
        eprintln!("junk/locked is listable by this user: the unlistable-folder check is skipped");
    }
    fs::set_permissions(
        archive.join("junk/locked"),
        fs::Permissions::from_mode(0o755),
    )?;
    Ok(())
}

mod sqlite {
    #[test]
    fn killed_import_resumes_to_the_clean_store() -> super::TestResult {
        let dir = tempfile::tempdir()?;
        super::killed_import_resumes_to_the_clean_store(&super::Backend::sqlite(dir.path()))
    }
}

mod postgres {
    #[test]
    fn killed_import_resumes_to_the_clean_store() -> super::TestResult {
        match super::Backend::postgres()? {
            Some(backend) => super::killed_import_resumes_to_the_clean_store(&backend),
            None => Ok(()),
        }
    }
}

#[test]
fn import_testdata_exits_0_and_lists_the_rejected_fixtures() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let db = tmp.path().join("t.sqlite");
    let out = common::rdsr_in(
        tmp.path(),
        &[
            "import",
            &common::testdata().to_string_lossy(),
            "--db",
            &db.to_string_lossy(),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    for name in common::EXPECTED_FAILURES {
        assert!(
            stdout.contains(name),
            "{name} listed as rejected:\n{stdout}"
        );
    }
    assert!(stdout.contains("not a dose report         1"), "{stdout}");
    let studies = common::rdsr_in(
        tmp.path(),
        &["studies", "--db", &db.to_string_lossy(), "--json"],
    );
    assert!(studies.status.success());
    let lines = String::from_utf8_lossy(&studies.stdout);
    let first: serde_json::Value = serde_json::from_str(lines.lines().next().unwrap_or("{}"))?;
    assert!(first.get("study_key").is_some());
    assert!(first.get("number_of_events").is_some());
    Ok(())
}

#[test]
fn import_reads_a_file_list_from_stdin() -> TestResult {
    use std::io::Write;
    let tmp = tempfile::tempdir()?;
    let db = tmp.path().join("t.sqlite");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rdsr"))
        .args(["import", "-", "--db"])
        .arg(&db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        writeln!(
            stdin,
            "{}",
            common::testdata().join("ct_minimal.dcm").display()
        )?;
        writeln!(
            stdin,
            "{}",
            common::testdata().join("projection_minimal.dcm").display()
        )?;
    }
    let out = child.wait_with_output()?;
    assert!(out.status.success());
    let studies = SqliteStore::open(&db)?.studies()?;
    assert_eq!(studies.len(), 2);
    Ok(())
}

#[test]
fn unwritable_store_is_a_failed_run() {
    let out = common::rdsr(&["import", ".", "--db", "/nonexistent-dir/x.sqlite"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn database_url_variable_names_the_default_store() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let db = tmp.path().join("from-env.sqlite");
    let out = Command::new(env!("CARGO_BIN_EXE_rdsr"))
        .arg("import")
        .arg(common::testdata().join("ct_minimal.dcm"))
        .env("RDSR_DATABASE_URL", &db)
        .current_dir(tmp.path())
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(SqliteStore::open(&db)?.studies()?.len(), 1);
    assert!(!tmp.path().join("rdsr.sqlite").exists());
    Ok(())
}

/// `rdsr studies --db` shows the radiopharmaceutical summary of a study with administrations:
/// the JSON columns and the human line's administrations, activity and effective dose.
#[test]
fn studies_db_shows_radiopharmaceutical_summary() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let db = tmp.path().join("t.sqlite");
    let file = common::testdata().join("rrdsr_full.dcm");
    let out = common::rdsr_in(
        tmp.path(),
        &[
            "import",
            &file.to_string_lossy(),
            "--db",
            &db.to_string_lossy(),
        ],
    );
    assert!(out.status.success(), "{}", common::stdout(&out));
    let report = rdsr::parse_file(&file)?;
    let rp = report.radiopharmaceutical().ok_or("an RRDSR")?;
    let activity: f64 = rp
        .administrations
        .iter()
        .filter_map(|a| a.administered_activity_mbq)
        .sum();
    let json = common::rdsr_in(
        tmp.path(),
        &["studies", "--db", &db.to_string_lossy(), "--json"],
    );
    assert!(json.status.success());
    let studies = common::json_lines(&json);
    assert_eq!(studies.len(), 1);
    let study = &studies[0];
    assert_eq!(
        study["number_of_administrations"],
        serde_json::json!(rp.administrations.len())
    );
    let stored = study["total_administered_activity_mbq"]
        .as_f64()
        .ok_or("an activity total")?;
    assert!((stored - activity).abs() <= 1e-9 * activity.max(1.0));
    assert!(
        study
            .get("total_radiopharmaceutical_effective_dose_msv")
            .is_some()
    );
    let human = common::rdsr_in(tmp.path(), &["studies", "--db", &db.to_string_lossy()]);
    assert!(human.status.success());
    let line = common::stdout(&human);
    assert!(
        line.contains(&format!(
            "administrations {}  activity {activity} MBq",
            rp.administrations.len()
        )),
        "{line}"
    );
    Ok(())
}
