//! A persistent store of dose reports, and the streamed, resumable import of whole archives.
//!
//! # Overview
//!
//! [`Store`] is what an importer needs from a database: apply a batch of file results in one
//! transaction (reports stored, studies re-assembled, every file logged), answer "was this
//! file or this content seen already", and list studies. [`SqliteStore`] is the embedded
//! backend (one file, WAL mode). [`import_paths`] walks folders, parses on a rayon pool,
//! and writes from one thread in batched transactions; memory stays flat in archive size.
//!
//! A study's derived rows (report roles, summary, events, totals) are a function of the set
//! of reports stored for it: every time a report of study S arrives, S's stored reports are
//! assembled again with [`rdsr::study::StudyAssembler`] and S's derived rows rewritten in
//! the same transaction. So a later run, a later file, or a re-run after a kill gives the
//! store an all-at-once import gives.
//!
//! Fluoroscopy high-dose alerts ([`alerts`]) are kept up to date the same way: the patients
//! of the studies an arrival touches are evaluated again in its transaction. The PHE 2019
//! dose-survey exports ([`export`]) read the store one study at a time. The logic of both is
//! backend-neutral; a backend provides [`AlertStore`] and [`export::SurveySource`].
//!
//! # Examples
//!
//! ```no_run
//! use rdsr_store::{ImportOptions, SqliteStore, import_paths};
//!
//! let mut store = SqliteStore::open("rdsr.sqlite")?;
//! let summary = import_paths(&mut store, &["archive".into()], &ImportOptions::default(), |_, _| {})?;
//! println!("{} files imported", summary.imported());
//! # Ok::<(), rdsr_store::StoreError>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod alerts;
pub mod archive;
pub mod export;
mod import;
mod pg;
mod pg_alerts;
mod pg_export;
pub mod rows;
mod sniff;
pub mod spool;
mod sqlite;
mod sqlite_alerts;
mod sqlite_export;
mod tables;
pub mod testing;

use std::path::PathBuf;

pub use alerts::{AlertQuery, AlertSettings, AlertStore, StudyAlert};
pub use import::{
    FileRecord, ImportOptions, ImportSummary, Input, Outcome, Progress, arrival_from_bytes,
    import_bytes, import_inputs, import_paths, import_report, walk,
};
pub use pg::{PostgresStore, is_postgres_url};
pub use sniff::{Sniff, sniff};
pub use spool::{EncodedStudy, SpooledStudy, StudySpool};
pub use sqlite::{SCHEMA_VERSION, SqliteStore};

use std::io::{Read, Write};

/// The stored form of a report (`reports.report_zlib`): its JSON (serde), zlib-compressed.
pub fn encode_report(report: &rdsr::DoseReport) -> Result<Vec<u8>, StoreError> {
    let json = serde_json::to_vec(report).map_err(|e| StoreError::StoredReport {
        key: report.sop_instance_uid.clone().unwrap_or_default(),
        message: e.to_string(),
    })?;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(&json)
        .and_then(|()| z.finish())
        .map_err(|e| StoreError::StoredReport {
            key: report.sop_instance_uid.clone().unwrap_or_default(),
            message: e.to_string(),
        })
}

/// A report from its stored form ([`encode_report`]).
pub fn decode_report(key: &str, stored: &[u8]) -> Result<rdsr::DoseReport, StoreError> {
    let err = |message: String| StoreError::StoredReport {
        key: key.to_string(),
        message,
    };
    let mut json = Vec::new();
    flate2::read::ZlibDecoder::new(stored)
        .read_to_end(&mut json)
        .map_err(|e| err(e.to_string()))?;
    serde_json::from_slice(&json).map_err(|e| err(e.to_string()))
}

/// Opens the store `target` names: a `postgres://` or `postgresql://` URL connects to that
/// PostgreSQL database ([`PostgresStore`]), anything else is the path of a SQLite file
/// ([`SqliteStore`]). Pending migrations are applied; applied quirks are summarised from the
/// quirk table of `parse` when given, else from the shipped table.
pub fn open_store(
    target: &str,
    parse: Option<&rdsr::Options>,
) -> Result<Box<dyn Registry>, StoreError> {
    if is_postgres_url(target) {
        let mut store = PostgresStore::connect(target)?;
        if let Some(o) = parse {
            store.set_quirk_summaries(o);
        }
        Ok(Box::new(store))
    } else {
        let mut store = SqliteStore::open(target)?;
        if let Some(o) = parse {
            store.set_quirk_summaries(o);
        }
        Ok(Box::new(store))
    }
}

/// Everything a registry backend offers callers: import ([`Store`]), alerts
/// ([`AlertStore`]) and survey exports ([`export::SurveySource`]). Both backends are one;
/// [`open_store`] returns either behind it.
pub trait Registry: Store + AlertStore + export::SurveySource {
    /// The registry as a [`Store`] (for [`import_inputs`] and friends).
    fn as_store(&mut self) -> &mut dyn Store;
}

impl<T: Store + AlertStore + export::SurveySource> Registry for T {
    fn as_store(&mut self) -> &mut dyn Store {
        self
    }
}

