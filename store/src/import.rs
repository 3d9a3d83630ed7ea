//! The streamed import: walk, parse on a rayon pool, write from one thread in batches.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc::{RecvTimeoutError, SyncSender, sync_channel};
use std::time::{Duration, Instant, UNIX_EPOCH};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::sniff::{Sniff, sniff};
use crate::{Arrival, FileMeta, Store, StoreError, StoreReader};

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// The first report of its study.
    Added,
    /// A report that added events to its study (continued reports).
    Merged,
    /// A fuller cumulative report that supersedes earlier ones.
    Supersedes,
    /// Every event already known (an older cumulative report, or a copy): kept as provenance.
    Absorbed,
    /// A SOP instance already stored (same content, or another version of it).
    Duplicate,
    /// A report without Study Instance UID: a study of its own.
    NoStudyUid,
    /// Not DICOM.
    NotDicom,
    /// DICOM, but not a dose report.
    NotDoseReport,
    /// A dose report that could not be read (see the error kind).
    Failed,
    /// A folder or file that could not be listed or opened.
    Unreadable,
}

impl Outcome {
    const ALL: [Outcome; 10] = [
        Outcome::Added,
        Outcome::Merged,
        Outcome::Supersedes,
        Outcome::Absorbed,
        Outcome::Duplicate,
        Outcome::NoStudyUid,
        Outcome::NotDicom,
        Outcome::NotDoseReport,
        Outcome::Failed,
        Outcome::Unreadable,
    ];

    /// The name stored in `import_log.outcome`.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Added => "added",
            Outcome::Merged => "merged",
            Outcome::Supersedes => "supersedes",
            Outcome::Absorbed => "absorbed",
            Outcome::Duplicate => "duplicate",
            Outcome::NoStudyUid => "no_study_uid",
            Outcome::NotDicom => "not_dicom",
            Outcome::NotDoseReport => "not_dose_report",
            Outcome::Failed => "failed",
            Outcome::Unreadable => "unreadable",
        }
    }

    /// The outcome of a stored name.
    pub fn from_name(name: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.name() == name)
    }

    /// Whether the file is a stored dose report.
    pub fn is_report(self) -> bool {
        matches!(
            self,
            Outcome::Added
                | Outcome::Merged
                | Outcome::Supersedes
                | Outcome::Absorbed
                | Outcome::Duplicate
                | Outcome::NoStudyUid
        )
    }
}

/// The logged result of one file (one `import_log` row).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileRecord {
    /// Path.
    pub path: String,
    /// Outcome.
    pub outcome: Outcome,
    /// Library error kind, snake case (`not_dicom`, `malformed`, `io`...).
    pub error_kind: Option<String>,
    /// Why, for rejected and failed files.
    pub message: Option<String>,
    /// SR content path or tag of the problem.
    pub content_path: Option<String>,
    /// SOP Instance UID of a report.
    pub sop_instance_uid: Option<String>,
}

impl FileRecord {
    /// A record with only a path and an outcome.
    pub fn new(path: &str, outcome: Outcome) -> FileRecord {
        FileRecord {
            path: path.to_string(),
            outcome,
            error_kind: None,
            message: None,
            content_path: None,
            sop_instance_uid: None,
        }
    }
}

/// Options of an import run.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ImportOptions {
    /// How reports are read (limits, quirks, strict mode). Default: the library defaults.
    pub parse: rdsr::Options,
    /// Parser threads. Default: the number of CPUs.
    pub jobs: usize,
    /// Largest file read, in bytes; larger files fail as `limit_exceeded` without being
    /// read. Default: [`rdsr::DEFAULT_MAX_INPUT_SIZE`].
    pub max_file_size: u64,
    /// Most files per transaction. Default: 1024.
    pub batch_files: usize,
    /// Most bytes of parsed reports (their file sizes) per transaction: the reports of a
    /// batch are held in memory until it commits, so this bounds the importer's memory
    /// whatever the sizes of the files. Default: 32 MiB.
    pub batch_bytes: u64,
    /// Longest time a result waits before its transaction commits. Default: 2 s.
    pub batch_interval: Duration,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            parse: rdsr::Options::default(),
            jobs: std::thread::available_parallelism().map_or(1, usize::from),
            max_file_size: rdsr::DEFAULT_MAX_INPUT_SIZE,
            // Large transactions: every commit writes each B-tree page it touched to the
            // write-ahead log again, and the keys (UIDs) arrive in random order, so fewer
            // commits mean far fewer page writes.
            batch_files: 1024,
            batch_bytes: 32 << 20,
            batch_interval: Duration::from_secs(2),
        }
    }
}

