//! The PostgreSQL backend: one registry written by many importer processes at once.
//!
//! The tables, their columns and the migrations are those of the SQLite backend, with
//! PostgreSQL types (`BIGINT`, `DOUBLE PRECISION`, `BYTEA`); the version is kept in
//! `rdsr_schema_version`. Two tables exist only here: none of the logical data lives in them.
//!
//! How several importers share the work:
//!
//! - **Claims.** A parser thread that read a file and found its content (SHA-256) in no
//!   `import_log` row claims it in `file_claims` (an upsert that succeeds only when nobody
//!   holds the content, or the holder is gone). While another live worker holds the claim,
//!   the thread waits for that worker's commit and then logs the file as known content,
//!   unparsed. A claim records the server process of the claiming connection: the claim of
//!   a worker that died (its connection closed) is taken over at once, and any claim is
//!   taken over when its lease (60 s by default) has run out, which covers a worker that
//!   hangs. Claims only save work; correctness comes from the study locks below.
//! - **Study locks.** [`Store::apply`] takes a transaction-scoped advisory lock per study
//!   key of the batch (`pg_advisory_xact_lock(hashtextextended(study_key, 0))`, in key
//!   order) before it reads or writes anything, so the re-assembly of a study always sees
//!   every report committed before it, as with a single importer. A deadlock or a lost
//!   connection rolls the batch back and the batch is applied again (reconnecting first), a
//!   bounded number of times; applying a batch twice changes nothing.
//! - **Bulk loading.** New reports and every derived row (studies, events, sources, totals)
//!   are written with binary `COPY`; the derived rows of all studies of a batch go in one
//!   `COPY` per table.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls, Statement, Transaction};
use rdsr::DoseReport;
use rdsr::study::StudyAssembler;

use crate::import::{FileRecord, Outcome};
use crate::pg_alerts::{self, AlertWork};
use crate::rows::{self, StudyRow};
use crate::tables::{self, Cell, STUDY_COLUMNS};
use crate::{Arrival, FileMeta, Prior, SCHEMA_VERSION, Store, StoreError, StoreReader};

/// Version 1: reports, per-report rows, the import log, the first studies table, and the
/// work claims of concurrent importers.
const V1: &str = "

