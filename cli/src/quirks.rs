//! `rdsr quirks list` and `rdsr quirks explain`: the quirk table, and how it meets a file.

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use rdsr::quirks::{Device, Explanation, Glob, Match, QuirkEntry};
use serde::Serialize;

use crate::inputs::read_bounded;
use crate::options::{self, usage_error};
use crate::text::{self, Clean, Failure, for_each_file, opt, output_failed, plural, rows};
use crate::{ExplainArgs, ListArgs};

/// `rdsr quirks list`: one row per entry of the effective table, in table order.
pub fn list(args: &ListArgs) -> ExitCode {
    let options = options::with_table(rdsr::Options::new(), &args.table, &["quirks", "list"]);
    let table = match options.quirk_config().table() {
        Ok(t) => t,
        Err(e) => usage_error(
            &["quirks", "list"],
            format_args!("quirk table: {}", text::Chain(&e)),
        ),
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let written = if args.json {
        table
            .entries()
            .iter()
            .try_for_each(|e| text::json_line(&mut out, e))
    } else {
        write_list(&mut out, table.entries(), args.verbose)
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => output_failed(&e, false),
    }
}

fn write_list(out: &mut dyn Write, entries: &[QuirkEntry], verbose: bool) -> io::Result<()> {
    if entries.is_empty() {
        return writeln!(out, "no quirk entries");
    }
    let header = ["ID", "KIND", "MATCH", "FIX", "REFERENCE", "TESTDATA"].map(String::from);
    let table: Vec<[String; 6]> = entries
        .iter()
        .map(|e| {
            [
                Clean(&e.id).to_string(),
                e.kind.to_string(),
                match_keys(&e.matches),
                fix(e),
                Clean(&e.reference).to_string(),
                opt(e.testdata.as_deref()),
            ]
        })
        .collect();
    let mut widths = [0usize; 6];
    for row in std::iter::once(&header).chain(&table) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, row: &[String; 6]| -> io::Result<()> {
        let mut s = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            if i + 1 == row.len() {
                s.push_str(cell);
            } else {
                s.push_str(&format!("{cell:<w$}  "));
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(out, &header)?;
    for (row, e) in table.iter().zip(entries) {
        line(out, row)?;
        if verbose {
            writeln!(out, "    summary: {}", Clean(&e.summary))?;
            writeln!(out, "    file: {}", Clean(&e.source))?;
        }
    }
    Ok(())
}

/// `manufacturer=GE* model="OEC Elite MiniView*"`, or `any device`.
fn match_keys(m: &Match) -> String {
    if m.is_any() {
        return "any device".to_string();
    }
    let keys: [(&str, &Option<Glob>); 5] = [
        ("manufacturer", &m.manufacturer),
        ("model", &m.model),
        ("software_version", &m.software_version),
        ("sop_class", &m.sop_class),
        ("device_observer_uid", &m.device_observer_uid),
    ];
    keys.iter()
        .filter_map(|(k, g)| g.as_ref().map(|g| format!("{k}={}", bare(g.as_str()))))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `flag-items(concept="113738 113725", defect=empty-value)`, or the bare fix name.
fn fix(e: &QuirkEntry) -> String {
    if e.params.is_empty() {
        return Clean(&e.fix).to_string();
    }
    let params: Vec<String> = e
        .params
        .iter()
        .map(|(k, v)| format!("{}={}", Clean(k), bare(v)))
        .collect();
    format!("{}({})", Clean(&e.fix), params.join(", "))
}

/// A value as is when it is one plain word, else quoted.
fn bare(v: &str) -> String {
    let plain = !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "*?.-_:/".contains(c));
    if plain {
        v.to_string()
    } else {
        format!("{:?}", v)
    }
}

/// One `rdsr quirks explain --json` record.
#[derive(Serialize)]
struct ExplainRecord<'a> {
    file: &'a str,
    device: &'a Device,
    strict: bool,
    entries: Vec<EntryRecord<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    strict_error: Option<String>,
}

#[derive(Serialize)]
struct EntryRecord<'a> {
    id: &'a str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    miss: Option<MissRecord<'a>>,
    changes: &'a [rdsr::quirks::Change],
}

#[derive(Serialize)]
struct MissRecord<'a> {
    key: &'a str,
    pattern: &'a str,
    actual: Option<&'a str>,
}

fn status(x: &Explanation) -> &'static str {
    if x.disabled {
        "disabled"
    } else if x.miss.is_some() {
        "no_match"
    } else {
        "matched"
    }
}

