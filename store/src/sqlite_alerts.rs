//! The SQLite side of the alerts: the alert tables, their rows, and [`AlertStore`].

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Transaction};

use crate::alerts::{
    self, AlertFlag, AlertQuery, AlertSettings, AlertState, AlertStore, AlertSubject, StudyAlert,
};
use crate::sqlite::SqliteStore;
use crate::{StoreError, rows};

/// Version 3: alert settings (one row) and per-RF-study alert inputs and results; back-filled
/// for every stored study. The studies contributing to a look-back sum are not stored (they
/// would grow with the square of a patient's studies): they are the patient's rows dated in
/// the window, read back by [`AlertStore::alerts`].
pub(crate) const V3: &str = "
CREATE TABLE alert_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    dap_level_gy_m2 REAL NOT NULL,
    dose_rp_level_gy REAL NOT NULL,
    look_back_weeks INTEGER NOT NULL,
    accumulate_planes INTEGER NOT NULL,
    hash_patient_id INTEGER NOT NULL,
    secret_check TEXT,
    stale INTEGER NOT NULL
);
INSERT INTO alert_settings VALUES (1, 0.02, 2.0, 12, 1, 0, NULL, 0);
CREATE TABLE study_alerts (
    study_key TEXT PRIMARY KEY,
    patient_key TEXT,
    study_date TEXT,
    dap_a_gy_m2 REAL,
    dose_rp_a_gy REAL,
    dap_b_gy_m2 REAL,
    dose_rp_b_gy REAL,
    study_dap_gy_m2 REAL,
    study_dose_rp_gy REAL,
    look_back_from TEXT,
    look_back_dap_gy_m2 REAL,
    look_back_dose_rp_gy REAL,
    look_back_studies INTEGER,
    flags TEXT NOT NULL
);
CREATE INDEX study_alerts_patient ON study_alerts(patient_key);
CREATE INDEX study_alerts_date ON study_alerts(study_date);
";

/// The alert work of one transaction: the patients (and patient-less studies) whose alerts
/// must be evaluated again.
#[derive(Debug, Default)]
pub(crate) struct AlertWork {
    /// False while migrating to a schema without the alert tables.
    pub enabled: bool,
    /// The site secret, when hashing patient keys.
    pub secret: Option<Vec<u8>>,
    /// Whether patient keys are hashed.
    pub hash: bool,
    /// Patients to evaluate.
    pub patients: BTreeSet<String>,
    /// Studies without a patient key to evaluate alone.
    pub lone: BTreeSet<String>,
    /// A patient key could not be computed (hashing on, no secret).
    pub missing_secret: bool,
}

impl AlertWork {
    pub(crate) fn new(conn: &Connection, secret: Option<&[u8]>) -> Result<AlertWork, StoreError> {
        let settings = read_settings(conn)?;
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
}

fn read_settings(conn: &Connection) -> Result<AlertSettings, StoreError> {
    Ok(conn.query_row(
        "SELECT dap_level_gy_m2, dose_rp_level_gy, look_back_weeks, accumulate_planes,
                hash_patient_id FROM alert_settings WHERE id = 1",
        [],
        |r| {
            Ok(AlertSettings::default()
                .with_dap_level_gy_m2(r.get(0)?)
                .with_dose_rp_level_gy(r.get(1)?)
                .with_look_back_weeks(r.get(2)?)
                .with_accumulate_planes(r.get(3)?)
                .with_hash_patient_id(r.get(4)?))
        },
    )?)
}

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| s.get(..10).and_then(|d| d.parse().ok()))
}

/// Called by `rederive` before a study's derived rows are rewritten: its alert rows go, and
/// its former patient is to be evaluated again.
pub(crate) fn forget_study(
    tx: &Transaction<'_>,
    key: &str,
    work: &mut AlertWork,
) -> Result<(), StoreError> {
    if !work.enabled {
        return Ok(());
    }
    let old: Option<Option<String>> = tx
        .prepare_cached("SELECT patient_key FROM study_alerts WHERE study_key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    if let Some(Some(p)) = old {
        work.patients.insert(p);
    }
    tx.prepare_cached("DELETE FROM study_alerts WHERE study_key = ?1")?
        .execute([key])?;
    work.lone.remove(key);
    Ok(())
}

