//! The generic SR content tree of a dose report.
//!
//! A [`Document`] holds every content item of the report in one pre-order arena; an [`Item`]
//! is a cheap handle (`Copy`) into it. Text is borrowed from the input where the character set
//! allows and decoded once otherwise. Items are found by code ([`Item::child`]), never by
//! meaning text, and every item knows its [`Path`] (`1.4.2`) for diagnostics.

mod build;
pub mod code;
pub mod codes;
mod ser;

use std::fmt;

use dicom_core::Tag;
use serde::{Deserialize, Serialize};

pub(crate) use build::build;
pub use code::{Code, CodeConst, OwnedCode};

use crate::error::Diagnostic;
use crate::load::Dataset;

/// A piece of text: a span of the document's text arena ([`Document::text`]), which holds
/// every string the tree refers to, validated once as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Str {
    pub off: u32,
    pub len: u32,
}

impl Str {
    /// The empty string.
    pub const EMPTY: Str = Str { off: 0, len: 0 };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CodeData {
    pub value: Str,
    pub scheme: Str,
    pub meaning: Str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ValueData {
    None,
    Container {
        continuous: bool,
        template: Option<Str>,
    },
    Code(Option<CodeData>),
    Num {
        value: Option<Str>,
        unit: Option<CodeData>,
        qualifier: Option<CodeData>,
        /// The Measured Value Sequence is present with zero items.
        empty_measured_value: bool,
    },
    Text(Option<Str>),
    Reference {
        /// The Referenced SOP Sequence item (DOM node).
        item: Option<u32>,
    },
    SCoord {
        graphic_type: Option<Str>,
        data: Option<u32>,
        frame_of_reference: Option<Str>,
    },
    TCoord {
        range_type: Option<Str>,
        item: u32,
    },
    ByReference {
        target: Option<Str>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ItemData {
    pub concept: Option<CodeData>,
    /// The concept's id in the code table (`CodeConst::NO_ID` when unknown).
    pub known: u16,
    pub relationship: Option<Relationship>,
    pub value_type: ValueType,
    pub value: ValueData,
    /// DOM node of the content item (the data set for the root).
    pub node: u32,
    pub parent: u32,
    /// 0-based position among the parent's children.
    pub ordinal: u32,
    /// Index one past the last descendant.
    pub end: u32,
    pub depth: u32,
}

/// SR relationship type (0040,A010).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum Relationship {
    /// CONTAINS
    Contains,
    /// HAS PROPERTIES
    HasProperties,
    /// HAS CONCEPT MOD
    HasConceptMod,
    /// HAS OBS CONTEXT
    HasObsContext,
    /// HAS ACQ CONTEXT
    HasAcqContext,
    /// INFERRED FROM
    InferredFrom,
    /// SELECTED FROM
    SelectedFrom,
    /// A value this crate does not know.
    Other,
}

impl Relationship {
    pub(crate) fn parse_bytes(s: &[u8]) -> Relationship {
        match s {
            b"CONTAINS" => Relationship::Contains,
            b"HAS PROPERTIES" => Relationship::HasProperties,
            b"HAS CONCEPT MOD" => Relationship::HasConceptMod,
            b"HAS OBS CONTEXT" => Relationship::HasObsContext,
            b"HAS ACQ CONTEXT" => Relationship::HasAcqContext,
            b"INFERRED FROM" => Relationship::InferredFrom,
            b"SELECTED FROM" => Relationship::SelectedFrom,
            _ => Relationship::Other,
        }
    }

    /// The DICOM defined term.
    pub fn as_str(self) -> &'static str {
        match self {
            Relationship::Contains => "CONTAINS",
            Relationship::HasProperties => "HAS PROPERTIES",
            Relationship::HasConceptMod => "HAS CONCEPT MOD",
            Relationship::HasObsContext => "HAS OBS CONTEXT",
            Relationship::HasAcqContext => "HAS ACQ CONTEXT",
            Relationship::InferredFrom => "INFERRED FROM",
            Relationship::SelectedFrom => "SELECTED FROM",
            Relationship::Other => "OTHER",
        }
    }
}

/// SR value type (0040,A040).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ValueType {
    /// CONTAINER
    Container,
    /// CODE
    Code,
    /// NUM
    Num,
    /// TEXT
    Text,
    /// UIDREF
    UidRef,
    /// DATETIME
    DateTime,
    /// DATE
    Date,
    /// TIME
    Time,
    /// PNAME
    PName,
    /// IMAGE
    Image,
    /// COMPOSITE
    Composite,
    /// WAVEFORM
    Waveform,
    /// SCOORD
    SCoord,
    /// SCOORD3D
    SCoord3D,
    /// TCOORD
    TCoord,
    /// No value type: a by-reference relationship (Referenced Content Item Identifier).
    ByReference,
    /// A value type this crate does not know, or none where one is required.
    Unknown,
}

impl ValueType {
    pub(crate) fn parse_bytes(s: &[u8]) -> ValueType {
        match s {
            b"CONTAINER" => ValueType::Container,
            b"CODE" => ValueType::Code,
            b"NUM" => ValueType::Num,
            b"TEXT" => ValueType::Text,
            b"UIDREF" => ValueType::UidRef,
            b"DATETIME" => ValueType::DateTime,
            b"DATE" => ValueType::Date,
            b"TIME" => ValueType::Time,
            b"PNAME" => ValueType::PName,
            b"IMAGE" => ValueType::Image,
            b"COMPOSITE" => ValueType::Composite,
            b"WAVEFORM" => ValueType::Waveform,
            b"SCOORD" => ValueType::SCoord,
            b"SCOORD3D" => ValueType::SCoord3D,
            b"TCOORD" => ValueType::TCoord,
            _ => ValueType::Unknown,
        }
    }

