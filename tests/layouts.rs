//! The same real report in every layout and encoding a paste produces imports to the same cells;
//! generated reports round-trip through JSON; arbitrary text never panics the importer.

use std::path::Path;

use proptest::prelude::*;
use xxgk::read::read_bytes;
use xxgk_schema::{Cell, Edition, Kind, Report, Visit};

fn seed000() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds/000.txt"))
        .unwrap()
}

fn import(name: &str, bytes: &[u8]) -> Report {
    let mut l = read_bytes(Path::new(name), bytes, None, &Default::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    l.reports.remove(0).report
}

fn cells(r: &Report) -> Vec<(String, String)> {
    r.cells()
        .into_iter()
        .map(|(p, c, _)| (p, c.display().into_owned()))
        .collect()
}

/// Re-lay the seed's one-cell-per-line table: each label starts a row, its values follow on the
/// same line, joined by `sep`.
fn relayout(text: &str, sep: &str, prefix: &str, suffix: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for l in text.lines() {
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        let is_value = t.chars().all(|c| c.is_ascii_digit() || c == '.');
        if is_value {
            line.push_str(sep);
            line.push_str(t);
        } else {
            if !line.is_empty() {
                out.push_str(prefix);
                out.push_str(&line);
                out.push_str(suffix);
                out.push('\n');
            }
            line = t.to_string();
        }
    }
    out.push_str(prefix);
    out.push_str(&line);
    out.push_str(suffix);
    out.push('\n');
    out
}

#[test]
fn tab_markdown_and_space_layouts_give_the_same_cells() {
    let text = seed000();
    let base = cells(&import("000.txt", text.as_bytes()));
    for (name, laid) in [
        ("tabs.txt", relayout(&text, "\t", "", "")),
        ("markdown.md", relayout(&text, " | ", "| ", " |")),
        ("spaces.txt", relayout(&text, "    ", "", "")),
        ("pipes.txt", relayout(&text, " |\n", "", " |")),
    ] {
        let got = cells(&import(name, laid.as_bytes()));
        assert_eq!(got, base, "{name}");
    }
}

#[test]
fn encodings_give_the_same_cells() {
    let text = seed000();
    let base = cells(&import("000.txt", text.as_bytes()));
    let (gbk, _, bad) = encoding_rs::GB18030.encode(&text);
    assert!(!bad);
    assert_eq!(cells(&import("gbk.txt", &gbk)), base);
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    assert_eq!(cells(&import("bom.txt", &bom)), base);
    for (le, mark) in [(true, [0xFF, 0xFE]), (false, [0xFE, 0xFF])] {
        let mut b = mark.to_vec();
        for u in text.encode_utf16() {
            b.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        assert_eq!(cells(&import("utf16.txt", &b)), base);
    }
    // Full-width digits and brackets, ideographic spaces and CRLF, as some copies have them.
    let wide: String = text
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap(),
            '(' => '（',
            ')' => '）',
            _ => c,
        })
        .collect::<String>()
        .replace('\n', "\r\n")
        .replace("商业企业", "商业　企业");
    assert_eq!(cells(&import("wide.txt", wide.as_bytes())), base);
}

#[test]
fn edition_can_be_forced() {
    let text = seed000();
    let opts = xxgk::recognize::Options {
        edition: Some(Edition::E2019),
    };
    let l = read_bytes(Path::new("000.txt"), text.as_bytes(), None, &opts).unwrap();
    assert_eq!(l.reports[0].report.edition(), Edition::E2019);
    // The 2021-only rows have no place in a 2019 report: said, not dropped silently.
    assert!(l.reports[0]
        .diagnostics
        .iter()
        .any(|d| d.code == "recognize.rows_not_in_edition"
            && d.message_en.contains("other_handling")));
    // Every origin points at a cell that exists in the report.
    let r = &l.reports[0];
    assert!(r.origins.keys().all(|p| r.report.cell(p).is_some()));
}

fn cell_strategy(kind: Kind) -> BoxedStrategy<Cell> {
    let num: BoxedStrategy<Cell> = match kind {
        Kind::Count => (0i64..10_000_000).prop_map(Cell::int).boxed(),
        Kind::Signed => (-100_000i64..100_000).prop_map(Cell::int).boxed(),
        Kind::Amount => (0i64..1_000_000_000_000, 0u32..5)
            .prop_map(|(m, s)| Cell::Number(rust_decimal::Decimal::new(m, s)))
            .boxed(),
    };
    prop_oneof![
        6 => num,
        2 => Just(Cell::Blank),
        1 => prop_oneof![
            Just(Cell::Mark(xxgk_schema::Mark::Slash)),
            Just(Cell::Mark(xxgk_schema::Mark::Dash)),
            Just(Cell::Mark(xxgk_schema::Mark::None)),
        ],
    ]
    .boxed()
}

fn report_strategy() -> impl Strategy<Value = Report> {
    (0usize..2, any::<u64>()).prop_flat_map(|(e, _)| {
        let edition = [Edition::E2021, Edition::E2019][e];
        let template = Report::blank_template(edition);
        let kinds: Vec<Kind> = template.cells().iter().map(|(_, _, k)| *k).collect();
        let strategies: Vec<BoxedStrategy<Cell>> = kinds.into_iter().map(cell_strategy).collect();
        (
            Just(template),
            strategies,
            proptest::option::of("[\\p{Han}]{1,12}"),
            proptest::option::of(2008i32..2030),
        )
            .prop_map(|(mut r, values, agency, year)| {
                let mut it = values.into_iter();
                r.visit_mut(&mut Vec::new(), &mut |_, c, _| *c = it.next().unwrap());
                r.info_mut().agency = agency;
                r.info_mut().report_year = year;
                r
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn json_round_trip_is_lossless(r in report_strategy()) {
        let s = serde_json::to_string(&r).unwrap();
        let back: Report = serde_json::from_str(&s).unwrap();
        prop_assert_eq!(&back, &r);
        let nd = xxgk::write::json::to_ndjson(std::slice::from_ref(&r));
        let mut l = read_bytes(Path::new("x.ndjson"), &nd, None, &Default::default()).unwrap();
        prop_assert_eq!(l.reports.remove(0).report, r);
    }

    #[test]
    fn text_import_never_panics(s in "(\\PC|\\n|\\t|\\|){0,400}") {
        let _ = read_bytes(Path::new("x.txt"), s.as_bytes(), None, &Default::default());
    }

    #[test]
    fn text_import_never_panics_on_table_like_input(
        parts in proptest::collection::vec(prop_oneof![
            Just("第二十条第(一)项".to_string()), Just("本年新收".to_string()), Just("(七)总计".to_string()),
            Just("行政复议".to_string()), Just("指标名称".to_string()), Just("计量单位".to_string()),
            Just("1.属于国家秘密".to_string()), Just("(六)其他处理".to_string()), Just("-".to_string()),
            "[0-9]{1,12}", "[0-9+\\-.]{1,6}", Just("\n".to_string()), Just(" ".to_string()), Just("|".to_string()),
        ], 0..120)
    ) {
        let s: String = parts.concat();
        let _ = read_bytes(Path::new("x.txt"), s.as_bytes(), None, &Default::default());
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = read_bytes(Path::new("x.txt"), &b, None, &Default::default());
    }
}
