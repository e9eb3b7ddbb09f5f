//! Readers: input bytes → reports (through [`crate::recognize`] for table-bearing formats).
//!
//! Owns input-format detection and the per-format readers. A reader knows nothing about
//! writers. Inputs are only ever read, never modified.

pub mod csv;
pub mod docx;
pub mod html;
pub mod isolate;
pub mod json;
pub mod ods_layout;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod sheet;
pub mod spreadsheetml;
pub mod stream;
pub mod tables;
pub mod text;
pub mod token;
pub mod workbook;
pub mod xml;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::recognize::{self, Options, Recognized};

/// Largest input accepted, in bytes (a real report is well under 1 MB).
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Most cells (rows × columns) a columnar dataset (Parquet) may claim before it is decoded.
pub const MAX_DATASET_CELLS: u64 = 20_000_000;

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
    /// An Excel workbook (.xlsx, .xlsm).
    Xlsx,
    /// A BIFF Excel workbook (.xls).
    Xls,
    /// An OpenDocument spreadsheet (.ods).
    Ods,
    /// A CSV dataset exported by xxgk (wide or long).
    Csv,
    /// A Word document (.docx).
    Docx,
    /// Excel 2003 XML (SpreadsheetML).
    SpreadsheetMl,
    /// Our XML form of reports.
    Xml,
    /// A PDF with a text layer.
    Pdf,
    /// A Parquet dataset exported by xxgk (wide or long).
    Parquet,
}

impl FromStr for InputFormat {
    type Err = crate::error::BadName;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "txt" | "md" => Ok(InputFormat::Text),
            "json" => Ok(InputFormat::Json),
            "ndjson" | "jsonl" => Ok(InputFormat::Ndjson),
            "html" | "htm" => Ok(InputFormat::Html),
            "xlsx" | "xlsm" => Ok(InputFormat::Xlsx),
            "xls" => Ok(InputFormat::Xls),
            "ods" => Ok(InputFormat::Ods),
            "csv" => Ok(InputFormat::Csv),
            "docx" => Ok(InputFormat::Docx),
            "spreadsheetml" | "xml2003" => Ok(InputFormat::SpreadsheetMl),
            "xml" => Ok(InputFormat::Xml),
            "pdf" => Ok(InputFormat::Pdf),
            "parquet" => Ok(InputFormat::Parquet),
            other => Err(crate::error::BadName {
                zh: format!("不支持的输入格式 {other:?}（可用：{FORMATS}）"),
                en: format!("unsupported input format {other:?} (available: {FORMATS})"),
            }),
        }
    }
}

/// Names accepted by `--from`.
pub const FORMATS: &str =
    "text, json, ndjson, html, xlsx, xls, ods, csv, docx, spreadsheetml, xml, pdf, parquet";

