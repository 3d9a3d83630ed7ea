//! `rdsr dump --report`: the typed dose report of each file, for people or as JSON Lines.

use std::io::{self, Write};
use std::path::Path;

use rdsr::model::ct::{CtEvent, CtReport};
use rdsr::model::projection::{AccumulatedPlane, ProjectionEvent, ProjectionModality};
use rdsr::model::radiopharmaceutical::RadiopharmaceuticalAdministration;
use rdsr::model::{ProjectionReport, RadiopharmaceuticalReport, Summary};
use rdsr::{DoseReport, ReportBody, Template, TemplateSource};
use serde::Serialize;

use crate::text::{self, Clean, Num, code, count, opt, plural, quantity, rows};

/// One JSON Lines record: `{"file": ..., "report": <DoseReport>}`.
pub fn write_json(out: &mut dyn Write, path: &Path, report: &DoseReport) -> io::Result<()> {
    #[derive(Serialize)]
    struct Record<'a> {
        file: &'a str,
        report: &'a DoseReport,
    }
    text::json_line(
        out,
        &Record {
            file: &path.to_string_lossy(),
            report,
        },
    )
}

/// Gy·m² to cGy·cm² (1 Gy·m² = 100 cGy × 10⁴ cm²).
const CGY_CM2_PER_GY_M2: f64 = 1e6;

/// The human form: a header line, then identity, study, patient, equipment, accumulated
/// totals, one line per event, the summary, the applied quirks and the diagnostics.
pub fn write_human(out: &mut dyn Write, path: &Path, r: &DoseReport) -> io::Result<()> {
    writeln!(
        out,
        "== {}: {}, {}",
        text::path(path),
        kind(r),
        match &r.body {
            ReportBody::Radiopharmaceutical(_) =>
                plural(number_of_events(r), "administration", "administrations"),
            _ => plural(number_of_events(r), "event", "events"),
        }
    )?;
    writeln!(out, "identity")?;
    rows(
        out,
        "  ",
        &[
            ("SOP class", sop_class(&r.sop_class_uid)),
            ("SOP instance", opt(r.sop_instance_uid.as_deref())),
            ("study UID", opt(r.study_instance_uid.as_deref())),
            ("series UID", opt(r.series_instance_uid.as_deref())),
            ("template", template(r)),
        ],
    )?;
    let s = &r.study;
    writeln!(out, "study")?;
    rows(
        out,
        "  ",
        &[
            ("date", s.study_date.map_or("-".into(), |d| d.to_string())),
            ("time", s.study_time.map_or("-".into(), |t| t.to_string())),
            ("accession", opt(s.accession_number.as_deref())),
            ("description", opt(s.study_description.as_deref())),
        ],
    )?;
    writeln!(out, "patient")?;
    rows(
        out,
        "  ",
        &[
            ("sex", opt(r.patient.patient_sex.as_deref())),
            ("age", age(r)),
        ],
    )?;
    let e = &r.equipment;
    writeln!(out, "equipment")?;
    rows(
        out,
        "  ",
        &[
            ("manufacturer", opt(e.manufacturer.as_deref())),
            ("model", opt(e.manufacturer_model_name.as_deref())),
            ("station", opt(e.station_name.as_deref())),
            ("software", opt(e.software_versions.as_deref())),
            ("device observer", opt(e.device_observer_uid.as_deref())),
        ],
    )?;
    match &r.body {
        ReportBody::Projection(p) => write_projection(out, p)?,
        ReportBody::Ct(c) => write_ct(out, c)?,
        ReportBody::Radiopharmaceutical(rp) => write_radiopharmaceutical(out, rp)?,
        _ => writeln!(out, "body: not mapped")?,
    }
    writeln!(out, "summary")?;
    rows(out, "  ", &summary_rows(r, &Summary::of_report(r)))?;
    write_quirks_and_diagnostics(out, r)
}

