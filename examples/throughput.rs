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
//! e.g. under a profiler; `--secs` sets the duration per workload and set; `--passes N` runs
//! exactly N passes instead (for instruction counts under `valgrind --tool=callgrind`, which
//! do not depend on what else the machine is doing).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[path = "../benches/common/mod.rs"]
mod common;

use common::{Set, comparison_sets, corpus_files, dicom_walk, rdsr_walk, testdata_files};

const WORKLOADS: [&str; 3] = [
    "rdsr/read_document",
    "rdsr/parse_bytes",
    "dicom-object/open+walk",
];

fn main() {
    let mut secs = 3.0_f64;
    let mut only_workloads: Vec<String> = Vec::new();
    let mut only_set: Option<String> = None;
    let mut fixed_passes: Option<u64> = None;
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
            "--passes" => {
                fixed_passes = Some(
                    args.next()
                        .and_then(|s| s.parse().ok())
                        .filter(|n: &u64| *n > 0)
                        .unwrap_or_else(|| usage("--passes needs a positive integer")),
                );
            }
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
            let (passes, elapsed) = run(set, w, budget, fixed_passes);
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
        "usage: throughput [--secs S | --passes N] [--workload read_document|parse_bytes|dicom-object]... \
         [--set corpus|testdata]"
    );
    std::process::exit(if msg.is_empty() { 0 } else { 2 })
}

/// Runs workload `w` over the whole set until `budget` has elapsed (or exactly `fixed` passes);
/// returns the passes made.
fn run(set: &Set, w: &str, budget: Duration, fixed: Option<u64>) -> (u64, Duration) {
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
        if fixed.map_or(elapsed >= budget, |n| passes >= n) {
            return (passes, elapsed);
        }
    }
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
