//! Replays fuzz inputs on stable, under `cargo test`: every committed regression fixture in
//! `fuzz/regressions/<target>/`, the project's own fixtures (`testdata/**/*.dcm` through the
//! parse targets, `quirks/*.toml` through `quirk_table`), and, when it exists locally,
//! the fuzz corpus `fuzz/corpus/<target>/` (at most 5,000 files or 30 s; all of it with
//! `RDSR_FUZZ_REPLAY=all`).
//!
//! Each input goes through the same check as its fuzz target: `fuzz/src/checks.rs` and
//! `fuzz/src/differential.rs` are included here as modules, so this test and the fuzzers can
//! never drift apart. A check panics when a property fails; every panic is caught, counted and
//! reported with the file's name, and the test fails if there was any.

#[path = "../fuzz/src/checks.rs"]
mod checks;
#[path = "../fuzz/src/differential.rs"]
mod differential;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Caps on the local corpus replay (regression fixtures are never capped).
const MAX_CORPUS_FILES: usize = 5_000;
const MAX_CORPUS_TIME: Duration = Duration::from_secs(30);

/// Targets that read DICOM bytes: the project's fixtures are replayed through them.
const DICOM_TARGETS: &[&str] = &["parse_lenient", "parse_strict", "differential"];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Every file under `dir`, recursively, sorted (empty when `dir` does not exist).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n != ".gitkeep") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The sub-folders of `dir`, sorted.
fn folders(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

#[derive(Default)]
struct Replay {
    files: usize,
    panics: Vec<String>,
}

impl Replay {
    fn run(&mut self, target: &str, name: &str, bytes: &[u8]) {
        let check = checks::check_of(target).expect("a known target");
        self.files += 1;
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| check(bytes))) {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "(no message)".into());
            let first_line = message.lines().next().unwrap_or_default().to_string();
            self.panics.push(format!("{target}: {name}: {first_line}"));
        }
    }

    fn file(&mut self, target: &str, path: &Path) {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        self.bytes(target, path, &bytes);
    }

    /// A corpus file; a running fuzzer may remove it meanwhile (then it is not counted).
    fn corpus_file(&mut self, target: &str, path: &Path) -> bool {
        match std::fs::read(path) {
            Ok(bytes) => {
                self.bytes(target, path, &bytes);
                true
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => panic!("{}: {e}", path.display()),
        }
    }

    fn bytes(&mut self, target: &str, path: &Path, bytes: &[u8]) {
        let name = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(path)
            .display()
            .to_string();
        self.run(target, &name, bytes);
    }
}

fn target_name(folder: &Path) -> String {
    folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn fuzz_inputs_replay_without_panics() {
    // Silent for panics inside dicom-object (the differential check skips those inputs).
    differential::install_panic_filter();
    let started = Instant::now();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut replay = Replay::default();

    // 1. Committed regression fixtures: one folder per target, every file, no cap.
    let mut regressions = 0usize;
    for folder in folders(&fuzz_dir().join("regressions")) {
        let target = target_name(&folder);
        assert!(
            checks::check_of(&target).is_some(),
            "fuzz/regressions/{target}/ does not name a fuzz target (known: {:?})",
            checks::TARGETS.iter().map(|(n, _)| *n).collect::<Vec<_>>()
        );
        for path in files_under(&folder) {
            replay.file(&target, &path);
            regressions += 1;
        }
    }

    // 2. The project's fixtures, as the seed corpus gives them to the fuzzers.
    let mut dcm: Vec<PathBuf> = files_under(&root.join("testdata"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("dcm")))
        .collect();
    dcm.sort();
    assert!(!dcm.is_empty(), "no testdata/**/*.dcm to replay");
    for path in &dcm {
        for target in DICOM_TARGETS {
            replay.file(target, path);
        }
        // The assembly target reads two halves: the same report twice.
        let bytes = std::fs::read(path).expect("fixture readable");
        let twice = [bytes.as_slice(), bytes.as_slice()].concat();
        replay.run("assembly", &format!("{} twice", path.display()), &twice);
    }
    let quirk_files: Vec<PathBuf> = files_under(&root.join("quirks"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    for path in &quirk_files {
        replay.file("quirk_table", path);
    }
    let fixtures = replay.files - regressions;

    // 3. The local fuzz corpus, if any (git-ignored; absent in CI), capped unless
    // RDSR_FUZZ_REPLAY=all.
    let uncapped = std::env::var("RDSR_FUZZ_REPLAY").is_ok_and(|v| v == "all");
    let corpus_start = Instant::now();
    let mut corpus = 0usize;
    let mut capped = false;
    'corpus: for folder in folders(&fuzz_dir().join("corpus")) {
        let target = target_name(&folder);
        if checks::check_of(&target).is_none() {
            continue;
        }
        for path in files_under(&folder) {
            if !uncapped && (corpus >= MAX_CORPUS_FILES || corpus_start.elapsed() > MAX_CORPUS_TIME)
            {
                capped = true;
                break 'corpus;
            }
            if replay.corpus_file(&target, &path) {
                corpus += 1;
            }
        }
    }

    println!(
        "fuzz replay: {} files, {} panics ({regressions} regression fixtures, {fixtures} \
         project fixtures, {corpus} local corpus files{}; differential: {} inputs compared \
         with dicom-object, {} of them with their SR trees, {} dicom-object panics skipped), \
         {:.1} s",
        replay.files,
        replay.panics.len(),
        if capped { ", corpus capped" } else { "" },
        differential::compared(),
        differential::trees_compared(),
        differential::reference_panics(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        replay.panics.is_empty(),
        "{} fuzz inputs panic:\n{}",
        replay.panics.len(),
        replay.panics.join("\n")
    );
}
