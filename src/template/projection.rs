//! TID 10001 Projection X-Ray Radiation Dose (with TID 10002-10007) to records.
//!
//! One function per template. Concepts are matched by code through [`Mapper::is`] /
//! [`Mapper::child`] (which honour the concept aliases a quirk sets), never by meaning. The
//! sub-templates TID 10004-10007 and 10003a-c are all included into one container, so each
//! reader walks the same flat list of the container's children and picks its own rows.
//!
//! Nothing here panics on input: a missing, empty or malformed item leaves the field `None`
//! (or a list shorter) and, where the report is wrong rather than merely silent, a
//! diagnostic says so. The tree is walked iteratively, a fixed number of levels deep.
//!
//! Vendor defects are not special-cased here: the quirk table sets [`Mapper::hints`] (concept
//! aliases, fluoroscopy equipment) or repairs the records afterwards.

use std::fmt::Debug;

use super::common::Mapper;
use super::units::{PROJECTION_DEFINED_UNITS, Quantity};
use crate::error::{DiagnosticCode, Severity};
use crate::model::ProjectionReport;
use crate::model::projection::{
    AccumulatedPlane, Calibration, CassetteTotals, Detector, Distances, EquipmentLandmark, Filter,
    FluoroAcquisitionTotals, MammographyTotal, Mechanical, ModalityBasis, ProjectionEvent,
    ProjectionModality, ProjectionTotals, Source,
};
use crate::sr::{Item, OwnedCode, Value, ValueType, codes};

/// Maps the root of a TID 10001 report.
pub(crate) fn map(m: &mut Mapper<'_>, root: Item<'_>) -> ProjectionReport {
    let mut r = ProjectionReport::default();
    // The report header already read the root's observer context (and reported on it);
    // read it again for the body without repeating those diagnostics.
    let before = m.diagnostics.len();
    r.observers = m.observers(root);
    m.diagnostics.truncate(before);

    for c in root.children() {
        if m.is(c, &codes::PROCEDURE_REPORTED) {
            let v = m.code(c);
            set(m, c, &mut r.procedure_reported, v);
            if let Some(intent) = m.child(c, &codes::HAS_INTENT) {
                let v = m.code(intent);
                set(m, intent, &mut r.has_intent, v);
            }
        } else if m.is(c, &codes::ACQUISITION_DEVICE_TYPE) {
            let v = m.code(c);
            set(m, c, &mut r.acquisition_device_type, v);
        } else if m.is(c, &codes::SCOPE_OF_ACCUMULATION) {
            let v = m.code(c);
            set(m, c, &mut r.scope_of_accumulation, v);
            let uid = c.children().find(|u| {
                m.is(*u, &codes::STUDY_INSTANCE_UID)
                    || m.is(*u, &codes::SERIES_INSTANCE_UID)
                    || m.is(*u, &codes::PERFORMED_PROCEDURE_STEP_SOP_INSTANCE_UID)
            });
            if let Some(u) = uid {
                let v = m.uid(u);
                set(m, u, &mut r.scope_of_accumulation_uid, v);
            }
        } else if m.is(c, &codes::SOURCE_OF_DOSE_INFORMATION) {
            if let Some(v) = m.code(c) {
                r.source_of_dose_information.push(v);
            }
        } else if m.is(c, &codes::XRAY_DETECTOR_DATA_AVAILABLE) {
            let v = m.code(c);
            set(m, c, &mut r.xray_detector_data_available, v);
        } else if m.is(c, &codes::XRAY_SOURCE_DATA_AVAILABLE) {
            let v = m.code(c);
            set(m, c, &mut r.xray_source_data_available, v);
        } else if m.is(c, &codes::XRAY_MECHANICAL_DATA_AVAILABLE) {
            let v = m.code(c);
            set(m, c, &mut r.xray_mechanical_data_available, v);
        } else if m.is(c, &codes::COMMENT) {
            let v = m.text(c);
            set(m, c, &mut r.comment, v);
        } else if m.is(c, &codes::PERSON_NAME) {
            let p = m.person_participant(c);
            r.person_participants.push(p);
        } else if m.is(c, &codes::ACCUMULATED_XRAY_DOSE_DATA) {
            if container(m, c) {
                r.accumulated_planes.push(accumulated_plane(m, c));
            }
        } else if m.is(c, &codes::IRRADIATION_EVENT_XRAY_DATA) && container(m, c) {
            r.events.push(event(m, c));
        }
    }
    if r.procedure_reported.is_none() {
        m.note(
            root,
            Severity::Warning,
            DiagnosticCode::ProjectionProcedureMissing,
            "TID 10001: no Procedure reported (121058)".into(),
        );
    }
    if let Some((modality, basis)) = modality(m, root, &r) {
        r.modality_type = Some(modality);
        r.modality_basis = Some(basis);
    }
    r
}

/// Sets a single-valued field: the first value is kept; a later, different value of the same
/// row is reported.
fn set<T: PartialEq + Debug>(
    m: &mut Mapper<'_>,
    item: Item<'_>,
    slot: &mut Option<T>,
    v: Option<T>,
) {
    let Some(v) = v else { return };
    match slot {
        None => *slot = Some(v),
        Some(old) if *old == v => {}
        Some(old) => {
            let msg = format!(
                "{}: given again with another value ({v:?}); the first ({old:?}) is kept",
                concept_name(item)
            );
            m.note(
                item,
                Severity::Warning,
                DiagnosticCode::ProjectionRepeated,
                msg,
            );
        }
    }
}

fn concept_name(item: Item<'_>) -> String {
    item.concept()
        .map_or_else(|| "item".to_string(), |c| format!("{} {c}", c.meaning))
}

/// Whether `item` is a CONTAINER; reports it when not.
fn container(m: &mut Mapper<'_>, item: Item<'_>) -> bool {
    if item.value_type() == ValueType::Container {
        return true;
    }
    let msg = format!(
        "{}: expected a CONTAINER, found {}; skipped",
        concept_name(item),
        item.value_type().as_str()
    );
    m.note(
        item,
        Severity::Warning,
        DiagnosticCode::ProjectionNotContainer,
        msg,
    );
    false
}

/// A NUM row into a single-valued field.
fn num(m: &mut Mapper<'_>, item: Item<'_>, q: Quantity, slot: &mut Option<f64>) {
    let v = m.num_in(item, q, defined_unit(m, item));
    set(m, item, slot, v);
}

/// The unit the template defines for `item` when it is not the canonical unit (exposure time
/// and pulse width in ms, entrance exposure at RP in mGy): converted without a diagnostic.
fn defined_unit(m: &Mapper<'_>, item: Item<'_>) -> Option<&'static str> {
    PROJECTION_DEFINED_UNITS
        .iter()
        .find(|(code, _)| m.is(item, code))
        .map(|(_, unit)| *unit)
}

/// A CODE row into a single-valued field.
fn code(m: &mut Mapper<'_>, item: Item<'_>, slot: &mut Option<OwnedCode>) {
    let v = m.code(item);
    set(m, item, slot, v);
}

/// A Reference Point Definition (113780) row: CODE in current templates, TEXT in older ones.
fn reference_point(
    m: &mut Mapper<'_>,
    item: Item<'_>,
    coded: &mut Option<OwnedCode>,
    text: &mut Option<String>,
) {
    match item.value_type() {
        ValueType::Code => code(m, item, coded),
        ValueType::Text => {
            let v = m.text(item);
            set(m, item, text, v);
        }
        other => {
            let msg = format!(
                "{}: expected CODE or TEXT, found {}",
                concept_name(item),
                other.as_str()
            );
            m.note(
                item,
                Severity::Warning,
                DiagnosticCode::ProjectionValueType,
                msg,
            );
        }
    }
}

// ---- TID 10002 and the accumulated sub-templates ----------------------------------------

