//! `xxgk serve`: a local web page for people who do not use a terminal. Paste a report or drop
//! a file, see the recognized tables with consistency findings highlighted, download xlsx, CSV
//! or JSON.
//!
//! Bound to 127.0.0.1 by default. Uploads are limited to [`MAX_UPLOAD`] bytes and only held in
//! memory for the request: nothing is stored. The page is one static file
//! (`src/serve/index.html`); the tables are drawn here from [`crate::layout`], the same form the
//! xlsx writer draws.

use std::net::SocketAddr;
use std::path::Path;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use xxgk_schema::{Edition, Report};

use crate::check::Finding;
use crate::layout::{self, Content};
use crate::read::{self, InputFormat};
use crate::recognize::Options;
use crate::write::csv::Shape;

/// Largest upload accepted, in bytes.
pub const MAX_UPLOAD: usize = 16 * 1024 * 1024;
/// A request's headers must arrive within this time.
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// A request's body must arrive within this time.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);
/// A connection is closed after this time, whatever it is doing.
pub const CONNECTION_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);
/// Most connections served at once.
pub const MAX_CONNECTIONS: usize = 64;

const INDEX: &str = include_str!("index.html");
const APP_JS: &str = include_str!("app.js");
const APP_CSS: &str = include_str!("app.css");

/// The header our own page sends with every POST. A page of another origin cannot send it
/// without a CORS preflight, which this server never grants.
pub const REQUEST_HEADER: &str = "x-xxgk-request";

/// Query parameters of the API.
#[derive(Debug, Deserialize, Default)]
pub struct Params {
    /// Original file name (its extension tells the format); `paste.txt` for pasted text.
    pub name: Option<String>,
    /// Force the edition.
    pub edition: Option<String>,
    /// Output format for `/api/convert`: xlsx, csv, json, xml.
    pub to: Option<String>,
    /// CSV shape: wide or long.
    pub shape: Option<String>,
}

static JOBS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();

/// Process at most `n` files at once (call before [`run`]; the default is one per core).
pub fn set_jobs(n: usize) {
    let _ = JOBS.set(tokio::sync::Semaphore::new(n.max(1)));
}

/// Reading and converting are blocking work: at most one job per core runs at a time.
fn jobs() -> &'static tokio::sync::Semaphore {
    JOBS.get_or_init(|| {
        tokio::sync::Semaphore::new(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
        )
    })
}

/// The router for a server bound to `bound` (exposed for tests).
pub fn app(bound: SocketAddr) -> Router {
    Router::new()
        .route("/", get(|| async { Html(INDEX) }))
        .route(
            "/app.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                    APP_JS,
                )
            }),
        )
        .route(
            "/app.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], APP_CSS) }),
        )
        .route("/api/template", get(template))
        .route("/api/recognize", post(recognize))
        .route("/api/convert", post(convert))
        .layer(DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn(refuse_oversized))
        .layer(axum::middleware::from_fn_with_state(bound, guard))
}

/// The `Host` values this server answers to: its bound address, `localhost`, `127.0.0.1` and
/// `[::1]`, with its port. Anything else (a DNS-rebinding name) is refused.
fn host_allowed(host: &str, bound: SocketAddr) -> bool {
    let port = bound.port();
    let named = [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        bound.to_string(),
    ];
    if named.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return true;
    }
    // Bound to every interface on purpose (`--host 0.0.0.0`): an address written as an IP is
    // what the user typed; a name could be anyone's.
    bound.ip().is_unspecified()
        && host.rsplit_once(':').is_some_and(|(h, p)| {
            p == port.to_string()
                && h.trim_matches(['[', ']'])
                    .parse::<std::net::IpAddr>()
                    .is_ok()
        })
}

