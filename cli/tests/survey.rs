//! `rdsr alerts` and `rdsr export phe2019` end to end on the two Siemens Zee studies (same
//! patient, 2016-05-10 and 2016-05-12) and a CT study.

mod common;

use std::path::{Path, PathBuf};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn openrem_dir() -> Option<PathBuf> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/files/openrem-0.10.0");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("corpus not found: test skipped");
        None
    }
}

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn alerts_settings_and_json_output() -> TestResult {
    let Some(c) = openrem_dir() else {
        return Ok(());
    };
    let dir = tempfile::tempdir()?;
    let files: Vec<String> = [
        "RF-RDSR-Siemens-Zee.dcm",
        "RF-RDSR-Siemens-Zee_adjusted.dcm",
    ]
    .iter()
    .map(|f| c.join(f).display().to_string())
    .collect();
    let mut args = vec!["import", "--db", "s.sqlite"];
    args.extend(files.iter().map(String::as_str));
    ok(&common::rdsr_in(dir.path(), &args));
    // Default levels: nothing flagged.
    let out = ok(&common::rdsr_in(
        dir.path(),
        &["alerts", "--db", "s.sqlite", "--json"],
    ));
    assert_eq!(out, "");
    // OpenREM's test levels: 30 cGy·cm² (3e-5 Gy·m²), 2 weeks.
    let out = ok(&common::rdsr_in(
        dir.path(),
        &[
            "alerts",
            "settings",
            "--db",
            "s.sqlite",
            "--weeks",
            "2",
            "--dap-gy-m2",
            "0.00003",
        ],
    ));
    assert!(out.contains("look-back 2 weeks"), "{out}");
    let out = ok(&common::rdsr_in(
        dir.path(),
        &["alerts", "--db", "s.sqlite", "--json"],
    ));
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    assert_eq!(lines.len(), 1);
    let a = &lines[0];
    assert_eq!(a["study_date"], "2016-05-12");
    assert_eq!(a["flags"], serde_json::json!(["look_back_dap"]));
    assert!((a["look_back_dap_gy_m2"].as_f64().unwrap_or_default() - 3.2e-5).abs() < 1e-12);
    assert_eq!(a["contributing_studies"].as_array().map(Vec::len), Some(2));
    let since = ok(&common::rdsr_in(
        dir.path(),
        &[
            "alerts",
            "--db",
            "s.sqlite",
            "--all",
            "--since",
            "2016-05-11",
        ],
    ));
    assert_eq!(
        since.lines().count(),
        2,
        "settings line and one study: {since}"
    );
    ok(&common::rdsr_in(
        dir.path(),
        &["alerts", "recompute", "--db", "s.sqlite"],
    ));
    Ok(())
}

#[test]
fn export_phe2019_writes_the_named_sheet() -> TestResult {
    let Some(c) = openrem_dir() else {
        return Ok(());
    };
    let dir = tempfile::tempdir()?;
    let ct = c.join("CT-ESR-GE_Optima.dcm").display().to_string();
    ok(&common::rdsr_in(
        dir.path(),
        &["import", "--db", "s.sqlite", &ct],
    ));
    let out = common::rdsr_in(
        dir.path(),
        &[
            "export", "phe2019", "ct", "--db", "s.sqlite", "--out", "ct.csv",
        ],
    );
    ok(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 rows written"));
    let csv = std::fs::read_to_string(dir.path().join("ct.csv"))?;
    assert!(csv.starts_with("Record number,Age (years),Weight (kg),Height (cm),"));
    let bad = common::rdsr_in(
        dir.path(),
        &[
            "export", "phe2019", "ct", "--db", "s.sqlite", "--out", "ct.txt",
        ],
    );
    assert!(!bad.status.success());
    Ok(())
}

/// Runs `rdsr ARGS` in `dir` with the environment variables `env`.
fn rdsr_env(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_rdsr"));
    c.args(args).current_dir(dir);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run rdsr")
}

/// `rdsr import`, `rdsr alerts` and `rdsr export` on a PostgreSQL registry give what they
/// give on a SQLite file (the registry named by `RDSR_DATABASE_URL` for the import).
#[test]
fn alerts_and_export_on_postgres_equal_sqlite() -> TestResult {
    let Some(c) = openrem_dir() else {
        return Ok(());
    };
    let Some(pg) = rdsr_store::testing::Backend::postgres()? else {
        return Ok(());
    };
    let url = pg.new_target("cli")?;
    let dir = tempfile::tempdir()?;
    let files: Vec<String> = [
        "RF-RDSR-Siemens-Zee.dcm",
        "RF-RDSR-Siemens-Zee_adjusted.dcm",
        "CT-ESR-GE_Optima.dcm",
    ]
    .iter()
    .map(|f| c.join(f).display().to_string())
    .collect();
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    let secret = [("RDSR_SITE_SECRET", "site secret")];
    ok(&rdsr_env(
        dir.path(),
        &[secret[0], ("RDSR_DATABASE_URL", url.as_str())],
        &args,
    ));
    args.extend(["--db", "s.sqlite"]);
    ok(&rdsr_env(dir.path(), &secret, &args));
    let mut outputs = Vec::new();
    for db in ["s.sqlite", url.as_str()] {
        let settings = [
            "alerts",
            "settings",
            "--db",
            db,
            "--weeks",
            "2",
            "--dap-gy-m2",
            "0.00003",
            "--hash-patient-id",
            "true",
        ];
        ok(&rdsr_env(dir.path(), &secret, &settings));
        let alerts = ok(&rdsr_env(
            dir.path(),
            &secret,
            &["alerts", "--db", db, "--all", "--json"],
        ));
        let csv = format!("{}.csv", outputs.len());
        ok(&common::rdsr_in(
            dir.path(),
            &["export", "phe2019", "ct", "--db", db, "--out", &csv],
        ));
        let rf = format!("{}-rf.csv", outputs.len());
        ok(&common::rdsr_in(
            dir.path(),
            &["export", "phe2019", "rf", "--db", db, "--out", &rf],
        ));
        outputs.push((
            alerts,
            std::fs::read_to_string(dir.path().join(csv))?,
            std::fs::read_to_string(dir.path().join(rf))?,
        ));
    }
    let (sqlite, postgres) = (&outputs[0], &outputs[1]);
    assert_eq!(sqlite.0.lines().count(), 2, "{}", sqlite.0);
    assert!(sqlite.0.contains("hmac-sha256:"), "{}", sqlite.0);
    assert!(sqlite.0.contains("look_back_dap"), "{}", sqlite.0);
    assert_eq!(postgres, sqlite);
    // Another secret is refused on either backend.
    for db in ["s.sqlite", url.as_str()] {
        let out = rdsr_env(
            dir.path(),
            &[("RDSR_SITE_SECRET", "other")],
            &["alerts", "--db", db],
        );
        assert!(!out.status.success(), "{db}");
    }
    Ok(())
}
