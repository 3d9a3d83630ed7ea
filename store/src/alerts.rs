//! Fluoroscopy high-dose alerts: per-study checks and per-patient look-back sums.
//!
//! # Overview
//!
//! Every stored RF study is an [`AlertSubject`]: its patient key, its date and its totals per
//! accumulated plane. [`evaluate`] takes the subjects of ONE patient and the
//! [`AlertSettings`] and returns a [`StudyAlert`] for each: the study figures, the look-back
//! sums over every RF study of the patient dated in the window `[date - N weeks, date]`
//! (inclusive, dates only, the study itself included), the studies that contributed, and
//! the flags that fired. It is a pure function of the patient's set of studies, so backends
//! call it for every patient a change touches (a study arriving, changing patient, or
//! being re-assembled) and the alerts never depend on import order
//! ([OpenREM B14](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b14)).
//!
//! Plane handling is one setting, applied the same way to the study figures and to the
//! look-back sums ([OpenREM B13](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b13)):
//! with [`AlertSettings::accumulate_planes`] the planes of a biplane study are added before
//! comparing; without it each plane is compared (and summed over the window) on its own.
//!
//! The data are reached through [`AlertStore`], which each backend implements.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Store, StoreError};

/// Site-wide alert settings, stored with the alerts they produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AlertSettings {
    /// Alert level for the dose-area product, Gy·m². Default: 0.02 (20 000 cGy·cm²).
    pub dap_level_gy_m2: f64,
    /// Alert level for the dose at the reference point, Gy. Default: 2.0.
    pub dose_rp_level_gy: f64,
    /// Look-back window, weeks. Default: 12.
    pub look_back_weeks: u32,
    /// Whether the planes of a biplane study are added before comparing (study figures and
    /// look-back sums alike). Default: true.
    pub accumulate_planes: bool,
    /// Whether patients are keyed by a keyed hash (HMAC-SHA-256 with the site secret) of
    /// Patient ID and issuer instead of the ID itself. Default: false.
    pub hash_patient_id: bool,
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings {
            dap_level_gy_m2: 0.02,
            dose_rp_level_gy: 2.0,
            look_back_weeks: 12,
            accumulate_planes: true,
            hash_patient_id: false,
        }
    }
}

impl AlertSettings {
    /// Sets the DAP level, Gy·m².
    pub fn with_dap_level_gy_m2(mut self, level: f64) -> Self {
        self.dap_level_gy_m2 = level;
        self
    }
    /// Sets the dose-at-RP level, Gy.
    pub fn with_dose_rp_level_gy(mut self, level: f64) -> Self {
        self.dose_rp_level_gy = level;
        self
    }
    /// Sets the look-back window, weeks.
    pub fn with_look_back_weeks(mut self, weeks: u32) -> Self {
        self.look_back_weeks = weeks;
        self
    }
    /// Sets whether planes are added before comparing.
    pub fn with_accumulate_planes(mut self, on: bool) -> Self {
        self.accumulate_planes = on;
        self
    }
    /// Sets whether patient IDs are stored as keyed hashes.
    pub fn with_hash_patient_id(mut self, on: bool) -> Self {
        self.hash_patient_id = on;
        self
    }
}

/// One RF study as the alert computation sees it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AlertSubject {
    /// Study key.
    pub study_key: String,
    /// Patient key (see [`patient_key`]); `None` when the study has no Patient ID.
    pub patient_key: Option<String>,
    /// Study date.
    pub study_date: Option<NaiveDate>,
    /// Total DAP of plane A (the first accumulated plane), Gy·m².
    pub dap_a_gy_m2: Option<f64>,
    /// Total dose at RP of plane A, Gy.
    pub dose_rp_a_gy: Option<f64>,
    /// Total DAP of plane B, Gy·m².
    pub dap_b_gy_m2: Option<f64>,
    /// Total dose at RP of plane B, Gy.
    pub dose_rp_b_gy: Option<f64>,
}

/// What fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AlertFlag {
    /// The study's DAP reached the level.
    StudyDap,
    /// The study's dose at RP reached the level.
    StudyDoseRp,
    /// The look-back DAP sum reached the level.
    LookBackDap,
    /// The look-back dose-at-RP sum reached the level.
    LookBackDoseRp,
}

