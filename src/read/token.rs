//! The one intermediate form every table-bearing reader hands to the recognizer: a cell of text
//! with its origin and, when the input has columns, its place in a grid.
//!
//! Owns [`Token`] and [`Place`]. Readers make tokens; only [`crate::recognize`] decides what a
//! token means. A reader that knows where a cell stands (a workbook, a Word or HTML table, a
//! tab- or pipe-separated line, space-aligned text, a PDF word) gives it a [`Place`]: which table
//! it belongs to, which row of that table, and the horizontal extent it covers. The recognizer
//! maps those extents to field columns by the table's own header, so a blank, merged or missing
//! cell never moves a value into the wrong column. Inputs without columns (one cell per line,
//! cells run together) give no place, and the recognizer falls back to counting.

use crate::diagnostic::Origin;

/// Where a cell stands in a grid.
///
/// `x0..x1` is the horizontal extent in the reader's own unit: grid columns for workbooks and
/// HTML/Word tables (a cell spanning columns 3 and 4 is `3..5`), field positions for tab and
/// pipe lines, display columns for space-aligned text, and tenths of a point for PDF words.
/// Only extents of the same `table` are ever compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Place {
    /// The table (sheet, HTML/Word table, block of text lines, PDF table) within the input.
    pub table: u32,
    /// The row within the table (grid row, line number, rebuilt PDF line).
    pub row: u32,
    /// Left edge (inclusive).
    pub x0: u32,
    /// Right edge (exclusive); always greater than `x0`.
    pub x1: u32,
    /// True when extents are exact grid columns (a cell is where the file says it is); false
    /// when they are measured positions (aligned text, PDF words), where a value belongs to the
    /// header column it stands nearest to.
    pub exact: bool,
}

impl Place {
    /// A place spanning grid columns `col..col + span` of row `row` in table `table`.
    pub fn grid(table: u32, row: u32, col: u32, span: u32) -> Place {
        Place {
            table,
            row,
            x0: col,
            x1: col + span.max(1),
            exact: true,
        }
    }

    /// A measured place (aligned text, PDF words).
    pub fn measured(table: u32, row: u32, x0: u32, x1: u32) -> Place {
        Place {
            table,
            row,
            x0,
            x1: x1.max(x0 + 1),
            exact: false,
        }
    }

    /// The same grid row of the same table.
    pub fn same_row(&self, other: &Place) -> bool {
        self.table == other.table && self.row == other.row
    }

    /// Width of the extent.
    pub fn width(&self) -> u32 {
        self.x1 - self.x0
    }

    /// Twice the centre (kept integral).
    pub fn centre2(&self) -> u64 {
        u64::from(self.x0) + u64::from(self.x1)
    }

    /// Length of the overlap of the two extents.
    pub fn overlap(&self, x0: u32, x1: u32) -> u32 {
        self.x1.min(x1).saturating_sub(self.x0.max(x0))
    }
}

/// One cell of text, in reading order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Token {
    /// Normalized text of the cell; empty for an explicitly blank cell (tab/pipe layouts).
    pub text: String,
    /// Where the cell is in the input (a line, or a sheet cell).
    pub origin: Origin,
    /// True when the token's boundaries are uncertain: it was cut out of a line where cells ran
    /// together or were separated by single spaces. Only such tokens may be split further.
    pub loose: bool,
    /// True when a grid puts this token where a value belongs (a value column of a data row):
    /// text there is a value that is not a number, to be reported at its cell, not a label.
    pub slot: bool,
    /// The cell's place in a grid, when the input has columns.
    pub place: Option<Place>,
    /// The matching key of the text, computed once when first asked for (see [`Token::key`]);
    /// `None` when the key is the text itself (most tokens: no allocation). Change `text` only
    /// through [`Token::set_text`], which resets it.
    #[serde(skip)]
    pub key: std::cell::OnceCell<Option<String>>,
}

impl Token {
    /// A token read from a line of text, with no place.
    pub fn line(text: impl Into<String>, line: u32, loose: bool) -> Token {
        Token {
            text: text.into(),
            origin: Origin::Line { line },
            loose,
            slot: false,
            place: None,
            key: Default::default(),
        }
    }

    /// Replace the text (and forget the key computed from the old one).
    pub fn set_text(&mut self, text: String) {
        self.text = text;
        self.key = Default::default();
    }

    /// The text's matching key ([`crate::recognize::labels::key`]), computed once.
    pub fn key(&self) -> &str {
        self.key
            .get_or_init(|| crate::recognize::labels::key_if_changed(&self.text))
            .as_deref()
            .unwrap_or(&self.text)
    }
}
