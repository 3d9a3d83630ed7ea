//! The project's fixture reports, as builders.
//!
//! `examples/write_testdata.rs` writes each of [`all`] to `testdata/<name>`
//! and each of [`quirks`] (one report per quirk table entry, with exactly
//! that entry's defect) to `testdata/quirks/<id>.dcm`; tests check that the
//! committed files match these builders byte for byte. All names, UIDs and
//! values are fictitious.

use dicom_core::VR;
use dicom_dictionary_std::tags;

use super::{
    Code, Dataset, ENHANCED_SR, Item, Relationship, ReportBuilder, TransferSyntax, uid_from_seed,
};

use Relationship::{Contains, HasConceptMod, HasObsContext, HasProperties, InferredFrom};

/// Every fixture: file name (in `testdata/`) and its builder.
pub fn all() -> Vec<(&'static str, ReportBuilder)> {
    vec![
        ("projection_minimal.dcm", projection_minimal()),
        ("ct_minimal.dcm", ct_minimal()),
        ("ct_enhanced_sr.dcm", ct_enhanced_sr()),
        ("ct_implicit_vr.dcm", ct_implicit_vr()),
        ("projection_big_endian.dcm", projection_big_endian()),
        ("projection_deflated.dcm", projection_deflated()),
        ("non_dose_sr.dcm", non_dose_sr()),
        ("deep_nesting.dcm", deep_nesting()),
        (
            "charset_iso2022_latin1_degree.dcm",
            charset_iso2022_latin1_degree(),
        ),
        (
            "charset_iso2022_unknown_escape.dcm",
            charset_iso2022_unknown_escape(),
        ),
        (
            "charset_iso2022_truncated_sequence.dcm",
            charset_iso2022_truncated_sequence(),
        ),
        (
            "charset_escape_in_code_string.dcm",
            charset_escape_in_code_string(),
        ),
        ("charset_iso2022_japanese.dcm", charset_iso2022_japanese()),
        ("ct_all_rows.dcm", ct_all_rows()),
        ("projection_all_rows.dcm", projection_all_rows()),
        ("rrdsr_full.dcm", rrdsr_full()),
        ("rrdsr_no_template.dcm", rrdsr_no_template()),
        ("rrdsr_wrong_unit.dcm", rrdsr_wrong_unit()),
    ]
}

fn dcm(value: &str, meaning: &str) -> Code {
    Code::new(value, "DCM", meaning)
}

fn srt(value: &str, meaning: &str) -> Code {
    Code::new(value, "SRT", meaning)
}

fn ucum(unit: &str, meaning: &str) -> Code {
    Code::new(unit, "UCUM", meaning)
}

/// Procedure reported (with its Has Intent modifier).
fn procedure_reported(procedure: Code) -> Item {
    Item::code(
        HasConceptMod,
        dcm("121058", "Procedure reported"),
        procedure,
    )
    .with_child(Item::code(
        HasConceptMod,
        srt("G-C0E8", "Has Intent"),
        srt("R-408C3", "Diagnostic Intent"),
    ))
}

/// Device observer context (TID 1002 / TID 1004).
fn device_observer(uid: &str, name: &str, model: &str, serial: &str) -> Vec<Item> {
    vec![
        Item::code(
            HasObsContext,
            dcm("121005", "Observer Type"),
            dcm("121007", "Device"),
        ),
        Item::uidref(HasObsContext, dcm("121012", "Device Observer UID"), uid),
        Item::text(HasObsContext, dcm("121013", "Device Observer Name"), name),
        Item::text(
            HasObsContext,
            dcm("121014", "Device Observer Manufacturer"),
            "RDSR Test Systems",
        ),
        Item::text(
            HasObsContext,
            dcm("121015", "Device Observer Model Name"),
            model,
        ),
        Item::text(
            HasObsContext,
            dcm("121016", "Device Observer Serial Number"),
            serial,
        ),
    ]
}

/// Scope of Accumulation = Study, with the Study Instance UID.
fn scope_of_accumulation(study_uid: &str) -> Item {
    Item::code(
        HasObsContext,
        dcm("113705", "Scope of Accumulation"),
        dcm("113014", "Study"),
    )
    .with_child(Item::uidref(
        HasProperties,
        dcm("110180", "Study Instance UID"),
        study_uid,
    ))
}

fn source_of_dose_information() -> Item {
    Item::code(
        Contains,
        dcm("113854", "Source of Dose Information"),
        dcm("113856", "Automated Data Collection"),
    )
}

fn single_plane() -> Item {
    Item::code(
        Contains,
        dcm("113764", "Acquisition Plane"),
        dcm("113622", "Single Plane"),
    )
}

fn num(concept: Code, value: &str, units: Code) -> Item {
    Item::num(Contains, concept, value, units)
}

/// Options that vary between the projection fixtures.
struct Projection {
    seed: &'static str,
    transfer_syntax: TransferSyntax,
    /// Adds binary-valued attributes (private FD/US/UL and a Floating Point
    /// Value on a NUM) to exercise byte order.
    binary_values: bool,
}

fn projection_content(study_uid: &str, seed: &str, binary_values: bool) -> Vec<Item> {
    let gy_m2 = || ucum("Gy.m2", "Gy.m2");
    let gy = || ucum("Gy", "Gy");
    let s = || ucum("s", "s");
    let mm = || ucum("mm", "mm");
    let deg = || ucum("deg", "deg");

    let accumulated = Item::container(
        Contains,
        dcm("113702", "Accumulated X-Ray Dose Data"),
        vec![
            single_plane(),
            Item::container(
                Contains,
                dcm("122505", "Calibration"),
                vec![
                    Item::code(
                        HasConceptMod,
                        dcm("113794", "Dose Measurement Device"),
                        srt("A-2C090", "Dosimeter"),
                    ),
                    Item::datetime(
                        Contains,
                        dcm("113723", "Calibration DateTime"),
                        "20231102090000",
                    ),
                    num(
                        dcm("122322", "Calibration Factor"),
                        "0.98",
                        ucum("1", "no units"),
                    ),
                    num(
                        dcm("113763", "Calibration Uncertainty"),
                        "5",
                        ucum("%", "Percent"),
                    ),
                    Item::text(
                        Contains,
                        dcm("113724", "Calibration Responsible Party"),
                        "Medical Physics Test Unit",
                    ),
                ],
            ),
            num(dcm("113722", "Dose Area Product Total"), "0.0021", gy_m2()),
            num(dcm("113725", "Dose (RP) Total"), "0.0076", gy()),
            num(
                dcm("113726", "Fluoro Dose Area Product Total"),
                "0.00123",
                gy_m2(),
            ),
            num(dcm("113728", "Fluoro Dose (RP) Total"), "0.0045", gy()),
            num(dcm("113730", "Total Fluoro Time"), "42.5", s()),
            num(
                dcm("113727", "Acquisition Dose Area Product Total"),
                "0.00087",
                gy_m2(),
            ),
            num(dcm("113729", "Acquisition Dose (RP) Total"), "0.0031", gy()),
            num(dcm("113855", "Total Acquisition Time"), "1.2", s()),
            Item::code(
                Contains,
                dcm("113780", "Reference Point Definition"),
                dcm("113860", "15cm from Isocenter toward Source"),
            ),
        ],
    );

    struct Event {
        n: u32,
        datetime: &'static str,
        event_type: Code,
        protocol: &'static str,
        dap: &'static str,
        dose_rp: &'static str,
        kvp: &'static str,
        ma: &'static str,
        pulse_width: &'static str,
        duration: &'static str,
        angle: &'static str,
        sid: &'static str,
    }
    let events = [
        Event {
            n: 1,
            datetime: "20240315093512",
            event_type: srt("P5-06000", "Fluoroscopy"),
            protocol: "Hip Fluoro Low Dose",
            dap: "0.00123",
            dose_rp: "0.0045",
            kvp: "72",
            ma: "3.8",
            pulse_width: "8.5",
            duration: "42.5",
            angle: "-12.5",
            sid: "1050",
        },
        Event {
            n: 2,
            datetime: "20240315094105",
            event_type: dcm("113611", "Stationary Acquisition"),
            protocol: "Hip Single Shot",
            dap: "0.00087",
            dose_rp: "0.0031",
            kvp: "81",
            ma: "250",
            pulse_width: "40",
            duration: "1.2",
            angle: "0",
            sid: "1100",
        },
    ];
    let event_items = events.iter().map(|e| {
        let mut dap = num(dcm("122130", "Dose Area Product"), e.dap, gy_m2());
        if binary_values {
            dap = dap.with_float(if e.n == 1 { 0.00123 } else { 0.00087 });
        }
        Item::container(
            Contains,
            dcm("113706", "Irradiation Event X-Ray Data"),
            vec![
                single_plane(),
                Item::uidref(
                    Contains,
                    dcm("113769", "Irradiation Event UID"),
                    uid_from_seed(&format!("{seed}/event"), 10 + e.n),
                ),
                Item::datetime(Contains, dcm("111526", "DateTime Started"), e.datetime),
                Item::code(
                    Contains,
                    dcm("113721", "Irradiation Event Type"),
                    e.event_type.clone(),
                ),
                Item::text(Contains, dcm("125203", "Acquisition Protocol"), e.protocol),
                Item::code(
                    Contains,
                    dcm("123014", "Target Region"),
                    srt("T-15710", "Hip joint"),
                )
                .with_child(Item::code(
                    HasConceptMod,
                    srt("G-C171", "Laterality"),
                    srt("G-A101", "Left"),
                )),
                dap,
                num(dcm("113738", "Dose (RP)"), e.dose_rp, gy()),
                num(dcm("113733", "KVP"), e.kvp, ucum("kV", "kV")),
                num(dcm("113734", "X-Ray Tube Current"), e.ma, ucum("mA", "mA")),
                num(
                    dcm("113793", "Pulse Width"),
                    e.pulse_width,
                    ucum("ms", "ms"),
                ),
                num(dcm("113742", "Irradiation Duration"), e.duration, s()),
                Item::container(
                    Contains,
                    dcm("113771", "X-Ray Filters"),
                    vec![
                        Item::code(
                            Contains,
                            dcm("113772", "X-Ray Filter Type"),
                            dcm("113653", "Flat filter"),
                        ),
                        Item::code(
                            Contains,
                            dcm("113757", "X-Ray Filter Material"),
                            srt("C-127F9", "Copper or Copper compound"),
                        ),
                        num(dcm("113758", "X-Ray Filter Thickness Minimum"), "0.2", mm()),
                        num(dcm("113773", "X-Ray Filter Thickness Maximum"), "0.2", mm()),
                    ],
                ),
                num(dcm("112011", "Positioner Primary Angle"), e.angle, deg()),
                num(dcm("112012", "Positioner Secondary Angle"), "0", deg()),
                num(dcm("113750", "Distance Source to Detector"), e.sid, mm()),
                Item::code(
                    Contains,
                    dcm("113780", "Reference Point Definition"),
                    dcm("113860", "15cm from Isocenter toward Source"),
                ),
            ],
        )
    });

    let mut content = vec![procedure_reported(dcm("113704", "Projection X-Ray"))];
    content.extend(device_observer(
        &uid_from_seed(&format!("{seed}/device"), 20),
        "FLUORO1",
        "Fluoro One",
        "FO-0042",
    ));
    content.push(scope_of_accumulation(study_uid));
    content.push(Item::code(
        Contains,
        dcm("122142", "Acquisition Device Type"),
        dcm("113957", "Fluoroscopy-Guided Projection Radiography System"),
    ));
    content.push(accumulated);
    content.extend(event_items);
    content.push(source_of_dose_information());
    content
}

