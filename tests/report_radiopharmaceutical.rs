//! Radiopharmaceutical dose reports (TID 10021 with TID 10022 and 10023): the real report of
//! the corpus against the values OpenREM 1.x asserts for it (`../shared/spec/rrdsr-expected.md`,
//! read row by row), golden JSON snapshots of it and of the `testdata/rrdsr_*.dcm` fixtures,
//! and named checks of the fixture rows.
//!
//! The corpus parts are skipped with a message when `../shared` is absent. Update the
//! snapshots with `INSTA_UPDATE=always cargo test --test report_radiopharmaceutical`.

#[path = "common/reports.rs"]
#[allow(dead_code)] // the corpus RRDSR is not in MANIFEST.tsv: read by its path
mod reports;

use std::path::{Path, PathBuf};

use rdsr::model::radiopharmaceutical::RadiopharmaceuticalReport;
use rdsr::{DoseReport, ReportBody, Severity};

const NM_FILE: &str = "../shared/corpus/files/openrem-1.0.0b3/NM-RRDSR-Siemens.dcm";
const EXPECTED: &str = "../shared/spec/rrdsr-expected.md";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn testdata(name: &str) -> DoseReport {
    let path = root().join("testdata").join(name);
    rdsr::parse_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn body(r: &DoseReport) -> &RadiopharmaceuticalReport {
    r.radiopharmaceutical()
        .unwrap_or_else(|| panic!("not a radiopharmaceutical report: {:?}", r.template))
}

fn has(r: &DoseReport, code: &str) -> bool {
    r.diagnostics.iter().any(|d| d.code.as_str() == code)
}

/// A code's meaning, or `(none)`.
fn meaning(c: Option<&rdsr::sr::OwnedCode>) -> String {
    c.map_or_else(|| "(none)".to_string(), |c| c.meaning.clone())
}

fn text(s: Option<&str>) -> String {
    s.unwrap_or("(none)").to_string()
}

/// A time or date-time as the expected table writes it: `T` as a space, no trailing zero
/// fraction digits.
fn clock(s: String) -> String {
    let s = s.replace('T', " ");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn number(v: Option<f64>, unit: &str) -> String {
    v.map_or_else(|| "(none)".to_string(), |v| format!("{v} {unit}"))
}

/// The value of one row of the expected table (by its `field` cell) from the report, in the
/// table's units and form.
fn actual(r: &DoseReport, field: &str) -> Option<String> {
    let rp = body(r);
    let a = rp.administrations.first()?;
    let pc = rp.patient_characteristics.as_ref()?;
    let organ = |d: Option<&rdsr::model::radiopharmaceutical::OrganDose>| {
        d.map(|d| {
            format!(
                "{} / {} / {} / {}",
                meaning(d.finding_site.as_ref()),
                meaning(d.laterality.as_ref()),
                number(d.organ_dose_mgy, "mGy"),
                d.reference_authority_text
                    .clone()
                    .or_else(|| d.reference_authority.as_ref().map(|c| c.meaning.clone()))
                    .unwrap_or_else(|| "(none)".into())
            )
        })
    };
    Some(match field {
        "study date / time" => format!(
            "{}, {}",
            r.study.study_date?,
            clock(r.study.study_time?.to_string())
        ),
        "accession number" => text(r.study.accession_number.as_deref()),
        "study description" => text(r.study.study_description.as_deref()),
        "referring physician" => text(r.study.referring_physician_name.as_deref()),
        "modality (OpenREM's study modality)" => r.modality()?.as_str().to_string(),
        "name (as stored in the file)" => text(r.patient.patient_name.as_deref()),
        "age" => text(r.patient_study.patient_age.as_deref()),
        "manufacturer / model" => format!(
            "{} / {}",
            text(r.equipment.manufacturer.as_deref()),
            text(r.equipment.manufacturer_model_name.as_deref())
        ),
        "station name / institution" => format!(
            "{} / {}",
            text(r.equipment.station_name.as_deref()),
            text(r.equipment.institution_name.as_deref())
        ),
        "associated procedure (meaning)" => meaning(rp.associated_procedure.as_ref()),
        "has intent (meaning)" => meaning(rp.has_intent.as_ref()),
        "radiopharmaceutical agent (meaning)" => meaning(a.radiopharmaceutical_agent.as_ref()),
        "radionuclide (meaning)" => meaning(a.radionuclide.as_ref()),
        "radionuclide half-life" => number(a.radionuclide_half_life_s, "s"),
        "administration event UID" => text(a.administration_event_uid.as_deref()),
        "start / stop date time" => format!(
            "{} / {}",
            clock(a.start_date_time?.to_string()),
            clock(a.stop_date_time?.to_string())
        ),
        "administered activity" => number(a.administered_activity_mbq, "MBq"),
        "effective dose" => number(a.effective_dose_msv, "mSv"),
        "route of administration (meaning)" => meaning(a.route_of_administration.as_ref()),
        "site of administration (meaning)" => meaning(a.site_of_administration.as_ref()),
        "person participant name / role (meaning)" => {
            let p = a.person_participants.first()?;
            format!(
                "{} / {}",
                text(p.person_name.as_deref()),
                meaning(p.person_role_in_procedure.as_ref())
            )
        }
        "first organ dose: finding site / laterality / dose / reference authority" => {
            organ(a.organ_doses.first())?
        }
        "last organ dose: finding site / laterality / dose / reference authority" => {
            organ(a.organ_doses.last())?
        }
        "subject age" => format!("{} (years)", pc.subject_age_years?),
        "subject sex (code value)" => pc.subject_sex.as_ref()?.value.clone(),
        // The table has the report's metres; the model has mm.
        "patient height / weight" => format!(
            "{} m / {} kg",
            pc.patient_height_mm? / 1000.0,
            pc.patient_weight_kg?
        ),
        _ => return None,
    })
}

/// Whether two cells agree: part by part (split at ` / `), numbers compared as numbers
/// (`394.0 MBq` equals `394 MBq`), everything else as text.
fn same(actual: &str, expected: &str) -> bool {
    let a: Vec<&str> = actual.split(" / ").map(str::trim).collect();
    let e: Vec<&str> = expected.split(" / ").map(str::trim).collect();
    a.len() == e.len()
        && a.iter().zip(&e).all(|(a, e)| {
            let split = |s: &str| {
                let (n, rest) = s.split_once(' ').unwrap_or((s, ""));
                n.parse::<f64>().ok().map(|n| (n, rest.to_string()))
            };
            match (split(a), split(e)) {
                (Some((x, ru)), Some((y, eu))) => x == y && ru == eu,
                _ => a == e,
            }
        })
}

/// `NM-RRDSR-Siemens.dcm` maps to a typed radiopharmaceutical report whose values equal every
/// value of `rrdsr-expected.md` (each table row is checked; a row this test cannot read fails).
#[test]
fn corpus_rrdsr_matches_every_value_openrem_asserts() {
    let (Ok(expected), true) = (
        std::fs::read_to_string(root().join(EXPECTED)),
        root().join(NM_FILE).exists(),
    ) else {
        eprintln!("SKIPPED: ../shared (spec and corpus) is absent; the RRDSR oracle needs it");
        return;
    };
    let r = rdsr::parse_file(root().join(NM_FILE)).expect("the RRDSR reads");
    assert!(matches!(r.body, ReportBody::Radiopharmaceutical(_)));
    assert_eq!(r.modality(), Some(rdsr::Modality::NuclearMedicine));
    let mut checked = 0;
    for line in expected.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        let [_where, field, value] = cells.as_slice() else {
            continue;
        };
        if *field == "field" || field.starts_with("---") {
            continue;
        }
        let got = actual(&r, field)
            .unwrap_or_else(|| panic!("no value read for the expected row {field:?}"));
        assert!(
            same(&got, value),
            "{field}: expected {value:?}, got {got:?}"
        );
        checked += 1;
    }
    assert_eq!(checked, 26, "rows of rrdsr-expected.md checked");
    // The file holds more organ doses than OpenREM's test looks at.
    let a = &body(&r).administrations[0];
    assert_eq!(a.organ_doses.len(), 22);
    assert_eq!(body(&r).administrations.len(), 1);
    assert!(
        !r.diagnostics.iter().any(|d| d.severity != Severity::Info),
        "{:#?}",
        r.diagnostics
    );
}

fn snapshot(path: &Path) {
    let (name, report) = reports::checked(path, "radiopharmaceutical", |r| {
        matches!(r.body, ReportBody::Radiopharmaceutical(_))
    });
    insta::assert_json_snapshot!(name, report);
}

#[test]
fn corpus_rrdsr_snapshot() {
    let path = root().join(NM_FILE);
    if !path.exists() {
        eprintln!("SKIPPED: ../shared/corpus is absent; the RRDSR snapshot needs it");
        return;
    }
    snapshot(&path);
}

#[test]
fn testdata_rrdsr_reports_snapshot() {
    let files = reports::testdata_reports("rrdsr_");
    assert_eq!(files.len(), 3, "testdata/rrdsr_*.dcm fixtures");
    for f in &files {
        snapshot(f);
    }
}

/// Every TID 10021 / 10022 / 10023 row of `rrdsr_full.dcm` reaches its field, in the crate's
/// units.
#[test]
fn rrdsr_full_types_every_row_of_the_three_templates() {
    let r = testdata("rrdsr_full.dcm");
    let rp = body(&r);
    assert_eq!(
        meaning(rp.associated_procedure.as_ref()),
        "PET study for localization of tumor"
    );
    assert_eq!(meaning(rp.has_intent.as_ref()), "Diagnostic Intent");
    assert_eq!(
        rp.language_of_content.as_ref().map(|c| c.value.as_str()),
        Some("en")
    );
    assert_eq!(
        rp.country_of_language.as_ref().map(|c| c.value.as_str()),
        Some("US")
    );
    assert_eq!(
        rp.comment.as_deref(),
        Some("Two tracers; fictitious values.")
    );
    assert_eq!(rp.observers.len(), 1);
    assert_eq!(
        rp.observers[0].device_observer_name.as_deref(),
        Some("PETCT01")
    );
    assert_eq!(rp.administrations.len(), 3);

    let a = &rp.administrations[0];
    assert_eq!(
        meaning(a.radiopharmaceutical_agent.as_ref()),
        "Fluorodeoxyglucose F^18^"
    );
    assert_eq!(meaning(a.radionuclide.as_ref()), "^18^Fluorine");
    assert_eq!(a.radionuclide_half_life_s, Some(6586.2));
    assert_eq!(
        a.radiopharmaceutical_specific_activity_bq_per_mol,
        Some(2.5e15)
    );
    assert!(a.administration_event_uid.is_some());
    assert_eq!(
        meaning(a.intravenous_extravasation_symptoms.first()),
        "Pain"
    );
    assert_eq!(a.estimated_extravasation_activity_mbq, Some(2.5));
    assert_eq!(
        a.start_date_time.map(|d| d.to_string()).as_deref(),
        Some("2024-03-15T10:15:00")
    );
    assert_eq!(
        a.stop_date_time.map(|d| d.to_string()).as_deref(),
        Some("2024-03-15T10:15:30")
    );
    assert_eq!(a.administered_activity_mbq, Some(350.0));
    assert_eq!(a.radiopharmaceutical_volume_ml, Some(5.2));
    let pre = a
        .pre_administration_measured_activity
        .as_ref()
        .expect("pre");
    assert_eq!(pre.activity_mbq, Some(362.5));
    assert_eq!(
        meaning(pre.activity_measurement_device.as_ref()),
        "Dose Calibrator"
    );
    assert_eq!(pre.observers.len(), 1);
    assert_eq!(
        pre.observers[0].person_observer_name.as_deref(),
        Some("Curie^Eve")
    );
    // TID 1003 rows of later revisions: login name (128774) and role identifier (128775).
    assert_eq!(
        pre.observers[0].person_observer_login_name.as_deref(),
        Some("ecurie")
    );
    assert_eq!(
        pre.observers[0]
            .identifier_within_person_observers_role
            .as_deref(),
        Some("RADPHARM-07")
    );
    let post = a
        .post_administration_measured_activity
        .as_ref()
        .expect("post");
    assert_eq!(post.activity_mbq, Some(12.5));
    assert_eq!(
        meaning(post.activity_measurement_device.as_ref()),
        "Dose Calibrator"
    );
    assert_eq!(post.observers.len(), 1);
    assert_eq!(
        post.observers[0].person_observer_name.as_deref(),
        Some("Becquerel^Henri")
    );
    assert_eq!(
        meaning(a.route_of_administration.as_ref()),
        "Intravenous route"
    );
    assert_eq!(meaning(a.site_of_administration.as_ref()), "Via vein");
    assert_eq!(
        meaning(a.site_of_administration_laterality.as_ref()),
        "Left"
    );
    assert_eq!(
        a.radiopharmaceutical_dispense_unit_identifier.as_deref(),
        Some("DU-0001")
    );
    assert_eq!(a.radiopharmaceutical_lot_identifiers, vec!["LOT-2024-03"]);
    assert_eq!(a.reagent_vial_identifiers, vec!["RV-17"]);
    assert_eq!(a.radionuclide_vial_identifiers, vec!["NV-42"]);
    assert_eq!(a.prescription_identifier.as_deref(), Some("RX-5531"));
    assert_eq!(a.brand_name.as_deref(), Some("Fludeoxyglucose Example"));
    assert_eq!(meaning(a.billing_codes.first()), "FDG billing item");
    assert_eq!(
        meaning(a.drug_product_identifiers.first()),
        "Example FDG drug product"
    );
    assert_eq!(a.organ_doses.len(), 2);
    let thyroid = &a.organ_doses[0];
    assert_eq!(meaning(thyroid.finding_site.as_ref()), "Thyroid");
    assert_eq!(meaning(thyroid.laterality.as_ref()), "Right and left");
    assert_eq!(thyroid.mass_kg, Some(0.02));
    assert_eq!(
        thyroid.mass_measurement_method.as_deref(),
        Some("Reference adult female")
    );
    assert_eq!(thyroid.organ_dose_mgy, Some(3.5));
    assert_eq!(
        meaning(thyroid.reference_authority.as_ref()),
        "ICRP Publication 128"
    );
    let bladder = &a.organ_doses[1];
    assert_eq!(bladder.organ_dose_mgy, Some(45.1));
    assert_eq!(
        bladder.reference_authority_text.as_deref(),
        Some("ICRP Publication 128")
    );
    assert_eq!(a.effective_dose_msv, Some(6.65));
    assert_eq!(
        meaning(a.effective_dose_method.as_ref()),
        "ICRP 128 dose coefficients"
    );
    assert_eq!(
        a.effective_dose_reference_authority_text.as_deref(),
        Some("ICRP Publication 128")
    );
    assert_eq!(a.person_participants.len(), 1);
    assert_eq!(
        a.person_participants[0].person_name.as_deref(),
        Some("Roentgen^Anna")
    );
    assert_eq!(
        a.comment.as_deref(),
        Some("Injected left arm; no complications.")
    );
    // Effective dose inside a container (the Siemens form) is read too.
    assert_eq!(rp.administrations[1].effective_dose_msv, Some(3.15));
    assert_eq!(rp.administrations[1].administered_activity_mbq, Some(185.0));
    assert_eq!(rp.administrations[2].administered_activity_mbq, Some(74.0));
    assert_eq!(rp.administrations[2].effective_dose_msv, None);

    let pc = rp
        .patient_characteristics
        .as_ref()
        .expect("patient characteristics");
    assert_eq!(pc.subject_age_years, Some(65.0));
    assert_eq!(pc.subject_sex.as_ref().map(|c| c.value.as_str()), Some("F"));
    assert_eq!(pc.patient_height_mm, Some(1780.0));
    assert_eq!(pc.patient_weight_kg, Some(82.5));
    assert_eq!(pc.body_surface_area_m2, Some(2.01));
    assert_eq!(meaning(pc.body_surface_area_formula.as_ref()), "DuBois");
    assert_eq!(pc.body_mass_index_kg_per_m2, Some(26.0));
    assert_eq!(
        meaning(pc.body_mass_index_equation.as_ref()),
        "Weight / height squared"
    );
    assert_eq!(pc.glucose_mmol_per_l, Some(5.4));
    assert_eq!(pc.fasting_duration_s, Some(21600.0));
    assert_eq!(pc.hydration_volume_ml, Some(500.0));
    assert_eq!(
        pc.recent_physical_activity.as_deref(),
        Some("None in the last 24 h")
    );
    assert_eq!(pc.serum_creatinine_mg_per_dl, Some(0.9));
    assert_eq!(pc.glomerular_filtration_rates.len(), 2);
    let gfr = &pc.glomerular_filtration_rates[0];
    assert_eq!(
        gfr.glomerular_filtration_rate_ml_per_min_per_1_73m2,
        Some(95.0)
    );
    assert_eq!(meaning(gfr.measurement_method.as_ref()), "CKD-EPI equation");
    assert_eq!(
        meaning(gfr.equivalent_meaning_of_concept_name.as_ref()),
        "Estimated glomerular filtration rate"
    );
    let gfr = &pc.glomerular_filtration_rates[1];
    assert_eq!(
        gfr.glomerular_filtration_rate_ml_per_min_per_1_73m2,
        Some(88.0)
    );
    assert_eq!(meaning(gfr.measurement_method.as_ref()), "MDRD equation");
    assert_eq!(gfr.equivalent_meaning_of_concept_name, None);
    assert_eq!(meaning(pc.patient_states.first()), "Fasting");
    assert_eq!(meaning(pc.patient_states.get(1)), "Hydrated");

    // The template's own units (cm3, g, h, m) are converted without a diagnostic.
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
    let s = rdsr::model::Summary::of_report(&r);
    assert_eq!(s.number_of_administrations, Some(3));
    assert_eq!(s.total_administered_activity_mbq, Some(609.0));
    assert_eq!(s.total_radiopharmaceutical_effective_dose_msv, Some(9.8));
}

/// Activity in mCi, half-life in min and height in cm are converted (with an info
/// diagnostic each); an organ dose in a unit that is no dose is kept with a warning.
#[test]
fn rrdsr_wrong_unit_converts_known_units_and_warns_on_unknown_ones() {
    let r = testdata("rrdsr_wrong_unit.dcm");
    let a = &body(&r).administrations[0];
    assert_eq!(a.administered_activity_mbq, Some(349.983));
    assert_eq!(a.radionuclide_half_life_s, Some(6586.2));
    let pc = body(&r)
        .patient_characteristics
        .as_ref()
        .expect("characteristics");
    assert_eq!(pc.patient_height_mm, Some(1780.0));
    let converted = r
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "unit.converted")
        .count();
    assert_eq!(converted, 3, "{:#?}", r.diagnostics);
    let unknown: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "unit.unknown")
        .collect();
    assert_eq!(unknown.len(), 2, "{:#?}", r.diagnostics);
    assert!(unknown.iter().all(|d| d.severity == Severity::Warning));
    assert_eq!(a.organ_doses[0].organ_dose_mgy, Some(3.5));
}

