//! Sheets (from any spreadsheet or document reader) → reports.
//!
//! Owns three decisions about a workbook as a whole, and nothing about single rows:
//!
//! * a **dataset** sheet (a header row of field ids with `report_id` and `edition`, as written
//!   by `xxgk convert … -o dataset.xlsx`) holds one report per row;
//! * a **report information** sheet (field ids in column B, values in column C, as in our
//!   fillable workbook) gives metadata, narrative and the edition of the tables that follow it;
//! * every other sheet is a table sheet; consecutive sheets form one report until a sheet
//!   repeats a section already seen (so 表二/表三/表四 on three sheets is one report, and three
//!   sheets each holding a whole report are three reports).
//!
//! Each group of table sheets goes to [`crate::recognize`] like any other input.

use std::collections::HashMap;
use std::path::Path;

use xxgk_schema::{Cell, Report};

use crate::dataset;
use crate::error::{Error, Result};
use crate::read::sheet::Sheet;
use crate::read::text::{is_value_like, Token};
use crate::recognize::{self, Options, Recognized};

/// Field pairs read from an information sheet, with the sheet name.
struct Info {
    fields: Vec<(String, String)>,
}

fn info_sheet(s: &Sheet) -> Option<Info> {
    // The field ids stand in column C (hidden; workbooks before 0.2 had them in column B,
    // the values in C); `edition` must be among them.
    let id_col = [2u32, 1].into_iter().find(|&col| {
        s.cells
            .iter()
            .any(|(&(_, c), t)| c == col && t == "edition")
    })?;
    let value_col = if id_col == 2 { 1 } else { 2 };
    let mut fields: Vec<(String, String)> = Vec::new();
    let rows: std::collections::BTreeSet<u32> = s.cells.keys().map(|k| k.0).collect();
    for r in rows {
        let Some(id) = s.cells.get(&(r, id_col)).map(|t| t.trim().to_string()) else {
            continue;
        };
        if id.contains(' ') || id.contains('/') {
            continue; // the header row
        }
        let v = s.cells.get(&(r, value_col)).cloned().unwrap_or_default();
        match fields.last_mut() {
            // A long text continues on the next row under the same id.
            Some((k, prev)) if *k == id => prev.push_str(&v),
            _ => fields.push((id.clone(), v)),
        }
    }
    Some(Info { fields })
}

/// The row of field ids of a dataset sheet, if this is one.
fn dataset_header(s: &Sheet) -> Option<u32> {
    (0..5u32).find(|&r| {
        let ids: Vec<&String> = s.cells.range((r, 0)..=(r, u32::MAX)).map(|x| x.1).collect();
        ids.iter().any(|t| *t == "report_id") && ids.iter().any(|t| *t == "edition")
    })
}

fn dataset_reports(path: &Path, s: &Sheet, header: u32) -> Result<Vec<Recognized>> {
    let ids: Vec<(u32, String)> = s
        .cells
        .range((header, 0)..=(header, u32::MAX))
        .map(|(&(_, c), t)| (c, t.clone()))
        .collect();
    let rows: std::collections::BTreeSet<u32> = s
        .cells
        .keys()
        .map(|k| k.0)
        .filter(|&r| r > header)
        .collect();
    let mut out = Vec::new();
    let mut columns = dataset::CellColumns::new(ids.iter().map(|x| x.1.clone()).collect());
    let sheet_name: std::sync::Arc<str> = s.name().into();
    for r in rows {
        let cells: Vec<(u32, String)> = s
            .cells
            .range((r, 0)..=(r, u32::MAX))
            .map(|(&(_, c), t)| (c, t.clone()))
            .collect();
        if dataset::is_label_row(&ids, &cells) {
            continue;
        }
        let fields: Vec<(String, String)> = ids
            .iter()
            .map(|(c, id)| {
                (
                    id.clone(),
                    s.cells.get(&(r, *c)).cloned().unwrap_or_default(),
                )
            })
            .collect();
        let report = dataset::unflatten(&fields).map_err(|e| {
            let col = ids
                .iter()
                .find(|(_, id)| *id == e.field)
                .map(|x| x.0)
                .unwrap_or(0);
            Error::malformed(path, format!(" {}", s.origin(r, col)), e.zh, e.en)
        })?;
        let cells = columns.shared(report.edition().as_str(), |i| ids[i].0);
        out.push(Recognized {
            report,
            diagnostics: Vec::new(),
            origins: Default::default(),
            row_cells: Some(crate::recognize::RowCells {
                sheet: sheet_name.clone(),
                row: r + 1,
                cells,
            }),
        });
    }
    Ok(out)
}

