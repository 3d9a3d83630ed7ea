//! Projection X-ray report records (TID 10001 family: RF, DX, MG).
//!
//! One [`ProjectionReport`] per TID 10001 document, with one [`AccumulatedPlane`] per
//! TID 10002 container and one [`ProjectionEvent`] per TID 10003 container, in document order.
//! Every number is in the canonical unit of its quantity, named by the suffix of its field
//! (see `docs/units.md`): dose area product Gy·m² (`_gy_m2`),
//! air kerma at the reference point Gy (`_gy`, entrance exposure at RP included), glandular
//! dose mGy (`_mgy`), every time s (`_s`: exposure time and pulse width are converted from
//! the ms of the template), lengths mm (`_mm`), angles degrees (`_deg`), tube voltage kV
//! (`_kv`), tube current mA (`_ma`), exposure µAs (`_uas`), collimated field area m² (`_m2`).
//!
//! # Measured and derived values
//!
//! Fields hold what the report states. Values OpenREM computes on import are kept apart, in
//! fields whose name ends in `_derived` ([`Source::exposure_time_derived_s`],
//! [`Source::average_xray_tube_current_derived_ma`]), and only when the stated value is absent
//! or zero; they are computed after the quirk repairs, so a value a quirk supplies counts.
//! Averages of per-pulse values follow one rule everywhere ([`mean_nonzero`]): the
//! mean of the non-zero values, a zero being read as "no measurement for this pulse"
//! ([OpenREM B22](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b22) uses two different rules).

use serde::{Deserialize, Serialize};

use super::Summary;
use super::common::{DeviceParticipant, Observer, PersonParticipant};
use super::datetime::DateTime;
use crate::sr::{OwnedCode, codes};

/// The modality a projection report stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ProjectionModality {
    /// Fluoroscopy (including interventional radiology).
    #[serde(rename = "RF")]
    Fluoroscopy,
    /// Radiography (integrated or cassette-based).
    #[serde(rename = "DX")]
    Radiography,
    /// Mammography.
    #[serde(rename = "MG")]
    Mammography,
}

impl ProjectionModality {
    /// The DICOM modality string (`RF`, `DX`, `MG`).
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectionModality::Fluoroscopy => "RF",
            ProjectionModality::Radiography => "DX",
            ProjectionModality::Mammography => "MG",
        }
    }
}

/// What decided [`ProjectionReport::modality_type`] (rules tried in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ModalityBasis {
    /// Procedure reported is Mammography (never overridden by a device type).
    ProcedureReported,
    /// A quirk marked the equipment as fluoroscopy equipment (Philips Azurion, [OpenREM #673](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-673)).
    EquipmentHint,
    /// Acquisition Device Type (122142): fluoroscopy-guided gives RF; integrated or
    /// cassette-based gives DX.
    AcquisitionDeviceType,
    /// The accumulated totals: non-zero fluoro DAP or fluoro time in TID 10004 gives RF;
    /// TID 10004 with zero fluoro values, or only TID 10007 / 10006, gives DX (dual units, [OpenREM #580](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-580)).
    AccumulatedTotals,
    /// No accumulated totals, but an irradiation event of type Fluoroscopy gives RF.
    FluoroscopyEvents,
}

