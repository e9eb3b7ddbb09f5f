//! Reports as flat records: the one place that turns a report into `(field id, value)` pairs and
//! back. The wide table (one row per report, one column per field), the long table (one row per
//! value) and their CSV and xlsx forms are all built on it.
//!
//! Field ids are the report's dotted cell paths (`applications.new_applications.total`), plus
//! `report_id`, `edition`, `sections` (which tables the report has), `schema_version`, metadata
//! (`agency`, `report_year`, `title`, `published_date`, `source.file`, `source.format`,
//! `source.url`), narrative (`narrative.general` …; legacy `narrative.N.heading`/`.text`) and, for
//! the 2019 procurement amount, its unit. Legacy indicators carry their printed label, group and
//! unit as `statistics.<key>.label` / `.group` / `.unit`, and value-column headers as
//! `statistics.columns.N`.
//!
//! Must not touch files or formats: CSV and xlsx readers and writers call into it.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use xxgk_schema::{
    Amount, AmountUnit, Cell, Edition, Kind, LegacyIndicator, LegacyStatistics, NarrativeSection,
    Report, Seg, Visit,
};

/// Marker in the first field of a wide table's label row (CSV), so readers can skip it.
pub const LABEL_ROW_MARK: &str = "#";

/// Where each cell of a wide row stands: the report's dotted cell paths (as
/// [`unflatten`] files them) by the index of their column in `header`, for origins of findings.
pub fn cell_columns(header: &[String], edition: &str) -> Vec<(usize, String)> {
    let e2021 = edition == "2021";
    header
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            h.starts_with("proactive_disclosure.")
                || h.starts_with("applications.")
                || h.starts_with("review_litigation.")
                || h.starts_with("statistics.")
        })
        .map(|(i, h)| (i, one_row_path(h, e2021).unwrap_or_else(|| h.clone())))
        .collect()
}

/// The schema's path of a wide-table field that is the 2021 （六） as one row
/// (`…other_handling.<column>` → `…other_handling.subtotal.<column>`); `None` for any other
/// field, or when the report is not on the 2021 form.
fn one_row_path(field: &str, e2021: bool) -> Option<String> {
    let col = field.strip_prefix(OTHER_HANDLING_ROW)?.strip_prefix('.')?;
    (e2021 && !col.contains('.')).then(|| format!("{OTHER_AS_ONE_ROW}.{col}"))
}

/// [`cell_columns`] of one header, computed once per edition (a dataset's rows share them).
#[derive(Debug, Default)]
pub struct CellColumns {
    header: Vec<String>,
    by_edition: Vec<(String, Vec<(usize, String)>)>,
    shared: Vec<(String, SharedCells)>,
}

/// Cell paths with their sheet columns, shared by every row of one edition.
pub type SharedCells = std::sync::Arc<Vec<(String, u32)>>;

impl CellColumns {
    /// For this header.
    pub fn new(header: Vec<String>) -> CellColumns {
        CellColumns {
            header,
            by_edition: Vec::new(),
            shared: Vec::new(),
        }
    }

    /// The cell paths of `edition` with their sheet columns (`column(i)` for header index `i`),
    /// made once per edition and shared by every row.
    pub fn shared(&mut self, edition: &str, column: impl Fn(usize) -> u32) -> SharedCells {
        if let Some((_, s)) = self.shared.iter().find(|(e, _)| e == edition) {
            return s.clone();
        }
        let cells: Vec<(String, u32)> = self
            .get(edition)
            .iter()
            .map(|(i, p)| (p.clone(), column(*i)))
            .collect();
        let s = std::sync::Arc::new(cells);
        self.shared.push((edition.to_string(), s.clone()));
        s
    }

    /// The cell paths by column index for a report of `edition`.
    pub fn get(&mut self, edition: &str) -> &[(usize, String)] {
        let at = match self.by_edition.iter().position(|(e, _)| e == edition) {
            Some(i) => i,
            None => {
                let cols = cell_columns(&self.header, edition);
                self.by_edition.push((edition.to_string(), cols));
                self.by_edition.len() - 1
            }
        };
        &self.by_edition[at].1
    }
}

/// Whether a row of a dataset sheet (cells by column) is the label row that follows the id row
/// (its `report_id` cell reads `报告标识`, or `#` as in the CSV form).
pub fn is_label_row(ids: &[(u32, String)], cells: &[(u32, String)]) -> bool {
    let Some(col) = ids.iter().find(|(_, id)| id == "report_id").map(|x| x.0) else {
        return false;
    };
    cells
        .iter()
        .find(|(c, _)| *c == col)
        .is_some_and(|(_, t)| t == "报告标识" || t == LABEL_ROW_MARK)
}

/// Sheet name of the wide dataset in xlsx.
pub const WIDE_SHEET: &str = "reports";

/// One value of a flat record.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing (a field this report does not have).
    Empty,
    /// A table cell: blank, number or mark.
    Cell(Cell),
    /// Text (metadata, narrative, labels).
    Text(String),
    /// An integer (report year).
    Int(i64),
}

impl Value {
    /// The canonical text form (as written to CSV).
    pub fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Cell(c) => c.display().into_owned(),
            Value::Text(t) => t.clone(),
            Value::Int(n) => n.to_string(),
        }
    }
}

/// Text that a spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`, or starting with a
/// tab or carriage return) is written to CSV with a leading `'`, as spreadsheets expect; so is
/// text that itself starts with `'`, so that reading strips exactly one and loses nothing.
/// Numbers are never escaped (a negative count stays a number).
pub fn escape_formula(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// The inverse of [`escape_formula`], for CSV read back.
pub fn unescape_formula(field: &str) -> &str {
    match field.strip_prefix('\'') {
        Some(rest)
            if rest
                .chars()
                .next()
                .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r' | '\'')) =>
        {
            rest
        }
        _ => field,
    }
}

/// A column of a dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Field id.
    pub id: String,
    /// Chinese label.
    pub label_zh: String,
}

/// One field of a flat record.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Field id.
    pub id: String,
    /// Chinese label (for headers).
    pub label_zh: String,
    /// Value.
    pub value: Value,
    /// Computed by xxgk, not printed (the 2021 （六）其他处理 as one row, for the panel).
    pub derived: bool,
    /// Whether the wide table has a column for it (not so for legacy indicators without a
    /// canonical id: they are rows of the long table, and in [`LEGACY_LAYOUT`]).
    pub wide: bool,
}

impl Item {
    /// A printed field with a column of its own in the wide table.
    fn wide(id: String, label_zh: String, value: Value) -> Item {
        Item {
            id,
            label_zh,
            value,
            derived: false,
            wide: true,
        }
    }
}

/// A wide table: one row per report.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Columns, in order.
    pub columns: Vec<Column>,
    /// One row per report, one value per column.
    pub rows: Vec<Vec<Value>>,
}

const SECTIONS: [&str; 4] = [
    "proactive_disclosure",
    "applications",
    "review_litigation",
    "statistics",
];
const PROCUREMENT_UNIT: &str =
    "proactive_disclosure.art20_item9.centralized_procurement.total_amount_unit";

/// Identifiers for each report in a list: the source file's stem, made unique with `#n`, or
/// `report-N` when the source is unknown.
pub fn report_ids(reports: &[Report]) -> Vec<String> {
    let stems: Vec<String> = reports
        .iter()
        .enumerate()
        .map(|(i, r)| report_stem(r, i))
        .collect();
    unique_ids(&stems)
}

/// The id a report gets in a dataset, before repeats are told apart: its source file's stem
/// and 8 hex digits of a hash of its source (the file's path relative to the batch, the file's
/// SHA-256, and its part when the file holds several), e.g. `000-3f9a1c07`. It depends on the
/// report alone, so ids are the same whatever the order of the inputs, and two files named
/// `000.txt` in different folders get different ids. A report without a recorded SHA-256
/// (a hand-written JSON) gets its stem, or `report-N` (1-based position `index + 1`) when the
/// source is unknown.
pub fn report_stem(report: &Report, index: usize) -> String {
    let src = report.info().source.as_ref();
    let file = src
        .and_then(|s| s.file.as_deref())
        .filter(|f| !f.is_empty());
    let stem = file
        .map(|f| {
            let last = f.rsplit(['/', '\\']).next().unwrap_or(f);
            std::path::Path::new(last)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| last.to_string())
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("report-{}", index + 1));
    match src.and_then(|s| s.sha256.as_deref()) {
        Some(sha) => {
            use sha2::Digest;
            let mut h = sha2::Sha256::new();
            h.update(file.unwrap_or("").as_bytes());
            h.update([0]);
            h.update(sha.as_bytes());
            h.update([0]);
            h.update(src.and_then(|s| s.part).unwrap_or(0).to_le_bytes());
            let d = h.finalize();
            format!("{stem}-{:02x}{:02x}{:02x}{:02x}", d[0], d[1], d[2], d[3])
        }
        None => match src.and_then(|s| s.part) {
            Some(p) => format!("{stem}-{p}"),
            None => stem,
        },
    }
}

