//! The receiver over TLS, driven by a dicom-ul client on rustls (the DCMTK tests are in
//! `cli/tests/serve.rs`): storage and echo, client certificates, plain TCP on a TLS port,
//! stalled handshakes, and unusable certificate files.

#[path = "support/certs.rs"]
mod certs;
#[path = "support/dimse.rs"]
mod dimse;
use dimse::{echo_rq, status, store_rq, testdata};

use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use certs::Certs;
use dicom_ul::association::client::{ClientAssociation, TlsStream};
use dicom_ul::pdu::{PDataValue, PDataValueType};
use dicom_ul::{ClientAssociationOptions, Pdu};
use rdsr_serve::{
    Event, Log, Receiver, ServeError, ServeOptions, ServeSummary, TlsConfig, TlsConfigError,
};
use rdsr_store::SqliteStore;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

const XRAY_DOSE_SR: &str = "1.2.840.10008.5.1.4.1.1.88.67";
const VERIFICATION: &str = "1.2.840.10008.1.1";
const EXPLICIT_LE: &str = "1.2.840.10008.1.2.1";

struct Running {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    handle: JoinHandle<Result<ServeSummary, ServeError>>,
    events: Arc<Mutex<Vec<Event>>>,
    _dir: tempfile::TempDir,
}

impl Running {
    fn stop(self) -> (ServeSummary, Vec<Event>) {
        self.stop.store(true, Ordering::SeqCst);
        let summary = self.handle.join().expect("receiver panicked").unwrap();
        let events = self.events.lock().unwrap().clone();
        (summary, events)
    }
}

/// A receiver over TLS with the certificates of `certs`, client certificates required when
/// `mutual`.
fn start(certs: &Certs, mutual: bool, idle_timeout: Duration) -> Running {
    let mut options = ServeOptions::default();
    options.idle_timeout = idle_timeout;
    start_with(certs, mutual, options)
}

fn start_with(certs: &Certs, mutual: bool, mut options: ServeOptions) -> Running {
    let dir = tempfile::tempdir().unwrap();
    options.tls = Some(
        TlsConfig::from_pem_files(
            &certs.server_cert,
            &certs.server_key,
            mutual.then_some(certs.ca.as_path()),
        )
        .unwrap(),
    );
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
        events,
        _dir: dir,
    }
}

/// A rustls client trusting the test CA, presenting `identity` (certificate, key) if given.
fn client_config(certs: &Certs, identity: Option<(&Path, &Path)>) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_file(&certs.ca).unwrap())
        .unwrap();
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots);
    let config = match identity {
        None => builder.with_no_client_auth(),
        Some((cert, key)) => builder
            .with_client_auth_cert(
                vec![CertificateDer::from_pem_file(cert).unwrap()],
                PrivateKeyDer::from_pem_file(key).unwrap(),
            )
            .unwrap(),
    };
    Arc::new(config)
}

fn options(abstract_syntax: &str) -> ClientAssociationOptions<'static> {
    ClientAssociationOptions::new()
        .calling_ae_title("MODALITY")
        .called_ae_title("RDSR")
        .with_presentation_context(abstract_syntax.to_string(), vec![EXPLICIT_LE.to_string()])
        .read_timeout(Duration::from_secs(10))
}

type TlsAssociation = ClientAssociation<TlsStream>;