/// Host allowlist; POSTs only from our own page; security headers on every answer.
async fn guard(
    axum::extract::State(bound): axum::extract::State<SocketAddr>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let h = req.headers();
    let host = h
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut resp = if !host_allowed(host, bound) {
        problem(
            StatusCode::FORBIDDEN,
            &format!("拒绝访问：请求的主机名 {host:?} 不是本机地址；请用 http://{bound}/ 打开"),
            &format!(
                "refused: the requested host {host:?} is not this computer; open http://{bound}/"
            ),
        )
        .into_response()
    } else if req.method() == axum::http::Method::POST && !own_page(h, bound) {
        problem(
            StatusCode::FORBIDDEN,
            "拒绝访问：只接受本页面发出的请求",
            "refused: only requests from this page are accepted",
        )
        .into_response()
    } else {
        next.run(req).await
    };
    let hs = resp.headers_mut();
    for (k, v) in [
        (
            "content-security-policy",
            "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "no-referrer"),
        ("cache-control", "no-store"),
    ] {
        hs.insert(
            header::HeaderName::from_static(k),
            header::HeaderValue::from_static(v),
        );
    }
    resp
}

/// A POST from our own page: it carries [`REQUEST_HEADER`], and its `Origin` (when sent) and
/// `Sec-Fetch-Site` (when sent) say it comes from this server.
fn own_page(h: &axum::http::HeaderMap, bound: SocketAddr) -> bool {
    if h.get(REQUEST_HEADER).and_then(|v| v.to_str().ok()) != Some("1") {
        return false;
    }
    if let Some(o) = h.get(header::ORIGIN) {
        let Some(host) = o.to_str().ok().and_then(|o| o.strip_prefix("http://")) else {
            return false;
        };
        if !host_allowed(host, bound) {
            return false;
        }
    }
    match h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        None | Some("same-origin") | Some("none") => true,
        Some(_) => false,
    }
}

/// Refuse an upload whose declared length is over the limit before reading any of it.
async fn refuse_oversized(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_UPLOAD as u64) {
        return too_large().into_response();
    }
    next.run(req).await
}

fn too_large() -> Problem {
    problem(
        StatusCode::PAYLOAD_TOO_LARGE,
        &format!("文件过大（上限 {} MB）", MAX_UPLOAD >> 20),
        &format!("file too large (limit {} MB)", MAX_UPLOAD >> 20),
    )
}

/// The request body, at most [`MAX_UPLOAD`] bytes and within [`BODY_TIMEOUT`] (a body without
/// a declared length is cut off at the limit, with the same bilingual answer).
async fn read_body(body: axum::body::Body) -> Result<Bytes, Problem> {
    match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, MAX_UPLOAD)).await {
        Ok(Ok(b)) => Ok(b),
        Ok(Err(_)) => Err(too_large()),
        Err(_) => Err(problem(
            StatusCode::REQUEST_TIMEOUT,
            "上传超时，请重试",
            "the upload took too long; try again",
        )),
    }
}

/// Run blocking work if a core is free, else answer 503.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    let Ok(_permit) = jobs().try_acquire() else {
        return Err(problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "正在处理其他文件，请稍后再试",
            "busy with other files; try again in a moment",
        ));
    };
    match tokio::task::spawn_blocking(work).await {
        Ok(r) => r,
        Err(_) => Err(problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "内部错误",
            "internal error",
        )),
    }
}

/// Serve on `addr` until interrupted; `ready` receives the bound address (port 0 picks one).
pub async fn run(addr: SocketAddr, ready: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    ready(bound);
    let app = app(bound);
    let conns = std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let shutdown = tokio::signal::ctrl_c();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => return Ok(()),
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                // Over the connection limit: close at once rather than queue.
                let Ok(permit) = conns.clone().try_acquire_owned() else { continue };
                let svc = hyper_util::service::TowerToHyperService::new(app.clone());
                tokio::spawn(async move {
                    let conn = hyper::server::conn::http1::Builder::new()
                        .timer(hyper_util::rt::TokioTimer::new())
                        .header_read_timeout(HEADER_TIMEOUT)
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), svc);
                    let _ = tokio::time::timeout(CONNECTION_TIMEOUT, conn).await;
                    drop(permit);
                });
            }
        }
    }
}

/// An error answered to the page: status and bilingual message.
struct Problem(StatusCode, String, String);

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        (
            self.0,
            Json(serde_json::json!({ "error_zh": self.1, "error_en": self.2 })),
        )
            .into_response()
    }
}

fn problem(status: StatusCode, zh: &str, en: &str) -> Problem {
    Problem(status, zh.into(), en.into())
}

/// An error's Chinese and English messages for the page: each language on its own, the input
/// named as the user knows it (a pasted text has no file name).
fn error_messages(e: &crate::Error, pasted: bool) -> (String, String) {
    let (zh, en) = e.messages();
    let Some((path, at)) = e.place() else {
        return (zh, en);
    };
    let (name_zh, name_en) = if pasted {
        ("粘贴的文本".to_string(), "the pasted text".to_string())
    } else {
        let n = path.display().to_string();
        (n.clone(), n)
    };
    match at.trim() {
        "" => (format!("{name_zh}：{zh}"), format!("{name_en}: {en}")),
        at => (
            format!("{name_zh}（{at}）：{zh}"),
            format!("{name_en}, {at}: {en}"),
        ),
    }
}

