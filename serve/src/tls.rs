//! TLS for associations (PS3.15 Annex B.1, the Basic TLS Secure Transport Connection
//! Profile): the server's certificate chain and key, and optionally the CA that client
//! certificates must chain to.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::RootCertStore;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;

/// Largest PEM file read (a certificate chain is a few KiB).
const MAX_PEM_FILE: u64 = 1 << 20;

/// The TLS configuration of a receiver: associations are accepted only over TLS.
///
/// Built from PEM files with [`TlsConfig::from_pem_files`], or from a rustls server
/// configuration of the embedder's own with [`TlsConfig::from_server_config`].
///
/// ```no_run
/// use std::path::Path;
/// use rdsr_serve::{Receiver, ServeOptions, TlsConfig};
///
/// let mut options = ServeOptions::default();
/// options.tls = Some(TlsConfig::from_pem_files(
///     Path::new("server.pem"),
///     Path::new("server.key"),
///     Some(Path::new("ca.pem")), // client certificates required
/// )?);
/// let receiver = Receiver::bind("0.0.0.0:2762", Path::new("spool"), options)?;
/// # let _ = receiver;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct TlsConfig {
    server: Arc<rustls::ServerConfig>,
    client_auth: bool,
}

impl std::fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsConfig")
            .field("client_auth", &self.client_auth)
            .finish_non_exhaustive()
    }
}

/// Why a TLS configuration could not be built. Each variant names the file at fault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsConfigError {
    /// The file could not be read (missing, unreadable, larger than 1 MiB).
    #[error("{}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The file is not PEM, or holds no item of the kind wanted.
    #[error("{}: {what}", path.display())]
    Pem {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        what: String,
    },
    /// The file's contents were refused by the TLS library (a key that does not match the
    /// certificate, an unsupported key type, an invalid CA certificate).
    #[error("{}: {what}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        what: String,
    },
}

impl TlsConfigError {
    /// The file at fault.
    pub fn path(&self) -> &Path {
        match self {
            TlsConfigError::Read { path, .. }
            | TlsConfigError::Pem { path, .. }
            | TlsConfigError::Invalid { path, .. } => path,
        }
    }
}

impl TlsConfig {
    /// Reads the server's certificate chain (`cert`: PEM, the server's certificate first)
    /// and private key (`key`: PEM, PKCS #8, PKCS #1 or SEC1). With `client_ca` (PEM, one or
    /// more CA certificates), clients must present a certificate that chains to one of them
    /// (mutual TLS); without it, any client may connect over TLS.
    pub fn from_pem_files(
        cert: &Path,
        key: &Path,
        client_ca: Option<&Path>,
    ) -> Result<TlsConfig, TlsConfigError> {
        // ring builds with a C compiler alone. It offers no post-quantum key exchange
        // (hence rustls' deprecation note); an embedder wanting one builds its own
        // configuration and passes it to `from_server_config`.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let cert_pem = read_pem_file(cert)?;
        let chain = CertificateDer::pem_slice_iter(&cert_pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| pem_error(cert, e))?;
        if chain.is_empty() {
            return Err(TlsConfigError::Pem {
                path: cert.to_path_buf(),
                what: "no CERTIFICATE found".to_string(),
            });
        }
        let key_pem = read_pem_file(key)?;
        let private_key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| match e {
            rustls::pki_types::pem::Error::NoItemsFound => TlsConfigError::Pem {
                path: key.to_path_buf(),
                what: "no PRIVATE KEY found".to_string(),
            },
            e => pem_error(key, e),
        })?;
        let builder = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsConfigError::Invalid {
                path: cert.to_path_buf(),
                what: e.to_string(),
            })?;
        let builder = match client_ca {
            None => builder.with_no_client_auth(),
            Some(ca) => {
                let ca_pem = read_pem_file(ca)?;
                let mut roots = RootCertStore::empty();
                let mut found = false;
                for c in CertificateDer::pem_slice_iter(&ca_pem) {
                    let c = c.map_err(|e| pem_error(ca, e))?;
                    roots.add(c).map_err(|e| TlsConfigError::Invalid {
                        path: ca.to_path_buf(),
                        what: e.to_string(),
                    })?;
                    found = true;
                }
                if !found {
                    return Err(TlsConfigError::Pem {
                        path: ca.to_path_buf(),
                        what: "no CERTIFICATE found".to_string(),
                    });
                }
                let verifier =
                    WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                        .build()
                        .map_err(|e| TlsConfigError::Invalid {
                            path: ca.to_path_buf(),
                            what: e.to_string(),
                        })?;
                builder.with_client_cert_verifier(verifier)
            }
        };
        let server =
            builder
                .with_single_cert(chain, private_key)
                .map_err(|e| TlsConfigError::Invalid {
                    path: key.to_path_buf(),
                    what: format!("not usable with the certificate {}: {e}", cert.display()),
                })?;
        Ok(TlsConfig {
            server: Arc::new(server),
            client_auth: client_ca.is_some(),
        })
    }

    /// Uses a rustls server configuration built by the caller (its own certificate
    /// resolver, verifier or provider).
    pub fn from_server_config(server: Arc<rustls::ServerConfig>) -> TlsConfig {
        TlsConfig {
            server,
            client_auth: false,
        }
    }

    /// Whether clients must present a certificate signed by the configured CA (only known
    /// for a configuration built by [`TlsConfig::from_pem_files`]).
    pub fn requires_client_certificate(&self) -> bool {
        self.client_auth
    }

    /// The rustls server configuration.
    pub fn server_config(&self) -> Arc<rustls::ServerConfig> {
        Arc::clone(&self.server)
    }
}

fn read_pem_file(path: &Path) -> Result<Vec<u8>, TlsConfigError> {
    let read_error = |source| TlsConfigError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    file.take(MAX_PEM_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > MAX_PEM_FILE {
        return Err(read_error(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "larger than 1 MiB: not a PEM certificate or key file",
        )));
    }
    Ok(bytes)
}

fn pem_error(path: &Path, e: rustls::pki_types::pem::Error) -> TlsConfigError {
    TlsConfigError::Pem {
        path: path.to_path_buf(),
        what: format!("not valid PEM: {e}"),
    }
}
