//! CSV datasets written by `xxgk` (wide or long), read back into reports.
//!
//! The shape is told by the header: the long table's header is exactly
//! [`crate::dataset::LONG_HEADER`]; a wide table's header holds `report_id` and `edition` among
//! its field ids (its optional second row, starting with `#`, holds labels and is skipped).
//! The bytes are decoded like text input (BOM, UTF-8, or GBK as Excel on Chinese Windows saves
//! CSV), so a dataset edited and re-saved in Excel reads back.

use std::path::Path;

use crate::dataset;
use crate::error::{Error, Result};
use crate::read::text;
use crate::recognize::Recognized;

fn bad(path: &Path, line: u64, zh: String, en: String) -> Error {
    Error::malformed(path, format!(" line {line}"), zh, en)
}

fn not_a_dataset(path: &Path) -> Error {
    bad(
        path,
        1,
        "CSV 表头既不是长表（report_id,agency,…,value）也不是宽表（含 report_id 与 edition 列）；只能读取 xxgk 导出的数据集".into(),
        "the CSV header is neither the long table's (report_id,agency,…,value) nor a wide table's (with report_id and edition columns); only datasets exported by xxgk can be read".into(),
    )
}

/// Metadata and narrative by report id, from the reports table written beside a long CSV
/// (`tidy.reports.csv` beside `tidy.csv`), when it is there.
use crate::dataset::ReportsTable;

fn reports_beside(long: &Path) -> Result<ReportsTable> {
    let p = crate::write::csv::reports_table_path(long);
    let mut out = ReportsTable::default();
    if !p.is_file() {
        return Ok(out);
    }
    let bytes = crate::read::read_file(&p)?;
    let decoded = text::decode_exact(&bytes);
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(decoded.as_bytes());
    let mut header: Option<Vec<String>> = None;
    for rec in rd.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            bad(
                &p,
                line,
                format!("CSV 格式错误：{e}"),
                format!("malformed CSV: {e}"),
            )
        })?;
        let row: Vec<String> = rec
            .iter()
            .map(|f| dataset::unescape_formula(f).to_string())
            .collect();
        let Some(h) = &header else {
            let h: Vec<String> = row
                .iter()
                .map(|h| h.trim_start_matches('\u{feff}').to_string())
                .collect();
            if !h.iter().any(|c| c == "report_id") {
                return Err(bad(
                    &p,
                    1,
                    "报告表缺少 report_id 列".into(),
                    "the reports table has no report_id column".into(),
                ));
            }
            header = Some(h);
            continue;
        };
        if row.first().is_some_and(|f| f == dataset::LABEL_ROW_MARK) {
            continue;
        }
        let fields: Vec<(String, String)> = h
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), row.get(i).cloned().unwrap_or_default()))
            .collect();
        let id = fields
            .iter()
            .find(|(k, _)| k == "report_id")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        out.order.push(id.clone());
        out.rows.insert(id, fields);
    }
    Ok(out)
}

/// The reports table beside a long CSV, read one row at a time in step with it.
struct TableCursor {
    path: std::path::PathBuf,
    rd: csv::Reader<Box<dyn std::io::BufRead>>,
    used: std::rc::Rc<std::cell::Cell<u64>>,
    header: Vec<String>,
    rec: csv::StringRecord,
}

type Fields = Vec<(String, String)>;

impl TableCursor {
    fn open(long: &Path) -> Result<Option<TableCursor>> {
        let path = crate::write::csv::reports_table_path(long);
        if !path.is_file() {
            return Ok(None);
        }
        let file = std::fs::File::open(&path).map_err(|e| Error::Io {
            path: path.clone(),
            source: e,
        })?;
        let (rd, used) = super::stream::capped(file);
        let rd: Box<dyn std::io::BufRead> = Box::new(rd);
        let mut t = TableCursor {
            path,
            rd: csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(rd),
            used,
            header: Vec::new(),
            rec: csv::StringRecord::new(),
        };
        match t.next_row()? {
            Some(h) => {
                t.header = h
                    .into_iter()
                    .map(|h| h.trim_start_matches('\u{feff}').to_string())
                    .collect()
            }
            None => return Ok(None),
        }
        Ok(Some(t))
    }

