//! Content items of an SR document tree: [`Item`], [`Code`], [`Relationship`].

use dicom_core::value::{C, DataSetSequence};
use dicom_core::{DataElement, PrimitiveValue, Tag, VR};
use dicom_dictionary_std::tags;
use dicom_object::InMemDicomObject;

use super::Dataset;

/// A coded concept: code value, coding scheme designator and code meaning.
///
/// Private coding schemes (for example `99PHI-IXR-XPER`) are just codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    value: String,
    scheme: String,
    meaning: String,
    scheme_version: Option<String>,
    kind: CodeValueKind,
}

/// Which attribute carries the code value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CodeValueKind {
    /// Code Value (0008,0100), SH.
    Short,
    /// Long Code Value (0008,0119), UC.
    Long,
    /// URN Code Value (0008,0120), UR.
    Urn,
}

impl Code {
    /// A code whose value goes into Code Value (0008,0100).
    ///
    /// The value is written as given, even when it is longer than the
    /// 16 characters SH allows (useful for defect fixtures).
    pub fn new(
        value: impl Into<String>,
        scheme: impl Into<String>,
        meaning: impl Into<String>,
    ) -> Self {
        Code {
            value: value.into(),
            scheme: scheme.into(),
            meaning: meaning.into(),
            scheme_version: None,
            kind: CodeValueKind::Short,
        }
    }

    /// A code whose value goes into Long Code Value (0008,0119).
    pub fn long(
        value: impl Into<String>,
        scheme: impl Into<String>,
        meaning: impl Into<String>,
    ) -> Self {
        Code {
            kind: CodeValueKind::Long,
            ..Code::new(value, scheme, meaning)
        }
    }

    /// A code whose value goes into URN Code Value (0008,0120).
    ///
    /// No Coding Scheme Designator is written for URN codes unless the
    /// scheme given here is not empty.
    pub fn urn(value: impl Into<String>, meaning: impl Into<String>) -> Self {
        Code {
            kind: CodeValueKind::Urn,
            ..Code::new(value, "", meaning)
        }
    }

    /// Adds a Coding Scheme Version (0008,0103).
    pub fn with_scheme_version(mut self, version: impl Into<String>) -> Self {
        self.scheme_version = Some(version.into());
        self
    }

    /// The code value.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The coding scheme designator.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The code meaning.
    pub fn meaning(&self) -> &str {
        &self.meaning
    }

    /// The code as a sequence item (Basic Code Sequence Macro attributes).
    pub fn to_item(&self) -> InMemDicomObject {
        let mut obj = InMemDicomObject::new_empty();
        match self.kind {
            CodeValueKind::Short => {
                obj.put(str_elem(tags::CODE_VALUE, VR::SH, &self.value));
            }
            CodeValueKind::Long => {
                obj.put(str_elem(tags::LONG_CODE_VALUE, VR::UC, &self.value));
            }
            CodeValueKind::Urn => {
                obj.put(str_elem(tags::URN_CODE_VALUE, VR::UR, &self.value));
            }
        }
        if self.kind != CodeValueKind::Urn || !self.scheme.is_empty() {
            obj.put(str_elem(
                tags::CODING_SCHEME_DESIGNATOR,
                VR::SH,
                &self.scheme,
            ));
        }
        if let Some(version) = &self.scheme_version {
            obj.put(str_elem(tags::CODING_SCHEME_VERSION, VR::SH, version));
        }
        obj.put(str_elem(tags::CODE_MEANING, VR::LO, &self.meaning));
        obj
    }
}

/// The Relationship Type (0040,A010) of a content item with its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relationship {
    /// `CONTAINS`
    Contains,
    /// `HAS PROPERTIES`
    HasProperties,
    /// `HAS OBS CONTEXT`
    HasObsContext,
    /// `HAS ACQ CONTEXT`
    HasAcqContext,
    /// `INFERRED FROM`
    InferredFrom,
    /// `SELECTED FROM`
    SelectedFrom,
    /// `HAS CONCEPT MOD`
    HasConceptMod,
    /// Any other string, written verbatim (for defect fixtures).
    Custom(&'static str),
}