/// TID 10002 Accumulated X-Ray Dose: one plane's container (113702), with its calibrations,
/// device participants and the included TID 10004 / 10005 / 10006 / 10007 rows.
fn accumulated_plane(m: &mut Mapper<'_>, c: Item<'_>) -> AccumulatedPlane {
    let mut p = AccumulatedPlane {
        path: c.path().to_string(),
        ..AccumulatedPlane::default()
    };
    for item in c.children() {
        if m.is(item, &codes::ACQUISITION_PLANE) {
            code(m, item, &mut p.acquisition_plane);
        } else if m.is(item, &codes::CALIBRATION) {
            if container(m, item) {
                p.calibrations.push(calibration(m, item));
            }
        } else if m.is(item, &codes::DEVICE_ROLE_IN_PROCEDURE) {
            p.device_participants.push(m.device_participant(item));
        }
    }
    p.equipment_landmark = equipment_landmark(m, c);
    if p.acquisition_plane.is_none() {
        m.note(
            c,
            Severity::Warning,
            DiagnosticCode::ProjectionPlaneMissing,
            "TID 10002: no Acquisition Plane (113764)".into(),
        );
    }
    p.fluoro_and_acquisition_totals = fluoro_and_acquisition_totals(m, c);
    p.cassette_totals = cassette_totals(m, c);
    p.projection_totals = projection_totals(m, c, p.cassette_totals.is_some());
    p.mammography_totals = mammography_totals(m, c);
    p
}

/// The equipment landmark and patient fiducial rows of TID 10002 (128750-128756), read from
/// the container and from under the Equipment Landmark row; `None` when there is none.
fn equipment_landmark(m: &mut Mapper<'_>, c: Item<'_>) -> Option<EquipmentLandmark> {
    let mut l = EquipmentLandmark::default();
    let mut any = false;
    let mut rows: Vec<Item<'_>> = Vec::new();
    for item in c.children() {
        rows.push(item);
        if m.is(item, &codes::EQUIPMENT_LANDMARK) {
            rows.extend(item.children());
        }
    }
    for item in rows {
        if m.is(item, &codes::EQUIPMENT_LANDMARK) {
            code(m, item, &mut l.equipment_landmark);
        } else if m.is(item, &codes::EQUIPMENT_LANDMARK_XY_PLANE) {
            code(m, item, &mut l.equipment_landmark_xy_plane);
        } else if m.is(item, &codes::PATIENT_FIDUCIAL) {
            code(m, item, &mut l.patient_fiducial);
        } else {
            let slot = if m.is(item, &codes::EQUIPMENT_LANDMARK_Z_POSITION) {
                &mut l.equipment_landmark_z_position_mm
            } else if m.is(
                item,
                &codes::EQUIPMENT_LANDMARK_TO_PATIENT_FIDUCIAL_X_DISTANCE,
            ) {
                &mut l.equipment_landmark_to_patient_fiducial_x_distance_mm
            } else if m.is(
                item,
                &codes::EQUIPMENT_LANDMARK_TO_PATIENT_FIDUCIAL_Y_DISTANCE,
            ) {
                &mut l.equipment_landmark_to_patient_fiducial_y_distance_mm
            } else if m.is(
                item,
                &codes::EQUIPMENT_LANDMARK_TO_PATIENT_FIDUCIAL_Z_DISTANCE,
            ) {
                &mut l.equipment_landmark_to_patient_fiducial_z_distance_mm
            } else {
                continue;
            };
            num(m, item, Quantity::Millimetres, slot);
        }
        any = true;
    }
    any.then_some(l)
}

/// TID 10002 Calibration container (122505).
fn calibration(m: &mut Mapper<'_>, c: Item<'_>) -> Calibration {
    let mut k = Calibration::default();
    for item in c.children() {
        if m.is(item, &codes::DOSE_MEASUREMENT_DEVICE) {
            code(m, item, &mut k.dose_measurement_device);
        } else if m.is(item, &codes::CALIBRATION_DATE) {
            // An item without a value (Opera Swing, [OpenREM #770](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-770)) gives None and a diagnostic.
            let v = m.datetime(item);
            set(m, item, &mut k.calibration_date, v);
        } else if m.is(item, &codes::CALIBRATION_FACTOR) {
            num(m, item, Quantity::Dimensionless, &mut k.calibration_factor);
        } else if m.is(item, &codes::CALIBRATION_UNCERTAINTY) {
            num(
                m,
                item,
                Quantity::Percent,
                &mut k.calibration_uncertainty_percent,
            );
        } else if m.is(item, &codes::CALIBRATION_RESPONSIBLE_PARTY) {
            let v = m.text(item);
            set(m, item, &mut k.calibration_responsible_party, v);
        } else if m.is(item, &codes::CALIBRATION_PROTOCOL) {
            let v = m.text(item);
            set(m, item, &mut k.calibration_protocol, v);
        }
    }
    k
}

/// TID 10004 Accumulated Fluoroscopy and Acquisition Projection X-Ray Dose; `None` when the
/// container has none of its own rows.
fn fluoro_and_acquisition_totals(
    m: &mut Mapper<'_>,
    c: Item<'_>,
) -> Option<FluoroAcquisitionTotals> {
    let mut t = FluoroAcquisitionTotals::default();
    let mut any = false;
    for item in c.children() {
        let (slot, q) = if m.is(item, &codes::FLUORO_DOSE_AREA_PRODUCT_TOTAL) {
            (
                &mut t.fluoro_dose_area_product_total_gy_m2,
                Quantity::DoseAreaProduct,
            )
        } else if m.is(item, &codes::FLUORO_DOSE_RP_TOTAL) {
            (&mut t.fluoro_dose_rp_total_gy, Quantity::DoseGy)
        } else if m.is(item, &codes::TOTAL_FLUORO_TIME) {
            (&mut t.total_fluoro_time_s, Quantity::Seconds)
        } else if m.is(item, &codes::ACQUISITION_DOSE_AREA_PRODUCT_TOTAL) {
            (
                &mut t.acquisition_dose_area_product_total_gy_m2,
                Quantity::DoseAreaProduct,
            )
        } else if m.is(item, &codes::ACQUISITION_DOSE_RP_TOTAL) {
            (&mut t.acquisition_dose_rp_total_gy, Quantity::DoseGy)
        } else if m.is(item, &codes::TOTAL_ACQUISITION_TIME) {
            (&mut t.total_acquisition_time_s, Quantity::Seconds)
        } else {
            continue;
        };
        any = true;
        num(m, item, q, slot);
    }
    any.then_some(t)
}

/// TID 10007 Accumulated Total Projection Radiography Dose (rows TID 10004 carries too);
/// `None` when none of its rows is present. The frame count belongs to TID 10006 when the
/// plane is cassette-based.
fn projection_totals(m: &mut Mapper<'_>, c: Item<'_>, cassette: bool) -> Option<ProjectionTotals> {
    let mut t = ProjectionTotals::default();
    let mut any = false;
    for item in c.children() {
        if m.is(item, &codes::DOSE_AREA_PRODUCT_TOTAL) {
            num(
                m,
                item,
                Quantity::DoseAreaProduct,
                &mut t.dose_area_product_total_gy_m2,
            );
        } else if m.is(item, &codes::DOSE_RP_TOTAL) {
            num(m, item, Quantity::DoseGy, &mut t.dose_rp_total_gy);
        } else if m.is(item, &codes::TOTAL_NUMBER_OF_RADIOGRAPHIC_FRAMES) && !cassette {
            num(
                m,
                item,
                Quantity::Dimensionless,
                &mut t.total_number_of_radiographic_frames,
            );
        } else if m.is(item, &codes::REFERENCE_POINT_DEFINITION) {
            reference_point(
                m,
                item,
                &mut t.reference_point_definition,
                &mut t.reference_point_definition_text,
            );
        } else if m.is(item, &codes::DISTANCE_SOURCE_TO_REFERENCE_POINT) {
            num(
                m,
                item,
                Quantity::Millimetres,
                &mut t.distance_source_to_reference_point_mm,
            );
        } else {
            continue;
        }
        any = true;
    }
    any.then_some(t)
}

/// TID 10006 Accumulated Cassette-based Projection Radiography Dose; `None` without a
/// Detector Type.
fn cassette_totals(m: &mut Mapper<'_>, c: Item<'_>) -> Option<CassetteTotals> {
    let mut t = CassetteTotals::default();
    let mut any = false;
    for item in c.children() {
        if m.is(item, &codes::DETECTOR_TYPE) {
            any = true;
            code(m, item, &mut t.detector_type);
        }
    }
    if !any {
        return None;
    }
    for item in c.children() {
        if m.is(item, &codes::TOTAL_NUMBER_OF_RADIOGRAPHIC_FRAMES) {
            num(
                m,
                item,
                Quantity::Dimensionless,
                &mut t.total_number_of_radiographic_frames,
            );
        }
    }
    Some(t)
}

