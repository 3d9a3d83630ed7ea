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
//! * the same report again (same SOP Instance UID, same content) changes nothing
//!   ([`Outcome::Duplicate`]); reports that share a SOP Instance UID, or both lack one, but
//!   differ in content are distinct reports and both are kept;
//! * a report with no irradiation event, or of another template family (CT beside
//!   projection) than the study's fullest report, cannot be merged without losing its
//!   records: it is kept whole in [`AssembledStudy::attached`] ([`Role::Attached`]), never absorbed;
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
use crate::model::radiopharmaceutical::{RadiopharmaceuticalAdministration, add_administrations};
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
        #[serde(default)]
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
    /// The report cannot be merged into its study's merged report without losing records
    /// (no irradiation event, or another template family): it is kept whole beside it
    /// ([`AssembledStudy::attached`]).
    Attached,
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
    /// Kept whole beside the merged report (see [`AssembledStudy::attached`]): it has no
    /// irradiation event, or belongs to another template family than the merged report.
    Attached,
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
    /// The JSON shape's version ([`crate::JSON_SCHEMA_VERSION`]), as in [`DoseReport`].
    #[serde(default)]
    schema_version: crate::model::SchemaVersion,
    /// Study Instance UID (or the SOP Instance UID of a report without one).
    pub study_instance_uid: String,
    /// The reports, in canonical order (contributing first).
    #[serde(default)]
    pub series: Vec<StudyReport>,
    /// The merged report: header records of the primary (fullest) report, the union of
    /// events, and accumulated totals of the whole study.
    pub report: DoseReport,
    /// Reports kept whole beside the merged one because they cannot be merged into it
    /// without losing records: reports with no irradiation event (a radiopharmaceutical
    /// report in a PET/CT study, a report whose events could not be read) and reports of
    /// another template family than the merged report. Their roles are
    /// [`Role::Attached`]; they do not count in [`AssembledStudy::summary`], except the
    /// administrations of radiopharmaceutical reports (administered activity and effective
    /// dose of the study, each Administration Event UID once).
    #[serde(default)]
    pub attached: Vec<DoseReport>,
    /// Summary fields ([summary fields](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#summary-fields)) of the assembled study.
    pub summary: Summary,
    /// Keys of the events in `report` (Irradiation Event UID, or the content key).
    #[serde(default)]
    pub event_keys: Vec<String>,
    /// Notes on how the study was assembled (overlapping reports, recomputed totals).
    #[serde(default)]
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
///
/// Adding a report costs time proportional to the size of its study (the study is assembled
/// once per call), never to the number of studies or reports held.
#[derive(Debug, Clone, Default)]
pub struct StudyAssembler {
    /// Study key -> its reports and the event keys of its last assembly.
    studies: BTreeMap<String, StudyState>,
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
                        f(e.dose_area_product_gy_m2)
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
                        f(e.mean_ctdivol_mgy),
                        f(e.dlp_mgy_cm)
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

/// A stored report in a study's canonical order, for assembly.
struct Entry<'r> {
    key: &'r (String, u64),
    report: &'r DoseReport,
    keys: &'r [String],
    set: &'r BTreeSet<String>,
}

/// The reports of one study, keyed so that distinct reports never collide.
#[derive(Debug, Clone, Default)]
struct StudyState {
    /// (SOP Instance UID, content fingerprint) -> report. The fingerprint is 0 while a SOP
    /// Instance UID has one report; reports that share a SOP Instance UID (or have none) but
    /// differ in content are each keyed by their fingerprint, so neither is lost.
    reports: BTreeMap<(String, u64), Stored>,
    /// Event keys of the study as last assembled.
    known: BTreeSet<String>,
}

/// A report with its event keys, computed once.
#[derive(Debug, Clone)]
struct Stored {
    report: DoseReport,
    keys: Vec<String>,
    set: BTreeSet<String>,
}

impl Stored {
    fn new(report: DoseReport) -> Stored {
        let keys = event_keys(&report);
        let set = keys.iter().cloned().collect();
        Stored { report, keys, set }
    }
}

