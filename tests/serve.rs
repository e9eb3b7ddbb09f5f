//! `xxgk serve` over plain HTTP (no browser): the page, recognition with findings, downloads,
//! the upload limit and bilingual errors. Nothing beyond the binary is needed.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

struct Server(Child, String);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start() -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .unwrap()
        .trim()
        .trim_end_matches('/')
        .to_string();
    assert!(
        addr.starts_with("127.0.0.1:"),
        "binds to loopback by default: {addr}"
    );
    Server(child, addr)
}

/// One HTTP/1.1 request as our page sends it; returns (status, headers, body).
fn request(
    addr: &str,
    method: &str,
    path: &str,
    body: &[u8],
    declared_len: Option<usize>,
) -> (u16, String, Vec<u8>) {
    let len = declared_len.unwrap_or(body.len());
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nX-Xxgk-Request: 1\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
    );
    raw(addr, head.as_bytes(), body)
}

/// Send exactly these header bytes and body; returns (status, headers, body).
fn raw(addr: &str, head: &[u8], body: &[u8]) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(head).unwrap();
    let _ = s.write_all(body);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let split = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&out[..split]).into_owned();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let mut body = out[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    (status, head, body)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(nl) = b.windows(2).position(|w| w == b"\r\n") {
        let n = usize::from_str_radix(std::str::from_utf8(&b[..nl]).unwrap().trim(), 16).unwrap();
        if n == 0 {
            break;
        }
        out.extend_from_slice(&b[nl + 2..nl + 2 + n]);
        b = &b[nl + 2 + n + 2..];
    }
    out
}

#[test]
fn page_api_downloads_and_limits() {
    let srv = start();
    let a = &srv.1;
    let (st, _, page) = request(a, "GET", "/", b"", None);
    assert_eq!(st, 200);
    assert!(String::from_utf8_lossy(&page).contains("表格识别"));

    let seed = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds/003.txt"))
        .unwrap();
    let (st, _, body) = request(a, "POST", "/api/recognize?name=003.txt", &seed, None);
    assert_eq!(st, 200);
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let r = &v["reports"][0];
    assert_eq!(r["report"]["agency"], "安化县人民政府");
    assert!(!r["findings"].as_array().unwrap().is_empty());
    assert!(r["tables_html"]
        .as_str()
        .unwrap()
        .contains("class=\"value bad\""));

    let (st, head, xlsx) = request(a, "POST", "/api/convert?name=003.txt&to=xlsx", &seed, None);
    assert_eq!(st, 200);
    assert!(head.contains("attachment"), "{head}");
    let back =
        xxgk::read::read_bytes(Path::new("d.xlsx"), &xlsx, None, &Default::default()).unwrap();
    assert_eq!(
        back.reports[0].report.info().agency.as_deref(),
        Some("安化县人民政府")
    );
    let (st, _, csv) = request(
        a,
        "POST",
        "/api/convert?name=003.txt&to=csv&shape=long",
        &seed,
        None,
    );
    assert_eq!(st, 200);
    assert!(csv.starts_with(b"\xEF\xBB\xBFreport_id,agency"));

    // A PDF upload goes through the same reader, findings at their page and row.
    let pdf = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus/040_honghe-hzq_2023.pdf"),
    )
    .unwrap();
    let (st, _, body) = request(a, "POST", "/api/recognize?name=report.pdf", &pdf, None);
    assert_eq!(st, 200, "{}", String::from_utf8_lossy(&body));
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let r = &v["reports"][0];
    assert_eq!(r["report"]["applications"]["new_applications"]["total"], 21);
    let f = r["findings"].as_array().unwrap();
    assert!(
        f.iter()
            .any(|f| f["origin"]["kind"] == "page" && f["origin"]["page"] == 4),
        "{f:?}"
    );

    // Empty and unreadable inputs get bilingual errors; oversized uploads are refused unread.
    let (st, _, body) = request(a, "POST", "/api/recognize", b"", None);
    assert_eq!(st, 400);
    let e: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(e["error_zh"].as_str().unwrap().contains("没有内容"));
    assert!(e["error_en"].as_str().unwrap().contains("nothing received"));
    let (st, _, _) = request(
        a,
        "POST",
        "/api/recognize?name=x.txt",
        "没有表格的文字".as_bytes(),
        None,
    );
    assert_eq!(st, 422);
    let (st, _, body) = request(
        a,
        "POST",
        "/api/recognize?name=big.txt",
        b"",
        Some(20_000_000),
    );
    assert_eq!(st, 413);
    assert!(String::from_utf8_lossy(&body).contains("file too large"));
}

fn start_with(args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["serve", "--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .unwrap()
        .trim()
        .trim_end_matches('/')
        .to_string();
    Server(child, addr)
}

fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(body)))
}

