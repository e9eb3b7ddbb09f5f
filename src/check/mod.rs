//! Check: consistency rules (勾稽关系) → findings that point at fields (and, through the
//! recognizer's origins, at lines and cells).
//!
//! Each rule has a stable id. A rule is evaluated only where the printed total is a number; a
//! blank or a mark in a part counts as 0 and the finding says so. Published numbers are never
//! changed: findings carry the printed and the expected value side by side.
//!
//! | id | rule |
//! |---|---|
//! | `s3.balance` | 一 + 二 = 三(七)总计 + 四, for each of the 7 columns (stated on the form) |
//! | `s3.row_total` | each row's 总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他 |
//! | `s3.results_total` | (七)总计 = (一) + (二) + Σ(三) + Σ(四) + Σ(五) + (六), per column |
//! | `s4.outcome_total` | each 总计 of section 四 = 维持 + 纠正 + 其他 + 尚未审结 |
//! | `nonnegative` | counts are not negative |
//! | `s2.disclosed_total` | (2019) 对外公开总数量 ≥ 本年新公开数量 |
//! | `legacy.applications_sum` | legacy: 申请总数 = Σ the application channels |
//! | `legacy.staff_sum` | legacy: 专职人员总数 = 全职 + 兼职 |

pub mod across;

use rust_decimal::Decimal;
use serde::Serialize;
use xxgk_schema::{Cell, Edition, Kind, Report, Visit};

use crate::diagnostic::{Origin, Severity};
use crate::recognize::Origins;

/// One rule violation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Rule id, e.g. `s3.balance`.
    pub rule: &'static str,
    /// How serious.
    pub severity: Severity,
    /// Message in Chinese.
    pub message_zh: String,
    /// Message in English.
    pub message_en: String,
    /// The printed (checked) field.
    pub field: String,
    /// The fields the expected value was computed from.
    pub from: Vec<String>,
    /// The printed value.
    pub printed: String,
    /// The value the rule expects.
    pub expected: String,
    /// Where the printed value is in the input, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

const COLS: [&str; 7] = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "public_welfare_org",
    "legal_service_agency",
    "other_org",
    "total",
];

const COL_ZH: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];

struct Ctx<'a> {
    cells: rustc_hash::FxHashMap<&'a str, &'a Cell>,
    origins: Option<&'a Origins>,
    out: Vec<Finding>,
}

impl<'a> Ctx<'a> {
    /// The printed labels of a row or cell path (`applications.results.denied.state_secret`),
    /// from the schema's field list: Chinese joined with `·`, English with ` › `, without the
    /// section's own label. Used for messages only (computed when a finding is made).
    fn labels(&self, prefix: &str) -> (String, String) {
        xxgk_schema::labels(prefix)
            .cloned()
            .unwrap_or_else(|| (prefix.to_string(), prefix.to_string()))
    }

    /// The label of a field's last step (a column), e.g. `自然人` / `natural person`.
    fn column_labels(&self, path: &str) -> (String, String) {
        let (zh, en) = self.labels(path);
        (
            zh.rsplit('·').next().unwrap_or_default().to_string(),
            en.rsplit(" › ").next().unwrap_or_default().to_string(),
        )
    }

    fn num(&self, p: &str) -> Option<Decimal> {
        self.cells.get(p).and_then(|c| c.number())
    }

    /// Compare `total` with the sum of `parts`; blank/mark parts count as 0.
    fn sum_rule(
        &mut self,
        rule: &'static str,
        total: &str,
        parts: &[String],
        describe: &dyn Fn(&Ctx) -> (String, String),
    ) {
        let Some(printed) = self.num(total) else {
            return;
        };
        if parts.iter().all(|p| self.num(p).is_none()) {
            return; // nothing to compare against
        }
        let expected: Decimal = parts.iter().filter_map(|p| self.num(p)).sum();
        if expected == printed {
            return;
        }
        let blanks = parts.iter().filter(|p| self.num(p).is_none()).count();
        let note_zh = if blanks > 0 {
            format!("（其中 {blanks} 个留空或符号按 0 计）")
        } else {
            String::new()
        };
        let note_en = if blanks > 0 {
            format!(" ({blanks} blank or marked parts counted as 0)")
        } else {
            String::new()
        };
        let (zh, en) = describe(self);
        self.out.push(Finding {
            rule,
            severity: Severity::Error,
            message_zh: format!("{zh}：印为 {printed}，各项之和为 {expected}{note_zh}"),
            message_en: format!("{en}: printed {printed}, parts sum to {expected}{note_en}"),
            field: total.to_string(),
            from: parts.to_vec(),
            printed: printed.normalize().to_string(),
            expected: expected.normalize().to_string(),
            origin: self.origins.and_then(|o| o.get(total).cloned()),
        });
    }
}

