//! The oracle's neutral view of this crate's records.

mod ct_view;
mod projection_view;

use serde_json::Value;

use crate::harness::Studies;

/// The study policy: the library's study assembly (one study per Study Instance UID), in
/// the order studies were first imported.
pub fn studies_for(_test_id: &str) -> Box<dyn Studies> {
    Box::new(Assembled::default())
}

/// Studies as `rdsr::study::StudyAssembler` builds them.
#[derive(Default)]
pub struct Assembled {
    assembler: rdsr::study::StudyAssembler,
    order: Vec<String>,
}

impl Studies for Assembled {
    fn import(&mut self, report: rdsr::DoseReport) {
        let key = report.study_instance_uid.clone().unwrap_or_else(|| {
            format!(
                "(no study uid) {}",
                report.sop_instance_uid.clone().unwrap_or_default()
            )
        });
        if !self.order.contains(&key) {
            self.order.push(key);
        }
        self.assembler.add(report);
    }

    fn studies(&self) -> Vec<(rdsr::DoseReport, Vec<String>)> {
        self.order
            .iter()
            .filter_map(|k| self.assembler.study(k))
            .map(|s| {
                let sops = s
                    .sop_instance_uids()
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                (s.report, sops)
            })
            .collect()
    }
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