/// The applied quirks (`quirk <id> (<kind>, <reference>): <summary>`, then one
/// `at <path>: <before> -> <after>` line per change) and the diagnostics.
fn write_quirks_and_diagnostics(out: &mut dyn Write, r: &DoseReport) -> io::Result<()> {
    if r.applied_quirks.is_empty() {
        writeln!(out, "quirks applied: none")?;
    } else {
        writeln!(out, "quirks applied")?;
        for q in &r.applied_quirks {
            writeln!(
                out,
                "  quirk {} ({}, {}): {}",
                Clean(&q.id),
                q.kind,
                Clean(&q.reference),
                Clean(&q.summary)
            )?;
            for c in &q.changes {
                text::change_line(out, c)?;
            }
        }
    }
    if r.diagnostics.is_empty() {
        writeln!(out, "diagnostics: none")
    } else {
        writeln!(out, "diagnostics")?;
        for d in &r.diagnostics {
            writeln!(out, "  ! {}", Clean(&d.to_string()))?;
        }
        Ok(())
    }
}

/// `projection X-ray (RF)`, `CT`, or the template that is not mapped.
pub fn kind(r: &DoseReport) -> String {
    match &r.body {
        ReportBody::Projection(p) => match p.modality_type {
            Some(m) => format!("projection X-ray ({})", m.as_str()),
            None => "projection X-ray".to_string(),
        },
        ReportBody::Ct(_) => "CT".to_string(),
        ReportBody::Radiopharmaceutical(_) => "radiopharmaceutical (NM)".to_string(),
        _ => match r.template.id() {
            Some(id) => format!("template {}, not mapped", Clean(id)),
            None => "unknown template, not mapped".to_string(),
        },
    }
}

/// The events of the mapped body (the administrations of a radiopharmaceutical report), or
/// the event containers of the content tree.
pub fn number_of_events(r: &DoseReport) -> usize {
    match &r.body {
        ReportBody::Projection(p) => p.events.len(),
        ReportBody::Ct(c) => c.events.len(),
        ReportBody::Radiopharmaceutical(rp) => rp.administrations.len(),
        _ => r.irradiation_events,
    }
}

fn sop_class(uid: &str) -> String {
    let name = match uid {
        "1.2.840.10008.5.1.4.1.1.88.67" => "X-Ray Radiation Dose SR",
        "1.2.840.10008.5.1.4.1.1.88.68" => "Radiopharmaceutical Radiation Dose SR",
        "1.2.840.10008.5.1.4.1.1.88.22" => "Enhanced SR",
        "1.2.840.10008.5.1.4.1.1.88.33" => "Comprehensive SR",
        "1.2.840.10008.5.1.4.1.1.88.34" => "Comprehensive 3D SR",
        "1.2.840.10008.5.1.4.1.1.88.73" => "Patient Radiation Dose SR",
        "1.2.840.10008.5.1.4.1.1.88.76" => "Enhanced X-Ray Radiation Dose SR",
        _ => return opt(Some(uid)),
    };
    format!("{uid} ({name})")
}

/// The template and how it was determined.
fn template(r: &DoseReport) -> String {
    let id = match &r.template {
        Template::Projection => "TID 10001 (projection X-ray)".to_string(),
        Template::Ct => "TID 10011 (CT)".to_string(),
        Template::Radiopharmaceutical => "TID 10021 (radiopharmaceutical)".to_string(),
        other => match other.id() {
            Some(id) => format!("TID {}", Clean(id)),
            None => "unknown".to_string(),
        },
    };
    let how = match r.template_source {
        TemplateSource::Declared => "declared in the Content Template Sequence",
        TemplateSource::Quirk => "none declared; set by a quirk from the content",
        TemplateSource::None => "none declared, none recognised",
    };
    format!("{id}, {how}")
}