CREATE TABLE reports (
    report_key TEXT PRIMARY KEY,
    study_key TEXT NOT NULL,
    sop_instance_uid TEXT,
    sop_class_uid TEXT NOT NULL,
    series_instance_uid TEXT,
    template TEXT,
    number_of_events BIGINT NOT NULL,
    manufacturer TEXT,
    model_name TEXT,
    station_name TEXT,
    device_observer_uid TEXT,
    file_path TEXT NOT NULL,
    file_size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    role TEXT,
    replaced_by TEXT,
    report_zlib BYTEA NOT NULL
);
CREATE INDEX reports_study ON reports(study_key);
CREATE INDEX reports_sha ON reports(sha256);
CREATE TABLE applied_quirks (
    report_key TEXT NOT NULL,
    quirk_id TEXT NOT NULL,
    summary TEXT,
    number_of_changes BIGINT NOT NULL,
    PRIMARY KEY (report_key, quirk_id)
);
CREATE TABLE quirk_changes (
    report_key TEXT NOT NULL,
    quirk_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    content_path TEXT,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    PRIMARY KEY (report_key, quirk_id, seq)
);
CREATE TABLE diagnostics (
    report_key TEXT NOT NULL,
    seq BIGINT NOT NULL,
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    content_path TEXT,
    message TEXT NOT NULL,
    PRIMARY KEY (report_key, seq)
);
CREATE TABLE import_log (
    file_path TEXT PRIMARY KEY,
    file_size_bytes BIGINT,
    mtime_ns BIGINT,
    sha256 TEXT,
    sop_instance_uid TEXT,
    outcome TEXT NOT NULL,
    error_kind TEXT,
    message TEXT,
    content_path TEXT,
    duration_s DOUBLE PRECISION
);
CREATE INDEX import_log_sha ON import_log(sha256);
CREATE TABLE studies (
    study_key TEXT PRIMARY KEY,
    study_instance_uid TEXT,
    number_of_events BIGINT NOT NULL
);
CREATE TABLE file_claims (
    sha256 TEXT PRIMARY KEY,
    worker TEXT NOT NULL,
    backend_pid INTEGER NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
";

/// Version 2: the study summary fields, events with their sources and accumulated totals;
/// every study's derived rows back-filled from the stored reports.
const V2: &str = "

DROP TABLE studies;
CREATE TABLE studies (
    study_key TEXT PRIMARY KEY,
    study_instance_uid TEXT,
    study_date TEXT,
    accession_number TEXT,
    study_description TEXT,
    patient_id TEXT,
    modality TEXT,
    manufacturer TEXT,
    model_name TEXT,
    station_name TEXT,
    template TEXT,
    number_of_reports BIGINT NOT NULL,
    number_of_events BIGINT NOT NULL,
    number_of_axial BIGINT,
    number_of_spiral BIGINT,
    number_of_stationary BIGINT,
    number_of_const_angle BIGINT,
    total_dlp_mgy_cm DOUBLE PRECISION,
    total_dap_a_gy_m2 DOUBLE PRECISION,
    total_rp_dose_a_gy DOUBLE PRECISION,
    total_dap_b_gy_m2 DOUBLE PRECISION,
    total_rp_dose_b_gy DOUBLE PRECISION,
    total_dap_gy_m2 DOUBLE PRECISION,
    number_of_planes BIGINT,
    number_of_events_a BIGINT,
    number_of_events_b BIGINT,
    total_agd_left_mgy DOUBLE PRECISION,
    total_agd_right_mgy DOUBLE PRECISION,
    total_agd_both_mgy DOUBLE PRECISION,
    notes TEXT NOT NULL
);
CREATE TABLE projection_events (
    study_key TEXT NOT NULL,
    seq BIGINT NOT NULL,
    event_key TEXT NOT NULL,
    irradiation_event_uid TEXT,
    acquisition_plane TEXT,
    date_time_started TEXT,
    irradiation_event_type TEXT,
    acquisition_protocol TEXT,
    anatomical_structure TEXT,
    laterality TEXT,
    dap_gy_m2 DOUBLE PRECISION,
    dose_rp_gy DOUBLE PRECISION,
    entrance_exposure_at_rp_gy DOUBLE PRECISION,
    agd_mgy DOUBLE PRECISION,
    half_value_layer_mm DOUBLE PRECISION,
    kvp_kv DOUBLE PRECISION,
    xray_tube_current_ma DOUBLE PRECISION,
    pulse_width_s DOUBLE PRECISION,
    exposure_uas DOUBLE PRECISION,
    exposure_time_s DOUBLE PRECISION,
    irradiation_duration_s DOUBLE PRECISION,
    pulse_rate_per_s DOUBLE PRECISION,
    number_of_pulses DOUBLE PRECISION,
    fluoro_mode TEXT,
    focal_spot_size_mm DOUBLE PRECISION,
    collimated_field_area_m2 DOUBLE PRECISION,
    positioner_primary_angle_deg DOUBLE PRECISION,
    positioner_secondary_angle_deg DOUBLE PRECISION,
    distance_source_to_isocenter_mm DOUBLE PRECISION,
    distance_source_to_detector_mm DOUBLE PRECISION,
    compression_thickness_mm DOUBLE PRECISION,
    content_path TEXT NOT NULL,
    PRIMARY KEY (study_key, seq)
);
CREATE TABLE ct_events (
    study_key TEXT NOT NULL,
    seq BIGINT NOT NULL,
    event_key TEXT NOT NULL,
    irradiation_event_uid TEXT,
    acquisition_protocol TEXT,
    ct_acquisition_type TEXT,
    target_region TEXT,
    exposure_time_s DOUBLE PRECISION,
    scanning_length_mm DOUBLE PRECISION,
    nominal_single_collimation_width_mm DOUBLE PRECISION,
    nominal_total_collimation_width_mm DOUBLE PRECISION,
    pitch_factor DOUBLE PRECISION,
    number_of_xray_sources BIGINT,
    ctdi_vol_mgy DOUBLE PRECISION,
    ctdiw_phantom_type TEXT,
    dlp_mgy_cm DOUBLE PRECISION,
    effective_dose_msv DOUBLE PRECISION,
    ssde_mgy DOUBLE PRECISION,
    water_equivalent_diameter_mm DOUBLE PRECISION,
    content_path TEXT NOT NULL,
    PRIMARY KEY (study_key, seq)
);
CREATE TABLE ct_xray_sources (
    study_key TEXT NOT NULL,
    event_seq BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    identification TEXT,
    kvp_kv DOUBLE PRECISION,
    maximum_xray_tube_current_ma DOUBLE PRECISION,
    xray_tube_current_ma DOUBLE PRECISION,
    exposure_time_per_rotation_s DOUBLE PRECISION,
    filter_aluminum_equivalent_mm DOUBLE PRECISION,
    PRIMARY KEY (study_key, event_seq, seq)
);
CREATE TABLE accumulated_totals (
    study_key TEXT NOT NULL,
    seq BIGINT NOT NULL,
    plane TEXT,
    dap_total_gy_m2 DOUBLE PRECISION,
    dose_rp_total_gy DOUBLE PRECISION,
    fluoro_dap_total_gy_m2 DOUBLE PRECISION,
    fluoro_dose_rp_total_gy DOUBLE PRECISION,
    total_fluoro_time_s DOUBLE PRECISION,
    acquisition_dap_total_gy_m2 DOUBLE PRECISION,
    acquisition_dose_rp_total_gy DOUBLE PRECISION,
    total_acquisition_time_s DOUBLE PRECISION,
    total_number_of_radiographic_frames DOUBLE PRECISION,
    dlp_total_mgy_cm DOUBLE PRECISION,
    effective_dose_total_msv DOUBLE PRECISION,
    total_number_of_irradiation_events BIGINT,
    PRIMARY KEY (study_key, seq)
);
";

/// Version 4 (the SQLite backend's version 4): radiopharmaceutical administrations with
/// their organ doses, patient characteristics, per-phantom CT DLP totals, the
/// radiopharmaceutical study summary columns and the CT event start date time; every
/// study's derived rows back-filled.
const V4: &str = "
ALTER TABLE studies ADD COLUMN number_of_administrations BIGINT;
ALTER TABLE studies ADD COLUMN total_administered_activity_mbq DOUBLE PRECISION;
ALTER TABLE studies ADD COLUMN total_radiopharmaceutical_effective_dose_msv DOUBLE PRECISION;
ALTER TABLE ct_events ADD COLUMN date_time_started TEXT;
CREATE TABLE ct_dlp_totals (
    study_key TEXT NOT NULL,
    seq BIGINT NOT NULL,
    phantom_type TEXT,
    dlp_total_mgy_cm DOUBLE PRECISION,
    content_path TEXT NOT NULL,
    PRIMARY KEY (study_key, seq)
);
CREATE TABLE radiopharmaceutical_administrations (
    study_key TEXT NOT NULL,
    seq BIGINT NOT NULL,
    report_sop_instance_uid TEXT,
    administration_event_uid TEXT,
    radiopharmaceutical_agent TEXT,
    radiopharmaceutical_agent_code TEXT,
    radionuclide TEXT,
    radionuclide_code TEXT,
    radionuclide_half_life_s DOUBLE PRECISION,
    specific_activity_bq_per_mol DOUBLE PRECISION,
    estimated_extravasation_activity_mbq DOUBLE PRECISION,
    start_date_time TEXT,
    stop_date_time TEXT,
    administered_activity_mbq DOUBLE PRECISION,
    volume_ml DOUBLE PRECISION,
    pre_administration_activity_mbq DOUBLE PRECISION,
    post_administration_activity_mbq DOUBLE PRECISION,
    route_of_administration TEXT,
    site_of_administration TEXT,
    site_of_administration_laterality TEXT,
    brand_name TEXT,
    prescription_identifier TEXT,
    lot_identifiers TEXT,
    effective_dose_msv DOUBLE PRECISION,
    effective_dose_method TEXT,
    comment TEXT,
    content_path TEXT NOT NULL,
    PRIMARY KEY (study_key, seq)
);
CREATE TABLE radiopharmaceutical_organ_doses (
    study_key TEXT NOT NULL,
    administration_seq BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    finding_site TEXT,
    finding_site_code TEXT,
    laterality TEXT,
    organ_dose_mgy DOUBLE PRECISION,
    mass_kg DOUBLE PRECISION,
    reference_authority TEXT,
    content_path TEXT NOT NULL,
    PRIMARY KEY (study_key, administration_seq, seq)
);
CREATE TABLE patient_characteristics (
    study_key TEXT NOT NULL,
    seq BIGINT NOT NULL,
    report_sop_instance_uid TEXT,
    subject_age_years DOUBLE PRECISION,
    subject_sex TEXT,
    patient_height_mm DOUBLE PRECISION,
    patient_weight_kg DOUBLE PRECISION,
    body_surface_area_m2 DOUBLE PRECISION,
    body_mass_index_kg_per_m2 DOUBLE PRECISION,
    glucose_mmol_per_l DOUBLE PRECISION,
    fasting_duration_s DOUBLE PRECISION,
    hydration_volume_ml DOUBLE PRECISION,
    recent_physical_activity TEXT,
    serum_creatinine_mg_per_dl DOUBLE PRECISION,
    glomerular_filtration_rate_ml_per_min_per_1_73m2 DOUBLE PRECISION,
    PRIMARY KEY (study_key, seq)
);
";

/// Version 5 (the SQLite backend's version 5): the new CT event, projection event and
/// accumulated-totals columns; every study's derived rows back-filled.
const V5: &str = "
ALTER TABLE ct_events ADD COLUMN reconstruction_algorithms TEXT;
ALTER TABLE ct_events ADD COLUMN is_repeated_acquisition BIGINT;
ALTER TABLE ct_events ADD COLUMN reason_for_repeating_acquisition TEXT;
ALTER TABLE ct_events ADD COLUMN xray_modulation_type TEXT;
ALTER TABLE ct_events ADD COLUMN xray_modulation_type_code TEXT;
ALTER TABLE ct_events ADD COLUMN ssde_method TEXT;
ALTER TABLE ct_events ADD COLUMN water_equivalent_diameter_method TEXT;
ALTER TABLE ct_events ADD COLUMN water_equivalent_diameter_source TEXT;
ALTER TABLE projection_events ADD COLUMN positioner_isocenter_primary_angle_deg DOUBLE PRECISION;
ALTER TABLE projection_events ADD COLUMN positioner_isocenter_secondary_angle_deg DOUBLE PRECISION;
ALTER TABLE projection_events ADD COLUMN positioner_isocenter_detector_rotation_angle_deg DOUBLE PRECISION;
ALTER TABLE projection_events ADD COLUMN positioner_isocenter_primary_end_angle_deg DOUBLE PRECISION;
ALTER TABLE projection_events ADD COLUMN positioner_isocenter_secondary_end_angle_deg DOUBLE PRECISION;
ALTER TABLE projection_events ADD COLUMN positioner_isocenter_detector_rotation_end_angle_deg DOUBLE PRECISION;
ALTER TABLE projection_events ADD COLUMN table_head_tilt_end_angle_deg DOUBLE PRECISION;
ALTER TABLE projection_events ADD COLUMN table_horizontal_rotation_end_angle_deg DOUBLE PRECISION;
ALTER TABLE projection_events ADD COLUMN table_cradle_tilt_end_angle_deg DOUBLE PRECISION;
ALTER TABLE projection_events ADD COLUMN table_x_position_to_isocenter_mm DOUBLE PRECISION;
ALTER TABLE projection_events ADD COLUMN table_y_position_to_isocenter_mm DOUBLE PRECISION;
ALTER TABLE projection_events ADD COLUMN table_z_position_to_isocenter_mm DOUBLE PRECISION;
ALTER TABLE projection_events ADD COLUMN table_x_end_position_to_isocenter_mm DOUBLE PRECISION;
ALTER TABLE projection_events ADD COLUMN table_y_end_position_to_isocenter_mm DOUBLE PRECISION;
ALTER TABLE projection_events ADD COLUMN table_z_end_position_to_isocenter_mm DOUBLE PRECISION;
ALTER TABLE projection_events ADD COLUMN compression_pressure_kpa DOUBLE PRECISION;
ALTER TABLE projection_events ADD COLUMN compression_contact_area_m2 DOUBLE PRECISION;
ALTER TABLE accumulated_totals ADD COLUMN distance_source_to_reference_point_mm DOUBLE PRECISION;
ALTER TABLE accumulated_totals ADD COLUMN equipment_landmark TEXT;
ALTER TABLE accumulated_totals ADD COLUMN equipment_landmark_xy_plane TEXT;
ALTER TABLE accumulated_totals ADD COLUMN equipment_landmark_z_position_mm DOUBLE PRECISION;
ALTER TABLE accumulated_totals ADD COLUMN patient_fiducial TEXT;
ALTER TABLE accumulated_totals ADD COLUMN equipment_landmark_to_patient_fiducial_x_distance_mm DOUBLE PRECISION;
ALTER TABLE accumulated_totals ADD COLUMN equipment_landmark_to_patient_fiducial_y_distance_mm DOUBLE PRECISION;
ALTER TABLE accumulated_totals ADD COLUMN equipment_landmark_to_patient_fiducial_z_distance_mm DOUBLE PRECISION;
ALTER TABLE accumulated_totals ADD COLUMN patient_model TEXT;
ALTER TABLE accumulated_totals ADD COLUMN effective_dose_phantom_type TEXT;
ALTER TABLE accumulated_totals ADD COLUMN dosimeter_type TEXT;
";

/// Version 6 (the SQLite backend's version 6): the CT event's z-resolved values and water
/// equivalent diameter z location, the remaining radiopharmaceutical columns and the tables
/// `patient_glomerular_filtration_rates`, `radiopharmaceutical_reports` and
/// `radiopharmaceutical_persons`; every study's derived rows back-filled.
const V6: &str = "
ALTER TABLE ct_events ADD COLUMN water_equivalent_diameter_z_location_mm DOUBLE PRECISION;
ALTER TABLE radiopharmaceutical_administrations ADD COLUMN intravenous_extravasation_symptoms TEXT;
ALTER TABLE radiopharmaceutical_administrations ADD COLUMN pre_administration_activity_measurement_device TEXT;
ALTER TABLE radiopharmaceutical_administrations ADD COLUMN post_administration_activity_measurement_device TEXT;
ALTER TABLE radiopharmaceutical_administrations ADD COLUMN radiopharmaceutical_dispense_unit_identifier TEXT;
ALTER TABLE radiopharmaceutical_administrations ADD COLUMN reagent_vial_identifiers TEXT;
ALTER TABLE radiopharmaceutical_administrations ADD COLUMN radionuclide_vial_identifiers TEXT;
ALTER TABLE radiopharmaceutical_administrations ADD COLUMN billing_codes TEXT;
ALTER TABLE radiopharmaceutical_administrations ADD COLUMN drug_product_identifiers TEXT;
ALTER TABLE radiopharmaceutical_administrations ADD COLUMN effective_dose_reference_authority TEXT;
ALTER TABLE radiopharmaceutical_administrations ADD COLUMN effective_dose_reference_authority_code TEXT;
ALTER TABLE radiopharmaceutical_organ_doses ADD COLUMN mass_measurement_method TEXT;
ALTER TABLE radiopharmaceutical_organ_doses ADD COLUMN reference_authority_code TEXT;
ALTER TABLE patient_characteristics ADD COLUMN body_surface_area_formula TEXT;
ALTER TABLE patient_characteristics ADD COLUMN body_mass_index_equation TEXT;
ALTER TABLE patient_characteristics ADD COLUMN patient_states TEXT;
CREATE TABLE ct_z_resolved_values (
    study_key TEXT NOT NULL,
    event_seq BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    quantity TEXT NOT NULL,
    longitudinal_position_z_mm DOUBLE PRECISION,
    ssde_mgy DOUBLE PRECISION,
    water_equivalent_diameter_mm DOUBLE PRECISION,
    content_path TEXT NOT NULL,
    PRIMARY KEY (study_key, event_seq, seq)
);
CREATE TABLE patient_glomerular_filtration_rates (
    study_key TEXT NOT NULL,
    characteristics_seq BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    glomerular_filtration_rate_ml_per_min_per_1_73m2 DOUBLE PRECISION,
    measurement_method TEXT,
    equivalent_meaning_of_concept_name TEXT,
    PRIMARY KEY (study_key, characteristics_seq, seq)
);
CREATE TABLE radiopharmaceutical_reports (
    study_key TEXT NOT NULL,
    seq BIGINT NOT NULL,
    report_sop_instance_uid TEXT,
    associated_procedure TEXT,
    has_intent TEXT,
    language_of_content TEXT,
    country_of_language TEXT,
    comment TEXT,
    PRIMARY KEY (study_key, seq)
);
CREATE TABLE radiopharmaceutical_persons (
    study_key TEXT NOT NULL,
    seq BIGINT NOT NULL,
    report_seq BIGINT NOT NULL,
    administration_seq BIGINT,
    role_of_person TEXT NOT NULL,
    observer_kind TEXT,
    observer_type TEXT,
    person_name TEXT,
    person_login_name TEXT,
    person_id TEXT,
    person_id_issuer TEXT,
    identifier_within_role TEXT,
    organization_name TEXT,
    role_in_organization TEXT,
    role_in_procedure TEXT,
    device_observer_uid TEXT,
    device_observer_name TEXT,
    device_observer_manufacturer TEXT,
    device_observer_model_name TEXT,
    device_observer_serial_number TEXT,
    device_observer_physical_location TEXT,
    device_role_in_procedure TEXT,
    content_path TEXT,
    PRIMARY KEY (study_key, seq)
);
";

/// The migrations, in order: entry `i` takes the store from version `i` to `i + 1`, and
/// rebuilds every study's derived rows afterwards when its flag is set.
const MIGRATIONS: [(&str, bool); 6] = [
    (V1, false),
    (V2, true),
    (pg_alerts::V3, true),
    (V4, true),
    (V5, true),
    (V6, true),
];

/// Advisory lock key under which one process at a time checks and migrates the schema.
const MIGRATION_LOCK: i64 = 0x7264_7372_0000_0001;

/// Tries of one batch or look-up before a lost connection becomes an error.
const TRIES: u32 = 6;

/// Default lease of a claim.
const DEFAULT_LEASE: Duration = Duration::from_secs(60);

/// The registry backend: a PostgreSQL database, written by any number of importer processes
/// at once (see the module documentation for how they share the work).
pub struct PostgresStore {
    client: Mutex<Client>,
    url: String,
    worker: String,
    lease: Duration,
    /// Quirk id -> summary, for the `applied_quirks` rows.
    quirk_summaries: BTreeMap<String, String>,
    /// Whether the schema has the alert tables (a store opened at an older version has not).
    alerts: bool,
    /// The site secret for hashed patient keys (never stored).
    site_secret: Option<Vec<u8>>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("worker", &self.worker)
            .field("lease", &self.lease)
            .finish_non_exhaustive()
    }
}

