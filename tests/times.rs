//! Report and event times against the Timezone Offset From UTC (0008,0201) of real reports
//! (skipped with a message when `../shared/corpus` is absent). The same rules on
//! builder-written reports are unit tests of `src/report.rs`.

use std::path::PathBuf;

use chrono::FixedOffset;
use rdsr::DoseReport;

fn corpus_report(file: &str) -> Option<DoseReport> {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")).join(file);
    if !path.is_file() {
        eprintln!(
            "SKIPPED: {} is absent; this test needs the corpus",
            path.display()
        );
        return None;
    }
    Some(rdsr::parse_file(&path).expect("the corpus report parses"))
}

#[test]
fn malformed_timezone_offset_utc_minus_04_00_gives_a_diagnostic() {
    // GE OEC writes (0008,0201) as "UTC-04:00" instead of "-0400".
    let Some(r) = corpus_report("files/openrem-0.10.0/RF-RDSR-GE.dcm") else {
        return;
    };
    assert_eq!(r.timezone_offset_from_utc, None);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "datetime.timezone_offset_malformed")
        .expect("a diagnostic for the malformed offset");
    assert!(d.message.contains("UTC-04:00"), "{}", d.message);
    let p = r.projection().expect("a projection report");
    assert!(
        p.events
            .iter()
            .filter_map(|e| e.date_time_started)
            .all(|d| d.is_naive())
    );
}

#[test]
fn timezone_offset_applies_to_the_irradiation_times_of_a_ct_report() {
    let Some(r) = corpus_report("files/openrem-0.10.0/CT-RDSR-ToshibaPixelMed.dcm") else {
        return;
    };
    let utc = FixedOffset::east_opt(0);
    assert_eq!(r.timezone_offset_from_utc, utc);
    let c = r.ct().expect("a CT report");
    let start = c.start_of_xray_irradiation.expect("a start time");
    assert_eq!(start.offset, utc);
    assert!(start.to_fixed_offset().is_some());
    if let Some(end) = c.end_of_xray_irradiation {
        assert_eq!(end.offset, utc);
        assert!(start <= end);
    }
}
