//! The official printed layout of the statistical tables, as a grid of placed cells.
//!
//! Owns *where* each label and value sits in the official form of each edition (merged header
//! cells, row labels spanning rows, which cells are totals of which). Writers that draw the form
//! (xlsx today) render these grids; nothing here knows about a file format, and nothing here
//! reads input. Labels come from the schema crate's field declarations, so the form and the
//! schema cannot drift apart.

use std::collections::HashMap;

use xxgk_schema::{
    ApplicantRow, Applications2019, Applications2021, Cell, Denied, Edition, Field, Kind,
    NotProcessed, OtherHandling2021, Outcomes, Report, ReviewLitigation, UnableToProvide,
};

/// What a placed cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// The sheet's title line.
    Title(String),
    /// A column header.
    Header(String),
    /// A row label.
    Label(String),
    /// A value cell of the report.
    Value {
        /// Dotted field path, e.g. `applications.new_applications.total`.
        path: String,
        /// Kind of the value (count, signed, amount).
        kind: Kind,
        /// The value printed in the report.
        cell: Cell,
        /// When this cell is the total of other cells of the same grid: their positions.
        total_of: Option<Vec<(u32, u16)>>,
    },
}

/// One cell of a grid, possibly spanning several rows and columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// First row (0-based).
    pub row: u32,
    /// First column (0-based).
    pub col: u16,
    /// Rows spanned (≥ 1).
    pub rows: u32,
    /// Columns spanned (≥ 1).
    pub cols: u16,
    /// What the cell holds.
    pub content: Content,
}

/// One printed table (one worksheet of the form).
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// Short name (worksheet name), e.g. `表三`.
    pub name: String,
    /// Column widths in characters.
    pub widths: Vec<f64>,
    /// Placed cells.
    pub cells: Vec<Placed>,
    /// Number of header rows at the top (title and column headers), frozen when displayed.
    pub header_rows: u32,
    /// Number of label columns at the left, frozen when displayed.
    pub label_cols: u16,
}

impl Grid {
    fn new(name: &str, widths: Vec<f64>) -> Grid {
        Grid {
            name: name.into(),
            widths,
            cells: Vec::new(),
            header_rows: 0,
            label_cols: 0,
        }
    }

    fn put(&mut self, row: u32, col: u16, rows: u32, cols: u16, content: Content) {
        self.cells.push(Placed {
            row,
            col,
            rows,
            cols,
            content,
        });
    }

    /// Number of rows used.
    pub fn height(&self) -> u32 {
        self.cells.iter().map(|c| c.row + c.rows).max().unwrap_or(0)
    }

    /// Number of columns used.
    pub fn width(&self) -> u16 {
        self.cells.iter().map(|c| c.col + c.cols).max().unwrap_or(0)
    }
}

/// Name of the sheet that holds a report's metadata and narrative in our workbooks.
pub const INFO_SHEET: &str = "报告信息";

/// The section headings as printed in the report body.
pub const SECTION2_TITLE: &str = "二、主动公开政府信息情况";
/// Section 三 heading.
pub const SECTION3_TITLE: &str = "三、收到和处理政府信息公开申请情况";
/// Section 四 heading.
pub const SECTION4_TITLE: &str = "四、政府信息公开行政复议、行政诉讼情况";
/// The note printed in section 三's corner cell.
pub const SECTION3_NOTE: &str =
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/// Where a field stands on our printed form (and in the workbook xxgk writes for the report):
/// `表三!J28`. `None` for fields the form does not print (metadata, narrative).
pub fn form_cell(grids: &[Grid], path: &str) -> Option<String> {
    grids.iter().find_map(|g| {
        g.cells.iter().find_map(|p| match &p.content {
            Content::Value { path: v, .. } if v == path => {
                let mut col = u32::from(p.col) + 1;
                let mut letters = Vec::new();
                while col > 0 {
                    letters.push(b'A' + ((col - 1) % 26) as u8);
                    col = (col - 1) / 26;
                }
                letters.reverse();
                Some(format!(
                    "{}!{}{}",
                    g.name,
                    String::from_utf8_lossy(&letters),
                    p.row + 1
                ))
            }
            _ => None,
        })
    })
}

