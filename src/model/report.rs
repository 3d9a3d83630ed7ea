//! [`DoseReport`]: one dose report document as owned, typed, serialisable data.

use serde::{Deserialize, Serialize};

use super::projection::ProjectionModality;
use super::{CtReport, Equipment, Patient, PatientStudy, ProjectionReport, StudyInfo};
use crate::error::Diagnostic;

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

    pub(crate) fn from_id(id: &str) -> Template {
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
    /// Set by a quirk for a document that declares none (see [`crate::quirks`]).
    Quirk,
    /// Neither.
    None,
}

/// The modality a dose report is about, from its template (and, for projection reports, the
/// equipment): not the header's Modality (0008,0060), which is `SR` for every dose report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Modality {
    /// Fluoroscopy (including interventional radiology), TID 10001.
    #[serde(rename = "RF")]
    Fluoroscopy,
    /// Radiography (integrated or cassette-based), TID 10001.
    #[serde(rename = "DX")]
    Radiography,
    /// Mammography, TID 10001.
    #[serde(rename = "MG")]
    Mammography,
    /// Computed tomography, TID 10011.
    #[serde(rename = "CT")]
    Ct,
    /// Nuclear medicine (radiopharmaceutical administration), TID 10021.
    #[serde(rename = "NM")]
    NuclearMedicine,
}

impl Modality {
    /// The DICOM modality string (`RF`, `DX`, `MG`, `CT`, `NM`).
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Fluoroscopy => "RF",
            Modality::Radiography => "DX",
            Modality::Mammography => "MG",
            Modality::Ct => "CT",
            Modality::NuclearMedicine => "NM",
        }
    }
}

impl From<ProjectionModality> for Modality {
    fn from(m: ProjectionModality) -> Modality {
        match m {
            ProjectionModality::Fluoroscopy => Modality::Fluoroscopy,
            ProjectionModality::Radiography => Modality::Radiography,
            ProjectionModality::Mammography => Modality::Mammography,
        }
    }
}

/// The template-specific body of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)]
pub enum ReportBody {
    /// TID 10001: projection X-ray (RF, DX, MG).
    Projection(ProjectionReport),
    /// TID 10011: CT.
    Ct(CtReport),
    /// A template this crate does not map (the header records are still filled).
    Unmapped,
}

/// A vendor defect worked around while reading this report (filled by the quirk table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AppliedQuirk {
    /// The quirk's id in the table.
    pub id: String,
    /// The content path that was changed (`None` for header-level fixes).
    pub path: Option<String>,
    /// What was there before.
    pub before: String,
    /// What is there now.
    pub after: String,
}

/// One dose report document as owned, typed records.
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
    /// Specific Character Set (0008,0005), as declared.
    pub specific_character_set: Option<String>,
    /// The root template.
    pub template: Template,
    /// How the template was determined.
    pub template_source: TemplateSource,
    /// Number of irradiation events (113706 and 113819 containers) in the content tree.
    pub irradiation_events: usize,
    /// General Study module.
    pub study: StudyInfo,
    /// Patient module.
    pub patient: Patient,
    /// Patient Study module.
    pub patient_study: PatientStudy,
    /// General Equipment module and device observer UID.
    pub equipment: Equipment,
    /// The template body.
    pub body: ReportBody,
    /// Vendor defects worked around, each with what it changed.
    pub applied_quirks: Vec<AppliedQuirk>,
    /// What the importer coped with.
    pub diagnostics: Vec<Diagnostic>,
}

impl DoseReport {
    /// The modality the report is about (RF, DX, MG, CT or NM), from its template; `None`
    /// for a projection report whose modality nothing decides, and for unknown templates.
    /// The header's Modality (`SR`) stays in [`StudyInfo::modality`].
    pub fn modality(&self) -> Option<Modality> {
        match (&self.body, &self.template) {
            (ReportBody::Projection(p), _) => p.modality_type.map(Modality::from),
            (ReportBody::Ct(_), _) | (_, Template::Ct) => Some(Modality::Ct),
            (_, Template::Radiopharmaceutical) => Some(Modality::NuclearMedicine),
            _ => None,
        }
    }

    /// The projection body, if this is a TID 10001 report.
    pub fn projection(&self) -> Option<&ProjectionReport> {
        match &self.body {
            ReportBody::Projection(p) => Some(p),
            _ => None,
        }
    }

    /// The CT body, if this is a TID 10011 report.
    pub fn ct(&self) -> Option<&CtReport> {
        match &self.body {
            ReportBody::Ct(c) => Some(c),
            _ => None,
        }
    }
}
