//! The oracle harness: runs the steps of `../shared/spec/openrem-expected.json` tests against
//! reports read by this crate and compares every expected value.
//!
//! Each test's imports are read with `rdsr::parse_file`; the resulting studies are shown in
//! the oracle's neutral naming by a *view* (`views.rs`), and each `path` step is resolved
//! against that view. Outcomes per expected value: match, allowed difference (an OpenREM
//! bug we deliberately do not copy, from an allow-list with its reason), out of scope (a
//! feature outside the RDSR importer, with the reason), or mismatch.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Where the shared material is, or `None` (with a message) when absent.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.join("spec/openrem-expected.json").is_file() && dir.join("corpus/files").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: ../shared/spec and ../shared/corpus are absent; oracle tests need them"
        );
        None
    }
}

/// A deliberate difference from OpenREM: `(test id, path)` -> `(bug, reason)`.
pub struct AllowList(BTreeMap<(String, String), (String, String)>);

impl AllowList {
    /// Reads a tab-separated allow-list: `test id`, `path`, `bug`, `reason` (`#` comments).
    pub fn load(file: &str) -> AllowList {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/oracle")
            .join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let mut map = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(
                f.len(),
                4,
                "{}:{}: want 4 tab-separated fields (test, path, bug, reason)",
                path.display(),
                n + 1
            );
            map.insert(
                (f[0].to_string(), f[1].to_string()),
                (f[2].to_string(), f[3].to_string()),
            );
        }
        AllowList(map)
    }

    fn get(&self, test: &str, path: &str) -> Option<&(String, String)> {
        self.0.get(&(test.to_string(), path.to_string()))
    }

    fn entries(&self) -> impl Iterator<Item = (&(String, String), &(String, String))> {
        self.0.iter()
    }
}

/// Outcome counts and the lines explaining everything that did not simply match.
#[derive(Default)]
pub struct Tally {
    pub matched: usize,
    pub allowed: usize,
    pub out_of_scope: usize,
    pub mismatched: usize,
    /// Values that need a vendor quirk of the quirk table (listed with bug `pending-quirk:ID`).
    pub pending: usize,
    pub lines: Vec<String>,
    pub used_allow: std::collections::BTreeSet<(String, String)>,
}

impl Tally {
    pub fn total(&self) -> usize {
        self.matched + self.allowed + self.out_of_scope + self.mismatched + self.pending
    }

    /// Prints the summary and detail; the caller asserts.
    pub fn report(&self, what: &str) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{what}: {} of {} expected values match ({} deliberately different, {} awaiting a quirk, {} out of scope, {} mismatched)",
            self.matched,
            self.total(),
            self.allowed,
            self.pending,
            self.out_of_scope,
            self.mismatched
        );
        for l in &self.lines {
            let _ = writeln!(s, "  {l}");
        }
        s
    }
}

/// Privacy settings of a test (patient name/ID/birth date stored or hashed).
#[derive(Clone, Copy)]
struct Privacy {
    name_stored: bool,
    name_hashed: bool,
    id_stored: bool,
    id_hashed: bool,
    accession_hashed: bool,
    dob_stored: bool,
}

impl Privacy {
    fn from(v: Option<&Value>, default: &Value) -> Privacy {
        let get = |k: &str| {
            v.and_then(|v| v.get(k))
                .or_else(|| default.get(k))
                .and_then(Value::as_bool)
                .unwrap_or(false)
        };
        Privacy {
            name_stored: get("name_stored"),
            name_hashed: get("name_hashed"),
            id_stored: get("id_stored"),
            id_hashed: get("id_hashed"),
            accession_hashed: get("accession_hashed"),
            dob_stored: get("dob_stored"),
        }
    }
}

