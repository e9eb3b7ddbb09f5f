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

/// A form's validations are given a row run at a time, each rule naming the run's top-left
/// cell: LibreOffice imports each as a condition relative to that cell (its base cell), shared
/// by the cells of the run, so every cell is checked against its own content.
#[test]
fn range_validations_are_relative_to_their_top_left_cell() {
    use std::io::Read;
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
    let o = Command::new(bin)
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "ods",
            "--outdir",
        ])
        .arg(d.path())
        .arg(&p)
        .env("HOME", d.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ods = std::fs::read(p.with_extension("ods")).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(ods)).unwrap();
    let mut content = String::new();
    z.by_name("content.xml")
        .unwrap()
        .read_to_string(&mut content)
        .unwrap();
    let attr = |el: &str, name: &str| -> Option<String> {
        let at = el.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(el[at..at + el[at..].find('"')?].to_string())
    };
    let mut rules = 0;
    let mut names = Vec::new();
    for el in content.split("<table:content-validation ").skip(1) {
        // The element's attributes, each after a space.
        let el = format!(" {}", &el[..el.find('>').unwrap()]);
        let el = el.as_str();
        let condition = attr(el, "table:condition").unwrap();
        if !condition.contains("is-true-formula(") {
            continue; // the information sheet's list of editions
        }
        let base = attr(el, "table:base-cell-address").unwrap();
        let base_cell = base.rsplit('.').next().unwrap();
        let first_ref = &condition[condition.find("[.").unwrap() + 2..];
        let first_ref = &first_ref[..first_ref.find(']').unwrap()];
        assert_eq!(first_ref, base_cell, "{condition} at {base}");
        names.push(attr(el, "table:name").unwrap());
        rules += 1;
    }
    assert!(rules > 10, "{rules} rules");
    // Cells share a rule (a run of a row), each cell of a run checked relative to its base.
    let uses = |name: &String| {
        content
            .split("table:content-validation-name=\"")
            .skip(1)
            .filter(|s| s.starts_with(&format!("{name}\"")))
            .map(|s| {
                let el = &s[..s.find('>').unwrap()];
                attr(el, "table:number-columns-repeated").map_or(1, |n| n.parse().unwrap())
            })
            .sum::<usize>()
    };
    let cells: usize = names.iter().map(uses).sum();
    assert!(cells > rules, "{cells} validated cells for {rules} rules");
}
