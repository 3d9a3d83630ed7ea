//! The receiver driven by a DICOM client written with dicom-ul (the DCMTK tests are in
//! `cli/tests/serve.rs`): storage, refusals, limits, recovery, and malformed input.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use dicom_ul::association::client::ClientAssociation;
use dicom_ul::pdu::{
    AssociationRQ, PDataValue, PDataValueType, PresentationContextProposed, UserVariableItem,
};
use dicom_ul::{ClientAssociationOptions, Pdu};
use rdsr_serve::{AllowEntry, Event, Log, Receiver, ServeError, ServeOptions, ServeSummary};
use rdsr_store::SqliteStore;

#[path = "support/dimse.rs"]
mod dimse;
use dimse::{echo_rq, status, store_rq, testdata};

const XRAY_DOSE_SR: &str = "1.2.840.10008.5.1.4.1.1.88.67";
const CT_IMAGE: &str = "1.2.840.10008.5.1.4.1.1.2";
const EXPLICIT_LE: &str = "1.2.840.10008.1.2.1";

struct Running {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    handle: JoinHandle<Result<ServeSummary, ServeError>>,
    dir: tempfile::TempDir,
    events: Arc<Mutex<Vec<Event>>>,
}

fn start_in(dir: tempfile::TempDir, mut options: ServeOptions) -> Running {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&events);
    options.log = Log::callback(move |e| sink.lock().unwrap().push(e.clone()));
    let receiver = Receiver::bind("127.0.0.1:0", &dir.path().join("spool"), options).unwrap();
    let addr = receiver.local_addr();
    let stop = receiver.shutdown_flag();
    let db = dir.path().join("s.sqlite");
    let handle = std::thread::spawn(move || {
        let mut store = SqliteStore::open(&db)?;
        receiver.run(&mut store)
    });
    Running {
        addr,
        stop,
        handle,
        dir,
        events,
    }
}

fn start(options: ServeOptions) -> Running {
    start_in(tempfile::tempdir().unwrap(), options)
}

impl Running {
    fn stop(self) -> (ServeSummary, tempfile::TempDir, Vec<Event>) {
        self.stop.store(true, Ordering::SeqCst);
        let summary = self.handle.join().expect("receiver panicked").unwrap();
        let events = self.events.lock().unwrap().clone();
        (summary, self.dir, events)
    }
}

/// The data set of a Part 10 file (explicit VR little endian meta, as the builder writes).
fn data_set(file: &[u8]) -> &[u8] {
    let group_length = u32::from_le_bytes([file[140], file[141], file[142], file[143]]);
    &file[144 + group_length as usize..]
}

fn connect(
    addr: SocketAddr,
    calling: &str,
    abstract_syntax: &str,
) -> Result<ClientAssociation<TcpStream>, dicom_ul::association::Error> {
    ClientAssociationOptions::new()
        .calling_ae_title(calling)
        .called_ae_title("RDSR")
        .with_presentation_context(abstract_syntax, vec![EXPLICIT_LE])
        .read_timeout(Duration::from_secs(10))
        .establish(addr)
}

fn send_value(
    a: &mut ClientAssociation<TcpStream>,
    kind: PDataValueType,
    data: Vec<u8>,
    last: bool,
) {
    let pc = a.presentation_contexts()[0].id;
    a.send(&Pdu::PData {
        data: vec![PDataValue {
            presentation_context_id: pc,
            value_type: kind,
            is_last: last,
            data,
        }],
    })
    .unwrap();
}

fn response(a: &mut ClientAssociation<TcpStream>) -> (u16, Option<String>) {
    match a.receive().unwrap() {
        Pdu::PData { data } => status(&data[0].data),
        other => panic!("unexpected {other:?}"),
    }
}

/// Sends one C-STORE, its data set in fragments of 8000 bytes.
fn c_store(
    a: &mut ClientAssociation<TcpStream>,
    sop_instance: &str,
    data: &[u8],
) -> (u16, Option<String>) {
    send_value(
        a,
        PDataValueType::Command,
        store_rq(XRAY_DOSE_SR, sop_instance, 1),
        true,
    );
    let chunks: Vec<&[u8]> = data.chunks(8000).collect();
    for (i, c) in chunks.iter().enumerate() {
        send_value(a, PDataValueType::Data, c.to_vec(), i + 1 == chunks.len());
    }
    response(a)
}

fn echo(addr: SocketAddr) -> u16 {
    let mut a = connect(addr, "ECHO", "1.2.840.10008.1.1").unwrap();
    send_value(&mut a, PDataValueType::Command, echo_rq(), true);
    let (s, _) = response(&mut a);
    a.release().unwrap();
    s
}

