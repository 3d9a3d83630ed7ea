//! Records shared by every kind of report: study, patient, equipment, observers and
//! participants.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::datetime::{DateTime, Time};
use crate::sr::OwnedCode;

/// General Study module values (and the report-independent study fields of PS3.3 C.7.2.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct StudyInfo {
    /// Study Instance UID (0020,000D).
    pub study_instance_uid: Option<String>,
    /// Series Instance UID (0020,000E) of the report.
    pub series_instance_uid: Option<String>,
    /// Study Date (0008,0020), falling back to Content Date then Series Date ([OpenREM #681](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-681)).
    pub study_date: Option<NaiveDate>,
    /// Study Time (0008,0030), falling back to Content Time then Series Time.
    pub study_time: Option<Time>,
    /// Series Time (0008,0031).
    pub series_time: Option<Time>,
    /// Content Time (0008,0033).
    pub content_time: Option<Time>,
    /// Content Date (0008,0023) and Time combined, with the Timezone Offset From UTC applied
    /// as an offset when the file gives one.
    pub content_date_time: Option<DateTime>,
    /// Referring Physician's Name (0008,0090); several names are joined with `" | "`.
    pub referring_physician_name: Option<String>,
    /// Referring Physician Identification Sequence (0008,0096): the first item's Person
    /// Identification Code meaning, or its Institution Name (OpenREM never reads it, [OpenREM B9](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b9)).
    pub referring_physician_identification: Option<String>,
    /// Study ID (0020,0010).
    pub study_id: Option<String>,
    /// Accession Number (0008,0050).
    pub accession_number: Option<String>,
    /// Study Description (0008,1030).
    pub study_description: Option<String>,
    /// Physician(s) of Record (0008,1048), joined with `" | "` (OpenREM never reads it, [OpenREM B9](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b9)).
    pub physician_of_record: Option<String>,
    /// Name of Physician(s) Reading Study (0008,1060), joined with `" | "`.
    pub name_of_physician_reading_study: Option<String>,
    /// Performing Physician's Name (0008,1050), joined with `" | "`.
    pub performing_physician_name: Option<String>,
    /// Operators' Name (0008,1070), joined with `" | "`.
    pub operator_name: Option<String>,
    /// Procedure Code Sequence (0008,1032), first item.
    pub procedure_code: Option<OwnedCode>,
    /// Requested Procedure Code Sequence (0032,1064), first item.
    pub requested_procedure_code: Option<OwnedCode>,
    /// Requested Procedure Description (0032,1060), from the Request Attributes Sequence's
    /// first item when present, else from the top level.
    pub requested_procedure_description: Option<String>,
    /// Modality (0008,0060) of the report object (normally `SR`).
    pub modality: Option<String>,
}

/// Patient module values, as given (no hashing or withholding: that is a storage policy).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Patient {
    /// Patient's Name (0010,0010), DICOM PN form (`Family^Given`).
    pub patient_name: Option<String>,
    /// Patient ID (0010,0020).
    pub patient_id: Option<String>,
    /// Issuer of Patient ID (0010,0021).
    pub issuer_of_patient_id: Option<String>,
    /// Patient's Birth Date (0010,0030).
    pub patient_birth_date: Option<NaiveDate>,
    /// Patient's Sex (0010,0040).
    pub patient_sex: Option<String>,
}

/// Patient Study module values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PatientStudy {
    /// Patient's Age (0010,1010), as written (`067Y`).
    pub patient_age: Option<String>,
    /// Age in decimal years at the study date, a derived value: from the birth date when both
    /// dates are known and the birth date is not after the study date, else from the age
    /// string (`Y`, `M`, `W` and `D` units), rounded to 0.1. A calendar age, not a duration:
    /// years, where durations are in s.
    pub patient_age_years: Option<f64>,
    /// Patient's Size (0010,1020), mm (the attribute's metres converted: every length of the
    /// crate is in mm).
    pub patient_size_mm: Option<f64>,
    /// Patient's Weight (0010,1030), kg.
    pub patient_weight_kg: Option<f64>,
}

