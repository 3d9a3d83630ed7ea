//! The PostgreSQL import benchmark: a generated archive imported by 1, 2 and 4 importer
//! processes into one local PostgreSQL (a temporary cluster, see `rdsr_store::testing`),
//! beside one SQLite import of the same files. Each process imports one contiguous k-th of
//! the sorted file list (its share) with 2 parser threads; files/s and MB/s are for the whole archive, wall clock, and
//! the share of each importer's time spent in `Store::apply` (the database writes and study
//! assembly) says where the time goes.
//!
//! ```sh
//! cargo run --release -p rdsr-store --example bench_postgres -- [COUNT] [WORK_DIR]
//! ```
//!
//! COUNT defaults to 2,000 reports (the issue's figure is for 20,000).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use rdsr_store::testing::TempCluster;
use rdsr_store::{
    Arrival, FileRecord, ImportOptions, Input, Store, StoreError, StoreReader, import_inputs,
    open_store, rows, walk,
};

/// A store that counts the time spent applying batches.
struct Timed {
    inner: Box<dyn Store>,
    apply: Duration,
}

impl Store for Timed {
    fn schema_version(&self) -> Result<u32, StoreError> {
        self.inner.schema_version()
    }
    fn reader(&self) -> Result<Box<dyn StoreReader>, StoreError> {
        self.inner.reader()
    }
    fn apply(&mut self, batch: Vec<Arrival>) -> Result<Vec<FileRecord>, StoreError> {
        let start = Instant::now();
        let r = self.inner.apply(batch);
        self.apply += start.elapsed();
        r
    }
    fn log_unlistable(&mut self, path: &str, message: &str) -> Result<FileRecord, StoreError> {
        self.inner.log_unlistable(path, message)
    }
    fn studies(&self) -> Result<Vec<rows::StudyRow>, StoreError> {
        self.inner.studies()
    }
    fn canonical_dump(&self) -> Result<String, StoreError> {
        self.inner.canonical_dump()
    }
}

/// Child: imports the files listed in LIST into TARGET; prints "files bytes seconds apply_s".
fn child(list: &str, target: &str) -> ExitCode {
    let files: Vec<PathBuf> = match std::fs::read_to_string(list) {
        Ok(t) => t.lines().map(PathBuf::from).collect(),
        Err(e) => {
            eprintln!("{list}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut store = match open_store(target, None) {
        Ok(s) => Timed {
            inner: s,
            apply: Duration::ZERO,
        },
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let start = Instant::now();
    let options = ImportOptions::default().jobs(2);
    let inputs = files.into_iter().map(Input::File).collect::<Vec<_>>();
    match import_inputs(&mut store, inputs.into_iter(), &options, |_, _| {}) {
        Ok(s) => {
            println!(
                "{} {} {} {}",
                s.seen,
                s.bytes,
                start.elapsed().as_secs_f64(),
                store.apply.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn own_children_cpu_s() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| rdsr_store::testing::children_cpu_s(&s))
        .unwrap_or(f64::NAN)
}

/// Runs `k` importer processes over the shares of `files` into `target`; returns (files,
/// bytes, wall seconds, mean apply share, importers' CPU s).
fn run(
    files: &[PathBuf],
    k: usize,
    target: &str,
    work: &Path,
) -> Result<(f64, f64, f64, f64, f64), String> {
    let cpu_before = own_children_cpu_s();
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut children = Vec::new();
    let start = Instant::now();
    for share in 0..k {
        let list = work.join(format!("share-{k}-{share}.txt"));
        // Contiguous slices of the sorted list, as a site splits an archive by folder: the
        // reports of one study (kept together by the generator) mostly go to one importer.
        let per = files.len().div_ceil(k.max(1));
        let text: String = files
            .iter()
            .skip(share * per)
            .take(per)
            .map(|f| format!("{}\n", f.display()))
            .collect();
        std::fs::write(&list, text).map_err(|e| e.to_string())?;
        children.push(
            Command::new(&exe)
                .arg("--child")
                .arg(&list)
                .arg(target)
                .stdout(Stdio::piped())
                .spawn()
                .map_err(|e| e.to_string())?,
        );
    }
    let (mut n, mut bytes, mut share) = (0.0, 0.0, 0.0);
    for c in children {
        let out = c.wait_with_output().map_err(|e| e.to_string())?;
        let v: Vec<f64> = String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        let [f, b, s, a] = v.as_slice() else {
            return Err("an importer failed".to_string());
        };
        n += f;
        bytes += b;
        share += a / s.max(1e-9);
    }
    Ok((
        n,
        bytes,
        start.elapsed().as_secs_f64(),
        share / k as f64,
        own_children_cpu_s() - cpu_before,
    ))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, list, target] = args.as_slice() {
        if flag == "--child" {
            return child(list, target);
        }
    }
    let count: usize = args.first().and_then(|c| c.parse().ok()).unwrap_or(2000);
    let tmp = std::env::temp_dir().join(format!("rdsr-bench-pg-{}", std::process::id()));
    let work = args.get(1).map_or(tmp, PathBuf::from);
    let archive = work.join("archive");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut sources = vec![root.join("testdata")];
    let corpus = root.join("../shared/corpus/files");
    if corpus.is_dir() {
        sources.push(corpus);
    }
    let reports = rdsr_store::archive::dose_reports(&sources);
    if let Err(e) = rdsr_store::archive::generate(&reports, &archive, count) {
        eprintln!("{e}");
        return ExitCode::FAILURE;
    }
    let files: Vec<PathBuf> = walk([archive])
        .filter_map(|i| match i {
            Input::File(p) => Some(p),
            Input::Unlistable(..) => None,
        })
        .collect();
    let cluster = match TempCluster::start() {
        Ok(Some(c)) => c,
        Ok(None) => return ExitCode::FAILURE,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "{} files; {} CPUs; 2 parser threads per importer",
        files.len(),
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    println!(
        "backend     importers  files/s    MB/s   wall s  apply share  importer CPU s  server CPU s"
    );
    let sqlite = work.join("bench.sqlite");
    let _ = std::fs::remove_file(&sqlite);
    let mut runs = vec![("sqlite", 1, sqlite.to_string_lossy().into_owned())];
    for k in [1, 2, 4] {
        match cluster.create_database() {
            Ok(url) => runs.push(("postgres", k, url)),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        }
    }
    for (name, k, target) in runs {
        let server_before = cluster.server_cpu_s().unwrap_or(f64::NAN);
        let result = run(&files, k, &target, &work);
        // The server's CPU is that of its backends once they exit and are reaped: give the
        // postmaster a moment after the importers disconnect.
        std::thread::sleep(std::time::Duration::from_secs(2));
        match result {
            Ok((n, bytes, wall, share, cpu)) => println!(
                "{name:<10} {k:>10} {:>8.0} {:>7.1} {wall:>8.2} {:>11.0}% {cpu:>15.1} {:>13.1}",
                n / wall,
                bytes / 1e6 / wall,
                share * 100.0,
                if name == "postgres" {
                    cluster.server_cpu_s().unwrap_or(f64::NAN) - server_before
                } else {
                    0.0
                }
            ),
            Err(e) => {
                eprintln!("{name} x{k}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
