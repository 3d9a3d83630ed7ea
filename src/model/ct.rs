//! CT report records (TID 10011 family: TID 10011 root, TID 10012 accumulated dose, TID 10013
//! irradiation event, TID 10014 scanning length, TID 10015 dose check).
//!
//! Units are normalised when the file's unit is known (see `src/template/units.rs`): CTDIvol
//! and CTDIfreeair in mGy, DLP in mGy·cm, effective dose in mSv, times in s, lengths in mm,
//! tube voltage in kV, tube current in mA.

use serde::{Deserialize, Serialize};

use super::common::{DeviceParticipant, Observer, PersonParticipant};
use super::datetime::DateTime;
use super::summary::Summary;
use crate::sr::OwnedCode;
use crate::sr::codes;

/// The TID 10011 "CT Radiation Dose" body of a dose report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CtReport {
    /// TID 10011 row 2: (121058, DCM, "Procedure reported"), CODE (normally P5-08000 / 77477000
    /// Computed Tomography X-Ray).
    pub procedure_reported: Option<OwnedCode>,
    /// TID 10011 row 3: (G-C0E8, SRT, "Has Intent"), CODE concept modifier of the procedure
    /// reported (CID 3629).
    pub has_intent: Option<OwnedCode>,
    /// TID 10011: (113809, DCM, "Start of X-Ray Irradiation"), DATETIME, with the file's
    /// precision and UTC offset.
    pub start_of_xray_irradiation: Option<DateTime>,
    /// TID 10011: (113810, DCM, "End of X-Ray Irradiation"), DATETIME.
    pub end_of_xray_irradiation: Option<DateTime>,
    /// TID 10011: (113705, DCM, "Scope of Accumulation"), CODE (CID 10000: Study, Series,
    /// Performed Procedure Step).
    pub scope_of_accumulation: Option<OwnedCode>,
    /// The UID under the Scope of Accumulation (CID 10001: 110180 Study Instance UID, 112002
    /// Series Instance UID or 121126 Performed Procedure Step SOP Instance UID).
    pub scope_of_accumulation_uid: Option<String>,
    /// TID 10011: (113854, DCM, "Source of Dose Information"), CODE, 1-n (CID 10021), in
    /// document order. OpenREM keeps only one.
    pub source_of_dose_information: Vec<OwnedCode>,
    /// TID 10011: (121106, DCM, "Comment"), TEXT.
    pub comment: Option<String>,
    /// TID 1002 observer context of the root, one record per observer (OpenREM fills every
    /// record from the whole root, [OpenREM B2](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b2)).
    pub observers: Vec<Observer>,
    /// TID 1020 person participants at the root (not captured by OpenREM).
    pub person_participants: Vec<PersonParticipant>,
    /// TID 10012: (113811, DCM, "CT Accumulated Dose Data"), the first such container.
    pub accumulated: Option<CtAccumulatedDose>,
    /// TID 10013: every (113819, DCM, "CT Acquisition") container, in document order.
    pub events: Vec<CtEvent>,
}

