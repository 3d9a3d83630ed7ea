//! The properties the fuzz targets check, one function per target.
//!
//! Each function panics when a property fails and returns quietly otherwise. The fuzz targets
//! call them, and `tests/fuzz_replay.rs` includes this file (and `differential.rs`) with
//! `#[path]`, so a committed regression fixture is replayed on stable through exactly the check
//! that found it. Keep it free of fuzzing-only dependencies: `rdsr`, `serde_json`, `dicom-core`
//! and `dicom-object` only.

use rdsr::quirks::QuirkTable;
use rdsr::sr::{Document, Value};
use rdsr::study::StudyAssembler;
use rdsr::{DoseReport, Error, Options};

/// A check: panics when a property does not hold for the input.
pub type Check = fn(&[u8]);

/// Every target by name (the folder names of `fuzz/regressions/` and `fuzz/corpus/`).
pub const TARGETS: &[(&str, Check)] = &[
    ("parse_lenient", parse_lenient),
    ("parse_strict", parse_strict),
    ("quirk_table", quirk_table),
    ("assembly", assembly),
    ("differential", super::differential::differential),
];

/// The check of a target, by name.
pub fn check_of(target: &str) -> Option<Check> {
    TARGETS.iter().find(|(n, _)| *n == target).map(|(_, c)| *c)
}

/// Reports the `quirk_table` target reads with each fuzzed quirk file: one projection and
/// one CT report written by the crate's own SR builder.
pub const QUIRK_TABLE_REPORTS: &[(&str, &[u8])] = &[
    (
        "testdata/projection_minimal.dcm",
        include_bytes!("../../testdata/projection_minimal.dcm"),
    ),
    (
        "testdata/ct_minimal.dcm",
        include_bytes!("../../testdata/ct_minimal.dcm"),
    ),
];

/// `parse_lenient`: `rdsr::parse_bytes` never panics; a report it returns survives a JSON
/// round trip unchanged; `read_document` never panics and every item's `value()`, `path()`
/// and `concept()` (and the other accessors) can be called.
pub fn parse_lenient(data: &[u8]) {
    match rdsr::parse_bytes(data) {
        Ok(report) => json_round_trip(&report),
        Err(e) => exercise_error(&e),
    }
    match rdsr::read_document(data) {
        Ok(doc) => walk(&doc),
        Err(e) => exercise_error(&e),
    }
}

/// `parse_strict`: strict mode never panics, and wherever it reads a report lenient mode
/// reads one too (strict only ever rejects more).
pub fn parse_strict(data: &[u8]) {
    let strict = Options::new().strict(true).parse_bytes(data);
    let lenient = Options::new().parse_bytes(data);
    match (&strict, &lenient) {
        (Ok(report), Ok(_)) => json_round_trip(report),
        (Ok(_), Err(e)) => panic!("strict mode reads a report that lenient mode rejects: {e}"),
        (Err(e), _) => exercise_error(e),
    }
}

/// `quirk_table`: a user quirk file (UTF-8 text) never panics the parser; a table it accepts
/// can be added to [`Options`] and reading the fixed reports with it (lenient and strict)
/// never panics, and lenient reports still round-trip through JSON.
pub fn quirk_table(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let table = match QuirkTable::parse("fuzz.toml", text) {
        Ok(table) => table,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    for entry in table.entries() {
        let _ = format!("{entry:?}");
    }
    for strict in [false, true] {
        let options = match Options::new().strict(strict).quirks(table.clone()) {
            Ok(options) => options,
            Err(e) => {
                let _ = e.to_string();
                return;
            }
        };
        for (name, bytes) in QUIRK_TABLE_REPORTS {
            match options.parse_bytes(bytes) {
                Ok(report) if !strict => json_round_trip(&report),
                Ok(_) => {}
                Err(e) => {
                    let _ = (name, e.to_string());
                }
            }
        }
    }
}

/// `assembly`: the input split in two halves, each read as a report; when both are read,
/// the studies assembled from them do not depend on the order the reports arrive in.
///
/// Two different reports under one SOP Instance UID are exempt: the second is a duplicate by
/// definition ([`rdsr::study::Outcome::Duplicate`]), so the first one received wins.
pub fn assembly(data: &[u8]) {
    let (a, b) = data.split_at(data.len() / 2);
    let (Ok(a), Ok(b)) = (rdsr::parse_bytes(a), rdsr::parse_bytes(b)) else {
        return;
    };
    let mut ab = StudyAssembler::new();
    let outcome_a = ab.add(a.clone());
    let outcome_ab = ab.add(b.clone());
    let mut ba = StudyAssembler::new();
    let outcome_b = ba.add(b.clone());
    let outcome_ba = ba.add(a.clone());
    let _ = (outcome_a, outcome_ab, outcome_b, outcome_ba);
    assert_eq!(ab.len(), ba.len(), "number of studies depends on the order");
    if a.sop_instance_uid == b.sop_instance_uid && a != b {
        return;
    }
    let (studies_ab, studies_ba) = (ab.studies(), ba.studies());
    if studies_ab != studies_ba {
        // Show the difference as JSON: shorter and stable.
        let json = |s: &Vec<rdsr::study::AssembledStudy>| {
            serde_json::to_string_pretty(s).unwrap_or_default()
        };
        let (x, y) = (json(&studies_ab), json(&studies_ba));
        let first_diff = x
            .lines()
            .zip(y.lines())
            .position(|(l, r)| l != r)
            .unwrap_or(0);
        let context = |s: &str| {
            s.lines()
                .skip(first_diff.saturating_sub(8))
                .take(16)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "study assembly depends on the order of its reports; from line {first_diff}:\n\
             a then b:\n{}\n\nb then a:\n{}",
            context(&x),
            context(&y)
        );
    }
    for study in &studies_ab {
        let _ = (
            study.number_of_events(),
            study.events(),
            study.sop_instance_uids(),
        );
        let json = serde_json::to_string(study).expect("a study serialises to JSON");
        let _ = json;
    }
}

/// Serialises a report to JSON and back: it must come back equal.
///
/// Text floats are compared exactly only where serde_json parses them exactly (its
/// `float_roundtrip` feature, which the fuzz crate enables); its default parser may read a
/// float one unit in the last place off, which is serde_json's documented trade-off, not a
/// defect of the report. Both builds also check the round trip through a `serde_json::Value`,
/// which holds floats exactly, so every serde attribute of the report is still checked.
pub fn json_round_trip(report: &DoseReport) {
    let json = serde_json::to_string(report)
        .unwrap_or_else(|e| panic!("a report does not serialise to JSON: {e}"));
    let back: DoseReport = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("a report's JSON does not read back: {e}\n{json}"));
    if exact_float_parsing() {
        assert_eq!(
            report, &back,
            "a report changed in a JSON round trip; its JSON:\n{json}"
        );
    }
    let value = serde_json::to_value(report)
        .unwrap_or_else(|e| panic!("a report does not serialise to a JSON value: {e}"));
    let back: DoseReport = serde_json::from_value(value)
        .unwrap_or_else(|e| panic!("a report's JSON value does not read back: {e}\n{json}"));
    assert_eq!(
        report, &back,
        "a report changed in a JSON value round trip; its JSON:\n{json}"
    );
}

