//! The SQLite backend: one file, WAL mode, forward migrations applied on open.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;

use rdsr::DoseReport;
use rdsr::study::StudyAssembler;
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params};

use crate::import::{FileRecord, Outcome};
use crate::rows::{self, StudyRow};
use crate::sqlite_alerts::AlertWork;
use crate::tables::{self, Cell, STUDY_COLUMNS};
use crate::{Arrival, Prior, Store, StoreError, StoreReader};

/// The schema version this program writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: u32 = 6;

/// Version 1: reports, per-report rows, the import log, and the first studies table.
const V1: &str = "
CREATE TABLE reports (
    report_key TEXT PRIMARY KEY,
    study_key TEXT NOT NULL,
    sop_instance_uid TEXT,
    sop_class_uid TEXT NOT NULL,
    series_instance_uid TEXT,
    template TEXT,
    number_of_events INTEGER NOT NULL,
    manufacturer TEXT,
    model_name TEXT,
    station_name TEXT,
    device_observer_uid TEXT,
    file_path TEXT NOT NULL,
    file_size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    role TEXT,
    replaced_by TEXT,
    report_zlib BLOB NOT NULL
);
CREATE INDEX reports_study ON reports(study_key);
CREATE INDEX reports_sha ON reports(sha256);
CREATE TABLE applied_quirks (
    report_key TEXT NOT NULL,
    quirk_id TEXT NOT NULL,
    summary TEXT,
    number_of_changes INTEGER NOT NULL,
    PRIMARY KEY (report_key, quirk_id)
);
CREATE TABLE quirk_changes (
    report_key TEXT NOT NULL,
    quirk_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    content_path TEXT,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    PRIMARY KEY (report_key, quirk_id, seq)
);
CREATE TABLE diagnostics (
    report_key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    content_path TEXT,
    message TEXT NOT NULL,
    PRIMARY KEY (report_key, seq)
);
CREATE TABLE import_log (
    file_path TEXT PRIMARY KEY,
    file_size_bytes INTEGER,
    mtime_ns INTEGER,
    sha256 TEXT,
    sop_instance_uid TEXT,
    outcome TEXT NOT NULL,
    error_kind TEXT,
    message TEXT,
    content_path TEXT,
    duration_s REAL
);
CREATE INDEX import_log_sha ON import_log(sha256);
CREATE TABLE studies (
    study_key TEXT PRIMARY KEY,
    study_instance_uid TEXT,
    number_of_events INTEGER NOT NULL
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
    number_of_reports INTEGER NOT NULL,
    number_of_events INTEGER NOT NULL,
    number_of_axial INTEGER,
    number_of_spiral INTEGER,
    number_of_stationary INTEGER,
    number_of_const_angle INTEGER,
    total_dlp_mgy_cm REAL,
    total_dap_a_gy_m2 REAL,
    total_rp_dose_a_gy REAL,
    total_dap_b_gy_m2 REAL,
    total_rp_dose_b_gy REAL,
    total_dap_gy_m2 REAL,
    number_of_planes INTEGER,
    number_of_events_a INTEGER,
    number_of_events_b INTEGER,
    total_agd_left_mgy REAL,
    total_agd_right_mgy REAL,
    total_agd_both_mgy REAL,
    notes TEXT NOT NULL
);
CREATE TABLE projection_events (
    study_key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event_key TEXT NOT NULL,
    irradiation_event_uid TEXT,
    acquisition_plane TEXT,
    date_time_started TEXT,
    irradiation_event_type TEXT,
    acquisition_protocol TEXT,
    anatomical_structure TEXT,
    laterality TEXT,
    dap_gy_m2 REAL,
    dose_rp_gy REAL,
    entrance_exposure_at_rp_gy REAL,
    agd_mgy REAL,
    half_value_layer_mm REAL,
    kvp_kv REAL,
    xray_tube_current_ma REAL,
    pulse_width_s REAL,
    exposure_uas REAL,
    exposure_time_s REAL,
    irradiation_duration_s REAL,
    pulse_rate_per_s REAL,
    number_of_pulses REAL,
    fluoro_mode TEXT,
    focal_spot_size_mm REAL,
    collimated_field_area_m2 REAL,
    positioner_primary_angle_deg REAL,
    positioner_secondary_angle_deg REAL,
    distance_source_to_isocenter_mm REAL,
    distance_source_to_detector_mm REAL,
    compression_thickness_mm REAL,
    content_path TEXT NOT NULL,
    PRIMARY KEY (study_key, seq)
);
CREATE TABLE ct_events (
    study_key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event_key TEXT NOT NULL,
    irradiation_event_uid TEXT,
    acquisition_protocol TEXT,
    ct_acquisition_type TEXT,
    target_region TEXT,
    exposure_time_s REAL,
    scanning_length_mm REAL,
    nominal_single_collimation_width_mm REAL,
    nominal_total_collimation_width_mm REAL,
    pitch_factor REAL,
    number_of_xray_sources INTEGER,
    ctdi_vol_mgy REAL,
    ctdiw_phantom_type TEXT,
    dlp_mgy_cm REAL,
    effective_dose_msv REAL,
    ssde_mgy REAL,
    water_equivalent_diameter_mm REAL,
    content_path TEXT NOT NULL,
    PRIMARY KEY (study_key, seq)
);
CREATE TABLE ct_xray_sources (
    study_key TEXT NOT NULL,
    event_seq INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    identification TEXT,
    kvp_kv REAL,
    maximum_xray_tube_current_ma REAL,
    xray_tube_current_ma REAL,
    exposure_time_per_rotation_s REAL,
    filter_aluminum_equivalent_mm REAL,
    PRIMARY KEY (study_key, event_seq, seq)
);
CREATE TABLE accumulated_totals (
    study_key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    plane TEXT,
    dap_total_gy_m2 REAL,
    dose_rp_total_gy REAL,
    fluoro_dap_total_gy_m2 REAL,
    fluoro_dose_rp_total_gy REAL,
    total_fluoro_time_s REAL,
    acquisition_dap_total_gy_m2 REAL,
    acquisition_dose_rp_total_gy REAL,
    total_acquisition_time_s REAL,
    total_number_of_radiographic_frames REAL,
    dlp_total_mgy_cm REAL,
    effective_dose_total_msv REAL,
    total_number_of_irradiation_events INTEGER,
    PRIMARY KEY (study_key, seq)
);
";

