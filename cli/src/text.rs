//! Output helpers shared by the commands: safe text, numbers for people, stderr lines, exit
//! codes and the per-file run loop.

use std::fmt;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Mutex;

use crate::inputs::{self, Input};

/// Largest output buffer kept for reuse (a larger one is freed after its file), so the pool
/// holds at most `MAX_POOLED_BUFFERS` MiB whatever the reports.
const MAX_POOLED_BUFFER: usize = 1 << 20;
/// Most output buffers kept for reuse (the files in flight on two threads).
const MAX_POOLED_BUFFERS: usize = 16;

/// Why one file produced no output.
pub enum Failure {
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

impl From<rdsr::Error> for Failure {
    fn from(e: rdsr::Error) -> Self {
        Failure::Read(e)
    }
}

/// Runs `each` on every input on every core (rayon's global pool, see
/// [`crate::parallel::set_jobs`]), each writing its output to a buffer of its own, and writes
/// the buffers to a buffered stdout in input order, so the output does not depend on timing
/// or the number of threads. A file that fails is one line on stderr (after whatever it
/// wrote) and the run goes on; a write error ends it. 0 when every file was read, 1 when some
/// failed or output failed.
pub fn for_each_file(
    files: &[std::path::PathBuf],
    each: impl Fn(&Path, &mut Vec<u8>) -> Result<(), Failure> + Sync,
) -> ExitCode {
    let mut out = BufWriter::new(io::stdout().lock());
    let mut failed = false;
    let mut write_error = None;
    // Output buffers go back to the workers once written: a file's output is often hundreds
    // of kilobytes, and a new buffer for each would be grown (copied) and its pages faulted
    // in again every time, which on two threads cost as much as the parsing.
    let pool: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
    let take = || {
        pool.lock()
            .ok()
            .and_then(|mut p| p.pop())
            .unwrap_or_default()
    };
    let give_back = |mut buf: Vec<u8>| {
        if buf.capacity() <= MAX_POOLED_BUFFER {
            buf.clear();
            if let Ok(mut p) = pool.lock() {
                if p.len() < MAX_POOLED_BUFFERS {
                    p.push(buf);
                }
            }
        }
    };
    crate::parallel::ordered(
        inputs::expand(files),
        |input| {
            let mut buf = take();
            let result = match input {
                Input::File(path) => each(&path, &mut buf),
                Input::Unlistable(path, e) => Err(Failure::Read(rdsr::Error::from_io(e, path))),
            };
            (buf, result)
        },
        |(buf, result)| {
            let written = out.write_all(&buf);
            give_back(buf);
            if let Err(e) = written {
                write_error = Some(e);
                return false;
            }
            match result {
                Ok(()) => true,
                Err(Failure::Read(e)) => {
                    failed = true;
                    // Keep stdout and stderr in order on a terminal.
                    if let Err(e) = out.flush() {
                        write_error = Some(e);
                        return false;
                    }
                    report_error(&e);
                    true
                }
                Err(Failure::Output(e)) => {
                    write_error = Some(e);
                    false
                }
            }
        },
    );
    if let Some(e) = write_error {
        return output_failed(&e, failed);
    }
    if let Err(e) = out.flush() {
        return output_failed(&e, failed);
    }
    exit_code(failed)
}

/// `rdsr: FILE: reason: cause` (the error's Display starts with the file it is about; its
/// causes follow).
pub fn report_error(e: &rdsr::Error) {
    report(format_args!("{}", Clean(&Chain(e).to_string())));
}

/// An error and its chain of sources, `error: cause: cause of the cause`: the errors of the
/// library do not repeat their source in their own message.
pub struct Chain<'e>(pub &'e (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(e) = cause {
            write!(f, ": {e}")?;
            cause = e.source();
        }
        Ok(())
    }
}

pub fn exit_code(failed: bool) -> ExitCode {
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// A closed pipe (`rdsr dump ... | head`) ends the run quietly; other write errors are
/// reported.
pub fn output_failed(e: &io::Error, failed: bool) -> ExitCode {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return exit_code(failed);
    }
    report(format_args!("writing output: {e}"));
    ExitCode::FAILURE
}

