//! The receiver's spool: every received object is a DICOM file (PS3.10) in `incoming/`,
//! written and synced before its C-STORE response goes out, and removed only once the store
//! has committed it. Objects the reader refused move to `failed/` with a `.reason.txt`
//! beside them. Whatever is in `incoming/` at start was acknowledged (or was about to be)
//! and is imported again.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// This implementation's Implementation Class UID (0002,0012), a UUID-derived UID (PS3.5
/// section B.2).
pub const IMPLEMENTATION_CLASS_UID: &str = "2.25.323163838044297277273452746002280293266";
/// Implementation Version Name (0002,0013).
pub const IMPLEMENTATION_VERSION_NAME: &str = concat!("RDSR_", env!("CARGO_PKG_VERSION"));

/// Where an object came from: written into its file meta information (PS3.10 Table 7.1-1:
/// Sending / Receiving Application Entity Title, Sending Presentation Address) so the
/// spool alone says who sent a file when it is imported after a restart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The calling AE title of the association.
    pub calling_ae: String,
    /// The called AE title of the association.
    pub called_ae: String,
    /// The peer's socket address (`ip:port`).
    pub peer: String,
}

impl Origin {
    /// The `import_log.file_path` of an object received from here and spooled as `name`:
    /// `dicom://CALLING_AE@PEER/NAME`.
    pub fn label(&self, name: &str) -> String {
        format!("dicom://{}@{}/{}", self.calling_ae, self.peer, name)
    }
}

const PREAMBLE: usize = 128;

fn element_short(out: &mut Vec<u8>, element: u16, vr: &[u8; 2], value: &[u8], pad: u8) {
    let mut v = value.to_vec();
    if v.len() % 2 == 1 {
        v.push(pad);
    }
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&element.to_le_bytes());
    out.extend_from_slice(vr);
    out.extend_from_slice(&u16::try_from(v.len()).unwrap_or(0).to_le_bytes());
    out.extend_from_slice(&v);
}

fn element_long(out: &mut Vec<u8>, element: u16, vr: &[u8; 2], value: &[u8], pad: u8) {
    let mut v = value.to_vec();
    if v.len() % 2 == 1 {
        v.push(pad);
    }
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&element.to_le_bytes());
    out.extend_from_slice(vr);
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&u32::try_from(v.len()).unwrap_or(0).to_le_bytes());
    out.extend_from_slice(&v);
}

