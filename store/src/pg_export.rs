//! The PostgreSQL side of the exports: [`SurveySource`], streamed through a portal (a
//! server-side cursor) so that only a page of studies is in memory at a time.

use crate::StoreError;
use crate::export::{StudyFilter, StudyVisitor, SurveySource};
use crate::pg::{PostgresStore, study_row};
use crate::tables::STUDY_COLUMNS;

/// Studies fetched from the portal at a time.
const PAGE: i32 = 64;

/// Dates are stored as `YYYY-MM-DD`: anything of the last day sorts before `~`.
const WHERE: &str = "WHERE ($1::text IS NULL OR template = $1)
    AND ($2::text IS NULL OR study_date COLLATE \"C\" >= $2)
    AND ($3::text IS NULL OR study_date COLLATE \"C\" <= $3)";

fn params(filter: &StudyFilter) -> [Option<String>; 3] {
    [
        filter.template.clone(),
        filter.from.map(|d| d.to_string()),
        filter.to.map(|d| format!("{d}~")),
    ]
}

impl SurveySource for PostgresStore {
    fn count_studies(&self, filter: &StudyFilter) -> Result<u64, StoreError> {
        let mut n = 0u64;
        self.for_each_row(
            filter,
            &mut |_, _| {
                n += 1;
                Ok(())
            },
            false,
        )?;
        Ok(n)
    }

    fn for_each_study(
        &self,
        filter: &StudyFilter,
        each: &mut StudyVisitor<'_>,
    ) -> Result<(), StoreError> {
        self.for_each_row(filter, each, true)
    }
}

impl PostgresStore {
    /// Visits the studies `filter` accepts, ordered by date (none first) then key, with their
    /// reports when `with_reports`.
    fn for_each_row(
        &self,
        filter: &StudyFilter,
        each: &mut StudyVisitor<'_>,
        with_reports: bool,
    ) -> Result<(), StoreError> {
        let mut client = self.client();
        let mut tx = client.transaction()?;
        let select = tx.prepare(&format!(
            "SELECT {} FROM studies {WHERE}
             ORDER BY study_date COLLATE \"C\" NULLS FIRST, study_key COLLATE \"C\"",
            STUDY_COLUMNS.join(", ")
        ))?;
        let reports = tx.prepare(
            "SELECT report_key, report_zlib FROM reports WHERE study_key = $1
             ORDER BY report_key COLLATE \"C\"",
        )?;
        let [template, from, to] = params(filter);
        let portal = tx.bind(&select, &[&template, &from, &to])?;
        loop {
            let page = tx.query_portal(&portal, PAGE)?;
            if page.is_empty() {
                break;
            }
            for r in &page {
                let row = study_row(r)?;
                if !filter.accepts(&row) {
                    continue;
                }
                let mut list = Vec::new();
                if with_reports {
                    for q in tx.query(&reports, &[&row.study_key])? {
                        let key: String = q.try_get(0)?;
                        let stored: Vec<u8> = q.try_get(1)?;
                        list.push(crate::decode_report(&key, &stored)?);
                    }
                }
                each(&row, list)?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}