impl Relationship {
    /// The defined term written to Relationship Type (0040,A010).
    pub fn as_str(&self) -> &'static str {
        match self {
            Relationship::Contains => "CONTAINS",
            Relationship::HasProperties => "HAS PROPERTIES",
            Relationship::HasObsContext => "HAS OBS CONTEXT",
            Relationship::HasAcqContext => "HAS ACQ CONTEXT",
            Relationship::InferredFrom => "INFERRED FROM",
            Relationship::SelectedFrom => "SELECTED FROM",
            Relationship::HasConceptMod => "HAS CONCEPT MOD",
            Relationship::Custom(s) => s,
        }
    }
}

/// Continuity Of Content (0040,A050) of a CONTAINER.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Continuity {
    /// `SEPARATE` (the default)
    #[default]
    Separate,
    /// `CONTINUOUS`
    Continuous,
}

impl Continuity {
    /// The enumerated value written to Continuity Of Content.
    pub fn as_str(&self) -> &'static str {
        match self {
            Continuity::Separate => "SEPARATE",
            Continuity::Continuous => "CONTINUOUS",
        }
    }
}

/// How a TCOORD item references its temporal positions.
#[derive(Debug, Clone, PartialEq)]
pub enum TemporalRef {
    /// Referenced Sample Positions (0040,A132), UL.
    SamplePositions(Vec<u32>),
    /// Referenced Time Offsets (0040,A138), DS.
    TimeOffsets(Vec<f64>),
    /// Referenced DateTime (0040,A13A), DT.
    DateTimes(Vec<String>),
}

/// The value of a content item, determined by its value type.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Container {
        continuity: Continuity,
        template: Option<String>,
    },
    Code(Code),
    Num {
        value: String,
        units: Option<Code>,
        float: Option<f64>,
    },
    Text(String),
    UidRef(String),
    DateTime(String),
    Date(String),
    Time(String),
    PName(String),
    Image {
        sop_class: String,
        sop_instance: String,
        frames: Vec<i32>,
    },
    Composite {
        sop_class: String,
        sop_instance: String,
    },
    Waveform {
        sop_class: String,
        sop_instance: String,
        channels: Vec<u16>,
    },
    Scoord {
        graphic_type: String,
        data: Vec<f32>,
    },
    Scoord3d {
        graphic_type: String,
        data: Vec<f32>,
        frame_of_reference: String,
    },
    Tcoord {
        range_type: String,
        reference: TemporalRef,
    },
    ByReference(Vec<u32>),
}

impl Value {
    fn value_type(&self) -> Option<&'static str> {
        Some(match self {
            Value::Container { .. } => "CONTAINER",
            Value::Code(_) => "CODE",
            Value::Num { .. } => "NUM",
            Value::Text(_) => "TEXT",
            Value::UidRef(_) => "UIDREF",
            Value::DateTime(_) => "DATETIME",
            Value::Date(_) => "DATE",
            Value::Time(_) => "TIME",
            Value::PName(_) => "PNAME",
            Value::Image { .. } => "IMAGE",
            Value::Composite { .. } => "COMPOSITE",
            Value::Waveform { .. } => "WAVEFORM",
            Value::Scoord { .. } => "SCOORD",
            Value::Scoord3d { .. } => "SCOORD3D",
            Value::Tcoord { .. } => "TCOORD",
            Value::ByReference(_) => return None,
        })
    }

    /// The tag of the sequence holding the value, for the value types
    /// whose value is a sequence.
    fn value_sequence_tag(&self) -> Option<Tag> {
        match self {
            Value::Code(_) => Some(tags::CONCEPT_CODE_SEQUENCE),
            Value::Num { .. } => Some(tags::MEASURED_VALUE_SEQUENCE),
            Value::Image { .. } | Value::Composite { .. } | Value::Waveform { .. } => {
                Some(tags::REFERENCED_SOP_SEQUENCE)
            }
            _ => None,
        }
    }
}