fn sha256_hex(s: &str) -> String {
    let d = Sha256::digest(s.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Renames `{value, scheme, meaning}` objects to the oracle's `code_value` / `code_meaning`.
fn neutral_codes(v: &mut Value) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(m) => {
                let is_code = m.len() == 3
                    && m.contains_key("value")
                    && m.contains_key("scheme")
                    && m.contains_key("meaning");
                if is_code {
                    let mut n = Map::new();
                    n.insert("code_value".into(), m["value"].clone());
                    n.insert("coding_scheme_designator".into(), m["scheme"].clone());
                    n.insert("code_meaning".into(), m["meaning"].clone());
                    *m = n;
                } else {
                    stack.extend(m.values_mut());
                }
            }
            Value::Array(a) => stack.extend(a.iter_mut()),
            _ => {}
        }
    }
}

/// One study as the oracle names it.
fn study_view(report: &rdsr::DoseReport, sops: &[String], privacy: Privacy) -> Value {
    let mut v = Map::new();
    let study = serde_json::to_value(&report.study).expect("study serialises");
    if let Value::Object(m) = study {
        v.extend(m);
    }
    if privacy.accession_hashed {
        if let Some(Value::String(a)) = v.get("accession_number").cloned() {
            v.insert("accession_number".into(), Value::String(sha256_hex(&a)));
        }
    }
    if let Some(code) = &report.study.requested_procedure_code {
        v.insert(
            "requested_procedure_code_meaning".into(),
            Value::String(code.meaning.clone()),
        );
        v.insert(
            "requested_procedure_code_value".into(),
            Value::String(code.value.clone()),
        );
    } else if let Some(d) = &report.study.requested_procedure_description {
        v.insert(
            "requested_procedure_code_meaning".into(),
            Value::String(d.clone()),
        );
    }
    let mut equipment = serde_json::to_value(&report.equipment).expect("equipment");
    if let Value::Object(m) = &mut equipment {
        let uid = m.get("device_observer_uid").cloned().unwrap_or(Value::Null);
        let mut ue = Map::new();
        ue.insert("device_observer_uid".into(), uid);
        m.insert("unique_equipment".into(), Value::Object(ue));
    }
    v.insert("equipment".into(), equipment);

    let mut patient = serde_json::to_value(&report.patient).expect("patient");
    if let Value::Object(m) = &mut patient {
        let protect = |m: &mut Map<String, Value>, key: &str, stored: bool, hashed: bool| {
            let cur = m.get(key).and_then(Value::as_str).map(str::to_string);
            let new = match cur {
                _ if !stored => Value::Null,
                Some(s) if hashed => Value::String(sha256_hex(&s.replace('^', ""))),
                Some(s) => Value::String(s),
                None => Value::Null,
            };
            m.insert(key.into(), new);
        };
        protect(m, "patient_name", privacy.name_stored, privacy.name_hashed);
        protect(m, "patient_id", privacy.id_stored, privacy.id_hashed);
        if !privacy.dob_stored {
            m.insert("patient_birth_date".into(), Value::Null);
        }
    }
    v.insert("patient".into(), patient);
    v.insert(
        "patient_study".into(),
        serde_json::to_value(&report.patient_study).expect("patient study"),
    );
    v.insert(
        "processed_sop_instance_uids".into(),
        Value::Array(sops.iter().cloned().map(Value::String).collect()),
    );
    for (k, val) in crate::views::report_views(report) {
        v.insert(k, val);
    }
    let mut v = Value::Object(v);
    neutral_codes(&mut v);
    v
}

/// The unit suffixes of this crate's field names (`docs/units.md`) and the oracle's spelling
/// of each unit. Longest first, so `_mgy_cm` is not read as `_cm`.
const UNIT_SUFFIXES: &[(&str, &str)] = &[
    ("_msv_per_mgy_cm", "mSv/(mGy.cm)"),
    ("_mgy_per_mas", "mGy/mAs"),
    ("_mgy_cm", "mGy.cm"),
    ("_percent", "%"),
    ("_gy_m2", "Gy.m2"),
    ("_per_s", "1/s"),
    ("_years", "years"),
    ("_mgy", "mGy"),
    ("_msv", "mSv"),
    ("_deg", "deg"),
    ("_uas", "uAs"),
    ("_gy", "Gy"),
    ("_mm", "mm"),
    ("_m2", "m2"),
    ("_kv", "kV"),
    ("_ma", "mA"),
    ("_kg", "kg"),
    ("_s", "s"),
    ("_n", "N"),
];

