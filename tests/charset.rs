//! Text whose bytes are invalid in the declared character set (`src/load/charset.rs`): read as
//! dicom-object reads it, the original bytes recoverable, one `charset.*` diagnostic per kind
//! naming the attribute and the SR path of the first occurrence with a count (Info in lenient
//! mode, Warning in strict mode, the same text).

use rdsr::{Diagnostic, Options, Severity};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn charset_diagnostics(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| d.code.as_str().starts_with("charset."))
        .collect()
}

/// The one `charset.*` diagnostic of a fixture, in lenient and strict mode (the same code,
/// path and text; Info and Warning), from the SR tree and from the report.
fn the_one_diagnostic(name: &str) -> Diagnostic {
    let bytes = fixture(name);
    let lenient = Options::new().read_document(&bytes).expect("read");
    let found = charset_diagnostics(lenient.diagnostics());
    assert_eq!(found.len(), 1, "{name}: {found:#?}");
    let lenient = found[0].clone();
    assert_eq!(lenient.severity, Severity::Info, "{name}");

    let strict_doc = Options::new()
        .strict(true)
        .read_document(&bytes)
        .expect("read");
    let strict = charset_diagnostics(strict_doc.diagnostics());
    assert_eq!(strict.len(), 1, "{name}: {strict:#?}");
    assert_eq!(strict[0].severity, Severity::Warning, "{name}");
    assert_eq!(strict[0].code, lenient.code);
    assert_eq!(strict[0].path, lenient.path);
    assert_eq!(strict[0].message, lenient.message);

    for options in [Options::new(), Options::new().strict(true)] {
        let report = options.parse_bytes(&bytes).expect("parse");
        let in_report = charset_diagnostics(&report.diagnostics);
        assert_eq!(in_report.len(), 1, "{name}: {in_report:#?}");
        assert_eq!(in_report[0].message, lenient.message);
    }
    lenient
}

#[test]
fn latin1_degree_under_iso2022_reads_degree_sign_with_one_diagnostic() {
    let name = "charset_iso2022_latin1_degree.dcm";
    let bytes = fixture(name);
    let doc = Options::new().read_document(&bytes).expect("read");
    let units: Vec<_> = doc
        .items()
        .filter_map(|i| i.num().and_then(|n| n.unit))
        .filter(|u| u.value == "deg")
        .collect();
    assert_eq!(units.len(), 30);
    assert!(units.iter().all(|u| u.meaning == "°"), "{units:?}");
    // The first angle: the primary angle of the first event (item 6 of the root).
    let first = doc
        .items()
        .find(|i| {
            i.num()
                .and_then(|n| n.unit)
                .is_some_and(|u| u.value == "deg")
        })
        .expect("an angle");
    let d = the_one_diagnostic(name);
    assert_eq!(d.code.as_str(), "charset.byte_outside_repertoire");
    assert_eq!(d.path.as_deref(), Some(first.path().to_string().as_str()));
    assert_eq!(
        d.message,
        format!(
            "30 text values with a byte >= 0x80 where \\ISO 2022 IR 87 designates no G1 set; \
             read as ISO-8859-1; first: (0008,0104) CodeMeaning in content item {}",
            first.path()
        )
    );
}

#[test]
fn latin1_degree_bytes_are_recoverable_from_the_text() {
    let bytes = fixture("charset_iso2022_latin1_degree.dcm");
    let doc = Options::new().read_document(&bytes).expect("read");
    let unit = doc
        .items()
        .find_map(|i| i.num().and_then(|n| n.unit).filter(|u| u.value == "deg"))
        .expect("a unit");
    let back: Vec<u8> = unit
        .meaning
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("below U+0100"))
        .collect();
    assert_eq!(back, [0xB0]);
}

