//! Radiopharmaceutical dose report records (TID 10021 family: TID 10021 root, TID 10022
//! administration event, TID 10023 patient characteristics; DICOM PS3.16).
//!
//! Units are normalised when the file's unit is known (see `docs/units.md`): activity in MBq,
//! half-life and durations in s, volume in ml, organ dose in mGy, effective dose in mSv, mass
//! in kg, height in mm, specific activity in Bq/mol.

use serde::{Deserialize, Serialize};

use super::common::{Observer, PersonParticipant};
use super::datetime::DateTime;
use super::summary::Summary;
use crate::sr::OwnedCode;

/// The TID 10021 "Radiopharmaceutical Radiation Dose" body of a dose report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct RadiopharmaceuticalReport {
    /// TID 10021: (G-C2D0, SRT, "Associated Procedure"), CODE (e.g. P5-0A00A PET study for
    /// localization of tumor).
    pub associated_procedure: Option<OwnedCode>,
    /// TID 10021: (G-C0E8, SRT, "Has Intent"), CODE concept modifier of the associated
    /// procedure (CID 3629).
    pub has_intent: Option<OwnedCode>,
    /// TID 1204: (121049, DCM, "Language of Content Item and Descendants"), CODE.
    pub language_of_content: Option<OwnedCode>,
    /// TID 1204: (121046, DCM, "Country of Language"), CODE, under the language.
    pub country_of_language: Option<OwnedCode>,
    /// TID 10021: (121106, DCM, "Comment"), TEXT.
    pub comment: Option<String>,
    /// TID 1002 observer context of the root, one record per observer.
    pub observers: Vec<Observer>,
    /// TID 10022: every (113502, DCM, "Radiopharmaceutical Administration") container, in
    /// document order.
    pub administrations: Vec<RadiopharmaceuticalAdministration>,
    /// TID 10023: the (121118, DCM, "Patient Characteristics") container, the first one.
    pub patient_characteristics: Option<PatientCharacteristics>,
}

