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

use std::collections::{BTreeMap, HashMap};

use xxgk_schema::{
    Amount, AmountUnit, Cell, Edition, Kind, LegacyIndicator, LegacyStatistics, NarrativeSection,
    Report, Seg, Visit,
};

/// Marker in the first field of a wide table's label row (CSV), so readers can skip it.
pub const LABEL_ROW_MARK: &str = "#";

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

/// The stem a report's id is made from: its source file's stem, or `report-N` (1-based
/// position `index + 1`) when the source is unknown.
pub fn report_stem(report: &Report, index: usize) -> String {
    report
        .info()
        .source
        .as_ref()
        .and_then(|s| s.file.as_deref())
        .map(|f| {
            std::path::Path::new(f)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| f.to_string())
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("report-{}", index + 1))
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

/// The optional part a 2021 report has when its （六） is printed as one row (a mixed form).
const OTHER_AS_ONE_ROW: &str = "applications.results.other_handling.subtotal";

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

/// [`flatten`], optionally without composing the Chinese labels of cells (the costly part when
/// only values are needed).
fn flatten_with(report: &Report, report_id: &str, labels: bool) -> Vec<Item> {
    let info = report.info();
    let mut out = Vec::new();
    let mut push = |id: &str, zh: &str, value: Value| {
        out.push(Item {
            id: id.into(),
            label_zh: zh.into(),
            value,
        })
    };
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
                for (i, c) in s.value_columns.iter().enumerate() {
                    push(
                        &format!("statistics.columns.{}", i + 1),
                        "数值列表头",
                        Value::Text(c.clone()),
                    );
                }
                for (pos, ind) in s.indicators.iter().enumerate() {
                    let key = ind.key(pos);
                    push(
                        &format!("statistics.{key}.position"),
                        "指标序号",
                        Value::Int(pos as i64 + 1),
                    );
                    push(
                        &format!("statistics.{key}.label"),
                        "指标名称",
                        Value::Text(ind.label.clone()),
                    );
                    push(
                        &format!("statistics.{key}.group"),
                        "所属分组",
                        text(&ind.group),
                    );
                    push(
                        &format!("statistics.{key}.unit"),
                        "计量单位",
                        text(&ind.unit),
                    );
                    for (c, v) in ind.values.iter().enumerate() {
                        let col = s.value_columns.get(c).cloned().unwrap_or_default();
                        push(
                            &format!("statistics.{key}.c{}", c + 1),
                            &format!("{}·{}", ind.label, col),
                            Value::Cell(v.0.clone()),
                        );
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
            for (id, zh, c) in cells {
                let is_amount =
                    id == "proactive_disclosure.art20_item9.centralized_procurement.total_amount";
                push(&id, &zh, Value::Cell(c));
                if is_amount {
                    if let Report::E2019(r) = report {
                        let unit = r
                            .proactive_disclosure
                            .as_ref()
                            .and_then(|p| p.art20_item9.centralized_procurement.total_amount_unit);
                        push(
                            PROCUREMENT_UNIT,
                            "采购总金额的单位",
                            match unit {
                                Some(AmountUnit::Yuan) => Value::Text("yuan".into()),
                                Some(AmountUnit::TenThousandYuan) => Value::Text("10k_yuan".into()),
                                None => Value::Empty,
                            },
                        );
                    }
                }
            }
        }
    }
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

    /// One report's row: a value per column.
    pub fn row(&self, report: &Report, report_id: &str) -> Vec<Value> {
        let mut row = vec![Value::Empty; self.columns.len()];
        for item in flatten_with(report, report_id, false) {
            if let Some(&i) = self.index.get(&item.id) {
                row[i] = item.value;
            }
        }
        row
    }
}

/// [`WideColumns`] built one report at a time, so a batch can hand its reports to a writer as
/// they are read and still know every column before the first row is written.
#[derive(Debug, Default)]
pub struct WideColumnsBuilder {
    columns: Vec<Column>,
    narrative: Vec<Column>,
    known: std::collections::HashSet<String>,
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
            if !self.known.insert(item.id.clone()) {
                continue;
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

    /// The columns: fields in order of first appearance, narrative last.
    pub fn finish(self) -> WideColumns {
        let mut columns = self.columns;
        columns.extend(self.narrative);
        let index = columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        WideColumns { columns, index }
    }
}

/// Header of the long (tidy) table.
pub const LONG_HEADER: [&str; 11] = [
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
/// blank cell is a row with an empty value); metadata and narrative are rows of section `info`.
pub fn long_rows(report: &Report, report_id: &str) -> Vec<[String; 11]> {
    let info = report.info();
    let agency = info.agency.clone().unwrap_or_default();
    let year = info.report_year.map(|y| y.to_string()).unwrap_or_default();
    let edition = report.edition().as_str().to_string();
    let units: HashMap<String, String> = match report {
        Report::Legacy(r) => r
            .statistics
            .iter()
            .flat_map(|s| s.indicators.iter().enumerate())
            .filter_map(|(i, ind)| ind.unit.clone().map(|u| (ind.key(i), u)))
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
    let mut labels: HashMap<String, String> = HashMap::new();
    if let Report::Legacy(r) = report {
        if let Some(s) = &r.statistics {
            for (i, ind) in s.indicators.iter().enumerate() {
                labels.insert(ind.key(i), ind.label.clone());
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
            cell_labels.insert(xxgk_schema::dotted(p), (row, col));
        }
    });
    for item in flatten(report, report_id) {
        if matches!(
            item.id.as_str(),
            "report_id" | "agency" | "report_year" | "edition"
        ) {
            continue;
        }
        let (section, row_id, column_id, row_label, column_label, unit) = match &item.value {
            Value::Cell(_) => {
                let (section, rest) = item.id.split_once('.').unwrap_or((&item.id, ""));
                let (row_id, col) = rest.rsplit_once('.').unwrap_or(("", rest));
                let (rl, cl, unit) = if section == "statistics" {
                    let ci: usize = col.trim_start_matches('c').parse().unwrap_or(0);
                    (
                        labels.get(row_id).cloned().unwrap_or_default(),
                        columns.get(ci.wrapping_sub(1)).cloned().unwrap_or_default(),
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
        if section == "info" && matches!(item.value, Value::Empty) {
            continue;
        }
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
            item.value.text(),
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

/// Rebuild a report from `(field id, text)` pairs (the inverse of [`flatten`] after
/// [`Value::text`]). Empty texts mean "not given". Unknown fields are an error.
pub fn unflatten(fields: &[(String, String)]) -> Result<Report, FieldError> {
    let get = |id: &str| {
        fields
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, v)| v.trim())
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
    if file.is_some() || format.is_some() || url.is_some() {
        info.source = Some(xxgk_schema::Source { file, format, url });
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
                    .find(|(k, _)| *k == format!("narrative.{i}.heading")),
                fields
                    .iter()
                    .find(|(k, _)| *k == format!("narrative.{i}.text")),
            ) {
                let text = t.map(|t| t.1.clone()).unwrap_or_default();
                // Sections that only other reports of a wide table have are empty here.
                if h.1.is_empty() && text.is_empty() {
                    break;
                }
                r.narrative.push(NarrativeSection {
                    heading: h.1.clone(),
                    text,
                });
                i += 1;
            }
        }
    }
    known.push(PROCUREMENT_UNIT);
    let mut set: HashMap<&str, &str> = HashMap::new();
    for (k, v) in fields {
        set.insert(k, v);
    }
    let mut err = None;
    let mut seen = std::collections::HashSet::new();
    report.visit_mut(&mut Vec::new(), &mut |p, c, k| {
        let id = xxgk_schema::dotted(p);
        if let Some(v) = set.get(id.as_str()) {
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
        seen.insert(id);
    });
    if let Some(e) = err {
        return Err(e);
    }
    for (k, v) in fields {
        let k = k.as_str();
        let ok = known.contains(&k)
            || seen.contains(k)
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

fn legacy_from(fields: &[(String, String)]) -> Result<LegacyStatistics, FieldError> {
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
            columns.insert(n, v.clone());
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
            "label" => ind.label = v.clone(),
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
pub fn from_long(rows: &[Vec<String>]) -> Result<Vec<Report>, (usize, FieldError)> {
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<(usize, String, String)>> = HashMap::new();
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
            .push((i, field, get(10)));
    }
    order
        .into_iter()
        .map(|id| {
            let g = &groups[&id];
            let fields: Vec<(String, String)> =
                g.iter().map(|(_, k, v)| (k.clone(), v.clone())).collect();
            unflatten(&fields).map_err(|e| {
                let at = g
                    .iter()
                    .find(|(_, k, _)| *k == e.field)
                    .map(|x| x.0)
                    .unwrap_or(g[0].0);
                (at + 1, e)
            })
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
        // 161 + 22 cells, none dropped for being blank.
        assert_eq!(rows.iter().filter(|r| r[4] != "info").count(), 161 + 22);
        let back = from_long(&rows).unwrap();
        assert_eq!(back, vec![r]);
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
