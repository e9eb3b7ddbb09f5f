//! The five seed reports, converted from pasted text: every printed number in the right field.

use std::path::{Path, PathBuf};

use xxgk::check::check;
use xxgk::read::read_path;
use xxgk::recognize::Recognized;
use xxgk_schema::{Edition, Report};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

fn load(rel: &str) -> Recognized {
    let mut l = read_path(&fixture(rel), None, &Default::default()).expect(rel);
    assert_eq!(l.reports.len(), 1);
    l.reports.remove(0)
}

/// Cells under `prefix` (in form order), displayed: "" blank, "?" absent path.
fn row(r: &Report, prefix: &str) -> Vec<String> {
    r.cells()
        .into_iter()
        .filter(|(p, _, _)| p.starts_with(prefix) && p[prefix.len()..].starts_with('.'))
        .map(|(_, c, _)| c.display().into_owned())
        .collect()
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

const A: &str = "applications";

#[test]
fn seed000_taixing_2021() {
    let rec = load("seeds/000.txt");
    let r = &rec.report;
    assert_eq!(r.edition(), Edition::E2021);
    assert_eq!(r.info().agency.as_deref(), Some("泰兴市人民政府"));
    assert_eq!(r.info().report_year, Some(2021));
    let p = "proactive_disclosure";
    assert_eq!(
        row(r, &format!("{p}.art20_item1")),
        s(&["0", "0", "0", "2", "0", "43"])
    );
    assert_eq!(row(r, &format!("{p}.art20_item5")), s(&["50076"]));
    assert_eq!(row(r, &format!("{p}.art20_item6")), s(&["5370", "1509"]));
    assert_eq!(row(r, &format!("{p}.art20_item8")), s(&["9119.15"]));
    assert_eq!(
        row(r, &format!("{A}.new_applications")),
        s(&["469", "13", "0", "0", "0", "0", "482"])
    );
    assert_eq!(
        row(r, &format!("{A}.carried_over_from_previous_year")),
        s(&["15", "0", "0", "0", "0", "0", "15"])
    );
    assert_eq!(
        row(r, &format!("{A}.results.granted")),
        s(&["147", "6", "0", "0", "0", "0", "153"])
    );
    assert_eq!(
        row(r, &format!("{A}.results.partially_granted")),
        s(&["88", "3", "0", "0", "0", "0", "91"])
    );
    assert_eq!(
        row(r, &format!("{A}.results.denied.prohibited_by_other_law")),
        s(&["6", "0", "0", "0", "0", "0", "6"])
    );
    assert_eq!(
        row(r, &format!("{A}.results.denied.process_information")),
        s(&["16", "0", "0", "0", "0", "0", "16"])
    );
    assert_eq!(
        row(
            r,
            &format!("{A}.results.denied.administrative_query_matter")
        ),
        s(&["5", "0", "0", "0", "0", "0", "5"])
    );
    assert_eq!(
        row(r, &format!("{A}.results.unable_to_provide.not_held")),
        s(&["121", "3", "0", "0", "0", "0", "124"])
    );
    assert_eq!(
        row(r, &format!("{A}.results.not_processed.duplicate")),
        s(&["26", "0", "0", "0", "0", "0", "26"])
    );
    // The label "(六)其\n他处理" is split over two lines; its 2021 sub-rows still land.
    assert_eq!(
        row(r, &format!("{A}.results.other_handling.other")),
        s(&["51", "0", "0", "0", "0", "0", "51"])
    );
    assert_eq!(
        row(r, &format!("{A}.results.total")),
        s(&["474", "13", "0", "0", "0", "0", "487"])
    );
    assert_eq!(
        row(r, &format!("{A}.carried_forward_to_next_year")),
        s(&["10", "0", "0", "0", "0", "0", "10"])
    );
    assert_eq!(
        row(r, "review_litigation"),
        s(
            &[
                "80", "12", "39", "16", "147", "23", "1", "2", "23", "49", "30", "0", "0", "11",
                "41"
            ]
        )
    );
    assert!(
        r.cells().iter().all(|(_, c, _)| !c.is_blank()),
        "every cell of seed 000 is printed"
    );
    assert!(
        check(r, Some(&rec.origins)).is_empty(),
        "seed 000 is consistent"
    );
    assert!(rec.diagnostics.is_empty(), "{:?}", rec.diagnostics);
    let n = rec.report.edition();
    assert_eq!(n, Edition::E2021);
    let Report::E2021(full) = r else {
        unreachable!()
    };
    assert!(full
        .narrative
        .other_matters
        .as_deref()
        .unwrap()
        .contains("未收取政府信息公开信息处理费"));
    assert!(full
        .narrative
        .general
        .as_deref()
        .unwrap()
        .starts_with("(一)政务公开体制机制建设情况"));
}

#[test]
fn seed001_zhumadian_2020_lost_cells_are_not_shifted() {
    let rec = load("seeds/001.txt");
    let r = &rec.report;
    assert_eq!(r.edition(), Edition::E2019);
    assert_eq!(r.info().agency.as_deref(), Some("驻马店市人民政府"));
    assert_eq!(r.info().report_year, Some(2020));
    assert_eq!(r.info().published_date.as_deref(), Some("2021-03-08"));
    let p = "proactive_disclosure";
    assert_eq!(
        row(r, &format!("{p}.art20_item1")),
        s(&["1", "1", "2", "202", "202", "601"])
    );
    assert_eq!(
        row(r, &format!("{p}.art20_item5")),
        s(&["294", "6", "98537", "1390", "-58", "2120471"])
    );
    assert_eq!(
        row(r, &format!("{p}.art20_item6")),
        s(&["1733", "-24", "776", "77", "0", "16"])
    );
    assert_eq!(row(r, &format!("{p}.art20_item8")), s(&["22", "0"]));
    assert_eq!(
        row(r, &format!("{p}.art20_item9")),
        s(&["708", "179092.2001"])
    );
    let Report::E2019(full) = r else {
        unreachable!()
    };
    assert_eq!(
        full.proactive_disclosure
            .as_ref()
            .unwrap()
            .art20_item9
            .centralized_procurement
            .total_amount_unit,
        Some(xxgk_schema::AmountUnit::TenThousandYuan)
    );
    // NBSP-prefixed values (" 0", " 93") read as numbers.
    assert_eq!(
        row(r, &format!("{A}.new_applications")),
        s(&["363", "6", "0", "1", "2", "0", "372"])
    );
    assert_eq!(
        row(r, &format!("{A}.results.unable_to_provide.not_held")),
        s(&["93", "1", "0", "0", "1", "0", "95"])
    );
    assert_eq!(
        row(r, &format!("{A}.results.other_handling")),
        s(&["34", "1", "0", "0", "0", "0", "35"])
    );
    assert_eq!(
        row(r, &format!("{A}.results.total")),
        s(&["364", "7", "0", "1", "2", "0", "374"])
    );
    // Rows that lost a cell in copying: nothing is guessed.
    for lost in [
        "endangers_security_stability",
        "third_party_rights",
        "internal_affairs",
        "process_information",
    ] {
        let cells = row(r, &format!("{A}.results.denied.{lost}"));
        assert_eq!(cells.len(), 7);
        assert!(cells.iter().all(String::is_empty), "{lost}: {cells:?}");
        let d = rec
            .diagnostics
            .iter()
            .find(|d| d.path.as_deref() == Some(&format!("{A}.results.denied.{lost}")))
            .unwrap_or_else(|| panic!("a diagnostic for {lost}"));
        assert!(matches!(d.origin, Some(xxgk::Origin::Line { .. })));
        assert!(d.message_zh.contains("应有 7 个数值"));
        assert!(d.message_en.contains("should have 7 values"));
    }
    assert_eq!(
        row(r, "review_litigation"),
        s(&["17", "8", "2", "0", "27", "29", "0", "7", "0", "36", "6", "1", "0", "0", "7"])
    );
}

#[test]
fn seed002_quanzhou_2020_pipes_and_signs() {
    let rec = load("seeds/002.txt");
    let r = &rec.report;
    assert_eq!(r.edition(), Edition::E2019);
    assert_eq!(
        r.info().agency.as_deref(),
        Some("泉州台商投资区规划建设与交通运输局")
    );
    let p = "proactive_disclosure";
    // Both 2019 item-1 headers are truncated to "本年新": columns by position.
    assert_eq!(
        row(r, &format!("{p}.art20_item1")),
        s(&["0", "0", "0", "5", "5", "5"])
    );
    assert_eq!(
        row(r, &format!("{p}.art20_item5")),
        s(&["182", "1", "753", "57", "10", "2496"])
    );
    assert_eq!(
        row(r, &format!("{p}.art20_item6")),
        s(&["530", "18", "231", "25", "0", "127"])
    );
    assert_eq!(row(r, &format!("{p}.art20_item8")), s(&["4", "0"]));
    assert_eq!(row(r, &format!("{p}.art20_item9")), s(&["38", "3985054"]));
    assert_eq!(
        row(r, &format!("{A}.new_applications")),
        s(&["8", "0", "0", "0", "0", "0", "8"])
    );
    assert_eq!(
        row(r, &format!("{A}.results.partially_granted")),
        s(&["6", "0", "0", "0", "0", "0", "6"])
    );
    assert_eq!(
        row(r, &format!("{A}.results.total")),
        s(&["8", "0", "0", "0", "0", "0", "8"])
    );
    // Section 四 printed 14 zeros for 15 cells: which one was lost cannot be proven.
    assert!(row(r, "review_litigation").iter().all(String::is_empty));
    assert!(rec
        .diagnostics
        .iter()
        .any(|d| d.code == "recognize.row_cells_uncertain"
            && d.path.as_deref() == Some("review_litigation")));
}

#[test]
fn seed003_anhua_2021_total_printed_as_zero_is_caught() {
    let rec = load("seeds/003.txt");
    let r = &rec.report;
    assert_eq!(r.edition(), Edition::E2021);
    assert_eq!(r.info().agency.as_deref(), Some("安化县人民政府"));
    // The page's address ends where the prose after it begins (`…index.htm)信息公开年报…`).
    assert_eq!(
        r.info().source.as_ref().and_then(|s| s.url.as_deref()),
        Some("http://www.anhua.gov.cn/index.htm")
    );
    let p = "proactive_disclosure";
    assert_eq!(
        row(r, &format!("{p}.art20_item1")),
        s(&["0", "0", "0", "19", "8", "88"])
    );
    assert_eq!(row(r, &format!("{p}.art20_item5")), s(&["21719"]));
    assert_eq!(row(r, &format!("{p}.art20_item6")), s(&["77236", "77"]));
    assert_eq!(row(r, &format!("{p}.art20_item8")), s(&["6266.18"]));
    assert_eq!(
        row(r, &format!("{A}.new_applications")),
        s(&["36", "0", "0", "0", "0", "0", "36"])
    );
    assert_eq!(
        row(r, &format!("{A}.results.granted")),
        s(&["27", "0", "0", "0", "0", "0", "27"])
    );
    assert_eq!(
        row(r, &format!("{A}.results.other_handling.correction_overdue")),
        s(&["3", "0", "0", "0", "0", "0", "3"])
    );
    assert_eq!(
        row(r, &format!("{A}.results.total")),
        s(&["0", "0", "0", "0", "0", "0", "0"])
    );
    assert_eq!(
        row(r, "review_litigation"),
        s(&["15", "13", "13", "1", "42", "1", "0", "3", "0", "4", "1", "0", "2", "1", "4"])
    );
    let f = check(r, Some(&rec.origins));
    let total = f
        .iter()
        .find(|f| f.rule == "s3.results_total" && f.field == "applications.results.total.total")
        .expect("(七)总计 printed 0 while its rows sum to 36");
    assert_eq!(total.printed, "0");
    assert_eq!(total.expected, "36");
    assert!(matches!(total.origin, Some(xxgk::Origin::Line { .. })));
    assert!(f
        .iter()
        .any(|f| f.rule == "s3.balance" && f.field == "applications.results.total.total"));
    assert!(
        f.iter()
            .all(|f| f.field.starts_with("applications.results.total.")),
        "{f:#?}"
    );
}

#[test]
fn seed004_jinshi_2012_legacy_indicators() {
    let rec = load("seeds/004.txt");
    let Report::Legacy(r) = &rec.report else {
        panic!("legacy expected")
    };
    assert_eq!(r.info.agency.as_deref(), Some("津市市人民政府"));
    assert_eq!(r.info.report_year, Some(2012));
    let st = r.statistics.as_ref().unwrap();
    assert_eq!(st.value_columns, ["数量"]);
    let v = |id: &str| -> String {
        let i = st
            .indicators
            .iter()
            .find(|i| i.id.as_deref() == Some(id))
            .unwrap_or_else(|| panic!("{id}"));
        i.values[0].display().into_owned()
    };
    assert_eq!(v("proactive_items"), "3700");
    assert_eq!(v("proactive_items_full_text_electronic"), "2400");
    assert_eq!(v("new_normative_documents"), "27");
    assert_eq!(v("applications_total"), "42");
    assert_eq!(v("applications_in_person"), "5");
    assert_eq!(v("applications_fax"), "2");
    assert_eq!(v("applications_email"), "");
    assert_eq!(v("applications_online"), "35");
    assert_eq!(v("replies_granted"), "39");
    assert_eq!(v("refused_unclear"), "2");
    assert_eq!(v("portal_column_page_views"), "542000");
    assert_eq!(v("staff_total"), "78");
    assert_eq!(v("staff_full_time"), "8");
    assert_eq!(v("staff_part_time"), "70");
    assert_eq!(v("dedicated_budget_10k_cny"), "3");
    let pv = st
        .indicators
        .iter()
        .find(|i| i.id.as_deref() == Some("portal_column_page_views"))
        .unwrap();
    assert_eq!(pv.unit.as_deref(), Some("人次"));
    assert!(st
        .indicators
        .iter()
        .any(|i| i.label.contains("危及安全和稳定") && i.values[0].display() == "1"));
    // The legacy sums hold: 42 = 5 + 2 + 35, 78 = 8 + 70.
    assert!(check(&rec.report, None).is_empty());
    assert!(r
        .narrative
        .iter()
        .any(|n| n.heading == "八、存在的主要问题和改进措施"));
}

#[test]
fn corpus_shanghai_2019_html_page() {
    let rec = load("corpus/001_shanghai-szfbgt_2019.html");
    let r = &rec.report;
    assert_eq!(r.edition(), Edition::E2019);
    assert_eq!(r.info().agency.as_deref(), Some("上海市人民政府办公厅"));
    assert_eq!(r.info().report_year, Some(2019));
    assert_eq!(r.info().published_date.as_deref(), Some("2020-01-31"));
    let p = "proactive_disclosure";
    assert_eq!(
        row(r, &format!("{p}.art20_item1")),
        s(&["13", "13", "524", "60", "60", "368"])
    );
    // "251000元": the unit printed in the cell is kept.
    assert_eq!(row(r, &format!("{p}.art20_item9")), s(&["6", "251000"]));
    let Report::E2019(full) = r else {
        unreachable!()
    };
    assert_eq!(
        full.proactive_disclosure
            .as_ref()
            .unwrap()
            .art20_item9
            .centralized_procurement
            .total_amount_unit,
        Some(xxgk_schema::AmountUnit::Yuan)
    );
    // Blank cells (&nbsp;) stay null, distinct from 0.
    assert_eq!(
        row(r, &format!("{A}.new_applications")),
        s(&["821", "35", "", "", "2", "1", "859"])
    );
    assert_eq!(
        row(r, &format!("{A}.results.granted")),
        s(&["258", "12", "", "", "1", "1", ""])
    );
    assert_eq!(
        row(r, &format!("{A}.results.total")),
        s(&["767", "35", "", "", "2", "1", "805"])
    );
    assert_eq!(
        row(r, &format!("{A}.carried_forward_to_next_year")),
        s(&["72", "", "", "", "", "", "72"])
    );
    assert_eq!(
        row(r, "review_litigation"),
        s(&["5", "", "", "2", "7", "8", "", "", "1", "9", "", "", "", "", ""])
    );
    // Origins are table cells.
    let o = rec.origin("applications.new_applications.total").unwrap();
    assert!(matches!(o, xxgk::Origin::Cell { .. }), "{o:?}");
    // 859 + 18 = 805 + 72: the stated rule holds.
    assert!(check(r, Some(&rec.origins))
        .iter()
        .all(|f| f.rule != "s3.balance"));
}

#[test]
fn gbk_and_big5_pages_declare_their_charset() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus/001_shanghai-szfbgt_2019.html");
    let body = std::fs::read_to_string(&path).unwrap();
    let want = xxgk::read::read_path(&path, None, &Default::default())
        .unwrap()
        .reports
        .remove(0)
        .report;
    for (label, enc) in [("gb2312", encoding_rs::GBK), ("big5", encoding_rs::BIG5)] {
        let page = format!(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={label}\"></head><body>{body}</body></html>"
        );
        // Characters the encoding lacks become numeric references, as browsers save them.
        let (bytes, _, _) = enc.encode(&page);
        let got = xxgk::read::read_bytes(Path::new("page.html"), &bytes, None, &Default::default())
            .unwrap()
            .reports
            .remove(0)
            .report;
        let cells = |r: &Report| -> Vec<String> {
            r.cells()
                .into_iter()
                .map(|(_, c, _)| c.display().into_owned())
                .collect()
        };
        assert_eq!(cells(&got), cells(&want), "{label}");
        assert_eq!(got.info().agency, want.info().agency, "{label}");
    }
}
