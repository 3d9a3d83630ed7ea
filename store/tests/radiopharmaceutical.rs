//! Radiopharmaceutical dose reports in the store: every administration, organ dose and
//! patient characteristics row as the library parsed it, every typed field in a column, and a PET/CT study (a CT report
//! and an RRDSR of one Study Instance UID) stored as one study with the administered
//! activity and effective dose of its administrations, on both backends.

use std::path::{Path, PathBuf};

use rdsr::DoseReport;
use rdsr_store::testing::Backend;
use rdsr_store::{Arrival, FileMeta, ImportOptions};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(name)
}

fn corpus_rrdsr() -> Option<PathBuf> {
    let f = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/files/openrem-1.0.0b3/NM-RRDSR-Siemens.dcm");
    if f.is_file() {
        Some(f)
    } else {
        eprintln!("corpus RRDSR not found at {}: skipped", f.display());
        None
    }
}

/// SQL that holds when `col` equals `v` (to 1e-9 relative), or is NULL when `v` is absent.
fn num(col: &str, v: Option<f64>) -> String {
    match v {
        Some(x) => format!("abs({col} - ({x:?})) <= 1e-9 * (1 + abs({x:?}))"),
        None => format!("{col} IS NULL"),
    }
}

/// SQL that holds when `col` equals `v`, or is NULL when `v` is absent.
fn text(col: &str, v: Option<&str>) -> String {
    match v {
        Some(s) => format!("{col} = '{}'", s.replace('\'', "''")),
        None => format!("{col} IS NULL"),
    }
}

fn count(backend: &Backend, db: &str, table: &str, conditions: &[String]) -> Result<i64, String> {
    let sql = format!(
        "SELECT count(*) FROM {table} WHERE {}",
        conditions.join(" AND ")
    );
    backend.scalar(db, &sql).map_err(|e| format!("{sql}: {e}"))
}

/// Every administration of `report` has its row in study `study_key`, with the values the
/// library parsed, and its organ doses theirs.
fn assert_administrations_stored(
    backend: &Backend,
    db: &str,
    study_key: &str,
    report: &DoseReport,
) -> TestResult {
    let rp = report
        .radiopharmaceutical()
        .ok_or("a radiopharmaceutical report")?;
    assert!(!rp.administrations.is_empty());
    let key = text("study_key", Some(study_key));
    let all = count(
        backend,
        db,
        "radiopharmaceutical_administrations",
        std::slice::from_ref(&key),
    )?;
    assert_eq!(usize::try_from(all)?, rp.administrations.len());
    for a in &rp.administrations {
        let conditions = vec![
            key.clone(),
            text(
                "report_sop_instance_uid",
                report.sop_instance_uid.as_deref(),
            ),
            text(
                "administration_event_uid",
                a.administration_event_uid.as_deref(),
            ),
            text(
                "radiopharmaceutical_agent",
                a.radiopharmaceutical_agent
                    .as_ref()
                    .map(|c| c.meaning.as_str()),
            ),
            text(
                "radionuclide",
                a.radionuclide.as_ref().map(|c| c.meaning.as_str()),
            ),
            num("radionuclide_half_life_s", a.radionuclide_half_life_s),
            num("administered_activity_mbq", a.administered_activity_mbq),
            num("volume_ml", a.radiopharmaceutical_volume_ml),
            num(
                "pre_administration_activity_mbq",
                a.pre_administration_measured_activity
                    .as_ref()
                    .and_then(|m| m.activity_mbq),
            ),
            num(
                "post_administration_activity_mbq",
                a.post_administration_measured_activity
                    .as_ref()
                    .and_then(|m| m.activity_mbq),
            ),
            text(
                "start_date_time",
                a.start_date_time.map(|d| d.to_string()).as_deref(),
            ),
            text(
                "stop_date_time",
                a.stop_date_time.map(|d| d.to_string()).as_deref(),
            ),
            text(
                "route_of_administration",
                a.route_of_administration
                    .as_ref()
                    .map(|c| c.meaning.as_str()),
            ),
            text(
                "site_of_administration",
                a.site_of_administration
                    .as_ref()
                    .map(|c| c.meaning.as_str()),
            ),
            num("effective_dose_msv", a.effective_dose_msv),
            text("content_path", Some(&a.path)),
        ];
        assert_eq!(
            count(
                backend,
                db,
                "radiopharmaceutical_administrations",
                &conditions
            )?,
            1,
            "administration {} stored as parsed",
            a.path
        );
        for o in &a.organ_doses {
            let conditions = vec![
                key.clone(),
                text(
                    "finding_site",
                    o.finding_site.as_ref().map(|c| c.meaning.as_str()),
                ),
                num("organ_dose_mgy", o.organ_dose_mgy),
                num("mass_kg", o.mass_kg),
                text("content_path", Some(&o.path)),
            ];
            assert_eq!(
                count(backend, db, "radiopharmaceutical_organ_doses", &conditions)?,
                1,
                "organ dose {} stored as parsed",
                o.path
            );
        }
    }
    let organ_doses: usize = rp.administrations.iter().map(|a| a.organ_doses.len()).sum();
    let stored = count(
        backend,
        db,
        "radiopharmaceutical_organ_doses",
        std::slice::from_ref(&key),
    )?;
    assert_eq!(usize::try_from(stored)?, organ_doses);
    if let Some(p) = &rp.patient_characteristics {
        let conditions = vec![
            key.clone(),
            num("patient_weight_kg", p.patient_weight_kg),
            num("patient_height_mm", p.patient_height_mm),
            num("subject_age_years", p.subject_age_years),
            num("glucose_mmol_per_l", p.glucose_mmol_per_l),
            num("serum_creatinine_mg_per_dl", p.serum_creatinine_mg_per_dl),
        ];
        assert_eq!(
            count(backend, db, "patient_characteristics", &conditions)?,
            1,
            "patient characteristics stored as parsed"
        );
    }
    Ok(())
}

