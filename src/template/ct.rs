//! TID 10011 CT Radiation Dose (with TID 10012-10015) to records.
//!
//! Every concept is matched by code through [`Mapper::is`] (with the equivalent codings of the
//! code table and the concept aliases a quirk may set), never by meaning: GE's "X-ray"
//! spelling, Toshiba's older "Identification Number of the X-Ray Source" and Siemens Intevo's
//! tube-current meaning ([OpenREM #380](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-380)) need no special case. Missing or malformed items leave the field
//! `None` with a diagnostic; nothing here fails, panics or recurses on input depth. Vendor
//! defects are the quirk table's business, not this module's.

use super::common::Mapper;
use super::units::Quantity;
use crate::error::{DiagnosticCode, Severity};
use crate::model::ct::{
    CtAccumulatedDose, CtEvent, CtReport, CtXraySource, DoseCheck, ScanningLength,
};
use crate::sr::{CodeConst, Item, Value, ValueType, codes};

/// Maps the root of a TID 10011 report: the root rows, the observer context (TID 1002), the
/// accumulated dose data (TID 10012) and every irradiation event (TID 10013).
pub(crate) fn map(m: &mut Mapper<'_>, root: Item<'_>) -> CtReport {
    let mut report = CtReport {
        observers: root_observers(m, root),
        ..CtReport::default()
    };
    for c in root.children() {
        if m.is(c, &codes::PROCEDURE_REPORTED) {
            if report.procedure_reported.is_none() {
                report.procedure_reported = m.code(c);
                report.has_intent = m.child(c, &codes::HAS_INTENT).and_then(|i| m.code(i));
            }
        } else if m.is(c, &codes::START_OF_XRAY_IRRADIATION) {
            set(&mut report.start_of_xray_irradiation, m.datetime(c));
        } else if m.is(c, &codes::END_OF_XRAY_IRRADIATION) {
            set(&mut report.end_of_xray_irradiation, m.datetime(c));
        } else if m.is(c, &codes::SCOPE_OF_ACCUMULATION) {
            if report.scope_of_accumulation.is_none() {
                report.scope_of_accumulation = m.code(c);
                let uid = c.children().find(|u| {
                    m.is(*u, &codes::STUDY_INSTANCE_UID)
                        || m.is(*u, &codes::SERIES_INSTANCE_UID)
                        || m.is(*u, &codes::PERFORMED_PROCEDURE_STEP_SOP_INSTANCE_UID)
                });
                report.scope_of_accumulation_uid = uid.and_then(|u| m.uid(u));
            }
        } else if m.is(c, &codes::SOURCE_OF_DOSE_INFORMATION) {
            if let Some(code) = m.code(c) {
                report.source_of_dose_information.push(code);
            }
        } else if m.is(c, &codes::COMMENT) {
            set(&mut report.comment, m.text(c));
        } else if m.is(c, &codes::PERSON_NAME) {
            let p = m.person_participant(c);
            report.person_participants.push(p);
        } else if m.is(c, &codes::CT_ACCUMULATED_DOSE_DATA) {
            if report.accumulated.is_none() {
                report.accumulated = Some(accumulated_dose(m, c));
            } else {
                m.note(
                    c,
                    Severity::Warning,
                    DiagnosticCode::CtAccumulatedRepeated,
                    "a second CT Accumulated Dose Data container; only the first is read".into(),
                );
            }
        } else if m.is(c, &codes::CT_ACQUISITION) {
            let e = irradiation_event(m, c);
            report.events.push(e);
        }
    }
    if report.accumulated.is_none() {
        m.note(
            root,
            Severity::Warning,
            DiagnosticCode::CtAccumulatedMissing,
            "no CT Accumulated Dose Data (113811): no DLP total".into(),
        );
    }
    report
}

/// The root's observer context (TID 1002).
///
/// The report mapper has already read the root observers (for the equipment's device
/// observer UID) and recorded their diagnostics; reading them again here must not repeat
/// those diagnostics.
fn root_observers(m: &mut Mapper<'_>, root: Item<'_>) -> Vec<crate::model::Observer> {
    let before = m.diagnostics.len();
    let observers = m.observers(root);
    m.diagnostics.truncate(before);
    observers
}

/// TID 10012 CT Accumulated Dose Data (container 113811).
fn accumulated_dose(m: &mut Mapper<'_>, container: Item<'_>) -> CtAccumulatedDose {
    let mut a = CtAccumulatedDose {
        path: container.path().to_string(),
        ..CtAccumulatedDose::default()
    };
    for c in container.children() {
        if m.is(c, &codes::TOTAL_NUMBER_OF_IRRADIATION_EVENTS) {
            set(&mut a.total_number_of_irradiation_events, count(m, c));
        } else if m.is(c, &codes::CT_DOSE_LENGTH_PRODUCT_TOTAL) {
            // Every row is kept (sub-totals per phantom type); the first is also the total.
            let total = m.num(c, Quantity::DoseLengthProduct);
            set(&mut a.ct_dose_length_product_total_mgy_cm, total);
            let phantom_type = m
                .child(c, &codes::CTDIW_PHANTOM_TYPE)
                .and_then(|p| m.code(p));
            a.ct_dose_length_product_totals
                .push(crate::model::ct::CtDoseLengthProductTotal {
                    ct_dose_length_product_total_mgy_cm: total,
                    phantom_type,
                    path: c.path().to_string(),
                });
        } else if m.is(c, &codes::CT_EFFECTIVE_DOSE_TOTAL) {
            set(
                &mut a.ct_effective_dose_total_msv,
                m.num(c, Quantity::EffectiveDose),
            );
            // Reference authority and method qualify the effective dose total.
            for q in c.children() {
                effective_dose_qualifier(m, q, &mut a);
            }
        } else if m.is(c, &codes::COMMENT) {
            set(&mut a.comment, m.text(c));
        } else if m.is(c, &codes::DEVICE_ROLE_IN_PROCEDURE) {
            let d = m.device_participant(c);
            a.device_participants.push(d);
        } else {
            // Some writers put the qualifiers beside the total rather than under it.
            effective_dose_qualifier(m, c, &mut a);
        }
    }
    a
}

/// Reference Authority (CODE or TEXT) and Measurement Method of an effective dose total.
fn effective_dose_qualifier(m: &mut Mapper<'_>, item: Item<'_>, a: &mut CtAccumulatedDose) {
    if m.is(item, &codes::REFERENCE_AUTHORITY) {
        if item.value_type() == ValueType::Code {
            set(&mut a.reference_authority, m.code(item));
        } else {
            set(&mut a.reference_authority_text, m.text(item));
        }
    } else if m.is(item, &codes::MEASUREMENT_METHOD) {
        set(&mut a.effective_dose_method, m.code(item));
    } else if m.is(item, &codes::PATIENT_MODEL) {
        set(&mut a.patient_model, m.text(item));
    } else if m.is(item, &codes::CONDITION_EFFECTIVE_DOSE_MEASURED) {
        for c in item.children() {
            if m.is(c, &codes::EFFECTIVE_DOSE_PHANTOM_TYPE) {
                set(&mut a.effective_dose_phantom_type, m.text(c));
            } else if m.is(c, &codes::DOSIMETER_TYPE) {
                set(&mut a.dosimeter_type, m.text(c));
            }
        }
    }
}

