//! Many files at once, streamed: [`Options::parse_files`] over a list of paths and
//! [`Options::parse_dir`] over a directory tree, each an iterator of `(path, result)` in a
//! deterministic order.
//!
//! Results come as they are read, never collected first: at most [`CHUNK_PER_THREAD`] files
//! per worker thread are in flight or waiting at a time, so memory is bounded by that
//! window, not by the archive. With the default `parallel` feature the files of the window
//! are read on every core (rayon's current pool), while the caller works on the results
//! already handed out, and results are handed out in input order, so the output does not
//! depend on timing. One bad file or one unreadable folder is one item with
//! an error; the batch goes on.
//!
//! ```no_run
//! let options = rdsr::Options::new();
//! for (path, result) in options.parse_dir("/archive", |p| {
//!     eprint!("\r{} read, {} failed", p.done, p.failed);
//! }) {
//!     match result {
//!         Ok(report) => println!("{}: {} events", path.display(), report.irradiation_events),
//!         Err(e) => eprintln!("{e}"),
//!     }
//! }
//! ```

use std::collections::VecDeque;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::model::DoseReport;
use crate::parse::Options;

/// One file of a batch and what reading it gave.
pub type FileResult = (PathBuf, Result<DoseReport, Error>);

/// Files in flight per worker thread: the most results a batch holds at once (read, being
/// read, or waiting to be handed out) is this times the number of threads (one thread
/// without the `parallel` feature).
pub const CHUNK_PER_THREAD: usize = 4;

fn chunk_len() -> usize {
    #[cfg(feature = "parallel")]
    let threads = rayon::current_num_threads();
    #[cfg(not(feature = "parallel"))]
    let threads = 1;
    CHUNK_PER_THREAD * threads.max(1)
}

/// What to read: a file, or a folder the walk could not list (reported as an error).
enum Job {
    File(PathBuf),
    Unlistable(PathBuf, std::io::Error),
}

impl Job {
    fn run(self, options: &Options) -> FileResult {
        match self {
            Job::File(path) => {
                let result = options.parse_file(&path);
                (path, result)
            }
            Job::Unlistable(path, e) => {
                let error = Error::from_io(e, path.clone());
                (path, Err(error))
            }
        }
    }
}

/// What a worker sends back: the job's sequence number and its result, or the payload of a
/// panic (resumed on the thread that iterates, as a sequential read would have panicked).
#[cfg(feature = "parallel")]
type Done = (u64, std::thread::Result<FileResult>);

/// Reads jobs through a sliding window and hands out their results in job order.
///
/// With the `parallel` feature every job of the window is a task on rayon's pool: a worker
/// that finishes takes the next job at once (no chunk boundary where the fast wait for the
/// slow), and jobs are read while the caller works on the results already handed out. The
/// window is topped up only as results are handed out, so memory stays bounded.
struct Chunked<I> {
    options: std::sync::Arc<Options>,
    jobs: I,
    /// Results not yet handed out, from sequence number `next` on (`None`: still running).
    ready: VecDeque<Option<FileResult>>,
    /// Sequence number of the next job the window takes.
    issued: u64,
    /// Sequence number of the next result to hand out.
    next: u64,
    exhausted: bool,
    #[cfg(feature = "parallel")]
    channel: (
        std::sync::mpsc::Sender<Done>,
        std::sync::mpsc::Receiver<Done>,
    ),
}

impl<I> Chunked<I> {
    fn new(options: &Options, jobs: I) -> Chunked<I> {
        Chunked {
            options: std::sync::Arc::new(options.clone()),
            jobs,
            ready: VecDeque::new(),
            issued: 0,
            next: 0,
            exhausted: false,
            #[cfg(feature = "parallel")]
            channel: std::sync::mpsc::channel(),
        }
    }
}

