//! The statistical tables of sections 二, 三 and 四, edition by edition.
//!
//! Field identifiers follow `template-spec.md` §7: the same name wherever the meaning is the same
//! across editions, a different name where the measure differs.

use crate::cell::{Amount, Count, Signed};
use crate::table;
#[cfg(feature = "schemars")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------------------------
// Section 三: the application matrix (rows × 7 applicant columns). Same ids in 2019 and 2021.
// ---------------------------------------------------------------------------------------------

table! {
    /// One row of the section 三 matrix: the 7 applicant columns.
    pub struct ApplicantRow {
        natural_person: Count => "自然人", "Natural persons",
        commercial_enterprise: Count => "商业企业", "Commercial enterprises",
        research_institution: Count => "科研机构", "Research institutions",
        public_welfare_org: Count => "社会公益组织", "Social public-welfare organizations",
        legal_service_agency: Count => "法律服务机构", "Legal service agencies",
        other_org: Count => "其他", "Other organizations",
        total: Count => "总计", "Total",
    }
}

table! {
    /// （三）不予公开: the eight reasons.
    pub struct Denied {
        state_secret: ApplicantRow => "1.属于国家秘密", "State secret",
        prohibited_by_other_law: ApplicantRow => "2.其他法律行政法规禁止公开", "Disclosure prohibited by other laws or administrative regulations",
        endangers_security_stability: ApplicantRow => "3.危及“三安全一稳定”", "Would endanger national, public or economic security or social stability",
        third_party_rights: ApplicantRow => "4.保护第三方合法权益", "To protect lawful rights of third parties",
        internal_affairs: ApplicantRow => "5.属于三类内部事务信息", "Internal-affairs information (three kinds)",
        process_information: ApplicantRow => "6.属于四类过程性信息", "Process information (four kinds)",
        enforcement_case_file: ApplicantRow => "7.属于行政执法案卷", "Administrative law-enforcement case files",
        administrative_query_matter: ApplicantRow => "8.属于行政查询事项", "Matters subject to administrative inquiry procedures",
    }
}

table! {
    /// （四）无法提供: the three reasons.
    pub struct UnableToProvide {
        not_held: ApplicantRow => "1.本机关不掌握相关政府信息", "Agency does not hold the information",
        requires_creation: ApplicantRow => "2.没有现成信息需要另行制作", "No existing information; would have to be created",
        unclear_after_correction: ApplicantRow => "3.补正后申请内容仍不明确", "Request still unclear after correction",
    }
}

table! {
    /// （五）不予处理: the five reasons.
    pub struct NotProcessed {
        petition_complaint: ApplicantRow => "1.信访举报投诉类申请", "Petition, report or complaint-type requests",
        duplicate: ApplicantRow => "2.重复申请", "Duplicate applications",
        publication_request: ApplicantRow => "3.要求提供公开出版物", "Requests for published materials",
        excessive_without_reason: ApplicantRow => "4.无正当理由大量反复申请", "Mass or repeated applications without legitimate reason",
        confirm_or_reissue: ApplicantRow => "5.要求行政机关确认或重新出具已获取信息", "Requests to confirm or re-issue information already obtained",
    }
}

table! {
    /// （六）其他处理 in the 2021 edition: three sub-rows.
    pub struct OtherHandling2021 {
        correction_overdue: ApplicantRow => "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "Applicant failed to correct in time without good reason; not processed further",
        fee_unpaid: ApplicantRow => "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "Applicant did not pay the charged fee in time; not processed further",
        other: ApplicantRow => "3.其他", "Other",
        #[optional]
        subtotal: ApplicantRow => "（六）其他处理（印为一行）", "Other handling printed as one row: a report on the 2021 form whose section 三 prints （六） as the single row of the 2019 form (a mixed form); absent otherwise",
    }
}

