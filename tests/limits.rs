//! Resource bombs, hand-encoded: declared lengths far beyond the data, deep nesting, huge item
//! counts and oversized inputs all end in a typed error (`LimitExceeded` with the right
//! [`Limit`], or `Malformed`), with no stack overflow and no allocation proportional to what
//! an input declares (the heap each bomb costs is measured with a counting allocator).

mod common;

use common::{EXPLICIT_BE, EXPLICIT_LE, Enc, IMPLICIT_LE, MIB, UNDEFINED, XRAY_DOSE_SR};
use rdsr::{Error, ErrorKind, Limit, Options};

#[global_allocator]
static ALLOC: common::CountingAlloc = common::CountingAlloc;

/// Heap a single bomb may cost on top of its input.
const CAP: usize = 64 * MIB;

const GIB3: u32 = 3 << 30;

/// Runs every entry point on `bytes` with `options`; each must fail the same way, within
/// [`CAP`] bytes of heap. Returns the error of `read_document`.
fn run(name: &str, bytes: &[u8], options: &Options) -> Error {
    let (errs, peak) = common::thread_peak_during(|| {
        let dataset = rdsr::internals::read_dataset(bytes, options.reader()).err();
        let document = options.read_document(bytes).err();
        let report = options.parse_bytes(bytes).err();
        (dataset, document, report)
    });
    let (dataset, document, report) = errs;
    let document = document.unwrap_or_else(|| panic!("{name}: read_document accepted the bomb"));
    let report = report.unwrap_or_else(|| panic!("{name}: parse_bytes accepted the bomb"));
    assert_eq!(
        report.kind(),
        document.kind(),
        "{name}: parse_bytes fails with {report}, read_document with {document}"
    );
    if let Some(d) = dataset {
        assert_eq!(
            d.kind(),
            document.kind(),
            "{name}: read_dataset fails with {d}, read_document with {document}"
        );
    }
    assert!(
        peak < CAP,
        "{name}: {} MiB of heap for a {}-byte input ({document})",
        peak / MIB,
        bytes.len()
    );
    eprintln!(
        "{name}: {} bytes, peak heap {} KiB: {document}",
        bytes.len(),
        peak / 1024
    );
    document
}

#[track_caller]
fn assert_limit(err: &Error, limit: Limit, value: u64, max: u64) {
    match err {
        Error::LimitExceeded {
            limit: l,
            value: v,
            max: m,
            ..
        } => {
            assert_eq!(*l, limit, "{err}");
            assert_eq!((*v, *m), (value, max), "value/max of {err}");
        }
        other => panic!(
            "expected LimitExceeded {limit:?}, got {:?}: {other}",
            other.kind()
        ),
    }
}

#[track_caller]
fn assert_malformed(err: &Error) {
    assert_eq!(err.kind(), ErrorKind::Malformed, "{err}");
}

/// A small dose report whose next element is `bomb`: header attributes, then the bomb.
fn report_with(ts: &str, bomb: impl Fn(&mut Enc)) -> Vec<u8> {
    let mut e = Enc::file(ts, XRAY_DOSE_SR);
    e.dose_report_header();
    bomb(&mut e);
    // A few bytes after the header, so the file is about 400 bytes long in all.
    e.buf.extend_from_slice(&[0u8; 16]);
    assert!(e.buf.len() < 600, "bomb file is {} bytes", e.buf.len());
    e.buf
}

const DEFAULT_MAX: u64 = rdsr::DEFAULT_MAX_INPUT_SIZE;

// ---- (a) length-field bombs ---------------------------------------------------------------

#[test]
fn element_declaring_4_gib_is_an_input_size_limit() {
    for ts in [EXPLICIT_LE, EXPLICIT_BE, IMPLICIT_LE] {
        let bytes = report_with(ts, |e| {
            e.header(0x0040, 0xA160, b"UT", 0xFFFF_FFF0);
        });
        let err = run(&format!("UT 0xFFFFFFF0 ({ts})"), &bytes, &Options::new());
        assert_limit(&err, Limit::InputSize, 0xFFFF_FFF0, DEFAULT_MAX);
    }
}

#[test]
fn element_declaring_3_gib_is_an_input_size_limit() {
    for vr in [b"OB", b"UN", b"UT", b"OW"] {
        let bytes = report_with(EXPLICIT_LE, |e| {
            e.header(0x0009, 0x1010, vr, GIB3);
        });
        let err = run(
            &format!("{} 3 GiB", String::from_utf8_lossy(vr)),
            &bytes,
            &Options::new(),
        );
        assert_limit(&err, Limit::InputSize, u64::from(GIB3), DEFAULT_MAX);
    }
}

