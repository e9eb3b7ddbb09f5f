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

use crate::check::{check, Finding};
use crate::layout::{self, Content};
use crate::read::{self, InputFormat};
use crate::recognize::Options;
use crate::write::csv::Shape;

/// Largest upload accepted, in bytes.
pub const MAX_UPLOAD: usize = 16 * 1024 * 1024;

const INDEX: &str = include_str!("index.html");

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

/// The router (exposed for tests).
pub fn app() -> Router {
    Router::new()
        .route("/", get(|| async { Html(INDEX) }))
        .route("/api/recognize", post(recognize))
        .route("/api/convert", post(convert))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD))
        .layer(axum::middleware::from_fn(refuse_oversized))
}

/// Refuse an upload whose declared length is over the limit before reading any of it (a body
/// without a declared length is still cut off at the limit by `DefaultBodyLimit`).
async fn refuse_oversized(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_UPLOAD as u64) {
        return problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("文件过大（上限 {} MB）", MAX_UPLOAD >> 20),
            &format!("file too large (limit {} MB)", MAX_UPLOAD >> 20),
        )
        .into_response();
    }
    next.run(req).await
}

/// Serve on `addr` until interrupted; `ready` receives the bound address (port 0 picks one).
pub async fn run(addr: SocketAddr, ready: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    ready(listener.local_addr()?);
    axum::serve(listener, app())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
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

fn load(p: &Params, body: &[u8]) -> Result<read::Loaded, Problem> {
    if body.is_empty() {
        return Err(problem(
            StatusCode::BAD_REQUEST,
            "没有内容：请粘贴报告文本或选择文件",
            "nothing received: paste a report or choose a file",
        ));
    }
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
                let s = e.to_string();
                let (zh, en) = s.split_once(" / ").unwrap_or((&s, &s));
                problem(StatusCode::UNPROCESSABLE_ENTITY, zh, en)
            })?;
    Ok(loaded)
}

async fn recognize(Query(p): Query<Params>, body: Bytes) -> Response {
    let out = tokio::task::spawn_blocking(move || -> Result<serde_json::Value, Problem> {
        let mut reports = Vec::new();
        for r in load(&p, &body)?.reports {
            let findings = check(&r.report, Some(&r.origins));
            let tables = tables_html(&r.report, &findings);
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
        Ok(Ok(v)) => Json(v).into_response(),
        Ok(Err(p)) => p.into_response(),
        Err(_) => problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "内部错误",
            "internal error",
        )
        .into_response(),
    }
}

async fn convert(Query(p): Query<Params>, body: Bytes) -> Response {
    let out = tokio::task::spawn_blocking(move || -> Result<Response, Problem> {
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
            let s = e.to_string();
            problem(StatusCode::INTERNAL_SERVER_ERROR, &s, &s)
        };
        let (bytes, mime, ext) = match p.to.as_deref().unwrap_or("json") {
            "xlsx" => (
                if reports.len() == 1 {
                    crate::write::xlsx::report_workbook(&reports[0]).map_err(fail)?
                } else {
                    crate::write::xlsx::dataset_workbook(&reports).map_err(fail)?
                },
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            ),
            "csv" => {
                let shape: Shape = p
                    .shape
                    .as_deref()
                    .unwrap_or("wide")
                    .parse()
                    .map_err(|m: String| problem(StatusCode::BAD_REQUEST, &m, &m))?;
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
            ],
            bytes,
        )
            .into_response())
    })
    .await;
    match out {
        Ok(Ok(r)) => r,
        Ok(Err(p)) => p.into_response(),
        Err(_) => problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "内部错误",
            "internal error",
        )
        .into_response(),
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
