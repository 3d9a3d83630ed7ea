//! `rdsr studies`: reports assembled into studies. The multi-report studies are written by
//! the library's SR builder into a scratch directory: a cumulative pair (the fuller report
//! supersedes the first), a continued pair (merged into one study) with a resent copy under
//! another SOP Instance UID (a duplicate), and a file repeating a SOP Instance UID.

mod common;

use std::path::{Path, PathBuf};

use common::{good_files, json_lines, rdsr, rdsr_in, scratch, stderr, stdout, top_level_keys};
use dicom_core::{Tag, VR};
use rdsr_builder::{Code, Item, Relationship, ReportBuilder};

use Relationship::{Contains, HasConceptMod};

const ROOT: &str = "1.2.826.0.1.3680043.10.1234.900";

fn dcm(value: &str, meaning: &str) -> Code {
    Code::new(value, "DCM", meaning)
}

fn ucum(unit: &str) -> Code {
    Code::new(unit, "UCUM", unit)
}

fn spiral() -> Code {
    Code::new("P5-08001", "SRT", "Spiral Acquisition")
}

fn localizer() -> Code {
    dcm("113805", "Constant Angle Acquisition")
}

/// One CT acquisition: Irradiation Event UID, protocol, type, CTDIvol (mGy), DLP (mGy·cm).
struct Acquisition {
    uid: &'static str,
    protocol: &'static str,
    kind: fn() -> Code,
    ctdivol: &'static str,
    dlp: &'static str,
}

const TOPOGRAM: Acquisition = Acquisition {
    uid: "1.2.826.0.1.3680043.10.1234.900.9.1",
    protocol: "Topogram",
    kind: localizer,
    ctdivol: "0.11",
    dlp: "1.23",
};
const THORAX: Acquisition = Acquisition {
    uid: "1.2.826.0.1.3680043.10.1234.900.9.2",
    protocol: "Thorax Routine",
    kind: spiral,
    ctdivol: "12.5",
    dlp: "511.11",
};
const ABDOMEN: Acquisition = Acquisition {
    uid: "1.2.826.0.1.3680043.10.1234.900.9.3",
    protocol: "Abdomen Routine",
    kind: spiral,
    ctdivol: "10",
    dlp: "400",
};
const PELVIS: Acquisition = Acquisition {
    uid: "1.2.826.0.1.3680043.10.1234.900.9.4",
    protocol: "Pelvis",
    kind: spiral,
    ctdivol: "8",
    dlp: "200",
};

/// A TID 10011 report of study `ROOT.study` with SOP Instance UID `ROOT.study.sop`.
fn ct_report(
    study: u32,
    sop: u32,
    acquisitions: &[&Acquisition],
    total_dlp: &str,
) -> ReportBuilder {
    let mut content = vec![
        Item::code(
            HasConceptMod,
            dcm("121058", "Procedure reported"),
            Code::new("P5-08000", "SRT", "Computed Tomography X-Ray"),
        ),
        Item::container(
            Contains,
            dcm("113811", "CT Accumulated Dose Data"),
            vec![
                Item::num(
                    Contains,
                    dcm("113812", "Total Number of Irradiation Events"),
                    acquisitions.len().to_string(),
                    Code::new("{events}", "UCUM", "events"),
                ),
                Item::num(
                    Contains,
                    dcm("113813", "CT Dose Length Product Total"),
                    total_dlp,
                    ucum("mGy.cm"),
                ),
            ],
        ),
    ];
    for a in acquisitions {
        content.push(Item::container(
            Contains,
            dcm("113819", "CT Acquisition"),
            vec![
                Item::text(Contains, dcm("125203", "Acquisition Protocol"), a.protocol),
                Item::code(Contains, dcm("113820", "CT Acquisition Type"), (a.kind)()),
                Item::uidref(Contains, dcm("113769", "Irradiation Event UID"), a.uid),
                Item::container(
                    Contains,
                    dcm("113829", "CT Dose"),
                    vec![
                        Item::num(
                            Contains,
                            dcm("113830", "Mean CTDIvol"),
                            a.ctdivol,
                            ucum("mGy"),
                        ),
                        Item::num(Contains, dcm("113838", "DLP"), a.dlp, ucum("mGy.cm")),
                    ],
                ),
            ],
        ));
    }
    ReportBuilder::xray_dose_report()
        .template("10011")
        .seed(format!("studies-{study}-{sop}"))
        .study_instance_uid(format!("{ROOT}.{study}"))
        .series_instance_uid(format!("{ROOT}.{study}.{sop}.2"))
        .sop_instance_uid(format!("{ROOT}.{study}.{sop}"))
        .attr_str(Tag(0x0008, 0x0070), VR::LO, "RDSR Test Systems")
        .attr_str(Tag(0x0008, 0x1090), VR::LO, "Helix 64")
        .attr_str(Tag(0x0008, 0x1010), VR::SH, "CT01")
        .content(content)
}

