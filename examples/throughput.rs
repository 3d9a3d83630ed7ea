//! Single-threaded throughput of `rdsr` against `dicom-object`, for closing notes.
//!
//! Loads the dose reports into memory once: the `kind = rdsr` files of
//! `../shared/corpus/MANIFEST.tsv` (skipped with a message when the corpus is absent) and every
//! `testdata/**/*.dcm` that `rdsr` reads as a dose report. Each workload then runs on one
//! thread over a whole set, pass after pass, until about `--secs` seconds (3 by default) have
//! elapsed:
//!
//! * `rdsr/read_document`: [`rdsr::read_document`] (load + SR content tree), then a walk of
//!   every item reading its concept, relationship, value type and value;
//! * `rdsr/parse_bytes`: [`rdsr::parse_bytes`] (load + tree + typed report);
//! * `dicom-object/open+walk`: `dicom_object::OpenFileOptions::from_reader` on the same
//!   in-memory bytes, then a recursive walk of the Content Sequence (0040,A730) reading each
//!   item's concept name code (value, scheme, meaning), relationship, value type and value
//!   element: the work the `rdsr` tree represents. Both walks are checked to visit the same
//!   number of content items.
//!
//! Sets: `corpus` and `testdata` hold the files all three workloads accept (the comparison);
//! when `dicom-object` cannot open some dose reports, `corpus-all` / `testdata-all` add them
//! and run the `rdsr` workloads only.
//!
//! Output: a table per set (passes, seconds, files/s, MB/s with MB = 10^6 bytes, ratio of
//! files/s to `dicom-object` on the same files, peak RSS), then the process peak RSS (VmHWM of
//! `/proc/self/status`). The per-workload peak RSS is shown where the kernel allows resetting
//! the high-water mark (`/proc/self/clear_refs`); it includes the loaded files.
//!
//! ```text
//! cargo run --release --example throughput
//! cargo run --release --example throughput -- --secs 0.5 --workload read_document --set corpus
//! ```
//!
//! `--workload` (`read_document`, `parse_bytes`, `dicom-object`; repeatable) and `--set`
//! (`corpus`, `testdata`; a prefix, so `corpus` also selects `corpus-all`) restrict the run,
//! e.g. under a profiler; `--secs` sets the duration per workload and set.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dicom_core::Tag;
use dicom_dictionary_std::tags;
use dicom_object::{InMemDicomObject, OpenFileOptions};

/// One file, in memory.
struct File {
    bytes: Vec<u8>,
    /// Content items, root included.
    items: usize,
}

/// A named set of files.
struct Set {
    name: String,
    files: Vec<File>,
    /// Some files are beyond `dicom-object`: no comparison on this set.
    rdsr_only: bool,
}

impl Set {
    fn bytes(&self) -> usize {
        self.files.iter().map(|f| f.bytes.len()).sum()
    }
}

const WORKLOADS: [&str; 3] = [
    "rdsr/read_document",
    "rdsr/parse_bytes",
    "dicom-object/open+walk",
];

