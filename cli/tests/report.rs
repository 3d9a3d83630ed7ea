//! `rdsr dump --report`: the typed report of each file, human form and JSON Lines, and the
//! quirk options (`--strict`, `--disable-quirk`, `--no-shipped-quirks`, `--quirks DIR`).

mod common;

use common::{
    good_files, is_expected_failure, json_lines, rdsr, relative_to_testdata, scratch, stderr,
    stdout, top_level_keys,
};

/// Asserts that every line of `expected` is a line of `text`.
fn has_lines(text: &str, expected: &[&str]) {
    let lines: Vec<&str> = text.lines().collect();
    for e in expected {
        assert!(lines.contains(e), "missing line {e:?} in\n{text}");
    }
}

#[test]
fn human_report_of_every_testdata_file() {
    insta::glob!("../../testdata", "**/*.dcm", |path| {
        let rel = relative_to_testdata(path);
        if is_expected_failure(&rel) {
            return;
        }
        let out = rdsr(&["dump", "--report", &rel]);
        assert_eq!(out.status.code(), Some(0), "{rel}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{rel}: nothing on stderr");
        let text = stdout(&out);
        assert!(text.starts_with(&format!("== {rel}: ")), "{text}");
        insta::assert_snapshot!("human", text);
    });
}

#[test]
fn projection_report_values() {
    let out = rdsr(&["dump", "--report", "projection_minimal.dcm"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("== projection_minimal.dcm: projection X-ray (RF), 2 events\n"),
        "{text}"
    );
    has_lines(
        text,
        &[
            "  SOP class        1.2.840.10008.5.1.4.1.1.88.67 (X-Ray Radiation Dose SR)",
            "  template         TID 10001 (projection X-ray), declared in the Content Template Sequence",
            "  date             2024-03-15",
            "  time             09:30:00",
            "  accession        ACC-000123",
            "  description      Hip fluoroscopy",
            "  sex              F",
            "  age              58.9 years (from the birth date)",
            "  manufacturer     RDSR Test Systems",
            "  model            Fluoro One",
            "  station          FLUORO1",
            "  software         1.4.2",
            "accumulated dose, Single Plane (1.10)",
            // 0.0021 Gy·m² is 2100 cGy·cm², printed without float noise.
            "  DAP total        0.0021 Gy·m² (2100 cGy·cm²)",
            "  dose RP total    0.0076 Gy",
            "  fluoro DAP       0.00123 Gy·m²",
            "  acquisition DAP  0.00087 Gy·m²",
            "  fluoro time      42.5 s",
            "  1.11  Fluoroscopy, protocol \"Hip Fluoro Low Dose\", plane Single Plane, DAP 0.00123 Gy·m², dose RP 0.0045 Gy, kVp 72, exposure time -",
            "  1.12  Stationary Acquisition, protocol \"Hip Single Shot\", plane Single Plane, DAP 0.00087 Gy·m², dose RP 0.0031 Gy, kVp 81, exposure time -",
            "  planes           1",
            "  DAP total        0.0021 Gy·m²",
            "  dose RP A        0.0076 Gy",
            "  events A         2",
            "  events B         -",
            // The fixture's empty Request Attributes Sequence is a structural quirk.
            "  quirk zero-length-request-attributes-sequence (missing-mandatory-attribute, OpenREM 0.10.0 requested-procedure guard (empty Request Attributes Sequence)): Request Attributes Sequence without items",
            "    at (header): (0040,0275) present with no items -> treated as absent",
            "diagnostics: none",
        ],
    );
}

#[test]
fn ct_report_values() {
    let out = rdsr(&["dump", "--report", "ct_minimal.dcm"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("== ct_minimal.dcm: CT, 2 events\n"),
        "{text}"
    );
    has_lines(
        text,
        &[
            "  template         TID 10011 (CT), declared in the Content Template Sequence",
            "  sex              M",
            "  age              065Y (65.5 years)",
            "  model            Helix 64",
            "accumulated dose (1.11)",
            "  DLP total        512.34 mGy·cm",
            "  events           2",
            "  1.12  Constant Angle Acquisition, protocol \"Topogram\", CTDIvol 0.11 mGy, DLP 1.23 mGy·cm, scanning length 512 mm, kVp 120",
            "  1.13  Spiral Acquisition, protocol \"Thorax Routine\", CTDIvol 12.5 mGy, DLP 511.11 mGy·cm, scanning length 408.9 mm, kVp 120",
            "  spiral           1",
            "  constant angle   1",
            "  axial            0",
            "  total DLP        512.34 mGy·cm",
            "quirks applied: none",
            "diagnostics: none",
        ],
    );
}

#[test]
fn json_lines_hold_the_whole_report() {
    let out = rdsr(&[
        "dump",
        "--report",
        "--json",
        "projection_minimal.dcm",
        "ct_minimal.dcm",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2);
    let first = stdout(&out).lines().next().expect("a line");
    assert_eq!(top_level_keys(first), ["file", "report"]);
    let report_keys = top_level_keys(&first[first.find("\"report\":").expect("report") + 9..]);
    assert_eq!(
        report_keys,
        [
            "schema_version",
            "sop_class_uid",
            "sop_instance_uid",
            "study_instance_uid",
            "series_instance_uid",
            "specific_character_set",
            "timezone_offset_from_utc",
            "template",
            "template_source",
            "irradiation_events",
            "study",
            "patient",
            "patient_study",
            "equipment",
            "body",
            "applied_quirks",
            "diagnostics"
        ]
    );

    let p = &lines[0];
    assert_eq!(p["file"], "projection_minimal.dcm");
    let r = &p["report"];
    assert_eq!(r["sop_class_uid"], "1.2.840.10008.5.1.4.1.1.88.67");
    assert_eq!(r["schema_version"], rdsr::JSON_SCHEMA_VERSION);
    assert_eq!(r["template"], "projection");
    assert_eq!(r["template_source"], "declared");
    assert_eq!(r["study"]["accession_number"], "ACC-000123");
    assert_eq!(r["study"]["study_date"], "2024-03-15");
    assert_eq!(r["equipment"]["station_name"], "FLUORO1");
    assert_eq!(r["body"]["kind"], "projection");
    assert_eq!(r["body"]["modality_type"], "RF");
    let plane = &r["body"]["accumulated_planes"][0];
    assert_eq!(
        plane["projection_totals"]["dose_area_product_total_gy_m2"],
        0.0021
    );
    assert_eq!(
        plane["fluoro_and_acquisition_totals"]["total_fluoro_time_s"],
        42.5
    );
    let events = r["body"]["events"].as_array().expect("events");
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["dose_area_product_gy_m2"], 0.00123);
    assert_eq!(events[0]["path"], "1.11");
    assert_eq!(
        r["applied_quirks"],
        serde_json::json!([{
            "id": "zero-length-request-attributes-sequence",
            "summary": "Request Attributes Sequence without items",
            "reference": "OpenREM 0.10.0 requested-procedure guard (empty Request Attributes Sequence)",
            "kind": "missing-mandatory-attribute",
            "changes": [{
                "path": null,
                "field": "(0040,0275)",
                "before": "(0040,0275) present with no items",
                "after": "treated as absent"
            }]
        }])
    );
    assert_eq!(r["diagnostics"], serde_json::json!([]));

    let c = &lines[1];
    assert_eq!(c["file"], "ct_minimal.dcm");
    assert_eq!(c["report"]["body"]["kind"], "ct");
    assert_eq!(
        c["report"]["body"]["accumulated"]["ct_dose_length_product_total_mgy_cm"],
        512.34
    );
    assert_eq!(c["report"]["body"]["events"][1]["mean_ctdivol_mgy"], 12.5);
    assert_eq!(
        c["report"]["body"]["events"][1]["ct_acquisition_type"]["value"],
        "P5-08001"
    );
}

#[test]
fn every_good_file_gives_one_report_line() {
    let files = good_files();
    let args: Vec<&str> = ["dump", "--report", "--json"]
        .into_iter()
        .chain(files.iter().map(String::as_str))
        .collect();
    let out = rdsr(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let names: Vec<String> = json_lines(&out)
        .iter()
        .map(|v| v["file"].as_str().expect("file").to_string())
        .collect();
    assert_eq!(names, files);
}

#[test]
fn a_file_that_is_not_a_report_fails_and_the_others_are_reported() {
    let out = rdsr(&["dump", "--report", "non_dose_sr.dcm", "ct_minimal.dcm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("== ct_minimal.dcm: CT, 2 events\n"));
    assert!(
        stderr(&out).starts_with("rdsr: non_dose_sr.dcm: not a dose report: "),
        "{}",
        stderr(&out)
    );
    assert_eq!(stderr(&out).lines().count(), 1);
}

const DAP_IN_DGY_CM2: &str = "quirks/openrem-704-dap-in-dgy-cm2.dcm";
const NO_TEMPLATE: &str = "quirks/openrem-746-ge-oec-miniview-no-template.dcm";

#[test]
fn strict_mode_applies_no_quirk() {
    let lenient = rdsr(&["dump", "--report", DAP_IN_DGY_CM2]);
    assert_eq!(lenient.status.code(), Some(0), "{}", stderr(&lenient));
    assert!(
        stdout(&lenient).contains("\n  quirk openrem-704-dap-in-dgy-cm2 (non-standard-unit, OpenREM #704): Dose area products in dGy.cm2 (Toshiba/Canon)\n    at 1.10.3: (113722, DCM, \"Dose Area Product Total\") in dGy.cm2 -> converted to the canonical unit\n"),
        "{}",
        stdout(&lenient)
    );

    let strict = rdsr(&["dump", "--report", "--strict", DAP_IN_DGY_CM2]);
    assert_eq!(strict.status.code(), Some(0), "{}", stderr(&strict));
    let text = stdout(&strict);
    assert!(text.contains("\nquirks applied: none\n"), "{text}");
    assert!(
        text.contains(
            "\n  ! warning [quirk.not_applied] at 1.10.3: Dose area products in dGy.cm2 (Toshiba/Canon) (non-standard-unit, OpenREM #704): "
        ),
        "{text}"
    );

    // A defect that blocks mapping is an error in strict mode.
    let out = rdsr(&["dump", "--report", "--strict", NO_TEMPLATE]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(err.starts_with(&format!("rdsr: {NO_TEMPLATE}: ")), "{err}");
    assert!(
        err.contains("strict mode does not apply quirk openrem-746-ge-oec-miniview-no-template"),
        "{err}"
    );
}

#[test]
fn disabled_and_unshipped_quirks_are_not_applied() {
    let out = rdsr(&[
        "dump",
        "--report",
        "--disable-quirk",
        "zero-length-request-attributes-sequence",
        "projection_minimal.dcm",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("\nquirks applied: none\n"));

    // Without the shipped table nothing recognises the template of the MiniView report.
    let out = rdsr(&["dump", "--report", "--no-shipped-quirks", NO_TEMPLATE]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!(
            "== {NO_TEMPLATE}: unknown template, not mapped, 2 events\n"
        )),
        "{text}"
    );
    has_lines(
        text,
        &[
            "  template         unknown, none declared, none recognised",
            "quirks applied: none",
            "  ! error [template.unknown] at 1: no template identifier declared and no quirk recognised the content",
        ],
    );
}

/// A user's own quirk, loaded at run time: the shipped table turned off, the MiniView's
/// missing template handled by an entry in a directory of the user's.
#[test]
fn a_user_quirk_directory_is_applied() {
    let dir = scratch("report-user-quirk");
    std::fs::write(
        dir.join("oec.toml"),
        r#"# Our mini C-arm sends no template identifier.
id = "local-oec-no-template"
summary = "Our OEC mini C-arm declares no template"
kind = "missing-template-identifier"
reference = "ticket RAD-1234"

[match]
manufacturer = "GE*"
model = "OEC*"

[fix]
name = "assume-template"
template = "10001"
"#,
    )
    .expect("write quirk file");
    let dir_arg = dir.to_str().expect("UTF-8 temp dir");
    let out = rdsr(&[
        "dump",
        "--report",
        "--no-shipped-quirks",
        "--quirks",
        dir_arg,
        NO_TEMPLATE,
    ]);
    std::fs::remove_dir_all(&dir).expect("remove scratch directory");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!(
            "== {NO_TEMPLATE}: projection X-ray (RF), 2 events\n"
        )),
        "{text}"
    );
    has_lines(
        text,
        &[
            "  template         TID 10001 (projection X-ray), none declared; set by a quirk from the content",
            "quirks applied",
            "  quirk local-oec-no-template (missing-template-identifier, ticket RAD-1234): Our OEC mini C-arm declares no template",
            "    at 1: no Content Template Sequence -> mapped as TID 10001",
        ],
    );
}
