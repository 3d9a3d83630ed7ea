//! Deterministic mutation testing: more than 10,000 mutants of the corpus and `testdata/`
//! files (bit flips, byte overwrites, truncations, corrupted length fields, swapped content
//! items, duplicated ranges), each read by `parse_bytes` (lenient and strict) and
//! `read_document`. Every call must return `Ok` or `Err`: a panic fails the test (each one is
//! printed with the file, mutant number and mutation, enough to rebuild the mutant), and the
//! heap never goes above 1 GiB.

mod common;

use std::collections::BTreeMap;
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::time::Instant;

use rdsr::Options;
use rdsr::internals::NodeKind;

#[global_allocator]
static ALLOC: common::CountingAlloc = common::CountingAlloc;

const SEED: u64 = 0x5EED_2026_0D05_E5A1;
/// Mutants in all; small files share what the large ones leave. `RDSR_MUTANTS=N` asks for
/// another number (a longer local hunt, e.g. with `--release`).
const TARGET_MUTANTS: usize = 12_000;
const MIN_MUTANTS: usize = 10_000;
const HEAP_CAP: usize = 1 << 30;

/// xorshift64* (Vigna), enough for choosing mutations.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A length field: where it is, 2 or 4 bytes, byte order.
#[derive(Clone, Copy)]
struct LengthField {
    pos: usize,
    size: usize,
    big_endian: bool,
    value: u32,
}

/// What the reader found in an unmutated file, to aim mutations at its structure.
#[derive(Default)]
struct Layout {
    lengths: Vec<LengthField>,
    /// Byte ranges of sibling items that have a following sibling (so their end is known),
    /// per sequence; content sequences first.
    siblings: Vec<Vec<(usize, usize)>>,
    /// Byte ranges of whole elements (header and value) and items.
    ranges: Vec<(usize, usize)>,
    /// Offsets of element headers.
    headers: Vec<usize>,
}

fn long_length(vr: dicom_core::VR) -> bool {
    use dicom_core::VR;
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

fn layout(bytes: &[u8]) -> Layout {
    let options = Options::new().max_depth(1_000);
    let Ok(ds) = rdsr::internals::read_dataset(bytes, options.reader()) else {
        return Layout::default();
    };
    if ds.buffer().len() != bytes.len() {
        // Deflated: the nodes point into the inflated data, not into these bytes.
        return Layout::default();
    }
    let mut l = Layout::default();
    let meta_len = ds.meta().len();
    let nodes = ds.nodes();
    for (i, n) in nodes.iter().enumerate() {
        let off = n.off as usize;
        let in_meta = i < meta_len;
        let big_endian = ds.big_endian() && !in_meta;
        let (header, size) = match n.kind {
            NodeKind::Item | NodeKind::Fragment => (8, 4),
            NodeKind::Sequence => (if ds.implicit_vr() { 8 } else { 12 }, 4),
            NodeKind::Element if ds.implicit_vr() && !in_meta => (8, 4),
            NodeKind::Element if long_length(n.vr) => (12, 4),
            NodeKind::Element => (8, 2),
        };
        let Some(start) = off.checked_sub(header) else {
            continue;
        };
        let pos = off - size;
        let raw = &bytes[pos..off];
        let value = match (size, big_endian) {
            (2, false) => u32::from(u16::from_le_bytes([raw[0], raw[1]])),
            (2, true) => u32::from(u16::from_be_bytes([raw[0], raw[1]])),
            (_, false) => u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]),
            (_, true) => u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]),
        };
        l.lengths.push(LengthField {
            pos,
            size,
            big_endian,
            value,
        });
        l.headers.push(start);
        if matches!(n.kind, NodeKind::Element | NodeKind::Fragment) {
            l.ranges.push((start, off + n.len as usize));
        }
        if n.kind == NodeKind::Sequence {
            let items: Vec<u32> = ds.children(i as u32).collect();
            let mut group = Vec::new();
            for w in items.windows(2) {
                let a = nodes[w[0] as usize].off as usize - 8;
                let b = nodes[w[1] as usize].off as usize - 8;
                group.push((a, b));
                l.ranges.push((a, b));
            }
            if group.len() >= 2 {
                if n.tag == dicom_core::Tag(0x0040, 0xA730) {
                    l.siblings.insert(0, group);
                } else {
                    l.siblings.push(group);
                }
            }
        }
    }
    l
}

enum Mutation {
    BitFlips(Vec<(usize, u8)>),
    Overwrite(Vec<(usize, u8)>),
    Truncate(usize),
    Length {
        field: LengthField,
        new: u32,
        how: &'static str,
    },
    Swap((usize, usize), (usize, usize)),
    Duplicate((usize, usize)),
}

