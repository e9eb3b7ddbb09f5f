//! Columns by header: a table's header cells → the extent of each field column, and a row's
//! placed value cells → the field column each stands in.
//!
//! Owns finding header rows (rows of a table that hold text and no values, before its data
//! rows), matching header texts to field columns — also when a header is split over several
//! lines (`社会` / `公益` / `组织` stacked in one column) or offset by a column against the data
//! rows — and placing values. It must not decide which row a value belongs to (that is
//! [`super::rows`]) nor parse numbers.
//!
//! A value is placed only when its column is certain: on an exact grid a value cell must overlap
//! a header column (the one it overlaps most); on measured positions (aligned text, PDF words)
//! it must stand within the span of one header column (boundaries halfway between neighbouring
//! header centres). Two values in one column, or a value outside every column, make the whole
//! row unplaceable by header, and the caller falls back to counting.

use std::collections::HashMap;

use crate::read::token::{Place, Token};

/// How a header text names one field column.
#[derive(Debug, Clone, Copy)]
pub struct ColumnName {
    /// The header text contains one of these.
    pub contains: &'static [&'static str],
    /// Or is exactly one of these (short words such as `其他`, `总计`, `数据6`).
    pub exact: &'static [&'static str],
}

impl ColumnName {
    fn matches(&self, k: &str) -> bool {
        self.exact.contains(&k) || self.contains.iter().any(|c| k.contains(c))
    }
}

/// The header of one kind of table: its field columns in order, and words that head groups of
/// columns (never a column themselves, never stacked with fragments below them).
#[derive(Debug, Clone, Copy)]
pub struct HeaderSpec {
    /// Field columns, in data order.
    pub columns: &'static [ColumnName],
    /// Group headings (`法人或其他组织`, `申请人情况`, `行政诉讼`).
    pub groups: &'static [&'static str],
    /// The columns repeat in blocks of `columns.len()` this many times (section 四: three
    /// blocks of five outcomes), ordered left to right.
    pub repeat: usize,
}

/// Field columns of one table: the extent of each, in the table's own unit.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnMap {
    /// The table the header belongs to.
    pub table: u32,
    /// Exact grid columns (true) or measured positions (false).
    pub exact: bool,
    /// `(x0, x1)` of each field column, in data order.
    pub cols: Vec<(u32, u32)>,
}

/// A header cell: its key and place.
#[derive(Debug, Clone)]
struct HeaderCell {
    key: String,
    place: Place,
}

/// The header rows seen in each table of a token stream: for a data row at token index `i` of
/// table `t`, the header cells of `t` that came before it.
#[derive(Debug, Default)]
pub struct Headers {
    /// (first token index the header is valid from, table, cells).
    blocks: Vec<(usize, u32, Vec<HeaderCell>)>,
    cache: std::cell::RefCell<HashMap<(usize, usize), Option<ColumnMap>>>,
}

impl Headers {
    /// Collect the header rows of every table in `tokens`. A header block is the run of
    /// text-only rows of a table before a row that holds a value.
    pub fn scan(tokens: &[Token], is_value: impl Fn(&Token) -> bool) -> Headers {
        let mut blocks = Vec::new();
        // Per table: text-only rows since the last data row.
        let mut pending: HashMap<u32, Vec<HeaderCell>> = HashMap::new();
        let mut i = 0;
        while i < tokens.len() {
            let Some(p) = tokens[i].place else {
                i += 1;
                continue;
            };
            let mut j = i;
            let mut has_value = false;
            while j < tokens.len() && tokens[j].place.is_some_and(|q| q.same_row(&p)) {
                has_value |= is_value(&tokens[j]) && !tokens[j].text.is_empty();
                j += 1;
            }
            if has_value {
                if let Some(cells) = pending.remove(&p.table) {
                    blocks.push((i, p.table, cells));
                }
            } else {
                let cells = pending.entry(p.table).or_default();
                for t in &tokens[i..j] {
                    let k = t.key().to_string();
                    if !k.is_empty() && cells.len() < 400 {
                        cells.push(HeaderCell {
                            key: k,
                            place: t.place.expect("same row"),
                        });
                    }
                }
            }
            i = j;
        }
        Headers {
            blocks,
            cache: Default::default(),
        }
    }

    /// The column map of `spec` valid for a row of `table` that starts at token index `at`:
    /// from the nearest header block above it that names every column (text-only rows that name
    /// none, such as a wrapped label's first line, do not hide the header above them).
    pub fn map_for(&self, spec: &HeaderSpec, table: u32, at: usize) -> Option<ColumnMap> {
        for (bi, b) in self.blocks.iter().enumerate().rev() {
            if b.1 != table || b.0 > at {
                continue;
            }
            let id = (bi, spec as *const HeaderSpec as usize);
            let cached = self.cache.borrow().get(&id).cloned();
            let m = match cached {
                Some(m) => m,
                None => {
                    let m = build(&b.2, spec, table);
                    self.cache.borrow_mut().insert(id, m.clone());
                    m
                }
            };
            if m.is_some() {
                return m;
            }
        }
        None
    }
}