/// A radiopharmaceutical report without a template identifier is recognised from its
/// content by the missing-template-identifier quirk and mapped like the declared one.
#[test]
fn rrdsr_without_template_is_inferred_from_its_content() {
    let r = testdata("rrdsr_no_template.dcm");
    assert_eq!(r.template, rdsr::Template::Radiopharmaceutical);
    assert_eq!(r.template_source, rdsr::TemplateSource::Quirk);
    assert_eq!(body(&r).administrations.len(), 3);
    assert!(!has(&r, "template.unmapped"));
    let strict = rdsr::Options::default()
        .strict(true)
        .parse_file(root().join("testdata/rrdsr_no_template.dcm"));
    assert!(strict.is_err(), "strict mode does not infer a template");
}

/// A report that declares a template this crate does not type, but whose content is made of
/// the containers of one it does (CT acquisitions here), has those mapped as that template's
/// rows, and a `template.unmapped` warning saying the rest of its body is not mapped.
#[test]
fn declared_template_not_typed_gets_its_shared_containers_mapped_and_a_warning() {
    let bytes = rdsr_builder::testdata::ct_minimal()
        .template("10030")
        .to_bytes()
        .expect("the builder writes the report");
    let r = rdsr::parse_bytes(&bytes).expect("the report reads");
    assert_eq!(r.template.id(), Some("10030"));
    let plain = testdata("ct_minimal.dcm");
    let (Some(ct), Some(expected)) = (r.ct(), plain.ct()) else {
        panic!("the CT acquisitions are mapped: {:?}", r.body)
    };
    assert_eq!(ct.events.len(), expected.events.len());
    assert_eq!(ct.events, expected.events);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "template.unmapped")
        .expect("a template.unmapped diagnostic");
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("10030"), "{}", d.message);
    assert!(d.message.contains("TID 10011"), "{}", d.message);
    // Mapped reports never carry it.
    assert!(!has(&plain, "template.unmapped"));
}

