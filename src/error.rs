//! Errors (a file that cannot become a report) and diagnostics (what was coped with).
//!
//! [`Error`] is returned when a file cannot be turned into a report at all; callers branch on
//! [`Error::kind`] (and, for broken encodings, on the [`MalformedReason`]) rather than on the
//! message. Everything the importer coped with on the way (an unparseable number, a
//! misdeclared character set, a missing optional item) is a [`Diagnostic`] returned on the
//! report, identified by a [`DiagnosticCode`]: the library never prints.
//!
//! Messages follow the convention of the standard library's error reporters: an error's
//! `Display` says what went wrong at its own level and does not repeat its
//! [`source`](std::error::Error::source); print the chain to see every cause.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use dicom_core::{Tag, VR};
use serde::{Deserialize, Serialize};

/// The broad class of an [`Error`], for callers that branch on what went wrong.
///
/// New kinds may be added in minor releases; match with a wildcard arm. The serialised names
/// (`snake_case`) are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Reading the file failed (the operating system said no).
    Io,
    /// The bytes are not a DICOM data set.
    NotDicom,
    /// A readable DICOM object that is not a radiation dose report
    /// ([`Error::NotADoseReport`]). Serialised as `not_dose_report`, its name before it took
    /// the variant's name.
    #[serde(rename = "not_dose_report")]
    NotADoseReport,
    /// DICOM that breaks its own encoding rules (a length past the end, a broken item).
    Malformed,
    /// A configured limit (input size, nesting depth, item count) was exceeded.
    LimitExceeded,
    /// Valid DICOM this crate does not handle (a transfer syntax, an unknown template).
    Unsupported,
    /// The quirk table (shipped, or added with [`crate::Options::quirk_dir`] or
    /// [`crate::Options::quirks`]) is broken: every report fails until it is fixed.
    QuirkTable,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::Io => "i/o error",
            ErrorKind::NotDicom => "not DICOM",
            ErrorKind::NotADoseReport => "not a dose report",
            ErrorKind::Malformed => "malformed DICOM",
            ErrorKind::LimitExceeded => "limit exceeded",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::QuirkTable => "broken quirk table",
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

impl Location {
    fn is_empty(&self) -> bool {
        self.file.is_none() && self.path.is_none() && self.offset.is_none()
    }
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

/// A data element tag as `(gggg,eeee)`.
struct TagText(Tag);

impl fmt::Display for TagText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({:04X},{:04X})", self.0.0, self.0.1)
    }
}

/// Why the DICOM encoding of an input is broken ([`Error::Malformed`]).
///
/// The byte offset is in the error's [`Location`]; what else varies (the tag, the declared
/// length, the bytes that remain) is kept here as data. `Display` gives the sentence of the
/// error message. Variants may be added in minor releases; match with a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MalformedReason {
    /// The data set of a Deflated Explicit VR Little Endian file does not inflate.
    Deflate,
    /// A File Meta Information element has a VR that does not exist.
    MetaInvalidVr {
        /// The element's tag.
        tag: Tag,
    },
    /// The input ends inside a File Meta Information element header.
    MetaTruncated,
    /// A File Meta Information element's length is undefined or runs past the end.
    MetaLength {
        /// The element's tag.
        tag: Tag,
        /// The declared length (`0xFFFFFFFF` when undefined).
        length: u32,
    },
    /// The input ends inside an undefined-length sequence (no Sequence Delimitation Item).
    UnclosedSequence {
        /// The sequence's tag, when known.
        tag: Option<Tag>,
    },
    /// The input ends inside an undefined-length item (no Item Delimitation Item).
    UnclosedItem {
        /// The tag of the sequence the item belongs to, when known.
        tag: Option<Tag>,
    },
    /// Fewer than the 8 bytes of a data element header remain inside a sequence or item.
    TruncatedHeader {
        /// The bytes that remain.
        remaining: u64,
    },
    /// The input ends inside a tag.
    TruncatedTag,
    /// The input ends inside the 12-byte header of an element with a 4-byte length.
    TruncatedElementHeader,
    /// A pixel data fragment's length is undefined or runs past the data.
    FragmentLength {
        /// The declared length.
        length: u32,
    },
    /// An item's length runs past its container.
    ItemLength {
        /// The declared length.
        length: u32,
        /// The bytes that remain in the container.
        remaining: u64,
    },
    /// Something other than an item or a sequence delimiter inside a sequence.
    NotAnItem {
        /// What was found.
        tag: Tag,
    },
    /// An Item Delimitation Item outside any item.
    ItemDelimiterOutsideItem,
    /// An Item, or a Sequence Delimitation Item, outside any sequence.
    OutsideSequence {
        /// The item or delimiter tag found.
        tag: Tag,
    },
    /// An explicit VR that does not exist.
    InvalidVr {
        /// The element's tag.
        tag: Tag,
        /// The two bytes found where the VR should be.
        vr: [u8; 2],
    },
    /// A sequence's length runs past its container.
    SequenceLength {
        /// The sequence's tag.
        tag: Tag,
        /// The declared length.
        length: u32,
        /// The bytes that remain in the container.
        remaining: u64,
    },
    /// An undefined length on an element whose VR does not allow it.
    UndefinedLength {
        /// The element's tag.
        tag: Tag,
        /// The element's VR.
        vr: VR,
    },
    /// A value's length runs past its container.
    ValueLength {
        /// The element's tag.
        tag: Tag,
        /// The declared length.
        length: u32,
        /// The bytes that remain in the container.
        remaining: u64,
    },
}

