//! Dose reports and assembled studies as flat rows, in the units the column names carry.
//!
//! This is the only module of the store (with its [`survey`] submodule, the view of the
//! dose-survey exports) that reads the fields of [`DoseReport`] and of the model records: a
//! change to the model is a change here and nowhere else. Every quantity is
//! converted to the unit in its row field's name (the column name of the same quantity), so
//! backends only copy values.

use rdsr::model::ct::{CtEvent, CtXraySource};
use rdsr::model::{Observer, ObserverKind, PersonParticipant};
use std::collections::BTreeSet;

use rdsr::model::projection::{AccumulatedPlane, ProjectionEvent};
use rdsr::model::radiopharmaceutical::{
    OrganDose, PatientCharacteristics, RadiopharmaceuticalAdministration,
};
use rdsr::sr::OwnedCode;
use rdsr::study::{AssembledStudy, Role};
use rdsr::{DoseReport, ReportBody};

pub mod survey;

fn code(c: &Option<OwnedCode>) -> Option<String> {
    c.as_ref().map(|c| format!("{}^{}", c.value, c.scheme))
}

/// Every code of a 1-n row, `code^scheme` one per line; `None` when there is none.
fn codes(c: &[OwnedCode]) -> Option<String> {
    (!c.is_empty()).then(|| {
        c.iter()
            .map(|c| format!("{}^{}", c.value, c.scheme))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

fn meaning(c: &Option<OwnedCode>) -> Option<String> {
    c.as_ref().map(|c| c.meaning.clone())
}

/// The key under which a report is stored: its SOP Instance UID and the SHA-256 of its bytes
/// (`UID sha256:HEX`), or for a report without a UID the SHA-256 alone.
///
/// The content hash is part of the key so that two different reports never collide: a
/// report that reuses another's SOP Instance UID with other content (a corrected copy, a
/// report of another study) is a report of its own, kept beside the first and resolved by
/// study assembly, never dropped or replaced whatever the arrival order. Only the same
/// bytes again are the same report.
pub fn report_key(report: &DoseReport, sha256: &str) -> String {
    match report.sop_instance_uid.as_deref().map(str::trim) {
        Some(uid) if !uid.is_empty() => format!("{uid} sha256:{sha256}"),
        _ => format!("sha256:{sha256}"),
    }
}

/// The key of the study a report belongs to: its Study Instance UID, or for a report
/// without one a study of its own keyed by the report key.
pub fn study_key(report: &DoseReport, report_key: &str) -> String {
    match report.study_instance_uid.as_deref().map(str::trim) {
        Some(uid) if !uid.is_empty() => uid.to_string(),
        _ => format!("(no study uid) {report_key}"),
    }
}

/// One `reports` row (without file provenance, which the importer adds).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    /// SOP Instance UID, or `sha256:HEX` when the report has none.
    pub report_key: String,
    /// Key of its study.
    pub study_key: String,
    /// SOP Instance UID as written (may be absent).
    pub sop_instance_uid: Option<String>,
    /// SOP Class UID.
    pub sop_class_uid: String,
    /// Series Instance UID.
    pub series_instance_uid: Option<String>,
    /// Template identifier (10001, 10011, ...).
    pub template: Option<String>,
    /// Number of irradiation events.
    pub number_of_events: i64,
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// Manufacturer's model name.
    pub model_name: Option<String>,
    /// Station name.
    pub station_name: Option<String>,
    /// Device Observer UID.
    pub device_observer_uid: Option<String>,
}

/// One applied quirk of a report (grouped: one row per quirk id).
#[derive(Debug, Clone, PartialEq)]
pub struct QuirkRow {
    /// Quirk id.
    pub quirk_id: String,
    /// Changes it made, in order: (SR path, before, after).
    pub changes: Vec<(Option<String>, String, String)>,
}

/// One diagnostic of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagnosticRow {
    /// Stable code.
    pub code: String,
    /// Severity (`info`, `warning`, ...).
    pub severity: String,
    /// SR content path.
    pub path: Option<String>,
    /// Message.
    pub message: String,
}

/// The per-report rows.
pub fn report_rows(
    report: &DoseReport,
    sha256: &str,
) -> (ReportRow, Vec<QuirkRow>, Vec<DiagnosticRow>) {
    let key = report_key(report, sha256);
    let row = ReportRow {
        study_key: study_key(report, &key),
        report_key: key,
        sop_instance_uid: report.sop_instance_uid.clone(),
        sop_class_uid: report.sop_class_uid.clone(),
        series_instance_uid: report.series_instance_uid.clone(),
        template: report.template.id().map(str::to_string),
        number_of_events: i64::try_from(report.irradiation_events).unwrap_or(i64::MAX),
        manufacturer: report.equipment.manufacturer.clone(),
        model_name: report.equipment.manufacturer_model_name.clone(),
        station_name: report.equipment.station_name.clone(),
        device_observer_uid: report.equipment.device_observer_uid.clone(),
    };
    let quirks: Vec<QuirkRow> = report
        .applied_quirks
        .iter()
        .map(|q| QuirkRow {
            quirk_id: q.id.clone(),
            changes: q
                .changes
                .iter()
                .map(|c| (c.path.clone(), c.before.clone(), c.after.clone()))
                .collect(),
        })
        .collect();
    let diagnostics = report
        .diagnostics
        .iter()
        .map(|d| DiagnosticRow {
            code: d.code.to_string(),
            severity: serde_name(d.severity),
            path: d.path.clone(),
            message: d.message.clone(),
        })
        .collect();
    (row, quirks, diagnostics)
}

/// The role of one report in its assembled study.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleRow {
    /// SOP Instance UID as the assembler reports it.
    pub sop_instance_uid: String,
    /// `added`, `merged`, `superseded` or `duplicate`.
    pub role: String,
    /// SOP Instance UID of the report replacing it.
    pub replaced_by: Option<String>,
}

/// One `studies` row.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct StudyRow {
    /// Study key.
    pub study_key: String,
    /// Study Instance UID (absent for a report-of-its-own study).
    pub study_instance_uid: Option<String>,
    /// Study date (ISO 8601).
    pub study_date: Option<String>,
    /// Accession number.
    pub accession_number: Option<String>,
    /// Study description.
    pub study_description: Option<String>,
    /// Patient ID.
    pub patient_id: Option<String>,
    /// Modality (CT, RF, DX, MG...).
    pub modality: Option<String>,
    /// Manufacturer of the primary report.
    pub manufacturer: Option<String>,
    /// Model of the primary report.
    pub model_name: Option<String>,
    /// Station name.
    pub station_name: Option<String>,
    /// Template of the merged report.
    pub template: Option<String>,
    /// Number of reports received.
    pub number_of_reports: i64,
    /// Number of (distinct) events.
    pub number_of_events: i64,
    /// CT: sequenced acquisitions.
    pub number_of_axial: Option<i64>,
    /// CT: spiral acquisitions.
    pub number_of_spiral: Option<i64>,
    /// CT: stationary acquisitions.
    pub number_of_stationary: Option<i64>,
    /// CT: constant angle acquisitions.
    pub number_of_const_angle: Option<i64>,
    /// CT: total DLP, mGy·cm.
    pub total_dlp_mgy_cm: Option<f64>,
    /// Projection: total DAP of plane A, Gy·m².
    pub total_dap_a_gy_m2: Option<f64>,
    /// Projection: total dose at RP of plane A, Gy.
    pub total_rp_dose_a_gy: Option<f64>,
    /// Projection: total DAP of plane B, Gy·m².
    pub total_dap_b_gy_m2: Option<f64>,
    /// Projection: total dose at RP of plane B, Gy.
    pub total_rp_dose_b_gy: Option<f64>,
    /// Projection: total DAP, Gy·m².
    pub total_dap_gy_m2: Option<f64>,
    /// Projection: number of planes.
    pub number_of_planes: Option<i64>,
    /// Projection: events in plane A.
    pub number_of_events_a: Option<i64>,
    /// Projection: events in plane B.
    pub number_of_events_b: Option<i64>,
    /// Mammography: AGD left breast, mGy.
    pub total_agd_left_mgy: Option<f64>,
    /// Mammography: AGD right breast, mGy.
    pub total_agd_right_mgy: Option<f64>,
    /// Mammography: AGD both breasts, mGy.
    pub total_agd_both_mgy: Option<f64>,
    /// Assembly notes, one per line.
    pub notes: String,
    /// Radiopharmaceutical: number of administrations (each Administration Event UID once).
    pub number_of_administrations: Option<i64>,
    /// Radiopharmaceutical: administered activity of the study, MBq.
    pub total_administered_activity_mbq: Option<f64>,
    /// Radiopharmaceutical: effective dose of the administrations of the study, mSv.
    pub total_radiopharmaceutical_effective_dose_msv: Option<f64>,
}

