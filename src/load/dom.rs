//! The zero-copy tokenizer: DICOM bytes to a flat, pre-order arena of [`Node`]s.
//!
//! Every declared length is checked against the bytes that remain in its enclosing container
//! before anything is recorded, so no allocation is ever sized by a declared length. Nesting
//! is followed with an explicit stack (no recursion), capped by the configured depth.

use dicom_core::dictionary::{DataDictionary, VirtualVr};
use dicom_core::{Tag, VR};
use dicom_dictionary_std::StandardDataDictionary;

use crate::error::{Diagnostic, DiagnosticCode, Error, Limit, MalformedReason, Severity};

/// Undefined length.
pub(crate) const UNDEFINED: u32 = 0xFFFF_FFFF;
pub(crate) const PIXEL_DATA: Tag = Tag(0x7FE0, 0x0010);

/// What a [`Node`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// A data element with a value (its bytes are `off..off + len` of the buffer).
    Element,
    /// A sequence (its children are items) or encapsulated pixel data (children are fragments).
    Sequence,
    /// An item of a sequence (its children are data elements).
    Item,
    /// A fragment of encapsulated pixel data (bytes `off..off + len`).
    Fragment,
}

/// One data element, sequence, item or fragment, in pre-order.
///
/// `end` is the index one past the node's last descendant, so the next sibling of node `i`
/// is node `nodes[i].end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    /// The tag (items and fragments: `(FFFE,E000)`).
    pub tag: Tag,
    /// The value representation (explicit, or from the dictionary for implicit VR).
    pub vr: VR,
    /// What the node is.
    pub kind: NodeKind,
    /// Byte offset of the value in the buffer.
    pub off: u32,
    /// Byte length of the value (0 for sequences and items).
    pub len: u32,
    /// Index one past the last descendant.
    pub end: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FrameKind {
    /// `un`: a UN element of undefined length (implicit VR by the standard, but some writers
    /// encode its items in explicit VR).
    Sequence {
        fragments: bool,
        items: u32,
        un: bool,
    },
    Item {
        ordinal: u32,
        content: bool,
    },
}

#[derive(Debug, Clone, Copy)]
struct Frame {
    node: u32,
    kind: FrameKind,
    /// Defined end offset, `None` for undefined length.
    end: Option<usize>,
    /// The nearest defined end of this or any enclosing container (or the buffer's end).
    bound: usize,
    implicit: bool,
    content: bool,
}

/// How the data set is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Encoding {
    pub implicit: bool,
    pub big_endian: bool,
}

pub(crate) struct Limits {
    /// Maximum input size: a declared length above it can never be satisfied.
    pub max_input_size: u64,
    pub max_items: u32,
    /// Maximum SR content nesting.
    pub max_depth: u32,
}

/// Reads a 16-bit unsigned value.
#[inline]
pub(crate) fn u16_at(buf: &[u8], pos: usize, be: bool) -> Option<u16> {
    let b: [u8; 2] = buf.get(pos..pos.checked_add(2)?)?.try_into().ok()?;
    Some(if be {
        u16::from_be_bytes(b)
    } else {
        u16::from_le_bytes(b)
    })
}

/// Reads a 32-bit unsigned value.
#[inline]
pub(crate) fn u32_at(buf: &[u8], pos: usize, be: bool) -> Option<u32> {
    let b: [u8; 4] = buf.get(pos..pos.checked_add(4)?)?.try_into().ok()?;
    Some(if be {
        u32::from_be_bytes(b)
    } else {
        u32::from_le_bytes(b)
    })
}

#[inline]
fn tag_at(buf: &[u8], pos: usize, be: bool) -> Option<Tag> {
    Some(Tag(u16_at(buf, pos, be)?, u16_at(buf, pos + 2, be)?))
}