impl fmt::Display for MalformedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tag = |t: &Option<Tag>| t.map(|t| format!(" {}", TagText(t))).unwrap_or_default();
        match self {
            MalformedReason::Deflate => f.write_str("deflated data set does not inflate"),
            MalformedReason::MetaInvalidVr { tag } => {
                write!(f, "invalid VR in file meta element {}", TagText(*tag))
            }
            MalformedReason::MetaTruncated => f.write_str("truncated file meta element"),
            MalformedReason::MetaLength { tag, length } => write!(
                f,
                "file meta element {} length {length} exceeds the data",
                TagText(*tag)
            ),
            MalformedReason::UnclosedSequence { tag: t } => {
                write!(f, "data ends inside an undefined-length sequence{}", tag(t))
            }
            MalformedReason::UnclosedItem { tag: t } => write!(
                f,
                "data ends inside an undefined-length item of sequence{}",
                tag(t)
            ),
            MalformedReason::TruncatedHeader { remaining } => write!(
                f,
                "{remaining} bytes left where a data element header needs 8"
            ),
            MalformedReason::TruncatedTag => f.write_str("truncated tag"),
            MalformedReason::TruncatedElementHeader => f.write_str("truncated element header"),
            MalformedReason::FragmentLength { length } => {
                write!(f, "pixel data fragment length {length} exceeds the data")
            }
            MalformedReason::ItemLength { length, remaining } => write!(
                f,
                "item length {length} exceeds the {remaining} bytes that remain"
            ),
            MalformedReason::NotAnItem { tag } => {
                write!(f, "expected an item in a sequence, found {}", TagText(*tag))
            }
            MalformedReason::ItemDelimiterOutsideItem => {
                f.write_str("item delimiter outside any item")
            }
            MalformedReason::OutsideSequence { tag } => {
                write!(f, "{} outside a sequence", TagText(*tag))
            }
            MalformedReason::InvalidVr { tag, vr } => write!(
                f,
                "invalid VR {:?} for {}",
                String::from_utf8_lossy(vr),
                TagText(*tag)
            ),
            MalformedReason::SequenceLength {
                tag,
                length,
                remaining,
            } => write!(
                f,
                "sequence {} length {length} exceeds the {remaining} bytes that remain",
                TagText(*tag)
            ),
            MalformedReason::UndefinedLength { tag, vr } => {
                write!(f, "undefined length on {} ({vr:?})", TagText(*tag))
            }
            MalformedReason::ValueLength {
                tag,
                length,
                remaining,
            } => write!(
                f,
                "value length {length} of {} exceeds the {remaining} bytes that remain",
                TagText(*tag)
            ),
        }
    }
}

/// What is wrong with a quirk table ([`QuirkError::kind`]).
///
/// Variants may be added in minor releases; match with a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum QuirkErrorKind {
    /// A quirk file or folder could not be read; the i/o error is the
    /// [`source`](std::error::Error::source).
    Io,
    /// A quirk file breaks the quirk file format (syntax, an unknown or missing key, an
    /// unknown kind, too large).
    Syntax,
    /// Two entries have the same id.
    DuplicateId,
    /// More entries than a table holds.
    TooManyEntries,
    /// An entry selects a fix that is not registered.
    UnknownFix,
    /// A fix rejects the parameters an entry gives it.
    FixParameters,
    /// An id that no entry of the table has (given to [`crate::Options::disable_quirk`]).
    UnknownId,
}