/// `067Y (67.2 years)`: the age as written and in decimal years at the study date.
fn age(r: &DoseReport) -> String {
    let ps = &r.patient_study;
    let written = ps
        .patient_age
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    match (written, ps.patient_age_years) {
        (Some(a), Some(d)) => format!("{} ({} years)", Clean(a), Num(d)),
        (Some(a), None) => Clean(a).to_string(),
        (None, Some(d)) => format!("{} years (from the birth date)", Num(d)),
        (None, None) => "-".to_string(),
    }
}

fn write_projection(out: &mut dyn Write, p: &ProjectionReport) -> io::Result<()> {
    let mammography = p.modality_type == Some(ProjectionModality::Mammography);
    for plane in &p.accumulated_planes {
        write_plane(out, plane, mammography)?;
    }
    if p.accumulated_planes.is_empty() {
        writeln!(out, "accumulated dose: none")?;
    }
    if p.events.is_empty() {
        return writeln!(out, "events: none");
    }
    writeln!(out, "events")?;
    for e in &p.events {
        writeln!(out, "  {}", projection_event(e, mammography))?;
    }
    Ok(())
}

/// One accumulated plane: DAP and dose totals, fluoro and acquisition totals, or for
/// mammography the accumulated AGD of each breast.
fn write_plane(out: &mut dyn Write, plane: &AccumulatedPlane, mammography: bool) -> io::Result<()> {
    writeln!(
        out,
        "accumulated dose, {} ({})",
        code(plane.acquisition_plane.as_ref()),
        Clean(&plane.path)
    )?;
    let totals = plane.projection_totals.as_ref();
    let fluoro = plane.fluoro_and_acquisition_totals.as_ref();
    let dap = totals.and_then(|t| t.dose_area_product_total_gy_m2);
    let agd: Vec<(String, String)> = plane
        .mammography_totals
        .iter()
        .map(|t| {
            (
                format!("AGD {}", code(t.laterality.as_ref())),
                quantity(t.accumulated_average_glandular_dose_mgy, "mGy"),
            )
        })
        .collect();
    let agd = agd.iter().map(|(l, v)| (l.as_str(), v.clone()));
    if mammography {
        return rows(out, "  ", &agd.collect::<Vec<_>>());
    }
    let mut r = vec![
        (
            "DAP total",
            match dap {
                Some(v) => format!("{} Gy·m² ({} cGy·cm²)", Num(v), Num(v * CGY_CM2_PER_GY_M2)),
                None => "-".to_string(),
            },
        ),
        (
            "dose RP total",
            quantity(totals.and_then(|t| t.dose_rp_total_gy), "Gy"),
        ),
        (
            "fluoro DAP",
            quantity(
                fluoro.and_then(|t| t.fluoro_dose_area_product_total_gy_m2),
                "Gy·m²",
            ),
        ),
        (
            "acquisition DAP",
            quantity(
                fluoro.and_then(|t| t.acquisition_dose_area_product_total_gy_m2),
                "Gy·m²",
            ),
        ),
        (
            "fluoro time",
            quantity(fluoro.and_then(|t| t.total_fluoro_time_s), "s"),
        ),
    ];
    if let Some(d) = totals.and_then(|t| t.distance_source_to_reference_point_mm) {
        r.push(("source to RP", quantity(Some(d), "mm")));
    }
    if let Some(l) = &plane.equipment_landmark {
        r.push((
            "landmark",
            format!(
                "{}, XY plane {}, patient fiducial {}, distance X {} / Y {} / Z {}",
                code(l.equipment_landmark.as_ref()),
                code(l.equipment_landmark_xy_plane.as_ref()),
                code(l.patient_fiducial.as_ref()),
                quantity(l.equipment_landmark_to_patient_fiducial_x_distance_mm, "mm"),
                quantity(l.equipment_landmark_to_patient_fiducial_y_distance_mm, "mm"),
                quantity(l.equipment_landmark_to_patient_fiducial_z_distance_mm, "mm"),
            ),
        ));
    }
    r.extend(agd);
    rows(out, "  ", &r)
}