fn projection(p: Projection) -> ReportBuilder {
    let builder = ReportBuilder::xray_dose_report()
        .seed(p.seed)
        .transfer_syntax(p.transfer_syntax)
        .specific_character_set("ISO_IR 192")
        .attr_str(tags::STUDY_DATE, VR::DA, "20240315")
        .attr_str(tags::STUDY_TIME, VR::TM, "093000")
        .attr_str(tags::CONTENT_DATE, VR::DA, "20240315")
        .attr_str(tags::CONTENT_TIME, VR::TM, "094500")
        .attr_str(tags::ACCESSION_NUMBER, VR::SH, "ACC-000123")
        .attr_str(tags::MANUFACTURER, VR::LO, "RDSR Test Systems")
        .attr_str(tags::INSTITUTION_NAME, VR::LO, "Example General Hospital")
        .attr_str(tags::REFERRING_PHYSICIAN_NAME, VR::PN, "Schäfer^Jürgen")
        .attr_str(tags::STATION_NAME, VR::SH, "FLUORO1")
        .attr_str(tags::STUDY_DESCRIPTION, VR::LO, "Hip fluoroscopy")
        .attr_str(
            tags::SERIES_DESCRIPTION,
            VR::LO,
            "Radiation Dose Information",
        )
        .attr_str(tags::MANUFACTURER_MODEL_NAME, VR::LO, "Fluoro One")
        .attr_str(tags::PATIENT_NAME, VR::PN, "Müller^Anna")
        .attr_str(tags::PATIENT_ID, VR::LO, "RDSR-TEST-0001")
        .attr_str(tags::PATIENT_BIRTH_DATE, VR::DA, "19650412")
        .attr_str(tags::PATIENT_SEX, VR::CS, "F")
        .attr_str(tags::DEVICE_SERIAL_NUMBER, VR::LO, "FO-0042")
        .attr_str(tags::SOFTWARE_VERSIONS, VR::LO, "1.4.2")
        .attr_str(tags::STUDY_ID, VR::SH, "4711")
        .attr_str(tags::SERIES_NUMBER, VR::IS, "999")
        .procedure_code(Code::new("RF-HIP", "99RDSRTEST", "Fluoroscopy hip"))
        .request_attributes(Vec::new());
    let study_uid = builder.study_uid();
    let mut builder = builder.content(projection_content(&study_uid, p.seed, p.binary_values));
    if p.binary_values {
        builder = builder
            .attr_str(dicom_core::Tag(0x0009, 0x0010), VR::LO, "RDSR TEST PRIVATE")
            .attr(dicom_core::Tag(0x0009, 0x1001), VR::FD, 1.5f64)
            .attr(dicom_core::Tag(0x0009, 0x1002), VR::US, 0x0102u16)
            .attr(dicom_core::Tag(0x0009, 0x1003), VR::UL, 0x0102_0304u32)
            .attr(tags::ROWS, VR::US, 1u16);
    }
    builder
}

/// TID 10001 projection (RF) dose report, Explicit VR Little Endian,
/// ISO_IR 192 with non-ASCII person names.
pub fn projection_minimal() -> ReportBuilder {
    projection(Projection {
        seed: "projection_minimal",
        transfer_syntax: TransferSyntax::ExplicitVrLittleEndian,
        binary_values: false,
    })
}

/// The projection report in Explicit VR Big Endian, with private FD, US and
/// UL attributes, Rows (US) and Floating Point Values on the event DAPs.
pub fn projection_big_endian() -> ReportBuilder {
    projection(Projection {
        seed: "projection_big_endian",
        transfer_syntax: TransferSyntax::ExplicitVrBigEndian,
        binary_values: true,
    })
}

/// The projection report in Deflated Explicit VR Little Endian.
pub fn projection_deflated() -> ReportBuilder {
    projection(Projection {
        seed: "projection_deflated",
        transfer_syntax: TransferSyntax::DeflatedExplicitVrLittleEndian,
        binary_values: false,
    })
}

/// Options that vary between the CT fixtures.
struct Ct {
    seed: &'static str,
    transfer_syntax: TransferSyntax,
    sop_class: Option<&'static str>,
    charset: &'static str,
    patient_name: &'static str,
    comment: Option<&'static str>,
}

fn ct_content(study_uid: &str, seed: &str, comment: Option<&str>) -> Vec<Item> {
    let mgy = || ucum("mGy", "mGy");
    let mgy_cm = || ucum("mGy.cm", "mGy.cm");
    let mm = || ucum("mm", "mm");
    let s = || ucum("s", "s");
    let ma = || ucum("mA", "mA");

    struct Acq {
        n: u32,
        protocol: &'static str,
        acquisition_type: Code,
        exposure_time: &'static str,
        scanning_length: &'static str,
        single_collimation: &'static str,
        total_collimation: &'static str,
        pitch: Option<&'static str>,
        kvp: &'static str,
        max_ma: &'static str,
        ma: &'static str,
        rotation_time: Option<&'static str>,
        ctdivol: &'static str,
        dlp: &'static str,
    }
    let acquisitions = [
        Acq {
            n: 1,
            protocol: "Topogram",
            acquisition_type: dcm("113805", "Constant Angle Acquisition"),
            exposure_time: "3.1",
            scanning_length: "512",
            single_collimation: "0.6",
            total_collimation: "0.6",
            pitch: None,
            kvp: "120",
            max_ma: "35",
            ma: "35",
            rotation_time: None,
            ctdivol: "0.11",
            dlp: "1.23",
        },
        Acq {
            n: 2,
            protocol: "Thorax Routine",
            acquisition_type: srt("P5-08001", "Spiral Acquisition"),
            exposure_time: "4.8",
            scanning_length: "408.9",
            single_collimation: "0.6",
            total_collimation: "38.4",
            pitch: Some("1.2"),
            kvp: "120",
            max_ma: "280",
            ma: "142",
            rotation_time: Some("0.5"),
            ctdivol: "12.5",
            dlp: "511.11",
        },
    ];

    let acquisition_items = acquisitions.iter().map(|a| {
        let mut params = vec![
            num(dcm("113824", "Exposure Time"), a.exposure_time, s()),
            num(dcm("113825", "Scanning Length"), a.scanning_length, mm()),
            num(
                dcm("113826", "Nominal Single Collimation Width"),
                a.single_collimation,
                mm(),
            ),
            num(
                dcm("113827", "Nominal Total Collimation Width"),
                a.total_collimation,
                mm(),
            ),
        ];
        if let Some(pitch) = a.pitch {
            params.push(num(
                dcm("113828", "Pitch Factor"),
                pitch,
                ucum("{ratio}", "ratio"),
            ));
        }
        params.push(num(
            dcm("113823", "Number of X-Ray Sources"),
            "1",
            ucum("{X-Ray sources}", "X-Ray sources"),
        ));
        let mut source = vec![
            Item::text(
                Contains,
                dcm("113832", "Identification of the X-Ray Source"),
                "A",
            ),
            num(dcm("113733", "KVP"), a.kvp, ucum("kV", "kV")),
            num(dcm("113833", "Maximum X-Ray Tube Current"), a.max_ma, ma()),
            num(dcm("113734", "X-Ray Tube Current"), a.ma, ma()),
        ];
        if let Some(rotation) = a.rotation_time {
            source.push(num(
                dcm("113834", "Exposure Time per Rotation"),
                rotation,
                s(),
            ));
        }
        params.push(Item::container(
            Contains,
            dcm("113831", "CT X-Ray Source Parameters"),
            source,
        ));

        Item::container(
            Contains,
            dcm("113819", "CT Acquisition"),
            vec![
                Item::text(Contains, dcm("125203", "Acquisition Protocol"), a.protocol),
                Item::code(
                    Contains,
                    dcm("123014", "Target Region"),
                    srt("T-D3000", "Chest"),
                ),
                Item::code(
                    Contains,
                    dcm("113820", "CT Acquisition Type"),
                    a.acquisition_type.clone(),
                ),
                Item::code(
                    Contains,
                    srt("G-C32C", "Procedure Context"),
                    srt("P5-08000", "Computed Tomography X-Ray"),
                ),
                Item::uidref(
                    Contains,
                    dcm("113769", "Irradiation Event UID"),
                    uid_from_seed(&format!("{seed}/event"), 10 + a.n),
                ),
                Item::container(Contains, dcm("113822", "CT Acquisition Parameters"), params),
                Item::container(
                    Contains,
                    dcm("113829", "CT Dose"),
                    vec![
                        num(dcm("113830", "Mean CTDIvol"), a.ctdivol, mgy()),
                        Item::code(
                            Contains,
                            dcm("113835", "CTDIw Phantom Type"),
                            dcm("113691", "IEC Body Dosimetry Phantom"),
                        ),
                        num(dcm("113838", "DLP"), a.dlp, mgy_cm()),
                    ],
                ),
            ],
        )
    });

    let mut content = vec![procedure_reported(srt(
        "P5-08000",
        "Computed Tomography X-Ray",
    ))];
    content.extend(device_observer(
        &uid_from_seed(&format!("{seed}/device"), 20),
        "CT01",
        "Helix 64",
        "HX-6401",
    ));
    content.push(Item::datetime(
        HasObsContext,
        dcm("113809", "Start of X-Ray Irradiation"),
        "20240315093512",
    ));
    content.push(Item::datetime(
        HasObsContext,
        dcm("113810", "End of X-Ray Irradiation"),
        "20240315094105",
    ));
    content.push(scope_of_accumulation(study_uid));
    content.push(Item::container(
        Contains,
        dcm("113811", "CT Accumulated Dose Data"),
        vec![
            num(
                dcm("113812", "Total Number of Irradiation Events"),
                "2",
                ucum("{events}", "events"),
            ),
            num(
                dcm("113813", "CT Dose Length Product Total"),
                "512.34",
                mgy_cm(),
            ),
        ],
    ));
    content.extend(acquisition_items);
    if let Some(comment) = comment {
        content.push(Item::text(Contains, dcm("121106", "Comment"), comment));
    }
    content.push(source_of_dose_information());
    content
}

fn ct(c: Ct) -> ReportBuilder {
    let mut builder = ReportBuilder::xray_dose_report()
        .template("10011")
        .seed(c.seed)
        .transfer_syntax(c.transfer_syntax)
        .specific_character_set(c.charset)
        .attr_str(tags::STUDY_DATE, VR::DA, "20240315")
        .attr_str(tags::STUDY_TIME, VR::TM, "093000")
        .attr_str(tags::CONTENT_DATE, VR::DA, "20240315")
        .attr_str(tags::CONTENT_TIME, VR::TM, "094600")
        .attr_str(tags::ACCESSION_NUMBER, VR::SH, "ACC-000456")
        .attr_str(tags::MANUFACTURER, VR::LO, "RDSR Test Systems")
        .attr_str(tags::INSTITUTION_NAME, VR::LO, "Example General Hospital")
        .attr_str(tags::STATION_NAME, VR::SH, "CT01")
        .attr_str(tags::STUDY_DESCRIPTION, VR::LO, "CT Thorax")
        .attr_str(tags::SERIES_DESCRIPTION, VR::LO, "Dose Report")
        .attr_str(tags::MANUFACTURER_MODEL_NAME, VR::LO, "Helix 64")
        .attr_str(tags::PATIENT_NAME, VR::PN, c.patient_name)
        .attr_str(tags::PATIENT_ID, VR::LO, "RDSR-TEST-0002")
        .attr_str(tags::PATIENT_BIRTH_DATE, VR::DA, "19580923")
        .attr_str(tags::PATIENT_SEX, VR::CS, "M")
        .attr_str(tags::PATIENT_AGE, VR::AS, "065Y")
        .attr_str(tags::DEVICE_SERIAL_NUMBER, VR::LO, "HX-6401")
        .attr_str(tags::SOFTWARE_VERSIONS, VR::LO, "VB20")
        .attr_str(tags::STUDY_ID, VR::SH, "4712")
        .attr_str(tags::SERIES_NUMBER, VR::IS, "501")
        .procedure_code(Code::new("CT-THX", "99RDSRTEST", "CT Thorax"))
        .request_attributes(vec![
            Dataset::new()
                .attr_str(tags::REQUESTED_PROCEDURE_ID, VR::SH, "RP-0456")
                .attr_str(tags::SCHEDULED_PROCEDURE_STEP_ID, VR::SH, "SPS-0456"),
        ]);
    if let Some(sop_class) = c.sop_class {
        builder = builder.sop_class(sop_class);
    }
    let study_uid = builder.study_uid();
    builder.content(ct_content(&study_uid, c.seed, c.comment))
}

/// TID 10011 CT dose report (a localizer and a spiral acquisition),
/// Explicit VR Little Endian, ISO_IR 192.
pub fn ct_minimal() -> ReportBuilder {
    ct(Ct {
        seed: "ct_minimal",
        transfer_syntax: TransferSyntax::ExplicitVrLittleEndian,
        sop_class: None,
        charset: "ISO_IR 192",
        patient_name: "Øberg^Lars",
        comment: None,
    })
}

/// The CT report stored as Enhanced SR, ISO_IR 100 (Latin-1) with a Latin-1
/// patient name and Comment text.
pub fn ct_enhanced_sr() -> ReportBuilder {
    ct(Ct {
        seed: "ct_enhanced_sr",
        transfer_syntax: TransferSyntax::ExplicitVrLittleEndian,
        sop_class: Some(ENHANCED_SR),
        charset: "ISO_IR 100",
        patient_name: "Gonçalves^Inês",
        comment: Some("Kontrastmittel: nein; Patientengröße 1,75 m; Ärztin informiert"),
    })
}

