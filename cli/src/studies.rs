//! `rdsr studies`: every given report read and encoded (on every core) and spooled, grouped
//! by study, into a temporary on-disk store; then the studies read back in Study Instance UID
//! order, each decoded, assembled with the library's `StudyAssembler` and printed on a worker
//! thread, written in order and dropped. Memory holds a window of studies (a few per
//! thread), never the whole input.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use rdsr::DoseReport;
use rdsr::study::{AssembledStudy, Role, StudyAssembler, StudyReport};
use rdsr_store::{EncodedStudy, StoreError, StudySpool};
use serde::Serialize;

use crate::StudiesArgs;
use crate::inputs::{self, Input};
use crate::options;
use crate::parallel;
use crate::report::{kind, summary_rows};
use crate::text::{self, Clean, exit_code, opt, output_failed, plural, report, report_error, rows};

/// The files each report of one study came from, by (Study Instance UID, SOP Instance UID):
/// the first file is the one assembled, later ones repeat its SOP Instance UID.
type Files = BTreeMap<(Option<String>, String), Vec<PathBuf>>;

fn spool_failed(e: &StoreError) -> ExitCode {
    report(format_args!("temporary store: {e}"));
    ExitCode::FAILURE
}

pub fn run(args: &StudiesArgs) -> ExitCode {
    let options = options::build(&args.limits, &args.quirks, &["studies"]);
    let mut spool = match StudySpool::new() {
        Ok(s) => s,
        Err(e) => return spool_failed(&e),
    };
    let mut failed = false;
    let mut spool_error = None;
    // Read and encoded on every core; spooled here in input order, so the output does not
    // depend on timing. At most a window of reports is held at once, never the input.
    parallel::ordered(
        inputs::expand(&args.files),
        |input| match input {
            Input::File(path) => {
                let report = options.parse_file(&path)?;
                let key = study_key(&report);
                let stored = rdsr_store::encode_report(&report);
                Ok((key, path, stored))
            }
            Input::Unlistable(path, e) => Err(rdsr::Error::from_io(e, path)),
        },
        |result: Result<Parsed, rdsr::Error>| {
            match result {
                Ok((key, path, stored)) => {
                    let pushed = stored.and_then(|stored| {
                        spool.push_encoded(&key, &path.to_string_lossy(), stored)
                    });
                    if let Err(e) = pushed {
                        spool_error = Some(e);
                        return false;
                    }
                }
                Err(e) => {
                    failed = true;
                    report_error(&e);
                }
            }
            true
        },
    );
    if let Some(e) = spool_error {
        return spool_failed(&e);
    }

    let studies = match spool.encoded_studies() {
        Ok(s) => s,
        Err(e) => return spool_failed(&e),
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let mut error = None;
    // Each study decoded, assembled and rendered on a worker; written here in key order.
    parallel::ordered(
        studies,
        |study| render(study, args.json),
        |rendered| match rendered.and_then(|buf| out.write_all(&buf).map_err(Stop::Output)) {
            Ok(()) => true,
            Err(e) => {
                error = Some(e);
                false
            }
        },
    );
    match error {
        Some(Stop::Spool(e)) => return spool_failed(&e),
        Some(Stop::Output(e)) => return output_failed(&e, failed),
        None => {}
    }
    if let Err(e) = out.flush() {
        return output_failed(&e, failed);
    }
    exit_code(failed)
}

/// A report read on a worker: its study key, its file, and its stored form.
type Parsed = (String, PathBuf, Result<Vec<u8>, StoreError>);

/// Why the output of the studies stopped.
enum Stop {
    Spool(StoreError),
    Output(io::Error),
}

/// One spooled study decoded, assembled and printed to a buffer.
fn render(study: Result<EncodedStudy, StoreError>, json: bool) -> Result<Vec<u8>, Stop> {
    let spooled = study.and_then(EncodedStudy::decode).map_err(Stop::Spool)?;
    let mut assembler = StudyAssembler::new();
    let mut files = Files::new();
    for (path, report) in spooled.reports {
        let key = (study_uid(&report), sop_uid(&report));
        files.entry(key).or_default().push(PathBuf::from(path));
        assembler.add(report);
    }
    let mut buf = Vec::new();
    for study in assembler.studies() {
        if json {
            write_json(&mut buf, &study, &files)
        } else {
            write_human(&mut buf, &study, &files)
        }
        .map_err(Stop::Output)?;
    }
    Ok(buf)
}

/// The key a report is spooled under: the key of its study in `StudyAssembler` (its Study
/// Instance UID; without one, a study of its own per SOP Instance UID), so that each spooled
/// group assembles into exactly one study and the groups come back in the assembler's order.
fn study_key(r: &DoseReport) -> String {
    match study_uid(r) {
        Some(uid) => uid,
        None => format!("(no study uid) {}", sop_uid(r)),
    }
}

fn study_uid(r: &DoseReport) -> Option<String> {
    r.study_instance_uid.clone().filter(|u| !u.is_empty())
}

fn sop_uid(r: &DoseReport) -> String {
    r.sop_instance_uid.clone().unwrap_or_default()
}

/// The files of one series of `study`.
fn files_of<'f>(files: &'f Files, study: &AssembledStudy, series: &StudyReport) -> &'f [PathBuf] {
    let sop = series.sop_instance_uid.clone();
    files
        .get(&(Some(study.study_instance_uid.clone()), sop.clone()))
        .or_else(|| files.get(&(None, sop)))
        .map_or(&[], Vec::as_slice)
}

