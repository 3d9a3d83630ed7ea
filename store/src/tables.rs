//! The stored tables' columns and the cells of their rows, shared by both backends: a column
//! is named once, here, and each backend binds the same cells (SQLite as parameters of an
//! `INSERT`, PostgreSQL in a binary `COPY`).

use crate::rows::{
    AccumulatedRow, AdministrationRow, CtDlpTotalRow, CtEventRow, CtSourceRow, CtZResolvedRow,
    DiagnosticRow, GlomerularFiltrationRateRow, OrganDoseRow, PatientCharacteristicsRow,
    ProjectionEventRow, QuirkRow, RadiopharmaceuticalPersonRow, RadiopharmaceuticalReportRow,
    ReportRow, StudyRow, StudyRows,
};

/// One value of a row, typed as its column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// An integer.
    I(Option<i64>),
    /// A real.
    F(Option<f64>),
    /// Text.
    T(Option<String>),
    /// Bytes.
    B(Vec<u8>),
}

/// A real as both backends store it: no NaN or infinity, and no negative zero (SQLite keeps
/// an integral real as an integer on disk, so -0.0 reads back as 0.0).
pub(crate) fn f(v: Option<f64>) -> Cell {
    Cell::F(v.filter(|v| v.is_finite()).map(|v| v + 0.0))
}
pub(crate) fn i(v: Option<i64>) -> Cell {
    Cell::I(v)
}
pub(crate) fn n(v: i64) -> Cell {
    Cell::I(Some(v))
}
pub(crate) fn ot(v: &Option<String>) -> Cell {
    Cell::T(v.clone())
}
pub(crate) fn t(v: &str) -> Cell {
    Cell::T(Some(v.to_string()))
}
pub(crate) fn len(v: usize) -> Cell {
    Cell::I(Some(i64::try_from(v).unwrap_or(i64::MAX)))
}

/// A table of rows derived from a study's reports: rewritten whenever the study is
/// re-assembled.
#[derive(Debug)]
pub(crate) struct Table {
    /// Its name.
    pub name: &'static str,
    /// Its columns, in the order of the cells of its rows.
    pub columns: &'static [&'static str],
    /// How many leading columns make its primary key.
    pub key_columns: usize,
}

pub(crate) const REPORT_COLUMNS: &[&str] = &[
    "report_key",
    "study_key",
    "sop_instance_uid",
    "sop_class_uid",
    "series_instance_uid",
    "template",
    "number_of_events",
    "manufacturer",
    "model_name",
    "station_name",
    "device_observer_uid",
    "file_path",
    "file_size_bytes",
    "sha256",
    "report_zlib",
];
pub(crate) const QUIRK_COLUMNS: &[&str] =
    &["report_key", "quirk_id", "summary", "number_of_changes"];
