//! Neutral view of projection reports (`projection_report.*`).

use serde_json::Value;

/// `projection_report`, `modality_type` and `summary` of a projection report.
pub fn view(
    _report: &rdsr::DoseReport,
    _p: &rdsr::model::ProjectionReport,
) -> Vec<(String, Value)> {
    Vec::new()
}

/// DAP unit tests.
pub fn unit_test(of: &str, _input: &Value) -> Result<Value, String> {
    Err(format!("unit test {of:?} not mapped yet"))
}

/// Paths such as `study(date ...)` and `every stored filter ...`.
pub fn special(path: &str, _studies: &[(rdsr::DoseReport, Vec<String>)]) -> Result<Value, String> {
    Err(format!("special path {path:?} not mapped yet"))
}

/// The fluoroscopy detail totals table.
pub fn derived(study: &str, _studies: &[(rdsr::DoseReport, Vec<String>)]) -> Result<Value, String> {
    Err(format!("derived view for {study:?} not mapped yet"))
}