table! {
    /// 三、本年度办理结果 (2021 edition).
    pub struct Results2021 {
        granted: ApplicantRow => "（一）予以公开", "Disclosed",
        partially_granted: ApplicantRow => "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "Partially disclosed (cases handled separately counted only here)",
        denied: Denied => "（三）不予公开", "Not disclosed",
        unable_to_provide: UnableToProvide => "（四）无法提供", "Unable to provide",
        not_processed: NotProcessed => "（五）不予处理", "Not processed",
        other_handling: OtherHandling2021 => "（六）其他处理", "Other handling",
        total: ApplicantRow => "（七）总计", "Total handled",
    }
}

table! {
    /// 三、本年度办理结果 (2019 edition): （六）其他处理 is one row.
    pub struct Results2019 {
        granted: ApplicantRow => "（一）予以公开", "Disclosed",
        partially_granted: ApplicantRow => "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "Partially disclosed (cases handled separately counted only here)",
        denied: Denied => "（三）不予公开", "Not disclosed",
        unable_to_provide: UnableToProvide => "（四）无法提供", "Unable to provide",
        not_processed: NotProcessed => "（五）不予处理", "Not processed",
        other_handling: ApplicantRow => "（六）其他处理", "Other handling",
        total: ApplicantRow => "（七）总计", "Total handled",
    }
}

table! {
    /// 三、收到和处理政府信息公开申请情况 (2021 edition).
    pub struct Applications2021 {
        new_applications: ApplicantRow => "一、本年新收政府信息公开申请数量", "New applications received this year",
        carried_over_from_previous_year: ApplicantRow => "二、上年结转政府信息公开申请数量", "Applications carried over from the previous year",
        results: Results2021 => "三、本年度办理结果", "Handling results this year",
        carried_forward_to_next_year: ApplicantRow => "四、结转下年度继续办理", "Carried forward to the next year",
    }
}

table! {
    /// 三、收到和处理政府信息公开申请情况 (2019 edition).
    pub struct Applications2019 {
        new_applications: ApplicantRow => "一、本年新收政府信息公开申请数量", "New applications received this year",
        carried_over_from_previous_year: ApplicantRow => "二、上年结转政府信息公开申请数量", "Applications carried over from the previous year",
        results: Results2019 => "三、本年度办理结果", "Handling results this year",
        carried_forward_to_next_year: ApplicantRow => "四、结转下年度继续办理", "Carried forward to the next year",
    }
}

// ---------------------------------------------------------------------------------------------
// Section 四: review and litigation (identical in 2019 and 2021).
// ---------------------------------------------------------------------------------------------

table! {
    /// Five outcome columns of section 四.
    pub struct Outcomes {
        upheld: Count => "结果维持", "Decision upheld",
        corrected: Count => "结果纠正", "Decision corrected",
        other_outcome: Count => "其他结果", "Other outcome",
        pending: Count => "尚未审结", "Not yet concluded",
        total: Count => "总计", "Total",
    }
}

table! {
    /// 四、政府信息公开行政复议、行政诉讼情况: 15 numbers.
    pub struct ReviewLitigation {
        administrative_review: Outcomes => "行政复议", "Administrative reconsideration",
        litigation_direct: Outcomes => "行政诉讼·未经复议直接起诉", "Litigation filed directly, without review",
        litigation_after_review: Outcomes => "行政诉讼·复议后起诉", "Litigation filed after review",
    }
}

// ---------------------------------------------------------------------------------------------
// Section 二 (2021 edition).
// ---------------------------------------------------------------------------------------------

table! {
    /// A row of 第二十条第（一）项 in the 2021 edition.
    pub struct Item1Row2021 {
        issued_this_year: Count => "本年制发件数", "Issued this year (pieces)",
        repealed_this_year: Count => "本年废止件数", "Repealed this year (pieces)",
        in_force_count: Count => "现行有效件数", "Currently in force (pieces)",
    }
}

table! {
    /// 第二十条第（一）项 (2021).
    pub struct Art20Item1_2021 {
        rules: Item1Row2021 => "规章", "Rules (规章)",
        normative_documents: Item1Row2021 => "行政规范性文件", "Administrative normative documents",
    }
}

