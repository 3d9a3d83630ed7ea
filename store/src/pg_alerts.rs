//! The PostgreSQL side of the alerts: the alert tables, their upkeep inside
//! [`Store::apply`](crate::Store::apply), and [`AlertStore`].
//!
//! The tables and their values are those of the SQLite backend (booleans and counts as
//! `BIGINT`, dates as `YYYY-MM-DD` text), so the canonical dumps of the two backends agree.
//!
//! Several importers may touch one patient's different studies at once. Each batch holds
//! the advisory locks of its studies; once its studies are re-assembled it takes an
//! advisory lock per touched patient (after every study lock, in key order), and only then
//! rewrites the alert rows of its studies and evaluates its patients. A second importer
//! touching the same patient waits for the first to commit, then evaluates the patient
//! with every study both committed: the result is that of a single importer.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use postgres::{Client, GenericClient, Transaction};

use crate::alerts::{
    self, AlertFlag, AlertQuery, AlertSettings, AlertState, AlertStore, AlertSubject, StudyAlert,
};
use crate::pg::PostgresStore;
use crate::{StoreError, rows};

/// Version 3: alert settings (one row) and per-RF-study alert inputs and results, as in
/// the SQLite backend; back-filled for every stored study.
pub(crate) const V3: &str = "
CREATE TABLE alert_settings (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    dap_level_gy_m2 DOUBLE PRECISION NOT NULL,
    dose_rp_level_gy DOUBLE PRECISION NOT NULL,
    look_back_weeks BIGINT NOT NULL,
    accumulate_planes BIGINT NOT NULL,
    hash_patient_id BIGINT NOT NULL,
    secret_check TEXT,
    stale BIGINT NOT NULL
);
INSERT INTO alert_settings VALUES (1, 0.02, 2.0, 12, 1, 0, NULL, 0);
CREATE TABLE study_alerts (
    study_key TEXT PRIMARY KEY,
    patient_key TEXT,
    study_date TEXT,
    dap_a_gy_m2 DOUBLE PRECISION,
    dose_rp_a_gy DOUBLE PRECISION,
    dap_b_gy_m2 DOUBLE PRECISION,
    dose_rp_b_gy DOUBLE PRECISION,
    study_dap_gy_m2 DOUBLE PRECISION,
    study_dose_rp_gy DOUBLE PRECISION,
    look_back_from TEXT,
    look_back_dap_gy_m2 DOUBLE PRECISION,
    look_back_dose_rp_gy DOUBLE PRECISION,
    look_back_studies BIGINT,
    flags TEXT NOT NULL
);
CREATE INDEX study_alerts_patient ON study_alerts(patient_key);
CREATE INDEX study_alerts_date ON study_alerts(study_date);
";

/// The first schema version with the alert tables.
pub(crate) const ALERTS_VERSION: u32 = 3;

/// The alert work of one transaction: the alert subjects of the re-assembled studies.
#[derive(Debug, Default)]
pub(crate) struct AlertWork {
    /// False while the store has no alert tables.
    enabled: bool,
    /// The site secret, when hashing patient keys.
    secret: Option<Vec<u8>>,
    /// Whether patient keys are hashed.
    hash: bool,
    /// The new subjects of RF studies, by study key, with their stored study date.
    subjects: BTreeMap<String, (AlertSubject, Option<String>)>,
    /// A patient key could not be computed (hashing on, no secret).
    missing_secret: bool,
}

impl AlertWork {
    /// The work of a transaction of a store with the alert tables.
    pub(crate) fn new(
        tx: &mut Transaction<'_>,
        secret: Option<&[u8]>,
    ) -> Result<AlertWork, StoreError> {
        // Held to the end of the transaction: a recomputation (which locks the alert tables
        // exclusively) waits for this batch, or this batch for it and then reads its settings.
        tx.batch_execute("LOCK TABLE alert_settings IN ROW SHARE MODE")?;
        let settings = read_settings(tx)?;
        Ok(AlertWork {
            enabled: true,
            secret: secret.map(<[u8]>::to_vec),
            hash: settings.hash_patient_id,
            ..AlertWork::default()
        })
    }

