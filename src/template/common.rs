//! What every mapper shares: value extraction with diagnostics, the header modules (study,
//! patient, equipment), observer context (TID 1002) and participants (TID 1020 / 1021).

use std::borrow::Cow;

use dicom_core::Tag;

use super::Hints;
use super::units::{Normalised, Quantity, normalise};
use crate::error::{Diagnostic, DiagnosticCode, Severity};
use crate::model::common::{
    DeviceParticipant, Equipment, Observer, ObserverKind, Patient, PatientStudy, PersonParticipant,
    StudyInfo,
};
use crate::model::datetime::{DateTime, parse_date, parse_datetime, parse_time, parse_utc_offset};
use crate::sr::{Code, CodeConst, Document, Item, OwnedCode, Value, ValueType, codes, parse_ds};

/// Extraction state of one mapping run: the document, the hints and the diagnostics.
pub(crate) struct Mapper<'d> {
    pub doc: &'d Document<'d>,
    pub hints: Hints,
    pub diagnostics: Vec<Diagnostic>,
    /// Timezone Offset From UTC (0008,0201) of the report, when well formed: the offset of
    /// every DT value that has none of its own.
    pub timezone_offset: Option<chrono::FixedOffset>,
}

fn describe(item: Item<'_>) -> String {
    item.concept()
        .map_or_else(|| "item".to_string(), |c| format!("{} {}", c.meaning, c))
}

#[allow(dead_code)] // used by the template mappers as they land
impl<'d> Mapper<'d> {
    pub fn new(doc: &'d Document<'d>, hints: Hints) -> Self {
        let mut m = Mapper {
            doc,
            hints,
            diagnostics: Vec::new(),
            timezone_offset: None,
        };
        if let Some(raw) = m.attr_ascii(Tag(0x0008, 0x0201)) {
            m.timezone_offset = parse_utc_offset(raw);
            if m.timezone_offset.is_none() {
                let msg = format!(
                    "Timezone Offset From UTC (0008,0201) {raw:?} is not &ZZXX from -1200 to \
                     +1400; date-times without their own offset stay naive"
                );
                m.header_note(
                    Severity::Warning,
                    crate::error::DiagnosticCode::DatetimeTimezoneOffsetMalformed,
                    msg,
                );
            }
        }
        m
    }

    /// Whether the item's concept is `code`: by code (with its equivalent codings), or by a
    /// concept alias a quirk set. Never by meaning text alone.
    #[inline]
    pub fn is(&self, item: Item<'_>, code: &CodeConst) -> bool {
        item.is(code) || (!self.hints.concept_aliases.is_empty() && self.is_alias(item, code))
    }

    #[inline(never)]
    fn is_alias(&self, item: Item<'_>, code: &CodeConst) -> bool {
        // Aliases of other codes are passed over by id first (a whole-constant comparison
        // only when the ids agree), and the item's concept is read only for a candidate.
        let mut concept = None;
        for a in &self.hints.concept_aliases {
            if a.means.id != code.id || a.means != *code {
                continue;
            }
            let c = match concept {
                Some(c) => c,
                None => match item.concept() {
                    Some(c) => *concept.insert(c),
                    None => return false,
                },
            };
            if c.value == a.value
                && crate::sr::code::same_scheme(c.scheme, &a.scheme)
                && c.meaning.trim().eq_ignore_ascii_case(a.meaning.trim())
            {
                return true;
            }
        }
        false
    }

