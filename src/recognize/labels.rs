//! Matching printed labels to rows: one place that knows every wording seen in real reports.
//!
//! Labels are compared by their [`key`]: NFKC-normalized text with whitespace, quotes and stray
//! `|` removed, so `商业 企业`, `(六)其\n他处理` (joined by the caller) and `（一）` match alike.

use xxgk_schema::Edition;

/// The matching key of a label: no whitespace, no quotes, no `|`.
pub fn key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '|' | '*'))
        .collect()
}

/// A row of the section 三 matrix, by its path under `applications`.
pub fn section3_row(key: &str, edition: Edition, after_other_handling: bool) -> Option<Sec3Label> {
    use Sec3Label::*;
    let k = key;
    let long = k.chars().count() > 60;
    let has = |p: &str| if long { k.ends_with(p) } else { k.contains(p) };
    let row = |p: &'static str| Some(Row(p));
    if has("本年新收") {
        return row("new_applications");
    }
    if has("上年结转") {
        return row("carried_over_from_previous_year");
    }
    if has("结转下") {
        return row("carried_forward_to_next_year");
    }
    if has("本年度办理结果") && !has("予以公开") {
        return Some(Group);
    }
    if has("部分公开") {
        return row("results.partially_granted");
    }
    if has("予以公开") {
        return row("results.granted");
    }
    if has("国家秘密") {
        return row("results.denied.state_secret");
    }
    if has("禁止公开") {
        return row("results.denied.prohibited_by_other_law");
    }
    if has("三安全一稳定") || has("危及") {
        return row("results.denied.endangers_security_stability");
    }
    if has("第三方") {
        return row("results.denied.third_party_rights");
    }
    if has("内部事务") || has("内容事务") || has("三类内") {
        return row("results.denied.internal_affairs");
    }
    if has("过程性") {
        return row("results.denied.process_information");
    }
    if has("执法案卷") {
        return row("results.denied.enforcement_case_file");
    }
    if has("行政查询") {
        return row("results.denied.administrative_query_matter");
    }
    if has("不予公开") {
        return Some(Group);
    }
    if has("不掌握") {
        return row("results.unable_to_provide.not_held");
    }
    if has("另行制作") {
        return row("results.unable_to_provide.requires_creation");
    }
    if has("仍不明确") || has("补正后") {
        return row("results.unable_to_provide.unclear_after_correction");
    }
    if has("无法提供") {
        return Some(Group);
    }
    if has("信访") || has("举报投诉") {
        return row("results.not_processed.petition_complaint");
    }
    if has("重复申请") {
        return row("results.not_processed.duplicate");
    }
    if has("出版物") {
        return row("results.not_processed.publication_request");
    }
    if has("大量反复") {
        return row("results.not_processed.excessive_without_reason");
    }
    if has("重新出具") || has("确认或") {
        return row("results.not_processed.confirm_or_reissue");
    }
    if has("不予处理") {
        return Some(Group);
    }
    if has("逾期不补正") || has("不补正") {
        return row("results.other_handling.correction_overdue");
    }
    if has("缴纳费用") || has("收费通知") {
        return row("results.other_handling.fee_unpaid");
    }
    // Our own workbook's row for a mixed form's one-row （六）: `（六）其他处理（印为一行）`.
    if has("其他处理") && has("印为一行") {
        return row("results.other_handling.subtotal");
    }
    if has("其他处理") {
        return match edition {
            Edition::E2019 => row("results.other_handling"),
            _ => Some(Group),
        };
    }
    if k.ends_with("3.其他") || (after_other_handling && k == "其他") {
        return row("results.other_handling.other");
    }
    if k.ends_with("(七)总计") || k.ends_with("七)总计") || (after_other_handling && k == "总计")
    {
        return row("results.total");
    }
    None
}

/// What a section 三 label is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sec3Label {
    /// A data row: its path under `applications`.
    Row(&'static str),
    /// A group heading without values.
    Group,
}

/// Column ids of the section 三 matrix, in data order.
pub const SEC3_COLUMNS: [&str; 7] = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "public_welfare_org",
    "legal_service_agency",
    "other_org",
    "total",
];

