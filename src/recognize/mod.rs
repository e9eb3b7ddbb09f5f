//! Recognize: cell tokens → a typed report of the right edition, with diagnostics.
//!
//! This is the one place that decides which row is which. Every reader (text today; HTML, DOCX,
//! spreadsheets feed the same tokens) hands over a sequence of [`Token`]s in reading order; the
//! recognizer finds the tables of sections 二, 三 and 四 (or a legacy 统计表) by their labels, never
//! by fixed positions, and records where each value came from.
//!
//! It must not read files or write output, and it never invents a number: cells it cannot place
//! are null, with a diagnostic naming the line and the label.

pub mod labels;
mod legacy;
mod meta;
pub mod values;

use std::collections::HashMap;

use xxgk_schema::{AmountUnit, Cell, Edition, Kind, Report, Visit};

use crate::diagnostic::{Diagnostic, Origin, Severity};
use crate::read::text::Token;
use labels::{key, Sec3Label};
use values::{How, Resolution, SumRule};

/// Options for recognition.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Force an edition instead of detecting it from the tables.
    pub edition: Option<Edition>,
}

/// The result of recognition: the report, what was noticed, and where each value came from.
#[derive(Debug, Clone)]
pub struct Recognized {
    /// The typed report.
    pub report: Report,
    /// Diagnostics from reading and recognition.
    pub diagnostics: Vec<Diagnostic>,
    /// Origin of each value cell, by dotted path.
    pub origins: HashMap<String, Origin>,
}

impl Recognized {
    /// The origin of a cell, if it was read from the input.
    pub fn origin(&self, path: &str) -> Option<&Origin> {
        self.origins.get(path)
    }
}

/// Why nothing could be recognized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No statistical tables were found.
    NoTables,
}

/// Which of the sections 二, 三 and 四 a token stream holds (used to split a workbook whose
/// sheets hold several reports).
pub fn sections_present(tokens: &[Token]) -> [bool; 3] {
    let r = Regions::find(tokens);
    [r.sec2.is_some(), r.sec3.is_some(), r.sec4.is_some()]
}