/// Oracle names whose field here has another stem (besides the unit suffix).
const RENAMED: &[(&str, &str)] = &[
    ("patient_age_decimal", "patient_age_years"),
    (
        "percent_fibroglandular_tissue",
        "fibroglandular_tissue_percent",
    ),
];

/// The factor from this crate's unit to the oracle's, where OpenREM stores another unit of
/// the same quantity (exposure time and pulse width in ms, entrance exposure in mGy, patient
/// size in m).
fn unit_factor(ours: &str, oracle: &str) -> Option<f64> {
    if ours == oracle {
        return Some(1.0);
    }
    Some(match (ours, oracle) {
        ("s", "ms") => 1e3,
        ("Gy", "mGy") => 1e3,
        ("mm", "m") => 1e-3,
        _ => return None,
    })
}

/// The oracle's name `name` in an object of this crate's view: the value and, when the field
/// name carries a unit suffix, the unit.
fn lookup(m: &Map<String, Value>, name: &str) -> (Value, Option<&'static str>) {
    if let Some(v) = m.get(name) {
        return (v.clone(), None);
    }
    let stem = RENAMED
        .iter()
        .find(|(oracle, _)| *oracle == name)
        .map_or(name, |(_, ours)| *ours);
    for (suffix, unit) in UNIT_SUFFIXES {
        if let Some(v) = m.get(&format!("{name}{suffix}")) {
            return (v.clone(), Some(unit));
        }
        if let Some(v) = stem.strip_suffix(suffix).and_then(|_| m.get(stem)) {
            return (v.clone(), Some(unit));
        }
    }
    (Value::Null, None)
}

/// `v` (a number, or a list of numbers) from this crate's unit into the oracle's.
fn convert(v: Value, ours: &str, oracle: &str) -> Result<Value, String> {
    let factor = unit_factor(ours, oracle)
        .ok_or_else(|| format!("unit {ours} here, {oracle} in the oracle: no conversion"))?;
    if factor == 1.0 {
        return Ok(v);
    }
    Ok(match v {
        Value::Number(n) => n
            .as_f64()
            .map_or(Value::Number(n), |x| Value::from(x * factor)),
        Value::Array(a) => Value::Array(
            a.into_iter()
                .map(|x| convert(x, ours, oracle))
                .collect::<Result<_, _>>()?,
        ),
        other => other,
    })
}

/// Resolves a neutral path (`study[0].projection_report.events[2].source.kvp_values[only].kvp`)
/// against the studies. A name resolves to this crate's field of that name with its unit
/// suffix (`kvp` to `kvp_kv`), and the value is converted into the oracle's `units` where
/// OpenREM stores another unit. `Err` says why it cannot be resolved.
fn resolve(studies: &[Value], path: &str, units: Option<&str>) -> Result<Value, String> {
    if path == "study_count" {
        return Ok(Value::from(studies.len()));
    }
    let rest = path
        .strip_prefix("study[")
        .ok_or_else(|| format!("unsupported path root in {path}"))?;
    let (index, rest) = rest
        .split_once(']')
        .ok_or_else(|| format!("bad study index in {path}"))?;
    let study = match index {
        "last" => studies.last(),
        i => i.parse::<usize>().ok().and_then(|i| studies.get(i)),
    }
    .ok_or_else(|| format!("no study[{index}] (have {})", studies.len()))?;
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    resolve_in(study.clone(), rest, units)
}

