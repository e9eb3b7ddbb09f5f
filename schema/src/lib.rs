//! # xxgk-schema
//!
//! Canonical types and JSON Schema for China's government information disclosure annual
//! reports (政府信息公开工作年度报告): the statistical tables of sections 二, 三 and 四 in all
//! three editions (2021, 2019, legacy), metadata and narrative text.
//!
//! 政府信息公开工作年度报告的规范数据类型与 JSON Schema：三种版本（2021、2019、2008–2018 旧版）
//! 的第二、三、四部分统计表，报告元数据与文字部分。
//!
//! This crate has one job: to define the data. It depends only on `serde`, `serde_json`,
//! `schemars` and `rust_decimal`. Reading and writing files, recognizing tables and checking
//! consistency live in the `xxgk` toolkit.
//!
//! ## The JSON form
//!
//! ```
//! use xxgk_schema::{Report, Cell};
//!
//! let json = r#"{
//!   "edition": "2021",
//!   "agency": "泰兴市人民政府",
//!   "report_year": 2021,
//!   "review_litigation": {
//!     "administrative_review": { "upheld": 80, "corrected": 12, "other_outcome": 39, "pending": 16, "total": 147 },
//!     "litigation_direct": { "upheld": null, "corrected": "/", "other_outcome": 2, "pending": 23, "total": 49 }
//!   }
//! }"#;
//! let report: Report = serde_json::from_str(json).unwrap();
//! assert_eq!(report.info().report_year, Some(2021));
//! // Blank (null) is not zero, and a printed "/" is kept as a mark.
//! assert_eq!(report.cell("review_litigation.litigation_direct.upheld"), Some(&Cell::Blank));
//! assert_eq!(report.cell("review_litigation.administrative_review.total"), Some(&Cell::int(147)));
//! ```
//!
//! * A value cell is `null` (blank), a number, or a mark `"/"`, `"-"`, `"无"` ([`Cell`]).
//! * Amounts are exact decimals: `179092.2001` reads and writes back as `179092.2001`.
//! * Field names are stable English snake_case; each carries its Chinese label as the schema
//!   `title` and its English label as `description` and `x-title-en`.
//! * Every cell has a dotted path, e.g. `applications.results.denied.state_secret.total`;
//!   [`Visit`] walks them in the order of the official form.
//!
//! The schema itself is [`json_schema()`]; the committed file is `schema/xxgk-report.schema.json`.

mod cell;
mod fields;
mod legacy;
mod report;
mod tables;

pub use cell::{parse_decimal, Amount, Cell, Count, Kind, Mark, Signed};
pub use fields::{dotted, dotted_into, push_dotted, Absent, Field, Seg, Visit};
pub use legacy::{LegacyIndicator, LegacyStatistics};
pub use report::{
    labels, path_eq, section, Edition, Narrative, NarrativeSection, Report, Report2019, Report2021,
    ReportInfo, ReportLegacy, Source, SCHEMA_VERSION,
};
pub use rust_decimal::Decimal;
pub use tables::*;

/// Base of the schemas' `$id`s.
#[cfg(feature = "schemars")]
const SCHEMA_BASE: &str = "https://xxgk.invalid/schema/";

/// The three editions as the root schema tells them apart: `edition`, then the definition
/// that edition's report follows.
#[cfg(feature = "schemars")]
const EDITIONS: [(&str, &str, &str); 3] = [
    (
        "2021",
        "Report2021",
        "2021 edition (reports on 2021 and later)",
    ),
    (
        "2019",
        "Report2019",
        "2019 edition (reports on 2019 and 2020)",
    ),
    (
        "legacy",
        "ReportLegacy",
        "legacy statistical tables (reports on 2008–2018)",
    ),
];

