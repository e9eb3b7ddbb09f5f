//! Rows of a section: tokens → candidate rows (a label and its values), and rows whose label
//! is missing or detached placed by their position between known rows.
//!
//! Owns two rules:
//!
//! * **Values belong to the label of their own grid row.** A value with a [`Place`] joins the
//!   row whose label stands in the same grid row; a grid row of values without a recognized
//!   label is an *orphan*. Values without a place (one cell per line) follow the label before
//!   them, as in a browser copy.
//! * **An orphan is placed only when its position proves its row.** The form fixes the order of
//!   rows. Between two rows that were recognized with all their values (anchors), the orphans are
//!   given to the rows the form has between those anchors only when there are exactly as many
//!   orphans as such rows, and each orphan's values fit its row. Otherwise nothing is placed and
//!   the orphans are reported.
//!
//! It must not parse numbers or map columns (see [`super::values`], [`super::columns`]).
//!
//! [`Place`]: crate::read::token::Place

use crate::read::token::Token;

/// What a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    /// A data row: its index in the form's row list.
    Row(usize),
    /// A group heading without values (`（三）不予公开`).
    Group,
    /// A heading that starts a sub-table: the rows of the form from this index on follow it
    /// (`第二十条第（五）项`).
    Boundary(usize),
    /// Not a label of this section.
    None,
}

/// A candidate row: a label (if any) and the values that belong to it.
#[derive(Debug, Clone)]
pub struct Cand<'a> {
    /// The token carrying the label (the last fragment when the label was joined).
    pub label: Option<&'a Token>,
    /// The label as printed, its fragments joined.
    pub label_text: String,
    /// The form row the label names, if recognized.
    pub row: Option<usize>,
    /// The values, in reading order.
    pub values: Vec<&'a Token>,
    /// The grid row (table, row) of a placed row.
    pub grid: Option<(u32, u32)>,
    /// Index of the row's first token (reading order).
    pub at: usize,
    /// A sub-table heading (see [`Hit::Boundary`]).
    pub boundary: Option<usize>,
}

impl Cand<'_> {
    /// True when the row has a printed value (not only blank cells).
    pub fn has_printed_value(&self) -> bool {
        self.values.iter().any(|t| !t.text.is_empty())
    }
}

/// Keep the joined label keys short: only their end can name a row.
const MAX_JOINED: usize = 240;

/// Group a section's tokens into candidate rows. `hit` names what a label key is;
/// `is_value` tells values (numbers, marks, blanks, value slots) from labels.
pub fn assemble<'a>(
    tokens: &'a [Token],
    hit: &mut dyn FnMut(&str) -> Hit,
    is_value: &dyn Fn(&Token) -> bool,
) -> Vec<Cand<'a>> {
    let mut out: Vec<Cand<'a>> = Vec::new();
    let mut cur: Option<Cand<'a>> = None;
    let mut joined = String::new();
    let grid_of = |t: &Token| t.place.map(|p| (p.table, p.row));
    for (i, t) in tokens.iter().enumerate() {
        if is_value(t) {
            joined.clear();
            let g = grid_of(t);
            let joins = match (&cur, g) {
                (Some(c), Some(g)) => c.grid == Some(g),
                (Some(_), None) => true,
                (None, _) => false,
            };
            if joins {
                cur.as_mut().expect("checked").values.push(t);
            } else {
                out.extend(cur.take());
                cur = Some(Cand {
                    label: None,
                    label_text: String::new(),
                    row: None,
                    values: vec![t],
                    grid: g,
                    at: i,
                    boundary: None,
                });
            }
            continue;
        }
        let k = t.key();
        if k.is_empty() {
            continue;
        }
        if joined.len() > MAX_JOINED {
            let cut = joined.len() - MAX_JOINED / 2;
            let cut = (cut..joined.len())
                .find(|&c| joined.is_char_boundary(c))
                .unwrap_or(joined.len());
            joined.drain(..cut);
        }
        joined.push_str(k);
        let mut h = hit(k);
        // The label's text, made a string only for a candidate that keeps it.
        let mut text = std::borrow::Cow::Borrowed(crate::read::text::trim(&t.text));
        if h == Hit::None && joined != k {
            h = hit(&joined);
            if h != Hit::None {
                if let Some(c) = cur
                    .as_ref()
                    .filter(|c| c.row.is_none() && c.values.is_empty())
                {
                    text = format!("{}{}", c.label_text, text).into();
                }
            }
        }
        match h {
            Hit::Row(r) => {
                joined.clear();
                // A label fragment row that only led up to this label is replaced by it.
                if cur
                    .as_ref()
                    .is_some_and(|c| c.row.is_none() && c.values.is_empty() && c.label.is_some())
                {
                    cur = None;
                }
                out.extend(cur.take());
                cur = Some(Cand {
                    label: Some(t),
                    label_text: text.into_owned(),
                    row: Some(r),
                    values: Vec::new(),
                    grid: grid_of(t),
                    at: i,
                    boundary: None,
                });
            }
            Hit::Group => {
                joined.clear();
                out.extend(cur.take());
            }
            Hit::Boundary(b) => {
                joined.clear();
                out.extend(cur.take());
                out.push(Cand {
                    label: Some(t),
                    label_text: text.into_owned(),
                    row: None,
                    values: Vec::new(),
                    grid: grid_of(t),
                    at: i,
                    boundary: Some(b),
                });
            }
            Hit::None => {
                let g = grid_of(t);
                let same_row = matches!((&cur, g), (Some(c), Some(g)) if c.grid == Some(g));
                if g.is_some() && !same_row {
                    // The label of a new grid row that names no row (yet): values in this row
                    // belong to it, not to the label above.
                    out.extend(cur.take());
                    cur = Some(Cand {
                        label: Some(t),
                        label_text: text.into_owned(),
                        row: None,
                        values: Vec::new(),
                        grid: g,
                        at: i,
                        boundary: None,
                    });
                } else if cur.as_ref().is_some_and(|c| !c.values.is_empty()) {
                    out.extend(cur.take());
                } else if let Some(c) = cur.as_mut().filter(|c| c.row.is_none()) {
                    c.label_text.push_str(crate::read::text::trim(&t.text));
                }
            }
        }
    }
    out.extend(cur);
    out
}

