//! Study assembly: duplicates, cumulative and continued reports, order independence, and
//! dual-plane totals.

use std::path::PathBuf;

use rdsr::study::{AssembledStudy, Outcome, Role, StudyAssembler};

fn corpus(name: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/files/openrem-0.10.0")
        .join(name);
    if p.is_file() {
        Some(p)
    } else {
        eprintln!("SKIPPED: ../shared/corpus is absent ({name})");
        None
    }
}

fn reports(names: &[&str]) -> Option<Vec<rdsr::DoseReport>> {
    names
        .iter()
        .map(|n| corpus(n).map(|p| rdsr::parse_file(p).expect("corpus report parses")))
        .collect()
}

/// Everything a study is judged on: events, totals, provenance.
fn fingerprint(s: &AssembledStudy) -> String {
    let mut sops: Vec<String> = s
        .series
        .iter()
        .map(|x| format!("{} {:?} {:?}", x.sop_instance_uid, x.role, x.replaced_by))
        .collect();
    sops.sort();
    format!(
        "{}\n{:?}\n{}\n{}",
        s.study_instance_uid,
        s.event_keys,
        serde_json::to_string(&s.summary).expect("summary serialises"),
        sops.join("\n")
    )
}

fn permutations<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let x = rest.remove(i);
        for mut p in permutations(&rest) {
            p.insert(0, x.clone());
            out.push(p);
        }
    }
    out
}

fn assemble(order: &[rdsr::DoseReport]) -> (Vec<Outcome>, Vec<AssembledStudy>) {
    let mut a = StudyAssembler::new();
    let outcomes = order.iter().cloned().map(|r| a.add(r)).collect();
    (outcomes, a.studies())
}

