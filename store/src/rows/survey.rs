//! An assembled study as the dose-survey exports need it: flat values in the units their
//! names carry (the exports only lay them out).

use rdsr::ReportBody;
use rdsr::model::projection::ProjectionEvent;
use rdsr::sr::OwnedCode;
use rdsr::study::AssembledStudy;

use super::{AccumulatedRow, plane_row, seq};

/// A coded value: (code value, meaning).
pub type Coded = (String, String);

fn coded(c: &Option<OwnedCode>) -> Option<Coded> {
    c.as_ref().map(|c| (c.value.clone(), c.meaning.clone()))
}

/// One CT irradiation event (TID 10013).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SurveyCtEvent {
    /// CT acquisition type.
    pub acquisition_type: Option<Coded>,
    /// Scanning length, mm.
    pub scanning_length_mm: Option<f64>,
    /// Bottom Z location of scanning length, mm.
    pub bottom_z_mm: Option<f64>,
    /// Top Z location of scanning length, mm.
    pub top_z_mm: Option<f64>,
    /// kVp of each X-ray source, kV.
    pub kvp_kv: Vec<f64>,
    /// CTDIw phantom type.
    pub phantom: Option<Coded>,
    /// Mean CTDIvol, mGy.
    pub ctdivol_mgy: Option<f64>,
    /// DLP, mGy·cm.
    pub dlp_mgy_cm: Option<f64>,
}

/// One X-ray filter of a projection event.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SurveyFilter {
    /// Filter material.
    pub material: Option<Coded>,
    /// Minimum thickness, mm.
    pub thickness_min_mm: Option<f64>,
    /// Maximum thickness, mm.
    pub thickness_max_mm: Option<f64>,
}

/// One projection irradiation event (TID 10003).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SurveyProjectionEvent {
    /// Irradiation event type.
    pub event_type: Option<Coded>,
    /// Acquisition protocol.
    pub acquisition_protocol: Option<String>,
    /// Acquisition plane.
    pub acquisition_plane: Option<Coded>,
    /// DAP, Gy·m².
    pub dap_gy_m2: Option<f64>,
    /// X-ray grid meanings.
    pub grids: Vec<String>,
    /// Source to detector distance, mm.
    pub distance_source_to_detector_mm: Option<f64>,
    /// Filters.
    pub filters: Vec<SurveyFilter>,
    /// Exposure control mode.
    pub exposure_control_mode: Option<String>,
    /// kVp (single value, or the mean of the non-zero per-pulse values), kV.
    pub kvp_kv: Option<f64>,
    /// Exposure (mean of the non-zero values), µAs.
    pub exposure_uas: Option<f64>,
    /// Patient orientation, orientation modifier and table relationship meanings.
    pub patient_position: Vec<String>,
    /// Exposure index.
    pub exposure_index: Option<f64>,
    /// Image view meaning.
    pub image_view: Option<String>,
    /// Fluoro mode meaning.
    pub fluoro_mode: Option<String>,
    /// Pulse rate, pulse/s.
    pub pulse_rate_per_s: Option<f64>,
    /// Collimated field area, m².
    pub collimated_field_area_m2: Option<f64>,
    /// Collimated field width, mm.
    pub collimated_field_width_mm: Option<f64>,
    /// Collimated field height, mm.
    pub collimated_field_height_mm: Option<f64>,
    /// Image intensifier field size, mm.
    pub ii_field_size_mm: Option<f64>,
}

/// A study as the surveys see it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SurveyStudy {
    /// Study key.
    pub study_key: String,
    /// Study date (ISO 8601).
    pub study_date: Option<String>,
    /// Examination modality (see [`super::exam_modality`]).
    pub modality: Option<String>,
    /// Age at the study, decimal years.
    pub patient_age_years: Option<f64>,
    /// Weight, kg.
    pub patient_weight_kg: Option<f64>,
    /// Size (height), mm.
    pub patient_size_mm: Option<f64>,
    /// Sex.
    pub patient_sex: Option<String>,
    /// Procedure meaning, requested procedure meaning, study description (as present).
    pub procedure: Vec<String>,
    /// CT: DLP total of the accumulated dose, mGy·cm.
    pub total_dlp_mgy_cm: Option<f64>,
    /// Projection: total DAP of the study summary, Gy·m².
    pub total_dap_gy_m2: Option<f64>,
    /// CT events, in study order.
    pub ct_events: Vec<SurveyCtEvent>,
    /// Projection events, in study order.
    pub projection_events: Vec<SurveyProjectionEvent>,
    /// Accumulated totals per plane.
    pub planes: Vec<AccumulatedRow>,
}

