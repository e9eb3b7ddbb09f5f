//! Readers: input bytes → reports (through [`crate::recognize`] for table-bearing formats).
//!
//! Owns input-format detection and the per-format readers. A reader knows nothing about
//! writers. Inputs are only ever read, never modified.

pub mod html;
pub mod json;
pub mod text;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::recognize::{self, Options, Recognized};

/// Largest input accepted, in bytes (a real report is well under 1 MB).
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// An input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Pasted or saved text of a report.
    Text,
    /// Our JSON (a report or an array of reports).
    Json,
    /// Our NDJSON (one report per line).
    Ndjson,
    /// A web page (HTML), GBK or UTF-8.
    Html,
}

impl FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "txt" | "md" => Ok(InputFormat::Text),
            "json" => Ok(InputFormat::Json),
            "ndjson" | "jsonl" => Ok(InputFormat::Ndjson),
            "html" | "htm" => Ok(InputFormat::Html),
            other => Err(format!(
                "不支持的输入格式 {other:?}（可用：text、json、ndjson、html）/ unsupported input format {other:?} (available: text, json, ndjson, html)"
            )),
        }
    }
}

impl InputFormat {
    /// The format implied by the extension, or by the first bytes when there is none.
    pub fn detect(path: &Path, bytes: &[u8]) -> Option<InputFormat> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("txt" | "text" | "md" | "markdown") => Some(InputFormat::Text),
            Some("json") => Some(InputFormat::Json),
            Some("ndjson" | "jsonl") => Some(InputFormat::Ndjson),
            Some("html" | "htm" | "xhtml" | "shtml") => Some(InputFormat::Html),
            Some(_) => None,
            None => {
                let head = bytes.iter().find(|b| !b.is_ascii_whitespace());
                let start =
                    String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
                Some(if head == Some(&b'{') || head == Some(&b'[') {
                    InputFormat::Json
                } else if start.contains("<html")
                    || start.contains("<table")
                    || start.contains("<!doctype")
                {
                    InputFormat::Html
                } else {
                    InputFormat::Text
                })
            }
        }
    }
}

/// One input, read: the reports it holds (with diagnostics and origins).
#[derive(Debug)]
pub struct Loaded {
    /// The input file.
    pub path: PathBuf,
    /// Reports read from it.
    pub reports: Vec<Recognized>,
}

/// Read one file as `format` (detected when `None`).
pub fn read_path(path: &Path, format: Option<InputFormat>, opts: &Options) -> Result<Loaded> {
    let io = |source| Error::Io {
        path: path.into(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.len() > MAX_INPUT_BYTES {
        return Err(Error::malformed(
            path,
            "",
            format!("文件过大（{} 字节，上限 {MAX_INPUT_BYTES}）", meta.len()),
            format!(
                "file too large ({} bytes; limit {MAX_INPUT_BYTES})",
                meta.len()
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    read_bytes(path, &bytes, format, opts)
}

/// Read bytes that came from `path` (used for messages and the report's `source`).
pub fn read_bytes(
    path: &Path,
    bytes: &[u8],
    format: Option<InputFormat>,
    opts: &Options,
) -> Result<Loaded> {
    let format = match format.or_else(|| InputFormat::detect(path, bytes)) {
        Some(f) => f,
        None => {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().into_owned())
                .unwrap_or_default();
            return Err(Error::UnknownFormat {
                path: path.into(),
                hint: format!("（扩展名 .{ext}）"),
                hint_en: format!(" (extension .{ext})"),
            });
        }
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let reports = match format {
        InputFormat::Json => json::read_json(path, bytes)?,
        InputFormat::Ndjson => json::read_ndjson(path, bytes)?,
        InputFormat::Text | InputFormat::Html => {
            let decoded = text::decode(bytes);
            let (full, tokens, name) = if format == InputFormat::Html {
                if bytes.len() > html::MAX_HTML_BYTES {
                    return Err(Error::malformed(
                        path,
                        "",
                        format!("HTML 页面过大（上限 {} 字节）", html::MAX_HTML_BYTES),
                        format!("HTML page too large (limit {} bytes)", html::MAX_HTML_BYTES),
                    ));
                }
                let (full, tokens) = html::read(&decoded.text);
                (full, tokens, "html")
            } else {
                let tokens = text::tokenize(&decoded.text);
                (decoded.text, tokens, "text")
            };
            let mut rec = recognize::recognize(&full, &tokens, opts)
                .map_err(|_| Error::NoTables { path: path.into() })?;
            let src = rec
                .report
                .info_mut()
                .source
                .get_or_insert_with(Default::default);
            src.file = Some(file_name);
            src.format = Some(name.into());
            vec![rec]
        }
    };
    Ok(Loaded {
        path: path.into(),
        reports,
    })
}
