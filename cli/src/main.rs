//! `rdsr`: the command-line tool for DICOM Radiation Dose Structured Reports.
//!
//! Exit codes: 0 when every file was read, 1 when at least one failed (each failure is one
//! line on stderr), 2 for usage errors (including a malformed `--quirks` file).

mod dump;
mod import;
mod inputs;
mod options;
mod parallel;
mod quirks;
mod report;
mod serve;
mod studies;
mod survey;
mod text;

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
    /// Print the SR content tree of each file, one line per content item, or with --report
    /// the typed dose report.
    ///
    /// Exit status: 0 when every file was read, 1 when some failed (each failure is reported
    /// on stderr as `rdsr: FILE: reason`), 2 for usage errors.
    Dump(DumpArgs),
    /// Assemble the given reports into studies (duplicates, cumulative and continued reports
    /// resolved) and print one record per study, sorted by Study Instance UID.
    ///
    /// Files that are not dose reports or cannot be read are reported on stderr as
    /// `rdsr: FILE: reason`; the others are still assembled. Exit status: 0 when every file
    /// was read, 1 when some failed, 2 for usage errors.
    Studies(StudiesArgs),
    /// Import dose reports into a store (SQLite), streamed and resumable: folders are
    /// walked recursively, `-` reads a file list from stdin, files already imported are
    /// skipped unread, reports are assembled into studies against the store.
    ///
    /// Every file seen gets an `import_log` row with its outcome or typed reason. A bad file
    /// never stops the run. Exit status: 0 when every file was handled (rejected files
    /// included), 1 when the run could not proceed (store unwritable), 2 for usage errors.
    Import(ImportArgs),
    /// Receive dose reports over the DICOM network (C-STORE SCP) into a store: each
    /// received object is spooled (synced) before it is acknowledged, then imported as
    /// `rdsr import` would. Stops on SIGTERM or SIGINT after answering the objects being
    /// received. One JSON line per association and per object on stderr. With --tls-cert
    /// and --tls-key, connections are accepted over TLS only.
    ///
    /// Exit status: 0 after a clean stop, 1 when the receiver could not start or run (port,
    /// spool, store), 2 for usage errors (an unreadable or invalid TLS file included).
    Serve(ServeArgs),
    /// The quirk table of known vendor defects: list it, or explain it for files.
    #[command(subcommand)]
    Quirks(QuirksCommand),
    /// Fluoroscopy high-dose alerts of a store: the flagged RF studies with the figures that
    /// fired (study totals, look-back sums per patient, the studies in the window); see
    /// docs/alerts.md.
    ///
    /// Exit status: 0 on success, 1 when the store cannot be read, 2 for usage errors.
    Alerts(AlertsArgs),
    /// Dose-survey exports of a store (XLSX or CSV, from the output's extension); see
    /// docs/exports.md.
    #[command(subcommand)]
    Export(ExportCommand),
}

#[derive(Debug, Subcommand)]
enum AlertsCommand {
    /// Recompute every RF study's alerts with the stored settings (and patient keys).
    Recompute(DbArgs),
    /// Print the alert settings, or change them (every study is then recomputed).
    Settings(AlertSettingsArgs),
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
struct AlertsArgs {
    #[command(subcommand)]
    action: Option<AlertsCommand>,

    /// The store: a SQLite file, or a PostgreSQL database as a `postgres://` URL.
    #[arg(long, value_name = "FILE|URL", default_value = "rdsr.sqlite")]
    db: PathBuf,

    /// Print JSON Lines, one object per study (see docs/alerts.md).
    #[arg(long)]
    json: bool,

    /// Only studies dated on or after DATE (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    since: Option<chrono::NaiveDate>,

    /// Every RF study, flagged or not.
    #[arg(long)]
    all: bool,

