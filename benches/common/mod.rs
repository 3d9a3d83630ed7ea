//! What the load benchmark and the throughput tool share: the input sets and the workloads.
#![allow(dead_code)]

use std::hint::black_box;
use std::path::Path;

use dicom_core::Tag;
use dicom_dictionary_std::tags;
use dicom_object::{InMemDicomObject, OpenFileOptions};

/// One file, in memory.
pub struct File {
    /// Display name (path relative to its set's folder).
    pub name: String,
    /// The file.
    pub bytes: Vec<u8>,
    /// Content items, root included.
    pub items: usize,
}

/// A named set of files.
pub struct Set {
    /// Set name.
    pub name: String,
    /// Its files.
    pub files: Vec<File>,
    /// Some files are beyond `dicom-object`: no comparison on this set.
    pub rdsr_only: bool,
}

impl Set {
    /// Total size in bytes.
    pub fn bytes(&self) -> usize {
        self.files.iter().map(|f| f.bytes.len()).sum()
    }
}

/// `rdsr::read_document` plus a walk of every item; returns the number of items.
pub fn rdsr_walk(bytes: &[u8]) -> Result<usize, rdsr::Error> {
    let doc = rdsr::read_document(bytes)?;
    let mut n = 0;
    for item in doc.items() {
        black_box(item.concept());
        black_box(item.relationship());
        black_box(item.value_type());
        black_box(item.value());
        n += 1;
    }
    Ok(n)
}

/// `dicom-object` open from memory plus a walk of the content tree; returns the number of
/// content items (root included).
pub fn dicom_walk(bytes: &[u8]) -> Result<usize, dicom_object::ReadError> {
    let obj = OpenFileOptions::new().from_reader(bytes)?;
    Ok(visit(&obj))
}

pub fn visit(item: &InMemDicomObject) -> usize {
    code(item, tags::CONCEPT_NAME_CODE_SEQUENCE);
    text(item, tags::RELATIONSHIP_TYPE);
    let vt = item.get(tags::VALUE_TYPE).and_then(|e| e.to_str().ok());
    match vt.as_deref().map(str::trim) {
        Some("CONTAINER") => {
            text(item, tags::CONTINUITY_OF_CONTENT);
            if let Some(t) = first_item(item, tags::CONTENT_TEMPLATE_SEQUENCE) {
                text(t, tags::TEMPLATE_IDENTIFIER);
            }
        }
        Some("CODE") => code(item, tags::CONCEPT_CODE_SEQUENCE),
        Some("NUM") => {
            if let Some(m) = first_item(item, tags::MEASURED_VALUE_SEQUENCE) {
                text(m, tags::NUMERIC_VALUE);
                code(m, tags::MEASUREMENT_UNITS_CODE_SEQUENCE);
            }
            code(item, tags::NUMERIC_VALUE_QUALIFIER_CODE_SEQUENCE);
        }
        Some("TEXT") => text(item, tags::TEXT_VALUE),
        Some("DATETIME") => text(item, tags::DATE_TIME),
        Some("DATE") => text(item, tags::DATE),
        Some("TIME") => text(item, tags::TIME),
        Some("PNAME") => text(item, tags::PERSON_NAME),
        Some("UIDREF") => text(item, tags::UID),
        Some("IMAGE" | "COMPOSITE" | "WAVEFORM") => {
            if let Some(r) = first_item(item, tags::REFERENCED_SOP_SEQUENCE) {
                text(r, tags::REFERENCED_SOP_CLASS_UID);
                text(r, tags::REFERENCED_SOP_INSTANCE_UID);
                text(r, tags::REFERENCED_FRAME_NUMBER);
            }
        }
        Some("SCOORD" | "SCOORD3D") => {
            text(item, tags::GRAPHIC_TYPE);
            text(item, tags::REFERENCED_FRAME_OF_REFERENCE_UID);
            black_box(item.get(tags::GRAPHIC_DATA).map(|e| e.value()));
        }
        Some("TCOORD") => text(item, tags::TEMPORAL_RANGE_TYPE),
        _ => text(item, tags::REFERENCED_CONTENT_ITEM_IDENTIFIER),
    }
    let mut n = 1;
    if let Some(children) = item.get(tags::CONTENT_SEQUENCE).and_then(|e| e.items()) {
        for child in children {
            n += visit(child);
        }
    }
    n
}