/// One line on stderr, `rdsr: ...`; a closed stderr is ignored rather than a panic.
pub fn report(message: fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr().lock(), "rdsr: {message}");
}

/// One JSON value on one line.
pub fn json_line(out: &mut dyn Write, value: &impl serde::Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// Text with control characters escaped (`\n`, `\u{1b}`), so that one item stays one line
/// and no escape sequence reaches the terminal.
pub struct Clean<'s>(pub &'s str);

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

/// A path for people: lossy UTF-8, control characters escaped.
pub fn path(p: &Path) -> String {
    Clean(&p.display().to_string()).to_string()
}

/// Optional text for people: cleaned, `-` when absent or blank.
pub fn opt(s: Option<&str>) -> String {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Clean(s).to_string(),
        None => "-".to_string(),
    }
}

/// A number for people: at most 6 significant digits (no float noise such as
/// `2100.0000000000005`), no exponent, trailing zeros removed.
pub struct Num(pub f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        if !v.is_finite() {
            return write!(f, "{v}");
        }
        if v == 0.0 {
            return f.write_str("0");
        }
        let magnitude = v.abs().log10().floor();
        // 6 significant digits, at most 15 decimals; whole digits are never rounded away.
        let decimals = (5.0 - magnitude).clamp(0.0, 15.0) as usize;
        let s = format!("{v:.decimals$}");
        let s = if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.')
        } else {
            &s
        };
        f.write_str(if s == "-0" { "0" } else { s })
    }
}

/// `value unit`, or `-` when absent.
pub fn quantity(v: Option<f64>, unit: &str) -> String {
    match v {
        Some(v) => format!("{} {unit}", Num(v)),
        None => "-".to_string(),
    }
}

/// A count, or `-`.
pub fn count(v: Option<usize>) -> String {
    v.map_or_else(|| "-".to_string(), |n| n.to_string())
}

/// A code's meaning for people (its value when the meaning is blank), or `-`.
pub fn code(c: Option<&rdsr::sr::OwnedCode>) -> String {
    match c {
        Some(c) if !c.meaning.trim().is_empty() => Clean(c.meaning.trim()).to_string(),
        Some(c) => format!("({}, {})", Clean(&c.value), Clean(&c.scheme)),
        None => "-".to_string(),
    }
}

/// `n thing` or `n things`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The label column of [`rows`]: wide enough for `device observer`, so that the sections
/// of one record line up.
const LABEL_WIDTH: usize = 15;

/// Label/value rows, the labels padded to one column.
pub fn rows(out: &mut dyn Write, indent: &str, rows: &[(&str, String)]) -> io::Result<()> {
    let width = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        .max(LABEL_WIDTH);
    for (label, value) in rows {
        writeln!(out, "{indent}{label:<width$}  {value}")?;
    }
    Ok(())
}

/// One change a quirk made (or would make), as the report and `quirks explain` print it:
/// `    at PATH: BEFORE -> AFTER`.
pub fn change_line(out: &mut dyn Write, c: &rdsr::quirks::Change) -> io::Result<()> {
    writeln!(
        out,
        "    at {}: {} -> {}",
        Clean(c.path.as_deref().unwrap_or("(header)")),
        Clean(&c.before),
        Clean(&c.after)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(Clean("plain Müller").to_string(), "plain Müller");
        assert_eq!(
            Clean("a\nb\tc\u{1b}[31m").to_string(),
            "a\\nb\\tc\\u{1b}[31m"
        );
    }

    #[test]
    fn numbers_for_people() {
        assert_eq!(Num(0.0021 * 1e6).to_string(), "2100");
        assert_eq!(Num(0.00123).to_string(), "0.00123");
        assert_eq!(Num(1.23e-5).to_string(), "0.0000123");
        assert_eq!(Num(42.5).to_string(), "42.5");
        assert_eq!(Num(511.11).to_string(), "511.11");
        assert_eq!(Num(123_456_789.0).to_string(), "123456789");
        assert_eq!(Num(-12.5).to_string(), "-12.5");
        assert_eq!(Num(0.0).to_string(), "0");
        assert_eq!(Num(-1e-20).to_string(), "0");
        assert_eq!(Num(1.0 / 3.0).to_string(), "0.333333");
        assert_eq!(Num(f64::NAN).to_string(), "NaN");
    }
}