/// TID 10013 CT Irradiation Event Data (container 113819).
fn irradiation_event(m: &mut Mapper<'_>, container: Item<'_>) -> CtEvent {
    let mut e = CtEvent {
        path: container.path().to_string(),
        ..CtEvent::default()
    };
    let mut parameters = None;
    let mut dose = None;
    let mut alert = None;
    let mut notification = None;
    let mut z_rows = Vec::new();
    for c in container.children() {
        if m.is(c, &codes::ACQUISITION_PROTOCOL) {
            set(&mut e.acquisition_protocol, m.text(c));
        } else if m.is(c, &codes::TARGET_REGION) {
            // An empty Concept Code Sequence (Philips Big Bore, Toshiba, PixelMed: [OpenREM #765](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-765)) is
            // `None` with the mapper's diagnostic.
            set(&mut e.target_region, m.code(c));
        } else if m.is(c, &codes::CT_ACQUISITION_TYPE) {
            set(&mut e.ct_acquisition_type, m.code(c));
            // Row 4b: the reconstruction algorithms are properties of the acquisition type.
            for r in c.children() {
                if m.is(r, &codes::RECONSTRUCTION_ALGORITHM) {
                    if let Some(code) = m.code(r) {
                        e.reconstruction_algorithms.push(code);
                    }
                }
            }
        } else if m.is(c, &codes::RECONSTRUCTION_ALGORITHM) {
            if let Some(code) = m.code(c) {
                e.reconstruction_algorithms.push(code);
            }
        } else if m.is(c, &codes::IS_REPEATED_ACQUISITION) {
            if e.is_repeated_acquisition.is_none() {
                e.is_repeated_acquisition = yes_no(m, c);
                let reason = m
                    .child(c, &codes::REASON_FOR_REPEATING_ACQUISITION)
                    .and_then(|r| m.code(r));
                set(&mut e.reason_for_repeating_acquisition, reason);
            }
        } else if m.is(c, &codes::PROCEDURE_CONTEXT) {
            set(&mut e.procedure_context, m.code(c));
        } else if m.is(c, &codes::IRRADIATION_EVENT_UID) {
            set(&mut e.irradiation_event_uid, m.uid(c));
        } else if m.is(c, &codes::DATETIME_STARTED) {
            set(&mut e.date_time_started, m.datetime(c));
        } else if m.is(c, &codes::IRRADIATION_EVENT_LABEL) {
            set(&mut e.irradiation_event_label, m.text(c));
            let label_type = m.child(c, &codes::LABEL_TYPE).and_then(|t| m.code(t));
            set(&mut e.irradiation_event_label_type, label_type);
        } else if m.is(c, &codes::CT_ACQUISITION_PARAMETERS) {
            first_container(m, &mut parameters, c, DiagnosticCode::CtParametersRepeated);
        } else if m.is(c, &codes::CT_DOSE) {
            first_container(m, &mut dose, c, DiagnosticCode::CtDoseRepeated);
        } else if m.is(c, &codes::XRAY_MODULATION_TYPE) {
            modulation_type(m, c, &mut e);
        } else if m.is(c, &codes::COMMENT) {
            set(&mut e.comment, m.text(c));
        } else if m.is(c, &codes::DEVICE_ROLE_IN_PROCEDURE) {
            let d = m.device_participant(c);
            e.device_participants.push(d);
        } else if m.is(c, &codes::PERSON_NAME) {
            let p = m.person_participant(c);
            e.person_participants.push(p);
        } else if m.is(c, &codes::DOSE_CHECK_ALERT_DETAILS) {
            // TID 10015 belongs in the CT Dose container; read it here too.
            first_container(m, &mut alert, c, DiagnosticCode::CtDoseCheckRepeated);
        } else if m.is(c, &codes::DOSE_CHECK_NOTIFICATION_DETAILS) {
            first_container(m, &mut notification, c, DiagnosticCode::CtDoseCheckRepeated);
        } else if c.value_type() == ValueType::Container
            || m.is(c, &codes::SIZE_SPECIFIC_DOSE_ESTIMATE_AT_Z)
            || m.is(c, &codes::WATER_EQUIVALENT_DIAMETER_AT_Z)
        {
            z_rows.push(c);
        }
    }
    match parameters {
        Some(p) => acquisition_parameters(m, p, &mut e),
        None => m.note(
            container,
            Severity::Warning,
            DiagnosticCode::CtParametersMissing,
            "CT Acquisition without CT Acquisition Parameters (113822)".into(),
        ),
    }
    match dose {
        Some(d) => ct_dose(m, d, &mut e, &mut alert, &mut notification),
        None => {
            // TID 10013: CT Dose is required unless the acquisition is a constant-angle
            // (localiser) acquisition; PixelMed-synthesised reports omit it more often.
            let localiser = e
                .ct_acquisition_type
                .as_ref()
                .is_some_and(|t| t.is(&codes::CONSTANT_ANGLE_ACQUISITION));
            if !localiser {
                m.note(
                    container,
                    Severity::Info,
                    DiagnosticCode::CtDoseMissing,
                    "CT Acquisition without CT Dose (113829): no CTDIvol or DLP".into(),
                );
            }
        }
    }
    event_level_z_resolved(m, &z_rows, &mut e);
    e.dose_check = dose_check(m, alert, notification);
    e
}

/// The "CT Acquisition Parameters" container of TID 10013, with its TID 10014 rows and the
/// CT X-Ray Source Parameters. An empty container (PixelMed) gives no values.
fn acquisition_parameters(m: &mut Mapper<'_>, container: Item<'_>, e: &mut CtEvent) {
    if container.children().next().is_none() {
        m.note(
            container,
            Severity::Info,
            DiagnosticCode::CtParametersEmpty,
            "empty CT Acquisition Parameters container".into(),
        );
        return;
    }
    for c in container.children() {
        if m.is(c, &codes::EXPOSURE_TIME) {
            set(&mut e.exposure_time_s, m.num(c, Quantity::Seconds));
        } else if m.is(c, &codes::NOMINAL_SINGLE_COLLIMATION_WIDTH) {
            set(
                &mut e.nominal_single_collimation_width_mm,
                m.num(c, Quantity::Millimetres),
            );
        } else if m.is(c, &codes::NOMINAL_TOTAL_COLLIMATION_WIDTH) {
            set(
                &mut e.nominal_total_collimation_width_mm,
                m.num(c, Quantity::Millimetres),
            );
        } else if m.is(c, &codes::PITCH_FACTOR) {
            set(&mut e.pitch_factor, m.num(c, Quantity::Dimensionless));
        } else if m.is(c, &codes::NUMBER_OF_XRAY_SOURCES) {
            set(&mut e.number_of_xray_sources, count(m, c));
        } else if m.is(c, &codes::CT_XRAY_SOURCE_PARAMETERS) {
            let s = xray_source(m, c);
            e.xray_sources.push(s);
        } else if m.is(c, &codes::XRAY_MODULATION_TYPE) {
            modulation_type(m, c, e);
        } else if m.is(c, &codes::IRRADIATION_EVENT_UID) {
            set(&mut e.irradiation_event_uid, m.uid(c));
        }
    }
    e.scanning_length = scanning_length(m, container);
    if let Some(n) = e.number_of_xray_sources {
        if usize::try_from(n).ok() != Some(e.xray_sources.len()) && !e.xray_sources.is_empty() {
            m.note(
                container,
                Severity::Info,
                DiagnosticCode::CtSourcesCountMismatch,
                format!(
                    "Number of X-Ray Sources is {n} but {} CT X-Ray Source Parameters containers are present",
                    e.xray_sources.len()
                ),
            );
        }
    }
}

/// X-Ray Modulation Type (113842): TEXT in the first editions of TID 10013, CODE in later
/// ones. A code is kept as written and its meaning is the text value too.
fn modulation_type(m: &mut Mapper<'_>, item: Item<'_>, e: &mut CtEvent) {
    if item.value_type() == ValueType::Code {
        if e.xray_modulation_type_code.is_none() {
            let code = m.code(item);
            set(
                &mut e.xray_modulation_type,
                code.as_ref().map(|c| c.meaning.clone()),
            );
            e.xray_modulation_type_code = code;
        }
    } else {
        set(&mut e.xray_modulation_type, m.text(item));
    }
}

/// A TID 10014 length field of [`ScanningLength`].
type LengthField = fn(&mut ScanningLength) -> &mut Option<f64>;

/// TID 10014 Scanning Length, read from the CT Acquisition Parameters container; `None` when
/// none of its rows is present.
fn scanning_length(m: &mut Mapper<'_>, container: Item<'_>) -> Option<ScanningLength> {
    let mut s = ScanningLength::default();
    let mut found = false;
    let lengths: [(&CodeConst, LengthField); 7] = [
        (&codes::SCANNING_LENGTH, |s| &mut s.scanning_length_mm),
        (&codes::LENGTH_OF_RECONSTRUCTABLE_VOLUME, |s| {
            &mut s.length_of_reconstructable_volume_mm
        }),
        (&codes::EXPOSED_RANGE, |s| &mut s.exposed_range_mm),
        (&codes::TOP_Z_LOCATION_OF_RECONSTRUCTABLE_VOLUME, |s| {
            &mut s.top_z_location_of_reconstructable_volume_mm
        }),
        (&codes::BOTTOM_Z_LOCATION_OF_RECONSTRUCTABLE_VOLUME, |s| {
            &mut s.bottom_z_location_of_reconstructable_volume_mm
        }),
        (&codes::TOP_Z_LOCATION_OF_SCANNING_LENGTH, |s| {
            &mut s.top_z_location_of_scanning_length_mm
        }),
        (&codes::BOTTOM_Z_LOCATION_OF_SCANNING_LENGTH, |s| {
            &mut s.bottom_z_location_of_scanning_length_mm
        }),
    ];
    for c in container.children() {
        if let Some((_, field)) = lengths.iter().find(|(code, _)| m.is(c, code)) {
            found = true;
            let v = m.num(c, Quantity::Millimetres);
            set(field(&mut s), v);
        } else if m.is(c, &codes::FRAME_OF_REFERENCE_UID) {
            found = true;
            set(&mut s.frame_of_reference_uid, m.uid(c));
        }
    }
    found.then_some(s)
}