pub fn first_item(obj: &InMemDicomObject, seq: Tag) -> Option<&InMemDicomObject> {
    obj.get(seq).and_then(|e| e.items()).and_then(|i| i.first())
}

pub fn text(obj: &InMemDicomObject, tag: Tag) {
    black_box(obj.get(tag).and_then(|e| e.to_str().ok()));
}

pub fn code(obj: &InMemDicomObject, seq: Tag) {
    if let Some(c) = first_item(obj, seq) {
        text(c, tags::CODE_VALUE);
        text(c, tags::CODING_SCHEME_DESIGNATOR);
        text(c, tags::CODE_MEANING);
    }
}

/// The `kind = rdsr` files of the corpus manifest, or `None` when the corpus is absent.
pub fn corpus_files(dir: &Path) -> Option<Vec<(String, Vec<u8>)>> {
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).ok()?;
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next()?.split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (rel, kind) = (col("relpath")?, col("kind")?);
    let mut files = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.get(kind) != Some(&"rdsr") {
            continue;
        }
        let Some(relpath) = f.get(rel) else { continue };
        match std::fs::read(dir.join(relpath)) {
            Ok(bytes) => files.push((relpath.to_string(), bytes)),
            Err(e) => println!("corpus: left out {relpath}: {e}"),
        }
    }
    Some(files)
}

/// Every `*.dcm` under `dir`, recursively, sorted by path.
pub fn testdata_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut paths = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("dcm")) {
                paths.push(p);
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let name = p.strip_prefix(dir).unwrap_or(&p).display().to_string();
            std::fs::read(&p).ok().map(|b| (name, b))
        })
        .collect()
}

/// Splits files into the set all three workloads accept (`name`) and, when `dicom-object`
/// rejects some dose reports, the set of every dose report (`name-all`, rdsr workloads only).
/// Files `rdsr` rejects (not dose reports, beyond limits) are left out with a message.
pub fn comparison_sets(name: &str, files: Vec<(String, Vec<u8>)>) -> Vec<Set> {
    let (mut common, mut all) = (Vec::new(), Vec::new());
    for (fname, bytes) in files {
        let items = match rdsr_walk(&bytes).and_then(|n| rdsr::parse_bytes(&bytes).map(|_| n)) {
            Ok(n) => n,
            Err(e) => {
                println!("{name}: left out {fname} (rdsr: {e})");
                continue;
            }
        };
        match dicom_walk(&bytes) {
            Ok(n) => {
                if n != items {
                    println!("{name}: {fname}: {items} items (rdsr), {n} (dicom-object walk)");
                }
                common.push(File {
                    name: fname.clone(),
                    bytes: bytes.clone(),
                    items,
                });
            }
            Err(e) => println!(
                "{name}: dicom-object cannot open {fname}: {}",
                error_chain(&e)
            ),
        }
        all.push(File {
            name: fname,
            bytes,
            items,
        });
    }
    let mut sets = Vec::new();
    let rdsr_only = common.len() < all.len();
    sets.push(Set {
        name: name.to_string(),
        files: common,
        rdsr_only: false,
    });
    if rdsr_only {
        sets.push(Set {
            name: format!("{name}-all"),
            files: all,
            rdsr_only: true,
        });
    }
    sets
}

/// An error and its sources, `: `-separated.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(c) = source {
        s.push_str(": ");
        s.push_str(&c.to_string());
        source = c.source();
    }
    s
}