impl ImportOptions {
    /// The defaults with these read options.
    pub fn new(parse: rdsr::Options) -> Self {
        ImportOptions {
            parse,
            ..ImportOptions::default()
        }
    }

    /// Sets the number of parser threads (at least 1).
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.jobs = jobs.max(1);
        self
    }
}

/// Counters of a run, handed to the progress callback after every committed batch.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Progress {
    /// Files seen (skipped included).
    pub seen: u64,
    /// Bytes of the files read.
    pub bytes: u64,
    /// Files skipped: imported by an earlier run, same size and modification time.
    pub skipped: u64,
    /// Files per outcome.
    pub outcomes: BTreeMap<Outcome, u64>,
    /// Failed files per error kind.
    pub failed_by_kind: BTreeMap<String, u64>,
    /// Time since the start, s.
    pub elapsed_s: f64,
}

impl Progress {
    /// Files with this outcome.
    pub fn count(&self, outcome: Outcome) -> u64 {
        self.outcomes.get(&outcome).copied().unwrap_or(0)
    }

    /// Files stored as new reports (added, merged, supersedes, absorbed, no study UID).
    pub fn imported(&self) -> u64 {
        [
            Outcome::Added,
            Outcome::Merged,
            Outcome::Supersedes,
            Outcome::Absorbed,
            Outcome::NoStudyUid,
        ]
        .iter()
        .map(|o| self.count(*o))
        .sum()
    }

    /// Files that failed (read errors and reports that could not be read).
    pub fn failed(&self) -> u64 {
        self.count(Outcome::Failed) + self.count(Outcome::Unreadable)
    }

    fn record(&mut self, rec: &FileRecord) {
        *self.outcomes.entry(rec.outcome).or_insert(0) += 1;
        if matches!(rec.outcome, Outcome::Failed | Outcome::Unreadable) {
            let kind = rec
                .error_kind
                .clone()
                .unwrap_or_else(|| "other".to_string());
            *self.failed_by_kind.entry(kind).or_insert(0) += 1;
        }
    }
}

/// The counters at the end of a run.
pub type ImportSummary = Progress;

/// One input of the walk.
#[derive(Debug)]
pub enum Input {
    /// A file (or anything not a directory).
    File(PathBuf),
    /// A directory, or an entry of one, that could not be listed.
    Unlistable(PathBuf, io::Error),
}

/// Expands paths lazily: a directory yields every regular file below it, sorted by name at
/// each level; symbolic links to directories are not followed. Memory holds one listing per
/// open level, never the archive.
pub fn walk<I: IntoIterator<Item = PathBuf>>(roots: I) -> impl Iterator<Item = Input> {
    Walk {
        roots: roots.into_iter(),
        stack: Vec::new(),
    }
}

struct Walk<I> {
    roots: I,
    /// Remaining entries of each open directory, reversed (next at the end).
    stack: Vec<Vec<(PathBuf, Option<fs::FileType>)>>,
}

impl<I: Iterator<Item = PathBuf>> Walk<I> {
    fn open(&mut self, dir: &Path) -> Option<Input> {
        match fs::read_dir(dir).and_then(|rd| rd.collect::<io::Result<Vec<_>>>()) {
            Ok(entries) => {
                let mut entries: Vec<(PathBuf, Option<fs::FileType>)> = entries
                    .into_iter()
                    .map(|e| (e.path(), e.file_type().ok()))
                    .collect();
                entries.sort_by(|a, b| b.0.cmp(&a.0));
                self.stack.push(entries);
                None
            }
            Err(e) => Some(Input::Unlistable(dir.to_path_buf(), e)),
        }
    }
}