/// `rdsr quirks explain`: each file's device and every entry's verdict.
pub fn explain(args: &ExplainArgs) -> ExitCode {
    let options = options::build(&args.limits, &args.quirks, &["quirks", "explain"]);
    for_each_file(&args.files, |path, out| {
        explain_file(path, &options, args, out)
    })
}

fn explain_file(
    path: &Path,
    options: &rdsr::Options,
    args: &ExplainArgs,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let bytes = read_bounded(path, options, args.limits.max_input_size)?;
    let with_file = |e: rdsr::Error| e.with_file(path);
    let doc = options.read_document(&bytes).map_err(with_file)?;
    let device = rdsr::quirks::device_of(&doc);
    let explanations = options.explain_quirks(&doc).map_err(with_file)?;
    // What strict mode makes of the file: a blocking defect is an error.
    let strict_error = if args.quirks.strict {
        rdsr::DoseReport::map(&doc, options)
            .err()
            .map(|e| text::Chain(&e).to_string())
    } else {
        None
    };
    if args.json {
        let record = ExplainRecord {
            file: &path.to_string_lossy(),
            device: &device,
            strict: args.quirks.strict,
            entries: explanations
                .iter()
                .map(|x| EntryRecord {
                    id: &x.entry.id,
                    status: status(x),
                    miss: x.miss.as_ref().map(|m| MissRecord {
                        key: m.key,
                        pattern: &m.pattern,
                        actual: m.actual.as_deref(),
                    }),
                    changes: &x.changes,
                })
                .collect(),
            strict_error,
        };
        text::json_line(out, &record)?;
        return Ok(());
    }
    write_explanation(
        out,
        path,
        &device,
        &explanations,
        args.quirks.strict,
        strict_error,
    )?;
    Ok(())
}

fn write_explanation(
    out: &mut dyn Write,
    path: &Path,
    device: &Device,
    explanations: &[Explanation],
    strict: bool,
    strict_error: Option<String>,
) -> io::Result<()> {
    writeln!(out, "== {}", text::path(path))?;
    writeln!(out, "device")?;
    rows(
        out,
        "  ",
        &[
            ("manufacturer", opt(device.manufacturer.as_deref())),
            ("model", opt(device.model.as_deref())),
            ("software", opt(device.software_version.as_deref())),
            ("SOP class", opt(device.sop_class.as_deref())),
            (
                "device observer",
                opt(device.device_observer_uid.as_deref()),
            ),
        ],
    )?;
    let matched = explanations
        .iter()
        .filter(|x| status(x) == "matched")
        .count();
    writeln!(
        out,
        "quirks ({}, {matched} matched{})",
        plural(explanations.len(), "entry", "entries"),
        if strict {
            "; strict mode: none applied"
        } else {
            ""
        }
    )?;
    let width = explanations
        .iter()
        .map(|x| x.entry.id.chars().count())
        .max()
        .unwrap_or(0);
    for x in explanations {
        let verdict = match (&x.miss, x.disabled) {
            (None, false) if strict => "matched (strict mode: not applied)".to_string(),
            (None, false) => "matched".to_string(),
            (None, true) => "disabled (matches this device)".to_string(),
            (Some(m), false) => format!("no match: {}", miss(m)),
            (Some(m), true) => format!("disabled (no match: {})", miss(m)),
        };
        writeln!(
            out,
            "  {:<width$}  {verdict}",
            Clean(&x.entry.id).to_string()
        )?;
        if status(x) != "matched" {
            continue;
        }
        if x.changes.is_empty() {
            writeln!(out, "    nothing to change")?;
        }
        for c in &x.changes {
            text::change_line(out, c)?;
        }
    }
    if let Some(e) = strict_error {
        writeln!(out, "strict mode: the report cannot be read: {}", Clean(&e))?;
    }
    Ok(())
}

/// `manufacturer "Canon*" vs "GE Healthcare"`, `(none)` when the device has no value.
fn miss(m: &rdsr::quirks::Miss) -> String {
    format!(
        "{} {} vs {}",
        m.key,
        quote(&m.pattern),
        m.actual.as_deref().map_or("(none)".to_string(), quote)
    )
}

fn quote(s: &str) -> String {
    format!("\"{}\"", Clean(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_words_and_quoted_values() {
        assert_eq!(bare("GE*"), "GE*");
        assert_eq!(
            bare("1.2.840.10008.5.1.4.1.1.88.67"),
            "1.2.840.10008.5.1.4.1.1.88.67"
        );
        assert_eq!(bare("OEC Elite MiniView*"), "\"OEC Elite MiniView*\"");
        assert_eq!(bare(""), "\"\"");
        assert_eq!(bare("a\"b"), "\"a\\\"b\"");
    }
}
