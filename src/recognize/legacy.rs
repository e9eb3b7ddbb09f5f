//! The legacy 统计表 (reports on 2008–2018): an open list of indicators.
//!
//! Layout: a header `指标(名称) | (计量)单位 | value columns…` (value columns such as `数量`,
//! `2015年度`, `历年累计`), then one indicator per row: label, optional unit, values. Labels are
//! kept as printed; known ones get a canonical id (template-spec §4.2–4.3).

use xxgk_schema::{Amount, Cell, Kind, LegacyIndicator, LegacyStatistics};

use super::labels::key;
use super::values::{self, How};
use crate::diagnostic::{Diagnostic, Origin, Severity};
use crate::read::text::{is_value_like, Token};
use crate::scan::holds;

const UNITS: [&str; 10] = [
    "人次", "万元", "条", "件", "个", "次", "人", "篇", "元", "项",
];

fn is_unit(k: &str) -> bool {
    UNITS.contains(&k)
}

fn is_column_header(k: &str) -> bool {
    const WORDS: [&str; 12] = [
        "数量",
        "数值",
        "本期实际",
        "本年累计",
        "历年累计",
        "累计",
        "统计数",
        "本年度",
        "本年",
        "合计",
        "上年",
        "总数",
    ];
    WORDS.contains(&k)
        || (k.len() >= 4
            && k.chars().take(4).all(|c| c.is_ascii_digit())
            && (k.ends_with("年度") || k.ends_with('年')))
}

/// Split a header text into its header words and any label text that ran into it.
/// Returns (value columns found, remaining label text).
fn parse_header(k: &str) -> Option<(Vec<String>, String)> {
    let starts = ["统计指标", "指标名称", "指标"];
    let mut rest = starts.iter().find_map(|s| k.strip_prefix(s))?;
    let bare = rest.is_empty();
    let mut unit_header = false;
    for u in ["计量单位", "单位"] {
        if let Some(r) = rest.strip_prefix(u) {
            rest = r;
            unit_header = true;
        }
    }
    let mut cols = Vec::new();
    loop {
        let yr: String = rest.chars().take(4).collect();
        if yr.len() == 4 && yr.chars().all(|c| c.is_ascii_digit()) {
            let after = &rest[4..];
            if let Some(r) = after.strip_prefix("年度") {
                cols.push(format!("{yr}年度"));
                rest = r;
                continue;
            }
            if let Some(r) = after.strip_prefix('年') {
                cols.push(format!("{yr}年"));
                rest = r;
                continue;
            }
        }
        let words = [
            "本期实际",
            "本年累计",
            "历年累计",
            "统计数",
            "数量",
            "数值",
            "累计",
            "本年度",
        ];
        if let Some(w) = words.iter().find(|w| rest.starts_with(**w)) {
            cols.push((*w).to_string());
            rest = &rest[w.len()..];
            continue;
        }
        break;
    }
    // `指标体系…` in prose is not a header: require the unit header, a value column, or nothing.
    if !(bare || unit_header || !cols.is_empty()) {
        return None;
    }
    Some((cols, rest.to_string()))
}

/// Strip a unit glued to the end of a label (`行政复议数件` → `行政复议数`, `件`).
fn split_label_unit(label: &str) -> (String, Option<String>) {
    let l = label.trim();
    if let Some((a, b)) = l.rsplit_once(' ') {
        let bk = key(b);
        if is_unit(&bk) {
            return (a.trim().to_string(), Some(bk));
        }
    }
    for u in UNITS {
        if let Some(a) = l.strip_suffix(u) {
            if a.chars().count() >= 2 && !a.ends_with('文') && !a.ends_with(['其', '第', '收'])
            {
                return (a.to_string(), Some(u.to_string()));
            }
        }
    }
    (l.to_string(), None)
}

fn is_group_heading(k: &str) -> bool {
    const NUMS: &str = "一二三四五六七八九十";
    let enumerated = k.chars().next().is_some_and(|c| NUMS.contains(c))
        && k.chars().nth(1) == Some('、')
        || (k.starts_with('(') && k.chars().nth(1).is_some_and(|c| NUMS.contains(c)));
    enumerated && (holds(k, "统计") || k.ends_with("情况"))
}

