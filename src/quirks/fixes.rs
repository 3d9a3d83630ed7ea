//! The compiled fixes quirk entries select, by name.

use std::sync::Arc;

use dicom_core::Tag;

use super::{Change, ConceptAlias, Fix, FixInput, Hints, Params};
use crate::model::Template;
use crate::sr::code::same_scheme;
use crate::sr::{Item, Value, ValueType, codes};
use crate::template::infer_template;

/// Makes a shipped fix.
pub type MakeFix = fn() -> Arc<dyn Fix>;

/// Every shipped fix: `(name, constructor)`.
pub static SHIPPED_FIXES: &[(&str, MakeFix)] = &[
    ("assume-template", || Arc::new(AssumeTemplate)),
    ("concept-alias", || Arc::new(ConceptAliasFix)),
    ("fluoroscopy-equipment", || Arc::new(FluoroscopyEquipment)),
    ("uid-as-text", || Arc::new(UidAsText)),
    ("study-date-fallback", || Arc::new(StudyDateFallback)),
    ("flag-items", || Arc::new(FlagItems)),
    ("empty-sequence", || Arc::new(EmptySequence)),
    ("philips-xper", || Arc::new(super::vendor::PhilipsXper)),
    ("siemens-xml-comment", || {
        Arc::new(super::vendor::SiemensXmlComment)
    }),
    ("siemens-ct-modulation-comment", || {
        Arc::new(super::vendor::SiemensCtModulationComment)
    }),
    ("pre-cp-1676-laterality", || {
        Arc::new(super::vendor::PreCp1676Laterality)
    }),
];

fn param<'p>(p: &'p Params, key: &str) -> Option<&'p str> {
    p.get(key).map(String::as_str)
}

fn require<'p>(p: &'p Params, key: &str) -> Result<&'p str, String> {
    param(p, key).ok_or_else(|| format!("missing fix parameter {key}"))
}

fn describe(item: Item<'_>) -> String {
    item.concept()
        .map_or_else(|| "content item".to_string(), |c| c.to_string())
}

// ---- assume-template ----------------------------------------------------------------------

/// Maps a document without a template identifier with the template its content shows
/// (`template = "infer"`) or the one given (`template = "10001"`). [OpenREM #746](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-746).
struct AssumeTemplate;

impl Fix for AssumeTemplate {
    fn prepare(&self, input: &FixInput<'_>, hints: &mut Hints) -> Vec<Change> {
        let doc = input.document;
        if doc.template_id().is_some() || hints.template.is_some() {
            return Vec::new();
        }
        let template = match param(input.params, "template") {
            Some("10001") => Some(Template::Projection),
            Some("10011") => Some(Template::Ct),
            _ => infer_template(doc),
        };
        let Some(template) = template else {
            return Vec::new();
        };
        let id = template.id().unwrap_or("?").to_string();
        hints.template = Some(template);
        vec![Change {
            path: Some("1".into()),
            field: Some("Content Template Sequence (0040,A504)".into()),
            before: "no Content Template Sequence".into(),
            after: format!("mapped as TID {id}"),
        }]
    }

    fn blocking(&self) -> bool {
        true
    }

    fn check_params(&self, p: &Params) -> Result<(), String> {
        match param(p, "template") {
            None | Some("infer" | "10001" | "10011") => Ok(()),
            Some(other) => Err(format!(
                "template must be infer, 10001 or 10011, not {other}"
            )),
        }
    }
}

// ---- concept-alias ------------------------------------------------------------------------

/// Reads a concept coded `(value, scheme, meaning)` as the concept `means` (a code of the
/// crate's table, `means_scheme` defaulting to DCM). Hologic 113745 / 113945.
struct ConceptAliasFix;

impl ConceptAliasFix {
    fn target(p: &Params) -> Option<crate::sr::CodeConst> {
        let v = param(p, "means")?;
        let s = param(p, "means_scheme").unwrap_or("DCM");
        codes::lookup(v, s).copied()
    }
}

