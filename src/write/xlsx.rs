//! Excel workbooks: the official form of one report (fillable), and the dataset of many.
//!
//! The report workbook has a sheet 「报告信息」 (metadata and narrative, one field per row, with
//! the field id beside its Chinese name) and one sheet per table of the form (「表二」, 「表三」,
//! 「表四」, or 「统计表」 for legacy reports), drawn from [`crate::layout`]: merged headers,
//! borders, explicit widths for CJK text, frozen headers, landscape A4 print setup.
//!
//! It is fillable: value cells are unlocked and validated (whole numbers ≥ 0, signed whole
//! numbers, decimals for amounts, or a mark `/` `-` `无`), everything else is protected (without a
//! password: protection guards against slips, it is not security). A total that equals the sum of
//! its parts is a live (shaded, still editable) formula *with its cached result*, so readers that do not recalculate
//! (LibreOffice defaults, previewers, calamine) see the right number; a printed total that
//! disagrees is kept as printed, and conditional formatting paints any total that differs from
//! its parts (and section 三's balance 一 + 二 = 三(七) + 四) red while the user types.

use std::collections::HashMap;

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    ConditionalFormatFormula, DataValidation, DocProperties, Format, FormatAlign, FormatBorder,
    Formula, Workbook, Worksheet, XlsxError,
};
use xxgk_schema::{Cell, Edition, Kind, Report};

use crate::dataset;
use crate::diagnostic::col_name;
use crate::error::{Error, Result};
use crate::layout::{self, Content, Grid};

pub use crate::layout::INFO_SHEET;
/// Largest text a cell holds: Excel's limit, 32,767 UTF-16 code units. On the information sheet
/// longer text continues on the next row; in a dataset it is cut and the cut is reported.
pub const CELL_TEXT_LIMIT: usize = 32_767;

/// A text a dataset workbook had to cut to fit a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextCut {
    /// The report.
    pub report_id: String,
    /// The field.
    pub field: String,
    /// Its length in UTF-16 units, and what was kept.
    pub units: usize,
}
/// Font used throughout (present on Chinese Windows, WPS and LibreOffice installs).
const FONT: &str = "宋体";

fn xe(e: XlsxError) -> Error {
    Error::Write {
        message_zh: format!("生成 Excel 工作簿失败：{e}"),
        message_en: format!("could not build the Excel workbook: {e}"),
    }
}

struct Styles {
    title: Format,
    header: Format,
    label: Format,
    input: [Format; 3],
    formula: [Format; 3],
    info_key: Format,
    info_value: Format,
    bad: Format,
}

impl Styles {
    fn new() -> Styles {
        let base = Format::new()
            .set_font_name(FONT)
            .set_font_size(11)
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        let number = |f: Format, k: usize| match k {
            0 => f.set_num_format("0"),
            1 => f.set_num_format("+0;-0;0"),
            _ => f.set_num_format("General"),
        };
        let input = |k| {
            number(base.clone(), k)
                .set_unlocked()
                .set_align(FormatAlign::Center)
        };
        // Totals are live formulas, shaded, but not locked: an agency may type over one when
        // its printed total really differs (the conditional format then paints it red).
        let formula = |k| {
            number(base.clone(), k)
                .set_unlocked()
                .set_background_color("F2F2F2")
                .set_align(FormatAlign::Center)
        };
        Styles {
            title: Format::new()
                .set_font_name(FONT)
                .set_font_size(14)
                .set_bold()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter),
            header: base
                .clone()
                .set_bold()
                .set_background_color("D9E1F2")
                .set_align(FormatAlign::Center),
            label: base.clone(),
            input: [input(0), input(1), input(2)],
            formula: [formula(0), formula(1), formula(2)],
            info_key: base.clone().set_bold().set_background_color("D9E1F2"),
            info_value: base.clone().set_unlocked().set_align(FormatAlign::Top),
            bad: Format::new()
                .set_background_color("FFC7CE")
                .set_font_color("9C0006"),
        }
    }
}

/// The kinds in [`kind_index`] order.
const KINDS: [Kind; 3] = [Kind::Count, Kind::Signed, Kind::Amount];

/// Which of a form's cell styles a cell takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum StyleId {
    Title,
    Header,
    Label,
    /// An input cell of the kind at this [`kind_index`].
    Input(usize),
    /// A total kept as a formula, of the kind at this [`kind_index`].
    Formula(usize),
}

