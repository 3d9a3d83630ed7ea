//! The oracle's neutral view of this crate's records.

mod ct_view;
mod projection_view;

use serde_json::Value;

use crate::harness::{PerReport, Studies};

/// The study policy for a test (study assembly will replace the per-report policy).
pub fn studies_for(_test_id: &str) -> Box<dyn Studies> {
    Box::new(PerReport::default())
}

/// Tests whose study list needs study assembly (cumulative and continued reports).
pub fn needs_assembly(test_id: &str) -> bool {
    test_id.contains("ImportMultipleRDSRs") || test_id.contains("ImportContinuedRDSRs")
}

/// The template-specific parts of one study's view: `projection_report`, `ct_report`,
/// `modality_type`, `summary`.
pub fn report_views(report: &rdsr::DoseReport) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    if let Some(p) = report.projection() {
        out.extend(projection_view::view(report, p));
    }
    if let Some(c) = report.ct() {
        out.extend(ct_view::view(report, c));
    }
    out
}

/// Steps that test a unit conversion directly.
pub fn unit_test(of: &str, input: &Value) -> Result<Value, String> {
    projection_view::unit_test(of, input)
}

/// Steps with a path outside the `study[i]` form.
pub fn special(path: &str, studies: &[(rdsr::DoseReport, Vec<String>)]) -> Result<Value, String> {
    projection_view::special(path, studies)
}

/// Derived views (tables computed from the stored records).
pub fn derived(study: &str, studies: &[(rdsr::DoseReport, Vec<String>)]) -> Result<Value, String> {
    projection_view::derived(study, studies)
}
