//! The README stays true: its Rust examples are the library's compiled doc examples, its
//! set-up block is the two commands, and CI runs the README's test command.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(rel: &str) -> String {
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
    let docs: String = read("src/lib.rs")
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

#[test]
fn readme_rust_examples_are_the_compiled_doc_examples() {
    let readme = read("README.md");
    let rust = fenced(&readme, "rust");
    assert!(!rust.is_empty(), "the README has a library example");
    let examples = lib_examples();
    for block in &rust {
        assert!(
            examples.contains(block),
            "README example is not one of src/lib.rs's doc examples (keep them identical):\n{block}\n\
             src/lib.rs has:\n{}",
            examples.join("---\n")
        );
    }
}

#[test]
fn readme_setup_is_two_commands() {
    let readme = read("README.md");
    let setup = readme.split("## Set-up").nth(1).expect("a Set-up section");
    let setup = setup.split("\n## ").next().unwrap_or(setup);
    let blocks = fenced(setup, "sh");
    assert_eq!(
        blocks,
        [
            "cargo run --release -p rdsr-cli -- dump testdata\ncargo test --workspace --all-features\n"
        ]
    );
}

#[test]
fn ci_runs_the_readme_test_command() {
    let ci = read(".ci/run");
    assert!(
        ci.lines()
            .any(|l| l.trim() == "cargo test --workspace --all-features"),
        ".ci/run must run the README's test command exactly"
    );
}