impl<I: Iterator<Item = Job>> Chunked<I> {
    /// Starts jobs until the window is full or the jobs run out.
    fn fill(&mut self) {
        let window = chunk_len() as u64;
        while !self.exhausted && self.issued - self.next < window {
            let Some(job) = self.jobs.next() else {
                self.exhausted = true;
                break;
            };
            self.issued += 1;
            self.ready.push_back(None);
            #[cfg(feature = "parallel")]
            {
                let seq = self.issued - 1;
                let options = std::sync::Arc::clone(&self.options);
                let tx = self.channel.0.clone();
                rayon::spawn(move || {
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        job.run(&options)
                    }));
                    // The receiver is gone only when the batch was dropped: nothing to do.
                    let _ = tx.send((seq, result));
                });
            }
            #[cfg(not(feature = "parallel"))]
            if let Some(slot) = self.ready.back_mut() {
                *slot = Some(job.run(&self.options));
            }
        }
    }
}

/// The next result of the window. A task for every empty slot is queued or running and holds
/// a sender, so this returns. Called on a thread of a rayon pool (an iteration inside
/// `ThreadPool::install`), it runs queued tasks while it waits instead of blocking, so a pool
/// of one thread cannot deadlock on the window's own tasks.
#[cfg(feature = "parallel")]
fn receive(rx: &std::sync::mpsc::Receiver<Done>) -> Option<Done> {
    use std::sync::mpsc::TryRecvError;
    if rayon::current_thread_index().is_none() {
        return rx.recv().ok();
    }
    loop {
        match rx.try_recv() {
            Ok(done) => return Some(done),
            Err(TryRecvError::Disconnected) => return None,
            Err(TryRecvError::Empty) => {
                if rayon::yield_now() != Some(rayon::Yield::Executed) {
                    std::thread::yield_now();
                }
            }
        }
    }
}

impl<I: Iterator<Item = Job>> Iterator for Chunked<I> {
    type Item = FileResult;

    fn next(&mut self) -> Option<FileResult> {
        self.fill();
        if self.ready.is_empty() {
            return None;
        }
        #[cfg(feature = "parallel")]
        while self.ready.front().is_some_and(Option::is_none) {
            let Some((seq, result)) = receive(&self.channel.1) else {
                break;
            };
            let result = match result {
                Ok(r) => r,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            let slot = usize::try_from(seq.saturating_sub(self.next))
                .ok()
                .and_then(|i| self.ready.get_mut(i));
            if let Some(slot) = slot {
                *slot = Some(result);
            }
        }
        let item = self.ready.pop_front().flatten();
        self.next += 1;
        item
    }
}

/// The paths of [`Options::parse_files`] as jobs.
struct FileJobs<I>(I);

impl<I> Iterator for FileJobs<I>
where
    I: Iterator,
    I::Item: Into<PathBuf>,
{
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        self.0.next().map(|p| Job::File(p.into()))
    }
}

/// The iterator of [`Options::parse_files`].
pub struct ParseFiles<I> {
    inner: Chunked<FileJobs<I>>,
}

impl<I> Iterator for ParseFiles<I>
where
    I: Iterator,
    I::Item: Into<PathBuf>,
{
    type Item = FileResult;

    fn next(&mut self) -> Option<FileResult> {
        self.inner.next()
    }
}

impl<I> std::fmt::Debug for ParseFiles<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParseFiles")
            .field("buffered", &self.inner.ready.len())
            .finish_non_exhaustive()
    }
}

/// How far a [`Options::parse_dir`] batch has got, given to its progress callback after
/// each item.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Progress<'a> {
    /// The file (or unreadable folder) just handed out.
    pub path: &'a Path,
    /// Items handed out so far, this one included.
    pub done: usize,
    /// How many of them are errors.
    pub failed: usize,
    /// Files and unreadable folders the walk has found so far (it runs at most one chunk
    /// ahead of reading, so this grows as the batch goes).
    pub found: usize,
}

/// A depth-first walk of a directory tree, each folder's entries sorted by name; an
/// iterator, so nothing is listed before it is needed. Symbolic links to files are
/// followed, links to folders are not (no cycles). A folder that cannot be listed is a
/// [`Job::Unlistable`] and the walk goes on; the walk never recurses.
struct Walk {
    /// Per open folder, its remaining entries (sorted, reversed so `pop` gives the next).
    stack: Vec<Vec<(PathBuf, Option<fs::FileType>)>>,
    /// The root, until it is listed.
    root: Option<PathBuf>,
    found: usize,
}