fn resolve_in(mut cur: Value, path: &str, units: Option<&str>) -> Result<Value, String> {
    let segments = split_segments(path);
    let mut i = 0;
    let mut unit: Option<&'static str> = None;
    while i < segments.len() {
        let (name, index) = &segments[i];
        if name == "count" && index.is_none() {
            return match cur {
                Value::Array(a) => Ok(Value::from(a.len())),
                Value::Null => Ok(Value::from(0)),
                other => Err(format!("count of a non-list {other}")),
            };
        }
        let next = match &cur {
            Value::Object(m) => {
                let (v, u) = lookup(m, name);
                unit = u;
                v
            }
            Value::Null => {
                unit = None;
                Value::Null
            }
            other => return Err(format!("{name}: not an object: {other}")),
        };
        cur = match index.as_deref() {
            None => next,
            Some("*") => {
                let rest: Vec<String> = segments[i + 1..]
                    .iter()
                    .map(|(n, ix)| match ix {
                        Some(ix) => format!("{n}[{ix}]"),
                        None => n.clone(),
                    })
                    .collect();
                let rest = rest.join(".");
                let items = next.as_array().cloned().unwrap_or_default();
                let mut out = Vec::new();
                for it in items {
                    out.push(if rest.is_empty() {
                        match (unit, units) {
                            (Some(ours), Some(oracle)) => convert(it, ours, oracle)?,
                            _ => it,
                        }
                    } else {
                        resolve_in(it, &rest, units)?
                    });
                }
                return Ok(Value::Array(out));
            }
            Some(ix) => {
                let arr = match next {
                    Value::Array(a) => a,
                    Value::Null => Vec::new(),
                    other => return Err(format!("{name}[{ix}]: not a list: {other}")),
                };
                match ix {
                    "only" => {
                        if arr.len() != 1 {
                            return Err(format!(
                                "{name}[only]: {} records, want exactly 1",
                                arr.len()
                            ));
                        }
                        arr.into_iter().next().unwrap_or(Value::Null)
                    }
                    "last" => arr.last().cloned().unwrap_or(Value::Null),
                    n => {
                        let n: usize = n.parse().map_err(|_| format!("bad index {ix}"))?;
                        arr.get(n)
                            .cloned()
                            .ok_or_else(|| format!("{name}[{n}]: only {} records", arr.len()))?
                    }
                }
            }
        };
        i += 1;
    }
    match (unit, units) {
        (Some(ours), Some(oracle)) => convert(cur, ours, oracle),
        _ => Ok(cur),
    }
}

fn split_segments(path: &str) -> Vec<(String, Option<String>)> {
    path.split('.')
        .filter(|s| !s.is_empty())
        .map(|s| match s.split_once('[') {
            Some((n, ix)) => (n.to_string(), Some(ix.trim_end_matches(']').to_string())),
            None => (s.to_string(), None),
        })
        .collect()
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Storage precision OpenREM applies to a field (spec 2.8.1), in decimal places.
fn storage_dp(path: &str) -> Option<i32> {
    if path.starts_with("derived view:") {
        // Derived views apply OpenREM's storage rounding themselves.
        return None;
    }
    let field = path.rsplit('.').next().unwrap_or(path);
    Some(match field {
        "exposure_time" | "number_of_pulses" | "exposure" | "total_fluoro_time" => 2,
        "accumulated_average_glandular_dose"
        | "dlp_notification_value"
        | "ctdivol_notification_value" => 4,
        "dose_area_product" => 10,
        f if f.contains("dose_area_product") => 12,
        "patient_age_decimal" => 1,
        _ => 8,
    })
}

fn round_dp(v: f64, dp: i32) -> f64 {
    let s = 10f64.powi(dp);
    (v * s).round() / s
}

/// Whether two scalar values are the same for the oracle's `compare` kind.
fn same(path: &str, compare: &str, expected: &Value, actual: &Value) -> bool {
    if compare.starts_with("abs diff rounds to 0 at 7") {
        // assertAlmostEqual: numbers within 7 places; anything else passes on equality.
        return match (expected, actual) {
            (Value::Number(_), _) | (_, Value::Number(_)) => {
                match (as_f64(expected), as_f64(actual)) {
                    (Some(e), Some(a)) => ((e - a) * 1e7).round() == 0.0,
                    _ => false,
                }
            }
            _ => expected == actual,
        };
    }
    match (expected, actual) {
        (Value::Null, a) => a.is_null() || a.as_str() == Some(""),
        (Value::Number(_), a) => match (as_f64(expected), as_f64(a)) {
            (Some(e), Some(a)) => {
                let a = storage_dp(path).map_or(a, |dp| round_dp(a, dp));
                e == a || ((e - a) / e.abs().max(1e-300)).abs() <= 1e-9
            }
            _ => false,
        },
        (Value::String(e), Value::String(a)) => e == a || same_temporal(e, a),
        (Value::String(e), a @ Value::Number(_)) => as_f64(a)
            .zip(e.parse::<f64>().ok())
            .is_some_and(|(a, e)| a == e),
        (Value::Bool(e), Value::Bool(a)) => e == a,
        (Value::Object(e), a) if e.contains_key("multiset") => {
            let mut want: Vec<String> = e["multiset"]
                .as_array()
                .map(|v| v.iter().map(scalar_key).collect())
                .unwrap_or_default();
            let mut got: Vec<String> = a
                .as_array()
                .map(|v| v.iter().map(scalar_key).collect())
                .unwrap_or_default();
            want.sort();
            got.sort();
            want == got
        }
        (Value::Array(e), Value::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(e, a)| same(path, compare, e, a))
        }
        _ => false,
    }
}

