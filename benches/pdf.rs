//! PDF benchmark (issue: PDF import): the real PDFs of the corpus and the PDFs LibreOffice printed
//! from the seeds, converted to reports (read, recognize, check) on one thread, against — in the
//! same run, on the same files — poppler's `pdftotext -layout` (text only, no recognition; one
//! process per file, as it is used) and pdfplumber's word extraction
//! (`benches/support/pdfplumber_words.py`, a copy of `../shared/bench/pdfplumber_words.py`).
//!
//!     cargo bench --bench pdf                 # XXGK_BENCH_N=5 for a shorter run

/// The allocator of the `xxgk` binary (src/main.rs), so that the figures are those of the CLI.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn pdfs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut v: Vec<PathBuf> = ["corpus", "variants"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    v.sort();
    v
}

fn main() {
    let n: usize = std::env::var("XXGK_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let files = pdfs();
    let bytes: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let docs = (n * files.len()) as f64;
    let pages: usize = files
        .iter()
        .map(|p| {
            let b = std::fs::read(p).unwrap();
            xxgk::read::pdf::read(&b).map(|t| t.pages).unwrap_or(0)
        })
        .sum();
    println!(
        "pdf benchmark: {} PDFs ({pages} pages, {:.1} MB) × {n}, one thread",
        files.len(),
        bytes.iter().map(Vec::len).sum::<usize>() as f64 / 1e6
    );

    let t = Instant::now();
    let mut cells = 0usize;
    for _ in 0..n {
        for (p, b) in files.iter().zip(&bytes) {
            let l = xxgk::read::read_bytes(p, b, None, &Default::default()).unwrap();
            for r in &l.reports {
                cells += r.report.cells().iter().filter(|c| !c.1.is_blank()).count();
                std::hint::black_box(xxgk::check::check(&r.report, Some(&r.origins)));
            }
        }
    }
    let ours = t.elapsed().as_secs_f64();
    println!("{:<52} {:>9} {:>9}", "run", "seconds", "docs/s");
    let row = |label: &str, s: f64| println!("{label:<52} {s:>9.3} {:>9.1}", docs / s);
    row("xxgk: PDF → report (read, recognize, check)", ours);
    println!("  ({} numbers read per pass)", cells / n);

    // pdftotext -layout, one process per file.
    let t = Instant::now();
    let mut ok = true;
    for _ in 0..n {
        for p in &files {
            match Command::new("pdftotext")
                .arg("-layout")
                .arg(p)
                .arg("-")
                .output()
            {
                Ok(o) if o.status.success() => {
                    std::hint::black_box(o.stdout.len());
                }
                _ => ok = false,
            }
        }
    }
    let poppler = t.elapsed().as_secs_f64();
    if ok {
        row("pdftotext -layout (text only)", poppler);
    } else {
        println!("pdftotext not available (apt-get install poppler-utils)");
    }

    // pdfplumber word extraction, in one Python process.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/support/pdfplumber_words.py");
    let t = Instant::now();
    let py = Command::new("python3")
        .arg(&script)
        .arg(n.to_string())
        .args(&files)
        .output();
    let plumber = t.elapsed().as_secs_f64();
    let plumber_ok = matches!(&py, Ok(o) if o.status.success());
    if plumber_ok {
        row("pdfplumber extract_words (words only)", plumber);
    } else {
        println!("pdfplumber run failed (pip install pdfplumber)");
    }
    let mut ratios = Vec::new();
    if ok {
        ratios.push(format!("vs pdftotext -layout {:.2}×", poppler / ours));
    }
    if plumber_ok {
        ratios.push(format!("vs pdfplumber words {:.1}×", plumber / ours));
    }
    if !ratios.is_empty() {
        println!(
            "speed ratios (their time / xxgk time): {}",
            ratios.join(", ")
        );
    }
}