    /// The DICOM defined term (`BY-REFERENCE` / `UNKNOWN` for the two extra cases).
    pub fn as_str(self) -> &'static str {
        match self {
            ValueType::Container => "CONTAINER",
            ValueType::Code => "CODE",
            ValueType::Num => "NUM",
            ValueType::Text => "TEXT",
            ValueType::UidRef => "UIDREF",
            ValueType::DateTime => "DATETIME",
            ValueType::Date => "DATE",
            ValueType::Time => "TIME",
            ValueType::PName => "PNAME",
            ValueType::Image => "IMAGE",
            ValueType::Composite => "COMPOSITE",
            ValueType::Waveform => "WAVEFORM",
            ValueType::SCoord => "SCOORD",
            ValueType::SCoord3D => "SCOORD3D",
            ValueType::TCoord => "TCOORD",
            ValueType::ByReference => "BY-REFERENCE",
            ValueType::Unknown => "UNKNOWN",
        }
    }
}

/// The SR content tree of one dose report, with the data set it came from.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub(crate) dataset: Dataset<'a>,
    pub(crate) items: Vec<ItemData>,
    /// The text of every [`Str`] of the tree, one after the other.
    pub(crate) text: String,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl<'a> Document<'a> {
    /// The data set the tree was read from (header attributes, raw elements): the reader's
    /// internals, not part of the stable API.
    #[doc(hidden)]
    pub fn dataset(&self) -> &Dataset<'a> {
        &self.dataset
    }

    /// The root content item (the document title is its concept).
    pub fn root(&self) -> Item<'_> {
        Item {
            doc: self,
            index: 0,
        }
    }

    /// Number of content items, root included.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the tree is empty (never true for a document that was read).
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Every content item in document order (pre-order), root first.
    pub fn items(&self) -> impl Iterator<Item = Item<'_>> + '_ {
        (0..self.items.len() as u32).map(move |index| Item { doc: self, index })
    }

    /// What the reader coped with (character sets, redundant delimiters, odd values).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// SOP Class UID (0008,0016), or the Media Storage SOP Class UID of the file meta.
    pub fn sop_class_uid(&self) -> Option<&str> {
        self.dataset
            .ascii_of(None, Tag(0x0008, 0x0016))
            .or_else(|| {
                let ds = &self.dataset;
                ds.meta()
                    .iter()
                    .rposition(|n| n.tag == Tag(0x0002, 0x0002))
                    .and_then(|i| ds.ascii(i as u32))
            })
    }

    /// The declared template identifier of the root (ContentTemplateSequence), if any.
    pub fn template_id(&self) -> Option<&str> {
        match self.items.first()?.value {
            ValueData::Container { template, .. } => template.map(|t| self.str(t)),
            _ => None,
        }
    }

    /// The document title (the root's concept name).
    pub fn title(&self) -> Option<Code<'_>> {
        self.root().concept()
    }

    /// The text a [`Str`] refers to.
    pub(crate) fn str(&self, s: Str) -> &str {
        resolve(&self.text, s)
    }

    fn code(&self, c: CodeData) -> Code<'_> {
        Code {
            value: resolve(&self.text, c.value),
            scheme: resolve(&self.text, c.scheme),
            meaning: resolve(&self.text, c.meaning),
        }
    }

    /// Counts the items whose concept is `code`, at any depth.
    pub fn count(&self, code: &CodeConst) -> usize {
        self.items().filter(|i| i.is(code)).count()
    }
}