    #[command(flatten)]
    secret: SecretArgs,
}

/// The site secret of hashed patient keys.
#[derive(Debug, Args, Default)]
struct SecretArgs {
    /// Read the site secret (for hashed patient IDs) from FILE; the environment variable
    /// RDSR_SITE_SECRET is used otherwise. Never stored.
    #[arg(long, value_name = "FILE")]
    secret_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct DbArgs {
    /// The store: a SQLite file, or a PostgreSQL database as a `postgres://` URL.
    #[arg(long, value_name = "FILE|URL", default_value = "rdsr.sqlite")]
    db: PathBuf,

    #[command(flatten)]
    secret: SecretArgs,
}

#[derive(Debug, Args)]
struct AlertSettingsArgs {
    /// The store: a SQLite file, or a PostgreSQL database as a `postgres://` URL.
    #[arg(long, value_name = "FILE|URL", default_value = "rdsr.sqlite")]
    db: PathBuf,

    /// Alert level for the total DAP, Gy·m² (default 0.02, i.e. 20 000 cGy·cm²).
    #[arg(long, value_name = "GY_M2")]
    dap_gy_m2: Option<f64>,

    /// Alert level for the total dose at the reference point, Gy (default 2).
    #[arg(long, value_name = "GY")]
    dose_rp_gy: Option<f64>,

    /// Look-back window, weeks (default 12).
    #[arg(long, value_name = "N")]
    weeks: Option<u32>,

    /// Add the planes of a biplane study before comparing (default true).
    #[arg(long, value_name = "BOOL")]
    accumulate_planes: Option<bool>,

    /// Key patients by a keyed hash of Patient ID and issuer (needs the site secret).
    #[arg(long, value_name = "BOOL")]
    hash_patient_id: Option<bool>,

    #[command(flatten)]
    secret: SecretArgs,
}

#[derive(Debug, Subcommand)]
enum ExportCommand {
    /// The PHE 2019 national dose survey layouts.
    Phe2019(ExportArgs),
}

/// The PHE 2019 surveys.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum SurveyKind {
    /// CT (sheet "PHE CT 2019").
    Ct,
    /// Radiography (sheet "PHE DX 2019 Exam", or with --single-projection "PHE DX 2019
    /// Single Projection").
    Dx,
    /// Fluoroscopy and IR (sheet "PHE IR-Fluoro").
    Rf,
}

#[derive(Debug, Args)]
struct ExportArgs {
    /// The survey.
    #[arg(value_enum)]
    survey: SurveyKind,

    /// The store: a SQLite file, or a PostgreSQL database as a `postgres://` URL.
    #[arg(long, value_name = "FILE|URL", default_value = "rdsr.sqlite")]
    db: PathBuf,

    /// The output: FILE.xlsx or FILE.csv.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,

    /// First study date included (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    from: Option<chrono::NaiveDate>,

    /// Last study date included (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    to: Option<chrono::NaiveDate>,

    /// Only equipment whose manufacturer, model, station name or "manufacturer model"
    /// matches this case-insensitive glob.
    #[arg(long, value_name = "GLOB")]
    equipment: Option<String>,

    /// DX: the single-projection layout (first projection only) instead of the exam layout.
    #[arg(long)]
    single_projection: bool,
}

#[derive(Debug, Subcommand)]
enum QuirksCommand {
    /// List the effective quirk table (shipped entries, then those of --quirks directories),
    /// one row per entry.
    List(ListArgs),
    /// For each file: its device, and for each quirk entry whether it matched (or the match
    /// key that missed) and what its fix changed.
    ///
    /// Exit status: 0 when every file was read, 1 when some failed, 2 for usage errors.
    Explain(ExplainArgs),
}

// Arguments of `rdsr dump` (plain comments: clap shows the variant's doc as the help).
#[derive(Debug, Args)]
struct DumpArgs {
    /// Files to read; directories are searched recursively and every regular file in them is
    /// read, in sorted order.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// Print JSON Lines, one object per file read: {"file", "document", "diagnostics"}, or
    /// with --report {"file", "report"}.
    #[arg(long)]
    json: bool,

    /// Print the typed dose report (identity, study, equipment, accumulated totals, events,
    /// summary, applied quirks, diagnostics) instead of the content tree.
    #[arg(long)]
    report: bool,

    #[command(flatten)]
    jobs: JobsArgs,