#[test]
fn sequence_declaring_3_gib_is_an_input_size_limit() {
    for ts in [EXPLICIT_LE, EXPLICIT_BE, IMPLICIT_LE] {
        let bytes = report_with(ts, |e| {
            e.header(0x0040, 0xA730, b"SQ", GIB3);
            e.item_header(UNDEFINED).item_end();
        });
        let err = run(&format!("SQ 3 GiB ({ts})"), &bytes, &Options::new());
        assert_limit(&err, Limit::InputSize, u64::from(GIB3), DEFAULT_MAX);
    }
}

#[test]
fn item_declaring_4_gib_is_an_input_size_limit() {
    for ts in [EXPLICIT_LE, EXPLICIT_BE, IMPLICIT_LE] {
        let bytes = report_with(ts, |e| {
            e.header(0x0040, 0xA730, b"SQ", UNDEFINED);
            e.item_header(0xFFFF_FFF0);
        });
        let err = run(&format!("item 0xFFFFFFF0 ({ts})"), &bytes, &Options::new());
        assert_limit(&err, Limit::InputSize, 0xFFFF_FFF0, DEFAULT_MAX);
    }
}

#[test]
fn pixel_data_fragment_declaring_3_gib_is_an_input_size_limit() {
    let bytes = report_with(EXPLICIT_LE, |e| {
        e.header(0x7FE0, 0x0010, b"OB", UNDEFINED);
        e.item_header(0); // basic offset table
        e.item_header(GIB3);
    });
    let err = run("fragment 3 GiB", &bytes, &Options::new());
    assert_limit(&err, Limit::InputSize, u64::from(GIB3), DEFAULT_MAX);
}

#[test]
fn file_meta_element_declaring_4_gib_is_an_input_size_limit() {
    // (0002,0102) Private Information, OB, declaring 0xFFFFFFF0 bytes right after the meta
    // elements every file has.
    let mut e = Enc::file(EXPLICIT_LE, XRAY_DOSE_SR);
    e.header(0x0002, 0x0102, b"OB", 0xFFFF_FFF0);
    e.buf.extend_from_slice(&[0u8; 64]);
    let err = run("meta OB 0xFFFFFFF0", &e.buf, &Options::new());
    assert_limit(&err, Limit::InputSize, 0xFFFF_FFF0, DEFAULT_MAX);
}

#[test]
fn lengths_above_a_lowered_input_limit_are_limit_errors() {
    // 5000 bytes declared in a file of a few hundred: within the default limit it is just
    // broken data (next test); above `max_input_size(1000)` it is a limit breach.
    let options = Options::new().max_input_size(1000);
    let element = report_with(EXPLICIT_LE, |e| {
        e.header(0x0040, 0xA160, b"UT", 5000);
    });
    assert_limit(
        &run("UT 5000 > 1000", &element, &options),
        Limit::InputSize,
        5000,
        1000,
    );
    let sequence = report_with(EXPLICIT_LE, |e| {
        e.header(0x0040, 0xA730, b"SQ", 5000);
    });
    assert_limit(
        &run("SQ 5000 > 1000", &sequence, &options),
        Limit::InputSize,
        5000,
        1000,
    );
    let item = report_with(EXPLICIT_LE, |e| {
        e.header(0x0040, 0xA730, b"SQ", UNDEFINED);
        e.item_header(5000);
    });
    assert_limit(
        &run("item 5000 > 1000", &item, &options),
        Limit::InputSize,
        5000,
        1000,
    );
}

#[test]
fn lengths_within_the_limit_but_past_the_data_are_malformed() {
    let declared = 1_000_000; // far below the 64 MiB default, far above the ~400-byte file
    for ts in [EXPLICIT_LE, EXPLICIT_BE, IMPLICIT_LE] {
        let element = report_with(ts, |e| {
            e.header(0x0040, 0xA160, b"UT", declared);
        });
        assert_malformed(&run(
            &format!("UT 1 MB past the end ({ts})"),
            &element,
            &Options::new(),
        ));
        let sequence = report_with(ts, |e| {
            e.header(0x0040, 0xA730, b"SQ", declared);
        });
        assert_malformed(&run(
            &format!("SQ 1 MB past the end ({ts})"),
            &sequence,
            &Options::new(),
        ));
        let item = report_with(ts, |e| {
            e.header(0x0040, 0xA730, b"SQ", UNDEFINED);
            e.item_header(declared);
        });
        assert_malformed(&run(
            &format!("item 1 MB past the end ({ts})"),
            &item,
            &Options::new(),
        ));
    }
    // Exactly one byte too many.
    let mut e = Enc::file(EXPLICIT_LE, XRAY_DOSE_SR);
    e.dose_report_header();
    e.header(0x0040, 0xA160, b"UT", 17);
    e.buf.extend_from_slice(&[b'x'; 16]);
    assert_malformed(&run("UT one byte short", &e.buf, &Options::new()));
}