impl Styles {
    fn get(&self, id: StyleId) -> &Format {
        match id {
            StyleId::Title => &self.title,
            StyleId::Header => &self.header,
            StyleId::Label => &self.label,
            StyleId::Input(k) => &self.input[k],
            StyleId::Formula(k) => &self.formula[k],
        }
    }
}

/// Cells `(tag, row, col)` as runs of adjacent columns of one row with one tag:
/// `(tag, row, first col, row, last col)`, in (tag, row, col) order.
fn row_runs<T: Ord + Copy>(mut cells: Vec<(T, u32, u16)>) -> Vec<(T, u32, u16, u32, u16)> {
    cells.sort_unstable();
    cells.dedup();
    let mut runs: Vec<(T, u32, u16, u32, u16)> = Vec::new();
    for (t, r, c) in cells {
        match runs.last_mut() {
            Some(run) if run.0 == t && run.1 == r && run.4.checked_add(1) == Some(c) => run.4 = c,
            _ => runs.push((t, r, c, r, c)),
        }
    }
    runs
}

/// Cells `(tag, row, col)` as rectangles of one tag `(tag, first row, first col, last row,
/// last col)`: row runs, and runs of the same columns in adjacent rows joined.
fn rectangles<T: Ord + Copy>(cells: Vec<(T, u32, u16)>) -> Vec<(T, u32, u16, u32, u16)> {
    let mut runs = row_runs(cells);
    runs.sort_unstable_by_key(|&(t, r, c0, _, c1)| (t, c0, c1, r));
    let mut out: Vec<(T, u32, u16, u32, u16)> = Vec::new();
    for (t, r, c0, _, c1) in runs {
        match out.last_mut() {
            Some(b) if b.0 == t && b.2 == c0 && b.4 == c1 && b.3.checked_add(1) == Some(r) => {
                b.3 = r
            }
            _ => out.push((t, r, c0, r, c1)),
        }
    }
    out
}

fn kind_index(k: Kind) -> usize {
    match k {
        Kind::Count => 0,
        Kind::Signed => 1,
        Kind::Amount => 2,
    }
}

/// `A1`-style reference of a 0-based (row, col).
pub fn cell_ref(row: u32, col: u16) -> String {
    format!("{}{}", col_name(u32::from(col)), row + 1)
}

/// Display width of text in Excel column units (a hanzi counts about two).
fn text_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 1.1 } else { 2.1 })
        .sum()
}

/// Significant digits of a decimal (Excel keeps 15).
fn significant_digits(d: &Decimal) -> usize {
    // Normalized, the mantissa holds exactly the significant digits (no trailing zeros after
    // the point; leading zeros are not digits of it).
    let mut m = d.normalize().mantissa().unsigned_abs();
    let mut n = 1;
    while m >= 10 {
        m /= 10;
        n += 1;
    }
    n
}

/// Write a value cell's content: numbers as numbers (text when Excel would round them), marks
/// as text, blanks as formatted blanks. Without a format the cell takes the workbook's default
/// one (and a blank is no cell at all).
fn write_cell(ws: &mut Worksheet, r: u32, c: u16, cell: &Cell, f: Option<&Format>) -> Result<()> {
    let text: std::borrow::Cow<str> = match cell {
        Cell::Blank => {
            if let Some(f) = f {
                ws.write_blank(r, c, f).map_err(xe)?;
            }
            return Ok(());
        }
        Cell::Number(d) if significant_digits(d) <= 15 => {
            let v = to_f64(d);
            match f {
                Some(f) => ws.write_number_with_format(r, c, v, f),
                None => ws.write_number(r, c, v),
            }
            .map_err(xe)?;
            return Ok(());
        }
        Cell::Number(d) => d.normalize().to_string().into(),
        Cell::Mark(m) => m.as_str().into(),
    };
    match f {
        Some(f) => ws.write_string_with_format(r, c, text, f),
        None => ws.write_string(r, c, text),
    }
    .map_err(xe)?;
    Ok(())
}

/// A number of at most 15 significant digits as the nearest `f64`: whole numbers directly
/// (exact below 2^53), others through their decimal text (correctly rounded).
fn to_f64(d: &Decimal) -> f64 {
    let n = d.normalize();
    if n.scale() == 0 {
        if let Ok(m) = i64::try_from(n.mantissa()) {
            if m.unsigned_abs() < (1u64 << 53) {
                return m as f64;
            }
        }
    }
    n.to_string().parse().unwrap_or(0.0)
}

