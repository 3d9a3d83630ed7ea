//! `rdsr quirks list` and `rdsr quirks explain`, and the quirk files of `--quirks DIR`
//! (loaded at run time; a malformed one is a usage error naming file and line).

mod common;

use std::path::{Path, PathBuf};

use common::{json_lines, rdsr, scratch, stderr, stdout};

const NO_TEMPLATE: &str = "quirks/openrem-746-ge-oec-miniview-no-template.dcm";

/// The ids of the shipped table, in table order.
fn shipped_ids() -> Vec<String> {
    rdsr::quirks::shipped_table()
        .expect("shipped table")
        .entries()
        .iter()
        .map(|e| e.id.clone())
        .collect()
}

/// A directory holding one quirk file `name` with `text`.
fn quirk_dir(test: &str, name: &str, text: &str) -> PathBuf {
    let dir = scratch(test);
    std::fs::write(dir.join(name), text).expect("write quirk file");
    dir
}

fn arg(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp dir")
}

/// A user's quirk for the fixture's device: the Fluoro One reports of `testdata/` call KVP
/// "KVP" (as the standard does), so a `meaning` flag names every KVP item.
const USER_QUIRK: &str = r#"# Our Fluoro One: an example entry (ticket RAD-1).
id = "local-fluoro-one-kvp"
summary = "Fluoro One KVP items"
kind = "wrong-meaning"
reference = "ticket RAD-1"

[match]
manufacturer = "RDSR Test*"
model = "Fluoro One"

[fix]
name = "flag-items"
concept = "113733"
defect = "meaning"
meaning = "KVP"
"#;

