//! `rdsr import`: files and folders imported into a store, streamed, resumable; and
//! `rdsr studies --db`: the studies of a store.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use rdsr_store::{
    FileRecord, ImportOptions, Input, Outcome, Progress, import_inputs, is_postgres_url,
    open_store, walk,
};

use crate::text::Clean;
use crate::{ImportArgs, StudiesArgs, options};

/// Rejected or failed files listed in the closing summary (the rest are in `import_log`).
const LISTED: usize = 20;

/// The store as printed: a PostgreSQL URL without its password.
pub fn shown(target: &str) -> String {
    if !is_postgres_url(target) {
        return target.to_string();
    }
    let Some((scheme, rest)) = target.split_once("://") else {
        return target.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest.get(..authority_end).and_then(|a| a.rfind('@')) {
        Some(at) => {
            let user_info = rest.get(..at).unwrap_or_default();
            let user = user_info.split(':').next().unwrap_or_default();
            let hidden = if user_info.contains(':') { ":***" } else { "" };
            format!(
                "{scheme}://{user}{hidden}{}",
                rest.get(at..).unwrap_or_default()
            )
        }
        None => target.to_string(),
    }
}

/// Where JSON Lines records go.
enum Jsonl {
    None,
    Out(Box<dyn Write>),
}

fn fatal(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("rdsr import: {message}");
    ExitCode::FAILURE
}

fn roots(args: &ImportArgs) -> (Vec<PathBuf>, bool) {
    let stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    let roots = args
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    (roots, stdin)
}

/// The inputs: the path arguments walked, then (with `-`) one path a line from stdin.
fn inputs(roots: Vec<PathBuf>, stdin: bool) -> impl Iterator<Item = Input> + Send {
    let listed = stdin
        .then(|| {
            BufReader::new(io::stdin())
                .lines()
                .map_while(Result::ok)
                .filter(|l| !l.trim().is_empty())
                .map(PathBuf::from)
        })
        .into_iter()
        .flatten();
    walk(roots.into_iter().chain(listed))
}

/// Prints progress: a bar on a terminal, else a line every few seconds.
struct Reporter {
    bar: Option<ProgressBar>,
    last_line: Instant,
    quiet: bool,
}

impl Reporter {
    fn new(total: Option<u64>, quiet: bool) -> Reporter {
        let bar = (!quiet && io::stderr().is_terminal()).then(|| {
            let bar = total.map_or_else(ProgressBar::new_spinner, ProgressBar::new);
            let style = ProgressStyle::with_template(
                "{bar:30} {pos}/{len} files, {per_sec}, {msg}, ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Reporter {
            bar,
            last_line: Instant::now(),
            quiet,
        }
    }

    fn update(&mut self, p: &Progress) {
        let mb_s = p.bytes as f64 / 1e6 / p.elapsed_s.max(1e-9);
        if let Some(bar) = &self.bar {
            bar.set_position(p.seen);
            bar.set_message(format!("{mb_s:.1} MB/s, {} failed", p.failed()));
        } else if !self.quiet && self.last_line.elapsed() >= Duration::from_secs(2) {
            self.last_line = Instant::now();
            eprintln!(
                "rdsr import: {} files ({:.0} files/s, {mb_s:.1} MB/s), {} imported, {} failed",
                p.seen,
                p.seen as f64 / p.elapsed_s.max(1e-9),
                p.imported(),
                p.failed()
            );
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn run(args: &ImportArgs) -> ExitCode {
    let parse = options::build(&args.limits, &args.quirks, &["import"]);
    let target = args.db.to_string_lossy().into_owned();
    let mut store = match open_store(&target, Some(&parse)) {
        Ok(s) => s,
        Err(e) => return fatal(format_args!("{}: {e}", shown(&target))),
    };
    // Hashed patient keys of the alerts need the site secret at import (RDSR_SITE_SECRET).
    match crate::survey::site_secret(&crate::SecretArgs::default()) {
        Ok(Some(secret)) => {
            if let Err(e) = store.set_site_secret(&secret) {
                return fatal(format_args!("{}: {e}", shown(&target)));
            }
        }
        Ok(None) => {}
        Err(e) => return fatal(e),
    }
    let mut import_options = ImportOptions::new(parse);
    if let Some(jobs) = args.jobs {
        import_options = import_options.jobs(usize::from(jobs));
    }
    let mut failures = match &args.failures {
        None => None,
        Some(path) => match File::create(path) {
            Ok(f) => {
                let mut w = BufWriter::new(f);
                if writeln!(w, "path,outcome,error_kind,message,content_path").is_err() {
                    return fatal(format_args!("{}: cannot write", path.display()));
                }
                Some(w)
            }
            Err(e) => return fatal(format_args!("{}: {e}", path.display())),
        },
    };
    let mut jsonl = match args.jsonl.as_deref() {
        None => Jsonl::None,
        Some("-") => Jsonl::Out(Box::new(BufWriter::new(io::stdout()))),
        Some(path) => match File::create(path) {
            Ok(f) => Jsonl::Out(Box::new(BufWriter::new(f))),
            Err(e) => return fatal(format_args!("{path}: {e}")),
        },
    };
    let summary_to_stdout = args.jsonl.as_deref() != Some("-");
    let (roots, stdin) = roots(args);
    // The counting pass (a walk, no reads) gives the bar its length and ETA.
    let total = (!stdin && io::stderr().is_terminal())
        .then(|| u64::try_from(walk(roots.clone()).count()).unwrap_or(u64::MAX));
    let mut reporter = Reporter::new(total, false);
    let mut listed: Vec<FileRecord> = Vec::new();
    let mut unlisted = 0usize;
    let mut write_error = false;
    let result = import_inputs(
        store.as_store(),
        inputs(roots, stdin),
        &import_options,
        |p, records| {
            for r in records {
                if !r.outcome.is_report() {
                    if listed.len() < LISTED {
                        listed.push(r.clone());
                    } else {
                        unlisted += 1;
                    }
                    if let Some(w) = &mut failures {
                        let line = [
                            csv_field(&r.path),
                            r.outcome.name().to_string(),
                            csv_field(r.error_kind.as_deref().unwrap_or("")),
                            csv_field(r.message.as_deref().unwrap_or("")),
                            csv_field(r.content_path.as_deref().unwrap_or("")),
                        ]
                        .join(",");
                        write_error |= writeln!(w, "{line}").is_err();
                    }
                }
                if let Jsonl::Out(w) = &mut jsonl {
                    let line = serde_json::to_string(r).unwrap_or_default();
                    write_error |= writeln!(w, "{line}").is_err();
                }
            }
            reporter.update(p);
        },
    );
    reporter.finish();
    if let Some(w) = &mut failures {
        write_error |= w.flush().is_err();
    }
    if let Jsonl::Out(w) = &mut jsonl {
        write_error |= w.flush().is_err();
    }
    let summary = match result {
        Ok(s) => s,
        Err(e) => return fatal(e),
    };
    let studies = store.studies().map(|s| s.len()).unwrap_or(0);
    let text = summary_text(&summary, &listed, unlisted, studies, &shown(&target));
    let printed = if summary_to_stdout {
        io::stdout().write_all(text.as_bytes()).is_ok()
    } else {
        io::stderr().write_all(text.as_bytes()).is_ok()
    };
    if write_error || !printed {
        return fatal("output could not be written");
    }
    ExitCode::SUCCESS
}

fn summary_text(
    p: &Progress,
    listed: &[FileRecord],
    unlisted: usize,
    studies: usize,
    db: &str,
) -> String {
    let secs = p.elapsed_s.max(1e-9);
    let mut s = format!(
        "rdsr import: {} files seen in {:.1} s ({:.0} files/s, {:.1} MB/s), store {}\n",
        p.seen,
        p.elapsed_s,
        p.seen as f64 / secs,
        p.bytes as f64 / 1e6 / secs,
        db
    );
    let line = |s: &mut String, label: &str, n: u64, detail: String| {
        s.push_str(&format!("  {label:<19} {n:>7}{detail}\n"));
    };
    line(
        &mut s,
        "imported",
        p.imported(),
        format!(
            "  (new study {}, merged {}, superseding {}, absorbed {}, no study UID {})",
            p.count(Outcome::Added),
            p.count(Outcome::Merged),
            p.count(Outcome::Supersedes),
            p.count(Outcome::Absorbed),
            p.count(Outcome::NoStudyUid)
        ),
    );
    line(
        &mut s,
        "duplicate",
        p.count(Outcome::Duplicate),
        String::new(),
    );
    line(
        &mut s,
        "already imported",
        p.skipped,
        "  (unchanged since an earlier run: not read)".to_string(),
    );
    line(
        &mut s,
        "not DICOM",
        p.count(Outcome::NotDicom),
        String::new(),
    );
    line(
        &mut s,
        "not a dose report",
        p.count(Outcome::NotDoseReport),
        String::new(),
    );
    let kinds: Vec<String> = p
        .failed_by_kind
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    line(
        &mut s,
        "failed",
        p.failed(),
        if kinds.is_empty() {
            String::new()
        } else {
            format!("  ({})", kinds.join(", "))
        },
    );
    s.push_str(&format!("  {:<19} {studies:>7}\n", "studies in store"));
    if !listed.is_empty() {
        s.push_str("rejected files:\n");
        for r in listed {
            s.push_str(&format!(
                "  {}: {}\n",
                Clean(&r.path),
                Clean(r.message.as_deref().unwrap_or(r.outcome.name()))
            ));
        }
        if unlisted > 0 {
            s.push_str(&format!("  ... and {unlisted} more (see import_log)\n"));
        }
    }
    s
}

/// `rdsr studies --db FILE|URL`: the stored studies, as a table or JSON Lines.
pub fn studies(args: &StudiesArgs, db: &std::path::Path) -> ExitCode {
    let target = db.to_string_lossy().into_owned();
    if !is_postgres_url(&target) && !db.exists() {
        eprintln!("rdsr studies: {}: no such store", db.display());
        return ExitCode::from(2);
    }
    let store = match open_store(&target, None) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("rdsr studies: {}: {e}", shown(&target));
            return ExitCode::FAILURE;
        }
    };
    let rows = match store.studies() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("rdsr studies: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = BufWriter::new(io::stdout());
    let mut ok = true;
    for r in &rows {
        let line = if args.json {
            serde_json::to_string(r).unwrap_or_default()
        } else {
            let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_string());
            let num = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |v| format!("{v}"));
            let mut line = format!(
                "{}  {}  {}  {} {}  reports {}  events {}  DAP {} Gy·m²  DLP {} mGy·cm",
                Clean(&r.study_key),
                opt(&r.study_date),
                Clean(&opt(&r.modality)),
                Clean(&opt(&r.manufacturer)),
                Clean(&opt(&r.model_name)),
                r.number_of_reports,
                r.number_of_events,
                num(r.total_dap_gy_m2),
                num(r.total_dlp_mgy_cm)
            );
            // Radiopharmaceutical administrations, when the study has any.
            if let Some(n) = r.number_of_administrations {
                line.push_str(&format!(
                    "  administrations {n}  activity {} MBq  E {} mSv",
                    num(r.total_administered_activity_mbq),
                    num(r.total_radiopharmaceutical_effective_dose_msv)
                ));
            }
            line
        };
        ok &= writeln!(out, "{line}").is_ok();
    }
    ok &= out.flush().is_ok();
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn printed_postgres_url_hides_the_password() {
        assert_eq!(
            shown("postgres://rdsr:secret@db.example.org:5432/dose"),
            "postgres://rdsr:***@db.example.org:5432/dose"
        );
        assert_eq!(
            shown("postgresql://rdsr@localhost/dose"),
            "postgresql://rdsr@localhost/dose"
        );
        assert_eq!(shown("postgres:///dose"), "postgres:///dose");
        assert_eq!(shown("dose.sqlite"), "dose.sqlite");
    }
}
