//! The tables of sections 二, 三 and 四: their forms (rows, columns, headers) and reading them.
//!
//! Owns the list of rows each section's form prints, in order, with their columns and header
//! words, and the glue that turns a section's tokens into stored cells: candidate rows
//! ([`super::rows`]), each row's values placed by the table's header ([`super::columns`]) or
//! counted ([`super::values`]), orphans placed by position, and a diagnostic for everything that
//! could not be read. It must not decide the report's edition (see [`super::recognize`]).

use xxgk_schema::{AmountUnit, Cell, Edition, Kind};

use crate::diagnostic::{Diagnostic, Severity};
use crate::read::token::Token;
use crate::recognize::columns::{ColumnName, HeaderSpec, Headers};
use crate::recognize::labels::{self, Sec3Label};
use crate::recognize::rows::{self, Cand, Hit};
use crate::recognize::values::{self, How, Resolution, SumRule};
use crate::recognize::State;
use crate::scan::holds;

/// One row of a section's form.
#[derive(Debug, Clone)]
pub struct FormRow {
    /// Path under the section (`art20_item1.rules`, `results.granted`).
    pub path: &'static str,
    /// Column ids, in printed order.
    pub columns: &'static [&'static str],
    /// Kind of each column.
    pub kinds: Vec<Kind>,
    /// The row's own sums.
    pub rules: Vec<SumRule>,
    /// The header that names the columns.
    pub spec: &'static HeaderSpec,
    /// A row only some reports print (not reported when absent, not stored when empty).
    pub optional: bool,
}

/// A row's cells and the token each cell was read from.
#[derive(Debug, Clone)]
pub struct Placed<'a> {
    /// The cells.
    pub res: Resolution,
    /// The token of each cell, when the cell was read from one token.
    pub cell_tokens: Vec<Option<&'a Token>>,
}

impl Placed<'_> {
    /// Every cell known (taken as printed, split with proof, or placed by column).
    pub fn fits(&self) -> bool {
        matches!(self.res.how, How::AsPrinted | How::Split | How::ByColumn)
    }
}

/// Whether a token is a value (a number, a mark, a blank cell, or a word in a value slot).
pub fn is_value(t: &Token) -> bool {
    t.slot || t.text.is_empty() || crate::read::text::is_value_like(&t.text)
}

/// Place a candidate's values in the cells of `row`: as printed when their count is right,
/// by the table's header when the values have places, otherwise by the never-shift rules of
/// [`values::resolve`].
pub fn place<'a>(c: &Cand<'a>, row: &FormRow, headers: &Headers) -> Placed<'a> {
    let n = row.columns.len();
    let mut vals: Vec<&'a Token> = c.values.clone();
    while vals.len() > n && vals.last().is_some_and(|t| t.text.is_empty()) {
        vals.pop();
    }
    if vals.len() > n {
        // Blank cells between the values (merged cells copied as empty tab fields): when the
        // printed values alone are as many as the cells, they can only stand in order.
        let printed: Vec<&'a Token> = vals
            .iter()
            .copied()
            .filter(|t| !t.text.is_empty())
            .collect();
        if printed.len() == n {
            vals = printed;
        }
    }
    if vals.len() != n {
        let table = vals.first().and_then(|t| t.place).map(|p| p.table);
        let same_table = table.is_some()
            && vals
                .iter()
                .all(|t| t.place.is_some_and(|p| Some(p.table) == table));
        if same_table {
            let table = table.expect("checked");
            if let Some(m) = headers.map_for(row.spec, table, c.at) {
                if let Some(by_col) = m.place(&c.values) {
                    let mut cells = Vec::with_capacity(n);
                    let mut units = Vec::with_capacity(n);
                    for (t, k) in by_col.iter().zip(&row.kinds) {
                        match t {
                            None => {
                                cells.push(Some(Cell::Blank));
                                units.push(None);
                            }
                            Some(t) => match values::parse_value(&t.text) {
                                values::Parsed::Cell(c, u) if values::fits_kind(&c, *k) => {
                                    cells.push(Some(c));
                                    units.push(u);
                                }
                                _ => {
                                    cells.push(None);
                                    units.push(None);
                                }
                            },
                        }
                    }
                    return Placed {
                        res: Resolution {
                            cells,
                            units,
                            how: How::ByColumn,
                            readings: 1,
                            texts: Vec::new(),
                        },
                        cell_tokens: by_col,
                    };
                }
            }
        }
    }
    let res = values::resolve(&vals, &row.kinds, &row.rules);
    let cell_tokens = if res.how == How::AsPrinted {
        vals.iter().map(|t| Some(*t)).collect()
    } else {
        vec![None; n]
    };
    Placed { res, cell_tokens }
}

