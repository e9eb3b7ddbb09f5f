//! Replays, on the stable toolchain, every input the fuzzers (`fuzz/`, run with `cargo fuzz`)
//! ever found a failure with: each is kept in `fuzz/regressions/<target>/` and must now pass the
//! same property as in its fuzz target.

use std::path::Path;

use xxgk::read::{read_bytes, InputFormat};

fn inputs(target: &str) -> Vec<Vec<u8>> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let Ok(rd) = std::fs::read_dir(d) else {
        return Vec::new();
    };
    rd.map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect()
}

#[test]
fn text_and_html_regressions() {
    for (target, format) in [("text", InputFormat::Text), ("html", InputFormat::Html)] {
        for data in inputs(target) {
            let _ = read_bytes(Path::new("f"), &data, Some(format), &Default::default());
        }
    }
}

#[test]
fn xml_regressions_round_trip() {
    let cases = inputs("xml");
    assert!(!cases.is_empty());
    for data in cases {
        let Some((&pick, rest)) = data.split_first() else {
            continue;
        };
        let format = if pick % 2 == 0 {
            InputFormat::SpreadsheetMl
        } else {
            InputFormat::Xml
        };
        if let (InputFormat::Xml, Ok(l)) = (
            format,
            read_bytes(Path::new("f.xml"), rest, Some(format), &Default::default()),
        ) {
            let reports: Vec<_> = l.reports.into_iter().map(|r| r.report).collect();
            let again = xxgk::xml_form::from_xml(&xxgk::xml_form::to_xml(&reports)).unwrap();
            assert_eq!(again, reports);
        }
    }
}

#[test]
fn zip_regressions() {
    for data in inputs("zip") {
        let Some((&pick, rest)) = data.split_first() else {
            continue;
        };
        let format = [InputFormat::Docx, InputFormat::Xlsx, InputFormat::Ods][pick as usize % 3];
        let _ = read_bytes(Path::new("f.bin"), rest, Some(format), &Default::default());
    }
}
