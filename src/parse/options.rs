//! The options builder shared by every entry point.

use std::path::Path;
use std::sync::Arc;

use crate::error::Error;
use crate::load::{MisdeclaredText, ReadOptions};
use crate::model::DoseReport;
use crate::quirks::{Explanation, Fix, QuirkConfig, QuirkError, QuirkErrorKind, QuirkTable};
use crate::sr::Document;

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

/// Options for reading dose reports, shaped like dicom-object's `OpenFileOptions`.
///
/// ```
/// let options = rdsr::Options::new().max_depth(16).max_input_size(8 << 20);
/// # let _ = options;
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    pub(crate) read: ReadOptions,
    pub(crate) mode: Mode,
    pub(crate) quirks: QuirkConfig,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            read: ReadOptions::default(),
            mode: Mode::Lenient,
            quirks: QuirkConfig::default(),
        }
    }
}

impl Options {
    /// The defaults.
    pub fn new() -> Self {
        Options::default()
    }

    /// The reader's limits and text policy, all at once (replaces what the setters below
    /// set).
    ///
    /// Default: [`ReadOptions::default`].
    #[must_use]
    pub fn read_options(mut self, read: ReadOptions) -> Self {
        self.read = read;
        self.read.invalid_text_warns = self.mode == Mode::Strict;
        self
    }

    /// The reader's limits and text policy.
    pub fn reader(&self) -> &ReadOptions {
        &self.read
    }

    /// See [`ReadOptions::max_input_size`].
    ///
    /// Default: 64 MiB ([`crate::DEFAULT_MAX_INPUT_SIZE`]).
    #[must_use]
    pub fn max_input_size(mut self, bytes: u64) -> Self {
        self.read = self.read.max_input_size(bytes);
        self
    }

    /// See [`ReadOptions::max_depth`].
    ///
    /// Default: 32 ([`crate::DEFAULT_MAX_DEPTH`]).
    #[must_use]
    pub fn max_depth(mut self, depth: u32) -> Self {
        self.read = self.read.max_depth(depth);
        self
    }

    /// See [`ReadOptions::max_items`].
    ///
    /// Default: 4 194 304 ([`crate::DEFAULT_MAX_ITEMS`]).
    #[must_use]
    pub fn max_items(mut self, items: u32) -> Self {
        self.read = self.read.max_items(items);
        self
    }

    /// Lenient or strict handling of vendor defects.
    ///
    /// Default: [`Mode::Lenient`].
    #[must_use]
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self.read.invalid_text_warns = mode == Mode::Strict;
        self
    }

    /// Shorthand for `mode(Mode::Strict)` when `strict` is true, else `mode(Mode::Lenient)`.
    #[must_use]
    pub fn strict(self, strict: bool) -> Self {
        self.mode(if strict { Mode::Strict } else { Mode::Lenient })
    }

    /// See [`ReadOptions::misdeclared_text`].
    ///
    /// Default: [`MisdeclaredText::DetectUtf8`].
    #[must_use]
    pub fn misdeclared_text(mut self, policy: MisdeclaredText) -> Self {
        self.read = self.read.misdeclared_text(policy);
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
        super::read(bytes, &self.read)
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
        let bytes = crate::load::read_bounded(reader, self.read.max_input_size)?;
        self.parse_bytes(&bytes)
    }

    /// How every entry of the effective quirk table relates to one document (matched, or
    /// which key missed; disabled; what the fix changed in a lenient mapping), for
    /// `rdsr quirks explain`.
    pub fn explain_quirks(&self, doc: &Document<'_>) -> Result<Vec<Explanation>, Error> {
        super::explain(doc, self)
    }

    /// Reads a dose report from a file. Errors carry the file name.
    pub fn parse_file(&self, path: impl AsRef<Path>) -> Result<DoseReport, Error> {
        let path = path.as_ref();
        let bytes = crate::load::read_file_bounded(path, self.read.max_input_size)?;
        self.parse_bytes(&bytes).map_err(|e| e.with_file(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_settings_are_the_embedded_read_options() {
        let options = Options::new()
            .max_depth(16)
            .max_items(1000)
            .max_input_size(4096)
            .misdeclared_text(MisdeclaredText::AsDeclared);
        let read = ReadOptions::new()
            .max_depth(16)
            .max_items(1000)
            .max_input_size(4096)
            .misdeclared_text(MisdeclaredText::AsDeclared);
        assert_eq!(options.reader(), &read);
        assert_eq!(options.reader().depth_limit(), 16);
        assert_eq!(options.reader().item_limit(), 1000);
        assert_eq!(options.reader().input_size_limit(), 4096);
        assert_eq!(options.reader().text_policy(), MisdeclaredText::AsDeclared);
        let replaced = Options::new().max_depth(3).read_options(ReadOptions::new());
        assert_eq!(replaced.reader(), &ReadOptions::default());
    }
}
