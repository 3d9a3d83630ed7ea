//! Structured events: one per association and one per object.

use std::io::Write;
use std::sync::Arc;

use serde::Serialize;

use crate::ServeSummary;

/// What the receiver reports as it runs. Serialised as one JSON object per line with the
/// variant name in `event`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    /// Listening.
    Listening {
        /// `ip:port`.
        address: String,
        /// This node's AE title.
        ae_title: String,
        /// Spool folder.
        spool: String,
        /// Whether connections are accepted over TLS only.
        tls: bool,
    },
    /// One association (or connection) ended.
    Association {
        /// Number of the association in this run.
        association: u64,
        /// Peer `ip:port`.
        peer: String,
        /// Calling AE title, once negotiated.
        calling_ae: Option<String>,
        /// Called AE title, once negotiated.
        called_ae: Option<String>,
        /// How it ended: `released`, `aborted_by_peer`, `rejected`, `refused_busy`,
        /// `idle_timeout`, `shutdown`, `protocol_error`, `closed`, `internal_error`,
        /// `tls_failed` (the TLS handshake failed: no association was requested).
        end: &'static str,
        /// Details of a rejection or an error.
        reason: Option<String>,
        /// Objects received.
        objects: u64,
        /// Data set bytes received.
        bytes: u64,
        /// Duration, s.
        duration_s: f64,
    },
    /// One object received (or imported from the spool at start).
    Object {
        /// Number of its association in this run (0: imported from the spool at start).
        association: u64,
        /// Calling AE title.
        calling_ae: String,
        /// Peer `ip:port`.
        peer: String,
        /// Affected SOP Instance UID of the C-STORE.
        sop_instance_uid: Option<String>,
        /// Bytes of the data set.
        bytes: u64,
        /// Transfer syntax UID of the data set (absent for an object imported from the
        /// spool).
        transfer_syntax: Option<String>,
        /// C-STORE response status sent (absent for an object imported from the spool).
        status: Option<u16>,
        /// Error Comment sent with a failure status.
        error_comment: Option<String>,
        /// `import_log` outcome, once committed.
        outcome: Option<rdsr_store::Outcome>,
        /// The `import_log` path.
        log_path: Option<String>,
        /// Where the object is kept when refused.
        kept: Option<String>,
    },
    /// The store failed: the receiver stops, the spool keeps what was not committed.
    StoreFailed {
        /// The error.
        message: String,
    },
    /// The receiver stopped.
    Stopped {
        /// Counters of the run.
        summary: ServeSummary,
    },
}

/// A callback receiving events.
type Sink = Arc<dyn Fn(&Event) + Send + Sync>;

/// Where events go.
#[derive(Clone, Default)]
pub struct Log {
    sink: Option<Sink>,
    quiet: bool,
}

impl std::fmt::Debug for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Log")
            .field("callback", &self.sink.is_some())
            .field("quiet", &self.quiet)
            .finish()
    }
}

impl Log {
    /// JSON lines on stderr (the default).
    pub fn stderr() -> Log {
        Log::default()
    }

    /// No events.
    pub fn off() -> Log {
        Log {
            sink: None,
            quiet: true,
        }
    }

    /// Events handed to `f` (called from the receiver's threads).
    pub fn callback(f: impl Fn(&Event) + Send + Sync + 'static) -> Log {
        Log {
            sink: Some(Arc::new(f)),
            quiet: false,
        }
    }

    /// Reports `event`.
    pub fn emit(&self, event: &Event) {
        if let Some(f) = &self.sink {
            f(event);
        } else if !self.quiet {
            if let Ok(mut line) = serde_json::to_vec(event) {
                line.push(b'\n');
                // One write per line: lines of concurrent associations do not interleave.
                let _ = std::io::stderr().lock().write_all(&line);
            }
        }
    }
}