/// Whether `target` names a PostgreSQL database (`postgres://` or `postgresql://` URL)
/// rather than a SQLite file.
pub fn is_postgres_url(target: &str) -> bool {
    target.starts_with("postgres://") || target.starts_with("postgresql://")
}

fn connect(url: &str) -> Result<Client, StoreError> {
    let mut last = None;
    for attempt in 0..TRIES {
        match Client::connect(url, NoTls) {
            Ok(c) => return Ok(c),
            Err(e) if e.as_db_error().is_some() => return Err(e.into()),
            Err(e) => last = Some(e),
        }
        std::thread::sleep(backoff(attempt));
    }
    Err(unreachable(TRIES, last))
}

fn unreachable(tries: u32, last: Option<postgres::Error>) -> StoreError {
    StoreError::Unreachable {
        tries,
        message: last.map_or_else(|| "no connection".to_string(), |e| e.to_string()),
    }
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(100u64.saturating_mul(1u64 << attempt.min(5)))
}

/// Whether the error is one that applying the same work again can cure: a lost connection,
/// a deadlock between two importers, or a serialisation failure.
fn is_transient(e: &StoreError) -> bool {
    match e {
        StoreError::Postgres(e) => {
            e.is_closed()
                || e.code().is_some_and(|c| {
                    matches!(c.code(), "40P01" | "40001" | "57P01" | "08006" | "08003")
                })
                || (e.as_db_error().is_none()
                    && std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>()))
        }
        _ => false,
    }
}

