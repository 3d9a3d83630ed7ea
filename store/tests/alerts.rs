//! Fluoroscopy high-dose alerts on the store: the OpenREM oracle (spec section 6), order
//! independence (OpenREM B14), threshold changes, hashed patient keys.
//!
//! Each check takes the store as `&mut dyn AlertStore`, and each test a [`Backend`]: every
//! test runs on SQLite, and all of them on one temporary PostgreSQL cluster.

use std::path::{Path, PathBuf};

use rdsr::{DoseReport, ReportBody};
use rdsr_store::alerts::{AlertFlag, AlertQuery, AlertSettings, AlertStore, StudyAlert};
use rdsr_store::testing::Backend;
use rdsr_store::{import_paths, import_report};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn openrem_file(name: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/files/openrem-0.10.0")
        .join(name);
    if p.is_file() {
        Some(p)
    } else {
        eprintln!("corpus file {} not found: check skipped", p.display());
        None
    }
}

fn oracle() -> Option<serde_json::Value> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec/openrem-expected.json");
    let text = std::fs::read_to_string(&p).ok()?;
    serde_json::from_str(&text).ok()
}

fn by_date<'a>(alerts: &'a [StudyAlert], date: &str) -> &'a StudyAlert {
    let found = alerts
        .iter()
        .find(|a| a.study_date.map(|d| d.to_string()).as_deref() == Some(date));
    match found {
        Some(a) => a,
        None => panic!("no alert row for the study of {date}: {alerts:#?}"),
    }
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| ((a - b) * 1e7).round() == 0.0)
}

/// `test_rf_high_dose_alert.py`: the two Siemens Zee studies (2016-05-10 and 2016-05-12,
/// same patient), window 2 weeks. Expected look-back sums, exam counts and flags come from
/// the oracle file; `files` gives the import order (B14: both orders give the same result,
/// where OpenREM gets the reverse order wrong until a manual recalculation).
fn check_openrem_high_dose_alert_oracle(
    store: &mut dyn AlertStore,
    files: &[PathBuf],
    oracle: &serde_json::Value,
) -> TestResult {
    store.set_alert_settings(
        &AlertSettings::default().with_look_back_weeks(2),
        &mut |_, _| {},
    )?;
    for f in files {
        import_paths(
            store,
            std::slice::from_ref(f),
            &Default::default(),
            |_, _| {},
        )?;
    }
    let tests = oracle["tests"].as_array().cloned().unwrap_or_default();
    let mut checked = 0;
    for t in tests.iter().filter(|t| {
        t["id"]
            .as_str()
            .is_some_and(|id| id.contains("RFHighDoseAlert"))
    }) {
        let id = t["id"].as_str().unwrap_or_default();
        let mut levels = (0.02, 2.0);
        for step in t["steps"].as_array().cloned().unwrap_or_default() {
            if let Some(path) = step["path"].as_str() {
                let date = path
                    .strip_prefix("study(date ")
                    .and_then(|p| p.get(..10))
                    .unwrap_or_default();
                let expected = step["expected"].as_f64().unwrap_or(f64::NAN);
                let alerts = store.alerts(&AlertQuery::all())?;
                let a = by_date(&alerts, date);
                let got = if path.ends_with("dose_area_product_total_over_delta_weeks") {
                    a.look_back_dap_gy_m2
                } else {
                    a.look_back_dose_rp_gy
                };
                assert!(close(got, expected), "{id} {path}: {got:?} != {expected}");
                checked += 1;
            }
            if let Some(action) = step["action"].as_str() {
                // "set DAP alert level 30 cGy.cm2", "levels DAP 15 cGy.cm2 and RP 0.0025 Gy"
                let numbers: Vec<f64> = action
                    .split_whitespace()
                    .filter_map(|w| w.parse().ok())
                    .collect();
                if action.contains("DAP") && action.contains("RP") {
                    levels = (numbers[0] * 1e-6, numbers[1]);
                } else if action.contains("DAP") {
                    levels.0 = numbers[0] * 1e-6;
                } else {
                    levels.1 = numbers[0];
                }
                store.set_alert_settings(
                    &AlertSettings::default()
                        .with_look_back_weeks(2)
                        .with_dap_level_gy_m2(levels.0)
                        .with_dose_rp_level_gy(levels.1),
                    &mut |_, _| {},
                )?;
            }
            if let Some(flags) = step["flags_expected"].as_object() {
                let alerts = store.alerts(&AlertQuery::all())?;
                for (study, expected) in flags {
                    let a = by_date(&alerts, study.trim_start_matches("study "));
                    for (what, value) in expected.as_object().into_iter().flatten() {
                        if what == "studies in window" {
                            assert_eq!(
                                Some(a.contributing_studies.len() as u64),
                                value.as_u64(),
                                "{id} {study} {what}"
                            );
                        } else {
                            let flag = match (what.starts_with("total"), what.contains("DAP")) {
                                (true, true) => AlertFlag::StudyDap,
                                (true, false) => AlertFlag::StudyDoseRp,
                                (false, true) => AlertFlag::LookBackDap,
                                (false, false) => AlertFlag::LookBackDoseRp,
                            };
                            assert_eq!(
                                Some(a.flags.contains(&flag)),
                                value.as_bool(),
                                "{id} {study} {what}: {a:#?}"
                            );
                        }
                        checked += 1;
                    }
                }
            }
        }
        // Each oracle test starts from the default levels again.
        store.set_alert_settings(
            &AlertSettings::default().with_look_back_weeks(2),
            &mut |_, _| {},
        )?;
    }
    assert!(checked >= 20, "only {checked} oracle values checked");
    Ok(())
}