    fn next_row(&mut self) -> Result<Option<Vec<String>>> {
        loop {
            self.used.set(0);
            match self.rd.read_record(&mut self.rec) {
                Ok(true) => {
                    let row: Vec<String> = self
                        .rec
                        .iter()
                        .map(|f| dataset::unescape_formula(f).to_string())
                        .collect();
                    if row.first().is_some_and(|f| f == dataset::LABEL_ROW_MARK) {
                        continue;
                    }
                    return Ok(Some(row));
                }
                Ok(false) => return Ok(None),
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    return Err(bad(
                        &self.path,
                        line,
                        format!("CSV 格式错误：{e}"),
                        format!("malformed CSV: {e}"),
                    ));
                }
            }
        }
    }

    fn fields(&self, row: Vec<String>) -> (String, Fields) {
        let fields: Fields = self
            .header
            .iter()
            .cloned()
            .zip(row.into_iter().chain(std::iter::repeat(String::new())))
            .collect();
        let id = fields
            .iter()
            .find(|(k, _)| k == "report_id")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        (id, fields)
    }

    /// The rows up to report `id`: those before it (reports without cells) and its own.
    fn until(&mut self, id: &str) -> Result<(Vec<Fields>, Option<Fields>)> {
        let mut before = Vec::new();
        while let Some(row) = self.next_row()? {
            let (rid, fields) = self.fields(row);
            if rid == id {
                return Ok((before, Some(fields)));
            }
            before.push(fields);
        }
        Err(bad(
            &self.path,
            0,
            format!("报告表中没有报告 {id}，或两个文件的报告顺序不同；请让长表与报告表按同样的顺序排列"),
            format!("the reports table has no report {id}, or the two files list the reports in different orders; keep the long table and the reports table in the same order"),
        ))
    }

    /// The rows left (reports without cells after the last one with cells).
    fn rest(&mut self) -> Result<Vec<Fields>> {
        let mut out = Vec::new();
        while let Some(row) = self.next_row()? {
            out.push(self.fields(row).1);
        }
        Ok(out)
    }
}

