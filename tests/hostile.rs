//! Hostile inputs (issue: bounded work on every input): each is generated here, and the release
//! or test binary runs on it under a 1 GiB address-space limit (`setrlimit`) and a time budget.
//! Every one is refused (exit 2, a bilingual message naming the file) or converted, and a batch
//! holding all of them still writes every other report and lists the bad files.

#![cfg(unix)]

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ADDRESS_SPACE: u64 = 1 << 30;
const BUDGET: Duration = Duration::from_secs(30);

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn seed(n: &str) -> Vec<u8> {
    std::fs::read(root().join(format!("fixtures/seeds/{n}.txt"))).unwrap()
}

struct Run {
    code: i32,
    out: String,
    took: Duration,
}

/// Run `xxgk ARGS` in `dir` under the address-space limit; fail if it takes over the budget.
fn xxgk(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xxgk"));
    cmd.args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: setrlimit in the child before exec, with a live struct.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: ADDRESS_SPACE as libc::rlim_t,
                rlim_max: ADDRESS_SPACE as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let t = Instant::now();
    let mut child = cmd.spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let o = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let e = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if t.elapsed() > BUDGET {
            let _ = child.kill();
            panic!("xxgk {args:?} took more than {BUDGET:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let out = format!("{}{}", o.join().unwrap(), e.join().unwrap());
    Run {
        code: status.code().unwrap_or(-1),
        out,
        took: t.elapsed(),
    }
}

fn assert_refused(dir: &Path, file: &str, what: &str) {
    let r = xxgk(dir, &["check", file]);
    assert_eq!(r.code, 2, "{file}: {}", r.out);
    assert!(r.out.contains(file), "names the file: {}", r.out);
    assert!(r.out.contains(" / "), "bilingual: {}", r.out);
    assert!(
        r.out.contains(what),
        "{file}: expected {what:?} in {}",
        r.out
    );
    assert!(r.took < Duration::from_secs(10), "{file} took {:?}", r.took);
}

/// Records of a CSV file (narrative cells hold line breaks, so lines are not records).
fn csv_rows(p: &Path) -> usize {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(p)
        .unwrap()
        .records()
        .count()
}

// --- builders --------------------------------------------------------------------------------

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    let o = zip::write::SimpleFileOptions::default();
    for (name, data) in entries {
        w.start_file(*name, o).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap();
    buf.into_inner()
}

/// A minimal xlsx with one sheet (`sheet_xml` is the `<sheetData>` content) and shared strings.
fn xlsx(sheet_data: &str, shared: &[String]) -> Vec<u8> {
    let sst: String = shared
        .iter()
        .map(|s| format!("<si><t>{s}</t></si>"))
        .collect();
    let parts: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#.to_vec()),
        ("_rels/.rels", br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec()),
        ("xl/workbook.xml", br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_vec()),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#.to_vec()),
        ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#).into_bytes()),
        ("xl/sharedStrings.xml", format!(r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">{sst}</sst>"#, shared.len()).into_bytes()),
    ];
    let refs: Vec<(&str, &[u8])> = parts.iter().map(|(n, d)| (*n, d.as_slice())).collect();
    zip(&refs)
}

fn col_name(mut c: u32) -> String {
    let mut s = Vec::new();
    c += 1;
    while c > 0 {
        s.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

/// `lo-000.xls` with every sheet's DIMENSIONS record claiming 10^8 rows × 256 columns.
fn xls_with_huge_dimensions() -> Vec<u8> {
    use std::io::Read;
    let bytes = std::fs::read(root().join("fixtures/built/lo-000.xls")).unwrap();
    let mut cf = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).unwrap();
    let mut stream = Vec::new();
    cf.open_stream("/Workbook")
        .unwrap()
        .read_to_end(&mut stream)
        .unwrap();
    let mut pos = 0;
    let mut patched = 0;
    while pos + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]) as usize;
        if typ == 0x0200 && len == 14 {
            let d = pos + 4;
            stream[d..d + 4].copy_from_slice(&0u32.to_le_bytes());
            stream[d + 4..d + 8].copy_from_slice(&100_000_000u32.to_le_bytes());
            stream[d + 8..d + 10].copy_from_slice(&0u16.to_le_bytes());
            stream[d + 10..d + 12].copy_from_slice(&256u16.to_le_bytes());
            patched += 1;
        }
        pos += 4 + len;
    }
    assert!(patched > 0, "lo-000.xls has DIMENSIONS records");
    let mut out = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    out.create_stream("/Workbook")
        .unwrap()
        .write_all(&stream)
        .unwrap();
    out.flush().unwrap();
    out.into_inner().into_inner()
}

fn hostile_files(dir: &Path) -> Vec<(&'static str, &'static str)> {
    let w = |name: &str, data: &[u8]| std::fs::write(dir.join(name), data).unwrap();
    // 1. xls claiming 10^8 × 256 cells.
    w("dimensions.xls", &xls_with_huge_dimensions());
    // 2. ods whose content.xml has a DOCTYPE and 9,900 × 10,000 repeated cells.
    let content = "<?xml version=\"1.0\"?><!DOCTYPE office:document-content><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\"><office:body><office:spreadsheet><table:table table:name=\"S\"><table:table-row table:number-rows-repeated=\"9900\"><table:table-cell office:value-type=\"float\" office:value=\"1\" table:number-columns-repeated=\"10000\"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>";
    w(
        "doctype.ods",
        &zip(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("content.xml", content.as_bytes()),
        ]),
    );
    // 3. xlsx: one 1 MB shared string referenced by 20,000 cells.
    let rows: String = (1..=20_000)
        .map(|r| format!("<row r=\"{r}\"><c r=\"A{r}\" t=\"s\"><v>0</v></c></row>"))
        .collect();
    w("shared.xlsx", &xlsx(&rows, &["字".repeat(350_000)]));
    // 4. a sparse diagonal: one number per row across 16,384 columns.
    let rows: String = (1..=4000u32)
        .map(|r| {
            let c = col_name((r * 4) % 16_384);
            format!("<row r=\"{r}\"><c r=\"{c}{r}\"><v>{r}</v></c></row>")
        })
        .collect();
    w("diagonal.xlsx", &xlsx(&rows, &[]));
    let ss_rows: String = (1..=4000u32)
        .map(|r| {
            format!(
                "<Row><Cell ss:Index=\"{}\"><Data ss:Type=\"Number\">{r}</Data></Cell></Row>",
                (r * 4) % 16_384 + 1
            )
        })
        .collect();
    w("diagonal.xml", format!("<?xml version=\"1.0\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\"><Worksheet ss:Name=\"S\"><Table>{ss_rows}</Table></Worksheet></Workbook>").as_bytes());
    let tr: String = (1..=4000u32)
        .map(|r| format!("<w:tr><w:trPr><w:gridBefore w:val=\"{}\"/></w:trPr><w:tc><w:p><w:r><w:t>{r}</w:t></w:r></w:p></w:tc></w:tr>", (r * 4) % 16_000))
        .collect();
    let doc = format!("<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:tbl>{tr}</w:tbl></w:body></w:document>");
    w(
        "diagonal.docx",
        &zip(&[
            ("[Content_Types].xml", b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
            ("word/document.xml", doc.as_bytes()),
        ]),
    );
    // 5. HTML: 4,000 nested tables; 100,000 nested divs.
    w(
        "tables.html",
        format!(
            "<html><body>{}{}</body></html>",
            "<table><tr><td>规章 1".repeat(4000),
            "</td></tr></table>".repeat(4000)
        )
        .as_bytes(),
    );
    w(
        "divs.html",
        format!(
            "<html><body>{}二、主动公开 规章 1{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        )
        .as_bytes(),
    );
    // 6. text that is only numbers (20 MB).
    w("numbers.txt", "1 ".repeat(10_000_000).as_bytes());
    vec![
        ("dimensions.xls", "too large"),
        ("doctype.ods", "DTD"),
        ("shared.xlsx", "too much text"),
        ("diagonal.xlsx", "too large"),
        ("diagonal.xml", "too large"),
        ("diagonal.docx", "too large"),
        ("tables.html", "too deeply"),
        ("divs.html", "too deeply"),
        ("numbers.txt", "too many cells"),
    ]
}

// --- items 1–6: readers ------------------------------------------------------------------------

#[test]
fn hostile_files_are_refused_within_a_gibibyte_and_seconds() {
    let d = tempfile::tempdir().unwrap();
    for (file, what) in hostile_files(d.path()) {
        assert_refused(d.path(), file, what);
    }
}

#[test]
fn a_batch_with_every_hostile_file_still_writes_the_good_reports() {
    let d = tempfile::tempdir().unwrap();
    let mut bad = hostile_files(d.path());
    // The unreadable PDFs of fixtures/hostile too.
    for f in [
        "encrypted.pdf",
        "scanned.pdf",
        "garbled.pdf",
        "truncated.pdf",
        "many-pages.pdf",
    ] {
        std::fs::copy(root().join("fixtures/hostile").join(f), d.path().join(f)).unwrap();
        bad.push((f, ""));
    }
    for n in ["000", "001", "003"] {
        std::fs::write(d.path().join(format!("good-{n}.txt")), seed(n)).unwrap();
    }
    let r = xxgk(d.path(), &["convert", ".", "-o", "out.csv", "-q"]);
    assert_eq!(r.code, 2, "failures make the exit status 2: {}", r.out);
    for (file, _) in &bad {
        assert!(r.out.contains(file), "{file} is listed: {}", r.out);
    }
    // The header and the three good reports.
    assert_eq!(csv_rows(&d.path().join("out.csv")), 1 + 3);
}

// --- item 7: the batch walk --------------------------------------------------------------------

#[test]
fn links_fifos_and_devices_do_not_multiply_or_hang_a_batch() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("a.txt"), seed("000")).unwrap();
    std::os::unix::fs::symlink(".", p.join("loop")).unwrap();
    std::os::unix::fs::symlink(".", p.join("loop2")).unwrap();
    std::os::unix::fs::symlink("..", p.join("up")).unwrap();
    let fifo = std::ffi::CString::new(p.join("x.txt").to_str().unwrap()).unwrap();
    // SAFETY: a valid C string path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let r = xxgk(p, &["convert", ".", "-o", "out.ndjson"]);
    assert_eq!(r.code, 0, "{}", r.out);
    let lines = std::fs::read_to_string(p.join("out.ndjson")).unwrap();
    assert_eq!(lines.lines().count(), 1, "one report, not one per link");
    assert!(
        r.out.contains("symbolic link") && r.out.contains("not a regular file"),
        "{}",
        r.out
    );
    // A device never ends: read through a bounded reader.
    let r = xxgk(
        p,
        &["convert", "/dev/zero", "--from", "text", "-o", "z.json"],
    );
    assert_eq!(r.code, 2, "{}", r.out);
    assert!(r.out.contains("file too large"), "{}", r.out);
}