/// A row of section 二: its path under `proactive_disclosure` and its column ids.
pub fn section2_row(
    key: &str,
    edition: Edition,
) -> Option<(&'static str, &'static [&'static str])> {
    let long = key.chars().count() > 40;
    let has = |p: &str| {
        if long {
            key.ends_with(p)
        } else {
            key.contains(p)
        }
    };
    const I1_2021: &[&str] = &["issued_this_year", "repealed_this_year", "in_force_count"];
    const I1_2019: &[&str] = &[
        "newly_made_this_year",
        "newly_disclosed_this_year",
        "disclosed_total",
    ];
    const DEC_2021: &[&str] = &["decisions_this_year"];
    const DEC_2019: &[&str] = &["items_previous_year", "items_net_change", "decisions"];
    const FEE_2021: &[&str] = &["fee_amount_this_year_10k_cny"];
    const FEE_2019: &[&str] = &["items_previous_year", "items_net_change"];
    const PROC: &[&str] = &["projects_count", "total_amount"];
    let e21 = edition == Edition::E2021;
    // Header cells that contain row words but are not rows.
    if !long && (key.contains("信息内容") || key.starts_with("第二十条")) {
        return None;
    }
    if has("规范性文件") {
        return Some((
            "art20_item1.normative_documents",
            if e21 { I1_2021 } else { I1_2019 },
        ));
    }
    if has("规章") {
        return Some(("art20_item1.rules", if e21 { I1_2021 } else { I1_2019 }));
    }
    if has("其他对外管理服务事项") && !e21 {
        return Some(("art20_item5.other_external_services", DEC_2019));
    }
    if has("行政许可") {
        return Some((
            "art20_item5.administrative_licensing",
            if e21 { DEC_2021 } else { DEC_2019 },
        ));
    }
    if has("行政处罚") {
        return Some((
            "art20_item6.administrative_penalty",
            if e21 { DEC_2021 } else { DEC_2019 },
        ));
    }
    if has("行政强制") {
        return Some((
            "art20_item6.administrative_compulsion",
            if e21 { DEC_2021 } else { DEC_2019 },
        ));
    }
    if has("行政事业性收费") || has("行政事业型收费") || has("事业性收费") {
        return Some((
            "art20_item8.administrative_fees",
            if e21 { FEE_2021 } else { FEE_2019 },
        ));
    }
    if has("政府集中采购") && !e21 {
        return Some(("art20_item9.centralized_procurement", PROC));
    }
    None
}

/// Header labels of section 四 (they never carry values).
pub fn is_section4_header(key: &str) -> bool {
    const H: [&str; 10] = [
        "行政复议",
        "行政诉讼",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "未经复议直接起诉",
        "复议后起诉",
        "行政法复议",
    ];
    H.contains(&key)
        || key.contains("行政复议") && key.contains("行政诉讼")
        || (key.chars().count() <= 30 && (key.contains("复议") || key.contains("诉讼")))
        || H.iter()
            .any(|h| key.ends_with(h) && key.starts_with("结果"))
}

/// Section 四 column paths, in data order.
pub const SEC4_COLUMNS: [&str; 15] = [
    "administrative_review.upheld",
    "administrative_review.corrected",
    "administrative_review.other_outcome",
    "administrative_review.pending",
    "administrative_review.total",
    "litigation_direct.upheld",
    "litigation_direct.corrected",
    "litigation_direct.other_outcome",
    "litigation_direct.pending",
    "litigation_direct.total",
    "litigation_after_review.upheld",
    "litigation_after_review.corrected",
    "litigation_after_review.other_outcome",
    "litigation_after_review.pending",
    "litigation_after_review.total",
];

/// Signals of each edition in the tables' labels (template-spec §6.6).
pub fn edition_signals(key: &str) -> (u32, u32, u32) {
    let mut s21 = 0;
    let mut s19 = 0;
    let mut legacy = 0;
    for p in [
        "本年制发件数",
        "本年废止件数",
        "现行有效件",
        "本年处理决定数量",
        "本年收费金额",
        "不补正",
        "缴纳费用",
    ] {
        if key.contains(p) {
            s21 += 1;
        }
    }
    for p in [
        "本年新制作",
        "上一年项目数量",
        "本年增/",
        "第二十条第(九)项",
        "政府集中采购",
        "其他对外管理服务事项",
        "对外公开总数量",
    ] {
        if key.contains(p) {
            s19 += 1;
        }
    }
    for p in [
        "指标名称",
        "计量单位",
        "受理申请数",
        "当面申请数",
        "全文电子化",
        "收取费用总数",
        "同意公开答复数",
        "主动公开信息数",
        "申请总数",
    ] {
        if key.contains(p) {
            legacy += 1;
        }
    }
    (s21, s19, legacy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section3_labels_and_variants() {
        let m = |s: &str| section3_row(&key(s), Edition::E2021, false);
        assert_eq!(
            m("一、本年新收政府信息公开申请数量"),
            Some(Sec3Label::Row("new_applications"))
        );
        assert_eq!(
            m("5.属于三类内容事务信息"),
            Some(Sec3Label::Row("results.denied.internal_affairs"))
        );
        assert_eq!(m("(三)不予公开"), Some(Sec3Label::Group));
        assert_eq!(m("(六)其他处理"), Some(Sec3Label::Group));
        assert_eq!(
            section3_row("(六)其他处理", Edition::E2019, false),
            Some(Sec3Label::Row("results.other_handling"))
        );
        assert_eq!(
            m("1.申请人无正常理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            Some(Sec3Label::Row("results.other_handling.correction_overdue"))
        );
        assert_eq!(
            m("四、结转下一年度继续办理"),
            Some(Sec3Label::Row("carried_forward_to_next_year"))
        );
        assert_eq!(m("总计"), None);
        assert_eq!(
            section3_row("总计", Edition::E2021, true),
            Some(Sec3Label::Row("results.total"))
        );
        assert_eq!(m("商业企业"), None);
    }

    #[test]
    fn section2_labels() {
        assert_eq!(
            section2_row("行政事业型收费", Edition::E2021).map(|r| r.0),
            Some("art20_item8.administrative_fees")
        );
        assert_eq!(
            section2_row("规范性文件", Edition::E2021).map(|r| r.0),
            Some("art20_item1.normative_documents")
        );
        assert_eq!(section2_row("信息内容", Edition::E2021), None);
    }
}