fn send(a: &mut TlsAssociation, kind: PDataValueType, data: Vec<u8>, last: bool) {
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

fn response(a: &mut TlsAssociation) -> u16 {
    match a.receive().unwrap() {
        Pdu::PData { data } => status(&data[0].data).0,
        other => panic!("unexpected {other:?}"),
    }
}

/// C-ECHO over TLS with the given client configuration: the status, or the error.
fn tls_echo(addr: SocketAddr, config: Arc<rustls::ClientConfig>) -> Result<u16, String> {
    let mut a = options(VERIFICATION)
        .tls_config(config)
        .server_name("localhost")
        .establish_tls(addr)
        .map_err(|e| e.to_string())?;
    let rq = echo_rq();
    send(&mut a, PDataValueType::Command, rq, true);
    let s = match a.receive() {
        Ok(Pdu::PData { data }) => status(&data[0].data).0,
        Ok(other) => return Err(format!("unexpected {other:?}")),
        Err(e) => return Err(e.to_string()),
    };
    a.release().map_err(|e| e.to_string())?;
    Ok(s)
}

fn tls_failures(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Association {
                end: "tls_failed",
                reason,
                ..
            } => Some(reason.clone().unwrap_or_default()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_report_is_stored_and_an_echo_answered_over_tls() {
    let dir = tempfile::tempdir().unwrap();
    let certs = Certs::write(dir.path());
    let r = start(&certs, false, Duration::from_secs(5));
    let file = std::fs::read(testdata("ct_minimal.dcm")).unwrap();
    let report = rdsr::parse_bytes(&file).unwrap();
    let sop = report.sop_instance_uid.clone().unwrap();
    // The data set follows the file meta group (explicit VR little endian).
    let group_length = u32::from_le_bytes([file[140], file[141], file[142], file[143]]);
    let data_set = &file[144 + group_length as usize..];

    let mut a = options(XRAY_DOSE_SR)
        .tls_config(client_config(&certs, None))
        .server_name("localhost")
        .establish_tls(r.addr)
        .unwrap();
    let rq = store_rq(XRAY_DOSE_SR, &sop, 1);
    send(&mut a, PDataValueType::Command, rq, true);
    // Longer than the receiver's socket poll: a read that times out inside the TLS stream
    // must resume where it stopped.
    std::thread::sleep(Duration::from_millis(450));
    let chunks: Vec<&[u8]> = data_set.chunks(8000).collect();
    for (i, c) in chunks.iter().enumerate() {
        send(
            &mut a,
            PDataValueType::Data,
            c.to_vec(),
            i + 1 == chunks.len(),
        );
    }
    assert_eq!(response(&mut a), 0x0000);
    a.release().unwrap();
    assert_eq!(tls_echo(r.addr, client_config(&certs, None)), Ok(0x0000));

    let (summary, events) = r.stop();
    assert_eq!(
        (summary.received, summary.stored, summary.refused),
        (1, 1, 0)
    );
    assert!(matches!(
        events.first(),
        Some(Event::Listening { tls: true, .. })
    ));
    let ends: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            Event::Association { end, .. } => Some(*end),
            _ => None,
        })
        .collect();
    assert_eq!(ends, ["released", "released"]);
}

#[test]
fn mutual_tls_refuses_clients_without_a_certificate_of_the_ca_and_accepts_one_with() {
    let dir = tempfile::tempdir().unwrap();
    let certs = Certs::write(dir.path());
    let r = start(&certs, true, Duration::from_secs(5));
    assert!(tls_echo(r.addr, client_config(&certs, None)).is_err());
    let stranger = client_config(&certs, Some((&certs.stranger_cert, &certs.stranger_key)));
    assert!(tls_echo(r.addr, stranger).is_err());
    let known = client_config(&certs, Some((&certs.client_cert, &certs.client_key)));
    assert_eq!(tls_echo(r.addr, known), Ok(0x0000));
    let (summary, events) = r.stop();
    assert_eq!(summary.connections, 3);
    let failures = tls_failures(&events);
    assert_eq!(failures.len(), 2, "{failures:?}");
    assert!(failures[0].contains("no certificates"), "{failures:?}");
    assert!(failures[1].contains("UnknownIssuer"), "{failures:?}");
}

#[test]
fn a_plain_tcp_association_on_the_tls_port_fails_and_tls_is_still_served() {
    let dir = tempfile::tempdir().unwrap();
    let certs = Certs::write(dir.path());
    let r = start(&certs, false, Duration::from_secs(5));
    assert!(options(VERIFICATION).establish(r.addr).is_err());
    assert_eq!(tls_echo(r.addr, client_config(&certs, None)), Ok(0x0000));
    let (_, events) = r.stop();
    assert_eq!(tls_failures(&events).len(), 1);
}

#[test]
fn a_stalled_tls_handshake_is_closed_at_the_idle_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let certs = Certs::write(dir.path());
    let r = start(&certs, false, Duration::from_secs(1));
    let mut silent = TcpStream::connect(r.addr).unwrap();
    silent
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let started = Instant::now();
    // The receiver closes the connection (end of stream or reset) without a byte sent.
    let mut buf = [0u8; 16];
    let read = silent.read(&mut buf);
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(tls_echo(r.addr, client_config(&certs, None)), Ok(0x0000));
    let (_, events) = r.stop();
    assert_eq!(tls_failures(&events).len(), 1);
}

#[test]
fn unusable_certificate_and_key_files_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let certs = Certs::write(dir.path());
    let missing = dir.path().join("missing.pem");
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "not a certificate\n").unwrap();

    let e = TlsConfig::from_pem_files(&missing, &certs.server_key, None).unwrap_err();
    assert!(matches!(e, TlsConfigError::Read { .. }), "{e}");
    assert_eq!(e.path(), missing);
    assert!(e.to_string().starts_with(&missing.display().to_string()));

    // A key where the certificate should be.
    let e = TlsConfig::from_pem_files(&certs.server_key, &certs.server_key, None).unwrap_err();
    assert!(matches!(e, TlsConfigError::Pem { .. }), "{e}");
    assert_eq!(e.path(), certs.server_key);

    let e = TlsConfig::from_pem_files(&certs.server_cert, &garbage, None).unwrap_err();
    assert!(matches!(e, TlsConfigError::Pem { .. }), "{e}");
    assert_eq!(e.path(), garbage);

    // The client's key does not belong to the server's certificate.
    let e = TlsConfig::from_pem_files(&certs.server_cert, &certs.client_key, None).unwrap_err();
    assert!(matches!(e, TlsConfigError::Invalid { .. }), "{e}");
    assert_eq!(e.path(), certs.client_key);

    let e = TlsConfig::from_pem_files(&certs.server_cert, &certs.server_key, Some(&garbage))
        .unwrap_err();
    assert!(matches!(e, TlsConfigError::Pem { .. }), "{e}");
    assert_eq!(e.path(), garbage);

    let ok =
        TlsConfig::from_pem_files(&certs.server_cert, &certs.server_key, Some(&certs.ca)).unwrap();
    assert!(ok.requires_client_certificate());
}

#[test]
fn a_busy_tls_receiver_rejects_an_association_as_transient_over_tls() {
    let dir = tempfile::tempdir().unwrap();
    let certs = Certs::write(dir.path());
    let mut serve_options = ServeOptions::default();
    serve_options.max_associations = 1;
    let r = start_with(&certs, false, serve_options);
    let first = options(XRAY_DOSE_SR)
        .tls_config(client_config(&certs, None))
        .server_name("localhost")
        .establish_tls(r.addr)
        .unwrap();
    let err = options(XRAY_DOSE_SR)
        .tls_config(client_config(&certs, None))
        .server_name("localhost")
        .establish_tls(r.addr)
        .unwrap_err();
    match err {
        dicom_ul::association::Error::Rejected { association_rj, .. } => assert_eq!(
            association_rj.result,
            dicom_ul::pdu::AssociationRJResult::Transient
        ),
        other => panic!("{other:?}"),
    }
    first.release().unwrap();
    r.stop();
}