/// The scratch directory with the studies described at the top of this file, and a file
/// that is not DICOM.
fn studies_dir(name: &str) -> PathBuf {
    let dir = scratch(name);
    let write = |file: &str, report: ReportBuilder| {
        report
            .write_file(dir.join(file))
            .unwrap_or_else(|e| panic!("write {file}: {e}"))
    };
    // Study 1, cumulative: the second report repeats the first's event and adds one.
    write("cumulative-1.dcm", ct_report(1, 1, &[&TOPOGRAM], "1.23"));
    write(
        "cumulative-2.dcm",
        ct_report(1, 2, &[&TOPOGRAM, &THORAX], "512.34"),
    );
    // The same file again: same SOP Instance UID.
    write(
        "zz-cumulative-2-again.dcm",
        ct_report(1, 2, &[&TOPOGRAM, &THORAX], "512.34"),
    );
    // Study 2, continued: two reports with different events, and the first resent under
    // another SOP Instance UID.
    write("continued-1.dcm", ct_report(2, 1, &[&ABDOMEN], "400"));
    write("continued-2.dcm", ct_report(2, 2, &[&PELVIS], "200"));
    write(
        "continued-1-resent.dcm",
        ct_report(2, 3, &[&ABDOMEN], "400"),
    );
    std::fs::write(dir.join("notes.txt"), "not a DICOM file\n").expect("write notes.txt");
    dir
}

fn remove(dir: &Path) {
    std::fs::remove_dir_all(dir).expect("remove scratch directory");
}

