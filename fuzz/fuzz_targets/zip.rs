//! Zip containers: Word, xlsx and ods readers on any bytes (with the zip signature in front so
//! the fuzzer reaches the archive parsers).
#![no_main]
use libfuzzer_sys::fuzz_target;
use xxgk::read::InputFormat;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let format = match pick % 3 {
        0 => InputFormat::Docx,
        1 => InputFormat::Xlsx,
        _ => InputFormat::Ods,
    };
    let _ = xxgk::read::read_bytes(std::path::Path::new("f.bin"), rest, Some(format), &Default::default());
});