/// Build the column map of `spec` from header cells, or `None` when not every column is found
/// in left-to-right order.
fn build(cells: &[HeaderCell], spec: &HeaderSpec, table: u32) -> Option<ColumnMap> {
    let exact = cells.first()?.place.exact;
    let is_group = |k: &str| spec.groups.iter().any(|g| k.contains(g)) || k.chars().count() > 16;
    let which = |k: &str| -> Option<usize> {
        let hits: Vec<usize> = spec
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.matches(k))
            .map(|(i, _)| i)
            .collect();
        (hits.len() == 1).then(|| hits[0])
    };
    // 1. Cells that name a column on their own.
    let mut found: Vec<(usize, Place)> = Vec::new();
    let mut rest: Vec<&HeaderCell> = Vec::new();
    for c in cells {
        if is_group(&c.key) {
            continue;
        }
        match which(&c.key) {
            Some(i) => found.push((i, c.place)),
            None => rest.push(c),
        }
    }
    // 2. Fragments stacked in one column (`社会` / `公益` / `组织`): cells of different rows
    //    that overlap by half the narrower one, read top to bottom.
    let mut stacks: Vec<Vec<&HeaderCell>> = Vec::new();
    for c in rest {
        let home = stacks.iter_mut().find(|s| {
            s.iter().all(|o| o.place.row != c.place.row)
                && s.iter().any(|o| {
                    let ov = o.place.overlap(c.place.x0, c.place.x1);
                    2 * ov >= o.place.width().min(c.place.width())
                })
        });
        match home {
            Some(s) => s.push(c),
            None => stacks.push(vec![c]),
        }
    }
    for s in &mut stacks {
        if s.len() < 2 {
            continue;
        }
        s.sort_by_key(|c| c.place.row);
        let joined: String = s.iter().map(|c| c.key.as_str()).collect();
        if let Some(i) = which(&joined) {
            let x0 = s.iter().map(|c| c.place.x0).min().expect("non-empty");
            let x1 = s.iter().map(|c| c.place.x1).max().expect("non-empty");
            found.push((
                i,
                Place {
                    x0,
                    x1,
                    ..s[0].place
                },
            ));
        }
    }
    // 3. One extent per column, left to right; repeated blocks (section 四) by order.
    found.sort_by_key(|(_, p)| (p.x0, p.x1));
    let n = spec.columns.len();
    let want = n * spec.repeat.max(1);
    let mut cols: Vec<(u32, u32)> = Vec::with_capacity(want);
    if spec.repeat > 1 {
        // Every occurrence, in order, must follow the pattern 0, 1, …, n-1, 0, 1, …
        if found.len() != want {
            return None;
        }
        for (k, (i, p)) in found.iter().enumerate() {
            if *i != k % n {
                return None;
            }
            cols.push((p.x0, p.x1));
        }
    } else {
        let mut by_col: Vec<Option<(u32, u32)>> = vec![None; n];
        for (i, p) in &found {
            if by_col[*i].is_some() {
                return None; // a column named twice: not this table's header
            }
            by_col[*i] = Some((p.x0, p.x1));
        }
        for c in by_col {
            cols.push(c?);
        }
    }
    if cols
        .windows(2)
        .any(|w| w[1].0 <= w[0].0 || w[1].1 <= w[0].1)
    {
        return None;
    }
    Some(ColumnMap { table, exact, cols })
}

impl ColumnMap {
    /// The field column a placed cell stands in, if certain.
    fn column_of(&self, p: &Place) -> Option<usize> {
        if self.exact {
            let mut best: Option<(u32, usize)> = None;
            for (i, &(x0, x1)) in self.cols.iter().enumerate() {
                let ov = p.overlap(x0, x1);
                if ov > 0 && best.is_none_or(|b| ov > b.0) {
                    best = Some((ov, i));
                }
            }
            best.map(|b| b.1)
        } else {
            // Boundaries halfway between neighbouring header centres; the outer columns reach
            // as far beyond their centre as half the distance to their neighbour (or their width).
            let centres: Vec<u64> = self
                .cols
                .iter()
                .map(|&(a, b)| u64::from(a) + u64::from(b))
                .collect();
            let c = p.centre2();
            let n = centres.len();
            for i in 0..n {
                let left = if i > 0 {
                    (centres[i - 1] + centres[i]) / 2
                } else {
                    let half = if n > 1 {
                        (centres[1] - centres[0]) / 2
                    } else {
                        u64::from(self.cols[0].1 - self.cols[0].0)
                    };
                    centres[0].saturating_sub(half)
                };
                let right = if i + 1 < n {
                    (centres[i] + centres[i + 1]) / 2
                } else {
                    let half = if n > 1 {
                        (centres[n - 1] - centres[n - 2]) / 2
                    } else {
                        u64::from(self.cols[0].1 - self.cols[0].0)
                    };
                    centres[n - 1] + half
                };
                if c >= left && c < right {
                    return Some(i);
                }
            }
            None
        }
    }

