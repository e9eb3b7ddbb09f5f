//! Batch text import throughput: all real fixtures (5 seeds + 18 corpus reports) imported per
//! iteration. The reference, measured in the same run, is decoding alone (UTF-8 check + NFKC
//! normalization): the import is reported as a ratio against it.
//!
//! `text_phases` times each step of the import on its own, on seeds 000–003 (the texts of the
//! goals benchmark), each from the previous step's output: decode, tokenize, recognize, check.
//! It then prints each step's time as a multiple of decoding's, measured in the same run, to
//! say where a report's time goes.

/// The allocator of the `xxgk` binary (src/main.rs), so that the figures are those of the CLI.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn inputs() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut v = Vec::new();
    for dir in ["seeds", "corpus"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|e| e == "txt") {
                v.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    v
}

fn bench(c: &mut Criterion) {
    let files = inputs();
    let bytes: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
    let mut g = c.benchmark_group("text_import");
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("reference_decode_only", |b| {
        b.iter(|| {
            for (_, data) in &files {
                std::hint::black_box(xxgk::read::text::decode(data));
            }
        })
    });
    g.bench_function("import_and_check", |b| {
        b.iter(|| {
            for (name, data) in &files {
                let l = xxgk::read::read_bytes(Path::new(name), data, None, &Default::default())
                    .unwrap();
                for r in &l.reports {
                    std::hint::black_box(xxgk::check::check(&r.report, Some(&r.origins)));
                }
            }
        })
    });
    g.finish();
    eprintln!(
        "text_import: {} reports, {} bytes per iteration (reports/s = {} / time)",
        files.len(),
        bytes,
        files.len()
    );
}

fn phases(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
    let raw: Vec<Vec<u8>> = ["000", "001", "002", "003"]
        .iter()
        .map(|s| std::fs::read(root.join(format!("{s}.txt"))).unwrap())
        .collect();
    let texts: Vec<String> = raw
        .iter()
        .map(|b| xxgk::read::text::decode(b).text)
        .collect();
    let tokens: Vec<_> = texts
        .iter()
        .map(|t| xxgk::read::text::tokenize(t))
        .collect();
    let opts = Default::default();
    // Recognized from tokens of their own: `tokens` stays unkeyed for the recognize step.
    let recognized: Vec<_> = texts
        .iter()
        .map(|t| xxgk::recognize::recognize(t, &xxgk::read::text::tokenize(t), &opts).unwrap())
        .collect();
    let started = std::time::SystemTime::now();
    let mut g = c.benchmark_group("text_phases");
    g.throughput(Throughput::Bytes(raw.iter().map(|b| b.len() as u64).sum()));
    g.bench_function("decode", |b| {
        b.iter(|| {
            for r in &raw {
                std::hint::black_box(xxgk::read::text::decode(r));
            }
        })
    });
    g.bench_function("tokenize", |b| {
        b.iter(|| {
            for t in &texts {
                std::hint::black_box(xxgk::read::text::tokenize(t));
            }
        })
    });
    // Fresh tokens each time: a token caches its matching key once asked for it.
    g.bench_function("recognize", |b| {
        b.iter_batched(
            || tokens.clone(),
            |tokens| {
                for (t, k) in texts.iter().zip(&tokens) {
                    std::hint::black_box(xxgk::recognize::recognize(t, k, &opts).unwrap());
                }
            },
            criterion::BatchSize::SmallInput,
        )
    });
    g.bench_function("check", |b| {
        b.iter(|| {
            for r in &recognized {
                std::hint::black_box(xxgk::check::check(&r.report, Some(&r.origins)));
            }
        })
    });
    g.finish();
    print_phase_ratios(started);
}

/// Each step's time (criterion's estimate of this run) as a multiple of decoding's; nothing when
/// a step was not measured in this run (filtered out).
fn print_phase_ratios(started: std::time::SystemTime) {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("criterion/text_phases");
    let mean = |step: &str| -> Option<f64> {
        let p = dir.join(step).join("new/estimates.json");
        let fresh = std::fs::metadata(&p).ok()?.modified().ok()? >= started;
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).ok()?).ok()?;
        // The slope where criterion fitted one (its printed figure), else the mean.
        let est = |k: &str| v[k]["point_estimate"].as_f64();
        fresh.then(|| est("slope").or_else(|| est("mean")))?
    };
    let Some(decode) = mean("decode") else {
        return;
    };
    for step in ["tokenize", "recognize", "check"] {
        if let Some(m) = mean(step) {
            eprintln!(
                "text_phases: {step} {:.0} µs = {:.2}× decode ({:.0} µs), 4 reports",
                m / 1e3,
                m / decode,
                decode / 1e3
            );
        }
    }
}

criterion_group!(benches, bench, phases);
criterion_main!(benches);