/// Canonical ids of the common legacy indicators.
pub fn indicator_id(label: &str) -> Option<&'static str> {
    let k = key(label);
    let k = k.as_str();
    let has = |p: &str| holds(k, p);
    let id = if has("全文电子化") {
        "proactive_items_full_text_electronic"
    } else if has("网站公开") {
        "proactive_via_website"
    } else if has("公报公开") {
        "proactive_via_gazette"
    } else if has("规范性文件") && (has("新增") || has("制发")) {
        "new_normative_documents"
    } else if has("主动公开") && !has("其中") {
        "proactive_items"
    } else if has("提供服务类") {
        "service_information_items"
    } else if has("访问量") {
        "portal_column_page_views"
    } else if has("现场接待") {
        "onsite_visitors"
    } else if has("网上咨询") {
        "online_inquiries"
    } else if has("咨询电话") {
        "phone_inquiries"
    } else if has("依申请公开信息目录") {
        "on_request_catalog_entries"
    } else if has("当面申请") {
        "applications_in_person"
    } else if has("信函") && has("传真") {
        "applications_letter_or_fax"
    } else if has("传真申请") {
        "applications_fax"
    } else if has("电子邮件申请") {
        "applications_email"
    } else if has("网上申请") || has("网络申请") {
        "applications_online"
    } else if has("信函申请") {
        "applications_letter"
    } else if has("其他形式申请") || has("其它形式申请") {
        "applications_other"
    } else if has("受理申请数")
        || has("申请总数")
        || has("申请总次数")
        || has("依申请公开信息总数")
        || has("收到申请数")
    {
        "applications_total"
    } else if has("答复总数") {
        "replies_total"
    } else if has("同意部分公开") {
        "replies_partially_granted"
    } else if has("同意公开") {
        "replies_granted"
    } else if has("否决公开") || has("不予公开答复") || k.ends_with("不予公开数") {
        "replies_refused_total"
    } else if has("其他类型答复") {
        "replies_other"
    } else if has("国家秘密") {
        "refused_state_secret"
    } else if has("商业秘密") {
        "refused_trade_secret"
    } else if has("个人隐私") {
        "refused_privacy"
    } else if has("信息不存在") {
        "refused_info_not_exist"
    } else if has("非本") && (has("掌握") || has("职责")) {
        "refused_not_held"
    } else if has("申请内容不明确") {
        "refused_unclear"
    } else if has("重复申请") {
        "refused_duplicate"
    } else if has("申诉") {
        "admin_appeal_cases"
    } else if has("行政复议") {
        "admin_review_cases"
    } else if has("行政诉讼") && !has("举报") {
        "litigation_cases"
    } else if has("收费减免") {
        "fee_waiver_amount"
    } else if has("收取费用总") || has("收费总") {
        "fees_total"
    } else if has("检索费") {
        "fee_search"
    } else if has("邮寄费") {
        "fee_postage"
    } else if has("复制费") && has("纸") {
        "fee_copy_paper"
    } else if has("复制费") && has("光盘") {
        "fee_copy_cd"
    } else if has("复制费") && (has("磁盘") || has("软盘")) {
        "fee_copy_disk"
    } else if has("全职人员") {
        "staff_full_time"
    } else if has("兼职人员") {
        "staff_part_time"
    } else if has("专职人员") && has("总") {
        "staff_total"
    } else if has("专项经费") {
        "dedicated_budget_10k_cny"
    } else if has("实际支出") {
        "actual_expenditure_10k_cny"
    } else if has("与诉讼有关") {
        "litigation_costs_10k_cny"
    } else {
        return None;
    };
    Some(id)
}

struct Row<'a> {
    label: String,
    origin: Origin,
    group: Option<String>,
    unit: Option<String>,
    values: Vec<&'a Token>,
}

type Out = (Option<LegacyStatistics>, Vec<Diagnostic>, super::Origins);

