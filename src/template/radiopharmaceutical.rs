//! TID 10021 Radiopharmaceutical Radiation Dose (DICOM PS3.16), with TID 10022
//! (administration event data) and TID 10023 (patient characteristics).

use super::common::Mapper;
use super::units::Quantity;
use crate::error::{DiagnosticCode, Severity};
use crate::model::radiopharmaceutical::{
    GlomerularFiltrationRate, MeasuredActivity, OrganDose, PatientCharacteristics,
    RadiopharmaceuticalAdministration, RadiopharmaceuticalReport,
};
use crate::sr::{Item, Value, codes};

/// Maps the root of a TID 10021 document.
pub(crate) fn map(m: &mut Mapper<'_>, root: Item<'_>) -> RadiopharmaceuticalReport {
    let mut report = RadiopharmaceuticalReport {
        observers: quiet_observers(m, root),
        ..RadiopharmaceuticalReport::default()
    };
    for c in root.children() {
        if m.is(c, &codes::ASSOCIATED_PROCEDURE) {
            if report.associated_procedure.is_none() {
                report.associated_procedure = m.code(c);
                report.has_intent = m.child(c, &codes::HAS_INTENT).and_then(|i| m.code(i));
            }
        } else if m.is(c, &codes::HAS_INTENT) {
            // Some writers put Has Intent beside the procedure rather than under it.
            set(&mut report.has_intent, m.code(c));
        } else if m.is(c, &codes::LANGUAGE_OF_CONTENT_ITEM_AND_DESCENDANTS) {
            if report.language_of_content.is_none() {
                report.language_of_content = m.code(c);
                report.country_of_language = m
                    .child(c, &codes::COUNTRY_OF_LANGUAGE)
                    .and_then(|i| m.code(i));
            }
        } else if m.is(c, &codes::COMMENT) {
            set(&mut report.comment, m.text(c));
        } else if m.is(c, &codes::RADIOPHARMACEUTICAL_ADMINISTRATION) {
            let a = administration(m, c);
            report.administrations.push(a);
        } else if m.is(c, &codes::PATIENT_CHARACTERISTICS) {
            if report.patient_characteristics.is_none() {
                report.patient_characteristics = Some(patient_characteristics(m, c));
            } else {
                m.note(
                    c,
                    Severity::Warning,
                    DiagnosticCode::RadiopharmaceuticalRepeated,
                    "a second Patient Characteristics container; only the first is read".into(),
                );
            }
        }
    }
    if report.administrations.is_empty() {
        m.note(
            root,
            Severity::Warning,
            DiagnosticCode::RadiopharmaceuticalAdministrationMissing,
            "no Radiopharmaceutical Administration (113502): no administered activity".into(),
        );
    }
    report
}

/// The observer context among the children of `parent`, without the diagnostics of items
/// that are not observer rows.
fn quiet_observers(m: &mut Mapper<'_>, parent: Item<'_>) -> Vec<crate::model::Observer> {
    let before = m.diagnostics.len();
    let observers = m.observers(parent);
    m.diagnostics.truncate(before);
    observers
}