impl InputFormat {
    /// The format implied by the extension, or by the first bytes when there is none.
    pub fn detect(path: &Path, bytes: &[u8]) -> Option<InputFormat> {
        if bytes.starts_with(b"PK\x03\x04") {
            // A zip container: OpenDocument names its type first; otherwise OOXML.
            if bytes.len() > 80
                && bytes[30..80].windows(8).any(|w| w == b"mimetype")
                && bytes[..200.min(bytes.len())]
                    .windows(11)
                    .any(|w| w == b"spreadsheet")
            {
                return Some(InputFormat::Ods);
            }
            // Entry names appear in the local headers at the start and the directory at the end.
            let n = bytes.len();
            let (head, tail) = (
                &bytes[..n.min(64 * 1024)],
                &bytes[n.saturating_sub(64 * 1024)..],
            );
            let has = |pat: &[u8]| {
                head.windows(pat.len()).any(|w| w == pat)
                    || tail.windows(pat.len()).any(|w| w == pat)
            };
            if has(b"word/document.xml") {
                return Some(InputFormat::Docx);
            }
            if has(b"xl/workbook") {
                return Some(InputFormat::Xlsx);
            }
        }
        if bytes.starts_with(b"%PDF-") {
            return Some(InputFormat::Pdf);
        }
        if bytes.len() >= 12 && bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1") {
            return Some(InputFormat::Parquet);
        }
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return Some(InputFormat::Xls);
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("txt" | "text" | "md" | "markdown") => Some(InputFormat::Text),
            Some("json") => Some(InputFormat::Json),
            Some("ndjson" | "jsonl") => Some(InputFormat::Ndjson),
            Some("html" | "htm" | "xhtml" | "shtml") => Some(InputFormat::Html),
            Some("xlsx" | "xlsm") => Some(InputFormat::Xlsx),
            Some("xls") => Some(InputFormat::Xls),
            Some("ods") => Some(InputFormat::Ods),
            Some("csv") => Some(InputFormat::Csv),
            Some("docx") => Some(InputFormat::Docx),
            Some("pdf") => Some(InputFormat::Pdf),
            Some("parquet") => Some(InputFormat::Parquet),
            Some("xml") => {
                let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).into_owned();
                if head.contains(spreadsheetml::NAMESPACE) {
                    Some(InputFormat::SpreadsheetMl)
                } else if crate::xml_form::is_ours(&head) {
                    Some(InputFormat::Xml)
                } else {
                    None
                }
            }
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

fn xml_error(path: &Path, what: &str, e: xml::XmlError) -> Error {
    Error::malformed(
        path,
        format!(" byte {}", e.offset),
        format!("无法读取 {what} 文件：{}", e.zh),
        format!("cannot read the {what} file: {}", e.en),
    )
}

/// Read one file as `format` (detected when `None`).
pub fn read_path(path: &Path, format: Option<InputFormat>, opts: &Options) -> Result<Loaded> {
    let bytes = read_file(path)?;
    read_bytes(path, &bytes, format, opts)
}

/// A file's bytes, read through a bounded reader: never more than [`MAX_INPUT_BYTES`], whatever
/// the file claims (a device such as `/dev/zero` claims nothing and never ends).
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let io = |source| Error::Io {
        path: path.into(),
        source,
    };
    let too_large = |n: String| {
        Error::malformed(
            path,
            "",
            format!("文件过大（{n} 字节，上限 {MAX_INPUT_BYTES}）"),
            format!("file too large ({n} bytes; limit {MAX_INPUT_BYTES})"),
        )
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(Error::malformed(
            path,
            "",
            "这是一个目录，不是文件",
            "this is a directory, not a file",
        ));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(too_large(meta.len().to_string()));
    }
    // Room for the size the file has (checked above), and the byte that would say it grew:
    // read in one call or two, not grown from nothing a few kilobytes at a time.
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large(format!("> {MAX_INPUT_BYTES}")));
    }
    Ok(bytes)
}

/// Read bytes that came from `path` (used for messages and the report's `source`).
pub fn read_bytes(
    path: &Path,
    bytes: &[u8],
    format: Option<InputFormat>,
    opts: &Options,
) -> Result<Loaded> {
    read_bytes_as(path, None, bytes, format, opts)
}

