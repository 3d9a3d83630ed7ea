//! Neutral view of CT reports (`ct_report.*`).

use serde_json::Value;

/// `ct_report`, `modality_type` and `summary` of a CT report.
pub fn view(_report: &rdsr::DoseReport, _c: &rdsr::model::CtReport) -> Vec<(String, Value)> {
    Vec::new()
}