impl<I: Iterator<Item = PathBuf>> Iterator for Walk<I> {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            match self.stack.last_mut() {
                Some(level) => match level.pop() {
                    Some((path, Some(t))) if t.is_dir() => {
                        if let Some(i) = self.open(&path) {
                            return Some(i);
                        }
                    }
                    Some((path, Some(t))) if t.is_symlink() => {
                        if fs::metadata(&path).map_or(true, |m| m.is_file()) {
                            return Some(Input::File(path));
                        }
                    }
                    Some((path, Some(t))) if t.is_file() => return Some(Input::File(path)),
                    Some((_, Some(_))) => {}
                    Some((path, None)) => return Some(Input::File(path)),
                    None => {
                        self.stack.pop();
                    }
                },
                None => {
                    let root = self.roots.next()?;
                    if fs::metadata(&root).is_ok_and(|m| m.is_dir()) {
                        if let Some(i) = self.open(&root) {
                            return Some(i);
                        }
                    } else {
                        return Some(Input::File(root));
                    }
                }
            }
        }
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

fn kind_name(kind: rdsr::ErrorKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "other".to_string())
}

/// Reads, sniffs and parses bytes already in memory.
fn classify(meta: FileMeta, bytes: &[u8], options: &rdsr::Options) -> Arrival {
    match sniff(bytes) {
        Sniff::NotDicom => {
            return Arrival::Rejected {
                meta,
                outcome: Outcome::NotDicom,
                error_kind: Some(kind_name(rdsr::ErrorKind::NotDicom)),
                message: "no DICOM preamble and no DICOM element at the start".to_string(),
                content_path: None,
            };
        }
        Sniff::OtherSopClass(uid) => {
            return Arrival::Rejected {
                meta,
                outcome: Outcome::NotDoseReport,
                error_kind: Some(kind_name(rdsr::ErrorKind::NotADoseReport)),
                message: format!("SOP class {uid} is not a dose report SOP class"),
                content_path: Some("(0002,0002)".to_string()),
            };
        }
        Sniff::Candidate => {}
    }
    match options.parse_bytes(bytes) {
        Ok(report) => {
            // Serialised here, on the parser's thread, not on the writer's.
            let stored_report = crate::encode_report(&report).ok();
            Arrival::Report {
                meta,
                report: Box::new(report),
                stored_report,
            }
        }
        Err(e) => {
            let kind = e.kind();
            Arrival::Rejected {
                meta,
                outcome: match kind {
                    rdsr::ErrorKind::NotDicom => Outcome::NotDicom,
                    rdsr::ErrorKind::NotADoseReport => Outcome::NotDoseReport,
                    _ => Outcome::Failed,
                },
                error_kind: Some(kind_name(kind)),
                // Without a file the error's location prefix is empty.
                message: e.to_string().trim_start_matches(": ").to_string(),
                content_path: e.path().map(str::to_string),
            }
        }
    }
}

/// The largest read buffer a parser thread keeps between files: a larger one (a file of
/// many megabytes) is freed after its file.
const KEPT_BUFFER: usize = 16 << 20;

struct Job {
    path: PathBuf,
    size: u64,
    mtime_ns: Option<i64>,
}

enum Msg {
    Arrival(Arrival),
    Skipped(u64),
    Unlistable(String, String),
}

/// The walk's counters when the batcher handed a piece of work to the writer.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    seen: u64,
    skipped: u64,
    bytes: u64,
}

impl Tally {
    fn set(self, counters: &mut Progress) {
        counters.seen = self.seen;
        counters.skipped = self.skipped;
        counters.bytes = self.bytes;
    }
}

/// What the batcher hands the writer.
enum Work {
    /// A transaction's files.
    Apply(Tally, Vec<Arrival>),
    /// A folder or file that could not be listed.
    Unlistable(Tally, String, String),
    /// Progress of a run that only skips files.
    Tick(Tally),
    /// The walk's final counters.
    End(Tally),
}

