//! The `differential` check: where dicom-object reads the bytes, the crate's reader
//! (`rdsr::load::read_dataset`) must read them too and yield the same elements.
//!
//! The comparison is copied from `tests/differential.rs` (its module comment has the rules;
//! they are repeated here briefly) and applied to arbitrary bytes:
//!
//! * Order: dicom-object yields each level in ascending tag order keeping the last of
//!   duplicated tags; ours is sorted the same way (stable, last duplicate kept).
//! * VR: equal, except encapsulated pixel data, which dicom-object always calls OB.
//! * Text VRs: trimmed (ASCII VRs: spaces and NULs at both ends; text VRs: leading spaces,
//!   trailing spaces and NULs) and compared with dicom-object's `to_raw_str`; empty equals
//!   absent. The reader runs with `MisdeclaredText::AsDeclared`, which decodes as dicom-object.
//!   A value with bytes that are invalid in the declared character set is not compared (ours
//!   has U+FFFD where dicom-object writes an escape such as `\333`).
//! * Binary VRs: bytes, dicom-object's numbers re-encoded little endian, ours swapped per
//!   value unit on big-endian data sets, both truncated to whole units.
//! * Sequences: the same number of items, compared recursively; encapsulated pixel data: our
//!   first fragment is dicom-object's basic offset table, the rest its fragments.
//! * File meta: the fields of dicom-object's `FileMetaTable`, as in the test; the group length
//!   only when every meta value has an even length (dicom-object recomputes it from its
//!   values, padded to even lengths).
//!
//! What is compared: inputs both readers read (deflated ones excepted: dicom-object is built
//! without `deflate`). Inputs dicom-object refuses or panics on (its own bugs, counted in
//! [`reference_panics`]) are skipped. Inputs the reader rejects are not given to dicom-object
//! at all, so "dicom-object reads what the reader rejects" is left to `tests/differential.rs`
//! on real files: dicom-parser allocates a value's declared length before reading it, partly
//! infallibly (`read_value_str`, `read_value_strs`), and on malformed input it goes on parsing
//! where the reader stops, reads a length of hundreds of megabytes and aborts the process (an
//! allocation failure cannot be caught). The fuzz allocator's cap ([`in_reference`]) turns
//! the fallible (`try_reserve`) ones into errors.

use std::cell::Cell;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

use dicom_core::value::{PrimitiveValue, Value as DValue};
use dicom_core::{Tag, VR};
use dicom_object::InMemDicomObject;
use rdsr::load::{Dataset, NodeKind};
use rdsr::{MisdeclaredText, Options};

