//! Study assembly: the dose reports of one study merged into one [`AssembledStudy`].
//!
//! Equipment sends a study's dose several ways: the same report again (a duplicate), a new
//! report after each exposure that repeats every earlier event (cumulative reports), or a
//! second report holding only the events since the first (continued reports). The
//! [`StudyAssembler`] takes reports one at a time, in any order, and keeps one study per
//! Study Instance UID whose events are the union of its reports' events, keyed by
//! Irradiation Event UID. The result depends only on the set of reports received, never on
//! their order.
//!
//! Rules, applied to the set of distinct reports (by SOP Instance UID) of a study:
//!
//! * the same SOP Instance UID again changes nothing ([`Outcome::Duplicate`]);
//! * a report whose events are all in a fuller report is superseded by it (cumulative
//!   reports; an older one arriving late is absorbed), its SOP Instance UID kept as
//!   provenance;
//! * reports with the same events as another are kept as copies;
//! * every other report contributes its events (continued reports are merged into ONE
//!   study, where OpenREM makes several: [OpenREM B18](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b18)).
//!
//! Events without an Irradiation Event UID are keyed by their content (start time or
//! protocol, type, plane and dose) plus their occurrence number among equal events of the
//! same report, so cumulative reports without UIDs still line up.
//!
//! Study totals come from the contributing reports' accumulated dose records (summed over
//! reports when several contribute disjoint events; recomputed from the events when their
//! events overlap), and every report keeps its own totals in [`StudyReport`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::model::ct::{CtAccumulatedDose, CtEvent};
use crate::model::projection::{
    AccumulatedPlane, FluoroAcquisitionTotals, ProjectionEvent, ProjectionTotals,
};
use crate::model::{CtReport, DoseReport, ProjectionReport, ReportBody, Summary};
use crate::sr::OwnedCode;

/// What adding a report did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
#[non_exhaustive]
pub enum Outcome {
    /// The first report of a new study.
    Added,
    /// A SOP Instance UID already received: nothing changed.
    Duplicate,
    /// A fuller cumulative report: it replaces the reports whose events it repeats.
    Supersedes {
        /// SOP Instance UIDs of the reports it supersedes.
        superseded: Vec<String>,
    },
    /// Every event of the report was already known (an older cumulative report, or a copy
    /// under another SOP Instance UID): kept as provenance only.
    Absorbed,
    /// A continued report: its new events were added to the study.
    Merged {
        /// Events the study did not have.
        new_events: usize,
    },
    /// The report has no Study Instance UID and forms a study of its own, keyed by its SOP
    /// Instance UID.
    NoStudyUid,
}

/// The role of one report in its study.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Role {
    /// The only report that contributes events.
    Added,
    /// One of several reports that each contribute events.
    Merged,
    /// All its events are in a fuller report.
    Superseded,
    /// Same events as another report under a different SOP Instance UID.
    Duplicate,
}

/// One report of a study: provenance and its own totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StudyReport {
    /// SOP Instance UID of the report.
    pub sop_instance_uid: String,
    /// Series Instance UID of the report.
    pub series_instance_uid: Option<String>,
    /// Its role in the study.
    pub role: Role,
    /// The SOP Instance UID of the report that supersedes or duplicates it.
    pub replaced_by: Option<String>,
    /// Number of irradiation events in the report.
    pub number_of_events: usize,
    /// The report's own summary (its accumulated totals).
    pub summary: Summary,
}

/// One irradiation event of a study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)]
pub enum Event {
    /// A projection X-ray event (TID 10003).
    Projection(ProjectionEvent),
    /// A CT acquisition (TID 10013).
    Ct(CtEvent),
}

/// One study: every report received for it, the union of their events, and summaries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AssembledStudy {
    /// Study Instance UID (or the SOP Instance UID of a report without one).
    pub study_instance_uid: String,
    /// The reports, in canonical order (contributing first).
    pub series: Vec<StudyReport>,
    /// The merged report: header records of the primary (fullest) report, the union of
    /// events, and accumulated totals of the whole study.
    pub report: DoseReport,
    /// Summary fields ([summary fields](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#summary-fields)) of the assembled study.
    pub summary: Summary,
    /// Keys of the events in `report` (Irradiation Event UID, or the content key).
    pub event_keys: Vec<String>,
    /// Notes on how the study was assembled (overlapping reports, recomputed totals).
    pub notes: Vec<String>,
}

impl AssembledStudy {
    /// Number of events.
    pub fn number_of_events(&self) -> usize {
        self.event_keys.len()
    }

    /// The events.
    pub fn events(&self) -> Vec<Event> {
        match &self.report.body {
            ReportBody::Projection(p) => p.events.iter().cloned().map(Event::Projection).collect(),
            ReportBody::Ct(c) => c.events.iter().cloned().map(Event::Ct).collect(),
            _ => Vec::new(),
        }
    }

