//! `rdsr serve` driven by DCMTK's `storescu` and `echoscu` on loopback. Without DCMTK each
//! test prints one line saying it did not run; with `RDSR_REQUIRE_DCMTK=1` (CI) that is a
//! failure.

#[path = "../../serve/tests/support/certs.rs"]
mod certs;
mod common;

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdsr_store::{SqliteStore, Store};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Whether DCMTK is installed; otherwise says so (or fails under `RDSR_REQUIRE_DCMTK=1`).
fn dcmtk(test: &str) -> bool {
    let found = Command::new("storescu")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        if std::env::var("RDSR_REQUIRE_DCMTK").as_deref() == Ok("1") {
            panic!("{test}: DCMTK's storescu not found and RDSR_REQUIRE_DCMTK=1");
        }
        eprintln!("{test}: did not run: DCMTK's storescu not found (apt-get install dcmtk)");
    }
    found
}

fn corpus_manifest() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    dir.join("MANIFEST.tsv").is_file().then_some(dir)
}

/// Corpus files of one kind (`rdsr`, `image`...) from its manifest.
fn corpus(kind: &str) -> Vec<PathBuf> {
    let Some(dir) = corpus_manifest() else {
        return Vec::new();
    };
    let manifest = fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap_or_default();
    manifest
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols.get(14) == Some(&kind)).then(|| dir.join(cols[0]))
        })
        .collect()
}

/// Every testdata file and every corpus dose report.
fn dose_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(common::testdata())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "dcm"))
        .collect();
    files.sort();
    let corpus = corpus("rdsr");
    if corpus.is_empty() {
        eprintln!("corpus not found: testdata/ files only");
    }
    files.extend(corpus);
    files
}

/// A running `rdsr serve`.
struct Server {
    child: Child,
    port: u16,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(db: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rdsr"))
            .args(["serve", "--port", "0", "--idle-timeout", "20", "--db"])
            .arg(db)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run rdsr serve");
        let stderr = child.stderr.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        let sink = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
                    if v["event"] == "listening" {
                        let port = v["address"]
                            .as_str()
                            .and_then(|a| a.rsplit(':').next())
                            .and_then(|p| p.parse::<u16>().ok());
                        let _ = tx.send(port);
                    }
                }
                sink.lock().unwrap().push(line);
            }
        });
        let port = rx
            .recv_timeout(Duration::from_secs(60))
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no listening line: {:?}", lines.lock().unwrap()));
        Server { child, port, lines }
    }

    /// SIGTERM, then waits: the lines it logged.
    fn stop(mut self) -> Vec<String> {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = self.child.wait().unwrap();
        assert!(exit.success(), "rdsr serve exited with {exit}");
        std::thread::sleep(Duration::from_millis(100));
        self.lines.lock().unwrap().clone()
    }
}

