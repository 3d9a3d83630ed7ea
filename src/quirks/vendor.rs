//! Fixes that take values some vendors send only in private items or free text.
//!
//! Each fills a typed field only where the standard item left it empty, and returns exactly
//! what it set.

use super::{Change, Fix, FixInput, Hints};
use crate::model::{DoseReport, ReportBody};
use crate::sr::{CodeConst, Item, OwnedCode, codes, parse_ds};

/// The event containers of the root, by content path.
fn event_items<'d>(input: &'d FixInput<'d>, code: &CodeConst) -> Vec<(String, Item<'d>)> {
    input
        .document
        .root()
        .children()
        .filter(|c| c.is(code))
        .map(|c| (c.path().to_string(), c))
        .collect()
}

/// The item of [`event_items`] at `path`. Events and items are both in document order, so
/// the search starts after the previous match (`cursor`) and wraps: one pass over the items
/// for all events instead of one per event.
fn event_item<'a, 'd>(
    items: &'a [(String, Item<'d>)],
    cursor: &mut usize,
    path: &str,
) -> Option<&'a Item<'d>> {
    let start = (*cursor).min(items.len());
    let (before, after) = items.split_at(start);
    let found = after
        .iter()
        .position(|(p, _)| p == path)
        .map(|i| start + i)
        .or_else(|| before.iter().position(|(p, _)| p == path))?;
    *cursor = found + 1;
    items.get(found).map(|(_, item)| item)
}

fn num_of(parent: Item<'_>, code: &CodeConst) -> Option<f64> {
    parent
        .children()
        .find(|c| c.is(code))
        .and_then(|c| c.num())
        .and_then(|n| n.value())
}

/// A number for people: at most 6 significant digits, no float noise.
fn fmt_num(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let digits = 6 - (v.abs().log10().floor() as i32 + 1);
    let scaled = format!("{:.*}", digits.clamp(0, 12) as usize, v);
    if scaled.contains('.') {
        scaled
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        scaled
    }
}

fn fmt_mm(v: f64) -> String {
    format!("{} mm", fmt_num(v))
}

/// Philips Allura Xper / Azurion ([OpenREM #446](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-446)): Number of Frames (003) as the number of
/// pulses, collimated field height, width and area from the Wedges and Shutters container
/// (005: shutter positions at 1 m from the focus x the event's source-to-detector distance),
/// and the private Table Height Position (021).
pub(super) struct PhilipsXper;

