//! Loading: bytes to a zero-copy [`Dataset`] (the SR tree is built from it by [`crate::sr`]).
//!
//! The reader tokenizes the DICOM stream itself (with or without the 128-byte preamble;
//! explicit and implicit VR little endian, explicit VR big endian, deflated explicit VR little
//! endian; defined and undefined lengths), records every element as a [`Node`] that points
//! into the input, and decodes nothing until asked. dicom-rs supplies tags, VRs, the
//! dictionary for implicit VR and text codecs.

mod charset;
mod dom;
mod options;

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use dicom_core::Tag;

pub(crate) use charset::{Charset, Finding, Tally};
pub(crate) use dom::fmt_tag;
pub use dom::{Node, NodeKind};
pub use options::{
    DEFAULT_MAX_DEPTH, DEFAULT_MAX_INPUT_SIZE, DEFAULT_MAX_ITEMS, MAX_DEPTH_CEILING,
    MisdeclaredText, ReadOptions,
};

use crate::error::{Diagnostic, DiagnosticCode, Error, Limit, Location, MalformedReason, Severity};

/// Transfer syntax UIDs this reader distinguishes.
pub mod transfer_syntax {
    /// Implicit VR Little Endian.
    pub const IMPLICIT_VR_LE: &str = "1.2.840.10008.1.2";
    /// Explicit VR Little Endian.
    pub const EXPLICIT_VR_LE: &str = "1.2.840.10008.1.2.1";
    /// Deflated Explicit VR Little Endian.
    pub const DEFLATED_EXPLICIT_VR_LE: &str = "1.2.840.10008.1.2.1.99";
    /// Explicit VR Big Endian (retired, still written by old equipment).
    pub const EXPLICIT_VR_BE: &str = "1.2.840.10008.1.2.2";
}

/// A decoded-on-demand view of one DICOM data set: every element as a [`Node`] pointing into
/// the input bytes (or into the inflated data of a deflated file).
#[derive(Debug, Clone)]
pub struct Dataset<'a> {
    buf: Cow<'a, [u8]>,
    nodes: Vec<Node>,
    meta_end: u32,
    big_endian: bool,
    implicit: bool,
    transfer_syntax: Option<String>,
    text_policy: MisdeclaredText,
    pub(crate) charset: Charset,
    /// Whether an ESC byte (0x1B) occurs anywhere in the data set. Without one no value can
    /// switch character sets and no ASCII-only value needs checking for escapes.
    pub(crate) has_escape: bool,
    /// Values whose bytes are invalid in the declared character set, per kind.
    pub(crate) charset_tally: Vec<Tally>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Iterator over the children of a node (or over the top level of a data set).
#[derive(Debug, Clone)]
pub struct Children<'d> {
    nodes: &'d [Node],
    next: u32,
    end: u32,
}

impl Iterator for Children<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.next >= self.end {
            return None;
        }
        let idx = self.next;
        let node = self.nodes.get(idx as usize)?;
        // `end` is always past `idx` (a node's subtree includes itself).
        self.next = node.end.max(idx + 1);
        Some(idx)
    }
}

const SPECIFIC_CHARACTER_SET: Tag = Tag(0x0008, 0x0005);
const TRANSFER_SYNTAX_UID: Tag = Tag(0x0002, 0x0010);

impl<'a> Dataset<'a> {
    /// Every node: file meta elements first, then the data set in pre-order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The file meta information elements (group 0002), if the input had them.
    pub fn meta(&self) -> &[Node] {
        self.nodes.get(..self.meta_end as usize).unwrap_or(&[])
    }

    /// Whether the data set is big endian.
    pub fn big_endian(&self) -> bool {
        self.big_endian
    }

    /// Whether the data set is implicit VR.
    pub fn implicit_vr(&self) -> bool {
        self.implicit
    }

    /// The transfer syntax UID from the file meta information, if any.
    pub fn transfer_syntax(&self) -> Option<&str> {
        self.transfer_syntax.as_deref()
    }

    /// The whole buffer the nodes point into.
    pub fn buffer(&self) -> &[u8] {
        &self.buf
    }