/// `SUM` argument for a set of cells: contiguous runs become ranges.
fn sum_args(parts: &[(u32, u16)]) -> String {
    let mut sorted = parts.to_vec();
    sorted.sort_by_key(|&(r, c)| (c, r));
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let (r0, c0) = sorted[i];
        let mut j = i;
        // Vertical run in one column.
        while j + 1 < sorted.len() && sorted[j + 1] == (sorted[j].0 + 1, c0) {
            j += 1;
        }
        if j == i {
            // Horizontal run in one row.
            let mut k = i;
            let row_sorted: Vec<_> = sorted[i..].to_vec();
            while k + 1 - i < row_sorted.len()
                && row_sorted[k + 1 - i] == (r0, row_sorted[k - i].1 + 1)
            {
                k += 1;
            }
            j = k;
        }
        let (r1, c1) = sorted[j];
        if j == i {
            out.push(cell_ref(r0, c0));
        } else {
            out.push(format!("{}:{}", cell_ref(r0, c0), cell_ref(r1, c1)));
        }
        i = j + 1;
    }
    out.join(",")
}

/// The value a total formula computes: blank when no part holds a number, else their sum.
fn formula_result(parts: &[(u32, u16)], at: &HashMap<(u32, u16), Cell>) -> Cell {
    let nums: Vec<Decimal> = parts
        .iter()
        .filter_map(|p| at.get(p).and_then(Cell::number))
        .collect();
    if nums.is_empty() {
        Cell::Blank
    } else {
        Cell::Number(nums.into_iter().sum())
    }
}

fn same(a: &Cell, b: &Cell) -> bool {
    match (a, b) {
        (Cell::Number(x), Cell::Number(y)) => x == y,
        _ => a == b,
    }
}

fn validation(kind: Kind, at: &str) -> Result<DataValidation> {
    let marks = format!("{at}=\"/\",{at}=\"-\",{at}=\"无\"");
    let (rule, zh) = match kind {
        Kind::Count => (
            format!("=OR(AND(ISNUMBER({at}),{at}>=0,{at}=INT({at})),{marks})"),
            "请填写非负整数，或 / - 无 / Enter a whole number ≥ 0, or / - 无",
        ),
        Kind::Signed => (
            format!("=OR(AND(ISNUMBER({at}),{at}=INT({at})),{marks})"),
            "请填写整数（可为负数），或 / - 无 / Enter a whole number (may be negative), or / - 无",
        ),
        Kind::Amount => (
            format!("=OR(ISNUMBER({at}),{marks})"),
            "请填写数值（可带小数），或 / - 无 / Enter a number (decimals allowed), or / - 无",
        ),
    };
    DataValidation::new()
        .allow_custom(Formula::new(rule))
        .set_error_title("数值无效 / Invalid value")
        .map_err(xe)?
        .set_error_message(zh)
        .map_err(xe)
}

