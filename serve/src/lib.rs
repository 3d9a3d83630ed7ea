//! A DICOM receiver (C-STORE SCP) for Radiation Dose Structured Reports that writes what it
//! receives into an `rdsr-store` store.
//!
//! # Overview
//!
//! [`Receiver`] listens on a TCP port and negotiates associations (PS3.8) with dicom-ul: it
//! accepts Verification (C-ECHO) and Storage (C-STORE) of the dose report SOP classes
//! ([`DOSE_REPORT_STORAGE_SOP_CLASSES`]) in the transfer syntaxes the reader reads
//! ([`TRANSFER_SYNTAXES`]); any other abstract syntax is refused at negotiation with the
//! presentation context result "abstract-syntax-not-supported" (PS3.8 section 9.3.3.2).
//!
//! Each received object is written to the spool (a DICOM file, synced, its folder synced)
//! before the C-STORE response says success, read by the same pipeline as `rdsr import`,
//! and handed through a bounded queue to one store writer (the thread that called
//! [`Receiver::run`]), which applies it in a batched transaction and then removes the
//! spool file. An object the reader refuses is answered with failure status `0xC000` and
//! an Error Comment saying why, and kept in the spool's `failed/` folder with its reason.
//! Whatever is left in the spool when the receiver starts (acknowledged, not yet committed:
//! the process died) is imported first. Each object is logged in `import_log` under
//! `dicom://CALLING_AE@PEER_ADDRESS/SPOOL_FILE_NAME`.
//!
//! One association per thread, at most [`ServeOptions::max_associations`] at once. Limits
//! per association (objects, bytes), per object (bytes) and per PDU, an idle timeout, and
//! an optional allow-list of calling AE titles and peer addresses. Input never panics the
//! receiver: a malformed PDU closes its association only.
//!
//! With [`ServeOptions::tls`] set, every connection is a TLS connection (rustls, the ring
//! provider): the handshake comes before the association request, under the same idle
//! timeout, and with a client CA configured, clients must present a certificate signed by
//! it. A failed handshake (a plain TCP client, an unknown client certificate, garbage)
//! closes that connection only and is logged as an association ending in `tls_failed`.
//!
//! # Examples
//!
//! ```no_run
//! use rdsr_serve::{Receiver, ServeOptions};
//! use rdsr_store::SqliteStore;
//!
//! let mut store = SqliteStore::open("rdsr.sqlite")?;
//! let receiver = Receiver::bind("127.0.0.1:11112", "spool".as_ref(), ServeOptions::default())?;
//! let stop = receiver.shutdown_flag(); // set from another thread to stop cleanly
//! # let _ = stop;
//! let summary = receiver.run(&mut store)?;
//! eprintln!("{} objects stored", summary.stored);
//! # Ok::<(), rdsr_serve::ServeError>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod association;
mod dimse;
mod log;
pub mod spool;
mod tls;
mod writer;

use std::net::{IpAddr, SocketAddr, TcpListener, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

pub use log::{Event, Log};
pub use spool::{Origin, Spool};
pub use tls::{TlsConfig, TlsConfigError};

/// The SOP classes accepted for storage: those that can hold a dose report.
pub const DOSE_REPORT_STORAGE_SOP_CLASSES: &[(&str, &str)] = &[
    ("1.2.840.10008.5.1.4.1.1.88.67", "X-Ray Radiation Dose SR"),
    (
        "1.2.840.10008.5.1.4.1.1.88.68",
        "Radiopharmaceutical Radiation Dose SR",
    ),
    ("1.2.840.10008.5.1.4.1.1.88.22", "Enhanced SR"),
    ("1.2.840.10008.5.1.4.1.1.88.33", "Comprehensive SR"),
    ("1.2.840.10008.5.1.4.1.1.88.34", "Comprehensive 3D SR"),
    ("1.2.840.10008.5.1.4.1.1.88.73", "Patient Radiation Dose SR"),
    (
        "1.2.840.10008.5.1.4.1.1.88.76",
        "Enhanced X-Ray Radiation Dose SR",
    ),
];

/// The transfer syntaxes accepted: those the reader reads.
pub const TRANSFER_SYNTAXES: &[&str] = &[
    // Explicit VR Little Endian.
    "1.2.840.10008.1.2.1",
    // Implicit VR Little Endian.
    "1.2.840.10008.1.2",
    // Deflated Explicit VR Little Endian.
    "1.2.840.10008.1.2.1.99",
    // Explicit VR Big Endian (retired, still sent by old modalities).
    "1.2.840.10008.1.2.2",
];

/// One allow-list entry: a calling AE title, and optionally the peer addresses it may
/// connect from. Written `CALLING_AE` or `CALLING_AE@HOST` (an IP address or a host name,
/// resolved when parsed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowEntry {
    /// The calling AE title (compared without trailing spaces, case-sensitively).
    pub calling_ae: String,
    /// The addresses the AE may connect from; `None`: any.
    pub hosts: Option<Vec<IpAddr>>,
}