impl fmt::Display for Mutation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mutation::BitFlips(v) => write!(f, "bit flips (offset, bit) {v:?}"),
            Mutation::Overwrite(v) => write!(f, "byte overwrites (offset, byte) {v:?}"),
            Mutation::Truncate(n) => write!(f, "truncated to {n} bytes"),
            Mutation::Length { field, new, how } => write!(
                f,
                "{}-bit length at offset {} ({}) {} -> {new:#x} ({how})",
                field.size * 8,
                field.pos,
                if field.big_endian { "BE" } else { "LE" },
                field.value
            ),
            Mutation::Swap(a, b) => write!(f, "sibling items {a:?} and {b:?} swapped"),
            Mutation::Duplicate(r) => write!(f, "range {r:?} duplicated after itself"),
        }
    }
}

impl Mutation {
    fn apply(&self, bytes: &[u8]) -> Vec<u8> {
        match self {
            Mutation::BitFlips(v) => {
                let mut out = bytes.to_vec();
                for &(pos, bit) in v {
                    out[pos] ^= 1 << bit;
                }
                out
            }
            Mutation::Overwrite(v) => {
                let mut out = bytes.to_vec();
                for &(pos, b) in v {
                    out[pos] = b;
                }
                out
            }
            Mutation::Truncate(n) => bytes[..*n].to_vec(),
            Mutation::Length { field, new, .. } => {
                let mut out = bytes.to_vec();
                let b: Vec<u8> = match (field.size, field.big_endian) {
                    (2, false) => (*new as u16).to_le_bytes().to_vec(),
                    (2, true) => (*new as u16).to_be_bytes().to_vec(),
                    (_, false) => new.to_le_bytes().to_vec(),
                    (_, true) => new.to_be_bytes().to_vec(),
                };
                out[field.pos..field.pos + field.size].copy_from_slice(&b);
                out
            }
            Mutation::Swap((a0, a1), (b0, b1)) => {
                let mut out = Vec::with_capacity(bytes.len());
                out.extend_from_slice(&bytes[..*a0]);
                out.extend_from_slice(&bytes[*b0..*b1]);
                out.extend_from_slice(&bytes[*a1..*b0]);
                out.extend_from_slice(&bytes[*a0..*a1]);
                out.extend_from_slice(&bytes[*b1..]);
                out
            }
            Mutation::Duplicate((a, b)) => {
                let mut out = Vec::with_capacity(bytes.len() + (b - a));
                out.extend_from_slice(&bytes[..*b]);
                out.extend_from_slice(&bytes[*a..*b]);
                out.extend_from_slice(&bytes[*b..]);
                out
            }
        }
    }
}

const SPECIAL_BYTES: [u8; 8] = [0x00, 0xFF, 0x7F, 0x80, 0x20, 0x5C, 0xFE, 0x01];

fn choose(rng: &mut Rng, bytes: &[u8], l: &Layout) -> Mutation {
    let len = bytes.len();
    loop {
        match rng.below(100) {
            0..=19 => {
                let n = 1 + rng.below(4);
                let v = (0..n)
                    .map(|_| (rng.below(len), rng.below(8) as u8))
                    .collect();
                return Mutation::BitFlips(v);
            }
            20..=31 => {
                let n = 1 + rng.below(3);
                let v = (0..n)
                    .map(|_| {
                        let b = if rng.below(2) == 0 {
                            SPECIAL_BYTES[rng.below(SPECIAL_BYTES.len())]
                        } else {
                            rng.next() as u8
                        };
                        (rng.below(len), b)
                    })
                    .collect();
                return Mutation::Overwrite(v);
            }
            32..=41 if !l.headers.is_empty() => {
                // Overwrite inside an element header: tag, VR or length bytes.
                let start = l.headers[rng.below(l.headers.len())];
                let pos = (start + rng.below(12)).min(len - 1);
                let b = SPECIAL_BYTES[rng.below(SPECIAL_BYTES.len())] ^ (rng.next() as u8 & 3);
                return Mutation::Overwrite(vec![(pos, b)]);
            }
            42..=54 => {
                // Mostly inside the data, sometimes in the first 300 bytes (preamble, meta).
                let n = if rng.below(4) == 0 {
                    rng.below(len.min(300))
                } else {
                    rng.below(len)
                };
                return Mutation::Truncate(n);
            }
            55..=82 if !l.lengths.is_empty() => {
                let field = l.lengths[rng.below(l.lengths.len())];
                let max = if field.size == 2 { 0xFFFF } else { u32::MAX };
                let (new, how) = match rng.below(7) {
                    0 => (0, "zero"),
                    1 => (0xFFFF, "0xFFFF"),
                    2 => (max, "all ones / undefined"),
                    3 => (field.value.wrapping_add(1) & max, "one more"),
                    4 => (field.value.wrapping_sub(1) & max, "one less"),
                    5 => (field.value.wrapping_add(2) & max, "two more"),
                    _ => (rng.next() as u32 & max, "random"),
                };
                return Mutation::Length { field, new, how };
            }
            83..=91 if !l.siblings.is_empty() => {
                // Content sequences (first in the list) half of the time.
                let g = if rng.below(2) == 0 {
                    0
                } else {
                    rng.below(l.siblings.len())
                };
                let group = &l.siblings[g];
                let i = rng.below(group.len());
                let mut j = rng.below(group.len());
                if i == j {
                    j = (i + 1) % group.len();
                }
                let (a, b) = if i < j { (i, j) } else { (j, i) };
                return Mutation::Swap(group[a], group[b]);
            }
            92..=99 if !l.ranges.is_empty() => {
                return Mutation::Duplicate(l.ranges[rng.below(l.ranges.len())]);
            }
            _ => {}
        }
    }
}