impl Fix for PhilipsXper {
    fn repair(&self, input: &FixInput<'_>, report: &mut DoseReport) -> Vec<Change> {
        let items = event_items(input, &codes::IRRADIATION_EVENT_XRAY_DATA);
        let ReportBody::Projection(p) = &mut report.body else {
            return Vec::new();
        };
        let mut changes = Vec::new();
        let mut cursor = 0;
        for e in &mut p.events {
            let Some(item) = event_item(&items, &mut cursor, &e.path) else {
                continue;
            };
            let mut note = |path: String, field: &str, before: &str, after: String| {
                changes.push(Change {
                    path: Some(path),
                    field: Some(field.to_string()),
                    before: before.to_string(),
                    after,
                })
            };
            if e.source.number_of_pulses.is_none() {
                if let Some(frames) = num_of(*item, &codes::PHILIPS_NUMBER_OF_FRAMES) {
                    e.source.number_of_pulses = Some(frames);
                    note(
                        e.path.clone(),
                        "Number of Pulses (113768)",
                        "no Number of Pulses (113768); private Number of Frames (003)",
                        format!("number of pulses {}", fmt_num(frames)),
                    );
                }
            }
            if e.mechanical.distances.table_height_position_mm.is_none() {
                if let Some(h) = num_of(*item, &codes::PHILIPS_TABLE_HEIGHT_POSITION) {
                    e.mechanical.distances.table_height_position_mm = Some(h);
                    note(
                        e.path.clone(),
                        "Table Height Position (113753)",
                        "no Table Height Position (113753); private Table Height Position (021)",
                        format!("table height position {}", fmt_mm(h)),
                    );
                }
            }
            let Some(shutters) = item
                .children()
                .find(|c| c.is(&codes::PHILIPS_WEDGES_AND_SHUTTERS))
            else {
                continue;
            };
            let side = |code| num_of(shutters, code).filter(|v| *v != 0.0);
            let (Some(bottom), Some(left), Some(right), Some(top), Some(sdd)) = (
                side(&codes::PHILIPS_BOTTOM_SHUTTER),
                side(&codes::PHILIPS_LEFT_SHUTTER),
                side(&codes::PHILIPS_RIGHT_SHUTTER),
                side(&codes::PHILIPS_TOP_SHUTTER),
                e.mechanical.distances.distance_source_to_detector_mm,
            ) else {
                continue;
            };
            let sdd_m = sdd / 1000.0;
            let height = crate::model::round15((right + left) * sdd_m);
            let width = crate::model::round15((bottom + top) * sdd_m);
            let area = crate::model::round15(height * width / 1_000_000.0);
            // Shutter positions or a distance near f64::MAX overflow: nothing to derive.
            if !(height.is_finite() && width.is_finite() && area.is_finite()) {
                continue;
            }
            let path = shutters.path().to_string();
            if e.source.collimated_field_height_mm.is_none() {
                e.source.collimated_field_height_mm = Some(height);
                note(
                    path.clone(),
                    "Collimated Field Height (113788)",
                    "no Collimated Field Height (113788); shutters right + left at 1 m",
                    format!("collimated field height {}", fmt_mm(height)),
                );
            }
            if e.source.collimated_field_width_mm.is_none() {
                e.source.collimated_field_width_mm = Some(width);
                note(
                    path.clone(),
                    "Collimated Field Width (113789)",
                    "no Collimated Field Width (113789); shutters bottom + top at 1 m",
                    format!("collimated field width {}", fmt_mm(width)),
                );
            }
            if e.source.collimated_field_area_m2.is_none() {
                e.source.collimated_field_area_m2 = Some(area);
                note(
                    path,
                    "Collimated Field Area (113790)",
                    "no Collimated Field Area (113790)",
                    format!(
                        "collimated field area {} m2 (height x width)",
                        fmt_num(area)
                    ),
                );
            }
        }
        changes
    }
}

/// The value of attribute `attr` of the first element named `element` after the first
/// element named `within` (or anywhere when `within` is empty), in XML text. A scan, not a
/// parser: enough for the flat documents Siemens writes, and never fails.
fn xml_attr<'t>(text: &'t str, within: &str, element: &str, attr: &str) -> Option<&'t str> {
    let start = if within.is_empty() {
        0
    } else {
        text.find(&format!("<{within}"))?
    };
    let rest = text.get(start..)?;
    let open = format!("<{element}");
    let mut from = 0;
    loop {
        let at = from + rest.get(from..)?.find(&open)?;
        let after = rest.get(at + open.len()..)?;
        // The element name must end here (not `<PositionX`).
        if after.starts_with([' ', '/', '>', '\t', '\n', '\r']) {
            let tag_end = after.find('>')?;
            let tag = after.get(..tag_end)?;
            let key = format!("{attr}=\"");
            let v = tag.find(&key)? + key.len();
            let len = tag.get(v..)?.find('"')?;
            return tag.get(v..v + len);
        }
        from = at + open.len();
    }
}

/// Siemens AXIOM-Artis ([OpenREM #432](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-432)): patient position from the XML root Comment
/// (`PatientPosition/Position@SRData`: HFS, HFP, FFS, FFP) on events that code none, and the
/// image intensifier size from each event Comment (`iiDiameter@SRData`). Unlike OpenREM
/// ([OpenREM B8](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b8)), coded event values are never overwritten and other positions erase nothing.
pub(super) struct SiemensXmlComment;