fn mtime_ns(m: &fs::Metadata) -> Option<i64> {
    let d = m.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    i64::try_from(d.as_nanos()).ok()
}

/// Reads a job; `Ok(Err(job))` when another importer is parsing the same content (only
/// when `defer`: the job is then read again, without deferring, after the others).
fn read_job(
    job: Job,
    reader: &mut dyn StoreReader,
    options: &ImportOptions,
    defer: bool,
    buf: &mut Vec<u8>,
) -> Result<Result<Arrival, Job>, StoreError> {
    let start = Instant::now();
    let path = job.path.to_string_lossy().into_owned();
    let mut meta = FileMeta {
        path,
        size: job.size,
        mtime_ns: job.mtime_ns,
        sha256: None,
        duration_s: 0.0,
    };
    if job.size > options.max_file_size {
        return Ok(Ok(Arrival::Rejected {
            meta,
            outcome: Outcome::Failed,
            error_kind: Some(kind_name(rdsr::ErrorKind::LimitExceeded)),
            message: format!(
                "file of {} bytes is larger than the {} bytes accepted",
                job.size, options.max_file_size
            ),
            content_path: None,
        }));
    }
    // Read into the parser thread's buffer (one allocation per thread, not per file), and at
    // most one byte more than the limit: a file that grew after it was listed is refused,
    // not read whole.
    buf.clear();
    let read = fs::File::open(&job.path).and_then(|f| {
        use std::io::Read as _;
        f.take(options.max_file_size.saturating_add(1))
            .read_to_end(buf)
    });
    if let Err(e) = read {
        return Ok(Ok(Arrival::Rejected {
            meta,
            outcome: Outcome::Failed,
            error_kind: Some(kind_name(rdsr::ErrorKind::Io)),
            message: e.to_string(),
            content_path: None,
        }));
    }
    if u64::try_from(buf.len()).unwrap_or(u64::MAX) > options.max_file_size {
        return Ok(Ok(Arrival::Rejected {
            meta,
            outcome: Outcome::Failed,
            error_kind: Some(kind_name(rdsr::ErrorKind::LimitExceeded)),
            message: format!(
                "file of more than {} bytes (it grew after it was listed)",
                options.max_file_size
            ),
            content_path: None,
        }));
    }
    let bytes: &[u8] = buf;
    let sha = hex_sha256(bytes);
    meta.sha256 = Some(sha.clone());
    meta.size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    let known = if defer {
        match reader.claim_content(&sha)? {
            crate::Content::Known(prior) => Some(prior),
            crate::Content::Busy => return Ok(Err(job)),
            _ => None,
        }
    } else {
        reader.known_content(&sha)?
    };
    if let Some(prior) = known {
        meta.duration_s = start.elapsed().as_secs_f64();
        return Ok(Ok(Arrival::KnownContent { meta, prior }));
    }
    let mut arrival = classify(meta, bytes, &options.parse);
    let d = start.elapsed().as_secs_f64();
    match &mut arrival {
        Arrival::Report { meta, .. }
        | Arrival::KnownContent { meta, .. }
        | Arrival::Rejected { meta, .. } => meta.duration_s = d,
    }
    Ok(Ok(arrival))
}

/// Imports the files and folders `paths` (walked recursively). See [`import_inputs`].
pub fn import_paths<S: Store + ?Sized>(
    store: &mut S,
    paths: &[PathBuf],
    options: &ImportOptions,
    progress: impl FnMut(&Progress, &[FileRecord]),
) -> Result<ImportSummary, StoreError> {
    import_inputs(store, walk(paths.to_vec()), options, progress)
}

fn send_or_stop<T>(tx: &SyncSender<T>, v: T) -> bool {
    tx.send(v).is_ok()
}