/// The synthetic RRDSR with every row, and the corpus's Siemens RRDSR, imported: their
/// administrations, organ doses, patient characteristics and study summary columns are
/// those of the parsed report.
fn rrdsr_administrations_are_stored_as_parsed(backend: &Backend) -> TestResult {
    let full = rdsr::parse_file(testdata("rrdsr_full.dcm"))?;
    let rp = full.radiopharmaceutical().ok_or("an RRDSR")?;
    assert!(rp.administrations.len() > 1, "several administrations");
    assert!(
        rp.administrations.iter().any(|a| !a.organ_doses.is_empty()),
        "organ doses"
    );
    assert!(rp.patient_characteristics.is_some());
    let mut files = vec![testdata("rrdsr_full.dcm")];
    files.extend(corpus_rrdsr());
    let db = backend.new_target("rrdsr")?;
    let store = backend.import_files(&db, &files, &ImportOptions::default())?;
    let studies = store.studies()?;
    assert_eq!(studies.len(), files.len());
    for f in &files {
        let report = rdsr::parse_file(f)?;
        let uid = report.study_instance_uid.clone().ok_or("a study UID")?;
        assert_administrations_stored(backend, &db, &uid, &report)?;
        let rp = report.radiopharmaceutical().ok_or("an RRDSR")?;
        let study = studies
            .iter()
            .find(|s| s.study_key == uid)
            .ok_or("its study row")?;
        assert_eq!(
            study.number_of_administrations,
            Some(i64::try_from(rp.administrations.len())?)
        );
        let activity: f64 = rp
            .administrations
            .iter()
            .filter_map(|a| a.administered_activity_mbq)
            .sum();
        let stored = study
            .total_administered_activity_mbq
            .ok_or("an activity total")?;
        assert!((stored - activity).abs() <= 1e-9 * activity.abs().max(1.0));
    }
    Ok(())
}

/// Asserts exactly one row of `table` meets every condition.
fn one_row(backend: &Backend, db: &str, table: &str, conditions: &[String]) -> TestResult {
    assert_eq!(
        count(backend, db, table, conditions)?,
        1,
        "{table}: {}",
        conditions.join(" AND ")
    );
    Ok(())
}

