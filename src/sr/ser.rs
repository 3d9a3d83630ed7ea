//! `serde` serialisation of the content tree: the shape of `rdsr dump --json`.
//!
//! Nesting follows the tree; its depth is bounded by [`crate::Options::max_depth`].

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::{Coordinates, Document, Item, Num, Reference, Value};

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("sop_class_uid", &self.sop_class_uid())?;
        m.serialize_entry("template_id", &self.template_id())?;
        m.serialize_entry("content", &self.root())?;
        m.end()
    }
}

struct ChildList<'d>(Item<'d>);

impl Serialize for ChildList<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for c in self.0.children() {
            seq.serialize_element(&c)?;
        }
        seq.end()
    }
}

impl Serialize for Item<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("path", &self.path().to_string())?;
        if let Some(r) = self.relationship() {
            m.serialize_entry("relationship", r.as_str())?;
        }
        m.serialize_entry("value_type", self.value_type().as_str())?;
        m.serialize_entry("concept", &self.concept())?;
        m.serialize_entry("value", &self.value())?;
        if self.children().next().is_some() {
            m.serialize_entry("children", &ChildList(*self))?;
        }
        m.end()
    }
}

impl Serialize for Num<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("value", &self.raw)?;
        m.serialize_entry("unit", &self.unit)?;
        if self.qualifier.is_some() {
            m.serialize_entry("qualifier", &self.qualifier)?;
        }
        if self.empty_measured_value {
            m.serialize_entry("empty_measured_value", &true)?;
        }
        m.end()
    }
}

impl Serialize for Reference<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("sop_class_uid", &self.sop_class_uid)?;
        m.serialize_entry("sop_instance_uid", &self.sop_instance_uid)?;
        if self.frames.is_some() {
            m.serialize_entry("frames", &self.frames)?;
        }
        m.end()
    }
}

struct Floats<'c, 'd>(&'c Coordinates<'d>);

impl Serialize for Floats<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for v in self.0.data() {
            seq.serialize_element(&v)?;
        }
        seq.end()
    }
}

impl Serialize for Coordinates<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("graphic_type", &self.graphic_type)?;
        if self.frame_of_reference_uid.is_some() {
            m.serialize_entry("frame_of_reference_uid", &self.frame_of_reference_uid)?;
        }
        m.serialize_entry("data", &Floats(self))?;
        m.end()
    }
}

impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Container {
                continuous,
                template,
            } => {
                let mut m = s.serialize_map(None)?;
                m.serialize_entry(
                    "continuity",
                    if *continuous {
                        "CONTINUOUS"
                    } else {
                        "SEPARATE"
                    },
                )?;
                if template.is_some() {
                    m.serialize_entry("template", template)?;
                }
                m.end()
            }
            Value::Code(c) => c.serialize(s),
            Value::Num(n) => n.serialize(s),
            Value::Text(t)
            | Value::UidRef(t)
            | Value::DateTime(t)
            | Value::Date(t)
            | Value::Time(t)
            | Value::PName(t)
            | Value::ByReference(t) => t.serialize(s),
            Value::Image(r) | Value::Composite(r) | Value::Waveform(r) => r.serialize(s),
            Value::SCoord(c) | Value::SCoord3D(c) => c.serialize(s),
            Value::TCoord { range_type } => {
                let mut m = s.serialize_map(None)?;
                m.serialize_entry("range_type", range_type)?;
                m.end()
            }
            Value::None => s.serialize_none(),
        }
    }
}
