//! Accepting connections and serving one association per thread.

use std::io::{self, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::SyncSender;
use std::thread::Scope;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use dicom_ul::association::CloseSocket;
use dicom_ul::association::server::{AccessControl, TlsStream};
use dicom_ul::pdu::{
    AbortRQServiceProviderReason, AbortRQSource, AssociationRJ, AssociationRJResult,
    AssociationRJServiceProviderPresentationReason, AssociationRJServiceUserReason,
    AssociationRJSource, PDataValue, PDataValueType, PresentationContextResultReason, UserIdentity,
};
use dicom_ul::{Pdu, ServerAssociation, ServerAssociationOptions};
use rdsr_store::{Arrival, arrival_from_bytes};

use crate::dimse::{self, Command, command_field};
use crate::spool::{Origin, Spool, file_header};
use crate::writer::{ObjectInfo, Work};
use crate::{
    AllowEntry, Counters, DOSE_REPORT_STORAGE_SOP_CLASSES, Event, ServeOptions, TRANSFER_SYNTAXES,
};

/// How often a waiting thread looks at the shutdown flag.
const POLL: Duration = Duration::from_millis(200);
/// Longest command set accepted (a C-STORE-RQ is a few hundred bytes).
const MAX_COMMAND: usize = 64 * 1024;
/// Longest wait for an association request, and for writes to a peer.
const NEGOTIATION_TIMEOUT: Duration = Duration::from_secs(30);
/// Connections being refused at once (busy); more are closed without an answer.
const MAX_REFUSING: usize = 16;

/// What the threads of a run share.
pub(crate) struct Context<'a> {
    pub options: &'a ServeOptions,
    pub spool: &'a Spool,
    pub shutdown: &'a AtomicBool,
    pub counters: &'a Counters,
}

/// The allow-list as dicom-ul's access control, for one peer address.
struct AllowList<'a> {
    entries: &'a [AllowEntry],
    peer: Option<IpAddr>,
}

impl AccessControl for AllowList<'_> {
    fn check_access(
        &self,
        _this_ae_title: &str,
        calling_ae_title: &str,
        _called_ae_title: &str,
        _user_identity: Option<&UserIdentity>,
    ) -> Result<(), AssociationRJServiceUserReason> {
        if self.entries.is_empty() {
            return Ok(());
        }
        let calling = calling_ae_title.trim();
        let allowed = self.entries.iter().any(|e| {
            e.calling_ae == calling
                && match (&e.hosts, self.peer) {
                    (None, _) => true,
                    (Some(hosts), Some(peer)) => hosts.iter().any(|h| same_host(*h, peer)),
                    (Some(_), None) => false,
                }
        });
        if allowed {
            Ok(())
        } else {
            Err(AssociationRJServiceUserReason::CallingAETitleNotRecognized)
        }
    }
}

/// IPv4 peers may arrive as IPv4-mapped IPv6 addresses on a dual-stack socket.
fn same_host(allowed: IpAddr, peer: IpAddr) -> bool {
    let canon = |ip: IpAddr| match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    canon(allowed) == canon(peer)
}

