//! Differential test against dicom-object: every element the reader keeps equals what
//! dicom-object reads from the same bytes (tag, VR, value), the file meta information agrees
//! with dicom-object's meta table, and the SR content tree built by the crate equals the one a
//! small reference walker builds from dicom-object's `InMemDicomObject`.
//!
//! The comparison and its rules (where the two libraries legitimately differ) are in
//! `fuzz/src/differential.rs`, shared with the `differential` fuzz target. Here, on real files
//! and the crate's fixtures, nothing may fall under a "not compared" rule, and two rules
//! concern opening the files:
//!
//! * Deflated files (dicom-object is built without its `deflate` feature): the data set is
//!   inflated here and dicom-object reads it; files whose file meta group dicom-object refuses
//!   (strict UID check): dicom-object reads the data set alone (see [`open`]). Both are counted
//!   and printed. Any other file dicom-object cannot open is printed and skipped, and fails the
//!   test unless it is deflated; a file dicom-object reads that the reader rejects fails it.
//!
//! Synthetic reports (every SR value type, in three transfer syntaxes; a by-reference item) go
//! through the same comparison.

mod common;
// The comparison itself (elements, file meta, SR trees) is shared with the `differential`
// fuzz target, so the real files and the fuzz inputs are held to the same rules.
#[allow(dead_code)] // the fuzz target's entry point and counters are not used here
#[path = "../fuzz/src/differential.rs"]
mod differential;

use dicom_object::{InMemDicomObject, OpenFileOptions};
use differential::{Cx, Side, compare_trees};
use rdsr::internals::Dataset;
use rdsr::{MisdeclaredText, Options};

const MAX_FAILURES_SHOWN: usize = 60;

