//! Helpers shared by the tool's end-to-end tests: the built binary, `testdata/`, and scratch
//! directories.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Files of `testdata/` that are not readable dose reports with default options.
pub const EXPECTED_FAILURES: &[&str] = &["non_dose_sr.dcm", "deep_nesting.dcm"];

pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .canonicalize()
        .expect("testdata/ exists (regenerate with `cargo run --example write_testdata`)")
}

/// Runs `rdsr ARGS` in `testdata/`.
pub fn rdsr(args: &[&str]) -> Output {
    rdsr_in(&testdata(), args)
}

/// Runs `rdsr ARGS` in `dir`.
pub fn rdsr_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rdsr"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run rdsr")
}

pub fn stdout(o: &Output) -> &str {
    std::str::from_utf8(&o.stdout).expect("stdout is UTF-8")
}

pub fn stderr(o: &Output) -> &str {
    std::str::from_utf8(&o.stderr).expect("stderr is UTF-8")
}

/// The JSON Lines of stdout, parsed.
pub fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// The `.dcm` files of `testdata/`, relative to it, sorted.
pub fn dcm_files() -> Vec<String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("list testdata") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, base, out);
            } else if path.extension().is_some_and(|e| e == "dcm") {
                let rel = path.strip_prefix(base).expect("below testdata");
                out.push(rel.to_str().expect("UTF-8 name").replace('\\', "/"));
            }
        }
    }
    let base = testdata();
    let mut files = Vec::new();
    walk(&base, &base, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no testdata/*.dcm files");
    files
}

pub fn is_expected_failure(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    EXPECTED_FAILURES.contains(&name)
}

pub fn good_files() -> Vec<String> {
    dcm_files()
        .into_iter()
        .filter(|f| !is_expected_failure(f))
        .collect()
}

/// `path` relative to `testdata/`, with `/` separators (for insta's glob callbacks).
pub fn relative_to_testdata(path: &Path) -> String {
    path.canonicalize()
        .expect("canonical path")
        .strip_prefix(testdata())
        .expect("below testdata")
        .to_str()
        .expect("UTF-8 name")
        .replace('\\', "/")
}

/// A fresh, empty scratch directory for one test (removed first if a previous run left it).
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rdsr-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch directory");
    dir
}

/// Re-indents one line of JSON (two spaces per level), keeping the key order and every
/// token as written.
pub fn pretty(json: &str) -> String {
    fn newline(out: &mut String, indent: usize) {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", indent));
    }
    let mut out = String::with_capacity(json.len() * 2);
    let mut indent = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let mut chars = json.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                match chars.peek() {
                    Some(&close @ ('}' | ']')) => {
                        out.push(close);
                        chars.next();
                    }
                    _ => {
                        indent += 1;
                        newline(&mut out, indent);
                    }
                }
            }
            '}' | ']' => {
                indent = indent.saturating_sub(1);
                newline(&mut out, indent);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, indent);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// The keys of a one-line JSON object, in the order written (a `serde_json::Value` would
/// sort them).
pub fn top_level_keys(json: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut chars = json.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => depth = depth.saturating_sub(1),
            '"' => {
                let mut s = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(e) = chars.next() {
                                s.push(e);
                            }
                        }
                        '"' => break,
                        c => s.push(c),
                    }
                }
                if depth == 1 && chars.peek() == Some(&':') {
                    keys.push(s);
                }
            }
            _ => {}
        }
    }
    keys
}
