//! Errors (a file that cannot become a report) and diagnostics (what was coped with).
//!
//! [`Error`] is returned when a file cannot be turned into a report at all; callers branch on
//! [`Error::kind`] rather than on the message. Everything the importer coped with on the way
//! (an unparseable number, a misdeclared character set, a missing optional item) is a
//! [`Diagnostic`] returned on the report: the library never prints.

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The broad class of an [`Error`], for callers that branch on what went wrong.
///
/// New kinds may be added in minor releases; match with a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Reading the file failed (the operating system said no).
    Io,
    /// The bytes are not a DICOM data set.
    NotDicom,
    /// A readable DICOM object that is not a radiation dose report.
    NotDoseReport,
    /// DICOM that breaks its own encoding rules (a length past the end, a broken item).
    Malformed,
    /// A configured limit (input size, nesting depth, item count) was exceeded.
    LimitExceeded,
    /// Valid DICOM this crate does not handle (a transfer syntax, an unknown template).
    Unsupported,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::Io => "i/o error",
            ErrorKind::NotDicom => "not DICOM",
            ErrorKind::NotDoseReport => "not a dose report",
            ErrorKind::Malformed => "malformed DICOM",
            ErrorKind::LimitExceeded => "limit exceeded",
            ErrorKind::Unsupported => "unsupported",
        })
    }
}

/// Which configured limit an input exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// The input (or its inflated form) is larger than [`crate::Options::max_input_size`].
    InputSize,
    /// Sequences or SR content items nest deeper than [`crate::Options::max_depth`].
    Depth,
    /// More data elements or content items than [`crate::Options::max_items`].
    Items,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Limit::InputSize => "input size",
            Limit::Depth => "nesting depth",
            Limit::Items => "item count",
        })
    }
}

/// Where in the input something happened: the file, the SR content path (`1.4.2`) and the
/// byte offset, each when known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Location {
    /// The file, when the input came from one.
    pub file: Option<PathBuf>,
    /// The SR content path (`1` is the document root, `1.4.2` the 2nd child of its 4th child).
    pub path: Option<String>,
    /// Byte offset in the input (in the inflated data set for deflated files).
    pub offset: Option<u64>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            sep = ": ";
        }
        if let Some(path) = &self.path {
            write!(f, "{sep}content item {path}")?;
            sep = ", ";
        }
        if let Some(offset) = self.offset {
            write!(f, "{sep}byte {offset}")?;
        }
        Ok(())
    }
}

/// A file that cannot become a dose report.
///
/// Every variant can carry a [`Location`]; [`Error::kind`] classifies it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading the input failed.
    #[error("{location}: {source}")]
    Io {
        /// Where.
        location: Location,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not a DICOM data set.
    #[error("{location}: not DICOM: {reason}")]
    NotDicom {
        /// Where.
        location: Location,
        /// What was found instead.
        reason: String,
    },
    /// A DICOM object that is not a radiation dose report.
    #[error("{location}: not a dose report: SOP class {sop_class}, document title {title}")]
    NotADoseReport {
        /// Where.
        location: Location,
        /// The SOP Class UID found (`(none)` when absent).
        sop_class: String,
        /// The document title found, as `value (scheme) "meaning"` (`(none)` when absent).
        title: String,
    },
    /// The DICOM encoding is broken.
    #[error("{location}: malformed DICOM: {reason}")]
    Malformed {
        /// Where.
        location: Location,
        /// What is wrong.
        reason: String,
    },
    /// A configured limit was exceeded.
    #[error("{location}: {limit} limit exceeded: {value} > {max}")]
    LimitExceeded {
        /// Where.
        location: Location,
        /// Which limit.
        limit: Limit,
        /// The value that was reached (or declared).
        value: u64,
        /// The configured maximum.
        max: u64,
    },
    /// Valid DICOM that this crate does not handle.
    #[error("{location}: unsupported: {reason}")]
    Unsupported {
        /// Where.
        location: Location,
        /// What is not supported.
        reason: String,
    },
    /// An `InMemDicomObject` could not be encoded for reading.
    #[error("{location}: cannot encode the DICOM object: {source}")]
    Object {
        /// Where.
        location: Location,
        /// dicom-rs's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
}

impl Error {
    /// The class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { .. } => ErrorKind::Io,
            Error::NotDicom { .. } => ErrorKind::NotDicom,
            Error::NotADoseReport { .. } => ErrorKind::NotDoseReport,
            Error::Malformed { .. } | Error::Object { .. } => ErrorKind::Malformed,
            Error::LimitExceeded { .. } => ErrorKind::LimitExceeded,
            Error::Unsupported { .. } => ErrorKind::Unsupported,
        }
    }

    /// Where the error happened.
    pub fn location(&self) -> &Location {
        match self {
            Error::Io { location, .. }
            | Error::NotDicom { location, .. }
            | Error::NotADoseReport { location, .. }
            | Error::Malformed { location, .. }
            | Error::LimitExceeded { location, .. }
            | Error::Unsupported { location, .. }
            | Error::Object { location, .. } => location,
        }
    }

    fn location_mut(&mut self) -> &mut Location {
        match self {
            Error::Io { location, .. }
            | Error::NotDicom { location, .. }
            | Error::NotADoseReport { location, .. }
            | Error::Malformed { location, .. }
            | Error::LimitExceeded { location, .. }
            | Error::Unsupported { location, .. }
            | Error::Object { location, .. } => location,
        }
    }

    /// The SR content path where the error happened, when known.
    pub fn path(&self) -> Option<&str> {
        self.location().path.as_deref()
    }

    /// Attaches the file name (used by [`crate::parse_file`] and batch callers).
    #[must_use]
    pub fn with_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.location_mut().file = Some(file.into());
        self
    }

    pub(crate) fn malformed(
        offset: usize,
        path: Option<String>,
        reason: impl Into<String>,
    ) -> Self {
        Error::Malformed {
            location: Location {
                file: None,
                path,
                offset: Some(offset as u64),
            },
            reason: reason.into(),
        }
    }

    pub(crate) fn limit(limit: Limit, value: u64, max: u64, offset: Option<usize>) -> Self {
        Error::LimitExceeded {
            location: Location {
                file: None,
                path: None,
                offset: offset.map(|o| o as u64),
            },
            limit,
            value,
            max,
        }
    }

    pub(crate) fn with_path(mut self, path: Option<String>) -> Self {
        if path.is_some() {
            self.location_mut().path = path;
        }
        self
    }
}

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Severity {
    /// Worth knowing; nothing was lost (a unit converted, a text re-decoded).
    Info,
    /// A value was dropped or guessed (an unparseable number, a missing item).
    Warning,
    /// A part of the report could not be read; the rest was.
    Error,
}

/// Something the importer coped with, returned on the report (never printed by the library).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// The SR content path (`1.4.2`), or `None` for header attributes and file-level findings.
    pub path: Option<String>,
    /// A stable, machine-readable identifier such as `charset.misdeclared` or `num.unparseable`.
    pub code: Cow<'static, str>,
    /// A sentence for people.
    pub message: String,
}

impl Diagnostic {
    /// A new diagnostic.
    pub fn new(
        severity: Severity,
        path: Option<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            path,
            code: Cow::Borrowed(code),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        match &self.path {
            Some(p) => write!(f, "{sev} [{}] at {p}: {}", self.code, self.message),
            None => write!(f, "{sev} [{}]: {}", self.code, self.message),
        }
    }
}