/// TID 10022 Radiopharmaceutical Administration Event Data (container 113502).
fn administration(m: &mut Mapper<'_>, container: Item<'_>) -> RadiopharmaceuticalAdministration {
    let mut a = RadiopharmaceuticalAdministration {
        path: container.path().to_string(),
        ..RadiopharmaceuticalAdministration::default()
    };
    for c in container.children() {
        if m.is(c, &codes::RADIOPHARMACEUTICAL_AGENT) {
            set(&mut a.radiopharmaceutical_agent, m.code(c));
            for p in c.children() {
                if m.is(p, &codes::RADIONUCLIDE) {
                    set(&mut a.radionuclide, m.code(p));
                } else if m.is(p, &codes::RADIONUCLIDE_HALF_LIFE) {
                    set(&mut a.radionuclide_half_life_s, m.num(p, Quantity::Seconds));
                }
            }
        } else if m.is(c, &codes::RADIONUCLIDE) {
            set(&mut a.radionuclide, m.code(c));
        } else if m.is(c, &codes::RADIONUCLIDE_HALF_LIFE) {
            set(&mut a.radionuclide_half_life_s, m.num(c, Quantity::Seconds));
        } else if m.is(c, &codes::RADIOPHARMACEUTICAL_SPECIFIC_ACTIVITY) {
            set(
                &mut a.radiopharmaceutical_specific_activity_bq_per_mol,
                m.num(c, Quantity::SpecificActivity),
            );
        } else if m.is(c, &codes::RADIOPHARMACEUTICAL_ADMINISTRATION_EVENT_UID) {
            set(&mut a.administration_event_uid, m.uid(c));
        } else if m.is(c, &codes::INTRAVENOUS_EXTRAVASATION_SYMPTOMS) {
            a.intravenous_extravasation_symptoms.extend(m.code(c));
        } else if m.is(c, &codes::ESTIMATED_EXTRAVASATION_ACTIVITY) {
            set(
                &mut a.estimated_extravasation_activity_mbq,
                m.num(c, Quantity::Activity),
            );
        } else if m.is(c, &codes::RADIOPHARMACEUTICAL_START_DATETIME) {
            set(&mut a.start_date_time, m.datetime(c));
        } else if m.is(c, &codes::RADIOPHARMACEUTICAL_STOP_DATETIME) {
            set(&mut a.stop_date_time, m.datetime(c));
        } else if m.is(c, &codes::ADMINISTERED_ACTIVITY) {
            set(
                &mut a.administered_activity_mbq,
                m.num(c, Quantity::Activity),
            );
        } else if m.is(c, &codes::RADIOPHARMACEUTICAL_VOLUME) {
            set(
                &mut a.radiopharmaceutical_volume_ml,
                m.num_in(c, Quantity::Millilitres, Some("cm3")),
            );
        } else if m.is(c, &codes::PRE_ADMINISTRATION_MEASURED_ACTIVITY) {
            if a.pre_administration_measured_activity.is_none() {
                a.pre_administration_measured_activity = Some(measured_activity(m, c));
            }
        } else if m.is(c, &codes::POST_ADMINISTRATION_MEASURED_ACTIVITY) {
            if a.post_administration_measured_activity.is_none() {
                a.post_administration_measured_activity = Some(measured_activity(m, c));
            }
        } else if m.is(c, &codes::ROUTE_OF_ADMINISTRATION) {
            if a.route_of_administration.is_none() {
                a.route_of_administration = m.code(c);
                if let Some(site) = m.child(c, &codes::SITE_OF) {
                    a.site_of_administration = m.code(site);
                    a.site_of_administration_laterality =
                        m.child(site, &codes::LATERALITY).and_then(|l| m.code(l));
                }
            }
        } else if m.is(c, &codes::RADIOPHARMACEUTICAL_DISPENSE_UNIT_IDENTIFIER) {
            set(
                &mut a.radiopharmaceutical_dispense_unit_identifier,
                m.text(c),
            );
            for p in c.children() {
                if m.is(p, &codes::RADIOPHARMACEUTICAL_LOT_IDENTIFIER) {
                    a.radiopharmaceutical_lot_identifiers.extend(m.text(p));
                } else if m.is(p, &codes::REAGENT_VIAL_IDENTIFIER) {
                    a.reagent_vial_identifiers.extend(m.text(p));
                } else if m.is(p, &codes::RADIONUCLIDE_VIAL_IDENTIFIER) {
                    a.radionuclide_vial_identifiers.extend(m.text(p));
                }
            }
        } else if m.is(c, &codes::PRESCRIPTION_IDENTIFIER) {
            set(&mut a.prescription_identifier, m.text(c));
        } else if m.is(c, &codes::BRAND_NAME) {
            set(&mut a.brand_name, m.text(c));
        } else if m.is(c, &codes::BILLING_CODES) {
            a.billing_codes.extend(m.code(c));
        } else if m.is(c, &codes::DRUG_PRODUCT_IDENTIFIER) {
            a.drug_product_identifiers.extend(m.code(c));
        } else if m.is(c, &codes::ORGAN_DOSE_INFORMATION) {
            let d = organ_dose(m, c);
            a.organ_doses.push(d);
        } else if m.is(c, &codes::EFFECTIVE_DOSE) {
            effective_dose(m, c, &mut a);
        } else if c.value_type() == crate::sr::ValueType::Container {
            // TID 10022 puts Effective Dose under the administration; Siemens wraps it in a
            // private "Effective Dose Information" container (220001, 99SHS).
            if let Some(e) = m.child(c, &codes::EFFECTIVE_DOSE) {
                effective_dose(m, e, &mut a);
            }
        } else if m.is(c, &codes::PERSON_NAME) {
            let p = m.person_participant(c);
            a.person_participants.push(p);
        } else if m.is(c, &codes::COMMENT) {
            set(&mut a.comment, m.text(c));
        }
    }
    a
}

/// The Effective Dose row (113839) of an administration, with its method and authority.
fn effective_dose(m: &mut Mapper<'_>, item: Item<'_>, a: &mut RadiopharmaceuticalAdministration) {
    if a.effective_dose_msv.is_some() {
        m.note(
            item,
            Severity::Warning,
            DiagnosticCode::RadiopharmaceuticalRepeated,
            "a second Effective Dose in one administration; only the first is read".into(),
        );
        return;
    }
    a.effective_dose_msv = m.num(item, Quantity::EffectiveDose);
    for p in item.children() {
        if m.is(p, &codes::MEASUREMENT_METHOD) {
            set(&mut a.effective_dose_method, m.code(p));
        } else if m.is(p, &codes::REFERENCE_AUTHORITY) {
            match p.value() {
                Value::Code(_) => set(&mut a.effective_dose_reference_authority, m.code(p)),
                _ => set(&mut a.effective_dose_reference_authority_text, m.text(p)),
            }
        }
    }
}

