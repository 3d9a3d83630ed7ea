//! Text decoding with the data set's Specific Character Set (0008,0005).
//!
//! ASCII text (nearly all of a dose report) is borrowed from the input as is. Other text is
//! decoded per the declared character set, with the [`MisdeclaredText`] policy deciding what
//! happens when the bytes contradict the declaration.
//!
//! # Bytes invalid in the declared character set
//!
//! This module is the one place that says what the reader does with them ([`Charset::check`],
//! used by both [`Charset::decode`] and the survey of a data set, [`survey`]):
//!
//! * Under ISO 2022 code extensions (a multi-valued declaration such as `\ISO 2022 IR 87`): a
//!   byte >= 0x80 while no G1 set is designated ([`Invalid::ByteOutsideRepertoire`], the
//!   Philips Allura `°` unit meanings), an escape sequence to a set the declaration does not
//!   name or that DICOM does not define ([`Invalid::UnknownEscape`]), and a two-byte set whose
//!   bytes end mid-character ([`Invalid::TruncatedSequence`]) make the whole value read as
//!   ISO-8859-1: every byte is the character of the same number (escape bytes included), so
//!   the original bytes are recoverable from the text (each character is below U+0100, its
//!   byte). This is what dicom-object 0.10 reads for such a declaration: it takes the first
//!   value only (empty: the default repertoire, which it decodes as ISO-8859-1).
//! * Under ISO_IR 192: bytes that are not UTF-8 ([`Invalid::NotDecodable`]) are U+FFFD, as
//!   before; the value's bytes stay in [`super::Dataset::value`].
//! * An ISO 2022 escape (ESC, 0x1B) in a value whose VR does not allow code extensions (AE,
//!   AS, CS, DA, DS, DT, IS, TM, UI, UR: [`Invalid::EscapeInVr`]) is kept as read, as
//!   dicom-object keeps it.
//!
//! Each kind is counted over the whole data set (file meta excepted) and becomes one
//! `charset.*` diagnostic per report naming the attribute and the SR path of the first
//! occurrence, with the count: Info in lenient mode, Warning in strict mode, with the same
//! text in both.

use std::borrow::Cow;

use dicom_core::{Tag, VR};
use dicom_encoding::text::{SpecificCharacterSet, TextCodec};

use super::options::MisdeclaredText;
use crate::error::DiagnosticCode;

/// The character set a data set declares.
#[derive(Debug, Clone)]
pub(crate) enum Charset {
    /// None declared, or ISO_IR 6: ASCII.
    Default,
    /// ISO_IR 100 (ISO-8859-1).
    Latin1,
    /// ISO_IR 192 (UTF-8).
    Utf8,
    /// ISO 2022 code extensions: a multi-valued declaration (`\ISO 2022 IR 87`,
    /// `ISO 2022 IR 100\ISO 2022 IR 87`).
    Iso2022(Box<Extensions>),
    /// Anything else dicom-rs can decode.
    Other(SpecificCharacterSet, String),
    /// A declaration dicom-rs does not know; decoded as ISO-8859-1.
    Unknown(String),
}

/// A code-extension declaration: what the first value designates and which sets escape
/// sequences may switch to.
#[derive(Debug, Clone)]
pub(crate) struct Extensions {
    /// The declaration as written.
    name: String,
    /// The set of the first value (G0 and G1 at the start of every value); `None` for the
    /// default repertoire (empty or ISO 2022 IR 6) or a first value dicom-rs does not know.
    initial: Option<Set>,
    /// The sets the declaration names (its escape sequences may designate them).
    declared: Vec<Set>,
    /// The decoder for values with escape sequences: the last named set's (as before).
    codec: Option<SpecificCharacterSet>,
}

/// A character set reachable under ISO 2022 code extensions (PS3.3 C.12.1.1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Set {
    /// ISO 2022 IR 6: ASCII in G0.
    Ascii,
    /// A single-byte set in G1 (ISO 2022 IR 100, 101, 109, 110, 126, 127, 138, 144, 148, 166),
    /// by the final byte of its `ESC - F` designation.
    G1Single(u8),
    /// ISO 2022 IR 13: JIS X 0201 Katakana in G1 and Romaji in G0.
    Jis0201,
    /// ISO 2022 IR 87 (JIS X 0208) or IR 159 (JIS X 0212): two bytes per character in G0.
    G0Double(u8),
    /// ISO 2022 IR 149 (KS X 1001) or IR 58 (GB 2312): two bytes per character in G1.
    G1Double(u8),
}

