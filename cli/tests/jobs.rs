//! `--jobs`: every command that reads many files prints the same bytes, in input order,
//! whatever the number of worker threads, and reports failures at the same place.

mod common;

use common::rdsr;
use std::path::Path;

/// The corpus beside the repository, when present (`../shared/corpus/files`).
fn corpus() -> Option<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/files");
    if dir.is_dir() {
        dir.canonicalize()
            .ok()
            .and_then(|d| d.to_str().map(str::to_string))
    } else {
        println!("corpus part skipped: ../shared/corpus/files is absent");
        None
    }
}

/// Runs `rdsr ARGS --jobs N` for N in 1, 2, 3 and 8 and checks stdout, stderr and the exit
/// status are the same for all.
fn same_for_any_jobs(args: &[&str]) {
    let run = |jobs: &str| {
        let mut a: Vec<&str> = args.to_vec();
        a.extend(["--jobs", jobs]);
        rdsr(&a)
    };
    let one = run("1");
    assert!(!one.stdout.is_empty(), "{args:?} printed nothing");
    for jobs in ["2", "3", "8"] {
        let many = run(jobs);
        assert_eq!(
            one.stdout, many.stdout,
            "{args:?}: stdout with --jobs {jobs} differs from --jobs 1"
        );
        assert_eq!(one.stderr, many.stderr, "{args:?}: stderr, --jobs {jobs}");
        assert_eq!(one.status.code(), many.status.code(), "{args:?}: status");
    }
}

#[test]
fn dump_output_does_not_depend_on_jobs() {
    same_for_any_jobs(&["dump", "."]);
    same_for_any_jobs(&["dump", "--json", "."]);
}

#[test]
fn dump_report_output_does_not_depend_on_jobs() {
    same_for_any_jobs(&["dump", "--report", "."]);
    same_for_any_jobs(&["dump", "--report", "--json", "."]);
    if let Some(corpus) = corpus() {
        same_for_any_jobs(&["dump", "--report", "--json", &corpus]);
    }
}

#[test]
fn quirks_explain_output_does_not_depend_on_jobs() {
    same_for_any_jobs(&["quirks", "explain", "."]);
    if let Some(corpus) = corpus() {
        same_for_any_jobs(&["quirks", "explain", "--json", &corpus]);
    }
}

#[test]
fn studies_output_does_not_depend_on_jobs() {
    same_for_any_jobs(&["studies", "."]);
    same_for_any_jobs(&["studies", "--json", "."]);
    if let Some(corpus) = corpus() {
        same_for_any_jobs(&["studies", "--json", &corpus]);
    }
}

#[test]
fn a_failure_is_reported_after_the_output_of_the_files_before_it() {
    // stdout and stderr interleave in input order on a terminal: with a failing file in the
    // middle, everything before it is flushed before its error line.
    let out = rdsr(&[
        "dump",
        "--jobs",
        "4",
        "projection_minimal.dcm",
        "no-such-file.dcm",
        "ct_minimal.dcm",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let first = stdout
        .find("projection_minimal.dcm")
        .expect("first file dumped");
    let last = stdout.find("ct_minimal.dcm").expect("last file dumped");
    assert!(first < last);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-file.dcm"));
}

#[test]
fn jobs_must_be_positive() {
    let out = rdsr(&["dump", "--jobs", "0", "."]);
    assert_eq!(out.status.code(), Some(2));
}
