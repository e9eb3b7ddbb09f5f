//! Show what the recognizer receives from a workbook or Word document: for each sheet (or
//! table), its size and the tokens in reading order with their `sheet!cell` origins.
//! Useful when a new agency layout does not import as expected.
//!
//!     cargo run --example dump_sheets -- filled.xlsx
use std::path::Path;

use xxgk::read::{docx, workbook, InputFormat};

fn main() {
    let p = std::env::args().nth(1).expect("usage: dump_sheets FILE");
    let bytes = std::fs::read(&p).expect("readable file");
    let path = Path::new(&p);
    let sheets = match InputFormat::detect(path, &bytes) {
        Some(InputFormat::Xlsx) => workbook::read(path, &bytes, workbook::Kind::Xlsx),
        Some(InputFormat::Xls) => workbook::read(path, &bytes, workbook::Kind::Xls),
        Some(InputFormat::Ods) => workbook::read(path, &bytes, workbook::Kind::Ods),
        Some(InputFormat::Docx) => Ok(docx::read(&bytes).expect("a Word document").0),
        other => panic!("not a workbook or Word document: {other:?}"),
    }
    .unwrap_or_else(|e| panic!("{e}"));
    for s in &sheets {
        println!(
            "== {}: {} cells, {} empty input cells, {} merged ranges",
            s.name,
            s.cells.len(),
            s.blanks.len(),
            s.merges.len()
        );
        for t in s.tokens(0).expect("sheet too large") {
            print!("[{} {}] ", t.origin, t.text);
        }
        println!();
    }
}
