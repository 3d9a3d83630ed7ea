//! Generated archives for tests and benchmarks: copies of real reports with new UIDs.
//!
//! Each copy `n` of a set of source reports rewrites every UID of every file the same way
//! (a function of the UID and `n`), so the reports of one study stay one study (continued
//! and cumulative reports keep their relations) and copies never collide. Patient IDs are
//! rewritten the same way, so each copy has patients of its own (as an archive has many
//! patients, each with a few studies) while the reports of one patient in a copy stay one
//! patient's. Values keep their length, so no DICOM length changes: the bytes stay a valid
//! file.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// UIDs of the DICOM standard itself (SOP classes, transfer syntaxes) are kept.
const STANDARD_ROOT: &[u8] = b"1.2.840.10008.";

fn is_uid_byte(b: u8) -> bool {
    b.is_ascii_digit() || b == b'.'
}

/// Rewrites the instance UIDs in `bytes` for copy `n` (same length, same DICOM structure).
pub fn rewrite_uids(bytes: &[u8], n: u64) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let mut i = 0usize;
    while i < out.len() {
        let start = i;
        while i < out.len() && out.get(i).is_some_and(|b| is_uid_byte(*b)) {
            i += 1;
        }
        if i == start {
            i += 1;
            continue;
        }
        let Some(run) = out.get(start..i) else { break };
        let dots = run.iter().filter(|b| **b == b'.').count();
        if run.len() >= 16 && dots >= 4 && !run.starts_with(STANDARD_ROOT) {
            let mut hasher = Sha256::new();
            hasher.update(run);
            hasher.update(n.to_le_bytes());
            let digest = hasher.finalize();
            let mut digits = digest.iter().map(|d| b'0' + d % 10);
            // Replace the last (up to) 12 digits, leaving the root and every dot alone; a
            // component never starts with 0 (PS3.5 9.1).
            let mut replaced = 0;
            let mut j = i;
            while j > start + 8 && replaced < 12 {
                j -= 1;
                let prev_is_dot = j == 0 || out.get(j - 1).is_none_or(|b| *b == b'.');
                let next_is_dot_or_end = out.get(j + 1).is_none_or(|b| !b.is_ascii_digit());
                if let Some(b) = out.get_mut(j) {
                    if *b == b'.' {
                        continue;
                    }
                    let mut d = digits.next().unwrap_or(b'1');
                    if prev_is_dot && d == b'0' && !next_is_dot_or_end {
                        d = b'1';
                    }
                    *b = d;
                    replaced += 1;
                }
            }
        }
    }
    out
}

/// Rewrites the value of every Patient ID (0010,0020) element in `bytes` for copy `n`: each
/// letter or digit is replaced by one derived from the whole ID and `n`, so equal IDs stay
/// equal within a copy and differ between copies. The element is recognised in explicit VR
/// little and big endian (`LO` and a 2-byte length) and implicit VR little endian (a 4-byte
/// length), with a printable value of at most 64 bytes; anything else is left alone.
pub fn rewrite_patient_ids(bytes: &[u8], n: u64) -> Vec<u8> {
    const MAX: usize = 64;
    let mut out = bytes.to_vec();
    let mut i = 0usize;
    while let Some(window) = bytes.get(i..i + 4) {
        let value = match window {
            [0x10, 0x00, 0x20, 0x00] => match bytes.get(i + 4..i + 8) {
                Some([b'L', b'O', lo, hi]) => {
                    Some((i + 8, usize::from(*lo) | usize::from(*hi) << 8))
                }
                Some([a, b, 0, 0]) => Some((i + 8, usize::from(*a) | usize::from(*b) << 8)),
                _ => None,
            },
            [0x00, 0x10, 0x00, 0x20] => match bytes.get(i + 4..i + 8) {
                Some([b'L', b'O', hi, lo]) => {
                    Some((i + 8, usize::from(*lo) | usize::from(*hi) << 8))
                }
                _ => None,
            },
            _ => None,
        };
        let Some((start, len)) = value.filter(|(_, len)| (1..=MAX).contains(len)) else {
            i += 1;
            continue;
        };
        let Some(id) = bytes.get(start..start + len) else {
            i += 1;
            continue;
        };
        if !id.iter().all(|b| (0x20..0x7f).contains(b)) {
            i += 1;
            continue;
        }
        let mut hasher = Sha256::new();
        hasher.update(b"patient id");
        hasher.update(id);
        hasher.update(n.to_le_bytes());
        let digest = hasher.finalize();
        let mut derived = digest.iter().cycle();
        if let Some(value) = out.get_mut(start..start + len) {
            for b in value.iter_mut() {
                let d = derived.next().copied().unwrap_or(0);
                if b.is_ascii_digit() {
                    *b = b'0' + d % 10;
                } else if b.is_ascii_uppercase() {
                    *b = b'A' + d % 26;
                } else if b.is_ascii_lowercase() {
                    *b = b'a' + d % 26;
                }
            }
        }
        i = start + len;
    }
    out
}