    /// A disabled work list (the store has no alert tables yet).
    pub(crate) fn disabled() -> AlertWork {
        AlertWork::default()
    }

    /// Notes the alert subject of a re-assembled study (RF studies only).
    pub(crate) fn remember(&mut self, study: &rdsr::study::AssembledStudy, row: &rows::StudyRow) {
        if !self.enabled || rows::exam_modality(study) != Some("RF") {
            return;
        }
        let (id, issuer) = rows::patient_identity(study);
        let patient = match (self.hash, &self.secret) {
            (false, _) => alerts::patient_key(id.as_deref(), issuer.as_deref(), None),
            (true, Some(secret)) => {
                alerts::patient_key(id.as_deref(), issuer.as_deref(), Some(secret))
            }
            (true, None) => {
                if id.is_some() {
                    self.missing_secret = true;
                }
                None
            }
        };
        let finite = |v: Option<f64>| v.filter(|v| v.is_finite()).map(|v| v + 0.0);
        self.subjects.insert(
            row.study_key.clone(),
            (
                AlertSubject {
                    study_key: row.study_key.clone(),
                    patient_key: patient,
                    study_date: date(row.study_date.as_deref()),
                    dap_a_gy_m2: finite(row.total_dap_a_gy_m2),
                    dose_rp_a_gy: finite(row.total_rp_dose_a_gy),
                    dap_b_gy_m2: finite(row.total_dap_b_gy_m2),
                    dose_rp_b_gy: finite(row.total_rp_dose_b_gy),
                },
                row.study_date.clone(),
            ),
        );
    }
}

fn read_settings(c: &mut impl GenericClient) -> Result<AlertSettings, StoreError> {
    let r = c.query_one(
        "SELECT dap_level_gy_m2, dose_rp_level_gy, look_back_weeks, accumulate_planes,
                hash_patient_id FROM alert_settings WHERE id = 1",
        &[],
    )?;
    Ok(AlertSettings::default()
        .with_dap_level_gy_m2(r.try_get(0)?)
        .with_dose_rp_level_gy(r.try_get(1)?)
        .with_look_back_weeks(u32::try_from(r.try_get::<_, i64>(2)?).unwrap_or(u32::MAX))
        .with_accumulate_planes(r.try_get::<_, i64>(3)? != 0)
        .with_hash_patient_id(r.try_get::<_, i64>(4)? != 0))
}

fn date(s: Option<&str>) -> Option<NaiveDate> {
    s.and_then(|s| s.get(..10).and_then(|d| d.parse().ok()))
}

/// The stored text of a date (`YYYY-MM-DD`).
fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// Rewrites the alert rows of the studies `keys` (re-assembled in this transaction, their
/// new subjects in `work`) and evaluates every patient they had or have. Takes a
/// transaction-scoped advisory lock per patient, in key order, before touching any row.
pub(crate) fn apply(
    tx: &mut Transaction<'_>,
    keys: &[String],
    work: &mut AlertWork,
) -> Result<(), StoreError> {
    if !work.enabled {
        return Ok(());
    }
    let mut patients: BTreeSet<String> = BTreeSet::new();
    for r in tx.query(
        "SELECT patient_key FROM study_alerts WHERE study_key = ANY($1)
         AND patient_key IS NOT NULL",
        &[&keys],
    )? {
        patients.insert(r.try_get(0)?);
    }
    let subjects = std::mem::take(&mut work.subjects);
    let mut lone = Vec::new();
    for (s, _) in subjects.values() {
        match &s.patient_key {
            Some(p) => {
                patients.insert(p.clone());
            }
            None => lone.push(s.clone()),
        }
    }
    for p in &patients {
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 1))",
            &[&format!("patient:{p}")],
        )?;
    }
    tx.execute(
        "DELETE FROM study_alerts WHERE study_key = ANY($1)",
        &[&keys],
    )?;
    let insert = tx.prepare(
        "INSERT INTO study_alerts (study_key, patient_key, study_date, dap_a_gy_m2,
             dose_rp_a_gy, dap_b_gy_m2, dose_rp_b_gy, flags)
         VALUES ($1, $2, $3, $4, $5, $6, $7, '')",
    )?;
    for (s, stored_date) in subjects.values() {
        tx.execute(
            &insert,
            &[
                &s.study_key,
                &s.patient_key,
                stored_date,
                &s.dap_a_gy_m2,
                &s.dose_rp_a_gy,
                &s.dap_b_gy_m2,
                &s.dose_rp_b_gy,
            ],
        )?;
    }
    let settings = read_settings(tx)?;
    evaluate_patients(tx, &settings, &patients, &mut |_, _| {})?;
    for a in alerts::evaluate(&settings, &lone) {
        write_alert(tx, &a)?;
    }
    if work.missing_secret {
        tx.execute("UPDATE alert_settings SET stale = 1 WHERE id = 1", &[])?;
    }
    Ok(())
}