impl AlertFlag {
    /// The stored (and JSON) name.
    pub fn name(self) -> &'static str {
        match self {
            AlertFlag::StudyDap => "study_dap",
            AlertFlag::StudyDoseRp => "study_dose_rp",
            AlertFlag::LookBackDap => "look_back_dap",
            AlertFlag::LookBackDoseRp => "look_back_dose_rp",
        }
    }

    /// The flag of a stored name.
    pub fn from_name(name: &str) -> Option<AlertFlag> {
        [
            AlertFlag::StudyDap,
            AlertFlag::StudyDoseRp,
            AlertFlag::LookBackDap,
            AlertFlag::LookBackDoseRp,
        ]
        .into_iter()
        .find(|f| f.name() == name)
    }
}

/// The alert figures of one RF study.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct StudyAlert {
    /// Study key.
    pub study_key: String,
    /// Patient key (clear ID, or `hmac-sha256:HEX`).
    pub patient_key: Option<String>,
    /// Study date (ISO 8601).
    pub study_date: Option<NaiveDate>,
    /// Total DAP of plane A, Gy·m².
    pub dap_a_gy_m2: Option<f64>,
    /// Total dose at RP of plane A, Gy.
    pub dose_rp_a_gy: Option<f64>,
    /// Total DAP of plane B, Gy·m².
    pub dap_b_gy_m2: Option<f64>,
    /// Total dose at RP of plane B, Gy.
    pub dose_rp_b_gy: Option<f64>,
    /// The study DAP compared with the level (both planes added, or the larger plane), Gy·m².
    pub study_dap_gy_m2: Option<f64>,
    /// The study dose at RP compared with the level, Gy.
    pub study_dose_rp_gy: Option<f64>,
    /// First day of the look-back window (absent without patient key or date).
    pub look_back_from: Option<NaiveDate>,
    /// Look-back DAP sum compared with the level, Gy·m².
    pub look_back_dap_gy_m2: Option<f64>,
    /// Look-back dose-at-RP sum compared with the level, Gy.
    pub look_back_dose_rp_gy: Option<f64>,
    /// How many studies are in the look-back window, this one included (absent without
    /// patient key or date).
    pub look_back_studies: Option<u64>,
    /// The studies in the window (this one included), by date then key. Filled by
    /// [`AlertStore::alerts`]; left empty by [`evaluate`], which gives only the count.
    pub contributing_studies: Vec<String>,
    /// What fired, in [`AlertFlag`] order.
    pub flags: Vec<AlertFlag>,
}

impl StudyAlert {
    /// Whether anything fired.
    pub fn is_flagged(&self) -> bool {
        !self.flags.is_empty()
    }
}

fn add(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a + b),
        (a, None) => a,
        (None, b) => b,
    }
}

