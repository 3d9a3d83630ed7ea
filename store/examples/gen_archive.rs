//! Writes a generated archive: copies of the reports of `testdata/` and, when present,
//! `../shared/corpus/files`, each copy with new UIDs (studies kept together).
//!
//! ```sh
//! cargo run --release -p rdsr-store --example gen_archive -- OUT_DIR 20000
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(out), Some(count)) = (args.next(), args.next().and_then(|n| n.parse().ok())) else {
        eprintln!("usage: gen_archive OUT_DIR COUNT");
        return ExitCode::from(2);
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut sources: Vec<PathBuf> = vec![root.join("testdata")];
    let corpus = root.join("../shared/corpus/files");
    if corpus.is_dir() {
        sources.push(corpus);
    }
    let reports = rdsr_store::archive::dose_reports(&sources);
    match rdsr_store::archive::generate(&reports, Path::new(&out), count) {
        Ok((n, bytes)) => {
            println!(
                "{n} files, {:.1} MB, from {} source reports",
                bytes as f64 / 1e6,
                reports.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_archive: {e}");
            ExitCode::FAILURE
        }
    }
}