/// Accepts connections until shutdown; one thread per association.
pub(crate) fn accept_loop<'scope, 'env>(
    scope: &'scope Scope<'scope, 'env>,
    listener: &'env TcpListener,
    ctx: &'env Context<'env>,
    tx: SyncSender<Work>,
) {
    let refusing = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    while !ctx.shutdown.load(Ordering::SeqCst) {
        let (stream, peer) = match listener.accept() {
            Ok(s) => s,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
            Err(_) => {
                // Out of descriptors and the like: wait, do not spin.
                std::thread::sleep(POLL);
                continue;
            }
        };
        if stream.set_nonblocking(false).is_err() {
            continue;
        }
        // Responses are small writes the sender waits for: no Nagle delay.
        let _ = stream.set_nodelay(true);
        ctx.counters.connections.fetch_add(1, Ordering::SeqCst);
        let id = ctx.counters.next_association.fetch_add(1, Ordering::SeqCst) + 1;
        if ctx.counters.active.load(Ordering::SeqCst) >= ctx.options.max_associations {
            if refusing.load(Ordering::SeqCst) < MAX_REFUSING {
                refusing.fetch_add(1, Ordering::SeqCst);
                let refusing = std::sync::Arc::clone(&refusing);
                scope.spawn(move || {
                    refuse_busy(stream, ctx.options.tls.as_ref());
                    refusing.fetch_sub(1, Ordering::SeqCst);
                });
            }
            ctx.options.log.emit(&Event::Association {
                association: id,
                peer: peer.to_string(),
                calling_ae: None,
                called_ae: None,
                end: "refused_busy",
                reason: Some(format!(
                    "{} associations already served",
                    ctx.options.max_associations
                )),
                objects: 0,
                bytes: 0,
                duration_s: 0.0,
            });
            continue;
        }
        ctx.counters.active.fetch_add(1, Ordering::SeqCst);
        let tx = tx.clone();
        scope.spawn(move || {
            // A defect here must end this association only, never the receiver.
            let served = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                serve_connection(stream, id, ctx, &tx)
            }));
            if served.is_err() {
                ctx.options.log.emit(&Event::Association {
                    association: id,
                    peer: peer.to_string(),
                    calling_ae: None,
                    called_ae: None,
                    end: "internal_error",
                    reason: Some("the association's thread panicked".to_string()),
                    objects: 0,
                    bytes: 0,
                    duration_s: 0.0,
                });
            }
            ctx.counters.active.fetch_sub(1, Ordering::SeqCst);
            if ctx.options.once {
                ctx.shutdown.store(true, Ordering::SeqCst);
            }
        });
        if ctx.options.once {
            // One association: refuse the rest by not accepting them.
            break;
        }
    }
}

/// Answers an association request with A-ASSOCIATE-RJ (transient, local limit exceeded),
/// over TLS when the receiver is configured for it.
fn refuse_busy(stream: TcpStream, tls: Option<&crate::TlsConfig>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    match tls {
        None => {
            let mut stream = stream;
            answer_busy(&mut stream);
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
        Some(tls) => {
            let Ok(connection) = rustls::ServerConnection::new(tls.server_config()) else {
                return;
            };
            let mut stream = rustls::StreamOwned::new(connection, stream);
            answer_busy(&mut stream);
            stream.conn.send_close_notify();
            let _ = stream.flush();
            let _ = stream.sock.shutdown(std::net::Shutdown::Both);
        }
    }
}

fn answer_busy(stream: &mut (impl io::Read + io::Write)) {
    // Read the request first: closing a socket with unread data resets it, and the peer
    // may then never see the rejection.
    let mut buf = bytes_buffer();
    let _ = read_one_pdu(stream, &mut buf);
    let rj = Pdu::AssociationRJ(AssociationRJ {
        result: AssociationRJResult::Transient,
        source: AssociationRJSource::ServiceProviderPresentation(
            AssociationRJServiceProviderPresentationReason::LocalLimitExceeded,
        ),
    });
    let mut out = Vec::new();
    if dicom_ul::write_pdu(&mut out, &rj).is_ok() {
        let _ = stream.write_all(&out);
        let _ = stream.flush();
    }
}

fn bytes_buffer() -> Vec<u8> {
    Vec::with_capacity(4096)
}

/// Reads up to one A-ASSOCIATE-RQ (bounded: 64 KiB), ignoring what it says.
fn read_one_pdu(stream: &mut impl io::Read, buf: &mut Vec<u8>) -> io::Result<()> {
    let mut chunk = [0u8; 4096];
    while buf.len() < 64 * 1024 {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
        if let Some(len) = buf.get(2..6) {
            let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
            if buf.len() >= len.saturating_add(6) {
                break;
            }
        }
    }
    Ok(())
}

/// Whether a dicom-ul error is a socket read timeout (the association may go on).
fn is_timeout(e: &dicom_ul::association::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<io::Error>() {
            return matches!(
                io.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            );
        }
        source = s.source();
    }
    false
}

/// Whether negotiation failed in TLS (the handshake, or a record that did not decrypt or
/// verify) rather than in the association request.
fn is_tls_failure(e: &dicom_ul::association::Error) -> bool {
    if matches!(
        e,
        dicom_ul::association::Error::TlsHandshake { .. }
            | dicom_ul::association::Error::TlsConnection { .. }
    ) {
        return true;
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.is::<rustls::Error>() {
            return true;
        }
        // rustls reports through `io::Error`s that wrap its own error.
        if s.downcast_ref::<io::Error>()
            .and_then(|io| io.get_ref())
            .is_some_and(|inner| inner.is::<rustls::Error>())
        {
            return true;
        }
        source = s.source();
    }
    false
}