fn position_codes(position: &str) -> Option<[&'static CodeConst; 3]> {
    Some(match position.trim().to_ascii_lowercase().as_str() {
        "hfs" => [&codes::HEADFIRST, &codes::RECUMBENT, &codes::SUPINE],
        "hfp" => [&codes::HEADFIRST, &codes::RECUMBENT, &codes::PRONE],
        "ffs" => [&codes::FEET_FIRST, &codes::RECUMBENT, &codes::SUPINE],
        "ffp" => [&codes::FEET_FIRST, &codes::RECUMBENT, &codes::PRONE],
        _ => return None,
    })
}

fn owned(c: &CodeConst) -> OwnedCode {
    c.code().to_owned_code()
}

impl Fix for SiemensXmlComment {
    fn repair(&self, input: &FixInput<'_>, report: &mut DoseReport) -> Vec<Change> {
        let root = input.document.root();
        let position = root
            .children()
            .filter(|c| c.is(&codes::COMMENT))
            .filter_map(|c| c.text())
            .find_map(|t| xml_attr(t, "PatientPosition", "Position", "SRData"))
            .map(str::to_string);
        let items = event_items(input, &codes::IRRADIATION_EVENT_XRAY_DATA);
        let ReportBody::Projection(p) = &mut report.body else {
            return Vec::new();
        };
        let mut changes = Vec::new();
        let codes_for = position.as_deref().and_then(position_codes);
        let mut cursor = 0;
        for e in &mut p.events {
            if let (Some([table, orientation, modifier]), Some(pos)) = (codes_for, &position) {
                let before = "no patient position coded";
                let mut set = |slot: &mut Option<OwnedCode>, c: &CodeConst| {
                    if slot.is_none() {
                        *slot = Some(owned(c));
                        changes.push(Change {
                            path: Some(e.path.clone()),
                            field: Some(c.meaning.to_string()),
                            before: before.to_string(),
                            after: format!(
                                "{} from root Comment position {:?}",
                                c.meaning,
                                pos.trim()
                            ),
                        });
                    }
                };
                set(&mut e.patient_table_relationship, table);
                set(&mut e.patient_orientation, orientation);
                set(&mut e.patient_orientation_modifier, modifier);
            }
            if e.source.ii_field_size_mm.is_none() {
                let ii = event_item(&items, &mut cursor, &e.path)
                    .and_then(|item| {
                        item.children()
                            .filter(|c| c.is(&codes::COMMENT))
                            .filter_map(|c| c.text())
                            .find_map(|t| xml_attr(t, "", "iiDiameter", "SRData"))
                    })
                    .and_then(parse_ds);
                if let Some(ii) = ii {
                    e.source.ii_field_size_mm = Some(ii);
                    changes.push(Change {
                        path: Some(e.path.clone()),
                        field: Some("Image Intensifier Field Size".into()),
                        before: "image intensifier size only in the event Comment XML".into(),
                        after: format!("ii field size {}", fmt_mm(ii)),
                    });
                }
            }
        }
        changes
    }
}

/// Siemens SOMATOM CT: the X-ray modulation type only in the event Comment
/// (`..., X-ray Modulation Type = XYZ_EC`), taken when no 113842 item gives it.
pub(super) struct SiemensCtModulationComment;

fn modulation_from_comment(comment: &str) -> Option<String> {
    comment.split(',').find_map(|part| {
        let part = part.trim_start();
        let rest = part.strip_prefix("X-ray Modulation Type")?;
        let (_, value) = rest.split_once('=')?;
        let v = value.trim();
        (!v.is_empty()).then(|| v.to_string())
    })
}

impl Fix for SiemensCtModulationComment {
    fn repair(&self, _input: &FixInput<'_>, report: &mut DoseReport) -> Vec<Change> {
        let ReportBody::Ct(c) = &mut report.body else {
            return Vec::new();
        };
        let mut changes = Vec::new();
        for e in &mut c.events {
            if e.xray_modulation_type.is_some() {
                continue;
            }
            if let Some(m) = e.comment.as_deref().and_then(modulation_from_comment) {
                changes.push(Change {
                    path: Some(e.path.clone()),
                    field: Some("X-Ray Modulation Type (113842)".into()),
                    before: "no X-Ray Modulation Type (113842); in the event Comment".into(),
                    after: format!("x-ray modulation type {m:?}"),
                });
                e.xray_modulation_type = Some(m);
            }
        }
        changes
    }
}