#[test]
fn cumulative_reports_any_order_give_one_study_of_the_fullest() {
    let Some(r) = reports(&[
        "CT-RDSR-Siemens-Multi-1.dcm",
        "CT-RDSR-Siemens-Multi-2.dcm",
        "CT-RDSR-Siemens-Multi-3.dcm",
    ]) else {
        return;
    };
    let input = vec![r[0].clone(), r[1].clone(), r[2].clone(), r[1].clone()];
    let sop = |i: usize| r[i].sop_instance_uid.clone().unwrap_or_default();
    let (outcomes, studies) = assemble(&input);
    assert_eq!(
        outcomes,
        vec![
            Outcome::Added,
            Outcome::Supersedes {
                superseded: vec![sop(0)]
            },
            // Fullest first: Multi-2 (2 events) then Multi-1 (1 event).
            Outcome::Supersedes {
                superseded: vec![sop(1), sop(0)]
            },
            Outcome::Duplicate,
        ]
    );
    assert_eq!(studies.len(), 1);
    let s = &studies[0];
    assert_eq!(s.number_of_events(), 3);
    assert_eq!(s.summary.total_dlp_mgy_cm, Some(236.09));
    assert_eq!(s.summary.number_of_events, 3);
    assert_eq!(s.series.len(), 3);
    let roles: Vec<Role> = s.series.iter().map(|x| x.role).collect();
    assert_eq!(roles.iter().filter(|r| **r == Role::Added).count(), 1);
    assert_eq!(roles.iter().filter(|r| **r == Role::Superseded).count(), 2);
    let expected = fingerprint(s);
    for p in permutations(&input) {
        let (_, st) = assemble(&p);
        assert_eq!(st.len(), 1);
        assert_eq!(
            fingerprint(&st[0]),
            expected,
            "order {:?}",
            p.iter()
                .map(|r| r.sop_instance_uid.clone())
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn older_cumulative_report_arriving_late_is_absorbed() {
    let Some(r) = reports(&["CT-RDSR-Siemens-Multi-3.dcm", "CT-RDSR-Siemens-Multi-1.dcm"]) else {
        return;
    };
    let (outcomes, studies) = assemble(&r);
    assert_eq!(outcomes, vec![Outcome::Added, Outcome::Absorbed]);
    assert_eq!(studies[0].number_of_events(), 3);
    assert_eq!(studies[0].summary.total_dlp_mgy_cm, Some(236.09));
}

#[test]
fn b18_continued_reports_merge_into_one_study_any_order() {
    let Some(r) = reports(&[
        "CT-RDSR-Siemens-Continued-1.dcm",
        "CT-RDSR-Siemens-Continued-2.dcm",
    ]) else {
        return;
    };
    let input = vec![r[0].clone(), r[1].clone(), r[0].clone()];
    let (outcomes, studies) = assemble(&input);
    assert_eq!(
        outcomes,
        vec![
            Outcome::Added,
            Outcome::Merged { new_events: 2 },
            Outcome::Duplicate
        ]
    );
    assert_eq!(studies.len(), 1, "one study, not two (B18)");
    let s = &studies[0];
    assert_eq!(s.number_of_events(), 4);
    assert!(s.series.iter().all(|x| x.role == Role::Merged));
    // Study total = the two reports' accumulated totals (disjoint events).
    let parts: f64 = r
        .iter()
        .filter_map(|x| x.ct().and_then(|c| c.accumulated.as_ref()))
        .filter_map(|a| a.ct_dose_length_product_total_mgy_cm)
        .sum();
    let total = s.summary.total_dlp_mgy_cm.expect("study DLP total");
    assert!((total - parts).abs() < 1e-9, "{total} vs {parts}");
    for (i, series) in s.series.iter().enumerate() {
        assert_eq!(series.number_of_events, 2, "series {i}");
        assert!(series.summary.total_dlp_mgy_cm.is_some());
    }
    let expected = fingerprint(s);
    for p in permutations(&input) {
        let (_, st) = assemble(&p);
        assert_eq!(fingerprint(&st[0]), expected);
    }
}

#[test]
fn same_report_twice_is_a_duplicate() {
    let Some(r) = reports(&["DX-RDSR-Canon_CXDI.dcm"]) else {
        return;
    };
    let (outcomes, studies) = assemble(&[r[0].clone(), r[0].clone()]);
    assert_eq!(outcomes, vec![Outcome::Added, Outcome::Duplicate]);
    assert_eq!(studies.len(), 1);
    assert_eq!(studies[0].series.len(), 1);
}

#[test]
fn different_study_uids_stay_apart_even_with_the_same_sop_uid() {
    let Some(r) = reports(&[
        "RF-RDSR-Siemens-Zee.dcm",
        "RF-RDSR-Siemens-Zee_adjusted.dcm",
    ]) else {
        return;
    };
    assert_eq!(r[0].sop_instance_uid, r[1].sop_instance_uid);
    let (outcomes, studies) = assemble(&r);
    assert_eq!(outcomes, vec![Outcome::Added, Outcome::Added]);
    assert_eq!(studies.len(), 2);
    for s in &studies {
        assert_eq!(s.summary.number_of_events, 8);
        assert_eq!(s.summary.total_dap_a_gy_m2, Some(1.6e-5));
    }
}

mod dual_plane {
    use Relationship::{Contains, HasConceptMod};
    use rdsr::study::StudyAssembler;
    use rdsr_builder::{Code, Item, Relationship, ReportBuilder};

    fn dcm(v: &str, m: &str) -> Code {
        Code::new(v, "DCM", m)
    }

    fn plane(code: &str, meaning: &str) -> Item {
        Item::code(
            Contains,
            dcm("113764", "Acquisition Plane"),
            dcm(code, meaning),
        )
    }

    fn accumulated(code: &str, meaning: &str, dap: &str, rp: &str) -> Item {
        Item::container(
            Contains,
            dcm("113702", "Accumulated X-Ray Dose Data"),
            vec![
                plane(code, meaning),
                Item::num(
                    Contains,
                    dcm("113722", "Dose Area Product Total"),
                    dap,
                    Code::new("Gy.m2", "UCUM", "Gy.m2"),
                ),
                Item::num(
                    Contains,
                    dcm("113725", "Dose (RP) Total"),
                    rp,
                    Code::new("Gy", "UCUM", "Gy"),
                ),
            ],
        )
    }

    fn event(uid: &str, code: &str, meaning: &str, dap: &str) -> Item {
        Item::container(
            Contains,
            dcm("113706", "Irradiation Event X-Ray Data"),
            vec![
                plane(code, meaning),
                Item::uidref(Contains, dcm("113769", "Irradiation Event UID"), uid),
                Item::code(
                    Contains,
                    dcm("113721", "Irradiation Event Type"),
                    Code::new("P5-06000", "SRT", "Fluoroscopy"),
                ),
                Item::num(
                    Contains,
                    dcm("122130", "Dose Area Product"),
                    dap,
                    Code::new("Gy.m2", "UCUM", "Gy.m2"),
                ),
            ],
        )
    }

    /// A biplane report whose Plane B container comes first in the file ([OpenREM B16](https://github.com/rdsr-rs/rdsr/blob/main/docs/openrem-differences.md#b16)).
    fn biplane() -> rdsr::DoseReport {
        biplane_with("biplane", ["0.0003", "0.0005"], ["a", "b", "c"])
    }

    /// The biplane report with other accumulated DAP totals (plane B, plane A) and event UIDs.
    fn biplane_with(seed: &str, dap: [&str; 2], events: [&str; 3]) -> rdsr::DoseReport {
        let uid = |e: &str| {
            format!(
                "1.2.826.0.1.3680043.10.1234.901.{}",
                u32::from(e.as_bytes()[0])
            )
        };
        let bytes = ReportBuilder::xray_dose_report()
            .seed(seed)
            .study_instance_uid("1.2.826.0.1.3680043.10.1234.902.1")
            .content(vec![
                Item::code(
                    HasConceptMod,
                    dcm("121058", "Procedure reported"),
                    dcm("113704", "Projection X-Ray"),
                ),
                Item::code(
                    HasConceptMod,
                    dcm("122142", "Acquisition Device Type"),
                    dcm("113957", "Fluoroscopy-Guided Projection Radiography System"),
                ),
                accumulated("113621", "Plane B", dap[0], "0.02"),
                accumulated("113620", "Plane A", dap[1], "0.04"),
                event(&uid(events[0]), "113620", "Plane A", "0.0002"),
                event(&uid(events[1]), "113620", "Plane A", "0.0003"),
                event(&uid(events[2]), "113621", "Plane B", "0.0003"),
            ])
            .to_bytes()
            .expect("builder writes the report");
        rdsr::parse_bytes(&bytes).expect("biplane report parses")
    }

    #[test]
    fn b16_dual_plane_totals_and_counts_by_plane_code() {
        let mut a = StudyAssembler::new();
        a.add(biplane());
        let studies = a.studies();
        assert_eq!(studies.len(), 1);
        let s = &studies[0].summary;
        assert_eq!(s.number_of_planes, Some(2));
        assert_eq!(
            s.total_dap_a_gy_m2,
            Some(0.0005),
            "plane A chosen by its code"
        );
        assert_eq!(s.total_rp_dose_a_gy, Some(0.04));
        assert_eq!(s.total_dap_b_gy_m2, Some(0.0003));
        assert_eq!(s.total_rp_dose_b_gy, Some(0.02));
        let total = s.total_dap_gy_m2.expect("total DAP");
        assert!((total - 0.0008).abs() < 1e-15, "{total}");
        assert_eq!(s.number_of_events_a, Some(2));
        assert_eq!(s.number_of_events_b, Some(1));
        assert_eq!(s.number_of_events, 3);
    }

    /// Totals that overflow `f64` are absent, not infinite: per report (plane A + plane B) and
    /// per study (two reports of one study with disjoint events). An infinite total is no dose
    /// and would come back from JSON as `null`.
    #[test]
    fn totals_overflowing_f64_are_absent_not_infinite() {
        let huge = biplane_with("huge-1", ["1e308", "1.5e308"], ["a", "b", "c"]);
        let s = rdsr::model::Summary::of_report(&huge);
        assert_eq!(s.total_dap_a_gy_m2, Some(1.5e308));
        assert_eq!(s.total_dap_b_gy_m2, Some(1e308));
        assert_eq!(s.total_dap_gy_m2, None, "plane A + plane B overflows");

        let other = biplane_with("huge-2", ["1e308", "1.5e308"], ["d", "e", "f"]);
        let mut a = StudyAssembler::new();
        a.add(huge);
        a.add(other);
        let studies = a.studies();
        assert_eq!(studies.len(), 1, "one study, two reports");
        let s = &studies[0].summary;
        assert_eq!(s.number_of_events, 6);
        assert_eq!(s.total_dap_a_gy_m2, None, "1.5e308 twice overflows");
        assert_eq!(s.total_dap_b_gy_m2, None, "1e308 twice overflows");
        assert_eq!(s.total_dap_gy_m2, None);
        let json = serde_json::to_string(&studies[0]).expect("a study serialises");
        let back: rdsr::study::AssembledStudy =
            serde_json::from_str(&json).expect("and reads back");
        assert_eq!(back, studies[0]);
    }
}

/// Two different reports of one study that both lack a SOP Instance UID are two reports, not
/// a report and its duplicate: every event of both is kept.
#[test]
fn reports_without_sop_instance_uid_are_not_dropped_as_duplicates() {
    let Some(mut r) = reports(&[
        "CT-RDSR-Siemens-Continued-1.dcm",
        "CT-RDSR-Siemens-Continued-2.dcm",
    ]) else {
        return;
    };
    for x in &mut r {
        x.sop_instance_uid = None;
    }
    let (outcomes, studies) = assemble(&r);
    assert_eq!(
        outcomes,
        vec![Outcome::Added, Outcome::Merged { new_events: 2 }]
    );
    assert_eq!(studies.len(), 1);
    assert_eq!(studies[0].number_of_events(), 4, "2 + 2 events, not 2");
    assert_eq!(studies[0].series.len(), 2);
    let expected = fingerprint(&studies[0]);
    let (_, reversed) = assemble(&[r[1].clone(), r[0].clone()]);
    assert_eq!(fingerprint(&reversed[0]), expected, "order does not matter");
    // The same UID-less report again is still a duplicate.
    let (outcomes, _) = assemble(&[r[0].clone(), r[0].clone()]);
    assert_eq!(outcomes, vec![Outcome::Added, Outcome::Duplicate]);
}

/// A report that reuses another's SOP Instance UID with other content is kept: only the same
/// SOP Instance UID with the same content is a duplicate.
#[test]
fn same_sop_instance_uid_with_other_content_is_kept() {
    let Some(mut r) = reports(&[
        "CT-RDSR-Siemens-Continued-1.dcm",
        "CT-RDSR-Siemens-Continued-2.dcm",
    ]) else {
        return;
    };
    r[1].sop_instance_uid = r[0].sop_instance_uid.clone();
    let (outcomes, studies) = assemble(&r);
    assert_eq!(
        outcomes,
        vec![Outcome::Added, Outcome::Merged { new_events: 2 }]
    );
    assert_eq!(studies[0].number_of_events(), 4);
    assert_eq!(studies[0].series.len(), 2);
    let (_, reversed) = assemble(&[r[1].clone(), r[0].clone()]);
    assert_eq!(fingerprint(&reversed[0]), fingerprint(&studies[0]));
}

/// A report with no irradiation events (here: a report of an unmapped template, as a
/// radiopharmaceutical report in a PET/CT study) is contained in every other report's event
/// set; it must not be absorbed or superseded and vanish, whatever the order.
#[test]
fn report_without_events_is_kept_attached_not_absorbed() {
    let Some(r) = reports(&["CT-RDSR-Siemens-Multi-3.dcm"]) else {
        return;
    };
    let ct = r[0].clone();
    let mut empty = ct.clone();
    empty.sop_instance_uid = Some("1.2.826.0.1.3680043.10.1234.77.1".into());
    empty.body = rdsr::ReportBody::Unmapped;
    empty.irradiation_events = 0;
    for order in [
        vec![ct.clone(), empty.clone()],
        vec![empty.clone(), ct.clone()],
    ] {
        let (outcomes, studies) = assemble(&order);
        assert_eq!(studies.len(), 1);
        let s = &studies[0];
        assert_eq!(s.number_of_events(), 3);
        assert_eq!(
            s.summary.total_dlp_mgy_cm,
            Some(236.09),
            "totals of the CT report"
        );
        assert_eq!(
            s.attached,
            vec![empty.clone()],
            "the empty report is kept whole"
        );
        let role = |sop: &Option<String>| {
            s.series
                .iter()
                .find(|x| Some(&x.sop_instance_uid) == sop.as_ref())
                .map(|x| x.role)
        };
        assert_eq!(role(&empty.sop_instance_uid), Some(Role::Attached));
        assert_eq!(role(&ct.sop_instance_uid), Some(Role::Added));
        // Alone, it is its study's first report; beside the CT report it is attached.
        let expected = if order[0] == empty {
            vec![Outcome::Added, Outcome::Merged { new_events: 3 }]
        } else {
            vec![Outcome::Added, Outcome::Attached]
        };
        assert_eq!(outcomes, expected);
    }
}

/// Reports of two template families in one study (a projection report beside a CT report):
/// neither family's events may vanish from the study.
#[test]
fn report_of_another_template_family_is_kept_attached() {
    let Some(r) = reports(&["CT-RDSR-Siemens-Multi-3.dcm", "DX-RDSR-Canon_CXDI.dcm"]) else {
        return;
    };
    let ct = r[0].clone();
    let mut dx = r[1].clone();
    dx.study_instance_uid = ct.study_instance_uid.clone();
    for order in [vec![ct.clone(), dx.clone()], vec![dx.clone(), ct.clone()]] {
        let (_, studies) = assemble(&order);
        assert_eq!(studies.len(), 1);
        let s = &studies[0];
        assert_eq!(s.number_of_events(), 3, "the fuller CT report is merged");
        assert!(s.report.ct().is_some());
        assert_eq!(s.attached, vec![dx.clone()], "the DX report is kept whole");
    }
}

/// A cumulative series: each report repeats every earlier event and adds one. Adding them in
/// any order gives the fullest report's events, the others superseded by it.
#[test]
fn long_cumulative_series_supersedes_every_earlier_report() {
    let Some(r) = reports(&["CT-RDSR-Siemens-Multi-3.dcm"]) else {
        return;
    };
    let full = r[0].clone();
    let Some(ct) = full.ct() else {
        panic!("a CT report");
    };
    let n = ct.events.len();
    let mut series = Vec::new();
    for k in 1..=n {
        let mut x = full.clone();
        x.sop_instance_uid = Some(format!("1.2.826.0.1.3680043.10.1234.78.{k}"));
        if let rdsr::ReportBody::Ct(c) = &mut x.body {
            c.events.truncate(k);
        }
        series.push(x);
    }
    let (_, studies) = assemble(&series);
    let s = &studies[0];
    assert_eq!(s.number_of_events(), n);
    let superseded = s
        .series
        .iter()
        .filter(|x| x.role == Role::Superseded)
        .count();
    assert_eq!(superseded, n - 1);
    assert!(
        s.series
            .iter()
            .filter(|x| x.role == Role::Superseded)
            .all(|x| x.replaced_by.as_deref()
                == Some(&*format!("1.2.826.0.1.3680043.10.1234.78.{n}")))
    );
    series.reverse();
    let (_, reversed) = assemble(&series);
    assert_eq!(fingerprint(&reversed[0]), fingerprint(s));
}

/// A PET/CT study: the CT dose report and the radiopharmaceutical report (TID 10021) of one
/// Study Instance UID, in either order and each received twice, assemble to ONE study that
/// keeps both bodies (the CT report merged, the RRDSR attached whole), every CT event, and a
/// summary with the CT totals and the administered activity and effective dose of the
/// administrations. Neither report supersedes or absorbs the other.
#[test]
fn pet_ct_study_keeps_the_ct_and_the_radiopharmaceutical_report() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let ct = rdsr::parse_file(dir.join("ct_minimal.dcm")).expect("ct_minimal reads");
    let mut nm = rdsr::parse_file(dir.join("rrdsr_full.dcm")).expect("rrdsr_full reads");
    nm.study_instance_uid = ct.study_instance_uid.clone();
    let ct_events = ct.ct().expect("a CT report").events.len();
    assert_eq!(ct_events, 2);
    let orders = [
        vec![ct.clone(), nm.clone(), ct.clone(), nm.clone()],
        vec![nm.clone(), ct.clone(), nm.clone(), ct.clone()],
        vec![ct.clone(), ct.clone(), nm.clone(), nm.clone()],
        vec![nm.clone(), nm.clone(), ct.clone(), ct.clone()],
    ];
    let mut prints = Vec::new();
    for order in &orders {
        let (outcomes, studies) = assemble(order);
        assert_eq!(studies.len(), 1, "one study");
        let s = &studies[0];
        // Each second copy changes nothing.
        assert_eq!(
            outcomes
                .iter()
                .filter(|o| **o == Outcome::Duplicate)
                .count(),
            2,
            "{outcomes:?}"
        );
        assert!(
            !outcomes
                .iter()
                .any(|o| matches!(o, Outcome::Absorbed | Outcome::Supersedes { .. })),
            "{outcomes:?}"
        );
        // Both bodies: the CT report merged with all its events, the RRDSR whole beside it.
        assert!(s.report.ct().is_some(), "the merged report is the CT one");
        assert_eq!(s.number_of_events(), ct_events);
        assert_eq!(s.events().len(), ct_events);
        assert_eq!(s.attached, vec![nm.clone()]);
        assert_eq!(s.series.len(), 2);
        let role = |sop: &Option<String>| {
            s.series
                .iter()
                .find(|x| Some(&x.sop_instance_uid) == sop.as_ref())
                .map(|x| x.role)
        };
        assert_eq!(role(&ct.sop_instance_uid), Some(Role::Added));
        assert_eq!(role(&nm.sop_instance_uid), Some(Role::Attached));
        // The summary: CT totals and the radiopharmaceutical administrations.
        let ct_summary = rdsr::model::Summary::of_report(&ct);
        assert_eq!(s.summary.total_dlp_mgy_cm, ct_summary.total_dlp_mgy_cm);
        assert_eq!(s.summary.number_of_events, ct_events);
        assert_eq!(s.summary.number_of_administrations, Some(3));
        assert_eq!(s.summary.total_administered_activity_mbq, Some(609.0));
        assert_eq!(
            s.summary.total_radiopharmaceutical_effective_dose_msv,
            Some(9.8)
        );
        prints.push(fingerprint(s));
    }
    assert!(prints.windows(2).all(|w| w[0] == w[1]), "order independent");

    // Alone, the RRDSR is its study's report, with its administrations in the summary.
    let (_, alone) = assemble(&[nm.clone()]);
    assert_eq!(
        alone[0].report.radiopharmaceutical(),
        nm.radiopharmaceutical()
    );
    assert_eq!(
        alone[0].summary.total_administered_activity_mbq,
        Some(609.0)
    );
}
