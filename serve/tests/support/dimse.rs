//! DIMSE command sets as a client writes and reads them, for the receiver's tests: Implicit
//! VR Little Endian elements of group 0000.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// A file of the crate's `testdata/`.
pub fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(name)
}

/// Appends one element of group 0000.
pub fn element(out: &mut Vec<u8>, element: u16, value: &[u8]) {
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&element.to_le_bytes());
    out.extend_from_slice(&(value.len() as u32).to_le_bytes());
    out.extend_from_slice(value);
}

/// A UID value, padded to even length.
pub fn uid(s: &str) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    if v.len() % 2 == 1 {
        v.push(0);
    }
    v
}

/// A command set with its group length.
pub fn command(elements: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (e, v) in elements {
        element(&mut body, *e, v);
    }
    let mut out = Vec::new();
    element(&mut out, 0x0000, &(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

/// A C-STORE-RQ with a data set.
pub fn store_rq(sop_class: &str, sop_instance: &str, message_id: u16) -> Vec<u8> {
    command(&[
        (0x0002, uid(sop_class)),
        (0x0100, 0x0001u16.to_le_bytes().to_vec()),
        (0x0110, message_id.to_le_bytes().to_vec()),
        (0x0700, 0u16.to_le_bytes().to_vec()),
        (0x0800, 0u16.to_le_bytes().to_vec()),
        (0x1000, uid(sop_instance)),
    ])
}

/// A C-ECHO-RQ.
pub fn echo_rq() -> Vec<u8> {
    command(&[
        (0x0002, uid("1.2.840.10008.1.1")),
        (0x0100, 0x0030u16.to_le_bytes().to_vec()),
        (0x0110, 1u16.to_le_bytes().to_vec()),
        (0x0800, 0x0101u16.to_le_bytes().to_vec()),
    ])
}

/// (Status, Error Comment) of a response command set; status 0xFFFF when absent.
pub fn status(rsp: &[u8]) -> (u16, Option<String>) {
    let (mut status, mut comment) = (0xFFFF, None);
    let mut rest = rsp;
    while rest.len() >= 8 {
        let e = u16::from_le_bytes([rest[2], rest[3]]);
        let len = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]) as usize;
        let v = &rest[8..8 + len];
        match e {
            0x0900 => status = u16::from_le_bytes([v[0], v[1]]),
            0x0902 => comment = Some(String::from_utf8_lossy(v).trim().to_string()),
            _ => {}
        }
        rest = &rest[8 + len..];
    }
    (status, comment)
}