/// The agency name as a key that joins one agency's reports across years: whitespace and
/// brackets removed, full-width forms folded, `管理委员会` written `管委会`, and a trailing
/// `办公室` dropped after `人民政府` or `管委会` (the office publishes the government's report).
pub fn agency_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = name
        .nfkc()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '(' | ')'
                        | '['
                        | ']'
                        | '【'
                        | '】'
                        | '〔'
                        | '〕'
                        | '《'
                        | '》'
                        | '“'
                        | '”'
                        | '"'
                )
        })
        .collect();
    let mut k = folded.replace("管理委员会", "管委会");
    for stem in ["人民政府办公室", "管委会办公室"] {
        if k.ends_with(stem) {
            k.truncate(k.len() - "办公室".len());
        }
    }
    k
}

/// Ids from stems, made unique with `#n` where a stem repeats.
pub fn unique_ids(stems: &[String]) -> Vec<String> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for s in stems {
        *count.entry(s).or_default() += 1;
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    stems
        .iter()
        .map(|s| {
            if count[s.as_str()] > 1 {
                let n = seen.entry(s).or_default();
                *n += 1;
                format!("{s}#{n}")
            } else {
                s.clone()
            }
        })
        .collect()
}

/// The Chinese label of a cell path, e.g. `三、本年度办理结果·（三）不予公开·1.属于国家秘密·自然人`.
fn path_label(path: &[Seg]) -> String {
    path.iter()
        .filter_map(|s| match s {
            Seg::Field(f) => Some(f.zh),
            Seg::Key(_) => None,
        })
        .collect::<Vec<_>>()
        .join("·")
}

/// Field of a legacy report that holds its printed layout as JSON: the value-column headers and,
/// in printed order, each indicator's canonical id (or null), label, group and unit — and the
/// values of indicators without a canonical id, which have no columns of their own. With it a
/// legacy report reads back from the wide table exactly as printed.
pub const LEGACY_LAYOUT: &str = "statistics.layout";

/// Each indicator's key in a dataset: its canonical id (the first indicator with that id), or
/// `row_N` (1-based position).
pub fn legacy_keys(s: &LegacyStatistics) -> Vec<String> {
    let mut seen: Vec<&str> = Vec::new();
    s.indicators
        .iter()
        .enumerate()
        .map(
            |(pos, ind)| match ind.id.as_deref().filter(|id| !seen.contains(id)) {
                Some(id) => {
                    seen.push(id);
                    id.to_string()
                }
                None => format!("row_{}", pos + 1),
            },
        )
        .collect()
}

fn legacy_layout(s: &LegacyStatistics) -> String {
    let inds: Vec<serde_json::Value> = legacy_keys(s)
        .iter()
        .zip(&s.indicators)
        .map(|(key, ind)| {
            let canonical = (!key.starts_with("row_")).then_some(key.as_str());
            let mut v = serde_json::json!({
                "id": canonical,
                "label": ind.label,
                "group": ind.group,
                "unit": ind.unit,
                "n": ind.values.len(),
            });
            if canonical.is_none() {
                v["id_printed"] = serde_json::json!(ind.id);
                v["values"] = serde_json::json!(ind
                    .values
                    .iter()
                    .map(|c| c.0.display().into_owned())
                    .collect::<Vec<_>>());
            }
            v
        })
        .collect();
    serde_json::json!({ "value_columns": s.value_columns, "indicators": inds }).to_string()
}

/// [`value_column_names`] of a legacy table: as many as its longest indicator has values.
fn legacy_value_names(s: &LegacyStatistics) -> Vec<String> {
    let n = s.indicators.iter().map(|i| i.values.len()).max();
    value_column_names(&s.value_columns, n.unwrap_or(0))
}

/// Names of a legacy table's value columns, from their printed headers: `cumulative` (历年累计),
/// `previous_year` (上年), `this_year` (the first other one: 数量, 2015年度, 本年), `cN` for the
/// rest; `n` at least.
pub fn value_column_names(headers: &[String], n: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in 0..headers.len().max(n) {
        let h = headers.get(i).map(String::as_str).unwrap_or("");
        let want = if h.is_empty() {
            format!("c{}", i + 1)
        } else if h.contains("累计") {
            "cumulative".into()
        } else if h.contains("上年") || h.contains("去年") {
            "previous_year".into()
        } else {
            "this_year".into()
        };
        if out.contains(&want) {
            out.push(format!("c{}", i + 1));
        } else {
            out.push(want);
        }
    }
    out
}

/// The optional part a 2021 report has when its （六） is printed as one row (a mixed form).
const OTHER_AS_ONE_ROW: &str = "applications.results.other_handling.subtotal";

/// The dataset columns of （六）其他处理 as one row: the 2019 form's row, which the 2021 form
/// splits into three sub-rows. A 2021 report's printed one-row （六） (a mixed form) is stored
/// under these ids, and otherwise they hold the sum of the three sub-rows, marked as derived;
/// so a panel across editions has one column per section 三 cell.
pub const OTHER_HANDLING_ROW: &str = "applications.results.other_handling";

/// For a 2021 report's cells (in form order): move a printed one-row （六） to the panel ids
/// ([`OTHER_HANDLING_ROW`]`.<column>`), or add the sum of the three sub-rows there; returns the
/// ids whose values are derived: all of them (a column whose three parts are not all numbers is
/// derived as blank), as none is printed on the report's form.
fn panel_other_handling(cells: &mut Vec<(String, String, Cell)>) -> Vec<String> {
    let sub = format!("{OTHER_AS_ONE_ROW}.");
    if cells.iter().any(|c| c.0.starts_with(&sub)) {
        for c in cells.iter_mut() {
            if let Some(col) = c.0.strip_prefix(&sub) {
                c.0 = format!("{OTHER_HANDLING_ROW}.{col}");
                c.1 = c.1.replace("·（六）其他处理（印为一行）", "");
            }
        }
        return Vec::new();
    }
    let parts = ["correction_overdue", "fee_unpaid", "other"];
    let prefix = |p: &str| format!("{OTHER_HANDLING_ROW}.{p}.");
    let last_part = prefix(parts[2]);
    let Some(end) = cells.iter().rposition(|c| c.0.starts_with(&last_part)) else {
        return Vec::new();
    };
    let mut added = Vec::new();
    let mut derived = Vec::new();
    for c in cells.iter().filter(|c| c.0.starts_with(&last_part)) {
        let col = &c.0[last_part.len()..];
        let mut sum = Some(rust_decimal::Decimal::ZERO);
        for p in parts {
            let id = format!("{}{col}", prefix(p));
            let v = cells.iter().find(|c| c.0 == id).map(|c| &c.2);
            sum = match (sum, v) {
                (Some(s), Some(Cell::Number(n))) => Some(s + *n),
                _ => None,
            };
        }
        let id = format!("{OTHER_HANDLING_ROW}.{col}");
        let mut label: Vec<&str> = c.1.split('·').collect();
        if label.len() >= 2 {
            label.remove(label.len() - 2);
        }
        let label = label.join("·");
        derived.push(id.clone());
        let cell = match sum {
            Some(s) => Cell::Number(s),
            None => Cell::Blank,
        };
        added.push((id, label, cell));
    }
    let tail = cells.split_off(end + 1);
    cells.extend(added);
    cells.extend(tail);
    derived
}