fn draw_grid(ws: &mut Worksheet, g: &Grid, st: &Styles, report: &Report) -> Result<()> {
    ws.set_name(&g.name).map_err(xe)?;
    // A blank total must read back blank (`t="str"`, empty), not as rust_xlsxwriter's default 0.
    ws.set_formula_result_default("");
    for (i, w) in g.widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w).map_err(xe)?;
    }
    // Values by position, for formula results.
    let at: HashMap<(u32, u16), Cell> = g
        .cells
        .iter()
        .filter_map(|p| match &p.content {
            Content::Value { cell, .. } => Some(((p.row, p.col), cell.clone())),
            _ => None,
        })
        .collect();
    let mut heights: HashMap<u32, f64> = HashMap::new();
    // Single cells are written bare and formatted afterwards a rectangle at a time, and their
    // validations given a row run at a time: rust_xlsxwriter hashes the whole format for every
    // cell written with one (a tenth of writing a form), and a validation is an XML element
    // with its formula and messages each.
    let mut formatted: Vec<(StyleId, u32, u16)> = Vec::with_capacity(g.cells.len());
    let mut validated: Vec<(usize, u32, u16)> = Vec::new();
    for p in &g.cells {
        let (r2, c2) = (p.row + p.rows - 1, p.col + p.cols - 1);
        let span_width: f64 = (p.col..=c2)
            .map(|c| g.widths.get(c as usize).copied().unwrap_or(10.0))
            .sum();
        let mut text_for_height = None;
        match &p.content {
            Content::Title(t) => {
                if p.cols > 1 || p.rows > 1 {
                    ws.merge_range(p.row, p.col, r2, c2, t, &st.title)
                        .map_err(xe)?;
                } else {
                    ws.write_string(p.row, p.col, t).map_err(xe)?;
                    formatted.push((StyleId::Title, p.row, p.col));
                }
                heights.insert(p.row, 24.0);
            }
            Content::Header(t) | Content::Label(t) => {
                let id = if matches!(p.content, Content::Header(_)) {
                    StyleId::Header
                } else {
                    StyleId::Label
                };
                if p.cols > 1 || p.rows > 1 {
                    ws.merge_range(p.row, p.col, r2, c2, t, st.get(id))
                        .map_err(xe)?;
                } else {
                    ws.write_string(p.row, p.col, t).map_err(xe)?;
                    formatted.push((id, p.row, p.col));
                }
                if p.rows == 1 {
                    text_for_height = Some(t.as_str());
                }
            }
            Content::Value {
                cell,
                kind,
                total_of,
                ..
            } => {
                let k = kind_index(*kind);
                let merged = p.cols > 1 || p.rows > 1;
                if merged {
                    ws.merge_range(p.row, p.col, r2, c2, "", &st.input[k])
                        .map_err(xe)?;
                }
                let as_formula = total_of
                    .as_ref()
                    .filter(|parts| same(cell, &formula_result(parts, &at)));
                if let Some(parts) = as_formula {
                    let args = sum_args(parts);
                    let result = match cell {
                        Cell::Number(d) => d.normalize().to_string(),
                        _ => String::new(),
                    };
                    let f = Formula::new(format!("=IF(COUNT({args})=0,\"\",SUM({args}))"))
                        .set_result(result);
                    if merged {
                        ws.write_formula_with_format(p.row, p.col, f, &st.formula[k])
                            .map_err(xe)?;
                    } else {
                        ws.write_formula(p.row, p.col, f).map_err(xe)?;
                        formatted.push((StyleId::Formula(k), p.row, p.col));
                    }
                } else if merged {
                    write_cell(ws, p.row, p.col, cell, Some(&st.input[k]))?;
                    let dv = validation(*kind, &cell_ref(p.row, p.col))?;
                    ws.add_data_validation(p.row, p.col, r2, c2, &dv)
                        .map_err(xe)?;
                } else {
                    write_cell(ws, p.row, p.col, cell, None)?;
                    formatted.push((StyleId::Input(k), p.row, p.col));
                    validated.push((k, p.row, p.col));
                }
            }
        }
        if let Some(t) = text_for_height {
            let lines = (text_width(t) / (span_width * 0.95)).ceil().max(1.0);
            let h = 15.0 * lines + 3.0;
            let e = heights.entry(p.row).or_insert(18.0);
            *e = e.max(h);
        }
    }
    for (id, r0, c0, r1, c1) in rectangles(formatted) {
        ws.set_range_format(r0, c0, r1, c1, st.get(id))
            .map_err(xe)?;
    }
    // A validation's formula names the top-left cell of its range; Excel (and LibreOffice)
    // apply it to every cell of the range relative to that one.
    for (k, r, c0, _, c1) in row_runs(validated) {
        let dv = validation(KINDS[k], &cell_ref(r, c0))?;
        ws.add_data_validation(r, c0, r, c1, &dv).map_err(xe)?;
    }
    // Highlights: the rules `check` evaluates (one rule set), as conditional formats on the
    // cells its findings name.
    let pos: HashMap<&str, (u32, u16)> = g
        .cells
        .iter()
        .filter_map(|p| match &p.content {
            Content::Value { path, .. } => Some((path.as_str(), (p.row, p.col))),
            _ => None,
        })
        .collect();
    let mut paint = |at: (u32, u16), rule: String| -> Result<()> {
        let cf = ConditionalFormatFormula::new()
            .set_rule(rule.as_str())
            .set_format(&st.bad);
        ws.add_conditional_format(at.0, at.1, at.0, at.1, &cf)
            .map_err(xe)?;
        Ok(())
    };
    for r in crate::check::sum_rules(report) {
        let Some(&at) = pos.get(r.total.as_str()) else {
            continue;
        };
        let parts: Vec<(u32, u16)> = r
            .parts
            .iter()
            .filter_map(|p| pos.get(p.as_str()).copied())
            .collect();
        if parts.is_empty() {
            continue;
        }
        let me = cell_ref(at.0, at.1);
        paint(
            at,
            format!(
                "=AND(ISNUMBER({me}),COUNT({a})>0,{me}<>SUM({a}))",
                a = sum_args(&parts)
            ),
        )?;
    }
    for b in crate::check::balance_rules(report) {
        let cells: Option<Vec<String>> = b
            .left
            .iter()
            .chain(&b.right)
            .map(|p| pos.get(p.as_str()).map(|&(r, c)| cell_ref(r, c)))
            .collect();
        let (Some(cells), Some(&flag)) = (cells, pos.get(b.flag.as_str())) else {
            continue;
        };
        let all: Vec<String> = cells.iter().map(|c| format!("ISNUMBER({c})")).collect();
        paint(
            flag,
            format!(
                "=AND({},{}+{}<>{}+{})",
                all.join(","),
                cells[0],
                cells[1],
                cells[2],
                cells[3]
            ),
        )?;
    }
    for (r, h) in heights {
        ws.set_row_height(r, h).map_err(xe)?;
    }
    ws.set_freeze_panes(g.header_rows, g.label_cols)
        .map_err(xe)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    if g.header_rows > 0 {
        ws.set_repeat_rows(0, g.header_rows - 1).map_err(xe)?;
    }
    ws.set_print_area(0, 0, g.height().max(1) - 1, g.width().max(1) - 1)
        .map_err(xe)?;
    ws.protect();
    Ok(())
}