/// storescu proposing exactly the SOP classes and transfer syntaxes of the files (`-R`): its
/// default list has no Radiopharmaceutical Radiation Dose SR, so without it those files are
/// never sent.
fn storescu(port: u16, calling: &str, files: &[PathBuf], extra: &[&str]) -> Output {
    Command::new("storescu")
        .args(["-v", "-nh", "-R", "-aet", calling, "-aec", "RDSR"])
        .args(extra)
        .arg("127.0.0.1")
        .arg(port.to_string())
        .args(files)
        .output()
        .expect("run storescu")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The files storescu logged as stored: each `Sending file:` followed by a success
/// response.
fn stored_by_storescu(log: &str) -> Vec<PathBuf> {
    let mut stored = Vec::new();
    let mut current: Option<PathBuf> = None;
    for line in log.lines() {
        if let Some(p) = line.split("Sending file: ").nth(1) {
            current = Some(PathBuf::from(p.trim()));
        } else if line.contains("Received Store Response (Success)") {
            if let Some(p) = current.take() {
                stored.push(p);
            }
        }
    }
    stored
}

/// What a store holds, without file paths or hashes (which differ between received and
/// imported copies): every report's identity and role, and the studies.
fn content(db: &Path) -> (BTreeSet<String>, String) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut st = conn
        .prepare(
            "SELECT sop_instance_uid, study_key, sop_class_uid, number_of_events, \
             coalesce(template, ''), coalesce(role, '') FROM reports",
        )
        .unwrap();
    let reports = st
        .query_map([], |r| {
            Ok(format!(
                "{}|{}|{}|{}|{}|{}",
                r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let store = SqliteStore::open(db).unwrap();
    let studies = format!("{:#?}", store.studies().unwrap());
    (reports, studies)
}

fn import(db: &Path, files: &[PathBuf]) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rdsr"));
    cmd.arg("import").arg("--db").arg(db).args(files);
    let out = cmd.output().unwrap();
    assert!(out.status.code().is_some(), "{}", text(&out));
}

#[test]
fn storescu_one_association_store_equals_rdsr_import() -> TestResult {
    if !dcmtk("storescu_one_association_store_equals_rdsr_import") {
        return Ok(());
    }
    let dir = tempfile::tempdir()?;
    let files = dose_files();
    let db = dir.path().join("served.sqlite");
    let server = Server::start(&db, &[]);
    let out = storescu(server.port, "MODALITY", &files, &[]);
    let log = text(&out);
    let lines = server.stop();
    let stored = stored_by_storescu(&log);
    let readable: Vec<&PathBuf> = files
        .iter()
        .filter(|f| rdsr::parse_file(f.as_path()).is_ok())
        .collect();
    assert_eq!(stored.len(), readable.len(), "{log}");
    let associations = lines
        .iter()
        .filter(|l| l.contains("\"event\":\"association\""))
        .count();
    assert_eq!(associations, 1, "{lines:#?}");
    let objects = lines
        .iter()
        .filter(|l| l.contains("\"event\":\"object\""))
        .count();
    assert!(objects >= stored.len());
    let imported = dir.path().join("imported.sqlite");
    import(&imported, &files);
    let (served_reports, served_studies) = content(&db);
    let (imported_reports, imported_studies) = content(&imported);
    assert!(!served_reports.is_empty());
    assert_eq!(served_reports, imported_reports);
    assert_eq!(served_studies, imported_studies);
    Ok(())
}

#[test]
fn storescu_parallel_associations_store_equals_rdsr_import() -> TestResult {
    if !dcmtk("storescu_parallel_associations_store_equals_rdsr_import") {
        return Ok(());
    }
    let dir = tempfile::tempdir()?;
    let files = dose_files();
    let db = dir.path().join("served.sqlite");
    let server = Server::start(&db, &[]);
    // Three senders at once: the files split in two halves, and all of them again.
    let half = files.len() / 2;
    let parts = [
        files[..half].to_vec(),
        files[half..].to_vec(),
        files.clone(),
    ];
    let port = server.port;
    let outputs: Vec<Output> = std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .iter()
            .enumerate()
            .map(|(i, p)| s.spawn(move || storescu(port, &format!("MODALITY{i}"), p, &[])))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let lines = server.stop();
    let readable = files
        .iter()
        .filter(|f| rdsr::parse_file(f.as_path()).is_ok())
        .count();
    let stored: usize = outputs
        .iter()
        .map(|o| stored_by_storescu(&text(o)).len())
        .sum();
    assert_eq!(stored, 2 * readable);
    let associations = lines
        .iter()
        .filter(|l| l.contains("\"event\":\"association\""))
        .count();
    assert_eq!(associations, 3);
    let imported = dir.path().join("imported.sqlite");
    import(&imported, &files);
    assert_eq!(content(&db), content(&imported));
    Ok(())
}

#[test]
fn echoscu_is_answered_and_an_unknown_calling_ae_is_refused() -> TestResult {
    if !dcmtk("echoscu_is_answered_and_an_unknown_calling_ae_is_refused") {
        return Ok(());
    }
    let dir = tempfile::tempdir()?;
    let server = Server::start(
        &dir.path().join("s.sqlite"),
        &["--allow-ae", "MODALITY@127.0.0.1"],
    );
    let port = server.port.to_string();
    let echo = |calling: &str| {
        Command::new("echoscu")
            .args(["-aet", calling, "-aec", "RDSR", "127.0.0.1", &port])
            .output()
            .unwrap()
    };
    let ok = echo("MODALITY");
    assert!(ok.status.success(), "{}", text(&ok));
    let refused = echo("STRANGER");
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("Association Rejected"),
        "{}",
        text(&refused)
    );
    let lines = server.stop();
    assert!(
        lines.iter().any(|l| l.contains("\"end\":\"rejected\"")),
        "{lines:#?}"
    );
    Ok(())
}

#[test]
fn storescu_image_is_rejected_at_negotiation() -> TestResult {
    if !dcmtk("storescu_image_is_rejected_at_negotiation") {
        return Ok(());
    }
    let images = corpus("image");
    let Some(image) = images.first() else {
        eprintln!("storescu_image_is_rejected_at_negotiation: did not run: corpus not found");
        return Ok(());
    };
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("s.sqlite");
    let server = Server::start(&db, &[]);
    let report = common::testdata().join("ct_minimal.dcm");
    let out = storescu(
        server.port,
        "MODALITY",
        &[image.clone(), report.clone()],
        &[],
    );
    server.stop();
    let log = text(&out);
    assert_eq!(stored_by_storescu(&log), [report], "{log}");
    assert!(log.contains("No presentation context"), "{log}");
    Ok(())
}

/// A storescu sending a generated archive of 400 reports to the receiver on `port`,
/// logging to `storescu.log` in `dir`, once it has logged 40 objects as stored; with the
/// files it was given.
struct Sending {
    sender: std::process::Child,
    log_path: PathBuf,
    files: Vec<PathBuf>,
}

impl Sending {
    fn start(dir: &Path, port: u16) -> Result<Sending, Box<dyn std::error::Error>> {
        let sources = rdsr_store::archive::dose_reports(&[common::testdata()]);
        let archive = dir.join("archive");
        rdsr_store::archive::generate(&sources, &archive, 400)?;
        let files: Vec<PathBuf> = rdsr_store::walk([archive])
            .filter_map(|i| match i {
                rdsr_store::Input::File(p) => Some(p),
                _ => None,
            })
            .collect();
        let log_path = dir.join("storescu.log");
        let log_file = fs::File::create(&log_path)?;
        let sender = Command::new("storescu")
            .args(["-v", "-nh", "-aet", "MODALITY", "-aec", "RDSR", "127.0.0.1"])
            .arg(port.to_string())
            .args(&files)
            .stdout(Stdio::from(log_file.try_clone()?))
            .stderr(Stdio::from(log_file))
            .spawn()?;
        let sending = Sending {
            sender,
            log_path,
            files,
        };
        let start = Instant::now();
        while sending.stored()?.len() < 40 && start.elapsed() < Duration::from_secs(120) {
            std::thread::sleep(Duration::from_millis(5));
        }
        Ok(sending)
    }

    /// The files storescu has logged as stored so far.
    fn stored(&self) -> std::io::Result<Vec<PathBuf>> {
        Ok(stored_by_storescu(&fs::read_to_string(&self.log_path)?))
    }

    /// Waits for storescu to end; the files it logged as stored, at least 40 and not all.
    fn finish(mut self) -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
        let _ = self.sender.wait()?;
        let stored = self.stored()?;
        assert!(stored.len() >= 40, "{} stored", stored.len());
        assert!(
            stored.len() < self.files.len(),
            "the interruption came after the last object"
        );
        Ok(stored)
    }
}

/// Every file in `acknowledged` is a report of the store `db`.
fn assert_stored(db: &Path, acknowledged: &[PathBuf]) -> TestResult {
    let (reports, _) = content(db);
    let in_store: BTreeSet<String> = reports
        .iter()
        .map(|r| r.split('|').next().unwrap_or_default().to_string())
        .collect();
    for f in acknowledged {
        let sop = rdsr::parse_file(f)?.sop_instance_uid.unwrap_or_default();
        assert!(
            in_store.contains(&sop),
            "{} ({sop}) acknowledged, not stored",
            f.display()
        );
    }
    Ok(())
}

/// See: the kill test. SIGKILL while storescu sends; after a restart every object
/// storescu logged as stored is in the store.
#[test]
fn killed_while_receiving_nothing_acknowledged_is_lost() -> TestResult {
    if !dcmtk("killed_while_receiving_nothing_acknowledged_is_lost") {
        return Ok(());
    }
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("s.sqlite");
    let mut server = Server::start(&db, &[]);
    let sending = Sending::start(dir.path(), server.port)?;
    server.child.kill()?;
    server.child.wait()?;
    let stored = sending.finish()?;
    // Restart: the spool is imported before the receiver listens.
    let server = Server::start(&db, &[]);
    server.stop();
    assert_stored(&db, &stored)
}

/// SIGTERM while storescu sends: the receiver answers the object in flight, refuses the
/// rest, commits, and exits 0 with an empty spool; every acknowledged object is stored.
#[test]
fn sigterm_while_receiving_commits_every_acknowledged_object() -> TestResult {
    if !dcmtk("sigterm_while_receiving_commits_every_acknowledged_object") {
        return Ok(());
    }
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("s.sqlite");
    let server = Server::start(&db, &[]);
    let sending = Sending::start(dir.path(), server.port)?;
    let lines = server.stop();
    let stored = sending.finish()?;
    assert!(
        lines.iter().any(|l| l.contains("\"end\":\"shutdown\"")),
        "{lines:#?}"
    );
    let incoming = fs::read_dir(dir.path().join("s.sqlite.spool/incoming"))?.count();
    assert_eq!(incoming, 0);
    assert_stored(&db, &stored)
}

/// Each transfer syntax the reader reads, as storescu proposes and converts to it.
#[test]
fn storescu_transfer_syntaxes_are_received_and_read() -> TestResult {
    if !dcmtk("storescu_transfer_syntaxes_are_received_and_read") {
        return Ok(());
    }
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("s.sqlite");
    let server = Server::start(&db, &[]);
    let report = common::testdata().join("ct_minimal.dcm");
    let cases = [
        ("-xi", "1.2.840.10008.1.2"),
        ("-xe", "1.2.840.10008.1.2.1"),
        ("-xd", "1.2.840.10008.1.2.1.99"),
        ("-xb", "1.2.840.10008.1.2.2"),
    ];
    // storescu sends a file as it is when it can: the big endian case needs a big endian
    // file (DCMTK's dcmconv writes one).
    let big_endian = dir.path().join("big_endian.dcm");
    let conv = Command::new("dcmconv")
        .arg("+tb")
        .arg(&report)
        .arg(&big_endian)
        .output()?;
    assert!(conv.status.success(), "{}", text(&conv));
    for (flag, _) in cases {
        let file = if flag == "-xb" { &big_endian } else { &report };
        let out = storescu(server.port, "MODALITY", std::slice::from_ref(file), &[flag]);
        assert_eq!(
            stored_by_storescu(&text(&out)).len(),
            1,
            "{flag}: {}",
            text(&out)
        );
    }
    let lines = server.stop();
    let objects: Vec<serde_json::Value> = lines
        .iter()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["event"] == "object")
        .collect();
    let seen: Vec<(&str, u64)> = objects
        .iter()
        .map(|v| {
            (
                v["transfer_syntax"].as_str().unwrap_or_default(),
                v["status"].as_u64().unwrap_or(u64::MAX),
            )
        })
        .collect();
    let expected: Vec<(&str, u64)> = cases.iter().map(|(_, ts)| (*ts, 0)).collect();
    assert_eq!(seen, expected);
    Ok(())
}