#[test]
fn list_shows_the_shipped_table_in_order() {
    let out = rdsr(&["quirks", "list"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let ids = shipped_ids();
    assert_eq!(lines.len(), 1 + ids.len(), "a header and one row per entry");
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        header,
        ["ID", "KIND", "MATCH", "FIX", "REFERENCE", "TESTDATA"]
    );
    let listed: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(listed, ids);
    let row = |id: &str| -> Vec<String> {
        let line = lines
            .iter()
            .find(|l| l.starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("no row for {id}"));
        line.split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect()
    };
    assert_eq!(
        row("openrem-746-ge-oec-miniview-no-template"),
        [
            "openrem-746-ge-oec-miniview-no-template",
            "missing-template-identifier",
            "manufacturer=GE* model=\"OEC Elite MiniView*\"",
            "assume-template(template=10001)",
            "OpenREM #746",
            "testdata/quirks/openrem-746-ge-oec-miniview-no-template.dcm"
        ]
    );
    assert_eq!(
        row("canon-cxdi-empty-dose-items"),
        [
            "canon-cxdi-empty-dose-items",
            "empty-value",
            "manufacturer=Canon* model=CXDI*",
            "flag-items(concept=\"113738 113725\", defect=empty-value)",
            "OpenREM 0.10.0 test file DX-RDSR-Canon_CXDI.dcm",
            "testdata/quirks/canon-cxdi-empty-dose-items.dcm"
        ]
    );
    assert_eq!(
        row("cp-1676-laterality-under-anatomical-structure")[2],
        "any device"
    );
    insta::assert_snapshot!("list", text);
}

#[test]
fn list_verbose_adds_summary_and_file() {
    let out = rdsr(&["quirks", "list", "--verbose"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "\n    summary: GE OEC Elite MiniView declares no template identifier\n    file: quirks/50-openrem-746-ge-oec-miniview-no-template.toml\n"
        ),
        "{text}"
    );
    assert_eq!(text.matches("\n    summary: ").count(), shipped_ids().len());
}

#[test]
fn list_json_one_entry_per_line() {
    let out = rdsr(&["quirks", "list", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let entries = json_lines(&out);
    let ids: Vec<&str> = entries
        .iter()
        .map(|e| e["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, shipped_ids());
    let e = entries
        .iter()
        .find(|e| e["id"] == "hologic-detector-data-available-code")
        .expect("entry");
    assert_eq!(
        *e,
        serde_json::json!({
            "id": "hologic-detector-data-available-code",
            "summary": "Hologic X-Ray Detector Data Available coded 113745",
            "kind": "wrong-meaning",
            "match": {
                "manufacturer": "HOLOGIC*",
                "model": null,
                "software_version": null,
                "sop_class": null,
                "device_observer_uid": null
            },
            "fix": "concept-alias",
            "params": {
                "meaning": "X-Ray Detector Data Available",
                "means": "113945",
                "scheme": "DCM",
                "value": "113745"
            },
            "reference": "OpenREM 0.10.0 test file MG-RDSR-Hologic_2D.dcm",
            "testdata": "testdata/quirks/hologic-detector-data-available-code.dcm",
            "source": "quirks/50-hologic-detector-data-available-code.toml"
        })
    );
}

#[test]
fn list_includes_user_quirk_directories() {
    let dir = quirk_dir("quirks-list-user", "fluoro-one.toml", USER_QUIRK);
    let with_shipped = rdsr(&["quirks", "list", "--quirks", arg(&dir)]);
    let alone = rdsr(&[
        "quirks",
        "list",
        "--no-shipped-quirks",
        "--quirks",
        arg(&dir),
    ]);
    std::fs::remove_dir_all(&dir).expect("remove scratch directory");
    assert_eq!(
        with_shipped.status.code(),
        Some(0),
        "{}",
        stderr(&with_shipped)
    );
    let lines: Vec<&str> = stdout(&with_shipped).lines().collect();
    assert_eq!(lines.len(), 2 + shipped_ids().len());
    // User entries come after the shipped ones.
    let last = lines.last().expect("a row");
    let cells: Vec<&str> = last
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells,
        [
            "local-fluoro-one-kvp",
            "wrong-meaning",
            "manufacturer=\"RDSR Test*\" model=\"Fluoro One\"",
            "flag-items(concept=113733, defect=meaning, meaning=KVP)",
            "ticket RAD-1",
            "-"
        ]
    );
    assert_eq!(alone.status.code(), Some(0), "{}", stderr(&alone));
    assert_eq!(stdout(&alone).lines().count(), 2);
}

#[test]
fn explain_a_file_entry_by_entry() {
    let out = rdsr(&["quirks", "explain", NO_TEMPLATE]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], format!("== {NO_TEMPLATE}"));
    assert_eq!(
        &lines[1..7],
        [
            "device",
            "  manufacturer     GE Hualun Medical Systems, Co. Ltd",
            "  model            OEC Elite MiniView",
            "  software         1.1.1.1",
            "  SOP class        1.2.840.10008.5.1.4.1.1.88.67",
            "  device observer  1.2.826.0.1.3680043.10.1234.20.15887695481919017189",
        ]
    );
    assert!(lines[7].starts_with(&format!("quirks ({} entries, ", shipped_ids().len())));
    let entry = |id: &str| -> Vec<String> {
        let at = lines
            .iter()
            .position(|l| l.starts_with(&format!("  {id}  ")))
            .unwrap_or_else(|| panic!("no line for {id} in\n{text}"));
        let mut block = vec![
            lines[at]
                .split_whitespace()
                .skip(1)
                .collect::<Vec<_>>()
                .join(" "),
        ];
        block.extend(
            lines[at + 1..]
                .iter()
                .take_while(|l| l.starts_with("    "))
                .map(|l| l.trim().to_string()),
        );
        block
    };
    assert_eq!(
        entry("openrem-746-ge-oec-miniview-no-template"),
        [
            "matched",
            "at 1: no Content Template Sequence -> mapped as TID 10001"
        ]
    );
    // The generic entry matches any device, but the specific one already set the template.
    assert_eq!(
        entry("missing-template-identifier"),
        ["matched", "nothing to change"]
    );
    assert_eq!(
        entry("canon-cxdi-empty-dose-items"),
        ["no match: manufacturer \"Canon*\" vs \"GE Hualun Medical Systems, Co. Ltd\""]
    );
    assert_eq!(
        entry("openrem-770-opera-swing-calibration-date-without-value"),
        ["no match: model \"*Opera*Swing*\" vs \"OEC Elite MiniView\""]
    );
    insta::assert_snapshot!("explain", text);
}

/// A match key the device has no value for: `(none)`.
#[test]
fn explain_a_missing_value_says_none() {
    let dir = quirk_dir(
        "quirks-explain-none",
        "sw.toml",
        r#"id = "local-helix-software"
summary = "Helix 64 with software 9"
kind = "empty-value"
reference = "ticket RAD-2"
[match]
software_version = "9.*"
[fix]
name = "flag-items"
concept = "113733"
defect = "empty-value"
"#,
    );
    // The CT fixture without its Software Versions (0018,1020).
    let file = dir.join("no-software.dcm");
    rdsr_builder::testdata::ct_minimal()
        .remove_attr(dicom_core::Tag(0x0018, 0x1020))
        .write_file(&file)
        .expect("write report");
    let out = rdsr(&[
        "quirks",
        "explain",
        "--no-shipped-quirks",
        "--quirks",
        arg(&dir),
        arg(&file),
    ]);
    std::fs::remove_dir_all(&dir).expect("remove scratch directory");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("\n  software         -\n"), "{text}");
    assert!(
        text.contains("\nquirks (1 entry, 0 matched)\n  local-helix-software  no match: software_version \"9.*\" vs (none)\n"),
        "{text}"
    );
}

#[test]
fn explain_json_disabled_and_strict() {
    let out = rdsr(&[
        "quirks",
        "explain",
        "--json",
        "--disable-quirk",
        "missing-template-identifier",
        NO_TEMPLATE,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let records = json_lines(&out);
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r["file"], NO_TEMPLATE);
    assert_eq!(r["device"]["model"], "OEC Elite MiniView");
    assert_eq!(r["device"]["software_version"], "1.1.1.1");
    assert_eq!(r["strict"], false);
    assert!(r.get("strict_error").is_none());
    let entries = r["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), shipped_ids().len());
    let find = |id: &str| {
        entries
            .iter()
            .find(|e| e["id"] == id)
            .unwrap_or_else(|| panic!("no entry {id}"))
    };
    assert_eq!(
        *find("openrem-746-ge-oec-miniview-no-template"),
        serde_json::json!({
            "id": "openrem-746-ge-oec-miniview-no-template",
            "status": "matched",
            "changes": [{
                "path": "1",
                "field": "Content Template Sequence (0040,A504)",
                "before": "no Content Template Sequence",
                "after": "mapped as TID 10001"
            }]
        })
    );
    assert_eq!(
        *find("canon-cxdi-empty-dose-items"),
        serde_json::json!({
            "id": "canon-cxdi-empty-dose-items",
            "status": "no_match",
            "miss": {
                "key": "manufacturer",
                "pattern": "Canon*",
                "actual": "GE Hualun Medical Systems, Co. Ltd"
            },
            "changes": []
        })
    );
    assert_eq!(find("missing-template-identifier")["status"], "disabled");

    // Strict mode: the same verdicts, plus why the report cannot be read without the fix.
    let out = rdsr(&["quirks", "explain", "--strict", NO_TEMPLATE]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "\n  openrem-746-ge-oec-miniview-no-template                 matched (strict mode: not applied)\n    at 1: no Content Template Sequence -> mapped as TID 10001\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\nstrict mode: the report cannot be read: content item 1: unsupported: GE OEC Elite MiniView declares no template identifier"),
        "{text}"
    );
    let human = rdsr(&[
        "quirks",
        "explain",
        "--disable-quirk",
        "missing-template-identifier",
        NO_TEMPLATE,
    ]);
    assert!(
        stdout(&human).contains("\n  missing-template-identifier                             disabled (matches this device)\n"),
        "{}",
        stdout(&human)
    );
}

#[test]
fn explain_reports_files_it_cannot_read() {
    let out = rdsr(&["quirks", "explain", "non_dose_sr.dcm", "ct_minimal.dcm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("== ct_minimal.dcm\n"));
    assert!(
        stderr(&out).starts_with("rdsr: non_dose_sr.dcm: not a dose report: "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_user_quirk_is_explained_and_applied() {
    let dir = quirk_dir("quirks-explain-user", "fluoro-one.toml", USER_QUIRK);
    let explain = rdsr(&[
        "quirks",
        "explain",
        "--quirks",
        arg(&dir),
        "projection_minimal.dcm",
    ]);
    let dump = rdsr(&[
        "dump",
        "--report",
        "--quirks",
        arg(&dir),
        "projection_minimal.dcm",
    ]);
    std::fs::remove_dir_all(&dir).expect("remove scratch directory");
    assert_eq!(explain.status.code(), Some(0), "{}", stderr(&explain));
    let text = stdout(&explain);
    assert!(
        text.contains(
            "  local-fluoro-one-kvp                                    matched\n    at 1.11.9: meaning \"KVP\" -> matched by code 113733 (standard meaning \"KVP\")\n    at 1.12.9: meaning \"KVP\" -> matched by code 113733 (standard meaning \"KVP\")\n"
        ),
        "{text}"
    );
    assert_eq!(dump.status.code(), Some(0), "{}", stderr(&dump));
    assert!(
        stdout(&dump).contains(
            "\n  quirk local-fluoro-one-kvp (wrong-meaning, ticket RAD-1): Fluoro One KVP items\n    at 1.11.9: meaning \"KVP\" -> matched by code 113733 (standard meaning \"KVP\")\n    at 1.12.9: meaning \"KVP\" -> matched by code 113733 (standard meaning \"KVP\")\n"
        ),
        "{}",
        stdout(&dump)
    );
}

/// A malformed file in a `--quirks` directory stops every command before it reads
/// anything: exit status 2, the file and line named.
#[test]
fn malformed_quirk_files_are_usage_errors_with_file_and_line() {
    let cases: [(&str, String, usize, &str); 5] = [
        (
            "kind",
            USER_QUIRK.replace("\"wrong-meaning\"", "\"wrong\""),
            4,
            "unknown kind \"wrong\" (one of: missing-template-identifier, ",
        ),
        (
            "fix",
            USER_QUIRK.replace("\"flag-items\"", "\"flag-itemz\""),
            12,
            "unknown fix \"flag-itemz\" (known: assume-template, ",
        ),
        (
            "params",
            USER_QUIRK.replace("defect = \"meaning\"", "defect = \"meanin\""),
            11,
            "fix flag-items: defect \"meanin\" is not one of ",
        ),
        (
            "duplicate",
            USER_QUIRK.replace("local-fluoro-one-kvp", "missing-template-identifier"),
            2,
            "quirk id \"missing-template-identifier\" already defined in quirks/90-missing-template-identifier.toml",
        ),
        (
            "syntax",
            USER_QUIRK.replace("model = \"Fluoro One\"", "model = Fluoro One"),
            9,
            "value of model must be a double-quoted string",
        ),
    ];
    for (name, text, line, message) in cases {
        let dir = quirk_dir(&format!("quirks-bad-{name}"), "bad.toml", &text);
        let d = arg(&dir);
        let expected = format!(
            "error: --quirks {d}: {}:{line}: {message}",
            dir.join("bad.toml").display()
        );
        for args in [
            &["quirks", "list", "--quirks", d][..],
            &["quirks", "explain", "--quirks", d, "ct_minimal.dcm"],
            &["dump", "--report", "--quirks", d, "ct_minimal.dcm"],
            &["studies", "--quirks", d, "ct_minimal.dcm"],
        ] {
            let out = rdsr(args);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{name} {args:?}: {}",
                stderr(&out)
            );
            assert_eq!(stdout(&out), "", "{name} {args:?}");
            assert!(
                stderr(&out).starts_with(&expected),
                "{name} {args:?}: expected {expected:?}, got\n{}",
                stderr(&out)
            );
            assert!(stderr(&out).contains("--help"), "{name} {args:?}");
        }
        std::fs::remove_dir_all(&dir).expect("remove scratch directory");
    }
    // The same id in the shipped table is fine when the shipped table is off.
    let dir = quirk_dir(
        "quirks-bad-unshipped",
        "ok.toml",
        &USER_QUIRK.replace("local-fluoro-one-kvp", "missing-template-identifier"),
    );
    let out = rdsr(&[
        "quirks",
        "list",
        "--no-shipped-quirks",
        "--quirks",
        arg(&dir),
    ]);
    std::fs::remove_dir_all(&dir).expect("remove scratch directory");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn other_usage_errors() {
    let out = rdsr(&["quirks", "list", "--quirks", "/nonexistent/rdsr-quirks"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: --quirks /nonexistent/rdsr-quirks: "),
        "{}",
        stderr(&out)
    );
    let out = rdsr(&[
        "quirks",
        "explain",
        "--disable-quirk",
        "nope",
        "ct_minimal.dcm",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with(
            "error: --disable-quirk nope: no quirk with this id in the table (`rdsr quirks list` shows the ids)"
        ),
        "{}",
        stderr(&out)
    );
    for args in [
        &["quirks"][..],
        &["quirks", "explain"],
        &["quirks", "frobnicate"],
    ] {
        let out = rdsr(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(stdout(&out), "", "{args:?}");
    }
}

#[test]
fn a_missing_quirk_folder_is_a_usage_error_with_its_os_cause_once() {
    let out = rdsr(&["quirks", "list", "--quirks", "/nonexistent/rdsr-quirks"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let first = err.lines().next().unwrap_or_default();
    let cause = first
        .strip_prefix("error: --quirks /nonexistent/rdsr-quirks: cannot read the folder: ")
        .unwrap_or_else(|| panic!("{err}"));
    assert!(!cause.is_empty(), "{err}");
    assert_eq!(err.matches(cause).count(), 1, "{err}");
}
