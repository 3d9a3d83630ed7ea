//! Lint over the shipped quirk table (`quirks/*.toml`, as embedded in the library): every
//! file parses, is named `NN-<id>.toml` and has a comment (the bug link) above its id; ids
//! are unique; every entry selects a known fix with valid parameters and a valid kind; every
//! shipped fix is used; and every entry names an existing fixture whose report it changes
//! when enabled and leaves alone when disabled. Each failure names the file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rdsr::Options;
use rdsr::quirks::{FixRegistry, NonConformance, QuirkConfig, QuirkEntry, QuirkTable};

/// Every shipped entry with its file name, each file parsed on its own.
fn entries() -> Vec<(&'static str, QuirkEntry)> {
    rdsr::quirks::shipped_files()
        .iter()
        .map(|(name, text)| {
            let table = QuirkTable::parse(&format!("quirks/{name}"), text)
                .unwrap_or_else(|e| panic!("quirks/{name}: does not parse: {e}"));
            let entry = table
                .entries()
                .first()
                .cloned()
                .unwrap_or_else(|| panic!("quirks/{name}: no entry"));
            (*name, entry)
        })
        .collect()
}

#[test]
fn the_table_is_not_empty_and_parses_as_a_whole() {
    let files = rdsr::quirks::shipped_files();
    assert!(files.len() >= 22, "only {} quirk files", files.len());
    let table = rdsr::quirks::shipped_table().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(table.entries().len(), files.len());
    for ((name, _), entry) in files.iter().zip(table.entries()) {
        assert_eq!(entry.source, format!("quirks/{name}"));
    }
}

#[test]
fn every_file_parses() {
    for (name, text) in rdsr::quirks::shipped_files() {
        assert!(name.ends_with(".toml"), "quirks/{name}: not a .toml file");
        if let Err(e) = QuirkTable::parse(&format!("quirks/{name}"), text) {
            panic!("quirks/{name}: {e}");
        }
    }
}

#[test]
fn ids_are_unique() {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (name, e) in entries() {
        if let Some(first) = seen.insert(e.id.clone(), name) {
            panic!("quirks/{name}: id {} already used by quirks/{first}", e.id);
        }
    }
}

#[test]
fn file_name_is_two_digits_dash_id() {
    for (name, e) in entries() {
        let (prefix, rest) = name
            .split_once('-')
            .unwrap_or_else(|| panic!("quirks/{name}: not named NN-<id>.toml"));
        assert!(
            prefix.len() == 2 && prefix.bytes().all(|b| b.is_ascii_digit()),
            "quirks/{name}: does not start with two digits and a dash"
        );
        assert_eq!(
            rest,
            format!("{}.toml", e.id),
            "quirks/{name}: file name does not match id {}",
            e.id
        );
    }
}

#[test]
fn every_fix_is_known_with_valid_kind_and_params() {
    let registry = FixRegistry::shipped();
    for (name, e) in entries() {
        let fix = registry.get(&e.fix).unwrap_or_else(|| {
            panic!(
                "quirks/{name}: unknown fix {:?} (known: {})",
                e.fix,
                registry.names().collect::<Vec<_>>().join(", ")
            )
        });
        assert!(
            NonConformance::ALL.contains(&e.kind),
            "quirks/{name}: kind {} is not a NonConformance",
            e.kind
        );
        if let Err(m) = fix.check_params(&e.params) {
            panic!("quirks/{name}: fix {}: {m}", e.fix);
        }
        assert!(!e.summary.trim().is_empty(), "quirks/{name}: empty summary");
        assert!(
            !e.reference.trim().is_empty(),
            "quirks/{name}: empty reference"
        );
    }
    let config = QuirkConfig::default();
    if let Err(e) = config.table() {
        panic!("the default quirk configuration is rejected: {e}");
    }
}

#[test]
fn every_shipped_fix_is_used() {
    let used: BTreeSet<String> = entries().into_iter().map(|(_, e)| e.fix).collect();
    for fix in FixRegistry::shipped().names() {
        assert!(
            used.contains(fix),
            "shipped fix {fix} is selected by no file in quirks/"
        );
    }
}

#[test]
fn every_entry_names_an_existing_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, e) in entries() {
        let want = format!("testdata/quirks/{}.dcm", e.id);
        let testdata = e
            .testdata
            .as_deref()
            .unwrap_or_else(|| panic!("quirks/{name}: no testdata (want {want:?})"));
        assert_eq!(testdata, want, "quirks/{name}: testdata path");
        assert!(
            root.join(testdata).is_file(),
            "quirks/{name}: {testdata} does not exist; add it to builder/src/testdata.rs and \
             run `cargo run --example write_testdata`"
        );
    }
}

#[test]
fn every_entry_matches_its_fixture_device() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, e) in entries() {
        let Some(testdata) = e.testdata.as_deref() else {
            panic!("quirks/{name}: no testdata");
        };
        let bytes = std::fs::read(root.join(testdata))
            .unwrap_or_else(|err| panic!("quirks/{name}: {testdata}: {err}"));
        let doc = rdsr::read_document(&bytes)
            .unwrap_or_else(|err| panic!("quirks/{name}: {testdata}: {err}"));
        let device = rdsr::quirks::device_of(&doc);
        if let Some(miss) = e.matches.miss(&device) {
            panic!(
                "quirks/{name}: [match] {} = {:?} does not hold for {testdata} ({:?})",
                miss.key, miss.pattern, miss.actual
            );
        }
    }
}

#[test]
fn every_entry_changes_its_fixture_only_when_enabled() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, e) in entries() {
        let Some(testdata) = e.testdata.as_deref() else {
            panic!("quirks/{name}: no testdata");
        };
        let file = root.join(testdata);
        let enabled = Options::new()
            .parse_file(&file)
            .unwrap_or_else(|err| panic!("quirks/{name}: {testdata}: {err}"));
        let disabled = Options::new()
            .disable_quirk(e.id.clone())
            .unwrap_or_else(|err| panic!("quirks/{name}: {err}"))
            .parse_file(&file)
            .unwrap_or_else(|err| panic!("quirks/{name}: {testdata} with it disabled: {err}"));
        assert!(
            enabled.applied_quirks.iter().any(|q| q.id == e.id),
            "quirks/{name}: not applied to {testdata} (applied: {:?})",
            enabled.applied_quirks
        );
        assert!(
            !disabled.applied_quirks.iter().any(|q| q.id == e.id),
            "quirks/{name}: applied to {testdata} although disabled"
        );
        assert_ne!(
            enabled, disabled,
            "quirks/{name}: enabling it does not change the report of {testdata}"
        );
    }
}

#[test]
fn every_entry_has_a_comment_above_its_id() {
    for (name, text) in rdsr::quirks::shipped_files() {
        let lines: Vec<&str> = text.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.split_once('=').is_some_and(|(key, _)| key.trim() == "id"))
            .unwrap_or_else(|| panic!("quirks/{name}: no id line"));
        let above = at
            .checked_sub(1)
            .and_then(|i| lines.get(i))
            .map(|l| l.trim());
        assert!(
            above.is_some_and(|l| l.starts_with('#') && l.len() > 1),
            "quirks/{name}: no comment line (the bug link) directly above `id`"
        );
    }
}
