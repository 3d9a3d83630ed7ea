//! The store writer: the only thread that writes the store. Applies received objects in
//! batched transactions and removes each spool file once its transaction committed.

use std::fs;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use rdsr_store::{Arrival, Store, arrival_from_bytes};

use crate::spool::{Origin, Spool, read_origin};
use crate::{Event, ServeError, ServeOptions, io_error};

/// What the log line of an object needs besides its `import_log` record.
#[derive(Debug, Clone, Default)]
pub(crate) struct ObjectInfo {
    pub association: u64,
    pub calling_ae: String,
    pub peer: String,
    pub sop_instance_uid: Option<String>,
    pub bytes: u64,
    pub transfer_syntax: Option<String>,
    pub status: Option<u16>,
    pub error_comment: Option<String>,
    pub kept: Option<String>,
}

/// One object for the writer.
pub(crate) struct Work {
    pub arrival: Arrival,
    /// The spool file to remove once the object is committed (`None`: kept in `failed/`).
    pub spool_path: Option<PathBuf>,
    pub info: ObjectInfo,
}

/// Applies `batch` in one transaction; returns how many objects were stored as reports.
fn apply<S: Store + ?Sized>(
    store: &mut S,
    batch: Vec<Work>,
    spool: &Spool,
    options: &ServeOptions,
) -> Result<u64, ServeError> {
    if batch.is_empty() {
        return Ok(0);
    }
    let mut arrivals = Vec::with_capacity(batch.len());
    let mut rest = Vec::with_capacity(batch.len());
    for w in batch {
        arrivals.push(w.arrival);
        rest.push((w.spool_path, w.info));
    }
    let records = match store.apply(arrivals) {
        Ok(r) => r,
        Err(e) => {
            options.log.emit(&Event::StoreFailed {
                message: e.to_string(),
            });
            return Err(e.into());
        }
    };
    let mut stored = 0;
    for (record, (spool_path, mut info)) in records.iter().zip(rest) {
        if let Some(path) = spool_path {
            if record.outcome.is_report() {
                // Committed: the spool copy is no longer needed. Should the removal fail,
                // the next start imports the file again as known content.
                let _ = fs::remove_file(&path);
            } else {
                let reason = record.message.clone().unwrap_or_default();
                if let Ok(kept) = spool.fail(&path, &format!("{}: {reason}", record.outcome.name()))
                {
                    info.kept = Some(kept.display().to_string());
                }
            }
        }
        if record.outcome.is_report() {
            stored += 1;
        }
        options.log.emit(&Event::Object {
            association: info.association,
            calling_ae: info.calling_ae,
            peer: info.peer,
            sop_instance_uid: info
                .sop_instance_uid
                .or_else(|| record.sop_instance_uid.clone()),
            bytes: info.bytes,
            transfer_syntax: info.transfer_syntax,
            status: info.status,
            error_comment: info.error_comment,
            outcome: Some(record.outcome),
            log_path: Some(record.path.clone()),
            kept: info.kept,
        });
    }
    Ok(stored)
}

/// Imports the files left in the spool by an earlier run. Content already committed (the
/// process died between the commit and the removal) is logged as known content.
pub(crate) fn recover<S: Store + ?Sized>(
    store: &mut S,
    spool: &Spool,
    options: &ServeOptions,
) -> Result<u64, ServeError> {
    let pending = spool.pending().map_err(io_error(format!(
        "spool {}",
        spool.incoming_dir().display()
    )))?;
    if pending.is_empty() {
        return Ok(0);
    }
    let mut reader = store.reader()?;
    let mut batch = Vec::new();
    let mut count = 0;
    for path in pending {
        let bytes = fs::read(&path).map_err(io_error(format!("spool {}", path.display())))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let origin = read_origin(&bytes).unwrap_or(Origin {
            calling_ae: String::new(),
            called_ae: String::new(),
            peer: String::new(),
        });
        let mut arrival = arrival_from_bytes(&origin.label(&name), &bytes, &options.parse);
        let mut spool_path = Some(path.clone());
        let mut kept = None;
        match arrival {
            Arrival::Report { ref meta, .. } => {
                if let Some(sha) = &meta.sha256 {
                    if let Some(prior) = reader.known_content(sha)? {
                        arrival = Arrival::KnownContent {
                            meta: meta.clone(),
                            prior,
                        };
                    }
                }
            }
            Arrival::Rejected { ref message, .. } => {
                spool_path = None;
                kept = spool
                    .fail(&path, message)
                    .ok()
                    .map(|p| p.display().to_string());
            }
            _ => {}
        }
        batch.push(Work {
            arrival,
            spool_path,
            info: ObjectInfo {
                calling_ae: origin.calling_ae,
                peer: origin.peer,
                bytes: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
                kept,
                ..ObjectInfo::default()
            },
        });
        count += 1;
        if batch.len() >= options.batch_files.max(1) {
            apply(store, std::mem::take(&mut batch), spool, options)?;
        }
    }
    apply(store, batch, spool, options)?;
    Ok(count)
}

/// Applies what the associations send until every sender is gone; returns how many
/// objects were stored as reports.
pub(crate) fn write_loop<S: Store + ?Sized>(
    store: &mut S,
    rx: Receiver<Work>,
    options: &ServeOptions,
    spool: &Spool,
) -> Result<u64, ServeError> {
    let mut batch: Vec<Work> = Vec::new();
    let mut started = Instant::now();
    let mut stored = 0;
    let mut done = false;
    while !done {
        match rx.recv_timeout(Duration::from_millis(20)) {
            Ok(w) => {
                if batch.is_empty() {
                    started = Instant::now();
                }
                batch.push(w);
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => done = true,
        }
        let due = batch.len() >= options.batch_files.max(1)
            || (!batch.is_empty() && (done || started.elapsed() >= options.batch_interval));
        if due {
            stored += apply(store, std::mem::take(&mut batch), spool, options)?;
        }
    }
    Ok(stored)
}