/// The tables a report has, by section id, in form order (and the optional one-row （六） of a
/// mixed form, so that it comes back even when all its cells are blank).
fn present_sections(report: &Report) -> Vec<&'static str> {
    let mut v = present_tables(report);
    if let Report::E2021(r) = report {
        if r.applications
            .as_ref()
            .is_some_and(|a| a.results.other_handling.subtotal.is_some())
        {
            v.push(OTHER_AS_ONE_ROW);
        }
    }
    v
}

fn present_tables(report: &Report) -> Vec<&'static str> {
    match report {
        Report::E2021(r) => [
            r.proactive_disclosure.is_some(),
            r.applications.is_some(),
            r.review_litigation.is_some(),
            false,
        ],
        Report::E2019(r) => [
            r.proactive_disclosure.is_some(),
            r.applications.is_some(),
            r.review_litigation.is_some(),
            false,
        ],
        Report::Legacy(r) => [false, false, false, r.statistics.is_some()],
    }
    .iter()
    .zip(SECTIONS)
    .filter(|(p, _)| **p)
    .map(|(_, s)| s)
    .collect()
}

/// A report as a flat record, in a stable order: identity, metadata, cells (form order),
/// narrative.
pub fn flatten(report: &Report, report_id: &str) -> Vec<Item> {
    flatten_with(report, report_id, true)
}

/// The items of a report that the wide table can have a column for (no Chinese labels): what
/// [`WideColumns::row`] places. The `report_id` item holds no id yet (the row gets it).
pub fn wide_items(report: &Report) -> Vec<Item> {
    let mut items = flatten_with(report, "", false);
    items.retain(|it| it.wide);
    items
}

/// [`flatten`], optionally without composing the Chinese labels of cells (the costly part when
/// only values are needed).
fn flatten_with(report: &Report, report_id: &str, labels: bool) -> Vec<Item> {
    let info = report.info();
    let mut out = Vec::new();
    let mut derived_ids: Vec<String> = Vec::new();
    let mut push =
        |id: &str, zh: &str, value: Value| out.push(Item::wide(id.into(), zh.into(), value));
    let text = |s: &Option<String>| match s {
        Some(t) => Value::Text(t.clone()),
        None => Value::Empty,
    };
    push("report_id", "报告标识", Value::Text(report_id.into()));
    push(
        "edition",
        "表格版本",
        Value::Text(report.edition().as_str().into()),
    );
    push("agency", "机关名称", text(&info.agency));
    push(
        "agency_key",
        "机关名称（规范化，用于跨年关联）",
        match &info.agency {
            Some(a) => Value::Text(agency_key(a)),
            None => Value::Empty,
        },
    );
    push(
        "report_year",
        "报告年度",
        info.report_year
            .map(|y| Value::Int(y.into()))
            .unwrap_or(Value::Empty),
    );
    push("title", "报告标题", text(&info.title));
    push("published_date", "发布日期", text(&info.published_date));
    let src = info.source.clone().unwrap_or_default();
    push("source.file", "来源文件", text(&src.file));
    push("source.format", "来源格式", text(&src.format));
    push("source.url", "来源网址", text(&src.url));
    push("source.sha256", "来源文件的 SHA-256", text(&src.sha256));
    push(
        "source.part",
        "文件中的第几份报告",
        src.part
            .map(|p| Value::Int(p.into()))
            .unwrap_or(Value::Empty),
    );
    let present = present_sections(report);
    push("sections", "包含的表格", Value::Text(present.join(" ")));
    push(
        "schema_version",
        "数据格式版本",
        Value::Text(info.schema_version.clone()),
    );

    match report {
        Report::Legacy(r) => {
            if let Some(s) = &r.statistics {
                push(
                    LEGACY_LAYOUT,
                    "旧版统计表的版式（数值列表头、指标名称、分组、单位）",
                    Value::Text(legacy_layout(s)),
                );
                let names = legacy_value_names(s);
                for (key, ind) in legacy_keys(s).into_iter().zip(&s.indicators) {
                    // By indicator: a recognized indicator's values are columns named by its
                    // id and the value column (`statistics.applications_total.this_year`);
                    // others are rows of the long table only (and in the layout).
                    let canonical = !key.starts_with("row_");
                    for (c, v) in ind.values.iter().enumerate() {
                        let col = s.value_columns.get(c).cloned().unwrap_or_default();
                        out.push(Item {
                            id: format!("statistics.{key}.{}", names[c]),
                            label_zh: format!("{}·{}", ind.label, col),
                            value: Value::Cell(v.0.clone()),
                            derived: false,
                            wide: canonical,
                        });
                    }
                }
            }
        }
        _ => {
            let mut cells = Vec::new();
            report.visit(&mut Vec::new(), &mut |p, c, _| {
                let label = if labels { path_label(p) } else { String::new() };
                cells.push((xxgk_schema::dotted(p), label, c.clone()))
            });
            if let Report::E2021(_) = report {
                derived_ids = panel_other_handling(&mut cells);
            }
            out.reserve(cells.len() + 4);
            for (id, label_zh, c) in cells {
                let is_amount =
                    id == "proactive_disclosure.art20_item9.centralized_procurement.total_amount";
                // Moved, not copied: a report has some 200 cells.
                out.push(Item::wide(id, label_zh, Value::Cell(c)));
                if is_amount {
                    if let Report::E2019(r) = report {
                        let unit = r
                            .proactive_disclosure
                            .as_ref()
                            .and_then(|p| p.art20_item9.centralized_procurement.total_amount_unit);
                        out.push(Item::wide(
                            PROCUREMENT_UNIT.into(),
                            "采购总金额的单位".into(),
                            match unit {
                                Some(AmountUnit::Yuan) => Value::Text("yuan".into()),
                                Some(AmountUnit::TenThousandYuan) => Value::Text("10k_yuan".into()),
                                None => Value::Empty,
                            },
                        ));
                    }
                }
            }
        }
    }
    if !derived_ids.is_empty() {
        for item in out.iter_mut() {
            if derived_ids.contains(&item.id) {
                item.derived = true;
            }
        }
    }
    let mut push = |id: &str, zh: &str, value: Value| {
        out.push(Item {
            id: id.into(),
            label_zh: zh.into(),
            value,
            derived: false,
            wide: true,
        })
    };
    match report {
        Report::E2021(r) => narrative(&mut push, &r.narrative),
        Report::E2019(r) => narrative(&mut push, &r.narrative),
        Report::Legacy(r) => {
            for (i, s) in r.narrative.iter().enumerate() {
                push(
                    &format!("narrative.{}.heading", i + 1),
                    "正文标题",
                    Value::Text(s.heading.clone()),
                );
                push(
                    &format!("narrative.{}.text", i + 1),
                    "正文内容",
                    Value::Text(s.text.clone()),
                );
            }
        }
    }
    out
}

fn narrative(push: &mut impl FnMut(&str, &str, Value), n: &xxgk_schema::Narrative) {
    let text = |s: &Option<String>| match s {
        Some(t) => Value::Text(t.clone()),
        None => Value::Empty,
    };
    push("narrative.general", "一、总体情况", text(&n.general));
    push(
        "narrative.problems_and_improvements",
        "五、存在的主要问题及改进情况",
        text(&n.problems_and_improvements),
    );
    push(
        "narrative.other_matters",
        "六、其他需要报告的事项",
        text(&n.other_matters),
    );
}

/// Many reports as a wide table. Columns are the union of the reports' fields, in order of
/// first appearance (narrative last), so a dataset of one edition has only that edition's
/// columns.
pub fn wide(reports: &[Report]) -> Table {
    let ids = report_ids(reports);
    let cols = WideColumns::of(reports, &ids);
    let rows = reports
        .iter()
        .zip(&ids)
        .map(|(r, id)| cols.row(r, id))
        .collect();
    Table {
        columns: cols.columns,
        rows,
    }
}

/// The columns of a wide table, computed once; rows are then made one report at a time (so a
/// writer can stream them without holding the whole table).
#[derive(Debug, Clone)]
pub struct WideColumns {
    /// Columns, in order.
    pub columns: Vec<Column>,
    index: rustc_hash::FxHashMap<String, usize>,
    cells: Vec<bool>,
}

impl WideColumns {
    /// The union of the reports' fields, in order of first appearance, narrative last.
    pub fn of(reports: &[Report], ids: &[String]) -> WideColumns {
        let mut b = WideColumnsBuilder::default();
        for (r, id) in reports.iter().zip(ids) {
            b.add(r, id);
        }
        b.finish()
    }

