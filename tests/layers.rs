//! The library's layers import downward only (docs: DESIGN.md, "Layers"):
//!
//! ```text
//! error <- load <- sr <- model <- template <- quirks <- parse <- batch <- lib
//!                          model <- study <- lib
//! ```
//!
//! This test reads every file under `src/`, finds the crate modules it names (`crate::x`,
//! `super::x`, `use x::` in `lib.rs`) outside comments and outside its `#[cfg(test)]` module,
//! and fails on a name that runs up the layers: a module may use itself and the layers
//! listed below it, nothing else. A `crate::Name` that is not a module goes through the
//! crate root's re-exports, i.e. through `lib`, the top layer, so code below `lib` names
//! the module that defines what it uses.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each top-level module of `src/` and the modules it may import (besides itself).
const LAYERS: &[(&str, &[&str])] = &[
    ("error", &[]),
    ("load", &["error"]),
    ("sr", &["error", "load"]),
    ("model", &["error", "load", "sr"]),
    ("study", &["error", "load", "sr", "model"]),
    ("template", &["error", "load", "sr", "model"]),
    ("quirks", &["error", "load", "sr", "model", "template"]),
    (
        "parse",
        &["error", "load", "sr", "model", "template", "quirks"],
    ),
    (
        "batch",
        &[
            "error", "load", "sr", "model", "template", "quirks", "parse",
        ],
    ),
    (
        "lib",
        &[
            "error", "load", "sr", "model", "study", "template", "quirks", "parse", "batch",
        ],
    ),
];

fn allowed(from: &str) -> &'static [&'static str] {
    LAYERS
        .iter()
        .find(|(m, _)| *m == from)
        .map(|(_, a)| *a)
        .unwrap_or_else(|| panic!("src/ module {from:?} is not in LAYERS; give it a layer"))
}

fn is_module(name: &str) -> bool {
    LAYERS.iter().any(|(m, _)| *m == name)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src/")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file belongs to (`lib` for `src/lib.rs`).
fn module_of(rel: &Path) -> String {
    let parts: Vec<_> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    match parts.as_slice() {
        [file] => file.trim_end_matches(".rs").to_string(),
        [dir, ..] => dir.clone(),
        [] => unreachable!(),
    }
}

/// The code of a file without comments and without its test module.
fn code_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    while let Some((n, line)) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(") && trimmed.contains("test") {
            let next = lines.peek().map(|(_, l)| l.trim_start()).unwrap_or("");
            if next.starts_with("mod ") && next.ends_with('{') && !line.starts_with(' ') {
                // A top-level test module runs to the end of the file.
                break;
            }
        }
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        out.push((n + 1, code.to_string()));
    }
    out
}

/// The crate modules a line names, as written after `crate::`.
fn crate_names(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        // `$crate::` in macros refers to the macro's crate root.
        let before = &rest[..i];
        let after = &rest[i + "crate::".len()..];
        rest = after;
        if before.ends_with('$') || before.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(list) = after.strip_prefix('{') {
            let end = list.find('}').unwrap_or(list.len());
            for part in list[..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    names.push(name);
                }
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.push(name);
        }
    }
    names
}

/// The layer a named path lands in: a module, or `lib` for a root re-export.
fn target_of(name: &str) -> String {
    if is_module(name) {
        name.to_string()
    } else {
        "lib".to_string()
    }
}

#[test]
fn imports_only_run_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(
        files.len() > 10,
        "found the sources under {}",
        src.display()
    );

    let mut violations = Vec::new();
    let mut seen_modules = BTreeSet::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        let from = module_of(rel);
        seen_modules.insert(from.clone());
        let ok = allowed(&from);
        let text = std::fs::read_to_string(file).expect("read source");
        // `super::` from a top-level module's own `mod.rs` names the crate root.
        let super_is_root = rel.components().count() == 2 && rel.ends_with("mod.rs");
        for (n, code) in code_lines(&text) {
            let mut targets: Vec<String> =
                crate_names(&code).iter().map(|s| target_of(s)).collect();
            if super_is_root && code.contains("super::") {
                for name in crate_names(&code.replace("super::", "crate::")) {
                    targets.push(target_of(&name));
                }
            }
            for to in targets {
                if to != from && !ok.contains(&to.as_str()) {
                    violations.push(format!(
                        "src/{}:{n}: `{from}` uses `{to}`: {}",
                        rel.display(),
                        code.trim()
                    ));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "imports that run up the layers (see LAYERS in tests/layers.rs):\n{}",
        violations.join("\n")
    );
    for (m, _) in LAYERS {
        assert!(
            seen_modules.contains(*m),
            "LAYERS names {m}, which src/ lacks"
        );
    }
}

#[test]
fn layer_table_has_no_cycle() {
    // Each module may only import modules listed before it.
    for (i, (m, below)) in LAYERS.iter().enumerate() {
        for b in *below {
            let j = LAYERS.iter().position(|(x, _)| x == b);
            assert!(
                j.is_some_and(|j| j < i),
                "{m} may import {b}, listed after it"
            );
        }
    }
}

#[test]
fn the_scanner_sees_upward_imports() {
    // The checker itself: a use of the crate root from a lower layer is a `lib` import.
    assert_eq!(crate_names("use crate::Options;"), ["Options"]);
    assert_eq!(target_of("Options"), "lib");
    assert_eq!(
        crate_names("use crate::{load::Dataset, sr};"),
        ["load", "sr"]
    );
    assert_eq!(crate_names("$crate::sr::codes"), Vec::<String>::new());
    let lines = code_lines(
        "use crate::sr; // crate::parse\n#[cfg(test)]\nmod tests {\nuse crate::parse;\n}\n",
    );
    assert_eq!(lines.len(), 1);
    assert_eq!(crate_names(&lines[0].1), ["sr"]);
}