/// Runs `f` on the connection, reconnecting and running it again after a transient error, up
/// to [`TRIES`] times.
fn with_retry<T>(
    client: &mut Client,
    url: &str,
    mut f: impl FnMut(&mut Client) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let mut attempt = 0;
    loop {
        match f(client) {
            Ok(v) => return Ok(v),
            Err(e) if is_transient(&e) => {
                attempt += 1;
                if attempt >= TRIES {
                    return Err(StoreError::Unreachable {
                        tries: attempt,
                        message: e.to_string(),
                    });
                }
                std::thread::sleep(backoff(attempt));
                if client.is_closed() {
                    match Client::connect(url, NoTls) {
                        Ok(c) => *client = c,
                        Err(e) if e.as_db_error().is_some() => return Err(e.into()),
                        Err(_) => {}
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
}

fn worker_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default();
    format!("{host}:{}:{nanos:x}", std::process::id())
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/db`, or any
    /// form the `postgres` crate accepts) and applies pending migrations.
    pub fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        Self::connect_at(url, SCHEMA_VERSION)
    }

    /// Connects, migrating the schema up to `version` only (tests of older stores).
    #[doc(hidden)]
    pub fn connect_at(url: &str, version: u32) -> Result<PostgresStore, StoreError> {
        let mut client = connect(url)?;
        let version = with_retry(&mut client, url, |c| migrate(c, version))?;
        Ok(PostgresStore {
            client: Mutex::new(client),
            url: url.to_string(),
            worker: worker_id(),
            lease: DEFAULT_LEASE,
            quirk_summaries: crate::sqlite::shipped_quirk_summaries(),
            alerts: version >= pg_alerts::ALERTS_VERSION,
            site_secret: None,
        })
    }

    /// Uses the quirk table of `options` for the summaries of applied quirks (the shipped
    /// table is used by default).
    pub fn set_quirk_summaries(&mut self, options: &rdsr::Options) {
        if let Ok(table) = options.quirk_config().table() {
            for e in table.entries() {
                self.quirk_summaries.insert(e.id.clone(), e.summary.clone());
            }
        }
    }

    /// How long a claim of this importer stays valid after it was taken (default 60 s): a
    /// file claimed by an importer that died is taken over by another after this time. It
    /// should exceed the longest time between reading a file and committing its batch.
    pub fn set_claim_lease(&mut self, lease: Duration) {
        self.lease = lease;
    }

    /// The connection, for read-only SQL of callers (reports, exports, tests).
    pub fn client(&self) -> MutexGuard<'_, Client> {
        self.client.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn site_secret(&self) -> Option<&[u8]> {
        self.site_secret.as_deref()
    }

    pub(crate) fn set_secret_bytes(&mut self, secret: Vec<u8>) {
        self.site_secret = Some(secret);
    }
}

/// Applies the pending migrations up to `target`; returns the version the store is at.
fn migrate(client: &mut Client, target: u32) -> Result<u32, StoreError> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS rdsr_schema_version (version INTEGER NOT NULL)")?;
    let found = match tx.query_opt("SELECT version FROM rdsr_schema_version", &[])? {
        Some(r) => u32::try_from(r.try_get::<_, i32>(0)?).unwrap_or(0),
        None => {
            tx.execute("INSERT INTO rdsr_schema_version (version) VALUES (0)", &[])?;
            0
        }
    };
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    // Every pending migration, then (when one of them asks for it) one rebuild of every
    // study's derived rows and alerts.
    let mut rebuild = false;
    let mut reached = found;
    for (i, (sql, rederives)) in MIGRATIONS.iter().enumerate() {
        let to = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if to <= found || to > target {
            continue;
        }
        tx.batch_execute(sql)?;
        rebuild |= *rederives;
        reached = to;
    }
    if rebuild {
        let mut work = if reached >= pg_alerts::ALERTS_VERSION {
            AlertWork::new(&mut tx, None)?
        } else {
            AlertWork::disabled()
        };
        let keys: Vec<String> = tx
            .query("SELECT DISTINCT study_key FROM reports", &[])?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?;
        for chunk in keys.chunks(256) {
            let dirty = chunk
                .iter()
                .map(|k| (k.clone(), Vec::new()))
                .collect::<BTreeMap<_, _>>();
            rederive(&mut tx, dirty, &mut work)?;
        }
    }
    if reached != found {
        tx.execute(
            "UPDATE rdsr_schema_version SET version = $1",
            &[&i32::try_from(reached).unwrap_or(i32::MAX)],
        )?;
    }
    tx.commit()?;
    Ok(reached)
}

/// The PostgreSQL type of a cell's column.
fn cell_type(cell: &Cell) -> Type {
    match cell {
        Cell::I(_) => Type::INT8,
        Cell::F(_) => Type::FLOAT8,
        Cell::T(_) => Type::TEXT,
        Cell::B(_) => Type::BYTEA,
    }
}

/// A cell as a parameter.
fn cell_sql(cell: &Cell) -> &(dyn ToSql + Sync) {
    match cell {
        Cell::I(v) => v,
        Cell::F(v) => v,
        Cell::T(v) => v,
        Cell::B(v) => v,
    }
}

/// Rows of one table, bound for one `COPY`.
struct Rows {
    table: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<Cell>>,
}

impl Rows {
    fn new(table: &'static str, columns: &'static [&'static str]) -> Rows {
        Rows {
            table,
            columns,
            rows: Vec::new(),
        }
    }

    /// Writes the rows with one binary `COPY`.
    fn copy(self, tx: &mut Transaction<'_>) -> Result<(), StoreError> {
        let Some(first) = self.rows.first() else {
            return Ok(());
        };
        let types: Vec<Type> = first.iter().map(cell_type).collect();
        let sink = tx.copy_in(&format!(
            "COPY {} ({}) FROM STDIN (FORMAT binary)",
            self.table,
            self.columns.join(", ")
        ))?;
        let mut writer = BinaryCopyInWriter::new(sink, &types);
        for row in &self.rows {
            let values: Vec<&(dyn ToSql + Sync)> = row.iter().map(cell_sql).collect();
            writer.write(&values)?;
        }
        writer.finish()?;
        Ok(())
    }
}

/// A derived row's primary key: its study key and sequence numbers.
type RowKey = (Option<String>, Vec<Option<i64>>);

/// The derived rows of the studies of one batch, per table of [`tables::DERIVED`] and keyed
/// by primary key: a later row with the same key replaces an earlier one, as `INSERT OR
/// REPLACE` does in the SQLite backend.
#[derive(Default)]
struct Derived {
    tables: [BTreeMap<RowKey, Vec<Cell>>; tables::DERIVED.len()],
    /// (study key, SOP Instance UID) -> (role, replaced by).
    roles: BTreeMap<(String, String), (String, Option<String>)>,
}

impl Derived {
    fn add(&mut self, key: &str, r: &rows::StudyRows) {
        for (table, cells) in tables::derived_rows(key, r) {
            let (Some(spec), Some(rows)) = (tables::DERIVED.get(table), self.tables.get_mut(table))
            else {
                continue;
            };
            let mut row_key: RowKey = (None, Vec::new());
            for cell in cells.iter().take(spec.key_columns) {
                match cell {
                    Cell::T(v) => row_key.0.clone_from(v),
                    Cell::I(v) => row_key.1.push(*v),
                    Cell::F(_) | Cell::B(_) => {}
                }
            }
            rows.insert(row_key, cells);
        }
        for role in &r.roles {
            self.roles.insert(
                (key.to_string(), role.sop_instance_uid.clone()),
                (role.role.clone(), role.replaced_by.clone()),
            );
        }
    }

    fn write(self, tx: &mut Transaction<'_>) -> Result<(), StoreError> {
        for (spec, rows) in tables::DERIVED.iter().zip(self.tables) {
            Rows {
                table: spec.name,
                columns: spec.columns,
                rows: rows.into_values().collect(),
            }
            .copy(tx)?;
        }
        if !self.roles.is_empty() {
            let mut studies = Vec::new();
            let mut sops = Vec::new();
            let mut roles = Vec::new();
            let mut replaced = Vec::new();
            for ((study, sop), (role, by)) in self.roles {
                studies.push(study);
                sops.push(sop);
                roles.push(role);
                replaced.push(by);
            }
            tx.execute(
                "UPDATE reports r SET role = u.role, replaced_by = u.replaced_by
                 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
                      AS u(study_key, sop, role, replaced_by)
                 WHERE r.study_key = u.study_key AND coalesce(r.sop_instance_uid, '') = u.sop",
                &[&studies, &sops, &roles, &replaced],
            )?;
        }
        Ok(())
    }
}

/// Re-assembles the studies `dirty` (study key -> its reports new in this batch: record
/// index, report key, report) from their stored reports, and rewrites their derived rows.
/// Reports new in the batch are added after the stored ones; their outcomes are returned
/// with their record indexes.
fn rederive(
    tx: &mut Transaction<'_>,
    dirty: BTreeMap<String, Vec<(usize, String, DoseReport)>>,
    work: &mut AlertWork,
) -> Result<Vec<(usize, rdsr::study::Outcome)>, StoreError> {
    if dirty.is_empty() {
        return Ok(Vec::new());
    }
    let keys: Vec<String> = dirty.keys().cloned().collect();
    let stored = tx.query(
        "SELECT study_key, report_key, report_zlib FROM reports WHERE study_key = ANY($1)
         ORDER BY study_key COLLATE \"C\", report_key COLLATE \"C\"",
        &[&keys],
    )?;
    let mut by_study: BTreeMap<String, Vec<(String, Vec<u8>)>> = BTreeMap::new();
    for r in stored {
        by_study
            .entry(r.try_get(0)?)
            .or_default()
            .push((r.try_get(1)?, r.try_get(2)?));
    }
    let mut derived = Derived::default();
    let mut outcomes = Vec::new();
    for (study, news) in dirty {
        let late: BTreeSet<&str> = news.iter().map(|(_, k, _)| k.as_str()).collect();
        let mut assembler = StudyAssembler::new();
        for (rk, z) in by_study.remove(&study).unwrap_or_default() {
            if late.contains(rk.as_str()) {
                continue;
            }
            assembler.add(crate::decode_report(&rk, &z)?);
        }
        for (idx, _, report) in news {
            outcomes.push((idx, assembler.add(report)));
        }
        for s in assembler.studies() {
            let r = rows::study_rows(&s);
            derived.add(&study, &r);
            work.remember(&s, &r.study);
        }
    }
    for table in tables::DERIVED_TABLES {
        tx.execute(
            &format!("DELETE FROM {table} WHERE study_key = ANY($1)"),
            &[&keys],
        )?;
    }
    derived.write(tx)?;
    pg_alerts::apply(tx, &keys, work)?;
    Ok(outcomes)
}

/// A report new in a batch, before its `COPY`.
struct NewReport {
    row: rows::ReportRow,
    quirks: Vec<rows::QuirkRow>,
    diagnostics: Vec<rows::DiagnosticRow>,
    path: String,
    size: u64,
    sha: String,
    stored: Vec<u8>,
}

fn write_reports(
    tx: &mut Transaction<'_>,
    news: BTreeMap<String, NewReport>,
    summaries: &BTreeMap<String, String>,
) -> Result<(), StoreError> {
    let mut reports = Rows::new("reports", tables::REPORT_COLUMNS);
    let mut quirks: BTreeMap<(String, String), Vec<Cell>> = BTreeMap::new();
    let mut changes: BTreeMap<(String, String, usize), Vec<Cell>> = BTreeMap::new();
    let mut diagnostics = Rows::new("diagnostics", tables::DIAGNOSTIC_COLUMNS);
    for (key, r) in news {
        for q in &r.quirks {
            quirks.insert(
                (key.clone(), q.quirk_id.clone()),
                tables::applied_quirk(&key, q, summaries.get(&q.quirk_id)),
            );
            for (seq, cells) in tables::quirk_changes(&key, q).into_iter().enumerate() {
                changes.insert((key.clone(), q.quirk_id.clone(), seq), cells);
            }
        }
        for (seq, d) in r.diagnostics.iter().enumerate() {
            diagnostics.rows.push(tables::diagnostic(&key, seq, d));
        }
        reports
            .rows
            .push(tables::report(&r.row, &r.path, r.size, &r.sha, r.stored));
    }
    reports.copy(tx)?;
    Rows {
        table: "applied_quirks",
        columns: tables::QUIRK_COLUMNS,
        rows: quirks.into_values().collect(),
    }
    .copy(tx)?;
    Rows {
        table: "quirk_changes",
        columns: tables::CHANGE_COLUMNS,
        rows: changes.into_values().collect(),
    }
    .copy(tx)?;
    diagnostics.copy(tx)
}

fn delete_report_rows(tx: &mut Transaction<'_>, key: &str) -> Result<(), StoreError> {
    for table in ["applied_quirks", "quirk_changes", "diagnostics", "reports"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE report_key = $1"),
            &[&key],
        )?;
    }
    Ok(())
}

/// Logs the files of a batch (one row per path: the last record of a path wins).
fn log_files(
    tx: &mut Transaction<'_>,
    records: &[FileRecord],
    metas: &[Option<&FileMeta>],
) -> Result<(), StoreError> {
    let mut last: BTreeMap<&str, usize> = BTreeMap::new();
    for (k, rec) in records.iter().enumerate() {
        last.insert(rec.path.as_str(), k);
    }
    let mut path = Vec::new();
    let mut size: Vec<Option<i64>> = Vec::new();
    let mut mtime: Vec<Option<i64>> = Vec::new();
    let mut sha: Vec<Option<String>> = Vec::new();
    let mut sop: Vec<Option<String>> = Vec::new();
    let mut outcome = Vec::new();
    let mut kind: Vec<Option<String>> = Vec::new();
    let mut message: Vec<Option<String>> = Vec::new();
    let mut content: Vec<Option<String>> = Vec::new();
    let mut duration: Vec<Option<f64>> = Vec::new();
    for k in last.into_values() {
        let (Some(rec), Some(meta)) = (records.get(k), metas.get(k)) else {
            continue;
        };
        path.push(rec.path.clone());
        size.push(meta.and_then(|m| i64::try_from(m.size).ok()));
        mtime.push(meta.and_then(|m| m.mtime_ns));
        sha.push(meta.and_then(|m| m.sha256.clone()));
        sop.push(rec.sop_instance_uid.clone());
        outcome.push(rec.outcome.name().to_string());
        kind.push(rec.error_kind.clone());
        message.push(rec.message.clone());
        content.push(rec.content_path.clone());
        duration.push(meta.map(|m| m.duration_s).filter(|d| d.is_finite()));
    }
    tx.execute(
        "INSERT INTO import_log (file_path, file_size_bytes, mtime_ns, sha256, sop_instance_uid,
                                 outcome, error_kind, message, content_path, duration_s)
         SELECT * FROM unnest($1::text[], $2::int8[], $3::int8[], $4::text[], $5::text[],
                              $6::text[], $7::text[], $8::text[], $9::text[], $10::float8[])
         ON CONFLICT (file_path) DO UPDATE SET
             file_size_bytes = EXCLUDED.file_size_bytes, mtime_ns = EXCLUDED.mtime_ns,
             sha256 = EXCLUDED.sha256, sop_instance_uid = EXCLUDED.sop_instance_uid,
             outcome = EXCLUDED.outcome, error_kind = EXCLUDED.error_kind,
             message = EXCLUDED.message, content_path = EXCLUDED.content_path,
             duration_s = EXCLUDED.duration_s",
        &[
            &path, &size, &mtime, &sha, &sop, &outcome, &kind, &message, &content, &duration,
        ],
    )?;
    Ok(())
}

/// Takes the transaction-scoped advisory lock of each study key, in one round trip. The keys
/// come in byte order (a `BTreeSet` or `BTreeMap`'s) and `unnest` hands them to the lock
/// function in array order, so two importers always lock in the same order.
fn lock_studies<'a>(
    tx: &mut Transaction<'_>,
    keys: impl Iterator<Item = &'a String>,
) -> Result<(), StoreError> {
    let keys: Vec<&str> = keys.map(String::as_str).collect();
    if !keys.is_empty() {
        tx.execute(
            "SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))
             FROM unnest($1::text[]) AS k",
            &[&keys],
        )?;
    }
    Ok(())
}

fn map_outcome(o: &rdsr::study::Outcome) -> Outcome {
    use rdsr::study::Outcome as A;
    match o {
        A::Added => Outcome::Added,
        A::Duplicate => Outcome::Duplicate,
        A::Supersedes { .. } => Outcome::Supersedes,
        A::Absorbed => Outcome::Absorbed,
        A::Merged { .. } => Outcome::Merged,
        A::NoStudyUid => Outcome::NoStudyUid,
        _ => Outcome::Merged,
    }
}

/// One try of [`Store::apply`]: the whole batch in one transaction.
fn apply_once(
    client: &mut Client,
    summaries: &BTreeMap<String, String>,
    alerts: Option<Option<&[u8]>>,
    batch: &[Arrival],
) -> Result<Vec<FileRecord>, StoreError> {
    let mut tx = client.transaction()?;
    // The study of every report of the batch, locked in key order before anything is read.
    let mut locks: BTreeSet<String> = BTreeSet::new();
    let mut report_keys: Vec<String> = Vec::new();
    for a in batch {
        if let Arrival::Report { meta, report, .. } = a {
            let key = rows::report_key(report, meta.sha256.as_deref().unwrap_or_default());
            locks.insert(rows::study_key(report, &key));
            report_keys.push(key);
        }
    }
    lock_studies(&mut tx, locks.iter())?;
    // Report key -> (SHA-256, path, study key) of the reports stored, and of those this
    // batch adds as it goes.
    let mut known: BTreeMap<String, (String, String, String)> = BTreeMap::new();
    for r in tx.query(
        "SELECT report_key, sha256, file_path, study_key FROM reports WHERE report_key = ANY($1)",
        &[&report_keys],
    )? {
        known.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?));
    }
    let mut records: Vec<FileRecord> = Vec::with_capacity(batch.len());
    let mut news: BTreeMap<String, NewReport> = BTreeMap::new();
    let mut replaced: BTreeSet<String> = BTreeSet::new();
    let mut path_by_key: BTreeMap<String, String> = BTreeMap::new();
    let mut path_by_sha: BTreeMap<String, String> = BTreeMap::new();
    let mut dirty: BTreeMap<String, Vec<(usize, String, DoseReport)>> = BTreeMap::new();
    for (idx, arrival) in batch.iter().enumerate() {
        match arrival {
            Arrival::Report {
                meta,
                report,
                stored_report,
            } => {
                let sha = meta.sha256.clone().unwrap_or_default();
                let key = rows::report_key(report, &sha);
                let mut rec = FileRecord::new(&meta.path, Outcome::Duplicate);
                rec.sop_instance_uid = report.sop_instance_uid.clone();
                let mut insert = false;
                match known.get_mut(&key) {
                    Some((old_sha, old_path, _)) if *old_sha == sha => {
                        if meta.path < *old_path {
                            old_path.clone_from(&meta.path);
                            match news.get_mut(&key) {
                                Some(new) => new.path.clone_from(&meta.path),
                                None => {
                                    path_by_key.insert(key.clone(), meta.path.clone());
                                }
                            }
                        }
                    }
                    // Another version of the same SOP instance: the store keeps the one
                    // with the smallest (SHA-256, path), whatever the order.
                    Some((old_sha, old_path, old_study)) => {
                        if (sha.as_str(), meta.path.as_str())
                            < (old_sha.as_str(), old_path.as_str())
                        {
                            dirty.entry(old_study.clone()).or_default();
                            if news.remove(&key).is_none() {
                                replaced.insert(key.clone());
                            }
                            insert = true;
                        }
                    }
                    None => {
                        insert = true;
                        rec.outcome = Outcome::Added;
                    }
                }
                if insert {
                    let stored = match stored_report {
                        Some(z) => z.clone(),
                        None => crate::encode_report(report)?,
                    };
                    let (row, quirks, diagnostics) = rows::report_rows(report, &sha);
                    let study = row.study_key.clone();
                    known.insert(key.clone(), (sha.clone(), meta.path.clone(), study.clone()));
                    let entry = dirty.entry(study).or_default();
                    if rec.outcome == Outcome::Added {
                        entry.push((idx, key.clone(), (**report).clone()));
                    }
                    news.insert(
                        key,
                        NewReport {
                            row,
                            quirks,
                            diagnostics,
                            path: meta.path.clone(),
                            size: meta.size,
                            sha,
                            stored,
                        },
                    );
                }
                records.push(rec);
            }
            Arrival::KnownContent { meta, prior } => {
                let mut rec = FileRecord::new(&meta.path, prior.outcome);
                if prior.outcome.is_report() {
                    rec.outcome = Outcome::Duplicate;
                    if let Some(sha) = &meta.sha256 {
                        let p = path_by_sha
                            .entry(sha.clone())
                            .or_insert_with(|| meta.path.clone());
                        if meta.path < *p {
                            p.clone_from(&meta.path);
                        }
                        for new in news.values_mut() {
                            if new.sha == *sha && new.path > meta.path {
                                new.path.clone_from(&meta.path);
                            }
                        }
                    }
                }
                rec.error_kind.clone_from(&prior.error_kind);
                rec.message = (!prior.message.is_empty()).then(|| prior.message.clone());
                rec.content_path.clone_from(&prior.content_path);
                rec.sop_instance_uid.clone_from(&prior.sop_instance_uid);
                records.push(rec);
            }
            Arrival::Rejected {
                meta,
                outcome,
                error_kind,
                message,
                content_path,
            } => {
                let mut rec = FileRecord::new(&meta.path, *outcome);
                rec.error_kind.clone_from(error_kind);
                rec.message = Some(message.clone());
                rec.content_path.clone_from(content_path);
                records.push(rec);
            }
        }
    }
    // A study found only now (another version's old study) is locked too; a deadlock this
    // may cause is retried by the caller.
    lock_studies(&mut tx, dirty.keys().filter(|s| !locks.contains(*s)))?;
    for key in &replaced {
        delete_report_rows(&mut tx, key)?;
    }
    write_reports(&mut tx, news, summaries)?;
    for (key, path) in &path_by_key {
        tx.execute(
            "UPDATE reports SET file_path = $1
             WHERE report_key = $2 AND file_path COLLATE \"C\" > $1",
            &[path, key],
        )?;
    }
    for (sha, path) in &path_by_sha {
        tx.execute(
            "UPDATE reports SET file_path = $1
             WHERE sha256 = $2 AND file_path COLLATE \"C\" > $1",
            &[path, sha],
        )?;
    }
    // The alert settings are read after the study locks: a batch sees the settings
    // committed before it.
    let mut work = match alerts {
        Some(secret) => AlertWork::new(&mut tx, secret)?,
        None => AlertWork::disabled(),
    };
    for (idx, o) in rederive(&mut tx, dirty, &mut work)? {
        if let Some(rec) = records.get_mut(idx) {
            rec.outcome = map_outcome(&o);
        }
    }
    let metas: Vec<Option<&FileMeta>> = batch.iter().map(|a| Some(a.meta())).collect();
    log_files(&mut tx, &records, &metas)?;
    let shas: Vec<&str> = batch
        .iter()
        .filter_map(|a| a.meta().sha256.as_deref())
        .collect();
    tx.execute("DELETE FROM file_claims WHERE sha256 = ANY($1)", &[&shas])?;
    tx.commit()?;
    Ok(records)
}

