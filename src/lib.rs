//! Import DICOM Radiation Dose Structured Reports (RDSR) into typed records.
//!
//! # Overview
//!
//! `rdsr` reads X-ray, fluoroscopy, mammography and CT dose reports (X-Ray Radiation Dose SR,
//! and dose reports stored as Enhanced or Comprehensive SR) with a zero-copy reader of its own,
//! builds the SR content tree, and maps it to a [`DoseReport`]. It never panics on input:
//! every problem is a typed [`Error`] (the file cannot become a report) or a [`Diagnostic`]
//! on the report (something was coped with). Memory is bounded by configurable limits
//! ([`Options`]).
//!
//! The stages, each a module with one job:
//!
//! * the reader: bytes to a data set of elements pointing into the input (preamble or
//!   not; explicit and implicit VR little endian, explicit VR big endian, deflated), with
//!   its limits and text policy in [`ReadOptions`].
//! * [`sr`]: the SOP class gate and the content tree ([`sr::Document`], [`sr::Item`]), with
//!   code constants in [`sr::codes`].
//! * [`DoseReport`]: the typed, owned, `serde`-serialisable report.
//!
//! # Examples
//!
//! ```no_run
//! let report = rdsr::parse_file("dose.dcm")?;
//! println!("{:?}: {} events", report.template, report.irradiation_events);
//! # Ok::<(), rdsr::Error>(())
//! ```
//!
//! Reading the content tree itself, with limits:
//!
//! ```no_run
//! use rdsr::sr::codes;
//!
//! let bytes = std::fs::read("dose.dcm").map_err(|e| rdsr::Error::from_io(e, "dose.dcm"))?;
//! let doc = rdsr::Options::new().max_depth(16).read_document(&bytes)?;
//! for event in doc.root().children_of(&codes::IRRADIATION_EVENT_XRAY_DATA) {
//!     println!("event at {}", event.path());
//! }
//! # Ok::<(), rdsr::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod batch;
mod error;
mod load;
pub mod model;
mod parse;
pub mod quirks;
pub mod sr;
pub mod study;
mod template;

/// The dicom-rs types that appear in this crate's signatures, re-exported so that callers
/// need not pin the same dicom-rs version themselves.
pub mod dicom {
    pub use dicom_core::{Tag, VR};
    pub use dicom_object::InMemDicomObject;
}

/// The reader's and the mappers' internals, for the differential tests and the fuzz targets
/// of this repository (feature `internals`). Not part of the stable API: anything here may
/// change in any release.
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod internals {
    pub use crate::load::{Children, Dataset, Node, NodeKind, read_dataset, transfer_syntax};
    pub use crate::template::units::{Normalised, Quantity, normalise};
}

use std::path::Path;

pub use error::{
    Diagnostic, DiagnosticCode, Error, ErrorKind, Limit, Location, MalformedReason, Severity,
    UnknownDiagnosticCode,
};
pub use load::{
    DEFAULT_MAX_DEPTH, DEFAULT_MAX_INPUT_SIZE, DEFAULT_MAX_ITEMS, MAX_DEPTH_CEILING,
    MisdeclaredText, ReadOptions,
};
pub use model::{
    AppliedQuirk, DoseReport, JSON_SCHEMA_VERSION, Modality, ReportBody, Template, TemplateSource,
};
pub use parse::{Mode, Options};
pub use template::detect_template;

use crate::dicom::InMemDicomObject;

/// Reads a dose report from bytes, with default [`Options`].
///
/// The bytes may be a DICOM file (with or without the 128-byte preamble) or a bare data set.
pub fn parse_bytes(bytes: &[u8]) -> Result<DoseReport, Error> {
    Options::default().parse_bytes(bytes)
}

/// Reads a dose report from a reader, with default [`Options`] (at most
/// [`DEFAULT_MAX_INPUT_SIZE`] bytes are read; see [`Options::parse_reader`]).
pub fn parse_reader(reader: impl std::io::Read) -> Result<DoseReport, Error> {
    Options::default().parse_reader(reader)
}

/// Reads a dose report from a file, with default [`Options`]. Errors name the file.
pub fn parse_file(path: impl AsRef<Path>) -> Result<DoseReport, Error> {
    Options::default().parse_file(path)
}

/// Reads the SR content tree of a dose report, with default [`Options`].
pub fn read_document(bytes: &[u8]) -> Result<sr::Document<'_>, Error> {
    Options::default().read_document(bytes)
}

impl Error {
    /// An I/O error about `file`.
    pub fn from_io(source: std::io::Error, file: impl Into<std::path::PathBuf>) -> Error {
        Error::Io {
            location: Location {
                file: Some(file.into()),
                ..Location::default()
            },
            source,
        }
    }
}

impl Options {
    /// Reads a dose report from an object a service already holds.
    ///
    /// The object is encoded once as explicit VR little endian and read by the same reader
    /// as files, so both paths give the same report.
    pub fn parse_object(&self, object: &InMemDicomObject) -> Result<DoseReport, Error> {
        let bytes = encode_object(object)?;
        self.parse_bytes(&bytes)
    }
}

fn encode_object(object: &InMemDicomObject) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    let ts = dicom_transfer_syntax_registry::entries::EXPLICIT_VR_LITTLE_ENDIAN.erased();
    object
        .write_dataset_with_ts(&mut bytes, &ts)
        .map_err(|e| Error::Object {
            location: Location::default(),
            source: Box::new(e),
        })?;
    Ok(bytes)
}

impl TryFrom<&InMemDicomObject> for DoseReport {
    type Error = Error;

    fn try_from(object: &InMemDicomObject) -> Result<DoseReport, Error> {
        Options::default().parse_object(object)
    }
}
