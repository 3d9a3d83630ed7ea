//! The comparison of the crate's reader with dicom-object, shared by `tests/differential.rs`
//! (the real files and synthetic reports), the `differential` fuzz target and
//! `tests/fuzz_replay.rs`: elements ([`Side::level`]), file meta ([`Side::meta`]) and SR content
//! trees ([`compare_trees`], against a small reference walker over dicom-object's
//! `InMemDicomObject`).
//!
//! Comparison rules (where the two libraries legitimately differ, compared per the rule):
//!
//! * Order. dicom-object keeps a data set in a `BTreeMap`, so it yields elements in ascending
//!   tag order and keeps the last of duplicated tags; the reader keeps file order. Our elements
//!   are compared in that same order (stable sort by tag, last duplicate kept); how many item
//!   levels needed reordering is counted ([`Cx::reordered_levels`]).
//! * VR. Equal, with one rule: encapsulated pixel data is always `OB` in dicom-object (it builds
//!   the element with `VR::OB`), while the reader keeps the declared `OB`/`OW`.
//! * Text values (AE AS CS DA DS DT IS TM UI: our `ascii`; LO LT PN SH ST UC UR UT: our
//!   `decoded_text`) are compared trimmed of leading spaces and trailing spaces and NULs on both
//!   sides, against dicom-object's `to_raw_str` (its values joined with `\`). The reader runs
//!   with `MisdeclaredText::AsDeclared`, the policy that decodes as dicom-object does. Empty
//!   equals absent (`None` on our side). A value with bytes that are invalid in the declared
//!   character set is not compared (ours has U+FFFD where dicom-object writes an escape such as
//!   `\333`); each one is listed in [`Cx::not_compared`].
//! * ISO 2022 code extensions (a multi-valued Specific Character Set such as `\ISO 2022 IR 87`):
//!   dicom-object 0.10 decodes text with the first value's set only (ISO-8859-1 when it is
//!   empty) and keeps escape sequences as characters; the reader interprets them. A text value
//!   of dicom-object's with an escape (U+001B) is compared after [`code_extension_reading`]:
//!   its characters mapped back to bytes and decoded with dicom-encoding's codec of the
//!   declaration's last value (the set the escapes switch to), unless that codec cannot decode
//!   them either (the value is invalid in the declared set, and both read it as ISO-8859-1).
//! * Binary values are compared as bytes: dicom-object's numbers re-encoded little endian, ours
//!   in file byte order swapped per value unit on big-endian data sets. dicom-object reads
//!   `len / unit` values, dropping an incomplete trailing unit; ours is truncated the same way.
//! * A sequence delimiter outside any sequence: the reader ignores it (with a diagnostic) and
//!   reads on, dicom-object keeps it as an element and stops reading the data set there. The
//!   delimiter and our elements after it are not compared; listed in [`Cx::not_compared`].
//! * Sequences: the same number of items, each compared recursively. Encapsulated pixel data:
//!   our first fragment is the basic offset table (dicom-object's `offset_table`), the rest are
//!   dicom-object's fragments.
//! * File meta: the fields of dicom-object's `FileMetaTable`, both ways. The group length only
//!   when dicom-object can recompute it (it does not keep the value it read but adds up the
//!   fields it models, padded to even lengths; see [`recomputable`]); otherwise it is listed in
//!   [`Cx::not_compared`].
//! * SR trees: every content item in pre-order with its path, depth, concept, relationship,
//!   value type, number of children and typed value (see [`compare_trees`]).
//!
//! The fuzz target ([`differential`]) compares what both readers read. Inputs the reader
//! rejects are not given to dicom-object (there is nothing to compare); deflated ones are not
//! compared (dicom-object is built without `deflate`); inputs dicom-object refuses, panics on or
//! cannot allocate for are skipped: dicom-parser reserves a value's declared length before
//! reading it, partly infallibly, and on malformed input reads lengths of gigabytes. The fuzz
//! allocator refuses single allocations above 64 MiB while dicom-object runs, and the target's
//! allocation-error hook turns the failure into a panic there (without it the process aborts),
//! so such inputs are counted in [`reference_panics`] and the run goes on. Two more rules, for
//! malformed file meta groups, are in [`differential`].

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

