//! The error and diagnostic contract: messages, source chains, kinds, the quirk table's errors
//! and the closed set of diagnostic codes. One test per defect, named after what it protects.

use std::error::Error as _;
use std::path::Path;
use std::str::FromStr;

use rdsr::quirks::{QuirkErrorKind, QuirkTable};
use rdsr::{DiagnosticCode, Error, ErrorKind, MalformedReason, Options};

fn testdata(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name)
}

/// Every message of an error's chain, outermost first.
fn chain(e: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push(c.to_string());
        cause = c.source();
    }
    out
}

/// No message of the chain repeats the message of a cause below it, so that reporters that
/// print the chain print each cause once.
fn assert_no_repeated_cause(e: &(dyn std::error::Error + 'static)) {
    let messages = chain(e);
    for (i, outer) in messages.iter().enumerate() {
        for inner in messages.iter().skip(i + 1) {
            assert!(
                !outer.contains(inner.as_str()),
                "{outer:?} repeats its cause {inner:?} (chain {messages:?})"
            );
        }
    }
}

/// An explicit VR little endian bare data set whose one element declares 100 bytes and has 3.
fn value_past_the_end() -> Vec<u8> {
    let mut b = vec![0x08, 0x00, 0x16, 0x00, b'U', b'I', 100, 0];
    b.extend_from_slice(b"1.2");
    b
}

#[test]
fn parse_bytes_error_message_has_no_leading_colon() {
    let e = rdsr::parse_bytes(b"hello, not a dicom file").expect_err("not DICOM");
    assert_eq!(e.kind(), ErrorKind::NotDicom);
    assert_eq!(e.location(), &rdsr::Location::default());
    let msg = e.to_string();
    assert!(msg.starts_with("not DICOM: "), "{msg}");

    let e = rdsr::parse_bytes(&value_past_the_end()).expect_err("malformed");
    let msg = e.to_string();
    assert!(!msg.starts_with(':'), "{msg}");
    assert_eq!(
        msg,
        "byte 8: malformed DICOM: value length 100 of (0008,0016) exceeds the 3 bytes that remain"
    );
    // With a file, the file comes first.
    let e = e.with_file("x.dcm");
    assert!(
        e.to_string()
            .starts_with("x.dcm: byte 8: malformed DICOM: ")
    );
}

#[test]
fn malformed_reason_is_typed_with_tag_and_lengths() {
    let e = rdsr::parse_bytes(&value_past_the_end()).expect_err("malformed");
    assert_eq!(e.kind(), ErrorKind::Malformed);
    assert_eq!(
        e.malformed_reason(),
        Some(MalformedReason::ValueLength {
            tag: rdsr_tag(0x0008, 0x0016),
            length: 100,
            remaining: 3,
        })
    );
    assert_eq!(e.location().offset, Some(8));
    assert!(matches!(
        e,
        Error::Malformed {
            reason: MalformedReason::ValueLength { length: 100, .. },
            ..
        }
    ));
}

fn rdsr_tag(group: u16, element: u16) -> dicom_core::Tag {
    dicom_core::Tag(group, element)
}

#[test]
fn io_error_cause_is_not_repeated_in_the_chain() {
    let missing = Path::new(env!("CARGO_TARGET_TMPDIR")).join("errors-no-such-file.dcm");
    let e = rdsr::parse_file(&missing).expect_err("no such file");
    assert_eq!(e.kind(), ErrorKind::Io);
    let io = e
        .source()
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .expect("the io error is the source");
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
    assert_eq!(e.to_string(), format!("{}: i/o error", missing.display()));
    assert_no_repeated_cause(&e);
    assert_eq!(chain(&e).len(), 2);
}

#[test]
fn error_kind_and_variant_share_the_name_not_a_dose_report() {
    let e = rdsr::parse_file(testdata("non_dose_sr.dcm")).expect_err("not a dose report");
    assert!(matches!(e, Error::NotADoseReport { .. }), "{e:?}");
    assert_eq!(e.kind(), ErrorKind::NotADoseReport);
    // The serialised kind keeps its name.
    assert_eq!(
        serde_json::to_string(&ErrorKind::NotADoseReport).expect("serialises"),
        "\"not_dose_report\""
    );
    assert_eq!(
        serde_json::from_str::<ErrorKind>("\"not_dose_report\"").expect("reads"),
        ErrorKind::NotADoseReport
    );
    assert_eq!(
        serde_json::to_string(&ErrorKind::QuirkTable).expect("serialises"),
        "\"quirk_table\""
    );
}

#[test]
fn quirk_error_converts_into_error_keeping_the_io_source() {
    let missing = Path::new(env!("CARGO_TARGET_TMPDIR")).join("errors-no-such-quirk-dir");
    let qe = Options::new()
        .quirk_dir(&missing)
        .expect_err("no such folder");
    assert_eq!(qe.kind, QuirkErrorKind::Io);
    assert_eq!(
        qe.io_error().map(std::io::Error::kind),
        Some(std::io::ErrorKind::NotFound)
    );
    assert_no_repeated_cause(&qe);

    let e: Error = qe.clone().into();
    assert_eq!(e.kind(), ErrorKind::QuirkTable);
    let source = e.source().expect("the quirk error is the source");
    assert_eq!(source.downcast_ref::<rdsr::quirks::QuirkError>(), Some(&qe));
    let io = source
        .source()
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .expect("the io error stays an io error");
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
    assert_no_repeated_cause(&e);
    assert_eq!(chain(&e).len(), 3);

    // `?` converts.
    fn configure(dir: &Path) -> Result<Options, Error> {
        Ok(Options::new().quirk_dir(dir)?)
    }
    assert_eq!(
        configure(&missing).expect_err("fails").kind(),
        ErrorKind::QuirkTable
    );
}

/// A user entry whose id is also a shipped entry's id (a copy of a shipped file).
fn entry_with_a_shipped_id() -> QuirkTable {
    let (_, text) = rdsr::quirks::shipped_files()
        .first()
        .expect("a shipped file");
    QuirkTable::parse("local.toml", text).expect("parses")
}

#[test]
fn broken_quirk_table_is_error_kind_quirk_table_not_unsupported() {
    // Valid alone; the shipped table turned back on defines the id again.
    let options = Options::new()
        .shipped_quirks(false)
        .quirks(entry_with_a_shipped_id())
        .expect("valid without the shipped table")
        .shipped_quirks(true);
    let bytes = std::fs::read(testdata("ct_minimal.dcm")).expect("testdata");
    let e = options.parse_bytes(&bytes).expect_err("broken table");
    assert_eq!(e.kind(), ErrorKind::QuirkTable, "{e}");
    assert_eq!(e.to_string(), "broken quirk table");
    let qe = e
        .source()
        .and_then(|s| s.downcast_ref::<rdsr::quirks::QuirkError>())
        .expect("the quirk error is the source");
    assert_eq!(qe.kind, QuirkErrorKind::DuplicateId);
    assert_eq!(qe.file, "local.toml");
    assert_no_repeated_cause(&e);

    let doc = options.read_document(&bytes).expect("reads");
    let e = options.explain_quirks(&doc).expect_err("broken table");
    assert_eq!(e.kind(), ErrorKind::QuirkTable);
}

#[test]
fn disable_quirk_rejects_an_unknown_id() {
    let e = Options::new()
        .disable_quirk("typo")
        .expect_err("no quirk has this id");
    assert_eq!(e.kind, QuirkErrorKind::UnknownId);
    assert_eq!(e.to_string(), "no quirk with id \"typo\" in the table");
    let e: Error = e.into();
    assert_eq!(e.kind(), ErrorKind::QuirkTable);

    // A known id is accepted and turns the entry off.
    let shipped = rdsr::quirks::shipped_table().expect("shipped table");
    let id = shipped.entries().first().expect("an entry").id.clone();
    let options = Options::new().disable_quirk(id.clone()).expect("known id");
    assert!(options.quirk_config().is_disabled(&id));
    // Without the shipped table its ids are unknown.
    assert_eq!(
        Options::new()
            .shipped_quirks(false)
            .disable_quirk(id)
            .expect_err("not in the table")
            .kind,
        QuirkErrorKind::UnknownId
    );
}

#[test]
fn every_diagnostic_code_round_trips_and_is_listed_in_the_docs() {
    let names: Vec<&str> = DiagnosticCode::ALL.iter().map(|c| c.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        names, sorted,
        "DiagnosticCode::ALL is sorted by name, no duplicates"
    );
    for &code in DiagnosticCode::ALL {
        let name = code.as_str();
        assert_eq!(code.to_string(), name);
        assert_eq!(DiagnosticCode::from_str(name), Ok(code));
        let json = serde_json::to_string(&code).expect("serialises");
        assert_eq!(json, format!("\"{name}\""));
        assert_eq!(
            serde_json::from_str::<DiagnosticCode>(&json).expect("reads"),
            code
        );
        assert!(
            name.split('.').count() >= 2
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._".contains(c)),
            "{name}"
        );
    }
    let unknown = "num.no_such_code"
        .parse::<DiagnosticCode>()
        .expect_err("unknown");
    assert_eq!(unknown.name(), "num.no_such_code");
    assert!(serde_json::from_str::<DiagnosticCode>("\"num.no_such_code\"").is_err());

    // docs/diagnostics.md lists exactly these codes, in this order.
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"))
            .expect("docs/diagnostics.md");
    let documented: Vec<&str> = docs
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`').map(|(code, _)| code))
        .collect();
    assert_eq!(documented, names);
    for line in docs.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split(" | ").collect();
        assert!(
            cells.len() == 3 && cells.iter().all(|c| c.trim_matches('|').trim().len() > 3),
            "a code with its meaning and typical cause: {line}"
        );
    }
}

#[test]
fn diagnostic_json_keeps_the_dotted_code() {
    let d = rdsr::Diagnostic::new(
        rdsr::Severity::Info,
        None,
        DiagnosticCode::CharsetUtf8Detected,
        "m",
    );
    let json = serde_json::to_string(&d).expect("serialises");
    assert_eq!(
        json,
        r#"{"severity":"info","path":null,"code":"charset.utf8_detected","message":"m"}"#
    );
    assert_eq!(
        serde_json::from_str::<rdsr::Diagnostic>(&json).expect("reads"),
        d
    );
    assert_eq!(d.to_string(), "info [charset.utf8_detected]: m");
}