/// The tokens of sheet number `index` of an input, or the error that it is too large.
fn sheet_tokens(path: &Path, s: &Sheet, index: usize) -> Result<Vec<Token>> {
    s.tokens(index as u32).map_err(|e| {
        Error::malformed(
            path,
            format!(" {}", s.name),
            format!(
                "表格过大：{} 达 {}（上限 {}），不像一份年报；请检查文件",
                e.what,
                e.count,
                crate::read::sheet::MAX_BLOCK_AREA
            ),
            format!(
                "the sheet is too large: {} {} (limit {}), not a report; check the file",
                e.count,
                e.what,
                crate::read::sheet::MAX_BLOCK_AREA
            ),
        )
    })
}

/// Totals whose formula result the file does not carry (a workbook saved by a program that does
/// not calculate, such as openpyxl). In our own form (`own_form`: cells stand where
/// [`crate::layout`] puts them), or where the cell is known to be a form total, the total is
/// recomputed from its parts as the formula would (blank when no part holds a number), with an
/// info diagnostic; any other such cell is left blank with a warning naming it.
fn recompute_uncached(rec: &mut Recognized, sheets: &[&Sheet], own_form: bool) {
    use crate::diagnostic::Origin;
    use crate::layout::{self, Content};
    let missing: Vec<(&Sheet, (u32, u32))> = sheets
        .iter()
        .flat_map(|s| s.formulas_without_result.iter().map(move |&p| (*s, p)))
        .collect();
    if missing.is_empty() {
        return;
    }
    let grids = layout::grids(&rec.report);
    // Layout position -> path, and each total's parts, per grid.
    let mut at: HashMap<(&str, u32, u32), &str> = HashMap::new();
    let mut parts_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for g in &grids {
        let pos: HashMap<(u32, u16), &str> = g
            .cells
            .iter()
            .filter_map(|p| match &p.content {
                Content::Value { path, .. } => Some(((p.row, p.col), path.as_str())),
                _ => None,
            })
            .collect();
        for p in &g.cells {
            if let Content::Value { path, total_of, .. } = &p.content {
                at.insert((g.name.as_str(), p.row, u32::from(p.col)), path);
                if let Some(parts) = total_of {
                    parts_of.insert(
                        path,
                        parts.iter().filter_map(|q| pos.get(q).copied()).collect(),
                    );
                }
            }
        }
    }
    let by_origin: HashMap<(String, String), &str> = rec
        .origins
        .iter()
        .filter_map(|(p, o)| match o {
            Origin::Cell { sheet, cell } => Some(((sheet.clone(), cell.clone()), p.as_str())),
            _ => None,
        })
        .collect();
    let mut recompute: Vec<String> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for (s, (r, c)) in missing {
        let origin = s.origin(r, c);
        let path = if own_form {
            at.get(&(s.name.as_str(), r, c)).copied()
        } else {
            None
        }
        .or_else(|| match &origin {
            Origin::Cell { sheet, cell } => by_origin.get(&(sheet.clone(), cell.clone())).copied(),
            _ => None,
        });
        match path.filter(|p| parts_of.contains_key(p)) {
            Some(p) => recompute.push(p.to_string()),
            None => unknown.push(origin.to_string()),
        }
    }
    if !recompute.is_empty() {
        let mut cells: HashMap<String, Cell> = rec
            .report
            .cells()
            .into_iter()
            .map(|(p, c, _)| (p, c.clone()))
            .collect();
        for p in &recompute {
            cells.insert(p.clone(), Cell::Blank);
        }
        // Totals of totals: a few passes settle every level the form has.
        for _ in 0..4 {
            for p in &recompute {
                let nums: Vec<rust_decimal::Decimal> = parts_of[p.as_str()]
                    .iter()
                    .filter_map(|q| cells.get(*q).and_then(Cell::number))
                    .collect();
                let v = if nums.is_empty() {
                    Cell::Blank
                } else {
                    Cell::Number(nums.iter().sum())
                };
                cells.insert(p.clone(), v);
            }
        }
        let wanted: std::collections::HashSet<&str> =
            recompute.iter().map(String::as_str).collect();
        let mut path = Vec::new();
        xxgk_schema::Visit::visit_mut(&mut rec.report, &mut path, &mut |segs, cell, _| {
            let dotted = xxgk_schema::dotted(segs);
            if wanted.contains(dotted.as_str()) {
                *cell = cells[&dotted].clone();
            }
        });
        let list = recompute.len();
        rec.diagnostics.push(crate::Diagnostic::new(
            "read.totals_recomputed",
            crate::Severity::Info,
            None,
            format!("{list} 个合计单元格是公式，但文件没有保存计算结果（保存它的程序不计算公式），已按表中各项重新计算"),
            format!("{list} total cell(s) are formulas whose results the file does not carry (the program that saved it does not calculate); they were recomputed from their parts"),
        ));
    }
    if !unknown.is_empty() {
        let n = unknown.len();
        let shown = unknown
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("、");
        rec.diagnostics.push(crate::Diagnostic::new(
            "read.formula_without_result",
            crate::Severity::Warning,
            None,
            format!("{n} 个单元格是公式，但文件没有保存计算结果，按空白读取：{shown}；请在 Excel 或 WPS 中打开并保存后重试"),
            format!("{n} cell(s) hold formulas whose results the file does not carry and were read as blank: {shown}; open and save the file in Excel or WPS, then retry"),
        ));
    }
}

