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
    let (_, page3) = browse(&root.join("fixtures/seeds/003.txt"));
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(page["cells"], 200, "all 2021 cells shown: {page}");
    assert_eq!(page["bad"], 0, "seed 000 is consistent: {page}");
    assert!(
        page3["bad"].as_u64().unwrap() >= 1,
        "seed 003's findings are highlighted: {page3}"
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
    // Pasted text has no file name: the page names it paste.txt.
    want.info_mut().source.as_mut().unwrap().file = Some("paste.txt".into());
    assert_eq!(got, want);
}