pub(crate) const CHANGE_COLUMNS: &[&str] = &[
    "report_key",
    "quirk_id",
    "seq",
    "content_path",
    "before",
    "after",
];
pub(crate) const DIAGNOSTIC_COLUMNS: &[&str] = &[
    "report_key",
    "seq",
    "code",
    "severity",
    "content_path",
    "message",
];
/// The columns of the studies table, in [`study_row`]'s order.
pub(crate) const STUDY_COLUMNS: &[&str] = &[
    "study_key",
    "study_instance_uid",
    "study_date",
    "accession_number",
    "study_description",
    "patient_id",
    "modality",
    "manufacturer",
    "model_name",
    "station_name",
    "template",
    "number_of_reports",
    "number_of_events",
    "number_of_axial",
    "number_of_spiral",
    "number_of_stationary",
    "number_of_const_angle",
    "total_dlp_mgy_cm",
    "total_dap_a_gy_m2",
    "total_rp_dose_a_gy",
    "total_dap_b_gy_m2",
    "total_rp_dose_b_gy",
    "total_dap_gy_m2",
    "number_of_planes",
    "number_of_events_a",
    "number_of_events_b",
    "total_agd_left_mgy",
    "total_agd_right_mgy",
    "total_agd_both_mgy",
    "notes",
    "number_of_administrations",
    "total_administered_activity_mbq",
    "total_radiopharmaceutical_effective_dose_msv",
];
pub(crate) const PROJECTION_COLUMNS: &[&str] = &[
    "study_key",
    "seq",
    "event_key",
    "irradiation_event_uid",
    "acquisition_plane",
    "date_time_started",
    "irradiation_event_type",
    "acquisition_protocol",
    "anatomical_structure",
    "laterality",
    "dap_gy_m2",
    "dose_rp_gy",
    "entrance_exposure_at_rp_gy",
    "agd_mgy",
    "half_value_layer_mm",
    "kvp_kv",
    "xray_tube_current_ma",
    "pulse_width_s",
    "exposure_uas",
    "exposure_time_s",
    "irradiation_duration_s",
    "pulse_rate_per_s",
    "number_of_pulses",
    "fluoro_mode",
    "focal_spot_size_mm",
    "collimated_field_area_m2",
    "positioner_primary_angle_deg",
    "positioner_secondary_angle_deg",
    "distance_source_to_isocenter_mm",
    "distance_source_to_detector_mm",
    "compression_thickness_mm",
    "content_path",
    "positioner_isocenter_primary_angle_deg",
    "positioner_isocenter_secondary_angle_deg",
    "positioner_isocenter_detector_rotation_angle_deg",
    "positioner_isocenter_primary_end_angle_deg",
    "positioner_isocenter_secondary_end_angle_deg",
    "positioner_isocenter_detector_rotation_end_angle_deg",
    "table_head_tilt_end_angle_deg",
    "table_horizontal_rotation_end_angle_deg",
    "table_cradle_tilt_end_angle_deg",
    "table_x_position_to_isocenter_mm",
    "table_y_position_to_isocenter_mm",
    "table_z_position_to_isocenter_mm",
    "table_x_end_position_to_isocenter_mm",
    "table_y_end_position_to_isocenter_mm",
    "table_z_end_position_to_isocenter_mm",
    "compression_pressure_kpa",
    "compression_contact_area_m2",
];
pub(crate) const CT_COLUMNS: &[&str] = &[
    "study_key",
    "seq",
    "event_key",
    "irradiation_event_uid",
    "acquisition_protocol",
    "ct_acquisition_type",
    "target_region",
    "exposure_time_s",
    "scanning_length_mm",
    "nominal_single_collimation_width_mm",
    "nominal_total_collimation_width_mm",
    "pitch_factor",
    "number_of_xray_sources",
    "ctdi_vol_mgy",
    "ctdiw_phantom_type",
    "dlp_mgy_cm",
    "effective_dose_msv",
    "ssde_mgy",
    "water_equivalent_diameter_mm",
    "content_path",
    "date_time_started",
    "reconstruction_algorithms",
    "is_repeated_acquisition",
    "reason_for_repeating_acquisition",
    "xray_modulation_type",
    "xray_modulation_type_code",
    "ssde_method",
    "water_equivalent_diameter_method",
    "water_equivalent_diameter_source",
    "water_equivalent_diameter_z_location_mm",
];
pub(crate) const DLP_TOTAL_COLUMNS: &[&str] = &[
    "study_key",
    "seq",
    "phantom_type",
    "dlp_total_mgy_cm",
    "content_path",
];
pub(crate) const ADMINISTRATION_COLUMNS: &[&str] = &[
    "study_key",
    "seq",
    "report_sop_instance_uid",
    "administration_event_uid",
    "radiopharmaceutical_agent",
    "radiopharmaceutical_agent_code",
    "radionuclide",
    "radionuclide_code",
    "radionuclide_half_life_s",
    "specific_activity_bq_per_mol",
    "estimated_extravasation_activity_mbq",
    "start_date_time",
    "stop_date_time",
    "administered_activity_mbq",
    "volume_ml",
    "pre_administration_activity_mbq",
    "post_administration_activity_mbq",
    "route_of_administration",
    "site_of_administration",
    "site_of_administration_laterality",
    "brand_name",
    "prescription_identifier",
    "lot_identifiers",
    "effective_dose_msv",
    "effective_dose_method",
    "comment",
    "content_path",
    "intravenous_extravasation_symptoms",
    "pre_administration_activity_measurement_device",
    "post_administration_activity_measurement_device",
    "radiopharmaceutical_dispense_unit_identifier",
    "reagent_vial_identifiers",
    "radionuclide_vial_identifiers",
    "billing_codes",
    "drug_product_identifiers",
    "effective_dose_reference_authority",
    "effective_dose_reference_authority_code",
];
pub(crate) const ORGAN_DOSE_COLUMNS: &[&str] = &[
    "study_key",
    "administration_seq",
    "seq",
    "finding_site",
    "finding_site_code",
    "laterality",
    "organ_dose_mgy",
    "mass_kg",
    "reference_authority",
    "content_path",
    "mass_measurement_method",
    "reference_authority_code",
];
pub(crate) const PATIENT_COLUMNS: &[&str] = &[
    "study_key",
    "seq",
    "report_sop_instance_uid",
    "subject_age_years",
    "subject_sex",
    "patient_height_mm",
    "patient_weight_kg",
    "body_surface_area_m2",
    "body_mass_index_kg_per_m2",
    "glucose_mmol_per_l",
    "fasting_duration_s",
    "hydration_volume_ml",
    "recent_physical_activity",
    "serum_creatinine_mg_per_dl",
    "glomerular_filtration_rate_ml_per_min_per_1_73m2",
    "body_surface_area_formula",
    "body_mass_index_equation",
    "patient_states",
];
pub(crate) const SOURCE_COLUMNS: &[&str] = &[
    "study_key",
    "event_seq",
    "seq",
    "identification",
    "kvp_kv",
    "maximum_xray_tube_current_ma",
    "xray_tube_current_ma",
    "exposure_time_per_rotation_s",
    "filter_aluminum_equivalent_mm",
];
pub(crate) const ACCUMULATED_COLUMNS: &[&str] = &[
    "study_key",
    "seq",
    "plane",
    "dap_total_gy_m2",
    "dose_rp_total_gy",
    "fluoro_dap_total_gy_m2",
    "fluoro_dose_rp_total_gy",
    "total_fluoro_time_s",
    "acquisition_dap_total_gy_m2",
    "acquisition_dose_rp_total_gy",
    "total_acquisition_time_s",
    "total_number_of_radiographic_frames",
    "dlp_total_mgy_cm",
    "effective_dose_total_msv",
    "total_number_of_irradiation_events",
    "distance_source_to_reference_point_mm",
    "equipment_landmark",
    "equipment_landmark_xy_plane",
    "equipment_landmark_z_position_mm",
    "patient_fiducial",
    "equipment_landmark_to_patient_fiducial_x_distance_mm",
    "equipment_landmark_to_patient_fiducial_y_distance_mm",
    "equipment_landmark_to_patient_fiducial_z_distance_mm",
    "patient_model",
    "effective_dose_phantom_type",
    "dosimeter_type",
];

