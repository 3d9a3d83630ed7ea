//! Neutral view of projection reports (`projection_report.*`).
//!
//! The view renames and reshapes this crate's records into the oracle's naming; it adds no
//! information the records do not hold, with two presentational exceptions that mirror how
//! OpenREM stores the same facts:
//!
//! * OpenREM keeps TID 10007's rows (DAP / dose totals, frame count, reference point) in its
//!   TID 10004 record as well, so `fluoro_and_acquisition_totals` shows them too;
//! * OpenREM stores the device participant of an event under both detector and source ([OpenREM B10](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b10)),
//!   so both show the event's device participants; and OpenREM stores its import-time derived
//!   exposure time and mean tube current in the measured fields, so the view shows the
//!   stated value, or else the `_derived` one.

use serde_json::{Map, Value, json};

use rdsr::internals::{Quantity, normalise};
use rdsr::model::projection::{AccumulatedPlane, ProjectionEvent, Source};
use rdsr::model::{ProjectionReport, Summary};
use rdsr::sr::OwnedCode;

/// `projection_report`, `modality_type` and `summary` of a projection report.
pub fn view(report: &rdsr::DoseReport, p: &ProjectionReport) -> Vec<(String, Value)> {
    let _ = report;
    vec![
        ("projection_report".into(), projection_report(p)),
        (
            "modality_type".into(),
            p.modality_type
                .map_or(Value::Null, |m| Value::String(m.as_str().into())),
        ),
        (
            "summary".into(),
            serde_json::to_value(Summary::of_report(report)).expect("summary serialises"),
        ),
    ]
}

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("record serialises")
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn code(c: &Option<OwnedCode>) -> Value {
    to_value(c)
}

fn projection_report(p: &ProjectionReport) -> Value {
    let mut v = object(to_value(p));
    v.insert(
        "source_of_dose_information".into(),
        code(&p.source_of_dose_information.first().cloned()),
    );
    v.insert(
        "accumulated_planes".into(),
        Value::Array(p.accumulated_planes.iter().map(plane).collect()),
    );
    v.insert(
        "events".into(),
        Value::Array(p.events.iter().map(event).collect()),
    );
    Value::Object(v)
}

fn plane(p: &AccumulatedPlane) -> Value {
    let mut v = object(to_value(p));
    let totals = p.projection_totals.as_ref().map(|t| {
        let mut o = object(to_value(t));
        rename_reference_point(&mut o);
        o
    });
    if let Some(f) = &p.fluoro_and_acquisition_totals {
        let mut o = object(to_value(f));
        if let Some(t) = &totals {
            o.extend(t.clone());
        }
        v.insert("fluoro_and_acquisition_totals".into(), Value::Object(o));
    }
    v.insert(
        "projection_totals".into(),
        totals.map_or(Value::Null, Value::Object),
    );
    Value::Object(v)
}

fn rename_reference_point(o: &mut Map<String, Value>) {
    if let Some(c) = o.remove("reference_point_definition") {
        o.insert("reference_point_definition_coded".into(), c);
    }
}

fn event(e: &ProjectionEvent) -> Value {
    let mut v = object(to_value(e));
    rename_reference_point(&mut v);
    let participants = to_value(&e.device_participants);
    let mut detector = object(to_value(&e.detector));
    detector.insert("device_participants".into(), participants.clone());
    v.insert("detector".into(), Value::Object(detector));
    let mut source = source(&e.source);
    source.insert("device_participants".into(), participants);
    v.insert("source".into(), Value::Object(source));
    Value::Object(v)
}

fn source(s: &Source) -> Map<String, Value> {
    let mut v = object(to_value(s));
    let list = |values: &[f64], key: &str| {
        Value::Array(values.iter().map(|x| json!({ key: x })).collect())
    };
    v.insert("kvp_values".into(), list(&s.kvp_kv, "kvp_kv"));
    v.insert(
        "tube_current_values".into(),
        list(&s.xray_tube_current_ma, "xray_tube_current_ma"),
    );
    v.insert(
        "pulse_width_values".into(),
        list(&s.pulse_width_s, "pulse_width_s"),
    );
    v.insert(
        "exposure_values".into(),
        list(&s.exposure_uas, "exposure_uas"),
    );
    v.insert(
        "grids".into(),
        Value::Array(s.grids.iter().map(|g| json!({ "grid_code": g })).collect()),
    );
    let stated = |x: Option<f64>| x.filter(|x| *x != 0.0);
    v.insert(
        "average_xray_tube_current_ma".into(),
        to_value(
            &stated(s.average_xray_tube_current_ma)
                .or(s.average_xray_tube_current_derived_ma)
                .or(s.average_xray_tube_current_ma),
        ),
    );
    v.insert(
        "exposure_time_s".into(),
        to_value(
            &stated(s.exposure_time_s)
                .or(s.exposure_time_derived_s)
                .or(s.exposure_time_s),
        ),
    );
    v
}

/// DAP unit tests: the value in Gy·m² after unit normalisation.
pub fn unit_test(of: &str, input: &Value) -> Result<Value, String> {
    if !of.starts_with("DAP unit normalisation") {
        return Err(format!("unit test {of:?} not mapped"));
    }
    let value = input["NumericValue"]
        .as_f64()
        .ok_or_else(|| format!("no NumericValue in {input}"))?;
    let unit = input["MeasurementUnitsCodeSequence"]["CodeValue"].as_str();
    Ok(json!(
        normalise(Quantity::DoseAreaProduct, value, unit).value()
    ))
}

