//! The report: metadata, narrative sections and the tables of its edition.

use std::fmt;
use std::str::FromStr;

#[cfg(feature = "schemars")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::cell::{Cell, Kind};
use crate::fields::{Field, Seg, Visit};
use crate::legacy::LegacyStatistics;
use crate::tables::{
    Applications2019, Applications2021, ProactiveDisclosure2019, ProactiveDisclosure2021,
    ReviewLitigation,
};

/// The version of this schema written into every report (`schema_version`).
pub const SCHEMA_VERSION: &str = "1.0";

fn schema_version() -> String {
    SCHEMA_VERSION.to_string()
}

/// The edition of the statistical tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Edition {
    /// 国办公开办函〔2021〕30号: reports on 2021 and later.
    E2021,
    /// 2019 试行 format (国办公开办函〔2019〕60号): reports on 2019 and 2020.
    E2019,
    /// Legacy statistical tables: reports on 2008–2018.
    Legacy,
}

impl Edition {
    /// All editions, newest first.
    pub const ALL: [Edition; 3] = [Edition::E2021, Edition::E2019, Edition::Legacy];

    /// The identifier used in JSON (`"2021"`, `"2019"`, `"legacy"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Edition::E2021 => "2021",
            Edition::E2019 => "2019",
            Edition::Legacy => "legacy",
        }
    }

    /// The edition normally used for a report on `year`.
    pub fn for_report_year(year: i32) -> Edition {
        match year {
            y if y >= 2021 => Edition::E2021,
            2019 | 2020 => Edition::E2019,
            _ => Edition::Legacy,
        }
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Edition {
    type Err = String;
    fn from_str(s: &str) -> Result<Edition, String> {
        match s.trim() {
            "2021" => Ok(Edition::E2021),
            "2019" | "2020" => Ok(Edition::E2019),
            "legacy" | "2008" | "2014" => Ok(Edition::Legacy),
            other => Err(format!(
                "未知的版本 {other:?}，可选 2021、2019、legacy / unknown edition {other:?}; use 2021, 2019 or legacy"
            )),
        }
    }
}

/// Where a report came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// 来源文件
    ///
    /// The file the report was read from: its path relative to the folder that holds all the
    /// inputs of a batch (`2021/海淀区.pdf`), or its name for a single file; `/` separates
    /// folders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "来源文件",
            description = "The file the report was read from: its path relative to the folder that holds all the inputs of a batch (2021/海淀区.pdf), or its name for a single file; / separates folders"
        )
    )]
    pub file: Option<String>,
    /// 来源格式
    ///
    /// Input format (text, html, docx, xlsx, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "来源格式",
            description = "Input format (text, html, docx, xlsx, …)"
        )
    )]
    pub format: Option<String>,
    /// 原文链接
    ///
    /// URL of the published report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schemars",
        schemars(title = "原文链接", description = "URL of the published report")
    )]
    pub url: Option<String>,
    /// 来源文件的 SHA-256
    ///
    /// SHA-256 of the source file's bytes (lowercase hex): identical copies have the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "来源文件的 SHA-256",
            description = "SHA-256 of the source file's bytes (lowercase hex): identical copies have the same",
            regex(pattern = "^[0-9a-f]{64}$")
        )
    )]
    pub sha256: Option<String>,
    /// 文件中的第几份报告
    ///
    /// Which report of the source file this is (1-based), when the file holds more than one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "文件中的第几份报告",
            description = "Which report of the source file this is (1-based), when the file holds more than one",
            range(min = 1)
        )
    )]
    pub part: Option<u32>,
}

/// Metadata common to every edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(JsonSchema))]
pub struct ReportInfo {
    /// 模式版本
    ///
    /// Version of the xxgk schema this document follows.
    #[serde(default = "schema_version")]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "模式版本",
            description = "Version of the xxgk schema this document follows"
        )
    )]
    pub schema_version: String,
    /// 机关名称
    ///
    /// Name of the reporting agency (or government).
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "机关名称",
            description = "Name of the reporting agency or government"
        )
    )]
    pub agency: Option<String>,
    /// 报告年度
    ///
    /// The statistical year (1月1日–12月31日) the report covers.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "报告年度",
            description = "The statistical year (1 Jan – 31 Dec) the report covers",
            range(min = 2000, max = 2100)
        )
    )]
    pub report_year: Option<i32>,
    /// 报告标题
    ///
    /// Title as printed.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(title = "报告标题", description = "Title as printed")
    )]
    pub title: Option<String>,
    /// 发布日期
    ///
    /// Publication date (YYYY-MM-DD) when printed.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "发布日期",
            description = "Publication date (YYYY-MM-DD) when printed",
            regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
        )
    )]
    pub published_date: Option<String>,
    /// 来源
    ///
    /// Where the report was read from.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(title = "来源", description = "Where the report was read from")
    )]
    pub source: Option<Source>,
}