/// The CT report in Implicit VR Little Endian.
pub fn ct_implicit_vr() -> ReportBuilder {
    ct(Ct {
        seed: "ct_implicit_vr",
        transfer_syntax: TransferSyntax::ImplicitVrLittleEndian,
        sop_class: None,
        charset: "ISO_IR 192",
        patient_name: "Øberg^Lars",
        comment: None,
    })
}

/// A Comprehensive SR diagnostic imaging report (not a dose report).
pub fn non_dose_sr() -> ReportBuilder {
    ReportBuilder::comprehensive(Code::new("18748-4", "LN", "Diagnostic Imaging Report"))
        .template("2000")
        .seed("non_dose_sr")
        .attr_str(tags::MANUFACTURER, VR::LO, "RDSR Test Systems")
        .attr_str(tags::MANUFACTURER_MODEL_NAME, VR::LO, "Report Station")
        .attr_str(tags::PATIENT_NAME, VR::PN, "Doe^John")
        .attr_str(tags::PATIENT_ID, VR::LO, "RDSR-TEST-0003")
        .attr_str(tags::PATIENT_SEX, VR::CS, "M")
        .content(vec![
            Item::code(
                HasConceptMod,
                dcm("121049", "Language of Content Item and Descendants"),
                Code::new("en-US", "RFC5646", "English (United States)"),
            ),
            Item::code(
                HasObsContext,
                dcm("121005", "Observer Type"),
                dcm("121006", "Person"),
            ),
            Item::pname(
                HasObsContext,
                dcm("121008", "Person Observer Name"),
                "Doe^Jane",
            ),
            Item::container(
                Contains,
                dcm("121070", "Findings"),
                vec![
                    Item::text(
                        Contains,
                        dcm("121071", "Finding"),
                        "No focal consolidation.",
                    ),
                    Item::text(
                        Contains,
                        dcm("121071", "Finding"),
                        "Heart size within normal limits.",
                    ),
                ],
            ),
            Item::container(
                Contains,
                dcm("121076", "Conclusions"),
                vec![Item::text(
                    Contains,
                    dcm("121077", "Conclusion"),
                    "No acute cardiopulmonary abnormality.",
                )],
            ),
        ])
}

/// Nesting depth of [`deep_nesting`]: CONTAINER items below the root.
pub const DEEP_NESTING_LEVELS: usize = 40;

/// An X-Ray Radiation Dose SR whose content nests CONTAINER items
/// [`DEEP_NESTING_LEVELS`] levels deep below the root; the innermost one
/// holds a TEXT item.
pub fn deep_nesting() -> ReportBuilder {
    let mut node = Item::text(Contains, dcm("121106", "Comment"), "innermost");
    for _ in 0..DEEP_NESTING_LEVELS {
        node = Item::container(Contains, dcm("125007", "Measurement Group"), vec![node]);
    }
    ReportBuilder::xray_dose_report()
        .seed("deep_nesting")
        .attr_str(tags::MANUFACTURER, VR::LO, "RDSR Test Systems")
        .attr_str(tags::MANUFACTURER_MODEL_NAME, VR::LO, "Fluoro One")
        .attr_str(tags::DEVICE_SERIAL_NUMBER, VR::LO, "FO-0042")
        .attr_str(tags::SOFTWARE_VERSIONS, VR::LO, "1.4.2")
        .content(vec![
            procedure_reported(dcm("113704", "Projection X-Ray")),
            node,
        ])
}

// ---- Quirk fixtures ------------------------------------------------------------------------
//
// One report per entry of the quirk table (`quirks/*.toml`), written to
// `testdata/quirks/<id>.dcm`. Each is a small clean report (projection RF, DX or MG, or CT)
// from the entry's equipment (so the entry's `[match]` keys hold) with exactly the one defect
// the entry describes; no other shipped quirk finds anything to change in it.

/// Every quirk fixture: file name (in `testdata/quirks/`, `<quirk id>.dcm`) and its builder.
pub fn quirks() -> Vec<(String, ReportBuilder)> {
    use Defect::*;
    use Shape::{Ct, Fluoroscopy, Mammography, Radiography};
    let fixtures = [
        (
            "openrem-746-ge-oec-miniview-no-template",
            Fluoroscopy,
            equipment(
                "GE Hualun Medical Systems, Co. Ltd",
                "OEC Elite MiniView",
                "1.1.1.1",
            ),
            NoTemplate,
        ),
        (
            "missing-template-identifier",
            Ct,
            equipment("RDSR Test Systems", "Helix 64", "VB20"),
            NoTemplate,
        ),
        (
            "openrem-770-opera-swing-calibration-date-without-value",
            Fluoroscopy,
            equipment("GMM", "Opera Swing", "3.1"),
            CalibrationDateWithoutValue,
        ),
        (
            "openrem-765-philips-bigbore-empty-target-region",
            Ct,
            equipment("Philips", "Brilliance Big Bore", "4.2"),
            TargetRegionEmpty,
        ),
        (
            "openrem-704-dap-in-dgy-cm2",
            Fluoroscopy,
            equipment("CANON_MEC", "Ultimax-i", "V7.00"),
            DapInDgyCm2,
        ),
        (
            "openrem-673-philips-azurion-device-type",
            Fluoroscopy,
            equipment("Philips", "Azurion", "1.2.0"),
            IntegratedDeviceType,
        ),
        (
            "openrem-673-philips-azurion-empty-numeric-values",
            Fluoroscopy,
            equipment("Philips", "Azurion", "1.2.0"),
            CalibrationFactorEmpty,
        ),
        (
            "openrem-670-toshiba-vhp-ds-separator",
            Ct,
            equipment("TOSHIBA", "Aquilion ONE", "V8.30ER004"),
            VhpSeparator,
        ),
        (
            "openrem-681-varian-missing-study-date",
            Radiography,
            equipment("Varian Medical Systems", "TrueBeam", "2.7"),
            NoStudyDateTime,
        ),
        (
            "openrem-739-ge-surgical-uid-as-text",
            Fluoroscopy,
            equipment("GE Healthcare Surgery", "OEC 9900 Elite", "2.1.0"),
            ObserverUidAsText,
        ),
        (
            "openrem-739-ge-surgical-spelling",
            Fluoroscopy,
            equipment("GE Healthcare Surgery", "OEC 9900 Elite", "2.1.0"),
            GeSurgicalSpelling,
        ),
        (
            "openrem-698-ge-procedure-reported-capitalisation",
            Fluoroscopy,
            equipment("GE Healthcare", "Discovery IGS 740", "3.0"),
            ProcedureReportedCapitalised,
        ),
        (
            "openrem-181-private-grid-codes",
            Mammography,
            equipment("HOLOGIC, Inc.", "Selenia Dimensions", "AWS:1.8.3.63"),
            PrivateGridCode,
        ),
        (
            "openrem-380-siemens-intevo-tube-current-meaning",
            Ct,
            equipment("SIEMENS", "Symbia Intevo 16", "VB22"),
            TubeCurrentMeaning,
        ),
        (
            "openrem-612-missing-acquisition-protocol",
            Fluoroscopy,
            equipment("RDSR Test Systems", "Fluoro One", "1.4.2"),
            ProtocolWithoutValue,
        ),
        (
            "canon-cxdi-empty-dose-items",
            Radiography,
            equipment("Canon Inc.", "CXDI Control Software NE", "2.12.0.20"),
            DoseRpEmpty,
        ),
        (
            "hologic-detector-data-available-code",
            Mammography,
            equipment("HOLOGIC, Inc.", "Selenia Dimensions", "AWS:1.8.3.63"),
            DetectorDataAvailableAs113745,
        ),
        (
            "hologic-snm3-view-codes",
            Mammography,
            equipment("HOLOGIC, Inc.", "Selenia Dimensions", "AWS:1.8.3.63"),
            Snm3ImageView,
        ),
        (
            "reference-point-definition-as-text",
            Fluoroscopy,
            equipment("RDSR Test Systems", "Fluoro One", "1.4.2"),
            ReferencePointAsText,
        ),
        (
            "dual-modality-without-device-type",
            Fluoroscopy,
            equipment("SIEMENS", "Fluorospot Compact FD", "VH11V"),
            NoAcquisitionDeviceType,
        ),
        (
            "zero-length-request-attributes-sequence",
            Ct,
            equipment("GE Medical Systems", "Optima CT660", "gmp_vct.42"),
            EmptyRequestAttributes,
        ),
        (
            "philips-veradius-missing-kvp",
            Fluoroscopy,
            equipment(
                "Philips Medical Systems",
                "Veradius Unity",
                "PH Mobile C R4.2",
            ),
            NoKvp,
        ),
        (
            "cp-1676-laterality-under-anatomical-structure",
            Mammography,
            equipment("RDSR Test Systems", "Mammo One", "2.0"),
            LateralityUnderAnatomicalStructure,
        ),
        (
            "openrem-432-siemens-axiom-artis-xml-comments",
            Fluoroscopy,
            equipment("Siemens", "AXIOM-Artis", "VC14J 150507"),
            SiemensXmlComments,
        ),
        (
            "openrem-446-philips-xper-private-frames-and-shutters",
            Fluoroscopy,
            equipment("Philips Medical Systems", "Allura Xper", "8.1.17"),
            PhilipsXperPrivateItems,
        ),
        (
            "siemens-ct-modulation-type-in-comment",
            Ct,
            equipment("SIEMENS", "SOMATOM Definition Flash", "syngo CT 2012B"),
            ModulationTypeInComment,
        ),
    ];
    fixtures
        .into_iter()
        .map(|(id, shape, eq, defect)| (format!("{id}.dcm"), quirk_report(id, shape, eq, defect)))
        .collect()
}

/// The one defect a quirk fixture carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Defect {
    /// No root Content Template Sequence ([OpenREM #746](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-746); any device).
    NoTemplate,
    /// No Study Date and Study Time; Content Date and Time present (Varian, [OpenREM #681](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-681)).
    NoStudyDateTime,
    /// Request Attributes Sequence (0040,0275) present with no items (GE).
    EmptyRequestAttributes,
    /// Procedure reported (121058) with the meaning "Procedure Reported" (GE, [OpenREM #698](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-698)).
    ProcedureReportedCapitalised,
    /// Device Observer UID (121012) as TEXT (GE surgical, [OpenREM #739](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-739)).
    ObserverUidAsText,
    /// No Acquisition Device Type (122142) at the root (Siemens Fluorospot Compact).
    NoAcquisitionDeviceType,
    /// Acquisition Device Type 113958 on fluoroscopy equipment (Philips Azurion, [OpenREM #673](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-673)).
    IntegratedDeviceType,
    /// X-Ray Detector Data Available coded 113745 (Hologic).
    DetectorDataAvailableAs113745,
    /// Calibration Date (113723) DATETIME item without a DateTime value (Opera Swing, [OpenREM #770](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-770)).
    CalibrationDateWithoutValue,
    /// Calibration Factor (122322) NUM with an empty Numeric Value (Philips Azurion, [OpenREM #673](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-673)).
    CalibrationFactorEmpty,
    /// Dose (RP) and Dose (RP) Total NUM items with an empty Measured Value Sequence (Canon).
    DoseRpEmpty,
    /// Dose area products in dGy.cm2 (Toshiba/Canon, [OpenREM #704](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-704)).
    DapInDgyCm2,
    /// Reference Point Definition (113780) as TEXT.
    ReferencePointAsText,
    /// "Fluoro Dose(RP) Total", "Date Time Started" and "mA" meanings (GE surgical, [OpenREM #739](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-739)).
    GeSurgicalSpelling,
    /// Irradiation events without KVP (Philips Veradius).
    NoKvp,
    /// Acquisition Protocol (125203) TEXT item without a Text Value ([OpenREM #612](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-612)).
    ProtocolWithoutValue,
    /// X-Ray Grid (111635) value (gridin, 99HOLX, "Grid In") (Hologic, [OpenREM #181](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-181)).
    PrivateGridCode,
    /// Image View (111031) value in coding scheme SNM3 (Hologic).
    Snm3ImageView,
    /// CT Target Region (123014) with an empty Concept Code Sequence (Philips Big Bore, [OpenREM #765](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-765)).
    TargetRegionEmpty,
    /// A private Toshiba container holding 121414 "10.50/ 15.00" (Toshiba vHP, [OpenREM #670](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-670)).
    VhpSeparator,
    /// CT X-Ray Tube Current (113734) with a wrong meaning (Siemens Symbia Intevo, [OpenREM #380](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-380)).
    TubeCurrentMeaning,
    /// Laterality under Anatomical structure (T-D0005) instead of Target Region (before DICOM
    /// CP-1676, [OpenREM #784](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-784)).
    LateralityUnderAnatomicalStructure,
    /// Patient position and image intensifier size only in XML Comment items (Siemens
    /// AXIOM-Artis, [OpenREM #432](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-432)).
    SiemensXmlComments,
    /// Number of frames, shutters and table height only in private 99PHI-IXR-XPER items
    /// (Philips Allura Xper, [OpenREM #446](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-446)).
    PhilipsXperPrivateItems,
    /// X-ray modulation type only in the CT event Comment (Siemens SOMATOM).
    ModulationTypeInComment,
}

