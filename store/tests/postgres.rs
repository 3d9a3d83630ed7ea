//! What only the PostgreSQL backend has to show: schema migrations of a registry, a lost
//! connection re-established mid-import, a clear error when the server cannot be reached.

use std::path::{Path, PathBuf};

use rdsr_store::testing::TempCluster;
use rdsr_store::{
    ImportOptions, Input, PostgresStore, SCHEMA_VERSION, Store, StoreError, import_inputs, walk,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn testdata_files() -> Vec<PathBuf> {
    walk([Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata")])
        .filter_map(|i| match i {
            Input::File(p) => Some(p),
            Input::Unlistable(..) => None,
        })
        .collect()
}

fn import(store: &mut PostgresStore, files: &[PathBuf]) -> TestResult {
    let inputs: Vec<Input> = files.iter().cloned().map(Input::File).collect();
    import_inputs(
        store,
        inputs.into_iter(),
        &ImportOptions::default().jobs(2),
        |_, _| {},
    )?;
    Ok(())
}

/// The registry at `url`, at schema version `from`, opens at that version, and connecting
/// upgrades it to the latest one with the canonical dump `clean` (that of a registry imported
/// into the latest schema).
fn assert_upgraded(url: &str, from: u32, clean: &str) -> TestResult {
    let old = PostgresStore::connect_at(url, from)?;
    assert_eq!(old.schema_version()?, from);
    drop(old);
    let store = PostgresStore::connect(url)?;
    assert_eq!(store.schema_version()?, SCHEMA_VERSION);
    assert_eq!(store.canonical_dump()?, clean);
    Ok(())
}

/// A registry of schema version 1 (no summary fields, no events) is upgraded on connect
/// and its derived rows back-filled from the stored reports.
#[test]
fn version_1_registry_is_upgraded_and_back_filled() -> TestResult {
    let Some(cluster) = TempCluster::start()? else {
        return Ok(());
    };
    let url = cluster.create_database()?;
    let clean = {
        let mut store = PostgresStore::connect(&url)?;
        import(&mut store, &testdata_files())?;
        assert_eq!(store.schema_version()?, SCHEMA_VERSION);
        store.canonical_dump()?
    };
    {
        let mut client = postgres::Client::connect(&url, postgres::NoTls)?;
        // Version 4 first (no version 5 tables or columns), then version 1.
        client.batch_execute(&rdsr_store::testing::back_to_version(4))?;
        client.batch_execute(
            "DROP TABLE studies; DROP TABLE projection_events; DROP TABLE ct_events;
             DROP TABLE ct_xray_sources; DROP TABLE accumulated_totals;
             DROP TABLE IF EXISTS study_alerts; DROP TABLE IF EXISTS alert_settings;
             DROP TABLE ct_dlp_totals; DROP TABLE radiopharmaceutical_administrations;
             DROP TABLE radiopharmaceutical_organ_doses; DROP TABLE patient_characteristics;
             CREATE TABLE studies (study_key TEXT PRIMARY KEY, study_instance_uid TEXT,
                 number_of_events BIGINT NOT NULL);
             UPDATE rdsr_schema_version SET version = 1;",
        )?;
    }
    let store = PostgresStore::connect(&url)?;
    assert_eq!(store.schema_version()?, SCHEMA_VERSION);
    assert_eq!(store.canonical_dump()?, clean);
    Ok(())
}

/// A registry of schema version 2 (no alert tables) is upgraded on connect: its RF studies
/// get their alerts, as in a registry created with the alerts.
#[test]
fn version_2_registry_is_upgraded_with_alerts() -> TestResult {
    let Some(cluster) = TempCluster::start()? else {
        return Ok(());
    };
    let url = cluster.create_database()?;
    let clean = {
        let mut store = PostgresStore::connect(&url)?;
        import(&mut store, &testdata_files())?;
        store.canonical_dump()?
    };
    let rf_rows = clean
        .split("## study_alerts")
        .nth(1)
        .and_then(|t| t.split("## ").next())
        .map_or(0, |t| t.lines().count().saturating_sub(1));
    assert!(rf_rows > 0, "testdata has RF studies");
    {
        let mut client = postgres::Client::connect(&url, postgres::NoTls)?;
        client.batch_execute(&rdsr_store::testing::back_to_version(4))?;
        client.batch_execute(
            "DROP TABLE alert_settings; DROP TABLE study_alerts;
             DROP TABLE ct_dlp_totals; DROP TABLE radiopharmaceutical_administrations;
             DROP TABLE radiopharmaceutical_organ_doses; DROP TABLE patient_characteristics;
             ALTER TABLE studies DROP COLUMN number_of_administrations;
             ALTER TABLE studies DROP COLUMN total_administered_activity_mbq;
             ALTER TABLE studies DROP COLUMN total_radiopharmaceutical_effective_dose_msv;
             ALTER TABLE ct_events DROP COLUMN date_time_started;
             UPDATE rdsr_schema_version SET version = 2;",
        )?;
    }
    assert_upgraded(&url, 2, &clean)
}

/// A registry from before the radiopharmaceutical tables (the version before the one
/// adding them) is upgraded on connect: administrations, organ doses, patient
/// characteristics, per-phantom DLP totals and the new study columns are back-filled from
/// the stored reports, as an import into the latest schema writes them.
#[test]
fn registry_before_radiopharmaceutical_tables_is_upgraded_and_back_filled() -> TestResult {
    let Some(cluster) = TempCluster::start()? else {
        return Ok(());
    };
    let url = cluster.create_database()?;
    let counts = |client: &mut postgres::Client| -> Result<Vec<i64>, postgres::Error> {
        let mut out = Vec::new();
        for table in [
            "ct_dlp_totals",
            "radiopharmaceutical_administrations",
            "radiopharmaceutical_organ_doses",
            "patient_characteristics",
        ] {
            out.push(
                client
                    .query_one(&format!("SELECT count(*) FROM {table}"), &[])?
                    .try_get(0)?,
            );
        }
        let activity: Option<f64> = client
            .query_one(
                "SELECT sum(total_administered_activity_mbq) FROM studies",
                &[],
            )?
            .try_get(0)?;
        out.push(activity.map_or(-1, |a| a.round() as i64));
        Ok(out)
    };
    let (version, studies, clean) = {
        let mut store = PostgresStore::connect(&url)?;
        import(&mut store, &testdata_files())?;
        let clean = counts(&mut store.client())?;
        (store.schema_version()?, store.studies()?, clean)
    };
    assert!(clean.iter().all(|n| *n > 0), "{clean:?}");
    {
        let mut client = postgres::Client::connect(&url, postgres::NoTls)?;
        client.batch_execute(&rdsr_store::testing::back_to_version(4))?;
        client.batch_execute(
            "DROP TABLE ct_dlp_totals; DROP TABLE radiopharmaceutical_administrations;
             DROP TABLE radiopharmaceutical_organ_doses; DROP TABLE patient_characteristics;
             ALTER TABLE studies DROP COLUMN number_of_administrations,
                 DROP COLUMN total_administered_activity_mbq,
                 DROP COLUMN total_radiopharmaceutical_effective_dose_msv;
             ALTER TABLE ct_events DROP COLUMN date_time_started;",
        )?;
        // The version before the radiopharmaceutical tables.
        client.batch_execute("UPDATE rdsr_schema_version SET version = 3")?;
    }
    let store = PostgresStore::connect(&url)?;
    assert_eq!(store.schema_version()?, version);
    assert_eq!(store.studies()?, studies);
    assert_eq!(counts(&mut store.client())?, clean);
    Ok(())
}

/// The canonical dump of a registry at `url` into which `testdata/` was imported, after
/// checking that it has rows in each table version 6 added.
fn imported_testdata(url: &str) -> Result<String, Box<dyn std::error::Error>> {
    let mut store = PostgresStore::connect(url)?;
    import(&mut store, &testdata_files())?;
    let clean = store.canonical_dump()?;
    assert!(clean.contains("reconstruction_algorithms"));
    for table in [
        "ct_z_resolved_values",
        "patient_glomerular_filtration_rates",
        "radiopharmaceutical_reports",
        "radiopharmaceutical_persons",
    ] {
        let rows = clean
            .split(&format!("## {table} ("))
            .nth(1)
            .and_then(|t| t.split("## ").next())
            .map_or(0, |t| t.lines().count().saturating_sub(1));
        assert!(rows > 0, "{table} has rows to back-fill");
    }
    Ok(clean)
}

/// Takes the registry at `url` back to schema version `version` (4 or 5).
fn back_to(url: &str, version: u32) -> TestResult {
    let mut client = postgres::Client::connect(url, postgres::NoTls)?;
    client.batch_execute(&rdsr_store::testing::back_to_version(version))?;
    client.batch_execute(&format!(
        "UPDATE rdsr_schema_version SET version = {version}"
    ))?;
    Ok(())
}

/// A registry of schema version 4 (before the template rows of versions 5 and 6) is
/// upgraded on connect: the new CT event, projection event, accumulated-totals and
/// radiopharmaceutical columns and tables are back-filled from the stored reports, as an
/// import into the latest version writes them.
#[test]
fn version_4_registry_is_upgraded_with_the_template_rows() -> TestResult {
    let Some(cluster) = TempCluster::start()? else {
        return Ok(());
    };
    let url = cluster.create_database()?;
    let clean = imported_testdata(&url)?;
    back_to(&url, 4)?;
    assert_upgraded(&url, 4, &clean)
}

/// A registry of schema version 5, as the previous schema wrote it (no z-resolved values,
/// no radiopharmaceutical reports, persons or filtration-rate tables, none of the version 6
/// columns), is upgraded on connect and back-filled, as an import into version 6 writes it.
#[test]
fn version_5_registry_is_upgraded_with_the_z_resolved_and_radiopharmaceutical_rows() -> TestResult {
    let Some(cluster) = TempCluster::start()? else {
        return Ok(());
    };
    let url = cluster.create_database()?;
    let clean = imported_testdata(&url)?;
    back_to(&url, 5)?;
    assert_upgraded(&url, 5, &clean)
}

#[test]
fn newer_registry_is_refused() -> TestResult {
    let Some(cluster) = TempCluster::start()? else {
        return Ok(());
    };
    let url = cluster.create_database()?;
    PostgresStore::connect(&url)?;
    postgres::Client::connect(&url, postgres::NoTls)?
        .batch_execute("UPDATE rdsr_schema_version SET version = 99")?;
    assert!(matches!(
        PostgresStore::connect(&url),
        Err(StoreError::TooNew { found: 99, .. })
    ));
    Ok(())
}

/// The server drops the importer's connections between two batches: the importer connects
/// again and the store ends as one uninterrupted import leaves it.
#[test]
fn lost_connection_is_reestablished_and_the_import_completes() -> TestResult {
    let Some(cluster) = TempCluster::start()? else {
        return Ok(());
    };
    let files = testdata_files();
    let clean_url = cluster.create_database()?;
    let clean = {
        let mut store = PostgresStore::connect(&clean_url)?;
        import(&mut store, &files)?;
        store.canonical_dump()?
    };
    let url = cluster.create_database()?;
    let mut store = PostgresStore::connect(&url)?;
    let half = files.len() / 2;
    import(&mut store, files.get(..half).unwrap_or_default())?;
    let dropped = postgres::Client::connect(&url, postgres::NoTls)?.query_one(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
        &[],
    )?;
    assert!(
        dropped.get::<_, i64>(0) >= 1,
        "the importer's connection was dropped"
    );
    import(&mut store, files.get(half..).unwrap_or_default())?;
    assert_eq!(store.canonical_dump()?, clean);
    Ok(())
}

/// No server: a clear error after a bounded number of tries, not a hang.
#[test]
fn unreachable_server_is_an_error_after_bounded_tries() -> TestResult {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let url = format!("postgres://postgres@127.0.0.1:{port}/none");
    match PostgresStore::connect(&url) {
        Err(e @ StoreError::Unreachable { tries: 6, .. }) => {
            assert!(e.to_string().contains("unreachable after 6 tries"), "{e}");
        }
        other => panic!("expected Unreachable, got {other:?}"),
    }
    Ok(())
}

/// A claim keeps other importers off a file while its holder lives; the claim of an
/// importer whose connection is gone, or whose lease ran out, is taken over.
#[test]
fn claims_are_exclusive_and_taken_over_from_the_dead_and_the_expired() -> TestResult {
    use rdsr_store::Content;
    let Some(cluster) = TempCluster::start()? else {
        return Ok(());
    };
    let url = cluster.create_database()?;
    let a = PostgresStore::connect(&url)?;
    let b = PostgresStore::connect(&url)?;
    let mut a_reader = a.reader()?;
    let mut b_reader = b.reader()?;
    assert_eq!(a_reader.claim_content("c0ffee")?, Content::Mine);
    assert_eq!(a_reader.claim_content("c0ffee")?, Content::Mine, "its own");
    assert_eq!(b_reader.claim_content("c0ffee")?, Content::Busy);
    // The holder dies: its connection closes and the claim passes on.
    drop(a_reader);
    let mut taken = false;
    for _ in 0..100 {
        if b_reader.claim_content("c0ffee")? == Content::Mine {
            taken = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(taken, "the claim of a closed connection is taken over");
    // A live holder whose lease ran out.
    let mut c = PostgresStore::connect(&url)?;
    c.set_claim_lease(std::time::Duration::ZERO);
    let mut c_reader = c.reader()?;
    assert_eq!(c_reader.claim_content("beef")?, Content::Mine);
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(b_reader.claim_content("beef")?, Content::Mine);
    assert_eq!(c_reader.claim_content("beef")?, Content::Busy, "now b's");
    Ok(())
}