impl Default for ReportInfo {
    fn default() -> Self {
        ReportInfo {
            schema_version: schema_version(),
            agency: None,
            report_year: None,
            title: None,
            published_date: None,
            source: None,
        }
    }
}

/// The narrative (free-text) sections of a 2019 or 2021 report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Narrative {
    /// 一、总体情况
    ///
    /// General situation.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(title = "一、总体情况", description = "General situation")
    )]
    pub general: Option<String>,
    /// 五、存在的主要问题及改进情况
    ///
    /// Main problems and improvements.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "五、存在的主要问题及改进情况",
            description = "Main problems and improvements"
        )
    )]
    pub problems_and_improvements: Option<String>,
    /// 六、其他需要报告的事项
    ///
    /// Other matters to report (including the 信息处理费 statement).
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "六、其他需要报告的事项",
            description = "Other matters to report, including information-processing fees"
        )
    )]
    pub other_matters: Option<String>,
}

/// A titled block of narrative text (legacy reports, whose outline varies).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NarrativeSection {
    /// 标题
    ///
    /// Heading as printed.
    #[cfg_attr(
        feature = "schemars",
        schemars(title = "标题", description = "Heading as printed")
    )]
    pub heading: String,
    /// 正文
    ///
    /// Text under the heading.
    #[cfg_attr(
        feature = "schemars",
        schemars(title = "正文", description = "Text under the heading")
    )]
    pub text: String,
}

/// A report on the 2021 format (国办公开办函〔2021〕30号).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Report2021 {
    /// Metadata.
    #[serde(flatten)]
    pub info: ReportInfo,
    /// 二、主动公开政府信息情况
    ///
    /// Proactive disclosure; null when the report has no such table.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "二、主动公开政府信息情况",
            description = "Proactive disclosure; null when the report has no such table"
        )
    )]
    pub proactive_disclosure: Option<ProactiveDisclosure2021>,
    /// 三、收到和处理政府信息公开申请情况
    ///
    /// Applications received and handled; null when the report has no such table.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "三、收到和处理政府信息公开申请情况",
            description = "Applications received and handled; null when the report has no such table"
        )
    )]
    pub applications: Option<Applications2021>,
    /// 四、政府信息公开行政复议、行政诉讼情况
    ///
    /// Administrative review and litigation; null when the report has no such table.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "四、政府信息公开行政复议、行政诉讼情况",
            description = "Administrative review and litigation; null when the report has no such table"
        )
    )]
    pub review_litigation: Option<ReviewLitigation>,
    /// Narrative sections.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(title = "文字部分", description = "Narrative sections")
    )]
    pub narrative: Narrative,
}

/// A report on the 2019 format (试行).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Report2019 {
    /// Metadata.
    #[serde(flatten)]
    pub info: ReportInfo,
    /// 二、主动公开政府信息情况
    ///
    /// Proactive disclosure; null when the report has no such table.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "二、主动公开政府信息情况",
            description = "Proactive disclosure; null when the report has no such table"
        )
    )]
    pub proactive_disclosure: Option<ProactiveDisclosure2019>,
    /// 三、收到和处理政府信息公开申请情况
    ///
    /// Applications received and handled; null when the report has no such table.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "三、收到和处理政府信息公开申请情况",
            description = "Applications received and handled; null when the report has no such table"
        )
    )]
    pub applications: Option<Applications2019>,
    /// 四、政府信息公开行政复议、行政诉讼情况
    ///
    /// Administrative review and litigation; null when the report has no such table.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "四、政府信息公开行政复议、行政诉讼情况",
            description = "Administrative review and litigation; null when the report has no such table"
        )
    )]
    pub review_litigation: Option<ReviewLitigation>,
    /// Narrative sections.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(title = "文字部分", description = "Narrative sections")
    )]
    pub narrative: Narrative,
}