/// TID 10005 Accumulated Mammography X-Ray Dose: one record per Accumulated Average
/// Glandular Dose (111637), with its Laterality.
fn mammography_totals(m: &mut Mapper<'_>, c: Item<'_>) -> Vec<MammographyTotal> {
    let mut out = Vec::new();
    for item in c.children() {
        if !m.is(item, &codes::ACCUMULATED_AVERAGE_GLANDULAR_DOSE) {
            continue;
        }
        let laterality = match m.child(item, &codes::LATERALITY) {
            Some(l) => m.code(l),
            None => {
                m.note(
                    item,
                    Severity::Warning,
                    DiagnosticCode::ProjectionAgdLateralityMissing,
                    "TID 10005: Accumulated Average Glandular Dose without Laterality".into(),
                );
                None
            }
        };
        out.push(MammographyTotal {
            accumulated_average_glandular_dose_mgy: m.num(item, Quantity::DoseMilliGy),
            laterality,
        });
    }
    out
}

// ---- TID 10003 and its sub-templates ------------------------------------------------------

/// TID 10003 Irradiation Event X-Ray Data: one event container (113706), with the included
/// TID 10003a / 10003b / 10003c rows and the device and person participants.
fn event(m: &mut Mapper<'_>, c: Item<'_>) -> ProjectionEvent {
    let mut e = ProjectionEvent {
        path: c.path().to_string(),
        ..ProjectionEvent::default()
    };
    let mut laterality_anatomy: Option<(Item<'_>, Option<OwnedCode>)> = None;
    let mut laterality_target: Option<(Item<'_>, Option<OwnedCode>)> = None;
    let mut composition_items: Vec<Item<'_>> = Vec::new();
    for item in c.children() {
        if m.is(item, &codes::ACQUISITION_PLANE) {
            code(m, item, &mut e.acquisition_plane);
        } else if m.is(item, &codes::IRRADIATION_EVENT_UID) {
            let v = m.uid(item);
            set(m, item, &mut e.irradiation_event_uid, v);
        } else if m.is(item, &codes::IRRADIATION_EVENT_LABEL) {
            let v = m.text(item);
            set(m, item, &mut e.irradiation_event_label, v);
            if let Some(t) = m.child(item, &codes::LABEL_TYPE) {
                code(m, t, &mut e.irradiation_event_label_type);
            }
        } else if m.is(item, &codes::DATETIME_STARTED) {
            let v = m.datetime(item);
            set(m, item, &mut e.date_time_started, v);
        } else if m.is(item, &codes::IRRADIATION_EVENT_TYPE) {
            code(m, item, &mut e.irradiation_event_type);
        } else if m.is(item, &codes::ACQUISITION_PROTOCOL) {
            let v = m.text(item);
            if v.is_none() {
                m.note(
                    item,
                    Severity::Info,
                    DiagnosticCode::ProjectionProtocolEmpty,
                    "Acquisition Protocol without text (OpenREM #612)".into(),
                );
            }
            set(m, item, &mut e.acquisition_protocol, v);
        } else if m.is(item, &codes::ANATOMICAL_STRUCTURE) {
            code(m, item, &mut e.anatomical_structure);
            if let Some(l) = m.child(item, &codes::LATERALITY) {
                laterality_anatomy = Some((l, m.code(l)));
            }
        } else if m.is(item, &codes::IMAGE_VIEW) {
            code(m, item, &mut e.image_view);
            for k in item.children() {
                if m.is(k, &codes::IMAGE_VIEW_MODIFIER) {
                    if let Some(v) = m.code(k) {
                        e.image_view_modifiers.push(v);
                    }
                } else if m.is(k, &codes::PROJECTION_EPONYMOUS_NAME) {
                    code(m, k, &mut e.projection_eponymous_name);
                }
            }
        } else if m.is(item, &codes::PATIENT_TABLE_RELATIONSHIP) {
            code(m, item, &mut e.patient_table_relationship);
        } else if m.is(item, &codes::PATIENT_ORIENTATION) {
            code(m, item, &mut e.patient_orientation);
            if let Some(k) = m.child(item, &codes::PATIENT_ORIENTATION_MODIFIER) {
                code(m, k, &mut e.patient_orientation_modifier);
            }
        } else if m.is(item, &codes::PATIENT_ORIENTATION_MODIFIER) {
            m.note(
                item,
                Severity::Info,
                DiagnosticCode::ProjectionOrientationModifierSibling,
                "Patient Orientation Modifier given beside Patient Orientation, not under it"
                    .into(),
            );
            code(m, item, &mut e.patient_orientation_modifier);
        } else if m.is(item, &codes::TARGET_REGION) {
            code(m, item, &mut e.target_region);
            if let Some(l) = m.child(item, &codes::LATERALITY) {
                laterality_target = Some((l, m.code(l)));
            }
        } else if m.is(item, &codes::DOSE_AREA_PRODUCT) {
            num(
                m,
                item,
                Quantity::DoseAreaProduct,
                &mut e.dose_area_product_gy_m2,
            );
        } else if m.is(item, &codes::HALF_VALUE_LAYER) {
            num(m, item, Quantity::Millimetres, &mut e.half_value_layer_mm);
        } else if m.is(item, &codes::ENTRANCE_EXPOSURE_AT_RP) {
            num(m, item, Quantity::DoseGy, &mut e.entrance_exposure_at_rp_gy);
        } else if m.is(item, &codes::REFERENCE_POINT_DEFINITION) {
            reference_point(
                m,
                item,
                &mut e.reference_point_definition,
                &mut e.reference_point_definition_text,
            );
        } else if m.is(item, &codes::PATIENT_EQUIVALENT_THICKNESS) {
            num(
                m,
                item,
                Quantity::Millimetres,
                &mut e.patient_equivalent_thickness_mm,
            );
        } else if m.is(item, &codes::COMMENT) {
            let v = m.text(item);
            set(m, item, &mut e.comment, v);
        } else if m.is(item, &codes::ACQUIRED_IMAGE) {
            acquired_image(m, item, &mut e.acquired_images);
        } else if m.is(item, &codes::PERSON_NAME) {
            e.person_participants.push(m.person_participant(item));
        } else if m.is(item, &codes::DEVICE_ROLE_IN_PROCEDURE) {
            e.device_participants.push(m.device_participant(item));
        } else if m.is(item, &codes::BREAST_COMPOSITION)
            || m.is(item, &codes::PERCENT_FIBROGLANDULAR_TISSUE)
        {
            composition_items.push(item);
        } else if item.value_type() == ValueType::Container && !m.is(item, &codes::XRAY_FILTERS) {
            // The Mammography CAD Breast Composition content (TID 4007) may come wrapped in
            // a container; its rows are found by their codes one level down ([OpenREM B7](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b7)).
            composition_items.extend(item.children().filter(|k| {
                m.is(*k, &codes::BREAST_COMPOSITION)
                    || m.is(*k, &codes::PERCENT_FIBROGLANDULAR_TISSUE)
            }));
        }
    }
    for item in composition_items {
        if m.is(item, &codes::BREAST_COMPOSITION) {
            code(m, item, &mut e.breast_composition);
        } else {
            num(
                m,
                item,
                Quantity::Percent,
                &mut e.fibroglandular_tissue_percent,
            );
        }
    }
    // The pre-CP-1676 location is read only when the quirk table says so ([OpenREM #784](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-784)).
    let anatomy = laterality_anatomy.filter(|_| m.hints.pre_cp1676_laterality);
    e.laterality = laterality(m, laterality_target, anatomy);
    e.detector = detector(m, c);
    e.mechanical = mechanical(m, c);
    e.source = source(m, c);
    e
}

/// The event's laterality ([OpenREM #784](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-784)): CP-1676 moved it from under Anatomical structure to under
/// Target Region. Target Region's wins when both are given and differ.
fn laterality(
    m: &mut Mapper<'_>,
    target: Option<(Item<'_>, Option<OwnedCode>)>,
    anatomy: Option<(Item<'_>, Option<OwnedCode>)>,
) -> Option<OwnedCode> {
    match (target, anatomy) {
        (Some((item, Some(t))), Some((_, Some(a)))) => {
            if !same_code(&t, &a) {
                let msg = format!(
                    "Laterality {t} under Target Region differs from {a} under Anatomical \
                     structure; Target Region's is kept"
                );
                m.note(
                    item,
                    Severity::Warning,
                    DiagnosticCode::ProjectionLateralityConflict,
                    msg,
                );
            }
            Some(t)
        }
        (Some((_, Some(t))), _) => Some(t),
        (_, Some((_, a))) => a,
        (Some((_, None)), None) | (None, None) => None,
    }
}

fn same_code(a: &OwnedCode, b: &OwnedCode) -> bool {
    match crate::sr::codes::lookup(&a.value, &a.scheme) {
        Some(k) => b.is(k),
        None => a.value == b.value && crate::sr::codes::scheme_is(&a.scheme, &b.scheme),
    }
}

/// An Acquired Image (113795) reference: its SOP Instance UID.
fn acquired_image(m: &mut Mapper<'_>, item: Item<'_>, out: &mut Vec<String>) {
    let uid = match item.value() {
        Value::Image(r) | Value::Composite(r) => r.sop_instance_uid,
        _ => None,
    };
    match uid.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => out.push(u.to_string()),
        None => m.note(
            item,
            Severity::Info,
            DiagnosticCode::ProjectionImageReferenceEmpty,
            "Acquired Image without a Referenced SOP Instance UID".into(),
        ),
    }
}

/// TID 10003a Irradiation Event X-Ray Detector Data.
fn detector(m: &mut Mapper<'_>, c: Item<'_>) -> Detector {
    let mut d = Detector::default();
    for item in c.children() {
        let slot = if m.is(item, &codes::EXPOSURE_INDEX) {
            &mut d.exposure_index
        } else if m.is(item, &codes::TARGET_EXPOSURE_INDEX) {
            &mut d.target_exposure_index
        } else if m.is(item, &codes::DEVIATION_INDEX) {
            &mut d.deviation_index
        } else {
            continue;
        };
        num(m, item, Quantity::Dimensionless, slot);
    }
    d
}

/// TID 10003c Irradiation Event X-Ray Mechanical Data, with the CID 10008 distances.
fn mechanical(m: &mut Mapper<'_>, c: Item<'_>) -> Mechanical {
    let mut k = Mechanical::default();
    for item in c.children() {
        if m.is(item, &codes::CR_DR_MECHANICAL_CONFIGURATION) {
            code(m, item, &mut k.crdr_mechanical_configuration);
            continue;
        }
        let (slot, q) = if m.is(item, &codes::POSITIONER_PRIMARY_ANGLE) {
            (&mut k.positioner_primary_angle_deg, Quantity::Degrees)
        } else if m.is(item, &codes::POSITIONER_SECONDARY_ANGLE) {
            (&mut k.positioner_secondary_angle_deg, Quantity::Degrees)
        } else if m.is(item, &codes::POSITIONER_PRIMARY_END_ANGLE) {
            (&mut k.positioner_primary_end_angle_deg, Quantity::Degrees)
        } else if m.is(item, &codes::POSITIONER_SECONDARY_END_ANGLE) {
            (&mut k.positioner_secondary_end_angle_deg, Quantity::Degrees)
        } else if m.is(item, &codes::COLUMN_ANGULATION) {
            (&mut k.column_angulation_deg, Quantity::Degrees)
        } else if m.is(item, &codes::TABLE_HEAD_TILT_ANGLE) {
            (&mut k.table_head_tilt_angle_deg, Quantity::Degrees)
        } else if m.is(item, &codes::TABLE_HORIZONTAL_ROTATION_ANGLE) {
            (
                &mut k.table_horizontal_rotation_angle_deg,
                Quantity::Degrees,
            )
        } else if m.is(item, &codes::TABLE_CRADLE_TILT_ANGLE) {
            (&mut k.table_cradle_tilt_angle_deg, Quantity::Degrees)
        } else if m.is(item, &codes::COMPRESSION_THICKNESS) {
            (&mut k.compression_thickness_mm, Quantity::Millimetres)
        } else if m.is(item, &codes::COMPRESSION_FORCE) {
            (&mut k.compression_force_n, Quantity::Newtons)
        } else if m.is(item, &codes::COMPRESSION_PRESSURE) {
            (&mut k.compression_pressure_kpa, Quantity::Kilopascals)
        } else if m.is(item, &codes::COMPRESSION_CONTACT_AREA) {
            (&mut k.compression_contact_area_m2, Quantity::SquareMetres)
        } else if let Some(slot) = isocenter_angle(m, item, &mut k) {
            (slot, Quantity::Degrees)
        } else if let Some(slot) = distance(m, item, &mut k.distances) {
            (slot, Quantity::Millimetres)
        } else {
            continue;
        };
        // An empty Measured Value Sequence (GE surgical angles, [OpenREM #739](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-739)) gives None silently:
        // the qualifier says why there is no value.
        num(m, item, q, slot);
    }
    k
}

/// The TID 10003c field an item fills, if it is an isocenter positioner angle or a table
/// end angle (128757-128765).
fn isocenter_angle<'a>(
    m: &Mapper<'_>,
    item: Item<'_>,
    k: &'a mut Mechanical,
) -> Option<&'a mut Option<f64>> {
    Some(if m.is(item, &codes::POSITIONER_ISOCENTER_PRIMARY_ANGLE) {
        &mut k.positioner_isocenter_primary_angle_deg
    } else if m.is(item, &codes::POSITIONER_ISOCENTER_SECONDARY_ANGLE) {
        &mut k.positioner_isocenter_secondary_angle_deg
    } else if m.is(item, &codes::POSITIONER_ISOCENTER_DETECTOR_ROTATION_ANGLE) {
        &mut k.positioner_isocenter_detector_rotation_angle_deg
    } else if m.is(item, &codes::POSITIONER_ISOCENTER_PRIMARY_END_ANGLE) {
        &mut k.positioner_isocenter_primary_end_angle_deg
    } else if m.is(item, &codes::POSITIONER_ISOCENTER_SECONDARY_END_ANGLE) {
        &mut k.positioner_isocenter_secondary_end_angle_deg
    } else if m.is(
        item,
        &codes::POSITIONER_ISOCENTER_DETECTOR_ROTATION_END_ANGLE,
    ) {
        &mut k.positioner_isocenter_detector_rotation_end_angle_deg
    } else if m.is(item, &codes::TABLE_HEAD_TILT_END_ANGLE) {
        &mut k.table_head_tilt_end_angle_deg
    } else if m.is(item, &codes::TABLE_HORIZONTAL_ROTATION_END_ANGLE) {
        &mut k.table_horizontal_rotation_end_angle_deg
    } else if m.is(item, &codes::TABLE_CRADLE_TILT_END_ANGLE) {
        &mut k.table_cradle_tilt_end_angle_deg
    } else {
        return None;
    })
}

/// The CID 10008 field an item fills, if it is a distance or table position.
fn distance<'a>(
    m: &Mapper<'_>,
    item: Item<'_>,
    d: &'a mut Distances,
) -> Option<&'a mut Option<f64>> {
    Some(if m.is(item, &codes::DISTANCE_SOURCE_TO_ISOCENTER) {
        &mut d.distance_source_to_isocenter_mm
    } else if m.is(item, &codes::DISTANCE_SOURCE_TO_REFERENCE_POINT) {
        &mut d.distance_source_to_reference_point_mm
    } else if m.is(item, &codes::DISTANCE_SOURCE_TO_DETECTOR) {
        &mut d.distance_source_to_detector_mm
    } else if m.is(item, &codes::DISTANCE_SOURCE_TO_TABLE_PLANE) {
        &mut d.distance_source_to_table_plane_mm
    } else if m.is(item, &codes::TABLE_LONGITUDINAL_POSITION) {
        &mut d.table_longitudinal_position_mm
    } else if m.is(item, &codes::TABLE_LATERAL_POSITION) {
        &mut d.table_lateral_position_mm
    } else if m.is(item, &codes::TABLE_HEIGHT_POSITION) {
        &mut d.table_height_position_mm
    } else if m.is(item, &codes::TABLE_LONGITUDINAL_END_POSITION) {
        &mut d.table_longitudinal_end_position_mm
    } else if m.is(item, &codes::TABLE_LATERAL_END_POSITION) {
        &mut d.table_lateral_end_position_mm
    } else if m.is(item, &codes::TABLE_HEIGHT_END_POSITION) {
        &mut d.table_height_end_position_mm
    } else if m.is(item, &codes::TABLE_X_POSITION_TO_ISOCENTER) {
        &mut d.table_x_position_to_isocenter_mm
    } else if m.is(item, &codes::TABLE_Y_POSITION_TO_ISOCENTER) {
        &mut d.table_y_position_to_isocenter_mm
    } else if m.is(item, &codes::TABLE_Z_POSITION_TO_ISOCENTER) {
        &mut d.table_z_position_to_isocenter_mm
    } else if m.is(item, &codes::TABLE_X_END_POSITION_TO_ISOCENTER) {
        &mut d.table_x_end_position_to_isocenter_mm
    } else if m.is(item, &codes::TABLE_Y_END_POSITION_TO_ISOCENTER) {
        &mut d.table_y_end_position_to_isocenter_mm
    } else if m.is(item, &codes::TABLE_Z_END_POSITION_TO_ISOCENTER) {
        &mut d.table_z_end_position_to_isocenter_mm
    } else {
        return None;
    })
}