/// Every typed field of TID 10021, 10022 and 10023 has its column: the synthetic RRDSR's
/// values of the columns and tables of schema version 5 (administration identifiers,
/// devices, codes and reference authority; organ dose mass method and coded reference
/// authority; patient characteristics formula, equation, states and every glomerular
/// filtration rate; the report root rows; observers and person participants).
fn rrdsr_every_typed_field_has_a_column(backend: &Backend) -> TestResult {
    let file = testdata("rrdsr_full.dcm");
    let report = rdsr::parse_file(&file)?;
    let uid = report.study_instance_uid.clone().ok_or("a study UID")?;
    let rp = report.radiopharmaceutical().ok_or("an RRDSR")?;
    let first = rp.administrations.first().ok_or("an administration")?;
    let db = backend.new_target("rrdsr_columns")?;
    backend.import_files(&db, &[file], &ImportOptions::default())?;
    let key = text("study_key", Some(&uid));
    one_row(
        backend,
        &db,
        "radiopharmaceutical_administrations",
        &[
            key.clone(),
            "seq = 0".into(),
            text("intravenous_extravasation_symptoms", Some("22253000^SCT")),
            text(
                "pre_administration_activity_measurement_device",
                Some("113541^DCM"),
            ),
            text(
                "post_administration_activity_measurement_device",
                Some("113541^DCM"),
            ),
            text(
                "radiopharmaceutical_dispense_unit_identifier",
                Some("DU-0001"),
            ),
            text("lot_identifiers", Some("LOT-2024-03")),
            text("reagent_vial_identifiers", Some("RV-17")),
            text("radionuclide_vial_identifiers", Some("NV-42")),
            text("billing_codes", Some("BILL-FDG^99RDSRTEST")),
            text("drug_product_identifiers", Some("DP-0001^99RDSRTEST")),
            text(
                "effective_dose_reference_authority",
                Some("ICRP Publication 128"),
            ),
            text("effective_dose_reference_authority_code", None),
        ],
    )?;
    // The other administrations have none of these rows.
    let empty = count(
        backend,
        &db,
        "radiopharmaceutical_administrations",
        &[
            key.clone(),
            "seq > 0".into(),
            text("intravenous_extravasation_symptoms", None),
            text("radiopharmaceutical_dispense_unit_identifier", None),
            text("billing_codes", None),
            text("drug_product_identifiers", None),
        ],
    )?;
    assert_eq!(usize::try_from(empty)?, rp.administrations.len() - 1);
    one_row(
        backend,
        &db,
        "radiopharmaceutical_organ_doses",
        &[
            key.clone(),
            "administration_seq = 0".into(),
            "seq = 0".into(),
            text("finding_site", Some("Thyroid")),
            text("mass_measurement_method", Some("Reference adult female")),
            text("reference_authority", Some("ICRP Publication 128")),
            text("reference_authority_code", Some("ICRP128^99RDSRTEST")),
        ],
    )?;
    one_row(
        backend,
        &db,
        "radiopharmaceutical_organ_doses",
        &[
            key.clone(),
            "administration_seq = 0".into(),
            "seq = 1".into(),
            text("finding_site", Some("Bladder")),
            text("mass_measurement_method", None),
            text("reference_authority", Some("ICRP Publication 128")),
            text("reference_authority_code", None),
        ],
    )?;
    one_row(
        backend,
        &db,
        "patient_characteristics",
        &[
            key.clone(),
            "seq = 0".into(),
            text("body_surface_area_formula", Some("BSA-DUBOIS^99RDSRTEST")),
            text("body_mass_index_equation", Some("BMI-WT-HT2^99RDSRTEST")),
            text(
                "patient_states",
                Some("FASTING^99RDSRTEST\nHYDRATED^99RDSRTEST"),
            ),
            num(
                "glomerular_filtration_rate_ml_per_min_per_1_73m2",
                Some(95.0),
            ),
        ],
    )?;
    for (seq, rate, method, meaning) in [
        (0, 95.0, "GFR-CKDEPI^99RDSRTEST", Some("GFR-EST^99RDSRTEST")),
        (1, 88.0, "GFR-MDRD^99RDSRTEST", None),
    ] {
        one_row(
            backend,
            &db,
            "patient_glomerular_filtration_rates",
            &[
                key.clone(),
                "characteristics_seq = 0".into(),
                format!("seq = {seq}"),
                num(
                    "glomerular_filtration_rate_ml_per_min_per_1_73m2",
                    Some(rate),
                ),
                text("measurement_method", Some(method)),
                text("equivalent_meaning_of_concept_name", meaning),
            ],
        )?;
    }
    one_row(
        backend,
        &db,
        "radiopharmaceutical_reports",
        &[
            key.clone(),
            "seq = 0".into(),
            text(
                "report_sop_instance_uid",
                report.sop_instance_uid.as_deref(),
            ),
            text("associated_procedure", Some("P5-0A00A^SRT")),
            text("has_intent", Some("R-408C3^SRT")),
            text("language_of_content", Some("en^RFC5646")),
            text("country_of_language", Some("US^ISO3166_1")),
            text("comment", Some("Two tracers; fictitious values.")),
        ],
    )?;
    let persons = count(
        backend,
        &db,
        "radiopharmaceutical_persons",
        std::slice::from_ref(&key),
    )?;
    assert_eq!(
        persons, 4,
        "root observer, participant, two activity observers"
    );
    let root = rp.observers.first().ok_or("a root observer")?;
    one_row(
        backend,
        &db,
        "radiopharmaceutical_persons",
        &[
            key.clone(),
            "report_seq = 0".into(),
            "administration_seq IS NULL".into(),
            text("role_of_person", Some("observer")),
            text("observer_kind", Some("device")),
            text("observer_type", Some("121007^DCM")),
            text("device_observer_uid", root.device_observer_uid.as_deref()),
            text("device_observer_name", Some("PETCT01")),
            text("device_observer_manufacturer", Some("RDSR Test Systems")),
            text("device_observer_model_name", Some("Positron 600")),
            text("device_observer_serial_number", Some("PS-6001")),
            text("person_name", None),
            text("content_path", Some(&root.path)),
        ],
    )?;
    one_row(
        backend,
        &db,
        "radiopharmaceutical_persons",
        &[
            key.clone(),
            "report_seq = 0".into(),
            "administration_seq = 0".into(),
            text("role_of_person", Some("participant")),
            text("observer_kind", None),
            text("person_name", Some("Roentgen^Anna")),
            text("role_in_procedure", Some("113851^DCM")),
            text("content_path", None),
        ],
    )?;
    let observer_path = |m: Option<&rdsr::model::radiopharmaceutical::MeasuredActivity>| {
        m.and_then(|m| m.observers.first())
            .map(|o| o.path.clone())
            .ok_or("an activity observer")
    };
    one_row(
        backend,
        &db,
        "radiopharmaceutical_persons",
        &[
            key.clone(),
            "administration_seq = 0".into(),
            text("role_of_person", Some("pre_activity_observer")),
            text("observer_kind", Some("person")),
            text("observer_type", Some("121006^DCM")),
            text("person_name", Some("Curie^Eve")),
            text("person_login_name", Some("ecurie")),
            text("identifier_within_role", Some("RADPHARM-07")),
            text(
                "content_path",
                Some(&observer_path(
                    first.pre_administration_measured_activity.as_ref(),
                )?),
            ),
        ],
    )?;
    one_row(
        backend,
        &db,
        "radiopharmaceutical_persons",
        &[
            key,
            "administration_seq = 0".into(),
            text("role_of_person", Some("post_activity_observer")),
            text("observer_kind", Some("person")),
            text("person_name", Some("Becquerel^Henri")),
            text(
                "content_path",
                Some(&observer_path(
                    first.post_administration_measured_activity.as_ref(),
                )?),
            ),
        ],
    )?;
    Ok(())
}

