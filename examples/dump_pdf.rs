//! Print the rows a PDF gives the recognizer: each token with its origin (`page 3, table row 5`)
//! and measured place (tenths of a point). The first thing to look at when a PDF misreads.
//!
//! `cargo run --example dump_pdf -- report.pdf` (`--text`: the text the metadata is read from).

fn main() {
    let path = std::env::args().nth(1).expect("usage: dump_pdf FILE.pdf");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let pdf = xxgk::read::pdf::read(&bytes).unwrap_or_else(|e| panic!("{}", e.messages().1));
    if std::env::args().any(|a| a == "--text") {
        print!("{}", pdf.text);
        return;
    }
    let mut row = None;
    for t in &pdf.tokens {
        let p = t.place.expect("PDF tokens are placed");
        if row != Some(p.row) {
            print!("\n{}:", t.origin);
            row = Some(p.row);
        }
        print!("  [{}..{}] {}", p.x0 / 10, p.x1 / 10, t.text);
    }
    println!();
    if !pdf.pages_without_text.is_empty() {
        println!("pages without text: {:?}", pdf.pages_without_text);
    }
}