/// Every VR, for the look-up table below.
const ALL_VRS: [VR; 34] = [
    VR::AE,
    VR::AS,
    VR::AT,
    VR::CS,
    VR::DA,
    VR::DS,
    VR::DT,
    VR::FD,
    VR::FL,
    VR::IS,
    VR::LO,
    VR::LT,
    VR::OB,
    VR::OD,
    VR::OF,
    VR::OL,
    VR::OV,
    VR::OW,
    VR::PN,
    VR::SH,
    VR::SL,
    VR::SQ,
    VR::SS,
    VR::ST,
    VR::SV,
    VR::TM,
    VR::UC,
    VR::UI,
    VR::UL,
    VR::UN,
    VR::UR,
    VR::US,
    VR::UT,
    VR::UV,
];

/// The two letters of a VR.
const fn vr_letters(vr: VR) -> [u8; 2] {
    match vr {
        VR::AE => *b"AE",
        VR::AS => *b"AS",
        VR::AT => *b"AT",
        VR::CS => *b"CS",
        VR::DA => *b"DA",
        VR::DS => *b"DS",
        VR::DT => *b"DT",
        VR::FD => *b"FD",
        VR::FL => *b"FL",
        VR::IS => *b"IS",
        VR::LO => *b"LO",
        VR::LT => *b"LT",
        VR::OB => *b"OB",
        VR::OD => *b"OD",
        VR::OF => *b"OF",
        VR::OL => *b"OL",
        VR::OV => *b"OV",
        VR::OW => *b"OW",
        VR::PN => *b"PN",
        VR::SH => *b"SH",
        VR::SL => *b"SL",
        VR::SQ => *b"SQ",
        VR::SS => *b"SS",
        VR::ST => *b"ST",
        VR::SV => *b"SV",
        VR::TM => *b"TM",
        VR::UC => *b"UC",
        VR::UI => *b"UI",
        VR::UL => *b"UL",
        VR::UN => *b"UN",
        VR::UR => *b"UR",
        VR::US => *b"US",
        VR::UT => *b"UT",
        VR::UV => *b"UV",
    }
}

/// VR by its letters: index `(first - 'A') * 26 + (second - 'A')`, 0 = no VR, else the
/// position in [`ALL_VRS`] plus one.
static VR_TABLE: [u8; 26 * 26] = {
    let mut t = [0u8; 26 * 26];
    let mut i = 0;
    while i < ALL_VRS.len() {
        let l = vr_letters(ALL_VRS[i]);
        t[(l[0] - b'A') as usize * 26 + (l[1] - b'A') as usize] = i as u8 + 1;
        i += 1;
    }
    t
};

/// The VR named by two bytes, without going through a string.
#[inline]
pub(crate) fn vr_from_bytes(b: [u8; 2]) -> Option<VR> {
    let [x, y] = b;
    if !x.is_ascii_uppercase() || !y.is_ascii_uppercase() {
        return None;
    }
    let slot = *VR_TABLE.get(usize::from(x - b'A') * 26 + usize::from(y - b'A'))?;
    ALL_VRS.get(usize::from(slot).checked_sub(1)?).copied()
}

/// Whether an explicit VR uses the 2 reserved bytes + 32-bit length form.
#[inline]
pub(crate) fn has_long_length(vr: VR) -> bool {
    matches!(
        vr,
        VR::OB
            | VR::OD
            | VR::OF
            | VR::OL
            | VR::OV
            | VR::OW
            | VR::SQ
            | VR::SV
            | VR::UC
            | VR::UN
            | VR::UR
            | VR::UT
            | VR::UV
    )
}

/// The VR of a tag in implicit VR transfer syntaxes, as dicom-rs resolves it.
/// Whether the dictionary gives `tag` the VR "US or SS" (resolved by Pixel Representation).
fn is_us_or_ss(tag: Tag) -> bool {
    StandardDataDictionary
        .by_tag(tag)
        .is_some_and(|entry| entry.vr == VirtualVr::Xs)
}