/// Read a UTF-8 CSV dataset row by row, handing on each report as soon as its rows are read
/// (see [`super::stream`]). `used` is reset before each row: the stream's per-record budget.
/// The long table's rows of one report must stand together (as xxgk writes them, or sorted by
/// `report_id`).
pub fn read_stream(
    path: &Path,
    rd: &mut dyn std::io::BufRead,
    used: &std::cell::Cell<u64>,
    hand_recognized: &mut dyn FnMut(Recognized),
) -> Result<()> {
    let name = sheet_name(path);
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(rd);
    let mut rec = csv::StringRecord::new();
    let mut next = |rec: &mut csv::StringRecord| -> Result<Option<u64>> {
        used.set(0);
        match rd.read_record(rec) {
            Ok(true) => Ok(Some(rec.position().map(|p| p.line()).unwrap_or(0))),
            Ok(false) => Ok(None),
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                if let csv::ErrorKind::Io(io) = e.kind() {
                    if super::stream::is_too_large(io) {
                        return Err(bad(
                            path,
                            line,
                            format!(
                                "一行过大（超过 {} 字节），不像 xxgk 导出的数据集",
                                super::stream::MAX_RECORD_BYTES
                            ),
                            format!(
                                "a row is too large (over {} bytes), not a dataset xxgk wrote",
                                super::stream::MAX_RECORD_BYTES
                            ),
                        ));
                    }
                }
                Err(bad(
                    path,
                    line,
                    format!("CSV 格式错误：{e}"),
                    format!("malformed CSV: {e}"),
                ))
            }
        }
    };
    let fields = |rec: &csv::StringRecord| -> Vec<String> {
        rec.iter()
            .map(|f| dataset::unescape_formula(f).to_string())
            .collect()
    };
    if next(&mut rec)?.is_none() {
        return Err(Error::NoTables { path: path.into() });
    }
    let header: Vec<String> = rec
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let v1 = header
        .iter()
        .map(String::as_str)
        .eq(dataset::LONG_HEADER_V1);
    if v1 || header.iter().map(String::as_str).eq(dataset::LONG_HEADER) {
        // The reports table beside the long one, read in step with it (the two are written in
        // the same order), one row at a time.
        let mut table = if v1 { None } else { TableCursor::open(path)? };
        let mut done: std::collections::HashSet<String> = Default::default();
        let table_path = crate::write::csv::reports_table_path(path);
        let table_error = |e: dataset::FieldError| {
            bad(
                &table_path,
                0,
                format!("{}：{}", e.field, e.zh),
                format!("{}: {}", e.field, e.en),
            )
        };
        // Rows of one report, with their lines.
        let mut group: Vec<Vec<String>> = Vec::new();
        let mut lines: Vec<(u64, usize)> = Vec::new();
        let flush = |group: &mut Vec<Vec<String>>,
                     lines: &mut Vec<(u64, usize)>,
                     table: &mut Option<TableCursor>,
                     hand: &mut dyn FnMut(Recognized)|
         -> Result<()> {
            if group.is_empty() {
                return Ok(());
            }
            let id = group[0].first().cloned().unwrap_or_default();
            let mut meta = ReportsTable::default();
            if let Some(t) = table.as_mut() {
                let (before, this) = t.until(&id)?;
                for fields in before {
                    hand(dataset::unflatten(&fields).map_err(table_error)?.into());
                }
                if let Some(f) = this {
                    meta.rows.insert(id.clone(), f);
                }
            }
            let reports = dataset::from_long_located(group, v1, &meta).map_err(|(i, e)| {
                let line = lines.get(i.saturating_sub(1)).map(|l| l.0).unwrap_or(0);
                bad(
                    path,
                    line,
                    format!("{}：{}", e.field, e.zh),
                    format!("{}: {}", e.field, e.en),
                )
            })?;
            for (report, cells) in reports {
                // A record is shown one row below its number (the header is record 0).
                let origins = long_origins(&name, cells, |i| Some(lines.get(i)?.1 + 1));
                hand(Recognized::new(report, Vec::new(), origins));
            }
            group.clear();
            lines.clear();
            Ok(())
        };
        // Records since the header (the header is record 0).
        let mut record = 0usize;
        while let Some(line) = next(&mut rec)? {
            record += 1;
            let row = fields(&rec);
            let id = row.first().cloned().unwrap_or_default();
            if group.first().and_then(|g| g.first()) != Some(&id) {
                flush(&mut group, &mut lines, &mut table, hand_recognized)?;
                if !done.insert(id.clone()) {
                    return Err(bad(
                        path,
                        line,
                        format!("报告 {id} 的行分在两处；请按 report_id 排序（同一报告的行放在一起）后重试"),
                        format!("the rows of report {id} stand in two places; sort by report_id (one report's rows together) and retry"),
                    ));
                }
            }
            group.push(row);
            lines.push((line, record));
        }
        flush(&mut group, &mut lines, &mut table, hand_recognized)?;
        if let Some(t) = table.as_mut() {
            for fields in t.rest()? {
                hand_recognized(dataset::unflatten(&fields).map_err(table_error)?.into());
            }
        }
        Ok(())
    } else if header.iter().any(|h| h == "report_id") && header.iter().any(|h| h == "edition") {
        let mut index = 0usize;
        let mut columns = dataset::CellColumns::new(header.clone());
        while let Some(line) = next(&mut rec)? {
            index += 1;
            let row = fields(&rec);
            if row
                .first()
                .is_some_and(|f| f == crate::dataset::LABEL_ROW_MARK)
            {
                continue;
            }
            if row.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let report = dataset::unflatten(&row_fields(&header, &row)).map_err(|e| {
                bad(
                    path,
                    line,
                    format!("列 {}：{}", e.field, e.zh),
                    format!("column {}: {}", e.field, e.en),
                )
            })?;
            let cells = wide_cells(&name, &mut columns, report.edition().as_str(), index + 1);
            hand_recognized(Recognized {
                report,
                diagnostics: Vec::new(),
                origins: Default::default(),
                row_cells: Some(cells),
            });
        }
        Ok(())
    } else {
        Err(not_a_dataset(path))
    }
}

/// The name a spreadsheet gives a CSV's only sheet: its file name.
fn sheet_name(path: &Path) -> std::sync::Arc<str> {
    path.file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default()
        .into()
}

/// A wide row's `(field id, text)` pairs, borrowed from the header and the row (a short row's
/// missing cells are empty).
fn row_fields<'a>(header: &'a [String], row: &'a [String]) -> Vec<(&'a str, &'a str)> {
    header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.as_str(), row.get(i).map_or("", String::as_str)))
        .collect()
}

