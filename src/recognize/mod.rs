//! Recognize: cell tokens → a typed report of the right edition, with diagnostics.
//!
//! This is the one place that decides which row is which. Every reader (text today; HTML, DOCX,
//! spreadsheets feed the same tokens) hands over a sequence of [`Token`]s in reading order; the
//! recognizer finds the tables of sections 二, 三 and 四 (or a legacy 统计表) by their labels, never
//! by fixed positions, and records where each value came from.
//!
//! It must not read files or write output, and it never invents a number: cells it cannot place
//! are null, with a diagnostic naming the line and the label.

pub mod columns;
pub mod labels;
mod legacy;
pub(crate) mod meta;
pub mod rows;
mod sections;
pub mod values;

use xxgk_schema::{Cell, Edition, Report, Visit};

use crate::diagnostic::{Diagnostic, Origin, Severity};
use crate::read::text::Token;
use sections::Placed;
use values::How;

/// Options for recognition.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Force an edition instead of detecting it from the tables.
    pub edition: Option<Edition>,
}

/// Where each cell came from, by dotted path. Hashed with FxHash: the keys are our own field
/// paths (not chosen by an input), a report has some hundreds, and iteration is deterministic.
pub type Origins = rustc_hash::FxHashMap<String, Origin>;

/// The result of recognition: the report, what was noticed, and where each value came from.
#[derive(Debug, Clone)]
pub struct Recognized {
    /// The typed report.
    pub report: Report,
    /// Diagnostics from reading and recognition.
    pub diagnostics: Vec<Diagnostic>,
    /// Origin of each value cell, by dotted path.
    pub origins: Origins,
    /// A row of a dataset: where its cells stand, kept compact. Their origins are made only
    /// when something asks ([`Recognized::all_origins`]), not for every cell of every report.
    pub row_cells: Option<RowCells>,
}

impl Recognized {
    /// A report with what was noticed and where its cells came from.
    pub fn new(report: Report, diagnostics: Vec<Diagnostic>, origins: Origins) -> Recognized {
        Recognized {
            report,
            diagnostics,
            origins,
            row_cells: None,
        }
    }
}

impl From<Report> for Recognized {
    /// A report read as it is (JSON, a dataset's table without cell places): nothing noticed,
    /// no origins.
    fn from(report: Report) -> Recognized {
        Recognized::new(report, Vec::new(), Origins::default())
    }
}

impl Recognized {
    /// The origin of a cell read from the input (not a dataset row's; see
    /// [`Recognized::all_origins`]).
    pub fn origin(&self, path: &str) -> Option<&Origin> {
        self.origins.get(path)
    }

    /// Every cell's origin, a dataset row's cells included.
    pub fn all_origins(&self) -> std::borrow::Cow<'_, Origins> {
        match &self.row_cells {
            None => std::borrow::Cow::Borrowed(&self.origins),
            Some(rc) => {
                let mut all = rc.origins();
                all.extend(self.origins.iter().map(|(k, v)| (k.clone(), v.clone())));
                std::borrow::Cow::Owned(all)
            }
        }
    }
}

/// Where the cells of one row of a dataset sheet (or CSV) stand: the sheet, the row as a
/// spreadsheet shows it, and each cell path's column (shared by every row of one edition).
#[derive(Debug, Clone)]
pub struct RowCells {
    /// The sheet's name (a CSV's file name).
    pub sheet: std::sync::Arc<str>,
    /// The row as shown (1-based).
    pub row: u32,
    /// Cell path and 0-based column.
    pub cells: std::sync::Arc<Vec<(String, u32)>>,
}