// ---- (b) nesting bombs --------------------------------------------------------------------

/// `depth` undefined-length sequences, each in the only item of the one before.
fn nested_sequences(ts: &str, tag: (u16, u16), depth: usize) -> Vec<u8> {
    let mut e = Enc::file(ts, XRAY_DOSE_SR);
    e.dose_report_header();
    for _ in 0..depth {
        e.header(tag.0, tag.1, b"SQ", UNDEFINED);
        e.item_header(UNDEFINED);
    }
    for _ in 0..depth {
        e.item_end().seq_end();
    }
    e.buf
}

#[test]
fn ten_thousand_nested_sequences_are_a_depth_limit() {
    // (0008,1115) Referenced Series Sequence: SQ in the dictionary, so implicit VR too.
    let tag = (0x0008, 0x1115);
    // Sequences outside the content tree may nest 2 * max_depth + 8 deep.
    let max = 2 * u64::from(rdsr::DEFAULT_MAX_DEPTH) + 8;
    for ts in [EXPLICIT_LE, EXPLICIT_BE, IMPLICIT_LE] {
        let bytes = nested_sequences(ts, tag, 10_000);
        assert!(bytes.len() > 300_000, "{} bytes", bytes.len());
        let err = run(&format!("10,000 nested SQ ({ts})"), &bytes, &Options::new());
        assert_limit(&err, Limit::Depth, max + 1, max);
    }
    // Right at the limit it is read.
    let bytes = nested_sequences(EXPLICIT_LE, tag, max as usize);
    let doc = rdsr::read_document(&bytes).expect("nesting at the limit is read");
    assert_eq!(doc.len(), 1, "no content items, only the root");
}

#[test]
fn ten_thousand_nested_sequences_without_a_depth_limit_do_not_overflow_the_stack() {
    // With the limit lifted, the tokenizer's explicit stack takes 10,000 levels (run on a
    // thread with a small stack to make sure nothing recurses per level).
    let bytes = nested_sequences(EXPLICIT_LE, (0x0008, 0x1115), 10_000);
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let options = Options::new().max_depth(1_000_000);
            let ds =
                rdsr::internals::read_dataset(&bytes, options.reader()).map(|d| d.nodes().len());
            let doc = options.read_document(&bytes).map(|d| d.len());
            (ds, doc)
        })
        .expect("spawn");
    let (ds, doc) = handle.join().expect("no stack overflow or panic");
    assert!(
        ds.as_ref().is_ok_and(|n| *n >= 20_000),
        "read_dataset: {ds:?}"
    );
    assert_eq!(doc.expect("read_document"), 1);
}

/// A dose report whose content nests `depth` CONTAINER items, each the only child of the one
/// before.
fn nested_content(depth: usize) -> Vec<u8> {
    let mut e = Enc::file(EXPLICIT_LE, XRAY_DOSE_SR);
    e.dose_report_header();
    for _ in 0..depth {
        e.header(0x0040, 0xA730, b"SQ", UNDEFINED);
        e.item_header(UNDEFINED);
        e.text(0x0040, 0xA010, b"CS", "CONTAINS")
            .text(0x0040, 0xA040, b"CS", "CONTAINER")
            .code(
                0x0040,
                0xA043,
                ("113706", "DCM", "Irradiation Event X-Ray Data"),
            )
            .text(0x0040, 0xA050, b"CS", "SEPARATE");
    }
    for _ in 0..depth {
        e.item_end().seq_end();
    }
    e.buf
}

#[test]
fn content_nesting_beyond_max_depth_is_a_depth_limit() {
    let max = rdsr::DEFAULT_MAX_DEPTH;
    let at_limit = nested_content(max as usize);
    let doc = rdsr::read_document(&at_limit).expect("content nested max_depth deep is read");
    assert_eq!(doc.len(), max as usize + 1);
    assert_eq!(doc.items().map(|i| i.depth()).max(), Some(max));
    rdsr::parse_bytes(&at_limit).expect("and mapped");

    let beyond = nested_content(max as usize + 1);
    let err = run("content 33 deep", &beyond, &Options::new());
    assert_limit(&err, Limit::Depth, u64::from(max) + 1, u64::from(max));

    // A lowered limit.
    let options = Options::new().max_depth(5);
    options
        .read_document(&nested_content(5))
        .expect("5 deep with max_depth(5)");
    let err = run("content 6 deep, max 5", &nested_content(6), &options);
    assert_limit(&err, Limit::Depth, 6, 5);

    // A content nesting bomb.
    let bomb = nested_content(10_000);
    let err = run("content 10,000 deep", &bomb, &Options::new());
    assert_limit(&err, Limit::Depth, u64::from(max) + 1, u64::from(max));
}

