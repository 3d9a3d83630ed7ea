//! A temporary on-disk spool of reports grouped by study: for a command that assembles
//! studies from more files than memory should hold (`rdsr studies FILE...`). Reports go in
//! as they are read; studies come out one at a time in study key order, each with its
//! reports in the order they went in. Memory holds one batch of rows while writing and one
//! study while reading, never the input.

use rusqlite::{Connection, OptionalExtension, params};

use crate::{StoreError, decode_report, encode_report};

/// Rows written per transaction.
const BATCH: usize = 256;

/// One spooled report, encoded, waiting for its transaction.
struct Row {
    study_key: String,
    file_path: String,
    report_zlib: Vec<u8>,
}

/// A private, temporary SQLite database (an empty file name: SQLite creates it in its
/// temporary folder and deletes it when the spool is dropped, or when the process dies).
pub struct StudySpool {
    conn: Connection,
    pending: Vec<Row>,
    seq: i64,
}

impl std::fmt::Debug for StudySpool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StudySpool")
            .field("spooled", &self.seq)
            .finish_non_exhaustive()
    }
}

/// One study read back from the spool: its key and its reports with the file each came
/// from, in the order they were pushed.
#[derive(Debug)]
pub struct SpooledStudy {
    /// The key the reports were pushed under.
    pub study_key: String,
    /// `(file, report)`, in push order.
    pub reports: Vec<(String, rdsr::DoseReport)>,
}

/// One study read back from the spool with its reports still in their stored form.
#[derive(Debug)]
pub struct EncodedStudy {
    /// The key the reports were pushed under.
    pub study_key: String,
    /// `(file, report_zlib)`, in push order.
    pub reports: Vec<(String, Vec<u8>)>,
}