/// Imports a stream of inputs: files already handled by an earlier run (same path, size and
/// modification time) are skipped unread; content already stored (same SHA-256) is logged
/// without parsing; the rest is sniffed and parsed on `options.jobs` rayon threads and
/// written by this thread in batched transactions. `progress` is called after each commit
/// with the counters and the records of the batch. Fails only when the store fails.
pub fn import_inputs<S: Store + ?Sized>(
    store: &mut S,
    inputs: impl Iterator<Item = Input> + Send,
    options: &ImportOptions,
    mut progress: impl FnMut(&Progress, &[FileRecord]),
) -> Result<ImportSummary, StoreError> {
    let start = Instant::now();
    let jobs = options.jobs.max(1);
    let (job_tx, job_rx) = sync_channel::<Job>(jobs * 4);
    let (res_tx, res_rx) = sync_channel::<Msg>(jobs * 8 + 16);
    let mut walker_reader = store.reader()?;
    let readers = (0..jobs)
        .map(|_| store.reader())
        .collect::<Result<Vec<_>, _>>()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| StoreError::Io {
            path: PathBuf::from("(thread pool)"),
            source: io::Error::other(e.to_string()),
        })?;
    let job_rx = Mutex::new(job_rx);
    let mut counters = Progress::default();
    let mut failure: Option<StoreError> = None;
    std::thread::scope(|scope| {
        let walker_tx = res_tx.clone();
        scope.spawn(move || {
            for input in inputs {
                let ok = match input {
                    Input::File(path) => match fs::metadata(&path) {
                        Ok(m) => {
                            let (size, mtime) = (m.len(), mtime_ns(&m));
                            let known = walker_reader
                                .known_file(&path.to_string_lossy(), size, mtime)
                                .unwrap_or(false);
                            if known {
                                send_or_stop(&walker_tx, Msg::Skipped(size))
                            } else {
                                send_or_stop(
                                    &job_tx,
                                    Job {
                                        path,
                                        size,
                                        mtime_ns: mtime,
                                    },
                                )
                            }
                        }
                        Err(_) => send_or_stop(
                            &job_tx,
                            Job {
                                path,
                                size: 0,
                                mtime_ns: None,
                            },
                        ),
                    },
                    Input::Unlistable(path, e) => send_or_stop(
                        &walker_tx,
                        Msg::Unlistable(path.to_string_lossy().into_owned(), e.to_string()),
                    ),
                };
                if !ok {
                    break;
                }
            }
        });
        let parser_tx = res_tx;
        let job_rx = &job_rx;
        scope.spawn(move || {
            pool.scope(|s| {
                for mut reader in readers {
                    let tx = parser_tx.clone();
                    s.spawn(move |_| {
                        // Files another importer is parsing, read again at the end.
                        let mut deferred: Vec<Job> = Vec::new();
                        let mut buf = Vec::new();
                        loop {
                            let job = match job_rx.lock() {
                                Ok(rx) => rx.recv(),
                                Err(_) => break,
                            };
                            let Ok(job) = job else { break };
                            let read = read_job(job, reader.as_mut(), options, true, &mut buf);
                            if buf.capacity() > KEPT_BUFFER {
                                buf = Vec::new();
                            }
                            let msg = match read {
                                Ok(Ok(a)) => Msg::Arrival(a),
                                Ok(Err(job)) => {
                                    deferred.push(job);
                                    continue;
                                }
                                Err(_) => return,
                            };
                            if tx.send(msg).is_err() {
                                return;
                            }
                        }
                        for job in deferred {
                            let msg = match read_job(job, reader.as_mut(), options, false, &mut buf)
                            {
                                Ok(Ok(a)) => Msg::Arrival(a),
                                Ok(Err(_)) | Err(_) => return,
                            };
                            if tx.send(msg).is_err() {
                                return;
                            }
                        }
                    });
                }
                drop(parser_tx);
            });
        });
        // The batcher: gathers results into transactions while the writer (this thread)
        // applies the previous one, so parsing never waits for a commit. The rendezvous
        // channel holds no batch: at most the one being applied and the one being gathered
        // are in memory.
        let (work_tx, work_rx) = sync_channel::<Work>(0);
        scope.spawn(move || {
            let mut tally = Tally::default();
            let mut batch: Vec<Arrival> = Vec::new();
            let mut batch_bytes = 0u64;
            let mut batch_start = Instant::now();
            let mut done = false;
            while !done {
                match res_rx.recv_timeout(Duration::from_millis(50)) {
                    Ok(Msg::Arrival(a)) => {
                        tally.seen += 1;
                        tally.bytes += a.meta().size;
                        if batch.is_empty() {
                            batch_start = Instant::now();
                        }
                        if matches!(a, Arrival::Report { .. }) {
                            batch_bytes = batch_bytes.saturating_add(a.meta().size);
                        }
                        batch.push(a);
                    }
                    Ok(Msg::Skipped(size)) => {
                        tally.seen += 1;
                        tally.skipped += 1;
                        tally.bytes += size;
                        if batch.is_empty()
                            && tally.skipped % 4096 == 0
                            && work_tx.send(Work::Tick(tally)).is_err()
                        {
                            break;
                        }
                    }
                    Ok(Msg::Unlistable(path, message)) => {
                        tally.seen += 1;
                        if work_tx
                            .send(Work::Unlistable(tally, path, message))
                            .is_err()
                        {
                            break;
                        }
                    }
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => done = true,
                }
                let due = batch.len() >= options.batch_files.max(1)
                    || (!batch.is_empty() && batch_bytes >= options.batch_bytes)
                    || (!batch.is_empty() && batch_start.elapsed() >= options.batch_interval)
                    || (done && !batch.is_empty());
                if due {
                    batch_bytes = 0;
                    if work_tx
                        .send(Work::Apply(tally, std::mem::take(&mut batch)))
                        .is_err()
                    {
                        break;
                    }
                }
            }
            // Dropping the receiver stops the parsers and the walker.
            drop(res_rx);
            if done {
                let _ = work_tx.send(Work::End(tally));
            }
        });
        // The writer: this thread.
        for work in work_rx.iter() {
            match work {
                Work::Apply(tally, batch) => match store.apply(batch) {
                    Ok(records) => {
                        tally.set(&mut counters);
                        for r in &records {
                            counters.record(r);
                        }
                        counters.elapsed_s = start.elapsed().as_secs_f64();
                        progress(&counters, &records);
                    }
                    Err(e) => {
                        failure = Some(e);
                        break;
                    }
                },
                Work::Unlistable(tally, path, message) => {
                    match store.log_unlistable(&path, &message) {
                        Ok(rec) => {
                            tally.set(&mut counters);
                            counters.record(&rec);
                            counters.elapsed_s = start.elapsed().as_secs_f64();
                            progress(&counters, std::slice::from_ref(&rec));
                        }
                        Err(e) => {
                            failure = Some(e);
                            break;
                        }
                    }
                }
                Work::Tick(tally) => {
                    tally.set(&mut counters);
                    counters.elapsed_s = start.elapsed().as_secs_f64();
                    progress(&counters, &[]);
                }
                Work::End(tally) => tally.set(&mut counters),
            }
        }
        // Dropping the receiver stops the batcher, then the parsers and the walker.
        drop(work_rx);
    });
    if let Some(e) = failure {
        return Err(e);
    }
    counters.elapsed_s = start.elapsed().as_secs_f64();
    progress(&counters, &[]);
    Ok(counters)
}