/// Whether this DCMTK was built with TLS (`storescu --help` lists `+tls`); otherwise says
/// so and the test does not run.
fn dcmtk_tls(test: &str) -> bool {
    if !dcmtk(test) {
        return false;
    }
    let help = Command::new("storescu").arg("--help").output();
    let tls = help.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("+tls"));
    if !tls {
        eprintln!("{test}: did not run: this DCMTK was built without TLS support");
    }
    tls
}

#[test]
fn storescu_and_echoscu_over_mutual_tls_plain_and_anonymous_clients_refused() -> TestResult {
    if !dcmtk_tls("storescu_and_echoscu_over_mutual_tls_plain_and_anonymous_clients_refused") {
        return Ok(());
    }
    let dir = tempfile::tempdir()?;
    let certs = certs::Certs::write(dir.path());
    let path = |p: &Path| p.display().to_string();
    let server = Server::start(
        &dir.path().join("s.sqlite"),
        &[
            "--tls-cert",
            &path(&certs.server_cert),
            "--tls-key",
            &path(&certs.server_key),
            "--tls-ca",
            &path(&certs.ca),
        ],
    );
    let client_tls = [
        "+tls",
        &path(&certs.client_key),
        &path(&certs.client_cert),
        "+cf",
        &path(&certs.ca),
    ]
    .map(String::from);
    let client_tls: Vec<&str> = client_tls.iter().map(String::as_str).collect();
    let mut files: Vec<PathBuf> = fs::read_dir(common::testdata())?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|p| p.extension().is_some_and(|e| e == "dcm"));
    files.sort();
    let readable = files
        .iter()
        .filter(|f| rdsr::parse_file(f.as_path()).is_ok())
        .count();
    let out = storescu(server.port, "MODALITY", &files, &client_tls);
    let log = text(&out);
    assert_eq!(stored_by_storescu(&log).len(), readable, "{log}");

    let port = server.port.to_string();
    let echo = |extra: &[&str]| {
        Command::new("echoscu")
            .args(["-aet", "MODALITY", "-aec", "RDSR"])
            .args(extra)
            .args(["127.0.0.1", &port])
            .output()
            .unwrap()
    };
    let ok = echo(&client_tls);
    assert!(ok.status.success(), "{}", text(&ok));
    // Plain TCP on the TLS port, then TLS without a client certificate.
    let plain = echo(&[]);
    assert!(!plain.status.success(), "{}", text(&plain));
    let anonymous = echo(&["+tla", "+cf", &path(&certs.ca)]);
    assert!(!anonymous.status.success(), "{}", text(&anonymous));
    // Still serving.
    let again = echo(&client_tls);
    assert!(again.status.success(), "{}", text(&again));

    let lines = server.stop();
    assert!(lines[0].contains("\"tls\":true"), "{lines:#?}");
    let failed = lines
        .iter()
        .filter(|l| l.contains("\"end\":\"tls_failed\""))
        .count();
    assert_eq!(failed, 2, "{lines:#?}");
    let (reports, _) = content(&dir.path().join("s.sqlite"));
    assert!(!reports.is_empty());
    Ok(())
}

