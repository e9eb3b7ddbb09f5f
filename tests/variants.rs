//! Layout variants of real reports, rendered from the seeds by `scripts/make_variants.py` (openpyxl,
//! OpenCC, plain Python text layout — never xxgk's writers): each imports with every number in the
//! right field, as its `NAME.expected.json` says.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use xxgk::read::read_path;

#[derive(serde::Deserialize)]
struct Expected {
    edition: String,
    cells: BTreeMap<String, serde_json::Value>,
    diagnostics: Vec<String>,
}

fn check(name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/variants");
    let want: Expected = serde_json::from_str(
        &std::fs::read_to_string(dir.join(format!("{name}.expected.json"))).unwrap(),
    )
    .unwrap();
    let mut l =
        read_path(&dir.join(name), None, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(l.reports.len(), 1, "{name}");
    let rec = l.reports.remove(0);
    assert_eq!(
        rec.report.edition().as_str(),
        want.edition,
        "{name}: edition"
    );
    let got: BTreeMap<String, serde_json::Value> = rec
        .report
        .cells()
        .into_iter()
        .map(|(p, c, _)| (p, serde_json::to_value(c).unwrap()))
        .collect();
    let num = |v: &serde_json::Value| v.as_f64().map(|f| format!("{f}")).unwrap_or(v.to_string());
    let diff: Vec<String> = want
        .cells
        .iter()
        .filter(|(k, v)| got.get(*k).map(num) != Some(num(v)))
        .map(|(k, v)| format!("{k}: want {v} got {:?}", got.get(k)))
        .chain(
            got.keys()
                .filter(|k| !want.cells.contains_key(*k))
                .map(|k| format!("{k}: unexpected")),
        )
        .collect();
    assert!(
        diff.is_empty(),
        "{name}: {} cells differ:\n{}",
        diff.len(),
        diff.join("\n")
    );
    for code in &want.diagnostics {
        assert!(
            rec.diagnostics.iter().any(|d| d.code == code),
            "{name}: expected diagnostic {code}"
        );
    }
}

macro_rules! variants {
    ($($test:ident => $name:literal),* $(,)?) => {
        $( #[test] fn $test() { check($name); } )*
    };
}

variants! {
    workbook_with_an_empty_column_2021 => "workbook-blank-column-000.xlsx",
    workbook_with_an_empty_column_2019 => "workbook-blank-column-001.xlsx",
    workbook_with_a_blank_rules_label => "workbook-blank-rules-label-000.xlsx",
    excel_tab_copy_2021 => "tab-copy-000.txt",
    excel_tab_copy_2019 => "tab-copy-001.txt",
    excel_tab_copy_with_a_blank_rules_label => "tab-copy-blank-rules-label-000.txt",
    converter_markdown_2021 => "markdown-000.md",
    converter_markdown_2019 => "markdown-001.md",
    space_aligned_with_wrapped_labels_and_footers_2021 => "aligned-000.txt",
    space_aligned_with_wrapped_labels_and_footers_2019 => "aligned-001.txt",
    traditional_script_2021 => "traditional-000.txt",
    traditional_script_2019 => "traditional-001.txt",
    mixed_form => "mixed-form-000.txt",
    pdf_word_serif_ruled => "pdf-serif-grid-000.pdf",
    pdf_word_sans_unruled_2019 => "pdf-sans-001.pdf",
    pdf_word_large_broken_across_pages => "pdf-large-broken-000.pdf",
    pdf_workbook_printed_by_calc_2021 => "pdf-workbook-000.pdf",
    pdf_workbook_printed_by_calc_2019 => "pdf-workbook-001.pdf",
}

#[test]
fn every_variant_is_tested() {
    let n = common::fixtures("variants", &["txt", "md", "xlsx", "pdf"]).len();
    assert_eq!(n, 18);
}
