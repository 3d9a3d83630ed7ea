//! The options builder shared by every entry point.

use std::path::Path;
use std::sync::Arc;

use crate::error::Error;
use crate::quirks::{Fix, QuirkConfig, QuirkError, QuirkErrorKind, QuirkTable};
use crate::report::DoseReport;
use crate::sr::Document;

/// Default for [`Options::max_input_size`]: 64 MiB.
pub const DEFAULT_MAX_INPUT_SIZE: u64 = 64 * 1024 * 1024;
/// Default for [`Options::max_depth`]: 32 levels of SR content nesting.
pub const DEFAULT_MAX_DEPTH: u32 = 32;
/// The deepest nesting whose content tree is safe to serialise on a thread with the default
/// 2 MiB stack (see [`Options::max_depth`]).
pub const MAX_DEPTH_CEILING: u32 = 1024;
/// Default for [`Options::max_items`]: 4 194 304 data elements.
pub const DEFAULT_MAX_ITEMS: u32 = 4 * 1024 * 1024;

/// How vendor defects are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Mode {
    /// Work around known defects and record what was done (the default).
    #[default]
    Lenient,
    /// Apply no workaround: each would-be fix becomes a diagnostic, and defects that block
    /// reading become errors (conformance checking of new equipment).
    Strict,
}

/// What to do with text whose bytes contradict the declared Specific Character Set.
///
/// The usual case is a file that declares `ISO_IR 100` (Latin-1) or nothing, but stores UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum MisdeclaredText {
    /// Decode as UTF-8 when the bytes are valid UTF-8 with at least one multi-byte sequence,
    /// and record a diagnostic (the default). Undeclared non-ASCII text that is not UTF-8 is
    /// decoded as ISO-8859-1, also with a diagnostic.
    #[default]
    DetectUtf8,
    /// Decode exactly as declared (ISO-8859-1 when undeclared), as most toolkits do.
    AsDeclared,
}

/// Options for reading dose reports, shaped like dicom-object's `OpenFileOptions`.
///
/// ```
/// let options = rdsr::Options::new().max_depth(16).max_input_size(8 << 20);
/// # let _ = options;
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    pub(crate) max_input_size: u64,
    pub(crate) max_depth: u32,
    pub(crate) max_items: u32,
    pub(crate) mode: Mode,
    pub(crate) misdeclared_text: MisdeclaredText,
    pub(crate) quirks: QuirkConfig,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_input_size: DEFAULT_MAX_INPUT_SIZE,
            max_depth: DEFAULT_MAX_DEPTH,
            max_items: DEFAULT_MAX_ITEMS,
            mode: Mode::Lenient,
            misdeclared_text: MisdeclaredText::DetectUtf8,
            quirks: QuirkConfig::default(),
        }
    }
}

impl Options {
    /// The defaults.
    pub fn new() -> Self {
        Options::default()
    }

    /// The largest input accepted, in bytes; for deflated files, the largest inflated data set.
    ///
    /// Default: 64 MiB ([`DEFAULT_MAX_INPUT_SIZE`]). Larger inputs fail with
    /// [`crate::ErrorKind::LimitExceeded`] before anything is allocated for them.
    #[must_use]
    pub fn max_input_size(mut self, bytes: u64) -> Self {
        self.max_input_size = bytes;
        self
    }

    /// The deepest SR content nesting accepted (the root's children are at depth 1).
    ///
    /// Default: 32 ([`DEFAULT_MAX_DEPTH`]); real dose reports nest about 6 deep. Sequences
    /// outside the content tree may nest twice as deep plus a small margin. Reading and
    /// mapping never recurse, whatever the depth; serialising a [`Document`] with `serde`
    /// nests a few stack frames per level, so keep the limit at or below
    /// [`MAX_DEPTH_CEILING`] when trees are serialised (as `rdsr dump --json` does).
    #[must_use]
    pub fn max_depth(mut self, depth: u32) -> Self {
        self.max_depth = depth;
        self
    }

    /// The most data elements (and so content items) accepted in one input.
    ///
    /// Default: 4 194 304 ([`DEFAULT_MAX_ITEMS`]), far above the 150 000 or so of the largest
    /// real reports. Memory use is about 24 bytes per element.
    #[must_use]
    pub fn max_items(mut self, items: u32) -> Self {
        self.max_items = items;
        self
    }

    /// Lenient or strict handling of vendor defects.
    ///
    /// Default: [`Mode::Lenient`].
    #[must_use]
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Shorthand for `mode(Mode::Strict)` when `strict` is true, else `mode(Mode::Lenient)`.
    #[must_use]
    pub fn strict(self, strict: bool) -> Self {
        self.mode(if strict { Mode::Strict } else { Mode::Lenient })
    }

    /// What to do with text that contradicts its declared character set.
    ///
    /// Default: [`MisdeclaredText::DetectUtf8`].
    #[must_use]
    pub fn misdeclared_text(mut self, policy: MisdeclaredText) -> Self {
        self.misdeclared_text = policy;
        self
    }