fn scalar_key(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.as_f64().map(|f| format!("{f}")).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// Dates and times written with different fractional-second digits are the same instant.
fn same_temporal(e: &str, a: &str) -> bool {
    let norm = |s: &str| -> Option<String> {
        let (main, frac) = match s.rsplit_once('.') {
            Some((m, f)) if f.chars().all(|c| c.is_ascii_digit()) => (m, f),
            _ => (s, ""),
        };
        if !main.contains(':') && !main.contains('-') {
            return None;
        }
        let frac = frac.trim_end_matches('0');
        Some(if frac.is_empty() {
            main.to_string()
        } else {
            format!("{main}.{frac}")
        })
    };
    matches!((norm(e), norm(a)), (Some(x), Some(y)) if x == y)
}

/// Study list policy while importing: one study per report, an identical SOP Instance UID
/// imported again changes nothing.
pub trait Studies {
    fn import(&mut self, report: rdsr::DoseReport);
    fn studies(&self) -> Vec<(rdsr::DoseReport, Vec<String>)>;
}

/// Tests the harness cannot judge, with the reason (features outside the RDSR importer).
pub fn out_of_scope(test: &Value) -> Option<&'static str> {
    let id = test["id"].as_str().unwrap_or("");
    if !test["imports_rdsr"].as_bool().unwrap_or(false)
        && test["steps"]
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s.get("import").is_some()))
    {
        return Some("imports DICOM images (an image-header importer, not an RDSR importer)");
    }
    if id.starts_with("test_rf_high_dose_alert.py") {
        return Some(
            "fluoroscopy high-dose alerts (spec 6): a store feature, checked against this oracle by store/tests/alerts.rs",
        );
    }
    None
}

/// Paths the RDSR importer does not produce, with the reason.
pub fn path_out_of_scope(_test_id: &str, path: &str) -> Option<&'static str> {
    if path.ends_with("not_patient_indicator") {
        return Some("not-patient indicator: site-configured ID/name patterns, a storage policy");
    }
    if path == "unique_equipment_count" || path.ends_with("].identity") {
        return Some("equipment-identity table and study rows: the storage layer");
    }
    None
}