fn projection_event(e: &ProjectionEvent) -> SurveyProjectionEvent {
    let s = &e.source;
    SurveyProjectionEvent {
        event_type: coded(&e.irradiation_event_type),
        acquisition_protocol: e.acquisition_protocol.clone(),
        acquisition_plane: coded(&e.acquisition_plane),
        dap_gy_m2: e.dose_area_product_gy_m2,
        grids: s.grids.iter().map(|g| g.meaning.clone()).collect(),
        distance_source_to_detector_mm: e.mechanical.distances.distance_source_to_detector_mm,
        filters: s
            .filters
            .iter()
            .map(|f| SurveyFilter {
                material: coded(&f.xray_filter_material),
                thickness_min_mm: f.xray_filter_thickness_minimum_mm,
                thickness_max_mm: f.xray_filter_thickness_maximum_mm,
            })
            .collect(),
        exposure_control_mode: s.exposure_control_mode.clone(),
        kvp_kv: s.mean_kvp_kv(),
        exposure_uas: s.mean_exposure_uas(),
        patient_position: [
            &e.patient_orientation,
            &e.patient_orientation_modifier,
            &e.patient_table_relationship,
        ]
        .into_iter()
        .filter_map(|c| c.as_ref().map(|c| c.meaning.clone()))
        .collect(),
        exposure_index: e.detector.exposure_index,
        image_view: e.image_view.as_ref().map(|c| c.meaning.clone()),
        fluoro_mode: s.fluoro_mode.as_ref().map(|c| c.meaning.clone()),
        pulse_rate_per_s: s.pulse_rate_per_s,
        collimated_field_area_m2: s.collimated_field_area_m2,
        collimated_field_width_mm: s.collimated_field_width_mm,
        collimated_field_height_mm: s.collimated_field_height_mm,
        ii_field_size_mm: s.ii_field_size_mm,
    }
}

/// The survey view of an assembled study.
pub fn survey_study(study: &AssembledStudy) -> SurveyStudy {
    let r = &study.report;
    let procedure = [
        r.study.procedure_code.as_ref().map(|c| c.meaning.clone()),
        r.study
            .requested_procedure_code
            .as_ref()
            .map(|c| c.meaning.clone()),
        r.study.study_description.clone(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.trim().is_empty())
    .collect();
    let mut out = SurveyStudy {
        study_key: study.study_instance_uid.clone(),
        study_date: r.study.study_date.map(|d| d.to_string()),
        modality: super::exam_modality(study).map(str::to_string),
        patient_age_years: r.patient_study.patient_age_years,
        patient_weight_kg: r.patient_study.patient_weight_kg,
        patient_size_mm: r.patient_study.patient_size_mm,
        patient_sex: r.patient.patient_sex.clone(),
        procedure,
        total_dlp_mgy_cm: study.summary.total_dlp_mgy_cm,
        total_dap_gy_m2: study.summary.total_dap_gy_m2,
        ..SurveyStudy::default()
    };
    match &r.body {
        ReportBody::Ct(c) => {
            out.ct_events = c
                .events
                .iter()
                .map(|e| SurveyCtEvent {
                    acquisition_type: coded(&e.ct_acquisition_type),
                    scanning_length_mm: e
                        .scanning_length
                        .as_ref()
                        .and_then(|l| l.scanning_length_mm),
                    bottom_z_mm: e
                        .scanning_length
                        .as_ref()
                        .and_then(|l| l.bottom_z_location_of_scanning_length_mm),
                    top_z_mm: e
                        .scanning_length
                        .as_ref()
                        .and_then(|l| l.top_z_location_of_scanning_length_mm),
                    kvp_kv: e.xray_sources.iter().filter_map(|s| s.kvp_kv).collect(),
                    phantom: coded(&e.ctdiw_phantom_type),
                    ctdivol_mgy: e.mean_ctdivol_mgy,
                    dlp_mgy_cm: e.dlp_mgy_cm,
                })
                .collect();
        }
        ReportBody::Projection(p) => {
            out.projection_events = p.events.iter().map(projection_event).collect();
            out.planes = p
                .accumulated_planes
                .iter()
                .enumerate()
                .map(|(i, a)| plane_row(seq(i), a))
                .collect();
        }
        _ => {}
    }
    out
}
