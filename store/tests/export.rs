//! PHE 2019 exports read back: XLSX with calamine, CSV with the csv crate; headers, units
//! and values checked against values computed here from the parsed corpus files.
//!
//! The checks take the store as a parameter, and the tests a [`Backend`]: each runs on
//! SQLite, and all of them on one temporary PostgreSQL cluster, whose exports must also be
//! byte for byte those of SQLite.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use rdsr::{DoseReport, ReportBody};
use rdsr_store::export::phe2019::{Survey, export};
use rdsr_store::export::{StudyFilter, SurveySource};
use rdsr_store::testing::Backend;
use rdsr_store::{SqliteStore, Store, import_paths};

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

const FILES: [&str; 4] = [
    "CT-ESR-GE_Optima.dcm",
    "DX-RDSR-Carestream_DRXEvolution.dcm",
    "RF-RDSR-Siemens-Zee.dcm",
    "MG-RDSR-Hologic_2D.dcm",
];

fn files() -> Option<Vec<PathBuf>> {
    FILES.iter().map(|f| openrem_file(f)).collect()
}

/// The sheet as rows of cells (XLSX) and of strings (CSV).
fn read_xlsx(path: &Path, sheet: &str) -> Result<Vec<Vec<Data>>, Box<dyn std::error::Error>> {
    let mut wb: Xlsx<_> = open_workbook(path)?;
    assert_eq!(wb.sheet_names(), vec![sheet.to_string()]);
    let range = wb.worksheet_range(sheet)?;
    // The range starts at its first non-empty cell: put the blank leading columns back.
    let (row0, col0) = range.start().unwrap_or((0, 0));
    assert_eq!(row0, 0, "the header is the first row");
    let pad = usize::try_from(col0)?;
    Ok(range
        .rows()
        .map(|r| {
            let mut v = vec![Data::Empty; pad];
            v.extend_from_slice(r);
            v
        })
        .collect())
}

fn read_csv(path: &Path) -> Result<Vec<Vec<String>>, Box<dyn std::error::Error>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)?;
    let mut out = Vec::new();
    for rec in r.records() {
        out.push(rec?.iter().map(str::to_string).collect());
    }
    Ok(out)
}

fn num(row: &[Data], col: usize) -> Option<f64> {
    match row.get(col) {
        Some(Data::Float(v)) => Some(*v),
        Some(Data::Int(v)) => Some(*v as f64),
        _ => None,
    }
}

fn text(row: &[Data], col: usize) -> String {
    match row.get(col) {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    }
}

fn csv_num(row: &[String], col: usize) -> Option<f64> {
    row.get(col).and_then(|s| s.parse().ok())
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
        (None, None) => true,
        _ => false,
    }
}

fn parse(name: &str) -> Option<DoseReport> {
    rdsr::parse_file(openrem_file(name)?).ok()
}

/// The same export read back from XLSX (cells) and CSV (strings).
type Sheets = (Vec<Vec<Data>>, Vec<Vec<String>>);

/// Exports `survey` to XLSX and CSV; both must hold the same cells.
fn both<S: SurveySource + ?Sized>(
    store: &S,
    survey: Survey,
    filter: &StudyFilter,
    dir: &Path,
) -> Result<Sheets, Box<dyn std::error::Error>> {
    let x = dir.join("out.xlsx");
    let c = dir.join("out.csv");
    let mut calls = 0;
    export(store, survey, filter, &x, &mut |_, _| calls += 1)?;
    export(store, survey, filter, &c, &mut |_, _| {})?;
    let xlsx = read_xlsx(&x, survey.sheet_name())?;
    let csv = read_csv(&c)?;
    assert_eq!(xlsx.len(), csv.len());
    for (xr, cr) in xlsx.iter().zip(&csv) {
        for (i, cell) in xr.iter().enumerate() {
            match cell {
                Data::Float(v) => assert!(close(Some(*v), csv_num(cr, i)), "col {i}"),
                Data::String(s) => assert_eq!(Some(s), cr.get(i), "col {i}"),
                _ => assert!(cr.get(i).is_none_or(String::is_empty), "col {i}"),
            }
        }
    }
    Ok((xlsx, csv))
}