/// A section read: each form row's chosen candidate and its cells.
pub struct SectionRows<'a> {
    /// (form row index, candidate, placed cells), in form order.
    pub rows: Vec<(usize, Cand<'a>, Placed<'a>)>,
    /// Form rows with no candidate at all.
    pub missing: Vec<usize>,
    /// Form rows whose label was found but no value.
    pub empty: Vec<usize>,
}

/// Read the candidate rows of a section against its form: choose one candidate per row, place
/// orphans by position, and report what stays unplaced.
pub fn read_rows<'a>(
    section: &'static str,
    section_zh: &str,
    tokens: &'a [Token],
    form: &[FormRow],
    hit: &mut dyn FnMut(&str) -> Hit,
    st: &mut State,
) -> SectionRows<'a> {
    let headers = Headers::scan(tokens, is_value);
    let cands = rows::assemble(tokens, hit, &is_value);
    let placed: Vec<Option<Placed<'a>>> = cands
        .iter()
        .map(|c| c.row.map(|r| place(c, &form[r], &headers)))
        .collect();
    // One candidate per form row: the first that fits, else the first with values, else the
    // first at all (a prose mention of a label comes before the table row, without values).
    let mut by_row: Vec<Vec<usize>> = vec![Vec::new(); form.len()];
    for (i, c) in cands.iter().enumerate() {
        if let Some(r) = c.row {
            by_row[r].push(i);
        }
    }
    let chosen: Vec<Option<usize>> = (0..form.len())
        .map(|r| {
            let of_row = &by_row[r];
            let fits = |i: &usize| {
                cands[*i].has_printed_value() && placed[*i].as_ref().is_some_and(Placed::fits)
            };
            of_row
                .iter()
                .copied()
                .find(fits)
                .or_else(|| {
                    of_row
                        .iter()
                        .copied()
                        .find(|&i| !cands[i].values.is_empty())
                })
                .or_else(|| of_row.first().copied())
        })
        .collect();
    let anchored: Vec<Option<usize>> = chosen
        .iter()
        .map(|c| {
            c.filter(|&i| {
                !cands[i].values.is_empty() && placed[i].as_ref().is_some_and(Placed::fits)
            })
        })
        .collect();
    // Orphans placed by position.
    let mut assigned: Vec<Option<(usize, Placed<'a>)>> = vec![None; form.len()];
    for mut gap in rows::gaps(&cands, &anchored, form.len()) {
        // A row only some reports print proves nothing by its absence.
        gap.open.retain(|&r| !form[r].optional);
        let damaged: Vec<usize> = gap
            .open
            .iter()
            .copied()
            .filter(|&r| chosen[r].is_some_and(|i| cands[i].has_printed_value()))
            .collect();
        let targets: Option<Vec<usize>> = if gap.orphans.len() == gap.open.len() {
            Some(gap.open.clone())
        } else if gap.orphans.len() == gap.open.len() - damaged.len().min(gap.open.len()) {
            Some(
                gap.open
                    .iter()
                    .copied()
                    .filter(|r| !damaged.contains(r))
                    .collect(),
            )
        } else {
            None
        };
        let fitted: Option<Vec<Placed<'a>>> = targets.as_ref().and_then(|t| {
            gap.orphans
                .iter()
                .zip(t)
                .map(|(&o, &r)| {
                    let p = place(&cands[o], &form[r], &headers);
                    p.fits().then_some(p)
                })
                .collect()
        });
        match (targets, fitted) {
            (Some(t), Some(fitted)) if !t.is_empty() => {
                for ((o, r), p) in gap.orphans.iter().zip(t).zip(fitted) {
                    let c = &cands[*o];
                    let at = c.values.first().map(|v| v.origin.clone());
                    let origin = at.clone().map(|o| o.zh()).unwrap_or_default();
                    let origin_en = at.clone().map(|o| o.to_string()).unwrap_or_default();
                    let label = if c.label_text.is_empty() {
                        "（无标签）".to_string()
                    } else {
                        format!("「{}」", c.label_text)
                    };
                    let label_en = if c.label_text.is_empty() {
                        "(no label)".to_string()
                    } else {
                        format!("{:?}", c.label_text)
                    };
                    st.diag(
                        Diagnostic::new(
                            "recognize.row_placed_by_position",
                            Severity::Info,
                            at,
                            {
                                let (zh, _) = row_names(section, std::iter::once(form[r].path));
                                format!(
                                    "{origin} 的一行数值{label}没有可识别的行标签；它位于两行已识别的行之间，只能是{zh}，已按此读取"
                                )
                            },
                            {
                                let (_, en) = row_names(section, std::iter::once(form[r].path));
                                format!(
                                    "{origin_en}: a row of values {label_en} has no recognizable row label; it stands between two recognized rows where only {en} fits, and was read as that row"
                                )
                            },
                        )
                        .at_path(format!("{section}.{}", form[r].path)),
                    );
                    if let Some(prev) = chosen[r] {
                        if cands[prev].has_printed_value() {
                            let shown: Vec<&str> =
                                cands[prev].values.iter().map(|t| t.text.as_str()).collect();
                            let at = cands[prev].values.first().map(|v| v.origin.clone());
                            st.diag(Diagnostic::new(
                                "recognize.values_without_row",
                                Severity::Warning,
                                at.clone(),
                                format!(
                                    "{}「{}」后的数值「{}」不属于该行（该行的数值在别处），未读取；请核对原文",
                                    at.as_ref().map(|o| o.zh()).unwrap_or_default(),
                                    cands[prev].label_text,
                                    shown.join(" ")
                                ),
                                format!(
                                    "{}: the values {:?} after {:?} do not belong to that row (its values are elsewhere) and were not read; check the source",
                                    at.as_ref().map(|o| o.to_string()).unwrap_or_default(),
                                    shown.join(" "),
                                    cands[prev].label_text
                                ),
                            ));
                        }
                    }
                    assigned[r] = Some((*o, p));
                }
            }
            _ => {
                for &o in &gap.orphans {
                    let c = &cands[o];
                    let shown: Vec<&str> = c.values.iter().map(|t| t.text.as_str()).collect();
                    let at = c.values.first().map(|v| v.origin.clone());
                    let zh_at = at.as_ref().map(|o| o.zh()).unwrap_or_default();
                    let en_at = at.as_ref().map(|o| o.to_string()).unwrap_or_default();
                    let label = if c.label_text.is_empty() {
                        String::new()
                    } else {
                        format!("（行标签「{}」无法识别）", c.label_text)
                    };
                    let label_en = if c.label_text.is_empty() {
                        String::new()
                    } else {
                        format!(" (its row label {:?} is not recognized)", c.label_text)
                    };
                    st.diag(Diagnostic::new(
                        "recognize.values_without_row",
                        Severity::Warning,
                        at,
                        format!(
                            "{zh_at} {section_zh}的数值「{}」无法确定属于哪一行{label}，未读取；请对照原表补正",
                            shown.join(" ")
                        ),
                        format!(
                            "{en_at}: section {section_zh} values {:?} cannot be tied to a row{label_en} and were not read; check against the original table",
                            shown.join(" ")
                        ),
                    ));
                }
            }
        }
    }
    // Assemble the result in form order.
    let mut out = SectionRows {
        rows: Vec::new(),
        missing: Vec::new(),
        empty: Vec::new(),
    };
    let mut placed = placed;
    for r in 0..form.len() {
        if let Some((o, p)) = assigned[r].take() {
            out.rows.push((r, cands[o].clone(), p));
            continue;
        }
        match chosen[r] {
            Some(i) if form[r].optional && cands[i].values.is_empty() => {}
            None if form[r].optional => {}
            Some(i) => {
                let c = cands[i].clone();
                if c.values.is_empty() {
                    out.empty.push(r);
                }
                let p = placed[i].take().expect("a candidate with a row is placed");
                out.rows.push((r, c, p));
            }
            None => out.missing.push(r),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------------------------

const fn name(contains: &'static [&'static str], exact: &'static [&'static str]) -> ColumnName {
    ColumnName { contains, exact }
}