/// Origins of a long table's cells: the cell of each row's `value` (column K), as a spreadsheet
/// shows it; `shown_row` maps a cell's 0-based body row to the row a spreadsheet shows.
fn long_origins(
    sheet: &str,
    cells: Vec<(String, usize)>,
    shown_row: impl Fn(usize) -> Option<usize>,
) -> crate::recognize::Origins {
    cells
        .into_iter()
        .filter_map(|(p, i)| {
            let row = shown_row(i)?;
            Some((
                p,
                crate::Origin::Cell {
                    sheet: sheet.to_string(),
                    cell: format!("K{row}"),
                },
            ))
        })
        .collect()
}

/// Where the cells of a wide row stand, for findings: the CSV cell as a spreadsheet shows it
/// (`HV12`, the file name as the sheet).
fn wide_cells(
    sheet: &std::sync::Arc<str>,
    columns: &mut dataset::CellColumns,
    edition: &str,
    sheet_row: usize,
) -> crate::recognize::RowCells {
    crate::recognize::RowCells {
        sheet: sheet.clone(),
        row: u32::try_from(sheet_row).unwrap_or(u32::MAX),
        cells: columns.shared(edition, |i| u32::try_from(i).unwrap_or(u32::MAX)),
    }
}

/// Read a CSV dataset.
pub fn read(path: &Path, bytes: &[u8]) -> Result<Vec<Recognized>> {
    let decoded = text::decode_exact(bytes);
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(decoded.as_bytes());
    let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
    for rec in rd.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            bad(
                path,
                line,
                format!("CSV 格式错误：{e}"),
                format!("malformed CSV: {e}"),
            )
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        // Text escaped against formulas (`'=…`) is read as written.
        rows.push((
            line,
            rec.iter()
                .map(|f| dataset::unescape_formula(f).to_string())
                .collect(),
        ));
    }
    let Some((_, header)) = rows.first() else {
        return Err(Error::NoTables { path: path.into() });
    };
    let header: Vec<String> = header
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let v1 = header
        .iter()
        .map(String::as_str)
        .eq(dataset::LONG_HEADER_V1);
    if v1 || header.iter().map(String::as_str).eq(dataset::LONG_HEADER) {
        let body: Vec<Vec<String>> = rows[1..].iter().map(|(_, r)| r.clone()).collect();
        let meta = if v1 {
            ReportsTable::default()
        } else {
            reports_beside(path)?
        };
        let located = dataset::from_long_located(&body, v1, &meta).map_err(|(i, e)| {
            let line = rows.get(i).map(|r| r.0).unwrap_or(0);
            bad(
                path,
                line,
                format!("{}：{}", e.field, e.zh),
                format!("{}: {}", e.field, e.en),
            )
        })?;
        // Body row i is spreadsheet row i + 2.
        let name = sheet_name(path);
        Ok(located
            .into_iter()
            .map(|(report, cells)| {
                let origins = long_origins(&name, cells, |i| Some(i + 2));
                Recognized::new(report, Vec::new(), origins)
            })
            .collect())
    } else if header.iter().any(|h| h == "report_id") && header.iter().any(|h| h == "edition") {
        let mut out = Vec::new();
        let mut columns = dataset::CellColumns::new(header.clone());
        let name = sheet_name(path);
        for (index, (line, row)) in rows.iter().enumerate().skip(1) {
            // A spreadsheet shows record `index` (the header is 0) as row `index + 1`, whatever
            // line breaks its text holds.
            let sheet_row = index + 1;
            if row
                .first()
                .is_some_and(|f| f == crate::dataset::LABEL_ROW_MARK)
            {
                continue;
            }
            if row.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let report = dataset::unflatten(&row_fields(&header, row)).map_err(|e| {
                bad(
                    path,
                    *line,
                    format!("列 {}：{}", e.field, e.zh),
                    format!("column {}: {}", e.field, e.en),
                )
            })?;
            // Findings on the dataset name the CSV cell (as a spreadsheet shows it: `HV12`).
            let cells = wide_cells(&name, &mut columns, report.edition().as_str(), sheet_row);
            out.push(Recognized {
                report,
                diagnostics: Vec::new(),
                origins: Default::default(),
                row_cells: Some(cells),
            });
        }
        Ok(out)
    } else {
        Err(not_a_dataset(path))
    }
}
