//! Files built by independent tools (openpyxl, python-docx, LibreOffice; see
//! `scripts/make_fixtures.py`) from the seed reports import with every number in the right field.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use xxgk::read::read_path;
use xxgk_schema::Report;

fn seed(name: &str) -> Report {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/seeds")
        .join(format!("{name}.txt"));
    read_path(&p, None, &Default::default())
        .unwrap()
        .reports
        .remove(0)
        .report
}

fn cells(r: &Report) -> BTreeMap<String, String> {
    r.cells()
        .into_iter()
        .map(|(p, c, _)| (p, c.display().into_owned()))
        .collect()
}

fn built(prefix: &str) -> Vec<PathBuf> {
    common::fixtures("built", &["xlsx", "xls", "ods", "html", "docx", "xml"])
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect()
}

/// The seed a fixture was built from: the three digits in its name.
fn seed_of(p: &Path) -> String {
    let n = p.file_stem().unwrap().to_string_lossy().into_owned();
    n.rsplit('-').next().unwrap().to_string()
}

fn assert_same_cells(p: &Path, got: &Report, want: &Report) {
    assert_eq!(got.edition(), want.edition(), "{}", p.display());
    let (g, w) = (cells(got), cells(want));
    // LibreOffice's .xls export stores the empty result of our blank-total formula
    // (`IF(COUNT(…)=0,"",SUM(…))`) as 0, and calamine cannot re-evaluate LibreOffice's shared
    // formulas: in such files a blank total of an all-blank row reads as the 0 the file holds.
    let xls = p.extension().is_some_and(|e| e == "xls");
    let lo_zero = |k: &str, v: &str| {
        xls && k.ends_with(".total")
            && v.is_empty()
            && g.get(k).map(String::as_str) == Some("0")
            && w.iter()
                .filter(|(kk, _)| {
                    kk.rsplit_once('.').map(|x| x.0) == k.rsplit_once('.').map(|x| x.0)
                })
                .all(|(_, vv)| vv.is_empty())
    };
    let diff: Vec<String> = w
        .iter()
        .filter(|(k, v)| g.get(*k) != Some(v) && !lo_zero(k, v))
        .map(|(k, v)| format!("{k}: want {v:?} got {:?}", g.get(k)))
        .chain(
            g.keys()
                .filter(|k| !w.contains_key(*k))
                .map(|k| format!("{k}: unexpected")),
        )
        .collect();
    assert!(
        diff.is_empty(),
        "{}: {} cells differ: {:#?}",
        p.display(),
        diff.len(),
        &diff[..diff.len().min(10)]
    );
}

fn check_all(prefix: &str, min: usize) {
    let files = built(prefix);
    assert!(files.len() >= min, "{prefix}: {} files", files.len());
    for p in files {
        let mut l = read_path(&p, None, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(l.reports.len(), 1, "{}", p.display());
        assert_same_cells(&p, &l.reports.remove(0).report, &seed(&seed_of(&p)));
    }
}

#[test]
fn agency_workbooks_from_openpyxl() {
    check_all("agency-0", 5);
}

#[test]
fn several_reports_on_several_sheets() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/built/agency-multi.xlsx");
    let l = read_path(&p, None, &Default::default()).unwrap();
    assert_eq!(l.reports.len(), 3);
    for (r, s) in l.reports.iter().zip(["000", "001", "003"]) {
        assert_same_cells(&p, &r.report, &seed(s));
    }
    // Diagnostics point at the sheet and cell.
    let o = l.reports[1]
        .origin("applications.new_applications.natural_person")
        .unwrap();
    assert!(o.to_string().starts_with("报告001!"), "{o}");
}

#[test]
fn libreoffice_xls_ods_html() {
    check_all("lo-", 15);
}

#[test]
fn word_documents_from_python_docx() {
    check_all("word-", 4);
}

#[test]
fn excel_2003_xml() {
    check_all("xml2003-", 10);
}

/// A real report's Word-exported page printed the way its Word file would be (LibreOffice opens
/// the page as a document and exports it to PDF; `lo-word-026.pdf`): every value underlined,
/// some drawn a line above their row's other values, the section 三 table over four pages. Every
/// cell reads exactly as the page itself reads (whose cells `tests/corpus.rs` asserts against an
/// independent transcription).
#[test]
fn a_word_pdf_of_a_real_report_reads_as_its_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &str| {
        read_path(&root.join(p), None, &Default::default())
            .unwrap()
            .reports
            .remove(0)
    };
    let page = read("fixtures/corpus/026_pingtan_2020.html");
    let pdf = read("fixtures/built/lo-word-026.pdf");
    let p = root.join("fixtures/built/lo-word-026.pdf");
    assert_same_cells(&p, &pdf.report, &page.report);
    assert!(cells(&page.report).len() >= 190);
    assert_eq!(pdf.report.info().report_year, Some(2020));
    // The procurement amount's unit, printed in its cell after the number (`75394432.52 元`).
    let unit = |r: &Report| {
        serde_json::to_value(r).unwrap()["proactive_disclosure"]["art20_item9"]
            ["centralized_procurement"]["total_amount_unit"]
            .clone()
    };
    assert_eq!(unit(&page.report), "yuan");
    assert_eq!(unit(&pdf.report), unit(&page.report));
}