#[test]
fn escape_to_an_undeclared_set_in_a_header_attribute_reads_latin1_with_one_diagnostic() {
    let name = "charset_iso2022_unknown_escape.dcm";
    let report = rdsr::parse_bytes(&fixture(name)).expect("parse");
    let d = the_one_diagnostic(name);
    assert_eq!(d.code.as_str(), "charset.unknown_escape");
    assert_eq!(d.path, None);
    assert_eq!(
        d.message,
        "1 text value with an escape sequence to a character set \\ISO 2022 IR 87 does not \
         declare; read as ISO-8859-1; first: (0008,1010) StationName outside the SR content tree"
    );
    let json = serde_json::to_string(&report).expect("json");
    assert!(json.contains(r#""CT\u001b$)C°¡""#), "{json}");
}

#[test]
fn truncated_two_byte_run_in_an_sr_text_reads_latin1_with_one_diagnostic() {
    let name = "charset_iso2022_truncated_sequence.dcm";
    let bytes = fixture(name);
    let doc = Options::new().read_document(&bytes).expect("read");
    let comment = doc
        .items()
        .find(|i| i.concept().is_some_and(|c| c.value == "121106"))
        .expect("the comment");
    assert_eq!(comment.text(), Some("Operator \u{1b}$B;3E\u{1b}(B on duty"));
    let d = the_one_diagnostic(name);
    assert_eq!(d.code.as_str(), "charset.truncated_sequence");
    assert_eq!(d.path, Some(comment.path().to_string()));
    assert!(
        d.message.starts_with(
            "1 text value with a two-byte character of \\ISO 2022 IR 87 cut short; read as \
             ISO-8859-1; first: (0040,A160) TextValue in content item"
        ),
        "{}",
        d.message
    );
}

#[test]
fn escape_in_a_code_string_is_kept_with_one_diagnostic() {
    let name = "charset_escape_in_code_string.dcm";
    let bytes = fixture(name);
    let ds = rdsr::internals::read_dataset(&bytes, &rdsr::ReadOptions::new()).expect("read");
    let node = ds
        .find(None, dicom_core::Tag(0x0028, 0x0301))
        .expect("Burned In Annotation");
    assert_eq!(ds.ascii(node), Some("\u{1b}(BNO"));
    let d = the_one_diagnostic(name);
    assert_eq!(d.code.as_str(), "charset.escape_in_vr");
    assert_eq!(d.path, None);
    assert_eq!(
        d.message,
        "1 text value with an ISO 2022 escape in a value whose VR does not allow it; kept as \
         read; first: (0028,0301) BurnedInAnnotation outside the SR content tree"
    );
}

#[test]
fn valid_iso2022_fixtures_have_no_charset_diagnostic() {
    for name in [
        "projection_minimal.dcm",
        "ct_minimal.dcm",
        "ct_enhanced_sr.dcm",
    ] {
        let report = rdsr::parse_bytes(&fixture(name)).expect("parse");
        assert!(
            charset_diagnostics(&report.diagnostics).is_empty(),
            "{name}: {:#?}",
            report.diagnostics
        );
    }
}

#[test]
fn valid_jis_x_0208_under_iso2022_is_decoded_without_diagnostic() {
    let bytes = fixture("charset_iso2022_japanese.dcm");
    let report = rdsr::parse_bytes(&bytes).expect("parse");
    assert!(
        charset_diagnostics(&report.diagnostics).is_empty(),
        "{:#?}",
        report.diagnostics
    );
    let doc = Options::new().read_document(&bytes).expect("read");
    let comment = doc
        .items()
        .find(|i| i.concept().is_some_and(|c| c.value == "121106"))
        .expect("the comment");
    assert_eq!(comment.text(), Some("Operator やまだ"));
    let ds = doc.dataset();
    let name = ds
        .find(None, dicom_core::Tag(0x0010, 0x0010))
        .and_then(|i| ds.decoded_text(i));
    assert_eq!(name.as_deref(), Some("山田^太郎"));
}

#[test]
fn dicom_object_reads_the_same_degree_sign() {
    use dicom_core::Tag;
    let path = format!(
        "{}/testdata/charset_iso2022_latin1_degree.dcm",
        env!("CARGO_MANIFEST_DIR")
    );
    let obj = dicom_object::OpenFileOptions::new()
        .open_file(&path)
        .expect("dicom-object opens it");
    let mut meanings = Vec::new();
    let mut stack: Vec<&dicom_object::InMemDicomObject> = vec![&obj];
    while let Some(o) = stack.pop() {
        let value = o.get(Tag(0x0008, 0x0100)).and_then(|e| e.to_str().ok());
        if value.as_deref() == Some("deg") {
            let meaning = o.get(Tag(0x0008, 0x0104)).and_then(|e| e.to_str().ok());
            meanings.push(meaning.map(|m| m.trim_end().to_string()));
        }
        for e in o.iter() {
            if let Some(items) = e.items() {
                stack.extend(items.iter());
            }
        }
    }
    assert_eq!(meanings.len(), 30);
    assert!(
        meanings.iter().all(|m| m.as_deref() == Some("°")),
        "{meanings:?}"
    );
}
