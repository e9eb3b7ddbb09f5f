//! Datasets and our XML: CSV (wide and long), the dataset workbook and the XML form round-trip
//! every real report and generated ones; batch conversion keeps going past bad files.

mod common;

use std::path::Path;
use std::process::Command;

use proptest::prelude::*;
use xxgk::read::read_bytes;
use xxgk::write::csv::{to_csv, write_csv, CsvOptions, Shape};
use xxgk::write::xlsx;
use xxgk_schema::Report;

fn back(name: &str, bytes: &[u8]) -> Vec<Report> {
    read_bytes(Path::new(name), bytes, None, &Default::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .reports
        .into_iter()
        .map(|r| r.report)
        .collect()
}

/// Reports through the long CSV and the reports table beside it, read back from disk.
fn long_back(reports: &[Report]) -> Vec<Report> {
    let d = tempfile::tempdir().unwrap();
    let (mut long, mut table) = (Vec::new(), Vec::new());
    let opts = CsvOptions {
        shape: Shape::Long,
        ..Default::default()
    };
    write_csv(reports, &opts, &mut long, Some(&mut table)).unwrap();
    std::fs::write(d.path().join("tidy.csv"), &long).unwrap();
    std::fs::write(d.path().join("tidy.reports.csv"), &table).unwrap();
    xxgk::read::read_path(&d.path().join("tidy.csv"), None, &Default::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .reports
        .into_iter()
        .map(|r| r.report)
        .collect()
}

#[test]
fn real_reports_round_trip_through_every_dataset_form() {
    let reports: Vec<Report> = common::real_reports().into_iter().map(|x| x.1).collect();
    let (modern, legacy): (Vec<Report>, Vec<Report>) = reports
        .iter()
        .cloned()
        .partition(|r| r.edition() != xxgk_schema::Edition::Legacy);
    // Long CSV (with its reports table) and XML keep everything, legacy included.
    assert_eq!(long_back(&reports), reports);
    assert_eq!(
        back("a.xml", xxgk::xml_form::to_xml(&reports).as_bytes()),
        reports
    );
    // Wide tables (CSV and xlsx) keep everything of 2019/2021 reports.
    assert_eq!(
        back("a.csv", &to_csv(&modern, Shape::Wide, true).unwrap()),
        modern
    );
    assert_eq!(
        back("a.xlsx", &xlsx::dataset_workbook(&modern).unwrap().0),
        modern
    );
    // Legacy reports too, though each has its own indicators and value columns.
    let wide = back("a.csv", &to_csv(&legacy, Shape::Wide, false).unwrap());
    for (a, b) in wide.iter().zip(&legacy) {
        let d = common::diff(a, b);
        assert!(d.is_empty(), "{d:#?}");
    }
    assert_eq!(wide.len(), legacy.len());
}

#[test]
fn dataset_workbook_has_an_id_row_then_a_label_row_and_the_old_order_still_reads() {
    let reports: Vec<Report> = common::real_reports()
        .into_iter()
        .take(3)
        .map(|x| x.1)
        .collect();
    let bytes = xlsx::dataset_workbook(&reports).unwrap().0;
    let sheets = xxgk::read::workbook::read(
        Path::new("d.xlsx"),
        &bytes,
        xxgk::read::workbook::Kind::Xlsx,
    )
    .unwrap();
    let s = &sheets[0];
    let at = |r: u32, c: u32| s.cells.get(&(r, c)).cloned().unwrap_or_default();
    assert_eq!(
        (at(0, 0), at(1, 0)),
        ("report_id".to_string(), "报告标识".to_string())
    );
    assert_eq!(
        (at(0, 1), at(1, 1)),
        ("edition".to_string(), "表格版本".to_string())
    );
    let c = (0..400)
        .find(|&c| at(0, c) == "applications.new_applications.total")
        .unwrap();
    assert_eq!(
        at(1, c),
        "三、收到和处理政府信息公开申请情况·一、本年新收政府信息公开申请数量·总计"
    );
    assert_eq!(at(2, c), "482");
    // A workbook of the older layout (labels first, ids second) reads back the same.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("reports").unwrap();
    for (&(r, c), t) in &s.cells {
        let r = match r {
            0 => 1,
            1 => 0,
            r => r,
        };
        ws.write_string(r, c as u16, t).unwrap();
    }
    let old = wb.save_to_buffer().unwrap();
    assert_eq!(back("old.xlsx", &old), back("new.xlsx", &bytes));
    assert_eq!(back("new.xlsx", &bytes), reports);
}

#[test]
fn long_csv_is_tidy() {
    let r = common::real_reports().remove(0).1;
    let csv = to_csv(std::slice::from_ref(&r), Shape::Long, false).unwrap();
    let text = String::from_utf8(csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "report_id,agency,report_year,edition,section,row_id,column_id,row_label,column_label,unit,value,mark,derived"
    );
    let row = text
        .lines()
        .find(|l| l.contains(",applications,new_applications,natural_person,"))
        .unwrap();
    assert!(
        row.contains("一、本年新收政府信息公开申请数量,自然人,"),
        "{row}"
    );
    // One row per cell of the report, blank cells included, and the seven derived cells of
    // the panel's one-row （六） (a 2021 report).
    let mut rd = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    let derived = rows.iter().filter(|r| &r[12] == "TRUE").count();
    assert_eq!(r.edition(), xxgk_schema::Edition::E2021);
    assert_eq!(derived, 7);
    assert_eq!(rows.len() - derived, r.cells().len());
    // `value` is numeric or empty in every row.
    assert!(rows
        .iter()
        .all(|r| r[10].is_empty() || r[10].parse::<f64>().is_ok()));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn generated_reports_round_trip_csv_xlsx_xml(rs in proptest::collection::vec(common::any_report_strategy(), 1..4)) {
        prop_assert_eq!(&back("g.csv", &to_csv(&rs, Shape::Wide, true).unwrap()), &rs);
        prop_assert_eq!(&long_back(&rs), &rs);
        prop_assert_eq!(&back("g.xlsx", &xlsx::dataset_workbook(&rs).unwrap().0), &rs);
        prop_assert_eq!(&back("g.xml", xxgk::xml_form::to_xml(&rs).as_bytes()), &rs);
    }

    /// NDJSON lines are what serde_json writes, byte for byte (the writer escapes strings a
    /// block at a time, and must not differ).
    #[test]
    fn ndjson_lines_are_serde_json_lines(rs in proptest::collection::vec(common::any_report_strategy(), 1..4)) {
        let mut expected = Vec::new();
        for r in &rs {
            serde_json::to_writer(&mut expected, r).unwrap();
            expected.push(b'\n');
        }
        prop_assert_eq!(xxgk::write::json::to_ndjson(&rs), expected);
    }
}

#[test]
fn real_reports_are_written_as_serde_json_writes_them() {
    let reports = common::real_reports();
    assert!(reports.len() >= 20, "{} real reports", reports.len());
    for (path, r) in &reports {
        let mut line = Vec::new();
        xxgk::write::json::ndjson_line(r, &mut line).unwrap();
        let mut expected = serde_json::to_vec(r).unwrap();
        expected.push(b'\n');
        assert!(line == expected, "{}", path.display());
    }
}

fn xxgk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_xxgk"))
}

#[test]
fn batch_keeps_going_and_reports_failures() {
    let d = tempfile::tempdir().unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
    for s in ["000", "001", "003"] {
        std::fs::copy(
            seeds.join(format!("{s}.txt")),
            d.path().join(format!("{s}.txt")),
        )
        .unwrap();
    }
    std::fs::write(d.path().join("broken.xlsx"), b"PK\x03\x04 not a workbook").unwrap();
    std::fs::write(
        d.path().join("notes.txt"),
        "没有表格的文字 / no tables here",
    )
    .unwrap();
    let out = d.path().join("all.csv");
    let o = xxgk()
        .arg("convert")
        .arg(d.path())
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "some inputs failed");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("2 个文件无法读取 / 2 file(s) could not be read"),
        "{err}"
    );
    assert!(
        err.contains("broken.xlsx") && err.contains("notes.txt"),
        "{err}"
    );
    let csv = std::fs::read(&out).unwrap();
    let reports = back("all.csv", &csv);
    assert_eq!(reports.len(), 3);
    // Running again over the same directory does not read its own output, and refuses to
    // overwrite without --force.
    let o = xxgk()
        .arg("convert")
        .arg(d.path())
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
}