    /// The first child of `parent` whose concept is `code` (see [`Mapper::is`]).
    pub fn child<'i>(&self, parent: Item<'i>, code: &CodeConst) -> Option<Item<'i>> {
        parent.children().find(|c| self.is(*c, code))
    }

    /// Records a diagnostic about an item.
    pub fn note(&mut self, item: Item<'_>, severity: Severity, code: DiagnosticCode, msg: String) {
        self.diagnostics.push(Diagnostic::new(
            severity,
            Some(item.path().to_string()),
            code,
            msg,
        ));
    }

    fn unit_note(
        &mut self,
        item: Item<'_>,
        q: Quantity,
        n: Normalised,
        unit: Option<Code<'_>>,
        defined: Option<&str>,
    ) {
        let raw = unit.map_or("", |u| u.value);
        let defined = defined.is_some_and(|d| super::units::same_unit(raw, d));
        match n {
            Normalised::Converted { .. } if defined => {}
            Normalised::Converted { factor, .. } => self.note(
                item,
                Severity::Info,
                DiagnosticCode::UnitConverted,
                format!(
                    "{}: {raw} converted to {} (x {factor:e})",
                    describe(item),
                    q.canonical()
                ),
            ),
            Normalised::UnknownUnit(_) => self.note(
                item,
                Severity::Warning,
                DiagnosticCode::UnitUnknown,
                format!(
                    "{}: unit {raw:?} is not a known unit of {}; value kept as {}",
                    describe(item),
                    q.canonical(),
                    q.canonical()
                ),
            ),
            Normalised::Canonical(_) => {}
        }
    }

    /// The single value of a NUM item in the canonical unit of `q`; `None` (with a
    /// diagnostic) when empty, unparseable or multi-valued.
    pub fn num(&mut self, item: Item<'_>, q: Quantity) -> Option<f64> {
        self.num_in(item, q, None)
    }

    /// [`Mapper::num`] for an item whose template defines a unit other than the canonical
    /// one (`defined`): a value in that unit is converted without a diagnostic.
    pub fn num_in(&mut self, item: Item<'_>, q: Quantity, defined: Option<&str>) -> Option<f64> {
        let Some(n) = item.num() else {
            self.note(
                item,
                Severity::Warning,
                DiagnosticCode::NumValueType,
                format!(
                    "{}: expected a NUM, found {}",
                    describe(item),
                    item.value_type().as_str()
                ),
            );
            return None;
        };
        let Some(raw) = n.raw else {
            if !n.empty_measured_value {
                self.note(
                    item,
                    Severity::Info,
                    DiagnosticCode::NumEmpty,
                    format!("{}: no numeric value", describe(item)),
                );
            }
            return None;
        };
        if raw.contains('\\') {
            self.note(
                item,
                Severity::Warning,
                DiagnosticCode::NumMultiValued,
                format!(
                    "{}: several values {raw:?} where one is expected; first kept",
                    describe(item)
                ),
            );
        }
        let first = raw.split('\\').next().unwrap_or("");
        let Some(v) = parse_ds(first) else {
            self.note(
                item,
                Severity::Warning,
                DiagnosticCode::NumUnparseable,
                format!("{}: {raw:?} is not a number", describe(item)),
            );
            return None;
        };
        let norm = normalise(q, v, n.unit.map(|u| u.value));
        self.unit_note(item, q, norm, n.unit, defined);
        if !norm.value().is_finite() {
            self.out_of_range(item, first, q);
            return None;
        }
        Some(norm.value())
    }

    /// A value that overflows to infinity in the canonical unit (`1e308` hours in seconds):
    /// dropped, as a report holds finite numbers only.
    fn out_of_range(&mut self, item: Item<'_>, raw: &str, q: Quantity) {
        self.note(
            item,
            Severity::Warning,
            DiagnosticCode::NumUnparseable,
            format!(
                "{}: {raw:?} is out of range in {}",
                describe(item),
                q.canonical()
            ),
        );
    }

    /// Every value of a (possibly multi-valued) NUM item in the canonical unit of `q`; values
    /// that cannot be parsed are dropped with a diagnostic.
    pub fn nums(&mut self, item: Item<'_>, q: Quantity) -> Vec<f64> {
        self.nums_in(item, q, None)
    }

    /// [`Mapper::nums`] for an item whose template defines a unit other than the canonical
    /// one (`defined`): values in that unit are converted without a diagnostic.
    pub fn nums_in(&mut self, item: Item<'_>, q: Quantity, defined: Option<&str>) -> Vec<f64> {
        let Some(n) = item.num() else {
            return Vec::new();
        };
        let Some(raw) = n.raw else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut first = true;
        for part in raw.split('\\') {
            match parse_ds(part) {
                Some(v) => {
                    let norm = normalise(q, v, n.unit.map(|u| u.value));
                    if first {
                        self.unit_note(item, q, norm, n.unit, defined);
                        first = false;
                    }
                    if norm.value().is_finite() {
                        out.push(norm.value());
                    } else {
                        self.out_of_range(item, part, q);
                    }
                }
                None => self.note(
                    item,
                    Severity::Warning,
                    DiagnosticCode::NumUnparseable,
                    format!("{}: {part:?} is not a number", describe(item)),
                ),
            }
        }
        out
    }

    /// The value of a CODE item; `None` (with a diagnostic) for an empty Concept Code
    /// Sequence or another value type.
    pub fn code(&mut self, item: Item<'_>) -> Option<OwnedCode> {
        match item.value() {
            Value::Code(Some(c)) => Some(c.to_owned_code()),
            Value::Code(None) => {
                self.note(
                    item,
                    Severity::Warning,
                    DiagnosticCode::CodeEmpty,
                    format!("{}: coded value missing", describe(item)),
                );
                None
            }
            _ => {
                self.note(
                    item,
                    Severity::Warning,
                    DiagnosticCode::CodeValueType,
                    format!(
                        "{}: expected a CODE, found {}",
                        describe(item),
                        item.value_type().as_str()
                    ),
                );
                None
            }
        }
    }

    /// The string value of a TEXT, PNAME, UIDREF, DATE, TIME or DATETIME item.
    pub fn text(&mut self, item: Item<'_>) -> Option<String> {
        let t = item.text().map(str::to_string);
        if t.is_none() && item.text().is_none() && !is_texty(item.value_type()) {
            self.note(
                item,
                Severity::Warning,
                DiagnosticCode::TextValueType,
                format!(
                    "{}: expected text, found {}",
                    describe(item),
                    item.value_type().as_str()
                ),
            );
        }
        t
    }

    /// A UID from a UIDREF item; from a TEXT item only when a quirk allows it (GE surgical,
    /// [OpenREM #739](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-739)), else `None` with a diagnostic.
    pub fn uid(&mut self, item: Item<'_>) -> Option<String> {
        match item.value() {
            Value::UidRef(u) => u.map(str::to_string),
            Value::Text(t) if self.hints.uid_as_text => t.map(|s| s.trim().to_string()),
            Value::Text(_) => {
                self.note(
                    item,
                    Severity::Warning,
                    DiagnosticCode::UidValueType,
                    format!("{}: UID written as TEXT; not read", describe(item)),
                );
                None
            }
            _ => self.text(item),
        }
    }

    /// The value of a DATETIME item (a DATE item is read as a date at midnight).
    pub fn datetime(&mut self, item: Item<'_>) -> Option<DateTime> {
        let raw = match item.value() {
            Value::DateTime(d) | Value::Text(d) => d,
            Value::Date(d) => {
                return d
                    .and_then(parse_date)
                    .map(|d| DateTime::from_date_time(d, None));
            }
            _ => None,
        };
        let Some(raw) = raw else {
            self.note(
                item,
                Severity::Warning,
                DiagnosticCode::DatetimeEmpty,
                format!("{}: no date-time value", describe(item)),
            );
            return None;
        };
        let dt = parse_datetime(raw).map(|mut dt| {
            // PS3.5 6.2 (DT): without its own offset, the report's offset applies.
            dt.offset = dt.offset.or(self.timezone_offset);
            dt
        });
        if dt.is_none() {
            self.note(
                item,
                Severity::Warning,
                DiagnosticCode::DatetimeUnparseable,
                format!("{}: {raw:?} is not a DICOM date-time", describe(item)),
            );
        }
        dt
    }

    // ---- Header attributes ----------------------------------------------------------------

    fn attr(&self, tag: Tag) -> Option<Cow<'d, str>> {
        let ds = self.doc.dataset();
        let i = ds.find(None, tag)?;
        ds.decoded_text(i)
    }

    fn attr_string(&self, tag: Tag) -> Option<String> {
        self.attr(tag)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    /// A multi-valued text attribute joined with `" | "`.
    fn attr_joined(&self, tag: Tag) -> Option<String> {
        let s = self.attr(tag)?;
        let parts: Vec<&str> = s
            .split('\\')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if parts.is_empty() {
            None
        } else {
            Some(parts.join(" | "))
        }
    }

    fn attr_ascii(&self, tag: Tag) -> Option<&'d str> {
        self.doc.dataset().ascii_of(None, tag)
    }

    fn attr_code(&self, seq: Tag, parent: Option<u32>) -> Option<OwnedCode> {
        let ds = self.doc.dataset();
        let item = ds.first_item(parent, seq)?;
        let get = |t| {
            ds.find(Some(item), t)
                .and_then(|i| ds.decoded_text(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let code = OwnedCode {
            value: get(Tag(0x0008, 0x0100)),
            scheme: get(Tag(0x0008, 0x0102)),
            meaning: get(Tag(0x0008, 0x0104)),
        };
        if code.value.is_empty() && code.meaning.is_empty() {
            None
        } else {
            Some(code)
        }
    }

    fn header_note(&mut self, severity: Severity, code: DiagnosticCode, msg: String) {
        self.diagnostics
            .push(Diagnostic::new(severity, None, code, msg));
    }

    /// General Study module (PS3.3 C.7.2.1), with the Varian date fallback ([OpenREM #681](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-681)) that never
    /// crashes ([OpenREM B4](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b4)).
    pub fn study(&mut self) -> StudyInfo {
        let date = |m: &Self, t| m.attr_ascii(t).and_then(parse_date);
        let time = |m: &Self, t| m.attr_ascii(t).and_then(parse_time);
        let fallback_allowed = self.hints.study_date_fallback;
        let mut study_date = date(self, Tag(0x0008, 0x0020));
        if study_date.is_none() && !fallback_allowed {
            self.header_note(
                Severity::Warning,
                DiagnosticCode::StudyDateMissing,
                "no Study Date".into(),
            );
        } else if study_date.is_none() {
            let fallback = [
                (Tag(0x0008, 0x0023), "Content Date"),
                (Tag(0x0008, 0x0021), "Series Date"),
            ]
            .into_iter()
            .find_map(|(t, name)| date(self, t).map(|d| (d, name)));
            match fallback {
                Some((d, name)) => {
                    study_date = Some(d);
                    self.header_note(
                        Severity::Info,
                        DiagnosticCode::StudyDateFallback,
                        format!("no Study Date; {name} used"),
                    );
                }
                None => self.header_note(
                    Severity::Warning,
                    DiagnosticCode::StudyDateMissing,
                    "no Study, Content or Series Date".into(),
                ),
            }
        }
        let mut study_time = time(self, Tag(0x0008, 0x0030));
        if study_time.is_none() && !fallback_allowed {
            self.header_note(
                Severity::Warning,
                DiagnosticCode::StudyTimeMissing,
                "no Study Time".into(),
            );
        } else if study_time.is_none() {
            let fallback = [
                (Tag(0x0008, 0x0033), "Content Time"),
                (Tag(0x0008, 0x0031), "Series Time"),
            ]
            .into_iter()
            .find_map(|(t, name)| time(self, t).map(|d| (d, name)));
            match fallback {
                Some((t, name)) => {
                    study_time = Some(t);
                    self.header_note(
                        Severity::Info,
                        DiagnosticCode::StudyTimeFallback,
                        format!("no Study Time; {name} used"),
                    );
                }
                None => self.header_note(
                    Severity::Warning,
                    DiagnosticCode::StudyTimeMissing,
                    "no Study, Content or Series Time".into(),
                ),
            }
        }
        let content_time = time(self, Tag(0x0008, 0x0033));
        let content_date_time = date(self, Tag(0x0008, 0x0023)).map(|d| {
            let mut dt = DateTime::from_date_time(d, content_time);
            dt.offset = self.timezone_offset;
            dt
        });
        let ds = self.doc.dataset();
        let request_item = ds.first_item(None, Tag(0x0040, 0x0275));
        let requested_description = request_item
            .and_then(|i| ds.find(Some(i), Tag(0x0032, 0x1060)))
            .and_then(|i| ds.decoded_text(i))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .or_else(|| self.attr_string(Tag(0x0032, 0x1060)));
        let referring_id = ds
            .first_item(None, Tag(0x0008, 0x0096))
            .and_then(|i| {
                self.attr_code(Tag(0x0040, 0x1101), Some(i))
                    .map(|c| c.meaning)
                    .or_else(|| {
                        ds.find(Some(i), Tag(0x0008, 0x0080))
                            .and_then(|n| ds.decoded_text(n))
                            .map(|s| s.trim().to_string())
                    })
            })
            .filter(|s| !s.is_empty());
        StudyInfo {
            study_instance_uid: self.attr_ascii(Tag(0x0020, 0x000D)).map(str::to_string),
            series_instance_uid: self.attr_ascii(Tag(0x0020, 0x000E)).map(str::to_string),
            study_date,
            study_time,
            series_time: time(self, Tag(0x0008, 0x0031)),
            content_time,
            content_date_time,
            referring_physician_name: self.attr_joined(Tag(0x0008, 0x0090)),
            referring_physician_identification: referring_id,
            study_id: self.attr_string(Tag(0x0020, 0x0010)),
            accession_number: self.attr_string(Tag(0x0008, 0x0050)),
            study_description: self.attr_string(Tag(0x0008, 0x1030)),
            physician_of_record: self.attr_joined(Tag(0x0008, 0x1048)),
            name_of_physician_reading_study: self.attr_joined(Tag(0x0008, 0x1060)),
            performing_physician_name: self.attr_joined(Tag(0x0008, 0x1050)),
            operator_name: self.attr_joined(Tag(0x0008, 0x1070)),
            procedure_code: self.attr_code(Tag(0x0008, 0x1032), None),
            requested_procedure_code: request_item
                .and_then(|i| self.attr_code(Tag(0x0032, 0x1064), Some(i)))
                .or_else(|| self.attr_code(Tag(0x0032, 0x1064), None)),
            requested_procedure_description: requested_description,
            modality: self.attr_ascii(Tag(0x0008, 0x0060)).map(str::to_string),
        }
    }

    /// Patient module (PS3.3 C.7.1.1), as given.
    pub fn patient(&mut self) -> Patient {
        Patient {
            patient_name: self.attr_string(Tag(0x0010, 0x0010)),
            patient_id: self.attr_string(Tag(0x0010, 0x0020)),
            issuer_of_patient_id: self.attr_string(Tag(0x0010, 0x0021)),
            patient_birth_date: self.attr_ascii(Tag(0x0010, 0x0030)).and_then(parse_date),
            patient_sex: self.attr_ascii(Tag(0x0010, 0x0040)).map(str::to_string),
        }
    }

    /// Patient Study module (PS3.3 C.7.2.2); the decimal age is a derived value, computed after
    /// the quirk repairs ([`super::derived::patient_age`]).
    pub fn patient_study(&mut self) -> PatientStudy {
        let age = self.attr_ascii(Tag(0x0010, 0x1010)).map(str::to_string);
        let number = |m: &Self, t| m.attr_ascii(t).and_then(parse_ds);
        PatientStudy {
            patient_age: age,
            patient_age_years: None,
            // Patient's Size is in metres (PS3.3 C.7.2.2); lengths are mm in this crate.
            patient_size_mm: number(self, Tag(0x0010, 0x1020))
                .map(|m| m * 1000.0)
                .filter(|v| v.is_finite()),
            patient_weight_kg: number(self, Tag(0x0010, 0x1030)),
        }
    }

    /// General Equipment module (PS3.3 C.7.5.1) and the root's Device Observer UID.
    pub fn equipment(&mut self, observers: &[Observer]) -> Equipment {
        Equipment {
            manufacturer: self.attr_string(Tag(0x0008, 0x0070)),
            institution_name: self.attr_string(Tag(0x0008, 0x0080)),
            institution_address: self.attr_string(Tag(0x0008, 0x0081)),
            station_name: self.attr_string(Tag(0x0008, 0x1010)),
            institutional_department_name: self.attr_string(Tag(0x0008, 0x1040)),
            manufacturer_model_name: self.attr_string(Tag(0x0008, 0x1090)),
            device_serial_number: self.attr_string(Tag(0x0018, 0x1000)),
            software_versions: self.attr_string(Tag(0x0018, 0x1020)),
            gantry_id: self.attr_string(Tag(0x0018, 0x1008)),
            spatial_resolution_mm: self.attr_ascii(Tag(0x0018, 0x1050)).and_then(parse_ds),
            date_of_last_calibration: self.attr_ascii(Tag(0x0018, 0x1200)).and_then(parse_date),
            time_of_last_calibration: self.attr_ascii(Tag(0x0018, 0x1201)).and_then(parse_time),
            device_observer_uid: observers.iter().find_map(|o| o.device_observer_uid.clone()),
        }
    }

    // ---- TID 1002 / 1020 / 1021 -------------------------------------------------------------

    /// Observer context (TID 1002) among the children of `parent`: one observer per Observer
    /// Type item, filled from the items that follow it (not from the whole root: [OpenREM B2](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b2)). Device
    /// observer items before any Observer Type form an implicit device observer.
    pub fn observers(&mut self, parent: Item<'_>) -> Vec<Observer> {
        let mut out: Vec<Observer> = Vec::new();
        for c in parent.children() {
            let Some(concept) = c.concept() else { continue };
            if concept.is(&codes::OBSERVER_TYPE) {
                let observer_type = self.code(c);
                let kind = match &observer_type {
                    Some(t) if t.is(&codes::PERSON) => ObserverKind::Person,
                    Some(t) if t.is(&codes::DEVICE) => ObserverKind::Device,
                    _ => ObserverKind::Other,
                };
                out.push(new_observer(kind, observer_type, c.path().to_string()));
                continue;
            }
            let Some(field) = observer_field(concept) else {
                continue;
            };
            // Person items (121008-121011) belong to the latest Person observer, device items
            // to the latest Device observer: some devices write every Observer Type first
            // and the observers' items after them.
            let kind = if is_person_field(concept) {
                ObserverKind::Person
            } else {
                ObserverKind::Device
            };
            let target = match out.iter().rposition(|o| o.kind == kind) {
                Some(i) => i,
                None => {
                    out.push(new_observer(kind, None, c.path().to_string()));
                    out.len() - 1
                }
            };
            let value = match field {
                ObserverField::Uid => self.uid(c).map(FieldValue::Text),
                ObserverField::Code(_) => self.code(c).map(FieldValue::Code),
                _ => self.text(c).map(FieldValue::Text),
            };
            if let (Some(o), Some(v)) = (out.get_mut(target), value) {
                set_observer_field(o, field, v);
            }
        }
        out
    }

    /// A device participant (TID 1021) from its Device Role in Procedure item.
    pub fn device_participant(&mut self, role: Item<'_>) -> DeviceParticipant {
        let mut d = DeviceParticipant {
            device_role_in_procedure: self.code(role),
            ..DeviceParticipant::default()
        };
        for c in role.children() {
            if c.is(&codes::DEVICE_NAME) {
                d.device_name = self.text(c);
            } else if c.is(&codes::DEVICE_MANUFACTURER) {
                d.device_manufacturer = self.text(c);
            } else if c.is(&codes::DEVICE_MODEL_NAME) {
                d.device_model_name = self.text(c);
            } else if c.is(&codes::DEVICE_SERIAL_NUMBER) {
                d.device_serial_number = self.text(c);
            } else if c.is(&codes::DEVICE_OBSERVER_UID) {
                d.device_observer_uid = self.uid(c);
            }
        }
        d
    }

    /// Every device participant among the children of `parent`.
    pub fn device_participants(&mut self, parent: Item<'_>) -> Vec<DeviceParticipant> {
        parent
            .children_of(&codes::DEVICE_ROLE_IN_PROCEDURE)
            .map(|r| self.device_participant(r))
            .collect()
    }

    /// A person participant (TID 1020) from its Person Name item.
    pub fn person_participant(&mut self, name: Item<'_>) -> PersonParticipant {
        let mut p = PersonParticipant {
            person_name: self.text(name),
            ..PersonParticipant::default()
        };
        for c in name.children() {
            if c.is(&codes::PERSON_ROLE_IN_PROCEDURE) {
                p.person_role_in_procedure = self.code(c);
            } else if c.is(&codes::PERSON_ID) {
                p.person_id = self.text(c);
            } else if c.is(&codes::PERSON_ID_ISSUER) {
                p.person_id_issuer = self.text(c);
            } else if c.is(&codes::ORGANIZATION_NAME) {
                p.organization_name = self.text(c);
            } else if c.is(&codes::PERSON_ROLE_IN_ORGANIZATION) {
                p.person_role_in_organization = self.code(c);
            }
        }
        p
    }

    /// Every person participant among the children of `parent`.
    pub fn person_participants(&mut self, parent: Item<'_>) -> Vec<PersonParticipant> {
        parent
            .children_of(&codes::PERSON_NAME)
            .map(|n| self.person_participant(n))
            .collect()
    }
}

fn is_texty(vt: ValueType) -> bool {
    matches!(
        vt,
        ValueType::Text
            | ValueType::PName
            | ValueType::UidRef
            | ValueType::Date
            | ValueType::Time
            | ValueType::DateTime
    )
}

#[derive(Clone, Copy)]
enum ObserverField {
    Uid,
    Text(fn(&mut Observer) -> &mut Option<String>),
    Code(fn(&mut Observer) -> &mut Option<OwnedCode>),
}

enum FieldValue {
    Text(String),
    Code(OwnedCode),
}

fn observer_field(concept: Code<'_>) -> Option<ObserverField> {
    use ObserverField::{Code as C, Text as T, Uid};
    let table: &[(&CodeConst, ObserverField)] = &[
        (&codes::DEVICE_OBSERVER_UID, Uid),
        (
            &codes::DEVICE_OBSERVER_NAME,
            T(|o| &mut o.device_observer_name),
        ),
        (
            &codes::DEVICE_OBSERVER_MANUFACTURER,
            T(|o| &mut o.device_observer_manufacturer),
        ),
        (
            &codes::DEVICE_OBSERVER_MODEL_NAME,
            T(|o| &mut o.device_observer_model_name),
        ),
        (
            &codes::DEVICE_OBSERVER_SERIAL_NUMBER,
            T(|o| &mut o.device_observer_serial_number),
        ),
        (
            &codes::DEVICE_OBSERVER_PHYSICAL_LOCATION_DURING_OBSERVATION,
            T(|o| &mut o.device_observer_physical_location_during_observation),
        ),
        (
            &codes::DEVICE_ROLE_IN_PROCEDURE,
            C(|o| &mut o.device_role_in_procedure),
        ),
        (
            &codes::PERSON_OBSERVER_NAME,
            T(|o| &mut o.person_observer_name),
        ),
        (
            &codes::PERSON_OBSERVER_ORGANIZATION_NAME,
            T(|o| &mut o.person_observer_organization_name),
        ),
        (
            &codes::PERSON_OBSERVER_ROLE_IN_ORGANIZATION,
            C(|o| &mut o.person_observer_role_in_organization),
        ),
        (
            &codes::PERSON_OBSERVER_ROLE_IN_PROCEDURE,
            C(|o| &mut o.person_observer_role_in_procedure),
        ),
        (
            &codes::PERSON_OBSERVER_LOGIN_NAME,
            T(|o| &mut o.person_observer_login_name),
        ),
        (
            &codes::IDENTIFIER_WITHIN_PERSON_OBSERVERS_ROLE,
            T(|o| &mut o.identifier_within_person_observers_role),
        ),
    ];
    table
        .iter()
        .find(|(code, _)| concept.is(code))
        .map(|(_, f)| *f)
}

fn is_person_field(concept: Code<'_>) -> bool {
    concept.is_any(&[
        &codes::PERSON_OBSERVER_NAME,
        &codes::PERSON_OBSERVER_ORGANIZATION_NAME,
        &codes::PERSON_OBSERVER_ROLE_IN_ORGANIZATION,
        &codes::PERSON_OBSERVER_ROLE_IN_PROCEDURE,
        &codes::PERSON_OBSERVER_LOGIN_NAME,
        &codes::IDENTIFIER_WITHIN_PERSON_OBSERVERS_ROLE,
    ])
}

fn set_observer_field(o: &mut Observer, field: ObserverField, value: FieldValue) {
    match (field, value) {
        (ObserverField::Uid, FieldValue::Text(t)) => o.device_observer_uid = Some(t),
        (ObserverField::Text(f), FieldValue::Text(t)) => *f(o) = Some(t),
        (ObserverField::Code(f), FieldValue::Code(c)) => *f(o) = Some(c),
        _ => {}
    }
}

fn new_observer(kind: ObserverKind, observer_type: Option<OwnedCode>, path: String) -> Observer {
    Observer {
        kind,
        observer_type,
        person_observer_name: None,
        person_observer_organization_name: None,
        person_observer_role_in_organization: None,
        person_observer_role_in_procedure: None,
        person_observer_login_name: None,
        identifier_within_person_observers_role: None,
        device_observer_uid: None,
        device_observer_name: None,
        device_observer_manufacturer: None,
        device_observer_model_name: None,
        device_observer_serial_number: None,
        device_observer_physical_location_during_observation: None,
        device_role_in_procedure: None,
        path,
    }
}

/// Age in years from an AS value (`nnnD`, `nnnW`, `nnnM`, `nnnY`).
pub(crate) fn age_in_years(age: &str) -> Option<f64> {
    let age = age.trim();
    let (n, unit) = age.split_at_checked(age.len().checked_sub(1)?)?;
    // A number as DS has it: `f64::from_str` would also take "NaN" and "inf" ("NaNY").
    let n = parse_ds(n)?;
    let years = match unit {
        "Y" | "y" => n,
        "M" | "m" => n / 12.0,
        "W" | "w" => n * 7.0 / 365.25,
        "D" | "d" => n / 365.25,
        _ => return None,
    };
    years.is_finite().then_some(years)
}

/// Rounds half to even at `dp` decimal places (as a decimal, not a binary, half).
pub(crate) fn round_half_even(v: f64, dp: i32) -> f64 {
    let scale = 10f64.powi(dp);
    let x = v * scale;
    let r = x.round();
    // Exactly half way (within float noise): round to even.
    let rounded = if ((x - x.trunc()).abs() - 0.5).abs() < 1e-9 {
        let t = x.trunc();
        if (t as i64) % 2 == 0 {
            t
        } else {
            t + x.signum()
        }
    } else {
        r
    };
    rounded / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert_eq!(age_in_years("067Y"), Some(67.0));
        assert_eq!(age_in_years("006M"), Some(0.5));
        assert_eq!(age_in_years("052W"), Some(52.0 * 7.0 / 365.25));
        assert_eq!(age_in_years("Y"), None);
        assert_eq!(age_in_years(""), None);
        // Found by the parse_lenient fuzz target: not numbers, and no infinite ages.
        assert_eq!(age_in_years("NaNY"), None);
        assert_eq!(age_in_years("infY"), None);
        assert_eq!(age_in_years("1e308W"), None);
    }

    #[test]
    fn half_even() {
        assert_eq!(round_half_even(49.45, 1), 49.4);
        assert_eq!(round_half_even(49.35, 1), 49.4);
        assert_eq!(round_half_even(100.0, 1), 100.0);
        assert_eq!(round_half_even(49.4277, 1), 49.4);
    }
}
