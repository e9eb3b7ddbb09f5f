//! The local web page in a real browser: `xxgk serve`, Debian's headless Chromium driven by
//! playwright-core (`tests/browser/`), paste seed 000, download the workbook, and the workbook
//! imports back to the same report as the seed text.
//!
//! Needs `/usr/bin/chromium` and `npm ci --prefix tests/browser`; skipped with a note when
//! either is missing, unless `XXGK_REQUIRE_BROWSER=1` (set by `.ci/run`, which installs both).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

#[test]
fn paste_seed_and_download_a_workbook_that_imports_back() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let ready = Path::new(&chromium).exists()
        && root
            .join("tests/browser/node_modules/playwright-core")
            .exists();
    if !ready {
        assert!(
            std::env::var("XXGK_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "Chromium or tests/browser/node_modules missing"
        );
        eprintln!("Chromium or playwright-core not installed; skipped");
        return;
    }
    let mut server = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split("http://")
        .nth(1)
        .map(|u| format!("http://{}", u.trim()))
        .unwrap();
    let browse = |seed: &Path| -> (tempfile::TempDir, serde_json::Value) {
        let out = tempfile::tempdir().unwrap();
        let run = Command::new("node")
            .arg(root.join("tests/browser/paste_and_download.mjs"))
            .arg(&url)
            .arg(seed)
            .arg(out.path())
            .env("CHROMIUM", &chromium)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "browser run failed:\n{}\n{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
        let page =
            serde_json::from_slice(&std::fs::read(out.path().join("page.json")).unwrap()).unwrap();
        (out, page)
    };
    let seed = root.join("fixtures/seeds/000.txt");
    let (out, page) = browse(&seed);
    // Seed 003 prints totals that do not add up: the page paints those cells.
    let (out3, page3) = browse(&root.join("fixtures/seeds/003.txt"));
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(page["cells"], 200, "all 2021 cells shown: {page}");
    assert_eq!(page["bad"], 0, "seed 000 is consistent: {page}");
    assert!(
        page3["bad"].as_u64().unwrap() >= 1,
        "seed 003's findings are highlighted: {page3}"
    );
    // Every finding links to its cell; following the first flashes that highlighted cell.
    assert_eq!(page["links"], 0, "{page}");
    assert!(page3["links"].as_u64().unwrap() >= 1, "{page3}");
    let goto = &page3["goto"];
    assert_eq!(goto["flashed"], 1, "{page3}");
    assert_eq!(goto["link_path"], goto["flashed_path"], "{page3}");
    assert_eq!(goto["flashed_bad"], true, "{page3}");
    assert_eq!(goto["in_view"], true, "{page3}");
    assert!(
        goto["link_text"].as_str().unwrap().contains("表三!"),
        "the link names the workbook cell: {page3}"
    );
    // The blank template downloaded from the page is the 2021 form, every cell blank.
    let tpl = xxgk::read::read_path(
        &out3.path().join("template-2021.xlsx"),
        None,
        &Default::default(),
    )
    .unwrap()
    .reports
    .remove(0)
    .report;
    assert_eq!(tpl.edition(), xxgk_schema::Edition::E2021);
    assert!(
        tpl.cells()
            .iter()
            .all(|(_, c, _)| **c == xxgk_schema::Cell::Blank),
        "a blank template"
    );

    let want = xxgk::read::read_path(&seed, None, &Default::default())
        .unwrap()
        .reports
        .remove(0)
        .report;
    let got = xxgk::read::read_path(
        &out.path().join("downloaded.xlsx"),
        None,
        &Default::default(),
    )
    .unwrap()
    .reports
    .remove(0)
    .report;
    let mut want = want;
    // Pasted text has no file name: the page names it paste.txt; its SHA-256 is that of the
    // text as pasted (the browser may change line ends), recorded in the workbook.
    let got_sha = got.info().source.as_ref().and_then(|s| s.sha256.clone());
    assert!(
        got_sha.as_ref().is_some_and(|h| h.len() == 64),
        "{got_sha:?}"
    );
    let src = want.info_mut().source.as_mut().unwrap();
    src.file = Some("paste.txt".into());
    src.sha256 = got_sha;
    assert_eq!(got, want);
}