impl Set {
    fn from_term(term: &str) -> Option<Set> {
        let n = term
            .strip_prefix("ISO 2022 IR ")
            .or_else(|| term.strip_prefix("ISO_IR "))?;
        Some(match n.trim() {
            "6" => Set::Ascii,
            "100" => Set::G1Single(b'A'),
            "101" => Set::G1Single(b'B'),
            "109" => Set::G1Single(b'C'),
            "110" => Set::G1Single(b'D'),
            "126" => Set::G1Single(b'F'),
            "127" => Set::G1Single(b'G'),
            "138" => Set::G1Single(b'H'),
            "144" => Set::G1Single(b'L'),
            "148" => Set::G1Single(b'M'),
            "166" => Set::G1Single(b'T'),
            "13" => Set::Jis0201,
            "87" => Set::G0Double(b'B'),
            "159" => Set::G0Double(b'D'),
            "149" => Set::G1Double(b'C'),
            "58" => Set::G1Double(b'A'),
            _ => return None,
        })
    }
}

/// Why a value's bytes are invalid in the declared character set (see the module comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Invalid {
    /// A byte >= 0x80 while no G1 set is designated (an ASCII-only G0 and no G1).
    ByteOutsideRepertoire,
    /// An escape sequence to a set the declaration does not name, or not a DICOM one.
    UnknownEscape,
    /// A two-byte character cut short by the end of the value or an escape sequence.
    TruncatedSequence,
    /// An ISO 2022 escape in a value whose VR does not allow code extensions.
    EscapeInVr,
    /// Bytes the declared (single) character set cannot decode, such as invalid UTF-8.
    NotDecodable,
}

impl Invalid {
    /// The diagnostic code.
    pub(crate) fn code(self) -> DiagnosticCode {
        match self {
            Invalid::ByteOutsideRepertoire => DiagnosticCode::CharsetByteOutsideRepertoire,
            Invalid::UnknownEscape => DiagnosticCode::CharsetUnknownEscape,
            Invalid::TruncatedSequence => DiagnosticCode::CharsetTruncatedSequence,
            Invalid::EscapeInVr => DiagnosticCode::CharsetEscapeInVr,
            Invalid::NotDecodable => DiagnosticCode::CharsetInvalid,
        }
    }

    /// What it is and what the reader did, for the diagnostic.
    fn what(self, charset: &Charset) -> String {
        let name = charset.name();
        match self {
            Invalid::ByteOutsideRepertoire => {
                format!("a byte >= 0x80 where {name} designates no G1 set; read as ISO-8859-1")
            }
            Invalid::UnknownEscape => format!(
                "an escape sequence to a character set {name} does not declare; read as \
                 ISO-8859-1"
            ),
            Invalid::TruncatedSequence => {
                format!("a two-byte character of {name} cut short; read as ISO-8859-1")
            }
            Invalid::EscapeInVr => {
                "an ISO 2022 escape in a value whose VR does not allow it; kept as read".into()
            }
            Invalid::NotDecodable => {
                format!("text that is not valid {name}; invalid bytes replaced")
            }
        }
    }
}

/// One kind of invalid text over a data set: how many values, and the first one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tally {
    /// The kind.
    pub(crate) kind: Invalid,
    /// How many values.
    pub(crate) count: u32,
    /// The node of the first value.
    pub(crate) first: u32,
    /// Its tag.
    pub(crate) tag: Tag,
}

impl Tally {
    /// The diagnostic message: what, what was done, how many, and the first attribute
    /// (`at` is where it is: an SR path, or the header).
    pub(crate) fn message(&self, charset: &Charset, at: Option<&str>) -> String {
        let name = dicom_core::dictionary::DataDictionary::by_tag(
            &dicom_dictionary_std::StandardDataDictionary,
            self.tag,
        )
        .map_or("", |e| e.alias);
        let values = if self.count == 1 { "value" } else { "values" };
        let place = match at {
            Some(path) => format!("in content item {path}"),
            None => "outside the SR content tree".to_string(),
        };
        format!(
            "{} text {values} with {}; first: {} {name} {place}",
            self.count,
            self.kind.what(charset),
            super::fmt_tag(self.tag),
        )
    }
}

/// Counts the values of a data set whose bytes are invalid in `charset`, per kind, in
/// `nodes`' order: `(index, tag, VR, value bytes)` of every element outside the file meta.
pub(crate) fn survey<'b>(
    charset: &Charset,
    nodes: impl Iterator<Item = (u32, Tag, VR, &'b [u8])>,
) -> Vec<Tally> {
    let mut out: Vec<Tally> = Vec::new();
    for (index, tag, vr, bytes) in nodes {
        let Some(kind) = charset.check(vr, bytes) else {
            continue;
        };
        match out.iter_mut().find(|t| t.kind == kind) {
            Some(t) => t.count = t.count.saturating_add(1),
            None => out.push(Tally {
                kind,
                count: 1,
                first: index,
                tag,
            }),
        }
    }
    out.sort_by_key(|t| t.kind);
    out
}