/// A stable 64-bit fingerprint of a report's whole content (FNV-1a over its `Debug` form),
/// used only to tell apart reports that share a SOP Instance UID. Never 0.
fn fingerprint(report: &DoseReport) -> u64 {
    struct Fnv(u64);
    impl std::fmt::Write for Fnv {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            for b in s.bytes() {
                self.0 ^= u64::from(b);
                self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
            }
            Ok(())
        }
    }
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    // Writing into the hasher never fails.
    let _ = std::fmt::write(&mut h, format_args!("{report:?}"));
    h.0.max(1)
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
    ///
    /// Only the same report again (same SOP Instance UID and the same content) is a
    /// [`Outcome::Duplicate`] and changes nothing. Two reports that share a SOP Instance UID
    /// (or both have none) but differ in content are both kept.
    pub fn add(&mut self, report: DoseReport) -> Outcome {
        let (key, has_uid) = Self::key_of(&report);
        let sop = report.sop_instance_uid.clone().unwrap_or_default();
        let state = self.studies.entry(key.clone()).or_default();
        let same_sop: Vec<(String, u64)> = state
            .reports
            .range((sop.clone(), 0)..=(sop.clone(), u64::MAX))
            .map(|(k, _)| k.clone())
            .collect();
        if same_sop
            .iter()
            .any(|k| state.reports.get(k).is_some_and(|s| s.report == report))
        {
            return Outcome::Duplicate;
        }
        let first_of_study = state.reports.is_empty();
        let report_key = if same_sop.is_empty() {
            (sop.clone(), 0)
        } else {
            // Re-key the report that held this SOP Instance UID alone by its fingerprint.
            for k in same_sop.iter().filter(|k| k.1 == 0) {
                if let Some(stored) = state.reports.remove(k) {
                    let fp = fingerprint(&stored.report);
                    state.reports.insert((k.0.clone(), fp), stored);
                }
            }
            (sop.clone(), fingerprint(&report))
        };
        state
            .reports
            .insert(report_key.clone(), Stored::new(report));
        let after = plan(&state.reports);
        let before = std::mem::take(&mut state.known);
        if let Some(after) = &after {
            state.known = after.event_keys.iter().cloned().collect();
        }
        if !has_uid {
            return Outcome::NoStudyUid;
        }
        let Some(after) = after else {
            return Outcome::Added;
        };
        let role = after
            .entries
            .iter()
            .zip(&after.roles)
            .find(|(e, _)| *e.key == report_key)
            .map(|(_, (r, _))| *r);
        if first_of_study {
            return match role {
                Some(Role::Attached) => Outcome::Attached,
                _ => Outcome::Added,
            };
        }
        let new_events = after
            .event_keys
            .iter()
            .filter(|k| !before.contains(*k))
            .count();
        match role {
            Some(Role::Attached) => Outcome::Attached,
            Some(Role::Superseded | Role::Duplicate) => Outcome::Absorbed,
            _ => {
                let superseded: Vec<String> = after
                    .entries
                    .iter()
                    .zip(&after.roles)
                    .filter(|(_, (r, by))| {
                        *r == Role::Superseded && by.as_deref() == Some(sop.as_str())
                    })
                    .map(|(e, _)| e.key.0.clone())
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
        self.studies
            .iter()
            .filter_map(|(k, s)| assemble(k, &s.reports))
            .collect()
    }

    /// The study with this Study Instance UID.
    pub fn study(&self, study_instance_uid: &str) -> Option<AssembledStudy> {
        let state = self.studies.get(study_instance_uid)?;
        assemble(study_instance_uid, &state.reports)
    }

    /// Number of studies.
    pub fn len(&self) -> usize {
        self.studies.len()
    }

    /// Whether no report was added.
    pub fn is_empty(&self) -> bool {
        self.studies.is_empty()
    }
}

/// The template family of a report body, for telling which reports can be merged.
fn family(report: &DoseReport) -> u8 {
    match report.body {
        ReportBody::Projection(_) => 1,
        ReportBody::Ct(_) => 2,
        ReportBody::Radiopharmaceutical(_) => 3,
        _ => 0,
    }
}

/// How a study's reports combine: their canonical order, each one's role, and the union of
/// the contributing reports' events. Cheap (keys and sets only, no record is cloned):
/// [`StudyAssembler::add`] needs only this; [`assemble`] materialises the study from it.
struct Plan<'r> {
    /// The reports in canonical order.
    entries: Vec<Entry<'r>>,
    /// The role of each entry, and the SOP Instance UID of the report that replaces it.
    roles: Vec<(Role, Option<String>)>,
    /// Entries whose events the study merges, the primary first.
    contributing: Vec<usize>,
    /// Keys of the study's events, in order.
    event_keys: Vec<String>,
    /// (entry, event index) of each event of the study.
    chosen: Vec<(usize, usize)>,
}