/// One content item of the SR tree, with its children.
///
/// Build items with the constructors ([`Item::num`], [`Item::code`],
/// [`Item::container`], ...), then adjust them with the `with_*` and
/// `without_*` methods. Several of these exist only to write deliberately
/// defective items, as found in files of some vendors.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    relationship: Option<Relationship>,
    concept: Option<Code>,
    value: Value,
    value_type_override: Option<String>,
    children: Vec<Item>,
    omit_value: bool,
    empty_value_sequence: bool,
    qualifier: Option<Code>,
    extra: Vec<(Tag, VR, PrimitiveValue)>,
    extra_sequences: Vec<(Tag, Vec<Dataset>)>,
}

impl Item {
    fn new(relationship: Relationship, concept: Option<Code>, value: Value) -> Self {
        Item {
            relationship: Some(relationship),
            concept,
            value,
            value_type_override: None,
            children: Vec::new(),
            omit_value: false,
            empty_value_sequence: false,
            qualifier: None,
            extra: Vec::new(),
            extra_sequences: Vec::new(),
        }
    }

    /// The concept name, if any.
    pub fn concept(&self) -> Option<&Code> {
        self.concept.as_ref()
    }

    /// A CONTAINER item (continuity `SEPARATE`) with the given children.
    pub fn container(relationship: Relationship, concept: Code, children: Vec<Item>) -> Self {
        Item::new(
            relationship,
            Some(concept),
            Value::Container {
                continuity: Continuity::Separate,
                template: None,
            },
        )
        .with_children(children)
    }

    /// A CODE item: `concept` = `value`.
    pub fn code(relationship: Relationship, concept: Code, value: Code) -> Self {
        Item::new(relationship, Some(concept), Value::Code(value))
    }

    /// A CODE item whose Concept Code Sequence (0040,A168) has zero items.
    pub fn code_empty(relationship: Relationship, concept: Code) -> Self {
        Item::code(relationship, concept, Code::new("", "", "")).with_empty_value_sequence()
    }

    /// A NUM item. `value` is written verbatim to Numeric Value (0040,A30A),
    /// so malformed strings such as `"10.50/ 15.00"`, `""` or a
    /// multi-valued `"1\\2\\3"` can be written too.
    pub fn num(
        relationship: Relationship,
        concept: Code,
        value: impl Into<String>,
        units: Code,
    ) -> Self {
        Item::new(
            relationship,
            Some(concept),
            Value::Num {
                value: value.into(),
                units: Some(units),
                float: None,
            },
        )
    }

    /// A NUM item whose Measured Value Sequence (0040,A300) has zero items
    /// (add a Numeric Value Qualifier with [`Item::with_qualifier`]).
    pub fn num_empty(relationship: Relationship, concept: Code) -> Self {
        Item::new(
            relationship,
            Some(concept),
            Value::Num {
                value: String::new(),
                units: None,
                float: None,
            },
        )
        .with_empty_value_sequence()
    }

    /// A TEXT item (Text Value (0040,A160), UT).
    pub fn text(relationship: Relationship, concept: Code, text: impl Into<String>) -> Self {
        Item::new(relationship, Some(concept), Value::Text(text.into()))
    }

    /// A UIDREF item (UID (0040,A124), UI).
    pub fn uidref(relationship: Relationship, concept: Code, uid: impl Into<String>) -> Self {
        Item::new(relationship, Some(concept), Value::UidRef(uid.into()))
    }

    /// A DATETIME item (DateTime (0040,A120), DT), e.g. `"20240315101500"`.
    pub fn datetime(relationship: Relationship, concept: Code, dt: impl Into<String>) -> Self {
        Item::new(relationship, Some(concept), Value::DateTime(dt.into()))
    }

    /// A DATE item (Date (0040,A121), DA), e.g. `"20240315"`.
    pub fn date(relationship: Relationship, concept: Code, date: impl Into<String>) -> Self {
        Item::new(relationship, Some(concept), Value::Date(date.into()))
    }