fn main() {
    let mut secs = 3.0_f64;
    let mut only_workloads: Vec<String> = Vec::new();
    let mut only_set: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--secs" => {
                secs = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .filter(|s: &f64| *s > 0.0)
                    .unwrap_or_else(|| usage("--secs needs a positive number"));
            }
            "--workload" => only_workloads.push(
                args.next()
                    .unwrap_or_else(|| usage("--workload needs a name")),
            ),
            "--set" => only_set = Some(args.next().unwrap_or_else(|| usage("--set needs a name"))),
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let selected = |w: &str| {
        only_workloads.is_empty() || only_workloads.iter().any(|o| w.contains(o.as_str()))
    };

    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut sets = Vec::new();
    match corpus_files(&root.join("../shared/corpus")) {
        Some(files) => sets.extend(comparison_sets("corpus", files)),
        None => println!("SKIPPED corpus: ../shared/corpus/MANIFEST.tsv is absent"),
    }
    sets.extend(comparison_sets(
        "testdata",
        testdata_files(&root.join("testdata")),
    ));
    sets.retain(|s| {
        !s.files.is_empty() && only_set.as_deref().is_none_or(|o| s.name.starts_with(o))
    });

    let budget = Duration::from_secs_f64(secs);
    if let Some(kib) = read_status("VmRSS:") {
        println!(
            "resident after loading the files: {:.1} MiB",
            kib as f64 / 1024.0
        );
    }
    // The process peak so far (loading, checks); the resets below lower VmHWM, so the process
    // peak is the maximum of the readings taken before each reset.
    let mut process_peak = peak_rss_kib();
    let hwm_resettable = reset_peak_rss();
    println!(
        "\nsingle thread, ~{secs} s per workload; MB = 10^6 bytes; \
         ratio = files/s / dicom-object files/s on the same files\n"
    );
    for set in &sets {
        let items: usize = set.files.iter().map(|f| f.items).sum();
        println!(
            "set {}: {} files, {:.2} MB, {} content items{}",
            set.name,
            set.files.len(),
            set.bytes() as f64 / 1e6,
            items,
            if set.rdsr_only {
                " (dicom-object cannot open some: rdsr workloads only)"
            } else {
                ""
            }
        );

        let mut rows = Vec::new();
        for w in WORKLOADS
            .into_iter()
            .filter(|w| selected(w) && !(set.rdsr_only && w.starts_with("dicom")))
        {
            if hwm_resettable {
                reset_peak_rss();
            }
            let (passes, elapsed) = run(set, w, budget);
            let peak = if hwm_resettable { peak_rss_kib() } else { None };
            process_peak = process_peak.max(peak);
            rows.push((w, passes, elapsed, peak));
        }
        let files_per_s = |passes: u64, elapsed: Duration| {
            (passes * set.files.len() as u64) as f64 / elapsed.as_secs_f64()
        };
        let baseline = rows
            .iter()
            .find(|r| r.0 == "dicom-object/open+walk")
            .map(|r| files_per_s(r.1, r.2));
        println!(
            "{:<24} {:>7} {:>8} {:>11} {:>10} {:>9} {:>13}",
            "workload", "passes", "secs", "files/s", "MB/s", "ratio", "peak RSS MiB"
        );
        for (w, passes, elapsed, peak) in rows {
            let fps = files_per_s(passes, elapsed);
            let mbps = (passes as f64 * set.bytes() as f64) / elapsed.as_secs_f64() / 1e6;
            let ratio = baseline.map_or("-".into(), |b| format!("{:.2}x", fps / b));
            let peak = peak.map_or("-".into(), |k| format!("{:.1}", k as f64 / 1024.0));
            println!(
                "{w:<24} {passes:>7} {:>8.2} {fps:>11.0} {mbps:>10.1} {ratio:>9} {peak:>13}",
                elapsed.as_secs_f64()
            );
        }
        println!();
    }
    match process_peak.max(peak_rss_kib()) {
        Some(kib) => println!("process peak RSS (VmHWM): {:.1} MiB", kib as f64 / 1024.0),
        None => println!("process peak RSS: unavailable (no /proc/self/status)"),
    }
}

fn usage(msg: &str) -> ! {
    if !msg.is_empty() {
        eprintln!("error: {msg}");
    }
    eprintln!(
        "usage: throughput [--secs S] [--workload read_document|parse_bytes|dicom-object]... \
         [--set corpus|testdata]"
    );
    std::process::exit(if msg.is_empty() { 0 } else { 2 })
}

/// Runs workload `w` over the whole set until `budget` has elapsed; returns the passes made.
fn run(set: &Set, w: &str, budget: Duration) -> (u64, Duration) {
    let start = Instant::now();
    let mut passes = 0u64;
    loop {
        for f in &set.files {
            let n = match w {
                "rdsr/read_document" => rdsr_walk(&f.bytes).ok(),
                "rdsr/parse_bytes" => rdsr::parse_bytes(&f.bytes)
                    .ok()
                    .map(|r| black_box(r).irradiation_events),
                _ => dicom_walk(&f.bytes).ok(),
            };
            black_box(n);
        }
        passes += 1;
        let elapsed = start.elapsed();
        if elapsed >= budget {
            return (passes, elapsed);
        }
    }
}

/// `rdsr::read_document` plus a walk of every item; returns the number of items.
fn rdsr_walk(bytes: &[u8]) -> Result<usize, rdsr::Error> {
    let doc = rdsr::read_document(bytes)?;
    let mut n = 0;
    for item in doc.items() {
        black_box(item.concept());
        black_box(item.relationship());
        black_box(item.value_type());
        black_box(item.value());
        n += 1;
    }
    Ok(n)
}

/// `dicom-object` open from memory plus a walk of the content tree; returns the number of
/// content items (root included).
fn dicom_walk(bytes: &[u8]) -> Result<usize, dicom_object::ReadError> {
    let obj = OpenFileOptions::new().from_reader(bytes)?;
    Ok(visit(&obj))
}

