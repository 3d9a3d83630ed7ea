//! Data set -> SR content tree, with the SOP class gate.
//!
//! Walks the content sequences with an explicit stack; every content item becomes one
//! [`ItemData`] in pre-order.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use dicom_core::Tag;

use super::{
    CodeConst, CodeData, Document, ItemData, Relationship, Str, ValueData, ValueType, codes,
};
use crate::error::{Diagnostic, DiagnosticCode, Error, Limit, Location, Severity};
use crate::load::ReadOptions;
use crate::load::{Children, Dataset, Finding, NodeKind};

/// SOP classes that may hold a dose report.
pub const DOSE_REPORT_SOP_CLASSES: &[(&str, &str)] = &[
    ("1.2.840.10008.5.1.4.1.1.88.67", "X-Ray Radiation Dose SR"),
    (
        "1.2.840.10008.5.1.4.1.1.88.68",
        "Radiopharmaceutical Radiation Dose SR",
    ),
    ("1.2.840.10008.5.1.4.1.1.88.22", "Enhanced SR"),
    ("1.2.840.10008.5.1.4.1.1.88.33", "Comprehensive SR"),
    ("1.2.840.10008.5.1.4.1.1.88.34", "Comprehensive 3D SR"),
    (PATIENT_RADIATION_DOSE_SR, "Patient Radiation Dose SR"),
    (
        ENHANCED_XRAY_RADIATION_DOSE_SR,
        "Enhanced X-Ray Radiation Dose SR",
    ),
];

/// Patient Radiation Dose SR (TID 10030): a dose SOP class whose document title is not an
/// X-ray or radiopharmaceutical dose report; accepted on its SOP class alone (its body is not
/// mapped: `template.unmapped`).
const PATIENT_RADIATION_DOSE_SR: &str = "1.2.840.10008.5.1.4.1.1.88.73";
/// Enhanced X-Ray Radiation Dose SR: accepted on its SOP class alone, like
/// [`PATIENT_RADIATION_DOSE_SR`].
const ENHANCED_XRAY_RADIATION_DOSE_SR: &str = "1.2.840.10008.5.1.4.1.1.88.76";

const SOP_CLASS_UID: Tag = Tag(0x0008, 0x0016);
const MEDIA_STORAGE_SOP_CLASS_UID: Tag = Tag(0x0002, 0x0002);
const CODE_VALUE: Tag = Tag(0x0008, 0x0100);
const CODING_SCHEME_DESIGNATOR: Tag = Tag(0x0008, 0x0102);
const CODE_MEANING: Tag = Tag(0x0008, 0x0104);
const LONG_CODE_VALUE: Tag = Tag(0x0008, 0x0119);
const URN_CODE_VALUE: Tag = Tag(0x0008, 0x0120);
const MEASUREMENT_UNITS_CODE_SEQUENCE: Tag = Tag(0x0040, 0x08EA);
const CONCEPT_NAME_CODE_SEQUENCE: Tag = Tag(0x0040, 0xA043);
const NUMERIC_VALUE: Tag = Tag(0x0040, 0xA30A);
const TEMPLATE_IDENTIFIER: Tag = Tag(0x0040, 0xDB00);

/// The raw attributes of one content item, gathered in one pass over its elements.
#[derive(Default)]
struct Raw {
    relationship: Option<u32>,
    value_type: Option<u32>,
    concept: Option<u32>,
    continuity: Option<u32>,
    template: Option<u32>,
    datetime: Option<u32>,
    date: Option<u32>,
    time: Option<u32>,
    person_name: Option<u32>,
    uid: Option<u32>,
    text: Option<u32>,
    concept_code: Option<u32>,
    measured: Option<u32>,
    qualifier: Option<u32>,
    referenced_sop: Option<u32>,
    graphic_type: Option<u32>,
    graphic_data: Option<u32>,
    frame_of_reference: Option<u32>,
    temporal_range_type: Option<u32>,
    referenced_content: Option<u32>,
    content: Option<u32>,
    /// A tag read above that appears more than once in the item (the last one is read).
    duplicate: Option<Tag>,
}