/// Called by `rederive` after a study's rows are written: an RF study becomes an alert
/// subject, to be evaluated with its patient.
pub(crate) fn remember_study(
    tx: &Transaction<'_>,
    study: &rdsr::study::AssembledStudy,
    row: &rows::StudyRow,
    work: &mut AlertWork,
) -> Result<(), StoreError> {
    if !work.enabled || rows::exam_modality(study) != Some("RF") {
        return Ok(());
    }
    let (id, issuer) = rows::patient_identity(study);
    let patient = match (work.hash, &work.secret) {
        (false, _) => alerts::patient_key(id.as_deref(), issuer.as_deref(), None),
        (true, Some(secret)) => alerts::patient_key(id.as_deref(), issuer.as_deref(), Some(secret)),
        (true, None) => {
            if id.is_some() {
                work.missing_secret = true;
            }
            None
        }
    };
    tx.prepare_cached(
        "INSERT OR REPLACE INTO study_alerts (study_key, patient_key, study_date, dap_a_gy_m2,
             dose_rp_a_gy, dap_b_gy_m2, dose_rp_b_gy, flags)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '')",
    )?
    .execute(rusqlite::params![
        row.study_key,
        patient,
        row.study_date,
        row.total_dap_a_gy_m2,
        row.total_rp_dose_a_gy,
        row.total_dap_b_gy_m2,
        row.total_rp_dose_b_gy,
    ])?;
    match patient {
        Some(p) => work.patients.insert(p),
        None => work.lone.insert(row.study_key.clone()),
    };
    Ok(())
}

