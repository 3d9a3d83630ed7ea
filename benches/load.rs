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
use std::path::PathBuf;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

mod common;

use common::{File, comparison_sets, corpus_files, dicom_walk, rdsr_walk, testdata_files};

const LARGEST: &str = "RF-Pat-Orientation-Modifier-Missing.dcm";

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
            g.throughput(Throughput::BytesDecimal(set.bytes() as u64));
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
