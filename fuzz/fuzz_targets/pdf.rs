//! PDF: the reader on any bytes (with `%PDF-` in front so the fuzzer reaches the parser). The
//! property: never a panic or abort; every outcome is a report or a bilingual error.
#![no_main]
use libfuzzer_sys::fuzz_target;
use xxgk::read::InputFormat;

fuzz_target!(|data: &[u8]| {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend_from_slice(data);
    let _ = xxgk::read::read_bytes(
        std::path::Path::new("f.pdf"),
        &bytes,
        Some(InputFormat::Pdf),
        &Default::default(),
    );
});