/// One projection event row (TID 10003 with its source, TID 10003b).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProjectionEventRow {
    /// Position of the event in the study (0-based).
    pub seq: i64,
    /// Event key (Irradiation Event UID or content key).
    pub event_key: String,
    /// Irradiation Event UID.
    pub irradiation_event_uid: Option<String>,
    /// Acquisition plane (code^scheme).
    pub acquisition_plane: Option<String>,
    /// Date and time started (ISO 8601).
    pub date_time_started: Option<String>,
    /// Irradiation event type (code^scheme).
    pub irradiation_event_type: Option<String>,
    /// Acquisition protocol.
    pub acquisition_protocol: Option<String>,
    /// Anatomical structure (meaning).
    pub anatomical_structure: Option<String>,
    /// Laterality (meaning).
    pub laterality: Option<String>,
    /// Dose area product, Gy·m².
    pub dap_gy_m2: Option<f64>,
    /// Dose at the reference point, Gy.
    pub dose_rp_gy: Option<f64>,
    /// Entrance exposure at RP, mGy.
    pub entrance_exposure_at_rp_gy: Option<f64>,
    /// Average glandular dose, mGy.
    pub agd_mgy: Option<f64>,
    /// Half value layer, mm Al.
    pub half_value_layer_mm: Option<f64>,
    /// Mean kVp, kV.
    pub kvp_kv: Option<f64>,
    /// Mean tube current, mA.
    pub xray_tube_current_ma: Option<f64>,
    /// Mean pulse width, s.
    pub pulse_width_s: Option<f64>,
    /// Mean exposure, µAs.
    pub exposure_uas: Option<f64>,
    /// Exposure time (stated, else derived), s.
    pub exposure_time_s: Option<f64>,
    /// Irradiation duration, s.
    pub irradiation_duration_s: Option<f64>,
    /// Pulse rate, pulses/s.
    pub pulse_rate_per_s: Option<f64>,
    /// Number of pulses.
    pub number_of_pulses: Option<f64>,
    /// Fluoro mode (meaning).
    pub fluoro_mode: Option<String>,
    /// Focal spot size, mm.
    pub focal_spot_size_mm: Option<f64>,
    /// Collimated field area, m².
    pub collimated_field_area_m2: Option<f64>,
    /// Positioner primary angle, degrees.
    pub positioner_primary_angle_deg: Option<f64>,
    /// Positioner secondary angle, degrees.
    pub positioner_secondary_angle_deg: Option<f64>,
    /// Source to isocenter distance, mm.
    pub distance_source_to_isocenter_mm: Option<f64>,
    /// Source to detector distance, mm.
    pub distance_source_to_detector_mm: Option<f64>,
    /// Compression thickness, mm.
    pub compression_thickness_mm: Option<f64>,
    /// SR content path in the report it came from.
    pub path: String,
    /// Positioner isocenter primary angle, degrees.
    pub positioner_isocenter_primary_angle_deg: Option<f64>,
    /// Positioner isocenter secondary angle, degrees.
    pub positioner_isocenter_secondary_angle_deg: Option<f64>,
    /// Positioner isocenter detector rotation angle, degrees.
    pub positioner_isocenter_detector_rotation_angle_deg: Option<f64>,
    /// Positioner isocenter primary end angle, degrees.
    pub positioner_isocenter_primary_end_angle_deg: Option<f64>,
    /// Positioner isocenter secondary end angle, degrees.
    pub positioner_isocenter_secondary_end_angle_deg: Option<f64>,
    /// Positioner isocenter detector rotation end angle, degrees.
    pub positioner_isocenter_detector_rotation_end_angle_deg: Option<f64>,
    /// Table head tilt end angle, degrees.
    pub table_head_tilt_end_angle_deg: Option<f64>,
    /// Table horizontal rotation end angle, degrees.
    pub table_horizontal_rotation_end_angle_deg: Option<f64>,
    /// Table cradle tilt end angle, degrees.
    pub table_cradle_tilt_end_angle_deg: Option<f64>,
    /// Table X position to isocenter, mm.
    pub table_x_position_to_isocenter_mm: Option<f64>,
    /// Table Y position to isocenter, mm.
    pub table_y_position_to_isocenter_mm: Option<f64>,
    /// Table Z position to isocenter, mm.
    pub table_z_position_to_isocenter_mm: Option<f64>,
    /// Table X end position to isocenter, mm.
    pub table_x_end_position_to_isocenter_mm: Option<f64>,
    /// Table Y end position to isocenter, mm.
    pub table_y_end_position_to_isocenter_mm: Option<f64>,
    /// Table Z end position to isocenter, mm.
    pub table_z_end_position_to_isocenter_mm: Option<f64>,
    /// Compression pressure, kPa.
    pub compression_pressure_kpa: Option<f64>,
    /// Compression contact area, m².
    pub compression_contact_area_m2: Option<f64>,
}