    #[command(flatten)]
    limits: LimitArgs,

    #[command(flatten)]
    quirks: QuirkArgs,
}

#[derive(Debug, Args)]
struct StudiesArgs {
    /// Files to read; directories are searched recursively and every regular file in them is
    /// read.
    #[arg(
        value_name = "FILE",
        required_unless_present = "db",
        conflicts_with = "db"
    )]
    files: Vec<PathBuf>,

    /// List the studies of this store (written by `rdsr import`) instead of reading files: a
    /// SQLite file, or a `postgres://` / `postgresql://` URL.
    #[arg(long, value_name = "FILE|URL")]
    db: Option<PathBuf>,

    /// Print JSON Lines, one object per study (see docs/json.md).
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    jobs: JobsArgs,

    #[command(flatten)]
    limits: LimitArgs,

    #[command(flatten)]
    quirks: QuirkArgs,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// Files and folders to import (folders recursively); `-` reads paths from stdin, one a
    /// line.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,

    /// The store: a SQLite file (created when missing), or a PostgreSQL database given as a
    /// `postgres://user:password@host:port/db` (or `postgresql://`) URL, which many importers
    /// may write at once.
    #[arg(
        long,
        value_name = "FILE|URL",
        env = "RDSR_DATABASE_URL",
        default_value = "rdsr.sqlite"
    )]
    db: PathBuf,

    /// Parser threads (default: the number of CPUs).
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,

    /// Write the rejected and failed files as CSV (path, outcome, error_kind, message,
    /// content_path).
    #[arg(long, value_name = "FILE.csv")]
    failures: Option<PathBuf>,

    /// Write one JSON object per file handled (path, outcome, error_kind, message,
    /// content_path, sop_instance_uid) to FILE, or stdout with `-` (the summary then goes to
    /// stderr).
    #[arg(long, value_name = "FILE|-")]
    jsonl: Option<String>,

    #[command(flatten)]
    limits: LimitArgs,

    #[command(flatten)]
    quirks: QuirkArgs,
}

// Arguments of `rdsr serve`.
#[derive(Debug, Args)]
struct ServeArgs {
    /// The store: a SQLite file (created when absent), or a PostgreSQL database as a
    /// `postgres://` URL (then --spool is required).
    #[arg(long, value_name = "FILE|URL", default_value = "rdsr.sqlite")]
    db: PathBuf,

    /// Address to listen on (use 0.0.0.0 or :: to accept remote senders).
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
    host: String,

    /// TCP port (0: any free port; the `listening` line says which).
    #[arg(long, value_name = "N", default_value_t = 11112)]
    port: u16,

    /// This node's AE title.
    #[arg(long, value_name = "AE", default_value = "RDSR")]
    ae_title: String,

    /// Accept only this calling AE title, optionally only from HOST (repeatable). Without
    /// it, any caller is accepted.
    #[arg(long, value_name = "CALLING[@HOST]")]
    allow_ae: Vec<rdsr_serve::AllowEntry>,

    /// Associations served at once; more are rejected as busy.
    #[arg(long, short, value_name = "N", default_value_t = 32,
          value_parser = clap::value_parser!(u16).range(1..))]
    jobs: u16,

    /// Spool folder (default: the SQLite file's path followed by `.spool`).
    #[arg(long, value_name = "DIR")]
    spool: Option<PathBuf>,

    /// Largest PDU received, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 65_536,
          value_parser = clap::value_parser!(u32).range(4096..))]
    max_pdu: u32,

    /// Objects accepted per association.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    max_objects: u64,

    /// Data set bytes accepted per association; K, M and G suffixes are accepted.
    #[arg(long, value_name = "BYTES", default_value = "4G", value_parser = parse_size)]
    max_association_bytes: u64,

    /// Seconds without a PDU before an association is aborted.
    #[arg(long, value_name = "SECONDS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..))]
    idle_timeout: u64,

    /// Stop after the first association ends.
    #[arg(long)]
    once: bool,

    /// Accept connections over TLS only, with this certificate chain (PEM, the server's
    /// certificate first).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,

    /// The private key of --tls-cert (PEM: PKCS #8, PKCS #1 or SEC1).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,

    /// Require client certificates signed by a CA of this file (PEM): mutual TLS. Without
    /// it, any client may connect over TLS.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_ca: Option<PathBuf>,

    #[command(flatten)]
    limits: LimitArgs,

    #[command(flatten)]
    quirks: QuirkArgs,
}