/// The TID 10001 body of a projection X-ray dose report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ProjectionReport {
    /// Procedure reported (121058), TID 10001 row 2: 113704 Projection X-Ray or P5-40010
    /// Mammography.
    pub procedure_reported: Option<OwnedCode>,
    /// Has Intent (G-C0E8), TID 10001 row 3, the concept modifier of Procedure reported.
    pub has_intent: Option<OwnedCode>,
    /// Acquisition Device Type (122142), TID 10001 (CP-1077 row; values CID 10032).
    pub acquisition_device_type: Option<OwnedCode>,
    /// Scope of Accumulation (113705), TID 10001 row 6 (113014 Study, 113015 Series, 113016
    /// Performed Procedure Step).
    pub scope_of_accumulation: Option<OwnedCode>,
    /// The UID under Scope of Accumulation (110180 / 112002 / 121126), TID 10001 row 7.
    pub scope_of_accumulation_uid: Option<String>,
    /// Source of Dose Information (113854), TID 10001 row 18, every value (the row is 1-n).
    pub source_of_dose_information: Vec<OwnedCode>,
    /// X-Ray Detector Data Available (113945), TID 10001, Yes/No.
    pub xray_detector_data_available: Option<OwnedCode>,
    /// X-Ray Source Data Available (113943), TID 10001, Yes/No.
    pub xray_source_data_available: Option<OwnedCode>,
    /// X-Ray Mechanical Data Available (113944), TID 10001, Yes/No.
    pub xray_mechanical_data_available: Option<OwnedCode>,
    /// Comment (121106), TID 10001 row 15.
    pub comment: Option<String>,
    /// TID 1020 person participants at the root (Person Name 113870 with its role), as the
    /// CT report has them.
    pub person_participants: Vec<PersonParticipant>,
    /// Observer context of the root (TID 1002): one observer per Observer Type, filled from
    /// the items that belong to it ([OpenREM B2](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b2) fills every observer from the whole root).
    pub observers: Vec<Observer>,
    /// The modality (RF / DX / MG), `None` with a diagnostic when nothing decides (OpenREM
    /// keeps the literal `RF,DX`: [OpenREM B12](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b12)).
    pub modality_type: Option<ProjectionModality>,
    /// The rule that decided [`ProjectionReport::modality_type`].
    pub modality_basis: Option<ModalityBasis>,
    /// Accumulated X-Ray Dose Data (113702) containers, TID 10002, one per plane, in
    /// document order.
    pub accumulated_planes: Vec<AccumulatedPlane>,
    /// Irradiation Event X-Ray Data (113706) containers, TID 10003, in document order.
    pub events: Vec<ProjectionEvent>,
}

/// Accumulated X-ray dose of one plane (TID 10002, container 113702).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct AccumulatedPlane {
    /// Acquisition Plane (113764), TID 10002 row 2 (113620 Plane A, 113621 Plane B, 113622
    /// Single Plane, 113890 All Planes / Undefined Plane).
    pub acquisition_plane: Option<OwnedCode>,
    /// Calibration (122505) containers, TID 10002 row 3, one per dose measurement device.
    pub calibrations: Vec<Calibration>,
    /// TID 10004 values (present when any TID 10004-only row is).
    pub fluoro_and_acquisition_totals: Option<FluoroAcquisitionTotals>,
    /// TID 10007 values (present when any of its rows is). TID 10004 carries the same rows,
    /// so for fluoroscopy the DAP / dose totals, frame count and reference point are here
    /// too (read once).
    pub projection_totals: Option<ProjectionTotals>,
    /// TID 10006 values (present when Detector Type is).
    pub cassette_totals: Option<CassetteTotals>,
    /// TID 10005: one record per Accumulated Average Glandular Dose item (one per laterality).
    pub mammography_totals: Vec<MammographyTotal>,
    /// Device participants (TID 1021) of the container, TID 10002 row 11 (OpenREM ignores
    /// them).
    pub device_participants: Vec<DeviceParticipant>,
    /// The equipment landmark and patient fiducial rows of later revisions of TID 10002
    /// (128750-128756); `None` when the container has none of them.
    pub equipment_landmark: Option<EquipmentLandmark>,
    /// SR content path of the container (`1.5`).
    pub path: String,
}

/// Where the patient lies relative to the equipment (TID 10002, later revisions, codes
/// 128750-128756): an equipment landmark, a patient fiducial, and the distances between
/// them.
///
/// Only the Z distance's meaning (128756, "Equipment Landmark to Patient Fiducial Z
/// Distance") is confirmed here against the published template; the meanings of the other
/// codes of the group are read as named below (the X and Y distances by analogy with Z) and
/// are matched by code whatever meaning the file writes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct EquipmentLandmark {
    /// (128750, DCM, "Equipment Landmark"), CODE: the landmark of the equipment the
    /// patient's position is given from.
    pub equipment_landmark: Option<OwnedCode>,
    /// (128751, DCM, "Equipment Landmark XY Plane"), CODE: the plane of the landmark.
    pub equipment_landmark_xy_plane: Option<OwnedCode>,
    /// (128752, DCM, "Equipment Landmark Z Position"), NUM, mm.
    pub equipment_landmark_z_position_mm: Option<f64>,
    /// (128753, DCM, "Patient Fiducial"), CODE: the anatomical fiducial of the patient.
    pub patient_fiducial: Option<OwnedCode>,
    /// (128754, DCM, "Equipment Landmark to Patient Fiducial X Distance"), NUM, mm.
    pub equipment_landmark_to_patient_fiducial_x_distance_mm: Option<f64>,
    /// (128755, DCM, "Equipment Landmark to Patient Fiducial Y Distance"), NUM, mm.
    pub equipment_landmark_to_patient_fiducial_y_distance_mm: Option<f64>,
    /// (128756, DCM, "Equipment Landmark to Patient Fiducial Z Distance"), NUM, mm.
    pub equipment_landmark_to_patient_fiducial_z_distance_mm: Option<f64>,
}