/// The columns of `ct_z_resolved_values`, in table order.
pub(crate) const Z_VALUE_COLUMNS: &[&str] = &[
    "study_key",
    "event_seq",
    "seq",
    "quantity",
    "longitudinal_position_z_mm",
    "ssde_mgy",
    "water_equivalent_diameter_mm",
    "content_path",
];

/// The columns of `patient_glomerular_filtration_rates`, in table order.
pub(crate) const GFR_COLUMNS: &[&str] = &[
    "study_key",
    "characteristics_seq",
    "seq",
    "glomerular_filtration_rate_ml_per_min_per_1_73m2",
    "measurement_method",
    "equivalent_meaning_of_concept_name",
];

/// The columns of `radiopharmaceutical_reports`, in table order.
pub(crate) const RADIOPHARMACEUTICAL_REPORT_COLUMNS: &[&str] = &[
    "study_key",
    "seq",
    "report_sop_instance_uid",
    "associated_procedure",
    "has_intent",
    "language_of_content",
    "country_of_language",
    "comment",
];

/// The columns of `radiopharmaceutical_persons`, in table order.
pub(crate) const PERSON_COLUMNS: &[&str] = &[
    "study_key",
    "seq",
    "report_seq",
    "administration_seq",
    "role_of_person",
    "observer_kind",
    "observer_type",
    "person_name",
    "person_login_name",
    "person_id",
    "person_id_issuer",
    "identifier_within_role",
    "organization_name",
    "role_in_organization",
    "role_in_procedure",
    "device_observer_uid",
    "device_observer_name",
    "device_observer_manufacturer",
    "device_observer_model_name",
    "device_observer_serial_number",
    "device_observer_physical_location",
    "device_role_in_procedure",
    "content_path",
];

