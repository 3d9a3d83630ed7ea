//! Differential test against dicom-object: every element the reader keeps equals what
//! dicom-object reads from the same bytes (tag, VR, value), the file meta information agrees
//! with dicom-object's meta table, and the SR content tree built by the crate equals the one a
//! small reference walker in this file builds from dicom-object's `InMemDicomObject`.
//!
//! Comparison rules (where the two libraries legitimately differ, compared per the rule, never
//! skipped):
//!
//! * Order. dicom-object keeps a data set in a `BTreeMap`, so it yields elements in ascending
//!   tag order and keeps the last of duplicated tags; the reader keeps file order. Our elements
//!   are compared in that same order (stable sort by tag, last duplicate kept); how many item
//!   levels needed reordering is counted and printed.
//! * VR. Equal, with one rule: encapsulated pixel data is always `OB` in dicom-object (it builds
//!   the element with `VR::OB`), while the reader keeps the declared `OB`/`OW`.
//! * Text values (AE AS CS DA DS DT IS TM UI: our `ascii`; LO LT PN SH ST UC UR UT: our
//!   `decoded_text`) are compared trimmed of leading spaces and trailing spaces and NULs on both
//!   sides, against dicom-object's `to_raw_str` (its values joined with `\`). The reader is run
//!   with `MisdeclaredText::AsDeclared`, the policy that decodes as dicom-object does. Empty
//!   equals absent (`None` on our side).
//! * Binary values are compared as bytes: dicom-object's numbers re-encoded little endian, ours
//!   in file byte order swapped per value unit on big-endian files. dicom-object reads
//!   `len / unit` values, dropping an incomplete trailing unit; ours is truncated the same way.
//! * Sequences: the same number of items, each compared recursively. Encapsulated pixel data:
//!   our first fragment is the basic offset table (dicom-object's `offset_table`), the rest are
//!   dicom-object's fragments.
//! * Deflated files (dicom-object is built without its `deflate` feature): the data set is
//!   inflated here and dicom-object reads it; files whose file meta group dicom-object refuses
//!   (strict UID check): dicom-object reads the data set alone (see [`open`]). Both are counted
//!   and printed. Any other file dicom-object cannot open is printed and skipped, and fails the
//!   test unless it is deflated; a file dicom-object reads that the reader rejects fails it.
//!
//! Synthetic reports (every SR value type, in three transfer syntaxes; a by-reference item) go
//! through the same comparison.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use dicom_core::value::{PrimitiveValue, Value as DValue};
use dicom_core::{Tag, VR};
use dicom_object::{InMemDicomObject, OpenFileOptions};
use rdsr::load::{Dataset, NodeKind};
use rdsr::sr::{Document, Value};
use rdsr::{MisdeclaredText, Options};

const MAX_FAILURES_SHOWN: usize = 60;

/// What the comparison found.
#[derive(Default)]
struct Cx {
    elements: usize,
    meta_elements: usize,
    reordered_levels: usize,
    failures: Vec<String>,
}

impl Cx {
    fn fail(&mut self, msg: String) {
        self.failures.push(msg);
    }
}

fn tag_str(t: Tag) -> String {
    format!("({:04X},{:04X})", t.0, t.1)
}

fn is_ascii_vr(vr: VR) -> bool {
    matches!(
        vr,
        VR::AE | VR::AS | VR::CS | VR::DA | VR::DS | VR::DT | VR::IS | VR::TM | VR::UI
    )
}

fn is_text_vr(vr: VR) -> bool {
    matches!(
        vr,
        VR::LO | VR::LT | VR::PN | VR::SH | VR::ST | VR::UC | VR::UR | VR::UT
    )
}

/// Bytes per value of a binary VR.
fn unit(vr: VR) -> usize {
    match vr {
        VR::OW | VR::US | VR::SS => 2,
        VR::OL | VR::UL | VR::SL | VR::FL | VR::OF | VR::AT => 4,
        VR::OD | VR::FD | VR::SV | VR::UV | VR::OV => 8,
        _ => 1,
    }
}

/// Trim rule for ASCII VRs: spaces and NULs at both ends; empty is `None`.
fn trim_ascii(s: &str) -> Option<&str> {
    let s = s.trim_matches([' ', '\0']);
    (!s.is_empty()).then_some(s)
}

/// Trim rule for text VRs: leading spaces, trailing spaces and NULs; empty is `None`.
fn trim_text(s: &str) -> Option<&str> {
    let s = s.trim_start_matches(' ').trim_end_matches([' ', '\0']);
    (!s.is_empty()).then_some(s)
}

/// dicom-object's binary value as little-endian bytes; `None` for text values.
fn le_bytes(p: &PrimitiveValue) -> Option<Vec<u8>> {
    Some(match p {
        PrimitiveValue::Empty => Vec::new(),
        PrimitiveValue::U8(v) => v.to_vec(),
        PrimitiveValue::U16(v) => v.iter().flat_map(|x| x.to_le_bytes()).collect(),
        PrimitiveValue::I16(v) => v.iter().flat_map(|x| x.to_le_bytes()).collect(),
        PrimitiveValue::U32(v) => v.iter().flat_map(|x| x.to_le_bytes()).collect(),
        PrimitiveValue::I32(v) => v.iter().flat_map(|x| x.to_le_bytes()).collect(),
        PrimitiveValue::U64(v) => v.iter().flat_map(|x| x.to_le_bytes()).collect(),
        PrimitiveValue::I64(v) => v.iter().flat_map(|x| x.to_le_bytes()).collect(),
        PrimitiveValue::F32(v) => v.iter().flat_map(|x| x.to_le_bytes()).collect(),
        PrimitiveValue::F64(v) => v.iter().flat_map(|x| x.to_le_bytes()).collect(),
        PrimitiveValue::Tags(v) => v
            .iter()
            .flat_map(|t| {
                let [a, b] = t.0.to_le_bytes();
                let [c, d] = t.1.to_le_bytes();
                [a, b, c, d]
            })
            .collect(),
        _ => return None,
    })
}

