//! Round-trip tests: build reports in memory, read them back with
//! dicom-object, and check concrete values.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Read;

use dicom_core::header::HasLength;
use dicom_core::{Tag, VR};
use dicom_dictionary_std::tags;
use dicom_object::{DefaultDicomObject, FileMetaTable, FileMetaTableBuilder, InMemDicomObject};

use super::*;

/// Reads a file written with preamble and file meta group.
fn read(bytes: &[u8]) -> DefaultDicomObject {
    assert_eq!(&bytes[128..132], b"DICM");
    dicom_object::from_reader(&bytes[128..]).expect("dicom-object reads the file")
}

/// Reads a Deflated Explicit VR Little Endian file: dicom-object is built
/// without its `deflate` feature, so inflate here and re-wrap the data set
/// as Explicit VR Little Endian.
fn read_deflated(bytes: &[u8]) -> (DefaultDicomObject, Vec<u8>) {
    let meta = FileMetaTable::from_reader(&bytes[128..]).unwrap();
    assert_eq!(
        meta.transfer_syntax(),
        TransferSyntax::DeflatedExplicitVrLittleEndian.uid()
    );
    let meta_end = 132 + 12 + meta.information_group_length as usize;
    let mut inflated = Vec::new();
    flate2::read::DeflateDecoder::new(&bytes[meta_end..])
        .read_to_end(&mut inflated)
        .unwrap();
    let le_meta = FileMetaTableBuilder::new()
        .media_storage_sop_class_uid(meta.media_storage_sop_class_uid())
        .media_storage_sop_instance_uid(meta.media_storage_sop_instance_uid())
        .transfer_syntax(TransferSyntax::ExplicitVrLittleEndian.uid())
        .build()
        .unwrap();
    let mut rebuilt = b"DICM".to_vec();
    le_meta.write(&mut rebuilt).unwrap();
    rebuilt.extend_from_slice(&inflated);
    (dicom_object::from_reader(&rebuilt[..]).unwrap(), inflated)
}

fn str_of(obj: &InMemDicomObject, tag: Tag) -> String {
    obj.element(tag).unwrap().to_str().unwrap().into_owned()
}

fn items(obj: &InMemDicomObject, tag: Tag) -> &[InMemDicomObject] {
    obj.element(tag).unwrap().items().unwrap()
}

fn concept_value(item: &InMemDicomObject) -> String {
    str_of(
        &items(item, tags::CONCEPT_NAME_CODE_SEQUENCE)[0],
        tags::CODE_VALUE,
    )
}

/// Finds the first child (depth-first) whose concept name has this value.
fn find<'a>(obj: &'a InMemDicomObject, code: &str) -> Option<&'a InMemDicomObject> {
    let children = obj.get(tags::CONTENT_SEQUENCE)?.items()?;
    for child in children {
        if child.get(tags::CONCEPT_NAME_CODE_SEQUENCE).is_some() && concept_value(child) == code {
            return Some(child);
        }
        if let Some(found) = find(child, code) {
            return Some(found);
        }
    }
    None
}

fn num_value(item: &InMemDicomObject) -> (String, String) {
    let mv = &items(item, tags::MEASURED_VALUE_SEQUENCE)[0];
    let units = &items(mv, tags::MEASUREMENT_UNITS_CODE_SEQUENCE)[0];
    (
        str_of(mv, tags::NUMERIC_VALUE),
        str_of(units, tags::CODE_VALUE),
    )
}

