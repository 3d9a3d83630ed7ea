//! `parse_reader`: the `Read`-based entry point, bounded by `max_input_size`.

use std::io::{self, Read};

use rdsr::{ErrorKind, Options};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

#[test]
fn parse_reader_gives_the_report_parse_bytes_gives() {
    for name in [
        "ct_minimal.dcm",
        "projection_deflated.dcm",
        "projection_big_endian.dcm",
    ] {
        let bytes = fixture(name);
        let from_reader = rdsr::parse_reader(bytes.as_slice()).expect("reads");
        assert_eq!(
            from_reader,
            rdsr::parse_bytes(&bytes).expect("reads"),
            "{name}"
        );
    }
}

#[test]
fn parse_reader_never_reads_past_max_input_size() {
    // An endless stream: the read stops one byte past the limit.
    struct Counting(u64);
    impl Read for Counting {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            buf.fill(0);
            self.0 += buf.len() as u64;
            Ok(buf.len())
        }
    }
    let mut endless = Counting(0);
    let err = Options::new()
        .max_input_size(4096)
        .parse_reader(&mut endless)
        .expect_err("an endless stream is over any limit");
    assert_eq!(err.kind(), ErrorKind::LimitExceeded);
    assert!(endless.0 <= 4096 + 8192, "read {} bytes", endless.0);

    // Exactly at the limit is accepted by the size check (and then read as DICOM).
    let bytes = fixture("ct_minimal.dcm");
    let exact = Options::new()
        .max_input_size(bytes.len() as u64)
        .parse_reader(bytes.as_slice());
    assert!(exact.is_ok(), "{exact:?}");
    let over = Options::new()
        .max_input_size(bytes.len() as u64 - 1)
        .parse_reader(bytes.as_slice())
        .expect_err("one byte over");
    assert_eq!(over.kind(), ErrorKind::LimitExceeded);
}

#[test]
fn parse_reader_reports_a_failing_reader_as_io() {
    struct Broken;
    impl Read for Broken {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "peer went away",
            ))
        }
    }
    let err = rdsr::parse_reader(Broken).expect_err("the reader fails");
    assert_eq!(err.kind(), ErrorKind::Io);
    assert!(err.location().file.is_none());
}
