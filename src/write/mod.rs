//! Writers: typed reports → output bytes. One module per format; none of them reads input.

pub mod compact_json;
pub mod csv;
pub mod json;
pub mod stream;
pub mod xlsx;

use std::str::FromStr;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// One JSON document: a report, or an array of reports.
    Json,
    /// One report per line.
    Ndjson,
    /// An Excel workbook: the official form of one report, or a dataset of many.
    Xlsx,
    /// A CSV dataset (wide or long).
    Csv,
    /// Our XML form (namespace `urn:xxgk:report:1`).
    Xml,
    /// A Parquet dataset (wide or long).
    Parquet,
}

impl OutputFormat {
    /// The format implied by a file name's extension.
    pub fn from_path(path: &std::path::Path) -> Option<OutputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        ext.parse().ok()
    }
}

impl FromStr for OutputFormat {
    type Err = crate::error::BadName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "json" => Ok(OutputFormat::Json),
            "ndjson" | "jsonl" => Ok(OutputFormat::Ndjson),
            "xlsx" => Ok(OutputFormat::Xlsx),
            "csv" => Ok(OutputFormat::Csv),
            "xml" => Ok(OutputFormat::Xml),
            "parquet" => Ok(OutputFormat::Parquet),
            other => Err(crate::error::BadName {
                zh: format!(
                    "不支持的输出格式 {other:?}（可用：json、ndjson、xlsx、csv、xml、parquet）"
                ),
                en: format!(
                    "unsupported output format {other:?} (available: json, ndjson, xlsx, csv, xml, parquet)"
                ),
            }),
        }
    }
}
