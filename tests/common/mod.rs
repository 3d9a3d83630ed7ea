//! Helpers shared by the differential, mutation and limits tests: where the input files are,
//! and a heap-counting allocator (each test binary installs it with `#[global_allocator]`).
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The real corpus (`../shared/corpus`), or `None` (with a `SKIPPED:` line) when absent.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus"));
    if dir.join("MANIFEST.tsv").is_file() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: ../shared/corpus is absent; the corpus part of this test needs it");
        None
    }
}

/// One input file: a display name, its kind (`rdsr`, `image`, `sr-other`, `testdata`) and path.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: String,
    pub kind: String,
    pub path: PathBuf,
}

/// Every file the corpus manifests list: `MANIFEST.tsv`, then `MANIFEST-nm.tsv` (the
/// radiopharmaceutical reports, kind `rrdsr`) when present; empty when the corpus is absent.
pub fn corpus_files() -> Vec<Input> {
    let Some(dir) = corpus_dir() else {
        return Vec::new();
    };
    let mut out = manifest_files(&dir, "MANIFEST.tsv");
    if dir.join("MANIFEST-nm.tsv").is_file() {
        out.extend(manifest_files(&dir, "MANIFEST-nm.tsv"));
    }
    out
}

fn manifest_files(dir: &Path, manifest: &str) -> Vec<Input> {
    let text = std::fs::read_to_string(dir.join(manifest))
        .unwrap_or_else(|e| panic!("{manifest} not readable: {e}"));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("manifest header").split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("{manifest} column {name} missing"))
    };
    let (rel, kind) = (col("relpath"), col("kind"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Input {
                name: f[rel].to_string(),
                kind: f[kind].to_string(),
                path: dir.join(f[rel]),
            }
        })
        .collect()
}

/// Every `*.dcm` under `testdata/`, recursively, sorted by path.
pub fn testdata_files() -> Vec<Input> {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata"));
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("dcm"))
            {
                let name = format!(
                    "testdata/{}",
                    path.strip_prefix(&root).unwrap_or(&path).display()
                );
                out.push(Input {
                    name,
                    kind: "testdata".into(),
                    path,
                });
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Corpus files then testdata files.
pub fn all_files() -> Vec<Input> {
    let mut v = corpus_files();
    v.extend(testdata_files());
    v
}

pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------------
// Heap counting.

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    // Const-initialised `Cell`s: no destructor, no lazy allocation, so usable from the
    // allocator itself.
    static THREAD_CURRENT: Cell<isize> = const { Cell::new(0) };
    static THREAD_PEAK: Cell<isize> = const { Cell::new(0) };
}

/// A `GlobalAlloc` wrapping [`System`] that tracks the live heap and its peak, globally and per
/// thread (so tests running in parallel threads can measure their own work).
pub struct CountingAlloc;

fn grow(n: usize) {
    let now = CURRENT.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(now, Ordering::Relaxed);
    let _ = THREAD_CURRENT.try_with(|c| {
        let v = c.get() + n as isize;
        c.set(v);
        let _ = THREAD_PEAK.try_with(|p| {
            if v > p.get() {
                p.set(v);
            }
        });
    });
}

fn shrink(n: usize) {
    CURRENT.fetch_sub(n, Ordering::Relaxed);
    let _ = THREAD_CURRENT.try_with(|c| c.set(c.get() - n as isize));
}

// SAFETY: every call is forwarded to `System` unchanged; the bookkeeping only reads sizes.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        shrink(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grow(new_size - layout.size());
            } else {
                shrink(layout.size() - new_size);
            }
        }
        p
    }
}

/// The highest live heap seen so far, all threads together, in bytes.
pub fn global_peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// Runs `f` and returns its result with the highest heap this thread held during it, above
/// what it held when `f` started (bytes).
pub fn thread_peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let start = THREAD_CURRENT.with(Cell::get);
    THREAD_PEAK.with(|p| p.set(start));
    let out = f();
    let peak = THREAD_PEAK.with(Cell::get);
    (out, (peak - start).max(0) as usize)
}

pub const MIB: usize = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// A tiny DICOM encoder (explicit VR, little or big endian) for hand-made inputs.

/// Undefined length.
pub const UNDEFINED: u32 = 0xFFFF_FFFF;

pub const EXPLICIT_LE: &str = "1.2.840.10008.1.2.1";
pub const EXPLICIT_BE: &str = "1.2.840.10008.1.2.2";
pub const IMPLICIT_LE: &str = "1.2.840.10008.1.2";
pub const XRAY_DOSE_SR: &str = "1.2.840.10008.5.1.4.1.1.88.67";

/// Whether an explicit VR has the reserved bytes + 32-bit length header.
pub fn long_header(vr: [u8; 2]) -> bool {
    matches!(
        &vr,
        b"OB"
            | b"OD"
            | b"OF"
            | b"OL"
            | b"OV"
            | b"OW"
            | b"SQ"
            | b"SV"
            | b"UC"
            | b"UN"
            | b"UR"
            | b"UT"
            | b"UV"
    )
}

/// Writes DICOM bytes: a file (preamble, `DICM`, file meta group) or a bare data set.
pub struct Enc {
    pub buf: Vec<u8>,
    pub big_endian: bool,
    pub implicit: bool,
}