fn check_ct_export<S: Store + SurveySource + ?Sized>(store: &mut S, dir: &Path) -> TestResult {
    let Some(report) = parse("CT-ESR-GE_Optima.dcm") else {
        return Ok(());
    };
    let ReportBody::Ct(ct) = &report.body else {
        panic!("CT report expected")
    };
    let (xlsx, _) = both(&*store, Survey::Ct, &StudyFilter::new(), dir)?;
    let header = xlsx.first().cloned().unwrap_or_default();
    assert_eq!(text(&header, 3), "Height (cm)");
    assert_eq!(text(&header, 10), "Series 1 CTDIvol (mGy)");
    assert_eq!(text(&header, 11), "Series 1 DLP (mGy·cm)");
    assert_eq!(text(&header, 36), "Total DLP (mGy·cm)");
    assert_eq!(xlsx.len(), 2, "one CT study");
    let row = &xlsx[1];
    assert_eq!(num(row, 0), Some(1.0));
    // Localisers (Constant Angle Acquisition, DCM 113805) are not survey series.
    let series: Vec<_> = ct
        .events
        .iter()
        .filter(|e| {
            e.ct_acquisition_type
                .as_ref()
                .is_none_or(|c| c.value != "113805")
        })
        .collect();
    assert_eq!(series.len(), 2);
    for (k, e) in series.iter().enumerate() {
        let base = 4 + 8 * k;
        assert!(
            close(num(row, base + 6), e.mean_ctdivol_mgy),
            "series {k} CTDIvol"
        );
        assert!(close(num(row, base + 7), e.dlp_mgy_cm), "series {k} DLP");
        let length = e
            .scanning_length
            .as_ref()
            .and_then(|l| l.scanning_length_mm);
        assert!(close(num(row, base), length), "series {k} length");
        let kv: Vec<f64> = e.xray_sources.iter().filter_map(|s| s.kvp_kv).collect();
        if kv.len() == 1 {
            assert!(close(num(row, base + 3), kv.first().copied()));
        }
    }
    // Oracle: GE Optima CT total DLP 415.82 mGy·cm (spec section 5).
    assert!(close(num(row, 36), Some(415.82)));
    assert!(text(row, 37).starts_with("Series types: "));
    let size_cm = report.patient_study.patient_size_mm.map(|mm| mm / 10.0);
    assert!(close(num(row, 3), size_cm));
    Ok(())
}

fn check_dx_export<S: Store + SurveySource + ?Sized>(store: &mut S, dir: &Path) -> TestResult {
    let Some(report) = parse("DX-RDSR-Carestream_DRXEvolution.dcm") else {
        return Ok(());
    };
    let ReportBody::Projection(p) = &report.body else {
        panic!("projection report expected")
    };
    let (xlsx, _) = both(&*store, Survey::DxExam, &StudyFilter::new(), dir)?;
    assert_eq!(
        xlsx.len(),
        2,
        "one DX study (the MG and RF studies are not DX)"
    );
    let header = &xlsx[0];
    assert_eq!(text(header, 4), "Study DAP (cGy·cm²)");
    assert_eq!(text(header, 12), "Height (cm)");
    let row = &xlsx[1];
    let total_gy_m2: f64 = p
        .accumulated_planes
        .iter()
        .filter_map(|a| a.projection_totals.as_ref())
        .filter_map(|t| t.dose_area_product_total_gy_m2)
        .sum();
    assert!(
        close(num(row, 4), Some(total_gy_m2 * 1e6)),
        "study DAP in cGy·cm²"
    );
    assert_eq!(text(row, 5), "cGy·cm²");
    assert_eq!(num(row, 13), Some(p.events.len() as f64));
    for (i, e) in p.events.iter().take(6).enumerate() {
        assert!(
            close(num(row, 14 + i), e.dose_area_product_gy_m2.map(|v| v * 1e6)),
            "projection {i} DAP"
        );
    }
    // The first projection's kVp and mAs (mean of non-zero values, OpenREM B22).
    let first = p.events.first();
    let kv = first.and_then(|e| e.source.mean_kvp_kv());
    let mas = first
        .and_then(|e| e.source.mean_exposure_uas())
        .map(|u| u / 1000.0);
    assert!(close(num(row, 20 + 6), kv), "kVp");
    assert!(close(num(row, 20 + 7), mas), "mAs");

    let (single, _) = both(
        &*store,
        Survey::DxSingleProjection,
        &StudyFilter::new(),
        dir,
    )?;
    let row = &single[1];
    assert!(close(
        num(row, 4),
        first
            .and_then(|e| e.dose_area_product_gy_m2)
            .map(|v| v * 1e6)
    ));
    Ok(())
}

