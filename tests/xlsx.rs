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
    common::unstamped(l.reports.remove(0).report, r)
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
        let blank = Report::blank_template(e);
        let got = common::unstamped(l.reports[0].report.clone(), &blank);
        let d = common::diff(&got, &blank);
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

/// Our workbook as a program that does not calculate saves it (openpyxl drops every formula's
/// cached result): the `<v>` of each formula cell removed.
fn without_cached_results(xlsx: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name.starts_with("xl/worksheets/") {
            let text = String::from_utf8(bytes).unwrap();
            // `<f>…</f><v>…</v>` → `<f>…</f>`
            let mut s = String::new();
            let mut rest = text.as_str();
            while let Some(i) = rest.find("</f><v>") {
                s.push_str(&rest[..i + 4]);
                let after = &rest[i + 4..];
                let end = after.find("</v>").unwrap() + 4;
                rest = &after[end..];
            }
            s.push_str(rest);
            bytes = s.into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn totals_without_cached_results_are_recomputed_and_said() {
    for seed in ["000", "001", "002", "003"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/seeds/{seed}.txt"));
        let want = xxgk::read::read_path(&path, None, &Default::default())
            .unwrap()
            .reports
            .remove(0)
            .report;
        let book = xlsx::report_workbook(&want).unwrap();
        let bare = without_cached_results(&book);
        assert!(bare.len() < book.len() + 1024);
        let got = read_bytes(Path::new("resaved.xlsx"), &bare, None, &Default::default())
            .unwrap()
            .reports
            .remove(0);
        assert_eq!(
            got.report, want,
            "seed {seed}: totals recomputed as printed"
        );
        let d = got
            .diagnostics
            .iter()
            .find(|d| d.code == "read.totals_recomputed")
            .unwrap_or_else(|| panic!("seed {seed}: said: {:?}", got.diagnostics));
        assert!(d.message_en.contains("recomputed from their parts"));
        // With the results present, nothing is recomputed or said.
        let full = read_bytes(Path::new("saved.xlsx"), &book, None, &Default::default())
            .unwrap()
            .reports
            .remove(0);
        assert!(full
            .diagnostics
            .iter()
            .all(|d| d.code != "read.totals_recomputed"));
    }
}

#[test]
fn other_formulas_without_results_are_blank_and_named() {
    // An agency's own layout whose totals are formulas saved without results.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/built/agency-000.xlsx");
    let bytes = std::fs::read(&path).unwrap();
    let bare = without_cached_results(&bytes);
    let got = read_bytes(Path::new("agency.xlsx"), &bare, None, &Default::default())
        .unwrap()
        .reports
        .remove(0);
    let d = got
        .diagnostics
        .iter()
        .find(|d| d.code == "read.formula_without_result")
        .unwrap_or_else(|| panic!("said: {:?}", got.diagnostics));
    assert_eq!(d.severity, xxgk::Severity::Warning);
    assert!(
        d.message_zh.contains("年报统计表!"),
        "names the cells: {}",
        d.message_zh
    );
    assert!(d
        .message_en
        .contains("open and save the file in Excel or WPS"));
}

/// The cells a workbook's conditional formats paint, evaluated from the file itself: each
/// `<conditionalFormatting>` formula (the two shapes our writer uses) on the values the sheet
/// holds.
fn painted_cells(book: &[u8]) -> std::collections::BTreeSet<String> {
    use std::collections::{BTreeSet, HashMap};
    use std::io::Read;
    let sheets = xxgk::read::workbook::read(
        Path::new("book.xlsx"),
        book,
        xxgk::read::workbook::Kind::Xlsx,
    )
    .unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
    let mut out = BTreeSet::new();
    for (i, sheet) in sheets.iter().enumerate() {
        let Ok(mut f) = zin.by_name(&format!("xl/worksheets/sheet{}.xml", i + 1)) else {
            continue;
        };
        let mut xml = String::new();
        f.read_to_string(&mut xml).unwrap();
        let values: HashMap<String, String> = sheet
            .cells
            .iter()
            .map(|(&(r, c), t)| (xxgk::write::xlsx::cell_ref(r, c as u16), t.clone()))
            .collect();
        let num = |r: &str| values.get(r).and_then(|t| t.parse::<f64>().ok());
        let refs = |args: &str| -> Vec<String> {
            let mut v = Vec::new();
            for a in args.split(',') {
                if let Some((a, b)) = a.split_once(':') {
                    let split = |s: &str| {
                        let i = s.find(|c: char| c.is_ascii_digit()).unwrap();
                        (s[..i].to_string(), s[i..].parse::<u32>().unwrap())
                    };
                    let ((ca, ra), (cb, rb)) = (split(a), split(b));
                    let col = |c: &str| {
                        c.bytes()
                            .fold(0u32, |n, b| n * 26 + u32::from(b - b'A') + 1)
                    };
                    for r in ra..=rb {
                        for c in col(&ca)..=col(&cb) {
                            v.push(xxgk::write::xlsx::cell_ref(r - 1, (c - 1) as u16));
                        }
                    }
                } else {
                    v.push(a.to_string());
                }
            }
            v
        };
        let mut rest = xml.as_str();
        while let Some(i) = rest.find("<conditionalFormatting sqref=\"") {
            rest = &rest[i + 30..];
            let cell = rest[..rest.find('"').unwrap()].to_string();
            let block = &rest[..rest.find("</conditionalFormatting>").unwrap()];
            // One element may hold several rules for the cell.
            let mut formulas = Vec::new();
            let mut b = block;
            while let Some(fs) = b.find("<formula>") {
                let fe = b.find("</formula>").unwrap();
                formulas.push(b[fs + 9..fe].replace("&lt;", "<").replace("&gt;", ">"));
                b = &b[fe + 10..];
            }
            for formula in formulas {
                let body = formula.trim_start_matches("AND(").trim_end_matches(')');
                let hit = if let Some(sum_at) = body.find(",COUNT(") {
                    // ISNUMBER(me),COUNT(args)>0,me<>SUM(args)
                    let me = &body["ISNUMBER(".len()..sum_at - 1];
                    let args = &body[sum_at + 7..body.find(")>0").unwrap()];
                    let parts = refs(args);
                    let nums: Vec<f64> = parts.iter().filter_map(|p| num(p)).collect();
                    num(me).is_some_and(|m| !nums.is_empty() && m != nums.iter().sum::<f64>())
                } else {
                    // ISNUMBER(a),…,ISNUMBER(d),a+b<>c+d
                    let (_, cmp) = body.rsplit_once(',').unwrap();
                    let (l, r) = cmp.split_once("<>").unwrap();
                    let side =
                        |s: &str| -> Option<f64> { s.split('+').map(num).sum::<Option<f64>>() };
                    matches!((side(l), side(r)), (Some(a), Some(b)) if a != b)
                };
                if hit {
                    out.insert(format!("{}!{cell}", sheet.name));
                }
            }
        }
    }
    out
}

/// One rule set: the cells a workbook paints are exactly the cells `check` names for the sum
/// and balance rules, on the seeds and on reports with cells changed to break every kind of
/// rule (numbers, blanks and marks in parts and totals).
#[test]
fn highlights_and_check_agree_cell_by_cell() {
    use xxgk_schema::{Cell, Kind, Mark, Visit};
    let mut reports = Vec::new();
    for seed in ["000", "001", "002", "003"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/seeds/{seed}.txt"));
        reports.push(
            xxgk::read::read_path(&path, None, &Default::default())
                .unwrap()
                .reports
                .remove(0)
                .report,
        );
    }
    let mut state: u64 = 0x2545F4914F6CDD1D;
    let mut next = |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    for k in 0..24 {
        let mut r = reports[k % 4].clone();
        let mut path = Vec::new();
        r.visit_mut(&mut path, &mut |_, cell, kind| {
            if kind == Kind::Count && next(12) == 0 {
                *cell = match next(4) {
                    0 => Cell::Blank,
                    1 => Cell::Mark(Mark::Slash),
                    _ => Cell::int(next(50) as i64),
                };
            }
        });
        reports.push(r);
    }
    let mut compared = 0;
    for r in &reports {
        let book = xlsx::report_workbook(r).unwrap();
        let painted = painted_cells(&book);
        let grids = xxgk::layout::grids(r);
        let rules = [
            "s3.row_total",
            "s3.results_total",
            "s3.balance",
            "s4.outcome_total",
        ];
        let flagged: std::collections::BTreeSet<String> = xxgk::check::check(r, None)
            .iter()
            .filter(|f| rules.contains(&f.rule))
            .map(|f| xxgk::layout::form_cell(&grids, &f.field).expect("a form cell"))
            .collect();
        assert_eq!(painted, flagged, "{:?}", r.info().agency);
        compared += flagged.len();
    }
    assert!(compared > 50, "the changes break rules: {compared}");
}

/// The information sheet prints one page wide with the ids in a hidden last column; a legend
/// says what the colours mean; workbooks of the earlier layout (ids in column B) still read.
#[test]
fn info_sheet_prints_and_a_legend_explains_the_colours() {
    use std::io::Read;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds/000.txt");
    let r = xxgk::read::read_path(&path, None, &Default::default())
        .unwrap()
        .reports
        .remove(0)
        .report;
    let book = xlsx::report_workbook(&r).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&book)).unwrap();
    let mut wb = String::new();
    z.by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut wb)
        .unwrap();
    assert!(wb.contains("name=\"说明\""), "a legend sheet");
    let mut info = String::new();
    z.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut info)
        .unwrap();
    assert!(info.contains("fitToPage=\"1\""), "fit to the page width");
    assert!(info.contains("fitToHeight=\"0\""));
    assert!(
        info.contains("<col min=\"3\" max=\"3\"") && info.contains("hidden=\"1\""),
        "ids hidden in the last column"
    );
    let sheets =
        xxgk::read::workbook::read(Path::new("b.xlsx"), &book, xxgk::read::workbook::Kind::Xlsx)
            .unwrap();
    let first = &sheets[0];
    assert_eq!(
        first.cells.get(&(0, 1)).map(String::as_str),
        Some("内容 / Value")
    );
    assert!(first.cells.values().any(|t| t == "edition"));
    assert_eq!(via_xlsx(&r), r);
    // The earlier layout: ids in B, values in C.
    let mut old = first.clone();
    old.cells = first
        .cells
        .iter()
        .map(|(&(row, c), t)| {
            let c = match c {
                1 => 2,
                2 => 1,
                c => c,
            };
            ((row, c), t.clone())
        })
        .collect();
    let mut all = sheets.clone();
    all[0] = old;
    let back =
        xxgk::read::tables::reports(Path::new("old.xlsx"), &all, "xlsx", &Default::default())
            .unwrap()
            .remove(0)
            .report;
    assert_eq!(back.info().agency, r.info().agency);
    assert_eq!(back, via_xlsx(&r));
}