/// A report on legacy statistical tables (2008–2018).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportLegacy {
    /// Metadata.
    #[serde(flatten)]
    pub info: ReportInfo,
    /// 政府信息公开情况统计表
    ///
    /// The statistical table; null when the report has none.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "政府信息公开情况统计表",
            description = "The statistical table; null when the report has none"
        )
    )]
    pub statistics: Option<LegacyStatistics>,
    /// 文字部分
    ///
    /// Narrative sections, in printed order.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "文字部分",
            description = "Narrative sections, in printed order"
        )
    )]
    pub narrative: Vec<NarrativeSection>,
}

/// 政府信息公开工作年度报告: one annual report, tagged by the edition of its tables.
///
/// In JSON the edition is the field `"edition"` (`"2021"`, `"2019"` or `"legacy"`), next to the
/// metadata and the sections of that edition. It may stand anywhere in the object; where it
/// comes first (as xxgk writes it), the rest is read straight into the edition's type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(JsonSchema))]
#[serde(tag = "edition")]
#[cfg_attr(
    feature = "schemars",
    schemars(
        title = "政府信息公开工作年度报告",
        description = "Government information disclosure annual report (China), tagged by the edition of its statistical tables"
    )
)]
pub enum Report {
    /// 2021 edition (reports on 2021 and later).
    #[serde(rename = "2021")]
    E2021(Report2021),
    /// 2019 edition (reports on 2019 and 2020).
    #[serde(rename = "2019")]
    E2019(Report2019),
    /// Legacy statistical tables (reports on 2008–2018).
    #[serde(rename = "legacy")]
    Legacy(ReportLegacy),
}

/// The same tagged enum as [`Report`], with serde's derived reading: the tag looked for
/// anywhere, the object buffered first. [`Report`]'s reading falls back to it when the tag is
/// not the first field.
#[derive(Deserialize)]
#[serde(tag = "edition")]
enum Tagged {
    #[serde(rename = "2021")]
    E2021(Report2021),
    #[serde(rename = "2019")]
    E2019(Report2019),
    #[serde(rename = "legacy")]
    Legacy(ReportLegacy),
}

/// The tag's value: an edition's exact name (`Edition::as_str`), refused as the derived reading
/// refuses it (`unknown variant …`, `invalid type: …, expected variant identifier`).
struct Tag(Edition);

impl<'de> Deserialize<'de> for Tag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Tag, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Tag;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("variant identifier")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Tag, E> {
                const NAMES: &[&str] = &["2021", "2019", "legacy"];
                Edition::ALL
                    .into_iter()
                    .find(|e| e.as_str() == v)
                    .map(Tag)
                    .ok_or_else(|| E::unknown_variant(v, NAMES))
            }
        }
        d.deserialize_identifier(V)
    }
}

/// The first key of a report object: the tag, or another field (kept for the fallback).
enum FirstKey {
    Edition,
    Other(String),
}

impl<'de> Deserialize<'de> for FirstKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<FirstKey, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = FirstKey;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<FirstKey, E> {
                Ok(if v == "edition" {
                    FirstKey::Edition
                } else {
                    FirstKey::Other(v.to_string())
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

impl<'de> Deserialize<'de> for Report {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Report, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Report;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a report object with an \"edition\"")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Report, A::Error> {
                use serde::de::{value::MapAccessDeserializer, Error};
                match map.next_key::<FirstKey>()? {
                    // The tag first: the rest is the edition's own object, read directly
                    // (serde's derived reading would buffer the whole report first).
                    Some(FirstKey::Edition) => {
                        let Tag(edition) = map.next_value()?;
                        let rest = MapAccessDeserializer::new(map);
                        Ok(match edition {
                            Edition::E2021 => Report::E2021(Report2021::deserialize(rest)?),
                            Edition::E2019 => Report::E2019(Report2019::deserialize(rest)?),
                            Edition::Legacy => Report::Legacy(ReportLegacy::deserialize(rest)?),
                        })
                    }
                    // Anywhere else: buffer the object, then the derived reading.
                    first => {
                        let mut object = serde_json::Map::new();
                        if let Some(FirstKey::Other(k)) = first {
                            object.insert(k, map.next_value()?);
                        }
                        while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                            object.insert(k, v);
                        }
                        let tagged = Tagged::deserialize(serde_json::Value::Object(object))
                            .map_err(A::Error::custom)?;
                        Ok(match tagged {
                            Tagged::E2021(r) => Report::E2021(r),
                            Tagged::E2019(r) => Report::E2019(r),
                            Tagged::Legacy(r) => Report::Legacy(r),
                        })
                    }
                }
            }
        }
        d.deserialize_map(V)
    }
}