    /// Turns off the quirk with this id (neither applied nor reported).
    ///
    /// The id must name an entry of the table configured so far: an unknown id (a typo)
    /// fails with [`QuirkErrorKind::UnknownId`] instead of silently turning nothing off, and
    /// a broken table fails with its own error. Add quirk files ([`Options::quirk_dir`],
    /// [`Options::quirks`]) before disabling their entries.
    ///
    /// Default: every quirk of the table is on.
    ///
    /// ```
    /// use rdsr::quirks::QuirkErrorKind;
    ///
    /// let options = rdsr::Options::new().disable_quirk("openrem-681-varian-missing-study-date")?;
    /// # let _ = options;
    /// let typo = rdsr::Options::new().disable_quirk("openrem-681-varian-missing-studydate");
    /// assert_eq!(typo.map(|_| ()).map_err(|e| e.kind), Err(QuirkErrorKind::UnknownId));
    /// // `?` turns a quirk error into an `rdsr::Error` of kind `QuirkTable`.
    /// # Ok::<(), rdsr::Error>(())
    /// ```
    pub fn disable_quirk(mut self, id: impl Into<String>) -> Result<Self, QuirkError> {
        let id = id.into();
        let known = self.quirks.table()?.entries().iter().any(|e| e.id == id);
        if !known {
            return Err(QuirkError::new(
                QuirkErrorKind::UnknownId,
                "",
                0,
                format!("no quirk with id {id:?} in the table"),
            ));
        }
        self.quirks.disabled.insert(id);
        self.quirks.changed();
        Ok(self)
    }

    /// Whether the quirk table shipped with the crate is used.
    ///
    /// Default: true. Turn it off to run only quirks added with [`Options::quirk_dir`] or
    /// [`Options::quirks`].
    #[must_use]
    pub fn shipped_quirks(mut self, on: bool) -> Self {
        self.quirks.shipped = on;
        self.quirks.changed();
        self
    }

    /// Adds the quirk files (`*.toml`) of a directory, read and checked now: a malformed
    /// file, an unknown fix or bad fix parameters fail here, naming the file. Register your
    /// own fixes ([`Options::register_fix`]) before loading entries that select them.
    ///
    /// Default: none.
    pub fn quirk_dir(mut self, dir: impl AsRef<Path>) -> Result<Self, QuirkError> {
        self.quirks.add_dir(dir.as_ref())?;
        self.quirks.table()?;
        Ok(self)
    }

    /// Adds quirk entries built or parsed by the caller, checked against the registered
    /// fixes now.
    ///
    /// Default: none.
    pub fn quirks(mut self, table: QuirkTable) -> Result<Self, QuirkError> {
        self.quirks.changed();
        self.quirks.extra.extend(table)?;
        self.quirks.table()?;
        Ok(self)
    }

    /// Registers a fix of your own under `name`; quirk entries select it with
    /// `[fix] name = "..."`. Replaces a shipped fix of the same name.
    #[must_use]
    pub fn register_fix(mut self, name: impl Into<String>, fix: Arc<dyn Fix>) -> Self {
        self.quirks.registry.register(name, fix);
        self.quirks.changed();
        self
    }

    /// The quirk configuration (table, disabled ids, fixes).
    pub fn quirk_config(&self) -> &QuirkConfig {
        &self.quirks
    }

    /// Reads the SR content tree of a dose report without mapping it to typed records.
    ///
    /// The returned document borrows from `bytes` (or owns the inflated data of a deflated
    /// file).
    pub fn read_document<'a>(&self, bytes: &'a [u8]) -> Result<Document<'a>, Error> {
        crate::load::read(bytes, self)
    }

    /// Reads a dose report from bytes holding a DICOM file (with or without preamble and file
    /// meta information) or a bare data set.
    pub fn parse_bytes(&self, bytes: &[u8]) -> Result<DoseReport, Error> {
        let doc = self.read_document(bytes)?;
        DoseReport::map(&doc, self)
    }

    /// Reads a dose report from a reader (a socket, a decompressor, a blob from a
    /// database): at most [`Options::max_input_size`] bytes are read, never an unbounded
    /// amount. A longer stream fails with [`crate::ErrorKind::LimitExceeded`] once one byte
    /// more than the limit has been read; a read error is [`crate::ErrorKind::Io`].
    pub fn parse_reader(&self, reader: impl std::io::Read) -> Result<DoseReport, Error> {
        let bytes = crate::load::read_bounded(reader, self.max_input_size)?;
        self.parse_bytes(&bytes)
    }

    /// Reads a dose report from a file. Errors carry the file name.
    pub fn parse_file(&self, path: impl AsRef<Path>) -> Result<DoseReport, Error> {
        let path = path.as_ref();
        let bytes = crate::load::read_file_bounded(path, self.max_input_size)?;
        self.parse_bytes(&bytes).map_err(|e| e.with_file(path))
    }
}