/// The kind of clean report a quirk fixture starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// TID 10001 fluoroscopy (RF): TID 10004 totals, a fluoroscopy and an acquisition event.
    Fluoroscopy,
    /// TID 10001 radiography (DX): TID 10007 totals, one acquisition event.
    Radiography,
    /// TID 10001 mammography (MG): TID 10005 totals, one event.
    Mammography,
    /// TID 10011 CT: a localizer and a spiral acquisition.
    Ct,
}

/// Manufacturer, model name and software version of a fixture (General Equipment module and
/// device observer context).
#[derive(Debug, Clone, Copy)]
struct Equipment {
    manufacturer: &'static str,
    model: &'static str,
    software: &'static str,
}

fn equipment(manufacturer: &'static str, model: &'static str, software: &'static str) -> Equipment {
    Equipment {
        manufacturer,
        model,
        software,
    }
}

fn quirk_report(id: &str, shape: Shape, eq: Equipment, defect: Defect) -> ReportBuilder {
    let seed = format!("quirks/{id}");
    let mut builder = ReportBuilder::xray_dose_report()
        .template(if shape == Shape::Ct { "10011" } else { "10001" })
        .seed(seed.as_str())
        .attr_str(tags::STUDY_DATE, VR::DA, "20240315")
        .attr_str(tags::STUDY_TIME, VR::TM, "093000")
        .attr_str(tags::CONTENT_DATE, VR::DA, "20240315")
        .attr_str(tags::CONTENT_TIME, VR::TM, "094500")
        .attr_str(tags::ACCESSION_NUMBER, VR::SH, "ACC-000789")
        .attr_str(tags::MANUFACTURER, VR::LO, eq.manufacturer)
        .attr_str(tags::MANUFACTURER_MODEL_NAME, VR::LO, eq.model)
        .attr_str(tags::SOFTWARE_VERSIONS, VR::LO, eq.software)
        .attr_str(tags::DEVICE_SERIAL_NUMBER, VR::LO, "SN-0789")
        .attr_str(tags::INSTITUTION_NAME, VR::LO, "Example General Hospital")
        .attr_str(tags::STATION_NAME, VR::SH, "ROOM7")
        .attr_str(tags::PATIENT_NAME, VR::PN, "Doe^Jane")
        .attr_str(tags::PATIENT_ID, VR::LO, "RDSR-TEST-0789")
        .attr_str(tags::PATIENT_BIRTH_DATE, VR::DA, "19700101")
        .attr_str(tags::PATIENT_SEX, VR::CS, "F")
        .attr_str(tags::STUDY_ID, VR::SH, "789");
    match defect {
        Defect::NoTemplate => builder = builder.no_template(),
        Defect::NoStudyDateTime => {
            builder = builder
                .remove_attr(tags::STUDY_DATE)
                .remove_attr(tags::STUDY_TIME);
        }
        Defect::EmptyRequestAttributes => builder = builder.request_attributes(Vec::new()),
        Defect::PhilipsXperPrivateItems => {
            // As the Philips reports of the corpus: a placeholder birth date, the age stated.
            builder = builder
                .attr_str(tags::PATIENT_BIRTH_DATE, VR::DA, "99990101")
                .attr_str(tags::PATIENT_AGE, VR::AS, "063Y");
        }
        _ => {}
    }
    let study_uid = builder.study_uid();
    let content = match shape {
        Shape::Ct => quirk_ct_content(&study_uid, &seed, eq, defect),
        _ => quirk_projection_content(&study_uid, &seed, shape, eq, defect),
    };
    builder.content(content)
}

/// Device observer context (TID 1002 / TID 1004) of a quirk fixture.
fn quirk_observer(seed: &str, eq: Equipment, defect: Defect) -> Vec<Item> {
    let uid_concept = dcm("121012", "Device Observer UID");
    let uid = uid_from_seed(&format!("{seed}/device"), 20);
    let uid_item = if defect == Defect::ObserverUidAsText {
        Item::text(HasObsContext, uid_concept, uid)
    } else {
        Item::uidref(HasObsContext, uid_concept, uid)
    };
    vec![
        Item::code(
            HasObsContext,
            dcm("121005", "Observer Type"),
            dcm("121007", "Device"),
        ),
        uid_item,
        Item::text(
            HasObsContext,
            dcm("121013", "Device Observer Name"),
            "ROOM7",
        ),
        Item::text(
            HasObsContext,
            dcm("121014", "Device Observer Manufacturer"),
            eq.manufacturer,
        ),
        Item::text(
            HasObsContext,
            dcm("121015", "Device Observer Model Name"),
            eq.model,
        ),
        Item::text(
            HasObsContext,
            dcm("121016", "Device Observer Serial Number"),
            "SN-0789",
        ),
    ]
}

/// A dose area product: `gy_m2` in Gy.m2, or the same quantity `dgy_cm2` in dGy.cm2 for the
/// [OpenREM #704](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-704) fixture.
fn quirk_dap(concept: Code, gy_m2: &str, dgy_cm2: &str, defect: Defect) -> Item {
    if defect == Defect::DapInDgyCm2 {
        num(concept, dgy_cm2, ucum("dGy.cm2", "dGy.cm2"))
    } else {
        num(concept, gy_m2, ucum("Gy.m2", "Gy.m2"))
    }
}

/// A Dose (RP) or Dose (RP) Total item in Gy (empty for the Canon fixture).
fn quirk_dose_rp(concept: Code, gy: &str, defect: Defect) -> Item {
    if defect == Defect::DoseRpEmpty {
        Item::num_empty(Contains, concept)
    } else {
        num(concept, gy, ucum("Gy", "Gy"))
    }
}

fn quirk_calibration(defect: Defect) -> Item {
    let date_concept = dcm("113723", "Calibration DateTime");
    let date = if defect == Defect::CalibrationDateWithoutValue {
        Item::datetime(Contains, date_concept, "").without_value()
    } else {
        Item::datetime(Contains, date_concept, "20231102090000")
    };
    let factor = num(
        dcm("122322", "Calibration Factor"),
        if defect == Defect::CalibrationFactorEmpty {
            ""
        } else {
            "0.98"
        },
        ucum("1", "no units"),
    );
    Item::container(
        Contains,
        dcm("122505", "Calibration"),
        vec![
            Item::code(
                HasConceptMod,
                dcm("113794", "Dose Measurement Device"),
                srt("A-2C090", "Dosimeter"),
            ),
            date,
            factor,
            num(
                dcm("113763", "Calibration Uncertainty"),
                "5",
                ucum("%", "Percent"),
            ),
            Item::text(
                Contains,
                dcm("113724", "Calibration Responsible Party"),
                "Medical Physics Test Unit",
            ),
        ],
    )
}

fn quirk_reference_point(defect: Defect) -> Item {
    let concept = dcm("113780", "Reference Point Definition");
    if defect == Defect::ReferencePointAsText {
        Item::text(Contains, concept, "15cm from Isocenter toward Source")
    } else {
        Item::code(
            Contains,
            concept,
            dcm("113860", "15cm from Isocenter toward Source"),
        )
    }
}

/// One projection irradiation event of a quirk fixture (TID 10003).
struct QuirkEvent {
    n: u32,
    datetime: &'static str,
    event_type: Code,
    protocol: &'static str,
    target: Code,
    dap: (&'static str, &'static str),
    dose_rp: &'static str,
    kvp: &'static str,
    ma: &'static str,
    duration: &'static str,
    /// Distance Source to Detector, mm.
    sdd: &'static str,
    /// Philips private Number of Frames ([OpenREM #446](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-446) fixture only).
    frames: &'static str,
}

fn quirk_event(e: &QuirkEvent, seed: &str, defect: Defect) -> Item {
    let spelling = defect == Defect::GeSurgicalSpelling;
    let protocol_concept = dcm("125203", "Acquisition Protocol");
    let protocol = if defect == Defect::ProtocolWithoutValue && e.n == 1 {
        Item::text(Contains, protocol_concept, "").without_value()
    } else {
        Item::text(Contains, protocol_concept, e.protocol)
    };
    let mut items = vec![
        single_plane(),
        Item::uidref(
            Contains,
            dcm("113769", "Irradiation Event UID"),
            uid_from_seed(&format!("{seed}/event"), 10 + e.n),
        ),
        Item::datetime(
            Contains,
            dcm(
                "111526",
                if spelling {
                    "Date Time Started"
                } else {
                    "DateTime Started"
                },
            ),
            e.datetime,
        ),
        Item::code(
            Contains,
            dcm("113721", "Irradiation Event Type"),
            e.event_type.clone(),
        ),
        protocol,
        Item::code(Contains, dcm("123014", "Target Region"), e.target.clone()),
        quirk_dap(dcm("122130", "Dose Area Product"), e.dap.0, e.dap.1, defect),
        quirk_dose_rp(dcm("113738", "Dose (RP)"), e.dose_rp, defect),
    ];
    if defect != Defect::NoKvp {
        items.push(num(dcm("113733", "KVP"), e.kvp, ucum("kV", "kV")));
    }
    items.push(num(
        dcm("113734", if spelling { "mA" } else { "X-Ray Tube Current" }),
        e.ma,
        ucum("mA", "mA"),
    ));
    items.push(num(
        dcm("113742", "Irradiation Duration"),
        e.duration,
        ucum("s", "s"),
    ));
    items.push(num(
        dcm("113750", "Distance Source to Detector"),
        e.sdd,
        ucum("mm", "mm"),
    ));
    match defect {
        Defect::SiemensXmlComments => items.push(Item::text(
            Contains,
            dcm("121106", "Comment"),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><SRData><iiDiameter SRData=\"220\"/></SRData>",
        )),
        Defect::PhilipsXperPrivateItems => {
            let xper = |value: &str, meaning: &str| Code::new(value, "99PHI-IXR-XPER", meaning);
            let mm = || ucum("mm", "mm");
            items.push(num(
                xper("003", "Number of Frames"),
                e.frames,
                ucum("{frames}", "frames"),
            ));
            items.push(Item::container(
                Contains,
                xper("005", "Wedges and Shutters"),
                vec![
                    num(xper("006", "Bottom Shutter"), "131", mm()),
                    num(xper("007", "Left Shutter"), "164.5", mm()),
                    num(xper("008", "Right Shutter"), "164.5", mm()),
                    num(xper("009", "Top Shutter"), "131", mm()),
                ],
            ));
            items.push(num(xper("021", "Table Height Position"), "812", mm()));
            // A standard Pulse Width with no Number of Pulses: the derived exposure time
            // needs the number of frames the quirk supplies.
            items.push(num(dcm("113793", "Pulse Width"), "10.2", ucum("ms", "ms")));
        }
        _ => {}
    }
    Item::container(
        Contains,
        dcm("113706", "Irradiation Event X-Ray Data"),
        items,
    )
}