/// A gap between two anchors: the orphans in it and the form rows it leaves open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// Indices (into the candidate list) of the orphans, in reading order.
    pub orphans: Vec<usize>,
    /// Form rows between the anchors that have no anchor, in form order.
    pub open: Vec<usize>,
}

/// The gaps of a section. `anchored[r]` is the index of the candidate that anchors form row `r`
/// (recognized with all its values), if any; `n_rows` is the number of form rows.
pub fn gaps(cands: &[Cand<'_>], anchored: &[Option<usize>], n_rows: usize) -> Vec<Gap> {
    // Anchor points in reading order: (candidate index, position in the form), where row r is
    // at 2r+1 and a boundary before row r at 2r. The section's start and end are anchors too.
    let mut points: Vec<(usize, usize)> = Vec::new();
    for (r, a) in anchored.iter().enumerate() {
        if let Some(ci) = a {
            points.push((*ci, 2 * r + 1));
        }
    }
    for (ci, c) in cands.iter().enumerate() {
        if let Some(b) = c.boundary {
            points.push((ci, 2 * b));
        }
    }
    points.sort();
    let mut out = Vec::new();
    let mut prev: (Option<usize>, usize) = (None, 0);
    let mut it = points.into_iter().map(|(c, p)| (Some(c), p)).peekable();
    loop {
        let next = it.next().unwrap_or((None, 2 * n_rows + 1));
        let from = prev.0.map_or(0, |c| c + 1);
        let to = next.0.unwrap_or(cands.len());
        let orphans: Vec<usize> = (from..to.max(from))
            .filter(|&i| cands[i].row.is_none() && cands[i].boundary.is_none())
            .filter(|&i| cands[i].has_printed_value())
            .collect();
        if !orphans.is_empty() {
            let open: Vec<usize> = if next.1 > prev.1 {
                (0..n_rows)
                    .filter(|&r| 2 * r + 1 > prev.1 && 2 * r + 1 < next.1)
                    .filter(|&r| anchored[r].is_none())
                    .collect()
            } else {
                Vec::new() // anchors out of form order: nothing is proven here
            };
            out.push(Gap { orphans, open });
        }
        if next.0.is_none() {
            break;
        }
        prev = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::token::Place;

    fn placed(text: &str, row: u32, col: u32) -> Token {
        let mut t = Token::line(text, row, false);
        t.place = Some(Place::grid(1, row, col, 1));
        t
    }

    fn hit(k: &str) -> Hit {
        match k {
            "甲" => Hit::Row(0),
            "乙" => Hit::Row(1),
            "丙" => Hit::Row(2),
            "丁" => Hit::Row(3),
            _ => Hit::None,
        }
    }

    fn value(t: &Token) -> bool {
        crate::read::text::is_value_like(&t.text) || t.text.is_empty()
    }

    #[test]
    fn values_stay_with_the_label_of_their_grid_row() {
        // 甲 1 2 / (no label) 3 4 / 丙 5 6: the middle row is an orphan, not 甲's.
        let toks = vec![
            placed("甲", 0, 0),
            placed("1", 0, 1),
            placed("2", 0, 2),
            placed("3", 1, 1),
            placed("4", 1, 2),
            placed("丙", 2, 0),
            placed("5", 2, 1),
            placed("6", 2, 2),
        ];
        let cands = assemble(&toks, &mut hit, &value);
        assert_eq!(cands.len(), 3);
        assert_eq!(cands[0].values.len(), 2);
        assert_eq!(cands[1].row, None);
        assert_eq!(cands[1].values.len(), 2);
        // Anchors 甲 (row 0) and 丙 (row 2) leave row 1 open between them: proven.
        let g = gaps(&cands, &[Some(0), None, Some(2), None], 4);
        assert_eq!(
            g,
            vec![Gap {
                orphans: vec![1],
                open: vec![1]
            }]
        );
    }

    #[test]
    fn unplaced_values_follow_their_label() {
        let toks: Vec<Token> = ["甲", "1", "2", "乙", "3", "4"]
            .iter()
            .map(|s| Token::line(*s, 1, false))
            .collect();
        let cands = assemble(&toks, &mut hit, &value);
        assert_eq!(cands.len(), 2);
        assert_eq!(cands[1].row, Some(1));
        assert_eq!(cands[1].values.len(), 2);
    }

    #[test]
    fn two_orphans_for_one_open_row_prove_nothing() {
        let toks = vec![
            placed("甲", 0, 0),
            placed("1", 0, 1),
            placed("3", 1, 1),
            placed("4", 2, 1),
            placed("丙", 3, 0),
            placed("5", 3, 1),
        ];
        let cands = assemble(&toks, &mut hit, &value);
        let g = gaps(&cands, &[Some(0), None, Some(3), None], 4);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].orphans.len(), 2);
        assert_eq!(g[0].open, vec![1]);
    }
}