table! {
    /// A row with one column 本年处理决定数量 (2021).
    pub struct DecisionsRow {
        decisions_this_year: Count => "本年处理决定数量", "Number of decisions made this year",
    }
}

table! {
    /// 第二十条第（五）项 (2021).
    pub struct Art20Item5_2021 {
        administrative_licensing: DecisionsRow => "行政许可", "Administrative licensing",
    }
}

table! {
    /// 第二十条第（六）项 (2021).
    pub struct Art20Item6_2021 {
        administrative_penalty: DecisionsRow => "行政处罚", "Administrative penalties",
        administrative_compulsion: DecisionsRow => "行政强制", "Administrative compulsory measures",
    }
}

table! {
    /// The fee row of 第二十条第（八）项 (2021).
    pub struct FeeAmountRow {
        fee_amount_this_year_10k_cny: Amount => "本年收费金额（单位：万元）", "Fees collected this year, in 10,000 CNY",
    }
}

table! {
    /// 第二十条第（八）项 (2021).
    pub struct Art20Item8_2021 {
        administrative_fees: FeeAmountRow => "行政事业性收费", "Administrative and institutional fees",
    }
}

table! {
    /// 二、主动公开政府信息情况 (2021 edition).
    pub struct ProactiveDisclosure2021 {
        art20_item1: Art20Item1_2021 => "第二十条第（一）项", "Art. 20(1): rules and normative documents",
        art20_item5: Art20Item5_2021 => "第二十条第（五）项", "Art. 20(5): administrative licensing",
        art20_item6: Art20Item6_2021 => "第二十条第（六）项", "Art. 20(6): penalties and compulsion",
        art20_item8: Art20Item8_2021 => "第二十条第（八）项", "Art. 20(8): administrative fees",
    }
}

// ---------------------------------------------------------------------------------------------
// Section 二 (2019 edition).
// ---------------------------------------------------------------------------------------------

table! {
    /// A row of 第二十条第（一）项 in the 2019 edition.
    pub struct Item1Row2019 {
        newly_made_this_year: Count => "本年新制作数量", "Newly made this year",
        newly_disclosed_this_year: Count => "本年新公开数量", "Newly disclosed this year",
        disclosed_total: Count => "对外公开总数量", "Total disclosed to the public (cumulative)",
    }
}

table! {
    /// 第二十条第（一）项 (2019).
    pub struct Art20Item1_2019 {
        rules: Item1Row2019 => "规章", "Rules (规章)",
        normative_documents: Item1Row2019 => "规范性文件", "Normative documents",
    }
}

table! {
    /// A row of items (5) and (6) in the 2019 edition.
    pub struct ItemsDecisionsRow2019 {
        items_previous_year: Count => "上一年项目数量", "Number of items in the previous year",
        items_net_change: Signed => "本年增/减", "Net increase (+) or decrease (−) this year",
        decisions: Count => "处理决定数量", "Number of decisions",
    }
}

table! {
    /// 第二十条第（五）项 (2019).
    pub struct Art20Item5_2019 {
        administrative_licensing: ItemsDecisionsRow2019 => "行政许可", "Administrative licensing",
        other_external_services: ItemsDecisionsRow2019 => "其他对外管理服务事项", "Other external management and service matters",
    }
}

table! {
    /// 第二十条第（六）项 (2019).
    pub struct Art20Item6_2019 {
        administrative_penalty: ItemsDecisionsRow2019 => "行政处罚", "Administrative penalties",
        administrative_compulsion: ItemsDecisionsRow2019 => "行政强制", "Administrative compulsory measures",
    }
}

table! {
    /// The fee-items row of 第二十条第（八）项 (2019).
    pub struct FeeItemsRow2019 {
        items_previous_year: Count => "上一年项目数量", "Number of fee items in the previous year",
        items_net_change: Signed => "本年增/减", "Net increase (+) or decrease (−) this year",
    }
}

table! {
    /// 第二十条第（八）项 (2019).
    pub struct Art20Item8_2019 {
        administrative_fees: FeeItemsRow2019 => "行政事业性收费", "Administrative and institutional fees",
    }
}