/// The derived tables, in the order they are written.
pub(crate) const DERIVED: [Table; 13] = [
    Table {
        name: "studies",
        columns: STUDY_COLUMNS,
        key_columns: 1,
    },
    Table {
        name: "projection_events",
        columns: PROJECTION_COLUMNS,
        key_columns: 2,
    },
    Table {
        name: "ct_events",
        columns: CT_COLUMNS,
        key_columns: 2,
    },
    Table {
        name: "ct_xray_sources",
        columns: SOURCE_COLUMNS,
        key_columns: 3,
    },
    Table {
        name: "accumulated_totals",
        columns: ACCUMULATED_COLUMNS,
        key_columns: 2,
    },
    Table {
        name: "ct_dlp_totals",
        columns: DLP_TOTAL_COLUMNS,
        key_columns: 2,
    },
    Table {
        name: "radiopharmaceutical_administrations",
        columns: ADMINISTRATION_COLUMNS,
        key_columns: 2,
    },
    Table {
        name: "radiopharmaceutical_organ_doses",
        columns: ORGAN_DOSE_COLUMNS,
        key_columns: 3,
    },
    Table {
        name: "patient_characteristics",
        columns: PATIENT_COLUMNS,
        key_columns: 2,
    },
    Table {
        name: "ct_z_resolved_values",
        columns: Z_VALUE_COLUMNS,
        key_columns: 3,
    },
    Table {
        name: "patient_glomerular_filtration_rates",
        columns: GFR_COLUMNS,
        key_columns: 3,
    },
    Table {
        name: "radiopharmaceutical_reports",
        columns: RADIOPHARMACEUTICAL_REPORT_COLUMNS,
        key_columns: 2,
    },
    Table {
        name: "radiopharmaceutical_persons",
        columns: PERSON_COLUMNS,
        key_columns: 2,
    },
];

/// The names of the derived tables.
pub(crate) const DERIVED_TABLES: [&str; 13] = {
    let mut names = [""; 13];
    let mut k = 0;
    while k < DERIVED.len() {
        names[k] = DERIVED[k].name;
        k += 1;
    }
    names
};

fn study(key: &str, s: &StudyRow) -> Vec<Cell> {
    vec![
        t(key),
        ot(&s.study_instance_uid),
        ot(&s.study_date),
        ot(&s.accession_number),
        ot(&s.study_description),
        ot(&s.patient_id),
        ot(&s.modality),
        ot(&s.manufacturer),
        ot(&s.model_name),
        ot(&s.station_name),
        ot(&s.template),
        n(s.number_of_reports),
        n(s.number_of_events),
        i(s.number_of_axial),
        i(s.number_of_spiral),
        i(s.number_of_stationary),
        i(s.number_of_const_angle),
        f(s.total_dlp_mgy_cm),
        f(s.total_dap_a_gy_m2),
        f(s.total_rp_dose_a_gy),
        f(s.total_dap_b_gy_m2),
        f(s.total_rp_dose_b_gy),
        f(s.total_dap_gy_m2),
        i(s.number_of_planes),
        i(s.number_of_events_a),
        i(s.number_of_events_b),
        f(s.total_agd_left_mgy),
        f(s.total_agd_right_mgy),
        f(s.total_agd_both_mgy),
        t(&s.notes),
        i(s.number_of_administrations),
        f(s.total_administered_activity_mbq),
        f(s.total_radiopharmaceutical_effective_dose_msv),
    ]
}