#[test]
fn unusable_tls_files_are_usage_errors_naming_the_file() -> TestResult {
    let dir = tempfile::tempdir()?;
    let certs = certs::Certs::write(dir.path());
    let missing = dir.path().join("missing.pem");
    let db = dir.path().join("s.sqlite");
    let serve = |cert: &Path, key: &Path| {
        Command::new(env!("CARGO_BIN_EXE_rdsr"))
            .args(["serve", "--port", "0", "--once", "--db"])
            .arg(&db)
            .arg("--tls-cert")
            .arg(cert)
            .arg("--tls-key")
            .arg(key)
            .output()
            .unwrap()
    };
    let out = serve(&missing, &certs.server_key);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let expected = format!("--tls-cert {}: ", missing.display());
    assert!(text(&out).contains(&expected), "{}", text(&out));

    let out = serve(&certs.server_cert, &certs.client_key);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let expected = format!("--tls-key {}: ", certs.client_key.display());
    assert!(text(&out).contains(&expected), "{}", text(&out));
    // Nothing was started: no store was created.
    assert!(!db.exists());
    Ok(())
}

#[test]
fn echoscu_over_tls_without_a_client_certificate_when_no_ca_is_given() -> TestResult {
    if !dcmtk_tls("echoscu_over_tls_without_a_client_certificate_when_no_ca_is_given") {
        return Ok(());
    }
    let dir = tempfile::tempdir()?;
    let certs = certs::Certs::write(dir.path());
    let server = Server::start(
        &dir.path().join("s.sqlite"),
        &[
            "--tls-cert",
            &certs.server_cert.display().to_string(),
            "--tls-key",
            &certs.server_key.display().to_string(),
        ],
    );
    let ca = certs.ca.display().to_string();
    let out = Command::new("echoscu")
        .args(["-aet", "MODALITY", "-aec", "RDSR", "+tla", "+cf", &ca])
        .args(["127.0.0.1", &server.port.to_string()])
        .output()?;
    assert!(out.status.success(), "{}", text(&out));
    let lines = server.stop();
    assert!(
        lines.iter().any(|l| l.contains("\"end\":\"released\"")),
        "{lines:#?}"
    );
    Ok(())
}