fn log_rows(dir: &Path) -> Vec<(String, String, Option<String>)> {
    let conn = rusqlite::Connection::open(dir.join("s.sqlite")).unwrap();
    let mut st = conn
        .prepare("SELECT file_path, outcome, sop_instance_uid FROM import_log ORDER BY file_path")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn quick() -> ServeOptions {
    let mut o = ServeOptions::default();
    o.idle_timeout = Duration::from_secs(3);
    o
}

#[test]
fn a_report_is_stored_logged_with_its_sender_and_its_spool_file_removed() {
    let r = start(quick());
    let file = std::fs::read(testdata("ct_minimal.dcm")).unwrap();
    let report = rdsr::parse_bytes(&file).unwrap();
    let sop = report.sop_instance_uid.clone().unwrap();
    let mut a = connect(r.addr, "MODALITY", XRAY_DOSE_SR).unwrap();
    assert_eq!(c_store(&mut a, &sop, data_set(&file)), (0x0000, None));
    a.release().unwrap();
    assert_eq!(echo(r.addr), 0x0000);
    let (summary, dir, events) = r.stop();
    assert_eq!(
        (summary.received, summary.stored, summary.refused),
        (1, 1, 0)
    );
    let rows = log_rows(dir.path());
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].0.starts_with("dicom://MODALITY@127.0.0.1:"),
        "{}",
        rows[0].0
    );
    assert_eq!(rows[0].1, "added");
    assert_eq!(rows[0].2.as_deref(), Some(sop.as_str()));
    let incoming = std::fs::read_dir(dir.path().join("spool/incoming"))
        .unwrap()
        .count();
    assert_eq!(incoming, 0);
    let objects = events
        .iter()
        .filter(|e| matches!(e, Event::Object { .. }))
        .count();
    let associations = events
        .iter()
        .filter(|e| matches!(e, Event::Association { .. }))
        .count();
    assert_eq!((objects, associations), (1, 2));
}

#[test]
fn a_truncated_report_is_answered_with_failure_and_kept_in_the_spool_with_its_reason() {
    let r = start(quick());
    let file = std::fs::read(testdata("ct_minimal.dcm")).unwrap();
    let ds = data_set(&file);
    let mut a = connect(r.addr, "MODALITY", XRAY_DOSE_SR).unwrap();
    let (status, comment) = c_store(&mut a, "1.2.3.4", &ds[..ds.len() / 2]);
    assert_eq!(status, 0xC000);
    let comment = comment.unwrap();
    assert!(comment.starts_with("failed: "), "{comment}");
    // A garbage data set, same answer; the association goes on.
    let (status, comment) = c_store(&mut a, "1.2.3.5", &[0xAB; 301]);
    assert_eq!(status, 0xC000, "{comment:?}");
    a.release().unwrap();
    let (summary, dir, _) = r.stop();
    assert_eq!(
        (summary.received, summary.stored, summary.refused),
        (2, 0, 2)
    );
    let failed: Vec<String> = std::fs::read_dir(dir.path().join("spool/failed"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(failed.iter().filter(|n| n.ends_with(".dcm")).count(), 2);
    let reasons: Vec<&String> = failed
        .iter()
        .filter(|n| n.ends_with(".reason.txt"))
        .collect();
    assert_eq!(reasons.len(), 2);
    let reason = std::fs::read_to_string(dir.path().join("spool/failed").join(reasons[0])).unwrap();
    assert!(!reason.trim().is_empty());
    let rows = log_rows(dir.path());
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.1 != "added"), "{rows:?}");
}

#[test]
fn an_image_sop_class_is_rejected_at_negotiation() {
    let r = start(quick());
    let err = connect(r.addr, "MODALITY", CT_IMAGE).unwrap_err();
    assert!(
        matches!(
            err,
            dicom_ul::association::Error::NoAcceptedPresentationContexts { .. }
        ),
        "{err:?}"
    );
    // Proposed beside a dose report: that one accepted, the image refused with
    // abstract-syntax-not-supported.
    let a = ClientAssociationOptions::new()
        .calling_ae_title("MODALITY")
        .with_presentation_context(CT_IMAGE, vec![EXPLICIT_LE])
        .with_presentation_context(XRAY_DOSE_SR, vec![EXPLICIT_LE])
        .establish(r.addr)
        .unwrap();
    let accepted: Vec<&str> = a
        .presentation_contexts()
        .iter()
        .map(|pc| pc.abstract_syntax.as_str())
        .collect();
    assert_eq!(accepted, [XRAY_DOSE_SR]);
    a.release().unwrap();
    r.stop();
}