/// What happened while decoding one value, for a diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Finding {
    /// Declared Latin-1 or nothing, bytes are UTF-8: decoded as UTF-8.
    Utf8Detected,
    /// Undeclared non-ASCII text that is not UTF-8: decoded as ISO-8859-1.
    UndeclaredLatin1,
    /// Declaration unknown: decoded as ISO-8859-1.
    UnknownCharset,
}

impl Finding {
    pub(crate) fn code(self) -> DiagnosticCode {
        match self {
            Finding::Utf8Detected => DiagnosticCode::CharsetUtf8Detected,
            Finding::UndeclaredLatin1 => DiagnosticCode::CharsetUndeclared,
            Finding::UnknownCharset => DiagnosticCode::CharsetUnknown,
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
        let terms: Vec<&str> = value.split('\\').map(str::trim).collect();
        if terms.len() > 1 {
            let initial = terms.first().and_then(|t| Set::from_term(t));
            let declared = terms.iter().filter_map(|t| Set::from_term(t)).collect();
            let codec = terms
                .iter()
                .rev()
                .find(|t| !t.is_empty())
                .and_then(|t| SpecificCharacterSet::from_code(t));
            return Charset::Iso2022(Box::new(Extensions {
                name: value.trim().to_string(),
                initial: initial.filter(|s| *s != Set::Ascii),
                declared,
                codec,
            }));
        }
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
            Charset::Iso2022(e) => &e.name,
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
            // ASCII with an escape sequence is not ASCII text under code extensions.
            let escapes =
                matches!(self, Charset::Iso2022(_) | Charset::Other(..)) && bytes.contains(&ESC);
            if matches!(self, Charset::Utf8) || (s.is_ascii() && !escapes) {
                return (Cow::Borrowed(s), None);
            }
        }
        match self {
            // Invalid UTF-8 is counted by the survey ([`Invalid::NotDecodable`]).
            Charset::Utf8 => match utf8 {
                Some(s) => (Cow::Borrowed(s), None),
                None => (
                    Cow::Owned(String::from_utf8_lossy(bytes).into_owned()),
                    None,
                ),
            },
            // Invalid values are counted by the survey (see the module comment).
            Charset::Iso2022(e) => {
                if e.check(bytes).is_some() {
                    return (Cow::Owned(latin1(bytes)), None);
                }
                let codec = if bytes.contains(&ESC) {
                    e.codec.clone()
                } else {
                    // No escape: the first value's set throughout (dicom-object's reading).
                    e.initial_codec()
                };
                match codec.map(|c| c.decode(bytes)) {
                    Some(Ok(s)) => (Cow::Owned(s), None),
                    _ => (Cow::Owned(latin1(bytes)), None),
                }
            }
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
                Err(_) => (Cow::Owned(latin1(bytes)), None),
            },
            Charset::Unknown(_) => (Cow::Owned(latin1(bytes)), Some(Finding::UnknownCharset)),
        }
    }
}

pub(crate) const ESC: u8 = 0x1B;

impl Charset {
    /// Whether a text value without ESC bytes can be invalid in this character set (UTF-8
    /// and ISO 2022 code extensions); in the others every byte sequence decodes.
    pub(crate) fn checks_text(&self) -> bool {
        matches!(self, Charset::Iso2022(_) | Charset::Utf8)
    }

    /// Whether a value of `vr` with these bytes is invalid in the declared character set, and
    /// why (the rule of the module comment). Values of other VRs (binary, sequences) are not
    /// text: `None`.
    pub(crate) fn check(&self, vr: VR, bytes: &[u8]) -> Option<Invalid> {
        match vr {
            VR::AE
            | VR::AS
            | VR::CS
            | VR::DA
            | VR::DS
            | VR::DT
            | VR::IS
            | VR::TM
            | VR::UI
            | VR::UR => bytes.contains(&ESC).then_some(Invalid::EscapeInVr),
            VR::SH | VR::LO | VR::ST | VR::LT | VR::PN | VR::UC | VR::UT => match self {
                Charset::Iso2022(e) => e.check(bytes),
                Charset::Utf8 => std::str::from_utf8(bytes)
                    .is_err()
                    .then_some(Invalid::NotDecodable),
                _ => None,
            },
            _ => None,
        }
    }
}