impl std::str::FromStr for AllowEntry {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (ae, host) = match s.rsplit_once('@') {
            Some((ae, host)) => (ae, Some(host)),
            None => (s, None),
        };
        let ae = ae.trim();
        if ae.is_empty() || ae.len() > 16 {
            return Err(format!("{s:?}: an AE title has 1 to 16 characters"));
        }
        let hosts = match host {
            None => None,
            Some(h) => Some(match h.parse::<IpAddr>() {
                Ok(ip) => vec![ip],
                Err(_) => {
                    let addrs: Vec<IpAddr> = (h, 0)
                        .to_socket_addrs()
                        .map_err(|e| format!("{s:?}: host {h:?}: {e}"))?
                        .map(|a| a.ip())
                        .collect();
                    if addrs.is_empty() {
                        return Err(format!("{s:?}: host {h:?} has no address"));
                    }
                    addrs
                }
            }),
        };
        Ok(AllowEntry {
            calling_ae: ae.to_string(),
            hosts,
        })
    }
}

/// How the receiver runs. Every field has a default ([`ServeOptions::default`]).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ServeOptions {
    /// This node's AE title. Default: `RDSR`. The called AE title is not checked.
    pub ae_title: String,
    /// Calling AE titles (and addresses) allowed to associate. Default: empty, any caller.
    pub allow: Vec<AllowEntry>,
    /// Largest PDU this node receives, bytes. Default: 65 536.
    pub max_pdu_length: u32,
    /// Associations served at once; more are rejected (transient, local limit exceeded).
    /// Default: 32.
    pub max_associations: usize,
    /// Objects accepted per association; later ones are answered `0xA700` (out of
    /// resources). Default: 100 000.
    pub max_objects_per_association: u64,
    /// Data set bytes accepted per association; objects past it are answered `0xA700`.
    /// Default: 4 GiB.
    pub max_bytes_per_association: u64,
    /// Largest object accepted, bytes; larger ones are read past and answered `0xA700`.
    /// Default: [`rdsr::DEFAULT_MAX_INPUT_SIZE`].
    pub max_object_size: u64,
    /// An association with nothing received for this long is aborted. Default: 60 s.
    pub idle_timeout: Duration,
    /// Objects waiting for the store writer before receiving threads wait
    /// (back-pressure). Default: 64.
    pub queue_capacity: usize,
    /// Most objects per store transaction. Default: 64.
    pub batch_files: usize,
    /// Longest time an object waits for its transaction. Default: 100 ms.
    pub batch_interval: Duration,
    /// How reports are read. Default: the library defaults.
    pub parse: rdsr::Options,
    /// Stop after the first association ends. Default: false.
    pub once: bool,
    /// Where events go. Default: one JSON object per line on stderr.
    pub log: Log,
    /// TLS: when set, connections are accepted over TLS only
    /// ([`TlsConfig::from_pem_files`]). Default: `None`, plain TCP.
    pub tls: Option<TlsConfig>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            ae_title: "RDSR".to_string(),
            allow: Vec::new(),
            max_pdu_length: 65_536,
            max_associations: 32,
            max_objects_per_association: 100_000,
            max_bytes_per_association: 4 << 30,
            max_object_size: rdsr::DEFAULT_MAX_INPUT_SIZE,
            idle_timeout: Duration::from_secs(60),
            queue_capacity: 64,
            batch_files: 64,
            batch_interval: Duration::from_millis(100),
            parse: rdsr::Options::default(),
            once: false,
            log: Log::default(),
            tls: None,
        }
    }
}

