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
pub use fields::{dotted, Absent, Field, Seg, Visit};
pub use legacy::{LegacyIndicator, LegacyStatistics};
pub use report::{
    path_eq, section, Edition, Narrative, NarrativeSection, Report, Report2019, Report2021,
    ReportInfo, ReportLegacy, Source, SCHEMA_VERSION,
};
pub use rust_decimal::Decimal;
pub use tables::*;

/// The JSON Schema (draft 2020-12) of a [`Report`].
pub fn json_schema() -> schemars::Schema {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<Report>();
    schema.insert(
        "$id".into(),
        "https://xxgk.invalid/schema/xxgk-report.schema.json".into(),
    );
    schema.insert("x-schema-version".into(), SCHEMA_VERSION.into());
    schema
}

/// The JSON Schema as pretty-printed text, exactly as committed in `schema/`.
pub fn json_schema_string() -> String {
    let mut s = serde_json::to_string_pretty(&json_schema()).expect("schema serializes");
    s.push('\n');
    s
}

/// The committed schema file, for consumers that want the text without generating it.
pub const SCHEMA_FILE: &str = include_str!("../xxgk-report.schema.json");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_schema_is_up_to_date() {
        let generated = json_schema_string();
        if generated != SCHEMA_FILE {
            if std::env::var_os("XXGK_BLESS").is_some() {
                std::fs::write(
                    concat!(env!("CARGO_MANIFEST_DIR"), "/xxgk-report.schema.json"),
                    &generated,
                )
                .unwrap();
            } else {
                panic!(
                    "schema/xxgk-report.schema.json is out of date; regenerate with \
                     `XXGK_BLESS=1 cargo test -p xxgk-schema`"
                );
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