/// A [`StudyRow`] of a row selected with [`STUDY_COLUMNS`].
pub(crate) fn study_row(r: &postgres::Row) -> Result<StudyRow, StoreError> {
    Ok(StudyRow {
        study_key: r.try_get(0)?,
        study_instance_uid: r.try_get(1)?,
        study_date: r.try_get(2)?,
        accession_number: r.try_get(3)?,
        study_description: r.try_get(4)?,
        patient_id: r.try_get(5)?,
        modality: r.try_get(6)?,
        manufacturer: r.try_get(7)?,
        model_name: r.try_get(8)?,
        station_name: r.try_get(9)?,
        template: r.try_get(10)?,
        number_of_reports: r.try_get(11)?,
        number_of_events: r.try_get(12)?,
        number_of_axial: r.try_get(13)?,
        number_of_spiral: r.try_get(14)?,
        number_of_stationary: r.try_get(15)?,
        number_of_const_angle: r.try_get(16)?,
        total_dlp_mgy_cm: r.try_get(17)?,
        total_dap_a_gy_m2: r.try_get(18)?,
        total_rp_dose_a_gy: r.try_get(19)?,
        total_dap_b_gy_m2: r.try_get(20)?,
        total_rp_dose_b_gy: r.try_get(21)?,
        total_dap_gy_m2: r.try_get(22)?,
        number_of_planes: r.try_get(23)?,
        number_of_events_a: r.try_get(24)?,
        number_of_events_b: r.try_get(25)?,
        total_agd_left_mgy: r.try_get(26)?,
        total_agd_right_mgy: r.try_get(27)?,
        total_agd_both_mgy: r.try_get(28)?,
        notes: r.try_get(29)?,
        number_of_administrations: r.try_get(30)?,
        total_administered_activity_mbq: r.try_get(31)?,
        total_radiopharmaceutical_effective_dose_msv: r.try_get(32)?,
    })
}

