//! The XML readers: SpreadsheetML and our own XML form (the first byte picks which), and the
//! round trip of whatever our XML reader accepts.
#![no_main]
use libfuzzer_sys::fuzz_target;
use xxgk::read::InputFormat;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let format = if pick % 2 == 0 {
        InputFormat::SpreadsheetMl
    } else {
        InputFormat::Xml
    };
    let got = xxgk::read::read_bytes(std::path::Path::new("f.xml"), rest, Some(format), &Default::default());
    if let (InputFormat::Xml, Ok(l)) = (format, got) {
        // What we accept, we write back and read again to the same reports.
        let reports: Vec<_> = l.reports.into_iter().map(|r| r.report).collect();
        let again = xxgk::xml_form::from_xml(&xxgk::xml_form::to_xml(&reports)).expect("own output reads back");
        assert_eq!(again, reports);
    }
});
