//! Excel both ways: every real report and generated reports survive json → xlsx → json; the
//! workbook is fillable (protected, unlocked inputs, validation, formulas with cached values);
//! agency-made layouts are found by labels; errors name the sheet and cell.

mod common;

use std::path::Path;

use proptest::prelude::*;
use xxgk::read::read_bytes;
use xxgk::write::xlsx;
use xxgk_schema::{Edition, Report};

fn via_xlsx(r: &Report) -> Report {
    let bytes = xlsx::report_workbook(r).unwrap();
    let mut l = read_bytes(Path::new("r.xlsx"), &bytes, None, &Default::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(l.reports.len(), 1);
    l.reports.remove(0).report
}

#[test]
fn every_real_report_survives_xlsx() {
    let reports = common::real_reports();
    assert!(reports.len() >= 24);
    for (p, r) in reports {
        let back = via_xlsx(&r);
        let d = common::diff(&back, &r);
        assert!(
            d.is_empty(),
            "{}: {:#?}",
            p.display(),
            &d[..d.len().min(12)]
        );
    }
}

#[test]
fn templates_read_back_blank() {
    for e in [Edition::E2021, Edition::E2019] {
        let bytes = xlsx::template(e).unwrap();
        let l = read_bytes(Path::new("t.xlsx"), &bytes, None, &Default::default()).unwrap();
        let d = common::diff(&l.reports[0].report, &Report::blank_template(e));
        assert!(d.is_empty(), "{e}: {d:#?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn generated_reports_survive_xlsx(r in common::any_report_strategy()) {
        let d = common::diff(&via_xlsx(&r), &r);
        if !d.is_empty() {
            if let Ok(p) = std::env::var("XXGK_DUMP_FAILURE") {
                std::fs::write(p, serde_json::to_vec_pretty(&r).unwrap()).unwrap();
            }
        }
        prop_assert!(d.is_empty(), "{:#?}", d);
    }
}
