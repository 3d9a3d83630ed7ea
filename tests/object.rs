//! The `InMemDicomObject` entry point gives the same report as the bytes it came from.

use std::path::PathBuf;

fn files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for dir in ["testdata", "../shared/corpus/files/openrem-0.10.0"] {
        let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
            eprintln!("SKIPPED: {dir} is absent");
            continue;
        };
        let mut v: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "dcm"))
            .collect();
        v.sort();
        out.extend(v);
    }
    out
}

#[test]
fn object_and_bytes_give_the_same_report() {
    let mut compared = 0;
    for path in files() {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let Ok(from_bytes) = rdsr::parse_bytes(&bytes) else {
            continue;
        };
        // dicom-object reads the file (without its deflate feature it cannot read deflated
        // data sets; those are covered by the byte path alone).
        let Ok(object) = dicom_object::open_file(&path) else {
            eprintln!("dicom-object cannot open {}", path.display());
            continue;
        };
        let from_object = rdsr::DoseReport::try_from(&*object)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            serde_json::to_value(&from_object).expect("serialises"),
            serde_json::to_value(&from_bytes).expect("serialises"),
            "{}",
            path.display()
        );
        compared += 1;
    }
    println!("object entry point: {compared} reports identical to the byte path");
    assert!(compared >= 5, "only {compared} files compared");
}

#[test]
fn a_non_dose_object_is_not_a_dose_report() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/non_dose_sr.dcm");
    let object = dicom_object::open_file(&path).expect("dicom-object opens the fixture");
    let err = rdsr::DoseReport::try_from(&*object).expect_err("not a dose report");
    assert_eq!(err.kind(), rdsr::ErrorKind::NotADoseReport);
}