impl Extensions {
    /// The rule for one value under code extensions: the first problem found, or `None` when
    /// the value is valid.
    fn check(&self, bytes: &[u8]) -> Option<Invalid> {
        if bytes.is_ascii() && !bytes.contains(&ESC) {
            return None;
        }
        // G0 two-byte (JIS X 0208/0212) and the bytes of it seen since its designation; the
        // G1 set designated.
        let mut g0_double = false;
        let mut pending = 0usize;
        let mut g1 = self.initial.filter(|s| !matches!(s, Set::G0Double(_)));
        if matches!(self.initial, Some(Set::G0Double(_))) {
            g0_double = true;
        }
        let mut i = 0usize;
        while let Some(&b) = bytes.get(i) {
            if b == ESC {
                if g0_double && pending % 2 == 1 {
                    return Some(Invalid::TruncatedSequence);
                }
                let Some((set, len)) = escape(bytes.get(i + 1..).unwrap_or(&[])) else {
                    return Some(Invalid::UnknownEscape);
                };
                if set != Set::Ascii && !self.declared.contains(&set) {
                    return Some(Invalid::UnknownEscape);
                }
                match set {
                    Set::Ascii => g0_double = false,
                    Set::G0Double(_) => {
                        g0_double = true;
                        pending = 0;
                    }
                    Set::Jis0201 => {
                        // ESC ( J (Romaji in G0) or ESC ) I (Katakana in G1).
                        if bytes.get(i + 1) == Some(&b')') {
                            g1 = Some(Set::Jis0201);
                        } else {
                            g0_double = false;
                        }
                    }
                    other => g1 = Some(other),
                }
                i += 1 + len;
                continue;
            }
            if b >= 0x80 {
                match g1 {
                    None => return Some(Invalid::ByteOutsideRepertoire),
                    Some(Set::G1Double(_)) => {
                        if bytes.get(i + 1).is_none_or(|&c| c < 0x80) {
                            return Some(Invalid::TruncatedSequence);
                        }
                        i += 2;
                        continue;
                    }
                    Some(_) => {}
                }
            } else if g0_double {
                if (0x21..0x7F).contains(&b) {
                    pending += 1;
                } else if pending % 2 == 1 {
                    return Some(Invalid::TruncatedSequence);
                }
            }
            i += 1;
        }
        (g0_double && pending % 2 == 1).then_some(Invalid::TruncatedSequence)
    }

    /// The decoder for a value without escape sequences: the first value's set.
    fn initial_codec(&self) -> Option<SpecificCharacterSet> {
        match self.initial {
            None | Some(Set::Ascii) => SpecificCharacterSet::from_code("ISO_IR 6"),
            Some(Set::G1Single(f)) => {
                let code = match f {
                    b'A' => "ISO_IR 100",
                    b'B' => "ISO_IR 101",
                    b'C' => "ISO_IR 109",
                    b'D' => "ISO_IR 110",
                    b'F' => "ISO_IR 126",
                    b'G' => "ISO_IR 127",
                    b'H' => "ISO_IR 138",
                    b'L' => "ISO_IR 144",
                    b'M' => "ISO_IR 148",
                    _ => "ISO_IR 166",
                };
                SpecificCharacterSet::from_code(code)
            }
            Some(Set::Jis0201) => SpecificCharacterSet::from_code("ISO_IR 13"),
            Some(Set::G0Double(_) | Set::G1Double(_)) => self.codec.clone(),
        }
    }
}