fn projection_event(key: &str, e: &ProjectionEventRow) -> Vec<Cell> {
    vec![
        t(key),
        n(e.seq),
        t(&e.event_key),
        ot(&e.irradiation_event_uid),
        ot(&e.acquisition_plane),
        ot(&e.date_time_started),
        ot(&e.irradiation_event_type),
        ot(&e.acquisition_protocol),
        ot(&e.anatomical_structure),
        ot(&e.laterality),
        f(e.dap_gy_m2),
        f(e.dose_rp_gy),
        f(e.entrance_exposure_at_rp_gy),
        f(e.agd_mgy),
        f(e.half_value_layer_mm),
        f(e.kvp_kv),
        f(e.xray_tube_current_ma),
        f(e.pulse_width_s),
        f(e.exposure_uas),
        f(e.exposure_time_s),
        f(e.irradiation_duration_s),
        f(e.pulse_rate_per_s),
        f(e.number_of_pulses),
        ot(&e.fluoro_mode),
        f(e.focal_spot_size_mm),
        f(e.collimated_field_area_m2),
        f(e.positioner_primary_angle_deg),
        f(e.positioner_secondary_angle_deg),
        f(e.distance_source_to_isocenter_mm),
        f(e.distance_source_to_detector_mm),
        f(e.compression_thickness_mm),
        t(&e.path),
        f(e.positioner_isocenter_primary_angle_deg),
        f(e.positioner_isocenter_secondary_angle_deg),
        f(e.positioner_isocenter_detector_rotation_angle_deg),
        f(e.positioner_isocenter_primary_end_angle_deg),
        f(e.positioner_isocenter_secondary_end_angle_deg),
        f(e.positioner_isocenter_detector_rotation_end_angle_deg),
        f(e.table_head_tilt_end_angle_deg),
        f(e.table_horizontal_rotation_end_angle_deg),
        f(e.table_cradle_tilt_end_angle_deg),
        f(e.table_x_position_to_isocenter_mm),
        f(e.table_y_position_to_isocenter_mm),
        f(e.table_z_position_to_isocenter_mm),
        f(e.table_x_end_position_to_isocenter_mm),
        f(e.table_y_end_position_to_isocenter_mm),
        f(e.table_z_end_position_to_isocenter_mm),
        f(e.compression_pressure_kpa),
        f(e.compression_contact_area_m2),
    ]
}

fn ct_event(key: &str, e: &CtEventRow) -> Vec<Cell> {
    vec![
        t(key),
        n(e.seq),
        t(&e.event_key),
        ot(&e.irradiation_event_uid),
        ot(&e.acquisition_protocol),
        ot(&e.ct_acquisition_type),
        ot(&e.target_region),
        f(e.exposure_time_s),
        f(e.scanning_length_mm),
        f(e.nominal_single_collimation_width_mm),
        f(e.nominal_total_collimation_width_mm),
        f(e.pitch_factor),
        i(e.number_of_xray_sources),
        f(e.ctdi_vol_mgy),
        ot(&e.ctdiw_phantom_type),
        f(e.dlp_mgy_cm),
        f(e.effective_dose_msv),
        f(e.ssde_mgy),
        f(e.water_equivalent_diameter_mm),
        t(&e.path),
        ot(&e.date_time_started),
        ot(&e.reconstruction_algorithms),
        i(e.is_repeated_acquisition),
        ot(&e.reason_for_repeating_acquisition),
        ot(&e.xray_modulation_type),
        ot(&e.xray_modulation_type_code),
        ot(&e.ssde_method),
        ot(&e.water_equivalent_diameter_method),
        ot(&e.water_equivalent_diameter_source),
        f(e.water_equivalent_diameter_z_location_mm),
    ]
}