/// The assembler's notes, then one per file that repeated a SOP Instance UID already read.
fn notes(study: &AssembledStudy, files: &Files) -> Vec<String> {
    let mut notes = study.notes.clone();
    for s in &study.series {
        if let [first, repeats @ ..] = files_of(files, study, s) {
            for r in repeats {
                notes.push(format!(
                    "{}: same SOP Instance UID as {}, not read again",
                    r.to_string_lossy(),
                    first.to_string_lossy()
                ));
            }
        }
    }
    notes
}

/// One `rdsr studies --json` record: `{"study": <rdsr::study::AssembledStudy>, "files": [...]}`,
/// the library's serialisation of the study untouched, and which files each report came from.
#[derive(Serialize)]
struct StudyRecord<'a> {
    study: &'a AssembledStudy,
    files: Vec<FilesRecord<'a>>,
}

/// The files one report (one series of the study) was read from, in argument order; the
/// first is the one assembled, the others repeated its SOP Instance UID.
#[derive(Serialize)]
struct FilesRecord<'a> {
    sop_instance_uid: &'a str,
    files: Vec<String>,
}

fn write_json(out: &mut dyn Write, study: &AssembledStudy, files: &Files) -> io::Result<()> {
    let record = StudyRecord {
        study,
        files: study
            .series
            .iter()
            .map(|s| FilesRecord {
                sop_instance_uid: &s.sop_instance_uid,
                files: files_of(files, study, s)
                    .iter()
                    .map(|p| p.to_string_lossy().into_owned())
                    .collect(),
            })
            .collect(),
    };
    text::json_line(out, &record)
}

fn role(s: &StudyReport) -> String {
    let by = opt(s.replaced_by.as_deref());
    match s.role {
        Role::Added => "added".to_string(),
        Role::Merged => "merged".to_string(),
        Role::Superseded => format!("superseded by {by}"),
        Role::Duplicate => format!("duplicate of {by}"),
        Role::Attached => "attached (kept whole beside the merged report)".to_string(),
        // Roles added to the library later.
        _ => format!("{:?}", s.role).to_lowercase(),
    }
}

fn write_human(out: &mut dyn Write, study: &AssembledStudy, files: &Files) -> io::Result<()> {
    let r = &study.report;
    writeln!(
        out,
        "== study {}: {}, {}",
        Clean(&study.study_instance_uid),
        kind(r),
        plural(study.number_of_events(), "event", "events")
    )?;
    let equipment = [
        r.equipment.manufacturer.as_deref(),
        r.equipment.manufacturer_model_name.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(|s| Clean(s.trim()).to_string())
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    rows(
        out,
        "  ",
        &[
            (
                "date",
                r.study.study_date.map_or("-".into(), |d| d.to_string()),
            ),
            ("accession", opt(r.study.accession_number.as_deref())),
            ("equipment", opt(Some(&equipment))),
            ("station", opt(r.equipment.station_name.as_deref())),
        ],
    )?;
    writeln!(out, "series")?;
    for s in &study.series {
        let names: Vec<String> = files_of(files, study, s)
            .iter()
            .map(|p| text::path(p))
            .collect();
        writeln!(
            out,
            "  {}  {}, {}  ({})",
            Clean(&s.sop_instance_uid),
            role(s),
            plural(s.number_of_events, "event", "events"),
            names.join(", ")
        )?;
    }
    writeln!(out, "summary")?;
    rows(out, "  ", &summary_rows(r, &study.summary))?;
    let notes = notes(study, files);
    if notes.is_empty() {
        return writeln!(out, "notes: none");
    }
    writeln!(out, "notes")?;
    for n in notes {
        writeln!(out, "  {}", Clean(&n))?;
    }
    Ok(())
}