/// TID 10012 "CT Accumulated Dose Data" (container 113811).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CtAccumulatedDose {
    /// (113812, DCM, "Total Number of Irradiation Events"), NUM, count.
    pub total_number_of_irradiation_events: Option<u32>,
    /// (113813, DCM, "CT Dose Length Product Total"), NUM, mGy·cm: the first such row (see
    /// `ct_dose_length_product_totals` for every one).
    pub ct_dose_length_product_total_mgy_cm: Option<f64>,
    /// Every (113813, DCM, "CT Dose Length Product Total") row, in document order: one per
    /// phantom type when the report gives sub-totals per phantom (head and body).
    pub ct_dose_length_product_totals: Vec<CtDoseLengthProductTotal>,
    /// (113814, DCM, "CT Effective Dose Total"), NUM, mSv.
    pub ct_effective_dose_total_msv: Option<f64>,
    /// (121406, DCM, "Reference Authority") of the effective dose total, CODE (CID 10015, e.g.
    /// 113841 ICRP Pub 103).
    pub reference_authority: Option<OwnedCode>,
    /// (121406, DCM, "Reference Authority") of the effective dose total, when written as TEXT.
    pub reference_authority_text: Option<String>,
    /// (G-C036, SRT, "Measurement Method") of the effective dose total, CODE (CID 10011).
    pub effective_dose_method: Option<OwnedCode>,
    /// (113815, DCM, "Patient Model") of the effective dose total, TEXT: the patient model
    /// of a Monte Carlo conversion (TID 10012 row 8, when the method is 113800 or 113801).
    pub patient_model: Option<String>,
    /// (113817, DCM, "Effective Dose Phantom Type"), TEXT, read from the (113816, DCM,
    /// "Condition Effective Dose measured") container of the effective dose total (TID 10012
    /// rows 9-10, when the effective dose was measured: method 113802 or 113803).
    pub effective_dose_phantom_type: Option<String>,
    /// (113818, DCM, "Dosimeter Type"), TEXT, read from the (113816, DCM, "Condition
    /// Effective Dose measured") container (TID 10012 row 11).
    pub dosimeter_type: Option<String>,
    /// (121106, DCM, "Comment"), TEXT.
    pub comment: Option<String>,
    /// TID 1021 device participants of the container.
    pub device_participants: Vec<DeviceParticipant>,
    /// SR content path of the 113811 container (`1.12`).
    pub path: String,
}

/// One (113813, DCM, "CT Dose Length Product Total") row of TID 10012, with the phantom
/// type it is for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CtDoseLengthProductTotal {
    /// The DLP total, mGy·cm.
    pub ct_dose_length_product_total_mgy_cm: Option<f64>,
    /// (113835, DCM, "CTDIw Phantom Type") under the row, CODE (CID 4052), when given.
    pub phantom_type: Option<OwnedCode>,
    /// SR content path of the 113813 row.
    pub path: String,
}

