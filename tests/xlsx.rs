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

#[test]
fn a_word_typed_into_a_value_cell_is_reported_at_that_cell() {
    // An agency's own sheet (written with rust_xlsxwriter, no info sheet): section 三 with a
    // word where a number belongs.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("依申请").unwrap();
    let heads = [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ];
    ws.write_string(0, 0, "三、收到和处理政府信息公开申请情况")
        .unwrap();
    ws.write_string(
        1,
        0,
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    )
    .unwrap();
    for (i, h) in heads.iter().enumerate() {
        ws.write_string(1, 1 + i as u16, *h).unwrap();
    }
    ws.write_string(2, 0, "一、本年新收政府信息公开申请数量")
        .unwrap();
    ws.write_string(2, 1, "十二").unwrap();
    for (i, v) in [3, 0, 0, 0, 0, 15].iter().enumerate() {
        ws.write_number(2, 2 + i as u16, *v as f64).unwrap();
    }
    ws.write_string(3, 0, "二、上年结转政府信息公开申请数量")
        .unwrap();
    for i in 0..7u16 {
        ws.write_number(3, 1 + i, 0.0).unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    let l = read_bytes(
        Path::new("own.xlsx"),
        &bytes,
        Some(xxgk::read::InputFormat::Xlsx),
        &Default::default(),
    )
    .unwrap();
    let r = &l.reports[0];
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "recognize.value_not_a_number")
        .expect("a diagnostic for the word");
    assert_eq!(d.origin.as_ref().unwrap().to_string(), "依申请!B3");
    assert!(d.message_zh.contains("十二") && d.message_en.contains("not a number"));
    // The rest of the row is kept in place.
    let cell = |p: &str| r.report.cell(p).unwrap().display().into_owned();
    assert_eq!(cell("applications.new_applications.natural_person"), "");
    assert_eq!(
        cell("applications.new_applications.commercial_enterprise"),
        "3"
    );
    assert_eq!(cell("applications.new_applications.total"), "15");
}