/// Turn the sheets of one input into reports. `format` names the input format in each
/// report's `source`.
pub fn reports(
    path: &Path,
    sheets: &[Sheet],
    format: &str,
    opts: &Options,
) -> Result<Vec<Recognized>> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Dataset sheets.
    let mut out = Vec::new();
    for s in sheets {
        if let Some(h) = dataset_header(s) {
            out.extend(dataset_reports(path, s, h)?);
        }
    }
    if !out.is_empty() {
        return Ok(out);
    }

    struct Group<'a> {
        info: Option<Info>,
        sheets: Vec<&'a Sheet>,
        tokens: Vec<Token>,
        sections: [bool; 4],
    }
    let mut groups: Vec<Group<'_>> = Vec::new();
    let mut pending_info: Option<Info> = None;
    let mut pending_text: Vec<&Sheet> = Vec::new();
    for (i, s) in sheets.iter().enumerate() {
        if let Some(info) = info_sheet(s) {
            pending_info = Some(info);
            continue;
        }
        let tokens = sheet_tokens(path, s, i)?;
        let [a, b, c] = recognize::sections_present(&tokens);
        // Another table: one with values, or a form's input cells left blank (a legacy table
        // of our own whose every value is blank is still a table).
        let other = !(a || b || c)
            && (!s.blanks.is_empty()
                || tokens
                    .iter()
                    .any(|t| is_value_like(&t.text) && !t.text.is_empty()));
        let secs = [a, b, c, other];
        if !secs.iter().any(|&x| x) {
            // Text only (a cover sheet, notes): part of the next report.
            pending_text.push(s);
            continue;
        }
        let start_new = match groups.last() {
            None => true,
            Some(g) => {
                pending_info.is_some() || g.sections.iter().zip(&secs).any(|(x, y)| *x && *y)
            }
        };
        if start_new {
            groups.push(Group {
                info: pending_info.take(),
                sheets: Vec::new(),
                tokens: Vec::new(),
                sections: [false; 4],
            });
        }
        let g = groups.last_mut().expect("pushed");
        g.sheets.append(&mut pending_text);
        g.sheets.push(s);
        g.tokens.extend(tokens);
        for (x, y) in g.sections.iter_mut().zip(secs) {
            *x |= y;
        }
    }
    if let Some(info) = pending_info.take() {
        // An information sheet with no tables after it: a report without tables.
        groups.push(Group {
            info: Some(info),
            sheets: Vec::new(),
            tokens: Vec::new(),
            sections: [false; 4],
        });
    }
    for g in groups {
        let given = match &g.info {
            Some(info) => Some(dataset::unflatten(&info.fields).map_err(|e| {
                Error::malformed(
                    path,
                    format!(" {}（{}）", crate::layout::INFO_SHEET, e.field),
                    e.zh,
                    e.en,
                )
            })?),
            None => None,
        };
        let mut o = opts.clone();
        if o.edition.is_none() {
            o.edition = given.as_ref().map(Report::edition);
        }
        let text: String = g
            .sheets
            .iter()
            .map(|s| s.text())
            .collect::<Vec<_>>()
            .join("\n");
        let mut rec = if g.tokens.is_empty() {
            match &given {
                Some(r) => Recognized::from(Report::empty(r.edition())),
                None => continue,
            }
        } else {
            match recognize::recognize(&text, &g.tokens, &o) {
                Ok(r) => r,
                Err(_) => continue,
            }
        };
        recompute_uncached(&mut rec, &g.sheets, g.info.is_some());
        if let (Some(given), Some(info)) = (given, &g.info) {
            // Our own workbook: its information sheet is the report's metadata, as it was.
            apply_info(&mut rec.report, given, &info.fields);
            out.push(rec);
            continue;
        }
        let src = rec
            .report
            .info_mut()
            .source
            .get_or_insert_with(Default::default);
        if src.file.is_none() {
            src.file = Some(file_name.clone());
        }
        if src.format.is_none() {
            src.format = Some(format.into());
        }
        out.push(rec);
    }
    if out.is_empty() {
        return Err(Error::NoTables { path: path.into() });
    }
    Ok(out)
}

