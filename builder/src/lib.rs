//! SR builder: writes DICOM Structured Report files item by item (package `rdsr-builder`).
//!
//! The project uses it to write its own test fixtures (see `testdata/`),
//! including fixtures with deliberate defects as seen in vendor files.
//! Output is deterministic: default UIDs derive from a seed string, default
//! dates and times are fixed, and nothing depends on the clock or on
//! randomness, so regenerating a file gives the same bytes.
//!
//! ```
//! use rdsr_builder::{Code, Item, Relationship, ReportBuilder, TransferSyntax};
//!
//! let bytes = ReportBuilder::xray_dose_report()
//!     .seed("doc-example")
//!     .transfer_syntax(TransferSyntax::ExplicitVrLittleEndian)
//!     .content(vec![
//!         Item::code(
//!             Relationship::HasConceptMod,
//!             Code::new("121058", "DCM", "Procedure reported"),
//!             Code::new("113704", "DCM", "Projection X-Ray"),
//!         ),
//!         Item::container(
//!             Relationship::Contains,
//!             Code::new("113706", "DCM", "Irradiation Event X-Ray Data"),
//!             vec![Item::num(
//!                 Relationship::Contains,
//!                 Code::new("122130", "DCM", "Dose Area Product"),
//!                 "0.00123",
//!                 Code::new("Gy.m2", "UCUM", "Gy.m2"),
//!             )],
//!         ),
//!     ])
//!     .to_bytes()?;
//! assert_eq!(&bytes[128..132], b"DICM");
//! # Ok::<(), rdsr_builder::BuildError>(())
//! ```

#![deny(missing_docs)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod item;
pub mod testdata;
#[cfg(test)]
mod tests;

pub use item::{Code, Continuity, Item, Relationship, TemporalRef};

use std::io::Write;
use std::path::{Path, PathBuf};

use dicom_core::header::Header;
use dicom_core::{DataElement, PrimitiveValue, Tag, VR};
use dicom_dictionary_std::tags;
use dicom_object::mem::InMemElement;
use dicom_object::{FileMetaTableBuilder, InMemDicomObject};

use item::{seq_elem, str_elem, template_item};

/// The UID root under which all default UIDs are made (a made-up example
/// root; the files are fictitious).
pub const UID_ROOT: &str = "1.2.826.0.1.3680043.10.1234";

/// Implementation Class UID (0002,0012) written to the file meta group.
pub const IMPLEMENTATION_CLASS_UID: &str = "1.2.826.0.1.3680043.10.1234.0.1";

/// Implementation Version Name (0002,0013) written to the file meta group.
pub const IMPLEMENTATION_VERSION_NAME: &str = "RDSR_BUILDER";

/// SOP Class UID of X-Ray Radiation Dose SR Storage.
pub const XRAY_RADIATION_DOSE_SR: &str = "1.2.840.10008.5.1.4.1.1.88.67";
/// SOP Class UID of Enhanced SR Storage.
pub const ENHANCED_SR: &str = "1.2.840.10008.5.1.4.1.1.88.22";
/// SOP Class UID of Comprehensive SR Storage.
pub const COMPREHENSIVE_SR: &str = "1.2.840.10008.5.1.4.1.1.88.33";

/// Default Study Date / Content Date.
pub const DEFAULT_DATE: &str = "20240315";
/// Default Study Time / Content Time.
pub const DEFAULT_TIME: &str = "101500";