impl Store for PostgresStore {
    fn schema_version(&self) -> Result<u32, StoreError> {
        let mut client = self.client();
        let row = client.query_one("SELECT version FROM rdsr_schema_version", &[])?;
        Ok(u32::try_from(row.try_get::<_, i32>(0)?).unwrap_or(0))
    }

    fn reader(&self) -> Result<Box<dyn StoreReader>, StoreError> {
        Ok(Box::new(PostgresReader {
            client: connect(&self.url)?,
            url: self.url.clone(),
            worker: self.worker.clone(),
            lease_s: self.lease.as_secs_f64(),
            statements: None,
        }))
    }

    fn apply(&mut self, batch: Vec<Arrival>) -> Result<Vec<FileRecord>, StoreError> {
        let summaries = &self.quirk_summaries;
        let alerts = self.alerts.then_some(self.site_secret.as_deref());
        let client = self
            .client
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        with_retry(client, &self.url, |c| {
            apply_once(c, summaries, alerts, &batch)
        })
    }

    fn log_unlistable(&mut self, path: &str, message: &str) -> Result<FileRecord, StoreError> {
        let mut rec = FileRecord::new(path, Outcome::Unreadable);
        rec.error_kind = Some("io".to_string());
        rec.message = Some(message.to_string());
        let client = self
            .client
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        with_retry(client, &self.url, |c| {
            let mut tx = c.transaction()?;
            log_files(&mut tx, std::slice::from_ref(&rec), &[None])?;
            tx.commit()?;
            Ok(())
        })?;
        Ok(rec)
    }