#[test]
fn cumulative_and_continued_reports_are_assembled() {
    let dir = studies_dir("studies-human");
    let out = rdsr_in(&dir, &["studies", "."]);
    remove(&dir);
    // notes.txt is not a dose report: reported, the rest assembled.
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.starts_with("rdsr: ./notes.txt: not DICOM"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    for expected in [
        "== study 1.2.826.0.1.3680043.10.1234.900.1: CT, 2 events",
        "  1.2.826.0.1.3680043.10.1234.900.1.2  added, 2 events  (./cumulative-2.dcm, ./zz-cumulative-2-again.dcm)",
        "  1.2.826.0.1.3680043.10.1234.900.1.1  superseded by 1.2.826.0.1.3680043.10.1234.900.1.2, 1 event  (./cumulative-1.dcm)",
        "  total DLP        512.34 mGy·cm",
        "  ./zz-cumulative-2-again.dcm: same SOP Instance UID as ./cumulative-2.dcm, not read again",
        "== study 1.2.826.0.1.3680043.10.1234.900.2: CT, 2 events",
        "  1.2.826.0.1.3680043.10.1234.900.2.1  merged, 1 event  (./continued-1.dcm)",
        "  1.2.826.0.1.3680043.10.1234.900.2.2  merged, 1 event  (./continued-2.dcm)",
        "  1.2.826.0.1.3680043.10.1234.900.2.3  duplicate of 1.2.826.0.1.3680043.10.1234.900.2.1, 1 event  (./continued-1-resent.dcm)",
        // Disjoint continued reports: their accumulated totals are added.
        "  total DLP        600 mGy·cm",
        "  spiral           2",
    ] {
        assert!(lines.contains(&expected), "missing {expected:?} in\n{text}");
    }
    // Sorted by Study Instance UID.
    let studies: Vec<&str> = lines
        .iter()
        .filter(|l| l.starts_with("== study "))
        .copied()
        .collect();
    assert_eq!(studies.len(), 2);
    insta::assert_snapshot!("human", text);
}

#[test]
fn json_lines_one_object_per_study() {
    let dir = studies_dir("studies-json");
    let out = rdsr_in(&dir, &["studies", "--json", "."]);
    remove(&dir);
    assert_eq!(out.status.code(), Some(1));
    let studies = json_lines(&out);
    assert_eq!(studies.len(), 2);
    let first = stdout(&out).lines().next().expect("a line");
    assert_eq!(top_level_keys(first), ["study", "files"]);
    let study_keys = top_level_keys(&first[first.find("\"study\":").expect("study") + 8..]);
    assert_eq!(
        study_keys,
        [
            "schema_version",
            "study_instance_uid",
            "series",
            "report",
            "attached",
            "summary",
            "event_keys",
            "notes"
        ]
    );
    // Exactly the library's serialisation of the study.
    let dir = studies_dir("studies-json-library");
    let mut assembler = rdsr::study::StudyAssembler::new();
    for entry in std::fs::read_dir(&dir).expect("scratch dir") {
        if let Ok(r) = rdsr::parse_file(entry.expect("entry").path()) {
            assembler.add(r);
        }
    }
    remove(&dir);
    let library: Vec<serde_json::Value> = assembler
        .studies()
        .iter()
        .map(|s| serde_json::to_value(s).expect("study serialises"))
        .collect();
    let printed: Vec<&serde_json::Value> = studies.iter().map(|s| &s["study"]).collect();
    assert_eq!(printed, library.iter().collect::<Vec<_>>());

    let files = &studies[0]["files"];
    let cumulative = &studies[0]["study"];
    assert_eq!(cumulative["schema_version"], rdsr::JSON_SCHEMA_VERSION);
    assert_eq!(cumulative["study_instance_uid"], format!("{ROOT}.1"));
    assert_eq!(cumulative["event_keys"].as_array().expect("keys").len(), 2);
    assert_eq!(cumulative["summary"]["total_dlp_mgy_cm"], 512.34);
    assert_eq!(cumulative["summary"]["number_of_spiral"], 1);
    assert_eq!(cumulative["summary"]["number_of_const_angle"], 1);
    let series = cumulative["series"].as_array().expect("series");
    assert_eq!(series.len(), 2);
    assert_eq!(series[0]["sop_instance_uid"], format!("{ROOT}.1.2"));
    assert_eq!(series[0]["role"], "added");
    assert_eq!(series[0]["replaced_by"], serde_json::Value::Null);
    assert_eq!(
        files[0],
        serde_json::json!({
            "sop_instance_uid": format!("{ROOT}.1.2"),
            "files": ["./cumulative-2.dcm", "./zz-cumulative-2-again.dcm"]
        })
    );
    assert_eq!(series[0]["summary"]["total_dlp_mgy_cm"], 512.34);
    assert_eq!(series[1]["role"], "superseded");
    assert_eq!(series[1]["replaced_by"], format!("{ROOT}.1.2"));
    assert_eq!(series[1]["number_of_events"], 1);
    assert_eq!(series[1]["summary"]["total_dlp_mgy_cm"], 1.23);
    assert_eq!(
        cumulative["event_keys"],
        serde_json::json!([
            format!("uid:{}", TOPOGRAM.uid),
            format!("uid:{}", THORAX.uid)
        ])
    );
    // A file repeating a SOP Instance UID is in `files`, not in the library's notes.
    assert_eq!(cumulative["notes"], serde_json::json!([]));
    let report = &cumulative["report"];
    assert_eq!(report["sop_instance_uid"], format!("{ROOT}.1.2"));
    assert_eq!(report["body"]["kind"], "ct");
    assert_eq!(
        report["body"]["events"][1]["acquisition_protocol"],
        "Thorax Routine"
    );

    let continued = &studies[1]["study"];
    assert_eq!(continued["study_instance_uid"], format!("{ROOT}.2"));
    assert_eq!(continued["event_keys"].as_array().expect("keys").len(), 2);
    assert_eq!(continued["summary"]["total_dlp_mgy_cm"], 600.0);
    let roles: Vec<(&str, &str)> = continued["series"]
        .as_array()
        .expect("series")
        .iter()
        .map(|s| {
            (
                s["sop_instance_uid"].as_str().expect("sop"),
                s["role"].as_str().expect("role"),
            )
        })
        .collect();
    let (one, two, three) = (
        format!("{ROOT}.2.1"),
        format!("{ROOT}.2.2"),
        format!("{ROOT}.2.3"),
    );
    assert_eq!(
        roles,
        [
            (one.as_str(), "merged"),
            (two.as_str(), "merged"),
            (three.as_str(), "duplicate")
        ]
    );
    assert_eq!(continued["series"][2]["replaced_by"], one);
    assert_eq!(
        continued["report"]["body"]["accumulated"]["ct_dose_length_product_total_mgy_cm"],
        600.0
    );
}

#[test]
fn the_order_of_the_files_does_not_matter() {
    let dir = studies_dir("studies-order");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().into_string().expect("UTF-8"))
        .filter(|n| n.ends_with(".dcm") && !n.starts_with("zz-"))
        .collect();
    files.sort();
    let run = |files: &[String]| {
        let args: Vec<&str> = std::iter::once("studies")
            .chain(files.iter().map(String::as_str))
            .collect();
        rdsr_in(&dir, &args)
    };
    let forward = run(&files);
    files.reverse();
    let backward = run(&files);
    files.rotate_left(2);
    let rotated = run(&files);
    remove(&dir);
    assert_eq!(forward.status.code(), Some(0), "{}", stderr(&forward));
    assert_eq!(stdout(&forward).matches("== study ").count(), 2);
    assert_eq!(stdout(&backward), stdout(&forward));
    assert_eq!(stdout(&rotated), stdout(&forward));
}