// --- item 8: our own outputs -------------------------------------------------------------------

#[test]
fn an_earlier_dataset_in_the_tree_is_not_read_back() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    for n in ["000", "001", "002", "003", "004"] {
        std::fs::write(p.join(format!("{n}.txt")), seed(n)).unwrap();
    }
    assert_eq!(xxgk(p, &["convert", ".", "-o", "all.json", "-q"]).code, 0);
    let r = xxgk(p, &["convert", ".", "-o", "all.csv"]);
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(
        r.out.contains("all.json") && r.out.contains("a dataset xxgk wrote"),
        "{}",
        r.out
    );
    assert_eq!(csv_rows(&p.join("all.csv")), 1 + 5, "five reports, not ten");
    // Named, it is read.
    let r = xxgk(p, &["convert", "all.json", "-o", "again.ndjson"]);
    assert_eq!(r.code, 0, "{}", r.out);
    // Identical inputs are reported.
    std::fs::write(p.join("copy.txt"), seed("000")).unwrap();
    let r = xxgk(p, &["convert", ".", "-o", "b.csv"]);
    assert!(
        r.out.contains("identical") && r.out.contains("copy.txt"),
        "{}",
        r.out
    );
}

// --- item 9: output files ----------------------------------------------------------------------

#[test]
fn outputs_follow_the_umask_and_interrupts_leave_no_temporary_files() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("a.txt"), seed("000")).unwrap();
    // SAFETY: umask only changes this process's mask; the child inherits it.
    let old = unsafe { libc::umask(0o022) };
    let r = xxgk(p, &["convert", "a.txt", "-o", "a.json"]);
    assert_eq!(r.code, 0, "{}", r.out);
    let mode = |f: &str| std::fs::metadata(p.join(f)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode("a.json"), 0o644);
    std::fs::set_permissions(p.join("a.json"), std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(
        xxgk(p, &["convert", "a.txt", "-o", "a.json", "--force"]).code,
        0
    );
    assert_eq!(mode("a.json"), 0o600, "--force keeps the file's mode");
    unsafe { libc::umask(old) };

    // Interrupt a long write: its temporary file goes away with it.
    let many = p.join("many");
    std::fs::create_dir(&many).unwrap();
    for i in 0..1500 {
        std::fs::write(
            many.join(format!("{i:04}.txt")),
            seed(["000", "001", "003"][i % 3]),
        )
        .unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["convert", "many", "-o", "long.csv", "--shape", "long", "-q"])
        .current_dir(p)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let tmp = |p: &Path| {
        std::fs::read_dir(p).unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".xxgk-tmp-")
        })
    };
    let t = Instant::now();
    while !tmp(p) && t.elapsed() < BUDGET && child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(tmp(p), "the output is being written to a .xxgk-tmp-* file");
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(!tmp(p), "no temporary file is left");
    assert!(!p.join("long.csv").exists(), "no partial output");
}

