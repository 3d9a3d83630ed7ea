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
    assert_eq!(s.summary.total_dlp, Some(236.09));
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
    assert_eq!(studies[0].summary.total_dlp, Some(236.09));
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
        .filter_map(|a| a.ct_dose_length_product_total)
        .sum();
    let total = s.summary.total_dlp.expect("study DLP total");
    assert!((total - parts).abs() < 1e-9, "{total} vs {parts}");
    for (i, series) in s.series.iter().enumerate() {
        assert_eq!(series.number_of_events, 2, "series {i}");
        assert!(series.summary.total_dlp.is_some());
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
        assert_eq!(s.summary.total_dap_a, Some(1.6e-5));
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
        assert_eq!(s.total_dap_a, Some(0.0005), "plane A chosen by its code");
        assert_eq!(s.total_rp_dose_a, Some(0.04));
        assert_eq!(s.total_dap_b, Some(0.0003));
        assert_eq!(s.total_rp_dose_b, Some(0.02));
        let total = s.total_dap.expect("total DAP");
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
        assert_eq!(s.total_dap_a, Some(1.5e308));
        assert_eq!(s.total_dap_b, Some(1e308));
        assert_eq!(s.total_dap, None, "plane A + plane B overflows");

        let other = biplane_with("huge-2", ["1e308", "1.5e308"], ["d", "e", "f"]);
        let mut a = StudyAssembler::new();
        a.add(huge);
        a.add(other);
        let studies = a.studies();
        assert_eq!(studies.len(), 1, "one study, two reports");
        let s = &studies[0].summary;
        assert_eq!(s.number_of_events, 6);
        assert_eq!(s.total_dap_a, None, "1.5e308 twice overflows");
        assert_eq!(s.total_dap_b, None, "1e308 twice overflows");
        assert_eq!(s.total_dap, None);
        let json = serde_json::to_string(&studies[0]).expect("a study serialises");
        let back: rdsr::study::AssembledStudy =
            serde_json::from_str(&json).expect("and reads back");
        assert_eq!(back, studies[0]);
    }
}
