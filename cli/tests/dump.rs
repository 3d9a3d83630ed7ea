//! `rdsr dump` end to end: the built binary on the files of `testdata/`.
//!
//! Every `testdata/**/*.dcm` gets a snapshot of `rdsr dump --json FILE` (pretty-printed, key
//! order kept), or, for the files meant to fail, of the exit code and stderr. The binary runs
//! in `testdata/` with relative paths, so the snapshots do not depend on the checkout's place.

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::process::{Command, Stdio};

use common::{
    EXPECTED_FAILURES, dcm_files, good_files, is_expected_failure, pretty, rdsr,
    relative_to_testdata, stderr, stdout, testdata,
};

#[test]
fn json_of_every_testdata_file() {
    insta::glob!("../../testdata", "**/*.dcm", |path| {
        let rel = relative_to_testdata(path);
        let out = rdsr(&["dump", "--json", &rel]);
        let code = out.status.code();
        if is_expected_failure(&rel) {
            assert_eq!(code, Some(1), "{rel} should fail");
            assert_eq!(stdout(&out), "", "{rel}: nothing on stdout");
            insta::assert_snapshot!(
                "failure",
                format!("exit code: 1\nstderr:\n{}", stderr(&out))
            );
        } else {
            assert_eq!(code, Some(0), "{rel}: {}", stderr(&out));
            assert_eq!(stderr(&out), "", "{rel}: nothing on stderr");
            let text = stdout(&out);
            let line = text.strip_suffix('\n').expect("ends with a newline");
            assert!(!line.contains('\n'), "{rel}: one JSON line per file");
            let value: serde_json::Value = serde_json::from_str(line).expect("valid JSON");
            assert_eq!(value["file"], rel.as_str());
            assert!(value["diagnostics"].is_array());
            assert_eq!(value["document"]["content"]["path"], "1");
            insta::assert_snapshot!("json", pretty(line));
        }
    });
}

#[test]
fn all_good_files_exit_0_with_one_json_line_each() {
    let files = good_files();
    let args: Vec<&str> = ["dump", "--json"]
        .into_iter()
        .chain(files.iter().map(String::as_str))
        .collect();
    let out = rdsr(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let names: Vec<String> = stdout(&out)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("valid JSON line");
            v["file"].as_str().expect("file").to_string()
        })
        .collect();
    assert_eq!(names, files);

    let human = rdsr(&["dump", &files[0]]);
    assert_eq!(human.status.code(), Some(0), "{}", stderr(&human));
    assert_eq!(stderr(&human), "");
}