/// One calibration of a dose measurement device (TID 10002, container 122505).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Calibration {
    /// Dose Measurement Device (113794), TID 10002 row 4 (CID 10010).
    pub dose_measurement_device: Option<OwnedCode>,
    /// Calibration Date / Calibration DateTime (113723), TID 10002 row 5; `None` with a
    /// diagnostic when the item has no value (Opera Swing, [OpenREM #770](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-770)).
    pub calibration_date: Option<DateTime>,
    /// Calibration Factor (122322), TID 10002 row 6, dimensionless.
    pub calibration_factor: Option<f64>,
    /// Calibration Uncertainty (113763), TID 10002 row 7, percent.
    pub calibration_uncertainty_percent: Option<f64>,
    /// Calibration Responsible Party (113724), TID 10002 row 8.
    pub calibration_responsible_party: Option<String>,
    /// Calibration Protocol (113720), TID 10002 (later revisions; not read by OpenREM).
    pub calibration_protocol: Option<String>,
}

/// Accumulated fluoroscopy and acquisition dose (TID 10004).
///
/// TID 10004 also carries TID 10007's rows (Dose Area Product Total, Dose (RP) Total, Total
/// Number of Radiographic Frames, Reference Point Definition); they are read once, into
/// [`AccumulatedPlane::projection_totals`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct FluoroAcquisitionTotals {
    /// Fluoro Dose Area Product Total (113726), Gy·m².
    pub fluoro_dose_area_product_total_gy_m2: Option<f64>,
    /// Fluoro Dose (RP) Total (113728), Gy.
    pub fluoro_dose_rp_total_gy: Option<f64>,
    /// Total Fluoro Time (113730), s.
    pub total_fluoro_time_s: Option<f64>,
    /// Acquisition Dose Area Product Total (113727), Gy·m².
    pub acquisition_dose_area_product_total_gy_m2: Option<f64>,
    /// Acquisition Dose (RP) Total (113729), Gy.
    pub acquisition_dose_rp_total_gy: Option<f64>,
    /// Total Acquisition Time (113855), s.
    pub total_acquisition_time_s: Option<f64>,
}

/// Accumulated total projection radiography dose (TID 10007).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ProjectionTotals {
    /// Dose Area Product Total (113722), Gy·m².
    pub dose_area_product_total_gy_m2: Option<f64>,
    /// Dose (RP) Total (113725), Gy.
    pub dose_rp_total_gy: Option<f64>,
    /// Total Number of Radiographic Frames (113731), count.
    pub total_number_of_radiographic_frames: Option<f64>,
    /// Reference Point Definition (113780) when coded (CID 10025).
    pub reference_point_definition: Option<OwnedCode>,
    /// Reference Point Definition (113780) when given as TEXT (older template revisions).
    pub reference_point_definition_text: Option<String>,
    /// Distance Source to Reference Point (113737), mm, at the accumulation level (TID 10007:
    /// given there when the distance is the same for every event of the scope).
    pub distance_source_to_reference_point_mm: Option<f64>,
}

/// Accumulated cassette-based projection radiography dose (TID 10006).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CassetteTotals {
    /// Detector Type (113947), CID 10030.
    pub detector_type: Option<OwnedCode>,
    /// Total Number of Radiographic Frames (113731), count.
    pub total_number_of_radiographic_frames: Option<f64>,
}