// --- item 10: CSV for Excel ----------------------------------------------------------------------

#[test]
fn csv_text_cannot_be_run_as_a_formula_and_still_reads_back() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let mut r = xxgk::read::read_path(
        &root().join("fixtures/seeds/000.txt"),
        None,
        &Default::default(),
    )
    .unwrap()
    .reports
    .remove(0)
    .report;
    r.info_mut().agency = Some("=HYPERLINK(\"http://evil.example\",\"点击\")".into());
    r.info_mut().title = Some("'引号开头".into());
    std::fs::write(p.join("r.json"), serde_json::to_vec(&r).unwrap()).unwrap();
    for shape in ["wide", "long"] {
        let out = format!("{shape}.csv");
        assert_eq!(
            xxgk(p, &["convert", "r.json", "-o", &out, "--shape", shape]).code,
            0
        );
        let text = std::fs::read_to_string(p.join(&out)).unwrap();
        assert!(text.contains("'=HYPERLINK"), "{shape}: escaped");
        assert!(
            !text.contains(",=HYPERLINK") && !text.contains("\"=HYPERLINK"),
            "{shape}"
        );
        let back = xxgk::read::read_path(&p.join(&out), None, &Default::default()).unwrap();
        assert_eq!(
            back.reports[0].report.info().agency,
            r.info().agency,
            "{shape}: lossless"
        );
        assert_eq!(
            back.reports[0].report.info().title,
            r.info().title,
            "{shape}: lossless"
        );
    }
    assert_eq!(
        xxgk(
            p,
            &["convert", "r.json", "-o", "raw.csv", "--no-formula-escape"]
        )
        .code,
        0
    );
    let raw = std::fs::read_to_string(p.join("raw.csv")).unwrap();
    assert!(raw.contains("\"=HYPERLINK") && !raw.contains("'=HYPERLINK"));
}