/// One "CT X-Ray Source Parameters" container (113831) of TID 10013.
fn xray_source(m: &mut Mapper<'_>, container: Item<'_>) -> CtXraySource {
    let mut s = CtXraySource {
        path: container.path().to_string(),
        ..CtXraySource::default()
    };
    for c in container.children() {
        if m.is(c, &codes::IDENTIFICATION_OF_THE_XRAY_SOURCE) {
            set(&mut s.identification_of_the_xray_source, m.text(c));
        } else if m.is(c, &codes::KVP) {
            set(&mut s.kvp_kv, m.num(c, Quantity::Kilovolts));
        } else if m.is(c, &codes::MAXIMUM_XRAY_TUBE_CURRENT) {
            set(
                &mut s.maximum_xray_tube_current_ma,
                m.num(c, Quantity::Milliamperes),
            );
        } else if m.is(c, &codes::XRAY_TUBE_CURRENT) {
            set(
                &mut s.xray_tube_current_ma,
                m.num(c, Quantity::Milliamperes),
            );
        } else if m.is(c, &codes::EXPOSURE_TIME_PER_ROTATION) {
            set(
                &mut s.exposure_time_per_rotation_s,
                m.num(c, Quantity::Seconds),
            );
        } else if m.is(c, &codes::XRAY_FILTER_ALUMINUM_EQUIVALENT) {
            set(
                &mut s.xray_filter_aluminum_equivalent_mm,
                m.num(c, Quantity::Millimetres),
            );
        }
    }
    s
}

/// The "CT Dose" container (113829) of TID 10013; collects its TID 10015 containers into
/// `alert` / `notification` (the first of each wins).
fn ct_dose<'i>(
    m: &mut Mapper<'_>,
    container: Item<'i>,
    e: &mut CtEvent,
    alert: &mut Option<Item<'i>>,
    notification: &mut Option<Item<'i>>,
) {
    for c in container.children() {
        if m.is(c, &codes::MEAN_CTDIVOL) {
            set(&mut e.mean_ctdivol_mgy, m.num(c, Quantity::DoseMilliGy));
        } else if m.is(c, &codes::CTDIW_PHANTOM_TYPE) {
            set(&mut e.ctdiw_phantom_type, m.code(c));
        } else if m.is(c, &codes::CTDIFREEAIR_CALCULATION_FACTOR) {
            set(
                &mut e.ctdifreeair_calculation_factor_mgy_per_mas,
                m.num(c, Quantity::Dimensionless),
            );
        } else if m.is(c, &codes::MEAN_CTDIFREEAIR) {
            set(&mut e.mean_ctdifreeair_mgy, m.num(c, Quantity::DoseMilliGy));
        } else if m.is(c, &codes::DLP) {
            set(&mut e.dlp_mgy_cm, m.num(c, Quantity::DoseLengthProduct));
        } else if m.is(c, &codes::EFFECTIVE_DOSE) {
            set(&mut e.effective_dose_msv, m.num(c, Quantity::EffectiveDose));
            for q in c.children() {
                effective_dose_detail(m, q, e);
            }
        } else if m.is(c, &codes::DOSE_CHECK_ALERT_DETAILS) {
            if alert.is_none() {
                *alert = Some(c);
            } else {
                repeated(m, c, DiagnosticCode::CtDoseCheckRepeated);
            }
        } else if m.is(c, &codes::DOSE_CHECK_NOTIFICATION_DETAILS) {
            if notification.is_none() {
                *notification = Some(c);
            } else {
                repeated(m, c, DiagnosticCode::CtDoseCheckRepeated);
            }
        } else {
            effective_dose_detail(m, c, e);
        }
    }
    // Size-specific dose estimation (later editions): the rows sit in nested containers
    // whose layout changed between editions, so they are looked for anywhere below.
    let mut z = ZPositions::default();
    for d in container.descendants() {
        if z_resolved(m, d, e, &mut z) {
            continue;
        }
        let ssde = m.is(d, &codes::SIZE_SPECIFIC_DOSE_ESTIMATE);
        let wed = m.is(d, &codes::WATER_EQUIVALENT_DIAMETER);
        if ssde && e.size_specific_dose_estimation_mgy.is_none() {
            e.size_specific_dose_estimation_mgy = m.num(d, Quantity::DoseMilliGy);
            e.size_specific_dose_estimation_method = m
                .child(d, &codes::MEASUREMENT_METHOD)
                .and_then(|c| m.code(c));
        } else if wed && e.water_equivalent_diameter_mm.is_none() {
            e.water_equivalent_diameter_mm = m.num(d, Quantity::Millimetres);
            e.water_equivalent_diameter_method = m
                .child(d, &codes::MEASUREMENT_METHOD)
                .and_then(|c| m.code(c));
            e.water_equivalent_diameter_source = m
                .child(d, &codes::SOURCE_OF_MEASUREMENT)
                .and_then(|c| match c.value() {
                    Value::Image(r) | Value::Composite(r) => r.sop_instance_uid,
                    _ => None,
                })
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(str::to_string);
            e.water_equivalent_diameter_z_location_mm = m
                .child(d, &codes::WATER_EQUIVALENT_DIAMETER_Z_LOCATION)
                .and_then(|c| m.num(c, Quantity::Millimetres));
        }
    }
}

/// The Longitudinal Position Z of the last container looked at by [`z_resolved`]: its node
/// and position, so that the values grouped in one container read (and diagnose) their
/// shared position once.
#[derive(Default)]
struct ZPositions {
    last: Option<(u32, Option<f64>)>,
}

/// A z-resolved value row of TID 10013 (IEC 62985): a Size Specific Dose Estimate (113993)
/// or a Water Equivalent Diameter (113995) at a Longitudinal Position Z (113994), appended
/// to the event's records; `false` when `item` is no such row.
///
/// The position is read under the row (any relationship), else beside the row in its
/// parent container (a container grouping one position with its values: each value gets
/// that position).
fn z_resolved(m: &mut Mapper<'_>, item: Item<'_>, e: &mut CtEvent, z: &mut ZPositions) -> bool {
    let ssde = m.is(item, &codes::SIZE_SPECIFIC_DOSE_ESTIMATE_AT_Z);
    if !ssde && !m.is(item, &codes::WATER_EQUIVALENT_DIAMETER_AT_Z) {
        return false;
    }
    let quantity = if ssde {
        Quantity::DoseMilliGy
    } else {
        Quantity::Millimetres
    };
    let value = m.num(item, quantity);
    let position = match m.child(item, &codes::LONGITUDINAL_POSITION_Z) {
        Some(p) => m.num(p, Quantity::Millimetres),
        None => grouped_position(m, item, z),
    };
    let path = item.path().to_string();
    if ssde {
        e.size_specific_dose_estimates_at_z
            .push(crate::model::ct::SizeSpecificDoseEstimateAtZ {
                size_specific_dose_estimate_mgy: value,
                longitudinal_position_z_mm: position,
                path,
            });
    } else {
        e.water_equivalent_diameters_at_z
            .push(crate::model::ct::WaterEquivalentDiameterAtZ {
                water_equivalent_diameter_mm: value,
                longitudinal_position_z_mm: position,
                path,
            });
    }
    true
}

/// The Longitudinal Position Z beside `item` in its parent container, read once per
/// container.
fn grouped_position(m: &mut Mapper<'_>, item: Item<'_>, z: &mut ZPositions) -> Option<f64> {
    let parent = item
        .parent()
        .filter(|p| p.value_type() == ValueType::Container)?;
    if let Some((node, position)) = z.last {
        if node == parent.node() {
            return position;
        }
    }
    let position = m
        .child(parent, &codes::LONGITUDINAL_POSITION_Z)
        .and_then(|p| m.num(p, Quantity::Millimetres));
    z.last = Some((parent.node(), position));
    position
}

/// The z-resolved value rows at the event level: directly under the event, or anywhere in
/// a container there that is none of the event's known containers (the CT Dose container's
/// are read with it).
fn event_level_z_resolved(m: &mut Mapper<'_>, containers: &[Item<'_>], e: &mut CtEvent) {
    let mut z = ZPositions::default();
    for c in containers {
        if z_resolved(m, *c, e, &mut z) {
            continue;
        }
        for d in c.descendants() {
            z_resolved(m, d, e, &mut z);
        }
    }
}

/// Measurement Method and Effective Dose Conversion Factor of an event's effective dose.
fn effective_dose_detail(m: &mut Mapper<'_>, item: Item<'_>, e: &mut CtEvent) {
    if m.is(item, &codes::MEASUREMENT_METHOD) {
        set(&mut e.effective_dose_method, m.code(item));
    } else if m.is(item, &codes::EFFECTIVE_DOSE_CONVERSION_FACTOR) {
        set(
            &mut e.effective_dose_conversion_factor_msv_per_mgy_cm,
            m.num(item, Quantity::Dimensionless),
        );
    }
}