/// `1.11  Fluoroscopy, protocol "...", Single Plane, DAP ..., dose RP ..., kVp ...,
/// exposure time ...` (mammography adds the event's AGD).
fn projection_event(e: &ProjectionEvent, mammography: bool) -> String {
    let s = &e.source;
    let exposure_time = match (s.exposure_time_s, s.exposure_time_derived_s) {
        (Some(t), _) => format!("{} s", Num(t)),
        (None, Some(t)) => format!("{} s (derived)", Num(t)),
        (None, None) => "-".to_string(),
    };
    let mut line = format!(
        "{}  {}, protocol {}, plane {}, DAP {}, dose RP {}, kVp {}, exposure time {}",
        Clean(&e.path),
        code(e.irradiation_event_type.as_ref()),
        quoted(e.acquisition_protocol.as_deref()),
        code(e.acquisition_plane.as_ref()),
        quantity(e.dose_area_product_gy_m2, "Gy·m²"),
        quantity(s.dose_rp_gy, "Gy"),
        s.mean_kvp_kv()
            .map_or("-".to_string(), |v| Num(v).to_string()),
        exposure_time,
    );
    if mammography {
        line.push_str(&format!(
            ", AGD {}",
            quantity(s.average_glandular_dose_mgy, "mGy")
        ));
    }
    let k = &e.mechanical;
    if k.positioner_isocenter_primary_angle_deg.is_some()
        || k.positioner_isocenter_secondary_angle_deg.is_some()
    {
        line.push_str(&format!(
            ", isocenter angles {} / {}",
            quantity(k.positioner_isocenter_primary_angle_deg, "deg"),
            quantity(k.positioner_isocenter_secondary_angle_deg, "deg"),
        ));
    }
    if k.compression_pressure_kpa.is_some() || k.compression_contact_area_m2.is_some() {
        line.push_str(&format!(
            ", compression {} on {}",
            quantity(k.compression_pressure_kpa, "kPa"),
            quantity(k.compression_contact_area_m2, "m²"),
        ));
    }
    line
}

fn write_ct(out: &mut dyn Write, c: &CtReport) -> io::Result<()> {
    match &c.accumulated {
        Some(a) => {
            writeln!(out, "accumulated dose ({})", Clean(&a.path))?;
            rows(
                out,
                "  ",
                &[
                    (
                        "DLP total",
                        quantity(a.ct_dose_length_product_total_mgy_cm, "mGy·cm"),
                    ),
                    (
                        "events",
                        count(
                            a.total_number_of_irradiation_events
                                .and_then(|n| usize::try_from(n).ok()),
                        ),
                    ),
                ],
            )?;
            let mut conditions = Vec::new();
            if let Some(m) = &a.patient_model {
                conditions.push(("patient model", quoted(Some(m.as_str()))));
            }
            if let Some(p) = &a.effective_dose_phantom_type {
                conditions.push(("E phantom", quoted(Some(p.as_str()))));
            }
            if let Some(d) = &a.dosimeter_type {
                conditions.push(("dosimeter", quoted(Some(d.as_str()))));
            }
            rows(out, "  ", &conditions)?;
        }
        None => writeln!(out, "accumulated dose: none")?,
    }
    if c.events.is_empty() {
        return writeln!(out, "events: none");
    }
    writeln!(out, "events")?;
    for e in &c.events {
        writeln!(out, "  {}", ct_event(e))?;
        let ssde = e.size_specific_dose_estimates_at_z.iter().map(|z| {
            let value = quantity(z.size_specific_dose_estimate_mgy, "mGy");
            ("SSDE(z)", value, z.longitudinal_position_z_mm, &z.path)
        });
        let wed = e.water_equivalent_diameters_at_z.iter().map(|z| {
            let value = quantity(z.water_equivalent_diameter_mm, "mm");
            ("WED(z)", value, z.longitudinal_position_z_mm, &z.path)
        });
        for (label, value, z, path) in ssde.chain(wed) {
            writeln!(
                out,
                "    {}  {label} {value} at z {}",
                Clean(path),
                quantity(z, "mm"),
            )?;
        }
    }
    Ok(())
}