/// TID 10013 "CT Irradiation Event Data": one (113819, DCM, "CT Acquisition") container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CtEvent {
    /// (125203, DCM, "Acquisition Protocol"), TEXT.
    pub acquisition_protocol: Option<String>,
    /// (123014, DCM, "Target Region"), CODE (CID 4030). `None` when the item's Concept Code
    /// Sequence is empty (Philips Big Bore, Toshiba, PixelMed: [OpenREM #765](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-765)).
    pub target_region: Option<OwnedCode>,
    /// (113820, DCM, "CT Acquisition Type"), CODE (CID 10013: Sequenced, Spiral, Constant
    /// Angle, Stationary, Free).
    pub ct_acquisition_type: Option<OwnedCode>,
    /// (113961, DCM, "Reconstruction Algorithm"), CODE, 1-n, the properties of the CT
    /// Acquisition Type (TID 10013 row 4b; CID 10033: 113962 Filtered Back Projection, 113963
    /// Iterative Reconstruction), in document order (also read as a direct child of the event).
    pub reconstruction_algorithms: Vec<OwnedCode>,
    /// (G-C32C, SRT, "Procedure Context"), CODE (CID 10014).
    pub procedure_context: Option<OwnedCode>,
    /// (113769, DCM, "Irradiation Event UID"), UIDREF.
    pub irradiation_event_uid: Option<String>,
    /// (111526, DCM, "DateTime Started"), DATETIME: when the acquisition started.
    pub date_time_started: Option<DateTime>,
    /// (113605, DCM, "Irradiation Event Label"), TEXT.
    pub irradiation_event_label: Option<String>,
    /// (113606, DCM, "Label Type") of the irradiation event label, CODE (CID 10022; OpenREM
    /// never stores it, [OpenREM B6](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b6)).
    pub irradiation_event_label_type: Option<OwnedCode>,
    /// (128551, DCM, "Is Repeated Acquisition"), CODE Yes/No (CID 230) as a bool (`None`,
    /// with a diagnostic, for another code): whether the acquisition repeats an earlier,
    /// unsatisfactory one (TID 10013 row 6d).
    pub is_repeated_acquisition: Option<bool>,
    /// (128552, DCM, "Reason for Repeating Acquisition"), CODE (CID 10034), the concept
    /// modifier of Is Repeated Acquisition (TID 10013 row 6e).
    pub reason_for_repeating_acquisition: Option<OwnedCode>,
    /// CT Acquisition Parameters: (113824, DCM, "Exposure Time"), NUM, s.
    pub exposure_time_s: Option<f64>,
    /// CT Acquisition Parameters: TID 10014 scanning length values (`None` when the
    /// parameters container has none of them).
    pub scanning_length: Option<ScanningLength>,
    /// CT Acquisition Parameters: (113826, DCM, "Nominal Single Collimation Width"), NUM, mm.
    pub nominal_single_collimation_width_mm: Option<f64>,
    /// CT Acquisition Parameters: (113827, DCM, "Nominal Total Collimation Width"), NUM, mm.
    pub nominal_total_collimation_width_mm: Option<f64>,
    /// CT Acquisition Parameters: (113828, DCM, "Pitch Factor"), NUM, ratio.
    pub pitch_factor: Option<f64>,
    /// CT Acquisition Parameters: (113823, DCM, "Number of X-Ray Sources"), NUM, count.
    pub number_of_xray_sources: Option<u32>,
    /// CT Acquisition Parameters: every (113831, DCM, "CT X-Ray Source Parameters")
    /// container, in document order (two for dual-source scanners).
    pub xray_sources: Vec<CtXraySource>,
    /// CT Dose: (113830, DCM, "Mean CTDIvol"), NUM, mGy.
    pub mean_ctdivol_mgy: Option<f64>,
    /// CT Dose: (113835, DCM, "CTDIw Phantom Type"), CODE (CID 4052: 113690 IEC Head,
    /// 113691 IEC Body Dosimetry Phantom).
    pub ctdiw_phantom_type: Option<OwnedCode>,
    /// CT Dose: (113836, DCM, "CTDIfreeair Calculation Factor"), NUM, mGy/mAs (unit not
    /// checked).
    pub ctdifreeair_calculation_factor_mgy_per_mas: Option<f64>,
    /// CT Dose: (113837, DCM, "Mean CTDIfreeair"), NUM, mGy.
    pub mean_ctdifreeair_mgy: Option<f64>,
    /// CT Dose: (113838, DCM, "DLP"), NUM, mGy·cm.
    pub dlp_mgy_cm: Option<f64>,
    /// CT Dose: (113839, DCM, "Effective Dose"), NUM, mSv.
    pub effective_dose_msv: Option<f64>,
    /// CT Dose: (G-C036, SRT, "Measurement Method") of the effective dose, CODE (CID 10011).
    pub effective_dose_method: Option<OwnedCode>,
    /// CT Dose: (113840, DCM, "Effective Dose Conversion Factor"), NUM, mSv/(mGy·cm) (unit
    /// not checked).
    pub effective_dose_conversion_factor_msv_per_mgy_cm: Option<f64>,
    /// CT Dose (later editions of TID 10013): (113930, DCM, "Size Specific Dose Estimate"),
    /// NUM, mGy, anywhere inside the CT Dose container.
    pub size_specific_dose_estimation_mgy: Option<f64>,
    /// The (G-C036, SRT, "Measurement Method") concept modifier of the Size Specific Dose
    /// Estimate row, CODE (CID 10023 "Size Specific Dose Estimation Method for CT": 113934
    /// AAPM 204 Lateral Dimension, ..., 113988 Estimated from Water Equivalent Diameter,
    /// 113989 Arithmetic Average of SSDE(z)).
    pub size_specific_dose_estimation_method: Option<OwnedCode>,
    /// CT Dose (later editions of TID 10013): the "Water Equivalent Diameter", NUM, mm,
    /// anywhere inside the CT Dose container.
    pub water_equivalent_diameter_mm: Option<f64>,
    /// The (G-C036, SRT, "Measurement Method") concept modifier of the Water Equivalent
    /// Diameter row, CODE (CID 10024 "Water Equivalent Diameter Method", e.g. 113987 AAPM 220).
    pub water_equivalent_diameter_method: Option<OwnedCode>,
    /// The source of the Water Equivalent Diameter: the Referenced SOP Instance UID of the
    /// IMAGE or COMPOSITE (121112, DCM, "Source of Measurement") item under the row (the image
    /// the diameter was measured on).
    pub water_equivalent_diameter_source: Option<String>,
    /// (113986, DCM, "Z value of location of Water Equivalent Diameter estimation"), NUM,
    /// mm, under the Water Equivalent Diameter row: where the diameter was estimated, when it
    /// was estimated at a single location.
    pub water_equivalent_diameter_z_location_mm: Option<f64>,
    /// Every (113993, DCM, "Size Specific Dose Estimate At Longitudinal Position Z") row of
    /// the event (IEC 62985), in document order: the CT Dose container's (anywhere below it),
    /// then the event level's (directly under the event or in a container there).
    pub size_specific_dose_estimates_at_z: Vec<SizeSpecificDoseEstimateAtZ>,
    /// Every (113995, DCM, "Water Equivalent Diameter At Longitudinal Position Z") row of the
    /// event (IEC 62985), in the order of `size_specific_dose_estimates_at_z`.
    pub water_equivalent_diameters_at_z: Vec<WaterEquivalentDiameterAtZ>,
    /// (113842, DCM, "X-Ray Modulation Type"), TEXT, at the event level or in the CT
    /// Acquisition Parameters; when the file codes it, the code meaning (the code is in
    /// `xray_modulation_type_code`). Siemens writes it only inside the Comment: that is a
    /// quirk.
    pub xray_modulation_type: Option<String>,
    /// (113842, DCM, "X-Ray Modulation Type") when the file gives it as a CODE (later
    /// editions of TID 10013, CID 10035), as written.
    pub xray_modulation_type_code: Option<OwnedCode>,
    /// (121106, DCM, "Comment"), TEXT.
    pub comment: Option<String>,
    /// TID 10015 CT dose check details: the alert (113900) and notification (113908)
    /// containers of the event merged into one record; `None` when there is neither.
    pub dose_check: Option<DoseCheck>,
    /// TID 1021 device participants of the event (normally the irradiating device).
    pub device_participants: Vec<DeviceParticipant>,
    /// TID 1020 person participants of the event (not captured by OpenREM).
    pub person_participants: Vec<PersonParticipant>,
    /// SR content path of the 113819 container (`1.9`), for quirk fixes and diagnostics.
    pub path: String,
}