/// Section 三: the applicant columns (also `数据1` … `数据6` as PDF converters write them).
pub static SEC3_HEADER: HeaderSpec = HeaderSpec {
    columns: &[
        name(&["自然人"], &["数据1"]),
        name(&["商业"], &["数据2"]),
        name(&["科研"], &["数据3"]),
        name(&["公益"], &["数据4"]),
        name(&["法律服务", "法律"], &["数据5"]),
        name(&[], &["其他", "其它", "数据6"]),
        name(&[], &["总计", "合计", "总数"]),
    ],
    groups: &["法人或其他组织", "申请人情况", "勾稽", "信息公开申请"],
    repeat: 1,
};

/// Section 四: five outcomes, three times (复议, 直接起诉, 复议后起诉), left to right.
pub static SEC4_HEADER: HeaderSpec = HeaderSpec {
    columns: &[
        name(&["维持"], &[]),
        name(&["纠正"], &[]),
        name(&["其他结果"], &["其他"]),
        name(&["尚未审结", "审结"], &[]),
        name(&[], &["总计", "合计"]),
    ],
    groups: &["行政复议", "行政诉讼", "直接起诉", "复议后起诉"],
    repeat: 3,
};

static ITEM1_2021: HeaderSpec = HeaderSpec {
    columns: &[
        name(&["制发"], &[]),
        name(&["废止"], &[]),
        name(&["现行有效", "有效"], &[]),
    ],
    groups: &["信息内容"],
    repeat: 1,
};
static ITEM1_2019: HeaderSpec = HeaderSpec {
    columns: &[
        name(&["新制作", "制作"], &[]),
        name(&["新公开"], &[]),
        name(&["公开总数", "总数量"], &[]),
    ],
    groups: &["信息内容"],
    repeat: 1,
};
static DECISIONS_2021: HeaderSpec = HeaderSpec {
    columns: &[name(&["处理决定", "决定数量"], &[])],
    groups: &["信息内容"],
    repeat: 1,
};
static ITEMS_2019: HeaderSpec = HeaderSpec {
    columns: &[
        name(&["上一年", "上年"], &[]),
        name(&["增/减", "增减", "增/"], &[]),
        name(&["处理决定", "决定数量"], &[]),
    ],
    groups: &["信息内容"],
    repeat: 1,
};
static FEE_2021: HeaderSpec = HeaderSpec {
    columns: &[name(&["收费金额", "金额"], &[])],
    groups: &["信息内容"],
    repeat: 1,
};
static FEE_2019: HeaderSpec = HeaderSpec {
    columns: &[
        name(&["上一年", "上年"], &[]),
        name(&["增/减", "增减", "增/"], &[]),
    ],
    groups: &["信息内容"],
    repeat: 1,
};
static PROC_2019: HeaderSpec = HeaderSpec {
    columns: &[name(&["项目数量"], &[]), name(&["总金额", "金额"], &[])],
    groups: &["信息内容"],
    repeat: 1,
};

