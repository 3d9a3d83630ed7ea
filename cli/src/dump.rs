//! `rdsr dump`: the SR content tree of each file, for people or as JSON Lines.

use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use rdsr::sr::{Code, Document, Item, Value, ValueType};

use crate::DumpArgs;
use crate::inputs::{self, Input};

/// Why one file produced no output.
enum Failure {
    /// The file could not be read as a dose report (reported, then the next file is read).
    Read(rdsr::Error),
    /// Writing to stdout failed (the run stops).
    Output(io::Error),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Output(e)
    }
}

/// Runs the command: 0 when every file was read, 1 when some failed or output failed.
pub fn run(args: &DumpArgs) -> ExitCode {
    let options = args.options();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut failed = false;
    for input in inputs::expand(&args.files) {
        let result = match input {
            Input::File(path) => dump_file(&path, &options, args, &mut out),
            Input::Unlistable(path, e) => Err(Failure::Read(rdsr::Error::from_io(e, path))),
        };
        match result {
            Ok(()) => {}
            Err(Failure::Read(e)) => {
                failed = true;
                // Keep stdout and stderr in order on a terminal.
                if let Err(e) = out.flush() {
                    return output_failed(&e, failed);
                }
                // The error's Display starts with the file it is about.
                report(format_args!("{}", Clean(&e.to_string())));
            }
            Err(Failure::Output(e)) => return output_failed(&e, failed),
        }
    }
    if let Err(e) = out.flush() {
        return output_failed(&e, failed);
    }
    exit_code(failed)
}

fn exit_code(failed: bool) -> ExitCode {
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// A closed pipe (`rdsr dump ... | head`) ends the run quietly; other write errors are
/// reported.
fn output_failed(e: &io::Error, failed: bool) -> ExitCode {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return exit_code(failed);
    }
    report(format_args!("writing output: {e}"));
    ExitCode::FAILURE
}

/// One line on stderr, `rdsr: ...`; a closed stderr is ignored rather than a panic.
fn report(message: fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr().lock(), "rdsr: {message}");
}

fn dump_file(
    path: &Path,
    options: &rdsr::Options,
    args: &DumpArgs,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let bytes = read_bounded(path, options, args.max_input_size).map_err(Failure::Read)?;
    let doc = options
        .read_document(&bytes)
        .map_err(|e| Failure::Read(e.with_file(path)))?;
    if args.json {
        write_json(out, path, &doc)?;
    } else {
        write_human(out, path, &doc)?;
    }
    Ok(())
}

/// Reads a whole file, never more than `max + 1` bytes (the reader then reports the limit).
fn read_bounded(path: &Path, options: &rdsr::Options, max: u64) -> Result<Vec<u8>, rdsr::Error> {
    let io_error = |e| rdsr::Error::from_io(e, path);
    let file = File::open(path).map_err(io_error)?;
    let len = file.metadata().map_err(io_error)?.len();
    if len > max {
        // The library refuses such a file before reading it, with its own message (should
        // the file have shrunk meanwhile, it is read below).
        options.parse_file(path)?;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len.min(max)).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    Ok(bytes)
}

/// One JSON Lines record: `{"file": ..., "document": ..., "diagnostics": [...]}`.
fn write_json(out: &mut impl Write, path: &Path, doc: &Document<'_>) -> io::Result<()> {
    out.write_all(b"{\"file\":")?;
    serde_json::to_writer(&mut *out, &path.to_string_lossy())?;
    out.write_all(b",\"document\":")?;
    serde_json::to_writer(&mut *out, doc)?;
    out.write_all(b",\"diagnostics\":")?;
    serde_json::to_writer(&mut *out, doc.diagnostics())?;
    out.write_all(b"}\n")
}

/// The human form: a header line, one line per content item, then the diagnostics.
fn write_human(out: &mut impl Write, path: &Path, doc: &Document<'_>) -> io::Result<()> {
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

/// Text with control characters escaped (`\n`, `\u{1b}`), so that one item stays one line
/// and no escape sequence reaches the terminal.
struct Clean<'s>(&'s str);

impl fmt::Display for Clean<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(char::is_control) {
            f.write_str(&rest[..i])?;
            let c = rest[i..].chars().next().unwrap_or_default();
            write!(f, "{}", c.escape_default())?;
            rest = &rest[i + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::Clean;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(Clean("plain Müller").to_string(), "plain Müller");
        assert_eq!(
            Clean("a\nb\tc\u{1b}[31m").to_string(),
            "a\\nb\\tc\\u{1b}[31m"
        );
    }
}