/// The grids of a report's tables, in form order, filled with its values.
///
/// Sections the report does not have (`None`) are left out; a legacy report gives one grid.
pub fn grids(report: &Report) -> Vec<Grid> {
    let values: HashMap<String, (Cell, Kind)> = report
        .cells()
        .into_iter()
        .map(|(p, c, k)| (p, (c.clone(), k)))
        .collect();
    let v = Values(&values);
    match report {
        Report::E2021(r) => {
            let mut out = Vec::new();
            if r.proactive_disclosure.is_some() {
                out.push(section2(Edition::E2021, &v, None));
            }
            if let Some(a) = &r.applications {
                let one_row = a.results.other_handling.subtotal.is_some();
                out.push(section3(Edition::E2021, &v, one_row));
            }
            if r.review_litigation.is_some() {
                out.push(section4(&v));
            }
            out
        }
        Report::E2019(r) => {
            let mut out = Vec::new();
            if let Some(p) = &r.proactive_disclosure {
                let unit = p.art20_item9.centralized_procurement.total_amount_unit;
                out.push(section2(Edition::E2019, &v, unit));
            }
            if r.applications.is_some() {
                out.push(section3(Edition::E2019, &v, false));
            }
            if r.review_litigation.is_some() {
                out.push(section4(&v));
            }
            out
        }
        Report::Legacy(r) => match &r.statistics {
            Some(s) => vec![legacy(s, &v)],
            None => Vec::new(),
        },
    }
}

struct Values<'a>(&'a HashMap<String, (Cell, Kind)>);

impl Values<'_> {
    fn value(&self, path: &str, total_of: Option<Vec<(u32, u16)>>) -> Content {
        let (cell, kind) = self
            .0
            .get(path)
            .cloned()
            .unwrap_or((Cell::Blank, Kind::Count));
        Content::Value {
            path: path.into(),
            kind,
            cell,
            total_of,
        }
    }
}

fn field<'a>(fields: &'a [Field], id: &str) -> &'a Field {
    fields
        .iter()
        .find(|f| f.id == id)
        .expect("layout names a declared field")
}

/// Split `total` columns into `n` spans as even as possible.
fn spans(total: u16, n: u16) -> Vec<(u16, u16)> {
    let base = total / n;
    let extra = total % n;
    let mut at = 0;
    (0..n)
        .map(|i| {
            let w = base + u16::from(i >= n - extra);
            let s = (at, w);
            at += w;
            s
        })
        .collect()
}

// Section 二 ---------------------------------------------------------------------------------

struct SubTable {
    item: &'static str,
    headers: Vec<String>,
    rows: Vec<(&'static str, &'static str)>,
    columns: Vec<&'static str>,
}

