//! The units table (`docs/units.md`) against the model: one unit per quantity, named in
//! every numeric field.
//!
//! * every numeric field of a public model record (read from the `pub struct` definitions
//!   of `src/model/`, `src/study/` and `src/report.rs`) is listed in the table exactly once,
//!   in a row whose suffix its name ends with;
//! * every numeric value of every corpus and testdata report, and of the studies assembled
//!   from them, serialised to JSON, sits under a key that the table lists, with one unit.
//!
//! The corpus part is skipped with a message when `../shared/corpus` is absent.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// One row of the table: unit, suffix (empty for unitless) and the listed Rust paths.
struct Row {
    unit: String,
    suffix: String,
    fields: Vec<String>,
}

fn table() -> Vec<Row> {
    let text = std::fs::read_to_string(Path::new(ROOT).join("docs/units.md"))
        .expect("docs/units.md is readable");
    let mut rows = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        let [_quantity, unit, suffix, fields] = cells.as_slice() else {
            continue;
        };
        if *unit == "unit" || unit.starts_with("---") {
            continue;
        }
        rows.push(Row {
            unit: unit.to_string(),
            suffix: suffix.trim_matches('`').replace("none", ""),
            fields: fields
                .split("<br>")
                .map(|f| f.trim().trim_matches('`').to_string())
                .filter(|f| !f.is_empty())
                .collect(),
        });
    }
    rows
}

/// `(Rust path, field name)` of every numeric field of the public model records.
fn model_fields() -> Vec<(String, String)> {
    let sources = [
        ("src/model/projection.rs", "rdsr::model::projection"),
        ("src/model/ct.rs", "rdsr::model::ct"),
        (
            "src/model/radiopharmaceutical.rs",
            "rdsr::model::radiopharmaceutical",
        ),
        ("src/model/common.rs", "rdsr::model"),
        ("src/model/summary.rs", "rdsr::model"),
        ("src/study/mod.rs", "rdsr::study"),
        ("src/model/report.rs", "rdsr"),
    ];
    let numeric = [
        "f64",
        "Option<f64>",
        "Vec<f64>",
        "u32",
        "Option<u32>",
        "usize",
        "Option<usize>",
    ];
    let mut out = Vec::new();
    for (file, module) in sources {
        let text = std::fs::read_to_string(Path::new(ROOT).join(file)).expect("model source");
        let mut current: Option<String> = None;
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("pub struct ") {
                current = rest.split_whitespace().next().map(str::to_string);
            } else if line == "}" {
                current = None;
            } else if let (Some(st), Some(field)) = (&current, line.trim().strip_prefix("pub ")) {
                if let Some((name, ty)) = field.split_once(": ") {
                    if numeric.contains(&ty.trim_end_matches(',')) {
                        out.push((format!("{module}::{st}::{name}"), name.to_string()));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_numeric_model_field_is_in_the_units_table_once_with_its_suffix() {
    let rows = table();
    assert!(rows.len() >= 10, "the table has too few rows");
    let mut listed: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for row in &rows {
        for f in &row.fields {
            listed.entry(f.as_str()).or_default().push(row);
            let name = f.rsplit("::").next().unwrap_or(f);
            assert!(
                row.suffix.is_empty() || name.ends_with(&row.suffix),
                "{f} is listed under {} but does not end with {}",
                row.unit,
                row.suffix
            );
        }
    }
    let fields = model_fields();
    assert!(
        fields.len() > 100,
        "only {} numeric fields found",
        fields.len()
    );
    let mut missing = Vec::new();
    for (path, _) in &fields {
        match listed.get(path.as_str()).map(Vec::len) {
            Some(1) => {}
            Some(n) => panic!("{path} is listed {n} times in docs/units.md"),
            None => missing.push(path.clone()),
        }
    }
    assert!(
        missing.is_empty(),
        "numeric fields missing from docs/units.md: {missing:#?}"
    );
    let known: BTreeSet<&str> = fields.iter().map(|(p, _)| p.as_str()).collect();
    let stale: Vec<&&str> = listed.keys().filter(|p| !known.contains(**p)).collect();
    assert!(
        stale.is_empty(),
        "docs/units.md lists fields that do not exist: {stale:?}"
    );
}

#[test]
fn a_field_with_a_unit_names_it_and_unitless_ones_carry_no_unit_suffix() {
    let rows = table();
    let suffixes: Vec<&str> = rows
        .iter()
        .map(|r| r.suffix.as_str())
        .filter(|s| !s.is_empty())
        .collect();
    for row in rows.iter().filter(|r| r.suffix.is_empty()) {
        for f in &row.fields {
            let name = f.rsplit("::").next().unwrap_or(f);
            assert!(
                !suffixes.iter().any(|s| name.ends_with(s)),
                "{f} is unitless but its name ends with a unit suffix"
            );
        }
    }
}

/// Every object key holding a number (or a list of numbers) anywhere in `v`.
fn numeric_keys(v: &Value, key: Option<&str>, out: &mut BTreeSet<String>) {
    match v {
        Value::Number(_) => {
            if let Some(k) = key {
                out.insert(k.to_string());
            }
        }
        Value::Array(items) => items.iter().for_each(|i| numeric_keys(i, key, out)),
        Value::Object(m) => m
            .iter()
            .for_each(|(k, v)| numeric_keys(v, Some(k.as_str()), out)),
        _ => {}
    }
}

#[test]
fn every_numeric_json_value_of_the_reports_has_one_documented_unit() {
    let rows = table();
    // Field name -> the units of the rows that list a field of that name.
    let mut units: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for row in &rows {
        for f in &row.fields {
            let name = f.rsplit("::").next().unwrap_or(f).to_string();
            units.entry(name).or_default().insert(row.unit.as_str());
        }
    }
    let mut files: Vec<_> = common::testdata_files();
    files.extend(
        common::corpus_files()
            .into_iter()
            .filter(|i| i.kind == "rdsr" || i.kind == "rrdsr"),
    );
    let mut assembler = rdsr::study::StudyAssembler::new();
    let mut keys = BTreeSet::new();
    let mut parsed = 0;
    for input in &files {
        let Ok(report) = rdsr::parse_file(&input.path) else {
            continue;
        };
        parsed += 1;
        let json = serde_json::to_value(&report).expect("a report serialises");
        numeric_keys(&json, None, &mut keys);
        assembler.add(report);
    }
    assert!(parsed > 10, "only {parsed} reports parsed");
    for study in assembler.studies() {
        let json = serde_json::to_value(&study).expect("a study serialises");
        numeric_keys(&json, None, &mut keys);
    }
    assert!(keys.contains("dose_area_product_gy_m2"), "{keys:?}");
    // `schema_version` is the JSON shape's version (docs/json.md), not a quantity.
    for key in keys.iter().filter(|k| *k != "schema_version") {
        match units.get(key) {
            None => panic!("numeric JSON key {key:?} is not in docs/units.md"),
            Some(u) if u.len() > 1 => panic!("{key:?} has several units: {u:?}"),
            Some(_) => {}
        }
    }
}
