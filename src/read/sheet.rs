//! A table of cells as read from a spreadsheet or a document table (xlsx, xls, ods, SpreadsheetML,
//! Word), turned into the token stream the recognizer reads, with `sheet!cell` origins.
//!
//! Owns the rules that make a grid read like a browser copy of the same table: a merged cell
//! is one token (in its first row and column); cells covered by a merge are skipped; blank cells
//! inside a row's value area are explicit blank tokens; blank cells in *label columns* (columns
//! of a table block that hold only text, e.g. an unmerged three-column row header) are skipped.
//! Which row is which is still decided by [`crate::recognize`].

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::diagnostic::{col_name, Origin};
use crate::read::text::{is_value_like, normalize};
use crate::read::token::{Place, Token};

/// A sheet as it crosses the boundary of a reader child process (see [`crate::read::isolate`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SheetWire {
    name: String,
    cells: Vec<(u32, u32, String)>,
    merges: Vec<((u32, u32), (u32, u32))>,
    blanks: Vec<(u32, u32)>,
}

impl From<&Sheet> for SheetWire {
    fn from(s: &Sheet) -> SheetWire {
        SheetWire {
            name: s.name.clone(),
            cells: s
                .cells
                .iter()
                .map(|(&(r, c), t)| (r, c, t.clone()))
                .collect(),
            merges: s.merges.clone(),
            blanks: s.blanks.iter().copied().collect(),
        }
    }
}

impl From<SheetWire> for Sheet {
    fn from(w: SheetWire) -> Sheet {
        Sheet {
            name: w.name,
            cells: w.cells.into_iter().map(|(r, c, t)| ((r, c), t)).collect(),
            merges: w.merges,
            blanks: w.blanks.into_iter().collect(),
            formulas_without_result: Default::default(),
        }
    }
}

/// Largest number of non-empty cells read from one input (a report has a few hundred).
pub const MAX_CELLS: usize = 2_000_000;

/// One sheet (or one document table): its name, its non-empty cells and merged ranges.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    /// Sheet name, used in origins (`表三!D12`).
    pub name: String,
    /// Cell texts by 0-based (row, col), as stored in the file. Empty texts are not stored.
    pub cells: BTreeMap<(u32, u32), String>,
    /// Merged ranges: ((first row, first col), (last row, last col)), inclusive.
    pub merges: Vec<((u32, u32), (u32, u32))>,
    /// Empty input cells of a form (unlocked in a protected sheet): blank values, not gaps.
    pub blanks: std::collections::BTreeSet<(u32, u32)>,
    /// Cells holding a formula whose result the file does not carry (saved by a program that
    /// does not calculate, e.g. openpyxl): read as empty, to be recomputed or reported.
    pub formulas_without_result: std::collections::BTreeSet<(u32, u32)>,
}

impl Sheet {
    /// A new empty sheet.
    pub fn new(name: impl Into<String>) -> Sheet {
        Sheet {
            name: name.into(),
            ..Default::default()
        }
    }

    /// Set a cell's text. Text that is empty or only whitespace is ignored.
    pub fn set(&mut self, row: u32, col: u32, text: &str) {
        if !text.trim().is_empty() {
            self.cells.insert((row, col), text.to_string());
        }
    }