/// Top-level sections, for paths.
pub mod section {
    use crate::fields::Field;
    /// 二、主动公开政府信息情况
    pub static PROACTIVE: Field = Field {
        id: "proactive_disclosure",
        zh: "二、主动公开政府信息情况",
        en: "Proactive disclosure",
    };
    /// 三、收到和处理政府信息公开申请情况
    pub static APPLICATIONS: Field = Field {
        id: "applications",
        zh: "三、收到和处理政府信息公开申请情况",
        en: "Applications received and handled",
    };
    /// 四、政府信息公开行政复议、行政诉讼情况
    pub static REVIEW: Field = Field {
        id: "review_litigation",
        zh: "四、政府信息公开行政复议、行政诉讼情况",
        en: "Administrative review and litigation",
    };
    /// 政府信息公开情况统计表 (legacy)
    pub static STATISTICS: Field = Field {
        id: "statistics",
        zh: "政府信息公开情况统计表",
        en: "Statistical table (legacy)",
    };
}

fn visit_section<'a, T: Visit>(
    field: &'static Field,
    t: &'a T,
    path: &mut Vec<Seg>,
    f: &mut dyn FnMut(&[Seg], &'a Cell, Kind),
) {
    path.push(Seg::Field(field));
    t.visit(path, f);
    path.pop();
}

fn visit_section_mut<T: Visit>(
    field: &'static Field,
    t: &mut T,
    path: &mut Vec<Seg>,
    f: &mut dyn FnMut(&[Seg], &mut Cell, Kind),
) {
    path.push(Seg::Field(field));
    t.visit_mut(path, f);
    path.pop();
}

impl Visit for Report {
    fn visit<'a>(&'a self, path: &mut Vec<Seg>, f: &mut dyn FnMut(&[Seg], &'a Cell, Kind)) {
        match self {
            Report::E2021(r) => {
                visit_section(&section::PROACTIVE, &r.proactive_disclosure, path, f);
                visit_section(&section::APPLICATIONS, &r.applications, path, f);
                visit_section(&section::REVIEW, &r.review_litigation, path, f);
            }
            Report::E2019(r) => {
                visit_section(&section::PROACTIVE, &r.proactive_disclosure, path, f);
                visit_section(&section::APPLICATIONS, &r.applications, path, f);
                visit_section(&section::REVIEW, &r.review_litigation, path, f);
            }
            Report::Legacy(r) => visit_section(&section::STATISTICS, &r.statistics, path, f),
        }
    }
    fn visit_mut(&mut self, path: &mut Vec<Seg>, f: &mut dyn FnMut(&[Seg], &mut Cell, Kind)) {
        match self {
            Report::E2021(r) => {
                visit_section_mut(&section::PROACTIVE, &mut r.proactive_disclosure, path, f);
                visit_section_mut(&section::APPLICATIONS, &mut r.applications, path, f);
                visit_section_mut(&section::REVIEW, &mut r.review_litigation, path, f);
            }
            Report::E2019(r) => {
                visit_section_mut(&section::PROACTIVE, &mut r.proactive_disclosure, path, f);
                visit_section_mut(&section::APPLICATIONS, &mut r.applications, path, f);
                visit_section_mut(&section::REVIEW, &mut r.review_litigation, path, f);
            }
            Report::Legacy(r) => {
                visit_section_mut(&section::STATISTICS, &mut r.statistics, path, f)
            }
        }
    }
}

impl Report {
    /// An empty report of `edition`: metadata blank, every table absent.
    pub fn empty(edition: Edition) -> Report {
        match edition {
            Edition::E2021 => Report::E2021(Report2021::default()),
            Edition::E2019 => Report::E2019(Report2019::default()),
            Edition::Legacy => Report::Legacy(ReportLegacy::default()),
        }
    }

