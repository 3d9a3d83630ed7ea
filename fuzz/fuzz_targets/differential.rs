//! `differential`: see `rdsr_fuzz::differential` for the comparison rules.
#![no_main]
// `set_alloc_error_hook`: cargo-fuzz builds with a nightly toolchain or `RUSTC_BOOTSTRAP=1`.
#![feature(alloc_error_hook)]

use libfuzzer_sys::fuzz_target;
use rdsr_fuzz::{PeakAlloc, differential};

/// Counts, and caps dicom-object's allocations (see `rdsr_fuzz::REFERENCE_ALLOC_CAP`).
#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

fuzz_target!(
    init: {
        // Panics inside dicom-object are its own bugs: not findings of this target.
        differential::install_panic_filter();
        // An allocation dicom-object cannot get (the cap refuses it, or the system has no
        // memory) would abort the process: inside dicom-object it panics instead, and the
        // panic is caught and counted like its other panics. Anywhere else the process still
        // aborts after the message, which libFuzzer reports as a crash.
        std::alloc::set_alloc_error_hook(|layout| {
            if differential::in_reference() {
                panic!("dicom-object: an allocation of {} bytes failed", layout.size());
            }
            eprintln!("memory allocation of {} bytes failed", layout.size());
        });
    },
    |data: &[u8]| {
        differential::differential(data);
    }
);