/// One CT event row (TID 10013).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CtEventRow {
    /// Position of the event in the study (0-based).
    pub seq: i64,
    /// Event key.
    pub event_key: String,
    /// Irradiation Event UID.
    pub irradiation_event_uid: Option<String>,
    /// Acquisition protocol.
    pub acquisition_protocol: Option<String>,
    /// CT acquisition type (code^scheme).
    pub ct_acquisition_type: Option<String>,
    /// Target region (meaning).
    pub target_region: Option<String>,
    /// Exposure time, s.
    pub exposure_time_s: Option<f64>,
    /// Scanning length, mm.
    pub scanning_length_mm: Option<f64>,
    /// Nominal single collimation width, mm.
    pub nominal_single_collimation_width_mm: Option<f64>,
    /// Nominal total collimation width, mm.
    pub nominal_total_collimation_width_mm: Option<f64>,
    /// Pitch factor.
    pub pitch_factor: Option<f64>,
    /// Number of X-ray sources.
    pub number_of_xray_sources: Option<i64>,
    /// Mean CTDIvol, mGy.
    pub ctdi_vol_mgy: Option<f64>,
    /// CTDIw phantom type (code^scheme).
    pub ctdiw_phantom_type: Option<String>,
    /// DLP, mGy·cm.
    pub dlp_mgy_cm: Option<f64>,
    /// Effective dose, mSv.
    pub effective_dose_msv: Option<f64>,
    /// Size-specific dose estimate, mGy.
    pub ssde_mgy: Option<f64>,
    /// Water equivalent diameter, mm.
    pub water_equivalent_diameter_mm: Option<f64>,
    /// SR content path.
    pub path: String,
    /// Date and time the event started (ISO 8601).
    pub date_time_started: Option<String>,
    /// Reconstruction algorithms (code^scheme, one per line, in document order).
    pub reconstruction_algorithms: Option<String>,
    /// Is repeated acquisition: 1 yes, 0 no.
    pub is_repeated_acquisition: Option<i64>,
    /// Reason for repeating the acquisition (code^scheme).
    pub reason_for_repeating_acquisition: Option<String>,
    /// X-ray modulation type (the text, or the meaning of a coded value).
    pub xray_modulation_type: Option<String>,
    /// X-ray modulation type when coded (code^scheme).
    pub xray_modulation_type_code: Option<String>,
    /// Size-specific dose estimation method (code^scheme).
    pub ssde_method: Option<String>,
    /// Water equivalent diameter method (code^scheme).
    pub water_equivalent_diameter_method: Option<String>,
    /// SOP Instance UID of the image the water equivalent diameter was measured on.
    pub water_equivalent_diameter_source: Option<String>,
    /// Z location of the water equivalent diameter estimation, mm.
    pub water_equivalent_diameter_z_location_mm: Option<f64>,
}

/// One z-resolved value of a CT event (TID 10013, IEC 62985): a size-specific dose estimate
/// or a water equivalent diameter at a longitudinal position.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CtZResolvedRow {
    /// Event position in the study.
    pub event_seq: i64,
    /// Position of the value in the event: the size-specific dose estimates first, then the
    /// water equivalent diameters, each in document order.
    pub seq: i64,
    /// `ssde` or `water_equivalent_diameter`.
    pub quantity: &'static str,
    /// Longitudinal position Z, mm.
    pub longitudinal_position_z_mm: Option<f64>,
    /// Size-specific dose estimate at the position, mGy (`ssde` rows).
    pub ssde_mgy: Option<f64>,
    /// Water equivalent diameter at the position, mm (`water_equivalent_diameter` rows).
    pub water_equivalent_diameter_mm: Option<f64>,
    /// SR content path of the value row.
    pub path: String,
}

/// One per-phantom CT dose length product total row (TID 10012, each 113813 row).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CtDlpTotalRow {
    /// Position of the row in the study's merged report.
    pub seq: i64,
    /// CTDIw phantom type of the sub-total (code^scheme).
    pub phantom_type: Option<String>,
    /// DLP total, mGy·cm.
    pub dlp_total_mgy_cm: Option<f64>,
    /// SR content path.
    pub path: String,
}

/// One radiopharmaceutical administration row (TID 10022).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AdministrationRow {
    /// Position of the administration in the study (0-based).
    pub seq: i64,
    /// SOP Instance UID of the report it came from.
    pub report_sop_instance_uid: Option<String>,
    /// Radiopharmaceutical Administration Event UID.
    pub administration_event_uid: Option<String>,
    /// Radiopharmaceutical agent (meaning).
    pub radiopharmaceutical_agent: Option<String>,
    /// Radiopharmaceutical agent (code^scheme).
    pub radiopharmaceutical_agent_code: Option<String>,
    /// Radionuclide (meaning).
    pub radionuclide: Option<String>,
    /// Radionuclide (code^scheme).
    pub radionuclide_code: Option<String>,
    /// Radionuclide half-life, s.
    pub radionuclide_half_life_s: Option<f64>,
    /// Specific activity, Bq/mol.
    pub specific_activity_bq_per_mol: Option<f64>,
    /// Estimated extravasation activity, MBq.
    pub estimated_extravasation_activity_mbq: Option<f64>,
    /// Start date time (ISO 8601).
    pub start_date_time: Option<String>,
    /// Stop date time (ISO 8601).
    pub stop_date_time: Option<String>,
    /// Administered activity, MBq.
    pub administered_activity_mbq: Option<f64>,
    /// Radiopharmaceutical volume, ml.
    pub volume_ml: Option<f64>,
    /// Pre-administration measured activity, MBq.
    pub pre_administration_activity_mbq: Option<f64>,
    /// Post-administration measured activity, MBq.
    pub post_administration_activity_mbq: Option<f64>,
    /// Route of administration (meaning).
    pub route_of_administration: Option<String>,
    /// Site of administration (meaning).
    pub site_of_administration: Option<String>,
    /// Laterality of the site of administration (meaning).
    pub site_of_administration_laterality: Option<String>,
    /// Brand name.
    pub brand_name: Option<String>,
    /// Prescription identifier.
    pub prescription_identifier: Option<String>,
    /// Radiopharmaceutical lot identifiers, one per line.
    pub lot_identifiers: Option<String>,
    /// Effective dose, mSv.
    pub effective_dose_msv: Option<f64>,
    /// Method of the effective dose (code^scheme).
    pub effective_dose_method: Option<String>,
    /// Comment.
    pub comment: Option<String>,
    /// SR content path.
    pub path: String,
    /// Intravenous extravasation symptoms (code^scheme, one per line).
    pub intravenous_extravasation_symptoms: Option<String>,
    /// Activity measurement device of the pre-administration measured activity (code^scheme).
    pub pre_administration_activity_measurement_device: Option<String>,
    /// Activity measurement device of the post-administration measured activity
    /// (code^scheme).
    pub post_administration_activity_measurement_device: Option<String>,
    /// Radiopharmaceutical dispense unit identifier.
    pub radiopharmaceutical_dispense_unit_identifier: Option<String>,
    /// Reagent vial identifiers, one per line.
    pub reagent_vial_identifiers: Option<String>,
    /// Radionuclide vial identifiers, one per line.
    pub radionuclide_vial_identifiers: Option<String>,
    /// Billing codes (code^scheme, one per line).
    pub billing_codes: Option<String>,
    /// Drug product identifiers (code^scheme, one per line).
    pub drug_product_identifiers: Option<String>,
    /// Reference authority of the effective dose (meaning of the code, else the text).
    pub effective_dose_reference_authority: Option<String>,
    /// Reference authority of the effective dose when coded (code^scheme).
    pub effective_dose_reference_authority_code: Option<String>,
}

/// One organ dose row of an administration (TID 10022).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrganDoseRow {
    /// Position of the administration in the study.
    pub administration_seq: i64,
    /// Position of the organ dose in the administration.
    pub seq: i64,
    /// Finding site (meaning).
    pub finding_site: Option<String>,
    /// Finding site (code^scheme).
    pub finding_site_code: Option<String>,
    /// Laterality (meaning).
    pub laterality: Option<String>,
    /// Organ dose, mGy.
    pub organ_dose_mgy: Option<f64>,
    /// Organ mass, kg.
    pub mass_kg: Option<f64>,
    /// Reference authority (meaning of the code, else the text).
    pub reference_authority: Option<String>,
    /// SR content path.
    pub path: String,
    /// Measurement method of the organ mass (text, or a code's meaning).
    pub mass_measurement_method: Option<String>,
    /// Reference authority when coded (code^scheme).
    pub reference_authority_code: Option<String>,
}

