//! `parse_lenient`: see `rdsr_fuzz::checks::parse_lenient` for the properties.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rdsr_fuzz::{PEAK_BUDGET, PeakAlloc, checks, within_peak};

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

fuzz_target!(|data: &[u8]| {
    within_peak(PEAK_BUDGET, || checks::parse_lenient(data));
});
