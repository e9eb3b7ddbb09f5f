//! Replays, on the stable toolchain, every input the fuzzers (`fuzz/`, run with `cargo fuzz`)
//! ever found a failure with: each is kept in `fuzz/regressions/<target>/` and must now pass the
//! same property as in its fuzz target.

use std::path::Path;

use xxgk::read::{read_bytes, InputFormat};

fn inputs(target: &str) -> Vec<Vec<u8>> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let Ok(rd) = std::fs::read_dir(d) else {
        return Vec::new();
    };
    rd.map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect()
}

#[test]
fn text_and_html_regressions() {
    for (target, format) in [("text", InputFormat::Text), ("html", InputFormat::Html)] {
        for data in inputs(target) {
            let _ = read_bytes(Path::new("f"), &data, Some(format), &Default::default());
        }
    }
}

#[test]
fn xml_regressions_round_trip() {
    let cases = inputs("xml");
    assert!(!cases.is_empty());
    for data in cases {
        let Some((&pick, rest)) = data.split_first() else {
            continue;
        };
        let format = if pick % 2 == 0 {
            InputFormat::SpreadsheetMl
        } else {
            InputFormat::Xml
        };
        if let (InputFormat::Xml, Ok(l)) = (
            format,
            read_bytes(Path::new("f.xml"), rest, Some(format), &Default::default()),
        ) {
            let reports: Vec<_> = l.reports.into_iter().map(|r| r.report).collect();
            let again = xxgk::xml_form::from_xml(&xxgk::xml_form::to_xml(&reports)).unwrap();
            assert_eq!(again, reports);
        }
    }
}

#[test]
fn zip_regressions() {
    for data in inputs("zip") {
        let Some((&pick, rest)) = data.split_first() else {
            continue;
        };
        let format = [InputFormat::Docx, InputFormat::Xlsx, InputFormat::Ods][pick as usize % 3];
        let _ = read_bytes(Path::new("f.bin"), rest, Some(format), &Default::default());
    }
}

/// The json target (JSON, NDJSON, CSV datasets; the first byte picks the reader): its seeds read
/// (a report's edition tag first or last gives the same report) and every regression is a
/// report or an error.
#[test]
fn json_seeds_read_and_regressions_do_not_crash() {
    let read = |data: &[u8]| {
        let (&pick, body) = data.split_first()?;
        let (name, format) = match pick % 3 {
            0 => ("f.json", InputFormat::Json),
            1 => ("f.ndjson", InputFormat::Ndjson),
            _ => ("f.csv", InputFormat::Csv),
        };
        read_bytes(Path::new(name), body, Some(format), &Default::default()).ok()
    };
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/json");
    let seed = |name: &str| {
        let l = read(&std::fs::read(seeds.join(name)).unwrap()).expect(name);
        l.reports.into_iter().map(|r| r.report).collect::<Vec<_>>()
    };
    for e in ["2021", "2019", "legacy"] {
        let first = seed(&format!("report-{e}.json"));
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].edition().as_str(), e);
        assert_eq!(seed(&format!("tag-last-{e}.json")), first);
    }
    assert_eq!(seed("three.ndjson").len(), 3);
    assert_eq!(seed("three-wide.csv").len(), 3);
    for data in inputs("json") {
        let _ = read(&data);
    }
}

/// The BIFF stream the xls fuzzer found calamine panicking on (calamine 0.38 `xls.rs:850`),
/// inside a real compound file as the fuzz target builds it: in this process the panic is
/// caught and is the file's error; through the binary (reader in a child process) the file is
/// refused with a bilingual message and the batch goes on.
#[test]
fn xls_regressions_are_errors_not_crashes() {
    use std::io::Write;
    let cases = inputs("xls");
    assert!(!cases.is_empty());
    let dir = tempfile::tempdir().unwrap();
    for (i, data) in cases.iter().enumerate() {
        let mut cf = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
        cf.create_stream("/Workbook")
            .unwrap()
            .write_all(data)
            .unwrap();
        cf.flush().unwrap();
        let bytes = cf.into_inner().into_inner();
        let r = read_bytes(
            Path::new("f.xls"),
            &bytes,
            Some(InputFormat::Xls),
            &Default::default(),
        );
        assert!(r.is_err(), "case {i} is refused");
        let p = dir.path().join(format!("case{i}.xls"));
        std::fs::write(&p, &bytes).unwrap();
    }
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds/000.txt");
    std::fs::copy(&good, dir.path().join("good.txt")).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .arg("convert")
        .arg(dir.path())
        .arg("-o")
        .arg(dir.path().join("out.ndjson"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("case0.xls") && err.contains("xls"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let out = std::fs::read_to_string(dir.path().join("out.ndjson")).unwrap();
    assert_eq!(out.lines().count(), 1, "the good report is written");
}

/// Parquet files the fuzzer found the Arrow reader panicking on (parquet 60): a column chunk
/// with a negative offset (`byte_range`), which our own check of the footer now refuses first;
/// a damaged fixed-length page (`fixed_len_byte_array.rs:432`), a panic deep in the decoder
/// that is caught and is the file's error. Both are refused with a bilingual message, in this
/// process and through the binary (reader in a child process).
#[cfg(feature = "parquet")]
#[test]
fn parquet_regressions_are_refused() {
    let cases = inputs("parquet");
    assert!(cases.len() >= 2);
    let dir = tempfile::tempdir().unwrap();
    for (i, data) in cases.iter().enumerate() {
        let r = read_bytes(
            Path::new("f.parquet"),
            data,
            Some(InputFormat::Parquet),
            &Default::default(),
        );
        assert!(r.is_err(), "case {i} is refused");
        let p = dir.path().join(format!("case{i}.parquet"));
        std::fs::write(&p, data).unwrap();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"))
            .arg("convert")
            .arg(&p)
            .arg("-o")
            .arg(dir.path().join(format!("case{i}.json")))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.contains("Parquet") && !err.contains("panicked"),
            "{err}"
        );
    }
}