fn ct_source(key: &str, s: &CtSourceRow) -> Vec<Cell> {
    vec![
        t(key),
        n(s.event_seq),
        n(s.seq),
        ot(&s.identification),
        f(s.kvp_kv),
        f(s.maximum_xray_tube_current_ma),
        f(s.xray_tube_current_ma),
        f(s.exposure_time_per_rotation_s),
        f(s.filter_aluminum_equivalent_mm),
    ]
}

fn accumulated(key: &str, a: &AccumulatedRow) -> Vec<Cell> {
    vec![
        t(key),
        n(a.seq),
        ot(&a.plane),
        f(a.dap_total_gy_m2),
        f(a.dose_rp_total_gy),
        f(a.fluoro_dap_total_gy_m2),
        f(a.fluoro_dose_rp_total_gy),
        f(a.total_fluoro_time_s),
        f(a.acquisition_dap_total_gy_m2),
        f(a.acquisition_dose_rp_total_gy),
        f(a.total_acquisition_time_s),
        f(a.total_number_of_radiographic_frames),
        f(a.dlp_total_mgy_cm),
        f(a.effective_dose_total_msv),
        i(a.total_number_of_irradiation_events),
        f(a.distance_source_to_reference_point_mm),
        ot(&a.equipment_landmark),
        ot(&a.equipment_landmark_xy_plane),
        f(a.equipment_landmark_z_position_mm),
        ot(&a.patient_fiducial),
        f(a.equipment_landmark_to_patient_fiducial_x_distance_mm),
        f(a.equipment_landmark_to_patient_fiducial_y_distance_mm),
        f(a.equipment_landmark_to_patient_fiducial_z_distance_mm),
        ot(&a.patient_model),
        ot(&a.effective_dose_phantom_type),
        ot(&a.dosimeter_type),
    ]
}

fn dlp_total(key: &str, d: &CtDlpTotalRow) -> Vec<Cell> {
    vec![
        t(key),
        n(d.seq),
        ot(&d.phantom_type),
        f(d.dlp_total_mgy_cm),
        t(&d.path),
    ]
}

fn administration(key: &str, a: &AdministrationRow) -> Vec<Cell> {
    vec![
        t(key),
        n(a.seq),
        ot(&a.report_sop_instance_uid),
        ot(&a.administration_event_uid),
        ot(&a.radiopharmaceutical_agent),
        ot(&a.radiopharmaceutical_agent_code),
        ot(&a.radionuclide),
        ot(&a.radionuclide_code),
        f(a.radionuclide_half_life_s),
        f(a.specific_activity_bq_per_mol),
        f(a.estimated_extravasation_activity_mbq),
        ot(&a.start_date_time),
        ot(&a.stop_date_time),
        f(a.administered_activity_mbq),
        f(a.volume_ml),
        f(a.pre_administration_activity_mbq),
        f(a.post_administration_activity_mbq),
        ot(&a.route_of_administration),
        ot(&a.site_of_administration),
        ot(&a.site_of_administration_laterality),
        ot(&a.brand_name),
        ot(&a.prescription_identifier),
        ot(&a.lot_identifiers),
        f(a.effective_dose_msv),
        ot(&a.effective_dose_method),
        ot(&a.comment),
        t(&a.path),
        ot(&a.intravenous_extravasation_symptoms),
        ot(&a.pre_administration_activity_measurement_device),
        ot(&a.post_administration_activity_measurement_device),
        ot(&a.radiopharmaceutical_dispense_unit_identifier),
        ot(&a.reagent_vial_identifiers),
        ot(&a.radionuclide_vial_identifiers),
        ot(&a.billing_codes),
        ot(&a.drug_product_identifiers),
        ot(&a.effective_dose_reference_authority),
        ot(&a.effective_dose_reference_authority_code),
    ]
}

