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