// ---------------------------------------------------------------------------------------------
// Section 二
// ---------------------------------------------------------------------------------------------

fn kinds_of(columns: &[&str]) -> Vec<Kind> {
    columns
        .iter()
        .map(|c| match *c {
            "items_net_change" => Kind::Signed,
            "fee_amount_this_year_10k_cny" | "total_amount" => Kind::Amount,
            _ => Kind::Count,
        })
        .collect()
}

/// The rows of section 二's form, and the index of the first row of each item (1, 5, 6, 8, 9).
fn section2_form(edition: Edition) -> (Vec<FormRow>, Vec<(u8, usize)>) {
    let paths: &[&str] = if edition == Edition::E2021 {
        &[
            "art20_item1.rules",
            "art20_item1.normative_documents",
            "art20_item5.administrative_licensing",
            "art20_item6.administrative_penalty",
            "art20_item6.administrative_compulsion",
            "art20_item8.administrative_fees",
        ]
    } else {
        &[
            "art20_item1.rules",
            "art20_item1.normative_documents",
            "art20_item5.administrative_licensing",
            "art20_item5.other_external_services",
            "art20_item6.administrative_penalty",
            "art20_item6.administrative_compulsion",
            "art20_item8.administrative_fees",
            "art20_item9.centralized_procurement",
        ]
    };
    let e21 = edition == Edition::E2021;
    let rows = paths
        .iter()
        .map(|&p| {
            let (columns, spec): (&'static [&'static str], &'static HeaderSpec) =
                match (p.split('.').next().unwrap_or(""), e21) {
                    ("art20_item1", true) => (
                        &["issued_this_year", "repealed_this_year", "in_force_count"],
                        &ITEM1_2021,
                    ),
                    ("art20_item1", false) => (
                        &[
                            "newly_made_this_year",
                            "newly_disclosed_this_year",
                            "disclosed_total",
                        ],
                        &ITEM1_2019,
                    ),
                    ("art20_item5" | "art20_item6", true) => {
                        (&["decisions_this_year"], &DECISIONS_2021)
                    }
                    ("art20_item5" | "art20_item6", false) => (
                        &["items_previous_year", "items_net_change", "decisions"],
                        &ITEMS_2019,
                    ),
                    ("art20_item8", true) => (&["fee_amount_this_year_10k_cny"], &FEE_2021),
                    ("art20_item8", false) => {
                        (&["items_previous_year", "items_net_change"], &FEE_2019)
                    }
                    _ => (&["projects_count", "total_amount"], &PROC_2019),
                };
            FormRow {
                path: p,
                columns,
                kinds: kinds_of(columns),
                rules: Vec::new(),
                spec,
                optional: false,
            }
        })
        .collect::<Vec<_>>();
    let mut items = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let item: u8 = r.path[10..11].parse().unwrap_or(0);
        if items.last().is_none_or(|&(it, _)| it != item) {
            items.push((item, i));
        }
    }
    (rows, items)
}