fn quirk_projection_content(
    study_uid: &str,
    seed: &str,
    shape: Shape,
    eq: Equipment,
    defect: Defect,
) -> Vec<Item> {
    let procedure = if shape == Shape::Mammography {
        srt("P5-40010", "Mammography")
    } else {
        dcm("113704", "Projection X-Ray")
    };
    let procedure_meaning = if defect == Defect::ProcedureReportedCapitalised {
        "Procedure Reported"
    } else {
        "Procedure reported"
    };
    let mut content = vec![
        Item::code(HasConceptMod, dcm("121058", procedure_meaning), procedure).with_child(
            Item::code(
                HasConceptMod,
                srt("G-C0E8", "Has Intent"),
                srt("R-408C3", "Diagnostic Intent"),
            ),
        ),
    ];
    content.extend(quirk_observer(seed, eq, defect));
    content.push(scope_of_accumulation(study_uid));
    if shape == Shape::Mammography {
        content.extend(quirk_mammography(seed, defect));
        content.push(source_of_dose_information());
        return content;
    }
    let device_type = match (shape, defect) {
        (_, Defect::NoAcquisitionDeviceType) => None,
        (Shape::Radiography, _) | (_, Defect::IntegratedDeviceType) => {
            Some(dcm("113958", "Integrated Projection Radiography System"))
        }
        _ => Some(dcm(
            "113957",
            "Fluoroscopy-Guided Projection Radiography System",
        )),
    };
    if let Some(t) = device_type {
        content.push(Item::code(
            Contains,
            dcm("122142", "Acquisition Device Type"),
            t,
        ));
    }
    let s = || ucum("s", "s");
    let mut accumulated = vec![single_plane(), quirk_calibration(defect)];
    let events = if shape == Shape::Radiography {
        accumulated.extend([
            quirk_dap(
                dcm("113722", "Dose Area Product Total"),
                "0.00087",
                "87",
                defect,
            ),
            quirk_dose_rp(dcm("113725", "Dose (RP) Total"), "0.0031", defect),
            num(
                dcm("113731", "Total Number of Radiographic Frames"),
                "1",
                ucum("1", "no units"),
            ),
        ]);
        vec![QuirkEvent {
            n: 1,
            datetime: "20240315094105",
            event_type: dcm("113611", "Stationary Acquisition"),
            protocol: "Chest PA",
            target: srt("T-D3000", "Chest"),
            dap: ("0.00087", "87"),
            dose_rp: "0.0031",
            kvp: "125",
            ma: "250",
            duration: "0.012",
            sdd: "1800",
            frames: "1",
        }]
    } else {
        accumulated.extend([
            quirk_dap(
                dcm("113722", "Dose Area Product Total"),
                "0.0021",
                "210",
                defect,
            ),
            quirk_dose_rp(dcm("113725", "Dose (RP) Total"), "0.0076", defect),
            quirk_dap(
                dcm("113726", "Fluoro Dose Area Product Total"),
                "0.00123",
                "123",
                defect,
            ),
            num(
                dcm(
                    "113728",
                    if defect == Defect::GeSurgicalSpelling {
                        "Fluoro Dose(RP) Total"
                    } else {
                        "Fluoro Dose (RP) Total"
                    },
                ),
                "0.0045",
                ucum("Gy", "Gy"),
            ),
            num(dcm("113730", "Total Fluoro Time"), "42.5", s()),
            quirk_dap(
                dcm("113727", "Acquisition Dose Area Product Total"),
                "0.00087",
                "87",
                defect,
            ),
            num(
                dcm("113729", "Acquisition Dose (RP) Total"),
                "0.0031",
                ucum("Gy", "Gy"),
            ),
            num(dcm("113855", "Total Acquisition Time"), "1.2", s()),
        ]);
        vec![
            QuirkEvent {
                n: 1,
                datetime: "20240315093512",
                event_type: srt("P5-06000", "Fluoroscopy"),
                protocol: "Hip Fluoro Low Dose",
                target: srt("T-15710", "Hip joint"),
                dap: ("0.00123", "123"),
                dose_rp: "0.0045",
                kvp: "72",
                ma: "3.8",
                duration: "42.5",
                sdd: "1050",
                frames: "510",
            },
            QuirkEvent {
                n: 2,
                datetime: "20240315094105",
                event_type: dcm("113611", "Stationary Acquisition"),
                protocol: "Hip Single Shot",
                target: srt("T-15710", "Hip joint"),
                dap: ("0.00087", "87"),
                dose_rp: "0.0031",
                kvp: "81",
                ma: "250",
                duration: "1.2",
                sdd: "1100",
                frames: "1",
            },
        ]
    };
    accumulated.push(quirk_reference_point(defect));
    content.push(Item::container(
        Contains,
        dcm("113702", "Accumulated X-Ray Dose Data"),
        accumulated,
    ));
    content.extend(events.iter().map(|e| quirk_event(e, seed, defect)));
    content.push(source_of_dose_information());
    if defect == Defect::SiemensXmlComments {
        content.push(Item::text(
            Contains,
            dcm("121106", "Comment"),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><SRData><PatientPosition>\
             <Position SRData=\"HFS \"/></PatientPosition></SRData>",
        ));
    }
    content
}

/// The TID 10001 rows of a mammography fixture after the scope of accumulation: X-Ray
/// Detector Data Available, the TID 10005 totals and one event (right cranio-caudal).
fn quirk_mammography(seed: &str, defect: Defect) -> Vec<Item> {
    let mgy = || ucum("mGy", "mGy");
    let detector_code = if defect == Defect::DetectorDataAvailableAs113745 {
        "113745"
    } else {
        "113945"
    };
    let view_scheme = if defect == Defect::Snm3ImageView {
        "SNM3"
    } else {
        "SRT"
    };
    let mut event = vec![
        single_plane(),
        Item::uidref(
            Contains,
            dcm("113769", "Irradiation Event UID"),
            uid_from_seed(&format!("{seed}/event"), 11),
        ),
        Item::datetime(
            Contains,
            dcm("111526", "DateTime Started"),
            "20240315093512",
        ),
        Item::code(
            Contains,
            dcm("113721", "Irradiation Event Type"),
            dcm("113611", "Stationary Acquisition"),
        ),
        Item::text(Contains, dcm("125203", "Acquisition Protocol"), "R CC"),
        Item::code(
            Contains,
            if defect == Defect::LateralityUnderAnatomicalStructure {
                srt("T-D0005", "Anatomical structure")
            } else {
                dcm("123014", "Target Region")
            },
            srt("T-04000", "Breast"),
        )
        .with_child(Item::code(
            HasConceptMod,
            srt("G-C171", "Laterality"),
            srt("G-A100", "Right"),
        )),
        Item::code(
            Contains,
            dcm("111031", "Image View"),
            Code::new("R-10242", view_scheme, "cranio-caudal"),
        ),
        num(dcm("113733", "KVP"), "29", ucum("kV", "kV")),
        num(dcm("113734", "X-Ray Tube Current"), "100", ucum("mA", "mA")),
        num(
            dcm("111633", "Compression Thickness"),
            "45",
            ucum("mm", "mm"),
        ),
        num(dcm("111631", "Average Glandular Dose"), "1.52", mgy()),
        num(dcm("111636", "Entrance Exposure at RP"), "6.1", mgy()),
    ];
    if defect == Defect::PrivateGridCode {
        event.push(Item::code(
            Contains,
            dcm("111635", "X-Ray Grid"),
            Code::new("gridin", "99HOLX", "Grid In"),
        ));
    }
    vec![
        Item::code(
            Contains,
            dcm(detector_code, "X-Ray Detector Data Available"),
            srt("R-0038D", "Yes"),
        ),
        Item::container(
            Contains,
            dcm("113702", "Accumulated X-Ray Dose Data"),
            vec![
                single_plane(),
                num(
                    dcm("111637", "Accumulated Average Glandular Dose"),
                    "1.52",
                    mgy(),
                )
                .with_child(Item::code(
                    HasConceptMod,
                    srt("G-C171", "Laterality"),
                    srt("T-04020", "Right breast"),
                )),
            ],
        ),
        Item::container(
            Contains,
            dcm("113706", "Irradiation Event X-Ray Data"),
            event,
        ),
    ]
}

/// One CT acquisition of a quirk fixture (TID 10013).
struct QuirkAcquisition {
    n: u32,
    protocol: &'static str,
    acquisition_type: Code,
    exposure_time: &'static str,
    scanning_length: &'static str,
    total_collimation: &'static str,
    pitch: Option<&'static str>,
    ma: &'static str,
    rotation_time: Option<&'static str>,
    ctdivol: &'static str,
    dlp: &'static str,
}

fn quirk_ct_content(study_uid: &str, seed: &str, eq: Equipment, defect: Defect) -> Vec<Item> {
    let mgy = || ucum("mGy", "mGy");
    let mgy_cm = || ucum("mGy.cm", "mGy.cm");
    let mm = || ucum("mm", "mm");
    let s = || ucum("s", "s");
    let ma = || ucum("mA", "mA");
    let tube_current_meaning = if defect == Defect::TubeCurrentMeaning {
        "Tube Current"
    } else {
        "X-Ray Tube Current"
    };
    let acquisitions = [
        QuirkAcquisition {
            n: 1,
            protocol: "Topogram",
            acquisition_type: dcm("113805", "Constant Angle Acquisition"),
            exposure_time: "3.1",
            scanning_length: "512",
            total_collimation: "0.6",
            pitch: None,
            ma: "35",
            rotation_time: None,
            ctdivol: "0.11",
            dlp: "1.23",
        },
        QuirkAcquisition {
            n: 2,
            protocol: "Thorax Routine",
            acquisition_type: srt("P5-08001", "Spiral Acquisition"),
            exposure_time: "4.8",
            scanning_length: "408.9",
            total_collimation: "38.4",
            pitch: Some("1.2"),
            ma: "142",
            rotation_time: Some("0.5"),
            ctdivol: "12.5",
            dlp: "511.11",
        },
    ];
    let events = acquisitions.iter().map(|a| {
        let mut params = vec![
            num(dcm("113824", "Exposure Time"), a.exposure_time, s()),
            num(dcm("113825", "Scanning Length"), a.scanning_length, mm()),
            num(
                dcm("113826", "Nominal Single Collimation Width"),
                "0.6",
                mm(),
            ),
            num(
                dcm("113827", "Nominal Total Collimation Width"),
                a.total_collimation,
                mm(),
            ),
        ];
        if let Some(p) = a.pitch {
            params.push(num(
                dcm("113828", "Pitch Factor"),
                p,
                ucum("{ratio}", "ratio"),
            ));
        }
        params.push(num(
            dcm("113823", "Number of X-Ray Sources"),
            "1",
            ucum("{X-Ray sources}", "X-Ray sources"),
        ));
        let mut source = vec![
            Item::text(
                Contains,
                dcm("113832", "Identification of the X-Ray Source"),
                "A",
            ),
            num(dcm("113733", "KVP"), "120", ucum("kV", "kV")),
            num(dcm("113833", "Maximum X-Ray Tube Current"), "300", ma()),
            num(dcm("113734", tube_current_meaning), a.ma, ma()),
        ];
        if let Some(r) = a.rotation_time {
            source.push(num(dcm("113834", "Exposure Time per Rotation"), r, s()));
        }
        params.push(Item::container(
            Contains,
            dcm("113831", "CT X-Ray Source Parameters"),
            source,
        ));
        let target_concept = dcm("123014", "Target Region");
        let target = if defect == Defect::TargetRegionEmpty && a.n == 2 {
            Item::code_empty(Contains, target_concept)
        } else {
            Item::code(Contains, target_concept, srt("T-D3000", "Chest"))
        };
        let mut items = vec![
            Item::text(Contains, dcm("125203", "Acquisition Protocol"), a.protocol),
            target,
            Item::code(
                Contains,
                dcm("113820", "CT Acquisition Type"),
                a.acquisition_type.clone(),
            ),
            Item::code(
                Contains,
                srt("G-C32C", "Procedure Context"),
                srt("P5-08000", "Computed Tomography X-Ray"),
            ),
            Item::uidref(
                Contains,
                dcm("113769", "Irradiation Event UID"),
                uid_from_seed(&format!("{seed}/event"), 10 + a.n),
            ),
            Item::container(Contains, dcm("113822", "CT Acquisition Parameters"), params),
            Item::container(
                Contains,
                dcm("113829", "CT Dose"),
                vec![
                    num(dcm("113830", "Mean CTDIvol"), a.ctdivol, mgy()),
                    Item::code(
                        Contains,
                        dcm("113835", "CTDIw Phantom Type"),
                        dcm("113691", "IEC Body Dosimetry Phantom"),
                    ),
                    num(dcm("113838", "DLP"), a.dlp, mgy_cm()),
                ],
            ),
        ];
        if defect == Defect::ModulationTypeInComment {
            items.push(Item::text(
                Contains,
                dcm("121106", "Comment"),
                "Internal technical scan parameters: Organ Characteristic = Thorax, \
                 Body Size = Adult, Body Region = Body, X-ray Modulation Type = XYZ_EC",
            ));
        }
        if defect == Defect::VhpSeparator && a.n == 2 {
            // Toshiba's private Dose Reduce Parameters container ([OpenREM #670](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-670)).
            items.push(Item::container(
                Contains,
                Code::new("DRP", "99TOSHIBA-TMSC", "Dose Reduce Parameters"),
                vec![num(
                    dcm("121414", "Standard deviation of population"),
                    "10.50/ 15.00",
                    ucum("1", "no units"),
                )],
            ));
        }
        Item::container(Contains, dcm("113819", "CT Acquisition"), items)
    });
    let mut content = vec![procedure_reported(srt(
        "P5-08000",
        "Computed Tomography X-Ray",
    ))];
    content.extend(quirk_observer(seed, eq, defect));
    content.push(Item::datetime(
        HasObsContext,
        dcm("113809", "Start of X-Ray Irradiation"),
        "20240315093512",
    ));
    content.push(Item::datetime(
        HasObsContext,
        dcm("113810", "End of X-Ray Irradiation"),
        "20240315094105",
    ));
    content.push(scope_of_accumulation(study_uid));
    content.push(Item::container(
        Contains,
        dcm("113811", "CT Accumulated Dose Data"),
        vec![
            num(
                dcm("113812", "Total Number of Irradiation Events"),
                "2",
                ucum("{events}", "events"),
            ),
            num(
                dcm("113813", "CT Dose Length Product Total"),
                "512.34",
                mgy_cm(),
            ),
        ],
    ));
    content.extend(events);
    content.push(source_of_dose_information());
    content
}