    /// A report of `edition` with every table present and every cell blank: the template.
    pub fn blank_template(edition: Edition) -> Report {
        match edition {
            Edition::E2021 => Report::E2021(Report2021 {
                proactive_disclosure: Some(Default::default()),
                applications: Some(Default::default()),
                review_litigation: Some(Default::default()),
                ..Default::default()
            }),
            Edition::E2019 => Report::E2019(Report2019 {
                proactive_disclosure: Some(Default::default()),
                applications: Some(Default::default()),
                review_litigation: Some(Default::default()),
                ..Default::default()
            }),
            Edition::Legacy => Report::Legacy(ReportLegacy {
                statistics: Some(Default::default()),
                ..Default::default()
            }),
        }
    }

    /// Create the optional parts that `dotted_path` lies in (a section, the 2021 （六）
    /// one-row subtotal of a mixed form), so that a cell at that path can be set. Returns whether
    /// the path names a part of this edition's tables.
    pub fn ensure_path(&mut self, dotted_path: &str) -> bool {
        let under = |p: &str| {
            dotted_path == p
                || dotted_path.starts_with(p) && dotted_path.as_bytes().get(p.len()) == Some(&b'.')
        };
        match self {
            Report::E2021(r) => {
                if under("proactive_disclosure") {
                    r.proactive_disclosure.get_or_insert_with(Default::default);
                } else if under("applications") {
                    let a = r.applications.get_or_insert_with(Default::default);
                    if under("applications.results.other_handling.subtotal") {
                        a.results
                            .other_handling
                            .subtotal
                            .get_or_insert_with(Default::default);
                    }
                } else if under("review_litigation") {
                    r.review_litigation.get_or_insert_with(Default::default);
                } else {
                    return false;
                }
            }
            Report::E2019(r) => {
                if under("proactive_disclosure") {
                    r.proactive_disclosure.get_or_insert_with(Default::default);
                } else if under("applications") {
                    r.applications.get_or_insert_with(Default::default);
                } else if under("review_litigation") {
                    r.review_litigation.get_or_insert_with(Default::default);
                } else {
                    return false;
                }
            }
            Report::Legacy(_) => return false,
        }
        true
    }

    /// The edition of the report's tables.
    pub fn edition(&self) -> Edition {
        match self {
            Report::E2021(_) => Edition::E2021,
            Report::E2019(_) => Edition::E2019,
            Report::Legacy(_) => Edition::Legacy,
        }
    }

    /// Metadata.
    pub fn info(&self) -> &ReportInfo {
        match self {
            Report::E2021(r) => &r.info,
            Report::E2019(r) => &r.info,
            Report::Legacy(r) => &r.info,
        }
    }

    /// Metadata, mutably.
    pub fn info_mut(&mut self) -> &mut ReportInfo {
        match self {
            Report::E2021(r) => &mut r.info,
            Report::E2019(r) => &mut r.info,
            Report::Legacy(r) => &mut r.info,
        }
    }

    /// Every cell with its dotted path, in form order.
    pub fn cells(&self) -> Vec<(String, &Cell, Kind)> {
        let mut out = Vec::new();
        self.visit(&mut Vec::new(), &mut |p, c, k| {
            out.push((crate::fields::dotted(p), c, k))
        });
        out
    }

    /// The cell at a dotted path, if the path exists in this report.
    pub fn cell(&self, dotted_path: &str) -> Option<&Cell> {
        let mut found = None;
        self.visit(&mut Vec::new(), &mut |p, c, _| {
            if found.is_none() && path_eq(p, dotted_path) {
                found = Some(c);
            }
        });
        found
    }
}