/// Recognize a report from the full normalized text and its tokens.
pub fn recognize(text: &str, tokens: &[Token], opts: &Options) -> Result<Recognized, Failure> {
    let meta = meta::extract(text);
    let mut st = State::default();
    let regions = Regions::find(tokens);
    let detected = detect_edition(tokens, &regions);
    let edition = match (opts.edition, detected) {
        (Some(e), _) => e,
        (None, Some(e)) => e,
        (None, None) => {
            if regions.sec3.is_none() && regions.sec2.is_none() && regions.sec4.is_none() {
                return Err(Failure::NoTables);
            }
            let e = meta
                .year
                .map(Edition::for_report_year)
                .unwrap_or(Edition::E2021);
            st.diag(Diagnostic::new(
                "recognize.edition_guessed",
                Severity::Warning,
                None,
                format!("无法从表格判断版本，按报告年度采用 {e} 版"),
                format!(
                    "could not tell the edition from the tables; using {e} from the report year"
                ),
            ));
            e
        }
    };
    if let (Some(year), None) = (meta.year, opts.edition) {
        let expected = Edition::for_report_year(year);
        if expected != edition {
            st.diag(Diagnostic::new(
                "recognize.edition_year_mismatch",
                Severity::Info,
                None,
                format!("{year} 年度的报告使用了 {edition} 版表格（通常为 {expected} 版）"),
                format!("a report on {year} uses the {edition} tables (usually {expected})"),
            ));
        }
    }

    let mut report = Report::empty(edition);
    let mut unit = None;
    if edition == Edition::Legacy {
        let (stats, diags, origins) = legacy::recognize(tokens);
        st.diagnostics.extend(diags);
        st.origins.extend(origins);
        if let Report::Legacy(r) = &mut report {
            r.statistics = stats;
            r.narrative = meta::legacy_narrative(text);
        }
        if matches!(&report, Report::Legacy(r) if r.statistics.is_none()) {
            return Err(Failure::NoTables);
        }
    } else {
        if let Some(r) = regions.sec2 {
            unit = section2(&tokens[r.0..r.1], edition, &mut st);
        }
        if let Some(r) = regions.sec3 {
            section3(&tokens[r.0..r.1], edition, &mut st);
        }
        if let Some(r) = regions.sec4 {
            section4(&tokens[r.0..r.1], &mut st);
        }
        if st.values.is_empty() && st.found_sections.is_empty() {
            return Err(Failure::NoTables);
        }
        let narrative = meta::narrative(text);
        match &mut report {
            Report::E2021(r) => {
                if st.found_sections.contains(&"proactive_disclosure") {
                    r.proactive_disclosure = Some(Default::default());
                }
                if st.found_sections.contains(&"applications") {
                    r.applications = Some(Default::default());
                }
                if st.found_sections.contains(&"review_litigation") {
                    r.review_litigation = Some(Default::default());
                }
                r.narrative = narrative;
            }
            Report::E2019(r) => {
                if st.found_sections.contains(&"proactive_disclosure") {
                    let mut p = xxgk_schema::ProactiveDisclosure2019::default();
                    p.art20_item9.centralized_procurement.total_amount_unit = unit;
                    r.proactive_disclosure = Some(p);
                }
                if st.found_sections.contains(&"applications") {
                    r.applications = Some(Default::default());
                }
                if st.found_sections.contains(&"review_litigation") {
                    r.review_litigation = Some(Default::default());
                }
                r.narrative = narrative;
            }
            Report::Legacy(_) => unreachable!(),
        }
        let mut values = std::mem::take(&mut st.values);
        report.visit_mut(&mut Vec::new(), &mut |p, c, _| {
            if let Some(v) = values.remove(&xxgk_schema::dotted(p)) {
                *c = v;
            }
        });
        if !values.is_empty() {
            // Rows of another edition (a forced --edition, or a hybrid report): say so.
            let mut rows: Vec<String> = values
                .keys()
                .map(|p| p.rsplit_once('.').map(|x| x.0).unwrap_or(p).to_string())
                .collect();
            rows.sort();
            rows.dedup();
            let at = rows.first().and_then(|r| {
                st.origins
                    .iter()
                    .find(|(p, _)| p.starts_with(r.as_str()))
                    .map(|(_, o)| o.clone())
            });
            // Those cells are not in the report, so they have no origin either.
            for p in values.keys() {
                st.origins.remove(p);
            }
            st.diag(Diagnostic::new(
                "recognize.rows_not_in_edition",
                Severity::Warning,
                at,
                format!("以下行不属于 {edition} 版表格，其数值未写入：{}；如版本判断有误，请用 --edition 指定", rows.join(", ")),
                format!("these rows are not part of the {edition} tables and were not written: {}; if the edition is wrong, pass --edition", rows.join(", ")),
            ));
        }
    }
    let info = report.info_mut();
    info.agency = meta.agency;
    info.report_year = meta.year;
    info.title = meta.title;
    info.published_date = meta.published;
    if meta.url.is_some() {
        info.source.get_or_insert_with(Default::default).url = meta.url;
    }
    Ok(Recognized {
        report,
        diagnostics: st.diagnostics,
        origins: st.origins,
    })
}

#[derive(Default)]
struct State {
    values: HashMap<String, Cell>,
    origins: HashMap<String, Origin>,
    diagnostics: Vec<Diagnostic>,
    found_sections: Vec<&'static str>,
}