#[derive(Debug, Args)]
struct ListArgs {
    /// Print JSON Lines, one object per entry.
    #[arg(long)]
    json: bool,

    /// Also print each entry's summary and the file it was read from.
    #[arg(long, short)]
    verbose: bool,

    #[command(flatten)]
    table: TableArgs,
}

#[derive(Debug, Args)]
struct ExplainArgs {
    /// Files to explain; directories are searched recursively.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// Print JSON Lines, one object per file.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    jobs: JobsArgs,

    #[command(flatten)]
    limits: LimitArgs,

    #[command(flatten)]
    quirks: QuirkArgs,
}

/// Worker threads, shared by the commands that read many files.
#[derive(Debug, Args)]
struct JobsArgs {
    /// Worker threads (default: the number of CPUs). Output is in input order whatever the
    /// number.
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
}

/// Resource limits, shared by the commands that read files.
#[derive(Debug, Args)]
struct LimitArgs {
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

/// Which quirk table is used.
#[derive(Debug, Args)]
struct TableArgs {
    /// Also load the quirk files (*.toml) of DIR, read at start-up (repeatable). A malformed
    /// file is a usage error naming the file and line.
    #[arg(long = "quirks", value_name = "DIR")]
    quirk_dirs: Vec<PathBuf>,

    /// Do not use the quirk table shipped with rdsr (only the --quirks directories).
    #[arg(long)]
    no_shipped_quirks: bool,
}

/// How the quirk table is applied.
#[derive(Debug, Args)]
struct QuirkArgs {
    #[command(flatten)]
    table: TableArgs,

    /// Turn off the quirk with this id (repeatable; `rdsr quirks list` shows the ids).
    #[arg(long, value_name = "ID")]
    disable_quirk: Vec<String>,

    /// Apply no quirk: each would-be fix becomes a diagnostic, and a defect that blocks
    /// reading (no template) an error.
    #[arg(long)]
    strict: bool,
}

impl QuirkArgs {
    /// Whether any quirk option differs from its default.
    fn any(&self) -> bool {
        self.strict
            || self.table.no_shipped_quirks
            || !self.table.quirk_dirs.is_empty()
            || !self.disable_quirk.is_empty()
    }
}

/// The deepest nesting `--max-depth` accepts: JSON output nests a few stack frames per level,
/// so the tool keeps the depth well inside the main thread's stack.
const MAX_DEPTH_CAP: i64 = 1024;

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
    match &cli.command {
        Command::Dump(DumpArgs { jobs, .. })
        | Command::Studies(StudiesArgs { jobs, .. })
        | Command::Quirks(QuirksCommand::Explain(ExplainArgs { jobs, .. })) => {
            parallel::set_jobs(jobs.jobs);
        }
        Command::Import(_)
        | Command::Serve(_)
        | Command::Alerts(_)
        | Command::Export(_)
        | Command::Quirks(QuirksCommand::List(_)) => {}
    }
    match cli.command {
        Command::Dump(args) => dump::run(&args),
        Command::Studies(args) => match &args.db {
            Some(db) => import::studies(&args, db),
            None => studies::run(&args),
        },
        Command::Import(args) => import::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Quirks(QuirksCommand::List(args)) => quirks::list(&args),
        Command::Quirks(QuirksCommand::Explain(args)) => quirks::explain(&args),
        Command::Alerts(args) => match &args.action {
            None => survey::list(&args),
            Some(AlertsCommand::Recompute(a)) => survey::recompute(&a.db, &a.secret),
            Some(AlertsCommand::Settings(a)) => survey::settings(a),
        },
        Command::Export(ExportCommand::Phe2019(args)) => survey::export(&args),
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