fn openrem_high_dose_alert_oracle_in_openrem_order(backend: &Backend) -> TestResult {
    let (Some(a), Some(b), Some(oracle)) = (
        openrem_file("RF-RDSR-Siemens-Zee_adjusted.dcm"),
        openrem_file("RF-RDSR-Siemens-Zee.dcm"),
        oracle(),
    ) else {
        return Ok(());
    };
    let mut store = backend.open(&backend.new_target("oracle")?)?;
    check_openrem_high_dose_alert_oracle(&mut *store, &[a, b], &oracle)
}

/// OpenREM B14: the later study imported first still gets the earlier one in its sum.
fn openrem_high_dose_alert_oracle_in_reverse_order_b14(backend: &Backend) -> TestResult {
    let (Some(a), Some(b), Some(oracle)) = (
        openrem_file("RF-RDSR-Siemens-Zee_adjusted.dcm"),
        openrem_file("RF-RDSR-Siemens-Zee.dcm"),
        oracle(),
    ) else {
        return Ok(());
    };
    let mut store = backend.open(&backend.new_target("reverse")?)?;
    check_openrem_high_dose_alert_oracle(&mut *store, &[b, a], &oracle)
}

/// A synthetic RF study made from the Siemens Zee report: its own study/SOP/event UIDs,
/// patient, date and plane totals.
fn synthetic(
    base: &DoseReport,
    n: usize,
    patient: Option<&str>,
    date: &str,
    planes: &[(f64, f64)],
) -> DoseReport {
    let mut r = base.clone();
    r.study_instance_uid = Some(format!("2.25.1000{n}"));
    r.sop_instance_uid = Some(format!("2.25.2000{n}"));
    r.patient.patient_id = patient.map(str::to_string);
    r.study.study_date = date.parse().ok();
    if let ReportBody::Projection(p) = &mut r.body {
        for (i, e) in p.events.iter_mut().enumerate() {
            e.irradiation_event_uid = Some(format!("2.25.3000{n}.{i}"));
        }
        let template = p.accumulated_planes.first().cloned();
        p.accumulated_planes.clear();
        let two = planes.len() == 2;
        for (k, (dap, rp)) in planes.iter().enumerate() {
            if let Some(mut plane) = template.clone() {
                if let (true, Some(c)) = (two, plane.acquisition_plane.as_mut()) {
                    (c.value, c.meaning) = if k == 0 {
                        ("113620".into(), "Plane A".into())
                    } else {
                        ("113621".into(), "Plane B".into())
                    };
                }
                if let Some(t) = plane.projection_totals.as_mut() {
                    t.dose_area_product_total_gy_m2 = Some(*dap);
                    t.dose_rp_total_gy = Some(*rp);
                }
                p.accumulated_planes.push(plane);
            }
        }
    }
    r
}

