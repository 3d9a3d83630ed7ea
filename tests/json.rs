//! The JSON contract of the typed report (docs/json.md): exact round trips with serde_json's
//! default features, the schema version, and JSON from older and newer writers.

mod common;

use common::{corpus_files, testdata_files};
use rdsr::{DoseReport, JSON_SCHEMA_VERSION, Template};
use serde_json::Value;

/// Every report of `testdata/` and of the corpus (when present).
fn every_report() -> Vec<(String, DoseReport)> {
    let mut inputs = testdata_files();
    inputs.extend(corpus_files());
    inputs
        .into_iter()
        .filter_map(|i| rdsr::parse_file(&i.path).ok().map(|r| (i.name, r)))
        .collect()
}

fn to_json(r: &DoseReport) -> String {
    serde_json::to_string(r).expect("a report serialises")
}

/// JSON paths whose numbers differ (for the failure message).
fn number_differences(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                if let Some(w) = y.get(k) {
                    number_differences(v, w, &format!("{path}.{k}"), out);
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                number_differences(v, w, &format!("{path}[{i}]"), out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} then {b}")),
        _ => {}
    }
}

#[test]
fn every_report_round_trips_through_json_exactly_with_default_serde_json() {
    let reports = every_report();
    assert!(reports.len() >= 20, "{} reports", reports.len());
    let mut failures = Vec::new();
    for (name, report) in &reports {
        let json = to_json(report);
        let back: DoseReport = serde_json::from_str(&json).expect("the JSON reads back");
        if &back != report {
            let mut diffs = Vec::new();
            let before = serde_json::to_value(report).expect("to value");
            let after = serde_json::to_value(&back).expect("to value");
            number_differences(&before, &after, "", &mut diffs);
            failures.push(format!("{name}: {diffs:?}"));
        }
        // And through serde_json::Value, as a service storing documents would.
        let value: Value = serde_json::from_str(&json).expect("JSON");
        let back: DoseReport = serde_json::from_value(value).expect("the value reads back");
        assert_eq!(&back, report, "{name} through serde_json::Value");
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn float_roundtrip_feature_of_serde_json_is_not_enabled() {
    // serde_json's float_roundtrip feature would make the round trip above pass whatever
    // the values; this test binary must see the default parser. 361.90000000000003 is read
    // as 361.9 by the default parser (one multiplication) and exactly with the feature.
    let parsed: f64 = serde_json::from_str("361.90000000000003").expect("a number");
    assert_eq!(
        parsed, 361.9,
        "serde_json parses exactly: the round-trip test no longer proves anything"
    );
}

#[test]
fn computed_values_are_stored_to_15_significant_digits() {
    // The Philips shutter fix computes the collimated field from shutter positions: once
    // 361.90000000000003 mm, now 361.9.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/quirks/openrem-446-philips-xper-private-frames-and-shutters.dcm"
    );
    let r = rdsr::parse_file(path).expect("fixture parses");
    let p = r.projection().expect("projection");
    let heights: Vec<f64> = p
        .events
        .iter()
        .filter_map(|e| e.source.collimated_field_height_mm)
        .collect();
    assert!(!heights.is_empty());
    for h in heights {
        let text = serde_json::to_string(&h).expect("number");
        let digits = text.chars().filter(char::is_ascii_digit).count();
        assert!(digits <= 15, "{text}");
        assert_eq!(serde_json::from_str::<f64>(&text).expect("number"), h);
    }
}

#[test]
fn schema_version_is_written_first_and_checked_on_reading() {
    let r = rdsr::parse_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/ct_minimal.dcm"
    ))
    .expect("fixture parses");
    let json = to_json(&r);
    assert!(
        json.starts_with(&format!("{{\"schema_version\":{JSON_SCHEMA_VERSION},")),
        "{}",
        &json[..60]
    );
    assert_eq!(JSON_SCHEMA_VERSION, 1);

    // JSON written before the version existed reads.
    let mut v: Value = serde_json::from_str(&json).expect("JSON");
    v.as_object_mut().expect("object").remove("schema_version");
    let back: DoseReport = serde_json::from_value(v.clone()).expect("unversioned JSON reads");
    assert_eq!(back, r);

    // A newer, incompatible shape is refused with a message that says so.
    v["schema_version"] = Value::from(JSON_SCHEMA_VERSION + 1);
    let err = serde_json::from_value::<DoseReport>(v).expect_err("newer schema refused");
    assert!(
        err.to_string().contains("schema_version 2 is newer"),
        "{err}"
    );
}

/// Removes every key named `key` anywhere in `v`; returns how many were removed.
fn remove_everywhere(v: &mut Value, key: &str) -> usize {
    match v {
        Value::Object(m) => {
            let mut n = usize::from(m.remove(key).is_some());
            for child in m.values_mut() {
                n += remove_everywhere(child, key);
            }
            n
        }
        Value::Array(a) => a.iter_mut().map(|c| remove_everywhere(c, key)).sum(),
        _ => 0,
    }
}

