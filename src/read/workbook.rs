//! Spreadsheets (xlsx, xls, ods) through calamine → [`Sheet`]s.
//!
//! Reads cached values, never formulas (a formula cell is its last computed result, as every
//! other reader sees it). xlsx is streamed cell by cell with limits, because calamine's dense
//! `worksheet_range` can try to allocate hundreds of GB on a tiny hostile file (calamine
//! #693); xls and ods are capped by file size before calamine sees them. Merged ranges are read
//! for xlsx and xls; ods has no merge API in calamine, so its spans are read from
//! `content.xml` directly (see [`crate::read::ods_layout`]). calamine builds xls and ods sheets
//! as dense ranges, so the cells a file would span are counted first (BIFF records through the
//! `cfb` crate; `content.xml` for ods) and a file spanning more than [`MAX_DENSE_CELLS`] is
//! refused before calamine allocates anything.
//!
//! Must not decide which row is which: that is [`crate::recognize`]'s job.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, DataRef, Ods, Reader, Xls, Xlsx};

use crate::error::{Error, Result};
use crate::read::sheet::{Sheet, MAX_CELLS};
use crate::read::xml::Zip;

/// Largest uncompressed part of an xlsx or ods (a worksheet's XML); sheets are streamed.
pub const MAX_SHEET_XML_BYTES: u64 = 512 * 1024 * 1024;

/// Most cells the used areas of an xls or ods file may span (calamine allocates them densely).
pub const MAX_DENSE_CELLS: u64 = 5_000_000;

fn too_spread(path: &Path, cells: u64) -> Error {
    Error::malformed(
        path,
        "",
        format!("工作表的数据区域过大（{cells} 个单元格，上限 {MAX_DENSE_CELLS}）；请删除远处的单元格或另存为 .xlsx 后重试"),
        format!("the sheets' used areas are too large ({cells} cells; limit {MAX_DENSE_CELLS}); delete stray far-away cells or save as .xlsx and retry"),
    )
}

/// Cells an xls file's sheets would span as calamine builds them: for each worksheet substream,
/// (row range) × (column range) of its cell records. Reads only record headers and positions.
fn xls_dense_cells(bytes: &[u8]) -> std::result::Result<u64, String> {
    use std::io::Read;
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cf.is_stream(n))
        .ok_or("no Workbook stream")?;
    let mut stream = Vec::new();
    cf.open_stream(name)
        .map_err(|e| e.to_string())?
        .take(MAX_DENSE_BYTES as u64)
        .read_to_end(&mut stream)
        .map_err(|e| e.to_string())?;
    let u16_at = |d: &[u8], i: usize| {
        d.get(i..i + 2)
            .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let mut total = 0u64;
    // (min row, max row, min col, max col) of the current substream.
    let mut bounds: Option<(u32, u32, u32, u32)> = None;
    let add = |b: &mut Option<(u32, u32, u32, u32)>, r: u32, c0: u32, c1: u32| {
        *b = Some(match *b {
            Some((r0, r1, a, z)) => (r0.min(r), r1.max(r), a.min(c0), z.max(c1)),
            None => (r, r, c0, c1),
        });
    };
    let mut pos = 0usize;
    while pos + 4 <= stream.len() {
        let typ = u16_at(&stream, pos).unwrap_or(0);
        let len = u16_at(&stream, pos + 2).unwrap_or(0) as usize;
        let data = &stream[pos + 4..(pos + 4 + len).min(stream.len())];
        pos += 4 + len;
        match typ {
            // BOF and EOF delimit substreams (one per sheet).
            0x0809 | 0x000A => {
                if let Some((r0, r1, c0, c1)) = bounds.take() {
                    let cells = u64::from(r1 - r0 + 1).saturating_mul(u64::from(c1 - c0 + 1));
                    total = total.saturating_add(cells);
                }
            }
            // Single-cell records: row, column first.
            0x0203 | 0x0204 | 0x00FD | 0x027E | 0x0006 | 0x0201 | 0x0205 | 0x00D6 => {
                if let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) {
                    add(&mut bounds, r, c, c);
                }
            }
            // DIMENSIONS: the sheet's claimed used area, which calamine reserves as it is.
            // BIFF8: first row, last row + 1 (u32 each), first column, last column + 1 (u16);
            // BIFF5: the same as u16.
            0x0200 => {
                let u32_at = |i: usize| {
                    data.get(i..i + 4)
                        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                };
                let dims = if data.len() >= 14 {
                    (u32_at(0), u32_at(4), u16_at(data, 8), u16_at(data, 10))
                } else {
                    (
                        u16_at(data, 0),
                        u16_at(data, 2),
                        u16_at(data, 4),
                        u16_at(data, 6),
                    )
                };
                if let (Some(r0), Some(r1), Some(c0), Some(c1)) = dims {
                    if r1 > r0 && c1 > c0 {
                        add(&mut bounds, r0, c0, c1 - 1);
                        add(&mut bounds, r1 - 1, c0, c1 - 1);
                    }
                }
            }
            // MULRK / MULBLANK: row, first column, …, last column.
            0x00BD | 0x00BE => {
                if let (Some(r), Some(c0), Some(c1)) = (
                    u16_at(data, 0),
                    u16_at(data, 2),
                    u16_at(data, data.len().saturating_sub(2)),
                ) {
                    add(&mut bounds, r, c0.min(c1), c0.max(c1));
                }
            }
            _ => {}
        }
    }
    Ok(total)
}