/// The unit a procurement amount was printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AmountUnit {
    /// 元 (CNY).
    Yuan,
    /// 万元 (10,000 CNY).
    #[serde(rename = "10k_yuan")]
    TenThousandYuan,
}

/// The 政府集中采购 row of 第二十条第（九）项 (2019 edition only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProcurementRow {
    /// 采购项目数量
    ///
    /// Number of procurement projects
    #[serde(default)]
    #[cfg_attr(feature = "schemars", schemars(
        title = "采购项目数量",
        description = "Number of procurement projects",
        extend("x-title-en" = "Number of procurement projects")
    ))]
    pub projects_count: Count,
    /// 采购总金额
    ///
    /// Total procurement amount, in the unit given by `total_amount_unit`
    #[serde(default)]
    #[cfg_attr(feature = "schemars", schemars(
        title = "采购总金额",
        description = "Total procurement amount, in the unit given by total_amount_unit",
        extend("x-title-en" = "Total procurement amount")
    ))]
    pub total_amount: Amount,
    /// 采购总金额的单位
    ///
    /// Unit of the amount as printed (header or cell): `yuan`, `10k_yuan`, or null when not printed
    #[serde(default)]
    #[cfg_attr(feature = "schemars", schemars(
        title = "采购总金额的单位",
        description = "Unit of the amount as printed in the header or the cell; null when the report printed none",
        extend("x-title-en" = "Unit of the total amount")
    ))]
    pub total_amount_unit: Option<AmountUnit>,
}

impl ProcurementRow {
    /// The fields of this table, in form order, with their labels.
    pub const FIELDS: &'static [crate::Field] = &[
        crate::Field {
            id: "projects_count",
            zh: "采购项目数量",
            en: "Number of procurement projects",
        },
        crate::Field {
            id: "total_amount",
            zh: "采购总金额",
            en: "Total procurement amount",
        },
    ];
}

impl crate::Absent for ProcurementRow {}

impl crate::Visit for ProcurementRow {
    fn visit<'a>(
        &'a self,
        path: &mut Vec<crate::Seg>,
        f: &mut dyn FnMut(&[crate::Seg], &'a crate::Cell, crate::Kind),
    ) {
        path.push(crate::Seg::Field(&Self::FIELDS[0]));
        self.projects_count.visit(path, f);
        path.pop();
        path.push(crate::Seg::Field(&Self::FIELDS[1]));
        self.total_amount.visit(path, f);
        path.pop();
    }
    fn visit_mut(
        &mut self,
        path: &mut Vec<crate::Seg>,
        f: &mut dyn FnMut(&[crate::Seg], &mut crate::Cell, crate::Kind),
    ) {
        path.push(crate::Seg::Field(&Self::FIELDS[0]));
        self.projects_count.visit_mut(path, f);
        path.pop();
        path.push(crate::Seg::Field(&Self::FIELDS[1]));
        self.total_amount.visit_mut(path, f);
        path.pop();
    }
}

table! {
    /// 第二十条第（九）项 (2019 only).
    pub struct Art20Item9_2019 {
        centralized_procurement: ProcurementRow => "政府集中采购", "Centralized government procurement",
    }
}

table! {
    /// 二、主动公开政府信息情况 (2019 edition).
    pub struct ProactiveDisclosure2019 {
        art20_item1: Art20Item1_2019 => "第二十条第（一）项", "Art. 20(1): rules and normative documents",
        art20_item5: Art20Item5_2019 => "第二十条第（五）项", "Art. 20(5): licensing and other external management/service matters",
        art20_item6: Art20Item6_2019 => "第二十条第（六）项", "Art. 20(6): penalties and compulsion",
        art20_item8: Art20Item8_2019 => "第二十条第（八）项", "Art. 20(8): administrative fee items",
        art20_item9: Art20Item9_2019 => "第二十条第（九）项", "Art. 20(9): centralized government procurement",
    }
}