/// TID 10003b Irradiation Event X-Ray Source Data, with the X-Ray Filters containers (the
/// derived values are computed after the quirk repairs, in [`super::derived`]).
fn source(m: &mut Mapper<'_>, c: Item<'_>) -> Source {
    let mut s = Source::default();
    for item in c.children() {
        if m.is(item, &codes::FLUORO_MODE) {
            code(m, item, &mut s.fluoro_mode);
        } else if m.is(item, &codes::ANODE_TARGET_MATERIAL) {
            code(m, item, &mut s.anode_target_material);
        } else if m.is(item, &codes::XRAY_GRID) {
            if let Some(v) = m.code(item) {
                s.grids.push(v);
            }
        } else if m.is(item, &codes::XRAY_FILTERS) {
            if container(m, item) {
                s.filters.push(filter(m, item));
            }
        } else if let Some((list, q)) = per_pulse(m, item, &mut s) {
            if !list.is_empty() {
                let msg = format!("{}: given again; values appended", concept_name(item));
                m.note(
                    item,
                    Severity::Warning,
                    DiagnosticCode::ProjectionRepeated,
                    msg,
                );
            }
            let values = m.nums_in(item, q, defined_unit(m, item));
            list.extend(values);
        } else {
            if m.is(item, &codes::NUMBER_OF_PULSES) {
                if let Some(d) = m.child(item, &codes::DERIVATION) {
                    code(m, d, &mut s.number_of_pulses_derivation);
                }
            }
            let (slot, q) = if m.is(item, &codes::DOSE_RP) {
                (&mut s.dose_rp_gy, Quantity::DoseGy)
            } else if m.is(item, &codes::AVERAGE_GLANDULAR_DOSE) {
                (&mut s.average_glandular_dose_mgy, Quantity::DoseMilliGy)
            } else if m.is(item, &codes::PULSE_RATE) {
                (&mut s.pulse_rate_per_s, Quantity::PerSecond)
            } else if m.is(item, &codes::NUMBER_OF_PULSES) {
                (&mut s.number_of_pulses, Quantity::Dimensionless)
            } else if m.is(item, &codes::IRRADIATION_DURATION) {
                (&mut s.irradiation_duration_s, Quantity::Seconds)
            } else if m.is(item, &codes::AVERAGE_XRAY_TUBE_CURRENT) {
                (&mut s.average_xray_tube_current_ma, Quantity::Milliamperes)
            } else if m.is(item, &codes::EXPOSURE_TIME) || m.is(item, &codes::EXPOSURE_TIME_LEGACY)
            {
                (&mut s.exposure_time_s, Quantity::Seconds)
            } else if m.is(item, &codes::FOCAL_SPOT_SIZE) {
                (&mut s.focal_spot_size_mm, Quantity::Millimetres)
            } else if m.is(item, &codes::COLLIMATED_FIELD_AREA) {
                (&mut s.collimated_field_area_m2, Quantity::SquareMetres)
            } else if m.is(item, &codes::COLLIMATED_FIELD_HEIGHT) {
                (&mut s.collimated_field_height_mm, Quantity::Millimetres)
            } else if m.is(item, &codes::COLLIMATED_FIELD_WIDTH) {
                (&mut s.collimated_field_width_mm, Quantity::Millimetres)
            } else {
                continue;
            };
            num(m, item, q, slot);
        }
    }
    s
}