    fn studies(&self) -> Result<Vec<StudyRow>, StoreError> {
        let mut client = self.client();
        let rows = client.query(
            &format!(
                "SELECT {} FROM studies ORDER BY study_key COLLATE \"C\"",
                STUDY_COLUMNS.join(", ")
            ),
            &[],
        )?;
        rows.iter().map(study_row).collect()
    }

    fn canonical_dump(&self) -> Result<String, StoreError> {
        let mut client = self.client();
        let mut out = String::new();
        for (table, skip) in crate::sqlite::DUMP {
            let columns: Vec<(String, String)> = client
                .query(
                    "SELECT column_name::text, data_type::text FROM information_schema.columns
                     WHERE table_schema = current_schema() AND table_name = $1
                     ORDER BY ordinal_position",
                    &[&table],
                )?
                .iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                .collect::<Result<Vec<(String, String)>, postgres::Error>>()?
                .into_iter()
                .filter(|(c, _)| !skip.contains(&c.as_str()))
                .collect();
            let names: Vec<&str> = columns.iter().map(|(c, _)| c.as_str()).collect();
            let rows = client.query(&format!("SELECT {} FROM {table}", names.join(", ")), &[])?;
            let mut lines = Vec::with_capacity(rows.len());
            for r in &rows {
                let mut line = String::new();
                for (k, (_, ty)) in columns.iter().enumerate() {
                    let cell = match ty.as_str() {
                        "bigint" => r.try_get::<_, Option<i64>>(k)?.map(|v| v.to_string()),
                        "integer" => r.try_get::<_, Option<i32>>(k)?.map(|v| v.to_string()),
                        "double precision" => {
                            r.try_get::<_, Option<f64>>(k)?.map(|v| format!("{v:?}"))
                        }
                        "bytea" => r
                            .try_get::<_, Option<Vec<u8>>>(k)?
                            .map(|b| crate::sqlite::dump_blob(&b)),
                        _ => r.try_get::<_, Option<String>>(k)?.map(|s| format!("{s:?}")),
                    };
                    line.push_str(cell.as_deref().unwrap_or("NULL"));
                    line.push('|');
                }
                lines.push(line);
            }
            lines.sort();
            out.push_str(&format!("## {table} ({})\n", names.join(", ")));
            for l in lines {
                out.push_str(&l);
                out.push('\n');
            }
        }
        Ok(out)
    }
}