#[inline]
pub(crate) fn implicit_vr(tag: Tag) -> VR {
    // The content-item attributes of every dose report, without a dictionary look-up.
    match (tag.0, tag.1) {
        (0x0040, 0xA010) | (0x0040, 0xA040) | (0x0040, 0xA050) => return VR::CS,
        (0x0040, 0xA043)
        | (0x0040, 0xA168)
        | (0x0040, 0xA300)
        | (0x0040, 0x08EA)
        | (0x0040, 0xA730)
        | (0x0040, 0xA504)
        | (0x0040, 0xA301) => return VR::SQ,
        (0x0008, 0x0100) | (0x0008, 0x0102) | (0x0008, 0x0103) => return VR::SH,
        (0x0008, 0x0104) => return VR::LO,
        (0x0040, 0xA30A) => return VR::DS,
        (0x0040, 0xA160) => return VR::UT,
        (0x0040, 0xA124) => return VR::UI,
        (0x0040, 0xA120) => return VR::DT,
        (0x0040, 0xA123) => return VR::PN,
        _ => {}
    }
    implicit_vr_by_dictionary(tag)
}

/// [`implicit_vr`] of the tags it does not know by heart.
#[inline(never)]
fn implicit_vr_by_dictionary(tag: Tag) -> VR {
    if tag == PIXEL_DATA || (tag.0 >> 8 == 0x60 && tag.1 == 0x3000) {
        return VR::OW;
    }
    StandardDataDictionary
        .by_tag(tag)
        .map(|entry| entry.vr.relaxed())
        .unwrap_or(VR::UN)
}

struct Tokenizer<'b, 'n> {
    buf: &'b [u8],
    nodes: &'n mut Vec<Node>,
    /// The open containers, outermost first (the loop keeps what it reads of the innermost
    /// one in a local [`Top`]).
    stack: Vec<Frame>,
    /// Open sequences (for the nesting limit).
    seq_depth: usize,
    limits: &'n Limits,
    content_depth: u32,
    /// Whether the last Pixel Representation (0028,0103) read was signed (not 0): implicit VR
    /// "US or SS" elements read after it are SS (PS3.5 Annex A), as dicom-parser reads them.
    signed_pixels: bool,
}

impl Tokenizer<'_, '_> {
    fn sr_path(&self) -> Option<String> {
        let mut path = String::new();
        for f in &self.stack {
            if let FrameKind::Item {
                ordinal,
                content: true,
            } = f.kind
            {
                if path.is_empty() {
                    path.push('1');
                }
                path.push('.');
                path.push_str(&(ordinal + 1).to_string());
            }
        }
        if path.is_empty() { None } else { Some(path) }
    }

    #[cold]
    #[inline(never)]
    fn malformed(&self, pos: usize, reason: MalformedReason) -> Error {
        Error::malformed(pos, self.sr_path(), reason)
    }

    #[inline]
    fn push_node(&mut self, node: Node, pos: usize) -> Result<u32, Error> {
        let index = self.nodes.len();
        if index >= self.limits.max_items as usize {
            return Err(self.too_many_items(index, pos));
        }
        self.nodes.push(node);
        Ok(index as u32)
    }

    #[cold]
    #[inline(never)]
    fn too_many_items(&self, index: usize, pos: usize) -> Error {
        Error::limit(
            Limit::Items,
            index as u64 + 1,
            u64::from(self.limits.max_items),
            Some(pos),
        )
        .with_path(self.sr_path())
    }