fn check_projection(obj: &InMemDicomObject) {
    assert_eq!(str_of(obj, tags::SOP_CLASS_UID), XRAY_RADIATION_DOSE_SR);
    assert_eq!(str_of(obj, tags::MODALITY), "SR");
    assert_eq!(str_of(obj, tags::VALUE_TYPE), "CONTAINER");
    assert_eq!(str_of(obj, tags::CONTINUITY_OF_CONTENT), "SEPARATE");
    assert_eq!(str_of(obj, tags::PATIENT_NAME), "Müller^Anna");
    assert_eq!(str_of(obj, tags::MANUFACTURER), "RDSR Test Systems");
    assert_eq!(str_of(obj, tags::MANUFACTURER_MODEL_NAME), "Fluoro One");
    let template = &items(obj, tags::CONTENT_TEMPLATE_SEQUENCE)[0];
    assert_eq!(str_of(template, tags::MAPPING_RESOURCE), "DCMR");
    assert_eq!(str_of(template, tags::TEMPLATE_IDENTIFIER), "10001");
    assert_eq!(
        str_of(
            &items(obj, tags::CONCEPT_NAME_CODE_SEQUENCE)[0],
            tags::CODE_VALUE
        ),
        "113701"
    );
    assert!(items(obj, tags::REQUEST_ATTRIBUTES_SEQUENCE).is_empty());
    assert_eq!(
        str_of(
            &items(obj, tags::PROCEDURE_CODE_SEQUENCE)[0],
            tags::CODE_MEANING
        ),
        "Fluoroscopy hip"
    );

    let accumulated = find(obj, "113702").unwrap();
    assert_eq!(str_of(accumulated, tags::RELATIONSHIP_TYPE), "CONTAINS");
    let fluoro_dap = find(accumulated, "113726").unwrap();
    assert_eq!(str_of(fluoro_dap, tags::VALUE_TYPE), "NUM");
    assert_eq!(
        num_value(fluoro_dap),
        ("0.00123".to_owned(), "Gy.m2".to_owned())
    );
    let rp = find(accumulated, "113780").unwrap();
    assert_eq!(
        str_of(&items(rp, tags::CONCEPT_CODE_SEQUENCE)[0], tags::CODE_VALUE),
        "113860"
    );
    assert!(find(accumulated, "122505").is_some());

    let events: Vec<_> = items(obj, tags::CONTENT_SEQUENCE)
        .iter()
        .filter(|i| concept_value(i) == "113706")
        .collect();
    assert_eq!(events.len(), 2);
    let angle = find(events[0], "112011").unwrap();
    assert_eq!(num_value(angle), ("-12.5".to_owned(), "deg".to_owned()));
    let target = find(events[0], "123014").unwrap();
    let laterality = &items(target, tags::CONTENT_SEQUENCE)[0];
    assert_eq!(
        str_of(laterality, tags::RELATIONSHIP_TYPE),
        "HAS CONCEPT MOD"
    );
    assert_eq!(
        str_of(
            &items(laterality, tags::CONCEPT_CODE_SEQUENCE)[0],
            tags::CODE_VALUE
        ),
        "G-A101"
    );
    let event_type = find(events[1], "113721").unwrap();
    assert_eq!(
        str_of(
            &items(event_type, tags::CONCEPT_CODE_SEQUENCE)[0],
            tags::CODE_VALUE
        ),
        "113611"
    );
    let filter = find(events[0], "113771").unwrap();
    assert_eq!(str_of(filter, tags::VALUE_TYPE), "CONTAINER");
    assert_eq!(items(filter, tags::CONTENT_SEQUENCE).len(), 4);
}

fn check_ct(obj: &InMemDicomObject) {
    let template = &items(obj, tags::CONTENT_TEMPLATE_SEQUENCE)[0];
    assert_eq!(str_of(template, tags::TEMPLATE_IDENTIFIER), "10011");
    let total = find(obj, "113812").unwrap();
    assert_eq!(num_value(total), ("2".to_owned(), "{events}".to_owned()));
    let dlp_total = find(obj, "113813").unwrap();
    assert_eq!(
        num_value(dlp_total),
        ("512.34".to_owned(), "mGy.cm".to_owned())
    );
    let acquisitions: Vec<_> = items(obj, tags::CONTENT_SEQUENCE)
        .iter()
        .filter(|i| concept_value(i) == "113819")
        .collect();
    assert_eq!(acquisitions.len(), 2);
    let spiral = acquisitions[1];
    let kind = find(spiral, "113820").unwrap();
    assert_eq!(
        str_of(
            &items(kind, tags::CONCEPT_CODE_SEQUENCE)[0],
            tags::CODE_VALUE
        ),
        "P5-08001"
    );
    assert_eq!(
        num_value(find(spiral, "113828").unwrap()),
        ("1.2".to_owned(), "{ratio}".to_owned())
    );
    assert_eq!(
        num_value(find(spiral, "113830").unwrap()),
        ("12.5".to_owned(), "mGy".to_owned())
    );
    let phantom = find(spiral, "113835").unwrap();
    assert_eq!(
        str_of(
            &items(phantom, tags::CONCEPT_CODE_SEQUENCE)[0],
            tags::CODE_VALUE
        ),
        "113691"
    );
    let source = find(spiral, "113831").unwrap();
    assert_eq!(
        str_of(find(source, "113832").unwrap(), tags::TEXT_VALUE),
        "A"
    );
    assert_eq!(
        str_of(
            &items(obj, tags::REQUEST_ATTRIBUTES_SEQUENCE)[0],
            tags::REQUESTED_PROCEDURE_ID
        ),
        "RP-0456"
    );
}

