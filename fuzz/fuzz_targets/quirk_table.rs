//! `quirk_table`: see `rdsr_fuzz::checks::quirk_table` for the properties.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rdsr_fuzz::checks;

fuzz_target!(|data: &[u8]| {
    checks::quirk_table(data);
});