impl Fix for ConceptAliasFix {
    fn prepare(&self, input: &FixInput<'_>, hints: &mut Hints) -> Vec<Change> {
        let p = input.params;
        let (Some(value), Some(meaning), Some(means)) =
            (param(p, "value"), param(p, "meaning"), Self::target(p))
        else {
            return Vec::new();
        };
        let scheme = param(p, "scheme").unwrap_or("DCM");
        let mut changes = Vec::new();
        for item in input.document.items() {
            let Some(c) = item.concept() else { continue };
            if c.value == value
                && same_scheme(c.scheme, scheme)
                && c.meaning.trim().eq_ignore_ascii_case(meaning.trim())
            {
                changes.push(Change {
                    path: Some(item.path().to_string()),
                    field: Some(c.to_string()),
                    before: c.to_string(),
                    after: format!("read as {means}"),
                });
            }
        }
        if !changes.is_empty() {
            hints.concept_aliases.push(ConceptAlias {
                value: value.to_string(),
                scheme: scheme.to_string(),
                meaning: meaning.to_string(),
                means,
            });
        }
        changes
    }

    fn check_params(&self, p: &Params) -> Result<(), String> {
        require(p, "value")?;
        require(p, "meaning")?;
        require(p, "means")?;
        Self::target(p)
            .map(|_| ())
            .ok_or_else(|| "means is not a code of the crate's table".to_string())
    }
}

// ---- fluoroscopy-equipment ----------------------------------------------------------------

/// Treats the equipment as fluoroscopy whatever its Acquisition Device Type says (Philips
/// Azurion declares "Integrated Projection Radiography System", [OpenREM #673](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-673)).
struct FluoroscopyEquipment;

impl Fix for FluoroscopyEquipment {
    fn prepare(&self, input: &FixInput<'_>, hints: &mut Hints) -> Vec<Change> {
        let root = input.document.root();
        let Some(item) = root
            .children()
            .find(|c| c.is(&codes::ACQUISITION_DEVICE_TYPE))
        else {
            return Vec::new();
        };
        let Some(code) = item.code_value() else {
            return Vec::new();
        };
        if code.is(&codes::FLUOROSCOPY_GUIDED_PROJECTION_RADIOGRAPHY_SYSTEM) {
            return Vec::new();
        }
        hints.fluoroscopy_equipment = true;
        vec![Change {
            path: Some(item.path().to_string()),
            field: Some("Acquisition Device Type (122142)".into()),
            before: format!("acquisition device type {code}"),
            after: "treated as fluoroscopy equipment".into(),
        }]
    }
}

// ---- uid-as-text --------------------------------------------------------------------------

/// Accepts a Device Observer UID sent as TEXT (GE surgical C-arms, [OpenREM #739](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-739)).
struct UidAsText;

impl Fix for UidAsText {
    fn prepare(&self, input: &FixInput<'_>, hints: &mut Hints) -> Vec<Change> {
        let changes: Vec<Change> = input
            .document
            .items()
            .filter(|i| i.is(&codes::DEVICE_OBSERVER_UID) && i.value_type() == ValueType::Text)
            .map(|i| Change {
                path: Some(i.path().to_string()),
                field: Some("Device Observer UID (121012)".into()),
                before: format!("Device Observer UID as TEXT {:?}", i.text().unwrap_or("")),
                after: "read as a UID".into(),
            })
            .collect();
        if !changes.is_empty() {
            hints.uid_as_text = true;
        }
        changes
    }
}

// ---- study-date-fallback ------------------------------------------------------------------

/// Takes the study date and time from the content (or series) date and time when the study
/// has none (Varian, [OpenREM #681](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-681)).
struct StudyDateFallback;

impl Fix for StudyDateFallback {
    fn prepare(&self, input: &FixInput<'_>, hints: &mut Hints) -> Vec<Change> {
        let ds = input.document.dataset();
        let has = |t| ds.ascii_of(None, t).is_some();
        let mut changes = Vec::new();
        for (own, name, fallbacks) in [
            (
                Tag(0x0008, 0x0020),
                "Study Date",
                [
                    (Tag(0x0008, 0x0023), "Content Date"),
                    (Tag(0x0008, 0x0021), "Series Date"),
                ],
            ),
            (
                Tag(0x0008, 0x0030),
                "Study Time",
                [
                    (Tag(0x0008, 0x0033), "Content Time"),
                    (Tag(0x0008, 0x0031), "Series Time"),
                ],
            ),
        ] {
            if has(own) {
                continue;
            }
            if let Some((_, from)) = fallbacks.iter().find(|(t, _)| has(*t)) {
                changes.push(Change {
                    path: None,
                    field: Some(format!("{name} {}", crate::load::fmt_tag(own))),
                    before: format!("no {name}"),
                    after: format!("{name} taken from {from}"),
                });
            }
        }
        if !changes.is_empty() {
            hints.study_date_fallback = true;
        }
        changes
    }
}