/// Leaf rows of 三、本年度办理结果 (under `applications.results`), per edition. A 2021 report
/// whose （六） is printed as one row (a mixed form) sums that row instead of the sub-rows.
fn result_rows(edition: Edition, other_as_one_row: bool) -> Vec<&'static str> {
    let mut v = vec![
        "granted",
        "partially_granted",
        "denied.state_secret",
        "denied.prohibited_by_other_law",
        "denied.endangers_security_stability",
        "denied.third_party_rights",
        "denied.internal_affairs",
        "denied.process_information",
        "denied.enforcement_case_file",
        "denied.administrative_query_matter",
        "unable_to_provide.not_held",
        "unable_to_provide.requires_creation",
        "unable_to_provide.unclear_after_correction",
        "not_processed.petition_complaint",
        "not_processed.duplicate",
        "not_processed.publication_request",
        "not_processed.excessive_without_reason",
        "not_processed.confirm_or_reissue",
    ];
    if edition == Edition::E2021 && other_as_one_row {
        v.push("other_handling.subtotal");
    } else if edition == Edition::E2021 {
        v.extend([
            "other_handling.correction_overdue",
            "other_handling.fee_unpaid",
            "other_handling.other",
        ]);
    } else {
        v.push("other_handling");
    }
    v
}

/// A total printed on the form: `total` = Σ `parts`. Checked (and highlighted in the workbook)
/// only when the total and at least one part are numbers; blank or marked parts count as 0.
#[derive(Debug, Clone, PartialEq)]
pub struct SumRule {
    /// Stable rule id (`s3.row_total`, `s3.results_total`, `s4.outcome_total`).
    pub rule: &'static str,
    /// The total's field path.
    pub total: String,
    /// The parts' field paths.
    pub parts: Vec<String>,
}

/// Section 三's balance for one column: `left[0] + left[1] = right[0] + right[1]`
/// (一 + 二 = 三(七) + 四), reported (and highlighted) at `flag`, the （七）总计 cell.
#[derive(Debug, Clone, PartialEq)]
pub struct BalanceRule {
    /// 一、本年新收 and 二、上年结转.
    pub left: [String; 2],
    /// （七）总计 and 四、结转下年度.
    pub right: [String; 2],
    /// The cell a finding names.
    pub flag: String,
}

/// The sums printed on a 2021 or 2019 form, in the order they are checked. `check` evaluates
/// these and the workbook writer turns the same list into conditional formats, so what is
/// pink in a workbook is what `check` reports.
///
/// The list depends only on the form (the edition, and whether a 2021 （六） is printed as one
/// row), so each of the three lists is built once per process.
pub fn sum_rules(report: &Report) -> &'static [SumRule] {
    static LISTS: [std::sync::OnceLock<Vec<SumRule>>; 3] =
        [const { std::sync::OnceLock::new() }; 3];
    let (i, edition, one_row) = match report {
        Report::Legacy(_) => return &[],
        Report::E2019(_) => (0, Edition::E2019, false),
        Report::E2021(r) => {
            let one_row = r
                .applications
                .as_ref()
                .is_some_and(|a| a.results.other_handling.subtotal.is_some());
            (1 + one_row as usize, Edition::E2021, one_row)
        }
    };
    LISTS[i].get_or_init(|| build_sum_rules(edition, one_row))
}

fn build_sum_rules(edition: Edition, one_row: bool) -> Vec<SumRule> {
    let mut out = Vec::new();
    let rows = result_rows(edition, one_row);
    // Rules of sections a report lacks name no cell: they find nothing and highlight nothing.
    {
        // R2: row totals.
        let mut all_rows: Vec<String> = vec![
            "applications.new_applications".into(),
            "applications.carried_over_from_previous_year".into(),
        ];
        all_rows.extend(rows.iter().map(|r| format!("applications.results.{r}")));
        all_rows.push("applications.results.total".into());
        all_rows.push("applications.carried_forward_to_next_year".into());
        for row in &all_rows {
            out.push(SumRule {
                rule: "s3.row_total",
                total: format!("{row}.total"),
                parts: COLS[..6].iter().map(|c| format!("{row}.{c}")).collect(),
            });
        }
        // R3: （七）总计 = Σ result rows, per column.
        for col in COLS {
            out.push(SumRule {
                rule: "s3.results_total",
                total: format!("applications.results.total.{col}"),
                parts: rows
                    .iter()
                    .map(|r| format!("applications.results.{r}.{col}"))
                    .collect(),
            });
        }
    }
    // R5/R6: section 四 totals.
    {
        for g in [
            "administrative_review",
            "litigation_direct",
            "litigation_after_review",
        ] {
            out.push(SumRule {
                rule: "s4.outcome_total",
                total: format!("review_litigation.{g}.total"),
                parts: ["upheld", "corrected", "other_outcome", "pending"]
                    .iter()
                    .map(|c| format!("review_litigation.{g}.{c}"))
                    .collect(),
            });
        }
    }
    out
}

