//! Mapping hints: what the quirk table tells a template mapper before it runs.

use crate::model::Template;
use crate::sr::CodeConst;

/// A concept written with the wrong code that a quirk tells the mapper to read as another
/// (Hologic's 113745 with the meaning of 113945). The meaning must match too
/// (case-insensitively), so the code's legitimate uses are unaffected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConceptAlias {
    /// Code value as written.
    pub value: String,
    /// Coding scheme as written.
    pub scheme: String,
    /// Code meaning as written.
    pub meaning: String,
    /// The concept it stands for.
    pub means: CodeConst,
}

/// Mapping hints set by fixes before the template mapper runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Hints {
    /// The template to map with when the document declares none.
    pub template: Option<Template>,
    /// Concepts to read as other concepts.
    pub concept_aliases: Vec<ConceptAlias>,
    /// Treat projection equipment as fluoroscopy whatever its Acquisition Device Type says
    /// (Philips Azurion, [OpenREM #673](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-673)).
    pub fluoroscopy_equipment: bool,
    /// Accept a UID sent as TEXT where UIDREF is required (GE surgical, [OpenREM #739](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-739)).
    pub uid_as_text: bool,
    /// Take the study date and time from the content or series date and time when the
    /// study's are missing (Varian, [OpenREM #681](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-681)).
    pub study_date_fallback: bool,
    /// Also read an event's laterality under Anatomical structure, its place before DICOM
    /// CP-1676 ([OpenREM #784](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-784)).
    pub pre_cp1676_laterality: bool,
}