/// Accumulated average glandular dose of one breast (TID 10005).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct MammographyTotal {
    /// Accumulated Average Glandular Dose (111637), mGy.
    pub accumulated_average_glandular_dose_mgy: Option<f64>,
    /// Laterality (G-C171) concept modifier: T-04020 right, T-04030 left, T-04080 both
    /// breasts (or their SNOMED CT / UMLS codes).
    pub laterality: Option<OwnedCode>,
}

/// One irradiation event (TID 10003, container 113706).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ProjectionEvent {
    /// Acquisition Plane (113764), TID 10003.
    pub acquisition_plane: Option<OwnedCode>,
    /// Irradiation Event UID (113769), TID 10003.
    pub irradiation_event_uid: Option<String>,
    /// Irradiation Event Label (113605), TID 10003.
    pub irradiation_event_label: Option<String>,
    /// Label Type (113606) of the label (CID 10022; OpenREM never stores it: [OpenREM B6](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b6)).
    pub irradiation_event_label_type: Option<OwnedCode>,
    /// DateTime Started (111526), TID 10003.
    pub date_time_started: Option<DateTime>,
    /// Irradiation Event Type (113721), TID 10003 (P5-06000 Fluoroscopy, 113611
    /// Stationary, 113612 Stepping, 113613 Rotational Acquisition).
    pub irradiation_event_type: Option<OwnedCode>,
    /// Acquisition Protocol (125203), TID 10003; `None` when the item has no text
    /// ([OpenREM #612](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-612)).
    pub acquisition_protocol: Option<String>,
    /// Anatomical structure (T-D0005), TID 10003 (before CP-1676).
    pub anatomical_structure: Option<OwnedCode>,
    /// Laterality (G-C171) under Target Region (CP-1676) or, failing that, under Anatomical
    /// structure; when both are given and differ, Target Region's is kept ([OpenREM #784](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-784)).
    pub laterality: Option<OwnedCode>,
    /// Image View (111031), TID 10003.
    pub image_view: Option<OwnedCode>,
    /// Image View Modifier (111032) children of Image View, TID 10003.
    pub image_view_modifiers: Vec<OwnedCode>,
    /// Projection Eponymous Name (113946) child of Image View, TID 10003.
    pub projection_eponymous_name: Option<OwnedCode>,
    /// Patient Table Relationship (113745), TID 10003 (CID 21).
    pub patient_table_relationship: Option<OwnedCode>,
    /// Patient Orientation (113743), TID 10003 (CID 19).
    pub patient_orientation: Option<OwnedCode>,
    /// Patient Orientation Modifier (113744) child of Patient Orientation, TID 10003
    /// (CID 20; [OpenREM #561](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-561)).
    pub patient_orientation_modifier: Option<OwnedCode>,
    /// Target Region (123014), TID 10003.
    pub target_region: Option<OwnedCode>,
    /// Dose Area Product (122130), TID 10003, Gy·m².
    pub dose_area_product_gy_m2: Option<f64>,
    /// Half Value Layer (111634), TID 10003, mm (aluminium).
    pub half_value_layer_mm: Option<f64>,
    /// Entrance Exposure at RP (111636), TID 10003, Gy (the template's mGy converted).
    pub entrance_exposure_at_rp_gy: Option<f64>,
    /// Reference Point Definition (113780) when coded (CID 10025), TID 10003 (the
    /// TID 10003b row is the same item in the same container).
    pub reference_point_definition: Option<OwnedCode>,
    /// Reference Point Definition (113780) when given as TEXT.
    pub reference_point_definition_text: Option<String>,
    /// Patient Equivalent Thickness (111638), TID 10003, mm (not read by OpenREM).
    pub patient_equivalent_thickness_mm: Option<f64>,
    /// Breast composition (F-01710 / 129715009) of the Mammography CAD Breast Composition
    /// content (TID 4007; OpenREM crashes on it: [OpenREM B7](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b7)).
    pub breast_composition: Option<OwnedCode>,
    /// Percent Fibroglandular Tissue (111046) of the breast composition content, percent.
    pub fibroglandular_tissue_percent: Option<f64>,
    /// Comment (121106), TID 10003.
    pub comment: Option<String>,
    /// SOP Instance UIDs of the Acquired Image (113795) references, TID 10003.
    pub acquired_images: Vec<String>,
    /// Person participants (TID 1020, Person Name 113870) of the event.
    pub person_participants: Vec<PersonParticipant>,
    /// Detector data (TID 10003a).
    pub detector: Detector,
    /// Source data (TID 10003b).
    pub source: Source,
    /// Mechanical data (TID 10003c).
    pub mechanical: Mechanical,
    /// Device participants (TID 1021) of the event, each once (OpenREM duplicates the last
    /// one under detector and source: [OpenREM B10](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b10)).
    pub device_participants: Vec<DeviceParticipant>,
    /// SR content path of the event container (`1.12`).
    pub path: String,
}

