//! What the quirk table records on a report: the kinds of non-conformance and the changes a
//! fix made. The table itself and the fixes are in [`crate::quirks`]; these records sit here,
//! below it, because a [`crate::DoseReport`] carries them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The closed set of ways equipment breaks the standard.
///
/// Stability: variants are only added (in minor releases), never renamed or removed; their
/// kebab-case names (used in quirk files) are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum NonConformance {
    /// The document declares no root template identifier.
    MissingTemplateIdentifier,
    /// A content item required to have a value has none (empty NUM, CODE, TEXT, DATETIME).
    EmptyValue,
    /// A value in a unit other than the template's.
    NonStandardUnit,
    /// A content item of the wrong value type (a UID as TEXT, a code as TEXT).
    ValueTypeMismatch,
    /// An item at a position the current template does not define (or no longer defines).
    MisplacedItem,
    /// A concept coded with a wrong code, meaning or spelling.
    WrongMeaning,
    /// Data the standard has a place for, sent only in private items or free text.
    PrivateOnlyData,
    /// A mandatory attribute or content item is missing.
    MissingMandatoryAttribute,
    /// A value that breaks its VR's encoding rules (a DS with a `/` separator).
    InvalidValueEncoding,
    /// A coded value from a private or non-standard coding scheme where a standard one exists.
    NonStandardCode,
}

impl NonConformance {
    /// Every kind, in declaration order.
    pub const ALL: &'static [NonConformance] = &[
        NonConformance::MissingTemplateIdentifier,
        NonConformance::EmptyValue,
        NonConformance::NonStandardUnit,
        NonConformance::ValueTypeMismatch,
        NonConformance::MisplacedItem,
        NonConformance::WrongMeaning,
        NonConformance::PrivateOnlyData,
        NonConformance::MissingMandatoryAttribute,
        NonConformance::InvalidValueEncoding,
        NonConformance::NonStandardCode,
    ];

    /// The kebab-case name used in quirk files.
    pub fn as_str(self) -> &'static str {
        match self {
            NonConformance::MissingTemplateIdentifier => "missing-template-identifier",
            NonConformance::EmptyValue => "empty-value",
            NonConformance::NonStandardUnit => "non-standard-unit",
            NonConformance::ValueTypeMismatch => "value-type-mismatch",
            NonConformance::MisplacedItem => "misplaced-item",
            NonConformance::WrongMeaning => "wrong-meaning",
            NonConformance::PrivateOnlyData => "private-only-data",
            NonConformance::MissingMandatoryAttribute => "missing-mandatory-attribute",
            NonConformance::InvalidValueEncoding => "invalid-value-encoding",
            NonConformance::NonStandardCode => "non-standard-code",
        }
    }

    /// The kind named `s` in a quirk file.
    pub(crate) fn parse(s: &str) -> Option<NonConformance> {
        NonConformance::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
    }
}

impl fmt::Display for NonConformance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change a fix made (or, in strict mode, would make).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Change {
    /// The SR content path changed (`None` for header-level changes).
    #[serde(default)]
    pub path: Option<String>,
    /// The DICOM concept or attribute concerned, as the file names it
    /// (`Collimated Field Height (113788)`, `Study Date (0008,0020)`), when the fix knows it.
    #[serde(default)]
    pub field: Option<String>,
    /// What was there.
    pub before: String,
    /// What is read instead.
    pub after: String,
}

impl Change {
    /// A change at `path` (`None` for header-level changes), without a named field.
    pub fn new(path: Option<String>, before: impl Into<String>, after: impl Into<String>) -> Self {
        Change {
            path,
            field: None,
            before: before.into(),
            after: after.into(),
        }
    }

    /// Names the DICOM concept or attribute concerned.
    #[must_use]
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}
