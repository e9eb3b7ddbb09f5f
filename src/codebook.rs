//! The codebook: what every column of a dataset means — its title in Chinese and English, its
//! type, unit, lower bound and the editions that have it — and the Frictionless Data Package
//! (`datapackage.json`) written beside CSV datasets from it.
//!
//! Owns the description of dataset columns; the columns themselves (ids and order) are
//! [`crate::dataset`]'s, the fields the schema crate's. Must not read or write reports.

use serde_json::{json, Value as Json};
use xxgk_schema::{Edition, Kind, Report, Seg, Visit};

use crate::dataset::{self, DERIVED, MARKS, OTHER_HANDLING_ROW};

/// The type of a column, as a Table Schema names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Whole numbers.
    Integer,
    /// Exact decimals (amounts).
    Number,
    /// Text.
    String,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
}

impl FieldType {
    /// The Table Schema name.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::String => "string",
            FieldType::Date => "date",
        }
    }
}

/// One column of the codebook.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Column name (field id).
    pub id: String,
    /// Chinese title.
    pub title_zh: String,
    /// English title.
    pub title_en: String,
    /// Type.
    pub kind: FieldType,
    /// Counts are never negative.
    pub minimum: Option<i64>,
    /// Unit (件, 万元), when the column has one.
    pub unit: Option<&'static str>,
    /// Editions whose reports have the column (`2021`, `2019`, `legacy`); all when empty.
    pub editions: Vec<&'static str>,
    /// More to say, in Chinese and English.
    pub note: Option<(&'static str, &'static str)>,
}

fn meta(id: &str, zh: &str, en: &str, kind: FieldType) -> Entry {
    Entry {
        id: id.into(),
        title_zh: zh.into(),
        title_en: en.into(),
        kind,
        minimum: None,
        unit: None,
        editions: Vec::new(),
        note: None,
    }
}

/// The columns every dataset starts with, and narrative.
fn fixed_entries() -> Vec<Entry> {
    use FieldType::*;
    let mut v = vec![
        meta("report_id", "报告标识", "Report id", String),
        meta("edition", "表格版本", "Edition of the tables", String),
        meta("agency", "机关名称", "Agency", String),
        meta(
            "agency_key",
            "机关名称（规范化）",
            "Agency, normalized to join years",
            String,
        ),
        meta("report_year", "报告年度", "Year reported on", Integer),
        meta("title", "报告标题", "Title", String),
        meta("published_date", "发布日期", "Date published", Date),
        meta("source.file", "来源文件", "Source file", String),
        meta("source.format", "来源格式", "Source format", String),
        meta("source.url", "来源网址", "Source URL", String),
        meta(
            "source.sha256",
            "来源文件的 SHA-256",
            "SHA-256 of the source file",
            String,
        ),
        meta(
            "source.part",
            "文件中的第几份报告",
            "Report number within the file",
            Integer,
        ),
        meta("sections", "包含的表格", "Tables the report has", String),
        meta("schema_version", "数据格式版本", "Schema version", String),
        meta(MARKS, "印为记号的格", "Cells printed as marks", String),
        meta(
            DERIVED,
            "由 xxgk 计算的字段",
            "Fields computed by xxgk",
            String,
        ),
        meta("narrative.general", "一、总体情况", "I. Overview", String),
        meta(
            "narrative.problems_and_improvements",
            "五、存在的主要问题及改进情况",
            "V. Problems and improvements",
            String,
        ),
        meta(
            "narrative.other_matters",
            "六、其他需要报告的事项",
            "VI. Other matters",
            String,
        ),
    ];
    let notes: [(&str, (&str, &str)); 8] = [
        ("report_id", ("来源文件名加来源的哈希，与输入顺序无关", "the source file's stem and a hash of its source: the same whatever the order of the inputs")),
        ("edition", ("2021（2021 年及以后的报告）、2019（2019–2020 年）或 legacy（2008–2018 年）", "2021 (reports on 2021 and later), 2019 (2019–2020) or legacy (2008–2018)")),
        ("agency_key", ("去掉空白与括号、管理委员会写作管委会、人民政府办公室写作人民政府，用于关联同一机关各年的报告", "whitespace and brackets removed, 管理委员会 as 管委会, 人民政府办公室 as 人民政府: joins one agency's reports across years")),
        ("source.file", ("相对于批量输入所在文件夹的路径", "path relative to the folder holding the batch's inputs")),
        ("published_date", ("YYYY-MM-DD", "YYYY-MM-DD")),
        ("sections", ("以空格分隔的表格标识", "space-separated table ids")),
        (MARKS, ("以分号分隔的 字段=记号（/、-、无）；这些格在其数值列中为空", "field=mark pairs (/, -, 无) separated by ';'; these cells are empty in their numeric column")),
        (DERIVED, ("以空格分隔：这些字段不是报告印出的，而是 xxgk 由其他格计算的（2021 年版的（六）其他处理合计）", "space-separated: fields not printed on the report but computed by xxgk from other cells (the 2021 （六）其他处理 as one row)")),
    ];
    for e in &mut v {
        if let Some((_, n)) = notes.iter().find(|(id, _)| *id == e.id) {
            e.note = Some(*n);
        }
        if e.id.starts_with("narrative.") {
            e.editions = vec!["2021", "2019"];
        }
    }
    v
}