fn visit(item: &InMemDicomObject) -> usize {
    code(item, tags::CONCEPT_NAME_CODE_SEQUENCE);
    text(item, tags::RELATIONSHIP_TYPE);
    let vt = item.get(tags::VALUE_TYPE).and_then(|e| e.to_str().ok());
    match vt.as_deref().map(str::trim) {
        Some("CONTAINER") => {
            text(item, tags::CONTINUITY_OF_CONTENT);
            if let Some(t) = first_item(item, tags::CONTENT_TEMPLATE_SEQUENCE) {
                text(t, tags::TEMPLATE_IDENTIFIER);
            }
        }
        Some("CODE") => code(item, tags::CONCEPT_CODE_SEQUENCE),
        Some("NUM") => {
            if let Some(m) = first_item(item, tags::MEASURED_VALUE_SEQUENCE) {
                text(m, tags::NUMERIC_VALUE);
                code(m, tags::MEASUREMENT_UNITS_CODE_SEQUENCE);
            }
            code(item, tags::NUMERIC_VALUE_QUALIFIER_CODE_SEQUENCE);
        }
        Some("TEXT") => text(item, tags::TEXT_VALUE),
        Some("DATETIME") => text(item, tags::DATE_TIME),
        Some("DATE") => text(item, tags::DATE),
        Some("TIME") => text(item, tags::TIME),
        Some("PNAME") => text(item, tags::PERSON_NAME),
        Some("UIDREF") => text(item, tags::UID),
        Some("IMAGE" | "COMPOSITE" | "WAVEFORM") => {
            if let Some(r) = first_item(item, tags::REFERENCED_SOP_SEQUENCE) {
                text(r, tags::REFERENCED_SOP_CLASS_UID);
                text(r, tags::REFERENCED_SOP_INSTANCE_UID);
                text(r, tags::REFERENCED_FRAME_NUMBER);
            }
        }
        Some("SCOORD" | "SCOORD3D") => {
            text(item, tags::GRAPHIC_TYPE);
            text(item, tags::REFERENCED_FRAME_OF_REFERENCE_UID);
            black_box(item.get(tags::GRAPHIC_DATA).map(|e| e.value()));
        }
        Some("TCOORD") => text(item, tags::TEMPORAL_RANGE_TYPE),
        _ => text(item, tags::REFERENCED_CONTENT_ITEM_IDENTIFIER),
    }
    let mut n = 1;
    if let Some(children) = item.get(tags::CONTENT_SEQUENCE).and_then(|e| e.items()) {
        for child in children {
            n += visit(child);
        }
    }
    n
}

fn first_item(obj: &InMemDicomObject, seq: Tag) -> Option<&InMemDicomObject> {
    obj.get(seq).and_then(|e| e.items()).and_then(|i| i.first())
}

fn text(obj: &InMemDicomObject, tag: Tag) {
    black_box(obj.get(tag).and_then(|e| e.to_str().ok()));
}

fn code(obj: &InMemDicomObject, seq: Tag) {
    if let Some(c) = first_item(obj, seq) {
        text(c, tags::CODE_VALUE);
        text(c, tags::CODING_SCHEME_DESIGNATOR);
        text(c, tags::CODE_MEANING);
    }
}

/// The `kind = rdsr` files of the corpus manifest, or `None` when the corpus is absent.
fn corpus_files(dir: &Path) -> Option<Vec<(String, Vec<u8>)>> {
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).ok()?;
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next()?.split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (rel, kind) = (col("relpath")?, col("kind")?);
    let mut files = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.get(kind) != Some(&"rdsr") {
            continue;
        }
        let Some(relpath) = f.get(rel) else { continue };
        match std::fs::read(dir.join(relpath)) {
            Ok(bytes) => files.push((relpath.to_string(), bytes)),
            Err(e) => println!("corpus: left out {relpath}: {e}"),
        }
    }
    Some(files)
}

/// Every `*.dcm` under `dir`, recursively, sorted by path.
fn testdata_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut paths = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("dcm")) {
                paths.push(p);
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let name = p.strip_prefix(dir).unwrap_or(&p).display().to_string();
            std::fs::read(&p).ok().map(|b| (name, b))
        })
        .collect()
}

/// Splits files into the set all three workloads accept (`name`) and, when `dicom-object`
/// rejects some dose reports, the set of every dose report (`name-all`, rdsr workloads only).
/// Files `rdsr` rejects (not dose reports, beyond limits) are left out with a message.
fn comparison_sets(name: &str, files: Vec<(String, Vec<u8>)>) -> Vec<Set> {
    let (mut common, mut all) = (Vec::new(), Vec::new());
    for (fname, bytes) in files {
        let items = match rdsr_walk(&bytes).and_then(|n| rdsr::parse_bytes(&bytes).map(|_| n)) {
            Ok(n) => n,
            Err(e) => {
                println!("{name}: left out {fname} (rdsr: {e})");
                continue;
            }
        };
        match dicom_walk(&bytes) {
            Ok(n) => {
                if n != items {
                    println!("{name}: {fname}: {items} items (rdsr), {n} (dicom-object walk)");
                }
                common.push(File {
                    bytes: bytes.clone(),
                    items,
                });
            }
            Err(e) => println!(
                "{name}: dicom-object cannot open {fname}: {}",
                error_chain(&e)
            ),
        }
        all.push(File { bytes, items });
    }
    let mut sets = Vec::new();
    let rdsr_only = common.len() < all.len();
    sets.push(Set {
        name: name.to_string(),
        files: common,
        rdsr_only: false,
    });
    if rdsr_only {
        sets.push(Set {
            name: format!("{name}-all"),
            files: all,
            rdsr_only: true,
        });
    }
    sets
}

/// An error and its sources, `: `-separated.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(c) = source {
        s.push_str(": ");
        s.push_str(&c.to_string());
        source = c.source();
    }
    s
}

/// Resets the peak RSS (writes 5 to `/proc/self/clear_refs`); whether that worked.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn peak_rss_kib() -> Option<u64> {
    read_status("VmHWM:")
}

/// A `kB` field of `/proc/self/status`.
fn read_status(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}