impl Walk {
    fn new(root: PathBuf) -> Walk {
        Walk {
            stack: Vec::new(),
            root: Some(root),
            found: 0,
        }
    }

    /// Lists `dir` onto the stack, or returns why it cannot be listed.
    fn open(&mut self, dir: PathBuf) -> Option<Job> {
        let listed = fs::read_dir(&dir).and_then(|entries| {
            entries
                .map(|e| e.map(|e| (e.path(), e.file_type().ok())))
                .collect::<std::io::Result<Vec<_>>>()
        });
        match listed {
            Ok(mut entries) => {
                entries.sort_by(|a, b| b.0.cmp(&a.0));
                self.stack.push(entries);
                None
            }
            Err(e) => Some(Job::Unlistable(dir, e)),
        }
    }
}

impl Iterator for Walk {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        if let Some(root) = self.root.take() {
            if !root.is_dir() {
                // A file given as the "directory": read it (a missing path reports itself).
                self.found += 1;
                return Some(Job::File(root));
            }
            if let Some(job) = self.open(root) {
                self.found += 1;
                return Some(job);
            }
        }
        loop {
            let top = self.stack.last_mut()?;
            let Some((path, file_type)) = top.pop() else {
                self.stack.pop();
                continue;
            };
            let job = match file_type {
                Some(t) if t.is_dir() => match self.open(path) {
                    Some(job) => job,
                    None => continue,
                },
                Some(t) if t.is_file() => Job::File(path),
                Some(t) if t.is_symlink() => match fs::metadata(&path) {
                    Ok(m) if m.is_dir() => continue,
                    Ok(m) if !m.is_file() => continue,
                    // A file, or a dangling link (reading it reports the error).
                    _ => Job::File(path),
                },
                // Sockets, FIFOs, devices: not regular files.
                Some(_) => continue,
                None => Job::File(path),
            };
            self.found += 1;
            return Some(job);
        }
    }
}

/// The iterator of [`Options::parse_dir`].
pub struct ParseDir<F> {
    inner: Chunked<Walk>,
    progress: F,
    done: usize,
    failed: usize,
}

impl<F: FnMut(Progress<'_>)> Iterator for ParseDir<F> {
    type Item = FileResult;

    fn next(&mut self) -> Option<FileResult> {
        let item = self.inner.next()?;
        self.done += 1;
        if item.1.is_err() {
            self.failed += 1;
        }
        (self.progress)(Progress {
            path: &item.0,
            done: self.done,
            failed: self.failed,
            found: self.inner.jobs.found,
        });
        Some(item)
    }
}

impl<F> std::fmt::Debug for ParseDir<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParseDir")
            .field("done", &self.done)
            .field("failed", &self.failed)
            .field("found", &self.inner.jobs.found)
            .finish_non_exhaustive()
    }
}

impl Options {
    /// Reads many files, streamed: an iterator of `(path, result)` in the order of `paths`
    /// (anything that converts into a [`PathBuf`]: `&Path`, `&str`, `PathBuf`), each error
    /// naming its file. Paths are taken from `paths` a chunk at a time (see the
    /// [module documentation](crate::batch)), read on every core with the `parallel`
    /// feature; nothing is collected beyond the chunk being handed out.
    pub fn parse_files<I>(&self, paths: I) -> ParseFiles<I::IntoIter>
    where
        I: IntoIterator,
        I::Item: Into<PathBuf>,
    {
        ParseFiles {
            inner: Chunked::new(self, FileJobs(paths.into_iter())),
        }
    }