/// A pre- or post-administration measured activity, with its device and observers.
fn measured_activity(m: &mut Mapper<'_>, item: Item<'_>) -> MeasuredActivity {
    MeasuredActivity {
        activity_mbq: m.num(item, Quantity::Activity),
        activity_measurement_device: m
            .child(item, &codes::ACTIVITY_MEASUREMENT_DEVICE)
            .and_then(|d| m.code(d)),
        observers: quiet_observers(m, item),
    }
}

/// One Organ Dose Information container (113517).
fn organ_dose(m: &mut Mapper<'_>, container: Item<'_>) -> OrganDose {
    let mut d = OrganDose {
        path: container.path().to_string(),
        ..OrganDose::default()
    };
    for c in container.children() {
        if m.is(c, &codes::FINDING_SITE) {
            set(&mut d.finding_site, m.code(c));
        } else if m.is(c, &codes::LATERALITY) {
            set(&mut d.laterality, m.code(c));
        } else if m.is(c, &codes::MASS) {
            set(&mut d.mass_kg, m.num_in(c, Quantity::Kilograms, Some("g")));
            if let Some(method) = m.child(c, &codes::MEASUREMENT_METHOD) {
                let text = match method.value() {
                    Value::Code(Some(code)) => Some(code.meaning.to_string()),
                    _ => m.text(method),
                };
                set(&mut d.mass_measurement_method, text);
            }
        } else if m.is(c, &codes::ORGAN_DOSE) {
            set(&mut d.organ_dose_mgy, m.num(c, Quantity::DoseMilliGy));
            for p in c.children() {
                if m.is(p, &codes::REFERENCE_AUTHORITY) {
                    match p.value() {
                        Value::Code(_) => set(&mut d.reference_authority, m.code(p)),
                        _ => set(&mut d.reference_authority_text, m.text(p)),
                    }
                }
            }
        }
    }
    d
}

/// TID 10023 Radiopharmaceutical Administration Patient Characteristics (container 121118).
fn patient_characteristics(m: &mut Mapper<'_>, container: Item<'_>) -> PatientCharacteristics {
    let mut p = PatientCharacteristics::default();
    for c in container.children() {
        if m.is(c, &codes::SUBJECT_AGE) {
            set(&mut p.subject_age_years, m.num(c, Quantity::Years));
        } else if m.is(c, &codes::SUBJECT_SEX) {
            set(&mut p.subject_sex, m.code(c));
        } else if m.is(c, &codes::PATIENT_HEIGHT) {
            set(
                &mut p.patient_height_mm,
                m.num_in(c, Quantity::Millimetres, Some("m")),
            );
        } else if m.is(c, &codes::PATIENT_WEIGHT) {
            set(&mut p.patient_weight_kg, m.num(c, Quantity::Kilograms));
        } else if m.is(c, &codes::BODY_SURFACE_AREA) {
            set(
                &mut p.body_surface_area_m2,
                m.num(c, Quantity::SquareMetres),
            );
            set(
                &mut p.body_surface_area_formula,
                m.child(c, &codes::BODY_SURFACE_AREA_FORMULA)
                    .and_then(|f| m.code(f)),
            );
        } else if m.is(c, &codes::BODY_MASS_INDEX) {
            set(
                &mut p.body_mass_index_kg_per_m2,
                m.num(c, Quantity::BodyMassIndex),
            );
            set(
                &mut p.body_mass_index_equation,
                m.child(c, &codes::EQUATION).and_then(|f| m.code(f)),
            );
        } else if m.is(c, &codes::GLUCOSE) {
            set(&mut p.glucose_mmol_per_l, m.num(c, Quantity::Glucose));
        } else if m.is(c, &codes::FASTING_DURATION) {
            set(
                &mut p.fasting_duration_s,
                m.num_in(c, Quantity::Seconds, Some("h")),
            );
        } else if m.is(c, &codes::HYDRATION_VOLUME) {
            set(&mut p.hydration_volume_ml, m.num(c, Quantity::Millilitres));
        } else if m.is(c, &codes::RECENT_PHYSICAL_ACTIVITY) {
            set(&mut p.recent_physical_activity, m.text(c));
        } else if m.is(c, &codes::SERUM_CREATININE) {
            set(
                &mut p.serum_creatinine_mg_per_dl,
                m.num(c, Quantity::SerumCreatinine),
            );
        } else if m.is(c, &codes::GLOMERULAR_FILTRATION_RATE) {
            let rate = m.num(c, Quantity::GlomerularFiltrationRate);
            let measurement_method = m
                .child(c, &codes::MEASUREMENT_METHOD)
                .and_then(|x| m.code(x));
            let equivalent_meaning_of_concept_name = m
                .child(c, &codes::EQUIVALENT_MEANING_OF_CONCEPT_NAME)
                .and_then(|x| m.code(x));
            p.glomerular_filtration_rates
                .push(GlomerularFiltrationRate {
                    glomerular_filtration_rate_ml_per_min_per_1_73m2: rate,
                    measurement_method,
                    equivalent_meaning_of_concept_name,
                });
        } else if m.is(c, &codes::PATIENT_STATE) {
            p.patient_states.extend(m.code(c));
        }
    }
    p
}

fn set<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}