fn larger(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

/// Null and zero never fire; otherwise `value >= level`.
fn reaches(value: Option<f64>, level: f64) -> bool {
    matches!(value, Some(v) if v > 0.0 && v >= level)
}

/// The study figure compared with a level: both planes added, or the larger plane.
fn combine(settings: &AlertSettings, a: Option<f64>, b: Option<f64>) -> Option<f64> {
    if settings.accumulate_planes {
        add(a, b)
    } else {
        larger(a, b)
    }
}

/// The first day of the look-back window ending on `date` (inclusive).
pub fn window_start(date: NaiveDate, weeks: u32) -> NaiveDate {
    date.checked_sub_days(Days::new(u64::from(weeks) * 7))
        .unwrap_or(NaiveDate::MIN)
}

/// The alerts of one patient's RF studies (or of one study without a patient key, passed
/// alone). Deterministic: the result depends on the set of subjects, not their order.
///
/// Linear in the number of subjects plus the sizes of their windows: each window is found by
/// two indices that only move forward over the patient's studies in date order, and its sums
/// are added in that order (so a study's figures do not depend on its neighbours outside the
/// window). [`StudyAlert::contributing_studies`] is left empty: a patient with thousands of
/// studies would otherwise cost a list per study; the count is in
/// [`StudyAlert::look_back_studies`], and [`AlertStore::alerts`] reads the list back when it
/// is shown.
pub fn evaluate(settings: &AlertSettings, subjects: &[AlertSubject]) -> Vec<StudyAlert> {
    let mut sorted: Vec<&AlertSubject> = subjects.iter().collect();
    sorted.sort_by(|x, y| (x.study_date, &x.study_key).cmp(&(y.study_date, &y.study_key)));
    let mut out: Vec<StudyAlert> = sorted
        .iter()
        .map(|s| StudyAlert {
            study_key: s.study_key.clone(),
            patient_key: s.patient_key.clone(),
            study_date: s.study_date,
            dap_a_gy_m2: s.dap_a_gy_m2,
            dose_rp_a_gy: s.dose_rp_a_gy,
            dap_b_gy_m2: s.dap_b_gy_m2,
            dose_rp_b_gy: s.dose_rp_b_gy,
            study_dap_gy_m2: combine(settings, s.dap_a_gy_m2, s.dap_b_gy_m2),
            study_dose_rp_gy: combine(settings, s.dose_rp_a_gy, s.dose_rp_b_gy),
            ..StudyAlert::default()
        })
        .collect();
    // Positions (in `sorted`, so in date order) of each patient's dated studies.
    let mut by_patient: BTreeMap<&str, Vec<(usize, NaiveDate)>> = BTreeMap::new();
    for (i, s) in sorted.iter().enumerate() {
        if let (Some(p), Some(date)) = (&s.patient_key, s.study_date) {
            by_patient.entry(p.as_str()).or_default().push((i, date));
        }
    }
    for studies in by_patient.values() {
        // The window of the study at `at` is `studies[lo..hi]`: dated from its first day to
        // its own date, same-day studies after it included.
        let (mut lo, mut hi) = (0usize, 0usize);
        for &(i, date) in studies {
            let from = window_start(date, settings.look_back_weeks);
            while studies.get(lo).is_some_and(|&(_, d)| d < from) {
                lo += 1;
            }
            while studies.get(hi).is_some_and(|&(_, d)| d <= date) {
                hi += 1;
            }
            let mut sums = [None::<f64>; 4];
            for &(j, _) in studies.get(lo..hi).unwrap_or_default() {
                let Some(o) = sorted.get(j) else { continue };
                for (sum, v) in sums.iter_mut().zip([
                    o.dap_a_gy_m2,
                    o.dap_b_gy_m2,
                    o.dose_rp_a_gy,
                    o.dose_rp_b_gy,
                ]) {
                    *sum = add(*sum, v);
                }
            }
            let [dap_a, dap_b, rp_a, rp_b] = sums;
            if let Some(alert) = out.get_mut(i) {
                alert.look_back_from = Some(from);
                alert.look_back_studies = Some(u64::try_from(hi - lo).unwrap_or(u64::MAX));
                alert.look_back_dap_gy_m2 = combine(settings, dap_a, dap_b);
                alert.look_back_dose_rp_gy = combine(settings, rp_a, rp_b);
            }
        }
    }
    for alert in &mut out {
        let checks = [
            (
                AlertFlag::StudyDap,
                alert.study_dap_gy_m2,
                settings.dap_level_gy_m2,
            ),
            (
                AlertFlag::StudyDoseRp,
                alert.study_dose_rp_gy,
                settings.dose_rp_level_gy,
            ),
            (
                AlertFlag::LookBackDap,
                alert.look_back_dap_gy_m2,
                settings.dap_level_gy_m2,
            ),
            (
                AlertFlag::LookBackDoseRp,
                alert.look_back_dose_rp_gy,
                settings.dose_rp_level_gy,
            ),
        ];
        alert.flags = checks
            .into_iter()
            .filter(|(_, v, level)| reaches(*v, *level))
            .map(|(f, _, _)| f)
            .collect();
    }
    out
}

/// HMAC-SHA-256 (RFC 2104) of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        let d = Sha256::digest(key);
        for (dst, src) in k.iter_mut().zip(d.iter()) {
            *dst = *src;
        }
    } else {
        for (dst, src) in k.iter_mut().zip(key) {
            *dst = *src;
        }
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner);
    outer.finalize().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The key a patient's studies are grouped under: Patient ID plus Issuer of Patient ID when
/// present (`ID [ISSUER]`), or with `secret` given, `hmac-sha256:HEX` of the two (so equal
/// IDs give equal keys and the ID itself is not kept). `None` without a Patient ID.
pub fn patient_key(
    id: Option<&str>,
    issuer: Option<&str>,
    secret: Option<&[u8]>,
) -> Option<String> {
    let id = id.map(str::trim).filter(|s| !s.is_empty())?;
    let issuer = issuer.map(str::trim).filter(|s| !s.is_empty());
    match secret {
        Some(secret) => {
            let mut message = id.as_bytes().to_vec();
            message.push(0);
            message.extend_from_slice(issuer.unwrap_or_default().as_bytes());
            Some(format!(
                "hmac-sha256:{}",
                hex(&hmac_sha256(secret, &message))
            ))
        }
        None => Some(match issuer {
            Some(issuer) => format!("{id} [{issuer}]"),
            None => id.to_string(),
        }),
    }
}

/// A value stored with the settings to recognise the site secret (a keyed hash of a fixed
/// text): a different secret would split every patient in two.
pub fn secret_check(secret: &[u8]) -> String {
    hex(&hmac_sha256(secret, b"rdsr site secret check"))
}

