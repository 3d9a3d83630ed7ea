//! Writes the project's SR fixtures into `testdata/`, and the quirk fixtures (one per entry of
//! `quirks/*.toml`) into `testdata/quirks/`.
//!
//! Run with `cargo run --example write_testdata`.
//! The output is deterministic: running it twice gives identical files.

use std::path::Path;
use std::process::ExitCode;

use rdsr_builder::ReportBuilder;

fn write_all(dir: &Path, fixtures: Vec<(String, ReportBuilder)>) -> Result<(), ExitCode> {
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return Err(ExitCode::FAILURE);
    }
    for (name, builder) in fixtures {
        let path = dir.join(&name);
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
                return Err(ExitCode::FAILURE);
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let fixtures = rdsr_builder::testdata::all()
        .into_iter()
        .map(|(name, builder)| (name.to_string(), builder))
        .collect();
    if let Err(code) = write_all(&dir, fixtures) {
        return code;
    }
    if let Err(code) = write_all(&dir.join("quirks"), rdsr_builder::testdata::quirks()) {
        return code;
    }
    ExitCode::SUCCESS
}