fn section2(edition: Edition, v: &Values<'_>, unit: Option<xxgk_schema::AmountUnit>) -> Grid {
    use xxgk_schema::*;
    let mut tables: Vec<SubTable> = Vec::new();
    let cols = |fs: &[Field]| fs.iter().map(|f| f.zh.to_string()).collect::<Vec<_>>();
    let ids = |fs: &'static [Field]| fs.iter().map(|f| f.id).collect::<Vec<_>>();
    let rows = |fs: &'static [Field]| fs.iter().map(|f| (f.id, f.zh)).collect::<Vec<_>>();
    let parent = if edition == Edition::E2021 {
        ProactiveDisclosure2021::FIELDS
    } else {
        ProactiveDisclosure2019::FIELDS
    };
    let item_label = |id: &str| field(parent, id).zh;
    if edition == Edition::E2021 {
        tables.push(SubTable {
            item: "art20_item1",
            headers: cols(Item1Row2021::FIELDS),
            rows: rows(Art20Item1_2021::FIELDS),
            columns: ids(Item1Row2021::FIELDS),
        });
        tables.push(SubTable {
            item: "art20_item5",
            headers: cols(DecisionsRow::FIELDS),
            rows: rows(Art20Item5_2021::FIELDS),
            columns: ids(DecisionsRow::FIELDS),
        });
        tables.push(SubTable {
            item: "art20_item6",
            headers: cols(DecisionsRow::FIELDS),
            rows: rows(Art20Item6_2021::FIELDS),
            columns: ids(DecisionsRow::FIELDS),
        });
        tables.push(SubTable {
            item: "art20_item8",
            headers: cols(FeeAmountRow::FIELDS),
            rows: rows(Art20Item8_2021::FIELDS),
            columns: ids(FeeAmountRow::FIELDS),
        });
    } else {
        tables.push(SubTable {
            item: "art20_item1",
            headers: cols(Item1Row2019::FIELDS),
            rows: rows(Art20Item1_2019::FIELDS),
            columns: ids(Item1Row2019::FIELDS),
        });
        tables.push(SubTable {
            item: "art20_item5",
            headers: cols(ItemsDecisionsRow2019::FIELDS),
            rows: rows(Art20Item5_2019::FIELDS),
            columns: ids(ItemsDecisionsRow2019::FIELDS),
        });
        tables.push(SubTable {
            item: "art20_item6",
            headers: cols(ItemsDecisionsRow2019::FIELDS),
            rows: rows(Art20Item6_2019::FIELDS),
            columns: ids(ItemsDecisionsRow2019::FIELDS),
        });
        tables.push(SubTable {
            item: "art20_item8",
            headers: cols(FeeItemsRow2019::FIELDS),
            rows: rows(Art20Item8_2019::FIELDS),
            columns: ids(FeeItemsRow2019::FIELDS),
        });
        let mut headers = cols(ProcurementRow::FIELDS);
        headers[1] = match unit {
            Some(AmountUnit::TenThousandYuan) => "采购总金额（单位：万元）".into(),
            Some(AmountUnit::Yuan) => "采购总金额（单位：元）".into(),
            None => "采购总金额".into(),
        };
        tables.push(SubTable {
            item: "art20_item9",
            headers,
            rows: rows(Art20Item9_2019::FIELDS),
            columns: ids(ProcurementRow::FIELDS),
        });
    }
    let mut g = Grid::new("表二", vec![24.0, 16.0, 16.0, 16.0, 16.0, 16.0, 16.0]);
    g.put(0, 0, 1, 7, Content::Title(SECTION2_TITLE.into()));
    g.header_rows = 1;
    g.label_cols = 1;
    let mut r = 1u32;
    for t in &tables {
        g.put(r, 0, 1, 7, Content::Header(item_label(t.item).into()));
        r += 1;
        let sp = spans(6, t.headers.len() as u16);
        g.put(r, 0, 1, 1, Content::Header("信息内容".into()));
        for (h, (c, w)) in t.headers.iter().zip(&sp) {
            g.put(r, 1 + c, 1, *w, Content::Header(h.clone()));
        }
        r += 1;
        for (row_id, row_zh) in &t.rows {
            g.put(r, 0, 1, 1, Content::Label((*row_zh).into()));
            for (col_id, (c, w)) in t.columns.iter().zip(&sp) {
                let path = format!("proactive_disclosure.{}.{row_id}.{col_id}", t.item);
                g.put(r, 1 + c, 1, *w, v.value(&path, None));
            }
            r += 1;
        }
    }
    g
}

// Section 三 ---------------------------------------------------------------------------------

const S3_FIRST_VALUE_COL: u16 = 3;

