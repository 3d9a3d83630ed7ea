//! The template rows of schema version 5 in the store, on both backends: the CT event
//! reconstruction algorithms, repeated-acquisition flag and reason, X-ray modulation type
//! (text and code), size-specific dose estimation and water equivalent diameter methods and
//! source; the CT effective dose total's patient model and measurement conditions; the
//! projection event isocenter angles, table end angles, table positions to the isocenter
//! and compression; the accumulated distance source to reference point and the equipment
//! landmark rows; the CT event's z-resolved size-specific dose estimates and water equivalent
//! diameters (`ct_z_resolved_values`) and the water equivalent diameter's z location. Each
//! column holds the value of the `ct_all_rows` / `projection_all_rows`
//! fixture.

use std::path::{Path, PathBuf};

use rdsr_store::ImportOptions;
use rdsr_store::testing::Backend;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(name)
}

/// SQL that holds when `col` equals `v` to 1e-9 relative.
fn num(col: &str, v: f64) -> String {
    format!("abs({col} - ({v:?})) <= 1e-9 * (1 + abs({v:?}))")
}

/// SQL that holds when `col` equals `v` (`_` in `v` matches any one character, the newline
/// between the codes of a 1-n row).
fn text(col: &str, v: &str) -> String {
    format!("{col} LIKE '{}'", v.replace('\'', "''"))
}

/// Imports `files` into a new target and returns it.
fn import(
    backend: &Backend,
    name: &str,
    files: &[PathBuf],
) -> Result<String, Box<dyn std::error::Error>> {
    let db = backend.new_target(name)?;
    backend.import_files(&db, files, &ImportOptions::default())?;
    Ok(db)
}

/// Asserts exactly one row of `table` meets every condition.
fn one_row(backend: &Backend, db: &str, table: &str, conditions: &[String]) -> TestResult {
    let sql = format!(
        "SELECT count(*) FROM {table} WHERE {}",
        conditions.join(" AND ")
    );
    let n = backend
        .scalar(db, &sql)
        .map_err(|e| format!("{sql}: {e}"))?;
    assert_eq!(n, 1, "{sql}");
    Ok(())
}

fn study_key(file: &str) -> Result<String, Box<dyn std::error::Error>> {
    let r = rdsr::parse_file(testdata(file))?;
    Ok(r.study_instance_uid.ok_or("a study UID")?)
}

fn ct_rows_are_stored(backend: &Backend) -> TestResult {
    let db = import(backend, "ct_rows", &[testdata("ct_all_rows.dcm")])?;
    let key = text("study_key", &study_key("ct_all_rows.dcm")?);
    // The source image's SOP Instance UID as the library reads it (its exact value is
    // asserted in the library's tests/report_ct.rs).
    let parsed = rdsr::parse_file(testdata("ct_all_rows.dcm"))?;
    let source = parsed
        .ct()
        .and_then(|c| c.events.get(1))
        .and_then(|e| e.water_equivalent_diameter_source.clone())
        .ok_or("a water equivalent diameter source")?;
    one_row(
        backend,
        &db,
        "ct_events",
        &[
            key.clone(),
            "seq = 1".into(),
            text("reconstruction_algorithms", "113962^DCM_113963^DCM"),
            "is_repeated_acquisition = 1".into(),
            text("reason_for_repeating_acquisition", "MOTION^99RDSRTEST"),
            text("xray_modulation_type", "Angular and longitudinal"),
            text("xray_modulation_type_code", "AL^99RDSRTEST"),
            text("ssde_method", "113988^DCM"),
            num("ssde_mgy", 15.6),
            text("water_equivalent_diameter_method", "113987^DCM"),
            text("water_equivalent_diameter_source", &source),
            num("water_equivalent_diameter_z_location_mm", -150.5),
        ],
    )?;
    // The z-resolved values of the spiral (IEC 62985): estimates first, then diameters.
    let z_values: [(i64, &str, f64, f64, &str); 6] = [
        (0, "ssde", 14.8, -200.0, "1.13.7.4"),
        (1, "ssde", 16.1, -100.0, "1.13.7.5"),
        (2, "ssde", 17.3, 50.0, "1.13.7.7.2"),
        (3, "water_equivalent_diameter", 298.0, -200.0, "1.13.7.6"),
        (4, "water_equivalent_diameter", 270.0, 50.0, "1.13.7.7.3"),
        (5, "water_equivalent_diameter", 305.0, 150.0, "1.13.8"),
    ];
    for (seq, quantity, value, z, path) in z_values {
        let (value_column, other) = if quantity == "ssde" {
            ("ssde_mgy", "water_equivalent_diameter_mm")
        } else {
            ("water_equivalent_diameter_mm", "ssde_mgy")
        };
        one_row(
            backend,
            &db,
            "ct_z_resolved_values",
            &[
                key.clone(),
                "event_seq = 1".into(),
                format!("seq = {seq}"),
                text("quantity", quantity),
                num(value_column, value),
                format!("{other} IS NULL"),
                num("longitudinal_position_z_mm", z),
                text("content_path", path),
            ],
        )?;
    }
    let n = backend.scalar(&db, "SELECT count(*) FROM ct_z_resolved_values")?;
    assert_eq!(n, 6, "only the spiral has z-resolved values");
    one_row(
        backend,
        &db,
        "ct_events",
        &[
            key.clone(),
            "seq = 0".into(),
            text("reconstruction_algorithms", "113962^DCM"),
            "is_repeated_acquisition = 1".into(),
            text("reason_for_repeating_acquisition", "POSITION^99RDSRTEST"),
            text("xray_modulation_type_code", "NONE^99RDSRTEST"),
            "ssde_method IS NULL".into(),
            "water_equivalent_diameter_source IS NULL".into(),
            "water_equivalent_diameter_z_location_mm IS NULL".into(),
        ],
    )?;
    one_row(
        backend,
        &db,
        "accumulated_totals",
        &[
            key,
            text("plane", "CT"),
            num("effective_dose_total_msv", 7.2),
            text("patient_model", "Adult reference phantom"),
            text(
                "effective_dose_phantom_type",
                "Anthropomorphic adult phantom",
            ),
            text("dosimeter_type", "TLD-100"),
            "distance_source_to_reference_point_mm IS NULL".into(),
        ],
    )
}