/// The item number of a heading `第二十条第（五）项`.
fn item_heading(k: &str) -> Option<u8> {
    let i = memchr::memmem::find(k.as_bytes(), "第二十条第".as_bytes())?;
    let rest = &k[i + "第二十条第".len()..];
    let rest = rest.trim_start_matches(['(', '（']);
    let n = match rest.chars().next()? {
        '一' => 1,
        '五' => 5,
        '六' => 6,
        '八' => 8,
        '九' => 9,
        _ => return None,
    };
    Some(n)
}

/// Which form section 二 is printed on, from its header words (template-spec §3.5).
pub fn section2_form_of(tokens: &[Token]) -> Option<Edition> {
    let (mut a, mut b) = (0, 0);
    for t in tokens {
        let k = t.key();
        if k.chars().count() > 40 {
            continue; // prose
        }
        let (x, y, _) = labels::edition_signals(k);
        a += x;
        b += y;
    }
    match (a, b) {
        (0, 0) => None,
        (a, b) if a >= b => Some(Edition::E2021),
        _ => Some(Edition::E2019),
    }
}

/// Section 二: every row of every item, placed by its sub-table's header. Returns the unit of
/// the procurement amount, if printed.
pub fn section2(tokens: &[Token], edition: Edition, st: &mut State) -> Option<AmountUnit> {
    let (form, items) = section2_form(edition);
    let mut unit = None;
    for t in tokens {
        let k = t.key();
        if holds(k, "采购总金额") {
            unit = if holds(k, "万元") {
                Some(AmountUnit::TenThousandYuan)
            } else if holds(k, "元") {
                Some(AmountUnit::Yuan)
            } else {
                unit
            };
        }
    }
    let mut hit = |k: &str| -> Hit {
        if k.chars().count() <= 40 {
            if let Some(n) = item_heading(k) {
                return match items.iter().find(|(it, _)| *it == n) {
                    // A flattened copy may glue the item's first row to its heading and header
                    // (`第二十条第（五）项信息内容…处理决定数量行政许可`): then it is that row.
                    Some(&(_, first)) => match labels::section2_row(k, edition)
                        .and_then(|(path, _)| form.iter().position(|r| r.path == path))
                    {
                        Some(i) if i == first => Hit::Row(i),
                        _ => Hit::Boundary(first),
                    },
                    None => Hit::Group,
                };
            }
        }
        match labels::section2_row(k, edition) {
            Some((path, _)) => match form.iter().position(|r| r.path == path) {
                Some(i) => Hit::Row(i),
                None => Hit::None,
            },
            None => Hit::None,
        }
    };
    let read = read_rows(
        "proactive_disclosure",
        "第二部分",
        tokens,
        &form,
        &mut hit,
        st,
    );
    if !read.rows.is_empty() {
        report_gaps(
            ("第二部分", "二", "proactive_disclosure"),
            tokens,
            &form,
            &read,
            st,
        );
    }
    for (r, cand, mut placed) in read.rows {
        let row = &form[r];
        // Units printed in cells.
        for (i, u) in placed.res.units.clone().iter().enumerate() {
            match (row.columns[i], u) {
                ("total_amount", Some("元")) => unit = Some(AmountUnit::Yuan),
                ("total_amount", Some("万元")) => unit = Some(AmountUnit::TenThousandYuan),
                ("fee_amount_this_year_10k_cny", Some("元")) => {
                    if let Some(Some(Cell::Number(d))) = placed.res.cells.get(i) {
                        let converted = *d / rust_decimal::Decimal::from(10_000);
                        let label = cand.label.map(|l| l.origin.clone());
                        let lab = &cand.label_text;
                        let at = label.clone().map(|o| o.zh()).unwrap_or_default();
                        let at_en = label.clone().map(|o| o.to_string()).unwrap_or_default();
                        st.diag(Diagnostic::new(
                            "recognize.unit_converted",
                            Severity::Info,
                            label,
                            format!("{at}「{lab}」印为 {d}元，按万元记为 {}", converted.normalize()),
                            format!(
                                "{at_en} \"{lab}\" printed {d}元 (yuan); recorded as {} in 10,000 CNY",
                                converted.normalize()
                            ),
                        ));
                        placed.res.cells[i] = Some(Cell::Number(converted.normalize()));
                    }
                }
                _ => {}
            }
        }
        st.store_row(
            "proactive_disclosure",
            row.path,
            row.columns,
            &cand,
            &placed,
        );
    }
    unit
}