const SUBJECT_COLUMNS: &str = "SELECT study_key, patient_key, study_date, dap_a_gy_m2,
    dose_rp_a_gy, dap_b_gy_m2, dose_rp_b_gy FROM study_alerts";

fn subject(r: &postgres::Row) -> Result<AlertSubject, StoreError> {
    Ok(AlertSubject {
        study_key: r.try_get(0)?,
        patient_key: r.try_get(1)?,
        study_date: date(r.try_get(2)?),
        dap_a_gy_m2: r.try_get(3)?,
        dose_rp_a_gy: r.try_get(4)?,
        dap_b_gy_m2: r.try_get(5)?,
        dose_rp_b_gy: r.try_get(6)?,
    })
}

/// Evaluates the patients `patients` from their stored subjects and writes the results.
fn evaluate_patients(
    tx: &mut Transaction<'_>,
    settings: &AlertSettings,
    patients: &BTreeSet<String>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<u64, StoreError> {
    let total = u64::try_from(patients.len()).unwrap_or(u64::MAX);
    let by_patient = tx.prepare(&format!("{SUBJECT_COLUMNS} WHERE patient_key = $1"))?;
    let mut done = 0u64;
    for p in patients {
        let subjects = tx
            .query(&by_patient, &[p])?
            .iter()
            .map(subject)
            .collect::<Result<Vec<_>, _>>()?;
        for a in alerts::evaluate(settings, &subjects) {
            write_alert(tx, &a)?;
        }
        done += 1;
        if done % 256 == 0 || done == total {
            progress(done, total);
        }
    }
    Ok(done)
}

fn write_alert(tx: &mut Transaction<'_>, a: &StudyAlert) -> Result<(), StoreError> {
    let flags: Vec<&str> = a.flags.iter().map(|f| f.name()).collect();
    let f = |v: Option<f64>| v.filter(|v| v.is_finite()).map(|v| v + 0.0);
    let studies = a
        .look_back_studies
        .map(|n| i64::try_from(n).unwrap_or(i64::MAX));
    tx.execute(
        "UPDATE study_alerts SET study_dap_gy_m2 = $2, study_dose_rp_gy = $3,
             look_back_from = $4, look_back_dap_gy_m2 = $5, look_back_dose_rp_gy = $6,
             look_back_studies = $7, flags = $8
         WHERE study_key = $1
           AND (study_dap_gy_m2 IS DISTINCT FROM $2 OR study_dose_rp_gy IS DISTINCT FROM $3
                OR look_back_from IS DISTINCT FROM $4 OR look_back_dap_gy_m2 IS DISTINCT FROM $5
                OR look_back_dose_rp_gy IS DISTINCT FROM $6
                OR look_back_studies IS DISTINCT FROM $7 OR flags IS DISTINCT FROM $8)",
        &[
            &a.study_key,
            &f(a.study_dap_gy_m2),
            &f(a.study_dose_rp_gy),
            &date_text(a.look_back_from),
            &f(a.look_back_dap_gy_m2),
            &f(a.look_back_dose_rp_gy),
            &studies,
            &flags.join(","),
        ],
    )?;
    Ok(())
}

fn flags(s: &str) -> Vec<AlertFlag> {
    s.split(',').filter_map(AlertFlag::from_name).collect()
}

/// Recomputes every RF study's alert subject (patient keys from the stored reports) and
/// alerts, in one transaction. Importers wait meanwhile (the alert tables are locked).
fn recompute_all(
    client: &mut Client,
    secret: Option<&[u8]>,
    settings: Option<&AlertSettings>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<u64, StoreError> {
    let mut tx = client.transaction()?;
    // Importers wait meanwhile (they take ROW SHARE on `alert_settings` first); readers do not.
    tx.batch_execute("LOCK TABLE alert_settings, study_alerts IN EXCLUSIVE MODE")?;
    if let Some(s) = settings {
        tx.execute(
            "UPDATE alert_settings SET dap_level_gy_m2 = $1, dose_rp_level_gy = $2,
                 look_back_weeks = $3, accumulate_planes = $4, hash_patient_id = $5
             WHERE id = 1",
            &[
                &s.dap_level_gy_m2,
                &s.dose_rp_level_gy,
                &i64::from(s.look_back_weeks),
                &i64::from(s.accumulate_planes),
                &i64::from(s.hash_patient_id),
            ],
        )?;
    }
    let mut work = AlertWork::new(&mut tx, secret)?;
    let keys: Vec<String> = tx
        .query(
            "SELECT study_key FROM studies WHERE template = '10001'",
            &[],
        )?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    tx.execute("DELETE FROM study_alerts", &[])?;
    tx.execute("UPDATE alert_settings SET stale = 0 WHERE id = 1", &[])?;
    for chunk in keys.chunks(256) {
        let stored = tx.query(
            "SELECT study_key, report_key, report_zlib FROM reports WHERE study_key = ANY($1)
             ORDER BY study_key COLLATE \"C\", report_key COLLATE \"C\"",
            &[&chunk],
        )?;
        let mut by_study: BTreeMap<String, Vec<(String, Vec<u8>)>> = BTreeMap::new();
        for r in stored {
            by_study
                .entry(r.try_get(0)?)
                .or_default()
                .push((r.try_get(1)?, r.try_get(2)?));
        }
        for reports in by_study.into_values() {
            let mut assembler = rdsr::study::StudyAssembler::new();
            for (rk, z) in reports {
                assembler.add(crate::decode_report(&rk, &z)?);
            }
            for s in assembler.studies() {
                let r = rows::study_rows(&s);
                work.remember(&s, &r.study);
            }
        }
    }
    let subjects = std::mem::take(&mut work.subjects);
    let insert = tx.prepare(
        "INSERT INTO study_alerts (study_key, patient_key, study_date, dap_a_gy_m2,
             dose_rp_a_gy, dap_b_gy_m2, dose_rp_b_gy, flags)
         VALUES ($1, $2, $3, $4, $5, $6, $7, '')",
    )?;
    let mut patients = BTreeSet::new();
    let mut lone = Vec::new();
    for (s, stored_date) in subjects.into_values() {
        tx.execute(
            &insert,
            &[
                &s.study_key,
                &s.patient_key,
                &stored_date,
                &s.dap_a_gy_m2,
                &s.dose_rp_a_gy,
                &s.dap_b_gy_m2,
                &s.dose_rp_b_gy,
            ],
        )?;
        match &s.patient_key {
            Some(p) => {
                patients.insert(p.clone());
            }
            None => lone.push(s),
        }
    }
    let settings = read_settings(&mut tx)?;
    let total = u64::try_from(patients.len() + lone.len()).unwrap_or(u64::MAX);
    let mut done = evaluate_patients(&mut tx, &settings, &patients, &mut |d, _| {
        progress(d, total)
    })?;
    for s in lone {
        for a in alerts::evaluate(&settings, std::slice::from_ref(&s)) {
            write_alert(&mut tx, &a)?;
        }
        done += 1;
        if done % 256 == 0 || done == total {
            progress(done, total);
        }
    }
    if work.missing_secret {
        tx.execute("UPDATE alert_settings SET stale = 1 WHERE id = 1", &[])?;
    }
    tx.commit()?;
    Ok(done)
}

impl AlertStore for PostgresStore {
    fn alert_state(&self) -> Result<AlertState, StoreError> {
        let mut client = self.client();
        let settings = read_settings(&mut *client)?;
        let stale: i64 = client
            .query_one("SELECT stale FROM alert_settings WHERE id = 1", &[])?
            .try_get(0)?;
        Ok(AlertState {
            settings,
            stale: stale != 0,
        })
    }

    fn set_site_secret(&mut self, secret: &[u8]) -> Result<(), StoreError> {
        let check = alerts::secret_check(secret);
        {
            let mut client = self.client();
            // Set when unset, in one statement (two importers may start at once).
            client.execute(
                "UPDATE alert_settings SET secret_check = $1 WHERE id = 1 AND secret_check IS NULL",
                &[&check],
            )?;
            let stored: Option<String> = client
                .query_one("SELECT secret_check FROM alert_settings WHERE id = 1", &[])?
                .try_get(0)?;
            if stored.as_deref() != Some(check.as_str()) {
                return Err(StoreError::SiteSecret(
                    "the store's patient keys were made with another site secret".to_string(),
                ));
            }
        }
        self.set_secret_bytes(secret.to_vec());
        Ok(())
    }

    fn set_alert_settings(
        &mut self,
        settings: &AlertSettings,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<(), StoreError> {
        if settings.hash_patient_id && self.site_secret().is_none() {
            return Err(StoreError::SiteSecret(
                "hashing patient IDs needs the site secret".to_string(),
            ));
        }
        let secret = self.site_secret().map(<[u8]>::to_vec);
        let mut client = self.client();
        recompute_all(&mut client, secret.as_deref(), Some(settings), progress)?;
        Ok(())
    }

    fn recompute_alerts(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<u64, StoreError> {
        let secret = self.site_secret().map(<[u8]>::to_vec);
        let mut client = self.client();
        recompute_all(&mut client, secret.as_deref(), None, progress)
    }

    fn alerts(&self, query: &AlertQuery) -> Result<Vec<StudyAlert>, StoreError> {
        let mut client = self.client();
        let since = date_text(query.since);
        let rows = client.query(
            "SELECT study_key, patient_key, study_date, dap_a_gy_m2, dose_rp_a_gy, dap_b_gy_m2,
                    dose_rp_b_gy, study_dap_gy_m2, study_dose_rp_gy, look_back_from,
                    look_back_dap_gy_m2, look_back_dose_rp_gy, flags, look_back_studies
             FROM study_alerts
             WHERE (NOT $1 OR flags != '') AND ($2::text IS NULL OR study_date >= $2)
             ORDER BY study_date COLLATE \"C\" NULLS FIRST, study_key COLLATE \"C\"",
            &[&query.flagged_only, &since],
        )?;
        // The window of a study: its patient's RF studies dated from `look_back_from` to its
        // own date, as `alerts::evaluate` sums them.
        let contributors = client.prepare(
            "SELECT study_key FROM study_alerts
             WHERE patient_key = $1 AND study_date >= $2 AND study_date <= $3
             ORDER BY study_date COLLATE \"C\", study_key COLLATE \"C\"",
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let key: String = r.try_get(0)?;
            let patient: Option<String> = r.try_get(1)?;
            let study_date: Option<String> = r.try_get(2)?;
            let from: Option<String> = r.try_get(9)?;
            let contributing_studies = match (&patient, &study_date, &from) {
                (Some(p), Some(d), Some(f)) => client
                    .query(&contributors, &[p, f, d])?
                    .iter()
                    .map(|r| r.try_get(0))
                    .collect::<Result<Vec<String>, _>>()?,
                _ => Vec::new(),
            };
            out.push(StudyAlert {
                patient_key: patient,
                study_date: date(study_date.as_deref()),
                dap_a_gy_m2: r.try_get(3)?,
                dose_rp_a_gy: r.try_get(4)?,
                dap_b_gy_m2: r.try_get(5)?,
                dose_rp_b_gy: r.try_get(6)?,
                study_dap_gy_m2: r.try_get(7)?,
                study_dose_rp_gy: r.try_get(8)?,
                look_back_from: date(from.as_deref()),
                look_back_dap_gy_m2: r.try_get(10)?,
                look_back_dose_rp_gy: r.try_get(11)?,
                flags: flags(&r.try_get::<_, String>(12)?),
                look_back_studies: r
                    .try_get::<_, Option<i64>>(13)?
                    .and_then(|n| u64::try_from(n).ok()),
                contributing_studies,
                study_key: key,
            });
        }
        Ok(out)
    }
}