/// The per-pulse list an item fills (KVP, X-Ray Tube Current, Pulse Width, Exposure), with
/// its quantity.
fn per_pulse<'a>(
    m: &Mapper<'_>,
    item: Item<'_>,
    s: &'a mut Source,
) -> Option<(&'a mut Vec<f64>, Quantity)> {
    Some(if m.is(item, &codes::KVP) {
        (&mut s.kvp_kv, Quantity::Kilovolts)
    } else if m.is(item, &codes::XRAY_TUBE_CURRENT) {
        (&mut s.xray_tube_current_ma, Quantity::Milliamperes)
    } else if m.is(item, &codes::PULSE_WIDTH) {
        (&mut s.pulse_width_s, Quantity::Seconds)
    } else if m.is(item, &codes::EXPOSURE) {
        (&mut s.exposure_uas, Quantity::MicroampereSeconds)
    } else {
        return None;
    })
}

/// One X-Ray Filters container (113771) of TID 10003b.
fn filter(m: &mut Mapper<'_>, c: Item<'_>) -> Filter {
    let mut f = Filter::default();
    for item in c.children() {
        if m.is(item, &codes::XRAY_FILTER_TYPE) {
            code(m, item, &mut f.xray_filter_type);
        } else if m.is(item, &codes::XRAY_FILTER_MATERIAL) {
            code(m, item, &mut f.xray_filter_material);
        } else if m.is(item, &codes::XRAY_FILTER_THICKNESS_MINIMUM) {
            num(
                m,
                item,
                Quantity::Millimetres,
                &mut f.xray_filter_thickness_minimum_mm,
            );
        } else if m.is(item, &codes::XRAY_FILTER_THICKNESS_MAXIMUM) {
            num(
                m,
                item,
                Quantity::Millimetres,
                &mut f.xray_filter_thickness_maximum_mm,
            );
        }
    }
    if let (Some(min), Some(max)) = (
        f.xray_filter_thickness_minimum_mm,
        f.xray_filter_thickness_maximum_mm,
    ) {
        if max < min {
            m.note(
                c,
                Severity::Warning,
                DiagnosticCode::ProjectionFilterThicknessOrder,
                format!("X-Ray Filters: maximum thickness {max} mm below minimum {min} mm"),
            );
        }
    }
    f
}

// ---- Modality -----------------------------------------------------------------------------