fn arrival(path: &str, sha: &str, report: &DoseReport) -> Arrival {
    Arrival::Report {
        meta: FileMeta {
            path: path.to_string(),
            size: 1,
            mtime_ns: Some(1),
            sha256: Some(sha.to_string()),
            duration_s: 0.0,
        },
        report: Box::new(report.clone()),
        stored_report: None,
    }
}

/// A PET/CT study (the CT report and the RRDSR share the Study Instance UID), in either
/// order and each received twice: one study row with the CT totals and the administered
/// activity and effective dose of the RRDSR's administrations, and every administration
/// row, the same whatever the order.
fn pet_ct_study_is_one_study_with_activity_and_effective_dose(backend: &Backend) -> TestResult {
    let ct = rdsr::parse_file(testdata("ct_minimal.dcm"))?;
    let mut nm = rdsr::parse_file(testdata("rrdsr_full.dcm"))?;
    nm.study_instance_uid = ct.study_instance_uid.clone();
    let uid = ct.study_instance_uid.clone().ok_or("a study UID")?;
    let rp = nm.radiopharmaceutical().ok_or("an RRDSR")?;
    let activity: f64 = rp
        .administrations
        .iter()
        .filter_map(|a| a.administered_activity_mbq)
        .sum();
    let effective: Option<f64> = rp
        .administrations
        .iter()
        .filter_map(|a| a.effective_dose_msv)
        .reduce(|a, b| a + b);
    let ct_dlp = ct
        .ct()
        .and_then(|c| c.accumulated.as_ref())
        .and_then(|a| a.ct_dose_length_product_total_mgy_cm);
    let (ct_sha, nm_sha) = ("c".repeat(64), "d".repeat(64));
    let orders: [Vec<(&str, &str, &DoseReport)>; 2] = [
        vec![
            ("ct.dcm", &ct_sha, &ct),
            ("nm.dcm", &nm_sha, &nm),
            ("ct2.dcm", &ct_sha, &ct),
            ("nm2.dcm", &nm_sha, &nm),
        ],
        vec![
            ("nm.dcm", &nm_sha, &nm),
            ("nm2.dcm", &nm_sha, &nm),
            ("ct.dcm", &ct_sha, &ct),
            ("ct2.dcm", &ct_sha, &ct),
        ],
    ];
    let mut dumps = Vec::new();
    for (n, order) in orders.iter().enumerate() {
        let db = backend.new_target(&format!("petct-{n}"))?;
        let mut store = backend.open(&db)?;
        for (path, sha, report) in order {
            store.apply(vec![arrival(path, sha, report)])?;
        }
        let studies = store.studies()?;
        assert_eq!(studies.len(), 1, "one study");
        let s = studies.first().ok_or("a study")?;
        assert_eq!(s.study_key, uid);
        assert_eq!(s.number_of_reports, 2);
        assert_eq!(s.template.as_deref(), Some("10011"), "the CT report merged");
        assert_eq!(s.total_dlp_mgy_cm, ct_dlp);
        assert_eq!(
            s.number_of_administrations,
            Some(i64::try_from(rp.administrations.len())?)
        );
        let stored = s
            .total_administered_activity_mbq
            .ok_or("an activity total")?;
        assert!((stored - activity).abs() <= 1e-9 * activity.abs().max(1.0));
        match (s.total_radiopharmaceutical_effective_dose_msv, effective) {
            (Some(a), Some(b)) => assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0)),
            (a, b) => assert_eq!(a, b),
        }
        assert_administrations_stored(backend, &db, &uid, &nm)?;
        let ct_events = backend.scalar(&db, "SELECT count(*) FROM ct_events")?;
        assert_eq!(
            usize::try_from(ct_events)?,
            ct.ct().map_or(0, |c| c.events.len())
        );
        let dlp_totals = backend.scalar(&db, "SELECT count(*) FROM ct_dlp_totals")?;
        assert_eq!(
            usize::try_from(dlp_totals)?,
            ct.ct()
                .and_then(|c| c.accumulated.as_ref())
                .map_or(0, |a| a.ct_dose_length_product_totals.len())
        );
        let patients = backend.scalar(&db, "SELECT count(*) FROM patient_characteristics")?;
        assert_eq!(patients, i64::from(rp.patient_characteristics.is_some()));
        dumps.push(format!("{studies:?}"));
    }
    assert_eq!(dumps.first(), dumps.get(1), "either order");
    Ok(())
}

// Each test body above, once per backend: `sqlite::NAME` and `postgres::NAME`.
rdsr_store::conformance!(
    rrdsr_administrations_are_stored_as_parsed,
    rrdsr_every_typed_field_has_a_column,
    pet_ct_study_is_one_study_with_activity_and_effective_dose,
);