struct Builder<'a> {
    ds: Dataset<'a>,
    /// Severity of the `charset.*` diagnostics for text invalid in its declared character
    /// set: Info, or Warning in strict mode ([`ReadOptions`]).
    invalid_text: Severity,
    items: Vec<ItemData>,
    /// The bytes of every [`Str`]: ASCII spans of the input checked when copied, and decoded
    /// text; valid UTF-8 as a whole, made a `String` once at the end.
    text: Vec<u8>,
    /// Texts that took the decoding path (not plain ASCII); a code read with none of them
    /// can be reused for the same bytes.
    decoded_texts: u32,
    /// Codes already read, by a fingerprint of their code item's bytes.
    code_cache: HashMap<u64, CachedCode, BuildHasherDefault<KeyHasher>>,
    diagnostics: Vec<Diagnostic>,
}

/// A code read from a code item whose bytes were `start..start + len` of the buffer.
#[derive(Clone, Copy)]
struct CachedCode {
    start: u32,
    len: u32,
    /// Nodes under the code item.
    nodes: u32,
    code: CodeData,
    known: u16,
}

/// A hasher for keys that are already hashes.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fingerprint(bytes);
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// A cheap fingerprint of a code item's bytes: its length and four 8-byte words (the start,
/// which holds the code value, and the end, which holds the meaning). Equal fingerprints
/// are confirmed by comparing the bytes, so a collision only costs a read.
fn fingerprint(b: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let word = |at: usize| -> u64 {
        b.get(at..at + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map_or(0, u64::from_le_bytes)
    };
    let n = b.len();
    let mut h = (n as u64).wrapping_mul(K);
    for w in [
        word(0),
        word(8),
        word(n.saturating_sub(16)),
        word(n.saturating_sub(8)),
    ] {
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    h ^ (h >> 29)
}

fn gather(ds: &Dataset<'_>, children: Children<'_>) -> Raw {
    let mut r = Raw::default();
    for i in children {
        let Some(n) = ds.node(i) else { continue };
        let slot = match (n.tag.0, n.tag.1) {
            (0x0040, 0xA010) => &mut r.relationship,
            (0x0040, 0xA040) => &mut r.value_type,
            (0x0040, 0xA043) => &mut r.concept,
            (0x0040, 0xA050) => &mut r.continuity,
            (0x0040, 0xA504) => &mut r.template,
            (0x0040, 0xA120) => &mut r.datetime,
            (0x0040, 0xA121) => &mut r.date,
            (0x0040, 0xA122) => &mut r.time,
            (0x0040, 0xA123) => &mut r.person_name,
            (0x0040, 0xA124) => &mut r.uid,
            (0x0040, 0xA160) => &mut r.text,
            (0x0040, 0xA168) => &mut r.concept_code,
            (0x0040, 0xA300) => &mut r.measured,
            (0x0040, 0xA301) => &mut r.qualifier,
            (0x0008, 0x1199) => &mut r.referenced_sop,
            (0x0070, 0x0023) => &mut r.graphic_type,
            (0x0070, 0x0022) => &mut r.graphic_data,
            (0x3006, 0x0024) => &mut r.frame_of_reference,
            (0x0040, 0xA130) => &mut r.temporal_range_type,
            (0x0040, 0xDB73) => &mut r.referenced_content,
            (0x0040, 0xA730) => &mut r.content,
            _ => continue,
        };
        // Duplicated tags are invalid; the last one is read, as dicom-object and pydicom
        // (a data set keyed by tag) read it.
        if slot.replace(i).is_some() {
            r.duplicate = Some(n.tag);
        }
    }
    r
}

impl Builder<'_> {
    fn path_of(&self, index: usize) -> String {
        let mut ordinals = Vec::new();
        let mut cur = index;
        while cur != 0 {
            let Some(item) = self.items.get(cur) else {
                break;
            };
            ordinals.push(item.ordinal + 1);
            cur = item.parent as usize;
        }
        let mut s = String::from("1");
        for o in ordinals.iter().rev() {
            s.push('.');
            s.push_str(&o.to_string());
        }
        s
    }

    fn diag(&mut self, item: usize, severity: Severity, code: DiagnosticCode, msg: String) {
        let path = self.path_of(item);
        self.diagnostics
            .push(Diagnostic::new(severity, Some(path), code, msg));
    }

    /// Appends text known to be valid UTF-8 (a decoded string, or ASCII bytes) to the arena.
    #[inline]
    fn push_text(&mut self, bytes: &[u8]) -> Str {
        let off = self.text.len() as u32;
        self.text.extend_from_slice(bytes);
        Str {
            off,
            len: bytes.len() as u32,
        }
    }

    /// An ASCII attribute (CS, UI, DS, DT, ...) as a [`Str`] span.
    fn ascii(&mut self, node: Option<u32>) -> Option<Str> {
        // The same rule as `Dataset::ascii` (spaces and NULs trimmed, ASCII only), on bytes.
        let bytes = self.ds.value(node?);
        let start = bytes
            .iter()
            .position(|&c| c != b' ' && c != 0)
            .unwrap_or(bytes.len());
        let end = bytes
            .iter()
            .rposition(|&c| c != b' ' && c != 0)
            .map_or(start, |e| e + 1);
        let t = bytes.get(start..end)?;
        if t.is_empty() || !t.is_ascii() {
            return None;
        }
        let off = self.text.len() as u32;
        self.text.extend_from_slice(t);
        Some(Str {
            off,
            len: t.len() as u32,
        })
    }

    /// A text attribute decoded with the character set, with a diagnostic when it had to guess.
    fn text(&mut self, node: Option<u32>, item: usize) -> Option<Str> {
        let node = node?;
        // Fast path: ASCII text (nearly all of a report) is copied to the arena as it is.
        {
            let bytes = self.ds.value(node);
            let (start, end) = text_bounds(bytes);
            if let Some(t) = bytes.get(start..end) {
                if t.is_empty() {
                    return None;
                }
                // An escape sequence makes ASCII bytes text of another set.
                if t.is_ascii() && !(self.ds.has_escape && t.contains(&0x1B)) {
                    let off = self.text.len() as u32;
                    self.text.extend_from_slice(t);
                    return Some(Str {
                        off,
                        len: t.len() as u32,
                    });
                }
            }
        }
        self.decoded_texts = self.decoded_texts.wrapping_add(1);
        let (s, finding) = self.ds.text(node)?;
        let off = self.text.len() as u32;
        self.text.extend_from_slice(s.as_bytes());
        let span = Str {
            off,
            len: s.len() as u32,
        };
        if let Some(f) = finding {
            self.note_charset(f, item);
        }
        Some(span)
    }

    /// One diagnostic per kind of text invalid in the declared character set (counted when
    /// the data set was read), at the content item holding its first occurrence.
    fn note_invalid_text(&mut self) {
        let severity = self.invalid_text;
        let tallies = std::mem::take(&mut self.ds.charset_tally);
        for t in &tallies {
            let path = self.item_holding(t.first).map(|i| self.path_of(i));
            let message = t.message(&self.ds.charset, path.as_deref());
            self.diagnostics
                .push(Diagnostic::new(severity, path, t.kind.code(), message));
        }
        self.ds.charset_tally = tallies;
    }

    /// The innermost content item whose data set holds the node `node`.
    fn item_holding(&self, node: u32) -> Option<usize> {
        let mut found = None;
        for (i, item) in self.items.iter().enumerate().skip(1) {
            if item.node > node {
                break;
            }
            if self.ds.node(item.node).is_some_and(|n| node < n.end) {
                found = Some(i);
            }
        }
        found
    }

    fn note_charset(&mut self, f: Finding, item: usize) {
        let msg = f.message(&self.ds.charset);
        self.diag(item, Severity::Info, f.code(), msg);
    }

    /// The code in the first item of a code sequence.
    fn code(&mut self, seq: Option<u32>, item: usize) -> Option<CodeData> {
        self.code_read(seq, item, false).map(|(c, _)| c)
    }

    fn code_known(&mut self, seq: Option<u32>, item: usize) -> Option<(CodeData, u16)> {
        self.code_read(seq, item, true)
    }

    /// [`Builder::code`] and, when `want_id`, the code's id in the crate's table (from the raw
    /// bytes, without decoding them again).
    fn code_read(
        &mut self,
        seq: Option<u32>,
        item: usize,
        want_id: bool,
    ) -> Option<(CodeData, u16)> {
        let code_item = self.ds.children(seq?).next()?;
        // The same code item bytes read the same code: reuse the spans and the id.
        let extent = self.code_extent(code_item);
        let key = extent.map(|(start, len, nodes)| {
            let bytes = self
                .ds
                .buffer()
                .get(start as usize..(start as usize).saturating_add(len as usize))
                .unwrap_or(&[]);
            (fingerprint(bytes), start, len, nodes)
        });
        if let Some((hash, start, len, nodes)) = key {
            if let Some(c) = self.code_cache.get(&hash) {
                let buf = self.ds.buffer();
                let same = c.nodes == nodes
                    && c.len == len
                    && buf.get(c.start as usize..(c.start as usize).saturating_add(c.len as usize))
                        == buf.get(start as usize..(start as usize).saturating_add(len as usize));
                if same {
                    return Some((c.code, c.known));
                }
            }
        }
        let decoded_before = self.decoded_texts;
        let r = self.ds.children(code_item);
        let mut value = None;
        let mut long_value = None;
        let mut scheme = None;
        let mut meaning = None;
        for i in r {
            match self.ds.node(i).map(|n| n.tag) {
                Some(CODE_VALUE) => value = Some(i),
                Some(LONG_CODE_VALUE) | Some(URN_CODE_VALUE) => long_value = Some(i),
                Some(CODING_SCHEME_DESIGNATOR) => scheme = Some(i),
                Some(CODE_MEANING) => meaning = Some(i),
                _ => {}
            }
        }
        let cacheable = key.is_some();
        let known = match (value, scheme) {
            (Some(v), Some(s)) if want_id || cacheable => {
                codes::lookup_bytes(trim_ascii(self.ds.value(v)), trim_ascii(self.ds.value(s)))
                    .map_or(CodeConst::NO_ID, |k| k.id)
            }
            _ => CodeConst::NO_ID,
        };
        let empty = Str::EMPTY;
        let value = match value.and_then(|v| self.text(Some(v), item)) {
            Some(v) => v,
            None => self.text(long_value, item).unwrap_or(empty),
        };
        let scheme = self.text(scheme, item).unwrap_or(empty);
        let meaning = self.text(meaning, item).unwrap_or(empty);
        let code = CodeData {
            value,
            scheme,
            meaning,
        };
        // Only codes read without decoding (and so without diagnostics) are reused.
        if let Some((hash, start, len, nodes)) = key {
            if self.decoded_texts == decoded_before {
                self.code_cache.insert(
                    hash,
                    CachedCode {
                        start,
                        len,
                        nodes,
                        code,
                        known,
                    },
                );
            }
        }
        Some((code, if want_id { known } else { CodeConst::NO_ID }))
    }

    /// The bytes of a code item's elements (`start`, `len`) and its node count, when the item
    /// holds elements only, ending with one.
    fn code_extent(&self, code_item: u32) -> Option<(u32, u32, u32)> {
        let item = self.ds.node(code_item)?;
        let last = self.ds.node(item.end.checked_sub(1)?)?;
        let nodes = item.end.checked_sub(code_item.checked_add(1)?)?;
        if nodes == 0 || last.kind != NodeKind::Element {
            return None;
        }
        let end = last.off.checked_add(last.len)?;
        Some((item.off, end.checked_sub(item.off)?, nodes))
    }

    /// Reads one content item (or the root when `dom_item` is `None`) into `self.items[index]`;
    /// returns its Content Sequence node.
    fn read_item(&mut self, dom_item: Option<u32>, index: usize) -> Option<u32> {
        let raw = match dom_item {
            Some(i) => gather(&self.ds, self.ds.children(i)),
            None => gather(&self.ds, self.ds.top_level()),
        };
        if let Some(tag) = raw.duplicate {
            self.diag(
                index,
                Severity::Warning,
                DiagnosticCode::SrDuplicateAttribute,
                format!(
                    "({:04X},{:04X}) appears more than once in the content item; the last one is read",
                    tag.0, tag.1
                ),
            );
        }
        // Defined terms compared as bytes: no text decoding for the two CS values of every
        // item.
        let relationship = raw
            .relationship
            .map(|n| trim_ascii(self.ds.value(n)))
            .filter(|b| !b.is_empty())
            .map(Relationship::parse_bytes);
        let vt_bytes = raw
            .value_type
            .map(|n| trim_ascii(self.ds.value(n)))
            .filter(|b| !b.is_empty());
        let mut value_type = match vt_bytes {
            Some(v) => ValueType::parse_bytes(v),
            None if raw.referenced_content.is_some() => ValueType::ByReference,
            None => ValueType::Unknown,
        };
        if value_type == ValueType::Unknown {
            let vt_str = vt_bytes.map(String::from_utf8_lossy);
            let msg = match vt_str {
                Some(v) => format!("unknown value type {v:?}"),
                None => "content item without a value type".to_string(),
            };
            self.diag(index, Severity::Warning, DiagnosticCode::SrValueType, msg);
            if raw.referenced_content.is_some() {
                value_type = ValueType::ByReference;
            }
        }
        let (concept, known) = match self.code_known(raw.concept, index) {
            Some((c, k)) => (Some(c), k),
            None => (None, CodeConst::NO_ID),
        };
        let value = match value_type {
            ValueType::Container => {
                let template = raw
                    .template
                    .and_then(|seq| self.ds.children(seq).next())
                    .and_then(|t| self.ds.find(Some(t), TEMPLATE_IDENTIFIER));
                ValueData::Container {
                    continuous: raw
                        .continuity
                        .and_then(|n| self.ds.ascii(n))
                        .is_some_and(|c| c == "CONTINUOUS"),
                    template: self.ascii(template),
                }
            }
            ValueType::Code => ValueData::Code(self.code(raw.concept_code, index)),
            ValueType::Num => {
                let qualifier = self.code(raw.qualifier, index);
                let (value, unit, empty) = match raw.measured {
                    None => (None, None, false),
                    Some(seq) => match self.ds.children(seq).next() {
                        None => (None, None, true),
                        Some(mv) => {
                            let numeric = self.ds.find(Some(mv), NUMERIC_VALUE);
                            let unit_seq = self.ds.find(Some(mv), MEASUREMENT_UNITS_CODE_SEQUENCE);
                            let unit = self.code(unit_seq, index);
                            let v = self.ascii(numeric);
                            if v.is_none()
                                && numeric.is_some_and(|n| !trimmed_empty(self.ds.value(n)))
                            {
                                self.diag(
                                    index,
                                    Severity::Warning,
                                    DiagnosticCode::NumNotAscii,
                                    "numeric value is not a decimal string".into(),
                                );
                            }
                            (v, unit, false)
                        }
                    },
                };
                ValueData::Num {
                    value,
                    unit,
                    qualifier,
                    empty_measured_value: empty,
                }
            }
            ValueType::Text => ValueData::Text(self.text(raw.text, index)),
            ValueType::PName => ValueData::Text(self.text(raw.person_name, index)),
            ValueType::UidRef => ValueData::Text(self.ascii(raw.uid)),
            ValueType::DateTime => ValueData::Text(self.ascii(raw.datetime)),
            ValueType::Date => ValueData::Text(self.ascii(raw.date)),
            ValueType::Time => ValueData::Text(self.ascii(raw.time)),
            ValueType::Image | ValueType::Composite | ValueType::Waveform => ValueData::Reference {
                item: raw.referenced_sop.and_then(|s| self.ds.children(s).next()),
            },
            ValueType::SCoord | ValueType::SCoord3D => ValueData::SCoord {
                graphic_type: self.ascii(raw.graphic_type),
                data: raw.graphic_data,
                frame_of_reference: self.ascii(raw.frame_of_reference),
            },
            ValueType::TCoord => ValueData::TCoord {
                range_type: self.ascii(raw.temporal_range_type),
                item: dom_item.unwrap_or(0),
            },
            ValueType::ByReference => ValueData::ByReference {
                target: raw.referenced_content.map(|n| {
                    // UL values in the data set's byte order, written `1.2.3`.
                    let be = self.ds.big_endian();
                    let ids: Vec<String> = self
                        .ds
                        .value(n)
                        .chunks_exact(4)
                        .map(|c| {
                            let b = <[u8; 4]>::try_from(c).unwrap_or_default();
                            let v = if be {
                                u32::from_be_bytes(b)
                            } else {
                                u32::from_le_bytes(b)
                            };
                            v.to_string()
                        })
                        .collect();
                    self.push_text(ids.join(".").as_bytes())
                }),
            },
            ValueType::Unknown => ValueData::None,
        };
        if let Some(item) = self.items.get_mut(index) {
            item.known = known;
            item.concept = concept;
            item.relationship = relationship;
            item.value_type = value_type;
            item.value = value;
        }
        raw.content
    }
}

fn describe_title(ds: &Dataset<'_>) -> String {
    let Some(item) = ds.first_item(None, CONCEPT_NAME_CODE_SEQUENCE) else {
        return "(none)".into();
    };
    let v = ds.ascii_of(Some(item), CODE_VALUE).unwrap_or("");
    let s = ds
        .ascii_of(Some(item), CODING_SCHEME_DESIGNATOR)
        .unwrap_or("");
    let m = ds
        .find(Some(item), CODE_MEANING)
        .map(|n| String::from_utf8_lossy(ds.value(n)).trim().to_string())
        .unwrap_or_default();
    format!("{v} ({s}) \"{m}\"")
}

/// Checks the SOP class and document title, then builds the content tree.
pub(crate) fn build<'a>(ds: Dataset<'a>, options: &ReadOptions) -> Result<Document<'a>, Error> {
    let sop_class = ds
        .ascii_of(None, SOP_CLASS_UID)
        .or_else(|| {
            ds.meta()
                .iter()
                .rposition(|n| n.tag == MEDIA_STORAGE_SOP_CLASS_UID)
                .and_then(|i| ds.ascii(i as u32))
        })
        .map(str::to_string);
    let accepted = sop_class
        .as_deref()
        .is_some_and(|s| DOSE_REPORT_SOP_CLASSES.iter().any(|(uid, _)| *uid == s));
    let title_ok = ds
        .first_item(None, CONCEPT_NAME_CODE_SEQUENCE)
        .and_then(|i| ds.ascii_of(Some(i), CODE_VALUE))
        .is_some_and(|v| {
            codes::XRAY_RADIATION_DOSE_REPORT.value == v
                || codes::RADIOPHARMACEUTICAL_RADIATION_DOSE_REPORT.value == v
        });
    // The two newer dose SOP classes are dose reports by their class, whatever their title.
    let dose_class = sop_class
        .as_deref()
        .is_some_and(|s| s == PATIENT_RADIATION_DOSE_SR || s == ENHANCED_XRAY_RADIATION_DOSE_SR);
    if !accepted || !(title_ok || dose_class) {
        let sop = sop_class.unwrap_or_else(|| "(none)".into());
        let named = DOSE_REPORT_SOP_CLASSES
            .iter()
            .find(|(uid, _)| *uid == sop)
            .map(|(_, name)| format!("{sop} ({name})"))
            .unwrap_or(sop);
        return Err(Error::NotADoseReport {
            location: Location::default(),
            sop_class: named,
            title: describe_title(&ds),
        });
    }

    let diagnostics = ds.diagnostics.clone();
    let mut b = Builder {
        ds,
        invalid_text: if options.invalid_text_warns {
            Severity::Warning
        } else {
            Severity::Info
        },
        items: Vec::new(),
        text: Vec::new(),
        decoded_texts: 0,
        code_cache: HashMap::default(),
        diagnostics,
    };
    let blank = ItemData {
        concept: None,
        known: CodeConst::NO_ID,
        relationship: None,
        value_type: ValueType::Unknown,
        value: ValueData::None,
        node: u32::MAX,
        parent: 0,
        ordinal: 0,
        end: 1,
        depth: 0,
    };
    b.items.reserve(b.ds.nodes().len() / 8);
    // About 5 bytes of text per data set node in real reports.
    b.text.reserve(b.ds.nodes().len().saturating_mul(6));
    b.items.push(blank);
    let root_content = b.read_item(None, 0);

    // Explicit stack of (next DOM item, end of the content sequence, parent, next ordinal).
    let mut stack: Vec<(u32, u32, usize, u32)> = Vec::new();
    if let Some(seq) = root_content {
        let end = b.ds.node(seq).map_or(0, |n| n.end);
        stack.push((seq + 1, end, 0, 0));
    }
    let max_items = options.max_items as usize;
    while let Some(top) = stack.last_mut() {
        let (next, end, parent, ordinal) = *top;
        if next >= end {
            let closed = parent;
            stack.pop();
            let len = b.items.len() as u32;
            if let Some(it) = b.items.get_mut(closed) {
                it.end = len;
            }
            continue;
        }
        let dom_item = next;
        top.0 = b.ds.node(dom_item).map_or(end, |n| n.end.max(dom_item + 1));
        top.3 = ordinal + 1;
        let index = b.items.len();
        if index >= max_items {
            return Err(
                Error::limit(Limit::Items, index as u64 + 1, max_items as u64, None)
                    .with_path(Some(b.path_of(parent))),
            );
        }
        let depth = b.items.get(parent).map_or(0, |p| p.depth) + 1;
        if depth > options.max_depth {
            return Err(Error::limit(
                Limit::Depth,
                u64::from(depth),
                u64::from(options.max_depth),
                None,
            )
            .with_path(Some(b.path_of(parent))));
        }
        b.items.push(ItemData {
            node: dom_item,
            parent: parent as u32,
            ordinal,
            depth,
            ..blank
        });
        if let Some(content) = b.read_item(Some(dom_item), index) {
            let cend = b.ds.node(content).map_or(0, |n| n.end);
            stack.push((content + 1, cend, index, 0));
        } else if let Some(it) = b.items.get_mut(index) {
            it.end = index as u32 + 1;
        }
    }
    let total = b.items.len() as u32;
    if let Some(root) = b.items.first_mut() {
        root.end = total;
    }
    b.note_invalid_text();
    Ok(Document {
        dataset: b.ds,
        items: b.items,
        // Every piece is ASCII checked byte by byte or a decoded `str`: valid as a whole.
        text: String::from_utf8(b.text)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        diagnostics: b.diagnostics,
    })
}

fn trimmed_empty(bytes: &[u8]) -> bool {
    bytes.iter().all(|&b| b == b' ' || b == 0)
}

/// Bytes without leading and trailing spaces and NULs.
fn trim_ascii(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|&c| c != b' ' && c != 0)
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|&c| c != b' ' && c != 0)
        .map_or(start, |e| e + 1);
    b.get(start..end.max(start)).unwrap_or(&[])
}

/// Text padding (leading spaces, trailing spaces and NULs), as `start..end` of `b`; the same
/// rule as the data set's text accessor.
fn text_bounds(b: &[u8]) -> (usize, usize) {
    let start = b.iter().position(|&c| c != b' ').unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|&c| c != b' ' && c != 0)
        .map_or(start, |e| e + 1);
    (start, end.max(start))
}