/// `rdsr serve --db postgres://…`: the received reports land in a PostgreSQL registry whose
/// studies equal an `rdsr import` of the same files into SQLite.
#[test]
fn storescu_into_a_postgres_registry_equals_rdsr_import() -> TestResult {
    if !dcmtk("storescu_into_a_postgres_registry_equals_rdsr_import") {
        return Ok(());
    }
    let Some(cluster) = rdsr_store::testing::TempCluster::start()? else {
        return Ok(());
    };
    let url = cluster.create_database()?;
    let dir = tempfile::tempdir()?;
    let files = dose_files();
    let spool = dir.path().join("spool");
    let server = Server::start(
        Path::new(&url),
        &["--spool", spool.to_str().expect("UTF-8 temporary path")],
    );
    let out = storescu(server.port, "MODALITY", &files, &[]);
    server.stop();
    let readable = files
        .iter()
        .filter(|f| rdsr::parse_file(f.as_path()).is_ok())
        .count();
    assert_eq!(stored_by_storescu(&text(&out)).len(), readable);
    let imported = dir.path().join("imported.sqlite");
    import(&imported, &files);
    let served = rdsr_store::PostgresStore::connect(&url)?;
    let sqlite = SqliteStore::open(&imported)?;
    assert_eq!(
        format!("{:#?}", served.studies()?),
        format!("{:#?}", sqlite.studies()?)
    );
    Ok(())
}

#[test]
fn a_postgres_registry_needs_a_spool_folder() {
    let out = Command::new(env!("CARGO_BIN_EXE_rdsr"))
        .args([
            "serve",
            "--db",
            "postgres://rdsr@127.0.0.1:1/dose",
            "--once",
        ])
        .output()
        .expect("run rdsr serve");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("--spool"), "{}", text(&out));
}