/// An error while building or writing a report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The file meta group could not be built or encoded.
    #[error("could not build the file meta group")]
    Meta(#[source] Box<dicom_object::meta::Error>),
    /// The data set could not be encoded.
    #[error("could not encode the data set")]
    Write(#[source] Box<dicom_object::WriteError>),
    /// The data set could not be deflated.
    #[error("could not deflate the data set")]
    Deflate(#[source] std::io::Error),
    /// The output file could not be written.
    #[error("could not write {}", path.display())]
    Io {
        /// The file that could not be written.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// The transfer syntax of the written data set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TransferSyntax {
    /// Implicit VR Little Endian, 1.2.840.10008.1.2.
    ImplicitVrLittleEndian,
    /// Explicit VR Little Endian, 1.2.840.10008.1.2.1 (the default).
    #[default]
    ExplicitVrLittleEndian,
    /// Explicit VR Big Endian (retired), 1.2.840.10008.1.2.2.
    ExplicitVrBigEndian,
    /// Deflated Explicit VR Little Endian, 1.2.840.10008.1.2.1.99: the
    /// data set is written explicit VR little endian and raw-deflated; the
    /// file meta group stays uncompressed.
    DeflatedExplicitVrLittleEndian,
}

impl TransferSyntax {
    /// The transfer syntax UID.
    pub fn uid(&self) -> &'static str {
        match self {
            TransferSyntax::ImplicitVrLittleEndian => "1.2.840.10008.1.2",
            TransferSyntax::ExplicitVrLittleEndian => "1.2.840.10008.1.2.1",
            TransferSyntax::ExplicitVrBigEndian => "1.2.840.10008.1.2.2",
            TransferSyntax::DeflatedExplicitVrLittleEndian => "1.2.840.10008.1.2.1.99",
        }
    }
}

/// Derives a deterministic UID under [`UID_ROOT`] from a seed string and an
/// arc number: `<root>.<arc>.<64-bit FNV-1a hash of seed>`.
///
/// Different seeds give different UIDs (up to hash collisions); the same
/// seed always gives the same UID.
pub fn uid_from_seed(seed: &str, arc: u32) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{UID_ROOT}.{arc}.{hash}")
}

/// A small attribute set, used for sequence items outside the content tree
/// (Procedure Code Sequence, Request Attributes Sequence, extra sequences
/// on content items).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq)]
enum Entry {
    Primitive(Tag, VR, PrimitiveValue),
    Sequence(Tag, Vec<Dataset>),
}

impl Entry {
    fn to_element(&self) -> InMemElement {
        match self {
            Entry::Primitive(tag, vr, value) => DataElement::new(*tag, *vr, value.clone()),
            Entry::Sequence(tag, items) => {
                seq_elem(*tag, items.iter().map(Dataset::to_object).collect())
            }
        }
    }
}

impl Dataset {
    /// An empty attribute set.
    pub fn new() -> Self {
        Dataset::default()
    }

    /// Adds an attribute with any primitive value.
    pub fn attr(mut self, tag: Tag, vr: VR, value: impl Into<PrimitiveValue>) -> Self {
        self.entries.push(Entry::Primitive(tag, vr, value.into()));
        self
    }

    /// Adds a string attribute (an empty string gives a zero-length value).
    pub fn attr_str(self, tag: Tag, vr: VR, value: &str) -> Self {
        let value = if value.is_empty() {
            PrimitiveValue::Empty
        } else {
            PrimitiveValue::from(value)
        };
        self.attr(tag, vr, value)
    }

    /// Adds a code sequence with one item.
    pub fn code_sequence(mut self, tag: Tag, code: Code) -> Self {
        self.entries
            .push(Entry::Sequence(tag, vec![Dataset::from_code(&code)]));
        self
    }

    /// Adds a sequence with the given items (none for an empty sequence).
    pub fn sequence(mut self, tag: Tag, items: Vec<Dataset>) -> Self {
        self.entries.push(Entry::Sequence(tag, items));
        self
    }

    /// The attributes of a code (Basic Code Sequence Macro).
    pub fn from_code(code: &Code) -> Self {
        let mut d = Dataset::new();
        for elem in code.to_item() {
            if let dicom_core::DicomValue::Primitive(value) = elem.value() {
                d.entries
                    .push(Entry::Primitive(elem.tag(), elem.vr(), value.clone()));
            }
        }
        d
    }

    /// Converts to an in-memory DICOM object (later attributes replace
    /// earlier ones with the same tag).
    pub fn to_object(&self) -> InMemDicomObject {
        let mut obj = InMemDicomObject::new_empty();
        for e in &self.entries {
            obj.put(e.to_element());
        }
        obj
    }
}

/// Builds one SR document and writes it as a DICOM file.
///
/// Start with [`ReportBuilder::xray_dose_report`],
/// [`ReportBuilder::comprehensive`] or [`ReportBuilder::new`], set the
/// document attributes and the content tree, then call
/// [`ReportBuilder::to_bytes`] or [`ReportBuilder::write_file`].
#[derive(Debug, Clone, PartialEq)]
pub struct ReportBuilder {
    sop_class: String,
    root_concept: Option<Code>,
    template: Option<String>,
    root_continuity: Continuity,
    transfer_syntax: TransferSyntax,
    preamble: bool,
    file_meta: bool,
    charset: Option<String>,
    seed: String,
    study_uid: Option<String>,
    series_uid: Option<String>,
    instance_uid: Option<String>,
    attrs: Vec<Entry>,
    removed: Vec<Tag>,
    content: Vec<Item>,
}

impl ReportBuilder {
    /// A report of the given SOP class with the given root concept, no
    /// template, and the defaults described on [`ReportBuilder::to_object`].
    pub fn new(sop_class: impl Into<String>, root_concept: Code) -> Self {
        ReportBuilder {
            sop_class: sop_class.into(),
            root_concept: Some(root_concept),
            template: None,
            root_continuity: Continuity::Separate,
            transfer_syntax: TransferSyntax::default(),
            preamble: true,
            file_meta: true,
            charset: None,
            seed: "rdsr".to_owned(),
            study_uid: None,
            series_uid: None,
            instance_uid: None,
            attrs: Vec::new(),
            removed: Vec::new(),
            content: Vec::new(),
        }
    }

    /// An X-Ray Radiation Dose SR (1.2.840.10008.5.1.4.1.1.88.67) with root
    /// concept (113701, DCM, "X-Ray Radiation Dose Report") and template
    /// TID 10001 (use [`ReportBuilder::template`] for TID 10011).
    pub fn xray_dose_report() -> Self {
        ReportBuilder::new(
            XRAY_RADIATION_DOSE_SR,
            Code::new("113701", "DCM", "X-Ray Radiation Dose Report"),
        )
        .template("10001")
    }

    /// A Comprehensive SR (1.2.840.10008.5.1.4.1.1.88.33) with the given
    /// root concept and no template.
    pub fn comprehensive(root_concept: Code) -> Self {
        ReportBuilder::new(COMPREHENSIVE_SR, root_concept)
    }

    /// Overrides the SOP Class UID (also used as Media Storage SOP Class UID).
    pub fn sop_class(mut self, uid: impl Into<String>) -> Self {
        self.sop_class = uid.into();
        self
    }

    /// Sets the root Content Template Sequence (DCMR, `template_id`).
    pub fn template(mut self, template_id: impl Into<String>) -> Self {
        self.template = Some(template_id.into());
        self
    }

    /// Omits the root Content Template Sequence.
    pub fn no_template(mut self) -> Self {
        self.template = None;
        self
    }

    /// Sets the root Concept Name Code Sequence (document title).
    pub fn root_concept(mut self, concept: Code) -> Self {
        self.root_concept = Some(concept);
        self
    }

    /// Defect knob: omits the root Concept Name Code Sequence.
    pub fn no_root_concept(mut self) -> Self {
        self.root_concept = None;
        self
    }

    /// Sets the root Continuity Of Content (default `SEPARATE`).
    pub fn root_continuity(mut self, continuity: Continuity) -> Self {
        self.root_continuity = continuity;
        self
    }

    /// Sets the transfer syntax of the data set.
    pub fn transfer_syntax(mut self, ts: TransferSyntax) -> Self {
        self.transfer_syntax = ts;
        self
    }

    /// Whether to write the 128-byte preamble (default `true`). Without it
    /// the file starts with `DICM` and the file meta group.
    pub fn preamble(mut self, preamble: bool) -> Self {
        self.preamble = preamble;
        self
    }

    /// Whether to write `DICM` and the file meta group (default `true`).
    /// `false` writes a bare data set in the chosen transfer syntax, with
    /// no preamble either.
    pub fn file_meta(mut self, file_meta: bool) -> Self {
        self.file_meta = file_meta;
        self
    }

    /// Sets Specific Character Set (0008,0005), e.g. `"ISO_IR 192"` (UTF-8)
    /// or `"ISO_IR 100"` (Latin-1). Text values are encoded accordingly.
    /// Without it, only ASCII text can be written.
    pub fn specific_character_set(mut self, charset: impl Into<String>) -> Self {
        self.charset = Some(charset.into());
        self
    }

    /// Sets the seed from which the default Study, Series and SOP Instance
    /// UIDs derive (see [`uid_from_seed`]; arcs 1, 2 and 3).
    pub fn seed(mut self, seed: impl Into<String>) -> Self {
        self.seed = seed.into();
        self
    }

    /// Sets Study Instance UID (0020,000D).
    pub fn study_instance_uid(mut self, uid: impl Into<String>) -> Self {
        self.study_uid = Some(uid.into());
        self
    }

    /// Sets Series Instance UID (0020,000E).
    pub fn series_instance_uid(mut self, uid: impl Into<String>) -> Self {
        self.series_uid = Some(uid.into());
        self
    }

    /// Sets SOP Instance UID (0008,0018), also the Media Storage SOP
    /// Instance UID.
    pub fn sop_instance_uid(mut self, uid: impl Into<String>) -> Self {
        self.instance_uid = Some(uid.into());
        self
    }

    /// The Study Instance UID that will be written.
    pub fn study_uid(&self) -> String {
        self.study_uid
            .clone()
            .unwrap_or_else(|| uid_from_seed(&self.seed, 1))
    }

    /// The Series Instance UID that will be written.
    pub fn series_uid(&self) -> String {
        self.series_uid
            .clone()
            .unwrap_or_else(|| uid_from_seed(&self.seed, 2))
    }

    /// The SOP Instance UID that will be written.
    pub fn instance_uid(&self) -> String {
        self.instance_uid
            .clone()
            .unwrap_or_else(|| uid_from_seed(&self.seed, 3))
    }

    /// Sets any top-level attribute (replacing a default or an earlier
    /// value with the same tag).
    pub fn attr(mut self, tag: Tag, vr: VR, value: impl Into<PrimitiveValue>) -> Self {
        self.attrs.push(Entry::Primitive(tag, vr, value.into()));
        self
    }

    /// Sets a top-level string attribute, e.g.
    /// `.attr_str(tags::MANUFACTURER, VR::LO, "RDSR Test Systems")`.
    /// An empty string gives a zero-length value.
    pub fn attr_str(self, tag: Tag, vr: VR, value: &str) -> Self {
        let value = if value.is_empty() {
            PrimitiveValue::Empty
        } else {
            PrimitiveValue::from(value)
        };
        self.attr(tag, vr, value)
    }

    /// Sets a top-level sequence with the given items (none for an empty
    /// sequence).
    pub fn sequence(mut self, tag: Tag, items: Vec<Dataset>) -> Self {
        self.attrs.push(Entry::Sequence(tag, items));
        self
    }

    /// Sets Procedure Code Sequence (0008,1032) to one code.
    pub fn procedure_code(self, code: Code) -> Self {
        self.sequence(
            tags::PROCEDURE_CODE_SEQUENCE,
            vec![Dataset::from_code(&code)],
        )
    }

    /// Sets Request Attributes Sequence (0040,0275); an empty vector writes
    /// an empty sequence.
    pub fn request_attributes(self, items: Vec<Dataset>) -> Self {
        self.sequence(tags::REQUEST_ATTRIBUTES_SEQUENCE, items)
    }

    /// Removes a top-level attribute, including one written by default
    /// (e.g. Completion Flag), after all other attributes are set.
    pub fn remove_attr(mut self, tag: Tag) -> Self {
        self.removed.push(tag);
        self
    }

    /// Replaces the content tree (the root's Content Sequence).
    pub fn content(mut self, items: Vec<Item>) -> Self {
        self.content = items;
        self
    }

    /// Appends one item to the root's Content Sequence.
    pub fn item(mut self, item: Item) -> Self {
        self.content.push(item);
        self
    }

    /// Builds the data set (without file meta group).
    ///
    /// Written by default: SOP Class/Instance UID, Study/Series Instance
    /// UID, Modality `SR`, Study Date/Time and Content Date/Time
    /// ([`DEFAULT_DATE`], [`DEFAULT_TIME`]), empty type 2 patient and study
    /// attributes (Patient's Name, Patient ID, Birth Date, Sex, Referring
    /// Physician's Name, Study ID, Accession Number, Manufacturer), Series
    /// and Instance Number 1, empty Referenced Performed Procedure Step
    /// Sequence and Performed Procedure Code Sequence, Completion Flag
    /// `COMPLETE`, Verification Flag `UNVERIFIED`, and the root content
    /// item: Value Type `CONTAINER`, Concept Name Code Sequence,
    /// Continuity Of Content, Content Template Sequence, Content Sequence.
    /// Attributes set with [`ReportBuilder::attr`] and friends replace
    /// these defaults.
    pub fn to_object(&self) -> InMemDicomObject {
        let mut obj = InMemDicomObject::new_empty();
        let mut put_str = |tag: Tag, vr: VR, value: &str| {
            obj.put(str_elem(tag, vr, value));
        };
        if let Some(cs) = &self.charset {
            put_str(tags::SPECIFIC_CHARACTER_SET, VR::CS, cs);
        }
        put_str(tags::SOP_CLASS_UID, VR::UI, &self.sop_class);
        put_str(tags::SOP_INSTANCE_UID, VR::UI, &self.instance_uid());
        put_str(tags::STUDY_DATE, VR::DA, DEFAULT_DATE);
        put_str(tags::CONTENT_DATE, VR::DA, DEFAULT_DATE);
        put_str(tags::STUDY_TIME, VR::TM, DEFAULT_TIME);
        put_str(tags::CONTENT_TIME, VR::TM, DEFAULT_TIME);
        put_str(tags::ACCESSION_NUMBER, VR::SH, "");
        put_str(tags::MODALITY, VR::CS, "SR");
        put_str(tags::MANUFACTURER, VR::LO, "");
        put_str(tags::REFERRING_PHYSICIAN_NAME, VR::PN, "");
        put_str(tags::PATIENT_NAME, VR::PN, "");
        put_str(tags::PATIENT_ID, VR::LO, "");
        put_str(tags::PATIENT_BIRTH_DATE, VR::DA, "");
        put_str(tags::PATIENT_SEX, VR::CS, "");
        put_str(tags::STUDY_INSTANCE_UID, VR::UI, &self.study_uid());
        put_str(tags::SERIES_INSTANCE_UID, VR::UI, &self.series_uid());
        put_str(tags::STUDY_ID, VR::SH, "");
        put_str(tags::SERIES_NUMBER, VR::IS, "1");
        put_str(tags::INSTANCE_NUMBER, VR::IS, "1");
        put_str(tags::VALUE_TYPE, VR::CS, "CONTAINER");
        put_str(
            tags::CONTINUITY_OF_CONTENT,
            VR::CS,
            self.root_continuity.as_str(),
        );
        put_str(tags::COMPLETION_FLAG, VR::CS, "COMPLETE");
        put_str(tags::VERIFICATION_FLAG, VR::CS, "UNVERIFIED");
        obj.put(seq_elem(
            tags::REFERENCED_PERFORMED_PROCEDURE_STEP_SEQUENCE,
            Vec::new(),
        ));
        obj.put(seq_elem(
            tags::PERFORMED_PROCEDURE_CODE_SEQUENCE,
            Vec::new(),
        ));
        if let Some(concept) = &self.root_concept {
            obj.put(seq_elem(
                tags::CONCEPT_NAME_CODE_SEQUENCE,
                vec![concept.to_item()],
            ));
        }
        if let Some(t) = &self.template {
            obj.put(seq_elem(
                tags::CONTENT_TEMPLATE_SEQUENCE,
                vec![template_item(t)],
            ));
        }
        if !self.content.is_empty() {
            obj.put(seq_elem(
                tags::CONTENT_SEQUENCE,
                self.content.iter().map(Item::to_dataset).collect(),
            ));
        }
        for e in &self.attrs {
            obj.put(e.to_element());
        }
        for tag in &self.removed {
            obj.remove_element(*tag);
        }
        obj
    }

    /// Encodes the report: preamble, `DICM` and file meta group (unless
    /// disabled), then the data set in the chosen transfer syntax.
    pub fn to_bytes(&self) -> Result<Vec<u8>, BuildError> {
        let obj = self.to_object();
        let mut out = Vec::new();
        if self.file_meta {
            if self.preamble {
                out.extend_from_slice(&[0u8; 128]);
            }
            out.extend_from_slice(b"DICM");
            let meta = self.meta(self.transfer_syntax.uid())?;
            meta.write(&mut out)
                .map_err(|e| BuildError::Meta(Box::new(e)))?;
        }
        match self.transfer_syntax {
            TransferSyntax::DeflatedExplicitVrLittleEndian => {
                let plain =
                    self.encode_dataset(obj, TransferSyntax::ExplicitVrLittleEndian.uid())?;
                let mut encoder =
                    flate2::write::DeflateEncoder::new(&mut out, flate2::Compression::default());
                encoder.write_all(&plain).map_err(BuildError::Deflate)?;
                encoder.finish().map_err(BuildError::Deflate)?;
            }
            ts => {
                let encoded = self.encode_dataset(obj, ts.uid())?;
                out.extend_from_slice(&encoded);
            }
        }
        Ok(out)
    }

    /// Encodes the report (see [`ReportBuilder::to_bytes`]) and writes it
    /// to `path`, replacing any existing file.
    pub fn write_file(&self, path: impl AsRef<Path>) -> Result<(), BuildError> {
        let path = path.as_ref();
        let bytes = self.to_bytes()?;
        std::fs::write(path, bytes).map_err(|source| BuildError::Io {
            path: path.to_owned(),
            source,
        })
    }

    fn meta(&self, ts_uid: &str) -> Result<dicom_object::FileMetaTable, BuildError> {
        FileMetaTableBuilder::new()
            .media_storage_sop_class_uid(self.sop_class.as_str())
            .media_storage_sop_instance_uid(self.instance_uid())
            .transfer_syntax(ts_uid)
            .implementation_class_uid(IMPLEMENTATION_CLASS_UID)
            .implementation_version_name(IMPLEMENTATION_VERSION_NAME)
            .build()
            .map_err(|e| BuildError::Meta(Box::new(e)))
    }

    /// Encodes the data set alone with the given (non-deflated) transfer
    /// syntax, through dicom-object's writer.
    fn encode_dataset(&self, obj: InMemDicomObject, ts_uid: &str) -> Result<Vec<u8>, BuildError> {
        let file = obj.with_exact_meta(self.meta(ts_uid)?);
        let mut out = Vec::new();
        file.write_dataset(&mut out)
            .map_err(|e| BuildError::Write(Box::new(e)))?;
        Ok(out)
    }
}