    /// Reads every file below `dir`, streamed as [`Options::parse_files`] does: depth-first,
    /// each folder's entries sorted by name (so the order is the same on every run),
    /// symbolic links to files followed and links to folders not. A folder that cannot be
    /// listed (no permission, removed meanwhile) is one item with its I/O error, and the
    /// walk goes on; so is a `dir` that cannot be listed. `progress` is called after each
    /// item, on the thread that iterates.
    pub fn parse_dir<F>(&self, dir: impl AsRef<Path>, progress: F) -> ParseDir<F>
    where
        F: FnMut(Progress<'_>),
    {
        ParseDir {
            inner: Chunked::new(self, Walk::new(dir.as_ref().to_path_buf())),
            progress,
            done: 0,
            failed: 0,
        }
    }
}

/// [`Options::parse_files`] with default options.
pub fn parse_files<I>(paths: I) -> ParseFiles<I::IntoIter>
where
    I: IntoIterator,
    I::Item: Into<PathBuf>,
{
    Options::default().parse_files(paths)
}

/// [`Options::parse_dir`] with default options.
pub fn parse_dir<F>(dir: impl AsRef<Path>, progress: F) -> ParseDir<F>
where
    F: FnMut(Progress<'_>),
{
    Options::default().parse_dir(dir, progress)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn testdata() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
    }

    /// A scratch folder of its own for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("rdsr-batch-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("scratch folder");
        dir
    }

    #[test]
    fn parse_dir_reads_testdata_in_order_with_progress() {
        let mut calls = Vec::new();
        let results: Vec<FileResult> = Options::new()
            .parse_dir(testdata(), |p| {
                calls.push((p.path.to_path_buf(), p.done, p.failed))
            })
            .collect();
        let paths: Vec<&PathBuf> = results.iter().map(|(p, _)| p).collect();
        // Depth-first, sorted within each folder: `quirks/` comes between its siblings.
        let mut sorted = paths.clone();
        sorted.sort();
        assert_eq!(paths, sorted);
        assert!(
            paths
                .iter()
                .any(|p| p.starts_with(testdata().join("quirks")))
        );
        let ok = results.iter().filter(|(_, r)| r.is_ok()).count();
        assert!(ok >= 30, "{ok} reports read");
        let minimal = results
            .iter()
            .find(|(p, _)| p.ends_with("projection_minimal.dcm"))
            .and_then(|(_, r)| r.as_ref().ok())
            .expect("projection_minimal.dcm is read");
        assert_eq!(minimal.irradiation_events, 2);
        for (p, r) in &results {
            if let Err(e) = r {
                assert_eq!(e.location().file.as_deref(), Some(p.as_path()), "{e}");
            }
        }
        // One progress call per item, in order, counting failures.
        assert_eq!(calls.len(), results.len());
        let failed = results.iter().filter(|(_, r)| r.is_err()).count();
        assert_eq!(
            calls.last().map(|c| (c.1, c.2)),
            Some((results.len(), failed))
        );
        assert!(calls.iter().zip(&results).all(|(c, r)| c.0 == r.0));
    }

    #[test]
    fn parse_files_streams_in_the_order_given() {
        let names = [
            "ct_minimal.dcm",
            "no-such-file.dcm",
            "projection_minimal.dcm",
            "non_dose_sr.dcm",
        ];
        // More paths than one chunk, repeated, so chunks join in order.
        let paths: Vec<PathBuf> = (0..3 * chunk_len())
            .map(|i| testdata().join(names[i % names.len()]))
            .collect();
        let mut results = Options::new().parse_files(paths.clone());
        // Lazily: the first result is there before the rest is read.
        let first = results.next().expect("a first result");
        assert_eq!(first.0, paths[0]);
        assert_eq!(first.1.expect("ct_minimal reads").irradiation_events, 2);
        let rest: Vec<FileResult> = results.collect();
        assert_eq!(rest.len(), paths.len() - 1);
        for ((path, result), want) in rest.iter().zip(&paths[1..]) {
            assert_eq!(path, want);
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            match name {
                "ct_minimal.dcm" | "projection_minimal.dcm" => assert!(result.is_ok()),
                "no-such-file.dcm" => {
                    let e = result.as_ref().expect_err("missing");
                    assert_eq!(e.kind(), crate::ErrorKind::Io);
                    assert_eq!(e.location().file.as_deref(), Some(path.as_path()));
                }
                _ => assert_eq!(
                    result.as_ref().map_err(Error::kind).err(),
                    Some(crate::ErrorKind::NotADoseReport)
                ),
            }
        }
    }