#[test]
fn cli_writes_every_format_and_the_template() {
    let d = tempfile::tempdir().unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds/000.txt");
    for (name, extra) in [
        ("r.xlsx", vec![]),
        ("r.csv", vec![]),
        ("long.csv", vec!["--shape", "long"]),
        ("r.xml", vec![]),
        ("d.xlsx", vec!["--dataset"]),
    ] {
        let p = d.path().join(name);
        let o = xxgk()
            .arg("convert")
            .arg(&seed)
            .arg("-o")
            .arg(&p)
            .args(&extra)
            .arg("-q")
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let j = xxgk()
            .arg("convert")
            .arg(&p)
            .arg("-o")
            .arg("-")
            .arg("-q")
            .output()
            .unwrap();
        assert!(
            j.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&j.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&j.stdout).unwrap();
        assert_eq!(
            v["applications"]["new_applications"]["total"], 482,
            "{name}"
        );
    }
    // CSV starts with a UTF-8 BOM for Excel unless --no-bom.
    assert!(std::fs::read(d.path().join("r.csv"))
        .unwrap()
        .starts_with(b"\xEF\xBB\xBF"));
    let p = d.path().join("plain.csv");
    let o = xxgk()
        .arg("convert")
        .arg(&seed)
        .arg("-o")
        .arg(&p)
        .args(["--no-bom", "-q"])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(std::fs::read(&p).unwrap().starts_with(b"report_id,"));
    let o = xxgk()
        .args(["template", "--edition", "legacy", "-o"])
        .arg(d.path().join("l.xlsx"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no national form"));
    let t = d.path().join("t.xlsx");
    let o = xxgk()
        .args(["template", "--edition", "2019", "-o"])
        .arg(&t)
        .output()
        .unwrap();
    assert!(o.status.success());
    let j = xxgk()
        .arg("convert")
        .arg(&t)
        .arg("-o")
        .arg("-")
        .arg("-q")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&j.stdout).unwrap();
    assert_eq!(v["edition"], "2019");
    assert!(v["proactive_disclosure"]["art20_item9"].is_object());
}
