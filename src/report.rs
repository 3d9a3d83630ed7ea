//! [`DoseReport`]: one dose report document as owned, typed, serialisable data.

use dicom_core::Tag;
use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, DiagnosticCode, Error, Location, Severity};
use crate::model::{CtReport, Equipment, Patient, PatientStudy, ProjectionReport, Study};
use crate::options::Mode;
use crate::options::Options;
use crate::quirks::{Change, FixInput, Hints, NonConformance, QuirkEntry};
use crate::sr::{Document, codes};
use crate::template::common::Mapper;
use crate::template::{ct, derived, projection};

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

/// The declared template (the root's Content Template Sequence), if any.
pub fn detect_template(doc: &Document<'_>) -> (Template, TemplateSource) {
    match doc.template_id() {
        Some(id) => (Template::from_id(id), TemplateSource::Declared),
        None => (Template::Unknown, TemplateSource::None),
    }
}

/// The template a document's content shows, for documents that declare none.
///
/// Projection reports: procedure reported 113704 or mammography, or 113702 / 113706
/// containers; CT reports: procedure reported P5-08000, or 113811 / 113819 containers;
/// anywhere among the root's children (not only the first, OpenREM B5).
pub fn infer_template(doc: &Document<'_>) -> Option<Template> {
    let root = doc.root();
    let projection = root.children().any(|c| {
        c.is(&codes::ACCUMULATED_XRAY_DOSE_DATA)
            || c.is(&codes::IRRADIATION_EVENT_XRAY_DATA)
            || (c.is(&codes::PROCEDURE_REPORTED)
                && c.code_value()
                    .is_some_and(|v| v.is(&codes::PROJECTION_XRAY) || v.is(&codes::MAMMOGRAPHY)))
    });
    let ct = root.children().any(|c| {
        c.is(&codes::CT_ACCUMULATED_DOSE_DATA)
            || c.is(&codes::CT_ACQUISITION)
            || (c.is(&codes::PROCEDURE_REPORTED)
                && c.code_value()
                    .is_some_and(|v| v.is(&codes::COMPUTED_TOMOGRAPHY_XRAY)))
    });
    match (projection, ct) {
        (true, false) => Some(Template::Projection),
        (false, true) => Some(Template::Ct),
        _ => None,
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
    /// The record of `entry` applied with these changes.
    pub fn new(entry: &QuirkEntry, changes: Vec<Change>) -> AppliedQuirk {
        AppliedQuirk {
            id: entry.id.clone(),
            summary: entry.summary.clone(),
            reference: entry.reference.clone(),
            kind: entry.kind,
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
    schema_version: SchemaVersion,
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
    pub study: Study,
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
    /// Maps a content tree to a report with default options (shipped quirks, lenient).
    pub fn from_document(doc: &Document<'_>) -> Result<DoseReport, Error> {
        DoseReport::map(doc, &Options::default())
    }

    /// Maps a content tree to a report: matches the quirk table, applies (lenient) or
    /// reports (strict) each matching fix, and runs the template mapper.
    pub fn map(doc: &Document<'_>, options: &Options) -> Result<DoseReport, Error> {
        let quirks = &options.quirks;
        let table = quirks.table()?;
        let device = crate::quirks::device_of(doc);
        let matched: Vec<_> = table
            .entries()
            .iter()
            .filter(|e| !quirks.is_disabled(&e.id) && e.matches.miss(&device).is_none())
            .filter_map(|e| quirks.registry().get(&e.fix).map(|f| (e, f.clone())))
            .collect();
        let strict = options.mode == Mode::Strict;
        let mut hints = Hints::default();
        // One record per matched entry; changes from before and after mapping together.
        let mut applied: Vec<AppliedQuirk> = matched
            .iter()
            .map(|(entry, _)| AppliedQuirk::new(entry, Vec::new()))
            .collect();
        let mut quirk_diagnostics = Vec::new();
        for ((entry, fix), record) in matched.iter().zip(&mut applied) {
            let input = FixInput {
                document: doc,
                params: &entry.params,
            };
            if strict {
                let mut scratch = Hints::default();
                let changes = fix.prepare(&input, &mut scratch);
                if fix.blocking() {
                    if let Some(c) = changes.first() {
                        return Err(Error::Unsupported {
                            location: Location {
                                path: c.path.clone(),
                                ..Location::default()
                            },
                            reason: format!(
                                "{} ({}): {}; strict mode does not apply quirk {}",
                                entry.summary, entry.kind, c.before, entry.id
                            ),
                        });
                    }
                }
                quirk_diagnostics.extend(strict_notes(entry, changes));
            } else {
                record.changes.extend(fix.prepare(&input, &mut hints));
            }
        }

        let (mut template, mut template_source) = detect_template(doc);
        if template_source == TemplateSource::None {
            if let Some(t) = hints.template.clone() {
                template = t;
                template_source = TemplateSource::Quirk;
            }
        }
        let mut m = Mapper::new(doc, options, hints);
        let timezone_offset_from_utc = m.timezone_offset;
        if template_source == TemplateSource::None {
            m.diagnostics.push(Diagnostic::new(
                Severity::Error,
                Some("1".into()),
                DiagnosticCode::TemplateUnknown,
                "no template identifier declared and no quirk recognised the content",
            ));
        }
        let study = m.study();
        let patient = m.patient();
        let patient_study = m.patient_study();
        let root = doc.root();
        let observers = m.observers(root);
        let equipment = m.equipment(&observers);
        let body = match template {
            Template::Projection => ReportBody::Projection(projection::map(&mut m, root)),
            Template::Ct => ReportBody::Ct(ct::map(&mut m, root)),
            _ => ReportBody::Unmapped,
        };
        let mut diagnostics = doc.diagnostics().to_vec();
        diagnostics.append(&mut m.diagnostics);
        let ds = doc.dataset();
        let uid = |tag| ds.ascii_of(None, tag).map(str::to_string);
        let mut report = DoseReport {
            schema_version: SchemaVersion,
            sop_class_uid: doc.sop_class_uid().unwrap_or_default().to_string(),
            sop_instance_uid: uid(Tag(0x0008, 0x0018)),
            study_instance_uid: uid(Tag(0x0020, 0x000D)),
            series_instance_uid: uid(Tag(0x0020, 0x000E)),
            specific_character_set: ds
                .find(None, Tag(0x0008, 0x0005))
                .and_then(|i| std::str::from_utf8(ds.value(i)).ok())
                .map(|s| s.trim_matches([' ', '\0']).to_string())
                .filter(|s| !s.is_empty()),
            timezone_offset_from_utc,
            template,
            template_source,
            irradiation_events: doc.count(&codes::IRRADIATION_EVENT_XRAY_DATA)
                + doc.count(&codes::CT_ACQUISITION),
            study,
            patient,
            patient_study,
            equipment,
            body,
            applied_quirks: Vec::new(),
            diagnostics,
        };
        for ((entry, fix), record) in matched.iter().zip(&mut applied) {
            let input = FixInput {
                document: doc,
                params: &entry.params,
            };
            if strict {
                let mut scratch = report.clone();
                let changes = fix.repair(&input, &mut scratch);
                quirk_diagnostics.extend(strict_notes(entry, changes));
            } else {
                record.changes.extend(fix.repair(&input, &mut report));
            }
        }
        applied.retain(|q| !q.changes.is_empty());
        report.applied_quirks = applied;
        report.diagnostics.append(&mut quirk_diagnostics);
        derive_values(&mut report);
        Ok(report)
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

/// Computes every derived value, after the quirk repairs (a repair may supply a value a
/// derivation needs), in one place: the patient's decimal age and the derived source values
/// of projection events.
fn derive_values(report: &mut DoseReport) {
    let (age, note) = derived::patient_age(
        report.patient.patient_birth_date,
        report.study.study_date,
        report.patient_study.patient_age.as_deref(),
    );
    report.patient_study.patient_age_years = age;
    report.diagnostics.extend(note);
    if let ReportBody::Projection(p) = &mut report.body {
        derived::projection(p);
    }
}

fn strict_notes(entry: &QuirkEntry, changes: Vec<Change>) -> impl Iterator<Item = Diagnostic> + '_ {
    changes.into_iter().map(move |c| {
        Diagnostic::new(
            Severity::Warning,
            c.path,
            DiagnosticCode::QuirkNotApplied,
            format!(
                "{} ({}, {}): {}; quirk {} not applied (strict mode)",
                entry.summary, entry.kind, entry.reference, c.before, entry.id
            ),
        )
    })
}

#[cfg(all(test, feature = "builder"))]
mod tests {
    use chrono::FixedOffset;
    use dicom_core::{Tag, VR};

    use crate::builder::testdata;

    /// `projection_minimal.dcm` with a Timezone Offset From UTC (0008,0201) of `offset`.
    fn projection_with_offset(offset: Option<&str>) -> crate::DoseReport {
        let (_, builder) = testdata::all()
            .into_iter()
            .find(|(name, _)| *name == "projection_minimal.dcm")
            .expect("the projection fixture");
        let builder = match offset {
            Some(o) => builder.attr_str(Tag(0x0008, 0x0201), VR::SH, o),
            None => builder,
        };
        let bytes = builder.to_bytes().expect("the builder writes the report");
        crate::parse_bytes(&bytes).expect("the report parses")
    }

    fn has(r: &crate::DoseReport, code: &str) -> bool {
        r.diagnostics.iter().any(|d| d.code.as_str() == code)
    }

    #[test]
    fn event_and_report_times_carry_the_timezone_offset_from_utc() {
        let r = projection_with_offset(Some("-0500"));
        let offset = FixedOffset::west_opt(5 * 3600);
        assert_eq!(r.timezone_offset_from_utc, offset);
        let p = r.projection().expect("a projection report");
        let started = p.events[0].date_time_started.expect("a start time");
        assert_eq!(started.offset, offset);
        assert_eq!(started.to_string(), "2024-03-15T09:35:12-05:00");
        assert_eq!(
            started.to_utc().map(|u| u.to_rfc3339()).as_deref(),
            Some("2024-03-15T14:35:12+00:00")
        );
        assert_eq!(r.study.content_date_time.and_then(|d| d.offset), offset);
        assert!(!has(&r, "datetime.timezone_offset_malformed"));
        // The offset survives a JSON round trip, written "+HH:MM".
        let json = serde_json::to_value(&r).expect("serialises");
        assert_eq!(json["timezone_offset_from_utc"], "-05:00");
        let back: crate::DoseReport = serde_json::from_value(json).expect("deserialises");
        assert_eq!(back, r);
    }

    #[test]
    fn times_without_a_timezone_offset_stay_naive() {
        let r = projection_with_offset(None);
        assert_eq!(r.timezone_offset_from_utc, None);
        let p = r.projection().expect("a projection report");
        let started = p.events[0].date_time_started.expect("a start time");
        assert!(started.is_naive());
        assert_eq!(started.to_fixed_offset(), None);
        assert_eq!(started.to_string(), "2024-03-15T09:35:12");
        assert!(!has(&r, "datetime.timezone_offset_malformed"));
    }

    #[test]
    fn malformed_timezone_offset_gives_a_diagnostic_and_naive_times() {
        let r = projection_with_offset(Some("UTC-04:00"));
        assert_eq!(r.timezone_offset_from_utc, None);
        assert!(
            has(&r, "datetime.timezone_offset_malformed"),
            "{:#?}",
            r.diagnostics
        );
        let p = r.projection().expect("a projection report");
        assert!(
            p.events
                .iter()
                .all(|e| e.date_time_started.is_some_and(|d| d.is_naive()))
        );
    }
}