#[test]
fn projection_round_trip() {
    let bytes = testdata::projection_minimal().to_bytes().unwrap();
    let file = read(&bytes);
    assert_eq!(
        file.meta().transfer_syntax(),
        TransferSyntax::ExplicitVrLittleEndian.uid()
    );
    assert_eq!(
        file.meta().media_storage_sop_class_uid(),
        XRAY_RADIATION_DOSE_SR
    );
    assert_eq!(
        file.meta().implementation_class_uid(),
        IMPLEMENTATION_CLASS_UID
    );
    check_projection(&file);
    let b = testdata::projection_minimal();
    assert_eq!(str_of(&file, tags::STUDY_INSTANCE_UID), b.study_uid());
    assert_eq!(
        str_of(&file, tags::STUDY_INSTANCE_UID),
        uid_from_seed("projection_minimal", 1)
    );
    // UTF-8 on the wire
    let needle = "Müller^Anna".as_bytes();
    assert!(bytes.windows(needle.len()).any(|w| w == needle));
}

#[test]
fn ct_round_trips() {
    let file = read(&testdata::ct_minimal().to_bytes().unwrap());
    check_ct(&file);
    assert_eq!(str_of(&file, tags::PATIENT_NAME), "Øberg^Lars");

    let file = read(&testdata::ct_implicit_vr().to_bytes().unwrap());
    assert_eq!(
        file.meta().transfer_syntax(),
        TransferSyntax::ImplicitVrLittleEndian.uid()
    );
    check_ct(&file);
}

#[test]
fn enhanced_sr_latin1() {
    let bytes = testdata::ct_enhanced_sr().to_bytes().unwrap();
    let file = read(&bytes);
    assert_eq!(str_of(&file, tags::SOP_CLASS_UID), ENHANCED_SR);
    assert_eq!(str_of(&file, tags::SPECIFIC_CHARACTER_SET), "ISO_IR 100");
    assert_eq!(str_of(&file, tags::PATIENT_NAME), "Gonçalves^Inês");
    check_ct(&file);
    let comment = find(&file, "121106").unwrap();
    assert!(str_of(comment, tags::TEXT_VALUE).contains("Patientengröße 1,75 m; Ärztin"));
    // Latin-1 bytes on the wire, not UTF-8
    let latin1: &[u8] = b"Patientengr\xf6\xdfe";
    assert!(bytes.windows(latin1.len()).any(|w| w == latin1));
    let utf8 = "größe".as_bytes();
    assert!(!bytes.windows(utf8.len()).any(|w| w == utf8));
}

#[test]
fn big_endian_round_trip() {
    let bytes = testdata::projection_big_endian().to_bytes().unwrap();
    let file = read(&bytes);
    assert_eq!(
        file.meta().transfer_syntax(),
        TransferSyntax::ExplicitVrBigEndian.uid()
    );
    check_projection(&file);
    let fd = file.element(Tag(0x0009, 0x1001)).unwrap();
    assert_eq!(fd.vr(), VR::FD);
    assert_eq!(fd.to_float64().unwrap(), 1.5);
    assert_eq!(
        file.element(Tag(0x0009, 0x1002))
            .unwrap()
            .to_int::<u16>()
            .unwrap(),
        0x0102
    );
    assert_eq!(
        file.element(Tag(0x0009, 0x1003))
            .unwrap()
            .to_int::<u32>()
            .unwrap(),
        0x0102_0304
    );
    assert_eq!(
        file.element(tags::ROWS).unwrap().to_int::<u16>().unwrap(),
        1
    );
    let dap = find(&file, "122130").unwrap();
    let mv = &items(dap, tags::MEASURED_VALUE_SEQUENCE)[0];
    assert_eq!(
        mv.element(tags::FLOATING_POINT_VALUE)
            .unwrap()
            .to_float64()
            .unwrap(),
        0.00123
    );
    // Raw bytes: private UL (0009,1003) as big-endian tag, VR, length, value.
    let ul: &[u8] = &[
        0x00, 0x09, 0x10, 0x03, b'U', b'L', 0x00, 0x04, 0x01, 0x02, 0x03, 0x04,
    ];
    assert!(bytes.windows(ul.len()).any(|w| w == ul));
    // FD 1.5 big-endian
    let fd: &[u8] = &[
        0x00, 0x09, 0x10, 0x01, b'F', b'D', 0x00, 0x08, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0,
    ];
    assert!(bytes.windows(fd.len()).any(|w| w == fd));
}

