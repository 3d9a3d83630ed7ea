//! [`DoseReport`]: one dose report document as owned, typed, serialisable data.

use dicom_core::Tag;
use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Severity};
use crate::sr::{Document, codes};

/// The root template of a dose report.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "template", content = "id")]
#[non_exhaustive]
pub enum Template {
    /// TID 10001 Projection X-Ray Radiation Dose (RF, DX, MG).
    Projection,
    /// TID 10011 CT Radiation Dose.
    Ct,
    /// TID 10021 Radiopharmaceutical Radiation Dose.
    Radiopharmaceutical,
    /// Another declared template identifier.
    Other(String),
    /// No template declared and none recognisable from the content.
    Unknown,
}

impl Template {
    /// The TID number as a string (`10001`), when known.
    pub fn id(&self) -> Option<&str> {
        match self {
            Template::Projection => Some("10001"),
            Template::Ct => Some("10011"),
            Template::Radiopharmaceutical => Some("10021"),
            Template::Other(s) => Some(s),
            Template::Unknown => None,
        }
    }

    fn from_id(id: &str) -> Template {
        match id {
            "10001" => Template::Projection,
            "10011" => Template::Ct,
            "10021" => Template::Radiopharmaceutical,
            other => Template::Other(other.to_string()),
        }
    }
}

/// How the template was determined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateSource {
    /// From the root's Content Template Sequence.
    Declared,
    /// Inferred from the root's content (procedure reported, characteristic containers).
    Inferred,
    /// Neither worked.
    None,
}

/// Determines the template: the declared identifier, else the root's content.
///
/// The content rule recognises projection reports (procedure reported 113704 or
/// mammography, or 113702 / 113706 containers) and CT reports (procedure reported
/// P5-08000, or 113811 / 113819 containers) anywhere among the root's children.
pub fn detect_template(doc: &Document<'_>) -> (Template, TemplateSource) {
    if let Some(id) = doc.template_id() {
        return (Template::from_id(id), TemplateSource::Declared);
    }
    let root = doc.root();
    let projection = root.children().any(|c| {
        c.is(&codes::ACCUMULATED_XRAY_DOSE_DATA)
            || c.is(&codes::IRRADIATION_EVENT_XRAY_DATA)
            || (c.is(&codes::PROCEDURE_REPORTED)
                && c.code_value().is_some_and(|v| {
                    v.is(&codes::PROJECTION_XRAY) || v.is(&codes::MAMMOGRAPHY)
                }))
    });
    let ct = root.children().any(|c| {
        c.is(&codes::CT_ACCUMULATED_DOSE_DATA)
            || c.is(&codes::CT_ACQUISITION)
            || (c.is(&codes::PROCEDURE_REPORTED)
                && c.code_value()
                    .is_some_and(|v| v.is(&codes::COMPUTED_TOMOGRAPHY_XRAY)))
    });
    match (projection, ct) {
        (true, false) => (Template::Projection, TemplateSource::Inferred),
        (false, true) => (Template::Ct, TemplateSource::Inferred),
        _ => (Template::Unknown, TemplateSource::None),
    }
}

/// One dose report document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DoseReport {
    /// SOP Class UID.
    pub sop_class_uid: String,
    /// SOP Instance UID (0008,0018).
    pub sop_instance_uid: Option<String>,
    /// Study Instance UID (0020,000D).
    pub study_instance_uid: Option<String>,
    /// Series Instance UID (0020,000E).
    pub series_instance_uid: Option<String>,
    /// The root template.
    pub template: Template,
    /// How the template was determined.
    pub template_source: TemplateSource,
    /// Number of irradiation events (113706 and 113819 containers) in the content tree.
    pub irradiation_events: usize,
    /// What the importer coped with.
    pub diagnostics: Vec<Diagnostic>,
}

impl DoseReport {
    /// Maps a content tree to a report.
    pub fn from_document(doc: &Document<'_>) -> DoseReport {
        let ds = doc.dataset();
        let uid = |tag| ds.ascii_of(None, tag).map(str::to_string);
        let (template, template_source) = detect_template(doc);
        let mut diagnostics = doc.diagnostics().to_vec();
        match template_source {
            TemplateSource::Inferred => diagnostics.push(Diagnostic::new(
                Severity::Warning,
                Some("1".into()),
                "template.inferred",
                format!(
                    "no template identifier declared; TID {} inferred from the content",
                    template.id().unwrap_or("?")
                ),
            )),
            TemplateSource::None => diagnostics.push(Diagnostic::new(
                Severity::Error,
                Some("1".into()),
                "template.unknown",
                "no template identifier declared and none recognisable from the content",
            )),
            TemplateSource::Declared => {}
        }
        DoseReport {
            sop_class_uid: doc.sop_class_uid().unwrap_or_default().to_string(),
            sop_instance_uid: uid(Tag(0x0008, 0x0018)),
            study_instance_uid: uid(Tag(0x0020, 0x000D)),
            series_instance_uid: uid(Tag(0x0020, 0x000E)),
            template,
            template_source,
            irradiation_events: doc.count(&codes::IRRADIATION_EVENT_XRAY_DATA)
                + doc.count(&codes::CT_ACQUISITION),
            diagnostics,
        }
    }
}
