//! Throw-away TLS material for the tests: a CA, a server certificate for 127.0.0.1 and
//! localhost, a client certificate signed by the CA, and one signed by another CA. Shared by
//! the receiver's tests and the tool's (`cli/tests/serve.rs`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};

/// The PEM files written by [`Certs::write`].
pub struct Certs {
    /// The CA that signed the server and client certificates.
    pub ca: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
    pub client_cert: PathBuf,
    pub client_key: PathBuf,
    /// A client certificate signed by a CA the server does not know.
    pub stranger_cert: PathBuf,
    pub stranger_key: PathBuf,
}

fn ca(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

fn leaf(
    issuer: &CertifiedIssuer<'static, KeyPair>,
    name: &str,
    sans: &[&str],
    usage: ExtendedKeyUsagePurpose,
) -> (String, String) {
    let sans: Vec<String> = sans.iter().map(|s| s.to_string()).collect();
    let mut params = CertificateParams::new(sans).unwrap();
    params.distinguished_name.push(DnType::CommonName, name);
    params.extended_key_usages = vec![usage];
    let key = KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, issuer).unwrap();
    (cert.pem(), key.serialize_pem())
}

impl Certs {
    /// Generates the certificates and writes them into `dir`.
    pub fn write(dir: &Path) -> Certs {
        let authority = ca("rdsr test CA");
        let stranger_ca = ca("another CA");
        let (server_cert, server_key) = leaf(
            &authority,
            "rdsr test server",
            &["127.0.0.1", "localhost"],
            ExtendedKeyUsagePurpose::ServerAuth,
        );
        let (client_cert, client_key) = leaf(
            &authority,
            "rdsr test client",
            &[],
            ExtendedKeyUsagePurpose::ClientAuth,
        );
        let (stranger_cert, stranger_key) = leaf(
            &stranger_ca,
            "stranger",
            &[],
            ExtendedKeyUsagePurpose::ClientAuth,
        );
        let put = |name: &str, pem: &str| {
            let path = dir.join(name);
            std::fs::write(&path, pem).unwrap();
            path
        };
        Certs {
            ca: put("ca.pem", &authority.pem()),
            server_cert: put("server.pem", &server_cert),
            server_key: put("server.key", &server_key),
            client_cert: put("client.pem", &client_cert),
            client_key: put("client.key", &client_key),
            stranger_cert: put("stranger.pem", &stranger_cert),
            stranger_key: put("stranger.key", &stranger_key),
        }
    }
}
