//! The files a command reads: its FILE arguments, with directories expanded.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// One input to read, or a directory that could not be listed.
#[derive(Debug)]
pub enum Input {
    /// A file (or anything that is not a directory: reading it reports what is wrong).
    File(PathBuf),
    /// A directory (or an entry in one) that could not be listed.
    Unlistable(PathBuf, io::Error),
}

/// Expands the arguments in order. A directory contributes every regular file below it,
/// recursively, sorted by name at each level (so the order is deterministic); symbolic links
/// to files are read, symbolic links to directories are not followed (no cycles). Anything
/// else is passed through as a file, so that a missing file is reported when it is read.
pub fn expand(args: &[PathBuf]) -> Vec<Input> {
    let mut inputs = Vec::with_capacity(args.len());
    for arg in args {
        if fs::metadata(arg).is_ok_and(|m| m.is_dir()) {
            walk(arg, &mut inputs);
        } else {
            inputs.push(Input::File(arg.clone()));
        }
    }
    inputs
}

fn walk(dir: &Path, inputs: &mut Vec<Input>) {
    let entries = match fs::read_dir(dir).and_then(|rd| rd.collect::<io::Result<Vec<_>>>()) {
        Ok(entries) => entries,
        Err(e) => {
            inputs.push(Input::Unlistable(dir.to_path_buf(), e));
            return;
        }
    };
    let mut entries: Vec<_> = entries
        .into_iter()
        .map(|e| (e.file_name(), e.path(), e.file_type()))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, path, file_type) in entries {
        match file_type {
            Ok(t) if t.is_dir() => walk(&path, inputs),
            Ok(t) if t.is_file() => inputs.push(Input::File(path)),
            Ok(t) if t.is_symlink() => match fs::metadata(&path) {
                Ok(m) if m.is_file() => inputs.push(Input::File(path)),
                Ok(_) => {}
                // A dangling link: reading it reports the error.
                Err(_) => inputs.push(Input::File(path)),
            },
            // Sockets, FIFOs, devices: not regular files.
            Ok(_) => {}
            Err(e) => inputs.push(Input::Unlistable(path, e)),
        }
    }
}

/// Reads a whole file, never more than the input size limit + 1 bytes (the reader then
/// reports the limit).
pub fn read_bounded(
    path: &Path,
    options: &rdsr::Options,
    max: u64,
) -> Result<Vec<u8>, rdsr::Error> {
    let io_error = |e| rdsr::Error::from_io(e, path);
    let file = File::open(path).map_err(io_error)?;
    let len = file.metadata().map_err(io_error)?.len();
    if len > max {
        // The library refuses such a file before reading it, with its own message (should
        // the file have shrunk meanwhile, it is read below).
        options.parse_file(path)?;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len.min(max)).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_paths_pass_through_as_files() {
        let missing = PathBuf::from("/nonexistent/rdsr-cli-test");
        let inputs = expand(std::slice::from_ref(&missing));
        assert!(matches!(&inputs[..], [Input::File(p)] if *p == missing));
    }

    #[test]
    fn directories_are_walked_in_sorted_order() {
        let dir = std::env::temp_dir().join(format!("rdsr-cli-walk-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("b")).unwrap();
        fs::create_dir_all(dir.join("a")).unwrap();
        for f in ["b/2", "b/1", "a/z", "c", "a.dcm"] {
            fs::write(dir.join(f), b"x").unwrap();
        }
        let got: Vec<String> = expand(std::slice::from_ref(&dir))
            .into_iter()
            .map(|i| match i {
                Input::File(p) => p.strip_prefix(&dir).unwrap().display().to_string(),
                Input::Unlistable(p, e) => panic!("{}: {e}", p.display()),
            })
            .collect();
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(got, ["a/z", "a.dcm", "b/1", "b/2", "c"]);
    }
}