/// General Equipment module values and the device observer UID of the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Equipment {
    /// Manufacturer (0008,0070).
    pub manufacturer: Option<String>,
    /// Institution Name (0008,0080).
    pub institution_name: Option<String>,
    /// Institution Address (0008,0081).
    pub institution_address: Option<String>,
    /// Station Name (0008,1010).
    pub station_name: Option<String>,
    /// Institutional Department Name (0008,1040).
    pub institutional_department_name: Option<String>,
    /// Manufacturer's Model Name (0008,1090).
    pub manufacturer_model_name: Option<String>,
    /// Device Serial Number (0018,1000).
    pub device_serial_number: Option<String>,
    /// Software Versions (0018,1020), several joined with `\`.
    pub software_versions: Option<String>,
    /// Gantry ID (0018,1008).
    pub gantry_id: Option<String>,
    /// Spatial Resolution (0018,1050), mm.
    pub spatial_resolution_mm: Option<f64>,
    /// Date of Last Calibration (0018,1200).
    pub date_of_last_calibration: Option<NaiveDate>,
    /// Time of Last Calibration (0018,1201).
    pub time_of_last_calibration: Option<Time>,
    /// Device Observer UID (121012) of the root's observer context, the key that tells
    /// equipment apart in registries.
    pub device_observer_uid: Option<String>,
}

/// Whether an observer is a person or a device (TID 1002).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ObserverKind {
    /// 121006 Person (TID 1003).
    Person,
    /// 121007 Device (TID 1004).
    Device,
    /// Another or no Observer Type code.
    Other,
}

/// One observer of the observer context (TID 1002): the items following an Observer Type,
/// up to the next Observer Type. OpenREM fills every observer from the whole root ([OpenREM B2](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b2)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Observer {
    /// Person or device.
    pub kind: ObserverKind,
    /// The Observer Type code (121005).
    pub observer_type: Option<OwnedCode>,
    /// Person Observer Name (121008).
    pub person_observer_name: Option<String>,
    /// Person Observer's Organization Name (121009).
    pub person_observer_organization_name: Option<String>,
    /// Person Observer's Role in the Organization (121010).
    pub person_observer_role_in_organization: Option<OwnedCode>,
    /// Person Observer's Role in this Procedure (121011).
    pub person_observer_role_in_procedure: Option<OwnedCode>,
    /// Person Observer's Login Name (128774).
    pub person_observer_login_name: Option<String>,
    /// Identifier within Person Observer's Role (128775).
    pub identifier_within_person_observers_role: Option<String>,
    /// Device Observer UID (121012); GE surgical units write it as TEXT ([OpenREM #739](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-739)).
    pub device_observer_uid: Option<String>,
    /// Device Observer Name (121013).
    pub device_observer_name: Option<String>,
    /// Device Observer Manufacturer (121014).
    pub device_observer_manufacturer: Option<String>,
    /// Device Observer Model Name (121015).
    pub device_observer_model_name: Option<String>,
    /// Device Observer Serial Number (121016).
    pub device_observer_serial_number: Option<String>,
    /// Device Observer Physical Location During Observation (121017), any capitalisation.
    pub device_observer_physical_location_during_observation: Option<String>,
    /// Device Role in Procedure (113876).
    pub device_role_in_procedure: Option<OwnedCode>,
    /// The content path of the Observer Type item.
    pub path: String,
}

/// A device participant (TID 1021).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DeviceParticipant {
    /// Device Role in Procedure (113876), the item that holds the others.
    pub device_role_in_procedure: Option<OwnedCode>,
    /// Device Name (113877).
    pub device_name: Option<String>,
    /// Device Manufacturer (113878).
    pub device_manufacturer: Option<String>,
    /// Device Model Name (113879).
    pub device_model_name: Option<String>,
    /// Device Serial Number (113880).
    pub device_serial_number: Option<String>,
    /// Device Observer UID (121012), UIDREF or TEXT.
    pub device_observer_uid: Option<String>,
}

/// A person participant (TID 1020).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PersonParticipant {
    /// Person Name (113870), DICOM PN form.
    pub person_name: Option<String>,
    /// Person Role in Procedure (113875).
    pub person_role_in_procedure: Option<OwnedCode>,
    /// Person ID (113871).
    pub person_id: Option<String>,
    /// Person ID Issuer (113872) (OpenREM looks for "Person ID Issue", [OpenREM B19](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b19)).
    pub person_id_issuer: Option<String>,
    /// Organization Name (113873).
    pub organization_name: Option<String>,
    /// Person Role in Organization (113874).
    pub person_role_in_organization: Option<OwnedCode>,
}