/// One patient characteristics row (TID 10023), per radiopharmaceutical report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PatientCharacteristicsRow {
    /// Position of the report among the study's radiopharmaceutical reports.
    pub seq: i64,
    /// SOP Instance UID of the report.
    pub report_sop_instance_uid: Option<String>,
    /// Subject age, years.
    pub subject_age_years: Option<f64>,
    /// Subject sex (meaning).
    pub subject_sex: Option<String>,
    /// Patient height, mm.
    pub patient_height_mm: Option<f64>,
    /// Patient weight, kg.
    pub patient_weight_kg: Option<f64>,
    /// Body surface area, m².
    pub body_surface_area_m2: Option<f64>,
    /// Body mass index, kg/m².
    pub body_mass_index_kg_per_m2: Option<f64>,
    /// Glucose, mmol/l.
    pub glucose_mmol_per_l: Option<f64>,
    /// Fasting duration, s.
    pub fasting_duration_s: Option<f64>,
    /// Hydration volume, ml.
    pub hydration_volume_ml: Option<f64>,
    /// Recent physical activity.
    pub recent_physical_activity: Option<String>,
    /// Serum creatinine, mg/dl.
    pub serum_creatinine_mg_per_dl: Option<f64>,
    /// First glomerular filtration rate, ml/min/1.73 m² (every one is a
    /// [`GlomerularFiltrationRateRow`]).
    pub glomerular_filtration_rate_ml_per_min_per_1_73m2: Option<f64>,
    /// Body surface area formula (code^scheme).
    pub body_surface_area_formula: Option<String>,
    /// Body mass index equation (code^scheme).
    pub body_mass_index_equation: Option<String>,
    /// Patient states (code^scheme, one per line).
    pub patient_states: Option<String>,
}

/// One glomerular filtration rate of a patient characteristics row (TID 10023).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GlomerularFiltrationRateRow {
    /// Position of the patient characteristics row in the study.
    pub characteristics_seq: i64,
    /// Position of the rate in the characteristics.
    pub seq: i64,
    /// Glomerular filtration rate, ml/min/1.73 m².
    pub glomerular_filtration_rate_ml_per_min_per_1_73m2: Option<f64>,
    /// Measurement method (code^scheme).
    pub measurement_method: Option<String>,
    /// Equivalent meaning of concept name (code^scheme).
    pub equivalent_meaning_of_concept_name: Option<String>,
}

/// One radiopharmaceutical report of a study (the TID 10021 root rows).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RadiopharmaceuticalReportRow {
    /// Position of the report among the study's radiopharmaceutical reports.
    pub seq: i64,
    /// SOP Instance UID of the report.
    pub report_sop_instance_uid: Option<String>,
    /// Associated procedure (code^scheme).
    pub associated_procedure: Option<String>,
    /// Has intent of the associated procedure (code^scheme).
    pub has_intent: Option<String>,
    /// Language of content item and descendants (code^scheme).
    pub language_of_content: Option<String>,
    /// Country of language (code^scheme).
    pub country_of_language: Option<String>,
    /// Comment.
    pub comment: Option<String>,
}

/// One observer (TID 1002) or person participant (TID 1020) of a radiopharmaceutical report:
/// of the report root, of an administration, or of a measured activity.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RadiopharmaceuticalPersonRow {
    /// Position of the row in the study.
    pub seq: i64,
    /// Position of the report in `radiopharmaceutical_reports`.
    pub report_seq: i64,
    /// Position of the administration; `None` for the report root's observers.
    pub administration_seq: Option<i64>,
    /// `observer` (report root), `participant` (administration), `pre_activity_observer` or
    /// `post_activity_observer` (the observer context of a measured activity).
    pub role_of_person: &'static str,
    /// Observers: `person`, `device` or `other`; `None` for participants.
    pub observer_kind: Option<&'static str>,
    /// Observer type (code^scheme).
    pub observer_type: Option<String>,
    /// Person (observer) name.
    pub person_name: Option<String>,
    /// Person observer's login name.
    pub person_login_name: Option<String>,
    /// Participant's person ID.
    pub person_id: Option<String>,
    /// Participant's person ID issuer.
    pub person_id_issuer: Option<String>,
    /// Identifier within the person observer's role.
    pub identifier_within_role: Option<String>,
    /// Organization name.
    pub organization_name: Option<String>,
    /// Role in the organization (code^scheme).
    pub role_in_organization: Option<String>,
    /// Role in the procedure (code^scheme).
    pub role_in_procedure: Option<String>,
    /// Device observer UID.
    pub device_observer_uid: Option<String>,
    /// Device observer name.
    pub device_observer_name: Option<String>,
    /// Device observer manufacturer.
    pub device_observer_manufacturer: Option<String>,
    /// Device observer model name.
    pub device_observer_model_name: Option<String>,
    /// Device observer serial number.
    pub device_observer_serial_number: Option<String>,
    /// Device observer physical location during observation.
    pub device_observer_physical_location: Option<String>,
    /// Device role in procedure (code^scheme).
    pub device_role_in_procedure: Option<String>,
    /// SR content path of the observer's Observer Type item; `None` for participants.
    pub path: Option<String>,
}

/// One CT X-ray source row (TID 10013 "CT X-Ray Source Parameters").
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CtSourceRow {
    /// Event position in the study.
    pub event_seq: i64,
    /// Position of the source in the event.
    pub seq: i64,
    /// Identification of the X-ray source.
    pub identification: Option<String>,
    /// kVp, kV.
    pub kvp_kv: Option<f64>,
    /// Maximum tube current, mA.
    pub maximum_xray_tube_current_ma: Option<f64>,
    /// Tube current, mA.
    pub xray_tube_current_ma: Option<f64>,
    /// Exposure time per rotation, s.
    pub exposure_time_per_rotation_s: Option<f64>,
    /// Filter aluminium equivalent, mm.
    pub filter_aluminum_equivalent_mm: Option<f64>,
}

/// One accumulated-totals row (a projection plane, or the CT accumulated dose).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AccumulatedRow {
    /// Position in the study's merged report.
    pub seq: i64,
    /// Plane (code^scheme); `CT` for CT accumulated dose.
    pub plane: Option<String>,
    /// Total DAP, Gy·m².
    pub dap_total_gy_m2: Option<f64>,
    /// Total dose at RP, Gy.
    pub dose_rp_total_gy: Option<f64>,
    /// Fluoro DAP total, Gy·m².
    pub fluoro_dap_total_gy_m2: Option<f64>,
    /// Fluoro dose at RP total, Gy.
    pub fluoro_dose_rp_total_gy: Option<f64>,
    /// Total fluoro time, s.
    pub total_fluoro_time_s: Option<f64>,
    /// Acquisition DAP total, Gy·m².
    pub acquisition_dap_total_gy_m2: Option<f64>,
    /// Acquisition dose at RP total, Gy.
    pub acquisition_dose_rp_total_gy: Option<f64>,
    /// Total acquisition time, s.
    pub total_acquisition_time_s: Option<f64>,
    /// Total number of radiographic frames.
    pub total_number_of_radiographic_frames: Option<f64>,
    /// CT: DLP total, mGy·cm.
    pub dlp_total_mgy_cm: Option<f64>,
    /// CT: effective dose total, mSv.
    pub effective_dose_total_msv: Option<f64>,
    /// CT: total number of irradiation events.
    pub total_number_of_irradiation_events: Option<i64>,
    /// Projection: distance source to reference point at the accumulation level, mm.
    pub distance_source_to_reference_point_mm: Option<f64>,
    /// Projection: equipment landmark (code^scheme).
    pub equipment_landmark: Option<String>,
    /// Projection: equipment landmark XY plane (code^scheme).
    pub equipment_landmark_xy_plane: Option<String>,
    /// Projection: equipment landmark Z position, mm.
    pub equipment_landmark_z_position_mm: Option<f64>,
    /// Projection: patient fiducial (code^scheme).
    pub patient_fiducial: Option<String>,
    /// Projection: equipment landmark to patient fiducial X distance, mm.
    pub equipment_landmark_to_patient_fiducial_x_distance_mm: Option<f64>,
    /// Projection: equipment landmark to patient fiducial Y distance, mm.
    pub equipment_landmark_to_patient_fiducial_y_distance_mm: Option<f64>,
    /// Projection: equipment landmark to patient fiducial Z distance, mm.
    pub equipment_landmark_to_patient_fiducial_z_distance_mm: Option<f64>,
    /// CT: patient model of the effective dose total.
    pub patient_model: Option<String>,
    /// CT: phantom the effective dose total was measured in.
    pub effective_dose_phantom_type: Option<String>,
    /// CT: dosimeter the effective dose total was measured with.
    pub dosimeter_type: Option<String>,
}