/// The text a [`Str`] refers to: a slice of the arena, no validation again.
#[inline]
fn resolve(text: &str, s: Str) -> &str {
    let start = s.off as usize;
    text.get(start..start.saturating_add(s.len as usize))
        .unwrap_or("")
}

/// A content item: a cheap, copyable handle into a [`Document`].
#[derive(Clone, Copy)]
pub struct Item<'d> {
    doc: &'d Document<'d>,
    index: u32,
}

impl fmt::Debug for Item<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Item")
            .field("path", &self.path().to_string())
            .field("concept", &self.concept())
            .field("value", &self.value())
            .finish()
    }
}

/// The position of an item in the tree: `1` is the root, `1.4.2` the 2nd child of the root's
/// 4th child. Displayed in that dotted form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Path(Vec<u32>);

impl Path {
    /// The 1-based ordinals from the root's children down (empty for the root).
    pub fn ordinals(&self) -> &[u32] {
        &self.0
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("1")?;
        for o in &self.0 {
            write!(f, ".{o}")?;
        }
        Ok(())
    }
}

impl From<Path> for String {
    fn from(p: Path) -> String {
        p.to_string()
    }
}

impl TryFrom<String> for Path {
    type Error = String;
    fn try_from(s: String) -> Result<Path, String> {
        let mut parts = s.split('.');
        if parts.next() != Some("1") {
            return Err(format!("content path {s:?} does not start at 1"));
        }
        parts
            .map(|p| p.parse::<u32>().map_err(|e| format!("{s:?}: {e}")))
            .collect::<Result<Vec<_>, _>>()
            .map(Path)
    }
}

/// A NUM value: the measured value (kept as the file wrote it), unit and qualifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Num<'d> {
    /// The Numeric Value (0040,A30A) as written (may be multi-valued with `\`); `None` when the
    /// Measured Value Sequence is empty or absent, or the value is empty.
    pub raw: Option<&'d str>,
    /// Measurement Units Code Sequence item.
    pub unit: Option<Code<'d>>,
    /// Numeric Value Qualifier (why there is no value).
    pub qualifier: Option<Code<'d>>,
    /// Whether the Measured Value Sequence was present but empty (a legal way to say "no value").
    pub empty_measured_value: bool,
}

impl<'d> Num<'d> {
    /// The single numeric value; `None` when absent, unparseable or multi-valued.
    pub fn value(&self) -> Option<f64> {
        let raw = self.raw?;
        if raw.contains('\\') {
            return None;
        }
        parse_ds(raw)
    }

    /// Every value of a multi-valued numeric value, each parsed (`None` where unparseable).
    pub fn values(&self) -> impl Iterator<Item = Option<f64>> + 'd {
        self.raw
            .into_iter()
            .flat_map(|r| r.split('\\').map(parse_ds))
    }
}

/// Parses a DS value (decimal string): trimmed, `+`/`-`, exponent; no NaN or infinities.
pub fn parse_ds(s: &str) -> Option<f64> {
    let s = s.trim_matches(|c: char| c == ' ' || c == '\0');
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
    {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A reference to a composite object (IMAGE, COMPOSITE, WAVEFORM values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference<'d> {
    /// Referenced SOP Class UID.
    pub sop_class_uid: Option<&'d str>,
    /// Referenced SOP Instance UID.
    pub sop_instance_uid: Option<&'d str>,
    /// Referenced Frame Number(s), as written.
    pub frames: Option<&'d str>,
}

/// Coordinates of an SCOORD / SCOORD3D value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coordinates<'d> {
    /// Graphic Type (POINT, POLYLINE, ...).
    pub graphic_type: Option<&'d str>,
    /// Referenced Frame of Reference UID (SCOORD3D).
    pub frame_of_reference_uid: Option<&'d str>,
    bytes: &'d [u8],
    big_endian: bool,
}

impl Coordinates<'_> {
    /// The Graphic Data values (FL), in order.
    pub fn data(&self) -> impl Iterator<Item = f32> + '_ {
        let be = self.big_endian;
        self.bytes.chunks_exact(4).map(move |c| {
            let b = <[u8; 4]>::try_from(c).unwrap_or_default();
            if be {
                f32::from_be_bytes(b)
            } else {
                f32::from_le_bytes(b)
            }
        })
    }
}