/// [`read_bytes`], with the name that reports read from a document record as their
/// `source.file` (a batch gives the path relative to its inputs' folder); the file name when
/// `None`.
pub fn read_bytes_as(
    path: &Path,
    source_name: Option<&str>,
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
    // Reports read from a document (not from a dataset of ours, whose reports carry their own
    // source) are stamped with the file's SHA-256 and, when it holds several, their part.
    let mut document = !matches!(
        format,
        InputFormat::Json
            | InputFormat::Ndjson
            | InputFormat::Csv
            | InputFormat::Xml
            | InputFormat::Parquet
    );
    let mut reports = match format {
        InputFormat::Json => json::read_json(path, bytes)?,
        InputFormat::Ndjson => json::read_ndjson(path, bytes)?,
        InputFormat::Csv => csv::read(path, bytes)?,
        InputFormat::Docx => {
            let (sheets, text) = docx::read(bytes).map_err(|e| xml_error(path, "Word", e))?;
            tables::reports_of_document(path, &sheets, &text, "docx", opts)?
        }
        InputFormat::SpreadsheetMl => {
            let decoded = text::decode_exact(bytes);
            let sheets =
                spreadsheetml::read(&decoded).map_err(|e| xml_error(path, "SpreadsheetML", e))?;
            tables::reports(path, &sheets, "spreadsheetml", opts)?
        }
        InputFormat::Xml => {
            let decoded = text::decode_exact(bytes);
            crate::xml_form::from_xml(&decoded)
                .map_err(|(zh, en)| Error::malformed(path, "", zh, en))?
                .into_iter()
                .map(Recognized::from)
                .collect()
        }
        InputFormat::Xlsx | InputFormat::Xls | InputFormat::Ods => {
            let (kind, name) = match format {
                InputFormat::Xlsx => (workbook::Kind::Xlsx, "xlsx"),
                InputFormat::Xls => (workbook::Kind::Xls, "xls"),
                _ => (workbook::Kind::Ods, "ods"),
            };
            let mut dataset = Vec::new();
            if kind == workbook::Kind::Xlsx
                && workbook::read_dataset_xlsx(path, bytes, &mut |r| dataset.push(r))?
            {
                document = false;
                dataset
            } else {
                let sheets = workbook::read(path, bytes, kind)?;
                tables::reports(path, &sheets, name, opts)?
            }
        }
        InputFormat::Pdf => vec![read_pdf(path, bytes, opts, &file_name)?],
        InputFormat::Parquet => read_parquet(path, bytes)?,
        InputFormat::Text | InputFormat::Html => {
            let decoded = if format == InputFormat::Html {
                text::decode_html(bytes)
            } else {
                text::decode(bytes)
            };
            let damage = decoded.damage.clone();
            let mut page = html::PageMeta::default();
            let (full, tokens, name) = if format == InputFormat::Html {
                if bytes.len() > html::MAX_HTML_BYTES {
                    return Err(Error::malformed(
                        path,
                        "",
                        format!("HTML 页面过大（上限 {} 字节）", html::MAX_HTML_BYTES),
                        format!("HTML page too large (limit {} bytes)", html::MAX_HTML_BYTES),
                    ));
                }
                let depth = html::nesting_depth(&decoded.text);
                if depth > html::MAX_DEPTH {
                    return Err(Error::malformed(
                        path,
                        "",
                        format!("网页的元素嵌套过深（{depth} 层，上限 {}），不像一份年报页面", html::MAX_DEPTH),
                        format!("the page nests elements too deeply ({depth} levels; limit {}), not a report page", html::MAX_DEPTH),
                    ));
                }
                let (full, tokens, meta) = html::read(&decoded.text);
                page = meta;
                (full, tokens, "html")
            } else {
                let tokens = text::tokenize_bounded(&decoded.text).map_err(|line| {
                    Error::malformed(
                        path,
                        format!(" line {line}"),
                        format!(
                            "文本中的单元格过多（超过 {} 个），不像一份年报",
                            text::MAX_TOKENS
                        ),
                        format!(
                            "the text holds too many cells (over {}), not a report",
                            text::MAX_TOKENS
                        ),
                    )
                })?;
                (decoded.text, tokens, "text")
            };
            let mut rec = recognize::recognize(&full, &tokens, opts).map_err(|_| {
                match &damage {
                    // Say what may have hidden the tables.
                    Some(d) => {
                        let d = d.diagnostic();
                        Error::malformed(
                            path,
                            "",
                            format!("未找到年度报告的统计表；{}", d.message_zh),
                            format!("no report tables found; {}", d.message_en),
                        )
                    }
                    None => Error::NoTables { path: path.into() },
                }
            })?;
            if let Some(d) = &damage {
                rec.diagnostics.insert(0, d.diagnostic());
            }
            // The page's own publication date (its `PubDate` meta tag) is what the site
            // published it on; a date in its text may be a copy's (`采集时间`).
            if let Some(d) = page.published {
                rec.report.info_mut().published_date = Some(d);
            }
            let src = rec
                .report
                .info_mut()
                .source
                .get_or_insert_with(Default::default);
            src.file = Some(file_name.clone());
            src.format = Some(name.into());
            vec![rec]
        }
    };
    if document {
        stamp_source(
            &mut reports,
            &file_name,
            source_name.unwrap_or(&file_name),
            bytes,
        );
    }
    Ok(Loaded {
        path: path.into(),
        reports,
    })
}

