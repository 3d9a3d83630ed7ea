//! [`DoseReport`]: one dose report document as owned, typed, serialisable data.

use serde::{Deserialize, Serialize};

use super::projection::ProjectionModality;
use super::quirk::{Change, NonConformance};
use super::{
    CtReport, Equipment, Patient, PatientStudy, ProjectionReport, RadiopharmaceuticalReport,
    StudyInfo,
};
use crate::error::Diagnostic;

/// The root template of a dose report.
///
/// In JSON a plain string: `"projection"`, `"ct"`, `"radiopharmaceutical"`, `"unknown"`, or
/// `"other:<id>"` for another declared template identifier (`"other:10030"`). The object
/// form written before schema version 1 (`{"template": "ct"}`) is still read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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

    /// The JSON name (see the type's documentation).
    fn json_name(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Template::Projection => "projection".into(),
            Template::Ct => "ct".into(),
            Template::Radiopharmaceutical => "radiopharmaceutical".into(),
            Template::Other(id) => format!("{OTHER_PREFIX}{id}").into(),
            Template::Unknown => "unknown".into(),
        }
    }

    fn from_json_name(name: &str) -> Option<Template> {
        Some(match name {
            "projection" => Template::Projection,
            "ct" => Template::Ct,
            "radiopharmaceutical" => Template::Radiopharmaceutical,
            "unknown" => Template::Unknown,
            other => Template::Other(other.strip_prefix(OTHER_PREFIX)?.to_string()),
        })
    }

    /// The template of a declared template identifier (`10001`, `10011`, `10021`, other).
    pub(crate) fn from_id(id: &str) -> Template {
        match id {
            "10001" => Template::Projection,
            "10011" => Template::Ct,
            "10021" => Template::Radiopharmaceutical,
            other => Template::Other(other.to_string()),
        }
    }
}

const OTHER_PREFIX: &str = "other:";

impl Serialize for Template {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.json_name())
    }
}

impl<'de> Deserialize<'de> for Template {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Template, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Template;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a template name such as \"ct\" or \"other:10030\"")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Template, E> {
                Template::from_json_name(v)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(v), &self))
            }

            // The adjacently tagged object written before schema version 1.
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Template, A::Error> {
                let (mut tag, mut id) = (None::<String>, None::<String>);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "template" => tag = Some(map.next_value()?),
                        "id" => id = Some(map.next_value()?),
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                let tag = tag.ok_or_else(|| serde::de::Error::missing_field("template"))?;
                match (tag.as_str(), id) {
                    ("other", Some(id)) => Ok(Template::Other(id)),
                    (name, _) => Template::from_json_name(name).ok_or_else(|| {
                        serde::de::Error::invalid_value(serde::de::Unexpected::Str(name), &self)
                    }),
                }
            }
        }
        deserializer.deserialize_any(Visitor)
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
    /// TID 10021: radiopharmaceutical administration (NM, PET).
    Radiopharmaceutical(RadiopharmaceuticalReport),
    /// A template this crate does not map (the header records are still filled).
    Unmapped,
}

/// A quirk of the table applied while reading this report: which vendor defect, and every
/// change its fix made.
///
/// The entry's summary, reference and kind are copied in, so a report stored as JSON still
/// explains itself when the table has changed since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AppliedQuirk {
    /// The quirk's id in the table.
    pub id: String,
    /// The entry's one-line summary.
    #[serde(default)]
    pub summary: String,
    /// The entry's reference (upstream issue, DICOM CP or ticket).
    #[serde(default)]
    pub reference: String,
    /// The kind of non-conformance.
    pub kind: NonConformance,
    /// What the fix changed, in the order made (at least one).
    #[serde(default)]
    pub changes: Vec<Change>,
}

impl AppliedQuirk {
    /// The record of the quirk `id` (with its entry's summary, reference and kind) applied
    /// with these changes.
    pub fn new(
        id: impl Into<String>,
        summary: impl Into<String>,
        reference: impl Into<String>,
        kind: NonConformance,
        changes: Vec<Change>,
    ) -> AppliedQuirk {
        AppliedQuirk {
            id: id.into(),
            summary: summary.into(),
            reference: reference.into(),
            kind,
            changes,
        }
    }
}

/// The version of the JSON shape of [`DoseReport`] (its `schema_version` key), raised on every
/// change that is not an addition (a renamed, removed or re-typed key, a changed unit).
///
/// Keys added without a version change are optional to readers: every list and optional
/// value has a default, so JSON written before a key existed still reads, and unknown keys
/// are ignored. Reading JSON whose `schema_version` is greater than this fails.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// The `schema_version` key: always [`JSON_SCHEMA_VERSION`] when written; on reading, absent
/// (JSON written before versioning) or at most [`JSON_SCHEMA_VERSION`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct SchemaVersion;

impl Serialize for SchemaVersion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(JSON_SCHEMA_VERSION)
    }
}

impl<'de> Deserialize<'de> for SchemaVersion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let v = u64::deserialize(deserializer)?;
        if v > u64::from(JSON_SCHEMA_VERSION) {
            return Err(serde::de::Error::custom(format!(
                "schema_version {v} is newer than this version of rdsr reads ({JSON_SCHEMA_VERSION})"
            )));
        }
        Ok(SchemaVersion)
    }
}

/// One dose report document as owned, typed records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DoseReport {
    /// The JSON shape's version (see [`JSON_SCHEMA_VERSION`]); first in the JSON object.
    #[serde(default)]
    pub(crate) schema_version: SchemaVersion,
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
    /// Timezone Offset From UTC (0008,0201), `"+HH:MM"` in JSON; `None` when absent or
    /// malformed (a malformed value gives the diagnostic
    /// `datetime.timezone_offset_malformed`). Every date-time of the report without an offset
    /// of its own carries this one; without it they are naive ([`crate::model::DateTime`]).
    #[serde(with = "crate::model::datetime::offset_serde")]
    pub timezone_offset_from_utc: Option<chrono::FixedOffset>,
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
    /// Vendor defects worked around: one record per quirk applied, in table order, each with
    /// every change it made.
    #[serde(default)]
    pub applied_quirks: Vec<AppliedQuirk>,
    /// What the importer coped with.
    #[serde(default)]
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
            (ReportBody::Radiopharmaceutical(_), _) | (_, Template::Radiopharmaceutical) => {
                Some(Modality::NuclearMedicine)
            }
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

    /// The radiopharmaceutical body, if this is a TID 10021 report.
    pub fn radiopharmaceutical(&self) -> Option<&RadiopharmaceuticalReport> {
        match &self.body {
            ReportBody::Radiopharmaceutical(r) => Some(r),
            _ => None,
        }
    }
}
