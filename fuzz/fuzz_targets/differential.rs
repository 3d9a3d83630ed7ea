//! `differential`: see `rdsr_fuzz::differential` for the comparison rules.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rdsr_fuzz::{PeakAlloc, differential};

/// Counts, and caps dicom-object's allocations (see `rdsr_fuzz::REFERENCE_ALLOC_CAP`).
#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

fuzz_target!(
    init: {
        // Panics inside dicom-object are its own bugs: not findings of this target.
        differential::install_panic_filter();
    },
    |data: &[u8]| {
        differential::differential(data);
    }
);