#[test]
fn deep_content_without_a_depth_limit_does_not_overflow_the_stack() {
    // 2,000 nested content items with the limit lifted: the tree, the report mapping and the
    // paths are built without recursion per level (a thread with a 1 MiB stack).
    let bytes = nested_content(2_000);
    let handle = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            let options = Options::new().max_depth(1_000_000);
            let doc = options.read_document(&bytes).expect("read_document");
            let deepest = doc.items().last().expect("items").path().to_string();
            let report = options.parse_bytes(&bytes).map(|_| ());
            (doc.len(), deepest.len(), report.map_err(|e| e.to_string()))
        })
        .expect("spawn");
    let (len, path_len, report) = handle.join().expect("no stack overflow or panic");
    assert_eq!(len, 2_001);
    assert_eq!(path_len, 1 + 2 * 2_000, "path 1.1.1...");
    report.expect("parse_bytes");
}

// ---- (c) item-count bomb ------------------------------------------------------------------

#[test]
fn a_million_empty_items_are_an_item_limit() {
    let mut e = Enc::file(EXPLICIT_LE, XRAY_DOSE_SR);
    e.dose_report_header();
    e.header(0x0008, 0x1115, b"SQ", UNDEFINED);
    for _ in 0..1_000_000 {
        e.item_header(0);
    }
    e.seq_end();
    assert!(e.buf.len() > 8_000_000);
    let options = Options::new().max_items(100_000);
    let err = run("1,000,000 empty items", &e.buf, &options);
    assert_limit(&err, Limit::Items, 100_001, 100_000);

    // The same as content items: the content tree is capped too.
    let mut e = Enc::file(EXPLICIT_LE, XRAY_DOSE_SR);
    e.dose_report_header();
    e.header(0x0040, 0xA730, b"SQ", UNDEFINED);
    for _ in 0..1_000_000 {
        e.item_header(0);
    }
    e.seq_end();
    let err = run("1,000,000 empty content items", &e.buf, &options);
    assert!(
        matches!(
            err,
            Error::LimitExceeded {
                limit: Limit::Items,
                max: 100_000,
                ..
            }
        ),
        "{err}"
    );
}

// ---- (d) oversized input ------------------------------------------------------------------

#[test]
fn input_larger_than_max_input_size_is_an_input_size_limit() {
    let mut e = Enc::file(EXPLICIT_LE, XRAY_DOSE_SR);
    e.dose_report_header();
    e.text(0x0040, 0xA160, b"UT", &"x".repeat(4000));
    let len = e.buf.len() as u64;
    let err = run(
        "4 KB input, max 1000",
        &e.buf,
        &Options::new().max_input_size(1000),
    );
    assert_limit(&err, Limit::InputSize, len, 1000);

    // A file: refused before it is read (no buffer of its size is allocated).
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("limits_big_input.dcm");
    let mut big = e.buf.clone();
    big.resize(8 * MIB, 0);
    std::fs::write(&path, &big).expect("write temp file");
    drop(big);
    let options = Options::new().max_input_size(MIB as u64);
    let (err, peak) = common::thread_peak_during(|| options.parse_file(&path));
    let err = err.expect_err("8 MiB file with max 1 MiB");
    assert_limit(&err, Limit::InputSize, 8 * MIB as u64, MIB as u64);
    assert_eq!(err.location().file.as_deref(), Some(path.as_path()));
    assert!(peak < MIB, "{peak} bytes of heap to refuse a file");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn deflated_data_set_inflating_beyond_max_input_size_is_an_input_size_limit() {
    use std::io::Write;
    // 16 MiB of zeros deflate to a few KiB.
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; MIB];
    for _ in 0..16 {
        z.write_all(&zeros).expect("deflate");
    }
    drop(zeros);
    let body = z.finish().expect("deflate");
    let mut e = Enc::file("1.2.840.10008.1.2.1.99", XRAY_DOSE_SR);
    e.buf.extend_from_slice(&body);
    assert!(e.buf.len() < 64 * 1024, "{} bytes", e.buf.len());
    let options = Options::new().max_input_size(4 * MIB as u64);
    let err = run("deflate bomb", &e.buf, &options);
    assert!(
        matches!(err, Error::LimitExceeded { limit: Limit::InputSize, max, .. } if max == 4 * MIB as u64),
        "{err}"
    );
}