/// Which alerts [`AlertStore::alerts`] lists.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct AlertQuery {
    /// Only flagged studies. Default: true.
    pub flagged_only: bool,
    /// Only studies dated on or after this day. Default: none.
    pub since: Option<NaiveDate>,
}

impl AlertQuery {
    /// Flagged studies, any date.
    pub fn flagged() -> AlertQuery {
        AlertQuery {
            flagged_only: true,
            since: None,
        }
    }
    /// Every RF study, any date.
    pub fn all() -> AlertQuery {
        AlertQuery {
            flagged_only: false,
            since: None,
        }
    }
    /// Only studies dated on or after `date`.
    pub fn since(mut self, date: NaiveDate) -> AlertQuery {
        self.since = Some(date);
        self
    }
}

/// The alert state of a store.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AlertState {
    /// The settings the stored alerts were computed with.
    pub settings: AlertSettings,
    /// True when patient keys could not be computed at import (hashing is on and the store
    /// was written without the site secret): run a recomputation with the secret.
    pub stale: bool,
}

/// What a backend provides for alerts. The computation itself is [`evaluate`]; a backend
/// calls it, inside the import transaction, for every patient whose set of RF studies
/// changed, and for every patient on [`AlertStore::recompute_alerts`].
pub trait AlertStore: Store {
    /// The stored settings and whether the alerts are stale.
    fn alert_state(&self) -> Result<AlertState, StoreError>;
    /// Gives the site secret used for hashed patient keys (kept in memory only). Fails with
    /// [`StoreError::SiteSecret`] when the store was keyed with another secret.
    fn set_site_secret(&mut self, secret: &[u8]) -> Result<(), StoreError>;
    /// Stores new settings and recomputes every RF study's alerts with them, in one
    /// transaction. `progress(done, total)` is called as patients are done.
    fn set_alert_settings(
        &mut self,
        settings: &AlertSettings,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<(), StoreError>;
    /// Recomputes every RF study's alerts with the stored settings (patient keys too).
    fn recompute_alerts(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<u64, StoreError>;
    /// The stored alerts, ordered by study date then study key.
    fn alerts(&self, query: &AlertQuery) -> Result<Vec<StudyAlert>, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    fn subject(key: &str, date: &str, dap: f64, rp: f64) -> AlertSubject {
        AlertSubject {
            study_key: key.to_string(),
            patient_key: Some("P".to_string()),
            study_date: d(date),
            dap_a_gy_m2: Some(dap),
            dose_rp_a_gy: Some(rp),
            ..AlertSubject::default()
        }
    }

    /// RFC 4231 test case 2.
    #[test]
    fn hmac_sha256_matches_rfc_4231() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn window_is_inclusive_and_looks_back_only() {
        let s = AlertSettings::default().with_look_back_weeks(2);
        let subjects = [
            subject("early", "2016-04-27", 1.0, 1.0),
            subject("edge", "2016-04-28", 1.0, 1.0),
            subject("mid", "2016-05-10", 1.0, 1.0),
            subject("new", "2016-05-12", 1.0, 1.0),
        ];
        let out = evaluate(&s, &subjects);
        let new = out.iter().find(|a| a.study_key == "new");
        assert_eq!(new.and_then(|a| a.look_back_studies), Some(3));
        assert_eq!(new.and_then(|a| a.look_back_from), d("2016-04-28"));
        assert_eq!(new.and_then(|a| a.look_back_dap_gy_m2), Some(3.0));
        let mid = out.iter().find(|a| a.study_key == "mid");
        assert_eq!(mid.and_then(|a| a.look_back_dap_gy_m2), Some(3.0));
        let reversed: Vec<AlertSubject> = subjects.iter().rev().cloned().collect();
        assert_eq!(evaluate(&s, &reversed), out);
    }

    /// The two-index window gives, for every study, exactly the sums and counts of a
    /// brute-force scan over all subjects (same patient, dated in the window), on a set with
    /// several patients, same-day studies, undated studies and missing planes.
    #[test]
    fn sliding_window_equals_brute_force_scan() {
        let settings = AlertSettings::default().with_look_back_weeks(3);
        let base = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or(NaiveDate::MIN);
        let mut x = 0x2545_f491_u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let subjects: Vec<AlertSubject> = (0..600)
            .map(|i| {
                let r = next();
                AlertSubject {
                    study_key: format!("s{i:04}"),
                    patient_key: (r % 11 != 0).then(|| format!("p{}", r % 4)),
                    study_date: (r % 13 != 0)
                        .then(|| base.checked_add_days(Days::new((r >> 8) % 200)))
                        .flatten(),
                    dap_a_gy_m2: (r % 5 != 0).then_some(((r >> 16) % 1000) as f64 * 1e-5),
                    dose_rp_a_gy: Some(((r >> 24) % 1000) as f64 * 1e-3),
                    dap_b_gy_m2: (r % 3 == 0).then_some(((r >> 32) % 1000) as f64 * 1e-5),
                    dose_rp_b_gy: (r % 3 == 0).then_some(0.1),
                }
            })
            .collect();
        let out = evaluate(&settings, &subjects);
        assert_eq!(out.len(), subjects.len());
        let mut sorted: Vec<&AlertSubject> = subjects.iter().collect();
        sorted.sort_by(|x, y| (x.study_date, &x.study_key).cmp(&(y.study_date, &y.study_key)));
        let mut windows = 0;
        for (s, a) in sorted.iter().zip(&out) {
            assert_eq!(s.study_key, a.study_key);
            assert!(a.contributing_studies.is_empty());
            let (Some(p), Some(date)) = (&s.patient_key, s.study_date) else {
                assert_eq!((a.look_back_from, a.look_back_studies), (None, None));
                continue;
            };
            let from = window_start(date, 3);
            let mut sums = [None::<f64>; 4];
            let mut n = 0u64;
            for o in &sorted {
                if o.patient_key.as_ref() == Some(p)
                    && matches!(o.study_date, Some(d) if d >= from && d <= date)
                {
                    n += 1;
                    for (sum, v) in sums.iter_mut().zip([
                        o.dap_a_gy_m2,
                        o.dap_b_gy_m2,
                        o.dose_rp_a_gy,
                        o.dose_rp_b_gy,
                    ]) {
                        *sum = add(*sum, v);
                    }
                }
            }
            assert_eq!(a.look_back_from, Some(from));
            assert_eq!(a.look_back_studies, Some(n), "{}", s.study_key);
            assert_eq!(a.look_back_dap_gy_m2, add(sums[0], sums[1]));
            assert_eq!(a.look_back_dose_rp_gy, add(sums[2], sums[3]));
            windows += 1;
        }
        assert!(windows > 400, "{windows}");
    }

    /// OpenREM B13: a biplane study whose planes are each below the level but together
    /// above it is flagged when planes are accumulated, and not otherwise.
    #[test]
    fn biplane_study_flag_follows_accumulate_planes_b13() {
        let mut s = subject("bi", "2020-01-01", 0.012, 1.2);
        s.dap_b_gy_m2 = Some(0.012);
        s.dose_rp_b_gy = Some(1.2);
        let on = evaluate(&AlertSettings::default(), std::slice::from_ref(&s));
        assert_eq!(
            on.first().map(|a| a.flags.clone()),
            Some(vec![
                AlertFlag::StudyDap,
                AlertFlag::StudyDoseRp,
                AlertFlag::LookBackDap,
                AlertFlag::LookBackDoseRp
            ])
        );
        let off = evaluate(
            &AlertSettings::default().with_accumulate_planes(false),
            std::slice::from_ref(&s),
        );
        assert_eq!(off.first().map(|a| a.flags.is_empty()), Some(true));
        assert_eq!(off.first().and_then(|a| a.study_dap_gy_m2), Some(0.012));
    }

    #[test]
    fn zero_and_missing_values_never_fire() {
        let s = AlertSettings::default()
            .with_dap_level_gy_m2(0.0)
            .with_dose_rp_level_gy(0.0);
        let mut z = subject("z", "2020-01-01", 0.0, 0.0);
        z.dose_rp_a_gy = None;
        let out = evaluate(&s, &[z]);
        assert_eq!(out.first().map(|a| a.flags.len()), Some(0));
    }

    #[test]
    fn patient_key_hashes_id_and_issuer() {
        assert_eq!(
            patient_key(Some(" 123 "), None, None).as_deref(),
            Some("123")
        );
        assert_eq!(
            patient_key(Some("123"), Some("HOSP"), None).as_deref(),
            Some("123 [HOSP]")
        );
        assert_eq!(patient_key(Some(""), None, None), None);
        let a = patient_key(Some("123"), Some("A"), Some(b"secret"));
        let b = patient_key(Some("123"), Some("B"), Some(b"secret"));
        let c = patient_key(Some("123"), Some("A"), Some(b"other"));
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, patient_key(Some("123"), Some("A"), Some(b"secret")));
        assert!(a.is_some_and(|k| k.starts_with("hmac-sha256:") && !k.contains("123")));
    }
}