/// Irradiation event X-ray detector data (TID 10003a).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Detector {
    /// Exposure Index (113845), IEC 62494-1, dimensionless.
    pub exposure_index: Option<f64>,
    /// Target Exposure Index (113846), dimensionless.
    pub target_exposure_index: Option<f64>,
    /// Deviation Index (113847), dimensionless.
    pub deviation_index: Option<f64>,
    /// Relative X-Ray Exposure. No TID 10003a row carries it in the DICOM editions this
    /// crate follows (it is the image attribute (0018,1405)); `None` from an RDSR.
    pub relative_xray_exposure: Option<f64>,
    /// Sensitivity. No TID 10003a row carries it (image attribute (0018,6000)); `None` from
    /// an RDSR.
    pub sensitivity: Option<f64>,
}

/// Irradiation event X-ray source data (TID 10003b).
///
/// The Reference Point Definition row of TID 10003b is the same item as TID 10003's, kept on
/// [`ProjectionEvent::reference_point_definition`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Source {
    /// Dose (RP) (113738), Gy.
    pub dose_rp_gy: Option<f64>,
    /// Average Glandular Dose (111631), mGy (mammography).
    pub average_glandular_dose_mgy: Option<f64>,
    /// Fluoro Mode (113732): 113630 Continuous, 113631 Pulsed.
    pub fluoro_mode: Option<OwnedCode>,
    /// Pulse Rate (113791), pulses per second.
    pub pulse_rate_per_s: Option<f64>,
    /// Number of Pulses (113768), count.
    pub number_of_pulses: Option<f64>,
    /// Derivation (121401) of Number of Pulses: measured, calculated or estimated (CID 10009).
    pub number_of_pulses_derivation: Option<OwnedCode>,
    /// Irradiation Duration (113742), s.
    pub irradiation_duration_s: Option<f64>,
    /// Average X-Ray Tube Current (113767), mA, as stated.
    pub average_xray_tube_current_ma: Option<f64>,
    /// [`mean_nonzero`] of [`Source::xray_tube_current_ma`], mA; set only when
    /// [`Source::average_xray_tube_current_ma`] is absent or zero (OpenREM's import rule, with
    /// zeros excluded: [OpenREM B22](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b22)).
    pub average_xray_tube_current_derived_ma: Option<f64>,
    /// Exposure Time (113824, or the retired 113735 of older reports), s (the template's ms
    /// converted), as stated.
    pub exposure_time_s: Option<f64>,
    /// [`mean_nonzero`] of [`Source::pulse_width_s`] × [`Source::number_of_pulses`], s; set
    /// only when [`Source::exposure_time_s`] is absent or zero and both inputs are known.
    pub exposure_time_derived_s: Option<f64>,
    /// Focal Spot Size (113766), mm.
    pub focal_spot_size_mm: Option<f64>,
    /// Anode Target Material (111632), CID 10016.
    pub anode_target_material: Option<OwnedCode>,
    /// Collimated Field Area (113790), m².
    pub collimated_field_area_m2: Option<f64>,
    /// Collimated Field Height (113788), mm (OpenREM never reads it).
    pub collimated_field_height_mm: Option<f64>,
    /// Collimated Field Width (113789), mm (OpenREM never reads it).
    pub collimated_field_width_mm: Option<f64>,
    /// X-Ray Grid (111635) values, one per item, any code (CID 10017 or private, [OpenREM #181](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-181)).
    pub grids: Vec<OwnedCode>,
    /// KVP (113733), kV: one value per pulse when the report gives several, in file order,
    /// zeros kept ([OpenREM #584](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-584)).
    pub kvp_kv: Vec<f64>,
    /// X-Ray Tube Current (113734), mA, one value per pulse or a single value.
    pub xray_tube_current_ma: Vec<f64>,
    /// Pulse Width (113793), s (the template's ms converted), one value per pulse or a single value.
    pub pulse_width_s: Vec<f64>,
    /// Exposure (113736), µAs, one value per pulse or a single value.
    pub exposure_uas: Vec<f64>,
    /// X-Ray Filters (113771) containers, one per filter.
    pub filters: Vec<Filter>,
    /// Exposure control mode. No TID 10003b row carries it in the DICOM editions this crate
    /// follows (image attribute (0018,7060)); `None` from an RDSR.
    pub exposure_control_mode: Option<String>,
    /// Image intensifier field size, mm. No standard row; vendor fixes fill it (Siemens
    /// AXIOM-Artis writes it into the event comment, [OpenREM #432](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-432)).
    pub ii_field_size_mm: Option<f64>,
}