/// Imports one file's bytes (a service that received a report): sniffed, parsed and stored
/// under `label` (the path logged), in one transaction.
pub fn import_bytes<S: Store + ?Sized>(
    store: &mut S,
    label: &str,
    bytes: &[u8],
    options: &rdsr::Options,
) -> Result<FileRecord, StoreError> {
    let start = Instant::now();
    let meta = FileMeta {
        path: label.to_string(),
        size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
        mtime_ns: None,
        sha256: Some(hex_sha256(bytes)),
        duration_s: start.elapsed().as_secs_f64(),
    };
    let arrival = classify(meta, bytes, options);
    first(store.apply(vec![arrival])?, label)
}

/// Reads one file's bytes into the [`Arrival`] that [`import_bytes`] would apply, without
/// touching a store: sniffed, parsed, and logged under `label`. For a service that must know
/// whether a report reads (to answer its sender) before its store writer applies it.
pub fn arrival_from_bytes(label: &str, bytes: &[u8], options: &rdsr::Options) -> Arrival {
    let start = Instant::now();
    let meta = FileMeta {
        path: label.to_string(),
        size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
        mtime_ns: None,
        sha256: Some(hex_sha256(bytes)),
        duration_s: 0.0,
    };
    let mut arrival = classify(meta, bytes, options);
    let d = start.elapsed().as_secs_f64();
    match &mut arrival {
        Arrival::Report { meta, .. }
        | Arrival::KnownContent { meta, .. }
        | Arrival::Rejected { meta, .. } => meta.duration_s = d,
    }
    arrival
}