// ---- flag-items ---------------------------------------------------------------------------

/// Records content items with a defect the mappers read around: `concept` (one or more code
/// values separated by spaces, + `scheme`, default DCM; optional `within`, a container
/// concept) and `defect`: `value-scheme` (+ `value_scheme`: a coded value in that scheme),
/// `empty-value`, `value-type` (+ `value_type`), `meaning` (a meaning that differs from the
/// standard one, or equals `meaning` when given), `private-value-code`, `ds-separator`,
/// `unit` (+ `unit`), `missing` (the `within` container lacks the concept; `within = "root"`
/// for the document root).
struct FlagItems;

const DEFECTS: &[&str] = &[
    "value-scheme",
    "empty-value",
    "value-type",
    "meaning",
    "private-value-code",
    "ds-separator",
    "unit",
    "missing",
];

/// Concepts named by a `concept` parameter: codes of the crate's table are compared by id
/// (no string work per item), others by value and scheme.
struct Concepts<'p> {
    known: Vec<&'static crate::sr::CodeConst>,
    other: Vec<&'p str>,
    scheme: &'p str,
}

impl<'p> Concepts<'p> {
    fn new(values: &'p str, scheme: &'p str) -> Self {
        let mut c = Concepts {
            known: Vec::new(),
            other: Vec::new(),
            scheme,
        };
        for v in values.split_whitespace() {
            match codes::lookup(v, scheme) {
                Some(k) => c.known.push(k),
                None => c.other.push(v),
            }
        }
        c
    }

    fn has(&self, item: Item<'_>) -> bool {
        self.known.iter().any(|k| item.is(k))
            || (!self.other.is_empty()
                && item.concept().is_some_and(|c| {
                    self.other.contains(&c.value) && same_scheme(c.scheme, self.scheme)
                }))
    }
}

/// Whether the item's concept is one of the space-separated code `values` in `scheme`.
fn concept_is(item: Item<'_>, values: &str, scheme: &str) -> bool {
    Concepts::new(values, scheme).has(item)
}

fn empty_value(item: Item<'_>) -> bool {
    match item.value() {
        Value::Code(c) => c.is_none(),
        Value::Num(n) => n.raw.is_none(),
        Value::Text(t)
        | Value::UidRef(t)
        | Value::DateTime(t)
        | Value::Date(t)
        | Value::Time(t)
        | Value::PName(t) => t.is_none_or(|s| s.trim().is_empty()),
        _ => false,
    }
}