impl CtEvent {
    /// The X-ray sources ordered by their identification text (`A` before `B`), sources
    /// without an identification last; equal identifications keep document order.
    pub fn sources_sorted_by_identification(&self) -> Vec<&CtXraySource> {
        let mut sources: Vec<&CtXraySource> = self.xray_sources.iter().collect();
        sources.sort_by(|a, b| {
            match (
                &a.identification_of_the_xray_source,
                &b.identification_of_the_xray_source,
            ) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
        });
        sources
    }

    /// Whether the acquisition type is `code` (or one of its equivalent codings).
    fn acquisition_type_is(&self, code: &crate::sr::CodeConst) -> bool {
        self.ct_acquisition_type
            .as_ref()
            .is_some_and(|t| t.is(code))
    }
}

/// One (113993, DCM, "Size Specific Dose Estimate At Longitudinal Position Z") row of TID
/// 10013: a size-specific dose estimate at one longitudinal position (IEC 62985).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SizeSpecificDoseEstimateAtZ {
    /// The estimate, NUM, mGy (`None`, with a diagnostic, when missing or unreadable).
    pub size_specific_dose_estimate_mgy: Option<f64>,
    /// (113994, DCM, "Longitudinal Position Z"), NUM, mm: the patient-relative longitudinal
    /// position of the estimate, read under the row (any relationship) or, when the row sits
    /// in a container grouping one position with its values, beside it in that container.
    pub longitudinal_position_z_mm: Option<f64>,
    /// SR content path of the 113993 row.
    pub path: String,
}