/// `1.13  Spiral Acquisition, protocol "...", CTDIvol ..., DLP ..., scanning length ...,
/// kVp ...` (one kVp per X-ray source, `120 (A) / 100 (B)` for dual-source scanners).
fn ct_event(e: &CtEvent) -> String {
    let sources = e.sources_sorted_by_identification();
    let kvp = match sources.as_slice() {
        [] => "-".to_string(),
        [one] => one.kvp_kv.map_or("-".to_string(), |v| Num(v).to_string()),
        several => several
            .iter()
            .map(|s| {
                format!(
                    "{} ({})",
                    s.kvp_kv.map_or("-".to_string(), |v| Num(v).to_string()),
                    opt(s.identification_of_the_xray_source.as_deref())
                )
            })
            .collect::<Vec<_>>()
            .join(" / "),
    };
    let mut line = format!(
        "{}  {}, protocol {}, CTDIvol {}, DLP {}, scanning length {}, kVp {}",
        Clean(&e.path),
        code(e.ct_acquisition_type.as_ref()),
        quoted(e.acquisition_protocol.as_deref()),
        quantity(e.mean_ctdivol_mgy, "mGy"),
        quantity(e.dlp_mgy_cm, "mGy·cm"),
        quantity(
            e.scanning_length
                .as_ref()
                .and_then(|l| l.scanning_length_mm),
            "mm"
        ),
        kvp,
    );
    if !e.reconstruction_algorithms.is_empty() {
        let names: Vec<String> = e
            .reconstruction_algorithms
            .iter()
            .map(|a| code(Some(a)))
            .collect();
        line.push_str(&format!(", reconstruction {}", names.join(" + ")));
    }
    if let Some(repeated) = e.is_repeated_acquisition {
        line.push_str(&format!(
            ", repeated {}",
            if repeated { "yes" } else { "no" }
        ));
        if let Some(reason) = &e.reason_for_repeating_acquisition {
            line.push_str(&format!(" ({})", code(Some(reason))));
        }
    }
    if let Some(m) = &e.xray_modulation_type_code {
        line.push_str(&format!(", modulation {}", code(Some(m))));
    }
    if e.size_specific_dose_estimation_mgy.is_some() {
        line.push_str(&format!(
            ", SSDE {} ({})",
            quantity(e.size_specific_dose_estimation_mgy, "mGy"),
            code(e.size_specific_dose_estimation_method.as_ref()),
        ));
    }
    if e.water_equivalent_diameter_mm.is_some() {
        line.push_str(&format!(
            ", WED {} ({})",
            quantity(e.water_equivalent_diameter_mm, "mm"),
            code(e.water_equivalent_diameter_method.as_ref()),
        ));
        if e.water_equivalent_diameter_z_location_mm.is_some() {
            line.push_str(&format!(
                " at z {}",
                quantity(e.water_equivalent_diameter_z_location_mm, "mm"),
            ));
        }
    }
    line
}