/// The code-extension declaration of Japanese reports: the default repertoire in G0 (empty
/// first value), JIS X 0208 reachable through escape sequences.
const ISO_2022_JAPANESE: &str = "\\ISO 2022 IR 87";

/// A Philips Allura-like RF report declaring `\ISO 2022 IR 87` whose unit meanings for
/// UCUM `deg` are the single Latin-1 byte 0xB0 (`°`) outside any escape sequence: 15
/// irradiation events, each with a primary and a secondary positioner angle (30 meanings).
/// The builder writes text under this declaration as ISO-8859-1 (dicom-object encodes with
/// the first value only), so `°` becomes the byte 0xB0.
pub fn charset_iso2022_latin1_degree() -> ReportBuilder {
    let seed = "charset_iso2022_latin1_degree";
    let builder = ReportBuilder::xray_dose_report()
        .seed(seed)
        .specific_character_set(ISO_2022_JAPANESE)
        .attr_str(tags::STUDY_DATE, VR::DA, "20240318")
        .attr_str(tags::STUDY_TIME, VR::TM, "101500")
        .attr_str(tags::CONTENT_DATE, VR::DA, "20240318")
        .attr_str(tags::CONTENT_TIME, VR::TM, "104500")
        .attr_str(tags::ACCESSION_NUMBER, VR::SH, "ACC-000789")
        .attr_str(tags::MANUFACTURER, VR::LO, "Philips Medical Systems")
        .attr_str(tags::INSTITUTION_NAME, VR::LO, "Example General Hospital")
        .attr_str(tags::STATION_NAME, VR::SH, "CATHLAB1")
        .attr_str(tags::STUDY_DESCRIPTION, VR::LO, "Coronary angiography")
        .attr_str(tags::MANUFACTURER_MODEL_NAME, VR::LO, "AlluraXper")
        .attr_str(tags::PATIENT_NAME, VR::PN, "Yamada^Taro")
        .attr_str(tags::PATIENT_ID, VR::LO, "RDSR-TEST-0003")
        .attr_str(tags::PATIENT_SEX, VR::CS, "M")
        .attr_str(tags::DEVICE_SERIAL_NUMBER, VR::LO, "AX-0007")
        .attr_str(tags::SOFTWARE_VERSIONS, VR::LO, "8.1.17")
        .request_attributes(Vec::new());
    let study_uid = builder.study_uid();
    let gy_m2 = || ucum("Gy.m2", "Gy.m2");
    let gy = || ucum("Gy", "Gy");
    let deg = || ucum("deg", "\u{b0}");
    let mut content = vec![procedure_reported(dcm("113704", "Projection X-Ray"))];
    content.extend(device_observer(
        &uid_from_seed(&format!("{seed}/device"), 20),
        "CATHLAB1",
        "AlluraXper",
        "AX-0007",
    ));
    content.push(scope_of_accumulation(&study_uid));
    content.push(Item::code(
        Contains,
        dcm("122142", "Acquisition Device Type"),
        dcm("113957", "Fluoroscopy-Guided Projection Radiography System"),
    ));
    content.push(Item::container(
        Contains,
        dcm("113702", "Accumulated X-Ray Dose Data"),
        vec![
            single_plane(),
            num(dcm("113722", "Dose Area Product Total"), "0.0015", gy_m2()),
            num(dcm("113725", "Dose (RP) Total"), "0.15", gy()),
            Item::code(
                Contains,
                dcm("113780", "Reference Point Definition"),
                dcm("113860", "15cm from Isocenter toward Source"),
            ),
        ],
    ));
    for n in 1..=15u32 {
        content.push(Item::container(
            Contains,
            dcm("113706", "Irradiation Event X-Ray Data"),
            vec![
                single_plane(),
                Item::uidref(
                    Contains,
                    dcm("113769", "Irradiation Event UID"),
                    uid_from_seed(&format!("{seed}/event"), 10 + n),
                ),
                Item::datetime(
                    Contains,
                    dcm("111526", "DateTime Started"),
                    format!("202403181016{:02}", n * 3),
                ),
                Item::code(
                    Contains,
                    dcm("113721", "Irradiation Event Type"),
                    dcm("113611", "Stationary Acquisition"),
                ),
                num(dcm("122130", "Dose Area Product"), "0.0001", gy_m2()),
                num(dcm("113738", "Dose (RP)"), "0.01", gy()),
                num(
                    dcm("112011", "Positioner Primary Angle"),
                    &format!("{}", i64::from(n) * 5 - 40),
                    deg(),
                ),
                num(dcm("112012", "Positioner Secondary Angle"), "20", deg()),
            ],
        ));
    }
    content.push(source_of_dose_information());
    builder.content(content)
}

/// The CT report under `\ISO 2022 IR 87` with an ASCII patient name.
fn ct_iso2022(seed: &'static str, comment: Option<&'static str>) -> ReportBuilder {
    ct(Ct {
        seed,
        transfer_syntax: TransferSyntax::ExplicitVrLittleEndian,
        sop_class: None,
        charset: ISO_2022_JAPANESE,
        patient_name: "Tanaka^Yuki",
        comment,
    })
}

/// The CT report under `\ISO 2022 IR 87` whose Station Name designates KS X 1001
/// (`ESC $ ) C`, ISO 2022 IR 149), a set the declaration does not name, then two bytes of it.
pub fn charset_iso2022_unknown_escape() -> ReportBuilder {
    ct_iso2022("charset_iso2022_unknown_escape", None).attr_str(
        tags::STATION_NAME,
        VR::SH,
        "CT\u{1b}$)C\u{b0}\u{a1}",
    )
}

/// The CT report under `\ISO 2022 IR 87` with a Comment TEXT item whose JIS X 0208 run
/// (`ESC $ B`) holds three bytes, an odd number, before the escape back to ASCII.
pub fn charset_iso2022_truncated_sequence() -> ReportBuilder {
    ct_iso2022(
        "charset_iso2022_truncated_sequence",
        Some("Operator \u{1b}$B;3E\u{1b}(B on duty"),
    )
}

/// The CT report under `\ISO 2022 IR 87` whose Burned In Annotation (CS, a VR without code
/// extensions) starts with the escape sequence to ASCII (`ESC ( B`).
pub fn charset_escape_in_code_string() -> ReportBuilder {
    ct_iso2022("charset_escape_in_code_string", None).attr_str(
        tags::BURNED_IN_ANNOTATION,
        VR::CS,
        "\u{1b}(BNO",
    )
}

/// The CT report under `\\ISO 2022 IR 87` with valid JIS X 0208 text: the patient name
/// (`山田^太郎`) and a Comment TEXT item (`やまだ`), each run between `ESC $ B` and `ESC ( B`.
pub fn charset_iso2022_japanese() -> ReportBuilder {
    ct_iso2022(
        "charset_iso2022_japanese",
        Some("Operator \u{1b}$B$d$^$@\u{1b}(B"),
    )
    .attr_str(
        tags::PATIENT_NAME,
        VR::PN,
        "\u{1b}$B;3ED\u{1b}(B^\u{1b}$BB@O:\u{1b}(B",
    )
}

/// Radiopharmaceutical Radiation Dose SR SOP class.
const RADIOPHARMACEUTICAL_RADIATION_DOSE_SR: &str = "1.2.840.10008.5.1.4.1.1.88.68";

fn test_code(value: &str, meaning: &str) -> Code {
    Code::new(value, "99RDSRTEST", meaning)
}

/// Units of the radiopharmaceutical fixtures: the template's (`Standard`) or other units
/// (`Other`: mCi, min, cm, an unknown organ dose unit).
#[derive(Clone, Copy, PartialEq)]
enum NmUnits {
    Standard,
    Other,
}

/// A radiopharmaceutical report builder with a header like a PET/CT site's.
fn rrdsr(seed: &str, template: bool, units: NmUnits) -> ReportBuilder {
    let mut builder = ReportBuilder::new(
        RADIOPHARMACEUTICAL_RADIATION_DOSE_SR,
        dcm("113500", "Radiopharmaceutical Radiation Dose Report"),
    );
    if template {
        builder = builder.template("10021");
    }
    let builder = builder
        .seed(seed)
        .specific_character_set("ISO_IR 192")
        .attr_str(tags::STUDY_DATE, VR::DA, "20240315")
        .attr_str(tags::STUDY_TIME, VR::TM, "100000")
        .attr_str(tags::CONTENT_DATE, VR::DA, "20240315")
        .attr_str(tags::CONTENT_TIME, VR::TM, "113000")
        .attr_str(tags::ACCESSION_NUMBER, VR::SH, "ACC-000789")
        .attr_str(tags::MANUFACTURER, VR::LO, "RDSR Test Systems")
        .attr_str(tags::INSTITUTION_NAME, VR::LO, "Example General Hospital")
        .attr_str(tags::STATION_NAME, VR::SH, "PETCT01")
        .attr_str(tags::STUDY_DESCRIPTION, VR::LO, "PET/CT whole body")
        .attr_str(tags::MANUFACTURER_MODEL_NAME, VR::LO, "Positron 600")
        .attr_str(tags::PATIENT_NAME, VR::PN, "Nilsson^Karin")
        .attr_str(tags::PATIENT_ID, VR::LO, "RDSR-TEST-0004")
        .attr_str(tags::PATIENT_BIRTH_DATE, VR::DA, "19590102")
        .attr_str(tags::PATIENT_SEX, VR::CS, "F")
        .attr_str(tags::PATIENT_AGE, VR::AS, "065Y")
        .attr_str(tags::SOFTWARE_VERSIONS, VR::LO, "NM10");
    let content = rrdsr_content(seed, units);
    builder.content(content)
}