/// (patient, date, planes): three patients, a biplane study, a patient-less study, dates
/// on both sides of window edges (12 weeks = 84 days).
/// (patient, study date, (DAP Gy·m², dose RP Gy) per plane).
type Synthetic = (Option<&'static str>, &'static str, &'static [(f64, f64)]);

const STUDIES: [Synthetic; 10] = [
    (Some("P1"), "2020-01-01", &[(0.005, 0.5)]),
    (Some("P1"), "2020-03-25", &[(0.006, 0.6)]), // 84 days later: window edge, included
    (Some("P1"), "2020-03-26", &[(0.007, 0.7)]), // 85 days: 2020-01-01 left out
    (Some("P1"), "2020-03-26", &[(0.004, 0.2), (0.002, 0.2)]), // biplane, same day
    (Some("P2"), "2020-02-01", &[(0.015, 1.5)]),
    (Some("P2"), "2020-02-10", &[(0.006, 0.6)]),
    (Some("P3"), "2021-06-01", &[(0.025, 2.5)]),
    (None, "2020-02-01", &[(0.030, 3.0)]),
    (Some("P2"), "2019-12-01", &[(0.001, 0.1)]),
    (Some("P1"), "2019-10-08", &[(0.002, 0.2)]), // 84 days before 2020-01-01
];

fn reports() -> Option<Vec<DoseReport>> {
    let path = openrem_file("RF-RDSR-Siemens-Zee.dcm")?;
    let base = rdsr::parse_file(&path).ok()?;
    Some(
        STUDIES
            .iter()
            .enumerate()
            .map(|(i, (p, d, planes))| synthetic(&base, i, *p, d, planes))
            .collect(),
    )
}

fn import_all(store: &mut dyn AlertStore, reports: &[DoseReport]) -> TestResult {
    for (i, r) in reports.iter().enumerate() {
        import_report(store, &format!("r{i}"), r.clone())?;
    }
    Ok(())
}

/// The look-back sums of study `i` computed here, independently of the store.
fn expected_sums(i: usize) -> (f64, f64, usize) {
    let (p, d, _) = STUDIES[i];
    let date: chrono::NaiveDate = d.parse().unwrap_or_default();
    let from = date - chrono::Days::new(84);
    let mut sums = (0.0, 0.0, 0);
    for (q, e, planes) in STUDIES {
        let e: chrono::NaiveDate = e.parse().unwrap_or_default();
        if p.is_some() && q == p && e >= from && e <= date {
            sums.0 += planes.iter().map(|x| x.0).sum::<f64>();
            sums.1 += planes.iter().map(|x| x.1).sum::<f64>();
            sums.2 += 1;
        }
    }
    sums
}

fn check_sums(store: &dyn AlertStore) -> TestResult {
    let alerts = store.alerts(&AlertQuery::all())?;
    assert_eq!(alerts.len(), STUDIES.len());
    for (i, _) in STUDIES.iter().enumerate() {
        let key = format!("2.25.1000{i}");
        let a = alerts.iter().find(|a| a.study_key == key);
        let Some(a) = a else {
            panic!("no alert row for {key}")
        };
        let (dap, rp, n) = expected_sums(i);
        if STUDIES[i].0.is_none() {
            assert_eq!(a.look_back_dap_gy_m2, None);
            assert!(a.contributing_studies.is_empty());
        } else {
            assert!(
                (a.look_back_dap_gy_m2.unwrap_or(f64::NAN) - dap).abs() < 1e-12,
                "{key}: {a:?} {dap}"
            );
            assert!(
                (a.look_back_dose_rp_gy.unwrap_or(f64::NAN) - rp).abs() < 1e-12,
                "{key}"
            );
            assert_eq!(a.contributing_studies.len(), n, "{key}");
        }
    }
    Ok(())
}

/// A deterministic shuffle (xorshift).
fn shuffled<T>(mut v: Vec<T>, seed: u64) -> Vec<T> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for i in (1..v.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let j = usize::try_from(x % (i as u64 + 1)).unwrap_or(0);
        v.swap(i, j);
    }
    v
}

