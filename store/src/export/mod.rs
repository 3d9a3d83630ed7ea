//! Dose-survey exports read from the store: the PHE 2019 national dose survey layouts
//! ([`phe2019`]) written as XLSX (number cells, one header row) or CSV.
//!
//! # Overview
//!
//! A backend gives the studies through [`SurveySource`], one at a time (its summary row and
//! its stored reports), so an export holds one study in memory whatever the size of the
//! store. The layout code assembles the study ([`rdsr::study::StudyAssembler`]), takes the
//! survey view of it ([`crate::rows::survey`]) and lays out one row of [`Cell`]s; a
//! [`SheetWriter`] writes it.

pub mod phe2019;

use std::path::Path;

use chrono::NaiveDate;
use globset::{GlobBuilder, GlobMatcher};

use crate::StoreError;
use crate::rows::StudyRow;

/// Which studies an export reads.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct StudyFilter {
    /// Template of the studies (`10011` CT, `10001` projection); none = any.
    pub template: Option<String>,
    /// First study date included. Default: none.
    pub from: Option<NaiveDate>,
    /// Last study date included. Default: none.
    pub to: Option<NaiveDate>,
    equipment: Option<GlobMatcher>,
    equipment_glob: Option<String>,
}

impl StudyFilter {
    /// Every study.
    pub fn new() -> StudyFilter {
        StudyFilter::default()
    }
    /// Studies of template `template` only.
    pub fn template(mut self, template: &str) -> StudyFilter {
        self.template = Some(template.to_string());
        self
    }
    /// Studies dated from `from` to `to` (inclusive), either bound optional.
    pub fn dates(mut self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> StudyFilter {
        self.from = from;
        self.to = to;
        self
    }
    /// Studies whose manufacturer, model name, station name or `manufacturer model` matches
    /// the case-insensitive glob (`*Siemens*`, `AXIOM-*`).
    pub fn equipment(mut self, glob: &str) -> Result<StudyFilter, StoreError> {
        let m = GlobBuilder::new(glob)
            .case_insensitive(true)
            .build()
            .map_err(|e| StoreError::Export(format!("equipment glob {glob:?}: {e}")))?
            .compile_matcher();
        self.equipment = Some(m);
        self.equipment_glob = Some(glob.to_string());
        Ok(self)
    }
    /// The equipment glob, as given.
    pub fn equipment_glob(&self) -> Option<&str> {
        self.equipment_glob.as_deref()
    }

    /// Whether `row` passes the filter (backends may pre-select by template and date in
    /// their query, but call this on every row before reading the study's reports).
    pub fn accepts(&self, row: &StudyRow) -> bool {
        if let Some(t) = &self.template {
            if row.template.as_deref() != Some(t.as_str()) {
                return false;
            }
        }
        let date: Option<NaiveDate> = row
            .study_date
            .as_deref()
            .and_then(|d| d.get(..10))
            .and_then(|d| d.parse().ok());
        if self.from.is_some() || self.to.is_some() {
            let Some(date) = date else {
                return false;
            };
            if self.from.is_some_and(|f| date < f) || self.to.is_some_and(|t| date > t) {
                return false;
            }
        }
        if let Some(m) = &self.equipment {
            let both = format!(
                "{} {}",
                row.manufacturer.as_deref().unwrap_or_default(),
                row.model_name.as_deref().unwrap_or_default()
            );
            let hit = [&row.manufacturer, &row.model_name, &row.station_name]
                .into_iter()
                .flatten()
                .any(|v| m.is_match(v.as_str()))
                || m.is_match(both.trim());
            if !hit {
                return false;
            }
        }
        true
    }
}

/// The per-study callback of [`SurveySource::for_each_study`]: the study's row and its
/// stored reports.
pub type StudyVisitor<'a> =
    dyn FnMut(&StudyRow, Vec<rdsr::DoseReport>) -> Result<(), StoreError> + 'a;

/// What a backend provides for exports.
pub trait SurveySource {
    /// The number of studies `filter` accepts (for progress).
    fn count_studies(&self, filter: &StudyFilter) -> Result<u64, StoreError>;
    /// Calls `each` with every study `filter` accepts, with the study's stored reports,
    /// ordered by study date then study key; one study at a time.
    fn for_each_study(
        &self,
        filter: &StudyFilter,
        each: &mut StudyVisitor<'_>,
    ) -> Result<(), StoreError>;
}

/// One cell of an export row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Blank,
    /// A number (an XLSX number cell).
    Number(f64),
    /// Text.
    Text(String),
}