/// TID 10022 "Radiopharmaceutical Administration Event Data": one (113502, DCM,
/// "Radiopharmaceutical Administration") container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct RadiopharmaceuticalAdministration {
    /// (F-61FDB, SRT, "Radiopharmaceutical agent"), CODE (CID 25 / CID 4021).
    pub radiopharmaceutical_agent: Option<OwnedCode>,
    /// (C-10072, SRT, "Radionuclide"), CODE, property of the agent (CID 18 / CID 4020).
    pub radionuclide: Option<OwnedCode>,
    /// (R-42806, SRT, "Radionuclide Half Life"), NUM, s, property of the agent.
    pub radionuclide_half_life_s: Option<f64>,
    /// (123007, DCM, "Radiopharmaceutical Specific Activity"), NUM, Bq/mol.
    pub radiopharmaceutical_specific_activity_bq_per_mol: Option<f64>,
    /// (113503, DCM, "Radiopharmaceutical Administration Event UID"), UIDREF.
    pub administration_event_uid: Option<String>,
    /// (113505, DCM, "Intravenous Extravasation Symptoms"), CODE, 0-n (CID 10043).
    pub intravenous_extravasation_symptoms: Vec<OwnedCode>,
    /// (113506, DCM, "Estimated Extravasation Activity"), NUM, MBq.
    pub estimated_extravasation_activity_mbq: Option<f64>,
    /// (123003, DCM, "Radiopharmaceutical Start DateTime"), DATETIME.
    pub start_date_time: Option<DateTime>,
    /// (123004, DCM, "Radiopharmaceutical Stop DateTime"), DATETIME.
    pub stop_date_time: Option<DateTime>,
    /// (113507, DCM, "Administered activity"), NUM, MBq.
    pub administered_activity_mbq: Option<f64>,
    /// (123005, DCM, "Radiopharmaceutical Volume"), NUM, ml (the template's cm3).
    pub radiopharmaceutical_volume_ml: Option<f64>,
    /// (113508, DCM, "Pre-Administration Measured Activity") with its device and observer.
    pub pre_administration_measured_activity: Option<MeasuredActivity>,
    /// (113509, DCM, "Post-Administration Measured Activity") with its device and observer.
    pub post_administration_measured_activity: Option<MeasuredActivity>,
    /// (G-C340, SRT, "Route of administration"), CODE (CID 11).
    pub route_of_administration: Option<OwnedCode>,
    /// (G-C581, SRT, "Site of"), CODE, under the route (CID 3746).
    pub site_of_administration: Option<OwnedCode>,
    /// (G-C171, SRT, "Laterality"), CODE, under the site of administration.
    pub site_of_administration_laterality: Option<OwnedCode>,
    /// (113511, DCM, "Radiopharmaceutical Dispense Unit Identifier"), TEXT.
    pub radiopharmaceutical_dispense_unit_identifier: Option<String>,
    /// (113512, DCM, "Radiopharmaceutical Lot Identifier"), TEXT, 0-n, under the dispense
    /// unit.
    pub radiopharmaceutical_lot_identifiers: Vec<String>,
    /// (113513, DCM, "Reagent Vial Identifier"), TEXT, 0-n, under the dispense unit.
    pub reagent_vial_identifiers: Vec<String>,
    /// (113514, DCM, "Radionuclide Vial Identifier"), TEXT, 0-n, under the dispense unit.
    pub radionuclide_vial_identifiers: Vec<String>,
    /// (113516, DCM, "Prescription Identifier"), TEXT.
    pub prescription_identifier: Option<String>,
    /// (111529, DCM, "Brand Name"), TEXT.
    pub brand_name: Option<String>,
    /// (121147, DCM, "Billing Code(s)"), CODE, 0-n.
    pub billing_codes: Vec<OwnedCode>,
    /// (113510, DCM, "Drug Product Identifier"), CODE, 0-n.
    pub drug_product_identifiers: Vec<OwnedCode>,
    /// (113517, DCM, "Organ Dose Information"): every container, in document order.
    pub organ_doses: Vec<OrganDose>,
    /// (113839, DCM, "Effective Dose"), NUM, mSv: under the administration, or inside a
    /// container there (Siemens writes a private "Effective Dose Information" container).
    pub effective_dose_msv: Option<f64>,
    /// (G-C036, SRT, "Measurement Method") of the effective dose, CODE.
    pub effective_dose_method: Option<OwnedCode>,
    /// (121406, DCM, "Reference Authority") of the effective dose, CODE.
    pub effective_dose_reference_authority: Option<OwnedCode>,
    /// (121406, DCM, "Reference Authority") of the effective dose, when written as TEXT.
    pub effective_dose_reference_authority_text: Option<String>,
    /// TID 1020 person participants (the person administering, with their role).
    pub person_participants: Vec<PersonParticipant>,
    /// (121106, DCM, "Comment"), TEXT.
    pub comment: Option<String>,
    /// SR content path of the 113502 container (`1.2`).
    pub path: String,
}

/// A measured activity of TID 10022 (pre- or post-administration), with the device that
/// measured it and the observer context under it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct MeasuredActivity {
    /// The measured activity, MBq.
    pub activity_mbq: Option<f64>,
    /// (113540, DCM, "Activity Measurement Device"), CODE (CID 10041).
    pub activity_measurement_device: Option<OwnedCode>,
    /// TID 1002 observer context under the measurement.
    pub observers: Vec<Observer>,
}

/// One (113517, DCM, "Organ Dose Information") container of TID 10022.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct OrganDose {
    /// (G-C0E3, SRT, "Finding Site"), CODE: the organ (CID 10044).
    pub finding_site: Option<OwnedCode>,
    /// (G-C171, SRT, "Laterality"), CODE.
    pub laterality: Option<OwnedCode>,
    /// (G-D701, SRT, "Mass"), NUM, kg (the template's g converted: one unit per quantity).
    pub mass_kg: Option<f64>,
    /// (G-C036, SRT, "Measurement Method") of the mass, TEXT (or a CODE's meaning).
    pub mass_measurement_method: Option<String>,
    /// (113518, DCM, "Organ Dose"), NUM, mGy.
    pub organ_dose_mgy: Option<f64>,
    /// (121406, DCM, "Reference Authority") of the organ dose, CODE.
    pub reference_authority: Option<OwnedCode>,
    /// (121406, DCM, "Reference Authority") of the organ dose, when written as TEXT.
    pub reference_authority_text: Option<String>,
    /// SR content path of the 113517 container.
    pub path: String,
}