/// Largest xls or ods file accepted (they are parsed into dense ranges by calamine).
pub const MAX_DENSE_BYTES: usize = 16 * 1024 * 1024;

/// Spreadsheet container kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Office Open XML (.xlsx, .xlsm).
    Xlsx,
    /// BIFF (.xls).
    Xls,
    /// OpenDocument (.ods).
    Ods,
}

fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        // `to_string` of an integer is specialized (no formatter).
        (f as i64).to_string()
    } else {
        // Rust prints the shortest text that reads back to the same f64.
        format!("{f}")
    }
}

fn data_text(d: &Data) -> String {
    match d {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::String(s) => s.clone(),
        Data::Bool(b) => b.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(d) => float_text(d.as_f64()),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

fn dataref_text(d: &DataRef<'_>) -> String {
    match d {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::DateTime(d) => float_text(d.as_f64()),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

fn bad(path: &Path, kind: &str, e: impl std::fmt::Display) -> Error {
    Error::malformed(
        path,
        "",
        format!("无法读取 {kind} 工作簿（{e}）；请确认文件完整，或在 Excel/WPS 中另存为 .xlsx 后重试"),
        format!("cannot read the {kind} workbook ({e}); check the file is complete, or save it as .xlsx in Excel/WPS and retry"),
    )
}

/// Most bytes of cell text read from one workbook (a shared string counts once per cell that
/// uses it, checked before it is copied).
pub const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

fn too_much_text(path: &Path) -> Error {
    Error::malformed(
        path,
        "",
        format!("工作簿的单元格文字过多（超过 {MAX_TEXT_BYTES} 字节），不像一份年报"),
        format!(
            "the workbook's cells hold too much text (over {MAX_TEXT_BYTES} bytes), not a report"
        ),
    )
}

/// The length of a cell's text before it is copied.
fn dataref_len(d: &DataRef<'_>) -> usize {
    match d {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.len(),
        DataRef::SharedString(s) => s.len(),
        _ => 24,
    }
}

fn too_many(path: &Path) -> Error {
    Error::malformed(
        path,
        "",
        format!("工作簿单元格过多（上限 {MAX_CELLS} 个）"),
        format!("the workbook has too many cells (limit {MAX_CELLS})"),
    )
}

/// Read every sheet of a workbook.
pub fn read(path: &Path, bytes: &[u8], kind: Kind) -> Result<Vec<Sheet>> {
    if matches!(kind, Kind::Xlsx | Kind::Ods) {
        // Zip bombs are refused by their declared sizes before calamine inflates anything.
        let mut z = Zip::open(bytes).map_err(|e| bad(path, "xlsx/ods", e.en))?;
        z.check_declared_sizes(MAX_SHEET_XML_BYTES, 4 * MAX_SHEET_XML_BYTES)
            .map_err(|e| Error::malformed(path, "", e.zh, e.en))?;
    }
    match kind {
        Kind::Xlsx => read_xlsx(path, bytes),
        Kind::Xls | Kind::Ods => {
            if bytes.len() > MAX_DENSE_BYTES {
                return Err(Error::malformed(
                    path,
                    "",
                    format!("工作簿过大（上限 {MAX_DENSE_BYTES} 字节）；请另存为 .xlsx 后重试"),
                    format!("workbook too large (limit {MAX_DENSE_BYTES} bytes); save it as .xlsx and retry"),
                ));
            }
            // calamine allocates from the file's own claims and can abort: in the CLI and the
            // server it runs in a child process (see `read::isolate`).
            let name = if kind == Kind::Xls { "xls" } else { "ods" };
            match crate::read::isolate::run::<DenseAnswer>(name, bytes) {
                Some(crate::read::isolate::Isolated::Done(Ok(sheets))) => {
                    Ok(sheets.into_iter().map(Sheet::from).collect())
                }
                Some(crate::read::isolate::Isolated::Done(Err((zh, en)))) => {
                    Err(Error::malformed(path, "", zh, en))
                }
                Some(crate::read::isolate::Isolated::Failed(zh, en)) => {
                    Err(Error::malformed(path, "", zh, en))
                }
                None => read_dense_caught(path, bytes, kind),
            }
        }
    }
}

/// What a dense-reader child answers: the sheets, or the error's messages.
pub type DenseAnswer = std::result::Result<Vec<crate::read::sheet::SheetWire>, (String, String)>;

/// Read an xls or ods in this process, a panic caught as the file's error.
fn read_dense_caught(path: &Path, bytes: &[u8], kind: Kind) -> Result<Vec<Sheet>> {
    let owned = bytes.to_vec();
    let p = path.to_path_buf();
    std::panic::catch_unwind(move || read_dense(&p, &owned, kind))
        .unwrap_or_else(|_| Err(bad(path, "xls/ods", "parser panic")))
}

/// The child's side of an isolated xls or ods read (`xxgk __read xls|ods`).
pub fn dense_child(kind: Kind, bytes: &[u8]) -> DenseAnswer {
    match read_dense_caught(Path::new("input"), bytes, kind) {
        Ok(sheets) => Ok(sheets
            .iter()
            .map(crate::read::sheet::SheetWire::from)
            .collect()),
        Err(e) => Err(e.messages()),
    }
}

/// Most columns a dataset workbook's row may have (Excel's own limit).
pub const MAX_DATASET_COLUMNS: usize = 16_384;

/// Most rows a dataset workbook may have (Excel's own limit).
pub const MAX_DATASET_ROWS: u32 = 1_048_576;

/// Read an xlsx that is a dataset xxgk wrote (a sheet named [`crate::dataset::WIDE_SHEET`]
/// whose first rows hold the field ids, with `report_id` and `edition`) row by row, handing
/// on one report per row. The caps are Excel's own ([`MAX_DATASET_ROWS`],
/// [`MAX_DATASET_COLUMNS`]) and one row's text ([`crate::read::stream::MAX_RECORD_BYTES`]),
/// not the report-workbook caps: a dataset of 10,000 reports has millions of cells. Returns
/// `Ok(false)`, having handed on nothing, when the workbook is not such a dataset.
pub fn read_dataset_xlsx(
    path: &Path,
    bytes: &[u8],
    hand: &mut dyn FnMut(crate::recognize::Recognized),
) -> Result<bool> {
    let mut z = Zip::open(bytes).map_err(|e| bad(path, "xlsx", e.en))?;
    z.check_declared_sizes(MAX_SHEET_XML_BYTES, 4 * MAX_SHEET_XML_BYTES)
        .map_err(|e| Error::malformed(path, "", e.zh, e.en))?;
    let name = crate::dataset::WIDE_SHEET;
    let names_it = z
        .text("xl/workbook.xml")
        .is_ok_and(|w| w.contains(&format!("name=\"{name}\"")));
    if !names_it {
        return Ok(false);
    }
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| bad(path, "xlsx", e))?;
    let mut rd = wb
        .worksheet_cells_reader(name)
        .map_err(|e| bad(path, "xlsx", e))?;
    let sheet = Sheet::new(name);
    let sheet_name: std::sync::Arc<str> = name.into();
    let mut header: Option<(u32, Vec<(u32, String)>)> = None;
    let mut row: Vec<(u32, String)> = Vec::new();
    let mut row_at: Option<u32> = None;
    let mut row_bytes = 0usize;
    let mut columns: Option<crate::dataset::CellColumns> = None;
    // One finished row: the header (within the first five rows) or a report.
    let mut finish = |r: u32,
                      cells: &mut Vec<(u32, String)>,
                      header: &mut Option<(u32, Vec<(u32, String)>)>|
     -> Result<bool> {
        let mut cells = std::mem::take(cells);
        cells.sort_by_key(|c| c.0);
        match header {
            None => {
                let is_ids = cells.iter().any(|c| c.1 == "report_id")
                    && cells.iter().any(|c| c.1 == "edition");
                if is_ids {
                    *header = Some((r, cells));
                    Ok(true)
                } else {
                    Ok(r < 5)
                }
            }
            Some((_, ids)) => {
                if cells.iter().all(|c| c.1.trim().is_empty())
                    || crate::dataset::is_label_row(ids, &cells)
                {
                    return Ok(true);
                }
                let mut at = 0;
                // The header's ids and the row's texts, borrowed.
                let fields: Vec<(&str, &str)> = ids
                    .iter()
                    .map(|(c, id)| {
                        while at < cells.len() && cells[at].0 < *c {
                            at += 1;
                        }
                        let v = match cells.get(at) {
                            Some((cc, t)) if cc == c => t.as_str(),
                            _ => "",
                        };
                        (id.as_str(), v)
                    })
                    .collect();
                let report = crate::dataset::unflatten(&fields).map_err(|e| {
                    let col = ids
                        .iter()
                        .find(|(_, id)| *id == e.field)
                        .map(|x| x.0)
                        .unwrap_or(0);
                    Error::malformed(path, format!(" {}", sheet.origin(r, col)), e.zh, e.en)
                })?;
                // Findings name the cell of the sheet (`reports!HV12`).
                let cols = columns.get_or_insert_with(|| {
                    crate::dataset::CellColumns::new(ids.iter().map(|x| x.1.clone()).collect())
                });
                let cells = cols.shared(report.edition().as_str(), |i| ids[i].0);
                hand(crate::recognize::Recognized {
                    report,
                    diagnostics: Vec::new(),
                    origins: Default::default(),
                    row_cells: Some(crate::recognize::RowCells {
                        sheet: sheet_name.clone(),
                        row: r + 1,
                        cells,
                    }),
                });
                Ok(true)
            }
        }
    };
    let row_too_large = |r: u32| {
        Error::malformed(
            path,
            format!(" {}", Sheet::new(name).origin(r, 0)),
            format!(
                "数据集的一行过大（超过 {MAX_DATASET_COLUMNS} 列或 {} 字节）",
                crate::read::stream::MAX_RECORD_BYTES
            ),
            format!(
                "a dataset row is too large (over {MAX_DATASET_COLUMNS} columns or {} bytes)",
                crate::read::stream::MAX_RECORD_BYTES
            ),
        )
    };
    while let Some(cell) = rd.next_cell().map_err(|e| bad(path, "xlsx", e))? {
        let (r, c) = cell.get_position();
        if r >= MAX_DATASET_ROWS {
            return Err(Error::malformed(
                path,
                "",
                format!("数据集超过 Excel 的行数上限（{MAX_DATASET_ROWS} 行）"),
                format!("the dataset has more rows than Excel allows ({MAX_DATASET_ROWS})"),
            ));
        }
        if row_at != Some(r) {
            if let Some(prev) = row_at {
                if !finish(prev, &mut row, &mut header)? {
                    return Ok(false);
                }
            }
            row_at = Some(r);
            row_bytes = 0;
        }
        row_bytes += dataref_len(cell.get_value());
        if row.len() >= MAX_DATASET_COLUMNS
            || row_bytes as u64 > crate::read::stream::MAX_RECORD_BYTES
        {
            return Err(row_too_large(r));
        }
        let t = dataref_text(cell.get_value());
        if !t.is_empty() {
            row.push((c, t));
        }
    }
    if let Some(prev) = row_at {
        if !finish(prev, &mut row, &mut header)? {
            return Ok(false);
        }
    }
    Ok(header.is_some())
}

fn read_xlsx(path: &Path, bytes: &[u8]) -> Result<Vec<Sheet>> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| bad(path, "xlsx", e))?;
    let names = wb.sheet_names();
    let mut out = Vec::new();
    let mut total = 0usize;
    let mut text_bytes = 0usize;
    for name in names {
        let mut sheet = Sheet::new(&name);
        let mut uncached = false;
        {
            let mut rd = wb
                .worksheet_cells_reader(&name)
                .map_err(|e| bad(path, "xlsx", e))?;
            let unlocked: Vec<bool> = rd
                .styles()
                .iter()
                .map(|s| s.protection.as_ref().is_some_and(|p| !p.locked))
                .collect();
            while let Some((cell, style)) = rd
                .next_cell_with_style_id()
                .map_err(|e| bad(path, "xlsx", e))?
            {
                let (r, c) = cell.get_position();
                // A `<c>` with children but no value: a formula whose result was not saved.
                uncached |= matches!(cell.get_value(), DataRef::Empty);
                text_bytes += dataref_len(cell.get_value());
                if text_bytes > MAX_TEXT_BYTES {
                    return Err(too_much_text(path));
                }
                let t = dataref_text(cell.get_value());
                total += 1;
                if total > MAX_CELLS {
                    return Err(too_many(path));
                }
                if t.trim().is_empty() {
                    // An empty but unlocked cell is a form's input cell: a blank value.
                    if unlocked.get(style).copied().unwrap_or(false) {
                        sheet.blanks.insert((r, c));
                    }
                } else {
                    sheet.set(r, c, &t);
                }
            }
        }
        if uncached {
            // A second pass, only then, finds which of them are formulas.
            let mut rd = wb
                .worksheet_cells_reader(&name)
                .map_err(|e| bad(path, "xlsx", e))?;
            while let Some(rec) = rd
                .next_cell_with_formula_metadata()
                .map_err(|e| bad(path, "xlsx", e))?
            {
                if rec.formula.is_some() && matches!(rec.value, DataRef::Empty) {
                    sheet.formulas_without_result.insert(rec.pos);
                }
            }
        }
        let merges = wb
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| bad(path, "xlsx", e))?;
        sheet.merges = merges.iter().map(|d| (d.start, d.end)).collect();
        out.push(sheet);
    }
    Ok(out)
}