use dicom_core::value::{PrimitiveValue, Value as DValue};
use dicom_core::{Tag, VR};
use dicom_object::InMemDicomObject;
use rdsr::internals::{Dataset, NodeKind};
use rdsr::sr::{Document, Value};
use rdsr::{MisdeclaredText, Options};

/// What a comparison found.
#[derive(Default)]
pub struct Cx {
    /// Elements compared (file meta elements excepted).
    pub elements: usize,
    /// File meta elements compared.
    pub meta_elements: usize,
    /// Item levels whose elements were reordered to dicom-object's tag order.
    pub reordered_levels: usize,
    /// Values not compared under a rule (where and which rule).
    pub not_compared: Vec<String>,
    /// dicom-object stopped reading the data set early (at a stray sequence delimiter): its
    /// SR tree is not the file's and is not compared.
    pub reference_truncated: bool,
    /// Every difference found.
    pub failures: Vec<String>,
}

impl Cx {
    fn fail(&mut self, msg: String) {
        self.failures.push(msg);
    }
}

/// The check of the `differential` fuzz target (see the module comment): where both readers
/// read `data`, the elements, the file meta and, when the crate reads it as a dose report, the
/// SR content tree agree. Panics with the differences.
pub fn differential(data: &[u8]) {
    let options = options();
    let Ok(ds) = rdsr::internals::read_dataset(data, options.reader()) else {
        return;
    };
    if ds.transfer_syntax() == Some(rdsr::internals::transfer_syntax::DEFLATED_EXPLICIT_VR_LE) {
        return;
    }
    // Rule: a file meta group with an element of another group inside its group length
    // (a mutated tag). The reader ends the meta group there, so the meta elements after it
    // are in its data set; dicom-object reads the meta group to its group length. Not
    // compared (documented as a difference on malformed meta groups, not a crash).
    let in_meta_group = |i: u32| ds.node(i).is_some_and(|n| n.tag.0 == 0x0002);
    if ds.top_level().any(in_meta_group) || !meta_group_length_holds(&ds) {
        return;
    }
    let Some(Ok(theirs)) = reference(|| dicom_object::from_reader(data)) else {
        return;
    };
    COMPARED.fetch_add(1, Ordering::Relaxed);
    let mut cx = Cx::default();
    let side = Side { ds: &ds };
    side.meta(&mut cx, theirs.meta(), &theirs, "");
    side.level(&mut cx, ds.top_level().collect(), &theirs, "");
    if cx.failures.is_empty() {
        if let Ok(doc) = options.read_document(data) {
            TREES.fetch_add(1, Ordering::Relaxed);
            compare_trees(&mut cx, "", &doc, &theirs);
        }
    }
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
static TREES: AtomicUsize = AtomicUsize::new(0);

/// How many inputs both readers read and were compared.
pub fn compared() -> usize {
    COMPARED.load(Ordering::Relaxed)
}

/// How many of the compared inputs were read as dose reports, and their SR trees compared.
pub fn trees_compared() -> usize {
    TREES.load(Ordering::Relaxed)
}

/// How many inputs dicom-object panicked on or could not allocate for (not compared: not this
/// crate's bug).
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

/// Whether the dictionary gives `tag` the VR "US or SS".
fn is_us_or_ss(tag: Tag) -> bool {
    use dicom_core::dictionary::{DataDictionary, VirtualVr};
    dicom_dictionary_std::StandardDataDictionary
        .by_tag(tag)
        .is_some_and(|entry| entry.vr == VirtualVr::Xs)
}

/// Rule: whether dicom-object's recomputed group length can equal the one read. It adds up the
/// fields it models, each padded to an even length, with the header size of the VR the
/// standard gives the field, the version as two bytes, the required fields whether present or
/// not, and the text fields as it decoded them (a non-ASCII byte becomes a 3-byte U+FFFD). So
/// the group length is compared only when every meta element is such a field, once, with its
/// standard VR and an even length (the version: two bytes), every required field (0001, 0002,
/// 0003, 0010, 0012) is there, and text is ASCII.
fn recomputable(ds: &Dataset<'_>) -> bool {
    let meta = ds.meta();
    let standard_vr = |element: u16| match element {
        0x0000 => Some(VR::UL),
        0x0001 | 0x0102 => Some(VR::OB),
        0x0002 | 0x0003 | 0x0010 | 0x0012 | 0x0100 => Some(VR::UI),
        0x0013 => Some(VR::SH),
        0x0016..=0x0018 => Some(VR::AE),
        _ => None,
    };
    let mut seen = Vec::with_capacity(meta.len());
    let each = meta.iter().enumerate().all(|(i, n)| {
        let once = !seen.contains(&n.tag.1);
        seen.push(n.tag.1);
        let text = !matches!(n.tag.1, 0x0000 | 0x0001 | 0x0102);
        once && n.len % 2 == 0
            && standard_vr(n.tag.1) == Some(n.vr)
            && (n.tag.1 != 0x0001 || n.len == 2)
            && (!text || ds.value(i as u32).is_ascii())
    });
    each && [0x0001, 0x0002, 0x0003, 0x0010, 0x0012]
        .iter()
        .all(|e| seen.contains(e))
}

/// The reader's side of a comparison: a data set (read with its own text policy).
pub struct Side<'d, 'a> {
    /// The data set.
    pub ds: &'d Dataset<'a>,
}

impl Side<'_, '_> {
    fn tag_of(&self, i: u32) -> Tag {
        self.ds.node(i).map(|n| n.tag).expect("node index in range")
    }

    /// Our children of one level, in dicom-object's order (see the module comment).
    fn ordered(&self, cx: &mut Cx, mut idx: Vec<u32>) -> Vec<u32> {
        let tag = |i: &u32| self.tag_of(*i);
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

    /// Compares the elements `ours` (one level: the top level or an item's children) with
    /// dicom-object's `theirs`, recursively; `at` prefixes every failure.
    pub fn level(&self, cx: &mut Cx, ours: Vec<u32>, theirs: &InMemDicomObject, at: &str) {
        let ours = self.ordered(cx, ours);
        // Rule: a sequence delimiter outside any sequence (a writer's stray one after the
        // data set) is ignored by the reader, with a `dicom.stray_delimiter` diagnostic;
        // dicom-object keeps it as an element, and stops reading the data set there. Not
        // compared: the delimiter, nor our elements dicom-object does not have (those after
        // the delimiter).
        let mut stray = false;
        let theirs: Vec<_> = theirs
            .iter()
            .filter(|e| {
                let is_stray = e.header().tag == Tag(0xFFFE, 0xE0DD);
                if is_stray {
                    stray = true;
                    cx.not_compared
                        .push(format!("{at}(FFFE,E0DD): stray sequence delimiter"));
                }
                !is_stray
            })
            .collect();
        let ours: Vec<u32> = if stray {
            let their_tags: Vec<Tag> = theirs.iter().map(|e| e.header().tag).collect();
            ours.into_iter()
                .filter(|&i| {
                    let tag = self.tag_of(i);
                    let kept = their_tags.contains(&tag);
                    if !kept {
                        cx.reference_truncated = true;
                        cx.not_compared.push(format!(
                            "{at}{}: after a stray sequence delimiter",
                            tag_str(tag)
                        ));
                    }
                    kept
                })
                .collect()
        } else {
            ours
        };
        let our_tags: Vec<Tag> = ours.iter().map(|&i| self.tag_of(i)).collect();
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
                // Rule: dicom-parser makes every "US or SS" element SS after a signed Pixel
                // Representation, even where an explicit VR says US; the reader keeps the VR
                // the file states (and resolves only implicit ones). The values are compared.
                if !self.ds.implicit_vr()
                    && node.vr == VR::US
                    && e.vr() == VR::SS
                    && is_us_or_ss(node.tag)
                {
                    cx.not_compared
                        .push(format!("{here}: explicit US read as SS by dicom-object"));
                    self.primitive(cx, i, node.vr, p, &here);
                    return;
                }
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
            let mut theirs_raw = p.to_raw_str();
            if is_text_vr(vr) {
                if let Some(s) = code_extension_reading(self.ds.charset_name(), &theirs_raw) {
                    theirs_raw = s.into();
                }
            }
            let ours: Option<String> = if is_ascii_vr(vr) {
                match self.ds.ascii(i) {
                    Some(s) => Some(s.to_string()),
                    // Rule: these VRs are in the default repertoire, where no byte outside
                    // ASCII is valid; the reader's `ascii` refuses them, and its decoded text
                    // uses the declared character set where dicom-object decodes with its
                    // own choice (0xEC: "ě" under ISO_IR 101 in ours, "ì" in dicom-object's).
                    // Compared when both decode alike, else not compared.
                    None if !raw.is_ascii() => {
                        let decoded = self
                            .ds
                            .decoded_text(i)
                            .map(|s| s.trim_matches([' ', '\0']).to_string());
                        if decoded.as_deref() != trim_ascii(&theirs_raw) {
                            cx.not_compared.push(format!(
                                "{here} {vr:?}: a byte outside the default repertoire"
                            ));
                            return;
                        }
                        decoded
                    }
                    None => None,
                }
            } else {
                self.ds.decoded_text(i).map(|s| s.into_owned())
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
                cx.not_compared
                    .push(format!("{here} {vr:?}: text not decodable as declared"));
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

    /// Rules: dicom-object fills an absent or empty Media Storage SOP Class UID (0002,0002) or
    /// SOP Instance UID (0002,0003) from the SOP Class UID (0008,0016) or SOP Instance UID
    /// (0008,0018) of the data set it read (`data_set`), and without an Implementation Class
    /// UID (0002,0012) it writes its own, with its own Implementation Version Name (0002,0013)
    /// over the file's; the reader keeps what the file holds. Whether dicom-object's `value`
    /// for meta element `(0002,elem)` is such an inference.
    fn inferred(elem: u16, value: Option<&str>, data_set: &InMemDicomObject) -> bool {
        let from = match elem {
            0x0002 => Tag(0x0008, 0x0016),
            0x0003 => Tag(0x0008, 0x0018),
            0x0012 => return value == Some(dicom_object::IMPLEMENTATION_CLASS_UID),
            0x0013 => return value == Some(dicom_object::IMPLEMENTATION_VERSION_NAME),
            _ => return false,
        };
        let source = data_set
            .get(from)
            .and_then(|e| e.value().to_str().ok())
            .map(|s| s.trim_matches([' ', '\0']).to_string());
        value.is_some() && source.as_deref() == value
    }

    /// Our file meta elements against dicom-object's meta table (`data_set`: the data set
    /// dicom-object read with it); `name` prefixes every failure.
    pub fn meta(
        &self,
        cx: &mut Cx,
        meta: &dicom_object::FileMetaTable,
        data_set: &InMemDicomObject,
        name: &str,
    ) {
        let text = |s: &str| trim_ascii(s).map(str::to_string);
        let mut seen = Vec::new();
        let meta_nodes = self.ds.meta();
        for (i, node) in meta_nodes.iter().enumerate() {
            // A duplicated meta element: the last one is read (see `ordered`).
            if meta_nodes
                .get(i + 1..)
                .is_some_and(|rest| rest.iter().any(|n| n.tag == node.tag))
            {
                continue;
            }
            let i = i as u32;
            cx.meta_elements += 1;
            seen.push(node.tag.1);
            let ours_text = || {
                self.ds
                    .decoded_text(i)
                    .map(|s| s.trim_matches([' ', '\0']).to_string())
            };
            let (field, ours, theirs) = match node.tag.1 {
                // Rule: dicom-object does not keep the group length it read; it recomputes it
                // from the fields it models (see `recomputable`).
                0x0000 if !recomputable(self.ds) => {
                    cx.not_compared.push(format!(
                        "{name}: meta (0002,0000): the meta group is not one dicom-object \
                         recomputes its length from"
                    ));
                    continue;
                }
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
            // Rule (as for element values): a meta text with a byte the character set cannot
            // decode is U+FFFD in ours, another character in dicom-object's (the meta group is
            // in the default repertoire, where no such byte is valid). Not compared.
            if ours.as_deref().is_some_and(|s| s.contains('\u{FFFD}')) {
                cx.not_compared.push(format!(
                    "{name}: meta {} {field}: text not decodable as declared",
                    tag_str(node.tag)
                ));
                continue;
            }
            if ours != theirs {
                if (ours.is_none() || node.tag.1 == 0x0013)
                    && Self::inferred(node.tag.1, theirs.as_deref(), data_set)
                {
                    cx.not_compared.push(format!(
                        "{name}: meta {} {field}: dicom-object's own or inferred value",
                        tag_str(node.tag)
                    ));
                    continue;
                }
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
                let theirs = match elem {
                    0x0002 => trim_ascii(&meta.media_storage_sop_class_uid),
                    0x0003 => trim_ascii(&meta.media_storage_sop_instance_uid),
                    0x0012 => trim_ascii(&meta.implementation_class_uid),
                    0x0013 => meta
                        .implementation_version_name
                        .as_deref()
                        .and_then(trim_ascii),
                    _ => None,
                };
                if Self::inferred(elem, theirs, data_set) {
                    cx.not_compared.push(format!(
                        "{name}: meta (0002,{elem:04X}): absent, dicom-object's own or inferred value"
                    ));
                    continue;
                }
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

thread_local! {
    /// Whether the data set [`compare_trees`] is comparing is big endian: the reference walker
    /// renders a binary value read as text in the file's byte order, as the reader reads it.
    static FILE_BIG_ENDIAN: Cell<bool> = const { Cell::new(false) };
    /// The Specific Character Set the reader declares for the file being compared.
    static DECLARATION: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// The reference walker: reads content items from dicom-object only.
struct Reference;

impl Reference {
    fn text(obj: &InMemDicomObject, tag: Tag) -> Option<String> {
        let e = obj.get(tag)?;
        match e.value() {
            DValue::Primitive(p) => {
                let raw = Self::raw(p);
                let raw = DECLARATION
                    .with(|d| code_extension_reading(&d.borrow(), &raw))
                    .unwrap_or(raw);
                trim_text(&raw).map(str::to_string)
            }
            _ => None,
        }
    }

    /// A value as text: strings as dicom-object holds them; the bytes of a binary value (a
    /// text element written with VR OB or UN: the reader takes its bytes as text) when they
    /// are ASCII, U+FFFD when they are not (the reader decodes them with the character set,
    /// the reference does not: not compared).
    fn raw(p: &PrimitiveValue) -> String {
        match le_bytes(p) {
            None => p.to_raw_str().into_owned(),
            Some(mut bytes) => {
                // In the file's byte order: dicom-object holds the numbers it decoded.
                let unit = match p {
                    PrimitiveValue::U16(_) | PrimitiveValue::I16(_) | PrimitiveValue::Tags(_) => 2,
                    PrimitiveValue::U32(_) | PrimitiveValue::I32(_) | PrimitiveValue::F32(_) => 4,
                    PrimitiveValue::U64(_) | PrimitiveValue::I64(_) | PrimitiveValue::F64(_) => 8,
                    _ => 1,
                };
                if FILE_BIG_ENDIAN.with(Cell::get) && unit > 1 {
                    for chunk in bytes.chunks_exact_mut(unit) {
                        chunk.reverse();
                    }
                }
                Self::ascii_or_replacement(bytes)
            }
        }
    }

    fn ascii_or_replacement(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes)
            .ok()
            .filter(|s| s.is_ascii())
            .unwrap_or_else(|| "\u{FFFD}".into())
    }

    fn ascii(obj: &InMemDicomObject, tag: Tag) -> Option<String> {
        let e = obj.get(tag)?;
        match e.value() {
            DValue::Primitive(p) => trim_ascii(&Self::raw(p))
                .filter(|s| s.is_ascii())
                .map(str::to_string),
            _ => None,
        }
    }

    /// A code string as it is, trimmed (`None` when absent or empty).
    fn cs(obj: &InMemDicomObject, tag: Tag) -> Option<String> {
        let e = obj.get(tag)?;
        match e.value() {
            DValue::Primitive(p) => trim_ascii(&Self::raw(p)).map(str::to_string),
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
        // Any non-empty value that is not a defined term is OTHER, ASCII or not.
        let relationship = Self::cs(obj, Tag(0x0040, 0xA010)).map(|r| {
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

/// Compares our SR content tree with the one the reference walker reads from dicom-object's
/// object; returns how many items were compared.
pub fn compare_trees(cx: &mut Cx, name: &str, doc: &Document<'_>, obj: &InMemDicomObject) -> usize {
    let ours = our_items(doc);
    if cx.reference_truncated {
        cx.not_compared.push(format!(
            "{name}: SR tree: dicom-object stopped reading at a stray sequence delimiter"
        ));
        return 0;
    }
    FILE_BIG_ENDIAN.with(|c| c.set(doc.dataset().big_endian()));
    DECLARATION.with(|d| *d.borrow_mut() = doc.dataset().charset_name().to_string());
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
            let path = a.get("path").map_or("?", String::as_str);
            let keys: std::collections::BTreeSet<&str> =
                a.keys().chain(b.keys()).copied().collect();
            let mut diffs = Vec::new();
            for k in keys.into_iter().filter(|k| a.get(k) != b.get(k)) {
                // Rule (as for element values): text not decodable in the declared character
                // set is U+FFFD in ours and an escape in dicom-object's; non-ASCII bytes of a
                // binary value are U+FFFD in the reference's. Not compared.
                if a.get(k).is_some_and(|v| v.contains('\u{FFFD}'))
                    || b.get(k).is_some_and(|v| v.contains('\u{FFFD}'))
                {
                    cx.not_compared.push(format!(
                        "{name}: SR item {path} {k}: text not decodable as declared"
                    ));
                    continue;
                }
                // Rule: a value of an ASCII VR (UI, DT, DA, TM, CS) with a byte outside ASCII
                // is absent in ours (such a value cannot be a UID, date or defined term) and
                // holds dicom-object's escape of the byte (`\324`) in the reference's. Not
                // compared.
                if a.get(k).is_some_and(|v| v == "-")
                    && b.get(k).is_some_and(|v| has_byte_escape(v))
                {
                    cx.not_compared.push(format!(
                        "{name}: SR item {path} {k}: a byte outside ASCII in an ASCII VR"
                    ));
                    continue;
                }
                diffs.push(format!(
                    "{k}: ours {:?} vs reference {:?}",
                    a.get(k),
                    b.get(k)
                ));
            }
            if diffs.is_empty() {
                continue;
            }
            cx.fail(format!("{name}: SR item {path}: {}", diffs.join("; ")));
            if ours.len() != theirs.len() {
                // Misaligned from here on: one report is enough.
                break;
            }
        }
    }
    ours.len().min(theirs.len())
}

/// Rule (see the module comment): dicom-object's text `theirs` of a value under the code
/// extensions `declaration`, read as the escape sequences in it say; `None` when the rule does
/// not apply (not a multi-valued declaration, no escape, a character above U+00FF) or when
/// dicom-encoding's codec cannot decode the bytes either (it writes an escape such as `\033`).
fn code_extension_reading(declaration: &str, theirs: &str) -> Option<String> {
    use dicom_encoding::text::{SpecificCharacterSet, TextCodec};
    if !declaration.contains('\\') || !theirs.contains('\u{1b}') {
        return None;
    }
    let last = declaration
        .split('\\')
        .map(str::trim)
        .rfind(|t| !t.is_empty())?;
    let codec = SpecificCharacterSet::from_code(last)?;
    let bytes: Vec<u8> = theirs
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect::<Option<_>>()?;
    let decoded = codec.decode(&bytes).ok()?;
    let trapped = decoded
        .as_bytes()
        .windows(4)
        .any(|w| w[0] == b'\\' && w[1..].iter().all(|d| (b'0'..=b'7').contains(d)));
    (!trapped).then_some(decoded)
}

/// Whether `s` holds dicom-object's escape of a byte outside ASCII: a backslash and three octal
/// digits from `\200` to `\377`.
fn has_byte_escape(s: &str) -> bool {
    s.as_bytes().windows(4).any(|w| {
        w[0] == b'\\'
            && matches!(w[1], b'2' | b'3')
            && (b'0'..=b'7').contains(&w[2])
            && (b'0'..=b'7').contains(&w[3])
    })
}