impl RowCells {
    /// The origin of every cell (`reports!HV12`).
    pub fn origins(&self) -> Origins {
        self.cells
            .iter()
            .map(|(p, c)| {
                (
                    p.clone(),
                    Origin::Cell {
                        sheet: self.sheet.to_string(),
                        cell: format!("{}{}", crate::diagnostic::col_name(*c), self.row),
                    },
                )
            })
            .collect()
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
    let mut st = State::with_room();
    let regions = Regions::find(tokens);
    let forms = Forms::find(tokens, &regions);
    let detected = detect_edition(tokens, forms);
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
            unit = sections::section2(&tokens[r.0..r.1], edition, &mut st);
        }
        let shape = forms.section3.unwrap_or(edition);
        if let Some(r) = regions.sec3 {
            sections::section3(&tokens[r.0..r.1], edition, shape, &mut st);
            if shape != edition {
                mixed_form(&mut st, edition, shape, tokens[r.0].origin.clone());
            }
        }
        if let Some(r) = regions.sec4 {
            sections::section4(&tokens[r.0..r.1], &mut st);
        }
        if st.values.is_empty() && st.found_sections.is_empty() {
            return Err(Failure::NoTables);
        }
        // A section is there when its table was read, not when a word of its heading was seen
        // (the narrative mentions 行政复议 too).
        for (section, zh, en) in [
            (
                "proactive_disclosure",
                "二、主动公开政府信息情况",
                "二 (proactive disclosure)",
            ),
            (
                "applications",
                "三、收到和处理政府信息公开申请情况",
                "三 (applications)",
            ),
            (
                "review_litigation",
                "四、政府信息公开行政复议、行政诉讼情况",
                "四 (review and litigation)",
            ),
        ] {
            if !st.found_sections.contains(&section) {
                st.diag(Diagnostic::new(
                    "recognize.section_missing",
                    Severity::Warning,
                    None,
                    format!("未找到第{zh}的表格，该部分的数值全部缺失；请核对原文是否印有此表"),
                    format!("the table of section {en} was not found, so none of its numbers were read; check whether the source prints it"),
                ));
            }
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
        if values
            .keys()
            .any(|p| p.starts_with("applications.results.other_handling.subtotal."))
        {
            report.ensure_path("applications.results.other_handling.subtotal");
        }
        let mut dotted = String::new();
        report.visit_mut(&mut Vec::new(), &mut |p, c, _| {
            xxgk_schema::dotted_into(p, &mut dotted);
            if let Some(v) = values.remove(dotted.as_str()) {
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
    Ok(Recognized::new(report, st.diagnostics, st.origins))
}

/// Say that section 三's （六） row is printed on the other edition's form.
fn mixed_form(st: &mut State, edition: Edition, shape: Edition, at: Origin) {
    let (zh, en) = if edition == Edition::E2021 {
        (
            "本报告按 2021 版表格填报（第二部分），但第三部分（六）其他处理按 2019 版印为一行；该行记入 applications.results.other_handling.subtotal，2021 版的三个子行未印出、留空".to_string(),
            "the report is on the 2021 form (section 二) but section 三 prints （六）其他处理 as the one row of the 2019 form; that row is kept in applications.results.other_handling.subtotal and the three 2021 sub-rows, not printed, stay blank".to_string(),
        )
    } else {
        (
            format!("本报告按 {edition} 版表格填报（第二部分），但第三部分（六）其他处理按 {shape} 版印有子行；这些子行不属于 {edition} 版表格"),
            format!("the report is on the {edition} form (section 二) but section 三 prints the {shape} sub-rows of （六）其他处理, which the {edition} tables do not have"),
        )
    };
    st.diag(Diagnostic::new(
        "recognize.mixed_form",
        Severity::Warning,
        Some(at),
        format!("混合版式：{zh}"),
        format!("mixed form: {en}"),
    ));
}

#[derive(Default)]
struct State {
    // Internal maps hash with FxHash (keys are our own field paths, not hostile input).
    values: rustc_hash::FxHashMap<String, Cell>,
    origins: Origins,
    diagnostics: Vec<Diagnostic>,
    found_sections: Vec<&'static str>,
}

impl State {
    /// A state with room for a report's cells (about 250 in the 2021 tables), so that its
    /// maps are not grown one doubling at a time.
    fn with_room() -> State {
        const CELLS: usize = 320;
        State {
            values: rustc_hash::FxHashMap::with_capacity_and_hasher(CELLS, Default::default()),
            origins: Origins::with_capacity_and_hasher(CELLS, Default::default()),
            ..State::default()
        }
    }

    fn diag(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn found(&mut self, section: &'static str) {
        if !self.found_sections.contains(&section) {
            self.found_sections.push(section);
        }
    }

    /// Store a row's cells and report anything uncertain about it.
    fn store_row(
        &mut self,
        section: &'static str,
        row_path: &str,
        columns: &[&str],
        cand: &rows::Cand<'_>,
        placed: &Placed<'_>,
    ) {
        self.found(section);
        let res = &placed.res;
        let tokens = &cand.values;
        let fallback = tokens
            .first()
            .map(|t| t.origin.clone())
            .or_else(|| cand.label.map(|l| l.origin.clone()));
        for (i, col) in columns.iter().enumerate() {
            let mut path = String::with_capacity(section.len() + row_path.len() + col.len() + 2);
            path.push_str(section);
            path.push('.');
            if !row_path.is_empty() {
                path.push_str(row_path);
                path.push('.');
            }
            path.push_str(col);
            self.values
                .insert(path.clone(), res.cells[i].clone().unwrap_or(Cell::Blank));
            let o = placed.cell_tokens[i]
                .map(|t| t.origin.clone())
                .or_else(|| fallback.clone());
            if let Some(o) = o {
                self.origins.insert(path, o);
            }
        }
        if tokens.is_empty() {
            return;
        }
        // The common case, every cell read as printed: nothing to say.
        if matches!(res.how, How::AsPrinted | How::ByColumn)
            && res.cells.iter().all(Option::is_some)
        {
            return;
        }
        let printed: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        let shown = printed.join(" ");
        let lab = cand.label_text.trim();
        let at = cand
            .label
            .map(|l| l.origin.clone())
            .or_else(|| fallback.clone())
            .expect("a row with values has an origin");
        let line_zh = at.zh();
        let path = if row_path.is_empty() {
            section.to_string()
        } else {
            format!("{section}.{row_path}")
        };
        match res.how {
            How::AsPrinted | How::ByColumn => {
                for (i, c) in res.cells.iter().enumerate() {
                    if c.is_none() {
                        let Some(t) = placed.cell_tokens[i] else {
                            continue;
                        };
                        let text = &t.text;
                        self.diag(
                            Diagnostic::new(
                                "recognize.value_not_a_number",
                                Severity::Warning,
                                Some(t.origin.clone()),
                                format!("{}「{lab}」第 {} 列的内容「{text}」不是数值（或不是整数），已留空；请核对原文", t.origin.zh(), i + 1),
                                format!("{} \"{lab}\" column {}: {text:?} is not a number (or not a whole number); left null, check the source", t.origin, i + 1),
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
                // The columns as printed (the last step's label), not their ids.
                let unknown: Vec<&str> = columns
                    .iter()
                    .zip(&res.cells)
                    .filter(|(_, c)| c.is_none())
                    .map(|(c, _)| *c)
                    .collect();
                let column_label = |c: &str, zh: bool| -> String {
                    xxgk_schema::labels(&format!("{path}.{c}"))
                        .map(|(z, e)| {
                            let s = if zh { z.rsplit('·').next() } else { e.rsplit(" › ").next() };
                            s.unwrap_or(c).to_string()
                        })
                        .unwrap_or_else(|| c.to_string())
                };
                let unknown_zh: Vec<String> =
                    unknown.iter().map(|c| format!("「{}」", column_label(c, true))).collect();
                let unknown_en: Vec<String> =
                    unknown.iter().map(|c| format!("“{}”", column_label(c, false))).collect();
                self.diag(
                    Diagnostic::new(
                        "recognize.row_cells_uncertain",
                        Severity::Warning,
                        Some(at.clone()),
                        format!(
                            "{line_zh}「{lab}」应有 {} 个数值，实际为「{shown}」（{} 个）；无法证明位置的单元格已留空：{}。请对照原表补正",
                            columns.len(),
                            tokens.len(),
                            unknown_zh.join("、")
                        ),
                        format!(
                            "{at} \"{lab}\" should have {} values but reads \"{shown}\" ({} tokens); cells whose position cannot be proven are left null: {}. Check against the original table",
                            columns.len(),
                            tokens.len(),
                            unknown_en.join(", ")
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
        let keys: Vec<&str> = tokens.iter().map(Token::key).collect();
        // The headings' words are Chinese: an ASCII key (a number) is none of them.
        let find_from = |from: usize, f: &dyn Fn(&str) -> bool| -> Option<usize> {
            (from..keys.len()).find(|&i| !keys[i].is_ascii() && f(keys[i]))
        };
        let s2 = find_from(0, &|k| crate::scan::holds(k, "第二十条第"));
        let s3 = find_from(s2.unwrap_or(0), &|k| {
            crate::scan::holds(k, "勾稽关系")
                || crate::scan::holds(k, "申请人情况")
                || crate::scan::holds(k, "本年新收政府信息公开申请")
                || crate::scan::holds(k, "本年新收")
        });
        let s4 = find_from(s3.or(s2).unwrap_or(0), &|k| {
            (crate::scan::holds(k, "行政复议")
                || crate::scan::holds(k, "行政法复议")
                || k == "复议")
                && !crate::scan::holds(k, "勾稽")
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
                    !k.is_ascii() && (k.starts_with("五、") || k.starts_with("六、") || next(k))
                })
                .unwrap_or(keys.len())
        };
        let mut r = Regions::default();
        if let Some(a) = s2 {
            let b = s3.or(s4).unwrap_or_else(|| {
                end_of_part(a + 1, &|k| {
                    (k.starts_with("三、")
                        && crate::scan::holds(k, "申请")
                        && !crate::scan::holds(k, "办理结果"))
                        || (k.starts_with("四、") && crate::scan::holds(k, "复议"))
                })
            });
            r.sec2 = Some((a, b));
        }
        if let Some(a) = s3 {
            let b = s4.unwrap_or_else(|| {
                end_of_part(a + 1, &|k| {
                    k.starts_with("四、") && crate::scan::holds(k, "复议")
                })
            });
            r.sec3 = Some((a, b));
        }
        if let Some(a) = s4 {
            r.sec4 = Some((a, end_of_4(a + 1)));
        }
        r
    }
}

/// The forms the tables are printed on: section 二's form and section 三's （六） shape, each
/// detected on its own (a report may mix them).
#[derive(Debug, Clone, Copy, Default)]
struct Forms {
    section2: Option<Edition>,
    section3: Option<Edition>,
}

impl Forms {
    fn find(tokens: &[Token], regions: &Regions) -> Forms {
        Forms {
            section2: regions
                .sec2
                .and_then(|(a, b)| sections::section2_form_of(&tokens[a..b])),
            section3: regions
                .sec3
                .and_then(|(a, b)| sections::section3_shape(&tokens[a..b])),
        }
    }
}

fn detect_edition(tokens: &[Token], forms: Forms) -> Option<Edition> {
    let (mut s21, mut s19, mut legacy) = (0, 0, 0);
    for t in tokens {
        let k = t.key();
        // Every word below is Chinese: an ASCII key (a number) gives no signal.
        if k.is_ascii() {
            continue;
        }
        // Prose mentions table words too; in a long run of text only its end can be a header.
        // (No key of up to 80 bytes has more than 80 characters.)
        let n = if k.len() > 80 { k.chars().count() } else { 0 };
        let k: &str = if n > 80 {
            let skip = k.char_indices().nth(n - 60).map_or(0, |(i, _)| i);
            &k[skip..]
        } else {
            k
        };
        let (a, b, c) = labels::edition_votes(k);
        s21 += a;
        s19 += b;
        legacy += c;
    }
    if forms.section2.is_none() && forms.section3.is_none() && legacy > 0 && legacy > s21 + s19 {
        return Some(Edition::Legacy);
    }
    // Section 二's form decides the edition (its columns differ most); then section 三's.
    if let Some(e) = forms.section2.or(forms.section3) {
        return Some(e);
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
