//! Checks across reports: the rule that links two years of one agency, which no form prints but
//! supervisors check — this year's 二、上年结转 equals last year's 四、结转下年度继续办理, column
//! by column — a sharp jump in new applications (info), and one agency's year reported twice.
//!
//! Owns the rules between reports; a report's own rules are [`super::check`]'s. Reports are
//! joined by [`crate::dataset::agency_key`] and the report year; only a short summary of each
//! report is kept, so a batch of any size is checked in little memory.
//!
//! | id | rule |
//! |---|---|
//! | `cross_year.carry_over` | 上年结转 of year N = 结转下年度 of year N−1, per column (2019 and 2021 editions) |
//! | `cross_year.jump` | 本年新收 total changes by 5× or more (at least 20 either way): info |
//! | `cross_year.duplicate` | two reports of one agency and year: info |

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;
use xxgk_schema::{Cell, Report, Visit};

use crate::dataset;
use crate::diagnostic::Severity;

const COLS: [&str; 7] = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "public_welfare_org",
    "legal_service_agency",
    "other_org",
    "total",
];
const COLS_ZH: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];

/// What the rules across reports need of one report.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The report's dataset id.
    pub report_id: String,
    /// Its source file, when known.
    pub file: Option<String>,
    /// [`dataset::agency_key`] of its agency.
    pub agency_key: String,
    /// The year reported on.
    pub year: i32,
    carried_over: [Option<Decimal>; 7],
    carried_forward: [Option<Decimal>; 7],
    new_total: Option<Decimal>,
}

/// The summary of a report the rules can use: one with an agency, a year and section 三.
pub fn summarize(report: &Report, report_id: &str) -> Option<Summary> {
    let info = report.info();
    let agency = info.agency.as_deref().filter(|a| !a.trim().is_empty())?;
    let year = info.report_year?;
    let mut cells: BTreeMap<String, Option<Decimal>> = BTreeMap::new();
    report.visit(&mut Vec::new(), &mut |p, c, _| {
        let id = xxgk_schema::dotted(p);
        if id.starts_with("applications.carried_")
            || id.starts_with("applications.new_applications.")
        {
            cells.insert(
                id,
                match c {
                    Cell::Number(d) => Some(*d),
                    _ => None,
                },
            );
        }
    });
    if cells.is_empty() {
        return None;
    }
    let row = |name: &str| {
        COLS.map(|c| {
            cells
                .get(&format!("applications.{name}.{c}"))
                .copied()
                .flatten()
        })
    };
    Some(Summary {
        report_id: report_id.to_string(),
        file: info.source.as_ref().and_then(|s| s.file.clone()),
        agency_key: dataset::agency_key(agency),
        year,
        carried_over: row("carried_over_from_previous_year"),
        carried_forward: row("carried_forward_to_next_year"),
        new_total: cells
            .get("applications.new_applications.total")
            .copied()
            .flatten(),
    })
}

/// A finding between reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossFinding {
    /// Rule id.
    pub rule: &'static str,
    /// How serious.
    pub severity: Severity,
    /// Message in Chinese.
    pub message_zh: String,
    /// Message in English.
    pub message_en: String,
    /// The field checked (of the later report).
    pub field: String,
    /// The reports involved: the later one first.
    pub reports: Vec<String>,
    /// Their source files, in the same order (empty where unknown).
    pub files: Vec<String>,
    /// The value printed in the later report.
    pub printed: String,
    /// The value the rule expects (from the earlier report).
    pub expected: String,
}

fn name(s: &Summary) -> String {
    match &s.file {
        Some(f) => format!("{}（{f}）", s.report_id),
        None => s.report_id.clone(),
    }
}

fn name_en(s: &Summary) -> String {
    match &s.file {
        Some(f) => format!("{} ({f})", s.report_id),
        None => s.report_id.clone(),
    }
}

/// The rules across reports over the summaries of a batch.
pub fn check_across(summaries: &[Summary]) -> Vec<CrossFinding> {
    let mut by: BTreeMap<(&str, i32), Vec<&Summary>> = BTreeMap::new();
    for s in summaries {
        by.entry((s.agency_key.as_str(), s.year))
            .or_default()
            .push(s);
    }
    let mut out = Vec::new();
    for ((key, year), list) in &by {
        if list.len() > 1 {
            let names: Vec<String> = list.iter().map(|s| name(s)).collect();
            let names_en: Vec<String> = list.iter().map(|s| name_en(s)).collect();
            out.push(CrossFinding {
                rule: "cross_year.duplicate",
                severity: Severity::Info,
                message_zh: format!(
                    "{key} 的 {year} 年报告出现 {} 次：{}",
                    list.len(),
                    names.join("、")
                ),
                message_en: format!(
                    "{key}'s report on {year} appears {} times: {}",
                    list.len(),
                    names_en.join(", ")
                ),
                field: "report_year".into(),
                reports: list.iter().map(|s| s.report_id.clone()).collect(),
                files: list
                    .iter()
                    .map(|s| s.file.clone().unwrap_or_default())
                    .collect(),
                printed: year.to_string(),
                expected: String::new(),
            });
        }
        let Some(prev) = year.checked_sub(1).and_then(|y| by.get(&(*key, y))) else {
            continue;
        };
        for this in list {
            for last in prev {
                pair(this, last, &mut out);
            }
        }
    }
    out
}