/// Recognize the legacy 统计表 in the tokens.
pub fn recognize(tokens: &[Token]) -> Out {
    let mut diags = Vec::new();
    let mut origins = super::Origins::default();
    // The header may sit at the end of a long run of prose (a flattened page): cut it out.
    let header_at = |t: &Token| -> Option<usize> {
        t.text
            .match_indices("指标")
            .map(|(i, _)| {
                // Include a preceding 统计 (统计指标).
                if t.text[..i].ends_with("统计") {
                    i - "统计".len()
                } else {
                    i
                }
            })
            .find(|&i| parse_header(&key(&t.text[i..])).is_some())
    };
    // Prefer a header cell of its own (a grid) over a header buried in a long run of prose
    // (a narrative that quotes the table).
    let short = |t: &Token| t.text.chars().count() <= 12;
    let Some((start, cut)) = tokens
        .iter()
        .enumerate()
        .find_map(|(i, t)| short(t).then(|| header_at(t)).flatten().map(|c| (i, c)))
        .or_else(|| {
            tokens
                .iter()
                .enumerate()
                .find_map(|(i, t)| header_at(t).map(|c| (i, c)))
        })
    else {
        return (None, diags, origins);
    };
    let mut owned: Vec<Token> = tokens[start..].to_vec();
    let rest = owned[0].text[cut..].to_string();
    owned[0].set_text(rest);
    let tokens = &owned[..];
    let start = 0;
    let mut columns: Vec<String> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut group: Option<String> = None;
    let mut in_header = false;
    for t in &tokens[start..] {
        if t.text.is_empty() || is_value_like(&t.text) {
            if !in_header {
                if let Some(r) = rows.last_mut() {
                    r.values.push(t);
                }
            }
            continue;
        }
        let k = t.key().to_string();
        if k.starts_with("扫一扫") || k.starts_with("附件下载") || k.contains("打印本页")
        {
            break;
        }
        // A long sentence is prose after the table.
        if k.chars().count() > 80 && (k.contains('。') || k.contains(',')) {
            break;
        }
        if in_header && (k == "单位" || k == "计量单位") {
            continue;
        }
        // Words of this token, for space-separated copies.
        let mut words: Vec<String> = vec![t.text.trim().to_string()];
        if parse_header(&k).is_none() && !is_column_header(&k) && t.text.contains(' ') {
            words = t.text.split(' ').map(str::to_string).collect();
        }
        let mut label_acc = String::new();
        let flush = |acc: &mut String, rows: &mut Vec<Row>, group: &Option<String>| {
            if acc.trim().is_empty() {
                acc.clear();
                return;
            }
            let (label, unit) = split_label_unit(acc);
            rows.push(Row {
                label,
                origin: t.origin.clone(),
                group: group.clone(),
                unit,
                values: Vec::new(),
            });
            acc.clear();
        };
        for w in words {
            let wk = key(&w);
            if wk.is_empty() || wk == "其中:" {
                if wk == "其中:" {
                    label_acc.push_str("其中:");
                }
                continue;
            }
            if let Some((cols, rest)) = parse_header(&wk) {
                flush(&mut label_acc, &mut rows, &group);
                in_header = true;
                if !cols.is_empty() {
                    columns = cols;
                    in_header = false;
                }
                if !rest.is_empty() {
                    in_header = false;
                    label_acc.push_str(&rest);
                }
                continue;
            }
            if in_header && (wk == "单位" || wk == "计量单位") {
                continue;
            }
            if in_header && is_column_header(&wk) {
                if columns.is_empty() || columns.len() < 4 && !columns.contains(&wk) {
                    if columns.iter().any(|c| c == "数量") && wk == "数量" {
                        continue;
                    }
                    columns.push(wk.clone());
                }
                continue;
            }
            in_header = false;
            if is_unit(&wk) {
                flush(&mut label_acc, &mut rows, &group);
                if let Some(r) = rows.last_mut() {
                    if r.unit.is_none() && r.values.is_empty() {
                        r.unit = Some(wk);
                        continue;
                    }
                }
            }
            if is_group_heading(&wk) && label_acc.is_empty() {
                flush(&mut label_acc, &mut rows, &group);
                group = Some(w.trim().to_string());
                continue;
            }
            if !label_acc.is_empty() && !label_acc.ends_with(':') {
                flush(&mut label_acc, &mut rows, &group);
            }
            label_acc.push_str(w.trim());
        }
        flush(&mut label_acc, &mut rows, &group);
    }
    if columns.is_empty() {
        columns.push("数量".to_string());
    }
    let n = columns.len();
    let mut stats = LegacyStatistics {
        value_columns: columns,
        indicators: Vec::new(),
    };
    let mut used_ids: Vec<&'static str> = Vec::new();
    for mut row in rows {
        // An empty unit cell before the values (a grid with a 单位 column) is not a value.
        while row.values.len() > n && row.values.first().is_some_and(|t| t.text.is_empty()) {
            row.values.remove(0);
        }
        let res = values::resolve(&row.values, &vec![Kind::Amount; n], &[]);
        let id = indicator_id(&row.label).filter(|id| !used_ids.contains(id));
        if let Some(id) = id {
            used_ids.push(id);
        }
        let ind = LegacyIndicator {
            id: id.map(str::to_string),
            label: row.label.clone(),
            group: row.group.clone(),
            unit: row.unit.clone(),
            values: res
                .cells
                .iter()
                .map(|c| Amount(c.clone().unwrap_or(Cell::Blank)))
                .collect(),
        };
        let pos = stats.indicators.len();
        for c in 0..n {
            origins.insert(
                format!("statistics.{}.c{}", ind.key(pos), c + 1),
                row.values
                    .first()
                    .map(|t| t.origin.clone())
                    .unwrap_or_else(|| row.origin.clone()),
            );
        }
        if !row.values.is_empty() && matches!(res.how, How::Partial | How::Unresolved | How::Split)
        {
            let shown: Vec<&str> = row.values.iter().map(|t| t.text.as_str()).collect();
            let shown = shown.join(" ");
            let known: Vec<String> = res
                .cells
                .iter()
                .map(|c| {
                    c.as_ref()
                        .map(|c| c.display().into_owned())
                        .unwrap_or("?".into())
                })
                .collect();
            let (sev, code) = if res.how == How::Split {
                (Severity::Info, "recognize.cells_split_by_total")
            } else {
                (Severity::Warning, "recognize.row_cells_uncertain")
            };
            diags.push(
                Diagnostic::new(
                    code,
                    sev,
                    Some(row.origin.clone()),
                    format!(
                        "{}「{}」应有 {n} 个数值（{}），实际为「{shown}」；读作：{}（? 为无法确定，已留空）",
                        row.origin.zh(),
                        row.label,
                        stats.value_columns.join("、"),
                        known.join(" ")
                    ),
                    format!(
                        "{} \"{}\" should have {n} values ({}) but reads \"{shown}\"; read as: {} (? = cannot be placed, left null)",
                        row.origin,
                        row.label,
                        stats.value_columns.join(", "),
                        known.join(" ")
                    ),
                )
                .at_path(format!("statistics.{}", ind.key(pos))),
            );
        }
        stats.indicators.push(ind);
    }
    if stats.indicators.is_empty() {
        return (None, diags, origins);
    }
    (Some(stats), diags, origins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_parsing() {
        let (cols, rest) =
            parse_header("指标名称计量单位2015年度历年累计主动公开文件数条").unwrap();
        assert_eq!(cols, ["2015年度", "历年累计"]);
        assert_eq!(rest, "主动公开文件数条");
        assert_eq!(
            split_label_unit(&rest),
            ("主动公开文件数".into(), Some("条".into()))
        );
        assert!(parse_header("主动公开信息数").is_none());
    }

    #[test]
    fn ids() {
        assert_eq!(indicator_id("受理申请数"), Some("applications_total"));
        assert_eq!(
            indicator_id("其中:1.当面申请数"),
            Some("applications_in_person")
        );
        assert_eq!(
            indicator_id("2.同意部分公开数"),
            Some("replies_partially_granted")
        );
        assert_eq!(
            indicator_id("处理政府信息公开的专项经费"),
            Some("dedicated_budget_10k_cny")
        );
    }
}