/// The README's main job: every report of `testdata/`, one study each; the files that are
/// not dose reports on stderr.
#[test]
fn every_testdata_report_is_a_study() {
    let out = rdsr(&["studies", "."]);
    assert_eq!(out.status.code(), Some(1));
    let err: Vec<&str> = stderr(&out).lines().collect();
    assert_eq!(err.len(), 3, "{err:?}");
    for (line, file) in err
        .iter()
        .zip(["./README.md", "./deep_nesting.dcm", "./non_dose_sr.dcm"])
    {
        assert!(line.starts_with(&format!("rdsr: {file}: ")), "{line}");
    }
    let text = stdout(&out);
    // Every fixture has its own Study Instance UID.
    assert_eq!(text.matches("== study ").count(), good_files().len());
    assert_eq!(text.matches("  added, ").count(), good_files().len());
    assert!(
        text.contains(
            "  1.2.826.0.1.3680043.10.1234.3.15301531264488534914  added, 2 events  (./ct_minimal.dcm)\n"
        ),
        "{text}"
    );
    // Reading in parallel does not change the output.
    let again = rdsr(&["studies", "."]);
    assert_eq!(again.stdout, out.stdout);
    assert_eq!(again.stderr, out.stderr);
}

fn corpus(name: &str) -> Option<String> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/files/openrem-0.10.0")
        .join(name);
    if p.is_file() {
        Some(p.to_str().expect("UTF-8 path").to_string())
    } else {
        eprintln!("SKIPPED: ../shared/corpus is absent ({name})");
        None
    }
}

