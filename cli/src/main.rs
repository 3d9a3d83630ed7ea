//! `rdsr`: the command-line tool for DICOM Radiation Dose Structured Reports.
//!
//! Exit codes: 0 when every file was read, 1 when at least one failed (each failure is one
//! line on stderr), 2 for usage errors.

mod dump;
mod inputs;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Read DICOM Radiation Dose Structured Reports (X-ray, fluoroscopy, mammography, CT).
#[derive(Debug, Parser)]
#[command(name = "rdsr", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the SR content tree of each file, one line per content item.
    ///
    /// Exit status: 0 when every file was read, 1 when some failed (each failure is reported
    /// on stderr as `rdsr: FILE: reason`), 2 for usage errors.
    Dump(DumpArgs),
}

// Arguments of `rdsr dump` (plain comments: clap shows the variant's doc as the help).
// `--report` is reserved for the typed report output and deliberately not defined yet.
#[derive(Debug, Args)]
struct DumpArgs {
    /// Files to read; directories are searched recursively and every regular file in them is
    /// read, in sorted order.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// Print JSON Lines, one object per file read: {"file", "document", "diagnostics"}.
    #[arg(long)]
    json: bool,

    /// Deepest SR content nesting accepted (the root's children are at depth 1).
    #[arg(
        long,
        value_name = "N",
        default_value_t = rdsr::DEFAULT_MAX_DEPTH,
        value_parser = clap::value_parser!(u32).range(1..=MAX_DEPTH_CAP)
    )]
    max_depth: u32,

    /// Most data elements (and so content items) accepted per file.
    #[arg(
        long,
        value_name = "N",
        default_value_t = rdsr::DEFAULT_MAX_ITEMS,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    max_items: u32,

    /// Largest input accepted per file (for deflated files: the inflated data set), in bytes;
    /// K, M and G suffixes (binary multiples) are accepted.
    #[arg(
        long,
        value_name = "BYTES",
        default_value_t = rdsr::DEFAULT_MAX_INPUT_SIZE,
        value_parser = parse_size
    )]
    max_input_size: u64,
}

/// The deepest nesting `--max-depth` accepts: JSON output nests a few stack frames per level,
/// so the tool keeps the depth well inside the main thread's stack.
const MAX_DEPTH_CAP: i64 = 1024;

impl DumpArgs {
    fn options(&self) -> rdsr::Options {
        rdsr::Options::new()
            .max_depth(self.max_depth)
            .max_items(self.max_items)
            .max_input_size(self.max_input_size)
    }
}

/// Parses a byte count: `1048576`, `1024K`, `64M`, `1G` (binary multiples; `KiB`, `MiB`,
/// `GiB` and a trailing `B` are accepted too).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, suffix) = t.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{s:?} is not a byte count (e.g. 1048576, 512K, 64M, 1G)"))?;
    let shift = match suffix.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => return Err(format!("unknown size suffix in {s:?} (use K, M or G)")),
    };
    number
        .checked_mul(1 << shift)
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("{s:?} is out of range"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Dump(args) => dump::run(&args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert!(parse_size("0").is_err());
        assert!(parse_size("M").is_err());
        assert!(parse_size("12T").is_err());
        assert!(parse_size("99999999999999999999").is_err());
        assert!(parse_size(&format!("{}G", u64::MAX)).is_err());
    }
}