/// Section 三. `other_as_one_row`: a 2021 report whose （六） is printed as one row (a mixed
/// form) gets that row below the three sub-rows, and (七)总计 sums it instead of them.
fn section3(edition: Edition, v: &Values<'_>, other_as_one_row: bool) -> Grid {
    let mut g = Grid::new(
        "表三",
        vec![10.0, 14.0, 44.0, 10.0, 10.0, 10.0, 12.0, 12.0, 10.0, 10.0],
    );
    g.put(0, 0, 1, 10, Content::Title(SECTION3_TITLE.into()));
    g.put(1, 0, 3, 3, Content::Header(SECTION3_NOTE.into()));
    g.put(1, 3, 1, 7, Content::Header("申请人情况".into()));
    let cols = ApplicantRow::FIELDS;
    g.put(2, 3, 2, 1, Content::Header(cols[0].zh.into()));
    g.put(2, 4, 1, 5, Content::Header("法人或其他组织".into()));
    g.put(2, 9, 2, 1, Content::Header(cols[6].zh.into()));
    for (i, f) in cols[1..6].iter().enumerate() {
        g.put(3, 4 + i as u16, 1, 1, Content::Header(f.zh.into()));
    }
    g.header_rows = 4;
    g.label_cols = 3;

    let mut r = 4u32;
    // Rows that hold numbers: (path, row) for the (七)总计 column sums.
    let mut result_rows: Vec<u32> = Vec::new();
    let app_fields = if edition == Edition::E2021 {
        Applications2021::FIELDS
    } else {
        Applications2019::FIELDS
    };
    let results_fields = if edition == Edition::E2021 {
        xxgk_schema::Results2021::FIELDS
    } else {
        xxgk_schema::Results2019::FIELDS
    };
    let value_row = |g: &mut Grid, r: u32, path: &str, total_rows: Option<&[u32]>| {
        for (i, f) in cols.iter().enumerate() {
            let c = S3_FIRST_VALUE_COL + i as u16;
            let total_of = if f.id == "total" {
                Some((S3_FIRST_VALUE_COL..c).map(|cc| (r, cc)).collect())
            } else {
                total_rows.map(|rows| rows.iter().map(|&rr| (rr, c)).collect())
            };
            g.put(r, c, 1, 1, v.value(&format!("{path}.{}", f.id), total_of));
        }
    };
    g.put(
        r,
        0,
        1,
        3,
        Content::Label(field(app_fields, "new_applications").zh.into()),
    );
    value_row(&mut g, r, "applications.new_applications", None);
    r += 1;
    g.put(
        r,
        0,
        1,
        3,
        Content::Label(
            field(app_fields, "carried_over_from_previous_year")
                .zh
                .into(),
        ),
    );
    value_row(
        &mut g,
        r,
        "applications.carried_over_from_previous_year",
        None,
    );
    r += 1;

    let results_start = r;
    let single = |g: &mut Grid, r: &mut u32, id: &str, result_rows: &mut Vec<u32>| {
        g.put(
            *r,
            1,
            1,
            2,
            Content::Label(field(results_fields, id).zh.into()),
        );
        value_row(g, *r, &format!("applications.results.{id}"), None);
        result_rows.push(*r);
        *r += 1;
    };
    let group = |g: &mut Grid,
                 r: &mut u32,
                 id: &str,
                 subs: &'static [Field],
                 result_rows: &mut Vec<u32>| {
        g.put(
            *r,
            1,
            subs.len() as u32,
            1,
            Content::Label(field(results_fields, id).zh.into()),
        );
        for s in subs {
            g.put(*r, 2, 1, 1, Content::Label(s.zh.into()));
            value_row(g, *r, &format!("applications.results.{id}.{}", s.id), None);
            result_rows.push(*r);
            *r += 1;
        }
    };
    single(&mut g, &mut r, "granted", &mut result_rows);
    single(&mut g, &mut r, "partially_granted", &mut result_rows);
    group(&mut g, &mut r, "denied", Denied::FIELDS, &mut result_rows);
    group(
        &mut g,
        &mut r,
        "unable_to_provide",
        UnableToProvide::FIELDS,
        &mut result_rows,
    );
    group(
        &mut g,
        &mut r,
        "not_processed",
        NotProcessed::FIELDS,
        &mut result_rows,
    );
    if edition == Edition::E2021 {
        let subs = &OtherHandling2021::FIELDS[..if other_as_one_row { 4 } else { 3 }];
        let first = result_rows.len();
        group(&mut g, &mut r, "other_handling", subs, &mut result_rows);
        if other_as_one_row {
            // (七)总计 adds the row as printed, not the sub-rows the report left out.
            result_rows.drain(first..first + 3);
        }
    } else {
        single(&mut g, &mut r, "other_handling", &mut result_rows);
    }
    g.put(
        r,
        1,
        1,
        2,
        Content::Label(field(results_fields, "total").zh.into()),
    );
    value_row(&mut g, r, "applications.results.total", Some(&result_rows));
    r += 1;
    g.put(
        results_start,
        0,
        r - results_start,
        1,
        Content::Label(field(app_fields, "results").zh.into()),
    );
    g.put(
        r,
        0,
        1,
        3,
        Content::Label(field(app_fields, "carried_forward_to_next_year").zh.into()),
    );
    value_row(&mut g, r, "applications.carried_forward_to_next_year", None);
    g
}

// Section 四 ---------------------------------------------------------------------------------

fn section4(v: &Values<'_>) -> Grid {
    let mut g = Grid::new("表四", vec![10.0; 15]);
    g.put(0, 0, 1, 15, Content::Title(SECTION4_TITLE.into()));
    g.put(1, 0, 1, 5, Content::Header("行政复议".into()));
    g.put(1, 5, 1, 10, Content::Header("行政诉讼".into()));
    g.put(2, 5, 1, 5, Content::Header("未经复议直接起诉".into()));
    g.put(2, 10, 1, 5, Content::Header("复议后起诉".into()));
    let outcome = Outcomes::FIELDS;
    for (i, f) in outcome.iter().enumerate() {
        g.put(2, i as u16, 2, 1, Content::Header(f.zh.into()));
        g.put(3, 5 + i as u16, 1, 1, Content::Header(f.zh.into()));
        g.put(3, 10 + i as u16, 1, 1, Content::Header(f.zh.into()));
    }
    g.header_rows = 4;
    for (b, block) in ReviewLitigation::FIELDS.iter().enumerate() {
        for (i, f) in outcome.iter().enumerate() {
            let c = (b * 5 + i) as u16;
            let first = (b * 5) as u16;
            let total_of = (f.id == "total").then(|| (first..c).map(|cc| (4, cc)).collect());
            g.put(
                4,
                c,
                1,
                1,
                v.value(
                    &format!("review_litigation.{}.{}", block.id, f.id),
                    total_of,
                ),
            );
        }
    }
    g
}

