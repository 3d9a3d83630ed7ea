//! Coded concepts: `(value, scheme, meaning)` triplets, matched by code, never by meaning.
//!
//! A [`Code`] is what a file holds (borrowed from the document). A [`CodeConst`] is a code
//! this crate knows, with the legacy and alternative codings that mean the same concept
//! (SNOMED-RT `SRT` ids, SNOMED CT `SCT` ids, UMLS CUIs). Scheme designators are compared
//! case-insensitively through a small alias table (`SNM3` is read as `SRT`, `UCM` as `UCUM`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A coded value as found in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Code<'d> {
    /// Code Value (0008,0100), or Long Code Value / URN Code Value when that is what the file has.
    pub value: &'d str,
    /// Coding Scheme Designator (0008,0102).
    pub scheme: &'d str,
    /// Code Meaning (0008,0104).
    pub meaning: &'d str,
}

impl<'d> Code<'d> {
    /// Whether this code is `known` or one of its equivalent codings.
    #[inline]
    pub fn is(&self, known: &CodeConst) -> bool {
        known.matches(self.value, self.scheme)
    }

    /// Whether this code is any of `known`.
    pub fn is_any(&self, known: &[&CodeConst]) -> bool {
        known.iter().any(|k| self.is(k))
    }

    /// The known constant for this code, if the crate has one.
    pub fn known(&self) -> Option<&'static CodeConst> {
        super::codes::lookup(self.value, self.scheme)
    }

    /// An owned copy.
    pub fn to_owned_code(&self) -> OwnedCode {
        OwnedCode {
            value: self.value.to_string(),
            scheme: self.scheme.to_string(),
            meaning: self.meaning.to_string(),
        }
    }
}

impl fmt::Display for Code<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {}, \"{}\")", self.value, self.scheme, self.meaning)
    }
}

/// An owned coded value, for records that outlive the document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OwnedCode {
    /// Code Value.
    pub value: String,
    /// Coding Scheme Designator.
    pub scheme: String,
    /// Code Meaning, as the file gave it.
    pub meaning: String,
}

impl OwnedCode {
    /// A code from its value, coding scheme designator and meaning.
    pub fn new(
        value: impl Into<String>,
        scheme: impl Into<String>,
        meaning: impl Into<String>,
    ) -> Self {
        OwnedCode {
            value: value.into(),
            scheme: scheme.into(),
            meaning: meaning.into(),
        }
    }

    /// Whether this code is `known` or one of its equivalent codings.
    pub fn is(&self, known: &CodeConst) -> bool {
        known.matches(&self.value, &self.scheme)
    }
}

impl fmt::Display for OwnedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {}, \"{}\")", self.value, self.scheme, self.meaning)
    }
}

/// A code this crate knows, with its equivalent codings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CodeConst {
    /// Index of the constant in [`super::codes::ALL`], or [`CodeConst::NO_ID`] for a code
    /// made elsewhere. Lets items be matched against known codes by number.
    pub id: u16,
    /// Code Value of the preferred coding.
    pub value: &'static str,
    /// Coding Scheme Designator of the preferred coding.
    pub scheme: &'static str,
    /// The standard Code Meaning.
    pub meaning: &'static str,
    /// Equivalent `(value, scheme)` codings (SNOMED CT, UMLS, legacy ids).
    pub aliases: &'static [(&'static str, &'static str)],
}

impl CodeConst {
    /// The `id` of a code that is not in the crate's table.
    pub const NO_ID: u16 = u16::MAX;

    /// Whether `(value, scheme)` is this code or one of its equivalents.
    pub fn matches(&self, value: &str, scheme: &str) -> bool {
        if value == self.value && same_scheme(scheme, self.scheme) {
            return true;
        }
        self.aliases
            .iter()
            .any(|(v, s)| value == *v && same_scheme(scheme, s))
    }

    /// As a [`Code`].
    pub fn code(&self) -> Code<'static> {
        Code {
            value: self.value,
            scheme: self.scheme,
            meaning: self.meaning,
        }
    }
}

impl fmt::Display for CodeConst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.code().fmt(f)
    }
}

/// Scheme designators that name the same coding scheme.
const SCHEME_ALIASES: &[(&str, &str)] = &[
    // SNOMED 3 designator used by some mammography units for SNOMED-RT ids.
    ("SNM3", "SRT"),
    ("99SDM", "SRT"),
    // Misspelt UCUM designator seen on GE surgical units.
    ("UCM", "UCUM"),
    ("LNC", "LN"),
];

fn canonical_scheme(scheme: &str) -> &str {
    let scheme = scheme.trim();
    for (alias, canonical) in SCHEME_ALIASES {
        if scheme.eq_ignore_ascii_case(alias) {
            return canonical;
        }
    }
    scheme
}

/// Whether two scheme designators name the same scheme.
#[inline]
pub fn same_scheme(a: &str, b: &str) -> bool {
    a == b || canonical_scheme(a).eq_ignore_ascii_case(canonical_scheme(b))
}

/// Declares code constants and the sorted table [`super::codes::ALL`].
///
/// ```text
/// codes! {
///     /// doc
///     NAME = ("value", "scheme", "meaning") [, ("alias value", "alias scheme")]*;
/// }
/// ```
macro_rules! codes {
    ($( $(#[$doc:meta])* $name:ident = ($v:literal, $s:literal, $m:literal) $(, ($av:literal, $as:literal))* ; )*) => {
        /// Sequential ids of the constants (their index in `ALL`).
        #[allow(non_camel_case_types, clippy::upper_case_acronyms, dead_code)]
        #[repr(u16)]
        enum Id { $($name),* }
        $(
            $(#[$doc])*
            pub const $name: CodeConst = CodeConst {
                id: Id::$name as u16,
                value: $v,
                scheme: $s,
                meaning: $m,
                aliases: &[$(($av, $as)),*],
            };
        )*
        /// Every code constant of this module, in declaration order.
        pub const ALL: &[&CodeConst] = &[$(&$name),*];
    };
}
pub(crate) use codes;

#[cfg(test)]
mod tests {
    use super::*;

    const SPIRAL: CodeConst = CodeConst {
        id: CodeConst::NO_ID,
        value: "P5-08001",
        scheme: "SRT",
        meaning: "Spiral Acquisition",
        aliases: &[("116152004", "SCT"), ("C0860888", "UMLS")],
    };

    #[test]
    fn owned_code_new_matches_its_known_code_by_an_alias() {
        let code = OwnedCode::new("116152004", "SCT", "Spiral Acquisition");
        assert_eq!(code.value, "116152004");
        assert_eq!(code.scheme, "SCT");
        assert_eq!(code.meaning, "Spiral Acquisition");
        assert!(code.is(&SPIRAL));
    }

    #[test]
    fn matches_by_code_and_equivalents_not_meaning() {
        let c = |value, scheme, meaning| Code {
            value,
            scheme,
            meaning,
        };
        assert!(c("P5-08001", "SRT", "whatever").is(&SPIRAL));
        assert!(c("116152004", "SCT", "Helical").is(&SPIRAL));
        assert!(c("C0860888", "umls", "").is(&SPIRAL));
        assert!(!c("P5-08001", "DCM", "Spiral Acquisition").is(&SPIRAL));
        assert!(!c("113804", "DCM", "Spiral Acquisition").is(&SPIRAL));
    }

    #[test]
    fn scheme_aliases() {
        assert!(same_scheme("SNM3", "SRT"));
        assert!(same_scheme("ucm", "UCUM"));
        assert!(!same_scheme("SCT", "SRT"));
    }
}