impl Cell {
    /// A number cell, or blank.
    pub fn num(v: Option<f64>) -> Cell {
        v.filter(|v| v.is_finite())
            .map_or(Cell::Blank, Cell::Number)
    }
    /// A text cell, or blank when empty.
    pub fn text(v: impl Into<String>) -> Cell {
        let v = v.into();
        if v.is_empty() {
            Cell::Blank
        } else {
            Cell::Text(v)
        }
    }
    /// A text cell from an optional value.
    pub fn opt_text(v: Option<&str>) -> Cell {
        v.map_or(Cell::Blank, Cell::text)
    }
}

/// The file format, from the output file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// Office Open XML workbook.
    Xlsx,
    /// Comma-separated values (UTF-8).
    Csv,
}

impl Format {
    /// The format a path's extension names (`.xlsx`, `.csv`).
    pub fn from_path(path: &Path) -> Result<Format, StoreError> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("xlsx") => Ok(Format::Xlsx),
            Some("csv") => Ok(Format::Csv),
            _ => Err(StoreError::Export(format!(
                "{}: the output must end in .xlsx or .csv",
                path.display()
            ))),
        }
    }
}

/// Writes rows, in order.
pub trait SheetWriter {
    /// Writes one row.
    fn row(&mut self, cells: &[Cell]) -> Result<(), StoreError>;
    /// Finishes the file.
    fn finish(self: Box<Self>) -> Result<(), StoreError>;
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> StoreError {
    StoreError::Export(e.to_string())
}

struct XlsxSheet {
    workbook: rust_xlsxwriter::Workbook,
    path: std::path::PathBuf,
    next_row: u32,
}

impl SheetWriter for XlsxSheet {
    fn row(&mut self, cells: &[Cell]) -> Result<(), StoreError> {
        let sheet = self.workbook.worksheet_from_index(0).map_err(xlsx_err)?;
        for (col, cell) in cells.iter().enumerate() {
            let col = u16::try_from(col)
                .map_err(|_| StoreError::Export("too many columns".to_string()))?;
            match cell {
                Cell::Blank => {}
                Cell::Number(v) => {
                    sheet
                        .write_number(self.next_row, col, *v)
                        .map_err(xlsx_err)?;
                }
                Cell::Text(s) => {
                    sheet
                        .write_string(self.next_row, col, s)
                        .map_err(xlsx_err)?;
                }
            }
        }
        self.next_row += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<(), StoreError> {
        self.workbook.save(&self.path).map_err(xlsx_err)
    }
}

struct CsvSheet {
    writer: csv::Writer<std::fs::File>,
}

impl SheetWriter for CsvSheet {
    fn row(&mut self, cells: &[Cell]) -> Result<(), StoreError> {
        let fields = cells.iter().map(|c| match c {
            Cell::Blank => String::new(),
            Cell::Number(v) => v.to_string(),
            Cell::Text(s) => s.clone(),
        });
        self.writer
            .write_record(fields)
            .map_err(|e| StoreError::Export(e.to_string()))
    }

    fn finish(mut self: Box<Self>) -> Result<(), StoreError> {
        self.writer
            .flush()
            .map_err(|e| StoreError::Export(e.to_string()))
    }
}

/// A writer for `path` in `format`; `sheet` names the XLSX worksheet.
pub fn sheet_writer(
    path: &Path,
    format: Format,
    sheet: &str,
) -> Result<Box<dyn SheetWriter>, StoreError> {
    match format {
        Format::Xlsx => {
            let mut workbook = rust_xlsxwriter::Workbook::new();
            workbook
                .add_worksheet_with_constant_memory()
                .set_name(sheet)
                .map_err(xlsx_err)?;
            Ok(Box::new(XlsxSheet {
                workbook,
                path: path.to_path_buf(),
                next_row: 0,
            }))
        }
        Format::Csv => {
            let writer = csv::WriterBuilder::new()
                .flexible(true)
                .from_path(path)
                .map_err(|e| StoreError::Export(format!("{}: {e}", path.display())))?;
            Ok(Box::new(CsvSheet { writer }))
        }
    }
}
