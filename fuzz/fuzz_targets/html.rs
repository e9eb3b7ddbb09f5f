//! Web pages: any bytes as HTML.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = xxgk::read::read_bytes(
        std::path::Path::new("f.html"),
        data,
        Some(xxgk::read::InputFormat::Html),
        &Default::default(),
    );
});