// --- item 11: text too long for a cell ---------------------------------------------------------

#[test]
fn text_cut_in_a_dataset_workbook_is_said() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    for (i, n) in ["000", "003"].iter().enumerate() {
        let mut r = xxgk::read::read_path(
            &root().join(format!("fixtures/seeds/{n}.txt")),
            None,
            &Default::default(),
        )
        .unwrap()
        .reports
        .remove(0)
        .report;
        if i == 0 {
            r.info_mut().title = Some("长".repeat(40_000));
        }
        std::fs::write(p.join(format!("{n}.json")), serde_json::to_vec(&r).unwrap()).unwrap();
    }
    let r = xxgk(p, &["convert", "000.json", "003.json", "-o", "ds.xlsx"]);
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(
        r.out.contains("title") && r.out.contains("32767"),
        "{}",
        r.out
    );
    let back = xxgk::read::read_path(&p.join("ds.xlsx"), None, &Default::default()).unwrap();
    let title = back.reports[0].report.info().title.clone().unwrap();
    assert_eq!(title.encode_utf16().count(), 32_767, "cut at Excel's limit");
}

// --- item 13: encodings ------------------------------------------------------------------------

#[test]
fn utf16_without_bom_damaged_utf8_and_mixed_encodings() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let text = String::from_utf8(seed("000")).unwrap();
    let u16le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(p.join("u16.txt"), u16le).unwrap();
    let r = xxgk(p, &["convert", "u16.txt", "-o", "-"]);
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(r.out.contains("泰兴市人民政府"));

    let mut bytes = seed("000");
    for i in (1000..bytes.len()).step_by(bytes.len() / 21).take(20) {
        bytes[i] = 0xFF;
    }
    std::fs::write(p.join("damaged.txt"), &bytes).unwrap();
    let r = xxgk(p, &["check", "damaged.txt"]);
    assert_eq!(r.code, 1, "{}", r.out);
    assert!(r.out.contains("read.invalid_utf8"), "{}", r.out);
    let r = xxgk(p, &["convert", "damaged.txt", "-o", "-", "-q"]);
    assert!(
        r.out.contains("\"agency\": \"泰兴市人民政府\""),
        "still read as UTF-8"
    );

    let lines: Vec<&str> = text.lines().collect();
    let half = lines.len() / 2;
    let second = lines[half..].join("\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&second);
    let mut mixed = lines[..half].join("\n").into_bytes();
    mixed.push(b'\n');
    mixed.extend_from_slice(&gbk);
    std::fs::write(p.join("mixed.txt"), mixed).unwrap();
    let r = xxgk(p, &["check", "mixed.txt"]);
    assert_eq!(r.code, 1, "reported: {}", r.out);
    assert!(r.out.contains("read.mixed_encoding"), "{}", r.out);
    let rec = xxgk::read::read_path(&p.join("mixed.txt"), None, &Default::default()).unwrap();
    assert_eq!(
        rec.reports[0]
            .report
            .cell("review_litigation.litigation_after_review.total"),
        Some(&xxgk_schema::Cell::int(41)),
        "the GBK half is read too"
    );
}
