//! Shared test helpers: fixture paths and generated reports for property tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use xxgk_schema::{AmountUnit, Cell, Edition, Kind, Report, Visit};

/// Fixture files of a directory with the given extensions, sorted.
pub fn fixtures(dir: &str, exts: &[&str]) -> Vec<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| exts.iter().any(|x| e == *x)))
        .collect();
    v.sort();
    v
}

/// Every seed and corpus report, read from text or HTML.
pub fn real_reports() -> Vec<(PathBuf, Report)> {
    let mut out = Vec::new();
    for p in fixtures("seeds", &["txt"])
        .into_iter()
        .chain(fixtures("corpus", &["txt", "html", "md"]))
    {
        let l = xxgk::read::read_path(&p, None, &Default::default()).unwrap();
        for r in l.reports {
            out.push((p.clone(), r.report));
        }
    }
    out
}

pub fn cell_strategy(kind: Kind) -> BoxedStrategy<Cell> {
    let num: BoxedStrategy<Cell> = match kind {
        Kind::Count => (0i64..10_000_000).prop_map(Cell::int).boxed(),
        Kind::Signed => (-100_000i64..100_000).prop_map(Cell::int).boxed(),
        Kind::Amount => (0i64..1_000_000_000_000, 0u32..5)
            .prop_map(|(m, s)| Cell::Number(rust_decimal::Decimal::new(m, s)))
            .boxed(),
    };
    prop_oneof![
        6 => num,
        2 => Just(Cell::Blank),
        1 => prop_oneof![
            Just(Cell::Mark(xxgk_schema::Mark::Slash)),
            Just(Cell::Mark(xxgk_schema::Mark::Dash)),
            Just(Cell::Mark(xxgk_schema::Mark::None)),
        ],
    ]
    .boxed()
}

/// Text as found in reports: Chinese, digits, punctuation, line breaks.
pub fn text_strategy() -> BoxedStrategy<Option<String>> {
    proptest::option::of("[\\p{Han}0-9，。、（）《》a-z]{1,20}(\n[\\p{Han}0-9，。]{1,30}){0,2}")
        .boxed()
}

/// A 2021 or 2019 report with random cells (numbers, blanks, marks), random metadata and
/// narrative, some sections absent.
pub fn report_strategy() -> impl Strategy<Value = Report> {
    (0usize..2, any::<u64>()).prop_flat_map(|(e, _)| {
        let edition = [Edition::E2021, Edition::E2019][e];
        let template = Report::blank_template(edition);
        let kinds: Vec<Kind> = template.cells().iter().map(|(_, _, k)| *k).collect();
        let strategies: Vec<BoxedStrategy<Cell>> = kinds.into_iter().map(cell_strategy).collect();
        (
            Just(template),
            strategies,
            proptest::option::of("[\\p{Han}]{1,12}"),
            proptest::option::of(2008i32..2030),
            (text_strategy(), text_strategy(), text_strategy()),
            (any::<bool>(), any::<bool>(), any::<bool>()),
            0usize..3,
        )
            .prop_map(
                |(mut r, values, agency, year, (n1, n2, n3), (s2, s3, s4), unit)| {
                    let mut it = values.into_iter();
                    r.visit_mut(&mut Vec::new(), &mut |_, c, _| *c = it.next().unwrap());
                    r.info_mut().agency = agency;
                    r.info_mut().report_year = year;
                    let narrative = xxgk_schema::Narrative {
                        general: n1,
                        problems_and_improvements: n2,
                        other_matters: n3,
                    };
                    match &mut r {
                        Report::E2021(x) => {
                            x.narrative = narrative;
                            // One report in three is on the mixed form: （六） printed as one row.
                            if unit == 2 {
                                if let Some(a) = &mut x.applications {
                                    let oh = &mut a.results.other_handling;
                                    oh.subtotal = Some(oh.other.clone());
                                    oh.correction_overdue = Default::default();
                                    oh.fee_unpaid = Default::default();
                                    oh.other = Default::default();
                                }
                            }
                            if !s2 {
                                x.proactive_disclosure = None;
                            }
                            if !s3 {
                                x.applications = None;
                            }
                            if !s4 {
                                x.review_litigation = None;
                            }
                        }
                        Report::E2019(x) => {
                            x.narrative = narrative;
                            if let Some(p) = &mut x.proactive_disclosure {
                                p.art20_item9.centralized_procurement.total_amount_unit = [
                                    None,
                                    Some(AmountUnit::Yuan),
                                    Some(AmountUnit::TenThousandYuan),
                                ][unit];
                            }
                            if !s2 {
                                x.proactive_disclosure = None;
                            }
                            if !s3 {
                                x.applications = None;
                            }
                            // At least one table, or there is nothing to recognize.
                            if !s4 && (s2 || s3) {
                                x.review_litigation = None;
                            }
                        }
                        Report::Legacy(_) => unreachable!(),
                    }
                    r
                },
            )
    })
}