/// Why the receiver could not start or had to stop.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The port, the spool or a spool file could not be used.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The error.
        source: std::io::Error,
    },
    /// The store failed; what was received and not committed stays in the spool.
    #[error(transparent)]
    Store(#[from] rdsr_store::StoreError),
}

fn io_error(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> ServeError {
    let what = what.into();
    move |source| ServeError::Io { what, source }
}

/// Counters of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ServeSummary {
    /// Spool files imported at start.
    pub recovered: u64,
    /// Connections accepted by TCP.
    pub connections: u64,
    /// Objects received completely.
    pub received: u64,
    /// Objects committed to the store as reports (new or duplicate).
    pub stored: u64,
    /// Objects refused (failure status sent).
    pub refused: u64,
}

/// Counters shared by the threads of a run.
#[derive(Default)]
pub(crate) struct Counters {
    pub connections: AtomicU64,
    pub received: AtomicU64,
    pub refused: AtomicU64,
    pub active: AtomicUsize,
    pub next_association: AtomicU64,
}

/// A bound receiver, ready to [`run`](Receiver::run).
#[derive(Debug)]
pub struct Receiver {
    listener: TcpListener,
    local_addr: SocketAddr,
    spool: Spool,
    options: ServeOptions,
    shutdown: Arc<AtomicBool>,
}

impl Receiver {
    /// Binds `addr` and opens (creating) the spool folder `spool_dir`.
    pub fn bind(
        addr: impl ToSocketAddrs,
        spool_dir: &Path,
        options: ServeOptions,
    ) -> Result<Receiver, ServeError> {
        let listener = TcpListener::bind(addr).map_err(io_error("bind"))?;
        let local_addr = listener.local_addr().map_err(io_error("bind"))?;
        let spool =
            Spool::open(spool_dir).map_err(io_error(format!("spool {}", spool_dir.display())))?;
        Ok(Receiver {
            listener,
            local_addr,
            spool,
            options,
            shutdown: Arc::new(AtomicBool::new(false)),
        })
    }

    /// The address listened on (with the port chosen when bound to port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The flag that stops the receiver when set: no new association is accepted, objects
    /// being received are finished and answered, then associations are aborted, the queue
    /// is committed and [`run`](Receiver::run) returns. Safe to set from a signal handler
    /// (e.g. `signal_hook::flag::register`).
    pub fn shutdown_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.shutdown)
    }

    /// The spool folder's path.
    pub fn spool_dir(&self) -> PathBuf {
        self.spool
            .incoming_dir()
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    /// Imports what the spool holds, then serves until the shutdown flag is set (or the
    /// first association ends, with [`ServeOptions::once`]). The calling thread is the
    /// store's only writer.
    pub fn run<S: rdsr_store::Store + ?Sized>(
        self,
        store: &mut S,
    ) -> Result<ServeSummary, ServeError> {
        let mut summary = ServeSummary {
            recovered: writer::recover(store, &self.spool, &self.options)?,
            ..ServeSummary::default()
        };
        self.options.log.emit(&Event::Listening {
            address: self.local_addr.to_string(),
            ae_title: self.options.ae_title.clone(),
            spool: self.spool_dir().display().to_string(),
            tls: self.options.tls.is_some(),
        });
        self.listener
            .set_nonblocking(true)
            .map_err(io_error("listen"))?;
        let counters = Counters::default();
        let (tx, rx) = std::sync::mpsc::sync_channel(self.options.queue_capacity.max(1));
        let ctx = association::Context {
            options: &self.options,
            spool: &self.spool,
            shutdown: &self.shutdown,
            counters: &counters,
        };
        let result = std::thread::scope(|scope| {
            let ctx = &ctx;
            let listener = &self.listener;
            scope.spawn(move || association::accept_loop(scope, listener, ctx, tx));
            let r = writer::write_loop(store, rx, &self.options, &self.spool);
            if r.is_err() {
                self.shutdown.store(true, Ordering::SeqCst);
            }
            r
        });
        let stored = result?;
        summary.connections = counters.connections.load(Ordering::SeqCst);
        summary.received = counters.received.load(Ordering::SeqCst);
        summary.refused = counters.refused.load(Ordering::SeqCst);
        summary.stored = stored;
        self.options.log.emit(&Event::Stopped {
            summary: summary.clone(),
        });
        Ok(summary)
    }
}
