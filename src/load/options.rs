//! The reader's configuration: its limits and its text policy.
//!
//! [`crate::Options`] embeds a [`ReadOptions`] and re-exports its setters, the way
//! dicom-object's open options re-export dicom-parser's.

/// Default for [`ReadOptions::max_input_size`]: 64 MiB.
pub const DEFAULT_MAX_INPUT_SIZE: u64 = 64 * 1024 * 1024;
/// Default for [`ReadOptions::max_depth`]: 32 levels of SR content nesting.
pub const DEFAULT_MAX_DEPTH: u32 = 32;
/// The deepest nesting whose content tree is safe to serialise on a thread with the default
/// 2 MiB stack (see [`ReadOptions::max_depth`]).
pub const MAX_DEPTH_CEILING: u32 = 1024;
/// Default for [`ReadOptions::max_items`]: 4 194 304 data elements.
pub const DEFAULT_MAX_ITEMS: u32 = 4 * 1024 * 1024;

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

/// The reader's limits and text policy.
///
/// ```
/// let read = rdsr::ReadOptions::new().max_depth(16);
/// let options = rdsr::Options::new().read_options(read);
/// # let _ = options;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadOptions {
    pub(crate) max_input_size: u64,
    pub(crate) max_depth: u32,
    pub(crate) max_items: u32,
    pub(crate) misdeclared_text: MisdeclaredText,
    /// Whether text invalid in its declared character set is reported at Warning (strict
    /// mode) rather than Info; set by [`crate::Options::mode`].
    pub(crate) invalid_text_warns: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_input_size: DEFAULT_MAX_INPUT_SIZE,
            max_depth: DEFAULT_MAX_DEPTH,
            max_items: DEFAULT_MAX_ITEMS,
            misdeclared_text: MisdeclaredText::DetectUtf8,
            invalid_text_warns: false,
        }
    }
}

impl ReadOptions {
    /// The defaults.
    pub fn new() -> Self {
        ReadOptions::default()
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
    /// mapping never recurse, whatever the depth; serialising a content tree with `serde`
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

    /// What to do with text that contradicts its declared character set.
    ///
    /// Default: [`MisdeclaredText::DetectUtf8`].
    #[must_use]
    pub fn misdeclared_text(mut self, policy: MisdeclaredText) -> Self {
        self.misdeclared_text = policy;
        self
    }

    /// The largest input accepted, in bytes.
    pub fn input_size_limit(&self) -> u64 {
        self.max_input_size
    }

    /// The deepest SR content nesting accepted.
    pub fn depth_limit(&self) -> u32 {
        self.max_depth
    }

    /// The most data elements accepted.
    pub fn item_limit(&self) -> u32 {
        self.max_items
    }

    /// The policy for text that contradicts its declared character set.
    pub fn text_policy(&self) -> MisdeclaredText {
        self.misdeclared_text
    }
}
