//! Diagnostics: what a reader or the recognizer noticed, with where it was noticed.
//!
//! Owns [`Origin`] (a line of a text file, or a sheet cell) and [`Diagnostic`]. Everything
//! user-facing is bilingual: `message_zh` and `message_en`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a value or a problem is in the input.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// A 1-based line of a text input.
    Line {
        /// 1-based line number.
        line: u32,
    },
    /// A row of a PDF page: counted from the top among the page's table rows (`in_table`) or
    /// among its lines of text.
    Page {
        /// 1-based page.
        page: u32,
        /// 1-based row (table rows) or line (text) on the page.
        row: u32,
        /// Whether the row is a row of a drawn table.
        in_table: bool,
    },
    /// A cell of a spreadsheet or a table (`表三!D12`).
    Cell {
        /// Sheet or table name.
        sheet: String,
        /// A1-style cell reference.
        cell: String,
    },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Line { line } => write!(f, "line {line}"),
            Origin::Page {
                page,
                row,
                in_table: true,
            } => write!(f, "page {page}, table row {row}"),
            Origin::Page {
                page,
                row,
                in_table: false,
            } => write!(f, "page {page}, line {row}"),
            Origin::Cell { sheet, cell } => write!(f, "{sheet}!{cell}"),
        }
    }
}

impl Origin {
    /// The origin in Chinese (`第 12 行`, `表三!D12`).
    pub fn zh(&self) -> String {
        match self {
            Origin::Line { line } => format!("第 {line} 行"),
            Origin::Page {
                page,
                row,
                in_table: true,
            } => format!("第{page}页 表格 第{row}行"),
            Origin::Page {
                page,
                row,
                in_table: false,
            } => format!("第{page}页 第{row}行"),
            Origin::Cell { sheet, cell } => format!("{sheet}!{cell}"),
        }
    }
}

/// Column letters of a 0-based column index (`0` → `A`, `26` → `AA`), as in `表三!D12`.
pub fn col_name(mut c: u32) -> String {
    let mut s = Vec::new();
    c += 1;
    while c > 0 {
        let r = (c - 1) % 26;
        s.push(b'A' + r as u8);
        c = (c - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).expect("ascii")
}

/// How serious a diagnostic or finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; the data is as printed (e.g. a value recovered with proof).
    Info,
    /// The data may be incomplete or inconsistent; a human should look.
    Warning,
    /// The data is wrong or could not be read.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Something the reader or the recognizer noticed about the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Stable identifier, e.g. `text.row_missing_cells`.
    pub code: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// Where in the input, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// The field path concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Message in Chinese.
    pub message_zh: String,
    /// Message in English.
    pub message_en: String,
}

impl Diagnostic {
    /// A new diagnostic.
    pub fn new(
        code: &'static str,
        severity: Severity,
        origin: Option<Origin>,
        message_zh: impl Into<String>,
        message_en: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code,
            severity,
            origin,
            path: None,
            message_zh: message_zh.into(),
            message_en: message_en.into(),
        }
    }

    /// Attach a field path.
    pub fn at_path(mut self, path: impl Into<String>) -> Diagnostic {
        self.path = Some(path.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.severity, self.code)?;
        if let Some(o) = &self.origin {
            write!(f, " {o}")?;
        }
        write!(f, ": {} / {}", self.message_zh, self.message_en)
    }
}