/// A Parquet dataset (with the reports table beside a long one, `tidy.reports.parquet`), read
/// in a reader child where the CLI and the server run one (the Arrow reader trusts the file's
/// own metadata more than we would).
#[cfg(feature = "parquet")]
fn read_parquet(path: &Path, bytes: &[u8]) -> Result<Vec<Recognized>> {
    let table_path = crate::write::csv::reports_table_path(path).with_extension("parquet");
    let table = if table_path.is_file() {
        Some(read_file(&table_path)?)
    } else {
        None
    };
    // One input for the child: the dataset's length, the dataset, then the table.
    let mut framed = Vec::with_capacity(bytes.len() + 8 + table.as_ref().map_or(0, Vec::len));
    framed.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    framed.extend_from_slice(bytes);
    if let Some(t) = &table {
        framed.extend_from_slice(t);
    }
    let answer = match isolate::run::<std::result::Result<Vec<xxgk_schema::Report>, (String, String)>>(
        "parquet", &framed,
    ) {
        Some(isolate::Isolated::Done(r)) => r,
        Some(isolate::Isolated::Failed(zh, en)) => Err((zh, en)),
        None => parquet_child(&framed),
    };
    let reports = answer.map_err(|(zh, en)| Error::malformed(path, "", zh, en))?;
    Ok(reports.into_iter().map(Recognized::from).collect())
}

/// The reader child's side of [`read_parquet`] (also run in process, panics caught).
#[cfg(feature = "parquet")]
pub fn parquet_child(
    framed: &[u8],
) -> std::result::Result<Vec<xxgk_schema::Report>, (String, String)> {
    let Some((len, rest)) = framed.split_first_chunk::<8>() else {
        return Err(("输入不完整".into(), "incomplete input".into()));
    };
    let n = (u64::from_le_bytes(*len) as usize).min(rest.len());
    let (main, table) = rest.split_at(n);
    let table = (!table.is_empty()).then_some(table);
    std::panic::catch_unwind(|| crate::parquet_form::read(main, table)).unwrap_or_else(|_| {
        Err((
            "Parquet 文件已损坏（读取程序出错）".into(),
            "the Parquet file is damaged (the reader failed on it)".into(),
        ))
    })
}

#[cfg(not(feature = "parquet"))]
fn read_parquet(path: &Path, _: &[u8]) -> Result<Vec<Recognized>> {
    Err(Error::malformed(
        path,
        "",
        "此版本的 xxgk 未包含 Parquet 功能（编译时未启用 parquet 特性）",
        "this build of xxgk cannot read Parquet (built without the `parquet` feature)",
    ))
}