/// `GET /api/template?edition=2021|2019`: the blank fillable form.
async fn template(Query(p): Query<Params>) -> Response {
    let edition = match p.edition.as_deref().unwrap_or("2021") {
        "2021" => Edition::E2021,
        "2019" => Edition::E2019,
        other => {
            return problem(
                StatusCode::BAD_REQUEST,
                &format!("没有 {other} 版的空白模板（可选 2021、2019）"),
                &format!("there is no blank template of edition {other} (2021 or 2019)"),
            )
            .into_response()
        }
    };
    let year = if edition == Edition::E2021 {
        "2021"
    } else {
        "2019"
    };
    match crate::write::xlsx::template(edition) {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"template-{year}.xlsx\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            let (zh, en) = error_messages(&e, false);
            problem(StatusCode::INTERNAL_SERVER_ERROR, &zh, &en).into_response()
        }
    }
}

fn load(p: &Params, body: &[u8]) -> Result<read::Loaded, Problem> {
    if body.is_empty() {
        return Err(problem(
            StatusCode::BAD_REQUEST,
            "没有内容：请粘贴报告文本或选择文件",
            "nothing received: paste a report or choose a file",
        ));
    }
    // Pasted text comes without a name; messages then say 粘贴的文本 / pasted text.
    let pasted = p
        .name
        .as_deref()
        .is_none_or(|n| n.is_empty() || n == "paste.txt");
    let name = p
        .name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "paste.txt".into());
    // Only the file name is used (for the format and the report's source), never a path.
    let name = Path::new(&name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "paste.txt".into());
    let edition: Option<Edition> = match p.edition.as_deref().filter(|e| !e.is_empty()) {
        Some(e) => Some(
            e.parse()
                .map_err(|m: String| problem(StatusCode::BAD_REQUEST, &m, &m))?,
        ),
        None => None,
    };
    let opts = Options { edition };
    let format = InputFormat::detect(Path::new(&name), body);
    let loaded =
        std::panic::catch_unwind(|| read::read_bytes(Path::new(&name), body, format, &opts))
            .map_err(|_| {
                problem(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "读取时发生内部错误",
                    "internal error while reading",
                )
            })?
            .map_err(|e| {
                let (zh, en) = error_messages(&e, pasted);
                problem(StatusCode::UNPROCESSABLE_ENTITY, &zh, &en)
            })?;
    Ok(loaded)
}

async fn recognize(Query(p): Query<Params>, body: axum::body::Body) -> Response {
    let body = match read_body(body).await {
        Ok(b) => b,
        Err(p) => return p.into_response(),
    };
    let out = blocking(move || -> Result<serde_json::Value, Problem> {
        let mut reports = Vec::new();
        for r in load(&p, &body)?.reports {
            let findings = crate::check::check_recognized(&r);
            let tables = tables_html(&r.report, &findings);
            let grids = layout::grids(&r.report);
            // Each finding with where it stands on the form (the downloaded workbook's cell)
            // and in the input.
            let findings: Vec<serde_json::Value> = findings
                .iter()
                .map(|f| {
                    let mut v = serde_json::to_value(f).unwrap_or_default();
                    v["form_cell"] = layout::form_cell(&grids, &f.field).into();
                    v["input_at"] = f.origin.as_ref().map(|o| o.to_string()).into();
                    v
                })
                .collect();
            reports.push(serde_json::json!({
                "report": r.report,
                "diagnostics": r.diagnostics,
                "findings": findings,
                "tables_html": tables,
            }));
        }
        Ok(serde_json::json!({ "reports": reports }))
    })
    .await;
    match out {
        Ok(v) => Json(v).into_response(),
        Err(p) => p.into_response(),
    }
}