impl Source {
    /// [`mean_nonzero`] of the KVP values, kV.
    pub fn mean_kvp_kv(&self) -> Option<f64> {
        mean_nonzero(&self.kvp_kv)
    }

    /// [`mean_nonzero`] of the tube current values, mA.
    pub fn mean_xray_tube_current_ma(&self) -> Option<f64> {
        mean_nonzero(&self.xray_tube_current_ma)
    }

    /// [`mean_nonzero`] of the pulse widths, s.
    pub fn mean_pulse_width_s(&self) -> Option<f64> {
        mean_nonzero(&self.pulse_width_s)
    }

    /// [`mean_nonzero`] of the exposure values, µAs.
    pub fn mean_exposure_uas(&self) -> Option<f64> {
        mean_nonzero(&self.exposure_uas)
    }
}

/// The averaging rule for per-pulse values: the mean of the finite non-zero values; `None`
/// when there is none. A zero in a per-pulse list is read as "no measurement for this pulse"
/// (Eurocolumbus reports 0 kV for its first pulse), so it neither lowers the mean nor
/// counts. OpenREM uses this rule in exports and a plain mean at import ([OpenREM B22](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b22)); this crate
/// uses this one everywhere.
pub fn mean_nonzero(values: &[f64]) -> Option<f64> {
    let (sum, n) = values
        .iter()
        .filter(|v| v.is_finite() && **v != 0.0)
        .fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
    // The sum of finite values may still overflow (two values of 1e308).
    (n > 0)
        .then(|| super::round15(sum / f64::from(n)))
        .filter(|v| v.is_finite())
}

/// One X-Ray Filters (113771) container (TID 10003b).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Filter {
    /// X-Ray Filter Type (113772), CID 10007 (113650 Strip, 113653 Flat, 111609 No filter ...).
    pub xray_filter_type: Option<OwnedCode>,
    /// X-Ray Filter Material (113757), CID 10006.
    pub xray_filter_material: Option<OwnedCode>,
    /// X-Ray Filter Thickness Minimum (113758), mm.
    pub xray_filter_thickness_minimum_mm: Option<f64>,
    /// X-Ray Filter Thickness Maximum (113773), mm.
    pub xray_filter_thickness_maximum_mm: Option<f64>,
}