/// The bytes of a regression fixture of the `differential` fuzz target.
fn regression_fixture(name: &str) -> Vec<u8> {
    common::read(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/regressions/differential")
            .join(name),
    )
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
        d.transfer_syntax() == Some(rdsr::internals::transfer_syntax::DEFLATED_EXPLICIT_VR_LE)
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
        let ours = rdsr::internals::read_dataset(&bytes, options.reader());
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
        let side = Side { ds: &ds };
        match &opened {
            Opened::File(file) => side.meta(&mut cx, file.meta(), obj, &input.name),
            Opened::Inflated(meta, _) => {
                side.meta(&mut cx, meta, obj, &input.name);
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
    // The "not compared" rules are for malformed input (fuzzing): a real file or a fixture
    // must be compared in full.
    assert!(
        cx.not_compared.is_empty(),
        "values left uncompared: {:#?}",
        cx.not_compared
    );
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
        let ds = rdsr::internals::read_dataset(&bytes, options.reader());
        let ts = ds
            .as_ref()
            .ok()
            .and_then(|d| d.transfer_syntax().map(str::to_string));
        assert_eq!(
            ts.as_deref(),
            Some(rdsr::internals::transfer_syntax::DEFLATED_EXPLICIT_VR_LE),
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
    let ds = rdsr::internals::read_dataset(bytes, options.reader())
        .unwrap_or_else(|e| panic!("{name}: the reader refuses it: {e}"));
    let obj = OpenFileOptions::new()
        .from_reader(bytes)
        .unwrap_or_else(|e| panic!("{name}: dicom-object refuses it: {e}"));
    let mut cx = Cx::default();
    let side = Side { ds: &ds };
    side.meta(&mut cx, obj.meta(), &obj, name);
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
    assert!(
        cx.not_compared.is_empty(),
        "values left uncompared: {:#?}",
        cx.not_compared
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

/// The differential fuzz target's regression fixtures (reports the crate's builder wrote, then
/// broken the way a fuzzer broke them): both readers read each, they agree, and where a rule
/// for malformed input applies it is the one named.
#[test]
fn fuzz_regression_fixtures_compare_under_their_rules() {
    // (fixture, what falls under a "not compared" rule: one entry each)
    let cases: &[(&str, &[&str])] = &[
        // dicom-object drops (0002,00E9) and recomputes a shorter group length.
        (
            "meta-group-with-unmodelled-element.dcm",
            &["meta (0002,0000): the meta group is not one dicom-object recomputes"],
        ),
        // Implementation Version Name "RDSR_BUIL\xB4ER": both read the same name, but
        // dicom-object recomputes the group length from its decoded form (U+FFFD, three bytes).
        (
            "meta-text-with-non-ascii-byte.dcm",
            &["meta (0002,0000): the meta group is not one dicom-object recomputes"],
        ),
        // (FFFE,E0DD) among the top-level elements: ignored by the reader, an element to
        // dicom-object.
        (
            "stray-sequence-delimiter-in-data-set.dcm",
            &["(FFFE,E0DD): stray sequence delimiter"],
        ),
        // A UIDREF value with the byte 0xD4: not decodable as an element; absent in our tree,
        // dicom-object's escape `\324` in the reference's.
        (
            "uidref-with-non-ascii-byte.dcm",
            &[
                "(0040,A124) UI: a byte outside the default repertoire",
                "SR item 1.3 text: a byte outside ASCII in an ASCII VR",
            ],
        ),
        // A Text Value (0040,A160) written with VR OB: the reader takes its bytes as text,
        // dicom-object holds them as bytes; the same text in both trees.
        ("text-value-written-as-ob.dcm", &[]),
        // (0002,0003) mutated to (0002,1001): dicom-object fills Media Storage SOP Instance
        // UID from the SOP Instance UID (0008,0018).
        (
            "meta-without-media-storage-sop-instance-uid.dcm",
            &[
                "meta (0002,0003): absent, dicom-object's own or inferred value",
                "meta (0002,0000): the meta group is not one dicom-object recomputes",
            ],
        ),
        // (0002,0012) mutated to (0002,8012): dicom-object writes its own implementation class
        // UID and version name.
        (
            "meta-without-implementation-class-uid.dcm",
            &[
                "meta (0002,0013) implementation_version_name: dicom-object's own",
                "meta (0002,0012): absent, dicom-object's own",
                "meta (0002,0000): the meta group is not one dicom-object recomputes",
            ],
        ),
        // Item 1.12.6.5 holds (0040,A010) twice (a mangled value, then CONTAINS): both read
        // the last one.
        ("duplicated-relationship-type-in-item.dcm", &[]),
        // (0002,0003) mutated to a second (0002,0010): both read the last transfer syntax.
        (
            "duplicated-transfer-syntax-in-meta.dcm",
            &[
                "meta (0002,0000): the meta group is not one dicom-object recomputes",
                "meta (0002,0003): absent, dicom-object's own or inferred value",
            ],
        ),
        // Implementation Version Name "RD\xFFR_BUILDER" in a big-endian ISO_IR 192 file: the
        // meta group is not in the data set's character set, so not invalid UTF-8 but "RDÿR...".
        (
            "meta-text-not-decodable.dcm",
            &[
                "meta (0002,0000): the meta group is not one dicom-object recomputes",
                "(0040,A491) CS: a byte outside the default repertoire",
            ],
        ),
        // Implicit VR with Pixel Representation 1, then (0028,0106) and (0028,0107): "US or
        // SS" elements are SS for both.
        ("signed-pixel-range-implicit-vr.dcm", &[]),
        // (0002,0002) mutated to (0002,0000); the SOP Class UID dicom-object takes instead has
        // undecodable bytes (escapes in dicom-object's, U+FFFD in ours).
        (
            "meta-sop-class-inferred-from-undecodable-uid.dcm",
            &[
                "meta (0002,0000): the meta group is not one dicom-object recomputes",
                "meta (0002,0002): absent, dicom-object's own or inferred value",
                "(0008,0016) UI: a byte outside the default repertoire",
                "(0040,A491) CS: a byte outside the default repertoire",
            ],
        ),
        // Explicit VR US (0028,0106) and (0028,0107) after Pixel Representation 1: dicom-object
        // says SS, the reader the VR the file states; the values agree.
        (
            "signed-pixel-range-explicit-us.dcm",
            &[
                "(0028,0106): explicit US read as SS by dicom-object",
                "(0028,0107): explicit US read as SS by dicom-object",
            ],
        ),
        // Relationship "CONTA\xECNS" under ISO_IR 101: "CONTAěNS" in ours (the declared set),
        // "CONTAìNS" in dicom-object's; a CS holds no such byte.
        (
            "code-string-outside-default-repertoire.dcm",
            &["(0040,A010) CS: a byte outside the default repertoire"],
        ),
        // (0002,0001) retagged (0002,0100): no version, and a private information creator UID
        // with VR OB; dicom-object's recomputed group length counts neither as read.
        (
            "meta-version-retagged-as-private-creator.dcm",
            &["meta (0002,0000): the meta group is not one dicom-object recomputes"],
        ),
        // (0002,0002) retagged; the SOP Class UID dicom-object takes instead holds a literal
        // backslash before digits and undecodable bytes ("1.2.841\\20008...\\322...").
        (
            "meta-sop-class-inferred-from-uid-with-backslash.dcm",
            &[
                "meta (0002,0000): the meta group is not one dicom-object recomputes",
                "meta (0002,0002): absent, dicom-object's own or inferred value",
                "(0008,0016) UI: a byte outside the default repertoire",
                "(0040,A491) CS: a byte outside the default repertoire",
            ],
        ),
        // (0002,0002) retagged; Specific Character Set with VR SS: dicom-object decodes the
        // SOP Class UID it infers from as Latin-1 ("...4.1â1.88.67").
        (
            "meta-sop-class-inferred-with-mangled-charset.dcm",
            &[
                "meta (0002,0000): the meta group is not one dicom-object recomputes",
                "meta (0002,0002): absent, dicom-object's own or inferred value",
                "(FFFE,E0DD): stray sequence delimiter",
                "(0008,0016) UI: a byte outside the default repertoire",
                "(0040,A491) CS: a byte outside the default repertoire",
            ],
        ),
        // Big endian; a Numeric Value (0040,A30A) with a binary VR: its bytes, read as text in
        // the file's order, are "40" to both.
        (
            "numeric-value-as-binary-big-endian.dcm",
            &[
                "(0040,A043)[0](0008,0104) LO: text not decodable as declared",
                "(0040,A730)[7](0040,A730)[0](0040,A043)[0](0008,0104) LO: text not decodable",
                "SR item 1 concept: text not decodable as declared",
                "SR item 1.8.1 concept: text not decodable as declared",
            ],
        ),
        // Implementation Version Name "RDSR\xA1BUILDER" in a file declaring ISO_IR 101: the
        // meta group is in the default repertoire (PS3.10 7.1), so both read "RDSR¡BUILDER".
        (
            "meta-text-under-data-set-charset.dcm",
            &["meta (0002,0000): the meta group is not one dicom-object recomputes"],
        ),
        // A second (FFFE,E0DD) after a sequence, then four elements: the reader reads them,
        // dicom-object stops at the delimiter.
        (
            "stray-sequence-delimiter-before-elements.dcm",
            &[
                "meta (0002,0000): the meta group is not one dicom-object recomputes",
                "meta (0002,0002): absent, dicom-object's own or inferred value",
                "(FFFE,E0DD): stray sequence delimiter",
                "(0040,A040): after a stray sequence delimiter",
                "(0040,A043): after a stray sequence delimiter",
                "(0040,A372): after a stray sequence delimiter",
                "(0040,A491): after a stray sequence delimiter",
                "SR tree: dicom-object stopped reading at a stray sequence delimiter",
            ],
        ),
        // "CONTAIN\xB4" under ISO_IR 100 ("CONTAIN´"): OTHER on both sides (the reference
        // walker used to read a non-ASCII relationship type as absent).
        ("relationship-type-with-non-ascii-byte.dcm", &[]),
        // A lone 0xE5 in a Code Meaning under ISO_IR 192: the element and the item's concept.
        (
            "concept-meaning-not-decodable.dcm",
            &[
                "(0008,0104) LO: text not decodable as declared",
                "SR item 1.11.13 concept: text not decodable as declared",
            ],
        ),
    ];
    for (name, rules) in cases {
        let bytes = regression_fixture(name);
        let options = Options::new()
            .max_depth(256)
            .misdeclared_text(MisdeclaredText::AsDeclared);
        let ds = rdsr::internals::read_dataset(&bytes, options.reader())
            .unwrap_or_else(|e| panic!("{name}: the reader refuses it: {e}"));
        let obj = OpenFileOptions::new()
            .from_reader(bytes.as_slice())
            .unwrap_or_else(|e| panic!("{name}: dicom-object refuses it: {e}"));
        let mut cx = Cx::default();
        let side = Side { ds: &ds };
        side.meta(&mut cx, obj.meta(), &obj, name);
        side.level(&mut cx, ds.top_level().collect(), &obj, name);
        // The SR tree too, when the fixture is still a dose report.
        if let Ok(doc) = options.read_document(&bytes) {
            compare_trees(&mut cx, name, &doc, &obj);
        }
        assert!(cx.failures.is_empty(), "{name}: {:#?}", cx.failures);
        assert_eq!(
            cx.not_compared.len(),
            rules.len(),
            "{name}: {:#?}",
            cx.not_compared
        );
        for rule in *rules {
            assert!(
                cx.not_compared.iter().any(|s| s.contains(rule)),
                "{name}: nothing under the rule {rule:?}: {:#?}",
                cx.not_compared
            );
        }
    }
}

/// A content item with a duplicated attribute: the last one is read (as dicom-object and
/// pydicom read it), with a `sr.duplicate_attribute` warning naming the item.
#[test]
fn duplicated_attribute_in_a_content_item_reads_the_last_one() {
    let bytes = regression_fixture("duplicated-relationship-type-in-item.dcm");
    let doc = rdsr::read_document(&bytes).expect("read as a dose report");
    let item = doc
        .items()
        .find(|i| i.path().to_string() == "1.12.6.5")
        .expect("item 1.12.6.5");
    assert_eq!(item.relationship(), Some(rdsr::sr::Relationship::Contains));
    let warning = doc
        .diagnostics()
        .iter()
        .find(|d| d.code == rdsr::DiagnosticCode::SrDuplicateAttribute)
        .expect("a duplicate-attribute diagnostic");
    assert_eq!(warning.path.as_deref(), Some("1.12.6.5"));
    assert!(
        warning.message.contains("(0040,A010)"),
        "{}",
        warning.message
    );
}

/// A duplicated Transfer Syntax UID in the file meta group: the last one is the transfer
/// syntax, as for any duplicated element.
#[test]
fn duplicated_transfer_syntax_reads_the_last_one() {
    let bytes = regression_fixture("duplicated-transfer-syntax-in-meta.dcm");
    let ds = rdsr::internals::read_dataset(&bytes, &rdsr::ReadOptions::new()).expect("read");
    assert_eq!(ds.transfer_syntax(), Some("1.2.840.10008.1.2.1"));
}

/// Implicit VR "US or SS" elements take their VR from the Pixel Representation read before
/// them (PS3.5 Annex A): SS after a signed one.
#[test]
fn implicit_us_or_ss_follows_pixel_representation() {
    let bytes = regression_fixture("signed-pixel-range-implicit-vr.dcm");
    let ds = rdsr::internals::read_dataset(&bytes, &rdsr::ReadOptions::new()).expect("read");
    let vr_of = |element| {
        let i = ds
            .find(None, dicom_core::Tag(0x0028, element))
            .expect("element");
        ds.node(i).map(|n| n.vr)
    };
    assert_eq!(vr_of(0x0103), Some(dicom_core::VR::US));
    assert_eq!(vr_of(0x0106), Some(dicom_core::VR::SS));
    assert_eq!(vr_of(0x0107), Some(dicom_core::VR::SS));
}

/// File meta text is in the default repertoire whatever the data set declares (PS3.10 7.1):
/// the data set's ISO_IR 101 does not decode the Implementation Version Name.
#[test]
fn meta_text_ignores_the_data_set_character_set() {
    let bytes = regression_fixture("meta-text-under-data-set-charset.dcm");
    let options = Options::new().misdeclared_text(MisdeclaredText::AsDeclared);
    let ds = rdsr::internals::read_dataset(&bytes, options.reader()).expect("read");
    let version = ds
        .meta()
        .iter()
        .position(|n| n.tag == dicom_core::Tag(0x0002, 0x0013))
        .and_then(|i| ds.decoded_text(i as u32))
        .expect("implementation version name");
    assert_eq!(version, "RDSR\u{A1}BUILDER");
}