/// Every derived row of one assembled study.
#[derive(Debug, Clone, Default)]
pub struct StudyRows {
    /// The study.
    pub study: StudyRow,
    /// Roles of its reports.
    pub roles: Vec<RoleRow>,
    /// Projection events.
    pub projection_events: Vec<ProjectionEventRow>,
    /// CT events.
    pub ct_events: Vec<CtEventRow>,
    /// CT sources.
    pub ct_sources: Vec<CtSourceRow>,
    /// Accumulated totals.
    pub accumulated: Vec<AccumulatedRow>,
    /// Per-phantom CT DLP totals.
    pub ct_dlp_totals: Vec<CtDlpTotalRow>,
    /// Radiopharmaceutical administrations of the study (merged and attached reports).
    pub administrations: Vec<AdministrationRow>,
    /// Organ doses of the administrations.
    pub organ_doses: Vec<OrganDoseRow>,
    /// Patient characteristics, one per radiopharmaceutical report that has them.
    pub patient_characteristics: Vec<PatientCharacteristicsRow>,
    /// Z-resolved values of the CT events.
    pub ct_z_values: Vec<CtZResolvedRow>,
    /// Glomerular filtration rates of the patient characteristics.
    pub glomerular_filtration_rates: Vec<GlomerularFiltrationRateRow>,
    /// Radiopharmaceutical reports of the study (merged and attached).
    pub radiopharmaceutical_reports: Vec<RadiopharmaceuticalReportRow>,
    /// Observers and person participants of the radiopharmaceutical reports.
    pub radiopharmaceutical_persons: Vec<RadiopharmaceuticalPersonRow>,
}

/// The Patient ID and Issuer of Patient ID of an assembled study (alerts key patients by
/// them; they are not part of [`StudyRow`]'s issuer-less columns).
pub fn patient_identity(study: &AssembledStudy) -> (Option<String>, Option<String>) {
    let p = &study.report.patient;
    (p.patient_id.clone(), p.issuer_of_patient_id.clone())
}

/// The examination modality of an assembled study: `CT` for a CT report, the resolved
/// projection modality (`RF`, `DX`, `MG`) for a projection report. (The `modality` column is
/// the report object's own, normally `SR`.)
pub fn exam_modality(study: &AssembledStudy) -> Option<&'static str> {
    match &study.report.body {
        ReportBody::Ct(_) => Some("CT"),
        ReportBody::Projection(p) => p.modality_type.map(|m| m.as_str()),
        _ => None,
    }
}

fn count(v: Option<usize>) -> Option<i64> {
    v.and_then(|v| i64::try_from(v).ok())
}

