//! Which root template a document uses: declared, or shown by its content.

use crate::model::{Template, TemplateSource};
use crate::sr::{Document, codes};

/// The declared template (the root's Content Template Sequence), if any.
pub fn detect_template(doc: &Document<'_>) -> (Template, TemplateSource) {
    match doc.template_id() {
        Some(id) => (Template::from_id(id), TemplateSource::Declared),
        None => (Template::Unknown, TemplateSource::None),
    }
}

/// The template a document's content shows, for documents that declare none.
///
/// Projection reports: procedure reported 113704 or mammography, or 113702 / 113706
/// containers; CT reports: procedure reported P5-08000, or 113811 / 113819 containers;
/// radiopharmaceutical reports: 113502 (administration) or 121118 (patient characteristics)
/// containers;
/// anywhere among the root's children (not only the first, [OpenREM B5](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b5)).
pub(crate) fn infer_template(doc: &Document<'_>) -> Option<Template> {
    let root = doc.root();
    let projection = root.children().any(|c| {
        c.is(&codes::ACCUMULATED_XRAY_DOSE_DATA)
            || c.is(&codes::IRRADIATION_EVENT_XRAY_DATA)
            || (c.is(&codes::PROCEDURE_REPORTED)
                && c.code_value()
                    .is_some_and(|v| v.is(&codes::PROJECTION_XRAY) || v.is(&codes::MAMMOGRAPHY)))
    });
    let ct = root.children().any(|c| {
        c.is(&codes::CT_ACCUMULATED_DOSE_DATA)
            || c.is(&codes::CT_ACQUISITION)
            || (c.is(&codes::PROCEDURE_REPORTED)
                && c.code_value()
                    .is_some_and(|v| v.is(&codes::COMPUTED_TOMOGRAPHY_XRAY)))
    });
    let radiopharmaceutical = root.children().any(|c| {
        c.is(&codes::RADIOPHARMACEUTICAL_ADMINISTRATION) || c.is(&codes::PATIENT_CHARACTERISTICS)
    });
    match (projection, ct, radiopharmaceutical) {
        (true, false, false) => Some(Template::Projection),
        (false, true, false) => Some(Template::Ct),
        (false, false, true) => Some(Template::Radiopharmaceutical),
        _ => None,
    }
}
