//! Vendor quirks: a declarative table of known equipment defects, each selecting a compiled
//! fix.
//!
//! The table (`quirks/*.toml` in the crate, embedded at build time, plus any directories a
//! user adds at run time) says *which* devices have *which* defect; the fixes (small compiled
//! functions registered by name in a [`FixRegistry`]) say *how* to read around it. A fix
//! either sets mapping [`Hints`] before the template mapper runs (read a wrongly coded
//! concept as the right one, assume a template) or adjusts the typed records after it (take
//! a value the vendor only sends in a private item). Every change is returned on the report
//! in the [`crate::AppliedQuirk`] of its entry (one per entry, with the entry's summary,
//! reference and kind, so stored reports explain themselves); a fix that finds nothing to
//! change records nothing.
//!
//! In [`crate::Mode::Strict`] no fix is applied: each would-be change becomes a diagnostic,
//! and a defect that blocks mapping (no template) becomes an error.

mod fixes;
mod table;
mod vendor;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use fixes::SHIPPED_FIXES;
pub use table::{
    Device, Glob, Match, Miss, NonConformance, QuirkEntry, QuirkError, QuirkErrorKind, QuirkTable,
};

pub use crate::template::{ConceptAlias, Hints};

use crate::model::DoseReport;
use crate::sr::{Document, codes};

pub use crate::model::quirk::Change;

/// The parameters of a fix, from its quirk entry's `[fix]` table.
pub type Params = BTreeMap<String, String>;

/// What a fix sees.
pub struct FixInput<'a> {
    /// The document.
    pub document: &'a Document<'a>,
    /// The entry's parameters.
    pub params: &'a Params,
}

/// A compiled fix, selected by name from quirk entries.
///
/// Implement it to add fixes of your own and register them with
/// [`crate::Options::register_fix`]; table entries (shipped or user-written) can then select
/// them. Both methods must not panic, and must return exactly the changes they made.
pub trait Fix: Send + Sync {
    /// Before mapping: set hints. Returns the changes that reading with them makes.
    fn prepare(&self, input: &FixInput<'_>, hints: &mut Hints) -> Vec<Change> {
        let _ = (input, hints);
        Vec::new()
    }

    /// After mapping: adjust the typed report.
    fn repair(&self, input: &FixInput<'_>, report: &mut DoseReport) -> Vec<Change> {
        let _ = (input, report);
        Vec::new()
    }

    /// Whether the defect stops the report from being mapped at all when the fix is not
    /// applied (strict mode then fails with an error instead of a diagnostic).
    fn blocking(&self) -> bool {
        false
    }

    /// Checks an entry's parameters when the table is loaded.
    fn check_params(&self, params: &Params) -> Result<(), String> {
        let _ = params;
        Ok(())
    }
}

/// Fixes by name.
#[derive(Clone, Default)]
pub struct FixRegistry {
    fixes: BTreeMap<String, Arc<dyn Fix>>,
}

impl fmt::Debug for FixRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.fixes.keys()).finish()
    }
}

impl FixRegistry {
    /// The fixes this crate ships.
    pub fn shipped() -> FixRegistry {
        let mut r = FixRegistry::default();
        for (name, make) in SHIPPED_FIXES {
            r.fixes.insert((*name).to_string(), make());
        }
        r
    }

    /// Registers (or replaces) a fix under `name`.
    pub fn register(&mut self, name: impl Into<String>, fix: Arc<dyn Fix>) {
        self.fixes.insert(name.into(), fix);
    }

    /// The fix registered under `name`.
    pub fn get(&self, name: &str) -> Option<&Arc<dyn Fix>> {
        self.fixes.get(name)
    }

    /// Every registered name.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.fixes.keys().map(String::as_str)
    }
}

include!(concat!(env!("OUT_DIR"), "/quirk_files.rs"));

/// The quirk files shipped in the crate's `quirks/` folder: `(file name, text)`.
pub fn shipped_files() -> &'static [(&'static str, &'static str)] {
    SHIPPED_QUIRK_FILES
}

/// The shipped table, parsed once. A malformed shipped file is an error for every report
/// (fail closed), never a panic.
pub fn shipped_table() -> Result<&'static QuirkTable, QuirkError> {
    static TABLE: OnceLock<Result<QuirkTable, QuirkError>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            let mut t = QuirkTable::new();
            for (name, text) in SHIPPED_QUIRK_FILES {
                t.extend(QuirkTable::parse(&format!("quirks/{name}"), text)?)?;
            }
            Ok(t)
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// The quirk configuration carried by [`crate::Options`].
#[derive(Debug, Clone)]
pub struct QuirkConfig {
    pub(crate) shipped: bool,
    pub(crate) extra: QuirkTable,
    pub(crate) disabled: BTreeSet<String>,
    pub(crate) registry: FixRegistry,
    /// The effective table, built once per configuration (reset by every change).
    cache: Arc<OnceLock<Result<QuirkTable, QuirkError>>>,
}