/// The cells of the 2021 and 2019 forms (the panel （六） included), with their titles, kinds
/// and editions, in the order of the wide table.
fn cell_entries() -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for e in [Edition::E2021, Edition::E2019] {
        let tag = e.as_str();
        let mut r = Report::blank_template(e);
        if e == Edition::E2021 {
            r.ensure_path("applications.results.other_handling.subtotal");
        }
        r.visit(&mut Vec::new(), &mut |p, _, kind| {
            let mut id = xxgk_schema::dotted(p);
            let mut zh: Vec<&str> = Vec::new();
            let mut en: Vec<&str> = Vec::new();
            for s in p {
                if let Seg::Field(f) = s {
                    if f.id == "subtotal" {
                        continue;
                    }
                    zh.push(f.zh);
                    en.push(f.en);
                }
            }
            if let Some(col) = id.strip_prefix("applications.results.other_handling.subtotal.") {
                id = format!("{OTHER_HANDLING_ROW}.{col}");
            }
            if let Some(x) = out.iter_mut().find(|x| x.id == id) {
                if !x.editions.contains(&tag) {
                    x.editions.push(tag);
                }
                return;
            }
            let (ty, minimum, unit) = match kind {
                Kind::Count => (FieldType::Integer, Some(0), Some("件")),
                Kind::Signed => (FieldType::Integer, None, Some("件")),
                Kind::Amount => (FieldType::Number, Some(0), Some("万元")),
            };
            let unit = if id.ends_with(".total_amount") && e == Edition::E2019 {
                None
            } else {
                unit
            };
            let note = if id.starts_with(&format!("{OTHER_HANDLING_ROW}."))
                && id[OTHER_HANDLING_ROW.len() + 1..].split('.').count() == 1
            {
                Some((
                    "2019 年版印为一行；2021 年版由三个子项相加（列入 derived），印为一行的混合样式照印",
                    "printed as one row on the 2019 form; on the 2021 form the sum of its three sub-rows (listed in `derived`), or as printed on a mixed form",
                ))
            } else if id.ends_with(".total_amount") && e == Edition::E2019 {
                Some((
                    "单位见 total_amount_unit（yuan 元 或 10k_yuan 万元）",
                    "unit in total_amount_unit (yuan or 10k_yuan)",
                ))
            } else {
                None
            };
            out.push(Entry {
                id,
                title_zh: zh.join("·"),
                title_en: en.join(" · "),
                kind: ty,
                minimum,
                unit,
                editions: vec![tag],
                note,
            });
        });
    }
    for x in out.iter_mut() {
        if x.id.starts_with(&format!("{OTHER_HANDLING_ROW}."))
            && x.id[OTHER_HANDLING_ROW.len() + 1..].split('.').count() == 1
            && !x.editions.contains(&"2021")
        {
            x.editions.insert(0, "2021");
        }
    }
    out.push(Entry {
        id: "proactive_disclosure.art20_item9.centralized_procurement.total_amount_unit".into(),
        title_zh: "采购总金额的单位".into(),
        title_en: "Unit of the procurement total".into(),
        kind: FieldType::String,
        minimum: None,
        unit: None,
        editions: vec!["2019"],
        note: Some(("yuan（元）或 10k_yuan（万元）", "yuan or 10k_yuan")),
    });
    out
}