fn projection_rows_are_stored(backend: &Backend) -> TestResult {
    let db = import(
        backend,
        "projection_rows",
        &[testdata("projection_all_rows.dcm")],
    )?;
    let key = text("study_key", &study_key("projection_all_rows.dcm")?);
    for (seq, area) in [(0i64, 0.012), (1, 0.012001)] {
        let n = (seq + 1) as f64;
        one_row(
            backend,
            &db,
            "projection_events",
            &[
                key.clone(),
                format!("seq = {seq}"),
                num("positioner_isocenter_primary_angle_deg", 10.0 + n),
                num("positioner_isocenter_secondary_angle_deg", -20.0 + n),
                num("positioner_isocenter_detector_rotation_angle_deg", 2.0 + n),
                num("positioner_isocenter_primary_end_angle_deg", 30.0 + n),
                num("positioner_isocenter_secondary_end_angle_deg", -10.0 + n),
                num(
                    "positioner_isocenter_detector_rotation_end_angle_deg",
                    4.0 + n,
                ),
                num("table_head_tilt_end_angle_deg", 1.0 + n),
                num("table_horizontal_rotation_end_angle_deg", 5.0 + n),
                num("table_cradle_tilt_end_angle_deg", 0.5 + n),
                num("table_x_position_to_isocenter_mm", 100.0 + n),
                num("table_y_position_to_isocenter_mm", -50.0 + n),
                num("table_z_position_to_isocenter_mm", -200.0 + n),
                num("table_x_end_position_to_isocenter_mm", 110.0 + n),
                num("table_y_end_position_to_isocenter_mm", -40.0 + n),
                num("table_z_end_position_to_isocenter_mm", -190.0 + n),
                num("compression_pressure_kpa", 9.0 + n),
                num("compression_contact_area_m2", area),
            ],
        )?;
    }
    one_row(
        backend,
        &db,
        "accumulated_totals",
        &[
            key,
            num("distance_source_to_reference_point_mm", 700.0),
            text("equipment_landmark", "TABLE-HEAD^99RDSRTEST"),
            text("equipment_landmark_xy_plane", "TABLE-TOP^99RDSRTEST"),
            num("equipment_landmark_z_position_mm", -120.0),
            text("patient_fiducial", "VERTEX^99RDSRTEST"),
            num("equipment_landmark_to_patient_fiducial_x_distance_mm", 12.5),
            num("equipment_landmark_to_patient_fiducial_y_distance_mm", -3.0),
            num(
                "equipment_landmark_to_patient_fiducial_z_distance_mm",
                150.0,
            ),
            "patient_model IS NULL".into(),
        ],
    )
}

// Each test body above, once per backend: `sqlite::NAME` and `postgres::NAME`.
rdsr_store::conformance!(ct_rows_are_stored, projection_rows_are_stored);