fn check_rf_export<S: Store + SurveySource + ?Sized>(store: &mut S, dir: &Path) -> TestResult {
    let Some(report) = parse("RF-RDSR-Siemens-Zee.dcm") else {
        return Ok(());
    };
    let ReportBody::Projection(p) = &report.body else {
        panic!("projection report expected")
    };
    let (xlsx, csv) = both(&*store, Survey::Rf, &StudyFilter::new(), dir)?;
    assert_eq!(xlsx.len(), 2);
    let header = &xlsx[0];
    assert_eq!(text(header, 4), "Total DAP (Gy·m²)");
    assert_eq!(text(header, 7), "Total fluoro time (s)");
    assert_eq!(text(header, 8), "Total dose at RP (Gy)");
    let row = &xlsx[1];
    let totals = |f: &dyn Fn(&rdsr::model::projection::AccumulatedPlane) -> Option<f64>| {
        p.accumulated_planes.iter().filter_map(f).sum::<f64>()
    };
    let dap = totals(&|a| a.projection_totals.as_ref()?.dose_area_product_total_gy_m2);
    let rp = totals(&|a| a.projection_totals.as_ref()?.dose_rp_total_gy);
    let time = totals(&|a| {
        a.fluoro_and_acquisition_totals
            .as_ref()?
            .total_fluoro_time_s
    });
    // Oracle: Siemens Zee total DAP 1.6e-5 Gy·m², dose at RP 0.00252 Gy (spec section 5).
    assert!(close(Some(dap), Some(1.6e-5)));
    assert!(close(num(row, 4), Some(dap)));
    assert!(close(num(row, 8), Some(rp)));
    assert!(close(num(row, 8), Some(0.00252)));
    assert!(close(num(row, 7), Some(time)));
    let acquisitions = p
        .events
        .iter()
        .filter(|e| {
            e.irradiation_event_type
                .as_ref()
                .is_some_and(|c| ["113611", "113612", "113613"].contains(&c.value.as_str()))
        })
        .count();
    assert_eq!(num(row, 21), Some(acquisitions as f64));
    // OpenREM B15: collimated width and height are in mm and say so.
    let field = text(row, 27);
    assert!(!field.contains(" m,"), "{field}");
    assert_eq!(csv[1].get(2), Some(&text(row, 2)));
    Ok(())
}

fn check_filters<S: Store + SurveySource + ?Sized>(store: &mut S, dir: &Path) -> TestResult {
    let later = StudyFilter::new().dates(Some("2100-01-01".parse()?), None);
    let (rows, _) = both(&*store, Survey::Ct, &later, dir)?;
    assert_eq!(rows.len(), 1, "header only");
    let optima = StudyFilter::new().equipment("*optima*")?;
    assert_eq!(both(&*store, Survey::Ct, &optima, dir)?.0.len(), 2);
    let siemens = StudyFilter::new().equipment("siemens*")?;
    assert_eq!(both(&*store, Survey::Ct, &siemens, dir)?.0.len(), 1);
    assert_eq!(both(&*store, Survey::Rf, &siemens, dir)?.0.len(), 2);
    Ok(())
}

fn phe2019_exports_read_back_with_the_values_of_the_files(backend: &Backend) -> TestResult {
    let Some(files) = files() else {
        return Ok(());
    };
    let dir = tempfile::tempdir()?;
    let mut store = backend.open(&backend.new_target("phe")?)?;
    import_paths(store.as_store(), &files, &Default::default(), |_, _| {})?;
    check_ct_export(&mut *store, dir.path())?;
    check_dx_export(&mut *store, dir.path())?;
    check_rf_export(&mut *store, dir.path())?;
    check_filters(&mut *store, dir.path())?;
    Ok(())
}