impl EncodedStudy {
    /// The study with its reports decoded.
    pub fn decode(self) -> Result<SpooledStudy, StoreError> {
        let reports = self
            .reports
            .into_iter()
            .map(|(path, stored)| {
                let report = decode_report(&path, &stored)?;
                Ok((path, report))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(SpooledStudy {
            study_key: self.study_key,
            reports,
        })
    }
}

impl StudySpool {
    /// An empty spool in a new temporary database.
    pub fn new() -> Result<StudySpool, StoreError> {
        let conn = Connection::open("")?;
        // Nothing here outlives the process: no journal to recover from.
        conn.pragma_update(None, "journal_mode", "OFF")?;
        conn.pragma_update(None, "synchronous", "OFF")?;
        conn.execute_batch(
            "CREATE TABLE spool (
                seq INTEGER PRIMARY KEY,
                study_key TEXT NOT NULL,
                file_path TEXT NOT NULL,
                report_zlib BLOB NOT NULL
            );
            CREATE INDEX spool_study ON spool(study_key, seq);",
        )?;
        Ok(StudySpool {
            conn,
            pending: Vec::with_capacity(BATCH),
            seq: 0,
        })
    }

    /// Adds `report`, read from `file_path`, to the study `study_key`.
    pub fn push(
        &mut self,
        study_key: &str,
        file_path: &str,
        report: &rdsr::DoseReport,
    ) -> Result<(), StoreError> {
        self.pending.push(Row {
            study_key: study_key.to_string(),
            file_path: file_path.to_string(),
            report_zlib: encode_report(report)?,
        });
        if self.pending.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// Adds a report already in its stored form ([`encode_report`], done on the thread that
    /// parsed it), read from `file_path`, to the study `study_key`.
    pub fn push_encoded(
        &mut self,
        study_key: &str,
        file_path: &str,
        report_zlib: Vec<u8>,
    ) -> Result<(), StoreError> {
        self.pending.push(Row {
            study_key: study_key.to_string(),
            file_path: file_path.to_string(),
            report_zlib,
        });
        if self.pending.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO spool (seq, study_key, file_path, report_zlib) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for row in self.pending.drain(..) {
                self.seq += 1;
                insert.execute(params![
                    self.seq,
                    row.study_key,
                    row.file_path,
                    row.report_zlib
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The first study key after `after` (the first of all with `None`), in byte order.
    fn next_key(&self, after: Option<&str>) -> Result<Option<String>, StoreError> {
        let key = match after {
            None => self
                .conn
                .query_row(
                    "SELECT study_key FROM spool ORDER BY study_key LIMIT 1",
                    [],
                    |r| r.get(0),
                )
                .optional()?,
            Some(after) => self
                .conn
                .query_row(
                    "SELECT study_key FROM spool WHERE study_key > ?1 ORDER BY study_key LIMIT 1",
                    [after],
                    |r| r.get(0),
                )
                .optional()?,
        };
        Ok(key)
    }

    fn encoded_study(&self, study_key: String) -> Result<EncodedStudy, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT file_path, report_zlib FROM spool WHERE study_key = ?1 ORDER BY seq",
        )?;
        let rows = st.query_map([&study_key], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?;
        let reports = rows.collect::<Result<Vec<_>, _>>()?;
        Ok(EncodedStudy { study_key, reports })
    }

    /// The studies, in study key order (byte order, as `String`'s `Ord`), each read back
    /// only when the iterator reaches it.
    pub fn studies(
        &mut self,
    ) -> Result<impl Iterator<Item = Result<SpooledStudy, StoreError>> + '_, StoreError> {
        Ok(self
            .encoded_studies()?
            .map(|study| study.and_then(EncodedStudy::decode)))
    }

    /// [`StudySpool::studies`] with the reports still in their stored form, to be decoded
    /// ([`EncodedStudy::decode`]) on another thread.
    pub fn encoded_studies(
        &mut self,
    ) -> Result<impl Iterator<Item = Result<EncodedStudy, StoreError>> + '_, StoreError> {
        self.flush()?;
        let spool = &*self;
        let mut last: Option<String> = None;
        let mut done = false;
        Ok(std::iter::from_fn(move || {
            if done {
                return None;
            }
            let next = spool.next_key(last.as_deref()).and_then(|key| match key {
                None => Ok(None),
                Some(key) => {
                    last = Some(key.clone());
                    spool.encoded_study(key).map(Some)
                }
            });
            match next {
                Ok(Some(study)) => Some(Ok(study)),
                Ok(None) => {
                    done = true;
                    None
                }
                Err(e) => {
                    done = true;
                    Some(Err(e))
                }
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(study: &str, sop: &str) -> rdsr::DoseReport {
        let fixture =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/ct_minimal.dcm");
        let mut r = rdsr::parse_file(fixture).unwrap();
        r.study_instance_uid = Some(study.to_string());
        r.sop_instance_uid = Some(sop.to_string());
        r
    }

    #[test]
    fn studies_come_back_in_key_order_with_reports_in_push_order() {
        let mut spool = StudySpool::new().unwrap();
        // More than one batch, interleaved studies.
        for i in 0..600 {
            let study = ["1.3", "1.2", "1.10"][i % 3];
            spool
                .push(
                    study,
                    &format!("f{i}"),
                    &report(study, &format!("{study}.{i}")),
                )
                .unwrap();
        }
        let studies: Vec<SpooledStudy> = spool.studies().unwrap().map(Result::unwrap).collect();
        let keys: Vec<&str> = studies.iter().map(|s| s.study_key.as_str()).collect();
        assert_eq!(keys, ["1.10", "1.2", "1.3"]);
        let second = &studies[1];
        assert_eq!(second.reports.len(), 200);
        assert_eq!(second.reports[0].0, "f1");
        assert_eq!(second.reports[1].0, "f4");
        assert_eq!(
            second.reports[199].1.sop_instance_uid.as_deref(),
            Some("1.2.598")
        );
        assert!(
            second
                .reports
                .iter()
                .all(|(_, r)| r.study_instance_uid.as_deref() == Some("1.2"))
        );
    }

    #[test]
    fn encoded_pushes_read_back_like_plain_ones() {
        let mut plain = StudySpool::new().unwrap();
        let mut encoded = StudySpool::new().unwrap();
        for i in 0..300 {
            let study = ["2.1", "2.2"][i % 2];
            let r = report(study, &format!("{study}.{i}"));
            plain.push(study, &format!("f{i}"), &r).unwrap();
            encoded
                .push_encoded(study, &format!("f{i}"), encode_report(&r).unwrap())
                .unwrap();
        }
        let a: Vec<SpooledStudy> = plain.studies().unwrap().map(Result::unwrap).collect();
        let b: Vec<SpooledStudy> = encoded
            .encoded_studies()
            .unwrap()
            .map(|s| s.and_then(EncodedStudy::decode).unwrap())
            .collect();
        assert_eq!(a.len(), 2);
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.study_key, y.study_key);
            assert_eq!(x.reports, y.reports);
        }
    }

    #[test]
    fn an_empty_spool_has_no_studies() {
        let mut spool = StudySpool::new().unwrap();
        assert_eq!(spool.studies().unwrap().count(), 0);
    }
}