/// TID 10015 CT Dose Check Details: the alert (113900) and notification (113908) containers
/// of one event merged into one record; `None` when there is neither.
fn dose_check(
    m: &mut Mapper<'_>,
    alert: Option<Item<'_>>,
    notification: Option<Item<'_>>,
) -> Option<DoseCheck> {
    if alert.is_none() && notification.is_none() {
        return None;
    }
    let mut d = DoseCheck::default();
    if let Some(a) = alert {
        for c in dose_check_rows(a) {
            if m.is(c, &codes::DLP_ALERT_VALUE_CONFIGURED) {
                set(&mut d.dlp_alert_value_configured, yes_no(m, c));
            } else if m.is(c, &codes::CTDIVOL_ALERT_VALUE_CONFIGURED) {
                set(&mut d.ctdivol_alert_value_configured, yes_no(m, c));
            } else if m.is(c, &codes::DLP_ALERT_VALUE) {
                set(
                    &mut d.dlp_alert_value_mgy_cm,
                    m.num(c, Quantity::DoseLengthProduct),
                );
            } else if m.is(c, &codes::CTDIVOL_ALERT_VALUE) {
                set(
                    &mut d.ctdivol_alert_value_mgy,
                    m.num(c, Quantity::DoseMilliGy),
                );
            } else if m.is(c, &codes::ACCUMULATED_DLP_FORWARD_ESTIMATE) {
                set(
                    &mut d.accumulated_dlp_forward_estimate_mgy_cm,
                    m.num(c, Quantity::DoseLengthProduct),
                );
            } else if m.is(c, &codes::ACCUMULATED_CTDIVOL_FORWARD_ESTIMATE) {
                set(
                    &mut d.accumulated_ctdivol_forward_estimate_mgy,
                    m.num(c, Quantity::DoseMilliGy),
                );
            } else if m.is(c, &codes::REASON_FOR_PROCEEDING) {
                set(&mut d.alert_reason_for_proceeding, m.text(c));
            } else if m.is(c, &codes::PERSON_NAME) {
                let p = m.person_participant(c);
                d.alert_persons.push(p);
            }
        }
    }
    if let Some(n) = notification {
        for c in dose_check_rows(n) {
            if m.is(c, &codes::DLP_NOTIFICATION_VALUE_CONFIGURED) {
                set(&mut d.dlp_notification_value_configured, yes_no(m, c));
            } else if m.is(c, &codes::CTDIVOL_NOTIFICATION_VALUE_CONFIGURED) {
                set(&mut d.ctdivol_notification_value_configured, yes_no(m, c));
            } else if m.is(c, &codes::DLP_NOTIFICATION_VALUE) {
                set(
                    &mut d.dlp_notification_value_mgy_cm,
                    m.num(c, Quantity::DoseLengthProduct),
                );
            } else if m.is(c, &codes::CTDIVOL_NOTIFICATION_VALUE) {
                set(
                    &mut d.ctdivol_notification_value_mgy,
                    m.num(c, Quantity::DoseMilliGy),
                );
            } else if m.is(c, &codes::DLP_FORWARD_ESTIMATE) {
                set(
                    &mut d.dlp_forward_estimate_mgy_cm,
                    m.num(c, Quantity::DoseLengthProduct),
                );
            } else if m.is(c, &codes::CTDIVOL_FORWARD_ESTIMATE) {
                set(
                    &mut d.ctdivol_forward_estimate_mgy,
                    m.num(c, Quantity::DoseMilliGy),
                );
            } else if m.is(c, &codes::REASON_FOR_PROCEEDING) {
                set(&mut d.notification_reason_for_proceeding, m.text(c));
            } else if m.is(c, &codes::PERSON_NAME) {
                let p = m.person_participant(c);
                d.notification_persons.push(p);
            }
        }
    }
    Some(d)
}

/// The rows of a TID 10015 container: its children, and the children of its "Value
/// Configured" rows (the standard nests the alert / notification values there; Toshiba
/// writes them as siblings). Person Name children are not rows.
fn dose_check_rows<'i>(container: Item<'i>) -> Vec<Item<'i>> {
    let mut rows = Vec::new();
    for c in container.children() {
        rows.push(c);
        if c.value_type() == ValueType::Code {
            rows.extend(c.children().filter(|g| g.value_type() == ValueType::Num));
        }
    }
    rows
}

/// A Yes/No CODE (CID 230) as a bool; `None` with a diagnostic for another code.
fn yes_no(m: &mut Mapper<'_>, item: Item<'_>) -> Option<bool> {
    let code = m.code(item)?;
    if code.is(&codes::YES) {
        Some(true)
    } else if code.is(&codes::NO) {
        Some(false)
    } else {
        m.note(
            item,
            Severity::Warning,
            DiagnosticCode::CodeNotYesNo,
            format!("expected Yes (R-0038D) or No (R-00339), found {code}"),
        );
        None
    }
}

/// A NUM item holding a count: a non-negative whole number.
fn count(m: &mut Mapper<'_>, item: Item<'_>) -> Option<u32> {
    let v = m.num(item, Quantity::Dimensionless)?;
    if v >= 0.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX) {
        Some(v as u32)
    } else {
        m.note(
            item,
            Severity::Warning,
            DiagnosticCode::NumNotACount,
            format!("{v} is not a count"),
        );
        None
    }
}

/// Keeps the first container of a kind; a repeated one gets a diagnostic.
fn first_container<'i>(
    m: &mut Mapper<'_>,
    slot: &mut Option<Item<'i>>,
    item: Item<'i>,
    code: DiagnosticCode,
) {
    if slot.is_none() {
        *slot = Some(item);
    } else {
        repeated(m, item, code);
    }
}

fn repeated(m: &mut Mapper<'_>, item: Item<'_>, code: DiagnosticCode) {
    let what = item
        .concept()
        .map_or_else(|| "container".to_string(), |c| c.meaning.to_string());
    m.note(
        item,
        Severity::Warning,
        code,
        format!("{what} repeated; only the first is read"),
    );
}

