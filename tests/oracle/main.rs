//! Data-driven parity with the OpenREM 0.10.0 import tests (`../shared/spec/openrem-expected.json`).
//!
//! Each test below runs the oracle tests of one report family, prints
//! `N of M expected values match`, and fails on any value that differs without an entry
//! in that family's allow-list (`allow-*.tsv`: test id, path, bug, reason).

mod harness;
mod views;

use harness::{AllowList, Tally};
use serde_json::Value;

fn oracle() -> Option<(std::path::PathBuf, Value)> {
    let shared = harness::shared_dir()?;
    let text = std::fs::read_to_string(shared.join("spec/openrem-expected.json")).ok()?;
    let json: Value = serde_json::from_str(&text).expect("oracle JSON parses");
    Some((shared, json))
}

/// Runs the oracle tests whose imported files satisfy `select`.
fn run_family(what: &str, allow_file: &str, select: impl Fn(&Value) -> bool) {
    let Some((shared, oracle)) = oracle() else {
        return;
    };
    let allow = AllowList::load(allow_file);
    let default_privacy = oracle["meta"]["default_patient_id_settings"].clone();
    let mut tally = Tally::default();
    let mut ran = Vec::new();
    for test in oracle["tests"].as_array().into_iter().flatten() {
        if !select(test) {
            continue;
        }
        let id = test["id"].as_str().unwrap_or("?").to_string();
        let mut studies = views::studies_for(&id);
        harness::run_test(
            &shared,
            test,
            &default_privacy,
            &allow,
            studies.as_mut(),
            &mut tally,
        );
        ran.push(id);
    }
    let report = tally.report(what);
    println!("{report}");
    let stale = harness::stale_allow_entries(&allow, &tally, &ran);
    assert!(
        stale.is_empty(),
        "allow-list entries that no longer differ (remove them):\n{}",
        stale.join("\n")
    );
    assert!(tally.total() > 0, "{what}: no expected value was checked");
    assert_eq!(tally.mismatched, 0, "{report}");
}

fn files(test: &Value) -> Vec<String> {
    test["files_imported_in_order"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f.as_str().map(str::to_string))
        .collect()
}

/// Projection reports: RF, DX and MG files (and the DAP unit tests).
#[test]
fn projection_reports_match_openrem() {
    run_family("projection", "allow-projection.tsv", |t| {
        let f = files(t);
        let id = t["id"].as_str().unwrap_or("");
        (!f.is_empty()
            && f.iter().all(|f| {
                f.starts_with("RF-")
                    || f.starts_with("DX-")
                    || f.starts_with("MG-")
                    || f.starts_with("Dual-")
            }))
            || id.contains("DAPUnitsTest")
    });
}

/// CT reports (and the non-dose Enhanced SR rejection test).
#[test]
fn ct_reports_match_openrem() {
    run_family("ct", "allow-ct.tsv", |t| {
        let f = files(t);
        !f.is_empty()
            && f.iter()
                .all(|f| f.starts_with("CT-") || f.starts_with("ESR_"))
    });
}