/// A dual-source CT: the kV cell of a two-tube series is `kV1 | kV2` (text), as the survey
/// asks; a single-tube series has a number.
fn dual_source_ct_series_give_both_kv(backend: &Backend) -> TestResult {
    let (Some(file), Some(report)) = (
        openrem_file("CT-RDSR-Siemens_Flash-QA-DS.dcm"),
        parse("CT-RDSR-Siemens_Flash-QA-DS.dcm"),
    ) else {
        return Ok(());
    };
    let ReportBody::Ct(ct) = &report.body else {
        panic!("CT report expected")
    };
    let dir = tempfile::tempdir()?;
    let mut store = backend.open(&backend.new_target("dual")?)?;
    import_paths(store.as_store(), &[file], &Default::default(), |_, _| {})?;
    let (xlsx, _) = both(&*store, Survey::Ct, &StudyFilter::new(), dir.path())?;
    let row = &xlsx[1];
    let series: Vec<_> = ct
        .events
        .iter()
        .filter(|e| {
            e.ct_acquisition_type
                .as_ref()
                .is_none_or(|c| c.value != "113805")
        })
        .take(4)
        .collect();
    let mut two_tubes = 0;
    for (k, e) in series.iter().enumerate() {
        let kv: Vec<f64> = e.xray_sources.iter().filter_map(|s| s.kvp_kv).collect();
        let col = 4 + 8 * k + 3;
        match kv.as_slice() {
            [one] => assert!(close(num(row, col), Some(*one)), "series {k}"),
            [a, b] => {
                assert_eq!(text(row, col), format!("{a} | {b}"), "series {k}");
                two_tubes += 1;
            }
            _ => {}
        }
    }
    assert!(two_tubes > 0, "the dual-source file has a two-tube series");
    Ok(())
}

#[test]
fn export_refuses_other_extensions() -> TestResult {
    let dir = tempfile::tempdir()?;
    let store = SqliteStore::open(dir.path().join("s.sqlite"))?;
    let r = export(
        &store,
        Survey::Ct,
        &StudyFilter::new(),
        &dir.path().join("out.ods"),
        &mut |_, _| {},
    );
    assert!(matches!(r, Err(rdsr_store::StoreError::Export(_))));
    Ok(())
}

/// Every survey, exported from PostgreSQL and from SQLite after importing the same files,
/// gives the same CSV bytes.
fn check_postgres_exports_equal_sqlite(backend: &Backend) -> TestResult {
    let Some(files) = files() else {
        return Ok(());
    };
    let dir = tempfile::tempdir()?;
    let mut pg = backend.open(&backend.new_target("same")?)?;
    import_paths(pg.as_store(), &files, &Default::default(), |_, _| {})?;
    let mut lite = SqliteStore::open(dir.path().join("s.sqlite"))?;
    import_paths(&mut lite, &files, &Default::default(), |_, _| {})?;
    for survey in [
        Survey::Ct,
        Survey::DxExam,
        Survey::DxSingleProjection,
        Survey::Rf,
    ] {
        let (a, b) = (dir.path().join("pg.csv"), dir.path().join("lite.csv"));
        let filter = StudyFilter::new();
        let n = pg.count_studies(&filter)?;
        assert_eq!(n, lite.count_studies(&filter)?);
        export(&*pg, survey, &filter, &a, &mut |_, _| {})?;
        export(&lite, survey, &filter, &b, &mut |_, _| {})?;
        let a = std::fs::read(&a)?;
        assert!(a.len() > 100, "{survey:?}: rows written");
        assert_eq!(a, std::fs::read(&b)?, "{survey:?}");
    }
    Ok(())
}

mod sqlite {
    use super::*;

    #[test]
    fn phe2019_exports_read_back_with_the_values_of_the_files() -> TestResult {
        let dir = tempfile::tempdir()?;
        super::phe2019_exports_read_back_with_the_values_of_the_files(&Backend::sqlite(dir.path()))
    }

    #[test]
    fn dual_source_ct_series_give_both_kv() -> TestResult {
        let dir = tempfile::tempdir()?;
        super::dual_source_ct_series_give_both_kv(&Backend::sqlite(dir.path()))
    }
}

/// The export checks on one temporary PostgreSQL cluster (one test: starting a cluster
/// costs more than the checks).
#[test]
fn postgres_runs_every_export_check() -> TestResult {
    let Some(backend) = Backend::postgres()? else {
        return Ok(());
    };
    phe2019_exports_read_back_with_the_values_of_the_files(&backend)?;
    dual_source_ct_series_give_both_kv(&backend)?;
    check_postgres_exports_equal_sqlite(&backend)
}