/// OpenREM B14: several import orders and runs split in two give the same alerts and
/// look-back sums, equal to sums computed in the test.
fn alerts_do_not_depend_on_import_order_b14(backend: &Backend) -> TestResult {
    let Some(reports) = reports() else {
        return Ok(());
    };
    let mut reference = None;
    for seed in 0..5u64 {
        let order = match seed {
            0 => reports.clone(),
            1 => reports.iter().rev().cloned().collect(),
            s => shuffled(reports.clone(), s),
        };
        let db = backend.new_target(&format!("s{seed}"))?;
        let (first, second) = order.split_at(order.len() / 2);
        {
            let mut store = backend.open(&db)?;
            import_all(&mut *store, first)?;
        }
        let mut store = backend.open(&db)?;
        import_all(&mut *store, second)?;
        check_sums(&*store)?;
        let alerts = store.alerts(&AlertQuery::all())?;
        match &reference {
            None => reference = Some(alerts),
            Some(r) => assert_eq!(&alerts, r, "order {seed}"),
        }
    }
    Ok(())
}

/// Changing the thresholds recomputes every study and equals a fresh import made with the
/// new settings.
fn check_threshold_change_equals_fresh_import(
    changed: &mut dyn AlertStore,
    fresh: &mut dyn AlertStore,
    reports: &[DoseReport],
) -> TestResult {
    import_all(changed, reports)?;
    let before = changed.alerts(&AlertQuery::flagged())?;
    let settings = AlertSettings::default()
        .with_dap_level_gy_m2(0.012)
        .with_dose_rp_level_gy(1.0)
        .with_look_back_weeks(4)
        .with_accumulate_planes(false);
    let mut calls = 0;
    changed.set_alert_settings(&settings, &mut |_, _| calls += 1)?;
    assert!(calls > 0, "progress reported");
    fresh.set_alert_settings(&settings, &mut |_, _| {})?;
    import_all(fresh, reports)?;
    let after = changed.alerts(&AlertQuery::all())?;
    assert_eq!(after, fresh.alerts(&AlertQuery::all())?);
    assert_ne!(before, changed.alerts(&AlertQuery::flagged())?);
    assert_eq!(changed.alert_state()?.settings, settings);
    // Per-plane comparison: the biplane study (0.004 + 0.003) is compared plane by plane.
    let bi = after.iter().find(|a| a.study_key == "2.25.10003");
    assert_eq!(bi.and_then(|a| a.study_dap_gy_m2), Some(0.004));
    // The 0.015 Gy·m² study of P2 fires its own DAP check at 0.012.
    let p2 = after.iter().find(|a| a.study_key == "2.25.10004");
    assert!(p2.is_some_and(|a| a.flags.contains(&AlertFlag::StudyDap)));
    Ok(())
}

fn threshold_change_recomputes_and_equals_fresh_import(backend: &Backend) -> TestResult {
    let Some(reports) = reports() else {
        return Ok(());
    };
    let mut a = backend.open(&backend.new_target("a")?)?;
    let mut b = backend.open(&backend.new_target("b")?)?;
    check_threshold_change_equals_fresh_import(&mut *a, &mut *b, &reports)
}

