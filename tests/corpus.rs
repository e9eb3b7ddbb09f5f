//! Real published reports, value by value: every document of `fixtures/corpus` with a
//! transcription in `tests/expected/` converts with every printed number in its field.
//!
//! A transcription lists every row of the report's form (`path = v1 v2 …`, in printed column
//! order): a number, `_` for a cell the report left blank, or `?` for a cell the source itself
//! damaged, which must stay null while the report carries a warning naming its row. Every cell of
//! the converted report must be named by some row, so nothing goes unasserted.
//!
//! A legacy table is transcribed by its printed labels instead (`@label = v1 v2`, one line per
//! indicator in printed order, and `columns = …` for its value columns), so the transcription does
//! not depend on the ids xxgk gives indicators. How each transcription was made (BeautifulSoup for
//! pages, the page's own transcription for an archive text of the same report, every reading of a
//! glued run for flattened texts) is said at its top and in `scripts/transcribe_*.py`.

use std::path::{Path, PathBuf};

use xxgk::read::read_path;
use xxgk::recognize::Recognized;
use xxgk::Severity;
use xxgk_schema::{parse_decimal, Cell, Edition, Mark, Report};

fn corpus_file(stem: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_stem().is_some_and(|s| s == stem))
        .unwrap_or_else(|| panic!("no fixture {stem} in {}", dir.display()))
}

struct Expected {
    edition: Edition,
    agency: Option<String>,
    /// Title, report year and publication date, as the document states them.
    title: Option<String>,
    report_year: Option<i32>,
    published_date: Option<String>,
    rows: Vec<(String, Vec<String>)>,
    /// Legacy: value column headings as printed.
    columns: Option<Vec<String>>,
    /// Legacy: (printed label, values), in printed order.
    indicators: Vec<(String, Vec<String>)>,
    /// Damaged cells whose printed value stands away from its row: the warning is the loose
    /// value's (`recognize.values_without_row`, at its line), which cannot name the row.
    displaced: Vec<String>,
}

