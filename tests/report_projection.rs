//! Golden JSON snapshots of every projection X-ray dose report (TID 10001): the typed
//! [`rdsr::DoseReport`], diagnostics and applied quirks included, one snapshot per file,
//! named after it.
//!
//! The real reports come from `../shared/corpus` (MANIFEST.tsv rows with kind `rdsr` and
//! template `10001`, plus the GE OEC Elite MiniView report that declares no template;
//! skipped with a message when the corpus is absent), the synthetic ones from
//! `testdata/projection_*.dcm`. Every report must map as a projection report without an
//! error and without an error-severity diagnostic. Update with
//! `INSTA_UPDATE=always cargo test --test report_projection` and review the values and units
//! before committing.

#[path = "common/reports.rs"]
mod reports;

use std::path::Path;

use rdsr::ReportBody;

fn snapshot(path: &Path) {
    let (name, report) = reports::checked(path, "projection", |r| {
        matches!(r.body, ReportBody::Projection(_))
    });
    insta::assert_json_snapshot!(name, report);
}

#[test]
fn corpus_projection_reports_snapshot() {
    let Some(files) =
        reports::corpus_reports("projection", |t, p| t == "10001" || p.contains("MiniView"))
    else {
        return;
    };
    assert_eq!(
        files.len(),
        19,
        "the manifest lists 18 TID 10001 reports and the MiniView report"
    );
    for f in &files {
        snapshot(f);
    }
}

#[test]
fn testdata_projection_reports_snapshot() {
    let files = reports::testdata_reports("projection_");
    assert!(
        !files.is_empty(),
        "testdata/projection_*.dcm fixtures are missing"
    );
    for f in &files {
        snapshot(f);
    }
}

/// TID 10001 root person participant (TID 1020), as CT reports have it: read with its role.
#[test]
fn projection_root_person_participant_is_read() {
    use rdsr_builder::{Code, Item, Relationship};
    let bytes = rdsr_builder::testdata::projection_minimal()
        .item(
            Item::pname(
                Relationship::HasObsContext,
                Code::new("113870", "DCM", "Person Name"),
                "Meitner^Lise",
            )
            .with_child(Item::code(
                Relationship::HasProperties,
                Code::new("113875", "DCM", "Person Role in Procedure"),
                Code::new("113850", "DCM", "Irradiation Authorizing"),
            )),
        )
        .to_bytes()
        .expect("the builder writes the report");
    let r = rdsr::parse_bytes(&bytes).expect("the report reads");
    let p = r.projection().expect("a projection report");
    assert_eq!(p.person_participants.len(), 1);
    assert_eq!(
        p.person_participants[0].person_name.as_deref(),
        Some("Meitner^Lise")
    );
    assert_eq!(
        p.person_participants[0]
            .person_role_in_procedure
            .as_ref()
            .map(|c| c.value.as_str()),
        Some("113850")
    );
}
