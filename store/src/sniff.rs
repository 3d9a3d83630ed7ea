//! Cheap rejection before a full parse: the preamble and the file meta's SOP class.

/// SOP classes a dose report can be stored as (PS3.4 B.5): X-Ray Radiation Dose SR,
/// Radiopharmaceutical Radiation Dose SR, Enhanced SR, Comprehensive SR, Comprehensive 3D SR.
const DOSE_SOP_CLASSES: [&str; 5] = [
    "1.2.840.10008.5.1.4.1.1.88.67",
    "1.2.840.10008.5.1.4.1.1.88.68",
    "1.2.840.10008.5.1.4.1.1.88.22",
    "1.2.840.10008.5.1.4.1.1.88.33",
    "1.2.840.10008.5.1.4.1.1.88.34",
];

/// What the first bytes say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniff {
    /// Worth a full parse.
    Candidate,
    /// Not DICOM: no preamble and no plausible first element.
    NotDicom,
    /// A DICOM file whose meta names a SOP class no dose report uses.
    OtherSopClass(String),
}

/// Looks at the preamble and, when there is one, the Media Storage SOP Class UID
/// (0002,0002) of the file meta (explicit VR little endian, PS3.10 7.1).
pub fn sniff(bytes: &[u8]) -> Sniff {
    if bytes.get(128..132) == Some(b"DICM") {
        return match meta_sop_class(bytes.get(132..).unwrap_or_default()) {
            Some(uid) if !DOSE_SOP_CLASSES.contains(&uid.as_str()) => Sniff::OtherSopClass(uid),
            _ => Sniff::Candidate,
        };
    }
    // A bare data set starts with a group 0002 or 0008 element (either byte order).
    match bytes.get(0..2) {
        Some([0x02 | 0x08, 0x00] | [0x00, 0x02 | 0x08]) => Sniff::Candidate,
        _ => Sniff::NotDicom,
    }
}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at + 2)?;
    Some(u16::from_le_bytes([*s.first()?, *s.get(1)?]))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 4)?;
    Some(u32::from_le_bytes([
        *s.first()?,
        *s.get(1)?,
        *s.get(2)?,
        *s.get(3)?,
    ]))
}

/// Walks the group 0002 elements (at most 64) for (0002,0002).
fn meta_sop_class(meta: &[u8]) -> Option<String> {
    let mut at = 0usize;
    for _ in 0..64 {
        let group = le16(meta, at)?;
        let element = le16(meta, at + 2)?;
        if group != 0x0002 {
            return None;
        }
        let vr = meta.get(at + 4..at + 6)?;
        let (len, header) = match vr {
            b"OB" | b"OW" | b"OF" | b"SQ" | b"UT" | b"UN" | b"UC" | b"UR" | b"OD" | b"OL"
            | b"OV" => (usize::try_from(le32(meta, at + 8)?).ok()?, 12),
            _ => (usize::from(le16(meta, at + 6)?), 8),
        };
        let value = meta.get(at + header..at.checked_add(header)?.checked_add(len)?)?;
        if element == 0x0002 {
            let text = std::str::from_utf8(value).ok()?;
            return Some(text.trim_end_matches(['\0', ' ']).to_string());
        }
        at = at.checked_add(header)?.checked_add(len)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_not_dicom() {
        assert_eq!(sniff(b"hello, world"), Sniff::NotDicom);
        assert_eq!(sniff(b""), Sniff::NotDicom);
    }

    #[test]
    fn image_sop_class_is_rejected_from_the_meta() {
        let mut b = vec![0u8; 128];
        b.extend_from_slice(b"DICM");
        let uid = b"1.2.840.10008.5.1.4.1.1.2\0";
        b.extend_from_slice(&[0x02, 0x00, 0x02, 0x00, b'U', b'I']);
        b.extend_from_slice(&u16::try_from(uid.len()).unwrap_or(0).to_le_bytes());
        b.extend_from_slice(uid);
        assert_eq!(
            sniff(&b),
            Sniff::OtherSopClass("1.2.840.10008.5.1.4.1.1.2".to_string())
        );
    }
}