    /// A TIME item (Time (0040,A122), TM), e.g. `"101500"`.
    pub fn time(relationship: Relationship, concept: Code, time: impl Into<String>) -> Self {
        Item::new(relationship, Some(concept), Value::Time(time.into()))
    }

    /// A PNAME item (Person Name (0040,A123), PN), e.g. `"Doe^Jane"`.
    pub fn pname(relationship: Relationship, concept: Code, name: impl Into<String>) -> Self {
        Item::new(relationship, Some(concept), Value::PName(name.into()))
    }

    /// An IMAGE item referencing one SOP instance.
    pub fn image(
        relationship: Relationship,
        concept: Code,
        sop_class: impl Into<String>,
        sop_instance: impl Into<String>,
    ) -> Self {
        Item::new(
            relationship,
            Some(concept),
            Value::Image {
                sop_class: sop_class.into(),
                sop_instance: sop_instance.into(),
                frames: Vec::new(),
            },
        )
    }

    /// A COMPOSITE item referencing one SOP instance.
    pub fn composite(
        relationship: Relationship,
        concept: Code,
        sop_class: impl Into<String>,
        sop_instance: impl Into<String>,
    ) -> Self {
        Item::new(
            relationship,
            Some(concept),
            Value::Composite {
                sop_class: sop_class.into(),
                sop_instance: sop_instance.into(),
            },
        )
    }

    /// A WAVEFORM item referencing one SOP instance.
    pub fn waveform(
        relationship: Relationship,
        concept: Code,
        sop_class: impl Into<String>,
        sop_instance: impl Into<String>,
    ) -> Self {
        Item::new(
            relationship,
            Some(concept),
            Value::Waveform {
                sop_class: sop_class.into(),
                sop_instance: sop_instance.into(),
                channels: Vec::new(),
            },
        )
    }

    /// A SCOORD item: Graphic Type (0070,0023) and Graphic Data (0070,0022), FL.
    pub fn scoord(
        relationship: Relationship,
        concept: Code,
        graphic_type: impl Into<String>,
        data: Vec<f32>,
    ) -> Self {
        Item::new(
            relationship,
            Some(concept),
            Value::Scoord {
                graphic_type: graphic_type.into(),
                data,
            },
        )
    }

    /// A SCOORD3D item with its Referenced Frame of Reference UID (3006,0024).
    pub fn scoord3d(
        relationship: Relationship,
        concept: Code,
        graphic_type: impl Into<String>,
        data: Vec<f32>,
        frame_of_reference: impl Into<String>,
    ) -> Self {
        Item::new(
            relationship,
            Some(concept),
            Value::Scoord3d {
                graphic_type: graphic_type.into(),
                data,
                frame_of_reference: frame_of_reference.into(),
            },
        )
    }

    /// A TCOORD item: Temporal Range Type (0040,A130) and its references.
    pub fn tcoord(
        relationship: Relationship,
        concept: Code,
        range_type: impl Into<String>,
        reference: TemporalRef,
    ) -> Self {
        Item::new(
            relationship,
            Some(concept),
            Value::Tcoord {
                range_type: range_type.into(),
                reference,
            },
        )
    }

    /// A by-reference item: Referenced Content Item Identifier (0040,DB73),
    /// UL, the path of positions (1-based) from the root to the target.
    /// It has no Value Type and no Concept Name.
    pub fn by_reference(relationship: Relationship, path: Vec<u32>) -> Self {
        Item::new(relationship, None, Value::ByReference(path))
    }

    /// Replaces the children (written to the item's Content Sequence).
    /// Any value type may have children.
    pub fn with_children(mut self, children: Vec<Item>) -> Self {
        self.children = children;
        self
    }

    /// Appends one child.
    pub fn with_child(mut self, child: Item) -> Self {
        self.children.push(child);
        self
    }

    /// Sets the Continuity Of Content of a CONTAINER (ignored otherwise).
    pub fn with_continuity(mut self, continuity: Continuity) -> Self {
        if let Value::Container { continuity: c, .. } = &mut self.value {
            *c = continuity;
        }
        self
    }