#[test]
fn deflated_round_trip() {
    let builder = testdata::projection_deflated();
    let bytes = builder.to_bytes().unwrap();
    let (file, inflated) = read_deflated(&bytes);
    check_projection(&file);
    // the inflated data set is exactly the explicit VR LE encoding
    let plain = builder
        .clone()
        .transfer_syntax(TransferSyntax::ExplicitVrLittleEndian)
        .file_meta(false)
        .to_bytes()
        .unwrap();
    assert_eq!(inflated, plain);
    assert!(bytes.len() < plain.len());
}

#[test]
fn non_dose_and_deep_nesting() {
    let file = read(&testdata::non_dose_sr().to_bytes().unwrap());
    assert_eq!(str_of(&file, tags::SOP_CLASS_UID), COMPREHENSIVE_SR);
    assert_eq!(
        str_of(
            &items(&file, tags::CONCEPT_NAME_CODE_SEQUENCE)[0],
            tags::CODE_VALUE
        ),
        "18748-4"
    );
    assert_eq!(
        str_of(find(&file, "121077").unwrap(), tags::TEXT_VALUE),
        "No acute cardiopulmonary abnormality."
    );

    let file = read(&testdata::deep_nesting().to_bytes().unwrap());
    let mut node: &InMemDicomObject = &items(&file, tags::CONTENT_SEQUENCE)[1];
    let mut depth = 0;
    while str_of(node, tags::VALUE_TYPE) == "CONTAINER" {
        depth += 1;
        node = &items(node, tags::CONTENT_SEQUENCE)[0];
    }
    assert_eq!(depth, testdata::DEEP_NESTING_LEVELS);
    assert_eq!(str_of(node, tags::TEXT_VALUE), "innermost");
}

#[test]
fn defect_knobs() {
    let c = |v: &str| Code::new(v, "DCM", "x");
    let bytes = ReportBuilder::xray_dose_report()
        .no_template()
        .remove_attr(tags::COMPLETION_FLAG)
        .content(vec![
            Item::num_empty(Relationship::Contains, c("113726")).with_qualifier(Code::new(
                "114006",
                "DCM",
                "Measurement failure",
            )),
            Item::num(
                Relationship::Contains,
                c("113725"),
                "10.50/ 15.00",
                Code::new("Gy", "UCUM", "Gy"),
            ),
            Item::num(
                Relationship::Contains,
                c("113730"),
                "1\\2\\3",
                Code::new("s", "UCUM", "s"),
            ),
            Item::num(
                Relationship::Contains,
                c("113722"),
                "",
                Code::new("Gy.m2", "UCUM", "Gy.m2"),
            ),
            Item::code_empty(Relationship::Contains, c("113721")),
            Item::text(Relationship::Contains, c("121012"), "1.2.3.4").with_value_type("UIDREF"),
            Item::datetime(Relationship::Contains, c("111526"), "20240101").without_value(),
            Item::text(Relationship::Contains, c("125203"), "no relationship")
                .without_relationship(),
            Item::text(Relationship::Contains, c("121106"), "no concept").without_concept(),
            Item::code(
                Relationship::Contains,
                c("113780"),
                Code::new("113860", "DCM", "15cm from Isocenter toward Source"),
            )
            .with_attr(Tag(0x0040, 0xA032), VR::DT, "20240315101500")
            .with_child(Item::by_reference(
                Relationship::Custom("SELECTED FROM"),
                vec![1, 2],
            )),
            Item::code(
                Relationship::Contains,
                Code::new("Ref Point", "99PHI-IXR-XPER", "Private"),
                Code::new("IRP", "99PHI-IXR-XPER", "Interventional Reference Point"),
            ),
        ])
        .to_bytes()
        .unwrap();
    let file = read(&bytes);
    assert!(file.get(tags::CONTENT_TEMPLATE_SEQUENCE).is_none());
    assert!(file.get(tags::COMPLETION_FLAG).is_none());
    let content = items(&file, tags::CONTENT_SEQUENCE);

    assert!(items(&content[0], tags::MEASURED_VALUE_SEQUENCE).is_empty());
    assert_eq!(
        str_of(
            &items(&content[0], tags::NUMERIC_VALUE_QUALIFIER_CODE_SEQUENCE)[0],
            tags::CODE_VALUE
        ),
        "114006"
    );
    assert_eq!(num_value(&content[1]).0, "10.50/ 15.00");
    let mv = &items(&content[2], tags::MEASURED_VALUE_SEQUENCE)[0];
    let nv = mv.element(tags::NUMERIC_VALUE).unwrap();
    assert_eq!(nv.value().multiplicity(), 3);
    assert_eq!(nv.to_multi_str().unwrap().as_ref(), ["1", "2", "3"]);
    let mv = &items(&content[3], tags::MEASURED_VALUE_SEQUENCE)[0];
    assert!(mv.element(tags::NUMERIC_VALUE).unwrap().is_empty());
    assert!(items(&content[4], tags::CONCEPT_CODE_SEQUENCE).is_empty());
    assert_eq!(str_of(&content[5], tags::VALUE_TYPE), "UIDREF");
    assert_eq!(str_of(&content[5], tags::TEXT_VALUE), "1.2.3.4");
    assert!(content[5].get(tags::UID).is_none());
    assert_eq!(str_of(&content[6], tags::VALUE_TYPE), "DATETIME");
    assert!(content[6].get(tags::DATE_TIME).is_none());
    assert!(content[7].get(tags::RELATIONSHIP_TYPE).is_none());
    assert!(content[8].get(tags::CONCEPT_NAME_CODE_SEQUENCE).is_none());
    assert_eq!(str_of(&content[9], Tag(0x0040, 0xA032)), "20240315101500");
    let by_ref = &items(&content[9], tags::CONTENT_SEQUENCE)[0];
    assert!(by_ref.get(tags::VALUE_TYPE).is_none());
    assert_eq!(str_of(by_ref, tags::RELATIONSHIP_TYPE), "SELECTED FROM");
    assert_eq!(
        by_ref
            .element(tags::REFERENCED_CONTENT_ITEM_IDENTIFIER)
            .unwrap()
            .to_multi_int::<u32>()
            .unwrap(),
        vec![1, 2]
    );
    assert_eq!(
        str_of(
            &items(&content[10], tags::CONCEPT_CODE_SEQUENCE)[0],
            tags::CODING_SCHEME_DESIGNATOR
        ),
        "99PHI-IXR-XPER"
    );
}

