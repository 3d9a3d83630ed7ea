//! [`DoseReport`]: one dose report document as owned, typed, serialisable data.

use dicom_core::Tag;
use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Error, Location, Severity};
use crate::model::{CtReport, Equipment, Patient, PatientStudy, ProjectionReport, Study};
use crate::options::Mode;
use crate::options::Options;
use crate::quirks::{Change, FixInput, Hints, QuirkEntry};
use crate::sr::{Document, codes};
use crate::template::common::Mapper;
use crate::template::{ct, derived, projection};

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
    /// Vendor defects worked around, each with what it changed.
    pub applied_quirks: Vec<AppliedQuirk>,
    /// What the importer coped with.
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
        let table = quirks.table().map_err(|e| Error::Unsupported {
            location: Location::default(),
            reason: format!("quirk table: {e}"),
        })?;
        let device = crate::quirks::device_of(doc);
        let matched: Vec<_> = table
            .entries()
            .iter()
            .filter(|e| !quirks.is_disabled(&e.id) && e.matches.miss(&device).is_none())
            .filter_map(|e| quirks.registry().get(&e.fix).map(|f| (e, f.clone())))
            .collect();
        let strict = options.mode == Mode::Strict;
        let mut hints = Hints::default();
        let mut applied = Vec::new();
        let mut quirk_diagnostics = Vec::new();
        for (entry, fix) in &matched {
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
                let changes = fix.prepare(&input, &mut hints);
                applied.extend(applied_quirks(entry, changes));
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
                "template.unknown",
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
        for (entry, fix) in &matched {
            let input = FixInput {
                document: doc,
                params: &entry.params,
            };
            if strict {
                let mut scratch = report.clone();
                let changes = fix.repair(&input, &mut scratch);
                quirk_diagnostics.extend(strict_notes(entry, changes));
            } else {
                let changes = fix.repair(&input, &mut report);
                applied.extend(applied_quirks(entry, changes));
            }
        }
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

fn applied_quirks(
    entry: &QuirkEntry,
    changes: Vec<Change>,
) -> impl Iterator<Item = AppliedQuirk> + '_ {
    changes.into_iter().map(move |c| AppliedQuirk {
        id: entry.id.clone(),
        path: c.path,
        before: c.before,
        after: c.after,
    })
}

fn strict_notes(entry: &QuirkEntry, changes: Vec<Change>) -> impl Iterator<Item = Diagnostic> + '_ {
    changes.into_iter().map(move |c| {
        Diagnostic::new(
            Severity::Warning,
            c.path,
            "quirk.not_applied",
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
        r.diagnostics.iter().any(|d| d.code == code)
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