/// Print only the differing leaves of two reports.
pub fn diff(a: &Report, b: &Report) -> Vec<String> {
    fn flat(v: &serde_json::Value, p: String, out: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::Object(m) => {
                m.iter().for_each(|(k, v)| flat(v, format!("{p}.{k}"), out))
            }
            serde_json::Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, v)| flat(v, format!("{p}[{i}]"), out)),
            _ => out.push((p, v.to_string().chars().take(60).collect())),
        }
    }
    let (mut x, mut y) = (Vec::new(), Vec::new());
    flat(&serde_json::to_value(a).unwrap(), String::new(), &mut x);
    flat(&serde_json::to_value(b).unwrap(), String::new(), &mut y);
    let ym: std::collections::HashMap<_, _> = y.iter().cloned().collect();
    let xm: std::collections::HashMap<_, _> = x.iter().cloned().collect();
    let mut d: Vec<String> = x
        .iter()
        .filter(|(k, v)| ym.get(k) != Some(v))
        .map(|(k, v)| format!("{k}: {v} vs {:?}", ym.get(k)))
        .collect();
    d.extend(
        y.iter()
            .filter(|(k, _)| !xm.contains_key(k))
            .map(|(k, v)| format!("{k}: missing vs {v}")),
    );
    d
}

/// Indicator labels as printed in real legacy tables (from the corpus).
const LEGACY_LABELS: &[&str] = &[
    "主动公开文件数",
    "其中:1.政府网站公开数",
    "2.政府公报公开数",
    "受理依申请公开信息总数",
    "其中:1.当面申请数",
    "2.网上申请数",
    "3.信函、传真申请数",
    "对申请的答复总数",
    "其中:1.同意公开答复数",
    "2.同意部分公开答复数",
    "3.不予公开答复数",
    "4.其他类型答复数",
    "接受行政诉讼、举报数",
    "行政复议数",
    "行政诉讼数",
    "政府信息公开收费减免金额",
    "主动公开信息数",
    "3.电子邮件申请数",
    "行政申诉、举报数",
    "依申请公开信息目录数",
];

/// A legacy report: a random ordered subset of real indicator labels, one or two value
/// columns, random units and values, some ids.
pub fn legacy_strategy() -> impl Strategy<Value = Report> {
    (
        proptest::sample::subsequence(LEGACY_LABELS.to_vec(), 1..LEGACY_LABELS.len()),
        any::<bool>(),
        2008i32..2019,
    )
        .prop_flat_map(|(labels, two, year)| {
            let n = labels.len();
            let cols = if two { 2 } else { 1 };
            (
                Just(labels),
                Just(two),
                Just(year),
                proptest::collection::vec(
                    proptest::collection::vec(cell_strategy(Kind::Amount), cols),
                    n,
                ),
                proptest::collection::vec(0usize..4, n),
                proptest::collection::vec(any::<bool>(), n),
                text_strategy(),
            )
        })
        .prop_map(|(labels, two, year, values, units, ids, narrative)| {
            let mut r = xxgk_schema::ReportLegacy::default();
            r.info.report_year = Some(year);
            r.info.agency = Some("某某县人民政府".into());
            let value_columns = if two {
                vec![format!("{year}年度"), "历年累计".to_string()]
            } else {
                vec!["数量".to_string()]
            };
            let indicators = labels
                .iter()
                .enumerate()
                .map(|(i, l)| xxgk_schema::LegacyIndicator {
                    id: ids[i].then(|| format!("indicator_{i}")),
                    label: l.to_string(),
                    group: None,
                    unit: [None, Some("条"), Some("件"), Some("元")][units[i]].map(str::to_string),
                    values: values[i].iter().cloned().map(xxgk_schema::Amount).collect(),
                })
                .collect();
            r.statistics = Some(xxgk_schema::LegacyStatistics {
                value_columns,
                indicators,
            });
            if let Some(t) = narrative {
                r.narrative.push(xxgk_schema::NarrativeSection {
                    heading: "一、概述".into(),
                    text: t,
                });
            }
            Report::Legacy(r)
        })
}

/// Any edition.
pub fn any_report_strategy() -> impl Strategy<Value = Report> {
    prop_oneof![3 => report_strategy(), 1 => legacy_strategy()]
}

/// `back` with the source of `original` when `original` recorded no SHA-256: reading a
/// document stamps its reports with the file's name and SHA-256, which a report built in a
/// test (or a blank template) does not have.
#[allow(dead_code)]
pub fn unstamped(mut back: Report, original: &Report) -> Report {
    let had = original
        .info()
        .source
        .as_ref()
        .is_some_and(|s| s.sha256.is_some());
    if !had {
        back.info_mut().source = original.info().source.clone();
    }
    back
}
