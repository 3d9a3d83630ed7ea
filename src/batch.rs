//! Many files at once: on every core with the default `parallel` feature (rayon), in order
//! either way.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::model::DoseReport;
use crate::parse::Options;

/// Every regular file below `dir` (recursively, sorted by path; symbolic links to
/// directories are not followed). The walk is iterative.
pub fn files_in(dir: impl AsRef<Path>) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    let mut pending = vec![dir.as_ref().to_path_buf()];
    while let Some(d) = pending.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| Error::from_io(e, &d))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::from_io(e, &d))?;
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => pending.push(path),
                Ok(t) if t.is_file() => out.push(path),
                Ok(t) if t.is_symlink() && path.is_file() => out.push(path),
                _ => {}
            }
        }
    }
    out.sort();
    Ok(out)
}

/// One file of a batch and what reading it gave.
pub type FileResult = (PathBuf, Result<DoseReport, Error>);

impl Options {
    /// Reads many files, in parallel with the `parallel` feature; results in the order of
    /// `paths`, each error naming its file.
    pub fn parse_files<P: AsRef<Path> + Sync>(
        &self,
        paths: &[P],
    ) -> Vec<Result<DoseReport, Error>> {
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            paths.par_iter().map(|p| self.parse_file(p)).collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            paths.iter().map(|p| self.parse_file(p)).collect()
        }
    }

    /// Reads every file below a directory (see [`files_in`]) with [`Options::parse_files`].
    pub fn parse_dir(&self, dir: impl AsRef<Path>) -> Result<Vec<FileResult>, Error> {
        let files = files_in(dir)?;
        let reports = self.parse_files(&files);
        Ok(files.into_iter().zip(reports).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_dir_reads_testdata_in_order() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let results = Options::new()
            .parse_dir(&dir)
            .expect("testdata is readable");
        let paths: Vec<&PathBuf> = results.iter().map(|(p, _)| p).collect();
        let mut sorted = paths.clone();
        sorted.sort();
        assert_eq!(paths, sorted);
        let ok = results.iter().filter(|(_, r)| r.is_ok()).count();
        assert!(ok >= 6, "{ok} reports read");
        let minimal = results
            .iter()
            .find(|(p, _)| p.ends_with("projection_minimal.dcm"))
            .and_then(|(_, r)| r.as_ref().ok())
            .expect("projection_minimal.dcm is read");
        assert_eq!(minimal.irradiation_events, 2);
        for (p, r) in &results {
            if let Err(e) = r {
                assert_eq!(e.location().file.as_deref(), Some(p.as_path()), "{e}");
            }
        }
    }
}
