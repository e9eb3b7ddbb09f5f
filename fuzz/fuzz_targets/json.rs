//! JSON, NDJSON and CSV datasets: any bytes must give reports or an error, never a panic. The
//! first byte picks the reader, so one corpus reaches all three (seeds: reports and datasets
//! xxgk wrote, the tag first and elsewhere).
#![no_main]
use libfuzzer_sys::fuzz_target;
use xxgk::read::InputFormat;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let (name, format) = match pick % 3 {
        0 => ("f.json", InputFormat::Json),
        1 => ("f.ndjson", InputFormat::Ndjson),
        _ => ("f.csv", InputFormat::Csv),
    };
    let _ = xxgk::read::read_bytes(
        std::path::Path::new(name),
        body,
        Some(format),
        &Default::default(),
    );
});
