//! Pasted text: any bytes must give a report or an error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = xxgk::read::read_bytes(
        std::path::Path::new("f.txt"),
        data,
        Some(xxgk::read::InputFormat::Text),
        &Default::default(),
    );
});