/// Our raw value as little-endian bytes, truncated to whole units.
fn our_le_bytes(raw: &[u8], vr: VR, big_endian: bool) -> Vec<u8> {
    // AT is two 16-bit numbers, swapped each on their own.
    let u = if vr == VR::AT { 2 } else { unit(vr) };
    let whole = if vr == VR::AT {
        raw.len() / 4 * 4
    } else {
        raw.len() / u * u
    };
    let mut out = raw[..whole].to_vec();
    if big_endian && u > 1 {
        for chunk in out.chunks_exact_mut(u) {
            chunk.reverse();
        }
    }
    out
}

fn short(bytes: &[u8]) -> String {
    let mut s = String::new();
    for b in bytes.iter().take(24) {
        let _ = write!(s, "{b:02x}");
    }
    if bytes.len() > 24 {
        let _ = write!(s, "..({} bytes)", bytes.len());
    }
    s
}

struct Side<'d, 'a> {
    ds: &'d Dataset<'a>,
    options: &'d Options,
}

impl Side<'_, '_> {
    /// Our children of one level, in dicom-object's order (see the module comment).
    fn ordered(&self, cx: &mut Cx, mut idx: Vec<u32>) -> Vec<u32> {
        let tag = |i: &u32| {
            self.ds
                .node(*i)
                .map(|n| n.tag)
                .expect("node index in range")
        };
        if idx.windows(2).all(|w| tag(&w[0]) < tag(&w[1])) {
            return idx;
        }
        cx.reordered_levels += 1;
        idx.sort_by_key(tag);
        let mut out: Vec<u32> = Vec::with_capacity(idx.len());
        for i in idx {
            match out.last_mut() {
                Some(last) if tag(last) == tag(&i) => *last = i,
                _ => out.push(i),
            }
        }
        out
    }

    fn level(&self, cx: &mut Cx, ours: Vec<u32>, theirs: &InMemDicomObject, at: &str) {
        let ours = self.ordered(cx, ours);
        let theirs: Vec<_> = theirs.iter().collect();
        let our_tags: Vec<Tag> = ours.iter().map(|&i| self.ds.node(i).unwrap().tag).collect();
        let their_tags: Vec<Tag> = theirs.iter().map(|e| e.header().tag).collect();
        if our_tags != their_tags {
            let only_ours: Vec<String> = our_tags
                .iter()
                .filter(|t| !their_tags.contains(t))
                .map(|t| tag_str(*t))
                .collect();
            let only_theirs: Vec<String> = their_tags
                .iter()
                .filter(|t| !our_tags.contains(t))
                .map(|t| tag_str(*t))
                .collect();
            cx.fail(format!(
                "{at}: element lists differ: {} ours vs {} dicom-object; only ours {only_ours:?}, \
                 only dicom-object {only_theirs:?}",
                our_tags.len(),
                their_tags.len()
            ));
            return;
        }
        for (&i, e) in ours.iter().zip(theirs) {
            self.element(cx, i, e, at);
        }
    }

    fn element(&self, cx: &mut Cx, i: u32, e: &dicom_object::mem::InMemElement, at: &str) {
        cx.elements += 1;
        let node = *self.ds.node(i).expect("node index in range");
        let here = format!("{at}{}", tag_str(node.tag));
        match (node.kind, e.value()) {
            (NodeKind::Sequence, DValue::Sequence(seq)) => {
                if node.vr != VR::SQ || e.vr() != VR::SQ {
                    cx.fail(format!(
                        "{here}: VR {:?} vs dicom-object {:?}",
                        node.vr,
                        e.vr()
                    ));
                }
                let items: Vec<u32> = self.ds.children(i).collect();
                if items.len() != seq.items().len() {
                    cx.fail(format!(
                        "{here}: {} items vs dicom-object {}",
                        items.len(),
                        seq.items().len()
                    ));
                    return;
                }
                for (n, (&item, obj)) in items.iter().zip(seq.items()).enumerate() {
                    if self.ds.node(item).map(|n| n.kind) != Some(NodeKind::Item) {
                        cx.fail(format!("{here}: child {n} is not an item"));
                        continue;
                    }
                    let children: Vec<u32> = self.ds.children(item).collect();
                    self.level(cx, children, obj, &format!("{here}[{n}]"));
                }
            }
            (NodeKind::Sequence, DValue::PixelSequence(px)) => {
                // Rule: dicom-object says OB for any encapsulated pixel data.
                if !matches!(node.vr, VR::OB | VR::OW) || e.vr() != VR::OB {
                    cx.fail(format!(
                        "{here}: VR {:?} vs dicom-object {:?}",
                        node.vr,
                        e.vr()
                    ));
                }
                let frags: Vec<u32> = self.ds.children(i).collect();
                let Some((&first, rest)) = frags.split_first() else {
                    cx.fail(format!("{here}: no offset table item"));
                    return;
                };
                let table: Vec<u8> = px
                    .offset_table()
                    .iter()
                    .flat_map(|x| x.to_le_bytes())
                    .collect();
                if our_le_bytes(self.ds.value(first), VR::UL, self.ds.big_endian()) != table {
                    cx.fail(format!("{here}: basic offset table differs"));
                }
                if rest.len() != px.fragments().len() {
                    cx.fail(format!(
                        "{here}: {} fragments vs dicom-object {}",
                        rest.len(),
                        px.fragments().len()
                    ));
                    return;
                }
                for (n, (&f, theirs)) in rest.iter().zip(px.fragments()).enumerate() {
                    if self.ds.value(f) != theirs.as_slice() {
                        cx.fail(format!("{here}: fragment {n} differs"));
                    }
                }
            }
            (NodeKind::Element, DValue::Primitive(p)) => {
                if node.vr != e.vr() {
                    cx.fail(format!(
                        "{here}: VR {:?} vs dicom-object {:?}",
                        node.vr,
                        e.vr()
                    ));
                    return;
                }
                self.primitive(cx, i, node.vr, p, &here);
            }
            (kind, v) => cx.fail(format!(
                "{here}: ours is {kind:?} ({:?}), dicom-object's is {}",
                node.vr,
                match v {
                    DValue::Primitive(_) => "a primitive value",
                    DValue::Sequence(_) => "a sequence",
                    DValue::PixelSequence(_) => "a pixel sequence",
                }
            )),
        }
    }