/// The state of an association between PDUs.
enum Pending {
    /// Waiting for a command.
    Idle,
    /// A command set being received.
    Command(Vec<u8>),
    /// The data set of a C-STORE being received into a spool file image.
    Store(Box<StoreInProgress>),
}

struct StoreInProgress {
    command: Command,
    context_id: u8,
    transfer_syntax: String,
    /// File header followed by the data set received so far; `None` once over a limit.
    file: Option<Vec<u8>>,
    /// Data set bytes received.
    received: u64,
    /// Why the object will be refused, once decided.
    refusal: Option<String>,
}

/// Serves one connection: negotiation, then commands until release, abort, timeout,
/// shutdown or a protocol error.
fn serve_connection(stream: TcpStream, id: u64, ctx: &Context<'_>, tx: &SyncSender<Work>) {
    let start = Instant::now();
    let peer = stream.peer_addr().ok();
    let peer_text = peer.map(|p| p.to_string()).unwrap_or_default();
    let options = ctx.options;
    let mut ul = ServerAssociationOptions::new()
        .ae_access_control(AllowList {
            entries: &options.allow,
            peer: peer.map(|p| p.ip()),
        })
        .ae_title(options.ae_title.as_str())
        .max_pdu_length(options.max_pdu_length)
        .strict(true)
        .read_timeout(NEGOTIATION_TIMEOUT.min(options.idle_timeout))
        .write_timeout(NEGOTIATION_TIMEOUT)
        .with_abstract_syntax(dimse::VERIFICATION_SOP_CLASS);
    for (uid, _) in DOSE_REPORT_STORAGE_SOP_CLASSES {
        ul = ul.with_abstract_syntax(*uid);
    }
    for ts in TRANSFER_SYNTAXES {
        ul = ul.with_transfer_syntax(*ts);
    }
    let log_end = |calling: Option<String>,
                   called: Option<String>,
                   end: &'static str,
                   reason: Option<String>,
                   objects: u64,
                   bytes: u64| {
        options.log.emit(&Event::Association {
            association: id,
            peer: peer_text.clone(),
            calling_ae: calling,
            called_ae: called,
            end,
            reason,
            objects,
            bytes,
            duration_s: start.elapsed().as_secs_f64(),
        });
    };
    let established = match &options.tls {
        None => ul.establish(stream).map(Established::Plain),
        Some(tls) => ul
            .tls_config(tls.server_config())
            .establish_tls(stream)
            .map(|a| Established::Tls(Box::new(a))),
    };
    let (end, reason, origin, objects, bytes) = match established {
        Ok(Established::Plain(mut a)) => serve_association(&mut a, id, ctx, tx, &peer_text),
        Ok(Established::Tls(mut a)) => serve_association(&mut *a, id, ctx, tx, &peer_text),
        Err(e) => {
            let end = match e {
                dicom_ul::association::Error::Rejected { .. } => "rejected",
                _ if options.tls.is_some() && is_tls_failure(&e) => "tls_failed",
                _ => "protocol_error",
            };
            log_end(None, None, end, Some(error_chain(&e)), 0, 0);
            return;
        }
    };
    log_end(
        Some(origin.calling_ae),
        Some(origin.called_ae),
        end,
        reason,
        objects,
        bytes,
    );
}

/// A connection an association runs on: plain TCP, or TLS over TCP.
pub(crate) trait Transport: io::Read + io::Write + CloseSocket {
    /// The TCP connection underneath.
    fn tcp(&self) -> &TcpStream;
}

impl Transport for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
}

impl Transport for TlsStream {
    fn tcp(&self) -> &TcpStream {
        self.get_ref()
    }
}

/// An association as negotiated, on either kind of connection.
enum Established {
    Plain(ServerAssociation<TcpStream>),
    Tls(Box<ServerAssociation<TlsStream>>),
}