/// TID 10023 "Radiopharmaceutical Administration Patient Characteristics" (container 121118).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PatientCharacteristics {
    /// (121033, DCM, "Subject Age"), NUM, years (the file's a, mo, wk or d converted).
    pub subject_age_years: Option<f64>,
    /// (121032, DCM, "Subject Sex"), CODE (CID 7455).
    pub subject_sex: Option<OwnedCode>,
    /// (8302-2, LN, "Patient Height"), NUM, mm (the template's m converted: every length of
    /// the crate is in mm).
    pub patient_height_mm: Option<f64>,
    /// (29463-7, LN, "Patient Weight"), NUM, kg.
    pub patient_weight_kg: Option<f64>,
    /// (8277-6, LN, "Body Surface Area"), NUM, m².
    pub body_surface_area_m2: Option<f64>,
    /// (8278-4, LN, "Body Surface Area Formula"), CODE, under the body surface area (CID 3663).
    pub body_surface_area_formula: Option<OwnedCode>,
    /// (F-01860, SRT, "Body Mass Index"), NUM, kg/m².
    pub body_mass_index_kg_per_m2: Option<f64>,
    /// (121420, DCM, "Equation") of the body mass index, CODE (CID 3664).
    pub body_mass_index_equation: Option<OwnedCode>,
    /// (14749-6, LN, "Glucose"), NUM, mmol/l.
    pub glucose_mmol_per_l: Option<f64>,
    /// (113550, DCM, "Fasting Duration"), NUM, s (the template's hours converted).
    pub fasting_duration_s: Option<f64>,
    /// (113551, DCM, "Hydration Volume"), NUM, ml.
    pub hydration_volume_ml: Option<f64>,
    /// (113552, DCM, "Recent Physical Activity"), TEXT.
    pub recent_physical_activity: Option<String>,
    /// (2160-0, LN, "Serum Creatinine"), NUM, mg/dl.
    pub serum_creatinine_mg_per_dl: Option<f64>,
    /// Glomerular filtration rate rows (F-70210, SRT, "Glomerular Filtration Rate"), 0-n.
    pub glomerular_filtration_rates: Vec<GlomerularFiltrationRate>,
    /// (109054, DCM, "Patient State"), CODE, 0-n (CID 10045).
    pub patient_states: Vec<OwnedCode>,
}

/// One glomerular filtration rate of TID 10023.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct GlomerularFiltrationRate {
    /// The rate, ml/min/1.73 m².
    pub glomerular_filtration_rate_ml_per_min_per_1_73m2: Option<f64>,
    /// (G-C036, SRT, "Measurement Method"), CODE (CID 10047).
    pub measurement_method: Option<OwnedCode>,
    /// (121050, DCM, "Equivalent meaning of concept name"), CODE.
    pub equivalent_meaning_of_concept_name: Option<OwnedCode>,
}

impl RadiopharmaceuticalReport {
    /// Adds this report's part of the summary fields: the number of administrations, the
    /// total administered activity (MBq) and the total effective dose (mSv) of its
    /// administrations.
    pub fn summarise(&self, summary: &mut Summary) {
        let administrations: Vec<&RadiopharmaceuticalAdministration> =
            self.administrations.iter().collect();
        add_administrations(summary, &administrations);
    }
}

/// Adds the given administrations to the radiopharmaceutical summary fields.
pub(crate) fn add_administrations(
    summary: &mut Summary,
    administrations: &[&RadiopharmaceuticalAdministration],
) {
    summary.number_of_administrations =
        Some(summary.number_of_administrations.unwrap_or(0) + administrations.len());
    let activity = super::finite_sum(
        std::iter::once(summary.total_administered_activity_mbq)
            .chain(administrations.iter().map(|a| a.administered_activity_mbq)),
    );
    let effective = super::finite_sum(
        std::iter::once(summary.total_radiopharmaceutical_effective_dose_msv)
            .chain(administrations.iter().map(|a| a.effective_dose_msv)),
    );
    summary.total_administered_activity_mbq = activity;
    summary.total_radiopharmaceutical_effective_dose_msv = effective;
}