/// Keeps a value inside the 16 characters of an AE and the 64 of a UI.
fn clip(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The preamble, `DICM` and the file meta information of an object, ready for its data
/// set to be appended.
pub fn file_header(
    sop_class_uid: &str,
    sop_instance_uid: &str,
    transfer_syntax: &str,
    our_ae: &str,
    origin: &Origin,
) -> Vec<u8> {
    let mut meta = Vec::with_capacity(512);
    element_long(&mut meta, 0x0001, b"OB", &[0, 1], 0);
    element_short(
        &mut meta,
        0x0002,
        b"UI",
        clip(sop_class_uid, 64).as_bytes(),
        0,
    );
    element_short(
        &mut meta,
        0x0003,
        b"UI",
        clip(sop_instance_uid, 64).as_bytes(),
        0,
    );
    element_short(
        &mut meta,
        0x0010,
        b"UI",
        clip(transfer_syntax, 64).as_bytes(),
        0,
    );
    element_short(
        &mut meta,
        0x0012,
        b"UI",
        IMPLEMENTATION_CLASS_UID.as_bytes(),
        0,
    );
    element_short(
        &mut meta,
        0x0013,
        b"SH",
        IMPLEMENTATION_VERSION_NAME.as_bytes(),
        b' ',
    );
    element_short(&mut meta, 0x0016, b"AE", clip(our_ae, 16).as_bytes(), b' ');
    element_short(
        &mut meta,
        0x0017,
        b"AE",
        clip(&origin.calling_ae, 16).as_bytes(),
        b' ',
    );
    element_short(
        &mut meta,
        0x0018,
        b"AE",
        clip(&origin.called_ae, 16).as_bytes(),
        b' ',
    );
    let address = format!("dicom://{}", origin.peer);
    element_long(&mut meta, 0x0027, b"UR", address.as_bytes(), b' ');
    let mut out = Vec::with_capacity(PREAMBLE + 4 + 12 + meta.len());
    out.resize(PREAMBLE, 0);
    out.extend_from_slice(b"DICM");
    out.extend_from_slice(&[0x02, 0x00, 0x00, 0x00, b'U', b'L', 4, 0]);
    out.extend_from_slice(&u32::try_from(meta.len()).unwrap_or(0).to_le_bytes());
    out.extend_from_slice(&meta);
    out
}

/// The origin written by [`file_header`], read back from a spooled file (`None` when the
/// file does not start with such a header).
pub fn read_origin(bytes: &[u8]) -> Option<Origin> {
    let rest = bytes.get(PREAMBLE..)?;
    let rest = rest.strip_prefix(b"DICM")?;
    let mut rest = rest;
    let (mut calling, mut called, mut peer) = (None, None, None);
    while let Some(h) = rest.get(..8) {
        let group = u16::from_le_bytes([h[0], h[1]]);
        if group != 2 {
            break;
        }
        let element = u16::from_le_bytes([h[2], h[3]]);
        let vr = [h[4], h[5]];
        let (len, head): (usize, usize) =
            if matches!(&vr, b"OB" | b"UR" | b"UN" | b"UT" | b"OW" | b"SQ") {
                let l = rest.get(8..12)?;
                (u32::from_le_bytes([l[0], l[1], l[2], l[3]]) as usize, 12)
            } else {
                (u16::from_le_bytes([h[6], h[7]]) as usize, 8)
            };
        let value = rest.get(head..head.checked_add(len)?)?;
        let text = || {
            String::from_utf8_lossy(value)
                .trim_end_matches(['\0', ' '])
                .to_string()
        };
        match element {
            0x0017 => calling = Some(text()),
            0x0018 => called = Some(text()),
            0x0027 => peer = Some(text().trim_start_matches("dicom://").to_string()),
            _ => {}
        }
        rest = rest.get(head + len..)?;
    }
    Some(Origin {
        calling_ae: calling?,
        called_ae: called.unwrap_or_default(),
        peer: peer.unwrap_or_default(),
    })
}

/// The spool folder.
#[derive(Debug, Clone)]
pub struct Spool {
    incoming: PathBuf,
    failed: PathBuf,
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = OpenOptions::new().write(true).create_new(true).open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

impl Spool {
    /// Opens (creating) the spool at `dir`; removes partial files of a run that died while
    /// writing them (never acknowledged).
    pub fn open(dir: &Path) -> io::Result<Spool> {
        let spool = Spool {
            incoming: dir.join("incoming"),
            failed: dir.join("failed"),
        };
        fs::create_dir_all(&spool.incoming)?;
        fs::create_dir_all(&spool.failed)?;
        for entry in fs::read_dir(&spool.incoming)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "part") {
                fs::remove_file(&path)?;
            }
        }
        Ok(spool)
    }

    /// The folder of objects the reader refused.
    pub fn failed_dir(&self) -> &Path {
        &self.failed
    }

    /// The folder of objects received and not yet committed to the store.
    pub fn incoming_dir(&self) -> &Path {
        &self.incoming
    }

    /// Writes `bytes` as `incoming/NAME`: to a `.part` file, synced, renamed, and the folder
    /// synced, so that once this returns the file survives a crash.
    pub fn write(&self, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
        let part = self.incoming.join(format!("{name}.part"));
        let path = self.incoming.join(name);
        write_synced(&part, bytes)?;
        fs::rename(&part, &path)?;
        sync_dir(&self.incoming)?;
        Ok(path)
    }

    /// Moves a spooled file to `failed/` with its reason beside it (`NAME.reason.txt`).
    pub fn fail(&self, path: &Path, reason: &str) -> io::Result<PathBuf> {
        let name = path.file_name().unwrap_or_default();
        let to = self.failed.join(name);
        let mut reason_name = name.to_os_string();
        reason_name.push(".reason.txt");
        let reason_path = self.failed.join(reason_name);
        let _ = fs::remove_file(&reason_path);
        write_synced(&reason_path, format!("{reason}\n").as_bytes())?;
        fs::rename(path, &to)?;
        sync_dir(&self.failed)?;
        sync_dir(&self.incoming)?;
        Ok(to)
    }

    /// The files waiting in `incoming/`, in name order (the order they arrived in).
    pub fn pending(&self) -> io::Result<Vec<PathBuf>> {
        let mut files = Vec::new();
        for entry in fs::read_dir(&self.incoming)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "dcm") {
                files.push(path);
            }
        }
        files.sort();
        Ok(files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin {
        Origin {
            calling_ae: "MODALITY".into(),
            called_ae: "RDSR".into(),
            peer: "127.0.0.1:40404".into(),
        }
    }

    #[test]
    fn the_origin_reads_back_from_the_header() {
        let h = file_header(
            "1.2.840.10008.5.1.4.1.1.88.67",
            "1.2.3",
            "1.2.840.10008.1.2",
            "RDSR",
            &origin(),
        );
        assert_eq!(read_origin(&h), Some(origin()));
        assert_eq!(read_origin(&h[..200]), None);
        assert_eq!(read_origin(b"not dicom"), None);
    }

    #[test]
    fn a_spooled_report_reads_as_the_original_file() {
        // A Part 10 file split into its meta information and data set, the data set
        // spooled again behind this header: the reader gives the same report.
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/ct_minimal.dcm");
        let original = fs::read(&fixture).unwrap();
        let group_length =
            u32::from_le_bytes([original[140], original[141], original[142], original[143]]);
        let data_set = &original[144 + group_length as usize..];
        let mut spooled = file_header(
            "1.2.840.10008.5.1.4.1.1.88.67",
            "1.2.3",
            "1.2.840.10008.1.2.1",
            "RDSR",
            &origin(),
        );
        spooled.extend_from_slice(data_set);
        let a = serde_json::to_value(rdsr::parse_bytes(&original).unwrap()).unwrap();
        let b = serde_json::to_value(rdsr::parse_bytes(&spooled).unwrap()).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn a_spool_write_leaves_no_part_file_and_fail_keeps_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::open(dir.path()).unwrap();
        let path = spool.write("0001.dcm", b"abc").unwrap();
        assert_eq!(spool.pending().unwrap(), vec![path.clone()]);
        let failed = spool.fail(&path, "truncated").unwrap();
        assert!(spool.pending().unwrap().is_empty());
        assert_eq!(fs::read(&failed).unwrap(), b"abc");
        let reason = fs::read_to_string(spool.failed_dir().join("0001.dcm.reason.txt")).unwrap();
        assert_eq!(reason, "truncated\n");
        // A partial file of a run that died while writing is removed at open.
        fs::write(spool.incoming_dir().join("0002.dcm.part"), b"x").unwrap();
        let spool = Spool::open(dir.path()).unwrap();
        assert!(!spool.incoming_dir().join("0002.dcm.part").exists());
    }
}