/// The entry for a legacy column (`statistics.<indicator>.…`), from its id.
fn legacy_entry(id: &str) -> Option<Entry> {
    let rest = id.strip_prefix("statistics.")?;
    let mut e = meta(id, "", "", FieldType::String);
    e.editions = vec!["legacy"];
    if rest == "layout" {
        e.title_zh = "旧版统计表的版式（JSON）".into();
        e.title_en = "Printed layout of the legacy table (JSON)".into();
        e.note = Some((
            "数值列表头，按印刷顺序的各指标（规范标识、名称、分组、单位），以及无规范标识指标的数值",
            "value-column headers; the indicators in printed order (canonical id, label, group, unit); the values of indicators without a canonical id",
        ));
        return Some(e);
    }
    let (key, attr) = rest.rsplit_once('.')?;
    if key == "columns" {
        e.title_zh = format!("第 {attr} 个数值列的表头");
        e.title_en = format!("Header of value column {attr}");
        return Some(e);
    }
    match attr {
        "position" => {
            e.kind = FieldType::Integer;
            e.title_zh = format!("{key}：指标序号");
            e.title_en = format!("{key}: position");
        }
        "label" => {
            e.title_zh = format!("{key}：指标名称（原文）");
            e.title_en = format!("{key}: label as printed");
        }
        "group" => {
            e.title_zh = format!("{key}：所属分组");
            e.title_en = format!("{key}: group");
        }
        "unit" => {
            e.title_zh = format!("{key}：计量单位");
            e.title_en = format!("{key}: unit");
        }
        "this_year" | "previous_year" | "cumulative" => {
            e.kind = FieldType::Number;
            let (zh, en) = match attr {
                "this_year" => ("本年度", "this year"),
                "previous_year" => ("上年度", "previous year"),
                _ => ("历年累计", "cumulative"),
            };
            e.title_zh = format!("{key}：{zh}");
            e.title_en = format!("{key}: {en}");
            e.note = Some((
                "单位与原文名称见 statistics.layout",
                "unit and printed label in statistics.layout",
            ));
        }
        c if c.starts_with('c') => {
            e.kind = FieldType::Number;
            e.title_zh = format!("{key}：第 {} 个数值列", &c[1..]);
            e.title_en = format!("{key}: value column {}", &c[1..]);
            e.note = Some((
                "单位见同一指标的 unit 列，列名见 statistics.columns.N",
                "unit in the indicator's unit column, column header in statistics.columns.N",
            ));
        }
        _ => return None,
    }
    Some(e)
}

/// The codebook of every column a 2021 or 2019 dataset can have, in the wide table's order.
pub fn entries() -> Vec<Entry> {
    let fixed = fixed_entries();
    let (narrative, head): (Vec<Entry>, Vec<Entry>) = fixed
        .into_iter()
        .partition(|e| e.id.starts_with("narrative."));
    let mut v = head;
    v.extend(cell_entries());
    v.extend(narrative);
    v
}

/// The entry of one dataset column (legacy columns included).
pub fn entry(id: &str) -> Option<Entry> {
    thread_local! {
        static ALL: Vec<Entry> = entries();
    }
    ALL.with(|all| all.iter().find(|e| e.id == id).cloned())
        .or_else(|| legacy_entry(id))
        .or_else(|| {
            // Legacy narrative: narrative.N.heading / .text.
            let rest = id.strip_prefix("narrative.")?;
            let (n, part) = rest.split_once('.')?;
            let mut e = meta(id, "", "", FieldType::String);
            e.editions = vec!["legacy"];
            (e.title_zh, e.title_en) = match part {
                "heading" => (
                    format!("正文第 {n} 节标题"),
                    format!("Narrative section {n}: heading"),
                ),
                "text" => (
                    format!("正文第 {n} 节内容"),
                    format!("Narrative section {n}: text"),
                ),
                _ => return None,
            };
            Some(e)
        })
}