fn read_dense(path: &Path, bytes: &[u8], kind: Kind) -> Result<Vec<Sheet>> {
    let mut out = Vec::new();
    match kind {
        Kind::Xls => {
            let spread = xls_dense_cells(bytes).map_err(|e| bad(path, "xls", e))?;
            if spread > MAX_DENSE_CELLS {
                return Err(too_spread(path, spread));
            }
            let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| bad(path, "xls", e))?;
            for name in wb.sheet_names() {
                let range = wb.worksheet_range(&name).map_err(|e| bad(path, "xls", e))?;
                let mut sheet = fill(&name, &range, path)?;
                let merges = wb
                    .merge_cells_by_sheet_name(&name)
                    .map_err(|e| bad(path, "xls", e))?;
                sheet.merges = merges.iter().map(|d| (d.start, d.end)).collect();
                out.push(sheet);
            }
        }
        Kind::Ods => {
            // A content.xml the pre-scan refuses (a DTD, too deep, malformed) is refused here
            // too: it must never pass as "no cells".
            let layout = crate::read::ods_layout::read(bytes).map_err(|e| bad(path, "ods", e))?;
            if layout.dense_cells > MAX_DENSE_CELLS {
                return Err(too_spread(path, layout.dense_cells));
            }
            let spans = layout.merges;
            let mut wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|e| bad(path, "ods", e))?;
            for name in wb.sheet_names() {
                let range = wb.worksheet_range(&name).map_err(|e| bad(path, "ods", e))?;
                let mut sheet = fill(&name, &range, path)?;
                if let Some(m) = spans.get(&name) {
                    sheet.merges = m.clone();
                }
                out.push(sheet);
            }
        }
        Kind::Xlsx => unreachable!("xlsx is streamed"),
    }
    Ok(out)
}