    /// The top-level elements of the data set (node indices).
    pub fn top_level(&self) -> Children<'_> {
        Children {
            nodes: &self.nodes,
            next: self.meta_end,
            end: self.nodes.len() as u32,
        }
    }

    /// The children of a sequence (its items) or of an item (its elements).
    pub fn children(&self, node: u32) -> Children<'_> {
        let end = self.nodes.get(node as usize).map_or(0, |n| n.end);
        Children {
            nodes: &self.nodes,
            next: node.saturating_add(1),
            end,
        }
    }

    /// The node at an index.
    pub fn node(&self, index: u32) -> Option<&Node> {
        self.nodes.get(index as usize)
    }

    /// The child of `parent` (an item, or the top level when `None`) with `tag`; the last one
    /// when the tag is duplicated (invalid, but written by some software), as dicom-object and
    /// pydicom read it.
    pub fn find(&self, parent: Option<u32>, tag: Tag) -> Option<u32> {
        let it = match parent {
            Some(p) => self.children(p),
            None => self.top_level(),
        };
        it.filter(|&i| self.nodes.get(i as usize).is_some_and(|n| n.tag == tag))
            .last()
    }

    /// The first item of the sequence `tag` under `parent`.
    pub fn first_item(&self, parent: Option<u32>, tag: Tag) -> Option<u32> {
        let seq = self.find(parent, tag)?;
        self.children(seq).next()
    }

    /// The raw value bytes of an element (empty for sequences and items).
    pub fn value(&self, index: u32) -> &[u8] {
        match self.nodes.get(index as usize) {
            Some(n) if matches!(n.kind, NodeKind::Element | NodeKind::Fragment) => {
                let start = n.off as usize;
                self.buf
                    .get(start..start.saturating_add(n.len as usize))
                    .unwrap_or(&[])
            }
            _ => &[],
        }
    }

    /// An ASCII value (CS, UI, DS, IS, DA, TM, DT, AS, AE) without padding; `None` when empty
    /// or not ASCII.
    pub fn ascii(&self, index: u32) -> Option<&str> {
        let s = std::str::from_utf8(self.value(index)).ok()?;
        let s = s.trim_matches(|c: char| c == ' ' || c == '\0');
        if s.is_empty() || !s.is_ascii() {
            None
        } else {
            Some(s)
        }
    }

    /// [`Dataset::ascii`] of the element `tag` under `parent`.
    pub fn ascii_of(&self, parent: Option<u32>, tag: Tag) -> Option<&str> {
        self.ascii(self.find(parent, tag)?)
    }

    /// A text value (SH, LO, ST, LT, UT, PN, UC) decoded with the Specific Character Set and
    /// trimmed of padding; `None` when empty.
    pub(crate) fn text(&self, index: u32) -> Option<(Cow<'_, str>, Option<Finding>)> {
        let bytes = trim_text(self.value(index));
        if bytes.is_empty() {
            return None;
        }
        // The file meta group is in the default repertoire whatever the data set declares
        // (PS3.10 7.1).
        let charset = if index < self.meta_end {
            &Charset::Default
        } else {
            &self.charset
        };
        Some(charset.decode(bytes, self.text_policy))
    }

    /// A text value decoded with the Specific Character Set (per the text policy the data set
    /// was read with, [`ReadOptions::misdeclared_text`]), trimmed of padding; `None` when
    /// empty.
    pub fn decoded_text(&self, index: u32) -> Option<Cow<'_, str>> {
        self.text(index).map(|(s, _)| s)
    }

    /// The declared Specific Character Set, for messages.
    pub fn charset_name(&self) -> &str {
        self.charset.name()
    }
}

/// Text padding: trailing spaces and NULs; leading spaces are significant only in
/// ST/LT/UT, which dose reports do not indent, so they are trimmed too.
fn trim_text(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != b' ').unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| b != b' ' && b != 0)
        .map_or(start, |e| e + 1);
    bytes.get(start..end.max(start)).unwrap_or(&[])
}

fn tag_le(buf: &[u8], pos: usize) -> Option<Tag> {
    Some(Tag(
        dom::u16_at(buf, pos, false)?,
        dom::u16_at(buf, pos + 2, false)?,
    ))
}