/// Section 三's balance, one rule per column (none for a legacy report); built once.
pub fn balance_rules(report: &Report) -> &'static [BalanceRule] {
    static LIST: std::sync::OnceLock<Vec<BalanceRule>> = std::sync::OnceLock::new();
    if report.edition() == Edition::Legacy {
        return &[];
    }
    LIST.get_or_init(|| {
        COLS.iter()
            .map(|col| BalanceRule {
                left: [
                    format!("applications.new_applications.{col}"),
                    format!("applications.carried_over_from_previous_year.{col}"),
                ],
                right: [
                    format!("applications.results.total.{col}"),
                    format!("applications.carried_forward_to_next_year.{col}"),
                ],
                flag: format!("applications.results.total.{col}"),
            })
            .collect()
    })
}

/// Run every rule on a recognized report, findings pointing at the input. A dataset row's cell
/// origins are made only when there is a finding to place.
pub fn check_recognized(r: &crate::recognize::Recognized) -> Vec<Finding> {
    let findings = check(&r.report, Some(&r.origins));
    if findings.is_empty() || r.row_cells.is_none() {
        return findings;
    }
    check(&r.report, Some(&r.all_origins()))
}

/// Run every rule on a report. `origins` (from recognition) lets findings point at the input.
pub fn check(report: &Report, origins: Option<&Origins>) -> Vec<Finding> {
    // Every cell's path, written into one buffer (one allocation, not one per cell).
    let mut names = String::with_capacity(16 * 1024);
    let mut spans: Vec<(usize, usize, &Cell, Kind)> = Vec::with_capacity(512);
    report.visit(&mut Vec::new(), &mut |p, c, k| {
        let start = names.len();
        xxgk_schema::push_dotted(p, &mut names);
        spans.push((start, names.len(), c, k));
    });
    let all: Vec<(&str, &Cell, Kind)> = spans
        .iter()
        .map(|&(s, e, c, k)| (&names[s..e], c, k))
        .collect();
    let mut ctx = Ctx {
        cells: all.iter().map(|&(p, c, _)| (p, c)).collect(),
        origins,
        out: Vec::new(),
    };
    let edition = report.edition();
    if edition == Edition::Legacy {
        legacy(report, &mut ctx);
        return ctx.out;
    }
    // R7: non-negative counts.
    for &(p, c, k) in &all {
        if k == Kind::Count {
            if let Some(d) = c.number() {
                if d < Decimal::ZERO {
                    ctx.out.push(Finding {
                        rule: "nonnegative",
                        severity: Severity::Error,
                        message_zh: format!("数量不能为负：{d}"),
                        message_en: format!("a count cannot be negative: {d}"),
                        field: p.to_string(),
                        from: vec![],
                        printed: d.to_string(),
                        expected: ">= 0".into(),
                        origin: origins.and_then(|o| o.get(p).cloned()),
                    });
                }
            }
        }
    }
    for r in sum_rules(report) {
        let total = r.total.clone();
        match r.rule {
            "s3.row_total" => {
                let row = total.trim_end_matches(".total").to_string();
                ctx.sum_rule(r.rule, &total, &r.parts, &|c| {
                    let (zh, en) = c.labels(&row);
                    (
                        format!("第三部分「{zh}」行的总计"),
                        format!("section 三, row “{en}”: total"),
                    )
                });
            }
            "s3.results_total" => {
                ctx.sum_rule(r.rule, &total, &r.parts, &|c| {
                    let (zh, en) = c.column_labels(&total);
                    (
                        format!("第三部分（七）总计「{zh}」列"),
                        format!("section 三, row （七） total, column “{en}”"),
                    )
                });
            }
            _ => {
                let group = total.trim_end_matches(".total").to_string();
                ctx.sum_rule(r.rule, &total, &r.parts, &|c| {
                    let (zh, en) = c.labels(&group);
                    (
                        format!("第四部分「{zh}」总计"),
                        format!("section 四 “{en}”: total"),
                    )
                });
            }
        }
    }
    for (ci, b) in balance_rules(report).iter().enumerate() {
        // R1: 一 + 二 = 三(七) + 四.
        let [a, b2] = [ctx.num(&b.left[0]), ctx.num(&b.left[1])];
        let [t, d] = [ctx.num(&b.right[0]), ctx.num(&b.right[1])];
        if let (Some(a), Some(b2), Some(t), Some(d)) = (a, b2, t, d) {
            if a + b2 != t + d {
                let field = b.flag.clone();
                let col_en = ctx.column_labels(&field).1;
                ctx.out.push(Finding {
                    rule: "s3.balance",
                    severity: Severity::Error,
                    message_zh: format!(
                        "第三部分「{}」列：一 + 二 = {a} + {b2} = {}，但 三(七)总计 + 四 = {t} + {d} = {}（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                        COL_ZH[ci], a + b2, t + d
                    ),
                    message_en: format!(
                        "section 三, column “{col_en}”: 一 + 二 = {a} + {b2} = {}, but 三(七) total + 四 = {t} + {d} = {} (rows 一 + 二 must equal 三(七) + 四)",
                        a + b2, t + d
                    ),
                    field: field.clone(),
                    from: vec![b.left[0].clone(), b.left[1].clone(), b.right[1].clone()],
                    printed: t.to_string(),
                    expected: (a + b2 - d).to_string(),
                    origin: origins.and_then(|o| o.get(&field).cloned()),
                });
            }
        }
    }
    // R11 (2019, soft).
    if edition == Edition::E2019 {
        for row in ["rules", "normative_documents"] {
            let base = format!("proactive_disclosure.art20_item1.{row}");
            let total = ctx.num(&format!("{base}.disclosed_total"));
            let new = ctx.num(&format!("{base}.newly_disclosed_this_year"));
            if let (Some(t), Some(n)) = (total, new) {
                if t < n {
                    let field = format!("{base}.disclosed_total");
                    ctx.out.push(Finding {
                        rule: "s2.disclosed_total",
                        severity: Severity::Warning,
                        message_zh: format!("第二部分第(一)项：对外公开总数量 {t} 小于本年新公开数量 {n}"),
                        message_en: format!("section 二 item (1): total disclosed {t} is less than newly disclosed {n}"),
                        field: field.clone(),
                        from: vec![format!("{base}.newly_disclosed_this_year")],
                        printed: t.to_string(),
                        expected: format!(">= {n}"),
                        origin: origins.and_then(|o| o.get(&field).cloned()),
                    });
                }
            }
        }
    }
    ctx.out
}