fn write_radiopharmaceutical(out: &mut dyn Write, r: &RadiopharmaceuticalReport) -> io::Result<()> {
    writeln!(out, "radiopharmaceutical report")?;
    rows(
        out,
        "  ",
        &[
            ("procedure", code(r.associated_procedure.as_ref())),
            ("intent", code(r.has_intent.as_ref())),
        ],
    )?;
    if let Some(p) = &r.patient_characteristics {
        writeln!(out, "patient characteristics")?;
        rows(
            out,
            "  ",
            &[
                ("age", quantity(p.subject_age_years, "years")),
                ("sex", code(p.subject_sex.as_ref())),
                ("height", quantity(p.patient_height_mm, "mm")),
                ("weight", quantity(p.patient_weight_kg, "kg")),
            ],
        )?;
    }
    if r.administrations.is_empty() {
        return writeln!(out, "administrations: none");
    }
    writeln!(out, "administrations")?;
    for a in &r.administrations {
        writeln!(out, "  {}", administration(a))?;
        for d in &a.organ_doses {
            let laterality = match &d.laterality {
                Some(l) => format!(" ({})", code(Some(l))),
                None => String::new(),
            };
            writeln!(
                out,
                "    organ dose {}{laterality}: {}",
                code(d.finding_site.as_ref()),
                quantity(d.organ_dose_mgy, "mGy")
            )?;
        }
    }
    Ok(())
}

/// `1.2  Fluorodeoxyglucose F^18^ (^18^Fluorine), activity 394 MBq, effective dose
/// 7.486 mSv, start 2022-02-24T10:40:30, route Intravenous route`.
fn administration(a: &RadiopharmaceuticalAdministration) -> String {
    format!(
        "{}  {} ({}), activity {}, effective dose {}, start {}, route {}",
        Clean(&a.path),
        code(a.radiopharmaceutical_agent.as_ref()),
        code(a.radionuclide.as_ref()),
        quantity(a.administered_activity_mbq, "MBq"),
        quantity(a.effective_dose_msv, "mSv"),
        a.start_date_time.map_or("-".into(), |d| d.to_string()),
        code(a.route_of_administration.as_ref()),
    )
}

/// `"text"` (control characters escaped), or `-`.
fn quoted(s: Option<&str>) -> String {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => format!("\"{}\"", Clean(s)),
        None => "-".to_string(),
    }
}

/// The summary fields that apply to the report's kind: CT counts and total DLP; projection
/// planes, DAP and RP dose per plane and events per plane; mammography AGD per breast.
pub fn summary_rows(r: &DoseReport, s: &Summary) -> Vec<(&'static str, String)> {
    let events = ("events", s.number_of_events.to_string());
    let mut fields = match &r.body {
        ReportBody::Ct(_) => vec![
            events,
            ("axial", count(s.number_of_axial)),
            ("spiral", count(s.number_of_spiral)),
            ("stationary", count(s.number_of_stationary)),
            ("constant angle", count(s.number_of_const_angle)),
            ("total DLP", quantity(s.total_dlp_mgy_cm, "mGy·cm")),
        ],
        ReportBody::Projection(p) if p.modality_type == Some(ProjectionModality::Mammography) => {
            vec![
                events,
                ("AGD left", quantity(s.total_agd_left_mgy, "mGy")),
                ("AGD right", quantity(s.total_agd_right_mgy, "mGy")),
                ("AGD both", quantity(s.total_agd_both_mgy, "mGy")),
            ]
        }
        ReportBody::Projection(_) => vec![
            events,
            ("planes", count(s.number_of_planes)),
            ("DAP A", quantity(s.total_dap_a_gy_m2, "Gy·m²")),
            ("DAP B", quantity(s.total_dap_b_gy_m2, "Gy·m²")),
            ("DAP total", quantity(s.total_dap_gy_m2, "Gy·m²")),
            ("dose RP A", quantity(s.total_rp_dose_a_gy, "Gy")),
            ("dose RP B", quantity(s.total_rp_dose_b_gy, "Gy")),
            ("events A", count(s.number_of_events_a)),
            ("events B", count(s.number_of_events_b)),
        ],
        _ => vec![events],
    };
    if s.number_of_administrations.is_some() {
        fields.extend([
            ("administrations", count(s.number_of_administrations)),
            (
                "activity",
                quantity(s.total_administered_activity_mbq, "MBq"),
            ),
            (
                "NM effective dose",
                quantity(s.total_radiopharmaceutical_effective_dose_msv, "mSv"),
            ),
        ]);
    }
    fields
}