/// Version 4: radiopharmaceutical administrations with their organ doses, patient
/// characteristics, per-phantom CT DLP totals, the radiopharmaceutical study summary columns
/// and the CT event start date time; every study's derived rows back-filled.
const V4: &str = "
ALTER TABLE studies ADD COLUMN number_of_administrations INTEGER;
ALTER TABLE studies ADD COLUMN total_administered_activity_mbq REAL;
ALTER TABLE studies ADD COLUMN total_radiopharmaceutical_effective_dose_msv REAL;
ALTER TABLE ct_events ADD COLUMN date_time_started TEXT;
CREATE TABLE ct_dlp_totals (
    study_key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    phantom_type TEXT,
    dlp_total_mgy_cm REAL,
    content_path TEXT NOT NULL,
    PRIMARY KEY (study_key, seq)
);
CREATE TABLE radiopharmaceutical_administrations (
    study_key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    report_sop_instance_uid TEXT,
    administration_event_uid TEXT,
    radiopharmaceutical_agent TEXT,
    radiopharmaceutical_agent_code TEXT,
    radionuclide TEXT,
    radionuclide_code TEXT,
    radionuclide_half_life_s REAL,
    specific_activity_bq_per_mol REAL,
    estimated_extravasation_activity_mbq REAL,
    start_date_time TEXT,
    stop_date_time TEXT,
    administered_activity_mbq REAL,
    volume_ml REAL,
    pre_administration_activity_mbq REAL,
    post_administration_activity_mbq REAL,
    route_of_administration TEXT,
    site_of_administration TEXT,
    site_of_administration_laterality TEXT,
    brand_name TEXT,
    prescription_identifier TEXT,
    lot_identifiers TEXT,
    effective_dose_msv REAL,
    effective_dose_method TEXT,
    comment TEXT,
    content_path TEXT NOT NULL,
    PRIMARY KEY (study_key, seq)
);
CREATE TABLE radiopharmaceutical_organ_doses (
    study_key TEXT NOT NULL,
    administration_seq INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    finding_site TEXT,
    finding_site_code TEXT,
    laterality TEXT,
    organ_dose_mgy REAL,
    mass_kg REAL,
    reference_authority TEXT,
    content_path TEXT NOT NULL,
    PRIMARY KEY (study_key, administration_seq, seq)
);
CREATE TABLE patient_characteristics (
    study_key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    report_sop_instance_uid TEXT,
    subject_age_years REAL,
    subject_sex TEXT,
    patient_height_mm REAL,
    patient_weight_kg REAL,
    body_surface_area_m2 REAL,
    body_mass_index_kg_per_m2 REAL,
    glucose_mmol_per_l REAL,
    fasting_duration_s REAL,
    hydration_volume_ml REAL,
    recent_physical_activity TEXT,
    serum_creatinine_mg_per_dl REAL,
    glomerular_filtration_rate_ml_per_min_per_1_73m2 REAL,
    PRIMARY KEY (study_key, seq)
);
";

/// Version 5: the CT event reconstruction algorithms, repeated-acquisition flag and reason,
/// X-ray modulation type (text and code), size-specific dose estimation and water equivalent
/// diameter methods and source; the projection event isocenter angles, table end angles,
/// table positions to the isocenter, compression pressure and contact area; the accumulated
/// distance source to reference point, equipment landmark and patient fiducial rows, and the
/// CT effective dose total's patient model and measurement conditions; every study's derived
/// rows back-filled. The per-report tables `applied_quirks`, `quirk_changes` and
/// `diagnostics` become `WITHOUT ROWID` tables clustered on their primary key: one B-tree per
/// table instead of a table and an index that repeats the long report key, so an import
/// writes about a third fewer pages.
const V5: &str = "
ALTER TABLE ct_events ADD COLUMN reconstruction_algorithms TEXT;
ALTER TABLE ct_events ADD COLUMN is_repeated_acquisition INTEGER;
ALTER TABLE ct_events ADD COLUMN reason_for_repeating_acquisition TEXT;
ALTER TABLE ct_events ADD COLUMN xray_modulation_type TEXT;
ALTER TABLE ct_events ADD COLUMN xray_modulation_type_code TEXT;
ALTER TABLE ct_events ADD COLUMN ssde_method TEXT;
ALTER TABLE ct_events ADD COLUMN water_equivalent_diameter_method TEXT;
ALTER TABLE ct_events ADD COLUMN water_equivalent_diameter_source TEXT;
ALTER TABLE projection_events ADD COLUMN positioner_isocenter_primary_angle_deg REAL;
ALTER TABLE projection_events ADD COLUMN positioner_isocenter_secondary_angle_deg REAL;
ALTER TABLE projection_events ADD COLUMN positioner_isocenter_detector_rotation_angle_deg REAL;
ALTER TABLE projection_events ADD COLUMN positioner_isocenter_primary_end_angle_deg REAL;
ALTER TABLE projection_events ADD COLUMN positioner_isocenter_secondary_end_angle_deg REAL;
ALTER TABLE projection_events ADD COLUMN positioner_isocenter_detector_rotation_end_angle_deg REAL;
ALTER TABLE projection_events ADD COLUMN table_head_tilt_end_angle_deg REAL;
ALTER TABLE projection_events ADD COLUMN table_horizontal_rotation_end_angle_deg REAL;
ALTER TABLE projection_events ADD COLUMN table_cradle_tilt_end_angle_deg REAL;
ALTER TABLE projection_events ADD COLUMN table_x_position_to_isocenter_mm REAL;
ALTER TABLE projection_events ADD COLUMN table_y_position_to_isocenter_mm REAL;
ALTER TABLE projection_events ADD COLUMN table_z_position_to_isocenter_mm REAL;
ALTER TABLE projection_events ADD COLUMN table_x_end_position_to_isocenter_mm REAL;
ALTER TABLE projection_events ADD COLUMN table_y_end_position_to_isocenter_mm REAL;
ALTER TABLE projection_events ADD COLUMN table_z_end_position_to_isocenter_mm REAL;
ALTER TABLE projection_events ADD COLUMN compression_pressure_kpa REAL;
ALTER TABLE projection_events ADD COLUMN compression_contact_area_m2 REAL;
ALTER TABLE accumulated_totals ADD COLUMN distance_source_to_reference_point_mm REAL;
ALTER TABLE accumulated_totals ADD COLUMN equipment_landmark TEXT;
ALTER TABLE accumulated_totals ADD COLUMN equipment_landmark_xy_plane TEXT;
ALTER TABLE accumulated_totals ADD COLUMN equipment_landmark_z_position_mm REAL;
ALTER TABLE accumulated_totals ADD COLUMN patient_fiducial TEXT;
ALTER TABLE accumulated_totals ADD COLUMN equipment_landmark_to_patient_fiducial_x_distance_mm REAL;
ALTER TABLE accumulated_totals ADD COLUMN equipment_landmark_to_patient_fiducial_y_distance_mm REAL;
ALTER TABLE accumulated_totals ADD COLUMN equipment_landmark_to_patient_fiducial_z_distance_mm REAL;
ALTER TABLE accumulated_totals ADD COLUMN patient_model TEXT;
ALTER TABLE accumulated_totals ADD COLUMN effective_dose_phantom_type TEXT;
ALTER TABLE accumulated_totals ADD COLUMN dosimeter_type TEXT;
CREATE TABLE applied_quirks_v5 (
    report_key TEXT NOT NULL,
    quirk_id TEXT NOT NULL,
    summary TEXT,
    number_of_changes INTEGER NOT NULL,
    PRIMARY KEY (report_key, quirk_id)
) WITHOUT ROWID;
INSERT INTO applied_quirks_v5 (report_key, quirk_id, summary, number_of_changes)
    SELECT report_key, quirk_id, summary, number_of_changes FROM applied_quirks;
