//! `rdsr serve`: a DICOM receiver (C-STORE SCP) writing into a store.

use std::process::ExitCode;

use rdsr_serve::{Receiver, ServeOptions, TlsConfig};
use rdsr_store::{is_postgres_url, open_store};

use crate::{ServeArgs, options};

fn fatal(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("rdsr serve: {message}");
    ExitCode::FAILURE
}

pub fn run(args: &ServeArgs) -> ExitCode {
    let parse = options::build(&args.limits, &args.quirks, &["serve"]);
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => {
            match TlsConfig::from_pem_files(cert, key, args.tls_ca.as_deref()) {
                Ok(t) => Some(t),
                Err(e) => {
                    let flag = if e.path() == cert.as_path() {
                        "--tls-cert"
                    } else if e.path() == key.as_path() {
                        "--tls-key"
                    } else {
                        "--tls-ca"
                    };
                    options::usage_error(&["serve"], format_args!("{flag} {e}"))
                }
            }
        }
        _ => None,
    };
    let target = args.db.to_string_lossy().into_owned();
    if is_postgres_url(&target) && args.spool.is_none() {
        options::usage_error(
            &["serve"],
            "--spool DIR is required with a PostgreSQL --db (the spool is a local folder)",
        );
    }
    let mut store = match open_store(&target, Some(&parse)) {
        Ok(s) => s,
        Err(e) => return fatal(format_args!("{}: {e}", crate::import::shown(&target))),
    };
    // Hashed patient keys of the alerts need the site secret (RDSR_SITE_SECRET), as at import.
    match crate::survey::site_secret(&crate::SecretArgs::default()) {
        Ok(Some(secret)) => {
            if let Err(e) = store.set_site_secret(&secret) {
                return fatal(format_args!("{}: {e}", crate::import::shown(&target)));
            }
        }
        Ok(None) => {}
        Err(e) => return fatal(e),
    }
    let mut options = ServeOptions::default();
    options.ae_title = args.ae_title.clone();
    options.allow = args.allow_ae.clone();
    options.max_pdu_length = args.max_pdu;
    options.max_associations = usize::from(args.jobs);
    options.max_objects_per_association = args.max_objects;
    options.max_bytes_per_association = args.max_association_bytes;
    options.max_object_size = args.limits.max_input_size;
    options.idle_timeout = std::time::Duration::from_secs(args.idle_timeout);
    options.parse = parse;
    options.once = args.once;
    options.tls = tls;
    let spool = args.spool.clone().unwrap_or_else(|| {
        let mut s = args.db.clone().into_os_string();
        s.push(".spool");
        s.into()
    });
    let receiver = match Receiver::bind((args.host.as_str(), args.port), &spool, options) {
        Ok(r) => r,
        Err(e) => return fatal(e),
    };
    let stop = receiver.shutdown_flag();
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        if let Err(e) = signal_hook::flag::register(signal, std::sync::Arc::clone(&stop)) {
            return fatal(format_args!("signal handler: {e}"));
        }
    }
    match receiver.run(store.as_store()) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => fatal(e),
    }
}