fn subjects(tx: &Transaction<'_>, sql: &str, param: &str) -> Result<Vec<AlertSubject>, StoreError> {
    let mut st = tx.prepare_cached(sql)?;
    let out = st
        .query_map([param], |r| {
            Ok(AlertSubject {
                study_key: r.get(0)?,
                patient_key: r.get(1)?,
                study_date: date(r.get(2)?),
                dap_a_gy_m2: r.get(3)?,
                dose_rp_a_gy: r.get(4)?,
                dap_b_gy_m2: r.get(5)?,
                dose_rp_b_gy: r.get(6)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(out)
}

const SUBJECT_COLUMNS: &str = "SELECT study_key, patient_key, study_date, dap_a_gy_m2,
    dose_rp_a_gy, dap_b_gy_m2, dose_rp_b_gy FROM study_alerts";

fn write_alert(tx: &Transaction<'_>, a: &StudyAlert) -> Result<(), StoreError> {
    let flags: Vec<&str> = a.flags.iter().map(|f| f.name()).collect();
    let f = |v: Option<f64>| v.filter(|v| v.is_finite()).map_or(Value::Null, Value::Real);
    tx.prepare_cached(
        "UPDATE study_alerts SET study_dap_gy_m2 = ?2, study_dose_rp_gy = ?3,
             look_back_from = ?4, look_back_dap_gy_m2 = ?5, look_back_dose_rp_gy = ?6,
             look_back_studies = ?7, flags = ?8
         WHERE study_key = ?1
           AND (study_dap_gy_m2 IS NOT ?2 OR study_dose_rp_gy IS NOT ?3
                OR look_back_from IS NOT ?4 OR look_back_dap_gy_m2 IS NOT ?5
                OR look_back_dose_rp_gy IS NOT ?6 OR look_back_studies IS NOT ?7
                OR flags IS NOT ?8)",
    )?
    .execute(rusqlite::params![
        a.study_key,
        f(a.study_dap_gy_m2),
        f(a.study_dose_rp_gy),
        a.look_back_from.map(|d| d.to_string()),
        f(a.look_back_dap_gy_m2),
        f(a.look_back_dose_rp_gy),
        a.look_back_studies
            .map(|n| i64::try_from(n).unwrap_or(i64::MAX)),
        flags.join(","),
    ])?;
    Ok(())
}

/// Evaluates the alerts of every patient and lone study in `work`, with the stored settings.
pub(crate) fn refresh(
    tx: &Transaction<'_>,
    work: &mut AlertWork,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<u64, StoreError> {
    if !work.enabled {
        return Ok(0);
    }
    let settings = read_settings(tx)?;
    let total = u64::try_from(work.patients.len() + work.lone.len()).unwrap_or(u64::MAX);
    let mut done = 0u64;
    let patients = std::mem::take(&mut work.patients);
    let lone = std::mem::take(&mut work.lone);
    let by_patient = format!("{SUBJECT_COLUMNS} WHERE patient_key = ?1");
    let by_study = format!("{SUBJECT_COLUMNS} WHERE study_key = ?1");
    for (sql, key) in patients
        .iter()
        .map(|p| (&by_patient, p))
        .chain(lone.iter().map(|s| (&by_study, s)))
    {
        let subjects = subjects(tx, sql, key)?;
        for a in alerts::evaluate(&settings, &subjects) {
            write_alert(tx, &a)?;
        }
        done += 1;
        if done % 256 == 0 || done == total {
            progress(done, total);
        }
    }
    if work.missing_secret {
        tx.execute("UPDATE alert_settings SET stale = 1 WHERE id = 1", [])?;
    }
    Ok(done)
}

fn flags(s: &str) -> Vec<AlertFlag> {
    s.split(',').filter_map(AlertFlag::from_name).collect()
}

impl SqliteStore {
    fn recompute_all(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<u64, StoreError> {
        let secret = self.site_secret().map(<[u8]>::to_vec);
        let tx = self.conn_mut().transaction()?;
        let mut work = AlertWork::new(&tx, secret.as_deref())?;
        let keys: Vec<String> = {
            let mut st = tx.prepare("SELECT study_key FROM studies WHERE template = '10001'")?;
            st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?
        };
        tx.execute("DELETE FROM study_alerts", [])?;
        tx.execute("UPDATE alert_settings SET stale = 0 WHERE id = 1", [])?;
        // The patient keys depend on the stored reports (ID and issuer) and on the hashing
        // setting: derive them again from the reports, one study at a time.
        for key in &keys {
            crate::sqlite::rederive_alert_subject(&tx, key, &mut work)?;
        }
        let n = refresh(&tx, &mut work, progress)?;
        tx.commit()?;
        Ok(n)
    }
}

impl AlertStore for SqliteStore {
    fn alert_state(&self) -> Result<AlertState, StoreError> {
        let settings = read_settings(self.connection())?;
        let stale: bool = self.connection().query_row(
            "SELECT stale FROM alert_settings WHERE id = 1",
            [],
            |r| r.get(0),
        )?;
        Ok(AlertState { settings, stale })
    }

    fn set_site_secret(&mut self, secret: &[u8]) -> Result<(), StoreError> {
        let check = alerts::secret_check(secret);
        let stored: Option<String> = self.connection().query_row(
            "SELECT secret_check FROM alert_settings WHERE id = 1",
            [],
            |r| r.get(0),
        )?;
        match stored {
            Some(s) if s != check => {
                return Err(StoreError::SiteSecret(
                    "the store's patient keys were made with another site secret".to_string(),
                ));
            }
            Some(_) => {}
            None => {
                self.connection().execute(
                    "UPDATE alert_settings SET secret_check = ?1 WHERE id = 1",
                    [&check],
                )?;
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
        self.connection().execute(
            "UPDATE alert_settings SET dap_level_gy_m2 = ?1, dose_rp_level_gy = ?2,
                 look_back_weeks = ?3, accumulate_planes = ?4, hash_patient_id = ?5
             WHERE id = 1",
            rusqlite::params![
                settings.dap_level_gy_m2,
                settings.dose_rp_level_gy,
                settings.look_back_weeks,
                settings.accumulate_planes,
                settings.hash_patient_id,
            ],
        )?;
        self.recompute_all(progress)?;
        Ok(())
    }

    fn recompute_alerts(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<u64, StoreError> {
        self.recompute_all(progress)
    }

    fn alerts(&self, query: &AlertQuery) -> Result<Vec<StudyAlert>, StoreError> {
        let conn = self.connection();
        let mut st = conn.prepare(
            "SELECT study_key, patient_key, study_date, dap_a_gy_m2, dose_rp_a_gy, dap_b_gy_m2,
                    dose_rp_b_gy, study_dap_gy_m2, study_dose_rp_gy, look_back_from,
                    look_back_dap_gy_m2, look_back_dose_rp_gy, flags, look_back_studies
             FROM study_alerts
             WHERE (?1 = 0 OR flags != '') AND (?2 IS NULL OR study_date >= ?2)
             ORDER BY study_date, study_key",
        )?;
        // The window of a study: its patient's RF studies dated from `look_back_from` to its
        // own date, as `alerts::evaluate` sums them.
        let mut contributors = conn.prepare(
            "SELECT study_key FROM study_alerts
             WHERE patient_key = ?1 AND study_date >= ?2 AND study_date <= ?3
             ORDER BY study_date, study_key",
        )?;
        let mut out = Vec::new();
        let mut rows = st.query(rusqlite::params![
            query.flagged_only,
            query.since.map(|d| d.to_string())
        ])?;
        while let Some(r) = rows.next()? {
            let key: String = r.get(0)?;
            let patient: Option<String> = r.get(1)?;
            let study_date: Option<String> = r.get(2)?;
            let from: Option<String> = r.get(9)?;
            let contributing_studies = match (&patient, &study_date, &from) {
                (Some(p), Some(d), Some(f)) => contributors
                    .query_map([p, f, d], |r| r.get(0))?
                    .collect::<Result<Vec<String>, _>>()?,
                _ => Vec::new(),
            };
            out.push(StudyAlert {
                patient_key: patient,
                study_date: date(study_date),
                dap_a_gy_m2: r.get(3)?,
                dose_rp_a_gy: r.get(4)?,
                dap_b_gy_m2: r.get(5)?,
                dose_rp_b_gy: r.get(6)?,
                study_dap_gy_m2: r.get(7)?,
                study_dose_rp_gy: r.get(8)?,
                look_back_from: date(from),
                look_back_dap_gy_m2: r.get(10)?,
                look_back_dose_rp_gy: r.get(11)?,
                flags: flags(&r.get::<_, String>(12)?),
                look_back_studies: r
                    .get::<_, Option<i64>>(13)?
                    .and_then(|n| u64::try_from(n).ok()),
                contributing_studies,
                study_key: key,
            });
        }
        Ok(out)
    }
}