/// Laterality under Anatomical structure, where it was before DICOM CP-1676 moved it under
/// Target Region ([OpenREM #784](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#openrem-784)). The mapper always reads the CP-1676 location; with this
/// fix it also reads the older one, and when both are given and differ keeps CP-1676's.
pub(super) struct PreCp1676Laterality;

impl Fix for PreCp1676Laterality {
    fn prepare(&self, input: &FixInput<'_>, hints: &mut Hints) -> Vec<Change> {
        let mut changes = Vec::new();
        for e in input
            .document
            .root()
            .children()
            .filter(|c| c.is(&codes::IRRADIATION_EVENT_XRAY_DATA))
        {
            let lat = |parent: &CodeConst| {
                e.children()
                    .find(|c| c.is(parent))
                    .and_then(|c| c.children().find(|l| l.is(&codes::LATERALITY)))
            };
            let (Some(old), new) = (
                lat(&codes::ANATOMICAL_STRUCTURE),
                lat(&codes::TARGET_REGION),
            ) else {
                continue;
            };
            let old_code = old.code_value();
            let after = match new.and_then(|n| n.code_value()) {
                Some(n) if old_code.is_some_and(|o| o.value != n.value || o.scheme != n.scheme) => {
                    format!("differs from {n} under Target Region; Target Region's kept")
                }
                Some(_) => continue,
                None => "read as the event's laterality".to_string(),
            };
            changes.push(Change {
                path: Some(old.path().to_string()),
                field: Some("Laterality (G-C171, SRT)".into()),
                before: format!(
                    "Laterality {} under Anatomical structure (pre CP-1676)",
                    old_code.map_or_else(|| "(empty)".to_string(), |c| c.to_string())
                ),
                after,
            });
        }
        if !changes.is_empty() {
            hints.pre_cp1676_laterality = true;
        }
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_scan() {
        let t = r#"<Root><PatientPosition><Position SRData="HFS "/></PatientPosition><Positioner x="1"/></Root>"#;
        assert_eq!(
            xml_attr(t, "PatientPosition", "Position", "SRData"),
            Some("HFS ")
        );
        assert_eq!(xml_attr(t, "Missing", "Position", "SRData"), None);
        let e = r#"<Root><iiDiameter SRData="220"/></Root>"#;
        assert_eq!(xml_attr(e, "", "iiDiameter", "SRData"), Some("220"));
        assert_eq!(xml_attr("<a", "", "a", "b"), None);
        assert_eq!(xml_attr("not xml at all", "", "iiDiameter", "SRData"), None);
    }

    #[test]
    fn numbers_without_float_noise() {
        assert_eq!(fmt_num(361.90000000000003), "361.9");
        assert_eq!(fmt_num(0.1228874), "0.122887");
        assert_eq!(fmt_num(392.826), "392.826");
        assert_eq!(fmt_num(25.0), "25");
        assert_eq!(fmt_num(1234567.0), "1234567");
    }

    #[test]
    fn modulation() {
        assert_eq!(
            modulation_from_comment(
                "Internal technical scan parameters: A = 1, X-ray Modulation Type = XYZ_EC"
            )
            .as_deref(),
            Some("XYZ_EC")
        );
        assert_eq!(modulation_from_comment("nothing here"), None);
        assert_eq!(modulation_from_comment("X-ray Modulation Type = "), None);
    }

    #[test]
    fn positions_only_the_four_known() {
        assert!(position_codes("HFS ").is_some());
        assert!(position_codes("ffp").is_some());
        assert!(position_codes("HFDL").is_none());
    }
}