#[test]
fn other_value_types() {
    let c = |v: &str| Code::new(v, "DCM", "x");
    let rel = Relationship::Contains;
    let bytes = ReportBuilder::comprehensive(c("root"))
        .specific_character_set("ISO_IR 192")
        .content(vec![
            Item::date(rel, c("d"), "20240315"),
            Item::time(rel, c("t"), "101500.5"),
            Item::pname(rel, c("p"), "Doe^Jane"),
            Item::image(rel, c("i"), "1.2.840.10008.5.1.4.1.1.12.1", "1.2.3.4.5")
                .with_frames(vec![1, 3]),
            Item::composite(rel, c("c"), "1.2.840.10008.5.1.4.1.1.88.67", "1.2.3.4.6"),
            Item::waveform(rel, c("w"), "1.2.840.10008.5.1.4.1.1.9.1.1", "1.2.3.4.7")
                .with_channels(vec![1, 1]),
            Item::scoord(rel, c("s"), "POINT", vec![1.0, 2.0]),
            Item::scoord3d(rel, c("s3"), "POINT", vec![1.0, 2.0, 3.0], "1.2.3.4.8"),
            Item::tcoord(rel, c("tc"), "POINT", TemporalRef::TimeOffsets(vec![0.5])),
            Item::uidref(rel, c("u"), "1.2.3"),
            Item::num(rel, c("n"), "3", Code::new("1", "UCUM", "no units"))
                .with_float(3.0)
                .without_units(),
            Item::container(rel, c("k"), vec![])
                .with_continuity(Continuity::Continuous)
                .with_template("1500"),
        ])
        .to_bytes()
        .unwrap();
    let file = read(&bytes);
    let content = items(&file, tags::CONTENT_SEQUENCE);
    let vts: Vec<String> = content
        .iter()
        .map(|i| str_of(i, tags::VALUE_TYPE))
        .collect();
    assert_eq!(
        vts,
        [
            "DATE",
            "TIME",
            "PNAME",
            "IMAGE",
            "COMPOSITE",
            "WAVEFORM",
            "SCOORD",
            "SCOORD3D",
            "TCOORD",
            "UIDREF",
            "NUM",
            "CONTAINER"
        ]
    );
    assert_eq!(str_of(&content[0], tags::DATE), "20240315");
    assert_eq!(str_of(&content[2], tags::PERSON_NAME), "Doe^Jane");
    let sop = &items(&content[3], tags::REFERENCED_SOP_SEQUENCE)[0];
    assert_eq!(str_of(sop, tags::REFERENCED_SOP_INSTANCE_UID), "1.2.3.4.5");
    assert_eq!(
        sop.element(tags::REFERENCED_FRAME_NUMBER)
            .unwrap()
            .to_multi_int::<i32>()
            .unwrap(),
        vec![1, 3]
    );
    let gd = content[7].element(tags::GRAPHIC_DATA).unwrap();
    assert_eq!(gd.vr(), VR::FL);
    assert_eq!(gd.to_multi_float32().unwrap(), vec![1.0, 2.0, 3.0]);
    assert_eq!(str_of(&content[8], tags::TEMPORAL_RANGE_TYPE), "POINT");
    let mv = &items(&content[10], tags::MEASURED_VALUE_SEQUENCE)[0];
    assert!(mv.get(tags::MEASUREMENT_UNITS_CODE_SEQUENCE).is_none());
    assert_eq!(
        mv.element(tags::FLOATING_POINT_VALUE)
            .unwrap()
            .to_float64()
            .unwrap(),
        3.0
    );
    assert_eq!(
        str_of(&content[11], tags::CONTINUITY_OF_CONTENT),
        "CONTINUOUS"
    );
    assert_eq!(
        str_of(
            &items(&content[11], tags::CONTENT_TEMPLATE_SEQUENCE)[0],
            tags::TEMPLATE_IDENTIFIER
        ),
        "1500"
    );
}