/// Whether a bare data set (no preamble, no meta) starts like explicit VR: a tag followed by
/// two upper-case letters that name a VR.
fn looks_explicit(buf: &[u8], pos: usize) -> bool {
    buf.get(pos + 4..pos + 6)
        .and_then(|b| <[u8; 2]>::try_from(b).ok())
        .and_then(dom::vr_from_bytes)
        .is_some()
}

/// Tokenizes bytes into a [`Dataset`] without looking at what it holds.
pub fn read_dataset<'a>(bytes: &'a [u8], options: &ReadOptions) -> Result<Dataset<'a>, Error> {
    let max = options.max_input_size.min(u64::from(u32::MAX));
    if bytes.len() as u64 > max {
        return Err(Error::limit(
            Limit::InputSize,
            bytes.len() as u64,
            max,
            None,
        ));
    }
    let mut nodes: Vec<Node> = Vec::new();
    let mut diagnostics = Vec::new();

    // File meta information: after a 128-byte preamble and "DICM", after a bare "DICM", or
    // straight away when the data starts with group 0002.
    let meta_start = if bytes.get(128..132) == Some(b"DICM") {
        Some(132)
    } else if bytes.get(..4) == Some(b"DICM") {
        Some(4)
    } else if tag_le(bytes, 0).is_some_and(|t| t.0 == 0x0002) && looks_explicit(bytes, 0) {
        Some(0)
    } else {
        None
    };
    let (data_start, ts) = match meta_start {
        Some(start) => {
            let end = dom::tokenize_meta(bytes, start, max, &mut nodes)?;
            // The last one when duplicated, as everywhere (see `Dataset::find`).
            let ts = nodes
                .iter()
                .rfind(|n| n.tag == TRANSFER_SYNTAX_UID)
                .and_then(|n| {
                    let v = bytes.get(n.off as usize..(n.off + n.len) as usize)?;
                    let s = std::str::from_utf8(v).ok()?;
                    Some(s.trim_matches(|c: char| c == '\0' || c == ' ').to_string())
                });
            (end, ts)
        }
        None => {
            // A bare data set: it must start with a plausible first group.
            let plausible = tag_le(bytes, 0).is_some_and(|t| t.0 == 0x0008 || t.0 == 0x0000);
            if !plausible {
                return Err(Error::NotDicom {
                    location: Location::default(),
                    reason: if bytes.len() < 132 {
                        format!(
                            "{} bytes, no DICM prefix and no data set start",
                            bytes.len()
                        )
                    } else {
                        "no DICM prefix and the data does not start with a DICOM group".into()
                    },
                });
            }
            (0, None)
        }
    };
    let meta_end = nodes.len() as u32;

    let mut enc = dom::Encoding {
        implicit: false,
        big_endian: false,
    };
    let mut deflated = false;
    match ts.as_deref() {
        Some(transfer_syntax::IMPLICIT_VR_LE) => enc.implicit = true,
        Some(transfer_syntax::EXPLICIT_VR_BE) => enc.big_endian = true,
        Some(transfer_syntax::DEFLATED_EXPLICIT_VR_LE) => deflated = true,
        Some(transfer_syntax::EXPLICIT_VR_LE) => {}
        Some(other) if other.starts_with("1.2.840.10008.1.2.") => {
            // Encapsulated (compressed pixel data) syntaxes: explicit VR little endian.
        }
        Some(other) => {
            diagnostics.push(Diagnostic::new(
                Severity::Warning,
                None,
                DiagnosticCode::DicomUnknownTransferSyntax,
                format!("unknown transfer syntax {other:?}; read as explicit VR little endian"),
            ));
        }
        None => enc.implicit = !looks_explicit(bytes, data_start),
    }

    let buf: Cow<'a, [u8]> = if deflated {
        let head = bytes.get(..data_start).unwrap_or(&[]);
        let body = bytes.get(data_start..).unwrap_or(&[]);
        let guess = (body.len() as u64).saturating_mul(4).min(max) as usize;
        let mut out = Vec::with_capacity(head.len().saturating_add(guess));
        out.extend_from_slice(head);
        let budget = max.saturating_sub(head.len() as u64);
        let mut decoder = flate2::read::DeflateDecoder::new(body).take(budget + 1);
        decoder
            .read_to_end(&mut out)
            .map_err(|_| Error::malformed(data_start, None, MalformedReason::Deflate))?;
        if out.len() as u64 > max {
            return Err(Error::limit(Limit::InputSize, out.len() as u64, max, None));
        }
        Cow::Owned(out)
    } else {
        Cow::Borrowed(bytes)
    };

    let limits = dom::Limits {
        max_input_size: max,
        max_items: options.max_items,
        max_depth: options.max_depth,
    };
    // Every node takes at least 8 bytes of the input: room for all of them at once, so the
    // arena never grows (and copies) while the data set is tokenized.
    nodes.reserve(buf.len().saturating_sub(data_start) / 8 + 1);
    dom::tokenize(&buf, data_start, enc, &limits, &mut nodes, &mut diagnostics)?;

    let mut ds = Dataset {
        buf,
        nodes,
        meta_end,
        big_endian: enc.big_endian,
        implicit: enc.implicit,
        transfer_syntax: ts,
        text_policy: options.misdeclared_text,
        charset: Charset::Default,
        has_escape: false,
        charset_tally: Vec::new(),
        diagnostics: Vec::new(),
    };
    let declared = ds
        .find(None, SPECIFIC_CHARACTER_SET)
        .and_then(|i| std::str::from_utf8(ds.value(i)).ok())
        .map(str::to_string);
    ds.charset = Charset::from_declaration(declared.as_deref());
    if let Charset::Unknown(name) = &ds.charset {
        diagnostics.push(Diagnostic::new(
            Severity::Warning,
            None,
            DiagnosticCode::CharsetUnknown,
            format!("unknown Specific Character Set {name:?}; non-ASCII text read as ISO-8859-1"),
        ));
    }
    // One vectorised scan of the whole data set instead of one per value: most reports hold
    // no ESC byte at all, and then only UTF-8 and ISO 2022 declarations leave anything to
    // check.
    ds.has_escape = ds.buf.get(data_start..).is_some_and(contains_esc);
    if !ds.has_escape && !ds.charset.checks_text() {
        ds.diagnostics = diagnostics;
        return Ok(ds);
    }
    ds.charset_tally = charset::survey(
        &ds.charset,
        ds.nodes
            .iter()
            .enumerate()
            .skip(ds.meta_end as usize)
            .filter(|(_, n)| n.kind == NodeKind::Element)
            .map(|(i, n)| {
                let start = n.off as usize;
                let bytes = ds
                    .buf
                    .get(start..start.saturating_add(n.len as usize))
                    .unwrap_or(&[]);
                (i as u32, n.tag, n.vr, bytes)
            }),
    );
    ds.diagnostics = diagnostics;
    Ok(ds)
}