/// One row of the metadata sheet: field id, Chinese name, value.
struct InfoRow {
    id: String,
    zh: String,
    value: String,
}

/// The metadata sheet's rows: every field of the report's flat record ([`dataset::flatten`])
/// that is not a table cell, so the sheet and the datasets name fields in one place; for legacy
/// reports also each indicator's id by position (the table itself is read by its labels).
fn info_rows(report: &Report) -> Vec<InfoRow> {
    let mut rows: Vec<InfoRow> = dataset::flatten(report, "")
        .into_iter()
        .filter(|i| {
            !matches!(i.value, dataset::Value::Cell(_))
                && i.id != "report_id"
                && i.id != "sections"
                && i.id != "agency_key"
                && !i.id.starts_with("statistics.")
        })
        .map(|i| InfoRow {
            value: i.value.text(),
            id: i.id,
            zh: i.label_zh,
        })
        .collect();
    if let Report::Legacy(r) = report {
        if let Some(s) = &r.statistics {
            for (i, ind) in s.indicators.iter().enumerate() {
                rows.push(InfoRow {
                    id: format!("statistics.{}.id", i + 1),
                    zh: "指标标识".into(),
                    value: ind.id.clone().unwrap_or_default(),
                });
            }
        }
    }
    rows
}

/// Split text into pieces Excel can hold (at most [`CELL_TEXT_LIMIT`] UTF-16 units each), on
/// character boundaries.
fn chunks(s: &str) -> Vec<&str> {
    // A UTF-8 byte is at most one UTF-16 unit: a short text needs no counting.
    if s.len() <= CELL_TEXT_LIMIT {
        return vec![s];
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut units = 0;
    for (i, c) in s.char_indices() {
        if units + c.len_utf16() > CELL_TEXT_LIMIT {
            out.push(&s[start..i]);
            start = i;
            units = 0;
        }
        units += c.len_utf16();
    }
    out.push(&s[start..]);
    out
}

fn draw_info(ws: &mut Worksheet, report: &Report, st: &Styles) -> Result<()> {
    // Printable: item and value fit one page wide, the header repeated on every page; the
    // field ids, for programs, stand in the last column, hidden.
    ws.set_name(INFO_SHEET).map_err(xe)?;
    ws.set_column_width(0, 22.0).map_err(xe)?;
    ws.set_column_width(1, 80.0).map_err(xe)?;
    ws.set_column_width(2, 30.0).map_err(xe)?;
    ws.set_column_hidden(2).map_err(xe)?;
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0).map_err(xe)?;
    ws.set_header("&C报告信息 / Report information");
    ws.set_footer("&C第 &P 页，共 &N 页 / page &P of &N");
    ws.write_string_with_format(0, 0, "项目 / Item", &st.header)
        .map_err(xe)?;
    ws.write_string_with_format(0, 1, "内容 / Value", &st.header)
        .map_err(xe)?;
    ws.write_string_with_format(0, 2, "字段 / Field id", &st.header)
        .map_err(xe)?;
    let text = Format::new()
        .set_font_name(FONT)
        .set_border(FormatBorder::Thin)
        .set_unlocked()
        .set_text_wrap()
        .set_num_format("@")
        .set_align(FormatAlign::Top);
    let mut r = 1u32;
    for row in info_rows(report) {
        for piece in chunks(&row.value) {
            ws.write_string_with_format(r, 0, &row.zh, &st.info_key)
                .map_err(xe)?;
            ws.write_string_with_format(r, 2, &row.id, &st.label)
                .map_err(xe)?;
            let f = if row.id == "report_year" {
                &st.info_value
            } else {
                &text
            };
            if row.id == "report_year" && !piece.is_empty() {
                let y: f64 = piece.parse().unwrap_or(0.0);
                ws.write_number_with_format(r, 1, y, f).map_err(xe)?;
            } else {
                ws.write_string_with_format(r, 1, piece, f).map_err(xe)?;
            }
            if row.id == "edition" {
                let dv = DataValidation::new()
                    .allow_list_strings(&["2021", "2019", "legacy"])
                    .map_err(xe)?;
                ws.add_data_validation(r, 1, r, 1, &dv).map_err(xe)?;
            }
            let lines = (text_width(piece) / 76.0).ceil().clamp(1.0, 400.0);
            if lines > 1.0 {
                ws.set_row_height(r, (15.0 * lines).min(409.0))
                    .map_err(xe)?;
            }
            r += 1;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(xe)?;
    ws.protect();
    Ok(())
}

/// Name of the sheet that explains the colours.
pub const LEGEND_SHEET: &str = "说明";

/// What the colours of the form mean (no numbers on it, so no reader takes it for a table).
fn draw_legend(ws: &mut Worksheet, st: &Styles) -> Result<()> {
    ws.set_name(LEGEND_SHEET).map_err(xe)?;
    ws.set_column_width(0, 16.0).map_err(xe)?;
    ws.set_column_width(1, 90.0).map_err(xe)?;
    ws.set_print_fit_to_pages(1, 0);
    let wrap = Format::new()
        .set_font_name(FONT)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let rows: [(&str, Option<&Format>, &str); 4] = [
        (
            "粉红色 / pink",
            Some(&st.bad),
            "合计与各项之和不符，或第三部分「一 + 二 = 三(七) + 四」不成立。标红的单元格就是 xxgk check 报告的单元格；改正数字后颜色自动消失。\nA total that differs from the sum of its parts, or section 三's balance 一 + 二 = 三(七) + 四 that does not hold. The pink cells are the cells `xxgk check` reports; the colour goes away once the numbers agree.",
        ),
        (
            "灰色底纹 / shaded",
            Some(&st.formula[0]),
            "合计单元格：公式自动求和，也可以直接填写报告上印的数字（与各项之和不符时变为粉红色）。\nTotals: a formula sums the parts; you may type the printed figure instead (it turns pink when it differs from the parts).",
        ),
        (
            "白色 / white",
            Some(&st.input[0]),
            "填写处：留空表示报告中该格为空（不等于零）；可填数字或印刷的符号「/」「-」「无」。\nInput cells: leave blank where the report is blank (blank is not zero); type a number or the printed mark「/」「-」「无」.",
        ),
        (
            "检查 / check",
            None,
            "在本工具的网页中拖入本文件，或运行 xxgk check 文件名.xlsx，可列出所有不符之处及其单元格。\nDrop this file on the xxgk page, or run `xxgk check FILE.xlsx`, to list every finding with its cell.",
        ),
    ];
    ws.write_string_with_format(0, 0, "颜色 / colour", &st.header)
        .map_err(xe)?;
    ws.write_string_with_format(0, 1, "含义 / meaning", &st.header)
        .map_err(xe)?;
    for (i, (name, fmt, text)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        match fmt {
            Some(f) => ws.write_string_with_format(r, 0, *name, f),
            None => ws.write_string_with_format(r, 0, *name, &wrap),
        }
        .map_err(xe)?;
        ws.write_string_with_format(r, 1, *text, &wrap)
            .map_err(xe)?;
        ws.set_row_height(r, 48.0).map_err(xe)?;
    }
    ws.protect();
    Ok(())
}

fn properties(title: &str, edition: Option<Edition>) -> DocProperties {
    let mut p = DocProperties::new()
        .set_title(title)
        .set_comment(
            "xxgk: 政府信息公开工作年度报告 / government information disclosure annual report",
        )
        .set_custom_property("xxgk-schema-version", xxgk_schema::SCHEMA_VERSION);
    if let Some(e) = edition {
        p = p.set_custom_property("xxgk-edition", e.as_str());
    }
    p
}

/// A workbook compressed at zlib level `level` rather than the default 6: deflate is the
/// largest single part of saving (a quarter of writing a form).
fn new_workbook(level: u8) -> Workbook {
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(level);
    wb
}

/// Zlib level of a form: level 1 writes one a fifth faster than level 3 (3.6 against 4.1 ms on
/// seed 000) for a file of 34.8 KB instead of 27.8 KB.
const FORM_ZIP_LEVEL: u8 = 1;

/// Zlib level of a dataset workbook: on 10,000 reports, level 3 saves about a sixth of the time
/// of level 6 for a file 14 % larger (6.6 MB instead of 5.8 MB); level 1 would make it 10.3 MB.
const DATASET_ZIP_LEVEL: u8 = 3;

/// The fillable official-layout workbook of one report.
pub fn report_workbook(report: &Report) -> Result<Vec<u8>> {
    let st = Styles::new();
    let mut wb = new_workbook(FORM_ZIP_LEVEL);
    let title = report
        .info()
        .title
        .clone()
        .unwrap_or_else(|| "政府信息公开工作年度报告".into());
    wb.set_properties(&properties(&title, Some(report.edition())));
    draw_info(wb.add_worksheet(), report, &st)?;
    for (i, g) in layout::grids(report).iter().enumerate() {
        let ws = wb.add_worksheet();
        draw_grid(ws, g, &st, report)?;
        if i == 0 {
            ws.set_active(true);
        }
    }
    draw_legend(wb.add_worksheet(), &st)?;
    wb.save_to_buffer().map_err(xe)
}

/// A blank fillable form of `edition`.
pub fn template(edition: Edition) -> Result<Vec<u8>> {
    report_workbook(&Report::blank_template(edition))
}

/// Many reports as one dataset: one row per report, one column per field (see [`dataset`]).
///
/// Row 1 holds the Chinese labels, row 2 the field ids, then one row per report. Values keep
/// their type: numbers are numbers, marks and text are text, blanks are empty cells. A text
/// longer than a cell can hold is cut, and every cut is returned for the caller to report.
pub fn dataset_workbook(reports: &[Report]) -> Result<(Vec<u8>, Vec<TextCut>)> {
    let report_ids = dataset::report_ids(reports);
    let table = dataset::WideColumns::of(reports, &report_ids);
    dataset_workbook_stream(
        &report_ids,
        &table,
        &mut reports
            .iter()
            .zip(&report_ids)
            .map(|(r, id)| Ok(table.row(r, id))),
    )
}

/// Like [`dataset_workbook`], for the reports' wide rows one at a time (from
/// [`super::stream::Reports::rows`]): `report_ids` and `table` are those of all of them, in order.
pub fn dataset_workbook_stream(
    report_ids: &[String],
    table: &dataset::WideColumns,
    rows: &mut dyn Iterator<Item = std::io::Result<Vec<dataset::Value>>>,
) -> Result<(Vec<u8>, Vec<TextCut>)> {
    let mut cuts = Vec::new();
    let mut wb = new_workbook(DATASET_ZIP_LEVEL);
    wb.set_properties(&properties(
        "政府信息公开工作年度报告 数据集 / dataset",
        None,
    ));
    // The body's font is the workbook's default (宋体 11: 18 px rows, 72 px columns), so that
    // the data cells carry no format of their own: a format per cell cost a hash of the whole
    // format each (a fifth of the writing time).
    let body = Format::new().set_font_name(FONT);
    wb.set_default_format(&body, 18, 72).map_err(xe)?;
    let ws = wb.add_worksheet_with_low_memory().map_err(xe)?;
    ws.set_name(dataset::WIDE_SHEET).map_err(xe)?;
    ws.set_row_height(1, 60.0).map_err(xe)?;
    let head = Format::new().set_font_name(FONT).set_bold().set_text_wrap();
    let ids = Format::new().set_font_name(FONT).set_font_color("808080");
    for (c, col) in table.columns.iter().enumerate() {
        let c = u16::try_from(c).map_err(|_| Error::Write {
            message_zh: "字段过多，超出 Excel 的列数上限".into(),
            message_en: "too many fields for Excel's column limit".into(),
        })?;
        ws.write_string_with_format(0, c, &col.id, &ids)
            .map_err(xe)?;
        let w = if col.id.starts_with("narrative") || col.id == "title" {
            40.0
        } else {
            text_width(&col.label_zh).clamp(8.0, 24.0)
        };
        ws.set_column_width(c, w).map_err(xe)?;
    }
    // Low-memory mode writes rows in order: the id row (as in the CSV), then the label row,
    // then the data.
    for (c, col) in table.columns.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, &col.label_zh, &head)
            .map_err(xe)?;
    }
    for (i, (row, id)) in rows.zip(report_ids).enumerate() {
        let row = row.map_err(|e| Error::Write {
            message_zh: format!("读取暂存的报告失败：{e}"),
            message_en: format!("could not read back a spooled report: {e}"),
        })?;
        let r = u32::try_from(i + 2).map_err(|_| Error::Write {
            message_zh: "报告过多，超出 Excel 的行数上限".into(),
            message_en: "too many reports for Excel's row limit".into(),
        })?;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v {
                dataset::Value::Empty => {}
                dataset::Value::Cell(cell) => write_cell(ws, r, c, cell, None)?,
                dataset::Value::Text(t) => {
                    let pieces = chunks(t);
                    if pieces.len() > 1 {
                        cuts.push(TextCut {
                            report_id: id.clone(),
                            field: table.columns[c as usize].id.clone(),
                            units: t.encode_utf16().count(),
                        });
                    }
                    ws.write_string(r, c, pieces[0]).map_err(xe)?;
                }
                dataset::Value::Int(n) => {
                    ws.write_number(r, c, *n as f64).map_err(xe)?;
                }
            }
        }
    }
    ws.set_freeze_panes(2, 3).map_err(xe)?;
    Ok((wb.save_to_buffer().map_err(xe)?, cuts))
}