/// The SHA-256 of a file's bytes, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in d.iter() {
        use std::fmt::Write;
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Stamp reports read from one document with its name (`name`, in place of the bare file
/// name the readers record), SHA-256 and (when it holds several) each report's 1-based part.
/// A report whose document recorded where it came from (the information sheet of a workbook
/// xxgk wrote from a PDF, say) keeps that source.
fn stamp_source(reports: &mut [Recognized], file_name: &str, name: &str, bytes: &[u8]) {
    let mut hash: Option<String> = None;
    let several = reports.len() > 1;
    for (i, r) in reports.iter_mut().enumerate() {
        let src = r
            .report
            .info_mut()
            .source
            .get_or_insert_with(Default::default);
        if src.sha256.is_some() {
            continue;
        }
        if src.file.as_deref().is_none_or(|f| f == file_name) {
            src.file = Some(name.to_string());
        }
        src.sha256 = Some(hash.get_or_insert_with(|| sha256_hex(bytes)).clone());
        src.part = several.then_some(i as u32 + 1);
    }
}

/// A PDF: its text layer, recognized like every other input. Pages without a text layer next to
/// pages with one are said in a diagnostic.
#[cfg(feature = "pdf")]
fn read_pdf(path: &Path, bytes: &[u8], opts: &Options, file_name: &str) -> Result<Recognized> {
    let read = match isolate::run::<std::result::Result<pdf::PdfText, pdf::PdfError>>("pdf", bytes)
    {
        Some(isolate::Isolated::Done(r)) => r,
        Some(isolate::Isolated::Failed(zh, en)) => return Err(Error::malformed(path, "", zh, en)),
        None => pdf::read(bytes),
    };
    let pdf = read.map_err(|e| {
        let (zh, en) = e.messages();
        Error::malformed(path, "", zh, en)
    })?;
    let text = text::normalize(&pdf.text);
    let truncated = pdf::is_truncated(bytes);
    let with_text = pdf.pages - pdf.pages_without_text.len();
    let truncated_msg = || {
        (
            format!("PDF 文件不完整（末尾缺少 %%EOF，文件可能只下载了一部分），只有 {with_text} 页读到文字"),
            format!("the PDF is incomplete (it lacks the closing %%EOF; the download may have been cut short); text was read on only {with_text} page(s)"),
        )
    };
    let mut rec = recognize::recognize(&text, &pdf.tokens, opts).map_err(|_| {
        if truncated {
            let (zh, en) = truncated_msg();
            Error::malformed(
                path,
                "",
                format!("{zh}，其中没有年报的统计表；请重新下载"),
                format!("{en}, and they hold no report tables; download it again"),
            )
        } else {
            Error::NoTables { path: path.into() }
        }
    })?;
    if truncated {
        let (zh, en) = truncated_msg();
        rec.diagnostics.push(crate::Diagnostic::new(
            "read.pdf_truncated",
            crate::Severity::Warning,
            None,
            format!("{zh}；后面的页面若有表格则未读取"),
            format!("{en}; tables on the missing pages were not read"),
        ));
    }
    if !pdf.pages_without_text.is_empty() {
        let p = pdf::pages_list(&pdf.pages_without_text);
        rec.diagnostics.push(crate::Diagnostic::new(
            "read.pdf_pages_without_text",
            crate::Severity::Warning,
            None,
            format!("PDF 第 {p} 页没有可读的文字层（扫描图像或字体无 Unicode 映射），这些页未读取；不支持 OCR"),
            format!("page(s) {p} of the PDF have no readable text layer (a scanned image, or fonts without a Unicode mapping) and were not read; OCR is not supported"),
        ));
    }
    let src = rec
        .report
        .info_mut()
        .source
        .get_or_insert_with(Default::default);
    src.file = Some(file_name.to_string());
    src.format = Some("pdf".into());
    Ok(rec)
}

/// Without the `pdf` feature a PDF is refused with a message saying so.
#[cfg(not(feature = "pdf"))]
fn read_pdf(path: &Path, _: &[u8], _: &Options, _: &str) -> Result<Recognized> {
    Err(Error::malformed(
        path,
        "",
        "此版本的 xxgk 未包含 PDF 读取功能（编译时未启用 pdf 特性）",
        "this build of xxgk cannot read PDF (built without the `pdf` feature)",
    ))
}
