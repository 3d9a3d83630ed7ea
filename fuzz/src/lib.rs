//! Support for the fuzz targets of `rdsr`: the properties they check ([`checks`], shared with
//! `tests/fuzz_replay.rs`), the differential comparison with dicom-object ([`differential`]),
//! and a heap-counting allocator that bounds each input's peak memory ([`PeakAlloc`]).

pub mod checks;
pub mod differential;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The most heap one input may take on top of what was allocated before it: 256 MiB.
///
/// With the default limits ([`rdsr::DEFAULT_MAX_INPUT_SIZE`] of 64 MiB, which also caps an
/// inflated data set, and [`rdsr::DEFAULT_MAX_ITEMS`] elements at about 24 bytes each) a
/// report stays well under it; libFuzzer's `-rss_limit_mb=1024` is the outer bound.
pub const PEAK_BUDGET: usize = 256 * 1024 * 1024;

/// The largest single allocation dicom-object may make in the `differential` target: 64 MiB,
/// far above any value of a fuzz input (libFuzzer's inputs stay under 1 MiB here).
///
/// dicom-object reserves a value's declared length before reading it, with
/// `try_reserve_exact`; a declared length of 0xFFFFFFF0 would take gigabytes (libFuzzer's
/// `-rss_limit_mb` then reports an out-of-memory that is not this crate's). Refusing the
/// allocation makes dicom-object return an error instead, and the input is not compared.
pub const REFERENCE_ALLOC_CAP: usize = 64 * 1024 * 1024;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting live bytes and their peak, and refusing allocations above
/// [`REFERENCE_ALLOC_CAP`] while dicom-object runs ([`differential::in_reference`]).
pub struct PeakAlloc;

fn refused(size: usize) -> bool {
    size > REFERENCE_ALLOC_CAP && differential::in_reference()
}

// SAFETY: every call is forwarded to `System` unchanged, or refused with a null pointer
// (which the allocator contract allows); only counters are added.
unsafe impl GlobalAlloc for PeakAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if refused(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's contract is forwarded as is.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if refused(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's contract is forwarded as is.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is forwarded as is.
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if refused(new_size) {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's contract is forwarded as is.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

fn grew(by: usize) {
    let now = CURRENT.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

/// Runs `f` and panics when the heap it took at its peak exceeds `budget` bytes. Only
/// meaningful in a binary whose `#[global_allocator]` is [`PeakAlloc`].
pub fn within_peak<T>(budget: usize, f: impl FnOnce() -> T) -> T {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    assert!(
        peak <= budget,
        "one input took {} MiB of heap at its peak (budget {} MiB)",
        peak >> 20,
        budget >> 20
    );
    out
}
