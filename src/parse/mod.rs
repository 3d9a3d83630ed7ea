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

use crate::error::{Diagnostic, Error, Location, Severity};
use crate::load::{self, ReadOptions};
use crate::model::{AppliedQuirk, DoseReport, ReportBody, Template, TemplateSource};
use crate::quirks::{self, Change, Explanation, FixInput, Hints, QuirkEntry};
use crate::sr::{self, Document, codes};
use crate::template::common::Mapper;
use crate::template::{ct, detect_template, projection};

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
        let table = quirks.table().map_err(|e| Error::Unsupported {
            location: Location::default(),
            reason: format!("quirk table: {e}"),
        })?;
        let device = quirks::device_of(doc);
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
        let mut m = Mapper::new(doc, hints);
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
        let patient_study = m.patient_study(&study, &patient);
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
        Ok(report)
    }
}

/// How every entry of the effective table relates to one document: matched or which key
/// missed, and what each matched fix changed (from a lenient mapping with `options`).
pub(crate) fn explain(doc: &Document<'_>, options: &Options) -> Result<Vec<Explanation>, Error> {
    let lenient = options.clone().mode(Mode::Lenient);
    let report = DoseReport::map(doc, &lenient)?;
    quirks::explain(doc, options.quirk_config(), &report).map_err(|e| Error::Unsupported {
        location: Location::default(),
        reason: format!("quirk table: {e}"),
    })
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
