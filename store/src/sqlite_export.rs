//! The SQLite side of the exports: [`SurveySource`].

use rusqlite::types::Value;

use crate::StoreError;
use crate::export::{StudyFilter, StudyVisitor, SurveySource};
use crate::sqlite::{SqliteStore, study_row};
use crate::tables::STUDY_COLUMNS;

fn params(filter: &StudyFilter) -> [Value; 3] {
    let opt = |v: Option<String>| v.map_or(Value::Null, Value::Text);
    [
        opt(filter.template.clone()),
        opt(filter.from.map(|d| d.to_string())),
        // Dates are stored as `YYYY-MM-DD`: anything of the last day sorts before `~`.
        opt(filter.to.map(|d| format!("{d}~"))),
    ]
}

const WHERE: &str = "WHERE (?1 IS NULL OR template = ?1) AND (?2 IS NULL OR study_date >= ?2)
    AND (?3 IS NULL OR study_date <= ?3)";

impl SurveySource for SqliteStore {
    fn count_studies(&self, filter: &StudyFilter) -> Result<u64, StoreError> {
        let mut st = self.connection().prepare(&format!(
            "SELECT {} FROM studies {WHERE}",
            STUDY_COLUMNS.join(", ")
        ))?;
        let mut n = 0u64;
        let mut rows = st.query(params(filter))?;
        while let Some(r) = rows.next()? {
            if filter.accepts(&study_row(r)?) {
                n += 1;
            }
        }
        Ok(n)
    }

    fn for_each_study(
        &self,
        filter: &StudyFilter,
        each: &mut StudyVisitor<'_>,
    ) -> Result<(), StoreError> {
        let conn = self.connection();
        let mut st = conn.prepare(&format!(
            "SELECT {} FROM studies {WHERE} ORDER BY study_date, study_key",
            STUDY_COLUMNS.join(", ")
        ))?;
        let mut reports = conn.prepare(
            "SELECT report_key, report_zlib FROM reports WHERE study_key = ?1 ORDER BY report_key",
        )?;
        let mut rows = st.query(params(filter))?;
        while let Some(r) = rows.next()? {
            let row = study_row(r)?;
            if !filter.accepts(&row) {
                continue;
            }
            let mut list = Vec::new();
            let mut q = reports.query([&row.study_key])?;
            while let Some(r) = q.next()? {
                let key: String = r.get(0)?;
                let stored: Vec<u8> = r.get(1)?;
                list.push(crate::decode_report(&key, &stored)?);
            }
            each(&row, list)?;
        }
        Ok(())
    }
}