impl Default for QuirkConfig {
    fn default() -> Self {
        QuirkConfig {
            shipped: true,
            extra: QuirkTable::new(),
            disabled: BTreeSet::new(),
            registry: FixRegistry::shipped(),
            cache: Arc::default(),
        }
    }
}

impl QuirkConfig {
    /// The effective table: shipped entries (unless turned off) then user entries, each
    /// checked against the fix registry. Built once per configuration.
    pub fn table(&self) -> Result<&QuirkTable, QuirkError> {
        self.cache
            .get_or_init(|| self.build_table())
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Marks the configuration changed.
    pub(crate) fn changed(&mut self) {
        self.cache = Arc::default();
    }

    fn build_table(&self) -> Result<QuirkTable, QuirkError> {
        let mut t = if self.shipped {
            shipped_table()?.clone()
        } else {
            QuirkTable::new()
        };
        t.extend(self.extra.clone())?;
        for e in t.entries() {
            let fix = self.registry.get(&e.fix).ok_or_else(|| {
                QuirkError::new(
                    QuirkErrorKind::UnknownFix,
                    e.source.clone(),
                    0,
                    format!(
                        "quirk {} selects unknown fix {:?} (known: {})",
                        e.id,
                        e.fix,
                        self.registry.names().collect::<Vec<_>>().join(", ")
                    ),
                )
            })?;
            fix.check_params(&e.params).map_err(|m| {
                QuirkError::new(
                    QuirkErrorKind::FixParameters,
                    e.source.clone(),
                    0,
                    format!("quirk {}: {m}", e.id),
                )
            })?;
        }
        Ok(t)
    }

    /// Whether an entry is turned off.
    pub fn is_disabled(&self, id: &str) -> bool {
        self.disabled.contains(id)
    }

    /// The registry.
    pub fn registry(&self) -> &FixRegistry {
        &self.registry
    }

    pub(crate) fn add_dir(&mut self, dir: &Path) -> Result<(), QuirkError> {
        let t = QuirkTable::load_dir(dir)?;
        self.changed();
        self.extra.extend(t)
    }
}

/// The device a document comes from.
pub fn device_of(doc: &Document<'_>) -> Device {
    use dicom_core::Tag;
    let ds = doc.dataset();
    let text = |tag| {
        ds.find(None, tag)
            .and_then(|i| ds.decoded_text(i))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let uid = doc
        .root()
        .children()
        .find(|c| c.is(&codes::DEVICE_OBSERVER_UID))
        .and_then(|c| c.text())
        .map(|s| s.trim().to_string());
    Device {
        manufacturer: text(Tag(0x0008, 0x0070)),
        model: text(Tag(0x0008, 0x1090)),
        software_version: text(Tag(0x0018, 0x1020)),
        sop_class: doc.sop_class_uid().map(str::to_string),
        device_observer_uid: uid,
    }
}

/// How one entry relates to one document, for `rdsr quirks explain`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Explanation {
    /// The entry.
    pub entry: QuirkEntry,
    /// `None` when every match key holds; else the first key that missed.
    pub miss: Option<Miss>,
    /// Whether the entry is turned off in the options.
    pub disabled: bool,
    /// What the fix changed (empty when it did not match or found nothing).
    pub changes: Vec<Change>,
}

/// How every entry of the effective table relates to one document: matched or which key
/// missed, and what each matched fix changed in `report` (the document mapped leniently with
/// `config`; [`crate::Options::explain_quirks`] does both).
pub fn explain(
    doc: &Document<'_>,
    config: &QuirkConfig,
    report: &DoseReport,
) -> Result<Vec<Explanation>, QuirkError> {
    let table = config.table()?;
    let device = device_of(doc);
    Ok(table
        .entries()
        .iter()
        .map(|entry| Explanation {
            entry: entry.clone(),
            miss: entry.matches.miss(&device),
            disabled: config.is_disabled(&entry.id),
            changes: report
                .applied_quirks
                .iter()
                .filter(|q| q.id == entry.id)
                .flat_map(|q| q.changes.iter().cloned())
                .collect(),
        })
        .collect())
}