// Legacy -------------------------------------------------------------------------------------

fn legacy(s: &xxgk_schema::LegacyStatistics, v: &Values<'_>) -> Grid {
    let n = s.value_columns.len().max(1) as u16;
    let mut widths = vec![40.0, 10.0];
    widths.extend(std::iter::repeat_n(14.0, n as usize));
    let mut g = Grid::new("统计表", widths);
    g.put(
        0,
        0,
        1,
        2 + n,
        Content::Title("政府信息公开情况统计表".into()),
    );
    g.put(1, 0, 1, 1, Content::Header("统计指标".into()));
    g.put(1, 1, 1, 1, Content::Header("单位".into()));
    for (i, c) in s.value_columns.iter().enumerate() {
        g.put(1, 2 + i as u16, 1, 1, Content::Header(c.clone()));
    }
    g.header_rows = 2;
    g.label_cols = 2;
    let mut r = 2u32;
    let mut group: Option<&str> = None;
    for (pos, ind) in s.indicators.iter().enumerate() {
        if ind.group.as_deref() != group {
            group = ind.group.as_deref();
            if let Some(gname) = group {
                g.put(r, 0, 1, 2 + n, Content::Label(gname.into()));
                r += 1;
            }
        }
        g.put(r, 0, 1, 1, Content::Label(ind.label.clone()));
        g.put(
            r,
            1,
            1,
            1,
            Content::Label(ind.unit.clone().unwrap_or_default()),
        );
        let key = ind.key(pos);
        for i in 0..ind.values.len() {
            let path = format!("statistics.{key}.c{}", i + 1);
            g.put(r, 2 + i as u16, 1, 1, v.value(&path, None));
        }
        r += 1;
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value_paths(g: &Grid) -> Vec<String> {
        g.cells
            .iter()
            .filter_map(|c| match &c.content {
                Content::Value { path, .. } => Some(path.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_cell_of_every_edition_is_placed_once() {
        for e in [Edition::E2021, Edition::E2019] {
            let r = Report::blank_template(e);
            let mut placed: Vec<String> = grids(&r).iter().flat_map(value_paths).collect();
            let mut expected: Vec<String> = r.cells().into_iter().map(|(p, _, _)| p).collect();
            assert_eq!(placed.len(), expected.len(), "{e}");
            placed.sort();
            expected.sort();
            assert_eq!(placed, expected, "{e}");
        }
    }

    #[test]
    fn cells_do_not_overlap() {
        for e in [Edition::E2021, Edition::E2019] {
            for g in grids(&Report::blank_template(e)) {
                let mut seen = std::collections::HashSet::new();
                for c in &g.cells {
                    for r in c.row..c.row + c.rows {
                        for k in c.col..c.col + c.cols {
                            assert!(seen.insert((r, k)), "{} overlaps at {r},{k}", g.name);
                        }
                    }
                }
                assert!(g.width() as usize <= g.widths.len(), "{}", g.name);
            }
        }
    }

    #[test]
    fn section3_totals_name_their_parts() {
        let g = section3(Edition::E2021, &Values(&HashMap::new()), false);
        let totals: Vec<_> = g
            .cells
            .iter()
            .filter_map(|c| match &c.content {
                Content::Value {
                    path,
                    total_of: Some(parts),
                    ..
                } => Some((path.clone(), parts.len())),
                _ => None,
            })
            .collect();
        // 25 row totals (6 parts each) + 6 column totals of (七)总计 (21 result rows each).
        assert_eq!(totals.len(), 25 + 6);
        assert!(totals
            .iter()
            .any(|(p, n)| p == "applications.results.total.natural_person" && *n == 21));
    }

    #[test]
    fn spans_cover_the_width() {
        assert_eq!(spans(6, 1), vec![(0, 6)]);
        assert_eq!(spans(6, 4), vec![(0, 1), (1, 1), (2, 2), (4, 2)]);
        assert_eq!(spans(6, 3), vec![(0, 2), (2, 2), (4, 2)]);
    }
}