    /// A cell's text as a token sees it: normalized, whitespace runs collapsed.
    fn clean(text: &str) -> String {
        normalize(text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The sheet's name, as origins print it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The origin of the cell at 0-based `row`, `col` (`表三!D12`).
    pub fn origin(&self, row: u32, col: u32) -> Origin {
        Origin::Cell {
            sheet: self.name.clone(),
            cell: format!("{}{}", col_name(col), row + 1),
        }
    }

    /// The sheet's text, row by row (cells separated by tabs): for titles and narrative.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut last_row = None;
        for (&(r, _), t) in &self.cells {
            if last_row.is_some() && last_row != Some(r) {
                out.push('\n');
            } else if last_row.is_some() {
                out.push('\t');
            }
            last_row = Some(r);
            out.push_str(&Self::clean(t));
        }
        out.push('\n');
        out
    }

    fn row_has_value(&self, r: u32) -> bool {
        self.cells
            .range((r, 0)..=(r, u32::MAX))
            .any(|(_, t)| is_value_like(&Self::clean(t)))
    }

    /// The sheet's cells as tokens in reading order, each with its grid [`Place`] in table
    /// `table` (the caller numbers the sheets of one input).
    ///
    /// Work is bounded by what is stored: each row visits its own cells and the block's value
    /// columns, never every column up to the sheet's width, and a block whose rows × value
    /// columns exceed [`MAX_BLOCK_AREA`] (or a sheet that would give more than [`MAX_TOKENS`]
    /// tokens) is refused before anything is built.
    pub fn tokens(&self, table: u32) -> Result<Vec<Token>, TooLarge> {
        let mut covered: HashSet<(u32, u32)> = HashSet::new();
        let mut covered_total = 0u64;
        for &((r1, c1), (r2, c2)) in &self.merges {
            // Bounded: merges come from the file, cells from our cap; skip absurd ranges.
            let area = u64::from(r2.saturating_sub(r1) + 1) * u64::from(c2.saturating_sub(c1) + 1);
            if area > 100_000 {
                continue;
            }
            covered_total += area;
            if covered_total > MAX_BLOCK_AREA {
                return Err(TooLarge {
                    what: "merged cells",
                    count: covered_total,
                });
            }
            for r in r1..=r2 {
                for c in c1..=c2 {
                    if (r, c) != (r1, c1) {
                        covered.insert((r, c));
                    }
                }
            }
        }
        let merge_end: BTreeMap<(u32, u32), u32> = self
            .merges
            .iter()
            .map(|&((r1, c1), (_, c2))| ((r1, c1), c2))
            .collect();
        let rows: Vec<u32> = {
            let mut v: Vec<u32> = self
                .cells
                .keys()
                .chain(self.blanks.iter())
                .map(|k| k.0)
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        // Cleaned texts, once.
        let clean: BTreeMap<(u32, u32), String> = self
            .cells
            .iter()
            .map(|(&k, t)| (k, Self::clean(t)))
            .collect();
        let row_cells = |r: u32| clean.range((r, 0)..=(r, u32::MAX));
        // Blocks: runs of rows separated by empty rows or by heading rows (one text cell).
        let heading = |r: u32| {
            let mut it = row_cells(r);
            match (it.next(), it.next()) {
                (Some((_, t)), None) => !is_value_like(t),
                _ => false,
            }
        };
        let mut out = Vec::new();
        let mut i = 0;
        while i < rows.len() {
            let mut j = i;
            while j + 1 < rows.len() && rows[j + 1] == rows[j] + 1 && !heading(rows[j + 1]) {
                j += 1;
            }
            let block = &rows[i..=j];
            // Value columns hold a number or mark somewhere in this block, or a stored empty
            // cell with no label text below it (a form's blank input cells); label columns
            // (only text) are not value columns, so their empty cells are not blank values.
            let mut value_cols: BTreeSet<u32> = BTreeSet::new();
            let mut text_rows: HashMap<u32, u32> = HashMap::new();
            // Data rows hold a number or mark somewhere (header rows hold only text).
            let mut data_rows: HashSet<u32> = HashSet::new();
            for &r in block {
                for (&(_, c), t) in row_cells(r) {
                    if is_value_like(t) {
                        value_cols.insert(c);
                        data_rows.insert(r);
                    } else {
                        text_rows.insert(c, r);
                    }
                }
            }
            // Columns that carry words in data rows and never a number are label columns.
            let label_cols: HashSet<u32> = block
                .iter()
                .filter(|r| data_rows.contains(r))
                .flat_map(|&r| {
                    row_cells(r)
                        .filter(|(_, t)| !is_value_like(t))
                        .map(|(&(_, c), _)| c)
                })
                .filter(|c| !value_cols.contains(c))
                .collect();
            for &r in block {
                for &(_, c) in self.blanks.range((r, 0)..=(r, u32::MAX)) {
                    if covered.contains(&(r, c)) || label_cols.contains(&c) {
                        continue;
                    }
                    if text_rows.get(&c).is_none_or(|&last| last < r) {
                        value_cols.insert(c);
                    }
                }
            }
            let area = block.len() as u64 * value_cols.len() as u64;
            if area > MAX_BLOCK_AREA {
                return Err(TooLarge {
                    what: "cells in one table block",
                    count: area,
                });
            }
            for &r in block {
                let mut started = false;
                // In a data row a word in a value column is a bad value, not a header.
                let data_row = data_rows.contains(&r);
                let has_value = self.row_has_value(r);
                // The columns this row visits: its own cells, its blank inputs, the value columns.
                let mut cols: Vec<u32> = row_cells(r).map(|(&(_, c), _)| c).collect();
                cols.extend(self.blanks.range((r, 0)..=(r, u32::MAX)).map(|k| k.1));
                cols.extend(value_cols.iter().copied());
                cols.sort_unstable();
                cols.dedup();
                let mut next_free = 0u32;
                for c in cols {
                    if c < next_free || covered.contains(&(r, c)) {
                        continue;
                    }
                    let text = clean.get(&(r, c)).cloned().unwrap_or_default();
                    let end = merge_end.get(&(r, c)).copied().unwrap_or(c);
                    // A row starts at its first text or its first value column: a data row
                    // without a label (section 四) keeps a leading blank cell.
                    if !text.is_empty()
                        || value_cols.contains(&c)
                            && (started || self.blanks.contains(&(r, c)) || has_value)
                    {
                        started = true;
                        let slot = value_cols.contains(&c)
                            && !label_cols.contains(&c)
                            && !text.is_empty()
                            && !is_value_like(&text)
                            && data_row;
                        if out.len() >= MAX_TOKENS {
                            return Err(TooLarge {
                                what: "cells",
                                count: out.len() as u64 + 1,
                            });
                        }
                        out.push(Token {
                            text,
                            origin: self.origin(r, c),
                            loose: false,
                            slot,
                            place: Some(Place::grid(table, r, c, end - c + 1)),
                            key: Default::default(),
                        });
                    }
                    next_free = end.saturating_add(1);
                }
            }
            i = j + 1;
        }
        Ok(out)
    }
}

/// Largest rows × value columns of one table block, and largest number of merged cells.
pub const MAX_BLOCK_AREA: u64 = 1_000_000;
/// Largest number of tokens one sheet may give.
pub const MAX_TOKENS: usize = 1_000_000;

/// A sheet that would need more work than a report can: refused, with what was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge {
    /// What was counted.
    pub what: &'static str,
    /// How many.
    pub count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &Sheet) -> Vec<String> {
        s.tokens(0).unwrap().into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn merged_cells_are_one_token_and_blanks_are_kept() {
        let mut s = Sheet::new("表二");
        s.set(0, 0, "规章");
        s.set(0, 1, "5");
        s.set(0, 5, "3");
        s.merges.push(((0, 1), (0, 2)));
        s.merges.push(((0, 3), (0, 4)));
        s.merges.push(((0, 5), (0, 6)));
        s.set(1, 0, "行政规范性文件");
        s.set(1, 1, "1");
        s.set(1, 3, "2");
        s.set(1, 5, "3");
        s.merges.push(((1, 1), (1, 2)));
        s.merges.push(((1, 3), (1, 4)));
        s.merges.push(((1, 5), (1, 6)));
        assert_eq!(
            texts(&s),
            ["规章", "5", "", "3", "行政规范性文件", "1", "2", "3"]
        );
        assert_eq!(s.tokens(0).unwrap()[3].origin.to_string(), "表二!F1");
    }

    #[test]
    fn unmerged_label_columns_are_not_blanks() {
        let mut s = Sheet::new("S");
        s.set(0, 0, "一、本年新收政府信息公开申请数量");
        s.set(0, 3, "1");
        s.set(0, 4, "2");
        s.set(1, 0, "三、本年度办理结果");
        s.set(1, 1, "（一）予以公开");
        s.set(1, 4, "4");
        assert_eq!(
            texts(&s),
            [
                "一、本年新收政府信息公开申请数量",
                "1",
                "2",
                "三、本年度办理结果",
                "(一)予以公开",
                "",
                "4"
            ]
        );
    }
}