/// With `hash_patient_id`, patient keys are keyed hashes (no ID stored in the alert tables)
/// and the sums are those of clear keys.
fn check_hashed_patient_keys(store: &mut dyn AlertStore, reports: &[DoseReport]) -> TestResult {
    store.set_site_secret(b"site secret")?;
    store.set_alert_settings(
        &AlertSettings::default().with_hash_patient_id(true),
        &mut |_, _| {},
    )?;
    import_all(store, reports)?;
    check_sums(store)?;
    for a in store.alerts(&AlertQuery::all())? {
        if let Some(k) = &a.patient_key {
            assert!(k.starts_with("hmac-sha256:") && !k.contains("P1"), "{k}");
        }
    }
    assert!(store.set_site_secret(b"another secret").is_err());
    Ok(())
}

fn hashed_patient_keys_give_the_same_sums(backend: &Backend) -> TestResult {
    let Some(reports) = reports() else {
        return Ok(());
    };
    let db = backend.new_target("hashed")?;
    let mut store = backend.open(&db)?;
    check_hashed_patient_keys(&mut *store, &reports)?;
    // Reopened without the secret: a new study cannot be keyed, the alerts are stale until a
    // recomputation with the secret.
    drop(store);
    let mut store = backend.open(&db)?;
    let extra = reports.first().map(|r| {
        let mut r = r.clone();
        r.study_instance_uid = Some("2.25.99".into());
        r.sop_instance_uid = Some("2.25.98".into());
        r
    });
    if let Some(r) = extra {
        import_report(store.as_store(), "extra", r)?;
    }
    assert!(store.alert_state()?.stale);
    store.set_site_secret(b"site secret")?;
    store.recompute_alerts(&mut |_, _| {})?;
    assert!(!store.alert_state()?.stale);
    Ok(())
}

/// `--since` keeps studies dated on or after the day; `flagged` keeps those that fired.
fn alert_query_filters_by_date_and_flag(backend: &Backend) -> TestResult {
    let Some(reports) = reports() else {
        return Ok(());
    };
    let mut store = backend.open(&backend.new_target("query")?)?;
    import_all(&mut *store, &reports)?;
    let since = store.alerts(&AlertQuery::all().since("2020-03-26".parse()?))?;
    assert_eq!(since.len(), 3);
    let flagged = store.alerts(&AlertQuery::flagged())?;
    // Default levels 0.02 Gy·m² / 2 Gy: P3's 0.025 study, the 0.030 patient-less study, and
    // P2's 2020-02-10 look-back sum 0.015 + 0.006 + 0.001 = 0.022.
    let keys: Vec<&str> = flagged.iter().map(|a| a.study_key.as_str()).collect();
    assert_eq!(keys, ["2.25.10007", "2.25.10005", "2.25.10006"]);
    Ok(())
}

