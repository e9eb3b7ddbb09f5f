//! Debug helper: print the tokens a workbook gives, sheet by sheet.
fn main() {
    let p = std::env::args().nth(1).expect("path");
    let bytes = std::fs::read(&p).unwrap();
    let sheets = xxgk::read::workbook::read(
        std::path::Path::new(&p),
        &bytes,
        xxgk::read::workbook::Kind::Xlsx,
    )
    .unwrap();
    for s in &sheets {
        println!(
            "== {} cells={} blanks={} merges={}",
            s.name,
            s.cells.len(),
            s.blanks.len(),
            s.merges.len()
        );
        for t in s.tokens() {
            print!("[{}:{}] ", t.origin, t.text);
        }
        println!();
    }
}