DROP TABLE applied_quirks;
ALTER TABLE applied_quirks_v5 RENAME TO applied_quirks;
CREATE TABLE quirk_changes_v5 (
    report_key TEXT NOT NULL,
    quirk_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    content_path TEXT,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    PRIMARY KEY (report_key, quirk_id, seq)
) WITHOUT ROWID;
INSERT INTO quirk_changes_v5 (report_key, quirk_id, seq, content_path, before, after)
    SELECT report_key, quirk_id, seq, content_path, before, after FROM quirk_changes;
DROP TABLE quirk_changes;
ALTER TABLE quirk_changes_v5 RENAME TO quirk_changes;
CREATE TABLE diagnostics_v5 (
    report_key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    content_path TEXT,
    message TEXT NOT NULL,
    PRIMARY KEY (report_key, seq)
) WITHOUT ROWID;
INSERT INTO diagnostics_v5 (report_key, seq, code, severity, content_path, message)
    SELECT report_key, seq, code, severity, content_path, message FROM diagnostics;
DROP TABLE diagnostics;
ALTER TABLE diagnostics_v5 RENAME TO diagnostics;
";

/// Version 6: the CT event's z-resolved values (`ct_z_resolved_values`) and water equivalent
/// diameter z location; the remaining typed radiopharmaceutical fields (administration
/// identifiers, devices, codes and reference authority, organ dose mass method and coded
/// reference authority, patient characteristics formula, equation and states) and the
/// tables `patient_glomerular_filtration_rates`, `radiopharmaceutical_reports` and
/// `radiopharmaceutical_persons`; every study's derived rows back-filled.
const V6: &str = "
ALTER TABLE ct_events ADD COLUMN water_equivalent_diameter_z_location_mm REAL;
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
    event_seq INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    quantity TEXT NOT NULL,
    longitudinal_position_z_mm REAL,
    ssde_mgy REAL,
    water_equivalent_diameter_mm REAL,
    content_path TEXT NOT NULL,
    PRIMARY KEY (study_key, event_seq, seq)
);
CREATE TABLE patient_glomerular_filtration_rates (
    study_key TEXT NOT NULL,
    characteristics_seq INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    glomerular_filtration_rate_ml_per_min_per_1_73m2 REAL,
    measurement_method TEXT,
    equivalent_meaning_of_concept_name TEXT,
    PRIMARY KEY (study_key, characteristics_seq, seq)
);
CREATE TABLE radiopharmaceutical_reports (
    study_key TEXT NOT NULL,
    seq INTEGER NOT NULL,
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
    seq INTEGER NOT NULL,
    report_seq INTEGER NOT NULL,
    administration_seq INTEGER,
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

/// What takes a store of the latest version back to the tables and columns of `version`
/// (4 or 5) in the upgrade tests: [`undo_migration`] of each later migration, latest first
/// (the same tables and columns on both backends).
pub(crate) fn back_to_version(version: u32) -> String {
    let mut out = String::new();
    if version < 6 {
        out.push_str(&undo_migration(V6));
    }
    if version < 5 {
        out.push_str(&undo_migration(V5));
    }
    out
}

/// The version 5 and 6 migrations, for the PostgreSQL backend's check that its own add the
/// same columns and tables.
#[cfg(test)]
pub(crate) const VERSION_5_AND_6: [&str; 2] = [V5, V6];

/// The statements that undo a migration's additions, read from its text: `ALTER TABLE …
/// DROP COLUMN …` for every `ALTER TABLE … ADD COLUMN …` line, then `DROP TABLE …` for every
/// `CREATE TABLE …` whose table is not renamed later in the migration (a rebuilt table,
/// created under a temporary name and renamed over the old one, is no addition).
pub(crate) fn undo_migration(sql: &str) -> String {
    let columns = sql.lines().filter_map(|line| {
        let rest = line.trim().strip_prefix("ALTER TABLE ")?;
        let (table, rest) = rest.split_once(" ADD COLUMN ")?;
        let column = rest.split_whitespace().next()?;
        Some(format!("ALTER TABLE {table} DROP COLUMN {column};\n"))
    });
    let renamed: Vec<&str> = sql
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("ALTER TABLE ")?;
            let (table, _) = rest.split_once(" RENAME TO ")?;
            Some(table.trim())
        })
        .collect();
    let tables = sql.lines().filter_map(|line| {
        let rest = line.trim().strip_prefix("CREATE TABLE ")?;
        let table = rest.split(|c: char| c == '(' || c.is_whitespace()).next()?;
        (!table.is_empty() && !renamed.contains(&table)).then(|| format!("DROP TABLE {table};\n"))
    });
    columns.chain(tables).collect()
}