/// Serves an established association until it ends; says how it ended, who it was with,
/// and the objects and bytes received.
fn serve_association<S: Transport>(
    association: &mut ServerAssociation<S>,
    id: u64,
    ctx: &Context<'_>,
    tx: &SyncSender<Work>,
    peer_text: &str,
) -> (&'static str, Option<String>, Origin, u64, u64) {
    let _ = association
        .inner_stream()
        .tcp()
        .set_read_timeout(Some(POLL));
    let origin = Origin {
        calling_ae: association_peer_ae(association),
        called_ae: association.called_ae_title().trim().to_string(),
        peer: peer_text.to_string(),
    };
    let mut session = Session {
        id,
        ctx,
        tx,
        origin,
        objects: 0,
        bytes: 0,
        seq: 0,
    };
    let (end, reason) = session.run(association);
    (end, reason, session.origin, session.objects, session.bytes)
}

fn association_peer_ae<S: Transport>(a: &ServerAssociation<S>) -> String {
    use dicom_ul::association::Association;
    a.peer_ae_title().trim().to_string()
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        source = inner.source();
    }
    s
}

/// One established association.
struct Session<'a> {
    id: u64,
    ctx: &'a Context<'a>,
    tx: &'a SyncSender<Work>,
    origin: Origin,
    objects: u64,
    bytes: u64,
    seq: u64,
}

/// A-ABORT from the service provider.
fn abort_pdu(reason: AbortRQServiceProviderReason) -> Pdu {
    Pdu::AbortRQ {
        source: AbortRQSource::ServiceProvider(reason),
    }
}