/// Sets a field from the first item that gives a value (a repeated row does not overwrite).
fn set<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostic;
    use crate::model::ct::CtEvent;
    use crate::model::{ObserverKind, Summary};
    use crate::template::{ConceptAlias, Hints};
    use rdsr_builder::{Code, Item, Relationship::*, ReportBuilder};

    fn dcm(value: &str, meaning: &str) -> Code {
        Code::new(value, "DCM", meaning)
    }

    fn srt(value: &str, meaning: &str) -> Code {
        Code::new(value, "SRT", meaning)
    }

    fn ucum(unit: &str) -> Code {
        Code::new(unit, "UCUM", unit)
    }

    fn num(concept: Code, value: &str, unit: &str) -> Item {
        Item::num(Contains, concept, value, ucum(unit))
    }

    fn bytes(content: Vec<Item>) -> Vec<u8> {
        ReportBuilder::xray_dose_report()
            .template("10011")
            .seed("template-ct-tests")
            .specific_character_set("ISO_IR 192")
            .content(content)
            .to_bytes()
            .expect("the builder writes the report")
    }

    /// Maps a report with the given root content.
    fn map_content(content: Vec<Item>) -> (CtReport, Vec<Diagnostic>) {
        let report = crate::parse_bytes(&bytes(content)).expect("the report reads");
        let diagnostics = report.diagnostics.clone();
        let ct = report.ct().cloned().expect("a CT body");
        assert!(
            diagnostics.iter().all(|d| d.severity != Severity::Error),
            "error diagnostics: {diagnostics:#?}"
        );
        (ct, diagnostics)
    }

    /// Maps a report whose root holds the given events (and an accumulated container).
    fn map_events(events: Vec<Item>) -> (CtReport, Vec<Diagnostic>) {
        let mut content = vec![accumulated("512.3")];
        content.extend(events);
        map_content(content)
    }

    fn accumulated(dlp: &str) -> Item {
        Item::container(
            Contains,
            dcm("113811", "CT Accumulated Dose Data"),
            vec![
                num(
                    dcm("113812", "Total Number of Irradiation Events"),
                    "1",
                    "{events}",
                ),
                num(dcm("113813", "CT Dose Length Product Total"), dlp, "mGy.cm"),
            ],
        )
    }

    fn acquisition_type(code: Code) -> Item {
        Item::code(Contains, dcm("113820", "CT Acquisition Type"), code)
    }

    fn source(id: &str, kvp: &str, ma: &str) -> Item {
        Item::container(
            Contains,
            dcm("113831", "CT X-Ray Source Parameters"),
            vec![
                Item::text(
                    Contains,
                    dcm("113832", "Identification of the X-Ray Source"),
                    id,
                ),
                num(dcm("113733", "KVP"), kvp, "kV"),
                num(dcm("113833", "Maximum X-Ray Tube Current"), "500", "mA"),
                num(dcm("113734", "X-Ray Tube Current"), ma, "mA"),
                num(dcm("113834", "Exposure Time per Rotation"), "0.28", "s"),
            ],
        )
    }

    fn parameters(children: Vec<Item>) -> Item {
        Item::container(
            Contains,
            dcm("113822", "CT Acquisition Parameters"),
            children,
        )
    }

    fn ct_dose(children: Vec<Item>) -> Item {
        Item::container(Contains, dcm("113829", "CT Dose"), children)
    }

    fn event(children: Vec<Item>) -> Item {
        Item::container(Contains, dcm("113819", "CT Acquisition"), children)
    }

    fn only_event(report: &CtReport) -> &CtEvent {
        assert_eq!(report.events.len(), 1, "{report:#?}");
        &report.events[0]
    }

    fn has(diagnostics: &[Diagnostic], code: DiagnosticCode, path: &str) -> bool {
        diagnostics
            .iter()
            .any(|d| d.code == code && d.path.as_deref() == Some(path))
    }

    /// Asserts that every diagnostic has one of the `allowed` codes.
    fn only(diagnostics: &[Diagnostic], allowed: &[DiagnosticCode]) {
        assert!(
            diagnostics.iter().all(|d| allowed.contains(&d.code)),
            "{diagnostics:#?}"
        );
    }

    #[test]
    fn a_complete_event_maps_every_row() {
        let (r, diagnostics) = map_content(vec![
            Item::code(
                HasConceptMod,
                dcm("121058", "Procedure reported"),
                srt("P5-08000", "Computed Tomography X-Ray"),
            )
            .with_child(Item::code(
                HasConceptMod,
                srt("G-C0E8", "Has Intent"),
                srt("R-408C3", "Diagnostic Intent"),
            )),
            Item::datetime(
                HasObsContext,
                dcm("113809", "Start of X-Ray Irradiation"),
                "20240315093512.25+0100",
            ),
            Item::code(
                HasObsContext,
                dcm("113705", "Scope of Accumulation"),
                dcm("113014", "Study"),
            )
            .with_child(Item::uidref(
                HasProperties,
                dcm("110180", "Study Instance UID"),
                "1.2.3.4",
            )),
            accumulated("812.5"),
            event(vec![
                Item::text(Contains, dcm("125203", "Acquisition Protocol"), "Thorax"),
                Item::code(
                    Contains,
                    dcm("123014", "Target Region"),
                    srt("T-D3000", "Chest"),
                ),
                acquisition_type(srt("P5-08001", "Spiral Acquisition")),
                Item::code(
                    Contains,
                    srt("G-C32C", "Procedure Context"),
                    srt("P5-0808E", "Computed tomography without contrast"),
                ),
                Item::uidref(Contains, dcm("113769", "Irradiation Event UID"), "1.2.3.5"),
                Item::text(Contains, dcm("113605", "Irradiation Event Label"), "3").with_child(
                    Item::code(
                        HasConceptMod,
                        dcm("113606", "Label Type"),
                        dcm("113607", "Series Number"),
                    ),
                ),
                parameters(vec![
                    num(dcm("113824", "Exposure Time"), "4.8", "s"),
                    num(dcm("113825", "Scanning Length"), "408.9", "mm"),
                    num(dcm("113899", "Exposed Range"), "430", "mm"),
                    num(
                        dcm("113895", "Top Z Location of Reconstructable Volume"),
                        "-12.5",
                        "mm",
                    ),
                    Item::uidref(Contains, dcm("112227", "Frame of Reference UID"), "1.2.9"),
                    num(
                        dcm("113826", "Nominal Single Collimation Width"),
                        "0.6",
                        "mm",
                    ),
                    num(
                        dcm("113827", "Nominal Total Collimation Width"),
                        "38.4",
                        "mm",
                    ),
                    num(dcm("113828", "Pitch Factor"), "1.2", "{ratio}"),
                    num(
                        dcm("113823", "Number of X-Ray Sources"),
                        "1",
                        "{X-Ray sources}",
                    ),
                    source("A", "120", "142"),
                ]),
                ct_dose(vec![
                    num(dcm("113830", "Mean CTDIvol"), "12.5", "mGy"),
                    Item::code(
                        Contains,
                        dcm("113835", "CTDIw Phantom Type"),
                        dcm("113691", "IEC Body Dosimetry Phantom"),
                    ),
                    num(dcm("113838", "DLP"), "511.11", "mGy.cm"),
                    num(dcm("113839", "Effective Dose"), "7.2", "mSv"),
                ]),
                Item::text(Contains, dcm("113842", "X-Ray Modulation Type"), "XYZ_EC"),
                Item::text(Contains, dcm("121106", "Comment"), "routine"),
                Item::code(
                    Contains,
                    dcm("113876", "Device Role in Procedure"),
                    dcm("113859", "Irradiating Device"),
                )
                .with_child(Item::text(
                    HasProperties,
                    dcm("113878", "Device Manufacturer"),
                    "RDSR Test Systems",
                )),
            ]),
            Item::code(
                Contains,
                dcm("113854", "Source of Dose Information"),
                dcm("113856", "Automated Data Collection"),
            ),
        ]);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        assert_eq!(r.procedure_reported.as_ref().unwrap().value, "P5-08000");
        assert_eq!(r.has_intent.as_ref().unwrap().meaning, "Diagnostic Intent");
        let start = r.start_of_xray_irradiation.unwrap();
        assert_eq!(start.to_string(), "2024-03-15T09:35:12.25+01:00");
        assert_eq!(r.scope_of_accumulation.as_ref().unwrap().value, "113014");
        assert_eq!(r.scope_of_accumulation_uid.as_deref(), Some("1.2.3.4"));
        assert_eq!(r.source_of_dose_information.len(), 1);
        let a = r.accumulated.as_ref().unwrap();
        assert_eq!(a.total_number_of_irradiation_events, Some(1));
        assert_eq!(a.ct_dose_length_product_total_mgy_cm, Some(812.5));
        let e = only_event(&r);
        assert_eq!(e.path, "1.5");
        assert_eq!(e.acquisition_protocol.as_deref(), Some("Thorax"));
        assert_eq!(e.target_region.as_ref().unwrap().meaning, "Chest");
        assert_eq!(e.procedure_context.as_ref().unwrap().value, "P5-0808E");
        assert_eq!(e.irradiation_event_uid.as_deref(), Some("1.2.3.5"));
        assert_eq!(e.irradiation_event_label.as_deref(), Some("3"));
        assert_eq!(
            e.irradiation_event_label_type.as_ref().unwrap().value,
            "113607"
        );
        assert_eq!(e.exposure_time_s, Some(4.8));
        let s = e.scanning_length.as_ref().unwrap();
        assert_eq!(s.scanning_length_mm, Some(408.9));
        assert_eq!(s.exposed_range_mm, Some(430.0));
        assert_eq!(s.top_z_location_of_reconstructable_volume_mm, Some(-12.5));
        assert_eq!(s.frame_of_reference_uid.as_deref(), Some("1.2.9"));
        assert_eq!(e.nominal_single_collimation_width_mm, Some(0.6));
        assert_eq!(e.nominal_total_collimation_width_mm, Some(38.4));
        assert_eq!(e.pitch_factor, Some(1.2));
        assert_eq!(e.number_of_xray_sources, Some(1));
        assert_eq!(e.xray_sources.len(), 1);
        assert_eq!(e.xray_sources[0].kvp_kv, Some(120.0));
        assert_eq!(e.xray_sources[0].xray_tube_current_ma, Some(142.0));
        assert_eq!(e.xray_sources[0].exposure_time_per_rotation_s, Some(0.28));
        assert_eq!(e.mean_ctdivol_mgy, Some(12.5));
        assert_eq!(e.ctdiw_phantom_type.as_ref().unwrap().value, "113691");
        assert_eq!(e.dlp_mgy_cm, Some(511.11));
        assert_eq!(e.effective_dose_msv, Some(7.2));
        assert_eq!(e.xray_modulation_type.as_deref(), Some("XYZ_EC"));
        assert_eq!(e.comment.as_deref(), Some("routine"));
        assert_eq!(e.dose_check, None);
        assert_eq!(e.device_participants.len(), 1);
        assert_eq!(
            e.device_participants[0].device_manufacturer.as_deref(),
            Some("RDSR Test Systems")
        );
    }

    #[test]
    fn openrem_765_empty_target_region_is_none() {
        let (r, diagnostics) = map_events(vec![event(vec![
            Item::code_empty(Contains, dcm("123014", "Target Region")),
            acquisition_type(srt("P5-08001", "Spiral Acquisition")),
            ct_dose(vec![num(dcm("113830", "Mean CTDIvol"), "23.7", "mGy")]),
        ])]);
        let e = only_event(&r);
        assert_eq!(e.target_region, None);
        assert_eq!(e.mean_ctdivol_mgy, Some(23.7));
        assert!(
            has(&diagnostics, DiagnosticCode::CodeEmpty, "1.2.1"),
            "{diagnostics:#?}"
        );
    }

    #[test]
    fn openrem_380_tube_current_by_code() {
        // Siemens Symbia Intevo: the right code with another meaning.
        let (r, _) = map_events(vec![event(vec![parameters(vec![Item::container(
            Contains,
            dcm("113831", "CT X-Ray Source Parameters"),
            vec![num(dcm("113734", "Tube Current"), "95", "mA")],
        )])])]);
        let e = only_event(&r);
        assert_eq!(e.xray_sources[0].xray_tube_current_ma, Some(95.0));
    }

    #[test]
    fn ge_lower_case_x_ray_meanings_match_by_code() {
        // GE Optima / LightSpeed write "X-ray"; older Toshiba files the older meaning of 113832.
        let (r, _) = map_content(vec![
            Item::datetime(
                HasObsContext,
                dcm("113809", "Start of X-ray Irradiation"),
                "20060823114014",
            ),
            Item::datetime(
                HasObsContext,
                dcm("113810", "End of X-ray Irradiation"),
                "20060823114840",
            ),
            accumulated("415.82"),
            event(vec![parameters(vec![
                num(
                    dcm("113823", "Number of X-ray Sources"),
                    "1",
                    "X-ray sources",
                ),
                Item::container(
                    Contains,
                    dcm("113831", "CT X-ray Source Parameters"),
                    vec![
                        Item::text(
                            Contains,
                            dcm("113832", "Identification Number of the X-Ray Source"),
                            "1",
                        ),
                        num(dcm("113833", "Maximum X-ray Tube Current"), "560", "mA"),
                    ],
                ),
            ])]),
        ]);
        assert_eq!(
            r.start_of_xray_irradiation.unwrap().to_string(),
            "2006-08-23T11:40:14"
        );
        assert!(r.end_of_xray_irradiation.is_some());
        let e = only_event(&r);
        assert_eq!(e.number_of_xray_sources, Some(1));
        let s = &e.xray_sources[0];
        assert_eq!(s.identification_of_the_xray_source.as_deref(), Some("1"));
        assert_eq!(s.maximum_xray_tube_current_ma, Some(560.0));
    }

    #[test]
    fn dual_source_sorted_by_identification() {
        let (r, diagnostics) = map_events(vec![event(vec![parameters(vec![
            num(
                dcm("113823", "Number of X-Ray Sources"),
                "2",
                "{X-Ray sources}",
            ),
            source("B", "140", "308"),
            source("A", "100", "399"),
        ])])]);
        let e = only_event(&r);
        assert_eq!(e.xray_sources.len(), 2, "both sources are kept");
        assert_eq!(e.xray_sources[0].path, "1.2.1.2");
        let sorted: Vec<(Option<&str>, Option<f64>)> = e
            .sources_sorted_by_identification()
            .into_iter()
            .map(|s| (s.identification_of_the_xray_source.as_deref(), s.kvp_kv))
            .collect();
        assert_eq!(sorted, [(Some("A"), Some(100.0)), (Some("B"), Some(140.0))]);
        only(&diagnostics, &[DiagnosticCode::CtDoseMissing]);
    }

    #[test]
    fn sources_without_identification_sort_last() {
        let mut e = CtEvent::default();
        for id in [None, Some("B"), Some("A")] {
            e.xray_sources.push(CtXraySource {
                identification_of_the_xray_source: id.map(str::to_string),
                ..CtXraySource::default()
            });
        }
        let ids: Vec<Option<&str>> = e
            .sources_sorted_by_identification()
            .into_iter()
            .map(|s| s.identification_of_the_xray_source.as_deref())
            .collect();
        assert_eq!(ids, [Some("A"), Some("B"), None]);
    }

    #[test]
    fn dose_check_alert_and_notification_merge() {
        let yes = || srt("R-0038D", "Yes");
        let no = || srt("R-00339", "No");
        let person = |name: &str, role: Code| {
            Item::pname(Contains, dcm("113870", "Person Name"), name).with_child(Item::code(
                HasProperties,
                dcm("113875", "Person Role in Procedure"),
                role,
            ))
        };
        let (r, diagnostics) = map_events(vec![event(vec![ct_dose(vec![
            num(dcm("113830", "Mean CTDIvol"), "5.3", "mGy"),
            Item::container(
                Contains,
                dcm("113900", "Dose Check Alert Details"),
                vec![
                    Item::code(Contains, dcm("113901", "DLP Alert Value Configured"), yes()),
                    Item::code(
                        Contains,
                        dcm("113902", "CTDIvol Alert Value Configured"),
                        yes(),
                    )
                    // The standard nests the value under its "configured" row.
                    .with_child(num(
                        dcm("113904", "CTDIvol Alert Value"),
                        "10",
                        "mGy",
                    )),
                    num(dcm("113903", "DLP Alert Value"), "100", "mGy.cm"),
                    num(
                        dcm("113905", "Accumulated DLP Forward Estimate"),
                        "502.4",
                        "mGy.cm",
                    ),
                    num(
                        dcm("113906", "Accumulated CTDIvol Forward Estimate"),
                        "10.6",
                        "mGy",
                    ),
                    Item::text(Contains, dcm("113907", "Reason for Proceeding"), "obese"),
                    person("Luuk", dcm("113850", "Irradiation Authorizing")),
                ],
            ),
            Item::container(
                Contains,
                dcm("113908", "Dose Check Notification Details"),
                vec![
                    Item::code(
                        Contains,
                        dcm("113909", "DLP Notification Value Configured"),
                        no(),
                    ),
                    Item::code(
                        Contains,
                        dcm("113910", "CTDIvol Notification Value Configured"),
                        yes(),
                    ),
                    num(dcm("113912", "CTDIvol Notification Value"), "60", "mGy"),
                    num(dcm("113914", "CTDIvol Forward Estimate"), "65.5", "mGy"),
                    Item::text(Contains, dcm("113907", "Reason for Proceeding"), "protocol"),
                    person("Anna", dcm("113851", "Irradiation Administering")),
                ],
            ),
        ])])]);
        only(&diagnostics, &[DiagnosticCode::CtParametersMissing]);
        let e = only_event(&r);
        assert_eq!(e.mean_ctdivol_mgy, Some(5.3));
        let d = e.dose_check.as_ref().expect("one merged dose-check record");
        assert_eq!(d.dlp_alert_value_configured, Some(true));
        assert_eq!(d.ctdivol_alert_value_configured, Some(true));
        assert_eq!(d.dlp_alert_value_mgy_cm, Some(100.0));
        assert_eq!(d.ctdivol_alert_value_mgy, Some(10.0));
        assert_eq!(d.accumulated_dlp_forward_estimate_mgy_cm, Some(502.4));
        assert_eq!(d.accumulated_ctdivol_forward_estimate_mgy, Some(10.6));
        assert_eq!(d.alert_reason_for_proceeding.as_deref(), Some("obese"));
        assert_eq!(d.alert_persons.len(), 1);
        assert_eq!(d.alert_persons[0].person_name.as_deref(), Some("Luuk"));
        assert_eq!(
            d.alert_persons[0]
                .person_role_in_procedure
                .as_ref()
                .unwrap()
                .value,
            "113850"
        );
        assert_eq!(d.dlp_notification_value_configured, Some(false));
        assert_eq!(d.ctdivol_notification_value_configured, Some(true));
        assert_eq!(d.ctdivol_notification_value_mgy, Some(60.0));
        assert_eq!(d.ctdivol_forward_estimate_mgy, Some(65.5));
        assert_eq!(
            d.notification_reason_for_proceeding.as_deref(),
            Some("protocol")
        );
        assert_eq!(d.notification_persons.len(), 1);
        assert_eq!(
            d.notification_persons[0]
                .person_role_in_procedure
                .as_ref()
                .unwrap()
                .value,
            "113851"
        );
    }

    #[test]
    fn dose_check_with_only_a_notification() {
        let (r, _) = map_events(vec![event(vec![ct_dose(vec![Item::container(
            Contains,
            dcm("113908", "Dose Check Notification Details"),
            vec![Item::code(
                Contains,
                dcm("113909", "DLP Notification Value Configured"),
                srt("R-0038D", "Yes"),
            )],
        )])])]);
        let d = only_event(&r).dose_check.as_ref().unwrap();
        assert_eq!(d.dlp_notification_value_configured, Some(true));
        assert_eq!(d.dlp_alert_value_configured, None);
    }

    #[test]
    fn configured_flag_with_another_code_is_none_with_a_warning() {
        let (r, diagnostics) = map_events(vec![event(vec![ct_dose(vec![Item::container(
            Contains,
            dcm("113900", "Dose Check Alert Details"),
            vec![Item::code(
                Contains,
                dcm("113901", "DLP Alert Value Configured"),
                dcm("99", "Maybe"),
            )],
        )])])]);
        let d = only_event(&r).dose_check.as_ref().unwrap();
        assert_eq!(d.dlp_alert_value_configured, None);
        assert!(has(&diagnostics, DiagnosticCode::CodeNotYesNo, "1.2.1.1.1"));
    }

    #[test]
    fn pixelmed_empty_parameters_and_missing_ct_dose() {
        let (r, diagnostics) = map_events(vec![
            event(vec![
                acquisition_type(dcm("113805", "Constant Angle Acquisition")),
                parameters(vec![]),
            ]),
            event(vec![
                acquisition_type(srt("P5-08001", "Spiral Acquisition")),
                parameters(vec![num(dcm("113825", "Scanning Length"), "82.09", "mm")]),
            ]),
        ]);
        assert_eq!(r.events.len(), 2);
        let (localiser, spiral) = (&r.events[0], &r.events[1]);
        assert_eq!(localiser.scanning_length, None);
        assert!(localiser.xray_sources.is_empty());
        assert_eq!(localiser.mean_ctdivol_mgy, None);
        assert!(has(
            &diagnostics,
            DiagnosticCode::CtParametersEmpty,
            "1.2.2"
        ));
        // A localiser may omit CT Dose; a spiral acquisition should not.
        assert!(!has(&diagnostics, DiagnosticCode::CtDoseMissing, "1.2"));
        assert!(has(&diagnostics, DiagnosticCode::CtDoseMissing, "1.3"));
        assert_eq!(
            spiral.scanning_length.as_ref().unwrap().scanning_length_mm,
            Some(82.09)
        );
        assert_eq!(spiral.dlp_mgy_cm, None);
    }

    #[test]
    fn openrem_670_slash_separated_value_in_private_container_is_ignored() {
        // Toshiba vHP: "10.50/ 15.00" in the private Dose Reduce Parameters, never read.
        let (r, diagnostics) = map_events(vec![event(vec![
            acquisition_type(srt("P5-08001", "Spiral Acquisition")),
            ct_dose(vec![num(dcm("113830", "Mean CTDIvol"), "3.2", "mGy")]),
            Item::container(
                Contains,
                Code::new(
                    "99TOST000A-0002",
                    "99TOSHIBA-TMSC",
                    "Dose Reduce Parameters",
                ),
                vec![num(
                    dcm("121414", "Standard deviation of population"),
                    "10.50/ 15.00",
                    "1",
                )],
            ),
        ])]);
        assert_eq!(only_event(&r).mean_ctdivol_mgy, Some(3.2));
        only(&diagnostics, &[DiagnosticCode::CtParametersMissing]);
        assert!(
            !diagnostics
                .iter()
                .any(|d| d.path.as_deref().is_some_and(|p| p.starts_with("1.2.3"))),
            "{diagnostics:#?}"
        );
    }

    #[test]
    fn unparseable_and_empty_numbers_are_none_with_diagnostics() {
        let (r, diagnostics) = map_events(vec![event(vec![
            acquisition_type(srt("P5-08001", "Spiral Acquisition")),
            ct_dose(vec![
                num(dcm("113830", "Mean CTDIvol"), "12,5", "mGy"),
                Item::num_empty(Contains, dcm("113838", "DLP"))
                    .with_qualifier(dcm("114006", "Measurement failure")),
                num(dcm("113839", "Effective Dose"), "1.5\\2.5", "mSv"),
            ]),
        ])]);
        let e = only_event(&r);
        assert_eq!(e.mean_ctdivol_mgy, None);
        assert_eq!(e.dlp_mgy_cm, None);
        assert_eq!(e.effective_dose_msv, Some(1.5));
        assert!(has(&diagnostics, DiagnosticCode::NumUnparseable, "1.2.2.1"));
        assert!(has(&diagnostics, DiagnosticCode::NumMultiValued, "1.2.2.3"));
    }

    #[test]
    fn units_are_normalised() {
        let (r, diagnostics) = map_events(vec![event(vec![
            acquisition_type(srt("P5-08001", "Spiral Acquisition")),
            parameters(vec![
                num(dcm("113824", "Exposure Time"), "4800", "ms"),
                num(dcm("113825", "Scanning Length"), "40.89", "cm"),
            ]),
            ct_dose(vec![
                num(dcm("113830", "Mean CTDIvol"), "0.0125", "Gy"),
                num(dcm("113838", "DLP"), "0.51111", "Gy.cm"),
                num(dcm("113839", "Effective Dose"), "0.0072", "Sv"),
            ]),
        ])]);
        let e = only_event(&r);
        let close = |a: Option<f64>, b: f64| (a.unwrap() - b).abs() < 1e-9;
        assert!(close(e.exposure_time_s, 4.8), "{:?}", e.exposure_time_s);
        assert!(close(
            e.scanning_length.as_ref().unwrap().scanning_length_mm,
            408.9
        ));
        assert!(close(e.mean_ctdivol_mgy, 12.5));
        assert!(close(e.dlp_mgy_cm, 511.11));
        assert!(close(e.effective_dose_msv, 7.2));
        let converted = diagnostics
            .iter()
            .filter(|d| d.code == DiagnosticCode::UnitConverted)
            .count();
        assert_eq!(converted, 5, "{diagnostics:#?}");
    }

    #[test]
    fn summary_counts_acquisition_types_by_code() {
        let types = [
            srt("P5-08001", "Spiral Acquisition"),
            Code::new("116152004", "SCT", "Helical"),
            Code::new("C0860888", "UMLS", "Spiral"),
            dcm("113804", "Sequenced Acquisition"),
            dcm("113806", "Stationary Acquisition"),
            dcm("113805", "Constant Angle Acquisition"),
            dcm("113805", "Constant Angle Acquisition"),
            dcm("113807", "Free Acquisition"),
            // A Spiral meaning with another code is not spiral.
            dcm("113804", "Spiral Acquisition"),
        ];
        let events = types
            .iter()
            .map(|t| event(vec![acquisition_type(t.clone())]))
            .collect();
        let (r, _) = map_events(events);
        let mut s = Summary::default();
        r.summarise(&mut s);
        assert_eq!(s.number_of_events, 9);
        assert_eq!(s.number_of_spiral, Some(3));
        assert_eq!(s.number_of_axial, Some(2));
        assert_eq!(s.number_of_stationary, Some(1));
        assert_eq!(s.number_of_const_angle, Some(2));
        assert_eq!(s.total_dlp_mgy_cm, Some(512.3));
    }

    #[test]
    fn summary_without_accumulated_dose_has_no_total_dlp() {
        let (r, diagnostics) = map_content(vec![event(vec![acquisition_type(dcm(
            "113805",
            "Constant Angle Acquisition",
        ))])]);
        assert!(r.accumulated.is_none());
        assert!(has(&diagnostics, DiagnosticCode::CtAccumulatedMissing, "1"));
        let mut s = Summary::default();
        r.summarise(&mut s);
        assert_eq!(s.number_of_events, 1);
        assert_eq!(s.number_of_const_angle, Some(1));
        assert_eq!(s.number_of_spiral, Some(0));
        assert_eq!(s.total_dlp_mgy_cm, None);
    }

    #[test]
    fn accumulated_effective_dose_with_reference_authority() {
        let (r, _) = map_content(vec![Item::container(
            Contains,
            dcm("113811", "CT Accumulated Dose Data"),
            vec![
                num(dcm("113814", "CT Effective Dose Total"), "7.2", "mSv").with_children(vec![
                    Item::code(
                        HasProperties,
                        dcm("121406", "Reference Authority"),
                        dcm("113841", "ICRP Pub 103"),
                    ),
                    Item::code(
                        HasProperties,
                        srt("G-C036", "Measurement Method"),
                        dcm("113800", "DLP to E conversion via MC computation"),
                    ),
                ]),
                Item::text(Contains, dcm("121106", "Comment"), "total"),
                Item::code(
                    Contains,
                    dcm("113876", "Device Role in Procedure"),
                    dcm("113859", "Irradiating Device"),
                ),
            ],
        )]);
        let a = r.accumulated.as_ref().unwrap();
        assert_eq!(a.ct_effective_dose_total_msv, Some(7.2));
        assert_eq!(a.reference_authority.as_ref().unwrap().value, "113841");
        assert_eq!(a.effective_dose_method.as_ref().unwrap().value, "113800");
        assert_eq!(a.comment.as_deref(), Some("total"));
        assert_eq!(a.device_participants.len(), 1);
        assert_eq!(a.path, "1.1");
    }

    #[test]
    fn source_of_dose_information_is_one_to_many() {
        let source =
            |code: Code| Item::code(Contains, dcm("113854", "Source of Dose Information"), code);
        let (r, _) = map_content(vec![
            accumulated("1"),
            source(dcm("113856", "Automated Data Collection")),
            source(dcm("113857", "Manual Entry")),
        ]);
        let values: Vec<&str> = r
            .source_of_dose_information
            .iter()
            .map(|c| c.value.as_str())
            .collect();
        assert_eq!(values, ["113856", "113857"]);
    }

    #[test]
    fn openrem_b2_one_observer_per_observer_type() {
        let (r, _) = map_content(vec![
            Item::code(
                HasObsContext,
                dcm("121005", "Observer Type"),
                dcm("121006", "Person"),
            ),
            Item::pname(
                HasObsContext,
                dcm("121008", "Person Observer Name"),
                "Doe^Jane",
            ),
            Item::code(
                HasObsContext,
                dcm("121005", "Observer Type"),
                dcm("121007", "Device"),
            ),
            Item::text(HasObsContext, dcm("121013", "Device Observer Name"), "CT01"),
            accumulated("1"),
        ]);
        assert_eq!(r.observers.len(), 2);
        assert_eq!(r.observers[0].kind, ObserverKind::Person);
        assert_eq!(
            r.observers[0].person_observer_name.as_deref(),
            Some("Doe^Jane")
        );
        assert_eq!(r.observers[0].device_observer_name, None);
        assert_eq!(r.observers[1].kind, ObserverKind::Device);
        assert_eq!(r.observers[1].device_observer_name.as_deref(), Some("CT01"));
    }

    #[test]
    fn wrong_value_types_never_fail() {
        let (r, diagnostics) = map_events(vec![
            event(vec![
                Item::text(Contains, dcm("123014", "Target Region"), "Chest"),
                Item::code(
                    Contains,
                    dcm("125203", "Acquisition Protocol"),
                    dcm("1", "Thorax"),
                ),
                parameters(vec![Item::text(
                    Contains,
                    dcm("113823", "Number of X-Ray Sources"),
                    "two",
                )]),
                ct_dose(vec![
                    Item::text(Contains, dcm("113830", "Mean CTDIvol"), "12.5"),
                    num(dcm("113838", "DLP"), "-1.5", "mGy.cm"),
                ]),
            ]),
            // A CT Acquisition that is not a container has no content to read.
            Item::text(Contains, dcm("113819", "CT Acquisition"), "oops"),
        ]);
        assert_eq!(r.events.len(), 2);
        let e = &r.events[0];
        assert_eq!(e.target_region, None);
        assert_eq!(e.acquisition_protocol, None);
        assert_eq!(e.number_of_xray_sources, None);
        assert_eq!(e.mean_ctdivol_mgy, None);
        assert_eq!(e.dlp_mgy_cm, Some(-1.5));
        assert!(has(&diagnostics, DiagnosticCode::CodeValueType, "1.2.1"));
        assert!(has(&diagnostics, DiagnosticCode::NumValueType, "1.2.3.1"));
        assert!(has(&diagnostics, DiagnosticCode::NumValueType, "1.2.4.1"));
    }

    #[test]
    fn counts_must_be_whole_numbers() {
        let (r, diagnostics) = map_content(vec![Item::container(
            Contains,
            dcm("113811", "CT Accumulated Dose Data"),
            vec![num(
                dcm("113812", "Total Number of Irradiation Events"),
                "2.5",
                "{events}",
            )],
        )]);
        assert_eq!(
            r.accumulated.unwrap().total_number_of_irradiation_events,
            None
        );
        assert!(has(&diagnostics, DiagnosticCode::NumNotACount, "1.1.1"));
    }

    #[test]
    fn repeated_containers_keep_the_first() {
        let (r, diagnostics) = map_content(vec![
            accumulated("10"),
            accumulated("20"),
            event(vec![
                ct_dose(vec![num(dcm("113838", "DLP"), "1", "mGy.cm")]),
                ct_dose(vec![num(dcm("113838", "DLP"), "2", "mGy.cm")]),
            ]),
        ]);
        assert_eq!(
            r.accumulated
                .as_ref()
                .unwrap()
                .ct_dose_length_product_total_mgy_cm,
            Some(10.0)
        );
        assert_eq!(only_event(&r).dlp_mgy_cm, Some(1.0));
        assert!(has(
            &diagnostics,
            DiagnosticCode::CtAccumulatedRepeated,
            "1.2"
        ));
        assert!(has(&diagnostics, DiagnosticCode::CtDoseRepeated, "1.3.2"));
    }

    #[test]
    fn concept_alias_hint_is_honoured() {
        // A quirk may tell the mapper that a vendor code stands for a standard concept.
        let content = vec![event(vec![ct_dose(vec![num(
            Code::new("CTDI", "99VENDOR", "CTDI vol"),
            "7.5",
            "mGy",
        )])])];
        let bytes = bytes(content);
        let doc = crate::read_document(&bytes).unwrap();
        let mut m = Mapper::new(&doc, Hints::default());
        assert_eq!(map(&mut m, doc.root()).events[0].mean_ctdivol_mgy, None);
        let mut hints = Hints::default();
        hints.concept_aliases.push(ConceptAlias {
            value: "CTDI".into(),
            scheme: "99VENDOR".into(),
            meaning: "ctdi VOL".into(),
            means: codes::MEAN_CTDIVOL,
        });
        let mut m = Mapper::new(&doc, hints);
        assert_eq!(
            map(&mut m, doc.root()).events[0].mean_ctdivol_mgy,
            Some(7.5)
        );
    }

    #[test]
    fn repeated_acquisition_other_than_yes_no_and_modulation_type_as_text() {
        let (r, diagnostics) = map_events(vec![event(vec![
            acquisition_type(srt("P5-08001", "Spiral Acquisition")),
            Item::code(
                Contains,
                dcm("128551", "Is Repeated Acquisition"),
                dcm("1", "Perhaps"),
            ),
            Item::text(Contains, dcm("113842", "X-Ray Modulation Type"), "XYZ_EC"),
        ])]);
        let e = only_event(&r);
        assert_eq!(e.is_repeated_acquisition, None);
        assert_eq!(e.reason_for_repeating_acquisition, None);
        assert!(has(&diagnostics, DiagnosticCode::CodeNotYesNo, "1.2.2"));
        assert_eq!(e.xray_modulation_type.as_deref(), Some("XYZ_EC"));
        assert_eq!(e.xray_modulation_type_code, None);
        assert!(e.reconstruction_algorithms.is_empty());
    }

    #[test]
    fn reconstruction_algorithm_beside_the_acquisition_type_and_coded_modulation_type() {
        let (r, _) = map_events(vec![event(vec![
            acquisition_type(srt("P5-08001", "Spiral Acquisition")),
            Item::code(
                Contains,
                dcm("113961", "Reconstruction Algorithm"),
                dcm("113963", "Iterative Reconstruction"),
            ),
            parameters(vec![Item::code(
                Contains,
                dcm("113842", "X-Ray Modulation Type"),
                Code::new("AL", "99RDSRTEST", "Angular and longitudinal"),
            )]),
        ])]);
        let e = only_event(&r);
        let algorithms: Vec<&str> = e
            .reconstruction_algorithms
            .iter()
            .map(|c| c.value.as_str())
            .collect();
        assert_eq!(algorithms, ["113963"]);
        assert_eq!(
            e.xray_modulation_type_code
                .as_ref()
                .map(|c| c.value.as_str()),
            Some("AL")
        );
        assert_eq!(
            e.xray_modulation_type.as_deref(),
            Some("Angular and longitudinal")
        );
    }

    #[test]
    fn size_specific_dose_and_water_equivalent_diameter_where_present() {
        let (r, _) = map_events(vec![event(vec![ct_dose(vec![
            num(dcm("113830", "Mean CTDIvol"), "10", "mGy"),
            Item::container(
                Contains,
                // The nesting container differs between editions; its code does not matter.
                Code::new("SSDE", "99RDSRTEST", "Size specific dose details"),
                vec![
                    num(
                        Code::new(
                            codes::WATER_EQUIVALENT_DIAMETER.value,
                            "DCM",
                            "Water Equivalent Diameter",
                        ),
                        "28.5",
                        "cm",
                    ),
                    num(
                        Code::new(
                            codes::SIZE_SPECIFIC_DOSE_ESTIMATE.value,
                            "DCM",
                            "Size Specific Dose Estimate",
                        ),
                        "12.9",
                        "mGy",
                    ),
                ],
            ),
        ])])]);
        let e = only_event(&r);
        assert_eq!(e.size_specific_dose_estimation_mgy, Some(12.9));
        assert_eq!(e.water_equivalent_diameter_mm, Some(285.0));
    }

    /// A z-resolved value or position in a unit that is not one of its quantity's gets the
    /// unit diagnostic of every NUM (the record keeps its place, the value as the unknown-unit
    /// rule keeps it); a known other unit is converted.
    #[test]
    fn z_resolved_values_with_a_wrong_unit_are_diagnosed() {
        let at_z = |value: &str, v: &str, unit: &str, z: &str, z_unit: &str| {
            num(dcm(value, "value at Z"), v, unit).with_child(Item::num(
                HasProperties,
                dcm(
                    codes::LONGITUDINAL_POSITION_Z.value,
                    "Longitudinal Position Z",
                ),
                z,
                ucum(z_unit),
            ))
        };
        let (r, diagnostics) = map_events(vec![event(vec![ct_dose(vec![
            at_z(
                codes::SIZE_SPECIFIC_DOSE_ESTIMATE_AT_Z.value,
                "12",
                "mm",
                "10",
                "mm",
            ),
            at_z(
                codes::WATER_EQUIVALENT_DIAMETER_AT_Z.value,
                "28",
                "cm",
                "5",
                "mGy",
            ),
        ])])]);
        let e = only_event(&r);
        assert!(
            has(&diagnostics, DiagnosticCode::UnitUnknown, "1.2.1.1"),
            "{diagnostics:#?}"
        );
        assert!(
            has(&diagnostics, DiagnosticCode::UnitUnknown, "1.2.1.2.1"),
            "{diagnostics:#?}"
        );
        assert!(
            has(&diagnostics, DiagnosticCode::UnitConverted, "1.2.1.2"),
            "{diagnostics:#?}"
        );
        assert_eq!(e.size_specific_dose_estimates_at_z.len(), 1);
        assert_eq!(e.size_specific_dose_estimates_at_z[0].path, "1.2.1.1");
        assert_eq!(
            e.size_specific_dose_estimates_at_z[0].longitudinal_position_z_mm,
            Some(10.0)
        );
        assert_eq!(e.water_equivalent_diameters_at_z.len(), 1);
        assert_eq!(
            e.water_equivalent_diameters_at_z[0].water_equivalent_diameter_mm,
            Some(280.0)
        );
    }
}