/// Enhanced X-Ray Radiation Dose SR (88.76, TID 10040) with projection irradiation events:
/// the events are typed as TID 10001 rows.
#[test]
fn enhanced_xray_dose_sr_has_its_projection_events_typed() {
    let bytes = rdsr_builder::testdata::projection_minimal()
        .sop_class("1.2.840.10008.5.1.4.1.1.88.76")
        .template("10040")
        .to_bytes()
        .expect("the builder writes the report");
    let r = rdsr::parse_bytes(&bytes).expect("the report reads");
    assert_eq!(r.sop_class_uid, "1.2.840.10008.5.1.4.1.1.88.76");
    let plain = testdata("projection_minimal.dcm");
    let (Some(p), Some(expected)) = (r.projection(), plain.projection()) else {
        panic!("the projection events are mapped: {:?}", r.body)
    };
    assert!(!p.events.is_empty());
    assert_eq!(p.events, expected.events);
    assert_eq!(r.modality(), plain.modality());
    assert!(has(&r, "template.unmapped"));
}

/// Patient Radiation Dose SR (88.73, TID 10030) and Enhanced X-Ray Radiation Dose SR (88.76)
/// pass the gate: the header records are read and the body, not mapped yet, is flagged with
/// `template.unmapped` instead of the file being rejected.
#[test]
fn newer_dose_sop_classes_are_accepted_with_a_template_unmapped_warning() {
    for (sop_class, template) in [
        ("1.2.840.10008.5.1.4.1.1.88.73", "10030"),
        ("1.2.840.10008.5.1.4.1.1.88.76", "10040"),
    ] {
        let bytes = rdsr_builder::ReportBuilder::new(
            sop_class,
            rdsr_builder::Code::new("DOSE", "99RDSRTEST", "Radiation dose document"),
        )
        .template(template)
        .seed(sop_class)
        .attr_str(
            dicom_dictionary_std::tags::MANUFACTURER,
            dicom_core::VR::LO,
            "RDSR Test Systems",
        )
        .to_bytes()
        .expect("the builder writes the report");
        let r = rdsr::parse_bytes(&bytes).unwrap_or_else(|e| panic!("{sop_class}: {e}"));
        assert_eq!(r.sop_class_uid, sop_class);
        assert_eq!(r.template.id(), Some(template));
        assert!(matches!(r.body, ReportBody::Unmapped));
        assert_eq!(
            r.equipment.manufacturer.as_deref(),
            Some("RDSR Test Systems")
        );
        assert!(has(&r, "template.unmapped"), "{:#?}", r.diagnostics);
    }
}