#[test]
fn a_calling_ae_not_on_the_allow_list_is_rejected() {
    let mut o = quick();
    o.allow = vec![
        "MODALITY@127.0.0.1".parse::<AllowEntry>().unwrap(),
        "ELSEWHERE@10.9.8.7".parse::<AllowEntry>().unwrap(),
    ];
    let r = start(o);
    for calling in ["STRANGER", "ELSEWHERE"] {
        let err = connect(r.addr, calling, XRAY_DOSE_SR).unwrap_err();
        assert!(
            matches!(err, dicom_ul::association::Error::Rejected { .. }),
            "{calling}: {err:?}"
        );
    }
    connect(r.addr, "MODALITY", XRAY_DOSE_SR)
        .unwrap()
        .release()
        .unwrap();
    let (_, _, events) = r.stop();
    let rejected = events
        .iter()
        .filter(|e| {
            matches!(
                e,
                Event::Association {
                    end: "rejected",
                    ..
                }
            )
        })
        .count();
    assert_eq!(rejected, 2);
}

#[test]
fn objects_past_the_association_limit_are_answered_out_of_resources() {
    let mut o = quick();
    o.max_objects_per_association = 1;
    let r = start(o);
    let file = std::fs::read(testdata("ct_minimal.dcm")).unwrap();
    let sop = rdsr::parse_bytes(&file).unwrap().sop_instance_uid.unwrap();
    let mut a = connect(r.addr, "MODALITY", XRAY_DOSE_SR).unwrap();
    assert_eq!(c_store(&mut a, &sop, data_set(&file)).0, 0x0000);
    let (status, comment) = c_store(&mut a, &sop, data_set(&file));
    assert_eq!(status, 0xA700);
    assert!(comment.unwrap().contains("objects"));
    a.release().unwrap();
    let (summary, _, _) = r.stop();
    assert_eq!((summary.stored, summary.refused), (1, 1));
}

#[test]
fn a_busy_receiver_rejects_an_association_as_transient() {
    let mut o = quick();
    o.max_associations = 1;
    let r = start(o);
    let first = connect(r.addr, "MODALITY", XRAY_DOSE_SR).unwrap();
    let err = connect(r.addr, "MODALITY", XRAY_DOSE_SR).unwrap_err();
    match err {
        dicom_ul::association::Error::Rejected { association_rj, .. } => {
            assert_eq!(
                association_rj.result,
                dicom_ul::pdu::AssociationRJResult::Transient
            )
        }
        other => panic!("{other:?}"),
    }
    first.release().unwrap();
    r.stop();
}

#[test]
fn the_spool_left_by_a_killed_run_is_imported_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::read(testdata("ct_minimal.dcm")).unwrap();
    let origin = rdsr_serve::Origin {
        calling_ae: "MODALITY".into(),
        called_ae: "RDSR".into(),
        peer: "127.0.0.1:4242".into(),
    };
    let mut spooled =
        rdsr_serve::spool::file_header(XRAY_DOSE_SR, "1.2.3", EXPLICIT_LE, "RDSR", &origin);
    spooled.extend_from_slice(data_set(&file));
    let spool = rdsr_serve::Spool::open(&dir.path().join("spool")).unwrap();
    spool
        .write("00000000000000000001-000001-000001.dcm", &spooled)
        .unwrap();
    let r = start_in(dir, quick());
    let (summary, dir, _) = r.stop();
    assert_eq!((summary.recovered, summary.received), (1, 0));
    let rows = log_rows(dir.path());
    assert_eq!(
        rows.iter()
            .map(|r| (r.0.as_str(), r.1.as_str()))
            .collect::<Vec<_>>(),
        [(
            "dicom://MODALITY@127.0.0.1:4242/00000000000000000001-000001-000001.dcm",
            "added"
        )]
    );
    assert!(spool.pending().unwrap().is_empty());
}

/// A small deterministic generator (xorshift64*), so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn association_rq() -> Vec<u8> {
    let rq = Pdu::AssociationRQ(AssociationRQ {
        protocol_version: 1,
        calling_ae_title: "FUZZ".into(),
        called_ae_title: "RDSR".into(),
        application_context_name: "1.2.840.10008.3.1.1.1".into(),
        presentation_contexts: vec![PresentationContextProposed {
            id: 1,
            abstract_syntax: XRAY_DOSE_SR.into(),
            transfer_syntaxes: vec![EXPLICIT_LE.into()],
        }],
        user_variables: vec![
            UserVariableItem::MaxLength(16384),
            UserVariableItem::ImplementationClassUID("1.2.3.4".into()),
        ],
    });
    let mut out = Vec::new();
    dicom_ul::write_pdu(&mut out, &rq).unwrap();
    out
}

