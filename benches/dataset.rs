//! Batch benchmark (issue: datasets): 10,000 generated reports, saved as pasted-text files, are
//! converted by the `xxgk` binary into one CSV and one xlsx dataset, on all cores. Reports
//! throughput and the peak memory of each run. The reference, measured in the same run, is
//! reading the same files from disk; a JSON export of the same inputs is shown for comparison.
//!
//!     cargo bench --bench dataset            # XXGK_BENCH_N=2000 for a shorter run

#[path = "support/common.rs"]
mod common;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn main() {
    let n: usize = std::env::var("XXGK_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/xxgk");
    assert!(
        bin.exists(),
        "build the binary first: cargo build --release"
    );
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("reports");
    std::fs::create_dir(&inputs).unwrap();
    let reports = common::generate(n);
    let mut bytes = 0usize;
    for (i, r) in reports.iter().enumerate() {
        let t = common::render_text(r);
        bytes += t.len();
        std::fs::write(inputs.join(format!("r{i:05}.txt")), t).unwrap();
    }
    // Reference: read every input file.
    let t = Instant::now();
    let mut read = 0usize;
    for e in std::fs::read_dir(&inputs).unwrap() {
        read += std::fs::read(e.unwrap().path()).unwrap().len();
    }
    let reference = t.elapsed();
    assert_eq!(read, bytes);
    println!(
        "dataset benchmark: {n} reports, {:.1} MB of text, {} threads",
        bytes as f64 / 1e6,
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    println!(
        "{:<28} {:>9} {:>12} {:>10} {:>12}",
        "run", "seconds", "reports/s", "peak MB", "× reference"
    );
    println!(
        "{:<28} {:>9.3} {:>12.0} {:>10} {:>12}",
        "reference: read the files",
        reference.as_secs_f64(),
        n as f64 / reference.as_secs_f64(),
        "-",
        "1.0"
    );
    for (label, out, extra) in [
        ("convert → one CSV (wide)", "all.csv", vec![]),
        (
            "convert → one CSV (long)",
            "long.csv",
            vec!["--shape", "long"],
        ),
        ("convert → one xlsx", "all.xlsx", vec![]),
        ("convert → JSON (compare)", "all.json", vec![]),
    ] {
        let target = dir.path().join(out);
        let (took, peak_kb, ok) = common::run_measured(
            Command::new(&bin)
                .arg("convert")
                .arg(&inputs)
                .arg("-o")
                .arg(&target)
                .arg("-q")
                .args(&extra),
        );
        assert!(ok, "{label} failed");
        let size = std::fs::metadata(&target).unwrap().len();
        println!(
            "{:<28} {:>9.3} {:>12.0} {:>10.1} {:>12.1}   output {:.1} MB",
            label,
            took.as_secs_f64(),
            n as f64 / took.as_secs_f64(),
            peak_kb as f64 / 1024.0,
            took.as_secs_f64() / reference.as_secs_f64(),
            size as f64 / 1e6
        );
    }
    // The CSV holds every report.
    let l = xxgk::read::read_path(&dir.path().join("all.csv"), None, &Default::default()).unwrap();
    assert_eq!(l.reports.len(), n);
}