impl Fix for FlagItems {
    fn repair(&self, input: &FixInput<'_>, _report: &mut crate::model::DoseReport) -> Vec<Change> {
        let p = input.params;
        let (Some(value), Some(defect)) = (param(p, "concept"), param(p, "defect")) else {
            return Vec::new();
        };
        let scheme = param(p, "scheme").unwrap_or("DCM");
        let within = param(p, "within");
        let doc = input.document;
        let in_scope = |item: Item<'_>| match within {
            None => true,
            Some("root") => item.depth() == 1,
            Some(w) => item.parent().is_some_and(|par| concept_is(par, w, "DCM")),
        };
        if defect == "missing" {
            let containers: Vec<Item<'_>> = match within {
                Some("root") | None => vec![doc.root()],
                Some(w) => doc
                    .items()
                    .filter(|i| concept_is(*i, w, param(p, "within_scheme").unwrap_or("DCM")))
                    .collect(),
            };
            return containers
                .into_iter()
                .filter(|c| !c.children().any(|ch| concept_is(ch, value, scheme)))
                .map(|c| Change {
                    path: Some(c.path().to_string()),
                    field: Some(format!("({value}, {scheme})")),
                    before: format!("{} without ({value}, {scheme})", describe(c)),
                    after: "the value is left empty".into(),
                })
                .collect();
        }
        let concepts = Concepts::new(value, scheme);
        let mut changes = Vec::new();
        for item in doc.items() {
            if !concepts.has(item) || !in_scope(item) {
                continue;
            }
            let standard = item
                .concept()
                .and_then(|c| codes::lookup(c.value, c.scheme))
                .map(|c| c.meaning);
            let change = match defect {
                "value-scheme" => item.code_value().and_then(|v| {
                    let want = param(p, "value_scheme").unwrap_or("");
                    (v.scheme == want).then(|| {
                        (
                            format!("value {v} in scheme {want}"),
                            "read as the equivalent standard scheme".to_string(),
                        )
                    })
                }),
                "empty-value" if empty_value(item) => Some((
                    format!(
                        "{} ({}) without a value",
                        describe(item),
                        item.value_type().as_str()
                    ),
                    "read as no value".to_string(),
                )),
                "value-type" => {
                    let want = param(p, "value_type").unwrap_or("");
                    (item.value_type().as_str() == want).then(|| {
                        (
                            format!("{} as {want}", describe(item)),
                            "value read from the other value type".to_string(),
                        )
                    })
                }
                "meaning" => item.concept().and_then(|c| {
                    let odd = match param(p, "meaning") {
                        Some(m) => c.meaning == m,
                        None => standard.is_some_and(|s| c.meaning != s),
                    };
                    odd.then(|| {
                        (
                            format!("meaning {:?}", c.meaning),
                            format!(
                                "matched by code {} (standard meaning {:?})",
                                c.value,
                                standard.unwrap_or("")
                            ),
                        )
                    })
                }),
                "private-value-code" => item.code_value().and_then(|v| {
                    v.scheme
                        .starts_with("99")
                        .then(|| (format!("private value {v}"), "kept as given".to_string()))
                }),
                "ds-separator" => item.num().and_then(|n| n.raw).and_then(|raw| {
                    raw.contains('/').then(|| {
                        (
                            format!("numeric value {raw:?} with '/' separators"),
                            format!("read as {:?}", raw.replace('/', "\\")),
                        )
                    })
                }),
                "unit" => item.num().and_then(|n| n.unit).and_then(|u| {
                    let want = param(p, "unit").unwrap_or("");
                    (u.value == want).then(|| {
                        (
                            format!("{} in {}", describe(item), u.value),
                            "converted to the canonical unit".to_string(),
                        )
                    })
                }),
                _ => None,
            };
            if let Some((before, after)) = change {
                changes.push(Change {
                    path: Some(item.path().to_string()),
                    field: item.concept().map(|c| c.to_string()),
                    before,
                    after,
                });
            }
        }
        changes
    }

    fn check_params(&self, p: &Params) -> Result<(), String> {
        require(p, "concept")?;
        let d = require(p, "defect")?;
        if !DEFECTS.contains(&d) {
            return Err(format!("defect {d:?} is not one of {}", DEFECTS.join(", ")));
        }
        if d == "value-type" {
            require(p, "value_type")?;
        }
        if d == "unit" {
            require(p, "unit")?;
        }
        if d == "value-scheme" {
            require(p, "value_scheme")?;
        }
        Ok(())
    }
}

// ---- empty-sequence -----------------------------------------------------------------------

/// Records a top-level sequence present with no items (`tag = "0040,0275"`), which some
/// readers trip over (GE RequestAttributesSequence).
struct EmptySequence;

fn parse_tag(s: &str) -> Option<Tag> {
    let (g, e) = s.trim().trim_matches(['(', ')']).split_once(',')?;
    Some(Tag(
        u16::from_str_radix(g.trim(), 16).ok()?,
        u16::from_str_radix(e.trim(), 16).ok()?,
    ))
}

impl Fix for EmptySequence {
    fn repair(&self, input: &FixInput<'_>, _report: &mut crate::model::DoseReport) -> Vec<Change> {
        let Some(tag) = param(input.params, "tag").and_then(parse_tag) else {
            return Vec::new();
        };
        let ds = input.document.dataset();
        match ds.find(None, tag) {
            Some(seq) if ds.children(seq).next().is_none() => vec![Change {
                path: None,
                field: Some(crate::load::fmt_tag(tag)),
                before: format!("{} present with no items", crate::load::fmt_tag(tag)),
                after: "treated as absent".into(),
            }],
            _ => Vec::new(),
        }
    }

    fn check_params(&self, p: &Params) -> Result<(), String> {
        parse_tag(require(p, "tag")?)
            .map(|_| ())
            .ok_or_else(|| "tag must be written GGGG,EEEE".to_string())
    }
}
