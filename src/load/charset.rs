//! Text decoding with the data set's Specific Character Set (0008,0005).
//!
//! ASCII text (nearly all of a dose report) is borrowed from the input as is. Other text is
//! decoded per the declared character set, with the [`MisdeclaredText`] policy deciding what
//! happens when the bytes contradict the declaration.

use std::borrow::Cow;

use dicom_encoding::text::{SpecificCharacterSet, TextCodec};

use super::options::MisdeclaredText;

/// The character set a data set declares.
#[derive(Debug, Clone)]
pub(crate) enum Charset {
    /// None declared, or ISO_IR 6: ASCII.
    Default,
    /// ISO_IR 100 (ISO-8859-1).
    Latin1,
    /// ISO_IR 192 (UTF-8).
    Utf8,
    /// Anything else dicom-rs can decode.
    Other(SpecificCharacterSet, String),
    /// A declaration dicom-rs does not know; decoded as ISO-8859-1.
    Unknown(String),
}

/// What happened while decoding one value, for a diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Finding {
    /// Declared Latin-1 or nothing, bytes are UTF-8: decoded as UTF-8.
    Utf8Detected,
    /// Undeclared non-ASCII text that is not UTF-8: decoded as ISO-8859-1.
    UndeclaredLatin1,
    /// Bytes invalid in the declared character set: invalid sequences replaced.
    Invalid,
    /// Declaration unknown: decoded as ISO-8859-1.
    UnknownCharset,
}

impl Finding {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Finding::Utf8Detected => "charset.utf8_detected",
            Finding::UndeclaredLatin1 => "charset.undeclared",
            Finding::Invalid => "charset.invalid",
            Finding::UnknownCharset => "charset.unknown",
        }
    }

    pub(crate) fn message(self, charset: &Charset) -> String {
        match self {
            Finding::Utf8Detected => format!(
                "text declared as {} is UTF-8; decoded as UTF-8",
                charset.name()
            ),
            Finding::UndeclaredLatin1 => {
                "non-ASCII text without a declared character set; decoded as ISO-8859-1".into()
            }
            Finding::Invalid => format!(
                "text is not valid {}; invalid bytes replaced",
                charset.name()
            ),
            Finding::UnknownCharset => format!(
                "unknown Specific Character Set {}; decoded as ISO-8859-1",
                charset.name()
            ),
        }
    }
}

impl Charset {
    /// From the raw value of (0008,0005).
    pub(crate) fn from_declaration(value: Option<&str>) -> Charset {
        let Some(value) = value else {
            return Charset::Default;
        };
        // Multi-valued declarations (ISO 2022 code extensions) name the default repertoire
        // first; the extension after it is what non-ASCII bytes use.
        let term = value
            .split('\\')
            .map(str::trim)
            .rfind(|t| !t.is_empty())
            .unwrap_or("");
        match term {
            "" | "ISO_IR 6" | "ISO 2022 IR 6" => Charset::Default,
            "ISO_IR 100" | "ISO 2022 IR 100" => Charset::Latin1,
            "ISO_IR 192" => Charset::Utf8,
            other => match SpecificCharacterSet::from_code(other) {
                Some(cs) => Charset::Other(cs, value.trim().to_string()),
                None => Charset::Unknown(value.trim().to_string()),
            },
        }
    }

    /// The declared name, for messages.
    pub(crate) fn name(&self) -> &str {
        match self {
            Charset::Default => "ISO_IR 6 (default)",
            Charset::Latin1 => "ISO_IR 100",
            Charset::Utf8 => "ISO_IR 192",
            Charset::Other(_, n) | Charset::Unknown(n) => n,
        }
    }

    /// Decodes text bytes. ASCII and valid UTF-8 are borrowed.
    pub(crate) fn decode<'b>(
        &self,
        bytes: &'b [u8],
        policy: MisdeclaredText,
    ) -> (Cow<'b, str>, Option<Finding>) {
        // One validation pass: ASCII (nearly all text) is valid UTF-8 and borrowed as is.
        let utf8 = std::str::from_utf8(bytes).ok();
        if let Some(s) = utf8 {
            if matches!(self, Charset::Utf8) || s.is_ascii() {
                return (Cow::Borrowed(s), None);
            }
        }
        match self {
            Charset::Utf8 => match utf8 {
                Some(s) => (Cow::Borrowed(s), None),
                None => (
                    Cow::Owned(String::from_utf8_lossy(bytes).into_owned()),
                    Some(Finding::Invalid),
                ),
            },
            Charset::Default => match (policy, utf8) {
                (MisdeclaredText::DetectUtf8, Some(s)) => {
                    (Cow::Borrowed(s), Some(Finding::Utf8Detected))
                }
                _ => (Cow::Owned(latin1(bytes)), Some(Finding::UndeclaredLatin1)),
            },
            Charset::Latin1 => match (policy, utf8) {
                (MisdeclaredText::DetectUtf8, Some(s)) => {
                    (Cow::Borrowed(s), Some(Finding::Utf8Detected))
                }
                _ => (Cow::Owned(latin1(bytes)), None),
            },
            Charset::Other(cs, _) => match cs.decode(bytes) {
                Ok(s) => (Cow::Owned(s), None),
                Err(_) => (Cow::Owned(latin1(bytes)), Some(Finding::Invalid)),
            },
            Charset::Unknown(_) => (Cow::Owned(latin1(bytes)), Some(Finding::UnknownCharset)),
        }
    }
}

/// ISO-8859-1: every byte is the code point of the same number.
fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_borrowed() {
        let (s, f) = Charset::Latin1.decode(b"Fluoro", MisdeclaredText::DetectUtf8);
        assert!(matches!(s, Cow::Borrowed("Fluoro")));
        assert_eq!(f, None);
    }

    #[test]
    fn undeclared_latin1_byte_is_decoded_as_latin1() {
        let (s, f) = Charset::Default.decode(b"M\xfcller", MisdeclaredText::DetectUtf8);
        assert_eq!(s, "Müller");
        assert_eq!(f, Some(Finding::UndeclaredLatin1));
    }

    #[test]
    fn utf8_declared_as_latin1_is_detected() {
        let bytes = "testæøå".as_bytes();
        let (s, f) = Charset::Latin1.decode(bytes, MisdeclaredText::DetectUtf8);
        assert_eq!(s, "testæøå");
        assert_eq!(f, Some(Finding::Utf8Detected));
        let (s, f) = Charset::Latin1.decode(bytes, MisdeclaredText::AsDeclared);
        assert_eq!(s, "testÃ¦Ã¸Ã¥");
        assert_eq!(f, None);
    }

    #[test]
    fn multi_valued_declaration_uses_the_extension() {
        let cs = Charset::from_declaration(Some("\\ISO 2022 IR 87"));
        assert!(matches!(cs, Charset::Other(..)));
        assert!(matches!(
            Charset::from_declaration(Some("ISO_IR 192")),
            Charset::Utf8
        ));
    }
}