fn organ_dose(key: &str, o: &OrganDoseRow) -> Vec<Cell> {
    vec![
        t(key),
        n(o.administration_seq),
        n(o.seq),
        ot(&o.finding_site),
        ot(&o.finding_site_code),
        ot(&o.laterality),
        f(o.organ_dose_mgy),
        f(o.mass_kg),
        ot(&o.reference_authority),
        t(&o.path),
        ot(&o.mass_measurement_method),
        ot(&o.reference_authority_code),
    ]
}

fn patient(key: &str, p: &PatientCharacteristicsRow) -> Vec<Cell> {
    vec![
        t(key),
        n(p.seq),
        ot(&p.report_sop_instance_uid),
        f(p.subject_age_years),
        ot(&p.subject_sex),
        f(p.patient_height_mm),
        f(p.patient_weight_kg),
        f(p.body_surface_area_m2),
        f(p.body_mass_index_kg_per_m2),
        f(p.glucose_mmol_per_l),
        f(p.fasting_duration_s),
        f(p.hydration_volume_ml),
        ot(&p.recent_physical_activity),
        f(p.serum_creatinine_mg_per_dl),
        f(p.glomerular_filtration_rate_ml_per_min_per_1_73m2),
        ot(&p.body_surface_area_formula),
        ot(&p.body_mass_index_equation),
        ot(&p.patient_states),
    ]
}

fn z_value(key: &str, z: &CtZResolvedRow) -> Vec<Cell> {
    vec![
        t(key),
        n(z.event_seq),
        n(z.seq),
        t(z.quantity),
        f(z.longitudinal_position_z_mm),
        f(z.ssde_mgy),
        f(z.water_equivalent_diameter_mm),
        t(&z.path),
    ]
}

fn glomerular_filtration_rate(key: &str, g: &GlomerularFiltrationRateRow) -> Vec<Cell> {
    vec![
        t(key),
        n(g.characteristics_seq),
        n(g.seq),
        f(g.glomerular_filtration_rate_ml_per_min_per_1_73m2),
        ot(&g.measurement_method),
        ot(&g.equivalent_meaning_of_concept_name),
    ]
}

fn radiopharmaceutical_report(key: &str, p: &RadiopharmaceuticalReportRow) -> Vec<Cell> {
    vec![
        t(key),
        n(p.seq),
        ot(&p.report_sop_instance_uid),
        ot(&p.associated_procedure),
        ot(&p.has_intent),
        ot(&p.language_of_content),
        ot(&p.country_of_language),
        ot(&p.comment),
    ]
}

fn person(key: &str, p: &RadiopharmaceuticalPersonRow) -> Vec<Cell> {
    vec![
        t(key),
        n(p.seq),
        n(p.report_seq),
        i(p.administration_seq),
        t(p.role_of_person),
        Cell::T(p.observer_kind.map(str::to_string)),
        ot(&p.observer_type),
        ot(&p.person_name),
        ot(&p.person_login_name),
        ot(&p.person_id),
        ot(&p.person_id_issuer),
        ot(&p.identifier_within_role),
        ot(&p.organization_name),
        ot(&p.role_in_organization),
        ot(&p.role_in_procedure),
        ot(&p.device_observer_uid),
        ot(&p.device_observer_name),
        ot(&p.device_observer_manufacturer),
        ot(&p.device_observer_model_name),
        ot(&p.device_observer_serial_number),
        ot(&p.device_observer_physical_location),
        ot(&p.device_role_in_procedure),
        ot(&p.path),
    ]
}