fn pair(this: &Summary, last: &Summary, out: &mut Vec<CrossFinding>) {
    for (c, col) in COLS.iter().enumerate() {
        let (Some(now), Some(then)) = (this.carried_over[c], last.carried_forward[c]) else {
            continue;
        };
        if now == then {
            continue;
        }
        out.push(CrossFinding {
            rule: "cross_year.carry_over",
            severity: Severity::Warning,
            message_zh: format!(
                "{} 年「二、上年结转」（{}）为 {now}，但 {} 年报告的「四、结转下年度继续办理」为 {then}：{} 与 {}",
                this.year,
                COLS_ZH[c],
                last.year,
                name(this),
                name(last)
            ),
            message_en: format!(
                "{}'s carried over from the previous year ({col}) is {now}, but the {} report carried {then} forward: {} and {}",
                this.year,
                last.year,
                name_en(this),
                name_en(last)
            ),
            field: format!("applications.carried_over_from_previous_year.{col}"),
            reports: vec![this.report_id.clone(), last.report_id.clone()],
            files: vec![
                this.file.clone().unwrap_or_default(),
                last.file.clone().unwrap_or_default(),
            ],
            printed: now.to_string(),
            expected: then.to_string(),
        });
    }
    if let (Some(now), Some(then)) = (this.new_total, last.new_total) {
        let big = now.max(then);
        let small = now.min(then);
        if big >= Decimal::from(20) && big >= small * Decimal::from(5) {
            out.push(CrossFinding {
                rule: "cross_year.jump",
                severity: Severity::Info,
                message_zh: format!(
                    "本年新收申请总数由 {} 年的 {then} 变为 {} 年的 {now}，变化很大，请核对：{} 与 {}",
                    last.year,
                    this.year,
                    name(this),
                    name(last)
                ),
                message_en: format!(
                    "new applications went from {then} in {} to {now} in {}, a sharp change worth checking: {} and {}",
                    last.year,
                    this.year,
                    name_en(this),
                    name_en(last)
                ),
                field: "applications.new_applications.total".into(),
                reports: vec![this.report_id.clone(), last.report_id.clone()],
                files: vec![
                    this.file.clone().unwrap_or_default(),
                    last.file.clone().unwrap_or_default(),
                ],
                printed: now.to_string(),
                expected: then.to_string(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_schema::Edition;

    fn report(agency: &str, year: i32, over: i64, forward: i64) -> Report {
        let mut r = Report::blank_template(Edition::E2021);
        r.info_mut().agency = Some(agency.into());
        r.info_mut().report_year = Some(year);
        if let Report::E2021(x) = &mut r {
            let a = x.applications.as_mut().unwrap();
            a.carried_over_from_previous_year.total.0 = Cell::int(over);
            a.carried_forward_to_next_year.total.0 = Cell::int(forward);
        }
        r
    }

    #[test]
    fn a_carry_over_that_does_not_match_last_year_names_both_reports() {
        let a = report("平潭综合实验区管委会", 2022, 3, 9);
        let b = report("平潭综合实验区（管委会）", 2023, 8, 0);
        let s = [summarize(&a, "a").unwrap(), summarize(&b, "b").unwrap()];
        let f = check_across(&s);
        let carry: Vec<&CrossFinding> = f
            .iter()
            .filter(|f| f.rule == "cross_year.carry_over")
            .collect();
        assert_eq!(carry.len(), 1, "{f:#?}");
        assert_eq!(carry[0].reports, ["b", "a"]);
        assert_eq!(
            (carry[0].printed.as_str(), carry[0].expected.as_str()),
            ("8", "9")
        );
        // Matching years give nothing.
        let b = report("平潭综合实验区管委会办公室", 2023, 9, 0);
        let s = [summarize(&a, "a").unwrap(), summarize(&b, "b").unwrap()];
        assert!(check_across(&s)
            .iter()
            .all(|f| f.rule != "cross_year.carry_over"));
    }
}