/// A printed label as compared: compatibility forms folded, spaces dropped.
fn label_key(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

fn expected(stem: &str) -> Expected {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expected")
        .join(format!("{stem}.txt"));
    let text = std::fs::read_to_string(&p).unwrap();
    let mut e = Expected {
        edition: Edition::E2021,
        agency: None,
        title: None,
        report_year: None,
        published_date: None,
        rows: Vec::new(),
        columns: None,
        indicators: Vec::new(),
        displaced: Vec::new(),
    };
    for line in text.lines() {
        let line = line.split(" #").next().unwrap().trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line
            .split_once(" = ")
            .unwrap_or_else(|| panic!("bad line {line:?}"));
        match k {
            "edition" => e.edition = v.parse().unwrap(),
            "agency" => e.agency = Some(v.to_string()),
            "title" => e.title = Some(v.to_string()),
            "report_year" => e.report_year = Some(v.parse().unwrap()),
            "published_date" => e.published_date = Some(v.to_string()),
            "columns" => e.columns = Some(v.split_whitespace().map(String::from).collect()),
            "displaced" => e.displaced.push(v.to_string()),
            _ if k.starts_with('@') => e.indicators.push((
                k[1..].to_string(),
                v.split_whitespace().map(String::from).collect(),
            )),
            _ => e.rows.push((
                k.to_string(),
                v.split_whitespace().map(String::from).collect(),
            )),
        }
    }
    e
}

fn load(stem: &str) -> Recognized {
    let mut l = read_path(&corpus_file(stem), None, &Default::default()).expect(stem);
    assert_eq!(l.reports.len(), 1, "{stem}: one report");
    l.reports.remove(0)
}

fn cell_of(s: &str) -> Option<Cell> {
    match s {
        "_" => Some(Cell::Blank),
        "?" => None,
        _ => Some(match Mark::parse(s) {
            Some(m) => Cell::Mark(m),
            None => Cell::Number(parse_decimal(s).unwrap_or_else(|| panic!("bad value {s:?}"))),
        }),
    }
}

/// Compare a converted report with its transcription; returns the number of cells asserted.
fn assert_matches(stem: &str) -> usize {
    let want = expected(stem);
    let rec = load(stem);
    let r = &rec.report;
    assert_eq!(r.edition(), want.edition, "{stem}: edition");
    if let Some(a) = &want.agency {
        assert_eq!(
            r.info().agency.as_deref(),
            Some(a.as_str()),
            "{stem}: agency"
        );
    }
    if let Some(t) = &want.title {
        assert_eq!(r.info().title.as_deref(), Some(t.as_str()), "{stem}: title");
    }
    if let Some(y) = want.report_year {
        assert_eq!(r.info().report_year, Some(y), "{stem}: report year");
    }
    if let Some(d) = &want.published_date {
        assert_eq!(
            r.info().published_date.as_deref(),
            Some(d.as_str()),
            "{stem}: published date"
        );
    }
    let mut rows = want.rows.clone();
    if let Report::Legacy(l) = r {
        let st = l.statistics.as_ref().expect("a legacy table");
        if let Some(c) = &want.columns {
            assert_eq!(&st.value_columns, c, "{stem}: value columns");
        }
        let got: Vec<String> = st.indicators.iter().map(|i| label_key(&i.label)).collect();
        let printed: Vec<String> = want.indicators.iter().map(|(l, _)| label_key(l)).collect();
        assert_eq!(got, printed, "{stem}: indicators in printed order");
        for (i, (ind, (_, values))) in st.indicators.iter().zip(&want.indicators).enumerate() {
            rows.push((format!("statistics.{}", ind.key(i)), values.clone()));
        }
    }
    let cells = r.cells();
    let mut covered = 0;
    let mut damaged = 0;
    let mut unwarned = Vec::new();
    let mut wrong = Vec::new();
    for (prefix, values) in &rows {
        let row: Vec<(&String, &Cell)> = cells
            .iter()
            .filter(|(p, _, _)| {
                p.starts_with(prefix.as_str()) && p[prefix.len()..].starts_with('.')
            })
            .map(|(p, c, _)| (p, *c))
            .collect();
        assert_eq!(
            row.len(),
            values.len(),
            "{stem}: {prefix} has {} cells, transcription {}",
            row.len(),
            values.len()
        );
        for ((path, got), v) in row.iter().zip(values) {
            covered += 1;
            match cell_of(v) {
                Some(c) if c == **got => {}
                Some(c) => wrong.push(format!(
                    "{path}: got {}, printed {}",
                    got.display(),
                    c.display()
                )),
                None => {
                    damaged += 1;
                    let displaced = want.displaced.iter().any(|d| d == path.as_str());
                    let warned = rec.diagnostics.iter().any(|d| {
                        d.severity >= Severity::Warning
                            && match d.path.as_deref() {
                                Some(p) => p == prefix.as_str() || p == path.as_str(),
                                None => displaced && d.code == "recognize.values_without_row",
                            }
                    });
                    if !warned {
                        unwarned.push(path.to_string());
                    }
                    if !got.is_blank() {
                        wrong.push(format!(
                            "{path}: damaged in the source, got {}",
                            got.display()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{stem}: {} cells wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(covered, cells.len(), "{stem}: every cell is transcribed");
    assert!(
        unwarned.is_empty(),
        "{stem}: {damaged} damaged cells, these without a warning naming their row: {unwarned:?}"
    );
    covered
}

macro_rules! corpus {
    ($($name:ident => $stem:literal),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                assert_matches($stem);
            }
        )*
    };
}

corpus! {
    pingtan_2021_html => "020_pingtan_2021",
    pingtan_2022_html => "021_pingtan_2022",
    pingtan_2023_html => "022_pingtan_2023",
    pingtan_2024_html => "023_pingtan_2024",
    pingtan_2025_html => "024_pingtan_2025",
    pingtan_2019_html => "025_pingtan_2019",
    pingtan_2020_html => "026_pingtan_2020",
    shuyang_fagaiju_2023_html => "043_shuyang-fagaiju_2023",
    shuyang_xian_2025_markdown => "042_shuyang-xian_2025",
    shanghai_kewei_2024_markdown => "044_shanghai-kewei_2024",
    shanghai_szfbgt_2025_markdown => "045_shanghai-szfbgt_2025",
    honghe_2023_pdf => "040_honghe-hzq_2023",
    honghe_2024_pdf => "041_honghe-hzq_2024",
    shanghai_szfbgt_2019_html => "001_shanghai-szfbgt_2019",
    pingtan_2018_legacy_html => "027_pingtan_2018",
    pingtan_2021_text => "002_pingtan_2021",
    pingtan_2019_text => "003_pingtan_2019",
    pingtan_2020_text => "004_pingtan_2020",
    pingtan_2015_legacy_text => "005_pingtan_2015",
    pingtan_2022_text => "006_pingtan_2022",
    pingtan_2023_text => "007_pingtan_2023",
    pingtan_2024_text => "008_pingtan_2024",
    pingtan_2025_text => "009_pingtan_2025",
    pingtan_2018_legacy_text => "010_pingtan_2018",
    pingtan_2017_legacy_text => "011_pingtan_2017",
    pingtan_2016_legacy_text => "012_pingtan_2016",
    pingtan_2013_legacy_text => "013_pingtan_2013",
    pingtan_xian_2011_legacy_text => "014_pingtan-xian_2011",
    pingtan_2014_legacy_text => "015_pingtan_2014",
    pingtan_2012_legacy_text => "016_pingtan_2012",
    pingtan_2011_legacy_text => "017_pingtan_2011",
    pingtan_xian_2013_legacy_text => "018_pingtan-xian_2013",
    pingtan_xian_2012_legacy_text => "019_pingtan-xian_2012",
}

/// Every real document in the corpus has a transcription and a test above.
#[test]
fn every_corpus_document_is_transcribed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus");
    let mut missing = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
        if stem == "MANIFEST" {
            continue;
        }
        let t = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/expected")
            .join(format!("{stem}.txt"));
        if !t.exists() {
            missing.push(stem);
        }
    }
    assert!(missing.is_empty(), "not transcribed: {missing:?}");
}

#[test]
fn honghe_pdfs_say_they_are_mixed_and_040_prints_its_own_inconsistency() {
    for stem in ["040_honghe-hzq_2023", "041_honghe-hzq_2024"] {
        let rec = load(stem);
        assert!(
            rec.diagnostics
                .iter()
                .any(|d| d.code == "recognize.mixed_form"),
            "{stem}: mixed form said"
        );
        let f = xxgk::check::check(&rec.report, Some(&rec.origins));
        let found: Vec<(String, String)> = f
            .iter()
            .map(|f| {
                (
                    f.field.clone(),
                    f.origin.as_ref().map(|o| o.zh()).unwrap_or_default(),
                )
            })
            .collect();
        if stem.starts_with("040") {
            // 行政复议 10 1 0 0 printed with 总计 0; 复议后起诉 5 0 0 0 with 总计 0 — at page 4.
            assert_eq!(
                found,
                [
                    (
                        "review_litigation.administrative_review.total".to_string(),
                        "第4页 表格 第16行".to_string()
                    ),
                    (
                        "review_litigation.litigation_after_review.total".to_string(),
                        "第4页 表格 第16行".to_string()
                    ),
                ]
            );
        } else {
            assert!(found.is_empty(), "{stem}: {found:?}");
        }
    }
}

#[test]
fn kewei_reports_the_displaced_total_at_its_line() {
    let rec = load("044_shanghai-kewei_2024");
    let d = rec
        .diagnostics
        .iter()
        .find(|d| d.code == "recognize.values_without_row")
        .expect("the loose value is reported");
    assert!(d.message_en.contains("\"1\""), "{}", d.message_en);
    assert_eq!(
        d.origin.as_ref().map(|o| o.to_string()).as_deref(),
        Some("line 172")
    );
}

#[test]
fn shanghai_2025_item1_is_reported_not_guessed() {
    let rec = load("045_shanghai-szfbgt_2025");
    for row in ["rules", "normative_documents"] {
        let path = format!("proactive_disclosure.art20_item1.{row}");
        assert!(
            rec.diagnostics
                .iter()
                .any(|d| d.code == "recognize.row_cells_uncertain"
                    && d.path.as_deref() == Some(path.as_str())),
            "{path} is reported"
        );
    }
    // The four loose values pulled out of the table are named by line.
    let loose: Vec<String> = rec
        .diagnostics
        .iter()
        .filter(|d| d.code == "recognize.values_without_row")
        .filter_map(|d| d.origin.as_ref().map(|o| o.to_string()))
        .collect();
    assert_eq!(loose, ["line 79", "line 80", "line 81", "line 82"]);
}

#[test]
fn pingtan_2020_prints_its_own_inconsistency() {
    // The report's (七)总计 row (20 … 21) does not add up (26 … 27): found at its cells.
    let rec = load("026_pingtan_2020");
    let f = xxgk::check::check(&rec.report, Some(&rec.origins));
    let at: Vec<(String, String)> = f
        .iter()
        .map(|f| {
            (
                f.field.clone(),
                f.origin.as_ref().map(|o| o.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        at,
        [
            (
                "applications.results.total.natural_person".to_string(),
                "表2!D25".to_string()
            ),
            (
                "applications.results.total.total".to_string(),
                "表2!J25".to_string()
            ),
        ]
    );
}