/// One forward migration.
enum Migration {
    /// SQL run as one batch, then every study's derived rows rebuilt when `rederive`.
    Sql { sql: &'static str, rederive: bool },
}

/// The migrations, in order: entry `i` takes the store from version `i` to `i + 1`.
const MIGRATIONS: [Migration; 6] = [
    Migration::Sql {
        sql: V1,
        rederive: false,
    },
    Migration::Sql {
        sql: V2,
        rederive: true,
    },
    Migration::Sql {
        sql: crate::sqlite_alerts::V3,
        rederive: true,
    },
    Migration::Sql {
        sql: V4,
        rederive: true,
    },
    Migration::Sql {
        sql: V5,
        rederive: true,
    },
    Migration::Sql {
        sql: V6,
        rederive: true,
    },
];

/// The first schema version with the alert tables.
const ALERTS_VERSION: u32 = 3;

/// Tables of the canonical dump, with the columns left out (volatile or per-arrival).
pub(crate) const DUMP: [(&str, &[&str]); 20] = [
    ("studies", &[]),
    ("study_alerts", &[]),
    ("alert_settings", &[]),
    ("reports", &[]),
    ("projection_events", &[]),
    ("ct_events", &[]),
    ("ct_xray_sources", &[]),
    ("ct_z_resolved_values", &[]),
    ("accumulated_totals", &[]),
    ("ct_dlp_totals", &[]),
    ("radiopharmaceutical_reports", &[]),
    ("radiopharmaceutical_administrations", &[]),
    ("radiopharmaceutical_organ_doses", &[]),
    ("radiopharmaceutical_persons", &[]),
    ("patient_characteristics", &[]),
    ("patient_glomerular_filtration_rates", &[]),
    ("applied_quirks", &[]),
    ("quirk_changes", &[]),
    ("diagnostics", &[]),
    ("import_log", &["mtime_ns", "duration_s", "outcome"]),
];

/// A [`StudyRow`] from a row selecting [`STUDY_COLUMNS`].
pub(crate) fn study_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StudyRow> {
    Ok(StudyRow {
        study_key: r.get(0)?,
        study_instance_uid: r.get(1)?,
        study_date: r.get(2)?,
        accession_number: r.get(3)?,
        study_description: r.get(4)?,
        patient_id: r.get(5)?,
        modality: r.get(6)?,
        manufacturer: r.get(7)?,
        model_name: r.get(8)?,
        station_name: r.get(9)?,
        template: r.get(10)?,
        number_of_reports: r.get(11)?,
        number_of_events: r.get(12)?,
        number_of_axial: r.get(13)?,
        number_of_spiral: r.get(14)?,
        number_of_stationary: r.get(15)?,
        number_of_const_angle: r.get(16)?,
        total_dlp_mgy_cm: r.get(17)?,
        total_dap_a_gy_m2: r.get(18)?,
        total_rp_dose_a_gy: r.get(19)?,
        total_dap_b_gy_m2: r.get(20)?,
        total_rp_dose_b_gy: r.get(21)?,
        total_dap_gy_m2: r.get(22)?,
        number_of_planes: r.get(23)?,
        number_of_events_a: r.get(24)?,
        number_of_events_b: r.get(25)?,
        total_agd_left_mgy: r.get(26)?,
        total_agd_right_mgy: r.get(27)?,
        total_agd_both_mgy: r.get(28)?,
        notes: r.get(29)?,
        number_of_administrations: r.get(30)?,
        total_administered_activity_mbq: r.get(31)?,
        total_radiopharmaceutical_effective_dose_msv: r.get(32)?,
    })
}

/// The embedded store: a SQLite file in WAL mode, written by the thread that owns it.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// Quirk id -> summary, for the `applied_quirks` rows.
    quirk_summaries: BTreeMap<String, String>,
    /// The site secret for hashed patient keys (never stored).
    site_secret: Option<Vec<u8>>,
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(Duration::from_secs(30))?;
    // Every statement of a batch stays prepared (the default cache of 16 is smaller than
    // the statements one batch uses).
    conn.set_prepared_statement_cache_capacity(128);
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Checkpoint every ~16 MiB of WAL rather than every 4 MiB: fewer, larger copies.
    conn.pragma_update(None, "wal_autocheckpoint", 4000)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // A 16 MiB page cache (the default is 2 MiB): the writer re-reads index pages of the
    // growing tables at every batch, and every miss is a read system call and a copy. Small
    // enough that a store of a few thousand reports already fills it, so the importer's
    // memory does not grow with the archive.
    conn.pragma_update(None, "cache_size", -16384)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

fn user_version(conn: &Connection) -> Result<u32, StoreError> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

impl SqliteStore {
    /// Opens (or creates) the store at `path`, applying pending migrations.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        Self::open_at(path.as_ref(), SCHEMA_VERSION)
    }

    /// Opens the store, migrating it up to `version` only (tests of older stores).
    #[doc(hidden)]
    pub fn open_at(path: &Path, version: u32) -> Result<SqliteStore, StoreError> {
        let conn = Connection::open(path)?;
        configure(&conn)?;
        let mut store = SqliteStore {
            conn,
            path: path.to_path_buf(),
            quirk_summaries: shipped_quirk_summaries(),
            site_secret: None,
        };
        store.migrate(version)?;
        Ok(store)
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

    /// The file of the store.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for read-only SQL of callers (reports, exports).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn site_secret(&self) -> Option<&[u8]> {
        self.site_secret.as_deref()
    }