impl Enc {
    /// Preamble, `DICM` and a file meta group declaring `ts` and `sop_class`.
    pub fn file(ts: &str, sop_class: &str) -> Enc {
        let mut meta = Enc {
            buf: Vec::new(),
            big_endian: false,
            implicit: false,
        };
        meta.bytes(0x0002, 0x0001, b"OB", &[0, 1]);
        meta.text(0x0002, 0x0002, b"UI", sop_class);
        meta.text(0x0002, 0x0003, b"UI", "1.2.826.0.1.3680043.10.1234.99.1");
        meta.text(0x0002, 0x0010, b"UI", ts);
        meta.text(0x0002, 0x0012, b"UI", "1.2.826.0.1.3680043.10.1234.99");
        let mut e = Enc {
            buf: vec![0; 128],
            big_endian: false,
            implicit: false,
        };
        e.buf.extend_from_slice(b"DICM");
        e.bytes(
            0x0002,
            0x0000,
            b"UL",
            &(meta.buf.len() as u32).to_le_bytes(),
        );
        e.buf.extend_from_slice(&meta.buf);
        e.big_endian = ts == EXPLICIT_BE;
        e.implicit = ts == IMPLICIT_LE;
        e
    }

    fn u16(&mut self, v: u16) {
        let b = if self.big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        self.buf.extend_from_slice(&b);
    }

    fn u32(&mut self, v: u32) {
        let b = if self.big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        self.buf.extend_from_slice(&b);
    }

    /// An element header with any declared length (no value written).
    pub fn header(&mut self, group: u16, elem: u16, vr: &[u8; 2], len: u32) -> &mut Self {
        self.u16(group);
        self.u16(elem);
        if self.implicit && group != 0x0002 {
            self.u32(len);
        } else if long_header(*vr) {
            self.buf.extend_from_slice(vr);
            self.buf.extend_from_slice(&[0, 0]);
            self.u32(len);
        } else {
            self.buf.extend_from_slice(vr);
            self.u16(len as u16);
        }
        self
    }

    /// An element with a raw value (padded to even length with a NUL).
    pub fn bytes(&mut self, group: u16, elem: u16, vr: &[u8; 2], value: &[u8]) -> &mut Self {
        let pad = value.len() % 2;
        self.header(group, elem, vr, (value.len() + pad) as u32);
        self.buf.extend_from_slice(value);
        if pad == 1 {
            self.buf.push(0);
        }
        self
    }

    /// A text element (padded with a space, or a NUL for UI).
    pub fn text(&mut self, group: u16, elem: u16, vr: &[u8; 2], value: &str) -> &mut Self {
        let mut v = value.as_bytes().to_vec();
        if v.len() % 2 == 1 {
            v.push(if vr == b"UI" { 0 } else { b' ' });
        }
        self.bytes(group, elem, vr, &v)
    }

    /// 32-bit unsigned values (UL), in the encoder's byte order.
    pub fn ul(&mut self, group: u16, elem: u16, values: &[u32]) -> &mut Self {
        self.header(group, elem, b"UL", (values.len() * 4) as u32);
        for v in values {
            self.u32(*v);
        }
        self
    }

    /// 32-bit floats (FL), in the encoder's byte order.
    pub fn fl(&mut self, group: u16, elem: u16, values: &[f32]) -> &mut Self {
        self.header(group, elem, b"FL", (values.len() * 4) as u32);
        for v in values {
            self.u32(v.to_bits());
        }
        self
    }

    /// An item header (`len` may be [`UNDEFINED`] or anything else).
    pub fn item_header(&mut self, len: u32) -> &mut Self {
        self.u16(0xFFFE);
        self.u16(0xE000);
        self.u32(len);
        self
    }

    pub fn item_end(&mut self) -> &mut Self {
        self.u16(0xFFFE);
        self.u16(0xE00D);
        self.u32(0);
        self
    }

    pub fn seq_end(&mut self) -> &mut Self {
        self.u16(0xFFFE);
        self.u16(0xE0DD);
        self.u32(0);
        self
    }

    /// An undefined-length sequence with one undefined-length item per closure.
    pub fn seq(&mut self, group: u16, elem: u16, items: &[&dyn Fn(&mut Enc)]) -> &mut Self {
        self.header(group, elem, b"SQ", UNDEFINED);
        for item in items {
            self.item_header(UNDEFINED);
            item(self);
            self.item_end();
        }
        self.seq_end()
    }

    /// A code sequence with one code item.
    pub fn code(&mut self, group: u16, elem: u16, code: (&str, &str, &str)) -> &mut Self {
        let (v, s, m) = (code.0.to_string(), code.1.to_string(), code.2.to_string());
        self.seq(
            group,
            elem,
            &[&move |e: &mut Enc| {
                e.text(0x0008, 0x0100, b"SH", &v)
                    .text(0x0008, 0x0102, b"SH", &s)
                    .text(0x0008, 0x0104, b"LO", &m);
            }],
        )
    }

    /// The header of an X-Ray Radiation Dose SR up to (not including) its Content Sequence:
    /// SOP class and instance, a CONTAINER root titled 113701 (DCM).
    pub fn dose_report_header(&mut self) -> &mut Self {
        self.text(0x0008, 0x0016, b"UI", XRAY_DOSE_SR)
            .text(0x0008, 0x0018, b"UI", "1.2.826.0.1.3680043.10.1234.99.1")
            .text(0x0008, 0x0060, b"CS", "SR")
            .text(0x0040, 0xA040, b"CS", "CONTAINER")
            .code(
                0x0040,
                0xA043,
                ("113701", "DCM", "X-Ray Radiation Dose Report"),
            )
            .text(0x0040, 0xA050, b"CS", "SEPARATE")
    }
}
