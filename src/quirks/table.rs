//! The quirk table: parsing of quirk files and device matching.
//!
//! A quirk file is a small TOML document (a subset: `key = "string"` lines, `[match]` and
//! `[fix]` tables, `#` comments). Anything outside that subset, an unknown key, a missing
//! required key or an unknown kind makes the whole table fail, with the file and line.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

pub use crate::error::{QuirkError, QuirkErrorKind};
pub use crate::model::quirk::NonConformance;

/// A case-insensitive glob: `*` any run of characters, `?` one character.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Glob(String);

impl Glob {
    /// A glob from its pattern.
    pub fn new(pattern: &str) -> Glob {
        Glob(pattern.to_string())
    }

    /// The pattern.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `text` matches (ASCII case-insensitively), iteratively: no recursion.
    pub fn matches(&self, text: &str) -> bool {
        let p: Vec<char> = self.0.chars().flat_map(char::to_lowercase).collect();
        let t: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
        let (mut pi, mut ti) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        while ti < t.len() {
            match p.get(pi) {
                Some('*') => {
                    star = Some((pi, ti));
                    pi += 1;
                }
                Some(&c) if c == '?' || Some(&c) == t.get(ti) => {
                    pi += 1;
                    ti += 1;
                }
                _ => match star {
                    Some((sp, st)) => {
                        pi = sp + 1;
                        ti = st + 1;
                        star = Some((sp, st + 1));
                    }
                    None => return false,
                },
            }
        }
        p.get(pi..)
            .is_some_and(|rest| rest.iter().all(|&c| c == '*'))
    }
}

/// The device a report comes from, as quirk entries match it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Device {
    /// Manufacturer (0008,0070).
    pub manufacturer: Option<String>,
    /// Manufacturer's Model Name (0008,1090).
    pub model: Option<String>,
    /// Software Versions (0018,1020).
    pub software_version: Option<String>,
    /// SOP Class UID.
    pub sop_class: Option<String>,
    /// Device Observer UID of the root observer context.
    pub device_observer_uid: Option<String>,
}

/// The match keys of one entry; every given key must hold, none given = any device.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Match {
    /// Manufacturer glob.
    pub manufacturer: Option<Glob>,
    /// Model name glob.
    pub model: Option<Glob>,
    /// Software version glob.
    pub software_version: Option<Glob>,
    /// SOP Class UID glob.
    pub sop_class: Option<Glob>,
    /// Device observer UID glob.
    pub device_observer_uid: Option<Glob>,
}

/// Why a key did not match, for `rdsr quirks explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Miss {
    /// The key.
    pub key: &'static str,
    /// The pattern.
    pub pattern: String,
    /// What the device has.
    pub actual: Option<String>,
}

impl Match {
    fn keys(&self) -> [(&'static str, Option<&Glob>); 5] {
        [
            ("manufacturer", self.manufacturer.as_ref()),
            ("model", self.model.as_ref()),
            ("software_version", self.software_version.as_ref()),
            ("sop_class", self.sop_class.as_ref()),
            ("device_observer_uid", self.device_observer_uid.as_ref()),
        ]
    }

    /// Whether no key is given (a structural quirk that applies to any device).
    pub fn is_any(&self) -> bool {
        self.keys().iter().all(|(_, g)| g.is_none())
    }

    /// The first key that does not hold for `device`, or `None` when all hold.
    pub fn miss(&self, device: &Device) -> Option<Miss> {
        let actual = [
            device.manufacturer.as_deref(),
            device.model.as_deref(),
            device.software_version.as_deref(),
            device.sop_class.as_deref(),
            device.device_observer_uid.as_deref(),
        ];
        for ((key, glob), actual) in self.keys().into_iter().zip(actual) {
            if let Some(glob) = glob {
                if !actual.is_some_and(|a| glob.matches(a)) {
                    return Some(Miss {
                        key,
                        pattern: glob.0.clone(),
                        actual: actual.map(str::to_string),
                    });
                }
            }
        }
        None
    }
}

/// One quirk: a known vendor defect and the compiled fix that works around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct QuirkEntry {
    /// Unique id (`openrem-746-ge-oec-miniview-no-template`).
    pub id: String,
    /// One line for people.
    pub summary: String,
    /// What kind of non-conformance it is.
    pub kind: NonConformance,
    /// Which devices it applies to.
    #[serde(rename = "match")]
    pub matches: Match,
    /// The name of the compiled fix it selects.
    pub fix: String,
    /// The fix's parameters.
    pub params: BTreeMap<String, String>,
    /// Upstream issue or DICOM CP.
    pub reference: String,
    /// The fixture file that has exactly this defect (relative to the crate root).
    pub testdata: Option<String>,
    /// Where the entry was read from.
    pub source: String,
}

/// An ordered list of quirk entries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct QuirkTable {
    entries: Vec<QuirkEntry>,
}

/// The most entries one table may hold, and the largest quirk file read.
const MAX_ENTRIES: usize = 10_000;
const MAX_FILE: usize = 64 * 1024;