    pub(crate) fn set_secret_bytes(&mut self, secret: Vec<u8>) {
        self.site_secret = Some(secret);
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Applies the pending migrations in one transaction; when one of them asks for it,
    /// every study's derived rows (and alerts) are rebuilt once, at the end.
    fn migrate(&mut self, target: u32) -> Result<(), StoreError> {
        let found = user_version(&self.conn)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        let tx = self.conn.transaction()?;
        let mut rebuild = false;
        let mut reached = found;
        for (i, m) in MIGRATIONS.iter().enumerate() {
            let to = u32::try_from(i + 1).unwrap_or(u32::MAX);
            if to <= found || to > target {
                continue;
            }
            let Migration::Sql { sql, rederive } = m;
            tx.execute_batch(sql)?;
            rebuild |= *rederive;
            reached = to;
        }
        if rebuild {
            let mut work = if reached >= ALERTS_VERSION {
                AlertWork::new(&tx, None)?
            } else {
                AlertWork::disabled()
            };
            let keys: Vec<String> = {
                let mut st = tx.prepare("SELECT DISTINCT study_key FROM reports")?;
                st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?
            };
            for k in keys {
                rederive(&tx, &k, &mut Vec::new(), &mut work)?;
            }
            crate::sqlite_alerts::refresh(&tx, &mut work, &mut |_, _| {})?;
        }
        if reached != found {
            tx.pragma_update(None, "user_version", reached)?;
        }
        tx.commit()?;
        Ok(())
    }
}

pub(crate) fn shipped_quirk_summaries() -> BTreeMap<String, String> {
    rdsr::quirks::shipped_table()
        .map(|t| {
            t.entries()
                .iter()
                .map(|e| (e.id.clone(), e.summary.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// A read-only connection for the parser threads.
struct SqliteReader {
    conn: Connection,
}

impl StoreReader for SqliteReader {
    fn known_file(
        &mut self,
        path: &str,
        size: u64,
        mtime_ns: Option<i64>,
    ) -> Result<bool, StoreError> {
        let row: Option<(Option<i64>, Option<i64>)> = self
            .conn
            .prepare_cached(
                "SELECT file_size_bytes, mtime_ns FROM import_log WHERE file_path = ?1",
            )?
            .query_row([path], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(match row {
            Some((s, m)) => s == i64::try_from(size).ok() && m == mtime_ns && m.is_some(),
            None => false,
        })
    }

    fn known_content(&mut self, sha256: &str) -> Result<Option<Prior>, StoreError> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT outcome, error_kind, message, content_path, sop_instance_uid
                 FROM import_log WHERE sha256 = ?1 ORDER BY file_path LIMIT 1",
            )?
            .query_row([sha256], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get(3)?,
                    r.get(4)?,
                ))
            })
            .optional()?;
        Ok(row.and_then(|(o, error_kind, message, content_path, sop)| {
            let outcome = Outcome::from_name(&o)?;
            Some(Prior {
                outcome,
                error_kind,
                message: message.unwrap_or_default(),
                content_path,
                sop_instance_uid: sop,
            })
        }))
    }
}

/// The `INSERT` statement of a table and column list. The text is built once per call site:
/// both are `'static`, so their addresses identify them for the life of the program.
fn insert_sql(table: &'static str, columns: &'static [&'static str]) -> Rc<str> {
    thread_local! {
        static SQL: RefCell<HashMap<(usize, usize, usize), Rc<str>>> =
            RefCell::new(HashMap::new());
    }
    let key = (
        table.as_ptr() as usize,
        columns.as_ptr() as usize,
        columns.len(),
    );
    SQL.with(|cache| {
        if let Some(sql) = cache.borrow().get(&key) {
            return Rc::clone(sql);
        }
        let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let sql: Rc<str> = format!(
            "INSERT OR REPLACE INTO {table} ({}) VALUES ({})",
            columns.join(", "),
            marks.join(", ")
        )
        .into();
        cache.borrow_mut().insert(key, Rc::clone(&sql));
        sql
    })
}

fn insert(
    tx: &Transaction<'_>,
    table: &'static str,
    columns: &'static [&'static str],
    cells: Vec<Cell>,
) -> Result<(), StoreError> {
    tx.prepare_cached(&insert_sql(table, columns))?
        .execute(rusqlite::params_from_iter(cells.into_iter().map(value)))?;
    Ok(())
}

/// A cell as a parameter.
fn value(cell: Cell) -> Value {
    match cell {
        Cell::I(v) => v.map_or(Value::Null, Value::Integer),
        Cell::F(v) => v.map_or(Value::Null, Value::Real),
        Cell::T(v) => v.map_or(Value::Null, Value::Text),
        Cell::B(v) => Value::Blob(v),
    }
}

fn delete_report_rows(tx: &Transaction<'_>, key: &str) -> Result<(), StoreError> {
    for table in ["applied_quirks", "quirk_changes", "diagnostics", "reports"] {
        tx.prepare_cached(&format!("DELETE FROM {table} WHERE report_key = ?1"))?
            .execute([key])?;
    }
    Ok(())
}

fn insert_report(
    tx: &Transaction<'_>,
    report: &DoseReport,
    meta: &crate::FileMeta,
    sha: &str,
    summaries: &BTreeMap<String, String>,
    stored: Option<Vec<u8>>,
) -> Result<rows::ReportRow, StoreError> {
    let stored = match stored {
        Some(z) => z,
        None => crate::encode_report(report)?,
    };
    let (row, quirks, diagnostics) = rows::report_rows(report, sha);
    insert(
        tx,
        "reports",
        tables::REPORT_COLUMNS,
        tables::report(&row, &meta.path, meta.size, sha, stored),
    )?;
    for q in &quirks {
        insert(
            tx,
            "applied_quirks",
            tables::QUIRK_COLUMNS,
            tables::applied_quirk(&row.report_key, q, summaries.get(&q.quirk_id)),
        )?;
        for cells in tables::quirk_changes(&row.report_key, q) {
            insert(tx, "quirk_changes", tables::CHANGE_COLUMNS, cells)?;
        }
    }
    for (seq, d) in diagnostics.iter().enumerate() {
        insert(
            tx,
            "diagnostics",
            tables::DIAGNOSTIC_COLUMNS,
            tables::diagnostic(&row.report_key, seq, d),
        )?;
    }
    Ok(row)
}

/// Re-assembles study `key` from its stored reports and rewrites its derived rows. Reports
/// listed in `late` (key, report) are added after the stored ones, and their outcomes
/// returned in that order.
fn rederive(
    tx: &Transaction<'_>,
    key: &str,
    late: &mut Vec<(String, DoseReport)>,
    work: &mut AlertWork,
) -> Result<Vec<rdsr::study::Outcome>, StoreError> {
    let has_late = !late.is_empty();
    let late_keys: BTreeSet<&str> = late.iter().map(|(k, _)| k.as_str()).collect();
    let mut assembler = StudyAssembler::new();
    {
        let mut st = tx.prepare_cached(
            "SELECT report_key, report_zlib FROM reports WHERE study_key = ?1 ORDER BY report_key",
        )?;
        let mut q = st.query([key])?;
        while let Some(r) = q.next()? {
            let rk: String = r.get(0)?;
            if late_keys.contains(rk.as_str()) {
                continue;
            }
            let stored: Vec<u8> = r.get(1)?;
            let report = crate::decode_report(&rk, &stored)?;
            assembler.add(report);
        }
    }
    let outcomes = late
        .drain(..)
        .map(|(_, report)| assembler.add(report))
        .collect();
    // Derived rows of a study always include its `studies` row: a study without one (new
    // in this batch) has nothing to delete. (A migration, which re-derives with no late
    // reports, always deletes.)
    let stored_before = !has_late
        || tx
            .prepare_cached("SELECT 1 FROM studies WHERE study_key = ?1")?
            .exists([key])?;
    if stored_before {
        for table in tables::DERIVED_TABLES {
            tx.prepare_cached(&format!("DELETE FROM {table} WHERE study_key = ?1"))?
                .execute([key])?;
        }
        crate::sqlite_alerts::forget_study(tx, key, work)?;
    }
    for study in assembler.studies() {
        let rows = rows::study_rows(&study);
        write_study(tx, key, &rows)?;
        crate::sqlite_alerts::remember_study(tx, &study, &rows.study, work)?;
    }
    Ok(outcomes)
}

/// Re-assembles study `key` and writes its alert subject only (the derived rows stay).
pub(crate) fn rederive_alert_subject(
    tx: &Transaction<'_>,
    key: &str,
    work: &mut AlertWork,
) -> Result<(), StoreError> {
    let mut assembler = StudyAssembler::new();
    {
        let mut st = tx.prepare_cached(
            "SELECT report_key, report_zlib FROM reports WHERE study_key = ?1 ORDER BY report_key",
        )?;
        let mut q = st.query([key])?;
        while let Some(r) = q.next()? {
            let rk: String = r.get(0)?;
            let stored: Vec<u8> = r.get(1)?;
            assembler.add(crate::decode_report(&rk, &stored)?);
        }
    }
    crate::sqlite_alerts::forget_study(tx, key, work)?;
    for study in assembler.studies() {
        let rows = rows::study_rows(&study);
        crate::sqlite_alerts::remember_study(tx, &study, &rows.study, work)?;
    }
    Ok(())
}

fn write_study(tx: &Transaction<'_>, key: &str, r: &rows::StudyRows) -> Result<(), StoreError> {
    for (table, cells) in tables::derived_rows(key, r) {
        if let Some(spec) = tables::DERIVED.get(table) {
            insert(tx, spec.name, spec.columns, cells)?;
        }
    }
    for role in &r.roles {
        tx.prepare_cached(
            "UPDATE reports SET role = ?1, replaced_by = ?2
             WHERE study_key = ?3 AND coalesce(sop_instance_uid, '') = ?4",
        )?
        .execute(params![
            role.role,
            role.replaced_by,
            key,
            role.sop_instance_uid
        ])?;
    }
    Ok(())
}

fn log_file(
    tx: &Transaction<'_>,
    rec: &FileRecord,
    meta: Option<&crate::FileMeta>,
) -> Result<(), StoreError> {
    insert(
        tx,
        "import_log",
        &[
            "file_path",
            "file_size_bytes",
            "mtime_ns",
            "sha256",
            "sop_instance_uid",
            "outcome",
            "error_kind",
            "message",
            "content_path",
            "duration_s",
        ],
        vec![
            tables::t(&rec.path),
            tables::i(meta.and_then(|m| i64::try_from(m.size).ok())),
            tables::i(meta.and_then(|m| m.mtime_ns)),
            tables::ot(&meta.and_then(|m| m.sha256.clone())),
            tables::ot(&rec.sop_instance_uid),
            tables::t(rec.outcome.name()),
            tables::ot(&rec.error_kind),
            tables::ot(&rec.message),
            tables::ot(&rec.content_path),
            tables::f(meta.map(|m| m.duration_s)),
        ],
    )
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

impl Store for SqliteStore {
    fn schema_version(&self) -> Result<u32, StoreError> {
        user_version(&self.conn)
    }

    fn reader(&self) -> Result<Box<dyn StoreReader>, StoreError> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(30))?;
        Ok(Box::new(SqliteReader { conn }))
    }

    fn apply(&mut self, batch: Vec<Arrival>) -> Result<Vec<FileRecord>, StoreError> {
        let summaries = &self.quirk_summaries;
        let tx = self.conn.transaction()?;
        let mut work = AlertWork::new(&tx, self.site_secret.as_deref())?;
        let mut records: Vec<FileRecord> = Vec::with_capacity(batch.len());
        let mut metas: Vec<crate::FileMeta> = Vec::with_capacity(batch.len());
        // Study key -> (record index, report key, report) of the reports new in this batch.
        let mut dirty: BTreeMap<String, Vec<(usize, String, DoseReport)>> = BTreeMap::new();
        for arrival in batch {
            let idx = records.len();
            match arrival {
                Arrival::Report {
                    meta,
                    report,
                    stored_report,
                } => {
                    let sha = meta.sha256.clone().unwrap_or_default();
                    let key = rows::report_key(&report, &sha);
                    let existing: Option<(String, String, String)> = tx
                        .prepare_cached(
                            "SELECT sha256, file_path, study_key FROM reports WHERE report_key = ?1",
                        )?
                        .query_row([&key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                        .optional()?;
                    let mut rec = FileRecord::new(&meta.path, Outcome::Duplicate);
                    rec.sop_instance_uid = report.sop_instance_uid.clone();
                    match existing {
                        Some((old_sha, old_path, _)) if old_sha == sha => {
                            if meta.path < old_path {
                                tx.prepare_cached(
                                    "UPDATE reports SET file_path = ?1 WHERE report_key = ?2",
                                )?
                                .execute([&meta.path, &key])?;
                            }
                        }
                        // Another version of the same SOP instance: the store keeps the
                        // one with the smallest (SHA-256, path), whatever the order.
                        Some((old_sha, old_path, old_study)) => {
                            if (sha.as_str(), meta.path.as_str())
                                < (old_sha.as_str(), old_path.as_str())
                            {
                                delete_report_rows(&tx, &key)?;
                                let row = insert_report(
                                    &tx,
                                    &report,
                                    &meta,
                                    &sha,
                                    summaries,
                                    stored_report,
                                )?;
                                dirty.entry(old_study).or_default();
                                dirty.entry(row.study_key).or_default();
                            }
                        }
                        None => {
                            let row =
                                insert_report(&tx, &report, &meta, &sha, summaries, stored_report)?;
                            rec.outcome = Outcome::Added;
                            dirty
                                .entry(row.study_key)
                                .or_default()
                                .push((idx, key, *report));
                        }
                    }
                    records.push(rec);
                    metas.push(meta);
                }
                Arrival::KnownContent { meta, prior } => {
                    let mut rec = FileRecord::new(&meta.path, prior.outcome);
                    if prior.outcome.is_report() {
                        rec.outcome = Outcome::Duplicate;
                        if let Some(sha) = &meta.sha256 {
                            tx.prepare_cached(
                                "UPDATE reports SET file_path = ?1
                                 WHERE sha256 = ?2 AND file_path > ?1",
                            )?
                            .execute([&meta.path, sha])?;
                        }
                    }
                    rec.error_kind = prior.error_kind;
                    rec.message = (!prior.message.is_empty()).then_some(prior.message);
                    rec.content_path = prior.content_path;
                    rec.sop_instance_uid = prior.sop_instance_uid;
                    records.push(rec);
                    metas.push(meta);
                }
                Arrival::Rejected {
                    meta,
                    outcome,
                    error_kind,
                    message,
                    content_path,
                } => {
                    let mut rec = FileRecord::new(&meta.path, outcome);
                    rec.error_kind = error_kind;
                    rec.message = Some(message);
                    rec.content_path = content_path;
                    records.push(rec);
                    metas.push(meta);
                }
            }
        }
        for (study, mut news) in dirty {
            let idxs: Vec<usize> = news.iter().map(|(i, _, _)| *i).collect();
            let mut late: Vec<(String, DoseReport)> =
                news.drain(..).map(|(_, k, r)| (k, r)).collect();
            let outcomes = rederive(&tx, &study, &mut late, &mut work)?;
            for (i, o) in idxs.into_iter().zip(outcomes) {
                if let Some(rec) = records.get_mut(i) {
                    rec.outcome = map_outcome(&o);
                }
            }
        }
        crate::sqlite_alerts::refresh(&tx, &mut work, &mut |_, _| {})?;
        for (rec, meta) in records.iter().zip(&metas) {
            log_file(&tx, rec, Some(meta))?;
        }
        tx.commit()?;
        Ok(records)
    }

    fn log_unlistable(&mut self, path: &str, message: &str) -> Result<FileRecord, StoreError> {
        let tx = self.conn.transaction()?;
        let mut rec = FileRecord::new(path, Outcome::Unreadable);
        rec.error_kind = Some("io".to_string());
        rec.message = Some(message.to_string());
        log_file(&tx, &rec, None)?;
        tx.commit()?;
        Ok(rec)
    }

    fn studies(&self) -> Result<Vec<StudyRow>, StoreError> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {} FROM studies ORDER BY study_key",
            STUDY_COLUMNS.join(", ")
        ))?;
        let rows = st
            .query_map([], study_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    fn canonical_dump(&self) -> Result<String, StoreError> {
        let mut out = String::new();
        for (table, skip) in DUMP {
            let columns: Vec<String> = {
                let mut st = self.conn.prepare(&format!("PRAGMA table_info({table})"))?;
                st.query_map([], |r| r.get::<_, String>(1))?
                    .collect::<Result<Vec<_>, _>>()?
            };
            let columns: Vec<String> = columns
                .into_iter()
                .filter(|c| !skip.contains(&c.as_str()))
                .collect();
            let mut st = self
                .conn
                .prepare(&format!("SELECT {} FROM {table}", columns.join(", ")))?;
            let n = columns.len();
            let mut lines: Vec<String> = st
                .query_map([], |r| {
                    let mut line = String::new();
                    for i in 0..n {
                        let v: Value = r.get(i)?;
                        let cell = match v {
                            Value::Null => "NULL".to_string(),
                            Value::Integer(i) => i.to_string(),
                            Value::Real(f) => format!("{f:?}"),
                            Value::Text(s) => format!("{s:?}"),
                            Value::Blob(b) => dump_blob(&b),
                        };
                        line.push_str(&cell);
                        line.push('|');
                    }
                    Ok(line)
                })?
                .collect::<Result<Vec<_>, _>>()?;
            lines.sort();
            out.push_str(&format!("## {table} ({})\n", columns.join(", ")));
            for l in lines {
                out.push_str(&l);
                out.push('\n');
            }
        }
        Ok(out)
    }
}

/// A blob in the canonical dump: its length and the start of its SHA-256.
pub(crate) fn dump_blob(b: &[u8]) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(b);
    format!("blob:{}:{:02x?}", b.len(), d.get(..8).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Takes a store of this version back to version 4: no version 5 or 6 tables or columns.
    fn back_to_v4() -> String {
        format!("{}PRAGMA user_version = 4;", back_to_version(4))
    }

    fn testdata() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata")
    }

    /// The canonical dump of a new store at `path` into which `roots` were imported.
    fn imported(path: &Path, roots: &[PathBuf]) -> Result<String, Box<dyn std::error::Error>> {
        let mut store = SqliteStore::open(path)?;
        crate::import_paths(
            &mut store,
            roots,
            &crate::ImportOptions::default(),
            |_, _| {},
        )?;
        Ok(store.canonical_dump()?)
    }

    /// The store at `path`, opened (so upgraded) at the latest version, after checking that
    /// its canonical dump is `clean`, line by line.
    fn upgraded(path: &Path, clean: &str) -> Result<SqliteStore, Box<dyn std::error::Error>> {
        let store = SqliteStore::open(path)?;
        assert_eq!(store.schema_version()?, SCHEMA_VERSION);
        let upgraded = store.canonical_dump()?;
        for (a, b) in upgraded.lines().zip(clean.lines()) {
            assert_eq!(a, b);
        }
        assert_eq!(upgraded.len(), clean.len());
        Ok(store)
    }

    /// Each `(table, column)` has a value in some row.
    fn assert_back_filled(
        store: &SqliteStore,
        columns: &[(&str, &str)],
    ) -> Result<(), Box<dyn std::error::Error>> {
        for (table, column) in columns {
            let n: i64 = store.connection().query_row(
                &format!("SELECT count(*) FROM {table} WHERE {column} IS NOT NULL"),
                [],
                |r| r.get(0),
            )?;
            assert!(n > 0, "{table}.{column} back-filled");
        }
        Ok(())
    }

    /// A column of each table and column version 6 added, with a value in `testdata/`.
    const VERSION_6_ROWS: &[(&str, &str)] = &[
        ("ct_events", "water_equivalent_diameter_z_location_mm"),
        ("ct_z_resolved_values", "longitudinal_position_z_mm"),
        (
            "radiopharmaceutical_administrations",
            "radiopharmaceutical_dispense_unit_identifier",
        ),
        ("radiopharmaceutical_organ_doses", "mass_measurement_method"),
        ("patient_characteristics", "patient_states"),
        ("patient_glomerular_filtration_rates", "measurement_method"),
        ("radiopharmaceutical_reports", "associated_procedure"),
        ("radiopharmaceutical_persons", "person_name"),
    ];

    /// Takes a store of version 4 back to version 3: no version 4 tables or columns (run
    /// after [`back_to_v4`]).
    const BACK_TO_V3: &str = "
        DROP TABLE ct_dlp_totals; DROP TABLE radiopharmaceutical_administrations;
        DROP TABLE radiopharmaceutical_organ_doses; DROP TABLE patient_characteristics;
        ALTER TABLE studies DROP COLUMN number_of_administrations;
        ALTER TABLE studies DROP COLUMN total_administered_activity_mbq;
        ALTER TABLE studies DROP COLUMN total_radiopharmaceutical_effective_dose_msv;
        ALTER TABLE ct_events DROP COLUMN date_time_started;
        PRAGMA user_version = 3;";

    /// An older store (version 1: no summary fields, no events) is upgraded on open and its
    /// derived rows back-filled from the stored reports.
    #[test]
    fn version_1_store_is_upgraded_and_back_filled() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("s.sqlite");
        let clean_dump = imported(&path, &[testdata()])?;
        {
            let fresh = SqliteStore::open(&path)?;
            assert_eq!(fresh.schema_version()?, SCHEMA_VERSION);
            assert!(!fresh.studies()?.is_empty());
        }
        {
            // Make it the version 1 store an earlier program wrote.
            let conn = Connection::open(&path)?;
            conn.execute_batch(&back_to_v4())?;
            conn.execute_batch(BACK_TO_V3)?;
            conn.execute_batch(
                "DROP TABLE studies; DROP TABLE projection_events; DROP TABLE ct_events;
                 DROP TABLE ct_xray_sources; DROP TABLE accumulated_totals;
                 DROP TABLE alert_settings; DROP TABLE study_alerts;
                 CREATE TABLE studies (study_key TEXT PRIMARY KEY, study_instance_uid TEXT,
                     number_of_events INTEGER NOT NULL);
                 PRAGMA user_version = 1;",
            )?;
        }
        upgraded(&path, &clean_dump)?;
        Ok(())
    }

