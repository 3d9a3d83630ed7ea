//! The pipeline: bytes -> data set ([`crate::load`]) -> content tree ([`crate::sr`]) -> quirk
//! hints ([`crate::quirks`]) -> template records ([`crate::template`]) -> quirk repairs ->
//! [`DoseReport`].
//!
//! The one module that knows every stage: each stage below it owns its configuration
//! ([`crate::load::ReadOptions`], [`crate::quirks::QuirkConfig`]), and [`Options`] composes
//! them.

mod options;

use dicom_core::Tag;

pub use options::{Mode, Options};

use crate::error::{Diagnostic, DiagnosticCode, Error, Location, Severity};
use crate::load::{self, ReadOptions};
use crate::model::{AppliedQuirk, DoseReport, ReportBody, Template, TemplateSource};
use crate::quirks::{self, Change, Explanation, FixInput, Hints, QuirkEntry};
use crate::sr::{self, Document, codes};
use crate::template::common::Mapper;
use crate::template::{ct, derived, detect_template, projection, radiopharmaceutical};

/// Reads a dose report's SR document from bytes: the data set, then the SOP class gate and
/// the content tree.
pub(crate) fn read<'a>(bytes: &'a [u8], options: &ReadOptions) -> Result<Document<'a>, Error> {
    let dataset = load::read_dataset(bytes, options)?;
    sr::build(dataset, options)
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
            .map(|(entry, _)| {
                AppliedQuirk::new(
                    entry.id.clone(),
                    entry.summary.clone(),
                    entry.reference.clone(),
                    entry.kind,
                    Vec::new(),
                )
            })
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
        let mut m = Mapper::new(doc, hints);
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
        let body = match &template {
            Template::Projection => ReportBody::Projection(projection::map(&mut m, root)),
            Template::Ct => ReportBody::Ct(ct::map(&mut m, root)),
            Template::Radiopharmaceutical => {
                ReportBody::Radiopharmaceutical(radiopharmaceutical::map(&mut m, root))
            }
            Template::Other(id) => {
                // A declared template this crate does not type (TID 10030, TID 10040, ...):
                // where its content is made of the containers of a typed template (X-ray
                // irradiation events, CT acquisitions, administrations), those are mapped
                // as that template's rows, and the warning says the rest is not.
                let overlap = crate::template::infer_template(doc);
                let what = format!("template TID {id} is not one this crate maps");
                let (body, note) = match overlap {
                    Some(Template::Projection) => (
                        Some(ReportBody::Projection(projection::map(&mut m, root))),
                        "10001",
                    ),
                    Some(Template::Ct) => (Some(ReportBody::Ct(ct::map(&mut m, root))), "10011"),
                    Some(Template::Radiopharmaceutical) => (
                        Some(ReportBody::Radiopharmaceutical(radiopharmaceutical::map(
                            &mut m, root,
                        ))),
                        "10021",
                    ),
                    _ => (None, ""),
                };
                let message = match body {
                    Some(_) => format!(
                        "{what}: the containers it shares with TID {note} are mapped as TID \
                         {note} rows; its other content is not mapped"
                    ),
                    None => format!(
                        "{what}: the report body is not mapped (only the study, patient and \
                         equipment records are filled)"
                    ),
                };
                m.diagnostics.push(Diagnostic::new(
                    Severity::Warning,
                    Some("1".into()),
                    DiagnosticCode::TemplateUnmapped,
                    message,
                ));
                body.unwrap_or(ReportBody::Unmapped)
            }
            _ => {
                m.diagnostics.push(Diagnostic::new(
                    Severity::Warning,
                    Some("1".into()),
                    DiagnosticCode::TemplateUnmapped,
                    "no template is known: the report body is not mapped (only the study, \
                     patient and equipment records are filled)",
                ));
                ReportBody::Unmapped
            }
        };
        let mut diagnostics = doc.diagnostics().to_vec();
        diagnostics.append(&mut m.diagnostics);
        let ds = doc.dataset();
        let uid = |tag| ds.ascii_of(None, tag).map(str::to_string);
        let mut report = DoseReport {
            schema_version: crate::model::SchemaVersion,
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
}

/// How every entry of the effective table relates to one document: matched or which key
/// missed, and what each matched fix changed (from a lenient mapping with `options`).
pub(crate) fn explain(doc: &Document<'_>, options: &Options) -> Result<Vec<Explanation>, Error> {
    let lenient = options.clone().mode(Mode::Lenient);
    let report = DoseReport::map(doc, &lenient)?;
    Ok(quirks::explain(doc, options.quirk_config(), &report)?)
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

#[cfg(test)]
mod tests {
    use chrono::FixedOffset;
    use dicom_core::{Tag, VR};

    use rdsr_builder::testdata;

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