/// Cells of an `A1`-style range (`B5`, `B5:H5`) as 0-based (row, col).
fn range_cells(range: &str) -> Vec<(u32, u16)> {
    let one = |s: &str| -> (u32, u16) {
        let i = s.find(|c: char| c.is_ascii_digit()).unwrap();
        let col = s[..i]
            .bytes()
            .fold(0u32, |n, b| n * 26 + u32::from(b - b'A') + 1);
        (s[i..].parse::<u32>().unwrap() - 1, (col - 1) as u16)
    };
    let (a, b) = range.split_once(':').unwrap_or((range, range));
    let ((r0, c0), (r1, c1)) = (one(a), one(b));
    (r0..=r1)
        .flat_map(|r| (c0..=c1).map(move |c| (r, c)))
        .collect()
}

#[test]
fn every_input_cell_is_unlocked_and_validated_and_nothing_else_is() {
    use std::collections::{BTreeMap, BTreeSet};
    use std::io::Read;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds/000.txt");
    let r = xxgk::read::read_path(&path, None, &Default::default())
        .unwrap()
        .reports
        .remove(0)
        .report;
    let book = xlsx::report_workbook(&r).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&book)).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    // Which cell styles leave a cell unlocked, by xf index.
    let styles = read("xl/styles.xml");
    let xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    let unlocked: Vec<bool> = xfs
        .split("<xf ")
        .skip(1)
        .map(|x| {
            let x = &x[..x.find("</xf>").or_else(|| x.find("/>")).unwrap()];
            x.contains("locked=\"0\"")
        })
        .collect();
    let grids = xxgk::layout::grids(&r);
    assert!(grids.len() >= 3);
    let mut inputs_seen = 0;
    for (i, g) in grids.iter().enumerate() {
        // The information sheet comes first.
        let xml = read(&format!("xl/worksheets/sheet{}.xml", i + 2));
        // Each cell's style and whether it holds a formula.
        let mut cells: BTreeMap<(u32, u16), (usize, bool)> = BTreeMap::new();
        for c in xml.split("<c r=\"").skip(1) {
            let at = &c[..c.find('"').unwrap()];
            let head = &c[..c.find('>').unwrap()];
            let s = head
                .split_once(" s=\"")
                .map(|(_, s)| s[..s.find('"').unwrap()].parse::<usize>().unwrap())
                .unwrap_or(0);
            let end = c.find("</c>").unwrap_or(c.len());
            let formula = !head.ends_with('/') && c[..end].contains("<f>");
            cells.insert(range_cells(at)[0], (s, formula));
        }
        // Every validation's rule names the top-left cell of its range.
        let mut validated: BTreeSet<(u32, u16)> = BTreeSet::new();
        for dv in xml.split("<dataValidation ").skip(1) {
            let sqref = dv.split_once("sqref=\"").unwrap().1;
            let sqref = &sqref[..sqref.find('"').unwrap()];
            let rule = &dv[dv.find("<formula1>").unwrap() + 10..dv.find("</formula1>").unwrap()];
            let top_left = sqref.split(':').next().unwrap();
            assert!(
                rule.starts_with(&format!("OR(AND(ISNUMBER({top_left}),"))
                    || rule.starts_with(&format!("OR(ISNUMBER({top_left}),")),
                "{}: {sqref}: {rule}",
                g.name
            );
            for at in range_cells(sqref) {
                assert!(validated.insert(at), "{}: {at:?} validated twice", g.name);
            }
        }
        for p in &g.cells {
            let at = (p.row, p.col);
            let (s, formula) = cells.get(&at).copied().unwrap_or((0, false));
            match &p.content {
                xxgk::layout::Content::Value { path, .. } => {
                    assert!(unlocked[s], "{}: {path} at {at:?} is locked", g.name);
                    assert_eq!(
                        validated.contains(&at),
                        !formula,
                        "{}: {path} at {at:?}: a validation exactly where no formula is",
                        g.name
                    );
                    inputs_seen += usize::from(!formula);
                }
                _ => {
                    assert!(!unlocked[s], "{}: {at:?} is an unlocked label", g.name);
                    assert!(
                        !validated.contains(&at),
                        "{}: label {at:?} validated",
                        g.name
                    );
                }
            }
        }
    }
    assert!(inputs_seen > 100, "{inputs_seen}");
}