/// The plan of a study from the set of its reports; `None` when no report contributes.
fn plan(reports: &BTreeMap<(String, u64), Stored>) -> Option<Plan<'_>> {
    let mut entries: Vec<Entry<'_>> = reports
        .iter()
        .map(|(k, stored)| Entry {
            key: k,
            report: &stored.report,
            keys: &stored.keys,
            set: &stored.set,
        })
        .collect();
    // Canonical order: fullest first, then by SOP Instance UID and fingerprint. Depends only
    // on the set.
    entries.sort_by(|a, b| b.set.len().cmp(&a.set.len()).then(a.key.cmp(b.key)));

    // The family (projection or CT) whose events the study merges: that of the fullest
    // report with events. A report of another family, or one without any event, cannot be
    // merged into it (its events or records would vanish): it is kept whole, attached.
    let main = entries
        .iter()
        .find(|e| !e.set.is_empty())
        .map(|e| family(e.report));

    let mut roles: Vec<(Role, Option<String>)> = Vec::with_capacity(entries.len());
    // Reports that no other report contains (in canonical order). A report contained in
    // another is contained in one of these (containment is transitive), and the first
    // maximal container in canonical order is the fullest one, so only these are searched.
    let mut maximal: Vec<usize> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let attached = match main {
            Some(m) => e.set.is_empty() || family(e.report) != m,
            None => i > 0,
        };
        if attached {
            roles.push((Role::Attached, None));
            continue;
        }
        let container = maximal
            .iter()
            .filter_map(|&j| entries.get(j))
            .find(|o| o.set.len() >= e.set.len() && e.set.is_subset(o.set) && !e.set.is_empty());
        roles.push(match container {
            Some(o) if o.set.len() > e.set.len() => (Role::Superseded, Some(o.key.0.clone())),
            Some(o) => (Role::Duplicate, Some(o.key.0.clone())),
            None => {
                maximal.push(i);
                (Role::Merged, None)
            }
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
    if contributing.is_empty() {
        return None;
    }

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
    Some(Plan {
        entries,
        roles,
        contributing,
        event_keys,
        chosen,
    })
}

/// Builds the study from the set of its reports.
fn assemble(key: &str, reports: &BTreeMap<(String, u64), Stored>) -> Option<AssembledStudy> {
    let Plan {
        entries,
        roles,
        contributing,
        event_keys,
        chosen,
    } = plan(reports)?;
    let primary_index = *contributing.first()?;
    let primary = entries.get(primary_index)?;
    let mut notes = Vec::new();
    let overlapping = contributing.iter().enumerate().any(|(n, &a)| {
        contributing
            .iter()
            .skip(n + 1)
            .any(|&b| match (entries.get(a), entries.get(b)) {
                (Some(x), Some(y)) => !x.set.is_disjoint(y.set),
                _ => false,
            })
    });
    if overlapping {
        notes.push(
            "reports share some but not all events; study totals recomputed from the events"
                .to_string(),
        );
    }
    let attached: Vec<DoseReport> = entries
        .iter()
        .zip(&roles)
        .filter(|(_, (r, _))| *r == Role::Attached)
        .map(|(e, _)| e.report.clone())
        .collect();
    if !attached.is_empty() {
        notes.push(format!(
            "{} report(s) kept whole beside the merged report (no irradiation events, or \
             another template): their records are in `attached`, not in the study totals (radiopharmaceutical \
             administrations excepted)",
            attached.len()
        ));
    }
    let mut merged = primary.report.clone();
    let others: Vec<&DoseReport> = contributing
        .iter()
        .filter_map(|&i| entries.get(i).map(|e| e.report))
        .collect();
    // The study's events are often exactly the primary report's, in order (a study of one
    // report, or one cumulative report holding every event): its clone already has them.
    let primary_in_order = |n: usize| {
        chosen.len() == n
            && chosen
                .iter()
                .enumerate()
                .all(|(k, &(ci, ei))| ci == primary_index && ei == k)
    };
    match &mut merged.body {
        ReportBody::Projection(p) => {
            if !primary_in_order(p.events.len()) {
                p.events = chosen
                    .iter()
                    .filter_map(|&(ci, ei)| match &entries.get(ci)?.report.body {
                        ReportBody::Projection(src) => src.events.get(ei).cloned(),
                        _ => None,
                    })
                    .collect();
            }
            if others.len() > 1 {
                p.accumulated_planes = merge_planes(&others, p, overlapping);
            }
        }
        ReportBody::Ct(c) => {
            if !primary_in_order(c.events.len()) {
                c.events = chosen
                    .iter()
                    .filter_map(|&(ci, ei)| match &entries.get(ci)?.report.body {
                        ReportBody::Ct(src) => src.events.get(ei).cloned(),
                        _ => None,
                    })
                    .collect();
            }
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
            sop_instance_uid: e.key.0.clone(),
            series_instance_uid: e.report.series_instance_uid.clone(),
            role: *role,
            replaced_by: by.clone(),
            number_of_events: e.keys.len(),
            summary: Summary::of_report(e.report),
        })
        .collect();
    let mut summary = Summary::of_report(&merged);
    add_attached_administrations(&mut summary, &merged, &attached);
    Some(AssembledStudy {
        schema_version: crate::model::SchemaVersion,
        study_instance_uid: key.to_string(),
        series,
        report: merged,
        attached,
        summary,
        event_keys,
        notes,
    })
}

/// Adds the radiopharmaceutical administrations of the attached reports (an RRDSR beside the
/// CT report of a PET/CT study) to the study summary: the administered activity and effective
/// dose of the study. An administration already counted (same Administration Event UID, in
/// the merged report or an earlier attached one) is counted once.
fn add_attached_administrations(
    summary: &mut Summary,
    merged: &DoseReport,
    attached: &[DoseReport],
) {
    let uid = |a: &RadiopharmaceuticalAdministration| {
        a.administration_event_uid
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_string)
    };
    let mut seen: BTreeSet<String> = merged
        .radiopharmaceutical()
        .map(|r| r.administrations.iter().filter_map(uid).collect())
        .unwrap_or_default();
    let mut extra: Vec<&RadiopharmaceuticalAdministration> = Vec::new();
    for a in attached
        .iter()
        .filter_map(DoseReport::radiopharmaceutical)
        .flat_map(|r| &r.administrations)
    {
        let new = match uid(a) {
            Some(u) => seen.insert(u),
            None => true,
        };
        if new {
            extra.push(a);
        }
    }
    if !extra.is_empty() {
        add_administrations(summary, &extra);
    }
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
    acc.ct_dose_length_product_total_mgy_cm = if overlapping || accs.len() < reports.len() {
        sum(merged.events.iter().map(|e| e.dlp_mgy_cm))
    } else {
        sum(accs.iter().map(|a| a.ct_dose_length_product_total_mgy_cm))
    };
    acc.ct_effective_dose_total_msv = if overlapping || accs.len() < reports.len() {
        sum(merged.events.iter().map(|e| e.effective_dose_msv))
    } else {
        sum(accs.iter().map(|a| a.ct_effective_dose_total_msv))
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
            t.dose_area_product_total_gy_m2 = sum(events.iter().map(|e| e.dose_area_product_gy_m2));
            t.dose_rp_total_gy = sum(events.iter().map(|e| e.source.dose_rp_gy));
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
            t.dose_area_product_total_gy_m2 = sum([
                a.dose_area_product_total_gy_m2,
                b.dose_area_product_total_gy_m2,
            ]
            .into_iter());
            t.dose_rp_total_gy = sum([a.dose_rp_total_gy, b.dose_rp_total_gy].into_iter());
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
            t.fluoro_dose_area_product_total_gy_m2 = s(
                a.fluoro_dose_area_product_total_gy_m2,
                b.fluoro_dose_area_product_total_gy_m2,
            );
            t.fluoro_dose_rp_total_gy = s(a.fluoro_dose_rp_total_gy, b.fluoro_dose_rp_total_gy);
            t.total_fluoro_time_s = s(a.total_fluoro_time_s, b.total_fluoro_time_s);
            t.acquisition_dose_area_product_total_gy_m2 = s(
                a.acquisition_dose_area_product_total_gy_m2,
                b.acquisition_dose_area_product_total_gy_m2,
            );
            t.acquisition_dose_rp_total_gy = s(
                a.acquisition_dose_rp_total_gy,
                b.acquisition_dose_rp_total_gy,
            );
            t.total_acquisition_time_s = s(a.total_acquisition_time_s, b.total_acquisition_time_s);
            Some(t)
        }
        (a, b) => a.clone().or_else(|| b.clone()),
    }
}