    /// Adds a Content Template Sequence (DCMR, `template_id`) to a CONTAINER
    /// (ignored for other value types).
    pub fn with_template(mut self, template_id: impl Into<String>) -> Self {
        if let Value::Container { template, .. } = &mut self.value {
            *template = Some(template_id.into());
        }
        self
    }

    /// Adds a Floating Point Value (0040,A161), FD, next to the Numeric
    /// Value of a NUM (ignored for other value types).
    pub fn with_float(mut self, value: f64) -> Self {
        if let Value::Num { float, .. } = &mut self.value {
            *float = Some(value);
        }
        self
    }

    /// Writes a NUM without Measurement Units Code Sequence.
    pub fn without_units(mut self) -> Self {
        if let Value::Num { units, .. } = &mut self.value {
            *units = None;
        }
        self
    }

    /// Adds a Numeric Value Qualifier Code Sequence (0040,A301) to the item.
    pub fn with_qualifier(mut self, qualifier: Code) -> Self {
        self.qualifier = Some(qualifier);
        self
    }

    /// Adds Referenced Frame Number (0008,1160) to an IMAGE reference.
    pub fn with_frames(mut self, frame_numbers: Vec<i32>) -> Self {
        if let Value::Image { frames, .. } = &mut self.value {
            *frames = frame_numbers;
        }
        self
    }

    /// Adds Referenced Waveform Channels (0040,A0B0) to a WAVEFORM reference.
    pub fn with_channels(mut self, channel_pairs: Vec<u16>) -> Self {
        if let Value::Waveform { channels, .. } = &mut self.value {
            *channels = channel_pairs;
        }
        self
    }

    /// Defect knob: writes the value sequence of a CODE, NUM, IMAGE,
    /// COMPOSITE or WAVEFORM item with zero items.
    pub fn with_empty_value_sequence(mut self) -> Self {
        self.empty_value_sequence = true;
        self
    }

    /// Defect knob: omits the value attribute(s) altogether, e.g. a DATETIME
    /// item without DateTime (0040,A120), or a CODE item without Concept
    /// Code Sequence.
    pub fn without_value(mut self) -> Self {
        self.omit_value = true;
        self
    }

    /// Defect knob: omits Concept Name Code Sequence (0040,A043).
    pub fn without_concept(mut self) -> Self {
        self.concept = None;
        self
    }

    /// Defect knob: omits Relationship Type (0040,A010).
    pub fn without_relationship(mut self) -> Self {
        self.relationship = None;
        self
    }

    /// Defect knob: writes this string to Value Type (0040,A040) instead of
    /// the one matching the value, e.g. `"UIDREF"` on an item that carries
    /// a Text Value.
    pub fn with_value_type(mut self, value_type: impl Into<String>) -> Self {
        self.value_type_override = Some(value_type.into());
        self
    }

    /// Adds (or replaces) an arbitrary attribute on the item.
    pub fn with_attr(mut self, tag: Tag, vr: VR, value: impl Into<PrimitiveValue>) -> Self {
        self.extra.push((tag, vr, value.into()));
        self
    }

    /// Adds (or replaces) an arbitrary sequence attribute on the item.
    pub fn with_sequence(mut self, tag: Tag, items: Vec<Dataset>) -> Self {
        self.extra_sequences.push((tag, items));
        self
    }

    /// The children of this item.
    pub fn children(&self) -> &[Item] {
        &self.children
    }