/// One (113995, DCM, "Water Equivalent Diameter At Longitudinal Position Z") row of TID
/// 10013: a water equivalent diameter at one longitudinal position (IEC 62985).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct WaterEquivalentDiameterAtZ {
    /// The diameter, NUM, mm (`None`, with a diagnostic, when missing or unreadable).
    pub water_equivalent_diameter_mm: Option<f64>,
    /// (113994, DCM, "Longitudinal Position Z"), NUM, mm, read as for
    /// [`SizeSpecificDoseEstimateAtZ::longitudinal_position_z_mm`].
    pub longitudinal_position_z_mm: Option<f64>,
    /// SR content path of the 113995 row.
    pub path: String,
}

/// TID 10014 "Scanning Length", read from the CT Acquisition Parameters container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ScanningLength {
    /// (113825, DCM, "Scanning Length"), NUM, mm.
    pub scanning_length_mm: Option<f64>,
    /// (113893, DCM, "Length of Reconstructable Volume"), NUM, mm.
    pub length_of_reconstructable_volume_mm: Option<f64>,
    /// (113899, DCM, "Exposed Range"), NUM, mm.
    pub exposed_range_mm: Option<f64>,
    /// (113895, DCM, "Top Z Location of Reconstructable Volume"), NUM, mm.
    pub top_z_location_of_reconstructable_volume_mm: Option<f64>,
    /// (113896, DCM, "Bottom Z Location of Reconstructable Volume"), NUM, mm.
    pub bottom_z_location_of_reconstructable_volume_mm: Option<f64>,
    /// (113897, DCM, "Top Z Location of Scanning Length"), NUM, mm.
    pub top_z_location_of_scanning_length_mm: Option<f64>,
    /// (113898, DCM, "Bottom Z Location of Scanning Length"), NUM, mm.
    pub bottom_z_location_of_scanning_length_mm: Option<f64>,
    /// (112227, DCM, "Frame of Reference UID") of the Z locations, UIDREF (not captured by
    /// OpenREM).
    pub frame_of_reference_uid: Option<String>,
}

/// One (113831, DCM, "CT X-Ray Source Parameters") container of TID 10013.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CtXraySource {
    /// (113832, DCM, "Identification of the X-Ray Source"), TEXT, as written (older files:
    /// "Identification Number of the X-Ray Source", same code).
    pub identification_of_the_xray_source: Option<String>,
    /// (113733, DCM, "KVP"), NUM, kV.
    pub kvp_kv: Option<f64>,
    /// (113833, DCM, "Maximum X-Ray Tube Current"), NUM, mA.
    pub maximum_xray_tube_current_ma: Option<f64>,
    /// (113734, DCM, "X-Ray Tube Current"), NUM, mA; matched by code whatever the meaning
    /// (Siemens Symbia Intevo writes another meaning, [OpenREM #380](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-380)).
    pub xray_tube_current_ma: Option<f64>,
    /// (113834, DCM, "Exposure Time per Rotation"), NUM, s.
    pub exposure_time_per_rotation_s: Option<f64>,
    /// (113821, DCM, "X-Ray Filter Aluminum Equivalent"), NUM, mm.
    pub xray_filter_aluminum_equivalent_mm: Option<f64>,
    /// SR content path of the 113831 container.
    pub path: String,
}

