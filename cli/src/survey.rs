//! `rdsr alerts` and `rdsr export`: thin layers over `rdsr_store::alerts` and
//! `rdsr_store::export`.

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use rdsr_store::alerts::{AlertQuery, AlertSettings, StudyAlert};
use rdsr_store::export::StudyFilter;
use rdsr_store::export::phe2019::{self, Survey};
use rdsr_store::{Registry, StoreError, is_postgres_url, open_store};

use crate::{AlertSettingsArgs, AlertsArgs, ExportArgs, SecretArgs, SurveyKind};

fn fatal(command: &str, message: impl std::fmt::Display) -> ExitCode {
    eprintln!("rdsr {command}: {message}");
    ExitCode::FAILURE
}

/// A progress bar on a terminal (same look as `rdsr import`), nothing otherwise.
fn bar(what: &'static str) -> impl FnMut(u64, u64) {
    let mut bar: Option<ProgressBar> = None;
    move |done, total| {
        if !io::stderr().is_terminal() {
            return;
        }
        let b = bar.get_or_insert_with(|| {
            let b = ProgressBar::new(total);
            let style = ProgressStyle::with_template(&format!(
                "{{bar:30}} {{pos}}/{{len}} {what}, {{per_sec}}, ETA {{eta}}"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            b.set_style(style);
            b.enable_steady_tick(Duration::from_millis(200));
            b
        });
        b.set_position(done);
        if done >= total {
            b.finish_and_clear();
        }
    }
}

/// The site secret: the file given, else the environment variable `RDSR_SITE_SECRET`
/// (trailing white space dropped); `None` when neither is set.
pub fn site_secret(secret: &SecretArgs) -> Result<Option<Vec<u8>>, StoreError> {
    let bytes = match (&secret.secret_file, std::env::var_os("RDSR_SITE_SECRET")) {
        (Some(path), _) => Some(std::fs::read(path).map_err(|source| StoreError::Io {
            path: path.clone(),
            source,
        })?),
        (None, Some(v)) => Some(v.to_string_lossy().as_bytes().to_vec()),
        (None, None) => None,
    };
    Ok(bytes.map(|mut bytes| {
        while bytes.last().is_some_and(|b| b.is_ascii_whitespace()) {
            bytes.pop();
        }
        bytes
    }))
}

/// Opens an existing store (a SQLite file or a PostgreSQL URL), giving it the site secret
/// when one is configured.
fn open(db: &Path, secret: &SecretArgs) -> Result<Box<dyn Registry>, StoreError> {
    let target = db.to_string_lossy().into_owned();
    if !is_postgres_url(&target) && !db.exists() {
        return Err(StoreError::Io {
            path: db.to_path_buf(),
            source: io::Error::new(io::ErrorKind::NotFound, "no such store"),
        });
    }
    let mut store = open_store(&target, None)?;
    if let Some(bytes) = site_secret(secret)? {
        store.set_site_secret(&bytes)?;
    }
    Ok(store)
}

fn opt(v: Option<f64>, unit: &str) -> String {
    v.map_or("-".to_string(), |v| format!("{v} {unit}"))
}

fn alert_line(a: &StudyAlert) -> String {
    let date = a.study_date.map_or("-".to_string(), |d| d.to_string());
    let flags: Vec<&str> = a.flags.iter().map(|f| f.name()).collect();
    let mut line = format!(
        "{date}  {}  patient {}  study DAP {}, dose RP {}",
        a.study_key,
        a.patient_key.as_deref().unwrap_or("-"),
        opt(a.study_dap_gy_m2, "Gy·m²"),
        opt(a.study_dose_rp_gy, "Gy"),
    );
    if let Some(from) = a.look_back_from {
        line.push_str(&format!(
            "  look-back since {from} ({} studies) DAP {}, dose RP {}",
            a.contributing_studies.len(),
            opt(a.look_back_dap_gy_m2, "Gy·m²"),
            opt(a.look_back_dose_rp_gy, "Gy"),
        ));
    }
    line.push_str(&format!("  flags: {}", flags.join(",")));
    line
}

fn settings_line(s: &AlertSettings) -> String {
    format!(
        "levels: DAP {} Gy·m², dose RP {} Gy; look-back {} weeks; planes {}; patient IDs {}",
        s.dap_level_gy_m2,
        s.dose_rp_level_gy,
        s.look_back_weeks,
        if s.accumulate_planes {
            "accumulated"
        } else {
            "compared one by one"
        },
        if s.hash_patient_id { "hashed" } else { "clear" },
    )
}

/// `rdsr alerts`: the flagged studies.
pub fn list(args: &AlertsArgs) -> ExitCode {
    let store = match open(&args.db, &args.secret) {
        Ok(s) => s,
        Err(e) => return fatal("alerts", e),
    };
    let state = match store.alert_state() {
        Ok(s) => s,
        Err(e) => return fatal("alerts", e),
    };
    let mut query = if args.all {
        AlertQuery::all()
    } else {
        AlertQuery::flagged()
    };
    if let Some(d) = args.since {
        query = query.since(d);
    }
    let alerts = match store.alerts(&query) {
        Ok(a) => a,
        Err(e) => return fatal("alerts", e),
    };
    let mut out = io::stdout().lock();
    let written = if args.json {
        alerts.iter().try_for_each(|a| {
            let line = serde_json::to_string(a).map_err(io::Error::other)?;
            writeln!(out, "{line}")
        })
    } else {
        writeln!(out, "{}", settings_line(&state.settings)).and_then(|()| {
            alerts
                .iter()
                .try_for_each(|a| writeln!(out, "{}", alert_line(a)))
        })
    };
    if state.stale {
        eprintln!(
            "rdsr alerts: some studies were imported without the site secret: run `rdsr alerts recompute` with it"
        );
    }
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fatal("alerts", e),
    }
}

/// `rdsr alerts recompute`.
pub fn recompute(db: &Path, secret: &SecretArgs) -> ExitCode {
    let mut store = match open(db, secret) {
        Ok(s) => s,
        Err(e) => return fatal("alerts recompute", e),
    };
    match store.recompute_alerts(&mut bar("patients")) {
        Ok(n) => {
            eprintln!("rdsr alerts recompute: {n} patients and patient-less studies evaluated");
            ExitCode::SUCCESS
        }
        Err(e) => fatal("alerts recompute", e),
    }
}

/// `rdsr alerts settings`: prints the settings, or changes them and recomputes.
pub fn settings(args: &AlertSettingsArgs) -> ExitCode {
    let mut store = match open(&args.db, &args.secret) {
        Ok(s) => s,
        Err(e) => return fatal("alerts settings", e),
    };
    let current = match store.alert_state() {
        Ok(s) => s.settings,
        Err(e) => return fatal("alerts settings", e),
    };
    let mut new = current.clone();
    if let Some(v) = args.dap_gy_m2 {
        new = new.with_dap_level_gy_m2(v);
    }
    if let Some(v) = args.dose_rp_gy {
        new = new.with_dose_rp_level_gy(v);
    }
    if let Some(v) = args.weeks {
        new = new.with_look_back_weeks(v);
    }
    if let Some(v) = args.accumulate_planes {
        new = new.with_accumulate_planes(v);
    }
    if let Some(v) = args.hash_patient_id {
        new = new.with_hash_patient_id(v);
    }
    if new != current {
        if let Err(e) = store.set_alert_settings(&new, &mut bar("patients")) {
            return fatal("alerts settings", e);
        }
    }
    println!("{}", settings_line(&new));
    ExitCode::SUCCESS
}

/// `rdsr export phe2019 ...`.
pub fn export(args: &ExportArgs) -> ExitCode {
    let store = match open(&args.db, &SecretArgs::default()) {
        Ok(s) => s,
        Err(e) => return fatal("export", e),
    };
    let survey = match args.survey {
        SurveyKind::Ct => Survey::Ct,
        SurveyKind::Dx if args.single_projection => Survey::DxSingleProjection,
        SurveyKind::Dx => Survey::DxExam,
        SurveyKind::Rf => Survey::Rf,
    };
    let mut filter = StudyFilter::new().dates(args.from, args.to);
    if let Some(glob) = &args.equipment {
        filter = match filter.equipment(glob) {
            Ok(f) => f,
            Err(e) => return fatal("export", e),
        };
    }
    match phe2019::export(&*store, survey, &filter, &args.out, &mut bar("studies")) {
        Ok(s) => {
            eprintln!(
                "rdsr export: {} rows written to {} (sheet \"{}\")",
                s.rows_written,
                args.out.display(),
                survey.sheet_name()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fatal("export", e),
    }
}