/// The warning for texts a dataset workbook cut.
pub fn cuts_message(cuts: &[TextCut]) -> Option<(String, String)> {
    let list: Vec<String> = cuts
        .iter()
        .map(|c| format!("{} {} ({})", c.report_id, c.field, c.units))
        .collect();
    (!cuts.is_empty()).then(|| {
        (
            format!(
                "以下文字超过 Excel 单元格上限（{CELL_TEXT_LIMIT} 个 UTF-16 字符），在数据集工作簿中被截断；完整文字请用 JSON 或 CSV 输出：{}",
                list.join("; ")
            ),
            format!(
                "these texts exceed Excel's cell limit ({CELL_TEXT_LIMIT} UTF-16 units) and were cut in the dataset workbook; use JSON or CSV for the full text: {}",
                list.join("; ")
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sum_args_compresses_runs() {
        assert_eq!(sum_args(&[(4, 3), (4, 4), (4, 5)]), "D5:F5");
        assert_eq!(sum_args(&[(6, 3), (7, 3), (8, 3)]), "D7:D9");
        assert_eq!(sum_args(&[(4, 0), (4, 2)]), "A5,C5");
    }

    #[test]
    fn significant_digits_counts() {
        assert_eq!(significant_digits(&"179092.2001".parse().unwrap()), 10);
        assert_eq!(significant_digits(&"0.05".parse().unwrap()), 1);
        assert_eq!(significant_digits(&"1234567890123456".parse().unwrap()), 16);
    }

    #[test]
    fn cells_join_into_runs_and_rectangles() {
        // Two tags; tag 0 covers B1:C2 and D4, tag 1 covers D1 (beside tag 0's run).
        let cells = vec![
            (0, 0, 1),
            (0, 1, 2),
            (1, 0, 3),
            (0, 0, 2),
            (0, 1, 1),
            (0, 3, 3),
        ];
        assert_eq!(
            row_runs(cells.clone()),
            vec![
                (0, 0, 1, 0, 2),
                (0, 1, 1, 1, 2),
                (0, 3, 3, 3, 3),
                (1, 0, 3, 0, 3)
            ]
        );
        assert_eq!(
            rectangles(cells),
            vec![(0, 0, 1, 1, 2), (0, 3, 3, 3, 3), (1, 0, 3, 0, 3)]
        );
        // Runs of different widths in adjacent rows stay apart; a gap ends a run.
        let cells = vec![(0, 0, 0), (0, 0, 1), (0, 1, 0), (0, 2, 0), (0, 2, 2)];
        assert_eq!(
            rectangles(cells),
            vec![(0, 1, 0, 2, 0), (0, 0, 0, 0, 1), (0, 2, 2, 2, 2)]
        );
    }

    #[test]
    fn column_names() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(11, 26), "AA12");
    }
}
