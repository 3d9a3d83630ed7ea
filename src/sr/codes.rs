//! Code constants for every concept the importer reads (spec appendix A and the TID 10001 /
//! 10011 families), with their SNOMED-RT / SNOMED CT / UMLS equivalents.

use super::code::{CodeConst, codes, same_scheme};

codes! {
    // --- Document titles -------------------------------------------------------------------
    /// Document title of an X-ray radiation dose report (TID 10001, TID 10011).
    XRAY_RADIATION_DOSE_REPORT = ("113701", "DCM", "X-Ray Radiation Dose Report");
    /// Document title of a radiopharmaceutical radiation dose report (TID 10021).
    RADIOPHARMACEUTICAL_RADIATION_DOSE_REPORT = ("113500", "DCM", "Radiopharmaceutical Radiation Dose Report");

    // --- Root (TID 10001 / 10011) -----------------------------------------------------------
    /// Procedure reported (TID 10001/10011 row 2).
    PROCEDURE_REPORTED = ("121058", "DCM", "Procedure reported");
    /// Procedure reported value: projection X-ray.
    PROJECTION_XRAY = ("113704", "DCM", "Projection X-Ray");
    /// Procedure reported value: mammography.
    MAMMOGRAPHY = ("P5-40010", "SRT", "Mammography"), ("71651007", "SCT"), ("C0024671", "UMLS");
    /// Procedure reported value: computed tomography.
    COMPUTED_TOMOGRAPHY_XRAY = ("P5-08000", "SRT", "Computed Tomography X-Ray"), ("77477000", "SCT"), ("C0040405", "UMLS");
    /// Accumulated X-ray dose data container (TID 10002), one per plane.
    ACCUMULATED_XRAY_DOSE_DATA = ("113702", "DCM", "Accumulated X-Ray Dose Data");
    /// Projection irradiation event container (TID 10003).
    IRRADIATION_EVENT_XRAY_DATA = ("113706", "DCM", "Irradiation Event X-Ray Data");
    /// CT accumulated dose data container (TID 10012).
    CT_ACCUMULATED_DOSE_DATA = ("113811", "DCM", "CT Accumulated Dose Data");
    /// CT irradiation event container (TID 10013).
    CT_ACQUISITION = ("113819", "DCM", "CT Acquisition");
}

/// The known constant for `(value, scheme)`, if any (equivalent codings included).
pub fn lookup(value: &str, scheme: &str) -> Option<&'static CodeConst> {
    ALL.iter().copied().find(|c| c.matches(value, scheme))
}

/// Whether `scheme` is a known designator alias of `canonical` (re-exported for mappers).
pub fn scheme_is(scheme: &str, canonical: &str) -> bool {
    same_scheme(scheme, canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_no_duplicate_codings() {
        let mut seen = std::collections::HashSet::new();
        for c in ALL {
            assert!(seen.insert((c.value, c.scheme)), "duplicate {c}");
            for (v, s) in c.aliases {
                assert!(seen.insert((v, s)), "duplicate alias {v} {s} in {c}");
            }
        }
    }

    #[test]
    fn lookup_finds_equivalents() {
        assert_eq!(lookup("77477000", "SCT"), Some(&COMPUTED_TOMOGRAPHY_XRAY));
        assert_eq!(lookup("113701", "DCM"), Some(&XRAY_RADIATION_DOSE_REPORT));
        assert_eq!(lookup("113701", "SRT"), None);
    }
}
