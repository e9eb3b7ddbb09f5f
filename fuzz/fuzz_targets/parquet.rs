//! parquet: the Parquet dataset reader (wide or long) on any bytes. Seeds are datasets xxgk
//! wrote, so the fuzzer starts inside valid footers and pages.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Straight to the reader (no catch_unwind), so a panic is a finding.
    let _ = xxgk::parquet_form::read(data, None);
});