    /// Every SOP Instance UID received for this study.
    pub fn sop_instance_uids(&self) -> Vec<&str> {
        self.series
            .iter()
            .map(|s| s.sop_instance_uid.as_str())
            .collect()
    }
}

/// Assembles studies from reports, incrementally, in memory.
#[derive(Debug, Clone, Default)]
pub struct StudyAssembler {
    /// Study key -> SOP Instance UID -> report.
    reports: BTreeMap<String, BTreeMap<String, DoseReport>>,
}

fn f(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| format!("{v:e}"))
}

fn code_key(c: &Option<OwnedCode>) -> String {
    c.as_ref()
        .map_or_else(String::new, |c| format!("{}^{}", c.value, c.scheme))
}

/// Event keys of a report, in document order.
fn event_keys(report: &DoseReport) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut key = |uid: Option<&String>, content: String| match uid {
        Some(u) if !u.trim().is_empty() => format!("uid:{}", u.trim()),
        _ => {
            let n = seen.entry(content.clone()).or_insert(0);
            *n += 1;
            format!("content:{content}#{n}")
        }
    };
    match &report.body {
        ReportBody::Projection(p) => p
            .events
            .iter()
            .map(|e| {
                key(
                    e.irradiation_event_uid.as_ref(),
                    format!(
                        "{}|{}|{}|{}|{}",
                        e.date_time_started
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        code_key(&e.irradiation_event_type),
                        code_key(&e.acquisition_plane),
                        e.acquisition_protocol.as_deref().unwrap_or(""),
                        f(e.dose_area_product)
                    ),
                )
            })
            .collect(),
        ReportBody::Ct(c) => c
            .events
            .iter()
            .map(|e| {
                key(
                    e.irradiation_event_uid.as_ref(),
                    format!(
                        "{}|{}|{}|{}",
                        e.acquisition_protocol.as_deref().unwrap_or(""),
                        code_key(&e.ct_acquisition_type),
                        f(e.mean_ctdivol),
                        f(e.dlp)
                    ),
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The sum of the present values; `None` when none is or the sum overflows (see
/// [`crate::model::finite_sum`]).
fn sum(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    crate::model::finite_sum(values)
}

/// A report with its key set, for assembly.
struct Entry<'r> {
    sop: &'r str,
    report: &'r DoseReport,
    keys: Vec<String>,
    set: BTreeSet<String>,
}

impl StudyAssembler {
    /// An empty assembler.
    pub fn new() -> Self {
        StudyAssembler::default()
    }

    fn key_of(report: &DoseReport) -> (String, bool) {
        match report
            .study_instance_uid
            .as_deref()
            .filter(|u| !u.is_empty())
        {
            Some(u) => (u.to_string(), true),
            None => (
                format!(
                    "(no study uid) {}",
                    report.sop_instance_uid.as_deref().unwrap_or("")
                ),
                false,
            ),
        }
    }

    /// Adds a report and says what it did to its study.
    pub fn add(&mut self, report: DoseReport) -> Outcome {
        let (key, has_uid) = Self::key_of(&report);
        let sop = report.sop_instance_uid.clone().unwrap_or_default();
        let reports = self.reports.entry(key.clone()).or_default();
        if reports.contains_key(&sop) {
            return Outcome::Duplicate;
        }
        let before: Option<AssembledStudy> = if reports.is_empty() {
            None
        } else {
            assemble(&key, reports)
        };
        reports.insert(sop.clone(), report);
        if !has_uid {
            return Outcome::NoStudyUid;
        }
        let Some(before) = before else {
            return Outcome::Added;
        };
        let Some(after) = assemble(&key, reports) else {
            return Outcome::Added;
        };
        let new_events = after
            .event_keys
            .iter()
            .filter(|k| !before.event_keys.contains(k))
            .count();
        let role = after
            .series
            .iter()
            .find(|s| s.sop_instance_uid == sop)
            .map(|s| s.role);
        match role {
            Some(Role::Superseded | Role::Duplicate) => Outcome::Absorbed,
            _ => {
                let superseded: Vec<String> = after
                    .series
                    .iter()
                    .filter(|s| s.replaced_by.as_deref() == Some(sop.as_str()))
                    .filter(|s| s.role == Role::Superseded)
                    .map(|s| s.sop_instance_uid.clone())
                    .collect();
                if !superseded.is_empty() && new_events > 0 {
                    Outcome::Supersedes { superseded }
                } else {
                    Outcome::Merged { new_events }
                }
            }
        }
    }

    /// Every study, ordered by Study Instance UID.
    pub fn studies(&self) -> Vec<AssembledStudy> {
        self.reports
            .iter()
            .filter_map(|(k, r)| assemble(k, r))
            .collect()
    }

    /// The study with this Study Instance UID.
    pub fn study(&self, study_instance_uid: &str) -> Option<AssembledStudy> {
        let reports = self.reports.get(study_instance_uid)?;
        assemble(study_instance_uid, reports)
    }

    /// Number of studies.
    pub fn len(&self) -> usize {
        self.reports.len()
    }

    /// Whether no report was added.
    pub fn is_empty(&self) -> bool {
        self.reports.is_empty()
    }
}

/// Builds the study from the set of its reports.
fn assemble(key: &str, reports: &BTreeMap<String, DoseReport>) -> Option<AssembledStudy> {
    let mut entries: Vec<Entry<'_>> = reports
        .iter()
        .map(|(sop, report)| {
            let keys = event_keys(report);
            let set = keys.iter().cloned().collect();
            Entry {
                sop,
                report,
                keys,
                set,
            }
        })
        .collect();
    // Canonical order: fullest first, then by SOP Instance UID. Depends only on the set.
    entries.sort_by(|a, b| b.set.len().cmp(&a.set.len()).then(a.sop.cmp(b.sop)));

    let mut roles: Vec<(Role, Option<String>)> = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let superset = entries
            .iter()
            .enumerate()
            .find(|(j, o)| *j != i && o.set.len() > e.set.len() && e.set.is_subset(&o.set));
        let equal = entries
            .iter()
            .enumerate()
            .take(i)
            .find(|(_, o)| o.set == e.set);
        roles.push(match (superset, equal) {
            (Some((_, o)), _) => (Role::Superseded, Some(o.sop.to_string())),
            (None, Some((_, o))) => (Role::Duplicate, Some(o.sop.to_string())),
            (None, None) => (Role::Merged, None),
        });
    }
    let contributing: Vec<usize> = roles
        .iter()
        .enumerate()
        .filter(|(_, (r, _))| *r == Role::Merged)
        .map(|(i, _)| i)
        .collect();
    if contributing.len() == 1 {
        if let Some(r) = contributing.first().and_then(|&i| roles.get_mut(i)) {
            r.0 = Role::Added;
        }
    }
    let primary = entries.get(*contributing.first()?)?;
    let mut notes = Vec::new();

    // Union of events: the primary's in document order, then each other contributing
    // report's new events in its document order.
    let mut event_keys: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut chosen: Vec<(usize, usize)> = Vec::new(); // (entry, event index)
    for &ci in &contributing {
        let Some(e) = entries.get(ci) else { continue };
        for (ei, k) in e.keys.iter().enumerate() {
            if seen.insert(k.clone()) {
                event_keys.push(k.clone());
                chosen.push((ci, ei));
            }
        }
    }
    let overlapping = contributing.iter().enumerate().any(|(n, &a)| {
        contributing
            .iter()
            .skip(n + 1)
            .any(|&b| match (entries.get(a), entries.get(b)) {
                (Some(x), Some(y)) => !x.set.is_disjoint(&y.set),
                _ => false,
            })
    });
    if overlapping {
        notes.push(
            "reports share some but not all events; study totals recomputed from the events"
                .to_string(),
        );
    }

    let mut merged = primary.report.clone();
    let others: Vec<&DoseReport> = contributing
        .iter()
        .filter_map(|&i| entries.get(i).map(|e| e.report))
        .collect();
    match &mut merged.body {
        ReportBody::Projection(p) => {
            p.events = chosen
                .iter()
                .filter_map(|&(ci, ei)| match &entries.get(ci)?.report.body {
                    ReportBody::Projection(src) => src.events.get(ei).cloned(),
                    _ => None,
                })
                .collect();
            if others.len() > 1 {
                p.accumulated_planes = merge_planes(&others, p, overlapping);
            }
        }
        ReportBody::Ct(c) => {
            c.events = chosen
                .iter()
                .filter_map(|&(ci, ei)| match &entries.get(ci)?.report.body {
                    ReportBody::Ct(src) => src.events.get(ei).cloned(),
                    _ => None,
                })
                .collect();
            if others.len() > 1 {
                c.accumulated = Some(merge_ct_accumulated(&others, c, overlapping));
            }
        }
        _ => {}
    }
    merged.irradiation_events = event_keys.len();

    let series = entries
        .iter()
        .zip(&roles)
        .map(|(e, (role, by))| StudyReport {
            sop_instance_uid: e.sop.to_string(),
            series_instance_uid: e.report.series_instance_uid.clone(),
            role: *role,
            replaced_by: by.clone(),
            number_of_events: e.keys.len(),
            summary: Summary::of_report(e.report),
        })
        .collect();
    let summary = Summary::of_report(&merged);
    Some(AssembledStudy {
        study_instance_uid: key.to_string(),
        series,
        report: merged,
        summary,
        event_keys,
        notes,
    })
}

fn merge_ct_accumulated(
    reports: &[&DoseReport],
    merged: &CtReport,
    overlapping: bool,
) -> CtAccumulatedDose {
    let accs: Vec<&CtAccumulatedDose> = reports
        .iter()
        .filter_map(|r| r.ct().and_then(|c| c.accumulated.as_ref()))
        .collect();
    let mut acc = accs.first().map(|a| (*a).clone()).unwrap_or_default();
    acc.total_number_of_irradiation_events = u32::try_from(merged.events.len()).ok();
    acc.ct_dose_length_product_total = if overlapping || accs.len() < reports.len() {
        sum(merged.events.iter().map(|e| e.dlp))
    } else {
        sum(accs.iter().map(|a| a.ct_dose_length_product_total))
    };
    acc.ct_effective_dose_total = if overlapping || accs.len() < reports.len() {
        sum(merged.events.iter().map(|e| e.effective_dose))
    } else {
        sum(accs.iter().map(|a| a.ct_effective_dose_total))
    };
    acc
}

fn plane_key(p: &AccumulatedPlane) -> String {
    code_key(&p.acquisition_plane)
}

fn merge_planes(
    reports: &[&DoseReport],
    merged: &ProjectionReport,
    overlapping: bool,
) -> Vec<AccumulatedPlane> {
    let mut planes: Vec<AccumulatedPlane> = Vec::new();
    for r in reports {
        let Some(p) = r.projection() else { continue };
        for plane in &p.accumulated_planes {
            match planes.iter_mut().find(|q| plane_key(q) == plane_key(plane)) {
                None => planes.push(plane.clone()),
                Some(q) => {
                    q.projection_totals =
                        add_totals(&q.projection_totals, &plane.projection_totals);
                    q.fluoro_and_acquisition_totals = add_fluoro(
                        &q.fluoro_and_acquisition_totals,
                        &plane.fluoro_and_acquisition_totals,
                    );
                    q.mammography_totals
                        .extend(plane.mammography_totals.iter().cloned());
                    q.calibrations.extend(plane.calibrations.iter().cloned());
                }
            }
        }
    }
    if overlapping {
        // Totals from the union of events, per plane.
        for q in &mut planes {
            let key = plane_key(q);
            let events: Vec<&ProjectionEvent> = merged
                .events
                .iter()
                .filter(|e| code_key(&e.acquisition_plane) == key)
                .collect();
            let t = q
                .projection_totals
                .get_or_insert_with(ProjectionTotals::default);
            t.dose_area_product_total = sum(events.iter().map(|e| e.dose_area_product));
            t.dose_rp_total = sum(events.iter().map(|e| e.source.dose_rp));
        }
    }
    planes
}

fn add_totals(
    a: &Option<ProjectionTotals>,
    b: &Option<ProjectionTotals>,
) -> Option<ProjectionTotals> {
    match (a, b) {
        (Some(a), Some(b)) => {
            let mut t = a.clone();
            t.dose_area_product_total =
                sum([a.dose_area_product_total, b.dose_area_product_total].into_iter());
            t.dose_rp_total = sum([a.dose_rp_total, b.dose_rp_total].into_iter());
            t.total_number_of_radiographic_frames = sum([
                a.total_number_of_radiographic_frames,
                b.total_number_of_radiographic_frames,
            ]
            .into_iter());
            Some(t)
        }
        (a, b) => a.clone().or_else(|| b.clone()),
    }
}

fn add_fluoro(
    a: &Option<FluoroAcquisitionTotals>,
    b: &Option<FluoroAcquisitionTotals>,
) -> Option<FluoroAcquisitionTotals> {
    match (a, b) {
        (Some(a), Some(b)) => {
            let mut t = a.clone();
            let s = |x: Option<f64>, y: Option<f64>| sum([x, y].into_iter());
            t.fluoro_dose_area_product_total = s(
                a.fluoro_dose_area_product_total,
                b.fluoro_dose_area_product_total,
            );
            t.fluoro_dose_rp_total = s(a.fluoro_dose_rp_total, b.fluoro_dose_rp_total);
            t.total_fluoro_time = s(a.total_fluoro_time, b.total_fluoro_time);
            t.acquisition_dose_area_product_total = s(
                a.acquisition_dose_area_product_total,
                b.acquisition_dose_area_product_total,
            );
            t.acquisition_dose_rp_total =
                s(a.acquisition_dose_rp_total, b.acquisition_dose_rp_total);
            t.total_acquisition_time = s(a.total_acquisition_time, b.total_acquisition_time);
            Some(t)
        }
        (a, b) => a.clone().or_else(|| b.clone()),
    }
}