#[test]
fn only_its_own_page_can_drive_it() {
    let srv = start();
    let a = &srv.1;
    let seed = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds/000.txt"))
        .unwrap();
    let post = |extra: &str| {
        let head = format!(
            "POST /api/recognize?name=r.txt HTTP/1.1\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
            seed.len()
        );
        raw(a, head.as_bytes(), &seed)
    };
    let port = a.rsplit(':').next().unwrap();
    // DNS rebinding: another name for this address is refused, for pages too.
    let (st, _, body) = raw(
        a,
        format!("GET / HTTP/1.1\r\nHost: evil.example:{port}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
        b"",
    );
    assert_eq!(st, 403);
    let e = json(&body);
    assert!(e["error_zh"].as_str().unwrap().contains("拒绝"));
    assert!(e["error_en"]
        .as_str()
        .unwrap()
        .contains("not this computer"));
    // localhost and 127.0.0.1 are this computer.
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let (st, _, _) = post(&format!("Host: {host}\r\nX-Xxgk-Request: 1\r\n"));
        assert_eq!(st, 200, "{host}");
    }
    // A cross-origin text/plain POST (what any web page can send) is refused: no header, or a
    // foreign Origin, or a cross-site fetch.
    let (st, _, body) = post(&format!(
        "Host: {a}\r\nOrigin: https://evil.example\r\nContent-Type: text/plain\r\n"
    ));
    assert_eq!(st, 403);
    assert!(json(&body)["error_en"]
        .as_str()
        .unwrap()
        .contains("only requests from this page"));
    let (st, _, _) = post(&format!(
        "Host: {a}\r\nX-Xxgk-Request: 1\r\nOrigin: https://evil.example\r\n"
    ));
    assert_eq!(st, 403);
    let (st, _, _) = post(&format!(
        "Host: {a}\r\nX-Xxgk-Request: 1\r\nSec-Fetch-Site: cross-site\r\n"
    ));
    assert_eq!(st, 403);
    let (st, _, _) = post(&format!(
        "Host: {a}\r\nX-Xxgk-Request: 1\r\nOrigin: http://{a}\r\nSec-Fetch-Site: same-origin\r\n"
    ));
    assert_eq!(st, 200);
    // Every answer carries the security headers.
    let (_, head, _) = request(a, "GET", "/", b"", None);
    let head = head.to_ascii_lowercase();
    assert!(
        head.contains("content-security-policy: default-src 'self'; frame-ancestors 'none'"),
        "{head}"
    );
    assert!(head.contains("x-content-type-options: nosniff"), "{head}");
}

#[test]
fn slow_and_oversized_uploads_are_cut_off_in_both_languages() {
    let srv = start();
    let a = &srv.1;
    // A body without a declared length, over the limit: 413 with the bilingual JSON.
    let mut head = format!("POST /api/recognize?name=big.txt HTTP/1.1\r\nHost: {a}\r\nX-Xxgk-Request: 1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").into_bytes();
    let chunk = vec![b'1'; 1 << 20];
    let mut body = Vec::new();
    for _ in 0..17 {
        body.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        body.extend_from_slice(&chunk);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"0\r\n\r\n");
    head.extend_from_slice(&body);
    let (st, _, body) = raw(a, &head, b"");
    assert_eq!(st, 413);
    let e = json(&body);
    assert!(e["error_zh"].as_str().unwrap().contains("文件过大"));
    assert!(e["error_en"].as_str().unwrap().contains("file too large"));
    // A connection that never finishes its headers is closed after the header timeout.
    let mut s = TcpStream::connect(a).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: ").unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let t = std::time::Instant::now();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    assert!(
        t.elapsed() < std::time::Duration::from_secs(25),
        "closed after {:?}",
        t.elapsed()
    );
}

#[test]
fn more_work_than_cores_is_answered_busy() {
    let srv = start_with(&["--jobs", "1"]);
    let a = srv.1.clone();
    let pdf = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/variants/pdf-large-broken-000.pdf"),
    )
    .unwrap();
    let handles: Vec<_> = (0..12)
        .map(|_| {
            let (a, pdf) = (a.clone(), pdf.clone());
            std::thread::spawn(move || request(&a, "POST", "/api/recognize?name=r.pdf", &pdf, None))
        })
        .collect();
    let answers: Vec<(u16, Vec<u8>)> = handles
        .into_iter()
        .map(|h| {
            let (st, _, b) = h.join().unwrap();
            (st, b)
        })
        .collect();
    assert!(
        answers.iter().all(|(st, _)| *st == 200 || *st == 503),
        "{:?}",
        answers.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    let busy: Vec<&Vec<u8>> = answers
        .iter()
        .filter(|a| a.0 == 503)
        .map(|a| &a.1)
        .collect();
    assert!(
        !busy.is_empty(),
        "with one job slot, twelve at once cannot all run"
    );
    assert!(answers.iter().any(|a| a.0 == 200));
    let e = json(busy[0]);
    assert!(e["error_zh"].as_str().unwrap().contains("稍后"));
    assert!(e["error_en"].as_str().unwrap().contains("busy"));
}