#[test]
fn framing_options() {
    let builder = testdata::non_dose_sr();
    let full = builder.to_bytes().unwrap();
    let no_preamble = builder.clone().preamble(false).to_bytes().unwrap();
    assert_eq!(&no_preamble[..], &full[128..]);
    let file = dicom_object::from_reader(&no_preamble[..]).unwrap();
    assert_eq!(str_of(&file, tags::SOP_CLASS_UID), COMPREHENSIVE_SR);
    let bare = builder.clone().file_meta(false).to_bytes().unwrap();
    assert!(full.ends_with(&bare));
    assert_eq!(&bare[..4], &[0x08, 0x00, 0x16, 0x00]);
}

#[test]
fn deterministic_output() {
    for (name, builder) in testdata::all() {
        let a = builder.to_bytes().unwrap();
        let b = builder.to_bytes().unwrap();
        assert_eq!(a, b, "{name} is not deterministic");
    }
    assert_eq!(uid_from_seed("rdsr", 1), uid_from_seed("rdsr", 1));
    assert_ne!(uid_from_seed("a", 1), uid_from_seed("b", 1));
    assert!(uid_from_seed("anything", 3).len() <= 64);
    // FNV-1a 64 of the empty string is the offset basis
    assert_eq!(
        uid_from_seed("", 7),
        format!("{UID_ROOT}.7.{}", 0xcbf2_9ce4_8422_2325u64)
    );
}

/// The committed `testdata/` files are exactly what the builders write,
/// and each reads back with dicom-object (deflated via [`read_deflated`]).
#[test]
fn committed_testdata_is_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata");
    for (name, builder) in testdata::all() {
        let path = dir.join(name);
        let on_disk = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run `cargo run --example write_testdata`",
                path.display()
            )
        });
        let built = builder.to_bytes().unwrap();
        // Deflate's output bytes depend on the flate2 backend the whole build selects (a
        // dependency elsewhere in the workspace may switch it from miniz_oxide to zlib-rs):
        // a deflated file is current when it inflates to what the builder deflated.
        let current = if name.contains("deflated") {
            read_deflated(&on_disk).1 == read_deflated(&built).1
        } else {
            on_disk == built
        };
        assert!(
            current,
            "{name} is stale; run `cargo run --example write_testdata`"
        );
        let obj = if name.contains("deflated") {
            read_deflated(&on_disk).0
        } else {
            dicom_object::open_file(&path).unwrap()
        };
        assert_eq!(str_of(&obj, tags::SOP_INSTANCE_UID), builder.instance_uid());
    }
}