    /// Writes this item (and, recursively, its children) as a Content
    /// Sequence item.
    pub fn to_dataset(&self) -> InMemDicomObject {
        let mut obj = InMemDicomObject::new_empty();
        if let Some(rel) = &self.relationship {
            obj.put(str_elem(tags::RELATIONSHIP_TYPE, VR::CS, rel.as_str()));
        }
        let value_type = self
            .value_type_override
            .as_deref()
            .or_else(|| self.value.value_type());
        if let Some(vt) = value_type {
            obj.put(str_elem(tags::VALUE_TYPE, VR::CS, vt));
        }
        if let Some(concept) = &self.concept {
            obj.put(seq_elem(
                tags::CONCEPT_NAME_CODE_SEQUENCE,
                vec![concept.to_item()],
            ));
        }
        if let Some(q) = &self.qualifier {
            obj.put(seq_elem(
                tags::NUMERIC_VALUE_QUALIFIER_CODE_SEQUENCE,
                vec![q.to_item()],
            ));
        }
        if !self.omit_value {
            self.put_value(&mut obj);
        }
        for (tag, vr, value) in &self.extra {
            obj.put(DataElement::new(*tag, *vr, value.clone()));
        }
        for (tag, items) in &self.extra_sequences {
            obj.put(seq_elem(
                *tag,
                items.iter().map(|d| d.to_object()).collect(),
            ));
        }
        if !self.children.is_empty() {
            obj.put(seq_elem(
                tags::CONTENT_SEQUENCE,
                self.children.iter().map(Item::to_dataset).collect(),
            ));
        }
        obj
    }

    fn put_value(&self, obj: &mut InMemDicomObject) {
        if self.empty_value_sequence {
            if let Some(tag) = self.value.value_sequence_tag() {
                obj.put(seq_elem(tag, Vec::new()));
                return;
            }
        }
        match &self.value {
            Value::Container {
                continuity,
                template,
            } => {
                obj.put(str_elem(
                    tags::CONTINUITY_OF_CONTENT,
                    VR::CS,
                    continuity.as_str(),
                ));
                if let Some(t) = template {
                    obj.put(seq_elem(
                        tags::CONTENT_TEMPLATE_SEQUENCE,
                        vec![template_item(t)],
                    ));
                }
            }
            Value::Code(code) => {
                obj.put(seq_elem(tags::CONCEPT_CODE_SEQUENCE, vec![code.to_item()]));
            }
            Value::Num {
                value,
                units,
                float,
            } => {
                let mut mv = InMemDicomObject::new_empty();
                if let Some(units) = units {
                    mv.put(seq_elem(
                        tags::MEASUREMENT_UNITS_CODE_SEQUENCE,
                        vec![units.to_item()],
                    ));
                }
                mv.put(str_elem(tags::NUMERIC_VALUE, VR::DS, value));
                if let Some(f) = float {
                    mv.put(DataElement::new(
                        tags::FLOATING_POINT_VALUE,
                        VR::FD,
                        PrimitiveValue::from(*f),
                    ));
                }
                obj.put(seq_elem(tags::MEASURED_VALUE_SEQUENCE, vec![mv]));
            }
            Value::Text(s) => {
                obj.put(str_elem(tags::TEXT_VALUE, VR::UT, s));
            }
            Value::UidRef(s) => {
                obj.put(str_elem(tags::UID, VR::UI, s));
            }
            Value::DateTime(s) => {
                obj.put(str_elem(tags::DATE_TIME, VR::DT, s));
            }
            Value::Date(s) => {
                obj.put(str_elem(tags::DATE, VR::DA, s));
            }
            Value::Time(s) => {
                obj.put(str_elem(tags::TIME, VR::TM, s));
            }
            Value::PName(s) => {
                obj.put(str_elem(tags::PERSON_NAME, VR::PN, s));
            }
            Value::Image {
                sop_class,
                sop_instance,
                frames,
            } => {
                let mut r = sop_reference(sop_class, sop_instance);
                if !frames.is_empty() {
                    r.put(DataElement::new(
                        tags::REFERENCED_FRAME_NUMBER,
                        VR::IS,
                        PrimitiveValue::Strs(frames.iter().map(|f| f.to_string()).collect()),
                    ));
                }
                obj.put(seq_elem(tags::REFERENCED_SOP_SEQUENCE, vec![r]));
            }
            Value::Composite {
                sop_class,
                sop_instance,
            } => {
                obj.put(seq_elem(
                    tags::REFERENCED_SOP_SEQUENCE,
                    vec![sop_reference(sop_class, sop_instance)],
                ));
            }
            Value::Waveform {
                sop_class,
                sop_instance,
                channels,
            } => {
                let mut r = sop_reference(sop_class, sop_instance);
                if !channels.is_empty() {
                    r.put(DataElement::new(
                        tags::REFERENCED_WAVEFORM_CHANNELS,
                        VR::US,
                        PrimitiveValue::U16(C::from_slice(channels)),
                    ));
                }
                obj.put(seq_elem(tags::REFERENCED_SOP_SEQUENCE, vec![r]));
            }
            Value::Scoord { graphic_type, data } => {
                obj.put(DataElement::new(
                    tags::GRAPHIC_DATA,
                    VR::FL,
                    PrimitiveValue::F32(C::from_slice(data)),
                ));
                obj.put(str_elem(tags::GRAPHIC_TYPE, VR::CS, graphic_type));
            }
            Value::Scoord3d {
                graphic_type,
                data,
                frame_of_reference,
            } => {
                obj.put(DataElement::new(
                    tags::GRAPHIC_DATA,
                    VR::FL,
                    PrimitiveValue::F32(C::from_slice(data)),
                ));
                obj.put(str_elem(tags::GRAPHIC_TYPE, VR::CS, graphic_type));
                obj.put(str_elem(
                    tags::REFERENCED_FRAME_OF_REFERENCE_UID,
                    VR::UI,
                    frame_of_reference,
                ));
            }
            Value::Tcoord {
                range_type,
                reference,
            } => {
                obj.put(str_elem(tags::TEMPORAL_RANGE_TYPE, VR::CS, range_type));
                match reference {
                    TemporalRef::SamplePositions(p) => {
                        obj.put(DataElement::new(
                            tags::REFERENCED_SAMPLE_POSITIONS,
                            VR::UL,
                            PrimitiveValue::U32(C::from_slice(p)),
                        ));
                    }
                    TemporalRef::TimeOffsets(t) => {
                        obj.put(DataElement::new(
                            tags::REFERENCED_TIME_OFFSETS,
                            VR::DS,
                            PrimitiveValue::Strs(t.iter().map(|v| v.to_string()).collect()),
                        ));
                    }
                    TemporalRef::DateTimes(d) => {
                        obj.put(DataElement::new(
                            tags::REFERENCED_DATE_TIME,
                            VR::DT,
                            PrimitiveValue::Strs(d.iter().cloned().collect()),
                        ));
                    }
                }
            }
            Value::ByReference(path) => {
                obj.put(DataElement::new(
                    tags::REFERENCED_CONTENT_ITEM_IDENTIFIER,
                    VR::UL,
                    PrimitiveValue::U32(C::from_slice(path)),
                ));
            }
        }
    }
}