/// `xxgk` with no arguments (a double-click) starts the page on a free port, says in both
/// languages how to stop it, and opens it in the default browser (here `$BROWSER`, a script
/// that records the address); the page offers the blank templates.
#[test]
#[cfg(unix)]
fn no_arguments_starts_the_page_and_opens_the_browser() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let opened = dir.path().join("opened.txt");
    let script = dir.path().join("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .env("BROWSER", &script)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let (mut first, mut second) = (String::new(), String::new());
    out.read_line(&mut first).unwrap();
    out.read_line(&mut second).unwrap();
    let server = Server(child, String::new());
    let url = first.split("http://").nth(1).unwrap().trim().to_string();
    let addr = url.trim_end_matches('/').to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{first}");
    assert!(!addr.ends_with(":8080") || addr.len() > 14, "a free port");
    assert!(
        second.contains("Ctrl+C") && second.contains("停止") && second.contains("stop"),
        "{second}"
    );
    let t = std::time::Instant::now();
    // Generous: under a loaded test run the shell script may take a while to start. The shell
    // creates the file before `echo` writes to it: wait for the whole line, not the file.
    let written = || {
        std::fs::read_to_string(&opened)
            .ok()
            .filter(|s| s.ends_with('\n'))
    };
    while written().is_none() && t.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let got = written().expect("the browser was opened");
    assert_eq!(got.trim(), format!("http://{url}"));
    let (status, _, body) = request(&addr, "GET", "/", b"", None);
    assert_eq!(status, 200);
    let page = String::from_utf8_lossy(&body);
    assert!(page.contains("/api/template?edition=2021") && page.contains("空白模板"));
    for (edition, want) in [
        ("2019", xxgk_schema::Edition::E2019),
        ("2021", xxgk_schema::Edition::E2021),
    ] {
        let (status, head, body) = request(
            &addr,
            "GET",
            &format!("/api/template?edition={edition}"),
            b"",
            None,
        );
        assert_eq!(status, 200);
        assert!(head.contains(&format!("template-{edition}.xlsx")), "{head}");
        let r =
            xxgk::read::read_bytes(Path::new("template.xlsx"), &body, None, &Default::default())
                .unwrap()
                .reports
                .remove(0)
                .report;
        assert_eq!(r.edition(), want);
    }
    let (status, _, body) = request(&addr, "GET", "/api/template?edition=2008", b"", None);
    assert_eq!(status, 400);
    assert!(String::from_utf8_lossy(&body).contains("2021 or 2019"));
    drop(server);
}

/// A busy port is said plainly, with the way out.
#[test]
fn a_busy_port_says_try_port_zero() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["serve", "--port", &port])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("已被占用") && err.contains("is in use") && err.contains("--port 0"),
        "{err}"
    );
    assert!(!err.contains("cannot access file"), "{err}");
}

/// Messages on the page are in each language on its own, name a pasted text as such (never a
/// file name the user did not give), and never show field ids; every finding says where it
/// stands on the form and in the input.
#[test]
fn page_messages_are_clean_and_findings_say_where() {
    let s = start();
    let (status, _, body) = request(
        &s.1,
        "POST",
        "/api/recognize?name=",
        "这不是一份年报。".as_bytes(),
        None,
    );
    assert_eq!(status, 422);
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let (zh, en) = (
        v["error_zh"].as_str().unwrap(),
        v["error_en"].as_str().unwrap(),
    );
    assert!(zh.starts_with("粘贴的文本"), "{zh}");
    assert!(en.starts_with("the pasted text"), "{en}");
    assert!(
        !zh.contains("paste.txt") && !en.contains("paste.txt"),
        "{v}"
    );
    assert!(!en.contains('未'), "English only: {en}");
    let seed = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds/003.txt"))
        .unwrap();
    let (status, _, body) = request(&s.1, "POST", "/api/recognize?name=", &seed, None);
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let findings = v["reports"][0]["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        let en = f["message_en"].as_str().unwrap();
        for id in ["applications.", "natural_person", "review_litigation", "_"] {
            assert!(!en.contains(id), "an id in the English message: {en}");
        }
        assert!(f["form_cell"].as_str().unwrap().starts_with("表三!"), "{f}");
        assert!(f["input_at"].as_str().unwrap().starts_with("line "), "{f}");
    }
}
