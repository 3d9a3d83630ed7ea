//! Criterion benchmarks: loading dose reports with `rdsr` against `dicom-object`.
//!
//! The files are read into memory once: the `kind = rdsr` files of
//! `../shared/corpus/MANIFEST.tsv` (skipped with a printed message when the corpus is absent)
//! and every `testdata/**/*.dcm` that `rdsr` reads as a dose report. Workloads, each over the
//! same in-memory bytes in the same run:
//!
//! * `rdsr/read_document`: [`rdsr::read_document`] (load + SR content tree), then a walk of
//!   every item reading its concept, relationship, value type and value;
//! * `rdsr/parse_bytes`: [`rdsr::parse_bytes`] (load + tree + typed report);
//! * `dicom-object/open+walk`: `dicom_object::OpenFileOptions::from_reader` on the bytes, then
//!   a recursive walk of the Content Sequence (0040,A730) reading each item's concept name code
//!   (value, scheme, meaning), relationship, value type and value element: the work the `rdsr`
//!   tree represents.
//!
//! Groups:
//!
//! * `rdsr/read_document`, `rdsr/parse_bytes`, `dicom-object/open+walk`: one iteration is a
//!   pass over a whole set, throughput in bytes (MB/s, 10^6 bytes). Sets: `corpus` and
//!   `testdata` hold the files all three workloads accept; `corpus-all` / `testdata-all` (rdsr
//!   workloads only) add the dose reports `dicom-object` cannot open, when there are any.
//! * `files`: the same passes over `corpus` / `testdata`, throughput in files (files/s).
//! * `file/largest` (`RF-Pat-Orientation-Modifier-Missing.dcm`, 3.3 MB) and `file/small` (the
//!   smallest corpus dose report): one file per iteration, every workload.
//!
//! ```text
//! cargo bench --bench load -- --warm-up-time 1 --measurement-time 3
//! cargo bench --bench load -- 'file/'          # a subset, by regular expression
//! ```

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use dicom_core::Tag;
use dicom_dictionary_std::tags;
use dicom_object::{InMemDicomObject, OpenFileOptions};

const LARGEST: &str = "RF-Pat-Orientation-Modifier-Missing.dcm";

/// One file, in memory.
struct File {
    name: String,
    bytes: Vec<u8>,
}

/// A named set of files.
struct Set {
    name: String,
    files: Vec<File>,
    /// Some files are beyond `dicom-object`: `rdsr` workloads only.
    rdsr_only: bool,
}

impl Set {
    fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.bytes.len() as u64).sum()
    }
}

type Workload = fn(&[u8]) -> usize;

const WORKLOADS: [(&str, Workload); 3] = [
    ("rdsr/read_document", read_document),
    ("rdsr/parse_bytes", parse_bytes),
    ("dicom-object/open+walk", open_walk),
];

fn read_document(bytes: &[u8]) -> usize {
    rdsr_walk(bytes).unwrap_or(0)
}

fn parse_bytes(bytes: &[u8]) -> usize {
    rdsr::parse_bytes(bytes).map_or(0, |r| black_box(r).irradiation_events)
}

fn open_walk(bytes: &[u8]) -> usize {
    dicom_walk(bytes).unwrap_or(0)
}

fn pass(files: &[File], w: Workload) -> usize {
    files.iter().map(|f| w(black_box(&f.bytes))).sum()
}

fn benches(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut sets = Vec::new();
    match corpus_files(&root.join("../shared/corpus")) {
        Some(files) => sets.extend(comparison_sets("corpus", files)),
        None => println!("SKIPPED corpus benchmarks: ../shared/corpus/MANIFEST.tsv is absent"),
    }
    sets.extend(comparison_sets(
        "testdata",
        testdata_files(&root.join("testdata")),
    ));
    sets.retain(|s| !s.files.is_empty());
    for s in &sets {
        println!(
            "set {}: {} files, {:.2} MB",
            s.name,
            s.files.len(),
            s.bytes() as f64 / 1e6
        );
    }

    for (wname, w) in WORKLOADS {
        let mut g = c.benchmark_group(wname);
        for set in sets
            .iter()
            .filter(|s| !(s.rdsr_only && wname.starts_with("dicom")))
        {
            g.throughput(Throughput::BytesDecimal(set.bytes()));
            g.bench_function(BenchmarkId::from_parameter(&set.name), |b| {
                b.iter(|| pass(&set.files, w))
            });
        }
        g.finish();
    }

    let mut g = c.benchmark_group("files");
    for set in sets.iter().filter(|s| !s.rdsr_only) {
        g.throughput(Throughput::Elements(set.files.len() as u64));
        for (wname, w) in WORKLOADS {
            g.bench_function(BenchmarkId::new(wname, &set.name), |b| {
                b.iter(|| pass(&set.files, w))
            });
        }
    }
    g.finish();

    let corpus = sets.iter().find(|s| s.name == "corpus");
    let largest = corpus.and_then(|s| s.files.iter().find(|f| f.name.ends_with(LARGEST)));
    let small = corpus.and_then(|s| s.files.iter().min_by_key(|f| f.bytes.len()));
    for (group, file) in [("file/largest", largest), ("file/small", small)] {
        let Some(file) = file else {
            println!("SKIPPED {group}: no such corpus file");
            continue;
        };
        let short = file.name.rsplit('/').next().unwrap_or(&file.name);
        let mut g = c.benchmark_group(group);
        g.throughput(Throughput::BytesDecimal(file.bytes.len() as u64));
        for (wname, w) in WORKLOADS {
            g.bench_function(BenchmarkId::new(wname, short), |b| {
                b.iter(|| w(black_box(&file.bytes)))
            });
        }
        g.finish();
    }
}

criterion_group!(load, benches);
criterion_main!(load);

/// `rdsr::read_document` plus a walk of every item; returns the number of items.
fn rdsr_walk(bytes: &[u8]) -> Result<usize, rdsr::Error> {
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
fn dicom_walk(bytes: &[u8]) -> Result<usize, dicom_object::ReadError> {
    let obj = OpenFileOptions::new().from_reader(bytes)?;
    Ok(visit(&obj))
}

fn visit(item: &InMemDicomObject) -> usize {
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

fn first_item(obj: &InMemDicomObject, seq: Tag) -> Option<&InMemDicomObject> {
    obj.get(seq).and_then(|e| e.items()).and_then(|i| i.first())
}

fn text(obj: &InMemDicomObject, tag: Tag) {
    black_box(obj.get(tag).and_then(|e| e.to_str().ok()));
}

fn code(obj: &InMemDicomObject, seq: Tag) {
    if let Some(c) = first_item(obj, seq) {
        text(c, tags::CODE_VALUE);
        text(c, tags::CODING_SCHEME_DESIGNATOR);
        text(c, tags::CODE_MEANING);
    }
}

/// The `kind = rdsr` files of the corpus manifest, or `None` when the corpus is absent.
fn corpus_files(dir: &Path) -> Option<Vec<(String, Vec<u8>)>> {
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
fn testdata_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
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
fn comparison_sets(name: &str, files: Vec<(String, Vec<u8>)>) -> Vec<Set> {
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
                });
            }
            Err(e) => println!("{name}: dicom-object cannot open {fname}: {e}"),
        }
        all.push(File { name: fname, bytes });
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