    fn primitive(&self, cx: &mut Cx, i: u32, vr: VR, p: &PrimitiveValue, here: &str) {
        let raw = self.ds.value(i);
        if is_ascii_vr(vr) || is_text_vr(vr) {
            let theirs_raw = p.to_raw_str();
            let ours: Option<String> = if is_ascii_vr(vr) {
                match self.ds.ascii(i) {
                    Some(s) => Some(s.to_string()),
                    // `ascii` refuses non-ASCII bytes: compare the decoded text instead.
                    None if !raw.is_ascii() => self
                        .ds
                        .decoded_text(i, self.options)
                        .map(|s| s.trim_matches([' ', '\0']).to_string()),
                    None => None,
                }
            } else {
                self.ds
                    .decoded_text(i, self.options)
                    .map(|s| s.into_owned())
            };
            let theirs = if is_ascii_vr(vr) {
                trim_ascii(&theirs_raw)
            } else {
                trim_text(&theirs_raw)
            };
            if ours.as_deref() != theirs {
                cx.fail(format!(
                    "{here} {vr:?}: value {ours:?} vs dicom-object {theirs:?}"
                ));
            }
            return;
        }
        let Some(theirs) = le_bytes(p) else {
            cx.fail(format!(
                "{here} {vr:?}: dicom-object holds text {:?} for a binary VR",
                p.to_raw_str()
            ));
            return;
        };
        let ours = our_le_bytes(raw, vr, self.ds.big_endian());
        if ours != theirs {
            cx.fail(format!(
                "{here} {vr:?}: bytes {} vs dicom-object {}",
                short(&ours),
                short(&theirs)
            ));
        }
    }