impl QuirkTable {
    /// An empty table.
    pub fn new() -> QuirkTable {
        QuirkTable::default()
    }

    /// The entries, in order.
    pub fn entries(&self) -> &[QuirkEntry] {
        &self.entries
    }

    /// Adds the entries of `other` after these; ids must stay unique.
    pub fn extend(&mut self, other: QuirkTable) -> Result<(), QuirkError> {
        for e in other.entries {
            self.push(e)?;
        }
        Ok(())
    }

    fn push(&mut self, e: QuirkEntry) -> Result<(), QuirkError> {
        if let Some(prev) = self.entries.iter().find(|p| p.id == e.id) {
            return Err(QuirkError::new(
                QuirkErrorKind::DuplicateId,
                e.source.clone(),
                0,
                format!("quirk id {:?} already defined in {}", e.id, prev.source),
            ));
        }
        if self.entries.len() >= MAX_ENTRIES {
            return Err(QuirkError::new(
                QuirkErrorKind::TooManyEntries,
                e.source.clone(),
                0,
                format!("more than {MAX_ENTRIES} quirk entries"),
            ));
        }
        self.entries.push(e);
        Ok(())
    }

    /// Parses one quirk file's text into a one-entry table.
    pub fn parse(file: &str, text: &str) -> Result<QuirkTable, QuirkError> {
        let mut t = QuirkTable::new();
        t.push(parse_entry(file, text)?)?;
        Ok(t)
    }

    /// Reads every `*.toml` file of a directory (sorted by name), failing on the first
    /// malformed one.
    pub fn load_dir(dir: &Path) -> Result<QuirkTable, QuirkError> {
        let folder = dir.display().to_string();
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| QuirkError::io(folder.clone(), "cannot read the folder", e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        let mut t = QuirkTable::new();
        for f in files {
            let name = f.display().to_string();
            let meta = std::fs::metadata(&f)
                .map_err(|e| QuirkError::io(name.clone(), "cannot read the file", e))?;
            if meta.len() > MAX_FILE as u64 {
                return Err(QuirkError::new(
                    QuirkErrorKind::Syntax,
                    name,
                    0,
                    format!("larger than {MAX_FILE} bytes"),
                ));
            }
            let text = std::fs::read_to_string(&f)
                .map_err(|e| QuirkError::io(name.clone(), "cannot read the file", e))?;
            t.extend(QuirkTable::parse(&name, &text)?)?;
        }
        Ok(t)
    }
}

/// Parses a double-quoted string at the start of `raw`; what follows may only be a comment.
fn parse_string(raw: &str) -> Option<String> {
    let mut chars = raw.strip_prefix('"')?.char_indices();
    let mut out = String::new();
    let mut end = None;
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next()?.1 {
                '"' => out.push('"'),
                '\\' => out.push('\\'),
                'n' => out.push('\n'),
                't' => out.push('\t'),
                _ => return None,
            },
            '"' => {
                end = Some(i);
                break;
            }
            c => out.push(c),
        }
    }
    let rest = raw.get(end? + 2..)?.trim();
    (rest.is_empty() || rest.starts_with('#')).then_some(out)
}