/// A connection of a parser thread: look-ups, and the claims of the files it parses.
struct PostgresReader {
    client: Client,
    url: String,
    worker: String,
    lease_s: f64,
    /// The two statements of a file, prepared once per connection (dropped after an error,
    /// so that a reconnected client prepares them again).
    statements: Option<ReaderStatements>,
}

struct ReaderStatements {
    known_file: Statement,
    claim: Statement,
}

/// A file's look-up in one round trip: its logged result if the content was imported, else
/// a claim for this importer (taken when free, already this importer's, past its lease, or
/// held by a connection that is gone: a killed importer). `claimed` is 0 while another live
/// importer holds the content.
const CLAIM_SQL: &str = "WITH prior AS (
        SELECT outcome, error_kind, message, content_path, sop_instance_uid
        FROM import_log WHERE sha256 = $1 ORDER BY file_path COLLATE \"C\" LIMIT 1),
    claim AS (
        INSERT INTO file_claims (sha256, worker, backend_pid, expires_at)
        SELECT $1, $2, pg_backend_pid(), now() + make_interval(secs => $3)
        WHERE NOT EXISTS (SELECT 1 FROM prior)
        ON CONFLICT (sha256) DO UPDATE
            SET worker = EXCLUDED.worker, backend_pid = EXCLUDED.backend_pid,
                expires_at = EXCLUDED.expires_at
            WHERE file_claims.worker = EXCLUDED.worker
               OR file_claims.expires_at < now()
               OR NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                              WHERE a.pid = file_claims.backend_pid)
        RETURNING 1)
    SELECT p.outcome, p.error_kind, p.message, p.content_path, p.sop_instance_uid,
           (SELECT count(*) FROM claim) AS claimed
    FROM (SELECT 1) AS one LEFT JOIN prior AS p ON true";

const KNOWN_FILE_SQL: &str =
    "SELECT file_size_bytes, mtime_ns FROM import_log WHERE file_path = $1";

impl PostgresReader {
    /// Runs `f` with the prepared statements, preparing them on first use and again after
    /// any error (a reconnection invalidates them).
    fn run<T>(
        &mut self,
        mut f: impl FnMut(&mut Client, &ReaderStatements) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let cache = &mut self.statements;
        with_retry(&mut self.client, &self.url, |c| {
            let statements = match cache.take() {
                Some(s) => s,
                None => ReaderStatements {
                    known_file: c.prepare(KNOWN_FILE_SQL)?,
                    claim: c.prepare(CLAIM_SQL)?,
                },
            };
            let out = f(c, &statements)?;
            *cache = Some(statements);
            Ok(out)
        })
    }

    /// One look-up: logged already, claimed now for this importer, or busy elsewhere.
    fn try_claim(&mut self, sha256: &str) -> Result<crate::Content, StoreError> {
        let (worker, lease_s) = (self.worker.clone(), self.lease_s);
        let row = self.run(|c, st| Ok(c.query_one(&st.claim, &[&sha256, &worker, &lease_s])?))?;
        if let Some(name) = row.try_get::<_, Option<&str>>(0)? {
            // A result this version cannot name is treated as not imported: parse it again.
            let Some(outcome) = Outcome::from_name(name) else {
                return Ok(crate::Content::Mine);
            };
            return Ok(crate::Content::Known(Prior {
                outcome,
                error_kind: row.try_get(1)?,
                message: row.try_get::<_, Option<String>>(2)?.unwrap_or_default(),
                content_path: row.try_get(3)?,
                sop_instance_uid: row.try_get(4)?,
            }));
        }
        Ok(if row.try_get::<_, i64>(5)? > 0 {
            crate::Content::Mine
        } else {
            crate::Content::Busy
        })
    }
}

impl StoreReader for PostgresReader {
    fn known_file(
        &mut self,
        path: &str,
        size: u64,
        mtime_ns: Option<i64>,
    ) -> Result<bool, StoreError> {
        let row = self.run(|c, st| Ok(c.query_opt(&st.known_file, &[&path])?))?;
        Ok(match row {
            Some(r) => {
                let (s, m): (Option<i64>, Option<i64>) = (r.try_get(0)?, r.try_get(1)?);
                s == i64::try_from(size).ok() && m == mtime_ns && m.is_some()
            }
            None => false,
        })
    }

    /// The logged result of this content; when there is none, the content is claimed for
    /// this importer (`None`: parse it). While another live importer holds the claim, waits
    /// for its result.
    fn known_content(&mut self, sha256: &str) -> Result<Option<Prior>, StoreError> {
        let mut wait = Duration::from_millis(20);
        loop {
            match self.try_claim(sha256)? {
                crate::Content::Known(prior) => return Ok(Some(prior)),
                crate::Content::Mine => return Ok(None),
                _ => {
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(Duration::from_millis(500));
                }
            }
        }
    }

    fn claim_content(&mut self, sha256: &str) -> Result<crate::Content, StoreError> {
        self.try_claim(sha256)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The version 5 and 6 migrations of the two backends add the same columns and tables,
    /// so the statements the upgrade tests derive from the SQLite ones undo the PostgreSQL
    /// ones too.
    #[test]
    fn versions_5_and_6_add_the_same_columns_and_tables_as_sqlite() {
        for (pg, sqlite) in [V5, V6].into_iter().zip(crate::sqlite::VERSION_5_AND_6) {
            let undo = crate::sqlite::undo_migration(pg);
            assert!(!undo.is_empty());
            assert_eq!(undo, crate::sqlite::undo_migration(sqlite));
        }
    }
}
