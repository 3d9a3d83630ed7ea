//! The PHE 2019 national dose survey layouts: CT, radiography (DX, per exam or single
//! projection) and fluoroscopy/IR. Column order follows the survey workbooks (see
//! `docs/exports.md`); every header names its unit, and the units are the ones written
//! (OpenREM labels some wrongly, [OpenREM B15](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b15)).
//! Means over per-pulse values exclude zeros here as everywhere else in `rdsr`
//! ([OpenREM B22](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b22)).

use std::path::Path;

use rdsr::study::StudyAssembler;

use super::{Cell, Format, StudyFilter, SurveySource, sheet_writer};
use crate::StoreError;
use crate::rows::survey::{SurveyCtEvent, SurveyProjectionEvent, SurveyStudy, survey_study};

/// The survey layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Survey {
    /// CT, sheet `PHE CT 2019`.
    Ct,
    /// Radiography, one row per examination, sheet `PHE DX 2019 Exam`.
    DxExam,
    /// Radiography, first projection only, sheet `PHE DX 2019 Single Projection`.
    DxSingleProjection,
    /// Fluoroscopy and interventional radiology, sheet `PHE IR-Fluoro`.
    Rf,
}

impl Survey {
    /// The worksheet name the survey workbook expects.
    pub fn sheet_name(self) -> &'static str {
        match self {
            Survey::Ct => "PHE CT 2019",
            Survey::DxExam => "PHE DX 2019 Exam",
            Survey::DxSingleProjection => "PHE DX 2019 Single Projection",
            Survey::Rf => "PHE IR-Fluoro",
        }
    }

    fn template(self) -> &'static str {
        match self {
            Survey::Ct => "10011",
            _ => "10001",
        }
    }

    fn modality(self) -> &'static str {
        match self {
            Survey::Ct => "CT",
            Survey::DxExam | Survey::DxSingleProjection => "DX",
            Survey::Rf => "RF",
        }
    }

    /// The header row.
    pub fn header(self) -> Vec<String> {
        match self {
            Survey::Ct => ct_header(),
            Survey::DxExam => dx_header(true),
            Survey::DxSingleProjection => dx_header(false),
            Survey::Rf => RF_HEADER.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ExportSummary {
    /// Studies read from the store.
    pub studies_read: u64,
    /// Data rows written.
    pub rows_written: u64,
}

/// Exports `survey` from `source` to `path` (format from its extension). `progress(done,
/// total)` is called as studies are read.
pub fn export<S: SurveySource + ?Sized>(
    source: &S,
    survey: Survey,
    filter: &StudyFilter,
    path: &Path,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ExportSummary, StoreError> {
    let format = Format::from_path(path)?;
    let mut filter = filter.clone();
    filter.template = Some(survey.template().to_string());
    let total = source.count_studies(&filter)?;
    let mut writer = sheet_writer(path, format, survey.sheet_name())?;
    let header: Vec<Cell> = survey.header().into_iter().map(Cell::Text).collect();
    writer.row(&header)?;
    let mut summary = ExportSummary::default();
    source.for_each_study(&filter, &mut |_, reports| {
        summary.studies_read += 1;
        let mut assembler = StudyAssembler::new();
        for r in reports {
            assembler.add(r);
        }
        for study in assembler.studies() {
            let s = survey_study(&study);
            if s.modality.as_deref() != Some(survey.modality()) {
                continue;
            }
            let n = summary.rows_written + 1;
            let row = match survey {
                Survey::Ct => ct_row(n, &s),
                Survey::DxExam => dx_row(n, &s, true),
                Survey::DxSingleProjection => dx_row(n, &s, false),
                Survey::Rf => rf_row(n, &s),
            };
            writer.row(&row)?;
            summary.rows_written += 1;
        }
        if summary.studies_read % 64 == 0 || summary.studies_read == total {
            progress(summary.studies_read, total);
        }
        Ok(())
    })?;
    writer.finish()?;
    Ok(summary)
}

fn n(i: u64) -> Cell {
    Cell::Number(i as f64)
}

/// Distinct values in first-seen order.
fn distinct<T: PartialEq + Clone>(values: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn fmt_num(v: f64) -> String {
    format!("{v}")
}

// ---------------------------------------------------------------------------------------
// CT (spec 7.1)

const CT_BLOCK: [&str; 8] = [
    "imaged length (mm)",
    "start position (mm)",
    "end position (mm)",
    "kV (kV)",
    "CTDI phantom",
    "scan FOV (mm)",
    "CTDIvol (mGy)",
    "DLP (mGy·cm)",
];

/// CT acquisition type Constant Angle Acquisition (DCM 113805): localisers, left out.
const CONSTANT_ANGLE: &str = "113805";

fn ct_header() -> Vec<String> {
    let mut h: Vec<String> = ["Record number", "Age (years)", "Weight (kg)", "Height (cm)"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for i in 1..=4 {
        for c in CT_BLOCK {
            h.push(format!("Series {i} {c}"));
        }
    }
    h.push("Total DLP (mGy·cm)".to_string());
    h.push("Series types".to_string());
    h
}

fn ct_block(e: &SurveyCtEvent) -> [Cell; 8] {
    let kv = match e.kvp_kv.as_slice() {
        [] => Cell::Blank,
        [one] => Cell::Number(*one),
        many => Cell::Text(
            many.iter()
                .map(|v| fmt_num(*v))
                .collect::<Vec<_>>()
                .join(" | "),
        ),
    };
    let phantom = match &e.phantom {
        // CID 4052: IEC Body Dosimetry Phantom (32 cm), IEC Head Dosimetry Phantom (16 cm).
        Some((code, _)) if code == "113691" => Cell::text("32 cm"),
        Some((code, _)) if code == "113690" => Cell::text("16 cm"),
        Some((_, meaning)) => Cell::text(meaning.clone()),
        None => Cell::Blank,
    };
    [
        Cell::num(e.scanning_length_mm),
        Cell::num(e.bottom_z_mm),
        Cell::num(e.top_z_mm),
        kv,
        phantom,
        Cell::Blank,
        Cell::num(e.ctdivol_mgy),
        Cell::num(e.dlp_mgy_cm),
    ]
}

fn ct_row(record: u64, s: &SurveyStudy) -> Vec<Cell> {
    let mut row = vec![
        n(record),
        Cell::num(s.patient_age_years),
        Cell::num(s.patient_weight_kg),
        Cell::num(s.patient_size_mm.map(|mm| mm / 10.0)),
    ];
    let series: Vec<&SurveyCtEvent> = s
        .ct_events
        .iter()
        .filter(|e| {
            e.acquisition_type
                .as_ref()
                .is_none_or(|(code, _)| code != CONSTANT_ANGLE)
        })
        .collect();
    for i in 0..4 {
        match series.get(i) {
            Some(e) => row.extend(ct_block(e)),
            None => row.extend(std::iter::repeat_n(Cell::Blank, 8)),
        }
    }
    row.push(Cell::num(s.total_dlp_mgy_cm));
    let types: Vec<String> = series
        .iter()
        .map(|e| {
            e.acquisition_type
                .as_ref()
                .map_or("unknown type".to_string(), |(_, m)| m.clone())
        })
        .collect();
    row.push(Cell::text(format!("Series types: {}", types.join(", "))));
    for e in series.iter().skip(4) {
        row.extend(ct_block(e));
    }
    row
}

// ---------------------------------------------------------------------------------------
// DX (spec 7.2)

/// Per-projection DAP columns headed in the exam layout.
const DX_HEADED_PROJECTIONS: usize = 6;

const DX_FIELDS: [&str; 10] = [
    "detector used",
    "grid used",
    "FDD (cm)",
    "filtration (mm)",
    "AEC used",
    "kVp (kV)",
    "mAs (mAs)",
    "patient position",
    "detector in bucky",
    "other projection info",
];

fn dx_header(exam: bool) -> Vec<String> {
    let mut h: Vec<String> = [
        "",
        "PHE record number",
        "Contributor record id",
        "Exam date",
        if exam {
            "Study DAP (cGy·cm²)"
        } else {
            "Projection DAP (cGy·cm²)"
        },
        "DAP units",
        "Protocol name",
        "Patient weight (kg)",
        "",
        "",
        "Age (years)",
        "Sex",
        "Height (cm)",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if exam {
        h.push("Number of projections".to_string());
        for i in 1..=DX_HEADED_PROJECTIONS {
            h.push(format!("Projection {i} DAP (cGy·cm²)"));
        }
        for i in 1..=DX_HEADED_PROJECTIONS {
            h.push(format!("Projection {i} name"));
            for f in DX_FIELDS {
                h.push(format!("Projection {i} {f}"));
            }
        }
    } else {
        h.push("Projection name".to_string());
        for f in DX_FIELDS {
            h.push(format!("Projection {f}"));
        }
    }
    h
}

/// Gy·m² to cGy·cm².
fn cgy_cm2(gy_m2: Option<f64>) -> Option<f64> {
    gy_m2.map(|v| v * 1e6)
}

/// The usual abbreviation of a filter material (CID 10006), from the code meaning.
fn material_symbol(meaning: &str) -> Option<&'static str> {
    let m = meaning.to_ascii_lowercase();
    [
        ("alumin", "Al"),
        ("copper", "Cu"),
        ("tantalum", "Ta"),
        ("molybdenum", "Mo"),
        ("rhodium", "Rh"),
        ("silver", "Ag"),
        ("niobium", "Nb"),
        ("europium", "Eu"),
        ("lead", "Pb"),
    ]
    .into_iter()
    .find(|(name, _)| m.contains(name))
    .map(|(_, sym)| sym)
}

fn filter_thickness_mm(f: &crate::rows::survey::SurveyFilter) -> Option<f64> {
    match (f.thickness_min_mm, f.thickness_max_mm) {
        (Some(a), Some(b)) => Some((a + b) / 2.0),
        (a, b) => a.or(b),
    }
}

/// `Al | Cu 1.0000 | 0.1000`; blank when there is no filter or a material is unknown.
fn filtration(e: &SurveyProjectionEvent) -> Cell {
    if e.filters.is_empty() {
        return Cell::Blank;
    }
    let mut symbols = Vec::new();
    let mut thicknesses = Vec::new();
    for f in &e.filters {
        let Some(sym) = f.material.as_ref().and_then(|(_, m)| material_symbol(m)) else {
            return Cell::Blank;
        };
        symbols.push(sym);
        thicknesses.push(filter_thickness_mm(f).map_or(String::new(), |t| format!("{t:.4}")));
    }
    Cell::text(format!(
        "{} {}",
        symbols.join(" | "),
        thicknesses.join(" | ")
    ))
}

fn dx_fields(e: &SurveyProjectionEvent) -> [Cell; 11] {
    let other = {
        let ei = e
            .exposure_index
            .map(|v| format!("EI: {v:.2}"))
            .unwrap_or_default();
        let view = e.image_view.clone().unwrap_or_default();
        [ei, view]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    [
        Cell::opt_text(e.acquisition_protocol.as_deref()),
        Cell::Blank,
        Cell::text(e.grids.join(", ")),
        Cell::num(e.distance_source_to_detector_mm.map(|mm| mm / 10.0)),
        filtration(e),
        Cell::opt_text(e.exposure_control_mode.as_deref()),
        Cell::num(e.kvp_kv),
        Cell::num(e.exposure_uas.map(|uas| uas / 1000.0)),
        Cell::text(e.patient_position.join(", ")),
        Cell::Blank,
        Cell::text(other),
    ]
}

fn dx_row(record: u64, s: &SurveyStudy, exam: bool) -> Vec<Cell> {
    let first = s.projection_events.first();
    let dap = if exam {
        s.total_dap_gy_m2
    } else {
        first.and_then(|e| e.dap_gy_m2)
    };
    let mut row = vec![
        Cell::Blank,
        n(record),
        Cell::text(s.study_key.clone()),
        Cell::opt_text(s.study_date.as_deref()),
        Cell::num(cgy_cm2(dap)),
        Cell::text("cGy·cm²"),
        Cell::text(s.procedure.join(" | ")),
        Cell::num(s.patient_weight_kg),
        Cell::Blank,
        Cell::Blank,
        Cell::num(s.patient_age_years),
        Cell::opt_text(s.patient_sex.as_deref()),
        Cell::num(s.patient_size_mm.map(|mm| mm / 10.0)),
    ];
    if exam {
        row.push(n(s.projection_events.len() as u64));
        for i in 0..DX_HEADED_PROJECTIONS {
            row.push(Cell::num(cgy_cm2(
                s.projection_events.get(i).and_then(|e| e.dap_gy_m2),
            )));
        }
        for e in &s.projection_events {
            row.extend(dx_fields(e));
        }
    } else if let Some(e) = first {
        row.extend(dx_fields(e));
    }
    row
}

// ---------------------------------------------------------------------------------------
// Fluoroscopy / IR (spec 7.3)

const RF_HEADER: [&str; 33] = [
    "",
    "Record number",
    "Contributor record id",
    "Study date",
    "Total DAP (Gy·m²)",
    "Fluoro DAP (Gy·m²)",
    "Acquisition DAP (Gy·m²)",
    "Total fluoro time (s)",
    "Total dose at RP (Gy)",
    "Fluoro dose at RP (Gy)",
    "Acquisition dose at RP (Gy)",
    "Procedure",
    "Weight (kg)",
    "",
    "Age (years)",
    "Sex",
    "Height (cm)",
    "Fluoro protocols",
    "Fluoro modes",
    "Fluoro pulse rate (pulse/s)",
    "Acquisition pulse rate (pulse/s)",
    "Number of acquisitions",
    "Grids",
    "AEC",
    "Patient positions",
    "",
    "",
    "Collimated field",
    "II field sizes (mm)",
    "",
    "Copper filter thickness (mm)",
    "Aluminium filter thickness (mm)",
    "Notes",
];

/// Irradiation event types (CID 10002) of acquisitions: Stationary (113611), Stepping
/// (113612) and Rotational (113613) Acquisition; everything else counts as fluoroscopy.
fn is_acquisition(e: &SurveyProjectionEvent) -> bool {
    e.event_type
        .as_ref()
        .is_some_and(|(code, _)| ["113611", "113612", "113613"].contains(&code.as_str()))
}

fn sum(values: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    values
        .into_iter()
        .flatten()
        .fold(None, |acc, v| Some(acc.unwrap_or(0.0) + v))
}

fn range(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Two significant digits.
fn sig2(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let digits = 1 - v.abs().log10().floor() as i32;
    let digits = usize::try_from(digits.max(0)).unwrap_or(0);
    format!("{v:.digits$}")
}

fn rate_cell(rates: &[f64], none: &str) -> Cell {
    match rates {
        [] if none.is_empty() => Cell::Blank,
        [] => Cell::text(none),
        [one] => Cell::Number(*one),
        _ => Cell::text("Multiple rates"),
    }
}

fn filter_range(events: &[SurveyProjectionEvent], symbol: &str) -> Cell {
    let r = range(events.iter().flat_map(|e| {
        e.filters
            .iter()
            .filter(|f| f.material.as_ref().and_then(|(_, m)| material_symbol(m)) == Some(symbol))
            .filter_map(|f| f.thickness_max_mm.or(f.thickness_min_mm))
    }));
    match r {
        Some((lo, hi)) => Cell::text(format!("{} - {} mm", sig2(lo), sig2(hi))),
        None => Cell::Blank,
    }
}

fn rf_row(record: u64, s: &SurveyStudy) -> Vec<Cell> {
    let p = &s.planes;
    let ev = &s.projection_events;
    let fluoro: Vec<&SurveyProjectionEvent> = ev.iter().filter(|e| !is_acquisition(e)).collect();
    let acq: Vec<&SurveyProjectionEvent> = ev.iter().filter(|e| is_acquisition(e)).collect();
    let fluoro_rates = distinct(fluoro.iter().filter_map(|e| e.pulse_rate_per_s));
    let acq_rates = distinct(acq.iter().filter_map(|e| e.pulse_rate_per_s));
    let join = |v: Vec<String>| v.join(" | ");
    let field = {
        let area = range(ev.iter().filter_map(|e| e.collimated_field_area_m2));
        let width = range(ev.iter().filter_map(|e| e.collimated_field_width_mm));
        let height = range(ev.iter().filter_map(|e| e.collimated_field_height_mm));
        let mut t = String::new();
        for (label, unit, r) in [
            ("Area", "m²", area),
            ("Width", "mm", width),
            ("Height", "mm", height),
        ] {
            if let Some((lo, hi)) = r {
                t.push_str(&format!(
                    "{label} {} to {} {unit}, ",
                    fmt_num(lo),
                    fmt_num(hi)
                ));
            }
        }
        t.trim_end_matches(", ").to_string()
    };
    let ii = distinct(ev.iter().filter_map(|e| e.ii_field_size_mm))
        .into_iter()
        .map(fmt_num)
        .collect::<Vec<_>>();
    let mut row = vec![
        Cell::Blank,
        n(record),
        Cell::text(s.study_key.clone()),
        Cell::opt_text(s.study_date.as_deref()),
        Cell::num(sum(p.iter().map(|a| a.dap_total_gy_m2))),
        Cell::num(sum(p.iter().map(|a| a.fluoro_dap_total_gy_m2))),
        Cell::num(sum(p.iter().map(|a| a.acquisition_dap_total_gy_m2))),
        Cell::num(sum(p.iter().map(|a| a.total_fluoro_time_s))),
        Cell::num(sum(p.iter().map(|a| a.dose_rp_total_gy))),
        Cell::num(sum(p.iter().map(|a| a.fluoro_dose_rp_total_gy))),
        Cell::num(sum(p.iter().map(|a| a.acquisition_dose_rp_total_gy))),
        Cell::text(s.procedure.join(" | ")),
        Cell::num(s.patient_weight_kg),
        Cell::Blank,
        Cell::num(s.patient_age_years),
        Cell::opt_text(s.patient_sex.as_deref()),
        Cell::num(s.patient_size_mm.map(|mm| mm / 10.0)),
        Cell::text(join(distinct(
            fluoro.iter().filter_map(|e| e.acquisition_protocol.clone()),
        ))),
        Cell::text(join(distinct(
            fluoro.iter().filter_map(|e| e.fluoro_mode.clone()),
        ))),
        rate_cell(&fluoro_rates, ""),
        rate_cell(&acq_rates, "Single shot"),
        n(acq.len() as u64),
        Cell::text(join(distinct(ev.iter().flat_map(|e| e.grids.clone())))),
        Cell::Blank,
        Cell::text(join(distinct(
            ev.iter()
                .filter(|e| !e.patient_position.is_empty())
                .map(|e| e.patient_position.join(", ")),
        ))),
        Cell::Blank,
        Cell::Blank,
        Cell::text(field),
        Cell::text(ii.join(" | ")),
        Cell::Blank,
        filter_range(ev, "Cu"),
        filter_range(ev, "Al"),
    ];
    let mut notes = Vec::new();
    if fluoro_rates.len() > 1 {
        let r: Vec<String> = fluoro_rates.iter().map(|v| fmt_num(*v)).collect();
        notes.push(format!("Fluoro pulse rates: {}", r.join(", ")));
    }
    if acq_rates.len() > 1 {
        let r: Vec<String> = acq_rates.iter().map(|v| fmt_num(*v)).collect();
        notes.push(format!("Acquisition pulse rates: {}", r.join(", ")));
    }
    row.push(Cell::text(notes.join("; ")));
    row
}