/// Irradiation event X-ray mechanical data (TID 10003c).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Mechanical {
    /// CR/DR Mechanical Configuration (113956), CID 10031.
    pub crdr_mechanical_configuration: Option<OwnedCode>,
    /// Positioner Primary Angle (112011), degrees; `None` when the item has no value (GE
    /// surgical sends a qualifier instead, [OpenREM #739](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-739)).
    pub positioner_primary_angle_deg: Option<f64>,
    /// Positioner Secondary Angle (112012), degrees.
    pub positioner_secondary_angle_deg: Option<f64>,
    /// Positioner Primary End Angle (113739), degrees.
    pub positioner_primary_end_angle_deg: Option<f64>,
    /// Positioner Secondary End Angle (113740), degrees.
    pub positioner_secondary_end_angle_deg: Option<f64>,
    /// Column Angulation (113770), degrees.
    pub column_angulation_deg: Option<f64>,
    /// Table Head Tilt Angle (113754), degrees.
    pub table_head_tilt_angle_deg: Option<f64>,
    /// Table Horizontal Rotation Angle (113755), degrees.
    pub table_horizontal_rotation_angle_deg: Option<f64>,
    /// Table Cradle Tilt Angle (113756), degrees.
    pub table_cradle_tilt_angle_deg: Option<f64>,
    /// Compression Thickness (111633), mm (mammography).
    pub compression_thickness_mm: Option<f64>,
    /// Compression Force (111647), N (mammography).
    pub compression_force_n: Option<f64>,
    /// Compression Pressure (111648), kPa (mammography).
    pub compression_pressure_kpa: Option<f64>,
    /// Compression Contact Area (111649), m² (mammography; the template's mm² converted).
    pub compression_contact_area_m2: Option<f64>,
    /// Positioner Isocenter Primary Angle (128757), degrees (isocenter reference system).
    pub positioner_isocenter_primary_angle_deg: Option<f64>,
    /// Positioner Isocenter Secondary Angle (128758), degrees.
    pub positioner_isocenter_secondary_angle_deg: Option<f64>,
    /// Positioner Isocenter Detector Rotation Angle (128759), degrees.
    pub positioner_isocenter_detector_rotation_angle_deg: Option<f64>,
    /// Positioner Isocenter Primary End Angle (128760), degrees (rotational acquisitions).
    pub positioner_isocenter_primary_end_angle_deg: Option<f64>,
    /// Positioner Isocenter Secondary End Angle (128761), degrees.
    pub positioner_isocenter_secondary_end_angle_deg: Option<f64>,
    /// Positioner Isocenter Detector Rotation End Angle (128762), degrees.
    pub positioner_isocenter_detector_rotation_end_angle_deg: Option<f64>,
    /// Table Head Tilt End Angle (128763), degrees.
    pub table_head_tilt_end_angle_deg: Option<f64>,
    /// Table Horizontal Rotation End Angle (128764), degrees.
    pub table_horizontal_rotation_end_angle_deg: Option<f64>,
    /// Table Cradle Tilt End Angle (128765), degrees.
    pub table_cradle_tilt_end_angle_deg: Option<f64>,
    /// Magnification factor. No TID 10003c row carries it (image attribute (0018,1114));
    /// `None` from an RDSR.
    pub magnification_factor: Option<f64>,
    /// Dose related distances and table positions (CID 10008).
    pub distances: Distances,
}

/// Dose related distance measurements (CID 10008, in TID 10003c), all mm.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Distances {
    /// Distance Source to Isocenter (113748).
    pub distance_source_to_isocenter_mm: Option<f64>,
    /// Distance Source to Reference Point (113737).
    pub distance_source_to_reference_point_mm: Option<f64>,
    /// Distance Source to Detector (113750).
    pub distance_source_to_detector_mm: Option<f64>,
    /// Distance Source to Table Plane (113792).
    pub distance_source_to_table_plane_mm: Option<f64>,
    /// Distance from the source to the entrance surface of the patient. Not a CID 10008
    /// concept (image attribute (0040,0306)); `None` from an RDSR.
    pub distance_source_to_entrance_surface_mm: Option<f64>,
    /// Table Longitudinal Position (113751).
    pub table_longitudinal_position_mm: Option<f64>,
    /// Table Lateral Position (113752).
    pub table_lateral_position_mm: Option<f64>,
    /// Table Height Position (113753).
    pub table_height_position_mm: Option<f64>,
    /// Table Longitudinal End Position (113759).
    pub table_longitudinal_end_position_mm: Option<f64>,
    /// Table Lateral End Position (113760).
    pub table_lateral_end_position_mm: Option<f64>,
    /// Table Height End Position (113761).
    pub table_height_end_position_mm: Option<f64>,
    /// Table X Position to Isocenter (128766): X position of the table reference point
    /// relative to the isocenter.
    pub table_x_position_to_isocenter_mm: Option<f64>,
    /// Table Y Position to Isocenter (128767).
    pub table_y_position_to_isocenter_mm: Option<f64>,
    /// Table Z Position to Isocenter (128768).
    pub table_z_position_to_isocenter_mm: Option<f64>,
    /// Table X End Position to Isocenter (128769), at the end of the event.
    pub table_x_end_position_to_isocenter_mm: Option<f64>,
    /// Table Y End Position to Isocenter (128770), at the end of the event.
    pub table_y_end_position_to_isocenter_mm: Option<f64>,
    /// Table Z End Position to Isocenter (128771), at the end of the event.
    pub table_z_end_position_to_isocenter_mm: Option<f64>,
}