    /// One report's row: a value per column. Cell columns hold numbers only: a cell printed as
    /// a mark (`/`, `-`, `无`) is blank in its column and listed in [`MARKS`]; values xxgk
    /// computed are listed in [`DERIVED`].
    pub fn row(&self, report: &Report, report_id: &str) -> Vec<Value> {
        self.place(
            wide_items(report)
                .into_iter()
                .map(|it| (it.id, it.derived, it.value)),
            report_id,
        )
    }

    /// A row from a report's [`wide_items`] as `(id, derived, value)` (what [`Self::row`] does
    /// after flattening; a spool that kept the items instead of the report calls it directly).
    /// The `report_id` item's value is replaced by `report_id`.
    pub fn place<S: AsRef<str>>(
        &self,
        items: impl IntoIterator<Item = (S, bool, Value)>,
        report_id: &str,
    ) -> Vec<Value> {
        let mut row = vec![Value::Empty; self.columns.len()];
        let mut marks = String::new();
        let mut derived = String::new();
        for (id, is_derived, value) in items {
            let id = id.as_ref();
            let Some(&i) = self.index.get(id) else {
                continue;
            };
            if is_derived {
                if !derived.is_empty() {
                    derived.push(' ');
                }
                derived.push_str(id);
            }
            match value {
                Value::Cell(Cell::Mark(m)) => {
                    if !marks.is_empty() {
                        marks.push(';');
                    }
                    marks.push_str(id);
                    marks.push('=');
                    marks.push_str(m.as_str());
                }
                _ if id == "report_id" => row[i] = Value::Text(report_id.into()),
                v => row[i] = v,
            }
        }
        for (id, text) in [(MARKS, marks), (DERIVED, derived)] {
            if let (Some(&i), false) = (self.index.get(id), text.is_empty()) {
                row[i] = Value::Text(text);
            }
        }
        row
    }

    /// The columns of the reports table beside a long table: these without the cells and
    /// without [`MARKS`] and [`DERIVED`] (the long table has its own `mark` and `derived`).
    pub fn without_cells(&self) -> WideColumns {
        let columns: Vec<Column> = self
            .columns
            .iter()
            .enumerate()
            .filter(|(i, c)| !self.is_cell_column(*i) && c.id != MARKS && c.id != DERIVED)
            .map(|(_, c)| c.clone())
            .collect();
        let index = columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        let cells = vec![false; columns.len()];
        WideColumns {
            columns,
            index,
            cells,
        }
    }

    /// Whether a column holds table cells (numbers) rather than text.
    pub fn is_cell_column(&self, index: usize) -> bool {
        self.cells.get(index).copied().unwrap_or(false)
    }
}

/// The order of the columns that have no fixed place (legacy indicators and narrative), the
/// same whatever the order of the reports: value-column headers first, then indicators with a
/// canonical id (by id), then unrecognized rows (`row_N`, by N); within an indicator its
/// position, label, group, unit, then its values `c1`, `c2`, …; legacy narrative by section.
fn open_order(id: &str) -> (u8, String, u32, u32) {
    let num = |s: &str| s.parse::<u32>().unwrap_or(u32::MAX);
    if let Some(rest) = id.strip_prefix("statistics.") {
        if rest == "layout" {
            return (0, String::new(), 0, 0);
        }
        if let Some(n) = rest.strip_prefix("columns.") {
            return (0, String::new(), num(n), 0);
        }
        let (key, attr) = rest.rsplit_once('.').unwrap_or((rest, ""));
        let attr_rank = match attr {
            "position" => 0,
            "label" => 1,
            "group" => 2,
            "unit" => 3,
            "this_year" => 4,
            "previous_year" => 5,
            "cumulative" => 6,
            c => c.strip_prefix('c').map(num).map_or(u32::MAX, |n| 7 + n),
        };
        return match key.strip_prefix("row_") {
            Some(n) if n.parse::<u32>().is_ok() => (2, String::new(), num(n), attr_rank),
            _ => (1, key.to_string(), 0, attr_rank),
        };
    }
    if let Some(rest) = id.strip_prefix("narrative.") {
        let (n, part) = rest.split_once('.').unwrap_or((rest, ""));
        return (3, String::new(), num(n), u32::from(part == "text"));
    }
    (4, id.to_string(), 0, 0)
}

/// The fixed order of a wide table's columns: identity and metadata, then the cells of both
/// editions in form order (2019-only fields where the 2019 form prints them), then narrative.
/// Legacy indicators, which have no fixed list, follow in order of first appearance.
fn canonical_rank() -> &'static rustc_hash::FxHashMap<String, usize> {
    static RANK: std::sync::OnceLock<rustc_hash::FxHashMap<String, usize>> =
        std::sync::OnceLock::new();
    RANK.get_or_init(|| {
        let ids = |e: Edition| -> Vec<String> {
            let mut r = Report::blank_template(e);
            if e == Edition::E2021 {
                r.ensure_path(OTHER_AS_ONE_ROW);
            }
            flatten_with(&r, "", false)
                .into_iter()
                .map(|i| i.id)
                .filter(|id| !id.starts_with("narrative."))
                .collect()
        };
        let mut list = ids(Edition::E2021);
        let at = |list: &Vec<String>, id: &str| list.iter().position(|x| x == id);
        let e2019 = ids(Edition::E2019);
        for (j, id) in e2019.iter().enumerate() {
            if at(&list, id).is_some() {
                continue;
            }
            let after = if j == 0 {
                None
            } else {
                at(&list, &e2019[j - 1])
            };
            match after {
                Some(k) => list.insert(k + 1, id.clone()),
                None => list.push(id.clone()),
            }
        }
        for (k, id) in [MARKS, DERIVED].into_iter().enumerate() {
            let after = at(&list, "schema_version").map(|i| i + 1 + k).unwrap_or(0);
            list.insert(after, id.to_string());
        }
        list.extend(
            [
                "narrative.general",
                "narrative.problems_and_improvements",
                "narrative.other_matters",
            ]
            .map(String::from),
        );
        list.into_iter()
            .enumerate()
            .map(|(i, id)| (id, i))
            .collect()
    })
}

/// [`WideColumns`] built one report at a time, so a batch can hand its reports to a writer as
/// they are read and still know every column before the first row is written.
#[derive(Debug, Default)]
pub struct WideColumnsBuilder {
    columns: Vec<Column>,
    narrative: Vec<Column>,
    known: std::collections::HashSet<String>,
    cell_ids: std::collections::HashSet<String>,
    seen_shapes: Vec<(xxgk_schema::Edition, Vec<&'static str>)>,
}

impl WideColumnsBuilder {
    /// Take the fields of the next report.
    pub fn add(&mut self, report: &Report, report_id: &str) {
        // Every 2021 (or 2019) report with the same tables has the same fields: look at one of
        // each; legacy reports each have their own indicators.
        let e = report.edition();
        if e != xxgk_schema::Edition::Legacy {
            let shape = (e, present_sections(report));
            if self.seen_shapes.contains(&shape) {
                return;
            }
            self.seen_shapes.push(shape);
        }
        for item in flatten(report, report_id) {
            if !item.wide || !self.known.insert(item.id.clone()) {
                continue;
            }
            if matches!(item.value, Value::Cell(_)) {
                self.cell_ids.insert(item.id.clone());
            }
            let col = Column {
                id: item.id,
                label_zh: item.label_zh,
            };
            if col.id.starts_with("narrative.") {
                self.narrative.push(col);
            } else {
                self.columns.push(col);
            }
        }
    }

