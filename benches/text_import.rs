//! Batch text import throughput: all real fixtures (5 seeds + 18 corpus reports) imported per
//! iteration. The reference, measured in the same run, is decoding alone (UTF-8 check + NFKC
//! normalization): the import is reported as a ratio against it.

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

criterion_group!(benches, bench);
criterion_main!(benches);