    /// Our file meta elements against dicom-object's meta table.
    fn meta(&self, cx: &mut Cx, meta: &dicom_object::FileMetaTable, name: &str) {
        let text = |s: &str| trim_ascii(s).map(str::to_string);
        let mut seen = Vec::new();
        for (i, node) in self.ds.meta().iter().enumerate() {
            let i = i as u32;
            cx.meta_elements += 1;
            seen.push(node.tag.1);
            let ours_text = || {
                self.ds
                    .decoded_text(i, self.options)
                    .map(|s| s.trim_matches([' ', '\0']).to_string())
            };
            let (field, ours, theirs) = match node.tag.1 {
                0x0000 => (
                    "information_group_length",
                    Some(format!(
                        "{:?}",
                        self.ds.value(i).try_into().ok().map(u32::from_le_bytes)
                    )),
                    Some(format!("{:?}", Some(meta.information_group_length))),
                ),
                0x0001 => (
                    "information_version",
                    Some(short(self.ds.value(i))),
                    Some(short(&meta.information_version)),
                ),
                0x0002 => (
                    "media_storage_sop_class_uid",
                    ours_text(),
                    text(&meta.media_storage_sop_class_uid),
                ),
                0x0003 => (
                    "media_storage_sop_instance_uid",
                    ours_text(),
                    text(&meta.media_storage_sop_instance_uid),
                ),
                0x0010 => ("transfer_syntax", ours_text(), text(&meta.transfer_syntax)),
                0x0012 => (
                    "implementation_class_uid",
                    ours_text(),
                    text(&meta.implementation_class_uid),
                ),
                0x0013 => (
                    "implementation_version_name",
                    ours_text(),
                    meta.implementation_version_name.as_deref().and_then(text),
                ),
                0x0016 => (
                    "source_application_entity_title",
                    ours_text(),
                    meta.source_application_entity_title
                        .as_deref()
                        .and_then(text),
                ),
                0x0017 => (
                    "sending_application_entity_title",
                    ours_text(),
                    meta.sending_application_entity_title
                        .as_deref()
                        .and_then(text),
                ),
                0x0018 => (
                    "receiving_application_entity_title",
                    ours_text(),
                    meta.receiving_application_entity_title
                        .as_deref()
                        .and_then(text),
                ),
                0x0100 => (
                    "private_information_creator_uid",
                    ours_text(),
                    meta.private_information_creator_uid
                        .as_deref()
                        .and_then(text),
                ),
                0x0102 => (
                    "private_information",
                    Some(short(self.ds.value(i))),
                    meta.private_information.as_deref().map(short),
                ),
                // Not modelled by dicom-object's FileMetaTable: nothing to compare with.
                _ => continue,
            };
            if ours != theirs {
                cx.fail(format!(
                    "{name}: meta {} {field}: {ours:?} vs dicom-object {theirs:?}",
                    tag_str(node.tag)
                ));
            }
        }
        // The reverse: every field dicom-object holds is an element we kept.
        let present = [
            (0x0002, !meta.media_storage_sop_class_uid.is_empty()),
            (0x0003, !meta.media_storage_sop_instance_uid.is_empty()),
            (0x0010, !meta.transfer_syntax.is_empty()),
            (0x0012, !meta.implementation_class_uid.is_empty()),
            (0x0013, meta.implementation_version_name.is_some()),
            (0x0016, meta.source_application_entity_title.is_some()),
            (0x0100, meta.private_information_creator_uid.is_some()),
        ];
        for (elem, there) in present {
            if there && !seen.contains(&elem) {
                cx.fail(format!(
                    "{name}: dicom-object's meta has (0002,{elem:04X}), the reader's has not"
                ));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// SR trees: ours rendered from `Document::items()`, the reference one walked in dicom-object.

type Fields = BTreeMap<&'static str, String>;

fn code_str(c: Option<rdsr::sr::Code<'_>>) -> String {
    match c {
        Some(c) => format!("{}|{}|{}", c.value, c.scheme, c.meaning),
        None => "-".into(),
    }
}

fn opt(s: Option<&str>) -> String {
    s.map_or_else(|| "-".to_string(), |s| format!("{s:?}"))
}

fn our_items(doc: &Document<'_>) -> Vec<Fields> {
    doc.items()
        .map(|item| {
            let mut f = Fields::new();
            f.insert("path", item.path().to_string());
            f.insert("depth", item.depth().to_string());
            f.insert("concept", code_str(item.concept()));
            f.insert(
                "relationship",
                item.relationship().map_or("-", |r| r.as_str()).to_string(),
            );
            f.insert("value_type", item.value_type().as_str().to_string());
            f.insert("children", item.children().count().to_string());
            match item.value() {
                Value::Container {
                    continuous,
                    template,
                } => {
                    f.insert("continuous", continuous.to_string());
                    f.insert("template", opt(template));
                }
                Value::Code(c) => {
                    f.insert("code", code_str(c));
                }
                Value::Num(n) => {
                    f.insert("num.raw", opt(n.raw));
                    f.insert("num.unit", code_str(n.unit));
                    f.insert("num.qualifier", code_str(n.qualifier));
                    f.insert("num.empty", n.empty_measured_value.to_string());
                }
                Value::Text(t)
                | Value::UidRef(t)
                | Value::DateTime(t)
                | Value::Date(t)
                | Value::Time(t)
                | Value::PName(t) => {
                    f.insert("text", opt(t));
                }
                Value::Image(r) | Value::Composite(r) | Value::Waveform(r) => {
                    f.insert("ref.class", opt(r.sop_class_uid));
                    f.insert("ref.instance", opt(r.sop_instance_uid));
                    f.insert("ref.frames", opt(r.frames));
                }
                Value::SCoord(c) | Value::SCoord3D(c) => {
                    f.insert("graphic_type", opt(c.graphic_type));
                    f.insert("frame_of_reference", opt(c.frame_of_reference_uid));
                    f.insert(
                        "graphic_data",
                        format!("{:?}", c.data().collect::<Vec<_>>()),
                    );
                }
                Value::TCoord { range_type } => {
                    f.insert("range_type", opt(range_type));
                }
                Value::ByReference(r) => {
                    f.insert("by_reference", opt(r));
                }
                Value::None => {}
                other => {
                    f.insert("unhandled", format!("{other:?}"));
                }
            }
            f
        })
        .collect()
}

const CODE_VALUE: Tag = Tag(0x0008, 0x0100);
const CODING_SCHEME: Tag = Tag(0x0008, 0x0102);
const CODE_MEANING: Tag = Tag(0x0008, 0x0104);
const LONG_CODE_VALUE: Tag = Tag(0x0008, 0x0119);
const URN_CODE_VALUE: Tag = Tag(0x0008, 0x0120);
const CONTENT_SEQUENCE: Tag = Tag(0x0040, 0xA730);

const VALUE_TYPES: &[&str] = &[
    "CONTAINER",
    "CODE",
    "NUM",
    "TEXT",
    "UIDREF",
    "DATETIME",
    "DATE",
    "TIME",
    "PNAME",
    "IMAGE",
    "COMPOSITE",
    "WAVEFORM",
    "SCOORD",
    "SCOORD3D",
    "TCOORD",
];
const RELATIONSHIPS: &[&str] = &[
    "CONTAINS",
    "HAS PROPERTIES",
    "HAS CONCEPT MOD",
    "HAS OBS CONTEXT",
    "HAS ACQ CONTEXT",
    "INFERRED FROM",
    "SELECTED FROM",
];

/// The reference walker: reads content items from dicom-object only.
struct Reference;

impl Reference {
    fn text(obj: &InMemDicomObject, tag: Tag) -> Option<String> {
        let e = obj.get(tag)?;
        match e.value() {
            DValue::Primitive(p) => trim_text(&p.to_raw_str()).map(str::to_string),
            _ => None,
        }
    }

    fn ascii(obj: &InMemDicomObject, tag: Tag) -> Option<String> {
        let e = obj.get(tag)?;
        match e.value() {
            DValue::Primitive(p) => trim_ascii(&p.to_raw_str())
                .filter(|s| s.is_ascii())
                .map(str::to_string),
            _ => None,
        }
    }

    fn first_item(obj: &InMemDicomObject, tag: Tag) -> Option<&InMemDicomObject> {
        obj.get(tag)?.items()?.first()
    }

    /// The code in the first item of a code sequence (empty strings for missing parts).
    fn code(obj: &InMemDicomObject, seq: Tag) -> String {
        let Some(item) = Self::first_item(obj, seq) else {
            return "-".into();
        };
        let value = Self::text(item, CODE_VALUE)
            .or_else(|| Self::text(item, LONG_CODE_VALUE))
            .or_else(|| Self::text(item, URN_CODE_VALUE))
            .unwrap_or_default();
        format!(
            "{value}|{}|{}",
            Self::text(item, CODING_SCHEME).unwrap_or_default(),
            Self::text(item, CODE_MEANING).unwrap_or_default()
        )
    }

    fn item(obj: &InMemDicomObject, path: &str, depth: u32) -> Fields {
        let q = |s: Option<String>| s.map_or_else(|| "-".to_string(), |s| format!("{s:?}"));
        let mut f = Fields::new();
        f.insert("path", path.to_string());
        f.insert("depth", depth.to_string());
        f.insert("concept", Self::code(obj, Tag(0x0040, 0xA043)));
        let relationship = Self::ascii(obj, Tag(0x0040, 0xA010)).map(|r| {
            if RELATIONSHIPS.contains(&r.as_str()) {
                r
            } else {
                "OTHER".into()
            }
        });
        f.insert("relationship", relationship.unwrap_or_else(|| "-".into()));
        let by_reference = obj.get(Tag(0x0040, 0xDB73)).is_some();
        let value_type = match Self::ascii(obj, Tag(0x0040, 0xA040)) {
            Some(v) if VALUE_TYPES.contains(&v.as_str()) => v,
            _ if by_reference => "BY-REFERENCE".into(),
            _ => "UNKNOWN".into(),
        };
        let children = obj
            .get(CONTENT_SEQUENCE)
            .and_then(|e| e.items())
            .map_or(0, <[_]>::len);
        f.insert("children", children.to_string());
        match value_type.as_str() {
            "CONTAINER" => {
                let continuous =
                    Self::ascii(obj, Tag(0x0040, 0xA050)).as_deref() == Some("CONTINUOUS");
                f.insert("continuous", continuous.to_string());
                let template = Self::first_item(obj, Tag(0x0040, 0xA504))
                    .and_then(|t| Self::ascii(t, Tag(0x0040, 0xDB00)));
                f.insert("template", q(template));
            }
            "CODE" => {
                f.insert("code", Self::code(obj, Tag(0x0040, 0xA168)));
            }
            "NUM" => {
                f.insert("num.qualifier", Self::code(obj, Tag(0x0040, 0xA301)));
                let (raw, unit, empty) = match obj.get(Tag(0x0040, 0xA300)) {
                    None => (None, "-".to_string(), false),
                    Some(e) => match e.items().and_then(<[_]>::first) {
                        None => (None, "-".to_string(), true),
                        Some(mv) => (
                            Self::ascii(mv, Tag(0x0040, 0xA30A)),
                            Self::code(mv, Tag(0x0040, 0x08EA)),
                            false,
                        ),
                    },
                };
                f.insert("num.raw", q(raw));
                f.insert("num.unit", unit);
                f.insert("num.empty", empty.to_string());
            }
            "TEXT" => {
                f.insert("text", q(Self::text(obj, Tag(0x0040, 0xA160))));
            }
            "PNAME" => {
                f.insert("text", q(Self::text(obj, Tag(0x0040, 0xA123))));
            }
            "UIDREF" => {
                f.insert("text", q(Self::ascii(obj, Tag(0x0040, 0xA124))));
            }
            "DATETIME" => {
                f.insert("text", q(Self::ascii(obj, Tag(0x0040, 0xA120))));
            }
            "DATE" => {
                f.insert("text", q(Self::ascii(obj, Tag(0x0040, 0xA121))));
            }
            "TIME" => {
                f.insert("text", q(Self::ascii(obj, Tag(0x0040, 0xA122))));
            }
            "IMAGE" | "COMPOSITE" | "WAVEFORM" => {
                let r = Self::first_item(obj, Tag(0x0008, 0x1199));
                let get = |t| r.and_then(|r| Self::ascii(r, t));
                f.insert("ref.class", q(get(Tag(0x0008, 0x1150))));
                f.insert("ref.instance", q(get(Tag(0x0008, 0x1155))));
                f.insert("ref.frames", q(get(Tag(0x0008, 0x1160))));
            }
            "SCOORD" | "SCOORD3D" => {
                f.insert("graphic_type", q(Self::ascii(obj, Tag(0x0070, 0x0023))));
                f.insert(
                    "frame_of_reference",
                    q(Self::ascii(obj, Tag(0x3006, 0x0024))),
                );
                let data: Vec<f32> = obj
                    .get(Tag(0x0070, 0x0022))
                    .and_then(|e| e.value().primitive())
                    .and_then(|p| p.to_multi_float32().ok())
                    .unwrap_or_default();
                f.insert("graphic_data", format!("{data:?}"));
            }
            "TCOORD" => {
                f.insert("range_type", q(Self::ascii(obj, Tag(0x0040, 0xA130))));
            }
            "BY-REFERENCE" => {
                // Referenced Content Item Identifier is UL, VM 1-n: the standard writes the
                // path it names as the values joined with dots ("1.2.3").
                let ids = obj
                    .get(Tag(0x0040, 0xDB73))
                    .and_then(|e| e.value().primitive())
                    .and_then(|p| p.to_multi_int::<u32>().ok())
                    .filter(|v| !v.is_empty())
                    .map(|v| v.iter().map(u32::to_string).collect::<Vec<_>>().join("."));
                f.insert("by_reference", q(ids));
            }
            _ => {}
        }
        f.insert("value_type", value_type);
        f
    }

    /// Every content item in pre-order, root first.
    fn items(root: &InMemDicomObject) -> Vec<Fields> {
        fn push_children<'o>(
            stack: &mut Vec<(&'o InMemDicomObject, String, u32)>,
            obj: &'o InMemDicomObject,
            path: &str,
            depth: u32,
        ) {
            for (n, child) in Reference::content(obj).iter().enumerate().rev() {
                stack.push((child, format!("{path}.{}", n + 1), depth + 1));
            }
        }
        let mut out = vec![Self::item(root, "1", 0)];
        // (item, its path, its depth), children pushed in reverse for pre-order.
        let mut stack = Vec::new();
        push_children(&mut stack, root, "1", 0);
        while let Some((obj, path, depth)) = stack.pop() {
            out.push(Self::item(obj, &path, depth));
            push_children(&mut stack, obj, &path, depth);
        }
        out
    }

    fn content(obj: &InMemDicomObject) -> &[InMemDicomObject] {
        obj.get(CONTENT_SEQUENCE)
            .and_then(|e| e.items())
            .unwrap_or(&[])
    }
}

fn compare_trees(cx: &mut Cx, name: &str, doc: &Document<'_>, obj: &InMemDicomObject) -> usize {
    let ours = our_items(doc);
    let theirs = Reference::items(obj);
    if ours.len() != theirs.len() {
        cx.fail(format!(
            "{name}: SR tree has {} items vs reference walker {}",
            ours.len(),
            theirs.len()
        ));
    }
    for (a, b) in ours.iter().zip(&theirs) {
        if a != b {
            let keys: std::collections::BTreeSet<&str> =
                a.keys().chain(b.keys()).copied().collect();
            let diffs: Vec<String> = keys
                .into_iter()
                .filter(|k| a.get(k) != b.get(k))
                .map(|k| format!("{k}: ours {:?} vs reference {:?}", a.get(k), b.get(k)))
                .collect();
            cx.fail(format!(
                "{name}: SR item {}: {}",
                a.get("path").map_or("?", String::as_str),
                diffs.join("; ")
            ));
            if ours.len() != theirs.len() {
                // Misaligned from here on: one report is enough.
                break;
            }
        }
    }
    ours.len().min(theirs.len())
}

/// What dicom-object read.
enum Opened {
    File(Box<dicom_object::DefaultDicomObject>),
    /// dicom-object refused the file meta group; it read the data set alone.
    DataSetOnly(InMemDicomObject, String),
    /// A deflated file: dicom-object read the meta group and the data set inflated here.
    Inflated(Box<dicom_object::FileMetaTable>, InMemDicomObject),
}

impl Opened {
    fn object(&self) -> &InMemDicomObject {
        match self {
            Opened::File(f) => f,
            Opened::DataSetOnly(o, _) | Opened::Inflated(_, o) => o,
        }
    }
}

/// Opens `bytes` with dicom-object.
///
/// Rule for deflated files (dicom-object is built without its `deflate` feature and refuses
/// them): dicom-object reads the file meta group (`FileMetaTable::from_reader`), the data set
/// is inflated here with flate2 (raw deflate, as the standard says) and dicom-object reads it
/// as explicit VR little endian. Everything is compared as for other files.
///
/// Rule for files whose file meta group dicom-object refuses (its meta parser rejects UIDs with
/// characters outside `0-9.`, e.g. the `...971.00.-1489...` SOP Instance UID PYDICOM 2.1.2 wrote
/// in two corpus files, which the reader keeps as written): dicom-object reads the data set
/// alone, from where the reader's meta group ends, in the transfer syntax the meta group
/// declares. Those files' elements and SR trees are compared; their meta is not (dicom-object
/// has no meta table for them), and they are counted and printed.
fn open(bytes: &[u8], ds: Option<&Dataset<'_>>) -> Result<Opened, String> {
    use dicom_encoding::transfer_syntax::TransferSyntaxIndex;
    let first = match OpenFileOptions::new().from_reader(bytes) {
        Ok(obj) => return Ok(Opened::File(Box::new(obj))),
        Err(e) => e,
    };
    let reason = first.to_string();
    if let Some(ds) = ds.filter(|d| {
        d.transfer_syntax() == Some(rdsr::load::transfer_syntax::DEFLATED_EXPLICIT_VR_LE)
    }) {
        return inflated(bytes, ds).map_err(|e| format!("{reason}; inflated here: {e}"));
    }
    let meta_refused = matches!(first, dicom_object::ReadError::ParseMetaDataSet { .. });
    let (true, Some(ds)) = (meta_refused, ds) else {
        return Err(reason);
    };
    let (Some(last), Some(uid)) = (ds.meta().last(), ds.transfer_syntax()) else {
        return Err(reason);
    };
    let Some(ts) = dicom_transfer_syntax_registry::TransferSyntaxRegistry.get(uid) else {
        return Err(reason);
    };
    let start = (last.off + last.len) as usize;
    InMemDicomObject::read_dataset_with_ts(&bytes[start..], ts)
        .map(|obj| Opened::DataSetOnly(obj, reason.clone()))
        .map_err(|e| format!("{reason}; the data set alone: {e}"))
}

fn inflated(bytes: &[u8], ds: &Dataset<'_>) -> Result<Opened, String> {
    use std::io::Read;
    let magic = if bytes.get(128..132) == Some(b"DICM") {
        128
    } else {
        0
    };
    let meta =
        dicom_object::FileMetaTable::from_reader(&bytes[magic..]).map_err(|e| e.to_string())?;
    let start = ds.meta().last().map_or(0, |n| (n.off + n.len) as usize);
    let mut data = Vec::new();
    flate2::read::DeflateDecoder::new(&bytes[start..])
        .read_to_end(&mut data)
        .map_err(|e| e.to_string())?;
    let ts = dicom_transfer_syntax_registry::entries::EXPLICIT_VR_LITTLE_ENDIAN.erased();
    let obj =
        InMemDicomObject::read_dataset_with_ts(data.as_slice(), &ts).map_err(|e| e.to_string())?;
    Ok(Opened::Inflated(Box::new(meta), obj))
}

#[test]
fn reader_agrees_with_dicom_object() {
    let started = std::time::Instant::now();
    let corpus = common::corpus_files();
    let corpus_len = corpus.len();
    let mut files = corpus;
    files.extend(common::testdata_files());
    assert!(
        !files.is_empty(),
        "no input at all: neither ../shared/corpus nor testdata/*.dcm"
    );
    // Raised depth so that the depth-limit fixture is compared too; the policy that decodes
    // text as declared, as dicom-object does.
    let options = Options::new()
        .max_depth(256)
        .misdeclared_text(MisdeclaredText::AsDeclared);

    let mut cx = Cx::default();
    let mut compared_files = 0usize;
    let mut corpus_elements = 0usize;
    let mut sr_files = 0usize;
    let mut sr_items = 0usize;
    let mut skipped: Vec<String> = Vec::new();
    let mut rejected_by_reader: Vec<String> = Vec::new();
    let mut data_set_only: Vec<String> = Vec::new();
    let mut inflated_here: Vec<String> = Vec::new();
    for (n, input) in files.iter().enumerate() {
        let bytes = common::read(&input.path);
        let ours = rdsr::load::read_dataset(&bytes, &options);
        let opened = match open(&bytes, ours.as_ref().ok()) {
            Ok(opened) => opened,
            Err(e) => {
                skipped.push(format!("{}: dicom-object: {e}", input.name));
                continue;
            }
        };
        let ds = match ours {
            Ok(ds) => ds,
            Err(e) => {
                rejected_by_reader.push(format!("{}: {e}", input.name));
                continue;
            }
        };
        let obj = opened.object();
        let before = cx.elements;
        let side = Side {
            ds: &ds,
            options: &options,
        };
        match &opened {
            Opened::File(file) => side.meta(&mut cx, file.meta(), &input.name),
            Opened::Inflated(meta, _) => {
                side.meta(&mut cx, meta, &input.name);
                inflated_here.push(input.name.clone());
            }
            Opened::DataSetOnly(_, why) => {
                data_set_only.push(format!("{}: {why}", input.name));
            }
        }
        let top: Vec<u32> = ds.top_level().collect();
        side.level(&mut cx, top, obj, &format!("{}: ", input.name));
        if n < corpus_len {
            corpus_elements += cx.elements - before;
        }
        compared_files += 1;

        match options.read_document(&bytes) {
            Ok(doc) => {
                sr_items += compare_trees(&mut cx, &input.name, &doc, obj);
                sr_files += 1;
            }
            Err(e) => {
                assert!(
                    input.kind != "rdsr",
                    "{}: a dose report of the corpus is not read: {e}",
                    input.name
                );
            }
        }
    }
    println!(
        "differential: {compared_files} files, {} elements compared ({} file meta elements), \
         {sr_items} SR content items in {sr_files} trees, {} item levels reordered to tag order, \
         {} deflated files inflated for dicom-object, \
         {} files whose meta group dicom-object refuses compared without meta, \
         {} files skipped (dicom-object cannot open them), {} rejected by the reader, {:.1} s",
        cx.elements,
        cx.meta_elements,
        cx.reordered_levels,
        inflated_here.len(),
        data_set_only.len(),
        skipped.len(),
        rejected_by_reader.len(),
        started.elapsed().as_secs_f64()
    );
    for s in &data_set_only {
        println!("  data set only (dicom-object refuses the meta group): {s}");
    }
    for s in &skipped {
        println!("  skipped: {s}");
    }
    for s in &rejected_by_reader {
        println!("  rejected by the reader: {s}");
    }
    if !cx.failures.is_empty() {
        let shown: Vec<&str> = cx
            .failures
            .iter()
            .take(MAX_FAILURES_SHOWN)
            .map(String::as_str)
            .collect();
        panic!(
            "{} differences between the reader and dicom-object (first {}):\n{}",
            cx.failures.len(),
            shown.len(),
            shown.join("\n")
        );
    }
    assert!(
        rejected_by_reader.is_empty(),
        "the reader rejects files dicom-object reads: {rejected_by_reader:#?}"
    );
    // Only deflated files may be skipped (dicom-object is built without `deflate`).
    for s in &skipped {
        let input = files
            .iter()
            .find(|f| s.starts_with(&format!("{}:", f.name)))
            .expect("skipped file is an input");
        let bytes = common::read(&input.path);
        let ds = rdsr::load::read_dataset(&bytes, &options);
        let ts = ds
            .as_ref()
            .ok()
            .and_then(|d| d.transfer_syntax().map(str::to_string));
        assert_eq!(
            ts.as_deref(),
            Some(rdsr::load::transfer_syntax::DEFLATED_EXPLICIT_VR_LE),
            "dicom-object failed on a file that is not deflated: {s}"
        );
    }
    if corpus_len > 0 {
        assert!(
            corpus_elements > 100_000,
            "only {corpus_elements} corpus elements compared: the comparison is not running"
        );
        assert!(sr_files >= 33, "only {sr_files} SR trees compared");
    }
    assert!(compared_files > 0, "no file compared");
}

/// Compares one in-memory input through both paths (elements, meta and SR tree).
fn compare_synthetic(name: &str, bytes: &[u8]) -> (Cx, usize) {
    let options = Options::new().misdeclared_text(MisdeclaredText::AsDeclared);
    let ds = rdsr::load::read_dataset(bytes, &options)
        .unwrap_or_else(|e| panic!("{name}: the reader refuses it: {e}"));
    let obj = OpenFileOptions::new()
        .from_reader(bytes)
        .unwrap_or_else(|e| panic!("{name}: dicom-object refuses it: {e}"));
    let mut cx = Cx::default();
    let side = Side {
        ds: &ds,
        options: &options,
    };
    side.meta(&mut cx, obj.meta(), name);
    side.level(
        &mut cx,
        ds.top_level().collect(),
        &obj,
        &format!("{name}: "),
    );
    let doc = options
        .read_document(bytes)
        .unwrap_or_else(|e| panic!("{name}: not read as a dose report: {e}"));
    let items = compare_trees(&mut cx, name, &doc, &obj);
    (cx, items)
}

fn assert_no_failures(cx: &Cx) {
    assert!(
        cx.failures.is_empty(),
        "{} differences between the reader and dicom-object:\n{}",
        cx.failures.len(),
        cx.failures.join("\n")
    );
}

/// One content item: relationship, value type and concept, then `rest` (elements after
/// (0040,A043) in tag order).
fn content_item<'a>(
    relationship: &'a str,
    value_type: &'a str,
    concept: (&'a str, &'a str, &'a str),
    before: impl Fn(&mut common::Enc) + 'a,
    rest: impl Fn(&mut common::Enc) + 'a,
) -> impl Fn(&mut common::Enc) + 'a {
    move |e: &mut common::Enc| {
        before(e);
        e.text(0x0040, 0xA010, b"CS", relationship);
        if !value_type.is_empty() {
            e.text(0x0040, 0xA040, b"CS", value_type);
        }
        e.code(0x0040, 0xA043, concept);
        rest(e);
    }
}

fn nothing(_: &mut common::Enc) {}

fn sop_reference(e: &mut common::Enc) {
    e.seq(
        0x0008,
        0x1199,
        &[&|e: &mut common::Enc| {
            e.text(0x0008, 0x1150, b"UI", "1.2.840.10008.5.1.4.1.1.1")
                .text(0x0008, 0x1155, b"UI", "1.2.826.0.1.3680043.10.1234.99.7")
                .text(0x0008, 0x1160, b"IS", "1\\3");
        }],
    );
}

/// A dose report with every value type (big endian too): both paths build the same tree.
#[test]
fn synthetic_report_with_every_value_type_agrees_with_dicom_object() {
    let concept = ("99001", "99TEST", "Test concept");
    let code = content_item(
        "HAS CONCEPT MOD",
        "CODE",
        concept,
        nothing,
        |e: &mut common::Enc| {
            e.code(0x0040, 0xA168, ("113704", "DCM", "Projection X-Ray"));
        },
    );
    let num = content_item(
        "CONTAINS",
        "NUM",
        concept,
        nothing,
        |e: &mut common::Enc| {
            e.seq(
                0x0040,
                0xA300,
                &[&|e: &mut common::Enc| {
                    e.code(0x0040, 0x08EA, ("Gy.m2", "UCUM", "Gy.m2"))
                        .text(0x0040, 0xA30A, b"DS", "1.5e-3");
                }],
            );
        },
    );
    let num_empty = content_item(
        "CONTAINS",
        "NUM",
        concept,
        nothing,
        |e: &mut common::Enc| {
            e.seq(0x0040, 0xA300, &[]);
            e.code(0x0040, 0xA301, ("114006", "DCM", "Measurement failure"));
        },
    );
    let text = content_item(
        "CONTAINS",
        "TEXT",
        concept,
        nothing,
        |e: &mut common::Enc| {
            e.text(0x0040, 0xA160, b"UT", "  free text, kept  ");
        },
    );
    let uid = content_item(
        "HAS PROPERTIES",
        "UIDREF",
        concept,
        nothing,
        |e: &mut common::Enc| {
            e.text(0x0040, 0xA124, b"UI", "1.2.826.0.1.3680043.10.1234.99.5");
        },
    );
    let datetime = content_item(
        "HAS OBS CONTEXT",
        "DATETIME",
        concept,
        nothing,
        |e: &mut common::Enc| {
            e.text(0x0040, 0xA120, b"DT", "20240102030405.123456+0100");
        },
    );
    let date = content_item(
        "HAS ACQ CONTEXT",
        "DATE",
        concept,
        nothing,
        |e: &mut common::Enc| {
            e.text(0x0040, 0xA121, b"DA", "20240102");
        },
    );
    let time = content_item(
        "INFERRED FROM",
        "TIME",
        concept,
        nothing,
        |e: &mut common::Enc| {
            e.text(0x0040, 0xA122, b"TM", "030405");
        },
    );
    let pname = content_item(
        "SELECTED FROM",
        "PNAME",
        concept,
        nothing,
        |e: &mut common::Enc| {
            e.text(0x0040, 0xA123, b"PN", "Doe^Jane");
        },
    );
    let image = content_item("CONTAINS", "IMAGE", concept, sop_reference, nothing);
    let composite = content_item("CONTAINS", "COMPOSITE", concept, sop_reference, nothing);
    let waveform = content_item("CONTAINS", "WAVEFORM", concept, sop_reference, nothing);
    let scoord = content_item(
        "CONTAINS",
        "SCOORD",
        concept,
        nothing,
        |e: &mut common::Enc| {
            e.seq(
                0x0040,
                0xA730,
                &[&content_item(
                    "SELECTED FROM",
                    "IMAGE",
                    concept,
                    sop_reference,
                    nothing,
                )],
            );
            e.fl(0x0070, 0x0022, &[1.5, 2.5, -3.25]);
            e.text(0x0070, 0x0023, b"CS", "POLYLINE");
        },
    );
    let scoord3d = content_item(
        "CONTAINS",
        "SCOORD3D",
        concept,
        nothing,
        |e: &mut common::Enc| {
            e.fl(0x0070, 0x0022, &[1.0, 2.0, 3.0]);
            e.text(0x0070, 0x0023, b"CS", "POINT");
            e.text(0x3006, 0x0024, b"UI", "1.2.826.0.1.3680043.10.1234.99.9");
        },
    );
    let tcoord = content_item(
        "CONTAINS",
        "TCOORD",
        concept,
        nothing,
        |e: &mut common::Enc| {
            e.text(0x0040, 0xA130, b"CS", "SEGMENT");
        },
    );
    let unknown = content_item("CONTAINS", "NOT A TYPE", concept, nothing, nothing);
    let odd_relationship = content_item(
        "IS FRIENDS WITH",
        "TEXT",
        concept,
        nothing,
        |e: &mut common::Enc| {
            e.text(0x0040, 0xA160, b"UT", "x");
        },
    );
    let container = content_item(
        "CONTAINS",
        "CONTAINER",
        concept,
        nothing,
        |e: &mut common::Enc| {
            e.text(0x0040, 0xA050, b"CS", "CONTINUOUS");
            e.seq(
                0x0040,
                0xA504,
                &[&|e: &mut common::Enc| {
                    e.text(0x0008, 0x0105, b"CS", "DCMR")
                        .text(0x0040, 0xDB00, b"CS", "10003");
                }],
            );
            e.seq(0x0040, 0xA730, &[&code, &num, &text]);
        },
    );
    let items: [&dyn Fn(&mut common::Enc); 18] = [
        &code,
        &num,
        &num_empty,
        &text,
        &uid,
        &datetime,
        &date,
        &time,
        &pname,
        &image,
        &composite,
        &waveform,
        &scoord,
        &scoord3d,
        &tcoord,
        &unknown,
        &odd_relationship,
        &container,
    ];
    let mut total = 0;
    for ts in [
        common::EXPLICIT_LE,
        common::EXPLICIT_BE,
        common::IMPLICIT_LE,
    ] {
        let mut e = common::Enc::file(ts, common::XRAY_DOSE_SR);
        e.dose_report_header().seq(0x0040, 0xA730, &items);
        let (cx, n) = compare_synthetic(&format!("every value type ({ts})"), &e.buf);
        assert_no_failures(&cx);
        assert_eq!(
            n,
            1 + 18 + 1 + 3,
            "{ts}: root, 18 children, 1 + 3 grandchildren"
        );
        assert!(
            cx.elements > 150,
            "{ts}: only {} elements compared",
            cx.elements
        );
        total += n;
    }
    println!("differential (synthetic): {total} SR items in 3 transfer syntaxes agree");
}

/// A by-reference content item (no value type, (0040,DB73) Referenced Content Item Identifier,
/// VR UL, VM 1-n) names its target by the UL values `1\2`, which the standard writes as the
/// path "1.2". dicom-object reads two numbers; the reader's `Value::ByReference` must be that
/// path too.
#[test]
fn by_reference_item_names_its_target_as_dicom_object_reads_it() {
    let concept = ("99001", "99TEST", "Test concept");
    let text = content_item(
        "CONTAINS",
        "TEXT",
        concept,
        nothing,
        |e: &mut common::Enc| {
            e.text(0x0040, 0xA160, b"UT", "target");
        },
    );
    let by_reference = |e: &mut common::Enc| {
        e.text(0x0040, 0xA010, b"CS", "INFERRED FROM");
        e.ul(0x0040, 0xDB73, &[1, 1]);
    };
    let mut e = common::Enc::file(common::EXPLICIT_LE, common::XRAY_DOSE_SR);
    e.dose_report_header()
        .seq(0x0040, 0xA730, &[&text, &by_reference]);
    let (cx, n) = compare_synthetic("by-reference", &e.buf);
    assert_eq!(n, 3);
    assert_no_failures(&cx);
}