/// A broken quirk table: which file, which line, what is wrong.
///
/// Converts into [`Error`] (kind [`ErrorKind::QuirkTable`]) with `?`. An i/o error reading a
/// quirk file stays an [`std::io::Error`], returned by
/// [`source`](std::error::Error::source) and not repeated in the message.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct QuirkError {
    /// What is wrong.
    pub kind: QuirkErrorKind,
    /// The file (its name as given to the parser); empty when the problem is not in a file.
    pub file: String,
    /// The 1-based line (0 when the problem is the file as a whole).
    pub line: usize,
    /// What is wrong, for people.
    pub message: String,
    source: Option<Arc<std::io::Error>>,
}

impl QuirkError {
    /// A quirk table error without an underlying cause.
    pub fn new(
        kind: QuirkErrorKind,
        file: impl Into<String>,
        line: usize,
        message: impl Into<String>,
    ) -> Self {
        QuirkError {
            kind,
            file: file.into(),
            line,
            message: message.into(),
            source: None,
        }
    }

    /// A quirk file or folder that could not be read: kind [`QuirkErrorKind::Io`], with the
    /// i/o error as the source.
    pub fn io(file: impl Into<String>, message: impl Into<String>, source: std::io::Error) -> Self {
        QuirkError {
            kind: QuirkErrorKind::Io,
            file: file.into(),
            line: 0,
            message: message.into(),
            source: Some(Arc::new(source)),
        }
    }

    /// The i/o error behind a [`QuirkErrorKind::Io`] error.
    pub fn io_error(&self) -> Option<&std::io::Error> {
        self.source.as_deref()
    }
}

impl PartialEq for QuirkError {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
            && self.file == other.file
            && self.line == other.line
            && self.message == other.message
            && self.source.as_ref().map(|e| e.kind()) == other.source.as_ref().map(|e| e.kind())
    }
}

impl Eq for QuirkError {}