/// TID 10015 "CT Dose Check Details" of one event: the Dose Check Alert Details (113900) and
/// Dose Check Notification Details (113908) containers merged into one record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DoseCheck {
    /// Alert: (113901, DCM, "DLP Alert Value Configured"), CODE Yes/No as a bool (`None` for
    /// another code).
    pub dlp_alert_value_configured: Option<bool>,
    /// Alert: (113902, DCM, "CTDIvol Alert Value Configured"), CODE Yes/No.
    pub ctdivol_alert_value_configured: Option<bool>,
    /// Alert: (113903, DCM, "DLP Alert Value"), NUM, mGy·cm.
    pub dlp_alert_value_mgy_cm: Option<f64>,
    /// Alert: (113904, DCM, "CTDIvol Alert Value"), NUM, mGy.
    pub ctdivol_alert_value_mgy: Option<f64>,
    /// Alert: (113905, DCM, "Accumulated DLP Forward Estimate"), NUM, mGy·cm.
    pub accumulated_dlp_forward_estimate_mgy_cm: Option<f64>,
    /// Alert: (113906, DCM, "Accumulated CTDIvol Forward Estimate"), NUM, mGy.
    pub accumulated_ctdivol_forward_estimate_mgy: Option<f64>,
    /// Alert: (113907, DCM, "Reason for Proceeding"), TEXT.
    pub alert_reason_for_proceeding: Option<String>,
    /// Alert: TID 1020 person participants (the person who proceeded, with their role).
    pub alert_persons: Vec<PersonParticipant>,
    /// Notification: (113909, DCM, "DLP Notification Value Configured"), CODE Yes/No.
    pub dlp_notification_value_configured: Option<bool>,
    /// Notification: (113910, DCM, "CTDIvol Notification Value Configured"), CODE Yes/No.
    pub ctdivol_notification_value_configured: Option<bool>,
    /// Notification: (113911, DCM, "DLP Notification Value"), NUM, mGy·cm.
    pub dlp_notification_value_mgy_cm: Option<f64>,
    /// Notification: (113912, DCM, "CTDIvol Notification Value"), NUM, mGy.
    pub ctdivol_notification_value_mgy: Option<f64>,
    /// Notification: (113913, DCM, "DLP Forward Estimate"), NUM, mGy·cm.
    pub dlp_forward_estimate_mgy_cm: Option<f64>,
    /// Notification: (113914, DCM, "CTDIvol Forward Estimate"), NUM, mGy.
    pub ctdivol_forward_estimate_mgy: Option<f64>,
    /// Notification: (113907, DCM, "Reason for Proceeding"), TEXT.
    pub notification_reason_for_proceeding: Option<String>,
    /// Notification: TID 1020 person participants, with their role.
    pub notification_persons: Vec<PersonParticipant>,
}

impl CtReport {
    /// Adds this report's part of the summary fields ([summary fields](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#summary-fields)): the number of events,
    /// the CT acquisition-type counts (by code, SNOMED-RT / SNOMED CT / UMLS spiral codings
    /// alike) and the total DLP, copied from the accumulated dose data (not a sum of the
    /// events). A CT report always sets the four counts (0 when none).
    pub fn summarise(&self, summary: &mut Summary) {
        let count = |code: &crate::sr::CodeConst| {
            self.events
                .iter()
                .filter(|e| e.acquisition_type_is(code))
                .count()
        };
        let add = |field: &mut Option<usize>, n: usize| {
            *field = Some(field.unwrap_or(0) + n);
        };
        summary.number_of_events += self.events.len();
        add(
            &mut summary.number_of_axial,
            count(&codes::SEQUENCED_ACQUISITION),
        );
        add(
            &mut summary.number_of_spiral,
            count(&codes::SPIRAL_ACQUISITION),
        );
        add(
            &mut summary.number_of_stationary,
            count(&codes::STATIONARY_ACQUISITION),
        );
        add(
            &mut summary.number_of_const_angle,
            count(&codes::CONSTANT_ANGLE_ACQUISITION),
        );
        if let Some(dlp) = self
            .accumulated
            .as_ref()
            .and_then(|a| a.ct_dose_length_product_total_mgy_cm)
        {
            summary.total_dlp_mgy_cm = Some(summary.total_dlp_mgy_cm.unwrap_or(0.0) + dlp);
        }
    }
}