    /// Place a row's value cells in the field columns: one entry per column, `None` where the
    /// row has no cell (a blank). `None` overall when a value stands outside every column, two
    /// values stand in one column, or a value has no place in this table.
    pub fn place<'a>(&self, values: &[&'a Token]) -> Option<Vec<Option<&'a Token>>> {
        let mut out: Vec<Option<&'a Token>> = vec![None; self.cols.len()];
        for &t in values {
            let p = t.place.filter(|p| p.table == self.table)?;
            let Some(i) = self.column_of(&p) else {
                if t.text.is_empty() {
                    continue; // merged-cell filler outside the columns
                }
                return None;
            };
            match out[i] {
                None => out[i] = Some(t),
                Some(prev) if prev.text.is_empty() => out[i] = Some(t),
                Some(_) if t.text.is_empty() => {}
                Some(_) => return None,
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: HeaderSpec = HeaderSpec {
        columns: &[
            ColumnName {
                contains: &["自然人"],
                exact: &["数据1"],
            },
            ColumnName {
                contains: &["商业"],
                exact: &["数据2"],
            },
            ColumnName {
                contains: &["社会公益", "公益组织"],
                exact: &[],
            },
            ColumnName {
                contains: &[],
                exact: &["总计"],
            },
        ],
        groups: &["法人或其他组织"],
        repeat: 1,
    };

    fn cell(text: &str, table: u32, row: u32, x0: u32, x1: u32, exact: bool) -> Token {
        let mut t = Token::line(text, row, false);
        t.place = Some(Place {
            table,
            row,
            x0,
            x1,
            exact,
        });
        t
    }

    #[test]
    fn grid_header_with_an_offset_group_and_a_blank_column() {
        // 自然人 spans two grid columns in the header, one in the data rows.
        let toks = vec![
            cell("自然人", 1, 0, 3, 5, true),
            cell("法人或其他组织", 1, 0, 5, 8, true),
            cell("总计", 1, 0, 8, 9, true),
            cell("商业企业", 1, 1, 5, 6, true),
            cell("社会公益组织", 1, 1, 6, 8, true),
            cell("一、本年新收", 1, 2, 0, 3, true),
            cell("60", 1, 2, 3, 4, true),
            cell("66", 1, 2, 8, 9, true),
        ];
        let h = Headers::scan(&toks, |t| crate::read::text::is_value_like(&t.text));
        let m = h.map_for(&SPEC, 1, 5).expect("header found");
        assert_eq!(m.cols, vec![(3, 5), (5, 6), (6, 8), (8, 9)]);
        let values = [&toks[6], &toks[7]];
        let placed = m.place(&values).expect("placed");
        let texts: Vec<Option<&str>> = placed.iter().map(|t| t.map(|t| t.text.as_str())).collect();
        assert_eq!(texts, [Some("60"), None, None, Some("66")]);
    }

    #[test]
    fn stacked_fragments_and_measured_positions() {
        let toks = vec![
            cell("自然人", 1, 0, 10, 16, false),
            cell("商业", 1, 0, 20, 24, false),
            cell("社会", 1, 0, 30, 34, false),
            cell("总计", 1, 0, 40, 44, false),
            cell("企业", 1, 1, 20, 24, false),
            cell("公益", 1, 1, 30, 34, false),
            cell("组织", 1, 2, 30, 34, false),
            cell("本年新收", 1, 3, 0, 8, false),
            cell("5", 1, 3, 15, 16, false),
            cell("7", 1, 3, 33, 34, false),
            cell("12", 1, 3, 42, 44, false),
        ];
        let h = Headers::scan(&toks, |t| crate::read::text::is_value_like(&t.text));
        let m = h.map_for(&SPEC, 1, 7).expect("header found");
        let values = [&toks[8], &toks[9], &toks[10]];
        let placed = m.place(&values).expect("placed");
        let texts: Vec<Option<&str>> = placed.iter().map(|t| t.map(|t| t.text.as_str())).collect();
        assert_eq!(texts, [Some("5"), None, Some("7"), Some("12")]);
        // A value far outside every column is not placed.
        let stray = cell("3", 1, 3, 90, 91, false);
        assert!(m.place(&[&stray]).is_none());
    }

    #[test]
    fn two_values_in_one_column_are_not_placed() {
        let toks = vec![
            cell("自然人", 1, 0, 1, 2, true),
            cell("商业企业", 1, 0, 2, 3, true),
            cell("社会公益组织", 1, 0, 3, 4, true),
            cell("总计", 1, 0, 4, 5, true),
            cell("1", 1, 1, 1, 2, true),
            cell("2", 1, 1, 1, 2, true),
        ];
        let h = Headers::scan(&toks, |t| crate::read::text::is_value_like(&t.text));
        let m = h.map_for(&SPEC, 1, 4).expect("header found");
        assert!(m.place(&[&toks[4], &toks[5]]).is_none());
    }
}