fn legacy(report: &Report, ctx: &mut Ctx<'_>) {
    let Report::Legacy(r) = report else { return };
    let Some(stats) = &r.statistics else { return };
    let find = |id: &str| {
        stats
            .indicators
            .iter()
            .position(|i| i.id.as_deref() == Some(id))
    };
    let rules: [(&'static str, &str, &[&str], &str, &str); 2] = [
        (
            "legacy.applications_sum",
            "applications_total",
            &[
                "applications_in_person",
                "applications_fax",
                "applications_email",
                "applications_online",
                "applications_letter",
                "applications_other",
                "applications_letter_or_fax",
            ],
            "申请总数应等于各申请方式之和",
            "total applications should equal the sum of the channels",
        ),
        (
            "legacy.staff_sum",
            "staff_total",
            &["staff_full_time", "staff_part_time"],
            "专职人员总数应等于全职与兼职之和",
            "total staff should equal full-time plus part-time",
        ),
    ];
    for (rule, total_id, part_ids, zh, en) in rules {
        if find(total_id).is_none() {
            continue;
        }
        let parts: Vec<usize> = part_ids.iter().filter_map(|p| find(p)).collect();
        if parts.is_empty() {
            continue;
        }
        for c in 0..stats.value_columns.len() {
            let total_path = format!("statistics.{total_id}.c{}", c + 1);
            let part_paths: Vec<String> = parts
                .iter()
                .map(|&i| format!("statistics.{}.c{}", stats.indicators[i].key(i), c + 1))
                .collect();
            ctx.sum_rule(rule, &total_path, &part_paths, &|_| {
                (
                    format!("{zh}（{}）", stats.value_columns[c]),
                    format!("{en} ({})", stats.value_columns[c]),
                )
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_schema::{Report2021, ReviewLitigation};

    #[test]
    fn section4_total_mismatch_is_found() {
        let mut rl = ReviewLitigation::default();
        rl.administrative_review.upheld = Cell::int(1).into();
        rl.administrative_review.total = Cell::int(2).into();
        let r = Report::E2021(Report2021 {
            review_litigation: Some(rl),
            ..Default::default()
        });
        let f = check(&r, None);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule, "s4.outcome_total");
        assert_eq!(f[0].printed, "2");
        assert_eq!(f[0].expected, "1");
    }

    #[test]
    fn blank_totals_are_not_evaluated() {
        let mut rl = ReviewLitigation::default();
        rl.administrative_review.upheld = Cell::int(1).into();
        let r = Report::E2021(Report2021 {
            review_litigation: Some(rl),
            ..Default::default()
        });
        assert!(check(&r, None).is_empty());
    }
}