/// Whether this build's serde_json reads floats exactly: its default parser reads this one
/// a unit in the last place off.
fn exact_float_parsing() -> bool {
    const PROBE: &str = "3.547080311279209e+106";
    serde_json::from_str::<f64>(PROBE).ok() == PROBE.parse::<f64>().ok()
}

/// Every accessor of an error can be called; its message starts with its location or its
/// reason (never with a separator), a `Malformed` error has a reason and no other kind has
/// one, and no message of the source chain repeats a cause below it.
fn exercise_error(e: &Error) {
    let message = e.to_string();
    let _ = (e.kind(), e.location(), e.path(), format!("{e:?}"));
    assert!(
        !message.starts_with(':') && !message.starts_with(' '),
        "message starts with a separator: {message:?}"
    );
    assert_eq!(
        e.malformed_reason().is_some(),
        matches!(e, Error::Malformed { .. }),
        "{message}"
    );
    if let Some(reason) = e.malformed_reason() {
        assert!(message.ends_with(&reason.to_string()), "{message}");
    }
    let mut chain = vec![message];
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        chain.push(c.to_string());
        cause = c.source();
    }
    for (i, outer) in chain.iter().enumerate() {
        for inner in chain.iter().skip(i + 1) {
            assert!(
                !outer.contains(inner.as_str()),
                "{outer:?} repeats {inner:?}"
            );
        }
    }
}

/// Calls every accessor of every content item.
fn walk(doc: &Document<'_>) {
    let _ = (
        doc.len(),
        doc.is_empty(),
        doc.sop_class_uid(),
        doc.template_id(),
        doc.title(),
        doc.diagnostics().len(),
    );
    let _ = rdsr::detect_template(doc);
    let _ = rdsr::quirks::device_of(doc);
    let root = doc.root();
    let mut seen = 0usize;
    for item in doc.items() {
        seen += 1;
        let path = item.path();
        let _ = (path.to_string(), path.ordinals().len());
        let _ = (
            item.index(),
            item.concept(),
            item.known_concept(),
            item.relationship().map(|r| r.as_str()),
            item.value_type().as_str(),
            item.depth(),
            item.parent().map(|p| p.index()),
            item.children().count(),
            item.code_value(),
            item.text(),
        );
        if let Some(concept) = item.concept() {
            let _ = format!("{concept:?}");
        }
        match item.value() {
            Value::Num(n) => {
                let _ = (n.value(), n.values().count());
            }
            Value::SCoord(c) | Value::SCoord3D(c) => {
                let _ = c.data().map(f32::to_bits).fold(0u32, u32::wrapping_add);
            }
            other => {
                let _ = format!("{other:?}");
            }
        }
        if let Some(num) = item.num() {
            let _ = num.value();
        }
    }
    assert_eq!(seen, doc.len(), "items() yields len() items");
    assert_eq!(
        root.descendants().count() + 1,
        doc.len(),
        "the root's descendants are every other item"
    );
}
