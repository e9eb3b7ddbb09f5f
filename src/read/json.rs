//! Our JSON and NDJSON: reports exactly as the schema defines them.

use std::path::Path;

use xxgk_schema::Report;

use crate::error::{Error, Result};
use crate::recognize::Recognized;

fn wrap(report: Report) -> Recognized {
    Recognized::from(report)
}

pub(crate) fn json_error(path: &Path, line_offset: usize, e: serde_json::Error) -> Error {
    // Type errors inside a report (an internally tagged enum) carry no position.
    let at = if e.line() == 0 {
        if line_offset > 0 {
            format!(" line {}", line_offset + 1)
        } else {
            String::new()
        }
    } else {
        format!(" line {} column {}", e.line() + line_offset, e.column())
    };
    Error::malformed(
        path,
        at,
        format!("JSON 不符合报告格式：{e}；请对照 `xxgk schema` 输出的模式修改"),
        format!("JSON does not match the report schema: {e}; compare with `xxgk schema`"),
    )
}

/// A report, or an array of reports.
pub fn read_json(path: &Path, bytes: &[u8]) -> Result<Vec<Recognized>> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('[') {
        let v: Vec<Report> = serde_json::from_str(text).map_err(|e| json_error(path, 0, e))?;
        Ok(v.into_iter().map(wrap).collect())
    } else {
        let r: Report = serde_json::from_str(text).map_err(|e| json_error(path, 0, e))?;
        Ok(vec![wrap(r)])
    }
}

/// One report per line; blank lines are skipped.
pub fn read_ndjson(path: &Path, bytes: &[u8]) -> Result<Vec<Recognized>> {
    let text = String::from_utf8_lossy(bytes);
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}');
        if line.trim().is_empty() {
            continue;
        }
        let r: Report = serde_json::from_str(line).map_err(|e| json_error(path, i, e))?;
        out.push(wrap(r));
    }
    Ok(out)
}