    /// A version 2 store (no alert tables) is upgraded on open: its RF studies get their
    /// alerts, as in a store created with the alerts.
    #[test]
    fn version_2_store_is_upgraded_with_alerts() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("s.sqlite");
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/files");
        let roots = if corpus.is_dir() {
            vec![testdata(), corpus]
        } else {
            vec![testdata()]
        };
        let clean_dump = imported(&path, &roots)?;
        let conn = Connection::open(&path)?;
        conn.execute_batch(&back_to_v4())?;
        conn.execute_batch(BACK_TO_V3)?;
        conn.execute_batch(
            "DROP TABLE alert_settings; DROP TABLE study_alerts;
             PRAGMA user_version = 2;",
        )?;
        drop(conn);
        assert!(clean_dump.contains("## study_alerts"));
        upgraded(&path, &clean_dump)?;
        Ok(())
    }

    /// A version 3 store (no radiopharmaceutical tables) is upgraded on open: the
    /// administrations, organ doses, patient characteristics, per-phantom DLP totals and the
    /// new summary columns are back-filled from the stored reports.
    #[test]
    fn version_3_store_is_upgraded_with_radiopharmaceutical_rows()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("s.sqlite");
        let clean_dump = imported(&path, &[testdata()])?;
        assert!(clean_dump.contains("## radiopharmaceutical_administrations"));
        Connection::open(&path)?.execute_batch(&back_to_v4())?;
        Connection::open(&path)?.execute_batch(BACK_TO_V3)?;
        let store = upgraded(&path, &clean_dump)?;
        assert_back_filled(
            &store,
            &[("radiopharmaceutical_administrations", "content_path")],
        )?;
        Ok(())
    }

    /// A version 4 store (no version 5 or 6 columns) is upgraded on open: the new CT event,
    /// projection event, accumulated-totals and radiopharmaceutical columns and tables are
    /// back-filled from the stored reports, as an import into the latest version writes them.
    #[test]
    fn version_4_store_is_upgraded_with_the_template_rows() -> Result<(), Box<dyn std::error::Error>>
    {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("s.sqlite");
        let clean_dump = imported(&path, &[testdata()])?;
        Connection::open(&path)?.execute_batch(&back_to_v4())?;
        let store = upgraded(&path, &clean_dump)?;
        assert_back_filled(
            &store,
            &[
                ("ct_events", "reconstruction_algorithms"),
                (
                    "projection_events",
                    "positioner_isocenter_primary_angle_deg",
                ),
                (
                    "accumulated_totals",
                    "distance_source_to_reference_point_mm",
                ),
                ("accumulated_totals", "patient_model"),
            ],
        )?;
        assert_back_filled(&store, VERSION_6_ROWS)?;
        Ok(())
    }

    /// A version 5 store, as the previous schema wrote it (no z-resolved values, no
    /// radiopharmaceutical reports, persons or filtration-rate tables, none of the version 6
    /// columns), is upgraded on open and back-filled from the stored reports, as an import
    /// into version 6 writes it.
    #[test]
    fn version_5_store_is_upgraded_with_the_z_resolved_and_radiopharmaceutical_rows()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("s.sqlite");
        let clean_dump = imported(&path, &[testdata()])?;
        Connection::open(&path)?
            .execute_batch(&format!("{}PRAGMA user_version = 5;", back_to_version(5)))?;
        {
            let old = SqliteStore::open_at(&path, 5)?;
            assert_eq!(old.schema_version()?, 5);
            let tables: i64 = old.connection().query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'ct_z_resolved_values'",
                [],
                |r| r.get(0),
            )?;
            assert_eq!(tables, 0);
        }
        let store = upgraded(&path, &clean_dump)?;
        assert_back_filled(&store, VERSION_6_ROWS)?;
        Ok(())
    }

    /// The statements that undo versions 5 and 6 name every column and table their
    /// migrations add, latest version first, and none of the tables version 5 rebuilds under
    /// a temporary name.
    #[test]
    fn version_5_and_6_additions_are_read_from_the_migrations() {
        let v6 = back_to_version(5);
        assert_eq!(v6.lines().count(), 20, "{v6}");
        assert!(v6.contains(
            "ALTER TABLE ct_events DROP COLUMN water_equivalent_diameter_z_location_mm;"
        ));
        assert!(v6.contains("ALTER TABLE patient_characteristics DROP COLUMN patient_states;"));
        for table in [
            "ct_z_resolved_values",
            "patient_glomerular_filtration_rates",
            "radiopharmaceutical_reports",
            "radiopharmaceutical_persons",
        ] {
            assert!(v6.contains(&format!("DROP TABLE {table};\n")), "{v6}");
        }
        // Column drops come before the table drops.
        let last_column = v6.rfind("DROP COLUMN").unwrap_or(0);
        let first_table = v6.find("DROP TABLE").unwrap_or(0);
        assert!(last_column < first_table, "{v6}");
        let both = back_to_version(4);
        assert!(both.starts_with(&v6), "version 6 is undone first");
        let v5 = both.get(v6.len()..).unwrap_or_default();
        assert_eq!(v5.lines().count(), 36, "{v5}");
        assert!(v5.contains("ALTER TABLE ct_events DROP COLUMN reconstruction_algorithms;"));
        assert!(v5.contains("ALTER TABLE accumulated_totals DROP COLUMN dosimeter_type;"));
        assert!(!v5.contains("DROP TABLE"), "{v5}");
        assert!(!both.contains("_v5"), "{both}");
    }

    /// The per-report tables are clustered on their primary key (no rowid, no second index
    /// repeating the report key), in a new store and in one upgraded from version 4.
    #[test]
    fn per_report_tables_have_no_rowid_and_no_autoindex() -> Result<(), Box<dyn std::error::Error>>
    {
        let dir = tempfile::tempdir()?;
        for (name, first) in [("new.sqlite", SCHEMA_VERSION), ("old.sqlite", 4)] {
            let path = dir.path().join(name);
            drop(SqliteStore::open_at(&path, first)?);
            let store = SqliteStore::open(&path)?;
            for table in ["applied_quirks", "quirk_changes", "diagnostics"] {
                let sql: String = store.connection().query_row(
                    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
                    [table],
                    |r| r.get(0),
                )?;
                assert!(sql.ends_with("WITHOUT ROWID"), "{name} {table}: {sql}");
                let indexes: i64 = store.connection().query_row(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1",
                    [table],
                    |r| r.get(0),
                )?;
                assert_eq!(indexes, 0, "{name} {table}");
            }
        }
        Ok(())
    }

    #[test]
    fn newer_store_is_refused() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("s.sqlite");
        Connection::open(&path)?.execute_batch("PRAGMA user_version = 99;")?;
        assert!(matches!(
            SqliteStore::open(&path),
            Err(StoreError::TooNew { found: 99, .. })
        ));
        Ok(())
    }
}