/// True when `path` spells `dotted` (without allocating).
pub fn path_eq(path: &[Seg], dotted: &str) -> bool {
    let mut rest = dotted;
    for (i, seg) in path.iter().enumerate() {
        if i > 0 {
            match rest.strip_prefix('.') {
                Some(r) => rest = r,
                None => return false,
            }
        }
        match rest.strip_prefix(seg.id()) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

/// The printed labels of a field path or of a row or table prefix
/// (`applications.results.denied.state_secret`), from the field list: Chinese joined with `·`
/// and English with ` › `, without the section's own label (e.g.
/// `三、本年度办理结果·（三）不予公开·1.属于国家秘密` /
/// `Handling results this year › Not disclosed › State secrets`). `None` for a path no edition
/// has. For messages that must name a row as the form prints it, never by its id.
pub fn labels(path: &str) -> Option<&'static (String, String)> {
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static ALL: OnceLock<HashMap<String, (String, String)>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all = HashMap::new();
        for e in [Edition::E2021, Edition::E2019] {
            let mut r = Report::blank_template(e);
            if let Report::E2021(x) = &mut r {
                // The one-row （六） of a mixed form.
                if let Some(a) = x.applications.as_mut() {
                    a.results.other_handling.subtotal = Some(Default::default());
                }
            }
            let mut path = Vec::new();
            crate::Visit::visit(&r, &mut path, &mut |segs, _, _| {
                for depth in 1..=segs.len() {
                    let key = crate::dotted(&segs[..depth]);
                    if all.contains_key(&key) {
                        continue;
                    }
                    let fields = segs[1..depth].iter().filter_map(|s| match s {
                        Seg::Field(f) => Some(*f),
                        Seg::Key(_) => None,
                    });
                    let (zh, en): (Vec<&str>, Vec<&str>) = fields.map(|f| (f.zh, f.en)).unzip();
                    all.insert(key, (zh.join("·"), en.join(" › ")));
                }
            });
        }
        all
    })
    .get(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cell, Edition};

    fn sample(e: Edition) -> Report {
        let mut r = Report::blank_template(e);
        r.info_mut().agency = Some("某局".into());
        r.info_mut().report_year = Some(2022);
        r
    }

    /// The JSON object of `r` with its fields in another order: the tag last.
    fn tag_last(r: &Report) -> String {
        let serde_json::Value::Object(mut o) = serde_json::to_value(r).unwrap() else {
            unreachable!()
        };
        let tag = o.remove("edition").unwrap();
        o.insert("edition".into(), tag);
        serde_json::to_string(&o).unwrap()
    }

    #[test]
    fn a_report_reads_back_whether_its_tag_comes_first_or_not() {
        for e in Edition::ALL {
            let r = sample(e);
            let json = serde_json::to_string(&r).unwrap();
            assert!(json.starts_with("{\"edition\":"), "{json}");
            assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), r);
            assert_eq!(serde_json::from_str::<Report>(&tag_last(&r)).unwrap(), r);
            // Through a buffered value too (another deserializer).
            let v = serde_json::to_value(&r).unwrap();
            assert_eq!(serde_json::from_value::<Report>(v).unwrap(), r);
        }
    }

    #[test]
    fn a_wrong_tag_is_refused_as_the_derived_reading_refuses_it() {
        let err = |s: &str| serde_json::from_str::<Report>(s).unwrap_err().to_string();
        assert!(err(r#"{"edition":"2022"}"#)
            .starts_with("unknown variant `2022`, expected one of `2021`, `2019`, `legacy`"));
        assert!(err(r#"{"edition":2021}"#)
            .starts_with("invalid type: integer `2021`, expected variant identifier"));
        assert!(err(r#"{"agency":"某局"}"#).starts_with("missing field `edition`"));
        assert!(err(r#"{"agency":"某局","edition":"2030"}"#).contains("unknown variant `2030`"));
        // With the tag first, an error inside the report says where it is.
        let e = err(r#"{"edition":"2021","agency":5}"#);
        assert!(
            e.contains("expected a string") && e.contains("column"),
            "{e}"
        );
        assert!(err(r#"{"edition":"2021","bogus":1}"#).contains("unknown field `bogus`"));
    }

    #[test]
    fn cells_keep_their_values_through_both_readings() {
        let mut r = sample(Edition::E2021);
        if let Report::E2021(x) = &mut r {
            let a = x.applications.as_mut().unwrap();
            a.new_applications.total.0 = Cell::int(7);
            a.new_applications.natural_person.0 = Cell::Mark(crate::Mark::Slash);
        }
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), r);
        assert_eq!(serde_json::from_str::<Report>(&tag_last(&r)).unwrap(), r);
    }
}
