//! xls: the BIFF reader (our DIMENSIONS and cell pre-count, then calamine) on any compound file.
//! The input is written into the `/Workbook` stream of a real compound file, so the fuzzer
//! reaches the BIFF records instead of stopping at the container.
#![no_main]
use std::io::Write;

use libfuzzer_sys::fuzz_target;
use xxgk::read::InputFormat;

fuzz_target!(|data: &[u8]| {
    let Ok(mut cf) = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())) else {
        return;
    };
    if cf
        .create_stream("/Workbook")
        .and_then(|mut s| s.write_all(data))
        .is_err()
    {
        return;
    }
    let _ = cf.flush();
    let bytes = cf.into_inner().into_inner();
    let _ = xxgk::read::read_bytes(
        std::path::Path::new("f.xls"),
        &bytes,
        Some(InputFormat::Xls),
        &Default::default(),
    );
});