/// Why the store could not do what was asked (the run cannot proceed).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database said no (unwritable file, corrupt store, locked).
    #[error("store: {0}")]
    Database(#[from] rusqlite::Error),
    /// The PostgreSQL server said no (refused login, missing database, failed statement).
    #[error("store: {0}")]
    Postgres(#[from] ::postgres::Error),
    /// The PostgreSQL server could not be reached, or the connection was lost and could not
    /// be re-established, after `tries` attempts.
    #[error("store: PostgreSQL server unreachable after {tries} tries: {message}")]
    Unreachable {
        /// Attempts made.
        tries: u32,
        /// The last error.
        message: String,
    },
    /// A stored report could not be read back.
    #[error("store: stored report {key}: {message}")]
    StoredReport {
        /// Report key.
        key: String,
        /// What was wrong.
        message: String,
    },
    /// The store was written by a newer version of this crate.
    #[error("store schema version {found} is newer than this program's {supported}")]
    TooNew {
        /// Version found.
        found: u32,
        /// Latest version known.
        supported: u32,
    },
    /// The site secret is missing or is not the one the store's patient keys were made with.
    #[error("site secret: {0}")]
    SiteSecret(String),
    /// An export could not be written (bad output name or glob, file error).
    #[error("export: {0}")]
    Export(String),
    /// A file or folder the run needs could not be used.
    #[error("{path}: {source}")]
    Io {
        /// Path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// What the importer knows about a file (before parsing it).
#[derive(Debug, Clone, PartialEq)]
pub struct FileMeta {
    /// Path as given or found by the walk.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, ns since the Unix epoch.
    pub mtime_ns: Option<i64>,
    /// SHA-256 of the bytes, hex (absent when the file could not be read).
    pub sha256: Option<String>,
    /// Time spent reading and parsing, s.
    pub duration_s: f64,
}

/// The result of reading one file, handed to [`Store::apply`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Arrival {
    /// A dose report.
    Report {
        /// The file.
        meta: FileMeta,
        /// The report.
        report: Box<rdsr::DoseReport>,
        /// The report as zlib-compressed JSON, when the parser thread already encoded it
        /// (the writer does otherwise; see [`encode_report`]).
        stored_report: Option<Vec<u8>>,
    },
    /// Content already in the store under another path (same SHA-256): not parsed again.
    KnownContent {
        /// The file.
        meta: FileMeta,
        /// What the earlier file with this content became.
        prior: Prior,
    },
    /// Not a report: rejected or failed.
    Rejected {
        /// The file.
        meta: FileMeta,
        /// Why.
        outcome: Outcome,
        /// Library error kind (snake case), when the library gave one.
        error_kind: Option<String>,
        /// Message.
        message: String,
        /// SR content path or tag where the problem is.
        content_path: Option<String>,
    },
}

impl Arrival {
    /// The file.
    pub fn meta(&self) -> &FileMeta {
        match self {
            Arrival::Report { meta, .. }
            | Arrival::KnownContent { meta, .. }
            | Arrival::Rejected { meta, .. } => meta,
        }
    }
}

/// The logged result of an earlier file with the same content.
#[derive(Debug, Clone, PartialEq)]
pub struct Prior {
    /// Its outcome.
    pub outcome: Outcome,
    /// Its error kind.
    pub error_kind: Option<String>,
    /// Its message.
    pub message: String,
    /// Its content path.
    pub content_path: Option<String>,
    /// Its SOP Instance UID.
    pub sop_instance_uid: Option<String>,
}

/// Look-ups the parser threads make before parsing (one per thread, on its own connection).
pub trait StoreReader: Send {
    /// Whether `path` was handled by an earlier run with this size and modification time.
    fn known_file(
        &mut self,
        path: &str,
        size: u64,
        mtime_ns: Option<i64>,
    ) -> Result<bool, StoreError>;
    /// The logged result of a file with this SHA-256, if any.
    fn known_content(&mut self, sha256: &str) -> Result<Option<Prior>, StoreError>;
    /// Like [`StoreReader::known_content`], for a store that several importers write: the
    /// content may also be [`Content::Busy`], claimed by another importer that has not
    /// committed it yet (the importer comes back to the file later, when `known_content`
    /// waits for that result). The default never answers `Busy`.
    fn claim_content(&mut self, sha256: &str) -> Result<Content, StoreError> {
        Ok(match self.known_content(sha256)? {
            Some(prior) => Content::Known(prior),
            None => Content::Mine,
        })
    }
}

/// The answer of [`StoreReader::claim_content`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Content {
    /// Logged already, with this result.
    Known(Prior),
    /// New: this importer parses it.
    Mine,
    /// Being parsed by another importer.
    Busy,
}

/// A dose report store. SQL dialect details stay inside each backend.
pub trait Store {
    /// The schema version of the open store.
    fn schema_version(&self) -> Result<u32, StoreError>;
    /// A reader for another thread.
    fn reader(&self) -> Result<Box<dyn StoreReader>, StoreError>;
    /// Applies a batch in one transaction: reports stored, their studies re-assembled, every
    /// file logged. Returns one record per arrival, in order.
    fn apply(&mut self, batch: Vec<Arrival>) -> Result<Vec<FileRecord>, StoreError>;
    /// Logs a folder that could not be listed.
    fn log_unlistable(&mut self, path: &str, message: &str) -> Result<FileRecord, StoreError>;
    /// Every stored study, ordered by study key.
    fn studies(&self) -> Result<Vec<rows::StudyRow>, StoreError>;
    /// A canonical text dump of the derived and stored data: equal for stores holding the
    /// same reports whatever order and runs they were imported in (durations, modification
    /// times and per-arrival outcomes left out).
    fn canonical_dump(&self) -> Result<String, StoreError>;
}