/// Touches everything a document offers, so that lazy accessors run on mutated data too.
fn touch(doc: &rdsr::sr::Document<'_>) -> usize {
    let mut n = doc.diagnostics().len();
    n += doc.template_id().map_or(0, str::len);
    n += doc.sop_class_uid().map_or(0, str::len);
    n += doc.title().map_or(0, |c| c.value.len());
    for item in doc.items() {
        n += item.path().ordinals().len();
        n += item.concept().map_or(0, |c| c.meaning.len());
        n += format!("{:?}{:?}", item.value(), item.relationship()).len();
        n += item.children().count() + item.depth() as usize;
    }
    n
}

static PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());

#[test]
fn mutants_never_panic() {
    let started = Instant::now();
    let files = common::all_files();
    assert!(
        !files.is_empty(),
        "no input: neither the corpus nor testdata/"
    );
    let inputs: Vec<(common::Input, Vec<u8>)> = files
        .into_iter()
        .map(|f| {
            let b = common::read(&f.path);
            (f, b)
        })
        .collect();
    // Budget: few mutants of the large files (each costs a full parse), the rest shared by
    // the files up to 100 kB.
    let fixed = |len: usize| match len {
        0..=100_000 => None,
        100_001..=400_000 => Some(40),
        _ => Some(6),
    };
    let fixed_total: usize = inputs.iter().filter_map(|(_, b)| fixed(b.len())).sum();
    let small = inputs
        .iter()
        .filter(|(_, b)| fixed(b.len()).is_none())
        .count()
        .max(1);
    let target = std::env::var("RDSR_MUTANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(TARGET_MUTANTS);
    let per_small = (target.saturating_sub(fixed_total)).div_ceil(small);

    let lenient = Options::new();
    let strict = Options::new().strict(true);
    std::panic::set_hook(Box::new(|info| {
        PANICS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(info.to_string());
    }));

    let mut mutants = 0usize;
    let mut ok = 0usize;
    let mut strict_ok = 0usize;
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    let mut panics: Vec<String> = Vec::new();
    let mut touched = 0usize;
    for (file_no, (input, bytes)) in inputs.iter().enumerate() {
        if bytes.is_empty() {
            continue;
        }
        let l = layout(bytes);
        let count = fixed(bytes.len()).unwrap_or(per_small);
        let mut rng = Rng::new(SEED ^ (file_no as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        for m in 0..count {
            let mutation = choose(&mut rng, bytes, &l);
            let mutant = mutation.apply(bytes);
            mutants += 1;
            let result = catch_unwind(AssertUnwindSafe(|| {
                let report = lenient.parse_bytes(&mutant);
                let strict_report = strict.parse_bytes(&mutant);
                let doc = rdsr::read_document(&mutant);
                let t = doc.as_ref().map_or(0, touch);
                (
                    report.map(|_| ()).map_err(|e| e.kind()),
                    strict_report.is_ok(),
                    t,
                )
            }));
            match result {
                Ok((report, strict_is_ok, t)) => {
                    touched += t;
                    strict_ok += usize::from(strict_is_ok);
                    match report {
                        Ok(()) => ok += 1,
                        Err(kind) => *errors.entry(format!("{kind:?}")).or_default() += 1,
                    }
                }
                Err(_) => {
                    let msg = PANICS
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .pop()
                        .unwrap_or_default();
                    let line = format!(
                        "PANIC {} mutant #{m} (seed {SEED:#x}, file #{file_no}): {mutation}: {msg}",
                        input.name
                    );
                    println!("{line}");
                    panics.push(line);
                }
            }
        }
    }
    let _ = std::panic::take_hook();
    let peak = common::global_peak();
    println!(
        "mutation: {mutants} mutants of {} files, {ok} ok, {} errors by kind {errors:?}, \
         {strict_ok} ok in strict mode, {} panics, peak heap {} MiB, {:.1} s (touch {touched})",
        inputs.len(),
        errors.values().sum::<usize>(),
        panics.len(),
        peak / common::MIB,
        started.elapsed().as_secs_f64()
    );
    assert!(
        panics.is_empty(),
        "{} mutants panicked:\n{}",
        panics.len(),
        panics.join("\n")
    );
    assert!(
        peak < HEAP_CAP,
        "peak heap {} MiB, cap 1 GiB",
        peak / common::MIB
    );
    assert!(
        mutants >= MIN_MUTANTS.min(target),
        "only {mutants} mutants (want at least {MIN_MUTANTS})"
    );
    assert!(
        ok > 0 && !errors.is_empty(),
        "mutants should give both reports ({ok}) and errors ({errors:?})"
    );
}