impl ProjectionReport {
    /// The accumulated plane that counts as plane A in the summary: the plane coded 113620
    /// Plane A, else 113622 Single Plane, else 113890 All Planes (Undefined Plane), else the
    /// first plane in file order ([OpenREM B16](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b16) always takes the first).
    pub fn plane_a(&self) -> Option<&AccumulatedPlane> {
        let coded = |c: &crate::sr::CodeConst| {
            self.accumulated_planes
                .iter()
                .find(|p| p.acquisition_plane.as_ref().is_some_and(|code| code.is(c)))
        };
        coded(&codes::PLANE_A)
            .or_else(|| coded(&codes::SINGLE_PLANE))
            .or_else(|| coded(&codes::ALL_PLANES))
            .or_else(|| {
                self.accumulated_planes
                    .iter()
                    .find(|p| !is_plane(p.acquisition_plane.as_ref(), &codes::PLANE_B))
            })
    }

    /// The accumulated plane coded 113621 Plane B.
    pub fn plane_b(&self) -> Option<&AccumulatedPlane> {
        self.accumulated_planes
            .iter()
            .find(|p| is_plane(p.acquisition_plane.as_ref(), &codes::PLANE_B))
    }

    /// Adds this report's part of the summary fields ([summary fields](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#summary-fields)).
    ///
    /// Planes are chosen by their Acquisition Plane code ([`ProjectionReport::plane_a`],
    /// [`ProjectionReport::plane_b`]; [OpenREM B16](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b16) takes them in file order). Events count for
    /// plane A when coded Plane A (or, when no event is, Single Plane, then All Planes),
    /// for plane B when coded Plane B. Mammography totals are matched per laterality by
    /// code, with the SNOMED CT and UMLS equivalents.
    pub fn summarise(&self, summary: &mut Summary) {
        summary.number_of_events += self.events.len();
        if self.modality_type == Some(ProjectionModality::Mammography) {
            let agd = |laterality: &crate::sr::CodeConst| {
                super::finite_sum(
                    self.accumulated_planes
                        .iter()
                        .flat_map(|p| &p.mammography_totals)
                        .filter(|t| t.laterality.as_ref().is_some_and(|l| l.is(laterality)))
                        .map(|t| t.accumulated_average_glandular_dose_mgy),
                )
            };
            summary.total_agd_left_mgy = agd(&codes::LEFT_BREAST);
            summary.total_agd_right_mgy = agd(&codes::RIGHT_BREAST);
            summary.total_agd_both_mgy = agd(&codes::BOTH_BREASTS);
            return;
        }
        let totals = |p: Option<&AccumulatedPlane>| {
            p.and_then(|p| p.projection_totals.as_ref())
                .map_or((None, None), |t| {
                    (t.dose_area_product_total_gy_m2, t.dose_rp_total_gy)
                })
        };
        let a = self.plane_a();
        let b = self.plane_b();
        let (dap_a, rp_a) = totals(a);
        let (dap_b, rp_b) = totals(b);
        summary.total_dap_a_gy_m2 = dap_a;
        summary.total_rp_dose_a_gy = rp_a;
        summary.total_dap_b_gy_m2 = dap_b;
        summary.total_rp_dose_b_gy = rp_b;
        summary.number_of_planes = Some(match (a, b) {
            (_, Some(_)) => 2,
            (Some(_), None) => 1,
            (None, None) => 0,
        });
        summary.total_dap_gy_m2 = super::finite_sum([dap_a, dap_b]);
        let count = |c: &crate::sr::CodeConst| {
            self.events
                .iter()
                .filter(|e| is_plane(e.acquisition_plane.as_ref(), c))
                .count()
        };
        let in_a = [&codes::PLANE_A, &codes::SINGLE_PLANE, &codes::ALL_PLANES]
            .into_iter()
            .map(count)
            .find(|n| *n > 0)
            .unwrap_or(0);
        summary.number_of_events_a = Some(in_a);
        summary.number_of_events_b = b.map(|_| count(&codes::PLANE_B));
    }
}

fn is_plane(plane: Option<&OwnedCode>, code: &crate::sr::CodeConst) -> bool {
    plane.is_some_and(|p| p.is(code))
}