fn field_json(e: &Entry, name: &str) -> Json {
    let mut f = json!({
        "name": name,
        "title": format!("{} / {}", e.title_zh, e.title_en),
        "type": e.kind.as_str(),
        "x-id": e.id,
        "x-title-zh": e.title_zh,
        "x-title-en": e.title_en,
    });
    let mut desc = format!("{} / {}", e.title_zh, e.title_en);
    if let Some(u) = e.unit {
        f["x-unit"] = json!(u);
        desc.push_str(&format!("。单位 unit: {u}"));
    }
    if !e.editions.is_empty() {
        f["x-editions"] = json!(e.editions);
        desc.push_str(&format!("。版本 editions: {}", e.editions.join(", ")));
    }
    if let Some((zh, en)) = e.note {
        desc.push_str(&format!("。{zh} / {en}"));
    }
    f["description"] = json!(desc);
    if let Some(m) = e.minimum {
        f["constraints"] = json!({ "minimum": m });
    }
    f
}

/// How a CSV resource of a data package is laid out.
#[derive(Debug, Clone)]
pub struct CsvResource {
    /// Resource name (lowercase, `-`, `_`, `.`).
    pub name: String,
    /// Path relative to the data package.
    pub path: String,
    /// Column ids, in order.
    pub columns: Vec<String>,
    /// Header names as written (ids or labels).
    pub header: Vec<String>,
    /// Whether a second header row of labels, starting `#`, follows.
    pub label_row: bool,
    /// Whether the file starts with a byte-order mark.
    pub bom: bool,
    /// Columns that identify a row.
    pub primary_key: Vec<String>,
}

/// The Table Schema of the long table ([`dataset::LONG_HEADER`]).
fn long_fields() -> Vec<Json> {
    let l = |name: &str, zh: &str, en: &str, ty: FieldType, note: &str| {
        json!({
            "name": name,
            "title": format!("{zh} / {en}"),
            "type": ty.as_str(),
            "description": if note.is_empty() { format!("{zh} / {en}") } else { format!("{zh} / {en}。{note}") },
        })
    };
    use FieldType::*;
    vec![
        l("report_id", "报告标识", "Report id", String, ""),
        l("agency", "机关名称", "Agency", String, ""),
        l("report_year", "报告年度", "Year reported on", Integer, ""),
        l(
            "edition",
            "表格版本",
            "Edition",
            String,
            "2021, 2019, legacy",
        ),
        l(
            "section",
            "表格",
            "Table",
            String,
            "proactive_disclosure, applications, review_litigation, statistics",
        ),
        l("row_id", "行标识", "Row id", String, ""),
        l("column_id", "列标识", "Column id", String, ""),
        l("row_label", "行名称", "Row label", String, ""),
        l("column_label", "列名称", "Column label", String, ""),
        l("unit", "单位", "Unit", String, "件, 万元, 元 …"),
        l(
            "value",
            "数值",
            "Value",
            Number,
            "空白格与记号格为空 / empty for blank cells and marks",
        ),
        l("mark", "记号", "Mark", String, "/ - 无"),
        {
            let mut d = l(
                "derived",
                "由 xxgk 计算",
                "Computed by xxgk",
                String,
                "TRUE / FALSE",
            );
            d["type"] = json!("boolean");
            d
        },
    ]
}