/// The modality (PS3.16 TID 10001, without OpenREM [B12](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b12) / [B17](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b17)), by the first rule that decides:
///
/// 1. Procedure reported Mammography (with its SNOMED CT / UMLS codes) gives MG; an
///    Acquisition Device Type never overrides it.
/// 2. Equipment a quirk marks as fluoroscopy equipment (`hints.fluoroscopy_equipment`,
///    Philips Azurion, [OpenREM #673](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-673)) gives RF.
/// 3. Acquisition Device Type: fluoroscopy-guided gives RF, integrated or cassette-based DX
///    (with a warning when the accumulated fluoro totals contradict it).
/// 4. Fluoroscopy evidence: non-zero fluoro DAP or fluoro time in any plane's TID 10004, or
///    an event of type Fluoroscopy, gives RF; accumulated totals without it (TID 10004 with
///    zero fluoro values, or TID 10007 / 10006 only) give DX. This resolves dual units such
///    as the Siemens Fluorospot Compact ([OpenREM #580](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-580)) instead of leaving `RF,DX` ([OpenREM B12](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b12)).
/// 5. Otherwise `None`, with a warning.
fn modality(
    m: &mut Mapper<'_>,
    root: Item<'_>,
    r: &ProjectionReport,
) -> Option<(ProjectionModality, ModalityBasis)> {
    use ModalityBasis as B;
    use ProjectionModality::{Fluoroscopy, Mammography, Radiography};

    if r.procedure_reported
        .as_ref()
        .is_some_and(|p| p.is(&codes::MAMMOGRAPHY))
    {
        return Some((Mammography, B::ProcedureReported));
    }
    if m.hints.fluoroscopy_equipment {
        return Some((Fluoroscopy, B::EquipmentHint));
    }
    let fluoro_totals = r.accumulated_planes.iter().any(|p| {
        p.fluoro_and_acquisition_totals.as_ref().is_some_and(|t| {
            [
                t.fluoro_dose_area_product_total_gy_m2,
                t.total_fluoro_time_s,
            ]
            .into_iter()
            .flatten()
            .any(|v| v != 0.0)
        })
    });
    let fluoro_events = r.events.iter().any(|e| {
        e.irradiation_event_type
            .as_ref()
            .is_some_and(|t| t.is(&codes::FLUOROSCOPY))
    });
    if let Some(device) = &r.acquisition_device_type {
        let by_device = if device.is(&codes::FLUOROSCOPY_GUIDED_PROJECTION_RADIOGRAPHY_SYSTEM) {
            Some(Fluoroscopy)
        } else if device.is(&codes::INTEGRATED_PROJECTION_RADIOGRAPHY_SYSTEM)
            || device.is(&codes::CASSETTE_BASED_PROJECTION_RADIOGRAPHY_SYSTEM)
        {
            Some(Radiography)
        } else {
            m.note(
                root,
                Severity::Warning,
                DiagnosticCode::ProjectionDeviceTypeUnknown,
                format!("Acquisition Device Type {device} is not a CID 10032 value; ignored for the modality"),
            );
            None
        };
        if let Some(modality) = by_device {
            if modality == Radiography && fluoro_totals {
                m.note(
                    root,
                    Severity::Warning,
                    DiagnosticCode::ProjectionDeviceTypeContradicted,
                    format!(
                        "Acquisition Device Type {device} says radiography, but the accumulated \
                         fluoro totals are non-zero (OpenREM #673: a quirk may mark the \
                         equipment as fluoroscopy equipment)"
                    ),
                );
            }
            return Some((modality, B::AcquisitionDeviceType));
        }
    }
    if fluoro_totals {
        return Some((Fluoroscopy, B::AccumulatedTotals));
    }
    if fluoro_events {
        return Some((Fluoroscopy, B::FluoroscopyEvents));
    }
    let totals = r.accumulated_planes.iter().any(|p| {
        p.fluoro_and_acquisition_totals.is_some()
            || p.projection_totals.is_some()
            || p.cassette_totals.is_some()
    });
    if totals {
        return Some((Radiography, B::AccumulatedTotals));
    }
    m.note(
        root,
        Severity::Warning,
        DiagnosticCode::ProjectionModalityUndetermined,
        "modality undetermined: not mammography, no Acquisition Device Type, no accumulated \
         totals and no fluoroscopy event"
            .into(),
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Diagnostic;
    use crate::Options;
    use crate::model::Summary;
    use crate::template::Hints;
    use rdsr_builder::{Code, Item, Relationship, ReportBuilder};

    use Relationship::{Contains, HasConceptMod, HasProperties};

    fn dcm(value: &str, meaning: &str) -> Code {
        Code::new(value, "DCM", meaning)
    }

    fn srt(value: &str, meaning: &str) -> Code {
        Code::new(value, "SRT", meaning)
    }

    fn num(concept: Code, value: &str, unit: &str) -> Item {
        Item::num(Contains, concept, value, Code::new(unit, "UCUM", unit))
    }

    fn procedure(value: Code) -> Item {
        Item::code(HasConceptMod, dcm("121058", "Procedure reported"), value)
    }

    fn projection_xray() -> Item {
        procedure(dcm("113704", "Projection X-Ray"))
    }

    fn device_type(value: Code) -> Item {
        Item::code(Contains, dcm("122142", "Acquisition Device Type"), value)
    }

    fn plane_code(code: &str, meaning: &str) -> Item {
        Item::code(
            HasConceptMod,
            dcm("113764", "Acquisition Plane"),
            dcm(code, meaning),
        )
    }

    fn accumulated(children: Vec<Item>) -> Item {
        Item::container(
            Contains,
            dcm("113702", "Accumulated X-Ray Dose Data"),
            children,
        )
    }

    fn event(children: Vec<Item>) -> Item {
        Item::container(
            Contains,
            dcm("113706", "Irradiation Event X-Ray Data"),
            children,
        )
    }

    fn laterality(value: Code) -> Item {
        Item::code(HasConceptMod, srt("G-C171", "Laterality"), value)
    }

    fn fluoroscopy_event() -> Item {
        Item::code(
            Contains,
            dcm("113721", "Irradiation Event Type"),
            srt("P5-06000", "Fluoroscopy"),
        )
    }

    /// Maps a TID 10001 report with the given root content and hints (no quirk table).
    fn map_with(content: Vec<Item>, hints: Hints) -> (ProjectionReport, Vec<Diagnostic>) {
        let bytes = ReportBuilder::xray_dose_report()
            .seed("projection-unit-test")
            .content(content)
            .to_bytes()
            .expect("the builder writes the report");
        let options = Options::default();
        let doc = options.read_document(&bytes).expect("the report reads");
        let mut m = Mapper::new(&doc, hints);
        let mut r = map(&mut m, doc.root());
        // As the pipeline does after the quirk repairs.
        super::super::derived::projection(&mut r);
        (r, m.diagnostics)
    }

    fn map_content(content: Vec<Item>) -> (ProjectionReport, Vec<Diagnostic>) {
        map_with(content, Hints::default())
    }

    fn has(diagnostics: &[Diagnostic], code: DiagnosticCode) -> bool {
        diagnostics.iter().any(|d| d.code == code)
    }

    /// Hints as the CP-1676 quirk (`pre-cp-1676-laterality`) sets them.
    fn pre_cp1676() -> Hints {
        Hints {
            pre_cp1676_laterality: true,
            ..Hints::default()
        }
    }

    #[test]
    fn openrem_784_laterality_under_target_region_wins() {
        let (r, d) = map_with(
            vec![
                projection_xray(),
                event(vec![
                    Item::code(
                        Contains,
                        srt("T-D0005", "Anatomical structure"),
                        srt("T-D9200", "Knee"),
                    )
                    .with_child(laterality(srt("G-A100", "Right"))),
                    Item::code(
                        Contains,
                        dcm("123014", "Target Region"),
                        srt("T-D9200", "Knee"),
                    )
                    .with_child(laterality(srt("G-A101", "Left"))),
                ]),
            ],
            pre_cp1676(),
        );
        let e = &r.events[0];
        assert_eq!(
            e.laterality.as_ref().map(|l| l.value.as_str()),
            Some("G-A101")
        );
        assert!(
            has(&d, DiagnosticCode::ProjectionLateralityConflict),
            "{d:#?}"
        );
    }

    #[test]
    fn openrem_784_laterality_under_anatomical_structure_is_read() {
        // The pre-CP-1676 form (Hologic): laterality only under Anatomical structure, read
        // when the quirk table says so; without it (strict) the laterality stays empty.
        let content = vec![
            procedure(srt("P5-40010", "Mammography")),
            event(vec![
                Item::code(
                    Contains,
                    srt("T-D0005", "Anatomical structure"),
                    srt("T-04000", "Breast"),
                )
                .with_child(laterality(srt("G-A101", "Left"))),
                Item::code(
                    Contains,
                    dcm("123014", "Target Region"),
                    srt("T-04000", "Breast"),
                ),
            ]),
        ];
        let (r, d) = map_with(content.clone(), pre_cp1676());
        let e = &r.events[0];
        assert_eq!(
            e.laterality.as_ref().map(|l| l.meaning.as_str()),
            Some("Left")
        );
        assert!(!has(&d, DiagnosticCode::ProjectionLateralityConflict));
        let (r, _) = map_content(content);
        assert_eq!(r.events[0].laterality, None);
    }

    #[test]
    fn openrem_739_positioner_angle_without_value_is_none() {
        let (r, d) = map_content(vec![
            projection_xray(),
            event(vec![
                fluoroscopy_event(),
                Item::num_empty(Contains, dcm("112011", "Positioner Primary Angle"))
                    .with_qualifier(dcm("114010", "Value unknown")),
                num(dcm("112012", "Positioner Secondary Angle"), "-0.1", "deg"),
            ]),
        ]);
        let k = &r.events[0].mechanical;
        assert_eq!(k.positioner_primary_angle_deg, None);
        assert_eq!(k.positioner_secondary_angle_deg, Some(-0.1));
        assert!(
            !d.iter().any(|d| d.severity >= Severity::Warning),
            "an empty value with a qualifier is legal: {d:#?}"
        );
    }

    #[test]
    fn b16_plane_a_by_code_not_order() {
        let totals = |dap: &str| num(dcm("113722", "Dose Area Product Total"), dap, "Gy.m2");
        let (r, _) = map_content(vec![
            projection_xray(),
            device_type(dcm(
                "113957",
                "Fluoroscopy-Guided Projection Radiography System",
            )),
            accumulated(vec![plane_code("113621", "Plane B"), totals("0.0002")]),
            accumulated(vec![plane_code("113620", "Plane A"), totals("0.0005")]),
            event(vec![plane_code("113621", "Plane B")]),
            event(vec![plane_code("113620", "Plane A")]),
            event(vec![plane_code("113620", "Plane A")]),
        ]);
        let mut s = Summary::default();
        r.summarise(&mut s);
        assert_eq!(s.total_dap_a_gy_m2, Some(0.0005));
        assert_eq!(s.total_dap_b_gy_m2, Some(0.0002));
        assert_eq!(s.total_dap_gy_m2, Some(0.0007));
        assert_eq!(s.number_of_planes, Some(2));
        assert_eq!(s.number_of_events, 3);
        assert_eq!(s.number_of_events_a, Some(2));
        assert_eq!(s.number_of_events_b, Some(1));
    }

    fn dual_unit(fluoro_dap: &str, fluoro_time: &str) -> Vec<Item> {
        vec![
            projection_xray(),
            accumulated(vec![
                plane_code("113622", "Single Plane"),
                num(
                    dcm("113726", "Fluoro Dose Area Product Total"),
                    fluoro_dap,
                    "Gy.m2",
                ),
                num(dcm("113730", "Total Fluoro Time"), fluoro_time, "s"),
                num(
                    dcm("113727", "Acquisition Dose Area Product Total"),
                    "0.0000024",
                    "Gy.m2",
                ),
            ]),
            event(vec![Item::code(
                Contains,
                dcm("113721", "Irradiation Event Type"),
                dcm("113611", "Stationary Acquisition"),
            )]),
        ]
    }

    #[test]
    fn b12_dual_unit_resolved_from_fluoro_totals() {
        let (dx, _) = map_content(dual_unit("0", "0"));
        assert_eq!(dx.modality_type, Some(ProjectionModality::Radiography));
        assert_eq!(dx.modality_basis, Some(ModalityBasis::AccumulatedTotals));
        let (rf, _) = map_content(dual_unit("0.0000004", "4"));
        assert_eq!(rf.modality_type, Some(ProjectionModality::Fluoroscopy));
        assert_eq!(rf.modality_basis, Some(ModalityBasis::AccumulatedTotals));
    }

    #[test]
    fn b12_nothing_decides_gives_none_and_a_diagnostic() {
        let (r, d) = map_content(vec![projection_xray(), event(vec![])]);
        assert_eq!(r.modality_type, None);
        assert!(
            has(&d, DiagnosticCode::ProjectionModalityUndetermined),
            "{d:#?}"
        );
    }

    #[test]
    fn b12_fluoroscopy_events_decide_without_totals() {
        let (r, _) = map_content(vec![projection_xray(), event(vec![fluoroscopy_event()])]);
        assert_eq!(r.modality_type, Some(ProjectionModality::Fluoroscopy));
        assert_eq!(r.modality_basis, Some(ModalityBasis::FluoroscopyEvents));
    }

    #[test]
    fn b17_mammography_is_not_overridden_by_the_device_type() {
        let (r, _) = map_content(vec![
            procedure(Code::new("71651007", "SCT", "Mammography")),
            device_type(dcm("113958", "Integrated Projection Radiography System")),
        ]);
        assert_eq!(r.modality_type, Some(ProjectionModality::Mammography));
        assert_eq!(r.modality_basis, Some(ModalityBasis::ProcedureReported));
    }

    fn azurion_like() -> Vec<Item> {
        vec![
            projection_xray(),
            device_type(dcm("113958", "Integrated Projection Radiography System")),
            accumulated(vec![
                plane_code("113622", "Single Plane"),
                num(
                    dcm("113726", "Fluoro Dose Area Product Total"),
                    "0.00101567",
                    "Gy.m2",
                ),
            ]),
        ]
    }

    #[test]
    fn openrem_673_fluoroscopy_hint_overrides_the_device_type() {
        let (plain, d) = map_content(azurion_like());
        assert_eq!(plain.modality_type, Some(ProjectionModality::Radiography));
        assert!(
            has(&d, DiagnosticCode::ProjectionDeviceTypeContradicted),
            "{d:#?}"
        );
        // TID 10004 is read whatever the device type says.
        let totals = plain.accumulated_planes[0]
            .fluoro_and_acquisition_totals
            .as_ref();
        assert_eq!(
            totals.and_then(|t| t.fluoro_dose_area_product_total_gy_m2),
            Some(0.00101567)
        );
        let hints = Hints {
            fluoroscopy_equipment: true,
            ..Hints::default()
        };
        let (hinted, _) = map_with(azurion_like(), hints);
        assert_eq!(hinted.modality_type, Some(ProjectionModality::Fluoroscopy));
        assert_eq!(hinted.modality_basis, Some(ModalityBasis::EquipmentHint));
    }

    #[test]
    fn openrem_770_calibration_date_without_value_is_none() {
        let (r, d) = map_content(vec![
            projection_xray(),
            accumulated(vec![
                plane_code("113622", "Single Plane"),
                Item::container(
                    Contains,
                    dcm("122505", "Calibration"),
                    vec![
                        Item::code(
                            HasConceptMod,
                            dcm("113794", "Dose Measurement Device"),
                            srt("A-2C090", "Dosimeter"),
                        ),
                        Item::datetime(Contains, dcm("113723", "Calibration Date"), "")
                            .without_value(),
                        num(dcm("122322", "Calibration Factor"), "1", "1"),
                    ],
                ),
            ]),
        ]);
        let k = &r.accumulated_planes[0].calibrations[0];
        assert_eq!(k.calibration_date, None);
        assert_eq!(k.calibration_factor, Some(1.0));
        assert!(k.dose_measurement_device.is_some());
        assert!(has(&d, DiagnosticCode::DatetimeEmpty), "{d:#?}");
    }

    #[test]
    fn openrem_584_per_pulse_values_keep_zeros_and_b22_means_skip_them() {
        let (r, _) = map_content(vec![
            projection_xray(),
            event(vec![
                fluoroscopy_event(),
                num(dcm("113768", "Number of Pulses"), "4", "1"),
                num(dcm("113733", "KVP"), "0\\85\\85\\70", "kV"),
                num(dcm("113734", "X-Ray Tube Current"), "0\\50\\50\\20", "mA"),
                num(dcm("113793", "Pulse Width"), "0\\8\\8\\8", "ms"),
                num(dcm("113736", "Exposure"), "0\\400\\400\\160", "uA.s"),
            ]),
        ]);
        let s = &r.events[0].source;
        assert_eq!(s.kvp_kv, vec![0.0, 85.0, 85.0, 70.0]);
        assert_eq!(s.xray_tube_current_ma, vec![0.0, 50.0, 50.0, 20.0]);
        assert_eq!(s.exposure_uas.len(), 4);
        assert_eq!(s.mean_kvp_kv(), Some(80.0));
        // Derived values are kept apart from the (absent) stated ones.
        assert_eq!(s.average_xray_tube_current_ma, None);
        assert_eq!(s.average_xray_tube_current_derived_ma, Some(40.0));
        assert_eq!(s.exposure_time_s, None);
        // 4 pulses x 8 ms.
        assert_eq!(s.exposure_time_derived_s, Some(0.032));
    }

    #[test]
    fn stated_values_are_not_replaced_by_derived_ones() {
        let (r, _) = map_content(vec![
            projection_xray(),
            event(vec![
                num(dcm("113768", "Number of Pulses"), "24", "1"),
                num(dcm("113734", "X-Ray Tube Current"), "95.1", "mA"),
                num(dcm("113767", "Average X-Ray Tube Current"), "90", "mA"),
                // The retired code of older Siemens reports.
                num(dcm("113735", "Exposure Time"), "100.8", "ms"),
                num(dcm("113793", "Pulse Width"), "4.2", "ms"),
            ]),
        ]);
        let s = &r.events[0].source;
        assert_eq!(s.exposure_time_s, Some(0.1008));
        assert_eq!(s.exposure_time_derived_s, None);
        assert_eq!(s.average_xray_tube_current_ma, Some(90.0));
        assert_eq!(s.average_xray_tube_current_derived_ma, None);
    }

    #[test]
    fn b6_label_type_is_kept_and_a_label_alone_is_fine() {
        let (r, _) = map_content(vec![
            projection_xray(),
            event(vec![
                Item::text(Contains, dcm("113605", "Irradiation Event Label"), "7").with_child(
                    Item::code(
                        HasConceptMod,
                        dcm("113606", "Label Type"),
                        dcm("113608", "Acquisition Number"),
                    ),
                ),
            ]),
            event(vec![Item::text(
                Contains,
                dcm("113605", "Irradiation Event Label"),
                "8",
            )]),
        ]);
        assert_eq!(r.events[0].irradiation_event_label.as_deref(), Some("7"));
        assert_eq!(
            r.events[0]
                .irradiation_event_label_type
                .as_ref()
                .map(|c| c.value.as_str()),
            Some("113608")
        );
        assert_eq!(r.events[1].irradiation_event_label.as_deref(), Some("8"));
        assert_eq!(r.events[1].irradiation_event_label_type, None);
    }

    #[test]
    fn b10_every_device_participant_once() {
        let participant = |name: &str| {
            Item::code(
                Contains,
                dcm("113876", "Device Role in Procedure"),
                dcm("113859", "Irradiating Device"),
            )
            .with_child(Item::text(
                HasProperties,
                dcm("113877", "Device Name"),
                name,
            ))
        };
        let (r, _) = map_content(vec![
            projection_xray(),
            event(vec![participant("TUBE A"), participant("TUBE B")]),
            event(vec![]),
        ]);
        let names: Vec<_> = r.events[0]
            .device_participants
            .iter()
            .map(|p| p.device_name.as_deref())
            .collect();
        assert_eq!(names, vec![Some("TUBE A"), Some("TUBE B")]);
        assert!(r.events[1].device_participants.is_empty());
    }

    #[test]
    fn b7_breast_composition_in_its_container() {
        let (r, _) = map_content(vec![
            procedure(srt("P5-40010", "Mammography")),
            event(vec![Item::container(
                Contains,
                dcm("111414", "Mammography CAD Breast Composition"),
                vec![
                    Item::code(
                        Contains,
                        Code::new("129715009", "SCT", "Breast composition"),
                        Code::new("129717001", "SCT", "Scattered fibroglandular densities"),
                    ),
                    num(dcm("111046", "Percent Fibroglandular Tissue"), "35", "%"),
                ],
            )]),
        ]);
        let e = &r.events[0];
        assert_eq!(
            e.breast_composition.as_ref().map(|c| c.value.as_str()),
            Some("129717001")
        );
        assert_eq!(e.fibroglandular_tissue_percent, Some(35.0));
    }

    #[test]
    fn openrem_181_grids_by_code_any_value() {
        let grid = |v: Code| Item::code(Contains, dcm("111635", "X-Ray Grid"), v);
        let (r, _) = map_content(vec![
            projection_xray(),
            event(vec![
                grid(dcm("111641", "Fixed Grid")),
                grid(Code::new("gridin", "99HOLX", "Grid in")),
            ]),
        ]);
        let grids: Vec<_> = r.events[0]
            .source
            .grids
            .iter()
            .map(|g| g.value.as_str())
            .collect();
        assert_eq!(grids, vec!["111641", "gridin"]);
    }

    #[test]
    fn reference_point_definition_by_value_type() {
        let (r, _) = map_content(vec![
            projection_xray(),
            accumulated(vec![
                plane_code("113622", "Single Plane"),
                Item::text(
                    Contains,
                    dcm("113780", "Reference Point Definition"),
                    "15cm below BeamIsocenter",
                ),
            ]),
            event(vec![Item::code(
                Contains,
                dcm("113780", "Reference Point Definition"),
                dcm("113860", "15cm from Isocenter toward Source"),
            )]),
        ]);
        let t = r.accumulated_planes[0].projection_totals.as_ref();
        assert_eq!(
            t.and_then(|t| t.reference_point_definition_text.as_deref()),
            Some("15cm below BeamIsocenter")
        );
        assert_eq!(t.and_then(|t| t.reference_point_definition.as_ref()), None);
        let e = &r.events[0];
        assert_eq!(
            e.reference_point_definition
                .as_ref()
                .map(|c| c.value.as_str()),
            Some("113860")
        );
        assert_eq!(e.reference_point_definition_text, None);
    }

    #[test]
    fn openrem_704_dap_units_are_normalised() {
        let (r, d) = map_content(vec![
            projection_xray(),
            event(vec![num(
                dcm("122130", "Dose Area Product"),
                "1.034",
                "dGy.cm2",
            )]),
            event(vec![num(
                dcm("122130", "Dose Area Product"),
                "1.6e-005",
                "Gym2",
            )]),
        ]);
        let dap0 = r.events[0].dose_area_product_gy_m2.unwrap_or_default();
        assert!((dap0 - 1.034e-5).abs() < 1e-18, "{dap0}");
        assert_eq!(r.events[1].dose_area_product_gy_m2, Some(1.6e-5));
        assert!(has(&d, DiagnosticCode::UnitConverted));
    }

    #[test]
    fn mammography_summary_per_laterality_by_code() {
        let agd = |value: &str, side: Code| {
            num(
                dcm("111637", "Accumulated Average Glandular Dose"),
                value,
                "mGy",
            )
            .with_child(laterality(side))
        };
        let (r, _) = map_content(vec![
            procedure(srt("P5-40010", "Mammography")),
            accumulated(vec![
                plane_code("113622", "Single Plane"),
                agd("1.30", srt("T-04030", "Left breast")),
                agd("1.28", Code::new("73056007", "SCT", "Right breast")),
            ]),
            event(vec![]),
            event(vec![]),
        ]);
        let mut s = Summary::default();
        r.summarise(&mut s);
        assert_eq!(s.total_agd_left_mgy, Some(1.3));
        assert_eq!(s.total_agd_right_mgy, Some(1.28));
        assert_eq!(s.total_agd_both_mgy, None);
        assert_eq!(s.number_of_events, 2);
        assert_eq!(s.total_dap_a_gy_m2, None);
    }

    #[test]
    fn malformed_items_give_diagnostics_not_panics() {
        let (r, d) = map_content(vec![
            projection_xray(),
            // An event concept on a NUM item.
            num(dcm("113706", "Irradiation Event X-Ray Data"), "1", "1"),
            event(vec![
                num(dcm("122130", "Dose Area Product"), "0.1\\0.2", "Gy.m2"),
                num(dcm("113738", "Dose (RP)"), "", "Gy"),
                num(dcm("113738", "Dose (RP)"), "abc", "Gy"),
                Item::code_empty(Contains, dcm("123014", "Target Region")),
                num(dcm("113733", "KVP"), "70\\x\\72", "kV"),
                Item::container(
                    Contains,
                    dcm("113771", "X-Ray Filters"),
                    vec![
                        num(dcm("113758", "X-Ray Filter Thickness Minimum"), "1", "mm"),
                        num(dcm("113773", "X-Ray Filter Thickness Maximum"), "0.5", "mm"),
                    ],
                ),
            ]),
        ]);
        assert_eq!(r.events.len(), 1);
        let e = &r.events[0];
        assert_eq!(e.dose_area_product_gy_m2, Some(0.1));
        assert_eq!(e.source.dose_rp_gy, None);
        assert_eq!(e.target_region, None);
        assert_eq!(e.source.kvp_kv, vec![70.0, 72.0]);
        for code in [
            DiagnosticCode::ProjectionNotContainer,
            DiagnosticCode::NumMultiValued,
            DiagnosticCode::NumUnparseable,
            DiagnosticCode::CodeEmpty,
            DiagnosticCode::ProjectionFilterThicknessOrder,
        ] {
            assert!(has(&d, code), "no {code}: {d:#?}");
        }
    }

    #[test]
    fn repeated_rows_keep_the_first_and_report_a_different_one() {
        let rp = |v: &str| Item::text(Contains, dcm("113780", "Reference Point Definition"), v);
        let (r, d) = map_content(vec![
            projection_xray(),
            // Eurocolumbus repeats the row (TID 10003 and 10003b) with the same value.
            event(vec![rp("530 mm from focus"), rp("530 mm from focus")]),
        ]);
        assert_eq!(
            r.events[0].reference_point_definition_text.as_deref(),
            Some("530 mm from focus")
        );
        assert!(!has(&d, DiagnosticCode::ProjectionRepeated));
        let (_, d) = map_content(vec![projection_xray(), event(vec![rp("a"), rp("b")])]);
        assert!(has(&d, DiagnosticCode::ProjectionRepeated));
    }
}