fn p_data(data: Vec<u8>, kind: PDataValueType, last: bool) -> Vec<u8> {
    let mut out = Vec::new();
    dicom_ul::write_pdu(
        &mut out,
        &Pdu::PData {
            data: vec![PDataValue {
                presentation_context_id: 1,
                value_type: kind,
                is_last: last,
                data,
            }],
        },
    )
    .unwrap();
    out
}

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    for _ in 0..=rng.below(4) {
        match rng.below(4) {
            0 if !bytes.is_empty() => {
                let i = rng.below(bytes.len());
                bytes[i] = rng.next() as u8;
            }
            1 if !bytes.is_empty() => {
                let i = rng.below(bytes.len());
                bytes.truncate(i);
            }
            2 => {
                let i = rng.below(bytes.len() + 1);
                let extra: Vec<u8> = (0..rng.below(16)).map(|_| rng.next() as u8).collect();
                bytes.splice(i..i, extra);
            }
            _ if bytes.len() >= 6 => {
                // A length field: PDU length or an item length.
                let i = [2, 3, 4, 5, 8, 9].get(rng.below(6)).copied().unwrap_or(2);
                if i < bytes.len() {
                    bytes[i] = [0x00, 0xFF, 0x7F, 0x80][rng.below(4)];
                }
            }
            _ => {}
        }
    }
}

/// Writes `bytes`, closes the sending side, reads what comes back (bounded).
fn poke(addr: SocketAddr, parts: &[Vec<u8>]) {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = s.set_write_timeout(Some(Duration::from_secs(5)));
    for p in parts {
        if s.write_all(p).is_err() {
            return;
        }
        // Let the receiver answer the association request before the rest comes.
        let mut buf = [0u8; 4096];
        let _ = s.set_read_timeout(Some(Duration::from_millis(100)));
        let _ = s.read(&mut buf);
    }
    let _ = s.shutdown(std::net::Shutdown::Write);
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let mut sink = Vec::new();
    let _ = s.take(1 << 20).read_to_end(&mut sink);
}

#[test]
fn mutated_pdus_and_association_requests_close_only_their_association() {
    let r = start(quick());
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let rq = association_rq();
    let file = std::fs::read(testdata("ct_minimal.dcm")).unwrap();
    let ds = data_set(&file).to_vec();
    for round in 0..240 {
        match round % 4 {
            // Random bytes.
            0 => {
                let n = rng.below(600);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                poke(r.addr, &[bytes]);
            }
            // A mutated association request.
            1 => {
                let mut bytes = rq.clone();
                mutate(&mut rng, &mut bytes);
                poke(r.addr, &[bytes]);
            }
            // A valid request, then a mutated command.
            2 => {
                let mut cmd = p_data(
                    store_rq(XRAY_DOSE_SR, "1.2.3", 1),
                    PDataValueType::Command,
                    true,
                );
                mutate(&mut rng, &mut cmd);
                poke(r.addr, &[rq.clone(), cmd]);
            }
            // A valid request and command, then a mutated data set PDU.
            _ => {
                let cmd = p_data(
                    store_rq(XRAY_DOSE_SR, "1.2.3", 1),
                    PDataValueType::Command,
                    true,
                );
                let mut data = p_data(ds.clone(), PDataValueType::Data, true);
                mutate(&mut rng, &mut data);
                poke(r.addr, &[rq.clone(), cmd, data]);
            }
        }
    }
    // Still answering.
    assert_eq!(echo(r.addr), 0x0000);
    let (summary, _, _) = r.stop();
    assert!(summary.connections >= 241);
}

#[test]
fn an_association_waits_through_pauses_and_is_aborted_when_idle_too_long() {
    let mut o = quick();
    o.idle_timeout = Duration::from_millis(1500);
    let r = start(o);
    let mut a = connect(r.addr, "MODALITY", "1.2.840.10008.1.1").unwrap();
    // Pauses longer than the receiver's polling interval, shorter than the idle timeout.
    for _ in 0..2 {
        std::thread::sleep(Duration::from_millis(700));
        send_value(&mut a, PDataValueType::Command, echo_rq(), true);
        assert_eq!(response(&mut a).0, 0x0000);
    }
    std::thread::sleep(Duration::from_millis(2500));
    assert!(matches!(a.receive(), Ok(Pdu::AbortRQ { .. })));
    let (_, _, events) = r.stop();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Association {
            end: "idle_timeout",
            ..
        }
    )));
}
