//! TID 10011 CT Radiation Dose (with TID 10012-10015) to records.
//!
//! Every concept is matched by code through [`Mapper::is`] (with the equivalent codings of the
//! code table and the concept aliases a quirk may set), never by meaning: GE's "X-ray"
//! spelling, Toshiba's older "Identification Number of the X-Ray Source" and Siemens Intevo's
//! tube-current meaning (#380) need no special case. Missing or malformed items leave the field
//! `None` with a diagnostic; nothing here fails, panics or recurses on input depth. Vendor
//! defects are the quirk table's business, not this module's.

use super::common::Mapper;
use super::units::Quantity;
use crate::error::Severity;
use crate::model::ct::{
    CtAccumulatedDose, CtEvent, CtReport, CtXraySource, DoseCheck, ScanningLength,
};
use crate::sr::{CodeConst, Item, ValueType, codes};

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
                    "ct.accumulated.repeated",
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
            "ct.accumulated.missing",
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
            set(
                &mut a.ct_dose_length_product_total,
                m.num(c, Quantity::DoseLengthProduct),
            );
        } else if m.is(c, &codes::CT_EFFECTIVE_DOSE_TOTAL) {
            set(
                &mut a.ct_effective_dose_total,
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
    for c in container.children() {
        if m.is(c, &codes::ACQUISITION_PROTOCOL) {
            set(&mut e.acquisition_protocol, m.text(c));
        } else if m.is(c, &codes::TARGET_REGION) {
            // An empty Concept Code Sequence (Philips Big Bore, Toshiba, PixelMed: #765) is
            // `None` with the mapper's diagnostic.
            set(&mut e.target_region, m.code(c));
        } else if m.is(c, &codes::CT_ACQUISITION_TYPE) {
            set(&mut e.ct_acquisition_type, m.code(c));
        } else if m.is(c, &codes::PROCEDURE_CONTEXT) {
            set(&mut e.procedure_context, m.code(c));
        } else if m.is(c, &codes::IRRADIATION_EVENT_UID) {
            set(&mut e.irradiation_event_uid, m.uid(c));
        } else if m.is(c, &codes::IRRADIATION_EVENT_LABEL) {
            set(&mut e.irradiation_event_label, m.text(c));
            let label_type = m.child(c, &codes::LABEL_TYPE).and_then(|t| m.code(t));
            set(&mut e.irradiation_event_label_type, label_type);
        } else if m.is(c, &codes::CT_ACQUISITION_PARAMETERS) {
            first_container(m, &mut parameters, c, "ct.parameters.repeated");
        } else if m.is(c, &codes::CT_DOSE) {
            first_container(m, &mut dose, c, "ct.dose.repeated");
        } else if m.is(c, &codes::XRAY_MODULATION_TYPE) {
            set(&mut e.xray_modulation_type, m.text(c));
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
            first_container(m, &mut alert, c, "ct.dose_check.repeated");
        } else if m.is(c, &codes::DOSE_CHECK_NOTIFICATION_DETAILS) {
            first_container(m, &mut notification, c, "ct.dose_check.repeated");
        }
    }
    match parameters {
        Some(p) => acquisition_parameters(m, p, &mut e),
        None => m.note(
            container,
            Severity::Warning,
            "ct.parameters.missing",
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
                    "ct.dose.missing",
                    "CT Acquisition without CT Dose (113829): no CTDIvol or DLP".into(),
                );
            }
        }
    }
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
            "ct.parameters.empty",
            "empty CT Acquisition Parameters container".into(),
        );
        return;
    }
    for c in container.children() {
        if m.is(c, &codes::EXPOSURE_TIME) {
            set(&mut e.exposure_time, m.num(c, Quantity::Seconds));
        } else if m.is(c, &codes::NOMINAL_SINGLE_COLLIMATION_WIDTH) {
            set(
                &mut e.nominal_single_collimation_width,
                m.num(c, Quantity::Millimetres),
            );
        } else if m.is(c, &codes::NOMINAL_TOTAL_COLLIMATION_WIDTH) {
            set(
                &mut e.nominal_total_collimation_width,
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
            set(&mut e.xray_modulation_type, m.text(c));
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
                "ct.sources.count_mismatch",
                format!(
                    "Number of X-Ray Sources is {n} but {} CT X-Ray Source Parameters containers are present",
                    e.xray_sources.len()
                ),
            );
        }
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
        (&codes::SCANNING_LENGTH, |s| &mut s.scanning_length),
        (&codes::LENGTH_OF_RECONSTRUCTABLE_VOLUME, |s| {
            &mut s.length_of_reconstructable_volume
        }),
        (&codes::EXPOSED_RANGE, |s| &mut s.exposed_range),
        (&codes::TOP_Z_LOCATION_OF_RECONSTRUCTABLE_VOLUME, |s| {
            &mut s.top_z_location_of_reconstructable_volume
        }),
        (&codes::BOTTOM_Z_LOCATION_OF_RECONSTRUCTABLE_VOLUME, |s| {
            &mut s.bottom_z_location_of_reconstructable_volume
        }),
        (&codes::TOP_Z_LOCATION_OF_SCANNING_LENGTH, |s| {
            &mut s.top_z_location_of_scanning_length
        }),
        (&codes::BOTTOM_Z_LOCATION_OF_SCANNING_LENGTH, |s| {
            &mut s.bottom_z_location_of_scanning_length
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
            set(&mut s.kvp, m.num(c, Quantity::Kilovolts));
        } else if m.is(c, &codes::MAXIMUM_XRAY_TUBE_CURRENT) {
            set(
                &mut s.maximum_xray_tube_current,
                m.num(c, Quantity::Milliamperes),
            );
        } else if m.is(c, &codes::XRAY_TUBE_CURRENT) {
            set(&mut s.xray_tube_current, m.num(c, Quantity::Milliamperes));
        } else if m.is(c, &codes::EXPOSURE_TIME_PER_ROTATION) {
            set(
                &mut s.exposure_time_per_rotation,
                m.num(c, Quantity::Seconds),
            );
        } else if m.is(c, &codes::XRAY_FILTER_ALUMINUM_EQUIVALENT) {
            set(
                &mut s.xray_filter_aluminum_equivalent,
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
            set(&mut e.mean_ctdivol, m.num(c, Quantity::DoseMilliGy));
        } else if m.is(c, &codes::CTDIW_PHANTOM_TYPE) {
            set(&mut e.ctdiw_phantom_type, m.code(c));
        } else if m.is(c, &codes::CTDIFREEAIR_CALCULATION_FACTOR) {
            set(
                &mut e.ctdifreeair_calculation_factor,
                m.num(c, Quantity::Dimensionless),
            );
        } else if m.is(c, &codes::MEAN_CTDIFREEAIR) {
            set(&mut e.mean_ctdifreeair, m.num(c, Quantity::DoseMilliGy));
        } else if m.is(c, &codes::DLP) {
            set(&mut e.dlp, m.num(c, Quantity::DoseLengthProduct));
        } else if m.is(c, &codes::EFFECTIVE_DOSE) {
            set(&mut e.effective_dose, m.num(c, Quantity::EffectiveDose));
            for q in c.children() {
                effective_dose_detail(m, q, e);
            }
        } else if m.is(c, &codes::DOSE_CHECK_ALERT_DETAILS) {
            if alert.is_none() {
                *alert = Some(c);
            } else {
                repeated(m, c, "ct.dose_check.repeated");
            }
        } else if m.is(c, &codes::DOSE_CHECK_NOTIFICATION_DETAILS) {
            if notification.is_none() {
                *notification = Some(c);
            } else {
                repeated(m, c, "ct.dose_check.repeated");
            }
        } else {
            effective_dose_detail(m, c, e);
        }
    }
    // Size-specific dose estimation (later editions): the rows sit in nested containers
    // whose layout changed between editions, so they are looked for anywhere below.
    for d in container.descendants() {
        let ssde = m.is(d, &codes::SIZE_SPECIFIC_DOSE_ESTIMATE);
        let wed = m.is(d, &codes::WATER_EQUIVALENT_DIAMETER);
        if ssde && e.size_specific_dose_estimation.is_none() {
            e.size_specific_dose_estimation = m.num(d, Quantity::DoseMilliGy);
        } else if wed && e.water_equivalent_diameter.is_none() {
            e.water_equivalent_diameter = m.num(d, Quantity::Millimetres);
        }
    }
}

/// Measurement Method and Effective Dose Conversion Factor of an event's effective dose.
fn effective_dose_detail(m: &mut Mapper<'_>, item: Item<'_>, e: &mut CtEvent) {
    if m.is(item, &codes::MEASUREMENT_METHOD) {
        set(&mut e.effective_dose_method, m.code(item));
    } else if m.is(item, &codes::EFFECTIVE_DOSE_CONVERSION_FACTOR) {
        set(
            &mut e.effective_dose_conversion_factor,
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
                    &mut d.dlp_alert_value,
                    m.num(c, Quantity::DoseLengthProduct),
                );
            } else if m.is(c, &codes::CTDIVOL_ALERT_VALUE) {
                set(&mut d.ctdivol_alert_value, m.num(c, Quantity::DoseMilliGy));
            } else if m.is(c, &codes::ACCUMULATED_DLP_FORWARD_ESTIMATE) {
                set(
                    &mut d.accumulated_dlp_forward_estimate,
                    m.num(c, Quantity::DoseLengthProduct),
                );
            } else if m.is(c, &codes::ACCUMULATED_CTDIVOL_FORWARD_ESTIMATE) {
                set(
                    &mut d.accumulated_ctdivol_forward_estimate,
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
                    &mut d.dlp_notification_value,
                    m.num(c, Quantity::DoseLengthProduct),
                );
            } else if m.is(c, &codes::CTDIVOL_NOTIFICATION_VALUE) {
                set(
                    &mut d.ctdivol_notification_value,
                    m.num(c, Quantity::DoseMilliGy),
                );
            } else if m.is(c, &codes::DLP_FORWARD_ESTIMATE) {
                set(
                    &mut d.dlp_forward_estimate,
                    m.num(c, Quantity::DoseLengthProduct),
                );
            } else if m.is(c, &codes::CTDIVOL_FORWARD_ESTIMATE) {
                set(
                    &mut d.ctdivol_forward_estimate,
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
            "code.not_yes_no",
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
            "num.not_a_count",
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
    code: &'static str,
) {
    if slot.is_none() {
        *slot = Some(item);
    } else {
        repeated(m, item, code);
    }
}

fn repeated(m: &mut Mapper<'_>, item: Item<'_>, code: &'static str) {
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