/// A string-valued element.
pub(crate) fn str_elem(
    tag: Tag,
    vr: VR,
    value: &str,
) -> DataElement<InMemDicomObject, dicom_object::mem::InMemFragment> {
    let value = if value.is_empty() {
        PrimitiveValue::Empty
    } else {
        PrimitiveValue::from(value)
    };
    DataElement::new(tag, vr, value)
}

/// A sequence element with the given items (undefined length).
pub(crate) fn seq_elem(
    tag: Tag,
    items: Vec<InMemDicomObject>,
) -> DataElement<InMemDicomObject, dicom_object::mem::InMemFragment> {
    DataElement::new(tag, VR::SQ, DataSetSequence::from(items))
}

/// A Content Template Sequence item: Mapping Resource DCMR and the template.
pub(crate) fn template_item(template_id: &str) -> InMemDicomObject {
    let mut t = InMemDicomObject::new_empty();
    t.put(str_elem(tags::MAPPING_RESOURCE, VR::CS, "DCMR"));
    t.put(str_elem(tags::TEMPLATE_IDENTIFIER, VR::CS, template_id));
    t
}

fn sop_reference(sop_class: &str, sop_instance: &str) -> InMemDicomObject {
    let mut r = InMemDicomObject::new_empty();
    r.put(str_elem(tags::REFERENCED_SOP_CLASS_UID, VR::UI, sop_class));
    r.put(str_elem(
        tags::REFERENCED_SOP_INSTANCE_UID,
        VR::UI,
        sop_instance,
    ));
    r
}
