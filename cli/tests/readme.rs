//! The README stays true: its Rust examples are compiled (the library's doc examples, or
//! the examples below, run by tests here), its quirk files parse, its set-up block is the two
//! commands, and CI runs the README's test command.

mod common;

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read_file(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The fenced blocks of a Markdown text whose info string is `lang`, without the fences.
fn fenced(markdown: &str, lang: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        match &mut current {
            None if trimmed.starts_with("```") => {
                let info = trimmed.trim_start_matches('`').trim();
                current = Some(if info == lang {
                    String::new()
                } else {
                    // A block in another language: skip it, marked by a NUL.
                    "\0".to_string()
                });
            }
            None => {}
            Some(block) if trimmed.starts_with("```") => {
                if !block.starts_with('\0') {
                    blocks.push(std::mem::take(block));
                }
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
        }
    }
    blocks
}

/// The doc examples of `src/lib.rs` (`//!` lines), as readers see them: hidden `# ` lines
/// removed.
fn lib_examples() -> Vec<String> {
    let docs: String = read_file("src/lib.rs")
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(|l| format!("{}\n", l.strip_prefix(' ').unwrap_or(l)))
        .collect();
    let mut examples = fenced(&docs, "no_run");
    examples.extend(fenced(&docs, "rust"));
    examples.extend(fenced(&docs, ""));
    examples
        .into_iter()
        .map(|e| {
            e.lines()
                .filter(|l| !(l.trim_start().starts_with("# ") || l.trim() == "#"))
                .map(|l| format!("{l}\n"))
                .collect()
        })
        .collect()
}

/// The examples of this file between `// README example` and `// README example end`
/// lines, de-indented as the README shows them.
fn own_examples() -> Vec<String> {
    let source = read_file("cli/tests/readme.rs");
    let mut examples = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in source.lines() {
        match (&mut current, line.trim()) {
            (None, "// README example") => current = Some(Vec::new()),
            (Some(lines), "// README example end") => {
                let indent = lines
                    .iter()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| l.len() - l.trim_start().len())
                    .min()
                    .unwrap_or(0);
                examples.push(
                    lines
                        .iter()
                        .map(|l| format!("{}\n", l.get(indent..).unwrap_or("")))
                        .collect(),
                );
                current = None;
            }
            (Some(lines), _) => lines.push(line),
            (None, _) => {}
        }
    }
    examples
}

#[test]
fn readme_rust_examples_are_compiled() {
    let readme = read_file("README.md");
    let rust = fenced(&readme, "rust");
    assert!(!rust.is_empty(), "the README has a library example");
    let mut examples = lib_examples();
    let own = own_examples();
    assert_eq!(own.len(), 2, "the examples of cli/tests/readme.rs");
    examples.extend(own);
    for block in &rust {
        assert!(
            examples.contains(block),
            "README example is not one of src/lib.rs's doc examples nor of cli/tests/readme.rs's \
             (keep them identical):\n{block}\nthey are:\n{}",
            examples.join("---\n")
        );
    }
}

/// Every quirk file the README shows parses, and selects a shipped fix or the README's own.
#[test]
fn readme_quirk_files_parse() {
    let readme = read_file("README.md");
    let files = fenced(&readme, "toml");
    assert_eq!(files.len(), 2, "the README's quirk file examples");
    let registry = rdsr::quirks::FixRegistry::shipped();
    let shipped: Vec<&str> = registry.names().collect();
    for text in &files {
        let table = rdsr::quirks::QuirkTable::parse("README.md", text)
            .unwrap_or_else(|e| panic!("README quirk file does not parse: {e}\n{text}"));
        let entry = &table.entries()[0];
        assert!(
            shipped.contains(&entry.fix.as_str()) || entry.fix == "scale-dap",
            "{}",
            entry.fix
        );
    }
}

// README example
use std::sync::Arc;

use rdsr::quirks::{Change, Fix, FixInput, Params};

/// Scales every event's dose area product by the entry's `factor`: for a unit that writes
/// µGy·m² under the Gy·m² unit code.
struct ScaleDap;

impl Fix for ScaleDap {
    fn repair(&self, input: &FixInput<'_>, report: &mut rdsr::DoseReport) -> Vec<Change> {
        let Some(Ok(factor)) = input.params.get("factor").map(|f| f.parse::<f64>()) else {
            return Vec::new();
        };
        let rdsr::ReportBody::Projection(projection) = &mut report.body else {
            return Vec::new();
        };
        let mut changes = Vec::new();
        for event in &mut projection.events {
            if let Some(dap) = event.dose_area_product_gy_m2 {
                event.dose_area_product_gy_m2 = Some(dap * factor);
                changes.push(
                    Change::new(
                        Some(event.path.clone()),
                        format!("DAP {dap}"),
                        format!("DAP {} Gy.m2", dap * factor),
                    )
                    .with_field("Dose Area Product (122130)"),
                );
            }
        }
        changes
    }

    fn check_params(&self, params: &Params) -> Result<(), String> {
        match params.get("factor").map(|f| f.parse::<f64>()) {
            Some(Ok(_)) => Ok(()),
            _ => Err("factor must be a number".to_string()),
        }
    }
}

