//! Writes the project's SR fixtures into `testdata/`.
//!
//! Run with `cargo run --features builder --example write_testdata`.
//! The output is deterministic: running it twice gives identical files.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    for (name, builder) in rdsr::builder::testdata::all() {
        let path = dir.join(name);
        match builder.write_file(&path) {
            Ok(()) => {
                let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                println!("wrote {} ({size} bytes)", path.display());
            }
            Err(e) => {
                eprintln!("cannot write {name}: {e}");
                let mut source = std::error::Error::source(&e);
                while let Some(s) = source {
                    eprintln!("  caused by: {s}");
                    source = s.source();
                }
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