/// The JSON Schema (draft 2020-12) of a [`Report`].
///
/// The root discriminates on `edition` (`if`/`then`, one branch per edition) rather than a bare
/// `oneOf`, so a validator reports a wrong cell at its own path (`/applications/…/total`)
/// instead of one error at the root; counts carry `minimum: 0`; `$defs` have English names
/// (code generators name classes after them) and keep the Chinese labels as `title`.
#[cfg(feature = "schemars")]
pub fn json_schema() -> schemars::Schema {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<Report>();
    let obj = schema.as_object_mut().expect("an object schema");
    // schemars gives the tagged enum as a `oneOf` of the editions' reports: each becomes a
    // named definition, chosen by `edition` below.
    let variants = obj.remove("oneOf");
    if let Some(serde_json::Value::Array(variants)) = variants {
        let defs = obj
            .entry("$defs")
            .or_insert_with(|| serde_json::json!({}))
            .as_object_mut()
            .expect("$defs is an object");
        for v in variants {
            let tag = v
                .pointer("/properties/edition/const")
                .and_then(|t| t.as_str())
                .map(str::to_string);
            if let Some((_, def, _)) = EDITIONS.iter().find(|e| Some(e.0) == tag.as_deref()) {
                if !defs.contains_key(*def) {
                    defs.insert((*def).to_string(), v);
                }
            }
        }
    }
    obj.insert(
        "$id".into(),
        format!("{SCHEMA_BASE}xxgk-report.schema.json").into(),
    );
    obj.insert("title".into(), "Report".into());
    obj.insert("x-title-zh".into(), "政府信息公开工作年度报告".into());
    obj.insert("type".into(), "object".into());
    obj.insert("required".into(), serde_json::json!(["edition"]));
    obj.insert(
        "properties".into(),
        serde_json::json!({
            "edition": {
                "title": "表格版本",
                "description": "Edition of the statistical tables: 2021, 2019 or legacy",
                "enum": EDITIONS.iter().map(|e| e.0).collect::<Vec<_>>(),
            }
        }),
    );
    obj.insert(
        "allOf".into(),
        EDITIONS
            .iter()
            .map(|(tag, def, desc)| {
                serde_json::json!({
                    "description": desc,
                    "if": { "properties": { "edition": { "const": tag } }, "required": ["edition"] },
                    "then": { "$ref": format!("#/$defs/{def}") }
                })
            })
            .collect::<Vec<_>>()
            .into(),
    );
    // Each edition's report: its own fields and `edition`, nothing else.
    if let Some(defs) = obj.get_mut("$defs").and_then(|d| d.as_object_mut()) {
        for (tag, def, _) in EDITIONS {
            if let Some(d) = defs.get_mut(def).and_then(|d| d.as_object_mut()) {
                if let Some(props) = d.get_mut("properties").and_then(|p| p.as_object_mut()) {
                    let mut with_tag = serde_json::Map::new();
                    with_tag.insert(
                        "edition".into(),
                        serde_json::json!({ "title": "表格版本", "const": tag }),
                    );
                    with_tag.extend(std::mem::take(props));
                    *props = with_tag;
                }
                d.insert("additionalProperties".into(), false.into());
            }
        }
    }
    obj.insert("x-schema-version".into(), SCHEMA_VERSION.into());
    schema
}

/// The JSON Schema as pretty-printed text, exactly as committed in `schema/`.
#[cfg(feature = "schemars")]
pub fn json_schema_string() -> String {
    pretty(&serde_json::to_value(json_schema()).expect("schema serializes"))
}

/// The forms a document of reports takes, each with its schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaForm {
    /// One report (a `.json` file of one report).
    Report,
    /// An array of reports (a `.json` file of several).
    Array,
    /// One line of an NDJSON file: one report, on one line.
    NdjsonLine,
}

impl SchemaForm {
    /// The committed file name of this form's schema.
    pub fn file_name(self) -> &'static str {
        match self {
            SchemaForm::Report => "xxgk-report.schema.json",
            SchemaForm::Array => "xxgk-reports.schema.json",
            SchemaForm::NdjsonLine => "xxgk-report-line.schema.json",
        }
    }
}