/// TID 10021 content: every row of TID 10021, 10022 and 10023, three administrations.
fn rrdsr_content(seed: &str, units: NmUnits) -> Vec<Item> {
    let other = units == NmUnits::Other;
    let mut content = vec![
        Item::code(
            HasConceptMod,
            dcm("121049", "Language of Content Item and Descendants"),
            Code::new("en", "RFC5646", "English"),
        )
        .with_child(Item::code(
            HasConceptMod,
            dcm("121046", "Country of Language"),
            Code::new("US", "ISO3166_1", "United States"),
        )),
    ];
    content.extend(device_observer(
        &uid_from_seed(seed, 90),
        "PETCT01",
        "Positron 600",
        "PS-6001",
    ));
    content.push(
        Item::code(
            HasConceptMod,
            srt("G-C2D0", "Associated Procedure"),
            srt("P5-0A00A", "PET study for localization of tumor"),
        )
        .with_child(Item::code(
            HasConceptMod,
            srt("G-C0E8", "Has Intent"),
            srt("R-408C3", "Diagnostic Intent"),
        )),
    );
    let (activity, activity_unit) = if other {
        ("9.459", ucum("mCi", "millicurie"))
    } else {
        ("350", ucum("MBq", "MBq"))
    };
    let (half_life, half_life_unit) = if other {
        ("109.77", ucum("min", "minute"))
    } else {
        ("6586.2", ucum("s", "seconds"))
    };
    let organ_dose_unit = if other {
        ucum("mGy/MBq", "mGy per MBq")
    } else {
        ucum("mGy", "mGy")
    };
    // Administration 1: every TID 10022 row.
    content.push(Item::container(
        Contains,
        dcm("113502", "Radiopharmaceutical Administration"),
        vec![
            Item::code(
                Contains,
                srt("F-61FDB", "Radiopharmaceutical agent"),
                srt("C-B1031", "Fluorodeoxyglucose F^18^"),
            )
            .with_children(vec![
                Item::code(
                    HasProperties,
                    srt("C-10072", "Radionuclide"),
                    srt("C-111A1", "^18^Fluorine"),
                ),
                Item::num(
                    HasProperties,
                    srt("R-42806", "Radionuclide Half Life"),
                    half_life,
                    half_life_unit,
                ),
            ]),
            Item::num(
                Contains,
                dcm("123007", "Radiopharmaceutical Specific Activity"),
                "2.5E15",
                ucum("Bq/mol", "Bq/mol"),
            ),
            Item::uidref(
                Contains,
                dcm("113503", "Radiopharmaceutical Administration Event UID"),
                uid_from_seed(seed, 91),
            ),
            Item::code(
                Contains,
                dcm("113505", "Intravenous Extravasation Symptoms"),
                Code::new("22253000", "SCT", "Pain"),
            ),
            Item::num(
                Contains,
                dcm("113506", "Estimated Extravasation Activity"),
                "2.5",
                ucum("MBq", "MBq"),
            ),
            Item::datetime(
                Contains,
                dcm("123003", "Radiopharmaceutical Start DateTime"),
                "20240315101500",
            ),
            Item::datetime(
                Contains,
                dcm("123004", "Radiopharmaceutical Stop DateTime"),
                "20240315101530",
            ),
            Item::num(
                Contains,
                dcm("113507", "Administered activity"),
                activity,
                activity_unit,
            ),
            Item::num(
                Contains,
                dcm("123005", "Radiopharmaceutical Volume"),
                "5.2",
                ucum("cm3", "cubic centimeter"),
            ),
            Item::num(
                Contains,
                dcm("113508", "Pre-Administration Measured Activity"),
                "362.5",
                ucum("MBq", "MBq"),
            )
            .with_children(vec![
                Item::code(
                    HasProperties,
                    dcm("113540", "Activity Measurement Device"),
                    dcm("113541", "Dose Calibrator"),
                ),
                Item::code(
                    HasObsContext,
                    dcm("121005", "Observer Type"),
                    dcm("121006", "Person"),
                ),
                Item::pname(
                    HasObsContext,
                    dcm("121008", "Person Observer Name"),
                    "Curie^Eve",
                ),
                Item::text(
                    HasObsContext,
                    dcm("128774", "Person Observer's Login Name"),
                    "ecurie",
                ),
                Item::text(
                    HasObsContext,
                    dcm("128775", "Identifier within Person Observer's Role"),
                    "RADPHARM-07",
                ),
            ]),
            Item::num(
                Contains,
                dcm("113509", "Post-Administration Measured Activity"),
                "12.5",
                ucum("MBq", "MBq"),
            )
            .with_children(vec![
                Item::code(
                    HasProperties,
                    dcm("113540", "Activity Measurement Device"),
                    dcm("113541", "Dose Calibrator"),
                ),
                Item::code(
                    HasObsContext,
                    dcm("121005", "Observer Type"),
                    dcm("121006", "Person"),
                ),
                Item::pname(
                    HasObsContext,
                    dcm("121008", "Person Observer Name"),
                    "Becquerel^Henri",
                ),
            ]),
            Item::code(
                Contains,
                srt("G-C340", "Route of administration"),
                srt("G-D101", "Intravenous route"),
            )
            .with_child(
                Item::code(
                    HasProperties,
                    srt("G-C581", "Site of"),
                    srt("G-D052", "Via vein"),
                )
                .with_child(Item::code(
                    HasConceptMod,
                    srt("G-C171", "Laterality"),
                    srt("G-A101", "Left"),
                )),
            ),
            Item::text(
                Contains,
                dcm("113511", "Radiopharmaceutical Dispense Unit Identifier"),
                "DU-0001",
            )
            .with_children(vec![
                Item::text(
                    HasProperties,
                    dcm("113512", "Radiopharmaceutical Lot Identifier"),
                    "LOT-2024-03",
                ),
                Item::text(
                    HasProperties,
                    dcm("113513", "Reagent Vial Identifier"),
                    "RV-17",
                ),
                Item::text(
                    HasProperties,
                    dcm("113514", "Radionuclide Vial Identifier"),
                    "NV-42",
                ),
            ]),
            Item::text(
                Contains,
                dcm("113516", "Prescription Identifier"),
                "RX-5531",
            ),
            Item::text(
                Contains,
                dcm("111529", "Brand Name"),
                "Fludeoxyglucose Example",
            ),
            Item::code(
                Contains,
                dcm("121147", "Billing Code(s)"),
                test_code("BILL-FDG", "FDG billing item"),
            ),
            Item::code(
                Contains,
                dcm("113510", "Drug Product Identifier"),
                test_code("DP-0001", "Example FDG drug product"),
            ),
            Item::container(
                Contains,
                dcm("113517", "Organ Dose Information"),
                vec![
                    Item::code(
                        HasConceptMod,
                        srt("G-C0E3", "Finding Site"),
                        srt("T-B6000", "Thyroid"),
                    ),
                    Item::code(
                        HasConceptMod,
                        srt("G-C171", "Laterality"),
                        srt("G-A102", "Right and left"),
                    ),
                    Item::num(Contains, srt("G-D701", "Mass"), "20", ucum("g", "gram")).with_child(
                        Item::text(
                            HasProperties,
                            srt("G-C036", "Measurement Method"),
                            "Reference adult female",
                        ),
                    ),
                    Item::num(
                        Contains,
                        dcm("113518", "Organ Dose"),
                        "3.5",
                        organ_dose_unit.clone(),
                    )
                    .with_child(Item::code(
                        HasProperties,
                        dcm("121406", "Reference Authority"),
                        test_code("ICRP128", "ICRP Publication 128"),
                    )),
                ],
            ),
            Item::container(
                Contains,
                dcm("113517", "Organ Dose Information"),
                vec![
                    Item::code(
                        HasConceptMod,
                        srt("G-C0E3", "Finding Site"),
                        srt("T-74000", "Bladder"),
                    ),
                    Item::num(
                        Contains,
                        dcm("113518", "Organ Dose"),
                        "45.1",
                        organ_dose_unit,
                    )
                    .with_child(Item::text(
                        HasProperties,
                        dcm("121406", "Reference Authority"),
                        "ICRP Publication 128",
                    )),
                ],
            ),
            Item::num(
                Contains,
                dcm("113839", "Effective Dose"),
                "6.65",
                ucum("mSv", "mSv"),
            )
            .with_children(vec![
                Item::code(
                    HasConceptMod,
                    srt("G-C036", "Measurement Method"),
                    test_code("ICRP128-COEF", "ICRP 128 dose coefficients"),
                ),
                Item::text(
                    HasProperties,
                    dcm("121406", "Reference Authority"),
                    "ICRP Publication 128",
                ),
            ]),
            Item::pname(HasObsContext, dcm("113870", "Person Name"), "Roentgen^Anna").with_child(
                Item::code(
                    HasProperties,
                    dcm("113875", "Person Role in Procedure"),
                    dcm("113851", "Irradiation Administering"),
                ),
            ),
            Item::text(
                Contains,
                dcm("121106", "Comment"),
                "Injected left arm; no complications.",
            ),
        ],
    ));
    // Administration 2: effective dose inside a container (as Siemens writes it).
    content.push(Item::container(
        Contains,
        dcm("113502", "Radiopharmaceutical Administration"),
        vec![
            Item::code(
                Contains,
                srt("F-61FDB", "Radiopharmaceutical agent"),
                test_code("NAF18", "Sodium fluoride F^18^"),
            ),
            Item::uidref(
                Contains,
                dcm("113503", "Radiopharmaceutical Administration Event UID"),
                uid_from_seed(seed, 92),
            ),
            Item::datetime(
                Contains,
                dcm("123003", "Radiopharmaceutical Start DateTime"),
                "20240315103000",
            ),
            Item::num(
                Contains,
                dcm("113507", "Administered activity"),
                "185",
                ucum("MBq", "MBq"),
            ),
            Item::container(
                Contains,
                Code::new("220001", "99SHS", "Effective Dose Information"),
                vec![Item::num(
                    Contains,
                    dcm("113839", "Effective Dose"),
                    "3.15",
                    ucum("mSv", "mSv"),
                )],
            ),
        ],
    ));
    // Administration 3: the fewest rows.
    content.push(Item::container(
        Contains,
        dcm("113502", "Radiopharmaceutical Administration"),
        vec![
            Item::uidref(
                Contains,
                dcm("113503", "Radiopharmaceutical Administration Event UID"),
                uid_from_seed(seed, 93),
            ),
            Item::num(
                Contains,
                dcm("113507", "Administered activity"),
                "74",
                ucum("MBq", "MBq"),
            ),
        ],
    ));
    content.push(Item::text(
        Contains,
        dcm("121106", "Comment"),
        "Two tracers; fictitious values.",
    ));
    let (height, height_unit) = if other {
        ("178", ucum("cm", "centimeter"))
    } else {
        ("1.78", ucum("m", "meter"))
    };
    content.push(Item::container(
        Contains,
        dcm("121118", "Patient Characteristics"),
        vec![
            Item::num(
                Contains,
                dcm("121033", "Subject Age"),
                "65",
                ucum("a", "year"),
            ),
            Item::code(Contains, dcm("121032", "Subject Sex"), dcm("F", "Female")),
            Item::num(
                Contains,
                Code::new("8302-2", "LN", "Patient Height"),
                height,
                height_unit,
            ),
            Item::num(
                Contains,
                Code::new("29463-7", "LN", "Patient Weight"),
                "82.5",
                ucum("kg", "kilogram"),
            ),
            Item::num(
                Contains,
                Code::new("8277-6", "LN", "Body Surface Area"),
                "2.01",
                ucum("m2", "square meter"),
            )
            .with_child(Item::code(
                HasConceptMod,
                Code::new("8278-4", "LN", "Body Surface Area Formula"),
                test_code("BSA-DUBOIS", "DuBois"),
            )),
            Item::num(
                Contains,
                srt("F-01860", "Body Mass Index"),
                "26",
                ucum("kg/m2", "kilogram per square meter"),
            )
            .with_child(Item::code(
                HasConceptMod,
                dcm("121420", "Equation"),
                test_code("BMI-WT-HT2", "Weight / height squared"),
            )),
            Item::num(
                Contains,
                Code::new("14749-6", "LN", "Glucose"),
                "5.4",
                ucum("mmol/l", "millimole per liter"),
            ),
            Item::num(
                Contains,
                dcm("113550", "Fasting Duration"),
                "6",
                ucum("h", "hour"),
            ),
            Item::num(
                Contains,
                dcm("113551", "Hydration Volume"),
                "500",
                ucum("ml", "milliliter"),
            ),
            Item::text(
                Contains,
                dcm("113552", "Recent Physical Activity"),
                "None in the last 24 h",
            ),
            Item::num(
                Contains,
                Code::new("2160-0", "LN", "Serum Creatinine"),
                "0.9",
                ucum("mg/dl", "milligram per deciliter"),
            ),
            Item::num(
                Contains,
                srt("F-70210", "Glomerular Filtration Rate"),
                "95",
                ucum("ml/min/{1.73_m2}", "ml/min/1.73m2"),
            )
            .with_children(vec![
                Item::code(
                    HasConceptMod,
                    srt("G-C036", "Measurement Method"),
                    test_code("GFR-CKDEPI", "CKD-EPI equation"),
                ),
                Item::code(
                    HasConceptMod,
                    dcm("121050", "Equivalent meaning of concept name"),
                    test_code("GFR-EST", "Estimated glomerular filtration rate"),
                ),
            ]),
            Item::num(
                Contains,
                srt("F-70210", "Glomerular Filtration Rate"),
                "88",
                ucum("ml/min/{1.73_m2}", "ml/min/1.73m2"),
            )
            .with_child(Item::code(
                HasConceptMod,
                srt("G-C036", "Measurement Method"),
                test_code("GFR-MDRD", "MDRD equation"),
            )),
            Item::code(
                Contains,
                dcm("109054", "Patient State"),
                test_code("FASTING", "Fasting"),
            ),
            Item::code(
                Contains,
                dcm("109054", "Patient State"),
                test_code("HYDRATED", "Hydrated"),
            ),
        ],
    ));
    content
}

/// TID 10021 radiopharmaceutical report with every row of TID 10021, 10022 and 10023 and
/// three administrations, in the template's units.
pub fn rrdsr_full() -> ReportBuilder {
    rrdsr("rrdsr_full", true, NmUnits::Standard)
}

/// The radiopharmaceutical report without a Content Template Sequence.
pub fn rrdsr_no_template() -> ReportBuilder {
    rrdsr("rrdsr_no_template", false, NmUnits::Standard)
}

/// The radiopharmaceutical report with values in other units (activity in mCi, half-life in
/// min, height in cm) and organ doses in a unit that is not a dose (mGy/MBq).
pub fn rrdsr_wrong_unit() -> ReportBuilder {
    rrdsr("rrdsr_wrong_unit", true, NmUnits::Other)
}