#[test]
fn one_failing_file_among_several_exits_1_and_the_others_are_dumped() {
    let out = rdsr(&[
        "dump",
        "projection_minimal.dcm",
        "non_dose_sr.dcm",
        "ct_minimal.dcm",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let headers: Vec<&str> = stdout(&out)
        .lines()
        .filter(|l| l.starts_with("== "))
        .collect();
    assert_eq!(
        headers,
        [
            "== projection_minimal.dcm: SOP class 1.2.840.10008.5.1.4.1.1.88.67, template 10001, 76 items",
            "== ct_minimal.dcm: SOP class 1.2.840.10008.5.1.4.1.1.88.67, template 10011, 61 items",
        ]
    );
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(
            "rdsr: non_dose_sr.dcm: not a dose report: SOP class 1.2.840.10008.5.1.4.1.1.88.33"
        ),
        "{err}"
    );
    assert_eq!(
        err.matches("non_dose_sr.dcm").count(),
        1,
        "file named once: {err}"
    );
}

#[test]
fn a_missing_file_is_a_failure_named_once() {
    let out = rdsr(&["dump", "projection_minimal.dcm", "missing.dcm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("== projection_minimal.dcm: "));
    let err = stderr(&out);
    assert!(err.starts_with("rdsr: missing.dcm: "), "{err}");
    assert_eq!(err.matches("missing.dcm").count(), 1, "{err}");
}

#[test]
fn a_missing_file_reports_its_os_cause_exactly_once() {
    let out = rdsr(&["dump", "missing.dcm"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    // `rdsr: FILE: i/o error: <the OS's sentence>`, the sentence printed once.
    let rest = err
        .strip_prefix("rdsr: missing.dcm: i/o error: ")
        .unwrap_or_else(|| panic!("{err}"));
    let sentence = rest.trim_end();
    assert!(!sentence.is_empty(), "{err}");
    assert_eq!(err.matches(sentence).count(), 1, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["dump", "--bogus", "projection_minimal.dcm"][..],
        &["dump"],
        &["dump", "--max-depth", "0", "projection_minimal.dcm"],
        &["dump", "--max-depth", "many", "projection_minimal.dcm"],
        &["dump", "--max-input-size", "12T", "projection_minimal.dcm"],
        &["dump", "--strict", "projection_minimal.dcm"],
        &["dump", "--quirks", ".", "projection_minimal.dcm"],
        &["frobnicate"],
    ] {
        let out = rdsr(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{args:?}");
        assert!(stderr(&out).starts_with("error: "), "{args:?}");
        assert!(stderr(&out).contains("--help"), "{args:?}");
    }
    let out = rdsr(&["dump", "--bogus", "projection_minimal.dcm"]);
    assert!(stderr(&out).contains("unexpected argument '--bogus'"));
    // No command at all: the help, on stderr, and a usage error.
    let out = rdsr(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Usage: rdsr <COMMAND>"));
}

#[test]
fn human_form_of_projection_minimal() {
    let out = rdsr(&["dump", "projection_minimal.dcm"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "== projection_minimal.dcm: SOP class 1.2.840.10008.5.1.4.1.1.88.67, template 10001, 76 items"
    );
    assert_eq!(
        lines.len(),
        1 + 76,
        "header and one line per item, no diagnostics"
    );
    assert_eq!(
        lines[1],
        "1  X-Ray Radiation Dose Report = CONTAINER (TID 10001)"
    );
    for expected in [
        "  1.1  HAS CONCEPT MOD Procedure reported = Projection X-Ray (113704, DCM)",
        "  1.4  HAS OBS CONTEXT Device Observer Name = FLUORO1",
        "  1.10  CONTAINS Accumulated X-Ray Dose Data = CONTAINER",
        "    1.10.3  CONTAINS Dose Area Product Total = 0.0021 [Gy.m2]",
        "    1.10.7  CONTAINS Total Fluoro Time = 42.5 [s]",
        "    1.11.4  CONTAINS Irradiation Event Type = Fluoroscopy (P5-06000, SRT)",
        "      1.11.6.1  HAS CONCEPT MOD Laterality = Left (G-A101, SRT)",
        "    1.11.7  CONTAINS Dose Area Product = 0.00123 [Gy.m2]",
        "    1.11.14  CONTAINS Positioner Primary Angle = -12.5 [deg]",
        "    1.12.9  CONTAINS KVP = 81 [kV]",
        "  1.13  CONTAINS Source of Dose Information = Automated Data Collection (113856, DCM)",
    ] {
        assert!(
            lines.contains(&expected),
            "missing line {expected:?} in\n{text}"
        );
    }
}

#[test]
fn human_form_decodes_latin1_text() {
    let out = rdsr(&["dump", "ct_enhanced_sr.dcm"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            "\n  1.14  CONTAINS Comment = Kontrastmittel: nein; Patientengröße 1,75 m; Ärztin informiert\n"
        ),
        "{}",
        stdout(&out)
    );
}

#[test]
fn directories_are_read_recursively_in_sorted_order() {
    let out = rdsr(&["dump", "--json", "."]);
    // testdata/ holds files meant to fail (and its README).
    assert_eq!(out.status.code(), Some(1));
    let files: Vec<String> = stdout(&out)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("valid JSON line");
            v["file"].as_str().expect("file").to_string()
        })
        .collect();
    let expected: Vec<String> = good_files().iter().map(|f| format!("./{f}")).collect();
    assert_eq!(files, expected);
    let err = stderr(&out);
    for name in EXPECTED_FAILURES {
        assert_eq!(
            err.lines()
                .filter(|l| l.starts_with(&format!("rdsr: ./{name}: ")))
                .count(),
            1,
            "{err}"
        );
    }
    // The same run twice gives the same bytes.
    let again = rdsr(&["dump", "--json", "."]);
    assert_eq!(again.stdout, out.stdout);
    assert_eq!(again.stderr, out.stderr);
}

#[test]
fn limits_are_passed_to_the_reader() {
    let out = rdsr(&["dump", "deep_nesting.dcm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("nesting depth limit exceeded: 33 > 32"),
        "{}",
        stderr(&out)
    );

    let out = rdsr(&["dump", "--max-depth", "64", "deep_nesting.dcm"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains(" CONTAINS Comment = innermost\n"));

    let size = std::fs::metadata(testdata().join("projection_minimal.dcm"))
        .expect("metadata")
        .len();
    let out = rdsr(&["dump", "--max-input-size", "1K", "projection_minimal.dcm"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!("rdsr: projection_minimal.dcm: input size limit exceeded: {size} > 1024\n")
    );

    let out = rdsr(&["dump", "--max-items", "10", "projection_minimal.dcm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("item count limit exceeded: 11 > 10"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let files = good_files();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rdsr"))
        .arg("dump")
        .arg("--json")
        .args((0..100).flat_map(|_| files.iter()))
        .current_dir(testdata())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn rdsr");
    // Read a little, then close the pipe while the output is far from finished.
    let mut head = [0u8; 64];
    let mut pipe = child.stdout.take().expect("stdout");
    pipe.read_exact(&mut head).expect("some output");
    drop(pipe);
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("read stderr");
    let status = child.wait().expect("wait");
    assert_eq!(err, "", "no panic, no message");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn testdata_has_the_files_the_tests_name() {
    let files: BTreeSet<String> = dcm_files().into_iter().collect();
    for name in EXPECTED_FAILURES.iter().chain(&[
        "projection_minimal.dcm",
        "ct_minimal.dcm",
        "ct_enhanced_sr.dcm",
    ]) {
        assert!(files.contains(*name), "testdata/{name} is missing");
    }
}