/// The schema of a form, self-contained (its own `$defs`).
#[cfg(feature = "schemars")]
pub fn json_schema_of(form: SchemaForm) -> serde_json::Value {
    let mut report = serde_json::to_value(json_schema()).expect("schema serializes");
    match form {
        SchemaForm::Report => report,
        SchemaForm::NdjsonLine => {
            let o = report.as_object_mut().expect("object");
            o.insert(
                "$id".into(),
                format!("{SCHEMA_BASE}{}", form.file_name()).into(),
            );
            o.insert("title".into(), "ReportLine".into());
            o.insert(
                "description".into(),
                "One line of an NDJSON file of reports (one report per line; a blank line is skipped)".into(),
            );
            report
        }
        SchemaForm::Array => {
            let o = report.as_object_mut().expect("object");
            let defs = o.remove("$defs").unwrap_or_default();
            let schema_uri = o.remove("$schema").unwrap_or_default();
            let version = o.remove("x-schema-version").unwrap_or_default();
            o.remove("$id");
            let mut defs = defs.as_object().cloned().unwrap_or_default();
            defs.insert("Report".into(), report.clone());
            serde_json::json!({
                "$schema": schema_uri,
                "$id": format!("{SCHEMA_BASE}{}", form.file_name()),
                "title": "Reports",
                "x-title-zh": "年度报告（多份）",
                "description": "Several reports in one JSON document: an array of reports",
                "type": "array",
                "items": { "$ref": "#/$defs/Report" },
                "x-schema-version": version,
                "$defs": defs,
            })
        }
    }
}

/// A form's schema as pretty-printed text, exactly as committed in `schema/`.
#[cfg(feature = "schemars")]
pub fn json_schema_string_of(form: SchemaForm) -> String {
    match form {
        SchemaForm::Report => json_schema_string(),
        _ => pretty(&json_schema_of(form)),
    }
}

#[cfg(feature = "schemars")]
fn pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("schema serializes");
    s.push('\n');
    s
}

/// The committed schema file, for consumers that want the text without generating it.
pub const SCHEMA_FILE: &str = include_str!("../xxgk-report.schema.json");

/// The committed schema of an array of reports.
pub const ARRAY_SCHEMA_FILE: &str = include_str!("../xxgk-reports.schema.json");

/// The committed schema of one NDJSON line.
pub const LINE_SCHEMA_FILE: &str = include_str!("../xxgk-report-line.schema.json");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "schemars")]
    fn committed_schema_is_up_to_date() {
        for (form, committed) in [
            (SchemaForm::Report, SCHEMA_FILE),
            (SchemaForm::Array, ARRAY_SCHEMA_FILE),
            (SchemaForm::NdjsonLine, LINE_SCHEMA_FILE),
        ] {
            let generated = json_schema_string_of(form);
            if generated != committed {
                if std::env::var_os("XXGK_BLESS").is_some() {
                    std::fs::write(
                        format!("{}/{}", env!("CARGO_MANIFEST_DIR"), form.file_name()),
                        &generated,
                    )
                    .unwrap();
                } else {
                    panic!(
                        "schema/{} is out of date; regenerate with \
                     `XXGK_BLESS=1 cargo test -p xxgk-schema`",
                        form.file_name()
                    );
                }
            }
        }
    }

    #[test]
    fn field_paths_are_unique_and_complete() {
        for e in Edition::ALL {
            let r = Report::blank_template(e);
            let cells = r.cells();
            let mut paths: Vec<_> = cells.iter().map(|(p, _, _)| p.clone()).collect();
            let n = paths.len();
            paths.sort();
            paths.dedup();
            assert_eq!(paths.len(), n, "duplicate paths in {e}");
            match e {
                // 10 (sec 二) + 25×7 (sec 三) + 15 (sec 四)
                Edition::E2021 => assert_eq!(n, 10 + 175 + 15),
                // 22 (sec 二) + 23×7 + 15
                Edition::E2019 => assert_eq!(n, 22 + 161 + 15),
                Edition::Legacy => assert_eq!(n, 0),
            }
        }
    }

    #[test]
    fn template_json_round_trips() {
        for e in Edition::ALL {
            let r = Report::blank_template(e);
            let s = serde_json::to_string(&r).unwrap();
            let back: Report = serde_json::from_str(&s).unwrap();
            assert_eq!(back, r);
        }
    }
}
