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

/// One HTTP/1.1 request; returns (status, headers, body).
fn request(
    addr: &str,
    method: &str,
    path: &str,
    body: &[u8],
    declared_len: Option<usize>,
) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    let len = declared_len.unwrap_or(body.len());
    write!(s, "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n").unwrap();
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
