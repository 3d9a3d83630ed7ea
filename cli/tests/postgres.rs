//! Many `rdsr import` processes into one PostgreSQL registry: four importers over
//! overlapping halves of a generated archive, one killed with SIGKILL mid-run and started
//! again, give the registry a single SQLite import of the same files gives.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use rdsr_store::testing::Backend;
use rdsr_store::{Input, walk};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Reports in the generated archive.
const REPORTS: usize = 1500;

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/files");
    dir.is_dir().then_some(dir)
}

/// Starts `rdsr import -` on `db` with `files` written to its stdin, one a line.
fn importer(files: &[PathBuf], db: &str) -> Result<Child, Box<dyn std::error::Error>> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rdsr"))
        .args(["import", "-", "--jobs", "2", "--db", db])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut list = String::new();
    for f in files {
        list.push_str(&f.to_string_lossy());
        list.push('\n');
    }
    if let Some(mut stdin) = child.stdin.take() {
        // Written from a thread: the list is larger than a pipe's buffer.
        std::thread::spawn(move || {
            let _ = stdin.write_all(list.as_bytes());
        });
    }
    Ok(child)
}

fn finished(child: Child, what: &str) -> TestResult {
    let out = child.wait_with_output()?;
    assert!(
        out.status.success(),
        "{what}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

fn assert_same(a: &str, b: &str, what: &str) {
    for (x, y) in a.lines().zip(b.lines()) {
        assert_eq!(x, y, "{what}: first differing line");
    }
    assert_eq!(a.len(), b.len(), "{what}: one dump is longer");
}

#[test]
fn four_importers_one_killed_give_the_single_sqlite_import() -> TestResult {
    let Some(pg) = Backend::postgres()? else {
        return Ok(());
    };
    let tmp = tempfile::tempdir()?;
    let mut sources = vec![common::testdata()];
    sources.extend(corpus());
    let reports = rdsr_store::archive::dose_reports(&sources);
    let archive = tmp.path().join("archive");
    rdsr_store::archive::generate(&reports, &archive, REPORTS)?;
    // Junk beside the reports: logged the same way by every backend.
    std::fs::write(archive.join("notes.txt"), "not a DICOM file\n")?;
    let all: Vec<PathBuf> = walk([archive.clone()])
        .filter_map(|i| match i {
            Input::File(p) => Some(p),
            Input::Unlistable(..) => None,
        })
        .collect();
    assert!(all.len() > REPORTS);
    // Two overlapping halves (the middle fifth in both), each read by two importers, one
    // of them in reverse order.
    let n = all.len();
    let first: Vec<PathBuf> = all.get(..n * 3 / 5).unwrap_or_default().to_vec();
    let second: Vec<PathBuf> = all.get(n * 2 / 5..).unwrap_or_default().to_vec();
    let reversed = |v: &[PathBuf]| v.iter().rev().cloned().collect::<Vec<_>>();

    let db = pg.new_target("registry")?;
    let killed = importer(&first, &db)?;
    let others = [
        importer(&reversed(&first), &db)?,
        importer(&second, &db)?,
        importer(&reversed(&second), &db)?,
    ];
    std::thread::sleep(Duration::from_millis(1500));
    let mut killed = killed;
    assert!(
        killed.try_wait()?.is_none(),
        "the importer is killed mid-run"
    );
    // SIGKILL.
    killed.kill()?;
    killed.wait()?;
    let restarted = importer(&first, &db)?;
    for (k, child) in others.into_iter().enumerate() {
        finished(child, &format!("importer {k}"))?;
    }
    finished(restarted, "restarted importer")?;
    let registry = pg.open(&db)?.canonical_dump()?;

    let sqlite = Backend::sqlite(tmp.path());
    let single = sqlite.new_target("single")?;
    let out = Command::new(env!("CARGO_BIN_EXE_rdsr"))
        .arg("import")
        .arg(&archive)
        .args(["--jobs", "2", "--db", &single])
        .output()?;
    assert!(out.status.success());
    let reference = sqlite.open(&single)?.canonical_dump()?;
    assert!(reference.lines().count() > REPORTS);
    assert_same(
        &registry,
        &reference,
        "four importers against one SQLite import",
    );
    // Every file was handled once in the end: one log row per path, one report per content.
    let logged = pg.scalar(&db, "SELECT count(*) FROM import_log")?;
    assert_eq!(usize::try_from(logged)?, n);
    let claims = pg.scalar(&db, "SELECT count(*) FROM file_claims")?;
    assert_eq!(claims, 0, "every claim released by its commit");

    // `rdsr studies` reads the registry like a SQLite store.
    let out = common::rdsr(&["studies", "--db", &db, "--json"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let studies = pg.scalar(&db, "SELECT count(*) FROM studies")?;
    assert_eq!(
        common::json_lines(&out).len(),
        usize::try_from(studies)?,
        "one line per study"
    );
    Ok(())
}