    /// The columns, in the fixed order of [`canonical_rank`] (so the same whatever the order of
    /// the reports), legacy indicators in order of first appearance, narrative last. The
    /// [`MARKS`] and [`DERIVED`] columns are always there.
    pub fn finish(mut self) -> WideColumns {
        for (id, zh) in [
            (MARKS, "印为记号的格（字段=记号）"),
            (DERIVED, "由 xxgk 计算而非印出的字段"),
        ] {
            if self.known.insert(id.to_string()) {
                self.columns.push(Column {
                    id: id.into(),
                    label_zh: zh.into(),
                });
            }
        }
        let rank = canonical_rank();
        let key = |c: &Column| {
            (
                rank.get(&c.id).copied().unwrap_or(usize::MAX),
                open_order(&c.id),
            )
        };
        self.columns.sort_by_cached_key(key);
        self.narrative.sort_by_cached_key(key);
        let mut columns = self.columns;
        columns.extend(self.narrative);
        let index = columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        let cells = columns
            .iter()
            .map(|c| self.cell_ids.contains(&c.id))
            .collect();
        WideColumns {
            columns,
            index,
            cells,
        }
    }
}

/// Header of the long (tidy) table: one row per table cell. `value` holds numbers only (empty
/// for a blank cell or a mark), `mark` the printed mark (`/`, `-`, `无`), `derived` whether xxgk
/// computed the value ([`OTHER_HANDLING_ROW`]). Metadata and narrative are not in it: they are
/// the reports table ([`WideColumns::without_cells`]).
pub const LONG_HEADER: [&str; 13] = [
    "report_id",
    "agency",
    "report_year",
    "edition",
    "section",
    "row_id",
    "column_id",
    "row_label",
    "column_label",
    "unit",
    "value",
    "mark",
    "derived",
];

/// The long table's header before version 0.2 (marks in `value`, metadata and narrative as rows
/// of section `info`): still read.
pub const LONG_HEADER_V1: [&str; 11] = [
    "report_id",
    "agency",
    "report_year",
    "edition",
    "section",
    "row_id",
    "column_id",
    "row_label",
    "column_label",
    "unit",
    "value",
];

/// One report as rows of the long table ([`LONG_HEADER`]). Table cells give one row each (a
/// blank cell is a row with an empty value).
pub fn long_rows(report: &Report, report_id: &str) -> Vec<[String; 13]> {
    let info = report.info();
    let agency = info.agency.clone().unwrap_or_default();
    let year = info.report_year.map(|y| y.to_string()).unwrap_or_default();
    let edition = report.edition().as_str().to_string();
    let units: HashMap<String, String> = match report {
        Report::Legacy(r) => r
            .statistics
            .iter()
            .flat_map(|s| legacy_keys(s).into_iter().zip(&s.indicators))
            .filter_map(|(k, ind)| ind.unit.clone().map(|u| (k, u)))
            .collect(),
        _ => HashMap::new(),
    };
    let columns: Vec<String> = match report {
        Report::Legacy(r) => r
            .statistics
            .as_ref()
            .map(|s| s.value_columns.clone())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let value_names: Vec<String> = match report {
        Report::Legacy(r) => r
            .statistics
            .as_ref()
            .map(legacy_value_names)
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut labels: HashMap<String, String> = HashMap::new();
    if let Report::Legacy(r) = report {
        if let Some(s) = &r.statistics {
            for (k, ind) in legacy_keys(s).into_iter().zip(&s.indicators) {
                labels.insert(k, ind.label.clone());
            }
        }
    }
    let mut out = Vec::new();
    let mut cell_labels: HashMap<String, (String, String)> = HashMap::new();
    report.visit(&mut Vec::new(), &mut |p, _, _| {
        let fields: Vec<&str> = p
            .iter()
            .filter_map(|s| match s {
                Seg::Field(f) => Some(f.zh),
                Seg::Key(_) => None,
            })
            .collect();
        if fields.len() >= 2 {
            let col = fields[fields.len() - 1].to_string();
            let row = fields[1..fields.len() - 1].join("·");
            let id = xxgk_schema::dotted(p);
            // The one-row （六） of a mixed 2021 form stands under the panel ids.
            let sub = format!("{OTHER_AS_ONE_ROW}.");
            if let Some(c) = id.strip_prefix(&sub) {
                let row = row.replace("·（六）其他处理（印为一行）", "");
                cell_labels.insert(format!("{OTHER_HANDLING_ROW}.{c}"), (row, col));
            } else {
                // Derived panel cells have their 2021 sub-rows' group as row label.
                if id.starts_with(&format!("{OTHER_HANDLING_ROW}.other.")) {
                    let group = fields[1..fields.len() - 2].join("·");
                    cell_labels.insert(
                        format!(
                            "{OTHER_HANDLING_ROW}.{}",
                            p.last().map(|s| s.id()).unwrap_or("")
                        ),
                        (group, col.clone()),
                    );
                }
                cell_labels.insert(id, (row, col));
            }
        }
    });
    for item in flatten(report, report_id) {
        if !matches!(item.value, Value::Cell(_)) {
            continue;
        }
        let (section, row_id, column_id, row_label, column_label, unit) = match &item.value {
            Value::Cell(_) => {
                let (section, rest) = item.id.split_once('.').unwrap_or((&item.id, ""));
                let (row_id, col) = rest.rsplit_once('.').unwrap_or(("", rest));
                let (rl, cl, unit) = if section == "statistics" {
                    let ci = value_names.iter().position(|n| n == col);
                    (
                        labels.get(row_id).cloned().unwrap_or_default(),
                        ci.and_then(|i| columns.get(i)).cloned().unwrap_or_default(),
                        units.get(row_id).cloned().unwrap_or_default(),
                    )
                } else {
                    let (rl, cl) = cell_labels.get(&item.id).cloned().unwrap_or_default();
                    let unit = if col == "fee_amount_this_year_10k_cny" {
                        "万元".to_string()
                    } else if col == "total_amount" {
                        match report {
                            Report::E2019(r) => {
                                match r.proactive_disclosure.as_ref().and_then(|p| {
                                    p.art20_item9.centralized_procurement.total_amount_unit
                                }) {
                                    Some(AmountUnit::Yuan) => "元".into(),
                                    Some(AmountUnit::TenThousandYuan) => "万元".into(),
                                    None => String::new(),
                                }
                            }
                            _ => String::new(),
                        }
                    } else {
                        String::new()
                    };
                    (rl, cl, unit)
                };
                (
                    section.to_string(),
                    row_id.to_string(),
                    col.to_string(),
                    rl,
                    cl,
                    unit,
                )
            }
            _ => (
                "info".to_string(),
                item.id.clone(),
                String::new(),
                item.label_zh.clone(),
                String::new(),
                String::new(),
            ),
        };
        let (value, mark) = match &item.value {
            Value::Cell(Cell::Mark(m)) => (String::new(), m.as_str().to_string()),
            v => (v.text(), String::new()),
        };
        out.push([
            report_id.to_string(),
            agency.clone(),
            year.clone(),
            edition.clone(),
            section,
            row_id,
            column_id,
            row_label,
            column_label,
            unit,
            value,
            mark,
            if item.derived { "TRUE" } else { "FALSE" }.to_string(),
        ]);
    }
    out
}

/// Why a flat record could not be turned back into a report: the field and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    /// The field id.
    pub field: String,
    /// Chinese message.
    pub zh: String,
    /// English message.
    pub en: String,
}

fn ferr(field: &str, zh: String, en: String) -> FieldError {
    FieldError {
        field: field.into(),
        zh,
        en,
    }
}

/// One field of a flattened report as read: its id and text, borrowed from the row unless the
/// wide table's own forms changed them ([`undo_dataset_forms`]).
type Field<'a> = (Cow<'a, str>, Cow<'a, str>);

/// Rebuild a report from `(field id, text)` pairs (the inverse of [`flatten`] after
/// [`Value::text`]). Empty texts mean "not given". Unknown fields are an error.
///
/// The pairs may be owned or borrowed (`(String, String)`, `(&str, &str)`): a dataset reader
/// can hand a row's texts with the header's ids without copying either.
pub fn unflatten<K: AsRef<str>, V: AsRef<str>>(fields: &[(K, V)]) -> Result<Report, FieldError> {
    let fields: Vec<Field<'_>> = fields
        .iter()
        .map(|(k, v)| (Cow::Borrowed(k.as_ref()), Cow::Borrowed(v.as_ref())))
        .collect();
    unflatten_fields(undo_dataset_forms(fields)?)
}

fn unflatten_fields(fields: Vec<Field<'_>>) -> Result<Report, FieldError> {
    let fields: &[Field<'_>] = &fields;
    // Field id → its index in `fields`, the last of repeated ids winning for cells (as it
    // always did); `get` takes the first, so with repeated ids it looks them up in order.
    let mut set: rustc_hash::FxHashMap<&str, usize> = Default::default();
    set.reserve(fields.len());
    let mut repeated = false;
    for (i, (k, _)) in fields.iter().enumerate() {
        repeated |= set.insert(k.as_ref(), i).is_some();
    }
    let get = |id: &str| {
        if repeated {
            fields
                .iter()
                .find(|(k, _)| k.as_ref() == id)
                .map(|(_, v)| v.as_ref())
        } else {
            set.get(id).map(|&i| fields[i].1.as_ref())
        }
        .map(str::trim)
        .filter(|v| !v.is_empty())
    };
    let edition: Edition = match get("edition") {
        Some(e) => e.parse().map_err(|_| {
            ferr(
                "edition",
                format!("版本「{e}」无效，应为 2021、2019 或 legacy"),
                format!("edition {e:?} is not one of 2021, 2019, legacy"),
            )
        })?,
        None => {
            return Err(ferr(
                "edition",
                "缺少表格版本（edition）".into(),
                "the edition is missing".into(),
            ))
        }
    };
    let sections: Vec<&str> = get("sections")
        .map(|s| s.split_whitespace().collect())
        .unwrap_or_default();
    let mut report = Report::empty(edition);
    let info = report.info_mut();
    let owned = |id: &str| get(id).map(str::to_string);
    info.agency = owned("agency");
    info.report_year = match get("report_year") {
        Some(y) => Some(y.trim_end_matches(".0").parse().map_err(|_| {
            ferr(
                "report_year",
                format!("报告年度「{y}」不是年份"),
                format!("report year {y:?} is not a year"),
            )
        })?),
        None => None,
    };
    if let Some(v) = owned("schema_version") {
        info.schema_version = v;
    }
    info.title = owned("title");
    info.published_date = owned("published_date");
    let (file, format, url) = (
        owned("source.file"),
        owned("source.format"),
        owned("source.url"),
    );
    let sha256 = owned("source.sha256");
    let part = match get("source.part") {
        Some(p) => Some(p.trim_end_matches(".0").parse::<u32>().map_err(|_| {
            ferr(
                "source.part",
                format!("「{p}」不是正整数"),
                format!("{p:?} is not a positive whole number"),
            )
        })?),
        None => None,
    };
    if file.is_some() || format.is_some() || url.is_some() || sha256.is_some() || part.is_some() {
        info.source = Some(xxgk_schema::Source {
            file,
            format,
            url,
            sha256,
            part,
        });
    }
    let mut known: Vec<&str> = vec![
        "report_id",
        "edition",
        "sections",
        "schema_version",
        "agency",
        "report_year",
        "title",
        "published_date",
        "source.file",
        "source.format",
        "source.url",
        "source.sha256",
        "source.part",
        "agency_key",
        "marks",
        "derived",
    ];
    match &mut report {
        Report::E2021(r) => {
            if sections.contains(&"proactive_disclosure") {
                r.proactive_disclosure = Some(Default::default());
            }
            if sections.contains(&"applications") {
                r.applications = Some(Default::default());
            }
            if sections.contains(&"review_litigation") {
                r.review_litigation = Some(Default::default());
            }
            r.narrative = narrative_from(&get);
        }
        Report::E2019(_) => {}
        Report::Legacy(_) => {}
    }
    if sections.contains(&OTHER_AS_ONE_ROW) {
        report.ensure_path(OTHER_AS_ONE_ROW);
    }
    match &mut report {
        Report::E2021(_) => {}
        Report::E2019(r) => {
            if sections.contains(&"proactive_disclosure") {
                let mut p = xxgk_schema::ProactiveDisclosure2019::default();
                p.art20_item9.centralized_procurement.total_amount_unit =
                    match get(PROCUREMENT_UNIT) {
                        Some("yuan") => Some(AmountUnit::Yuan),
                        Some("10k_yuan") => Some(AmountUnit::TenThousandYuan),
                        None => None,
                        Some(other) => {
                            return Err(ferr(
                                PROCUREMENT_UNIT,
                                format!("单位「{other}」无效，应为 yuan 或 10k_yuan"),
                                format!("unit {other:?} is not yuan or 10k_yuan"),
                            ))
                        }
                    };
                r.proactive_disclosure = Some(p);
            }
            if sections.contains(&"applications") {
                r.applications = Some(Default::default());
            }
            if sections.contains(&"review_litigation") {
                r.review_litigation = Some(Default::default());
            }
            r.narrative = narrative_from(&get);
        }
        Report::Legacy(r) => {
            if sections.contains(&"statistics") {
                r.statistics = Some(legacy_from(fields)?);
            }
            let mut i = 1;
            while let (Some(h), t) = (
                fields
                    .iter()
                    .find(|(k, _)| k.as_ref() == format!("narrative.{i}.heading")),
                fields
                    .iter()
                    .find(|(k, _)| k.as_ref() == format!("narrative.{i}.text")),
            ) {
                let text = t.map(|t| t.1.to_string()).unwrap_or_default();
                // Sections that only other reports of a wide table have are empty here.
                if h.1.is_empty() && text.is_empty() {
                    break;
                }
                r.narrative.push(NarrativeSection {
                    heading: h.1.to_string(),
                    text,
                });
                i += 1;
            }
        }
    }
    known.push(PROCUREMENT_UNIT);
    let mut err = None;
    // The fields that name a cell of the report, by index (the last of repeated ids).
    let mut seen = vec![false; fields.len()];
    let mut id = String::new();
    report.visit_mut(&mut Vec::new(), &mut |p, c, k| {
        xxgk_schema::dotted_into(p, &mut id);
        if let Some(&i) = set.get(id.as_str()) {
            seen[i] = true;
            let v = fields[i].1.as_ref();
            match parse_cell(v, k) {
                Some(cell) => *c = cell,
                None if err.is_none() => {
                    err = Some(ferr(
                        &id,
                        format!("「{v}」不是有效的数值（应为数字、空白或 / - 无）"),
                        format!("{v:?} is not a valid value (a number, blank, or / - 无)"),
                    ))
                }
                None => {}
            }
        }
    });
    if let Some(e) = err {
        return Err(e);
    }
    for (k, v) in fields {
        let k = k.as_ref();
        let ok = set.get(k).is_some_and(|&i| seen[i])
            || known.contains(&k)
            || k.starts_with("narrative.")
            || (edition == Edition::Legacy && k.starts_with("statistics."));
        if !ok && !v.trim().is_empty() {
            return Err(ferr(
                k,
                format!("字段「{k}」不属于 {edition} 版报告（或该表格未标明包含在 sections 中）"),
                format!("field {k:?} is not part of a {edition} report (or its table is not listed in `sections`)"),
            ));
        }
    }
    Ok(report)
}

/// Column of a wide table that lists the cells printed as marks, `field=mark` separated by `;`
/// (e.g. `applications.new_applications.natural_person=/`), so that every cell column holds
/// numbers only.
pub const MARKS: &str = "marks";

/// Column of a wide table that lists, separated by spaces, the fields whose values xxgk
/// computed instead of reading them (see [`OTHER_HANDLING_ROW`]).
pub const DERIVED: &str = "derived";

/// The wide table's own forms back to plain fields: marks from [`MARKS`] put back in their
/// cells, derived values ([`DERIVED`]) dropped, and a 2021 report's one-row （六） moved back
/// to its place in the schema.
fn undo_dataset_forms(fields: Vec<Field<'_>>) -> Result<Vec<Field<'_>>, FieldError> {
    let value_of = |k: &str| {
        fields
            .iter()
            .find(|(f, _)| f.as_ref() == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let marks = value_of(MARKS);
    let derived = value_of(DERIVED);
    let one_row_other = value_of("edition") == "2021"
        && fields.iter().any(|(f, _)| one_row_path(f, true).is_some());
    if marks.is_empty() && derived.is_empty() && !one_row_other {
        // Nothing of the wide table's own forms: the fields are the report's as they are.
        return Ok(fields);
    }
    let mut out = fields;
    for pair in marks.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((id, mark)) = pair.split_once('=') else {
            return Err(ferr(
                MARKS,
                format!("「{pair}」应写作 字段=记号"),
                format!("{pair:?} should read field=mark"),
            ));
        };
        let (id, mark) = (id.trim(), mark.trim());
        match out.iter_mut().find(|(f, _)| f.as_ref() == id) {
            Some(f) if f.1.trim().is_empty() => f.1 = Cow::Owned(mark.to_string()),
            Some(_) => {
                return Err(ferr(
                    id,
                    format!("该格同时有数值和记号「{mark}」"),
                    format!("the cell has both a number and the mark {mark:?}"),
                ))
            }
            None => out.push((Cow::Owned(id.to_string()), Cow::Owned(mark.to_string()))),
        }
    }
    let derived: Vec<&str> = derived.split_whitespace().collect();
    for f in out.iter_mut() {
        if derived.contains(&f.0.as_ref()) {
            f.1 = Cow::Borrowed("");
        }
    }
    if one_row_other {
        for f in out.iter_mut() {
            if let Some(p) = one_row_path(&f.0, true) {
                f.0 = Cow::Owned(p);
            }
        }
    }
    Ok(out)
}

fn parse_cell(v: &str, kind: Kind) -> Option<Cell> {
    let t = v.trim();
    // Spreadsheet numbers come back as floats: `12.0`.
    let t = t
        .strip_suffix(".0")
        .filter(|s| !s.contains('.'))
        .unwrap_or(t);
    let c = Cell::parse_canonical(t)?;
    if let (Cell::Number(d), Kind::Count | Kind::Signed) = (&c, kind) {
        if !d.fract().is_zero() {
            return None;
        }
    }
    Some(c)
}

fn narrative_from<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> xxgk_schema::Narrative {
    xxgk_schema::Narrative {
        general: get("narrative.general").map(str::to_string),
        problems_and_improvements: get("narrative.problems_and_improvements").map(str::to_string),
        other_matters: get("narrative.other_matters").map(str::to_string),
    }
}

/// A legacy table from its layout ([`LEGACY_LAYOUT`]) and its value fields.
fn legacy_from_layout(layout: &str, fields: &[Field<'_>]) -> Result<LegacyStatistics, FieldError> {
    #[derive(serde::Deserialize)]
    struct Ind {
        id: Option<String>,
        label: String,
        group: Option<String>,
        unit: Option<String>,
        n: usize,
        #[serde(default)]
        id_printed: Option<String>,
        #[serde(default)]
        values: Vec<String>,
    }
    #[derive(serde::Deserialize)]
    struct Layout {
        value_columns: Vec<String>,
        indicators: Vec<Ind>,
    }
    let l: Layout = serde_json::from_str(layout).map_err(|e| {
        ferr(
            LEGACY_LAYOUT,
            format!("版式不是有效的 JSON：{e}"),
            format!("the layout is not valid JSON: {e}"),
        )
    })?;
    let names = value_column_names(
        &l.value_columns,
        l.indicators.iter().map(|i| i.n).max().unwrap_or(0),
    );
    let get = |k: &str| {
        fields
            .iter()
            .find(|(f, _)| f.as_ref() == k)
            .map(|(_, v)| v.as_ref())
    };
    let mut indicators = Vec::with_capacity(l.indicators.len());
    for (pos, ind) in l.indicators.into_iter().enumerate() {
        let key = match &ind.id {
            Some(id) => id.clone(),
            None => format!("row_{}", pos + 1),
        };
        let mut values = Vec::with_capacity(ind.n);
        for (c, name) in names.iter().enumerate().take(ind.n) {
            let id = format!("statistics.{key}.{name}");
            let text =
                get(&id).unwrap_or_else(|| ind.values.get(c).map(String::as_str).unwrap_or(""));
            let cell = parse_cell(text, Kind::Amount).ok_or_else(|| {
                ferr(
                    &id,
                    format!("「{text}」不是有效的数值（应为数字、空白或 / - 无）"),
                    format!("{text:?} is not a valid value (a number, blank, or / - 无)"),
                )
            })?;
            values.push(Amount(cell));
        }
        indicators.push(LegacyIndicator {
            id: ind.id.or(ind.id_printed),
            label: ind.label,
            group: ind.group,
            unit: ind.unit,
            values,
        });
    }
    Ok(LegacyStatistics {
        value_columns: l.value_columns,
        indicators,
    })
}

fn legacy_from(fields: &[Field<'_>]) -> Result<LegacyStatistics, FieldError> {
    if let Some((_, layout)) = fields
        .iter()
        .find(|(k, v)| k.as_ref() == LEGACY_LAYOUT && !v.trim().is_empty())
    {
        return legacy_from_layout(layout, fields);
    }
    let mut columns: BTreeMap<usize, String> = BTreeMap::new();
    // Indicators in order of first appearance.
    let mut order: Vec<String> = Vec::new();
    let mut inds: HashMap<String, LegacyIndicator> = HashMap::new();
    let mut values: HashMap<String, BTreeMap<usize, Cell>> = HashMap::new();
    let mut positions: HashMap<String, usize> = HashMap::new();
    for (k, v) in fields {
        let Some(rest) = k.strip_prefix("statistics.") else {
            continue;
        };
        if let Some(n) = rest.strip_prefix("columns.") {
            let n: usize = n.parse().map_err(|_| {
                ferr(
                    k,
                    format!("字段「{k}」无效"),
                    format!("field {k:?} is not valid"),
                )
            })?;
            columns.insert(n, v.to_string());
            continue;
        }
        let Some((key, attr)) = rest.rsplit_once('.') else {
            return Err(ferr(
                k,
                format!("字段「{k}」无效"),
                format!("field {k:?} is not valid"),
            ));
        };
        if !inds.contains_key(key) {
            order.push(key.to_string());
            let id = (!(key.starts_with("row_") && key[4..].parse::<usize>().is_ok()))
                .then(|| key.to_string());
            inds.insert(
                key.to_string(),
                LegacyIndicator {
                    id,
                    ..Default::default()
                },
            );
        }
        let ind = inds.get_mut(key).expect("inserted");
        let opt = |v: &str| (!v.trim().is_empty()).then(|| v.to_string());
        match attr {
            "position" => {
                if let Ok(p) = v.trim().trim_end_matches(".0").parse::<usize>() {
                    positions.insert(key.to_string(), p);
                }
            }
            "label" => ind.label = v.to_string(),
            "group" => ind.group = opt(v),
            "unit" => ind.unit = opt(v),
            c if c.starts_with('c') && c[1..].parse::<usize>().is_ok() => {
                let n: usize = c[1..].parse().expect("checked");
                let cell = parse_cell(v, Kind::Amount).ok_or_else(|| {
                    ferr(
                        k,
                        format!("「{v}」不是有效的数值（应为数字、空白或 / - 无）"),
                        format!("{v:?} is not a valid value (a number, blank, or / - 无)"),
                    )
                })?;
                values.entry(key.to_string()).or_default().insert(n, cell);
            }
            _ => {
                return Err(ferr(
                    k,
                    format!("字段「{k}」无效"),
                    format!("field {k:?} is not valid"),
                ))
            }
        }
    }
    // In a wide table of several reports, columns of other reports' indicators and value
    // columns are empty here: keep only this report's (an indicator always has a label).
    let value_columns: Vec<String> = columns.into_values().filter(|c| !c.is_empty()).collect();
    let width = value_columns.len();
    // The printed order, where it was recorded.
    order.sort_by_key(|k| positions.get(k).copied().unwrap_or(usize::MAX));
    let indicators = order
        .into_iter()
        .filter_map(|key| {
            let mut ind = inds.remove(&key).expect("present");
            if ind.label.is_empty() {
                return None;
            }
            if let Some(vals) = values.remove(&key) {
                let n = vals.keys().max().copied().unwrap_or(0);
                let n = if width > 0 { n.min(width) } else { n };
                ind.values = (1..=n)
                    .map(|i| Amount(vals.get(&i).cloned().unwrap_or(Cell::Blank)))
                    .collect();
            }
            Some(ind)
        })
        .collect();
    Ok(LegacyStatistics {
        value_columns,
        indicators,
    })
}

/// Rebuild reports from long-table rows (the inverse of [`long_rows`]); rows are grouped by
/// `report_id` in order of first appearance. Each error names the 1-based row index it came
/// from (within `rows`).
/// `v1` tells the older form ([`LONG_HEADER_V1`]: marks in `value`, metadata as rows of section
/// `info`) from the current one ([`LONG_HEADER`]: numbers in `value`, marks in `mark`, derived
/// values flagged; only table cells, so a report's tables are those its rows name).
pub fn from_long(rows: &[Vec<String>], v1: bool) -> Result<Vec<Report>, (usize, FieldError)> {
    from_long_with(rows, v1, &ReportsTable::default())
}

/// The reports table written beside a long table: each report's metadata and narrative (its
/// fields, by `report_id`), in the table's order.
#[derive(Debug, Default, Clone)]
pub struct ReportsTable {
    /// Report ids, in order.
    pub order: Vec<String>,
    /// Each report's fields.
    pub rows: HashMap<String, Vec<(String, String)>>,
}

/// [`from_long`], with each report's metadata and narrative from its row of the reports
/// table; the reports come in the table's order, and a report of the table without cells (no
/// tables) is there too.
pub fn from_long_with(
    rows: &[Vec<String>],
    v1: bool,
    table: &ReportsTable,
) -> Result<Vec<Report>, (usize, FieldError)> {
    Ok(from_long_located(rows, v1, table)?
        .into_iter()
        .map(|(r, _)| r)
        .collect())
}

/// A report with the 0-based row index of each of its cells, by the cell's path.
pub type Located = (Report, Vec<(String, usize)>);

/// [`from_long_with`], with the 0-based index in `rows` of each cell's row, by the cell's path
/// in the report (for origins of findings).
pub fn from_long_located(
    rows: &[Vec<String>],
    v1: bool,
    table: &ReportsTable,
) -> Result<Vec<Located>, (usize, FieldError)> {
    let reports = &table.rows;
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<(usize, String, String)>> = HashMap::new();
    let mut tables: HashMap<String, Vec<String>> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let get = |n: usize| row.get(n).cloned().unwrap_or_default();
        let id = get(0);
        if !groups.contains_key(&id) {
            order.push(id.clone());
            groups.insert(
                id.clone(),
                vec![
                    (i, "report_id".into(), id.clone()),
                    (i, "agency".into(), get(1)),
                    (i, "report_year".into(), get(2)),
                    (i, "edition".into(), get(3)),
                ],
            );
        }
        let (section, row_id, col) = (get(4), get(5), get(6));
        if !v1 {
            if get(12).trim().eq_ignore_ascii_case("true") {
                continue;
            }
            let t = tables.entry(id.clone()).or_default();
            let mut parts = vec![section.clone()];
            if row_id == "results.other_handling" && get(3) == "2021" {
                parts.push(OTHER_AS_ONE_ROW.to_string());
            }
            for part in parts {
                if !t.contains(&part) {
                    t.push(part);
                }
            }
            let unit = get(9);
            if col == "total_amount" && get(3) == "2019" && !unit.is_empty() {
                let v = match unit.as_str() {
                    "元" => "yuan",
                    "万元" => "10k_yuan",
                    other => other,
                };
                let g = groups.get_mut(&id).expect("inserted");
                g.push((i, PROCUREMENT_UNIT.into(), v.into()));
            }
        }
        let value = if v1 || get(11).is_empty() {
            get(10)
        } else {
            get(11)
        };
        let field = if section == "info" {
            row_id
        } else if col.is_empty() {
            format!("{section}.{row_id}")
        } else if row_id.is_empty() {
            format!("{section}.{col}")
        } else {
            format!("{section}.{row_id}.{col}")
        };
        groups
            .get_mut(&id)
            .expect("inserted")
            .push((i, field, value));
    }
    for (id, t) in tables {
        let g = groups.get_mut(&id).expect("grouped");
        let at = g[0].0;
        if let Some(meta) = reports.get(&id) {
            for (k, v) in meta {
                if !matches!(
                    k.as_str(),
                    "report_id" | "agency" | "report_year" | "edition" | "sections"
                ) {
                    g.push((at, k.clone(), v.clone()));
                }
            }
        }
        g.push((at, "sections".into(), t.join(" ")));
    }
    if !table.order.is_empty() {
        let long_only: Vec<String> = order
            .into_iter()
            .filter(|id| !table.rows.contains_key(id))
            .collect();
        order = table.order.clone();
        order.extend(long_only);
    }
    order
        .into_iter()
        .map(|id| {
            let Some(g) = groups.get(&id) else {
                return unflatten(&table.rows[&id])
                    .map(|r| (r, Vec::new()))
                    .map_err(|e| (0, e));
            };
            let fields: Vec<(String, String)> =
                g.iter().map(|(_, k, v)| (k.clone(), v.clone())).collect();
            let report = unflatten(&fields).map_err(|e| {
                let at = g
                    .iter()
                    .find(|(_, k, _)| *k == e.field)
                    .map(|x| x.0)
                    .unwrap_or(g[0].0);
                (at + 1, e)
            })?;
            let e2021 = report.edition() == Edition::E2021;
            let located = g
                .iter()
                .filter(|(_, k, _)| {
                    SECTIONS
                        .iter()
                        .any(|s| k.starts_with(s) && k[s.len()..].starts_with('.'))
                })
                .map(|(i, k, _)| (one_row_path(k, e2021).unwrap_or_else(|| k.clone()), *i))
                .collect();
            Ok((report, located))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Report {
        let mut r = Report::blank_template(Edition::E2019);
        r.info_mut().agency = Some("某某局".into());
        r.info_mut().report_year = Some(2020);
        if let Report::E2019(x) = &mut r {
            let p = x.proactive_disclosure.as_mut().unwrap();
            p.art20_item5.administrative_licensing.items_net_change.0 = Cell::int(-58);
            p.art20_item9.centralized_procurement.total_amount.0 =
                Cell::Number("179092.2001".parse().unwrap());
            p.art20_item9.centralized_procurement.total_amount_unit =
                Some(AmountUnit::TenThousandYuan);
            x.applications
                .as_mut()
                .unwrap()
                .new_applications
                .natural_person
                .0 = Cell::Mark(xxgk_schema::Mark::Slash);
            x.review_litigation = None;
            x.narrative.general = Some("总体情况。\n第二段".into());
        }
        r
    }

    #[test]
    fn flatten_then_unflatten_is_identity() {
        let r = sample();
        let fields: Vec<(String, String)> = flatten(&r, "x")
            .into_iter()
            .map(|i| (i.id, i.value.text()))
            .collect();
        assert_eq!(unflatten(&fields).unwrap(), r);
    }

    #[test]
    fn long_rows_round_trip_and_keep_blanks() {
        let r = sample();
        let rows: Vec<Vec<String>> = long_rows(&r, "x").into_iter().map(|a| a.to_vec()).collect();
        // 161 + 22 cells, none dropped for being blank; metadata and narrative are the reports
        // table's, so only agency, year and edition come back from the long table alone.
        assert_eq!(rows.len(), 161 + 22);
        let back = from_long(&rows, false).unwrap();
        let mut tables_only = r.clone();
        if let Report::E2019(x) = &mut tables_only {
            x.narrative = Default::default();
        }
        assert_eq!(back, vec![tables_only]);
        let slash = rows
            .iter()
            .find(|r| r[5] == "new_applications" && r[6] == "natural_person")
            .unwrap();
        assert_eq!((slash[10].as_str(), slash[11].as_str()), ("", "/"));
        let fee = rows
            .iter()
            .find(|r| r[6] == "total_amount")
            .expect("procurement row");
        assert_eq!(fee[9], "万元");
        assert_eq!(fee[7], "第二十条第（九）项·政府集中采购");
    }

    #[test]
    fn bad_values_name_their_field() {
        let mut fields: Vec<(String, String)> = flatten(&sample(), "x")
            .into_iter()
            .map(|i| (i.id, i.value.text()))
            .collect();
        let f = fields
            .iter_mut()
            .find(|(k, _)| k == "applications.new_applications.total")
            .unwrap();
        f.1 = "12.5".into();
        let e = unflatten(&fields).unwrap_err();
        assert_eq!(e.field, "applications.new_applications.total");
    }

    #[test]
    fn report_ids_are_unique() {
        let mut a = Report::empty(Edition::E2021);
        a.info_mut().source = Some(xxgk_schema::Source {
            file: Some("x.txt".into()),
            ..Default::default()
        });
        let ids = report_ids(&[a.clone(), a, Report::empty(Edition::E2019)]);
        assert_eq!(ids, vec!["x#1", "x#2", "report-3"]);
    }
}
