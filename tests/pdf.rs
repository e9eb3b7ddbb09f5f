//! PDFs that cannot be read, or only in part: each gets a clear bilingual error or a warning that
//! names the pages (files built by `scripts/make_hostile_pdfs.py` from a real report), and a PDF
//! one never read takes no more than a moment.

use std::path::{Path, PathBuf};

use xxgk::read::read_path;
use xxgk::Severity;
use xxgk_schema::Report;

fn hostile(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/hostile")
        .join(name)
}

fn error(name: &str) -> String {
    match read_path(&hostile(name), None, &Default::default()) {
        Ok(_) => panic!("{name} should not read"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn encrypted_with_a_user_password() {
    let e = error("encrypted.pdf");
    assert!(e.contains("加密") && e.contains("user password"), "{e}");
    assert!(e.contains("encrypted.pdf"), "{e}");
}

#[test]
fn an_owner_password_alone_does_not_stop_reading() {
    let l = read_path(&hostile("owner-only.pdf"), None, &Default::default()).unwrap();
    let r = &l.reports[0].report;
    assert_eq!(
        r.cell("applications.new_applications.total"),
        Some(&xxgk_schema::Cell::int(95))
    );
}

#[test]
fn a_scan_says_it_has_no_text_layer() {
    let e = error("scanned.pdf");
    assert!(
        e.contains("没有文字层") && e.contains("OCR is not supported"),
        "{e}"
    );
    assert!(e.contains("5 pages"), "{e}");
}

#[test]
fn a_scanned_page_among_text_pages_is_named() {
    let l = read_path(&hostile("half-scanned.pdf"), None, &Default::default()).unwrap();
    let rec = &l.reports[0];
    let d = rec
        .diagnostics
        .iter()
        .find(|d| d.code == "read.pdf_pages_without_text")
        .expect("said");
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message_en.contains("page(s) 1 "), "{}", d.message_en);
    // The tables are on the pages with text.
    assert_eq!(
        rec.report.cell("applications.results.granted.total"),
        Some(&xxgk_schema::Cell::int(50))
    );
}

#[test]
fn fonts_without_unicode_mapping_are_garbled() {
    let e = error("garbled.pdf");
    assert!(
        e.contains("乱码") && e.contains("no Unicode mapping"),
        "{e}"
    );
    assert!(e.contains("1–5"), "{e}");
}

#[test]
fn a_truncated_download_is_said() {
    let e = error("truncated.pdf");
    assert!(e.contains("不完整") && e.contains("incomplete"), "{e}");
}

#[test]
fn too_many_pages_are_refused() {
    let e = error("many-pages.pdf");
    assert!(e.contains("400") && e.contains("too many pages"), "{e}");
}

#[test]
fn bytes_that_are_not_a_pdf_are_malformed() {
    for bytes in [
        &b"%PDF-1.7\n garbage"[..],
        &b"%PDF-"[..],
        &b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"[..],
    ] {
        let e = xxgk::read::read_bytes(Path::new("x.pdf"), bytes, None, &Default::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.pdf"), "{e}");
        assert!(e.contains('/'), "bilingual: {e}");
    }
}

/// The reader child limits its own address space to 1 GiB after it starts; the CLI's allocator
/// (mimalloc) reserves 1 GiB when a process starts unless told otherwise, and that left the
/// child no room to map anything more, so one conversion in four of this real PDF failed with
/// "ran out of memory or crashed". Every run must read it.
#[test]
fn the_reader_child_has_room_to_allocate() {
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus/040_honghe-hzq_2023.pdf");
    let dir = tempfile::tempdir().unwrap();
    for i in 0..16 {
        let out = dir.path().join(format!("{i}.json"));
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"))
            .arg("convert")
            .arg(&pdf)
            .arg("-o")
            .arg(&out)
            .arg("-q")
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "run {i}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let r: Report = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
        assert!(r.cell("applications.new_applications.total").is_some());
    }
}
