//! Our workbooks open in LibreOffice: headless conversion to PDF succeeds and the PDF shows the
//! form's labels and the report's numbers. Skipped (with a note) when LibreOffice is not
//! installed, unless `XXGK_REQUIRE_LIBREOFFICE=1` (set by `.ci/run`, which installs it).

use std::path::Path;
use std::process::Command;

use xxgk::write::xlsx;
use xxgk_schema::Edition;

fn soffice() -> Option<&'static str> {
    let found = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found && std::env::var("XXGK_REQUIRE_LIBREOFFICE").as_deref() == Ok("1") {
        panic!("LibreOffice (soffice) is required but not installed");
    }
    found.then_some("soffice")
}

fn to_pdf(bin: &str, xlsx: &Path) -> String {
    let dir = xlsx.parent().unwrap();
    let o = Command::new(bin)
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir)
        .arg(xlsx)
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = xlsx.with_extension("pdf");
    assert!(std::fs::metadata(&pdf).unwrap().len() > 10_000);
    let t = Command::new("pdftotext").arg(&pdf).arg("-").output();
    match t {
        Ok(t) if t.status.success() => String::from_utf8_lossy(&t.stdout).into_owned(),
        _ => String::new(), // poppler-utils absent: the conversion itself is the check
    }
}

#[test]
fn report_and_template_workbooks_convert_to_pdf() {
    let Some(bin) = soffice() else {
        eprintln!("LibreOffice not installed; skipped");
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds/000.txt");
    let r = xxgk::read::read_path(&seed, None, &Default::default())
        .unwrap()
        .reports
        .remove(0)
        .report;
    let p = d.path().join("report.xlsx");
    std::fs::write(&p, xlsx::report_workbook(&r).unwrap()).unwrap();
    let text = to_pdf(bin, &p);
    if !text.is_empty() {
        for needle in [
            "三、收到和处理政府信息公开申请情况",
            "（七）总计",
            "50076",
            "9119.15",
            "482",
        ] {
            assert!(text.contains(needle), "PDF lacks {needle}");
        }
    }
    for e in [Edition::E2021, Edition::E2019] {
        let p = d.path().join(format!("template-{e}.xlsx"));
        std::fs::write(&p, xlsx::template(e).unwrap()).unwrap();
        let text = to_pdf(bin, &p);
        if !text.is_empty() && e == Edition::E2019 {
            assert!(text.contains("第二十条第（九）项"));
        }
    }
}