impl fmt::Display for QuirkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.file.is_empty(), self.line) {
            (true, _) => f.write_str(&self.message),
            (false, 0) => write!(f, "{}: {}", self.file, self.message),
            (false, line) => write!(f, "{}:{line}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for QuirkError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A file that cannot become a dose report.
///
/// Every variant can carry a [`Location`]; [`Error::kind`] classifies it. The message starts
/// with the location when one is known (`dose.dcm: content item 1.4, byte 812: ...`) and does
/// not repeat the [`source`](std::error::Error::source) error.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Reading the input failed; the operating system's error is the source.
    Io {
        /// Where.
        location: Location,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The bytes are not a DICOM data set.
    NotDicom {
        /// Where.
        location: Location,
        /// What was found instead.
        reason: String,
    },
    /// A DICOM object that is not a radiation dose report.
    NotADoseReport {
        /// Where.
        location: Location,
        /// The SOP Class UID found (`(none)` when absent).
        sop_class: String,
        /// The document title found, as `value (scheme) "meaning"` (`(none)` when absent).
        title: String,
    },
    /// The DICOM encoding is broken.
    Malformed {
        /// Where.
        location: Location,
        /// What is wrong.
        reason: MalformedReason,
    },
    /// A configured limit was exceeded.
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
    Unsupported {
        /// Where.
        location: Location,
        /// What is not supported.
        reason: String,
    },
    /// An `InMemDicomObject` could not be encoded for reading; dicom-rs's error is the
    /// source.
    Object {
        /// Where.
        location: Location,
        /// dicom-rs's error.
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// The quirk table is broken; the [`QuirkError`] is the source.
    QuirkTable {
        /// Where (usually nowhere in the input: the table is at fault, not the file).
        location: Location,
        /// What is wrong with the table.
        source: Box<QuirkError>,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = self.location();
        if !location.is_empty() {
            write!(f, "{location}: ")?;
        }
        match self {
            Error::Io { .. } => f.write_str("i/o error"),
            Error::NotDicom { reason, .. } => write!(f, "not DICOM: {reason}"),
            Error::NotADoseReport {
                sop_class, title, ..
            } => write!(
                f,
                "not a dose report: SOP class {sop_class}, document title {title}"
            ),
            Error::Malformed { reason, .. } => write!(f, "malformed DICOM: {reason}"),
            Error::LimitExceeded {
                limit, value, max, ..
            } => write!(f, "{limit} limit exceeded: {value} > {max}"),
            Error::Unsupported { reason, .. } => write!(f, "unsupported: {reason}"),
            Error::Object { .. } => f.write_str("cannot encode the DICOM object"),
            Error::QuirkTable { .. } => f.write_str("broken quirk table"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Object { source, .. } => Some(&**source),
            Error::QuirkTable { source, .. } => Some(&**source),
            Error::NotDicom { .. }
            | Error::NotADoseReport { .. }
            | Error::Malformed { .. }
            | Error::LimitExceeded { .. }
            | Error::Unsupported { .. } => None,
        }
    }
}

impl From<QuirkError> for Error {
    fn from(source: QuirkError) -> Self {
        Error::QuirkTable {
            location: Location::default(),
            source: Box::new(source),
        }
    }
}

impl Error {
    /// The class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { .. } => ErrorKind::Io,
            Error::NotDicom { .. } => ErrorKind::NotDicom,
            Error::NotADoseReport { .. } => ErrorKind::NotADoseReport,
            Error::Malformed { .. } | Error::Object { .. } => ErrorKind::Malformed,
            Error::LimitExceeded { .. } => ErrorKind::LimitExceeded,
            Error::Unsupported { .. } => ErrorKind::Unsupported,
            Error::QuirkTable { .. } => ErrorKind::QuirkTable,
        }
    }

    /// Why the encoding is broken, for [`Error::Malformed`].
    pub fn malformed_reason(&self) -> Option<MalformedReason> {
        match self {
            Error::Malformed { reason, .. } => Some(*reason),
            _ => None,
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
            | Error::Object { location, .. }
            | Error::QuirkTable { location, .. } => location,
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
            | Error::Object { location, .. }
            | Error::QuirkTable { location, .. } => location,
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

    pub(crate) fn malformed(offset: usize, path: Option<String>, reason: MalformedReason) -> Self {
        Error::Malformed {
            location: Location {
                file: None,
                path,
                offset: Some(offset as u64),
            },
            reason,
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

macro_rules! diagnostic_codes {
    ($( $(#[doc = $doc:literal])* $variant:ident => $name:literal, )*) => {
        /// What a [`Diagnostic`] is about: a closed set of stable, machine-readable codes.
        ///
        /// Serialised (JSON, snapshots) as its dotted name, such as `charset.utf8_detected`
        /// ([`DiagnosticCode::as_str`]); [`FromStr`] reads the name back. Every code, with
        /// its meaning and typical cause, is listed in `docs/diagnostics.md`.
        ///
        /// Stability: codes are only added (in minor releases), never renamed or removed; match
        /// with a wildcard arm. A reader older than the data it reads rejects a code it does
        /// not know.
        ///
        /// ```
        /// use rdsr::DiagnosticCode;
        ///
        /// let code: DiagnosticCode = "unit.converted".parse()?;
        /// assert_eq!(code, DiagnosticCode::UnitConverted);
        /// assert_eq!(code.to_string(), "unit.converted");
        /// assert!("unit.typo".parse::<DiagnosticCode>().is_err());
        /// # Ok::<(), rdsr::UnknownDiagnosticCode>(())
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum DiagnosticCode {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl DiagnosticCode {
            /// Every code, sorted by name.
            pub const ALL: &'static [DiagnosticCode] = &[$(DiagnosticCode::$variant,)*];

            /// The stable dotted name (`num.unparseable`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(DiagnosticCode::$variant => $name,)*
                }
            }
        }
    };
}

diagnostic_codes! {
    /// A byte >= 0x80 where the declared character set has only ASCII (no G1 set): read as
    /// ISO-8859-1, as other readers do.
    CharsetByteOutsideRepertoire => "charset.byte_outside_repertoire",
    /// An ISO 2022 escape in a value whose VR does not allow code extensions.
    CharsetEscapeInVr => "charset.escape_in_vr",
    /// Text bytes are not valid in the declared character set; invalid sequences replaced.
    CharsetInvalid => "charset.invalid",
    /// A two-byte character cut short by the end of the value or an escape sequence.
    CharsetTruncatedSequence => "charset.truncated_sequence",
    /// Non-ASCII text without a declared character set, not UTF-8: read as ISO-8859-1.
    CharsetUndeclared => "charset.undeclared",
    /// A Specific Character Set (0008,0005) this crate does not know: read as ISO-8859-1.
    CharsetUnknown => "charset.unknown",
    /// An escape sequence to a character set the declaration does not name.
    CharsetUnknownEscape => "charset.unknown_escape",
    /// Text declared as Latin-1 (or undeclared) is UTF-8: decoded as UTF-8.
    CharsetUtf8Detected => "charset.utf8_detected",
    /// A CODE content item without a coded value.
    CodeEmpty => "code.empty",
    /// A Yes/No CODE item (CID 230) holds another code.
    CodeNotYesNo => "code.not_yes_no",
    /// A CODE was expected and another value type found.
    CodeValueType => "code.value_type",
    /// A CT report without CT Accumulated Dose Data (113811): no DLP total.
    CtAccumulatedMissing => "ct.accumulated.missing",
    /// A second CT Accumulated Dose Data container; only the first is read.
    CtAccumulatedRepeated => "ct.accumulated.repeated",
    /// A CT Acquisition (not a localiser) without CT Dose (113829).
    CtDoseMissing => "ct.dose.missing",
    /// A second CT Dose container in one acquisition; only the first is read.
    CtDoseRepeated => "ct.dose.repeated",
    /// A second Dose Check Alert or Notification container; only the first is read.
    CtDoseCheckRepeated => "ct.dose_check.repeated",
    /// An empty CT Acquisition Parameters container: no values.
    CtParametersEmpty => "ct.parameters.empty",
    /// A CT Acquisition without CT Acquisition Parameters (113822).
    CtParametersMissing => "ct.parameters.missing",
    /// A second CT Acquisition Parameters container; only the first is read.
    CtParametersRepeated => "ct.parameters.repeated",
    /// Number of X-Ray Sources differs from the CT X-Ray Source Parameters containers present.
    CtSourcesCountMismatch => "ct.sources.count_mismatch",
    /// A DATETIME item without a value.
    DatetimeEmpty => "datetime.empty",
    /// A Timezone Offset From UTC (0008,0201) that is not `&ZZXX`: dropped, times stay naive.
    DatetimeTimezoneOffsetMalformed => "datetime.timezone_offset_malformed",
    /// A DATETIME value that is not a DICOM date-time.
    DatetimeUnparseable => "datetime.unparseable",
    /// An Item Delimitation Item inside a defined-length item: ignored.
    DicomRedundantDelimiter => "dicom.redundant_delimiter",
    /// A Sequence Delimitation Item outside any sequence: ignored.
    DicomStrayDelimiter => "dicom.stray_delimiter",
    /// Fewer bytes than a data element header after the last element: ignored.
    DicomTrailingBytes => "dicom.trailing_bytes",
    /// An unknown Transfer Syntax UID: read as explicit VR little endian.
    DicomUnknownTransferSyntax => "dicom.unknown_transfer_syntax",
    /// A NUM item without a numeric value (and without a reason for its absence).
    NumEmpty => "num.empty",
    /// Several numeric values where one is expected; the first is kept.
    NumMultiValued => "num.multi_valued",
    /// A count (number of sources, pulses, ...) that is not a non-negative whole number.
    NumNotACount => "num.not_a_count",
    /// A Numeric Value whose bytes are not a decimal string.
    NumNotAscii => "num.not_ascii",
    /// A numeric value that is not a number, or out of range once converted.
    NumUnparseable => "num.unparseable",
    /// A NUM was expected and another value type found.
    NumValueType => "num.value_type",
    /// Patient's Birth Date after the study date (a placeholder): the stated age is used.
    PatientBirthDateAfterStudyDate => "patient.birth_date_after_study_date",
    /// An Accumulated Average Glandular Dose without Laterality (TID 10005).
    ProjectionAgdLateralityMissing => "projection.agd_laterality_missing",
    /// Acquisition Device Type says radiography, the report's content says fluoroscopy.
    ProjectionDeviceTypeContradicted => "projection.device_type_contradicted",
    /// An Acquisition Device Type outside CID 10032: ignored for the modality.
    ProjectionDeviceTypeUnknown => "projection.device_type_unknown",
    /// An X-Ray Filter whose maximum thickness is below its minimum.
    ProjectionFilterThicknessOrder => "projection.filter_thickness_order",
    /// An Acquired Image reference without a Referenced SOP Instance UID.
    ProjectionImageReferenceEmpty => "projection.image_reference_empty",
    /// Laterality under Target Region differs from Laterality under Anatomical structure.
    ProjectionLateralityConflict => "projection.laterality_conflict",
    /// Neither mammography, device type, accumulated totals nor events tell the modality.
    ProjectionModalityUndetermined => "projection.modality_undetermined",
    /// A CONTAINER was expected and another value type found; the item is skipped.
    ProjectionNotContainer => "projection.not_container",
    /// Patient Orientation Modifier beside Patient Orientation instead of under it.
    ProjectionOrientationModifierSibling => "projection.orientation_modifier_sibling",
    /// A TID 10002 accumulated dose container without Acquisition Plane (113764).
    ProjectionPlaneMissing => "projection.plane_missing",
    /// A TID 10001 report without Procedure reported (121058).
    ProjectionProcedureMissing => "projection.procedure_missing",
    /// An Acquisition Protocol item without text.
    ProjectionProtocolEmpty => "projection.protocol_empty",
    /// A single-valued row given twice; the first value is kept (or values appended).
    ProjectionRepeated => "projection.repeated",
    /// A CODE or TEXT was expected and another value type found.
    ProjectionValueType => "projection.value_type",
    /// A quirk matched but was not applied (strict mode): what it would have changed.
    QuirkNotApplied => "quirk.not_applied",
    /// A radiopharmaceutical report (TID 10021) without any administration (113502).
    RadiopharmaceuticalAdministrationMissing => "radiopharmaceutical.administration_missing",
    /// A single-valued TID 10021 / 10022 / 10023 row or container given again; the first is
    /// kept.
    RadiopharmaceuticalRepeated => "radiopharmaceutical.repeated",
    /// An attribute appears twice in one content item; the last one is read.
    SrDuplicateAttribute => "sr.duplicate_attribute",
    /// A content item with an unknown or missing Value Type.
    SrValueType => "sr.value_type",
    /// No Study Date: the Content or Series Date is used.
    StudyDateFallback => "study.date_fallback",
    /// No Study Date (and no date to fall back on).
    StudyDateMissing => "study.date_missing",
    /// No Study Time: the Content or Series Time is used.
    StudyTimeFallback => "study.time_fallback",
    /// No Study Time (and no time to fall back on).
    StudyTimeMissing => "study.time_missing",
    /// No template identifier and no quirk recognised the content.
    TemplateUnknown => "template.unknown",
    /// The report's template is not one this crate maps: only the header records are filled.
    TemplateUnmapped => "template.unmapped",
    /// Text was expected and another value type found.
    TextValueType => "text.value_type",
    /// A UID written as TEXT; not read.
    UidValueType => "uid.value_type",
    /// A value converted from a non-standard unit to the crate's unit.
    UnitConverted => "unit.converted",
    /// A unit that is not a known unit of the quantity; the value is kept as is.
    UnitUnknown => "unit.unknown",
}

impl fmt::Display for DiagnosticCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a [`DiagnosticCode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown diagnostic code {name:?}")]
pub struct UnknownDiagnosticCode {
    name: String,
}

impl UnknownDiagnosticCode {
    /// The name that was given.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl FromStr for DiagnosticCode {
    type Err = UnknownDiagnosticCode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DiagnosticCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownDiagnosticCode {
                name: s.to_string(),
            })
    }
}

impl Serialize for DiagnosticCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for DiagnosticCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = DiagnosticCode;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a diagnostic code such as \"num.unparseable\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DiagnosticCode, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Name)
    }
}

/// Something the importer coped with, returned on the report (never printed by the library).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// The SR content path (`1.4.2`), or `None` for header attributes and file-level findings.
    pub path: Option<String>,
    /// What it is about: a stable code, serialised as its name such as `charset.utf8_detected`.
    pub code: DiagnosticCode,
    /// A sentence for people.
    pub message: String,
}

impl Diagnostic {
    /// A new diagnostic.
    pub fn new(
        severity: Severity,
        path: Option<String>,
        code: DiagnosticCode,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            path,
            code,
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