// ---------------------------------------------------------------------------------------------
// Section 三
// ---------------------------------------------------------------------------------------------

fn sec3_row(path: &'static str) -> FormRow {
    FormRow {
        path,
        columns: &labels::SEC3_COLUMNS,
        kinds: vec![Kind::Count; 7],
        rules: vec![SumRule {
            parts: (0..6).collect(),
            total: 6,
        }],
        spec: &SEC3_HEADER,
        optional: false,
    }
}

/// The rows section 三 prints: the report's edition, and the shape its （六） row is printed in
/// (`E2019`: one row; `E2021`: three sub-rows).
pub fn section3_form(edition: Edition, shape: Edition) -> Vec<FormRow> {
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
    let mut optional = None;
    match (edition, shape) {
        (_, Edition::E2021) => {
            v.extend([
                "results.other_handling.correction_overdue",
                "results.other_handling.fee_unpaid",
                "results.other_handling.other",
            ]);
            if edition == Edition::E2021 {
                // Our own workbook of a mixed report prints the one-row （六） after the sub-rows.
                optional = Some(v.len());
                v.push("results.other_handling.subtotal");
            }
        }
        (Edition::E2021, _) => v.push("results.other_handling.subtotal"),
        _ => v.push("results.other_handling"),
    }
    v.extend(["results.total", "carried_forward_to_next_year"]);
    let mut form: Vec<FormRow> = v.into_iter().map(sec3_row).collect();
    if let Some(i) = optional {
        form[i].optional = true;
    }
    form
}

/// The shape section 三's （六） row is printed in: three sub-rows (2021), one row (2019), or
/// unknown.
pub fn section3_shape(tokens: &[Token]) -> Option<Edition> {
    let mut other = false;
    for t in tokens {
        let k = t.key();
        // The words are Chinese: an ASCII key (a number) holds none.
        if k.is_ascii() {
            continue;
        }
        if crate::scan::holds(k, "不补正")
            || crate::scan::holds(k, "缴纳费用")
            || crate::scan::holds(k, "收费通知")
        {
            return Some(Edition::E2021);
        }
        other |= crate::scan::holds(k, "其他处理");
    }
    other.then_some(Edition::E2019)
}