/// The set an escape sequence designates (given the bytes after ESC) and the sequence's length
/// after ESC; `None` for a sequence DICOM does not define or one cut short.
fn escape(rest: &[u8]) -> Option<(Set, usize)> {
    Some(match rest {
        [b'(', b'B', ..] => (Set::Ascii, 2),
        [b'(', b'J', ..] | [b')', b'I', ..] => (Set::Jis0201, 2),
        [b'$', b'B', ..] => (Set::G0Double(b'B'), 2),
        [b'$', b'(', b'D', ..] => (Set::G0Double(b'D'), 3),
        [b'$', b')', f @ (b'C' | b'A'), ..] => (Set::G1Double(*f), 3),
        [
            b'-',
            f @ (b'A' | b'B' | b'C' | b'D' | b'F' | b'G' | b'H' | b'L' | b'M' | b'T'),
            ..,
        ] => (Set::G1Single(*f), 2),
        _ => return None,
    })
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
    fn multi_valued_declaration_is_code_extensions() {
        let cs = Charset::from_declaration(Some("\\ISO 2022 IR 87"));
        assert!(matches!(cs, Charset::Iso2022(..)));
        assert_eq!(cs.name(), "\\ISO 2022 IR 87");
        assert!(matches!(
            Charset::from_declaration(Some("ISO_IR 192")),
            Charset::Utf8
        ));
    }

    fn japanese() -> Charset {
        Charset::from_declaration(Some("\\ISO 2022 IR 87"))
    }

    #[test]
    fn latin1_byte_without_g1_reads_as_latin1() {
        let cs = japanese();
        assert_eq!(
            cs.check(VR::LO, b"\xb0"),
            Some(Invalid::ByteOutsideRepertoire)
        );
        let (s, f) = cs.decode(b"\xb0", MisdeclaredText::AsDeclared);
        assert_eq!(s, "°");
        assert_eq!(f, None);
    }

    #[test]
    fn jis_x_0208_through_escapes_is_decoded() {
        let cs = japanese();
        let bytes = b"\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B";
        assert_eq!(cs.check(VR::PN, bytes), None);
        let (s, _) = cs.decode(bytes, MisdeclaredText::DetectUtf8);
        assert_eq!(s, "山田^太郎");
    }

    #[test]
    fn escape_to_an_undeclared_set_reads_as_latin1() {
        let cs = japanese();
        let bytes = b"\x1b$)C\xb0\xa1";
        assert_eq!(cs.check(VR::SH, bytes), Some(Invalid::UnknownEscape));
        assert_eq!(cs.check(VR::SH, b"A\x1b(Z"), Some(Invalid::UnknownEscape));
        assert_eq!(cs.check(VR::SH, b"A\x1b"), Some(Invalid::UnknownEscape));
        let (s, _) = cs.decode(bytes, MisdeclaredText::AsDeclared);
        assert_eq!(s, "\u{1b}$)C°¡");
    }

    #[test]
    fn truncated_two_byte_character_reads_as_latin1() {
        let cs = japanese();
        for bytes in [&b"\x1b$B;3E\x1b(B"[..], b"\x1b$B;3E", b"\x1b$B;3E ok"] {
            assert_eq!(
                cs.check(VR::LT, bytes),
                Some(Invalid::TruncatedSequence),
                "{bytes:?}"
            );
        }
        let korean = Charset::from_declaration(Some("\\ISO 2022 IR 149"));
        assert_eq!(
            korean.check(VR::LO, b"\x1b$)C\xb0"),
            Some(Invalid::TruncatedSequence)
        );
        assert_eq!(korean.check(VR::LO, b"\x1b$)C\xb0\xa1"), None);
        let (s, _) = cs.decode(b"\x1b$B;3E", MisdeclaredText::AsDeclared);
        assert_eq!(s, "\u{1b}$B;3E");
    }

    #[test]
    fn escape_in_a_vr_without_code_extensions_is_found_whatever_the_declaration() {
        for cs in [japanese(), Charset::Default, Charset::Utf8] {
            assert_eq!(cs.check(VR::CS, b"\x1b(BNO"), Some(Invalid::EscapeInVr));
            assert_eq!(cs.check(VR::UI, b"1.2.3"), None);
        }
    }

    #[test]
    fn g1_from_the_first_value_allows_high_bytes() {
        let cs = Charset::from_declaration(Some("ISO 2022 IR 100\\ISO 2022 IR 87"));
        assert_eq!(cs.check(VR::PN, b"M\xfcller"), None);
        let (s, _) = cs.decode(b"M\xfcller", MisdeclaredText::AsDeclared);
        assert_eq!(s, "Müller");
    }

    #[test]
    fn invalid_utf8_is_counted_not_decodable() {
        assert_eq!(
            Charset::Utf8.check(VR::LO, b"M\xc3"),
            Some(Invalid::NotDecodable)
        );
        assert_eq!(Charset::Utf8.check(VR::LO, "Müller".as_bytes()), None);
    }

    #[test]
    fn survey_counts_each_kind_once_with_its_first_value() {
        let cs = japanese();
        let meaning = Tag(0x0008, 0x0104);
        let values: [(u32, Tag, VR, &[u8]); 4] = [
            (3, meaning, VR::LO, b"\xb0"),
            (5, meaning, VR::LO, b"deg"),
            (7, meaning, VR::LO, b"\xb0"),
            (9, Tag(0x0008, 0x0060), VR::CS, b"\x1b(BSR"),
        ];
        let tally = survey(&cs, values.into_iter());
        assert_eq!(
            tally,
            vec![
                Tally {
                    kind: Invalid::ByteOutsideRepertoire,
                    count: 2,
                    first: 3,
                    tag: meaning,
                },
                Tally {
                    kind: Invalid::EscapeInVr,
                    count: 1,
                    first: 9,
                    tag: Tag(0x0008, 0x0060),
                },
            ]
        );
    }
}
