//! `rdsr dump`: the SR content tree of each file, for people or as JSON Lines.

use std::fmt;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use rdsr::sr::{Code, Document, Item, Value, ValueType};

use crate::DumpArgs;
use crate::inputs::read_bounded;
use crate::options::{self, usage_error};
use crate::report;
use crate::text::{Clean, Failure, for_each_file};

/// Runs the command: 0 when every file was read, 1 when some failed or output failed.
pub fn run(args: &DumpArgs) -> ExitCode {
    if !args.report && args.quirks.any() {
        usage_error(
            &["dump"],
            "--strict, --quirks, --disable-quirk and --no-shipped-quirks apply to the typed \
             report (the content tree is read without quirks): add --report",
        );
    }
    let options = options::build(&args.limits, &args.quirks, &["dump"]);
    for_each_file(&args.files, |path, out| {
        dump_file(path, &options, args, out)
    })
}

fn dump_file(
    path: &Path,
    options: &rdsr::Options,
    args: &DumpArgs,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let bytes = read_bounded(path, options, args.limits.max_input_size)?;
    if args.report {
        let report = options.parse_bytes(&bytes).map_err(|e| e.with_file(path))?;
        if args.json {
            report::write_json(out, path, &report)?;
        } else {
            report::write_human(out, path, &report)?;
        }
        return Ok(());
    }
    let doc = options
        .read_document(&bytes)
        .map_err(|e| e.with_file(path))?;
    if args.json {
        write_json(out, path, &doc)?;
    } else {
        write_human(out, path, &doc)?;
    }
    Ok(())
}

/// One JSON Lines record: `{"file": ..., "document": ..., "diagnostics": [...]}`.
fn write_json(out: &mut dyn Write, path: &Path, doc: &Document<'_>) -> io::Result<()> {
    out.write_all(b"{\"file\":")?;
    serde_json::to_writer(&mut *out, &path.to_string_lossy())?;
    out.write_all(b",\"document\":")?;
    serde_json::to_writer(&mut *out, doc)?;
    out.write_all(b",\"diagnostics\":")?;
    serde_json::to_writer(&mut *out, doc.diagnostics())?;
    out.write_all(b"}\n")
}

/// The human form: a header line, one line per content item, then the diagnostics.
fn write_human(out: &mut dyn Write, path: &Path, doc: &Document<'_>) -> io::Result<()> {
    let n = doc.len();
    writeln!(
        out,
        "== {}: SOP class {}, template {}, {n} item{}",
        Clean(&path.display().to_string()),
        Clean(doc.sop_class_uid().unwrap_or("-")),
        Clean(doc.template_id().unwrap_or("-")),
        if n == 1 { "" } else { "s" },
    )?;
    for item in doc.items() {
        writeln!(out, "{}", ItemLine(item))?;
    }
    for d in doc.diagnostics() {
        writeln!(out, "  ! {}", Clean(&d.to_string()))?;
    }
    Ok(())
}

/// `<indent><path>  <RELATIONSHIP> <concept meaning> = <value> [unit]`.
struct ItemLine<'d>(Item<'d>);

impl fmt::Display for ItemLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let item = self.0;
        for _ in 0..item.depth() {
            f.write_str("  ")?;
        }
        write!(f, "{} ", item.path())?;
        if let Some(r) = item.relationship() {
            write!(f, " {}", r.as_str())?;
        }
        match item.concept() {
            Some(c) if !c.meaning.trim().is_empty() => write!(f, " {}", Clean(c.meaning))?,
            Some(c) => write!(f, " {}", Clean(&c.to_string()))?,
            None if item.value_type() == ValueType::ByReference => {
                f.write_str(" (by reference)")?
            }
            None => f.write_str(" (no concept)")?,
        }
        f.write_str(" = ")?;
        write_value(f, item.value())
    }
}

fn write_value(f: &mut fmt::Formatter<'_>, value: Value<'_>) -> fmt::Result {
    match value {
        Value::Container { template, .. } => {
            f.write_str("CONTAINER")?;
            if let Some(t) = template.filter(|t| !t.is_empty()) {
                write!(f, " (TID {})", Clean(t))?;
            }
            Ok(())
        }
        Value::Code(Some(c)) => write_code(f, c),
        Value::Code(None) => f.write_str(EMPTY),
        Value::Num(n) => {
            match n.raw.map(str::trim).filter(|r| !r.is_empty()) {
                Some(raw) => write!(f, "{}", Clean(raw))?,
                None => f.write_str(EMPTY)?,
            }
            if let Some(q) = n.qualifier {
                f.write_str(" qualifier ")?;
                write_code(f, q)?;
            }
            if let Some(unit) = n.unit {
                write!(f, " [{}]", Clean(unit.value))?;
            }
            Ok(())
        }
        Value::Text(t)
        | Value::UidRef(t)
        | Value::DateTime(t)
        | Value::Date(t)
        | Value::Time(t)
        | Value::PName(t)
        | Value::ByReference(t) => match t.filter(|t| !t.trim().is_empty()) {
            Some(t) => write!(f, "{}", Clean(t)),
            None => f.write_str(EMPTY),
        },
        Value::Image(r) | Value::Composite(r) | Value::Waveform(r) => {
            write!(
                f,
                "{} (SOP class {})",
                Clean(r.sop_instance_uid.unwrap_or("-")),
                Clean(r.sop_class_uid.unwrap_or("-"))
            )?;
            if let Some(frames) = r.frames {
                write!(f, " frames {}", Clean(frames))?;
            }
            Ok(())
        }
        Value::SCoord(c) | Value::SCoord3D(c) => {
            write!(f, "{} (", Clean(c.graphic_type.unwrap_or("-")))?;
            for (i, v) in c.data().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{v}")?;
            }
            f.write_str(")")?;
            if let Some(frame) = c.frame_of_reference_uid {
                write!(f, " in {}", Clean(frame))?;
            }
            Ok(())
        }
        Value::TCoord { range_type } => write!(f, "{}", Clean(range_type.unwrap_or("-"))),
        Value::None => f.write_str("(no readable value)"),
        // Value kinds added to the library later.
        _ => f.write_str("(value not shown)"),
    }
}

const EMPTY: &str = "(empty)";

/// `meaning (value, scheme)`.
fn write_code(f: &mut fmt::Formatter<'_>, c: Code<'_>) -> fmt::Result {
    write!(
        f,
        "{} ({}, {})",
        Clean(c.meaning),
        Clean(c.value),
        Clean(c.scheme)
    )
}