/// Section 三: the application matrix.
pub fn section3(tokens: &[Token], edition: Edition, shape: Edition, st: &mut State) {
    let form = section3_form(edition, shape);
    let mut after_other = false;
    let mut hit = |k: &str| -> Hit {
        // Labels are matched in the shape the table is printed in.
        let m = labels::section3_row(k, shape, after_other);
        match m {
            Some(Sec3Label::Row(path)) => {
                if path.starts_with("results.other_handling") {
                    after_other = true;
                }
                let path = if edition == Edition::E2021 && path == "results.other_handling" {
                    "results.other_handling.subtotal"
                } else {
                    path
                };
                match form.iter().position(|r| r.path == path) {
                    Some(i) => Hit::Row(i),
                    None => Hit::None,
                }
            }
            Some(Sec3Label::Group) => {
                if holds(k, "其他处理") {
                    after_other = true;
                }
                Hit::Group
            }
            None => Hit::None,
        }
    };
    let read = read_rows("applications", "第三部分", tokens, &form, &mut hit, st);
    let seen = !read.rows.is_empty();
    for (r, cand, placed) in &read.rows {
        st.store_row(
            "applications",
            form[*r].path,
            form[*r].columns,
            cand,
            placed,
        );
    }
    if seen {
        report_gaps(("第三部分", "三", "applications"), tokens, &form, &read, st);
    }
}

/// Rows of a section named as the form prints them: 「…」 in Chinese, “…” in English.
fn row_names<'a>(section: &str, rows: impl Iterator<Item = &'a str>) -> (String, String) {
    let (zh, en): (Vec<String>, Vec<String>) = rows
        .map(|r| match xxgk_schema::labels(&format!("{section}.{r}")) {
            Some((zh, en)) => (format!("「{zh}」"), format!("“{en}”")),
            None => (r.to_string(), r.to_string()),
        })
        .unzip();
    (zh.join("、"), en.join("; "))
}

/// Say which rows of a section were not found, and which were found without any value.
fn report_gaps(
    (zh, en, section): (&str, &str, &str),
    tokens: &[Token],
    form: &[FormRow],
    read: &SectionRows<'_>,
    st: &mut State,
) {
    let at = tokens.first().map(|t| t.origin.clone());
    if !read.missing.is_empty() {
        let (missing_zh, missing_en) =
            row_names(section, read.missing.iter().map(|&r| form[r].path));
        st.diag(Diagnostic::new(
            "recognize.rows_not_found",
            Severity::Warning,
            at.clone(),
            format!("{zh}表格中未找到以下行，其数值留空：{missing_zh}"),
            format!("section {en}: these rows were not found and are left null: {missing_en}"),
        ));
    }
    if !read.empty.is_empty() {
        let n = read.empty.len();
        let (rows_zh, rows_en) = row_names(section, read.empty.iter().map(|&r| form[r].path));
        st.diag(Diagnostic::new(
            "recognize.rows_without_values",
            Severity::Warning,
            at,
            format!("{zh}有 {n} 行没有任何数值（表格未填写或复制时丢失），按留空处理：{rows_zh}"),
            format!(
                "section {en}: {n} rows carry no values at all (unfilled, or lost in copying); kept as blank: {rows_en}"
            ),
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// Section 四
// ---------------------------------------------------------------------------------------------

/// Section 四: one row of 15 values, placed by the header's columns when it has fewer.
pub fn section4(tokens: &[Token], st: &mut State) {
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
            .all(|h| tokens.iter().any(|t| t.key().contains(h)));
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
    let row = FormRow {
        path: "",
        columns: &labels::SEC4_COLUMNS,
        kinds: vec![Kind::Count; 15],
        rules: (0..3)
            .map(|g| SumRule {
                parts: (g * 5..g * 5 + 4).collect(),
                total: g * 5 + 4,
            })
            .collect(),
        spec: &SEC4_HEADER,
        optional: false,
    };
    let headers = Headers::scan(tokens, is_value);
    let at = tokens
        .iter()
        .position(|t| std::ptr::eq(t, vals[0]))
        .unwrap_or(0);
    let cand = Cand {
        label: Some(header),
        label_text: header.text.trim().to_string(),
        row: Some(0),
        values: vals.to_vec(),
        grid: None,
        at,
        boundary: None,
    };
    let placed = place(&cand, &row, &headers);
    st.store_row("review_litigation", "", row.columns, &cand, &placed);
}