/// Real cumulative (Siemens Multi 1-3) and continued (Siemens Continued 1-2) reports, with
/// the totals OpenREM's tests expect.
#[test]
fn real_cumulative_and_continued_reports() {
    let names = [
        "CT-RDSR-Siemens-Multi-2.dcm",
        "CT-RDSR-Siemens-Continued-2.dcm",
        "CT-RDSR-Siemens-Multi-1.dcm",
        "CT-RDSR-Siemens-Multi-3.dcm",
        "CT-RDSR-Siemens-Continued-1.dcm",
    ];
    let Some(files) = names.iter().map(|n| corpus(n)).collect::<Option<Vec<_>>>() else {
        return;
    };
    let args: Vec<&str> = std::iter::once("studies")
        .chain(std::iter::once("--json"))
        .chain(files.iter().map(String::as_str))
        .collect();
    let out = rdsr(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let studies = json_lines(&out);
    assert_eq!(studies.len(), 2);
    let by_roles = |s: &serde_json::Value| -> Vec<String> {
        s["study"]["series"]
            .as_array()
            .expect("series")
            .iter()
            .zip(s["files"].as_array().expect("files"))
            .map(|(x, f)| {
                let file = f["files"][0].as_str().expect("file");
                let name = file.rsplit('/').next().unwrap_or(file);
                format!("{name} {}", x["role"].as_str().expect("role"))
            })
            .collect()
    };
    let events = |s: &serde_json::Value| s["study"]["event_keys"].as_array().map(Vec::len);
    let continued = studies
        .iter()
        .find(|s| events(s) == Some(4))
        .expect("the continued study");
    assert_eq!(continued["study"]["summary"]["total_dlp_mgy_cm"], 116.61);
    assert_eq!(
        by_roles(continued),
        [
            "CT-RDSR-Siemens-Continued-2.dcm merged",
            "CT-RDSR-Siemens-Continued-1.dcm merged"
        ]
    );
    let cumulative = studies
        .iter()
        .find(|s| events(s) == Some(3))
        .expect("the cumulative study");
    assert_eq!(cumulative["study"]["summary"]["total_dlp_mgy_cm"], 236.09);
    assert_eq!(
        by_roles(cumulative),
        [
            "CT-RDSR-Siemens-Multi-3.dcm added",
            "CT-RDSR-Siemens-Multi-2.dcm superseded",
            "CT-RDSR-Siemens-Multi-1.dcm superseded"
        ]
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["studies"][..],
        &["studies", "--bogus", "."],
        &["studies", "--max-depth", "0", "."],
        &["studies", "--disable-quirk", "no-such-quirk", "."],
        &["studies", "--quirks", "/nonexistent/rdsr-quirks", "."],
    ] {
        let out = rdsr(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{args:?}");
        assert!(stderr(&out).starts_with("error: "), "{args:?}");
    }
}

#[test]
fn limits_apply_to_every_file() {
    let size = std::fs::metadata(common::testdata().join("ct_minimal.dcm"))
        .expect("metadata")
        .len();
    let out = rdsr(&["studies", "--max-input-size", "1K", "ct_minimal.dcm"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        format!("rdsr: ct_minimal.dcm: input size limit exceeded: {size} > 1024\n")
    );
}

/// A generated archive of many reports (copies of `testdata/` and, when present, the shared
/// corpus, with new UIDs: cumulative and continued studies stay together), a file repeating
/// a SOP Instance UID and a file that is not DICOM: the streamed `rdsr studies --json`
/// prints what assembling every report in memory gives, study for study, with each report's
/// files in argument order.
#[test]
fn streamed_studies_equal_the_in_memory_assembly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut sources = vec![root.join("testdata")];
    let corpus = root.join("../shared/corpus/files");
    if corpus.is_dir() {
        sources.push(corpus);
    }
    let reports = rdsr_store::archive::dose_reports(&sources);
    let dir = scratch("studies-streamed");
    let archive = dir.join("archive");
    let (written, _) =
        rdsr_store::archive::generate(&reports, &archive, 400).expect("generate archive");
    assert_eq!(written, 400);
    let first = rdsr_store::walk([archive.clone()])
        .find_map(|i| match i {
            rdsr_store::Input::File(p) => Some(p),
            rdsr_store::Input::Unlistable(..) => None,
        })
        .expect("a generated file");
    std::fs::copy(&first, archive.join("zz-again.dcm")).expect("copy");
    std::fs::write(archive.join("zz-notes.txt"), "not a DICOM file\n").expect("write");

    let out = rdsr_in(&dir, &["studies", "--json", "archive"]);
    let human = rdsr_in(&dir, &["studies", "archive"]);

    // The same files read in the same order (each folder sorted by name), all in memory.
    let mut assembler = rdsr::study::StudyAssembler::new();
    let mut files: std::collections::BTreeMap<(String, String), Vec<String>> =
        std::collections::BTreeMap::new();
    let mut failed = Vec::new();
    for input in rdsr_store::walk([PathBuf::from("archive")].map(|p| dir.join(p))) {
        let rdsr_store::Input::File(path) = input else {
            panic!("unlistable {input:?}");
        };
        let shown = format!(
            "archive/{}",
            path.strip_prefix(&archive).expect("below").display()
        );
        match rdsr::parse_file(&path) {
            Ok(report) => {
                let study = report.study_instance_uid.clone().unwrap_or_default();
                let sop = report.sop_instance_uid.clone().unwrap_or_default();
                files.entry((study, sop)).or_default().push(shown);
                assembler.add(report);
            }
            Err(_) => failed.push(shown),
        }
    }
    remove(&dir);

    assert_eq!(failed, ["archive/zz-notes.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("rdsr: archive/zz-notes.txt: not DICOM"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stderr(&out).lines().count(), 1);
    let printed = json_lines(&out);
    let library = assembler.studies();
    assert!(library.len() > 100, "{} studies", library.len());
    assert_eq!(printed.len(), library.len());
    for (line, study) in printed.iter().zip(&library) {
        assert_eq!(
            line["study"],
            serde_json::to_value(study).expect("study serialises")
        );
        let expected: Vec<serde_json::Value> = study
            .series
            .iter()
            .map(|s| {
                let key = (study.study_instance_uid.clone(), s.sop_instance_uid.clone());
                serde_json::json!({
                    "sop_instance_uid": s.sop_instance_uid,
                    "files": files.get(&key).expect("files of a series"),
                })
            })
            .collect();
        assert_eq!(line["files"], serde_json::Value::Array(expected));
    }
    // The repeated file is listed beside the one it repeats.
    let repeated = printed
        .iter()
        .flat_map(|l| l["files"].as_array().expect("files").iter())
        .filter(|f| f["files"].as_array().is_some_and(|a| a.len() == 2))
        .count();
    assert_eq!(repeated, 1);
    // The human form lists the same studies, in the same order.
    assert_eq!(human.status.code(), Some(1));
    let headings: Vec<String> = stdout(&human)
        .lines()
        .filter_map(|l| l.strip_prefix("== study "))
        .map(|l| l.split(':').next().unwrap_or(l).to_string())
        .collect();
    let uids: Vec<&str> = library
        .iter()
        .map(|s| s.study_instance_uid.as_str())
        .collect();
    assert_eq!(headings, uids);
    assert!(
        stdout(&human).contains("zz-again.dcm: same SOP Instance UID as archive/0000/"),
        "the repeat is noted"
    );
}

/// Reports without a Study Instance UID are each a study of their own in the library's
/// assembler (keyed by SOP Instance UID): the streamed command groups them the same way,
/// prints them in the same place in the order, and lists a repeated file beside its report.
#[test]
fn reports_without_study_uid_are_studies_of_their_own() {
    let dir = scratch("studies-no-study-uid");
    let no_study = |sop: u32, acquisitions: &[&Acquisition], dlp: &str| {
        ct_report(3, sop, acquisitions, dlp).attr_str(Tag(0x0020, 0x000D), VR::UI, "")
    };
    let write = |file: &str, report: ReportBuilder| {
        report
            .write_file(dir.join(file))
            .unwrap_or_else(|e| panic!("write {file}: {e}"))
    };
    write("a.dcm", no_study(1, &[&TOPOGRAM], "1.23"));
    write("b.dcm", no_study(2, &[&THORAX], "511.11"));
    write("c.dcm", ct_report(1, 1, &[&ABDOMEN], "400"));
    write("d-b-again.dcm", no_study(2, &[&THORAX], "511.11"));
    let out = rdsr_in(&dir, &["studies", "--json", "."]);
    let mut assembler = rdsr::study::StudyAssembler::new();
    for name in ["a.dcm", "b.dcm", "c.dcm", "d-b-again.dcm"] {
        let report = rdsr::parse_file(dir.join(name)).expect("fixture parses");
        if name != "c.dcm" {
            assert_eq!(
                report
                    .study_instance_uid
                    .as_deref()
                    .filter(|u| !u.is_empty()),
                None,
                "{name}"
            );
        }
        assembler.add(report);
    }
    remove(&dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = json_lines(&out);
    let library = assembler.studies();
    assert_eq!(library.len(), 3);
    let studies: Vec<serde_json::Value> = printed.iter().map(|s| s["study"].clone()).collect();
    let expected: Vec<serde_json::Value> = library
        .iter()
        .map(|s| serde_json::to_value(s).expect("study serialises"))
        .collect();
    assert_eq!(studies, expected);
    let files: Vec<&serde_json::Value> = printed.iter().map(|s| &s["files"][0]["files"]).collect();
    assert_eq!(
        files,
        [
            &serde_json::json!(["./a.dcm"]),
            &serde_json::json!(["./b.dcm", "./d-b-again.dcm"]),
            &serde_json::json!(["./c.dcm"]),
        ]
    );
}