/// Paths such as `study(date ...)` and `every stored filter ...`.
pub fn special(path: &str, studies: &[(rdsr::DoseReport, Vec<String>)]) -> Result<Value, String> {
    if path.starts_with("every stored filter of every event")
        && path.ends_with("xray_filter_thickness_maximum >= xray_filter_thickness_minimum")
    {
        let ok = studies
            .iter()
            .filter_map(|(r, _)| r.projection())
            .flat_map(|p| &p.events)
            .flat_map(|e| &e.source.filters)
            .all(|f| {
                match (
                    f.xray_filter_thickness_minimum_mm,
                    f.xray_filter_thickness_maximum_mm,
                ) {
                    (Some(min), Some(max)) => max >= min,
                    _ => true,
                }
            });
        return Ok(Value::Bool(ok));
    }
    Err(format!("special path {path:?} not mapped"))
}

/// OpenREM's storage precision (spec 2.8.1), applied before the detail table is compared
/// with the oracle, which states its expectations "after storage rounding".
fn stored(v: f64, dp: i32) -> f64 {
    let s = 10f64.powi(dp);
    (v * s).round() / s
}

/// The fluoroscopy detail totals table (`test_rf_detail.py`): rows
/// `[label, DAP cGy·cm², dose at RP Gy, time s]`.
pub fn derived(study: &str, studies: &[(rdsr::DoseReport, Vec<String>)]) -> Result<Value, String> {
    let date = study
        .strip_prefix("study with study_date ")
        .and_then(|s| s.split_whitespace().next())
        .ok_or_else(|| format!("derived view for {study:?} not mapped"))?;
    let report = studies
        .iter()
        .map(|(r, _)| r)
        .find(|r| r.study.study_date.is_some_and(|d| d.to_string() == date))
        .ok_or_else(|| format!("no study dated {date}"))?;
    let p = report
        .projection()
        .ok_or_else(|| format!("study dated {date} is not a projection report"))?;
    Ok(Value::Array(detail_rows(p)))
}

fn detail_rows(p: &ProjectionReport) -> Vec<Value> {
    const DAP_DP: i32 = 12; // accumulated DAP in Gy·m²
    const DOSE_DP: i32 = 12;
    const TIME_DP: i32 = 2;
    const EVENT_DAP_DP: i32 = 10;
    let cgy_cm2 = |gy_m2: f64| gy_m2 * 1e6;
    let sum = |f: &dyn Fn(&AccumulatedPlane) -> Option<f64>, dp: i32| -> f64 {
        p.accumulated_planes
            .iter()
            .filter_map(f)
            .map(|v| stored(v, dp))
            .sum()
    };
    let fluoro = |f: fn(&rdsr::model::projection::FluoroAcquisitionTotals) -> Option<f64>| {
        move |pl: &AccumulatedPlane| pl.fluoro_and_acquisition_totals.as_ref().and_then(f)
    };
    let fluoro_time = sum(&fluoro(|t| t.total_fluoro_time_s), TIME_DP);
    let acquisition_time = sum(&fluoro(|t| t.total_acquisition_time_s), TIME_DP);
    let mut rows = vec![
        json!([
            "Fluoroscopy",
            cgy_cm2(sum(
                &fluoro(|t| t.fluoro_dose_area_product_total_gy_m2),
                DAP_DP
            )),
            sum(&fluoro(|t| t.fluoro_dose_rp_total_gy), DOSE_DP),
            fluoro_time
        ]),
        json!([
            "Acquisition",
            cgy_cm2(sum(
                &fluoro(|t| t.acquisition_dose_area_product_total_gy_m2),
                DAP_DP
            )),
            sum(&fluoro(|t| t.acquisition_dose_rp_total_gy), DOSE_DP),
            acquisition_time
        ]),
    ];
    // One row per acquisition event type (stationary, stepping, rotational), by code, in
    // order of first appearance.
    let acquisition_types = [
        &rdsr::sr::codes::PROJECTION_STATIONARY_ACQUISITION,
        &rdsr::sr::codes::STEPPING_ACQUISITION,
        &rdsr::sr::codes::ROTATIONAL_ACQUISITION,
    ];
    let mut seen: Vec<&OwnedCode> = Vec::new();
    for e in &p.events {
        if let Some(t) = &e.irradiation_event_type {
            if acquisition_types.iter().any(|k| t.is(k))
                && !seen
                    .iter()
                    .any(|s| s.value == t.value && s.scheme == t.scheme)
            {
                seen.push(t);
            }
        }
    }
    for t in seen {
        let events: Vec<&ProjectionEvent> = p
            .events
            .iter()
            .filter(|e| {
                e.irradiation_event_type
                    .as_ref()
                    .is_some_and(|x| x.value == t.value && x.scheme == t.scheme)
            })
            .collect();
        let total = |f: &dyn Fn(&ProjectionEvent) -> Option<f64>, dp: i32| -> f64 {
            events
                .iter()
                .filter_map(|e| f(e))
                .map(|v| stored(v, dp))
                .sum()
        };
        rows.push(json!([
            format!("- {}", t.meaning),
            cgy_cm2(total(&|e| e.dose_area_product_gy_m2, EVENT_DAP_DP)),
            total(&|e| e.source.dose_rp_gy, DOSE_DP),
            total(&|e| e.source.irradiation_duration_s, TIME_DP)
        ]));
    }
    let totals = |f: fn(&rdsr::model::projection::ProjectionTotals) -> Option<f64>| {
        move |pl: &AccumulatedPlane| pl.projection_totals.as_ref().and_then(f)
    };
    rows.push(json!([
        "Total",
        cgy_cm2(sum(&totals(|t| t.dose_area_product_total_gy_m2), DAP_DP)),
        sum(&totals(|t| t.dose_rp_total_gy), DOSE_DP),
        fluoro_time + acquisition_time
    ]));
    rows
}