impl Session<'_> {
    fn run<S: Transport>(
        &mut self,
        association: &mut ServerAssociation<S>,
    ) -> (&'static str, Option<String>) {
        let mut pending = Pending::Idle;
        let mut last = Instant::now();
        loop {
            if self.ctx.shutdown.load(Ordering::SeqCst) && matches!(pending, Pending::Idle) {
                let _ =
                    association.send(&abort_pdu(AbortRQServiceProviderReason::ReasonNotSpecified));
                return ("shutdown", None);
            }
            let pdu = match association.receive() {
                Ok(pdu) => pdu,
                Err(e) if is_timeout(&e) => {
                    if last.elapsed() >= self.ctx.options.idle_timeout {
                        let _ = association
                            .send(&abort_pdu(AbortRQServiceProviderReason::ReasonNotSpecified));
                        return ("idle_timeout", None);
                    }
                    continue;
                }
                Err(e) => {
                    // Malformed, over the PDU size, or the peer went away: this
                    // association ends, nothing else does.
                    let closed = matches!(
                        e,
                        dicom_ul::association::Error::ReceivePdu {
                            source: dicom_ul::pdu::ReadError::NoPduAvailable { .. },
                            ..
                        }
                    ) || error_chain(&e).contains("closed");
                    if !closed {
                        let _ = association.send(&abort_pdu(
                            AbortRQServiceProviderReason::InvalidPduParameter,
                        ));
                    }
                    return (
                        if closed { "closed" } else { "protocol_error" },
                        Some(error_chain(&e)),
                    );
                }
            };
            last = Instant::now();
            match pdu {
                Pdu::PData { data } => {
                    for value in data {
                        if let Err(reason) = self.on_value(association, &mut pending, value) {
                            let _ = association
                                .send(&abort_pdu(AbortRQServiceProviderReason::UnexpectedPdu));
                            return ("protocol_error", Some(reason));
                        }
                    }
                }
                Pdu::ReleaseRQ => {
                    let _ = association.send(&Pdu::ReleaseRP);
                    return ("released", None);
                }
                Pdu::AbortRQ { .. } => return ("aborted_by_peer", None),
                other => {
                    let _ =
                        association.send(&abort_pdu(AbortRQServiceProviderReason::UnexpectedPdu));
                    return (
                        "protocol_error",
                        Some(format!("unexpected {}", other.short_description())),
                    );
                }
            }
        }
    }

    /// One presentation data value. An error is a protocol violation: the association is
    /// aborted.
    fn on_value<S: Transport>(
        &mut self,
        association: &mut ServerAssociation<S>,
        pending: &mut Pending,
        value: PDataValue,
    ) -> Result<(), String> {
        let context = association
            .presentation_contexts()
            .iter()
            .find(|pc| {
                pc.id == value.presentation_context_id
                    && pc.reason == PresentationContextResultReason::Acceptance
            })
            .ok_or_else(|| {
                format!(
                    "presentation context {} was not accepted",
                    value.presentation_context_id
                )
            })?;
        let transfer_syntax = context.transfer_syntax.clone();
        match (
            value.value_type.clone(),
            std::mem::replace(pending, Pending::Idle),
        ) {
            (PDataValueType::Command, Pending::Idle) => {
                self.on_command_fragment(association, pending, value, Vec::new(), &transfer_syntax)
            }
            (PDataValueType::Command, Pending::Command(buf)) => {
                self.on_command_fragment(association, pending, value, buf, &transfer_syntax)
            }
            (PDataValueType::Data, Pending::Store(mut store)) => {
                if store.context_id != value.presentation_context_id {
                    return Err("data on another presentation context than its command".into());
                }
                self.on_data_fragment(&mut store, &value.data);
                if value.is_last {
                    self.finish_store(association, *store);
                } else {
                    *pending = Pending::Store(store);
                }
                Ok(())
            }
            (PDataValueType::Data, _) => Err("data set without a command".into()),
            (PDataValueType::Command, Pending::Store(_)) => {
                Err("command before the data set of the previous one ended".into())
            }
        }
    }

    fn on_command_fragment<S: Transport>(
        &mut self,
        association: &mut ServerAssociation<S>,
        pending: &mut Pending,
        value: PDataValue,
        mut buf: Vec<u8>,
        transfer_syntax: &str,
    ) -> Result<(), String> {
        if buf.len() + value.data.len() > MAX_COMMAND {
            return Err(format!("command set over {MAX_COMMAND} bytes"));
        }
        buf.extend_from_slice(&value.data);
        if !value.is_last {
            *pending = Pending::Command(buf);
            return Ok(());
        }
        let command =
            dimse::read_command(&buf).map_err(|e| format!("unreadable command set: {e:?}"))?;
        let message_id = command.message_id.unwrap_or(0);
        match command.command_field {
            Some(command_field::C_ECHO_RQ) => {
                let rsp = dimse::response(
                    command_field::C_ECHO_RSP,
                    dimse::VERIFICATION_SOP_CLASS,
                    message_id,
                    0x0000,
                    None,
                    None,
                );
                send_command(association, value.presentation_context_id, rsp)
            }
            Some(command_field::C_STORE_RQ) if command.has_data_set() => {
                let context_id = value.presentation_context_id;
                let mut store = StoreInProgress {
                    command,
                    context_id,
                    transfer_syntax: transfer_syntax.to_string(),
                    file: None,
                    received: 0,
                    refusal: None,
                };
                let options = self.ctx.options;
                if self.objects >= options.max_objects_per_association {
                    store.refusal = Some(format!(
                        "over {} objects in this association",
                        options.max_objects_per_association
                    ));
                } else if self.bytes >= options.max_bytes_per_association {
                    store.refusal = Some(format!(
                        "over {} bytes in this association",
                        options.max_bytes_per_association
                    ));
                } else {
                    let header = file_header(
                        store
                            .command
                            .affected_sop_class_uid
                            .as_deref()
                            .unwrap_or(""),
                        store
                            .command
                            .affected_sop_instance_uid
                            .as_deref()
                            .unwrap_or(""),
                        transfer_syntax,
                        &options.ae_title,
                        &self.origin,
                    );
                    store.file = Some(header);
                }
                *pending = Pending::Store(Box::new(store));
                Ok(())
            }
            Some(other) => Err(format!("command 0x{other:04X} is not served here")),
            None => Err("command set without Command Field".into()),
        }
    }

    fn on_data_fragment(&mut self, store: &mut StoreInProgress, data: &[u8]) {
        let n = u64::try_from(data.len()).unwrap_or(u64::MAX);
        store.received = store.received.saturating_add(n);
        self.bytes = self.bytes.saturating_add(n);
        let options = self.ctx.options;
        if store.refusal.is_none() {
            if store.received > options.max_object_size {
                store.refusal = Some(format!(
                    "object over the {} bytes accepted",
                    options.max_object_size
                ));
            } else if self.bytes > options.max_bytes_per_association {
                store.refusal = Some(format!(
                    "over {} bytes in this association",
                    options.max_bytes_per_association
                ));
            }
        }
        if store.refusal.is_some() {
            // Read past, keep nothing.
            store.file = None;
        } else if let Some(file) = &mut store.file {
            file.extend_from_slice(data);
        }
    }

    fn finish_store<S: Transport>(
        &mut self,
        association: &mut ServerAssociation<S>,
        store: StoreInProgress,
    ) {
        self.objects += 1;
        self.ctx.counters.received.fetch_add(1, Ordering::SeqCst);
        let StoreInProgress {
            command,
            context_id,
            transfer_syntax,
            file,
            received,
            refusal,
        } = store;
        let sop_class = command.affected_sop_class_uid.clone().unwrap_or_default();
        let sop_instance = command.affected_sop_instance_uid.clone();
        let message_id = command.message_id.unwrap_or(0);
        let mut info = ObjectInfo {
            association: self.id,
            calling_ae: self.origin.calling_ae.clone(),
            peer: self.origin.peer.clone(),
            sop_instance_uid: sop_instance.clone(),
            bytes: received,
            transfer_syntax: Some(transfer_syntax),
            ..ObjectInfo::default()
        };
        let respond =
            |association: &mut ServerAssociation<S>, status: u16, comment: Option<&str>| {
                let rsp = dimse::response(
                    command_field::C_STORE_RSP,
                    &sop_class,
                    message_id,
                    status,
                    comment,
                    sop_instance.as_deref(),
                );
                let _ = send_command(association, context_id, rsp);
            };
        let file = match (file, refusal) {
            (Some(file), None) => file,
            (_, refusal) => {
                let comment = refusal.unwrap_or_else(|| "refused".to_string());
                self.refuse(association, respond, info, 0xA700, comment);
                return;
            }
        };
        self.seq += 1;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let name = format!("{now:020}-{:06}-{:06}.dcm", self.id, self.seq);
        let path = match self.ctx.spool.write(&name, &file) {
            Ok(p) => p,
            Err(e) => {
                self.refuse(association, respond, info, 0xA700, format!("spool: {e}"));
                return;
            }
        };
        let label = self.origin.label(&name);
        let arrival = arrival_from_bytes(&label, &file, &self.ctx.options.parse);
        drop(file);
        let (status, comment, spool_path) = match &arrival {
            Arrival::Rejected {
                outcome, message, ..
            } => {
                let reason = format!("{}: {message}", outcome.name());
                info.kept = self
                    .ctx
                    .spool
                    .fail(&path, &reason)
                    .ok()
                    .map(|p| p.display().to_string());
                (0xC000, Some(reason), None)
            }
            _ => (0x0000, None, Some(path)),
        };
        info.status = Some(status);
        info.error_comment = comment.clone();
        if status != 0 {
            self.ctx.counters.refused.fetch_add(1, Ordering::SeqCst);
        }
        // The spool file is synced: the object is safe whatever happens next. Waiting
        // here for room in the queue is the back-pressure on the sender.
        let sent = self
            .tx
            .send(Work {
                arrival,
                spool_path,
                info,
            })
            .is_ok();
        if sent {
            respond(association, status, comment.as_deref());
        } else {
            // The store writer has stopped: the file stays in the spool for the next start,
            // the sender is told to retry.
            respond(
                association,
                0xA700,
                Some("store unavailable; kept in spool"),
            );
        }
    }

    fn refuse<S: Transport>(
        &self,
        association: &mut ServerAssociation<S>,
        respond: impl Fn(&mut ServerAssociation<S>, u16, Option<&str>),
        mut info: ObjectInfo,
        status: u16,
        comment: String,
    ) {
        self.ctx.counters.refused.fetch_add(1, Ordering::SeqCst);
        respond(association, status, Some(&comment));
        info.status = Some(status);
        info.error_comment = Some(comment);
        self.ctx.options.log.emit(&Event::Object {
            association: info.association,
            calling_ae: info.calling_ae,
            peer: info.peer,
            sop_instance_uid: info.sop_instance_uid,
            bytes: info.bytes,
            transfer_syntax: info.transfer_syntax,
            status: info.status,
            error_comment: info.error_comment,
            outcome: None,
            log_path: None,
            kept: None,
        });
    }
}

fn send_command<S: Transport>(
    association: &mut ServerAssociation<S>,
    context_id: u8,
    data: Vec<u8>,
) -> Result<(), String> {
    association
        .send(&Pdu::PData {
            data: vec![PDataValue {
                presentation_context_id: context_id,
                value_type: PDataValueType::Command,
                is_last: true,
                data,
            }],
        })
        .map_err(|e| error_chain(&e))
}