fn fill(name: &str, range: &calamine::Range<Data>, path: &Path) -> Result<Sheet> {
    let mut sheet = Sheet::new(name);
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut n = 0usize;
    let mut bytes = 0usize;
    for (r, c, d) in range.used_cells() {
        if let Data::String(s) = d {
            bytes += s.len();
            if bytes > MAX_TEXT_BYTES {
                return Err(too_much_text(path));
            }
        }
        let t = data_text(d);
        if !t.is_empty() {
            n += 1;
            if n > MAX_CELLS {
                return Err(too_many(path));
            }
            sheet.set(r0 + r as u32, c0 + c as u32, &t);
        }
    }
    Ok(sheet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_written() {
        assert_eq!(float_text(12.0), "12");
        assert_eq!(float_text(179092.2001), "179092.2001");
        assert_eq!(float_text(-58.0), "-58");
        assert_eq!(float_text(0.1 + 0.2), "0.30000000000000004");
    }

    #[test]
    fn real_xls_and_ods_are_small_and_far_cells_are_refused() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/built");
        let xls = std::fs::read(root.join("lo-000.xls")).unwrap();
        let n = xls_dense_cells(&xls).unwrap();
        assert!(n > 100 && n < 10_000, "{n}");
        let ods = std::fs::read(root.join("lo-000.ods")).unwrap();
        let l = crate::read::ods_layout::read(&ods).unwrap();
        assert!(
            l.dense_cells > 100 && l.dense_cells < 10_000,
            "{}",
            l.dense_cells
        );
        // An ods whose one value is repeated over a million rows and every column.
        let bomb = ods_with_content(
            "<table:table table:name=\"S\"><table:table-row table:number-rows-repeated=\"1048576\">\
             <table:table-cell office:value-type=\"float\" office:value=\"1\" table:number-columns-repeated=\"16384\"/>\
             </table:table-row></table:table>",
        );
        let e = read(Path::new("b.ods"), &bomb, Kind::Ods).unwrap_err();
        assert!(e.to_string().contains("too large"), "{e}");
        // An xls with two cells at opposite corners of the sheet.
        let e = read(Path::new("b.xls"), &xls_with_corners(), Kind::Xls).unwrap_err();
        assert!(e.to_string().contains("too large"), "{e}");
    }

    fn xls_with_corners() -> Vec<u8> {
        use std::io::Write;
        let record = |typ: u16, data: &[u8]| {
            let mut v = typ.to_le_bytes().to_vec();
            v.extend_from_slice(&(data.len() as u16).to_le_bytes());
            v.extend_from_slice(data);
            v
        };
        let number = |row: u16, col: u16| {
            let mut d = row.to_le_bytes().to_vec();
            d.extend_from_slice(&col.to_le_bytes());
            d.extend_from_slice(&[0, 0]);
            d.extend_from_slice(&1.0f64.to_le_bytes());
            record(0x0203, &d)
        };
        let mut stream = record(0x0809, &[0, 6, 0x10, 0, 0, 0, 0, 0]);
        stream.extend(number(0, 0));
        stream.extend(number(65535, 255));
        stream.extend(record(0x000A, &[]));
        let mut cf = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
        cf.create_stream("/Workbook")
            .unwrap()
            .write_all(&stream)
            .unwrap();
        cf.flush().unwrap();
        cf.into_inner().into_inner()
    }

    fn ods_with_content(table: &str) -> Vec<u8> {
        use std::io::Write;
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default();
        w.start_file("mimetype", o).unwrap();
        w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        w.start_file("content.xml", o).unwrap();
        write!(w, "<?xml version=\"1.0\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\"><office:body><office:spreadsheet>{table}</office:spreadsheet></office:body></office:document-content>").unwrap();
        w.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for kind in [Kind::Xlsx, Kind::Xls, Kind::Ods] {
            let e = read(Path::new("x"), b"PK\x03\x04 not really a zip", kind).unwrap_err();
            assert!(e.to_string().contains("无法读取"), "{e}");
        }
    }
}