    /// Iterating inside a pool of one thread (the window's tasks queue on the thread that
    /// waits for them) must neither deadlock nor change the order.
    #[cfg(feature = "parallel")]
    #[test]
    fn parse_files_inside_a_one_thread_pool_does_not_deadlock() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("a pool");
        let paths: Vec<PathBuf> = (0..3 * CHUNK_PER_THREAD)
            .map(|i| {
                testdata().join(if i % 2 == 0 {
                    "ct_minimal.dcm"
                } else {
                    "projection_minimal.dcm"
                })
            })
            .collect();
        let results: Vec<FileResult> =
            pool.install(|| Options::new().parse_files(paths.clone()).collect());
        let got: Vec<&PathBuf> = results.iter().map(|(p, _)| p).collect();
        assert_eq!(got, paths.iter().collect::<Vec<_>>());
        assert!(results.iter().all(|(_, r)| r.is_ok()));
    }

    /// A batch dropped half-way leaves its running tasks nothing to send to: no panic, and
    /// a new batch reads normally.
    #[test]
    fn a_batch_dropped_half_way_is_harmless() {
        let paths: Vec<PathBuf> = (0..4 * chunk_len())
            .map(|_| testdata().join("ct_minimal.dcm"))
            .collect();
        let mut batch = Options::new().parse_files(paths.clone());
        assert!(batch.next().is_some_and(|(_, r)| r.is_ok()));
        drop(batch);
        assert_eq!(Options::new().parse_files(paths).count(), 4 * chunk_len());
    }

    #[test]
    fn parse_files_of_nothing_is_empty() {
        assert_eq!(Options::new().parse_files(Vec::<PathBuf>::new()).count(), 0);
    }

    #[test]
    fn parse_files_takes_borrowed_paths() {
        let dir = testdata();
        let paths = [
            dir.join("ct_minimal.dcm"),
            dir.join("projection_minimal.dcm"),
        ];
        let borrowed: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
        let results: Vec<FileResult> = parse_files(borrowed).collect();
        assert_eq!(results.len(), 2);
        assert_eq!(results[1].0, paths[1]);
        assert!(results.iter().all(|(_, r)| r.is_ok()));
    }

    #[test]
    fn parse_dir_of_a_missing_folder_is_one_error() {
        let missing = testdata().join("no-such-folder");
        let results: Vec<FileResult> = parse_dir(&missing, |_| {}).collect();
        assert_eq!(results.len(), 1);
        assert_eq!(results[0].0, missing);
        let e = results[0].1.as_ref().expect_err("missing folder");
        assert_eq!(e.kind(), crate::ErrorKind::Io);
    }

    #[cfg(unix)]
    #[test]
    fn parse_dir_survives_an_unreadable_folder() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("unreadable");
        let good = dir.join("a-good");
        let locked = dir.join("b-locked");
        let later = dir.join("c-later");
        for d in [&good, &locked, &later] {
            fs::create_dir_all(d).expect("folder");
        }
        let fixture = testdata().join("ct_minimal.dcm");
        fs::copy(&fixture, good.join("one.dcm")).expect("copy");
        fs::copy(&fixture, locked.join("hidden.dcm")).expect("copy");
        fs::copy(&fixture, later.join("two.dcm")).expect("copy");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod 000");
        let readable_anyway = fs::read_dir(&locked).is_ok();

        let results: Vec<FileResult> = Options::new().parse_dir(&dir, |_| {}).collect();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).expect("chmod back");
        let _ = fs::remove_dir_all(&dir);

        let paths: Vec<&Path> = results.iter().map(|(p, _)| p.as_path()).collect();
        assert_eq!(paths.first(), Some(&good.join("one.dcm").as_path()));
        assert_eq!(paths.last(), Some(&later.join("two.dcm").as_path()));
        assert!(results[0].1.is_ok() && results[results.len() - 1].1.is_ok());
        if readable_anyway {
            eprintln!(
                "SKIPPED: running as root, a chmod 000 folder stays readable; \
                 the unreadable-folder assertion needs an ordinary user"
            );
            return;
        }
        assert_eq!(results.len(), 3, "{paths:?}");
        assert_eq!(results[1].0, locked);
        let e = results[1]
            .1
            .as_ref()
            .expect_err("the locked folder is an error");
        assert_eq!(e.kind(), crate::ErrorKind::Io);
        assert_eq!(e.location().file.as_deref(), Some(locked.as_path()));
    }
}