async fn convert(Query(p): Query<Params>, body: axum::body::Body) -> Response {
    let body = match read_body(body).await {
        Ok(b) => b,
        Err(p) => return p.into_response(),
    };
    let out = blocking(move || -> Result<Response, Problem> {
        let reports: Vec<Report> = load(&p, &body)?
            .reports
            .into_iter()
            .map(|r| r.report)
            .collect();
        let stem = reports
            .first()
            .and_then(|r| r.info().agency.clone())
            .unwrap_or_else(|| "report".into());
        let fail = |e: crate::Error| {
            let (zh, en) = error_messages(&e, false);
            problem(StatusCode::INTERNAL_SERVER_ERROR, &zh, &en)
        };
        // Texts a dataset workbook had to cut are counted in a response header.
        let mut cut = 0usize;
        let (bytes, mime, ext) = match p.to.as_deref().unwrap_or("json") {
            "xlsx" => (
                if reports.len() == 1 {
                    crate::write::xlsx::report_workbook(&reports[0]).map_err(fail)?
                } else {
                    let (b, cuts) = crate::write::xlsx::dataset_workbook(&reports).map_err(fail)?;
                    cut = cuts.len();
                    b
                },
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            ),
            "csv" => {
                let shape: Shape = p.shape.as_deref().unwrap_or("wide").parse().map_err(
                    |m: crate::error::BadName| problem(StatusCode::BAD_REQUEST, &m.zh, &m.en),
                )?;
                (
                    crate::write::csv::to_csv(&reports, shape, true).map_err(fail)?,
                    "text/csv; charset=utf-8",
                    "csv",
                )
            }
            "json" => (
                crate::write::json::to_json(&reports),
                "application/json",
                "json",
            ),
            "xml" => (
                crate::xml_form::to_xml(&reports).into_bytes(),
                "application/xml",
                "xml",
            ),
            other => {
                return Err(problem(
                    StatusCode::BAD_REQUEST,
                    &format!("不支持的格式 {other}"),
                    &format!("unsupported format {other}"),
                ))
            }
        };
        // RFC 5987 file name, so Chinese agency names survive.
        let fname = format!("{stem}.{ext}");
        let encoded: String = fname
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        Ok((
            [
                (header::CONTENT_TYPE, mime.to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"report.{ext}\"; filename*=UTF-8''{encoded}"),
                ),
                (
                    header::HeaderName::from_static("x-xxgk-cut-texts"),
                    cut.to_string(),
                ),
            ],
            bytes,
        )
            .into_response())
    })
    .await;
    match out {
        Ok(r) => r,
        Err(p) => p.into_response(),
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The report's tables as HTML, in the official layout; cells named by a finding get class
/// `bad` and the finding's messages as their tooltip.
pub fn tables_html(report: &Report, findings: &[Finding]) -> String {
    let mut out = String::new();
    for g in layout::grids(report) {
        let (h, w) = (g.height(), g.width());
        let mut at: std::collections::HashMap<(u32, u16), &layout::Placed> = Default::default();
        let mut covered = std::collections::HashSet::new();
        for p in &g.cells {
            at.insert((p.row, p.col), p);
            for r in p.row..p.row + p.rows {
                for c in p.col..p.col + p.cols {
                    if (r, c) != (p.row, p.col) {
                        covered.insert((r, c));
                    }
                }
            }
        }
        out.push_str(&format!(
            "<table class=\"form\" data-sheet=\"{}\">\n",
            esc(&g.name)
        ));
        for r in 0..h {
            out.push_str("<tr>");
            for c in 0..w {
                if covered.contains(&(r, c)) {
                    continue;
                }
                let Some(p) = at.get(&(r, c)) else {
                    out.push_str("<td></td>");
                    continue;
                };
                let span = format!(
                    "{}{}",
                    if p.rows > 1 {
                        format!(" rowspan=\"{}\"", p.rows)
                    } else {
                        String::new()
                    },
                    if p.cols > 1 {
                        format!(" colspan=\"{}\"", p.cols)
                    } else {
                        String::new()
                    }
                );
                match &p.content {
                    Content::Title(t) => {
                        out.push_str(&format!("<th class=\"title\"{span}>{}</th>", esc(t)))
                    }
                    Content::Header(t) => out.push_str(&format!("<th{span}>{}</th>", esc(t))),
                    Content::Label(t) => {
                        out.push_str(&format!("<td class=\"label\"{span}>{}</td>", esc(t)))
                    }
                    Content::Value { path, cell, .. } => {
                        let hits: Vec<&Finding> =
                            findings.iter().filter(|f| &f.field == path).collect();
                        let class = if hits.is_empty() {
                            "value"
                        } else {
                            "value bad"
                        };
                        let tip: Vec<String> = hits
                            .iter()
                            .map(|f| format!("{} / {}", f.message_zh, f.message_en))
                            .collect();
                        out.push_str(&format!(
                            "<td class=\"{class}\" data-path=\"{}\" title=\"{}\"{span}>{}</td>",
                            esc(path),
                            esc(&tip.join("\n")),
                            esc(&cell.display())
                        ));
                    }
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
    }
    out
}