fn parse_entry(file: &str, text: &str) -> Result<QuirkEntry, QuirkError> {
    let fail =
        |line: usize, message: String| QuirkError::new(QuirkErrorKind::Syntax, file, line, message);
    if text.len() > MAX_FILE {
        return Err(fail(0, format!("larger than {MAX_FILE} bytes")));
    }
    #[derive(PartialEq)]
    enum Section {
        Top,
        Match,
        Fix,
    }
    let mut section = Section::Top;
    let mut top: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut matches = Match::default();
    let mut fix_name: Option<String> = None;
    let mut params = BTreeMap::new();
    let mut seen_sections = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if l.starts_with('[') {
            section = match l {
                "[match]" => Section::Match,
                "[fix]" => Section::Fix,
                other => return Err(fail(line, format!("unknown table {other}"))),
            };
            if seen_sections.contains(&l) {
                return Err(fail(line, format!("table {l} given twice")));
            }
            seen_sections.push(l);
            continue;
        }
        let Some((key, value)) = l.split_once('=') else {
            return Err(fail(line, format!("expected key = \"value\", found {l:?}")));
        };
        let key = key.trim();
        // A trailing comment after the closing quote is left to `parse_string`, which knows
        // where the string ends (a ` #` inside it, after an escaped quote, is not a comment).
        let value_raw = value.trim();
        let Some(value) = parse_string(value_raw) else {
            return Err(fail(
                line,
                format!("value of {key} must be a double-quoted string, found {value_raw}"),
            ));
        };
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(fail(line, format!("invalid key {key:?}")));
        }
        match section {
            Section::Top => {
                if !matches!(key, "id" | "summary" | "kind" | "reference" | "testdata") {
                    return Err(fail(line, format!("unknown key {key}")));
                }
                if top.insert(key.to_string(), (line, value)).is_some() {
                    return Err(fail(line, format!("{key} given twice")));
                }
            }
            Section::Match => {
                let slot = match key {
                    "manufacturer" => &mut matches.manufacturer,
                    "model" => &mut matches.model,
                    "software_version" => &mut matches.software_version,
                    "sop_class" => &mut matches.sop_class,
                    "device_observer_uid" => &mut matches.device_observer_uid,
                    other => return Err(fail(line, format!("unknown match key {other}"))),
                };
                if slot.replace(Glob::new(&value)).is_some() {
                    return Err(fail(line, format!("match key {key} given twice")));
                }
            }
            Section::Fix => {
                if key == "name" {
                    if fix_name.replace(value).is_some() {
                        return Err(fail(line, "fix name given twice".into()));
                    }
                } else if params.insert(key.to_string(), value).is_some() {
                    return Err(fail(line, format!("fix parameter {key} given twice")));
                }
            }
        }
    }
    let mut take = |key: &str| top.remove(key);
    let required = |v: Option<(usize, String)>, key: &str| {
        v.map(|(_, s)| s)
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| fail(0, format!("missing {key}")))
    };
    let id = required(take("id"), "id")?;
    if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(fail(0, format!("id {id:?} must be lower-case kebab-case")));
    }
    let summary = required(take("summary"), "summary")?;
    let (kind_line, kind) = take("kind").ok_or_else(|| fail(0, "missing kind".into()))?;
    let kind = NonConformance::parse(&kind).ok_or_else(|| {
        fail(
            kind_line,
            format!(
                "unknown kind {kind:?} (one of: {})",
                NonConformance::ALL
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })?;
    let reference = required(take("reference"), "reference")?;
    let testdata = take("testdata").map(|(_, s)| s);
    let fix = fix_name.ok_or_else(|| fail(0, "missing [fix] name".into()))?;
    Ok(QuirkEntry {
        id,
        summary,
        kind,
        matches,
        fix,
        params,
        reference,
        testdata,
        source: file.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
# OpenREM #746
id = "openrem-746-example"
summary = "no template"
kind = "missing-template-identifier"
reference = "OpenREM #746"   # upstream issue
testdata = "testdata/quirks/x.dcm"

[match]
manufacturer = "GE*"
model = "OEC Elite MiniView*"

[fix]
name = "assume-template"
template = "10001"
"#;

    #[test]
    fn parses_a_quirk_file() {
        let t = QuirkTable::parse("x.toml", GOOD).unwrap();
        let e = &t.entries()[0];
        assert_eq!(e.id, "openrem-746-example");
        assert_eq!(e.kind, NonConformance::MissingTemplateIdentifier);
        assert_eq!(e.fix, "assume-template");
        assert_eq!(e.params.get("template").map(String::as_str), Some("10001"));
        assert_eq!(e.reference, "OpenREM #746");
        let dev = Device {
            manufacturer: Some("GE Hualun Medical Systems, Co. Ltd".into()),
            model: Some("OEC Elite MiniView".into()),
            ..Device::default()
        };
        assert_eq!(e.matches.miss(&dev), None);
        let other = Device {
            manufacturer: Some("Siemens".into()),
            ..dev
        };
        assert_eq!(e.matches.miss(&other).map(|m| m.key), Some("manufacturer"));
    }

    #[test]
    fn malformed_files_fail_closed_with_file_and_line() {
        let cases = [
            (
                GOOD.replace("kind = \"missing", "kind = \"nonsense"),
                5,
                "unknown kind",
            ),
            (
                GOOD.replace("model = \"OEC", "modle = \"OEC"),
                11,
                "unknown match key",
            ),
            (
                GOOD.replace("name = \"assume-template\"", "name = assume"),
                14,
                "double-quoted",
            ),
            (GOOD.replace("[fix]", "[fixes]"), 13, "unknown table"),
            (GOOD.replace("summary", "summery"), 4, "unknown key"),
        ];
        for (text, line, what) in cases {
            let e = QuirkTable::parse("bad.toml", &text).unwrap_err();
            assert_eq!(e.file, "bad.toml");
            assert_eq!(e.line, line, "{e}");
            assert!(e.message.contains(what), "{e}");
        }
        let missing = QuirkTable::parse("m.toml", "id = \"x\"\n").unwrap_err();
        assert!(missing.message.contains("missing summary"), "{missing}");
    }

    #[test]
    fn globs() {
        let g = Glob::new("GE*mini?iew*");
        assert!(g.matches("ge hualun OEC Elite MiniView"));
        assert!(!g.matches("GE Healthcare Surgery"));
        assert!(Glob::new("*").matches(""));
        assert!(Glob::new("Azurion").matches("AZURION"));
        assert!(!Glob::new("Azurion").matches("Azurion 7"));
        assert!(Glob::new("a*b*c").matches("aXXbYYc"));
        // Worst case stays linear-ish and terminates.
        assert!(!Glob::new(&"*a".repeat(50)).matches(&"a".repeat(40)));
    }
}