/// Every derived row of study `key`: the index of its table in [`DERIVED`] and its cells.
pub(crate) fn derived_rows(key: &str, r: &StudyRows) -> Vec<(usize, Vec<Cell>)> {
    let mut out = vec![(0, study(key, &r.study))];
    out.extend(
        r.projection_events
            .iter()
            .map(|e| (1, projection_event(key, e))),
    );
    out.extend(r.ct_events.iter().map(|e| (2, ct_event(key, e))));
    out.extend(r.ct_sources.iter().map(|s| (3, ct_source(key, s))));
    out.extend(r.accumulated.iter().map(|a| (4, accumulated(key, a))));
    out.extend(r.ct_dlp_totals.iter().map(|d| (5, dlp_total(key, d))));
    out.extend(
        r.administrations
            .iter()
            .map(|a| (6, administration(key, a))),
    );
    out.extend(r.organ_doses.iter().map(|o| (7, organ_dose(key, o))));
    out.extend(
        r.patient_characteristics
            .iter()
            .map(|p| (8, patient(key, p))),
    );
    out.extend(r.ct_z_values.iter().map(|z| (9, z_value(key, z))));
    out.extend(
        r.glomerular_filtration_rates
            .iter()
            .map(|g| (10, glomerular_filtration_rate(key, g))),
    );
    out.extend(
        r.radiopharmaceutical_reports
            .iter()
            .map(|p| (11, radiopharmaceutical_report(key, p))),
    );
    out.extend(
        r.radiopharmaceutical_persons
            .iter()
            .map(|p| (12, person(key, p))),
    );
    out
}

/// The `reports` row of a report read from `path` (`size` bytes, SHA-256 `sha`), stored as
/// `stored`.
pub(crate) fn report(
    row: &ReportRow,
    path: &str,
    size: u64,
    sha: &str,
    stored: Vec<u8>,
) -> Vec<Cell> {
    vec![
        t(&row.report_key),
        t(&row.study_key),
        ot(&row.sop_instance_uid),
        t(&row.sop_class_uid),
        ot(&row.series_instance_uid),
        ot(&row.template),
        n(row.number_of_events),
        ot(&row.manufacturer),
        ot(&row.model_name),
        ot(&row.station_name),
        ot(&row.device_observer_uid),
        t(path),
        n(i64::try_from(size).unwrap_or(i64::MAX)),
        t(sha),
        Cell::B(stored),
    ]
}

/// The `applied_quirks` row of quirk `q` of report `key`, with the quirk's summary.
pub(crate) fn applied_quirk(key: &str, q: &QuirkRow, summary: Option<&String>) -> Vec<Cell> {
    vec![
        t(key),
        t(&q.quirk_id),
        ot(&summary.cloned()),
        len(q.changes.len()),
    ]
}

/// The `quirk_changes` rows of quirk `q` of report `key`.
pub(crate) fn quirk_changes(key: &str, q: &QuirkRow) -> Vec<Vec<Cell>> {
    q.changes
        .iter()
        .enumerate()
        .map(|(seq, (path, before, after))| {
            vec![
                t(key),
                t(&q.quirk_id),
                len(seq),
                ot(path),
                t(before),
                t(after),
            ]
        })
        .collect()
}

/// The `diagnostics` row `seq` of report `key`.
pub(crate) fn diagnostic(key: &str, seq: usize, d: &DiagnosticRow) -> Vec<Cell> {
    vec![
        t(key),
        len(seq),
        t(&d.code),
        t(&d.severity),
        ot(&d.path),
        t(&d.message),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every derived row of the fixtures with the most rows has one cell per column of its
    /// table, and each table's key columns come first.
    #[test]
    fn every_row_has_one_cell_per_column_of_its_table() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata");
        let mut seen = [0usize; DERIVED.len()];
        for name in [
            "ct_all_rows.dcm",
            "projection_all_rows.dcm",
            "rrdsr_full.dcm",
        ] {
            let report = rdsr::parse_file(dir.join(name)).unwrap();
            let mut assembler = rdsr::study::StudyAssembler::new();
            assembler.add(report);
            for study in assembler.studies() {
                let rows = crate::rows::study_rows(&study);
                for (table, cells) in derived_rows("k", &rows) {
                    let spec = &DERIVED[table];
                    assert_eq!(cells.len(), spec.columns.len(), "{}", spec.name);
                    assert_eq!(spec.columns[0], "study_key", "{}", spec.name);
                    seen[table] += 1;
                }
            }
        }
        for (spec, n) in DERIVED.iter().zip(seen) {
            assert!(n > 0, "no row of {}", spec.name);
        }
    }
}