/// A Frictionless Data Package describing CSV resources written by xxgk.
pub fn data_package(resources: &[CsvResource], long: Option<&CsvResource>) -> Json {
    let mut res: Vec<Json> = Vec::new();
    let dialect = |r: &CsvResource| {
        let mut d = json!({ "delimiter": ",", "lineTerminator": "\r\n", "header": true });
        if r.label_row {
            d["commentChar"] = json!("#");
        }
        d
    };
    for r in resources {
        let fields: Vec<Json> = r
            .columns
            .iter()
            .zip(&r.header)
            .map(|(id, name)| {
                let e = entry(id).unwrap_or_else(|| meta(id, id, id, FieldType::String));
                field_json(&e, name)
            })
            .collect();
        let mut schema = json!({ "fields": fields, "missingValues": [""] });
        if !r.primary_key.is_empty() {
            schema["primaryKey"] = json!(r.primary_key);
        }
        res.push(json!({
            "name": r.name,
            "path": r.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": if r.bom { "utf-8-sig" } else { "utf-8" },
            "dialect": dialect(r),
            "schema": schema,
        }));
    }
    if let Some(l) = long {
        res.push(json!({
            "name": l.name,
            "path": l.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": if l.bom { "utf-8-sig" } else { "utf-8" },
            "dialect": dialect(l),
            "schema": {
                "fields": long_fields(),
                "missingValues": [""],
                "primaryKey": ["report_id", "section", "row_id", "column_id"],
            },
        }));
    }
    json!({
        "profile": "tabular-data-package",
        "name": "xxgk-dataset",
        "title": "政府信息公开工作年度报告统计表 / Government information disclosure annual reports: statistical tables",
        "description": "由 xxgk 从年度报告中读取。字段说明见各字段的 description，或运行 xxgk codebook。 / Read from the annual reports by xxgk; each field's description says what it holds (also: xxgk codebook).",
        "x-xxgk-version": env!("CARGO_PKG_VERSION"),
        "resources": res,
    })
}

/// The codebook as one Table Schema (every column a 2021 or 2019 wide table can have).
pub fn table_schema(entries: &[Entry]) -> Json {
    json!({
        "fields": entries.iter().map(|e| field_json(e, &e.id)).collect::<Vec<_>>(),
        "missingValues": [""],
        "primaryKey": ["report_id"],
    })
}

/// The codebook as CSV (one row per column) or Markdown.
pub fn render(entries: &[Entry], markdown: bool) -> String {
    let mut out = String::new();
    if markdown {
        out.push_str("| 字段 field | 中文 | English | 类型 type | 单位 unit | 下限 min | 版本 editions | 说明 notes |\n|---|---|---|---|---|---|---|---|\n");
        for e in entries {
            let note = e
                .note
                .map(|(z, n)| format!("{z} / {n}"))
                .unwrap_or_default();
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} | {} | {} | {} |\n",
                e.id,
                e.title_zh.replace('|', "\\|"),
                e.title_en.replace('|', "\\|"),
                e.kind.as_str(),
                e.unit.unwrap_or(""),
                e.minimum.map(|m| m.to_string()).unwrap_or_default(),
                e.editions.join(", "),
                note.replace('|', "\\|"),
            ));
        }
        return out;
    }
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record([
        "field", "title_zh", "title_en", "type", "unit", "minimum", "editions", "note_zh",
        "note_en",
    ]);
    for e in entries {
        let (nz, ne) = e.note.unwrap_or(("", ""));
        let _ = w.write_record([
            e.id.as_str(),
            &e.title_zh,
            &e.title_en,
            e.kind.as_str(),
            e.unit.unwrap_or(""),
            &e.minimum.map(|m| m.to_string()).unwrap_or_default(),
            &e.editions.join(" "),
            nz,
            ne,
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The entries of the columns a dataset has (in its order).
pub fn of_columns(columns: &dataset::WideColumns) -> Vec<Entry> {
    columns
        .columns
        .iter()
        .map(|c| entry(&c.id).unwrap_or_else(|| meta(&c.id, &c.label_zh, &c.id, FieldType::String)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_of_both_editions_has_an_entry_with_its_editions() {
        let all = entries();
        let get = |id: &str| {
            all.iter()
                .find(|e| e.id == id)
                .unwrap_or_else(|| panic!("{id}"))
        };
        let shared = get("applications.new_applications.total");
        assert_eq!(shared.editions, ["2021", "2019"]);
        assert_eq!(shared.kind, FieldType::Integer);
        assert_eq!(shared.minimum, Some(0));
        let panel = get("applications.results.other_handling.total");
        assert_eq!(panel.editions, ["2021", "2019"]);
        assert!(get("applications.results.other_handling.fee_unpaid.total")
            .editions
            .eq(&["2021"]));
        let fee = all
            .iter()
            .find(|e| e.id.ends_with("fee_amount_this_year_10k_cny"))
            .expect("fee");
        assert_eq!((fee.kind, fee.unit), (FieldType::Number, Some("万元")));
        // No duplicate ids.
        let mut ids: Vec<&str> = all.iter().map(|e| e.id.as_str()).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }
}
