//! Study-level summary fields ([summary fields](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#summary-fields)), computed from a study's events.

use serde::{Deserialize, Serialize};

/// Summary fields of a study (or of one report): counts and totals for lists and charts.
///
/// Projection fields use plane A = the accumulated plane coded 113620 Plane A (or Single
/// Plane, or Undefined Plane), not simply the first in file order ([OpenREM B16](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b16)).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Summary {
    /// Number of irradiation events (CT and projection).
    pub number_of_events: usize,
    /// CT: events with acquisition type 113804 Sequenced Acquisition.
    pub number_of_axial: Option<usize>,
    /// CT: events with acquisition type Spiral Acquisition (P5-08001 / 116152004 / C0860888).
    pub number_of_spiral: Option<usize>,
    /// CT: events with acquisition type 113806 Stationary Acquisition.
    pub number_of_stationary: Option<usize>,
    /// CT: events with acquisition type 113805 Constant Angle Acquisition (localisers).
    pub number_of_const_angle: Option<usize>,
    /// CT: CT Dose Length Product Total (mGy·cm) of the accumulated dose data.
    pub total_dlp_mgy_cm: Option<f64>,
    /// Projection: Dose Area Product Total (Gy·m²) of plane A.
    pub total_dap_a_gy_m2: Option<f64>,
    /// Projection: Dose (RP) Total (Gy) of plane A.
    pub total_rp_dose_a_gy: Option<f64>,
    /// Projection: Dose Area Product Total (Gy·m²) of plane B.
    pub total_dap_b_gy_m2: Option<f64>,
    /// Projection: Dose (RP) Total (Gy) of plane B.
    pub total_rp_dose_b_gy: Option<f64>,
    /// Projection: number of accumulated planes (1 or 2).
    pub number_of_planes: Option<usize>,
    /// Projection: total DAP of both planes (Gy·m²).
    pub total_dap_gy_m2: Option<f64>,
    /// Projection: number of events in plane A.
    pub number_of_events_a: Option<usize>,
    /// Projection: number of events in plane B.
    pub number_of_events_b: Option<usize>,
    /// Mammography: accumulated AGD of the left breast (mGy).
    pub total_agd_left_mgy: Option<f64>,
    /// Mammography: accumulated AGD of the right breast (mGy).
    pub total_agd_right_mgy: Option<f64>,
    /// Mammography: accumulated AGD of both breasts (mGy).
    pub total_agd_both_mgy: Option<f64>,
    /// Radiopharmaceutical: number of administrations (TID 10022 records).
    pub number_of_administrations: Option<usize>,
    /// Radiopharmaceutical: administered activity of every administration (MBq), summed.
    pub total_administered_activity_mbq: Option<f64>,
    /// Radiopharmaceutical: effective dose of every administration (mSv), summed.
    pub total_radiopharmaceutical_effective_dose_msv: Option<f64>,
}

impl Summary {
    /// The summary of one report.
    pub fn of_report(report: &super::DoseReport) -> Summary {
        let mut s = Summary::default();
        match &report.body {
            super::ReportBody::Projection(p) => p.summarise(&mut s),
            super::ReportBody::Ct(c) => c.summarise(&mut s),
            super::ReportBody::Radiopharmaceutical(r) => r.summarise(&mut s),
            _ => {}
        }
        s
    }
}