/// The name a value serialises to (`"attached"`, `"warning"`): the store writes the library's
/// JSON names, so a role or severity added to the library needs no change here.
fn serde_name(value: impl serde::Serialize + std::fmt::Debug) -> String {
    serde_json::to_value(&value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{value:?}").to_lowercase())
}

fn role_name(role: Role) -> String {
    serde_name(role)
}

fn projection_event(seq: i64, key: String, e: &ProjectionEvent) -> ProjectionEventRow {
    let s = &e.source;
    let k = &e.mechanical;
    ProjectionEventRow {
        seq,
        event_key: key,
        irradiation_event_uid: e.irradiation_event_uid.clone(),
        acquisition_plane: code(&e.acquisition_plane),
        date_time_started: e.date_time_started.map(|d| d.to_string()),
        irradiation_event_type: code(&e.irradiation_event_type),
        acquisition_protocol: e.acquisition_protocol.clone(),
        anatomical_structure: meaning(&e.anatomical_structure),
        laterality: meaning(&e.laterality),
        dap_gy_m2: e.dose_area_product_gy_m2,
        dose_rp_gy: s.dose_rp_gy,
        entrance_exposure_at_rp_gy: e.entrance_exposure_at_rp_gy,
        agd_mgy: s.average_glandular_dose_mgy,
        half_value_layer_mm: e.half_value_layer_mm,
        kvp_kv: s.mean_kvp_kv(),
        xray_tube_current_ma: s
            .average_xray_tube_current_ma
            .or(s.average_xray_tube_current_derived_ma),
        pulse_width_s: s.mean_pulse_width_s(),
        exposure_uas: s.mean_exposure_uas(),
        exposure_time_s: s.exposure_time_s.or(s.exposure_time_derived_s),
        irradiation_duration_s: s.irradiation_duration_s,
        pulse_rate_per_s: s.pulse_rate_per_s,
        number_of_pulses: s.number_of_pulses,
        fluoro_mode: meaning(&s.fluoro_mode),
        focal_spot_size_mm: s.focal_spot_size_mm,
        collimated_field_area_m2: s.collimated_field_area_m2,
        positioner_primary_angle_deg: e.mechanical.positioner_primary_angle_deg,
        positioner_secondary_angle_deg: e.mechanical.positioner_secondary_angle_deg,
        distance_source_to_isocenter_mm: e.mechanical.distances.distance_source_to_isocenter_mm,
        distance_source_to_detector_mm: e.mechanical.distances.distance_source_to_detector_mm,
        compression_thickness_mm: e.mechanical.compression_thickness_mm,
        path: e.path.clone(),
        positioner_isocenter_primary_angle_deg: k.positioner_isocenter_primary_angle_deg,
        positioner_isocenter_secondary_angle_deg: k.positioner_isocenter_secondary_angle_deg,
        positioner_isocenter_detector_rotation_angle_deg: k
            .positioner_isocenter_detector_rotation_angle_deg,
        positioner_isocenter_primary_end_angle_deg: k.positioner_isocenter_primary_end_angle_deg,
        positioner_isocenter_secondary_end_angle_deg: k
            .positioner_isocenter_secondary_end_angle_deg,
        positioner_isocenter_detector_rotation_end_angle_deg: k
            .positioner_isocenter_detector_rotation_end_angle_deg,
        table_head_tilt_end_angle_deg: k.table_head_tilt_end_angle_deg,
        table_horizontal_rotation_end_angle_deg: k.table_horizontal_rotation_end_angle_deg,
        table_cradle_tilt_end_angle_deg: k.table_cradle_tilt_end_angle_deg,
        table_x_position_to_isocenter_mm: k.distances.table_x_position_to_isocenter_mm,
        table_y_position_to_isocenter_mm: k.distances.table_y_position_to_isocenter_mm,
        table_z_position_to_isocenter_mm: k.distances.table_z_position_to_isocenter_mm,
        table_x_end_position_to_isocenter_mm: k.distances.table_x_end_position_to_isocenter_mm,
        table_y_end_position_to_isocenter_mm: k.distances.table_y_end_position_to_isocenter_mm,
        table_z_end_position_to_isocenter_mm: k.distances.table_z_end_position_to_isocenter_mm,
        compression_pressure_kpa: k.compression_pressure_kpa,
        compression_contact_area_m2: k.compression_contact_area_m2,
    }
}

fn ct_event(seq: i64, key: String, e: &CtEvent) -> CtEventRow {
    CtEventRow {
        seq,
        event_key: key,
        irradiation_event_uid: e.irradiation_event_uid.clone(),
        acquisition_protocol: e.acquisition_protocol.clone(),
        ct_acquisition_type: code(&e.ct_acquisition_type),
        target_region: meaning(&e.target_region),
        exposure_time_s: e.exposure_time_s,
        scanning_length_mm: e
            .scanning_length
            .as_ref()
            .and_then(|l| l.scanning_length_mm),
        nominal_single_collimation_width_mm: e.nominal_single_collimation_width_mm,
        nominal_total_collimation_width_mm: e.nominal_total_collimation_width_mm,
        pitch_factor: e.pitch_factor,
        number_of_xray_sources: e.number_of_xray_sources.map(i64::from),
        ctdi_vol_mgy: e.mean_ctdivol_mgy,
        ctdiw_phantom_type: code(&e.ctdiw_phantom_type),
        dlp_mgy_cm: e.dlp_mgy_cm,
        effective_dose_msv: e.effective_dose_msv,
        ssde_mgy: e.size_specific_dose_estimation_mgy,
        water_equivalent_diameter_mm: e.water_equivalent_diameter_mm,
        path: e.path.clone(),
        date_time_started: e.date_time_started.map(|d| d.to_string()),
        reconstruction_algorithms: codes(&e.reconstruction_algorithms),
        is_repeated_acquisition: e.is_repeated_acquisition.map(i64::from),
        reason_for_repeating_acquisition: code(&e.reason_for_repeating_acquisition),
        xray_modulation_type: e.xray_modulation_type.clone(),
        xray_modulation_type_code: code(&e.xray_modulation_type_code),
        ssde_method: code(&e.size_specific_dose_estimation_method),
        water_equivalent_diameter_method: code(&e.water_equivalent_diameter_method),
        water_equivalent_diameter_source: e.water_equivalent_diameter_source.clone(),
        water_equivalent_diameter_z_location_mm: e.water_equivalent_diameter_z_location_mm,
    }
}

/// The z-resolved values of a CT event: its size-specific dose estimates, then its water
/// equivalent diameters.
fn ct_z_values(event_seq: i64, e: &CtEvent, out: &mut Vec<CtZResolvedRow>) {
    let ssde = e
        .size_specific_dose_estimates_at_z
        .iter()
        .map(|z| CtZResolvedRow {
            quantity: "ssde",
            longitudinal_position_z_mm: z.longitudinal_position_z_mm,
            ssde_mgy: z.size_specific_dose_estimate_mgy,
            path: z.path.clone(),
            ..CtZResolvedRow::default()
        });
    let wed = e
        .water_equivalent_diameters_at_z
        .iter()
        .map(|z| CtZResolvedRow {
            quantity: "water_equivalent_diameter",
            longitudinal_position_z_mm: z.longitudinal_position_z_mm,
            water_equivalent_diameter_mm: z.water_equivalent_diameter_mm,
            path: z.path.clone(),
            ..CtZResolvedRow::default()
        });
    for (i, row) in ssde.chain(wed).enumerate() {
        out.push(CtZResolvedRow {
            event_seq,
            seq: seq(i),
            ..row
        });
    }
}

fn administration(
    seq: i64,
    report: &DoseReport,
    a: &RadiopharmaceuticalAdministration,
) -> AdministrationRow {
    let lots = lines(&a.radiopharmaceutical_lot_identifiers);
    AdministrationRow {
        seq,
        report_sop_instance_uid: report.sop_instance_uid.clone(),
        administration_event_uid: a.administration_event_uid.clone(),
        radiopharmaceutical_agent: meaning(&a.radiopharmaceutical_agent),
        radiopharmaceutical_agent_code: code(&a.radiopharmaceutical_agent),
        radionuclide: meaning(&a.radionuclide),
        radionuclide_code: code(&a.radionuclide),
        radionuclide_half_life_s: a.radionuclide_half_life_s,
        specific_activity_bq_per_mol: a.radiopharmaceutical_specific_activity_bq_per_mol,
        estimated_extravasation_activity_mbq: a.estimated_extravasation_activity_mbq,
        start_date_time: a.start_date_time.map(|d| d.to_string()),
        stop_date_time: a.stop_date_time.map(|d| d.to_string()),
        administered_activity_mbq: a.administered_activity_mbq,
        volume_ml: a.radiopharmaceutical_volume_ml,
        pre_administration_activity_mbq: a
            .pre_administration_measured_activity
            .as_ref()
            .and_then(|m| m.activity_mbq),
        post_administration_activity_mbq: a
            .post_administration_measured_activity
            .as_ref()
            .and_then(|m| m.activity_mbq),
        route_of_administration: meaning(&a.route_of_administration),
        site_of_administration: meaning(&a.site_of_administration),
        site_of_administration_laterality: meaning(&a.site_of_administration_laterality),
        brand_name: a.brand_name.clone(),
        prescription_identifier: a.prescription_identifier.clone(),
        lot_identifiers: lots,
        effective_dose_msv: a.effective_dose_msv,
        effective_dose_method: code(&a.effective_dose_method),
        comment: a.comment.clone(),
        path: a.path.clone(),
        intravenous_extravasation_symptoms: codes(&a.intravenous_extravasation_symptoms),
        pre_administration_activity_measurement_device: a
            .pre_administration_measured_activity
            .as_ref()
            .and_then(|m| code(&m.activity_measurement_device)),
        post_administration_activity_measurement_device: a
            .post_administration_measured_activity
            .as_ref()
            .and_then(|m| code(&m.activity_measurement_device)),
        radiopharmaceutical_dispense_unit_identifier: a
            .radiopharmaceutical_dispense_unit_identifier
            .clone(),
        reagent_vial_identifiers: lines(&a.reagent_vial_identifiers),
        radionuclide_vial_identifiers: lines(&a.radionuclide_vial_identifiers),
        billing_codes: codes(&a.billing_codes),
        drug_product_identifiers: codes(&a.drug_product_identifiers),
        effective_dose_reference_authority: meaning(&a.effective_dose_reference_authority)
            .or_else(|| a.effective_dose_reference_authority_text.clone()),
        effective_dose_reference_authority_code: code(&a.effective_dose_reference_authority),
    }
}

/// Every text of a 0-n row, one per line; `None` when there is none.
fn lines(v: &[String]) -> Option<String> {
    (!v.is_empty()).then(|| v.join("\n"))
}

fn organ_dose(administration_seq: i64, seq: i64, o: &OrganDose) -> OrganDoseRow {
    OrganDoseRow {
        administration_seq,
        seq,
        finding_site: meaning(&o.finding_site),
        finding_site_code: code(&o.finding_site),
        laterality: meaning(&o.laterality),
        organ_dose_mgy: o.organ_dose_mgy,
        mass_kg: o.mass_kg,
        reference_authority: meaning(&o.reference_authority)
            .or_else(|| o.reference_authority_text.clone()),
        path: o.path.clone(),
        mass_measurement_method: o.mass_measurement_method.clone(),
        reference_authority_code: code(&o.reference_authority),
    }
}

fn patient_characteristics(
    seq: i64,
    report: &DoseReport,
    p: &PatientCharacteristics,
) -> PatientCharacteristicsRow {
    PatientCharacteristicsRow {
        seq,
        report_sop_instance_uid: report.sop_instance_uid.clone(),
        subject_age_years: p.subject_age_years,
        subject_sex: meaning(&p.subject_sex),
        patient_height_mm: p.patient_height_mm,
        patient_weight_kg: p.patient_weight_kg,
        body_surface_area_m2: p.body_surface_area_m2,
        body_mass_index_kg_per_m2: p.body_mass_index_kg_per_m2,
        glucose_mmol_per_l: p.glucose_mmol_per_l,
        fasting_duration_s: p.fasting_duration_s,
        hydration_volume_ml: p.hydration_volume_ml,
        recent_physical_activity: p.recent_physical_activity.clone(),
        serum_creatinine_mg_per_dl: p.serum_creatinine_mg_per_dl,
        glomerular_filtration_rate_ml_per_min_per_1_73m2: p
            .glomerular_filtration_rates
            .iter()
            .find_map(|g| g.glomerular_filtration_rate_ml_per_min_per_1_73m2),
        body_surface_area_formula: code(&p.body_surface_area_formula),
        body_mass_index_equation: code(&p.body_mass_index_equation),
        patient_states: codes(&p.patient_states),
    }
}

/// An observer row of `radiopharmaceutical_persons` (without its positions).
fn observer_row(role_of_person: &'static str, o: &Observer) -> RadiopharmaceuticalPersonRow {
    RadiopharmaceuticalPersonRow {
        role_of_person,
        observer_kind: Some(match o.kind {
            ObserverKind::Person => "person",
            ObserverKind::Device => "device",
            _ => "other",
        }),
        observer_type: code(&o.observer_type),
        person_name: o.person_observer_name.clone(),
        person_login_name: o.person_observer_login_name.clone(),
        identifier_within_role: o.identifier_within_person_observers_role.clone(),
        organization_name: o.person_observer_organization_name.clone(),
        role_in_organization: code(&o.person_observer_role_in_organization),
        role_in_procedure: code(&o.person_observer_role_in_procedure),
        device_observer_uid: o.device_observer_uid.clone(),
        device_observer_name: o.device_observer_name.clone(),
        device_observer_manufacturer: o.device_observer_manufacturer.clone(),
        device_observer_model_name: o.device_observer_model_name.clone(),
        device_observer_serial_number: o.device_observer_serial_number.clone(),
        device_observer_physical_location: o
            .device_observer_physical_location_during_observation
            .clone(),
        device_role_in_procedure: code(&o.device_role_in_procedure),
        path: Some(o.path.clone()),
        ..RadiopharmaceuticalPersonRow::default()
    }
}

/// A person participant row of `radiopharmaceutical_persons` (without its positions).
fn participant_row(p: &PersonParticipant) -> RadiopharmaceuticalPersonRow {
    RadiopharmaceuticalPersonRow {
        role_of_person: "participant",
        person_name: p.person_name.clone(),
        person_id: p.person_id.clone(),
        person_id_issuer: p.person_id_issuer.clone(),
        organization_name: p.organization_name.clone(),
        role_in_organization: code(&p.person_role_in_organization),
        role_in_procedure: code(&p.person_role_in_procedure),
        ..RadiopharmaceuticalPersonRow::default()
    }
}

/// Appends a person row with its positions.
fn push_person(
    out: &mut StudyRows,
    report_seq: i64,
    administration_seq: Option<i64>,
    row: RadiopharmaceuticalPersonRow,
) {
    let s = seq(out.radiopharmaceutical_persons.len());
    out.radiopharmaceutical_persons
        .push(RadiopharmaceuticalPersonRow {
            seq: s,
            report_seq,
            administration_seq,
            ..row
        });
}

/// The radiopharmaceutical rows of a study: the administrations, organ doses and patient
/// characteristics of its merged report and of the reports attached beside it, each
/// Administration Event UID once (as the study summary counts them).
fn radiopharmaceutical_rows(study: &AssembledStudy, out: &mut StudyRows) {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for report in std::iter::once(&study.report).chain(&study.attached) {
        let Some(rp) = report.radiopharmaceutical() else {
            continue;
        };
        let report_seq = seq(out.radiopharmaceutical_reports.len());
        out.radiopharmaceutical_reports
            .push(RadiopharmaceuticalReportRow {
                seq: report_seq,
                report_sop_instance_uid: report.sop_instance_uid.clone(),
                associated_procedure: code(&rp.associated_procedure),
                has_intent: code(&rp.has_intent),
                language_of_content: code(&rp.language_of_content),
                country_of_language: code(&rp.country_of_language),
                comment: rp.comment.clone(),
            });
        for o in &rp.observers {
            push_person(out, report_seq, None, observer_row("observer", o));
        }
        if let Some(p) = &rp.patient_characteristics {
            let s = seq(out.patient_characteristics.len());
            out.patient_characteristics
                .push(patient_characteristics(s, report, p));
            for (j, g) in p.glomerular_filtration_rates.iter().enumerate() {
                out.glomerular_filtration_rates
                    .push(GlomerularFiltrationRateRow {
                        characteristics_seq: s,
                        seq: seq(j),
                        glomerular_filtration_rate_ml_per_min_per_1_73m2: g
                            .glomerular_filtration_rate_ml_per_min_per_1_73m2,
                        measurement_method: code(&g.measurement_method),
                        equivalent_meaning_of_concept_name: code(
                            &g.equivalent_meaning_of_concept_name,
                        ),
                    });
            }
        }
        for a in &rp.administrations {
            if let Some(uid) = a.administration_event_uid.as_deref() {
                if !seen.insert(uid) {
                    continue;
                }
            }
            let s = seq(out.administrations.len());
            out.administrations.push(administration(s, report, a));
            for (j, o) in a.organ_doses.iter().enumerate() {
                out.organ_doses.push(organ_dose(s, seq(j), o));
            }
            for p in &a.person_participants {
                push_person(out, report_seq, Some(s), participant_row(p));
            }
            let measured = [
                (
                    "pre_activity_observer",
                    &a.pre_administration_measured_activity,
                ),
                (
                    "post_activity_observer",
                    &a.post_administration_measured_activity,
                ),
            ];
            for (role, m) in measured {
                for o in m.iter().flat_map(|m| &m.observers) {
                    push_person(out, report_seq, Some(s), observer_row(role, o));
                }
            }
        }
    }
}

fn ct_source(event_seq: i64, seq: i64, s: &CtXraySource) -> CtSourceRow {
    CtSourceRow {
        event_seq,
        seq,
        identification: s.identification_of_the_xray_source.clone(),
        kvp_kv: s.kvp_kv,
        maximum_xray_tube_current_ma: s.maximum_xray_tube_current_ma,
        xray_tube_current_ma: s.xray_tube_current_ma,
        exposure_time_per_rotation_s: s.exposure_time_per_rotation_s,
        filter_aluminum_equivalent_mm: s.xray_filter_aluminum_equivalent_mm,
    }
}

fn plane_row(seq: i64, p: &AccumulatedPlane) -> AccumulatedRow {
    let fa = p.fluoro_and_acquisition_totals.as_ref();
    let pt = p.projection_totals.as_ref();
    let l = p.equipment_landmark.as_ref();
    AccumulatedRow {
        seq,
        plane: code(&p.acquisition_plane),
        dap_total_gy_m2: pt.and_then(|t| t.dose_area_product_total_gy_m2),
        dose_rp_total_gy: pt.and_then(|t| t.dose_rp_total_gy),
        fluoro_dap_total_gy_m2: fa.and_then(|t| t.fluoro_dose_area_product_total_gy_m2),
        fluoro_dose_rp_total_gy: fa.and_then(|t| t.fluoro_dose_rp_total_gy),
        total_fluoro_time_s: fa.and_then(|t| t.total_fluoro_time_s),
        acquisition_dap_total_gy_m2: fa.and_then(|t| t.acquisition_dose_area_product_total_gy_m2),
        acquisition_dose_rp_total_gy: fa.and_then(|t| t.acquisition_dose_rp_total_gy),
        total_acquisition_time_s: fa.and_then(|t| t.total_acquisition_time_s),
        total_number_of_radiographic_frames: pt.and_then(|t| t.total_number_of_radiographic_frames),
        distance_source_to_reference_point_mm: pt
            .and_then(|t| t.distance_source_to_reference_point_mm),
        equipment_landmark: code(&l.and_then(|l| l.equipment_landmark.clone())),
        equipment_landmark_xy_plane: code(&l.and_then(|l| l.equipment_landmark_xy_plane.clone())),
        equipment_landmark_z_position_mm: l.and_then(|l| l.equipment_landmark_z_position_mm),
        patient_fiducial: code(&l.and_then(|l| l.patient_fiducial.clone())),
        equipment_landmark_to_patient_fiducial_x_distance_mm: l
            .and_then(|l| l.equipment_landmark_to_patient_fiducial_x_distance_mm),
        equipment_landmark_to_patient_fiducial_y_distance_mm: l
            .and_then(|l| l.equipment_landmark_to_patient_fiducial_y_distance_mm),
        equipment_landmark_to_patient_fiducial_z_distance_mm: l
            .and_then(|l| l.equipment_landmark_to_patient_fiducial_z_distance_mm),
        ..AccumulatedRow::default()
    }
}

fn seq(i: usize) -> i64 {
    i64::try_from(i).unwrap_or(i64::MAX)
}

/// Every derived row of an assembled study.
pub fn study_rows(study: &AssembledStudy) -> StudyRows {
    let r = &study.report;
    let sm = &study.summary;
    let row = StudyRow {
        study_key: study.study_instance_uid.clone(),
        study_instance_uid: r.study_instance_uid.clone(),
        study_date: r.study.study_date.map(|d| d.to_string()),
        accession_number: r.study.accession_number.clone(),
        study_description: r.study.study_description.clone(),
        patient_id: r.patient.patient_id.clone(),
        modality: r.study.modality.clone(),
        manufacturer: r.equipment.manufacturer.clone(),
        model_name: r.equipment.manufacturer_model_name.clone(),
        station_name: r.equipment.station_name.clone(),
        template: r.template.id().map(str::to_string),
        number_of_reports: seq(study.series.len()),
        number_of_events: seq(sm.number_of_events),
        number_of_axial: count(sm.number_of_axial),
        number_of_spiral: count(sm.number_of_spiral),
        number_of_stationary: count(sm.number_of_stationary),
        number_of_const_angle: count(sm.number_of_const_angle),
        total_dlp_mgy_cm: sm.total_dlp_mgy_cm,
        total_dap_a_gy_m2: sm.total_dap_a_gy_m2,
        total_rp_dose_a_gy: sm.total_rp_dose_a_gy,
        total_dap_b_gy_m2: sm.total_dap_b_gy_m2,
        total_rp_dose_b_gy: sm.total_rp_dose_b_gy,
        total_dap_gy_m2: sm.total_dap_gy_m2,
        number_of_planes: count(sm.number_of_planes),
        number_of_events_a: count(sm.number_of_events_a),
        number_of_events_b: count(sm.number_of_events_b),
        total_agd_left_mgy: sm.total_agd_left_mgy,
        total_agd_right_mgy: sm.total_agd_right_mgy,
        total_agd_both_mgy: sm.total_agd_both_mgy,
        notes: study.notes.join("\n"),
        number_of_administrations: count(sm.number_of_administrations),
        total_administered_activity_mbq: sm.total_administered_activity_mbq,
        total_radiopharmaceutical_effective_dose_msv: sm
            .total_radiopharmaceutical_effective_dose_msv,
    };
    let roles = study
        .series
        .iter()
        .map(|s| RoleRow {
            sop_instance_uid: s.sop_instance_uid.clone(),
            role: role_name(s.role),
            replaced_by: s.replaced_by.clone(),
        })
        .collect();
    let mut out = StudyRows {
        study: row,
        roles,
        ..StudyRows::default()
    };
    let key = |i: usize| study.event_keys.get(i).cloned().unwrap_or_default();
    match &r.body {
        ReportBody::Projection(p) => {
            out.projection_events = p
                .events
                .iter()
                .enumerate()
                .map(|(i, e)| projection_event(seq(i), key(i), e))
                .collect();
            out.accumulated = p
                .accumulated_planes
                .iter()
                .enumerate()
                .map(|(i, p)| plane_row(seq(i), p))
                .collect();
        }
        ReportBody::Ct(c) => {
            for (i, e) in c.events.iter().enumerate() {
                out.ct_events.push(ct_event(seq(i), key(i), e));
                ct_z_values(seq(i), e, &mut out.ct_z_values);
                for (j, s) in e.xray_sources.iter().enumerate() {
                    out.ct_sources.push(ct_source(seq(i), seq(j), s));
                }
            }
            if let Some(a) = &c.accumulated {
                out.accumulated.push(AccumulatedRow {
                    seq: 0,
                    plane: Some("CT".to_string()),
                    dlp_total_mgy_cm: a.ct_dose_length_product_total_mgy_cm,
                    effective_dose_total_msv: a.ct_effective_dose_total_msv,
                    total_number_of_irradiation_events: a
                        .total_number_of_irradiation_events
                        .map(i64::from),
                    patient_model: a.patient_model.clone(),
                    effective_dose_phantom_type: a.effective_dose_phantom_type.clone(),
                    dosimeter_type: a.dosimeter_type.clone(),
                    ..AccumulatedRow::default()
                });
                out.ct_dlp_totals = a
                    .ct_dose_length_product_totals
                    .iter()
                    .enumerate()
                    .map(|(i, d)| CtDlpTotalRow {
                        seq: seq(i),
                        phantom_type: code(&d.phantom_type),
                        dlp_total_mgy_cm: d.ct_dose_length_product_total_mgy_cm,
                        path: d.path.clone(),
                    })
                    .collect();
            }
        }
        _ => {}
    }
    radiopharmaceutical_rows(study, &mut out);
    out
}
