//! `rdsr::Options` from the command line: limits and the quirk table, with the quirk files
//! of `--quirks` checked up front (a malformed one is a usage error naming file and line).

use std::collections::BTreeMap;
use std::fmt;

use clap::CommandFactory;
use clap::error::ErrorKind;
use rdsr::quirks::{QuirkEntry, QuirkError, QuirkErrorKind, QuirkTable};

use crate::text::{Chain, Clean};
use crate::{Cli, LimitArgs, QuirkArgs, TableArgs};

/// Prints a usage error for the subcommand at `command` (`["quirks", "explain"]`), with its
/// usage line, and exits with status 2, as clap does for its own errors.
pub fn usage_error(command: &[&str], message: impl fmt::Display) -> ! {
    let mut cli = Cli::command();
    cli.build();
    let sub = command.iter().fold(&mut cli, |c, name| {
        c.find_subcommand_mut(name)
            .expect("usage_error names a subcommand of the CLI")
    });
    sub.error(
        ErrorKind::ValueValidation,
        Clean(&message.to_string()).to_string(),
    )
    .exit()
}

/// Options with the limits and every quirk option of a command that reads reports.
pub fn build(limits: &LimitArgs, quirks: &QuirkArgs, command: &[&str]) -> rdsr::Options {
    let options = rdsr::Options::new()
        .max_depth(limits.max_depth)
        .max_items(limits.max_items)
        .max_input_size(limits.max_input_size)
        .strict(quirks.strict);
    let mut options = with_table(options, &quirks.table, command);
    for id in &quirks.disable_quirk {
        options = match options.disable_quirk(id.clone()) {
            Ok(options) => options,
            Err(e) if e.kind == QuirkErrorKind::UnknownId => usage_error(
                command,
                format_args!(
                    "--disable-quirk {id}: no quirk with this id in the table (`rdsr quirks list` shows the ids)"
                ),
            ),
            Err(e) => usage_error(command, format_args!("quirk table: {}", Chain(&e))),
        };
    }
    options
}

/// Options with the quirk table chosen by `--quirks` and `--no-shipped-quirks`.
pub fn with_table(options: rdsr::Options, args: &TableArgs, command: &[&str]) -> rdsr::Options {
    let mut options = options.shipped_quirks(!args.no_shipped_quirks);
    // Ids defined so far, with the file that defined them.
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    if !args.no_shipped_quirks {
        match rdsr::quirks::shipped_table() {
            Ok(t) => ids.extend(t.entries().iter().map(|e| (e.id.clone(), e.source.clone()))),
            Err(e) => usage_error(command, format_args!("shipped quirk table: {}", Chain(&e))),
        }
    }
    for dir in &args.quirk_dirs {
        let fail = |message: String| -> ! {
            usage_error(
                command,
                format_args!("--quirks {}: {message}", dir.display()),
            )
        };
        let table = QuirkTable::load_dir(dir).unwrap_or_else(|e| {
            // Errors about the directory itself carry its name as the file.
            if e.file == dir.display().to_string() {
                let reason = QuirkError::new(e.kind, "", 0, e.message.clone());
                match e.io_error() {
                    Some(cause) => fail(format!("{reason}: {cause}")),
                    None => fail(reason.to_string()),
                }
            } else {
                fail(Chain(&e).to_string())
            }
        });
        for entry in table.entries() {
            if let Err(e) = check_entry(entry, &options, &ids) {
                fail(Chain(&e).to_string());
            }
            ids.insert(entry.id.clone(), entry.source.clone());
        }
        options = options
            .quirks(table)
            .unwrap_or_else(|e| fail(Chain(&e).to_string()));
    }
    if let Err(e) = options.quirk_config().table() {
        usage_error(command, format_args!("quirk table: {}", Chain(&e)));
    }
    options
}

/// What the library checks only when the whole table is built (an id defined twice, an
/// unknown fix, bad fix parameters), checked per entry so that the error names its line.
fn check_entry(
    entry: &QuirkEntry,
    options: &rdsr::Options,
    ids: &BTreeMap<String, String>,
) -> Result<(), QuirkError> {
    let text = std::fs::read_to_string(&entry.source).unwrap_or_default();
    let fail = |kind, section: Option<&str>, key: Option<&str>, message: String| {
        QuirkError::new(
            kind,
            entry.source.clone(),
            line_of(&text, section, key),
            message,
        )
    };
    if let Some(previous) = ids.get(&entry.id) {
        return Err(fail(
            QuirkErrorKind::DuplicateId,
            None,
            Some("id"),
            format!("quirk id {:?} already defined in {previous}", entry.id),
        ));
    }
    let registry = options.quirk_config().registry();
    let Some(fix) = registry.get(&entry.fix) else {
        return Err(fail(
            QuirkErrorKind::UnknownFix,
            Some("[fix]"),
            Some("name"),
            format!(
                "unknown fix {:?} (known: {})",
                entry.fix,
                registry.names().collect::<Vec<_>>().join(", ")
            ),
        ));
    };
    fix.check_params(&entry.params).map_err(|m| {
        fail(
            QuirkErrorKind::FixParameters,
            Some("[fix]"),
            None,
            format!("fix {}: {m}", entry.fix),
        )
    })
}

/// The 1-based line of `key = ...` in `section` (`None`: the top level), or of the section's
/// header when `key` is `None`; 0 when not found.
fn line_of(text: &str, section: Option<&str>, key: Option<&str>) -> usize {
    let mut current: Option<&str> = None;
    for (n, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.starts_with('[') {
            current = Some(l);
            if key.is_none() && current == section {
                return n + 1;
            }
            continue;
        }
        if let (Some(key), Some((k, _))) = (key, l.split_once('=')) {
            if current == section && k.trim() == key {
                return n + 1;
            }
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_keys_and_sections() {
        let text = "# c\nid = \"x\"\n\n[match]\nmodel = \"a\"\n[fix]\nname = \"y\"\nk = \"v\"\n";
        assert_eq!(line_of(text, None, Some("id")), 2);
        assert_eq!(line_of(text, Some("[fix]"), Some("name")), 7);
        assert_eq!(line_of(text, Some("[fix]"), None), 6);
        assert_eq!(line_of(text, Some("[match]"), Some("name")), 0);
        assert_eq!(line_of("", None, Some("id")), 0);
    }
}