fn read(path: &str, quirks: &str) -> Result<rdsr::DoseReport, Box<dyn std::error::Error>> {
    let options = rdsr::Options::new()
        .register_fix("scale-dap", Arc::new(ScaleDap))
        .quirk_dir(quirks)?;
    Ok(options.parse_file(path)?)
}
// README example end

fn quirk_dir_example() -> Result<rdsr::DoseReport, Box<dyn std::error::Error>> {
    // README example
    let options = rdsr::Options::new().quirk_dir("/etc/rdsr/quirks")?;
    let report = options.parse_file("dose.dcm")?;
    // README example end
    Ok(report)
}

/// The README's own fix, with the README's quirk file that selects it, on the projection
/// fixture: every event DAP scaled, each change recorded.
#[test]
fn readme_fix_example_works() {
    let readme = read_file("README.md");
    let toml = fenced(&readme, "toml")
        .into_iter()
        .find(|t| t.contains("name = \"scale-dap\""))
        .expect("the README's scale-dap quirk file");
    let dir = common::scratch("readme-fix");
    std::fs::write(dir.join("dap.toml"), toml).expect("write quirk file");
    let file = common::testdata().join("projection_minimal.dcm");
    let report = read(
        file.to_str().expect("UTF-8 path"),
        dir.to_str().expect("UTF-8 path"),
    );
    std::fs::remove_dir_all(&dir).expect("remove scratch directory");
    let report = report.expect("the example reads the fixture");
    let events = &report.projection().expect("a projection report").events;
    let daps: Vec<Option<f64>> = events.iter().map(|e| e.dose_area_product_gy_m2).collect();
    assert_eq!(daps, [Some(0.00123 * 1e-6), Some(0.00087 * 1e-6)]);
    let applied: Vec<(&str, Option<&str>, &str)> = report
        .applied_quirks
        .iter()
        .filter(|q| q.id == "local-fluoro-one-dap-in-ugy-m2")
        .flat_map(|q| q.changes.iter().map(move |c| (q.id.as_str(), c)))
        .map(|(id, c)| (id, c.path.as_deref(), c.before.as_str()))
        .collect();
    assert_eq!(
        applied,
        [
            (
                "local-fluoro-one-dap-in-ugy-m2",
                Some("1.11"),
                "DAP 0.00123"
            ),
            (
                "local-fluoro-one-dap-in-ugy-m2",
                Some("1.12"),
                "DAP 0.00087"
            ),
        ]
    );
    // A malformed factor is refused when the table is built.
    let dir = common::scratch("readme-fix-bad");
    let bad = fenced(&readme, "toml")
        .into_iter()
        .find(|t| t.contains("name = \"scale-dap\""))
        .expect("quirk file")
        .replace("\"1e-6\"", "\"tiny\"");
    std::fs::write(dir.join("dap.toml"), bad).expect("write quirk file");
    let err = read(
        file.to_str().expect("UTF-8 path"),
        dir.to_str().expect("UTF-8 path"),
    )
    .expect_err("bad factor");
    std::fs::remove_dir_all(&dir).expect("remove scratch directory");
    assert!(err.to_string().contains("factor must be a number"), "{err}");
}

#[test]
fn readme_quirk_dir_example_names_the_missing_folder() {
    // No /etc/rdsr/quirks here: the example fails there, with the folder's name.
    if Path::new("/etc/rdsr/quirks").exists() {
        eprintln!("SKIPPED: /etc/rdsr/quirks exists on this machine");
        return;
    }
    let err = quirk_dir_example().expect_err("no such folder");
    assert!(err.to_string().starts_with("/etc/rdsr/quirks:"), "{err}");
}

#[test]
fn readme_setup_is_two_commands() {
    let readme = read_file("README.md");
    let setup = readme.split("## Set-up").nth(1).expect("a Set-up section");
    let setup = setup.split("\n## ").next().unwrap_or(setup);
    let blocks = fenced(setup, "sh");
    assert_eq!(
        blocks,
        [
            "cargo run --release -p rdsr-cli -- import testdata --db rdsr.sqlite\ncargo test --workspace --all-features\n"
        ]
    );
}

#[test]
fn ci_runs_the_readme_test_command() {
    let ci = read_file(".ci/run");
    assert!(
        ci.lines()
            .any(|l| l.trim() == "cargo test --workspace --all-features"),
        ".ci/run must run the README's test command exactly"
    );
}

/// The set-up section names the fixtures the first command shows as rejected (checked by
/// `import_testdata_exits_0_and_lists_the_rejected_fixtures` in tests/import.rs), and says
/// the command exits 0.
#[test]
fn readme_setup_names_the_rejected_fixtures() {
    let readme = read_file("README.md");
    let setup = readme.split("## Set-up").nth(1).expect("a Set-up section");
    let setup = setup.split("\n## ").next().unwrap_or(setup);
    for name in common::EXPECTED_FAILURES {
        assert!(setup.contains(name), "the set-up section names {name}");
    }
    assert!(setup.contains("status 0"));
}