/// The check (see the module comment).
pub fn differential(data: &[u8]) {
    let options = options();
    // Only inputs the reader reads go to dicom-object (see the module comment: dicom-object
    // allocates declared lengths infallibly, so on inputs the reader rejects it may abort).
    let Ok(ds) = rdsr::load::read_dataset(data, &options) else {
        return;
    };
    if ds.transfer_syntax() == Some(rdsr::load::transfer_syntax::DEFLATED_EXPLICIT_VR_LE) {
        return;
    }
    // Rule: a file meta group with an element of another group inside its group length
    // (a mutated tag). The reader ends the meta group there, so the meta elements after it
    // are in its data set; dicom-object reads the meta group to its group length. Not
    // compared (reported as a finding about malformed meta groups, not a crash).
    let in_meta_group = |i: u32| ds.node(i).is_some_and(|n| n.tag.0 == 0x0002);
    if ds.top_level().any(in_meta_group) || !meta_group_length_holds(&ds) {
        return;
    }
    let Some(Ok(theirs)) = reference(|| dicom_object::from_reader(data)) else {
        return;
    };
    COMPARED.fetch_add(1, Ordering::Relaxed);
    let mut cx = Cx::default();
    let side = Side {
        ds: &ds,
        options: &options,
    };
    side.meta(&mut cx, theirs.meta());
    side.level(&mut cx, ds.top_level().collect(), &theirs, "");
    if !cx.failures.is_empty() {
        panic!(
            "{} differences between the reader and dicom-object:\n{}",
            cx.failures.len(),
            cx.failures
                .iter()
                .take(20)
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// Rule: whether the declared File Meta Information Group Length (0002,0000) is the length of
/// the meta elements after it. When it is not, the reader ends the meta group where its
/// elements end, dicom-object where the declared length ends (and skips or loses elements of
/// the data set): not compared.
fn meta_group_length_holds(ds: &Dataset<'_>) -> bool {
    let meta = ds.meta();
    let (Some(first), Some(last)) = (meta.first(), meta.last()) else {
        return true;
    };
    if first.tag != Tag(0x0002, 0x0000) {
        return true;
    }
    let declared = ds.value(0).try_into().ok().map(u32::from_le_bytes);
    let actual = (u64::from(last.off) + u64::from(last.len))
        .checked_sub(u64::from(first.off) + u64::from(first.len));
    declared.map(u64::from) == actual
}

/// The options of `tests/differential.rs`: depth raised (sequences outside the content tree
/// may nest deeper than reports need), text decoded as declared.
fn options() -> Options {
    Options::new()
        .max_depth(256)
        .misdeclared_text(MisdeclaredText::AsDeclared)
}

thread_local! {
    static IN_REFERENCE: Cell<bool> = const { Cell::new(false) };
}

static REFERENCE_PANICS: AtomicUsize = AtomicUsize::new(0);
static COMPARED: AtomicUsize = AtomicUsize::new(0);

/// How many inputs both readers read and were compared.
pub fn compared() -> usize {
    COMPARED.load(Ordering::Relaxed)
}

/// How many inputs dicom-object panicked on (not compared: not this crate's bug).
pub fn reference_panics() -> usize {
    REFERENCE_PANICS.load(Ordering::Relaxed)
}

/// Installs a panic hook that stays silent for panics inside dicom-object and hands every
/// other panic to the hook installed before (libFuzzer's, which aborts). Call once, after
/// libfuzzer-sys has installed its hook (the target's `init`).
pub fn install_panic_filter() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_REFERENCE.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Whether this thread is running dicom-object (for the fuzz allocator's cap).
#[allow(dead_code)] // used by the fuzz crate's allocator, not by tests/fuzz_replay.rs
pub fn in_reference() -> bool {
    // A `const` thread-local without destructor: no allocation, safe in an allocator.
    IN_REFERENCE.with(Cell::get)
}

/// Runs dicom-object; `None` when it panicked.
fn reference<T>(f: impl FnOnce() -> T) -> Option<T> {
    IN_REFERENCE.with(|c| c.set(true));
    let r = catch_unwind(AssertUnwindSafe(f));
    IN_REFERENCE.with(|c| c.set(false));
    if r.is_err() {
        REFERENCE_PANICS.fetch_add(1, Ordering::Relaxed);
    }
    r.ok()
}

#[derive(Default)]
struct Cx {
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

fn trim_ascii(s: &str) -> Option<&str> {
    let s = s.trim_matches([' ', '\0']);
    (!s.is_empty()).then_some(s)
}

fn trim_text(s: &str) -> Option<&str> {
    let s = s.trim_start_matches(' ').trim_end_matches([' ', '\0']);
    (!s.is_empty()).then_some(s)
}

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
    fn tag(&self, i: u32) -> Tag {
        self.ds.node(i).map(|n| n.tag).expect("node index in range")
    }

    fn ordered(&self, mut idx: Vec<u32>) -> Vec<u32> {
        if idx.windows(2).all(|w| self.tag(w[0]) < self.tag(w[1])) {
            return idx;
        }
        idx.sort_by_key(|&i| self.tag(i));
        let mut out: Vec<u32> = Vec::with_capacity(idx.len());
        for i in idx {
            match out.last_mut() {
                Some(last) if self.tag(*last) == self.tag(i) => *last = i,
                _ => out.push(i),
            }
        }
        out
    }

    fn level(&self, cx: &mut Cx, ours: Vec<u32>, theirs: &InMemDicomObject, at: &str) {
        let ours = self.ordered(ours);
        let theirs: Vec<_> = theirs.iter().collect();
        let our_tags: Vec<Tag> = ours.iter().map(|&i| self.tag(i)).collect();
        let their_tags: Vec<Tag> = theirs.iter().map(|e| e.header().tag).collect();
        if our_tags != their_tags {
            cx.fail(format!(
                "{at}: element lists differ: ours {:?} vs dicom-object {:?}",
                our_tags.iter().map(|t| tag_str(*t)).collect::<Vec<_>>(),
                their_tags.iter().map(|t| tag_str(*t)).collect::<Vec<_>>(),
            ));
            return;
        }
        for (&i, e) in ours.iter().zip(theirs) {
            self.element(cx, i, e, at);
        }
    }

    fn element(&self, cx: &mut Cx, i: u32, e: &dicom_object::mem::InMemElement, at: &str) {
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
            // Rule: bytes that are not valid in the declared character set (a lone 0xDB under
            // ISO_IR 192) are U+FFFD in ours and an escape (`\333`) in dicom-object's: both
            // say "not decodable", in different words. Not compared.
            if ours.as_deref().is_some_and(|s| s.contains('\u{FFFD}')) {
                return;
            }
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
    fn meta(&self, cx: &mut Cx, meta: &dicom_object::FileMetaTable) {
        let text = |s: &str| trim_ascii(s).map(str::to_string);
        let mut seen = Vec::new();
        for (i, node) in self.ds.meta().iter().enumerate() {
            let i = i as u32;
            seen.push(node.tag.1);
            let ours_text = || {
                self.ds
                    .decoded_text(i, self.options)
                    .map(|s| s.trim_matches([' ', '\0']).to_string())
            };
            let (field, ours, theirs) = match node.tag.1 {
                // Rule: dicom-object recomputes the group length from the values it keeps,
                // padded to even lengths; with an odd-length meta value it differs.
                0x0000 if self.ds.meta().iter().any(|n| n.len % 2 == 1) => continue,
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
                _ => continue,
            };
            if ours != theirs {
                cx.fail(format!(
                    "meta {} {field}: {ours:?} vs dicom-object {theirs:?}",
                    tag_str(node.tag)
                ));
            }
        }
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
                    "dicom-object's meta has (0002,{elem:04X}), the reader's has not"
                ));
            }
        }
    }
}
