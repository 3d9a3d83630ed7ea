//! Golden JSON snapshots of every projection X-ray dose report (TID 10001): the typed
//! [`rdsr::DoseReport`], diagnostics and applied quirks included, one snapshot per file,
//! named after it.
//!
//! The real reports come from `../shared/corpus` (MANIFEST.tsv rows with kind `rdsr` and
//! template `10001`, plus the GE OEC Elite MiniView report that declares no template;
//! skipped with a message when the corpus is absent), the synthetic ones from
//! `testdata/projection_*.dcm`. Every report must map as a projection report without an
//! error and without an error-severity diagnostic. Update with
//! `INSTA_UPDATE=always cargo test --test report_projection` and review the values and units
//! before committing.

#[path = "common/reports.rs"]
mod reports;

use std::path::Path;

use rdsr::ReportBody;

fn snapshot(path: &Path) {
    let (name, report) = reports::checked(path, "projection", |r| {
        matches!(r.body, ReportBody::Projection(_))
    });
    insta::assert_json_snapshot!(name, report);
}

#[test]
fn corpus_projection_reports_snapshot() {
    let Some(files) =
        reports::corpus_reports("projection", |t, p| t == "10001" || p.contains("MiniView"))
    else {
        return;
    };
    assert_eq!(
        files.len(),
        19,
        "the manifest lists 18 TID 10001 reports and the MiniView report"
    );
    for f in &files {
        snapshot(f);
    }
}

#[test]
fn testdata_projection_reports_snapshot() {
    let files = reports::testdata_reports("projection_");
    assert!(
        !files.is_empty(),
        "testdata/projection_*.dcm fixtures are missing"
    );
    for f in &files {
        snapshot(f);
    }
}

/// TID 10001 root person participant (TID 1020), as CT reports have it: read with its role.
#[test]
fn projection_root_person_participant_is_read() {
    use rdsr_builder::{Code, Item, Relationship};
    let bytes = rdsr_builder::testdata::projection_minimal()
        .item(
            Item::pname(
                Relationship::HasObsContext,
                Code::new("113870", "DCM", "Person Name"),
                "Meitner^Lise",
            )
            .with_child(Item::code(
                Relationship::HasProperties,
                Code::new("113875", "DCM", "Person Role in Procedure"),
                Code::new("113850", "DCM", "Irradiation Authorizing"),
            )),
        )
        .to_bytes()
        .expect("the builder writes the report");
    let r = rdsr::parse_bytes(&bytes).expect("the report reads");
    let p = r.projection().expect("a projection report");
    assert_eq!(p.person_participants.len(), 1);
    assert_eq!(
        p.person_participants[0].person_name.as_deref(),
        Some("Meitner^Lise")
    );
    assert_eq!(
        p.person_participants[0]
            .person_role_in_procedure
            .as_ref()
            .map(|c| c.value.as_str()),
        Some("113850")
    );
}

/// TID 10007 Distance Source to Reference Point (113737) at the accumulation level, in mm.
#[test]
fn accumulated_distance_source_to_reference_point() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let r = rdsr::parse_file(dir.join("projection_all_rows.dcm")).expect("the fixture reads");
    let p = r.projection().expect("a projection report");
    let totals = p.accumulated_planes[0]
        .projection_totals
        .as_ref()
        .expect("TID 10007 totals");
    assert_eq!(totals.distance_source_to_reference_point_mm, Some(700.0));
    let minimal = rdsr::parse_file(dir.join("projection_minimal.dcm")).expect("minimal reads");
    let none = minimal.projection().expect("projection").accumulated_planes[0]
        .projection_totals
        .as_ref()
        .and_then(|t| t.distance_source_to_reference_point_mm);
    assert_eq!(none, None);
}