/// Two importers at once on one PostgreSQL registry, each writing other studies of the
/// same patient one report per transaction: the alerts are those of a single importer.
fn check_concurrent_importers_give_single_importer_alerts(backend: &Backend) -> TestResult {
    let Some(path) = openrem_file("RF-RDSR-Siemens-Zee.dcm") else {
        return Ok(());
    };
    let base = rdsr::parse_file(&path)?;
    // 40 studies of one patient, a week apart: every window holds several of them.
    let reports: Vec<DoseReport> = (0..40u64)
        .map(|n| {
            let date = chrono::NaiveDate::from_ymd_opt(2020, 1, 1)
                .and_then(|d| d.checked_add_days(chrono::Days::new(n * 7)))
                .map(|d| d.to_string())
                .unwrap_or_default();
            synthetic(
                &base,
                usize::try_from(n + 10).unwrap_or(0),
                Some("P9"),
                &date,
                &[(0.001, 0.1)],
            )
        })
        .collect();
    let single = backend.new_target("single")?;
    let expected = {
        let mut store = backend.open(&single)?;
        import_all(&mut *store, &reports)?;
        store.alerts(&AlertQuery::all())?
    };
    assert_eq!(expected.len(), 40);
    for round in 0..1u64 {
        let db = backend.new_target(&format!("concurrent{round}"))?;
        drop(backend.open(&db)?);
        let order = shuffled(reports.clone(), round + 7);
        let barrier = std::sync::Barrier::new(2);
        std::thread::scope(|scope| -> TestResult {
            let workers: Vec<_> = (0..2usize)
                .map(|w| {
                    let (db, order, barrier) = (&db, &order, &barrier);
                    scope.spawn(move || -> Result<(), String> {
                        let mut store =
                            rdsr_store::PostgresStore::connect(db).map_err(|e| e.to_string())?;
                        barrier.wait();
                        for (i, r) in order.iter().enumerate().filter(|(i, _)| i % 2 == w) {
                            import_report(&mut store, &format!("r{i}"), r.clone())
                                .map_err(|e| e.to_string())?;
                        }
                        Ok(())
                    })
                })
                .collect();
            for w in workers {
                w.join().map_err(|_| "importer panicked")??;
            }
            Ok(())
        })?;
        let store = backend.open(&db)?;
        assert_eq!(store.alerts(&AlertQuery::all())?, expected, "round {round}");
    }
    Ok(())
}

/// An importer writing a study of a patient whose alerts another transaction is evaluating
/// (holding the patient's advisory lock) waits for that transaction to end.
fn check_importer_waits_for_the_patient_lock(backend: &Backend) -> TestResult {
    let Some(path) = openrem_file("RF-RDSR-Siemens-Zee.dcm") else {
        return Ok(());
    };
    let base = rdsr::parse_file(&path)?;
    let report = synthetic(&base, 77, Some("P8"), "2020-05-05", &[(0.001, 0.1)]);
    let db = backend.new_target("locked")?;
    let mut store = rdsr_store::PostgresStore::connect(&db)?;
    let mut holder = postgres::Client::connect(&db, postgres::NoTls)?;
    let mut tx = holder.transaction()?;
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 1))",
        &[&"patient:P8"],
    )?;
    std::thread::scope(|scope| -> TestResult {
        let importer = scope.spawn(move || {
            import_report(&mut store, "r77", report)
                .map(|_| store)
                .map_err(|e| e.to_string())
        });
        std::thread::sleep(std::time::Duration::from_millis(500));
        assert!(
            !importer.is_finished(),
            "the importer waits for the patient lock"
        );
        tx.commit()?;
        let store = importer.join().map_err(|_| "importer panicked")??;
        assert_eq!(store.alerts(&AlertQuery::all())?.len(), 1);
        Ok(())
    })
}

/// Every check on SQLite (one test each), and all of them on one temporary PostgreSQL
/// cluster (one test, one cluster: starting a cluster costs more than the checks).
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() -> super::TestResult {
                    let dir = tempfile::tempdir()?;
                    super::$name(&super::Backend::sqlite(dir.path()))
                }
            )*
        }
        #[test]
        fn postgres_runs_every_alert_check() -> TestResult {
            let Some(backend) = Backend::postgres()? else {
                return Ok(());
            };
            $( $name(&backend)?; )*
            check_importer_waits_for_the_patient_lock(&backend)?;
            check_concurrent_importers_give_single_importer_alerts(&backend)
        }
    };
}

on_both_backends!(
    openrem_high_dose_alert_oracle_in_openrem_order,
    openrem_high_dose_alert_oracle_in_reverse_order_b14,
    alerts_do_not_depend_on_import_order_b14,
    threshold_change_recomputes_and_equals_fresh_import,
    hashed_patient_keys_give_the_same_sums,
    alert_query_filters_by_date_and_flag,
);
