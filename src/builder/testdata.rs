//! The project's fixture reports, as builders.
//!
//! `examples/write_testdata.rs` writes each of [`all`] to `testdata/<name>`;
//! the builder's tests check that the committed files match these builders
//! byte for byte. All names, UIDs and values are fictitious.

use dicom_core::VR;
use dicom_dictionary_std::tags;

use super::{
    Code, Dataset, ENHANCED_SR, Item, Relationship, ReportBuilder, TransferSyntax, uid_from_seed,
};

use Relationship::{Contains, HasConceptMod, HasObsContext, HasProperties};

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