/// Runs one oracle test and adds its outcomes to `tally`.
pub fn run_test(
    shared: &Path,
    test: &Value,
    default_privacy: &Value,
    allow: &AllowList,
    studies: &mut dyn Studies,
    tally: &mut Tally,
) {
    let id = test["id"].as_str().unwrap_or("?").to_string();
    let privacy = Privacy::from(test.get("patient_id_settings"), default_privacy);
    let scope = out_of_scope(test);
    let files = shared.join("corpus/files/openrem-0.10.0");
    for step in test["steps"].as_array().into_iter().flatten() {
        if let Some(file) = step.get("import").and_then(Value::as_str) {
            if scope.is_some() {
                continue;
            }
            match rdsr::parse_file(files.join(file)) {
                Ok(r) => studies.import(r),
                Err(e) if e.kind() == rdsr::ErrorKind::NotADoseReport => {}
                Err(e) => {
                    tally.mismatched += 1;
                    tally
                        .lines
                        .push(format!("MISMATCH {id}: import {file}: {e}"));
                }
            }
            continue;
        }
        if let (Some(input), Some(of)) = (step.get("input"), step.get("unit_test_of")) {
            let expected = &step["expected"];
            let got = crate::views::unit_test(of.as_str().unwrap_or(""), input);
            let path = format!("unit_test_of {of}");
            record(tally, allow, &id, &path, step, expected, got);
            continue;
        }
        if let (Some(view), Some(study)) = (step.get("derived_view"), step.get("study")) {
            let path = format!("derived view: {}", study.as_str().unwrap_or("?"));
            if let Some(reason) = scope {
                tally.out_of_scope += 1;
                tally
                    .lines
                    .push(format!("out of scope {id}: {path}: {reason}"));
                continue;
            }
            let _ = view;
            let got = crate::views::derived(study.as_str().unwrap_or(""), &studies.studies());
            record(tally, allow, &id, &path, step, &step["expected"], got);
            continue;
        }
        let Some(path) = step.get("path").and_then(Value::as_str) else {
            continue;
        };
        let expected = &step["expected"];
        if let Some(reason) = scope.or_else(|| path_out_of_scope(&id, path)) {
            tally.out_of_scope += 1;
            tally
                .lines
                .push(format!("out of scope {id}: {path}: {reason}"));
            continue;
        }
        if path.starts_with("study(") || path.starts_with("every stored") {
            let got = crate::views::special(path, &studies.studies());
            record(tally, allow, &id, path, step, expected, got);
            continue;
        }
        let views: Vec<Value> = studies
            .studies()
            .iter()
            .map(|(r, sops)| study_view(r, sops, privacy))
            .collect();
        let got = resolve(&views, path, step.get("units").and_then(Value::as_str));
        record(tally, allow, &id, path, step, expected, got);
    }
}

fn record(
    tally: &mut Tally,
    allow: &AllowList,
    id: &str,
    path: &str,
    step: &Value,
    expected: &Value,
    got: Result<Value, String>,
) {
    let compare = step["compare"].as_str().unwrap_or("equal");
    let ok = match &got {
        Ok(v) if compare == "truthiness" => {
            let truthy = !matches!(v, Value::Null | Value::Bool(false))
                && v.as_str() != Some("")
                && v.as_f64() != Some(0.0)
                && v.as_array().is_none_or(|a| !a.is_empty());
            Some(truthy) == expected.as_bool()
        }
        Ok(v) if compare == "membership" => expected
            .as_array()
            .is_some_and(|e| e.iter().any(|e| same(path, "equal", e, v))),
        Ok(v) => same(path, compare, expected, v),
        Err(_) => false,
    };
    if ok {
        tally.matched += 1;
        return;
    }
    let got_text = match &got {
        Ok(v) => v.to_string(),
        Err(e) => format!("unresolved: {e}"),
    };
    if let Some((bug, reason)) = allow.get(id, path) {
        if bug.starts_with("pending-quirk") {
            tally.pending += 1;
            tally.used_allow.insert((id.to_string(), path.to_string()));
            tally.lines.push(format!(
                "pending ({bug}) {id}: {path}: OpenREM {expected}, rdsr {got_text}: {reason}"
            ));
            return;
        }
        tally.allowed += 1;
        tally.used_allow.insert((id.to_string(), path.to_string()));
        tally.lines.push(format!(
            "different ({bug}) {id}: {path}: OpenREM {expected}, rdsr {got_text}: {reason}"
        ));
        return;
    }
    tally.mismatched += 1;
    tally.lines.push(format!(
        "MISMATCH {id}: {path}: expected {expected}, got {got_text}"
    ));
}

/// Checks the allow-list has no stale entries for the tests that ran.
pub fn stale_allow_entries(allow: &AllowList, tally: &Tally, ran: &[String]) -> Vec<String> {
    allow
        .entries()
        .filter(|((test, _), _)| ran.contains(test))
        .filter(|(k, _)| !tally.used_allow.contains(*k))
        .map(|((t, p), _)| format!("{t}\t{p}"))
        .collect()
}