impl State {
    fn diag(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn found(&mut self, section: &'static str) {
        if !self.found_sections.contains(&section) {
            self.found_sections.push(section);
        }
    }

    /// Store a resolved row and report anything uncertain about it.
    fn store_row(
        &mut self,
        section: &'static str,
        row_path: &str,
        columns: &[&str],
        label: &Token,
        tokens: &[&Token],
        res: &Resolution,
    ) {
        self.found(section);
        let origin = tokens.first().map(|t| &t.origin).unwrap_or(&label.origin);
        for (i, col) in columns.iter().enumerate() {
            let path = if row_path.is_empty() {
                format!("{section}.{col}")
            } else {
                format!("{section}.{row_path}.{col}")
            };
            if let Some(c) = &res.cells[i] {
                self.values.insert(path.clone(), c.clone());
            } else {
                self.values.insert(path.clone(), Cell::Blank);
            }
            let o = tokens
                .get(i)
                .filter(|_| res.how == How::AsPrinted)
                .map(|t| &t.origin)
                .unwrap_or(origin);
            self.origins.insert(path, o.clone());
        }
        let printed: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        let shown = printed.join(" ");
        let lab = label.text.trim();
        let at = label.origin.clone();
        let line_zh = at.zh();
        let path = if row_path.is_empty() {
            section.to_string()
        } else {
            format!("{section}.{row_path}")
        };
        if tokens.is_empty() {
            return;
        }
        match res.how {
            How::AsPrinted => {
                for (i, c) in res.cells.iter().enumerate() {
                    if c.is_none() {
                        let text = &tokens[i].text;
                        self.diag(
                            Diagnostic::new(
                                "recognize.value_not_a_number",
                                Severity::Warning,
                                Some(tokens[i].origin.clone()),
                                format!("{}「{lab}」第 {} 列的内容「{text}」不是数值（或不是整数），已留空；请核对原文", tokens[i].origin.zh(), i + 1),
                                format!("{} \"{lab}\" column {}: {text:?} is not a number (or not a whole number); left null, check the source", tokens[i].origin, i + 1),
                            )
                            .at_path(format!("{path}.{}", columns[i])),
                        );
                    }
                }
            }
            How::Split => self.diag(
                Diagnostic::new(
                    "recognize.cells_split_by_total",
                    Severity::Info,
                    Some(at.clone()),
                    format!(
                        "{line_zh}「{lab}」的数值连在一起（{shown}），按本行合计唯一拆分为：{}",
                        show_cells(&res.cells)
                    ),
                    format!(
                        "{at} \"{lab}\": values ran together ({shown}); the row's own total allows only one split: {}",
                        show_cells(&res.cells)
                    ),
                )
                .at_path(path),
            ),
            How::Partial | How::Unresolved => {
                let unknown: Vec<&str> = columns
                    .iter()
                    .zip(&res.cells)
                    .filter(|(_, c)| c.is_none())
                    .map(|(c, _)| *c)
                    .collect();
                self.diag(
                    Diagnostic::new(
                        "recognize.row_cells_uncertain",
                        Severity::Warning,
                        Some(at.clone()),
                        format!(
                            "{line_zh}「{lab}」应有 {} 个数值，实际为「{shown}」（{} 个）；无法证明位置的单元格已留空：{}。请对照原表补正",
                            columns.len(),
                            tokens.len(),
                            unknown.join(", ")
                        ),
                        format!(
                            "{at} \"{lab}\" should have {} values but reads \"{shown}\" ({} tokens); cells whose position cannot be proven are left null: {}. Check against the original table",
                            columns.len(),
                            tokens.len(),
                            unknown.join(", ")
                        ),
                    )
                    .at_path(path),
                );
            }
        }
    }
}

fn show_cells(cells: &[Option<Cell>]) -> String {
    cells
        .iter()
        .map(|c| match c {
            None => "?".to_string(),
            Some(Cell::Blank) => "(空)".to_string(),
            Some(c) => c.display().into_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Token index ranges of each table.
#[derive(Debug, Default, Clone, Copy)]
struct Regions {
    sec2: Option<(usize, usize)>,
    sec3: Option<(usize, usize)>,
    sec4: Option<(usize, usize)>,
}

impl Regions {
    fn find(tokens: &[Token]) -> Regions {
        let keys: Vec<String> = tokens.iter().map(|t| key(&t.text)).collect();
        let find_from = |from: usize, f: &dyn Fn(&str) -> bool| -> Option<usize> {
            (from..keys.len()).find(|&i| f(&keys[i]))
        };
        let s2 = find_from(0, &|k| k.contains("第二十条第"));
        let s3 = find_from(s2.unwrap_or(0), &|k| {
            k.contains("勾稽关系")
                || k.contains("申请人情况")
                || k.contains("本年新收政府信息公开申请")
                || k.contains("本年新收")
        });
        let s4 = find_from(s3.or(s2).unwrap_or(0), &|k| {
            (k.contains("行政复议") || k.contains("行政法复议") || k == "复议")
                && !k.contains("勾稽")
        });
        let end_of_4 = |from: usize| -> usize {
            let mut seen_value = false;
            for i in from..keys.len() {
                let k = &keys[i];
                if k.starts_with("五、") || k.starts_with("六、") {
                    return i;
                }
                if crate::read::text::is_value_like(&tokens[i].text) {
                    seen_value = true;
                } else if seen_value && !labels::is_section4_header(k) && !k.is_empty() {
                    return i;
                }
            }
            keys.len()
        };
        // A section with no known section after it runs to the next part's heading.
        let end_of_part = |from: usize, next: &dyn Fn(&str) -> bool| -> usize {
            (from..keys.len())
                .find(|&i| {
                    let k = &keys[i];
                    k.starts_with("五、") || k.starts_with("六、") || next(k)
                })
                .unwrap_or(keys.len())
        };
        let mut r = Regions::default();
        if let Some(a) = s2 {
            let b = s3.or(s4).unwrap_or_else(|| {
                end_of_part(a + 1, &|k| {
                    (k.starts_with("三、") && k.contains("申请") && !k.contains("办理结果"))
                        || (k.starts_with("四、") && k.contains("复议"))
                })
            });
            r.sec2 = Some((a, b));
        }
        if let Some(a) = s3 {
            let b = s4.unwrap_or_else(|| {
                end_of_part(a + 1, &|k| k.starts_with("四、") && k.contains("复议"))
            });
            r.sec3 = Some((a, b));
        }
        if let Some(a) = s4 {
            r.sec4 = Some((a, end_of_4(a + 1)));
        }
        r
    }
}

fn detect_edition(tokens: &[Token], regions: &Regions) -> Option<Edition> {
    let (mut s21, mut s19, mut legacy) = (0, 0, 0);
    for t in tokens {
        let k = key(&t.text);
        // Prose mentions table words too; in a long run of text only its end can be a header.
        let n = k.chars().count();
        let k: String = if n > 80 {
            k.chars().skip(n - 60).collect()
        } else {
            k
        };
        let (a, b, c) = labels::edition_signals(&k);
        if k.contains("指标名称") || k.contains("计量单位") || k == "指标" {
            legacy += 5;
        }
        s21 += a;
        s19 += b;
        legacy += c;
    }
    // Section 三's (六) row decides between 2019 and 2021 when both kinds of headers appear.
    if let Some((a, b)) = regions.sec3 {
        let has_sub = tokens[a..b].iter().any(|t| {
            let k = key(&t.text);
            k.contains("不补正") || k.contains("缴纳费用")
        });
        let has_other = tokens[a..b]
            .iter()
            .any(|t| key(&t.text).contains("其他处理"));
        if has_sub {
            return Some(Edition::E2021);
        }
        if has_other {
            return Some(Edition::E2019);
        }
    }
    if legacy > s21 + s19 || (s21 == 0 && s19 == 0 && legacy > 0) {
        return Some(Edition::Legacy);
    }
    if s21 == 0 && s19 == 0 {
        return None;
    }
    Some(if s21 >= s19 {
        Edition::E2021
    } else {
        Edition::E2019
    })
}

/// A row being collected: its label token, its path and columns, its value tokens.
struct Pending<'a> {
    label: &'a Token,
    path: &'static str,
    columns: &'static [&'static str],
    values: Vec<&'a Token>,
}

fn is_value(t: &Token) -> bool {
    t.slot || t.text.is_empty() || crate::read::text::is_value_like(&t.text)
}

fn section2(tokens: &[Token], edition: Edition, st: &mut State) -> Option<AmountUnit> {
    let mut unit = None;
    let mut rows: Vec<Pending> = Vec::new();
    let mut cur: Option<Pending> = None;
    let mut joined = String::new();
    for t in tokens {
        if is_value(t) {
            joined.clear();
            if let Some(p) = cur.as_mut() {
                p.values.push(t);
            }
            continue;
        }
        let k = key(&t.text);
        if k.contains("采购总金额") {
            unit = if k.contains("万元") {
                Some(AmountUnit::TenThousandYuan)
            } else if k.contains("元") {
                Some(AmountUnit::Yuan)
            } else {
                None
            };
        }
        joined.push_str(&k);
        let hit = labels::section2_row(&k, edition).or_else(|| {
            (joined != k)
                .then(|| labels::section2_row(&joined, edition))
                .flatten()
        });
        if let Some((path, cols)) = hit {
            joined.clear();
            if let Some(p) = cur.take() {
                rows.push(p);
            }
            cur = Some(Pending {
                label: t,
                path,
                columns: cols,
                values: Vec::new(),
            });
        } else if cur.as_ref().is_some_and(|p| !p.values.is_empty()) {
            rows.push(cur.take().expect("checked"));
        }
    }
    rows.extend(cur);
    for row in dedupe(rows) {
        let kinds: Vec<Kind> = row
            .columns
            .iter()
            .map(|c| match *c {
                "items_net_change" => Kind::Signed,
                "fee_amount_this_year_10k_cny" | "total_amount" => Kind::Amount,
                _ => Kind::Count,
            })
            .collect();
        let mut res = values::resolve(&row.values, &kinds, &[]);
        // Units printed in cells.
        for (i, u) in res.units.clone().iter().enumerate() {
            match (row.columns[i], u) {
                ("total_amount", Some("元")) => unit = Some(AmountUnit::Yuan),
                ("total_amount", Some("万元")) => unit = Some(AmountUnit::TenThousandYuan),
                ("fee_amount_this_year_10k_cny", Some("元")) => {
                    if let Some(Some(Cell::Number(d))) = res.cells.get(i) {
                        let converted = *d / rust_decimal::Decimal::from(10_000);
                        st.diag(Diagnostic::new(
                            "recognize.unit_converted",
                            Severity::Info,
                            Some(row.label.origin.clone()),
                            format!(
                                "{}「{}」印为 {d}元，按万元记为 {}",
                                row.label.origin.zh(),
                                row.label.text,
                                converted.normalize()
                            ),
                            format!(
                                "{} \"{}\" printed {d}元 (yuan); recorded as {} in 10,000 CNY",
                                row.label.origin,
                                row.label.text,
                                converted.normalize()
                            ),
                        ));
                        res.cells[i] = Some(Cell::Number(converted.normalize()));
                    }
                }
                _ => {}
            }
        }
        st.store_row(
            "proactive_disclosure",
            row.path,
            row.columns,
            row.label,
            &row.values,
            &res,
        );
    }
    unit
}

/// When a label matched twice (a prose mention and the table row), keep the row with values.
fn dedupe(rows: Vec<Pending<'_>>) -> Vec<Pending<'_>> {
    let mut out: Vec<Pending> = Vec::new();
    for r in rows {
        if let Some(prev) = out.iter_mut().find(|p| p.path == r.path) {
            if prev.values.is_empty() {
                *prev = r;
            }
            continue;
        }
        out.push(r);
    }
    out
}

fn section3(tokens: &[Token], edition: Edition, st: &mut State) {
    let mut rows: Vec<Pending> = Vec::new();
    let mut cur: Option<Pending> = None;
    let mut joined = String::new();
    let mut after_other = false;
    for t in tokens {
        if is_value(t) {
            joined.clear();
            if let Some(p) = cur.as_mut() {
                p.values.push(t);
            }
            continue;
        }
        let k = key(&t.text);
        if k.is_empty() {
            continue;
        }
        joined.push_str(&k);
        let m = labels::section3_row(&k, edition, after_other).or_else(|| {
            (joined != k)
                .then(|| labels::section3_row(&joined, edition, after_other))
                .flatten()
        });
        match m {
            Some(label) => {
                joined.clear();
                if let Some(p) = cur.take() {
                    rows.push(p);
                }
                if let Sec3Label::Row(path) = label {
                    if path.starts_with("results.other_handling") {
                        after_other = true;
                    }
                    cur = Some(Pending {
                        label: t,
                        path,
                        columns: &labels::SEC3_COLUMNS,
                        values: Vec::new(),
                    });
                } else if k.contains("其他处理") {
                    after_other = true;
                }
            }
            None => {
                if cur.as_ref().is_some_and(|p| !p.values.is_empty()) {
                    rows.push(cur.take().expect("checked"));
                }
            }
        }
    }
    rows.extend(cur);
    let rule = [SumRule {
        parts: (0..6).collect(),
        total: 6,
    }];
    let mut seen = Vec::new();
    let mut empty = 0;
    for row in dedupe(rows) {
        seen.push(row.path);
        if row.values.is_empty() {
            empty += 1;
        }
        let res = values::resolve(&row.values, &[Kind::Count; 7], &rule);
        st.store_row(
            "applications",
            row.path,
            row.columns,
            row.label,
            &row.values,
            &res,
        );
    }
    let expected = expected_sec3_rows(edition);
    let missing: Vec<&str> = expected
        .iter()
        .filter(|p| !seen.contains(p))
        .copied()
        .collect();
    if !seen.is_empty() && !missing.is_empty() {
        let at = tokens.first().map(|t| t.origin.clone());
        st.diag(Diagnostic::new(
            "recognize.rows_not_found",
            Severity::Warning,
            at,
            format!(
                "第三部分表格中未找到以下行，其数值留空：{}",
                missing.join(", ")
            ),
            format!(
                "section 三: these rows were not found and are left null: {}",
                missing.join(", ")
            ),
        ));
    }
    if empty > 0 {
        let at = tokens.first().map(|t| t.origin.clone());
        st.diag(Diagnostic::new(
            "recognize.rows_without_values",
            Severity::Info,
            at,
            format!("第三部分有 {empty} 行没有任何数值（表格未填写或复制时丢失），按留空处理"),
            format!("section 三: {empty} rows carry no values at all (unfilled, or lost in copying); kept as blank"),
        ));
    }
}

fn expected_sec3_rows(edition: Edition) -> Vec<&'static str> {
    let mut v = vec![
        "new_applications",
        "carried_over_from_previous_year",
        "results.granted",
        "results.partially_granted",
        "results.denied.state_secret",
        "results.denied.prohibited_by_other_law",
        "results.denied.endangers_security_stability",
        "results.denied.third_party_rights",
        "results.denied.internal_affairs",
        "results.denied.process_information",
        "results.denied.enforcement_case_file",
        "results.denied.administrative_query_matter",
        "results.unable_to_provide.not_held",
        "results.unable_to_provide.requires_creation",
        "results.unable_to_provide.unclear_after_correction",
        "results.not_processed.petition_complaint",
        "results.not_processed.duplicate",
        "results.not_processed.publication_request",
        "results.not_processed.excessive_without_reason",
        "results.not_processed.confirm_or_reissue",
    ];
    if edition == Edition::E2021 {
        v.extend([
            "results.other_handling.correction_overdue",
            "results.other_handling.fee_unpaid",
            "results.other_handling.other",
        ]);
    } else {
        v.push("results.other_handling");
    }
    v.extend(["results.total", "carried_forward_to_next_year"]);
    v
}

fn section4(tokens: &[Token], st: &mut State) {
    let header = tokens.first().expect("region is non-empty");
    let vals: Vec<&Token> = tokens.iter().filter(|t| is_value(t)).collect();
    // Leading blanks are merged header cells, not values: with 15 or more value tokens the
    // row is the last 15 (a grid keeps a blank first cell); with fewer, blanks before the
    // first number are filler.
    let start = if vals.len() >= 15 && vals[..vals.len() - 15].iter().all(|t| t.text.is_empty()) {
        vals.len() - 15
    } else {
        vals.iter().position(|t| !t.text.is_empty()).unwrap_or(0)
    };
    let vals = &vals[start..];
    if vals.iter().all(|t| t.text.is_empty()) {
        // The table is printed (its column headers are there) but holds no number: the
        // section is present with every cell blank, and that is said.
        let headers = ["结果维持", "结果纠正", "尚未审结"];
        let printed = headers
            .iter()
            .all(|h| tokens.iter().any(|t| key(&t.text).contains(h)));
        if printed {
            st.found("review_litigation");
            for col in labels::SEC4_COLUMNS {
                st.values
                    .insert(format!("review_litigation.{col}"), Cell::Blank);
            }
            st.diag(Diagnostic::new(
                "recognize.rows_without_values",
                Severity::Warning,
                Some(header.origin.clone()),
                format!(
                    "{}第四部分表格没有填写任何数值，全部留空",
                    header.origin.zh()
                ),
                format!(
                    "{}: the section 四 table holds no values; all cells left blank",
                    header.origin
                ),
            ));
        }
        return;
    }
    let rules: Vec<SumRule> = (0..3)
        .map(|g| SumRule {
            parts: (g * 5..g * 5 + 4).collect(),
            total: g * 5 + 4,
        })
        .collect();
    let res = values::resolve(vals, &[Kind::Count; 15], &rules);
    st.store_row(
        "review_litigation",
        "",
        &labels::SEC4_COLUMNS,
        header,
        vals,
        &res,
    );
}
