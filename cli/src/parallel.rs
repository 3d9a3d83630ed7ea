//! Per-file work on every core, with results handed out in input order.

use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// Files in flight per worker thread: how far the workers may run ahead of the output. An
/// archive's files differ in size by a factor of a thousand (a 3 MB fluoroscopy report among
/// 15 kB CT reports): while one worker reads a large file, the others must have enough small
/// ones ahead of it to stay busy, or they wait for it to be written first.
const WINDOW_PER_THREAD: usize = 32;

/// Sets the number of worker threads of the process (rayon's global pool) once, before any
/// work: `None` keeps the default, one per CPU.
pub fn set_jobs(jobs: Option<u16>) {
    if let Some(n) = jobs {
        // Fails only when the pool was already built, by an earlier call: keep that one.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build_global();
    }
}

/// Runs `work` on every job on rayon's pool and gives the results to `sink` in job order, on
/// the calling thread, while later jobs run. At most a window of jobs (a few per thread) is
/// in flight or waiting, so memory does not grow with the number of jobs. `sink` returns
/// `false` to stop: jobs not yet started are skipped, running ones finish unread. A panic
/// in `work` is resumed here.
pub fn ordered<J, T>(
    jobs: impl IntoIterator<Item = J>,
    work: impl Fn(J) -> T + Sync,
    mut sink: impl FnMut(T) -> bool,
) where
    J: Send,
    T: Send,
{
    let window = WINDOW_PER_THREAD * rayon::current_num_threads().max(1);
    let mut jobs = jobs.into_iter();
    let work = &work;
    rayon::in_place_scope(|scope| {
        let (tx, rx) = channel::<(usize, std::thread::Result<T>)>();
        // Results from sequence number `next` on; `None` while the job runs.
        let mut pending: VecDeque<Option<T>> = VecDeque::new();
        let mut issued = 0usize;
        let mut exhausted = false;
        loop {
            while !exhausted && pending.len() < window {
                let Some(job) = jobs.next() else {
                    exhausted = true;
                    break;
                };
                let seq = issued;
                issued += 1;
                pending.push_back(None);
                let tx = tx.clone();
                scope.spawn(move |_| {
                    let result =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(job)));
                    // The receiver is gone only when the sink stopped the run.
                    let _ = tx.send((seq, result));
                });
            }
            if pending.is_empty() {
                return;
            }
            while pending.front().is_some_and(Option::is_none) {
                let Some((seq, result)) = receive(&rx) else {
                    return;
                };
                let result = result.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                let first = issued - pending.len();
                if let Some(slot) = seq.checked_sub(first).and_then(|i| pending.get_mut(i)) {
                    *slot = Some(result);
                }
            }
            if let Some(Some(result)) = pending.pop_front() {
                if !sink(result) {
                    return;
                }
            }
        }
    });
}

/// The next result. On a thread of the pool it runs queued tasks while it waits rather than
/// blocking the thread their progress needs.
fn receive<T>(rx: &Receiver<T>) -> Option<T> {
    if rayon::current_thread_index().is_none() {
        return rx.recv().ok();
    }
    loop {
        match rx.try_recv() {
            Ok(v) => return Some(v),
            Err(TryRecvError::Disconnected) => return None,
            Err(TryRecvError::Empty) => {
                if rayon::yield_now() != Some(rayon::Yield::Executed) {
                    std::thread::yield_now();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_job_order_whatever_the_finishing_order() {
        let mut got = Vec::new();
        ordered(
            0..200u64,
            |i| {
                // Early jobs take longest, so later ones finish first.
                std::thread::sleep(std::time::Duration::from_micros((200 - i) * 20));
                i * 2
            },
            |v| {
                got.push(v);
                true
            },
        );
        assert_eq!(got, (0..200u64).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn a_sink_that_stops_ends_the_run_early() {
        let started = std::sync::atomic::AtomicUsize::new(0);
        let mut got = Vec::new();
        ordered(
            0..10_000usize,
            |i| {
                started.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                i
            },
            |v| {
                got.push(v);
                v < 4
            },
        );
        assert_eq!(got, vec![0, 1, 2, 3, 4]);
        assert!(started.load(std::sync::atomic::Ordering::Relaxed) < 10_000);
    }

    #[test]
    fn nothing_to_do_calls_no_sink() {
        ordered(Vec::<u8>::new(), |v| v, |_| panic!("no job, no result"));
    }

    #[test]
    fn a_panicking_job_panics_the_caller() {
        let caught = std::panic::catch_unwind(|| {
            ordered(0..3, |i| assert_ne!(i, 1, "job 1 fails"), |()| true);
        });
        assert!(caught.is_err());
    }
}
