//! Neutral view of CT reports (`ct_report.*`).
//!
//! The records serialise almost as the oracle names them; the view renames the two
//! relations (`ct_accumulated`, `ct_events`), adds `xray_sources_sorted_by_identification`,
//! shows date-times as naive local times (OpenREM stores no offset) and the single Source of
//! Dose Information OpenREM keeps.

use serde_json::{Map, Value};

use rdsr::model::ct::CtEvent;
use rdsr::model::{CtReport, DateTime, Summary};

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("CT records serialise")
}

/// A date-time as OpenREM stores it: local, naive, all digits the file gave.
fn naive(dt: Option<&DateTime>) -> Value {
    dt.map_or(Value::Null, |d| {
        Value::String(d.local.format("%Y-%m-%dT%H:%M:%S%.f").to_string())
    })
}

fn event_view(e: &CtEvent) -> Value {
    let mut v = to_value(e);
    if let Value::Object(m) = &mut v {
        let sorted: Vec<Value> = e
            .sources_sorted_by_identification()
            .into_iter()
            .map(to_value)
            .collect();
        m.insert(
            "xray_sources_sorted_by_identification".into(),
            Value::Array(sorted),
        );
    }
    v
}

/// `ct_report`, `modality_type` and `summary` of a CT report.
pub fn view(report: &rdsr::DoseReport, c: &CtReport) -> Vec<(String, Value)> {
    let mut r = match to_value(c) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    r.remove("accumulated");
    r.remove("events");
    r.insert(
        "start_of_xray_irradiation".into(),
        naive(c.start_of_xray_irradiation.as_ref()),
    );
    r.insert(
        "end_of_xray_irradiation".into(),
        naive(c.end_of_xray_irradiation.as_ref()),
    );
    r.insert(
        "source_of_dose_information".into(),
        c.source_of_dose_information
            .first()
            .map_or(Value::Null, to_value),
    );
    r.insert(
        "ct_accumulated".into(),
        c.accumulated.as_ref().map_or(Value::Null, to_value),
    );
    r.insert(
        "ct_events".into(),
        Value::Array(c.events.iter().map(event_view).collect()),
    );
    vec![
        ("ct_report".into(), Value::Object(r)),
        ("modality_type".into(), Value::String("CT".into())),
        ("summary".into(), to_value(&Summary::of_report(report))),
    ]
}