/// The tables of one document (Word): always one report, whatever the number of tables,
/// with the document's own text for title, agency and narrative.
pub fn reports_of_document(
    path: &Path,
    sheets: &[Sheet],
    text: &str,
    format: &str,
    opts: &Options,
) -> Result<Vec<Recognized>> {
    let mut tokens: Vec<Token> = Vec::new();
    for (i, s) in sheets.iter().enumerate() {
        tokens.extend(sheet_tokens(path, s, i)?);
    }
    let text = crate::read::text::normalize(text);
    let mut rec = recognize::recognize(&text, &tokens, opts)
        .map_err(|_| Error::NoTables { path: path.into() })?;
    let src = rec
        .report
        .info_mut()
        .source
        .get_or_insert_with(Default::default);
    src.file = path.file_name().map(|n| n.to_string_lossy().into_owned());
    src.format = Some(format.into());
    Ok(vec![rec])
}

/// Metadata and narrative from an information sheet replace what was guessed from the tables.
fn apply_info(report: &mut Report, given: Report, fields: &[(String, String)]) {
    if report.edition() != given.edition() {
        return;
    }
    *report.info_mut() = given.info().clone();
    match (report, given) {
        (Report::E2021(r), Report::E2021(g)) => r.narrative = g.narrative,
        (Report::E2019(r), Report::E2019(g)) => r.narrative = g.narrative,
        (Report::Legacy(r), Report::Legacy(g)) => {
            r.narrative = g.narrative;
            // Indicator ids as stored beside the table (`statistics.N.id`, by position).
            if let Some(s) = &mut r.statistics {
                for (i, ind) in s.indicators.iter_mut().enumerate() {
                    let key = format!("statistics.{}.id", i + 1);
                    if let Some((_, v)) = fields.iter().find(|(k, _)| *k == key) {
                        ind.id = (!v.is_empty()).then(|| v.clone());
                    }
                }
            }
        }
        _ => {}
    }
}