    /// A declared length larger than any acceptable input is a limit breach, not just a
    /// truncation: report it as such.
    #[inline]
    fn check_declared(&self, len: u32, pos: usize) -> Result<(), Error> {
        if len != UNDEFINED && u64::from(len) > self.limits.max_input_size {
            return Err(self.declared_too_long(len, pos));
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn declared_too_long(&self, len: u32, pos: usize) -> Error {
        Error::limit(
            Limit::InputSize,
            u64::from(len),
            self.limits.max_input_size,
            Some(pos),
        )
        .with_path(self.sr_path())
    }

    /// Opens a container inside the current one.
    #[inline]
    fn push_frame(&mut self, frame: Frame) {
        if matches!(frame.kind, FrameKind::Sequence { .. }) {
            self.seq_depth += 1;
        }
        self.stack.push(frame);
    }

    #[inline]
    fn close_top(&mut self) {
        if let Some(frame) = self.stack.pop() {
            if matches!(frame.kind, FrameKind::Sequence { .. }) {
                self.seq_depth = self.seq_depth.saturating_sub(1);
            }
            let end = self.nodes.len() as u32;
            if let Some(node) = self.nodes.get_mut(frame.node as usize) {
                node.end = end;
            }
            if frame.content && matches!(frame.kind, FrameKind::Sequence { .. }) {
                self.content_depth = self.content_depth.saturating_sub(1);
            }
        }
    }

    /// What the loop reads of the innermost open container, taken again only when it
    /// changes (a container opened or closed), not per element.
    #[inline]
    fn top_info(&self, buf_len: usize, enc_implicit: bool) -> Top {
        match self.stack.last() {
            Some(f) => Top {
                end: f.end.unwrap_or(usize::MAX),
                bound: f.bound,
                implicit: f.implicit,
                seq: match f.kind {
                    FrameKind::Sequence { fragments, un, .. } => Some((fragments, un)),
                    FrameKind::Item { .. } => None,
                },
            },
            None => Top {
                end: usize::MAX,
                bound: buf_len,
                implicit: enc_implicit,
                seq: None,
            },
        }
    }

    fn run<const BE: bool>(
        &mut self,
        start: usize,
        enc: Encoding,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<(), Error> {
        let buf = self.buf;
        // Monomorphised per byte order: no byte-order branch per read.
        let be = BE;
        let max_seq_depth = (self.limits.max_depth as usize)
            .saturating_mul(2)
            .saturating_add(8);
        let mut pos = start;
        let mut top = self.top_info(buf.len(), enc.implicit);
        loop {
            // Close every defined-length container that ends here.
            while pos >= top.end {
                self.close_top();
                top = self.top_info(buf.len(), enc.implicit);
            }
            if pos >= buf.len() {
                if let Some(top) = self.stack.last() {
                    let tag = self.nodes.get(top.node as usize).map(|n| n.tag);
                    return Err(self.malformed(
                        pos,
                        match top.kind {
                            FrameKind::Sequence { .. } => MalformedReason::UnclosedSequence { tag },
                            FrameKind::Item { .. } => MalformedReason::UnclosedItem { tag },
                        },
                    ));
                }
                return Ok(());
            }
            let bound = top.bound;
            let remaining = bound - pos;
            if remaining < 8 {
                if self.stack.is_empty() {
                    diags.push(Diagnostic::new(
                        Severity::Info,
                        None,
                        DiagnosticCode::DicomTrailingBytes,
                        format!("{remaining} trailing bytes after the last data element ignored"),
                    ));
                    return Ok(());
                }
                return Err(self.malformed(
                    pos,
                    MalformedReason::TruncatedHeader {
                        remaining: remaining as u64,
                    },
                ));
            }
            // The 8 header bytes every element, item and delimiter starts with, read once.
            let Some([b0, b1, b2, b3, b4, b5, b6, b7]) = buf
                .get(pos..pos + 8)
                .and_then(|h| <[u8; 8]>::try_from(h).ok())
            else {
                return Err(self.malformed(pos, MalformedReason::TruncatedTag));
            };
            let group = rd16::<BE>(b0, b1);
            let element = rd16::<BE>(b2, b3);
            let key = (u32::from(group) << 16) | u32::from(element);
            let tag = Tag(group, element);
            let len = if BE {
                u32::from_be_bytes([b4, b5, b6, b7])
            } else {
                u32::from_le_bytes([b4, b5, b6, b7])
            };
            if let Some((fragments, un)) = top.seq {
                if key == ITEM_KEY {
                    self.check_declared(len, pos)?;
                    let (seq_implicit, seq_content, items) = match self.stack.last_mut() {
                        Some(f) => {
                            let items = match &mut f.kind {
                                FrameKind::Sequence { items: n, .. } => {
                                    let items = *n;
                                    *n = n.saturating_add(1);
                                    items
                                }
                                FrameKind::Item { .. } => 0,
                            };
                            (f.implicit, f.content, items)
                        }
                        None => (false, false, 0),
                    };
                    pos += 8;
                    if fragments {
                        if len == UNDEFINED || len as usize > bound - pos {
                            return Err(self.malformed(
                                pos - 8,
                                MalformedReason::FragmentLength { length: len },
                            ));
                        }
                        let idx = self.nodes.len() as u32;
                        self.push_node(
                            Node {
                                tag,
                                vr: VR::OB,
                                kind: NodeKind::Fragment,
                                off: pos as u32,
                                len,
                                end: idx + 1,
                            },
                            pos,
                        )?;
                        pos += len as usize;
                        continue;
                    }
                    let end = if len == UNDEFINED {
                        None
                    } else if len as usize > bound - pos {
                        return Err(self.malformed(
                            pos - 8,
                            MalformedReason::ItemLength {
                                length: len,
                                remaining: (bound - pos) as u64,
                            },
                        ));
                    } else {
                        Some(pos + len as usize)
                    };
                    let idx = self.push_node(
                        Node {
                            tag,
                            vr: VR::UN,
                            kind: NodeKind::Item,
                            off: pos as u32,
                            len: 0,
                            end: 0,
                        },
                        pos,
                    )?;
                    let explicit_inside = un && looks_explicit_at(buf, pos, bound, be);
                    self.push_frame(Frame {
                        node: idx,
                        kind: FrameKind::Item {
                            ordinal: items,
                            content: seq_content,
                        },
                        end,
                        bound: end.unwrap_or(bound),
                        implicit: seq_implicit && !explicit_inside,
                        content: seq_content,
                    });
                    top = self.top_info(buf.len(), enc.implicit);
                    continue;
                } else if key == SEQUENCE_DELIMITER_KEY {
                    pos += 8;
                    self.close_top();
                    top = self.top_info(buf.len(), enc.implicit);
                    continue;
                } else {
                    return Err(self.malformed(pos, MalformedReason::NotAnItem { tag }));
                }
            }
            // In an item or at the top level.
            if group == 0xFFFE {
                if key == ITEM_KEY {
                    self.check_declared(len, pos)?;
                }
                if key == ITEM_DELIMITER_KEY {
                    pos += 8;
                    match self.stack.last() {
                        Some(f) if matches!(f.kind, FrameKind::Item { .. }) && f.end.is_none() => {
                            self.close_top();
                            top = self.top_info(buf.len(), enc.implicit);
                        }
                        Some(_) => {
                            // A delimiter closing a defined-length item: redundant, harmless.
                            diags.push(Diagnostic::new(
                                Severity::Info,
                                self.sr_path(),
                                DiagnosticCode::DicomRedundantDelimiter,
                                "item delimiter inside a defined-length item ignored",
                            ));
                        }
                        None => {
                            return Err(
                                self.malformed(pos - 8, MalformedReason::ItemDelimiterOutsideItem)
                            );
                        }
                    }
                    continue;
                }
                if key == ITEM_KEY || key == SEQUENCE_DELIMITER_KEY {
                    if self.stack.is_empty() && key == SEQUENCE_DELIMITER_KEY {
                        // Some writers leave a stray delimiter after the data set.
                        diags.push(Diagnostic::new(
                            Severity::Info,
                            None,
                            DiagnosticCode::DicomStrayDelimiter,
                            "sequence delimiter outside any sequence ignored",
                        ));
                        pos += 8;
                        continue;
                    }
                    return Err(self.malformed(pos, MalformedReason::OutsideSequence { tag }));
                }
            }
            let implicit = top.implicit;
            let (vr, len, header) = if implicit {
                let vr = match implicit_vr(tag) {
                    VR::US if self.signed_pixels && is_us_or_ss(tag) => VR::SS,
                    vr => vr,
                };
                (vr, len, 8usize)
            } else {
                let vr_bytes = [b4, b5];
                let Some(vr) = vr_from_bytes(vr_bytes) else {
                    return Err(
                        self.malformed(pos + 4, MalformedReason::InvalidVr { tag, vr: vr_bytes })
                    );
                };
                if has_long_length(vr) {
                    if remaining < 12 {
                        return Err(self.malformed(pos, MalformedReason::TruncatedElementHeader));
                    }
                    (vr, u32_at(buf, pos + 8, be).unwrap_or(0), 12usize)
                } else {
                    (vr, u32::from(rd16::<BE>(b6, b7)), 8usize)
                }
            };
            self.check_declared(len, pos)?;
            pos += header;
            let rest = bound - pos;
            let is_sequence = vr == VR::SQ || (len == UNDEFINED && vr == VR::UN);
            let encapsulated = !is_sequence && len == UNDEFINED && matches!(vr, VR::OB | VR::OW);
            if is_sequence || encapsulated {
                let seq_depth = self.seq_depth + 1;
                if seq_depth > max_seq_depth {
                    return Err(Error::limit(
                        Limit::Depth,
                        seq_depth as u64,
                        max_seq_depth as u64,
                        Some(pos),
                    )
                    .with_path(self.sr_path()));
                }
                let content = key == CONTENT_SEQUENCE_KEY && !encapsulated;
                if content {
                    let depth = self.content_depth + 1;
                    if depth > self.limits.max_depth {
                        return Err(Error::limit(
                            Limit::Depth,
                            u64::from(depth),
                            u64::from(self.limits.max_depth),
                            Some(pos),
                        )
                        .with_path(self.sr_path()));
                    }
                    self.content_depth = depth;
                }
                let end = if len == UNDEFINED {
                    None
                } else if len as usize > rest {
                    return Err(self.malformed(
                        pos,
                        MalformedReason::SequenceLength {
                            tag,
                            length: len,
                            remaining: rest as u64,
                        },
                    ));
                } else {
                    Some(pos + len as usize)
                };
                let idx = self.push_node(
                    Node {
                        tag,
                        vr: if encapsulated { vr } else { VR::SQ },
                        kind: NodeKind::Sequence,
                        off: pos as u32,
                        len: 0,
                        end: 0,
                    },
                    pos,
                )?;
                self.push_frame(Frame {
                    node: idx,
                    kind: FrameKind::Sequence {
                        fragments: encapsulated,
                        items: 0,
                        un: vr == VR::UN,
                    },
                    end,
                    bound: end.unwrap_or(bound),
                    // UN with undefined length holds an implicit VR little endian sequence.
                    implicit: implicit || vr == VR::UN,
                    content,
                });
                top = self.top_info(buf.len(), enc.implicit);
                continue;
            }
            if len == UNDEFINED {
                return Err(self.malformed(pos, MalformedReason::UndefinedLength { tag, vr }));
            }
            if len as usize > rest {
                return Err(self.malformed(
                    pos,
                    MalformedReason::ValueLength {
                        tag,
                        length: len,
                        remaining: rest as u64,
                    },
                ));
            }
            let end = self.nodes.len() as u32 + 1;
            self.push_node(
                Node {
                    tag,
                    vr,
                    kind: NodeKind::Element,
                    off: pos as u32,
                    len,
                    end,
                },
                pos,
            )?;
            if key == PIXEL_REPRESENTATION_KEY && len == 2 {
                self.signed_pixels = u16_at(buf, pos, be).is_some_and(|v| v != 0);
            }
            pos += len as usize;
        }
    }
}

/// The innermost open container as the tokenizer loop reads it.
#[derive(Debug, Clone, Copy)]
struct Top {
    /// Defined end offset, `usize::MAX` for undefined length (or none).
    end: usize,
    bound: usize,
    implicit: bool,
    /// In a sequence: whether it holds fragments, and whether it is a UN sequence.
    seq: Option<(bool, bool)>,
}

/// Tags as one number (group in the high half), for single comparisons.
const ITEM_KEY: u32 = 0xFFFE_E000;
const ITEM_DELIMITER_KEY: u32 = 0xFFFE_E00D;
const SEQUENCE_DELIMITER_KEY: u32 = 0xFFFE_E0DD;
const CONTENT_SEQUENCE_KEY: u32 = 0x0040_A730;
const PIXEL_REPRESENTATION_KEY: u32 = 0x0028_0103;

/// A 16-bit value from two bytes in the byte order `BE`.
#[inline(always)]
fn rd16<const BE: bool>(a: u8, b: u8) -> u16 {
    if BE {
        u16::from_be_bytes([a, b])
    } else {
        u16::from_le_bytes([a, b])
    }
}

/// Whether the element at `pos` reads as explicit VR: a valid VR whose length fits.
fn looks_explicit_at(buf: &[u8], pos: usize, bound: usize, be: bool) -> bool {
    let Some(vr) = buf
        .get(pos + 4..pos + 6)
        .and_then(|b| <[u8; 2]>::try_from(b).ok())
        .and_then(vr_from_bytes)
    else {
        return false;
    };
    let len = if has_long_length(vr) {
        u32_at(buf, pos + 8, be).map(|l| (l, 12))
    } else {
        u16_at(buf, pos + 6, be).map(|l| (u32::from(l), 8))
    };
    match len {
        Some((UNDEFINED, _)) => true,
        Some((l, h)) => pos + h + l as usize <= bound,
        None => false,
    }
}

/// Formats a tag as `(GGGG,EEEE)`.
pub(crate) fn fmt_tag(tag: Tag) -> String {
    format!("({:04X},{:04X})", tag.0, tag.1)
}

/// Tokenizes the data set in `buf[start..]` into `nodes`.
pub(crate) fn tokenize(
    buf: &[u8],
    start: usize,
    enc: Encoding,
    limits: &Limits,
    nodes: &mut Vec<Node>,
    diags: &mut Vec<Diagnostic>,
) -> Result<(), Error> {
    let mut t = Tokenizer {
        buf,
        nodes,
        stack: Vec::with_capacity(16),
        seq_depth: 0,
        limits,
        content_depth: 0,
        signed_pixels: false,
    };
    if enc.big_endian {
        t.run::<true>(start, enc, diags)
    } else {
        t.run::<false>(start, enc, diags)
    }
}

/// Reads file meta information elements (group 0002, always explicit VR little endian) from
/// `pos`; returns the offset after the group.
pub(crate) fn tokenize_meta(
    buf: &[u8],
    mut pos: usize,
    max_input_size: u64,
    nodes: &mut Vec<Node>,
) -> Result<usize, Error> {
    loop {
        let Some(tag) = tag_at(buf, pos, false) else {
            return Ok(pos);
        };
        if tag.0 != 0x0002 {
            return Ok(pos);
        }
        let Some(vr) = buf
            .get(pos + 4..pos + 6)
            .and_then(|b| <[u8; 2]>::try_from(b).ok())
            .and_then(vr_from_bytes)
        else {
            return Err(Error::malformed(
                pos + 4,
                None,
                MalformedReason::MetaInvalidVr { tag },
            ));
        };
        let (len, header) = if has_long_length(vr) {
            (u32_at(buf, pos + 8, false), 12)
        } else {
            (u16_at(buf, pos + 6, false).map(u32::from), 8)
        };
        let Some(len) = len else {
            return Err(Error::malformed(pos, None, MalformedReason::MetaTruncated));
        };
        let value = pos + header;
        if len != UNDEFINED && u64::from(len) > max_input_size {
            return Err(Error::limit(
                Limit::InputSize,
                u64::from(len),
                max_input_size,
                Some(pos),
            ));
        }
        if len == UNDEFINED || value.saturating_add(len as usize) > buf.len() {
            return Err(Error::malformed(
                pos,
                None,
                MalformedReason::MetaLength { tag, length: len },
            ));
        }
        let idx = nodes.len() as u32;
        nodes.push(Node {
            tag,
            vr,
            kind: NodeKind::Element,
            off: value as u32,
            len,
            end: idx + 1,
        });
        pos = value + len as usize;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vr_table_agrees_with_dicom_core_for_every_byte_pair() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                assert_eq!(vr_from_bytes([a, b]), VR::from_binary([a, b]), "{a} {b}");
            }
        }
    }
}