#[test]
fn json_from_an_older_writer_without_list_fields_reads() {
    // An older writer knew none of these lists: each is read as empty.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/quirks/openrem-446-philips-xper-private-frames-and-shutters.dcm"
    );
    let r = rdsr::parse_file(path).expect("fixture parses");
    let mut v = serde_json::to_value(&r).expect("to value");
    for key in [
        "events",
        "accumulated_planes",
        "filters",
        "kvp_kv",
        "xray_tube_current_ma",
        "pulse_width_s",
        "exposure_uas",
        "observers",
        "device_participants",
        "person_participants",
        "source_of_dose_information",
        "calibrations",
        "image_view_modifiers",
        "changes",
        "applied_quirks",
        "diagnostics",
    ] {
        let mut older = v.clone();
        let removed = remove_everywhere(&mut older, key);
        assert!(removed > 0, "{key} is in the report");
        let back: DoseReport = serde_json::from_value(older)
            .unwrap_or_else(|e| panic!("JSON without {key:?} does not read: {e}"));
        if key == "events" {
            assert!(back.projection().expect("projection").events.is_empty());
        }
        if key == "changes" {
            assert!(back.applied_quirks.iter().all(|q| q.changes.is_empty()));
        }
    }
    // Every optional value absent: read as None.
    remove_everywhere(&mut v, "dose_area_product_gy_m2");
    let back: DoseReport = serde_json::from_value(v).expect("reads");
    let p = back.projection().expect("projection");
    assert!(p.events.iter().all(|e| e.dose_area_product_gy_m2.is_none()));
}

#[test]
fn json_from_a_newer_writer_with_unknown_fields_reads() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/projection_minimal.dcm"
    );
    let r = rdsr::parse_file(path).expect("fixture parses");
    let mut v = serde_json::to_value(&r).expect("to value");
    v["a_new_key"] = Value::from("from a newer writer");
    v["body"]["events"][0]["a_new_event_key"] = serde_json::json!([1, 2, 3]);
    v["body"]["accumulated_planes"][0]["projection_totals"]["a_new_total"] = Value::from(1.5);
    let back: DoseReport = serde_json::from_value(v).expect("unknown keys are ignored");
    assert_eq!(back, r);
}

#[test]
fn template_is_a_plain_string() {
    for (template, name) in [
        (Template::Projection, "projection"),
        (Template::Ct, "ct"),
        (Template::Radiopharmaceutical, "radiopharmaceutical"),
        (Template::Unknown, "unknown"),
        (Template::Other("10030".into()), "other:10030"),
    ] {
        let json = serde_json::to_string(&template).expect("serialises");
        assert_eq!(json, format!("\"{name}\""));
        let back: Template = serde_json::from_str(&json).expect("reads");
        assert_eq!(back, template);
    }
    // The object form written before schema version 1 still reads.
    let old: Template = serde_json::from_str(r#"{"template":"ct"}"#).expect("old form");
    assert_eq!(old, Template::Ct);
    let old: Template =
        serde_json::from_str(r#"{"template":"other","id":"10030"}"#).expect("old form");
    assert_eq!(old, Template::Other("10030".into()));
    assert!(serde_json::from_str::<Template>(r#""10030""#).is_err());
}

#[test]
fn applied_quirks_are_one_record_per_quirk_and_explain_themselves() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let r = rdsr::parse_file(dir.join("files/openrem-0.10.0/RF-RDSR-Philips_Azurion.dcm"))
        .expect("corpus file parses");
    let ids: Vec<&str> = r.applied_quirks.iter().map(|q| q.id.as_str()).collect();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids, unique, "one record per quirk");
    let changes: usize = r.applied_quirks.iter().map(|q| q.changes.len()).sum();
    assert!(changes > r.applied_quirks.len(), "{changes} changes");
    let json = serde_json::to_value(&r).expect("to value");
    for q in json["applied_quirks"].as_array().expect("array") {
        for key in ["id", "summary", "reference", "kind", "changes"] {
            assert!(!q[key].is_null(), "{key} in {q}");
        }
        for c in q["changes"].as_array().expect("changes") {
            assert!(c["before"].is_string() && c["after"].is_string(), "{c}");
        }
    }
}

#[test]
fn applied_quirks_group_the_921_changes_of_two_quirks_into_two_records() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let r =
        rdsr::parse_file(dir.join("files/openrem-0.10.0/RF-Pat-Orientation-Modifier-Missing.dcm"))
            .expect("corpus file parses");
    assert_eq!(r.applied_quirks.len(), 2);
    let changes: usize = r.applied_quirks.iter().map(|q| q.changes.len()).sum();
    assert_eq!(changes, 921);
    for q in &r.applied_quirks {
        assert!(!q.summary.is_empty() && !q.reference.is_empty(), "{}", q.id);
    }
}

#[test]
fn every_assembled_study_round_trips_through_json_exactly() {
    let mut assembler = rdsr::study::StudyAssembler::new();
    for (_, report) in every_report() {
        assembler.add(report);
    }
    let studies = assembler.studies();
    assert!(studies.len() >= 10, "{} studies", studies.len());
    for study in &studies {
        let json = serde_json::to_string(study).expect("a study serialises");
        assert!(
            json.starts_with(&format!("{{\"schema_version\":{JSON_SCHEMA_VERSION},")),
            "{}",
            &json[..40]
        );
        let back: rdsr::study::AssembledStudy = serde_json::from_str(&json).expect("reads back");
        assert!(&back == study, "{} differs", study.study_instance_uid);
    }
}
