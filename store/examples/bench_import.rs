//! The import benchmark: on generated archives of 2,000 (and with `--large`, 20,000) reports,
//! prints parse-only and import throughput at 1 and 2 jobs, peak RSS of each import, and
//! re-run throughput.
//!
//! ```sh
//! cargo run --release -p rdsr-store --example bench_import -- [--large] [WORK_DIR]
//! ```
//!
//! Each import runs in a child process (this program again) so that its peak RSS is its own.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use rdsr_store::{ImportOptions, Input, SqliteStore, import_paths, walk};

fn files(dir: &Path) -> Vec<PathBuf> {
    walk(vec![dir.to_path_buf()])
        .filter_map(|i| match i {
            Input::File(p) => Some(p),
            Input::Unlistable(..) => None,
        })
        .collect()
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// Child: import DIR into DB with JOBS threads; prints "files bytes seconds peak_rss_mib".
fn child(dir: &str, db: &str, jobs: usize) -> ExitCode {
    let mut store = match SqliteStore::open(db) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let start = Instant::now();
    let options = ImportOptions::default().jobs(jobs);
    match import_paths(&mut store, &[PathBuf::from(dir)], &options, |_, _| {}) {
        Ok(s) => {
            println!(
                "{} {} {} {}",
                s.seen,
                s.bytes,
                start.elapsed().as_secs_f64(),
                peak_rss_mib()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn run_child(dir: &Path, db: &Path, jobs: usize) -> Option<(f64, f64, f64, f64)> {
    let exe = std::env::current_exe().ok()?;
    let out = Command::new(exe)
        .arg("--child")
        .arg(dir)
        .arg(db)
        .arg(jobs.to_string())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Vec<f64> = text
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    Some((*v.first()?, *v.get(1)?, *v.get(2)?, *v.get(3)?))
}

fn parse_only(files: &[PathBuf], jobs: usize) -> (f64, f64) {
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(p) => p,
        Err(_) => return (f64::NAN, f64::NAN),
    };
    let bytes = AtomicU64::new(0);
    let start = Instant::now();
    pool.install(|| {
        files.par_iter().for_each(|p| {
            if let Ok(b) = std::fs::read(p) {
                bytes.fetch_add(b.len() as u64, Ordering::Relaxed);
                let _ = rdsr::parse_bytes(&b);
            }
        })
    });
    let s = start.elapsed().as_secs_f64();
    (
        files.len() as f64 / s,
        bytes.load(Ordering::Relaxed) as f64 / 1e6 / s,
    )
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        let (Some(dir), Some(db), Some(jobs)) = (args.get(1), args.get(2), args.get(3)) else {
            return ExitCode::from(2);
        };
        return child(dir, db, jobs.parse().unwrap_or(1));
    }
    let large = args.iter().any(|a| a == "--large");
    let work = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map_or_else(|| std::env::temp_dir().join("rdsr-bench"), PathBuf::from);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut sources = vec![root.join("testdata")];
    let corpus = root.join("../shared/corpus/files");
    if corpus.is_dir() {
        sources.push(corpus);
    }
    let reports = rdsr_store::archive::dose_reports(&sources);
    let sizes: &[usize] = if large { &[2_000, 20_000] } else { &[2_000] };
    println!("sources: {} dose reports", reports.len());
    for &n in sizes {
        let dir = work.join(format!("archive-{n}"));
        let _ = std::fs::remove_dir_all(&dir);
        let (count, bytes) = match rdsr_store::archive::generate(&reports, &dir, n) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        };
        println!("\n{count} files, {:.1} MB", bytes as f64 / 1e6);
        let list = files(&dir);
        for jobs in [1, 2] {
            let (fps, mbs) = parse_only(&list, jobs);
            println!("  parse only, --jobs {jobs}: {fps:8.0} files/s {mbs:7.1} MB/s");
        }
        for jobs in [1, 2] {
            let db = work.join(format!("store-{n}-{jobs}.sqlite"));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
            }
            match run_child(&dir, &db, jobs) {
                Some((files, bytes, secs, rss)) => println!(
                    "  import,     --jobs {jobs}: {:8.0} files/s {:7.1} MB/s  peak RSS {rss:.0} MiB",
                    files / secs,
                    bytes / 1e6 / secs
                ),
                None => println!("  import,     --jobs {jobs}: failed"),
            }
            if jobs == 2 {
                match run_child(&dir, &db, jobs) {
                    Some((files, _, secs, rss)) => println!(
                        "  re-run,     --jobs 2: {:8.0} files/s              peak RSS {rss:.0} MiB",
                        files / secs
                    ),
                    None => println!("  re-run: failed"),
                }
            }
        }
    }
    ExitCode::SUCCESS
}