/// The CT report of `ct_minimal` with the TID 10012 / 10013 rows it lacks: a second CT Dose
/// Length Product Total for the head phantom (a per-phantom sub-total), a CT Effective Dose
/// Total with its method, patient model and measurement conditions, and in each acquisition
/// its DateTime Started, reconstruction algorithms, a repeated-acquisition flag with its
/// reason, a coded X-Ray Modulation Type, and (spiral only) a size-specific dose estimate
/// and water equivalent diameter with their methods, source image and z location, and
/// z-resolved (IEC 62985) estimates and diameters in the CT Dose and at the event level.
pub fn ct_all_rows() -> ReportBuilder {
    let seed = "ct_all_rows";
    let builder = ct_minimal().seed(seed);
    let study_uid = builder.study_uid();
    let is = |item: &Item, value: &str| item.concept().is_some_and(|c| c.value() == value);
    let method =
        |value: Code| Item::code(HasConceptMod, srt("G-C036", "Measurement Method"), value);
    let mut started = ["20240315093512", "20240315093740"].into_iter();
    let mut n = 0u32;
    let content = ct_content(&study_uid, seed, None)
        .into_iter()
        .map(|item| {
            if is(&item, "113811") {
                item.with_child(
                    Item::num(
                        Contains,
                        dcm("113813", "CT Dose Length Product Total"),
                        "152.4",
                        ucum("mGy.cm", "mGy.cm"),
                    )
                    .with_child(Item::code(
                        HasConceptMod,
                        dcm("113835", "CTDIw Phantom Type"),
                        dcm("113690", "IEC Head Dosimetry Phantom"),
                    )),
                )
                .with_child(
                    Item::num(
                        Contains,
                        dcm("113814", "CT Effective Dose Total"),
                        "7.2",
                        ucum("mSv", "mSv"),
                    )
                    .with_children(vec![
                        method(dcm("113802", "DLP to E conversion via measurement")),
                        Item::text(
                            HasProperties,
                            dcm("113815", "Patient Model"),
                            "Adult reference phantom",
                        ),
                        Item::container(
                            HasProperties,
                            dcm("113816", "Condition Effective Dose measured"),
                            vec![
                                Item::text(
                                    Contains,
                                    dcm("113817", "Effective Dose Phantom Type"),
                                    "Anthropomorphic adult phantom",
                                ),
                                Item::text(Contains, dcm("113818", "Dosimeter Type"), "TLD-100"),
                            ],
                        ),
                    ]),
                )
            } else if is(&item, "113819") {
                n += 1;
                let spiral = n == 2;
                let at = started.next().unwrap_or("20240315094000");
                let children = item
                    .children()
                    .iter()
                    .cloned()
                    .map(|c| ct_all_rows_event_row(c, spiral))
                    .collect();
                let reason = if spiral {
                    Code::new("MOTION", "99RDSRTEST", "Patient motion")
                } else {
                    Code::new("POSITION", "99RDSRTEST", "Positioning error")
                };
                let item = item.with_children(children);
                // The spiral also has a z-resolved water equivalent diameter at the event
                // level.
                let item = if spiral {
                    item.with_child(
                        num(
                            dcm(
                                "113995",
                                "Water Equivalent Diameter At Longitudinal Position Z",
                            ),
                            "305",
                            ucum("mm", "mm"),
                        )
                        .with_child(Item::num(
                            HasProperties,
                            dcm("113994", "Longitudinal Position Z"),
                            "150",
                            ucum("mm", "mm"),
                        )),
                    )
                } else {
                    item
                };
                item.with_child(Item::datetime(
                    Contains,
                    dcm("111526", "DateTime Started"),
                    at,
                ))
                .with_child(
                    Item::code(
                        Contains,
                        dcm("128551", "Is Repeated Acquisition"),
                        Code::new("373066001", "SCT", "Yes"),
                    )
                    .with_child(Item::code(
                        HasConceptMod,
                        dcm("128552", "Reason for Repeating Acquisition"),
                        reason,
                    )),
                )
                .with_child(Item::code(
                    Contains,
                    dcm("113842", "X-Ray Modulation Type"),
                    if spiral {
                        Code::new("AL", "99RDSRTEST", "Angular and longitudinal")
                    } else {
                        Code::new("NONE", "99RDSRTEST", "None")
                    },
                ))
            } else {
                item
            }
        })
        .collect();
    builder.content(content)
}

/// One row of a `ct_all_rows` acquisition: the CT Acquisition Type gets its reconstruction
/// algorithms (filtered back projection; for the spiral also iterative reconstruction), and
/// the spiral's CT Dose its size-specific dose estimate and water equivalent diameter.
fn ct_all_rows_event_row(row: Item, spiral: bool) -> Item {
    let is = |value: &str| row.concept().is_some_and(|c| c.value() == value);
    let algorithm = |value: Code| {
        Item::code(
            HasProperties,
            dcm("113961", "Reconstruction Algorithm"),
            value,
        )
    };
    let method =
        |value: Code| Item::code(HasConceptMod, srt("G-C036", "Measurement Method"), value);
    if is("113820") {
        let row = row.with_child(algorithm(dcm("113962", "Filtered Back Projection")));
        if spiral {
            row.with_child(algorithm(dcm("113963", "Iterative Reconstruction")))
        } else {
            row
        }
    } else if is("113829") && spiral {
        let row = ct_all_rows_z_resolved()
            .into_iter()
            .fold(row, |row, z| row.with_child(z));
        row.with_child(
            num(
                dcm("113930", "Size Specific Dose Estimation"),
                "15.6",
                ucum("mGy", "mGy"),
            )
            .with_child(method(dcm(
                "113988",
                "Estimated from Water Equivalent Diameter",
            ))),
        )
        .with_child(
            num(
                dcm("113980", "Water Equivalent Diameter"),
                "285",
                ucum("mm", "mm"),
            )
            .with_children(vec![
                method(dcm("113987", "AAPM 220")),
                Item::image(
                    InferredFrom,
                    dcm("121112", "Source of Measurement"),
                    "1.2.840.10008.5.1.4.1.1.2",
                    uid_from_seed("ct_all_rows/localizer", 30),
                ),
                Item::num(
                    HasProperties,
                    dcm(
                        "113986",
                        "Z value of location of Water Equivalent Diameter estimation",
                    ),
                    "-150.5",
                    ucum("mm", "mm"),
                ),
            ]),
        )
    } else {
        row
    }
}

/// The z-resolved rows (IEC 62985) of the `ct_all_rows` spiral's CT Dose: values with their
/// Longitudinal Position Z as a child (HAS PROPERTIES or HAS CONCEPT MOD), and a container grouping one
/// position with an SSDE(z) and a WED(z).
fn ct_all_rows_z_resolved() -> Vec<Item> {
    let position = |relationship, value: &str, unit: &str| {
        Item::num(
            relationship,
            dcm("113994", "Longitudinal Position Z"),
            value,
            ucum(unit, unit),
        )
    };
    let ssde = |value: &str| {
        num(
            dcm(
                "113993",
                "Size Specific Dose Estimate At Longitudinal Position Z",
            ),
            value,
            ucum("mGy", "mGy"),
        )
    };
    let wed = |value: &str| {
        num(
            dcm(
                "113995",
                "Water Equivalent Diameter At Longitudinal Position Z",
            ),
            value,
            ucum("mm", "mm"),
        )
    };
    vec![
        ssde("14.8").with_child(position(HasProperties, "-200", "mm")),
        ssde("16.1").with_child(position(HasConceptMod, "-100", "mm")),
        wed("298").with_child(position(HasProperties, "-200", "mm")),
        Item::container(
            Contains,
            Code::new("ZVALUES", "99RDSRTEST", "Values at a longitudinal position"),
            vec![position(Contains, "50", "mm"), ssde("17.3"), wed("270")],
        ),
    ]
}

/// The projection report of `projection_minimal` with the TID 10002 / 10007 / 10003c rows it
/// lacks: the Distance Source to Reference Point at the accumulation level, the equipment
/// landmark and patient fiducial rows, and in each event the isocenter positioner angles,
/// table end angles, table positions to the isocenter, compression pressure and compression
/// contact area.
pub fn projection_all_rows() -> ReportBuilder {
    let seed = "projection_all_rows";
    let builder = projection(Projection {
        seed,
        transfer_syntax: TransferSyntax::ExplicitVrLittleEndian,
        binary_values: false,
    });
    let study_uid = builder.study_uid();
    let mm = || ucum("mm", "mm");
    let deg = || ucum("deg", "deg");
    let is = |item: &Item, value: &str| item.concept().is_some_and(|c| c.value() == value);
    let mut n = 0u32;
    let content = projection_content(&study_uid, seed, false)
        .into_iter()
        .map(|item| {
            if is(&item, "113702") {
                let rows: Vec<Item> = item
                    .children()
                    .iter()
                    .cloned()
                    .chain([
                        num(
                            dcm("113737", "Distance Source to Reference Point"),
                            "700",
                            mm(),
                        ),
                        Item::code(
                            Contains,
                            dcm("128750", "Equipment Landmark"),
                            Code::new("TABLE-HEAD", "99RDSRTEST", "Head end of table"),
                        ),
                        Item::code(
                            Contains,
                            dcm("128751", "Equipment Landmark XY Plane"),
                            Code::new("TABLE-TOP", "99RDSRTEST", "Table top plane"),
                        ),
                        num(dcm("128752", "Equipment Landmark Z Position"), "-120", mm()),
                        Item::code(
                            Contains,
                            dcm("128753", "Patient Fiducial"),
                            Code::new("VERTEX", "99RDSRTEST", "Vertex of skull"),
                        ),
                        num(
                            dcm(
                                "128754",
                                "Equipment Landmark to Patient Fiducial X Distance",
                            ),
                            "12.5",
                            mm(),
                        ),
                        num(
                            dcm(
                                "128755",
                                "Equipment Landmark to Patient Fiducial Y Distance",
                            ),
                            "-3",
                            mm(),
                        ),
                        num(
                            dcm(
                                "128756",
                                "Equipment Landmark to Patient Fiducial Z Distance",
                            ),
                            "150",
                            mm(),
                        ),
                    ])
                    .collect();
                item.with_children(rows)
            } else if is(&item, "113706") {
                n += 1;
                let k = f64::from(n);
                let v = |base: f64| format!("{}", base + k);
                let rows: Vec<Item> = item
                    .children()
                    .iter()
                    .cloned()
                    .chain([
                        num(
                            dcm("128757", "Positioner Isocenter Primary Angle"),
                            &v(10.0),
                            deg(),
                        ),
                        num(
                            dcm("128758", "Positioner Isocenter Secondary Angle"),
                            &v(-20.0),
                            deg(),
                        ),
                        num(
                            dcm("128759", "Positioner Isocenter Detector Rotation Angle"),
                            &v(2.0),
                            deg(),
                        ),
                        num(
                            dcm("128760", "Positioner Isocenter Primary End Angle"),
                            &v(30.0),
                            deg(),
                        ),
                        num(
                            dcm("128761", "Positioner Isocenter Secondary End Angle"),
                            &v(-10.0),
                            deg(),
                        ),
                        num(
                            dcm("128762", "Positioner Isocenter Detector Rotation End Angle"),
                            &v(4.0),
                            deg(),
                        ),
                        num(dcm("128763", "Table Head Tilt End Angle"), &v(1.0), deg()),
                        num(
                            dcm("128764", "Table Horizontal Rotation End Angle"),
                            &v(5.0),
                            deg(),
                        ),
                        num(dcm("128765", "Table Cradle Tilt End Angle"), &v(0.5), deg()),
                        num(
                            dcm("128766", "Table X Position to Isocenter"),
                            &v(100.0),
                            mm(),
                        ),
                        num(
                            dcm("128767", "Table Y Position to Isocenter"),
                            &v(-50.0),
                            mm(),
                        ),
                        num(
                            dcm("128768", "Table Z Position to Isocenter"),
                            &v(-200.0),
                            mm(),
                        ),
                        num(
                            dcm("128769", "Table X End Position to Isocenter"),
                            &v(110.0),
                            mm(),
                        ),
                        num(
                            dcm("128770", "Table Y End Position to Isocenter"),
                            &v(-40.0),
                            mm(),
                        ),
                        num(
                            dcm("128771", "Table Z End Position to Isocenter"),
                            &v(-190.0),
                            mm(),
                        ),
                        num(
                            dcm("111648", "Compression Pressure"),
                            &v(9.0),
                            ucum("kPa", "kPa"),
                        ),
                        num(
                            dcm("111649", "Compression Contact Area"),
                            &v(11999.0),
                            ucum("mm2", "mm2"),
                        ),
                    ])
                    .collect();
                item.with_children(rows)
            } else {
                item
            }
        })
        .collect();
    builder.content(content)
}