/// Imports a report a service already parsed, under `label`. Its key, when it has no SOP
/// Instance UID, is the SHA-256 of its JSON form.
pub fn import_report<S: Store + ?Sized>(
    store: &mut S,
    label: &str,
    report: rdsr::DoseReport,
) -> Result<FileRecord, StoreError> {
    let json = serde_json::to_vec(&report).map_err(|e| StoreError::StoredReport {
        key: label.to_string(),
        message: e.to_string(),
    })?;
    let meta = FileMeta {
        path: label.to_string(),
        size: 0,
        mtime_ns: None,
        sha256: Some(hex_sha256(&json)),
        duration_s: 0.0,
    };
    first(
        store.apply(vec![Arrival::Report {
            meta,
            report: Box::new(report),
            stored_report: None,
        }])?,
        label,
    )
}

fn first(records: Vec<FileRecord>, label: &str) -> Result<FileRecord, StoreError> {
    records
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::StoredReport {
            key: label.to_string(),
            message: "no record".to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrival_from_bytes_reads_a_report_and_refuses_a_truncated_one() {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/ct_minimal.dcm");
        let bytes = fs::read(fixture).unwrap();
        let options = rdsr::Options::default();
        match arrival_from_bytes("dicom://A@127.0.0.1:1/x.dcm", &bytes, &options) {
            Arrival::Report {
                meta,
                report,
                stored_report,
            } => {
                assert_eq!(meta.path, "dicom://A@127.0.0.1:1/x.dcm");
                assert_eq!(meta.sha256.as_deref(), Some(hex_sha256(&bytes).as_str()));
                assert_eq!(meta.size, bytes.len() as u64);
                assert!(report.sop_instance_uid.is_some());
                assert!(stored_report.is_some());
            }
            other => panic!("{other:?}"),
        }
        let cut = bytes.get(..bytes.len() / 2).unwrap();
        match arrival_from_bytes("cut", cut, &options) {
            Arrival::Rejected {
                outcome,
                error_kind,
                ..
            } => {
                assert_eq!(outcome, Outcome::Failed);
                assert_eq!(error_kind.as_deref(), Some("malformed"));
            }
            other => panic!("{other:?}"),
        }
    }

    /// A file listed at one size that is larger when it is read (it grew in between) is
    /// refused as over the limit after reading one byte past it, not read whole.
    #[test]
    fn a_file_that_grew_past_the_limit_after_listing_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::SqliteStore::open(dir.path().join("s.sqlite")).unwrap();
        let mut reader = store.reader().unwrap();
        let path = dir.path().join("growing.dcm");
        fs::write(&path, vec![0u8; 4096]).unwrap();
        let options = ImportOptions {
            max_file_size: 1000,
            ..ImportOptions::default()
        };
        let job = Job {
            path,
            size: 10,
            mtime_ns: None,
        };
        let mut buf = Vec::new();
        match read_job(job, reader.as_mut(), &options, false, &mut buf) {
            Ok(Ok(Arrival::Rejected {
                outcome,
                error_kind,
                message,
                ..
            })) => {
                assert_eq!(outcome, Outcome::Failed);
                assert_eq!(error_kind.as_deref(), Some("limit_exceeded"));
                assert!(message.contains("grew"), "{message}");
            }
            Ok(Ok(other)) => panic!("{other:?}"),
            Ok(Err(_)) => panic!("deferred"),
            Err(e) => panic!("{e}"),
        }
        assert_eq!(buf.len(), 1001);
    }
}