/// A content item's value, by value type.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Value<'d> {
    /// CONTAINER; `template` is the declared template identifier, if any.
    Container {
        /// Continuity of Content is CONTINUOUS.
        continuous: bool,
        /// Template Identifier of the Content Template Sequence.
        template: Option<&'d str>,
    },
    /// CODE (`None`: the Concept Code Sequence is empty or absent).
    Code(Option<Code<'d>>),
    /// NUM.
    Num(Num<'d>),
    /// TEXT.
    Text(Option<&'d str>),
    /// UIDREF.
    UidRef(Option<&'d str>),
    /// DATETIME, as written (`YYYYMMDDHHMMSS.FFFFFF&ZZXX`).
    DateTime(Option<&'d str>),
    /// DATE, as written.
    Date(Option<&'d str>),
    /// TIME, as written.
    Time(Option<&'d str>),
    /// PNAME, decoded.
    PName(Option<&'d str>),
    /// IMAGE.
    Image(Reference<'d>),
    /// COMPOSITE.
    Composite(Reference<'d>),
    /// WAVEFORM.
    Waveform(Reference<'d>),
    /// SCOORD.
    SCoord(Coordinates<'d>),
    /// SCOORD3D.
    SCoord3D(Coordinates<'d>),
    /// TCOORD: the range type; the references stay in the data set.
    TCoord {
        /// Temporal Range Type.
        range_type: Option<&'d str>,
    },
    /// A by-reference relationship to another item (`1.2.3` style identifiers, as written).
    ByReference(Option<&'d str>),
    /// No value this crate can read.
    None,
}

impl<'d> Item<'d> {
    #[inline]
    fn data(&self) -> &'d ItemData {
        // Handles are only made for valid indices; fall back to the root defensively.
        self.doc
            .items
            .get(self.index as usize)
            .or_else(|| self.doc.items.first())
            .unwrap_or(&EMPTY_ITEM)
    }

    /// The index of this item in document order (root = 0).
    pub fn index(&self) -> u32 {
        self.index
    }

    /// The concept name, if the item has one.
    pub fn concept(&self) -> Option<Code<'d>> {
        self.data().concept.map(|c| self.doc.code(c))
    }

    /// Whether the concept name is `code` (or an equivalent coding).
    #[inline]
    pub fn is(&self, code: &CodeConst) -> bool {
        if code.id != CodeConst::NO_ID {
            // Known codes were resolved once when the tree was built.
            return self.data().known == code.id;
        }
        self.concept().is_some_and(|c| c.is(code))
    }

    /// The crate's constant for the concept name, when it is a known code.
    pub fn known_concept(&self) -> Option<&'static CodeConst> {
        codes::ALL.get(usize::from(self.data().known)).copied()
    }

    /// The relationship with the parent (`None` for the root or when missing).
    pub fn relationship(&self) -> Option<Relationship> {
        self.data().relationship
    }

    /// The value type.
    pub fn value_type(&self) -> ValueType {
        self.data().value_type
    }

    /// The value.
    pub fn value(&self) -> Value<'d> {
        let doc = self.doc;
        let s = |x: Option<Str>| x.map(|v| doc.str(v));
        let d = self.data();
        match d.value {
            ValueData::None => Value::None,
            ValueData::Container {
                continuous,
                template,
            } => Value::Container {
                continuous,
                template: s(template),
            },
            ValueData::Code(c) => Value::Code(c.map(|c| doc.code(c))),
            ValueData::Num {
                value,
                unit,
                qualifier,
                empty_measured_value,
            } => Value::Num(Num {
                raw: s(value),
                unit: unit.map(|c| doc.code(c)),
                qualifier: qualifier.map(|c| doc.code(c)),
                empty_measured_value,
            }),
            ValueData::Text(t) => {
                let t = s(t);
                match d.value_type {
                    ValueType::UidRef => Value::UidRef(t),
                    ValueType::DateTime => Value::DateTime(t),
                    ValueType::Date => Value::Date(t),
                    ValueType::Time => Value::Time(t),
                    ValueType::PName => Value::PName(t),
                    _ => Value::Text(t),
                }
            }
            ValueData::Reference { item } => {
                let ds = &doc.dataset;
                let r = Reference {
                    sop_class_uid: item.and_then(|i| ds.ascii_of(Some(i), Tag(0x0008, 0x1150))),
                    sop_instance_uid: item.and_then(|i| ds.ascii_of(Some(i), Tag(0x0008, 0x1155))),
                    frames: item.and_then(|i| ds.ascii_of(Some(i), Tag(0x0008, 0x1160))),
                };
                match d.value_type {
                    ValueType::Composite => Value::Composite(r),
                    ValueType::Waveform => Value::Waveform(r),
                    _ => Value::Image(r),
                }
            }
            ValueData::SCoord {
                graphic_type,
                data,
                frame_of_reference,
            } => {
                let c = Coordinates {
                    graphic_type: s(graphic_type),
                    frame_of_reference_uid: s(frame_of_reference),
                    bytes: data.map_or(&[][..], |n| doc.dataset.value(n)),
                    big_endian: doc.dataset.big_endian(),
                };
                if d.value_type == ValueType::SCoord3D {
                    Value::SCoord3D(c)
                } else {
                    Value::SCoord(c)
                }
            }
            ValueData::TCoord { range_type, .. } => Value::TCoord {
                range_type: s(range_type),
            },
            ValueData::ByReference { target } => Value::ByReference(s(target)),
        }
    }

    /// The value of a CODE item.
    pub fn code_value(&self) -> Option<Code<'d>> {
        match self.value() {
            Value::Code(c) => c,
            _ => None,
        }
    }

    /// The value of a NUM item.
    pub fn num(&self) -> Option<Num<'d>> {
        match self.value() {
            Value::Num(n) => Some(n),
            _ => None,
        }
    }

    /// The string value of a TEXT, UIDREF, DATETIME, DATE, TIME or PNAME item.
    pub fn text(&self) -> Option<&'d str> {
        match self.value() {
            Value::Text(t)
            | Value::UidRef(t)
            | Value::DateTime(t)
            | Value::Date(t)
            | Value::Time(t)
            | Value::PName(t) => t,
            _ => None,
        }
    }

    /// The children, in document order.
    pub fn children(&self) -> Children<'d> {
        Children {
            doc: self.doc,
            next: self.index + 1,
            end: self.data().end,
        }
    }

    /// The first child whose concept is `code`.
    pub fn child(&self, code: &CodeConst) -> Option<Item<'d>> {
        self.children().find(|c| c.is(code))
    }

    /// Every child whose concept is `code`.
    pub fn children_of<'c>(&self, code: &'c CodeConst) -> impl Iterator<Item = Item<'d>> + 'c
    where
        'd: 'c,
    {
        self.children().filter(move |c| c.is(code))
    }

    /// Every descendant in document order (not including this item).
    pub fn descendants(&self) -> impl Iterator<Item = Item<'d>> + 'd {
        let doc = self.doc;
        (self.index + 1..self.data().end).map(move |index| Item { doc, index })
    }

    /// The parent (`None` for the root).
    pub fn parent(&self) -> Option<Item<'d>> {
        if self.index == 0 {
            return None;
        }
        Some(Item {
            doc: self.doc,
            index: self.data().parent,
        })
    }

    /// Nesting depth: 0 for the root, 1 for its children.
    pub fn depth(&self) -> u32 {
        self.data().depth
    }

    /// The item's position in the tree (`1.4.2`).
    pub fn path(&self) -> Path {
        let mut ordinals = Vec::with_capacity(self.depth() as usize);
        let mut cur = *self;
        while let Some(parent) = cur.parent() {
            ordinals.push(cur.data().ordinal + 1);
            cur = parent;
        }
        ordinals.reverse();
        Path(ordinals)
    }

    /// The DOM node of the content item in the data set (for raw attribute access).
    pub fn node(&self) -> u32 {
        self.data().node
    }

    /// The document this item belongs to.
    pub fn document(&self) -> &'d Document<'d> {
        self.doc
    }
}

static EMPTY_ITEM: ItemData = ItemData {
    concept: None,
    known: CodeConst::NO_ID,
    relationship: None,
    value_type: ValueType::Unknown,
    value: ValueData::None,
    node: 0,
    parent: 0,
    ordinal: 0,
    end: 1,
    depth: 0,
};

/// Iterator over an item's children.
#[derive(Clone)]
pub struct Children<'d> {
    doc: &'d Document<'d>,
    next: u32,
    end: u32,
}

impl<'d> Iterator for Children<'d> {
    type Item = Item<'d>;
    fn next(&mut self) -> Option<Item<'d>> {
        if self.next >= self.end {
            return None;
        }
        let index = self.next;
        let end = self.doc.items.get(index as usize)?.end;
        self.next = end.max(index + 1);
        Some(Item {
            doc: self.doc,
            index,
        })
    }
}