/// TID 10002 equipment landmark and patient fiducial rows (128750-128756).
#[test]
fn accumulated_equipment_landmark_and_patient_fiducial() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let r = rdsr::parse_file(dir.join("projection_all_rows.dcm")).expect("the fixture reads");
    let p = r.projection().expect("a projection report");
    let l = p.accumulated_planes[0]
        .equipment_landmark
        .as_ref()
        .expect("the landmark rows");
    let value = |c: &Option<rdsr::sr::OwnedCode>| c.as_ref().map(|c| c.value.clone());
    assert_eq!(value(&l.equipment_landmark).as_deref(), Some("TABLE-HEAD"));
    assert_eq!(
        value(&l.equipment_landmark_xy_plane).as_deref(),
        Some("TABLE-TOP")
    );
    assert_eq!(l.equipment_landmark_z_position_mm, Some(-120.0));
    assert_eq!(value(&l.patient_fiducial).as_deref(), Some("VERTEX"));
    assert_eq!(
        l.equipment_landmark_to_patient_fiducial_x_distance_mm,
        Some(12.5)
    );
    assert_eq!(
        l.equipment_landmark_to_patient_fiducial_y_distance_mm,
        Some(-3.0)
    );
    assert_eq!(
        l.equipment_landmark_to_patient_fiducial_z_distance_mm,
        Some(150.0)
    );
    let minimal = rdsr::parse_file(dir.join("projection_minimal.dcm")).expect("minimal reads");
    assert_eq!(
        minimal.projection().expect("projection").accumulated_planes[0].equipment_landmark,
        None
    );
}

/// TID 10003c isocenter positioner angles, table end angles (128757-128765), table
/// positions to the isocenter (128766-128771), compression pressure (111648, kPa) and
/// compression contact area (111649, the template's mm² in m²).
#[test]
fn event_isocenter_angles_table_positions_and_compression() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let r = rdsr::parse_file(dir.join("projection_all_rows.dcm")).expect("the fixture reads");
    let p = r.projection().expect("a projection report");
    assert_eq!(p.events.len(), 2);
    for (i, e) in p.events.iter().enumerate() {
        let n = (i + 1) as f64;
        let k = &e.mechanical;
        let d = &k.distances;
        assert_eq!(k.positioner_isocenter_primary_angle_deg, Some(10.0 + n));
        assert_eq!(k.positioner_isocenter_secondary_angle_deg, Some(-20.0 + n));
        assert_eq!(
            k.positioner_isocenter_detector_rotation_angle_deg,
            Some(2.0 + n)
        );
        assert_eq!(k.positioner_isocenter_primary_end_angle_deg, Some(30.0 + n));
        assert_eq!(
            k.positioner_isocenter_secondary_end_angle_deg,
            Some(-10.0 + n)
        );
        assert_eq!(
            k.positioner_isocenter_detector_rotation_end_angle_deg,
            Some(4.0 + n)
        );
        assert_eq!(k.table_head_tilt_end_angle_deg, Some(1.0 + n));
        assert_eq!(k.table_horizontal_rotation_end_angle_deg, Some(5.0 + n));
        assert_eq!(k.table_cradle_tilt_end_angle_deg, Some(0.5 + n));
        assert_eq!(d.table_x_position_to_isocenter_mm, Some(100.0 + n));
        assert_eq!(d.table_y_position_to_isocenter_mm, Some(-50.0 + n));
        assert_eq!(d.table_z_position_to_isocenter_mm, Some(-200.0 + n));
        assert_eq!(d.table_x_end_position_to_isocenter_mm, Some(110.0 + n));
        assert_eq!(d.table_y_end_position_to_isocenter_mm, Some(-40.0 + n));
        assert_eq!(d.table_z_end_position_to_isocenter_mm, Some(-190.0 + n));
        assert_eq!(k.compression_pressure_kpa, Some(9.0 + n));
    }
    assert_eq!(
        p.events[0].mechanical.compression_contact_area_m2,
        Some(0.012)
    );
    assert_eq!(
        p.events[1].mechanical.compression_contact_area_m2,
        Some(0.012001)
    );
    // The template's units (mm² for the contact area) convert without a diagnostic.
    let minimal = rdsr::parse_file(dir.join("projection_minimal.dcm")).expect("minimal reads");
    assert_eq!(
        r.diagnostics.len(),
        minimal.diagnostics.len(),
        "{:#?}",
        r.diagnostics
    );
}