/// Writes `count` files to `out` (1,000 a folder): copy 0, 1, 2... of every source in turn.
/// Returns the files written and their total size.
pub fn generate(sources: &[PathBuf], out: &Path, count: usize) -> io::Result<(usize, u64)> {
    let mut loaded: Vec<(String, Vec<u8>)> = Vec::new();
    for s in sources {
        let name = s
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "report.dcm".to_string());
        let data = fs::read(s)?;
        // A source whose UIDs cannot be rewritten (a deflated file) would only give copies
        // of one SOP instance.
        if rewrite_uids(&data, 1) != rewrite_uids(&data, 2) {
            loaded.push((name, data));
        }
    }
    if loaded.is_empty() {
        return Ok((0, 0));
    }
    let mut written = 0usize;
    let mut bytes = 0u64;
    let mut copy = 0u64;
    while written < count {
        for (name, data) in &loaded {
            if written >= count {
                break;
            }
            let dir = out.join(format!("{:04}", written / 1000));
            if written % 1000 == 0 {
                fs::create_dir_all(&dir)?;
            }
            let data = rewrite_patient_ids(&rewrite_uids(data, copy), copy);
            bytes += u64::try_from(data.len()).unwrap_or(0);
            fs::write(dir.join(format!("{copy:06}-{name}")), data)?;
            written += 1;
        }
        copy += 1;
    }
    Ok((written, bytes))
}

/// The dose reports among `paths` (walked recursively): files the library reads.
pub fn dose_reports(paths: &[PathBuf]) -> Vec<PathBuf> {
    crate::walk(paths.to_vec())
        .filter_map(|i| match i {
            crate::Input::File(p) => Some(p),
            crate::Input::Unlistable(..) => None,
        })
        .filter(|p| rdsr::parse_file(p).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewritten_uids_keep_length_and_standard_uids() {
        let input =
            b"\x00UI1.2.840.10008.5.1.4.1.1.88.67\x00 1.2.826.0.1.3680043.10.1234.1.42 0.0021";
        let a = rewrite_uids(input, 1);
        let b = rewrite_uids(input, 2);
        assert_eq!(a.len(), input.len());
        assert_ne!(a, b);
        let text = String::from_utf8_lossy(&a);
        assert!(text.contains("1.2.840.10008.5.1.4.1.1.88.67"));
        assert!(text.ends_with(" 0.0021"));
        assert!(!text.contains("1.2.826.0.1.3680043.10.1234.1.42 "));
        // Same UID, same copy: same result (studies stay together).
        assert_eq!(a, rewrite_uids(input, 1));
    }

    #[test]
    fn rewritten_patient_ids_keep_length_and_stay_equal_within_a_copy() {
        // Explicit VR little endian, implicit VR little endian, explicit VR big endian.
        let explicit = b"\x10\x00\x20\x00LO\x08\x00PAT-0042";
        let implicit = b"\x10\x00\x20\x00\x08\x00\x00\x00PAT-0042";
        let big = b"\x00\x10\x00\x20LO\x00\x08PAT-0042";
        for input in [&explicit[..], &implicit[..], &big[..]] {
            let a = rewrite_patient_ids(input, 1);
            let b = rewrite_patient_ids(input, 2);
            assert_eq!(a.len(), input.len());
            assert_ne!(a, b);
            assert_eq!(a, rewrite_patient_ids(input, 1));
            let (head, tail) = a.split_at(input.len() - 8);
            assert_eq!(head, &input[..input.len() - 8]);
            assert_eq!(tail.get(3), Some(&b'-'));
            assert!(tail.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-'));
        }
        // The same ID in two files of one copy: the same new ID.
        let tail = |v: Vec<u8>| v[v.len() - 8..].to_vec();
        assert_eq!(
            tail(rewrite_patient_ids(explicit, 7)).get(..8),
            tail(rewrite_patient_ids(implicit, 7)).get(..8)
        );
        // Not a Patient ID element: left alone.
        let other = b"\x10\x00\x20\x00OB\x00\x00\x02\x00\x00\x00";
        assert_eq!(rewrite_patient_ids(other, 1), other.to_vec());
    }
}