/// Whether `bytes` hold an ESC byte: 64 bytes at a time, in a form the compiler turns into
/// vector compares.
fn contains_esc(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(64);
    for c in &mut chunks {
        if c.iter()
            .fold(false, |found, &b| found | (b == charset::ESC))
        {
            return true;
        }
    }
    chunks.remainder().contains(&charset::ESC)
}

/// Reads a whole file, refusing one larger than `max` bytes before reading it.
/// Reads at most `max` bytes from `reader`; more is a [`Limit::InputSize`] error. The buffer
/// grows with what is read, never with a declared size.
pub(crate) fn read_bounded(reader: impl Read, max: u64) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    reader
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Io {
            location: Location::default(),
            source,
        })?;
    if bytes.len() as u64 > max {
        return Err(Error::limit(
            Limit::InputSize,
            bytes.len() as u64,
            max,
            None,
        ));
    }
    Ok(bytes)
}

pub(crate) fn read_file_bounded(path: &Path, max: u64) -> Result<Vec<u8>, Error> {
    let io = |source| Error::Io {
        location: Location {
            file: Some(path.to_path_buf()),
            ..Location::default()
        },
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    if len > max {
        return Err(Error::limit(Limit::InputSize, len, max, None).with_file(path));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(Error::limit(Limit::InputSize, bytes.len() as u64, max, None).with_file(path));
    }
    Ok(bytes)
}
